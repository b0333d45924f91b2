/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_host_actions.c: the random actions of one step of raftc-sim's multi-raft mode: proposals
 * in random groups at random hosts, membership changes per group (a group starts on 3 of the
 * hosts and may add the others, as voters or learners, promote, demote and remove; a host
 * removed from a group never rejoins it, as node ids are not per group), leadership transfer,
 * snapshots with compaction, whole-host crashes and restarts, partitions; plus the membership
 * garbage collection that removes a group from a host no longer in its config.
 */
#include <stdio.h>
#include <string.h>

#include "sim_host.h"

static int random_up_host(void)
{
    int pick[SH_MAX_HOSTS], n = 0;
    for (int i = 0; i < H.n_hosts; i++)
        if (sim_host_up(i))
            pick[n++] = i;
    return n ? pick[sim_below((uint64_t)n)] : -1;
}

void sim_host_propose(int i, int g)
{
    uint8_t buf[64];
    uint64_t id = ++S.next_payload;
    size_t len = 9 + (size_t)sim_below(40);
    buf[0] = 'P';
    memcpy(buf + 1, &id, 8);
    for (size_t k = 9; k < len; k++)
        buf[k] = (uint8_t)sim_rand();
    int rc = raftc_host_propose(H.hosts[i].h, H.groups[g].id, buf, len);
    sim_trace("h%d g%d PROPOSE payload %llu -> %s", i + 1, g + 1, (unsigned long long)id,
              raftc_strerror(rc));
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED && rc != RAFTC_ENOTFOUND)
        sim_host_ck(rc, "raftc_host_propose", i);
}

static void action_propose(void)
{
    int g = (int)sim_below((uint64_t)H.n_groups);
    int l = sim_host_top_leader(g);
    int i = (l >= 0 && sim_below(2)) ? l : random_up_host();
    if (i >= 0)
        sim_host_propose(i, g);
}

void sim_host_conf_of(int i, int g, sim_conf *c)
{
    memset(c, 0, sizeof *c);
    raftc_node *n = sim_host_node(i, g);
    if (n == NULL)
        return;
    raftc_sink_reset(S.sk_b);
    sim_host_ck(raftc_node_conf_state(S.sk_b, n), "raftc_node_conf_state", i);
    const uint8_t *cs;
    size_t len;
    sim_host_ck(raftc_sink_get(&cs, &len, S.sk_b, 0), "conf state item", i);
    uint64_t *lists[4] = {c->voters, c->learners, c->outgoing, c->learners_next};
    size_t *ns[4] = {&c->n_voters, &c->n_learners, &c->n_outgoing, &c->n_learners_next};
    for (int k = 0; k < 4; k++)
        sim_host_ck(raftc_conf_state_decode(lists[k], SIM_MAX_IDS, ns[k], &c->auto_leave, cs,
                                            len, RAFTC_CS_VOTERS + k),
                    "raftc_conf_state_decode", i);
}

static void action_confchange(void)
{
    int g = (int)sim_below((uint64_t)H.n_groups);
    int l = sim_host_top_leader(g);
    if (l < 0)
        return;
    sh_group *gr = &H.groups[g];
    raftc_node *ln = sim_host_node(l, g);
    sim_conf c;
    sim_host_conf_of(l, g, &c);
    int rc;
    if (c.n_outgoing > 0) {
        if (c.auto_leave && !sim_chance(300))
            return;
        rc = raftc_node_propose_conf_change(ln, RAFTC_CC_V2, NULL, 0);
        sim_host_ck(raftc_host_wake_group(H.hosts[l].h, gr->id), "raftc_host_wake_group", l);
        sim_trace("h%d g%d CONFCHANGE leave joint -> %s", l + 1, g + 1, raftc_strerror(rc));
        if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
            sim_host_ck(rc, "raftc_node_propose_conf_change", l);
        return;
    }
    /* a host never in this group and up (its replica is created empty) */
    int fresh = -1;
    for (int i = 0; i < H.n_hosts && fresh < 0; i++)
        if (!(gr->ever & (1u << i)) && sim_host_up(i))
            fresh = i;
    raftc_cc_type type;
    uint64_t id;
    const char *what;
    switch (sim_below(4)) {
    case 0: /* add a voter or a learner */
        if (fresh < 0)
            return;
        type = sim_below(2) ? RAFTC_CC_ADD_NODE : RAFTC_CC_ADD_LEARNER_NODE;
        id = (uint64_t)fresh + 1;
        what = type == RAFTC_CC_ADD_NODE ? "add voter" : "add learner";
        gr->ever |= 1u << fresh;
        sim_host_add_replica(fresh, g);
        break;
    case 1: /* promote a learner, or remove one */
        if (c.n_learners == 0)
            return;
        type = sim_below(2) ? RAFTC_CC_ADD_NODE : RAFTC_CC_REMOVE_NODE;
        id = sim_pick(c.learners, c.n_learners, 0);
        what = type == RAFTC_CC_ADD_NODE ? "promote learner" : "remove learner";
        break;
    case 2: /* demote a voter */
        if (c.n_voters <= SIM_MIN_VOTERS)
            return;
        type = RAFTC_CC_ADD_LEARNER_NODE;
        id = sim_pick(c.voters, c.n_voters, (uint64_t)l + 1);
        what = "demote voter";
        break;
    default: /* remove a voter, now and then the leader itself */
        if (c.n_voters <= SIM_MIN_VOTERS)
            return;
        type = RAFTC_CC_REMOVE_NODE;
        id = sim_chance(150) ? (uint64_t)l + 1 : sim_pick(c.voters, c.n_voters, (uint64_t)l + 1);
        what = "remove voter";
        break;
    }
    raftc_sink_reset(S.sk_c);
    int kind = sim_below(2) ? RAFTC_CC_V1 : RAFTC_CC_V2;
    if (kind == RAFTC_CC_V1) {
        sim_host_ck(raftc_conf_change_encode(S.sk_c, type, id, NULL, 0), "cc encode", l);
    } else {
        int tr = sim_below(3) == 0 ? RAFTC_CC_TRANSITION_JOINT_EXPLICIT : RAFTC_CC_TRANSITION_AUTO;
        sim_host_ck(raftc_conf_change_v2_encode(S.sk_c, tr, &type, &id, 1, NULL, 0),
                    "cc v2 encode", l);
    }
    const uint8_t *buf;
    size_t len;
    sim_host_ck(raftc_sink_get(&buf, &len, S.sk_c, 0), "cc item", l);
    rc = raftc_node_propose_conf_change(ln, kind, buf, len);
    sim_host_ck(raftc_host_wake_group(H.hosts[l].h, gr->id), "raftc_host_wake_group", l);
    sim_trace("h%d g%d CONFCHANGE %s h%llu (%s) -> %s", l + 1, g + 1, what,
              (unsigned long long)id, kind == RAFTC_CC_V1 ? "v1" : "v2", raftc_strerror(rc));
    S.n_confchanges++;
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_host_ck(rc, "raftc_node_propose_conf_change", l);
}

static void action_transfer(void)
{
    int g = (int)sim_below((uint64_t)H.n_groups);
    int l = sim_host_top_leader(g);
    if (l < 0)
        return;
    sim_conf c;
    sim_host_conf_of(l, g, &c);
    uint64_t target = sim_pick(c.voters, c.n_voters, (uint64_t)l + 1);
    if (target == 0)
        return;
    int rc = raftc_node_transfer_leader(sim_host_node(l, g), target);
    sim_host_ck(raftc_host_wake_group(H.hosts[l].h, H.groups[g].id), "raftc_host_wake_group",
                l);
    sim_trace("h%d g%d TRANSFER leadership to h%llu -> %s", l + 1, g + 1,
              (unsigned long long)target, raftc_strerror(rc));
    S.n_transfers++;
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED)
        sim_host_ck(rc, "raftc_node_transfer_leader", l);
}

void sim_host_note_config(int g, uint64_t index, const uint8_t *cs, size_t len)
{
    sh_group *gr = &H.groups[g];
    if (index <= gr->latest_cc_index)
        return;
    gr->latest_cc_index = index;
    gr->latest_members = 0;
    for (int list = RAFTC_CS_VOTERS; list <= RAFTC_CS_LEARNERS_NEXT; list++) {
        uint64_t ids[SIM_MAX_IDS];
        size_t n = 0;
        sim_host_ck(raftc_conf_state_decode(ids, SIM_MAX_IDS, &n, NULL, cs, len, list),
                    "raftc_conf_state_decode", -1);
        for (size_t k = 0; k < n; k++)
            if (ids[k] >= 1 && ids[k] <= (uint64_t)H.n_hosts) {
                gr->latest_members |= 1u << (ids[k] - 1);
                H.hosts[ids[k] - 1].r[g].was_member = true;
            }
    }
}

void sim_host_membership_gc(void)
{
    /* A replica that was a member and is not in the newest committed config is removed from
     * its host for good (its host never rejoins the group). */
    for (int g = 0; g < H.n_groups; g++)
        for (int i = 0; i < H.n_hosts; i++) {
            sh_replica *r = &H.hosts[i].r[g];
            if (r->exists && r->was_member && !(H.groups[g].latest_members & (1u << i)))
                sim_host_retire(i, g, "removed by a committed conf change");
        }
    /* A joiner whose add was lost: once the leader of the newest term applied its whole log
     * without it in its config, no pending add exists anywhere, and it never joins. */
    for (int g = 0; g < H.n_groups; g++) {
        int l = sim_host_top_leader(g);
        if (l < 0)
            continue;
        uint64_t st[RAFTC_ST_COUNT], last = 0;
        sim_host_status(l, g, st);
        sh_replica *lr = &H.hosts[l].r[g];
        if (raftc_memstorage_last_index(&last, lr->disk) != RAFTC_OK ||
            st[RAFTC_ST_COMMIT] != last || lr->sm.applied != last)
            continue;
        bool newest = true;
        for (int i = 0; i < H.n_hosts && newest; i++) {
            uint64_t s2[RAFTC_ST_COUNT];
            sim_host_status(i, g, s2);
            newest = s2[RAFTC_ST_TERM] <= st[RAFTC_ST_TERM];
        }
        if (!newest)
            continue;
        sim_conf c;
        sim_host_conf_of(l, g, &c);
        for (int i = 0; i < H.n_hosts; i++) {
            sh_replica *r = &H.hosts[i].r[g];
            if (r->exists && !r->was_member && !sim_conf_has(&c, (uint64_t)i + 1))
                sim_host_retire(i, g, "not in the config of the up-to-date leader");
        }
    }
}

void sim_host_actions_step(void)
{
    const sim_opts *o = &S.opts;
    bool faults = !S.healing && !S.quiesce;
    if (!S.quiesce && sim_chance(150))
        action_propose();
    if (faults && o->confchange && H.n_hosts > 3 && sim_chance(20))
        action_confchange();
    if (faults && o->transfer && sim_chance(4))
        action_transfer();
    if (o->snapshot && sim_chance(40)) {
        int i = random_up_host();
        if (i >= 0)
            sim_host_snapshot(i, (int)sim_below((uint64_t)H.n_groups), true);
    }
    if (faults && o->crash && sim_chance(2)) {
        int i = random_up_host();
        if (i >= 0)
            sim_host_crash(i);
    }
    for (int i = 0; i < H.n_hosts; i++)
        if (!sim_host_up(i) && (S.healing || sim_chance(15)))
            sim_host_restart(i);
    if (faults && o->partition && sim_chance(3))
        sim_host_net_partition();
    if (faults && sim_chance(8))
        sim_host_net_heal();
}
