/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_multiraft.c: workload (m), multi-raft hosts (raftc_host_*): G 3-voter groups on 3 hosts
 * in one process, exchanging envelopes in memory (copied, as a transport would). Reports
 *   - mr_mem_G: live library bytes per idle group replica (allocator hooks) and resident memory
 *     per group (the whole process's RSS growth, harness included, over the 3 replicas) and
 *     per replica (also after malloc_trim: what fragmentation keeps resident), with the goal
 *     (512 B per replica) and whether the RSS figure meets it;
 *   - mr_idle_G (quiesce on / off): CPU per idle group per second, at 10 ticks per second
 *     (ticks of all hosts + Readys + deliveries, process CPU time);
 *   - mr_write_G: entries/s committed with writes spread over all groups (64 proposals in 64
 *     random groups per round, rounds until every group wrote 4 entries on average).
 * Group g is led by host (g - 1) % 3.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#define MR_HOSTS 3
#define MR_TICKS_PER_S 10
/* Issue 19's memory goal per idle 3-voter group replica: reported beside the figures (met or
 * not), never a pass/fail test (tests/unit/test_host.c asserts the library's own bytes). */
#define MR_GOAL_BYTES 512

typedef struct mr_env {
    int to;
    uint8_t *buf;
    size_t len;
} mr_env;

typedef struct mr_cluster {
    raftc_host *h[MR_HOSTS];
    size_t groups;
    mr_env *q;
    size_t nq, capq;
    uint64_t committed; /* normal entries with data applied at the leaders */
} mr_cluster;

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &res) != 2)
        res = 0;
    fclose(f);
    return res * 4096;
}

static int mr_ready(mr_cluster *c, int *handled)
{
    *handled = 0;
    for (int i = 0; i < MR_HOSTS; i++) {
        if (!raftc_host_has_ready(c->h[i]))
            continue;
        raftc_batch *b;
        int rc = raftc_host_ready(&b, c->h[i]);
        if (rc != 0)
            return rc;
        (*handled)++;
        for (size_t k = 0; k < raftc_batch_group_count(b); k++) {
            uint64_t group;
            raftc_ready *rd;
            uint64_t info[RAFTC_RD_COUNT];
            if ((rc = raftc_batch_group(&group, &rd, b, k)) != 0 ||
                (rc = raftc_ready_info(info, RAFTC_RD_COUNT, rd)) != 0)
                return rc;
            if ((group - 1) % MR_HOSTS != (uint64_t)i)
                continue;
            for (uint64_t e = 0; e < info[RAFTC_RD_N_COMMITTED_ENTRIES]; e++) {
                uint64_t term, index;
                raftc_entry_type type;
                const uint8_t *data;
                size_t len;
                rc = raftc_ready_committed_entry_info(&term, &index, &type, &data, &len, rd,
                                                      (size_t)e);
                if (rc != 0)
                    return rc;
                if (type == RAFTC_ENTRY_NORMAL && len > 0)
                    c->committed++;
            }
        }
        for (size_t k = 0; k < raftc_batch_envelope_count(b); k++) {
            uint64_t to;
            const uint8_t *buf;
            size_t len;
            if ((rc = raftc_batch_envelope(&to, &buf, &len, b, k)) != 0)
                return rc;
            if (c->nq == c->capq) {
                c->capq = c->capq ? c->capq * 2 : 16;
                mr_env *q = realloc(c->q, c->capq * sizeof(*q));
                if (q == NULL)
                    return RAFTC_ENOMEM;
                c->q = q;
            }
            mr_env *e = &c->q[c->nq++];
            e->to = (int)to - 1;
            e->buf = malloc(len ? len : 1);
            if (e->buf == NULL)
                return RAFTC_ENOMEM;
            memcpy(e->buf, buf, len);
            e->len = len;
        }
        if ((rc = raftc_host_advance(c->h[i])) != 0)
            return rc;
    }
    return 0;
}

static int mr_deliver(mr_cluster *c)
{
    size_t n = c->nq;
    mr_env *q = c->q;
    int rc = 0;
    c->q = NULL;
    c->nq = c->capq = 0;
    for (size_t i = 0; i < n; i++) {
        int r = raftc_host_step(c->h[q[i].to], q[i].buf, q[i].len);
        if (r != 0 && rc == 0)
            rc = r;
        free(q[i].buf);
    }
    free(q);
    return rc;
}

static int mr_settle(mr_cluster *c)
{
    for (int round = 0; round < 1000; round++) {
        int handled, rc = mr_ready(c, &handled);
        if (rc != 0)
            return rc;
        if (handled == 0 && c->nq == 0)
            return 0;
        if ((rc = mr_deliver(c)) != 0)
            return rc;
    }
    return RAFTC_ESTATE;
}

static int mr_tick(mr_cluster *c)
{
    for (int i = 0; i < MR_HOSTS; i++) {
        int rc = raftc_host_tick(c->h[i]);
        if (rc != 0)
            return rc;
    }
    return mr_settle(c);
}

static void mr_free(mr_cluster *c)
{
    for (int i = 0; i < MR_HOSTS; i++)
        raftc_host_free(c->h[i]);
    for (size_t i = 0; i < c->nq; i++)
        free(c->q[i].buf);
    free(c->q);
}

/* Hosts with G elected groups that each committed one entry, then went quiet (quiesce on). */
static int mr_build(mr_cluster *c, size_t groups, const char **err)
{
    memset(c, 0, sizeof(*c));
    c->groups = groups;
    raftc_config *cfg;
    int rc = raftc_config_new(&cfg);
    if (rc != 0)
        return rc;
    raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10);
    raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1);
    raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, 1);
    raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, 1);
    static const uint64_t voters[MR_HOSTS] = {1, 2, 3};
    *err = "host/group creation";
    for (int i = 0; i < MR_HOSTS && rc == 0; i++) {
        rc = raftc_host_new(&c->h[i], cfg, (uint64_t)i + 1);
        if (rc == 0)
            rc = raftc_host_set_quiesce(c->h[i], 1);
        for (size_t g = 1; g <= groups && rc == 0; g++)
            rc = raftc_host_add_group(c->h[i], g, voters, MR_HOSTS);
    }
    raftc_config_free(cfg);
    if (rc == 0)
        rc = mr_settle(c);
    *err = "election";
    for (size_t g = 1; g <= groups && rc == 0; g++)
        rc = raftc_host_campaign(c->h[(g - 1) % MR_HOSTS], g);
    if (rc == 0)
        rc = mr_settle(c);
    *err = "first write";
    for (size_t g = 1; g <= groups && rc == 0; g++)
        rc = raftc_host_propose(c->h[(g - 1) % MR_HOSTS], g, (const uint8_t *)"x", 1);
    if (rc == 0)
        rc = mr_settle(c);
    *err = "quiescence";
    for (int t = 0; t < 3 && rc == 0; t++)
        rc = mr_tick(c);
    uint64_t info[RAFTC_HO_COUNT];
    for (int i = 0; i < MR_HOSTS && rc == 0; i++)
        if ((rc = raftc_host_info(info, RAFTC_HO_COUNT, c->h[i])) == 0 && info[RAFTC_HO_AWAKE])
            rc = RAFTC_ESTATE;
    if (rc == 0 && c->committed != groups) {
        *err = "first write not committed everywhere";
        rc = RAFTC_ESTATE;
    }
    return rc;
}

/* CPU per idle group per second over `ticks` ticks of all hosts. */
static int mr_idle(mr_cluster *c, int quiesce, int ticks)
{
    int rc = 0;
    for (int i = 0; i < MR_HOSTS && rc == 0; i++)
        rc = raftc_host_set_quiesce(c->h[i], quiesce);
    for (int t = 0; t < 2 && rc == 0; t++) /* let the wake-up heartbeats go round */
        rc = mr_tick(c);
    uint64_t t0 = cpu_ns();
    for (int t = 0; t < ticks && rc == 0; t++)
        rc = mr_tick(c);
    uint64_t dt = cpu_ns() - t0;
    if (rc != 0)
        return rc;
    uint64_t awake = 0, info[RAFTC_HO_COUNT];
    for (int i = 0; i < MR_HOSTS && rc == 0; i++)
        if ((rc = raftc_host_info(info, RAFTC_HO_COUNT, c->h[i])) == 0)
            awake += info[RAFTC_HO_AWAKE];
    char name[48], fields[200];
    snprintf(name, sizeof name, "mr_idle_%s_%zu", quiesce ? "quiesced" : "ticking", c->groups);
    double per_group_s = (double)dt / (double)ticks * MR_TICKS_PER_S / (double)c->groups;
    snprintf(fields, sizeof fields,
             "\"groups\":%zu,\"ticks\":%d,\"awake_replicas\":%llu,\"ns_per_group_s\":%.1f",
             c->groups, ticks, (unsigned long long)awake, per_group_s);
    bench_emit(name, fields);
    return 0;
}

static uint64_t mr_rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Entries/s with writes spread over the groups (quiescence on: groups wake and sleep). */
static int mr_write(mr_cluster *c)
{
    uint64_t seed = 42, before = c->committed;
    size_t rounds = c->groups * 4 / 64;
    if (rounds < 16)
        rounds = 16;
    static const uint8_t payload[16] = "0123456789abcdef";
    uint64_t t0 = bench_now_ns(), c0 = cpu_ns();
    int rc = 0;
    for (size_t r = 0; r < rounds && rc == 0; r++) {
        for (int k = 0; k < 64 && rc == 0; k++) {
            uint64_t g = mr_rng(&seed) % c->groups + 1;
            rc = raftc_host_propose(c->h[(g - 1) % MR_HOSTS], g, payload, sizeof payload);
        }
        if (rc == 0)
            rc = mr_settle(c);
        if (rc == 0 && r % 8 == 7)
            rc = mr_tick(c);
    }
    uint64_t dt = bench_now_ns() - t0, dc = cpu_ns() - c0;
    if (rc != 0)
        return rc;
    uint64_t n = c->committed - before;
    char name[48], fields[160];
    snprintf(name, sizeof name, "mr_write_%zu", c->groups);
    snprintf(fields, sizeof fields,
             "\"groups\":%zu,\"entries\":%llu,\"entries_per_s\":%.0f,\"entries_per_cpu_s\":%.0f",
             c->groups, (unsigned long long)n, (double)n * 1e9 / (double)dt,
             (double)n * 1e9 / (double)dc);
    bench_emit(name, fields);
    return 0;
}

static void mr_run(size_t groups, int ticks)
{
    mr_cluster c;
    const char *err = "";
    char name[48];
    snprintf(name, sizeof name, "mr_mem_%zu", groups);
    long r0 = rss_bytes();
    int64_t h0 = bench_alloc_live();
    int rc = mr_build(&c, groups, &err);
    int64_t h1 = bench_alloc_live();
    long r1 = rss_bytes();
    malloc_trim(0); /* what stays resident once free pages go back to the system */
    long r2 = rss_bytes();
    if (rc == 0) {
        char fields[320];
        double rss_replica = (double)(r1 - r0) / (double)(groups * MR_HOSTS);
        /* The goal is the "inside raftc": live (usable) bytes per replica. RSS also
         * holds the creation peak's freed, fragmented pages (docs/multiraft.md). */
        double live_replica = (double)(h1 - h0) / (double)(groups * MR_HOSTS);
        snprintf(fields, sizeof fields,
                 "\"groups\":%zu,\"bytes_per_group\":%.1f,\"rss_per_group\":%.1f,"
                 "\"rss_per_replica\":%.1f,\"rss_per_replica_trimmed\":%.1f,"
                 "\"goal_bytes_per_replica\":%d,\"goal_met\":%s",
                 groups, live_replica,
                 (double)(r1 - r0) / (double)groups, rss_replica,
                 (double)(r2 - r0) / (double)(groups * MR_HOSTS), MR_GOAL_BYTES,
                 live_replica <= MR_GOAL_BYTES ? "true" : "false");
        bench_emit(name, fields);
        err = "idle";
        rc = mr_idle(&c, 1, ticks);
        if (rc == 0)
            rc = mr_idle(&c, 0, ticks);
        err = "writes";
        if (rc == 0)
            rc = raftc_host_set_quiesce(c.h[0], 1) | raftc_host_set_quiesce(c.h[1], 1) |
                 raftc_host_set_quiesce(c.h[2], 1);
        for (int t = 0; t < 3 && rc == 0; t++)
            rc = mr_tick(&c);
        if (rc == 0)
            rc = mr_write(&c);
    }
    if (rc != 0)
        bench_emit_error(name, err, rc, "");
    mr_free(&c);
}

void bench_multiraft(void)
{
    const char *only = getenv("RAFTC_BENCH_MR_GROUPS"); /* one size only (profiling) */
    if (only != NULL) {
        mr_run((size_t)strtoull(only, NULL, 10), 20);
        return;
    }
    mr_run(bench_pick(1000, 10000), (int)bench_pick(10, 50));
    if (!bench_quick)
        mr_run(100000, 20);
}
