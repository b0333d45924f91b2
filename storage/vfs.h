/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * vfs.h: the file layer the disk storage does all its I/O through (like SQLite's VFS): a table
 * of functions with a user pointer. ds_vfs_posix() is the real one; tests, the simulator and
 * the fuzzer swap in ds_memvfs (memvfs.h), which loses unsynced writes on a simulated power
 * cut and injects errors.
 *
 * Every function returns 0 or a negative errno value (-EIO, -ENOSPC, -ENOENT, ...). Paths are
 * full paths. A ds_file is opaque to the storage.
 */
#ifndef DS_VFS_H
#define DS_VFS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ds_file ds_file;

enum {
    DS_OPEN_CREATE = 1, /* create the file if it does not exist */
    DS_OPEN_EXCL = 2,   /* with DS_OPEN_CREATE: fail with -EEXIST if it exists */
};

/* Called by list() once per directory entry name (not "." or ".."); nonzero stops. */
typedef int (*ds_list_fn)(void *ctx, const char *name);

typedef struct ds_vfs_ops {
    /* Opens (read-write) path into *out. */
    int (*open)(void *ud, const char *path, int flags, ds_file **out);
    /* Closes f (always releases it, even when returning an error). */
    int (*close)(void *ud, ds_file *f);
    /* Reads up to len bytes at off into buf; *got is the count (short only at end of file). */
    int (*pread)(void *ud, ds_file *f, void *buf, size_t len, uint64_t off, size_t *got);
    /* Writes all len bytes at off (a short write is an error). */
    int (*pwrite)(void *ud, ds_file *f, const void *buf, size_t len, uint64_t off);
    /* Makes f's data durable (fdatasync). After a failure nothing about f is known. */
    int (*fsync)(void *ud, ds_file *f);
    /* Sets f's size (zero-filled when it grows). */
    int (*truncate)(void *ud, ds_file *f, uint64_t size);
    /* Reserves space so f is at least size bytes, zero-filled (preallocation). */
    int (*allocate)(void *ud, ds_file *f, uint64_t size);
    int (*size)(void *ud, ds_file *f, uint64_t *size);
    /* Atomically replaces to with from. */
    int (*rename)(void *ud, const char *from, const char *to);
    int (*unlink)(void *ud, const char *path);
    /* Makes the directory's entries (creations, renames, unlinks) durable. */
    int (*fsync_dir)(void *ud, const char *path);
    /* Creates the directory (-EEXIST if it exists). */
    int (*mkdir)(void *ud, const char *path);
    /* Calls fn for each name in the directory (-ENOENT if it does not exist). */
    int (*list)(void *ud, const char *path, ds_list_fn fn, void *ctx);
    /* Takes an exclusive advisory lock on f without waiting (-EWOULDBLOCK if another holder
     * has it); released by close. */
    int (*lock)(void *ud, ds_file *f);
} ds_vfs_ops;

typedef struct ds_vfs {
    const ds_vfs_ops *ops;
    void *ud;
} ds_vfs;

/* The operating system's files (POSIX; flock for the lock, fallocate where available). */
ds_vfs ds_vfs_posix(void);

#endif
