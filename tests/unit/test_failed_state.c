/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_failed_state.c: the failed-state promise (docs/abi.md section 4). Every code path of
 * core/ that logs at PANIC (where etcd panics) is injected here, one test per site, and each
 * test asserts the same outcome: a PANIC line was logged, raftc_node_is_failed is 1 and every
 * later call on the node is refused with RAFTC_EFAILED (or, for the sites met while a node is
 * created, raftc_node_new fails with RAFTC_EFAILED and no node).
 *
 * test_every_panic_site_is_injected scans the .c files of core/ for the PANIC sites (an rc_logf call at
 * RC_LOG_PANIC, or a call of rc_raft_panic) and fails if a site has no test below or a test
 * names a site that no longer exists: a new PANIC site must come with its injection.
 *
 * Sites that a correct node cannot reach from the API (invariant checks) are injected by calling
 * the core function with the arguments or the storage answers that break the invariant, on a
 * live node reached through the capi handle; the outcome is then checked through the public API.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capi_internal.h"
#include "log.h"
#include "raft.h"
#include "raft_internal.h"
#include "raftc.h"
#include "rawnode.h"

#ifndef RAFTC_SOURCE_DIR
#error "RAFTC_SOURCE_DIR (the checkout, to scan core/) must be defined by the build"
#endif

/* ---- a node over a memory storage: snapshot (index 1, term 1, voters 1 and 2), then the
 * entries 2 and 3 at term 1 ---- */

typedef struct fx {
    raftc_memstorage *ms;
    raftc_node *node;
    rc_raft *r;
    int panics;
    char panic[512];
} fx;

static fx g;

static void on_log(void *ud, raftc_log_level level, const char *text, size_t len)
{
    fx *f = ud;
    (void)len;
    if (level == RAFTC_LOG_PANIC && f->panics++ == 0)
        snprintf(f->panic, sizeof(f->panic), "%s", text);
    if (getenv("RAFTC_TEST_VERBOSE") != NULL)
        fprintf(stderr, "%d %s\n", (int)level, text);
}

static const uint8_t *item(raftc_sink *s, size_t *len)
{
    const uint8_t *p = NULL;
    assert_int_equal(raftc_sink_get(&p, len, s, 0), RAFTC_OK);
    return p;
}

static void fill_storage(raftc_memstorage *ms)
{
    static const uint64_t voters[] = {1, 2};
    raftc_sink *cs = NULL, *snap = NULL, *ents = NULL;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&snap), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&ents), RAFTC_OK);
    size_t len;
    assert_int_equal(raftc_conf_state_encode(cs, voters, 2, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    const uint8_t *p = item(cs, &len);
    assert_int_equal(raftc_snapshot_encode(snap, 1, 1, p, len, NULL, 0), RAFTC_OK);
    p = item(snap, &len);
    assert_int_equal(raftc_memstorage_apply_snapshot(ms, p, len), RAFTC_OK);
    for (uint64_t i = 2; i <= 3; i++)
        assert_int_equal(raftc_entry_encode(ents, 1, i, RAFTC_ENTRY_NORMAL, (const uint8_t *)"x", 1), RAFTC_OK);
    const uint8_t *bufs[2];
    size_t lens[2];
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(raftc_sink_get(&bufs[i], &lens[i], ents, i), RAFTC_OK);
    assert_int_equal(raftc_memstorage_append(ms, bufs, lens, 2), RAFTC_OK);
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    raftc_sink_free(ents);
}

/* A config for node 1 over g.ms (or over callbacks when cbs is not NULL). */
static raftc_config *fx_config(const raftc_storage_callbacks *cbs)
{
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(cfg, on_log, &g), RAFTC_OK);
    if (cbs != NULL)
        assert_int_equal(raftc_config_set_storage_callbacks(cfg, cbs), RAFTC_OK);
    else
        assert_int_equal(raftc_config_set_memstorage(cfg, g.ms), RAFTC_OK);
    return cfg;
}

static int fx_setup(void **state)
{
    (void)state;
    memset(&g, 0, sizeof(g));
    assert_int_equal(raftc_memstorage_new(&g.ms), RAFTC_OK);
    fill_storage(g.ms);
    raftc_config *cfg = fx_config(NULL);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&g.node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    g.r = g.node->rn->raft;
    assert_int_equal(g.panics, 0);
    return 0;
}

static int fx_teardown(void **state)
{
    (void)state;
    raftc_node_free(g.node);
    raftc_memstorage_free(g.ms);
    return 0;
}

/* The promise: the node logged a PANIC, says it is failed, and refuses every later call. */
static void expect_failed(void)
{
    assert_true(g.panics >= 1);
    assert_int_equal(raftc_node_is_failed(g.node), 1);
    static const uint64_t ids[] = {1};
    raftc_ready *rd = NULL;
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_tick(g.node), RAFTC_EFAILED);
    assert_string_equal(raftc_node_last_error(g.node), g.panic); /* the first PANIC line */
    assert_int_equal(raftc_node_campaign(g.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_propose(g.node, (const uint8_t *)"x", 1), RAFTC_EFAILED);
    assert_int_equal(raftc_node_bootstrap(g.node, ids, NULL, NULL, 1), RAFTC_EFAILED);
    assert_int_equal(raftc_node_ready(&rd, g.node), RAFTC_EFAILED);
    assert_null(rd);
    assert_int_equal(raftc_node_advance(g.node), RAFTC_EFAILED);
    assert_int_equal(raftc_testing_control(g.node, RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT,
                                           10),
                     RAFTC_EFAILED);
    /* Reading the status stays allowed (abi.md section 4). */
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, g.node), RAFTC_OK);
}

/* ---- storage faults: the log's storage is replaced by one that forwards to the node's, except
 * for the answer the test injects ---- */

typedef enum fault {
    F_NONE, F_FIRST_INDEX, F_LAST_INDEX, F_TERM, F_TERM_COMPACTED, F_ENTRIES_UNAVAILABLE,
    F_ENTRIES_STORAGE, F_ENTRIES_COMPACTED, F_ENTRIES_NONE, F_SNAPSHOT, F_SNAPSHOT_EMPTY
} fault;

static fault g_fault;
static rc_storage g_inner;

static int ft_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    (void)ud;
    return g_inner.ops->initial_state(g_inner.ud, hs, cs);
}

static int ft_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size, rc_entries *out)
{
    (void)ud;
    switch (g_fault) {
    case F_ENTRIES_UNAVAILABLE: return RC_ERR_UNAVAILABLE;
    case F_ENTRIES_STORAGE: return RC_ERR_STORAGE;
    case F_ENTRIES_COMPACTED: return RC_ERR_COMPACTED;
    case F_ENTRIES_NONE: return RC_OK;
    default: return g_inner.ops->entries(g_inner.ud, lo, hi, max_size, out);
    }
}

static int ft_term(void *ud, uint64_t i, uint64_t *term)
{
    (void)ud;
    if (g_fault == F_TERM)
        return RC_ERR_STORAGE;
    if (g_fault == F_TERM_COMPACTED)
        return RC_ERR_COMPACTED;
    return g_inner.ops->term(g_inner.ud, i, term);
}

static int ft_first_index(void *ud, uint64_t *index)
{
    (void)ud;
    return g_fault == F_FIRST_INDEX ? RC_ERR_STORAGE : g_inner.ops->first_index(g_inner.ud, index);
}

static int ft_last_index(void *ud, uint64_t *index)
{
    (void)ud;
    return g_fault == F_LAST_INDEX ? RC_ERR_STORAGE : g_inner.ops->last_index(g_inner.ud, index);
}

static int ft_snapshot(void *ud, rc_snapshot *out)
{
    (void)ud;
    if (g_fault == F_SNAPSHOT)
        return RC_ERR_STORAGE;
    if (g_fault == F_SNAPSHOT_EMPTY)
        return RC_OK;
    return g_inner.ops->snapshot(g_inner.ud, out);
}

static const rc_storage_ops ft_ops = {ft_initial_state, ft_entries, ft_term, ft_first_index,
                                      ft_last_index, ft_snapshot};

static void inject_storage(fault f)
{
    g_inner = g.r->raft_log.storage;
    g.r->raft_log.storage = (rc_storage){&ft_ops, NULL};
    g_fault = f;
}

/* Undoes inject_storage before the node is freed (teardown reads nothing, but stay clean). */
static void restore_storage(void)
{
    g.r->raft_log.storage = g_inner;
    g_fault = F_NONE;
}

/* Makes node 1 the leader at the next term (etcd's becomeCandidate + becomeLeader). */
static void make_leader(void)
{
    rc_raft_become_candidate(g.r);
    assert_int_equal(rc_raft_become_leader(g.r), RC_OK);
    assert_int_equal(g.r->state, RC_STATE_LEADER);
}

static rc_entry entry(uint64_t index, uint64_t term)
{
    rc_entry e;
    memset(&e, 0, sizeof(e));
    e.index = index;
    e.term = term;
    e.type = RC_ENTRY_NORMAL;
    return e;
}

/* ---- node creation: raftc_node_new over host callbacks that forward to g.ms ---- */

static int g_cb_fail; /* 1: first_index fails, 2: initial_state fails */

static int cb_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    (void)ud;
    if (g_cb_fail == 2)
        return RAFTC_EIO;
    return raftc_memstorage_initial_state(hs, cs, g.ms);
}
static int cb_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size)
{
    (void)ud;
    return raftc_memstorage_entries(out, g.ms, lo, hi, max_size);
}
static int cb_term(void *ud, uint64_t *term, uint64_t i)
{
    (void)ud;
    return raftc_memstorage_term(term, g.ms, i);
}
static int cb_first_index(void *ud, uint64_t *index)
{
    (void)ud;
    return g_cb_fail == 1 ? RAFTC_EIO : raftc_memstorage_first_index(index, g.ms);
}
static int cb_last_index(void *ud, uint64_t *index)
{
    (void)ud;
    return raftc_memstorage_last_index(index, g.ms);
}
static int cb_snapshot(void *ud, raftc_sink *out)
{
    (void)ud;
    return raftc_memstorage_snapshot(out, g.ms);
}

/* raftc_node_new over g.ms (callbacks with g_cb_fail when use_cbs) must fail like a panic. */
static void expect_new_fails(int use_cbs)
{
    raftc_storage_callbacks cbs = {sizeof(cbs),     NULL,          cb_initial_state, cb_entries,
                                   cb_term,         cb_first_index, cb_last_index,   cb_snapshot};
    raftc_config *cfg = fx_config(use_cbs ? &cbs : NULL);
    raftc_node *node = (raftc_node *)&g; /* must be reset to NULL */
    const char *err = NULL;
    int panics = g.panics;
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_EFAILED);
    raftc_config_free(cfg);
    assert_null(node);
    assert_non_null(err);
    assert_true(g.panics > panics);
    g_cb_fail = 0;
}

static void site_rc_log_init(void **state)
{
    (void)state;
    g_cb_fail = 1;
    expect_new_fails(1);
    assert_non_null(strstr(g.panic, "first_index callback failed"));
}

static void site_raft_init(void **state)
{
    (void)state;
    g_cb_fail = 2;
    expect_new_fails(1);
    assert_non_null(strstr(g.panic, "initial_state callback failed"));
}

static void site_load_state(void **state)
{
    (void)state;
    raftc_sink *hs = NULL;
    size_t len;
    assert_int_equal(raftc_sink_new(&hs), RAFTC_OK);
    assert_int_equal(raftc_hard_state_encode(hs, 1, 0, 10), RAFTC_OK); /* commit 10 > last 3 */
    const uint8_t *p = item(hs, &len);
    assert_int_equal(raftc_memstorage_set_hard_state(g.ms, p, len), RAFTC_OK);
    raftc_sink_free(hs);
    expect_new_fails(0);
    assert_non_null(strstr(g.panic, "state.commit 10 is out of range"));
}

/* ---- core/log.c ---- */

static void site_log_storage_first_index(void **state)
{
    (void)state;
    inject_storage(F_FIRST_INDEX);
    assert_int_equal(rc_log_first_index(&g.r->raft_log), 0);
    restore_storage();
    expect_failed();
}

static void site_log_storage_last_index(void **state)
{
    (void)state;
    inject_storage(F_LAST_INDEX);
    assert_int_equal(rc_log_last_index(&g.r->raft_log), 0);
    restore_storage();
    expect_failed();
}

static void site_log_storage_term(void **state)
{
    (void)state;
    uint64_t t = 0;
    inject_storage(F_TERM);
    assert_int_equal(rc_log_term(&g.r->raft_log, 2, &t), RC_ERR_FAILED);
    restore_storage();
    expect_failed();
}

static void site_rc_log_last_term(void **state)
{
    (void)state;
    inject_storage(F_TERM_COMPACTED);
    (void)rc_log_last_term(&g.r->raft_log);
    restore_storage();
    expect_failed();
    assert_non_null(strstr(g.panic, "unexpected error when getting the last term"));
}

static void site_log_append(void **state)
{
    (void)state;
    rc_entry e = entry(1, 1); /* at the committed index 1 */
    assert_int_equal(rc_log_append(&g.r->raft_log, &e, 1, NULL), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "after(0) is out of range [committed(1)]"));
}

static void site_rc_log_maybe_append_1(void **state)
{
    (void)state;
    assert_int_equal(rc_log_commit_to(&g.r->raft_log, 3), RC_OK);
    rc_entry e = entry(2, 5); /* conflicts with the committed entry 2 (term 1) */
    uint64_t lastnewi;
    bool ok;
    assert_int_equal(rc_log_maybe_append(&g.r->raft_log, 1, 1, 3, &e, 1, &lastnewi, &ok),
                     RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "entry 2 conflict with committed entry [committed(3)]"));
}

static void site_rc_log_maybe_append_2(void **state)
{
    (void)state;
    rc_entry e = entry(9, 9); /* does not follow index 1 */
    uint64_t lastnewi;
    bool ok;
    assert_int_equal(rc_log_maybe_append(&g.r->raft_log, 1, 1, 1, &e, 1, &lastnewi, &ok),
                     RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "is out of range"));
}

static void site_log_check_bounds_1(void **state)
{
    (void)state;
    rc_entries out = {0};
    assert_int_equal(rc_log_slice(&g.r->raft_log, 3, 2, UINT64_MAX, &out), RC_ERR_FAILED);
    rc_entries_free(&out);
    expect_failed();
    assert_non_null(strstr(g.panic, "invalid slice 3 > 2"));
}

static void site_log_check_bounds_2(void **state)
{
    (void)state;
    rc_entries out = {0};
    assert_int_equal(rc_log_slice(&g.r->raft_log, 2, 10, UINT64_MAX, &out), RC_ERR_FAILED);
    rc_entries_free(&out);
    expect_failed();
    assert_non_null(strstr(g.panic, "slice[2,10) out of bound [2,3]"));
}

static void site_log_copy_stable_1(void **state)
{
    (void)state;
    rc_entries out = {0};
    inject_storage(F_ENTRIES_UNAVAILABLE);
    assert_int_equal(rc_log_slice(&g.r->raft_log, 2, 4, UINT64_MAX, &out), RC_ERR_FAILED);
    restore_storage();
    rc_entries_free(&out);
    expect_failed();
    assert_non_null(strstr(g.panic, "entries[2:4) is unavailable from storage"));
}

static void site_log_copy_stable_2(void **state)
{
    (void)state;
    rc_entries out = {0};
    inject_storage(F_ENTRIES_STORAGE);
    assert_int_equal(rc_log_slice(&g.r->raft_log, 2, 4, UINT64_MAX, &out), RC_ERR_FAILED);
    restore_storage();
    rc_entries_free(&out);
    expect_failed();
}

static int scan_nothing(void *ud, const rc_entry *ents, size_t n)
{
    (void)ud;
    (void)ents;
    (void)n;
    return RC_OK;
}

static void site_rc_log_scan(void **state)
{
    (void)state;
    inject_storage(F_ENTRIES_NONE);
    assert_int_equal(rc_log_scan(&g.r->raft_log, 2, 4, UINT64_MAX, scan_nothing, NULL),
                     RC_ERR_FAILED);
    restore_storage();
    expect_failed();
    assert_non_null(strstr(g.panic, "got 0 entries in [2, 4)"));
}

static void site_rc_log_next_committed_ents_1(void **state)
{
    (void)state;
    rc_raft_log *l = &g.r->raft_log;
    assert_int_equal(rc_log_commit_to(l, 3), RC_OK);
    /* A spent budget that is not marked paused: the invariant accept_applying keeps. */
    l->applying_ents_size = l->max_applying_ents_size;
    l->applying_ents_paused = false;
    rc_entries out = {0};
    assert_int_equal(rc_log_next_committed_ents(l, false, &out), RC_ERR_FAILED);
    rc_entries_free(&out);
    expect_failed();
    assert_non_null(strstr(g.panic, "not positive"));
}

static void site_rc_log_next_committed_ents_2(void **state)
{
    (void)state;
    rc_raft_log *l = &g.r->raft_log;
    assert_int_equal(rc_log_commit_to(l, 3), RC_OK);
    rc_entries out = {0};
    inject_storage(F_ENTRIES_COMPACTED);
    assert_int_equal(rc_log_next_committed_ents(l, false, &out), RC_ERR_FAILED);
    restore_storage();
    rc_entries_free(&out);
    expect_failed();
    assert_non_null(strstr(g.panic, "unexpected error when getting unapplied entries"));
}

static void site_rc_log_commit_to(void **state)
{
    (void)state;
    assert_int_equal(rc_log_commit_to(&g.r->raft_log, 100), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "tocommit(100) is out of range [lastIndex(3)]"));
}

static void site_rc_log_applied_to(void **state)
{
    (void)state;
    assert_int_equal(rc_log_applied_to(&g.r->raft_log, 100, 0), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "applied(100) is out of range"));
}

static void site_rc_log_accept_applying(void **state)
{
    (void)state;
    assert_int_equal(rc_log_accept_applying(&g.r->raft_log, 100, 0, false), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "applying(100) is out of range"));
}

/* ---- core/unstable.c ---- */

static void site_unstable_truncate_and_append(void **state)
{
    (void)state;
    rc_unstable *u = &g.r->raft_log.unstable;
    rc_entry e = entry(u->offset + 5, 1); /* leaves a gap after the unstable tail */
    assert_int_equal(rc_unstable_truncate_and_append(u, &e, 1), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "unstable.slice["));
}

static void site_rc_unstable_slice_1(void **state)
{
    (void)state;
    const rc_entry *ents;
    size_t n;
    assert_int_equal(rc_unstable_slice(&g.r->raft_log.unstable, 5, 4, &ents, &n), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "invalid unstable.slice 5 > 4"));
}

static void site_rc_unstable_slice_2(void **state)
{
    (void)state;
    const rc_entry *ents;
    size_t n;
    assert_int_equal(rc_unstable_slice(&g.r->raft_log.unstable, 1, 9, &ents, &n), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "unstable.slice[1,9) out of bound"));
}

/* ---- core/raft.c ---- */

static void site_rc_raft_send_1(void **state)
{
    (void)state;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_VOTE;
    m.to = 2;
    assert_int_equal(rc_raft_send(g.r, &m), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "term should be set when sending MsgVote"));
}

static void site_rc_raft_send_2(void **state)
{
    (void)state;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_APP;
    m.to = 2;
    m.term = 7;
    assert_int_equal(rc_raft_send(g.r, &m), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "term should not be set when sending MsgApp (was 7)"));
}

static void site_rc_raft_send_3(void **state)
{
    (void)state;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_APP;
    m.to = 1;
    assert_int_equal(rc_raft_send(g.r, &m), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "message should not be self-addressed when sending MsgApp"));
}

static void site_rc_raft_become_candidate(void **state)
{
    (void)state;
    make_leader();
    rc_raft_become_candidate(g.r);
    expect_failed();
    assert_non_null(strstr(g.panic, "invalid transition [leader -> candidate]"));
}

static void site_rc_raft_become_pre_candidate(void **state)
{
    (void)state;
    make_leader();
    rc_raft_become_pre_candidate(g.r);
    expect_failed();
    assert_non_null(strstr(g.panic, "invalid transition [leader -> pre-candidate]"));
}

static void site_rc_raft_become_leader(void **state)
{
    (void)state;
    assert_int_equal(rc_raft_become_leader(g.r), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "invalid transition [follower -> leader]"));
}

static void site_scan_conf_change(void **state)
{
    (void)state;
    /* Committed but unapplied entries that the storage cannot read (a host error, not a
     * panic of the log) when a campaign looks for a pending conf change. */
    assert_int_equal(rc_log_commit_to(&g.r->raft_log, 3), RC_OK);
    inject_storage(F_ENTRIES_COMPACTED);
    assert_int_equal(raftc_node_campaign(g.node), RAFTC_EFAILED);
    restore_storage();
    expect_failed();
    assert_non_null(strstr(g.panic, "error scanning unapplied entries [2, 4)"));
}

/* ---- core/raft_confchange.c ---- */

static void site_assert_equivalent(void **state)
{
    (void)state;
    /* auto_leave without a joint config: the restored config cannot carry it. */
    uint64_t voters[] = {1, 2};
    rc_conf_state cs;
    memset(&cs, 0, sizeof(cs));
    cs.voters = (rc_ids){voters, 2};
    cs.auto_leave = true;
    assert_int_equal(rc_raft_restore_config(g.r, &cs), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "ConfStates not equivalent after sorting"));
}

static void site_rc_raft_restore_config(void **state)
{
    (void)state;
    /* A joint config restored over a tracker that already is joint. */
    uint64_t in[] = {1}, out[] = {1, 2};
    rc_conf_state cs;
    memset(&cs, 0, sizeof(cs));
    cs.voters = (rc_ids){in, 1};
    cs.voters_outgoing = (rc_ids){out, 2};
    assert_int_equal(rc_raft_restore_config(g.r, &cs), RC_OK);
    assert_int_equal(g.panics, 0);
    assert_int_equal(rc_raft_restore_config(g.r, &cs), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "unable to restore config"));
}

static void site_rc_raft_apply_conf_change(void **state)
{
    (void)state;
    /* Through the API: removing both voters leaves none. */
    raftc_cc_type types[] = {RAFTC_CC_REMOVE_NODE, RAFTC_CC_REMOVE_NODE};
    uint64_t ids[] = {1, 2};
    raftc_sink *cc = NULL;
    size_t len;
    assert_int_equal(raftc_sink_new(&cc), RAFTC_OK);
    assert_int_equal(raftc_conf_change_v2_encode(cc, RAFTC_CC_TRANSITION_AUTO, types, ids, 2,
                                                 NULL, 0),
                     RAFTC_OK);
    const uint8_t *p = item(cc, &len);
    assert_int_equal(raftc_node_apply_conf_change(NULL, g.node, RAFTC_CC_V2, p, len),
                     RAFTC_EFAILED);
    raftc_sink_free(cc);
    expect_failed();
    assert_non_null(strstr(g.panic, "removed all voters"));
}

/* ---- core/raft_leader.c ---- */

/* Leader whose follower 2 needs entries from index 1, which the log compacted. */
static void leader_needing_snapshot(fault f)
{
    make_leader();
    rc_progress *pr = rc_progress_map_get(&g.r->trk.progress, 2);
    assert_non_null(pr);
    pr->next = 1;
    pr->recent_active = true;
    inject_storage(f);
    bool sent = false;
    assert_int_equal(rc_raft_maybe_send_append(g.r, 2, false, &sent), RC_ERR_FAILED);
    restore_storage();
}

static void site_maybe_send_snapshot_1(void **state)
{
    (void)state;
    leader_needing_snapshot(F_SNAPSHOT);
    expect_failed();
    assert_non_null(strstr(g.panic, "raft: failed to get snapshot from storage"));
}

static void site_maybe_send_snapshot_2(void **state)
{
    (void)state;
    leader_needing_snapshot(F_SNAPSHOT_EMPTY);
    expect_failed();
    assert_non_null(strstr(g.panic, "need non-empty snapshot"));
}

static void site_check_conf_change(void **state)
{
    (void)state;
    make_leader();
    static const uint8_t garbage[] = {0xff, 0xff, 0xff};
    rc_entry e = entry(0, 0);
    e.type = RC_ENTRY_CONF_CHANGE;
    e.data.data = (uint8_t *)(uintptr_t)garbage;
    e.data.len = sizeof(garbage);
    rc_message m = rc_message_zero;
    m.type = RC_MSG_PROP;
    m.from = 1;
    m.to = 1;
    m.entries = &e;
    m.n_entries = 1;
    assert_int_equal(rc_raft_step(g.r, &m), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "cannot unmarshal conf change in proposal"));
}

static void site_step_prop(void **state)
{
    (void)state;
    make_leader();
    rc_message m = rc_message_zero;
    m.type = RC_MSG_PROP;
    m.from = 1;
    m.to = 1;
    assert_int_equal(rc_raft_step(g.r, &m), RC_ERR_FAILED);
    expect_failed();
    assert_non_null(strstr(g.panic, "stepped empty MsgProp"));
}

/* ---- the case through the API: bootstrap again after an unpersisted Ready ---- */

static void test_bootstrap_again_after_unpersisted_ready(void **state)
{
    (void)state;
    memset(&g, 0, sizeof(g));
    raftc_memstorage *ms = NULL;
    raftc_node *node = NULL;
    raftc_config *cfg = NULL;
    const char *err = NULL;
    static const uint64_t ids[] = {1, 2};
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(cfg, on_log, &g), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    assert_int_equal(raftc_node_bootstrap(node, ids, NULL, NULL, 2), RAFTC_OK);
    raftc_ready *rd = NULL;
    assert_int_equal(raftc_node_ready(&rd, node), RAFTC_OK);
    assert_int_equal(raftc_node_advance(node), RAFTC_OK); /* nothing persisted */
    assert_int_equal(raftc_node_bootstrap(node, ids, NULL, NULL, 2), RAFTC_EFAILED);
    assert_int_equal(g.panics, 1);
    assert_non_null(strstr(g.panic, "after(0) is out of range [committed(2)]"));
    assert_int_equal(raftc_node_is_failed(node), 1);
    assert_int_equal(raftc_node_tick(node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_campaign(node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_ready(&rd, node), RAFTC_EFAILED);
    raftc_node_free(node);
    raftc_memstorage_free(ms);
}

/* ---- the enumeration: every PANIC site of core/ has a test above ---- */

#define SITE(file, key) {file, #key, site_##key}
typedef struct site {
    const char *file;
    const char *key; /* <function> or <function>_<k> (the k-th site in that function) */
    void (*test)(void **);
} site;

static const site g_sites[] = {
    SITE("log.c", rc_log_init),
    SITE("log.c", log_storage_first_index),
    SITE("log.c", log_storage_last_index),
    SITE("log.c", log_storage_term),
    SITE("log.c", rc_log_last_term),
    SITE("log.c", log_append),
    SITE("log.c", rc_log_maybe_append_1),
    SITE("log.c", rc_log_maybe_append_2),
    SITE("log.c", log_check_bounds_1),
    SITE("log.c", log_check_bounds_2),
    SITE("log.c", log_copy_stable_1),
    SITE("log.c", log_copy_stable_2),
    SITE("log.c", rc_log_scan),
    SITE("log.c", rc_log_next_committed_ents_1),
    SITE("log.c", rc_log_next_committed_ents_2),
    SITE("log.c", rc_log_commit_to),
    SITE("log.c", rc_log_applied_to),
    SITE("log.c", rc_log_accept_applying),
    SITE("unstable.c", unstable_truncate_and_append),
    SITE("unstable.c", rc_unstable_slice_1),
    SITE("unstable.c", rc_unstable_slice_2),
    SITE("raft.c", load_state),
    SITE("raft.c", raft_init),
    SITE("raft.c", rc_raft_send_1),
    SITE("raft.c", rc_raft_send_2),
    SITE("raft.c", rc_raft_send_3),
    SITE("raft.c", rc_raft_become_candidate),
    SITE("raft.c", rc_raft_become_pre_candidate),
    SITE("raft.c", rc_raft_become_leader),
    SITE("raft.c", scan_conf_change),
    SITE("raft_confchange.c", assert_equivalent),
    SITE("raft_confchange.c", rc_raft_restore_config),
    SITE("raft_confchange.c", rc_raft_apply_conf_change),
    SITE("raft_leader.c", maybe_send_snapshot_1),
    SITE("raft_leader.c", maybe_send_snapshot_2),
    SITE("raft_leader.c", check_conf_change),
    SITE("raft_leader.c", step_prop),
};
#define N_SITES (sizeof(g_sites) / sizeof(g_sites[0]))

/* One PANIC site found in the sources. */
typedef struct found {
    char file[64];
    char fn[96];
    int ordinal; /* 1-based within fn */
} found;

/* The name of the function a definition line starts ("int rc_log_init(rc_raft_log *l, ..."),
 * or "" if the line starts no definition. */
static void definition_name(const char *line, char *fn, size_t cap)
{
    fn[0] = '\0';
    char c = line[0];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
        return;
    const char *paren = strchr(line, '(');
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
        len--;
    if (paren == NULL || (len > 0 && line[len - 1] == ';') || strncmp(line, "typedef", 7) == 0)
        return;
    const char *end = paren;
    const char *start = end;
    while (start > line && (start[-1] == '_' || (start[-1] >= 'a' && start[-1] <= 'z') ||
                            (start[-1] >= 'A' && start[-1] <= 'Z') ||
                            (start[-1] >= '0' && start[-1] <= '9')))
        start--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= cap)
        return;
    memcpy(fn, start, n);
    fn[n] = '\0';
}

static bool is_comment(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return line[0] == '*' || (line[0] == '/' && (line[1] == '*' || line[1] == '/'));
}

/* Scans one file: a site is a call of rc_raft_panic (outside its own definition) or an rc_logf
 * call whose level, on the same or the next line, is RC_LOG_PANIC. */
static size_t scan_file(const char *dir, const char *name, found *out, size_t n, size_t cap)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024], fn[96] = "";
    int pending_logf = 0; /* the previous line opened an rc_logf call */
    while (fgets(line, sizeof(line), f) != NULL) {
        char def[96];
        definition_name(line, def, sizeof(def));
        if (def[0] != '\0') {
            snprintf(fn, sizeof(fn), "%s", def);
            pending_logf = 0;
            continue;
        }
        bool is_site = false;
        if (!is_comment(line)) {
            if (strstr(line, "rc_raft_panic(") != NULL && strcmp(fn, "rc_raft_panic") != 0)
                is_site = true;
            if (strstr(line, "rc_logf(") != NULL && strstr(line, "RC_LOG_PANIC") != NULL)
                is_site = true;
            if (pending_logf && strstr(line, "RC_LOG_PANIC") != NULL)
                is_site = true;
        }
        /* rc_raft_panic's own rc_logf is the helper every rc_raft_panic site goes through. */
        if (is_site && strcmp(fn, "rc_raft_panic") == 0)
            is_site = false;
        if (is_site) {
            assert_true(n < cap);
            int ordinal = 1;
            for (size_t i = 0; i < n; i++)
                if (strcmp(out[i].file, name) == 0 && strcmp(out[i].fn, fn) == 0)
                    ordinal++;
            snprintf(out[n].file, sizeof(out[n].file), "%s", name);
            snprintf(out[n].fn, sizeof(out[n].fn), "%s", fn);
            out[n].ordinal = ordinal;
            n++;
        }
        pending_logf = !is_comment(line) && strstr(line, "rc_logf(") != NULL &&
                       strstr(line, "RC_LOG_") == NULL;
    }
    fclose(f);
    return n;
}

static void site_key(char *key, size_t cap, const found *s, const found *all, size_t n)
{
    int in_fn = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].file, s->file) == 0 && strcmp(all[i].fn, s->fn) == 0)
            in_fn++;
    if (in_fn > 1)
        snprintf(key, cap, "%s_%d", s->fn, s->ordinal);
    else
        snprintf(key, cap, "%s", s->fn);
}

static void test_every_panic_site_is_injected(void **state)
{
    (void)state;
    const char *dir = RAFTC_SOURCE_DIR "/core";
    DIR *d = opendir(dir);
    assert_non_null(d);
    found sites[256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 2 && strcmp(de->d_name + len - 2, ".c") == 0)
            n = scan_file(dir, de->d_name, sites, n, sizeof(sites) / sizeof(sites[0]));
    }
    closedir(d);
    int missing = 0;
    bool tested[N_SITES] = {false};
    for (size_t i = 0; i < n; i++) {
        char key[128];
        site_key(key, sizeof(key), &sites[i], sites, n);
        size_t j = 0;
        while (j < N_SITES && !(strcmp(g_sites[j].file, sites[i].file) == 0 &&
                                strcmp(g_sites[j].key, key) == 0))
            j++;
        if (j == N_SITES) {
            fprintf(stderr, "PANIC site core/%s %s has no test in test_failed_state.c\n",
                    sites[i].file, key);
            missing++;
        } else {
            tested[j] = true;
        }
    }
    for (size_t j = 0; j < N_SITES; j++)
        if (!tested[j]) {
            fprintf(stderr, "test of core/%s %s names no PANIC site in the sources\n",
                    g_sites[j].file, g_sites[j].key);
            missing++;
        }
    printf("failed-state: %zu PANIC sites in core/, %zu injected\n", n, N_SITES);
    assert_int_equal(missing, 0);
}

int main(void)
{
    struct CMUnitTest tests[N_SITES + 2];
    for (size_t i = 0; i < N_SITES; i++)
        tests[i] = (struct CMUnitTest){g_sites[i].key, g_sites[i].test, fx_setup, fx_teardown,
                                       NULL};
    tests[N_SITES] = (struct CMUnitTest)cmocka_unit_test(test_every_panic_site_is_injected);
    tests[N_SITES + 1] =
        (struct CMUnitTest)cmocka_unit_test(test_bootstrap_again_after_unpersisted_ready);
    return _cmocka_run_group_tests("failed_state", tests, N_SITES + 2, NULL, NULL);
}
