/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_confchange.c: unit tests for confchange.c (Simple/EnterJoint/LeaveJoint, every error
 * text, invariant checks, LearnersNext, Restore, the V2 helpers, allocation failures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "confchange.h"

#define V(id) ((rc_cc_single){RC_CC_ADD_NODE, (id)})
#define L(id) ((rc_cc_single){RC_CC_ADD_LEARNER_NODE, (id)})
#define R(id) ((rc_cc_single){RC_CC_REMOVE_NODE, (id)})
#define U(id) ((rc_cc_single){RC_CC_UPDATE_NODE, (id)})
#define CCS(...) (const rc_cc_single[]){__VA_ARGS__}, \
                 sizeof((rc_cc_single[]){__VA_ARGS__}) / sizeof(rc_cc_single)

typedef enum { OP_SIMPLE, OP_ENTER, OP_ENTER_AUTO, OP_LEAVE } op_kind;

/* Runs one changer op on t; on success installs the result. Returns the rc and the error text
 * (heap, caller frees) in *err. */
static int run(rc_tracker *t, uint64_t last_index, op_kind op, const rc_cc_single *ccs,
               size_t n, char **err)
{
    rc_changer ch = {t, last_index};
    rc_tracker_config cfg;
    rc_progress_map prs;
    int rc;
    switch (op) {
    case OP_SIMPLE:
        rc = rc_changer_simple(&ch, ccs, n, &cfg, &prs, err);
        break;
    case OP_ENTER:
    case OP_ENTER_AUTO:
        rc = rc_changer_enter_joint(&ch, op == OP_ENTER_AUTO, ccs, n, &cfg, &prs, err);
        break;
    default:
        rc = rc_changer_leave_joint(&ch, &cfg, &prs, err);
        break;
    }
    if (rc == RC_OK) {
        assert_null(*err);
        rc_tracker_set_config(t, &cfg, &prs);
    } else {
        /* outputs are left zeroed on failure */
        assert_null(cfg.voters.incoming.ids);
        assert_null(prs.v);
        assert_int_equal(prs.n, 0);
    }
    return rc;
}

static void ok(rc_tracker *t, uint64_t li, op_kind op, const rc_cc_single *ccs, size_t n)
{
    char *err = NULL;
    int rc = run(t, li, op, ccs, n, &err);
    if (rc != RC_OK)
        fail_msg("unexpected error %d: %s", rc, err ? err : "(null)");
}

static void fails(rc_tracker *t, uint64_t li, op_kind op, const rc_cc_single *ccs, size_t n,
                  const char *want)
{
    char *before = rc_tracker_config_string(&t->config);
    char *before_prs = rc_progress_map_string(&t->progress);
    char *err = NULL;
    assert_int_equal(run(t, li, op, ccs, n, &err), RC_ERR_CONFCHANGE);
    assert_non_null(err);
    assert_string_equal(err, want);
    rc_free(err);
    /* the tracker is untouched */
    char *after = rc_tracker_config_string(&t->config);
    char *after_prs = rc_progress_map_string(&t->progress);
    assert_string_equal(before, after);
    assert_string_equal(before_prs, after_prs);
    rc_free(before);
    rc_free(after);
    rc_free(before_prs);
    rc_free(after_prs);
}

static void assert_state(const rc_tracker *t, const char *want_cfg, const char *want_prs)
{
    char *c = rc_tracker_config_string(&t->config);
    char *p = rc_progress_map_string(&t->progress);
    assert_string_equal(c, want_cfg);
    assert_string_equal(p, want_prs);
    rc_free(c);
    rc_free(p);
}

static void test_simple(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 10, 0);
    ok(&t, 0, OP_SIMPLE, CCS(V(1)));
    assert_state(&t, "voters=(1)", "1: StateProbe match=0 next=1\n");
    ok(&t, 5, OP_SIMPLE, CCS(V(2), L(3), U(1), V(0))); /* update no-op; id 0 skipped */
    assert_state(&t, "voters=(1 2) learners=(3)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=5\n"
                 "3: StateProbe match=0 next=5 learner\n");
    ok(&t, 6, OP_SIMPLE, CCS(V(1))); /* idempotent */
    /* promote the learner: one voter change */
    ok(&t, 6, OP_SIMPLE, CCS(V(3)));
    assert_state(&t, "voters=(1 2 3)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=5\n"
                 "3: StateProbe match=0 next=5\n");
    /* demote a voter: the progress stays */
    ok(&t, 7, OP_SIMPLE, CCS(L(2)));
    assert_state(&t, "voters=(1 3) learners=(2)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=5 learner\n"
                 "3: StateProbe match=0 next=5\n");
    ok(&t, 8, OP_SIMPLE, CCS(R(2), R(9))); /* unknown id ignored */
    assert_state(&t, "voters=(1 3)", "1: StateProbe match=0 next=1\n3: StateProbe match=0 next=5\n");
    /* remove + re-add makes a fresh progress at the current last index */
    ok(&t, 20, OP_SIMPLE, CCS(R(3), V(3)));
    assert_state(&t, "voters=(1 3)",
                 "1: StateProbe match=0 next=1\n3: StateProbe match=0 next=20\n");
    rc_tracker_free(&t);
}

static void test_simple_errors(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 10, 0);
    fails(&t, 0, OP_SIMPLE, CCS(L(1)), "removed all voters");
    fails(&t, 0, OP_SIMPLE, CCS(V(1), V(2)),
          "more than one voter changed without entering joint config");
    ok(&t, 0, OP_SIMPLE, CCS(V(1)));
    fails(&t, 0, OP_SIMPLE, CCS(R(1)), "removed all voters");
    fails(&t, 0, OP_SIMPLE, CCS(V(2), R(1)),
          "more than one voter changed without entering joint config");
    fails(&t, 0, OP_SIMPLE, CCS(((rc_cc_single){(rc_cc_type)7, 2})), "unexpected conf type 7");
    ok(&t, 0, OP_SIMPLE, CCS(L(2), L(3), L(4))); /* learners are free */
    ok(&t, 0, OP_ENTER, CCS(V(5)));
    fails(&t, 0, OP_SIMPLE, CCS(V(6)), "can't apply simple config change in joint config");
    rc_tracker_free(&t);
}

static void test_joint(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 10, 0);
    fails(&t, 0, OP_ENTER, CCS(V(1)), "can't make a zero-voter config joint");
    fails(&t, 0, OP_LEAVE, NULL, 0, "can't leave a non-joint config");
    ok(&t, 0, OP_SIMPLE, CCS(V(1)));
    ok(&t, 1, OP_SIMPLE, CCS(V(2)));
    ok(&t, 2, OP_SIMPLE, CCS(V(3)));
    /* replace 3 by 4, demote 2 (still an outgoing voter -> learners_next) */
    ok(&t, 3, OP_ENTER_AUTO, CCS(R(3), V(4), L(2)));
    assert_state(&t, "voters=(1 4)&&(1 2 3) learners_next=(2) autoleave",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1\n"
                 "3: StateProbe match=0 next=2\n4: StateProbe match=0 next=3\n");
    fails(&t, 4, OP_ENTER, CCS(V(5)), "config is already joint");
    fails(&t, 4, OP_ENTER, NULL, 0, "config is already joint");
    fails(&t, 4, OP_ENTER_AUTO, CCS(R(1), R(4)), "config is already joint");
    ok(&t, 4, OP_LEAVE, NULL, 0);
    assert_state(&t, "voters=(1 4) learners=(2)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1 learner\n"
                 "4: StateProbe match=0 next=3\n");
    rc_tracker_free(&t);
}

static void test_joint_learners_next(void **state)
{
    (void)state;
    /* etcd's joint_learners_next.txt: v1 -> enter v2 l1 -> leave */
    rc_tracker t;
    rc_tracker_init(&t, 10, 0);
    ok(&t, 0, OP_SIMPLE, CCS(V(1)));
    ok(&t, 1, OP_ENTER, CCS(V(2), L(1)));
    assert_state(&t, "voters=(2)&&(1) learners_next=(1)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1\n");
    /* re-promoting the staged learner while joint takes it out of learners_next */
    rc_tracker t2;
    rc_tracker_init(&t2, 10, 0);
    ok(&t2, 0, OP_SIMPLE, CCS(V(1)));
    ok(&t2, 1, OP_ENTER, CCS(V(2), L(1), V(1)));
    assert_state(&t2, "voters=(1 2)&&(1)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1\n");
    rc_tracker_free(&t2);
    ok(&t, 2, OP_LEAVE, NULL, 0);
    assert_state(&t, "voters=(2) learners=(1)",
                 "1: StateProbe match=0 next=1 learner\n2: StateProbe match=0 next=1\n");
    rc_tracker_free(&t);
}

static void test_joint_remove_keeps_outgoing_progress(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 10, 0);
    ok(&t, 0, OP_SIMPLE, CCS(V(1)));
    ok(&t, 0, OP_SIMPLE, CCS(V(2)));
    ok(&t, 0, OP_ENTER, CCS(R(2), V(3)));
    assert_state(&t, "voters=(1 3)&&(1 2)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1\n"
                 "3: StateProbe match=0 next=1\n");
    ok(&t, 0, OP_LEAVE, NULL, 0);
    assert_state(&t, "voters=(1 3)", "1: StateProbe match=0 next=1\n3: StateProbe match=0 next=1\n");
    /* entering joint and removing every incoming voter */
    fails(&t, 0, OP_ENTER, CCS(R(1), R(3)), "removed all voters");
    rc_tracker_free(&t);
}

/* Invariant violations in the input tracker are reported by checkAndCopy. */
static void test_invariants(void **state)
{
    (void)state;
    static const struct {
        const char *want;
        int setup;
    } cases[] = {
        {"no progress for 1", 0},
        {"2 is in LearnersNext, but not Voters[1]", 1},
        {"2 is in LearnersNext, but is already marked as learner", 2},
        {"2 is in Learners and Voters[1]", 3},
        {"2 is in Learners and Voters[0]", 4},
        {"2 is in Learners, but is not marked as learner", 5},
        /* etcd's "cfg.LearnersNext must be nil when not joint" is unreachable: a staged
         * learner outside a joint config already fails the Voters[1] check */
        {"2 is in LearnersNext, but not Voters[1]", 6},
        {"AutoLeave must be false when not joint", 7},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc_tracker t;
        rc_tracker_init(&t, 10, 0);
        rc_progress pr;
        assert_int_equal(rc_majority_add(&t.config.voters.incoming, 1), RC_OK);
        if (cases[i].setup != 0) {
            rc_progress_init(&pr, 1, 10, 0, false);
            assert_non_null(rc_progress_map_put(&t.progress, 1, &pr));
            rc_progress_init(&pr, 1, 10, 0, cases[i].setup == 2 || cases[i].setup == 3 ||
                                                cases[i].setup == 4);
            assert_non_null(rc_progress_map_put(&t.progress, 2, &pr));
        }
        switch (cases[i].setup) {
        case 1:
            assert_int_equal(rc_majority_add(&t.config.voters.outgoing, 1), RC_OK);
            assert_int_equal(rc_majority_add(&t.config.learners_next, 2), RC_OK);
            break;
        case 2:
            assert_int_equal(rc_majority_add(&t.config.voters.outgoing, 2), RC_OK);
            assert_int_equal(rc_majority_add(&t.config.learners_next, 2), RC_OK);
            break;
        case 3:
            assert_int_equal(rc_majority_add(&t.config.voters.outgoing, 2), RC_OK);
            assert_int_equal(rc_majority_add(&t.config.learners, 2), RC_OK);
            break;
        case 4:
            assert_int_equal(rc_majority_add(&t.config.voters.incoming, 2), RC_OK);
            assert_int_equal(rc_majority_add(&t.config.learners, 2), RC_OK);
            break;
        case 5:
            assert_int_equal(rc_majority_add(&t.config.learners, 2), RC_OK);
            break;
        case 6:
            assert_int_equal(rc_majority_add(&t.config.learners_next, 2), RC_OK);
            break;
        case 7:
            t.config.auto_leave = true;
            break;
        }
        fails(&t, 0, OP_SIMPLE, CCS(U(1)), cases[i].want);
        rc_tracker_free(&t);
    }
}

static rc_conf_state cs_of(const uint64_t *v, size_t nv, const uint64_t *l, size_t nl,
                           const uint64_t *o, size_t no, const uint64_t *ln, size_t nln, bool al)
{
    rc_conf_state cs = {{(uint64_t *)v, nv}, {(uint64_t *)l, nl}, {(uint64_t *)o, no},
                        {(uint64_t *)ln, nln}, al};
    return cs;
}

static int restore(rc_tracker *t, const rc_conf_state *cs, uint64_t li, char **err)
{
    rc_changer ch = {t, li};
    rc_tracker_config cfg;
    rc_progress_map prs;
    int rc = rc_confchange_restore(&ch, cs, &cfg, &prs, err);
    if (rc == RC_OK)
        rc_tracker_set_config(t, &cfg, &prs);
    return rc;
}

static void test_restore(void **state)
{
    (void)state;
    char *err = NULL;
    rc_tracker t;

    /* etcd's example: voters=(1 2 3) learners=(5) outgoing=(1 2 4 6) learners_next=(4) */
    rc_tracker_init(&t, 10, 0);
    rc_conf_state cs = cs_of((uint64_t[]){1, 2, 3}, 3, (uint64_t[]){5}, 1,
                             (uint64_t[]){1, 2, 4, 6}, 4, (uint64_t[]){4}, 1, true);
    assert_int_equal(restore(&t, &cs, 10, &err), RC_OK);
    assert_state(&t, "voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4) autoleave",
                 "1: StateProbe match=0 next=10\n2: StateProbe match=0 next=10\n"
                 "3: StateProbe match=0 next=10\n4: StateProbe match=0 next=10\n"
                 "5: StateProbe match=0 next=10 learner\n6: StateProbe match=0 next=10\n");
    /* the round trip gives the same (sorted) ConfState */
    rc_conf_state back;
    assert_int_equal(rc_tracker_config_to_conf_state(&back, &t.config), RC_OK);
    assert_true(rc_conf_state_equivalent(&back, &cs));
    rc_conf_state_free(&back);
    rc_tracker_free(&t);

    /* simple config, unsorted input */
    rc_tracker_init(&t, 10, 0);
    cs = cs_of((uint64_t[]){3, 1, 2}, 3, (uint64_t[]){7}, 1, NULL, 0, NULL, 0, false);
    assert_int_equal(restore(&t, &cs, 0, &err), RC_OK);
    assert_state(&t, "voters=(1 2 3) learners=(7)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1\n"
                 "3: StateProbe match=0 next=1\n7: StateProbe match=0 next=1 learner\n");
    rc_tracker_free(&t);

    /* empty ConfState: empty config */
    rc_tracker_init(&t, 10, 0);
    cs = cs_of(NULL, 0, NULL, 0, NULL, 0, NULL, 0, false);
    assert_int_equal(restore(&t, &cs, 0, &err), RC_OK);
    assert_state(&t, "voters=()", "");

    /* learners without voters: etcd refuses (each change is a Simple one) */
    cs = cs_of(NULL, 0, (uint64_t[]){1}, 1, NULL, 0, NULL, 0, false);
    assert_int_equal(restore(&t, &cs, 0, &err), RC_ERR_CONFCHANGE);
    assert_string_equal(err, "removed all voters");
    rc_free(err);
    err = NULL;

    /* auto_leave without outgoing voters: the Simple path never sets it */
    cs = cs_of((uint64_t[]){1}, 1, NULL, 0, NULL, 0, NULL, 0, true);
    assert_int_equal(restore(&t, &cs, 0, &err), RC_OK); /* Simple path ignores AutoLeave */
    assert_state(&t, "voters=(1)", "1: StateProbe match=0 next=1\n");
    rc_tracker_free(&t);

    /* a voter that is also a learner */
    rc_tracker_init(&t, 10, 0);
    cs = cs_of((uint64_t[]){1, 2}, 2, (uint64_t[]){2}, 1, NULL, 0, NULL, 0, false);
    assert_int_equal(restore(&t, &cs, 0, &err), RC_OK); /* etcd: 2 ends up a learner */
    assert_state(&t, "voters=(1) learners=(2)",
                 "1: StateProbe match=0 next=1\n2: StateProbe match=0 next=1 learner\n");
    rc_tracker_free(&t);
}

static void test_v2_helpers(void **state)
{
    (void)state;
    rc_cc_single one[1] = {V(1)}, two[2] = {V(1), V(2)};
    bool al = true;
    rc_conf_change_v2 cc = {RC_CC_TRANSITION_AUTO, NULL, 0, {NULL, 0}};
    assert_true(rc_cc_v2_leave_joint(&cc));
    assert_false(rc_cc_v2_enter_joint(&cc, &al));
    assert_false(al);
    uint8_t ctx[1] = {'x'};
    cc.context = (rc_bytes){ctx, 1};
    assert_true(rc_cc_v2_leave_joint(&cc)); /* the context is ignored */
    cc.changes = one;
    cc.n_changes = 1;
    assert_false(rc_cc_v2_leave_joint(&cc));
    assert_false(rc_cc_v2_enter_joint(&cc, &al));
    cc.changes = two;
    cc.n_changes = 2;
    assert_true(rc_cc_v2_enter_joint(&cc, &al));
    assert_true(al);
    cc.transition = RC_CC_TRANSITION_JOINT_IMPLICIT;
    cc.n_changes = 1;
    assert_true(rc_cc_v2_enter_joint(&cc, &al));
    assert_true(al);
    cc.transition = RC_CC_TRANSITION_JOINT_EXPLICIT;
    assert_true(rc_cc_v2_enter_joint(&cc, &al));
    assert_false(al);
    cc.n_changes = 0;
    assert_false(rc_cc_v2_leave_joint(&cc));
    assert_true(rc_cc_v2_enter_joint(&cc, NULL));
}

/* ---- allocation failures: fail the k-th allocation for every k until an op succeeds ---- */

static long alloc_budget = -1; /* < 0: unlimited */

static void *budget_malloc(void *ud, size_t n)
{
    (void)ud;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return malloc(n);
}
static void *budget_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return realloc(p, n);
}
static void budget_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static void test_nomem(void **state)
{
    (void)state;
    rc_allocator a = {budget_malloc, budget_realloc, budget_free, NULL};
    rc_conf_state cs = cs_of((uint64_t[]){1, 2, 3}, 3, (uint64_t[]){5}, 1,
                             (uint64_t[]){1, 2, 4, 6}, 4, (uint64_t[]){4}, 1, true);
    int successes = 0;
    for (long k = 0; k < 500 && successes == 0; k++) {
        rc_tracker t;
        char *err = NULL;
        rc_set_allocator(&a);
        alloc_budget = -1;
        rc_tracker_init(&t, 10, 0);
        alloc_budget = k;
        int rc = restore(&t, &cs, 3, &err);
        if (rc == RC_OK) {
            rc_conf_state back;
            alloc_budget = -1;
            assert_int_equal(rc_tracker_config_to_conf_state(&back, &t.config), RC_OK);
            assert_true(rc_conf_state_equivalent(&back, &cs));
            rc_conf_state_free(&back);
            /* a joint step on top, under the same failure schedule */
            for (long j = 0;; j++) {
                rc_changer ch = {&t, 5};
                rc_tracker_config cfg;
                rc_progress_map prs;
                alloc_budget = j;
                rc = rc_changer_leave_joint(&ch, &cfg, &prs, &err);
                alloc_budget = -1;
                if (rc == RC_OK) {
                    rc_tracker_set_config(&t, &cfg, &prs);
                    break;
                }
                assert_int_equal(rc, RC_ERR_NOMEM);
                assert_null(err);
            }
            assert_state(&t, "voters=(1 2 3) learners=(4 5)",
                         "1: StateProbe match=0 next=3\n2: StateProbe match=0 next=3\n"
                         "3: StateProbe match=0 next=3\n4: StateProbe match=0 next=3 learner\n"
                         "5: StateProbe match=0 next=3 learner\n");
            successes++;
        } else {
            assert_int_equal(rc, RC_ERR_NOMEM);
            rc_free(err);
        }
        alloc_budget = -1;
        rc_tracker_free(&t);
        rc_set_allocator(NULL);
    }
    assert_int_equal(successes, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_simple_errors),
        cmocka_unit_test(test_joint),
        cmocka_unit_test(test_joint_learners_next),
        cmocka_unit_test(test_joint_remove_keeps_outgoing_progress),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_restore),
        cmocka_unit_test(test_v2_helpers),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
