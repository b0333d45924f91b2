/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * codec_view.c: the codec's entry points for readers above the core that want views into the
 * bytes, pooled payloads or encodings written in place (codec.h, "one entry point"). Each one
 * decides here between the hand-rolled fast path (core/wire) and protobuf-c: the fast path reads
 * the common shapes; whatever it does not take goes straight to protobuf-c, which decides.
 */
#include "codec.h"

#include <string.h>

#include "wire.h"

/* ---- items of one bytes field, for views into bytes a decoder accepted ---- */

typedef struct field_filter {
    uint64_t field;
    int (*fn)(void *ud, const uint8_t *p, size_t n);
    void *ud;
    bool stopped; /* fn asked to stop */
} field_filter;

static int filter_field(void *ud, uint64_t field, unsigned wire_type, const uint8_t *p, size_t n)
{
    field_filter *f = ud;
    if (wire_type != 2 || field != f->field)
        return 0;
    int rc = f->fn(f->ud, p, n);
    f->stopped = rc != 0;
    return rc;
}

/* Calls fn for each length-delimited item of field `field`, in order; stops at fn's first
 * non-zero result (returned) or at the first malformed tag (then returns 0: the bytes were
 * validated before, so this does not happen). */
static int scan_bytes_fields(const uint8_t *b, size_t len, uint64_t field,
                             int (*fn)(void *ud, const uint8_t *p, size_t n), void *ud)
{
    field_filter f = {field, fn, ud, false};
    int rc = rc_pb_each_field(b, len, filter_field, &f);
    return f.stopped ? rc : 0;
}

typedef struct last_item {
    const uint8_t *p;
    size_t n;
} last_item;

static int keep_last(void *ud, const uint8_t *p, size_t n)
{
    last_item *l = ud;
    l->p = p;
    l->n = n;
    return 0;
}

/* The last item of bytes field `field` (proto2: the last one wins), or (NULL, 0). */
static void last_bytes_field(const uint8_t *b, size_t len, uint64_t field, const uint8_t **p,
                             size_t *n)
{
    last_item l = {NULL, 0};
    scan_bytes_fields(b, len, field, keep_last, &l);
    *p = l.n > 0 ? l.p : NULL;
    *n = l.n;
}

/* ---- messages ---- */

int rc_decode_step_message(rc_step_message *out, const uint8_t *buf, size_t len, size_t max_len,
                           rc_entries *scratch, rc_blob_pool *pool, const rc_bytes *shared)
{
    out->pooled = false;
    out->m = rc_message_zero;
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    if (max_len != 0 && len > max_len)
        return RC_ERR_TOO_LARGE;
    if (buf != NULL) {
        int rc = rc_wire_decode_message_pooled(&out->m, buf, len, scratch, pool, shared);
        if (rc != RC_WIRE_FALLBACK) {
            out->pooled = rc == RC_OK;
            return rc;
        }
    }
    return rc_pb_decode_message(&out->m, buf, len, max_len);
}

void rc_step_message_release(rc_step_message *sm)
{
    if (sm->pooled)
        rc_wire_release_pooled_message(&sm->m);
    else
        rc_message_free(&sm->m);
    sm->pooled = false;
}

static void summarize_scalars(rc_message_summary *out, const rc_message *m)
{
    out->f = (rc_message_fields){(uint64_t)m->type, m->to, m->from, m->term, m->log_term,
                                 m->index, m->commit, m->vote, m->reject ? 1u : 0u,
                                 m->reject_hint};
    out->n_entries = m->n_entries;
    out->has_snapshot = m->snapshot != NULL;
    out->n_responses = m->n_responses;
}

int rc_summarize_message(rc_message_summary *out, const uint8_t *buf, size_t len, size_t max_len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    if (max_len != 0 && len > max_len)
        return RC_ERR_TOO_LARGE;
    rc_message m;
    if (buf != NULL && rc_wire_peek_message(&m, buf, len) == RC_OK) {
        summarize_scalars(out, &m); /* m borrows from buf: nothing to free */
        out->context = m.context.len > 0 ? m.context.data : NULL;
        out->context_len = m.context.len;
        return RC_OK;
    }
    int rc = rc_pb_decode_message(&m, buf, len, max_len);
    if (rc != RC_OK)
        return rc;
    summarize_scalars(out, &m);
    rc_message_free(&m);
    last_bytes_field(buf, len, 12, &out->context, &out->context_len);
    return RC_OK;
}

int rc_message_for_each_entry(const uint8_t *buf, size_t len,
                              int (*fn)(void *ud, const uint8_t *body, size_t body_len), void *ud)
{
    return buf == NULL ? 0 : scan_bytes_fields(buf, len, 7, fn, ud);
}

/* ---- entries ---- */

int rc_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                  size_t *data_len, const uint8_t *buf, size_t len)
{
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    if (buf != NULL && rc_wire_view_entry(term, index, type, data, data_len, buf, len) == RC_OK)
        return RC_OK;
    rc_entry e;
    int rc = rc_pb_decode_entry(&e, buf, len);
    if (rc != RC_OK)
        return rc;
    *term = e.term;
    *index = e.index;
    *type = e.type;
    bool has_data = e.data.len > 0;
    rc_entry_free(&e);
    *data = NULL;
    *data_len = 0;
    if (has_data)
        last_bytes_field(buf, len, 4, data, data_len);
    return RC_OK;
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
