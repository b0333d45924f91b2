/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_ready_packed.c: raftc_node_ready_packed gives, in its one buffer, exactly what the
 * Ready view's accessors give (fields, entries, committed entries, messages, read states,
 * HardState, snapshot, message destinations), over a seeded 3-node cluster with proposals,
 * ReadIndex requests, dropped messages, a partitioned follower caught up by a snapshot; and
 * it refuses bad arguments without touching the node.
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

#define SEED 0x9ac4edull
#define NODES 3

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

typedef struct pmsg {
    uint64_t to;
    uint8_t *buf;
    size_t len;
} pmsg;

typedef struct pnet {
    raftc_node *node[NODES];
    raftc_memstorage *ms[NODES];
    uint64_t applied[NODES];
    int cut; /* node index cut off from the others, or -1 */
    pmsg *q;
    size_t nq, capq;
    size_t snapshots, read_states, hard_states;
} pnet;

static uint64_t word(const uint8_t *buf, size_t k)
{
    uint64_t v;
    memcpy(&v, buf + k * sizeof(v), sizeof(v));
    return v;
}

/* Item `item` of the packed buffer equals the accessor's bytes. */
static void check_item(const uint8_t *buf, size_t len, size_t base, size_t item,
                       const uint8_t *want, size_t want_len)
{
    uint64_t off = word(buf, base + 2 * item), n = word(buf, base + 2 * item + 1);
    assert_true(off + n <= len);
    assert_int_equal(n, want_len);
    if (n > 0)
        assert_memory_equal(buf + off, want, n);
}

static void queue(pnet *net, uint64_t to, const uint8_t *b, size_t l)
{
    if (net->nq == net->capq) {
        net->capq = net->capq ? net->capq * 2 : 64;
        net->q = realloc(net->q, net->capq * sizeof(pmsg));
        assert_non_null(net->q);
    }
    pmsg *m = &net->q[net->nq++];
    m->to = to;
    m->len = l;
    m->buf = malloc(l ? l : 1);
    assert_non_null(m->buf);
    memcpy(m->buf, b, l);
}

/* Takes the node's Ready through raftc_node_ready_packed, checks it against the accessors,
 * persists it, queues its messages, applies and advances. */
static void handle_ready(pnet *net, int k)
{
    raftc_ready *rd;
    const uint8_t *buf, *b;
    size_t len, l;
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_node_ready_packed(&rd, &buf, &len, net->node[k]), RAFTC_OK);
    assert_non_null(rd);
    assert_non_null(buf);
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    uint64_t h = word(buf, 0);
    assert_int_equal(word(buf, 1), RAFTC_RD_COUNT);
    for (size_t i = 0; i < RAFTC_RD_COUNT; i++)
        assert_int_equal(word(buf, 2 + i), info[i]);
    size_t ne = info[RAFTC_RD_N_ENTRIES], nc = info[RAFTC_RD_N_COMMITTED_ENTRIES],
           nm = info[RAFTC_RD_N_MESSAGES], nr = info[RAFTC_RD_N_READ_STATES];
    size_t hs = info[RAFTC_RD_HAS_HARD_STATE] ? 1 : 0, snap = info[RAFTC_RD_HAS_SNAPSHOT] ? 1 : 0;
    size_t items = ne + nc + nm + nr + hs + snap, base = 2 + RAFTC_RD_COUNT;
    assert_int_equal(h, base + 2 * items + nr + nm);
    assert_true(h * 8 <= len);
    size_t it = 0;
    for (size_t i = 0; i < ne; i++, it++) {
        assert_int_equal(raftc_ready_entry(&b, &l, rd, i), RAFTC_OK);
        check_item(buf, len, base, it, b, l);
    }
    for (size_t i = 0; i < nc; i++, it++) {
        assert_int_equal(raftc_ready_committed_entry(&b, &l, rd, i), RAFTC_OK);
        check_item(buf, len, base, it, b, l);
    }
    for (size_t i = 0; i < nm; i++, it++) {
        uint64_t mf[RAFTC_MF_COUNT];
        assert_int_equal(raftc_ready_message(&b, &l, rd, i), RAFTC_OK);
        check_item(buf, len, base, it, b, l);
        assert_int_equal(raftc_message_decode(mf, RAFTC_MF_COUNT, b, l), RAFTC_OK);
        assert_int_equal(word(buf, base + 2 * items + nr + i), mf[RAFTC_MF_TO]);
    }
    for (size_t i = 0; i < nr; i++, it++) {
        uint64_t index;
        assert_int_equal(raftc_ready_read_state(&index, &b, &l, rd, i), RAFTC_OK);
        check_item(buf, len, base, it, b, l);
        assert_int_equal(word(buf, base + 2 * items + i), index);
        net->read_states++;
    }
    if (hs) {
        assert_int_equal(raftc_ready_hard_state(&b, &l, rd), RAFTC_OK);
        check_item(buf, len, base, it++, b, l);
        net->hard_states++;
    }
    if (snap) {
        assert_int_equal(raftc_ready_snapshot(&b, &l, rd), RAFTC_OK);
        check_item(buf, len, base, it++, b, l);
        assert_int_equal(raftc_memstorage_apply_snapshot(net->ms[k], b, l), RAFTC_OK);
        net->snapshots++;
    }
    /* persist (snapshot above, entries, then the HardState), send, apply, advance */
    if (ne > 0)
        assert_int_equal(raftc_memstorage_append_ready(net->ms[k], rd), RAFTC_OK);
    if (hs) {
        assert_int_equal(raftc_ready_hard_state(&b, &l, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(net->ms[k], b, l), RAFTC_OK);
    }
    for (size_t i = 0; i < nm; i++) {
        uint64_t to = word(buf, base + 2 * items + nr + i);
        if (to < 1 || to > NODES || rnd_below(12) == 0 || (int)to - 1 == net->cut ||
            k == net->cut)
            continue;
        assert_int_equal(raftc_ready_message(&b, &l, rd, i), RAFTC_OK);
        queue(net, to, b, l);
    }
    for (size_t i = 0; i < nc; i++) {
        uint64_t index;
        raftc_entry_type type;
        const uint8_t *d;
        size_t dl;
        assert_int_equal(raftc_ready_committed_entry_info(NULL, &index, &type, &d, &dl, rd, i),
                         RAFTC_OK);
        if (type != RAFTC_ENTRY_NORMAL) {
            raftc_sink *cs;
            assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
            assert_int_equal(raftc_node_apply_conf_change(cs,
                                                          net->node[k],
                                                          type == RAFTC_ENTRY_CONF_CHANGE
                                                              ? RAFTC_CC_V1
                                                              : RAFTC_CC_V2, d, dl),
                             RAFTC_OK);
            raftc_sink_free(cs);
        }
        net->applied[k] = index;
    }
    assert_int_equal(raftc_node_advance(net->node[k]), RAFTC_OK);
}

static void deliver(pnet *net)
{
    pmsg *q = net->q;
    size_t n = net->nq;
    net->q = NULL;
    net->nq = net->capq = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = raftc_node_step(net->node[q[i].to - 1], q[i].buf, q[i].len);
        assert_true(rc == RAFTC_OK || rc == RAFTC_ESTEP_PEER_NOT_FOUND ||
                    rc == RAFTC_EPROPOSAL_DROPPED);
        free(q[i].buf);
    }
    free(q);
}

static void settle(pnet *net)
{
    for (int round = 0; round < 50; round++) {
        int busy = 0;
        for (int k = 0; k < NODES; k++)
            while (raftc_node_has_ready(net->node[k])) {
                handle_ready(net, k);
                busy = 1;
            }
        if (!busy && net->nq == 0)
            return;
        deliver(net);
    }
}

static void test_packed_matches_accessors(void **state)
{
    (void)state;
    rng_state = SEED;
    fprintf(stderr, "seed 0x%llx\n", (unsigned long long)SEED);
    pnet net;
    memset(&net, 0, sizeof(net));
    net.cut = -1;
    uint64_t ids[NODES] = {1, 2, 3};
    for (int k = 0; k < NODES; k++) {
        raftc_config *cfg;
        assert_int_equal(raftc_memstorage_new(&net.ms[k]), RAFTC_OK);
        assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, ids[k]), RAFTC_OK);
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED, ids[k]), RAFTC_OK);
        assert_int_equal(raftc_config_set_memstorage(cfg, net.ms[k]), RAFTC_OK);
        assert_int_equal(raftc_node_new(&net.node[k], NULL, cfg), RAFTC_OK);
        raftc_config_free(cfg);
        assert_int_equal(raftc_node_bootstrap(net.node[k], ids, NULL, NULL, NODES), RAFTC_OK);
    }
    settle(&net);
    assert_int_equal(raftc_node_campaign(net.node[0]), RAFTC_OK);
    settle(&net);
    uint8_t payload[64];
    for (int round = 0; round < 700; round++) {
        if (round == 100)
            net.cut = 2; /* node 3 falls behind ... */
        if (round == 200) {
            for (int k = 0; k < NODES; k++) { /* whoever leads has compacted past node 3 */
                raftc_sink *cs, *snap;
                const uint8_t *b;
                size_t l;
                assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
                assert_int_equal(raftc_sink_new(&snap), RAFTC_OK);
                assert_int_equal(raftc_node_conf_state(cs, net.node[k]), RAFTC_OK);
                assert_int_equal(raftc_sink_get(&b, &l, cs, 0), RAFTC_OK);
                assert_int_equal(raftc_memstorage_create_snapshot(snap, net.ms[k], net.applied[k], b,
                                                                  l, NULL, 0),
                                 RAFTC_OK);
                assert_int_equal(raftc_memstorage_compact(net.ms[k], net.applied[k]), RAFTC_OK);
                raftc_sink_free(snap);
                raftc_sink_free(cs);
            }
            net.cut = -1; /* ... and is caught up by a snapshot */
        }
        size_t props = rnd_below(4);
        for (size_t j = 0; j < props; j++) {
            size_t len = rnd_below(sizeof(payload) + 1);
            for (size_t b = 0; b < len; b++)
                payload[b] = (uint8_t)rnd_below(256);
            int rc = raftc_node_propose(net.node[rnd_below(NODES)], payload, len);
            assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
        }
        if (rnd_below(3) == 0) {
            uint8_t ctx[8] = {0};
            memcpy(ctx, &round, sizeof(round));
            assert_int_equal(raftc_node_read_index(net.node[rnd_below(NODES)], ctx, sizeof ctx),
                             RAFTC_OK);
        }
        if (rnd_below(2) == 0)
            assert_int_equal(raftc_node_tick(net.node[rnd_below(NODES)]), RAFTC_OK);
        settle(&net);
    }
    fprintf(stderr, "packed: %zu snapshots, %zu read states, %zu hard states\n", net.snapshots,
            net.read_states, net.hard_states);
    assert_true(net.snapshots > 0);
    assert_true(net.read_states > 0);
    assert_true(net.hard_states > 0);
    for (int k = 0; k < NODES; k++) {
        raftc_node_free(net.node[k]);
        raftc_memstorage_free(net.ms[k]);
    }
}

static void test_packed_bad_arguments(void **state)
{
    (void)state;
    raftc_memstorage *ms;
    raftc_config *cfg;
    raftc_node *node;
    raftc_ready *rd = (raftc_ready *)&rd;
    const uint8_t *buf = (const uint8_t *)"x";
    size_t len = 7;
    uint64_t id = 1;
    assert_int_equal(raftc_node_ready_packed(&rd, &buf, &len, NULL), RAFTC_EINVAL);
    assert_null(rd);
    assert_null(buf);
    assert_int_equal(len, 0);
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, ms), RAFTC_OK);
    assert_int_equal(raftc_node_new(&node, NULL, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    assert_int_equal(raftc_node_bootstrap(node, &id, NULL, NULL, 1), RAFTC_OK);
    assert_int_equal(raftc_node_ready_packed(&rd, NULL, &len, node), RAFTC_EINVAL);
    assert_int_equal(raftc_node_ready_packed(&rd, &buf, NULL, node), RAFTC_EINVAL);
    assert_true(raftc_node_has_ready(node)); /* nothing was accepted */
    assert_int_equal(raftc_node_ready_packed(NULL, &buf, &len, node), RAFTC_OK);
    assert_non_null(buf);
    assert_int_equal(word(buf, 2 + RAFTC_RD_N_ENTRIES), 1);
    /* a second Ready before Advance is refused as raftc_node_ready refuses it */
    assert_int_equal(raftc_node_ready_packed(&rd, &buf, &len, node), RAFTC_ESTATE);
    assert_null(buf);
    raftc_node_free(node);
    raftc_memstorage_free(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packed_matches_accessors),
        cmocka_unit_test(test_packed_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
