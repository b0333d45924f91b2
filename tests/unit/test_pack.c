/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_pack.c: core/pack (a settled RawNode as one block of varints). A 3-voter node is driven
 * to a settled leader and to a settled follower over a memory storage; each is packed and
 * restored, the restored node must equal the original field by field (raft scalars, log cursors,
 * configuration, progress, RawNode state, step function) and then behave identically (the same
 * messages and HardState for the same ticks and messages). Nodes with something in flight are
 * refused (RC_ERR_STATE), and a damaged block gives RC_ERR_DECODE. Deterministic (seed 7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "memstorage.h"
#include "pack.h"
#include "rawnode.h"

static rc_config cfg(rc_memstorage *ms)
{
    rc_config c = {0};
    c.id = 1;
    c.election_tick = 10;
    c.heartbeat_tick = 1;
    c.storage = rc_memstorage_storage(ms);
    c.max_size_per_msg = RC_NO_LIMIT;
    c.max_inflight_msgs = 16;
    c.check_quorum = true;
    c.pre_vote = true;
    c.rand_seed = 7;
    return c;
}

/* Persists and advances every Ready; the messages it sent are appended to *sent (may be NULL). */
static void settle(rc_rawnode *rn, rc_memstorage *ms, rc_msgs *sent)
{
    while (rc_rawnode_has_ready(rn)) {
        rc_ready rd = {0};
        assert_int_equal(rc_rawnode_ready(rn, &rd), RC_OK);
        if (rd.entries.n > 0)
            assert_int_equal(rc_memstorage_append(ms, rd.entries.v, rd.entries.n), RC_OK);
        if (!rc_hard_state_is_empty(&rd.hard_state))
            assert_int_equal(rc_memstorage_set_hard_state(ms, &rd.hard_state), RC_OK);
        for (size_t i = 0; sent != NULL && i < rd.messages.n; i++) {
            rc_message m = rd.messages.v[i];
            assert_int_equal(rc_msgs_push(sent, &m), RC_OK);
            rd.messages.v[i] = m; /* moved out: m was disowned */
        }
        assert_int_equal(rc_rawnode_advance(rn), RC_OK);
        rc_ready_free(&rd);
    }
    rc_raft_release_idle_memory(rn->raft);
}

static void step(rc_rawnode *rn, rc_msg_type type, uint64_t from, uint64_t term, uint64_t index,
                 uint64_t commit)
{
    rc_message m = rc_message_zero;
    m.type = type;
    m.from = from;
    m.to = 1;
    m.term = term;
    m.index = index;
    m.commit = commit;
    assert_int_equal(rc_rawnode_step(rn, &m), RC_OK);
}

static void bootstrap(rc_rawnode **rn, rc_memstorage **ms)
{
    static const uint64_t voters[3] = {1, 2, 3};
    assert_int_equal(rc_memstorage_new(ms), RC_OK);
    rc_config c = cfg(*ms);
    assert_int_equal(rc_rawnode_new(rn, &c, NULL), RC_OK);
    assert_int_equal(rc_rawnode_bootstrap(*rn, voters, NULL, 3), RC_OK);
    settle(*rn, *ms, NULL);
}

/* Node 1 wins term 2 (pre-vote, then vote), its empty entry is acked by 2 and 3, and a
 * heartbeat round is answered. */
static void make_leader(rc_rawnode **rn, rc_memstorage **ms)
{
    bootstrap(rn, ms);
    assert_int_equal(rc_rawnode_campaign(*rn), RC_OK);
    settle(*rn, *ms, NULL);
    step(*rn, RC_MSG_PRE_VOTE_RESP, 2, 2, 0, 0);
    settle(*rn, *ms, NULL);
    step(*rn, RC_MSG_VOTE_RESP, 2, 2, 0, 0);
    settle(*rn, *ms, NULL);
    assert_int_equal((*rn)->raft->state, RC_STATE_LEADER);
    uint64_t last = rc_log_last_index(&(*rn)->raft->raft_log);
    step(*rn, RC_MSG_APP_RESP, 2, 2, last, 0);
    step(*rn, RC_MSG_APP_RESP, 3, 2, last, 0);
    settle(*rn, *ms, NULL);
    assert_int_equal(rc_rawnode_tick(*rn), RC_OK);
    settle(*rn, *ms, NULL);
    step(*rn, RC_MSG_HEARTBEAT_RESP, 2, 2, 0, 0);
    step(*rn, RC_MSG_HEARTBEAT_RESP, 3, 2, 0, 0);
    settle(*rn, *ms, NULL);
}

/* Node 1 follows 3 in term 5, which appended its empty entry and committed it. */
static void make_follower(rc_rawnode **rn, rc_memstorage **ms)
{
    bootstrap(rn, ms);
    rc_entry e = {.term = 5, .index = 4};
    rc_message m = rc_message_zero;
    m.type = RC_MSG_APP;
    m.from = 3;
    m.to = 1;
    m.term = 5;
    m.log_term = 1;
    m.index = 3;
    m.commit = 4;
    m.entries = &e;
    m.n_entries = 1;
    assert_int_equal(rc_rawnode_step(*rn, &m), RC_OK);
    settle(*rn, *ms, NULL);
    assert_int_equal(rc_rawnode_tick(*rn), RC_OK);
    step(*rn, RC_MSG_HEARTBEAT, 3, 5, 0, 4);
    settle(*rn, *ms, NULL);
    assert_int_equal((*rn)->raft->lead, 3);
}

static void assert_same_majority(const rc_majority *a, const rc_majority *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_int_equal(a->ids[i], b->ids[i]);
}

static void assert_same(const rc_rawnode *x, const rc_rawnode *y)
{
    const rc_raft *a = x->raft, *b = y->raft;
    assert_true(a->step == b->step);
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->term, b->term);
    assert_int_equal(a->vote, b->vote);
    assert_int_equal(a->lead, b->lead);
    assert_int_equal(a->lead_transferee, b->lead_transferee);
    assert_int_equal(a->pending_conf_index, b->pending_conf_index);
    assert_int_equal(a->uncommitted_size, b->uncommitted_size);
    assert_int_equal(a->rand_state, b->rand_state);
    assert_int_equal(a->refused, b->refused);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->is_learner, b->is_learner);
    assert_int_equal(a->election_elapsed, b->election_elapsed);
    assert_int_equal(a->heartbeat_elapsed, b->heartbeat_elapsed);
    assert_int_equal(a->randomized_election_timeout, b->randomized_election_timeout);
    assert_int_equal(a->election_timeout, b->election_timeout);
    assert_int_equal(a->heartbeat_timeout, b->heartbeat_timeout);
    assert_int_equal(a->max_msg_size, b->max_msg_size);
    assert_int_equal(a->max_uncommitted_size, b->max_uncommitted_size);
    assert_int_equal(a->check_quorum, b->check_quorum);
    assert_int_equal(a->pre_vote, b->pre_vote);
    assert_int_equal(a->read_only.option, b->read_only.option);
    assert_int_equal(a->read_only.next_ctx, b->read_only.next_ctx);
    const rc_raft_log *la = &a->raft_log, *lb = &b->raft_log;
    assert_int_equal(la->committed, lb->committed);
    assert_int_equal(la->applying, lb->applying);
    assert_int_equal(la->applied, lb->applied);
    assert_int_equal(la->applying_ents_size, lb->applying_ents_size);
    assert_int_equal(la->applying_ents_paused, lb->applying_ents_paused);
    assert_int_equal(la->max_applying_ents_size, lb->max_applying_ents_size);
    assert_int_equal(la->unstable.offset, lb->unstable.offset);
    assert_int_equal(la->unstable.offset_in_progress, lb->unstable.offset_in_progress);
    const rc_tracker *ta = &a->trk, *tb = &b->trk;
    assert_same_majority(&ta->config.voters.incoming, &tb->config.voters.incoming);
    assert_same_majority(&ta->config.voters.outgoing, &tb->config.voters.outgoing);
    assert_same_majority(&ta->config.learners, &tb->config.learners);
    assert_same_majority(&ta->config.learners_next, &tb->config.learners_next);
    assert_int_equal(ta->config.auto_leave, tb->config.auto_leave);
    assert_int_equal(ta->progress.n, tb->progress.n);
    for (size_t i = 0; i < ta->progress.n; i++) {
        const rc_progress_entry *pa = &ta->progress.v[i], *pb = &tb->progress.v[i];
        assert_int_equal(pa->id, pb->id);
        assert_int_equal(pa->pr.match, pb->pr.match);
        assert_int_equal(pa->pr.next, pb->pr.next);
        assert_int_equal(pa->pr.sent_commit, pb->pr.sent_commit);
        assert_int_equal(pa->pr.pending_snapshot, pb->pr.pending_snapshot);
        assert_int_equal(pa->pr.state, pb->pr.state);
        assert_int_equal(pa->pr.recent_active, pb->pr.recent_active);
        assert_int_equal(pa->pr.msg_app_flow_paused, pb->pr.msg_app_flow_paused);
        assert_int_equal(pa->pr.is_learner, pb->pr.is_learner);
        assert_int_equal(pa->pr.inflights.size, pb->pr.inflights.size);
        assert_int_equal(pa->pr.inflights.max_bytes, pb->pr.inflights.max_bytes);
        assert_int_equal(rc_inflights_count(&pa->pr.inflights), 0);
        assert_int_equal(rc_inflights_count(&pb->pr.inflights), 0);
    }
    assert_int_equal(x->prev_soft_st.lead, y->prev_soft_st.lead);
    assert_int_equal(x->prev_soft_st.raft_state, y->prev_soft_st.raft_state);
    assert_true(rc_hard_state_equal(&x->prev_hard_st, &y->prev_hard_st));
    assert_int_equal(x->last_ready_busy, y->last_ready_busy);
}

static void assert_same_msgs(const rc_msgs *a, const rc_msgs *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].type, b->v[i].type);
        assert_int_equal(a->v[i].to, b->v[i].to);
        assert_int_equal(a->v[i].term, b->v[i].term);
        assert_int_equal(a->v[i].log_term, b->v[i].log_term);
        assert_int_equal(a->v[i].index, b->v[i].index);
        assert_int_equal(a->v[i].commit, b->v[i].commit);
        assert_int_equal(a->v[i].n_entries, b->v[i].n_entries);
        assert_int_equal(a->v[i].reject, b->v[i].reject);
    }
}

/* Packs rn, restores the block over the same storage and checks equality; then gives both
 * nodes the same ticks (and, for a leader, a proposal) without persisting anything, and
 * compares what they would send and their state. */
static void check_round_trip(rc_rawnode *rn, rc_memstorage *ms, int ticks)
{
    uint8_t *p = NULL;
    assert_int_equal(rc_pack_rawnode(&p, rn), RC_OK);
    printf("packed %s: %zu B\n", rn->raft->state == RC_STATE_LEADER ? "leader" : "follower",
           rc_pack_size(p));
    assert_int_equal(rc_pack_lead(p), rn->raft->lead);
    rc_config c = cfg(ms);
    rc_rawnode *back = NULL;
    assert_int_equal(rc_pack_restore(&back, &c, p), RC_OK);
    assert_same(rn, back);
    bool leader = rn->raft->state == RC_STATE_LEADER;
    for (int t = 0; t < ticks; t++) {
        assert_int_equal(rc_rawnode_tick(rn), RC_OK);
        assert_int_equal(rc_rawnode_tick(back), RC_OK);
    }
    if (leader)
        assert_int_equal(rc_rawnode_propose(rn, (const uint8_t *)"x", 1),
                         rc_rawnode_propose(back, (const uint8_t *)"x", 1));
    assert_true(rn->raft->msgs.n > 0);
    assert_same_msgs(&rn->raft->msgs, &back->raft->msgs);
    assert_same_msgs(&rn->raft->msgs_after_append, &back->raft->msgs_after_append);
    rc_hard_state ha = rc_raft_hard_state(rn->raft), hb = rc_raft_hard_state(back->raft);
    assert_true(rc_hard_state_equal(&ha, &hb));
    assert_int_equal(rn->raft->state, back->raft->state);
    assert_int_equal(rn->raft->lead, back->raft->lead);
    assert_int_equal(rc_log_last_index(&rn->raft->raft_log),
                     rc_log_last_index(&back->raft->raft_log));
    assert_int_equal(rn->raft->randomized_election_timeout,
                     back->raft->randomized_election_timeout);
    rc_rawnode_free(back);
    rc_free(p);
}

static void test_pack_leader(void **state)
{
    (void)state;
    rc_rawnode *rn;
    rc_memstorage *ms;
    make_leader(&rn, &ms);
    check_round_trip(rn, ms, 5); /* heartbeats, then the proposal's appends */
    rc_rawnode_free(rn);
    rc_memstorage_free(ms);
}

static void test_pack_follower(void **state)
{
    (void)state;
    rc_rawnode *rn;
    rc_memstorage *ms;
    make_follower(&rn, &ms);
    check_round_trip(rn, ms, 30); /* past the randomized timeout: the same pre-vote */
    rc_rawnode_free(rn);
    rc_memstorage_free(ms);
}

/* Nodes with something in flight are not packed; a damaged block is refused. */
static void test_pack_refusals(void **state)
{
    (void)state;
    rc_rawnode *rn;
    rc_memstorage *ms;
    make_leader(&rn, &ms);
    uint8_t *p = NULL;
    assert_int_equal(rc_rawnode_propose(rn, (const uint8_t *)"y", 1), RC_OK);
    assert_int_equal(rc_pack_rawnode(&p, rn), RC_ERR_STATE); /* unstable entry, messages */
    assert_null(p);
    settle(rn, ms, NULL);
    assert_int_equal(rc_pack_rawnode(&p, rn), RC_ERR_STATE); /* appends in flight */
    uint64_t last = rc_log_last_index(&rn->raft->raft_log);
    step(rn, RC_MSG_APP_RESP, 2, 2, last, 0);
    step(rn, RC_MSG_APP_RESP, 3, 2, last, 0);
    settle(rn, ms, NULL);
    assert_int_equal(rc_pack_rawnode(&p, rn), RC_OK);
    rc_config c = cfg(ms);
    rc_rawnode *back = (rc_rawnode *)1;
    size_t n = rc_pack_size(p);
    uint8_t *cut = rc_malloc(n);
    memcpy(cut, p, n);
    cut[0] = (uint8_t)(cut[0] - 1); /* the last varint of the block is cut off */
    assert_int_equal(rc_pack_restore(&back, &c, cut), RC_ERR_DECODE);
    assert_null(back);
    rc_free(cut);
    c.election_tick = 0;
    assert_int_equal(rc_pack_restore(&back, &c, p), RC_ERR_CONFIG);
    rc_free(p);
    assert_int_equal(rc_rawnode_transfer_leader(rn, 2), RC_OK); /* a transfer in progress */
    settle(rn, ms, NULL);
    assert_int_equal(rc_pack_rawnode(&p, rn), RC_ERR_STATE);
    rc_rawnode_free(rn);
    rc_memstorage_free(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_leader),
        cmocka_unit_test(test_pack_follower),
        cmocka_unit_test(test_pack_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
