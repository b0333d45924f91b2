/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * rawnode.c: etcd's RawNode: Ready construction and acceptance, Advance, Bootstrap and the
 * thin wrappers that turn API calls into local messages stepped into raft.
 */
#include "rawnode.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"

static const char *const ERR_TWO_READY = "two accepted Ready structs without call to Advance";
static const char *const ERR_ASYNC_ADVANCE =
    "Advance must not be called when using AsyncStorageWrites";

/* ---- small helpers ---- */

static int fail(rc_rawnode *rn, int rc, const char *text)
{
    rn->err_text = text;
    return rc;
}

/* Fails with a formatted text kept in rn->err_buf (allocated on first use; a static text when
 * out of memory). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_fmt(rc_rawnode *rn, int rc, const char *fmt, ...)
{
    if (rn->err_buf == NULL)
        rn->err_buf = rc_malloc(RC_RAWNODE_ERR_MAX);
    if (rn->err_buf == NULL)
        return fail(rn, rc, "refused (no memory for the reason)");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rn->err_buf, RC_RAWNODE_ERR_MAX, fmt, ap);
    va_end(ap);
    return fail(rn, rc, rn->err_buf);
}

/* Records the text of a raft step result. */
static int result(rc_rawnode *rn, int rc)
{
    switch (rc) {
    case RC_OK: rn->err_text = ""; break;
    case RC_ERR_PROPOSAL_DROPPED: rn->err_text = "raft proposal dropped"; break;
    case RC_ERR_FAILED: rn->err_text = "raft node failed"; break;
    default: rn->err_text = rc_log_err_text(rc); break;
    }
    return rc;
}

#define RN_CHECK(rn)                                                                               \
    do {                                                                                           \
        if (rc_raft_is_failed((rn)->raft))                                                                    \
            return fail((rn), RC_ERR_FAILED, "raft node failed");                                  \
    } while (0)

static bool soft_state_equal(const rc_soft_state *a, const rc_soft_state *b)
{
    return a->lead == b->lead && a->raft_state == b->raft_state;
}

/* etcd's MustSync. */
static bool must_sync(const rc_hard_state *st, const rc_hard_state *prev, size_t n_ents)
{
    return n_ents != 0 || st->vote != prev->vote || st->term != prev->term;
}

static int copy_entry_array(rc_entry **dst, size_t *n_dst, const rc_entry *src, size_t n)
{
    *dst = NULL;
    *n_dst = 0;
    if (n == 0)
        return RC_OK;
    rc_entry *v = rc_calloc(n, sizeof(*v));
    if (v == NULL)
        return RC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (rc_entry_copy(&v[i], &src[i]) != RC_OK) {
            for (size_t j = 0; j < i; j++)
                rc_entry_free(&v[j]);
            rc_free(v);
            return RC_ERR_NOMEM;
        }
    }
    *dst = v;
    *n_dst = n;
    return RC_OK;
}

static int copy_snapshot_ptr(rc_snapshot **dst, const rc_snapshot *src)
{
    *dst = NULL;
    if (src == NULL)
        return RC_OK;
    rc_snapshot *s = rc_calloc(1, sizeof(*s));
    if (s == NULL)
        return RC_ERR_NOMEM;
    if (rc_snapshot_copy(s, src) != RC_OK) {
        rc_free(s);
        return RC_ERR_NOMEM;
    }
    *dst = s;
    return RC_OK;
}

/* Appends a deep copy of *m to ms. */
static int push_copy(rc_msgs *ms, const rc_message *m)
{
    rc_message c;
    if (rc_message_copy(&c, m) != RC_OK)
        return RC_ERR_NOMEM;
    int rc = rc_msgs_push(ms, &c);
    if (rc != RC_OK)
        rc_message_free(&c);
    return rc;
}

/* ---- lifecycle ---- */

int rc_rawnode_new(rc_rawnode **out, const rc_config *c, const char **err_text)
{
    *out = NULL;
    rc_rawnode *rn = rc_calloc(1, sizeof(*rn));
    if (rn == NULL) {
        if (err_text != NULL)
            *err_text = "out of memory";
        return RC_ERR_NOMEM;
    }
    const char *text = NULL;
    int rc = rc_raft_new(&rn->raft, c, &text);
    if (rc != RC_OK) {
        if (err_text != NULL)
            *err_text = text != NULL ? text : rc_log_err_text(rc);
        rc_free(rn);
        return rc;
    }
    rn->async_storage_writes = c->async_storage_writes;
    rn->prev_soft_st = rc_raft_soft_state(rn->raft);
    rn->prev_hard_st = rc_raft_hard_state(rn->raft);
    rn->err_text = "";
    *out = rn;
    return RC_OK;
}

void rc_rawnode_free(rc_rawnode *rn)
{
    if (rn == NULL)
        return;
    rc_msgs_free(&rn->steps_on_advance);
    rc_raft_free(rn->raft);
    rc_blob_pool_free(&rn->pool);
    rc_free(rn->err_buf);
    rc_free(rn);
}

/* ---- bootstrap ---- */

int rc_rawnode_bootstrap(rc_rawnode *rn, const uint64_t *ids, const rc_bytes *contexts,
                         size_t n)
{
    RN_CHECK(rn);
    rc_raft *r = rn->raft;
    if (n == 0)
        return fail(rn, RC_ERR_INVALID, "must provide at least one peer to Bootstrap");
    for (size_t i = 0; i < n; i++)
        if (ids[i] == RC_NONE)
            return fail(rn, RC_ERR_INVALID, "peer id must not be 0");
    uint64_t last = 0;
    const rc_storage *st = &r->raft_log.storage;
    int rc = st->ops->last_index(st->ud, &last);
    if (rc != RC_OK)
        return fail(rn, rc, rc_log_err_text(rc));
    if (last != 0)
        return fail(rn, RC_ERR_STATE, "can't bootstrap a nonempty Storage");

    rc_entries ents = {0};
    for (size_t i = 0; i < n && rc == RC_OK; i++) {
        rc_conf_change cc = {.type = RC_CC_ADD_NODE, .node_id = ids[i]};
        if (contexts != NULL)
            cc.context = contexts[i];
        rc_entry e = {.term = 1, .index = i + 1, .type = RC_ENTRY_CONF_CHANGE};
        uint8_t *enc = NULL;
        size_t len = 0;
        rc = rc_encode_conf_change(&enc, &len, &cc);
        /* Into the node's slab: the log and the storage share it (one block per group). */
        if (rc == RC_OK)
            rc = rc_bytes_set_pooled(&e.data, &rn->pool, enc, len);
        rc_free(enc);
        if (rc == RC_OK)
            rc = rc_entries_push_move(&ents, &e);
        if (rc != RC_OK)
            rc_entry_free(&e);
    }
    if (rc != RC_OK) {
        rc_entries_free(&ents);
        return fail(rn, rc, "out of memory");
    }

    /* Nothing is persisted yet: the first Ready must carry a HardState. */
    rn->prev_hard_st = (rc_hard_state){0};
    rc_raft_become_follower(r, 1, RC_NONE);
    uint64_t li = 0;
    rc = rc_log_append(&r->raft_log, ents.v, ents.n, &li);
    rc_entries_free(&ents);
    /* The node is already a follower at term 1: a failure here (the log's PANIC when a Ready
     * of an earlier bootstrap was advanced but not persisted, or an allocation failure) cannot
     * be undone, so it fails the node. */
    if (rc != RC_OK) {
        r->failed = true;
        return result(rn, rc);
    }
    r->raft_log.committed = n;
    for (size_t i = 0; i < n; i++) {
        rc_cc_single one = {.type = RC_CC_ADD_NODE, .node_id = ids[i]};
        rc_conf_change_v2 v2 = {.transition = RC_CC_TRANSITION_AUTO, .changes = &one,
                                .n_changes = 1};
        rc_conf_state cs = {0};
        rc = rc_raft_apply_conf_change(r, &v2, &cs);
        rc_conf_state_free(&cs);
        if (rc != RC_OK) {
            r->failed = true;
            return result(rn, rc);
        }
    }
    return result(rn, RC_OK);
}

/* ---- inputs ---- */

int rc_rawnode_tick(rc_rawnode *rn)
{
    RN_CHECK(rn);
    return result(rn, rc_raft_tick(rn->raft));
}

int rc_rawnode_campaign(rc_rawnode *rn)
{
    RN_CHECK(rn);
    rc_message m = {.type = RC_MSG_HUP};
    return result(rn, rc_raft_step(rn->raft, &m));
}

int rc_rawnode_propose_entries(rc_rawnode *rn, rc_entry *es, size_t n)
{
    RN_CHECK(rn);
    return result(rn, rc_raft_propose(rn->raft, es, n));
}

int rc_rawnode_propose(rc_rawnode *rn, const uint8_t *data, size_t len)
{
    RN_CHECK(rn);
    /* The payload goes into a pooled slab once; the log, the Ready and the storage share it. */
    rc_entry e = {.type = RC_ENTRY_NORMAL};
    if (rc_bytes_set_pooled(&e.data, &rn->pool, data, len) != RC_OK)
        return fail(rn, RC_ERR_NOMEM, "out of memory");
    int rc = rc_rawnode_propose_entries(rn, &e, 1);
    rc_bytes_free(&e.data);
    return rc;
}

int rc_rawnode_propose_conf_change(rc_rawnode *rn, rc_entry_type type, const uint8_t *data,
                                   size_t len)
{
    RN_CHECK(rn);
    if (type != RC_ENTRY_CONF_CHANGE && type != RC_ENTRY_CONF_CHANGE_V2)
        return fail(rn, RC_ERR_INVALID, "not a conf change entry type");
    uint64_t bad = RC_NONE;
    int crc = rc_conf_change_check_ids(type, data, len, &bad);
    if (crc == RC_ERR_REFUSED) {
        return fail_fmt(rn, RC_ERR_INVALID,
                        "conf change names reserved id %" PRIx64
                        " (a local thread target, never a node)",
                        bad);
    }
    if (crc != RC_OK)
        return fail(rn, crc, crc == RC_ERR_NOMEM ? "out of memory" : "conf change does not decode");
    rc_entry e = {.type = type,
                  .data = {.data = len > 0 ? (uint8_t *)(uintptr_t)data : NULL, .len = len}};
    rc_message m = {.type = RC_MSG_PROP, .entries = &e, .n_entries = 1};
    return result(rn, rc_raft_step(rn->raft, &m));
}

int rc_rawnode_apply_conf_change(rc_rawnode *rn, const rc_conf_change_v2 *cc, rc_conf_state *cs)
{
    RN_CHECK(rn);
    rc_conf_state tmp = {0};
    int rc = rc_raft_apply_conf_change(rn->raft, cc, cs != NULL ? cs : &tmp);
    rc_conf_state_free(&tmp);
    return result(rn, rc);
}

int rc_rawnode_step(rc_rawnode *rn, const rc_message *m)
{
    RN_CHECK(rn);
    if (rc_msg_is_local(m->type) && !rc_msg_is_local_target(m->from)) {
        rn->raft->refused++; /* etcd's own refusal of a peer's local message: counted too */
        return fail(rn, RC_ERR_STEP_LOCAL_MSG, "raft: cannot step raft local message");
    }
    if (rc_msg_is_response(m->type) && !rc_msg_is_local_target(m->from) &&
        rc_progress_map_get(&rn->raft->trk.progress, m->from) == NULL)
        return fail(rn, RC_ERR_STEP_PEER_NOT_FOUND, "raft: cannot step as peer not found");
    char why[RC_RAWNODE_ERR_MAX];
    int rc = rc_raft_screen(rn->raft, m, why, sizeof(why));
    if (rc == RC_ERR_REFUSED)
        return fail_fmt(rn, rc, "%s", why);
    if (rc != RC_OK)
        return result(rn, rc);
    return result(rn, rc_raft_step(rn->raft, m));
}

int rc_rawnode_read_index(rc_rawnode *rn, const uint8_t *ctx, size_t len)
{
    RN_CHECK(rn);
    rc_entry e = {.type = RC_ENTRY_NORMAL,
                  .data = {.data = len > 0 ? (uint8_t *)(uintptr_t)ctx : NULL, .len = len}};
    rc_message m = {.type = RC_MSG_READ_INDEX, .entries = &e, .n_entries = 1};
    int rc = rc_raft_step(rn->raft, &m);
    return result(rn, rc == RC_ERR_FAILED ? rc : RC_OK);
}

int rc_rawnode_transfer_leader(rc_rawnode *rn, uint64_t transferee)
{
    RN_CHECK(rn);
    rc_message m = {.type = RC_MSG_TRANSFER_LEADER, .from = transferee};
    int rc = rc_raft_step(rn->raft, &m);
    return result(rn, rc == RC_ERR_FAILED ? rc : RC_OK);
}

int rc_rawnode_forget_leader(rc_rawnode *rn)
{
    RN_CHECK(rn);
    rc_message m = {.type = RC_MSG_FORGET_LEADER};
    return result(rn, rc_raft_step(rn->raft, &m));
}

int rc_rawnode_report_unreachable(rc_rawnode *rn, uint64_t id)
{
    RN_CHECK(rn);
    rc_message m = {.type = RC_MSG_UNREACHABLE, .from = id};
    int rc = rc_raft_step(rn->raft, &m);
    return result(rn, rc == RC_ERR_FAILED ? rc : RC_OK);
}

int rc_rawnode_report_snapshot(rc_rawnode *rn, uint64_t id, bool failure)
{
    RN_CHECK(rn);
    rc_message m = {.type = RC_MSG_SNAP_STATUS, .from = id, .reject = failure};
    int rc = rc_raft_step(rn->raft, &m);
    return result(rn, rc == RC_ERR_FAILED ? rc : RC_OK);
}

/* ---- Ready ---- */

void rc_ready_free(rc_ready *rd)
{
    if (rd == NULL)
        return;
    for (size_t i = 0; i < rd->n_read_states; i++)
        rc_bytes_free(&rd->read_states[i].request_ctx);
    rc_free(rd->read_states);
    rc_entries_free(&rd->entries);
    if (rd->snapshot != NULL) {
        rc_snapshot_free(rd->snapshot);
        rc_free(rd->snapshot);
    }
    rc_entries_free(&rd->committed_entries);
    rc_msgs_free(&rd->messages);
    memset(rd, 0, sizeof(*rd));
}

/* Frees what a Ready owns besides its arrays: the read states and the snapshot. */
static void ready_free_owned(rc_ready *rd)
{
    for (size_t i = 0; i < rd->n_read_states; i++)
        rc_bytes_free(&rd->read_states[i].request_ctx);
    rc_free(rd->read_states);
    rd->read_states = NULL;
    rd->n_read_states = 0;
    if (rd->snapshot != NULL) {
        rc_snapshot_free(rd->snapshot);
        rc_free(rd->snapshot);
        rd->snapshot = NULL;
    }
}

void rc_ready_reset(rc_ready *rd)
{
    /* A Ready is reset after Advance and again before the next one is built into it: the
     * second finds it already reset. Otherwise the lists are mostly empty: only non-empty parts
     * pay for a call. */
    if (rd->reset)
        return;
    if (rd->read_states != NULL || rd->snapshot != NULL)
        ready_free_owned(rd);
    if (rd->entries.n > 0)
        rc_entries_truncate(&rd->entries, 0);
    if (rd->committed_entries.n > 0)
        rc_entries_truncate(&rd->committed_entries, 0);
    rc_msgs_clear(&rd->messages);
    /* Every other field back to zero (the arrays above keep their capacity). */
    rd->has_soft_state = false;
    rd->soft_state = (rc_soft_state){0};
    rd->hard_state = (rc_hard_state){0};
    rd->n_read_states = 0;
    rd->n_messages_now = 0;
    rd->must_sync = false;
    rd->reset = true;
}

bool rc_ready_is_empty(const rc_ready *rd)
{
    return !rd->has_soft_state && rc_hard_state_is_empty(&rd->hard_state) &&
           rd->n_read_states == 0 && rd->entries.n == 0 && rc_snapshot_is_empty(rd->snapshot) &&
           rd->committed_entries.n == 0 && rd->messages.n == 0;
}

bool rc_rawnode_has_ready(const rc_rawnode *rn)
{
    const rc_raft *r = rn->raft;
    if (rc_raft_is_failed(r))
        return false;
    rc_soft_state ss = rc_raft_soft_state(r);
    if (!soft_state_equal(&ss, &rn->prev_soft_st))
        return true;
    rc_hard_state hs = rc_raft_hard_state(r);
    if (!rc_hard_state_is_empty(&hs) && !rc_hard_state_equal(&hs, &rn->prev_hard_st))
        return true;
    if (rc_log_has_next_unstable_snapshot(&r->raft_log))
        return true;
    if (r->msgs.n > 0 || r->msgs_after_append.n > 0)
        return true;
    if (rc_log_has_next_unstable_ents(&r->raft_log) ||
        rc_log_has_next_committed_ents(&r->raft_log, !rn->async_storage_writes))
        return true;
    return r->read_states.n != 0;
}

/* etcd's needStorageAppendRespMsg. */
static bool need_append_resp(const rc_raft *r, const rc_ready *rd)
{
    return rc_log_has_next_or_in_progress_unstable_ents(&r->raft_log) || rd->snapshot != NULL;
}

/* etcd's newStorageAppendRespMsg into *m (zeroed by the caller). */
static int make_append_resp(const rc_raft *r, const rc_ready *rd, rc_message *m)
{
    m->type = RC_MSG_STORAGE_APPEND_RESP;
    m->to = r->id;
    m->from = RC_LOCAL_APPEND_THREAD;
    m->term = r->term;
    if (rc_log_has_next_or_in_progress_unstable_ents(&r->raft_log))
        rc_log_last_entry_id(&r->raft_log, &m->index, &m->log_term);
    return copy_snapshot_ptr(&m->snapshot, rd->snapshot);
}

/* etcd's newStorageApplyRespMsg into *m (zeroed by the caller). */
static int make_apply_resp(const rc_raft *r, const rc_entries *ents, rc_message *m)
{
    m->type = RC_MSG_STORAGE_APPLY_RESP;
    m->to = r->id;
    m->from = RC_LOCAL_APPLY_THREAD;
    return copy_entry_array(&m->entries, &m->n_entries, ents->v, ents->n);
}

/* Pushes a freshly built message (moved in) or frees it on failure. */
static int push_built(rc_msgs *ms, rc_message *m, int rc)
{
    if (rc == RC_OK)
        rc = rc_msgs_push(ms, m);
    if (rc != RC_OK)
        rc_message_free(m);
    return rc;
}

/* etcd's newStorageAppendMsg (responses = msgsAfterAppend + optional append resp). */
static int make_storage_append(const rc_raft *r, const rc_ready *rd, rc_message *m)
{
    m->type = RC_MSG_STORAGE_APPEND;
    m->to = RC_LOCAL_APPEND_THREAD;
    m->from = r->id;
    if (!rc_hard_state_is_empty(&rd->hard_state)) {
        m->term = rd->hard_state.term;
        m->vote = rd->hard_state.vote;
        m->commit = rd->hard_state.commit;
    }
    int rc = copy_entry_array(&m->entries, &m->n_entries, rd->entries.v, rd->entries.n);
    if (rc == RC_OK)
        rc = copy_snapshot_ptr(&m->snapshot, rd->snapshot);
    size_t n = r->msgs_after_append.n + (need_append_resp(r, rd) ? 1 : 0);
    if (rc != RC_OK || n == 0)
        return rc;
    m->responses = rc_calloc(n, sizeof(rc_message));
    if (m->responses == NULL)
        return RC_ERR_NOMEM;
    for (size_t i = 0; i < r->msgs_after_append.n && rc == RC_OK; i++) {
        rc = rc_message_copy(&m->responses[i], &r->msgs_after_append.v[i]);
        if (rc == RC_OK)
            m->n_responses++;
    }
    if (rc == RC_OK && m->n_responses < n) {
        rc = make_append_resp(r, rd, &m->responses[m->n_responses]);
        m->n_responses++; /* freed with the message even on failure */
    }
    return rc;
}

/* etcd's newStorageApplyMsg. */
static int make_storage_apply(const rc_raft *r, const rc_ready *rd, rc_message *m)
{
    m->type = RC_MSG_STORAGE_APPLY;
    m->to = RC_LOCAL_APPLY_THREAD;
    m->from = r->id;
    int rc = copy_entry_array(&m->entries, &m->n_entries, rd->committed_entries.v,
                              rd->committed_entries.n);
    if (rc != RC_OK)
        return rc;
    m->responses = rc_calloc(1, sizeof(rc_message));
    if (m->responses == NULL)
        return RC_ERR_NOMEM;
    m->n_responses = 1;
    return make_apply_resp(r, &rd->committed_entries, &m->responses[0]);
}

static int build_sync_messages(const rc_rawnode *rn, rc_ready *rd, rc_msgs *steps,
                               rc_append_ack *ack);

/* readyWithoutAccept: fills *rd and, in sync mode, the messages to step on Advance (*steps, and
 * *ack for the storage append acknowledgement). On failure no node state changed; on success
 * (sync mode) raft's outgoing messages were moved into *rd / *steps. */
static int build_ready(const rc_rawnode *rn, rc_ready *rd, rc_msgs *steps, rc_append_ack *ack)
{
    const rc_raft *r = rn->raft;
    const rc_raft_log *l = &r->raft_log;
    const rc_entry *ue = NULL;
    size_t un = 0;
    rc_log_next_unstable_ents(l, &ue, &un);
    int rc = rc_entries_append_copy(&rd->entries, ue, un);
    if (rc == RC_OK)
        rc = rc_log_next_committed_ents(l, !rn->async_storage_writes, &rd->committed_entries);
    if (rc != RC_OK)
        return rc;
    rc_soft_state ss = rc_raft_soft_state(r);
    if (!soft_state_equal(&ss, &rn->prev_soft_st)) {
        rd->has_soft_state = true;
        rd->soft_state = ss;
    }
    rc_hard_state hs = rc_raft_hard_state(r);
    if (!rc_hard_state_equal(&hs, &rn->prev_hard_st))
        rd->hard_state = hs;
    if (rc_log_has_next_unstable_snapshot(l)) {
        rc = copy_snapshot_ptr(&rd->snapshot, rc_log_next_unstable_snapshot(l));
        if (rc != RC_OK)
            return rc;
    }
    if (r->read_states.n > 0) {
        rd->read_states = rc_calloc(r->read_states.n, sizeof(rc_read_state));
        if (rd->read_states == NULL)
            return RC_ERR_NOMEM;
        for (size_t i = 0; i < r->read_states.n; i++) {
            rd->read_states[i].index = r->read_states.v[i].index;
            rc = rc_bytes_set(&rd->read_states[i].request_ctx,
                              r->read_states.v[i].request_ctx.data,
                              r->read_states.v[i].request_ctx.len);
            rd->n_read_states++;
            if (rc != RC_OK)
                return rc;
        }
    }
    rd->must_sync = must_sync(&hs, &rn->prev_hard_st, rd->entries.n);

    if (rn->async_storage_writes) {
        for (size_t i = 0; i < r->msgs.n && rc == RC_OK; i++)
            rc = push_copy(&rd->messages, &r->msgs.v[i]);
        rd->n_messages_now = rd->messages.n;
        if (rc != RC_OK)
            return rc;
        if (rd->entries.n > 0 || !rc_hard_state_is_empty(&rd->hard_state) ||
            rd->snapshot != NULL || r->msgs_after_append.n > 0) {
            rc_message m = {0};
            rc = push_built(&rd->messages, &m, make_storage_append(r, rd, &m));
        }
        if (rc == RC_OK && rd->committed_entries.n > 0) {
            rc_message m = {0};
            rc = push_built(&rd->messages, &m, make_storage_apply(r, rd, &m));
        }
        rd->n_messages_now = rd->messages.n;
        return rc;
    }
    return build_sync_messages(rn, rd, steps, ack);
}

/* Reserves room for `more` messages in ms. */
static int msgs_reserve(rc_msgs *ms, size_t more)
{
    void *arr = ms->v;
    if (rc_grow(&arr, &ms->cap, ms->n + more, sizeof(rc_message)) != RC_OK)
        return RC_ERR_NOMEM;
    ms->v = arr;
    return RC_OK;
}

/* Moves *m to the end of ms, whose capacity was reserved. */
static void msgs_put(rc_msgs *ms, rc_message *m)
{
    ms->v[ms->n++] = *m;
    rc_message_disown(m);
}

/* make_append_resp's fields (there are unstable entries: no snapshot means some). */
static void set_append_ack(const rc_raft *r, rc_append_ack *ack)
{
    *ack = (rc_append_ack){.term = r->term, .pending = true};
    rc_log_last_entry_id(&r->raft_log, &ack->index, &ack->log_term);
}

/* Moves raft's msgs into the Ready (room reserved): they may be sent before persisting. */
static void move_msgs(rc_raft *r, rc_ready *rd)
{
    for (size_t i = 0; i < r->msgs.n; i++)
        msgs_put(&rd->messages, &r->msgs.v[i]);
    r->msgs.n = 0;
    rd->n_messages_now = rd->messages.n;
}

/* Sync mode: raft's msgs go out with the Ready; msgsAfterAppend to peers go out after
 * persistence (also in the Ready); those to self, and the storage append ack, are stepped on
 * Advance (the apply ack too, from rn->apply_ack: see rc_rawnode_advance). The append ack of a
 * Ready without a snapshot (every Ready with entries but the rare snapshot one) is kept as its
 * fields in *ack and stepped last of them; with a snapshot it is a message in *steps, last too.
 * Everything that can fail happens first; then the messages are moved out of raft (no copies),
 * which acceptReady would have dropped anyway. */
static int build_sync_messages(const rc_rawnode *rn, rc_ready *rd, rc_msgs *steps,
                               rc_append_ack *ack)
{
    rc_raft *r = rn->raft;
    rc_msgs *after = &r->msgs_after_append;
    size_t to_self = 0;
    for (size_t i = 0; i < after->n; i++)
        to_self += after->v[i].to == r->id;
    bool has_append_resp = need_append_resp(r, rd);
    bool append_resp_msg = has_append_resp && rd->snapshot != NULL;
    if (to_self > 0 && to_self == after->n && steps->n == 0 && !append_resp_msg) {
        /* Only steps (a leader's own MsgAppResp, one per proposal on a single voter): the two
         * arrays trade places instead of copying the messages across. */
        if (msgs_reserve(&rd->messages, r->msgs.n) != RC_OK)
            return RC_ERR_NOMEM;
        rc_msgs empty = *steps;
        *steps = *after;
        *after = empty;
        move_msgs(r, rd);
        if (has_append_resp)
            set_append_ack(r, ack);
        return RC_OK;
    }
    rc_message append_resp;
    int rc = RC_OK;
    if (append_resp_msg) {
        append_resp = rc_message_zero;
        rc = make_append_resp(r, rd, &append_resp);
    }
    if (rc == RC_OK)
        rc = msgs_reserve(&rd->messages, r->msgs.n + after->n - to_self);
    if (rc == RC_OK)
        rc = msgs_reserve(steps, to_self + append_resp_msg);
    if (rc != RC_OK) {
        if (append_resp_msg)
            rc_message_free(&append_resp);
        return rc;
    }
    move_msgs(r, rd);
    for (size_t i = 0; i < after->n; i++)
        msgs_put(after->v[i].to == r->id ? steps : &rd->messages, &after->v[i]);
    after->n = 0;
    if (append_resp_msg)
        msgs_put(steps, &append_resp);
    else if (has_append_resp)
        set_append_ack(r, ack);
    return RC_OK;
}

int rc_rawnode_ready(rc_rawnode *rn, rc_ready *rd)
{
    memset(rd, 0, sizeof(*rd));
    return rc_rawnode_ready_into(rn, rd);
}

int rc_rawnode_ready_into(rc_rawnode *rn, rc_ready *rd)
{
    RN_CHECK(rn);
    rc_raft *r = rn->raft;
    if (!rn->async_storage_writes && rc_rawnode_acks_pending(rn))
        return fail(rn, RC_ERR_STATE, ERR_TWO_READY);
    rc_ready_reset(rd);
    rd->reset = false; /* filled from here on */
    /* Sync mode: steps_on_advance is empty here; its array is reused for the new steps. */
    rc_msgs *steps = &rn->steps_on_advance;
    int rc = build_ready(rn, rd, steps, &rn->append_ack);
    if (rc != RC_OK) {
        if (rc == RC_ERR_FAILED) /* the log hit an etcd panic (logged), e.g. a storage failure */
            r->failed = true;
        rc_msgs_clear(steps);
        rn->append_ack = (rc_append_ack){0};
        rc_ready_reset(rd);
        return result(rn, rc);
    }

    /* acceptReady */
    if (rd->has_soft_state)
        rn->prev_soft_st = rd->soft_state;
    if (!rc_hard_state_is_empty(&rd->hard_state))
        rn->prev_hard_st = rd->hard_state;
    for (size_t i = 0; i < r->read_states.n; i++)
        rc_bytes_free(&r->read_states.v[i].request_ctx);
    r->read_states.n = 0;
    if (!rn->async_storage_writes)
        rn->ready_pending = true;
    else
        rc_msgs_clear(steps);
    rc_msgs_clear(&r->msgs);
    rc_msgs_clear(&r->msgs_after_append);
    rc_log_accept_unstable(&r->raft_log);
    rn->last_ready_busy = rd->entries.n > 0 || rd->committed_entries.n > 0;
    if (rd->committed_entries.n > 0) {
        const rc_entries *ce = &rd->committed_entries;
        uint64_t last = ce->v[ce->n - 1].index, size = rc_entries_size(ce->v, ce->n);
        rc = rc_log_accept_applying(&r->raft_log, last, size, !rn->async_storage_writes);
        if (rc != RC_OK) {
            r->failed = true;
            rc_ready_reset(rd);
            return result(rn, rc);
        }
        if (!rn->async_storage_writes) {
            uint64_t payload = 0;
            for (size_t i = 0; i < ce->n; i++)
                payload += rc_entry_payload_size(&ce->v[i]);
            rn->apply_ack = (rc_apply_ack){last, size, payload, true};
        }
    }
    return result(rn, RC_OK);
}

/* After Advance: keeps the steps array for the next Ready when the last Ready carried entries,
 * and otherwise frees it along with raft's idle buffers (idle groups stay small). */
static void keep_arrays(rc_rawnode *rn, rc_msgs *steps)
{
    rc_msgs_clear(steps);
    if (rn->last_ready_busy && rn->steps_on_advance.v == NULL) {
        rn->steps_on_advance = *steps;
        return;
    }
    rc_msgs_free(steps);
    if (!rn->last_ready_busy) {
        rc_raft_release_idle_memory(rn->raft);
        rc_blob_pool_trim(&rn->pool);
    }
}

int rc_rawnode_advance(rc_rawnode *rn)
{
    RN_CHECK(rn);
    if (rn->async_storage_writes)
        return fail(rn, RC_ERR_STATE, ERR_ASYNC_ADVANCE);
    if (!rn->ready_pending)
        return fail(rn, RC_ERR_STATE, "Advance called without a preceding Ready");
    rn->ready_pending = false;
    rc_msgs steps = rn->steps_on_advance;
    rn->steps_on_advance = (rc_msgs){0};
    int rc = RC_OK;
    for (size_t i = 0; i < steps.n; i++) {
        (void)rc_raft_step_self_ack(rn->raft, &steps.v[i]);
        if (rc_raft_is_failed(rn->raft)) {
            rc = RC_ERR_FAILED;
            break;
        }
    }
    /* etcd's MsgStorageAppendResp, last of stepsOnAdvance (when the Ready had no snapshot). */
    rc_append_ack append = rn->append_ack;
    rn->append_ack = (rc_append_ack){0};
    if (rc == RC_OK && append.pending) {
        (void)rc_raft_storage_appended(rn->raft, append.term, append.index, append.log_term);
        if (rc_raft_is_failed(rn->raft))
            rc = RC_ERR_FAILED;
    }
    /* etcd's MsgStorageApplyResp, stepped last (its entries are not needed: only the totals). */
    rc_apply_ack ack = rn->apply_ack;
    rn->apply_ack = (rc_apply_ack){0};
    if (rc == RC_OK && ack.pending) {
        (void)rc_raft_storage_applied(rn->raft, ack.index, ack.size, ack.payload);
        if (rc_raft_is_failed(rn->raft))
            rc = RC_ERR_FAILED;
    }
    keep_arrays(rn, &steps);
    return result(rn, rc);
}

/* ---- status ---- */

void rc_rawnode_basic_status(const rc_rawnode *rn, rc_basic_status *st)
{
    const rc_raft *r = rn->raft;
    st->id = r->id;
    st->hard_state = rc_raft_hard_state(r);
    st->soft_state = rc_raft_soft_state(r);
    st->applied = r->raft_log.applied;
    st->lead_transferee = r->lead_transferee;
}

const rc_progress_map *rc_rawnode_progress(const rc_rawnode *rn)
{
    return rn->raft->state == RC_STATE_LEADER ? &rn->raft->trk.progress : NULL;
}
