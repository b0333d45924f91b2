/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wire.c: hand-rolled raftpb encoders and fast-subset decoders (see wire.h for the contract).
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

/* ---- fast-subset decoders ---- */

/* A reader over [p, end). Every helper returns false for "not in the fast subset". */
typedef struct rd {
    const uint8_t *p, *end;
} rd;

/* A reader over buf[0, len); a NULL buf (len 0) is an empty reader, avoiding NULL + 0. */
static inline rd rd_init(const uint8_t *buf, size_t len)
{
    rd r = {buf, buf == NULL ? buf : buf + len};
    return r;
}

/* Varints of at most 9 bytes (values < 2^63): protobuf-c reads those exactly. */
static inline bool rd_varint(rd *r, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned i = 0; i < 9; i++) {
        if (r->p >= r->end)
            return false;
        uint8_t c = *r->p++;
        x |= (uint64_t)(c & 0x7f) << (7 * i);
        if ((c & 0x80) == 0) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* A one-byte tag of a field 1..15 with wire type 0 or 2. */
static inline bool rd_tag(rd *r, unsigned *field, unsigned *wt)
{
    uint8_t t = *r->p++;
    if (t & 0x80)
        return false;
    *field = t >> 3;
    *wt = t & 7;
    return *field != 0 && (*wt == 0 || *wt == 2);
}

/* A length prefix of at most 4 bytes (protobuf-c reads lengths as 32-bit from <= 5 bytes). */
static inline bool rd_len(rd *r, const uint8_t **data, size_t *len)
{
    uint64_t v;
    const uint8_t *start = r->p;
    if (!rd_varint(r, &v) || r->p - start > 4 || v > (uint64_t)(r->end - r->p))
        return false;
    *data = r->p;
    *len = (size_t)v;
    r->p += v;
    return true;
}

/* Small enums: at most 4 bytes (protobuf-c keeps the low 32 bits of an int32) and <= max. */
static inline bool rd_enum(rd *r, uint64_t max, uint64_t *v)
{
    const uint8_t *start = r->p;
    return rd_varint(r, v) && r->p - start <= 4 && *v <= max;
}

int rc_wire_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                       size_t *data_len, const uint8_t *buf, size_t len)
{
    rd r = rd_init(buf, len);
    unsigned seen = 0;
    *term = *index = 0;
    *type = RC_ENTRY_NORMAL;
    *data = NULL;
    *data_len = 0;
    while (r.p < r.end) {
        unsigned f, wt;
        uint64_t v;
        if (!rd_tag(&r, &f, &wt) || f > 4 || (seen & (1u << f)))
            return RC_WIRE_FALLBACK;
        seen |= 1u << f;
        if (f == 4) {
            if (wt != 2 || !rd_len(&r, data, data_len))
                return RC_WIRE_FALLBACK;
            continue;
        }
        if (wt != 0)
            return RC_WIRE_FALLBACK;
        if (f == 1) {
            if (!rd_enum(&r, RC_ENTRY_CONF_CHANGE_V2, &v))
                return RC_WIRE_FALLBACK;
            *type = (rc_entry_type)v;
            continue;
        }
        if (!rd_varint(&r, &v))
            return RC_WIRE_FALLBACK;
        if (f == 2)
            *term = v;
        else
            *index = v;
    }
    if (*data_len == 0)
        *data = NULL;
    return RC_OK;
}

/* A varint at p (< end) in its shortest form; advances *pp past it. */
static bool rd_minimal_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
    rd r = {*pp, end};
    const uint8_t *start = r.p;
    if (!rd_varint(&r, v))
        return false;
    size_t n = (size_t)(r.p - start);
    if (n > 1 && r.p[-1] == 0)
        return false; /* a trailing zero group: not what an encoder writes */
    *pp = r.p;
    return true;
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

int rc_wire_decode_entry(rc_entry *out, const uint8_t *buf, size_t len)
{
    const uint8_t *data;
    size_t dl;
    memset(out, 0, sizeof(*out));
    int rc = rc_wire_view_entry(&out->term, &out->index, &out->type, &data, &dl, buf, len);
    if (rc != RC_OK) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    rc = rc_bytes_set(&out->data, data, dl);
    if (rc != RC_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

int rc_wire_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len)
{
    rd r = rd_init(buf, len);
    unsigned seen = 0;
    memset(out, 0, sizeof(*out));
    while (r.p < r.end) {
        unsigned f, wt;
        uint64_t v;
        if (!rd_tag(&r, &f, &wt) || f > 3 || wt != 0 || (seen & (1u << f)) ||
            !rd_varint(&r, &v)) {
            memset(out, 0, sizeof(*out));
            return RC_WIRE_FALLBACK;
        }
        seen |= 1u << f;
        if (f == 1)
            out->term = v;
        else if (f == 2)
            out->vote = v;
        else
            out->commit = v;
    }
    return RC_OK;
}

/* Where msg_decode puts what it reads. */
typedef struct msg_store {
    bool peek;           /* count entries and borrow the context: allocate nothing */
    size_t cap;          /* capacity of the message's entry array */
    rc_blob_pool *pool;  /* slabs for payloads and context, or NULL (a blob each) */
    const rc_bytes *shared; /* the input's blob: payloads are views sharing it, or NULL */
} msg_store;

static int store_bytes(const msg_store *st, rc_bytes *dst, const uint8_t *b, size_t l)
{
    return st->pool != NULL ? rc_bytes_set_pooled(dst, st->pool, b, l) : rc_bytes_set(dst, b, l);
}

/* Appends one decoded entry to m (array grown by doubling). */
static int msg_push_entry(rc_message *m, msg_store *st, const uint8_t *b, size_t l)
{
    if (rc_grow((void **)&m->entries, &st->cap, m->n_entries + 1, sizeof(rc_entry)) != RC_OK)
        return RC_ERR_NOMEM;
    rc_entry *e = &m->entries[m->n_entries];
    const uint8_t *d;
    size_t dl;
    memset(e, 0, sizeof(*e));
    int rc = rc_wire_view_entry(&e->term, &e->index, &e->type, &d, &dl, b, l);
    if (rc == RC_OK && st->shared != NULL)
        rc_bytes_share(&e->data, st->shared, d, dl);
    else if (rc == RC_OK)
        rc = store_bytes(st, &e->data, d, dl);
    if (rc != RC_OK) {
        memset(e, 0, sizeof(*e));
        return rc;
    }
    m->n_entries++;
    return RC_OK;
}

/* Scalar fields of Message by number (0 = not a scalar field of the fast subset). */
static uint64_t *msg_scalar(rc_message *m, unsigned f)
{
    switch (f) {
    case 2: return &m->to;
    case 3: return &m->from;
    case 4: return &m->term;
    case 5: return &m->log_term;
    case 6: return &m->index;
    case 8: return &m->commit;
    case 11: return &m->reject_hint;
    case 13: return &m->vote;
    default: return NULL;
    }
}

/* RC_OK iff b is an Entry body of the fast subset. */
static int entry_check(const uint8_t *b, size_t l)
{
    uint64_t t, i;
    rc_entry_type ty;
    const uint8_t *d;
    size_t dl;
    return rc_wire_view_entry(&t, &i, &ty, &d, &dl, b, l);
}

/* A valid Entry body, counted but not decoded (peek mode). */
static int msg_count_entry(rc_message *m, const uint8_t *b, size_t l)
{
    int rc = entry_check(b, l);
    if (rc == RC_OK)
        m->n_entries++;
    return rc;
}

/* One field; peek mode counts entries and borrows the context. */
static int msg_field(rc_message *m, rd *r, unsigned f, unsigned wt, msg_store *st)
{
    const uint8_t *b;
    size_t l;
    uint64_t v;
    if (f == 7 || f == 12) {
        if (wt != 2 || !rd_len(r, &b, &l))
            return RC_WIRE_FALLBACK;
        if (f == 7)
            return !st->peek ? msg_push_entry(m, st, b, l) : msg_count_entry(m, b, l);
        if (!st->peek)
            return store_bytes(st, &m->context, b, l);
        m->context = (rc_bytes){l > 0 ? (uint8_t *)(uintptr_t)b : NULL, l, NULL};
        return RC_OK;
    }
    if (wt != 0)
        return RC_WIRE_FALLBACK;
    if (f == 1) {
        if (!rd_enum(r, RC_MSG_TYPE_COUNT - 1, &v))
            return RC_WIRE_FALLBACK;
        m->type = (rc_msg_type)v;
        return RC_OK;
    }
    if (!rd_varint(r, &v))
        return RC_WIRE_FALLBACK;
    if (f == 10) {
        m->reject = v != 0;
        return RC_OK;
    }
    uint64_t *dst = msg_scalar(m, f);
    if (dst == NULL)
        return RC_WIRE_FALLBACK;
    *dst = v;
    return RC_OK;
}

/* Decodes into *out, whose entry array (possibly a reused one, st->cap) is already set. On
 * failure the payloads and context read so far are released and n_entries is 0 (the array is
 * left to the caller). */
static int msg_decode(rc_message *out, const uint8_t *buf, size_t len, msg_store *st)
{
    rd r = rd_init(buf, len);
    unsigned seen = 0;
    while (r.p < r.end) {
        unsigned f, wt;
        int rc;
        if (!rd_tag(&r, &f, &wt) || f == 9 || f >= 14 || (f != 7 && (seen & (1u << f))))
            rc = RC_WIRE_FALLBACK;
        else
            rc = msg_field(out, &r, f, wt, st);
        if (rc != RC_OK) {
            if (!st->peek) {
                for (size_t i = 0; i < out->n_entries; i++)
                    rc_bytes_free(&out->entries[i].data);
                rc_bytes_free(&out->context);
            }
            out->n_entries = 0;
            return rc;
        }
        seen |= 1u << f;
    }
    return RC_OK;
}

int rc_wire_decode_message(rc_message *out, const uint8_t *buf, size_t len)
{
    msg_store st = {false, 0, NULL, NULL};
    *out = rc_message_zero;
    int rc = msg_decode(out, buf, len, &st);
    if (rc != RC_OK) {
        rc_free(out->entries);
        *out = rc_message_zero;
    }
    return rc;
}

int rc_wire_decode_message_pooled(rc_message *out, const uint8_t *buf, size_t len,
                                  rc_entries *scratch, rc_blob_pool *pool,
                                  const rc_bytes *shared)
{
    msg_store st = {false, scratch->cap, pool, shared};
    *out = rc_message_zero;
    out->entries = scratch->v;
    int rc = msg_decode(out, buf, len, &st);
    *scratch = (rc_entries){out->entries, 0, st.cap}; /* the array, grown or not, stays here */
    if (rc != RC_OK)
        *out = rc_message_zero;
    else if (out->n_entries == 0)
        out->entries = NULL;
    return rc;
}

void rc_wire_release_pooled_message(rc_message *m)
{
    for (size_t i = 0; i < m->n_entries; i++)
        rc_bytes_free(&m->entries[i].data);
    rc_bytes_free(&m->context);
    rc_message_disown(m);
}

int rc_wire_peek_message(rc_message *out, const uint8_t *buf, size_t len)
{
    msg_store st = {true, 0, NULL, NULL};
    *out = rc_message_zero;
    int rc = msg_decode(out, buf, len, &st);
    if (rc != RC_OK)
        *out = rc_message_zero;
    return rc;
}
