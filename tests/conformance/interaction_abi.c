/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_abi.c: the interaction driver's glue to raftc.h: node creation with the harness
 * config stub (HARNESS.md §2.1), the logger sink, the storage callbacks that wrap a memory
 * storage but answer Snapshot() with the History tip (§2.2), and error-code mapping.
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

/* ---- logger ---- */

static void log_cb(void *ud, raftc_log_level level, const char *msg, size_t len) {
    (void)len;
    ia_log((ia_env *)ud, level, msg);
}

/* ---- storage: MemoryStorage with Snapshot() overridden ---- */

/* A callback that storage-fail made fail returns RAFTC_ESTORAGE (a disk error). */
#define IA_FAILING(ud, bit) ((((ia_node *)(ud))->failing & (bit)) != 0)

static int st_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs) {
    if (IA_FAILING(ud, IA_FAIL_INITIAL_STATE))
        return RAFTC_ESTORAGE;
    return raftc_memstorage_initial_state(hs, cs, ((ia_node *)ud)->ms);
}

static int st_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size) {
    if (IA_FAILING(ud, IA_FAIL_ENTRIES))
        return RAFTC_ESTORAGE;
    return raftc_memstorage_entries(out, ((ia_node *)ud)->ms, lo, hi, max_size);
}

static int st_term(void *ud, uint64_t *term, uint64_t i) {
    if (IA_FAILING(ud, IA_FAIL_TERM))
        return RAFTC_ESTORAGE;
    return raftc_memstorage_term(term, ((ia_node *)ud)->ms, i);
}

static int st_first_index(void *ud, uint64_t *index) {
    if (IA_FAILING(ud, IA_FAIL_FIRST_INDEX))
        return RAFTC_ESTORAGE;
    return raftc_memstorage_first_index(index, ((ia_node *)ud)->ms);
}

static int st_last_index(void *ud, uint64_t *index) {
    if (IA_FAILING(ud, IA_FAIL_LAST_INDEX))
        return RAFTC_ESTORAGE;
    return raftc_memstorage_last_index(index, ((ia_node *)ud)->ms);
}

static int st_snapshot(void *ud, raftc_sink *out) {
    if (IA_FAILING(ud, IA_FAIL_SNAPSHOT))
        return RAFTC_ESTORAGE;
    return ia_snap_encode(ia_history_tip((ia_node *)ud), out);
}

/* ---- errors ---- */

const char *ia_node_err_text(const ia_node *n, int rc) {
    const char *t = n && n->rn ? raftc_node_last_error(n->rn) : "";
    return t[0] != '\0' ? t : raftc_strerror(rc);
}

int ia_check(ia_env *e, ia_node *n, int rc) {
    if (rc == RAFTC_OK)
        return IA_OK;
    if (rc == RAFTC_EFAILED)
        return ia_fail(e, "node %llu failed: %s", (unsigned long long)n->id,
                       ia_node_err_text(n, rc));
    return ia_fail(e, "%s", ia_node_err_text(n, rc));
}

int ia_check_fatal_only(ia_env *e, ia_node *n, int rc) {
    return rc == RAFTC_EFAILED ? ia_check(e, n, rc) : IA_OK;
}

/* ---- node ---- */

static int set_u64(raftc_config *c, int opt, uint64_t v, int rc) {
    return rc != RAFTC_OK ? rc : raftc_config_set_u64(c, opt, v);
}

static int set_bool(raftc_config *c, int opt, bool v, int rc) {
    return rc != RAFTC_OK ? rc : raftc_config_set_bool(c, opt, v ? 1 : 0);
}

int ia_node_open(ia_env *e, ia_node *n, const ia_node_cfg *nc) {
    raftc_config *cfg = NULL;
    int rc = raftc_config_new(&cfg);
    if (rc != RAFTC_OK)
        return ia_fatal(e, "raftc_config_new: %s", raftc_strerror(rc));
    n->cfg = *nc;
    n->async = nc->async_storage_writes;
    n->heartbeat_tick = 1;
    n->election_tick = 3;
    n->storage_cbs = (raftc_storage_callbacks){
        .struct_size = sizeof(raftc_storage_callbacks),
        .ud = n,
        .initial_state = st_initial_state,
        .entries = st_entries,
        .term = st_term,
        .first_index = st_first_index,
        .last_index = st_last_index,
        .snapshot = st_snapshot,
    };
    rc = set_u64(cfg, RAFTC_OPT_ID, n->id, rc);
    rc = set_u64(cfg, RAFTC_OPT_ELECTION_TICK, (uint64_t)n->election_tick, rc);
    rc = set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, (uint64_t)n->heartbeat_tick, rc);
    rc = set_u64(cfg, RAFTC_OPT_APPLIED, nc->applied, rc);
    rc = set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, nc->max_size_per_msg, rc);
    rc = set_u64(cfg, RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE, nc->max_uncommitted_entries_size, rc);
    rc = set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_BYTES, nc->max_inflight_bytes, rc);
    rc = set_u64(cfg, RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY, nc->max_committed_size_per_ready, rc);
    rc = set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, nc->max_inflight_msgs, rc);
    rc = set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, nc->check_quorum, rc);
    rc = set_bool(cfg, RAFTC_OPT_PRE_VOTE, nc->pre_vote, rc);
    rc = set_u64(cfg, RAFTC_OPT_READ_ONLY_OPTION, nc->read_only_lease_based
                                                      ? RAFTC_READ_ONLY_LEASE_BASED
                                                      : RAFTC_READ_ONLY_SAFE, rc);
    rc = set_bool(cfg, RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION,
                  nc->disable_conf_change_validation, rc);
    rc = set_bool(cfg, RAFTC_OPT_STEP_DOWN_ON_REMOVAL, nc->step_down_on_removal, rc);
    rc = set_bool(cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, nc->async_storage_writes, rc);
    if (rc == RAFTC_OK)
        rc = raftc_config_set_logger(cfg, log_cb, e);
    if (rc == RAFTC_OK)
        rc = raftc_config_set_storage_callbacks(cfg, &n->storage_cbs);
    if (rc != RAFTC_OK) {
        raftc_config_free(cfg);
        return ia_fatal(e, "configuring node %llu: %s", (unsigned long long)n->id,
                        raftc_strerror(rc));
    }
    const char *err = NULL;
    rc = raftc_node_new(&n->rn, &err, cfg);
    raftc_config_free(cfg);
    if (rc != RAFTC_OK) {
        n->rn = NULL;
        return ia_fail(e, "%s", err ? err : raftc_strerror(rc));
    }
    return IA_OK;
}

void ia_node_free(ia_node *n) {
    raftc_node_free(n->rn);
    n->rn = NULL;
    ia_storage_free(n);
}

bool ia_has_ready(ia_node *n) { return raftc_node_has_ready(n->rn) == 1; }

void ia_describe_message(ia_env *e, const uint8_t *b, size_t len) {
    char *s = NULL;
    int rc = raftc_message_describe(&s, b, len);
    if (rc != RAFTC_OK) {
        ia_printf(e, "<describe failed: %s>", raftc_strerror(rc));
        return;
    }
    ia_puts(e, s);
    raftc_free(s);
}

int ia_step(ia_env *e, ia_node *n, const ia_msg *m) {
    int rc = raftc_node_step(n->rn, m->b, m->len);
    if (rc == RAFTC_OK)
        return IA_OK;
    if (rc == RAFTC_EFAILED)
        return ia_check(e, n, rc);
    ia_printf(e, "%s\n", ia_node_err_text(n, rc));
    return IA_OK;
}
