/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * diskstorage.c: the disk storage (see diskstorage.h): opening and recovery, the durable
 * writes, the raft-facing view.
 *
 * Recovery replays the WAL into a fresh mirror. The newest snapshot marker (index S, first
 * recorded at position P) names the snapshot file loaded first; then, in log order: entry
 * records are appended (entries at or below S are ignored as compacted), except that when the
 * marker at P replaced the log (DS_SNAP_REPLACE) the entries written before P are skipped; a
 * record whose entries all lie at or below S, and an older replacing marker, drop the entries
 * after S replayed so far (the log was cut below them when the record was written); HardState
 * records set the HardState.
 */
#include "diskstorage.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "fsutil.h"
#include "snapfile.h"
#include "wal.h"
#include "wire.h"

#define LOCK_NAME "LOCK"

struct ds_storage {
    ds_vfs vfs;
    char *dir;
    ds_file *lock;
    ds_wal *wal;
    rc_memstorage *ms;
    ds_options opts;
    uint64_t snap_bytes; /* snapshot file bytes written */
    atomic_bool failed;
    char err[DS_ERR_MAX];
    /* With a writer thread (ds_set_threaded): io is held by every write (the log and the
     * mirror change under it), mu by every change of the mirror and every read of it by the
     * raft-facing view; io before mu. */
    bool threaded;
    pthread_mutex_t io, mu;
    char err_copy[DS_ERR_MAX]; /* ds_last_error's copy while threaded */
};

/* ---- locks (no-ops until ds_set_threaded) ---- */

static void io_lock(ds_storage *ds)
{
    if (ds->threaded)
        pthread_mutex_lock(&ds->io);
}

static void io_unlock(ds_storage *ds)
{
    if (ds->threaded)
        pthread_mutex_unlock(&ds->io);
}

static void mu_lock(ds_storage *ds)
{
    if (ds->threaded)
        pthread_mutex_lock(&ds->mu);
}

static void mu_unlock(ds_storage *ds)
{
    if (ds->threaded)
        pthread_mutex_unlock(&ds->mu);
}

/* ---- failure ---- */

/* Takes the WAL's failure (or an error of our own) as the storage's: failed for good. */
static int ds_fail(ds_storage *ds, int rc, const char *text)
{
    if (text != ds->err)
        snprintf(ds->err, sizeof(ds->err), "%s", text);
    ds->failed = true; /* after the text: a failed storage's text is stable */
    return rc == RC_ERR_NOMEM ? rc : rc == RC_ERR_FAILED ? rc : RC_ERR_IO;
}

static int ds_check(const ds_storage *ds)
{
    return ds->failed ? RC_ERR_FAILED : RC_OK;
}

/* Maps a WAL result: any WAL failure fails the storage. */
static int wal_result(ds_storage *ds, int rc)
{
    if (rc == RC_OK)
        return RC_OK;
    if (ds->wal->failed)
        return ds_fail(ds, rc, ds->wal->err);
    return rc; /* an argument error (too large, out of memory before any I/O) */
}

/* ---- snapshot files ---- */

typedef struct snap_list {
    uint64_t (*v)[2]; /* term, index */
    size_t n, cap;
    bool has_wal;
    int rc;
} snap_list;

static int list_snap(void *ctx, const char *name)
{
    snap_list *l = ctx;
    uint64_t t, i;
    if (strncmp(name, "wal-", 4) == 0)
        l->has_wal = true;
    if (!ds_snap_parse_name(name, &t, &i))
        return 0;
    if ((l->rc = rc_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v))) != RC_OK)
        return 1;
    l->v[l->n][0] = t;
    l->v[l->n][1] = i;
    l->n++;
    return 0;
}

/* Removes every snapshot file but (term, index) (best effort: stale files are harmless). */
static void remove_other_snaps(ds_storage *ds, uint64_t term, uint64_t index)
{
    snap_list l = {0};
    if (ds->vfs.ops->list(ds->vfs.ud, ds->dir, list_snap, &l) == 0) {
        char name[DS_SNAP_NAME_MAX], path[DS_PATH_MAX];
        for (size_t k = 0; k < l.n; k++) {
            if (l.v[k][0] == term && l.v[k][1] == index)
                continue;
            ds_snap_name(name, l.v[k][0], l.v[k][1]);
            if (ds_path(path, ds->dir, name) == RC_OK)
                ds->vfs.ops->unlink(ds->vfs.ud, path);
        }
    }
    rc_free(l.v);
}

/* ---- recovery ---- */

typedef struct replay_ctx {
    ds_storage *ds;
    ds_pos marker; /* P */
    int kind;
    uint64_t snap;  /* S */
    rc_entries scratch;
    char *err;
} replay_ctx;

static bool pos_before(ds_pos a, ds_pos b)
{
    return a.seg < b.seg || (a.seg == b.seg && a.off < b.off);
}

static int replay_entries(replay_ctx *c, const ds_rec *r, ds_pos pos)
{
    if (c->snap > 0 && c->kind == DS_SNAP_REPLACE && pos_before(pos, c->marker))
        return RC_OK;
    ds_ents_iter it;
    uint64_t first;
    uint32_t count;
    int rc = ds_rec_entries_begin(r, &it, &first, &count);
    rc_entries *es = &c->scratch;
    es->n = 0;
    rc_entry e;
    int more;
    rc_blob_pool *pool = rc_memstorage_pool(c->ds->ms);
    while (rc == RC_OK && (more = ds_rec_entries_next(&it, &e)) > 0) {
        if (e.index <= c->snap)
            continue;
        rc_bytes view = e.data;
        rc = rc_bytes_set_pooled(&e.data, pool, view.data, view.len);
        if (rc == RC_OK)
            rc = rc_entries_push_move(es, &e);
        if (rc != RC_OK)
            rc_bytes_free(&e.data);
    }
    if (rc == RC_OK && more < 0)
        rc = RC_ERR_CORRUPT;
    /* An append ending at or below S cut the log there when it was written: entries above S
     * replayed so far were discarded by it (later records bring back what followed). */
    if (rc == RC_OK && es->n == 0)
        rc_memstorage_truncate_after(c->ds->ms, c->snap);
    if (rc == RC_OK)
        rc = rc_memstorage_append(c->ds->ms, es->v, es->n);
    for (size_t i = 0; i < es->n; i++)
        rc_bytes_free(&es->v[i].data);
    es->n = 0;
    if (rc == RC_ERR_FAILED || rc == RC_ERR_CORRUPT)
        return ds_errf(c->err, RC_ERR_CORRUPT,
                       "corrupt WAL: entries %llu..%llu at offset %llu of segment %zu do not "
                       "follow the log (last index %llu)",
                       (unsigned long long)first, (unsigned long long)(first + count - 1),
                       (unsigned long long)pos.off, pos.seg,
                       (unsigned long long)rc_memstorage_last_index(c->ds->ms));
    return rc == RC_OK ? RC_OK : ds_errf(c->err, rc, "out of memory replaying the WAL");
}

static int replay_one(void *ctx, const ds_rec *r, ds_pos pos)
{
    replay_ctx *c = ctx;
    switch (r->type) {
    case DS_REC_ENTRIES:
        return replay_entries(c, r, pos);
    case DS_REC_HARDSTATE: {
        rc_hard_state hs;
        ds_rec_hard_state(r, &hs); /* checked when the WAL was opened */
        return rc_memstorage_set_hard_state(c->ds->ms, &hs);
    }
    case DS_REC_SNAPSHOT: {
        uint64_t index, term;
        int kind;
        ds_rec_snapshot(r, &index, &term, &kind);
        if (kind == DS_SNAP_REPLACE && pos_before(pos, c->marker))
            rc_memstorage_truncate_after(c->ds->ms, c->snap);
        return RC_OK;
    }
    default:
        return RC_OK;
    }
}

static int recover(ds_storage *ds, char *err)
{
    ds_wal *w = ds->wal;
    int rc = rc_memstorage_new(&ds->ms);
    if (rc != RC_OK)
        return ds_errf(err, rc, "out of memory");
    if (w->snap_index > 0) {
        rc_snapshot s;
        rc = ds_snap_load(ds->vfs, ds->dir, w->snap_term, w->snap_index, &s, err);
        if (rc != RC_OK)
            return rc;
        rc = rc_memstorage_apply_snapshot(ds->ms, &s);
        rc_snapshot_free(&s);
        if (rc != RC_OK)
            return ds_errf(err, rc, "out of memory loading the snapshot");
    }
    replay_ctx c = {ds, w->marker_pos, w->marker_kind, w->snap_index, {0}, err};
    rc = ds_wal_replay(w, replay_one, &c, err);
    rc_entries_free(&c.scratch);
    if (rc != RC_OK)
        return rc;
    /* A snapshot is committed by definition; its marker can outlive the HardState written
     * after it when a crash cut the log between them. */
    rc_hard_state hs;
    rc_conf_state cs = {0};
    rc_memstorage_initial_state(ds->ms, &hs, &cs);
    rc_conf_state_free(&cs);
    if (hs.commit < w->snap_index) {
        hs.commit = w->snap_index;
        rc_memstorage_set_hard_state(ds->ms, &hs);
    }
    uint64_t last = rc_memstorage_last_index(ds->ms);
    if (hs.commit > last)
        return ds_errf(err, RC_ERR_CORRUPT,
                       "corrupt WAL in %s: HardState commit %llu is past the last index %llu",
                       ds->dir, (unsigned long long)hs.commit, (unsigned long long)last);
    w->hs = hs;
    return RC_OK;
}

/* ---- open / close ---- */

static int lock_dir(ds_storage *ds, char *err)
{
    char path[DS_PATH_MAX];
    if (ds_path(path, ds->dir, LOCK_NAME) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long: %s", ds->dir);
    int e = ds->vfs.ops->open(ds->vfs.ud, path, DS_OPEN_CREATE, &ds->lock);
    if (e != 0)
        return ds_errf(err, ds_io_code(e), "open %s: %s", path, ds_errno_text(e));
    e = ds->vfs.ops->lock(ds->vfs.ud, ds->lock);
    if (e == -EWOULDBLOCK)
        return ds_errf(err, RC_ERR_LOCKED, "storage directory %s is locked by another process",
                       ds->dir);
    return e == 0 ? RC_OK : ds_errf(err, ds_io_code(e), "lock %s: %s", path, ds_errno_text(e));
}

int ds_open(ds_storage **out, ds_vfs vfs, const char *dir, const ds_options *opts, char *err)
{
    *out = NULL;
    if (err != NULL)
        err[0] = 0;
    ds_options o = opts != NULL ? *opts : (ds_options){0};
    if (o.segment_size == 0)
        o.segment_size = DS_DEFAULT_SEGMENT_SIZE;
    if (dir == NULL || dir[0] == 0 || o.segment_size < DS_MIN_SEGMENT_SIZE ||
        (unsigned)o.sync > DS_SYNC_NONE)
        return ds_errf(err, RC_ERR_INVALID, "invalid disk storage options");
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl >= DS_PATH_MAX - 64)
        return ds_errf(err, RC_ERR_TOO_LARGE, "directory path too long");
    ds_storage *ds = rc_calloc(1, sizeof(*ds));
    if (ds == NULL || (ds->dir = rc_malloc(dl + 1)) == NULL) {
        rc_free(ds);
        return ds_errf(err, RC_ERR_NOMEM, "out of memory");
    }
    memcpy(ds->dir, dir, dl);
    ds->dir[dl] = 0;
    pthread_mutex_init(&ds->io, NULL);
    pthread_mutex_init(&ds->mu, NULL);
    ds->vfs = vfs;
    ds->opts = o;
    int rc = RC_OK;
    int e = vfs.ops->mkdir(vfs.ud, ds->dir);
    if (e != 0 && e != -EEXIST)
        rc = ds_errf(err, ds_io_code(e), "create directory %s: %s", ds->dir, ds_errno_text(e));
    if (rc == RC_OK)
        rc = lock_dir(ds, err);
    snap_list l = {0};
    if (rc == RC_OK && (e = vfs.ops->list(vfs.ud, ds->dir, list_snap, &l)) != 0)
        rc = ds_errf(err, ds_io_code(e), "list %s: %s", ds->dir, ds_errno_text(e));
    if (rc == RC_OK && l.n > 0 && !l.has_wal)
        rc = ds_errf(err, RC_ERR_CORRUPT,
                     "storage directory %s has snapshot files but no WAL segment", ds->dir);
    rc_free(l.v);
    if (rc == RC_OK)
        rc = ds_wal_open(&ds->wal, vfs, ds->dir, o.segment_size, err);
    if (rc == RC_OK)
        rc = recover(ds, err);
    if (rc != RC_OK) {
        ds->failed = true; /* close must not write */
        ds_close(ds);
        return rc;
    }
    remove_other_snaps(ds, ds->wal->snap_term, ds->wal->snap_index);
    *out = ds;
    return RC_OK;
}

void ds_close(ds_storage *ds)
{
    if (ds == NULL)
        return;
    if (ds->wal != NULL && !ds->failed)
        ds_wal_flush(ds->wal);
    ds_wal_close(ds->wal);
    rc_memstorage_free(ds->ms);
    if (ds->lock != NULL)
        ds->vfs.ops->close(ds->vfs.ud, ds->lock);
    pthread_mutex_destroy(&ds->io);
    pthread_mutex_destroy(&ds->mu);
    rc_free(ds->dir);
    rc_free(ds);
}

void ds_mark_failed(ds_storage *ds, int rc, const char *text)
{
    io_lock(ds);
    if (!ds->failed)
        ds_fail(ds, rc, text);
    io_unlock(ds);
}

void ds_set_threaded(ds_storage *ds)
{
    ds->threaded = true;
}

/* ---- accessors ---- */

rc_memstorage *ds_mirror(ds_storage *ds)
{
    return ds->ms;
}

const char *ds_last_error(ds_storage *ds)
{
    if (!ds->threaded || ds->failed) /* a failed storage's text never changes */
        return ds->err;
    io_lock(ds);
    memcpy(ds->err_copy, ds->err, sizeof(ds->err_copy));
    io_unlock(ds);
    return ds->err_copy;
}

bool ds_failed(const ds_storage *ds)
{
    return ds->failed;
}

uint64_t ds_torn_bytes(const ds_storage *ds)
{
    return ds->wal->torn_bytes;
}

uint64_t ds_bytes_written(const ds_storage *ds)
{
    ds_storage *m = (ds_storage *)(uintptr_t)ds; /* the lock only: the writer thread counts */
    io_lock(m);
    uint64_t n = ds->wal->written + ds->snap_bytes;
    io_unlock(m);
    return n;
}

/* ---- writes ---- */

/* Every public write holds io for its whole length (nothing when not threaded); the mirror
 * changes under mu as well, so the view never sees it half-changed. */

static int maybe_sync(ds_storage *ds, bool must)
{
    switch (ds->opts.sync) {
    case DS_SYNC_EACH:
        return wal_result(ds, must ? ds_wal_sync(ds->wal) : ds_wal_flush(ds->wal));
    case DS_SYNC_NONE:
        return wal_result(ds, ds_wal_flush(ds->wal));
    default:
        return RC_OK;
    }
}

/* The checks rc_memstorage_append makes, before anything reaches the log (a record that
 * cannot be replayed would make the log unreadable). Sets *skip to the compacted prefix. */
static int check_append(ds_storage *ds, const rc_entry *ents, size_t n, size_t *skip)
{
    *skip = 0;
    for (size_t i = 0; i < n; i++) {
        if (ents[i].index != ents[0].index + i || ents[i].index == 0)
            return RC_ERR_INVALID;
        if ((unsigned)ents[i].type > RC_ENTRY_CONF_CHANGE_V2)
            return RC_ERR_INVALID;
        if (ents[i].data.len >= ((size_t)1 << 30))
            return RC_ERR_TOO_LARGE;
    }
    uint64_t first = rc_memstorage_first_index(ds->ms);
    if (ents[n - 1].index < first) {
        *skip = n;
        return RC_OK;
    }
    if (ents[0].index < first)
        *skip = (size_t)(first - ents[0].index);
    if (ents[*skip].index > rc_memstorage_last_index(ds->ms) + 1) {
        mu_lock(ds); /* refuses without changing the log; sets etcd's panic text */
        int rc = rc_memstorage_append(ds->ms, ents + *skip, n - *skip);
        mu_unlock(ds);
        return rc;
    }
    return RC_OK;
}

static int append(ds_storage *ds, const rc_entry *ents, size_t n)
{
    size_t skip;
    int rc = check_append(ds, ents, n, &skip);
    if (rc != RC_OK || skip == n)
        return rc;
    rc = wal_result(ds, ds_wal_append_entries(ds->wal, ents + skip, n - skip));
    if (rc != RC_OK)
        return rc;
    mu_lock(ds);
    rc = rc_memstorage_append(ds->ms, ents + skip, n - skip);
    mu_unlock(ds);
    if (rc != RC_OK) /* out of memory: the log holds entries the mirror lacks */
        return ds_fail(ds, rc, "out of memory appending to the in-memory mirror");
    return RC_OK;
}

int ds_append(ds_storage *ds, const rc_entry *ents, size_t n)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK && n > 0) {
        rc = append(ds, ents, n);
        rc = rc == RC_OK ? maybe_sync(ds, true) : rc;
    }
    io_unlock(ds);
    return rc;
}

static int set_hard_state(ds_storage *ds, const rc_hard_state *hs)
{
    int rc = wal_result(ds, ds_wal_set_hard_state(ds->wal, hs));
    if (rc != RC_OK)
        return rc;
    mu_lock(ds);
    rc = rc_memstorage_set_hard_state(ds->ms, hs);
    mu_unlock(ds);
    return rc;
}

int ds_set_hard_state(ds_storage *ds, const rc_hard_state *hs)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK)
        rc = set_hard_state(ds, hs);
    rc = rc == RC_OK ? maybe_sync(ds, true) : rc;
    io_unlock(ds);
    return rc;
}

/* Makes the snapshot file and its marker durable, then drops what it covers from disk. */
static int persist_snapshot(ds_storage *ds, const rc_snapshot *s, int kind)
{
    int rc = ds_snap_save(ds->vfs, ds->dir, s, ds->err);
    if (rc != RC_OK)
        return rc == RC_ERR_IO ? ds_fail(ds, rc, ds->err) : rc;
    ds->snap_bytes += rc_wire_snapshot_size(s) + 24;
    rc = wal_result(ds, ds_wal_mark_snapshot(ds->wal, s->metadata.index, s->metadata.term,
                                             kind));
    if (rc == RC_OK && ds->opts.sync != DS_SYNC_NONE)
        rc = wal_result(ds, ds_wal_sync(ds->wal));
    return rc;
}

static void drop_covered(ds_storage *ds, const rc_snapshot *s)
{
    wal_result(ds, ds_wal_purge(ds->wal, s->metadata.index));
    remove_other_snaps(ds, s->metadata.term, s->metadata.index);
}

/* The current snapshot's index (the mirror's snapshot is copied under mu: it shares its
 * payload with readers). */
static int snapshot_index(ds_storage *ds, uint64_t *index)
{
    rc_snapshot cur;
    mu_lock(ds);
    int rc = rc_memstorage_snapshot(ds->ms, &cur);
    *index = cur.metadata.index;
    if (rc == RC_OK)
        rc_snapshot_free(&cur);
    mu_unlock(ds);
    return rc;
}

static int apply_snapshot(ds_storage *ds, const rc_snapshot *snap)
{
    uint64_t cur_index = 0;
    int rc = snapshot_index(ds, &cur_index);
    if (rc != RC_OK)
        return rc;
    if (snap->metadata.index <= cur_index)
        return RC_ERR_SNAP_OUT_OF_DATE;
    rc = persist_snapshot(ds, snap, DS_SNAP_REPLACE);
    if (rc != RC_OK)
        return rc;
    mu_lock(ds);
    rc = rc_memstorage_apply_snapshot(ds->ms, snap);
    mu_unlock(ds);
    if (rc != RC_OK)
        return ds_fail(ds, rc, "out of memory applying a snapshot to the in-memory mirror");
    drop_covered(ds, snap);
    return RC_OK;
}

int ds_apply_snapshot(ds_storage *ds, const rc_snapshot *snap)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK)
        rc = apply_snapshot(ds, snap);
    io_unlock(ds);
    return rc;
}

static int create_snapshot(ds_storage *ds, uint64_t i, const rc_conf_state *cs,
                           const void *data, size_t len, rc_snapshot *out)
{
    /* The mirror makes (and checks) the snapshot; it is written to disk before the mirror
     * adopts it. */
    uint64_t cur = 0;
    int rc = snapshot_index(ds, &cur);
    if (rc != RC_OK)
        return rc;
    if (i <= cur)
        return RC_ERR_SNAP_OUT_OF_DATE;
    uint64_t term = 0;
    if (i > rc_memstorage_last_index(ds->ms)) {
        mu_lock(ds); /* refuses without changing anything; sets etcd's text */
        rc = rc_memstorage_create_snapshot(ds->ms, i, cs, data, len, NULL);
        mu_unlock(ds);
        return rc;
    }
    rc_memstorage_term(ds->ms, i, &term);
    rc_conf_state cur_cs = {0};
    rc_hard_state hs;
    if (cs == NULL && (rc = rc_memstorage_initial_state(ds->ms, &hs, &cur_cs)) != RC_OK)
        return rc;
    rc_snapshot s = {0};
    s.metadata.index = i;
    s.metadata.term = term;
    s.metadata.conf_state = cs != NULL ? *cs : cur_cs;
    s.data = (rc_bytes){(uint8_t *)(uintptr_t)data, len, NULL};
    rc = persist_snapshot(ds, &s, DS_SNAP_KEEP);
    rc_conf_state_free(&cur_cs);
    if (rc != RC_OK)
        return rc;
    mu_lock(ds);
    rc = rc_memstorage_create_snapshot(ds->ms, i, cs, data, len, out);
    mu_unlock(ds);
    if (rc != RC_OK)
        return ds_fail(ds, rc, "out of memory adopting a snapshot in the in-memory mirror");
    drop_covered(ds, &s);
    return RC_OK;
}

int ds_create_snapshot(ds_storage *ds, uint64_t i, const rc_conf_state *cs, const void *data,
                       size_t len, rc_snapshot *out)
{
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK)
        rc = create_snapshot(ds, i, cs, data, len, out);
    io_unlock(ds);
    return rc;
}

int ds_compact(ds_storage *ds, uint64_t compact_index)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK) {
        mu_lock(ds);
        rc = rc_memstorage_compact(ds->ms, compact_index);
        mu_unlock(ds);
    }
    io_unlock(ds);
    return rc;
}

/* Writes one Ready's (or MsgStorageAppend's) parts in etcd's order, without syncing. */
static int save_parts(ds_storage *ds, const rc_snapshot *snap, const rc_entry *ents, size_t n,
                      const rc_hard_state *hs)
{
    int rc = RC_OK;
    if (snap != NULL && !rc_snapshot_is_empty(snap))
        rc = apply_snapshot(ds, snap);
    if (rc == RC_OK && n > 0)
        rc = append(ds, ents, n);
    if (rc == RC_OK && !rc_hard_state_is_empty(hs))
        rc = set_hard_state(ds, hs);
    return rc;
}

int ds_save_ready(ds_storage *ds, const rc_ready *rd)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK)
        rc = save_parts(ds, rd->snapshot, rd->entries.v, rd->entries.n, &rd->hard_state);
    rc = rc == RC_OK ? maybe_sync(ds, rd->must_sync) : rc;
    io_unlock(ds);
    return rc;
}

int ds_save_appends(ds_storage *ds, const rc_message *msgs, size_t n)
{
    io_lock(ds);
    int rc = ds_check(ds);
    bool must = false;
    for (size_t k = 0; k < n && rc == RC_OK; k++) {
        const rc_message *m = &msgs[k];
        rc_hard_state hs = {m->term, m->vote, m->commit};
        /* etcd's MustSync: new entries, or a new term or vote (snapshots sync themselves) */
        must = must || m->n_entries > 0 ||
               (!rc_hard_state_is_empty(&hs) &&
                (hs.term != ds->wal->hs.term || hs.vote != ds->wal->hs.vote));
        rc = save_parts(ds, m->snapshot, m->entries, m->n_entries, &hs);
    }
    if (rc == RC_OK)
        rc = ds->opts.sync == DS_SYNC_NONE ? wal_result(ds, ds_wal_flush(ds->wal))
                                           : wal_result(ds, must ? ds_wal_sync(ds->wal)
                                                                 : ds_wal_flush(ds->wal));
    io_unlock(ds);
    return rc;
}

int ds_sync(ds_storage *ds)
{
    io_lock(ds);
    int rc = ds_check(ds);
    if (rc == RC_OK)
        rc = wal_result(ds, ds->opts.sync == DS_SYNC_NONE ? ds_wal_flush(ds->wal)
                                                          : ds_wal_sync(ds->wal));
    io_unlock(ds);
    return rc;
}

/* ---- the raft-facing view ---- */

/* While threaded, what the view returns must not share payload blobs with the mirror (their
 * reference counts are not atomic): copies are made under mu. */
static int own_bytes(rc_bytes *b)
{
    if (b->owner == NULL)
        return RC_OK;
    rc_bytes own;
    int rc = rc_bytes_set(&own, b->data, b->len);
    rc_bytes_free(b);
    *b = own;
    return rc;
}

static int v_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    ds_storage *ds = ud;
    if (ds->failed)
        return RC_ERR_STORAGE;
    mu_lock(ds);
    int rc = rc_memstorage_initial_state(ds->ms, hs, cs);
    mu_unlock(ds);
    return rc;
}

static int v_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size, rc_entries *out)
{
    ds_storage *ds = ud;
    if (ds->failed)
        return RC_ERR_STORAGE;
    size_t from = out->n;
    mu_lock(ds);
    int rc = rc_memstorage_entries(ds->ms, lo, hi, max_size, out);
    for (size_t i = from; ds->threaded && rc == RC_OK && i < out->n; i++)
        rc = own_bytes(&out->v[i].data);
    mu_unlock(ds);
    return rc;
}

static int v_term(void *ud, uint64_t i, uint64_t *term)
{
    ds_storage *ds = ud;
    if (ds->failed)
        return RC_ERR_STORAGE;
    mu_lock(ds);
    int rc = rc_memstorage_term(ds->ms, i, term);
    mu_unlock(ds);
    return rc;
}

static int v_first_index(void *ud, uint64_t *index)
{
    ds_storage *ds = ud;
    mu_lock(ds);
    *index = rc_memstorage_first_index(ds->ms);
    mu_unlock(ds);
    return ds->failed ? RC_ERR_STORAGE : RC_OK;
}

static int v_last_index(void *ud, uint64_t *index)
{
    ds_storage *ds = ud;
    mu_lock(ds);
    *index = rc_memstorage_last_index(ds->ms);
    mu_unlock(ds);
    return ds->failed ? RC_ERR_STORAGE : RC_OK;
}

static int v_snapshot(void *ud, rc_snapshot *out)
{
    ds_storage *ds = ud;
    if (ds->failed)
        return RC_ERR_STORAGE;
    mu_lock(ds);
    int rc = rc_memstorage_snapshot(ds->ms, out);
    if (rc == RC_OK && ds->threaded && (rc = own_bytes(&out->data)) != RC_OK)
        rc_snapshot_free(out);
    mu_unlock(ds);
    return rc;
}

static const rc_storage_ops view_ops = {
    .initial_state = v_initial_state, .entries = v_entries, .term = v_term,
    .first_index = v_first_index, .last_index = v_last_index, .snapshot = v_snapshot,
};

rc_storage ds_storage_view(ds_storage *ds)
{
    return (rc_storage){&view_ops, ds};
}
