/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_host.c: the multi-raft host (raftc_host_*): argument checks and bad envelopes, three
 * hosts running many groups over an in-memory network (election, replication, one envelope per
 * destination, coalesced heartbeats), quiescence and wake-up, and a partition while the groups
 * are quiet. Every run checks that no two hosts applied different entries at an index of a
 * group.
 */
#define _GNU_SOURCE /* malloc_usable_size */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pb/multiraft.pb-c.h"
#include "raftc.h"

#define HOSTS 3
#define MAX_GROUPS 64
#define BOOT HOSTS /* the bootstrap's conf change entries, applied by every group first */

/* ---- an in-memory network of HOSTS hosts ---- */

typedef struct envelope {
    int to; /* host index */
    uint8_t *buf;
    size_t len;
} envelope;

typedef struct applied_log {
    uint64_t *fp; /* fingerprint (term, payload) of each applied index, from index 1 */
    size_t n, cap;
} applied_log;

typedef struct cluster {
    raftc_host *h[HOSTS];
    int groups;
    bool cut[HOSTS][HOSTS];
    envelope *q;
    size_t nq, capq;
    applied_log applied[HOSTS][MAX_GROUPS + 1];
    uint64_t envelopes_per_ready_max;
} cluster;

static uint64_t fingerprint(uint64_t term, const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603u ^ term;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* Records an applied entry and checks it against every other host's entry at that index. */
static void record_applied(cluster *c, int host, uint64_t group, uint64_t index, uint64_t fp)
{
    applied_log *a = &c->applied[host][group];
    assert_int_equal(index, a->n + 1); /* applied in order, no gaps */
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->fp = realloc(a->fp, a->cap * sizeof(*a->fp));
        assert_non_null(a->fp);
    }
    a->fp[a->n++] = fp;
    for (int o = 0; o < HOSTS; o++) {
        const applied_log *b = &c->applied[o][group];
        if (o != host && b->n >= index)
            assert_int_equal(b->fp[index - 1], fp);
    }
}

static void cluster_init(cluster *c, int groups, bool quiesce)
{
    memset(c, 0, sizeof(*c));
    c->groups = groups;
    raftc_config *cfg;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, 1), RAFTC_OK);
    uint64_t voters[HOSTS] = {1, 2, 3};
    for (int i = 0; i < HOSTS; i++) {
        assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED, 100 + (uint64_t)i),
                         RAFTC_OK);
        assert_int_equal(raftc_host_new(&c->h[i], cfg, (uint64_t)i + 1), RAFTC_OK);
        assert_int_equal(raftc_host_set_quiesce(c->h[i], quiesce), RAFTC_OK);
        for (int g = 1; g <= groups; g++)
            assert_int_equal(raftc_host_add_group(c->h[i], (uint64_t)g, voters, HOSTS),
                             RAFTC_OK);
    }
    raftc_config_free(cfg);
}

static int cluster_ready(cluster *c);
static void cluster_settle(cluster *c);

static void cluster_free(cluster *c)
{
    for (int i = 0; i < HOSTS; i++) {
        raftc_host_free(c->h[i]);
        for (int g = 0; g <= MAX_GROUPS; g++)
            free(c->applied[i][g].fp);
    }
    for (size_t i = 0; i < c->nq; i++)
        free(c->q[i].buf);
    free(c->q);
}

/* Handles every host's Ready once: checks and records applied entries, queues envelopes
 * (dropping those across a cut), advances. Returns the number of host Readys handled. */
static int cluster_ready(cluster *c)
{
    int handled = 0;
    for (int i = 0; i < HOSTS; i++) {
        if (!raftc_host_has_ready(c->h[i]))
            continue;
        raftc_batch *b;
        assert_int_equal(raftc_host_ready(&b, c->h[i]), RAFTC_OK);
        handled++;
        for (size_t k = 0; k < raftc_batch_group_count(b); k++) {
            uint64_t group;
            raftc_ready *rd;
            assert_int_equal(raftc_batch_group(&group, &rd, b, k), RAFTC_OK);
            uint64_t info[RAFTC_RD_COUNT];
            assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
            for (uint64_t e = 0; e < info[RAFTC_RD_N_COMMITTED_ENTRIES]; e++) {
                uint64_t term, index;
                raftc_entry_type type;
                const uint8_t *data;
                size_t len;
                assert_int_equal(raftc_ready_committed_entry_info(&term, &index, &type, &data,
                                                                  &len, rd, (size_t)e),
                                 RAFTC_OK);
                record_applied(c, i, group, index, fingerprint(term, data, len));
            }
        }
        size_t ne = raftc_batch_envelope_count(b);
        assert_true(ne <= HOSTS - 1); /* one envelope per destination */
        for (size_t k = 0; k < ne; k++) {
            uint64_t to;
            const uint8_t *buf;
            size_t len;
            assert_int_equal(raftc_batch_envelope(&to, &buf, &len, b, k), RAFTC_OK);
            assert_true(to >= 1 && to <= HOSTS && to != (uint64_t)i + 1);
            for (size_t j = 0; j < k; j++) {
                uint64_t to2;
                const uint8_t *b2;
                size_t l2;
                assert_int_equal(raftc_batch_envelope(&to2, &b2, &l2, b, j), RAFTC_OK);
                assert_true(to2 != to);
            }
            if (c->cut[i][to - 1])
                continue;
            if (c->nq == c->capq) {
                c->capq = c->capq ? c->capq * 2 : 64;
                c->q = realloc(c->q, c->capq * sizeof(*c->q));
                assert_non_null(c->q);
            }
            envelope *e = &c->q[c->nq++];
            e->to = (int)to - 1;
            e->buf = malloc(len ? len : 1);
            assert_non_null(e->buf);
            memcpy(e->buf, buf, len);
            e->len = len;
        }
        assert_int_equal(raftc_host_advance(c->h[i]), RAFTC_OK);
    }
    return handled;
}

/* Delivers everything queued (new envelopes wait for the next call). */
static void cluster_deliver(cluster *c)
{
    size_t n = c->nq;
    envelope *q = c->q;
    c->q = NULL;
    c->nq = c->capq = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = raftc_host_step(c->h[q[i].to], q[i].buf, q[i].len);
        assert_int_equal(rc, RAFTC_OK);
        free(q[i].buf);
    }
    free(q);
}

/* Readys and deliveries until nothing moves (bounded). */
static void cluster_settle(cluster *c)
{
    for (int round = 0; round < 100; round++) {
        int handled = cluster_ready(c);
        if (handled == 0 && c->nq == 0)
            return;
        cluster_deliver(c);
    }
    fail_msg("cluster did not settle");
}

static void cluster_ticks(cluster *c, int ticks)
{
    for (int t = 0; t < ticks; t++) {
        for (int i = 0; i < HOSTS; i++)
            assert_int_equal(raftc_host_tick(c->h[i]), RAFTC_OK);
        cluster_settle(c);
    }
}

static uint64_t status(cluster *c, int host, uint64_t group, int field)
{
    raftc_node *node;
    assert_int_equal(raftc_host_group(&node, c->h[host], group), RAFTC_OK);
    uint64_t info[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(info, RAFTC_ST_COUNT, node), RAFTC_OK);
    return info[field];
}

static uint64_t host_info(cluster *c, int host, int field)
{
    uint64_t info[RAFTC_HO_COUNT];
    assert_int_equal(raftc_host_info(info, RAFTC_HO_COUNT, c->h[host]), RAFTC_OK);
    return info[field];
}

/* Group g is led by host (g - 1) % HOSTS: it campaigns there. */
static void cluster_elect(cluster *c)
{
    cluster_settle(c); /* the bootstrap entries are applied before anyone may campaign */
    for (int g = 1; g <= c->groups; g++)
        assert_int_equal(raftc_host_campaign(c->h[(g - 1) % HOSTS], (uint64_t)g), RAFTC_OK);
    cluster_settle(c);
    for (int g = 1; g <= c->groups; g++)
        for (int i = 0; i < HOSTS; i++)
            assert_int_equal(status(c, i, (uint64_t)g, RAFTC_ST_LEAD), (g - 1) % HOSTS + 1);
}

static void propose_all(cluster *c, const char *what)
{
    for (int g = 1; g <= c->groups; g++) {
        char data[64];
        int n = snprintf(data, sizeof(data), "%s/%d", what, g);
        assert_int_equal(raftc_host_propose(c->h[(g - 1) % HOSTS], (uint64_t)g,
                                            (const uint8_t *)data, (size_t)n),
                         RAFTC_OK);
    }
    cluster_settle(c);
}

/* ---- tests ---- */

static void test_host_args(void **state)
{
    (void)state;
    raftc_config *cfg;
    raftc_host *h;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_host_new(NULL, cfg, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_host_new(&h, NULL, 1), RAFTC_EINVAL);
    assert_int_equal(raftc_host_new(&h, cfg, 0), RAFTC_EINVAL);
    assert_null(h);
    assert_int_equal(raftc_host_new(&h, cfg, UINT64_MAX), RAFTC_EINVAL);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, 1), RAFTC_OK);
    assert_int_equal(raftc_host_new(&h, cfg, 1), RAFTC_ECONFIG);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, 0), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 20), RAFTC_OK);
    assert_int_equal(raftc_host_new(&h, cfg, 1), RAFTC_ECONFIG); /* election <= heartbeat */
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_READ_ONLY_OPTION,
                                          RAFTC_READ_ONLY_LEASE_BASED), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, 1), RAFTC_OK);
    assert_int_equal(raftc_host_new(&h, cfg, 1), RAFTC_OK);
    assert_int_equal(raftc_host_set_quiesce(h, 1), RAFTC_ECONFIG);
    assert_string_equal(raftc_host_last_error(h),
                        "quiescence cannot be used with lease-based reads");
    assert_int_equal(raftc_host_set_quiesce(NULL, 1), RAFTC_EINVAL);

    uint64_t ids[] = {1, 2, 3};
    assert_int_equal(raftc_host_add_group(h, 0, ids, 3), RAFTC_EINVAL);
    assert_int_equal(raftc_host_add_group(h, 7, NULL, 3), RAFTC_EINVAL);
    assert_int_equal(raftc_host_add_group(h, 7, ids, 3), RAFTC_OK);
    assert_int_equal(raftc_host_add_group(h, 7, ids, 3), RAFTC_ESTATE);
    assert_string_equal(raftc_host_last_error(h), "group 7 exists");
    assert_int_equal(raftc_host_add_group(h, 8, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_host_group_count(h), 2);
    raftc_node *node;
    assert_int_equal(raftc_host_group(&node, h, 9), RAFTC_ENOTFOUND);
    assert_null(node);
    assert_string_equal(raftc_host_last_error(h), "group 9 not found");
    assert_int_equal(raftc_host_group(&node, h, 7), RAFTC_OK);
    assert_non_null(node);
    assert_int_equal(raftc_host_propose(h, 9, (const uint8_t *)"x", 1), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_campaign(h, 9), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_wake_group(h, 9), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_wake_peer(h, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_host_remove_group(h, 9), RAFTC_ENOTFOUND);

    /* Bad envelopes: garbage, no sender, another destination, from itself. */
    static const uint8_t garbage[] = {0xff, 0xff, 0xff};
    assert_int_equal(raftc_host_step(h, garbage, sizeof(garbage)), RAFTC_EDECODE);
    assert_int_equal(raftc_host_step(h, NULL, 0), RAFTC_EINVAL);
    assert_int_equal(raftc_host_step(h, NULL, 3), RAFTC_EINVAL);
    Multiraftpb__Envelope env = MULTIRAFTPB__ENVELOPE__INIT;
    uint8_t buf[64];
    env.has_from = env.has_to = 1;
    env.from = 2;
    env.to = 3;
    size_t n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_EREFUSED);
    assert_string_equal(raftc_host_last_error(h), "envelope from 2 to 3 refused by node 1");
    env.from = 1;
    env.to = 1;
    n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_EREFUSED);
    /* A group id of 0 is refused; an unknown group is counted as dropped. */
    Multiraftpb__Heartbeat hb = MULTIRAFTPB__HEARTBEAT__INIT;
    Multiraftpb__Heartbeat *hbs[] = {&hb};
    env.from = 2;
    env.n_heartbeats = 1;
    env.heartbeats = hbs;
    n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_EINVAL);
    hb.has_group = 1;
    hb.group = 99;
    n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_OK);
    uint64_t info[RAFTC_HO_COUNT + 2];
    assert_int_equal(raftc_host_info(info, RAFTC_HO_COUNT + 2, h), RAFTC_OK);
    assert_int_equal(info[RAFTC_HO_DROPPED], 1);
    assert_int_equal(info[RAFTC_HO_GROUPS], 2);
    assert_int_equal(info[RAFTC_HO_NODE_ID], 1);
    /* A heartbeat at a term the follower's peer cannot have (term 0) is refused by the group. */
    hb.group = 7;
    n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_EREFUSED);
    assert_non_null(strstr(raftc_host_last_error(h), "group 7: "));

    /* Call order. */
    raftc_batch *b;
    assert_int_equal(raftc_host_advance(h), RAFTC_ESTATE);
    assert_int_equal(raftc_host_ready(&b, h), RAFTC_OK);
    assert_int_equal(raftc_host_ready(&b, h), RAFTC_ESTATE);
    assert_null(b);
    assert_int_equal(raftc_host_remove_group(h, 7), RAFTC_ESTATE); /* in the Ready */
    assert_int_equal(raftc_host_advance(h), RAFTC_OK);
    uint64_t group;
    raftc_ready *rd;
    const uint8_t *p;
    size_t len;
    uint64_t to;
    assert_int_equal(raftc_host_ready(&b, h), RAFTC_OK);
    assert_int_equal(raftc_batch_group(&group, &rd, b, 99), RAFTC_EINVAL);
    assert_int_equal(raftc_batch_envelope(&to, &p, &len, b, 99), RAFTC_EINVAL);
    assert_int_equal(raftc_host_advance(h), RAFTC_OK);
    assert_int_equal(raftc_batch_group(&group, &rd, b, 0), RAFTC_ESTATE);
    assert_int_equal(raftc_batch_envelope_count(b), 0);
    assert_int_equal(raftc_host_remove_group(h, 7), RAFTC_OK);
    assert_int_equal(raftc_host_remove_group(h, 8), RAFTC_OK);
    assert_int_equal(raftc_host_group_count(h), 0);
    assert_int_equal(raftc_host_tick(NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_host_has_ready(NULL), 0);
    raftc_host_free(h);
    raftc_host_free(NULL);
    raftc_config_free(cfg);
}

static void test_host_replicate(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 48, false);
    cluster_elect(c);
    for (int round = 0; round < 5; round++) {
        char what[16];
        snprintf(what, sizeof(what), "r%d", round);
        propose_all(c, what);
    }
    /* Every group applied its empty entry plus 5 proposals on every host. */
    for (int i = 0; i < HOSTS; i++)
        for (int g = 1; g <= c->groups; g++)
            assert_int_equal(c->applied[i][g].n, BOOT + 6);
    /* A proposal at a follower is forwarded to the leader. */
    assert_int_equal(raftc_host_propose(c->h[1], 1, (const uint8_t *)"fwd", 3), RAFTC_OK);
    cluster_settle(c);
    assert_int_equal(c->applied[0][1].n, BOOT + 7);
    cluster_free(c);
    free(c);
}

/* Every tick a leader host sends each peer one envelope holding the heartbeats of all the
 * groups it leads, as compact records (no raftpb message). */
static void test_host_heartbeats_coalesced(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 30, false);
    cluster_elect(c);
    propose_all(c, "x");
    assert_int_equal(raftc_host_tick(c->h[0]), RAFTC_OK);
    raftc_batch *b;
    assert_int_equal(raftc_host_ready(&b, c->h[0]), RAFTC_OK);
    assert_int_equal(raftc_batch_envelope_count(b), 2);
    for (size_t k = 0; k < 2; k++) {
        uint64_t to;
        const uint8_t *buf;
        size_t len;
        assert_int_equal(raftc_batch_envelope(&to, &buf, &len, b, k), RAFTC_OK);
        Multiraftpb__Envelope *env = multiraftpb__envelope__unpack(NULL, len, buf);
        assert_non_null(env);
        assert_int_equal(env->from, 1);
        assert_int_equal(env->to, to);
        assert_int_equal(env->n_heartbeats, 10); /* groups 1, 4, ..., 28 */
        assert_int_equal(env->n_messages, 0);
        for (size_t i = 0; i < env->n_heartbeats; i++) {
            assert_int_equal((env->heartbeats[i]->group - 1) % HOSTS, 0);
            assert_false(env->heartbeats[i]->quiesce);
        }
        multiraftpb__envelope__free_unpacked(env, NULL);
    }
    assert_int_equal(raftc_host_advance(c->h[0]), RAFTC_OK);
    cluster_free(c);
    free(c);
}

/* With quiescence, settled groups stop ticking: no Ready, no envelope; a proposal wakes one
 * group, which commits and goes quiet again. */
static void test_host_quiescence(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 30, true);
    cluster_elect(c);
    propose_all(c, "x");
    cluster_ticks(c, 3);
    for (int i = 0; i < HOSTS; i++) {
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
        assert_int_equal(raftc_host_has_ready(c->h[i]), 0);
    }
    uint64_t env_before = host_info(c, 0, RAFTC_HO_ENVELOPES);
    for (int t = 0; t < 50; t++)
        for (int i = 0; i < HOSTS; i++) {
            assert_int_equal(raftc_host_tick(c->h[i]), RAFTC_OK);
            assert_int_equal(raftc_host_has_ready(c->h[i]), 0);
        }
    assert_int_equal(host_info(c, 0, RAFTC_HO_ENVELOPES), env_before);
    /* Leaders kept their leadership through 50 quiet ticks. */
    for (int g = 1; g <= c->groups; g++)
        assert_int_equal(status(c, 1, (uint64_t)g, RAFTC_ST_LEAD), (g - 1) % HOSTS + 1);

    /* A proposal at a follower (host 2, group 1 led by host 1) wakes the group on all hosts. */
    assert_int_equal(raftc_host_propose(c->h[1], 1, (const uint8_t *)"wake", 4), RAFTC_OK);
    cluster_settle(c);
    assert_int_equal(c->applied[0][1].n, BOOT + 3);
    assert_int_equal(c->applied[2][1].n, BOOT + 3);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 1);
    cluster_ticks(c, 3);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);

    /* Turning quiescence off wakes every group; leaders keep heartbeating. */
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(raftc_host_set_quiesce(c->h[i], 0), RAFTC_OK);
    assert_int_equal(host_info(c, 0, RAFTC_HO_AWAKE), 30);
    cluster_ticks(c, 30);
    for (int g = 1; g <= c->groups; g++)
        assert_int_equal(status(c, 2, (uint64_t)g, RAFTC_ST_LEAD), (g - 1) % HOSTS + 1);
    cluster_free(c);
    free(c);
}

/* A partition while every group is quiet: host 1 (leader of groups 1, 4, ...) is cut off. Its
 * groups go on sleeping until the failure detector wakes them (raftc_host_wake_peer); the
 * majority elects new leaders and commits; the old leader's proposal is not committed; after
 * the heal every group converges and goes quiet again, and no two hosts ever applied different
 * entries at one index. */
static void test_host_partition_while_quiet(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 12, true);
    cluster_elect(c);
    propose_all(c, "x");
    cluster_ticks(c, 3);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);

    for (int i = 1; i < HOSTS; i++)
        c->cut[0][i] = c->cut[i][0] = true;
    /* Quiet groups do not notice: many ticks later nobody campaigned. */
    cluster_ticks(c, 40);
    for (int g = 1; g <= c->groups; g++)
        assert_int_equal(status(c, 1, (uint64_t)g, RAFTC_ST_LEAD), (g - 1) % HOSTS + 1);
    /* The isolated leader accepts a proposal but cannot commit it. */
    assert_int_equal(raftc_host_propose(c->h[0], 1, (const uint8_t *)"lost", 4), RAFTC_OK);
    cluster_ticks(c, 5);
    assert_int_equal(c->applied[0][1].n, BOOT + 2);
    /* The majority's failure detector declares host 1 down. */
    assert_int_equal(raftc_host_wake_peer(c->h[1], 1), RAFTC_OK);
    assert_int_equal(raftc_host_wake_peer(c->h[2], 1), RAFTC_OK);
    assert_int_equal(host_info(c, 1, RAFTC_HO_AWAKE), 4);
    cluster_ticks(c, 40);
    for (int g = 1; g <= c->groups; g += HOSTS) {
        uint64_t lead = status(c, 1, (uint64_t)g, RAFTC_ST_LEAD);
        assert_true(lead == 2 || lead == 3);
        assert_int_equal(raftc_host_propose(c->h[lead - 1], (uint64_t)g,
                                            (const uint8_t *)"new", 3), RAFTC_OK);
    }
    cluster_ticks(c, 3);
    for (int g = 1; g <= c->groups; g += HOSTS) {
        assert_int_equal(c->applied[1][g].n, BOOT + 4); /* new leader's empty entry + "new" */
        assert_int_equal(c->applied[0][g].n, BOOT + 2);
    }

    /* Heal: the old leader learns the new term, its uncommitted entry is replaced. */
    memset(c->cut, 0, sizeof(c->cut));
    assert_int_equal(raftc_host_wake_group(c->h[1], 1), RAFTC_OK);
    for (int g = 1; g <= c->groups; g += HOSTS) {
        uint64_t lead = status(c, 1, (uint64_t)g, RAFTC_ST_LEAD);
        assert_int_equal(raftc_host_propose(c->h[lead - 1], (uint64_t)g,
                                            (const uint8_t *)"healed", 6), RAFTC_OK);
    }
    cluster_ticks(c, 30);
    for (int g = 1; g <= c->groups; g++) {
        assert_int_equal(c->applied[0][g].n, c->applied[1][g].n);
        assert_int_equal(c->applied[2][g].n, c->applied[1][g].n);
        assert_int_not_equal(status(c, 0, (uint64_t)g, RAFTC_ST_LEAD), 0);
    }
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
    cluster_free(c);
    free(c);
}

/* A quiet follower woken by someone other than its leader wakes the leader too (a wake
 * record), so heartbeats resume and the follower does not campaign. */
static void test_host_wake_follower(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 3, true);
    cluster_elect(c);
    cluster_ticks(c, 3);
    assert_int_equal(host_info(c, 1, RAFTC_HO_AWAKE), 0);
    uint64_t term = status(c, 1, 1, RAFTC_ST_TERM);
    assert_int_equal(raftc_host_wake_group(c->h[1], 1), RAFTC_OK); /* a follower of group 1 */
    assert_int_equal(host_info(c, 1, RAFTC_HO_AWAKE), 1);
    cluster_settle(c);
    assert_int_equal(host_info(c, 0, RAFTC_HO_AWAKE), 1); /* the leader woke */
    cluster_ticks(c, 30);
    assert_int_equal(status(c, 1, 1, RAFTC_ST_TERM), term); /* no election */
    assert_int_equal(status(c, 1, 1, RAFTC_ST_LEAD), 1);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
    cluster_free(c);
    free(c);
}

/* A stale plain heartbeat from the leader (sent before it went quiet, delivered after its quiesce
 * heartbeat) wakes a quiet follower: the follower must wake its leader too (a wake record), or
 * it would tick without heartbeats and campaign. Found by raftc-sim --multiraft (seed 3000219). */
static void test_host_stale_heartbeat(void **state)
{
    (void)state;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 3, true);
    cluster_elect(c);
    cluster_ticks(c, 3);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
    uint64_t term = status(c, 1, 1, RAFTC_ST_TERM);
    uint64_t commit = status(c, 1, 1, RAFTC_ST_COMMIT);
    /* host 1 (leader of group 1) -> host 2: a plain heartbeat of group 1 */
    Multiraftpb__Envelope env = MULTIRAFTPB__ENVELOPE__INIT;
    Multiraftpb__Heartbeat hb = MULTIRAFTPB__HEARTBEAT__INIT;
    Multiraftpb__Heartbeat *hbs[] = {&hb};
    env.has_from = env.has_to = hb.has_group = hb.has_term = hb.has_commit = 1;
    env.from = 1;
    env.to = 2;
    hb.group = 1;
    hb.term = term;
    hb.commit = commit;
    env.n_heartbeats = 1;
    env.heartbeats = hbs;
    uint8_t buf[64];
    size_t n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(c->h[1], buf, n), RAFTC_OK);
    assert_int_equal(host_info(c, 1, RAFTC_HO_AWAKE), 1);
    cluster_settle(c);
    assert_int_equal(host_info(c, 0, RAFTC_HO_AWAKE), 1); /* the leader woke */
    cluster_ticks(c, 30);
    assert_int_equal(status(c, 1, 1, RAFTC_ST_TERM), term); /* no election */
    assert_int_equal(status(c, 1, 1, RAFTC_ST_LEAD), 1);
    for (int i = 0; i < HOSTS; i++)
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
    cluster_free(c);
    free(c);
}

/* ---- randomized faults ---- */

/* raftc_host_load_group copies a durable log (snapshot, entries after it, HardState) into the
 * host's storage and starts the group at the given applied index; raftc_host_create_snapshot and
 * raftc_host_compact act on that storage. */
/* Drains h's Readys (envelopes dropped): a host alone. */
static void host_drain(raftc_host *h)
{
    while (raftc_host_has_ready(h)) {
        raftc_batch *b;
        assert_int_equal(raftc_host_ready(&b, h), RAFTC_OK);
        assert_int_equal(raftc_host_advance(h), RAFTC_OK);
    }
}

/* A restarted follower knows no leader; a stale quiesce heartbeat (an older term, replayed or
 * delayed) must not put it to sleep: it ticks and campaigns. (Found by raftc-sim --multiraft
 * --disk --hostile 1000 --seed 7000093 --steps 2000: the follower slept with no leader, its
 * peers slept following it, and the group never elected again.) */
static void test_host_stale_quiesce_no_leader(void **state)
{
    (void)state;
    raftc_config *cfg;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    raftc_host *h;
    assert_int_equal(raftc_host_new(&h, cfg, 2), RAFTC_OK);
    raftc_config_free(cfg);
    assert_int_equal(raftc_host_set_quiesce(h, 1), RAFTC_OK);
    /* what it persisted: entries 1..4, a snapshot at 4 (voters 1 2 3), term 3, all committed */
    raftc_sink *sk;
    assert_int_equal(raftc_sink_new(&sk), RAFTC_OK);
    raftc_memstorage *ms;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    uint64_t voters[3] = {1, 2, 3};
    assert_int_equal(raftc_conf_state_encode(sk, voters, 3, NULL, 0, NULL, 0, NULL, 0, 0),
                     RAFTC_OK);
    for (uint64_t i = 1; i <= 4; i++)
        assert_int_equal(raftc_entry_encode(sk, 2, i, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    const uint8_t *ents[4];
    size_t lens[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(raftc_sink_get(&ents[i], &lens[i], sk, i + 1), RAFTC_OK);
    assert_int_equal(raftc_memstorage_append(ms, ents, lens, 4), RAFTC_OK);
    const uint8_t *cs;
    size_t cs_len;
    assert_int_equal(raftc_sink_get(&cs, &cs_len, sk, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_create_snapshot(NULL, ms, 4, cs, cs_len, NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_memstorage_set_hard_state_fields(ms, 3, 2, 4), RAFTC_OK);
    assert_int_equal(raftc_host_load_group(h, 1, ms, 4), RAFTC_OK);
    raftc_memstorage_free(ms);
    raftc_sink_free(sk);
    host_drain(h);

    /* node 1's quiesce heartbeat of term 2 */
    Multiraftpb__Envelope env = MULTIRAFTPB__ENVELOPE__INIT;
    Multiraftpb__Heartbeat hb = MULTIRAFTPB__HEARTBEAT__INIT;
    Multiraftpb__Heartbeat *hbs[] = {&hb};
    env.has_from = env.has_to = hb.has_group = hb.has_term = hb.has_commit = hb.has_quiesce = 1;
    env.from = 1;
    env.to = 2;
    hb.group = 1;
    hb.term = 2;
    hb.commit = 4;
    hb.quiesce = 1;
    env.n_heartbeats = 1;
    env.heartbeats = hbs;
    uint8_t buf[64];
    size_t n = multiraftpb__envelope__pack(&env, buf);
    assert_int_equal(raftc_host_step(h, buf, n), RAFTC_OK);
    host_drain(h);
    for (int t = 0; t < 30; t++) {
        assert_int_equal(raftc_host_tick(h), RAFTC_OK);
        host_drain(h);
    }
    uint64_t info[RAFTC_HO_COUNT];
    assert_int_equal(raftc_host_info(info, RAFTC_HO_COUNT, h), RAFTC_OK);
    assert_int_equal(info[RAFTC_HO_AWAKE], 1);
    raftc_node *node;
    assert_int_equal(raftc_host_group(&node, h, 1), RAFTC_OK);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, node), RAFTC_OK);
    assert_true(st[RAFTC_ST_TERM] > 3); /* it campaigned */
    raftc_host_free(h);
}

static void test_host_load_group(void **state)
{
    (void)state;
    raftc_config *cfg;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    raftc_host *h;
    assert_int_equal(raftc_host_new(&h, cfg, 2), RAFTC_OK);
    raftc_config_free(cfg);
    raftc_sink *sk;
    assert_int_equal(raftc_sink_new(&sk), RAFTC_OK);

    /* a durable copy: snapshot at 4 (voters 1 2 3) after a compacted log, entries 5..8 of
     * term 2, HardState term 3 vote 1 commit 7 */
    raftc_memstorage *ms;
    assert_int_equal(raftc_memstorage_new(&ms), RAFTC_OK);
    uint64_t voters[3] = {1, 2, 3};
    assert_int_equal(raftc_conf_state_encode(sk, voters, 3, NULL, 0, NULL, 0, NULL, 0, 0),
                     RAFTC_OK);
    for (uint64_t i = 1; i <= 8; i++) {
        uint8_t data[2] = {'e', (uint8_t)i};
        assert_int_equal(raftc_entry_encode(sk, i <= 4 ? 1 : 2, i, RAFTC_ENTRY_NORMAL, data, 2),
                         RAFTC_OK);
    }
    const uint8_t *ents[8];
    size_t lens[8];
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(raftc_sink_get(&ents[i], &lens[i], sk, i + 1), RAFTC_OK);
    assert_int_equal(raftc_memstorage_append(ms, ents, lens, 8), RAFTC_OK);
    const uint8_t *cs;
    size_t cs_len;
    assert_int_equal(raftc_sink_get(&cs, &cs_len, sk, 0), RAFTC_OK);
    const uint8_t snap_data[3] = {'s', 'm', '4'};
    assert_int_equal(raftc_memstorage_create_snapshot(NULL, ms, 4, cs, cs_len, snap_data, 3),
                     RAFTC_OK);
    assert_int_equal(raftc_memstorage_compact(ms, 3), RAFTC_OK);
    assert_int_equal(raftc_memstorage_set_hard_state_fields(ms, 3, 1, 7), RAFTC_OK);

    assert_int_equal(raftc_host_load_group(h, 9, NULL, 4), RAFTC_EINVAL);
    assert_int_equal(raftc_host_load_group(NULL, 9, ms, 4), RAFTC_EINVAL);
    assert_int_equal(raftc_host_load_group(h, 0, ms, 4), RAFTC_EINVAL);
    assert_int_equal(raftc_host_load_group(h, 9, ms, 4), RAFTC_OK);
    assert_int_equal(raftc_host_load_group(h, 9, ms, 4), RAFTC_ESTATE);
    assert_non_null(strstr(raftc_host_last_error(h), "group 9 exists"));
    raftc_memstorage_free(ms); /* the host keeps its own copy */

    raftc_node *n;
    assert_int_equal(raftc_host_group(&n, h, 9), RAFTC_OK);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, n), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_TERM], 3);
    assert_int_equal(st[RAFTC_ST_VOTE], 1);
    assert_int_equal(st[RAFTC_ST_COMMIT], 7);
    assert_int_equal(st[RAFTC_ST_APPLIED], 4);
    raftc_sink_reset(sk);
    assert_int_equal(raftc_node_conf_state(sk, n), RAFTC_OK);
    const uint8_t *got;
    size_t got_len;
    assert_int_equal(raftc_sink_get(&got, &got_len, sk, 0), RAFTC_OK);
    assert_int_equal(got_len, cs_len);
    /* its first Ready hands out entries 5..7 to apply (applied 4 = the snapshot) */
    assert_int_equal(raftc_host_has_ready(h), 1);
    raftc_batch *b;
    assert_int_equal(raftc_host_ready(&b, h), RAFTC_OK);
    assert_int_equal(raftc_batch_group_count(b), 1);
    uint64_t g;
    raftc_ready *rd;
    assert_int_equal(raftc_batch_group(&g, &rd, b, 0), RAFTC_OK);
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    assert_int_equal(info[RAFTC_RD_N_COMMITTED_ENTRIES], 3);
    assert_int_equal(raftc_host_advance(h), RAFTC_OK);

    /* snapshots and compaction of the host's copy */
    assert_int_equal(raftc_host_create_snapshot(NULL, h, 8, 7, NULL, 0, NULL, 0),
                     RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_compact(h, 8, 5), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_create_snapshot(NULL, h, 9, 4, NULL, 0, NULL, 0),
                     RAFTC_ESNAP_OUT_OF_DATE);
    raftc_sink_reset(sk);
    assert_int_equal(raftc_host_create_snapshot(sk, h, 9, 7, NULL, 0, snap_data, 3), RAFTC_OK);
    assert_int_equal(raftc_sink_count(sk), 1);
    uint64_t si = 0, sterm = 0;
    assert_int_equal(raftc_sink_get(&got, &got_len, sk, 0), RAFTC_OK);
    raftc_sink *a, *c2;
    assert_int_equal(raftc_sink_new(&a), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&c2), RAFTC_OK);
    assert_int_equal(raftc_snapshot_decode(&si, &sterm, a, c2, got, got_len), RAFTC_OK);
    assert_int_equal(si, 7);
    assert_int_equal(sterm, 2);
    raftc_sink_free(a);
    raftc_sink_free(c2);
    assert_int_equal(raftc_host_compact(h, 9, 9), RAFTC_EFAILED); /* beyond the last index */
    assert_non_null(strstr(raftc_host_last_error(h), "group 9: "));
    assert_int_equal(raftc_host_compact(h, 9, 6), RAFTC_OK);
    assert_int_equal(raftc_host_compact(h, 9, 5), RAFTC_ECOMPACTED);
    raftc_sink_free(sk);
    raftc_host_free(h);
}

static uint64_t rng_next(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15u;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Delivers the queue with losses (1/10), duplicates (1/20) and in a random order. */
static void cluster_deliver_faulty(cluster *c, uint64_t *rng)
{
    size_t n = c->nq;
    envelope *q = c->q;
    c->q = NULL;
    c->nq = c->capq = 0;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(rng) % i);
        envelope t = q[i - 1];
        q[i - 1] = q[j];
        q[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        int copies = rng_next(rng) % 10 == 0 ? 0 : (rng_next(rng) % 20 == 0 ? 2 : 1);
        for (int k = 0; k < copies; k++) {
            int rc = raftc_host_step(c->h[q[i].to], q[i].buf, q[i].len);
            /* A forwarded proposal reaching a node without leader is dropped (etcd). */
            assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
        }
        free(q[i].buf);
    }
    free(q);
}

/* At most one leader per term in each group, and no failed group. */
static void check_leaders(cluster *c)
{
    for (int g = 1; g <= c->groups; g++) {
        uint64_t lead_term[HOSTS];
        for (int i = 0; i < HOSTS; i++) {
            raftc_node *node;
            assert_int_equal(raftc_host_group(&node, c->h[i], (uint64_t)g), RAFTC_OK);
            assert_false(raftc_node_is_failed(node));
            uint64_t st[RAFTC_ST_COUNT];
            assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, node), RAFTC_OK);
            lead_term[i] = st[RAFTC_ST_RAFT_STATE] == RAFTC_STATE_LEADER ? st[RAFTC_ST_TERM] : 0;
            for (int j = 0; j < i; j++)
                assert_true(lead_term[i] == 0 || lead_term[i] != lead_term[j]);
        }
    }
}

/* Seeded runs over lossy, duplicating, reordering links with partitions (an isolated host is
 * declared down to the others: raftc_host_wake_peer), proposals everywhere, quiescence on or
 * off; after the faults a heal, and every group must catch up everywhere and (with quiescence)
 * go quiet. Safety is checked on every applied entry and every step. */
static void run_faults(uint64_t seed, bool quiesce)
{
    cluster *c = calloc(1, sizeof(*c));
    uint64_t rng = seed;
    print_message("host faults: seed=%llu quiesce=%d\n", (unsigned long long)seed, quiesce);
    cluster_init(c, 24, quiesce);
    cluster_settle(c);
    int isolated = -1;
    for (int step = 0; step < 600; step++) {
        uint64_t r = rng_next(&rng) % 100;
        if (r < 40) {
            for (int i = 0; i < HOSTS; i++)
                assert_true(raftc_host_tick(c->h[i]) == RAFTC_OK);
        } else if (r < 80) {
            int h = (int)(rng_next(&rng) % HOSTS);
            uint64_t g = rng_next(&rng) % (uint64_t)c->groups + 1;
            char data[32];
            int n = snprintf(data, sizeof(data), "s%d", step);
            int rc = raftc_host_propose(c->h[h], g, (const uint8_t *)data, (size_t)n);
            assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
        } else if (r < 85 && isolated < 0) {
            isolated = (int)(rng_next(&rng) % HOSTS);
            for (int i = 0; i < HOSTS; i++)
                if (i != isolated) {
                    c->cut[isolated][i] = c->cut[i][isolated] = true;
                    assert_int_equal(raftc_host_wake_peer(c->h[i], (uint64_t)isolated + 1),
                                     RAFTC_OK);
                }
        } else if (r < 92 && isolated >= 0) {
            memset(c->cut, 0, sizeof(c->cut));
            isolated = -1;
        }
        cluster_ready(c);
        cluster_deliver_faulty(c, &rng);
        check_leaders(c);
    }
    /* Heal; one proposal per group wakes it; then it must converge. */
    memset(c->cut, 0, sizeof(c->cut));
    cluster_ticks(c, 40);
    for (int g = 1; g <= c->groups; g++)
        for (int i = 0; i < HOSTS; i++)
            if (status(c, i, (uint64_t)g, RAFTC_ST_RAFT_STATE) == RAFTC_STATE_LEADER)
                assert_int_equal(raftc_host_propose(c->h[i], (uint64_t)g,
                                                    (const uint8_t *)"end", 3), RAFTC_OK);
    cluster_ticks(c, 40);
    check_leaders(c);
    for (int g = 1; g <= c->groups; g++) {
        assert_int_equal(c->applied[0][g].n, c->applied[1][g].n);
        assert_int_equal(c->applied[0][g].n, c->applied[2][g].n);
        assert_true(c->applied[0][g].n > BOOT);
    }
    if (quiesce)
        for (int i = 0; i < HOSTS; i++)
            assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
    cluster_free(c);
    free(c);
}

/* ---- memory per idle group ---- */

/* Counting allocator hooks: the count is the usable size of each block (malloc_usable_size:
 * what glibc actually reserves, as bench/run -w m counts it; under ASan or valgrind it is the
 * requested size). */
static int64_t mem_live;

static void *mem_malloc(void *ud, size_t size)
{
    (void)ud;
    void *p = malloc(size);
    if (p != NULL)
        mem_live += (int64_t)malloc_usable_size(p);
    return p;
}

static void *mem_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    size_t old = ptr != NULL ? malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, size);
    if (p == NULL)
        return NULL;
    mem_live += (int64_t)malloc_usable_size(p) - (int64_t)old;
    return p;
}

static void mem_free(void *ud, void *ptr)
{
    (void)ud;
    if (ptr == NULL)
        return;
    mem_live -= (int64_t)malloc_usable_size(ptr);
    free(ptr);
}

/* Issue 19's memory goal, asserted: the bytes the library holds per idle 3-voter group replica
 * (its packed block holding node and log, the host's entry and table slot; glibc's usable
 * sizes, as the benchmark counts them), measured after the
 * group elected a leader, committed one entry and went quiet. docs/multiraft.md ("Memory") has
 * the breakdown; a change that makes an idle group bigger than the goal fails here. */
#define IDLE_GROUP_BYTES_MAX 512

static void test_host_memory_per_idle_group(void **state)
{
    (void)state;
    assert_int_equal(raftc_set_allocator(mem_malloc, mem_realloc, mem_free, NULL), RAFTC_OK);
    mem_live = 0;
    cluster *c = calloc(1, sizeof(*c));
    cluster_init(c, 0, true);
    int64_t before = mem_live;
    c->groups = MAX_GROUPS;
    uint64_t voters[HOSTS] = {1, 2, 3};
    for (int i = 0; i < HOSTS; i++)
        for (int g = 1; g <= c->groups; g++)
            assert_int_equal(raftc_host_add_group(c->h[i], (uint64_t)g, voters, HOSTS),
                             RAFTC_OK);
    cluster_elect(c);
    propose_all(c, "x");
    cluster_ticks(c, 3);
    for (int i = 0; i < HOSTS; i++) {
        assert_int_equal(host_info(c, i, RAFTC_HO_AWAKE), 0);
        assert_int_equal(raftc_host_has_ready(c->h[i]), 0); /* releases the Ready buffers */
    }
    int64_t per_group = (mem_live - before) / (HOSTS * c->groups);
    printf("idle 3-voter group: %lld B (usable) per replica (%d groups x %d hosts; goal %d B)\n",
           (long long)per_group, c->groups, HOSTS, IDLE_GROUP_BYTES_MAX);
    cluster_free(c);
    free(c);
    assert_int_equal(mem_live, 0); /* everything went through the hooks and came back */
    assert_int_equal(raftc_set_allocator(NULL, NULL, NULL, NULL), RAFTC_OK);
    assert_true(per_group <= IDLE_GROUP_BYTES_MAX);
}

static void test_host_faults(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        run_faults(seed, true);
        run_faults(seed, false);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_args),
        cmocka_unit_test(test_host_replicate),
        cmocka_unit_test(test_host_heartbeats_coalesced),
        cmocka_unit_test(test_host_quiescence),
        cmocka_unit_test(test_host_partition_while_quiet),
        cmocka_unit_test(test_host_wake_follower),
        cmocka_unit_test(test_host_stale_heartbeat),
        cmocka_unit_test(test_host_stale_quiesce_no_leader),
        cmocka_unit_test(test_host_load_group),
        cmocka_unit_test(test_host_memory_per_idle_group),
        cmocka_unit_test(test_host_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
