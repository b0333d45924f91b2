/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_actions.c: the random actions of one simulator step: proposals, ReadIndex requests,
 * membership changes (add/remove voters and learners, promotion, demotion, joint changes via
 * ConfChangeV2 with auto or explicit leave), leadership transfer, snapshots with log
 * compaction, crashes, restarts and partitions; plus the membership garbage collection that
 * stops nodes which can no longer be part of the cluster.
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"

static sim_slot *random_slot(int state)
{
    sim_slot *pick[SIM_MAX_IDS];
    size_t n = 0;
    for (int i = 0; i < S.n_ids; i++)
        if (S.slots[i].state == state)
            pick[n++] = &S.slots[i];
    return n ? pick[sim_below(n)] : NULL;
}

void sim_propose(sim_slot *s)
{
    uint8_t buf[64];
    uint64_t id = ++S.next_payload;
    size_t len = 9 + (size_t)sim_below(40);
    buf[0] = 'P';
    memcpy(buf + 1, &id, 8);
    for (size_t i = 9; i < len; i++)
        buf[i] = (uint8_t)sim_rand();
    int rc = raftc_node_propose(s->node, buf, len);
    sim_trace("n%llu PROPOSE payload %llu -> %s", (unsigned long long)s->id,
              (unsigned long long)id, raftc_strerror(rc));
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_ck(rc, "raftc_node_propose", s);
}

static void action_propose(void)
{
    sim_slot *l = sim_top_leader();
    sim_slot *s = (l != NULL && sim_below(2)) ? l : random_slot(SLOT_UP);
    if (s != NULL)
        sim_propose(s);
}

static void action_read(void)
{
    sim_slot *s = random_slot(SLOT_UP);
    if (s == NULL)
        return;
    sim_grow((void **)&S.reads, &S.cap_reads, S.n_reads + 1, sizeof(sim_read));
    uint64_t read_id = S.n_reads++;
    S.reads[read_id].node = s->id;
    S.reads[read_id].min_index = S.max_committed;
    uint8_t ctx[8];
    memcpy(ctx, &read_id, 8);
    int rc = raftc_node_read_index(s->node, ctx, sizeof ctx);
    sim_trace("n%llu READINDEX read %llu (acknowledged up to %llu) -> %s",
              (unsigned long long)s->id, (unsigned long long)read_id,
              (unsigned long long)S.max_committed, raftc_strerror(rc));
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_ck(rc, "raftc_node_read_index", s);
}

enum { OP_ADD_VOTER, OP_ADD_LEARNER, OP_PROMOTE, OP_DEMOTE, OP_REMOVE_VOTER, OP_REMOVE_LEARNER,
       OP_REPLACE, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"add voter", "add learner", "promote learner",
                                               "demote voter", "remove voter", "remove learner",
                                               "replace voter (joint)"};

static void action_confchange(void)
{
    sim_slot *l = sim_top_leader();
    if (l == NULL)
        return;
    sim_conf c;
    sim_conf_of(l, &c);
    raftc_sink_reset(S.sk_c);
    int rc;
    if (c.n_outgoing > 0) {
        if (c.auto_leave && !sim_chance(300))
            return;
        rc = raftc_node_propose_conf_change(l->node, RAFTC_CC_V2, NULL, 0);
        sim_trace("n%llu CONFCHANGE leave joint (explicit) -> %s", (unsigned long long)l->id,
                  raftc_strerror(rc));
        if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
            sim_ck(rc, "raftc_node_propose_conf_change", l);
        return;
    }
    bool room = sim_count_live() < SIM_MAX_LIVE && S.n_ids < SIM_MAX_IDS;
    int ops[OP_COUNT];
    int n_ops = 0;
    if (room) {
        ops[n_ops++] = OP_ADD_VOTER;
        ops[n_ops++] = OP_ADD_LEARNER;
        ops[n_ops++] = OP_REPLACE;
    }
    if (c.n_learners > 0) {
        ops[n_ops++] = OP_PROMOTE;
        ops[n_ops++] = OP_REMOVE_LEARNER;
    }
    if (c.n_voters > SIM_MIN_VOTERS) {
        ops[n_ops++] = OP_DEMOTE;
        ops[n_ops++] = OP_REMOVE_VOTER;
    }
    if (n_ops == 0)
        return;
    int op = ops[sim_below((uint64_t)n_ops)];
    raftc_cc_type types[2];
    uint64_t ids[2];
    size_t n = 1;
    sim_slot *joiner = NULL;
    switch (op) {
    case OP_ADD_VOTER:
    case OP_ADD_LEARNER:
    case OP_REPLACE:
        joiner = sim_node_add();
        if (joiner == NULL)
            return;
        types[0] = op == OP_ADD_LEARNER ? RAFTC_CC_ADD_LEARNER_NODE : RAFTC_CC_ADD_NODE;
        ids[0] = joiner->id;
        if (op == OP_REPLACE) {
            types[1] = RAFTC_CC_REMOVE_NODE;
            ids[1] = sim_pick(c.voters, c.n_voters, l->id);
            n = 2;
        }
        break;
    case OP_PROMOTE:
        types[0] = RAFTC_CC_ADD_NODE;
        ids[0] = sim_pick(c.learners, c.n_learners, 0);
        break;
    case OP_REMOVE_LEARNER:
        types[0] = RAFTC_CC_REMOVE_NODE;
        ids[0] = sim_pick(c.learners, c.n_learners, 0);
        break;
    case OP_DEMOTE:
        types[0] = RAFTC_CC_ADD_LEARNER_NODE;
        ids[0] = sim_pick(c.voters, c.n_voters, l->id);
        break;
    default: /* OP_REMOVE_VOTER; now and then the leader itself */
        types[0] = RAFTC_CC_REMOVE_NODE;
        ids[0] = sim_chance(150) ? l->id : sim_pick(c.voters, c.n_voters, l->id);
        break;
    }
    int kind = RAFTC_CC_V2;
    int transition = RAFTC_CC_TRANSITION_AUTO;
    uint64_t enc = n == 1 ? sim_below(4) : 1 + sim_below(3);
    if (enc == 0) {
        kind = RAFTC_CC_V1;
        sim_ck(raftc_conf_change_encode(S.sk_c, types[0], ids[0], NULL, 0), "cc encode", l);
    } else {
        transition = enc == 1   ? RAFTC_CC_TRANSITION_AUTO
                     : enc == 2 ? RAFTC_CC_TRANSITION_JOINT_IMPLICIT
                                : RAFTC_CC_TRANSITION_JOINT_EXPLICIT;
        sim_ck(raftc_conf_change_v2_encode(S.sk_c, transition, types, ids, n, NULL, 0),
               "cc v2 encode", l);
    }
    const uint8_t *buf;
    size_t len;
    sim_ck(raftc_sink_get(&buf, &len, S.sk_c, 0), "cc item", l);
    rc = raftc_node_propose_conf_change(l->node, kind, buf, len);
    sim_trace("n%llu CONFCHANGE %s n%llu (then remove n%llu) (%s, transition %d) -> %s",
              (unsigned long long)l->id, op_names[op], (unsigned long long)ids[0],
              n == 2 ? (unsigned long long)ids[1] : 0ULL, kind == RAFTC_CC_V1 ? "v1" : "v2",
              transition, raftc_strerror(rc));
    S.n_confchanges++;
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_ck(rc, "raftc_node_propose_conf_change", l);
    if (rc != RAFTC_OK && joiner != NULL)
        sim_node_retire(joiner, "its add was not accepted");
}

static void action_transfer(void)
{
    sim_slot *l = sim_top_leader();
    if (l == NULL)
        return;
    sim_conf c;
    sim_conf_of(l, &c);
    uint64_t target = sim_pick(c.voters, c.n_voters, l->id);
    if (target == 0)
        return;
    sim_slot *via = l;
    if (sim_below(3) == 0) {
        sim_slot *f = random_slot(SLOT_UP);
        if (f != NULL)
            via = f;
    }
    int rc = raftc_node_transfer_leader(via->node, target);
    sim_trace("n%llu TRANSFER leadership of n%llu to n%llu -> %s", (unsigned long long)via->id,
              (unsigned long long)l->id, (unsigned long long)target, raftc_strerror(rc));
    S.n_transfers++;
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_ck(rc, "raftc_node_transfer_leader", via);
}

void sim_note_config(uint64_t index, const uint8_t *cs, size_t len)
{
    if (index <= S.latest_cc_index)
        return;
    S.latest_cc_index = index;
    S.n_latest_cc_ids = 0;
    for (int list = RAFTC_CS_VOTERS; list <= RAFTC_CS_LEARNERS_NEXT; list++) {
        size_t n = 0;
        sim_ck(raftc_conf_state_decode(S.latest_cc_ids + S.n_latest_cc_ids, SIM_MAX_IDS, &n, NULL,
                                    cs, len, list),
               "raftc_conf_state_decode", NULL);
        for (size_t i = 0; i < n; i++) {
            sim_slot *m = sim_slot_of(S.latest_cc_ids[S.n_latest_cc_ids + i]);
            if (m != NULL)
                m->was_member = true;
        }
        S.n_latest_cc_ids += n;
    }
}

static bool in_latest_config(uint64_t id)
{
    for (size_t i = 0; i < S.n_latest_cc_ids; i++)
        if (S.latest_cc_ids[i] == id)
            return true;
    return false;
}

void sim_membership_gc(void)
{
    /* A removal is permanent (ids are never reused): a node that was a member and is not in
     * the newest committed config is shut down, as etcd's transport rejects removed members.
     * Without it, a removed node that never learns of its removal keeps disrupting elections. */
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if ((s->state == SLOT_UP || s->state == SLOT_DOWN) && s->was_member &&
            !in_latest_config(s->id))
            sim_node_retire(s, "removed by a committed conf change");
    }
    sim_slot *l = sim_top_leader();
    if (l == NULL)
        return;
    uint64_t st[RAFTC_ST_COUNT];
    sim_node_status(l, st);
    if (st[RAFTC_ST_TERM] != sim_max_term() || st[RAFTC_ST_COMMIT] != st[RAFTC_ST_APPLIED] ||
        l->sm.applied != st[RAFTC_ST_COMMIT])
        return;
    uint64_t last = 0;
    sim_ck(raftc_memstorage_last_index(&last, l->ms), "last_index", l);
    if (last != st[RAFTC_ST_COMMIT])
        return;
    /* The leader of the newest term has applied its whole log: a node outside its config can
     * never join (again), as no pending add exists anywhere. */
    sim_conf c;
    sim_conf_of(l, &c);
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if ((s->state == SLOT_UP || s->state == SLOT_DOWN) && !sim_conf_has(&c, s->id))
            sim_node_retire(s, "not in the config of the up-to-date leader");
    }
}

void sim_actions_step(void)
{
    const sim_opts *o = &S.opts;
    bool faults = !S.healing && !S.quiesce;
    if (!S.quiesce && sim_chance(40))
        action_propose();
    if (!S.quiesce && o->readindex && sim_chance(15))
        action_read();
    if (faults && o->confchange && sim_chance(4))
        action_confchange();
    if (faults && o->transfer && sim_chance(3))
        action_transfer();
    if (o->snapshot && sim_chance(8)) {
        sim_slot *s = random_slot(SLOT_UP);
        if (s != NULL)
            sim_node_snapshot(s);
    }
    if (faults && o->crash && sim_chance(2)) {
        sim_slot *s = random_slot(SLOT_UP);
        if (s != NULL)
            sim_node_crash(s);
    }
    for (int i = 0; i < S.n_ids; i++)
        if (S.slots[i].state == SLOT_DOWN && (S.healing || sim_chance(15)))
            sim_node_restart(&S.slots[i]);
    if (faults && o->partition && sim_chance(3))
        sim_net_partition();
    if (faults && sim_chance(8)) {
        sim_net_heal();
    }
}
