/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * canonical_memory.c: workload (d) on canonical/raft, the method of raftc-bench's
 * bench_memory.c. Live bytes = raft_heap bytes (usable sizes, allocated minus freed: raft's
 * state, its in-memory log and the payloads it owns) + what our backend keeps for the node
 * (cio_node_bytes: per entry term, type and length; the bootstrap configuration; the last
 * snapshot) + per group sizeof(struct raft) and sizeof(cio_node), which the host embeds where
 * raftc allocates its node. The loop's completion queue and wire are the transport's and are
 * not counted (as the other harnesses do not count their message queues).
 * Idle 3-voter group, node 1, after a heartbeat cycle (peers 2 and 3 are not on the loop: their
 * messages are made by the harness with cio_loop_inject; node 1's to them are dropped).
 * Follower: leader 2 (term 2) sends AppendEntries(prev 1/1, one empty barrier entry at index 2,
 * commit 2), node 1 persists, applies and answers, then a heartbeat (an AppendEntries without
 * entries, commit 2) that node 1 answers. Leader: node 1's election timeout elapses (the clock
 * advances 100 ms a tick), node 2 grants the term-2 vote, 2 and 3 acknowledge the leader's last
 * index (its barrier entry), then one heartbeat interval sends the heartbeats that both answer.
 * Entries: one voter, snapshot threshold above the entry count (nothing compacted, as raftc's
 * MemoryStorage keeps every entry), 64 raft_apply of 16 B per round until all are applied.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbench.h"

static int pump_all(cio_loop *l)
{
    int rc = 0;
    for (int k = 0; k < 100 && rc == 0 && cio_loop_busy(l); k++)
        rc = cio_loop_pump(l);
    return rc;
}

static int inject_append(cio_loop *l, raft_id from, raft_term term, raft_index prev,
                         raft_term prev_term, raft_index commit, int with_entry)
{
    static uint8_t none[1];
    struct raft_entry e = {term, RAFT_BARRIER, {none, 0}, NULL};
    struct raft_message m;
    memset(&m, 0, sizeof m);
    m.type = RAFT_IO_APPEND_ENTRIES;
    m.server_id = 1;
    m.append_entries.term = term;
    m.append_entries.prev_log_index = prev;
    m.append_entries.prev_log_term = prev_term;
    m.append_entries.leader_commit = commit;
    m.append_entries.entries = with_entry ? &e : NULL;
    m.append_entries.n_entries = with_entry ? 1 : 0;
    int rc = cio_loop_inject(l, from, &m);
    return rc == 0 ? pump_all(l) : rc;
}

static int inject_append_result(cio_loop *l, raft_id from, raft_term term, raft_index last)
{
    struct raft_message m;
    memset(&m, 0, sizeof m);
    m.type = RAFT_IO_APPEND_ENTRIES_RESULT;
    m.server_id = 1;
    m.append_entries_result.term = term;
    m.append_entries_result.last_log_index = last;
    int rc = cio_loop_inject(l, from, &m);
    return rc == 0 ? pump_all(l) : rc;
}

/* Brings n (node 1 of voters 1-3, started on l) to the idle state of the file comment. */
static int idle_group(cnode *n, cio_loop *l, raft_time *now, int leader, const char **err)
{
    *err = "start";
    int rc = cnode_start(n, l, 1, 3, 8192);
    if (rc != 0)
        return rc;
    *err = "heartbeat cycle";
    if (!leader) {
        rc = inject_append(l, 2, 2, 1, 1, 2, 1);
        if (rc == 0)
            rc = inject_append(l, 2, 2, 2, 2, 2, 0);
        if (rc == 0 && (raft_state(&n->r) != RAFT_FOLLOWER || raft_last_applied(&n->r) != 2))
            rc = RAFT_INVALID;
        return rc;
    }
    *err = "campaign";
    for (int k = 0; k < 100 && rc == 0 && raft_state(&n->r) != RAFT_CANDIDATE; k++) {
        *now += 100;
        cio_loop_set_time(l, *now);
        cio_loop_tick(l);
        rc = pump_all(l);
    }
    struct raft_message v;
    memset(&v, 0, sizeof v);
    v.type = RAFT_IO_REQUEST_VOTE_RESULT;
    v.server_id = 1;
    v.request_vote_result.term = n->r.current_term;
    v.request_vote_result.vote_granted = true;
    v.request_vote_result.pre_vote = raft_tribool_false;
    if (rc == 0 && (rc = cio_loop_inject(l, 2, &v)) == 0)
        rc = pump_all(l);
    if (rc == 0 && raft_state(&n->r) != RAFT_LEADER) {
        *err = "not leader after a granted vote";
        return RAFT_INVALID;
    }
    raft_term term = n->r.current_term;
    raft_index last = raft_last_index(&n->r);
    for (raft_id from = 2; from <= 3 && rc == 0; from++)
        rc = inject_append_result(l, from, term, last);
    *err = "heartbeat cycle";
    if (rc == 0) {
        *now += n->r.heartbeat_timeout;
        cio_loop_set_time(l, *now);
        cio_loop_tick(l);
        rc = pump_all(l);
    }
    for (raft_id from = 2; from <= 3 && rc == 0; from++)
        rc = inject_append_result(l, from, term, last);
    if (rc == 0 && raft_last_applied(&n->r) != last)
        rc = RAFT_INVALID;
    return rc;
}

static void mem_idle(size_t groups, int leader)
{
    const char *name = leader ? "mem_idle_leader" : "mem_idle_follower", *err = "";
    cio_loop *l = cio_loop_new();
    cnode *ns = calloc(groups, sizeof *ns);
    size_t made = 0;
    raft_time now = 0;
    int rc = l == NULL || ns == NULL ? RAFT_NOMEM : 0;
    int64_t h0 = cb_alloc_live(), h1 = h0;
    size_t backend = 0;
    /* Each group's node is id 1 of the loop in turn: set up one after the other. */
    for (; made < groups && rc == 0; made++)
        rc = idle_group(&ns[made], l, &now, leader, &err);
    if (rc == 0) {
        h1 = cb_alloc_live();
        for (size_t i = 0; i < made; i++)
            backend += cio_node_bytes(&ns[i].io);
        double heap = (double)(h1 - h0) / (double)groups;
        double be = (double)backend / (double)groups;
        double embedded = (double)(sizeof(struct raft) + sizeof(cio_node));
        char fields[400];
        snprintf(fields, sizeof fields,
                 "\"groups\":%zu,\"bytes_per_group\":%.1f,\"raft_heap_per_group\":%.1f,"
                 "\"backend_per_group\":%.1f,\"embedded_structs_per_group\":%.0f",
                 groups, heap + be + embedded, heap, be, embedded);
        cb_emit(name, fields);
    } else {
        cb_emit_error(name, err, rc);
    }
    if (ns != NULL && l != NULL)
        cnodes_free(ns, made, l);
    free(ns);
    cio_loop_free(l);
}

static void mem_entries(size_t entries)
{
    static const uint8_t payload[16] = "0123456789abcdef";
    const char *name = "mem_entries";
    cio_loop *l = cio_loop_new();
    cnode *n = calloc(1, sizeof *n);
    pool p = {0};
    raft_time now = 0;
    int rc = l == NULL || n == NULL ? RAFT_NOMEM : cnode_start(n, l, 1, 1, UINT_MAX);
    for (int k = 0; k < 100 && rc == 0 && raft_state(&n->r) != RAFT_LEADER; k++) {
        now += 100;
        cio_loop_set_time(l, now);
        cio_loop_tick(l);
        rc = pump_all(l);
    }
    if (rc == 0 && raft_state(&n->r) != RAFT_LEADER)
        rc = RAFT_NOTLEADER;
    if (rc == 0)
        rc = pool_init(&p, 64);
    int64_t h0 = cb_alloc_live();
    size_t b0 = n != NULL ? cio_node_bytes(&n->io) : 0;
    uint64_t a0 = n != NULL ? n->applied : 0;
    while (rc == 0 && n->applied - a0 < entries) {
        size_t batch = entries - (size_t)(n->applied - a0);
        rc = propose(n, &p, payload, sizeof payload, batch < 64 ? batch : 64, 0);
        if (rc == 0)
            rc = pump_all(l);
        if (rc == 0 && p.failed)
            rc = p.failed;
        if (rc == 0 && cio_loop_busy(l))
            rc = RAFT_IOERR;
    }
    if (rc == 0) {
        double heap = (double)(cb_alloc_live() - h0) / (double)entries;
        double be = (double)(cio_node_bytes(&n->io) - b0) / (double)entries;
        char fields[300];
        snprintf(fields, sizeof fields,
                 "\"entries\":%zu,\"payload\":16,\"bytes_per_entry_overhead\":%.2f,"
                 "\"raft_heap_per_entry\":%.2f,\"backend_per_entry\":%.2f",
                 entries, heap + be - 16.0, heap, be);
        cb_emit(name, fields);
    } else {
        cb_emit_error(name, "apply", rc);
    }
    if (n != NULL && l != NULL)
        cnodes_free(n, 1, l);
    pool_free(&p);
    free(n);
    cio_loop_free(l);
}

void bench_memory(void)
{
    size_t groups = cb_pick(1000, 10000);
    cb_track_live(1);
    mem_idle(groups, 0);
    mem_idle(groups, 1);
    mem_entries(cb_pick(100000, 1000000));
    cb_track_live(0);
}
