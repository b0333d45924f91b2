/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * hostlog.h: the durable log of a multi-raft host (docs/multiraft.md, "Durable storage"): one
 * append-only file, dir/host.log, shared by every group of the host, so that one write and one
 * fsync persist a whole host Ready. Records use the WAL's framing (record.h) with type GROUP:
 * u64 group id, u8 kind, then
 *   DS_HL_HEADER      (group 0, first record) "RAFTCHST", u32 version (1)
 *   DS_HL_SNAPSHOT    raftpb Snapshot: the group's log is replaced by it (ApplySnapshot)
 *   DS_HL_SNAPSHOT_KEEP raftpb Snapshot made by the application at an index of its log
 *                     (CreateSnapshot): entries after it stay
 *   DS_HL_ENTRIES     u32 n, then n x (u32 len, raftpb Entry)
 *   DS_HL_HARDSTATE   raftpb HardState
 *   DS_HL_REMOVE      (empty) the group was removed
 * Opening replays the file into one memory storage per group (what was made durable). A bad
 * record with no intact record after it is a torn tail (a crash during the write: a prefix of
 * the write survived): it is cut off; a bad record followed by an intact one, or a record that
 * cannot be applied, is corruption (RC_ERR_CORRUPT naming the offset). The log is rewritten whole (a checkpoint: every
 * group's snapshot, entries and HardState, written to host.log.tmp, fsynced, renamed over
 * host.log, the directory fsynced) when it grows; a leftover host.log.tmp is deleted on open.
 * After any failed write, fsync or file operation the log is failed: every later write returns
 * RC_ERR_FAILED (nothing is retried). One thread at a time.
 */
#ifndef DS_HOSTLOG_H
#define DS_HOSTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsutil.h"
#include "memstorage.h"
#include "types.h"
#include "vfs.h"

enum {
    DS_HL_HEADER = 0,
    DS_HL_SNAPSHOT = 1,
    DS_HL_SNAPSHOT_KEEP = 2,
    DS_HL_ENTRIES = 3,
    DS_HL_HARDSTATE = 4,
    DS_HL_REMOVE = 5
};

typedef struct ds_hostlog ds_hostlog;

/* Opens (creating it) the host log in directory dir, locks the directory (RC_ERR_LOCKED when
 * another process has it) and replays it. Errors (text in err, DS_ERR_MAX bytes): RC_ERR_CORRUPT,
 * RC_ERR_IO, RC_ERR_LOCKED, RC_ERR_NOMEM, RC_ERR_INVALID. */
int ds_hostlog_open(ds_hostlog **out, ds_vfs vfs, const char *dir, char *err);
/* Writes nothing more, unlocks and frees l (and the recovered storages not taken). */
void ds_hostlog_close(ds_hostlog *l);

/* The groups found by the replay, in order of first appearance: group i's id and its memory
 * storage (owned by l until ds_hostlog_free_recovered). */
size_t ds_hostlog_recovered_count(const ds_hostlog *l);
void ds_hostlog_recovered(const ds_hostlog *l, size_t i, uint64_t *group, rc_memstorage **ms);
void ds_hostlog_free_recovered(ds_hostlog *l);

/* Buffered record appends (RC_ERR_NOMEM, RC_ERR_TOO_LARGE, RC_ERR_FAILED). */
int ds_hostlog_put_snapshot(ds_hostlog *l, uint64_t group, const rc_snapshot *s, bool keep);
int ds_hostlog_put_entries(ds_hostlog *l, uint64_t group, const rc_entry *ents, size_t n);
int ds_hostlog_put_hard_state(ds_hostlog *l, uint64_t group, const rc_hard_state *hs);
int ds_hostlog_put_remove(ds_hostlog *l, uint64_t group);
/* Writes the buffered records in one write, then fsyncs if sync (RC_ERR_IO fails the log). */
int ds_hostlog_write(ds_hostlog *l, bool sync);

/* A checkpoint: begin drops the buffered records (write them first) and starts a new log image;
 * the caller puts every live group's state; end writes the image as the new log, atomically and
 * durably, and appends to it from then on. */
int ds_hostlog_checkpoint_begin(ds_hostlog *l);
int ds_hostlog_checkpoint_end(ds_hostlog *l);
/* Drops a checkpoint image being built (the log is unchanged). */
void ds_hostlog_checkpoint_abort(ds_hostlog *l);

/* Bytes of the log file (appended since the last checkpoint included) and of the last
 * checkpoint image (0 before the first). */
uint64_t ds_hostlog_size(const ds_hostlog *l);
uint64_t ds_hostlog_checkpoint_size(const ds_hostlog *l);
/* Bytes of a torn tail cut off when opening. */
uint64_t ds_hostlog_torn_bytes(const ds_hostlog *l);
/* Whether the log has failed, and why ("" if not). */
bool ds_hostlog_failed(const ds_hostlog *l);
const char *ds_hostlog_error(const ds_hostlog *l);

#endif
