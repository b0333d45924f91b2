/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_abi_hostile.c: the public ABI (raftc.h only) under hostile input: random and malformed
 * bytes, unknown and local message types, reserved ids, removed peers, calls out of order,
 * oversized and deeply nested buffers, and storage callbacks that fail or lie. Every case must
 * end in an error code or a failed node with a PANIC line, never a crash or a leak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

/* ---- a tiny protobuf writer, to build bytes raftc_message_encode refuses to produce ---- */

typedef struct pbw {
    uint8_t b[1 << 16];
    size_t n;
} pbw;

static void pb_varint(pbw *w, uint64_t v)
{
    while (v >= 0x80) {
        w->b[w->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    w->b[w->n++] = (uint8_t)v;
}

static void pb_u64(pbw *w, unsigned field, uint64_t v)
{
    pb_varint(w, (uint64_t)field << 3);
    pb_varint(w, v);
}

static void pb_bytes(pbw *w, unsigned field, const uint8_t *p, size_t len)
{
    pb_varint(w, ((uint64_t)field << 3) | 2);
    pb_varint(w, len);
    memcpy(w->b + w->n, p, len);
    w->n += len;
}

/* raftpb.Message field numbers */
enum { F_TYPE = 1, F_TO = 2, F_FROM = 3, F_TERM = 4, F_LOGTERM = 5, F_INDEX = 6, F_ENTRIES = 7,
       F_COMMIT = 8, F_SNAPSHOT = 9, F_REJECT = 10, F_RESPONSES = 14 };

static size_t msg(pbw *w, uint64_t type, uint64_t to, uint64_t from, uint64_t term)
{
    w->n = 0;
    pb_u64(w, F_TYPE, type);
    pb_u64(w, F_TO, to);
    pb_u64(w, F_FROM, from);
    pb_u64(w, F_TERM, term);
    return w->n;
}

/* ---- a host: nodes over memory storage, with a PANIC recorder ---- */

typedef struct host {
    raftc_memstorage *ms;
    raftc_node *node;
    int panics;
    char panic[512];
} host;

static void on_log(void *ud, raftc_log_level level, const char *text, size_t len)
{
    host *h = ud;
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    if (level == RAFTC_LOG_PANIC && h->panics++ == 0)
        snprintf(h->panic, sizeof(h->panic), "%s", text); /* the node keeps the first one */
}

static raftc_sink *sink(void)
{
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    return s;
}

/* Node id over a memory storage whose snapshot (index 1, term 1) holds voters. */
static void host_open(host *h, uint64_t id, const uint64_t *voters, size_t nv, int async)
{
    memset(h, 0, sizeof(*h));
    assert_int_equal(raftc_memstorage_new(&h->ms), RAFTC_OK);
    raftc_sink *cs = sink(), *snap = sink();
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_conf_state_encode(cs, voters, nv, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(raftc_sink_get(&p, &len, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(snap, 1, 1, p, len, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &len, snap, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(h->ms, p, len), RAFTC_OK);
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, id), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, async), RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(cfg, on_log, h), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, h->ms), RAFTC_OK);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&h->node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
}

static void host_close(host *h)
{
    raftc_node_free(h->node);
    raftc_memstorage_free(h->ms);
}

/* One sync Ready cycle: persist, apply conf changes, advance. Returns 1 if there was one. */
static int host_cycle(host *h)
{
    if (!raftc_node_has_ready(h->node))
        return 0;
    raftc_ready *rd = NULL;
    uint64_t in[RAFTC_RD_COUNT];
    assert_int_equal(raftc_node_ready(&rd, h->node), RAFTC_OK);
    assert_int_equal(raftc_ready_info(in, RAFTC_RD_COUNT, rd), RAFTC_OK);
    const uint8_t *p;
    size_t len;
    if (in[RAFTC_RD_HAS_SNAPSHOT]) {
        assert_int_equal(raftc_ready_snapshot(&p, &len, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_apply_snapshot(h->ms, p, len), RAFTC_OK);
    }
    for (size_t i = 0; i < in[RAFTC_RD_N_ENTRIES]; i++) {
        assert_int_equal(raftc_ready_entry(&p, &len, rd, i), RAFTC_OK);
        assert_int_equal(raftc_memstorage_append(h->ms, &p, &len, 1), RAFTC_OK);
    }
    if (in[RAFTC_RD_HAS_HARD_STATE]) {
        assert_int_equal(raftc_ready_hard_state(&p, &len, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(h->ms, p, len), RAFTC_OK);
    }
    for (size_t i = 0; i < in[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        const uint8_t *data;
        size_t dlen;
        raftc_entry_type type;
        assert_int_equal(raftc_ready_committed_entry(&p, &len, rd, i), RAFTC_OK);
        assert_int_equal(raftc_entry_decode(NULL, NULL, &type, &data, &dlen, p, len), RAFTC_OK);
        if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2)
            assert_int_equal(raftc_node_apply_conf_change(
                                 NULL, h->node,
                                 type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1
                                                                          : RAFTC_CC_V2, data, dlen),
                             RAFTC_OK);
    }
    assert_int_equal(raftc_node_advance(h->node), RAFTC_OK);
    return 1;
}

static void host_settle(host *h)
{
    for (int i = 0; i < 20 && host_cycle(h); i++) {
    }
}

static uint64_t status(const host *h, int field)
{
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, h->node), RAFTC_OK);
    return st[field];
}

/* Makes node 1 of {1,2,3} the leader (2 votes for it). */
static void host_lead(host *h)
{
    static const uint64_t voters[3] = {1, 2, 3};
    host_open(h, 1, voters, 3, 0);
    assert_int_equal(raftc_node_campaign(h->node), RAFTC_OK);
    host_settle(h);
    pbw w;
    size_t n = msg(&w, RAFTC_MSG_VOTE_RESP, 1, 2, status(h, RAFTC_ST_TERM));
    assert_int_equal(raftc_node_step(h->node, w.b, n), RAFTC_OK);
    host_settle(h);
    assert_int_equal(status(h, RAFTC_ST_RAFT_STATE), RAFTC_STATE_LEADER);
}

/* A result must be a known code; a failed node must say so through every channel, starting with
 * the call that failed it (RAFTC_EFAILED). */
static int g_failed_before;
static int g_fail_rc = 1; /* result of the call that failed the node (1: none seen) */
#define check_rc(h, call)                                                                          \
    do {                                                                                           \
        g_failed_before = raftc_node_is_failed((h)->node);                                         \
        check_rc_after((h), (call));                                                               \
    } while (0)

static void check_rc_after(const host *h, int rc)
{
    if (!g_failed_before && raftc_node_is_failed(h->node) && rc != RAFTC_EFAILED)
        print_message("DEFECT: the call that failed the node returned %d (%s), not "
                      "RAFTC_EFAILED; panic: %s\n", rc, raftc_strerror(rc), h->panic);
    assert_true(g_failed_before || !raftc_node_is_failed(h->node) || rc == RAFTC_EFAILED);
    if (!g_failed_before && raftc_node_is_failed(h->node))
        g_fail_rc = rc;
    assert_true(rc <= 0 && rc >= RAFTC_EREFUSED);
    assert_non_null(raftc_node_last_error(h->node));
    if (raftc_node_is_failed(h->node)) {
        assert_true(h->panics > 0);
        assert_int_equal(raftc_node_tick(h->node), RAFTC_EFAILED);
        assert_string_equal(raftc_node_last_error(h->node), h->panic);
    }
}

static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- tests ---- */

/* Random bytes and bit-flipped valid messages to step, on a leader and on a follower. */
static void test_random_bytes_to_step(void **state)
{
    (void)state;
    rng_state = 0x2545F4914F6CDD1DULL;
    print_message("seed 0x2545F4914F6CDD1D\n");
    for (int role = 0; role < 2; role++) {
        host h;
        static const uint64_t voters[3] = {1, 2, 3};
        if (role)
            host_lead(&h);
        else
            host_open(&h, 1, voters, 3, 0);
        uint8_t buf[256];
        for (int i = 0; i < 3000 && !raftc_node_is_failed(h.node); i++) {
            size_t len = rng() % sizeof(buf);
            for (size_t j = 0; j < len; j++)
                buf[j] = (uint8_t)rng();
            if (i % 2) { /* a valid prefix, then noise: gets past the first fields */
                pbw w;
                size_t n = msg(&w, rng() % 24, 1, 1 + rng() % 4, rng() % 5);
                memcpy(buf, w.b, n < len ? n : len);
            }
            check_rc(&h, raftc_node_step(h.node, buf, len));
            if (i % 16 == 0 && !raftc_node_is_failed(h.node)) {
                check_rc(&h, raftc_node_tick(h.node));
                host_settle(&h);
            }
        }
        host_close(&h);
    }
}

static void test_unknown_and_local_types(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    pbw w;
    size_t n;
    /* Types outside etcd's enum. */
    uint64_t unknown[] = {24, 25, 100, INT32_MAX, UINT32_MAX, UINT64_MAX};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        n = msg(&w, unknown[i], 1, 2, 1);
        assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_EUNKNOWN_TYPE);
        uint64_t info[RAFTC_MF_COUNT];
        assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, w.b, n), RAFTC_EUNKNOWN_TYPE);
        char *s = NULL;
        int rc = raftc_message_describe(&s, w.b, n);
        assert_true(rc == RAFTC_OK || rc < 0);
        raftc_free(s);
    }
    /* Local types from a peer (and from nobody). */
    int local[] = {RAFTC_MSG_HUP, RAFTC_MSG_BEAT, RAFTC_MSG_UNREACHABLE, RAFTC_MSG_SNAP_STATUS,
                   RAFTC_MSG_CHECK_QUORUM, RAFTC_MSG_STORAGE_APPEND,
                   RAFTC_MSG_STORAGE_APPEND_RESP, RAFTC_MSG_STORAGE_APPLY,
                   RAFTC_MSG_STORAGE_APPLY_RESP};
    uint64_t froms[] = {2, 3, 7, RAFTC_NONE};
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
        for (size_t f = 0; f < sizeof(froms) / sizeof(froms[0]); f++) {
            n = msg(&w, (uint64_t)local[i], 1, froms[f], 1);
            assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_ESTEP_LOCAL_MSG);
            assert_string_equal(raftc_node_last_error(h.node),
                                "raft: cannot step raft local message");
        }
    }
    /* A response from a peer outside the config. */
    n = msg(&w, RAFTC_MSG_APP_RESP, 1, 9, status(&h, RAFTC_ST_TERM));
    assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_ESTEP_PEER_NOT_FOUND);
    assert_string_equal(raftc_node_last_error(h.node), "raft: cannot step as peer not found");
    assert_false(raftc_node_is_failed(h.node));
    host_close(&h);
}

/* Ids 0, UINT64_MAX (LocalAppendThread) and UINT64_MAX-1 (LocalApplyThread). */
static void test_reserved_ids(void **state)
{
    (void)state;
    uint64_t bad[] = {RAFTC_NONE, RAFTC_LOCAL_APPEND_THREAD, RAFTC_LOCAL_APPLY_THREAD};
    for (size_t i = 0; i < 3; i++) {
        raftc_config *cfg = NULL;
        raftc_memstorage *ms = NULL;
        assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
        assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
        assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
        int rc = raftc_config_set_u64(cfg, RAFTC_OPT_ID, bad[i]);
        raftc_node *node = NULL;
        const char *err = NULL;
        int rc2 = raftc_node_new(&node, &err, cfg);
        /* Refused at set time or at node creation, with a text. */
        assert_true(rc == RAFTC_EINVAL || rc2 == RAFTC_ECONFIG || rc2 == RAFTC_EINVAL);
        assert_null(node);
        assert_non_null(err);
        raftc_config_free(cfg);
        raftc_memstorage_free(ms);
    }
    /* Reserved ids as routing and as conf change targets on a live leader. */
    host h;
    host_lead(&h);
    pbw w;
    uint64_t term = status(&h, RAFTC_ST_TERM);
    int types[] = {RAFTC_MSG_APP, RAFTC_MSG_APP_RESP, RAFTC_MSG_VOTE, RAFTC_MSG_HEARTBEAT,
                   RAFTC_MSG_HEARTBEAT_RESP, RAFTC_MSG_PROP, RAFTC_MSG_SNAP,
                   RAFTC_MSG_TRANSFER_LEADER, RAFTC_MSG_READ_INDEX, RAFTC_MSG_TIMEOUT_NOW};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        for (size_t i = 0; i < 3 && !raftc_node_is_failed(h.node); i++) {
            size_t n = msg(&w, (uint64_t)types[t], 1, bad[i], term);
            check_rc(&h, raftc_node_step(h.node, w.b, n));
            n = msg(&w, (uint64_t)types[t], bad[i], 2, term);
            check_rc(&h, raftc_node_step(h.node, w.b, n));
            host_settle(&h);
        }
    }
    raftc_sink *s = sink();
    const uint8_t *p;
    size_t len;
    for (size_t i = 0; i < 3 && !raftc_node_is_failed(h.node); i++) {
        raftc_sink_reset(s);
        assert_int_equal(raftc_conf_change_encode(s, RAFTC_CC_ADD_NODE, bad[i], NULL, 0), 0);
        assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
        check_rc(&h, raftc_node_propose_conf_change(h.node, RAFTC_CC_V1, p, len));
        check_rc(&h, raftc_node_transfer_leader(h.node, bad[i]));
        assert_int_equal(raftc_node_report_unreachable(h.node, RAFTC_NONE), RAFTC_EINVAL);
        check_rc(&h, raftc_node_report_unreachable(h.node, bad[i]));
        host_settle(&h);
    }
    raftc_sink_free(s);
    assert_int_equal(raftc_node_bootstrap(h.node, (uint64_t[]){0}, NULL, NULL, 1) < 0, 1);
    host_close(&h);
}

/* A removed peer keeps talking: its responses are refused, its votes do not disturb. */
static void test_removed_peer(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    raftc_sink *s = sink();
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_conf_change_encode(s, RAFTC_CC_REMOVE_NODE, 3, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
    assert_int_equal(raftc_node_propose_conf_change(h.node, RAFTC_CC_V1, p, len), RAFTC_OK);
    host_settle(&h);
    /* Commit through 2's ack of everything. */
    pbw w;
    uint64_t term = status(&h, RAFTC_ST_TERM), last = 0;
    assert_int_equal(raftc_memstorage_last_index(&last, h.ms), RAFTC_OK);
    size_t n = msg(&w, RAFTC_MSG_APP_RESP, 1, 2, term);
    pb_u64(&w, F_INDEX, last);
    n = w.n;
    assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_OK);
    host_settle(&h);
    char *cfg = NULL;
    assert_int_equal(raftc_node_status_config(&cfg, h.node), RAFTC_OK);
    assert_string_equal(cfg, "voters=(1 2)");
    raftc_free(cfg);
    n = msg(&w, RAFTC_MSG_APP_RESP, 1, 3, term);
    assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_ESTEP_PEER_NOT_FOUND);
    n = msg(&w, RAFTC_MSG_HEARTBEAT_RESP, 1, 3, term);
    assert_int_equal(raftc_node_step(h.node, w.b, n), RAFTC_ESTEP_PEER_NOT_FOUND);
    n = msg(&w, RAFTC_MSG_VOTE, 1, 3, term + 5);
    pb_u64(&w, F_LOGTERM, term + 5);
    pb_u64(&w, F_INDEX, last + 100);
    check_rc(&h, raftc_node_step(h.node, w.b, w.n));
    n = msg(&w, RAFTC_MSG_APP, 1, 3, term + 9);
    pb_u64(&w, F_COMMIT, last + 1000); /* out of range: etcd panics; that must stay a PANIC */
    check_rc(&h, raftc_node_step(h.node, w.b, w.n));
    (void)n;
    raftc_sink_free(s);
    host_close(&h);
}

static void test_calls_out_of_order(void **state)
{
    (void)state;
    static const uint64_t voters[1] = {1};
    host h;
    host_open(&h, 1, voters, 1, 0);
    raftc_ready *rd = NULL, *rd2 = NULL;
    /* advance with no Ready taken */
    assert_int_equal(raftc_node_advance(h.node), RAFTC_ESTATE);
    assert_int_equal(raftc_node_campaign(h.node), RAFTC_OK);
    assert_int_equal(raftc_node_ready(&rd, h.node), RAFTC_OK);
    uint64_t in[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(in, RAFTC_RD_COUNT, rd), RAFTC_OK);
    /* a second Ready before advance: refused, the first view stays valid */
    assert_int_equal(raftc_node_ready(&rd2, h.node), RAFTC_ESTATE);
    assert_null(rd2);
    assert_string_equal(raftc_node_last_error(h.node),
                        "two accepted Ready structs without call to Advance");
    uint64_t in2[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(in2, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_memory_equal(in, in2, sizeof(in));
    /* out-of-range views */
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_ready_entry(&p, &len, rd, 1000), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_ready_message(&p, &len, rd, SIZE_MAX), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_ready_committed_entry(&p, &len, rd, 1000), RAFTC_ENOTFOUND);
    uint64_t idx;
    assert_int_equal(raftc_ready_read_state(&idx, &p, &len, rd, 1000), RAFTC_ENOTFOUND);
    /* bad sizes for the info arrays */
    assert_int_equal(raftc_ready_info(in2, 0, rd), RAFTC_OK);
    assert_int_equal(raftc_ready_info(in2, 3, rd), RAFTC_OK);
    host_close(&h);

    /* advance in async mode is refused; steps of made-up storage responses do not crash */
    host_open(&h, 1, voters, 1, 1);
    assert_int_equal(raftc_node_campaign(h.node), RAFTC_OK);
    assert_int_equal(raftc_node_ready(&rd, h.node), RAFTC_OK);
    assert_int_equal(raftc_node_advance(h.node), RAFTC_ESTATE);
    pbw w;
    size_t n = msg(&w, RAFTC_MSG_STORAGE_APPEND_RESP, 1, RAFTC_LOCAL_APPEND_THREAD, 99);
    pb_u64(&w, F_INDEX, 1000);
    pb_u64(&w, F_LOGTERM, 99);
    n = w.n;
    check_rc(&h, raftc_node_step(h.node, w.b, n));
    n = msg(&w, RAFTC_MSG_STORAGE_APPLY_RESP, 1, RAFTC_LOCAL_APPLY_THREAD, 99);
    check_rc(&h, raftc_node_step(h.node, w.b, n));
    host_close(&h);
}

/* Lengths over the limit are refused before the bytes are read (the buffer here is tiny: a
 * function that read len bytes would trip ASan / valgrind). */
static void test_oversized_lengths(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    uint8_t tiny[8] = {0x08, 0x03};
    size_t huge = ((size_t)1 << 30) + 1;
    assert_int_equal(raftc_node_step(h.node, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_node_propose(h.node, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_node_read_index(h.node, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_node_propose_conf_change(h.node, RAFTC_CC_V1, tiny, huge),
                     RAFTC_ETOOLARGE);
    assert_int_equal(raftc_node_apply_conf_change(NULL, h.node, RAFTC_CC_V2, tiny, huge),
                     RAFTC_ETOOLARGE);
    assert_false(raftc_node_is_failed(h.node));
    uint64_t info[RAFTC_MF_COUNT];
    assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, tiny, huge), RAFTC_ETOOLARGE);
    raftc_sink *s = sink();
    assert_int_equal(raftc_message_decode_parts(s, s, s, s, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_message_strip_responses(s, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_entry_decode(NULL, NULL, NULL, NULL, NULL, tiny, huge),
                     RAFTC_ETOOLARGE);
    assert_int_equal(raftc_hard_state_decode(NULL, NULL, NULL, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_snapshot_decode(NULL, NULL, s, s, tiny, huge), RAFTC_ETOOLARGE);
    size_t cnt;
    assert_int_equal(raftc_conf_state_decode(NULL, 0, &cnt, NULL, tiny, huge, RAFTC_CS_VOTERS),
                     RAFTC_ETOOLARGE);
    assert_int_equal(raftc_conf_change_decode_context(s, RAFTC_CC_V1, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_memstorage_apply_snapshot(h.ms, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_memstorage_set_hard_state(h.ms, tiny, huge), RAFTC_ETOOLARGE);
    const uint8_t *ents[1] = {tiny};
    assert_int_equal(raftc_memstorage_append(h.ms, ents, &huge, 1), RAFTC_ETOOLARGE);
    char *str = NULL;
    assert_int_equal(raftc_message_describe(&str, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_entry_describe(&str, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_hard_state_describe(&str, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_conf_state_describe(&str, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_snapshot_describe(&str, tiny, huge), RAFTC_ETOOLARGE);
    assert_int_equal(raftc_entry_describe_list(&str, ents, &huge, 1), RAFTC_ETOOLARGE);
    assert_null(str);
    raftc_changer *ch = NULL;
    assert_int_equal(raftc_changer_new(&ch, 4, 0), RAFTC_OK);
    assert_int_equal(raftc_changer_restore(ch, tiny, huge), RAFTC_ETOOLARGE);
    raftc_changer_free(ch);
    raftc_sink_free(s);
    host_close(&h);
}

/* Big but legal payloads: a 4 MiB proposal, a MsgApp with 2000 entries from a leader. */
static void test_large_payloads(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    size_t big = (size_t)4 << 20;
    uint8_t *data = calloc(1, big);
    assert_non_null(data);
    assert_int_equal(raftc_node_propose(h.node, data, big), RAFTC_OK);
    host_settle(&h);
    free(data);
    host_close(&h);

    static const uint64_t voters[3] = {1, 2, 3};
    host_open(&h, 1, voters, 3, 0);
    static pbw w, e;
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 1);
    pb_u64(&w, F_INDEX, 1);
    for (uint64_t i = 0; i < 2000; i++) {
        e.n = 0;
        pb_u64(&e, 2, 2);     /* Term */
        pb_u64(&e, 3, 2 + i); /* Index */
        pb_bytes(&w, F_ENTRIES, e.b, e.n);
    }
    pb_u64(&w, F_COMMIT, 2001);
    int rc = raftc_node_step(h.node, w.b, w.n);
    if (rc != RAFTC_OK)
        print_message("step MsgApp(2000 entries): %d %s\n", rc, raftc_node_last_error(h.node));
    assert_int_equal(rc, RAFTC_OK);
    host_settle(&h);
    assert_int_equal(status(&h, RAFTC_ST_COMMIT), 2001);
    host_close(&h);
}

/* Message.responses nested deeper than etcd ever produces, and length prefixes that lie. */
static void test_nested_and_lying_lengths(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    static pbw a, b;
    /* 4000 levels of responses: built inside out. */
    msg(&a, RAFTC_MSG_APP_RESP, 1, 2, 1);
    for (int depth = 0; depth < 4000 && a.n + 32 < sizeof(a.b); depth++) {
        msg(&b, RAFTC_MSG_STORAGE_APPEND, RAFTC_LOCAL_APPEND_THREAD, 1, 1);
        pb_bytes(&b, F_RESPONSES, a.b, a.n);
        memcpy(a.b, b.b, b.n);
        a.n = b.n;
    }
    int rc = raftc_node_step(h.node, a.b, a.n);
    assert_true(rc == RAFTC_EDECODE || rc == RAFTC_ESTEP_LOCAL_MSG);
    uint64_t info[RAFTC_MF_COUNT];
    assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, a.b, a.n), RAFTC_EDECODE);
    char *s = NULL;
    assert_int_equal(raftc_message_describe(&s, a.b, a.n), RAFTC_EDECODE);
    assert_null(s);
    /* A length-delimited field claiming more bytes than there are (2^63, 2^32, len+1). */
    uint64_t lies[] = {(uint64_t)1 << 63, (uint64_t)1 << 32, 5};
    for (size_t i = 0; i < 3; i++) {
        msg(&a, RAFTC_MSG_APP, 1, 2, 1);
        pb_varint(&a, ((uint64_t)F_ENTRIES << 3) | 2);
        pb_varint(&a, lies[i]);
        a.b[a.n++] = 0x08;
        assert_int_equal(raftc_node_step(h.node, a.b, a.n), RAFTC_EDECODE);
        assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, a.b, a.n), RAFTC_EDECODE);
    }
    /* A truncated varint, a 11-byte varint, wire types 3/4 (groups) and 6/7. */
    const uint8_t bad[][12] = {{0x08, 0x80},
                               {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                0x01},
                               {0x0b, 0x0c},
                               {0x0e, 0x01},
                               {0x0f, 0x01}};
    const size_t bad_len[] = {2, 12, 2, 2, 2};
    for (size_t i = 0; i < 5; i++) {
        rc = raftc_node_step(h.node, bad[i], bad_len[i]);
        assert_true(rc == RAFTC_EDECODE || rc == RAFTC_EUNKNOWN_TYPE);
    }
    assert_false(raftc_node_is_failed(h.node));
    host_close(&h);
}

/* ---- storage callbacks that fail or lie ---- */

typedef enum lie {
    LIE_NONE, LIE_INITIAL_ERR, LIE_INITIAL_GARBAGE, LIE_INITIAL_CS_GARBAGE, LIE_INITIAL_TWO,
    LIE_ENTRIES_TOO_MANY, LIE_ENTRIES_GARBAGE, LIE_ENTRIES_WRONG_INDEX, LIE_ENTRIES_NONE,
    LIE_ENTRIES_ERR, LIE_ENTRIES_UNAVAILABLE, LIE_TERM_ERR, LIE_FIRST_ERR, LIE_LAST_ERR,
    LIE_FIRST_AFTER_LAST, LIE_SNAPSHOT_GARBAGE, LIE_SNAPSHOT_TWO, LIE_SNAPSHOT_ERR, LIE_BAD_CODE,
    LIE_COUNT
} lie;

/* What the PANIC line (= raftc_node_last_error) must contain for each lie; NULL: not failed. */
static const char *const lie_text[LIE_COUNT] = {
    [LIE_NONE] = NULL,
    [LIE_INITIAL_ERR] = "storage initial_state callback failed: storage failure (code -12)",
    [LIE_INITIAL_GARBAGE] = "storage initial_state callback returned undecodable HardState",
    [LIE_INITIAL_CS_GARBAGE] = "storage initial_state callback returned undecodable ConfState",
    [LIE_INITIAL_TWO] = "storage initial_state callback returned 2 HardState items, want 1",
    [LIE_ENTRIES_TOO_MANY] = "storage entries callback returned 22 entries for [2, 21), want at "
                             "most 19",
    [LIE_ENTRIES_GARBAGE] = "storage entries callback returned undecodable entry at position 0",
    [LIE_ENTRIES_WRONG_INDEX] = "storage entries callback returned index 9 at position 0, want 2",
    [LIE_ENTRIES_NONE] = "storage entries callback returned no entries for [2, 21)",
    [LIE_ENTRIES_ERR] = "storage entries callback failed: storage failure (code -12)",
    /* etcd's own panic for ErrUnavailable from Entries */
    [LIE_ENTRIES_UNAVAILABLE] = "entries[2:21) is unavailable from storage",
    [LIE_TERM_ERR] = "storage term callback failed: storage failure (code -12)",
    [LIE_FIRST_ERR] = "storage first_index callback failed: storage failure (code -12)",
    [LIE_LAST_ERR] = "storage last_index callback failed: storage failure (code -12)",
    /* a lie the adapter cannot see: raft's log catches it */
    [LIE_FIRST_AFTER_LAST] = "unexpected error when getting unapplied entries",
    [LIE_SNAPSHOT_GARBAGE] = "storage snapshot callback returned undecodable Snapshot",
    [LIE_SNAPSHOT_TWO] = "storage snapshot callback returned 2 Snapshot items, want 1",
    [LIE_SNAPSHOT_ERR] = "storage snapshot callback failed: invalid argument (code -1)",
    [LIE_BAD_CODE] = "storage entries callback failed: unknown error (code 12345)",
};

typedef struct liar {
    raftc_memstorage *ms;
    lie mode;
    int armed; /* lies only once armed (after the node is up), except initial_state lies */
} liar;

static int l_initial(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    liar *l = ud;
    switch (l->mode) {
    case LIE_INITIAL_ERR: return RAFTC_ESTORAGE;
    case LIE_INITIAL_GARBAGE:
        return raftc_sink_put(hs, "\xff\xff\xff", 3) == 0 ? raftc_sink_put(cs, "\x0a", 1) : -1;
    case LIE_INITIAL_CS_GARBAGE:
        return raftc_sink_put(cs, "\x08", 1) == 0 ? raftc_hard_state_encode(hs, 1, 0, 20) : -1;
    case LIE_INITIAL_TWO:
        raftc_hard_state_encode(hs, 1, 0, 20);
        return raftc_memstorage_initial_state(hs, cs, l->ms);
    default: return raftc_memstorage_initial_state(hs, cs, l->ms);
    }
}

static int l_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max)
{
    liar *l = ud;
    if (!l->armed)
        return raftc_memstorage_entries(out, l->ms, lo, hi, max);
    raftc_sink *tmp = sink();
    int rc = raftc_memstorage_entries(tmp, l->ms, lo, hi, max);
    const uint8_t *p;
    size_t len;
    switch (l->mode) {
    case LIE_ENTRIES_TOO_MANY:
        for (size_t i = 0; rc == 0 && i < raftc_sink_count(tmp); i++)
            if (raftc_sink_get(&p, &len, tmp, i) == 0)
                raftc_sink_put(out, p, len);
        for (uint64_t i = hi; rc == 0 && i < hi + 3; i++)
            raftc_entry_encode(out, 1, i, RAFTC_ENTRY_NORMAL, NULL, 0);
        break;
    case LIE_ENTRIES_GARBAGE: raftc_sink_put(out, "\xff\xff", 2); break;
    case LIE_ENTRIES_WRONG_INDEX: raftc_entry_encode(out, 1, lo + 7, RAFTC_ENTRY_NORMAL, NULL, 0);
        break;
    case LIE_ENTRIES_NONE: break;
    case LIE_ENTRIES_ERR: rc = RAFTC_ESTORAGE; break;
    case LIE_ENTRIES_UNAVAILABLE: rc = RAFTC_EUNAVAILABLE; break;
    case LIE_BAD_CODE: rc = 12345; break;
    default:
        for (size_t i = 0; rc == 0 && i < raftc_sink_count(tmp); i++)
            if (raftc_sink_get(&p, &len, tmp, i) == 0)
                raftc_sink_put(out, p, len);
    }
    raftc_sink_free(tmp);
    return rc;
}

static int l_term(void *ud, uint64_t *term, uint64_t i)
{
    liar *l = ud;
    if (l->armed && l->mode == LIE_TERM_ERR)
        return RAFTC_ESTORAGE;
    return raftc_memstorage_term(term, l->ms, i);
}

static int l_first(void *ud, uint64_t *index)
{
    liar *l = ud;
    int rc = raftc_memstorage_first_index(index, l->ms);
    if (l->armed && l->mode == LIE_FIRST_AFTER_LAST)
        *index += 100;
    if (l->armed && l->mode == LIE_FIRST_ERR)
        return RAFTC_ESTORAGE;
    return rc;
}

static int l_last(void *ud, uint64_t *index)
{
    liar *l = ud;
    if (l->armed && l->mode == LIE_LAST_ERR)
        return RAFTC_ESTORAGE;
    return raftc_memstorage_last_index(index, l->ms);
}

static int l_snapshot(void *ud, raftc_sink *out)
{
    liar *l = ud;
    if (l->armed && l->mode == LIE_SNAPSHOT_GARBAGE)
        return raftc_sink_put(out, "\x12\x05\x01", 3);
    if (l->armed && l->mode == LIE_SNAPSHOT_ERR)
        return RAFTC_EINVAL;
    int rc = raftc_memstorage_snapshot(out, l->ms);
    if (rc == 0 && l->armed && l->mode == LIE_SNAPSHOT_TWO)
        rc = raftc_memstorage_snapshot(out, l->ms);
    return rc;
}

/* A liar over a memory storage with snapshot {1,2,3}@1, entries 2..20 at term 1 and hard state
 * term 1 commit 20, so that the committed entries are read through the callbacks. */
static raftc_memstorage *liar_storage(void)
{
    static const uint64_t voters[3] = {1, 2, 3};
    host tmp;
    host_open(&tmp, 1, voters, 3, 0);
    raftc_node_free(tmp.node);
    raftc_sink *s = sink();
    for (uint64_t i = 2; i <= 20; i++)
        assert_int_equal(raftc_entry_encode(s, 1, i, RAFTC_ENTRY_NORMAL, (const uint8_t *)"v", 1),
                         RAFTC_OK);
    for (size_t i = 0; i < raftc_sink_count(s); i++) {
        const uint8_t *p;
        size_t len;
        assert_int_equal(raftc_sink_get(&p, &len, s, i), RAFTC_OK);
        assert_int_equal(raftc_memstorage_append(tmp.ms, &p, &len, 1), RAFTC_OK);
    }
    assert_int_equal(raftc_memstorage_set_hard_state_fields(tmp.ms, 1, 0, 20), RAFTC_OK);
    raftc_sink_free(s);
    return tmp.ms;
}

/* Snapshots and compacts the liar's storage at index i (the node has applied it). */
static void liar_compact(liar *l, uint64_t i)
{
    static const uint64_t voters[3] = {1, 2, 3};
    raftc_sink *cs = sink();
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_conf_state_encode(cs, voters, 3, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(raftc_sink_get(&p, &len, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_create_snapshot(NULL, l->ms, i, p, len, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_compact(l->ms, i), RAFTC_OK);
    raftc_sink_free(cs);
}

/* Every lie fails the node (RAFTC_EFAILED from the call that met it) with a PANIC line saying
 * what was wrong; the truth (LIE_NONE) never does. The node goes through creation, applying the
 * committed entries (entries/term), an election, probing a follower (entries/term) and, after a
 * compaction, sending it a snapshot (snapshot). */
static void test_lying_storage(void **state)
{
    (void)state;
    for (int mode = 0; mode < LIE_COUNT; mode++) {
        print_message("storage lie %d\n", mode);
        liar l = {liar_storage(), (lie)mode, 0};
        host h;
        memset(&h, 0, sizeof(h));
        raftc_storage_callbacks cbs = {sizeof(cbs), &l, l_initial, l_entries, l_term, l_first,
                                       l_last, l_snapshot};
        raftc_config *cfg = NULL;
        assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
        assert_int_equal(raftc_config_set_logger(cfg, on_log, &h), RAFTC_OK);
        assert_int_equal(raftc_config_set_storage_callbacks(cfg, &cbs), RAFTC_OK);
        const char *err = NULL;
        int rc = raftc_node_new(&h.node, &err, cfg);
        raftc_config_free(cfg);
        if (mode >= LIE_INITIAL_ERR && mode <= LIE_INITIAL_TWO) {
            /* creation fails; the PANIC line (the logger's) says why */
            print_message("  -> rc=%d panic=\"%s\"\n", rc, h.panic);
            assert_int_equal(rc, RAFTC_EFAILED);
            assert_null(h.node);
            assert_non_null(err);
            assert_int_equal(h.panics, 1);
            assert_string_equal(h.panic, lie_text[mode]);
            raftc_memstorage_free(l.ms);
            continue;
        }
        assert_int_equal(rc, RAFTC_OK);
        l.armed = 1;
        g_fail_rc = 1;
        int compacted = 0;
        for (int i = 0; i < 8 && !raftc_node_is_failed(h.node); i++) {
            if (raftc_node_has_ready(h.node)) {
                raftc_ready *rd = NULL;
                check_rc(&h, rc = raftc_node_ready(&rd, h.node));
                if (rc == RAFTC_OK)
                    check_rc(&h, raftc_node_advance(h.node));
                continue;
            }
            if (status(&h, RAFTC_ST_RAFT_STATE) != RAFTC_STATE_LEADER) {
                check_rc(&h, raftc_node_campaign(h.node));
                pbw w;
                msg(&w, RAFTC_MSG_VOTE_RESP, 1, 2, status(&h, RAFTC_ST_TERM));
                check_rc(&h, raftc_node_step(h.node, w.b, w.n));
                continue;
            }
            if (!compacted && status(&h, RAFTC_ST_APPLIED) >= 15) {
                liar_compact(&l, 15);
                compacted = 1;
            }
            /* follower 2 rejects the leader's probe (at its Next-1) with hint 3: the leader
             * probes from 4 (term 3, entries 4..; a snapshot once compacted) */
            uint64_t pr[RAFTC_PR_COUNT];
            assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, h.node, 2), RAFTC_OK);
            if (pr[RAFTC_PR_STATE] == RAFTC_PROGRESS_SNAPSHOT) {
                check_rc(&h, raftc_node_report_snapshot(h.node, 2, RAFTC_SNAPSHOT_FAILURE));
                assert_int_equal(raftc_node_progress_info(pr, RAFTC_PR_COUNT, h.node, 2), RAFTC_OK);
            }
            pbw w;
            msg(&w, RAFTC_MSG_APP_RESP, 1, 2, status(&h, RAFTC_ST_TERM));
            pb_u64(&w, F_INDEX, pr[RAFTC_PR_NEXT] - 1);
            pb_u64(&w, F_REJECT, 1);
            pb_u64(&w, 11 /* RejectHint */, pr[RAFTC_PR_NEXT] - 1 < 3 ? pr[RAFTC_PR_NEXT] - 1 : 3);
            check_rc(&h, raftc_node_step(h.node, w.b, w.n));
            check_rc(&h, raftc_node_tick(h.node));
        }
        print_message("  -> failed=%d rc=%d panic=\"%s\"\n", raftc_node_is_failed(h.node),
                      g_fail_rc, h.panic);
        if (lie_text[mode] == NULL) {
            assert_false(raftc_node_is_failed(h.node));
            assert_int_equal(h.panics, 0);
            assert_int_equal(compacted, 1);
        } else {
            assert_true(raftc_node_is_failed(h.node));
            assert_int_equal(g_fail_rc, RAFTC_EFAILED);
            assert_non_null(strstr(h.panic, lie_text[mode]));
            assert_string_equal(raftc_node_last_error(h.node), h.panic);
        }
        raftc_node_free(h.node);
        raftc_memstorage_free(l.ms);
    }
}

/* A failed node refuses everything with RAFTC_EFAILED and keeps its PANIC text. Only the host
 * can fail a node: here its storage's Term() fails. */
static void test_failed_node_refuses(void **state)
{
    (void)state;
    liar l = {liar_storage(), LIE_TERM_ERR, 0};
    host h;
    memset(&h, 0, sizeof(h));
    h.ms = l.ms;
    raftc_storage_callbacks cbs = {sizeof(cbs), &l, l_initial, l_entries, l_term, l_first,
                                   l_last, l_snapshot};
    raftc_config *cfg = NULL;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_logger(cfg, on_log, &h), RAFTC_OK);
    assert_int_equal(raftc_config_set_storage_callbacks(cfg, &cbs), RAFTC_OK);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&h.node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    l.armed = 1;
    pbw w;
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 2, 5); /* for the step below */
    int rc = raftc_node_campaign(h.node); /* reads the last term: the callback fails */
    assert_int_equal(rc, RAFTC_EFAILED);
    assert_true(raftc_node_is_failed(h.node));
    int panics = h.panics; /* the first PANIC is the node's text */
    assert_true(panics >= 1);
    assert_string_equal(h.panic, lie_text[LIE_TERM_ERR]);
    assert_string_equal(raftc_node_last_error(h.node), h.panic);
    raftc_ready *rd = (raftc_ready *)&w; /* must be reset to NULL */
    assert_int_equal(raftc_node_ready(&rd, h.node), RAFTC_EFAILED);
    assert_null(rd);
    assert_int_equal(raftc_node_has_ready(h.node), 0);
    assert_int_equal(raftc_node_advance(h.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_tick(h.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_campaign(h.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_propose(h.node, (const uint8_t *)"x", 1), RAFTC_EFAILED);
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_EFAILED);
    assert_int_equal(raftc_node_read_index(h.node, NULL, 0), RAFTC_EFAILED);
    assert_int_equal(raftc_node_transfer_leader(h.node, 2), RAFTC_EFAILED);
    assert_int_equal(raftc_node_forget_leader(h.node), RAFTC_EFAILED);
    assert_int_equal(raftc_node_report_unreachable(h.node, 2), RAFTC_EFAILED);
    assert_int_equal(raftc_node_report_snapshot(h.node, 2, RAFTC_SNAPSHOT_FINISH),
                     RAFTC_EFAILED);
    /* read-only status still works */
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, h.node), RAFTC_OK);
    assert_string_equal(raftc_node_last_error(h.node), h.panic);
    assert_int_equal(h.panics, panics); /* a failed node logs nothing more */
    host_close(&h);
}

static void test_hostile_memstorage(void **state)
{
    (void)state;
    raftc_memstorage *ms = NULL;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    raftc_sink *s = sink();
    const uint8_t *p[3];
    size_t len[3];
    /* a gap: entries 1, 3 */
    assert_int_equal(raftc_entry_encode(s, 1, 1, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_entry_encode(s, 1, 3, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_entry_encode(s, 1, 7, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(raftc_sink_get(&p[i], &len[i], s, i), RAFTC_OK);
    /* a gap inside one batch is a bad argument; a gap after the last index is etcd's panic */
    assert_string_equal(raftc_memstorage_last_error(ms), "");
    assert_int_equal(raftc_memstorage_append(ms, p, len, 2), RAFTC_EINVAL);
    assert_string_equal(raftc_memstorage_last_error(ms),
                        "append batch is not contiguous: entry 1 has index 3, want 2");
    assert_int_equal(raftc_memstorage_append(ms, &p[2], &len[2], 1), RAFTC_EFAILED);
    assert_string_equal(raftc_memstorage_last_error(ms),
                        "missing log entry [last: 0, append at: 7]");
    assert_string_equal(raftc_memstorage_last_error(NULL), "");
    uint64_t last = 99;
    assert_int_equal(raftc_memstorage_last_index(&last, ms), RAFTC_OK);
    assert_int_equal(last, 0);
    /* out-of-range queries */
    uint64_t t;
    assert_int_equal(raftc_memstorage_term(&t, ms, UINT64_MAX), RAFTC_EUNAVAILABLE);
    raftc_sink_reset(s);
    assert_true(raftc_memstorage_entries(s, ms, 5, 2, 0) < 0); /* lo > hi */
    assert_true(raftc_memstorage_entries(s, ms, 0, UINT64_MAX, 0) < 0);
    assert_int_equal(raftc_memstorage_compact(ms, UINT64_MAX), RAFTC_EFAILED);
    assert_string_equal(raftc_memstorage_last_error(ms),
                        "compact 18446744073709551615 is out of bound lastindex(0)");
    /* the storage is not failed: it still works */
    assert_int_equal(raftc_memstorage_append(ms, p, len, 1), RAFTC_OK);
    assert_int_equal(raftc_memstorage_last_index(&last, ms), RAFTC_OK);
    assert_int_equal(last, 1);
    assert_int_equal(raftc_memstorage_create_snapshot(NULL, ms, UINT64_MAX, NULL, 0, NULL, 0),
                     RAFTC_EFAILED);
    /* snapshot with garbage conf state bytes */
    assert_true(raftc_memstorage_create_snapshot(NULL, ms, 0, (const uint8_t *)"\xff", 1, NULL,
                                                 0) < 0);
    raftc_sink_free(s);
    raftc_memstorage_free(ms);
}

/* Misuse of a memory storage outside any node: RAFTC_EFAILED (etcd panics there) with the
 * storage's own text naming the indexes, and the storage stays usable. */
static void test_memstorage_misuse_texts(void **state)
{
    (void)state;
    raftc_memstorage *ms = NULL;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    raftc_sink *s = sink();
    assert_int_equal(raftc_memstorage_entries(s, ms, 1, 3, RAFTC_NO_LIMIT), RAFTC_EFAILED);
    assert_string_equal(raftc_memstorage_last_error(ms),
                        "entries' hi(3) is out of bound lastindex(0)");
    assert_int_equal(raftc_sink_count(s), 0);
    assert_int_equal(raftc_memstorage_compact(ms, 100), RAFTC_EFAILED);
    assert_string_equal(raftc_memstorage_last_error(ms), "compact 100 is out of bound lastindex(0)");
    assert_int_equal(raftc_memstorage_entries(s, ms, 3, 1, RAFTC_NO_LIMIT), RAFTC_EFAILED);
    assert_string_equal(raftc_memstorage_last_error(ms), "entries' lo(3) is greater than hi(1)");
    /* an error that is not etcd's panic leaves the text alone */
    uint64_t t;
    assert_int_equal(raftc_memstorage_term(&t, ms, 5), RAFTC_EUNAVAILABLE);
    assert_string_equal(raftc_memstorage_last_error(ms), "entries' lo(3) is greater than hi(1)");
    /* still usable */
    const uint8_t *p;
    size_t len;
    assert_int_equal(raftc_entry_encode(s, 1, 1, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_append(ms, &p, &len, 1), RAFTC_OK);
    raftc_sink_reset(s);
    assert_int_equal(raftc_memstorage_entries(s, ms, 1, 2, RAFTC_NO_LIMIT), RAFTC_OK);
    assert_int_equal(raftc_sink_count(s), 1);
    raftc_sink_free(s);
    raftc_memstorage_free(ms);
}

/* ---- issue 12: no message from the network can fail a node ---- */

/* Steps bytes into h's node and checks the promise for an impossible message: RAFTC_EREFUSED,
 * the node healthy and unchanged (status, Ready), the refusal's text naming `want`. */
static void expect_refused(host *h, const uint8_t *b, size_t n, const char *want)
{
    uint64_t before[RAFTC_ST_COUNT], after[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(before, RAFTC_ST_COUNT, h->node), RAFTC_OK);
    int ready = raftc_node_has_ready(h->node);
    int rc = raftc_node_step(h->node, b, n);
    const char *text = raftc_node_last_error(h->node);
    if (rc != RAFTC_EREFUSED || strstr(text, want) == NULL)
        print_message("step: %s (%s), want refused naming \"%s\"\n", raftc_strerror(rc), text,
                      want);
    assert_int_equal(rc, RAFTC_EREFUSED);
    assert_non_null(strstr(text, want));
    assert_false(raftc_node_is_failed(h->node));
    assert_int_equal(h->panics, 0);
    assert_int_equal(raftc_node_status_info(after, RAFTC_ST_COUNT, h->node), RAFTC_OK);
    assert_int_equal(after[RAFTC_ST_REFUSED], before[RAFTC_ST_REFUSED] + 1); /* counted */
    after[RAFTC_ST_REFUSED] = before[RAFTC_ST_REFUSED];
    assert_memory_equal(before, after, sizeof(before));
    assert_int_equal(raftc_node_has_ready(h->node), ready);
}

static void expect_refused_msg(host *h, const pbw *w, const char *want)
{
    expect_refused(h, w->b, w->n, want);
}

/* An Entry {Term, Index, Type, Data} as raftpb bytes, appended to w as Message.entries. */
static void pb_entry(pbw *w, uint64_t term, uint64_t index, int type, const uint8_t *data,
                     size_t len)
{
    raftc_sink *s = sink();
    const uint8_t *p;
    size_t l;
    assert_int_equal(raftc_entry_encode(s, term, index, type, data, len), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &l, s, 0), RAFTC_OK);
    pb_bytes(w, F_ENTRIES, p, l);
    raftc_sink_free(s);
}

/* Node 1 of {1,2,3}, a follower of 2 at term 2 with entries 2..4 (term 2), commit 2. */
static void host_follow(host *h)
{
    static const uint64_t voters[3] = {1, 2, 3};
    host_open(h, 1, voters, 3, 0);
    pbw w;
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 1);
    pb_u64(&w, F_INDEX, 1);
    pb_u64(&w, F_COMMIT, 2);
    for (uint64_t i = 2; i <= 4; i++)
        pb_entry(&w, 2, i, RAFTC_ENTRY_NORMAL, (const uint8_t *)"e", 1);
    assert_int_equal(raftc_node_step(h->node, w.b, w.n), RAFTC_OK);
    host_settle(h);
    assert_int_equal(status(h, RAFTC_ST_LEAD), 2);
    assert_int_equal(status(h, RAFTC_ST_COMMIT), 2);
}

/* A heartbeat at term 2^64-1 (which later wrapped the follower's term to 0 and failed its
 * leader too), and every term no cluster can reach. */
static void test_refuse_term_overflow(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 2, UINT64_MAX);
    expect_refused_msg(&h, &w, "term 18446744073709551615 is above");
    msg(&w, RAFTC_MSG_VOTE, 1, 3, UINT64_MAX - 5);
    expect_refused_msg(&h, &w, "the largest term a cluster can reach");
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 7); /* a log term above the message's term */
    expect_refused_msg(&h, &w, "log term 7 is above the message term 2");
    msg(&w, RAFTC_MSG_APP_RESP, 1, 2, 0); /* every message but MsgProp/MsgReadIndex has a term */
    expect_refused_msg(&h, &w, "term 0");
    host_close(&h);
}

/* A MsgApp whose entries do not follow its index (5 then 9, 5 then 4), or whose terms go down
 * or above the message's: the next Ready used to hand the host a gapped batch. */
static void test_refuse_append_gaps(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, 4);
    pb_entry(&w, 2, 5, RAFTC_ENTRY_NORMAL, NULL, 0);
    pb_entry(&w, 2, 9, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "MsgApp from 2: entry 1 has index 9, want 6");
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, 4);
    pb_entry(&w, 2, 5, RAFTC_ENTRY_NORMAL, NULL, 0);
    pb_entry(&w, 2, 4, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "entry 1 has index 4, want 6");
    msg(&w, RAFTC_MSG_APP, 1, 2, 3);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, 4);
    pb_entry(&w, 3, 5, RAFTC_ENTRY_NORMAL, NULL, 0);
    pb_entry(&w, 2, 6, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "has term 2, below the term 3 before it");
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, 4);
    pb_entry(&w, 5, 5, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "has term 5, above the message term 2");
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, UINT64_MAX - 1);
    pb_entry(&w, 2, UINT64_MAX, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "overflows the log");
    /* entries on a message type that carries none */
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 2, 2);
    pb_entry(&w, 2, 5, RAFTC_ENTRY_NORMAL, NULL, 0);
    expect_refused_msg(&h, &w, "carries 1 entries");
    host_close(&h);
}

/* Conf changes naming the local-thread ids: refused when proposed (the leader would address
 * its storage thread), and in a forwarded proposal or an append. */
static void test_refuse_reserved_conf_change(void **state)
{
    (void)state;
    host h;
    host_lead(&h);
    raftc_sink *s = sink();
    const uint8_t *p;
    size_t len;
    uint64_t bad[2] = {RAFTC_LOCAL_APPEND_THREAD, RAFTC_LOCAL_APPLY_THREAD};
    for (int i = 0; i < 2; i++) {
        raftc_sink_reset(s);
        assert_int_equal(raftc_conf_change_encode(s, RAFTC_CC_ADD_NODE, bad[i], NULL, 0), 0);
        assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
        assert_int_equal(raftc_node_propose_conf_change(h.node, RAFTC_CC_V1, p, len),
                         RAFTC_EINVAL);
        assert_non_null(strstr(raftc_node_last_error(h.node), "names reserved id"));
        pbw w;
        msg(&w, RAFTC_MSG_PROP, 1, 2, 0);
        pb_entry(&w, 0, 0, RAFTC_ENTRY_CONF_CHANGE, p, len);
        expect_refused_msg(&h, &w, "is a conf change naming reserved id");
        raftc_cc_type types[1] = {RAFTC_CC_ADD_LEARNER_NODE};
        raftc_sink_reset(s);
        assert_int_equal(raftc_conf_change_v2_encode(s, 0, types, &bad[i], 1, NULL, 0), 0);
        assert_int_equal(raftc_sink_get(&p, &len, s, 0), RAFTC_OK);
        assert_int_equal(raftc_node_propose_conf_change(h.node, RAFTC_CC_V2, p, len),
                         RAFTC_EINVAL);
    }
    assert_false(raftc_node_is_failed(h.node));
    assert_int_equal(status(&h, RAFTC_ST_N_PROGRESS), 3);
    raftc_sink_free(s);
    host_close(&h);
}

/* Memory storage appends and snapshots at wrapping indexes. */
static void test_refuse_wrapping_storage(void **state)
{
    (void)state;
    raftc_memstorage *ms = NULL;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    raftc_sink *s = sink();
    const uint8_t *p[2];
    size_t len[2];
    assert_int_equal(raftc_entry_encode(s, 1, UINT64_MAX, RAFTC_ENTRY_NORMAL, NULL, 0), 0);
    assert_int_equal(raftc_entry_encode(s, 1, 0, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(raftc_sink_get(&p[i], &len[i], s, i), RAFTC_OK);
    assert_int_equal(raftc_memstorage_append(ms, p, len, 2), RAFTC_EINVAL);
    assert_string_equal(raftc_memstorage_last_error(ms), "append of 2 entries at index "
                        "18446744073709551615: indexes must lie in [1, 18446744073709551615)");
    assert_int_equal(raftc_memstorage_append(ms, &p[1], &len[1], 1), RAFTC_EINVAL);
    uint64_t first = 0, last = 9;
    assert_int_equal(raftc_memstorage_last_index(&last, ms), RAFTC_OK);
    assert_int_equal(last, 0);
    raftc_sink_reset(s);
    static const uint64_t voters[1] = {1};
    assert_int_equal(raftc_conf_state_encode(s, voters, 1, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(raftc_sink_get(&p[0], &len[0], s, 0), RAFTC_OK);
    raftc_sink *snap = sink();
    assert_int_equal(raftc_snapshot_encode(snap, UINT64_MAX, 1, p[0], len[0], NULL, 0), 0);
    assert_int_equal(raftc_sink_get(&p[1], &len[1], snap, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(ms, p[1], len[1]), RAFTC_EINVAL);
    assert_non_null(strstr(raftc_memstorage_last_error(ms), "snapshot index 18446744073709551615"));
    assert_int_equal(raftc_memstorage_first_index(&first, ms), RAFTC_OK);
    assert_int_equal(first, 1);
    raftc_sink_free(snap);
    raftc_sink_free(s);
    raftc_memstorage_free(ms);
}

/* Commits and acknowledgements beyond what the sender can know: a heartbeat's commit beyond
 * the follower's log, an ack beyond the leader's log (which cascaded into "need non-empty
 * snapshot" at a leader that never saw the forged append), a reject hint above its index. */
static void test_refuse_beyond_knowledge(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 2, 2);
    pb_u64(&w, F_COMMIT, UINT64_MAX);
    expect_refused_msg(&h, &w, "commit 18446744073709551615 is beyond this node's last index 4");
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 2, 2);
    pb_u64(&w, F_COMMIT, 4); /* within the log: fine */
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_OK);
    /* a stale heartbeat is ignored as etcd ignores it, whatever its commit */
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 3, 1);
    pb_u64(&w, F_COMMIT, UINT64_MAX);
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_OK);
    host_close(&h);

    host_lead(&h);
    uint64_t term = status(&h, RAFTC_ST_TERM);
    msg(&w, RAFTC_MSG_APP_RESP, 1, 2, term);
    pb_u64(&w, F_INDEX, 1000);
    expect_refused_msg(&h, &w, "acknowledged index 1000 is beyond the leader's last index 2");
    msg(&w, RAFTC_MSG_APP_RESP, 1, 2, term);
    pb_u64(&w, F_INDEX, 1);
    pb_u64(&w, F_REJECT, 1);
    pb_u64(&w, 11 /* RejectHint */, 2);
    expect_refused_msg(&h, &w, "reject hint 2 is above the rejected index 1");
    msg(&w, RAFTC_MSG_APP_RESP, 1, 2, term);
    pb_u64(&w, F_INDEX, 2); /* a true ack */
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_OK);
    host_settle(&h);
    assert_false(raftc_node_is_failed(h.node));
    host_close(&h);
}

/* The single messages that failed a node: an empty MsgProp (also forwarded to a leader), a
 * message from a node to itself, a MsgProp carrying a term, a MsgReadIndex to itself. */
static void test_refuse_single_killers(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    static const uint8_t empty_prop[] = {0x08, 0x02, 0x10, 0x01, 0x18, 0x02};
    expect_refused(&h, empty_prop, sizeof(empty_prop), "MsgProp from 2: empty proposal");
    pbw w;
    msg(&w, RAFTC_MSG_PROP, 1, 3, 2);
    pb_entry(&w, 0, 0, RAFTC_ENTRY_NORMAL, (const uint8_t *)"x", 1);
    expect_refused_msg(&h, &w, "MsgProp from 3: carries term 2");
    msg(&w, RAFTC_MSG_READ_INDEX, 1, 1, 2);
    pb_entry(&w, 0, 0, RAFTC_ENTRY_NORMAL, (const uint8_t *)"r", 1);
    expect_refused_msg(&h, &w, "MsgReadIndex from 1: carries term 2");
    msg(&w, RAFTC_MSG_READ_INDEX, 1, 3, 0);
    expect_refused_msg(&h, &w, "carries 0 entries, want 1");
    /* a read request this node forwarded may come back to it: still handled */
    msg(&w, RAFTC_MSG_READ_INDEX, 1, 1, 0);
    pb_entry(&w, 0, 0, RAFTC_ENTRY_NORMAL, (const uint8_t *)"r", 1);
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_OK);
    host_settle(&h);
    host_close(&h);

    static const uint64_t voters[3] = {1, 2, 3};
    host_open(&h, 2, voters, 3, 0);
    static const uint8_t self_hb[] = {0x08, 0x08, 0x10, 0x02, 0x18, 0x02, 0x20, 0x02};
    expect_refused(&h, self_hb, sizeof(self_hb), "MsgHeartbeat from 2: addressed from this node "
                   "to itself");
    host_close(&h);

    host_lead(&h);
    expect_refused(&h, empty_prop, sizeof(empty_prop), "empty proposal");
    assert_false(raftc_node_is_failed(h.node));
    host_close(&h);
}

/* Senders no node can be: id 0 (a vote from it recorded vote=0, so the node could vote twice in
 * a term) and the local-thread ids; local message types from peers; misaddressed messages. */
static void test_refuse_impossible_senders(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_VOTE, 1, 0, 3);
    pb_u64(&w, F_LOGTERM, 2);
    pb_u64(&w, F_INDEX, 9);
    expect_refused_msg(&h, &w, "MsgVote: sender id 0");
    assert_int_equal(status(&h, RAFTC_ST_VOTE), 0);
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, RAFTC_LOCAL_APPEND_THREAD, 2);
    expect_refused_msg(&h, &w, "sender is a reserved local thread id");
    msg(&w, RAFTC_MSG_HUP, 1, RAFTC_LOCAL_APPLY_THREAD, 0);
    expect_refused_msg(&h, &w, "sender is a reserved local thread id");
    msg(&w, RAFTC_MSG_STORAGE_APPEND_RESP, 1, RAFTC_LOCAL_APPEND_THREAD, 2);
    expect_refused_msg(&h, &w, "storage thread responses need async storage writes");
    msg(&w, RAFTC_MSG_FORGET_LEADER, 1, 3, 2);
    expect_refused_msg(&h, &w, "a local message type no peer sends");
    msg(&w, RAFTC_MSG_HEARTBEAT, 7, 2, 2);
    expect_refused_msg(&h, &w, "addressed to 7, not to this node");
    /* a second leader in term 2, and a transfer request sent to a follower of 2 */
    msg(&w, RAFTC_MSG_HEARTBEAT, 1, 3, 2);
    expect_refused_msg(&h, &w, "the leader of that term is 2");
    msg(&w, RAFTC_MSG_TRANSFER_LEADER, 1, 3, 2);
    expect_refused_msg(&h, &w, "sent to a follower of 2");
    host_close(&h);
}

/* Snapshots no leader sends: empty, at a wrapping index, with reserved ids in the config. */
static void test_refuse_bad_snapshots(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_SNAP, 1, 2, 2);
    expect_refused_msg(&h, &w, "MsgSnap from 2: empty snapshot");
    raftc_sink *cs = sink(), *snap = sink();
    const uint8_t *p, *q;
    size_t len, qlen;
    uint64_t voters[2] = {1, RAFTC_LOCAL_APPEND_THREAD};
    assert_int_equal(raftc_conf_state_encode(cs, voters, 2, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(raftc_sink_get(&p, &len, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(snap, 10, 2, p, len, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(snap, UINT64_MAX, 2, p, len, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&q, &qlen, snap, 0), RAFTC_OK);
    msg(&w, RAFTC_MSG_SNAP, 1, 2, 2);
    pb_bytes(&w, F_SNAPSHOT, q, qlen);
    expect_refused_msg(&h, &w, "snapshot voters name reserved id ffffffffffffffff");
    assert_int_equal(raftc_sink_get(&q, &qlen, snap, 1), RAFTC_OK);
    msg(&w, RAFTC_MSG_SNAP, 1, 2, 2);
    pb_bytes(&w, F_SNAPSHOT, q, qlen);
    expect_refused_msg(&h, &w, "snapshot index 18446744073709551615 overflows the log");
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    host_close(&h);
}

/* A node at term 0 whose log came from a snapshot rejects a MsgPreVote from a candidate behind
 * it: etcd panics there ("term should be set when sending MsgPreVoteResp", found by
 * fuzz_hostile); raftc sends no rejection (the candidate times out) and stays healthy. */
static void test_prevote_rejection_at_term_0(void **state)
{
    (void)state;
    host h;
    static const uint64_t voters[3] = {1, 2, 3};
    host_open(&h, 1, voters, 3, 0);
    assert_int_equal(status(&h, RAFTC_ST_TERM), 0);
    pbw w;
    msg(&w, RAFTC_MSG_PRE_VOTE, 1, 2, 1); /* log (0, 0): behind this node's (1, 1) */
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_OK);
    assert_false(raftc_node_is_failed(h.node));
    assert_int_equal(h.panics, 0);
    host_settle(&h);
    assert_int_equal(status(&h, RAFTC_ST_TERM), 0);
    host_close(&h);
}

/* Malformed bytes: the text names the offset and the field. */
static void test_malformed_text(void **state)
{
    (void)state;
    host h;
    host_follow(&h);
    pbw w;
    msg(&w, RAFTC_MSG_APP, 1, 2, 2);
    pb_varint(&w, (F_ENTRIES << 3) | 2);
    pb_varint(&w, 300); /* a length beyond the end */
    assert_int_equal(raftc_node_step(h.node, w.b, w.n), RAFTC_EDECODE);
    assert_string_equal(raftc_node_last_error(h.node),
                        "malformed raftpb Message bytes: entries at offset 8: length 300 runs past "
                        "the end (0 bytes left)");
    static const uint8_t bad_type[] = {0x08, 0x03, 0x3a, 0x02, 0x08, 0x07};
    assert_int_equal(raftc_node_step(h.node, bad_type, sizeof(bad_type)), RAFTC_EDECODE);
    assert_string_equal(raftc_node_last_error(h.node),
                        "malformed raftpb Message bytes: entries[0].Type at offset 4: value 7 is "
                        "outside the enum (at most 2)");
    assert_false(raftc_node_is_failed(h.node));
    host_close(&h);
}

/* raftc_node_new sets *out to NULL on every failure, a NULL config included. */
static void test_node_new_null_config(void **state)
{
    (void)state;
    raftc_node *node = (raftc_node *)&node;
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&node, &err, NULL), RAFTC_EINVAL);
    assert_null(node);
    assert_non_null(err);
}

/* The quorum functions at 100,000 voters (they were quadratic): the results, not the time. */
static void test_quorum_at_scale(void **state)
{
    (void)state;
    size_t n = 100000;
    uint64_t *ids = malloc(n * sizeof(uint64_t)), *idx = malloc(n * sizeof(uint64_t));
    int *granted = malloc(n * sizeof(int));
    assert_non_null(ids);
    assert_non_null(idx);
    assert_non_null(granted);
    for (size_t i = 0; i < n; i++) {
        ids[i] = (uint64_t)(n - i); /* descending: the worst order for sorted insertion */
        idx[i] = (uint64_t)(n - i);
        granted[i] = i % 2 == 0;
    }
    uint64_t committed = 0;
    assert_int_equal(raftc_quorum_committed(&committed, ids, n, NULL, 0, ids, idx, n), 0);
    assert_int_equal(committed, n - n / 2); /* a quorum (n/2+1) acked n/2 and above */
    raftc_vote_result vr = RAFTC_VOTE_PENDING;
    assert_int_equal(raftc_quorum_vote_result(&vr, ids, n, ids, n / 2, ids, granted, n), 0);
    assert_int_equal(vr, RAFTC_VOTE_LOST); /* exactly half granted: no majority */
    granted[1] = 1;
    assert_int_equal(raftc_quorum_vote_result(&vr, ids, n, NULL, 0, ids, granted, n), 0);
    assert_int_equal(vr, RAFTC_VOTE_WON);
    free(ids);
    free(idx);
    free(granted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_bytes_to_step),
        cmocka_unit_test(test_unknown_and_local_types),
        cmocka_unit_test(test_reserved_ids),
        cmocka_unit_test(test_removed_peer),
        cmocka_unit_test(test_calls_out_of_order),
        cmocka_unit_test(test_failed_node_refuses),
        cmocka_unit_test(test_oversized_lengths),
        cmocka_unit_test(test_large_payloads),
        cmocka_unit_test(test_nested_and_lying_lengths),
        cmocka_unit_test(test_lying_storage),
        cmocka_unit_test(test_hostile_memstorage),
        cmocka_unit_test(test_memstorage_misuse_texts),
        cmocka_unit_test(test_refuse_term_overflow),
        cmocka_unit_test(test_refuse_append_gaps),
        cmocka_unit_test(test_refuse_reserved_conf_change),
        cmocka_unit_test(test_refuse_wrapping_storage),
        cmocka_unit_test(test_refuse_beyond_knowledge),
        cmocka_unit_test(test_refuse_single_killers),
        cmocka_unit_test(test_refuse_impossible_senders),
        cmocka_unit_test(test_refuse_bad_snapshots),
        cmocka_unit_test(test_prevote_rejection_at_term_0),
        cmocka_unit_test(test_malformed_text),
        cmocka_unit_test(test_node_new_null_config),
        cmocka_unit_test(test_quorum_at_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
