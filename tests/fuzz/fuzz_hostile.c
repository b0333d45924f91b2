/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_hostile.c: libFuzzer harness for "no message from the network can fail a node". A live
 * 3-node cluster (correct hosts over memory storage) runs on fuzz-chosen operations, and the
 * network also injects, at the input's choice:
 *  - replays of messages delivered earlier (never MsgProp: raft does not dedupe proposals),
 *    which must be handled, never refused;
 *  - forged messages (tests/hostile/forge.c: one field made impossible), which must be refused
 *    and leave the receiver's status and Ready unchanged;
 *  - mutated messages (random damage to bytes or one field), which must never fail a node.
 * Mode (bit 2 of the first byte): strict restarts a node that accepted a mutant before its
 * effects escape (a still-plausible mutant is a forgery no unauthenticated raft can detect), so
 * safety is checked throughout: one leader per term, the same entry at each applied index. Chaos
 * keeps accepted mutants, so only "no node fails, every call returns a documented code" holds.
 * Any node failure is a finding in both modes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hostile/forge.h"
#include "fuzz_host.h"
#include "raftc.h"

#define N_NODES 3
#define MAX_OPS 2000
#define MIN_OPS 400
#define MAX_TERM 4096
#define RING 32
#define MAX_MUTANT 65536

typedef struct hostile {
    fz_node nodes[N_NODES];
    fz_queue q;
    fz_queue replays; /* ring of delivered messages */
    size_t replay_pos;
    fz_commits commits;
    uint64_t leader_of_term[MAX_TERM];
    int chaos;
    const uint8_t *in;
    size_t in_n, in_pos;
    uint64_t rng;
    raftc_sink *forged;
    uint8_t mutant[MAX_MUTANT];
} hostile;

static hostile g_h; /* big: static, reset per input */

static unsigned long long g_totals[4]; /* replayed, forged, mutated, mutants accepted */
static unsigned long long g_inputs;

/* At exit: what this process injected (a failed node aborts before, as a finding). */
static void print_totals(void)
{
    fprintf(stderr, "fuzz_hostile: %llu inputs, %llu hostile messages: %llu replayed, %llu forged "
            "(all refused), %llu mutated (%llu accepted); failed correct nodes: 0\n", g_inputs,
            g_totals[0] + g_totals[1] + g_totals[2], g_totals[0], g_totals[1], g_totals[2],
            g_totals[3]);
}

/* Draws from the input, then from a generator seeded by it. */
static uint64_t rnd(void *ud, uint64_t n)
{
    hostile *h = ud;
    uint64_t v;
    if (h->in_pos < h->in_n) {
        v = h->in[h->in_pos++];
        if (n > 256 && h->in_pos < h->in_n)
            v = v << 8 | h->in[h->in_pos++];
    } else {
        uint64_t z = (h->rng += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        v = z ^ (z >> 27);
    }
    return v % n;
}

static fz_node *node_of(hostile *h, uint64_t id)
{
    return id >= 1 && id <= N_NODES ? &h->nodes[id - 1] : NULL;
}

static void check_node(const fz_node *n, const char *after)
{
    if (raftc_node_is_failed(n->node) && !n->conf_apply_failed)
        fz_fail("node %llu failed after %s: %s", (unsigned long long)n->id, after,
                raftc_node_last_error(n->node));
}

static void check(hostile *h)
{
    for (int i = 0; i < N_NODES; i++) {
        fz_node *n = &h->nodes[i];
        check_node(n, "an operation");
        if (h->chaos || raftc_node_is_failed(n->node))
            continue;
        uint64_t st[RAFTC_ST_COUNT];
        if (raftc_node_status_info(st, RAFTC_ST_COUNT, n->node) != RAFTC_OK)
            fz_fail("status_info failed");
        if (st[RAFTC_ST_RAFT_STATE] != RAFTC_STATE_LEADER || st[RAFTC_ST_TERM] >= MAX_TERM)
            continue;
        uint64_t *slot = &h->leader_of_term[st[RAFTC_ST_TERM]];
        if (*slot != 0 && *slot != n->id)
            fz_fail("two leaders in term %llu: %llu and %llu",
                    (unsigned long long)st[RAFTC_ST_TERM], (unsigned long long)*slot,
                    (unsigned long long)n->id);
        *slot = n->id;
    }
}

static void process(hostile *h, fz_node *n)
{
    for (int i = 0; i < 4 && !raftc_node_is_failed(n->node); i++) {
        int rc = fz_node_process_ready(n, &h->q, h->chaos ? NULL : &h->commits, !h->chaos);
        if (rc <= 0) {
            if (rc < 0 && !n->conf_apply_failed && !h->chaos)
                fz_fail("node %llu ready cycle: %s (%s)", (unsigned long long)n->id,
                        raftc_strerror(rc), raftc_node_last_error(n->node));
            return;
        }
    }
}

static void remember(hostile *h, const fz_msg *m)
{
    if (m->type == RAFTC_MSG_PROP)
        return;
    if (h->replays.n < RING) {
        (void)fz_queue_push(&h->replays, m->buf, m->len);
        return;
    }
    size_t i = h->replay_pos++ % RING;
    fz_msg old;
    fz_queue_remove(&h->replays, i, &old);
    free(old.buf);
    (void)fz_queue_push(&h->replays, m->buf, m->len);
}

static void deliver(hostile *h, size_t i)
{
    fz_msg m;
    fz_queue_remove(&h->q, i, &m);
    fz_node *to = node_of(h, m.to);
    if (to != NULL && !raftc_node_is_failed(to->node)) {
        int rc = raftc_node_step(to->node, m.buf, m.len);
        if (!h->chaos && (rc == RAFTC_EDECODE || rc == RAFTC_EUNKNOWN_TYPE ||
                          rc == RAFTC_ESTEP_LOCAL_MSG || rc == RAFTC_EREFUSED))
            fz_fail("node %llu refused a genuine %s: %s (%s)", (unsigned long long)m.to,
                    raftc_msg_type_name((int)m.type), raftc_strerror(rc),
                    raftc_node_last_error(to->node));
        check_node(to, "a genuine message");
        remember(h, &m);
    }
    free(m.buf);
}

static void replay(hostile *h, size_t i)
{
    if (h->replays.n == 0)
        return;
    const fz_msg *m = &h->replays.v[i % h->replays.n];
    fz_node *to = node_of(h, m->to);
    if (to == NULL || raftc_node_is_failed(to->node))
        return;
    int rc = raftc_node_step(to->node, m->buf, m->len);
    g_totals[0]++;
    if (!h->chaos && rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED &&
        rc != RAFTC_ESTEP_PEER_NOT_FOUND)
        fz_fail("node %llu: replayed %s: %s (%s)", (unsigned long long)m->to,
                raftc_msg_type_name((int)m->type), raftc_strerror(rc),
                raftc_node_last_error(to->node));
    check_node(to, "a replayed message");
}

static void forge(hostile *h, size_t i)
{
    if (h->q.n == 0)
        return;
    const fz_msg *m = &h->q.v[i % h->q.n];
    fz_node *to = node_of(h, m->to);
    if (to == NULL || raftc_node_is_failed(to->node))
        return;
    uint64_t before[RAFTC_ST_COUNT], after[RAFTC_ST_COUNT];
    if (raftc_node_status_info(before, RAFTC_ST_COUNT, to->node) != RAFTC_OK)
        fz_fail("status_info failed");
    forge_target t = {to->id, before[RAFTC_ST_TERM], before[RAFTC_ST_LEAD],
                      (int)before[RAFTC_ST_RAFT_STATE], false};
    raftc_sink_reset(h->forged);
    const char *rule = forge_impossible(h->forged, m->buf, m->len, &t, rnd, h);
    if (rule == NULL)
        return;
    const uint8_t *p;
    size_t len;
    if (raftc_sink_get(&p, &len, h->forged, 0) != RAFTC_OK)
        fz_fail("forged item missing");
    int ready = raftc_node_has_ready(to->node);
    int rc = raftc_node_step(to->node, p, len);
    g_totals[1]++;
    check_node(to, rule);
    if (!forge_refused(rc))
        fz_fail("node %llu accepted a forged message (%s): %s", (unsigned long long)to->id, rule,
                raftc_strerror(rc));
    if (raftc_node_status_info(after, RAFTC_ST_COUNT, to->node) != RAFTC_OK)
        fz_fail("status_info failed");
    if (memcmp(before, after, RAFTC_ST_REFUSED * sizeof(uint64_t)) != 0 ||
        after[RAFTC_ST_REFUSED] < before[RAFTC_ST_REFUSED] ||
        raftc_node_has_ready(to->node) != ready)
        fz_fail("node %llu refused a forged message (%s) but changed", (unsigned long long)to->id,
                rule);
}

static void mutate(hostile *h, size_t i)
{
    if (h->q.n == 0)
        return;
    const fz_msg *m = &h->q.v[i % h->q.n];
    fz_node *to = node_of(h, m->to);
    if (to == NULL || raftc_node_is_failed(to->node))
        return;
    size_t len = forge_mutate(h->mutant, sizeof(h->mutant), m->buf, m->len, rnd, h);
    int rc = raftc_node_step(to->node, h->mutant, len);
    g_totals[2]++;
    check_node(to, "a mutated message");
    if (rc > 0 || rc < RAFTC_EREFUSED)
        fz_fail("step of a mutated message returned %d", rc);
    if (rc != RAFTC_OK)
        return;
    g_totals[3]++;
    if (h->chaos)
        return;
    /* strict: the node's first Ready must still be sane; then it restarts from its storage
     * before anything it did escapes */
    char why[256];
    if (forge_check_ready(to->node, why, sizeof(why)) != 0)
        fz_fail("node %llu after an accepted mutant: %s", (unsigned long long)to->id, why);
    if (fz_node_restart(to) != RAFTC_OK)
        fz_fail("node %llu restart failed", (unsigned long long)to->id);
}

static void run_op(hostile *h, uint8_t b, uint8_t extra)
{
    unsigned op = b & 15, arg = b >> 4;
    fz_node *n = &h->nodes[arg % N_NODES];
    size_t qn = h->q.n;
    if (raftc_node_is_failed(n->node))
        return;
    switch (op) {
    case 0: case 1: (void)raftc_node_tick(n->node); break;
    case 2: (void)raftc_node_campaign(n->node); break;
    case 3: (void)raftc_node_propose(n->node, &extra, 1); break;
    case 4: case 5: /* the oldest few messages in order, or one from anywhere */
        if (arg < 8) {
            for (unsigned k = 0; k < 1u + extra % 8 && h->q.n > 0; k++)
                deliver(h, 0);
        } else if (qn > 0) {
            deliver(h, extra % qn);
        }
        break;
    case 6:
        if (qn > 0)
            fz_queue_remove(&h->q, extra % qn, NULL);
        break;
    case 7: process(h, n); break;
    case 8: case 9: replay(h, extra); break;
    case 10: case 11: case 12: forge(h, extra); break;
    case 13: mutate(h, extra); break;
    case 14: (void)raftc_node_read_index(n->node, &extra, 1); break;
    default:
        for (int i = 0; i < N_NODES; i++) {
            if (!raftc_node_is_failed(h->nodes[i].node)) {
                (void)raftc_node_tick(h->nodes[i].node);
                process(h, &h->nodes[i]);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t voters[N_NODES] = {1, 2, 3};
    hostile *h = &g_h;
    if (g_inputs++ == 0)
        atexit(print_totals);
    memset(h, 0, sizeof(*h));
    if (size < 2)
        return 0;
    h->chaos = (data[0] >> 2) & 1;
    h->in = data;
    h->in_n = size;
    h->rng = fz_hash(data, size);
    if (raftc_sink_new(&h->forged) != RAFTC_OK)
        fz_fail("sink");
    for (int i = 0; i < N_NODES; i++)
        if (fz_node_init(&h->nodes[i], (uint64_t)i + 1, voters, N_NODES, data[0] & 3) != RAFTC_OK)
            fz_fail("node init failed");
    /* Operations read the input from the front, the injectors' random numbers from the back
     * half, so that both change with the input; past the input, operations continue from the
     * generator seeded by it (a short input still drives a long, hostile run). */
    h->in_pos = size / 2;
    for (size_t i = 1; i < MIN_OPS || (i < size / 2 + 1 && i < MAX_OPS); i++) {
        uint8_t op = i < size / 2 + 1 ? data[i] : (uint8_t)rnd(h, 256);
        run_op(h, op, (uint8_t)rnd(h, 256));
        check(h);
    }
    for (int i = 0; i < N_NODES; i++)
        fz_node_free(&h->nodes[i]);
    fz_queue_free(&h->q);
    fz_queue_free(&h->replays);
    raftc_sink_free(h->forged);
    return 0;
}
