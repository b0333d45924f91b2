/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_diskstorage.c: the disk storage (storage/) on the in-memory file layer: round trips,
 * conflict truncation, snapshots and purge, recovery (torn tails, corruption, half-created and
 * locked directories), injected errors (EIO/ENOSPC on open, write, fsync, rename), power cuts.
 * Seeds are fixed and printed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crc32c.h"
#include "diskstorage.h"
#include "fsutil.h"
#include "memvfs.h"
#include "record.h"

#define DIR "/db"

static char err[DS_ERR_MAX];

static ds_memvfs *new_fs(uint64_t seed)
{
    ds_memvfs *m = NULL;
    assert_int_equal(ds_memvfs_new(&m, seed), RC_OK);
    return m;
}

static ds_storage *open_ok(ds_memvfs *m, uint64_t segment_size)
{
    ds_options o = {segment_size, DS_SYNC_EACH};
    ds_storage *ds = NULL;
    int rc = ds_open(&ds, ds_memvfs_vfs(m), DIR, &o, err);
    if (rc != RC_OK)
        print_error("ds_open: %d %s\n", rc, err);
    assert_int_equal(rc, RC_OK);
    return ds;
}

static int open_rc(ds_memvfs *m, uint64_t segment_size, ds_storage **out)
{
    ds_options o = {segment_size, DS_SYNC_EACH};
    *out = NULL;
    return ds_open(out, ds_memvfs_vfs(m), DIR, &o, err);
}

/* Entry (index, term) with a payload derived from both. */
static rc_entry ent(uint64_t index, uint64_t term, uint8_t *buf)
{
    int n = snprintf((char *)buf, 32, "e%llu.%llu", (unsigned long long)index,
                     (unsigned long long)term);
    return (rc_entry){.term = term, .index = index, .type = RC_ENTRY_NORMAL,
                      .data = {buf, (size_t)n, NULL}};
}

static int append_range(ds_storage *ds, uint64_t lo, uint64_t hi, uint64_t term)
{
    uint8_t bufs[64][32];
    rc_entry es[64];
    int rc = RC_OK;
    for (uint64_t i = lo; i <= hi && rc == RC_OK;) {
        size_t n = 0;
        for (; n < 64 && i <= hi; n++, i++)
            es[n] = ent(i, term, bufs[n]);
        rc = ds_append(ds, es, n);
    }
    return rc;
}

/* The mirror holds entries lo..hi with the given term and payloads. */
static void check_range(ds_storage *ds, uint64_t lo, uint64_t hi, uint64_t term)
{
    rc_memstorage *ms = ds_mirror(ds);
    rc_entries out = {0};
    assert_int_equal(rc_memstorage_entries(ms, lo, hi + 1, RC_NO_LIMIT, &out), RC_OK);
    assert_int_equal(out.n, hi - lo + 1);
    for (size_t k = 0; k < out.n; k++) {
        uint8_t b[32];
        rc_entry want = ent(lo + k, term, b);
        assert_int_equal(out.v[k].index, want.index);
        assert_int_equal(out.v[k].term, term);
        assert_int_equal(out.v[k].data.len, want.data.len);
        assert_memory_equal(out.v[k].data.data, b, want.data.len);
    }
    rc_entries_free(&out);
}

static void test_crc32c(void **state)
{
    (void)state;
    assert_int_equal(ds_crc32c(0, "123456789", 9), 0xE3069283u);
    assert_int_equal(ds_crc32c_sw(0, "123456789", 9), 0xE3069283u);
    uint8_t zeros[32] = {0};
    assert_int_equal(ds_crc32c(0, zeros, 32), 0x8A9136AAu); /* RFC 3720 B.4 */
    uint8_t buf[1000];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t off = 0; off < 9; off++)
        for (size_t len = 0; len < 200; len += 13)
            assert_int_equal(ds_crc32c(0, buf + off, len), ds_crc32c_sw(0, buf + off, len));
    /* incremental == one shot */
    assert_int_equal(ds_crc32c(ds_crc32c(0, buf, 300), buf + 300, 700), ds_crc32c(0, buf, 1000));
}

static void test_round_trip(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(1);
    ds_storage *ds = open_ok(m, 0);
    assert_int_equal(rc_memstorage_first_index(ds_mirror(ds)), 1);
    assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 0);
    assert_int_equal(append_range(ds, 1, 100, 1), RC_OK);
    rc_hard_state hs = {3, 2, 50};
    assert_int_equal(ds_set_hard_state(ds, &hs), RC_OK);
    ds_close(ds);
    ds = open_ok(m, 0);
    check_range(ds, 1, 100, 1);
    rc_hard_state got;
    rc_conf_state cs = {0};
    assert_int_equal(rc_memstorage_initial_state(ds_mirror(ds), &got, &cs), RC_OK);
    assert_true(rc_hard_state_equal(&got, &hs));
    assert_int_equal(ds_torn_bytes(ds), 0);
    ds_close(ds);
    ds_memvfs_free(m);
}

static void test_conflict_truncation(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(2);
    ds_storage *ds = open_ok(m, 4096); /* small segments: the log rolls over many times */
    assert_int_equal(append_range(ds, 1, 300, 1), RC_OK);
    assert_int_equal(append_range(ds, 200, 250, 2), RC_OK); /* replaces 200..300 */
    assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 250);
    /* a gap is refused (etcd panics), nothing written */
    assert_int_equal(append_range(ds, 300, 300, 2), RC_ERR_FAILED);
    assert_false(ds_failed(ds));
    ds_close(ds);
    ds = open_ok(m, 4096);
    check_range(ds, 1, 199, 1);
    check_range(ds, 200, 250, 2);
    assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 250);
    ds_close(ds);
    ds_memvfs_free(m);
}

static void test_snapshots_and_purge(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(3);
    ds_storage *ds = open_ok(m, 4096);
    assert_int_equal(append_range(ds, 1, 1000, 1), RC_OK);
    int64_t seg1 = ds_memvfs_file_size(m, DIR "/wal-0000000000000001.log");
    assert_true(seg1 > 0);
    rc_conf_state cs = {0};
    uint64_t voters[] = {1, 2, 3};
    cs.voters = (rc_ids){voters, 3};
    rc_snapshot out;
    assert_int_equal(ds_create_snapshot(ds, 900, &cs, "state", 5, &out), RC_OK);
    assert_int_equal(out.metadata.index, 900);
    rc_snapshot_free(&out);
    /* the first segments only held entries <= 900: purged */
    assert_int_equal(ds_memvfs_file_size(m, DIR "/wal-0000000000000001.log"), -1);
    assert_int_equal(append_range(ds, 1001, 1020, 1), RC_OK);
    ds_close(ds);

    ds = open_ok(m, 4096);
    rc_snapshot s;
    assert_int_equal(rc_memstorage_snapshot(ds_mirror(ds), &s), RC_OK);
    assert_int_equal(s.metadata.index, 900);
    assert_int_equal(s.metadata.term, 1);
    assert_int_equal(s.metadata.conf_state.voters.n, 3);
    assert_int_equal(s.data.len, 5);
    assert_memory_equal(s.data.data, "state", 5);
    rc_snapshot_free(&s);
    assert_int_equal(rc_memstorage_first_index(ds_mirror(ds)), 901);
    check_range(ds, 901, 1020, 1);

    /* a received snapshot replaces the log */
    rc_snapshot recv = {0};
    recv.metadata.index = 2000;
    recv.metadata.term = 5;
    recv.metadata.conf_state.voters = (rc_ids){voters, 3};
    assert_int_equal(ds_apply_snapshot(ds, &recv), RC_OK);
    assert_int_equal(ds_apply_snapshot(ds, &recv), RC_ERR_SNAP_OUT_OF_DATE);
    assert_int_equal(append_range(ds, 2001, 2010, 5), RC_OK);
    ds_close(ds);
    ds = open_ok(m, 4096);
    assert_int_equal(rc_memstorage_first_index(ds_mirror(ds)), 2001);
    check_range(ds, 2001, 2010, 5);
    rc_hard_state hs;
    rc_conf_state got = {0};
    rc_memstorage_initial_state(ds_mirror(ds), &hs, &got);
    assert_int_equal(hs.commit, 2000); /* a snapshot is committed */
    assert_int_equal(got.voters.n, 3);
    rc_conf_state_free(&got);
    /* only the newest snapshot file is kept */
    assert_int_equal(ds_memvfs_file_size(m, DIR "/snap-0000000000000001-0000000000000384.snap"), -1);
    assert_true(ds_memvfs_file_size(m, DIR "/snap-0000000000000005-00000000000007d0.snap") > 0);
    ds_close(ds);
    ds_memvfs_free(m);
}

/* A replacing snapshot drops entries written before it, even those above its index, and even
 * when later markers only keep. */
static void test_replace_then_keep(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(4);
    ds_storage *ds = open_ok(m, 0);
    assert_int_equal(append_range(ds, 1, 200, 2), RC_OK);
    rc_snapshot recv = {0};
    recv.metadata.index = 100;
    recv.metadata.term = 3;
    assert_int_equal(ds_apply_snapshot(ds, &recv), RC_OK);
    assert_int_equal(append_range(ds, 101, 120, 3), RC_OK);
    assert_int_equal(ds_create_snapshot(ds, 120, NULL, "x", 1, NULL), RC_OK);
    ds_close(ds);
    ds = open_ok(m, 0);
    assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 120);
    ds_close(ds);
    ds_memvfs_free(m);

    /* entries above a kept snapshot that a later (conflicting) append below it cut off stay
     * cut off (found by crash_power) */
    m = new_fs(41);
    ds = open_ok(m, 0);
    assert_int_equal(append_range(ds, 1, 20, 1), RC_OK);
    assert_int_equal(append_range(ds, 8, 10, 2), RC_OK);
    assert_int_equal(ds_create_snapshot(ds, 10, NULL, "x", 1, NULL), RC_OK);
    ds_close(ds);
    ds = open_ok(m, 0);
    assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 10);
    ds_close(ds);
    ds_memvfs_free(m);
}

static void test_locked(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(5);
    ds_storage *a = open_ok(m, 0), *b = NULL;
    assert_int_equal(open_rc(m, 0, &b), RC_ERR_LOCKED);
    assert_null(b);
    assert_non_null(strstr(err, "locked by another process"));
    ds_close(a);
    b = open_ok(m, 0);
    ds_close(b);
    ds_memvfs_free(m);
}

static void test_half_created(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(6);
    ds_vfs v = ds_memvfs_vfs(m);
    assert_int_equal(v.ops->mkdir(v.ud, DIR), 0);
    ds_file *f = NULL;
    /* a leftover temporary segment (crash during creation) is ignored and removed */
    assert_int_equal(v.ops->open(v.ud, DIR "/wal-0000000000000001.log.tmp", DS_OPEN_CREATE, &f), 0);
    v.ops->pwrite(v.ud, f, "junk", 4, 0);
    v.ops->close(v.ud, f);
    ds_storage *ds = open_ok(m, 0);
    assert_int_equal(ds_memvfs_file_size(m, DIR "/wal-0000000000000001.log.tmp"), -1);
    ds_close(ds);
    ds_memvfs_free(m);

    /* snapshot files but no log: refused */
    m = new_fs(7);
    v = ds_memvfs_vfs(m);
    assert_int_equal(v.ops->mkdir(v.ud, DIR), 0);
    assert_int_equal(
        v.ops->open(v.ud, DIR "/snap-0000000000000001-0000000000000005.snap", DS_OPEN_CREATE, &f), 0);
    v.ops->close(v.ud, f);
    assert_int_equal(open_rc(m, 0, &ds), RC_ERR_CORRUPT);
    assert_non_null(strstr(err, "no WAL segment"));
    ds_memvfs_free(m);
}

static void test_corruption(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(8);
    ds_storage *ds = open_ok(m, 4096);
    assert_int_equal(append_range(ds, 1, 300, 1), RC_OK);
    ds_close(ds);
    /* a flipped bit in the middle of the first (full) segment: refused, naming file and
     * offset */
    assert_int_equal(ds_memvfs_flip(m, DIR "/wal-0000000000000001.log", 500), RC_OK);
    assert_int_equal(open_rc(m, 4096, &ds), RC_ERR_CORRUPT);
    print_message("error: %s\n", err);
    assert_non_null(strstr(err, "wal-0000000000000001.log at offset"));
    ds_memvfs_free(m);

    /* a missing segment */
    m = new_fs(9);
    ds = open_ok(m, 4096);
    assert_int_equal(append_range(ds, 1, 1000, 1), RC_OK);
    ds_close(ds);
    ds_vfs v = ds_memvfs_vfs(m);
    assert_int_equal(v.ops->unlink(v.ud, DIR "/wal-0000000000000002.log"), 0);
    assert_int_equal(open_rc(m, 4096, &ds), RC_ERR_CORRUPT);
    assert_non_null(strstr(err, "wal-0000000000000002.log is missing"));
    ds_memvfs_free(m);
}

/* A torn write at every byte of the last record: recovery cuts it off and keeps the rest. */
static void test_torn_tail_every_byte(void **state)
{
    (void)state;
    ds_memvfs *m = new_fs(10);
    ds_storage *ds = open_ok(m, 0);
    assert_int_equal(append_range(ds, 1, 10, 1), RC_OK);
    ds_close(ds);
    const char *seg = DIR "/wal-0000000000000001.log";
    /* find where the next record goes: append one, see the size of the data */
    ds_vfs v = ds_memvfs_vfs(m);
    for (size_t cut = 0;; cut++) {
        ds = open_ok(m, 0);
        /* write the 11th entry torn after `cut` bytes: fail the write, then write a prefix
         * by hand through the file layer */
        uint8_t b[32];
        rc_entry e = ent(11, 1, b);
        ds_buf rec = {0};
        assert_int_equal(ds_rec_put_entries(&rec, &e, 1), RC_OK);
        ds_close(ds);
        if (cut >= rec.len) {
            ds_buf_free(&rec);
            break;
        }
        /* the end of valid data: scan the segment */
        ds_file *f = NULL;
        assert_int_equal(v.ops->open(v.ud, seg, 0, &f), 0);
        uint64_t size = 0;
        v.ops->size(v.ud, f, &size);
        uint8_t *all = malloc(size);
        size_t got = 0;
        v.ops->pread(v.ud, f, all, size, 0, &got);
        size_t off = 0, end = 0;
        ds_rec r;
        while (ds_rec_next(all, got, &off, &r) == DS_NEXT_OK)
            end = off;
        free(all);
        assert_int_equal(v.ops->pwrite(v.ud, f, rec.v, cut, end), 0);
        v.ops->close(v.ud, f);
        ds_buf_free(&rec);
        ds = open_ok(m, 0);
        assert_int_equal(rc_memstorage_last_index(ds_mirror(ds)), 10);
        check_range(ds, 1, 10, 1);
        if (cut > 0)
            assert_true(ds_torn_bytes(ds) > 0);
        ds_close(ds);
    }
    ds_memvfs_free(m);
}

/* Every write/fsync/rename/open/truncate/allocate/unlink call of a workload fails in turn with
 * EIO or ENOSPC: the failing call reports it, the storage refuses further writes (no retry),
 * and reopening gives back everything acknowledged before. */
static void test_injected_errors(void **state)
{
    (void)state;
    static const ds_memvfs_op ops[] = {DS_MV_WRITE, DS_MV_FSYNC, DS_MV_RENAME, DS_MV_OPEN,
                                       DS_MV_TRUNCATE, DS_MV_ALLOCATE, DS_MV_FSYNC_DIR};
    static const int errs[] = {-EIO, -ENOSPC};
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        for (size_t k = 0; k < 2; k++) {
            for (uint64_t nth = 1;; nth++) {
                ds_memvfs *m = new_fs(12);
                ds_storage *ds = open_ok(m, 4096);
                ds_memvfs_inject(m, ops[o], nth, errs[k]);
                uint64_t acked = 0;
                int rc = RC_OK;
                for (uint64_t i = 1; i <= 200 && rc == RC_OK; i += 10) {
                    rc = append_range(ds, i, i + 9, 1);
                    if (rc == RC_OK)
                        acked = i + 9;
                    if (rc == RC_OK && i == 101)
                        rc = ds_create_snapshot(ds, 100, NULL, "s", 1, NULL);
                }
                bool fired = rc != RC_OK;
                if (fired) {
                    assert_int_equal(rc, RC_ERR_IO);
                    assert_true(ds_failed(ds));
                    assert_int_equal(append_range(ds, acked + 1, acked + 1, 1), RC_ERR_FAILED);
                    assert_int_equal(ds_sync(ds), RC_ERR_FAILED);
                    rc_hard_state hs = {1, 0, 0};
                    assert_int_equal(ds_set_hard_state(ds, &hs), RC_ERR_FAILED);
                    rc_storage view = ds_storage_view(ds);
                    uint64_t t;
                    assert_int_equal(view.ops->term(view.ud, 1, &t), RC_ERR_STORAGE);
                }
                ds_close(ds);
                ds_memvfs_inject(m, ops[o], 0, 0);
                ds = open_ok(m, 4096);
                uint64_t last = rc_memstorage_last_index(ds_mirror(ds));
                assert_true(last >= acked);
                uint64_t first = rc_memstorage_first_index(ds_mirror(ds));
                if (acked >= first)
                    check_range(ds, first, acked, 1);
                ds_close(ds);
                ds_memvfs_free(m);
                if (!fired)
                    break;
            }
        }
    }
}

/* Open itself failing at every call: a clear error, never a crash; then it opens. */
static void test_open_errors(void **state)
{
    (void)state;
    static const ds_memvfs_op ops[] = {DS_MV_OPEN, DS_MV_READ, DS_MV_WRITE, DS_MV_FSYNC,
                                       DS_MV_RENAME, DS_MV_LIST, DS_MV_MKDIR, DS_MV_FSYNC_DIR,
                                       DS_MV_ALLOCATE};
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        for (uint64_t nth = 1;; nth++) {
            ds_memvfs *m = new_fs(13);
            ds_storage *ds = open_ok(m, 4096);
            assert_int_equal(append_range(ds, 1, 100, 1), RC_OK);
            ds_close(ds);
            ds_memvfs_inject(m, ops[o], nth, -EIO);
            int rc = open_rc(m, 4096, &ds);
            ds_memvfs_inject(m, ops[o], 0, 0);
            if (rc == RC_OK) {
                check_range(ds, 1, 100, 1);
                ds_close(ds);
                ds_memvfs_free(m);
                break;
            }
            assert_true(rc == RC_ERR_IO || rc == RC_ERR_CORRUPT);
            assert_true(strlen(err) > 0);
            assert_null(ds);
            ds = open_ok(m, 4096);
            check_range(ds, 1, 100, 1);
            ds_close(ds);
            ds_memvfs_free(m);
        }
    }
}

/* Power cuts at random points of a random workload: every acknowledged entry survives in
 * order, nothing unacknowledged shows up out of order, HardState never points past the log. */
static void test_power_cuts(void **state)
{
    (void)state;
    const uint64_t seed = 20261204;
    print_message("power-cut seed %llu\n", (unsigned long long)seed);
    uint64_t rng = seed;
    for (int round = 0; round < 150; round++) {
        ds_memvfs *m = new_fs(seed + (uint64_t)round);
        ds_storage *ds = open_ok(m, 4096);
        uint64_t acked_last = 0, term = 1;
        uint64_t steps = 1 + (rng = rng * 6364136223846793005ull + 1442695040888963407ull) % 40;
        for (uint64_t s = 0; s < steps; s++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t n = 1 + (rng >> 33) % 20;
            uint64_t last = rc_memstorage_last_index(ds_mirror(ds));
            if ((rng >> 20) % 7 == 0 && last > 5) { /* a conflicting rewrite */
                term++;
                uint64_t from = last - (rng >> 40) % 5;
                assert_int_equal(append_range(ds, from, from + n, term), RC_OK);
                acked_last = from + n;
            } else {
                assert_int_equal(append_range(ds, last + 1, last + n, term), RC_OK);
                acked_last = last + n;
            }
            rc_hard_state hs = {term, 1, acked_last};
            assert_int_equal(ds_set_hard_state(ds, &hs), RC_OK);
        }
        ds_memvfs_power_cut(m, rng);
        ds_close(ds);
        ds = open_ok(m, 4096);
        uint64_t got_last = rc_memstorage_last_index(ds_mirror(ds));
        assert_true(got_last >= acked_last);
        rc_hard_state hs;
        rc_conf_state cs = {0};
        rc_memstorage_initial_state(ds_mirror(ds), &hs, &cs);
        assert_true(hs.commit <= got_last);
        assert_int_equal(hs.commit, acked_last);
        ds_close(ds);
        ds_memvfs_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_conflict_truncation),
        cmocka_unit_test(test_snapshots_and_purge),
        cmocka_unit_test(test_replace_then_keep),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_half_created),
        cmocka_unit_test(test_corruption),
        cmocka_unit_test(test_torn_tail_every_byte),
        cmocka_unit_test(test_injected_errors),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_power_cuts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
