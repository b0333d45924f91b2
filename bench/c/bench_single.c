/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_single.c: workload (a), one voter on a memory storage: propose -> ready -> persist ->
 * commit -> apply -> advance, with `batch` 16-byte proposals per Ready: `batch` propose calls
 * (single_bN), or one MsgProp carrying `batch` entries through raftc_node_propose_list (single_pN:
 * etcd's Step of a MsgProp, what a host batching its client writes does).
 */
#include <stdio.h>

#include "bench_util.h"

/* Proposes batch entries of payload as one MsgProp (etcd's Step of a MsgProp carrying the batch,
 * as Go's harness steps its struct): raftc_node_propose_list takes the payloads without the host
 * encoding a message for the node to decode again. */
static int single_propose_msg(bnode *n, const uint8_t *payload, size_t len, size_t batch)
{
    const uint8_t *datas[64];
    size_t lens[64];
    if (batch > 64)
        return RAFTC_EINVAL;
    for (size_t j = 0; j < batch; j++) {
        datas[j] = payload;
        lens[j] = len;
    }
    return raftc_node_propose_list(n->node, datas, lens, batch);
}

/* Proposes and applies count entries; returns 0 or a RAFTC_E* code (reported). */
static int single_run(bnode *n, const char *name, size_t batch, int one_msg, size_t count)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    size_t applied = 0;
    int stall = 0;
    while (applied < count) {
        if (one_msg) {
            int rc = single_propose_msg(n, payload, sizeof payload, batch);
            if (rc != 0) {
                bench_emit_error(name, "propose_list", rc, raftc_node_last_error(n->node));
                return rc;
            }
        }
        for (size_t j = 0; j < batch && !one_msg; j++) {
            int rc = raftc_node_propose(n->node, payload, sizeof payload);
            if (rc != 0) {
                bench_emit_error(name, "propose", rc, raftc_node_last_error(n->node));
                return rc;
            }
        }
        size_t before = applied;
        for (int k = 0; k < 16 && raftc_node_has_ready(n->node); k++) {
            size_t a = 0;
            int rc = bnode_handle_ready(n, NULL, NULL, &a);
            if (rc != 0) {
                bench_emit_error(name, "ready", rc, raftc_node_last_error(n->node));
                return rc;
            }
            applied += a;
        }
        if (applied == before && ++stall > 1000) {
            bench_emit_error(name, "no progress (entries not committed)", RAFTC_ESTATE, "");
            return RAFTC_ESTATE;
        }
        if (applied != before)
            stall = 0;
        if (n->applied > bnode_first_index(n) + 8192)
            raftc_memstorage_compact(n->ms, n->applied);
    }
    return 0;
}

void bench_single(size_t batch, int one_msg, size_t total)
{
    char name[32], fields[256];
    snprintf(name, sizeof name, one_msg ? "single_p%zu" : "single_b%zu", batch);
    uint64_t voters[1] = {1};
    const char *err;
    bnode n;
    int rc = bnode_init(&n, 1, voters, 1, &err);
    if (rc != 0) {
        bench_emit_error(name, "node_new", rc, err);
        bnode_destroy(&n);
        return;
    }
    raftc_node_campaign(n.node);
    rc = bnode_settle(&n);
    if (rc != 0 || !bnode_is_leader(&n)) {
        bench_emit_error(name, "single voter did not become leader", rc,
                         raftc_node_last_error(n.node));
        bnode_destroy(&n);
        return;
    }
    if (single_run(&n, name, batch, one_msg, total / 10) != 0) { /* warm-up */
        bnode_destroy(&n);
        return;
    }
    uint64_t a0 = bench_alloc_calls();
    uint64_t t0 = bench_now_ns();
    rc = single_run(&n, name, batch, one_msg, total);
    uint64_t t1 = bench_now_ns();
    uint64_t a1 = bench_alloc_calls();
    if (rc == 0) {
        double ns = (double)(t1 - t0);
        snprintf(fields, sizeof fields,
                 "\"entries\":%zu,\"entries_per_s\":%.1f,\"ns_per_entry\":%.2f,"
                 "\"allocs_per_entry\":%.4f,\"msgs_per_entry\":0,\"wire_bytes_per_entry\":0",
                 total, (double)total / (ns / 1e9), ns / (double)total,
                 (double)(a1 - a0) / (double)total);
        bench_emit(name, fields);
    }
    bnode_destroy(&n);
}
