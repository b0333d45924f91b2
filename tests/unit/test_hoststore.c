/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_hoststore.c: the durable storage of a multi-raft host (raftc_hoststore_*): argument
 * checks; a host restarted from its store after a power cut keeps every group (one fsync per
 * host Ready); snapshots and checkpoints; power cuts at random points (seeded, printed) never
 * lose an acknowledged entry; torn tails are cut, corruption and foreign files are refused with
 * a clear error, a second open of a directory is refused.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "raftc.h"

#define GROUPS 16
#define MAX_PAYLOADS 4096

static uint64_t rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static raftc_host *new_host(uint64_t id)
{
    raftc_config *cfg;
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    raftc_host *h;
    assert_int_equal(raftc_host_new(&h, cfg, id), RAFTC_OK);
    raftc_config_free(cfg);
    return h;
}

static uint64_t info(const raftc_hoststore *hs, int field)
{
    uint64_t v[RAFTC_HS_COUNT];
    assert_int_equal(raftc_hoststore_info(v, RAFTC_HS_COUNT, hs), RAFTC_OK);
    return v[field];
}

/* A one-node world: host 1 with single-voter groups (each commits alone), its store, and the
 * payloads each group applied. */
typedef struct world {
    raftc_host *h;
    raftc_hoststore *hs;
    char path[64];
    uint64_t applied[GROUPS + 1][MAX_PAYLOADS];
    size_t n_applied[GROUPS + 1];
} world;

static void world_open(world *w)
{
    char err[256];
    int rc = raftc_hoststore_open(&w->hs, err, sizeof(err), w->path, 4096);
    if (rc != RAFTC_OK)
        fail_msg("raftc_hoststore_open(%s): %s", w->path, err);
    w->h = new_host(1);
    memset(w->n_applied, 0, sizeof(w->n_applied));
    assert_int_equal(raftc_hoststore_load(w->hs, w->h), RAFTC_OK);
}

static void world_close(world *w)
{
    raftc_host_free(w->h);
    raftc_hoststore_free(w->hs);
    w->h = NULL;
    w->hs = NULL;
}

/* One host Ready: save (must succeed unless failing), apply, advance. Returns the save's code,
 * and *acked gets 1 when the save made it durable. */
static int world_ready(world *w)
{
    raftc_batch *b;
    assert_int_equal(raftc_host_ready(&b, w->h), RAFTC_OK);
    int rc = raftc_hoststore_save(w->hs, w->h);
    if (rc != RAFTC_OK)
        return rc;
    for (size_t i = 0; i < raftc_batch_group_count(b); i++) {
        uint64_t g;
        raftc_ready *rd;
        assert_int_equal(raftc_batch_group(&g, &rd, b, i), RAFTC_OK);
        uint64_t ri[RAFTC_RD_COUNT];
        assert_int_equal(raftc_ready_info(ri, RAFTC_RD_COUNT, rd), RAFTC_OK);
        for (size_t k = 0; k < ri[RAFTC_RD_N_COMMITTED_ENTRIES]; k++) {
            const uint8_t *buf;
            size_t len;
            assert_int_equal(raftc_ready_committed_entry(&buf, &len, rd, k), RAFTC_OK);
            uint64_t term, index;
            raftc_entry_type type;
            const uint8_t *data;
            size_t dlen;
            assert_int_equal(raftc_entry_decode(&term, &index, &type, &data, &dlen, buf, len),
                             RAFTC_OK);
            if (type == RAFTC_ENTRY_NORMAL && dlen == 8) {
                uint64_t id;
                memcpy(&id, data, 8);
                assert_true(w->n_applied[g] < MAX_PAYLOADS);
                w->applied[g][w->n_applied[g]++] = id;
            } else if (type == RAFTC_ENTRY_CONF_CHANGE) {
                raftc_node *n;
                raftc_sink *cs;
                assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
                assert_int_equal(raftc_host_group(&n, w->h, g), RAFTC_OK);
                assert_int_equal(raftc_node_apply_conf_change(cs, n, RAFTC_CC_V1, data, dlen),
                                 RAFTC_OK);
                raftc_sink_free(cs);
            }
        }
    }
    assert_int_equal(raftc_host_advance(w->h), RAFTC_OK);
    return RAFTC_OK;
}

static void world_drain(world *w)
{
    for (int round = 0; raftc_host_has_ready(w->h); round++) {
        assert_true(round < 100);
        assert_int_equal(world_ready(w), RAFTC_OK);
    }
}

/* Every group campaigns (a single voter elects itself) and commits what it has. */
static void world_elect(world *w)
{
    world_drain(w); /* a reloaded group applies its committed conf changes first */
    for (uint64_t g = 1; g <= GROUPS; g++) {
        int rc = raftc_host_campaign(w->h, g);
        assert_true(rc == RAFTC_OK || rc == RAFTC_ENOTFOUND); /* removed */
    }
    world_drain(w);
}

static bool has_payload(const world *w, uint64_t g, uint64_t id)
{
    for (size_t i = 0; i < w->n_applied[g]; i++)
        if (w->applied[g][i] == id)
            return true;
    return false;
}

static void memfs(int on)
{
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, (uint64_t)on), RAFTC_OK);
}

/* ---- tests ---- */

static void test_hoststore_args(void **state)
{
    (void)state;
    memfs(1);
    char err[128] = "x";
    raftc_hoststore *hs = (raftc_hoststore *)&err;
    assert_int_equal(raftc_hoststore_open(&hs, err, sizeof(err), NULL, 0), RAFTC_EINVAL);
    assert_null(hs);
    assert_string_equal(err, "invalid argument");
    assert_int_equal(raftc_hoststore_open(NULL, NULL, 0, "memfs:1/a", 0), RAFTC_EINVAL);
    assert_int_equal(raftc_hoststore_open(&hs, err, sizeof(err), "memfs:1/a", 0), RAFTC_OK);
    assert_string_equal(err, "");
    raftc_hoststore *again;
    assert_int_equal(raftc_hoststore_open(&again, err, sizeof(err), "memfs:1/a", 0),
                     RAFTC_ELOCKED);
    assert_non_null(strstr(err, "locked"));
    raftc_host *h = new_host(1);
    assert_int_equal(raftc_hoststore_save(hs, h), RAFTC_ESTATE); /* no host Ready */
    assert_int_equal(raftc_hoststore_save(NULL, h), RAFTC_EINVAL);
    assert_int_equal(raftc_hoststore_load(hs, NULL), RAFTC_EINVAL);
    assert_int_equal(raftc_hoststore_load(hs, h), RAFTC_OK); /* nothing stored */
    assert_int_equal(raftc_hoststore_remove_group(hs, h, 5), RAFTC_ENOTFOUND);
    assert_non_null(strstr(raftc_hoststore_last_error(hs), "group 5 not found"));
    assert_int_equal(raftc_hoststore_create_snapshot(NULL, hs, h, 5, 1, NULL, 0, NULL, 0),
                     RAFTC_ENOTFOUND);
    assert_int_equal(raftc_hoststore_info(NULL, 1, hs), RAFTC_EINVAL);
    assert_string_equal(raftc_hoststore_last_error(NULL), "");
    raftc_host_free(h);
    raftc_hoststore_free(hs);
    raftc_hoststore_free(NULL);
    memfs(0);
}

/* Groups survive a power cut of the host's machine: everything saved comes back (one fsync
 * per host Ready covering all its groups); removed groups stay removed; snapshots and
 * checkpoints keep the log short and are recovered. */
static void test_hoststore_restart(void **state)
{
    (void)state;
    memfs(1);
    world *w = calloc(1, sizeof(*w));
    snprintf(w->path, sizeof(w->path), "memfs:2/host");
    world_open(w);
    uint64_t one = 1;
    for (uint64_t g = 1; g <= GROUPS; g++)
        assert_int_equal(raftc_host_add_group(w->h, g, &one, 1), RAFTC_OK);
    world_drain(w);
    world_elect(w);
    uint64_t saves = info(w->hs, RAFTC_HS_SAVES), fsyncs = info(w->hs, RAFTC_HS_FSYNCS);
    /* a proposal in every group: one host Ready, one write, one fsync */
    for (uint64_t g = 1; g <= GROUPS; g++) {
        uint64_t id = 1000 + g;
        assert_int_equal(raftc_host_propose(w->h, g, (const uint8_t *)&id, 8), RAFTC_OK);
    }
    raftc_batch *b;
    assert_int_equal(raftc_host_ready(&b, w->h), RAFTC_OK);
    assert_int_equal(raftc_batch_group_count(b), GROUPS);
    assert_int_equal(raftc_hoststore_save(w->hs, w->h), RAFTC_OK);
    assert_int_equal(info(w->hs, RAFTC_HS_SAVES), saves + 1);
    assert_int_equal(info(w->hs, RAFTC_HS_FSYNCS), fsyncs + 1);
    assert_int_equal(raftc_hoststore_save(w->hs, w->h), RAFTC_OK); /* the same Ready again */
    assert_int_equal(raftc_host_advance(w->h), RAFTC_OK);
    world_drain(w);
    /* many more entries (checkpoints at 4 KiB), a snapshot in group 1 (compacted), group 2
     * removed */
    for (uint64_t id = 2000; id < 2600; id++) {
        uint64_t g = 1 + id % GROUPS;
        assert_int_equal(raftc_host_propose(w->h, g, (const uint8_t *)&id, 8), RAFTC_OK);
        world_drain(w);
    }
    assert_true(info(w->hs, RAFTC_HS_CHECKPOINTS) > 0);
    assert_true(info(w->hs, RAFTC_HS_LOG_BYTES) < 64 * 1024);
    raftc_node *n;
    assert_int_equal(raftc_host_group(&n, w->h, 1), RAFTC_OK);
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, n), RAFTC_OK);
    uint64_t snap_at = st[RAFTC_ST_APPLIED];
    raftc_sink *cs;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_node_conf_state(cs, n), RAFTC_OK);
    const uint8_t *csb;
    size_t csl;
    assert_int_equal(raftc_sink_get(&csb, &csl, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_hoststore_create_snapshot(NULL, w->hs, w->h, 1, snap_at, csb, csl,
                                                     (const uint8_t *)"sm", 2),
                     RAFTC_OK);
    raftc_sink_free(cs);
    assert_int_equal(raftc_host_compact(w->h, 1, snap_at), RAFTC_OK);
    assert_int_equal(raftc_hoststore_remove_group(w->hs, w->h, 2), RAFTC_OK);
    uint64_t id = 9999;
    assert_int_equal(raftc_host_propose(w->h, 3, (const uint8_t *)&id, 8), RAFTC_OK);
    world_drain(w);
    /* the power goes */
    raftc_host_free(w->h);
    w->h = NULL;
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 2), RAFTC_OK);
    raftc_hoststore_free(w->hs);
    char err[256];
    assert_int_equal(raftc_hoststore_open(&w->hs, err, sizeof(err), w->path, 4096), RAFTC_OK);
    assert_int_equal(info(w->hs, RAFTC_HS_RECOVERED), GROUPS - 1);
    w->h = new_host(1);
    memset(w->n_applied, 0, sizeof(w->n_applied));
    assert_int_equal(raftc_hoststore_load(w->hs, w->h), RAFTC_OK);
    assert_int_equal(info(w->hs, RAFTC_HS_RECOVERED), 0);
    assert_int_equal(raftc_host_group_count(w->h), GROUPS - 1);
    assert_int_equal(raftc_host_group(&n, w->h, 2), RAFTC_ENOTFOUND);
    assert_int_equal(raftc_host_group(&n, w->h, 1), RAFTC_OK);
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, n), RAFTC_OK);
    assert_int_equal(st[RAFTC_ST_APPLIED], snap_at); /* restarted at its snapshot */
    world_elect(w);
    /* every payload is applied again (group 1 after its snapshot only) */
    assert_true(has_payload(w, 3, 9999));
    for (uint64_t p = 2000; p < 2600; p++) {
        uint64_t g = 1 + p % GROUPS;
        if (g != 2 && g != 1)
            assert_true(has_payload(w, g, p));
    }
    for (uint64_t g = 3; g <= GROUPS; g++)
        assert_true(has_payload(w, g, 1000 + g));
    world_close(w);
    free(w);
    memfs(0);
}

/* Power cuts at random points (seeded): after each, every payload whose save returned is
 * applied again; a failed store is reopened. */
static void test_hoststore_power_cuts(void **state)
{
    (void)state;
    memfs(1);
    const uint64_t seed = 42;
    uint64_t r = seed, cuts = 0, torn = 0;
    world *w = calloc(1, sizeof(*w));
    static uint64_t acked[GROUPS + 1][MAX_PAYLOADS];
    static size_t n_acked[GROUPS + 1];
    memset(n_acked, 0, sizeof(n_acked));
    snprintf(w->path, sizeof(w->path), "memfs:3/host");
    world_open(w);
    uint64_t one = 1;
    for (uint64_t g = 1; g <= GROUPS; g++)
        assert_int_equal(raftc_host_add_group(w->h, g, &one, 1), RAFTC_OK);
    world_drain(w);
    world_elect(w);
    uint64_t next = 1;
    for (int round = 0; round < 150; round++) {
        int ops = 1 + (int)(rng(&r) % 30);
        for (int k = 0; k < ops; k++) {
            uint64_t g = 1 + rng(&r) % GROUPS;
            uint64_t id = next++;
            assert_int_equal(raftc_host_propose(w->h, g, (const uint8_t *)&id, 8), RAFTC_OK);
            if (rng(&r) % 3 == 0) {
                world_drain(w);
                /* durable (saved, fsynced, applied): acknowledged */
                for (uint64_t gg = 1; gg <= GROUPS; gg++)
                    for (size_t i = n_acked[gg]; i < w->n_applied[gg]; i++)
                        acked[gg][n_acked[gg]++] = w->applied[gg][i];
            }
        }
        /* the power goes at a random point: maybe with a Ready half saved */
        if (raftc_host_has_ready(w->h) && rng(&r) % 2) {
            raftc_batch *b;
            assert_int_equal(raftc_host_ready(&b, w->h), RAFTC_OK);
        }
        raftc_host_free(w->h);
        w->h = NULL;
        assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 3),
                         RAFTC_OK);
        raftc_hoststore_free(w->hs);
        cuts++;
        world_open(w);
        torn += info(w->hs, RAFTC_HS_TORN_BYTES) > 0;
        world_elect(w);
        for (uint64_t g = 1; g <= GROUPS; g++)
            for (size_t i = 0; i < n_acked[g]; i++)
                if (!has_payload(w, g, acked[g][i]))
                    fail_msg("seed %llu, cut %llu: group %llu lost acknowledged payload %llu",
                             (unsigned long long)seed, (unsigned long long)cuts,
                             (unsigned long long)g, (unsigned long long)acked[g][i]);
        for (uint64_t g = 1; g <= GROUPS; g++) { /* what was applied now is acknowledged */
            n_acked[g] = w->n_applied[g];
            memcpy(acked[g], w->applied[g], n_acked[g] * sizeof(uint64_t));
        }
    }
    printf("hoststore power cuts: seed %llu, %llu cuts (%llu with a torn tail), %llu payloads\n",
           (unsigned long long)seed, (unsigned long long)cuts, (unsigned long long)torn,
           (unsigned long long)next - 1);
    world_close(w);
    free(w);
    memfs(0);
}

/* On a real directory: a torn tail is cut, a flipped byte inside the log and a foreign file
 * are refused with RAFTC_ECORRUPT and a message naming the file. */
static void test_hoststore_damage(void **state)
{
    (void)state;
    char dir[] = "/tmp/raftc-hoststore-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char logp[128];
    snprintf(logp, sizeof(logp), "%s/host.log", dir);
    world *w = calloc(1, sizeof(*w));
    snprintf(w->path, sizeof(w->path), "%s", dir);
    world_open(w);
    uint64_t one = 1;
    for (uint64_t g = 1; g <= GROUPS; g++)
        assert_int_equal(raftc_host_add_group(w->h, g, &one, 1), RAFTC_OK);
    world_drain(w);
    world_elect(w);
    for (uint64_t id = 1; id <= 40; id++) {
        assert_int_equal(raftc_host_propose(w->h, 1 + id % GROUPS, (const uint8_t *)&id, 8),
                         RAFTC_OK);
        world_drain(w);
    }
    world_close(w);
    FILE *f = fopen(logp, "rb");
    assert_non_null(f);
    static uint8_t orig[1 << 20];
    size_t len = fread(orig, 1, sizeof(orig), f);
    fclose(f);
    assert_true(len > 1000 && len < sizeof(orig));

    char err[256];
    raftc_hoststore *hs;
    /* torn tail: the last 7 bytes missing */
    f = fopen(logp, "wb");
    assert_int_equal(fwrite(orig, 1, len - 7, f), len - 7);
    fclose(f);
    assert_int_equal(raftc_hoststore_open(&hs, err, sizeof(err), dir, 0), RAFTC_OK);
    assert_true(info(hs, RAFTC_HS_TORN_BYTES) > 0);
    assert_int_equal(info(hs, RAFTC_HS_RECOVERED), GROUPS);
    raftc_hoststore_free(hs);
    /* a flipped byte in the middle */
    uint8_t *bad = malloc(len);
    memcpy(bad, orig, len);
    bad[len / 2] ^= 0x40;
    f = fopen(logp, "wb");
    assert_int_equal(fwrite(bad, 1, len, f), len);
    fclose(f);
    hs = (raftc_hoststore *)bad;
    assert_int_equal(raftc_hoststore_open(&hs, err, sizeof(err), dir, 0), RAFTC_ECORRUPT);
    assert_null(hs);
    assert_non_null(strstr(err, "corrupt host log"));
    assert_non_null(strstr(err, "host.log"));
    /* not a host log */
    f = fopen(logp, "wb");
    fputs("hello, this is not a raftc host log at all, but it is long enough", f);
    fclose(f);
    assert_int_equal(raftc_hoststore_open(&hs, err, sizeof(err), dir, 0), RAFTC_ECORRUPT);
    free(bad);
    free(w);
    char lockp[128];
    snprintf(lockp, sizeof(lockp), "%s/LOCK", dir);
    unlink(logp);
    unlink(lockp);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hoststore_args),
        cmocka_unit_test(test_hoststore_restart),
        cmocka_unit_test(test_hoststore_power_cuts),
        cmocka_unit_test(test_hoststore_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
