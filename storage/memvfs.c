/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memvfs.c: the in-memory, power-cut-simulating file layer (see memvfs.h). Every file (inode)
 * keeps its current contents, its durable contents (as of its last fsync) and the operations
 * since then; the namespace keeps its current and durable name tables and the name operations
 * since the last directory fsync.
 */
#define _XOPEN_SOURCE 700 /* PTHREAD_MUTEX_RECURSIVE */
#include "memvfs.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "alloc.h"
#include "types.h"

typedef struct mv_data {
    uint8_t *v;     /* bytes [0, len); [len, size) read as zeros */
    size_t len, cap;
    uint64_t size;
} mv_data;

enum { MV_WRITE, MV_TRUNCATE, MV_ALLOCATE };

typedef struct mv_op {
    int kind;
    uint64_t off;  /* write offset, or the size for truncate / allocate */
    uint8_t *data; /* write: a copy */
    size_t len;
} mv_op;

typedef struct mv_inode {
    mv_data cur, dur;
    mv_op *ops;
    size_t n_ops, cap_ops;
    int handles;    /* open ds_files (dead or alive) */
    bool locked;
    bool mark;      /* GC */
} mv_inode;

typedef struct mv_name {
    char *path;
    mv_inode *ino;
} mv_name;

typedef struct mv_table {
    mv_name *v;
    size_t n, cap;
} mv_table;

enum { NS_CREATE, NS_UNLINK, NS_RENAME };

typedef struct mv_nsop {
    int kind;
    char *path, *to;
    mv_inode *ino;
} mv_nsop;

struct ds_memvfs {
    mv_inode **inodes;
    size_t n_inodes, cap_inodes;
    mv_table cur, dur;
    mv_nsop *nsops;
    size_t n_nsops, cap_nsops;
    char **dirs;
    size_t n_dirs, cap_dirs;
    uint64_t gen;
    uint64_t rng;
    uint64_t calls[DS_MV_OP_COUNT];
    uint64_t fail_at[DS_MV_OP_COUNT]; /* absolute call number that fails (0: none) */
    int fail_err[DS_MV_OP_COUNT];
    /* Serializes the file operations and the crash, power-cut and inject controls: the disk
     * storage's writer thread works on the files while the test thread cuts the power
     * (recursive: a list callback may call in). */
    pthread_mutex_t mu;
};

struct ds_file {
    ds_memvfs *m;
    mv_inode *ino;
    uint64_t gen;
    bool holds_lock;
};

static uint64_t rnd(ds_memvfs *m)
{
    /* splitmix64 */
    uint64_t z = (m->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = rc_malloc(n);
    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

/* Counts a call of op; the injected errno if this is the one that fails. */
static int fault(ds_memvfs *m, ds_memvfs_op op)
{
    m->calls[op]++;
    if (m->fail_at[op] != 0 && m->calls[op] == m->fail_at[op]) {
        m->fail_at[op] = 0;
        return m->fail_err[op];
    }
    return 0;
}

/* ---- file contents ---- */

static int data_write(mv_data *d, uint64_t off, const uint8_t *buf, size_t len)
{
    if (len == 0)
        return 0;
    if (off + len > SIZE_MAX / 2)
        return -EFBIG;
    size_t end = (size_t)(off + len);
    if (end > d->cap && rc_grow((void **)&d->v, &d->cap, end, 1) != RC_OK)
        return -ENOMEM;
    if (off > d->len)
        memset(d->v + d->len, 0, (size_t)off - d->len);
    memcpy(d->v + off, buf, len);
    if (end > d->len)
        d->len = end;
    if (end > d->size)
        d->size = end;
    return 0;
}

static void data_resize(mv_data *d, uint64_t size, bool shrink)
{
    if (size < d->size && !shrink)
        return;
    d->size = size;
    if (d->len > size)
        d->len = (size_t)size;
}

static int data_copy(mv_data *dst, const mv_data *src)
{
    mv_data n = {NULL, 0, 0, src->size};
    if (src->len > 0) {
        n.v = rc_malloc(src->len);
        if (n.v == NULL)
            return -ENOMEM;
        memcpy(n.v, src->v, src->len);
        n.len = n.cap = src->len;
    }
    rc_free(dst->v);
    *dst = n;
    return 0;
}

static void ops_clear(mv_inode *ino)
{
    for (size_t i = 0; i < ino->n_ops; i++)
        rc_free(ino->ops[i].data);
    ino->n_ops = 0;
}

static int ops_push(mv_inode *ino, int kind, uint64_t off, const void *data, size_t len)
{
    if (rc_grow((void **)&ino->ops, &ino->cap_ops, ino->n_ops + 1, sizeof(mv_op)) != RC_OK)
        return -ENOMEM;
    mv_op op = {kind, off, NULL, len};
    if (len > 0) {
        if ((op.data = rc_malloc(len)) == NULL)
            return -ENOMEM;
        memcpy(op.data, data, len);
    }
    ino->ops[ino->n_ops++] = op;
    return 0;
}

static void inode_free(mv_inode *ino)
{
    ops_clear(ino);
    rc_free(ino->ops);
    rc_free(ino->cur.v);
    rc_free(ino->dur.v);
    rc_free(ino);
}

/* ---- names ---- */

static mv_name *table_find(mv_table *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].path, path) == 0)
            return &t->v[i];
    return NULL;
}

static void table_del(mv_table *t, const char *path)
{
    mv_name *n = table_find(t, path);
    if (n == NULL)
        return;
    rc_free(n->path);
    *n = t->v[--t->n];
}

static int table_set(mv_table *t, const char *path, mv_inode *ino)
{
    mv_name *n = table_find(t, path);
    if (n != NULL) {
        n->ino = ino;
        return 0;
    }
    char *p = dup_str(path);
    if (p == NULL || rc_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(mv_name)) != RC_OK) {
        rc_free(p);
        return -ENOMEM;
    }
    t->v[t->n++] = (mv_name){p, ino};
    return 0;
}

static void table_clear(mv_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        rc_free(t->v[i].path);
    t->n = 0;
}

static int table_copy(mv_table *dst, const mv_table *src)
{
    table_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        if (table_set(dst, src->v[i].path, src->v[i].ino) != 0)
            return -ENOMEM;
    return 0;
}

static void nsops_clear(ds_memvfs *m)
{
    for (size_t i = 0; i < m->n_nsops; i++) {
        rc_free(m->nsops[i].path);
        rc_free(m->nsops[i].to);
    }
    m->n_nsops = 0;
}

static int nsop_push(ds_memvfs *m, int kind, const char *path, const char *to, mv_inode *ino)
{
    mv_nsop op = {kind, dup_str(path), to != NULL ? dup_str(to) : NULL, ino};
    if (op.path == NULL || (to != NULL && op.to == NULL) ||
        rc_grow((void **)&m->nsops, &m->cap_nsops, m->n_nsops + 1, sizeof(mv_nsop)) != RC_OK) {
        rc_free(op.path);
        rc_free(op.to);
        return -ENOMEM;
    }
    m->nsops[m->n_nsops++] = op;
    return 0;
}

static int nsop_apply(mv_table *t, const mv_nsop *op)
{
    switch (op->kind) {
    case NS_CREATE: return table_set(t, op->path, op->ino);
    case NS_UNLINK: table_del(t, op->path); return 0;
    default: {
        mv_name *n = table_find(t, op->path);
        if (n == NULL)
            return 0;
        mv_inode *ino = n->ino;
        table_del(t, op->path);
        return table_set(t, op->to, ino);
    }
    }
}

/* Frees the inodes nothing refers to any more. */
static void gc(ds_memvfs *m)
{
    for (size_t i = 0; i < m->n_inodes; i++)
        m->inodes[i]->mark = m->inodes[i]->handles > 0;
    for (size_t i = 0; i < m->cur.n; i++)
        m->cur.v[i].ino->mark = true;
    for (size_t i = 0; i < m->dur.n; i++)
        m->dur.v[i].ino->mark = true;
    for (size_t i = 0; i < m->n_nsops; i++)
        if (m->nsops[i].ino != NULL)
            m->nsops[i].ino->mark = true;
    for (size_t i = 0; i < m->n_inodes;) {
        if (!m->inodes[i]->mark) {
            inode_free(m->inodes[i]);
            m->inodes[i] = m->inodes[--m->n_inodes];
        } else {
            i++;
        }
    }
}

/* ---- the ds_vfs operations ---- */

static bool alive(const ds_file *f)
{
    return f->gen == f->m->gen;
}

static bool dir_exists(const ds_memvfs *m, const char *path, size_t len)
{
    for (size_t i = 0; i < m->n_dirs; i++)
        if (strlen(m->dirs[i]) == len && memcmp(m->dirs[i], path, len) == 0)
            return true;
    return false;
}

static bool parent_exists(const ds_memvfs *m, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash == NULL || dir_exists(m, path, (size_t)(slash - path));
}

static int mv_open(void *ud, const char *path, int flags, ds_file **out)
{
    ds_memvfs *m = ud;
    *out = NULL;
    int e = fault(m, DS_MV_OPEN);
    if (e != 0)
        return e;
    if (!parent_exists(m, path))
        return -ENOENT;
    mv_name *n = table_find(&m->cur, path);
    if (n != NULL && (flags & DS_OPEN_CREATE) && (flags & DS_OPEN_EXCL))
        return -EEXIST;
    if (n == NULL && !(flags & DS_OPEN_CREATE))
        return -ENOENT;
    ds_file *f = rc_calloc(1, sizeof(*f));
    if (f == NULL)
        return -ENOMEM;
    mv_inode *ino = n != NULL ? n->ino : NULL;
    if (ino == NULL) {
        ino = rc_calloc(1, sizeof(*ino));
        if (ino == NULL ||
            rc_grow((void **)&m->inodes, &m->cap_inodes, m->n_inodes + 1, sizeof(void *)) !=
                RC_OK ||
            table_set(&m->cur, path, ino) != 0) {
            rc_free(ino);
            rc_free(f);
            return -ENOMEM;
        }
        m->inodes[m->n_inodes++] = ino;
        if (nsop_push(m, NS_CREATE, path, NULL, ino) != 0) {
            rc_free(f);
            return -ENOMEM;
        }
    }
    ino->handles++;
    *f = (ds_file){m, ino, m->gen, false};
    *out = f;
    return 0;
}

static int mv_close(void *ud, ds_file *f)
{
    ds_memvfs *m = ud;
    if (f == NULL)
        return 0;
    if (f->holds_lock && alive(f))
        f->ino->locked = false;
    f->ino->handles--;
    rc_free(f);
    gc(m);
    return 0;
}

static int mv_pread(void *ud, ds_file *f, void *buf, size_t len, uint64_t off, size_t *got)
{
    *got = 0;
    int e = fault(ud, DS_MV_READ);
    if (e != 0 || !alive(f))
        return e != 0 ? e : -EIO;
    const mv_data *d = &f->ino->cur;
    if (off >= d->size)
        return 0;
    size_t n = (size_t)(d->size - off < len ? d->size - off : len);
    size_t have = off < d->len ? d->len - (size_t)off : 0;
    if (have > n)
        have = n;
    if (have > 0)
        memcpy(buf, d->v + off, have);
    memset((uint8_t *)buf + have, 0, n - have);
    *got = n;
    return 0;
}

static int mv_pwrite(void *ud, ds_file *f, const void *buf, size_t len, uint64_t off)
{
    int e = fault(ud, DS_MV_WRITE);
    if (e != 0 || !alive(f))
        return e != 0 ? e : -EIO;
    if ((e = data_write(&f->ino->cur, off, buf, len)) != 0)
        return e;
    return ops_push(f->ino, MV_WRITE, off, buf, len);
}

static int mv_fsync(void *ud, ds_file *f)
{
    int e = fault(ud, DS_MV_FSYNC);
    if (e != 0 || !alive(f))
        return e != 0 ? e : -EIO;
    if ((e = data_copy(&f->ino->dur, &f->ino->cur)) != 0)
        return e;
    ops_clear(f->ino);
    return 0;
}

static int mv_resize(ds_file *f, uint64_t size, int kind)
{
    data_resize(&f->ino->cur, size, kind == MV_TRUNCATE);
    return ops_push(f->ino, kind, size, NULL, 0);
}

static int mv_truncate(void *ud, ds_file *f, uint64_t size)
{
    int e = fault(ud, DS_MV_TRUNCATE);
    if (e != 0 || !alive(f))
        return e != 0 ? e : -EIO;
    return mv_resize(f, size, MV_TRUNCATE);
}

static int mv_allocate(void *ud, ds_file *f, uint64_t size)
{
    int e = fault(ud, DS_MV_ALLOCATE);
    if (e != 0 || !alive(f))
        return e != 0 ? e : -EIO;
    return mv_resize(f, size, MV_ALLOCATE);
}

static int mv_size(void *ud, ds_file *f, uint64_t *size)
{
    (void)ud;
    if (!alive(f))
        return -EIO;
    *size = f->ino->cur.size;
    return 0;
}

static int mv_rename(void *ud, const char *from, const char *to)
{
    ds_memvfs *m = ud;
    int e = fault(m, DS_MV_RENAME);
    if (e != 0)
        return e;
    mv_name *n = table_find(&m->cur, from);
    if (n == NULL || !parent_exists(m, to))
        return -ENOENT;
    mv_nsop op = {NS_RENAME, (char *)(uintptr_t)from, (char *)(uintptr_t)to, n->ino};
    if (nsop_push(m, NS_RENAME, from, to, n->ino) != 0 || nsop_apply(&m->cur, &op) != 0)
        return -ENOMEM;
    gc(m);
    return 0;
}

static int mv_unlink(void *ud, const char *path)
{
    ds_memvfs *m = ud;
    int e = fault(m, DS_MV_UNLINK);
    if (e != 0)
        return e;
    if (table_find(&m->cur, path) == NULL)
        return -ENOENT;
    if (nsop_push(m, NS_UNLINK, path, NULL, NULL) != 0)
        return -ENOMEM;
    table_del(&m->cur, path);
    gc(m);
    return 0;
}

static int mv_fsync_dir(void *ud, const char *path)
{
    ds_memvfs *m = ud;
    int e = fault(m, DS_MV_FSYNC_DIR);
    if (e != 0)
        return e;
    if (!dir_exists(m, path, strlen(path)))
        return -ENOENT;
    if (table_copy(&m->dur, &m->cur) != 0)
        return -ENOMEM;
    nsops_clear(m);
    gc(m);
    return 0;
}

static int mv_mkdir(void *ud, const char *path)
{
    ds_memvfs *m = ud;
    int e = fault(m, DS_MV_MKDIR);
    if (e != 0)
        return e;
    if (dir_exists(m, path, strlen(path)))
        return -EEXIST;
    char *p = dup_str(path);
    if (p == NULL ||
        rc_grow((void **)&m->dirs, &m->cap_dirs, m->n_dirs + 1, sizeof(char *)) != RC_OK) {
        rc_free(p);
        return -ENOMEM;
    }
    m->dirs[m->n_dirs++] = p;
    return 0;
}

static int mv_list(void *ud, const char *path, ds_list_fn fn, void *ctx)
{
    ds_memvfs *m = ud;
    int e = fault(m, DS_MV_LIST);
    if (e != 0)
        return e;
    size_t dl = strlen(path);
    if (!dir_exists(m, path, dl))
        return -ENOENT;
    for (size_t i = 0; i < m->cur.n; i++) {
        const char *p = m->cur.v[i].path;
        if (strncmp(p, path, dl) == 0 && p[dl] == '/' && strchr(p + dl + 1, '/') == NULL)
            if (fn(ctx, p + dl + 1) != 0)
                break;
    }
    return 0;
}

static int mv_lock(void *ud, ds_file *f)
{
    (void)ud;
    if (!alive(f))
        return -EIO;
    if (f->ino->locked)
        return -EWOULDBLOCK;
    f->ino->locked = true;
    f->holds_lock = true;
    return 0;
}

/* Each operation runs under the instance's lock. */
#define MV_SERIAL(name, params, args)                  \
    static int name##_serial params                    \
    {                                                  \
        ds_memvfs *m_ = ud;                            \
        pthread_mutex_lock(&m_->mu);                   \
        int r_ = name args;                            \
        pthread_mutex_unlock(&m_->mu);                 \
        return r_;                                     \
    }
MV_SERIAL(mv_open, (void *ud, const char *path, int flags, ds_file **out), (ud, path, flags, out))
MV_SERIAL(mv_close, (void *ud, ds_file *f), (ud, f))
MV_SERIAL(mv_pread, (void *ud, ds_file *f, void *buf, size_t len, uint64_t off, size_t *got),
          (ud, f, buf, len, off, got))
MV_SERIAL(mv_pwrite, (void *ud, ds_file *f, const void *buf, size_t len, uint64_t off),
          (ud, f, buf, len, off))
MV_SERIAL(mv_fsync, (void *ud, ds_file *f), (ud, f))
MV_SERIAL(mv_truncate, (void *ud, ds_file *f, uint64_t size), (ud, f, size))
MV_SERIAL(mv_allocate, (void *ud, ds_file *f, uint64_t size), (ud, f, size))
MV_SERIAL(mv_size, (void *ud, ds_file *f, uint64_t *size), (ud, f, size))
MV_SERIAL(mv_rename, (void *ud, const char *from, const char *to), (ud, from, to))
MV_SERIAL(mv_unlink, (void *ud, const char *path), (ud, path))
MV_SERIAL(mv_fsync_dir, (void *ud, const char *path), (ud, path))
MV_SERIAL(mv_mkdir, (void *ud, const char *path), (ud, path))
MV_SERIAL(mv_list, (void *ud, const char *path, ds_list_fn fn, void *ctx), (ud, path, fn, ctx))
MV_SERIAL(mv_lock, (void *ud, ds_file *f), (ud, f))
#undef MV_SERIAL

static const ds_vfs_ops mem_ops = {
    .open = mv_open_serial, .close = mv_close_serial, .pread = mv_pread_serial,
    .pwrite = mv_pwrite_serial, .fsync = mv_fsync_serial, .truncate = mv_truncate_serial,
    .allocate = mv_allocate_serial, .size = mv_size_serial, .rename = mv_rename_serial,
    .unlink = mv_unlink_serial, .fsync_dir = mv_fsync_dir_serial, .mkdir = mv_mkdir_serial,
    .list = mv_list_serial, .lock = mv_lock_serial,
};

/* ---- the test controls ---- */

int ds_memvfs_new(ds_memvfs **out, uint64_t seed)
{
    *out = rc_calloc(1, sizeof(ds_memvfs));
    if (*out == NULL)
        return RC_ERR_NOMEM;
    (*out)->rng = seed;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    int rc = pthread_mutex_init(&(*out)->mu, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0) {
        rc_free(*out);
        *out = NULL;
        return RC_ERR_NOMEM;
    }
    return RC_OK;
}

void ds_memvfs_free(ds_memvfs *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_inodes; i++)
        inode_free(m->inodes[i]);
    rc_free(m->inodes);
    table_clear(&m->cur);
    table_clear(&m->dur);
    rc_free(m->cur.v);
    rc_free(m->dur.v);
    nsops_clear(m);
    rc_free(m->nsops);
    for (size_t i = 0; i < m->n_dirs; i++)
        rc_free(m->dirs[i]);
    rc_free(m->dirs);
    pthread_mutex_destroy(&m->mu);
    rc_free(m);
}

ds_vfs ds_memvfs_vfs(ds_memvfs *m)
{
    return (ds_vfs){&mem_ops, m};
}

void ds_memvfs_inject(ds_memvfs *m, ds_memvfs_op op, uint64_t n, int err)
{
    pthread_mutex_lock(&m->mu);
    m->fail_at[op] = n == 0 ? 0 : m->calls[op] + n;
    m->fail_err[op] = err;
    pthread_mutex_unlock(&m->mu);
}

uint64_t ds_memvfs_calls(const ds_memvfs *m, ds_memvfs_op op)
{
    return m->calls[op];
}

void ds_memvfs_crash(ds_memvfs *m)
{
    pthread_mutex_lock(&m->mu);
    m->gen++;
    for (size_t i = 0; i < m->n_inodes; i++)
        m->inodes[i]->locked = false;
    pthread_mutex_unlock(&m->mu);
}

/* The contents a file has after a power cut: its durable contents plus a random prefix of the
 * operations since, the first dropped write possibly torn. */
static void inode_cut(ds_memvfs *m, mv_inode *ino)
{
    size_t keep = ino->n_ops == 0 ? 0 : (size_t)(rnd(m) % (ino->n_ops + 1));
    mv_data d = {0};
    if (data_copy(&d, &ino->dur) != 0)
        return; /* out of memory: keep everything (still a possible outcome) */
    for (size_t i = 0; i <= keep && i < ino->n_ops; i++) {
        const mv_op *op = &ino->ops[i];
        size_t len = op->len;
        if (i == keep) { /* the first dropped operation: a write may land torn */
            if (op->kind != MV_WRITE || len == 0 || rnd(m) % 2 == 0)
                break;
            len = (size_t)(rnd(m) % len);
        }
        if (op->kind == MV_WRITE)
            data_write(&d, op->off, op->data, len);
        else
            data_resize(&d, op->off, op->kind == MV_TRUNCATE);
    }
    rc_free(ino->cur.v);
    ino->cur = d;
    data_copy(&ino->dur, &d);
    ops_clear(ino);
}

void ds_memvfs_power_cut(ds_memvfs *m, uint64_t seed)
{
    pthread_mutex_lock(&m->mu);
    m->rng ^= seed * 0x2545F4914F6CDD1Dull + 1;
    ds_memvfs_crash(m);
    /* names: the durable table plus a random prefix of the name operations since */
    size_t keep = m->n_nsops == 0 ? 0 : (size_t)(rnd(m) % (m->n_nsops + 1));
    for (size_t i = 0; i < keep; i++)
        nsop_apply(&m->dur, &m->nsops[i]);
    table_copy(&m->cur, &m->dur);
    nsops_clear(m);
    for (size_t i = 0; i < m->n_inodes; i++)
        inode_cut(m, m->inodes[i]);
    gc(m);
    pthread_mutex_unlock(&m->mu);
}

int ds_memvfs_flip(ds_memvfs *m, const char *path, uint64_t off)
{
    mv_name *n = table_find(&m->cur, path);
    if (n == NULL)
        return RC_ERR_NOT_FOUND;
    mv_inode *ino = n->ino;
    if (off >= ino->cur.size)
        return RC_ERR_INVALID;
    uint8_t b = 0;
    if (off < ino->cur.len)
        b = ino->cur.v[off];
    b ^= 1;
    if (data_write(&ino->cur, off, &b, 1) != 0)
        return RC_ERR_NOMEM;
    if (off < ino->dur.size)
        data_write(&ino->dur, off, &b, 1);
    return RC_OK;
}

int64_t ds_memvfs_file_size(ds_memvfs *m, const char *path)
{
    mv_name *n = table_find(&m->cur, path);
    return n == NULL ? -1 : (int64_t)n->ino->cur.size;
}
