/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_node.c: the public node handle over core/rawnode: lifecycle, logger and storage
 * adapters, argument checks and the input calls (tick, step, propose, ...).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"
#include "log.h"
#include "pack.h"
#include "pb_locate.h"

/* Returns the core's result with the rawnode's error text. */
static int core_result(raftc_node *node, int rc)
{
    return capi_node_result(node, rc, node->rn->err_text);
}

RAFTC_API const char *raftc_node_last_error(const raftc_node *node)
{
    return node == NULL || node->err == NULL ? "" : node->err;
}

RAFTC_API int raftc_node_is_failed(const raftc_node *node)
{
    return node != NULL && node->rn != NULL && rc_raft_is_failed(node->rn->raft) ? 1 : 0;
}

/* ---- logger adapter ---- */

static void node_log(void *ud, int level, const char *msg)
{
    raftc_node *node = ud;
    char detail[CAPI_STORAGE_ERR_MAX];
    if (level >= RC_LOG_PANIC && node->cb != NULL && node->cb->storage_err[0] != '\0') {
        /* The PANIC caused by a storage callback's result: say what the callback did wrong
         * instead of the core's generic text ("storage failure"). */
        memcpy(detail, node->cb->storage_err, sizeof(detail));
        node->cb->storage_err[0] = '\0';
        msg = detail;
    }
    if (level >= RC_LOG_PANIC && node->panic_text == NULL) {
        size_t n = strlen(msg);
        node->panic_text = rc_malloc(n + 1);
        if (node->panic_text != NULL)
            memcpy(node->panic_text, msg, n + 1);
    }
    if (node->log_fn != NULL)
        node->log_fn(node->log_ud, level, msg, strlen(msg));
}

/* ---- host-callback storage adapter ----
 *
 * Wraps raftc_storage_callbacks into the core's rc_storage. A host result that etcd's Storage
 * contract allows for the callback (0, and the sentinel errors below) passes through; anything
 * else (another code, data that does not decode, the wrong number of items, entries that do not
 * match the request) becomes RC_ERR_STORAGE, which the core treats as etcd's panic. The reason is
 * kept in node->cb->storage_err, and node_log puts it in the PANIC line instead of the generic text.
 */

#define SOFT(code) (1u << (unsigned)-(code)) /* set of sentinel codes a callback may return */
#define SOFT_ENTRIES (SOFT(RC_ERR_COMPACTED) | SOFT(RC_ERR_UNAVAILABLE))
#define SOFT_TERM (SOFT(RC_ERR_COMPACTED) | SOFT(RC_ERR_UNAVAILABLE))
#define SOFT_SNAPSHOT SOFT(RC_ERR_SNAP_TEMP_UNAVAILABLE)

/* Records why a callback's result is a storage failure and returns RC_ERR_STORAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int cb_fail(raftc_node *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(node->cb->storage_err, sizeof(node->cb->storage_err), fmt, ap);
    va_end(ap);
    return RC_ERR_STORAGE;
}

/* The host's return code rc of callback `name`: 0 and the codes in `soft` pass through. */
static int cb_host_rc(raftc_node *node, const char *name, int rc, unsigned soft)
{
    if (rc == 0)
        return RC_OK;
    if (rc < 0 && rc >= RC_ERR_UNKNOWN_TYPE && (soft & SOFT(rc)) != 0)
        return rc;
    return cb_fail(node, "storage %s callback failed: %s (code %d)", name, raftc_strerror(rc), rc);
}

/* Item 0 of a sink that must hold at most one item (none = the zero value: *p NULL, *n 0). */
static int cb_one_item(raftc_node *node, const char *name, const char *what, const raftc_sink *s,
                       const uint8_t **p, size_t *n)
{
    *p = NULL;
    *n = 0;
    size_t cnt = raftc_sink_count(s);
    if (cnt > 1)
        return cb_fail(node, "storage %s callback returned %zu %s items, want 1", name, cnt, what);
    if (cnt == 1)
        raftc_sink_get(p, n, s, 0);
    return RC_OK;
}

/* Result of decoding what callback `name` returned: RC_ERR_NOMEM stays ours, the rest is the
 * host's fault. */
static int cb_decoded(raftc_node *node, const char *name, const char *what, int rc)
{
    if (rc == RC_OK || rc == RC_ERR_NOMEM)
        return rc;
    return cb_fail(node, "storage %s callback returned undecodable %s", name, what);
}

static raftc_node *cb_node(void *ud)
{
    raftc_node *node = ud;
    raftc_sink_reset(node->cb->cb_a);
    raftc_sink_reset(node->cb->cb_b);
    return node;
}

static int cb_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    raftc_node *node = cb_node(ud);
    memset(hs, 0, sizeof(*hs));
    memset(cs, 0, sizeof(*cs));
    int rc = cb_host_rc(node, "initial_state",
                        node->cb->cbs.initial_state(node->cb->cbs.ud, node->cb->cb_a, node->cb->cb_b), 0);
    const uint8_t *p = NULL;
    size_t n = 0;
    if (rc == RC_OK)
        rc = cb_one_item(node, "initial_state", "HardState", node->cb->cb_a, &p, &n);
    if (rc == RC_OK && n > 0) /* no item or an empty one: the zero value */
        rc = cb_decoded(node, "initial_state", "HardState", rc_decode_hard_state(hs, p, n));
    if (rc == RC_OK)
        rc = cb_one_item(node, "initial_state", "ConfState", node->cb->cb_b, &p, &n);
    if (rc == RC_OK && n > 0) /* no item or an empty one: the zero value */
        rc = cb_decoded(node, "initial_state", "ConfState", rc_decode_conf_state(cs, p, n));
    return rc;
}

static int cb_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size, rc_entries *out)
{
    raftc_node *node = cb_node(ud);
    int rc = cb_host_rc(node, "entries",
                        node->cb->cbs.entries(node->cb->cbs.ud, node->cb->cb_a, lo, hi, max_size),
                        SOFT_ENTRIES);
    if (rc != RC_OK)
        return rc;
    size_t start = out->n;
    size_t cnt = raftc_sink_count(node->cb->cb_a);
    if (cnt > hi - lo)
        return cb_fail(node, "storage entries callback returned %zu entries for [%llu, %llu), "
                             "want at most %llu",
                       cnt, (unsigned long long)lo, (unsigned long long)hi,
                       (unsigned long long)(hi - lo));
    if (cnt == 0 && lo < hi)
        return cb_fail(node, "storage entries callback returned no entries for [%llu, %llu)",
                       (unsigned long long)lo, (unsigned long long)hi);
    for (size_t i = 0; i < cnt && rc == RC_OK; i++) {
        const uint8_t *p = NULL;
        size_t n = 0;
        rc_entry e;
        raftc_sink_get(&p, &n, node->cb->cb_a, i);
        int drc = rc_decode_entry(&e, p, n);
        if (drc != RC_OK)
            rc = drc == RC_ERR_NOMEM
                     ? drc
                     : cb_fail(node, "storage entries callback returned undecodable entry at "
                                     "position %zu", i);
        else if (e.index != lo + i)
            rc = cb_fail(node, "storage entries callback returned index %llu at position %zu, "
                               "want %llu",
                         (unsigned long long)e.index, i, (unsigned long long)(lo + i));
        else
            rc = rc_entries_push_move(out, &e);
        rc_entry_free(&e);
    }
    if (rc != RC_OK) {
        rc_entries_truncate(out, start);
        return rc;
    }
    size_t keep = rc_limit_size(out->v + start, out->n - start, max_size);
    rc_entries_truncate(out, start + keep);
    return RC_OK;
}

static int cb_term(void *ud, uint64_t i, uint64_t *term)
{
    raftc_node *node = ud;
    *term = 0;
    return cb_host_rc(node, "term", node->cb->cbs.term(node->cb->cbs.ud, term, i), SOFT_TERM);
}

static int cb_first_index(void *ud, uint64_t *index)
{
    raftc_node *node = ud;
    *index = 0;
    return cb_host_rc(node, "first_index", node->cb->cbs.first_index(node->cb->cbs.ud, index), 0);
}

static int cb_last_index(void *ud, uint64_t *index)
{
    raftc_node *node = ud;
    *index = 0;
    return cb_host_rc(node, "last_index", node->cb->cbs.last_index(node->cb->cbs.ud, index), 0);
}

static int cb_snapshot(void *ud, rc_snapshot *out)
{
    raftc_node *node = cb_node(ud);
    memset(out, 0, sizeof(*out));
    int rc = cb_host_rc(node, "snapshot", node->cb->cbs.snapshot(node->cb->cbs.ud, node->cb->cb_a),
                        SOFT_SNAPSHOT);
    const uint8_t *p = NULL;
    size_t n = 0;
    if (rc == RC_OK)
        rc = cb_one_item(node, "snapshot", "Snapshot", node->cb->cb_a, &p, &n);
    if (rc == RC_OK && n > 0)
        rc = cb_decoded(node, "snapshot", "Snapshot", rc_decode_snapshot(out, p, n));
    return rc;
}

static const rc_storage_ops cb_storage_ops = {
    cb_initial_state, cb_entries, cb_term, cb_first_index, cb_last_index, cb_snapshot,
};

/* ---- lifecycle ---- */

RAFTC_API void raftc_node_free(raftc_node *node)
{
    if (node == NULL)
        return;
    rc_rawnode_free(node->rn);
    capi_ready_view_free(node);
    if (node->cb != NULL) {
        raftc_sink_free(node->cb->cb_a);
        raftc_sink_free(node->cb->cb_b);
        rc_free(node->cb);
    }
    rc_free(node->err_buf);
    rc_free(node->step_scratch.v); /* entry slots only: their payloads were released */
    rc_free(node->panic_text);
    rc_free(node);
}

/* The storage callbacks' sinks and error text (memory-storage nodes need none). */
static int node_alloc_callback_state(raftc_node *node, capi_storage_kind kind)
{
    if (kind != CAPI_STORAGE_CALLBACKS)
        return RAFTC_OK;
    node->cb = rc_calloc(1, sizeof(*node->cb));
    if (node->cb == NULL)
        return RAFTC_ENOMEM;
    if (raftc_sink_new(&node->cb->cb_a) != RAFTC_OK || raftc_sink_new(&node->cb->cb_b) != RAFTC_OK)
        return RAFTC_ENOMEM;
    return RAFTC_OK;
}

/* raftc_node_new, or (packed != NULL) the node of a packed block (rc_pack_restore). */
static int node_create(raftc_node **out, const char **err, const raftc_config *cfg,
                       const uint8_t *packed);

RAFTC_API int raftc_node_new(raftc_node **out, const char **err, const raftc_config *cfg)
{
    return node_create(out, err, cfg, NULL);
}

int capi_node_restore(raftc_node **out, const raftc_config *cfg, const uint8_t *packed)
{
    return node_create(out, NULL, cfg, packed);
}

static int node_create(raftc_node **out, const char **err, const raftc_config *cfg,
                       const uint8_t *packed)
{
    if (err != NULL)
        *err = "";
    if (out != NULL)
        *out = NULL;
    if (out == NULL || cfg == NULL) {
        if (err != NULL)
            *err = raftc_strerror(RAFTC_EINVAL);
        return RAFTC_EINVAL;
    }
    *out = NULL;
    if (cfg->storage_kind == CAPI_STORAGE_NONE) {
        /* The core's validation names the first problem, in etcd's order (a missing storage
         * after the id and tick checks: "storage cannot be nil"). */
        rc_config c = cfg->c;
        const char *text = "storage cannot be nil";
        (void)rc_config_validate(&c, &text);
        if (err != NULL)
            *err = text;
        return RAFTC_ECONFIG;
    }
    raftc_node *node = rc_calloc(1, sizeof(*node));
    if (node == NULL || node_alloc_callback_state(node, cfg->storage_kind) != RAFTC_OK) {
        raftc_node_free(node);
        if (err != NULL)
            *err = raftc_strerror(RAFTC_ENOMEM);
        return RAFTC_ENOMEM;
    }
    node->err = "";
    node->log_fn = cfg->log_fn;
    node->log_ud = cfg->log_ud;
    node->storage_kind = cfg->storage_kind;
    rc_config c = cfg->c;
    c.logger.fn = node_log;
    c.logger.ud = node;
    if (cfg->storage_kind == CAPI_STORAGE_MEM) {
        c.storage = rc_memstorage_storage(cfg->ms->ms);
    } else if (cfg->storage_kind == CAPI_STORAGE_DISK) {
        c.storage = ds_storage_view(cfg->ds->ds);
    } else {
        node->cb->cbs = cfg->cbs;
        c.storage.ops = &cb_storage_ops;
        c.storage.ud = node;
    }
    const char *text = NULL;
    int rc = packed != NULL ? rc_pack_restore(&node->rn, &c, packed)
                            : rc_rawnode_new(&node->rn, &c, &text);
    if (rc != RC_OK) {
        if (err != NULL)
            *err = text != NULL ? text : raftc_strerror(rc);
        raftc_node_free(node);
        return rc;
    }
    *out = node;
    return RAFTC_OK;
}

/* ---- inputs ---- */

RAFTC_API int raftc_node_bootstrap(raftc_node *node, const uint64_t *ids,
                                   const uint8_t *const *contexts, const size_t *context_lens,
                                   size_t n)
{
    CAPI_NODE_CHECK(node);
    if ((ids == NULL && n != 0) || (contexts != NULL && context_lens == NULL))
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    if (n > CAPI_MAX_INPUT / sizeof(rc_bytes))
        return capi_node_result(node, RAFTC_ETOOLARGE, NULL);
    rc_bytes *ctx = NULL;
    if (contexts != NULL && n > 0) {
        ctx = rc_calloc(n, sizeof(*ctx));
        if (ctx == NULL)
            return capi_node_result(node, RAFTC_ENOMEM, NULL);
        for (size_t i = 0; i < n; i++) {
            if (contexts[i] == NULL && context_lens[i] != 0) {
                rc_free(ctx);
                return capi_node_result(node, RAFTC_EINVAL, NULL);
            }
            ctx[i].data = context_lens[i] > 0 ? (uint8_t *)(uintptr_t)contexts[i] : NULL;
            ctx[i].len = context_lens[i];
        }
    }
    int rc = rc_rawnode_bootstrap(node->rn, ids, ctx, n);
    rc_free(ctx);
    return core_result(node, rc);
}

RAFTC_API int raftc_node_tick(raftc_node *node)
{
    CAPI_NODE_CHECK(node);
    return core_result(node, rc_rawnode_tick(node->rn));
}

RAFTC_API int raftc_node_campaign(raftc_node *node)
{
    CAPI_NODE_CHECK(node);
    return core_result(node, rc_rawnode_campaign(node->rn));
}

RAFTC_API int raftc_node_propose(raftc_node *node, const uint8_t *data, size_t len)
{
    CAPI_NODE_CHECK(node);
    if (data == NULL && len != 0)
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    if (len > CAPI_MAX_INPUT)
        return capi_node_result(node, RAFTC_ETOOLARGE, NULL);
    return core_result(node, rc_rawnode_propose(node->rn, data, len));
}

/* The input checks of a shared buffer (as raftc_node_propose / raftc_node_step make them). */
static int shared_input_check(const raftc_node *node, const uint8_t *buf, size_t len)
{
    if (node == NULL || (buf == NULL && len != 0))
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    if (rc_raft_is_failed(node->rn->raft))
        return RAFTC_EFAILED;
    return RAFTC_OK;
}

RAFTC_API int raftc_node_propose_shared(raftc_node *node, const uint8_t *data, size_t len,
                                        raftc_release_fn release, void *ud)
{
    int rc = shared_input_check(node, data, len);
    if (rc != RAFTC_OK) {
        if (release != NULL)
            release(ud, data, len);
        return node != NULL ? capi_node_result(node, rc, NULL) : rc;
    }
    /* The log, the Ready, the messages and the storage share the host's buffer. */
    rc_entry e = {.type = RC_ENTRY_NORMAL};
    if (rc_bytes_wrap(&e.data, data, len, release, ud) != RC_OK)
        return capi_node_result(node, RAFTC_ENOMEM, NULL);
    rc = rc_rawnode_propose_entries(node->rn, &e, 1);
    rc_bytes_free(&e.data);
    return core_result(node, rc);
}

/* Batches up to this many entries are built on the stack (raftc_node_propose_list). */
#define PROPOSE_LIST_SMALL 64

RAFTC_API int raftc_node_propose_list(raftc_node *node, const uint8_t *const *datas,
                                      const size_t *lens, size_t n)
{
    CAPI_NODE_CHECK(node);
    if (n == 0 || datas == NULL || lens == NULL)
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    for (size_t i = 0; i < n; i++) {
        if (datas[i] == NULL && lens[i] != 0)
            return capi_node_result(node, RAFTC_EINVAL, NULL);
        if (lens[i] > CAPI_MAX_INPUT)
            return capi_node_result(node, RAFTC_ETOOLARGE, NULL);
    }
    if (n > SIZE_MAX / sizeof(rc_entry))
        return capi_node_result(node, RAFTC_ENOMEM, NULL);
    /* A batch of a host's usual size needs no allocation of its own. */
    rc_entry small[PROPOSE_LIST_SMALL];
    rc_entry *es = small;
    if (n > PROPOSE_LIST_SMALL)
        es = rc_calloc(n, sizeof(rc_entry));
    else
        memset(small, 0, n * sizeof(rc_entry));
    if (es == NULL)
        return capi_node_result(node, RAFTC_ENOMEM, NULL);
    int rc = RC_OK;
    size_t made = 0;
    /* Payloads go into the node's slabs once, as for raftc_node_propose. */
    for (; made < n && rc == RC_OK; made++) {
        es[made].type = RC_ENTRY_NORMAL;
        rc = rc_bytes_set_pooled(&es[made].data, &node->rn->pool, datas[made], lens[made]);
    }
    if (rc == RC_OK)
        rc = rc_rawnode_propose_entries(node->rn, es, n);
    for (size_t i = 0; i < made; i++)
        rc_bytes_free(&es[i].data);
    if (es != small)
        rc_free(es);
    return rc == RC_ERR_NOMEM ? capi_node_result(node, RAFTC_ENOMEM, NULL) : core_result(node, rc);
}

/* Checks conf change bytes of the given kind; fills *v2 (owned) when non-NULL. */
static int decode_cc(int kind, const uint8_t *buf, size_t len, rc_conf_change_v2 *v2)
{
    if (buf == NULL && len != 0)
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_conf_change_v2 tmp;
    if (v2 == NULL)
        v2 = &tmp;
    int rc;
    if (kind == RAFTC_CC_V1) {
        rc_conf_change v1;
        rc = rc_decode_conf_change(&v1, buf, len);
        if (rc != RC_OK)
            return rc;
        rc = rc_cc_v1_as_v2(v2, &v1);
        rc_conf_change_free(&v1);
    } else if (kind == RAFTC_CC_V2) {
        rc = rc_decode_conf_change_v2(v2, buf, len);
    } else {
        return RAFTC_EINVAL;
    }
    if (rc == RC_OK && v2 == &tmp)
        rc_conf_change_v2_free(&tmp);
    return rc;
}

RAFTC_API int raftc_node_propose_conf_change(raftc_node *node, raftc_cc_kind kind,
                                             const uint8_t *buf, size_t len)
{
    CAPI_NODE_CHECK(node);
    int rc = decode_cc(kind, buf, len, NULL);
    if (rc != RC_OK)
        return capi_node_result(node, rc, NULL);
    rc_entry_type t = kind == RAFTC_CC_V1 ? RC_ENTRY_CONF_CHANGE : RC_ENTRY_CONF_CHANGE_V2;
    return core_result(node, rc_rawnode_propose_conf_change(node->rn, t, buf, len));
}

RAFTC_API int raftc_node_apply_conf_change(raftc_sink *conf_state, raftc_node *node,
                                           raftc_cc_kind kind, const uint8_t *buf, size_t len)
{
    CAPI_NODE_CHECK(node);
    rc_conf_change_v2 cc;
    int rc = decode_cc(kind, buf, len, &cc);
    if (rc != RC_OK)
        return capi_node_result(node, rc, NULL);
    rc_conf_state cs = {0};
    rc = rc_rawnode_apply_conf_change(node->rn, &cc, &cs);
    rc_conf_change_v2_free(&cc);
    if (rc == RC_OK && conf_state != NULL) {
        rc = capi_sink_put_conf_state(conf_state, &cs);
        rc_conf_state_free(&cs);
        return capi_node_result(node, rc, NULL);
    }
    rc_conf_state_free(&cs);
    return core_result(node, rc);
}

/* Decodes and steps buf; with shared (a blob holding buf), entry payloads share it. */
static int step_bytes(raftc_node *node, const uint8_t *buf, size_t len, const rc_bytes *shared)
{
    rc_step_message sm;
    int rc = rc_decode_step_message(&sm, buf, len, CAPI_MAX_INPUT, &node->step_scratch,
                                    &node->rn->pool, shared);
    if (rc == RC_ERR_DECODE) {
        char text[CAPI_ERR_TEXT_MAX];
        return capi_node_result(node, rc,
                                 rc_pb_locate_error(RC_PB_MESSAGE, buf, len, text, sizeof(text)));
    }
    if (rc != RC_OK)
        return capi_node_result(node, rc, NULL);
    rc = rc_rawnode_step(node->rn, &sm.m);
    rc_step_message_release(&sm);
    return core_result(node, rc);
}

RAFTC_API int raftc_node_step(raftc_node *node, const uint8_t *buf, size_t len)
{
    CAPI_NODE_CHECK(node);
    if (buf == NULL && len != 0)
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    if (len > CAPI_MAX_INPUT)
        return capi_node_result(node, RAFTC_ETOOLARGE, NULL);
    /* Read once, by the core's codec: the common shapes into a reused entry array with payloads
     * in the node's slabs (no allocation per message once warm), anything else by protobuf-c. */
    return step_bytes(node, buf, len, NULL);
}

RAFTC_API int raftc_node_step_shared(raftc_node *node, const uint8_t *buf, size_t len,
                                     raftc_release_fn release, void *ud)
{
    int rc = shared_input_check(node, buf, len);
    if (rc != RAFTC_OK) {
        if (release != NULL)
            release(ud, buf, len);
        return node != NULL ? capi_node_result(node, rc, NULL) : rc;
    }
    rc_bytes shared;
    if (rc_bytes_wrap(&shared, buf, len, release, ud) != RC_OK)
        return capi_node_result(node, RAFTC_ENOMEM, NULL);
    rc = step_bytes(node, buf, len, shared.len > 0 ? &shared : NULL);
    rc_bytes_free(&shared); /* the entries stepped into the log keep their own references */
    return rc;
}

RAFTC_API int raftc_node_read_index(raftc_node *node, const uint8_t *ctx, size_t len)
{
    CAPI_NODE_CHECK(node);
    if (ctx == NULL && len != 0)
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    if (len > CAPI_MAX_INPUT)
        return capi_node_result(node, RAFTC_ETOOLARGE, NULL);
    return core_result(node, rc_rawnode_read_index(node->rn, ctx, len));
}

RAFTC_API int raftc_node_transfer_leader(raftc_node *node, uint64_t transferee)
{
    CAPI_NODE_CHECK(node);
    return core_result(node, rc_rawnode_transfer_leader(node->rn, transferee));
}

RAFTC_API int raftc_node_forget_leader(raftc_node *node)
{
    CAPI_NODE_CHECK(node);
    return core_result(node, rc_rawnode_forget_leader(node->rn));
}

RAFTC_API int raftc_node_report_unreachable(raftc_node *node, uint64_t id)
{
    CAPI_NODE_CHECK(node);
    if (id == RAFTC_NONE)
        return capi_node_result(node, RAFTC_EINVAL, "id must not be 0");
    return core_result(node, rc_rawnode_report_unreachable(node->rn, id));
}

RAFTC_API int raftc_node_report_snapshot(raftc_node *node, uint64_t id,
                                         raftc_snapshot_status status)
{
    CAPI_NODE_CHECK(node);
    if (id == RAFTC_NONE)
        return capi_node_result(node, RAFTC_EINVAL, "id must not be 0");
    if (status != RAFTC_SNAPSHOT_FINISH && status != RAFTC_SNAPSHOT_FAILURE)
        return capi_node_result(node, RAFTC_EINVAL, "unknown snapshot status");
    return core_result(node, rc_rawnode_report_snapshot(node->rn, id,
                                                        status == RAFTC_SNAPSHOT_FAILURE));
}

RAFTC_API int raftc_testing_control(raftc_node *node, raftc_testing_op op, uint64_t value)
{
    switch (op) {
    case RAFTC_TESTING_MEMFS:
    case RAFTC_TESTING_MEMFS_POWER_CUT:
        return node == NULL ? capi_memfs_control(op, value) : RAFTC_EINVAL;
    default:
        break;
    }
    CAPI_NODE_CHECK(node);
    switch (op) {
    case RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT:
        if (value == 0 || value > INT_MAX / 2)
            return capi_node_result(node, RAFTC_EINVAL,
                                    "randomized election timeout must be in [1, INT_MAX / 2]");
        rc_raft_set_randomized_election_timeout(node->rn->raft, (int)value);
        return capi_node_result(node, RAFTC_OK, NULL);
    default:
        return capi_node_result(node, RAFTC_EINVAL, "unknown testing operation");
    }
}
