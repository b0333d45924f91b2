/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wal.c: the segmented write-ahead log (see wal.h): opening and checking, appends with
 * segment roll-over, flush and fsync, purge.
 */
#include "wal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define SEG_NAME_MAX 64
/* Bytes of a segment's start records: header (20), HardState (24), snapshot marker (17). */
#define SEG_START_LEN (3 * DS_REC_HEADER_SIZE + 20 + 24 + 17)
/* Pending bytes written out (without fsync) once the buffer holds this much. */
#define WAL_FLUSH_AT ((size_t)4 << 20)

static void seg_name(char *out, uint64_t seq)
{
    snprintf(out, SEG_NAME_MAX, "wal-%016" PRIx64 ".log", seq);
}

static bool parse_seg_name(const char *name, uint64_t *seq)
{
    if (strlen(name) != 4 + 16 + 4 || memcmp(name, "wal-", 4) != 0 ||
        strcmp(name + 20, ".log") != 0)
        return false;
    uint64_t v = 0;
    for (int i = 4; i < 20; i++) {
        char c = name[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *seq = v;
    return v != 0;
}

static int seg_path(const ds_wal *w, char *out, uint64_t seq)
{
    char name[SEG_NAME_MAX];
    seg_name(name, seq);
    return ds_path(out, w->dir, name);
}

/* Records an I/O failure: the WAL is failed from now on. */
static int wal_io(ds_wal *w, int e, const char *what, const char *path)
{
    w->failed = true;
    return ds_errf(w->err, ds_io_code(e), "%s %s: %s", what, path, ds_errno_text(e));
}

static int wal_check(const ds_wal *w)
{
    return w->failed ? RC_ERR_FAILED : RC_OK;
}

/* ---- segment creation and roll-over ---- */

static int push_seg(ds_wal *w, uint64_t seq)
{
    int rc = rc_grow((void **)&w->segs, &w->cap_segs, w->n_segs + 1, sizeof(ds_seg));
    if (rc == RC_OK)
        w->segs[w->n_segs++] = (ds_seg){seq, 0};
    return rc;
}

/* Creates segment seq durably (temporary file, preallocation, start records, fsync, rename,
 * directory fsync) and makes it the open one. */
static int create_segment(ds_wal *w, uint64_t seq)
{
    char path[DS_PATH_MAX], tmp[DS_PATH_MAX], name[SEG_NAME_MAX + 4];
    seg_name(name, seq);
    strcat(name, ".tmp");
    if (seg_path(w, path, seq) != RC_OK || ds_path(tmp, w->dir, name) != RC_OK)
        return ds_errf(w->err, RC_ERR_TOO_LARGE, "path too long in %s", w->dir);
    ds_buf b = {0};
    int rc = ds_rec_put_header(&b, seq);
    if (rc == RC_OK)
        rc = ds_rec_put_hard_state(&b, &w->hs);
    if (rc == RC_OK)
        rc = ds_rec_put_snapshot(&b, w->snap_index, w->snap_term, DS_SNAP_KEEP);
    if (rc == RC_OK)
        rc = push_seg(w, seq);
    if (rc != RC_OK) {
        ds_buf_free(&b);
        return ds_errf(w->err, rc, "out of memory creating a WAL segment");
    }
    ds_vfs v = w->vfs;
    ds_file *f = NULL;
    const char *what = "create";
    v.ops->unlink(v.ud, tmp);
    int e = v.ops->open(v.ud, tmp, DS_OPEN_CREATE | DS_OPEN_EXCL, &f);
    if (e == 0)
        what = "preallocate", e = v.ops->allocate(v.ud, f, w->segment_size);
    if (e == 0)
        what = "write", e = v.ops->pwrite(v.ud, f, b.v, b.len, 0);
    if (e == 0)
        what = "fsync", e = v.ops->fsync(v.ud, f);
    if (e == 0)
        what = "rename", e = v.ops->rename(v.ud, tmp, path);
    if (e != 0) {
        w->n_segs--;
        if (f != NULL)
            v.ops->close(v.ud, f);
        v.ops->unlink(v.ud, tmp);
        ds_buf_free(&b);
        return wal_io(w, e, what, tmp);
    }
    e = v.ops->fsync_dir(v.ud, w->dir);
    if (e != 0) {
        v.ops->close(v.ud, f);
        ds_buf_free(&b);
        return wal_io(w, e, "fsync directory", w->dir);
    }
    w->f = f;
    w->off = b.len;
    w->written += b.len;
    w->unsynced = false;
    ds_buf_free(&b);
    return RC_OK;
}

/* Writes out the first n pending bytes. */
static int write_pending(ds_wal *w, size_t n)
{
    if (n == 0)
        return RC_OK;
    int e = w->vfs.ops->pwrite(w->vfs.ud, w->f, w->pending.v, n, w->off);
    if (e != 0) {
        char path[DS_PATH_MAX];
        seg_path(w, path, w->segs[w->n_segs - 1].seq);
        return wal_io(w, e, "write", path);
    }
    w->off += n;
    w->written += n;
    w->unsynced = true;
    memmove(w->pending.v, w->pending.v + n, w->pending.len - n);
    w->pending.len -= n;
    return RC_OK;
}

/* Closes the full segment (cut to its used length, fsynced) and starts the next one. The
 * first `keep` pending bytes belong to the old segment; the rest move to the new one. */
static int roll(ds_wal *w, size_t keep)
{
    char path[DS_PATH_MAX];
    seg_path(w, path, w->segs[w->n_segs - 1].seq);
    int rc = write_pending(w, keep);
    if (rc != RC_OK)
        return rc;
    ds_vfs v = w->vfs;
    int e = v.ops->truncate(v.ud, w->f, w->off);
    if (e != 0)
        return wal_io(w, e, "truncate", path);
    if ((e = v.ops->fsync(v.ud, w->f)) != 0)
        return wal_io(w, e, "fsync", path);
    v.ops->close(v.ud, w->f);
    w->f = NULL;
    return create_segment(w, w->segs[w->n_segs - 1].seq + 1);
}

/* After a record was encoded at pending[before..len): rolls over first when it does not fit
 * in the segment (unless the segment holds nothing else), notes its largest entry index, and
 * writes the buffer out once it is large. */
static int wal_added(ds_wal *w, size_t before, uint64_t max_index)
{
    int rc = RC_OK;
    bool has_records = w->off + before > SEG_START_LEN;
    if (w->off + w->pending.len > w->segment_size && has_records)
        rc = roll(w, before);
    if (rc != RC_OK)
        return rc;
    ds_seg *s = &w->segs[w->n_segs - 1];
    if (max_index > s->max_index)
        s->max_index = max_index;
    if (w->pending.len >= WAL_FLUSH_AT)
        rc = write_pending(w, w->pending.len);
    return rc;
}

int ds_wal_append_entries(ds_wal *w, const rc_entry *ents, size_t n)
{
    int rc = wal_check(w);
    if (rc != RC_OK || n == 0)
        return rc;
    size_t before = w->pending.len;
    rc = ds_rec_put_entries(&w->pending, ents, n);
    if (rc != RC_OK)
        return rc;
    return wal_added(w, before, ents[n - 1].index);
}

int ds_wal_set_hard_state(ds_wal *w, const rc_hard_state *hs)
{
    int rc = wal_check(w);
    if (rc != RC_OK)
        return rc;
    size_t before = w->pending.len;
    rc = ds_rec_put_hard_state(&w->pending, hs);
    if (rc == RC_OK)
        rc = wal_added(w, before, 0);
    if (rc == RC_OK)
        w->hs = *hs;
    return rc;
}

int ds_wal_mark_snapshot(ds_wal *w, uint64_t index, uint64_t term, int kind)
{
    int rc = wal_check(w);
    if (rc != RC_OK)
        return rc;
    size_t before = w->pending.len;
    rc = ds_rec_put_snapshot(&w->pending, index, term, kind);
    if (rc == RC_OK)
        rc = wal_added(w, before, 0);
    if (rc == RC_OK) {
        w->snap_index = index;
        w->snap_term = term;
    }
    return rc;
}

int ds_wal_flush(ds_wal *w)
{
    int rc = wal_check(w);
    return rc != RC_OK ? rc : write_pending(w, w->pending.len);
}

int ds_wal_sync(ds_wal *w)
{
    int rc = ds_wal_flush(w);
    if (rc != RC_OK || !w->unsynced)
        return rc;
    int e = w->vfs.ops->fsync(w->vfs.ud, w->f);
    if (e != 0) {
        char path[DS_PATH_MAX];
        seg_path(w, path, w->segs[w->n_segs - 1].seq);
        return wal_io(w, e, "fsync", path);
    }
    w->unsynced = false;
    return RC_OK;
}

int ds_wal_purge(ds_wal *w, uint64_t index)
{
    int rc = wal_check(w);
    if (rc != RC_OK)
        return rc;
    size_t k = 0;
    uint64_t prefix_max = 0;
    while (k + 1 < w->n_segs) {
        if (w->segs[k].max_index > prefix_max)
            prefix_max = w->segs[k].max_index;
        if (prefix_max > index)
            break;
        k++;
    }
    if (k == 0)
        return RC_OK;
    char path[DS_PATH_MAX];
    for (size_t i = 0; i < k; i++) {
        seg_path(w, path, w->segs[i].seq);
        int e = w->vfs.ops->unlink(w->vfs.ud, path);
        if (e != 0 && e != -ENOENT) {
            memmove(w->segs, w->segs + i, (w->n_segs - i) * sizeof(ds_seg));
            w->n_segs -= i;
            return wal_io(w, e, "unlink", path);
        }
    }
    memmove(w->segs, w->segs + k, (w->n_segs - k) * sizeof(ds_seg));
    w->n_segs -= k;
    int e = w->vfs.ops->fsync_dir(w->vfs.ud, w->dir);
    return e == 0 ? RC_OK : wal_io(w, e, "fsync directory", w->dir);
}

/* ---- opening: listing, checking, tail repair ---- */

typedef struct listing {
    uint64_t *seqs;
    size_t n, cap;
    char **tmps; /* leftover temporary files to remove */
    size_t n_tmps, cap_tmps;
    int rc;
} listing;

static int list_one(void *ctx, const char *name)
{
    listing *l = ctx;
    uint64_t seq;
    size_t len = strlen(name);
    if (parse_seg_name(name, &seq)) {
        if ((l->rc = rc_grow((void **)&l->seqs, &l->cap, l->n + 1, sizeof(uint64_t))) != RC_OK)
            return 1;
        l->seqs[l->n++] = seq;
    } else if (len > 4 && strcmp(name + len - 4, ".tmp") == 0) {
        char *copy = rc_malloc(len + 1);
        if (copy == NULL ||
            (l->rc = rc_grow((void **)&l->tmps, &l->cap_tmps, l->n_tmps + 1, sizeof(char *))) !=
                RC_OK) {
            rc_free(copy);
            l->rc = RC_ERR_NOMEM;
            return 1;
        }
        memcpy(copy, name, len + 1);
        l->tmps[l->n_tmps++] = copy;
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void listing_free(listing *l)
{
    for (size_t i = 0; i < l->n_tmps; i++)
        rc_free(l->tmps[i]);
    rc_free(l->tmps);
    rc_free(l->seqs);
}

/* Whether a bad record at `at` has a plausible length and an intact record right after it. */
static bool next_is_intact(const uint8_t *buf, size_t len, size_t at)
{
    if (len - at < DS_REC_HEADER_SIZE)
        return false;
    uint64_t plen = (uint64_t)buf[at + 4] | (uint64_t)buf[at + 5] << 8 |
                    (uint64_t)buf[at + 6] << 16 | (uint64_t)buf[at + 7] << 24;
    if (plen > len - at - DS_REC_HEADER_SIZE)
        return false;
    size_t off = at + DS_REC_HEADER_SIZE + (size_t)plen;
    ds_rec r;
    return ds_rec_next(buf, len, &off, &r) == DS_NEXT_OK;
}

/* Checks the records of one segment's bytes: updates the WAL's state (HardState, markers,
 * the segment's max index) and sets *end to where valid data ends. */
static int check_segment(ds_wal *w, size_t k, const uint8_t *buf, size_t len, const char *path,
                         size_t *end, char *err)
{
    size_t off = 0;
    ds_rec r;
    int nx = ds_rec_next(buf, len, &off, &r);
    uint64_t seq = 0;
    if (nx != DS_NEXT_OK || ds_rec_header(&r, &seq) != RC_OK || seq != w->segs[k].seq)
        return ds_errf(err, RC_ERR_CORRUPT, "corrupt WAL: %s has no valid header (offset 0)",
                       path);
    for (;;) {
        size_t at = off;
        nx = ds_rec_next(buf, len, &off, &r);
        if (nx != DS_NEXT_OK) {
            *end = at;
            /* In the last segment a bad record is a torn tail (a crash during the write), cut
             * off, unless the record after it is intact: then bits changed inside the log. */
            if (k + 1 == w->n_segs && !(nx == DS_NEXT_BAD && next_is_intact(buf, len, at)))
                return RC_OK;
            if (nx == DS_NEXT_END && ds_all_zero(buf + at, len - at))
                return RC_OK;
            return ds_errf(err, RC_ERR_CORRUPT, "corrupt WAL: bad record in %s at offset %zu",
                           path, at);
        }
        int rc = RC_OK;
        if (r.type == DS_REC_ENTRIES) {
            ds_ents_iter it;
            uint64_t first;
            uint32_t count;
            rc = ds_rec_entries_begin(&r, &it, &first, &count);
            rc_entry e;
            int more;
            while (rc == RC_OK && (more = ds_rec_entries_next(&it, &e)) != 0)
                rc = more < 0 ? more : RC_OK;
            if (rc == RC_OK && first + count - 1 > w->segs[k].max_index)
                w->segs[k].max_index = first + count - 1;
        } else if (r.type == DS_REC_HARDSTATE) {
            rc = ds_rec_hard_state(&r, &w->hs);
        } else if (r.type == DS_REC_SNAPSHOT) {
            uint64_t index, term;
            int kind;
            rc = ds_rec_snapshot(&r, &index, &term, &kind);
            if (rc == RC_OK && index > w->snap_index) {
                w->snap_index = index;
                w->snap_term = term;
                w->marker_pos = (ds_pos){k, at};
                w->marker_kind = kind;
            }
        } else {
            rc = RC_ERR_DECODE; /* a second header */
        }
        if (rc != RC_OK)
            return ds_errf(err, RC_ERR_CORRUPT,
                           "corrupt WAL: malformed record in %s at offset %zu", path, at);
    }
}

/* Reads segment k whole. */
static int read_segment(ds_wal *w, size_t k, char *path, uint8_t **buf, size_t *len, char *err)
{
    if (seg_path(w, path, w->segs[k].seq) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long in %s", w->dir);
    return ds_read_file(w->vfs, path, buf, len, err);
}

/* Cuts the last segment at `end`, zero-fills it back to its preallocated size, fsyncs. */
static int repair_tail(ds_wal *w, const char *path, uint64_t end, uint64_t size, char *err)
{
    ds_vfs v = w->vfs;
    ds_file *f = NULL;
    const char *what = "open";
    int e = v.ops->open(v.ud, path, 0, &f);
    if (e == 0)
        what = "truncate", e = v.ops->truncate(v.ud, f, end);
    if (e == 0)
        what = "preallocate", e = v.ops->allocate(v.ud, f, size > w->segment_size ? size :
                                                                 w->segment_size);
    if (e == 0)
        what = "fsync", e = v.ops->fsync(v.ud, f);
    if (f != NULL)
        v.ops->close(v.ud, f);
    return e == 0 ? RC_OK
                  : ds_errf(err, ds_io_code(e), "%s %s: %s", what, path, ds_errno_text(e));
}

/* How far past the end of the valid data the last segment is read to look for a torn tail:
 * more than the buffered writes that may be in flight at a crash (WAL_FLUSH_AT). */
#define TAIL_WINDOW ((size_t)8 << 20)

/* Whether deciding where the valid data of buf[0..len) ends needs more of the file: the
 * record at end (and the one after it, for next_is_intact) or the tail window is cut off. */
static bool need_more(const uint8_t *buf, size_t len, uint64_t size, size_t end)
{
    if (len >= size)
        return false;
    if (len - end < 2 * DS_REC_HEADER_SIZE)
        return true;
    uint64_t plen = (uint64_t)buf[end + 4] | (uint64_t)buf[end + 5] << 8 |
                    (uint64_t)buf[end + 6] << 16 | (uint64_t)buf[end + 7] << 24;
    if (!ds_all_zero(buf + end, DS_REC_HEADER_SIZE) && plen < DS_REC_MAX_PAYLOAD &&
        plen + 2 * DS_REC_HEADER_SIZE > len - end)
        return true;
    return len - end < TAIL_WINDOW;
}

/* Checks the last segment, reading it in growing pieces (it is preallocated: mostly zeros);
 * cuts a torn tail off. */
static int open_last(ds_wal *w, size_t k, char *path, char *err)
{
    size_t want = (size_t)1 << 20;
    for (;;) {
        uint8_t *buf = NULL;
        size_t len = 0, end = 0;
        uint64_t size = 0;
        int rc = seg_path(w, path, w->segs[k].seq) != RC_OK
                     ? ds_errf(err, RC_ERR_TOO_LARGE, "path too long in %s", w->dir)
                     : ds_read_file_part(w->vfs, path, want, &buf, &len, &size, err);
        if (rc == RC_OK)
            rc = check_segment(w, k, buf, len, path, &end, err);
        bool more = rc == RC_OK && need_more(buf, len, size, end);
        size_t torn = 0;
        if (rc == RC_OK && !more)
            for (size_t i = end; i < len; i++)
                if (buf[i] != 0)
                    torn = i + 1 - end;
        rc_free(buf);
        if (rc != RC_OK)
            return rc;
        if (more) {
            want = want > SIZE_MAX / 4 ? SIZE_MAX : want * 4;
            continue;
        }
        w->off = end;
        if (torn > 0) {
            w->torn_bytes = torn;
            rc = repair_tail(w, path, end, size, err);
        }
        return rc;
    }
}

static int open_existing(ds_wal *w, char *err)
{
    char path[DS_PATH_MAX];
    for (size_t k = 0; k + 1 < w->n_segs; k++) {
        uint8_t *buf = NULL;
        size_t len = 0, end = 0;
        int rc = read_segment(w, k, path, &buf, &len, err);
        if (rc == RC_OK)
            rc = check_segment(w, k, buf, len, path, &end, err);
        rc_free(buf);
        if (rc != RC_OK)
            return rc;
    }
    int rc = open_last(w, w->n_segs - 1, path, err);
    if (rc != RC_OK)
        return rc;
    int e = w->vfs.ops->open(w->vfs.ud, path, 0, &w->f);
    if (e == 0)
        e = w->vfs.ops->allocate(w->vfs.ud, w->f, w->segment_size);
    return e == 0 ? RC_OK
                  : ds_errf(err, ds_io_code(e), "open %s: %s", path, ds_errno_text(e));
}

int ds_wal_open(ds_wal **out, ds_vfs vfs, const char *dir, uint64_t segment_size, char *err)
{
    *out = NULL;
    ds_wal *w = rc_calloc(1, sizeof(*w));
    size_t dl = strlen(dir);
    if (w == NULL || (w->dir = rc_malloc(dl + 1)) == NULL) {
        rc_free(w);
        return ds_errf(err, RC_ERR_NOMEM, "out of memory opening %s", dir);
    }
    memcpy(w->dir, dir, dl + 1);
    w->vfs = vfs;
    w->segment_size = segment_size;
    listing l = {0};
    int e = vfs.ops->list(vfs.ud, dir, list_one, &l);
    int rc = e != 0 ? ds_errf(err, ds_io_code(e), "list %s: %s", dir, ds_errno_text(e))
             : l.rc != RC_OK ? ds_errf(err, l.rc, "out of memory listing %s", dir)
                             : RC_OK;
    char path[DS_PATH_MAX];
    for (size_t i = 0; rc == RC_OK && i < l.n_tmps; i++)
        if (ds_path(path, dir, l.tmps[i]) == RC_OK)
            vfs.ops->unlink(vfs.ud, path); /* leftovers of an interrupted creation */
    if (rc == RC_OK && l.n > 0) {
        qsort(l.seqs, l.n, sizeof(uint64_t), cmp_u64);
        for (size_t i = 0; rc == RC_OK && i < l.n; i++) {
            if (i > 0 && l.seqs[i] != l.seqs[i - 1] + 1) {
                char name[SEG_NAME_MAX];
                seg_name(name, l.seqs[i - 1] + 1);
                rc = ds_errf(err, RC_ERR_CORRUPT, "corrupt WAL: segment %s/%s is missing", dir,
                             name);
            } else if ((rc = push_seg(w, l.seqs[i])) != RC_OK) {
                rc = ds_errf(err, rc, "out of memory opening %s", dir);
            }
        }
        if (rc == RC_OK)
            rc = open_existing(w, err);
    } else if (rc == RC_OK) {
        rc = create_segment(w, 1);
        if (rc != RC_OK)
            ds_errf(err, rc, "%s", w->err);
        else if ((e = vfs.ops->fsync_dir(vfs.ud, dir)) != 0)
            rc = ds_errf(err, ds_io_code(e), "fsync directory %s: %s", dir, ds_errno_text(e));
    }
    listing_free(&l);
    if (rc != RC_OK) {
        ds_wal_close(w);
        return rc;
    }
    *out = w;
    return RC_OK;
}

void ds_wal_close(ds_wal *w)
{
    if (w == NULL)
        return;
    if (w->f != NULL)
        w->vfs.ops->close(w->vfs.ud, w->f);
    ds_buf_free(&w->pending);
    rc_free(w->segs);
    rc_free(w->dir);
    rc_free(w);
}

int ds_wal_replay(ds_wal *w, ds_wal_replay_fn fn, void *ctx, char *err)
{
    char path[DS_PATH_MAX];
    for (size_t k = 0; k < w->n_segs; k++) {
        uint8_t *buf = NULL;
        size_t len = 0, off = 0;
        uint64_t size;
        int rc = k + 1 < w->n_segs ? read_segment(w, k, path, &buf, &len, err)
                 : seg_path(w, path, w->segs[k].seq) != RC_OK
                     ? ds_errf(err, RC_ERR_TOO_LARGE, "path too long in %s", w->dir)
                     : ds_read_file_part(w->vfs, path, (size_t)w->off, &buf, &len, &size, err);
        ds_rec r;
        while (rc == RC_OK) {
            size_t at = off;
            if (ds_rec_next(buf, len, &off, &r) != DS_NEXT_OK)
                break;
            rc = fn(ctx, &r, (ds_pos){k, at});
        }
        rc_free(buf);
        if (rc != RC_OK)
            return rc;
    }
    return RC_OK;
}
