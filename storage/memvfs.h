/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memvfs.h: an in-memory file layer for tests, the simulator and the fuzzer, modelling what a
 * power cut does to files: data written since a file's last fsync, and names created, renamed
 * or removed since the directory's last fsync, are not durable. ds_memvfs_power_cut keeps a
 * random prefix of those pending operations per file (and of the name operations), the first
 * one dropped possibly torn at any byte, and discards the rest; open handles die (their calls
 * fail with -EIO, close only frees them). Errors are injected per operation kind: the nth next
 * call fails with a given errno value. Deterministic for a given seed. Not thread-safe.
 */
#ifndef DS_MEMVFS_H
#define DS_MEMVFS_H

#include <stdint.h>

#include "vfs.h"

typedef struct ds_memvfs ds_memvfs;

/* Operation kinds for ds_memvfs_inject. */
typedef enum ds_memvfs_op {
    DS_MV_OPEN, DS_MV_READ, DS_MV_WRITE, DS_MV_FSYNC, DS_MV_TRUNCATE, DS_MV_ALLOCATE,
    DS_MV_RENAME, DS_MV_UNLINK, DS_MV_FSYNC_DIR, DS_MV_MKDIR, DS_MV_LIST, DS_MV_OP_COUNT
} ds_memvfs_op;

/* RC_OK or RC_ERR_NOMEM. */
int ds_memvfs_new(ds_memvfs **out, uint64_t seed);
void ds_memvfs_free(ds_memvfs *m);
ds_vfs ds_memvfs_vfs(ds_memvfs *m);

/* The nth call (1 = the next one) of op fails with err (a negative errno, e.g. -EIO); a failed
 * write writes nothing. n = 0 clears the injection for op. */
void ds_memvfs_inject(ds_memvfs *m, ds_memvfs_op op, uint64_t n, int err);
/* How many calls of op were made so far (to enumerate every failure point). */
uint64_t ds_memvfs_calls(const ds_memvfs *m, ds_memvfs_op op);
/* Simulates a power cut (see above); the seed chooses what survives. */
void ds_memvfs_power_cut(ds_memvfs *m, uint64_t seed);
/* Simulates a process crash (SIGKILL): open handles die, but everything written stays (the
 * page cache survives). */
void ds_memvfs_crash(ds_memvfs *m);
/* Flips one bit of the named file's current and durable contents at byte off (tests of
 * corruption); RC_ERR_NOT_FOUND / RC_ERR_INVALID. */
int ds_memvfs_flip(ds_memvfs *m, const char *path, uint64_t off);
/* Size of the named file, or -1 if it does not exist. */
int64_t ds_memvfs_file_size(ds_memvfs *m, const char *path);

#endif
