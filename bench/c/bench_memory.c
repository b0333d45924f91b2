/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_memory.c: workload (d), live library bytes (allocator hooks, malloc_usable_size) per
 * idle 3-voter group (follower and leader, node + its memory storage) and per log entry
 * beyond its payload in a one-voter log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

/* Steps a message with the given scalars (term = the node's term unless given) and at most one
 * entry (term, index, no data) into n. */
static int step_msg(bnode *n, int type, uint64_t from, uint64_t term, uint64_t log_term,
                    uint64_t index, uint64_t commit, const uint64_t *entry)
{
    uint64_t f[RAFTC_MF_REJECT_HINT + 1] = {0};
    f[RAFTC_MF_TYPE] = (uint64_t)type;
    f[RAFTC_MF_TO] = n->id;
    f[RAFTC_MF_FROM] = from;
    f[RAFTC_MF_TERM] = term != 0 ? term : bnode_term(n);
    f[RAFTC_MF_LOG_TERM] = log_term;
    f[RAFTC_MF_INDEX] = index;
    f[RAFTC_MF_COMMIT] = commit;
    raftc_sink *s = NULL, *es = NULL;
    const uint8_t *b, *eb = NULL;
    size_t l, el = 0;
    int rc = raftc_sink_new(&s);
    if (rc == 0)
        rc = raftc_sink_new(&es);
    if (rc == 0 && entry != NULL)
        rc = raftc_entry_encode(es, entry[0], entry[1], RAFTC_ENTRY_NORMAL, NULL, 0);
    if (rc == 0 && entry != NULL)
        rc = raftc_sink_get(&eb, &el, es, 0);
    if (rc == 0)
        rc = raftc_message_encode(s, f, RAFTC_MF_REJECT_HINT + 1, entry ? &eb : NULL,
                                  entry ? &el : NULL, entry ? 1 : 0, NULL, 0, NULL, 0);
    if (rc == 0)
        rc = raftc_sink_get(&b, &l, s, 0);
    if (rc == 0)
        rc = raftc_node_step(n->node, b, l);
    raftc_sink_free(s);
    raftc_sink_free(es);
    return rc;
}

/* A 3-voter group member (id 1) after a heartbeat cycle, as it sits in a multi-raft host between
 * proposals. Follower: leader 2 (term 2) appended its empty entry (index 2) and committed it,
 * then sent a heartbeat; node 1 answered both. Leader: node 1 won the term-2 election, its
 * empty entry was acked by 2 and 3 and applied, then it sent a heartbeat round (one tick) that
 * both peers answered. Messages to peers are dropped (bnode_settle). The Go side does the same. */
int bench_idle_group(bnode *n, int leader, const char **err)
{
    static const uint64_t voters[3] = {1, 2, 3};
    int rc = bnode_init(n, 1, voters, 3, err);
    if (rc == 0)
        rc = bnode_settle(n);
    if (rc != 0)
        return rc;
    *err = "heartbeat cycle";
    if (!leader) {
        const uint64_t empty[2] = {2, 2};
        rc = step_msg(n, RAFTC_MSG_APP, 2, 2, 1, 1, 2, empty);
        if (rc == 0)
            rc = bnode_settle(n);
        if (rc == 0)
            rc = step_msg(n, RAFTC_MSG_HEARTBEAT, 2, 2, 0, 0, 2, NULL);
        return rc == 0 ? bnode_settle(n) : rc;
    }
    *err = "campaign";
    if ((rc = raftc_node_campaign(n->node)) == 0)
        rc = bnode_settle(n);
    if (rc == 0)
        rc = step_msg(n, RAFTC_MSG_VOTE_RESP, 2, 0, 0, 0, 0, NULL);
    if (rc == 0)
        rc = bnode_settle(n);
    if (rc == 0 && !bnode_is_leader(n)) {
        *err = "not leader after a granted vote";
        return RAFTC_ESTATE;
    }
    uint64_t li = bnode_last_index(n);
    for (uint64_t from = 2; from <= 3 && rc == 0; from++)
        rc = step_msg(n, RAFTC_MSG_APP_RESP, from, 0, 0, li, 0, NULL);
    if (rc == 0)
        rc = bnode_settle(n);
    *err = "heartbeat cycle";
    if (rc == 0)
        rc = raftc_node_tick(n->node);
    if (rc == 0)
        rc = bnode_settle(n);
    for (uint64_t from = 2; from <= 3 && rc == 0; from++)
        rc = step_msg(n, RAFTC_MSG_HEARTBEAT_RESP, from, 0, 0, 0, 0, NULL);
    return rc == 0 ? bnode_settle(n) : rc;
}

static void mem_idle(size_t groups, int leader)
{
    const char *name = leader ? "mem_idle_leader" : "mem_idle_follower";
    bnode *ns = calloc(groups, sizeof *ns);
    if (ns == NULL)
        return;
    int64_t h0 = bench_alloc_live();
    size_t made = 0;
    int rc = 0;
    const char *err = "";
    for (; made < groups && rc == 0; made++)
        rc = bench_idle_group(&ns[made], leader, &err);
    int64_t h1 = bench_alloc_live();
    if (rc != 0) {
        bench_emit_error(name, err, rc, raftc_node_last_error(ns[made - 1].node));
    } else {
        char fields[128];
        snprintf(fields, sizeof fields, "\"groups\":%zu,\"bytes_per_group\":%.1f", groups,
                 (double)(h1 - h0) / (double)groups);
        bench_emit(name, fields);
    }
    for (size_t i = 0; i < made; i++)
        bnode_destroy(&ns[i]);
    free(ns);
}

static void mem_entries(size_t entries)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    static const uint64_t voters[1] = {1};
    const char *name = "mem_entries", *err = "";
    bnode n;
    int rc = bnode_init(&n, 1, voters, 1, &err);
    if (rc == 0 && (rc = raftc_node_campaign(n.node)) == 0)
        rc = bnode_settle(&n);
    if (rc != 0 || !bnode_is_leader(&n)) {
        bench_emit_error(name, "single voter did not become leader", rc, err);
        bnode_destroy(&n);
        return;
    }
    int64_t h0 = bench_alloc_live();
    size_t applied = 0;
    while (applied < entries && rc == 0) {
        for (size_t j = 0; j < 64 && applied + j < entries && rc == 0; j++)
            rc = raftc_node_propose(n.node, payload, sizeof payload);
        size_t before = applied;
        for (int k = 0; k < 16 && rc == 0 && raftc_node_has_ready(n.node); k++) {
            size_t a = 0;
            rc = bnode_handle_ready(&n, NULL, NULL, &a);
            applied += a;
        }
        if (rc == 0 && applied == before)
            rc = RAFTC_ESTATE;
    }
    int64_t h1 = bench_alloc_live();
    if (rc != 0) {
        bench_emit_error(name, "propose/ready", rc, raftc_node_last_error(n.node));
    } else {
        char fields[160];
        snprintf(fields, sizeof fields,
                 "\"entries\":%zu,\"payload\":16,\"bytes_per_entry_overhead\":%.2f", entries,
                 (double)(h1 - h0) / (double)entries - 16.0);
        bench_emit(name, fields);
    }
    bnode_destroy(&n);
}

void bench_memory(void)
{
    size_t groups = bench_pick(1000, 10000);
    mem_idle(groups, 0);
    mem_idle(groups, 1);
    mem_entries(bench_pick(100000, 1000000));
}
