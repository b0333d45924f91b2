/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_shared.c: the zero-copy paths of the ABI over a seeded 3-node cluster: proposals lent
 * with raftc_node_propose_shared and batched with raftc_node_propose_list, every message sent
 * as raftc_ready_message_parts (whose concatenation must equal raftc_ready_message) into a
 * heap buffer lent to the receiver with raftc_node_step_shared. Every node must apply exactly
 * the proposed payloads in order, and every lent buffer must be released exactly once (freed
 * by the release callback: ASan reports a double or missing release). Also the error paths:
 * release runs on failure, bad arguments are refused.
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

#define SEED 0x5eed0c0full
#define NODES 3
#define PROPOSALS 300

static uint64_t rng_state;

static uint64_t rnd_below(uint64_t n)
{
    uint64_t x = rng_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return n == 0 ? 0 : (x * 0x2545F4914F6CDD1Dull) % n;
}

static size_t lent, released;

static void release_free(void *ud, const uint8_t *buf, size_t len)
{
    (void)len;
    assert_ptr_equal(ud, buf);
    released++;
    free(ud);
}

typedef struct qmsg {
    uint64_t to;
    uint8_t *buf;
    size_t len;
} qmsg;

typedef struct snet {
    raftc_node *node[NODES];
    raftc_memstorage *ms[NODES];
    size_t applied[NODES]; /* data entries applied */
    uint64_t applied_index[NODES];
    qmsg *q;
    size_t nq, capq;
    uint8_t **want; /* proposed payloads, in proposal order (the leader never changes) */
    size_t *want_len;
    size_t n_want;
    uint64_t base; /* the last index before the first proposal (bootstrap, empty entry) */
} snet;

/* A payload of len bytes from the seed: small ones stay in the framing, large ones are parts. */
static uint8_t *payload(size_t len, uint64_t tag)
{
    uint8_t *p = malloc(len > 0 ? len : 1);
    assert_non_null(p);
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(tag * 131 + i * 7);
    return p;
}

static size_t pick_len(void)
{
    static const size_t sizes[] = {0, 1, 100, 1023, 1024, 1500, 4096, 70000};
    return sizes[rnd_below(sizeof(sizes) / sizeof(sizes[0]))];
}

static void remember(snet *net, const uint8_t *p, size_t len)
{
    net->want = realloc(net->want, (net->n_want + 1) * sizeof(*net->want));
    net->want_len = realloc(net->want_len, (net->n_want + 1) * sizeof(size_t));
    assert_non_null(net->want);
    assert_non_null(net->want_len);
    net->want[net->n_want] = malloc(len > 0 ? len : 1);
    assert_non_null(net->want[net->n_want]);
    if (len > 0)
        memcpy(net->want[net->n_want], p, len);
    net->want_len[net->n_want++] = len;
}

/* Sends message i of rd by its parts into a fresh heap buffer, checked against the bytes. */
static void send_parts(snet *net, const raftc_ready *rd, size_t i)
{
    uint64_t info[RAFTC_MF_TO + 1];
    assert_int_equal(raftc_ready_message_info(info, RAFTC_MF_TO + 1, rd, i), RAFTC_OK);
    size_t n = 0;
    assert_int_equal(raftc_ready_message_parts(NULL, NULL, 0, &n, rd, i), RAFTC_OK);
    assert_true(n >= 1);
    const uint8_t **ptrs = calloc(n, sizeof(*ptrs));
    size_t *lens = calloc(n, sizeof(size_t));
    assert_non_null(ptrs);
    assert_non_null(lens);
    size_t n2 = 0, total = 0;
    assert_int_equal(raftc_ready_message_parts(ptrs, lens, n, &n2, rd, i), RAFTC_OK);
    assert_int_equal(n2, n);
    for (size_t k = 0; k < n; k++) {
        assert_true(lens[k] > 0);
        total += lens[k];
    }
    uint8_t *buf = malloc(total);
    assert_non_null(buf);
    for (size_t k = 0, off = 0; k < n; off += lens[k], k++)
        memcpy(buf + off, ptrs[k], lens[k]);
    const uint8_t *whole;
    size_t whole_len;
    assert_int_equal(raftc_ready_message(&whole, &whole_len, rd, i), RAFTC_OK);
    assert_int_equal(total, whole_len);
    assert_memory_equal(buf, whole, total);
    free(ptrs);
    free(lens);
    if (net->nq == net->capq) {
        net->capq = net->capq ? net->capq * 2 : 64;
        net->q = realloc(net->q, net->capq * sizeof(qmsg));
        assert_non_null(net->q);
    }
    net->q[net->nq++] = (qmsg){info[RAFTC_MF_TO], buf, total};
}

/* One Ready of node k: persist, send by parts, check applied payloads, advance. */
static void handle_ready(snet *net, int k)
{
    raftc_ready *rd;
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_node_ready(&rd, net->node[k]), RAFTC_OK);
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    if (info[RAFTC_RD_HAS_HARD_STATE])
        assert_int_equal(raftc_memstorage_set_hard_state_fields(net->ms[k], info[RAFTC_RD_TERM],
                                                                info[RAFTC_RD_VOTE],
                                                                info[RAFTC_RD_COMMIT]),
                         RAFTC_OK);
    if (info[RAFTC_RD_N_ENTRIES] > 0)
        assert_int_equal(raftc_memstorage_append_ready(net->ms[k], rd), RAFTC_OK);
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++)
        send_parts(net, rd, i);
    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        const uint8_t *d;
        size_t dl;
        uint64_t index;
        raftc_entry_type type;
        assert_int_equal(raftc_ready_committed_entry_info(NULL, &index, &type, &d, &dl, rd, i),
                         RAFTC_OK);
        net->applied_index[k] = index;
        if (index <= net->base)
            continue; /* bootstrap and the leader's empty entry */
        size_t a = net->applied[k]++;
        assert_true(a < net->n_want);
        assert_int_equal(dl, net->want_len[a]);
        if (dl > 0)
            assert_memory_equal(d, net->want[a], dl);
    }
    assert_int_equal(raftc_node_advance(net->node[k]), RAFTC_OK);
}

/* Readys of every node, then every queued message, stepped with its buffer lent. */
static void pump(snet *net)
{
    for (int k = 0; k < NODES; k++)
        while (raftc_node_has_ready(net->node[k]))
            handle_ready(net, k);
    size_t nq = net->nq;
    qmsg *q = net->q;
    net->q = NULL;
    net->nq = net->capq = 0;
    for (size_t i = 0; i < nq; i++) {
        assert_true(q[i].to >= 1 && q[i].to <= NODES);
        lent++;
        int rc = raftc_node_step_shared(net->node[q[i].to - 1], q[i].buf, q[i].len, release_free,
                                        q[i].buf);
        assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
    }
    free(q);
}

static void net_init(snet *net)
{
    memset(net, 0, sizeof(*net));
    net->base = UINT64_MAX;
    uint64_t ids[NODES] = {1, 2, 3};
    for (int k = 0; k < NODES; k++) {
        raftc_config *cfg;
        const char *err;
        assert_int_equal(raftc_memstorage_new(&net->ms[k]), RAFTC_OK);
        assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, ids[k]), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, 200000), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, 16), RAFTC_OK);
        assert_int_equal(raftc_config_set_memstorage(cfg, net->ms[k]), RAFTC_OK);
        assert_int_equal(raftc_node_new(&net->node[k], &err, cfg), RAFTC_OK);
        raftc_config_free(cfg);
        assert_int_equal(raftc_node_bootstrap(net->node[k], ids, NULL, NULL, NODES), RAFTC_OK);
    }
    pump(net); /* apply the bootstrap conf changes: a node campaigns only after that */
    assert_int_equal(raftc_node_campaign(net->node[0]), RAFTC_OK);
    for (int r = 0; r < 10; r++)
        pump(net);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, net->node[0]), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_RAFT_STATE], RAFTC_STATE_LEADER);
    net->base = st[RAFTC_ST_COMMIT];
    for (int k = 0; k < NODES; k++)
        assert_int_equal(net->applied_index[k], net->base);
}

static void net_free(snet *net)
{
    for (int k = 0; k < NODES; k++) {
        raftc_node_free(net->node[k]);
        raftc_memstorage_free(net->ms[k]);
    }
    for (size_t i = 0; i < net->nq; i++)
        free(net->q[i].buf);
    free(net->q);
    for (size_t i = 0; i < net->n_want; i++)
        free(net->want[i]);
    free(net->want);
    free(net->want_len);
}

static void test_cluster_shares_payloads(void **state)
{
    (void)state;
    rng_state = SEED;
    printf("test_shared: seed %#llx\n", (unsigned long long)SEED);
    lent = released = 0;
    snet net;
    net_init(&net);
    for (size_t p = 0; p < PROPOSALS;) {
        if (rnd_below(3) == 0) { /* a batch of up to 8, copied; now and then over 64 */
            size_t n = rnd_below(8) == 0 ? 65 + (size_t)rnd_below(36) : 1 + (size_t)rnd_below(8);
            uint8_t *datas[100];
            size_t lens[100];
            for (size_t i = 0; i < n; i++) {
                lens[i] = pick_len();
                datas[i] = payload(lens[i], p + i);
                remember(&net, datas[i], lens[i]);
            }
            assert_int_equal(raftc_node_propose_list(net.node[0],
                                                     (const uint8_t *const *)datas, lens, n),
                             RAFTC_OK);
            for (size_t i = 0; i < n; i++)
                free(datas[i]);
            p += n;
        } else { /* one, lent */
            size_t len = pick_len();
            uint8_t *d = payload(len, p);
            remember(&net, d, len);
            lent++;
            assert_int_equal(raftc_node_propose_shared(net.node[0], d, len, release_free, d),
                             RAFTC_OK);
            p++;
        }
        if (rnd_below(4) == 0)
            pump(&net);
        if (rnd_below(50) == 0) /* compaction drops references to lent buffers */
            for (int k = 0; k < NODES; k++)
                assert_int_equal(raftc_memstorage_compact(net.ms[k], net.applied_index[k]),
                                 RAFTC_OK);
    }
    for (int r = 0; r < 50; r++)
        pump(&net);
    for (int k = 0; k < NODES; k++)
        assert_int_equal(net.applied[k], net.n_want);
    net_free(&net);
    assert_int_equal(released, lent);
}

static void test_errors_release(void **state)
{
    (void)state;
    lent = released = 0;
    uint8_t *d = payload(10, 1);
    assert_int_equal(raftc_node_propose_shared(NULL, d, 10, release_free, d), RAFTC_EINVAL);
    assert_int_equal(released, 1);
    d = payload(10, 2);
    assert_int_equal(raftc_node_step_shared(NULL, d, 10, release_free, d), RAFTC_EINVAL);
    assert_int_equal(released, 2);

    raftc_memstorage *ms;
    raftc_config *cfg;
    raftc_node *node;
    const char *err;
    uint64_t id = 1;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    assert_int_equal(raftc_node_bootstrap(node, &id, NULL, NULL, 1), RAFTC_OK);
    /* no leader yet: dropped, and the buffer is released before the call returns */
    d = payload(2000, 3);
    assert_int_equal(raftc_node_propose_shared(node, d, 2000, release_free, d),
                     RAFTC_EPROPOSAL_DROPPED);
    assert_int_equal(released, 3);
    /* bad bytes: refused, released */
    d = payload(5, 4);
    d[0] = 0xff;
    assert_int_equal(raftc_node_step_shared(node, d, 5, release_free, d), RAFTC_EDECODE);
    assert_int_equal(released, 4);
    /* an empty buffer is released at once; NULL release is allowed */
    assert_int_equal(raftc_node_propose_shared(node, NULL, 0, NULL, NULL),
                     RAFTC_EPROPOSAL_DROPPED);
    const uint8_t *one[1] = {NULL};
    size_t len1[1] = {0};
    assert_int_equal(raftc_node_propose_list(node, one, len1, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_node_propose_list(node, NULL, len1, 1), RAFTC_EINVAL);
    len1[0] = 3;
    assert_int_equal(raftc_node_propose_list(node, one, len1, 1), RAFTC_EINVAL);
    size_t n;
    assert_int_equal(raftc_ready_message_parts(NULL, NULL, 0, &n, NULL, 0), RAFTC_EINVAL);
    raftc_node_free(node);
    raftc_memstorage_free(ms);
}

/* etcd's RawNode.Step takes a host's MsgProp with To 0 as a local proposal (etcd's Propose
 * builds it so); one addressed to another node is still refused. */
static void test_step_prop_without_addressee(void **state)
{
    (void)state;
    raftc_memstorage *ms;
    raftc_config *cfg;
    raftc_node *node;
    raftc_sink *ent, *msg;
    const char *err;
    uint64_t id = 1;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, &err, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    assert_int_equal(raftc_node_bootstrap(node, &id, NULL, NULL, 1), RAFTC_OK);
    for (int i = 0; i < 5; i++) {
        raftc_ready *rd;
        while (raftc_node_has_ready(node)) {
            assert_int_equal(raftc_node_ready(&rd, node), RAFTC_OK);
            assert_int_equal(raftc_memstorage_append_ready(ms, rd), RAFTC_OK);
            assert_int_equal(raftc_node_advance(node), RAFTC_OK);
        }
        if (i == 0)
            assert_int_equal(raftc_node_campaign(node), RAFTC_OK);
    }
    assert_int_equal(raftc_sink_new(&ent), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&msg), RAFTC_OK);
    assert_int_equal(raftc_entry_encode(ent, 0, 0, RAFTC_ENTRY_NORMAL, (const uint8_t *)"p", 1),
                     RAFTC_OK);
    const uint8_t *e;
    size_t el;
    assert_int_equal(raftc_sink_get(&e, &el, ent, 0), RAFTC_OK);
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_PROP;
    info[RAFTC_MF_FROM] = 1;
    for (int k = 0; k < 2; k++) {
        info[RAFTC_MF_TO] = k == 0 ? 0 : 7; /* no addressee, then another node */
        raftc_sink_reset(msg);
        assert_int_equal(raftc_message_encode(msg, info, RAFTC_MF_COUNT, &e, &el, 1, NULL, 0,
                                              NULL, 0),
                         RAFTC_OK);
        const uint8_t *b;
        size_t bl;
        assert_int_equal(raftc_sink_get(&b, &bl, msg, 0), RAFTC_OK);
        assert_int_equal(raftc_node_step(node, b, bl), k == 0 ? RAFTC_OK : RAFTC_EREFUSED);
    }
    raftc_ready *rd;
    uint64_t ri[RAFTC_RD_COUNT];
    assert_int_equal(raftc_node_ready(&rd, node), RAFTC_OK);
    assert_int_equal(raftc_ready_info(ri, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_int_equal(ri[RAFTC_RD_N_ENTRIES], 1);
    const uint8_t *d;
    size_t dl;
    assert_int_equal(raftc_ready_entry_info(NULL, NULL, NULL, &d, &dl, rd, 0), RAFTC_OK);
    assert_int_equal(dl, 1);
    assert_memory_equal(d, "p", 1);
    raftc_sink_free(ent);
    raftc_sink_free(msg);
    raftc_node_free(node);
    raftc_memstorage_free(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_shares_payloads),
        cmocka_unit_test(test_errors_release),
        cmocka_unit_test(test_step_prop_without_addressee),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
