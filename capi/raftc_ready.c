/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_ready.c: the public Ready/Advance cycle (the node-owned Ready view with raftpb
 * encodings).
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"
#include "describe.h"

/* ---- the Ready view ---- */

/* The sink of a section. */
static struct raftc_sink *body_sink(capi_ready_body *b, unsigned section)
{
    switch (section) {
    case CAPI_VIEW_ENTRIES: return &b->entries;
    case CAPI_VIEW_COMMITTED: return &b->committed;
    case CAPI_VIEW_MESSAGES: return &b->messages;
    case CAPI_VIEW_HARD_STATE: return &b->hard_state;
    default: return &b->snapshot;
    }
}

/* Drops the encodings (keeping the sinks' buffers) and invalidates the view. */
static void view_clear_encodings(struct raftc_ready *v)
{
    /* Hosts that read the Ready by fields (raftc_ready_info, raftc_ready_entry_info, ...)
     * never encode a section: nothing to walk then. */
    if (v->encoded != 0) {
        for (unsigned s = CAPI_VIEW_ENTRIES; s <= CAPI_VIEW_SNAPSHOT; s <<= 1)
            if (v->encoded & s)
                raftc_sink_reset(body_sink(v->body, s));
    }
    if (v->body != NULL)
        capi_ready_frames_clear(&v->body->frames);
    v->encoded = 0;
    v->valid = false;
}

/* Also resets the core Ready (its arrays are kept for the next Ready). */
static void view_clear(struct raftc_ready *v)
{
    if (v->body != NULL)
        rc_ready_reset(&v->body->rd);
    view_clear_encodings(v);
}

void capi_ready_view_free(raftc_node *node)
{
    capi_ready_body *b = node->ready.body;
    node->ready = (struct raftc_ready){0};
    if (b == NULL)
        return;
    rc_ready_free(&b->rd);
    for (unsigned s = CAPI_VIEW_ENTRIES; s <= CAPI_VIEW_SNAPSHOT; s <<= 1) {
        rc_free(body_sink(b, s)->buf);
        rc_free(body_sink(b, s)->items);
    }
    rc_free(b->packed.buf);
    rc_free(b->packed.items);
    capi_ready_frames_free(&b->frames);
    rc_free(b);
}

static int put_entries(raftc_sink *s, const rc_entries *es)
{
    int rc = RC_OK;
    for (size_t i = 0; i < es->n && rc == RC_OK; i++)
        rc = capi_sink_put_entry(s, &es->v[i]);
    return rc;
}

static bool view_has_snapshot(const capi_ready_body *b)
{
    return !rc_snapshot_is_empty(b->rd.snapshot);
}

/* Encodes one section into its (empty) sink. */
static int body_encode(capi_ready_body *b, unsigned section)
{
    const rc_ready *rd = &b->rd;
    int rc = RC_OK;
    switch (section) {
    case CAPI_VIEW_ENTRIES:
        return put_entries(&b->entries, &rd->entries);
    case CAPI_VIEW_COMMITTED:
        return put_entries(&b->committed, &rd->committed_entries);
    case CAPI_VIEW_MESSAGES:
        for (size_t i = 0; i < rd->messages.n && rc == RC_OK; i++)
            rc = capi_sink_put_message(&b->messages, &rd->messages.v[i]);
        return rc;
    case CAPI_VIEW_HARD_STATE:
        if (rc_hard_state_is_empty(&rd->hard_state))
            return RC_OK;
        return capi_sink_put_hard_state(&b->hard_state, &rd->hard_state);
    default: {
        if (!view_has_snapshot(b))
            return RC_OK;
        return capi_sink_put_snapshot(&b->snapshot, rd->snapshot);
    }
    }
}

/* The sink of a section of a valid view, encoded on first use. The view is logically const:
 * the encodings are a cache of the core Ready (a node and its Ready are used by one thread at a
 * time). On failure the section stays unencoded and the next access tries again. */
static int view_section(const raftc_ready *crd, unsigned section, const raftc_sink **out)
{
    struct raftc_ready *v = (struct raftc_ready *)(uintptr_t)crd;
    struct raftc_sink *s = body_sink(v->body, section);
    *out = s;
    if (v->encoded & section)
        return RAFTC_OK;
    int rc = body_encode(v->body, section);
    if (rc != RC_OK) {
        raftc_sink_reset(s);
        return rc;
    }
    v->encoded |= section;
    return RAFTC_OK;
}

RAFTC_API int raftc_node_has_ready(const raftc_node *node)
{
    if (node == NULL || rc_raft_is_failed(node->rn->raft))
        return 0;
    return rc_rawnode_has_ready(node->rn) ? 1 : 0;
}

RAFTC_API int raftc_node_ready(raftc_ready **out, raftc_node *node)
{
    if (out != NULL)
        *out = NULL;
    CAPI_NODE_CHECK(node);
    if (out == NULL)
        return capi_node_result(node, RAFTC_EINVAL, NULL);
    struct raftc_ready *v = &node->ready;
    if (v->body == NULL) {
        v->body = rc_calloc(1, sizeof(*v->body));
        if (v->body == NULL)
            return capi_node_result(node, RAFTC_ENOMEM, NULL);
    }
    int rc = rc_rawnode_ready_into(node->rn, &v->body->rd);
    if (rc != RC_OK) {
        /* a refused call (two Readys) keeps the previous view; other errors reset it */
        if (rc != RC_ERR_STATE)
            view_clear(v);
        return capi_node_result(node, rc, node->rn->err_text);
    }
    view_clear_encodings(v);
    v->valid = true;
    *out = v;
    return capi_node_result(node, RAFTC_OK, NULL);
}

RAFTC_API int raftc_node_advance(raftc_node *node)
{
    CAPI_NODE_CHECK(node);
    /* A Ready without entries (heartbeats, an idle group) releases the view's body. */
    const capi_ready_body *b = node->ready.body;
    bool busy = b != NULL && (b->rd.entries.n > 0 || b->rd.committed_entries.n > 0);
    int rc = rc_rawnode_advance(node->rn);
    if (rc == RC_OK || rc == RC_ERR_FAILED) {
        view_clear(&node->ready);
        if (!busy) {
            capi_ready_view_free(node);
            rc_free(node->step_scratch.v);
            node->step_scratch = (rc_entries){0};
        }
    }
    return capi_node_result(node, rc, node->rn->err_text);
}

#define VIEW_CHECK(rd)                                                                             \
    do {                                                                                           \
        if ((rd) == NULL)                                                                          \
            return RAFTC_EINVAL;                                                                   \
        if (!(rd)->valid)                                                                          \
            return RAFTC_ESTATE;                                                                   \
    } while (0)

RAFTC_API int raftc_ready_info(uint64_t *info, size_t n, const raftc_ready *v)
{
    VIEW_CHECK(v);
    if (info == NULL && n != 0)
        return RAFTC_EINVAL;
    const rc_ready *rd = &v->body->rd;
    bool has_ss = rd->has_soft_state;
    capi_info_put(info, n, RAFTC_RD_HAS_SOFT_STATE, has_ss);
    capi_info_put(info, n, RAFTC_RD_LEAD, has_ss ? rd->soft_state.lead : 0);
    capi_info_put(info, n, RAFTC_RD_RAFT_STATE, has_ss ? (uint64_t)rd->soft_state.raft_state : 0);
    capi_info_put(info, n, RAFTC_RD_HAS_HARD_STATE, !rc_hard_state_is_empty(&rd->hard_state));
    capi_info_put(info, n, RAFTC_RD_TERM, rd->hard_state.term);
    capi_info_put(info, n, RAFTC_RD_VOTE, rd->hard_state.vote);
    capi_info_put(info, n, RAFTC_RD_COMMIT, rd->hard_state.commit);
    capi_info_put(info, n, RAFTC_RD_N_ENTRIES, rd->entries.n);
    capi_info_put(info, n, RAFTC_RD_HAS_SNAPSHOT, view_has_snapshot(v->body));
    capi_info_put(info, n, RAFTC_RD_N_COMMITTED_ENTRIES, rd->committed_entries.n);
    capi_info_put(info, n, RAFTC_RD_N_MESSAGES, rd->messages.n);
    capi_info_put(info, n, RAFTC_RD_N_MESSAGES_NOW, rd->n_messages_now);
    capi_info_put(info, n, RAFTC_RD_N_READ_STATES, rd->n_read_states);
    capi_info_put(info, n, RAFTC_RD_MUST_SYNC, rd->must_sync);
    return RAFTC_OK;
}

static int view_item(const raftc_ready *rd, unsigned section, size_t i, const uint8_t **buf,
                     size_t *len)
{
    VIEW_CHECK(rd);
    if (buf == NULL || len == NULL)
        return RAFTC_EINVAL;
    const raftc_sink *s;
    int rc = view_section(rd, section, &s);
    if (rc != RAFTC_OK)
        return rc;
    return raftc_sink_get(buf, len, s, i);
}

RAFTC_API int raftc_ready_entry(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                size_t i)
{
    return view_item(rd, CAPI_VIEW_ENTRIES, i, buf, len);
}

RAFTC_API int raftc_ready_committed_entry(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                          size_t i)
{
    return view_item(rd, CAPI_VIEW_COMMITTED, i, buf, len);
}

RAFTC_API int raftc_ready_message(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                  size_t i)
{
    return view_item(rd, CAPI_VIEW_MESSAGES, i, buf, len);
}

RAFTC_API int raftc_ready_hard_state(const uint8_t **buf, size_t *len, const raftc_ready *rd)
{
    return view_item(rd, CAPI_VIEW_HARD_STATE, 0, buf, len);
}

RAFTC_API int raftc_ready_snapshot(const uint8_t **buf, size_t *len, const raftc_ready *rd)
{
    return view_item(rd, CAPI_VIEW_SNAPSHOT, 0, buf, len);
}

/* ---- field accessors (no raftpb encoding) ---- */

static int entry_fields(const rc_entries *es, size_t i, uint64_t *term, uint64_t *index,
                        raftc_entry_type *type, const uint8_t **data, size_t *data_len)
{
    if (i >= es->n)
        return RAFTC_ENOTFOUND;
    const rc_entry *e = &es->v[i];
    if (term != NULL)
        *term = e->term;
    if (index != NULL)
        *index = e->index;
    if (type != NULL)
        *type = (raftc_entry_type)e->type;
    if (data != NULL)
        *data = e->data.len > 0 ? e->data.data : NULL;
    if (data_len != NULL)
        *data_len = e->data.len;
    return RAFTC_OK;
}

RAFTC_API int raftc_ready_entry_info(uint64_t *term, uint64_t *index, raftc_entry_type *type,
                                     const uint8_t **data, size_t *data_len, const raftc_ready *rd,
                                     size_t i)
{
    VIEW_CHECK(rd);
    return entry_fields(&rd->body->rd.entries, i, term, index, type, data, data_len);
}

RAFTC_API int raftc_ready_committed_entry_info(uint64_t *term, uint64_t *index,
                                               raftc_entry_type *type, const uint8_t **data,
                                               size_t *data_len, const raftc_ready *rd, size_t i)
{
    VIEW_CHECK(rd);
    return entry_fields(&rd->body->rd.committed_entries, i, term, index, type, data, data_len);
}

RAFTC_API int raftc_ready_message_info(uint64_t *info, size_t n, const raftc_ready *rd,
                                       size_t i)
{
    VIEW_CHECK(rd);
    if (info == NULL && n != 0)
        return RAFTC_EINVAL;
    const rc_msgs *ms = &rd->body->rd.messages;
    if (i >= ms->n)
        return RAFTC_ENOTFOUND;
    const rc_message *m = &ms->v[i];
    /* What raftc_message_decode reads back from the encoding (a blank snapshot is not encoded). */
    bool has_snap = m->snapshot != NULL && (m->type == RC_MSG_SNAP ||
                                            !rc_snapshot_is_empty(m->snapshot) ||
                                            m->snapshot->data.len > 0);
    capi_info_put(info, n, RAFTC_MF_TYPE, (uint64_t)m->type);
    capi_info_put(info, n, RAFTC_MF_TO, m->to);
    capi_info_put(info, n, RAFTC_MF_FROM, m->from);
    capi_info_put(info, n, RAFTC_MF_TERM, m->term);
    capi_info_put(info, n, RAFTC_MF_LOG_TERM, m->log_term);
    capi_info_put(info, n, RAFTC_MF_INDEX, m->index);
    capi_info_put(info, n, RAFTC_MF_COMMIT, m->commit);
    capi_info_put(info, n, RAFTC_MF_VOTE, m->vote);
    capi_info_put(info, n, RAFTC_MF_REJECT, m->reject);
    capi_info_put(info, n, RAFTC_MF_REJECT_HINT, m->reject_hint);
    capi_info_put(info, n, RAFTC_MF_N_ENTRIES, m->n_entries);
    capi_info_put(info, n, RAFTC_MF_HAS_SNAPSHOT, has_snap);
    capi_info_put(info, n, RAFTC_MF_N_RESPONSES, m->n_responses);
    return RAFTC_OK;
}

RAFTC_API int raftc_ready_read_state(uint64_t *index, const uint8_t **ctx, size_t *ctx_len,
                                     const raftc_ready *rd, size_t i)
{
    VIEW_CHECK(rd);
    if (i >= rd->body->rd.n_read_states)
        return RAFTC_ENOTFOUND;
    const rc_read_state *rs = &rd->body->rd.read_states[i];
    if (index != NULL)
        *index = rs->index;
    if (ctx != NULL)
        *ctx = rs->request_ctx.data;
    if (ctx_len != NULL)
        *ctx_len = rs->request_ctx.len;
    return RAFTC_OK;
}

RAFTC_API int raftc_ready_describe(char **out, const raftc_ready *rd)
{
    if (out != NULL)
        *out = NULL;
    VIEW_CHECK(rd);
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_ready(&b, &rd->body->rd);
    return capi_take_string(out, &b);
}
