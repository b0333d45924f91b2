/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_tools.c: unit tests for the public quorum/changer tools (capi/raftc_tools.c) through
 * raftc.h only: argument checks, error codes, restore/conf_state round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

static void test_quorum_args(void **state)
{
    (void)state;
    uint64_t idx = 1;
    raftc_vote_result r = RAFTC_VOTE_PENDING;
    const uint64_t v[] = {1, 2, 3}, bad[] = {1, 0};
    const uint64_t ids[] = {1, 2, 1}, vals[] = {5, 7, 100};
    assert_int_equal(raftc_quorum_committed(NULL, v, 3, NULL, 0, NULL, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_quorum_committed(&idx, NULL, 3, NULL, 0, NULL, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_quorum_committed(&idx, bad, 2, NULL, 0, NULL, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_quorum_committed(&idx, v, 3, bad, 2, NULL, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_quorum_committed(&idx, v, 3, NULL, 0, ids, NULL, 3), RAFTC_EINVAL);
    assert_int_equal(raftc_quorum_committed(&idx, NULL, 0, NULL, 0, NULL, NULL, 0), RAFTC_OK);
    assert_true(idx == RAFTC_QUORUM_INDEX_INF);
    /* first occurrence of id 1 wins (5, not 100): sorted [0 5 7] -> 5 */
    assert_int_equal(raftc_quorum_committed(&idx, v, 3, NULL, 0, ids, vals, 3), RAFTC_OK);
    assert_true(idx == 5);
    /* duplicates in the config are a set */
    const uint64_t dup[] = {1, 1, 2};
    assert_int_equal(raftc_quorum_committed(&idx, dup, 3, NULL, 0, ids, vals, 3), RAFTC_OK);
    assert_true(idx == 5); /* (1 2): [5 7] -> 5 */

    const int granted[] = {1, 0};
    assert_int_equal(raftc_quorum_vote_result(&r, v, 3, NULL, 0, ids, granted, 2), RAFTC_OK);
    assert_int_equal(r, RAFTC_VOTE_PENDING);
    assert_int_equal(raftc_quorum_vote_result(&r, NULL, 0, NULL, 0, NULL, NULL, 0), RAFTC_OK);
    assert_int_equal(r, RAFTC_VOTE_WON);
    assert_int_equal(raftc_quorum_vote_result(&r, bad, 2, NULL, 0, NULL, NULL, 0), RAFTC_EINVAL);
    assert_string_equal(raftc_vote_result_name(RAFTC_VOTE_LOST), "VoteLost");
    assert_string_equal(raftc_vote_result_name(0), "VoteResult(unknown)");

    char *s = (char *)1;
    assert_int_equal(raftc_quorum_describe(&s, bad, 2, NULL, 0, NULL, NULL, 0), RAFTC_EINVAL);
    assert_null(s);
    assert_int_equal(raftc_quorum_describe(&s, NULL, 0, NULL, 0, NULL, NULL, 0), RAFTC_OK);
    assert_string_equal(s, "<empty majority quorum>");
    raftc_free(s);
    /* joint describe covers the union */
    const uint64_t in[] = {1}, out[] = {2};
    assert_int_equal(raftc_quorum_describe(&s, in, 1, out, 1, ids, vals, 3), RAFTC_OK);
    assert_string_equal(s, "      idx\n>       5    (id=1)\nx>      7    (id=2)\n");
    raftc_free(s);
}

static void test_changer(void **state)
{
    (void)state;
    raftc_changer *ch = NULL;
    char *s = NULL;
    assert_int_equal(raftc_changer_new(NULL, 10, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_changer_new(&ch, 10, 0), RAFTC_OK);
    assert_string_equal(raftc_changer_last_error(ch), "");
    assert_string_equal(raftc_changer_last_error(NULL), "");

    raftc_cc_type types[] = {RAFTC_CC_ADD_NODE, RAFTC_CC_ADD_NODE};
    uint64_t ids[] = {1, 2};
    assert_int_equal(raftc_changer_simple(ch, types, ids, 2), RAFTC_ECONFCHANGE);
    assert_string_equal(raftc_changer_last_error(ch),
                        "more than one voter changed without entering joint config");
    assert_int_equal(raftc_changer_simple(ch, types, NULL, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_changer_simple(NULL, types, ids, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_changer_set_last_index(ch, 4), RAFTC_OK);
    assert_int_equal(raftc_changer_simple(ch, types, ids, 1), RAFTC_OK);
    assert_string_equal(raftc_changer_last_error(ch), ""); /* cleared by success */
    raftc_cc_type t2[] = {RAFTC_CC_ADD_NODE, RAFTC_CC_ADD_LEARNER_NODE};
    uint64_t i2[] = {2, 3};
    assert_int_equal(raftc_changer_enter_joint(ch, 1, t2, i2, 2), RAFTC_OK);
    assert_int_equal(raftc_changer_describe(&s, ch), RAFTC_OK);
    assert_string_equal(s, "voters=(1 2)&&(1) learners=(3) autoleave\n"
                           "1: StateProbe match=0 next=4\n2: StateProbe match=0 next=4\n"
                           "3: StateProbe match=0 next=4 learner\n");
    raftc_free(s);
    raftc_cc_type bogus[] = {(raftc_cc_type)9};
    assert_int_equal(raftc_changer_enter_joint(ch, 0, bogus, ids, 1), RAFTC_ECONFCHANGE);
    assert_string_equal(raftc_changer_last_error(ch), "config is already joint");

    /* the config as a ConfState, restored into a fresh changer */
    raftc_sink *sink = NULL;
    assert_int_equal(raftc_sink_new(&sink), RAFTC_OK);
    assert_int_equal(raftc_changer_conf_state(sink, ch), RAFTC_OK);
    assert_int_equal(raftc_sink_count(sink), 1);
    const uint8_t *cs;
    size_t cs_len;
    assert_int_equal(raftc_sink_get(&cs, &cs_len, sink, 0), RAFTC_OK);
    raftc_changer *ch2 = NULL;
    assert_int_equal(raftc_changer_new(&ch2, 10, 0), RAFTC_OK);
    assert_int_equal(raftc_changer_set_last_index(ch2, 4), RAFTC_OK);
    assert_int_equal(raftc_changer_restore(ch2, cs, cs_len), RAFTC_OK);
    char *s2 = NULL;
    assert_int_equal(raftc_changer_describe(&s, ch), RAFTC_OK);
    assert_int_equal(raftc_changer_describe(&s2, ch2), RAFTC_OK);
    assert_string_equal(s, s2);
    raftc_free(s);
    raftc_free(s2);
    const uint8_t junk[] = {0xff, 0xff, 0xff};
    assert_int_equal(raftc_changer_restore(ch2, junk, sizeof(junk)), RAFTC_EDECODE);

    assert_int_equal(raftc_changer_leave_joint(ch), RAFTC_OK);
    assert_int_equal(raftc_changer_leave_joint(ch), RAFTC_ECONFCHANGE);
    assert_string_equal(raftc_changer_last_error(ch), "can't leave a non-joint config");
    assert_int_equal(raftc_changer_describe(&s, NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_changer_conf_state(sink, NULL), RAFTC_EINVAL);
    raftc_sink_free(sink);
    raftc_changer_free(ch);
    raftc_changer_free(ch2);
    raftc_changer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quorum_args),
        cmocka_unit_test(test_changer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
