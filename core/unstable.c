/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * unstable.c: the unstable tail of the raft log (etcd's unstable): entries and an incoming
 * snapshot that are not yet persisted, with in-progress tracking of what was handed out for
 * writing.
 */
#include "unstable.h"

#include <string.h>

#include "alloc.h"
#include "log.h" /* rc_entries_splice */

/* Capacity kept around when the tail shrinks, so a busy node's steady state (batches of
 * proposals, a few rounds in flight) does not reallocate; an idle node frees the array
 * (rc_log_release_idle_memory). */
#define RC_UNSTABLE_KEEP_CAP 256

bool rc_unstable_maybe_first_index(const rc_unstable *u, uint64_t *i)
{
    if (u->snapshot == NULL)
        return false;
    *i = u->snapshot->metadata.index + 1;
    return true;
}

bool rc_unstable_maybe_last_index(const rc_unstable *u, uint64_t *i)
{
    if (u->entries.n > 0) {
        *i = u->offset + u->entries.n - 1;
        return true;
    }
    if (u->snapshot != NULL) {
        *i = u->snapshot->metadata.index;
        return true;
    }
    return false;
}

bool rc_unstable_maybe_term(const rc_unstable *u, uint64_t i, uint64_t *t)
{
    if (i < u->offset) {
        if (u->snapshot != NULL && u->snapshot->metadata.index == i) {
            *t = u->snapshot->metadata.term;
            return true;
        }
        return false;
    }
    if (i - u->offset >= u->entries.n)
        return false;
    *t = u->entries.v[i - u->offset].term;
    return true;
}

void rc_unstable_next_entries(const rc_unstable *u, const rc_entry **ents, size_t *n)
{
    size_t in_progress = (size_t)(u->offset_in_progress - u->offset);
    *ents = NULL;
    *n = 0;
    if (in_progress >= u->entries.n)
        return;
    *ents = u->entries.v + in_progress;
    *n = u->entries.n - in_progress;
}

const rc_snapshot *rc_unstable_next_snapshot(const rc_unstable *u)
{
    if (u->snapshot == NULL || u->snapshot_in_progress)
        return NULL;
    return u->snapshot;
}

void rc_unstable_accept_in_progress(rc_unstable *u)
{
    if (u->entries.n > 0)
        u->offset_in_progress = u->entries.v[u->entries.n - 1].index + 1;
    if (u->snapshot != NULL)
        u->snapshot_in_progress = true;
}

/* Gives memory back when the tail uses less than a quarter of its array. Only the array of
 * structs is reallocated (no entry data is copied), so this is O(n) at most and amortized
 * against the stableTo calls that shrank the tail. */
static void unstable_shrink(rc_unstable *u)
{
    rc_entries *es = &u->entries;
    if (es->cap <= RC_UNSTABLE_KEEP_CAP || es->n * 4 >= es->cap)
        return;
    size_t ncap = es->n * 2 > RC_UNSTABLE_KEEP_CAP ? es->n * 2 : RC_UNSTABLE_KEEP_CAP;
    rc_entry *v = rc_realloc(es->v, ncap * sizeof(rc_entry));
    if (v == NULL)
        return; /* keeping the larger array is harmless */
    es->v = v;
    es->cap = ncap;
}

void rc_unstable_stable_to(rc_unstable *u, uint64_t index, uint64_t term)
{
    uint64_t gt;
    if (!rc_unstable_maybe_term(u, index, &gt)) {
        rc_logf(u->logger, RC_LOG_INFO, "entry at index %llu missing from unstable log; ignoring",
                (unsigned long long)index);
        return;
    }
    if (index < u->offset) {
        rc_logf(u->logger, RC_LOG_INFO, "entry at index %llu matched unstable snapshot; ignoring",
                (unsigned long long)index);
        return;
    }
    if (gt != term) {
        rc_logf(u->logger, RC_LOG_INFO,
                "entry at (index,term)=(%llu,%llu) mismatched with entry at (%llu,%llu) in "
                "unstable log; ignoring",
                (unsigned long long)index, (unsigned long long)term, (unsigned long long)index,
                (unsigned long long)gt);
        return;
    }
    rc_entries_drop_front(&u->entries, (size_t)(index + 1 - u->offset));
    u->offset = index + 1;
    if (u->offset_in_progress < u->offset)
        u->offset_in_progress = u->offset;
    unstable_shrink(u);
}

void rc_unstable_stable_snap_to(rc_unstable *u, uint64_t index)
{
    if (u->snapshot == NULL || u->snapshot->metadata.index != index)
        return;
    rc_snapshot_free(u->snapshot);
    rc_free(u->snapshot);
    u->snapshot = NULL;
    u->snapshot_in_progress = false;
}

int rc_unstable_restore(rc_unstable *u, const rc_snapshot *s)
{
    rc_snapshot *copy = rc_malloc(sizeof(*copy));
    if (copy == NULL)
        return RC_ERR_NOMEM;
    if (rc_snapshot_copy(copy, s) != RC_OK) {
        rc_free(copy);
        return RC_ERR_NOMEM;
    }
    if (u->snapshot != NULL) {
        rc_snapshot_free(u->snapshot);
        rc_free(u->snapshot);
    }
    u->offset = s->metadata.index + 1;
    u->offset_in_progress = u->offset;
    rc_entries_truncate(&u->entries, 0);
    unstable_shrink(u);
    u->snapshot = copy;
    u->snapshot_in_progress = false;
    return RC_OK;
}

/* Replaces es->v[from..] with the structs of src[0..n), taking their data (src data zeroed).
 * Atomic: on RC_ERR_NOMEM nothing changed. */
static int entries_splice_move(rc_entries *es, size_t from, rc_entry *src, size_t n)
{
    if (from > SIZE_MAX - n)
        return RC_ERR_NOMEM;
    int rc = rc_grow((void **)&es->v, &es->cap, from + n, sizeof(rc_entry));
    if (rc != RC_OK)
        return rc;
    rc_entries_truncate(es, from);
    memcpy(es->v + from, src, n * sizeof(rc_entry));
    for (size_t i = 0; i < n; i++)
        src[i].data = (rc_bytes){NULL, 0, NULL};
    es->n = from + n;
    return RC_OK;
}

/* The common part of both truncate-and-append flavours: decides where ents go (etcd's three
 * cases), then splices them in by copy or by move. */
static int unstable_truncate_and_append(rc_unstable *u, rc_entry *ents, size_t n, bool move)
{
    if (n == 0)
        return RC_OK;
    uint64_t from = ents[0].index;
    uint64_t end = u->offset + u->entries.n;
    size_t keep;
    int rc;
    if (from > end) {
        /* etcd slices u.entries[offset:from], which panics in mustCheckOutOfBounds. */
        rc_logf(u->logger, RC_LOG_PANIC, "unstable.slice[%llu,%llu) out of bound [%llu,%llu]",
                (unsigned long long)u->offset, (unsigned long long)from,
                (unsigned long long)u->offset, (unsigned long long)end);
        return RC_ERR_FAILED;
    }
    if (from == end)
        keep = u->entries.n;
    else if (from <= u->offset)
        keep = 0;
    else
        keep = (size_t)(from - u->offset);

    if (move)
        rc = entries_splice_move(&u->entries, keep, ents, n);
    else
        rc = rc_entries_splice(&u->entries, keep, ents, n);
    if (rc != RC_OK)
        return rc;

    if (from == end)
        return RC_OK;
    if (from <= u->offset) {
        rc_logf(u->logger, RC_LOG_INFO, "replace the unstable entries from index %llu",
                (unsigned long long)from);
        u->offset = from;
        u->offset_in_progress = from;
        return RC_OK;
    }
    rc_logf(u->logger, RC_LOG_INFO, "truncate the unstable entries before index %llu",
            (unsigned long long)from);
    if (u->offset_in_progress > from)
        u->offset_in_progress = from;
    return RC_OK;
}

int rc_unstable_truncate_and_append(rc_unstable *u, const rc_entry *ents, size_t n)
{
    /* The copy path never writes through ents. */
    return unstable_truncate_and_append(u, (rc_entry *)(uintptr_t)ents, n, false);
}

int rc_unstable_truncate_and_append_move(rc_unstable *u, rc_entry *ents, size_t n)
{
    return unstable_truncate_and_append(u, ents, n, true);
}

int rc_unstable_slice(const rc_unstable *u, uint64_t lo, uint64_t hi, const rc_entry **ents,
                      size_t *n)
{
    uint64_t upper = u->offset + u->entries.n;
    *ents = NULL;
    *n = 0;
    if (lo > hi) {
        rc_logf(u->logger, RC_LOG_PANIC, "invalid unstable.slice %llu > %llu",
                (unsigned long long)lo, (unsigned long long)hi);
        return RC_ERR_FAILED;
    }
    if (lo < u->offset || hi > upper) {
        rc_logf(u->logger, RC_LOG_PANIC, "unstable.slice[%llu,%llu) out of bound [%llu,%llu]",
                (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)u->offset,
                (unsigned long long)upper);
        return RC_ERR_FAILED;
    }
    if (lo == hi)
        return RC_OK;
    *ents = u->entries.v + (lo - u->offset);
    *n = (size_t)(hi - lo);
    return RC_OK;
}

void rc_unstable_free(rc_unstable *u)
{
    if (u->snapshot != NULL) {
        rc_snapshot_free(u->snapshot);
        rc_free(u->snapshot);
        u->snapshot = NULL;
    }
    rc_entries_free(&u->entries);
    u->snapshot_in_progress = false;
}
