/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_recovery.c: libFuzzer harness for the disk storage's recovery reader (storage/). Like
 * fuzz_wire_diff it tests below the ABI (it needs the in-memory file layer), so it links
 * raftc_static. The first input byte chooses a mode:
 *   bit 0 set: the rest of the input is the only WAL segment of a directory (raw bytes);
 *   bit 0 clear: a valid directory is built by a workload seeded from byte 1 (appends,
 *     conflicting rewrites, HardStates, snapshots over 4 KiB segments), then damaged by the
 *     rest of the input, 4 bytes per edit: file, offset (16 bits), and a byte XORed in (or,
 *     when it is 0, the file cut at the offset);
 *   bit 1 set: the rest of the input is also decoded as a snapshot file.
 * Findings (abort, or a sanitizer report): opening crashes or leaks; it fails with an error
 * other than corruption, I/O or memory; it succeeds with a HardState commit past the last
 * index or a first index that does not follow the snapshot; reopening what opened gives
 * another state (recovery must be idempotent).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskstorage.h"
#include "fsutil.h"
#include "memvfs.h"
#include "snapfile.h"

#define DIR "/f"

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_recovery: %s: %s\n", what, err);
    abort();
}

typedef struct names {
    char v[64][80];
    size_t n;
} names;

static int collect(void *ctx, const char *name)
{
    names *ns = ctx;
    if (ns->n < 64 && strcmp(name, "LOCK") != 0)
        snprintf(ns->v[ns->n++], 80, DIR "/%s", name);
    return 0;
}

static void build(ds_memvfs *m, uint8_t seed)
{
    ds_options o = {4096, DS_SYNC_NONE};
    ds_storage *ds = NULL;
    char err[DS_ERR_MAX];
    if (ds_open(&ds, ds_memvfs_vfs(m), DIR, &o, err) != RC_OK)
        die("build", err);
    uint64_t s = seed * 2654435761u + 1, term = 1;
    uint8_t pay[64];
    for (int step = 0; step < 40; step++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t r = s >> 33, last = rc_memstorage_last_index(ds_mirror(ds));
        rc_hard_state hs;
        rc_conf_state cs = {0};
        rc_memstorage_initial_state(ds_mirror(ds), &hs, &cs);
        rc_conf_state_free(&cs);
        if (r % 10 < 6 || last == 0) {
            uint64_t from = last + 1;
            if (r % 10 == 5 && last > hs.commit) {
                from = hs.commit + 1 + r % (last - hs.commit);
                term++;
            }
            rc_entry es[8];
            size_t n = 1 + r % 8;
            for (size_t k = 0; k < n; k++) {
                memset(pay, (int)(from + k), sizeof(pay));
                es[k] = (rc_entry){term, from + k, RC_ENTRY_NORMAL, {pay, (from + k) % 50, NULL}};
            }
            ds_append(ds, es, n);
        } else if (r % 10 < 9) {
            rc_hard_state nh = {term, 1, hs.commit + r % (last - hs.commit + 1)};
            ds_set_hard_state(ds, &nh);
        } else if (hs.commit > 0) {
            ds_create_snapshot(ds, hs.commit, NULL, "snap", 4, NULL);
        }
    }
    ds_close(ds);
}

static void write_file(ds_memvfs *m, const char *path, const uint8_t *d, size_t n)
{
    ds_vfs v = ds_memvfs_vfs(m);
    ds_file *f = NULL;
    v.ops->mkdir(v.ud, DIR);
    if (v.ops->open(v.ud, path, DS_OPEN_CREATE, &f) != 0)
        die("write", path);
    v.ops->pwrite(v.ud, f, d, n, 0);
    v.ops->close(v.ud, f);
}

static void damage(ds_memvfs *m, const uint8_t *d, size_t n)
{
    ds_vfs v = ds_memvfs_vfs(m);
    names ns = {.n = 0};
    v.ops->list(v.ud, DIR, collect, &ns);
    if (ns.n == 0)
        return;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        const char *path = ns.v[d[i] % ns.n];
        int64_t size = ds_memvfs_file_size(m, path);
        if (size <= 0)
            continue;
        uint64_t off = ((uint64_t)d[i + 1] << 8 | d[i + 2]) % (uint64_t)size;
        ds_file *f = NULL;
        if (v.ops->open(v.ud, path, 0, &f) != 0)
            continue;
        if (d[i + 3] == 0) {
            v.ops->truncate(v.ud, f, off);
        } else {
            uint8_t b = 0;
            size_t got = 0;
            v.ops->pread(v.ud, f, &b, 1, off, &got);
            b ^= d[i + 3];
            v.ops->pwrite(v.ud, f, &b, 1, off);
        }
        v.ops->close(v.ud, f);
    }
}

typedef struct summary {
    uint64_t first, last, snap, commit, term;
} summary;

/* Opens the directory; 1 with *sum on success, 0 on an accepted failure. */
static int open_check(ds_memvfs *m, summary *sum)
{
    ds_options o = {4096, DS_SYNC_EACH};
    ds_storage *ds = NULL;
    char err[DS_ERR_MAX];
    int rc = ds_open(&ds, ds_memvfs_vfs(m), DIR, &o, err);
    if (rc != RC_OK) {
        if (rc != RC_ERR_CORRUPT && rc != RC_ERR_IO && rc != RC_ERR_NOMEM)
            die("unexpected open error", err);
        if (err[0] == 0)
            die("open failed without a text", "");
        return 0;
    }
    rc_memstorage *ms = ds_mirror(ds);
    rc_snapshot s;
    rc_memstorage_snapshot(ms, &s);
    rc_hard_state hs;
    rc_conf_state cs = {0};
    rc_memstorage_initial_state(ms, &hs, &cs);
    rc_conf_state_free(&cs);
    *sum = (summary){rc_memstorage_first_index(ms), rc_memstorage_last_index(ms),
                     s.metadata.index, hs.commit, hs.term};
    rc_snapshot_free(&s);
    if (sum->commit > sum->last)
        die("HardState commit past the last index", "");
    if (sum->first != sum->snap + 1)
        die("first index does not follow the snapshot", "");
    if (sum->last >= sum->first) {
        rc_entries es = {0};
        if (rc_memstorage_entries(ms, sum->first, sum->last + 1, RC_NO_LIMIT, &es) != RC_OK ||
            es.n != sum->last - sum->first + 1)
            die("entries unreadable", "");
        rc_entries_free(&es);
    }
    ds_close(ds);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 2)
        return 0;
    ds_memvfs *m = NULL;
    if (ds_memvfs_new(&m, 1) != RC_OK)
        return 0;
    if (d[0] & 1)
        write_file(m, DIR "/wal-0000000000000001.log", d + 1, n - 1);
    else {
        build(m, d[1]);
        damage(m, d + 2, n - 2);
    }
    if (d[0] & 2) {
        rc_snapshot s;
        if (ds_snap_decode(d + 1, n - 1, &s) == RC_OK)
            rc_snapshot_free(&s);
    }
    summary a, b;
    if (open_check(m, &a)) {
        if (!open_check(m, &b))
            die("reopening what opened failed", "");
        if (memcmp(&a, &b, sizeof(a)) != 0)
            die("reopening gave another state", "");
    }
    ds_memvfs_free(m);
    return 0;
}
