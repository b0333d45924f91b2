/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_transfer.c: leadership transfer (invariant 13): MsgTimeoutNow at once to an
 * up-to-date transferee or after catch-up, the refusals (learner, non-member, self), the
 * election-timeout abort, repeated and redirected transfers, dropped proposals, removal of
 * the transferee, forwarding, and MsgTimeoutNow bypassing PreVote and leases.
 * Deterministic (TSEED).
 */
#include "raft_test_util.h"

static void prevote_cq(rc_config *c)
{
    c->pre_vote = true;
    c->check_quorum = true;
}

static rc_message transfer_msg(uint64_t transferee, uint64_t to)
{
    return tmsg(transferee, to, RC_MSG_TRANSFER_LEADER, 0);
}

/* Steps a local MsgTransferLeader for transferee into the leader r. */
static int step_transfer(rc_raft *r, uint64_t transferee)
{
    rc_message m = transfer_msg(transferee, r->id);
    return rc_raft_step(r, &m);
}

/* A 3-node cluster led by 1 at term 1 in which 3 is cut off (drop_to) and one entry behind. */
static tnet *net_with_lagging_3(void)
{
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    nw->drop_to[3] = true;
    net_propose(nw, 1, "x");
    return nw;
}

typedef struct recorder {
    rc_msgs got;
} recorder;

static bool record_all(const rc_message *m, void *ud)
{
    recorder *rec = ud;
    rc_message c;
    assert_int_equal(rc_message_copy(&c, m), RC_OK);
    rc_msgs_push(&rec->got, &c);
    return false;
}

/* Up-to-date transferee: MsgTimeoutNow right away; the transferee campaigns at once with
 * MsgVote (no PreVote) carrying CampaignTransfer, which voters in lease still honour. */
static void test_transfer_up_to_date(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new_ex(3, 0, 10, 1, prevote_cq);
    net_campaign(nw, 1);
    net_propose(nw, 1, "x");
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[3]->r->lead, 1); /* 3 is in lease */

    assert_int_equal(step_transfer(r, 2), RC_OK);
    assert_int_equal(r->lead_transferee, 2);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_TIMEOUT_NOW);
    assert_int_equal(ms.v[0].to, 2);
    assert_int_equal(ms.v[0].term, 1);
    assert_true(tlog_has("INFO 1 [term 1] starts to transfer leadership to 2"));
    assert_true(tlog_has("INFO 1 sends MsgTimeoutNow to 2 immediately as 2 already has up-to-date log"));

    recorder rec = {{0}};
    nw->filter = record_all;
    nw->filter_ud = &rec;
    net_deliver(nw, &ms);
    assert_int_equal(count_type(&rec.got, RC_MSG_PRE_VOTE), 0);
    const rc_message *v = find_msg(&rec.got, RC_MSG_VOTE, 3);
    assert_non_null(v);
    assert_int_equal(v->term, 2);
    assert_int_equal(v->context.len, strlen("CampaignTransfer"));
    assert_memory_equal(v->context.data, "CampaignTransfer", v->context.len);
    assert_true(tlog_has("INFO 2 [term 1] received MsgTimeoutNow from 1 and starts an election to get leadership."));
    assert_int_equal(nw->nodes[2]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[2]->r->term, 2);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_int_equal(r->lead, 2);
    assert_int_equal(r->lead_transferee, RC_NONE);
    rc_msgs_free(&rec.got);
    net_free(nw);
}

/* A lagging transferee is caught up first; MsgTimeoutNow follows its MsgAppResp. */
static void test_transfer_to_lagging_follower(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_with_lagging_3();
    rc_raft *r = nw->nodes[1]->r;
    net_propose(nw, 1, "y");
    nw->drop_to[3] = false;
    assert_int_equal(rc_log_last_index(&r->raft_log), 3);
    assert_int_equal(rc_progress_map_get(&r->trk.progress, 3)->match, 1);

    assert_int_equal(step_transfer(r, 3), RC_OK);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(count_type(&ms, RC_MSG_TIMEOUT_NOW), 0);
    assert_non_null(find_msg(&ms, RC_MSG_APP, 3));
    assert_int_equal(r->lead_transferee, 3);

    recorder rec = {{0}};
    nw->filter = record_all;
    nw->filter_ud = &rec;
    net_deliver(nw, &ms);
    /* the MsgTimeoutNow went out only once 3 acked the leader's last index */
    size_t i_to = rec.got.n, i_ack = rec.got.n;
    for (size_t i = 0; i < rec.got.n; i++) {
        const rc_message *m = &rec.got.v[i];
        if (m->type == RC_MSG_TIMEOUT_NOW && i_to == rec.got.n)
            i_to = i;
        if (m->type == RC_MSG_APP_RESP && m->from == 3 && !m->reject && m->index == 3 && i_ack == rec.got.n)
            i_ack = i;
    }
    assert_true(i_ack < i_to);
    assert_true(i_to < rec.got.n);
    assert_true(tlog_has("INFO 1 sent MsgTimeoutNow to 3 after received MsgAppResp"));
    assert_int_equal(nw->nodes[3]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[3]->r->term, 2);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    rc_msgs_free(&rec.got);
    net_free(nw);
}

/* Learners, non-members and the leader itself are refused without side effects. */
static void test_transfer_refused(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new_ex(3, 1, 10, 1, NULL);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    static const struct { uint64_t from; const char *log; } tests[] = {
        {4, "DEBUG 1 is learner. Ignored transferring leadership"},
        {9, "DEBUG 1 no progress available for 9"},
        {1, "DEBUG 1 is already leader. Ignored transferring leadership to self"},
    };
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        tlog_reset();
        assert_int_equal(step_transfer(r, tests[i].from), RC_OK);
        assert_true(tlog_has(tests[i].log));
        assert_false(tlog_has("starts to transfer leadership"));
        assert_int_equal(r->lead_transferee, RC_NONE);
        assert_int_equal(r->msgs.n, 0);
        assert_int_equal(r->state, RC_STATE_LEADER);
    }
    assert_int_equal(tn_propose(r, "ok"), RC_OK);
    net_free(nw);
}

/* No progress within an election timeout: the transfer is aborted, proposals flow again. */
static void test_transfer_timeout(void **s)
{
    (void)s;
    tnet *nw = net_with_lagging_3();
    rc_raft *r = nw->nodes[1]->r;
    for (int i = 0; i < 3; i++)
        assert_int_equal(rc_raft_tick(r), RC_OK); /* elapsed is reset by the transfer */
    net_flush(nw);
    net_send_local(nw, 1, transfer_msg(3, 1));
    assert_int_equal(r->lead_transferee, 3);
    assert_int_equal(r->election_elapsed, 0);
    net_tick(nw, 1, 9);
    assert_int_equal(r->lead_transferee, 3);
    uint64_t last = rc_log_last_index(&r->raft_log);
    assert_int_equal(tn_propose(r, "dropped"), RC_ERR_PROPOSAL_DROPPED);
    assert_int_equal(rc_log_last_index(&r->raft_log), last);
    net_tick(nw, 1, 1);
    assert_int_equal(r->lead_transferee, RC_NONE);
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(r->term, 1);
    assert_int_equal(tn_propose(r, "accepted"), RC_OK);
    assert_int_equal(rc_log_last_index(&r->raft_log), last + 1);
    net_free(nw);
}

/* A second request for the same transferee is ignored and does not extend the deadline. */
static void test_transfer_same_node_twice(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_with_lagging_3();
    rc_raft *r = nw->nodes[1]->r;
    net_send_local(nw, 1, transfer_msg(3, 1));
    net_tick(nw, 1, 5);
    tlog_reset();
    net_send_local(nw, 1, transfer_msg(3, 1));
    assert_true(tlog_has("INFO 1 [term 1] transfer leadership to 3 is in progress, ignores request to same node 3"));
    assert_false(tlog_has("starts to transfer"));
    assert_int_equal(r->election_elapsed, 5);
    net_tick(nw, 1, 4);
    assert_int_equal(r->lead_transferee, 3);
    net_tick(nw, 1, 1);
    assert_int_equal(r->lead_transferee, RC_NONE);
    net_free(nw);
}

/* A request for another node aborts the first transfer and starts the new one. */
static void test_transfer_redirected(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_with_lagging_3();
    rc_raft *r = nw->nodes[1]->r;
    net_send_local(nw, 1, transfer_msg(3, 1));
    assert_int_equal(r->lead_transferee, 3);
    assert_int_equal(step_transfer(r, 2), RC_OK);
    assert_true(tlog_has("INFO 1 [term 1] abort previous transferring leadership to 3"));
    assert_true(tlog_has("INFO 1 [term 1] starts to transfer leadership to 2"));
    assert_int_equal(r->lead_transferee, 2);
    assert_int_equal(r->msgs.n, 1);
    assert_int_equal(r->msgs.v[0].type, RC_MSG_TIMEOUT_NOW);
    assert_int_equal(r->msgs.v[0].to, 2);
    net_flush(nw);
    assert_int_equal(nw->nodes[2]->r->state, RC_STATE_LEADER);
    net_free(nw);
}

/* While a transfer runs, local and forwarded proposals are dropped. */
static void test_transfer_drops_proposals(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_with_lagging_3();
    rc_raft *r = nw->nodes[1]->r;
    net_send_local(nw, 1, transfer_msg(3, 1));
    uint64_t last = rc_log_last_index(&r->raft_log);
    assert_int_equal(tn_propose(r, "p1"), RC_ERR_PROPOSAL_DROPPED);
    assert_true(tlog_has("DEBUG 1 [term 1] transfer leadership to 3 is in progress; dropping proposal"));
    net_propose(nw, 2, "p2"); /* forwarded by 2, dropped by the leader */
    assert_int_equal(rc_log_last_index(&r->raft_log), last);
    assert_int_equal(rc_log_last_index(&nw->nodes[2]->r->raft_log), last);
    net_free(nw);
}

/* Applying a conf change that removes the transferee aborts the transfer. */
static void test_transfer_transferee_removed(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    nw->drop_to[3] = true;
    rc_conf_change cc = {0, RC_CC_REMOVE_NODE, 3, {NULL, 0}};
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(rc_encode_conf_change(&buf, &len, &cc), RC_OK);
    rc_entry e = {0, 0, RC_ENTRY_CONF_CHANGE, {buf, len}};
    rc_message p = tmsg(1, 1, RC_MSG_PROP, 0);
    p.entries = &e;
    p.n_entries = 1;
    net_send_local(nw, 1, p);
    assert_int_equal(r->raft_log.committed, 2);
    net_send_local(nw, 1, transfer_msg(3, 1));
    assert_int_equal(r->lead_transferee, 3);
    assert_int_equal(tn_apply(nw->nodes[1]), 2);
    assert_null(rc_progress_map_get(&r->trk.progress, 3));
    assert_int_equal(r->lead_transferee, RC_NONE);
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(tn_propose(r, "after"), RC_OK);
    rc_free(buf);
    net_free(nw);
}

/* Followers forward MsgTransferLeader (transferee in From) to the leader; without a leader
 * they drop it. */
static void test_transfer_forwarded(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new(3, 10, 1);
    rc_message m = transfer_msg(3, 0);
    assert_int_equal(rc_raft_step(nw->nodes[2]->r, &m), RC_OK);
    assert_int_equal(nw->nodes[2]->r->msgs.n, 0);
    assert_true(tlog_has("INFO 2 no leader at term 0; dropping leader transfer msg"));

    net_campaign(nw, 1);
    rc_raft *f = nw->nodes[2]->r;
    assert_int_equal(rc_raft_step(f, &m), RC_OK);
    assert_int_equal(f->msgs.n, 1);
    assert_int_equal(f->msgs.v[0].type, RC_MSG_TRANSFER_LEADER);
    assert_int_equal(f->msgs.v[0].from, 3);
    assert_int_equal(f->msgs.v[0].to, 1);
    net_flush(nw);
    assert_int_equal(nw->nodes[3]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_FOLLOWER);
    net_free(nw);
}

/* Candidates ignore MsgTimeoutNow; a learner cannot act on it. */
static void test_timeout_now_ignored(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new_ex(2, 1, 10, 1, NULL);
    nw->drop_to[2] = true;
    net_campaign(nw, 1);
    rc_raft *c = nw->nodes[1]->r;
    assert_int_equal(c->state, RC_STATE_CANDIDATE);
    rc_message tn = tmsg(2, 1, RC_MSG_TIMEOUT_NOW, 1);
    assert_int_equal(rc_raft_step(c, &tn), RC_OK);
    assert_int_equal(c->state, RC_STATE_CANDIDATE);
    assert_int_equal(c->term, 1);
    assert_true(tlog_has("DEBUG 1 [term 1 state StateCandidate] ignored MsgTimeoutNow from 2"));

    rc_raft *l = nw->nodes[3]->r;
    tn = tmsg(1, 3, RC_MSG_TIMEOUT_NOW, 0);
    assert_int_equal(rc_raft_step(l, &tn), RC_OK);
    assert_int_equal(l->state, RC_STATE_FOLLOWER);
    assert_int_equal(l->term, 0);
    assert_true(tlog_has("WARN 3 is unpromotable and can not campaign"));
    net_free(nw);
}

int main(void)
{
    printf("seed %#llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transfer_up_to_date),
        cmocka_unit_test(test_transfer_to_lagging_follower),
        cmocka_unit_test(test_transfer_refused),
        cmocka_unit_test(test_transfer_timeout),
        cmocka_unit_test(test_transfer_same_node_twice),
        cmocka_unit_test(test_transfer_redirected),
        cmocka_unit_test(test_transfer_drops_proposals),
        cmocka_unit_test(test_transfer_transferee_removed),
        cmocka_unit_test(test_transfer_forwarded),
        cmocka_unit_test(test_timeout_now_ignored),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
