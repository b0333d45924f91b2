/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_log.c: the raft log over MemoryStorage (etcd's log_test.go cases, plus the zero-budget
 * paging guard and storage failures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "log_capture.h"
#include "memstorage.h"

/* ---- helpers ---- */

static rc_entry E(uint64_t index, uint64_t term)
{
    rc_entry e = { .term = term, .index = index, .type = RC_ENTRY_NORMAL, .data = { NULL, 0 } };
    return e;
}

/* Entries [from, to) with term == index (etcd's index(from).termRange(from, to)). */
static size_t range(rc_entry *out, uint64_t from, uint64_t to)
{
    size_t n = 0;
    for (uint64_t i = from; i < to; i++)
        out[n++] = E(i, i);
    return n;
}

static rc_memstorage *ms_new(uint64_t snap_index, uint64_t snap_term)
{
    rc_memstorage *ms = NULL;
    assert_int_equal(rc_memstorage_new(&ms), RC_OK);
    if (snap_index > 0) {
        rc_snapshot s = { 0 };
        s.metadata.index = snap_index;
        s.metadata.term = snap_term;
        assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_OK);
    }
    return ms;
}

static void log_new(rc_raft_log *l, rc_memstorage *ms, uint64_t max_applying)
{
    memset(&g_cap, 0, sizeof(g_cap));
    assert_int_equal(rc_log_init(l, rc_memstorage_storage(ms), &g_logger, max_applying), RC_OK);
}

static void log_append(rc_raft_log *l, const rc_entry *ents, size_t n)
{
    assert_int_equal(rc_log_append(l, ents, n, NULL), RC_OK);
}

static void expect_range(const rc_entries *got, uint64_t from, uint64_t to)
{
    assert_int_equal(got->n, to - from);
    for (size_t i = 0; i < got->n; i++) {
        assert_int_equal(got->v[i].index, from + i);
        assert_int_equal(got->v[i].term, from + i);
    }
}

static uint64_t must_term(const rc_raft_log *l, uint64_t i)
{
    uint64_t t = 0;
    assert_int_equal(rc_log_term(l, i, &t), RC_OK);
    return t;
}

static const rc_entry prev3[] = { { 1, 1, RC_ENTRY_NORMAL, { NULL, 0 } },
                                  { 2, 2, RC_ENTRY_NORMAL, { NULL, 0 } },
                                  { 3, 3, RC_ENTRY_NORMAL, { NULL, 0 } } };

/* ---- conflicts ---- */

static void test_find_conflict(void **state)
{
    (void)state;
    static const struct {
        uint64_t ents[5][2];
        size_t n;
        uint64_t wconflict;
        const char *wlog;
    } tt[] = {
        /* no conflict, empty ent */
        { { { 0 } }, 0, 0, NULL },
        /* no conflict */
        { { { 1, 1 }, { 2, 2 }, { 3, 3 } }, 3, 0, NULL },
        { { { 2, 2 }, { 3, 3 } }, 2, 0, NULL },
        { { { 3, 3 } }, 1, 0, NULL },
        /* no conflict, but has new entries */
        { { { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 4 } }, 5, 4, NULL },
        { { { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 4 } }, 4, 4, NULL },
        { { { 3, 3 }, { 4, 4 }, { 5, 4 } }, 3, 4, NULL },
        { { { 4, 4 }, { 5, 4 } }, 2, 4, NULL },
        /* conflicts with existing entries */
        { { { 1, 4 }, { 2, 4 } }, 2, 1,
          "found conflict at index 1 [existing term: 1, conflicting term: 4]" },
        { { { 2, 1 }, { 3, 4 }, { 4, 4 } }, 3, 2,
          "found conflict at index 2 [existing term: 2, conflicting term: 1]" },
        { { { 3, 1 }, { 4, 2 }, { 5, 4 }, { 6, 4 } }, 4, 3,
          "found conflict at index 3 [existing term: 3, conflicting term: 1]" },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(0, 0);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        log_append(&l, prev3, 3);
        memset(&g_cap, 0, sizeof(g_cap));
        rc_entry ents[5];
        for (size_t j = 0; j < tt[k].n; j++)
            ents[j] = E(tt[k].ents[j][0], tt[k].ents[j][1]);
        uint64_t got = 99;
        assert_int_equal(rc_log_find_conflict(&l, ents, tt[k].n, &got), RC_OK);
        assert_int_equal(got, tt[k].wconflict);
        if (tt[k].wlog != NULL) {
            assert_int_equal(g_cap.last_level, RC_LOG_INFO);
            assert_string_equal(g_cap.last, tt[k].wlog);
        } else {
            assert_int_equal(g_cap.n, 0);
        }
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_find_conflict_by_term(void **state)
{
    (void)state;
    static const struct {
        uint64_t snap_index, snap_term;
        uint64_t terms[5];
        uint64_t index, term, want;
    } tt[] = {
        /* Log starts from index 1. */
        { 0, 0, { 2, 2, 5, 5, 5 }, 100, 2, 100 }, /* unavailable */
        { 0, 0, { 2, 2, 5, 5, 5 }, 5, 6, 5 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 5, 5, 5 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 5, 4, 2 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 5, 2, 2 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 5, 1, 0 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 1, 2, 1 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 1, 1, 0 },
        { 0, 0, { 2, 2, 5, 5, 5 }, 0, 0, 0 },
        /* Log with compacted entries. */
        { 10, 3, { 3, 3, 4, 4, 4 }, 30, 3, 30 }, /* unavailable */
        { 10, 3, { 3, 3, 4, 4, 4 }, 14, 9, 14 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 14, 4, 14 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 14, 3, 12 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 14, 2, 9 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 11, 5, 11 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 10, 5, 10 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 10, 3, 10 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 10, 2, 9 },
        { 10, 3, { 3, 3, 4, 4, 4 }, 9, 2, 9 }, /* compacted */
        { 10, 3, { 3, 3, 4, 4, 4 }, 4, 2, 4 }, /* compacted */
        { 10, 3, { 3, 3, 4, 4, 4 }, 0, 0, 0 }, /* compacted */
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(tt[k].snap_index, tt[k].snap_term);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        rc_entry ents[5];
        for (size_t j = 0; j < 5; j++)
            ents[j] = E(tt[k].snap_index + 1 + j, tt[k].terms[j]);
        log_append(&l, ents, 5);
        uint64_t idx = 99, term = 99, wterm = 99;
        assert_int_equal(rc_log_find_conflict_by_term(&l, tt[k].index, tt[k].term, &idx, &term),
                         RC_OK);
        assert_int_equal(idx, tt[k].want);
        assert_int_equal(rc_log_term_or_zero(&l, idx, &wterm), RC_OK);
        assert_int_equal(term, wterm);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_is_up_to_date(void **state)
{
    (void)state;
    rc_memstorage *ms = ms_new(0, 0);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    log_append(&l, prev3, 3);
    uint64_t last = rc_log_last_index(&l);
    static const struct {
        int64_t dindex;
        uint64_t term;
        bool w;
    } tt[] = {
        /* greater term, ignore lastIndex */
        { -1, 4, true }, { 0, 4, true }, { 1, 4, true },
        /* smaller term, ignore lastIndex */
        { -1, 2, false }, { 0, 2, false }, { 1, 2, false },
        /* equal term, equal or larger lastIndex wins */
        { -1, 3, false }, { 0, 3, true }, { 1, 3, true },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++)
        assert_int_equal(rc_log_is_up_to_date(&l, (uint64_t)((int64_t)last + tt[k].dindex),
                                              tt[k].term),
                         tt[k].w);
    uint64_t li, lt;
    rc_log_last_entry_id(&l, &li, &lt);
    assert_int_equal(li, 3);
    assert_int_equal(lt, 3);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

/* ---- appending ---- */

static void test_append(void **state)
{
    (void)state;
    static const struct {
        uint64_t ents[2][2];
        size_t n;
        uint64_t windex;
        uint64_t want[3][2];
        size_t nwant;
        uint64_t wunstable;
    } tt[] = {
        { { { 0 } }, 0, 2, { { 1, 1 }, { 2, 2 } }, 2, 3 },
        { { { 3, 2 } }, 1, 3, { { 1, 1 }, { 2, 2 }, { 3, 2 } }, 3, 3 },
        /* conflicts with index 1 */
        { { { 1, 2 } }, 1, 1, { { 1, 2 } }, 1, 1 },
        /* conflicts with index 2 */
        { { { 2, 3 }, { 3, 3 } }, 2, 3, { { 1, 1 }, { 2, 3 }, { 3, 3 } }, 3, 2 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(0, 0);
        assert_int_equal(rc_memstorage_append(ms, prev3, 2), RC_OK);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        rc_entry ents[2];
        for (size_t j = 0; j < tt[k].n; j++)
            ents[j] = E(tt[k].ents[j][0], tt[k].ents[j][1]);
        uint64_t last = 0;
        assert_int_equal(rc_log_append(&l, ents, tt[k].n, &last), RC_OK);
        assert_int_equal(last, tt[k].windex);
        rc_entries got = { 0 };
        assert_int_equal(rc_log_entries(&l, 1, RC_NO_LIMIT, &got), RC_OK);
        assert_int_equal(got.n, tt[k].nwant);
        for (size_t j = 0; j < got.n; j++) {
            assert_int_equal(got.v[j].index, tt[k].want[j][0]);
            assert_int_equal(got.v[j].term, tt[k].want[j][1]);
        }
        rc_entries_free(&got);
        assert_int_equal(l.unstable.offset, tt[k].wunstable);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_append_below_commit(void **state)
{
    (void)state;
    rc_memstorage *ms = ms_new(0, 0);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    log_append(&l, prev3, 3);
    assert_int_equal(rc_log_commit_to(&l, 2), RC_OK);
    rc_entry e = E(2, 5);
    assert_int_equal(rc_log_append(&l, &e, 1, NULL), RC_ERR_FAILED);
    assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
    assert_string_equal(g_cap.last, "after(1) is out of range [committed(2)]");
    assert_int_equal(rc_log_last_index(&l), 3);
    /* The move flavour takes the data on success. */
    rc_entry m = E(4, 3);
    assert_int_equal(rc_bytes_set(&m.data, "abc", 3), RC_OK);
    uint64_t last = 0;
    assert_int_equal(rc_log_append_move(&l, &m, 1, &last), RC_OK);
    assert_int_equal(last, 4);
    assert_null(m.data.data);
    rc_entries got = { 0 };
    assert_int_equal(rc_log_entries(&l, 4, RC_NO_LIMIT, &got), RC_OK);
    assert_int_equal(got.n, 1);
    assert_memory_equal(got.v[0].data.data, "abc", 3);
    rc_entries_free(&got);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_maybe_append(void **state)
{
    (void)state;
    const uint64_t commit = 1; /* the log is [1/1 2/2 3/3] */
    static const struct {
        uint64_t log_term, index, committed;
        uint64_t ents[2][2];
        size_t n;
        uint64_t wlasti;
        bool wappend;
        uint64_t wcommit;
        bool wpanic;
    } tt[] = {
        /* not match: term is different */
        { 2, 3, 3, { { 4, 4 } }, 1, 0, false, 1, false },
        /* not match: index out of bound */
        { 3, 4, 3, { { 5, 4 } }, 1, 0, false, 1, false },
        /* match with the last existing entry */
        { 3, 3, 3, { { 0 } }, 0, 3, true, 3, false },
        { 3, 3, 4, { { 0 } }, 0, 3, true, 3, false }, /* not above lastnewi */
        { 3, 3, 2, { { 0 } }, 0, 3, true, 2, false }, /* commit up to the msg commit */
        { 3, 3, 0, { { 0 } }, 0, 3, true, 1, false }, /* commit does not decrease */
        { 0, 0, 3, { { 0 } }, 0, 0, true, 1, false }, /* commit does not decrease */
        { 3, 3, 3, { { 4, 4 } }, 1, 4, true, 3, false },
        { 3, 3, 4, { { 4, 4 } }, 1, 4, true, 4, false },
        { 3, 3, 5, { { 4, 4 } }, 1, 4, true, 4, false }, /* not above lastnewi */
        { 3, 3, 5, { { 4, 4 }, { 5, 4 } }, 2, 5, true, 5, false },
        /* match with the entry in the middle */
        { 2, 2, 3, { { 3, 4 } }, 1, 3, true, 3, false },
        { 1, 1, 3, { { 2, 4 } }, 1, 2, true, 2, false },
        { 0, 0, 3, { { 1, 4 } }, 1, 1, true, 1, true }, /* conflict with a committed entry */
        { 1, 1, 3, { { 2, 4 }, { 3, 4 } }, 2, 3, true, 3, false },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(0, 0);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        log_append(&l, prev3, 3);
        l.committed = commit;
        rc_entry ents[2];
        for (size_t j = 0; j < tt[k].n; j++)
            ents[j] = E(tt[k].ents[j][0], tt[k].ents[j][1]);
        uint64_t lastnewi = 99;
        bool ok = true;
        int rc = rc_log_maybe_append(&l, tt[k].index, tt[k].log_term, tt[k].committed, ents,
                                     tt[k].n, &lastnewi, &ok);
        if (tt[k].wpanic) {
            assert_int_equal(rc, RC_ERR_FAILED);
            assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
            assert_string_equal(g_cap.last, "entry 1 conflict with committed entry [committed(1)]");
            /* nothing changed */
            assert_int_equal(must_term(&l, 1), 1);
            assert_int_equal(l.committed, commit);
            rc_log_free(&l);
            rc_memstorage_free(ms);
            continue;
        }
        assert_int_equal(rc, RC_OK);
        assert_int_equal(g_cap.n_panic, 0);
        assert_int_equal(ok, tt[k].wappend);
        assert_int_equal(lastnewi, tt[k].wlasti);
        assert_int_equal(l.committed, tt[k].wcommit);
        if (ok && tt[k].n > 0) {
            rc_entries got = { 0 };
            assert_int_equal(rc_log_slice(&l, lastnewi - tt[k].n + 1, lastnewi + 1, RC_NO_LIMIT,
                                          &got),
                             RC_OK);
            assert_int_equal(got.n, tt[k].n);
            for (size_t j = 0; j < got.n; j++) {
                assert_int_equal(got.v[j].index, ents[j].index);
                assert_int_equal(got.v[j].term, ents[j].term);
            }
            rc_entries_free(&got);
        }
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

/* 1000 entries, 750 stable and 250 unstable; compaction of storage under the log. */
static void test_compaction_side_effects(void **state)
{
    (void)state;
    const uint64_t last = 1000, unstable = 750;
    rc_memstorage *ms = ms_new(0, 0);
    for (uint64_t i = 1; i <= unstable; i++) {
        rc_entry e = E(i, i);
        assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    }
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    for (uint64_t i = unstable; i < last; i++) {
        rc_entry e = E(i + 1, i + 1);
        log_append(&l, &e, 1);
    }
    bool ok = false;
    assert_int_equal(rc_log_maybe_commit(&l, last, last, &ok), RC_OK);
    assert_true(ok);
    assert_int_equal(rc_log_applied_to(&l, l.committed, 0), RC_OK);

    const uint64_t offset = 500;
    assert_int_equal(rc_memstorage_compact(ms, offset), RC_OK);
    assert_int_equal(rc_log_last_index(&l), last);
    for (uint64_t j = offset; j <= last; j++) {
        assert_int_equal(must_term(&l, j), j);
        assert_true(rc_log_match_term(&l, j, j));
    }
    uint64_t t;
    assert_int_equal(rc_log_term(&l, offset - 1, &t), RC_ERR_COMPACTED);
    rc_entries got = { 0 };
    assert_int_equal(rc_log_slice(&l, offset, offset + 1, RC_NO_LIMIT, &got), RC_ERR_COMPACTED);
    assert_int_equal(got.n, 0);

    const rc_entry *ue;
    size_t un;
    rc_log_next_unstable_ents(&l, &ue, &un);
    assert_int_equal(un, 250);
    assert_int_equal(ue[0].index, 751);

    uint64_t prev = rc_log_last_index(&l);
    rc_entry e = E(prev + 1, prev + 1);
    log_append(&l, &e, 1);
    assert_int_equal(rc_log_last_index(&l), prev + 1);
    assert_int_equal(rc_log_entries(&l, rc_log_last_index(&l), RC_NO_LIMIT, &got), RC_OK);
    assert_int_equal(got.n, 1);
    rc_entries_free(&got);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

/* ---- committed entries and application ---- */

/* etcd's setup for the applying tests: snapshot at 3, entry 4 stable, 5 and 6 unstable,
 * committed 5. */
static void applying_setup(rc_raft_log *l, rc_memstorage **ms, uint64_t max_size)
{
    const rc_entry ents[] = { E(4, 1), E(5, 1), E(6, 1) };
    *ms = ms_new(3, 1);
    assert_int_equal(rc_memstorage_append(*ms, ents, 1), RC_OK);
    log_new(l, *ms, max_size);
    log_append(l, ents, 3);
    rc_log_stable_to(l, 4, 1);
    bool ok = false;
    assert_int_equal(rc_log_maybe_commit(l, 5, 1, &ok), RC_OK);
    assert_true(ok);
}

static void test_next_committed_ents(void **state)
{
    (void)state;
    static const struct {
        uint64_t applied, applying;
        bool allow_unstable, paused, snap;
        size_t wn;
        uint64_t wfirst;
    } tt[] = {
        { 3, 3, true, false, false, 2, 4 },
        { 3, 4, true, false, false, 1, 5 },
        { 3, 5, true, false, false, 0, 0 },
        { 4, 4, true, false, false, 1, 5 },
        { 4, 5, true, false, false, 0, 0 },
        { 5, 5, true, false, false, 0, 0 },
        /* Don't allow unstable entries. */
        { 3, 3, false, false, false, 1, 4 },
        { 3, 4, false, false, false, 0, 0 },
        { 3, 5, false, false, false, 0, 0 },
        { 4, 4, false, false, false, 0, 0 },
        { 4, 5, false, false, false, 0, 0 },
        { 5, 5, false, false, false, 0, 0 },
        /* Paused. */
        { 3, 3, true, true, false, 0, 0 },
        /* With snapshot. */
        { 3, 3, true, false, true, 0, 0 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_raft_log l;
        rc_memstorage *ms;
        applying_setup(&l, &ms, RC_NO_LIMIT);
        assert_int_equal(rc_log_applied_to(&l, tt[k].applied, 0), RC_OK);
        assert_int_equal(rc_log_accept_applying(&l, tt[k].applying, 0, tt[k].allow_unstable),
                         RC_OK);
        l.applying_ents_paused = tt[k].paused;
        if (tt[k].snap) {
            rc_snapshot s = { 0 };
            s.metadata.index = 4;
            s.metadata.term = 1;
            assert_int_equal(rc_log_restore(&l, &s), RC_OK);
        }
        assert_int_equal(rc_log_has_next_committed_ents(&l, tt[k].allow_unstable), tt[k].wn > 0);
        rc_entries got = { 0 };
        assert_int_equal(rc_log_next_committed_ents(&l, tt[k].allow_unstable, &got), RC_OK);
        assert_int_equal(got.n, tt[k].wn);
        if (got.n > 0)
            assert_int_equal(got.v[0].index, tt[k].wfirst);
        rc_entries_free(&got);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_accept_applying(void **state)
{
    (void)state;
    const uint64_t max = 100;
    static const struct {
        uint64_t index;
        bool allow_unstable;
        int64_t dsize;
        bool wpaused;
    } tt[] = {
        { 3, true, -1, true },   { 3, true, 0, true },   { 3, true, 1, true },
        { 4, true, -1, true },   { 4, true, 0, true },   { 4, true, 1, true },
        { 5, true, -1, false },  { 5, true, 0, true },   { 5, true, 1, true },
        /* Don't allow unstable entries. */
        { 3, false, -1, true },  { 3, false, 0, true },  { 3, false, 1, true },
        { 4, false, -1, false }, { 4, false, 0, true },  { 4, false, 1, true },
        { 5, false, -1, false }, { 5, false, 0, true },  { 5, false, 1, true },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_raft_log l;
        rc_memstorage *ms;
        applying_setup(&l, &ms, max);
        assert_int_equal(rc_log_applied_to(&l, 3, 0), RC_OK);
        assert_int_equal(rc_log_accept_applying(&l, tt[k].index,
                                                (uint64_t)((int64_t)max + tt[k].dsize),
                                                tt[k].allow_unstable),
                         RC_OK);
        assert_int_equal(l.applying_ents_paused, tt[k].wpaused);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
    /* Beyond committed: etcd panics. */
    rc_raft_log l;
    rc_memstorage *ms;
    applying_setup(&l, &ms, max);
    assert_int_equal(rc_log_accept_applying(&l, 6, 0, true), RC_ERR_FAILED);
    assert_string_equal(g_cap.last, "applying(6) is out of range [prevApplying(3), committed(5)]");
    assert_true(l.failed);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_applied_to(void **state)
{
    (void)state;
    const uint64_t max = 100, over = 5;
    static const struct {
        uint64_t index, size, wsize;
        bool wpaused;
    } tt[] = {
        /* Apply some of the in-progress entries (applying = 5 below). */
        { 4, over - 1, max + 1, true },
        { 4, over, max, true },
        { 4, over + 1, max - 1, false },
        /* Apply all of them. */
        { 5, over - 1, max + 1, true },
        { 5, over, max, true },
        { 5, over + 1, max - 1, false },
        /* Apply all outstanding bytes. */
        { 4, max + over, 0, false },
        /* More than outstanding: no underflow. */
        { 4, max + over + 1, 0, false },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_raft_log l;
        rc_memstorage *ms;
        applying_setup(&l, &ms, max);
        assert_int_equal(rc_log_applied_to(&l, 3, 0), RC_OK);
        assert_int_equal(rc_log_accept_applying(&l, 5, max + over, false), RC_OK);
        assert_int_equal(rc_log_applied_to(&l, tt[k].index, tt[k].size), RC_OK);
        assert_int_equal(l.applied, tt[k].index);
        assert_int_equal(l.applying, 5);
        assert_int_equal(l.applying_ents_size, tt[k].wsize);
        assert_int_equal(l.applying_ents_paused, tt[k].wpaused);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
    rc_raft_log l;
    rc_memstorage *ms;
    applying_setup(&l, &ms, max);
    assert_int_equal(rc_log_applied_to(&l, 4, 0), RC_OK);
    assert_int_equal(rc_log_applied_to(&l, 3, 0), RC_ERR_FAILED);
    assert_string_equal(g_cap.last, "applied(3) is out of range [prevApplied(4), committed(5)]");
    assert_int_equal(rc_log_applied_to(&l, 6, 0), RC_ERR_FAILED);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

/* Paging by MaxCommittedSizePerReady: each batch fits the budget (or is one entry), the log
 * pauses until appliedTo frees the budget, and every entry comes out once, in order. */
static void run_paging(uint64_t max, size_t wmax_batch)
{
    rc_memstorage *ms = ms_new(0, 0);
    rc_raft_log l;
    log_new(&l, ms, max);
    enum { N = 10 };
    rc_entry ents[N];
    range(ents, 1, N + 1);
    log_append(&l, ents, N);
    assert_int_equal(rc_log_commit_to(&l, N), RC_OK);
    uint64_t next = 1;
    int rounds = 0;
    while (next <= N) {
        assert_true(rounds++ < 100);
        assert_true(rc_log_has_next_committed_ents(&l, true));
        rc_entries got = { 0 };
        assert_int_equal(rc_log_next_committed_ents(&l, true, &got), RC_OK);
        assert_true(got.n >= 1);
        assert_true(got.n <= wmax_batch);
        assert_int_equal(got.v[0].index, next);
        uint64_t size = rc_entries_size(got.v, got.n);
        uint64_t hi = got.v[got.n - 1].index;
        next = hi + 1;
        rc_entries_free(&got);
        assert_int_equal(rc_log_accept_applying(&l, hi, size, true), RC_OK);
        if (hi < N) {
            /* Truncated by the budget: paused until something is applied. */
            assert_true(l.applying_ents_paused);
            assert_false(rc_log_has_next_committed_ents(&l, true));
            assert_int_equal(rc_log_next_committed_ents(&l, true, &got), RC_OK);
            assert_int_equal(got.n, 0);
        }
        assert_int_equal(rc_log_applied_to(&l, hi, size), RC_OK);
    }
    assert_false(rc_log_has_next_committed_ents(&l, true));
    assert_int_equal(g_cap.n_panic, 0);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_committed_paging(void **state)
{
    (void)state;
    rc_entry e = E(5, 5);
    uint64_t s = rc_entry_size(&e);
    run_paging(RC_NO_LIMIT, 10);
    run_paging(3 * s, 3);
    run_paging(3 * s - 1, 2);
    run_paging(s, 1);
    run_paging(1, 1);
    /* Invariant 11: a zero budget (MaxSizePerMsg=0, MaxCommittedSizePerReady unset) must not
     * panic; it applies one entry at a time. */
    run_paging(0, 1);
}

/* ---- commit / stable ---- */

static void test_commit_to(void **state)
{
    (void)state;
    static const struct {
        uint64_t commit, wcommit;
        bool wpanic;
    } tt[] = { { 3, 3, false }, { 1, 2, false }, { 4, 2, true } };
    for (size_t k = 0; k < 3; k++) {
        rc_memstorage *ms = ms_new(0, 0);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        log_append(&l, prev3, 3);
        l.committed = 2;
        int rc = rc_log_commit_to(&l, tt[k].commit);
        assert_int_equal(rc, tt[k].wpanic ? RC_ERR_FAILED : RC_OK);
        assert_int_equal(l.committed, tt[k].wcommit);
        if (tt[k].wpanic) {
            assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
            assert_string_equal(g_cap.last, "tocommit(4) is out of range [lastIndex(3)]. Was the "
                                            "raft log corrupted, truncated, or lost?");
        }
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_maybe_commit(void **state)
{
    (void)state;
    rc_memstorage *ms = ms_new(0, 0);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    log_append(&l, prev3, 3);
    bool ok = true;
    assert_int_equal(rc_log_maybe_commit(&l, 3, 2, &ok), RC_OK); /* term mismatch */
    assert_false(ok);
    assert_int_equal(rc_log_maybe_commit(&l, 0, 0, &ok), RC_OK); /* term 0 never matches */
    assert_false(ok);
    assert_int_equal(rc_log_maybe_commit(&l, 2, 2, &ok), RC_OK);
    assert_true(ok);
    assert_int_equal(l.committed, 2);
    assert_int_equal(rc_log_maybe_commit(&l, 2, 2, &ok), RC_OK); /* not above committed */
    assert_false(ok);
    assert_int_equal(rc_log_maybe_commit(&l, 4, 3, &ok), RC_OK); /* beyond the log */
    assert_false(ok);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_stable_to(void **state)
{
    (void)state;
    static const struct {
        uint64_t i, t, wunstable;
    } tt[] = { { 1, 1, 2 }, { 2, 2, 3 }, { 2, 1, 1 }, /* bad term */ { 3, 1, 1 } /* bad index */ };
    for (size_t k = 0; k < 4; k++) {
        rc_memstorage *ms = ms_new(0, 0);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        log_append(&l, prev3, 2);
        rc_log_stable_to(&l, tt[k].i, tt[k].t);
        assert_int_equal(l.unstable.offset, tt[k].wunstable);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_stable_to_with_snap(void **state)
{
    (void)state;
    const uint64_t si = 5, st = 2;
    static const struct {
        int64_t di, dt;
        bool ent;
        uint64_t wunstable;
    } tt[] = {
        { 1, 0, false, 6 },  { 0, 0, false, 6 },  { -1, 0, false, 6 },
        { 1, 1, false, 6 },  { 0, 1, false, 6 },  { -1, 1, false, 6 },
        { 1, 0, true, 7 },   { 0, 0, true, 6 },   { -1, 0, true, 6 },
        { 1, 1, true, 6 },   { 0, 1, true, 6 },   { -1, 1, true, 6 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(si, st);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        rc_entry e = E(si + 1, st);
        log_append(&l, &e, tt[k].ent ? 1 : 0);
        rc_log_stable_to(&l, (uint64_t)((int64_t)si + tt[k].di),
                         (uint64_t)((int64_t)st + tt[k].dt));
        assert_int_equal(l.unstable.offset, tt[k].wunstable);
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_next_unstable_ents(void **state)
{
    (void)state;
    for (uint64_t unstable = 1; unstable <= 3; unstable += 2) {
        rc_memstorage *ms = ms_new(0, 0);
        assert_int_equal(rc_memstorage_append(ms, prev3, (size_t)(unstable - 1)), RC_OK);
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        log_append(&l, prev3 + (unstable - 1), (size_t)(3 - (unstable - 1)) - 1);
        const rc_entry *ents;
        size_t n;
        rc_log_next_unstable_ents(&l, &ents, &n);
        assert_int_equal(n, unstable == 1 ? 2 : 0);
        assert_int_equal(rc_log_has_next_unstable_ents(&l), n > 0);
        assert_int_equal(rc_log_has_next_or_in_progress_unstable_ents(&l), n > 0);
        if (n > 0) {
            rc_log_accept_unstable(&l);
            assert_false(rc_log_has_next_unstable_ents(&l));
            assert_true(rc_log_has_next_or_in_progress_unstable_ents(&l));
            rc_log_stable_to(&l, ents[n - 1].index, ents[n - 1].term);
        }
        assert_int_equal(l.unstable.offset, 3);
        assert_false(rc_log_has_next_or_in_progress_unstable_ents(&l));
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

/* ---- compaction / restore / terms ---- */

static void test_compaction(void **state)
{
    (void)state;
    static const struct {
        uint64_t compact[4];
        size_t n;
        int64_t wleft[4];
    } tt[] = {
        { { 1001 }, 1, { -1 } }, /* out of upper bound */
        { { 300, 500, 800, 900 }, 4, { 700, 500, 200, 100 } },
        { { 300, 299 }, 2, { 700, -1 } }, /* out of lower bound */
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = ms_new(0, 0);
        for (uint64_t i = 1; i <= 1000; i++) {
            rc_entry e = E(i, i);
            assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
        }
        rc_raft_log l;
        log_new(&l, ms, RC_NO_LIMIT);
        bool ok;
        assert_int_equal(rc_log_maybe_commit(&l, 1000, 1000, &ok), RC_OK);
        assert_true(ok);
        assert_int_equal(rc_log_applied_to(&l, l.committed, 0), RC_OK);
        for (size_t j = 0; j < tt[k].n; j++) {
            int rc = rc_memstorage_compact(ms, tt[k].compact[j]);
            if (tt[k].wleft[j] < 0) {
                assert_int_not_equal(rc, RC_OK);
                continue;
            }
            assert_int_equal(rc, RC_OK);
            rc_entries all = { 0 };
            assert_int_equal(rc_log_all_entries(&l, &all), RC_OK);
            assert_int_equal(all.n, (size_t)tt[k].wleft[j]);
            /* The term of firstIndex-1 survives compaction. */
            assert_int_equal(must_term(&l, tt[k].compact[j]), tt[k].compact[j]);
            uint64_t t;
            assert_int_equal(rc_log_term(&l, tt[k].compact[j] - 1, &t), RC_ERR_COMPACTED);
            rc_entries_free(&all);
        }
        rc_log_free(&l);
        rc_memstorage_free(ms);
    }
}

static void test_log_restore(void **state)
{
    (void)state;
    const uint64_t index = 1000, term = 1000;
    rc_memstorage *ms = ms_new(index, term);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    rc_entries all = { 0 };
    assert_int_equal(rc_log_all_entries(&l, &all), RC_OK);
    assert_int_equal(all.n, 0);
    assert_int_equal(rc_log_first_index(&l), index + 1);
    assert_int_equal(l.committed, index);
    assert_int_equal(l.applied, index);
    assert_int_equal(l.applying, index);
    assert_int_equal(l.unstable.offset, index + 1);
    assert_int_equal(must_term(&l, index), term);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_restore_snapshot(void **state)
{
    (void)state;
    rc_memstorage *ms = ms_new(0, 0);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    log_append(&l, prev3, 3);
    rc_snapshot s = { 0 };
    s.metadata.index = 4;
    s.metadata.term = 1;
    assert_int_equal(rc_log_restore(&l, &s), RC_OK);
    assert_int_equal(g_cap.last_level, RC_LOG_INFO);
    assert_string_equal(g_cap.last, "log [committed=0, applied=0, applying=0, unstable.offset=1, "
                                    "unstable.offsetInProgress=1, len(unstable.Entries)=3] starts "
                                    "to restore snapshot [index: 4, term: 1]");
    assert_int_equal(l.committed, 4);
    assert_int_equal(rc_log_last_index(&l), 4);
    assert_int_equal(rc_log_first_index(&l), 5);
    assert_int_equal(rc_log_last_term(&l), 1);
    assert_true(rc_log_has_pending_snapshot(&l));
    assert_true(rc_log_has_next_or_in_progress_snapshot(&l));
    assert_true(rc_log_has_next_unstable_snapshot(&l));
    rc_snapshot got;
    assert_int_equal(rc_log_snapshot(&l, &got), RC_OK);
    assert_int_equal(got.metadata.index, 4);
    rc_snapshot_free(&got);
    /* No committed entries while the snapshot is pending. */
    assert_false(rc_log_has_next_committed_ents(&l, true));

    rc_log_accept_unstable(&l);
    assert_false(rc_log_has_next_unstable_snapshot(&l));
    assert_null(rc_log_next_unstable_snapshot(&l));
    assert_true(rc_log_has_pending_snapshot(&l));
    assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_OK);
    rc_log_stable_snap_to(&l, 4);
    assert_false(rc_log_has_pending_snapshot(&l));
    assert_int_equal(rc_log_first_index(&l), 5);
    assert_int_equal(must_term(&l, 4), 1);

    char buf[256];
    assert_int_equal(rc_log_format(buf, sizeof(buf), &l), RC_OK);
    assert_string_equal(buf, "committed=4, applied=0, applying=0, unstable.offset=5, "
                             "unstable.offsetInProgress=5, len(unstable.Entries)=0");
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_term(void **state)
{
    (void)state;
    const uint64_t offset = 100, num = 100;
    rc_memstorage *ms = ms_new(offset, 1);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    for (uint64_t i = 1; i < num; i++) {
        rc_entry e = E(offset + i, i);
        log_append(&l, &e, 1);
    }
    static const struct {
        uint64_t idx, term;
        int err;
    } tt[] = {
        { 99, 0, RC_ERR_COMPACTED },
        { 100, 1, RC_OK },
        { 150, 50, RC_OK },
        { 199, 99, RC_OK },
        { 200, 0, RC_ERR_UNAVAILABLE },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        uint64_t t = 77;
        assert_int_equal(rc_log_term(&l, tt[k].idx, &t), tt[k].err);
        assert_int_equal(t, tt[k].term);
        assert_int_equal(rc_log_term_or_zero(&l, tt[k].idx, &t), RC_OK);
        assert_int_equal(t, tt[k].term);
    }
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_term_with_unstable_snapshot(void **state)
{
    (void)state;
    const uint64_t ssi = 100, usi = 105;
    rc_memstorage *ms = ms_new(ssi, 1);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    rc_snapshot s = { 0 };
    s.metadata.index = usi;
    s.metadata.term = 1;
    assert_int_equal(rc_log_restore(&l, &s), RC_OK);
    static const struct {
        uint64_t idx, term;
        int err;
    } tt[] = {
        /* cannot get term from storage */
        { ssi, 0, RC_ERR_COMPACTED },
        /* cannot get term from the gap between storage and the unstable snapshot */
        { ssi + 1, 0, RC_ERR_COMPACTED },
        { usi - 1, 0, RC_ERR_COMPACTED },
        /* term from the unstable snapshot */
        { usi, 1, RC_OK },
        { usi + 1, 0, RC_ERR_UNAVAILABLE },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        uint64_t t = 77;
        assert_int_equal(rc_log_term(&l, tt[k].idx, &t), tt[k].err);
        assert_int_equal(t, tt[k].term);
    }
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

/* ---- slices ---- */

static void test_bounds(void **state)
{
    (void)state;
    const uint64_t offset = 100, num = 100;
    rc_memstorage *ms = ms_new(offset, 0);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    for (uint64_t i = 1; i <= num; i++) {
        rc_entry e = E(offset + i, 0);
        log_append(&l, &e, 1);
    }
    static const struct {
        uint64_t lo, hi;
        int werr;
    } tt[] = {
        { 99, 102, RC_ERR_COMPACTED },  { 100, 102, RC_ERR_COMPACTED },
        { 101, 101, RC_OK },            { 151, 151, RC_OK },
        { 200, 200, RC_OK },            { 201, 201, RC_OK },
        { 201, 202, RC_ERR_FAILED },    { 202, 202, RC_ERR_FAILED },
        { 101, 201, RC_OK },            { 101, 202, RC_ERR_FAILED },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        memset(&g_cap, 0, sizeof(g_cap));
        rc_entries got = { 0 };
        assert_int_equal(rc_log_slice(&l, tt[k].lo, tt[k].hi, RC_NO_LIMIT, &got), tt[k].werr);
        assert_int_equal(got.n, tt[k].werr == RC_OK ? tt[k].hi - tt[k].lo : 0);
        if (tt[k].werr == RC_ERR_FAILED) {
            assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
            assert_non_null(strstr(g_cap.last, "out of bound [101,200]"));
        }
        rc_entries_free(&got);
    }
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_slice(void **state)
{
    (void)state;
    /* Indexes and terms in [1000, 1200) all encode to the same size. */
    const uint64_t offset = 1000, num = 100, last = offset + num, half = offset + num / 2;
    static rc_entry buf[200];
    rc_memstorage *ms = ms_new(offset, 0);
    size_t n = range(buf, offset + 1, half);
    assert_int_equal(rc_memstorage_append(ms, buf, n), RC_OK);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    n = range(buf, half, last);
    log_append(&l, buf, n);
    rc_entry halfe = E(half, half);
    const uint64_t s = rc_entry_size(&halfe);

    struct {
        uint64_t lo, hi, lim;
        int werr;
        uint64_t wfrom, wto;
    } tt[] = {
        /* compacted */
        { offset - 1, offset + 1, RC_NO_LIMIT, RC_ERR_COMPACTED, 0, 0 },
        { offset, offset + 1, RC_NO_LIMIT, RC_ERR_COMPACTED, 0, 0 },
        /* panics */
        { half, half - 1, RC_NO_LIMIT, RC_ERR_FAILED, 0, 0 },
        { last, last + 1, RC_NO_LIMIT, RC_ERR_FAILED, 0, 0 },
        /* no limit */
        { offset + 1, offset + 1, RC_NO_LIMIT, RC_OK, 0, 0 },
        { offset + 1, half - 1, RC_NO_LIMIT, RC_OK, offset + 1, half - 1 },
        { offset + 1, half, RC_NO_LIMIT, RC_OK, offset + 1, half },
        { offset + 1, half + 1, RC_NO_LIMIT, RC_OK, offset + 1, half + 1 },
        { offset + 1, last, RC_NO_LIMIT, RC_OK, offset + 1, last },
        { half - 1, half, RC_NO_LIMIT, RC_OK, half - 1, half },
        { half - 1, half + 1, RC_NO_LIMIT, RC_OK, half - 1, half + 1 },
        { half - 1, last, RC_NO_LIMIT, RC_OK, half - 1, last },
        { half, half + 1, RC_NO_LIMIT, RC_OK, half, half + 1 },
        { half, last, RC_NO_LIMIT, RC_OK, half, last },
        { last - 1, last, RC_NO_LIMIT, RC_OK, last - 1, last },
        /* at least one entry is always returned */
        { offset + 1, last, 0, RC_OK, offset + 1, offset + 2 },
        { half - 1, half + 1, 0, RC_OK, half - 1, half },
        { half, last, 0, RC_OK, half, half + 1 },
        { half + 1, last, 0, RC_OK, half + 1, half + 2 },
        /* low limit */
        { offset + 1, last, s - 1, RC_OK, offset + 1, offset + 2 },
        { half - 1, half + 1, s - 1, RC_OK, half - 1, half },
        { half, last, s - 1, RC_OK, half, half + 1 },
        /* just enough for one */
        { offset + 1, last, s, RC_OK, offset + 1, offset + 2 },
        { half - 1, half + 1, s, RC_OK, half - 1, half },
        { half, last, s, RC_OK, half, half + 1 },
        /* not enough for two */
        { offset + 1, last, s + 1, RC_OK, offset + 1, offset + 2 },
        { half - 1, half + 1, s + 1, RC_OK, half - 1, half },
        { half, last, s + 1, RC_OK, half, half + 1 },
        /* enough for two */
        { offset + 1, last, s * 2, RC_OK, offset + 1, offset + 3 },
        { half - 2, half + 1, s * 2, RC_OK, half - 2, half },
        { half - 1, half + 1, s * 2, RC_OK, half - 1, half + 1 },
        { half, last, s * 2, RC_OK, half, half + 2 },
        /* not enough for three */
        { half - 2, half + 1, s * 3 - 1, RC_OK, half - 2, half },
        /* enough for three */
        { half - 1, half + 2, s * 3, RC_OK, half - 1, half + 2 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_entries got = { 0 };
        assert_int_equal(rc_log_slice(&l, tt[k].lo, tt[k].hi, tt[k].lim, &got), tt[k].werr);
        expect_range(&got, tt[k].wfrom, tt[k].wto);
        rc_entries_free(&got);
    }
    /* rc_log_entries: from i to the end; i beyond the end gives nothing. */
    rc_entries got = { 0 };
    assert_int_equal(rc_log_entries(&l, last + 1, RC_NO_LIMIT, &got), RC_OK);
    assert_int_equal(got.n, 0);
    assert_int_equal(rc_log_entries(&l, half - 1, s * 2, &got), RC_OK);
    expect_range(&got, half - 1, half + 1);
    rc_entries_free(&got);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

typedef struct scan_ctx {
    rc_entries got;
    uint64_t page;
    int calls, stop_at;
} scan_ctx;

static int scan_visit(void *ud, const rc_entry *ents, size_t n)
{
    scan_ctx *c = ud;
    c->calls++;
    assert_true(n == 1 || rc_entries_size(ents, n) <= c->page);
    assert_int_equal(rc_entries_append_copy(&c->got, ents, n), RC_OK);
    return c->calls == c->stop_at ? 42 : RC_OK;
}

static void test_scan(void **state)
{
    (void)state;
    const uint64_t offset = 47, num = 20, last = offset + num, half = offset + num / 2;
    rc_entry buf[32];
    rc_memstorage *ms = ms_new(offset, 0);
    size_t n = range(buf, offset + 1, half);
    assert_int_equal(rc_memstorage_append(ms, buf, n), RC_OK);
    rc_raft_log l;
    log_new(&l, ms, RC_NO_LIMIT);
    n = range(buf, half, last);
    log_append(&l, buf, n);
    rc_entry he = E(half, half);
    const uint64_t es = rc_entry_size(&he);

    const uint64_t pages[] = { 0, 1, 10, 100, es, es + 1 };
    for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
        for (uint64_t lo = offset + 1; lo < last; lo++) {
            for (uint64_t hi = lo; hi <= last; hi++) {
                scan_ctx c = { .page = pages[p] };
                assert_int_equal(rc_log_scan(&l, lo, hi, pages[p], scan_visit, &c), RC_OK);
                expect_range(&c.got, lo, hi);
                rc_entries_free(&c.got);
            }
        }
    }
    /* The visitor's value stops the scan and is returned. */
    scan_ctx c = { .page = 0, .stop_at = 2 };
    assert_int_equal(rc_log_scan(&l, offset + 1, half, 0, scan_visit, &c), 42);
    assert_int_equal(c.calls, 2);
    rc_entries_free(&c.got);
    /* Pages are filled up to the limit, not one entry at a time. */
    scan_ctx c2 = { .page = es * 2 };
    assert_int_equal(rc_log_scan(&l, offset + 1, offset + 11, es * 2, scan_visit, &c2), RC_OK);
    assert_int_equal(c2.calls, 5);
    rc_entries_free(&c2.got);
    /* A compacted range is an error. */
    scan_ctx c3 = { .page = es };
    assert_int_equal(rc_log_scan(&l, offset, half, es, scan_visit, &c3), RC_ERR_COMPACTED);
    rc_entries_free(&c3.got);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

/* ---- storage failures ---- */

typedef struct bad_storage {
    rc_storage inner;
    int term_err, entries_err;
} bad_storage;

static int bad_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    bad_storage *b = ud;
    return b->inner.ops->initial_state(b->inner.ud, hs, cs);
}
static int bad_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max, rc_entries *out)
{
    bad_storage *b = ud;
    if (b->entries_err != RC_OK)
        return b->entries_err;
    return b->inner.ops->entries(b->inner.ud, lo, hi, max, out);
}
static int bad_term(void *ud, uint64_t i, uint64_t *t)
{
    bad_storage *b = ud;
    if (b->term_err != RC_OK)
        return b->term_err;
    return b->inner.ops->term(b->inner.ud, i, t);
}
static int bad_first(void *ud, uint64_t *i)
{
    bad_storage *b = ud;
    return b->inner.ops->first_index(b->inner.ud, i);
}
static int bad_last(void *ud, uint64_t *i)
{
    bad_storage *b = ud;
    return b->inner.ops->last_index(b->inner.ud, i);
}
static int bad_snapshot(void *ud, rc_snapshot *s)
{
    (void)ud;
    memset(s, 0, sizeof(*s));
    return RC_ERR_SNAP_TEMP_UNAVAILABLE;
}
static const rc_storage_ops bad_ops = { bad_initial_state, bad_entries, bad_term,
                                        bad_first,         bad_last,    bad_snapshot };

static void test_storage_failures(void **state)
{
    (void)state;
    rc_memstorage *ms = ms_new(0, 0);
    assert_int_equal(rc_memstorage_append(ms, prev3, 3), RC_OK);
    bad_storage b = { .inner = rc_memstorage_storage(ms) };
    rc_raft_log l;
    memset(&g_cap, 0, sizeof(g_cap));
    assert_int_equal(rc_log_init(&l, (rc_storage){ &bad_ops, &b }, &g_logger, RC_NO_LIMIT),
                     RC_OK);
    rc_snapshot s;
    assert_int_equal(rc_log_snapshot(&l, &s), RC_ERR_SNAP_TEMP_UNAVAILABLE);

    /* Unavailable from storage inside the valid range: etcd panics. */
    b.entries_err = RC_ERR_UNAVAILABLE;
    rc_entries got = { 0 };
    assert_int_equal(rc_log_slice(&l, 1, 3, RC_NO_LIMIT, &got), RC_ERR_FAILED);
    assert_string_equal(g_cap.last, "entries[1:3) is unavailable from storage");
    assert_int_equal(got.n, 0);
    /* Compacted is passed through. */
    b.entries_err = RC_ERR_COMPACTED;
    assert_int_equal(rc_log_slice(&l, 1, 3, RC_NO_LIMIT, &got), RC_ERR_COMPACTED);
    /* Any other storage error fails. */
    b.entries_err = RC_ERR_STORAGE;
    assert_int_equal(rc_log_slice(&l, 1, 3, RC_NO_LIMIT, &got), RC_ERR_FAILED);
    b.entries_err = RC_OK;

    b.term_err = RC_ERR_STORAGE;
    uint64_t t;
    assert_false(l.failed);
    assert_int_equal(rc_log_term(&l, 2, &t), RC_ERR_FAILED);
    assert_int_equal(g_cap.last_level, RC_LOG_PANIC);
    assert_true(l.failed);
    l.failed = false;
    uint64_t ci;
    const rc_entry e = E(2, 2);
    assert_int_equal(rc_log_find_conflict(&l, &e, 1, &ci), RC_ERR_FAILED);
    assert_int_equal(rc_log_find_conflict_by_term(&l, 3, 3, &ci, &t), RC_ERR_FAILED);
    bool ok;
    uint64_t lastnewi;
    l.failed = false;
    assert_int_equal(rc_log_maybe_append(&l, 3, 3, 3, NULL, 0, &lastnewi, &ok), RC_ERR_FAILED);
    assert_false(ok);
    rc_log_free(&l);
    rc_memstorage_free(ms);
}

static void test_limit_size(void **state)
{
    (void)state;
    rc_entry ents[4];
    range(ents, 1000, 1004);
    uint64_t s = rc_entry_size(&ents[0]);
    assert_true(s > 0);
    assert_int_equal(rc_entries_size(ents, 4), 4 * s);
    assert_int_equal(rc_limit_size(ents, 0, 0), 0);
    assert_int_equal(rc_limit_size(ents, 4, 0), 1);
    assert_int_equal(rc_limit_size(ents, 4, RC_NO_LIMIT), 4);
    assert_int_equal(rc_limit_size(ents, 4, s), 1);
    assert_int_equal(rc_limit_size(ents, 4, 2 * s - 1), 1);
    assert_int_equal(rc_limit_size(ents, 4, 2 * s), 2);
    assert_int_equal(rc_limit_size(ents, 4, 4 * s), 4);
    assert_int_equal(rc_limit_size(ents, 4, 100 * s), 4);
    /* A payload makes the entry bigger. */
    rc_entry big = E(1000, 1000);
    assert_int_equal(rc_bytes_set(&big.data, "0123456789", 10), RC_OK);
    assert_true(rc_entry_size(&big) >= s + 10);
    rc_entry_free(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_conflict),
        cmocka_unit_test(test_find_conflict_by_term),
        cmocka_unit_test(test_is_up_to_date),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_below_commit),
        cmocka_unit_test(test_maybe_append),
        cmocka_unit_test(test_compaction_side_effects),
        cmocka_unit_test(test_next_committed_ents),
        cmocka_unit_test(test_accept_applying),
        cmocka_unit_test(test_applied_to),
        cmocka_unit_test(test_committed_paging),
        cmocka_unit_test(test_commit_to),
        cmocka_unit_test(test_maybe_commit),
        cmocka_unit_test(test_stable_to),
        cmocka_unit_test(test_stable_to_with_snap),
        cmocka_unit_test(test_next_unstable_ents),
        cmocka_unit_test(test_compaction),
        cmocka_unit_test(test_log_restore),
        cmocka_unit_test(test_restore_snapshot),
        cmocka_unit_test(test_term),
        cmocka_unit_test(test_term_with_unstable_snapshot),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_storage_failures),
        cmocka_unit_test(test_limit_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
