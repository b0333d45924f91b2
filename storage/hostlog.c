/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * hostlog.c: the durable log of a multi-raft host (hostlog.h): replay into one memory storage
 * per group, buffered group records, one write + fsync per host Ready, checkpoints.
 */
#include <errno.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"
#include "host.h"
#include "hostlog.h"
#include "record.h"

#define LOG_NAME "host.log"
#define TMP_NAME "host.log.tmp"
#define LOCK_NAME "LOCK"
#define HL_MAGIC "RAFTCHST"
#define HL_VERSION 1u

typedef struct hl_group {
    uint64_t id;
    rc_memstorage *ms; /* NULL once removed */
} hl_group;

struct ds_hostlog {
    ds_vfs vfs;
    char dir[DS_PATH_MAX];
    char path[DS_PATH_MAX];
    ds_file *lock;
    ds_file *f;
    uint64_t off;         /* where the next write goes (the file's size) */
    uint64_t ckpt_size;   /* size of the last checkpoint image */
    uint64_t torn;        /* torn tail cut off on open */
    ds_buf pending;
    bool in_checkpoint;
    hl_group *groups;     /* recovered */
    size_t n_groups, cap_groups;
    rc_host_map index;    /* group id -> position + 1 in groups (during replay) */
    bool failed;
    char err[DS_ERR_MAX];
};

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int fail(ds_hostlog *l, int rc)
{
    l->failed = true;
    return rc;
}

/* ---- records ---- */

static int put_header(ds_buf *b)
{
    int rc;
    uint8_t *p = ds_rec_group_begin(b, 0, DS_HL_HEADER, 12, &rc);
    if (p == NULL)
        return rc;
    memcpy(p, HL_MAGIC, 8);
    put_u32(p + 8, HL_VERSION);
    ds_rec_group_end(b, 12);
    return RC_OK;
}

/* Appends a record whose body is the heap buffer (buf, len) (freed here). */
static int put_owned(ds_hostlog *l, uint64_t group, int kind, uint8_t *buf, size_t len, int rc)
{
    if (rc == RC_OK) {
        uint8_t *p = ds_rec_group_begin(&l->pending, group, kind, len, &rc);
        if (p != NULL) {
            if (len > 0)
                memcpy(p, buf, len);
            ds_rec_group_end(&l->pending, len);
        }
    }
    rc_free(buf);
    return rc;
}

int ds_hostlog_put_snapshot(ds_hostlog *l, uint64_t group, const rc_snapshot *s, bool keep)
{
    if (l->failed)
        return RC_ERR_FAILED;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = rc_encode_snapshot(&buf, &len, s);
    return put_owned(l, group, keep ? DS_HL_SNAPSHOT_KEEP : DS_HL_SNAPSHOT, buf, len, rc);
}

int ds_hostlog_put_hard_state(ds_hostlog *l, uint64_t group, const rc_hard_state *hs)
{
    if (l->failed)
        return RC_ERR_FAILED;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = rc_encode_hard_state(&buf, &len, hs);
    return put_owned(l, group, DS_HL_HARDSTATE, buf, len, rc);
}

int ds_hostlog_put_remove(ds_hostlog *l, uint64_t group)
{
    if (l->failed)
        return RC_ERR_FAILED;
    return put_owned(l, group, DS_HL_REMOVE, NULL, 0, RC_OK);
}

int ds_hostlog_put_entries(ds_hostlog *l, uint64_t group, const rc_entry *ents, size_t n)
{
    if (l->failed)
        return RC_ERR_FAILED;
    if (n > UINT32_MAX)
        return RC_ERR_TOO_LARGE;
    size_t body = 4;
    for (size_t i = 0; i < n; i++) {
        size_t sz = rc_entry_encoded_size(&ents[i]);
        if (sz > UINT32_MAX || body > DS_REC_MAX_PAYLOAD)
            return RC_ERR_TOO_LARGE;
        body += 4 + sz;
    }
    int rc;
    uint8_t *p = ds_rec_group_begin(&l->pending, group, DS_HL_ENTRIES, body, &rc);
    if (p == NULL)
        return rc;
    put_u32(p, (uint32_t)n);
    p += 4;
    for (size_t i = 0; i < n; i++) {
        put_u32(p, (uint32_t)rc_entry_encoded_size(&ents[i]));
        p = rc_encode_entry_to(p + 4, &ents[i]);
    }
    ds_rec_group_end(&l->pending, body);
    return RC_OK;
}

int ds_hostlog_write(ds_hostlog *l, bool sync)
{
    if (l->failed)
        return RC_ERR_FAILED;
    if (l->pending.len > 0) {
        int e = l->vfs.ops->pwrite(l->vfs.ud, l->f, l->pending.v, l->pending.len, l->off);
        if (e != 0)
            return fail(l, ds_errf(l->err, ds_io_code(e), "write %s: %s", l->path,
                                   ds_errno_text(e)));
        l->off += l->pending.len;
        l->pending.len = 0;
    } else if (!sync) {
        return RC_OK;
    }
    if (sync) {
        int e = l->vfs.ops->fsync(l->vfs.ud, l->f);
        if (e != 0)
            return fail(l, ds_errf(l->err, ds_io_code(e), "fsync %s: %s", l->path,
                                   ds_errno_text(e)));
    }
    return RC_OK;
}

/* ---- checkpoints ---- */

int ds_hostlog_checkpoint_begin(ds_hostlog *l)
{
    if (l->failed)
        return RC_ERR_FAILED;
    l->pending.len = 0;
    l->in_checkpoint = true;
    return put_header(&l->pending);
}

void ds_hostlog_checkpoint_abort(ds_hostlog *l)
{
    l->in_checkpoint = false;
    l->pending.len = 0;
}

int ds_hostlog_checkpoint_end(ds_hostlog *l)
{
    if (l->failed)
        return RC_ERR_FAILED;
    l->in_checkpoint = false;
    int rc = ds_write_atomic(l->vfs, l->dir, LOG_NAME, l->pending.v, l->pending.len, l->err);
    if (rc != RC_OK)
        return fail(l, rc);
    l->vfs.ops->close(l->vfs.ud, l->f);
    l->f = NULL;
    int e = l->vfs.ops->open(l->vfs.ud, l->path, 0, &l->f);
    if (e != 0)
        return fail(l, ds_errf(l->err, ds_io_code(e), "open %s: %s", l->path, ds_errno_text(e)));
    l->off = l->ckpt_size = l->pending.len;
    l->pending.len = 0;
    return RC_OK;
}

/* ---- replay ---- */

static rc_memstorage *group_storage(ds_hostlog *l, uint64_t id, int *rc)
{
    uintptr_t at = (uintptr_t)rc_host_map_get(&l->index, id);
    if (at != 0 && l->groups[at - 1].ms != NULL)
        return l->groups[at - 1].ms;
    if (at == 0) {
        *rc = rc_grow((void **)&l->groups, &l->cap_groups, l->n_groups + 1, sizeof(hl_group));
        if (*rc != RC_OK)
            return NULL;
        at = ++l->n_groups;
        l->groups[at - 1] = (hl_group){id, NULL};
        *rc = rc_host_map_put(&l->index, id, (void *)at);
        if (*rc != RC_OK) {
            l->n_groups--;
            return NULL;
        }
    }
    *rc = rc_memstorage_new(&l->groups[at - 1].ms);
    return *rc == RC_OK ? l->groups[at - 1].ms : NULL;
}

static int apply_entries(rc_memstorage *ms, const uint8_t *p, size_t n)
{
    if (n < 4)
        return RC_ERR_DECODE;
    uint32_t count = get_u32(p);
    const uint8_t *end = p + n;
    p += 4;
    rc_entries es = {0};
    int rc = rc_grow((void **)&es.v, &es.cap, count ? count : 1, sizeof(rc_entry));
    for (uint32_t i = 0; rc == RC_OK && i < count; i++) {
        if (end - p < 4 || get_u32(p) > (size_t)(end - p - 4)) {
            rc = RC_ERR_DECODE;
            break;
        }
        uint32_t len = get_u32(p);
        rc = rc_decode_entry(&es.v[es.n], p + 4, len);
        if (rc == RC_OK)
            es.n++;
        p += 4 + len;
    }
    if (rc == RC_OK && p != end)
        rc = RC_ERR_DECODE;
    for (size_t i = 1; rc == RC_OK && i < es.n; i++)
        if (es.v[i].index != es.v[i - 1].index + 1)
            rc = RC_ERR_DECODE;
    if (rc == RC_OK && es.n > 0)
        rc = rc_memstorage_append(ms, es.v, es.n);
    rc_entries_free(&es);
    return rc;
}

static int apply_snapshot(rc_memstorage *ms, const uint8_t *p, size_t n, bool keep)
{
    rc_snapshot s = {0};
    int rc = rc_decode_snapshot(&s, p, n);
    if (rc != RC_OK)
        return rc;
    rc_snapshot cur = {0};
    rc = rc_memstorage_snapshot(ms, &cur);
    uint64_t cur_index = cur.metadata.index;
    rc_snapshot_free(&cur);
    if (rc == RC_OK && s.metadata.index > cur_index) {
        if (!keep) {
            rc = rc_memstorage_apply_snapshot(ms, &s);
        } else {
            rc = rc_memstorage_create_snapshot(ms, s.metadata.index, &s.metadata.conf_state,
                                               s.data.data, s.data.len, NULL);
            if (rc == RC_OK && s.metadata.index >= rc_memstorage_first_index(ms))
                rc = rc_memstorage_compact(ms, s.metadata.index);
        }
    }
    rc_snapshot_free(&s);
    return rc;
}

static int apply_record(ds_hostlog *l, uint64_t group, int kind, const uint8_t *body,
                        size_t n)
{
    if (group == 0 || kind == DS_HL_HEADER || kind > DS_HL_REMOVE)
        return RC_ERR_DECODE;
    int rc = RC_OK;
    if (kind == DS_HL_REMOVE) {
        uintptr_t at = (uintptr_t)rc_host_map_get(&l->index, group);
        if (at != 0) {
            rc_memstorage_free(l->groups[at - 1].ms);
            l->groups[at - 1].ms = NULL;
        }
        return RC_OK;
    }
    rc_memstorage *ms = group_storage(l, group, &rc);
    if (ms == NULL)
        return rc;
    switch (kind) {
    case DS_HL_SNAPSHOT:
    case DS_HL_SNAPSHOT_KEEP:
        return apply_snapshot(ms, body, n, kind == DS_HL_SNAPSHOT_KEEP);
    case DS_HL_ENTRIES:
        return apply_entries(ms, body, n);
    default: {
        rc_hard_state hs;
        rc = rc_decode_hard_state(&hs, body, n);
        return rc == RC_OK ? rc_memstorage_set_hard_state(ms, &hs) : rc;
    }
    }
}

/* A snapshot is committed: its HardState's commit is at least its index. A commit past the
 * last entry means the log lost entries. */
static int check_groups(ds_hostlog *l, char *err)
{
    size_t keep = 0;
    for (size_t i = 0; i < l->n_groups; i++) {
        hl_group g = l->groups[i];
        if (g.ms == NULL)
            continue;
        rc_hard_state hs;
        rc_conf_state cs = {0};
        int rc = rc_memstorage_initial_state(g.ms, &hs, &cs);
        rc_conf_state_free(&cs);
        if (rc != RC_OK)
            return ds_errf(err, rc, "out of memory recovering %s", l->path);
        uint64_t first = rc_memstorage_first_index(g.ms);
        if (hs.commit < first - 1) {
            hs.commit = first - 1;
            rc_memstorage_set_hard_state(g.ms, &hs);
        }
        uint64_t last = rc_memstorage_last_index(g.ms);
        if (hs.commit > last)
            return ds_errf(err, RC_ERR_CORRUPT,
                           "corrupt host log %s: group %llu's HardState commit %llu is past its "
                           "last index %llu",
                           l->path, (unsigned long long)g.id, (unsigned long long)hs.commit,
                           (unsigned long long)last);
        l->groups[keep++] = g;
    }
    l->n_groups = keep;
    rc_host_map_free(&l->index);
    return RC_OK;
}

/* Whether an intact record starts anywhere in buf after offset at. */
static bool intact_after(const uint8_t *buf, size_t len, size_t at)
{
    for (size_t o = at + 1; o + DS_REC_HEADER_SIZE <= len; o++) {
        size_t off = o;
        ds_rec r;
        if (buf[o + 8] == DS_REC_GROUP && ds_rec_next(buf, len, &off, &r) == DS_NEXT_OK)
            return true;
    }
    return false;
}

/* Replays buf[0..len); *valid gets the length of its intact prefix (a torn tail follows). */
static int replay(ds_hostlog *l, const uint8_t *buf, size_t len, size_t *valid, char *err)
{
    size_t off = 0;
    bool header = false;
    for (;;) {
        size_t at = off;
        ds_rec r;
        int nx = ds_rec_next(buf, len, &off, &r);
        if (nx != DS_NEXT_OK) {
            *valid = at;
            if (at >= len || ds_all_zero(buf + at, len - at))
                return RC_OK;
            /* A torn write leaves a prefix of its records: nothing intact after the bad one.
             * An intact record after it means damage inside the log. */
            if (!intact_after(buf, len, at))
                return RC_OK;
            return ds_errf(err, RC_ERR_CORRUPT, "corrupt host log %s: bad record at offset %zu",
                           l->path, at);
        }
        uint64_t group;
        int kind;
        const uint8_t *body;
        size_t n;
        int rc = ds_rec_group(&r, &group, &kind, &body, &n);
        if (rc == RC_OK && !header) {
            if (group != 0 || kind != DS_HL_HEADER || n != 12 || memcmp(body, HL_MAGIC, 8) != 0)
                return ds_errf(err, RC_ERR_CORRUPT, "%s is not a raftc host log", l->path);
            if (get_u32(body + 8) != HL_VERSION)
                return ds_errf(err, RC_ERR_CORRUPT, "%s: unsupported host log version %u",
                               l->path, get_u32(body + 8));
            header = true;
            continue;
        }
        if (rc == RC_OK)
            rc = apply_record(l, group, kind, body, n);
        if (rc == RC_ERR_NOMEM)
            return ds_errf(err, rc, "out of memory replaying %s", l->path);
        if (rc != RC_OK)
            return ds_errf(err, RC_ERR_CORRUPT,
                           "corrupt host log %s: record at offset %zu (group %llu, kind %d) "
                           "cannot be applied (error %d)",
                           l->path, at, (unsigned long long)group, kind, rc);
    }
}

/* ---- open / close ---- */

static int open_files(ds_hostlog *l, char *err)
{
    ds_vfs v = l->vfs;
    char path[DS_PATH_MAX];
    int e = v.ops->mkdir(v.ud, l->dir);
    if (e != 0 && e != -EEXIST)
        return ds_errf(err, ds_io_code(e), "create directory %s: %s", l->dir, ds_errno_text(e));
    if (ds_path(path, l->dir, LOCK_NAME) != RC_OK || ds_path(l->path, l->dir, LOG_NAME) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long: %s", l->dir);
    e = v.ops->open(v.ud, path, DS_OPEN_CREATE, &l->lock);
    if (e == 0) {
        e = v.ops->lock(v.ud, l->lock);
        if (e == -EWOULDBLOCK)
            return ds_errf(err, RC_ERR_LOCKED, "host log directory %s is locked by another "
                                               "process", l->dir);
    }
    if (e != 0)
        return ds_errf(err, ds_io_code(e), "lock %s: %s", path, ds_errno_text(e));
    if (ds_path(path, l->dir, TMP_NAME) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long: %s", l->dir);
    e = v.ops->unlink(v.ud, path); /* an interrupted checkpoint */
    if (e != 0 && e != -ENOENT)
        return ds_errf(err, ds_io_code(e), "remove %s: %s", path, ds_errno_text(e));
    e = v.ops->open(v.ud, l->path, DS_OPEN_CREATE, &l->f);
    if (e != 0)
        return ds_errf(err, ds_io_code(e), "open %s: %s", l->path, ds_errno_text(e));
    return RC_OK;
}

/* Whether buf[0..len) is a strict prefix of the header record (a new log torn while its header
 * was written); anything else without a valid header is not a host log. */
static bool is_header_prefix(const uint8_t *buf, size_t len)
{
    ds_buf h = {0};
    bool prefix = put_header(&h) == RC_OK && len < h.len && memcmp(buf, h.v, len) == 0;
    ds_buf_free(&h);
    return prefix;
}

static int recover(ds_hostlog *l, char *err)
{
    uint8_t *buf = NULL;
    size_t len = 0, valid = 0;
    int rc = ds_read_file(l->vfs, l->path, &buf, &len, err);
    if (rc == RC_OK)
        rc = replay(l, buf, len, &valid, err);
    if (rc == RC_OK && valid == 0 && len > 0 && !is_header_prefix(buf, len))
        rc = ds_errf(err, RC_ERR_CORRUPT, "%s is not a raftc host log", l->path);
    rc_free(buf);
    if (rc == RC_OK)
        rc = check_groups(l, err);
    if (rc != RC_OK)
        return rc;
    ds_vfs v = l->vfs;
    int e = 0;
    if (valid < len) { /* cut the torn tail */
        l->torn = len - valid;
        e = v.ops->truncate(v.ud, l->f, valid);
        if (e == 0)
            e = v.ops->fsync(v.ud, l->f);
        if (e != 0)
            return ds_errf(err, ds_io_code(e), "cut the torn tail of %s: %s", l->path,
                           ds_errno_text(e));
    }
    l->off = valid;
    if (valid == 0) { /* a new log (or a torn header): write the header durably */
        rc = put_header(&l->pending);
        if (rc == RC_OK)
            rc = ds_hostlog_write(l, true);
        if (rc != RC_OK)
            return ds_errf(err, rc, "%s", l->err);
        e = v.ops->fsync_dir(v.ud, l->dir);
        if (e != 0)
            return ds_errf(err, ds_io_code(e), "fsync %s: %s", l->dir, ds_errno_text(e));
    }
    return RC_OK;
}

int ds_hostlog_open(ds_hostlog **out, ds_vfs vfs, const char *dir, char *err)
{
    *out = NULL;
    if (err != NULL)
        err[0] = 0;
    if (dir == NULL || dir[0] == 0)
        return ds_errf(err, RC_ERR_INVALID, "invalid host log directory");
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl >= DS_PATH_MAX - 64)
        return ds_errf(err, RC_ERR_TOO_LARGE, "directory path too long");
    ds_hostlog *l = rc_calloc(1, sizeof(*l));
    if (l == NULL)
        return ds_errf(err, RC_ERR_NOMEM, "out of memory");
    memcpy(l->dir, dir, dl);
    l->dir[dl] = 0;
    l->vfs = vfs;
    int rc = open_files(l, err);
    if (rc == RC_OK)
        rc = recover(l, err);
    if (rc != RC_OK) {
        l->failed = true;
        ds_hostlog_close(l);
        return rc;
    }
    *out = l;
    return RC_OK;
}

void ds_hostlog_free_recovered(ds_hostlog *l)
{
    for (size_t i = 0; i < l->n_groups; i++)
        rc_memstorage_free(l->groups[i].ms);
    rc_free(l->groups);
    l->groups = NULL;
    l->n_groups = l->cap_groups = 0;
    rc_host_map_free(&l->index);
}

void ds_hostlog_close(ds_hostlog *l)
{
    if (l == NULL)
        return;
    ds_hostlog_free_recovered(l);
    if (l->f != NULL)
        l->vfs.ops->close(l->vfs.ud, l->f);
    if (l->lock != NULL)
        l->vfs.ops->close(l->vfs.ud, l->lock);
    ds_buf_free(&l->pending);
    rc_free(l);
}

size_t ds_hostlog_recovered_count(const ds_hostlog *l)
{
    return l->n_groups;
}

void ds_hostlog_recovered(const ds_hostlog *l, size_t i, uint64_t *group, rc_memstorage **ms)
{
    *group = l->groups[i].id;
    *ms = l->groups[i].ms;
}

uint64_t ds_hostlog_size(const ds_hostlog *l)
{
    return l->off;
}

uint64_t ds_hostlog_checkpoint_size(const ds_hostlog *l)
{
    return l->ckpt_size;
}

uint64_t ds_hostlog_torn_bytes(const ds_hostlog *l)
{
    return l->torn;
}

bool ds_hostlog_failed(const ds_hostlog *l)
{
    return l->failed;
}

const char *ds_hostlog_error(const ds_hostlog *l)
{
    return l->err;
}
