/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_cluster.c: libFuzzer harness driving a 3-node cluster through raftc.h. Each input byte
 * picks one operation (tick, campaign, propose, deliver/drop/duplicate/reorder a queued message,
 * process a Ready, conf change, transfer leader, compact, read index, ...). The hosts are
 * correct, so any PANIC (other than a refused conf change at apply, where etcd panics too), any
 * crash or leak, two leaders in one term, or two nodes applying different entries at one index
 * is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host.h"
#include "raftc.h"

#define N_NODES 3
#define MAX_OPS 3000
#define MAX_TERM 4096

typedef struct cluster {
    fz_node nodes[N_NODES];
    fz_queue q;
    fz_commits commits;
    uint64_t leader_of_term[MAX_TERM];
    int stop; /* a node legitimately failed (refused conf change): end the run */
} cluster;

static cluster g_cluster; /* big (commit table): static, reset per input */

static fz_node *node_of(cluster *c, uint64_t id)
{
    return id >= 1 && id <= N_NODES ? &c->nodes[id - 1] : NULL;
}

/* Every node failure must be explained; also checks one leader per term. */
static void check(cluster *c)
{
    for (int i = 0; i < N_NODES; i++) {
        fz_node *n = &c->nodes[i];
        if (raftc_node_is_failed(n->node)) {
            if (!n->conf_apply_failed)
                fz_fail("node %llu failed: %s", (unsigned long long)n->id,
                        raftc_node_last_error(n->node));
            c->stop = 1;
            continue;
        }
        uint64_t st[RAFTC_ST_COUNT];
        if (raftc_node_status_info(st, RAFTC_ST_COUNT, n->node) != RAFTC_OK)
            fz_fail("status_info failed");
        if (st[RAFTC_ST_RAFT_STATE] != RAFTC_STATE_LEADER || st[RAFTC_ST_TERM] >= MAX_TERM)
            continue;
        uint64_t *slot = &c->leader_of_term[st[RAFTC_ST_TERM]];
        if (*slot != 0 && *slot != n->id)
            fz_fail("two leaders in term %llu: %llu and %llu",
                    (unsigned long long)st[RAFTC_ST_TERM], (unsigned long long)*slot,
                    (unsigned long long)n->id);
        *slot = n->id;
    }
}

static void process(cluster *c, fz_node *n)
{
    for (int i = 0; i < 4 && !c->stop; i++) {
        int rc = fz_node_process_ready(n, &c->q, &c->commits, 1);
        if (rc <= 0) {
            if (rc < 0 && !n->conf_apply_failed)
                fz_fail("node %llu ready cycle: %s (%s)", (unsigned long long)n->id,
                        raftc_strerror(rc), raftc_node_last_error(n->node));
            if (rc < 0)
                c->stop = 1;
            return;
        }
    }
}

static void deliver(cluster *c, size_t i)
{
    fz_msg m;
    fz_queue_remove(&c->q, i, &m);
    fz_node *to = node_of(c, m.to);
    if (to != NULL) {
        int rc = raftc_node_step(to->node, m.buf, m.len);
        if (rc == RAFTC_EDECODE || rc == RAFTC_EUNKNOWN_TYPE || rc == RAFTC_ESTEP_LOCAL_MSG ||
            rc == RAFTC_EREFUSED)
            fz_fail("node %llu refused a genuine %s: %s", (unsigned long long)m.to,
                    raftc_msg_type_name((int)m.type), raftc_strerror(rc));
    }
    free(m.buf);
}

static void conf_change(fz_node *n, unsigned arg, uint8_t extra)
{
    raftc_sink *s = NULL;
    if (raftc_sink_new(&s) != RAFTC_OK)
        return;
    uint64_t target = 1 + (extra & 3); /* 4 never runs: a voter that stays down */
    int kind = RAFTC_CC_V1, rc;
    if (arg < 8) {
        rc = raftc_conf_change_encode(s, (int)(arg & 3), target, NULL, 0);
    } else if (arg < 12) {
        raftc_cc_type types[2] = {(raftc_cc_type)(arg & 3), (raftc_cc_type)((extra >> 2) & 3)};
        uint64_t ids[2] = {target, 1 + ((extra >> 4) & 3)};
        kind = RAFTC_CC_V2;
        rc = raftc_conf_change_v2_encode(s, (extra >> 6) % 3, types, ids, 2, NULL, 0);
    } else {
        kind = RAFTC_CC_V2; /* empty V2: leave the joint config */
        rc = raftc_sink_put(s, NULL, 0);
    }
    const uint8_t *p = NULL;
    size_t len = 0;
    if (rc == RAFTC_OK && raftc_sink_get(&p, &len, s, 0) == RAFTC_OK)
        (void)raftc_node_propose_conf_change(n->node, kind, p, len);
    raftc_sink_free(s);
}

static void misc(fz_node *n, unsigned arg)
{
    uint8_t ctx[2] = {(uint8_t)arg, 0x5a};
    switch (arg & 3) {
    case 0: (void)raftc_node_read_index(n->node, ctx, sizeof(ctx)); break;
    case 1: (void)raftc_node_forget_leader(n->node); break;
    case 2: (void)raftc_node_report_unreachable(n->node, 1 + ((arg >> 2) % N_NODES)); break;
    default:
        (void)raftc_node_report_snapshot(n->node, 1 + ((arg >> 2) % N_NODES),
                                         (arg >> 2) & 1 ? RAFTC_SNAPSHOT_FAILURE
                                                        : RAFTC_SNAPSHOT_FINISH);
    }
}

static void run_op(cluster *c, uint8_t b, uint8_t extra)
{
    unsigned op = b & 15, arg = b >> 4;
    fz_node *n = &c->nodes[arg % N_NODES];
    size_t qn = c->q.n;
    switch (op) {
    case 0: case 1: (void)raftc_node_tick(n->node); break;
    case 2: (void)raftc_node_campaign(n->node); break;
    case 3: (void)raftc_node_propose(n->node, &extra, 1); break;
    case 4: case 5: case 6:
        if (qn > 0)
            deliver(c, arg < 8 ? 0 : arg % qn);
        break;
    case 7:
        if (qn > 0)
            fz_queue_remove(&c->q, arg % qn, NULL);
        break;
    case 8:
        if (qn > 0)
            (void)fz_queue_push(&c->q, c->q.v[arg % qn].buf, c->q.v[arg % qn].len);
        break;
    case 9:
        if (qn > 1) {
            fz_msg t = c->q.v[0];
            c->q.v[0] = c->q.v[arg % qn];
            c->q.v[arg % qn] = t;
        }
        break;
    case 10: process(c, n); break;
    case 11: conf_change(n, arg, extra); break;
    case 12: (void)raftc_node_transfer_leader(n->node, 1 + (extra % (N_NODES + 1))); break;
    case 13: (void)fz_node_compact(n); break;
    case 14: misc(n, arg); break;
    default:
        for (int i = 0; i < N_NODES && !c->stop; i++) {
            (void)raftc_node_tick(c->nodes[i].node);
            process(c, &c->nodes[i]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t voters[N_NODES] = {1, 2, 3};
    cluster *c = &g_cluster;
    memset(c, 0, sizeof(*c));
    if (size == 0)
        return 0;
    int flags = data[0] & 3;
    for (int i = 0; i < N_NODES; i++)
        if (fz_node_init(&c->nodes[i], (uint64_t)i + 1, voters, N_NODES, flags) != RAFTC_OK)
            fz_fail("node init failed");
    size_t ops = 0;
    for (size_t i = 1; i < size && ops < MAX_OPS && !c->stop; i++, ops++) {
        uint8_t extra = i + 1 < size ? data[i + 1] : 0;
        run_op(c, data[i], extra);
        check(c);
    }
    if (getenv("RAFTC_FUZZ_VERBOSE") != NULL) {
        size_t committed = 0, leaders = 0;
        for (size_t i = 0; i < FZ_MAX_TRACKED_INDEX; i++)
            committed += c->commits.set[i];
        for (size_t i = 0; i < MAX_TERM; i++)
            leaders += c->leader_of_term[i] != 0;
        fprintf(stderr, "fuzz_cluster: %zu ops, %zu terms with a leader, %zu indexes applied, "
                "applied %llu/%llu/%llu, %zu queued%s\n", ops, leaders, committed,
                (unsigned long long)c->nodes[0].applied, (unsigned long long)c->nodes[1].applied,
                (unsigned long long)c->nodes[2].applied, c->q.n, c->stop ? ", stopped" : "");
    }
    for (int i = 0; i < N_NODES; i++)
        fz_node_free(&c->nodes[i]);
    fz_queue_free(&c->q);
    return 0;
}
