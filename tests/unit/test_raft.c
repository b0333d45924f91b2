/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft.c: etcd-specific state machine behaviour beyond the paper: config validation, send()
 * term stamping, message routing, PreVote, leases, CheckQuorum, heartbeats, ReadIndex, leader
 * transfer, conf change validation, learners, async-storage guards. Deterministic (TSEED).
 */
#include "codec.h"
#include "raft_test_util.h"

static const uint64_t P3[] = {1, 2, 3};

static void test_config_validate(void **s)
{
    (void)s;
    static const struct { int mut; const char *err; } tests[] = {
        {1, "cannot use none as id"},
        {2, "cannot use local target as id"},
        {3, "heartbeat tick must be greater than 0"},
        {4, "election tick must be greater than heartbeat tick"},
        {5, "max inflight messages must be greater than 0"},
        {6, "max inflight bytes must be >= max message size"},
        {7, "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased"},
    };
    tnode *n = tn_new(1, P3, 3);
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        rc_config c = tcfg(1, 10, 1);
        c.storage.ops = &n->ops;
        c.storage.ud = n;
        switch (tests[t].mut) {
        case 1: c.id = 0; break;
        case 2: c.id = RC_LOCAL_APPLY_THREAD; break;
        case 3: c.heartbeat_tick = 0; break;
        case 4: c.election_tick = 1; break;
        case 5: c.max_inflight_msgs = 0; break;
        case 6: c.max_size_per_msg = 1024; c.max_inflight_bytes = 10; break;
        default: c.read_only_option = RC_READ_ONLY_LEASE_BASED; break;
        }
        const char *err = NULL;
        rc_raft *r = NULL;
        assert_int_equal(rc_raft_new(&r, &c, &err), RC_ERR_CONFIG);
        assert_null(r);
        assert_string_equal(err, tests[t].err);
    }
    rc_config c = tcfg(1, 10, 1);
    assert_int_equal(rc_config_validate(&c, NULL), RC_ERR_CONFIG); /* no storage */
    tn_free(n);
}

static void test_new_raft_logs(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tn_new(1, P3, 3);
    static const uint64_t terms[] = {1, 1, 2};
    tn_preload_terms(n, terms, 3);
    rc_hard_state hs = {2, 1, 2};
    rc_memstorage_set_hard_state(n->ms, &hs);
    rc_config c = tcfg(1, 10, 1);
    c.applied = 1;
    tn_start_cfg(n, c);
    assert_string_equal(rc_strbuf_str(&g_tlog.all),
                        "INFO 1 switched to configuration voters=(1 2 3)\n"
                        "INFO 1 became follower at term 2\n"
                        "INFO newRaft 1 [peers: [1,2,3], term: 2, commit: 2, applied: 1, lastindex: 3, lastterm: 2]\n");
    assert_int_equal(n->r->vote, 1);
    tn_free(n);
}

/* Invariant 3: send() stamps the term except on MsgProp/MsgReadIndex and panics otherwise. */
static void test_send_term_rules(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tn_new(1, P3, 3);
    tn_start(n, 1, 10, 1);
    rc_raft_become_follower(n->r, 5, 2);
    rc_message m = tmsg(0, 2, RC_MSG_HEARTBEAT_RESP, 0);
    assert_int_equal(rc_raft_send(n->r, &m), RC_OK);
    m = tmsg(0, 2, RC_MSG_PROP, 0);
    assert_int_equal(rc_raft_send(n->r, &m), RC_OK);
    assert_int_equal(n->r->msgs.n, 2);
    assert_int_equal(n->r->msgs.v[0].term, 5);
    assert_int_equal(n->r->msgs.v[0].from, 1);
    assert_int_equal(n->r->msgs.v[1].term, 0);
    /* MsgAppResp waits for persistence */
    m = tmsg(0, 2, RC_MSG_APP_RESP, 0);
    assert_int_equal(rc_raft_send(n->r, &m), RC_OK);
    assert_int_equal(n->r->msgs_after_append.n, 1);
    /* a vote without a term is a broken invariant */
    m = tmsg(0, 2, RC_MSG_VOTE, 0);
    assert_int_equal(rc_raft_send(n->r, &m), RC_ERR_FAILED);
    assert_true(n->r->failed);
    assert_true(tlog_has("PANIC term should be set when sending MsgVote"));
    rc_message hb = tmsg(2, 1, RC_MSG_HEARTBEAT, 5);
    assert_int_equal(rc_raft_step(n->r, &hb), RC_ERR_FAILED);
    assert_int_equal(rc_raft_tick(n->r), RC_ERR_FAILED);
    tn_free(n);

    tlog_reset();
    n = tn_new(1, P3, 3);
    tn_start(n, 1, 10, 1);
    m = tmsg(0, 2, RC_MSG_APP, 3);
    assert_int_equal(rc_raft_send(n->r, &m), RC_ERR_FAILED);
    assert_true(tlog_has("PANIC term should not be set when sending MsgApp (was 3)"));
    tn_free(n);
}

/* Followers forward proposals term-less; without a leader they drop them. */
static void test_follower_forwards_proposal(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tn_new(1, P3, 3);
    tn_start(n, 1, 10, 1);
    rc_entry e = {0, 0, RC_ENTRY_NORMAL, {(uint8_t *)"x", 1}};
    rc_message p = tmsg(1, 0, RC_MSG_PROP, 0);
    p.entries = &e;
    p.n_entries = 1;
    assert_int_equal(rc_raft_step(n->r, &p), RC_ERR_PROPOSAL_DROPPED);
    assert_true(tlog_has("1 no leader at term 0; dropping proposal"));
    rc_raft_become_follower(n->r, 2, 3);
    assert_int_equal(rc_raft_step(n->r, &p), RC_OK);
    assert_int_equal(n->r->msgs.n, 1);
    assert_int_equal(n->r->msgs.v[0].to, 3);
    assert_int_equal(n->r->msgs.v[0].term, 0);
    assert_int_equal(n->r->msgs.v[0].n_entries, 1);
    n->r->disable_proposal_forwarding = true;
    assert_int_equal(rc_raft_step(n->r, &p), RC_ERR_PROPOSAL_DROPPED);
    assert_true(tlog_has("1 not forwarding to leader 3 at term 2; dropping proposal"));
    tn_free(n);
}

static void test_single_node_commit(void **s)
{
    (void)s;
    tnet *nw = calloc(1, sizeof(*nw));
    nw->n = 1;
    nw->drop_type = -1;
    static const uint64_t p1[] = {1};
    nw->nodes[1] = tn_new(1, p1, 1);
    tn_start(nw->nodes[1], 1, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    net_propose(nw, 1, "a");
    net_propose(nw, 1, "b");
    assert_int_equal(r->raft_log.committed, 3);
    net_free(nw);
}

static void test_three_node_replication(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[2]->r->lead, 1);
    for (int i = 0; i < 5; i++)
        net_propose(nw, 1, "data");
    /* heartbeats carry the commit to the followers */
    rc_raft_tick(nw->nodes[1]->r);
    net_flush(nw);
    for (size_t i = 1; i <= 3; i++) {
        assert_int_equal(nw->nodes[i]->r->raft_log.committed, 6);
        assert_int_equal(rc_log_last_index(&nw->nodes[i]->r->raft_log), 6);
    }
    /* a proposal on a follower is forwarded */
    net_propose(nw, 2, "fwd");
    assert_int_equal(nw->nodes[1]->r->raft_log.committed, 7);
    net_free(nw);
}

/* Invariant 5: heartbeats carry min(match, committed). */
static void test_heartbeat_commit_min_match(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    nw->drop_to[3] = true;
    net_propose(nw, 1, "x");
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->raft_log.committed, 2);
    rc_raft_tick(r);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(count_type(&ms, RC_MSG_HEARTBEAT), 2);
    for (size_t i = 0; i < ms.n; i++) {
        if (ms.v[i].type != RC_MSG_HEARTBEAT)
            continue;
        assert_int_equal(ms.v[i].commit, ms.v[i].to == 2 ? 2 : 1);
    }
    rc_msgs_free(&ms);
    net_free(nw);
}

/* Invariant 1: lower-term MsgApp with CheckQuorum/PreVote gets an empty MsgAppResp. */
static void test_lower_term_app_with_check_quorum(void **s)
{
    (void)s;
    tnode *n = tn_new(1, P3, 3);
    rc_config c = tcfg(1, 10, 1);
    c.check_quorum = true;
    tn_start_cfg(n, c);
    rc_raft_become_follower(n->r, 5, 2);
    rc_message m = tmsg(3, 1, RC_MSG_APP, 4);
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_APP_RESP);
    assert_int_equal(ms.v[0].to, 3);
    assert_int_equal(ms.v[0].term, 5);
    rc_msgs_free(&ms);
    /* a lower-term PreVote is rejected with the local term */
    m = tmsg(3, 1, RC_MSG_PRE_VOTE, 4);
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    tn_read(n, &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_PRE_VOTE_RESP);
    assert_true(ms.v[0].reject);
    assert_int_equal(ms.v[0].term, 5);
    rc_msgs_free(&ms);
    tn_free(n);
}

/* Invariant 1: a higher-term vote is ignored while in lease, unless it is a transfer. */
static void test_vote_ignored_in_lease(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tn_new(1, P3, 3);
    rc_config c = tcfg(1, 10, 1);
    c.check_quorum = true;
    tn_start_cfg(n, c);
    rc_raft_become_follower(n->r, 2, 2);
    rc_message m = tmsg(3, 1, RC_MSG_VOTE, 3);
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    assert_int_equal(n->r->term, 2);
    assert_true(tlog_has("1 [logterm: 0, index: 0, vote: 0] ignored MsgVote from 3 [logterm: 0, index: 0] "
                         "at term 2: lease is not expired (remaining ticks: 10)"));
    rc_bytes_set(&m.context, "CampaignTransfer", 16);
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    assert_int_equal(n->r->term, 3);
    assert_int_equal(n->r->vote, 3);
    rc_bytes_free(&m.context);
    tn_free(n);
}

/* Invariant 2: PreVote does not bump terms; granted responses carry the message's term. */
static void test_prevote(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    for (size_t i = 1; i <= 3; i++)
        nw->nodes[i]->r->pre_vote = true;
    nw->drop_type = RC_MSG_PRE_VOTE_RESP;
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_PRE_CANDIDATE);
    assert_int_equal(r->term, 0);
    assert_int_equal(nw->nodes[2]->r->term, 0);
    assert_int_equal(nw->nodes[2]->r->vote, 0);
    nw->drop_type = -1;
    rc_raft_become_follower(r, 0, RC_NONE);
    net_campaign(nw, 1);
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_int_equal(r->term, 1);
    net_free(nw);
}

static void test_check_quorum_step_down(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new(3, 10, 1);
    for (size_t i = 1; i <= 3; i++)
        nw->nodes[i]->r->check_quorum = true;
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    nw->drop_to[2] = nw->drop_to[3] = true;
    for (int i = 0; i < 2 * 10 + 1 && r->state == RC_STATE_LEADER; i++) {
        rc_raft_tick(r);
        net_flush(nw);
    }
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_true(tlog_has("WARN 1 stepped down to follower since quorum is not active"));
    net_free(nw);
}

/* Invariant 12: ReadOnlySafe confirms through heartbeat counters; followers forward. */
static void test_read_index_safe(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    rc_entry e = {0, 0, RC_ENTRY_NORMAL, {(uint8_t *)"ctx1", 4}};
    rc_message m = tmsg(1, 1, RC_MSG_READ_INDEX, 0);
    m.entries = &e;
    m.n_entries = 1;
    rc_raft_step(r, &m);
    rc_msgs ms = {0};
    tn_read(nw->nodes[1], &ms);
    assert_int_equal(count_type(&ms, RC_MSG_HEARTBEAT), 2);
    assert_int_equal(ms.v[0].context.len, 8);
    assert_int_equal(ms.v[0].context.data[0], 1); /* counter 1, little-endian */
    assert_int_equal(r->read_states.n, 0);
    net_deliver(nw, &ms);
    assert_int_equal(r->read_states.n, 1);
    assert_int_equal(r->read_states.v[0].index, 1);
    assert_memory_equal(r->read_states.v[0].request_ctx.data, "ctx1", 4);
    rc_raft_clear_read_states(r);

    /* from a follower: forwarded, answered with MsgReadIndexResp */
    rc_raft *f = nw->nodes[2]->r;
    e.data.data = (uint8_t *)"ctx2";
    m.from = 2;
    m.to = 2;
    net_send_local(nw, 2, m);
    assert_int_equal(f->read_states.n, 1);
    assert_int_equal(f->read_states.v[0].index, 1);
    assert_memory_equal(f->read_states.v[0].request_ctx.data, "ctx2", 4);
    assert_int_equal(r->read_states.n, 0);

    /* without a quorum of acks nothing is released */
    nw->drop_to[2] = nw->drop_to[3] = true;
    m.from = 1;
    m.to = 1;
    net_send_local(nw, 1, m);
    assert_int_equal(r->read_states.n, 0);
    assert_int_equal(rc_read_only_pending_count(&r->read_only), 1);
    net_free(nw);
}

static void test_read_index_lease_based(void **s)
{
    (void)s;
    tnet *nw = calloc(1, sizeof(*nw));
    nw->n = 3;
    nw->drop_type = -1;
    for (uint64_t i = 1; i <= 3; i++) {
        nw->nodes[i] = tn_new(i, P3, 3);
        rc_config c = tcfg(i, 10, 1);
        c.check_quorum = true;
        c.read_only_option = RC_READ_ONLY_LEASE_BASED;
        tn_start_cfg(nw->nodes[i], c);
    }
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    assert_int_equal(r->state, RC_STATE_LEADER);
    rc_entry e = {0, 0, RC_ENTRY_NORMAL, {(uint8_t *)"c", 1}};
    rc_message m = tmsg(1, 1, RC_MSG_READ_INDEX, 0);
    m.entries = &e;
    m.n_entries = 1;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    assert_int_equal(r->read_states.n, 1);
    assert_int_equal(r->read_states.v[0].index, 1);
    assert_int_equal(r->msgs.n, 0);
    /* ForgetLeader is refused under lease-based reads */
    tlog_reset();
    rc_message fl = tmsg(0, 0, RC_MSG_FORGET_LEADER, 0);
    assert_int_equal(rc_raft_step(nw->nodes[2]->r, &fl), RC_OK);
    assert_int_equal(nw->nodes[2]->r->lead, 1);
    assert_true(tlog_has("ERROR ignoring MsgForgetLeader due to ReadOnlyLeaseBased"));
    net_free(nw);
}

/* Invariant 13: transfer catches up the transferee, which campaigns bypassing PreVote. */
static void test_leader_transfer(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new(3, 10, 1);
    for (size_t i = 1; i <= 3; i++)
        nw->nodes[i]->r->pre_vote = true;
    net_campaign(nw, 1);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_LEADER);
    nw->drop_to[3] = true;
    net_propose(nw, 1, "x");
    nw->drop_to[3] = false;
    /* node 3 lags: the transfer first sends appends, then MsgTimeoutNow */
    net_send_local(nw, 1, tmsg(3, 1, RC_MSG_TRANSFER_LEADER, 0));
    assert_true(tlog_has("1 [term 1] starts to transfer leadership to 3"));
    assert_true(tlog_has("1 sent MsgTimeoutNow to 3 after received MsgAppResp"));
    assert_int_equal(nw->nodes[3]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[3]->r->term, 2);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_FOLLOWER);
    net_free(nw);
}

/* Invariant 13: proposals are dropped while a transfer is in progress; timeout aborts it. */
static void test_transfer_drops_proposals_and_times_out(void **s)
{
    (void)s;
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    nw->drop_to[3] = true;
    net_send_local(nw, 1, tmsg(3, 1, RC_MSG_TRANSFER_LEADER, 0));
    assert_int_equal(r->lead_transferee, 3);
    rc_entry e = {0, 0, RC_ENTRY_NORMAL, {(uint8_t *)"x", 1}};
    rc_message p = tmsg(1, 1, RC_MSG_PROP, 0);
    p.entries = &e;
    p.n_entries = 1;
    assert_int_equal(rc_raft_step(r, &p), RC_ERR_PROPOSAL_DROPPED);
    for (int i = 0; i < 10; i++)
        rc_raft_tick(r);
    assert_int_equal(r->lead_transferee, RC_NONE);
    assert_int_equal(r->state, RC_STATE_LEADER);
    net_free(nw);
}

/* Invariant 8: a second conf change while one is pending becomes an empty EntryNormal. */
static void test_conf_change_refused_becomes_empty(void **s)
{
    (void)s;
    tlog_reset();
    tnet *nw = net_new(3, 10, 1);
    net_campaign(nw, 1);
    rc_raft *r = nw->nodes[1]->r;
    rc_cc_single ch = {RC_CC_ADD_NODE, 4};
    rc_conf_change_v2 cc = {RC_CC_TRANSITION_AUTO, &ch, 1, {NULL, 0}};
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(rc_encode_conf_change_v2(&buf, &len, &cc), RC_OK);
    rc_entry e = {0, 0, RC_ENTRY_CONF_CHANGE_V2, {buf, len}};
    rc_message p = tmsg(1, 1, RC_MSG_PROP, 0);
    p.entries = &e;
    p.n_entries = 1;
    /* the first one is accepted and becomes the pending conf index */
    assert_int_equal(rc_raft_step(r, &p), RC_OK);
    assert_int_equal(r->pending_conf_index, 2);
    /* a second one while the first is unapplied is replaced by an empty EntryNormal */
    assert_int_equal(rc_raft_step(r, &p), RC_OK);
    assert_true(tlog_has("INFO 1 ignoring conf change transition:ConfChangeTransitionAuto changes:{type:ConfChangeAddNode node_id:4} "
                         "at config voters=(1 2 3): possible unapplied conf change at index 2 (applied to 0)"));
    rc_entries all;
    all_entries(r, &all);
    assert_int_equal(all.n, 3);
    assert_int_equal(all.v[1].type, RC_ENTRY_CONF_CHANGE_V2);
    assert_int_equal(all.v[2].type, RC_ENTRY_NORMAL);
    assert_int_equal(all.v[2].data.len, 0);
    rc_entries_free(&all);
    /* once applied, a new one is accepted */
    net_flush(nw);
    assert_int_equal(r->raft_log.committed, 3);
    assert_int_equal(rc_raft_applied_to(r, 2, 0), RC_OK);
    assert_int_equal(rc_raft_step(r, &p), RC_OK);
    assert_int_equal(r->pending_conf_index, 4);
    rc_free(buf);
    net_free(nw);
}

/* Learners can't campaign but grant votes. */
static void test_learner_votes_not_campaigns(void **s)
{
    (void)s;
    tlog_reset();
    static const uint64_t p2[] = {1, 2};
    tnode *n = tn_new(3, p2, 2);
    rc_ids_push(&n->learners, 3);
    tn_start(n, 3, 10, 1);
    assert_false(rc_raft_promotable(n->r));
    rc_message hup = tmsg(3, 3, RC_MSG_HUP, 0);
    assert_int_equal(rc_raft_step(n->r, &hup), RC_OK);
    assert_int_equal(n->r->state, RC_STATE_FOLLOWER);
    assert_true(tlog_has("WARN 3 is unpromotable and can not campaign"));
    rc_message v = tmsg(1, 3, RC_MSG_VOTE, 1);
    assert_int_equal(rc_raft_step(n->r, &v), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_VOTE_RESP);
    assert_false(ms.v[0].reject);
    rc_msgs_free(&ms);
    tn_free(n);
}

/* The randomized timeout can be pinned; ticks honour it. */
static void test_pinned_election_timeout(void **s)
{
    (void)s;
    tnode *n = tn_new(1, P3, 3);
    tn_start(n, 1, 10, 1);
    rc_raft_set_randomized_election_timeout(n->r, 12);
    for (int i = 0; i < 11; i++)
        rc_raft_tick(n->r);
    assert_int_equal(n->r->state, RC_STATE_FOLLOWER);
    rc_raft_tick(n->r);
    assert_int_equal(n->r->state, RC_STATE_CANDIDATE);
    tn_free(n);
}

/* Invariant 10: a lower-term MsgStorageAppendResp does not mark entries stable. */
static void test_storage_append_resp_term_guard(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tn_new(1, P3, 3);
    tn_start(n, 1, 10, 1);
    rc_raft_become_follower(n->r, 2, 2);
    rc_entry e = {1, 1, RC_ENTRY_NORMAL, {NULL, 0}};
    rc_message app = tmsg(2, 1, RC_MSG_APP, 2);
    app.entries = &e;
    app.n_entries = 1;
    assert_int_equal(rc_raft_step(n->r, &app), RC_OK);
    rc_raft_become_follower(n->r, 3, 2);
    rc_message resp = tmsg(RC_LOCAL_APPEND_THREAD, 1, RC_MSG_STORAGE_APPEND_RESP, 2);
    resp.index = 1;
    resp.log_term = 1;
    assert_int_equal(rc_raft_step(n->r, &resp), RC_OK);
    const rc_entry *u;
    size_t k;
    rc_log_next_unstable_ents(&n->r->raft_log, &u, &k);
    assert_int_equal(k, 1);
    assert_true(tlog_has("ignored entry appends from a MsgStorageAppendResp message with lower term"));
    resp.term = 3;
    assert_int_equal(rc_raft_step(n->r, &resp), RC_OK);
    assert_int_equal(n->r->raft_log.unstable.entries.n, 0);
    tn_free(n);
}

/* Invariant 4: MsgApp below the commit index is acked at the commit index. */
static void test_app_below_commit_acks_commit(void **s)
{
    (void)s;
    tnode *n = tn_new(1, P3, 3);
    static const uint64_t terms[] = {1, 1, 1};
    tn_preload_terms(n, terms, 3);
    rc_hard_state hs = {1, 0, 3};
    rc_memstorage_set_hard_state(n->ms, &hs);
    tn_start(n, 1, 10, 1);
    rc_raft_become_follower(n->r, 1, 2);
    rc_message m = tmsg(2, 1, RC_MSG_APP, 1);
    m.index = 1;
    m.log_term = 1;
    assert_int_equal(rc_raft_step(n->r, &m), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    assert_int_equal(ms.n, 1);
    assert_false(ms.v[0].reject);
    assert_int_equal(ms.v[0].index, 3);
    rc_msgs_free(&ms);
    tn_free(n);
}

int main(void)
{
    printf("test_raft: seed 0x%llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_validate),
        cmocka_unit_test(test_new_raft_logs),
        cmocka_unit_test(test_send_term_rules),
        cmocka_unit_test(test_follower_forwards_proposal),
        cmocka_unit_test(test_single_node_commit),
        cmocka_unit_test(test_three_node_replication),
        cmocka_unit_test(test_heartbeat_commit_min_match),
        cmocka_unit_test(test_lower_term_app_with_check_quorum),
        cmocka_unit_test(test_vote_ignored_in_lease),
        cmocka_unit_test(test_prevote),
        cmocka_unit_test(test_check_quorum_step_down),
        cmocka_unit_test(test_read_index_safe),
        cmocka_unit_test(test_read_index_lease_based),
        cmocka_unit_test(test_leader_transfer),
        cmocka_unit_test(test_transfer_drops_proposals_and_times_out),
        cmocka_unit_test(test_conf_change_refused_becomes_empty),
        cmocka_unit_test(test_learner_votes_not_campaigns),
        cmocka_unit_test(test_pinned_election_timeout),
        cmocka_unit_test(test_storage_append_resp_term_guard),
        cmocka_unit_test(test_app_below_commit_acks_commit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
