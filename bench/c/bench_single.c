/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_single.c: workload (a), one voter on a memory storage: propose -> ready -> persist ->
 * commit -> apply -> advance, with `batch` 16-byte proposals per Ready: `batch` propose calls
 * (single_bN), or one MsgProp carrying `batch` entries, encoded and stepped (single_pN: etcd's
 * Step of a MsgProp, what a host batching its client writes does).
 */
#include <stdio.h>

#include "bench_util.h"

/* Steps one MsgProp with batch entries of payload, encoded into the reused sinks ents/msg. */
static int single_propose_msg(bnode *n, raftc_sink *ents, raftc_sink *msg, const uint8_t *payload,
                              size_t len, size_t batch)
{
    const uint8_t *eb[64];
    size_t el[64];
    if (batch > 64)
        return RAFTC_EINVAL;
    raftc_sink_reset(ents);
    raftc_sink_reset(msg);
    int rc = 0;
    for (size_t j = 0; j < batch && rc == 0; j++)
        rc = raftc_entry_encode(ents, 0, 0, RAFTC_ENTRY_NORMAL, payload, len);
    for (size_t j = 0; j < batch && rc == 0; j++)
        rc = raftc_sink_get(&eb[j], &el[j], ents, j);
    uint64_t info[RAFTC_MF_REJECT_HINT + 1] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_PROP;
    info[RAFTC_MF_TO] = n->id;
    info[RAFTC_MF_FROM] = n->id;
    if (rc == 0)
        rc = raftc_message_encode(msg, info, RAFTC_MF_REJECT_HINT + 1, eb, el, batch, NULL, 0,
                                  NULL, 0);
    const uint8_t *b;
    size_t l;
    if (rc == 0)
        rc = raftc_sink_get(&b, &l, msg, 0);
    return rc != 0 ? rc : raftc_node_step(n->node, b, l);
}

/* Proposes and applies count entries; returns 0 or a RAFTC_E* code (reported). */
static int single_run(bnode *n, const char *name, size_t batch, int one_msg, size_t count,
                      raftc_sink *ents, raftc_sink *msg)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    size_t applied = 0;
    int stall = 0;
    while (applied < count) {
        if (one_msg) {
            int rc = single_propose_msg(n, ents, msg, payload, sizeof payload, batch);
            if (rc != 0) {
                bench_emit_error(name, "step MsgProp", rc, raftc_node_last_error(n->node));
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
    raftc_sink *ents = NULL, *msg = NULL;
    if ((rc = raftc_sink_new(&ents)) != 0 || (rc = raftc_sink_new(&msg)) != 0 ||
        single_run(&n, name, batch, one_msg, total / 10, ents, msg) != 0) { /* warm-up */
        if (rc != 0)
            bench_emit_error(name, "sink_new", rc, "");
        raftc_sink_free(ents);
        raftc_sink_free(msg);
        bnode_destroy(&n);
        return;
    }
    uint64_t a0 = bench_alloc_calls();
    uint64_t t0 = bench_now_ns();
    rc = single_run(&n, name, batch, one_msg, total, ents, msg);
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
    raftc_sink_free(ents);
    raftc_sink_free(msg);
    bnode_destroy(&n);
}
