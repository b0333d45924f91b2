/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_canonical.c: canonical-bench, the canonical/raft (libraft 0.15) side of bench/run, over
 * the in-memory backend of cio.h. Usage: canonical-bench [--quick] [-w a|b|a1|all] [--run N];
 * one JSON object per result line, the shape of bench/c. Workloads:
 * (a) one voter: raft_apply of 1 or 64 entries (single_b1, single_b64: one raft_apply per entry;
 *     single_p64: one raft_apply with 64 buffers), then the loop runs until the completions are
 *     done (append callback -> commit -> FSM apply);
 * (b) three voters: node 1 leads and applies 64 entries per round (4 at 64 KiB) with at most
 *     4 rounds in flight; a round runs every queued completion, then delivers every message
 *     (canonical's wire encoding, copied into a queue and decoded by the receiver).
 * raft keeps its own log; snapshots every 8192 (a) / 4096 (b) entries, 512 trailing, stand in
 * for the other harnesses' compaction. Allocations counted through raft_heap_set.
 * (c) codec and (d) memory: canonical_codec.c, canonical_memory.c.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cbench.h"

static int quick;
static int run_id;

uint64_t cb_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

size_t cb_pick(size_t q, size_t full)
{
    return quick ? q : full;
}

/* ---- counting heap ---- */

static uint64_t g_allocs;
static int64_t g_live;
static int g_track;

uint64_t cb_alloc_calls(void)
{
    return g_allocs;
}
int64_t cb_alloc_live(void)
{
    return g_live;
}
void cb_track_live(int on)
{
    g_track = on;
}

static void *counted(void *p)
{
    g_allocs++;
    if (p != NULL && g_track)
        g_live += (int64_t)malloc_usable_size(p);
    return p;
}
static void *h_malloc(void *d, size_t n)
{
    (void)d;
    return counted(malloc(n));
}
static void h_free(void *d, void *p)
{
    (void)d;
    if (p != NULL && g_track)
        g_live -= (int64_t)malloc_usable_size(p);
    free(p);
}
static void *h_calloc(void *d, size_t n, size_t s)
{
    (void)d;
    return counted(calloc(n, s));
}
static void *h_realloc(void *d, void *p, size_t n)
{
    (void)d;
    size_t old = p != NULL && g_track ? malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (q != NULL || n == 0)
        g_live -= (int64_t)old;
    return counted(q);
}
static void *h_aligned_alloc(void *d, size_t a, size_t n)
{
    (void)d;
    return counted(aligned_alloc(a, (n + a - 1) / a * a));
}
static void h_aligned_free(void *d, size_t a, void *p)
{
    (void)a;
    h_free(d, p);
}

/* ---- output ---- */

void cb_emit(const char *bench, const char *fields)
{
    printf("{\"lib\":\"canonical-raft\",\"version\":\"0.15.0\",\"bench\":\"%s\",\"run\":%d%s%s}\n",
           bench, run_id, fields[0] ? "," : "", fields);
    fflush(stdout);
}

void cb_emit_error(const char *bench, const char *what, int rc)
{
    char f[300];
    snprintf(f, sizeof f, "\"error\":\"%s: %s\"", what, rc ? raft_strerror(rc) : "");
    cb_emit(bench, f);
    fprintf(stderr, "canonical-raft %s: %s: %s\n", bench, what, rc ? raft_strerror(rc) : "");
}

/* ---- a node ---- */

static int fsm_apply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
    cnode *n = fsm->data;
    n->applied += buf->len > 0;
    *result = NULL;
    return 0;
}

static int fsm_snapshot(struct raft_fsm *fsm, struct raft_buffer *bufs[], unsigned *n_bufs)
{
    cnode *n = fsm->data;
    struct raft_buffer *b = raft_malloc(sizeof *b);
    void *d = raft_malloc(sizeof n->applied);
    if (b == NULL || d == NULL) {
        raft_free(b);
        raft_free(d);
        return RAFT_NOMEM;
    }
    memcpy(d, &n->applied, sizeof n->applied);
    b->base = d;
    b->len = sizeof n->applied;
    *bufs = b;
    *n_bufs = 1;
    return 0;
}

static int fsm_restore(struct raft_fsm *fsm, struct raft_buffer *buf)
{
    cnode *n = fsm->data;
    if (buf->len == sizeof n->applied)
        memcpy(&n->applied, buf->base, sizeof n->applied);
    raft_free(buf->base);
    return 0;
}

int cnode_start(cnode *n, cio_loop *l, raft_id id, unsigned n_voters, unsigned threshold)
{
    memset(n, 0, sizeof *n);
    cio_node_init(&n->io, l, id);
    n->fsm.version = 1;
    n->fsm.data = n;
    n->fsm.apply = fsm_apply;
    n->fsm.snapshot = fsm_snapshot;
    n->fsm.restore = fsm_restore;
    int rc = raft_init(&n->r, &n->io.io, &n->fsm, id, n->io.address);
    if (rc != 0)
        return rc;
    n->r.data = n;
    raft_set_snapshot_threshold(&n->r, threshold);
    raft_set_snapshot_trailing(&n->r, 512);
    struct raft_configuration conf;
    raft_configuration_init(&conf);
    char addr[8];
    for (raft_id v = 1; v <= n_voters && rc == 0; v++) {
        snprintf(addr, sizeof addr, "%llu", (unsigned long long)v);
        rc = raft_configuration_add(&conf, v, addr, RAFT_VOTER);
    }
    if (rc == 0)
        rc = raft_bootstrap(&n->r, &conf);
    raft_configuration_close(&conf);
    if (rc == 0)
        rc = raft_start(&n->r);
    return rc;
}

static void on_close(struct raft *r)
{
    ((cnode *)r->data)->closed = 1;
}

void cnodes_free(cnode *ns, size_t count, cio_loop *l)
{
    for (size_t i = 0; i < count; i++)
        raft_close(&ns[i].r, on_close);
    for (int k = 0; k < 1000 && cio_loop_busy(l); k++)
        cio_loop_pump(l);
    for (size_t i = 0; i < count; i++)
        cio_node_close(&ns[i].io);
}

/* Advances the clock by the heartbeat until node 1 leads (node 1 times out first). */
static int elect(cnode *ns, cio_loop *l)
{
    raft_time t = 0;
    for (int k = 0; k < 100 && raft_state(&ns[0].r) != RAFT_LEADER; k++) {
        t += 100;
        cio_loop_set_time(l, t);
        cio_loop_tick(l);
        int rc = cio_loop_pump(l);
        if (rc != 0)
            return rc;
    }
    for (int k = 0; k < 100 && cio_loop_busy(l); k++)
        cio_loop_pump(l);
    return raft_state(&ns[0].r) == RAFT_LEADER ? 0 : RAFT_NOTLEADER;
}

/* ---- proposals: raft_apply requests from a free list ---- */

static void on_applied(struct raft_apply *req, int status, void *result)
{
    (void)result;
    pool *p = req->data;
    if (status != 0)
        p->failed = status;
    p->free[p->n_free++] = req;
}

int pool_init(pool *p, size_t n)
{
    p->reqs = calloc(n, sizeof *p->reqs);
    p->free = calloc(n, sizeof *p->free);
    p->n_free = 0;
    p->failed = 0;
    if (p->reqs == NULL || p->free == NULL)
        return RAFT_NOMEM;
    for (size_t i = 0; i < n; i++)
        p->free[p->n_free++] = &p->reqs[i];
    return 0;
}

void pool_free(pool *p)
{
    free(p->reqs);
    free(p->free);
}

int propose(cnode *n, pool *p, const uint8_t *payload, size_t size, size_t count,
                   int one_call)
{
    struct raft_buffer bufs[64];
    size_t per = one_call ? count : 1;
    if (per > 64)
        return RAFT_INVALID;
    for (size_t done = 0; done < count; done += per) {
        if (p->n_free == 0)
            return RAFT_TOOMANY;
        for (size_t j = 0; j < per; j++) {
            bufs[j].base = raft_malloc(size);
            if (bufs[j].base == NULL)
                return RAFT_NOMEM;
            memcpy(bufs[j].base, payload, size);
            bufs[j].len = size;
        }
        struct raft_apply *req = p->free[--p->n_free];
        req->data = p;
        int rc = raft_apply(&n->r, req, bufs, (unsigned)per, on_applied);
        if (rc != 0) {
            for (size_t j = 0; j < per; j++)
                raft_free(bufs[j].base);
            p->free[p->n_free++] = req;
            return rc;
        }
    }
    return 0;
}

/* ---- (a) one voter ---- */

static int single_run(cnode *n, cio_loop *l, pool *p, const char *name, size_t batch,
                      int one_call, size_t count)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    uint64_t start = n->applied;
    int stall = 0;
    while (n->applied - start < count) {
        int rc = propose(n, p, payload, sizeof payload, batch, one_call);
        if (rc != 0) {
            cb_emit_error(name, "raft_apply", rc);
            return rc;
        }
        uint64_t before = n->applied;
        for (int k = 0; k < 16 && cio_loop_busy(l); k++) {
            if ((rc = cio_loop_pump(l)) != 0) {
                cb_emit_error(name, "pump", rc);
                return rc;
            }
        }
        if (p->failed) {
            cb_emit_error(name, "apply callback", p->failed);
            return p->failed;
        }
        if (n->applied == before && ++stall > 1000) {
            cb_emit_error(name, "no progress (entries not committed)", 0);
            return RAFT_IOERR;
        }
        if (n->applied != before)
            stall = 0;
    }
    return 0;
}

static void bench_single(size_t batch, int one_call, size_t total)
{
    char name[32], fields[400];
    snprintf(name, sizeof name, one_call ? "single_p%zu" : "single_b%zu", batch);
    cio_loop *l = cio_loop_new();
    cnode *n = calloc(1, sizeof *n);
    pool p = {0};
    int rc = l == NULL || n == NULL ? RAFT_NOMEM : cnode_start(n, l, 1, 1, 8192);
    if (rc == 0)
        rc = elect(n, l);
    if (rc == 0)
        rc = pool_init(&p, 1024);
    if (rc != 0) {
        cb_emit_error(name, "start", rc);
    } else if (single_run(n, l, &p, name, batch, one_call, total / 10) == 0) {
        uint64_t a0 = cb_alloc_calls();
        uint64_t t0 = cb_now_ns();
        rc = single_run(n, l, &p, name, batch, one_call, total);
        uint64_t t1 = cb_now_ns();
        uint64_t a1 = g_allocs;
        if (rc == 0) {
            double ns = (double)(t1 - t0);
            snprintf(fields, sizeof fields,
                     "\"entries\":%zu,\"entries_per_s\":%.1f,\"ns_per_entry\":%.2f,"
                     "\"allocs_per_entry\":%.4f,\"msgs_per_entry\":0,\"wire_bytes_per_entry\":0",
                     total, (double)total / (ns / 1e9), ns / (double)total,
                     (double)(a1 - a0) / (double)total);
            cb_emit(name, fields);
        }
    }
    if (n != NULL && l != NULL)
        cnodes_free(n, 1, l);
    pool_free(&p);
    free(n);
    cio_loop_free(l);
}

/* ---- (b) three voters ---- */

static int cluster_run(cnode *ns, cio_loop *l, pool *p, const char *name,
                       const uint8_t *payload, size_t size, size_t batch, size_t count)
{
    uint64_t start = ns[0].applied, proposed = 0;
    size_t window = 4 * batch;
    int stall = 0;
    while (ns[0].applied - start < count) {
        if (proposed - (ns[0].applied - start) < window) {
            int rc = propose(&ns[0], p, payload, size, batch, 0);
            if (rc != 0) {
                cb_emit_error(name, "raft_apply", rc);
                return rc;
            }
            proposed += batch;
        }
        uint64_t before = ns[0].applied;
        int rc = cio_loop_pump(l);
        if (rc != 0) {
            cb_emit_error(name, "pump", rc);
            return rc;
        }
        if (p->failed) {
            cb_emit_error(name, "apply callback", p->failed);
            return p->failed;
        }
        if (ns[0].applied == before && ++stall > 1000) {
            cb_emit_error(name, "no progress (entries not committed)", 0);
            return RAFT_IOERR;
        }
        if (ns[0].applied != before)
            stall = 0;
    }
    return 0;
}

/* Warm-up entries: a tenth of the run, at least 5000 (past the first compaction) when the run
 * is that long; the same rule as raftc-bench's bench_cluster_warmup. */
static size_t cluster_warmup(size_t total)
{
    size_t w = total / 10;
    return w >= 5000 ? w : (total < 5000 ? total : 5000);
}

static void bench_cluster(size_t size, size_t total)
{
    char name[32], fields[512];
    snprintf(name, sizeof name, "cluster3_%zu", size);
    cio_loop *l = cio_loop_new();
    cnode *ns = calloc(3, sizeof *ns);
    uint8_t *payload = calloc(1, size);
    pool p = {0};
    size_t started = 0;
    int rc = l == NULL || ns == NULL || payload == NULL ? RAFT_NOMEM : 0;
    for (; rc == 0 && started < 3; started++)
        rc = cnode_start(&ns[started], l, started + 1, 3, 4096);
    if (rc == 0)
        rc = elect(ns, l);
    if (rc == 0)
        rc = pool_init(&p, 1024);
    size_t batch = size >= 65536 ? 4 : 64;
    if (rc != 0) {
        cb_emit_error(name, "start", rc);
    } else if (cluster_run(ns, l, &p, name, payload, size, batch, cluster_warmup(total)) == 0) {
        uint64_t m0, b0, m1, b1;
        cio_loop_counts(l, &m0, &b0);
        uint64_t t0 = cb_now_ns();
        rc = cluster_run(ns, l, &p, name, payload, size, batch, total);
        uint64_t t1 = cb_now_ns();
        cio_loop_counts(l, &m1, &b1);
        if (rc == 0) {
            double s = (double)(t1 - t0) / 1e9;
            snprintf(fields, sizeof fields,
                     "\"entries\":%zu,\"payload\":%zu,\"entries_per_s\":%.1f,\"mb_per_s\":%.2f,"
                     "\"msgs_per_entry\":%.4f,\"wire_bytes_per_entry\":%.2f,\"persists\":\"term "
                     "and vote when changed + entries (term, type, length; the payload stays in "
                     "raft's log); no commit index\"",
                     total, size, (double)total / s, (double)total * (double)size / s / 1e6,
                     (double)(m1 - m0) / (double)total, (double)(b1 - b0) / (double)total);
            cb_emit(name, fields);
        }
    }
    if (ns != NULL && l != NULL)
        cnodes_free(ns, started, l);
    pool_free(&p);
    free(payload);
    free(ns);
    cio_loop_free(l);
}

int main(int argc, char **argv)
{
    const char *w = "all";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0 || strcmp(argv[i], "-quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
            w = argv[++i];
        } else if ((strcmp(argv[i], "--run") == 0 || strcmp(argv[i], "-run") == 0) &&
                   i + 1 < argc) {
            run_id = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [-w a|b|c|d|a1|all] [--run N]\n", argv[0]);
            return 2;
        }
    }
    struct raft_heap heap = {NULL, h_malloc, h_free, h_calloc, h_realloc, h_aligned_alloc,
                             h_aligned_free};
    raft_heap_set(&heap);
    int all = strcmp(w, "all") == 0;
    if (all || strcmp(w, "a") == 0) {
        bench_single(1, 0, cb_pick(50000, 500000));
        bench_single(64, 0, cb_pick(200000, 2000000));
        bench_single(64, 1, cb_pick(200000, 2000000));
    }
    if (all || strcmp(w, "b") == 0) {
        bench_cluster(16, cb_pick(20000, 300000));
        bench_cluster(128, cb_pick(20000, 300000));
        bench_cluster(1024, cb_pick(20000, 200000));
        bench_cluster(65536, cb_pick(1000, 20000));
    }
    if (all || strcmp(w, "c") == 0)
        bench_codec();
    if (all || strcmp(w, "d") == 0)
        bench_memory();
    if (strcmp(w, "a1") == 0) /* single_b1 alone, 10x longer: the loop to profile */
        bench_single(1, 0, cb_pick(500000, 5000000));
    raft_heap_set_default();
    return 0;
}
