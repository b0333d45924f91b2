/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_quorum.c: unit tests for quorum.c (majority/joint committed index, vote result, text
 * forms, the allocation-free fallback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "quorum.h"

/* An acked/vote lookup over parallel arrays; value 0 with known=0 means "no value". */
typedef struct lookup {
    const uint64_t *ids;
    const uint64_t *vals;
    size_t n;
} lookup;

static bool acked(void *ud, uint64_t id, uint64_t *idx)
{
    const lookup *l = ud;
    for (size_t i = 0; i < l->n; i++) {
        if (l->ids[i] == id) {
            *idx = l->vals[i];
            return true;
        }
    }
    return false;
}

/* vals: 1 = no, 2 = yes */
static bool voted(void *ud, uint64_t id, bool *granted)
{
    uint64_t v;
    if (!acked(ud, id, &v))
        return false;
    *granted = v == 2;
    return true;
}

static rc_majority mk(const uint64_t *ids, size_t n)
{
    rc_majority m = {0};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_majority_add(&m, ids[i]), RC_OK);
    return m;
}

#define MK(...) mk((const uint64_t[]){__VA_ARGS__}, sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))

static void test_majority_set(void **state)
{
    (void)state;
    rc_majority m = MK(5, 1, 3, 1, 5);
    assert_int_equal(m.n, 3);
    assert_true(m.ids[0] == 1 && m.ids[1] == 3 && m.ids[2] == 5);
    assert_true(rc_majority_contains(&m, 3));
    assert_false(rc_majority_contains(&m, 4));
    rc_majority_remove(&m, 3);
    rc_majority_remove(&m, 42); /* absent: no-op */
    assert_int_equal(m.n, 2);
    assert_false(rc_majority_contains(&m, 3));
    rc_majority c;
    assert_int_equal(rc_majority_copy(&c, &m), RC_OK);
    rc_majority_clear(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(c.n, 2);
    rc_majority_free(&m);
    rc_majority_free(&c);
}

static void test_majority_committed(void **state)
{
    (void)state;
    rc_majority empty = {0};
    lookup none = {NULL, NULL, 0};
    assert_true(rc_majority_committed(&empty, acked, &none) == RC_QUORUM_INDEX_INF);

    rc_majority one = MK(1);
    assert_true(rc_majority_committed(&one, acked, &none) == 0);
    lookup l1 = {(uint64_t[]){1}, (uint64_t[]){12}, 1};
    assert_true(rc_majority_committed(&one, acked, &l1) == 12);

    /* 3 voters, one unknown (counts as 0): sorted [0 5 7], pick index 1 */
    rc_majority three = MK(1, 2, 3);
    lookup l3 = {(uint64_t[]){1, 3}, (uint64_t[]){5, 7}, 2};
    assert_true(rc_majority_committed(&three, acked, &l3) == 5);

    /* 4 voters need 3: sorted [1 2 3 4], pick index 1 */
    rc_majority four = MK(1, 2, 3, 4);
    lookup l4 = {(uint64_t[]){1, 2, 3, 4}, (uint64_t[]){4, 3, 2, 1}, 4};
    assert_true(rc_majority_committed(&four, acked, &l4) == 2);

    /* ids outside the config are ignored */
    lookup lx = {(uint64_t[]){9, 1}, (uint64_t[]){100, 12}, 2};
    assert_true(rc_majority_committed(&one, acked, &lx) == 12);

    rc_majority_free(&one);
    rc_majority_free(&three);
    rc_majority_free(&four);
}

static void test_majority_committed_large(void **state)
{
    (void)state;
    /* > 64 voters takes the heap + qsort path: values 1..100 -> pick index 100-51=49 -> 50 */
    rc_majority m = {0};
    uint64_t ids[100], vals[100];
    for (int i = 0; i < 100; i++) {
        ids[i] = (uint64_t)(i + 1);
        vals[i] = (uint64_t)(100 - i);
        assert_int_equal(rc_majority_add(&m, ids[i]), RC_OK);
    }
    lookup l = {ids, vals, 100};
    assert_true(rc_majority_committed(&m, acked, &l) == 50);
    rc_majority_free(&m);
}

static void *failing_malloc(void *ud, size_t n)
{
    (void)ud;
    (void)n;
    return NULL;
}
static void *plain_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return realloc(p, n);
}
static void plain_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_majority_committed_nomem_fallback(void **state)
{
    (void)state;
    rc_majority m = {0};
    uint64_t ids[80], vals[80];
    for (int i = 0; i < 80; i++) {
        ids[i] = (uint64_t)(i + 1);
        vals[i] = (uint64_t)((i * 37) % 80); /* permutation of 0..79 */
        assert_int_equal(rc_majority_add(&m, ids[i]), RC_OK);
    }
    lookup l = {ids, vals, 80};
    uint64_t want = rc_majority_committed(&m, acked, &l);
    assert_true(want == 80 - 41); /* sorted 0..79, pick index 80-41 = 39 */
    rc_allocator a = {failing_malloc, plain_realloc, plain_free, NULL};
    rc_set_allocator(&a);
    uint64_t got = rc_majority_committed(&m, acked, &l); /* quadratic fallback */
    rc_set_allocator(NULL);
    assert_true(got == want);
    rc_majority_free(&m);
}

static void test_joint_committed(void **state)
{
    (void)state;
    rc_joint j = {MK(1, 2, 3), {0}};
    lookup l = {(uint64_t[]){1, 2, 3, 4, 5}, (uint64_t[]){10, 20, 30, 5, 6}, 5};
    /* empty outgoing half: same as the incoming majority */
    assert_true(rc_joint_committed(&j, acked, &l) == 20);
    j.outgoing = MK(3, 4, 5);
    /* outgoing [5 6 30] -> 6; min(20, 6) */
    assert_true(rc_joint_committed(&j, acked, &l) == 6);
    rc_majority u;
    assert_int_equal(rc_joint_ids(&u, &j), RC_OK);
    assert_int_equal(u.n, 5);
    rc_majority_free(&u);
    rc_majority_free(&j.incoming);
    rc_majority_free(&j.outgoing);
    rc_joint e = {{0}, {0}};
    assert_true(rc_joint_committed(&e, acked, &l) == RC_QUORUM_INDEX_INF);
}

static void test_vote_result(void **state)
{
    (void)state;
    rc_majority empty = {0};
    lookup none = {NULL, NULL, 0};
    assert_int_equal(rc_majority_vote_result(&empty, voted, &none), RC_VOTE_WON);

    rc_majority m = MK(1, 2, 3);
    assert_int_equal(rc_majority_vote_result(&m, voted, &none), RC_VOTE_PENDING);
    lookup yes1 = {(uint64_t[]){1}, (uint64_t[]){2}, 1};
    assert_int_equal(rc_majority_vote_result(&m, voted, &yes1), RC_VOTE_PENDING);
    lookup yes2 = {(uint64_t[]){1, 3}, (uint64_t[]){2, 2}, 2};
    assert_int_equal(rc_majority_vote_result(&m, voted, &yes2), RC_VOTE_WON);
    lookup no2 = {(uint64_t[]){1, 2}, (uint64_t[]){1, 1}, 2};
    assert_int_equal(rc_majority_vote_result(&m, voted, &no2), RC_VOTE_LOST);
    lookup split = {(uint64_t[]){1, 2}, (uint64_t[]){2, 1}, 2};
    assert_int_equal(rc_majority_vote_result(&m, voted, &split), RC_VOTE_PENDING);

    /* two voters: one rejection loses */
    rc_majority two = MK(4, 8);
    lookup n1 = {(uint64_t[]){4}, (uint64_t[]){1}, 1};
    assert_int_equal(rc_majority_vote_result(&two, voted, &n1), RC_VOTE_LOST);

    /* joint: won+pending -> pending, won+lost -> lost, won+won -> won */
    rc_joint j = {MK(1, 2, 3), MK(3, 4, 5)};
    lookup a = {(uint64_t[]){1, 2, 3}, (uint64_t[]){2, 2, 2}, 3};
    assert_int_equal(rc_joint_vote_result(&j, voted, &a), RC_VOTE_PENDING);
    lookup b = {(uint64_t[]){1, 2, 4, 5}, (uint64_t[]){2, 2, 1, 1}, 4};
    assert_int_equal(rc_joint_vote_result(&j, voted, &b), RC_VOTE_LOST);
    lookup c = {(uint64_t[]){1, 3, 5}, (uint64_t[]){2, 2, 2}, 3};
    assert_int_equal(rc_joint_vote_result(&j, voted, &c), RC_VOTE_WON);

    assert_string_equal(rc_vote_result_name(RC_VOTE_PENDING), "VotePending");
    assert_string_equal(rc_vote_result_name(RC_VOTE_LOST), "VoteLost");
    assert_string_equal(rc_vote_result_name(RC_VOTE_WON), "VoteWon");
    rc_majority_free(&m);
    rc_majority_free(&two);
    rc_majority_free(&j.incoming);
    rc_majority_free(&j.outgoing);
}

static void test_strings(void **state)
{
    (void)state;
    rc_majority empty = {0};
    char *s = rc_majority_string(&empty);
    assert_string_equal(s, "()");
    rc_free(s);
    rc_joint j = {MK(3, 1, 2), {0}};
    s = rc_joint_string(&j);
    assert_string_equal(s, "(1 2 3)");
    rc_free(s);
    j.outgoing = MK(255, 1);
    s = rc_joint_string(&j);
    assert_string_equal(s, "(1 2 3)&&(1 ff)"); /* ids in %x (HARNESS.md §4.5) */
    rc_free(s);
    rc_majority_free(&j.incoming);
    rc_majority_free(&j.outgoing);
}

static void test_describe(void **state)
{
    (void)state;
    lookup none = {NULL, NULL, 0};
    rc_majority empty = {0};
    char *s = rc_majority_describe(&empty, acked, &none);
    assert_string_equal(s, "<empty majority quorum>");
    rc_free(s);

    /* from quorum/majority_commit.txt: cfg=(1, 2, 3, 4, 5) idx=(101, 104, 103, 103,_) */
    rc_majority m = MK(1, 2, 3, 4, 5);
    lookup l = {(uint64_t[]){1, 2, 3, 4}, (uint64_t[]){101, 104, 103, 103}, 4};
    s = rc_majority_describe(&m, acked, &l);
    assert_string_equal(s, "         idx\n"
                           "x>       101    (id=1)\n"
                           "xxxx>    104    (id=2)\n"
                           "xx>      103    (id=3)\n"
                           "xx>      103    (id=4)\n"
                           "?          0    (id=5)\n");
    rc_free(s);

    /* unknown voters print "?" and count as 0; equal values share a bar */
    rc_majority m3 = MK(1, 2, 3);
    lookup l3 = {(uint64_t[]){1, 3}, (uint64_t[]){7, 7}, 2};
    s = rc_majority_describe(&m3, acked, &l3);
    assert_string_equal(s, "       idx\n"
                           "x>       7    (id=1)\n"
                           "?        0    (id=2)\n"
                           "x>       7    (id=3)\n");
    rc_free(s);
    rc_majority_free(&m);
    rc_majority_free(&m3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_majority_set),
        cmocka_unit_test(test_majority_committed),
        cmocka_unit_test(test_majority_committed_large),
        cmocka_unit_test(test_majority_committed_nomem_fallback),
        cmocka_unit_test(test_joint_committed),
        cmocka_unit_test(test_vote_result),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
