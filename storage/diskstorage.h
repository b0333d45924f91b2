/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * diskstorage.h: the disk storage: a write-ahead log (wal.h) and snapshot files (snapfile.h)
 * in one locked directory, with an in-memory mirror (an rc_memstorage) that raft reads
 * through. Every write goes to the WAL first and to the mirror once written (and, as the sync
 * policy says, fsynced); opening replays the WAL into the mirror.
 *
 * Directory: LOCK (held with an exclusive lock while open), wal-*.log, snap-*.snap.
 *
 * Any failed write, fsync or file operation fails the storage for good (RC_ERR_FAILED from
 * every later write; RC_ERR_STORAGE from the raft-facing reads, which fails the node): data the
 * kernel may have dropped is never acknowledged and never retried. One thread at a time, unless
 * ds_set_threaded was called (a writer thread, writer.h): then every call may come from either
 * of two threads.
 */
#ifndef DS_DISKSTORAGE_H
#define DS_DISKSTORAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "memstorage.h"
#include "rawnode.h"
#include "storage.h"
#include "types.h"
#include "vfs.h"

typedef enum ds_sync_policy {
    DS_SYNC_EACH = 0,  /* every write call that needs it fsyncs before returning */
    DS_SYNC_GROUP = 1, /* writes are buffered; ds_sync makes everything since durable */
    DS_SYNC_NONE = 2,  /* never fsync (tests and benchmarks only: not crash-safe) */
} ds_sync_policy;

typedef struct ds_options {
    uint64_t segment_size; /* 0: 64 MiB */
    ds_sync_policy sync;
} ds_options;

#define DS_DEFAULT_SEGMENT_SIZE ((uint64_t)64 << 20)
#define DS_MIN_SEGMENT_SIZE ((uint64_t)4096)

typedef struct ds_storage ds_storage;

/* Opens the storage in dir (created if absent), replaying its log. Errors, with a text naming
 * the file and offset in err (DS_ERR_MAX bytes): RC_ERR_LOCKED (another process has it open),
 * RC_ERR_CORRUPT, RC_ERR_IO, RC_ERR_NOMEM, RC_ERR_INVALID (bad options). */
int ds_open(ds_storage **out, ds_vfs vfs, const char *dir, const ds_options *opts, char *err);
/* Writes out buffered records (no fsync), releases the lock and frees everything. */
void ds_close(ds_storage *ds);

/* The raft-facing view (reads the mirror; RC_ERR_STORAGE once failed). */
rc_storage ds_storage_view(ds_storage *ds);
/* The mirror (borrowed; reads only). */
rc_memstorage *ds_mirror(ds_storage *ds);
/* Why the storage failed, or the last error text ("" if none). */
const char *ds_last_error(ds_storage *ds);
bool ds_failed(const ds_storage *ds);
/* How many bytes of a torn tail opening cut off the log. */
uint64_t ds_torn_bytes(const ds_storage *ds);
/* Bytes handed to the file layer for the log and snapshots since opening. */
uint64_t ds_bytes_written(const ds_storage *ds);

/* MemoryStorage's writes, made durable (per the sync policy; snapshots always fsync unless the
 * policy is DS_SYNC_NONE). Same errors as rc_memstorage_* plus RC_ERR_IO / RC_ERR_FAILED. */
int ds_append(ds_storage *ds, const rc_entry *ents, size_t n);
int ds_set_hard_state(ds_storage *ds, const rc_hard_state *hs);
int ds_apply_snapshot(ds_storage *ds, const rc_snapshot *snap);
int ds_create_snapshot(ds_storage *ds, uint64_t i, const rc_conf_state *cs, const void *data,
                       size_t len, rc_snapshot *out);
/* Compacts the mirror (the log keeps what the last snapshot does not cover). */
int ds_compact(ds_storage *ds, uint64_t compact_index);
/* Persists a Ready in etcd's order: snapshot, entries, HardState; fsyncs once if it must sync
 * (DS_SYNC_EACH). */
int ds_save_ready(ds_storage *ds, const rc_ready *rd);
/* Makes everything written so far durable (the group commit point). */
int ds_sync(ds_storage *ds);
/* Persists MsgStorageAppend messages in order (each: snapshot, entries, HardState from its
 * term/vote/commit when not all zero), then fsyncs once if any of them must sync by etcd's
 * rule (entries, a new term or vote; snapshots are synced when written) and the policy is not
 * DS_SYNC_NONE, whatever else the policy says: the async writer's batch (writer.h). */
int ds_save_appends(ds_storage *ds, const rc_message *msgs, size_t n);
/* Makes ds safe to use from two threads (a writer thread and the thread driving the nodes):
 * from now on every write holds a lock for its length, mirror changes and the view's reads
 * another, and the view returns copies instead of sharing payloads with the mirror. Call
 * before the second thread starts; cannot be undone. */
void ds_set_threaded(ds_storage *ds);
/* Fails the storage for good with text (as a failed write would), unless it already failed. */
void ds_mark_failed(ds_storage *ds, int rc, const char *text);

#endif
