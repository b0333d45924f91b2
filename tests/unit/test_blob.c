/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_blob.c: unit tests for the shared payload blobs of core/types (rc_bytes_set_pooled,
 * rc_bytes_copy sharing, plain heap and borrowed views), run under the sanitizers in CI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "types.h"

/* Payloads of every size class (tiny, slab-sized, over a quarter slab) keep their bytes while
 * the pool moves on, and copies share them. */
static void test_pool_sizes(void **state)
{
    (void)state;
    static uint8_t src[20000];
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 7 + 1);
    static const size_t sizes[] = {1, 16, 255, 256, 257, 1024, 4000, 4096, 4097, 16, 20000, 3};
    enum { N = sizeof(sizes) / sizeof(sizes[0]) };
    rc_blob_pool pool = {0};
    rc_bytes b[N], c[N];
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(rc_bytes_set_pooled(&b[i], &pool, src, sizes[i]), RC_OK);
        assert_int_equal(b[i].len, sizes[i]);
        assert_non_null(b[i].owner);
        assert_int_equal(rc_bytes_copy(&c[i], &b[i]), RC_OK);
        assert_ptr_equal(c[i].data, b[i].data); /* shared, not copied */
    }
    rc_blob_pool_free(&pool);
    for (size_t i = 0; i < N; i++) {
        rc_bytes_free(&b[i]);
        assert_memory_equal(c[i].data, src, sizes[i]);
        rc_bytes_free(&c[i]);
        assert_null(c[i].data);
    }
    rc_bytes e;
    assert_int_equal(rc_bytes_set_pooled(&e, &pool, src, 0), RC_OK);
    assert_null(e.data);
    assert_null(e.owner);
    rc_blob_pool_free(&pool);
}

/* A released large payload's blob comes back from the pool for the next payload of its size
 * class (its own bytes), copies keep it alive, and sizes beyond the classes are plain blobs. */
static void test_large_reuse(void **state)
{
    (void)state;
    static uint8_t src[(1 << 20) + 1];
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 13 + 5);
    rc_blob_pool pool = {0};
    rc_bytes a, b, c, d;
    assert_int_equal(rc_bytes_set_pooled(&a, &pool, src, 65536), RC_OK);
    uint8_t *first = a.data;
    rc_bytes_free(&a);
    assert_int_equal(rc_bytes_set_pooled(&b, &pool, src + 1, 60000), RC_OK); /* same class */
    assert_ptr_equal(b.data, first);
    assert_memory_equal(b.data, src + 1, 60000);
    assert_int_equal(rc_bytes_copy(&c, &b), RC_OK); /* shared: the blob stays in use */
    rc_bytes_free(&b);
    assert_int_equal(rc_bytes_set_pooled(&d, &pool, src, 65536), RC_OK);
    assert_ptr_not_equal(d.data, first);
    assert_memory_equal(c.data, src + 1, 60000);
    rc_bytes_free(&c);
    rc_bytes_free(&d);
    rc_bytes big;
    assert_int_equal(rc_bytes_set_pooled(&big, &pool, src, sizeof(src)), RC_OK);
    assert_memory_equal(big.data, src, sizeof(src));
    rc_bytes_free(&big);
    rc_blob_pool_trim(&pool); /* frees the cached blobs */
    assert_int_equal(rc_bytes_set_pooled(&a, &pool, src, 5000), RC_OK);
    rc_blob_pool_free(&pool); /* a stays valid, and is freed (not kept) when released */
    assert_memory_equal(a.data, src, 5000);
    rc_bytes_free(&a);
}

/* A borrowed view (owner NULL) is copied into a fresh blob; the view itself is never freed. */
static void test_copy_of_view(void **state)
{
    (void)state;
    uint8_t buf[4] = {1, 2, 3, 4};
    rc_bytes view = {buf, sizeof(buf), NULL}, c;
    assert_int_equal(rc_bytes_copy(&c, &view), RC_OK);
    assert_ptr_not_equal(c.data, buf);
    assert_non_null(c.owner);
    assert_memory_equal(c.data, buf, 4);
    rc_bytes_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_sizes),
        cmocka_unit_test(test_large_reuse),
        cmocka_unit_test(test_copy_of_view),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
