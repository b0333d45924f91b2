/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * unstable.h: the unstable tail of the raft log (etcd's unstable): entries and an incoming
 * snapshot not yet persisted, with in-progress tracking of what was handed out for writing.
 * Where etcd panics, a function logs the etcd text at RC_LOG_PANIC through u->logger (which
 * fails the node) and returns RC_ERR_FAILED.
 */
#ifndef RC_UNSTABLE_H
#define RC_UNSTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "logger.h"
#include "types.h"

typedef struct rc_unstable {
    rc_snapshot *snapshot;        /* incoming unstable snapshot, NULL if none */
    rc_entries entries;           /* entries not yet written to storage */
    uint64_t offset;              /* index of entries.v[0] */
    bool snapshot_in_progress;    /* snapshot is being written (accepted in a Ready) */
    uint64_t offset_in_progress;  /* entries [offset, offset_in_progress) are being written */
    const rc_logger *logger;
} rc_unstable;

bool rc_unstable_maybe_first_index(const rc_unstable *u, uint64_t *i);
bool rc_unstable_maybe_last_index(const rc_unstable *u, uint64_t *i);
bool rc_unstable_maybe_term(const rc_unstable *u, uint64_t i, uint64_t *t);
/* Entries not yet in progress, as a borrowed view (valid until the next mutation). */
void rc_unstable_next_entries(const rc_unstable *u, const rc_entry **ents, size_t *n);
/* The snapshot if not yet in progress, else NULL (borrowed). */
const rc_snapshot *rc_unstable_next_snapshot(const rc_unstable *u);
void rc_unstable_accept_in_progress(rc_unstable *u);
/* etcd's stableTo(entryID): drops unstable entries up to index if (index, term) matches an
 * unstable entry; otherwise logs (INFO) why it is ignored. */
void rc_unstable_stable_to(rc_unstable *u, uint64_t index, uint64_t term);
void rc_unstable_stable_snap_to(rc_unstable *u, uint64_t index);
int rc_unstable_restore(rc_unstable *u, const rc_snapshot *s); /* deep copy */
/* etcd's truncateAndAppend (deep copies). RC_ERR_FAILED (logged) if ents[0].index leaves a gap
 * after the unstable tail; RC_ERR_NOMEM leaves u unchanged. n == 0 is a no-op. */
int rc_unstable_truncate_and_append(rc_unstable *u, const rc_entry *ents, size_t n);
/* Same, but takes ownership of the entries' data on success (ents[i].data is zeroed); on
 * failure the caller keeps ownership. */
int rc_unstable_truncate_and_append_move(rc_unstable *u, rc_entry *ents, size_t n);
/* Borrowed view of unstable entries [lo, hi); RC_ERR_FAILED if out of bounds. */
int rc_unstable_slice(const rc_unstable *u, uint64_t lo, uint64_t hi, const rc_entry **ents,
                      size_t *n);
void rc_unstable_free(rc_unstable *u);

#endif
