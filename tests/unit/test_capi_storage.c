/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_capi_storage.c: host storage callbacks (raftc.h only): a failure of any callback at any
 * point of a node's life (creation, applying, elections, probing, snapshots, proposals, ticks)
 * fails the node cleanly -- RAFTC_EFAILED from the call that met it, a PANIC line naming the
 * callback, every later call refused, no leak -- while etcd's sentinel errors (RAFTC_ECOMPACTED,
 * RAFTC_EUNAVAILABLE from Term, RAFTC_ESNAP_TEMP_UNAVAILABLE) keep their meaning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

/* ---- a storage over a raftc_memstorage that fails one chosen call ---- */

typedef enum cb_kind { CB_INITIAL, CB_ENTRIES, CB_TERM, CB_FIRST, CB_LAST, CB_SNAPSHOT, CB_COUNT }
cb_kind;

static const char *const cb_name[CB_COUNT] = {"initial_state", "entries", "term", "first_index",
                                              "last_index", "snapshot"};

typedef struct faulty {
    raftc_memstorage *ms;
    int fail_cb;        /* which callback fails (a cb_kind), -1 for none */
    long fail_at;       /* its fail_at-th call (1-based) fails ... */
    int fail_rc;        /* ... returning this */
    long calls[CB_COUNT];
    long failed_calls;  /* injected failures so far */
    /* etcd's sentinel errors (not failures): term(i) for i in [sentinel_lo, sentinel_hi] and,
     * for RAFTC_ECOMPACTED, entries(lo, ...) for lo in that range return sentinel_rc */
    int sentinel_rc;
    uint64_t sentinel_lo, sentinel_hi;
    int snap_temp_unavailable; /* snapshot says RAFTC_ESNAP_TEMP_UNAVAILABLE */
} faulty;

static int hit(faulty *f, cb_kind k)
{
    f->calls[k]++;
    if (f->fail_cb == (int)k && f->calls[k] == f->fail_at) {
        f->failed_calls++;
        return 1;
    }
    return 0;
}

static int f_initial(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    faulty *f = ud;
    return hit(f, CB_INITIAL) ? f->fail_rc : raftc_memstorage_initial_state(hs, cs, f->ms);
}

static int f_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max)
{
    faulty *f = ud;
    if (hit(f, CB_ENTRIES))
        return f->fail_rc;
    if (f->sentinel_rc == RAFTC_ECOMPACTED && lo >= f->sentinel_lo && lo <= f->sentinel_hi)
        return RAFTC_ECOMPACTED;
    return raftc_memstorage_entries(out, f->ms, lo, hi, max);
}

static int f_term(void *ud, uint64_t *term, uint64_t i)
{
    faulty *f = ud;
    if (hit(f, CB_TERM))
        return f->fail_rc;
    if (f->sentinel_rc != 0 && i >= f->sentinel_lo && i <= f->sentinel_hi)
        return f->sentinel_rc;
    return raftc_memstorage_term(term, f->ms, i);
}

static int f_first(void *ud, uint64_t *index)
{
    faulty *f = ud;
    return hit(f, CB_FIRST) ? f->fail_rc : raftc_memstorage_first_index(index, f->ms);
}

static int f_last(void *ud, uint64_t *index)
{
    faulty *f = ud;
    return hit(f, CB_LAST) ? f->fail_rc : raftc_memstorage_last_index(index, f->ms);
}

static int f_snapshot(void *ud, raftc_sink *out)
{
    faulty *f = ud;
    if (hit(f, CB_SNAPSHOT))
        return f->fail_rc;
    if (f->snap_temp_unavailable)
        return RAFTC_ESNAP_TEMP_UNAVAILABLE;
    return raftc_memstorage_snapshot(out, f->ms);
}

/* ---- the host: node 1 of {1,2,3}; peers 2 and 3 are played by hand-made messages ---- */

typedef struct host {
    faulty f;
    raftc_node *node;
    int panics;
    char panic[512];
    int n_snap_msgs;    /* MsgSnap seen in Readys */
    int fail_rc;        /* result of the call that failed the node (1: none) */
    const char *fail_op; /* and its name */
} host;

static void on_log(void *ud, raftc_log_level level, const char *text, size_t len)
{
    host *h = ud;
    (void)len;
    if (level == RAFTC_LOG_PANIC && h->panics++ == 0)
        snprintf(h->panic, sizeof(h->panic), "%s", text);
}

static raftc_sink *sink(void)
{
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    return s;
}

static void put_conf_state(raftc_sink *s)
{
    static const uint64_t voters[3] = {1, 2, 3};
    assert_int_equal(raftc_conf_state_encode(s, voters, 3, NULL, 0, NULL, 0, NULL, 0, 0), 0);
}

/* Storage: snapshot {1,2,3}@1 term 1, entries 2..20 at term 1, hard state term 1 commit 20. */
static raftc_memstorage *make_storage(void)
{
    raftc_memstorage *ms = NULL;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    raftc_sink *s = sink();
    const uint8_t *p;
    size_t len;
    put_conf_state(s);
    assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(s, 1, 1, p, len, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &len, s, 1), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(ms, p, len), RAFTC_OK);
    raftc_sink_reset(s);
    for (uint64_t i = 2; i <= 20; i++)
        assert_int_equal(raftc_entry_encode(s, 1, i, RAFTC_ENTRY_NORMAL, (const uint8_t *)"v", 1),
                         RAFTC_OK);
    for (size_t i = 0; i < raftc_sink_count(s); i++) {
        assert_int_equal(raftc_sink_get(&p, &len, s, i), RAFTC_OK);
        assert_int_equal(raftc_memstorage_append(ms, &p, &len, 1), RAFTC_OK);
    }
    assert_int_equal(raftc_memstorage_set_hard_state_fields(ms, 1, 0, 20), RAFTC_OK);
    raftc_sink_free(s);
    return ms;
}

/* Creates the node; returns raftc_node_new's result. */
static int host_open(host *h, int fail_cb, long fail_at, int fail_rc)
{
    memset(h, 0, sizeof(*h));
    h->f.ms = make_storage();
    h->f.fail_cb = fail_cb;
    h->f.fail_at = fail_at;
    h->f.fail_rc = fail_rc;
    h->fail_rc = 1;
    raftc_storage_callbacks cbs = {sizeof(cbs), &h->f, f_initial, f_entries, f_term, f_first,
                                   f_last, f_snapshot};
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, 64), RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(cfg, on_log, h), RAFTC_OK);
    assert_int_equal(raftc_config_set_storage_callbacks(cfg, &cbs), RAFTC_OK);
    const char *err = NULL;
    int rc = raftc_node_new(&h->node, &err, cfg);
    raftc_config_free(cfg);
    assert_non_null(err);
    return rc;
}

static void host_close(host *h)
{
    raftc_node_free(h->node);
    raftc_memstorage_free(h->f.ms);
}

/* Checks one call's result: a known code; the call that failed the node says RAFTC_EFAILED; a
 * failed node has its PANIC text as last error. */
static int checked(host *h, const char *op, int was_failed, int rc)
{
    assert_true(rc <= 0 && rc >= RAFTC_EREFUSED);
    int failed = raftc_node_is_failed(h->node);
    if (!was_failed && failed) {
        h->fail_rc = rc;
        h->fail_op = op;
    }
    if (failed) {
        assert_int_equal(rc, RAFTC_EFAILED);
        assert_true(h->panics > 0);
        assert_string_equal(raftc_node_last_error(h->node), h->panic);
    }
    return rc;
}
static int g_was_failed;
#define CALL(h, call)                                                                              \
    (g_was_failed = raftc_node_is_failed((h)->node), checked((h), #call, g_was_failed, (call)))

static uint64_t status(host *h, int field)
{
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, h->node), RAFTC_OK); /* always */
    return st[field];
}

static void step(host *h, uint64_t type, uint64_t from, uint64_t index, int reject,
                 uint64_t hint)
{
    raftc_sink *s = sink();
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = type;
    info[RAFTC_MF_TO] = 1;
    info[RAFTC_MF_FROM] = from;
    info[RAFTC_MF_TERM] = status(h, RAFTC_ST_TERM);
    info[RAFTC_MF_INDEX] = index;
    info[RAFTC_MF_REJECT] = (uint64_t)reject;
    info[RAFTC_MF_REJECT_HINT] = hint;
    assert_int_equal(raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0, NULL, 0),
                     RAFTC_OK);
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
    CALL(h, raftc_node_step(h->node, p, len));
    raftc_sink_free(s);
}

/* Peer `from` rejects the leader's last probe, hinting it has the log up to `hint`: the leader
 * probes again from hint+1 (a snapshot if that is compacted). A peer waiting for a snapshot
 * reports it failed first, so that every call probes anew. */
static void probe(host *h, uint64_t from, uint64_t hint)
{
    uint64_t pr[RAFTC_PR_COUNT];
    if (raftc_node_progress_info(pr, RAFTC_PR_COUNT, h->node, from) != RAFTC_OK)
        return;
    if (pr[RAFTC_PR_STATE] == RAFTC_PROGRESS_SNAPSHOT) {
        CALL(h, raftc_node_report_snapshot(h->node, from, RAFTC_SNAPSHOT_FAILURE));
        assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, h->node, from), RAFTC_OK);
    }
    /* a follower's hint never exceeds the index it rejects */
    uint64_t index = pr[RAFTC_PR_NEXT] - 1;
    step(h, RAFTC_MSG_APP_RESP, from, index, 1, hint < index ? hint : index);
}

static int g_failed_advances; /* advances that failed the node (the sweep reaches some) */

/* One sync Ready cycle: persist into the memory storage, count MsgSnap, advance. */
static void host_cycle(host *h)
{
    raftc_ready *rd = NULL;
    if (CALL(h, raftc_node_ready(&rd, h->node)) != RAFTC_OK) {
        assert_null(rd);
        return;
    }
    uint64_t in[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(in, RAFTC_RD_COUNT, rd), RAFTC_OK);
    const uint8_t *p;
    size_t len;
    for (size_t i = 0; i < in[RAFTC_RD_N_ENTRIES]; i++) {
        assert_int_equal(raftc_ready_entry(&p, &len, rd, i), RAFTC_OK);
        assert_int_equal(raftc_memstorage_append(h->f.ms, &p, &len, 1), RAFTC_OK);
    }
    if (in[RAFTC_RD_HAS_HARD_STATE]) {
        assert_int_equal(raftc_ready_hard_state(&p, &len, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(h->f.ms, p, len), RAFTC_OK);
    }
    for (size_t i = 0; i < in[RAFTC_RD_N_MESSAGES]; i++) {
        uint64_t mi[RAFTC_MF_COUNT];
        assert_int_equal(raftc_ready_message(&p, &len, rd, i), RAFTC_OK);
        assert_int_equal(raftc_message_decode(mi, RAFTC_MF_COUNT, p, len), RAFTC_OK);
        h->n_snap_msgs += mi[RAFTC_MF_TYPE] == RAFTC_MSG_SNAP;
    }
    if (CALL(h, raftc_node_advance(h->node)) == RAFTC_EFAILED) {
        /* the view died with the advance that failed the node */
        assert_int_equal(raftc_ready_info(in, RAFTC_RD_COUNT, rd), RAFTC_ESTATE);
        g_failed_advances++;
    }
}

/* Snapshot {1,2,3}@i and compaction of the storage (the node applied i). */
static void host_compact(host *h, uint64_t i)
{
    raftc_sink *cs = sink();
    const uint8_t *p;
    size_t len;
    put_conf_state(cs);
    assert_int_equal(raftc_sink_get(&p, &len, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_create_snapshot(NULL, h->f.ms, i, p, len, NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_memstorage_compact(h->f.ms, i), RAFTC_OK);
    raftc_sink_free(cs);
}

/* The script: apply the stored log, win an election, replicate to 3, probe 2 (which needs a
 * snapshot after the compaction), propose, tick. Stops early once the node is failed (after
 * checking that it refuses input). Every storage callback runs many times along the way. */
static void host_script(host *h)
{
    int compacted = 0;
    for (int round = 0; round < 14; round++) {
        int has = raftc_node_has_ready(h->node);
        if (raftc_node_is_failed(h->node) && h->fail_rc == 1) {
            h->fail_rc = RAFTC_EFAILED; /* failed inside has_ready, which answers 0 */
            h->fail_op = "raftc_node_has_ready";
            assert_int_equal(has, 0);
        }
        if (raftc_node_is_failed(h->node))
            break;
        if (has) {
            host_cycle(h);
            continue;
        }
        if (status(h, RAFTC_ST_RAFT_STATE) != RAFTC_STATE_LEADER) {
            CALL(h, raftc_node_campaign(h->node));
            step(h, RAFTC_MSG_VOTE_RESP, 2, 0, 0, 0);
            continue;
        }
        if (!compacted && status(h, RAFTC_ST_APPLIED) >= 15) {
            host_compact(h, 15);
            compacted = 1;
        }
        uint64_t last = 0;
        assert_int_equal(raftc_memstorage_last_index(&last, h->f.ms), RAFTC_OK);
        step(h, RAFTC_MSG_APP_RESP, 3, last, 0, 0); /* 3 is up to date: commits */
        probe(h, 2, 3);                             /* 2 has only 1..3 */
        CALL(h, raftc_node_propose(h->node, (const uint8_t *)"p", 1));
        CALL(h, raftc_node_tick(h->node));
        step(h, RAFTC_MSG_HEARTBEAT_RESP, 2, 0, 0, 0);
    }
    if (!raftc_node_is_failed(h->node))
        return;
    /* a failed node refuses input and keeps answering read-only calls */
    assert_int_equal(raftc_node_tick(h->node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_propose(h->node, NULL, 0), RAFTC_EFAILED);
    assert_int_equal(raftc_node_has_ready(h->node), 0);
    assert_string_equal(raftc_node_last_error(h->node), h->panic);
    char *text = NULL;
    assert_int_equal(raftc_node_status_config(&text, h->node), RAFTC_OK);
    assert_string_equal(text, "voters=(1 2 3)");
    raftc_free(text);
    assert_int_equal(raftc_node_status_progress(&text, h->node), RAFTC_OK);
    raftc_free(text);
    raftc_sink *cs = sink();
    assert_int_equal(raftc_node_conf_state(cs, h->node), RAFTC_OK);
    raftc_sink_free(cs);
    size_t n = 0;
    assert_int_equal(raftc_node_progress_ids(NULL, 0, &n, h->node), RAFTC_OK);
}

/* ---- tests ---- */

/* The script without faults: it exercises every callback (so the sweep below reaches them all)
 * and never fails the node. */
static void test_script_is_clean(void **state)
{
    (void)state;
    host h;
    assert_int_equal(host_open(&h, -1, 0, 0), RAFTC_OK);
    host_script(&h);
    assert_false(raftc_node_is_failed(h.node));
    assert_int_equal(h.panics, 0);
    assert_int_equal(status(&h, RAFTC_ST_RAFT_STATE), RAFTC_STATE_LEADER);
    assert_true(h.n_snap_msgs > 0);
    for (int k = 0; k < CB_COUNT; k++) {
        print_message("%-13s %ld calls\n", cb_name[k], h.f.calls[k]);
        assert_true(h.f.calls[k] > 0);
    }
    host_close(&h);
}

/* Runs the script failing the k-th call of callback cb with rc; checks the outcome. */
static void sweep_one(int cb, long k, int rc)
{
    host h;
    int nrc = host_open(&h, cb, k, rc);
    char want[128];
    snprintf(want, sizeof(want), "storage %s callback failed: %s (code %d)", cb_name[cb],
             raftc_strerror(rc), rc);
    if (nrc != RAFTC_OK) {
        /* failed during raftc_node_new: no node, the PANIC went to the config's logger */
        assert_int_equal(nrc, RAFTC_EFAILED);
        assert_null(h.node);
    } else {
        host_script(&h);
    }
    if (h.f.failed_calls == 0) { /* the script did not make that many calls this time */
        assert_int_equal(h.panics, 0);
        host_close(&h);
        return;
    }
    if (h.node != NULL && !raftc_node_is_failed(h.node))
        print_message("DEFECT: %s call %ld returned %d and the node is not failed\n",
                      cb_name[cb], k, rc);
    assert_true(h.node == NULL || raftc_node_is_failed(h.node));
    if (h.node != NULL && h.fail_rc != RAFTC_EFAILED)
        print_message("DEFECT: %s call %ld: %s failed the node but returned %d\n", cb_name[cb], k,
                      h.fail_op, h.fail_rc);
    assert_true(h.node == NULL || h.fail_rc == RAFTC_EFAILED);
    if (strcmp(h.panic, want) != 0)
        print_message("%s call %ld: panic \"%s\", want \"%s\"\n", cb_name[cb], k, h.panic, want);
    assert_string_equal(h.panic, want);
    host_close(&h); /* no leak (ASan / valgrind runs) */
}

/* A failing callback at any of its calls fails the node cleanly. Every call of every callback
 * in the script up to 40 calls, then every 7th. */
static void test_failure_at_any_point(void **state)
{
    (void)state;
    host clean;
    assert_int_equal(host_open(&clean, -1, 0, 0), RAFTC_OK);
    host_script(&clean);
    long calls[CB_COUNT];
    memcpy(calls, clean.f.calls, sizeof(calls));
    host_close(&clean);
    long runs = 0;
    for (int cb = 0; cb < CB_COUNT; cb++) {
        for (long k = 1; k <= calls[cb]; k += k < 40 ? 1 : 7) {
            sweep_one(cb, k, RAFTC_ESTORAGE);
            runs++;
        }
    }
    /* other codes: a code that is no storage answer, and one outside the enum */
    sweep_one(CB_TERM, calls[CB_TERM], RAFTC_EINVAL);
    sweep_one(CB_ENTRIES, 1, 4242);
    sweep_one(CB_FIRST, 1, RAFTC_ENOMEM); /* the host's ENOMEM is a storage failure too */
    sweep_one(CB_INITIAL, 1, RAFTC_ECOMPACTED); /* no sentinel is valid from InitialState */
    sweep_one(CB_LAST, calls[CB_LAST], RAFTC_EUNAVAILABLE); /* nor from LastIndex */
    sweep_one(CB_SNAPSHOT, 1, RAFTC_ECOMPACTED); /* Snapshot: only TEMP_UNAVAILABLE is */
    print_message("%ld fault runs, %d failed in raftc_node_advance\n", runs + 6,
                  g_failed_advances);
    assert_true(g_failed_advances > 0);
}

/* etcd's sentinel errors are no failures: ErrCompacted from Entries / Term and ErrUnavailable
 * from Term make the leader send a snapshot; ErrSnapshotTemporarilyUnavailable makes it wait. */
static void test_sentinels_keep_etcd_meaning(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        host h;
        assert_int_equal(host_open(&h, -1, 0, 0), RAFTC_OK);
        host_script(&h); /* a leader with a compacted log, snapshot already sent once */
        assert_false(raftc_node_is_failed(h.node));
        int snaps = h.n_snap_msgs;
        h.f.sentinel_lo = 16;
        h.f.sentinel_hi = 17;
        if (mode == 0)
            h.f.sentinel_rc = RAFTC_ECOMPACTED; /* a compaction racing with raft's reads */
        else if (mode == 1)
            h.f.sentinel_rc = RAFTC_EUNAVAILABLE;
        else
            h.f.snap_temp_unavailable = 1;
        /* 2 has 1..16 (the snapshot at 15 is needed only for mode 2): the leader reads
         * term(16) and entries(17..), which answer with the sentinel */
        if (mode == 2)
            probe(&h, 2, 3);
        else /* 2 acknowledges 1..16 */
            step(&h, RAFTC_MSG_APP_RESP, 2, 16, 0, 0);
        while (raftc_node_has_ready(h.node))
            host_cycle(&h);
        print_message("mode %d: failed=%d snapshots %d -> %d panic \"%s\"\n", mode,
                      raftc_node_is_failed(h.node), snaps, h.n_snap_msgs, h.panic);
        assert_false(raftc_node_is_failed(h.node));
        assert_int_equal(h.panics, 0);
        if (mode == 2)
            assert_int_equal(h.n_snap_msgs, snaps); /* waits for the snapshot */
        else
            assert_true(h.n_snap_msgs > snaps); /* falls back to a snapshot */
        host_close(&h);
    }
}

/* etcd's Bootstrap returns a LastIndex error instead of panicking: RAFTC_ESTORAGE with the
 * reason, the node stays usable. */
static void test_bootstrap_storage_error(void **state)
{
    (void)state;
    host h;
    assert_int_equal(host_open(&h, -1, 0, 0), RAFTC_OK);
    long at_new = h.f.calls[CB_LAST];
    host_close(&h);
    assert_int_equal(host_open(&h, CB_LAST, at_new + 1, RAFTC_ESTORAGE), RAFTC_OK);
    const uint64_t ids[1] = {1};
    assert_int_equal(raftc_node_bootstrap(h.node, ids, NULL, NULL, 1), RAFTC_ESTORAGE);
    assert_int_equal(h.f.failed_calls, 1);
    assert_false(raftc_node_is_failed(h.node));
    assert_int_equal(h.panics, 0);
    assert_string_equal(raftc_node_last_error(h.node),
                        "storage last_index callback failed: storage failure (code -12)");
    /* the reason does not stick to later calls */
    assert_int_equal(raftc_node_bootstrap(h.node, ids, NULL, NULL, 1), RAFTC_ESTATE);
    assert_string_equal(raftc_node_last_error(h.node), "can't bootstrap a nonempty Storage");
    assert_int_equal(raftc_node_tick(h.node), RAFTC_OK);
    assert_string_equal(raftc_node_last_error(h.node), "");
    host_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_script_is_clean),
        cmocka_unit_test(test_failure_at_any_point),
        cmocka_unit_test(test_sentinels_keep_etcd_meaning),
        cmocka_unit_test(test_bootstrap_storage_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
