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

/* A reusable byte queue of (to, len, bytes) records; no allocation once warm. */
typedef struct wire {
    uint8_t *buf;
    size_t len, cap;
    int oom;
} wire;

typedef struct cluster {
    bnode n[NODES];
    wire q, q2;
    uint64_t msgs, bytes; /* messages delivered and their raftpb bytes */
} cluster;

static void wire_send(void *ud, uint64_t to, const uint8_t *b, size_t l)
{
    wire *w = ud;
    size_t need = (w->len + 2 * sizeof(uint64_t) + l + 7) & ~(size_t)7;
    if (need > w->cap) {
        size_t cap = w->cap ? w->cap : 1 << 16;
        while (cap < need)
            cap *= 2;
        uint8_t *p = realloc(w->buf, cap);
        if (p == NULL) {
            w->oom = 1;
            return;
        }
        w->buf = p;
        w->cap = cap;
    }
    uint64_t hdr[2] = {to, l};
    memcpy(w->buf + w->len, hdr, sizeof hdr);
    memcpy(w->buf + w->len + sizeof hdr, b, l);
    w->len = need;
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
        uint64_t hdr[2];
        memcpy(hdr, c->q2.buf + off, sizeof hdr);
        const uint8_t *b = c->q2.buf + off + sizeof hdr;
        off = (off + sizeof hdr + (size_t)hdr[1] + 7) & ~(size_t)7;
        c->msgs++;
        c->bytes += hdr[1];
        if (hdr[0] < 1 || hdr[0] > NODES)
            continue;
        int rc = raftc_node_step(c->n[hdr[0] - 1].node, b, (size_t)hdr[1]);
        if (rc != 0 && rc != RAFTC_EPROPOSAL_DROPPED) {
            *where = "step";
            *who = &c->n[hdr[0] - 1];
            return rc;
        }
    }
    return 0;
}

static void cluster_free(cluster *c)
{
    for (int i = 0; i < NODES; i++)
        bnode_destroy(&c->n[i]);
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
                int rc = raftc_node_propose(c->n[0].node, payload, size);
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
    uint8_t *payload = calloc(1, size);
    uint64_t last_compact = 0;
    if (payload == NULL ||
        cluster_run(&c, name, payload, size, batch, total / 10, &last_compact) != 0) {
        free(payload);
        cluster_free(&c);
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
    free(payload);
    cluster_free(&c);
}
