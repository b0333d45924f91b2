/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * log.h: the raft log (etcd's raftLog): the stable storage view plus the unstable tail
 * (unstable.h: entries and snapshot not yet persisted), commit/applying/applied tracking and
 * committed-entry paging.
 *
 * Error convention: functions return RC_OK or an rc_err. Where etcd panics, the function logs
 * the etcd text at RC_LOG_PANIC through log->logger, which fails the node (logger.h), and returns
 * RC_ERR_FAILED. Storage failures other than COMPACTED/UNAVAILABLE are treated the same way.
 *
 * Entry slices handed out (rc_entries) are deep copies owned by the caller unless noted.
 */
#ifndef RC_LOG_H
#define RC_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include "logger.h"
#include "storage.h"
#include "types.h"
#include "unstable.h"

#define RC_NO_LIMIT UINT64_MAX

typedef struct rc_raft_log {
    rc_storage storage;
    rc_unstable unstable;
    uint64_t committed;
    uint64_t applying; /* highest index handed to the application (in a Ready / apply msg) */
    uint64_t applied;  /* highest index the application has applied */
    uint64_t max_applying_ents_size; /* MaxCommittedSizePerReady */
    uint64_t applying_ents_size;     /* bytes of entries being applied, not yet acked */
    const rc_logger *logger;
    bool applying_ents_paused;
    /* Set when a function that cannot report an error (first/last index, last term, ...) hit an
     * etcd panic (already logged at RC_LOG_PANIC). Raft should check it and fail the node. */
    bool failed;
} rc_raft_log;

/* ---- raft log ---- */
/* Initializes from storage: committed = applied = applying = FirstIndex-1; unstable offset =
 * LastIndex+1. max_applying_ents_size 0 is taken as 1 (apply one entry at a time) instead of
 * etcd's panic in nextCommittedEnts (etcd-behaviour.md invariant 11). The logger is borrowed
 * and must outlive l. RC_ERR_FAILED (logged) if storage fails. */
int rc_log_init(rc_raft_log *l, rc_storage storage, const rc_logger *logger,
                uint64_t max_applying_ents_size);
void rc_log_free(rc_raft_log *l);

/* "committed=%d, applied=%d, applying=%d, unstable.offset=%d, unstable.offsetInProgress=%d,
 * len(unstable.Entries)=%d" into buf. */
int rc_log_format(char *buf, size_t size, const rc_raft_log *l);

/* etcd's maybeAppend for a MsgApp at (index, log_term) with entries and leader commit.
 * *lastnewi = index + n on success; *ok = false when the (index, log_term) does not match. */
int rc_log_maybe_append(rc_raft_log *l, uint64_t index, uint64_t log_term, uint64_t committed,
                        const rc_entry *ents, size_t n, uint64_t *lastnewi, bool *ok);
/* Appends to the unstable tail (truncating conflicting unstable entries); returns via *last the
 * new last index. RC_ERR_FAILED if ents[0].index-1 < committed. */
int rc_log_append(rc_raft_log *l, const rc_entry *ents, size_t n, uint64_t *last);
/* First index in ents whose term conflicts or that is new; 0 if none. */
int rc_log_find_conflict(const rc_raft_log *l, const rc_entry *ents, size_t n, uint64_t *out);
/* etcd's findConflictByTerm: the largest index <= index whose term <= term, and its term. */
int rc_log_find_conflict_by_term(const rc_raft_log *l, uint64_t index, uint64_t term,
                                 uint64_t *out_index, uint64_t *out_term);

/* First/last index and last term. A storage failure is logged at PANIC, sets l->failed and
 * yields 0. */
uint64_t rc_log_first_index(const rc_raft_log *l);
uint64_t rc_log_last_index(const rc_raft_log *l);
uint64_t rc_log_last_term(const rc_raft_log *l);
/* RC_OK, RC_ERR_COMPACTED, RC_ERR_UNAVAILABLE, or RC_ERR_FAILED (storage failure, logged). */
int rc_log_term(const rc_raft_log *l, uint64_t i, uint64_t *t);
/* etcd's zeroTermOnOutOfBounds(term(i)): 0 for compacted/unavailable. */
int rc_log_term_or_zero(const rc_raft_log *l, uint64_t i, uint64_t *t);
bool rc_log_match_term(const rc_raft_log *l, uint64_t i, uint64_t term);
bool rc_log_is_up_to_date(const rc_raft_log *l, uint64_t last_index, uint64_t term);

/* Entries [i, last] limited by max_size: deep copies APPENDED to *out (which must be
 * initialized, e.g. zeroed); on error *out is unchanged. i > last gives nothing. */
int rc_log_entries(const rc_raft_log *l, uint64_t i, uint64_t max_size, rc_entries *out);
/* True when i is the index after the last one and the storage is the built-in MemoryStorage
 * (l not failed): then rc_log_term(i - 1) succeeds and rc_log_entries(i) gives nothing, with no
 * storage call anyone can see, so a caller that only wants entries to send may skip both. */
bool rc_log_nothing_from(const rc_raft_log *l, uint64_t i);
/* Entries [lo, hi) limited by max_size (etcd's slice; at least one entry if lo < hi): deep
 * copies APPENDED to *out; on error *out is unchanged. RC_ERR_COMPACTED if lo is compacted,
 * RC_ERR_FAILED (logged) if the range is invalid or beyond the last index. */
int rc_log_slice(const rc_raft_log *l, uint64_t lo, uint64_t hi, uint64_t max_size,
                 rc_entries *out);
/* All entries (testing). */
int rc_log_all_entries(const rc_raft_log *l, rc_entries *out);

bool rc_log_has_next_unstable_ents(const rc_raft_log *l);
void rc_log_next_unstable_ents(const rc_raft_log *l, const rc_entry **ents, size_t *n);
bool rc_log_has_next_unstable_snapshot(const rc_raft_log *l);
const rc_snapshot *rc_log_next_unstable_snapshot(const rc_raft_log *l);
/* Committed entries ready to be applied; allow_unstable allows entries not yet stable. */
bool rc_log_has_next_committed_ents(const rc_raft_log *l, bool allow_unstable);
/* Appends (copies) the next page of committed entries, [applying+1, maxAppliableIndex], at most
 * max_applying_ents_size - applying_ents_size bytes (at least one entry). Nothing while paused or
 * while a snapshot is pending. The caller then reports them with rc_log_accept_applying. */
int rc_log_next_committed_ents(const rc_raft_log *l, bool allow_unstable, rc_entries *out);
/* Snapshot from the unstable tail or storage (copy). May return RC_ERR_SNAP_TEMP_UNAVAILABLE. */
int rc_log_snapshot(const rc_raft_log *l, rc_snapshot *out);
/* An unstable snapshot exists, accepted or not (etcd's hasNextOrInProgressSnapshot). */
bool rc_log_has_pending_snapshot(const rc_raft_log *l);

void rc_log_accept_unstable(rc_raft_log *l);
void rc_log_stable_to(rc_raft_log *l, uint64_t index, uint64_t term);
void rc_log_stable_snap_to(rc_raft_log *l, uint64_t index);
/* commitTo: RC_ERR_FAILED (logged) if tocommit > last index. Never decreases committed. */
int rc_log_commit_to(rc_raft_log *l, uint64_t tocommit);
/* Leader commit (etcd v3.7 maybeCommit(entryID)): commits max_index only if term != 0,
 * max_index > committed and the log's term at max_index == term. */
int rc_log_maybe_commit(rc_raft_log *l, uint64_t max_index, uint64_t term, bool *committed);
/* appliedTo(i, size): RC_ERR_FAILED if i out of [applied, committed]. */
int rc_log_applied_to(rc_raft_log *l, uint64_t i, uint64_t size);
/* acceptApplying(i, size, allowUnstable): the entries up to i (size = rc_entries_size of
 * them) were handed to the application. RC_ERR_FAILED (logged) if i > committed. */
int rc_log_accept_applying(rc_raft_log *l, uint64_t i, uint64_t size, bool allow_unstable);
/* etcd's restore: logs "log [%s] starts to restore snapshot [index: %d, term: %d]", sets
 * committed = s.index and makes a deep copy of s the unstable snapshot (dropping the unstable
 * entries). RC_ERR_NOMEM leaves l unchanged. */
int rc_log_restore(rc_raft_log *l, const rc_snapshot *s);

/* Size of an entry as counted by MaxSizePerMsg (its encoded raftpb size; see codec). */
uint64_t rc_entry_size(const rc_entry *e);
/* etcd's limitSize: how many of ents[0..n) fit in max_size (always at least 1 when n > 0;
 * max_size 0 gives 1, RC_NO_LIMIT gives n). */
size_t rc_limit_size(const rc_entry *ents, size_t n, uint64_t max_size);

/* ---- scans, entry ids and in-progress queries ---- */

/* etcd's entsSize: the sum of rc_entry_size over ents[0..n). */
uint64_t rc_entries_size(const rc_entry *ents, size_t n);
/* Replaces es->v[from..] with deep copies of src[0..n) (from <= es->n). Atomic: on
 * RC_ERR_NOMEM es is unchanged. Used by unstable and memstorage. */
int rc_entries_splice(rc_entries *es, size_t from, const rc_entry *src, size_t n);

/* Like rc_log_append, but takes ownership of the entries' data on success (ents[i].data is
 * zeroed); on failure the caller keeps ownership. */
int rc_log_append_move(rc_raft_log *l, rc_entry *ents, size_t n, uint64_t *last);
/* Frees the unstable entry array when the tail is empty (an idle log keeps no capacity). */
void rc_log_release_idle_memory(rc_raft_log *l);
/* etcd's lastEntryID: last index and its term. */
void rc_log_last_entry_id(const rc_raft_log *l, uint64_t *index, uint64_t *term);
/* etcd's hasNextOrInProgressSnapshot: an unstable snapshot exists (accepted or not). Same as
 * rc_log_has_pending_snapshot. */
bool rc_log_has_next_or_in_progress_snapshot(const rc_raft_log *l);
/* etcd's hasNextOrInProgressUnstableEnts: the unstable tail is non-empty. */
bool rc_log_has_next_or_in_progress_unstable_ents(const rc_raft_log *l);
/* etcd's maxAppliableIndex: committed, capped at the last stable index unless allow_unstable. */
uint64_t rc_log_max_appliable_index(const rc_raft_log *l, bool allow_unstable);

/* Visitor for rc_log_scan: ents is borrowed for the call. Return RC_OK to continue; any other
 * value stops the scan and is returned by rc_log_scan (use a positive value to "break"). */
typedef int (*rc_log_scan_fn)(void *ud, const rc_entry *ents, size_t n);
/* etcd's raftLog.scan: visits entries [lo, hi) in consecutive pages of at most page_size bytes
 * (at least one entry per page). Returns RC_OK, the visitor's non-zero value, or a slice error
 * (RC_ERR_COMPACTED, RC_ERR_FAILED, RC_ERR_NOMEM). */
int rc_log_scan(const rc_raft_log *l, uint64_t lo, uint64_t hi, uint64_t page_size,
                rc_log_scan_fn fn, void *ud);
/* etcd's error texts for rc_err codes ("requested index is unavailable due to compaction", ...);
 * a generic text for other codes. Never NULL. */
const char *rc_log_err_text(int err);

#endif
