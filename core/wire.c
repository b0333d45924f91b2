/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wire.c: hand-rolled raftpb encoders (see wire.h for the contract; the decoders are in
 * wire_decode.c).
 * Encoding profile (as codec.c): Entry always writes type, term and index, data when non-empty;
 * every other scalar is written only when non-zero; fields in field-number order.
 */
#include "wire.h"

#include <string.h>

#include "alloc.h"

/* Field tags (field << 3 | wire type); all fields here are < 16, so tags take one byte. */
#define TAG_VARINT(f) ((uint8_t)((f) << 3))
#define TAG_LEN(f) ((uint8_t)(((f) << 3) | 2))

/* ---- sizes ---- */

static inline size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static inline size_t sz_varint(uint64_t v)
{
    return 1 + varint_size(v);
}

static inline size_t sz_opt(uint64_t v)
{
    return v != 0 ? sz_varint(v) : 0;
}

static inline size_t sz_len(size_t n)
{
    return 1 + varint_size(n) + n;
}

static inline uint64_t entry_type_wire(rc_entry_type t)
{
    return (uint64_t)(int64_t)(int32_t)t; /* an int32 enum on the wire */
}

size_t rc_wire_entry_size(const rc_entry *e)
{
    return sz_varint(entry_type_wire(e->type)) + sz_varint(e->term) + sz_varint(e->index) +
           (e->data.len > 0 ? sz_len(e->data.len) : 0);
}

size_t rc_wire_hard_state_size(const rc_hard_state *hs)
{
    return sz_opt(hs->term) + sz_opt(hs->vote) + sz_opt(hs->commit);
}

static bool conf_state_blank(const rc_conf_state *cs)
{
    return cs->voters.n == 0 && cs->learners.n == 0 && cs->voters_outgoing.n == 0 &&
           cs->learners_next.n == 0 && !cs->auto_leave;
}

size_t rc_wire_conf_state_size(const rc_conf_state *cs)
{
    const rc_ids *lists[4] = {&cs->voters, &cs->learners, &cs->voters_outgoing,
                              &cs->learners_next};
    size_t n = cs->auto_leave ? 2 : 0;
    for (size_t l = 0; l < 4; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            n += sz_varint(lists[l]->v[i]);
    return n;
}

static size_t snapshot_meta_size(const rc_snapshot_meta *md)
{
    size_t n = sz_opt(md->index) + sz_opt(md->term);
    if (!conf_state_blank(&md->conf_state))
        n += sz_len(rc_wire_conf_state_size(&md->conf_state));
    return n;
}

size_t rc_wire_snapshot_size(const rc_snapshot *s)
{
    size_t md = snapshot_meta_size(&s->metadata);
    return (s->data.len > 0 ? sz_len(s->data.len) : 0) + (md > 0 ? sz_len(md) : 0);
}

/* The blank snapshot of a non-MsgSnap message is dropped (as codec.c does). */
static bool writes_snapshot(const rc_message *m)
{
    if (m->snapshot == NULL)
        return false;
    return m->type == RC_MSG_SNAP || m->snapshot->metadata.index != 0 ||
           m->snapshot->data.len > 0;
}

static bool message_ok(const rc_message *m, int depth)
{
    if ((unsigned)m->type >= RC_MSG_TYPE_COUNT || (depth > 0 && m->n_responses > 0))
        return false;
    for (size_t i = 0; i < m->n_responses; i++)
        if (!message_ok(&m->responses[i], depth + 1))
            return false;
    return true;
}

bool rc_wire_message_ok(const rc_message *m)
{
    return message_ok(m, 0);
}

size_t rc_wire_message_size(const rc_message *m)
{
    size_t n = sz_opt((uint64_t)m->type) + sz_opt(m->to) + sz_opt(m->from) + sz_opt(m->term) +
               sz_opt(m->log_term) + sz_opt(m->index) + sz_opt(m->commit) +
               (m->reject ? 2 : 0) + sz_opt(m->reject_hint) +
               (m->context.len > 0 ? sz_len(m->context.len) : 0) + sz_opt(m->vote);
    for (size_t i = 0; i < m->n_entries; i++)
        n += sz_len(rc_wire_entry_size(&m->entries[i]));
    if (writes_snapshot(m))
        n += sz_len(rc_wire_snapshot_size(m->snapshot));
    for (size_t i = 0; i < m->n_responses; i++)
        n += sz_len(rc_wire_message_size(&m->responses[i]));
    return n;
}

/* ---- encoders ---- */

static inline uint8_t *put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static inline uint8_t *put_field(uint8_t *p, unsigned f, uint64_t v)
{
    *p++ = TAG_VARINT(f);
    return put_varint(p, v);
}

static inline uint8_t *put_opt(uint8_t *p, unsigned f, uint64_t v)
{
    return v != 0 ? put_field(p, f, v) : p;
}

static inline uint8_t *put_bytes(uint8_t *p, unsigned f, const uint8_t *data, size_t len)
{
    *p++ = TAG_LEN(f);
    p = put_varint(p, len);
    if (len > 0)
        memcpy(p, data, len);
    return p + len;
}

uint8_t *rc_wire_put_entry(uint8_t *p, const rc_entry *e)
{
    p = put_field(p, 1, entry_type_wire(e->type));
    p = put_field(p, 2, e->term);
    p = put_field(p, 3, e->index);
    if (e->data.len > 0)
        p = put_bytes(p, 4, e->data.data, e->data.len);
    return p;
}

uint8_t *rc_wire_put_hard_state(uint8_t *p, const rc_hard_state *hs)
{
    p = put_opt(p, 1, hs->term);
    p = put_opt(p, 2, hs->vote);
    return put_opt(p, 3, hs->commit);
}

uint8_t *rc_wire_put_conf_state(uint8_t *p, const rc_conf_state *cs)
{
    const rc_ids *lists[4] = {&cs->voters, &cs->learners, &cs->voters_outgoing,
                              &cs->learners_next};
    for (unsigned l = 0; l < 4; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            p = put_field(p, l + 1, lists[l]->v[i]);
    if (cs->auto_leave)
        p = put_field(p, 5, 1);
    return p;
}

uint8_t *rc_wire_put_snapshot(uint8_t *p, const rc_snapshot *s)
{
    if (s->data.len > 0)
        p = put_bytes(p, 1, s->data.data, s->data.len);
    const rc_snapshot_meta *md = &s->metadata;
    size_t mdn = snapshot_meta_size(md);
    if (mdn == 0)
        return p;
    *p++ = TAG_LEN(2);
    p = put_varint(p, mdn);
    if (!conf_state_blank(&md->conf_state)) {
        *p++ = TAG_LEN(1);
        p = put_varint(p, rc_wire_conf_state_size(&md->conf_state));
        p = rc_wire_put_conf_state(p, &md->conf_state);
    }
    p = put_opt(p, 2, md->index);
    return put_opt(p, 3, md->term);
}

uint8_t *rc_wire_put_message(uint8_t *p, const rc_message *m)
{
    p = put_opt(p, 1, (uint64_t)m->type);
    p = put_opt(p, 2, m->to);
    p = put_opt(p, 3, m->from);
    p = put_opt(p, 4, m->term);
    p = put_opt(p, 5, m->log_term);
    p = put_opt(p, 6, m->index);
    for (size_t i = 0; i < m->n_entries; i++) {
        *p++ = TAG_LEN(7);
        p = put_varint(p, rc_wire_entry_size(&m->entries[i]));
        p = rc_wire_put_entry(p, &m->entries[i]);
    }
    p = put_opt(p, 8, m->commit);
    if (writes_snapshot(m)) {
        *p++ = TAG_LEN(9);
        p = put_varint(p, rc_wire_snapshot_size(m->snapshot));
        p = rc_wire_put_snapshot(p, m->snapshot);
    }
    p = put_opt(p, 10, m->reject ? 1 : 0);
    p = put_opt(p, 11, m->reject_hint);
    if (m->context.len > 0)
        p = put_bytes(p, 12, m->context.data, m->context.len);
    p = put_opt(p, 13, m->vote);
    for (size_t i = 0; i < m->n_responses; i++) {
        *p++ = TAG_LEN(14);
        p = put_varint(p, rc_wire_message_size(&m->responses[i]));
        p = rc_wire_put_message(p, &m->responses[i]);
    }
    return p;
}

size_t rc_wire_message_gaps(const rc_message *m, size_t min, size_t *gap_bytes)
{
    size_t n = 0;
    *gap_bytes = 0;
    for (size_t i = 0; i < m->n_entries; i++)
        if (m->entries[i].data.len >= min) {
            n++;
            *gap_bytes += m->entries[i].data.len;
        }
    return n;
}

uint8_t *rc_wire_put_message_frame(uint8_t *p, const rc_message *m, size_t min,
                                   rc_frame_gap *gaps)
{
    uint8_t *start = p;
    size_t skipped = 0; /* gap bytes before p: offsets are in the whole encoding */
    rc_message head = *m;
    head.n_entries = 0;
    head.commit = 0;
    head.snapshot = NULL;
    head.reject = false;
    head.reject_hint = 0;
    head.context = (rc_bytes){NULL, 0, NULL};
    head.vote = 0;
    head.n_responses = 0;
    p = rc_wire_put_message(p, &head); /* fields 1-6 */
    for (size_t i = 0; i < m->n_entries; i++) {
        const rc_entry *e = &m->entries[i];
        *p++ = TAG_LEN(7);
        p = put_varint(p, rc_wire_entry_size(e));
        if (e->data.len < min) {
            p = rc_wire_put_entry(p, e);
            continue;
        }
        p = put_field(p, 1, entry_type_wire(e->type));
        p = put_field(p, 2, e->term);
        p = put_field(p, 3, e->index);
        *p++ = TAG_LEN(4);
        p = put_varint(p, e->data.len);
        *gaps++ = (rc_frame_gap){(size_t)(p - start) + skipped, e->data.data, e->data.len};
        skipped += e->data.len;
    }
    rc_message tail = *m;
    tail.type = RC_MSG_HUP; /* 0: not written */
    tail.to = tail.from = tail.term = tail.log_term = tail.index = 0;
    tail.n_entries = 0;
    return rc_wire_put_message(p, &tail); /* fields 8-14 */
}

size_t rc_wire_fields_message_size(const rc_message_fields *f, const size_t *lens, size_t n,
                                   size_t context_len)
{
    size_t s = sz_opt(f->type) + sz_opt(f->to) + sz_opt(f->from) + sz_opt(f->term) +
               sz_opt(f->log_term) + sz_opt(f->index) + sz_opt(f->commit) +
               (f->reject ? 2 : 0) + sz_opt(f->reject_hint) +
               (context_len > 0 ? sz_len(context_len) : 0) + sz_opt(f->vote);
    for (size_t i = 0; i < n; i++)
        s += sz_len(lens[i]);
    return s;
}

uint8_t *rc_wire_put_fields_message(uint8_t *p, const rc_message_fields *f,
                                    const uint8_t *const *ents, const size_t *lens, size_t n,
                                    const uint8_t *context, size_t context_len)
{
    p = put_opt(p, 1, f->type);
    p = put_opt(p, 2, f->to);
    p = put_opt(p, 3, f->from);
    p = put_opt(p, 4, f->term);
    p = put_opt(p, 5, f->log_term);
    p = put_opt(p, 6, f->index);
    for (size_t i = 0; i < n; i++)
        p = put_bytes(p, 7, ents[i], lens[i]);
    p = put_opt(p, 8, f->commit);
    p = put_opt(p, 10, f->reject ? 1 : 0);
    p = put_opt(p, 11, f->reject_hint);
    if (context_len > 0)
        p = put_bytes(p, 12, context, context_len);
    return put_opt(p, 13, f->vote);
}

/* ---- canonical Entry bytes (copied verbatim by the encoders' callers) ---- */

/* A varint at *pp (< end) of at most 9 bytes in its shortest form; advances *pp past it. */
static bool rd_minimal_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
    const uint8_t *p = *pp;
    uint64_t x = 0;
    for (unsigned i = 0; i < 9 && p < end; i++) {
        uint8_t c = *p++;
        x |= (uint64_t)(c & 0x7f) << (7 * i);
        if ((c & 0x80) == 0) {
            if (i > 0 && c == 0)
                return false; /* a trailing zero group: not what an encoder writes */
            *v = x;
            *pp = p;
            return true;
        }
    }
    return false;
}

bool rc_wire_entry_is_canonical(const uint8_t *buf, size_t len)
{
    if (buf == NULL || len < 6)
        return false;
    const uint8_t *p = buf, *end = buf + len;
    uint64_t v;
    if (*p++ != TAG_VARINT(1) || !rd_minimal_varint(&p, end, &v) || v > RC_ENTRY_CONF_CHANGE_V2)
        return false;
    if (p >= end || *p++ != TAG_VARINT(2) || !rd_minimal_varint(&p, end, &v))
        return false;
    if (p >= end || *p++ != TAG_VARINT(3) || !rd_minimal_varint(&p, end, &v))
        return false;
    if (p == end)
        return true;
    if (*p++ != TAG_LEN(4) || p >= end || !rd_minimal_varint(&p, end, &v))
        return false;
    return v > 0 && v <= 0xffffffffu && v == (uint64_t)(end - p);
}
