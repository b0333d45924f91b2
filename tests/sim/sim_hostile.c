/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_hostile.c: the hostile network of --hostile PM. After a genuine delivery, at the run's
 * rate (drawn per seed in 1..PM per mille; above 1000, several per delivery), the receiver also
 * gets one of:
 *  - a replay: an earlier genuine message (any type but MsgProp, which raft does not dedupe)
 *    delivered again to its destination. Raft tolerates that, so it must be handled like any
 *    message: refusing it would refuse a legitimate message, and every safety check holds.
 *  - a forged message: the delivered one with one field made impossible (tests/hostile/forge.c).
 *    It must be refused (RAFTC_EREFUSED, or etcd's own refusals), which leaves the node
 *    unchanged, so every safety check holds.
 *  - a mutated message: the delivered one damaged at random. It must never fail the node. A
 *    damaged message that is still accepted is a plausible forgery no unauthenticated raft can
 *    detect (a flipped vote, a changed payload), so the receiver's first Ready is checked and
 *    the node is then restarted from its storage before anything it did reaches the network or
 *    its disk: the safety checks stay sound.
 * Heal windows are left alone (liveness is checked there). Totals over all runs of the process
 * are printed at its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hostile/forge.h"
#include "sim.h"

#define RING 128
#define MAX_MSG (1u << 20)

typedef struct ring_msg {
    uint8_t *buf;
    size_t len;
    uint64_t to;
} ring_msg;

static ring_msg ring[RING];
static size_t ring_n, ring_pos;
static uint8_t mutant[MAX_MSG];
static raftc_sink *forged;

sim_hostile_totals sim_hostile_total;

static uint64_t rnd(void *ud, uint64_t n)
{
    (void)ud;
    return sim_below(n);
}

void sim_hostile_reset(void)
{
    for (size_t i = 0; i < ring_n; i++)
        free(ring[i].buf);
    ring_n = ring_pos = 0;
    raftc_sink_free(forged);
    forged = NULL;
}

static void remember(const sim_msg *m)
{
    if (m->type == RAFTC_MSG_PROP || m->len > MAX_MSG)
        return;
    ring_msg *r = &ring[ring_pos];
    if (ring_n == RING)
        free(r->buf);
    else
        ring_n++;
    r->buf = sim_xmalloc(m->len ? m->len : 1);
    memcpy(r->buf, m->buf, m->len);
    r->len = m->len;
    r->to = m->to;
    ring_pos = (ring_pos + 1) % RING;
}

static void target_of(const sim_slot *s, forge_target *t)
{
    uint64_t st[RAFTC_ST_COUNT];
    sim_node_status(s, st);
    t->id = s->id;
    t->term = st[RAFTC_ST_TERM];
    t->lead = st[RAFTC_ST_LEAD];
    t->state = (int)st[RAFTC_ST_RAFT_STATE];
    t->async = false; /* the simulator runs the sync Ready loop */
}

static void describe(const char *what, const uint8_t *buf, size_t len)
{
    char *text = NULL;
    if (raftc_message_describe(&text, buf, len) == RAFTC_OK)
        sim_trace_owned(what, text);
    else
        sim_trace("%s<%zu bytes that do not decode>", what, len);
}

static void replay(void)
{
    if (ring_n == 0)
        return;
    ring_msg *r = &ring[sim_below(ring_n)];
    sim_slot *s = sim_slot_of(r->to);
    if (s == NULL || s->state != SLOT_UP)
        return;
    describe("HOSTILE replay ", r->buf, r->len);
    int rc = raftc_node_step(s->node, r->buf, r->len);
    S.hostile.replayed++;
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED && rc != RAFTC_ESTEP_PEER_NOT_FOUND)
        sim_fail("replayed message to node %llu: %s (%s)", (unsigned long long)s->id,
                 raftc_strerror(rc), raftc_node_last_error(s->node));
}

static void forge(sim_slot *s, const sim_msg *m)
{
    forge_target t;
    target_of(s, &t);
    if (forged == NULL)
        sim_ck(raftc_sink_new(&forged), "raftc_sink_new", NULL);
    const char *rule = NULL;
    for (int tries = 0; tries < 8 && rule == NULL; tries++) {
        raftc_sink_reset(forged);
        rule = forge_impossible(forged, m->buf, m->len, &t, rnd, NULL);
    }
    if (rule == NULL)
        return;
    const uint8_t *p;
    size_t len;
    sim_ck(raftc_sink_get(&p, &len, forged, 0), "forged item", NULL);
    describe("HOSTILE forged ", p, len);
    uint64_t before[RAFTC_ST_COUNT], after[RAFTC_ST_COUNT];
    sim_node_status(s, before);
    int ready_before = raftc_node_has_ready(s->node);
    int rc = raftc_node_step(s->node, p, len);
    S.hostile.forged++;
    if (!forge_refused(rc))
        sim_fail("forged message (%s) to node %llu not refused: %s (%s)", rule,
                 (unsigned long long)s->id, raftc_strerror(rc), raftc_node_last_error(s->node));
    sim_node_status(s, after);
    if (memcmp(before, after, RAFTC_ST_REFUSED * sizeof(uint64_t)) != 0 ||
        after[RAFTC_ST_REFUSED] < before[RAFTC_ST_REFUSED] ||
        raftc_node_has_ready(s->node) != ready_before)
        sim_fail("forged message (%s) to node %llu was refused but changed the node", rule,
                 (unsigned long long)s->id);
    sim_trace("  refused (%s): %s", rule, raftc_node_last_error(s->node));
}

static void mutate(sim_slot *s, const sim_msg *m)
{
    size_t len = forge_mutate(mutant, sizeof(mutant), m->buf, m->len, rnd, NULL);
    describe("HOSTILE mutated ", mutant, len);
    int rc = raftc_node_step(s->node, mutant, len);
    S.hostile.mutated++;
    if (rc == RAFTC_EFAILED || raftc_node_is_failed(s->node) || rc > 0 || rc < RAFTC_EREFUSED)
        sim_fail("mutated message to node %llu: %s (%s)", (unsigned long long)s->id,
                 raftc_strerror(rc), raftc_node_last_error(s->node));
    if (rc != RAFTC_OK)
        return;
    S.hostile.mutants_accepted++;
    char why[256];
    if (forge_check_ready(s->node, why, sizeof(why)) != 0)
        sim_fail("node %llu after an accepted mutant: %s", (unsigned long long)s->id, why);
    sim_trace("n%llu accepted a mutant: restarted from storage", (unsigned long long)s->id);
    sim_node_crash(s);
    sim_node_restart(s);
}

void sim_hostile_after_delivery(const sim_msg *m)
{
    if (S.p.hostile_pm == 0)
        return;
    remember(m);
    sim_slot *s = sim_slot_of(m->to);
    if (S.healing || s == NULL)
        return;
    /* rate/1000 injections per delivery, plus one more with probability (rate % 1000)/1000 */
    int n = S.p.hostile_pm / 1000 + (sim_chance(S.p.hostile_pm % 1000) ? 1 : 0);
    for (int i = 0; i < n && s->state == SLOT_UP; i++) {
        uint64_t kind = sim_below(10);
        if (kind < 4)
            replay();
        else if (kind < 8)
            forge(s, m);
        else
            mutate(s, m);
    }
}

void sim_hostile_end_run(void)
{
    sim_hostile_total.replayed += S.hostile.replayed;
    sim_hostile_total.forged += S.hostile.forged;
    sim_hostile_total.mutated += S.hostile.mutated;
    sim_hostile_total.mutants_accepted += S.hostile.mutants_accepted;
    sim_hostile_reset();
}
