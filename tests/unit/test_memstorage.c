/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_memstorage.c: etcd's MemoryStorage (storage_test.go cases) and its rc_storage view.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "codec.h"
#include "log.h"
#include "memstorage.h"

static rc_entry E(uint64_t index, uint64_t term)
{
    rc_entry e = { .term = term, .index = index, .type = RC_ENTRY_NORMAL, .data = { NULL, 0 } };
    return e;
}

/* A storage holding ents (index, term) as etcd's tests set ms.ents directly: the first one is
 * the dummy (installed through a snapshot), the rest appended. */
static rc_memstorage *mk(const uint64_t (*ents)[2], size_t n)
{
    rc_memstorage *ms = NULL;
    assert_int_equal(rc_memstorage_new(&ms), RC_OK);
    if (n == 0)
        return ms;
    if (ents[0][0] > 0) {
        rc_snapshot s = { 0 };
        s.metadata.index = ents[0][0];
        s.metadata.term = ents[0][1];
        assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_OK);
    }
    for (size_t i = 1; i < n; i++) {
        rc_entry e = E(ents[i][0], ents[i][1]);
        assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    }
    return ms;
}

/* Checks the storage holds exactly want (dummy first) by index and term. */
static void expect(rc_memstorage *ms, const uint64_t (*want)[2], size_t n)
{
    assert_int_equal(rc_memstorage_first_index(ms), want[0][0] + 1);
    assert_int_equal(rc_memstorage_last_index(ms), want[0][0] + n - 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t t = 0;
        assert_int_equal(rc_memstorage_term(ms, want[i][0], &t), RC_OK);
        assert_int_equal(t, want[i][1]);
    }
}

static const uint64_t ents345[3][2] = { { 3, 3 }, { 4, 4 }, { 5, 5 } };

static void test_new(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(NULL, 0);
    assert_int_equal(rc_memstorage_first_index(ms), 1);
    assert_int_equal(rc_memstorage_last_index(ms), 0);
    uint64_t t = 9;
    assert_int_equal(rc_memstorage_term(ms, 0, &t), RC_OK);
    assert_int_equal(t, 0);
    assert_int_equal(rc_memstorage_term(ms, 1, &t), RC_ERR_UNAVAILABLE);
    /* Only the dummy entry: unavailable. */
    rc_entries out = { 0 };
    assert_int_equal(rc_memstorage_entries(ms, 1, 1, RC_NO_LIMIT, &out), RC_ERR_UNAVAILABLE);
    assert_int_equal(out.n, 0);
    assert_string_equal(rc_memstorage_last_error(ms), "");
    rc_memstorage_free(ms);
    rc_memstorage_free(NULL);
}

static void test_term(void **state)
{
    (void)state;
    static const struct {
        uint64_t i;
        int werr;
        uint64_t wterm;
    } tt[] = {
        { 2, RC_ERR_COMPACTED, 0 }, { 3, RC_OK, 3 }, { 4, RC_OK, 4 },
        { 5, RC_OK, 5 },            { 6, RC_ERR_UNAVAILABLE, 0 },
    };
    rc_memstorage *ms = mk(ents345, 3);
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        uint64_t t = 99;
        assert_int_equal(rc_memstorage_term(ms, tt[k].i, &t), tt[k].werr);
        assert_int_equal(t, tt[k].wterm);
    }
    rc_memstorage_free(ms);
}

static void test_entries(void **state)
{
    (void)state;
    static const uint64_t ents[4][2] = { { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 } };
    rc_memstorage *ms = mk(ents, 4);
    rc_entry e4 = E(4, 4), e5 = E(5, 5), e6 = E(6, 6);
    uint64_t s4 = rc_entry_size(&e4), s5 = rc_entry_size(&e5), s6 = rc_entry_size(&e6);
    static struct {
        uint64_t lo, hi, max;
        int werr;
        size_t wn;
    } tt[] = {
        { 2, 6, RC_NO_LIMIT, RC_ERR_COMPACTED, 0 },
        { 3, 4, RC_NO_LIMIT, RC_ERR_COMPACTED, 0 },
        { 4, 5, RC_NO_LIMIT, RC_OK, 1 },
        { 4, 6, RC_NO_LIMIT, RC_OK, 2 },
        { 4, 7, RC_NO_LIMIT, RC_OK, 3 },
        { 4, 7, 0, RC_OK, 1 }, /* at least one entry even if max is 0 */
        { 4, 7, 0, RC_OK, 2 }, /* s4 + s5 */
        { 4, 7, 0, RC_OK, 2 }, /* s4 + s5 + s6/2 */
        { 4, 7, 0, RC_OK, 2 }, /* s4 + s5 + s6 - 1 */
        { 4, 7, 0, RC_OK, 3 }, /* s4 + s5 + s6 */
        { 5, 5, RC_NO_LIMIT, RC_OK, 0 },
    };
    tt[6].max = s4 + s5;
    tt[7].max = s4 + s5 + s6 / 2;
    tt[8].max = s4 + s5 + s6 - 1;
    tt[9].max = s4 + s5 + s6;
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_entries out = { 0 };
        assert_int_equal(rc_memstorage_entries(ms, tt[k].lo, tt[k].hi, tt[k].max, &out),
                         tt[k].werr);
        assert_int_equal(out.n, tt[k].wn);
        for (size_t j = 0; j < out.n; j++) {
            assert_int_equal(out.v[j].index, tt[k].lo + j);
            assert_int_equal(out.v[j].term, tt[k].lo + j);
        }
        rc_entries_free(&out);
    }
    /* etcd panics when hi is beyond the last index. */
    rc_entries out = { 0 };
    assert_int_equal(rc_memstorage_entries(ms, 4, 8, RC_NO_LIMIT, &out), RC_ERR_FAILED);
    assert_string_equal(rc_memstorage_last_error(ms), "entries' hi(8) is out of bound lastindex(6)");
    assert_int_equal(rc_memstorage_entries(ms, 6, 5, RC_NO_LIMIT, &out), RC_ERR_FAILED);
    assert_int_equal(out.n, 0);
    rc_memstorage_free(ms);
}

static void test_entries_are_copies(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(NULL, 0);
    rc_entry e = E(1, 1);
    assert_int_equal(rc_bytes_set(&e.data, "hello", 5), RC_OK);
    assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    rc_entry_free(&e); /* the storage holds its own copy */
    rc_entries out = { 0 };
    assert_int_equal(rc_memstorage_entries(ms, 1, 2, RC_NO_LIMIT, &out), RC_OK);
    assert_int_equal(out.n, 1);
    assert_memory_equal(out.v[0].data.data, "hello", 5);
    /* Appending to a non-empty out keeps what was there. */
    assert_int_equal(rc_memstorage_entries(ms, 1, 2, RC_NO_LIMIT, &out), RC_OK);
    assert_int_equal(out.n, 2);
    /* payloads are immutable blobs shared with the storage: freeing the copies leaves
     * the storage's entry intact */
    rc_entries_free(&out);
    assert_int_equal(rc_memstorage_entries(ms, 1, 2, RC_NO_LIMIT, &out), RC_OK);
    assert_memory_equal(out.v[0].data.data, "hello", 5);
    rc_entries_free(&out);
    rc_memstorage_free(ms);
}

static void test_last_and_first_index(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(ents345, 3);
    assert_int_equal(rc_memstorage_last_index(ms), 5);
    assert_int_equal(rc_memstorage_first_index(ms), 4);
    rc_entry e = E(6, 5);
    assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    assert_int_equal(rc_memstorage_last_index(ms), 6);
    assert_int_equal(rc_memstorage_compact(ms, 4), RC_OK);
    assert_int_equal(rc_memstorage_first_index(ms), 5);
    rc_memstorage_free(ms);
}

static void test_compact(void **state)
{
    (void)state;
    static const struct {
        uint64_t i;
        int werr;
        uint64_t windex, wterm;
        size_t wlen;
    } tt[] = {
        { 2, RC_ERR_COMPACTED, 3, 3, 3 },
        { 3, RC_ERR_COMPACTED, 3, 3, 3 },
        { 4, RC_OK, 4, 4, 2 },
        { 5, RC_OK, 5, 5, 1 },
        { 6, RC_ERR_FAILED, 3, 3, 3 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = mk(ents345, 3);
        assert_int_equal(rc_memstorage_compact(ms, tt[k].i), tt[k].werr);
        uint64_t t = 0;
        assert_int_equal(rc_memstorage_term(ms, tt[k].windex, &t), RC_OK);
        assert_int_equal(t, tt[k].wterm);
        assert_int_equal(rc_memstorage_first_index(ms), tt[k].windex + 1);
        assert_int_equal(rc_memstorage_last_index(ms) - tt[k].windex + 1, tt[k].wlen);
        if (tt[k].werr == RC_ERR_FAILED)
            assert_string_equal(rc_memstorage_last_error(ms),
                                "compact 6 is out of bound lastindex(5)");
        rc_memstorage_free(ms);
    }
}

static void test_compact_drops_payload(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(NULL, 0);
    rc_entry es[3] = { E(1, 1), E(2, 1), E(3, 2) };
    for (int i = 0; i < 3; i++)
        assert_int_equal(rc_bytes_set(&es[i].data, "xyz", 3), RC_OK);
    assert_int_equal(rc_memstorage_append(ms, es, 3), RC_OK);
    assert_int_equal(rc_memstorage_compact(ms, 2), RC_OK);
    uint64_t t = 0;
    assert_int_equal(rc_memstorage_term(ms, 2, &t), RC_OK);
    assert_int_equal(t, 1);
    rc_entries out = { 0 };
    assert_int_equal(rc_memstorage_entries(ms, 2, 3, RC_NO_LIMIT, &out), RC_ERR_COMPACTED);
    assert_int_equal(rc_memstorage_entries(ms, 3, 4, RC_NO_LIMIT, &out), RC_OK);
    assert_int_equal(out.n, 1);
    assert_memory_equal(out.v[0].data.data, "xyz", 3);
    rc_entries_free(&out);
    for (int i = 0; i < 3; i++)
        rc_entry_free(&es[i]);
    rc_memstorage_free(ms);
}

static void test_create_snapshot(void **state)
{
    (void)state;
    uint64_t voters[] = { 1, 2, 3 };
    rc_conf_state cs = { 0 };
    cs.voters.v = voters;
    cs.voters.n = 3;
    static const struct {
        uint64_t i;
        int werr;
        uint64_t wterm;
    } tt[] = { { 4, RC_OK, 4 }, { 5, RC_OK, 5 }, { 3, RC_ERR_SNAP_OUT_OF_DATE, 0 },
               { 6, RC_ERR_FAILED, 0 } };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = mk(ents345, 3);
        rc_snapshot out;
        assert_int_equal(rc_memstorage_create_snapshot(ms, tt[k].i, &cs, "data", 4, &out),
                         tt[k].werr);
        if (tt[k].werr == RC_OK) {
            assert_int_equal(out.metadata.index, tt[k].i);
            assert_int_equal(out.metadata.term, tt[k].wterm);
            assert_int_equal(out.metadata.conf_state.voters.n, 3);
            assert_int_equal(out.metadata.conf_state.voters.v[2], 3);
            assert_int_equal(out.data.len, 4);
            assert_memory_equal(out.data.data, "data", 4);
            rc_snapshot_free(&out);
            /* Snapshot() returns the same; entries are not compacted by it. */
            rc_snapshot got;
            assert_int_equal(rc_memstorage_snapshot(ms, &got), RC_OK);
            assert_int_equal(got.metadata.index, tt[k].i);
            assert_memory_equal(got.data.data, "data", 4);
            rc_snapshot_free(&got);
            assert_int_equal(rc_memstorage_first_index(ms), 4);
            /* Older or equal index: out of date. */
            assert_int_equal(rc_memstorage_create_snapshot(ms, tt[k].i, NULL, NULL, 0, NULL),
                             RC_ERR_SNAP_OUT_OF_DATE);
        } else {
            assert_null(out.data.data);
        }
        if (tt[k].werr == RC_ERR_FAILED)
            assert_string_equal(rc_memstorage_last_error(ms),
                                "snapshot 6 is out of bound lastindex(5)");
        rc_memstorage_free(ms);
    }
}

static void test_create_snapshot_keeps_conf_state(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(ents345, 3);
    uint64_t voters[] = { 7 };
    rc_conf_state cs = { 0 };
    cs.voters.v = voters;
    cs.voters.n = 1;
    assert_int_equal(rc_memstorage_create_snapshot(ms, 4, &cs, NULL, 0, NULL), RC_OK);
    /* cs NULL keeps the previous ConfState; data replaced. */
    assert_int_equal(rc_memstorage_create_snapshot(ms, 5, NULL, "x", 1, NULL), RC_OK);
    rc_hard_state hs;
    rc_conf_state got;
    assert_int_equal(rc_memstorage_initial_state(ms, &hs, &got), RC_OK);
    assert_int_equal(got.voters.n, 1);
    assert_int_equal(got.voters.v[0], 7);
    rc_conf_state_free(&got);
    rc_memstorage_free(ms);
}

static void test_append(void **state)
{
    (void)state;
    static const struct {
        uint64_t app[4][2];
        size_t napp;
        int werr;
        uint64_t want[4][2];
        size_t nwant;
    } tt[] = {
        { { { 1, 1 }, { 2, 2 } }, 2, RC_OK, { { 3, 3 }, { 4, 4 }, { 5, 5 } }, 3 },
        { { { 3, 3 }, { 4, 4 }, { 5, 5 } }, 3, RC_OK, { { 3, 3 }, { 4, 4 }, { 5, 5 } }, 3 },
        { { { 3, 3 }, { 4, 6 }, { 5, 6 } }, 3, RC_OK, { { 3, 3 }, { 4, 6 }, { 5, 6 } }, 3 },
        { { { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 5 } }, 4, RC_OK,
          { { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 5 } }, 4 },
        /* Truncate incoming entries, truncate the existing entries and append. */
        { { { 2, 3 }, { 3, 3 }, { 4, 5 } }, 3, RC_OK, { { 3, 3 }, { 4, 5 } }, 2 },
        /* Truncate the existing entries and append. */
        { { { 4, 5 } }, 1, RC_OK, { { 3, 3 }, { 4, 5 } }, 2 },
        /* Direct append. */
        { { { 6, 5 } }, 1, RC_OK, { { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 5 } }, 4 },
        /* A gap: etcd panics. */
        { { { 7, 5 } }, 1, RC_ERR_FAILED, { { 3, 3 }, { 4, 4 }, { 5, 5 } }, 3 },
        /* Nothing. */
        { { { 0 } }, 0, RC_OK, { { 3, 3 }, { 4, 4 }, { 5, 5 } }, 3 },
    };
    for (size_t k = 0; k < sizeof(tt) / sizeof(tt[0]); k++) {
        rc_memstorage *ms = mk(ents345, 3);
        rc_entry app[4];
        for (size_t j = 0; j < tt[k].napp; j++)
            app[j] = E(tt[k].app[j][0], tt[k].app[j][1]);
        assert_int_equal(rc_memstorage_append(ms, app, tt[k].napp), tt[k].werr);
        expect(ms, tt[k].want, tt[k].nwant);
        if (tt[k].werr == RC_ERR_FAILED)
            assert_string_equal(rc_memstorage_last_error(ms),
                                "missing log entry [last: 5, append at: 7]");
        rc_memstorage_free(ms);
    }
}

/* A batch right after the last entry and at its term that is not contiguous is refused, at
 * every fill of the entry arrays (with room to spare, appends take a shorter path). */
static void test_append_not_contiguous(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(ents345, 3);
    for (uint64_t last = 5; last < 40; last++) {
        rc_entry bad[2] = { E(last + 1, 5), E(last + 3, 5) };
        assert_int_equal(rc_memstorage_append(ms, bad, 2), RC_ERR_INVALID);
        assert_int_equal(rc_memstorage_last_index(ms), last);
        rc_entry e = E(last + 1, 5);
        assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    }
    rc_memstorage_free(ms);
}

/* Appends that would reach the largest index are refused on the short paths too (one entry,
 * a batch, with room in the arrays), with the storage unchanged; the entries before it are
 * stored. */
static void test_append_at_index_limit(void **state)
{
    (void)state;
    const uint64_t top[1][2] = { { UINT64_MAX - 40, 1 } };
    rc_memstorage *ms = mk(top, 1);
    rc_entry two[2] = { E(UINT64_MAX - 39, 1), E(UINT64_MAX - 38, 1) };
    assert_int_equal(rc_memstorage_append(ms, two, 2), RC_OK);
    for (uint64_t i = UINT64_MAX - 37; i < UINT64_MAX - 2; i++) {
        rc_entry e = E(i, 1);
        assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    }
    rc_entry three[3] = { E(UINT64_MAX - 2, 1), E(UINT64_MAX - 1, 1), E(UINT64_MAX, 1) };
    assert_int_equal(rc_memstorage_append(ms, three, 3), RC_ERR_INVALID);
    assert_int_equal(rc_memstorage_last_index(ms), UINT64_MAX - 3);
    assert_int_equal(rc_memstorage_append(ms, three, 2), RC_OK);
    assert_int_equal(rc_memstorage_last_index(ms), UINT64_MAX - 1);
    rc_entry last = E(UINT64_MAX, 1);
    assert_int_equal(rc_memstorage_append(ms, &last, 1), RC_ERR_INVALID);
    assert_int_equal(rc_memstorage_last_index(ms), UINT64_MAX - 1);
    uint64_t t = 0;
    assert_int_equal(rc_memstorage_term(ms, UINT64_MAX - 1, &t), RC_OK);
    assert_int_equal(t, 1);
    rc_memstorage_free(ms);
}

static void test_apply_snapshot(void **state)
{
    (void)state;
    uint64_t voters[] = { 1, 2, 3 };
    rc_snapshot s = { 0 };
    s.metadata.conf_state.voters.v = voters;
    s.metadata.conf_state.voters.n = 3;
    s.data.data = (uint8_t *)"data";
    s.data.len = 4;
    s.metadata.index = 4;
    s.metadata.term = 4;

    rc_memstorage *ms = mk(NULL, 0);
    rc_entry e = E(1, 1);
    assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_OK);
    assert_int_equal(rc_memstorage_first_index(ms), 5);
    assert_int_equal(rc_memstorage_last_index(ms), 4);
    uint64_t t = 0;
    assert_int_equal(rc_memstorage_term(ms, 4, &t), RC_OK);
    assert_int_equal(t, 4);
    assert_int_equal(rc_memstorage_term(ms, 3, &t), RC_ERR_COMPACTED);
    rc_snapshot got;
    assert_int_equal(rc_memstorage_snapshot(ms, &got), RC_OK);
    assert_int_equal(got.metadata.index, 4);
    assert_int_equal(got.metadata.conf_state.voters.n, 3);
    assert_memory_equal(got.data.data, "data", 4);
    rc_snapshot_free(&got);

    /* Older (or equal) snapshot: out of date, nothing changes. */
    s.metadata.index = 3;
    s.metadata.term = 3;
    assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_ERR_SNAP_OUT_OF_DATE);
    s.metadata.index = 4;
    assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_ERR_SNAP_OUT_OF_DATE);
    assert_int_equal(rc_memstorage_first_index(ms), 5);
    rc_memstorage_free(ms);
}

static void test_hard_state(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(NULL, 0);
    rc_hard_state hs = { .term = 3, .vote = 2, .commit = 1 }, got;
    rc_conf_state cs;
    assert_int_equal(rc_memstorage_initial_state(ms, &got, &cs), RC_OK);
    assert_true(rc_hard_state_is_empty(&got));
    assert_int_equal(cs.voters.n, 0);
    assert_int_equal(rc_memstorage_set_hard_state(ms, &hs), RC_OK);
    assert_int_equal(rc_memstorage_initial_state(ms, &got, &cs), RC_OK);
    assert_true(rc_hard_state_equal(&got, &hs));
    rc_conf_state_free(&cs);
    rc_memstorage_free(ms);
}

static void test_storage_view(void **state)
{
    (void)state;
    rc_memstorage *ms = mk(ents345, 3);
    rc_storage st = rc_memstorage_storage(ms);
    uint64_t v = 0;
    assert_int_equal(st.ops->first_index(st.ud, &v), RC_OK);
    assert_int_equal(v, 4);
    assert_int_equal(st.ops->last_index(st.ud, &v), RC_OK);
    assert_int_equal(v, 5);
    assert_int_equal(st.ops->term(st.ud, 3, &v), RC_OK);
    assert_int_equal(v, 3);
    assert_int_equal(st.ops->term(st.ud, 2, &v), RC_ERR_COMPACTED);
    rc_entries out = { 0 };
    assert_int_equal(st.ops->entries(st.ud, 4, 6, 0, &out), RC_OK);
    assert_int_equal(out.n, 1);
    rc_entries_free(&out);
    rc_snapshot s;
    assert_int_equal(st.ops->snapshot(st.ud, &s), RC_OK);
    assert_int_equal(s.metadata.index, 3);
    rc_snapshot_free(&s);
    rc_hard_state hs;
    rc_conf_state cs;
    assert_int_equal(st.ops->initial_state(st.ud, &hs, &cs), RC_OK);
    rc_conf_state_free(&cs);
    rc_memstorage_free(ms);
}

/* ---- the packed form (memstorage_pack.c) ---- */

/* Checks b holds what a holds: HardState, snapshot (by its encoding), dummy, terms, entries. */
static void expect_same(rc_memstorage *a, rc_memstorage *b)
{
    rc_hard_state ha, hb;
    rc_conf_state ca = { 0 }, cb = { 0 };
    assert_int_equal(rc_memstorage_initial_state(a, &ha, &ca), RC_OK);
    assert_int_equal(rc_memstorage_initial_state(b, &hb, &cb), RC_OK);
    assert_memory_equal(&ha, &hb, sizeof(ha));
    rc_conf_state_free(&ca);
    rc_conf_state_free(&cb);
    rc_snapshot sa, sb;
    assert_int_equal(rc_memstorage_snapshot(a, &sa), RC_OK);
    assert_int_equal(rc_memstorage_snapshot(b, &sb), RC_OK);
    uint8_t *ba, *bb;
    size_t la, lb;
    assert_int_equal(rc_encode_snapshot(&ba, &la, &sa), RC_OK);
    assert_int_equal(rc_encode_snapshot(&bb, &lb, &sb), RC_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    rc_free(ba);
    rc_free(bb);
    rc_snapshot_free(&sa);
    rc_snapshot_free(&sb);
    uint64_t first = rc_memstorage_first_index(a), last = rc_memstorage_last_index(a);
    assert_int_equal(rc_memstorage_first_index(b), first);
    assert_int_equal(rc_memstorage_last_index(b), last);
    for (uint64_t i = first - 1; i <= last; i++) {
        uint64_t ta = 0, tb = 0;
        assert_int_equal(rc_memstorage_term(a, i, &ta), RC_OK);
        assert_int_equal(rc_memstorage_term(b, i, &tb), RC_OK);
        assert_int_equal(ta, tb);
    }
    if (last < first)
        return;
    rc_entries ea = { 0 }, eb = { 0 };
    assert_int_equal(rc_memstorage_entries(a, first, last + 1, RC_NO_LIMIT, &ea), RC_OK);
    assert_int_equal(rc_memstorage_entries(b, first, last + 1, RC_NO_LIMIT, &eb), RC_OK);
    assert_int_equal(ea.n, eb.n);
    for (size_t k = 0; k < ea.n; k++) {
        assert_int_equal(ea.v[k].index, eb.v[k].index);
        assert_int_equal(ea.v[k].term, eb.v[k].term);
        assert_int_equal(ea.v[k].type, eb.v[k].type);
        assert_int_equal(ea.v[k].data.len, eb.v[k].data.len);
        if (ea.v[k].data.len > 0)
            assert_memory_equal(ea.v[k].data.data, eb.v[k].data.data, ea.v[k].data.len);
    }
    rc_entries_free(&ea);
    rc_entries_free(&eb);
}

/* Packs ms, unpacks the block, checks the copy is the same and that every shortened body is
 * refused; returns the block's size. */
static size_t pack_round_trip(rc_memstorage *ms)
{
    size_t len = rc_memstorage_packed_size(ms);
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    rc_memstorage_pack(buf, ms);
    rc_memstorage *copy = NULL;
    assert_int_equal(rc_memstorage_unpack(&copy, buf), RC_OK);
    expect_same(ms, copy);
    rc_memstorage_free(copy);
    /* the body cut short at every length (the length varint rewritten): refused */
    size_t hdr = 1;
    while (buf[hdr - 1] & 0x80)
        hdr++;
    uint8_t *cut = malloc(len + 10);
    assert_non_null(cut);
    for (size_t body = 0; body < len - hdr; body++) {
        size_t h = 0;
        uint64_t v = body;
        while (v >= 0x80) {
            cut[h++] = (uint8_t)(v | 0x80);
            v >>= 7;
        }
        cut[h++] = (uint8_t)v;
        memcpy(cut + h, buf + hdr, body);
        copy = (rc_memstorage *)1;
        assert_int_equal(rc_memstorage_unpack(&copy, cut), RC_ERR_DECODE);
        assert_null(copy);
    }
    free(cut);
    free(buf);
    return len;
}

static void test_pack(void **state)
{
    (void)state;
    rc_memstorage *ms = NULL;
    assert_int_equal(rc_memstorage_new(&ms), RC_OK);
    assert_int_equal(pack_round_trip(ms), 9); /* length, HardState, dummy, no snapshot, 0, 0 */
    /* term runs 1, 1, 2, 2, 2, 5 and payloads of every kind, types included */
    static const uint64_t terms[] = { 1, 1, 2, 2, 2, 5, 5 };
    static const char *payloads[] = { "a", "", "conf", "xyz", "", "0123456789abcdef", "q" };
    for (size_t i = 0; i < 7; i++) {
        rc_entry e = E(i + 1, terms[i]);
        e.type = i == 2 ? RC_ENTRY_CONF_CHANGE : i == 3 ? RC_ENTRY_CONF_CHANGE_V2
                                                        : RC_ENTRY_NORMAL;
        e.data.data = (uint8_t *)(uintptr_t)payloads[i];
        e.data.len = strlen(payloads[i]);
        assert_int_equal(rc_memstorage_append(ms, &e, 1), RC_OK);
    }
    rc_hard_state hs = { .term = 5, .vote = 3, .commit = 6 };
    assert_int_equal(rc_memstorage_set_hard_state(ms, &hs), RC_OK);
    pack_round_trip(ms);
    /* a snapshot with a configuration and data, the log compacted below it */
    rc_conf_state cs = { 0 };
    assert_int_equal(rc_ids_push(&cs.voters, 1), RC_OK);
    assert_int_equal(rc_ids_push(&cs.voters, 2), RC_OK);
    assert_int_equal(rc_ids_push(&cs.learners, 7), RC_OK);
    assert_int_equal(rc_memstorage_create_snapshot(ms, 4, &cs, "state", 5, NULL), RC_OK);
    rc_conf_state_free(&cs);
    assert_int_equal(rc_memstorage_compact(ms, 2), RC_OK);
    pack_round_trip(ms);
    /* compacted into the middle of a term run, then past the snapshot */
    assert_int_equal(rc_memstorage_compact(ms, 4), RC_OK);
    pack_round_trip(ms);
    assert_int_equal(rc_memstorage_compact(ms, 6), RC_OK);
    pack_round_trip(ms);
    /* compacted to the last entry: only the dummy */
    assert_int_equal(rc_memstorage_compact(ms, 7), RC_OK);
    pack_round_trip(ms);
    rc_memstorage_free(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new),
        cmocka_unit_test(test_term),
        cmocka_unit_test(test_entries),
        cmocka_unit_test(test_entries_are_copies),
        cmocka_unit_test(test_last_and_first_index),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_compact_drops_payload),
        cmocka_unit_test(test_create_snapshot),
        cmocka_unit_test(test_create_snapshot_keeps_conf_state),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_not_contiguous),
        cmocka_unit_test(test_append_at_index_limit),
        cmocka_unit_test(test_apply_snapshot),
        cmocka_unit_test(test_hard_state),
        cmocka_unit_test(test_storage_view),
        cmocka_unit_test(test_pack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
