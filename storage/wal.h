/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wal.h: the segmented write-ahead log. Segments are dir/wal-<seq:016x>.log, numbered from 1
 * without gaps. Each starts with a HEADER record, the current HardState and the current
 * snapshot marker (DS_SNAP_KEEP), so the log can be replayed from any segment once older ones
 * are purged. A new segment is prepared as a temporary file (preallocated, its first records
 * fsynced), renamed into place and the directory fsynced; the segment it replaces is cut to
 * its used length and fsynced first. Only the last segment has a zero tail.
 *
 * Writes are buffered; ds_wal_flush writes them out, ds_wal_sync also fsyncs. After any failed
 * write, fsync or file operation the WAL is failed: every later call returns RC_ERR_FAILED and
 * nothing is retried (the kernel may have dropped the data of a failed fsync).
 */
#ifndef DS_WAL_H
#define DS_WAL_H

#include <stdbool.h>
#include <stdint.h>

#include "fsutil.h"
#include "record.h"
#include "types.h"
#include "vfs.h"

typedef struct ds_seg {
    uint64_t seq;
    uint64_t max_index; /* largest entry index written in the segment (0: none) */
} ds_seg;

/* Where a record is: segment position in segs[] and byte offset. */
typedef struct ds_pos {
    size_t seg;
    uint64_t off;
} ds_pos;

typedef struct ds_wal {
    ds_vfs vfs;
    char *dir;
    uint64_t segment_size;
    ds_seg *segs;
    size_t n_segs, cap_segs;
    ds_file *f;           /* the last segment, open for appending */
    uint64_t off;         /* file offset the pending bytes go to */
    ds_buf pending;       /* encoded records not yet written */
    bool unsynced;        /* bytes written since the last fsync */
    rc_hard_state hs;     /* the last HardState recorded */
    uint64_t snap_index, snap_term; /* the last snapshot marker recorded */
    /* Found by ds_wal_open: the first record of the newest snapshot marker (snap_index), its
     * kind, and how many bytes of a torn tail were cut off the last segment. */
    ds_pos marker_pos;
    int marker_kind;
    uint64_t torn_bytes;
    uint64_t written;     /* bytes handed to pwrite since opening */
    bool failed;
    char err[DS_ERR_MAX];
} ds_wal;

/* Opens (creating it if it has no segment) the WAL in dir, which the caller has locked.
 * Checks every record; cuts a torn tail off the last segment (zero-filled, fsynced). Errors
 * (text in err): RC_ERR_CORRUPT naming the file and offset of a bad record outside the last
 * segment's tail, a missing segment, or a segment without a valid header; RC_ERR_IO;
 * RC_ERR_NOMEM. */
int ds_wal_open(ds_wal **out, ds_vfs vfs, const char *dir, uint64_t segment_size, char *err);
void ds_wal_close(ds_wal *w);

/* Calls fn for every record from the first segment on, in order (the log as checked by
 * ds_wal_open; call it before appending); a nonzero result stops and is returned. */
typedef int (*ds_wal_replay_fn)(void *ctx, const ds_rec *rec, ds_pos pos);
int ds_wal_replay(ds_wal *w, ds_wal_replay_fn fn, void *ctx, char *err);

/* Record appends (buffered; a segment rolls over first when the current one is full). */
int ds_wal_append_entries(ds_wal *w, const rc_entry *ents, size_t n);
int ds_wal_set_hard_state(ds_wal *w, const rc_hard_state *hs);
int ds_wal_mark_snapshot(ds_wal *w, uint64_t index, uint64_t term, int kind);

/* Writes the pending records. */
int ds_wal_flush(ds_wal *w);
/* Writes the pending records and fsyncs the segment (nothing if nothing changed). */
int ds_wal_sync(ds_wal *w);
/* Deletes the oldest segments whose entries are all at or below index (never the last one),
 * then fsyncs the directory. The markers they held are repeated in the segments kept. */
int ds_wal_purge(ds_wal *w, uint64_t index);

#endif
