/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * log.c: the raft log (etcd's raftLog): stable storage plus the unstable tail, term lookups,
 * conflict search, commit/applying/applied tracking and committed-entry paging.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"
#include "log.h"
#include "memstorage.h"


/* Functions that cannot return an error record etcd panics here. The log is never a const
 * object (it lives inside rc_raft), so writing the flag through a const view is defined. */
static void log_mark_failed(const rc_raft_log *l)
{
    ((rc_raft_log *)(uintptr_t)l)->failed = true;
}

const char *rc_log_err_text(int err)
{
    switch (err) {
    case RC_OK:
        return "ok";
    case RC_ERR_COMPACTED:
        return "requested index is unavailable due to compaction";
    case RC_ERR_UNAVAILABLE:
        return "requested entry at index is unavailable";
    case RC_ERR_SNAP_OUT_OF_DATE:
        return "requested index is older than the existing snapshot";
    case RC_ERR_SNAP_TEMP_UNAVAILABLE:
        return "snapshot is temporarily unavailable";
    case RC_ERR_NOMEM:
        return "out of memory";
    default:
        return "storage failure";
    }
}

/* ---- sizes ---- */

uint64_t rc_entry_size(const rc_entry *e)
{
    return rc_entry_encoded_size(e);
}

uint64_t rc_entries_size(const rc_entry *ents, size_t n)
{
    uint64_t size = 0;
    for (size_t i = 0; i < n; i++)
        size += rc_entry_size(&ents[i]);
    return size;
}

size_t rc_limit_size(const rc_entry *ents, size_t n, uint64_t max_size)
{
    if (n == 0)
        return 0;
    if (max_size == RC_NO_LIMIT)
        return n;
    uint64_t size = rc_entry_size(&ents[0]);
    size_t limit = 1;
    for (; limit < n; limit++) {
        size += rc_entry_size(&ents[limit]);
        if (size > max_size)
            break;
    }
    return limit;
}

int rc_entries_splice(rc_entries *es, size_t from, const rc_entry *src, size_t n)
{
    /* Copy the new entries into spare slots past both the current end and `from`, so a failed
     * copy leaves es untouched; then drop the replaced tail and slide the copies down. */
    size_t base = es->n > from ? es->n : from;
    if (base > SIZE_MAX - n)
        return RC_ERR_NOMEM;
    int rc = rc_grow((void **)&es->v, &es->cap, base + n, sizeof(rc_entry));
    if (rc != RC_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        rc = rc_entry_copy(&es->v[base + i], &src[i]);
        if (rc != RC_OK) {
            for (size_t j = 0; j < i; j++)
                rc_entry_free(&es->v[base + j]);
            return rc;
        }
    }
    rc_entries_truncate(es, from);
    if (base != from && n > 0)
        memmove(es->v + from, es->v + base, n * sizeof(rc_entry));
    es->n = from + n;
    return RC_OK;
}

/* ---- init / format ---- */

int rc_log_init(rc_raft_log *l, rc_storage storage, const rc_logger *logger,
                uint64_t max_applying_ents_size)
{
    uint64_t first = 0, last = 0;
    memset(l, 0, sizeof(*l));
    l->storage = storage;
    l->logger = logger;
    l->unstable.logger = logger;
    int rc = storage.ops->first_index(storage.ud, &first);
    if (rc == RC_OK)
        rc = storage.ops->last_index(storage.ud, &last);
    if (rc != RC_OK) {
        rc_logf(logger, RC_LOG_PANIC, "%s", rc_log_err_text(rc));
        return rc == RC_ERR_NOMEM ? rc : RC_ERR_FAILED;
    }
    l->unstable.offset = last + 1;
    l->unstable.offset_in_progress = last + 1;
    /* etcd panics in nextCommittedEnts when the budget is 0 (MaxSizePerMsg=0 with
     * MaxCommittedSizePerReady unset). A budget of 1 byte applies one entry at a time instead,
     * which is what "0 means one entry" asks for elsewhere. */
    l->max_applying_ents_size = max_applying_ents_size == 0 ? 1 : max_applying_ents_size;
    l->committed = first - 1;
    l->applying = first - 1;
    l->applied = first - 1;
    return RC_OK;
}

void rc_log_free(rc_raft_log *l)
{
    rc_unstable_free(&l->unstable);
}

int rc_log_format(char *buf, size_t size, const rc_raft_log *l)
{
    snprintf(buf, size,
             "committed=%" U64 ", applied=%" U64 ", applying=%" U64 ", unstable.offset=%" U64 ", "
             "unstable.offsetInProgress=%" U64 ", len(unstable.Entries)=%zu",
             l->committed, l->applied, l->applying, l->unstable.offset,
             l->unstable.offset_in_progress, l->unstable.entries.n);
    return RC_OK;
}

/* ---- indexes and terms ---- */

/* The storage interface's calls with their error paths are out of line (RC_NOINLINE), so that
 * the reads the unstable tail or the built-in MemoryStorage (log_mem) answer need no stack
 * frame. */

/* l's storage when it is the built-in MemoryStorage, else NULL. Its index and term reads are
 * called directly, with the results the interface would give: it cannot fail them. */
static inline rc_memstorage *log_mem(const rc_raft_log *l)
{
    return l->storage.ops == &rc_memstorage_ops ? l->storage.ud : NULL;
}

RC_NOINLINE static uint64_t log_storage_first_index(const rc_raft_log *l)
{
    uint64_t i = 0;
    int rc = l->storage.ops->first_index(l->storage.ud, &i);
    if (rc != RC_OK) {
        rc_logf(l->logger, RC_LOG_PANIC, "%s", rc_log_err_text(rc));
        log_mark_failed(l);
        return 0;
    }
    return i;
}

RC_NOINLINE static uint64_t log_storage_last_index(const rc_raft_log *l)
{
    uint64_t i = 0;
    int rc = l->storage.ops->last_index(l->storage.ud, &i);
    if (rc != RC_OK) {
        rc_logf(l->logger, RC_LOG_PANIC, "%s", rc_log_err_text(rc));
        log_mark_failed(l);
        return 0;
    }
    return i;
}

RC_NOINLINE static int log_storage_term(const rc_raft_log *l, uint64_t i, uint64_t *t)
{
    int rc = l->storage.ops->term(l->storage.ud, i, t);
    if (rc == RC_OK || rc == RC_ERR_COMPACTED || rc == RC_ERR_UNAVAILABLE) {
        if (rc != RC_OK)
            *t = 0;
        return rc;
    }
    *t = 0;
    rc_logf(l->logger, RC_LOG_PANIC, "%s", rc_log_err_text(rc));
    log_mark_failed(l);
    return RC_ERR_FAILED;
}

uint64_t rc_log_first_index(const rc_raft_log *l)
{
    uint64_t i = 0;
    if (rc_unstable_maybe_first_index(&l->unstable, &i))
        return i;
    rc_memstorage *ms = log_mem(l);
    if (ms != NULL)
        return rc_memstorage_first_index(ms);
    return log_storage_first_index(l);
}

uint64_t rc_log_last_index(const rc_raft_log *l)
{
    uint64_t i = 0;
    if (rc_unstable_maybe_last_index(&l->unstable, &i))
        return i;
    rc_memstorage *ms = log_mem(l);
    if (ms != NULL)
        return rc_memstorage_last_index(ms);
    return log_storage_last_index(l);
}

int rc_log_term(const rc_raft_log *l, uint64_t i, uint64_t *t)
{
    *t = 0;
    /* The unstable tail first: a hit there is always within the valid range. */
    if (rc_unstable_maybe_term(&l->unstable, i, t))
        return RC_OK;
    /* The valid range is [firstIndex-1, lastIndex]: the term of firstIndex-1 is kept (as the
     * snapshot / dummy entry) for matching appends. */
    if (i + 1 < rc_log_first_index(l))
        return RC_ERR_COMPACTED;
    if (i > rc_log_last_index(l))
        return RC_ERR_UNAVAILABLE;
    rc_memstorage *ms = log_mem(l);
    if (ms != NULL)
        return rc_memstorage_term(ms, i, t); /* OK, COMPACTED or UNAVAILABLE (term 0) */
    return log_storage_term(l, i, t);
}

int rc_log_term_or_zero(const rc_raft_log *l, uint64_t i, uint64_t *t)
{
    int rc = rc_log_term(l, i, t);
    if (rc == RC_ERR_COMPACTED || rc == RC_ERR_UNAVAILABLE) {
        *t = 0;
        return RC_OK;
    }
    return rc;
}

uint64_t rc_log_last_term(const rc_raft_log *l)
{
    uint64_t t = 0;
    int rc = rc_log_term(l, rc_log_last_index(l), &t);
    if (rc != RC_OK && rc != RC_ERR_FAILED) {
        rc_logf(l->logger, RC_LOG_PANIC, "unexpected error when getting the last term (%s)",
                rc_log_err_text(rc));
        log_mark_failed(l);
    }
    return t;
}

void rc_log_last_entry_id(const rc_raft_log *l, uint64_t *index, uint64_t *term)
{
    *index = rc_log_last_index(l);
    *term = rc_log_last_term(l);
}

bool rc_log_match_term(const rc_raft_log *l, uint64_t i, uint64_t term)
{
    uint64_t t;
    if (rc_log_term(l, i, &t) != RC_OK)
        return false;
    return t == term;
}

bool rc_log_is_up_to_date(const rc_raft_log *l, uint64_t last_index, uint64_t term)
{
    uint64_t our_index, our_term;
    rc_log_last_entry_id(l, &our_index, &our_term);
    return term > our_term || (term == our_term && last_index >= our_index);
}

/* ---- appending ---- */

int rc_log_find_conflict(const rc_raft_log *l, const rc_entry *ents, size_t n, uint64_t *out)
{
    *out = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t t = 0;
        int rc = rc_log_term(l, ents[i].index, &t);
        if (rc == RC_ERR_FAILED)
            return rc;
        if (rc == RC_OK && t == ents[i].term)
            continue;
        if (ents[i].index <= rc_log_last_index(l)) {
            rc_logf(l->logger, RC_LOG_INFO,
                    "found conflict at index %" U64 " [existing term: %" U64 ", conflicting term: %" U64 "]",
                    ents[i].index, (rc == RC_OK ? t : 0), ents[i].term);
        }
        *out = ents[i].index;
        return RC_OK;
    }
    return RC_OK;
}

int rc_log_find_conflict_by_term(const rc_raft_log *l, uint64_t index, uint64_t term,
                                 uint64_t *out_index, uint64_t *out_term)
{
    *out_index = 0;
    *out_term = 0;
    for (; index > 0; index--) {
        uint64_t our = 0;
        int rc = rc_log_term(l, index, &our);
        if (rc == RC_ERR_FAILED)
            return rc;
        if (rc != RC_OK) {
            /* Compacted or unavailable: a possible match with an unknown term. */
            *out_index = index;
            return RC_OK;
        }
        if (our <= term) {
            *out_index = index;
            *out_term = our;
            return RC_OK;
        }
    }
    return RC_OK;
}

/* Checks etcd's append precondition and hands the entries to the unstable tail. */
static int log_append(rc_raft_log *l, rc_entry *ents, size_t n, bool move, uint64_t *last)
{
    int rc;
    if (n > 0) {
        uint64_t after = ents[0].index - 1;
        if (after < l->committed) {
            rc_logf(l->logger, RC_LOG_PANIC, "after(%" U64 ") is out of range [committed(%" U64 ")]",
                    after, l->committed);
            return RC_ERR_FAILED;
        }
        if (move)
            rc = rc_unstable_truncate_and_append_move(&l->unstable, ents, n);
        else
            rc = rc_unstable_truncate_and_append(&l->unstable, ents, n);
        if (rc != RC_OK)
            return rc;
    }
    if (last != NULL)
        *last = rc_log_last_index(l);
    return RC_OK;
}

int rc_log_append(rc_raft_log *l, const rc_entry *ents, size_t n, uint64_t *last)
{
    return log_append(l, (rc_entry *)(uintptr_t)ents, n, false, last);
}

int rc_log_append_move(rc_raft_log *l, rc_entry *ents, size_t n, uint64_t *last)
{
    return log_append(l, ents, n, true, last);
}

int rc_log_maybe_append(rc_raft_log *l, uint64_t index, uint64_t log_term, uint64_t committed,
                        const rc_entry *ents, size_t n, uint64_t *lastnewi, bool *ok)
{
    uint64_t ci = 0;
    *lastnewi = 0;
    *ok = false;
    if (!rc_log_match_term(l, index, log_term))
        return l->failed ? RC_ERR_FAILED : RC_OK;
    uint64_t last_new = index + n;
    int rc = rc_log_find_conflict(l, ents, n, &ci);
    if (rc != RC_OK)
        return rc;
    if (ci != 0 && ci <= l->committed) {
        rc_logf(l->logger, RC_LOG_PANIC, "entry %" U64 " conflict with committed entry [committed(%" U64 ")]",
                ci, l->committed);
        return RC_ERR_FAILED;
    }
    if (ci != 0) {
        uint64_t off = index + 1;
        if (ci < off || ci - off > n) {
            rc_logf(l->logger, RC_LOG_PANIC, "index, %" U64 ", is out of range [%zu]", (ci - off),
                    n);
            return RC_ERR_FAILED;
        }
        rc = rc_log_append(l, ents + (ci - off), n - (size_t)(ci - off), NULL);
        if (rc != RC_OK)
            return rc;
    }
    rc = rc_log_commit_to(l, committed < last_new ? committed : last_new);
    if (rc != RC_OK)
        return rc;
    *lastnewi = last_new;
    *ok = true;
    return RC_OK;
}

/* ---- reading entries ---- */

/* etcd's mustCheckOutOfBounds: l.firstIndex <= lo <= hi <= l.lastIndex+1. */
static int log_check_bounds(const rc_raft_log *l, uint64_t lo, uint64_t hi)
{
    if (lo > hi) {
        rc_logf(l->logger, RC_LOG_PANIC, "invalid slice %" U64 " > %" U64, lo, hi);
        return RC_ERR_FAILED;
    }
    uint64_t fi = rc_log_first_index(l);
    if (lo < fi)
        return RC_ERR_COMPACTED;
    uint64_t li = rc_log_last_index(l);
    if (hi > li + 1) {
        rc_logf(l->logger, RC_LOG_PANIC, "slice[%" U64 ",%" U64 ") out of bound [%" U64 ",%" U64 "]", lo,
                hi, fi, li);
        return RC_ERR_FAILED;
    }
    return l->failed ? RC_ERR_FAILED : RC_OK;
}

/* Appends copies of the unstable entries [lo, hi) limited to max_size. */
static int log_copy_unstable(const rc_raft_log *l, uint64_t lo, uint64_t hi, uint64_t max_size,
                             rc_entries *out)
{
    const rc_entry *ents;
    size_t n;
    int rc = rc_unstable_slice(&l->unstable, lo, hi, &ents, &n);
    if (rc != RC_OK)
        return rc;
    return rc_entries_append_copy(out, ents, rc_limit_size(ents, n, max_size));
}

/* The stable part [lo, cut) from storage, appended to out. */
static int log_copy_stable(const rc_raft_log *l, uint64_t lo, uint64_t cut, uint64_t max_size,
                           rc_entries *out)
{
    size_t start = out->n;
    int rc = l->storage.ops->entries(l->storage.ud, lo, cut, max_size, out);
    if (rc == RC_ERR_COMPACTED) {
        rc_entries_truncate(out, start);
        return rc;
    }
    if (rc == RC_ERR_UNAVAILABLE) {
        rc_entries_truncate(out, start);
        rc_logf(l->logger, RC_LOG_PANIC, "entries[%" U64 ":%" U64 ") is unavailable from storage",
                lo, cut);
        return RC_ERR_FAILED;
    }
    if (rc != RC_OK) {
        rc_entries_truncate(out, start);
        if (rc == RC_ERR_NOMEM)
            return rc;
        rc_logf(l->logger, RC_LOG_PANIC, "%s", rc_log_err_text(rc));
        return RC_ERR_FAILED;
    }
    /* A storage returning more than asked is trimmed rather than trusted. */
    if (out->n - start > cut - lo)
        rc_entries_truncate(out, start + (size_t)(cut - lo));
    return RC_OK;
}

int rc_log_slice(const rc_raft_log *l, uint64_t lo, uint64_t hi, uint64_t max_size,
                 rc_entries *out)
{
    int rc = log_check_bounds(l, lo, hi);
    if (rc != RC_OK || lo == hi)
        return rc;
    uint64_t uoff = l->unstable.offset;
    if (lo >= uoff)
        return log_copy_unstable(l, lo, hi, max_size, out);

    size_t start = out->n;
    uint64_t cut = hi < uoff ? hi : uoff;
    rc = log_copy_stable(l, lo, cut, max_size, out);
    if (rc != RC_OK || hi <= uoff)
        return rc;
    /* Stable part cut short by the size limit: the next entry would not fit. */
    size_t got = out->n - start;
    if (got < cut - lo)
        return RC_OK;
    uint64_t size = rc_entries_size(out->v + start, got);
    if (size >= max_size)
        return RC_OK;

    const rc_entry *ents;
    size_t n;
    rc = rc_unstable_slice(&l->unstable, uoff, hi, &ents, &n);
    if (rc != RC_OK) {
        rc_entries_truncate(out, start);
        return rc;
    }
    uint64_t budget = max_size == RC_NO_LIMIT ? RC_NO_LIMIT : max_size - size;
    size_t k = rc_limit_size(ents, n, budget);
    /* limitSize always keeps one entry; here that one may not fit the remaining budget. */
    if (k == 1 && max_size != RC_NO_LIMIT && rc_entry_size(&ents[0]) > budget)
        return RC_OK;
    rc = rc_entries_append_copy(out, ents, k);
    if (rc != RC_OK)
        rc_entries_truncate(out, start);
    return rc;
}

int rc_log_entries(const rc_raft_log *l, uint64_t i, uint64_t max_size, rc_entries *out)
{
    uint64_t last = rc_log_last_index(l);
    if (i > last)
        return l->failed ? RC_ERR_FAILED : RC_OK;
    return rc_log_slice(l, i, last + 1, max_size, out);
}

bool rc_log_nothing_from(const rc_raft_log *l, uint64_t i)
{
    return log_mem(l) != NULL && !l->failed && i == rc_log_last_index(l) + 1;
}

int rc_log_all_entries(const rc_raft_log *l, rc_entries *out)
{
    return rc_log_entries(l, rc_log_first_index(l), RC_NO_LIMIT, out);
}

int rc_log_scan(const rc_raft_log *l, uint64_t lo, uint64_t hi, uint64_t page_size,
                rc_log_scan_fn fn, void *ud)
{
    rc_entries page = { 0 };
    int rc = RC_OK;
    while (lo < hi) {
        rc_entries_truncate(&page, 0);
        rc = rc_log_slice(l, lo, hi, page_size, &page);
        if (rc != RC_OK)
            break;
        if (page.n == 0) {
            rc_logf(l->logger, RC_LOG_PANIC, "got 0 entries in [%" U64 ", %" U64 ")", lo, hi);
            rc = RC_ERR_FAILED;
            break;
        }
        rc = fn(ud, page.v, page.n);
        if (rc != RC_OK)
            break;
        lo += page.n;
    }
    rc_entries_free(&page);
    return rc;
}

/* ---- unstable / snapshot views ---- */

bool rc_log_has_next_unstable_ents(const rc_raft_log *l)
{
    const rc_entry *ents;
    size_t n;
    rc_unstable_next_entries(&l->unstable, &ents, &n);
    return n > 0;
}

void rc_log_next_unstable_ents(const rc_raft_log *l, const rc_entry **ents, size_t *n)
{
    rc_unstable_next_entries(&l->unstable, ents, n);
}

bool rc_log_has_next_or_in_progress_unstable_ents(const rc_raft_log *l)
{
    return l->unstable.entries.n > 0;
}

bool rc_log_has_next_unstable_snapshot(const rc_raft_log *l)
{
    return rc_unstable_next_snapshot(&l->unstable) != NULL;
}

const rc_snapshot *rc_log_next_unstable_snapshot(const rc_raft_log *l)
{
    return rc_unstable_next_snapshot(&l->unstable);
}

bool rc_log_has_next_or_in_progress_snapshot(const rc_raft_log *l)
{
    return l->unstable.snapshot != NULL;
}

bool rc_log_has_pending_snapshot(const rc_raft_log *l)
{
    return rc_log_has_next_or_in_progress_snapshot(l);
}

int rc_log_snapshot(const rc_raft_log *l, rc_snapshot *out)
{
    memset(out, 0, sizeof(*out));
    if (l->unstable.snapshot != NULL)
        return rc_snapshot_copy(out, l->unstable.snapshot);
    int rc = l->storage.ops->snapshot(l->storage.ud, out);
    if (rc != RC_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* ---- committed entries and application ---- */

uint64_t rc_log_max_appliable_index(const rc_raft_log *l, bool allow_unstable)
{
    uint64_t hi = l->committed;
    if (!allow_unstable && l->unstable.offset - 1 < hi)
        hi = l->unstable.offset - 1;
    return hi;
}

bool rc_log_has_next_committed_ents(const rc_raft_log *l, bool allow_unstable)
{
    if (l->applying_ents_paused || rc_log_has_next_or_in_progress_snapshot(l))
        return false;
    return l->applying < rc_log_max_appliable_index(l, allow_unstable);
}

int rc_log_next_committed_ents(const rc_raft_log *l, bool allow_unstable, rc_entries *out)
{
    /* Nothing while paused, nor while a snapshot is pending (it must be applied first). */
    if (!rc_log_has_next_committed_ents(l, allow_unstable))
        return RC_OK;
    uint64_t lo = l->applying + 1;
    uint64_t hi = rc_log_max_appliable_index(l, allow_unstable) + 1;
    if (l->applying_ents_size >= l->max_applying_ents_size) {
        rc_logf(l->logger, RC_LOG_PANIC, "applying entry size (%" U64 "-%" U64 ")=%lld not positive",
                l->max_applying_ents_size, l->applying_ents_size,
                (long long)(l->max_applying_ents_size - l->applying_ents_size));
        return RC_ERR_FAILED;
    }
    uint64_t budget = l->max_applying_ents_size - l->applying_ents_size;
    int rc = rc_log_slice(l, lo, hi, budget, out);
    if (rc == RC_OK || rc == RC_ERR_FAILED || rc == RC_ERR_NOMEM)
        return rc;
    rc_logf(l->logger, RC_LOG_PANIC, "unexpected error when getting unapplied entries (%s)",
            rc_log_err_text(rc));
    return RC_ERR_FAILED;
}

int rc_log_commit_to(rc_raft_log *l, uint64_t tocommit)
{
    if (tocommit <= l->committed)
        return RC_OK; /* never decrease commit */
    uint64_t last = rc_log_last_index(l);
    if (last < tocommit) {
        rc_logf(l->logger, RC_LOG_PANIC,
                "tocommit(%" U64 ") is out of range [lastIndex(%" U64 ")]. Was the raft log corrupted, "
                "truncated, or lost?",
                tocommit, last);
        return RC_ERR_FAILED;
    }
    l->committed = tocommit;
    return RC_OK;
}

int rc_log_maybe_commit(rc_raft_log *l, uint64_t max_index, uint64_t term, bool *committed)
{
    *committed = false;
    /* A leader campaigns at term >= 1, so term 0 never counts as a match. */
    if (term == 0 || max_index <= l->committed || !rc_log_match_term(l, max_index, term))
        return l->failed ? RC_ERR_FAILED : RC_OK;
    int rc = rc_log_commit_to(l, max_index);
    if (rc != RC_OK)
        return rc;
    *committed = true;
    return RC_OK;
}

int rc_log_applied_to(rc_raft_log *l, uint64_t i, uint64_t size)
{
    if (l->committed < i || i < l->applied) {
        rc_logf(l->logger, RC_LOG_PANIC,
                "applied(%" U64 ") is out of range [prevApplied(%" U64 "), committed(%" U64 ")]", i,
                l->applied, l->committed);
        return RC_ERR_FAILED;
    }
    l->applied = i;
    if (l->applying < i)
        l->applying = i;
    l->applying_ents_size = l->applying_ents_size > size ? l->applying_ents_size - size : 0;
    l->applying_ents_paused = l->applying_ents_size >= l->max_applying_ents_size;
    return RC_OK;
}

int rc_log_accept_applying(rc_raft_log *l, uint64_t i, uint64_t size, bool allow_unstable)
{
    if (l->committed < i) {
        rc_logf(l->logger, RC_LOG_PANIC,
                "applying(%" U64 ") is out of range [prevApplying(%" U64 "), committed(%" U64 ")]", i,
                l->applying, l->committed);
        l->failed = true;
        return RC_ERR_FAILED;
    }
    l->applying = i;
    l->applying_ents_size += size;
    /* Pause when the budget is used up, or when the last batch was cut short by the budget
     * (the next entry would overflow it). */
    l->applying_ents_paused = l->applying_ents_size >= l->max_applying_ents_size ||
                              i < rc_log_max_appliable_index(l, allow_unstable);
    return RC_OK;
}

/* ---- persistence acknowledgements ---- */

void rc_log_accept_unstable(rc_raft_log *l)
{
    rc_unstable_accept_in_progress(&l->unstable);
}

void rc_log_stable_to(rc_raft_log *l, uint64_t index, uint64_t term)
{
    rc_unstable_stable_to(&l->unstable, index, term);
}

void rc_log_release_idle_memory(rc_raft_log *l)
{
    if (l->unstable.entries.n == 0)
        rc_entries_free(&l->unstable.entries);
}

void rc_log_stable_snap_to(rc_raft_log *l, uint64_t index)
{
    rc_unstable_stable_snap_to(&l->unstable, index);
}

int rc_log_restore(rc_raft_log *l, const rc_snapshot *s)
{
    char desc[256];
    rc_log_format(desc, sizeof(desc), l);
    int rc = rc_unstable_restore(&l->unstable, s);
    if (rc != RC_OK)
        return rc;
    rc_logf(l->logger, RC_LOG_INFO, "log [%s] starts to restore snapshot [index: %" U64 ", term: %" U64 "]",
            desc, s->metadata.index, s->metadata.term);
    l->committed = s->metadata.index;
    return RC_OK;
}
