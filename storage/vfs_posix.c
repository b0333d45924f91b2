/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * vfs_posix.c: the operating system's file layer for the disk storage.
 */
#define _GNU_SOURCE
#include "vfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

struct ds_file {
    int fd;
};

static int neg_errno(void)
{
    return errno != 0 ? -errno : -EIO;
}

static int px_open(void *ud, const char *path, int flags, ds_file **out)
{
    (void)ud;
    *out = NULL;
    int oflags = O_RDWR | O_CLOEXEC;
    if (flags & DS_OPEN_CREATE)
        oflags |= O_CREAT;
    if (flags & DS_OPEN_EXCL)
        oflags |= O_EXCL;
    int fd;
    do
        fd = open(path, oflags, 0644);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return neg_errno();
    ds_file *f = rc_malloc(sizeof(*f));
    if (f == NULL) {
        close(fd);
        return -ENOMEM;
    }
    f->fd = fd;
    *out = f;
    return 0;
}

static int px_close(void *ud, ds_file *f)
{
    (void)ud;
    if (f == NULL)
        return 0;
    int rc = close(f->fd) == 0 ? 0 : neg_errno();
    rc_free(f);
    return rc == -EINTR ? 0 : rc;
}

static int px_pread(void *ud, ds_file *f, void *buf, size_t len, uint64_t off, size_t *got)
{
    (void)ud;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return neg_errno();
        if (n == 0)
            break;
        done += (size_t)n;
    }
    *got = done;
    return 0;
}

static int px_pwrite(void *ud, ds_file *f, const void *buf, size_t len, uint64_t off)
{
    (void)ud;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(f->fd, (const char *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return neg_errno();
        if (n == 0)
            return -EIO;
        done += (size_t)n;
    }
    return 0;
}

static int px_fsync(void *ud, ds_file *f)
{
    (void)ud;
    return fdatasync(f->fd) == 0 ? 0 : neg_errno();
}

static int px_truncate(void *ud, ds_file *f, uint64_t size)
{
    (void)ud;
    int rc;
    do
        rc = ftruncate(f->fd, (off_t)size);
    while (rc < 0 && errno == EINTR);
    return rc == 0 ? 0 : neg_errno();
}

static int px_size(void *ud, ds_file *f, uint64_t *size)
{
    (void)ud;
    struct stat st;
    if (fstat(f->fd, &st) != 0)
        return neg_errno();
    *size = (uint64_t)st.st_size;
    return 0;
}

static int px_allocate(void *ud, ds_file *f, uint64_t size)
{
    uint64_t cur = 0;
    int rc = px_size(ud, f, &cur);
    if (rc != 0 || cur >= size)
        return rc;
    /* posix_fallocate reserves the blocks (so a full disk shows at creation, not mid-log);
     * file systems without it (tmpfs on old kernels, some FUSE) fall back to a sparse
     * extension, which still reads as zeros. */
    rc = posix_fallocate(f->fd, 0, (off_t)size);
    if (rc == EINVAL || rc == EOPNOTSUPP)
        return px_truncate(ud, f, size);
    return -rc;
}

static int px_rename(void *ud, const char *from, const char *to)
{
    (void)ud;
    return rename(from, to) == 0 ? 0 : neg_errno();
}

static int px_unlink(void *ud, const char *path)
{
    (void)ud;
    return unlink(path) == 0 ? 0 : neg_errno();
}

static int px_fsync_dir(void *ud, const char *path)
{
    (void)ud;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return neg_errno();
    int rc = fsync(fd) == 0 ? 0 : neg_errno();
    close(fd);
    return rc;
}

static int px_mkdir(void *ud, const char *path)
{
    (void)ud;
    return mkdir(path, 0755) == 0 ? 0 : neg_errno();
}

static int px_list(void *ud, const char *path, ds_list_fn fn, void *ctx)
{
    (void)ud;
    DIR *d = opendir(path);
    if (d == NULL)
        return neg_errno();
    int rc = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' &&
            (de->d_name[1] == 0 || (de->d_name[1] == '.' && de->d_name[2] == 0)))
            continue;
        if ((rc = fn(ctx, de->d_name)) != 0)
            break;
        errno = 0;
    }
    if (rc == 0 && errno != 0)
        rc = neg_errno();
    closedir(d);
    return rc;
}

static int px_lock(void *ud, ds_file *f)
{
    (void)ud;
    int rc;
    do
        rc = flock(f->fd, LOCK_EX | LOCK_NB);
    while (rc < 0 && errno == EINTR);
    if (rc < 0 && errno == EAGAIN)
        return -EWOULDBLOCK;
    return rc == 0 ? 0 : neg_errno();
}

static const ds_vfs_ops posix_ops = {
    .open = px_open, .close = px_close, .pread = px_pread, .pwrite = px_pwrite,
    .fsync = px_fsync, .truncate = px_truncate, .allocate = px_allocate, .size = px_size,
    .rename = px_rename, .unlink = px_unlink, .fsync_dir = px_fsync_dir, .mkdir = px_mkdir,
    .list = px_list, .lock = px_lock,
};

ds_vfs ds_vfs_posix(void)
{
    return (ds_vfs){&posix_ops, NULL};
}
