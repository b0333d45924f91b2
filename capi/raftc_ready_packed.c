/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_ready_packed.c: raftc_node_ready_packed, the whole Ready in one node-owned buffer (a
 * header of uint64 words, then every part as raftpb bytes), so a host behind an FFI reads a
 * Ready with one call instead of one per item.
 */
#include <string.h>

#include "capi_internal.h"
#include "codec.h"

/* Appends raw bytes as one item. */
static int put_raw(raftc_sink *s, const uint8_t *p, size_t n)
{
    uint8_t *dst = capi_sink_push(s, n);
    if (dst == NULL)
        return n > CAPI_MAX_INPUT ? RAFTC_ETOOLARGE : RAFTC_ENOMEM;
    if (n > 0)
        memcpy(dst, p, n);
    return RAFTC_OK;
}

static int put_entries(raftc_sink *s, const rc_entries *es)
{
    int rc = RAFTC_OK;
    for (size_t i = 0; i < es->n && rc == RAFTC_OK; i++)
        rc = capi_sink_put_entry(s, &es->v[i]);
    return rc;
}

/* Every part of rd after the header item, in the documented order. */
static int put_parts(raftc_sink *s, const rc_ready *rd, bool hs, bool snap)
{
    int rc = put_entries(s, &rd->entries);
    if (rc == RAFTC_OK)
        rc = put_entries(s, &rd->committed_entries);
    for (size_t i = 0; i < rd->messages.n && rc == RAFTC_OK; i++)
        rc = capi_sink_put_message(s, &rd->messages.v[i]);
    for (size_t i = 0; i < rd->n_read_states && rc == RAFTC_OK; i++)
        rc = put_raw(s, rd->read_states[i].request_ctx.data, rd->read_states[i].request_ctx.len);
    if (hs && rc == RAFTC_OK)
        rc = capi_sink_put_hard_state(s, &rd->hard_state);
    if (snap && rc == RAFTC_OK)
        rc = capi_sink_put_snapshot(s, rd->snapshot);
    return rc;
}

/* Header word k (the buffer is malloc-aligned; memcpy keeps strict aliasing intact). */
static void put_word(uint8_t *buf, size_t k, uint64_t v)
{
    memcpy(buf + k * sizeof(uint64_t), &v, sizeof(v));
}

RAFTC_API int raftc_node_ready_packed(raftc_ready **out, const uint8_t **buf, size_t *len,
                                      raftc_node *node)
{
    if (out != NULL)
        *out = NULL;
    if (buf != NULL)
        *buf = NULL;
    if (len != NULL)
        *len = 0;
    if (buf == NULL || len == NULL)
        return node == NULL ? RAFTC_EINVAL : capi_node_result(node, RAFTC_EINVAL, NULL);
    raftc_ready *v;
    int rc = raftc_node_ready(&v, node);
    if (rc != RAFTC_OK)
        return rc;
    if (out != NULL)
        *out = v;

    uint64_t info[RAFTC_RD_COUNT];
    raftc_ready_info(info, RAFTC_RD_COUNT, v);
    const rc_ready *rd = &v->body->rd;
    bool hs = info[RAFTC_RD_HAS_HARD_STATE] != 0, snap = info[RAFTC_RD_HAS_SNAPSHOT] != 0;
    size_t n_items = rd->entries.n + rd->committed_entries.n + rd->messages.n +
                     rd->n_read_states + (hs ? 1 : 0) + (snap ? 1 : 0);
    size_t words = 2 + RAFTC_RD_COUNT + 2 * n_items + rd->n_read_states + rd->messages.n;

    raftc_sink *s = &v->body->packed;
    raftc_sink_reset(s);
    rc = capi_sink_push(s, words * sizeof(uint64_t)) == NULL ? RAFTC_ENOMEM : RAFTC_OK;
    if (rc == RAFTC_OK)
        rc = put_parts(s, rd, hs, snap);
    if (rc != RAFTC_OK) {
        raftc_sink_reset(s);
        return capi_node_result(node, rc, NULL);
    }

    size_t k = 0;
    put_word(s->buf, k++, words);
    put_word(s->buf, k++, RAFTC_RD_COUNT);
    for (size_t i = 0; i < RAFTC_RD_COUNT; i++)
        put_word(s->buf, k++, info[i]);
    for (size_t i = 1; i <= n_items; i++) { /* item 0 is the header */
        put_word(s->buf, k++, s->items[i].off);
        put_word(s->buf, k++, s->items[i].len);
    }
    for (size_t i = 0; i < rd->n_read_states; i++)
        put_word(s->buf, k++, rd->read_states[i].index);
    for (size_t i = 0; i < rd->messages.n; i++)
        put_word(s->buf, k++, rd->messages.v[i].to);
    *buf = s->buf;
    *len = s->len;
    return RAFTC_OK;
}
