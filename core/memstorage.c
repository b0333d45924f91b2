/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memstorage.c: etcd's MemoryStorage in a compact layout. The dummy entry of etcd's array (the
 * snapshot or compaction point) is kept as (offset, offset_term); a stored entry is 12 bytes in
 * two parallel arrays (payload pointer; length and type), its index implicit by position. Terms
 * and payload
 * owners are run-length tables: a term run covers the entries from its first index up to the
 * next run, and so does a blob run (one reference on the blob holding those entries' payloads).
 * Entries proposed or appended together share a slab, so a run covers many entries.
 */
#include "memstorage.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "log.h"
#include "memstorage_internal.h"

static void ms_set_error(rc_memstorage *ms, const char *fmt, va_list ap)
{
    if (ms->last_error == NULL)
        ms->last_error = rc_malloc(MS_ERROR_MAX);
    if (ms->last_error != NULL)
        vsnprintf(ms->last_error, MS_ERROR_MAX, fmt, ap);
}

/* Records etcd's panic text for rc_memstorage_last_error and returns RC_ERR_FAILED. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int ms_panic(rc_memstorage *ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_set_error(ms, fmt, ap);
    va_end(ap);
    return RC_ERR_FAILED;
}

/* Records why an argument is refused (where etcd trusts its caller) and returns
 * RC_ERR_INVALID. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int ms_invalid(rc_memstorage *ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_set_error(ms, fmt, ap);
    va_end(ap);
    return RC_ERR_INVALID;
}

static const rc_snapshot ms_no_snapshot;

/* The latest snapshot (zero-valued when none). */
static const rc_snapshot *ms_snap(const rc_memstorage *ms)
{
    return ms->snap != NULL ? ms->snap : &ms_no_snapshot;
}

/* ms->snap, allocated (zero-valued) if needed; NULL when out of memory. */
static rc_snapshot *ms_snap_mut(rc_memstorage *ms)
{
    if (ms->snap == NULL)
        ms->snap = rc_calloc(1, sizeof(*ms->snap));
    return ms->snap;
}

static uint64_t ms_last(const rc_memstorage *ms)
{
    return ms->offset + ms->n;
}

/* Grows an array to at least `need` elements: exactly `need` the first time (small logs stay
 * small), doubling afterwards. */
static int ms_reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return RC_OK;
    size_t want = *cap == 0 ? need : *cap * 2;
    return rc_grow_exact(arr, cap, need > want ? need : want, elem);
}

/* The term of stored index i (offset < i <= last): the last term run starting at or before i. */
static uint64_t ms_term_of(const rc_memstorage *ms, uint64_t i)
{
    /* The newest run first: appends and reads mostly touch the tail of the log. */
    if (ms->terms[ms->n_terms - 1].first <= i)
        return ms->terms[ms->n_terms - 1].term;
    size_t lo = 0, hi = ms->n_terms;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ms->terms[mid].first <= i)
            lo = mid;
        else
            hi = mid;
    }
    return ms->terms[lo].term;
}

/* Position of the blob run covering index i (0 if none starts at or before i). */
static size_t ms_blob_pos(const rc_memstorage *ms, uint64_t i)
{
    /* Reads are mostly of the newest entries (committed entries right after their append):
     * the last run first. */
    if (ms->n_blobs > 0 && ms->blobs[ms->n_blobs - 1].first <= i)
        return ms->n_blobs - 1;
    size_t lo = 0, hi = ms->n_blobs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ms->blobs[mid].first <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Room for `need` stored entries in both arrays. */
static int ms_reserve_ents(rc_memstorage *ms, size_t need)
{
    if (need <= ms->cap)
        return RC_OK;
    size_t cap = ms->cap, cap2 = ms->cap;
    int rc = ms_reserve((void **)&ms->data, &cap, need, sizeof(*ms->data));
    if (rc == RC_OK)
        rc = ms_reserve((void **)&ms->meta, &cap2, cap, sizeof(*ms->meta));
    if (rc == RC_OK)
        ms->cap = cap; /* (on failure the first array is merely larger than needed) */
    return rc;
}

/* Releases the blob run at position k. */
static void ms_unref_run(rc_memstorage *ms, size_t k)
{
    rc_bytes ref = {NULL, 0, ms->blobs[k].blob};
    rc_bytes_free(&ref);
}

/* Drops the stored entries from index `from` on (offset < from <= last + 1) and the runs that
 * only covered them (all runs when nothing is left: runs exist only while entries do). */
static void ms_truncate(rc_memstorage *ms, uint64_t from)
{
    ms->n = (size_t)(from - ms->offset - 1);
    uint64_t keep_below = ms->n == 0 ? 0 : from;
    while (ms->n_terms > 0 && ms->terms[ms->n_terms - 1].first >= keep_below)
        ms->n_terms--;
    while (ms->n_blobs > 0 && ms->blobs[ms->n_blobs - 1].first >= keep_below)
        ms_unref_run(ms, --ms->n_blobs);
}

/* After a compaction: drops the runs that only covered compacted entries (those ending before
 * the first stored index). */
static void ms_drop_compacted_runs(rc_memstorage *ms)
{
    if (ms->n == 0) {
        ms_truncate(ms, ms->offset + 1);
        return;
    }
    uint64_t first = ms->offset + 1;
    size_t t = 0, b = 0;
    while (t + 1 < ms->n_terms && ms->terms[t + 1].first <= first)
        t++;
    if (t > 0) {
        memmove(ms->terms, ms->terms + t, (ms->n_terms - t) * sizeof(ms_term_run));
        ms->n_terms -= t;
    }
    while (b + 1 < ms->n_blobs && ms->blobs[b + 1].first <= first)
        b++;
    if (b > 0) {
        for (size_t k = 0; k < b; k++)
            ms_unref_run(ms, k);
        memmove(ms->blobs, ms->blobs + b, (ms->n_blobs - b) * sizeof(ms_blob_run));
        ms->n_blobs -= b;
    }
}

int rc_memstorage_new(rc_memstorage **out)
{
    *out = rc_calloc(1, sizeof(rc_memstorage));
    return *out == NULL ? RC_ERR_NOMEM : RC_OK;
}

void rc_memstorage_free(rc_memstorage *ms)
{
    if (ms == NULL)
        return;
    ms_truncate(ms, ms->offset + 1); /* releases every blob run */
    rc_free(ms->data);
    rc_free(ms->meta);
    rc_free(ms->terms);
    rc_free(ms->blobs);
    rc_blob_pool_free(&ms->pool);
    if (ms->snap != NULL)
        rc_snapshot_free(ms->snap);
    rc_free(ms->snap);
    rc_free(ms->last_error);
    rc_free(ms);
}

const char *rc_memstorage_last_error(const rc_memstorage *ms)
{
    return ms->last_error != NULL ? ms->last_error : "";
}

int rc_memstorage_initial_state(rc_memstorage *ms, rc_hard_state *hs, rc_conf_state *cs)
{
    int rc = rc_conf_state_copy(cs, &ms_snap(ms)->metadata.conf_state);
    if (rc != RC_OK)
        return rc;
    *hs = ms->hard_state;
    return RC_OK;
}

int rc_memstorage_set_hard_state(rc_memstorage *ms, const rc_hard_state *hs)
{
    ms->hard_state = *hs;
    return RC_OK;
}

int rc_memstorage_entries(rc_memstorage *ms, uint64_t lo, uint64_t hi, uint64_t max_size,
                          rc_entries *out)
{
    if (lo <= ms->offset)
        return RC_ERR_COMPACTED;
    if (hi > ms_last(ms) + 1)
        return ms_panic(ms, "entries' hi(%" U64 ") is out of bound lastindex(%" U64 ")", hi,
                        (ms_last(ms)));
    if (lo > hi)
        return ms_panic(ms, "entries' lo(%" U64 ") is greater than hi(%" U64 ")", lo, hi);
    /* Only the dummy entry. */
    if (ms->n == 0)
        return RC_ERR_UNAVAILABLE;
    size_t start = out->n, want = (size_t)(hi - lo);
    if (want == 0)
        return RC_OK;
    int rc = rc_grow((void **)&out->v, &out->cap, start + want, sizeof(rc_entry));
    if (rc != RC_OK)
        return rc;
    /* etcd's limitSize: the first entry always, then while the total stays within max_size
     * (so sizes are summed only when a limit can cut the batch: more than one entry). */
    size_t t = 0, b = ms_blob_pos(ms, lo);
    uint64_t size = 0;
    bool limited = max_size != RC_NO_LIMIT && want > 1;
    for (uint64_t i = lo; i < hi; i++) {
        while (t + 1 < ms->n_terms && ms->terms[t + 1].first <= i)
            t++;
        while (b + 1 < ms->n_blobs && ms->blobs[b + 1].first <= i)
            b++;
        size_t k = (size_t)(i - ms->offset - 1);
        rc_entry *e = &out->v[out->n];
        *e = (rc_entry){.term = ms->terms[t].term, .index = i, .type = ms_meta_type(ms->meta[k]),
                        .data = {(uint8_t *)(uintptr_t)ms->data[k], ms_meta_len(ms->meta[k]),
                                 NULL}};
        if (limited) {
            size += rc_entry_size(e);
            if (i > lo && size > max_size)
                break;
        }
        if (e->data.len > 0) {
            rc_bytes view = e->data;
            view.owner = ms->blobs[b].blob;
            rc_bytes_copy(&e->data, &view); /* shares the blob: cannot fail */
        }
        out->n++;
    }
    return RC_OK;
}

int rc_memstorage_term(rc_memstorage *ms, uint64_t i, uint64_t *term)
{
    *term = 0;
    if (i < ms->offset)
        return RC_ERR_COMPACTED;
    if (i > ms_last(ms))
        return RC_ERR_UNAVAILABLE;
    *term = i == ms->offset ? ms->offset_term : ms_term_of(ms, i);
    return RC_OK;
}

uint64_t rc_memstorage_first_index(rc_memstorage *ms)
{
    return ms->offset + 1;
}

uint64_t rc_memstorage_last_index(rc_memstorage *ms)
{
    return ms_last(ms);
}

int rc_memstorage_snapshot(rc_memstorage *ms, rc_snapshot *out)
{
    return rc_snapshot_copy(out, ms_snap(ms));
}

int rc_memstorage_apply_snapshot(rc_memstorage *ms, const rc_snapshot *snap)
{
    if (snap->metadata.index == UINT64_MAX)
        return ms_invalid(ms, "snapshot index %" U64 " leaves no index for the log after it",
                          snap->metadata.index);
    if (ms_snap(ms)->metadata.index >= snap->metadata.index)
        return RC_ERR_SNAP_OUT_OF_DATE;
    if (ms_snap_mut(ms) == NULL)
        return RC_ERR_NOMEM;
    rc_snapshot copy;
    int rc = rc_snapshot_copy(&copy, snap);
    if (rc != RC_OK)
        return rc;
    rc_snapshot_free(ms->snap);
    *ms->snap = copy;
    ms_truncate(ms, ms->offset + 1);
    ms->offset = snap->metadata.index;
    ms->offset_term = snap->metadata.term;
    return RC_OK;
}

int rc_memstorage_create_snapshot(rc_memstorage *ms, uint64_t i, const rc_conf_state *cs,
                                  const void *data, size_t len, rc_snapshot *out)
{
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (i <= ms_snap(ms)->metadata.index)
        return RC_ERR_SNAP_OUT_OF_DATE;
    if (i > ms_last(ms))
        return ms_panic(ms, "snapshot %" U64 " is out of bound lastindex(%" U64 ")", i,
                        (ms_last(ms)));
    uint64_t term = 0;
    rc_memstorage_term(ms, i, &term);
    /* Build everything that can fail first, so a failure leaves ms unchanged. */
    rc_conf_state ncs = { 0 };
    rc_bytes ndata = { 0 };
    int rc = ms_snap_mut(ms) == NULL ? RC_ERR_NOMEM : RC_OK;
    if (rc == RC_OK && cs != NULL)
        rc = rc_conf_state_copy(&ncs, cs);
    if (rc == RC_OK)
        rc = rc_bytes_set(&ndata, data, len);
    if (rc == RC_OK && out != NULL) {
        rc_snapshot tmp = { .data = ndata, .metadata = ms->snap->metadata };
        if (cs != NULL)
            tmp.metadata.conf_state = ncs;
        tmp.metadata.index = i;
        tmp.metadata.term = term;
        rc = rc_snapshot_copy(out, &tmp);
    }
    if (rc != RC_OK) {
        rc_conf_state_free(&ncs);
        rc_bytes_free(&ndata);
        return rc;
    }
    ms->snap->metadata.index = i;
    ms->snap->metadata.term = term;
    if (cs != NULL) {
        rc_conf_state_free(&ms->snap->metadata.conf_state);
        ms->snap->metadata.conf_state = ncs;
    }
    rc_bytes_free(&ms->snap->data);
    ms->snap->data = ndata;
    return RC_OK;
}

int rc_memstorage_compact(rc_memstorage *ms, uint64_t compact_index)
{
    if (compact_index <= ms->offset)
        return RC_ERR_COMPACTED;
    if (compact_index > ms_last(ms))
        return ms_panic(ms, "compact %" U64 " is out of bound lastindex(%" U64 ")", compact_index,
                        (ms_last(ms)));
    /* Entry compact_index becomes the new dummy: it keeps its index and term, loses its
     * payload. */
    size_t k = (size_t)(compact_index - ms->offset);
    ms->offset_term = ms_term_of(ms, compact_index);
    memmove(ms->data, ms->data + k, (ms->n - k) * sizeof(*ms->data));
    memmove(ms->meta, ms->meta + k, (ms->n - k) * sizeof(*ms->meta));
    ms->n -= k;
    ms->offset = compact_index;
    ms_drop_compacted_runs(ms);
    return RC_OK;
}

/* Copies the payloads of ents that have no blob into the pool (the storage keeps every payload
 * in a blob run): copies[i] is the copy of ents[i], or zero when not needed. On failure every
 * copy is released (and copies[] is all zero). */
static int ms_copy_loose_payloads(rc_memstorage *ms, const rc_entry *ents, size_t n,
                                  rc_bytes *copies)
{
    memset(copies, 0, n * sizeof(rc_bytes));
    for (size_t i = 0; i < n; i++) {
        if (ents[i].data.len == 0 || ents[i].data.owner != NULL)
            continue;
        if (rc_bytes_set_pooled(&copies[i], &ms->pool, ents[i].data.data, ents[i].data.len) !=
            RC_OK) {
            for (size_t j = 0; j < i; j++)
                rc_bytes_free(&copies[j]);
            return RC_ERR_NOMEM;
        }
    }
    return RC_OK;
}

/* The payload of ents[i] as stored: its copy if it needed one (copies may be NULL: none). */
static const rc_bytes *ms_payload(const rc_entry *ents, const rc_bytes *copies, size_t i)
{
    return copies != NULL && copies[i].owner != NULL ? &copies[i] : &ents[i].data;
}

/* Whether some payload has no blob (views, plain heap): those are copied. */
static bool ms_has_loose_payloads(const rc_entry *ents, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ents[i].data.len > 0 && ents[i].data.owner == NULL)
            return true;
    return false;
}

/* How many term and blob runs appending ents (after truncating the log at ents[0].index) adds:
 * the same decisions as ms_push makes. */
static void ms_count_new_runs(const rc_memstorage *ms, const rc_entry *ents,
                              const rc_bytes *copies, size_t n, size_t *terms, size_t *blobs)
{
    uint64_t from = ents[0].index;
    bool kept = from > ms->offset + 1; /* entries stay before `from` */
    uint64_t term = kept ? ms_term_of(ms, from - 1) : 0;
    const rc_blob *blob = NULL;
    if (kept && ms->n_blobs > 0) {
        size_t k = ms_blob_pos(ms, from - 1);
        if (ms->blobs[k].first < from)
            blob = ms->blobs[k].blob;
    }
    *terms = *blobs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!kept || ents[i].term != term) {
            (*terms)++;
            term = ents[i].term;
            kept = true;
        }
        const rc_bytes *d = ms_payload(ents, copies, i);
        if (d->len > 0 && d->owner != blob) {
            (*blobs)++;
            blob = d->owner;
        }
    }
}

/* Appends one entry after truncation: a new term run when the term changes (or nothing is
 * stored), a new blob run when its payload lives in another blob. Room was reserved. */
static void ms_push(rc_memstorage *ms, const rc_entry *e, const rc_bytes *d)
{
    uint64_t index = ms_last(ms) + 1;
    if (ms->n == 0 || ms->terms[ms->n_terms - 1].term != e->term)
        ms->terms[ms->n_terms++] = (ms_term_run){index, e->term};
    if (d->len > 0 && (ms->n_blobs == 0 || ms->blobs[ms->n_blobs - 1].blob != d->owner)) {
        rc_bytes ref;
        rc_bytes_copy(&ref, d); /* one reference per run: cannot fail (d has a blob) */
        ms->blobs[ms->n_blobs++] = (ms_blob_run){index, ref.owner};
    }
    ms->data[ms->n] = d->len > 0 ? d->data : NULL;
    ms->meta[ms->n++] = ms_meta(d->len, e->type);
}

/* Whether e may be stored after the last entry without a new run or a copy: at the last
 * term, its payload (if any) in the blob of the last run (ms holds entries). */
static bool ms_fits_last_runs(const rc_memstorage *ms, const rc_entry *e)
{
    return e->term == ms->terms[ms->n_terms - 1].term && e->data.len <= MS_LEN_MAX &&
           (unsigned)e->type <= RC_ENTRY_CONF_CHANGE_V2 &&
           (e->data.len == 0 ||
            (ms->n_blobs > 0 && ms->blobs[ms->n_blobs - 1].blob == e->data.owner));
}

static void ms_store(rc_memstorage *ms, const rc_entry *e)
{
    ms->data[ms->n] = e->data.len > 0 ? e->data.data : NULL;
    ms->meta[ms->n++] = ms_meta(e->data.len, e->type);
}

/* Appends ents[0..n) when they are what most appends are: right after the last entry,
 * contiguous, at the last term, their payloads (if any) in the blob of the last run, with room
 * reserved. Then they need no new run, no copy, no truncation: what rc_memstorage_append does
 * reduces to storing them. Returns false, with nothing done, otherwise. One entry (a single
 * proposal per Ready) has its own short path. */
static bool ms_append_to_runs(rc_memstorage *ms, const rc_entry *ents, size_t n)
{
    if (n == 1) {
        if (ms->n == 0 || ms->n >= ms->cap || ents[0].index != ms_last(ms) + 1 ||
            ents[0].index == UINT64_MAX || !ms_fits_last_runs(ms, &ents[0]))
            return false;
        ms_store(ms, &ents[0]);
        return true;
    }
    uint64_t from = ents[0].index;
    if (ms->n == 0 || n > ms->cap - ms->n || from != ms_last(ms) + 1 || from > UINT64_MAX - n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ents[i].index != from + i || !ms_fits_last_runs(ms, &ents[i]))
            return false;
    for (size_t i = 0; i < n; i++)
        ms_store(ms, &ents[i]);
    return true;
}

/* rc_memstorage_append of anything else (n > 0); kept out of line so that the common case
 * does not pay for its stack frame. */
RC_NOINLINE static int ms_append_general(rc_memstorage *ms, const rc_entry *ents, size_t n)
{
    /* etcd trusts its caller to pass a contiguous batch; a batch that is not, or that would
     * wrap past the largest index, is refused here instead of corrupting the log. */
    if (ents[0].index == 0 || ents[0].index > UINT64_MAX - n)
        return ms_invalid(ms, "append of %zu entries at index %" U64 ": indexes must lie in [1, %" U64 ")",
                          n, ents[0].index, UINT64_MAX);
    for (size_t i = 1; i < n; i++)
        if (ents[i].index != ents[0].index + i)
            return ms_invalid(ms, "append batch is not contiguous: entry %zu has index %" U64 ", want %" U64,
                              i, ents[i].index, (ents[0].index + i));
    uint64_t first = rc_memstorage_first_index(ms);
    uint64_t last = ents[0].index + n - 1;
    /* Nothing new. */
    if (last < first)
        return RC_OK;
    /* Skip the already compacted prefix. */
    if (first > ents[0].index) {
        size_t skip = (size_t)(first - ents[0].index);
        ents += skip;
        n -= skip;
    }
    if (ents[0].index > ms_last(ms) + 1)
        return ms_panic(ms, "missing log entry [last: %" U64 ", append at: %" U64 "]",
                        (ms_last(ms)), ents[0].index);
    for (size_t i = 0; i < n; i++)
        if (ents[i].data.len > MS_LEN_MAX)
            return RC_ERR_TOO_LARGE;
        else if ((unsigned)ents[i].type > RC_ENTRY_CONF_CHANGE_V2)
            return RC_ERR_INVALID; /* the decoders never produce one */

    /* Everything that can fail first (payload copies, room for the records and the new runs),
     * so a failure leaves the storage unchanged; then truncate the conflicting tail and
     * append. */
    rc_bytes small[16];
    rc_bytes *copies = NULL;
    int rc = RC_OK;
    if (ms_has_loose_payloads(ents, n)) {
        copies = n <= 16 ? small : rc_malloc(n * sizeof(rc_bytes));
        rc = copies == NULL ? RC_ERR_NOMEM : ms_copy_loose_payloads(ms, ents, n, copies);
        if (rc != RC_OK) {
            if (copies != small)
                rc_free(copies);
            return rc;
        }
    }
    size_t keep = (size_t)(ents[0].index - ms->offset - 1), new_terms, new_blobs;
    ms_count_new_runs(ms, ents, copies, n, &new_terms, &new_blobs);
    rc = ms_reserve_ents(ms, keep + n);
    if (rc == RC_OK)
        rc = ms_reserve((void **)&ms->terms, &ms->cap_terms, ms->n_terms + new_terms,
                        sizeof(ms_term_run));
    if (rc == RC_OK)
        rc = ms_reserve((void **)&ms->blobs, &ms->cap_blobs, ms->n_blobs + new_blobs,
                        sizeof(ms_blob_run));
    if (rc == RC_OK) {
        /* Appending right after the last entry truncates nothing (the usual case). */
        if (ents[0].index <= ms_last(ms) || ms->n == 0)
            ms_truncate(ms, ents[0].index);
        for (size_t i = 0; i < n; i++)
            ms_push(ms, &ents[i], ms_payload(ents, copies, i));
    }
    if (copies == NULL)
        return rc;
    for (size_t i = 0; i < n; i++)
        rc_bytes_free(&copies[i]); /* the runs hold their own references */
    if (copies != small)
        rc_free(copies);
    return rc;
}

int rc_memstorage_append(rc_memstorage *ms, const rc_entry *ents, size_t n)
{
    if (n == 0 || ms_append_to_runs(ms, ents, n))
        return RC_OK;
    return ms_append_general(ms, ents, n);
}

void rc_memstorage_truncate_after(rc_memstorage *ms, uint64_t index)
{
    if (index < ms_last(ms))
        ms_truncate(ms, index < ms->offset ? ms->offset + 1 : index + 1);
}

/* ---- the rc_storage view ---- */

static int ms_op_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    return rc_memstorage_initial_state(ud, hs, cs);
}

static int ms_op_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size,
                         rc_entries *out)
{
    return rc_memstorage_entries(ud, lo, hi, max_size, out);
}

static int ms_op_term(void *ud, uint64_t i, uint64_t *term)
{
    return rc_memstorage_term(ud, i, term);
}

static int ms_op_first_index(void *ud, uint64_t *index)
{
    *index = rc_memstorage_first_index(ud);
    return RC_OK;
}

static int ms_op_last_index(void *ud, uint64_t *index)
{
    *index = rc_memstorage_last_index(ud);
    return RC_OK;
}

static int ms_op_snapshot(void *ud, rc_snapshot *out)
{
    return rc_memstorage_snapshot(ud, out);
}

const rc_storage_ops rc_memstorage_ops = {
    .initial_state = ms_op_initial_state,
    .entries = ms_op_entries,
    .term = ms_op_term,
    .first_index = ms_op_first_index,
    .last_index = ms_op_last_index,
    .snapshot = ms_op_snapshot,
};

rc_blob_pool *rc_memstorage_pool(rc_memstorage *ms)
{
    return &ms->pool;
}

rc_storage rc_memstorage_storage(rc_memstorage *ms)
{
    return (rc_storage){ .ops = &rc_memstorage_ops, .ud = ms };
}
