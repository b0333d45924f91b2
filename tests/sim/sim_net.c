/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_net.c: the simulated network: per-message loss, duplication and random delay (which
 * reorders), and a directed reachability matrix for symmetric and asymmetric partitions.
 * Messages are delivered in (delivery time, send order) order. A MsgSnap that is dropped is
 * reported to its sender as a snapshot failure, a delivered one as finished (what a transport
 * does for etcd raft).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void sim_net_heal(void)
{
    memset(S.blocked, 0, sizeof S.blocked);
}

static void report_snapshot(uint64_t from, uint64_t to, int status)
{
    sim_slot *s = sim_slot_of(from);
    if (s == NULL || s->state != SLOT_UP)
        return;
    int rc = raftc_node_report_snapshot(s->node, to, status);
    if (rc == RAFTC_EFAILED)
        sim_ck(rc, "raftc_node_report_snapshot", s);
}

static void drop(const sim_msg *m, const char *why)
{
    S.n_dropped++;
    char *text = NULL;
    raftc_message_describe(&text, m->buf, m->len);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "net DROP (%s) ", why);
    sim_trace_owned(prefix, text);
    if (m->type == RAFTC_MSG_SNAP)
        report_snapshot(m->from, m->to, RAFTC_SNAPSHOT_FAILURE);
}

void sim_net_send(uint64_t from, const uint8_t *buf, size_t len)
{
    uint64_t info[RAFTC_MF_COUNT];
    sim_ck(raftc_message_decode(info, RAFTC_MF_COUNT, buf, len), "raftc_message_decode", NULL);
    int type = (int)info[RAFTC_MF_TYPE];
    sim_msg m = {(uint8_t *)buf, len, from, info[RAFTC_MF_TO], 0, 0, type};
    if (S.opts.inject && strcmp(S.opts.inject, "stall") == 0 && S.heals_ok >= 1) {
        drop(&m, "injected stall");
        return;
    }
    if (!S.healing && S.opts.loss && sim_chance(S.p.loss_pm)) {
        drop(&m, "loss");
        return;
    }
    sim_queue_push(&S.net, buf, len, from, m.to, type, S.now + sim_queue_delay());
    /* A duplicated MsgProp would be a second proposal (raft does not dedupe them); the
     * application's client layer would, so proposals are not duplicated. */
    if (!S.healing && S.opts.dup && type != RAFTC_MSG_PROP && sim_chance(S.p.dup_pm))
        sim_queue_push(&S.net, buf, len, from, m.to, type, S.now + sim_queue_delay());
}

static void deliver(sim_msg *m)
{
    sim_slot *to = sim_slot_of(m->to);
    if (to == NULL || to->state != SLOT_UP) {
        drop(m, "destination down");
        return;
    }
    if (m->from >= 1 && m->from <= SIM_MAX_IDS && S.blocked[m->from - 1][m->to - 1]) {
        drop(m, "partition");
        return;
    }
    char *text = NULL;
    raftc_message_describe(&text, m->buf, m->len);
    sim_trace_owned("deliver ", text);
    S.n_delivered++;
    int rc = raftc_node_step(to->node, m->buf, m->len);
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED && rc != RAFTC_ESTEP_PEER_NOT_FOUND)
        sim_ck(rc, "raftc_node_step", to);
    sim_hostile_after_delivery(m);
    if (m->type == RAFTC_MSG_SNAP)
        report_snapshot(m->from, m->to, RAFTC_SNAPSHOT_FINISH);
}

void sim_net_deliver_due(void)
{
    sim_queue_deliver_due(&S.net, S.now, deliver);
}

void sim_net_partition(void)
{
    sim_net_heal();
    uint64_t ids[SIM_MAX_IDS];
    size_t n = 0;
    for (int i = 0; i < S.n_ids; i++)
        if (S.slots[i].state == SLOT_UP || S.slots[i].state == SLOT_DOWN)
            ids[n++] = S.slots[i].id;
    if (n < 2)
        return;
    S.n_partitions++;
    switch (sim_below(4)) {
    case 0: { /* symmetric split into two sides */
        bool side[SIM_MAX_IDS] = {0};
        for (size_t i = 0; i < n; i++)
            side[i] = sim_below(2);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (side[i] != side[j])
                    S.blocked[ids[i] - 1][ids[j] - 1] = true;
        sim_trace("PARTITION symmetric split");
        break;
    }
    case 1: { /* isolate one node (often the leader) both ways */
        sim_slot *l = sim_top_leader();
        uint64_t victim = (l != NULL && sim_below(2)) ? l->id : ids[sim_below(n)];
        for (size_t i = 0; i < n; i++) {
            S.blocked[victim - 1][ids[i] - 1] = true;
            S.blocked[ids[i] - 1][victim - 1] = true;
        }
        sim_trace("PARTITION isolate n%llu", (unsigned long long)victim);
        break;
    }
    case 2: /* asymmetric: random directed links */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (i != j && sim_chance(250))
                    S.blocked[ids[i] - 1][ids[j] - 1] = true;
        sim_trace("PARTITION asymmetric random links");
        break;
    default: { /* one node can only send, or only receive */
        uint64_t victim = ids[sim_below(n)];
        bool in = sim_below(2);
        for (size_t i = 0; i < n; i++) {
            if (in)
                S.blocked[ids[i] - 1][victim - 1] = true;
            else
                S.blocked[victim - 1][ids[i] - 1] = true;
        }
        sim_trace("PARTITION n%llu cannot %s", (unsigned long long)victim,
                  in ? "receive" : "send");
        break;
    }
    }
}
