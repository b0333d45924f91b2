/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_flow.c: the leader's flow control (invariants 5, 7, 11, 15): the uncommitted-size
 * quota, MaxSizePerMsg paging, the inflight window by count and by bytes, probing one message
 * per heartbeat, ReportUnreachable, snapshots for compacted followers (RecentActive,
 * ErrSnapshotTemporarilyUnavailable, ReportSnapshot) and MaxCommittedSizePerReady paging.
 * The leader is driven by hand; its followers are played by the test. Deterministic (TSEED).
 */
#include "raft_test_util.h"

#define DATA10 "0123456789"

static rc_progress *prog(rc_raft *r, uint64_t id) { return rc_progress_map_get(&r->trk.progress, id); }

static void app_resp(rc_raft *r, uint64_t from, uint64_t index)
{
    rc_message m = tmsg(from, r->id, RC_MSG_APP_RESP, r->term);
    m.index = index;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
}

static void app_reject(rc_raft *r, uint64_t from, uint64_t index, uint64_t hint, uint64_t log_term)
{
    rc_message m = tmsg(from, r->id, RC_MSG_APP_RESP, r->term);
    m.index = index;
    m.reject = true;
    m.reject_hint = hint;
    m.log_term = log_term;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
}

static void local(rc_raft *r, uint64_t from, rc_msg_type t, bool reject)
{
    rc_message m = tmsg(from, r->id, t, t == RC_MSG_HEARTBEAT_RESP ? r->term : 0);
    m.reject = reject;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
}

/* Drains the node's output (persisting and self-stepping like tn_read). */
static void drain(tnode *n, rc_msgs *ms)
{
    rc_msgs_clear(ms);
    tn_read(n, ms);
}

/* A leader (term 2) over k committed entries of 10 payload bytes at term 1, optionally
 * compacted into a snapshot at k. */
static tnode *leader_with_log(size_t nv, size_t k, bool compact, tcfg_mut mut)
{
    tnode *n = tn_new_voters(1, nv);
    rc_entry *es = calloc(k, sizeof(rc_entry));
    for (size_t i = 0; i < k; i++) {
        es[i].index = i + 1;
        es[i].term = 1;
        es[i].data.data = (uint8_t *)DATA10;
        es[i].data.len = 10;
    }
    assert_int_equal(rc_memstorage_append(n->ms, es, k), RC_OK);
    free(es);
    rc_hard_state hs = {1, 0, k};
    rc_memstorage_set_hard_state(n->ms, &hs);
    if (compact) {
        rc_conf_state cs;
        memset(&cs, 0, sizeof(cs));
        rc_ids_copy(&cs.voters, &n->voters);
        assert_int_equal(rc_memstorage_create_snapshot(n->ms, k, &cs, "snap", 4, NULL), RC_OK);
        assert_int_equal(rc_memstorage_compact(n->ms, k), RC_OK);
        rc_conf_state_free(&cs);
    }
    tn_start_leader(n, mut);
    return n;
}

/* ---- MaxUncommittedEntriesSize ---- */

static void quota32(rc_config *c) { c->max_uncommitted_entries_size = 32; }

static void test_uncommitted_size_limit(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tleader_new(3, quota32);
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    assert_int_equal(r->uncommitted_size, 0); /* the leader's empty entry is free */
    for (int i = 0; i < 4; i++)
        assert_int_equal(tn_propose(r, "testdata"), RC_OK);
    assert_int_equal(r->uncommitted_size, 32); /* exactly at the limit is fine */
    uint64_t last = rc_log_last_index(&r->raft_log);
    assert_int_equal(tn_propose(r, "testdata"), RC_ERR_PROPOSAL_DROPPED);
    assert_true(tlog_has("WARN 1 appending new entries to log would exceed uncommitted entry size limit; dropping proposal"));
    assert_int_equal(rc_log_last_index(&r->raft_log), last);
    /* empty entries are always accepted */
    assert_int_equal(tn_propose(r, ""), RC_OK);
    assert_int_equal(rc_log_last_index(&r->raft_log), last + 1);
    assert_int_equal(r->uncommitted_size, 32);

    /* committing does not shrink the quota, applying does */
    drain(n, &ms);
    app_resp(r, 2, last + 1);
    assert_int_equal(r->raft_log.committed, last + 1);
    assert_int_equal(r->uncommitted_size, 32);
    assert_int_equal(tn_propose(r, "testdata"), RC_ERR_PROPOSAL_DROPPED);
    drain(n, &ms);
    assert_int_equal(tn_apply(n), last + 1);
    assert_int_equal(r->uncommitted_size, 0);

    /* with an empty tail, any size goes in; then nothing non-empty until it shrinks again */
    rc_entry big[8];
    memset(big, 0, sizeof(big));
    for (int i = 0; i < 8; i++) {
        big[i].data.data = (uint8_t *)"testdata";
        big[i].data.len = 8;
    }
    rc_message p = tmsg(1, 1, RC_MSG_PROP, 0);
    p.entries = big;
    p.n_entries = 8;
    assert_int_equal(rc_raft_step(r, &p), RC_OK);
    assert_int_equal(r->uncommitted_size, 64);
    assert_int_equal(tn_propose(r, "x"), RC_ERR_PROPOSAL_DROPPED);
    assert_int_equal(tn_propose(r, ""), RC_OK);
    drain(n, &ms);
    app_resp(r, 3, rc_log_last_index(&r->raft_log));
    drain(n, &ms);
    while (tn_apply(n) > 0) {
    }
    assert_int_equal(r->uncommitted_size, 0);
    assert_int_equal(tn_propose(r, "x"), RC_OK);
    rc_msgs_free(&ms);
    tn_free(n);
}

/* ---- MaxSizePerMsg ---- */

static uint64_t g_max_size;
static void max_size(rc_config *c) { c->max_size_per_msg = g_max_size; }

static void test_max_size_per_msg_paging(void **s)
{
    (void)s;
    rc_entry e = {1, 1, RC_ENTRY_NORMAL, {(uint8_t *)DATA10, 10}};
    uint64_t sz = rc_entry_size(&e);
    g_max_size = 3 * sz;
    tnode *n = leader_with_log(2, 10, false, max_size);
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    assert_int_equal(rc_log_last_index(&r->raft_log), 11);
    /* 2 rejects the probe at 10 with nothing in common: probing restarts at 1 */
    app_reject(r, 2, 10, 0, 0);
    drain(n, &ms);
    assert_int_equal(ms.n, 1);
    assert_int_equal(ms.v[0].type, RC_MSG_APP);
    assert_int_equal(ms.v[0].index, 0);
    assert_int_equal(ms.v[0].n_entries, 3);
    assert_int_equal(rc_entries_size(ms.v[0].entries, 3), 3 * sz);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    /* the ack moves 2 to Replicate and the rest goes out in pages of <= MaxSizePerMsg */
    app_resp(r, 2, 3);
    drain(n, &ms);
    static const struct { uint64_t index; size_t n; } want[] = {{3, 3}, {6, 3}, {9, 2}};
    assert_int_equal(ms.n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ms.v[i].type, RC_MSG_APP);
        assert_int_equal(ms.v[i].index, want[i].index);
        assert_int_equal(ms.v[i].log_term, 1);
        assert_int_equal(ms.v[i].n_entries, want[i].n);
        assert_int_equal(ms.v[i].entries[0].index, want[i].index + 1);
        assert_true(rc_entries_size(ms.v[i].entries, ms.v[i].n_entries) <= g_max_size);
    }
    assert_int_equal(ms.v[2].entries[1].term, 2);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    assert_int_equal(prog(r, 2)->next, 12);
    rc_msgs_free(&ms);
    tn_free(n);

    /* 0 means one entry per message; an entry over the limit still goes out alone */
    static const uint64_t limits[] = {0, 1};
    for (size_t k = 0; k < 2; k++) {
        g_max_size = limits[k];
        n = leader_with_log(2, 4, false, max_size);
        app_reject(n->r, 2, 4, 0, 0);
        drain(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].n_entries, 1);
        app_resp(n->r, 2, 1);
        drain(n, &ms);
        assert_int_equal(count_msgs(&ms, RC_MSG_APP, 2), 4); /* 2, 3, 4 and the empty 5 */
        for (size_t i = 0; i < ms.n; i++)
            assert_int_equal(ms.v[i].n_entries, 1);
        rc_msgs_free(&ms);
        tn_free(n);
    }
}

/* ---- the inflight window ---- */

static void window3(rc_config *c)
{
    c->max_inflight_msgs = 3;
    c->max_size_per_msg = 0;
}

static void window25b(rc_config *c)
{
    c->max_inflight_bytes = 25;
    c->max_size_per_msg = 0;
}

/* Brings follower 2 of a fresh 2-voter leader to Replicate and drains the output. */
static void to_replicate(tnode *n, rc_msgs *ms)
{
    app_resp(n->r, 2, 1);
    assert_int_equal(prog(n->r, 2)->state, RC_PROGRESS_REPLICATE);
    drain(n, ms);
}

static void check_window(tnode *n)
{
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    to_replicate(n, &ms);
    for (uint64_t i = 2; i <= 4; i++) {
        assert_false(rc_progress_is_paused(prog(r, 2)));
        assert_int_equal(tn_propose(r, DATA10), RC_OK);
        drain(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].n_entries, 1);
        assert_int_equal(ms.v[0].entries[0].index, i);
    }
    assert_true(rc_progress_is_paused(prog(r, 2)));
    assert_true(rc_inflights_full(&prog(r, 2)->inflights));
    assert_int_equal(tn_propose(r, DATA10), RC_OK); /* index 5: held back */
    drain(n, &ms);
    assert_int_equal(ms.n, 0);
    /* each heartbeat response lets exactly one empty MsgApp through, then pauses again */
    for (int round = 0; round < 3; round++) {
        local(r, 2, RC_MSG_HEARTBEAT_RESP, false);
        drain(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].type, RC_MSG_APP);
        assert_int_equal(ms.v[0].n_entries, 0);
        assert_int_equal(ms.v[0].index, 4);
        assert_true(rc_progress_is_paused(prog(r, 2)));
        assert_int_equal(tn_propose(r, ""), RC_OK);
        drain(n, &ms);
        assert_int_equal(ms.n, 0);
    }
    /* an ack frees the window: the next entry goes out, and it is full again */
    app_resp(r, 2, 2);
    drain(n, &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_APP, 2), 1);
    assert_int_equal(ms.v[0].n_entries, 1);
    assert_int_equal(ms.v[0].entries[0].index, 5);
    assert_int_equal(ms.v[0].commit, 2);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    /* acking everything in flight drains the rest */
    app_resp(r, 2, 5);
    drain(n, &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_APP, 2), 3); /* 6, 7, 8: the empty proposals */
    rc_msgs_free(&ms);
}

static void test_inflight_window_by_count(void **s)
{
    (void)s;
    tnode *n = tleader_new(2, window3);
    check_window(n);
    tn_free(n);
}

static void test_inflight_window_by_bytes(void **s)
{
    (void)s;
    tnode *n = tleader_new(2, window25b);
    assert_int_equal(prog(n->r, 2)->inflights.size, 256);
    check_window(n); /* 10 + 10 < 25 <= 10 + 10 + 10 */
    tn_free(n);
}

/* ---- probing ---- */

/* A probing follower gets one MsgApp, then nothing until a heartbeat response (or an ack). */
static void test_probe_one_msg_per_heartbeat(void **s)
{
    (void)s;
    tnode *n = tleader_new(3, NULL);
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    assert_int_equal(tn_propose(r, "a"), RC_OK);
    drain(n, &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_APP, 2), 1);
    assert_int_equal(count_msgs(&ms, RC_MSG_APP, 3), 1);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    assert_int_equal(tn_propose(r, "b"), RC_OK);
    assert_int_equal(tn_propose(r, "c"), RC_OK);
    drain(n, &ms);
    assert_int_equal(ms.n, 0);
    assert_int_equal(rc_raft_tick(r), RC_OK);
    drain(n, &ms);
    assert_int_equal(ms.n, 2);
    assert_int_equal(count_type(&ms, RC_MSG_HEARTBEAT), 2);
    for (int i = 0; i < 2; i++) {
        local(r, 2, RC_MSG_HEARTBEAT_RESP, false);
        drain(n, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].type, RC_MSG_APP);
        assert_int_equal(ms.v[0].to, 2);
        assert_int_equal(ms.v[0].index, 0);
        assert_int_equal(ms.v[0].n_entries, 4);
        assert_int_equal(prog(r, 2)->state, RC_PROGRESS_PROBE);
        assert_true(rc_progress_is_paused(prog(r, 2)));
    }
    app_resp(r, 2, 4);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    assert_int_equal(r->raft_log.committed, 4);
    drain(n, &ms);
    assert_int_equal(count_msgs(&ms, RC_MSG_APP, 3), 0); /* 3 is still waiting on its probe */
    rc_msgs_free(&ms);
    tn_free(n);
}

/* MsgUnreachable drops a replicating follower to Probe (and leaves a probing one alone); a
 * heartbeat response re-probes even a caught-up follower, with an empty MsgApp that (as in
 * etcd's Progress.SentEntries) does not pause the flow. */
static void test_report_unreachable(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = tleader_new(3, NULL);
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    app_resp(r, 2, 1);
    assert_int_equal(tn_propose(r, "a"), RC_OK);
    drain(n, &ms);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    assert_int_equal(prog(r, 2)->next, 3);

    local(r, 2, RC_MSG_UNREACHABLE, false);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_PROBE);
    assert_int_equal(prog(r, 2)->next, 2);
    assert_false(rc_progress_is_paused(prog(r, 2)));
    assert_true(tlog_has("DEBUG 1 failed to send message to 2 because it is unreachable [StateProbe match=1 next=2"));
    bool paused3 = rc_progress_is_paused(prog(r, 3));
    uint64_t next3 = prog(r, 3)->next;
    local(r, 3, RC_MSG_UNREACHABLE, false);
    assert_int_equal(prog(r, 3)->state, RC_PROGRESS_PROBE);
    assert_int_equal(prog(r, 3)->next, next3);
    assert_int_equal(rc_progress_is_paused(prog(r, 3)), paused3);

    assert_int_equal(tn_propose(r, "b"), RC_OK);
    drain(n, &ms);
    const rc_message *m = find_msg(&ms, RC_MSG_APP, 2);
    assert_non_null(m);
    assert_int_equal(m->index, 1);
    assert_int_equal(m->n_entries, 2);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    app_resp(r, 2, 3);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    drain(n, &ms);

    /* caught up, then unreachable: the heartbeat response sends an empty probe */
    local(r, 2, RC_MSG_UNREACHABLE, false);
    assert_int_equal(prog(r, 2)->match, rc_log_last_index(&r->raft_log));
    local(r, 2, RC_MSG_HEARTBEAT_RESP, false);
    drain(n, &ms);
    m = find_msg(&ms, RC_MSG_APP, 2);
    assert_non_null(m);
    assert_int_equal(m->n_entries, 0);
    assert_int_equal(m->index, 3);
    assert_false(rc_progress_is_paused(prog(r, 2)));
    /* so a proposal goes out at once */
    assert_int_equal(tn_propose(r, "z"), RC_OK);
    drain(n, &ms);
    m = find_msg(&ms, RC_MSG_APP, 2);
    assert_non_null(m);
    assert_int_equal(m->n_entries, 1);
    assert_int_equal(m->entries[0].index, 4);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    app_resp(r, 2, 4);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    rc_msgs_free(&ms);
    tn_free(n);
}

/* ---- snapshots ---- */

static void cq(rc_config *c) { c->check_quorum = true; }

static void test_snapshot_sending(void **s)
{
    (void)s;
    tlog_reset();
    tnode *n = leader_with_log(3, 10, true, cq);
    rc_raft *r = n->r;
    rc_msgs ms = {0};
    assert_int_equal(rc_log_first_index(&r->raft_log), 11);
    assert_false(prog(r, 2)->recent_active); /* a new leader has heard from nobody */

    /* snapshot temporarily unavailable: skipped, 3 stays in Probe and unpaused */
    n->snap_unavailable = true;
    app_reject(r, 3, 10, 5, 1);
    assert_true(tlog_has("DEBUG 1 failed to send snapshot to 3 because snapshot is temporarily unavailable"));
    drain(n, &ms);
    assert_int_equal(ms.n, 0);
    assert_int_equal(prog(r, 3)->state, RC_PROGRESS_PROBE);
    assert_int_equal(prog(r, 3)->next, 6);
    assert_false(rc_progress_is_paused(prog(r, 3)));
    n->snap_unavailable = false;

    /* an election timeout later (3 answered, so the quorum is active) nobody is recent */
    for (int i = 0; i < 10; i++)
        assert_int_equal(rc_raft_tick(r), RC_OK);
    assert_int_equal(r->state, RC_STATE_LEADER);
    assert_false(prog(r, 3)->recent_active);
    drain(n, &ms);
    tlog_reset();
    assert_int_equal(tn_propose(r, "p"), RC_OK);
    drain(n, &ms);
    assert_int_equal(count_type(&ms, RC_MSG_SNAP), 0);
    assert_true(tlog_has("DEBUG ignore sending snapshot to 3 since it is not recently active"));
    assert_int_equal(prog(r, 3)->state, RC_PROGRESS_PROBE);
    assert_non_null(find_msg(&ms, RC_MSG_APP, 2)); /* 2 can still be probed from the log */

    /* 2 answers: it is active, and its next is compacted -> MsgSnap */
    tlog_reset();
    app_reject(r, 2, 10, 5, 1);
    drain(n, &ms);
    const rc_message *sm = find_msg(&ms, RC_MSG_SNAP, 2);
    assert_non_null(sm);
    assert_non_null(sm->snapshot);
    assert_int_equal(sm->snapshot->metadata.index, 10);
    assert_int_equal(sm->snapshot->metadata.term, 1);
    assert_int_equal(sm->snapshot->metadata.conf_state.voters.n, 3);
    assert_int_equal(sm->term, 2);
    assert_true(tlog_has("DEBUG 1 [firstindex: 11, commit: 10] sent snapshot[index: 10, term: 1] to 2 [StateProbe match=0 next=6"));
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_SNAPSHOT);
    assert_int_equal(prog(r, 2)->pending_snapshot, 10);
    /* paused while in Snapshot: neither proposals nor heartbeat responses send to it */
    assert_int_equal(tn_propose(r, "q"), RC_OK);
    local(r, 2, RC_MSG_HEARTBEAT_RESP, false);
    drain(n, &ms);
    assert_null(find_msg(&ms, RC_MSG_APP, 2));
    assert_null(find_msg(&ms, RC_MSG_SNAP, 2));

    /* Failure: the pending snapshot is forgotten, probe from match+1, paused */
    local(r, 2, RC_MSG_SNAP_STATUS, true);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_PROBE);
    assert_int_equal(prog(r, 2)->pending_snapshot, 0);
    assert_int_equal(prog(r, 2)->next, 1);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    assert_true(tlog_has("snapshot failed, resumed sending replication messages to 2 [StateProbe match=0 next=1]"));
    drain(n, &ms);
    assert_int_equal(ms.n, 0);
    local(r, 2, RC_MSG_HEARTBEAT_RESP, false); /* resumes: next is compacted again */
    drain(n, &ms);
    assert_non_null(find_msg(&ms, RC_MSG_SNAP, 2));
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_SNAPSHOT);

    /* Finish: probe right after the snapshot, paused until the next response */
    local(r, 2, RC_MSG_SNAP_STATUS, false);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_PROBE);
    assert_int_equal(prog(r, 2)->next, 11);
    assert_true(rc_progress_is_paused(prog(r, 2)));
    assert_true(tlog_has("snapshot succeeded, resumed sending replication messages to 2 [StateProbe match=0 next=11]"));
    local(r, 2, RC_MSG_SNAP_STATUS, false); /* not in Snapshot: ignored */
    assert_int_equal(prog(r, 2)->next, 11);
    local(r, 2, RC_MSG_HEARTBEAT_RESP, false);
    drain(n, &ms);
    const rc_message *am = find_msg(&ms, RC_MSG_APP, 2);
    assert_non_null(am);
    assert_int_equal(am->index, 10);
    assert_int_equal(am->log_term, 1);
    assert_int_equal(am->n_entries, 3);
    app_resp(r, 2, 13);
    assert_int_equal(prog(r, 2)->state, RC_PROGRESS_REPLICATE);
    assert_int_equal(r->raft_log.committed, 13);
    rc_msgs_free(&ms);
    tn_free(n);
}

/* ---- MaxCommittedSizePerReady ---- */

static uint64_t g_budget;
static void budget(rc_config *c)
{
    c->max_committed_size_per_ready = g_budget;
}
static void zero_msg_size(rc_config *c) { c->max_size_per_msg = 0; }

/* Hands the next page to the "application"; returns its [first, last] and stores it in *page. */
static void next_page(rc_raft *r, rc_entries *page, uint64_t first, uint64_t last)
{
    rc_entries_free(page);
    assert_int_equal(rc_log_next_committed_ents(&r->raft_log, true, page), RC_OK);
    if (first == 0) {
        assert_int_equal(page->n, 0);
        return;
    }
    assert_int_equal(page->n, last - first + 1);
    assert_int_equal(page->v[0].index, first);
    assert_int_equal(rc_log_accept_applying(&r->raft_log, last, rc_entries_size(page->v, page->n), true),
                     RC_OK);
}

static void applied(rc_raft *r, const rc_entry *ents, size_t k)
{
    rc_message m = tmsg(RC_LOCAL_APPLY_THREAD, r->id, RC_MSG_STORAGE_APPLY_RESP, 0);
    m.entries = (rc_entry *)ents;
    m.n_entries = k;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
}

static tnode *single_leader(tcfg_mut mut, int k)
{
    static const uint64_t one[] = {1};
    tnode *n = tn_new(1, one, 1);
    rc_config c = tcfg(1, 10, 1);
    mut(&c);
    tn_start_cfg(n, c);
    rc_msgs ms = {0};
    rc_message h = tmsg(1, 1, RC_MSG_HUP, 0);
    assert_int_equal(rc_raft_step(n->r, &h), RC_OK);
    tn_read(n, &ms);
    for (int i = 0; i < k; i++) {
        assert_int_equal(tn_propose(n->r, DATA10), RC_OK);
        tn_read(n, &ms);
    }
    rc_msgs_free(&ms);
    assert_int_equal(n->r->raft_log.committed, (uint64_t)k + 1);
    return n;
}

static void test_committed_size_per_ready(void **s)
{
    (void)s;
    rc_entry e = {2, 1, RC_ENTRY_NORMAL, {(uint8_t *)DATA10, 10}};
    uint64_t sz = rc_entry_size(&e);
    g_budget = 2 * sz;
    tnode *n = single_leader(budget, 6); /* 1: empty, 2..7: 10 bytes each */
    rc_raft *r = n->r;
    rc_raft_log *l = &r->raft_log;
    rc_entries page = {0};
    next_page(r, &page, 1, 2); /* empty + one: the next one would overflow */
    assert_int_equal(l->applying, 2);
    assert_int_equal(l->applied, 0);
    rc_entry first, second;
    assert_int_equal(rc_entry_copy(&first, &page.v[0]), RC_OK);
    assert_int_equal(rc_entry_copy(&second, &page.v[1]), RC_OK);
    next_page(r, &page, 0, 0); /* paused: truncated by the budget */
    /* applying only entry 1 frees its bytes: a one-entry page fits */
    applied(r, &first, 1);
    assert_int_equal(l->applied, 1);
    assert_int_equal(l->applying, 2);
    next_page(r, &page, 3, 3);
    rc_entry third;
    assert_int_equal(rc_entry_copy(&third, &page.v[0]), RC_OK);
    next_page(r, &page, 0, 0); /* the budget is used up */
    rc_entry pair[2] = {second, third};
    applied(r, pair, 2);
    rc_entry_free(&third);
    assert_int_equal(l->applied, 3);
    next_page(r, &page, 4, 5);
    applied(r, page.v, page.n);
    next_page(r, &page, 6, 7);
    applied(r, page.v, page.n);
    next_page(r, &page, 0, 0);
    assert_int_equal(l->applied, 7);
    rc_entry_free(&first);
    rc_entry_free(&second);
    rc_entries_free(&page);
    tn_free(n);

    /* MaxSizePerMsg 0 and no MaxCommittedSizePerReady: one entry per page, never stuck */
    n = single_leader(zero_msg_size, 3);
    for (uint64_t i = 1; i <= 4; i++) {
        next_page(n->r, &page, i, i);
        next_page(n->r, &page, 0, 0);
        assert_int_equal(rc_raft_step(n->r, &(rc_message){.type = RC_MSG_STORAGE_APPLY_RESP,
                                                          .from = RC_LOCAL_APPLY_THREAD,
                                                          .to = 1,
                                                          .entries = NULL,
                                                          .n_entries = 0}),
                         RC_OK);
        rc_entries last = {0};
        assert_int_equal(rc_log_slice(&n->r->raft_log, i, i + 1, RC_NO_LIMIT, &last), RC_OK);
        applied(n->r, last.v, last.n);
        rc_entries_free(&last);
        assert_int_equal(n->r->raft_log.applied, i);
    }
    next_page(n->r, &page, 0, 0);
    assert_false(n->r->failed);
    rc_entries_free(&page);
    tn_free(n);
}

int main(void)
{
    printf("seed %#llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uncommitted_size_limit),
        cmocka_unit_test(test_max_size_per_msg_paging),
        cmocka_unit_test(test_inflight_window_by_count),
        cmocka_unit_test(test_inflight_window_by_bytes),
        cmocka_unit_test(test_probe_one_msg_per_heartbeat),
        cmocka_unit_test(test_report_unreachable),
        cmocka_unit_test(test_snapshot_sending),
        cmocka_unit_test(test_committed_size_per_ready),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
