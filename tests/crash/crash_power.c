/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * crash_power.c: the power-loss harness. A workload (workload.h) runs against the disk storage
 * on the in-memory file layer (storage/memvfs.h); at a random point the power goes out: the
 * next call of a random file operation fails (the machine stops there), then every write and
 * name change not yet made durable is dropped or torn as ds_memvfs_power_cut decides.
 * Sometimes the power fails again during the recovery that follows. The storage is reopened
 * and compared with the model: it must hold the acknowledged operations plus a prefix of those
 * in flight. Cuts accumulate on one storage (each starts from what the last one left). A third
 * of the runs go through the async writer (storage/writer.h): appends and HardStates are
 * submitted as MsgStorageAppend messages, the writer thread persists them in batches while
 * more are submitted, and an operation counts as acknowledged once the writer reported it and
 * everything before it persisted, up to the last one that had to be fsynced (a HardState that
 * only moves the commit index is not, as in etcd).
 *
 *   crash_power [--cuts N] [--seed S] [--seconds T]
 * --seconds runs until T seconds have passed (a soak) instead of N cuts. Prints the seed and
 * one summary line; exit 1 on the first violation (with the seed and cut to replay it).
 *
 * A core-level test (links raftc_static for the in-memory file layer).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diskstorage.h"
#include "fsutil.h"
#include "memvfs.h"
#include "record.h"
#include "workload.h"
#include "writer.h"

#define DIR "/crash"
#define SEGMENT 8192

static char err[DS_ERR_MAX];

static int apply_op(ds_storage *ds, const wl_op *op)
{
    switch (op->kind) {
    case WL_APPEND: {
        rc_entry es[32];
        uint8_t bufs[32][WL_PAYLOAD_MAX];
        size_t n = (size_t)(op->b - op->a + 1);
        for (size_t k = 0; k < n; k++) {
            uint64_t i = op->a + k;
            es[k] = (rc_entry){.term = op->c, .index = i, .type = RC_ENTRY_NORMAL,
                               .data = {bufs[k], wl_payload(bufs[k], i, op->c), NULL}};
        }
        return ds_append(ds, es, n);
    }
    case WL_HARDSTATE: {
        rc_hard_state hs = {op->a, op->b, op->c};
        return ds_set_hard_state(ds, &hs);
    }
    default:
        return ds_create_snapshot(ds, op->a, NULL, "snap", 4, NULL);
    }
}

/* An append or HardState operation as a node's MsgStorageAppend (payloads of its own). */
static int submit_op(ds_writer *w, const wl_op *op)
{
    rc_message m = rc_message_zero;
    m.type = RC_MSG_STORAGE_APPEND;
    m.to = RC_LOCAL_APPEND_THREAD;
    m.from = 1;
    int rc = RC_OK;
    if (op->kind == WL_APPEND) {
        size_t n = (size_t)(op->b - op->a + 1);
        if ((m.entries = calloc(n, sizeof(rc_entry))) == NULL)
            return RC_ERR_NOMEM;
        for (size_t k = 0; k < n && rc == RC_OK; k++) {
            uint8_t buf[WL_PAYLOAD_MAX];
            uint64_t i = op->a + k;
            m.entries[k] = (rc_entry){.term = op->c, .index = i, .type = RC_ENTRY_NORMAL};
            rc = rc_bytes_set(&m.entries[k].data, buf, wl_payload(buf, i, op->c));
            m.n_entries++;
        }
    } else {
        m.term = op->a;
        m.vote = op->b;
        m.commit = op->c;
    }
    if (rc == RC_OK)
        rc = ds_writer_submit(w, &m);
    rc_message_free(&m);
    return rc;
}

/* The async runs' acknowledgements: *done operations were reported persisted; the first
 * *acked of them are acknowledged (up to the last that was fsynced: syncs[j] says whether
 * operation j made its batch fsync). */
static int take_acks(ds_writer *w, int timeout_ms, size_t *done, size_t *acked,
                     const bool *syncs)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    uint64_t d = 0;
    int rc = ds_writer_take(w, timeout_ms, &buf, &len, &d);
    free(buf);
    *done += (size_t)d;
    for (size_t j = *done; j > *acked; j--)
        if (syncs[j - 1]) {
            *acked = j;
            break;
        }
    return rc;
}

/* Reads the storage's state (verifying every payload); false with why on a bad payload. */
static bool read_state(ds_storage *ds, wl_state *st, char *why)
{
    rc_memstorage *ms = ds_mirror(ds);
    wl_free(st);
    rc_snapshot s;
    rc_memstorage_snapshot(ms, &s);
    st->snap = s.metadata.index;
    st->snap_term = s.metadata.term;
    rc_snapshot_free(&s);
    rc_hard_state hs;
    rc_conf_state cs = {0};
    rc_memstorage_initial_state(ms, &hs, &cs);
    rc_conf_state_free(&cs);
    st->hs_term = hs.term;
    st->hs_vote = hs.vote;
    st->hs_commit = hs.commit;
    st->last = rc_memstorage_last_index(ms);
    wl_reserve(st, st->last);
    uint64_t first = rc_memstorage_first_index(ms);
    if (first != st->snap + 1) {
        snprintf(why, 200, "first index %" PRIu64 " after snapshot %" PRIu64, first, st->snap);
        return false;
    }
    if (st->last < first)
        return true;
    rc_entries es = {0};
    if (rc_memstorage_entries(ms, first, st->last + 1, RC_NO_LIMIT, &es) != RC_OK ||
        es.n != st->last - first + 1) {
        snprintf(why, 200, "cannot read entries %" PRIu64 "..%" PRIu64, first, st->last);
        rc_entries_free(&es);
        return false;
    }
    bool ok = true;
    for (size_t k = 0; k < es.n && ok; k++) {
        uint8_t want[WL_PAYLOAD_MAX];
        size_t n = wl_payload(want, es.v[k].index, es.v[k].term);
        st->terms[es.v[k].index] = es.v[k].term;
        if (es.v[k].data.len != n || memcmp(es.v[k].data.data, want, n) != 0) {
            snprintf(why, 200, "entry %" PRIu64 " has a wrong payload", es.v[k].index);
            ok = false;
        }
    }
    rc_entries_free(&es);
    return ok;
}

/* Prints the records of every file in the directory (a failure report). */
static int dump_one(void *ctx, const char *name)
{
    ds_memvfs *m = ctx;
    char path[256];
    snprintf(path, sizeof(path), DIR "/%s", name);
    ds_vfs v = ds_memvfs_vfs(m);
    ds_file *f = NULL;
    uint64_t size = 0;
    if (v.ops->open(v.ud, path, 0, &f) != 0)
        return 0;
    v.ops->size(v.ud, f, &size);
    fprintf(stderr, "  %s: %" PRIu64 " bytes\n", name, size);
    if (strncmp(name, "wal-", 4) == 0) {
        uint8_t *buf = malloc(size + 1);
        size_t got = 0, off = 0;
        v.ops->pread(v.ud, f, buf, size, 0, &got);
        ds_rec r;
        int nx;
        while ((nx = ds_rec_next(buf, got, &off, &r)) == DS_NEXT_OK) {
            uint64_t first = 0;
            uint32_t count = 0;
            ds_ents_iter it;
            if (r.type == DS_REC_ENTRIES)
                ds_rec_entries_begin(&r, &it, &first, &count);
            fprintf(stderr, "    @%zu type %d len %u first %" PRIu64 " count %u\n",
                    off - r.len - DS_REC_HEADER_SIZE, r.type, r.len, first, count);
        }
        fprintf(stderr, "    end %d at %zu\n", nx, off);
        free(buf);
    }
    v.ops->close(v.ud, f);
    return 0;
}

static void dump(ds_memvfs *m)
{
    ds_vfs v = ds_memvfs_vfs(m);
    v.ops->list(v.ud, DIR, dump_one, m);
}

static int open_storage(ds_memvfs *m, ds_sync_policy sync, ds_storage **out)
{
    ds_options o = {SEGMENT, sync};
    return ds_open(out, ds_memvfs_vfs(m), DIR, &o, err);
}

static const ds_memvfs_op fail_ops[] = {DS_MV_WRITE, DS_MV_FSYNC, DS_MV_TRUNCATE,
                                        DS_MV_ALLOCATE, DS_MV_RENAME, DS_MV_UNLINK,
                                        DS_MV_FSYNC_DIR, DS_MV_OPEN};
#define N_FAIL_OPS (sizeof(fail_ops) / sizeof(fail_ops[0]))

int main(int argc, char **argv)
{
    uint64_t seed = 1, cuts = 1000;
    double seconds = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cuts") == 0 && i + 1 < argc)
            cuts = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--cuts N] [--seed S] [--seconds T]\n", argv[0]);
            return 2;
        }
    }
    printf("crash_power: seed %" PRIu64 "\n", seed);
    fflush(stdout);
    ds_memvfs *m = NULL;
    if (ds_memvfs_new(&m, seed) != RC_OK)
        return 1;
    uint64_t rng = seed;
    wl_state base = {0}, got = {0};
    wl_op *ops = NULL;
    bool *syncs = NULL;
    size_t cap_ops = 0;
    uint64_t total_ops = 0, total_acked = 0, torn = 0, reopen_cuts = 0, cut = 0, async_cuts = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char why[200] = "";
    for (cut = 0;; cut++) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
        if (seconds > 0 ? el >= seconds : cut >= cuts)
            break;
        int mode = (int)(wl_rand(&rng) % 3); /* 0 each, 1 group, 2 the async writer */
        ds_sync_policy sync = mode == 1 ? DS_SYNC_GROUP : DS_SYNC_EACH;
        ds_storage *ds = NULL;
        if (open_storage(m, sync, &ds) != RC_OK) {
            fprintf(stderr, "crash_power: cut %" PRIu64 ": open failed: %s\n", cut, err);
            return 1;
        }
        ds_writer *w = NULL;
        if (mode == 2 && ds_writer_start(&w, ds) != RC_OK)
            return 1;
        async_cuts += w != NULL;
        size_t done = 0;
        /* the power fails at the nth next call of one file operation */
        ds_memvfs_op fop = fail_ops[wl_rand(&rng) % N_FAIL_OPS];
        ds_memvfs_inject(m, fop, 1 + wl_rand(&rng) % 30, -EIO);
        wl_state run = {0};
        wl_copy(&run, &base);
        size_t attempted = 0, acked = 0, max_ops = 1 + (size_t)(wl_rand(&rng) % 60);
        for (size_t k = 0; k < max_ops; k++) {
            wl_op op = wl_next(&run, &rng);
            if (attempted == cap_ops) {
                cap_ops = cap_ops ? cap_ops * 2 : 64;
                ops = realloc(ops, cap_ops * sizeof(wl_op));
                syncs = realloc(syncs, cap_ops * sizeof(bool));
                if (ops == NULL || syncs == NULL)
                    return 1;
            }
            syncs[attempted] = op.kind != WL_HARDSTATE || op.a != run.hs_term ||
                               op.b != run.hs_vote;
            ops[attempted++] = op;
            int rc = RC_OK;
            if (w != NULL && op.kind == WL_SNAPSHOT) {
                /* a snapshot of applied entries: everything before it is persisted */
                while (rc == RC_OK && done < attempted - 1)
                    rc = take_acks(w, -1, &done, &acked, syncs);
                if (rc == RC_OK && (rc = apply_op(ds, &op)) == RC_OK)
                    acked = done = attempted;
            } else if (w != NULL) {
                rc = submit_op(w, &op);
                if (rc == RC_OK)
                    rc = take_acks(w, k % 3 == 0 ? 1 : 0, &done, &acked, syncs);
            } else {
                rc = apply_op(ds, &op);
                if (rc == RC_OK && sync == DS_SYNC_GROUP &&
                    (k % 4 == 3 || op.kind == WL_SNAPSHOT))
                    rc = ds_sync(ds);
            }
            if (rc != RC_OK)
                break; /* the power went out during this operation */
            wl_apply(&run, &op);
            if (w == NULL && (sync == DS_SYNC_EACH || k % 4 == 3 || op.kind == WL_SNAPSHOT))
                acked = attempted;
        }
        wl_free(&run);
        ds_writer_stop(w); /* persists what is still queued unless the power is out */
        ds_memvfs_inject(m, fop, 0, 0);
        ds_memvfs_power_cut(m, wl_rand(&rng));
        ds_close(ds);
        /* sometimes the power fails again while recovering */
        if (wl_rand(&rng) % 8 == 0) {
            ds_memvfs_op rop = fail_ops[wl_rand(&rng) % N_FAIL_OPS];
            ds_memvfs_inject(m, rop, 1 + wl_rand(&rng) % 6, -EIO);
            ds = NULL;
            open_storage(m, DS_SYNC_EACH, &ds);
            ds_memvfs_inject(m, rop, 0, 0);
            ds_memvfs_power_cut(m, wl_rand(&rng));
            ds_close(ds);
            reopen_cuts++;
        }
        if (open_storage(m, DS_SYNC_EACH, &ds) != RC_OK) {
            fprintf(stderr, "crash_power: seed %" PRIu64 " cut %" PRIu64
                    ": reopen failed: %s\n", seed, cut, err);
            return 1;
        }
        torn += ds_torn_bytes(ds) > 0;
        long k = read_state(ds, &got, why) ? wl_check(&base, ops, acked, attempted, &got, why)
                                           : -1;
        if (k < 0) {
            fprintf(stderr, "crash_power: seed %" PRIu64 " cut %" PRIu64 ": %s (acked %zu of "
                    "%zu operations)\n", seed, cut, why, acked, attempted);
            fprintf(stderr, "  policy %s, failed call: op %d\n",
                    mode == 2 ? "async writer" : sync == DS_SYNC_GROUP ? "group" : "each",
                    (int)fop);
            dump(m);
            for (size_t j = 0; j < attempted; j++)
                fprintf(stderr, "  op %zu: kind %u %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", j,
                        ops[j].kind, ops[j].a, ops[j].b, ops[j].c);
            return 1;
        }
        for (long j = 0; j < k; j++)
            wl_apply(&base, &ops[j]);
        total_ops += attempted;
        total_acked += acked;
        ds_close(ds);
    }
    printf("crash_power: %" PRIu64 " power cuts (%" PRIu64 " during recovery, %" PRIu64
           " of the async writer), %" PRIu64 " operations (%" PRIu64 " acknowledged), %" PRIu64
           " torn tails cut; log at index %" PRIu64 ": nothing acknowledged lost\n",
           cut, reopen_cuts, async_cuts, total_ops, total_acked, torn, base.last);
    wl_free(&base);
    wl_free(&got);
    free(ops);
    free(syncs);
    ds_memvfs_free(m);
    return 0;
}
