/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_tracker.c: unit tests for tracker.c (Config.String, progress map, committed index,
 * QuorumActive, votes, id lists, ConfState conversion).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "tracker.h"

static void add_ids(rc_majority *m, const uint64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_majority_add(m, ids[i]), RC_OK);
}

#define ADD(m, ...) add_ids((m), (const uint64_t[]){__VA_ARGS__}, \
                            sizeof((uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))

/* Adds a progress for id with the given match. */
static rc_progress *put(rc_tracker *t, uint64_t id, uint64_t match, bool learner)
{
    rc_progress pr;
    rc_progress_init(&pr, match + 1, t->max_inflight, t->max_inflight_bytes, learner);
    pr.match = match;
    rc_progress *p = rc_progress_map_put(&t->progress, id, &pr);
    assert_non_null(p);
    return p;
}

static void assert_config(const rc_tracker_config *c, const char *want)
{
    char *s = rc_tracker_config_string(c);
    assert_non_null(s);
    assert_string_equal(s, want);
    rc_free(s);
}

static void test_config_string(void **state)
{
    (void)state;
    rc_tracker_config c = {0};
    assert_config(&c, "voters=()");
    ADD(&c.voters.incoming, 1);
    ADD(&c.voters.outgoing, 1);
    ADD(&c.learners, 3, 2);
    assert_config(&c, "voters=(1)&&(1) learners=(2 3)");
    rc_majority_clear(&c.learners);
    ADD(&c.voters.incoming, 2, 3);
    c.auto_leave = true;
    assert_config(&c, "voters=(1 2 3)&&(1) autoleave");
    rc_tracker_config_free(&c);

    ADD(&c.voters.incoming, 2);
    ADD(&c.voters.outgoing, 1);
    ADD(&c.learners_next, 1);
    assert_config(&c, "voters=(2)&&(1) learners_next=(1)");

    rc_tracker_config cp;
    assert_int_equal(rc_tracker_config_copy(&cp, &c), RC_OK);
    rc_tracker_config_free(&c);
    assert_config(&cp, "voters=(2)&&(1) learners_next=(1)");

    rc_conf_state cs;
    assert_int_equal(rc_tracker_config_to_conf_state(&cs, &cp), RC_OK);
    assert_true(cs.voters.n == 1 && cs.voters.v[0] == 2);
    assert_true(cs.voters_outgoing.n == 1 && cs.voters_outgoing.v[0] == 1);
    assert_true(cs.learners.n == 0 && cs.learners_next.n == 1 && !cs.auto_leave);
    rc_conf_state_free(&cs);
    rc_tracker_config_free(&cp);
}

static void test_progress_map(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 4, 0);
    put(&t, 3, 0, false);
    put(&t, 1, 5, false);
    rc_progress *p2 = put(&t, 2, 0, true);
    p2->recent_active = false;
    assert_int_equal(t.progress.n, 3);
    assert_true(t.progress.v[0].id == 1 && t.progress.v[1].id == 2 && t.progress.v[2].id == 3);
    assert_null(rc_progress_map_get(&t.progress, 4));

    /* replacing frees the old progress's inflights (ASan checks) */
    rc_progress *p3 = rc_progress_map_get(&t.progress, 3);
    rc_progress_become_replicate(p3);
    assert_int_equal(rc_progress_sent_entries(p3, 1, 1), RC_OK);
    put(&t, 3, 9, false);
    assert_true(rc_progress_map_get(&t.progress, 3)->match == 9);

    char *s = rc_progress_map_string(&t.progress);
    assert_string_equal(s, "1: StateProbe match=5 next=6\n"
                           "2: StateProbe match=0 next=1 learner inactive\n"
                           "3: StateProbe match=9 next=10\n");
    rc_free(s);

    rc_progress_map cp;
    assert_int_equal(rc_progress_map_copy(&cp, &t.progress), RC_OK);
    rc_progress_map_delete(&t.progress, 2);
    rc_progress_map_delete(&t.progress, 42); /* absent: no-op */
    assert_int_equal(t.progress.n, 2);
    assert_int_equal(cp.n, 3);
    rc_progress_map_free(&cp);

    rc_progress_map empty = {0};
    s = rc_progress_map_string(&empty);
    assert_string_equal(s, "");
    rc_free(s);
    rc_tracker_free(&t);
}

static void test_committed_and_ids(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 4, 0);
    assert_true(rc_tracker_committed(&t) == RC_QUORUM_INDEX_INF); /* no voters */
    ADD(&t.config.voters.incoming, 1, 2, 3);
    ADD(&t.config.learners, 4);
    put(&t, 1, 5, false);
    put(&t, 2, 3, false);
    put(&t, 3, 7, false);
    put(&t, 4, 100, true);
    assert_true(rc_tracker_committed(&t) == 5); /* learner 4 does not count */
    assert_false(rc_tracker_is_singleton(&t));
    assert_true(rc_tracker_is_voter(&t, 2));
    assert_false(rc_tracker_is_voter(&t, 4));

    /* joint: outgoing (3 4 5) with 5 unknown -> min */
    ADD(&t.config.voters.outgoing, 3, 5);
    put(&t, 5, 1, false);
    assert_true(rc_tracker_committed(&t) == 1);
    assert_true(rc_tracker_is_voter(&t, 5));

    rc_ids ids;
    assert_int_equal(rc_tracker_voter_ids(&ids, &t), RC_OK);
    assert_int_equal(ids.n, 4);
    assert_true(ids.v[0] == 1 && ids.v[3] == 5);
    rc_ids_free(&ids);
    assert_int_equal(rc_tracker_all_ids(&ids, &t), RC_OK);
    assert_int_equal(ids.n, 5);
    rc_ids_free(&ids);
    assert_int_equal(rc_tracker_learner_ids(&ids, &t), RC_OK);
    assert_true(ids.n == 1 && ids.v[0] == 4);
    rc_ids_free(&ids);
    rc_tracker_free(&t);

    rc_tracker_init(&t, 4, 0);
    ADD(&t.config.voters.incoming, 1);
    assert_true(rc_tracker_is_singleton(&t));
    rc_tracker_free(&t);
}

/* A tracker of voters 1, 2, 3 and learner 4, all with a fresh progress (match 0). */
static void tracker_3v1l(rc_tracker *t)
{
    rc_tracker_init(t, 4, 0);
    ADD(&t->config.voters.incoming, 1, 2, 3);
    ADD(&t->config.learners, 4);
    for (uint64_t id = 1; id <= 4; id++)
        put(t, id, 0, id == 4);
}

static void test_quorum_active(void **state)
{
    (void)state;
    rc_tracker t;
    tracker_3v1l(&t);
    /* put() may move entries: progresses are looked up again below */
    assert_true(rc_tracker_quorum_active(&t));
    rc_progress_map_get(&t.progress, 2)->recent_active = false;
    assert_true(rc_tracker_quorum_active(&t));
    rc_progress_map_get(&t.progress, 3)->recent_active = false;
    assert_false(rc_tracker_quorum_active(&t)); /* the active learner does not help */
    rc_tracker_free(&t);
}

static void test_votes(void **state)
{
    (void)state;
    rc_tracker t;
    tracker_3v1l(&t);
    size_t g, r;
    assert_int_equal(rc_tracker_tally_votes(&t, &g, &r), RC_VOTE_PENDING);
    assert_int_equal(rc_tracker_record_vote(&t, 1, true), RC_OK);
    assert_int_equal(rc_tracker_record_vote(&t, 1, false), RC_OK); /* first vote sticks */
    assert_int_equal(rc_tracker_record_vote(&t, 4, true), RC_OK);  /* learner */
    assert_int_equal(rc_tracker_record_vote(&t, 9, true), RC_OK);  /* not in the config */
    assert_int_equal(rc_tracker_tally_votes(&t, &g, &r), RC_VOTE_PENDING);
    assert_true(g == 1 && r == 0);
    assert_int_equal(rc_tracker_record_vote(&t, 2, false), RC_OK);
    assert_int_equal(rc_tracker_tally_votes(&t, &g, &r), RC_VOTE_PENDING);
    assert_true(g == 1 && r == 1);
    assert_int_equal(rc_tracker_record_vote(&t, 3, true), RC_OK);
    assert_int_equal(rc_tracker_tally_votes(&t, NULL, NULL), RC_VOTE_WON);
    rc_tracker_reset_votes(&t);
    assert_int_equal(rc_tracker_record_vote(&t, 2, false), RC_OK);
    assert_int_equal(rc_tracker_record_vote(&t, 3, false), RC_OK);
    assert_int_equal(rc_tracker_tally_votes(&t, &g, &r), RC_VOTE_LOST);
    assert_true(g == 0 && r == 2);
    rc_tracker_free(&t);
}

static void test_set_config(void **state)
{
    (void)state;
    rc_tracker t;
    rc_tracker_init(&t, 4, 0);
    ADD(&t.config.voters.incoming, 1);
    put(&t, 1, 0, false);
    rc_tracker_config cfg = {0};
    rc_progress_map prs = {0};
    ADD(&cfg.voters.incoming, 2);
    rc_progress pr;
    rc_progress_init(&pr, 1, 4, 0, false);
    assert_non_null(rc_progress_map_put(&prs, 2, &pr));
    rc_tracker_set_config(&t, &cfg, &prs);
    assert_null(cfg.voters.incoming.ids);
    assert_null(prs.v);
    assert_config(&t.config, "voters=(2)");
    assert_non_null(rc_progress_map_get(&t.progress, 2));
    assert_null(rc_progress_map_get(&t.progress, 1));
    rc_tracker_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_string),
        cmocka_unit_test(test_progress_map),
        cmocka_unit_test(test_committed_and_ids),
        cmocka_unit_test(test_quorum_active),
        cmocka_unit_test(test_votes),
        cmocka_unit_test(test_set_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
