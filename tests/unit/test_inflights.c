/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_inflights.c: unit tests for inflights.c (ring wraparound, lazy growth, count and byte
 * limits, etcd's Full(), clone, reset).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inflights.h"
#include "types.h"

/* The in-flight indexes in window order. */
static size_t window(const rc_inflights *in, uint64_t *out)
{
    size_t idx = in->start;
    for (size_t i = 0; i < in->count; i++) {
        out[i] = in->buf[idx].index;
        if (++idx >= in->size)
            idx -= in->size;
    }
    return in->count;
}

static void test_add_and_free(void **state)
{
    (void)state;
    rc_inflights in;
    rc_inflights_init(&in, 10, 0);
    assert_int_equal(in.cap, 0); /* nothing allocated up front */
    for (uint64_t i = 0; i < 5; i++)
        assert_int_equal(rc_inflights_add(&in, i, 1), RC_OK);
    assert_int_equal(rc_inflights_count(&in), 5);
    assert_false(rc_inflights_full(&in));
    for (uint64_t i = 5; i < 10; i++)
        assert_int_equal(rc_inflights_add(&in, i, 1), RC_OK);
    assert_true(rc_inflights_full(&in));
    assert_int_equal(rc_inflights_add(&in, 10, 1), RC_ERR_FAILED); /* etcd panics */
    assert_int_equal(rc_inflights_count(&in), 10);

    rc_inflights_free_le(&in, 4);
    assert_int_equal(in.start, 5);
    assert_int_equal(rc_inflights_count(&in), 5);
    assert_true(in.bytes == 5);
    rc_inflights_free_le(&in, 3); /* left of the window: no-op */
    assert_int_equal(rc_inflights_count(&in), 5);
    rc_inflights_free_le(&in, 8);
    assert_int_equal(in.start, 9);
    assert_int_equal(rc_inflights_count(&in), 1);
    rc_inflights_free_le(&in, 9);
    assert_int_equal(rc_inflights_count(&in), 0);
    assert_int_equal(in.start, 0); /* empty window restarts at slot 0 */
    rc_inflights_free_le(&in, 100); /* empty: no-op */
    rc_inflights_free(&in);
}

static void test_wraparound(void **state)
{
    (void)state;
    rc_inflights in;
    rc_inflights_init(&in, 10, 0);
    for (uint64_t i = 0; i < 10; i++)
        assert_int_equal(rc_inflights_add(&in, i, 100 + i), RC_OK);
    rc_inflights_free_le(&in, 4);
    /* 5 slots free at the front: the next adds wrap to slots 0.. */
    for (uint64_t i = 10; i < 15; i++)
        assert_int_equal(rc_inflights_add(&in, i, 100 + i), RC_OK);
    assert_true(rc_inflights_full(&in));
    assert_int_equal(in.start, 5);
    assert_true(in.buf[0].index == 10 && in.buf[4].index == 14);
    uint64_t w[16];
    assert_int_equal(window(&in, w), 10);
    for (size_t i = 0; i < 10; i++)
        assert_true(w[i] == 5 + i);
    /* freeing across the wrap point */
    rc_inflights_free_le(&in, 12);
    assert_int_equal(in.start, 3);
    assert_int_equal(rc_inflights_count(&in), 2);
    assert_true(in.bytes == 113 + 114);
    rc_inflights_free(&in);
}

static void test_lazy_growth(void **state)
{
    (void)state;
    rc_inflights in;
    rc_inflights_init(&in, 10, 0);
    size_t caps[10];
    for (uint64_t i = 0; i < 10; i++) {
        assert_int_equal(rc_inflights_add(&in, i, 0), RC_OK);
        caps[i] = in.cap;
    }
    /* doubling from 1, capped at size */
    size_t want[10] = {1, 2, 4, 4, 8, 8, 8, 8, 10, 10};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(caps[i], want[i]);
    rc_inflights_free(&in);

    /* the window restarts at 0 when emptied, so a steady trickle never grows the buffer */
    rc_inflights_init(&in, 1000, 0);
    for (uint64_t i = 0; i < 100; i++) {
        assert_int_equal(rc_inflights_add(&in, i, 0), RC_OK);
        rc_inflights_free_le(&in, i);
    }
    assert_int_equal(in.cap, 1);
    rc_inflights_free(&in);
}

/* etcd's TestInflightsFull table: add until full, free, add until full again, then a further
 * add must fail. Entry i carries 100+i bytes. */
static void test_full_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t size;
        uint64_t max_bytes;
        size_t full_at;
        uint64_t free_le;
        size_t again_at;
    } cases[] = {
        {"always-full", 0, 0, 0, 0, 0},
        {"single-entry", 1, 0, 1, 1, 2},
        {"single-entry-overflow", 1, 10, 1, 1, 2},
        {"multi-entry", 15, 0, 15, 6, 22},
        {"slight-overflow", 8, 400, 4, 2, 7},
        {"exact-max-bytes", 8, 406, 4, 3, 8},
        {"larger-overflow", 15, 408, 5, 1, 6},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        rc_inflights in;
        rc_inflights_init(&in, cases[c].size, cases[c].max_bytes);
        for (size_t i = 0; i < cases[c].full_at; i++) {
            assert_false(rc_inflights_full(&in));
            assert_int_equal(rc_inflights_add(&in, i, 100 + i), RC_OK);
        }
        assert_true(rc_inflights_full(&in));
        rc_inflights_free_le(&in, cases[c].free_le);
        for (size_t i = cases[c].full_at; i < cases[c].again_at; i++) {
            assert_false(rc_inflights_full(&in));
            assert_int_equal(rc_inflights_add(&in, i, 100 + i), RC_OK);
        }
        assert_true(rc_inflights_full(&in));
        assert_int_equal(rc_inflights_add(&in, 100, 1024), RC_ERR_FAILED);
        rc_inflights_free(&in);
    }
}

static void test_byte_limit(void **state)
{
    (void)state;
    rc_inflights in;
    rc_inflights_init(&in, 100, 1000);
    assert_int_equal(rc_inflights_add(&in, 1, 999), RC_OK);
    assert_false(rc_inflights_full(&in));
    assert_int_equal(rc_inflights_add(&in, 2, 0), RC_OK); /* empty payloads fit */
    assert_int_equal(rc_inflights_add(&in, 3, 5000), RC_OK); /* one entry may overshoot */
    assert_true(rc_inflights_full(&in));
    assert_int_equal(rc_inflights_add(&in, 4, 1), RC_ERR_FAILED);
    rc_inflights_free_le(&in, 2);
    assert_true(rc_inflights_full(&in)); /* 5000 still in flight */
    rc_inflights_free_le(&in, 3);
    assert_false(rc_inflights_full(&in));
    assert_true(in.bytes == 0);
    rc_inflights_free(&in);
}

static void test_clone_and_reset(void **state)
{
    (void)state;
    rc_inflights in, cp;
    rc_inflights_init(&in, 4, 0);
    rc_inflights_init(&cp, 1, 1);
    assert_int_equal(rc_inflights_clone(&cp, &in), RC_OK); /* empty clone allocates nothing */
    assert_null(cp.buf);
    rc_inflights_free(&cp);
    for (uint64_t i = 1; i <= 3; i++)
        assert_int_equal(rc_inflights_add(&in, i, 10), RC_OK);
    assert_int_equal(rc_inflights_clone(&cp, &in), RC_OK);
    assert_ptr_not_equal(cp.buf, in.buf);
    rc_inflights_free_le(&in, 3);
    assert_int_equal(rc_inflights_count(&cp), 3); /* independent */
    assert_true(cp.bytes == 30);
    rc_inflights_reset(&cp);
    assert_int_equal(rc_inflights_count(&cp), 0);
    assert_true(cp.bytes == 0 && cp.start == 0);
    assert_true(cp.cap > 0); /* reset keeps the buffer */
    rc_inflights_free(&cp);
    rc_inflights_free(&in);
    assert_null(in.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_free),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_lazy_growth),
        cmocka_unit_test(test_full_table),
        cmocka_unit_test(test_byte_limit),
        cmocka_unit_test(test_clone_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
