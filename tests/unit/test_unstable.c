/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_unstable.c: the unstable log tail (etcd's log_unstable_test.go cases).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "log.h"
#include "log_capture.h"

/* ---- helpers ---- */

static rc_entry E(uint64_t index, uint64_t term)
{
    rc_entry e = { .term = term, .index = index, .type = RC_ENTRY_NORMAL, .data = { NULL, 0 } };
    return e;
}

/* An unstable with entries (index, term) pairs starting at offset, optional snapshot. */
static void mk(rc_unstable *u, uint64_t offset, uint64_t in_progress, const rc_entry *ents,
               size_t n, uint64_t snap_index, uint64_t snap_term)
{
    memset(u, 0, sizeof(*u));
    memset(&g_cap, 0, sizeof(g_cap));
    u->logger = &g_logger;
    u->offset = offset;
    u->offset_in_progress = in_progress;
    assert_int_equal(rc_entries_append_copy(&u->entries, ents, n), RC_OK);
    if (snap_index != 0 || snap_term != 0) {
        u->snapshot = rc_calloc(1, sizeof(rc_snapshot));
        assert_non_null(u->snapshot);
        u->snapshot->metadata.index = snap_index;
        u->snapshot->metadata.term = snap_term;
    }
}

static void expect_ents(const rc_unstable *u, const uint64_t (*want)[2], size_t n)
{
    assert_int_equal(u->entries.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(u->entries.v[i].index, want[i][0]);
        assert_int_equal(u->entries.v[i].term, want[i][1]);
    }
}

/* ---- tests ---- */

static void test_maybe_first_index(void **state)
{
    (void)state;
    rc_unstable u;
    rc_entry e5 = E(5, 1);
    uint64_t i = 0;

    mk(&u, 5, 5, &e5, 1, 0, 0);
    assert_false(rc_unstable_maybe_first_index(&u, &i));
    rc_unstable_free(&u);

    mk(&u, 0, 0, NULL, 0, 0, 0);
    assert_false(rc_unstable_maybe_first_index(&u, &i));
    rc_unstable_free(&u);

    mk(&u, 5, 5, &e5, 1, 4, 1);
    assert_true(rc_unstable_maybe_first_index(&u, &i));
    assert_int_equal(i, 5);
    rc_unstable_free(&u);

    mk(&u, 5, 5, NULL, 0, 4, 1);
    assert_true(rc_unstable_maybe_first_index(&u, &i));
    assert_int_equal(i, 5);
    rc_unstable_free(&u);
}

static void test_maybe_last_index(void **state)
{
    (void)state;
    rc_unstable u;
    rc_entry e5 = E(5, 1);
    uint64_t i = 0;

    mk(&u, 5, 5, &e5, 1, 0, 0);
    assert_true(rc_unstable_maybe_last_index(&u, &i));
    assert_int_equal(i, 5);
    rc_unstable_free(&u);

    mk(&u, 5, 5, &e5, 1, 4, 1);
    assert_true(rc_unstable_maybe_last_index(&u, &i));
    assert_int_equal(i, 5);
    rc_unstable_free(&u);

    mk(&u, 5, 5, NULL, 0, 4, 1);
    assert_true(rc_unstable_maybe_last_index(&u, &i));
    assert_int_equal(i, 4);
    rc_unstable_free(&u);

    mk(&u, 0, 0, NULL, 0, 0, 0);
    assert_false(rc_unstable_maybe_last_index(&u, &i));
    rc_unstable_free(&u);
}

static void test_maybe_term(void **state)
{
    (void)state;
    static const struct {
        uint64_t offset;
        bool has_ent, has_snap;
        uint64_t index;
        bool wok;
        uint64_t wterm;
    } tt[] = {
        /* term from entries */
        { 5, true, false, 5, true, 1 },
        { 5, true, false, 6, false, 0 },
        { 5, true, false, 4, false, 0 },
        { 5, true, true, 5, true, 1 },
        { 5, true, true, 6, false, 0 },
        /* term from snapshot */
        { 5, true, true, 4, true, 1 },
        { 5, true, true, 3, false, 0 },
        { 5, false, true, 5, false, 0 },
        { 5, false, true, 4, true, 1 },
        { 0, false, false, 5, false, 0 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_unstable u;
        rc_entry e5 = E(5, 1);
        mk(&u, tt[k].offset, tt[k].offset, &e5, tt[k].has_ent ? 1 : 0, tt[k].has_snap ? 4 : 0,
           tt[k].has_snap ? 1 : 0);
        uint64_t t = 99;
        bool ok = rc_unstable_maybe_term(&u, tt[k].index, &t);
        assert_int_equal(ok, tt[k].wok);
        if (ok)
            assert_int_equal(t, tt[k].wterm);
        rc_unstable_free(&u);
    }
}

static void test_restore(void **state)
{
    (void)state;
    rc_unstable u;
    rc_entry e5 = E(5, 1);
    mk(&u, 5, 6, &e5, 1, 4, 1);
    u.snapshot_in_progress = true;

    rc_snapshot s = { 0 };
    s.metadata.index = 6;
    s.metadata.term = 2;
    uint8_t data[] = "snapdata";
    assert_int_equal(rc_bytes_set(&s.data, data, sizeof(data)), RC_OK);
    assert_int_equal(rc_unstable_restore(&u, &s), RC_OK);
    assert_int_equal(u.offset, 7);
    assert_int_equal(u.offset_in_progress, 7);
    assert_int_equal(u.entries.n, 0);
    assert_non_null(u.snapshot);
    assert_int_equal(u.snapshot->metadata.index, 6);
    assert_int_equal(u.snapshot->metadata.term, 2);
    assert_false(u.snapshot_in_progress);
    /* a copy (the immutable payload blob is shared) */
    assert_ptr_not_equal(u.snapshot, &s);
    assert_memory_equal(u.snapshot->data.data, data, sizeof(data));
    rc_snapshot_free(&s);
    rc_unstable_free(&u);
}

static void test_next_entries(void **state)
{
    (void)state;
    rc_entry ents[] = { E(5, 1), E(6, 1) };
    static const struct {
        uint64_t in_progress;
        size_t wn;
        uint64_t wfirst;
    } tt[] = { { 5, 2, 5 }, { 6, 1, 6 }, { 7, 0, 0 } };
    for (size_t k = 0; k < 3; k++) {
        rc_unstable u;
        mk(&u, 5, tt[k].in_progress, ents, 2, 0, 0);
        const rc_entry *got;
        size_t n;
        rc_unstable_next_entries(&u, &got, &n);
        assert_int_equal(n, tt[k].wn);
        if (n > 0)
            assert_int_equal(got[0].index, tt[k].wfirst);
        else
            assert_null(got);
        rc_unstable_free(&u);
    }
}

static void test_next_snapshot(void **state)
{
    (void)state;
    rc_unstable u;
    mk(&u, 5, 5, NULL, 0, 0, 0);
    assert_null(rc_unstable_next_snapshot(&u));
    rc_unstable_free(&u);

    mk(&u, 5, 5, NULL, 0, 4, 1);
    assert_ptr_equal(rc_unstable_next_snapshot(&u), u.snapshot);
    u.snapshot_in_progress = true;
    assert_null(rc_unstable_next_snapshot(&u));
    rc_unstable_free(&u);
}

static void test_accept_in_progress(void **state)
{
    (void)state;
    rc_entry ents[] = { E(5, 1), E(6, 1) };
    static const struct {
        size_t n;
        bool snap, snap_in_progress;
        uint64_t in_progress, win_progress;
        bool wsnap_in_progress;
    } tt[] = {
        { 0, false, false, 5, 5, false },
        { 1, false, false, 5, 6, false },
        { 2, false, false, 5, 7, false },
        { 2, false, false, 6, 7, false },
        { 2, false, false, 7, 7, false },
        { 0, true, false, 5, 5, true },
        { 1, true, false, 5, 6, true },
        { 2, true, false, 5, 7, true },
        { 2, true, true, 7, 7, true },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_unstable u;
        mk(&u, 5, tt[k].in_progress, ents, tt[k].n, tt[k].snap ? 4 : 0, tt[k].snap ? 1 : 0);
        u.snapshot_in_progress = tt[k].snap_in_progress;
        rc_unstable_accept_in_progress(&u);
        assert_int_equal(u.offset_in_progress, tt[k].win_progress);
        assert_int_equal(u.snapshot_in_progress, tt[k].wsnap_in_progress);
        rc_unstable_free(&u);
    }
}

static void test_stable_snap_to(void **state)
{
    (void)state;
    rc_unstable u;
    mk(&u, 5, 5, NULL, 0, 4, 1);
    u.snapshot_in_progress = true;
    rc_unstable_stable_snap_to(&u, 3);
    assert_non_null(u.snapshot);
    rc_unstable_stable_snap_to(&u, 4);
    assert_null(u.snapshot);
    assert_false(u.snapshot_in_progress);
    rc_unstable_stable_snap_to(&u, 4); /* no snapshot: no-op */
    rc_unstable_free(&u);
}

static void test_stable_to(void **state)
{
    (void)state;
    static const struct {
        uint64_t ents[3][2];
        size_t n;
        uint64_t offset, in_progress, snap_index, snap_term;
        uint64_t index, term;
        uint64_t woffset, win_progress;
        size_t wlen;
        const char *wlog; /* substring of the INFO log when ignored, NULL if applied */
    } tt[] = {
        { { { 0 } }, 0, 0, 0, 0, 0, 5, 1, 0, 0, 0, "entry at index 5 missing from unstable log" },
        /* stable to the first entry */
        { { { 5, 1 } }, 1, 5, 6, 0, 0, 5, 1, 6, 6, 0, NULL },
        { { { 5, 1 }, { 6, 1 } }, 2, 5, 6, 0, 0, 5, 1, 6, 6, 1, NULL },
        { { { 5, 1 }, { 6, 1 } }, 2, 5, 7, 0, 0, 5, 1, 6, 7, 1, NULL },
        /* mismatched term */
        { { { 6, 2 } }, 1, 6, 7, 0, 0, 6, 1, 6, 7, 1,
          "entry at (index,term)=(6,1) mismatched with entry at (6,2) in unstable log; ignoring" },
        /* stable to an old entry */
        { { { 5, 1 } }, 1, 5, 6, 0, 0, 4, 1, 5, 6, 1, "missing from unstable log" },
        { { { 5, 1 } }, 1, 5, 6, 0, 0, 4, 2, 5, 6, 1, "missing from unstable log" },
        /* with snapshot */
        { { { 5, 1 } }, 1, 5, 6, 4, 1, 5, 1, 6, 6, 0, NULL },
        { { { 5, 1 }, { 6, 1 } }, 2, 5, 6, 4, 1, 5, 1, 6, 6, 1, NULL },
        { { { 6, 2 } }, 1, 6, 7, 5, 1, 6, 1, 6, 7, 1, "mismatched" },
        { { { 5, 1 } }, 1, 5, 6, 4, 1, 4, 1, 5, 6, 1,
          "entry at index 4 matched unstable snapshot; ignoring" },
        { { { 5, 2 } }, 1, 5, 6, 4, 2, 4, 1, 5, 6, 1, "matched unstable snapshot" },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_entry ents[3];
        for (size_t j = 0; j < tt[k].n; j++)
            ents[j] = E(tt[k].ents[j][0], tt[k].ents[j][1]);
        rc_unstable u;
        mk(&u, tt[k].offset, tt[k].in_progress, ents, tt[k].n, tt[k].snap_index,
           tt[k].snap_term);
        rc_unstable_stable_to(&u, tt[k].index, tt[k].term);
        assert_int_equal(u.offset, tt[k].woffset);
        assert_int_equal(u.offset_in_progress, tt[k].win_progress);
        assert_int_equal(u.entries.n, tt[k].wlen);
        if (tt[k].wlog != NULL) {
            assert_int_equal(g_cap.last_level, RC_LOG_INFO);
            assert_non_null(strstr(g_cap.last, tt[k].wlog));
        } else {
            assert_int_equal(g_cap.n, 0);
        }
        rc_unstable_free(&u);
    }
}

static void test_truncate_and_append(void **state)
{
    (void)state;
    static const struct {
        uint64_t ents[3][2];
        size_t n;
        uint64_t offset, in_progress;
        uint64_t app[3][2];
        size_t napp;
        uint64_t woffset, win_progress;
        uint64_t want[4][2];
        size_t nwant;
        const char *wlog;
    } tt[] = {
        /* append to the end */
        { { { 5, 1 } }, 1, 5, 5, { { 6, 1 }, { 7, 1 } }, 2, 5, 5,
          { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, NULL },
        { { { 5, 1 } }, 1, 5, 6, { { 6, 1 }, { 7, 1 } }, 2, 5, 6,
          { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, NULL },
        /* replace the unstable entries */
        { { { 5, 1 } }, 1, 5, 5, { { 5, 2 }, { 6, 2 } }, 2, 5, 5, { { 5, 2 }, { 6, 2 } }, 2,
          "replace the unstable entries from index 5" },
        { { { 5, 1 } }, 1, 5, 5, { { 4, 2 }, { 5, 2 }, { 6, 2 } }, 3, 4, 4,
          { { 4, 2 }, { 5, 2 }, { 6, 2 } }, 3, "replace the unstable entries from index 4" },
        { { { 5, 1 } }, 1, 5, 6, { { 5, 2 }, { 6, 2 } }, 2, 5, 5, { { 5, 2 }, { 6, 2 } }, 2,
          "replace" },
        /* truncate the existing entries and append */
        { { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, 5, 5, { { 6, 2 } }, 1, 5, 5,
          { { 5, 1 }, { 6, 2 } }, 2, "truncate the unstable entries before index 6" },
        { { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, 5, 5, { { 7, 2 }, { 8, 2 } }, 2, 5, 5,
          { { 5, 1 }, { 6, 1 }, { 7, 2 }, { 8, 2 } }, 4, "truncate" },
        { { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, 5, 6, { { 6, 2 } }, 1, 5, 6,
          { { 5, 1 }, { 6, 2 } }, 2, "truncate" },
        { { { 5, 1 }, { 6, 1 }, { 7, 1 } }, 3, 5, 7, { { 6, 2 } }, 1, 5, 6,
          { { 5, 1 }, { 6, 2 } }, 2, "truncate" },
        /* empty tail: append at the offset */
        { { { 0 } }, 0, 5, 5, { { 5, 1 } }, 1, 5, 5, { { 5, 1 } }, 1, NULL },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_entry ents[3], app[3];
        for (size_t j = 0; j < tt[k].n; j++)
            ents[j] = E(tt[k].ents[j][0], tt[k].ents[j][1]);
        for (size_t j = 0; j < tt[k].napp; j++)
            app[j] = E(tt[k].app[j][0], tt[k].app[j][1]);
        rc_unstable u;
        mk(&u, tt[k].offset, tt[k].in_progress, ents, tt[k].n, 0, 0);
        assert_int_equal(rc_unstable_truncate_and_append(&u, app, tt[k].napp), RC_OK);
        assert_int_equal(u.offset, tt[k].woffset);
        assert_int_equal(u.offset_in_progress, tt[k].win_progress);
        expect_ents(&u, tt[k].want, tt[k].nwant);
        if (tt[k].wlog != NULL)
            assert_non_null(strstr(g_cap.last, tt[k].wlog));
        else
            assert_int_equal(g_cap.n, 0);
        rc_unstable_free(&u);
    }
}

static void test_truncate_and_append_gap(void **state)
{
    (void)state;
    rc_unstable u;
    rc_entry e5 = E(5, 1), e7 = E(7, 1);
    mk(&u, 5, 5, &e5, 1, 0, 0);
    assert_int_equal(rc_unstable_truncate_and_append(&u, &e7, 1), RC_ERR_FAILED);
    assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
    assert_string_equal(g_cap.last, "unstable.slice[5,7) out of bound [5,6]");
    assert_int_equal(u.entries.n, 1);
    assert_int_equal(u.offset, 5);
    /* n == 0 is a no-op */
    assert_int_equal(rc_unstable_truncate_and_append(&u, NULL, 0), RC_OK);
    assert_int_equal(u.entries.n, 1);
    rc_unstable_free(&u);
}

static void test_truncate_and_append_data(void **state)
{
    (void)state;
    rc_unstable u;
    mk(&u, 1, 1, NULL, 0, 0, 0);
    rc_entry a[2] = { E(1, 1), E(2, 1) };
    assert_int_equal(rc_bytes_set(&a[0].data, "a", 1), RC_OK);
    assert_int_equal(rc_bytes_set(&a[1].data, "bb", 2), RC_OK);
    /* copy: the caller keeps its data */
    assert_int_equal(rc_unstable_truncate_and_append(&u, a, 2), RC_OK);
    assert_non_null(a[0].data.data);
    /* the payload blob is shared, not copied */
    assert_ptr_equal(u.entries.v[0].data.data, a[0].data.data);
    assert_memory_equal(u.entries.v[1].data.data, "bb", 2);
    /* move: replaces index 2, takes the data */
    rc_entry b[2] = { E(2, 2), E(3, 2) };
    assert_int_equal(rc_bytes_set(&b[0].data, "ccc", 3), RC_OK);
    uint8_t *p = b[0].data.data;
    assert_int_equal(rc_unstable_truncate_and_append_move(&u, b, 2), RC_OK);
    assert_null(b[0].data.data);
    assert_int_equal(b[0].data.len, 0);
    assert_int_equal(u.entries.n, 3);
    assert_ptr_equal(u.entries.v[1].data.data, p);
    assert_int_equal(u.entries.v[1].term, 2);
    rc_entry_free(&a[0]);
    rc_entry_free(&a[1]);
    rc_unstable_free(&u);
}

static void test_slice(void **state)
{
    (void)state;
    rc_unstable u;
    rc_entry ents[] = { E(5, 1), E(6, 1), E(7, 1) };
    mk(&u, 5, 5, ents, 3, 0, 0);
    const rc_entry *got;
    size_t n;
    assert_int_equal(rc_unstable_slice(&u, 5, 8, &got, &n), RC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(got[0].index, 5);
    assert_int_equal(rc_unstable_slice(&u, 6, 7, &got, &n), RC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].index, 6);
    assert_int_equal(rc_unstable_slice(&u, 6, 6, &got, &n), RC_OK);
    assert_int_equal(n, 0);

    assert_int_equal(rc_unstable_slice(&u, 4, 6, &got, &n), RC_ERR_FAILED);
    assert_string_equal(g_cap.last, "unstable.slice[4,6) out of bound [5,8]");
    assert_int_equal(rc_unstable_slice(&u, 6, 9, &got, &n), RC_ERR_FAILED);
    assert_int_equal(rc_unstable_slice(&u, 7, 6, &got, &n), RC_ERR_FAILED);
    assert_string_equal(g_cap.last, "invalid unstable.slice 7 > 6");
    assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
    rc_unstable_free(&u);
}

/* stableTo in small steps over a long tail: the array shrinks and the data stays right. */
static void test_stable_to_shrinks(void **state)
{
    (void)state;
    rc_unstable u;
    mk(&u, 1, 1, NULL, 0, 0, 0);
    enum { N = 1000 };
    for (uint64_t i = 1; i <= N; i++) {
        rc_entry e = E(i, 1);
        assert_int_equal(rc_unstable_truncate_and_append(&u, &e, 1), RC_OK);
    }
    size_t big_cap = u.entries.cap;
    assert_true(big_cap >= N);
    rc_unstable_accept_in_progress(&u);
    for (uint64_t i = 10; i <= N; i += 10) {
        rc_unstable_stable_to(&u, i, 1);
        assert_int_equal(u.offset, i + 1);
        assert_int_equal(u.entries.n, N - i);
        if (u.entries.n > 0)
            assert_int_equal(u.entries.v[0].index, i + 1);
    }
    assert_int_equal(u.entries.n, 0);
    assert_true(u.entries.cap < big_cap);
    assert_int_equal(u.offset_in_progress, N + 1);
    rc_unstable_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maybe_first_index),
        cmocka_unit_test(test_maybe_last_index),
        cmocka_unit_test(test_maybe_term),
        cmocka_unit_test(test_restore),
        cmocka_unit_test(test_next_entries),
        cmocka_unit_test(test_next_snapshot),
        cmocka_unit_test(test_accept_in_progress),
        cmocka_unit_test(test_stable_snap_to),
        cmocka_unit_test(test_stable_to),
        cmocka_unit_test(test_truncate_and_append),
        cmocka_unit_test(test_truncate_and_append_gap),
        cmocka_unit_test(test_truncate_and_append_data),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_stable_to_shrinks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
