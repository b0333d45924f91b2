/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_checkquorum.c: CheckQuorum (invariants 1 and 15): the leader steps down without an
 * active quorum, RecentActive is reset every election timeout, (pre)votes are ignored in lease
 * with etcd's log line, and lower-term MsgApp/MsgHeartbeat are answered so that a stuck
 * partitioned node can rejoin. Deterministic (TSEED).
 */
#include "raft_test_util.h"

static void cq(rc_config *c) { c->check_quorum = true; }

static bool active(const rc_raft *r, uint64_t id)
{
    return rc_progress_map_get(&r->trk.progress, id)->recent_active;
}

/* Peers active during the last election timeout keep the leader; RecentActive is reset at
 * each check, so a leader whose followers went silent steps down at the next one. */
static void test_step_down_without_active_quorum(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new_ex(3, 0, 10, 1, cq);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_true(active(r, 2) && active(r, 3));
    nw->drop_to[2] = nw->drop_to[3] = true;
    net_tick(nw, 1, 10); /* first check: both were active, then reset */
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_false(active(r, 2));
    assert_false(active(r, 3));
    assert_true(active(r, 1));
    net_tick(nw, 1, 9);
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_false(tlog_has("stepped down"));
    net_tick(nw, 1, 1);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_int_equal(r->term, 1);
    assert_int_equal(r->lead, RC_NONE);
    assert_true(tlog_has("WARN 1 stepped down to follower since quorum is not active"));
    /* without a leader there is no lease: a vote is granted at once */
    rc_message v = tmsg(2, 1, RC_MSG_VOTE, 2);
    v.index = 1;
    v.log_term = 1;
    assert_int_equal(rc_raft_step(r, &v), RC_OK);
    assert_int_equal(r->term, 2);
    assert_int_equal(r->vote, 2);
    net_free(nw);
}

/* One silent follower of three is fine; heartbeats re-mark the others active each round. */
static void test_quorum_active_keeps_leader(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, cq);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    nw->drop_to[3] = true;
    for (int round = 0; round < 3; round++) {
        net_tick(nw, 1, 9);
        /* the 10th tick checks, resets, then beats; look before the answers arrive */
        assert_int_equal(rc_raft_tick(r), RC_OK);
        assert_int_equal(r->state, RC_STATE_LEADER);
        assert_false(active(r, 2));
        net_flush(nw);
        assert_true(active(r, 2));
        assert_false(active(r, 3));
    }
    assert_int_equal(r->state, RC_STATE_LEADER);

    /* a lone voter never loses its quorum */
    static const uint64_t one[] = {1};
    tnode *n = tn_new(1, one, 1);
    rc_config c = tcfg(1, 10, 1);
    c.check_quorum = true;
    tn_start_cfg(n, c);
    rc_message h = tmsg(1, 1, RC_MSG_HUP, 0);
    assert_int_equal(rc_raft_step(n->r, &h), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(n->r->state, RC_STATE_LEADER);
    for (int i = 0; i < 50; i++)
        assert_int_equal(rc_raft_tick(n->r), RC_OK);
    assert_int_equal(n->r->state, RC_STATE_LEADER);
    rc_msgs_free(&ms);
    tn_free(n);
    net_free(nw);
}

/* In lease (a known leader heard within the election timeout), higher-term (pre)votes are
 * ignored without an answer, unless they carry CampaignTransfer. */
static void test_votes_ignored_in_lease(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, cq);
    net_campaign(nw, 1);
    rc_raft *f = nw->nodes[2]->r;
    rc_raft_set_randomized_election_timeout(f, 100); /* no own campaign while ticking */
    static const struct { rc_msg_type type; const char *log; } tests[] = {
        {RC_MSG_VOTE, "INFO 2 [logterm: 1, index: 1, vote: 1] ignored MsgVote from 3 [logterm: 1, index: 1] "
                      "at term 1: lease is not expired (remaining ticks: 10)"},
        {RC_MSG_PRE_VOTE, "INFO 2 [logterm: 1, index: 1, vote: 1] ignored MsgPreVote from 3 [logterm: 1, index: 1] "
                          "at term 1: lease is not expired (remaining ticks: 10)"},
    };
    for (size_t i = 0; i < 2; i++) {
        tlog_reset();
        rc_message v = tmsg(3, 2, tests[i].type, 2);
        v.index = 1;
        v.log_term = 1;
        assert_int_equal(rc_raft_step(f, &v), RC_OK);
        assert_true(tlog_has(tests[i].log));
        assert_int_equal(f->msgs.n + f->msgs_after_append.n, 0);
        assert_int_equal(f->term, 1);
        assert_int_equal(f->vote, 1);
        assert_int_equal(f->lead, 1);
    }
    /* the leader itself is in lease too */
    rc_raft *l = nw->nodes[1]->r;
    rc_message v = tmsg(3, 1, RC_MSG_VOTE, 2);
    v.index = 1;
    v.log_term = 1;
    assert_int_equal(rc_raft_step(l, &v), RC_OK);
    assert_int_equal(l->state, RC_STATE_LEADER);
    assert_int_equal(l->term, 1);

    /* the remaining ticks count down */
    for (int i = 0; i < 3; i++)
        assert_int_equal(rc_raft_tick(f), RC_OK);
    tlog_reset();
    v.to = 2;
    assert_int_equal(rc_raft_step(f, &v), RC_OK);
    assert_true(tlog_has("lease is not expired (remaining ticks: 7)"));

    /* a transfer campaign is honoured in lease */
    rc_message t = v;
    t.context.data = (uint8_t *)"CampaignTransfer";
    t.context.len = strlen("CampaignTransfer");
    assert_int_equal(rc_raft_step(f, &t), RC_OK);
    assert_int_equal(f->term, 2);
    assert_int_equal(f->vote, 3);
    assert_int_equal(f->msgs_after_append.n, 1);
    assert_int_equal(f->msgs_after_append.v[0].type, RC_MSG_VOTE_RESP);
    assert_false(f->msgs_after_append.v[0].reject);
    net_free(nw);
}

/* Once the election timeout elapsed without hearing from the leader, votes are considered. */
static void test_votes_considered_after_lease(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, cq);
    net_campaign(nw, 1);
    rc_raft *f = nw->nodes[2]->r;
    rc_raft_set_randomized_election_timeout(f, 100);
    for (int i = 0; i < 10; i++)
        assert_int_equal(rc_raft_tick(f), RC_OK);
    rc_message v = tmsg(3, 2, RC_MSG_PRE_VOTE, 2);
    v.index = 1;
    v.log_term = 1;
    assert_int_equal(rc_raft_step(f, &v), RC_OK);
    assert_int_equal(f->term, 1); /* pre-votes never bump */
    assert_int_equal(f->msgs_after_append.n, 1);
    assert_int_equal(f->msgs_after_append.v[0].type, RC_MSG_PRE_VOTE_RESP);
    assert_false(f->msgs_after_append.v[0].reject);
    v.type = RC_MSG_VOTE;
    assert_int_equal(rc_raft_step(f, &v), RC_OK);
    assert_int_equal(f->term, 2);
    assert_int_equal(f->vote, 3);
    net_free(nw);
}

/* etcd's TestFreeStuckCandidateWithCheckQuorum: a candidate stuck at a higher term (its votes
 * ignored in lease) answers the leader's lower-term heartbeat, which deposes the leader. */
static void test_free_stuck_candidate(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, cq);
    rc_raft *a = nw->nodes[1]->r, *b = nw->nodes[2]->r, *c = nw->nodes[3]->r;
    rc_raft_set_randomized_election_timeout(b, 11);
    for (int i = 0; i < 10; i++)
        assert_int_equal(rc_raft_tick(b), RC_OK);
    net_campaign(nw, 1);
    nw->drop_to[1] = nw->drop_from[1] = true;
    net_campaign(nw, 3);
    assert_int_equal(b->state, RC_STATE_FOLLOWER);
    assert_int_equal(c->state, RC_STATE_CANDIDATE);
    assert_int_equal(c->term, b->term + 1);
    net_campaign(nw, 3);
    assert_int_equal(b->state, RC_STATE_FOLLOWER);
    assert_int_equal(c->state, RC_STATE_CANDIDATE);
    assert_int_equal(c->term, b->term + 2);

    nw->drop_to[1] = nw->drop_from[1] = false;
    rc_msgs q = {0};
    rc_message hb = tmsg(1, 3, RC_MSG_HEARTBEAT, a->term);
    rc_msgs_push(&q, &hb);
    net_deliver(nw, &q);
    assert_int_equal(a->state, RC_STATE_FOLLOWER);
    assert_int_equal(c->term, a->term);
    net_campaign(nw, 3);
    assert_int_equal(c->state, RC_STATE_LEADER);
    net_free(nw);
}

/* Lower-term MsgApp/MsgHeartbeat get an empty MsgAppResp at our term iff CheckQuorum or
 * PreVote is on; otherwise they are ignored with a log line. */
static void test_lower_term_answered(void **s)
{
    (void)s;
    static const uint64_t P3[] = {1, 2, 3};
    static const struct { bool cq, pv; rc_msg_type type; bool answered; } tests[] = {
        {true, false, RC_MSG_HEARTBEAT, true},   {true, false, RC_MSG_APP, true},
        {false, true, RC_MSG_HEARTBEAT, true},   {false, true, RC_MSG_APP, true},
        {false, false, RC_MSG_HEARTBEAT, false}, {false, false, RC_MSG_APP, false},
        {true, true, RC_MSG_SNAP, false},
    };
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        tlog_reset();
        tnode *n = tn_new(1, P3, 3);
        rc_config c = tcfg(1, 10, 1);
        c.check_quorum = tests[i].cq;
        c.pre_vote = tests[i].pv;
        tn_start_cfg(n, c);
        rc_raft_become_follower(n->r, 5, RC_NONE);
        rc_message m = tmsg(2, 1, tests[i].type, 3);
        assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
        rc_msgs ms = {0};
        take_msgs(n->r, &ms);
        assert_int_equal(n->r->term, 5);
        if (tests[i].answered) {
            assert_int_equal(ms.n, 1);
            assert_int_equal(ms.v[0].type, RC_MSG_APP_RESP);
            assert_int_equal(ms.v[0].to, 2);
            assert_int_equal(ms.v[0].term, 5);
            assert_false(ms.v[0].reject);
        } else {
            assert_int_equal(ms.n, 0);
            assert_true(tlog_has("message with lower term from 2 [term: 3]"));
        }
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

int main(void)
{
    printf("seed %#llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_down_without_active_quorum),
        cmocka_unit_test(test_quorum_active_keeps_leader),
        cmocka_unit_test(test_votes_ignored_in_lease),
        cmocka_unit_test(test_votes_considered_after_lease),
        cmocka_unit_test(test_free_stuck_candidate),
        cmocka_unit_test(test_lower_term_answered),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
