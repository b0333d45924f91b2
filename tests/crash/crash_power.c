/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * crash_power.c: the power-loss harness. A workload (workload.h) runs against the disk storage
 * on the in-memory file layer (storage/memvfs.h); at a random point the power goes out: the
 * next call of a random file operation fails (the machine stops there), then every write and
 * name change not yet made durable is dropped or torn as ds_memvfs_power_cut decides.
 * Sometimes the power fails again during the recovery that follows. The storage is reopened
 * and compared with the model: it must hold the acknowledged operations plus a prefix of those
 * in flight. Cuts accumulate on one storage (each starts from what the last one left).
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
    size_t cap_ops = 0;
    uint64_t total_ops = 0, total_acked = 0, torn = 0, reopen_cuts = 0, cut = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char why[200] = "";
    for (cut = 0;; cut++) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
        if (seconds > 0 ? el >= seconds : cut >= cuts)
            break;
        ds_sync_policy sync = wl_rand(&rng) % 3 == 0 ? DS_SYNC_GROUP : DS_SYNC_EACH;
        ds_storage *ds = NULL;
        if (open_storage(m, sync, &ds) != RC_OK) {
            fprintf(stderr, "crash_power: cut %" PRIu64 ": open failed: %s\n", cut, err);
            return 1;
        }
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
                if (ops == NULL)
                    return 1;
            }
            ops[attempted++] = op;
            int rc = apply_op(ds, &op);
            if (rc == RC_OK && sync == DS_SYNC_GROUP && (k % 4 == 3 || op.kind == WL_SNAPSHOT))
                rc = ds_sync(ds);
            if (rc != RC_OK)
                break; /* the power went out during this operation */
            wl_apply(&run, &op);
            if (sync == DS_SYNC_EACH || k % 4 == 3 || op.kind == WL_SNAPSHOT)
                acked = attempted;
        }
        wl_free(&run);
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
                    sync == DS_SYNC_GROUP ? "group" : "each", (int)fop);
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
    printf("crash_power: %" PRIu64 " power cuts (%" PRIu64 " during recovery), %" PRIu64
           " operations (%" PRIu64 " acknowledged), %" PRIu64 " torn tails cut; log at index %"
           PRIu64 ": nothing acknowledged lost\n",
           cut, reopen_cuts, total_ops, total_acked, torn, base.last);
    wl_free(&base);
    wl_free(&got);
    free(ops);
    ds_memvfs_free(m);
    return 0;
}
