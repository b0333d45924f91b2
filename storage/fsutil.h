/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fsutil.h: what the WAL and the snapshot files share on top of the file layer: error texts,
 * paths, whole-file reads and durable atomic writes.
 */
#ifndef DS_FSUTIL_H
#define DS_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "vfs.h"

/* Size of every error text buffer of the disk storage. */
#define DS_ERR_MAX 320
/* Longest path the storage builds (directory + "/" + file name). */
#define DS_PATH_MAX 4096

/* Formats the error text into err (DS_ERR_MAX bytes; may be NULL) and returns rc. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int ds_errf(char *err, int rc, const char *fmt, ...);

/* The rc_err for a negative errno from the file layer: RC_ERR_NOMEM for -ENOMEM, else
 * RC_ERR_IO. */
int ds_io_code(int neg_errno);
/* strerror text of a negative errno (thread-safe; static text). */
const char *ds_errno_text(int neg_errno);

/* dir + "/" + name into out (DS_PATH_MAX); RC_ERR_TOO_LARGE if it does not fit. */
int ds_path(char *out, const char *dir, const char *name);

/* Reads the whole file at path into a heap buffer (*buf, rc_free; NULL for an empty file).
 * Errors name the file. */
int ds_read_file(ds_vfs vfs, const char *path, uint8_t **buf, size_t *len, char *err);
/* The same for the first max bytes at most; *size gets the file's size. */
int ds_read_file_part(ds_vfs vfs, const char *path, size_t max, uint8_t **buf, size_t *len,
                      uint64_t *size, char *err);

/* Writes buf to dir/name durably and atomically: dir/name.tmp is written, fsynced, renamed over
 * dir/name, and the directory fsynced. On failure the temporary file is removed (best effort). */
int ds_write_atomic(ds_vfs vfs, const char *dir, const char *name, const uint8_t *buf,
                    size_t len, char *err);

#endif
