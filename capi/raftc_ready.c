/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_ready.c: the public Ready/Advance cycle (the node-owned Ready view with raftpb
 * encodings) and the status accessors.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"
#include "describe.h"
#include "tracker.h"

#define NODE_CHECK(node)                                                                           \
    do {                                                                                           \
        if ((node) == NULL)                                                                        \
            return RAFTC_EINVAL;                                                                   \
        if (rc_raft_is_failed((node)->rn->raft))                                                   \
            return raftc_node_result((node), RAFTC_EFAILED, NULL);                                 \
    } while (0)

/* ---- the Ready view ---- */

static void view_clear(struct raftc_ready *v)
{
    rc_ready_reset(&v->rd); /* keeps the arrays for the next Ready */
    raftc_sink_reset(v->entries);
    raftc_sink_reset(v->committed);
    raftc_sink_reset(v->messages);
    raftc_sink_reset(v->hard_state);
    raftc_sink_reset(v->snapshot);
    memset(v->info, 0, sizeof(v->info));
    v->valid = false;
}

/* Drops the previous encodings (the core Ready was already refilled). */
static void view_clear_encodings(struct raftc_ready *v)
{
    raftc_sink_reset(v->entries);
    raftc_sink_reset(v->committed);
    raftc_sink_reset(v->messages);
    raftc_sink_reset(v->hard_state);
    raftc_sink_reset(v->snapshot);
    memset(v->info, 0, sizeof(v->info));
    v->valid = false;
}

static int put_entries(raftc_sink *s, const rc_entries *es)
{
    int rc = RC_OK;
    for (size_t i = 0; i < es->n && rc == RC_OK; i++)
        rc = raftc_sink_put_entry(s, &es->v[i]);
    return rc;
}

/* Encodes v->rd into the sinks and fills info. */
static int view_encode(struct raftc_ready *v)
{
    const rc_ready *rd = &v->rd;
    int rc = put_entries(v->entries, &rd->entries);
    if (rc == RC_OK)
        rc = put_entries(v->committed, &rd->committed_entries);
    for (size_t i = 0; i < rd->messages.n && rc == RC_OK; i++)
        rc = raftc_sink_put_message(v->messages, &rd->messages.v[i]);
    bool has_hs = !rc_hard_state_is_empty(&rd->hard_state);
    if (rc == RC_OK && has_hs)
        rc = raftc_sink_put_hard_state(v->hard_state, &rd->hard_state);
    bool has_snap = !rc_snapshot_is_empty(rd->snapshot);
    if (rc == RC_OK && has_snap) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_snapshot(&b, &l, rd->snapshot);
        rc = raftc_sink_put_owned(v->snapshot, b, l, erc);
    }
    uint64_t *in = v->info;
    in[RAFTC_RD_HAS_SOFT_STATE] = rd->has_soft_state;
    in[RAFTC_RD_LEAD] = rd->has_soft_state ? rd->soft_state.lead : 0;
    in[RAFTC_RD_RAFT_STATE] = rd->has_soft_state ? (uint64_t)rd->soft_state.raft_state : 0;
    in[RAFTC_RD_HAS_HARD_STATE] = has_hs;
    in[RAFTC_RD_TERM] = rd->hard_state.term;
    in[RAFTC_RD_VOTE] = rd->hard_state.vote;
    in[RAFTC_RD_COMMIT] = rd->hard_state.commit;
    in[RAFTC_RD_N_ENTRIES] = rd->entries.n;
    in[RAFTC_RD_HAS_SNAPSHOT] = has_snap;
    in[RAFTC_RD_N_COMMITTED_ENTRIES] = rd->committed_entries.n;
    in[RAFTC_RD_N_MESSAGES] = rd->messages.n;
    in[RAFTC_RD_N_MESSAGES_NOW] = rd->n_messages_now;
    in[RAFTC_RD_N_READ_STATES] = rd->n_read_states;
    in[RAFTC_RD_MUST_SYNC] = rd->must_sync;
    return rc;
}

RAFTC_API int raftc_node_has_ready(const raftc_node *node)
{
    if (node == NULL || rc_raft_is_failed(node->rn->raft))
        return 0;
    return rc_rawnode_has_ready(node->rn) ? 1 : 0;
}

RAFTC_API int raftc_node_ready(raftc_node *node, raftc_ready **out)
{
    if (out != NULL)
        *out = NULL;
    NODE_CHECK(node);
    if (out == NULL)
        return raftc_node_result(node, RAFTC_EINVAL, NULL);
    struct raftc_ready *v = &node->ready;
    int rc = rc_rawnode_ready_into(node->rn, &v->rd);
    if (rc != RC_OK) {
        /* a refused call (two Readys) keeps the previous view; other errors reset it */
        if (rc != RC_ERR_STATE)
            view_clear(v);
        return raftc_node_result(node, rc, node->rn->err_text);
    }
    view_clear_encodings(v);
    rc = view_encode(v);
    if (rc != RC_OK) {
        view_clear(v);
        return raftc_node_result(node, rc, NULL);
    }
    v->valid = true;
    *out = v;
    return raftc_node_result(node, RAFTC_OK, NULL);
}

RAFTC_API int raftc_node_advance(raftc_node *node)
{
    NODE_CHECK(node);
    /* A Ready without entries (heartbeats, an idle group) releases the reused arrays. */
    const rc_ready *rd = &node->ready.rd;
    bool busy = rd->entries.n > 0 || rd->committed_entries.n > 0;
    int rc = rc_rawnode_advance(node->rn);
    if (rc == RC_OK || rc == RC_ERR_FAILED) {
        view_clear(&node->ready);
        if (!busy)
            rc_ready_free(&node->ready.rd);
    }
    return raftc_node_result(node, rc, node->rn->err_text);
}

#define VIEW_CHECK(rd)                                                                             \
    do {                                                                                           \
        if ((rd) == NULL)                                                                          \
            return RAFTC_EINVAL;                                                                   \
        if (!(rd)->valid)                                                                          \
            return RAFTC_ESTATE;                                                                   \
    } while (0)

RAFTC_API int raftc_ready_info(const raftc_ready *rd, uint64_t *info, size_t n)
{
    VIEW_CHECK(rd);
    if (info == NULL && n != 0)
        return RAFTC_EINVAL;
    for (size_t i = 0; i < n && i < RAFTC_RD_COUNT; i++)
        info[i] = rd->info[i];
    return RAFTC_OK;
}

static int view_item(const raftc_ready *rd, const raftc_sink *s, size_t i, const uint8_t **buf,
                     size_t *len)
{
    VIEW_CHECK(rd);
    if (buf == NULL || len == NULL)
        return RAFTC_EINVAL;
    return raftc_sink_get(s, i, buf, len);
}

RAFTC_API int raftc_ready_entry(const raftc_ready *rd, size_t i, const uint8_t **buf,
                                size_t *len)
{
    return view_item(rd, rd == NULL ? NULL : rd->entries, i, buf, len);
}

RAFTC_API int raftc_ready_committed_entry(const raftc_ready *rd, size_t i, const uint8_t **buf,
                                          size_t *len)
{
    return view_item(rd, rd == NULL ? NULL : rd->committed, i, buf, len);
}

RAFTC_API int raftc_ready_message(const raftc_ready *rd, size_t i, const uint8_t **buf,
                                  size_t *len)
{
    return view_item(rd, rd == NULL ? NULL : rd->messages, i, buf, len);
}

RAFTC_API int raftc_ready_hard_state(const raftc_ready *rd, const uint8_t **buf, size_t *len)
{
    return view_item(rd, rd == NULL ? NULL : rd->hard_state, 0, buf, len);
}

RAFTC_API int raftc_ready_snapshot(const raftc_ready *rd, const uint8_t **buf, size_t *len)
{
    return view_item(rd, rd == NULL ? NULL : rd->snapshot, 0, buf, len);
}

RAFTC_API int raftc_ready_read_state(const raftc_ready *rd, size_t i, uint64_t *index,
                                     const uint8_t **ctx, size_t *ctx_len)
{
    VIEW_CHECK(rd);
    if (i >= rd->rd.n_read_states)
        return RAFTC_ENOTFOUND;
    const rc_read_state *rs = &rd->rd.read_states[i];
    if (index != NULL)
        *index = rs->index;
    if (ctx != NULL)
        *ctx = rs->request_ctx.data;
    if (ctx_len != NULL)
        *ctx_len = rs->request_ctx.len;
    return RAFTC_OK;
}

RAFTC_API int raftc_ready_describe(const raftc_ready *rd, char **out)
{
    if (out != NULL)
        *out = NULL;
    VIEW_CHECK(rd);
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_ready(&b, &rd->rd);
    return raftc_take_string(out, &b);
}

/* ---- status ---- */

RAFTC_API int raftc_node_status_info(const raftc_node *node, uint64_t *info, size_t n)
{
    if (node == NULL || (info == NULL && n != 0))
        return RAFTC_EINVAL;
    const rc_raft *r = node->rn->raft;
    rc_basic_status st;
    rc_rawnode_basic_status(node->rn, &st);
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    uint64_t v[RAFTC_ST_COUNT] = {
        [RAFTC_ST_ID] = st.id,
        [RAFTC_ST_TERM] = st.hard_state.term,
        [RAFTC_ST_VOTE] = st.hard_state.vote,
        [RAFTC_ST_COMMIT] = st.hard_state.commit,
        [RAFTC_ST_LEAD] = st.soft_state.lead,
        [RAFTC_ST_RAFT_STATE] = (uint64_t)st.soft_state.raft_state,
        [RAFTC_ST_APPLIED] = st.applied,
        [RAFTC_ST_LEAD_TRANSFEREE] = st.lead_transferee,
        [RAFTC_ST_IS_VOTER] = rc_tracker_is_voter(&r->trk, r->id),
        [RAFTC_ST_IS_LEARNER] = r->is_learner,
        [RAFTC_ST_N_PROGRESS] = pm != NULL ? pm->n : 0,
    };
    for (size_t i = 0; i < n && i < RAFTC_ST_COUNT; i++)
        info[i] = v[i];
    return RAFTC_OK;
}

/* Returns a heap string or an empty heap string for NULL. */
static int own_string(char **out, char *s)
{
    if (s != NULL) {
        *out = s;
        return RAFTC_OK;
    }
    rc_strbuf b = RC_STRBUF_INIT;
    return raftc_take_string(out, &b);
}

RAFTC_API int raftc_node_status_progress(const raftc_node *node, char **out)
{
    if (out != NULL)
        *out = NULL;
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    if (pm == NULL)
        return own_string(out, NULL);
    char *s = rc_progress_map_string(pm);
    return s == NULL ? RAFTC_ENOMEM : own_string(out, s);
}

RAFTC_API int raftc_node_status_config(const raftc_node *node, char **out)
{
    if (out != NULL)
        *out = NULL;
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    char *s = rc_tracker_config_string(&node->rn->raft->trk.config);
    return s == NULL ? RAFTC_ENOMEM : own_string(out, s);
}

RAFTC_API int raftc_node_conf_state(const raftc_node *node, raftc_sink *out)
{
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    rc_conf_state cs = {0};
    int rc = rc_tracker_config_to_conf_state(&cs, &node->rn->raft->trk.config);
    if (rc == RC_OK) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_conf_state(&b, &l, &cs);
        rc = raftc_sink_put_owned(out, b, l, erc);
    }
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_node_progress_ids(const raftc_node *node, uint64_t *ids, size_t cap,
                                      size_t *n)
{
    if (node == NULL || n == NULL || (ids == NULL && cap != 0))
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    *n = pm != NULL ? pm->n : 0;
    for (size_t i = 0; i < *n && i < cap; i++)
        ids[i] = pm->v[i].id;
    return RAFTC_OK;
}

RAFTC_API int raftc_node_progress(const raftc_node *node, uint64_t id, uint64_t *info, size_t n)
{
    if (node == NULL || (info == NULL && n != 0))
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    const rc_progress *pr = pm != NULL ? rc_progress_map_get(pm, id) : NULL;
    if (pr == NULL)
        return RAFTC_ENOTFOUND;
    uint64_t v[RAFTC_PR_COUNT] = {
        [RAFTC_PR_MATCH] = pr->match,
        [RAFTC_PR_NEXT] = pr->next,
        [RAFTC_PR_STATE] = (uint64_t)pr->state,
        [RAFTC_PR_PENDING_SNAPSHOT] = pr->pending_snapshot,
        [RAFTC_PR_RECENT_ACTIVE] = pr->recent_active,
        [RAFTC_PR_PAUSED] = rc_progress_is_paused(pr),
        [RAFTC_PR_IS_LEARNER] = pr->is_learner,
        [RAFTC_PR_INFLIGHT] = rc_inflights_count(&pr->inflights),
    };
    for (size_t i = 0; i < n && i < RAFTC_PR_COUNT; i++)
        info[i] = v[i];
    return RAFTC_OK;
}
