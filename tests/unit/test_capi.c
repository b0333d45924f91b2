/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_capi.c: the public ABI edge (raftc.h only): argument checks, bad bytes, step refusals,
 * call-order errors, failed nodes, sinks and raftpb helpers, callback storage, and a
 * single-node run whose Ready texts match etcd's single_node transcript.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

/* ---- helpers ---- */

typedef struct logbuf {
    char text[8192];
    size_t n;
} logbuf;

static void log_cb(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    logbuf *lb = ud;
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR", "FATAL", "PANIC"};
    if (lb == NULL || level < RAFTC_LOG_INFO)
        return;
    int n = snprintf(lb->text + lb->n, sizeof(lb->text) - lb->n, "%s %.*s\n", names[level],
                     (int)len, msg);
    if (n > 0 && lb->n + (size_t)n < sizeof(lb->text))
        lb->n += (size_t)n;
}

/* A raftpb Snapshot at (index, term 1) with voters (1). */
static void make_snapshot(raftc_sink *out, uint64_t index)
{
    raftc_sink *cs = NULL;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    uint64_t voters[] = {1};
    assert_int_equal(raftc_conf_state_encode(cs, voters, 1, NULL, 0, NULL, 0, NULL, 0, 0),
                     RAFTC_OK);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(out, index, 1, p, n, NULL, 0), RAFTC_OK);
    raftc_sink_free(cs);
}

typedef struct env {
    raftc_memstorage *ms;
    raftc_config *cfg;
    raftc_node *node;
    logbuf log;
} env;

/* Node 1 over a memory storage restored from a snapshot at index 3. */
static void env_init(env *e, int async)
{
    memset(e, 0, sizeof(*e));
    assert_int_equal(raftc_memstorage_new(&e->ms), RAFTC_OK);
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    make_snapshot(s, 3);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(e->ms, p, n), RAFTC_OK);
    raftc_sink_free(s);
    assert_int_equal(raftc_config_new(&e->cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(e->cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(e->cfg, RAFTC_OPT_ELECTION_TICK, 3), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(e->cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(e->cfg, RAFTC_OPT_APPLIED, 3), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(e->cfg, RAFTC_OPT_RAND_SEED, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(e->cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, async),
                     RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(e->cfg, log_cb, &e->log), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(e->cfg, e->ms), RAFTC_OK);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&e->node, &err, e->cfg), RAFTC_OK);
}

static void env_free(env *e)
{
    raftc_node_free(e->node);
    raftc_config_free(e->cfg);
    raftc_memstorage_free(e->ms);
}

/* Ready -> check text -> persist -> apply -> advance, through the ABI only. */
static void cycle(env *e, const char *want)
{
    raftc_ready *rd = NULL;
    assert_int_equal(raftc_node_ready(&rd, e->node), RAFTC_OK);
    char *got = NULL;
    assert_int_equal(raftc_ready_describe(&got, rd), RAFTC_OK);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    raftc_free(got);
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    const uint8_t *p = NULL;
    size_t n = 0;
    if (info[RAFTC_RD_HAS_HARD_STATE]) {
        assert_int_equal(raftc_ready_hard_state(&p, &n, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(e->ms, p, n), RAFTC_OK);
    } else {
        assert_int_equal(raftc_ready_hard_state(&p, &n, rd), RAFTC_ENOTFOUND);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
        assert_int_equal(raftc_ready_entry(&p, &n, rd, i), RAFTC_OK);
        assert_int_equal(raftc_memstorage_append(e->ms, &p, &n, 1), RAFTC_OK);
    }
    assert_int_equal(raftc_ready_entry(&p, &n, rd, info[RAFTC_RD_N_ENTRIES]), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_node_advance(e->node), RAFTC_OK);
    /* The view is gone after advance. */
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_ESTATE);
}

/* ---- tests ---- */

static void test_versions_and_errors(void **state)
{
    (void)state;
    assert_string_equal(raftc_version(), RAFTC_VERSION_STRING);
    assert_int_equal(raftc_abi_version(), RAFTC_ABI_VERSION);
    assert_string_equal(raftc_strerror(RAFTC_ESTEP_LOCAL_MSG),
                        "raft: cannot step raft local message");
    assert_string_equal(raftc_strerror(RAFTC_EPROPOSAL_DROPPED), "raft proposal dropped");
    assert_string_equal(raftc_strerror(12345), "unknown error");
    assert_string_equal(raftc_msg_type_name(RAFTC_MSG_APP), "MsgApp");
    raftc_msg_type mt = RAFTC_MSG_HUP;
    assert_int_equal(raftc_msg_type_parse(&mt, "MsgStorageAppendResp"), RAFTC_OK);
    assert_int_equal(mt, RAFTC_MSG_STORAGE_APPEND_RESP);
    assert_int_equal(raftc_msg_type_parse(&mt, "MsgNope"), RAFTC_ENOTFOUND);
    assert_int_equal(mt, RAFTC_MSG_STORAGE_APPEND_RESP);
    assert_int_equal(raftc_msg_type_parse(NULL, "MsgApp"), RAFTC_EINVAL);
    assert_int_equal(raftc_msg_type_parse(&mt, NULL), RAFTC_EINVAL);
    assert_string_equal(raftc_state_type_name(RAFTC_STATE_PRE_CANDIDATE), "StatePreCandidate");
}

static void test_null_args(void **state)
{
    (void)state;
    raftc_node_free(NULL);
    raftc_config_free(NULL);
    raftc_memstorage_free(NULL);
    raftc_sink_free(NULL);
    raftc_free(NULL);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(NULL, &err, NULL), RAFTC_EINVAL);
    raftc_node *node = NULL;
    assert_int_equal(raftc_node_new(&node, &err, NULL), RAFTC_EINVAL);
    assert_null(node);
    assert_int_equal(raftc_node_step(NULL, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_node_tick(NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_node_advance(NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_node_has_ready(NULL), 0);
    assert_string_equal(raftc_node_last_error(NULL), "");
    assert_int_equal(raftc_ready_info(NULL, 0, NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_config_new(NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_sink_put(NULL, "x", 1), RAFTC_EINVAL);
    assert_int_equal(raftc_memstorage_compact(NULL, 1), RAFTC_EINVAL);
    char *s = NULL;
    assert_int_equal(raftc_message_describe(&s, NULL, 5), RAFTC_EINVAL);
    assert_null(s);

    /* A config without storage. */
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_ECONFIG);
    assert_null(node);
    /* Unknown option keys and out-of-range values. */
    assert_int_equal(raftc_config_set_u64(cfg, 999, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_ID, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_READ_ONLY_OPTION, 7), RAFTC_EINVAL);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_PRE_VOTE, 2), RAFTC_EINVAL);
    uint64_t v = 0;
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, 1), RAFTC_OK);
    assert_int_equal(raftc_config_get_u64(&v, cfg, RAFTC_OPT_PRE_VOTE), RAFTC_OK);
    assert_int_equal(v, 1);
    raftc_config_free(cfg);
}

static void test_zero_id_config(void **state)
{
    (void)state;
    raftc_memstorage *ms = NULL;
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
    raftc_node *node = NULL;
    const char *err = NULL;
    int rc = raftc_node_new(&node, &err, cfg);
    assert_int_equal(rc, RAFTC_ECONFIG);
    assert_null(node);
    assert_string_equal(err, "cannot use none as id");
    /* Heartbeat tick 0. */
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 0), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_ECONFIG);
    assert_string_equal(err, "heartbeat tick must be greater than 0");
    raftc_config_free(cfg);
    raftc_memstorage_free(ms);
}

static void test_step_bad_input(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    /* Malformed bytes. */
    const uint8_t junk[] = {0xff, 0xff, 0xff};
    assert_int_equal(raftc_node_step(e.node, junk, sizeof(junk)), RAFTC_EDECODE);
    assert_int_equal(raftc_node_step(e.node, NULL, 3), RAFTC_EINVAL);
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    uint64_t info[RAFTC_MF_COUNT] = {0};
    /* A local message type from a peer. */
    info[RAFTC_MF_TYPE] = RAFTC_MSG_HUP;
    info[RAFTC_MF_FROM] = 2;
    info[RAFTC_MF_TO] = 1;
    assert_int_equal(raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0, NULL, 0),
                     RAFTC_OK);
    /* A response from an unknown peer. */
    info[RAFTC_MF_TYPE] = RAFTC_MSG_HEARTBEAT_RESP;
    info[RAFTC_MF_FROM] = 9;
    info[RAFTC_MF_TERM] = 1;
    assert_int_equal(raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0, NULL, 0),
                     RAFTC_OK);
    /* An unknown message type cannot even be encoded... */
    info[RAFTC_MF_TYPE] = 99;
    assert_int_equal(raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0, NULL, 0),
                     RAFTC_EUNKNOWN_TYPE);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_node_step(e.node, p, n), RAFTC_ESTEP_LOCAL_MSG);
    assert_string_equal(raftc_node_last_error(e.node), "raft: cannot step raft local message");
    assert_int_equal(raftc_sink_get(&p, &n, s, 1), RAFTC_OK);
    assert_int_equal(raftc_node_step(e.node, p, n), RAFTC_ESTEP_PEER_NOT_FOUND);
    assert_string_equal(raftc_node_last_error(e.node), "raft: cannot step as peer not found");
    /* ...so hand-craft one: field 1 (type) = 99. */
    const uint8_t unknown[] = {0x08, 99, 0x10, 1, 0x18, 2};
    assert_int_equal(raftc_node_step(e.node, unknown, sizeof(unknown)), RAFTC_EUNKNOWN_TYPE);
    /* The node still works. */
    assert_int_equal(raftc_node_is_failed(e.node), 0);
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_OK);
    raftc_sink_free(s);
    env_free(&e);
}

static void test_ready_order(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    assert_int_equal(raftc_node_advance(e.node), RAFTC_ESTATE);
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_OK);
    raftc_ready *rd = NULL;
    assert_int_equal(raftc_node_ready(&rd, e.node), RAFTC_OK);
    raftc_ready *rd2 = NULL;
    assert_int_equal(raftc_node_ready(&rd2, e.node), RAFTC_ESTATE);
    assert_null(rd2);
    assert_string_equal(raftc_node_last_error(e.node),
                        "two accepted Ready structs without call to Advance");
    /* The first view is still valid. */
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_int_equal(info[RAFTC_RD_TERM], 1);
    assert_int_equal(info[RAFTC_RD_MUST_SYNC], 1);
    assert_int_equal(raftc_node_advance(e.node), RAFTC_OK);
    assert_int_equal(raftc_node_advance(e.node), RAFTC_ESTATE);
    env_free(&e);

    /* Async mode refuses advance. */
    env_init(&e, 1);
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_OK);
    assert_int_equal(raftc_node_ready(&rd, e.node), RAFTC_OK);
    assert_int_equal(raftc_node_advance(e.node), RAFTC_ESTATE);
    assert_string_equal(raftc_node_last_error(e.node),
                        "Advance must not be called when using AsyncStorageWrites");
    /* Route the MsgStorageAppend's responses back in. */
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_int_equal(info[RAFTC_RD_N_MESSAGES], 1);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_ready_message(&p, &n, rd, 0), RAFTC_OK);
    uint64_t mi[RAFTC_MF_COUNT];
    assert_int_equal(raftc_message_decode(mi, RAFTC_MF_COUNT, p, n), RAFTC_OK);
    assert_int_equal(mi[RAFTC_MF_TYPE], RAFTC_MSG_STORAGE_APPEND);
    assert_true(mi[RAFTC_MF_TO] == RAFTC_LOCAL_APPEND_THREAD);
    assert_int_equal(mi[RAFTC_MF_N_RESPONSES], 1);
    raftc_sink *resp = NULL;
    assert_int_equal(raftc_sink_new(&resp), RAFTC_OK);
    assert_int_equal(raftc_message_decode_parts(NULL, NULL, resp, NULL, p, n), RAFTC_OK);
    char *text = NULL;
    raftc_sink *stripped = NULL;
    assert_int_equal(raftc_sink_new(&stripped), RAFTC_OK);
    assert_int_equal(raftc_message_strip_responses(stripped, p, n), RAFTC_OK);
    const uint8_t *sp = NULL;
    size_t sn = 0;
    assert_int_equal(raftc_sink_get(&sp, &sn, stripped, 0), RAFTC_OK);
    assert_int_equal(raftc_message_describe(&text, sp, sn), RAFTC_OK);
    assert_string_equal(text, "1->AppendThread MsgStorageAppend Term:1 Log:0/0 Commit:3 Vote:1");
    raftc_free(text);
    assert_int_equal(raftc_sink_count(resp), 1);
    assert_int_equal(raftc_sink_get(&p, &n, resp, 0), RAFTC_OK);
    assert_int_equal(raftc_node_step(e.node, p, n), RAFTC_OK);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, e.node), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_RAFT_STATE], RAFTC_STATE_LEADER);
    assert_int_equal(st[RAFTC_ST_IS_VOTER], 1);
    raftc_sink_free(resp);
    raftc_sink_free(stripped);
    env_free(&e);
}

static void test_single_node_transcript(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    assert_string_equal(e.log.text,
                        "INFO 1 switched to configuration voters=(1)\n"
                        "INFO 1 became follower at term 0\n"
                        "INFO newRaft 1 [peers: [1], term: 0, commit: 3, applied: 3, "
                        "lastindex: 3, lastterm: 1]\n");
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_OK);
    cycle(&e, "Ready MustSync=true:\nLead:0 State:StateCandidate\n"
              "HardState Term:1 Vote:1 Commit:3\n");
    cycle(&e, "Ready MustSync=true:\nLead:1 State:StateLeader\nEntries:\n1/4 EntryNormal \"\"\n");
    cycle(&e, "Ready MustSync=false:\nHardState Term:1 Vote:1 Commit:4\n"
              "CommittedEntries:\n1/4 EntryNormal \"\"\n");
    assert_int_equal(raftc_node_has_ready(e.node), 0);
    raftc_ready *rd = NULL;
    assert_int_equal(raftc_node_ready(&rd, e.node), RAFTC_OK);
    char *s = NULL;
    assert_int_equal(raftc_ready_describe(&s, rd), RAFTC_OK);
    assert_string_equal(s, "<empty Ready>");
    raftc_free(s);
    assert_int_equal(raftc_node_advance(e.node), RAFTC_OK);

    assert_int_equal(raftc_node_status_progress(&s, e.node), RAFTC_OK);
    assert_string_equal(s, "1: StateReplicate match=4 next=5\n");
    raftc_free(s);
    assert_int_equal(raftc_node_status_config(&s, e.node), RAFTC_OK);
    assert_string_equal(s, "voters=(1)");
    raftc_free(s);
    uint64_t pr[RAFTC_PR_COUNT];
    assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, e.node, 1), RAFTC_OK);
    assert_int_equal(pr[RAFTC_PR_MATCH], 4);
    assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, e.node, 2), RAFTC_ENOTFOUND);

    /* Storage reads through the ABI. */
    raftc_sink *ents = NULL;
    assert_int_equal(raftc_sink_new(&ents), RAFTC_OK);
    assert_int_equal(raftc_memstorage_entries(ents, e.ms, 4, 5, UINT64_MAX), RAFTC_OK);
    assert_int_equal(raftc_sink_count(ents), 1);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, ents, 0), RAFTC_OK);
    assert_int_equal(raftc_entry_describe_list(&s, &p, &n, 1), RAFTC_OK);
    assert_string_equal(s, "1/4 EntryNormal \"\"\n");
    raftc_free(s);
    assert_int_equal(raftc_memstorage_compact(e.ms, 2), RAFTC_ECOMPACTED);
    raftc_sink_free(ents);
    env_free(&e);
}

static void test_failed_node(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    /* Leaving a joint config that is not joint: etcd panics in applyConfChange. */
    int rc = raftc_node_apply_conf_change(NULL, e.node, RAFTC_CC_V2, NULL, 0);
    assert_int_equal(rc, RAFTC_EFAILED);
    assert_int_equal(raftc_node_is_failed(e.node), 1);
    assert_true(strlen(raftc_node_last_error(e.node)) > 0);
    assert_int_equal(raftc_node_tick(e.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_has_ready(e.node), 0);
    raftc_ready *rd = NULL;
    assert_int_equal(raftc_node_ready(&rd, e.node), RAFTC_EFAILED);
    assert_null(rd);
    assert_non_null(strstr(e.log.text, "PANIC "));
    env_free(&e);
}

/* raftc_testing_control: the pinned election timeout takes effect at once; every bad op, value
 * or handle is refused without a change. */
static void test_testing_control(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    const raftc_testing_op pin = RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT;
    assert_int_equal(raftc_testing_control(NULL, pin, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_testing_control(e.node, pin, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_testing_control(e.node, pin, (uint64_t)INT_MAX), RAFTC_EINVAL);
    assert_int_equal(raftc_testing_control(e.node, (raftc_testing_op)99, 1), RAFTC_EINVAL);
    assert_string_equal(raftc_node_last_error(e.node), "unknown testing operation");
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, e.node), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_RAFT_STATE], RAFTC_STATE_FOLLOWER);
    /* Pinned to 1 tick: the next tick starts an election (the default would wait >= 3). */
    assert_int_equal(raftc_testing_control(e.node, pin, 1), RAFTC_OK);
    assert_int_equal(raftc_node_tick(e.node), RAFTC_OK);
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, e.node), RAFTC_OK);
    assert_int_not_equal(st[RAFTC_ST_RAFT_STATE], RAFTC_STATE_FOLLOWER);
    /* A failed node refuses it. */
    assert_int_equal(raftc_node_apply_conf_change(NULL, e.node, RAFTC_CC_V2, NULL, 0),
                     RAFTC_EFAILED);
    assert_int_equal(raftc_testing_control(e.node, pin, 5), RAFTC_EFAILED);
    env_free(&e);
}

/* What a failed node still answers, and what happens to a Ready view taken before the failure:
 * calls on a failed node change nothing, so the view stays readable until raftc_node_free. */
static void test_failed_node_views(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    assert_int_equal(raftc_node_campaign(e.node), RAFTC_OK);
    raftc_ready *rd = NULL;
    uint64_t info[RAFTC_RD_COUNT];
    const uint8_t *p = NULL;
    size_t n = 0;
    for (;;) { /* until a Ready carries entries (the leader's empty entry) */
        assert_int_equal(raftc_node_ready(&rd, e.node), RAFTC_OK);
        assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
        if (info[RAFTC_RD_N_ENTRIES] > 0)
            break;
        assert_int_equal(raftc_node_advance(e.node), RAFTC_OK);
        assert_int_equal(raftc_node_has_ready(e.node), 1);
    }
    /* fail the node while the view is held */
    assert_int_equal(raftc_node_apply_conf_change(NULL, e.node, RAFTC_CC_V2, NULL, 0),
                     RAFTC_EFAILED);
    assert_int_equal(raftc_node_is_failed(e.node), 1);
    const char *panic = raftc_node_last_error(e.node);
    assert_non_null(strstr(panic, "can't leave a non-joint config"));
    char saved[256];
    snprintf(saved, sizeof(saved), "%s", panic);
    /* refused at the door: the view is untouched */
    assert_int_equal(raftc_node_advance(e.node), RAFTC_EFAILED);
    raftc_ready *rd2 = rd;
    assert_int_equal(raftc_node_ready(&rd2, e.node), RAFTC_EFAILED);
    assert_null(rd2);
    uint64_t again[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(again, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_memory_equal(info, again, sizeof(info));
    assert_int_equal(raftc_ready_entry(&p, &n, rd, 0), RAFTC_OK);
    char *text = NULL;
    assert_int_equal(raftc_ready_describe(&text, rd), RAFTC_OK);
    raftc_free(text);
    /* read-only calls work on a failed node */
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, e.node), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_RAFT_STATE], RAFTC_STATE_LEADER);
    assert_int_equal(raftc_node_status_config(&text, e.node), RAFTC_OK);
    assert_string_equal(text, "voters=(1)");
    raftc_free(text);
    assert_int_equal(raftc_node_status_progress(&text, e.node), RAFTC_OK);
    assert_non_null(strstr(text, "1: StateReplicate"));
    raftc_free(text);
    raftc_sink *cs = NULL;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_node_conf_state(cs, e.node), RAFTC_OK);
    assert_int_equal(raftc_sink_count(cs), 1);
    raftc_sink_free(cs);
    uint64_t ids[4];
    size_t nids = 0;
    assert_int_equal(raftc_node_progress_ids(ids, 4, &nids, e.node), RAFTC_OK);
    assert_int_equal(nids, 1);
    uint64_t pr[RAFTC_PR_COUNT];
    assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, e.node, 1), RAFTC_OK);
    assert_int_equal(raftc_node_has_ready(e.node), 0);
    /* none of them replaced the PANIC text */
    assert_string_equal(raftc_node_last_error(e.node), saved);
    env_free(&e);
}

/* etcd's doc.go: a conf change the application cancels is still applied, with its node id set
 * to 0 (raft.None): the change is skipped and the config stays as it was. */
static void test_cancelled_conf_change(void **state)
{
    (void)state;
    env e;
    env_init(&e, 0);
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    assert_int_equal(raftc_conf_change_encode(s, RAFTC_CC_ADD_NODE, RAFTC_NONE, NULL, 0),
                     RAFTC_OK);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    raftc_sink *cs = NULL;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_node_apply_conf_change(cs, e.node, RAFTC_CC_V1, p, n), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, cs, 0), RAFTC_OK);
    char *text = NULL;
    assert_int_equal(raftc_conf_state_describe(&text, p, n), RAFTC_OK);
    assert_string_equal(text, "Voters:[1] VotersOutgoing:[] Learners:[] LearnersNext:[] "
                              "AutoLeave:false");
    raftc_free(text);
    /* V2 with one zeroed change: the same no-op */
    raftc_cc_type types[2] = {RAFTC_CC_ADD_NODE, RAFTC_CC_ADD_LEARNER_NODE};
    uint64_t zero[2] = {0, 0};
    raftc_sink_reset(s);
    assert_int_equal(raftc_conf_change_v2_encode(s, RAFTC_CC_TRANSITION_AUTO, types, zero, 1,
                                                 NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_node_apply_conf_change(NULL, e.node, RAFTC_CC_V2, p, n), RAFTC_OK);
    assert_int_equal(raftc_node_status_config(&text, e.node), RAFTC_OK);
    assert_string_equal(text, "voters=(1)");
    raftc_free(text);
    /* V2 with several zeroed changes: as in etcd, it still enters a joint config (with equal
     * halves), left again by the automatic leave */
    raftc_sink_reset(s);
    assert_int_equal(raftc_conf_change_v2_encode(s, RAFTC_CC_TRANSITION_AUTO, types, zero, 2,
                                                 NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_node_apply_conf_change(NULL, e.node, RAFTC_CC_V2, p, n), RAFTC_OK);
    assert_int_equal(raftc_node_status_config(&text, e.node), RAFTC_OK);
    assert_string_equal(text, "voters=(1)&&(1) autoleave");
    raftc_free(text);
    assert_false(raftc_node_is_failed(e.node));
    raftc_sink_free(cs);
    raftc_sink_free(s);
    env_free(&e);
}

/* ---- callback storage wrapping a memory storage with its own snapshot ---- */

typedef struct host_storage {
    raftc_memstorage *ms;
    raftc_sink *snap; /* the host's "History tip" */
    int calls;
} host_storage;

static int hs_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    host_storage *h = ud;
    h->calls++;
    return raftc_memstorage_initial_state(hs, cs, h->ms);
}
static int hs_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max)
{
    host_storage *h = ud;
    h->calls++;
    return raftc_memstorage_entries(out, h->ms, lo, hi, max);
}
static int hs_term(void *ud, uint64_t *t, uint64_t i)
{
    host_storage *h = ud;
    h->calls++;
    return raftc_memstorage_term(t, h->ms, i);
}
static int hs_first(void *ud, uint64_t *i)
{
    host_storage *h = ud;
    h->calls++;
    return raftc_memstorage_first_index(i, h->ms);
}
static int hs_last(void *ud, uint64_t *i)
{
    host_storage *h = ud;
    h->calls++;
    return raftc_memstorage_last_index(i, h->ms);
}
static int hs_snapshot(void *ud, raftc_sink *out)
{
    host_storage *h = ud;
    const uint8_t *p = NULL;
    size_t n = 0;
    h->calls++;
    if (raftc_sink_get(&p, &n, h->snap, 0) != RAFTC_OK)
        return RAFTC_ESNAP_TEMP_UNAVAILABLE;
    return raftc_sink_put(out, p, n);
}

static void test_callback_storage(void **state)
{
    (void)state;
    host_storage h = {0};
    assert_int_equal(raftc_memstorage_new(&h.ms), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&h.snap), RAFTC_OK);
    make_snapshot(h.snap, 5);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, h.snap, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(h.ms, p, n), RAFTC_OK);
    raftc_storage_callbacks cbs = {sizeof(cbs), &h, hs_initial_state, hs_entries, hs_term,
                                   hs_first, hs_last, hs_snapshot};
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    raftc_storage_callbacks bad = cbs;
    bad.struct_size = 4;
    assert_int_equal(raftc_config_set_storage_callbacks(cfg, &bad), RAFTC_EINVAL);
    bad = cbs;
    bad.term = NULL;
    assert_int_equal(raftc_config_set_storage_callbacks(cfg, &bad), RAFTC_EINVAL);
    assert_int_equal(raftc_config_set_storage_callbacks(cfg, &cbs), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_APPLIED, 5), RAFTC_OK);
    raftc_node *node = NULL;
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_OK);
    assert_true(h.calls > 0);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, node), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_COMMIT], 5);
    assert_int_equal(st[RAFTC_ST_IS_VOTER], 1);
    raftc_sink *cs = NULL;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_node_conf_state(cs, node), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, cs, 0), RAFTC_OK);
    char *s = NULL;
    assert_int_equal(raftc_conf_state_describe(&s, p, n), RAFTC_OK);
    assert_string_equal(s, "Voters:[1] VotersOutgoing:[] Learners:[] LearnersNext:[] "
                           "AutoLeave:false");
    raftc_free(s);
    raftc_sink_free(cs);
    raftc_node_free(node);
    raftc_config_free(cfg);
    raftc_sink_free(h.snap);
    raftc_memstorage_free(h.ms);
}

static void test_pb_helpers(void **state)
{
    (void)state;
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    assert_int_equal(raftc_entry_encode(s, 2, 7, RAFTC_ENTRY_NORMAL, (const uint8_t *)"ab", 2),
                     RAFTC_OK);
    const uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    uint64_t t = 0, i = 0;
    raftc_entry_type type = -1;
    const uint8_t *d = NULL;
    size_t dl = 0;
    assert_int_equal(raftc_entry_decode(&t, &i, &type, &d, &dl, p, n), RAFTC_OK);
    assert_int_equal(t, 2);
    assert_int_equal(i, 7);
    assert_int_equal(type, RAFTC_ENTRY_NORMAL);
    assert_int_equal(dl, 2);
    assert_memory_equal(d, "ab", 2);

    raftc_cc_type types[] = {RAFTC_CC_REMOVE_NODE, RAFTC_CC_ADD_NODE};
    uint64_t ids[] = {1, 4};
    assert_int_equal(raftc_conf_change_v2_encode(s, RAFTC_CC_TRANSITION_AUTO, types, ids, 2,
                                                 NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 1), RAFTC_OK);
    assert_int_equal(raftc_entry_encode(s, 1, 4, RAFTC_ENTRY_CONF_CHANGE_V2, p, n), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 2), RAFTC_OK);
    char *text = NULL;
    assert_int_equal(raftc_entry_describe(&text, p, n), RAFTC_OK);
    assert_string_equal(text, "1/4 EntryConfChangeV2 r1 v4");
    raftc_free(text);

    assert_int_equal(raftc_hard_state_encode(s, 3, 2, 9), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 3), RAFTC_OK);
    assert_int_equal(raftc_hard_state_describe(&text, p, n), RAFTC_OK);
    assert_string_equal(text, "Term:3 Vote:2 Commit:9");
    raftc_free(text);
    uint64_t term = 0, vote = 0, commit = 0;
    assert_int_equal(raftc_hard_state_decode(&term, &vote, &commit, p, n), RAFTC_OK);
    assert_int_equal(commit, 9);

    raftc_sink_reset(s);
    assert_int_equal(raftc_sink_count(s), 0);
    assert_int_equal(raftc_sink_put(s, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_non_null(p);
    assert_int_equal(n, 0);
    assert_int_equal(raftc_sink_get(&p, &n, s, 1), RAFTC_ENOTFOUND);

    /* A snapshot message describes with its snapshot line. */
    raftc_sink_reset(s);
    make_snapshot(s, 11);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_SNAP;
    info[RAFTC_MF_FROM] = 1;
    info[RAFTC_MF_TO] = 3;
    info[RAFTC_MF_TERM] = 1;
    assert_int_equal(raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, p, n, NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 1), RAFTC_OK);
    assert_int_equal(raftc_message_describe(&text, p, n), RAFTC_OK);
    assert_string_equal(text, "1->3 MsgSnap Term:1 Log:0/0\n"
                              "  Snapshot: Index:11 Term:1 ConfState:Voters:[1] VotersOutgoing:[] "
                              "Learners:[] LearnersNext:[] AutoLeave:false");
    raftc_free(text);
    raftc_sink_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions_and_errors),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_zero_id_config),
        cmocka_unit_test(test_step_bad_input),
        cmocka_unit_test(test_ready_order),
        cmocka_unit_test(test_single_node_transcript),
        cmocka_unit_test(test_failed_node),
        cmocka_unit_test(test_failed_node_views),
        cmocka_unit_test(test_testing_control),
        cmocka_unit_test(test_cancelled_conf_change),
        cmocka_unit_test(test_callback_storage),
        cmocka_unit_test(test_pb_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
