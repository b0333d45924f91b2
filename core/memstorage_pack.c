/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memstorage_pack.c: a MemoryStorage as one block of bytes and back (memstorage.h), for the
 * quiet groups of a multi-raft host. Layout (varints): the length of the rest; the HardState
 * (term, vote, commit); the dummy entry (offset, its term); the snapshot (0, or 1, its length
 * and its raftpb bytes); the entry count and the term runs (count, then each run's first index
 * relative to the offset and its term); then per entry its meta (length and type) and payload.
 */
#include <string.h>

#include "alloc.h"
#include "codec.h"
#include "memstorage.h"
#include "memstorage_internal.h"
#include "wire.h"

static size_t varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

static uint8_t *put(uint8_t *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

typedef struct mp_reader {
    const uint8_t *p, *end;
    bool bad;
} mp_reader;

static uint64_t get(mp_reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            break;
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80)
            return v;
    }
    r->bad = true;
    return 0;
}

/* Term run t's first index relative to the offset (a run that began before a compaction
 * starts at the first stored entry). */
static uint64_t run_first(const rc_memstorage *ms, size_t t)
{
    return ms->terms[t].first > ms->offset ? ms->terms[t].first - ms->offset : 1;
}

/* The block without its leading length. */
static size_t body_size(const rc_memstorage *ms)
{
    const rc_hard_state *hs = &ms->hard_state;
    size_t n = varint_size(hs->term) + varint_size(hs->vote) + varint_size(hs->commit) +
               varint_size(ms->offset) + varint_size(ms->offset_term) + 1;
    if (ms->snap != NULL) {
        size_t s = rc_wire_snapshot_size(ms->snap);
        n += varint_size(s) + s;
    }
    n += varint_size(ms->n) + varint_size(ms->n_terms);
    for (size_t t = 0; t < ms->n_terms; t++)
        n += varint_size(run_first(ms, t)) + varint_size(ms->terms[t].term);
    for (size_t k = 0; k < ms->n; k++)
        n += varint_size(ms->meta[k]) + ms_meta_len(ms->meta[k]);
    return n;
}

size_t rc_memstorage_packed_size(const rc_memstorage *ms)
{
    size_t body = body_size(ms);
    return varint_size(body) + body;
}

void rc_memstorage_pack(uint8_t *buf, const rc_memstorage *ms)
{
    uint8_t *p = put(buf, body_size(ms));
    p = put(p, ms->hard_state.term);
    p = put(p, ms->hard_state.vote);
    p = put(p, ms->hard_state.commit);
    p = put(p, ms->offset);
    p = put(p, ms->offset_term);
    *p++ = ms->snap != NULL;
    if (ms->snap != NULL) {
        p = put(p, rc_wire_snapshot_size(ms->snap));
        p = rc_wire_put_snapshot(p, ms->snap);
    }
    p = put(p, ms->n);
    p = put(p, ms->n_terms);
    for (size_t t = 0; t < ms->n_terms; t++) {
        p = put(p, run_first(ms, t));
        p = put(p, ms->terms[t].term);
    }
    for (size_t k = 0; k < ms->n; k++) {
        size_t len = ms_meta_len(ms->meta[k]);
        p = put(p, ms->meta[k]);
        if (len > 0)
            memcpy(p, ms->data[k], len);
        p += len;
    }
}

/* The entries of the block (payloads are views into it) into ents[0, n): the term runs, then
 * each entry. */
static void get_entries(mp_reader *r, rc_entry *ents, size_t n, uint64_t offset)
{
    uint64_t n_terms = get(r);
    if (r->bad || n_terms > n || (n > 0 && n_terms == 0)) {
        r->bad = true;
        return;
    }
    /* Run t covers the entries from its first (1-based, relative to the offset: the first run
     * starts at 1, later ones ascend) up to the next run's. */
    size_t k = 0;
    for (uint64_t t = 0; t < n_terms; t++) {
        uint64_t first = get(r), term = get(r);
        if (r->bad || (t == 0 && first != 1) || (t > 0 && first <= k) || first > n) {
            r->bad = true;
            return;
        }
        for (; k + 1 < first; k++)
            ents[k].term = ents[k - 1].term;
        ents[k++].term = term;
    }
    for (; k < n; k++)
        ents[k].term = ents[k - 1].term;
    for (k = 0; k < n && !r->bad; k++) {
        uint64_t meta = get(r);
        size_t len = ms_meta_len((uint32_t)meta);
        if (r->bad || meta > UINT32_MAX || (size_t)(r->end - r->p) < len) {
            r->bad = true;
            return;
        }
        ents[k].index = offset + 1 + k;
        ents[k].type = ms_meta_type((uint32_t)meta);
        ents[k].data = (rc_bytes){len > 0 ? (uint8_t *)(uintptr_t)r->p : NULL, len, NULL};
        r->p += len;
    }
}

/* Fills the new storage ms from the block's body. */
static int unpack_into(rc_memstorage *ms, mp_reader *r)
{
    ms->hard_state.term = get(r);
    ms->hard_state.vote = get(r);
    ms->hard_state.commit = get(r);
    ms->offset = get(r);
    ms->offset_term = get(r);
    uint64_t has_snap = get(r);
    if (r->bad || has_snap > 1)
        return RC_ERR_DECODE;
    if (has_snap) {
        uint64_t len = get(r);
        if (r->bad || len > (uint64_t)(r->end - r->p))
            return RC_ERR_DECODE;
        ms->snap = rc_calloc(1, sizeof(*ms->snap));
        if (ms->snap == NULL)
            return RC_ERR_NOMEM;
        int rc = rc_decode_snapshot(ms->snap, r->p, (size_t)len);
        if (rc != RC_OK)
            return rc;
        r->p += len;
    }
    uint64_t n = get(r);
    if (r->bad || n > (uint64_t)(r->end - r->p) || n > UINT64_MAX - ms->offset - 1)
        return RC_ERR_DECODE;
    if (n == 0) {
        get_entries(r, NULL, 0, ms->offset);
        return r->bad || r->p != r->end ? RC_ERR_DECODE : RC_OK;
    }
    rc_entry *ents = rc_malloc((size_t)n * sizeof(rc_entry));
    if (ents == NULL)
        return RC_ERR_NOMEM;
    get_entries(r, ents, (size_t)n, ms->offset);
    int rc = r->bad || r->p != r->end ? RC_ERR_DECODE : rc_memstorage_append(ms, ents, (size_t)n);
    rc_free(ents);
    return rc;
}

int rc_memstorage_unpack(rc_memstorage **out, const uint8_t *buf)
{
    *out = NULL;
    mp_reader r = {buf, buf + 10, false}; /* the length: one varint */
    uint64_t body = get(&r);
    if (r.bad || body > SIZE_MAX / 2)
        return RC_ERR_DECODE;
    r.end = r.p + body;
    rc_memstorage *ms;
    int rc = rc_memstorage_new(&ms);
    if (rc != RC_OK)
        return rc;
    rc = unpack_into(ms, &r);
    if (rc != RC_OK) {
        rc_memstorage_free(ms);
        return rc;
    }
    *out = ms;
    return RC_OK;
}
