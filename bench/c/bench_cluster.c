/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_cluster.c: workload (b), three voters in one process over an in-memory transport that
 * copies every message's raftpb bytes into a queue and steps them into the receiver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define NODES 3

/* From this payload size on the host uses the zero-copy calls (BENCH_ZC_MIN below): proposals
 * lent with raftc_node_propose_shared, messages gathered with raftc_ready_message_parts into one
 * heap buffer each, lent to the receiver with raftc_node_step_shared. One copy of each payload
 * per follower remains: the transport's, as a network's. */
#define BENCH_ZC_MIN 4096

/* Receive buffers of the zero-copy mode, kept for reuse once released (a transport's buffer
 * pool: fresh memory would cost the page faults of the heap growing and shrinking). Buffers are
 * rounded up to 64 KiB multiples; bucket k holds the free ones of (k + 1) * 64 KiB. */
#define POOL_UNIT 65536u
#define POOL_BUCKETS 16
typedef struct bufpool {
    void *free[POOL_BUCKETS]; /* singly linked through each buffer's first word */
} bufpool;

static uint8_t *pool_get(bufpool *p, size_t len)
{
    size_t k = (len + POOL_UNIT - 1) / POOL_UNIT;
    if (k == 0 || k > POOL_BUCKETS)
        return malloc(len > 0 ? len : 1);
    void *b = p->free[k - 1];
    if (b == NULL)
        return malloc(k * POOL_UNIT);
    memcpy(&p->free[k - 1], b, sizeof(void *));
    return b;
}

static void pool_put(bufpool *p, uint8_t *b, size_t len)
{
    size_t k = (len + POOL_UNIT - 1) / POOL_UNIT;
    if (k == 0 || k > POOL_BUCKETS) {
        free(b);
        return;
    }
    memcpy(b, &p->free[k - 1], sizeof(void *));
    p->free[k - 1] = b;
}

static void pool_free(bufpool *p)
{
    for (int k = 0; k < POOL_BUCKETS; k++)
        while (p->free[k] != NULL) {
            void *b = p->free[k];
            memcpy(&p->free[k], b, sizeof(void *));
            free(b);
        }
}

/* A reusable byte queue of (to, len, bytes) records; no allocation once warm. A record with
 * len == HEAP_REC carries (to, HEAP_REC, len, pointer) instead: a message in its own buffer
 * from pool (zero-copy mode). */
#define HEAP_REC UINT64_MAX
typedef struct wire {
    uint8_t *buf;
    size_t len, cap;
    int oom;
    bufpool *pool; /* zero-copy mode, or NULL */
} wire;

typedef struct cluster {
    bnode n[NODES];
    wire q, q2;
    bufpool pool;
    uint64_t msgs, bytes; /* messages delivered and their raftpb bytes */
} cluster;

/* Room for need more bytes; 0 or -1 (oom set). */
static int wire_reserve(wire *w, size_t need)
{
    need = (w->len + need + 7) & ~(size_t)7;
    if (need <= w->cap)
        return 0;
    size_t cap = w->cap ? w->cap : 1 << 16;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(w->buf, cap);
    if (p == NULL) {
        w->oom = 1;
        return -1;
    }
    w->buf = p;
    w->cap = cap;
    return 0;
}

static void wire_put_record(wire *w, const uint64_t *hdr, size_t n_hdr, const uint8_t *b,
                            size_t l)
{
    if (wire_reserve(w, n_hdr * sizeof(uint64_t) + l) != 0)
        return;
    memcpy(w->buf + w->len, hdr, n_hdr * sizeof(uint64_t));
    if (l > 0)
        memcpy(w->buf + w->len + n_hdr * sizeof(uint64_t), b, l);
    w->len = (w->len + n_hdr * sizeof(uint64_t) + l + 7) & ~(size_t)7;
}

/* Gathers message i of rd into a heap buffer of its own (one copy of each payload). */
static void wire_send_heap(wire *w, uint64_t to, const raftc_ready *rd, size_t i)
{
    const uint8_t *ptrs[64];
    size_t lens[64], n = 0, total = 0;
    if (raftc_ready_message_parts(ptrs, lens, 64, &n, rd, i) != 0 || n > 64) {
        w->oom = 1; /* the bench's messages carry at most 4 large entries */
        return;
    }
    for (size_t k = 0; k < n; k++)
        total += lens[k];
    uint8_t *b = pool_get(w->pool, total);
    if (b == NULL) {
        w->oom = 1;
        return;
    }
    for (size_t k = 0, off = 0; k < n; off += lens[k], k++)
        memcpy(b + off, ptrs[k], lens[k]);
    uint64_t hdr[4] = {to, HEAP_REC, total, (uint64_t)(uintptr_t)b};
    wire_put_record(w, hdr, 4, NULL, 0);
}

static void wire_send(void *ud, uint64_t to, const raftc_ready *rd, size_t i)
{
    wire *w = ud;
    const uint8_t *b;
    size_t l;
    if (w->pool != NULL) {
        wire_send_heap(w, to, rd, i);
        return;
    }
    if (raftc_ready_message(&b, &l, rd, i) != 0) {
        w->oom = 1;
        return;
    }
    uint64_t hdr[2] = {to, l};
    wire_put_record(w, hdr, 2, b, l);
}

static void release_heap(void *ud, const uint8_t *buf, size_t len)
{
    pool_put(ud, (uint8_t *)(uintptr_t)buf, len);
}

/* Frees the heap buffers of the records from offset off on (not delivered) and empties w. */
static void wire_drop(wire *w, size_t off)
{
    for (; off < w->len;) {
        uint64_t hdr[4];
        memcpy(hdr, w->buf + off, 2 * sizeof(uint64_t));
        if (hdr[1] == HEAP_REC) {
            memcpy(hdr, w->buf + off, sizeof hdr);
            pool_put(w->pool, (uint8_t *)(uintptr_t)hdr[3], (size_t)hdr[2]);
            off += sizeof hdr;
        } else {
            off = (off + 2 * sizeof(uint64_t) + (size_t)hdr[1] + 7) & ~(size_t)7;
        }
    }
    w->len = 0;
}

/* One Ready per node, then deliver everything queued. *applied gets node 1's applied data
 * entries. Returns 0 or a RAFTC_E* code. */
static int cluster_pump(cluster *c, size_t *applied, const char **where, const bnode **who)
{
    *applied = 0;
    for (int i = 0; i < NODES; i++) {
        if (!raftc_node_has_ready(c->n[i].node))
            continue;
        size_t a = 0;
        int rc = bnode_handle_ready(&c->n[i], wire_send, &c->q, &a);
        if (rc != 0) {
            *where = "ready";
            *who = &c->n[i];
            return rc;
        }
        if (i == 0)
            *applied += a;
    }
    if (c->q.oom)
        return RAFTC_ENOMEM;
    wire t = c->q;
    c->q = c->q2;
    c->q2 = t;
    c->q.len = 0;
    for (size_t off = 0; off < c->q2.len;) {
        uint64_t hdr[4];
        memcpy(hdr, c->q2.buf + off, 2 * sizeof(uint64_t));
        const uint8_t *b;
        size_t l;
        int heap = hdr[1] == HEAP_REC;
        if (heap) {
            memcpy(hdr, c->q2.buf + off, sizeof hdr);
            b = (const uint8_t *)(uintptr_t)hdr[3];
            l = (size_t)hdr[2];
            off += sizeof hdr;
        } else {
            b = c->q2.buf + off + 2 * sizeof(uint64_t);
            l = (size_t)hdr[1];
            off = (off + 2 * sizeof(uint64_t) + l + 7) & ~(size_t)7;
        }
        c->msgs++;
        c->bytes += l;
        if (hdr[0] < 1 || hdr[0] > NODES) {
            if (heap)
                pool_put(&c->pool, (uint8_t *)(uintptr_t)b, l);
            continue;
        }
        raftc_node *to = c->n[hdr[0] - 1].node;
        int rc = heap ? raftc_node_step_shared(to, b, l, release_heap, &c->pool)
                      : raftc_node_step(to, b, l);
        if (rc != 0 && rc != RAFTC_EPROPOSAL_DROPPED) {
            wire_drop(&c->q2, off);
            *where = "step";
            *who = &c->n[hdr[0] - 1];
            return rc;
        }
    }
    c->q2.len = 0;
    return 0;
}

/* Entries run before the timed part: a tenth of the run, and at least what the storages hold
 * before their first compaction (4096 + 2 windows) when the run is that long, so that the timed
 * part sees the steady state (every harness warms up the same way: bench/go, bench/rust,
 * bench/c/canonical). Below that, the heap's first touch of the working set (~540 MB at 64 KiB)
 * lands in the measurement as page faults. */
static size_t bench_cluster_warmup(size_t total)
{
    size_t w = total / 10;
    return w >= 5000 ? w : (total < 5000 ? total : 5000);
}

static void cluster_free(cluster *c)
{
    wire_drop(&c->q, 0);
    wire_drop(&c->q2, 0);
    for (int i = 0; i < NODES; i++)
        bnode_destroy(&c->n[i]); /* releases the buffers the nodes kept */
    pool_free(&c->pool);
    free(c->q.buf);
    free(c->q2.buf);
}

static int cluster_run(cluster *c, const char *name, const uint8_t *payload, size_t size,
                       size_t batch, size_t count, uint64_t *last_compact)
{
    size_t applied = 0, proposed = 0, window = 4 * batch;
    int stall = 0;
    const char *where = "";
    const bnode *who = NULL;
    while (applied < count) {
        if (proposed - applied < window) {
            for (size_t j = 0; j < batch; j++) {
                /* zero-copy: the payload outlives the nodes (NULL release) */
                int rc = size >= BENCH_ZC_MIN
                             ? raftc_node_propose_shared(c->n[0].node, payload, size, NULL, NULL)
                             : raftc_node_propose(c->n[0].node, payload, size);
                if (rc != 0) {
                    bench_emit_error(name, "propose", rc, raftc_node_last_error(c->n[0].node));
                    return rc;
                }
            }
            proposed += batch;
        }
        size_t a = 0;
        int rc = cluster_pump(c, &a, &where, &who);
        if (rc != 0) {
            bench_emit_error(name, where, rc, who ? raftc_node_last_error(who->node) : "");
            return rc;
        }
        applied += a;
        if (a == 0 && ++stall > 1000) {
            bench_emit_error(name, "no progress (entries not committed)", RAFTC_ESTATE, "");
            return RAFTC_ESTATE;
        }
        if (a != 0)
            stall = 0;
        uint64_t min_applied = c->n[0].applied;
        for (int i = 1; i < NODES; i++)
            if (c->n[i].applied < min_applied)
                min_applied = c->n[i].applied;
        if (min_applied > *last_compact + 4096 + 2 * window) {
            *last_compact = min_applied - 2 * window;
            for (int i = 0; i < NODES; i++)
                raftc_memstorage_compact(c->n[i].ms, *last_compact);
        }
    }
    return 0;
}

void bench_cluster(size_t size, size_t total)
{
    char name[32], fields[512];
    snprintf(name, sizeof name, "cluster3_%zu", size);
    cluster c;
    memset(&c, 0, sizeof c);
    uint64_t voters[NODES] = {1, 2, 3};
    for (int i = 0; i < NODES; i++) {
        const char *err;
        int rc = bnode_init(&c.n[i], voters[i], voters, NODES, &err);
        if (rc != 0) {
            bench_emit_error(name, "node_new", rc, err);
            cluster_free(&c);
            return;
        }
    }
    raftc_node_campaign(c.n[0].node);
    const char *where = "";
    const bnode *who = NULL;
    int rc = 0;
    for (int r = 0; r < 100 && !bnode_is_leader(&c.n[0]) && rc == 0; r++) {
        size_t a;
        rc = cluster_pump(&c, &a, &where, &who);
    }
    if (rc != 0 || !bnode_is_leader(&c.n[0])) {
        bench_emit_error(name, rc ? where : "no leader elected within 100 rounds", rc,
                         who ? raftc_node_last_error(who->node) : "");
        cluster_free(&c);
        return;
    }
    size_t batch = size >= 65536 ? 4 : 64;
    if (size >= BENCH_ZC_MIN)
        c.q.pool = c.q2.pool = &c.pool;
    uint8_t *payload = calloc(1, size);
    uint64_t last_compact = 0;
    if (payload == NULL ||
        cluster_run(&c, name, payload, size, batch, bench_cluster_warmup(total), &last_compact) != 0) {
        cluster_free(&c);
        free(payload);
        return;
    }
    uint64_t m0 = c.msgs, b0 = c.bytes;
    uint64_t t0 = bench_now_ns();
    rc = cluster_run(&c, name, payload, size, batch, total, &last_compact);
    uint64_t t1 = bench_now_ns();
    if (rc == 0) {
        double s = (double)(t1 - t0) / 1e9;
        snprintf(fields, sizeof fields,
                 "\"entries\":%zu,\"payload\":%zu,\"entries_per_s\":%.1f,\"mb_per_s\":%.2f,"
                 "\"msgs_per_entry\":%.4f,\"wire_bytes_per_entry\":%.2f,"
                 "\"persists\":\"HardState (term, vote, commit) when changed + entries\"",
                 total, size, (double)total / s, (double)total * (double)size / s / 1e6,
                 (double)(c.msgs - m0) / (double)total, (double)(c.bytes - b0) / (double)total);
        bench_emit(name, fields);
    }
    cluster_free(&c);
    free(payload);
}
