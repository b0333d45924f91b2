/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fsutil.c: error texts, paths, whole-file reads and durable atomic writes.
 */
#include "fsutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "types.h"

int ds_errf(char *err, int rc, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, DS_ERR_MAX, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int ds_io_code(int neg_errno)
{
    return neg_errno == -ENOMEM ? RC_ERR_NOMEM : RC_ERR_IO;
}

const char *ds_errno_text(int neg_errno)
{
    switch (-neg_errno) {
    case EIO: return "input/output error";
    case ENOSPC: return "no space left on device";
    case ENOENT: return "no such file or directory";
    case EEXIST: return "file exists";
    case EACCES: return "permission denied";
    case EPERM: return "operation not permitted";
    case ENOMEM: return "out of memory";
    case EROFS: return "read-only file system";
    case EDQUOT: return "disk quota exceeded";
    case ENOTDIR: return "not a directory";
    case EISDIR: return "is a directory";
    case EWOULDBLOCK: return "resource temporarily unavailable";
    case ENAMETOOLONG: return "file name too long";
    case EMFILE: return "too many open files";
    default: return "system error";
    }
}

int ds_path(char *out, const char *dir, const char *name)
{
    int n = snprintf(out, DS_PATH_MAX, "%s/%s", dir, name);
    return n < 0 || n >= DS_PATH_MAX ? RC_ERR_TOO_LARGE : RC_OK;
}

int ds_read_file(ds_vfs vfs, const char *path, uint8_t **buf, size_t *len, char *err)
{
    uint64_t size;
    return ds_read_file_part(vfs, path, SIZE_MAX, buf, len, &size, err);
}

int ds_read_file_part(ds_vfs vfs, const char *path, size_t max, uint8_t **buf, size_t *len,
                      uint64_t *file_size, char *err)
{
    *buf = NULL;
    *len = 0;
    ds_file *f = NULL;
    uint64_t size = 0;
    int e = vfs.ops->open(vfs.ud, path, 0, &f);
    if (e == 0)
        e = vfs.ops->size(vfs.ud, f, &size);
    *file_size = size;
    if (size > max)
        size = max;
    if (e == 0 && size > SIZE_MAX / 2)
        e = -EFBIG;
    uint8_t *b = NULL;
    size_t got = 0;
    if (e == 0 && size > 0) {
        b = rc_malloc((size_t)size);
        e = b == NULL ? -ENOMEM : vfs.ops->pread(vfs.ud, f, b, (size_t)size, 0, &got);
    }
    if (f != NULL)
        vfs.ops->close(vfs.ud, f);
    if (e != 0) {
        rc_free(b);
        return ds_errf(err, ds_io_code(e), "read %s: %s", path, ds_errno_text(e));
    }
    *buf = b;
    *len = got;
    return RC_OK;
}

int ds_write_atomic(ds_vfs vfs, const char *dir, const char *name, const uint8_t *buf,
                    size_t len, char *err)
{
    char path[DS_PATH_MAX], tmp[DS_PATH_MAX];
    char tname[256];
    if (snprintf(tname, sizeof(tname), "%s.tmp", name) >= (int)sizeof(tname) ||
        ds_path(path, dir, name) != RC_OK || ds_path(tmp, dir, tname) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long in %s", dir);
    ds_file *f = NULL;
    const char *what = "create";
    vfs.ops->unlink(vfs.ud, tmp); /* a leftover of a crash */
    int e = vfs.ops->open(vfs.ud, tmp, DS_OPEN_CREATE | DS_OPEN_EXCL, &f);
    if (e == 0 && (what = "write", e = vfs.ops->pwrite(vfs.ud, f, buf, len, 0)) == 0)
        what = "fsync", e = vfs.ops->fsync(vfs.ud, f);
    if (f != NULL) {
        int ce = vfs.ops->close(vfs.ud, f);
        if (e == 0 && ce != 0)
            what = "close", e = ce;
    }
    if (e == 0 && (what = "rename", e = vfs.ops->rename(vfs.ud, tmp, path)) == 0) {
        if ((e = vfs.ops->fsync_dir(vfs.ud, dir)) != 0)
            return ds_errf(err, ds_io_code(e), "fsync directory %s: %s", dir, ds_errno_text(e));
        return RC_OK;
    }
    vfs.ops->unlink(vfs.ud, tmp);
    return ds_errf(err, ds_io_code(e), "%s %s: %s", what, tmp, ds_errno_text(e));
}
