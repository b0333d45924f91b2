/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_types.c: unit tests for types.c (copy/free helpers, message classes, enum names),
 * alloc.c, logger.c and strbuf.c (including Go strconv.Quote rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "logger.h"
#include "strbuf.h"
#include "types.h"

/* ---- alloc ---- */

static void test_alloc_basics(void **state)
{
    (void)state;
    assert_null(rc_calloc(SIZE_MAX / 2, 4)); /* overflow */
    uint8_t *p = rc_calloc(16, 1);
    assert_non_null(p);
    for (int i = 0; i < 16; i++)
        assert_int_equal(p[i], 0);
    rc_free(p);
    rc_free(NULL);

    int *arr = NULL;
    size_t cap = 0;
    assert_int_equal(rc_grow((void **)&arr, &cap, 3, sizeof(int)), RC_OK);
    assert_true(cap >= 3);
    size_t old = cap;
    assert_int_equal(rc_grow((void **)&arr, &cap, old, sizeof(int)), RC_OK);
    assert_int_equal(cap, old);
    assert_int_equal(rc_grow((void **)&arr, &cap, 1000, sizeof(int)), RC_OK);
    assert_true(cap >= 1000);
    arr[999] = 7;
    assert_int_equal(rc_grow((void **)&arr, &cap, SIZE_MAX, sizeof(int)), RC_ERR_NOMEM);
    rc_free(arr);
}

static size_t g_live;

static void *count_malloc(void *ud, size_t n)
{
    (void)ud;
    g_live++;
    return test_malloc(n);
}

static void *count_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (p == NULL)
        g_live++;
    return test_realloc(p, n);
}

static void count_free(void *ud, void *p)
{
    (void)ud;
    g_live--;
    test_free(p);
}

static void test_alloc_hooks(void **state)
{
    (void)state;
    rc_allocator a = {count_malloc, count_realloc, count_free, NULL};
    rc_set_allocator(&a);
    g_live = 0;
    rc_entries es = {0};
    rc_entry e = {1, 1, RC_ENTRY_NORMAL, {(uint8_t *)"abc", 3}};
    assert_int_equal(rc_entries_append_copy(&es, &e, 1), RC_OK);
    assert_true(g_live >= 2);
    rc_entries_free(&es);
    assert_int_equal(g_live, 0);
    rc_set_allocator(NULL);
}

/* ---- entries, ids, conf state, snapshot, message ---- */

static rc_entry mk_entry(uint64_t term, uint64_t index, const char *data)
{
    rc_entry e = {term, index, RC_ENTRY_NORMAL, {NULL, 0}};
    if (data != NULL)
        assert_int_equal(rc_bytes_set(&e.data, data, strlen(data)), RC_OK);
    return e;
}

static void test_entries(void **state)
{
    (void)state;
    rc_bytes b = {0};
    assert_int_equal(rc_bytes_set(&b, "x", 0), RC_OK);
    assert_null(b.data);
    assert_int_equal(b.len, 0);

    rc_entries es = {0};
    for (uint64_t i = 1; i <= 20; i++) {
        char buf[16];
        snprintf(buf, sizeof(buf), "e%llu", (unsigned long long)i);
        rc_entry e = mk_entry(1, i, buf);
        assert_int_equal(rc_entries_push_move(&es, &e), RC_OK);
        assert_null(e.data.data);
    }
    assert_int_equal(es.n, 20);
    rc_entries_drop_front(&es, 5);
    assert_int_equal(es.n, 15);
    assert_int_equal(es.v[0].index, 6);
    assert_memory_equal(es.v[0].data.data, "e6", 2);
    rc_entries_truncate(&es, 10);
    assert_int_equal(es.n, 10);
    assert_int_equal(es.v[9].index, 15);
    rc_entries_truncate(&es, 50); /* no-op */
    assert_int_equal(es.n, 10);

    rc_entries cp = {0};
    assert_int_equal(rc_entries_append_copy(&cp, es.v, es.n), RC_OK);
    assert_int_equal(cp.n, 10);
    /* payloads are immutable shared blobs: a copy shares them */
    assert_ptr_equal(cp.v[0].data.data, es.v[0].data.data);
    assert_memory_equal(cp.v[3].data.data, es.v[3].data.data, es.v[3].data.len);
    rc_entries_drop_front(&cp, 100);
    assert_int_equal(cp.n, 0);
    rc_entries_free(&cp);
    rc_entries_free(&es);
    assert_null(es.v);
}

static void test_ids_and_conf_state(void **state)
{
    (void)state;
    rc_conf_state a = {0}, b = {0};
    uint64_t av[] = {1, 2, 3}, bv[] = {3, 1, 2};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rc_ids_push(&a.voters, av[i]), RC_OK);
        assert_int_equal(rc_ids_push(&b.voters, bv[i]), RC_OK);
    }
    assert_true(rc_ids_contains(&a.voters, 2));
    assert_false(rc_ids_contains(&a.voters, 4));
    assert_true(rc_conf_state_equivalent(&a, &b));
    b.auto_leave = true;
    assert_false(rc_conf_state_equivalent(&a, &b));
    b.auto_leave = false;
    assert_int_equal(rc_ids_push(&b.learners, 4), RC_OK);
    assert_false(rc_conf_state_equivalent(&a, &b));
    assert_int_equal(rc_ids_push(&a.learners, 4), RC_OK);
    assert_true(rc_conf_state_equivalent(&a, &b));
    /* duplicates count, as with etcd's sorted slices */
    assert_int_equal(rc_ids_push(&a.voters, 1), RC_OK);
    assert_int_equal(rc_ids_push(&b.voters, 2), RC_OK);
    assert_false(rc_conf_state_equivalent(&a, &b));

    rc_conf_state c;
    assert_int_equal(rc_conf_state_copy(&c, &a), RC_OK);
    assert_true(rc_conf_state_equivalent(&a, &c));
    assert_ptr_not_equal(c.voters.v, a.voters.v);
    /* pushing onto a copied list must not overrun its allocation */
    for (uint64_t i = 10; i < 40; i++)
        assert_int_equal(rc_ids_push(&c.voters, i), RC_OK);
    assert_int_equal(c.voters.n, 34);
    rc_conf_state_free(&c);
    rc_conf_state_free(&a);
    rc_conf_state_free(&b);
    assert_null(a.voters.v);
}

static void test_snapshot_and_message_copy(void **state)
{
    (void)state;
    rc_snapshot s = {0};
    assert_int_equal(rc_bytes_set(&s.data, "snap", 4), RC_OK);
    s.metadata.index = 10;
    s.metadata.term = 2;
    assert_int_equal(rc_ids_push(&s.metadata.conf_state.voters, 1), RC_OK);
    assert_false(rc_snapshot_is_empty(&s));
    assert_true(rc_snapshot_is_empty(NULL));

    rc_message m = {0};
    m.type = RC_MSG_STORAGE_APPEND;
    m.to = RC_LOCAL_APPEND_THREAD;
    m.n_entries = 2;
    m.entries = rc_calloc(2, sizeof(rc_entry));
    m.entries[0] = mk_entry(1, 11, "a");
    m.entries[1] = mk_entry(1, 12, NULL);
    m.snapshot = rc_calloc(1, sizeof(rc_snapshot));
    assert_int_equal(rc_snapshot_copy(m.snapshot, &s), RC_OK);
    assert_int_equal(rc_bytes_set(&m.context, "ctx", 3), RC_OK);
    m.n_responses = 1;
    m.responses = rc_calloc(1, sizeof(rc_message));
    m.responses[0].type = RC_MSG_APP_RESP;
    m.responses[0].index = 12;

    rc_message c;
    assert_int_equal(rc_message_copy(&c, &m), RC_OK);
    rc_message_free(&m);
    assert_null(m.entries);
    assert_int_equal(c.type, RC_MSG_STORAGE_APPEND);
    assert_int_equal(c.n_entries, 2);
    assert_memory_equal(c.entries[0].data.data, "a", 1);
    assert_null(c.entries[1].data.data);
    assert_non_null(c.snapshot);
    assert_int_equal(c.snapshot->metadata.index, 10);
    assert_int_equal(c.snapshot->metadata.conf_state.voters.v[0], 1);
    assert_memory_equal(c.context.data, "ctx", 3);
    assert_int_equal(c.n_responses, 1);
    assert_int_equal(c.responses[0].index, 12);
    rc_message_free(&c);
    rc_snapshot_free(&s);
}

static void test_conf_change_helpers(void **state)
{
    (void)state;
    rc_conf_change cc = {7, RC_CC_ADD_LEARNER_NODE, 4, {NULL, 0}};
    assert_int_equal(rc_bytes_set(&cc.context, "c", 1), RC_OK);
    rc_conf_change_v2 v2;
    assert_int_equal(rc_cc_v1_as_v2(&v2, &cc), RC_OK);
    assert_int_equal(v2.transition, RC_CC_TRANSITION_AUTO);
    assert_int_equal(v2.n_changes, 1);
    assert_int_equal(v2.changes[0].type, RC_CC_ADD_LEARNER_NODE);
    assert_int_equal(v2.changes[0].node_id, 4);
    assert_memory_equal(v2.context.data, "c", 1);
    rc_conf_change_v2_free(&v2);
    rc_conf_change_free(&cc);
    assert_null(cc.context.data);
}

/* ---- message classes and names ---- */

static void test_msg_classes(void **state)
{
    (void)state;
    static const int local[] = {RC_MSG_HUP, RC_MSG_BEAT, RC_MSG_UNREACHABLE, RC_MSG_SNAP_STATUS,
                                RC_MSG_CHECK_QUORUM, RC_MSG_STORAGE_APPEND,
                                RC_MSG_STORAGE_APPEND_RESP, RC_MSG_STORAGE_APPLY,
                                RC_MSG_STORAGE_APPLY_RESP};
    static const int resp[] = {RC_MSG_APP_RESP, RC_MSG_VOTE_RESP, RC_MSG_HEARTBEAT_RESP,
                               RC_MSG_UNREACHABLE, RC_MSG_READ_INDEX_RESP, RC_MSG_PRE_VOTE_RESP,
                               RC_MSG_STORAGE_APPEND_RESP, RC_MSG_STORAGE_APPLY_RESP};
    for (int t = 0; t < RC_MSG_TYPE_COUNT; t++) {
        bool want_local = false, want_resp = false;
        for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
            want_local |= local[i] == t;
        for (size_t i = 0; i < sizeof(resp) / sizeof(resp[0]); i++)
            want_resp |= resp[i] == t;
        assert_int_equal(rc_msg_is_local((rc_msg_type)t), want_local);
        assert_int_equal(rc_msg_is_response((rc_msg_type)t), want_resp);
    }
    assert_true(rc_msg_is_local_target(RC_LOCAL_APPEND_THREAD));
    assert_true(rc_msg_is_local_target(RC_LOCAL_APPLY_THREAD));
    assert_false(rc_msg_is_local_target(1));
}

static void test_enum_names(void **state)
{
    (void)state;
    static const char *const names[RC_MSG_TYPE_COUNT] = {
        "MsgHup", "MsgBeat", "MsgProp", "MsgApp", "MsgAppResp", "MsgVote", "MsgVoteResp",
        "MsgSnap", "MsgHeartbeat", "MsgHeartbeatResp", "MsgUnreachable", "MsgSnapStatus",
        "MsgCheckQuorum", "MsgTransferLeader", "MsgTimeoutNow", "MsgReadIndex",
        "MsgReadIndexResp", "MsgPreVote", "MsgPreVoteResp", "MsgStorageAppend",
        "MsgStorageAppendResp", "MsgStorageApply", "MsgStorageApplyResp", "MsgForgetLeader"};
    for (int t = 0; t < RC_MSG_TYPE_COUNT; t++)
        assert_string_equal(rc_msg_type_name((rc_msg_type)t), names[t]);
    assert_non_null(rc_msg_type_name((rc_msg_type)99));
    assert_non_null(rc_msg_type_name((rc_msg_type)-1));
    assert_string_equal(rc_entry_type_name(RC_ENTRY_NORMAL), "EntryNormal");
    assert_string_equal(rc_entry_type_name(RC_ENTRY_CONF_CHANGE), "EntryConfChange");
    assert_string_equal(rc_entry_type_name(RC_ENTRY_CONF_CHANGE_V2), "EntryConfChangeV2");
    assert_non_null(rc_entry_type_name((rc_entry_type)9));
    assert_string_equal(rc_state_type_name(RC_STATE_FOLLOWER), "StateFollower");
    assert_string_equal(rc_state_type_name(RC_STATE_CANDIDATE), "StateCandidate");
    assert_string_equal(rc_state_type_name(RC_STATE_LEADER), "StateLeader");
    assert_string_equal(rc_state_type_name(RC_STATE_PRE_CANDIDATE), "StatePreCandidate");
    assert_string_equal(rc_cc_type_name(RC_CC_ADD_NODE), "ConfChangeAddNode");
    assert_string_equal(rc_cc_type_name(RC_CC_REMOVE_NODE), "ConfChangeRemoveNode");
    assert_string_equal(rc_cc_type_name(RC_CC_UPDATE_NODE), "ConfChangeUpdateNode");
    assert_string_equal(rc_cc_type_name(RC_CC_ADD_LEARNER_NODE), "ConfChangeAddLearnerNode");
    assert_string_equal(rc_cc_transition_name(RC_CC_TRANSITION_AUTO), "ConfChangeTransitionAuto");
    assert_string_equal(rc_cc_transition_name(RC_CC_TRANSITION_JOINT_IMPLICIT),
                        "ConfChangeTransitionJointImplicit");
    assert_string_equal(rc_cc_transition_name(RC_CC_TRANSITION_JOINT_EXPLICIT),
                        "ConfChangeTransitionJointExplicit");
}

/* ---- logger ---- */

static int g_log_level;
static char g_log_msg[8192];

static void capture_log(void *ud, int level, const char *msg)
{
    *(int *)ud += 1;
    g_log_level = level;
    snprintf(g_log_msg, sizeof(g_log_msg), "%s", msg);
}

static void test_logger(void **state)
{
    (void)state;
    int calls = 0;
    rc_logger lg = {capture_log, &calls, NULL};
    rc_logf(&lg, RC_LOG_INFO, "%d became leader at term %llu", 1, 5ULL);
    assert_int_equal(calls, 1);
    assert_int_equal(g_log_level, RC_LOG_INFO);
    assert_string_equal(g_log_msg, "1 became leader at term 5");
    char big[10000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rc_logf(&lg, RC_LOG_PANIC, "%s", big); /* truncated, not crashing */
    assert_int_equal(calls, 2);
    assert_int_equal(g_log_level, RC_LOG_PANIC);
    assert_true(strlen(g_log_msg) > 1000);
    rc_logger none = {NULL, NULL, NULL};
    rc_logf(&none, RC_LOG_INFO, "dropped");
    rc_logf(NULL, RC_LOG_INFO, "dropped");
    assert_int_equal(calls, 2);
}

/* ---- strbuf ---- */

static void test_strbuf(void **state)
{
    (void)state;
    rc_strbuf b = RC_STRBUF_INIT;
    assert_string_equal(rc_strbuf_str(&b), "");
    rc_strbuf_puts(&b, "abc");
    rc_strbuf_putc(&b, '-');
    rc_strbuf_append(&b, "xyz", 2);
    rc_strbuf_printf(&b, "%d/%s", 42, "q");
    assert_string_equal(rc_strbuf_str(&b), "abc-xy42/q");
    assert_int_equal(b.n, 10);
    rc_strbuf_reset(&b);
    assert_string_equal(rc_strbuf_str(&b), "");
    char big[1000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rc_strbuf_printf(&b, "<%s>", big); /* longer than the printf stack buffer */
    assert_int_equal(b.n, 1001);
    assert_int_equal(rc_strbuf_str(&b)[1000], '>');
    assert_true(rc_strbuf_ok(&b));
    char *s = rc_strbuf_take(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 1001);
    rc_free(s);
    assert_null(b.p);
    s = rc_strbuf_take(&b); /* empty buffer still yields "" */
    assert_non_null(s);
    assert_string_equal(s, "");
    rc_free(s);
    rc_strbuf_free(&b);
}

static void check_quote(const char *in, size_t len, const char *want)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_strbuf_quote(&b, (const unsigned char *)in, len);
    assert_true(rc_strbuf_ok(&b));
    if (strcmp(rc_strbuf_str(&b), want) != 0)
        fail_msg("quote mismatch: got %s want %s", rc_strbuf_str(&b), want);
    rc_strbuf_free(&b);
}

#define QUOTE(lit, want) check_quote(lit, sizeof(lit) - 1, want)

static void test_quote_ascii(void **state)
{
    (void)state;
    check_quote(NULL, 0, "\"\"");
    QUOTE("", "\"\"");
    QUOTE("foo", "\"foo\"");
    QUOTE("a\"b\\c", "\"a\\\"b\\\\c\"");
    QUOTE("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"");
    QUOTE("\x00\x01\x1f\x7f", "\"\\x00\\x01\\x1f\\x7f\"");
    QUOTE(" ~'", "\" ~'\"");
    QUOTE("data\x00" "1", "\"data\\x001\"");
}

static void test_quote_utf8(void **state)
{
    (void)state;
    QUOTE("h\xc3\xa9llo", "\"h\xc3\xa9llo\"");                 /* é printable */
    QUOTE("\xe2\x88\x9e", "\"\xe2\x88\x9e\"");                 /* ∞ */
    QUOTE("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");         /* emoji */
    QUOTE("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");                 /* encoded U+FFFD is valid */
    QUOTE("\xe4\xb8\xad\xe6\x96\x87", "\"\xe4\xb8\xad\xe6\x96\x87\"");
    /* invalid UTF-8: each bad byte becomes \xNN */
    QUOTE("\xff", "\"\\xff\"");
    QUOTE("\xc3", "\"\\xc3\"");
    QUOTE("\xc3(", "\"\\xc3(\"");
    QUOTE("\xc0\x80", "\"\\xc0\\x80\"");                       /* overlong */
    QUOTE("\xe0\x80\xaf", "\"\\xe0\\x80\\xaf\"");              /* overlong */
    QUOTE("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");              /* surrogate */
    QUOTE("\xf4\x90\x80\x80", "\"\\xf4\\x90\\x80\\x80\"");     /* > U+10FFFF */
    QUOTE("\xe2\x88", "\"\\xe2\\x88\"");                       /* truncated */
    QUOTE("\x80" "a", "\"\\x80a\"");
    /* valid but not printable: \u / \U escapes */
    QUOTE("\xc2\x85", "\"\\u0085\"");                          /* C1 control */
    QUOTE("\xc2\xa0", "\"\\u00a0\"");                          /* no-break space */
    QUOTE("\xc2\xad", "\"\\u00ad\"");                          /* soft hyphen */
    QUOTE("\xe2\x80\x8b", "\"\\u200b\"");                      /* zero width space */
    QUOTE("\xe2\x80\xa8", "\"\\u2028\"");                      /* line separator */
    QUOTE("\xe3\x80\x80", "\"\\u3000\"");                      /* ideographic space */
    QUOTE("\xef\xbb\xbf", "\"\\ufeff\"");                      /* BOM */
    QUOTE("\xee\x80\x80", "\"\\ue000\"");                      /* private use */
    QUOTE("\xef\xbf\xbe", "\"\\ufffe\"");                      /* noncharacter */
    QUOTE("\xf3\xa0\x80\x81", "\"\\U000e0001\"");              /* language tag */
    QUOTE("\xf3\xb0\x80\x80", "\"\\U000f0000\"");              /* plane 15 private use */
    QUOTE("\xf4\x8f\xbf\xbf", "\"\\U0010ffff\"");
    QUOTE("a\xc2\xa0\xff" "b", "\"a\\u00a0\\xffb\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_basics),
        cmocka_unit_test(test_alloc_hooks),
        cmocka_unit_test(test_entries),
        cmocka_unit_test(test_ids_and_conf_state),
        cmocka_unit_test(test_snapshot_and_message_copy),
        cmocka_unit_test(test_conf_change_helpers),
        cmocka_unit_test(test_msg_classes),
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_logger),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_quote_ascii),
        cmocka_unit_test(test_quote_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
