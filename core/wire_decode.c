/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wire_decode.c: the raftpb decoders (see wire.h for the contract). Each reads its bytes once,
 * field by field, with the acceptance rules of codec.c's protobuf-c path (the reference), so
 * results and errors are the same for every input; the one field it does not read itself, a
 * Message's snapshot, goes to protobuf-c alone (codec.c). Message.responses are read by the same
 * code one level down, and a responses field below that is refused there.
 */
#include "wire.h"

#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"

/* ---- reading fields as protobuf-c 1.4 does ---- */

/* A reader over [p, end); trace (tests only, else NULL) counts the reads of each byte of the
 * outermost buffer, which starts at base. */
typedef struct rd {
    const uint8_t *p, *end;
    uint8_t *trace;
    const uint8_t *base;
} rd;

static inline rd rd_init(const uint8_t *buf, size_t len, uint8_t *trace)
{
    rd r = {buf, buf == NULL ? buf : buf + len, trace, buf};
    return r;
}

/* A reader over the contents of a length-delimited field read by r. */
static inline rd rd_sub(const rd *r, const uint8_t *body, size_t n)
{
    rd s = {body, body + n, r->trace, r->base};
    return s;
}

/* Records that bytes [p, p + n) were read (tests). */
static inline void rd_mark(const rd *r, const uint8_t *p, size_t n)
{
    if (r->trace != NULL)
        for (size_t i = 0; i < n; i++)
            r->trace[(size_t)(p - r->base) + i]++;
}

/* One field: its number, wire type, the bytes after the tag (v, vn: a varint, fixed-width
 * bytes, or a length prefix and the contents), a varint's value (bits beyond 64 dropped, as
 * protobuf-c's uint64; an enum is its low 32 bits) and, when length-delimited, the contents. */
typedef struct pb_field {
    uint32_t num;
    unsigned wt;
    const uint8_t *v;
    size_t vn;
    uint64_t val;
    const uint8_t *body;
    size_t n;
} pb_field;

/* pb_varint's general case: a varint of 1 to max bytes at *pp (< end). */
static bool pb_varint_long(const uint8_t **pp, const uint8_t *end, unsigned max, uint64_t *val)
{
    const uint8_t *p = *pp;
    uint64_t x = 0;
    for (unsigned i = 0; i < max && p < end; i++) {
        uint8_t c = *p++;
        x |= (uint64_t)(c & 0x7f) << (7 * i);
        if ((c & 0x80) == 0) {
            *pp = p;
            *val = x;
            return true;
        }
    }
    return false;
}

/* A varint of at most max bytes at *pp (< end): its value into *val, *pp past it. Most varints
 * of a message (tags, types, ids, terms, small indexes) take one byte: that case is inline. */
static inline bool pb_varint(const uint8_t **pp, const uint8_t *end, unsigned max, uint64_t *val)
{
    const uint8_t *p = *pp;
    if (p < end && *p < 0x80) {
        *val = *p;
        *pp = p + 1;
        return true;
    }
    return pb_varint_long(pp, end, max, val);
}

/* A tag of at most 5 bytes (protobuf-c's 32-bit field number) at *pp (< end), whose first byte
 * has field bits. */
static inline bool pb_tag(const uint8_t **pp, const uint8_t *end, uint32_t *num, unsigned *wt)
{
    const uint8_t *d = *pp;
    uint64_t tag;
    if ((d[0] & 0xf8) == 0 || !pb_varint(pp, end, 5, &tag))
        return false;
    *num = (uint32_t)(tag >> 3);
    *wt = d[0] & 7;
    return true;
}

/* Reads the field at r->p (< r->end) into all of *f as protobuf-c's unpacker frames it: a tag of at most 5
 * bytes whose first byte has field bits, a varint of at most 10 bytes, 8 or 4 fixed bytes, or
 * a length prefix of at most 5 bytes and that many bytes; groups and wire types 6 and 7 are
 * refused. Marks the tag and the value or length prefix as read (not the contents). */
static inline bool pb_next(rd *r, pb_field *f)
{
    const uint8_t *d = r->p, *p = d;
    if (!pb_tag(&p, r->end, &f->num, &f->wt))
        return false;
    f->v = p;
    f->val = 0;
    f->body = NULL;
    f->n = 0;
    switch (f->wt) {
    case 0:
        if (!pb_varint(&p, r->end, 10, &f->val))
            return false;
        break;
    case 1:
    case 5: {
        size_t w = f->wt == 1 ? 8 : 4;
        if ((size_t)(r->end - p) < w)
            return false;
        p += w;
        break;
    }
    case 2: {
        uint64_t n;
        if (!pb_varint(&p, r->end, 5, &n) || n > (uint64_t)(r->end - p))
            return false;
        f->body = p;
        f->n = (size_t)n;
        rd_mark(r, d, (size_t)(p - d));
        p += n;
        f->vn = (size_t)(p - f->v);
        r->p = p;
        return true;
    }
    default:
        return false;
    }
    rd_mark(r, d, (size_t)(p - d));
    f->vn = (size_t)(p - f->v);
    r->p = p;
    return true;
}

/* The tag byte of a varint field numbered f < 16. */
#define PB_TAG_VARINT(f) ((uint8_t)((f) << 3))

/* The common case of pb_next, for a caller that has seen a one-byte varint tag at r->p: the
 * value into *val (as pb_next would read it), tag and value marked read. */
static inline bool pb_next_varint(rd *r, uint64_t *val)
{
    const uint8_t *d = r->p, *p = d + 1;
    if (!pb_varint(&p, r->end, 10, val))
        return false;
    rd_mark(r, d, (size_t)(p - d));
    r->p = p;
    return true;
}

/* protobuf-c's bool: true iff any byte of the value (whatever its wire type; a length prefix
 * included) has a non-zero low 7 bits. */
static bool pb_bool(const pb_field *f)
{
    for (size_t i = 0; i < f->vn; i++)
        if (f->v[i] & 0x7f)
            return true;
    return false;
}

/* Skips the contents of a length-delimited field nobody reads (unknown fields), marking them
 * read; the other wire types have no contents. */
static inline void pb_skip(const rd *r, const pb_field *f)
{
    if (f->wt == 2)
        rd_mark(r, f->body, f->n);
}

/* ---- Entry ---- */

typedef struct entry_view {
    uint64_t term, index;
    uint32_t type; /* protobuf-c's int32, as unsigned: valid when <= RC_ENTRY_CONF_CHANGE_V2 */
    const uint8_t *data; /* NULL when empty */
    size_t len;
} entry_view;

/* Reads Entry bytes: RC_OK (the type may still be out of range) or RC_ERR_DECODE. */
static int entry_read(entry_view *e, rd r)
{
    *e = (entry_view){0, 0, 0, NULL, 0};
    while (r.p < r.end) {
        uint8_t t = *r.p;
        if (t == PB_TAG_VARINT(1) || t == PB_TAG_VARINT(2) || t == PB_TAG_VARINT(3)) {
            uint64_t v; /* type, term or index, as below */
            if (!pb_next_varint(&r, &v))
                return RC_ERR_DECODE;
            if (t == PB_TAG_VARINT(1))
                e->type = (uint32_t)v;
            else if (t == PB_TAG_VARINT(2))
                e->term = v;
            else
                e->index = v;
            continue;
        }
        pb_field f; /* set by pb_next */
        if (!pb_next(&r, &f))
            return RC_ERR_DECODE;
        if (f.num >= 1 && f.num <= 3 && f.wt != 0)
            return RC_ERR_DECODE;
        switch (f.num) {
        case 1: e->type = (uint32_t)f.val; break;
        case 2: e->term = f.val; break;
        case 3: e->index = f.val; break;
        case 4:
            if (f.wt != 2)
                return RC_ERR_DECODE;
            e->data = f.body;
            e->len = f.n;
            pb_skip(&r, &f);
            break;
        default: pb_skip(&r, &f); break;
        }
    }
    if (e->len == 0)
        e->data = NULL;
    return RC_OK;
}

static int entry_view_of(entry_view *e, const uint8_t *buf, size_t len, uint8_t *trace)
{
    int rc = entry_read(e, rd_init(buf, len, trace));
    return rc == RC_OK && e->type > RC_ENTRY_CONF_CHANGE_V2 ? RC_ERR_DECODE : rc;
}

int rc_wire_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                       size_t *data_len, const uint8_t *buf, size_t len)
{
    entry_view e;
    int rc = entry_view_of(&e, buf, len, NULL);
    if (rc != RC_OK)
        e = (entry_view){0, 0, 0, NULL, 0};
    *term = e.term;
    *index = e.index;
    *type = (rc_entry_type)e.type;
    *data = e.data;
    *data_len = e.len;
    return rc;
}

int rc_wire_decode_entry(rc_entry *out, const uint8_t *buf, size_t len)
{
    const uint8_t *data;
    size_t dl;
    memset(out, 0, sizeof(*out));
    int rc = rc_wire_view_entry(&out->term, &out->index, &out->type, &data, &dl, buf, len);
    if (rc == RC_OK)
        rc = rc_bytes_set(&out->data, data, dl);
    if (rc != RC_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* ---- HardState ---- */

int rc_wire_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len)
{
    rd r = rd_init(buf, len, NULL);
    memset(out, 0, sizeof(*out));
    while (r.p < r.end) {
        pb_field f; /* set by pb_next */
        if (!pb_next(&r, &f) || (f.num >= 1 && f.num <= 3 && f.wt != 0)) {
            memset(out, 0, sizeof(*out));
            return RC_ERR_DECODE;
        }
        if (f.num == 1)
            out->term = f.val;
        else if (f.num == 2)
            out->vote = f.val;
        else if (f.num == 3)
            out->commit = f.val;
    }
    return RC_OK;
}

/* ---- Message ---- */

/* Where msg_read puts what it reads. */
typedef struct msg_store {
    bool peek;          /* count entries and responses, borrow the context: allocate nothing */
    size_t cap;         /* capacity of the message's entry array */
    rc_blob_pool *pool; /* slabs for payloads and context, or NULL (a blob each) */
    rc_wire_item_fn each_entry; /* peek, top level: called with each Entry item */
    void *ud;
    bool has_snapshot;  /* peek: the message has a snapshot (out->snapshot stays NULL) */
    const rc_bytes *shared; /* the input's blob: entry payloads are views sharing it, or NULL */
} msg_store;

/* What a Message read keeps until its last field: values where the last occurrence wins, the
 * snapshot field(s), and value errors (reported only once the whole message is read, as the
 * reference does: a framing error anywhere wins over them). */
typedef struct msg_state {
    uint32_t type;
    const uint8_t *ctx;
    size_t ctx_len;
    const uint8_t *snap;     /* contents of the only snapshot field, or of the first one */
    size_t snap_len;
    const uint8_t *snap_raw; /* the first snapshot field from its tag */
    size_t snap_raw_len;
    uint8_t *snaps;          /* repeated snapshot fields, copied one after the other */
    size_t snaps_len, snaps_cap;
    size_t n_snaps;
    size_t resp_cap;
    bool bad_entry; /* an entry type outside EntryType */
    int resp_err;   /* the first response's value error */
} msg_state;

static int store_bytes(const msg_store *st, rc_bytes *dst, const uint8_t *b, size_t l)
{
    return st->pool != NULL ? rc_bytes_set_pooled(dst, st->pool, b, l) : rc_bytes_set(dst, b, l);
}

/* One Entry item: appended to m (array grown by doubling), or counted and passed to
 * each_entry (peek). */
static int msg_entry(rc_message *m, msg_store *st, msg_state *s, const rd *r, const pb_field *f)
{
    entry_view e;
    if (entry_read(&e, rd_sub(r, f->body, f->n)) != RC_OK)
        return RC_ERR_DECODE;
    if (e.type > RC_ENTRY_CONF_CHANGE_V2) {
        s->bad_entry = true;
        e.type = 0;
    }
    if (st->peek) {
        m->n_entries++;
        return st->each_entry != NULL ? st->each_entry(st->ud, f->body, f->n) : RC_OK;
    }
    if (rc_grow((void **)&m->entries, &st->cap, m->n_entries + 1, sizeof(rc_entry)) != RC_OK)
        return RC_ERR_NOMEM;
    rc_entry *x = &m->entries[m->n_entries];
    memset(x, 0, sizeof(*x));
    x->term = e.term;
    x->index = e.index;
    x->type = (rc_entry_type)e.type;
    int rc = RC_OK;
    if (st->shared != NULL)
        rc_bytes_share(&x->data, st->shared, e.data, e.len);
    else
        rc = store_bytes(st, &x->data, e.data, e.len);
    if (rc == RC_OK)
        m->n_entries++;
    return rc;
}

/* One snapshot field. A repeated one is merged by protobuf-c: the fields are kept, copied one
 * after the other, for one unpack of them all at the end. */
static int msg_snapshot(msg_state *s, const rd *r, const uint8_t *raw, const pb_field *f)
{
    size_t raw_len = (size_t)(f->body + f->n - raw);
    if (s->n_snaps++ == 0) {
        s->snap = f->body;
        s->snap_len = f->n;
        s->snap_raw = raw;
        s->snap_raw_len = raw_len;
        s->snaps_len = s->snaps_cap = 0;
        return RC_OK;
    }
    size_t need = s->snaps_len + (s->n_snaps == 2 ? s->snap_raw_len : 0) + raw_len;
    if (rc_grow((void **)&s->snaps, &s->snaps_cap, need, 1) != RC_OK)
        return RC_ERR_NOMEM;
    if (s->n_snaps == 2) {
        memcpy(s->snaps, s->snap_raw, s->snap_raw_len);
        s->snaps_len = s->snap_raw_len;
        rd_mark(r, s->snap_raw, s->snap_raw_len); /* headers read again by protobuf-c */
    }
    memcpy(s->snaps + s->snaps_len, raw, raw_len);
    rd_mark(r, raw, raw_len);
    s->snaps_len += raw_len;
    return RC_OK;
}

static int msg_read(rc_message *m, rd r, msg_store *st, int depth, int *verr);

/* One responses item (depth 0 only): read by msg_read one level down, into a new element of
 * m->responses (payloads in the same pool), or counted (peek). */
static int msg_response(rc_message *m, const msg_store *st, msg_state *s, const rd *r,
                        const pb_field *f)
{
    msg_store child = {st->peek, 0, st->pool, NULL, NULL, false, NULL};
    rc_message peeked = rc_message_zero, *resp = &peeked;
    if (!st->peek) {
        if (rc_grow((void **)&m->responses, &s->resp_cap, m->n_responses + 1,
                    sizeof(rc_message)) != RC_OK)
            return RC_ERR_NOMEM;
        resp = &m->responses[m->n_responses];
        *resp = rc_message_zero;
    }
    m->n_responses++;
    int verr = RC_OK;
    int rc = msg_read(resp, rd_sub(r, f->body, f->n), &child, 1, &verr);
    if (rc == RC_OK && verr != RC_OK && s->resp_err == RC_OK)
        s->resp_err = verr;
    return rc;
}

/* The snapshot once every field is read: unpacked by protobuf-c from its field's contents (or
 * from the repeated fields together), then kept unless it is the blank snapshot etcd tolerates
 * on messages other than MsgSnap. */
static int msg_finish_snapshot(rc_message *m, msg_store *st, msg_state *s, const rd *r)
{
    bool many = s->n_snaps > 1;
    rc_snapshot *snap = NULL;
    if (!st->peek && (snap = rc_calloc(1, sizeof(*snap))) == NULL)
        return RC_ERR_NOMEM;
    bool blank = false;
    if (!many)
        rd_mark(r, s->snap, s->snap_len);
    int rc = rc_pb_decode_snapshot_field(snap, &blank, many ? s->snaps : s->snap,
                                         many ? s->snaps_len : s->snap_len, many);
    bool keep = rc == RC_OK && (s->type == RC_MSG_SNAP || !blank);
    if (st->peek)
        st->has_snapshot = keep;
    else if (keep)
        m->snapshot = snap;
    if (snap != NULL && !keep) {
        rc_snapshot_free(snap);
        rc_free(snap);
    }
    return rc;
}

/* Where a varint field of a Message with a one-byte tag goes, by tag byte: the offset of its
 * rc_message member plus one, or 0 for the other fields (msg_field's cases with wire type 0 but
 * the type, which the caller stores). */
static const uint8_t msg_scalar_at[PB_TAG_VARINT(13) + 1] = {
    [PB_TAG_VARINT(2)] = offsetof(rc_message, to) + 1,
    [PB_TAG_VARINT(3)] = offsetof(rc_message, from) + 1,
    [PB_TAG_VARINT(4)] = offsetof(rc_message, term) + 1,
    [PB_TAG_VARINT(5)] = offsetof(rc_message, log_term) + 1,
    [PB_TAG_VARINT(6)] = offsetof(rc_message, index) + 1,
    [PB_TAG_VARINT(8)] = offsetof(rc_message, commit) + 1,
    [PB_TAG_VARINT(11)] = offsetof(rc_message, reject_hint) + 1,
    [PB_TAG_VARINT(13)] = offsetof(rc_message, vote) + 1,
};
_Static_assert(offsetof(rc_message, reject_hint) < UINT8_MAX &&
                   offsetof(rc_message, vote) < UINT8_MAX,
               "msg_scalar_at holds offsets in a byte");

/* The member of m that the varint field with the one-byte tag t sets, or NULL. */
static inline uint64_t *msg_scalar_slot(rc_message *m, uint8_t t)
{
    if (t >= sizeof(msg_scalar_at) || msg_scalar_at[t] == 0)
        return NULL;
    return (uint64_t *)(void *)((char *)m + msg_scalar_at[t] - 1);
}

/* One field of a Message. */
static int msg_field(rc_message *m, msg_store *st, msg_state *s, const rd *r, const uint8_t *raw,
                     const pb_field *f, int depth)
{
    uint64_t *dst;
    switch (f->num) {
    case 1:
        if (f->wt != 0)
            return RC_ERR_DECODE;
        s->type = (uint32_t)f->val;
        return RC_OK;
    case 2: dst = &m->to; break;
    case 3: dst = &m->from; break;
    case 4: dst = &m->term; break;
    case 5: dst = &m->log_term; break;
    case 6: dst = &m->index; break;
    case 8: dst = &m->commit; break;
    case 11: dst = &m->reject_hint; break;
    case 13: dst = &m->vote; break;
    case 10: /* a bool takes any wire type */
        m->reject = pb_bool(f);
        pb_skip(r, f);
        return RC_OK;
    case 7:
        return f->wt == 2 ? msg_entry(m, st, s, r, f) : RC_ERR_DECODE;
    case 9:
        return f->wt == 2 ? msg_snapshot(s, r, raw, f) : RC_ERR_DECODE;
    case 12:
        if (f->wt != 2)
            return RC_ERR_DECODE;
        s->ctx = f->body;
        s->ctx_len = f->n;
        pb_skip(r, f);
        return RC_OK;
    case 14: /* a responses field in a response: nested deeper than one level */
        return f->wt == 2 && depth == 0 ? msg_response(m, st, s, r, f) : RC_ERR_DECODE;
    default:
        pb_skip(r, f);
        return RC_OK;
    }
    if (f->wt != 0)
        return RC_ERR_DECODE;
    *dst = f->val;
    return RC_OK;
}

/* Reads one Message (depth 0, or 1 for a responses item) into m. Returns RC_ERR_DECODE for
 * bytes the reference refuses as such (framing, wire types, nesting, the snapshot), or
 * RC_ERR_NOMEM; then, once all is read, *verr gets a value error in the reference's order: the
 * type (RC_ERR_UNKNOWN_TYPE), an entry type (RC_ERR_DECODE), the first response's. What was
 * stored stays in m for the caller to release. */
static int msg_read(rc_message *m, rd r, msg_store *st, int depth, int *verr)
{
    msg_state s; /* the snapshot fields are set at the first snapshot field (msg_snapshot) */
    s.type = 0;
    s.ctx = NULL;
    s.ctx_len = 0;
    s.n_snaps = 0;
    s.snaps = NULL;
    s.resp_cap = 0;
    s.bad_entry = false;
    s.resp_err = RC_OK;
    int rc = RC_OK;
    while (rc == RC_OK && r.p < r.end) {
        const uint8_t *raw = r.p;
        /* Most fields are varints with one-byte tags: read without the general path. */
        uint64_t *dst = msg_scalar_slot(m, *raw), v;
        if (dst != NULL || *raw == PB_TAG_VARINT(1)) {
            if (!pb_next_varint(&r, &v))
                rc = RC_ERR_DECODE;
            else if (dst != NULL)
                *dst = v;
            else
                s.type = (uint32_t)v;
            continue;
        }
        pb_field f; /* set by pb_next */
        rc = pb_next(&r, &f) ? msg_field(m, st, &s, &r, raw, &f, depth) : RC_ERR_DECODE;
    }
    if (rc == RC_OK && s.n_snaps > 0)
        rc = msg_finish_snapshot(m, st, &s, &r);
    rc_free(s.snaps);
    if (rc != RC_OK)
        return rc;
    if (s.ctx_len == 0)
        m->context = (rc_bytes){NULL, 0, NULL};
    else if (st->peek)
        m->context = (rc_bytes){(uint8_t *)(uintptr_t)s.ctx, s.ctx_len, NULL};
    else if ((rc = store_bytes(st, &m->context, s.ctx, s.ctx_len)) != RC_OK)
        return rc;
    if (s.type >= RC_MSG_TYPE_COUNT)
        *verr = RC_ERR_UNKNOWN_TYPE;
    else if (s.bad_entry)
        *verr = RC_ERR_DECODE;
    else
        *verr = s.resp_err;
    m->type = s.type < RC_MSG_TYPE_COUNT ? (rc_msg_type)s.type : RC_MSG_HUP;
    return RC_OK;
}

/* Releases what msg_read stored in m except the entry array (the caller's) and zeroes m. */
static void msg_release_parts(rc_message *m)
{
    for (size_t i = 0; i < m->n_entries; i++)
        rc_bytes_free(&m->entries[i].data);
    rc_bytes_free(&m->context);
    if (m->snapshot != NULL) {
        rc_snapshot_free(m->snapshot);
        rc_free(m->snapshot);
    }
    for (size_t i = 0; i < m->n_responses; i++)
        rc_message_free(&m->responses[i]);
    rc_free(m->responses);
    rc_message_disown(m);
}

static int decode_message(rc_message *out, const uint8_t *buf, size_t len, uint8_t *trace)
{
    msg_store st = {false, 0, NULL, NULL, NULL, false, NULL};
    int verr = RC_OK;
    *out = rc_message_zero;
    int rc = msg_read(out, rd_init(buf, len, trace), &st, 0, &verr);
    if (rc == RC_OK)
        rc = verr;
    if (rc != RC_OK) {
        rc_message_free(out);
        *out = rc_message_zero;
    }
    return rc;
}

int rc_wire_decode_message(rc_message *out, const uint8_t *buf, size_t len)
{
    return decode_message(out, buf, len, NULL);
}

int rc_wire_decode_message_pooled(rc_message *out, const uint8_t *buf, size_t len,
                                  rc_entries *scratch, rc_blob_pool *pool,
                                  const rc_bytes *shared)
{
    msg_store st = {false, scratch->cap, pool, NULL, NULL, false, shared};
    int verr = RC_OK;
    *out = rc_message_zero;
    out->entries = scratch->v;
    int rc = msg_read(out, rd_init(buf, len, NULL), &st, 0, &verr);
    if (rc == RC_OK)
        rc = verr;
    *scratch = (rc_entries){out->entries, 0, st.cap}; /* the array, grown or not, stays here */
    if (rc != RC_OK) {
        msg_release_parts(out);
        *out = rc_message_zero;
    } else if (out->n_entries == 0) {
        out->entries = NULL;
    }
    return rc;
}

void rc_wire_release_pooled_message(rc_message *m)
{
    msg_release_parts(m);
}

int rc_wire_peek_message(rc_message *out, bool *has_snapshot, const uint8_t *buf, size_t len,
                         rc_wire_item_fn each_entry, void *ud)
{
    msg_store st = {true, 0, NULL, each_entry, ud, false, NULL};
    int verr = RC_OK;
    *out = rc_message_zero;
    int rc = msg_read(out, rd_init(buf, len, NULL), &st, 0, &verr);
    if (rc == RC_OK)
        rc = verr;
    *has_snapshot = rc == RC_OK && st.has_snapshot;
    if (rc != RC_OK)
        *out = rc_message_zero;
    return rc;
}

/* ---- the byte-visit trace (tests) ---- */

int rc_wire_trace_decode(rc_wire_kind kind, uint8_t *visits, const uint8_t *buf, size_t len)
{
    memset(visits, 0, len);
    if (kind == RC_WIRE_ENTRY) {
        entry_view e;
        return entry_view_of(&e, buf, len, visits);
    }
    rc_message m;
    int rc = decode_message(&m, buf, len, visits);
    if (rc == RC_OK)
        rc_message_free(&m);
    return rc;
}
