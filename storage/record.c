/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * record.c: encoding and checking of WAL records (format in record.h).
 */
#include "record.h"

#include <string.h>

#include "alloc.h"
#include "crc32c.h"

int ds_buf_reserve(ds_buf *b, size_t more)
{
    if (more > SIZE_MAX - b->len)
        return RC_ERR_TOO_LARGE;
    return rc_grow((void **)&b->v, &b->cap, b->len + more, 1);
}

void ds_buf_free(ds_buf *b)
{
    rc_free(b->v);
    *b = (ds_buf){0};
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint8_t *put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

static size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* Reads a varint at *p (< end); false if truncated or over 10 bytes. */
static bool get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 70 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        if (shift == 63 && b > 1)
            return false;
        r |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) {
            *v = r;
            return true;
        }
    }
    return false;
}

/* Reserves a record of payload length len; returns where the payload goes. */
static uint8_t *rec_begin(ds_buf *b, size_t len, int type, int *rc)
{
    if (len >= DS_REC_MAX_PAYLOAD) {
        *rc = RC_ERR_TOO_LARGE;
        return NULL;
    }
    *rc = ds_buf_reserve(b, DS_REC_HEADER_SIZE + len);
    if (*rc != RC_OK)
        return NULL;
    uint8_t *h = b->v + b->len;
    put_u32(h + 4, (uint32_t)len);
    h[8] = (uint8_t)type;
    h[9] = h[10] = h[11] = 0;
    return h + DS_REC_HEADER_SIZE;
}

/* Seals the record started at b->v + b->len with payload length len. */
static int rec_end(ds_buf *b, size_t len)
{
    uint8_t *h = b->v + b->len;
    put_u32(h, ds_crc32c(0, h + 4, 8 + len));
    b->len += DS_REC_HEADER_SIZE + len;
    return RC_OK;
}

int ds_rec_put_header(ds_buf *b, uint64_t seq)
{
    int rc;
    uint8_t *p = rec_begin(b, 20, DS_REC_HEADER, &rc);
    if (p == NULL)
        return rc;
    memcpy(p, DS_WAL_MAGIC, 8);
    put_u32(p + 8, DS_WAL_VERSION);
    put_u64(p + 12, seq);
    return rec_end(b, 20);
}

uint8_t *ds_rec_group_begin(ds_buf *b, uint64_t group, int kind, size_t body_len, int *rc)
{
    if (body_len > DS_REC_MAX_PAYLOAD) {
        *rc = RC_ERR_TOO_LARGE;
        return NULL;
    }
    uint8_t *p = rec_begin(b, 9 + body_len, DS_REC_GROUP, rc);
    if (p == NULL)
        return NULL;
    put_u64(p, group);
    p[8] = (uint8_t)kind;
    return p + 9;
}

void ds_rec_group_end(ds_buf *b, size_t body_len)
{
    rec_end(b, 9 + body_len);
}

int ds_rec_group(const ds_rec *r, uint64_t *group, int *kind, const uint8_t **body,
                 size_t *body_len)
{
    if (r->type != DS_REC_GROUP || r->len < 9)
        return RC_ERR_DECODE;
    *group = get_u64(r->payload);
    *kind = r->payload[8];
    *body = r->payload + 9;
    *body_len = r->len - 9;
    return RC_OK;
}

int ds_rec_put_hard_state(ds_buf *b, const rc_hard_state *hs)
{
    int rc;
    uint8_t *p = rec_begin(b, 24, DS_REC_HARDSTATE, &rc);
    if (p == NULL)
        return rc;
    put_u64(put_u64(put_u64(p, hs->term), hs->vote), hs->commit);
    return rec_end(b, 24);
}

int ds_rec_put_snapshot(ds_buf *b, uint64_t index, uint64_t term, int kind)
{
    int rc;
    uint8_t *p = rec_begin(b, 17, DS_REC_SNAPSHOT, &rc);
    if (p == NULL)
        return rc;
    p = put_u64(put_u64(p, index), term);
    *p = (uint8_t)kind;
    return rec_end(b, 17);
}

int ds_rec_put_entries(ds_buf *b, const rc_entry *ents, size_t n)
{
    if (n == 0)
        return RC_OK;
    if (n > UINT32_MAX)
        return RC_ERR_TOO_LARGE;
    size_t len = 12;
    for (size_t i = 0; i < n; i++) {
        size_t one = varint_size(ents[i].term) + 1 + varint_size(ents[i].data.len) +
                     ents[i].data.len;
        if (ents[i].data.len >= DS_REC_MAX_PAYLOAD || len + one >= DS_REC_MAX_PAYLOAD)
            return RC_ERR_TOO_LARGE;
        len += one;
    }
    int rc;
    uint8_t *p = rec_begin(b, len, DS_REC_ENTRIES, &rc);
    if (p == NULL)
        return rc;
    p = put_u32(put_u64(p, ents[0].index), (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        p = put_varint(p, ents[i].term);
        *p++ = (uint8_t)ents[i].type;
        p = put_varint(p, ents[i].data.len);
        if (ents[i].data.len > 0) {
            memcpy(p, ents[i].data.data, ents[i].data.len);
            p += ents[i].data.len;
        }
    }
    return rec_end(b, len);
}

bool ds_all_zero(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != 0)
            return false;
    return true;
}

int ds_rec_next(const uint8_t *buf, size_t len, size_t *off, ds_rec *rec)
{
    size_t o = *off;
    if (o >= len)
        return DS_NEXT_END;
    if (len - o < DS_REC_HEADER_SIZE)
        return ds_all_zero(buf + o, len - o) ? DS_NEXT_END : DS_NEXT_BAD;
    const uint8_t *h = buf + o;
    if (ds_all_zero(h, DS_REC_HEADER_SIZE))
        return DS_NEXT_END;
    uint32_t plen = get_u32(h + 4);
    int type = h[8];
    if (plen >= DS_REC_MAX_PAYLOAD || plen > len - o - DS_REC_HEADER_SIZE ||
        type < DS_REC_HEADER || type > DS_REC_GROUP || h[9] != 0 || h[10] != 0 || h[11] != 0)
        return DS_NEXT_BAD;
    if (ds_crc32c(0, h + 4, 8 + (size_t)plen) != get_u32(h))
        return DS_NEXT_BAD;
    rec->type = type;
    rec->payload = h + DS_REC_HEADER_SIZE;
    rec->len = plen;
    *off = o + DS_REC_HEADER_SIZE + plen;
    return DS_NEXT_OK;
}

int ds_rec_header(const ds_rec *r, uint64_t *seq)
{
    if (r->type != DS_REC_HEADER || r->len != 20 || memcmp(r->payload, DS_WAL_MAGIC, 8) != 0 ||
        get_u32(r->payload + 8) != DS_WAL_VERSION)
        return RC_ERR_DECODE;
    *seq = get_u64(r->payload + 12);
    return RC_OK;
}

int ds_rec_hard_state(const ds_rec *r, rc_hard_state *hs)
{
    if (r->type != DS_REC_HARDSTATE || r->len != 24)
        return RC_ERR_DECODE;
    hs->term = get_u64(r->payload);
    hs->vote = get_u64(r->payload + 8);
    hs->commit = get_u64(r->payload + 16);
    return RC_OK;
}

int ds_rec_snapshot(const ds_rec *r, uint64_t *index, uint64_t *term, int *kind)
{
    if (r->type != DS_REC_SNAPSHOT || r->len != 17 || r->payload[16] > DS_SNAP_KEEP)
        return RC_ERR_DECODE;
    *index = get_u64(r->payload);
    *term = get_u64(r->payload + 8);
    *kind = r->payload[16];
    return RC_OK;
}

int ds_rec_entries_begin(const ds_rec *r, ds_ents_iter *it, uint64_t *first, uint32_t *count)
{
    if (r->type != DS_REC_ENTRIES || r->len < 12)
        return RC_ERR_DECODE;
    *first = get_u64(r->payload);
    *count = get_u32(r->payload + 8);
    /* index 0 is never an entry; the last index must not overflow */
    if (*first == 0 || *count == 0 || *first - 1 > UINT64_MAX - *count)
        return RC_ERR_DECODE;
    *it = (ds_ents_iter){r->payload + 12, r->payload + r->len, *first, *count};
    return RC_OK;
}

int ds_rec_entries_next(ds_ents_iter *it, rc_entry *e)
{
    if (it->left == 0)
        return it->p == it->end ? 0 : RC_ERR_DECODE;
    uint64_t term, len;
    if (!get_varint(&it->p, it->end, &term) || it->p >= it->end)
        return RC_ERR_DECODE;
    uint8_t type = *it->p++;
    if (type > RC_ENTRY_CONF_CHANGE_V2 || !get_varint(&it->p, it->end, &len) ||
        len > (uint64_t)(it->end - it->p))
        return RC_ERR_DECODE;
    *e = (rc_entry){.term = term, .index = it->next_index++, .type = (rc_entry_type)type,
                    .data = {len > 0 ? (uint8_t *)(uintptr_t)it->p : NULL, (size_t)len, NULL}};
    it->p += len;
    it->left--;
    return 1;
}
