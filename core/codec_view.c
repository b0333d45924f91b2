/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * codec_view.c: the codec's entry points for readers above the core that want views into the
 * bytes, pooled payloads or encodings written in place (codec.h, "one entry point"), over
 * core/wire's one-pass decoders.
 */
#include "codec.h"

#include <string.h>

#include "wire.h"

/* ---- messages ---- */

int rc_decode_step_message(rc_step_message *out, const uint8_t *buf, size_t len, size_t max_len,
                           rc_entries *scratch, rc_blob_pool *pool, const rc_bytes *shared)
{
    int rc = RC_OK;
    if (buf == NULL && len > 0)
        rc = RC_ERR_INVALID;
    else if (max_len != 0 && len > max_len)
        rc = RC_ERR_TOO_LARGE;
    if (rc != RC_OK) {
        out->m = rc_message_zero;
        return rc;
    }
    /* The decoder zeroes out->m first (a message is wide: zeroing it twice shows per step). */
    return rc_wire_decode_message_pooled(&out->m, buf, len, scratch, pool, shared);
}

void rc_step_message_release(rc_step_message *sm)
{
    rc_wire_release_pooled_message(&sm->m);
}

int rc_summarize_message(rc_message_summary *out, const uint8_t *buf, size_t len, size_t max_len,
                         int (*each_entry)(void *ud, const uint8_t *body, size_t body_len),
                         void *ud)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    if (max_len != 0 && len > max_len)
        return RC_ERR_TOO_LARGE;
    rc_message m; /* borrows from buf: nothing to free */
    bool has_snapshot;
    int rc = rc_wire_peek_message(&m, &has_snapshot, buf, len, each_entry, ud);
    if (rc != RC_OK)
        return rc;
    out->f = (rc_message_fields){(uint64_t)m.type, m.to, m.from, m.term, m.log_term, m.index,
                                 m.commit, m.vote, m.reject ? 1u : 0u, m.reject_hint};
    out->n_entries = m.n_entries;
    out->has_snapshot = has_snapshot;
    out->n_responses = m.n_responses;
    out->context = m.context.data;
    out->context_len = m.context.len;
    return RC_OK;
}

/* ---- entries ---- */

int rc_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                  size_t *data_len, const uint8_t *buf, size_t len)
{
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    return rc_wire_view_entry(term, index, type, data, data_len, buf, len);
}

int rc_decode_entry_pooled(rc_entry *out, const uint8_t *buf, size_t len, rc_blob_pool *pool)
{
    const uint8_t *d;
    size_t dl;
    memset(out, 0, sizeof(*out));
    int rc = rc_view_entry(&out->term, &out->index, &out->type, &d, &dl, buf, len);
    if (rc == RC_OK)
        rc = rc_bytes_set_pooled(&out->data, pool, d, dl);
    if (rc != RC_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

bool rc_entry_is_canonical(const uint8_t *buf, size_t len)
{
    return rc_wire_entry_is_canonical(buf, len);
}

/* ---- encoding in place ---- */

size_t rc_hard_state_encoded_size(const rc_hard_state *hs)
{
    return rc_wire_hard_state_size(hs);
}

bool rc_message_encodable(const rc_message *m)
{
    return rc_wire_message_ok(m);
}

uint8_t *rc_encode_entry_to(uint8_t *p, const rc_entry *e)
{
    return rc_wire_put_entry(p, e);
}

uint8_t *rc_encode_message_to(uint8_t *p, const rc_message *m)
{
    return rc_wire_put_message(p, m);
}

size_t rc_message_frame_gaps(const rc_message *m, size_t min, size_t *gap_bytes)
{
    return rc_wire_message_gaps(m, min, gap_bytes);
}

uint8_t *rc_encode_message_frame_to(uint8_t *p, const rc_message *m, size_t min,
                                    rc_frame_gap *gaps)
{
    return rc_wire_put_message_frame(p, m, min, gaps);
}

uint8_t *rc_encode_hard_state_to(uint8_t *p, const rc_hard_state *hs)
{
    return rc_wire_put_hard_state(p, hs);
}

size_t rc_message_fields_encoded_size(const rc_message_fields *f, const size_t *lens, size_t n,
                                      size_t context_len)
{
    return rc_wire_fields_message_size(f, lens, n, context_len);
}

uint8_t *rc_encode_message_fields_to(uint8_t *p, const rc_message_fields *f,
                                     const uint8_t *const *ents, const size_t *lens, size_t n,
                                     const uint8_t *context, size_t context_len)
{
    return rc_wire_put_fields_message(p, f, ents, lens, n, context, context_len);
}
