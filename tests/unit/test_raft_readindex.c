/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_readindex.c: ReadIndex on the raft state machine (invariant 12): ReadOnlySafe
 * confirmation through v3.7 heartbeat counters (learners, stale acks, duplicates), requests
 * held by a new leader until it commits in its term, forwarding from followers, the
 * single-voter fast path, and ReadOnlyLeaseBased. Deterministic (TSEED).
 */
#include "raft_test_util.h"

static void lease_based(rc_config *c)
{
    c->check_quorum = true;
    c->read_only_option = RC_READ_ONLY_LEASE_BASED;
}

static uint64_t ctx_of(const rc_message *m)
{
    uint64_t v = 0;
    assert_true(rc_read_only_decode_ctx(&m->context, &v));
    return v;
}

static rc_message hb_resp(uint64_t from, uint64_t term, uint64_t ctx)
{
    static uint8_t buf[RC_READ_ONLY_CTX_LEN];
    rc_read_only_encode_ctx(buf, ctx);
    rc_message m = tmsg(from, 1, RC_MSG_HEARTBEAT_RESP, term);
    m.context.data = buf;
    m.context.len = sizeof(buf);
    return m;
}

/* A filter that records copies of every message of one type and drops nothing. */
typedef struct recorder {
    rc_msg_type type;
    rc_msgs got;
} recorder;

static bool record(const rc_message *m, void *ud)
{
    recorder *rec = ud;
    if (m->type == rec->type) {
        rc_message c;
        assert_int_equal(rc_message_copy(&c, m), RC_OK);
        rc_msgs_push(&rec->got, &c);
    }
    return false;
}

static bool drop_to_3(const rc_message *m, void *ud)
{
    (void)ud;
    return m->to == 3;
}

/* Learners get the heartbeat and ack it, but only voter acks form the quorum. */
static void test_safe_with_learner(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 1, 10, 1, NULL);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_true(nw->nodes[4]->r->is_learner);

    rc_message m = read_index_msg(0, 0, "a");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(ms.n, 3);
    for (uint64_t id = 2; id <= 4; id++) {
        const rc_message *hb = find_msg(&ms, RC_MSG_HEARTBEAT, id);
        assert_non_null(hb);
        assert_int_equal(ctx_of(hb), 1);
    }
    /* voter 3 is cut off: 1 (self) + 2 are a quorum of {1,2,3} */
    nw->filter = drop_to_3;
    net_deliver(nw, &ms);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 1, "a"));
    rc_raft_clear_read_states(r);

    /* only the learner answers: self + learner is no quorum */
    nw->filter = NULL;
    nw->drop_to[2] = nw->drop_to[3] = true;
    m = read_index_msg(0, 0, "b");
    net_send_local(nw, 1, m);
    assert_int_equal(r->read_states.n, 0);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 1);
    /* the next heartbeat round carries the pending counter; voter 2's ack releases it */
    nw->drop_to[2] = false;
    recorder rec = {RC_MSG_HEARTBEAT, {0}};
    nw->filter = record;
    nw->filter_ud = &rec;
    net_tick(nw, 1, 1);
    assert_non_null(find_msg(&rec.got, RC_MSG_HEARTBEAT, 2));
    assert_int_equal(ctx_of(find_msg(&rec.got, RC_MSG_HEARTBEAT, 2)), 2);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 1, "b"));
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 0);
    rc_msgs_free(&rec.got);
    net_free(nw);
}

/* A new leader queues reads (local and forwarded) until it commits an entry of its term, then
 * serves them at the new commit index. */
static void test_new_leader_holds_reads(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    net_propose(nw, 1, "x");
    assert_int_equal(nw->nodes[1]->r->raft_log.committed, 2);
    assert_int_equal(nw->nodes[2]->r->raft_log.committed, 2);

    nw->drop_type = RC_MSG_APP;
    net_campaign(nw, 2);
    rc_raft *r = nw->nodes[2]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(r->term, 2);
    assert_int_equal(r->raft_log.committed, 2); /* index 3 (term 2) is not committed */
    assert_false(rc_raft_committed_entry_in_current_term(r));

    rc_message m = read_index_msg(0, 0, "r2");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->msgs.n, 0); /* no heartbeat round yet */
    assert_int_equal(r->pending_read_index_messages.n, 1);

    /* heartbeats meanwhile carry no read context (and tell 3 who leads) */
    assert_int_equal(rc_raft_tick(r), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[2], &ms);
    const rc_message *hb = find_msg(&ms, RC_MSG_HEARTBEAT, 3);
    assert_non_null(hb);
    assert_int_equal(hb->context.len, 0);
    net_deliver(nw, &ms);
    assert_int_equal(r->read_states.n, 0);
    assert_int_equal(nw->nodes[3]->r->lead, 2);

    m = read_index_msg(0, 0, "r3");
    net_send_local(nw, 3, m); /* forwarded by 3 to the new leader */
    assert_int_equal(r->pending_read_index_messages.n, 2);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 0);
    assert_int_equal(nw->nodes[3]->r->read_states.n, 0);

    /* once replication works, the commit of index 3 releases both */
    nw->drop_type = -1;
    net_tick(nw, 2, 1);
    assert_int_equal(r->raft_log.committed, 3);
    assert_int_equal(r->pending_read_index_messages.n, 0);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 3, "r2"));
    assert_int_equal(nw->nodes[3]->r->read_states.n, 1);
    assert_true(rs_is(nw->nodes[3]->r, 0, 3, "r3"));
    net_free(nw);
}

/* Same, driving the leader by hand: the release happens in the MsgAppResp that commits. */
static void test_release_on_first_commit(void **s)
{
    (void)s;
    tnode *n = tleader_new(3, NULL);
    rc_raft *r = n->r;
    assert_int_equal(r->raft_log.committed, 0);
    rc_message m = read_index_msg(0, 0, "q");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->pending_read_index_messages.n, 1);
    rc_message ack = tmsg(2, 1, RC_MSG_APP_RESP, 1);
    ack.index = 1;
    assert_int_equal(rc_raft_step(r, &ack), RC_OK);
    assert_int_equal(r->raft_log.committed, 1);
    assert_int_equal(r->pending_read_index_messages.n, 0);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_HEARTBEAT, 2), 1);
    assert_int_equal(count_msgs(&ms, RC_MSG_HEARTBEAT, 3), 1);
    assert_int_equal(ctx_of(find_msg(&ms, RC_MSG_HEARTBEAT, 3)), 1);
    rc_msgs_free(&ms);
    rc_message ar = hb_resp(3, 1, 1);
    assert_int_equal(rc_raft_step(r, &ar), RC_OK);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 1, "q"));
    tn_free(n);
}

/* v3.7 no longer deduplicates by request context: each request gets its own counter. */
static void test_duplicate_requests(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    rc_msgs ms = {0};
    for (int i = 0; i < 2; i++) {
        rc_message m = read_index_msg(0, 0, "dup");
        assert_int_equal(rc_raft_step(r, &m), RC_OK);
    }
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_HEARTBEAT, 2), 2);
    assert_int_equal(ctx_of(&ms.v[0]), 1);
    assert_int_equal(ctx_of(&ms.v[2]), 2);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 2);
    net_deliver(nw, &ms);
    assert_int_equal(r->read_states.n, 2);
    assert_true(rs_is(r, 0, 1, "dup"));
    assert_true(rs_is(r, 1, 1, "dup"));
    net_free(nw);
}

/* Followers forward to the leader (From = the follower, term-less) and get MsgReadIndexResp
 * back, which becomes a ReadState on the follower. */
static void test_follower_forwards(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new(3, 10, 1);
    /* no leader yet: dropped */
    rc_message m = read_index_msg(0, 0, "f");
    assert_int_equal(rc_raft_step(nw->nodes[2]->r, &m), RC_OK);
    assert_int_equal(nw->nodes[2]->r->msgs.n, 0);
    assert_true(tlog_has("INFO 2 no leader at term 0; dropping index reading msg"));

    net_campaign(nw, 1);
    net_propose(nw, 1, "v");
    rc_raft *f = nw->nodes[2]->r;
    m = read_index_msg(0, 0, "f");
    assert_int_equal(rc_raft_step(f, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[2], &ms);
    assert_int_equal(ms.n, 1);
    const rc_message *fw = &ms.v[0];
    assert_int_equal(fw->type, RC_MSG_READ_INDEX);
    assert_int_equal(fw->from, 2);
    assert_int_equal(fw->to, 1);
    assert_int_equal(fw->term, 0);
    assert_int_equal(fw->n_entries, 1);
    assert_memory_equal(fw->entries[0].data.data, "f", 1);

    recorder rec = {RC_MSG_READ_INDEX_RESP, {0}};
    nw->filter = record;
    nw->filter_ud = &rec;
    net_deliver(nw, &ms);
    assert_int_equal(rec.got.n, 1);
    const rc_message *resp = &rec.got.v[0];
    assert_int_equal(resp->from, 1);
    assert_int_equal(resp->to, 2);
    assert_int_equal(resp->term, 1);
    assert_int_equal(resp->index, 2);
    assert_int_equal(resp->n_entries, 1);
    assert_memory_equal(resp->entries[0].data.data, "f", 1);
    assert_int_equal(f->read_states.n, 1);
    assert_true(rs_is(f, 0, 2, "f"));
    assert_int_equal(nw->nodes[1]->r->read_states.n, 0);
    rc_msgs_free(&rec.got);

    /* a malformed MsgReadIndexResp is refused */
    rc_message bad = tmsg(1, 2, RC_MSG_READ_INDEX_RESP, 1);
    bad.index = 9;
    assert_int_equal(rc_raft_step(f, &bad), RC_OK);
    assert_int_equal(f->read_states.n, 1);
    assert_true(tlog_has("ERROR 2 invalid format of MsgReadIndexResp from 1, entries count: 0"));
    net_free(nw);
}

/* A single voter (learners do not count) answers at once, even before committing in its term. */
static void test_single_voter_immediate(void **s)
{
    (void)s;
    static const uint64_t one[] = {1};
    tnode *n = tn_new(1, one, 1);
    rc_ids_push(&n->learners, 2);
    tn_start(n, 1, 10, 1);
    rc_raft *r = n->r;
    rc_raft_become_candidate(r);
    assert_int_equal(rc_raft_become_leader(r), RC_OK);
    assert_int_equal(r->raft_log.committed, 0);
    rc_message m = read_index_msg(0, 0, "s");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->msgs.n, 0);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 0, "s"));
    rc_raft_clear_read_states(r);

    rc_msgs ms = {0};
    tn_read(n, &ms); /* self-ack commits index 1 */
    rc_msgs_free(&ms);
    assert_int_equal(r->raft_log.committed, 1);
    /* a request from the learner is answered directly */
    m = read_index_msg(2, 1, "l");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->read_states.n, 0);
    assert_int_equal(r->msgs.n, 1);
    assert_int_equal(r->msgs.v[0].type, RC_MSG_READ_INDEX_RESP);
    assert_int_equal(r->msgs.v[0].to, 2);
    assert_int_equal(r->msgs.v[0].index, 1);
    tn_free(n);
}

/* Heartbeat contexts are 8-byte little-endian counters; followers echo any context verbatim;
 * MsgBeat carries the newest pending counter, and nothing once all are served. */
static void test_heartbeat_ctx_counter(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    r->read_only.next_ctx = 0x0102030405060707ULL;
    nw->drop_to[2] = nw->drop_to[3] = true;
    rc_message m = read_index_msg(0, 0, "c");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    static const uint8_t want[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    assert_int_equal(ms.v[0].context.len, 8);
    assert_memory_equal(ms.v[0].context.data, want, 8);
    net_deliver(nw, &ms);

    rc_message beat = tmsg(1, 1, RC_MSG_BEAT, 0);
    assert_int_equal(rc_raft_step(r, &beat), RC_OK);
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(count_type(&ms, RC_MSG_HEARTBEAT), 2);
    assert_memory_equal(ms.v[1].context.data, want, 8);
    nw->drop_to[2] = nw->drop_to[3] = false;
    net_deliver(nw, &ms);
    assert_true(rs_is(r, 0, 1, "c"));
    assert_int_equal(rc_raft_step(r, &beat), RC_OK);
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(ms.v[0].type, RC_MSG_HEARTBEAT);
    assert_int_equal(ms.v[0].context.len, 0);
    rc_msgs_free(&ms);

    /* the follower side echoes whatever context it gets */
    rc_raft *f = nw->nodes[2]->r;
    static uint8_t odd[3] = {0xde, 0xad, 0x01};
    rc_message hb = tmsg(1, 2, RC_MSG_HEARTBEAT, 1);
    hb.context.data = odd;
    hb.context.len = sizeof(odd);
    assert_int_equal(rc_raft_step(f, &hb), RC_OK);
    tn_read(nw->nodes[2], &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_HEARTBEAT_RESP);
    assert_int_equal(ms.v[0].context.len, 3);
    assert_memory_equal(ms.v[0].context.data, odd, 3);
    rc_msgs_free(&ms);
    net_free(nw);
}

/* An ack of an older counter confirms only the requests at or below it. */
static void test_stale_ack_does_not_confirm_newer(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    rc_msgs ms = {0};
    rc_message m = read_index_msg(0, 0, "A");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    m = read_index_msg(0, 0, "B");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    tn_read(nw->nodes[1], &ms);
    rc_msgs_free(&ms); /* the heartbeats are "in flight"; we answer by hand */

    static uint8_t short_ctx[3] = {2, 0, 0};
    rc_message bogus = tmsg(2, 1, RC_MSG_HEARTBEAT_RESP, 1);
    bogus.context.data = short_ctx;
    bogus.context.len = 3;
    assert_int_equal(rc_raft_step(r, &bogus), RC_OK);
    assert_int_equal(r->read_states.n, 0);

    rc_message a = hb_resp(2, 1, 1);
    assert_int_equal(rc_raft_step(r, &a), RC_OK);
    assert_int_equal(r->read_states.n, 1);
    assert_true(rs_is(r, 0, 1, "A"));
    a = hb_resp(3, 1, 1);
    assert_int_equal(rc_raft_step(r, &a), RC_OK);
    assert_int_equal(r->read_states.n, 1);
    /* a repeated old ack from 2 does not help either */
    a = hb_resp(2, 1, 1);
    assert_int_equal(rc_raft_step(r, &a), RC_OK);
    assert_int_equal(r->read_states.n, 1);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 1);
    a = hb_resp(3, 1, 2);
    assert_int_equal(rc_raft_step(r, &a), RC_OK);
    assert_int_equal(r->read_states.n, 2);
    assert_true(rs_is(r, 1, 1, "B"));
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 0);
    net_free(nw);
}

/* Lease-based: answered from the leader's commit with no heartbeat round; still held by a new
 * leader until it commits in its term. */
static void test_lease_based(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, lease_based);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    net_propose(nw, 1, "v");
    rc_message m = read_index_msg(0, 0, "l");
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->msgs.n, 0);
    assert_true(rs_is(r, 0, 2, "l"));

    /* forwarded from a follower: the leader answers at once */
    m = read_index_msg(0, 0, "lf");
    assert_int_equal(rc_raft_step(nw->nodes[3]->r, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[3], &ms);
    assert_int_equal(rc_raft_step(r, &ms.v[0]), RC_OK);
    rc_msgs_free(&ms);
    assert_int_equal(r->msgs.n, 1);
    assert_int_equal(r->msgs.v[0].type, RC_MSG_READ_INDEX_RESP);
    assert_int_equal(r->msgs.v[0].to, 3);
    assert_int_equal(r->msgs.v[0].index, 2);
    net_flush(nw);
    assert_true(rs_is(nw->nodes[3]->r, 0, 2, "lf"));
    net_free(nw);

    tnode *n = tleader_new(3, lease_based);
    m = read_index_msg(0, 0, "h");
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    assert_int_equal(n->r->read_states.n, 0);
    assert_int_equal(n->r->pending_read_index_messages.n, 1);
    rc_message ack = tmsg(2, 1, RC_MSG_APP_RESP, 1);
    ack.index = 1;
    assert_int_equal(rc_raft_step(n->r, &ack), RC_OK);
    assert_true(rs_is(n->r, 0, 1, "h"));
    tn_free(n);
}

/* Stepping down drops the pending requests (readOnly is reset). */
static void test_step_down_drops_pending(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    nw->drop_to[2] = nw->drop_to[3] = true;
    net_send_local(nw, 1, read_index_msg(0, 0, "gone"));
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 1);
    rc_message hb = tmsg(2, 1, RC_MSG_HEARTBEAT, 5);
    assert_int_equal(rc_raft_step(r, &hb), RC_OK);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 0);
    rc_message late = hb_resp(2, 5, 1);
    assert_int_equal(rc_raft_step(r, &late), RC_OK);
    assert_int_equal(r->read_states.n, 0);
    net_free(nw);
}

int main(void)
{
    printf("seed %#llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_with_learner),
        cmocka_unit_test(test_new_leader_holds_reads),
        cmocka_unit_test(test_release_on_first_commit),
        cmocka_unit_test(test_duplicate_requests),
        cmocka_unit_test(test_follower_forwards),
        cmocka_unit_test(test_single_voter_immediate),
        cmocka_unit_test(test_heartbeat_ctx_counter),
        cmocka_unit_test(test_stale_ack_does_not_confirm_newer),
        cmocka_unit_test(test_lease_based),
        cmocka_unit_test(test_step_down_drops_pending),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
