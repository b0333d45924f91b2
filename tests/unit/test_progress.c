/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_progress.c: unit tests for progress.c (state transitions, MaybeUpdate, MaybeDecrTo stale
 * rejections in each state, IsPaused, SentEntries, commit tracking, String form).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"
#include "types.h"

static rc_progress mkpr(rc_progress_state st, uint64_t match, uint64_t next, size_t max_inflight)
{
    rc_progress pr;
    rc_progress_init(&pr, next, max_inflight, 0, false);
    pr.state = st;
    pr.match = match;
    return pr;
}

static void assert_str(const rc_progress *pr, const char *want)
{
    char buf[128];
    int n = rc_progress_format(buf, sizeof(buf), pr);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_init(void **state)
{
    (void)state;
    rc_progress pr;
    rc_progress_init(&pr, 7, 10, 0, true);
    assert_int_equal(pr.state, RC_PROGRESS_PROBE);
    assert_true(pr.match == 0 && pr.next == 7);
    assert_true(pr.recent_active && pr.is_learner && !pr.msg_app_flow_paused);
    assert_int_equal(pr.inflights.size, 10);
    assert_str(&pr, "StateProbe match=0 next=7 learner");
    assert_string_equal(rc_progress_state_name(RC_PROGRESS_REPLICATE), "StateReplicate");
    assert_string_equal(rc_progress_state_name(RC_PROGRESS_SNAPSHOT), "StateSnapshot");
    rc_progress_free(&pr);
}

static void test_string_forms(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_SNAPSHOT, 0, 12, 3);
    pr.pending_snapshot = 11;
    assert_str(&pr, "StateSnapshot match=0 next=12 paused pendingSnap=11");

    rc_progress r = mkpr(RC_PROGRESS_REPLICATE, 11, 12, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rc_progress_sent_entries(&r, 1, 1), RC_OK);
    assert_str(&r, "StateReplicate match=11 next=15 paused inflight=3[full]");

    rc_progress p = mkpr(RC_PROGRESS_PROBE, 0, 11, 3);
    p.msg_app_flow_paused = true;
    p.recent_active = false;
    assert_str(&p, "StateProbe match=0 next=11 paused inactive");

    r.inflights.size = 5; /* not full any more */
    assert_str(&r, "StateReplicate match=11 next=15 paused inflight=3");

    char small[8];
    int n = rc_progress_format(small, sizeof(small), &p); /* truncated, still terminated */
    assert_int_equal(n, (int)strlen("StateProbe match=0 next=11 paused inactive"));
    assert_int_equal(strlen(small), sizeof(small) - 1);
    rc_progress_free(&pr);
    rc_progress_free(&r);
    rc_progress_free(&p);
}

static void test_become_probe(void **state)
{
    (void)state;
    /* from Replicate: next = match + 1 */
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 1, 5, 256);
    rc_progress_sent_commit(&pr, 4);
    rc_progress_become_probe(&pr);
    assert_int_equal(pr.state, RC_PROGRESS_PROBE);
    assert_true(pr.next == 2);
    assert_true(pr.sent_commit == 1); /* regressed to next-1 */

    /* from Snapshot: next = max(match+1, pending+1) */
    rc_progress s = mkpr(RC_PROGRESS_SNAPSHOT, 1, 5, 256);
    s.pending_snapshot = 10;
    rc_progress_become_probe(&s);
    assert_true(s.next == 11 && s.pending_snapshot == 0);
    rc_progress s2 = mkpr(RC_PROGRESS_SNAPSHOT, 20, 21, 256);
    s2.pending_snapshot = 10;
    rc_progress_become_probe(&s2);
    assert_true(s2.next == 21);
    rc_progress_free(&pr);
    rc_progress_free(&s);
    rc_progress_free(&s2);
}

static void test_become_replicate_and_snapshot(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_PROBE, 1, 5, 256);
    pr.msg_app_flow_paused = true;
    rc_progress_become_replicate(&pr);
    assert_int_equal(pr.state, RC_PROGRESS_REPLICATE);
    assert_true(pr.next == 2 && !pr.msg_app_flow_paused);

    rc_progress_become_snapshot(&pr, 10);
    assert_int_equal(pr.state, RC_PROGRESS_SNAPSHOT);
    assert_true(pr.pending_snapshot == 10 && pr.next == 11 && pr.sent_commit == 10);
    assert_true(rc_progress_is_paused(&pr));

    /* Snapshot -> Replicate (etcd-io/raft#110): whatever PendingSnapshot says */
    assert_true(rc_progress_maybe_update(&pr, 7));
    rc_progress_become_replicate(&pr);
    assert_int_equal(pr.state, RC_PROGRESS_REPLICATE);
    assert_true(pr.pending_snapshot == 0 && pr.match == 7 && pr.next == 8);
    assert_false(rc_progress_is_paused(&pr));
    rc_progress_free(&pr);
}

static void test_maybe_update(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 3, 10, 256);
    pr.msg_app_flow_paused = true;
    assert_false(rc_progress_maybe_update(&pr, 2)); /* stale */
    assert_false(rc_progress_maybe_update(&pr, 3));
    assert_true(pr.msg_app_flow_paused);
    assert_true(rc_progress_maybe_update(&pr, 5));
    assert_true(pr.match == 5 && pr.next == 10); /* next never moves back (etcd-io/raft#149) */
    assert_false(pr.msg_app_flow_paused);
    assert_true(rc_progress_maybe_update(&pr, 12));
    assert_true(pr.match == 12 && pr.next == 13);
    rc_progress_free(&pr);
}

/* etcd's TestProgressMaybeDecr table. */
static void test_maybe_decr_to(void **state)
{
    (void)state;
    static const struct {
        rc_progress_state st;
        uint64_t m, n, rejected, last;
        bool w;
        uint64_t wn;
    } cases[] = {
        {RC_PROGRESS_REPLICATE, 5, 10, 5, 5, false, 10}, /* rejected <= match: stale */
        {RC_PROGRESS_REPLICATE, 5, 10, 4, 4, false, 10},
        {RC_PROGRESS_REPLICATE, 5, 10, 9, 9, true, 6},   /* straight to match+1 */
        {RC_PROGRESS_PROBE, 0, 0, 0, 0, false, 0},       /* next-1 != rejected: stale */
        {RC_PROGRESS_PROBE, 0, 10, 5, 5, false, 10},
        {RC_PROGRESS_PROBE, 0, 10, 9, 9, true, 9},
        {RC_PROGRESS_PROBE, 0, 2, 1, 1, true, 1},
        {RC_PROGRESS_PROBE, 0, 1, 0, 0, true, 1},
        {RC_PROGRESS_PROBE, 0, 10, 9, 2, true, 3},       /* min(rejected, hint+1) */
        {RC_PROGRESS_PROBE, 0, 10, 9, 0, true, 1},
        {RC_PROGRESS_PROBE, 5, 10, 9, 2, true, 6},       /* never below match+1 */
        {RC_PROGRESS_SNAPSHOT, 0, 11, 5, 5, false, 11},  /* snapshot: probe rules, stale */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc_progress pr = mkpr(cases[i].st, cases[i].m, cases[i].n, 256);
        pr.msg_app_flow_paused = true;
        bool got = rc_progress_maybe_decr_to(&pr, cases[i].rejected, cases[i].last);
        if (got != cases[i].w || pr.next != cases[i].wn)
            fail_msg("case %zu: got %d next=%llu, want %d next=%llu", i, got,
                     (unsigned long long)pr.next, cases[i].w, (unsigned long long)cases[i].wn);
        if (cases[i].st == RC_PROGRESS_PROBE && got)
            assert_false(pr.msg_app_flow_paused); /* a probe answer resumes the flow */
        rc_progress_free(&pr);
    }
}

static void test_decr_regresses_sent_commit(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 5, 10, 256);
    rc_progress_sent_commit(&pr, 9);
    assert_true(rc_progress_maybe_decr_to(&pr, 8, 8));
    assert_true(pr.next == 6 && pr.sent_commit == 5);
    rc_progress_free(&pr);
}

static void test_is_paused(void **state)
{
    (void)state;
    static const struct {
        rc_progress_state st;
        bool paused, want;
    } cases[] = {
        {RC_PROGRESS_PROBE, false, false},     {RC_PROGRESS_PROBE, true, true},
        {RC_PROGRESS_REPLICATE, false, false}, {RC_PROGRESS_REPLICATE, true, true},
        {RC_PROGRESS_SNAPSHOT, false, true},   {RC_PROGRESS_SNAPSHOT, true, true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc_progress pr = mkpr(cases[i].st, 0, 1, 256);
        pr.msg_app_flow_paused = cases[i].paused;
        assert_int_equal(rc_progress_is_paused(&pr), cases[i].want);
    }
}

/* etcd's TestProgressResume: a probe answer or an ack resumes the flow. */
static void test_resume(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_PROBE, 0, 2, 256);
    pr.msg_app_flow_paused = true;
    rc_progress_maybe_decr_to(&pr, 1, 1);
    assert_false(pr.msg_app_flow_paused);
    pr.msg_app_flow_paused = true;
    rc_progress_maybe_update(&pr, 2);
    assert_false(pr.msg_app_flow_paused);
}

static void test_sent_entries(void **state)
{
    (void)state;
    /* Replicate: next advances, the last index goes in flight, pause iff full */
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 4, 5, 2);
    assert_int_equal(rc_progress_sent_entries(&pr, 3, 30), RC_OK);
    assert_true(pr.next == 8);
    assert_int_equal(rc_inflights_count(&pr.inflights), 1);
    assert_true(pr.inflights.buf[0].index == 7 && pr.inflights.bytes == 30);
    assert_false(pr.msg_app_flow_paused);
    assert_int_equal(rc_progress_sent_entries(&pr, 0, 0), RC_OK); /* empty MsgApp: no slot */
    assert_int_equal(rc_inflights_count(&pr.inflights), 1);
    assert_int_equal(rc_progress_sent_entries(&pr, 1, 10), RC_OK);
    assert_true(pr.next == 9 && pr.msg_app_flow_paused);
    /* a full window still lets an empty MsgApp through (etcd-io/etcd#14633); stays paused */
    assert_int_equal(rc_progress_sent_entries(&pr, 0, 0), RC_OK);
    assert_true(pr.msg_app_flow_paused);
    assert_int_equal(rc_progress_sent_entries(&pr, 1, 1), RC_ERR_FAILED); /* etcd panics */
    rc_progress_free(&pr);

    /* byte limit */
    rc_progress b;
    rc_progress_init(&b, 1, 100, 50, false);
    rc_progress_become_replicate(&b);
    assert_int_equal(rc_progress_sent_entries(&b, 1, 49), RC_OK);
    assert_false(b.msg_app_flow_paused);
    assert_int_equal(rc_progress_sent_entries(&b, 1, 1), RC_OK);
    assert_true(b.msg_app_flow_paused);
    assert_true(rc_progress_is_paused(&b));
    rc_inflights_free_le(&b.inflights, 1);
    rc_progress_free(&b);

    /* Probe: a MsgApp with entries pauses the flow, next stays; an empty one does not pause */
    rc_progress p = mkpr(RC_PROGRESS_PROBE, 0, 5, 2);
    assert_int_equal(rc_progress_sent_entries(&p, 0, 0), RC_OK);
    assert_false(p.msg_app_flow_paused);
    assert_int_equal(rc_progress_sent_entries(&p, 2, 20), RC_OK);
    assert_true(p.next == 5 && p.msg_app_flow_paused);
    assert_int_equal(rc_inflights_count(&p.inflights), 0);

    /* Snapshot: no appends */
    rc_progress s = mkpr(RC_PROGRESS_SNAPSHOT, 0, 5, 2);
    assert_int_equal(rc_progress_sent_entries(&s, 1, 1), RC_ERR_FAILED);
}

static void test_commit_tracking(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 5, 10, 256);
    assert_true(rc_progress_can_bump_commit(&pr, 3));
    assert_false(rc_progress_can_bump_commit(&pr, 0));
    rc_progress_sent_commit(&pr, 7);
    assert_false(rc_progress_can_bump_commit(&pr, 7));
    assert_true(rc_progress_can_bump_commit(&pr, 8));
    rc_progress_sent_commit(&pr, 9); /* = next-1: the follower can't commit more */
    assert_false(rc_progress_can_bump_commit(&pr, 20));
    rc_progress_free(&pr);
}

static void test_clone(void **state)
{
    (void)state;
    rc_progress pr = mkpr(RC_PROGRESS_REPLICATE, 1, 2, 4);
    assert_int_equal(rc_progress_sent_entries(&pr, 2, 10), RC_OK);
    rc_progress cp;
    assert_int_equal(rc_progress_clone(&cp, &pr), RC_OK);
    assert_ptr_not_equal(cp.inflights.buf, pr.inflights.buf);
    rc_progress_become_probe(&pr);
    assert_int_equal(rc_inflights_count(&cp.inflights), 1);
    assert_int_equal(cp.state, RC_PROGRESS_REPLICATE);
    rc_progress_free(&cp);
    rc_progress_free(&pr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_string_forms),
        cmocka_unit_test(test_become_probe),
        cmocka_unit_test(test_become_replicate_and_snapshot),
        cmocka_unit_test(test_maybe_update),
        cmocka_unit_test(test_maybe_decr_to),
        cmocka_unit_test(test_decr_regresses_sent_commit),
        cmocka_unit_test(test_is_paused),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_sent_entries),
        cmocka_unit_test(test_commit_tracking),
        cmocka_unit_test(test_clone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
