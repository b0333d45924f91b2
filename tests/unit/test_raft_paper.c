/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_paper.c: the Raft paper's §5.1-5.4 rules (after etcd's raft_paper_test.go), driving
 * rc_raft directly over a memstorage. Deterministic: every node uses TSEED.
 */
#include "raft_test_util.h"

static const uint64_t P3[] = {1, 2, 3};

static tnode *node3(uint64_t id) { return tn_new(id, P3, 3); }

static rc_message accept_and_reply(const rc_message *m)
{
    rc_message r = tmsg(m->to, m->from, RC_MSG_APP_RESP, m->term);
    r.index = m->index + m->n_entries;
    return r;
}

static void step_prop(rc_raft *r, const char *data)
{
    rc_entry e;
    memset(&e, 0, sizeof(e));
    e.data.data = (uint8_t *)data;
    e.data.len = data != NULL ? strlen(data) : 0;
    rc_message m = tmsg(r->id, r->id, RC_MSG_PROP, 0);
    m.entries = &e;
    m.n_entries = 1;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
}

/* etcd's commitNoopEntry: the followers ack the new leader's empty entry. */
static void commit_noop(tnode *n)
{
    rc_raft *r = n->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(rc_raft_bcast_append(r), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    for (size_t i = 0; i < ms.n; i++) {
        assert_int_equal(ms.v[i].type, RC_MSG_APP);
        assert_int_equal(ms.v[i].n_entries, 1);
        assert_int_equal(ms.v[i].entries[0].data.len, 0);
        rc_message resp = accept_and_reply(&ms.v[i]);
        rc_raft_step(r, &resp);
    }
    rc_msgs_free(&ms);
    tn_read(n, &ms);
    rc_msgs_free(&ms);
    assert_int_equal(rc_raft_applied_to(r, r->raft_log.committed, 0), RC_OK);
}

/* §5.1: a node updates its term from a higher-term message and reverts to follower. */
static void update_term_from_message(rc_state_type st)
{
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    rc_raft *r = n->r;
    if (st == RC_STATE_FOLLOWER)
        rc_raft_become_follower(r, 1, 2);
    else if (st == RC_STATE_CANDIDATE)
        rc_raft_become_candidate(r);
    else {
        rc_raft_become_candidate(r);
        assert_int_equal(rc_raft_become_leader(r), RC_OK);
    }
    rc_message m = tmsg(2, 1, RC_MSG_APP, 2);
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->term, 2);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_int_equal(r->lead, 2);
    tn_free(n);
}

static void test_follower_update_term_from_message(void **s)
{
    (void)s;
    update_term_from_message(RC_STATE_FOLLOWER);
}
static void test_candidate_update_term_from_message(void **s)
{
    (void)s;
    update_term_from_message(RC_STATE_CANDIDATE);
}
static void test_leader_update_term_from_message(void **s)
{
    (void)s;
    update_term_from_message(RC_STATE_LEADER);
}

/* §5.1: a stale-term request is rejected (ignored, with etcd's log line). */
static void test_reject_stale_term_message(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = node3(1);
    rc_hard_state hs = {2, 0, 0};
    rc_memstorage_set_hard_state(n->ms, &hs);
    tn_start(n, 1, 10, 1);
    rc_message m = tmsg(2, 1, RC_MSG_APP, 1);
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    assert_int_equal(n->r->term, 2);
    assert_int_equal(n->r->msgs.n + n->r->msgs_after_append.n, 0);
    assert_true(tlog_has("1 [term: 2] ignored a MsgApp message with lower term from 2 [term: 1]"));
    tn_free(n);
}

/* §5.2: servers start as followers. */
static void test_start_as_follower(void **s)
{
    (void)s;
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    assert_int_equal(n->r->state, RC_STATE_FOLLOWER);
    tn_free(n);
}

/* §5.2: the leader sends heartbeats every heartbeat timeout. */
static void test_leader_bcast_beat(void **s)
{
    (void)s;
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    rc_raft_become_candidate(n->r);
    assert_int_equal(rc_raft_become_leader(n->r), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    rc_msgs_clear(&ms);
    assert_int_equal(rc_raft_tick(n->r), RC_OK);
    tn_read(n, &ms);
    assert_int_equal(ms.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(ms.v[i].type, RC_MSG_HEARTBEAT);
        assert_int_equal(ms.v[i].to, i + 2);
        assert_int_equal(ms.v[i].term, 1);
        assert_int_equal(ms.v[i].commit, 0);
    }
    rc_msgs_free(&ms);
    tn_free(n);
}

/* §5.2: a follower/candidate that hears nothing for an election timeout starts an election. */
static void nonleader_start_election(rc_state_type st)
{
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    rc_raft *r = n->r;
    if (st == RC_STATE_FOLLOWER)
        rc_raft_become_follower(r, 1, 2);
    else
        rc_raft_become_candidate(r);
    for (int i = 1; i < 2 * 10; i++)
        assert_int_equal(rc_raft_tick(r), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(r->term, 2);
    assert_int_equal(r->state, RC_STATE_CANDIDATE);
    assert_int_equal(r->vote, 1);
    assert_int_equal(ms.n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(ms.v[i].type, RC_MSG_VOTE);
        assert_int_equal(ms.v[i].to, i + 2);
        assert_int_equal(ms.v[i].term, 2);
    }
    rc_msgs_free(&ms);
    tn_free(n);
}

static void test_follower_start_election(void **s)
{
    (void)s;
    nonleader_start_election(RC_STATE_FOLLOWER);
}
static void test_candidate_start_new_election(void **s)
{
    (void)s;
    nonleader_start_election(RC_STATE_CANDIDATE);
}

/* §5.2: the election outcome in one round of vote responses. */
static void test_leader_election_in_one_round(void **s)
{
    (void)s;
    static const struct {
        size_t size;
        int votes[5]; /* per id 2..5: 1 granted, -1 rejected, 0 none */
        rc_state_type want;
    } tests[] = {
        {1, {0}, RC_STATE_LEADER},
        {3, {1, 1}, RC_STATE_LEADER},
        {3, {1}, RC_STATE_LEADER},
        {5, {1, 1, 1, 1}, RC_STATE_LEADER},
        {5, {1, 1, 1}, RC_STATE_LEADER},
        {5, {1, 1}, RC_STATE_LEADER},
        {3, {-1, -1}, RC_STATE_FOLLOWER},
        {5, {-1, -1, -1, -1}, RC_STATE_FOLLOWER},
        {5, {1, -1, -1, -1}, RC_STATE_FOLLOWER},
        {3, {0}, RC_STATE_CANDIDATE},
        {5, {1}, RC_STATE_CANDIDATE},
        {5, {-1, -1}, RC_STATE_CANDIDATE},
        {5, {0}, RC_STATE_CANDIDATE},
    };
    static const uint64_t ids[] = {1, 2, 3, 4, 5};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = tn_new(1, ids, tests[t].size);
        tn_start(n, 1, 10, 1);
        rc_raft *r = n->r;
        rc_message hup = tmsg(1, 1, RC_MSG_HUP, 0);
        assert_int_equal(rc_raft_step(r, &hup), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        for (size_t id = 2; id <= tests[t].size; id++) {
            int v = tests[t].votes[id - 2];
            if (v == 0)
                continue;
            rc_message m = tmsg(id, 1, RC_MSG_VOTE_RESP, r->term);
            m.reject = v < 0;
            assert_int_equal(rc_raft_step(r, &m), RC_OK);
            tn_read(n, &ms);
        }
        rc_msgs_free(&ms);
        if (r->state != tests[t].want)
            fail_msg("case %zu: state %d, want %d", t, r->state, tests[t].want);
        assert_int_equal(r->term, 1);
        tn_free(n);
    }
}

/* §5.2: one vote per term, first come first served. */
static void test_follower_vote(void **s)
{
    (void)s;
    static const struct { uint64_t vote, nvote; bool wreject; } tests[] = {
        {0, 2, false}, {0, 3, false}, {2, 2, false}, {3, 3, false}, {2, 3, true}, {3, 2, true},
    };
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = node3(1);
        rc_hard_state hs = {1, tests[t].vote, 0};
        rc_memstorage_set_hard_state(n->ms, &hs);
        tn_start(n, 1, 10, 1);
        rc_message m = tmsg(tests[t].nvote, 1, RC_MSG_VOTE, 1);
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].type, RC_MSG_VOTE_RESP);
        assert_int_equal(ms.v[0].to, tests[t].nvote);
        assert_int_equal(ms.v[0].term, 1);
        assert_int_equal(ms.v[0].reject, tests[t].wreject);
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

/* §5.2: a candidate that hears from a leader of term >= its own falls back to follower. */
static void test_candidate_fallback(void **s)
{
    (void)s;
    for (uint64_t term = 1; term <= 2; term++) {
        tnode *n = node3(1);
        tn_start(n, 1, 10, 1);
        rc_message hup = tmsg(1, 1, RC_MSG_HUP, 0);
        assert_int_equal(rc_raft_step(n->r, &hup), RC_OK);
        assert_int_equal(n->r->state, RC_STATE_CANDIDATE);
        rc_message m = tmsg(2, 1, RC_MSG_APP, term);
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        assert_int_equal(n->r->state, RC_STATE_FOLLOWER);
        assert_int_equal(n->r->term, term);
        assert_int_equal(n->r->lead, 2);
        tn_free(n);
    }
}

/* §5.2: election timeouts are randomized within [E, 2E-1] and cover the range. */
static void election_timeout_randomized(rc_state_type st)
{
    const int et = 10;
    bool seen[64] = {false};
    tnode *n = node3(1);
    tn_start(n, 1, et, 1);
    rc_raft *r = n->r;
    for (int i = 0; i < 50 * et; i++) {
        if (st == RC_STATE_FOLLOWER)
            rc_raft_become_follower(r, r->term + 1, 2);
        else
            rc_raft_become_candidate(r);
        uint64_t term = r->term;
        int ticks = 0;
        while (r->term == term && ticks < 64) {
            rc_raft_tick(r);
            ticks++;
        }
        assert_true(ticks >= et && ticks <= 2 * et - 1);
        seen[ticks] = true;
        rc_msgs ms = {0};
        take_msgs(r, &ms);
        rc_msgs_free(&ms);
    }
    for (int d = et; d < 2 * et; d++)
        if (!seen[d])
            fail_msg("timeout %d never chosen", d);
    tn_free(n);
}

static void test_follower_election_timeout_randomized(void **s)
{
    (void)s;
    election_timeout_randomized(RC_STATE_FOLLOWER);
}
static void test_candidate_election_timeout_randomized(void **s)
{
    (void)s;
    election_timeout_randomized(RC_STATE_CANDIDATE);
}

/* §5.2: in most cases only a single server times out (nodes' timeouts rarely collide). */
static void test_followers_election_timeout_nonconflict(void **s)
{
    (void)s;
    static const uint64_t ids[] = {1, 2, 3, 4, 5};
    tnode *ns[5];
    for (int i = 0; i < 5; i++) {
        ns[i] = tn_new(ids[i], ids, 5);
        tn_start(ns[i], ids[i], 10, 1);
    }
    int conflicts = 0, rounds = 1000;
    for (int round = 0; round < rounds; round++) {
        uint64_t term[5];
        for (int i = 0; i < 5; i++) {
            rc_raft_become_follower(ns[i]->r, ns[i]->r->term + 1, RC_NONE);
            term[i] = ns[i]->r->term;
        }
        int timed_out = 0;
        while (timed_out == 0) {
            for (int i = 0; i < 5; i++) {
                rc_raft_tick(ns[i]->r);
                if (ns[i]->r->term != term[i])
                    timed_out++;
            }
        }
        if (timed_out > 1)
            conflicts++;
        for (int i = 0; i < 5; i++) {
            rc_msgs ms = {0};
            take_msgs(ns[i]->r, &ms);
            rc_msgs_free(&ms);
        }
    }
    assert_true((double)conflicts / rounds <= 0.3);
    for (int i = 0; i < 5; i++)
        tn_free(ns[i]);
}

/* §5.3: the leader appends a proposal and replicates it with MsgApp. */
static void test_leader_start_replication(void **s)
{
    (void)s;
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    rc_raft *r = n->r;
    rc_raft_become_candidate(r);
    assert_int_equal(rc_raft_become_leader(r), RC_OK);
    commit_noop(n);
    uint64_t li = rc_log_last_index(&r->raft_log);
    step_prop(r, "some data");
    assert_int_equal(rc_log_last_index(&r->raft_log), li + 1);
    assert_int_equal(r->raft_log.committed, li);
    const rc_entry *ents;
    size_t k;
    rc_log_next_unstable_ents(&r->raft_log, &ents, &k);
    assert_int_equal(k, 1);
    assert_int_equal(ents[0].index, li + 1);
    assert_int_equal(ents[0].term, 1);
    assert_memory_equal(ents[0].data.data, "some data", 9);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(ms.n, 2);
    for (size_t i = 0; i < 2; i++) {
        rc_message *m = &ms.v[i];
        assert_int_equal(m->type, RC_MSG_APP);
        assert_int_equal(m->to, i + 2);
        assert_int_equal(m->term, 1);
        assert_int_equal(m->index, li);
        assert_int_equal(m->log_term, 1);
        assert_int_equal(m->commit, li);
        assert_int_equal(m->n_entries, 1);
        assert_int_equal(m->entries[0].index, li + 1);
    }
    rc_msgs_free(&ms);
    tn_free(n);
}

/* §5.3: an entry is committed once replicated on a majority; the commit is then sent out. */
static void test_leader_commit_entry(void **s)
{
    (void)s;
    tnode *n = node3(1);
    tn_start(n, 1, 10, 1);
    rc_raft *r = n->r;
    rc_raft_become_candidate(r);
    assert_int_equal(rc_raft_become_leader(r), RC_OK);
    commit_noop(n);
    uint64_t li = rc_log_last_index(&r->raft_log);
    step_prop(r, "some data");
    rc_msgs ms = {0};
    tn_read(n, &ms);
    for (size_t i = 0; i < ms.n; i++) {
        rc_message resp = accept_and_reply(&ms.v[i]);
        assert_int_equal(rc_raft_step(r, &resp), RC_OK);
    }
    rc_msgs_free(&ms);
    assert_int_equal(r->raft_log.committed, li + 1);
    rc_entries ce = {0};
    assert_int_equal(rc_log_next_committed_ents(&r->raft_log, true, &ce), RC_OK);
    assert_int_equal(ce.n, 1);
    assert_int_equal(ce.v[0].index, li + 1);
    assert_memory_equal(ce.v[0].data.data, "some data", 9);
    rc_entries_free(&ce);
    tn_read(n, &ms);
    assert_int_equal(ms.n, 2);
    for (size_t i = 0; i < ms.n; i++) {
        assert_int_equal(ms.v[i].to, i + 2);
        assert_int_equal(ms.v[i].type, RC_MSG_APP);
        assert_int_equal(ms.v[i].commit, li + 1);
    }
    rc_msgs_free(&ms);
    tn_free(n);
}

/* §5.3: the leader commits once a majority acknowledged. */
static void test_leader_acknowledge_commit(void **s)
{
    (void)s;
    static const struct { size_t size; int acceptors; bool wack; } tests[] = {
        {1, 0, true}, {3, 0, false}, {3, 1, true}, {3, 2, true}, {5, 0, false},
        {5, 1, false}, {5, 2, true}, {5, 3, true}, {5, 4, true},
    };
    static const uint64_t ids[] = {1, 2, 3, 4, 5};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = tn_new(1, ids, tests[t].size);
        tn_start(n, 1, 10, 1);
        rc_raft *r = n->r;
        rc_raft_become_candidate(r);
        assert_int_equal(rc_raft_become_leader(r), RC_OK);
        commit_noop(n);
        uint64_t li = rc_log_last_index(&r->raft_log);
        step_prop(r, "some data");
        rc_msgs ms = {0};
        tn_read(n, &ms);
        for (size_t i = 0; i < ms.n; i++) {
            if (ms.v[i].to >= 2 && ms.v[i].to < 2 + (uint64_t)tests[t].acceptors) {
                rc_message resp = accept_and_reply(&ms.v[i]);
                rc_raft_step(r, &resp);
            }
        }
        rc_msgs_free(&ms);
        if ((r->raft_log.committed > li) != tests[t].wack)
            fail_msg("case %zu: committed %llu li %llu", t, (unsigned long long)r->raft_log.committed,
                     (unsigned long long)li);
        tn_free(n);
    }
}

/* §5.3: committing an entry commits all preceding entries, including previous terms'. */
static void test_leader_commit_preceding_entries(void **s)
{
    (void)s;
    static const struct { size_t k; uint64_t terms[2]; } tests[] = {
        {0, {0}}, {1, {2}}, {2, {1, 2}}, {1, {1}},
    };
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = node3(1);
        if (tests[t].k > 0)
            tn_preload_terms(n, tests[t].terms, tests[t].k);
        rc_hard_state hs = {2, 0, 0};
        rc_memstorage_set_hard_state(n->ms, &hs);
        tn_start(n, 1, 10, 1);
        rc_raft *r = n->r;
        rc_raft_become_candidate(r);
        assert_int_equal(rc_raft_become_leader(r), RC_OK);
        step_prop(r, "some data");
        rc_msgs ms = {0};
        tn_read(n, &ms);
        for (size_t i = 0; i < ms.n; i++) {
            rc_message resp = accept_and_reply(&ms.v[i]);
            rc_raft_step(r, &resp);
        }
        rc_msgs_free(&ms);
        rc_entries ce = {0};
        assert_int_equal(rc_log_next_committed_ents(&r->raft_log, true, &ce), RC_OK);
        size_t li = tests[t].k;
        assert_int_equal(ce.n, li + 2);
        for (size_t i = 0; i < li; i++)
            assert_int_equal(ce.v[i].term, tests[t].terms[i]);
        assert_int_equal(ce.v[li].term, 3);
        assert_int_equal(ce.v[li].data.len, 0);
        assert_int_equal(ce.v[li + 1].term, 3);
        assert_int_equal(ce.v[li + 1].index, li + 2);
        assert_memory_equal(ce.v[li + 1].data.data, "some data", 9);
        rc_entries_free(&ce);
        tn_free(n);
    }
}

/* §5.3: a follower learns the commit index from MsgApp and applies up to it. */
static void test_follower_commit_entry(void **s)
{
    (void)s;
    static const struct { size_t k; uint64_t commit; } tests[] = {{1, 1}, {2, 2}, {2, 1}, {2, 0}};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = node3(1);
        tn_start(n, 1, 10, 1);
        rc_raft *r = n->r;
        rc_raft_become_follower(r, 1, 2);
        rc_entry ents[2];
        memset(ents, 0, sizeof(ents));
        const char *data[2] = {"some data", "some data2"};
        for (size_t i = 0; i < tests[t].k; i++) {
            ents[i].term = 1;
            ents[i].index = i + 1;
            ents[i].data.data = (uint8_t *)data[i];
            ents[i].data.len = strlen(data[i]);
        }
        rc_message m = tmsg(2, 1, RC_MSG_APP, 1);
        m.entries = ents;
        m.n_entries = tests[t].k;
        m.commit = tests[t].commit;
        assert_int_equal(rc_raft_step(r, &m), RC_OK);
        assert_int_equal(r->raft_log.committed, tests[t].commit);
        rc_entries ce = {0};
        assert_int_equal(rc_log_next_committed_ents(&r->raft_log, true, &ce), RC_OK);
        assert_int_equal(ce.n, tests[t].commit);
        rc_entries_free(&ce);
        tn_free(n);
    }
}

/* §5.3: the append consistency check (with the rejection hint). */
static void test_follower_check_msg_app(void **s)
{
    (void)s;
    static const struct {
        uint64_t term, index, windex;
        bool wreject;
        uint64_t whint, wlogterm;
    } tests[] = {
        {0, 0, 1, false, 0, 0},
        {1, 1, 1, false, 0, 0},
        {2, 2, 2, false, 0, 0},
        {1, 2, 2, true, 1, 1},
        {3, 3, 3, true, 2, 2},
    };
    static const uint64_t terms[] = {1, 2};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = node3(1);
        tn_preload_terms(n, terms, 2);
        rc_hard_state hs = {0, 0, 1};
        rc_memstorage_set_hard_state(n->ms, &hs);
        tn_start(n, 1, 10, 1);
        rc_raft_become_follower(n->r, 2, 2);
        rc_message m = tmsg(2, 1, RC_MSG_APP, 2);
        m.log_term = tests[t].term;
        m.index = tests[t].index;
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        assert_int_equal(ms.n, 1);
        rc_message *g = &ms.v[0];
        assert_int_equal(g->type, RC_MSG_APP_RESP);
        assert_int_equal(g->to, 2);
        assert_int_equal(g->term, 2);
        assert_int_equal(g->index, tests[t].windex);
        assert_int_equal(g->reject, tests[t].wreject);
        assert_int_equal(g->reject_hint, tests[t].whint);
        assert_int_equal(g->log_term, tests[t].wlogterm);
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

/* §5.3: conflicting entries are overwritten, new ones appended. */
static void test_follower_append_entries(void **s)
{
    (void)s;
    static const struct {
        uint64_t index, term;
        size_t ne;
        uint64_t ents[2][2]; /* (index, term) */
        size_t nw;
        uint64_t wterms[3];
        size_t nu;
    } tests[] = {
        {2, 2, 1, {{3, 3}}, 3, {1, 2, 3}, 1},
        {1, 1, 2, {{2, 3}, {3, 4}}, 3, {1, 3, 4}, 2},
        {0, 0, 1, {{1, 1}}, 2, {1, 2}, 0},
        {0, 0, 1, {{1, 3}}, 1, {3}, 1},
    };
    static const uint64_t terms[] = {1, 2};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = node3(1);
        tn_preload_terms(n, terms, 2);
        tn_start(n, 1, 10, 1);
        rc_raft_become_follower(n->r, 2, 2);
        rc_entry ents[2];
        memset(ents, 0, sizeof(ents));
        for (size_t i = 0; i < tests[t].ne; i++) {
            ents[i].index = tests[t].ents[i][0];
            ents[i].term = tests[t].ents[i][1];
        }
        rc_message m = tmsg(2, 1, RC_MSG_APP, 2);
        m.log_term = tests[t].term;
        m.index = tests[t].index;
        m.entries = ents;
        m.n_entries = tests[t].ne;
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_entries all;
        all_entries(n->r, &all);
        assert_int_equal(all.n, tests[t].nw);
        for (size_t i = 0; i < all.n; i++) {
            assert_int_equal(all.v[i].index, i + 1);
            assert_int_equal(all.v[i].term, tests[t].wterms[i]);
        }
        rc_entries_free(&all);
        const rc_entry *u;
        size_t nu;
        rc_log_next_unstable_ents(&n->r->raft_log, &u, &nu);
        assert_int_equal(nu, tests[t].nu);
        tn_free(n);
    }
}

/* §5.3 (figure 7): the leader brings any follower log into agreement with its own. */
static void test_leader_sync_follower_log(void **s)
{
    (void)s;
    static const uint64_t lead_terms[] = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
    static const struct { size_t k; uint64_t terms[12]; } tests[] = {
        {9, {1, 1, 1, 4, 4, 5, 5, 6, 6}},
        {4, {1, 1, 1, 4}},
        {11, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}},
        {12, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}},
        {7, {1, 1, 1, 4, 4, 4, 4}},
        {11, {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}},
    };
    const uint64_t term = 8;
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnet *nw = calloc(1, sizeof(*nw));
        nw->n = 3;
        nw->drop_type = -1;
        nw->drop_to[3] = true;
        tnode *lead = node3(1);
        tn_preload_terms(lead, lead_terms, 10);
        rc_hard_state lhs = {term, 0, 10};
        rc_memstorage_set_hard_state(lead->ms, &lhs);
        tn_start(lead, 1, 10, 1);
        tnode *fol = node3(2);
        tn_preload_terms(fol, tests[t].terms, tests[t].k);
        rc_hard_state fhs = {term - 1, 0, 0};
        rc_memstorage_set_hard_state(fol->ms, &fhs);
        tn_start(fol, 2, 10, 1);
        nw->nodes[1] = lead;
        nw->nodes[2] = fol;
        net_campaign(nw, 1);
        rc_msgs q = {0};
        rc_message v = tmsg(3, 1, RC_MSG_VOTE_RESP, term + 1);
        rc_msgs_push(&q, &v);
        q.v[0].to = 1;
        net_deliver(nw, &q);
        assert_int_equal(lead->r->state, RC_STATE_LEADER);
        net_propose(nw, 1, "");
        rc_entries a, b;
        all_entries(lead->r, &a);
        all_entries(fol->r, &b);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++) {
            assert_int_equal(a.v[i].index, b.v[i].index);
            assert_int_equal(a.v[i].term, b.v[i].term);
        }
        assert_int_equal(lead->r->raft_log.committed, fol->r->raft_log.committed);
        rc_entries_free(&a);
        rc_entries_free(&b);
        net_free(nw);
    }
}

/* §5.4.1: the vote request carries the candidate's last log position. */
static void test_vote_request(void **s)
{
    (void)s;
    static const struct { size_t k; uint64_t terms[2]; uint64_t wterm; } tests[] = {
        {1, {1}, 2},
        {2, {1, 2}, 3},
    };
    for (size_t t = 0; t < 2; t++) {
        tnode *n = node3(1);
        tn_start(n, 1, 10, 1);
        rc_entry ents[2];
        memset(ents, 0, sizeof(ents));
        for (size_t i = 0; i < tests[t].k; i++) {
            ents[i].index = i + 1;
            ents[i].term = tests[t].terms[i];
        }
        rc_message m = tmsg(2, 1, RC_MSG_APP, tests[t].wterm - 1);
        m.entries = ents;
        m.n_entries = tests[t].k;
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        rc_msgs_clear(&ms);
        for (int i = 1; i < 20; i++)
            rc_raft_tick(n->r);
        tn_read(n, &ms);
        assert_int_equal(ms.n, 2);
        for (size_t i = 0; i < 2; i++) {
            assert_int_equal(ms.v[i].type, RC_MSG_VOTE);
            assert_int_equal(ms.v[i].to, i + 2);
            assert_int_equal(ms.v[i].term, tests[t].wterm);
            assert_int_equal(ms.v[i].index, tests[t].k);
            assert_int_equal(ms.v[i].log_term, tests[t].terms[tests[t].k - 1]);
        }
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

/* §5.4.1: a voter denies its vote to a candidate whose log is less up-to-date. */
static void test_voter(void **s)
{
    (void)s;
    static const struct { size_t k; uint64_t terms[2]; uint64_t logterm, index; bool wreject; } tests[] = {
        {1, {1}, 1, 1, false},    {1, {1}, 1, 2, false},    {2, {1, 1}, 1, 1, true},
        {1, {1}, 2, 1, false},    {1, {1}, 2, 2, false},    {2, {1, 1}, 2, 1, false},
        {1, {2}, 1, 1, true},     {1, {2}, 1, 2, true},     {2, {2, 1}, 1, 1, true},
    };
    static const uint64_t p2[] = {1, 2};
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        tnode *n = tn_new(1, p2, 2);
        tn_preload_terms(n, tests[t].terms, tests[t].k);
        tn_start(n, 1, 10, 1);
        rc_message m = tmsg(2, 1, RC_MSG_VOTE, 3);
        m.log_term = tests[t].logterm;
        m.index = tests[t].index;
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].type, RC_MSG_VOTE_RESP);
        if (ms.v[0].reject != tests[t].wreject)
            fail_msg("case %zu: reject %d", t, ms.v[0].reject);
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

/* §5.4.2: only entries of the leader's current term are committed by counting replicas. */
static void test_leader_only_commits_log_from_current_term(void **s)
{
    (void)s;
    static const struct { uint64_t index, wcommit; } tests[] = {{1, 0}, {2, 0}, {3, 3}};
    static const uint64_t p2[] = {1, 2};
    static const uint64_t terms[] = {1, 2};
    for (size_t t = 0; t < 3; t++) {
        tnode *n = tn_new(1, p2, 2);
        tn_preload_terms(n, terms, 2);
        rc_hard_state hs = {2, 0, 0};
        rc_memstorage_set_hard_state(n->ms, &hs);
        tn_start(n, 1, 10, 1);
        rc_raft *r = n->r;
        rc_raft_become_candidate(r);
        assert_int_equal(rc_raft_become_leader(r), RC_OK);
        rc_msgs ms = {0};
        tn_read(n, &ms);
        rc_msgs_clear(&ms);
        step_prop(r, NULL);
        rc_message m = tmsg(2, 1, RC_MSG_APP_RESP, r->term);
        m.index = tests[t].index;
        assert_int_equal(rc_raft_step(r, &m), RC_OK);
        tn_read(n, &ms);
        rc_msgs_free(&ms);
        assert_int_equal(r->raft_log.committed, tests[t].wcommit);
        tn_free(n);
    }
}

int main(void)
{
    printf("test_raft_paper: seed 0x%llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_follower_update_term_from_message),
        cmocka_unit_test(test_candidate_update_term_from_message),
        cmocka_unit_test(test_leader_update_term_from_message),
        cmocka_unit_test(test_reject_stale_term_message),
        cmocka_unit_test(test_start_as_follower),
        cmocka_unit_test(test_leader_bcast_beat),
        cmocka_unit_test(test_follower_start_election),
        cmocka_unit_test(test_candidate_start_new_election),
        cmocka_unit_test(test_leader_election_in_one_round),
        cmocka_unit_test(test_follower_vote),
        cmocka_unit_test(test_candidate_fallback),
        cmocka_unit_test(test_follower_election_timeout_randomized),
        cmocka_unit_test(test_candidate_election_timeout_randomized),
        cmocka_unit_test(test_followers_election_timeout_nonconflict),
        cmocka_unit_test(test_leader_start_replication),
        cmocka_unit_test(test_leader_commit_entry),
        cmocka_unit_test(test_leader_acknowledge_commit),
        cmocka_unit_test(test_leader_commit_preceding_entries),
        cmocka_unit_test(test_follower_commit_entry),
        cmocka_unit_test(test_follower_check_msg_app),
        cmocka_unit_test(test_follower_append_entries),
        cmocka_unit_test(test_leader_sync_follower_log),
        cmocka_unit_test(test_vote_request),
        cmocka_unit_test(test_voter),
        cmocka_unit_test(test_leader_only_commits_log_from_current_term),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
