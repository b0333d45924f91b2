/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * cluster_demo.c: a three-node raftc cluster in one process, driven through raftc.h alone.
 *
 * Each node has a memory storage and a tiny key-value state machine ("key=value" entries). The
 * demo elects a leader, replicates writes, isolates the leader so that the others elect a new
 * one, writes through the new leader, heals the partition and shows that all three nodes applied
 * the same log. Messages cross an in-memory network as raftpb bytes, as they would on a wire.
 * Ready handling follows the documented contract: persist, send, apply, advance.
 *
 * Usage: raftc-demo [--verbose]   (--verbose prints raft's own INFO log lines)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raftc.h"

#define N_NODES 3
#define MAX_KEYS 64
#define MAX_QUEUE 4096

typedef struct kv {
    char key[32];
    char value[64];
} kv;

typedef struct demo_node {
    uint64_t id;
    raftc_memstorage *storage;
    raftc_node *node;
    bool isolated;
    kv data[MAX_KEYS];
    size_t n_data;
    uint64_t applied;
} demo_node;

typedef struct wire_msg {
    uint8_t *buf;
    size_t len;
    uint64_t to, from;
} wire_msg;

static demo_node nodes[N_NODES];
static wire_msg queue[MAX_QUEUE];
static size_t queue_len;
static bool verbose;

_Noreturn static void die(const char *what, int rc, raftc_node *n)
{
    fprintf(stderr, "demo: %s failed: %s (%s)\n", what, raftc_strerror(rc),
            n ? raftc_node_last_error(n) : "");
    exit(1);
}

static void log_line(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    (void)ud;
    if (verbose && level >= RAFTC_LOG_INFO)
        printf("    [raft] %.*s\n", (int)len, msg);
    if (level >= RAFTC_LOG_PANIC)
        fprintf(stderr, "demo: raft PANIC: %.*s\n", (int)len, msg);
}

static demo_node *node_by_id(uint64_t id)
{
    return (id >= 1 && id <= N_NODES) ? &nodes[id - 1] : NULL;
}

/* Applies one "key=value" entry to the node's key-value map. */
static void kv_apply(demo_node *dn, const uint8_t *data, size_t len)
{
    const uint8_t *eq = memchr(data, '=', len);
    if (eq == NULL)
        return;
    size_t klen = (size_t)(eq - data), vlen = len - klen - 1;
    if (klen >= sizeof(dn->data[0].key) || vlen >= sizeof(dn->data[0].value))
        return;
    kv *slot = NULL;
    for (size_t i = 0; i < dn->n_data; i++)
        if (strlen(dn->data[i].key) == klen && memcmp(dn->data[i].key, data, klen) == 0)
            slot = &dn->data[i];
    if (slot == NULL && dn->n_data < MAX_KEYS)
        slot = &dn->data[dn->n_data++];
    if (slot == NULL)
        return;
    memcpy(slot->key, data, klen);
    slot->key[klen] = '\0';
    memcpy(slot->value, eq + 1, vlen);
    slot->value[vlen] = '\0';
}

static void send_msg(const uint8_t *buf, size_t len)
{
    uint64_t info[RAFTC_MF_COUNT];
    int rc = raftc_message_decode(info, RAFTC_MF_COUNT, buf, len);
    if (rc != RAFTC_OK)
        die("raftc_message_decode", rc, NULL);
    if (queue_len == MAX_QUEUE)
        return; /* a full network drops messages; raft copes with loss */
    wire_msg *w = &queue[queue_len++];
    w->buf = malloc(len);
    if (w->buf == NULL)
        die("malloc", RAFTC_ENOMEM, NULL);
    memcpy(w->buf, buf, len);
    w->len = len;
    w->to = info[RAFTC_MF_TO];
    w->from = info[RAFTC_MF_FROM];
}

/* One Ready cycle: persist, send, apply, advance. Returns whether there was a Ready. */
static bool handle_ready(demo_node *dn)
{
    if (!raftc_node_has_ready(dn->node))
        return false;
    raftc_ready *rd;
    int rc = raftc_node_ready(&rd, dn->node);
    if (rc != RAFTC_OK)
        die("raftc_node_ready", rc, dn->node);
    uint64_t info[RAFTC_RD_COUNT];
    raftc_ready_info(info, RAFTC_RD_COUNT, rd);

    const uint8_t *buf;
    size_t len;
    if (raftc_ready_snapshot(&buf, &len, rd) == RAFTC_OK &&
        (rc = raftc_memstorage_apply_snapshot(dn->storage, buf, len)) != RAFTC_OK)
        die("apply_snapshot", rc, NULL);
    if (raftc_ready_hard_state(&buf, &len, rd) == RAFTC_OK &&
        (rc = raftc_memstorage_set_hard_state(dn->storage, buf, len)) != RAFTC_OK)
        die("set_hard_state", rc, NULL);
    for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
        raftc_ready_entry(&buf, &len, rd, i);
        const uint8_t *one[1] = {buf};
        if ((rc = raftc_memstorage_append(dn->storage, one, &len, 1)) != RAFTC_OK)
            die("append", rc, NULL);
    }
    /* Everything is durable now, so every message may go out. */
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
        raftc_ready_message(&buf, &len, rd, i);
        send_msg(buf, len);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        raftc_ready_committed_entry(&buf, &len, rd, i);
        uint64_t index;
        raftc_entry_type type;
        const uint8_t *data;
        size_t data_len;
        if ((rc = raftc_entry_decode(NULL, &index, &type, &data, &data_len, buf, len)) != RAFTC_OK)
            die("entry_info", rc, NULL);
        if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
            int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
            rc = raftc_node_apply_conf_change(NULL, dn->node, kind, data, data_len);
            if (rc != RAFTC_OK)
                die("apply_conf_change", rc, dn->node);
        } else if (data_len > 0) {
            kv_apply(dn, data, data_len);
        }
        dn->applied = index;
    }
    if ((rc = raftc_node_advance(dn->node)) != RAFTC_OK)
        die("raftc_node_advance", rc, dn->node);
    return true;
}

/* Delivers every queued message whose endpoints are both reachable; drops the others. */
static bool deliver(void)
{
    if (queue_len == 0)
        return false;
    static wire_msg batch[MAX_QUEUE];
    size_t n = queue_len;
    memcpy(batch, queue, n * sizeof(batch[0]));
    queue_len = 0;
    for (size_t i = 0; i < n; i++) {
        demo_node *to = node_by_id(batch[i].to), *from = node_by_id(batch[i].from);
        if (to != NULL && from != NULL && !to->isolated && !from->isolated) {
            int rc = raftc_node_step(to->node, batch[i].buf, batch[i].len);
            if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
                die("raftc_node_step", rc, to->node);
        }
        free(batch[i].buf);
    }
    return true;
}

/* Runs Ready handling and delivery until the cluster is quiet. */
static void settle(void)
{
    for (int round = 0; round < 1000; round++) {
        bool busy = false;
        for (int i = 0; i < N_NODES; i++)
            busy |= handle_ready(&nodes[i]);
        busy |= deliver();
        if (!busy)
            return;
    }
}

static uint64_t status_field(demo_node *dn, int field)
{
    uint64_t info[RAFTC_ST_COUNT];
    raftc_node_status_info(info, RAFTC_ST_COUNT, dn->node);
    return info[field];
}

/* Ticks every node until a reachable node leads; returns it. */
static demo_node *await_leader(int max_ticks)
{
    for (int t = 0; t < max_ticks; t++) {
        for (int i = 0; i < N_NODES; i++) {
            if (!nodes[i].isolated && status_field(&nodes[i], RAFTC_ST_RAFT_STATE) ==
                                          RAFTC_STATE_LEADER)
                return &nodes[i];
        }
        for (int i = 0; i < N_NODES; i++)
            raftc_node_tick(nodes[i].node);
        settle();
    }
    fprintf(stderr, "demo: no leader after %d ticks\n", max_ticks);
    exit(1);
}

static void propose(demo_node *leader, const char *kvtext)
{
    int rc = raftc_node_propose(leader->node, (const uint8_t *)kvtext, strlen(kvtext));
    if (rc != RAFTC_OK)
        die("raftc_node_propose", rc, leader->node);
    printf("  node %" PRIu64 " proposes %s\n", leader->id, kvtext);
    settle();
}

static void print_cluster(void)
{
    for (int i = 0; i < N_NODES; i++) {
        demo_node *dn = &nodes[i];
        printf("  node %" PRIu64 ": %-15s term %" PRIu64 " commit %" PRIu64 " applied %" PRIu64
               "%s  {",
               dn->id, raftc_state_type_name((int)status_field(dn, RAFTC_ST_RAFT_STATE)),
               status_field(dn, RAFTC_ST_TERM), status_field(dn, RAFTC_ST_COMMIT), dn->applied,
               dn->isolated ? " (isolated)" : "");
        for (size_t k = 0; k < dn->n_data; k++)
            printf("%s%s=%s", k ? ", " : "", dn->data[k].key, dn->data[k].value);
        printf("}\n");
    }
}

static void start_nodes(void)
{
    uint64_t peers[N_NODES];
    for (int i = 0; i < N_NODES; i++)
        peers[i] = (uint64_t)i + 1;
    for (int i = 0; i < N_NODES; i++) {
        demo_node *dn = &nodes[i];
        dn->id = (uint64_t)i + 1;
        raftc_config *cfg = NULL;
        int rc = raftc_memstorage_new(&dn->storage);
        if (rc != RAFTC_OK || (rc = raftc_config_new(&cfg)) != RAFTC_OK)
            die("setup", rc, NULL);
        raftc_config_set_u64(cfg, RAFTC_OPT_ID, dn->id);
        raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10);
        raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1);
        raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED, 42);
        raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, 1);
        raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, 1);
        raftc_config_set_logger(cfg, log_line, NULL);
        raftc_config_set_memstorage(cfg, dn->storage);
        const char *err = NULL;
        rc = raftc_node_new(&dn->node, &err, cfg);
        raftc_config_free(cfg);
        if (rc != RAFTC_OK) {
            fprintf(stderr, "demo: raftc_node_new: %s\n", err ? err : raftc_strerror(rc));
            exit(1);
        }
        if ((rc = raftc_node_bootstrap(dn->node, peers, NULL, NULL, N_NODES)) != RAFTC_OK)
            die("raftc_node_bootstrap", rc, dn->node);
    }
}

int main(int argc, char **argv)
{
    verbose = argc > 1 && strcmp(argv[1], "--verbose") == 0;
    printf("raftc %s (ABI %d): a 3-node cluster in one process\n\n", raftc_version(),
           raftc_abi_version());
    start_nodes();
    settle();

    printf("1. Election\n");
    demo_node *leader = await_leader(100);
    printf("  node %" PRIu64 " is leader at term %" PRIu64 "\n", leader->id,
           status_field(leader, RAFTC_ST_TERM));

    printf("\n2. Replication\n");
    propose(leader, "color=red");
    propose(leader, "shape=circle");
    print_cluster();

    printf("\n3. The leader is cut off; the others elect a new leader\n");
    leader->isolated = true;
    demo_node *old = leader;
    leader = await_leader(100);
    printf("  node %" PRIu64 " is leader at term %" PRIu64 "\n", leader->id,
           status_field(leader, RAFTC_ST_TERM));
    propose(leader, "color=blue");
    print_cluster();

    printf("\n4. The partition heals; node %" PRIu64 " catches up\n", old->id);
    old->isolated = false;
    for (int t = 0; t < 30; t++) {
        for (int i = 0; i < N_NODES; i++)
            raftc_node_tick(nodes[i].node);
        settle();
    }
    print_cluster();

    bool same = true;
    for (int i = 1; i < N_NODES; i++) {
        same &= nodes[i].applied == nodes[0].applied && nodes[i].n_data == nodes[0].n_data;
        for (size_t k = 0; same && k < nodes[0].n_data; k++)
            same &= strcmp(nodes[i].data[k].key, nodes[0].data[k].key) == 0 &&
                    strcmp(nodes[i].data[k].value, nodes[0].data[k].value) == 0;
    }
    printf("\n%s\n", same ? "All nodes applied the same log." : "Nodes DIVERGED.");

    for (int i = 0; i < N_NODES; i++) {
        raftc_node_free(nodes[i].node);
        raftc_memstorage_free(nodes[i].storage);
    }
    for (size_t i = 0; i < queue_len; i++)
        free(queue[i].buf);
    return same ? 0 : 1;
}
