/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_host_check.c: the safety checks of raftc-sim's multi-raft mode, per group, as sim_check.c
 * does for the single group:
 * - election safety: at most one leader per term in each group;
 * - log matching on persisted storage: a (group, index, term) names one entry on every host,
 *   with one predecessor term; a periodic pairwise scan of every replica's disk checks the same;
 * - leader completeness: every entry known committed in a group is in the persisted log of every
 *   leader of a later term of that group;
 * - committed entries survive crashes: no replica persists a different entry over an index it
 *   knows committed;
 * - state machine safety: no two replicas of a group apply different entries at one index;
 * - exactly-once: a payload is applied at one index of one group only, and at the end every
 *   member of every group holds the same payloads, each once, through the group's commit index.
 * An entry is known committed once some replica applied it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_host.h"

static sim_commit *commit_at(int g, uint64_t index)
{
    sh_group *gr = &H.groups[g];
    sim_grow((void **)&gr->commits, &gr->cap_commits, (size_t)index + 1, sizeof(sim_commit));
    return &gr->commits[index];
}

/* The highest term of group g's replicas (current term when up, persisted when down). */
static uint64_t max_term(int g)
{
    uint64_t max = 0;
    for (int i = 0; i < H.n_hosts; i++) {
        const sh_replica *r = &H.hosts[i].r[g];
        if (!r->exists)
            continue;
        uint64_t term = 0;
        if (sim_host_up(i)) {
            uint64_t st[RAFTC_ST_COUNT];
            sim_host_status(i, g, st);
            term = st[RAFTC_ST_TERM];
        } else {
            sim_storage_hard_state(r->disk, &term, NULL, NULL);
        }
        if (term > max)
            max = term;
    }
    return max;
}

void sim_host_check_persisted(int i, int g, const uint8_t *const *ents, const size_t *lens,
                              size_t n)
{
    sh_replica *r = &H.hosts[i].r[g];
    uint64_t commit = 0;
    sim_host_ck(sim_storage_hard_state(r->disk, NULL, NULL, &commit), "initial_state", i);
    uint64_t gid = H.groups[g].id, prev_term = 0;
    bool prev_known = false;
    for (size_t k = 0; k < n; k++) {
        uint64_t term, index;
        raftc_entry_type type;
        const uint8_t *data;
        size_t dlen;
        sim_host_ck(raftc_entry_decode(&term, &index, &type, &data, &dlen, ents[k], lens[k]),
                    "raftc_entry_decode", i);
        if (k == 0 && index > 0)
            prev_known = raftc_memstorage_term(&prev_term, r->disk, index - 1) == RAFTC_OK;
        uint64_t h = sim_ents_hash(type, data, dlen);
        sim_ent_key *key = sim_ents_lookup(&H.ents, gid, index, term);
        if (key->used) {
            if (key->hash != h)
                sim_fail("log matching: h%d g%d persisted a different entry at index %llu term "
                         "%llu",
                         i + 1, g + 1, (unsigned long long)index, (unsigned long long)term);
            if (prev_known && key->prev_term != prev_term)
                sim_fail("log matching: h%d g%d has entry %llu/%llu after term %llu, another "
                         "log has term %llu there",
                         i + 1, g + 1, (unsigned long long)term, (unsigned long long)index,
                         (unsigned long long)prev_term, (unsigned long long)key->prev_term);
        } else if (prev_known) {
            sim_ents_record(&H.ents, key, gid, index, term, h, prev_term);
        }
        sim_commit *c = commit_at(g, index);
        if (index <= commit && c->set && c->term != term)
            sim_fail("committed entry lost: h%d g%d persisted %llu/%llu over the committed "
                     "entry %llu/%llu",
                     i + 1, g + 1, (unsigned long long)term, (unsigned long long)index,
                     (unsigned long long)c->term, (unsigned long long)index);
        prev_term = term;
        prev_known = true;
    }
}

void sim_host_check_apply(int i, int g, uint64_t index, uint64_t term, int type,
                          const uint8_t *data, size_t len)
{
    sh_group *gr = &H.groups[g];
    uint64_t h = sim_ents_hash(type, data, len);
    uint64_t id = type == RAFTC_ENTRY_NORMAL ? sim_payload_id(data, len) : 0;
    if (S.opts.inject && strcmp(S.opts.inject, "diverge") == 0 && i == 1 && index == 12)
        h ^= 1;
    if (id != 0) {
        sim_grow((void **)&S.id_index, &S.cap_id_index, (size_t)id + 1, sizeof(uint64_t));
        /* the index is tagged with the group in the top 8 bits */
        uint64_t tagged = ((uint64_t)(g + 1) << 56) | index;
        if (S.id_index[id] != 0 && S.id_index[id] != tagged)
            sim_fail("exactly-once: h%d applied payload %llu at g%d index %llu, it was applied "
                     "at g%llu index %llu before",
                     i + 1, (unsigned long long)id, g + 1, (unsigned long long)index,
                     (unsigned long long)(S.id_index[id] >> 56),
                     (unsigned long long)(S.id_index[id] & ((1ULL << 56) - 1)));
        S.id_index[id] = tagged;
        if (id > gr->marker_applied)
            gr->marker_applied = id;
    }
    sim_commit *c = commit_at(g, index);
    if (c->set) {
        if (c->term != term || c->hash != h)
            sim_fail("state machine safety: h%d g%d applied %llu/%llu (payload %llu), another "
                     "host applied %llu/%llu (payload %llu)",
                     i + 1, g + 1, (unsigned long long)term, (unsigned long long)index,
                     (unsigned long long)id, (unsigned long long)c->term,
                     (unsigned long long)index, (unsigned long long)c->id);
        return;
    }
    c->set = true;
    c->term = term;
    c->hash = h;
    c->id = id;
    if (index > gr->max_committed)
        gr->max_committed = index;
    if (id != 0)
        S.n_proposals_applied++;
    c->obs_term = max_term(g);
}

void sim_host_check_sm_restore(int i, int g)
{
    const sh_replica *r = &H.hosts[i].r[g];
    const sh_group *gr = &H.groups[g];
    uint64_t prev = 0;
    for (size_t k = 0; k < r->sm.n; k++) {
        sim_pair p = r->sm.pairs[k];
        if (p.index <= prev || p.index > r->sm.applied)
            sim_fail("h%d g%d: state machine snapshot out of order at payload %llu", i + 1,
                     g + 1, (unsigned long long)p.id);
        prev = p.index;
        if (p.index < gr->cap_commits && gr->commits[p.index].set &&
            gr->commits[p.index].id != p.id)
            sim_fail("state machine safety: h%d g%d restored payload %llu at index %llu, the "
                     "group applied payload %llu there",
                     i + 1, g + 1, (unsigned long long)p.id, (unsigned long long)p.index,
                     (unsigned long long)gr->commits[p.index].id);
    }
}

static void leader_complete(int l, int g, uint64_t term)
{
    const sh_group *gr = &H.groups[g];
    raftc_memstorage *disk = H.hosts[l].r[g].disk;
    for (uint64_t i = 1; i <= gr->max_committed; i++) {
        const sim_commit *c = &gr->commits[i];
        if (!c->set || c->obs_term >= term)
            continue;
        uint64_t t = 0;
        int rc = raftc_memstorage_term(&t, disk, i);
        if (rc == RAFTC_ECOMPACTED)
            continue;
        if (rc != RAFTC_OK || t != c->term)
            sim_fail("leader completeness: h%d leads g%d in term %llu without the committed "
                     "entry %llu/%llu (its log has %s%llu)",
                     l + 1, g + 1, (unsigned long long)term, (unsigned long long)c->term,
                     (unsigned long long)i, rc == RAFTC_OK ? "term " : "nothing, rc ",
                     rc == RAFTC_OK ? (unsigned long long)t : (unsigned long long)(-rc));
    }
}

void sim_host_check_step(void)
{
    for (int g = 0; g < H.n_groups; g++) {
        sh_group *gr = &H.groups[g];
        for (int i = 0; i < H.n_hosts; i++) {
            raftc_node *n = sim_host_node(i, g);
            if (n == NULL)
                continue;
            if (raftc_node_is_failed(n))
                sim_fail("h%d g%d is failed: %s", i + 1, g + 1, raftc_node_last_error(n));
            uint64_t st[RAFTC_ST_COUNT];
            raftc_node_status_info(st, RAFTC_ST_COUNT, n);
            if (st[RAFTC_ST_RAFT_STATE] != RAFTC_STATE_LEADER)
                continue;
            uint64_t term = st[RAFTC_ST_TERM];
            sim_grow((void **)&gr->term_leader, &gr->cap_term_leader, (size_t)term + 1,
                     sizeof(uint64_t));
            uint64_t who = (uint64_t)i + 1;
            if (gr->term_leader[term] != 0 && gr->term_leader[term] != who)
                sim_fail("election safety: h%llu and h%d both lead g%d in term %llu",
                         (unsigned long long)gr->term_leader[term], i + 1, g + 1,
                         (unsigned long long)term);
            if (gr->term_leader[term] == 0) {
                gr->term_leader[term] = who;
                sim_trace("h%d g%d LEADER of term %llu", i + 1, g + 1, (unsigned long long)term);
                leader_complete(i, g, term);
            }
        }
    }
}

void sim_host_check_full_logs(void)
{
    for (int g = 0; g < H.n_groups; g++)
        for (int a = 0; a < H.n_hosts; a++)
            for (int b = a + 1; b < H.n_hosts; b++) {
                const sh_replica *ra = &H.hosts[a].r[g], *rb = &H.hosts[b].r[g];
                if (!ra->exists || !rb->exists)
                    continue;
                uint64_t fa = 0, la = 0, fb = 0, lb = 0;
                raftc_memstorage_first_index(&fa, ra->disk);
                raftc_memstorage_last_index(&la, ra->disk);
                raftc_memstorage_first_index(&fb, rb->disk);
                raftc_memstorage_last_index(&lb, rb->disk);
                uint64_t lo = fa > fb ? fa : fb, hi = la < lb ? la : lb;
                /* the highest index with equal terms: everything up to it must be equal */
                for (uint64_t k = hi; k >= lo && k > 0; k--) {
                    uint64_t ta = 0, tb = 0;
                    if (raftc_memstorage_term(&ta, ra->disk, k) != RAFTC_OK ||
                        raftc_memstorage_term(&tb, rb->disk, k) != RAFTC_OK || ta != tb)
                        continue;
                    for (uint64_t j = lo; j <= k; j++) {
                        raftc_sink_reset(S.sk_a);
                        raftc_sink_reset(S.sk_b);
                        const uint8_t *ea, *eb;
                        size_t na, nb;
                        if (raftc_memstorage_entries(S.sk_a, ra->disk, j, j + 1, RAFTC_NO_LIMIT) !=
                                RAFTC_OK ||
                            raftc_memstorage_entries(S.sk_b, rb->disk, j, j + 1, RAFTC_NO_LIMIT) !=
                                RAFTC_OK ||
                            raftc_sink_get(&ea, &na, S.sk_a, 0) != RAFTC_OK ||
                            raftc_sink_get(&eb, &nb, S.sk_b, 0) != RAFTC_OK)
                            sim_fail("log matching scan: g%d entry %llu unreadable", g + 1,
                                     (unsigned long long)j);
                        if (na != nb || memcmp(ea, eb, na) != 0)
                            sim_fail("log matching: g%d h%d and h%d agree on the term of index "
                                     "%llu but differ at %llu",
                                     g + 1, a + 1, b + 1, (unsigned long long)k,
                                     (unsigned long long)j);
                    }
                    break;
                }
            }
}

void sim_host_check_final(void)
{
    for (int g = 0; g < H.n_groups; g++) {
        const sh_group *gr = &H.groups[g];
        int l = sim_host_top_leader(g);
        if (l < 0)
            sim_fail("final: group %d has no leader", g + 1);
        const sh_replica *lr = &H.hosts[l].r[g];
        if (lr->sm.applied < gr->max_committed)
            sim_fail("committed entry lost: g%d's leader h%d applied %llu, index %llu was "
                     "applied before",
                     g + 1, l + 1, (unsigned long long)lr->sm.applied,
                     (unsigned long long)gr->max_committed);
        for (int i = 0; i < H.n_hosts; i++) {
            const sh_replica *r = &H.hosts[i].r[g];
            if (!r->exists || !(gr->latest_members & (1u << i)) || r->sm.applied != lr->sm.applied)
                continue;
            /* same applied index: the same payloads, each once, at the same indexes (the
             * snapshot-restored prefix included) */
            if (r->sm.n != lr->sm.n ||
                (r->sm.n > 0 && memcmp(r->sm.pairs, lr->sm.pairs, r->sm.n * sizeof(sim_pair)) != 0))
                sim_fail("final: g%d h%d's state machine differs from its leader h%d's at "
                         "applied %llu (%zu vs %zu payloads)",
                         g + 1, i + 1, l + 1, (unsigned long long)r->sm.applied, r->sm.n, lr->sm.n);
            for (size_t k = 0; k < r->sm.n; k++) {
                uint64_t id = r->sm.pairs[k].id;
                uint64_t tagged = ((uint64_t)(g + 1) << 56) | r->sm.pairs[k].index;
                if (id >= S.cap_id_index || S.id_index[id] != tagged)
                    sim_fail("exactly-once: g%d h%d holds payload %llu at index %llu, applied "
                             "elsewhere at another index",
                             g + 1, i + 1, (unsigned long long)id,
                             (unsigned long long)r->sm.pairs[k].index);
            }
        }
    }
}

void sim_host_check_free(void)
{
    for (int g = 0; g < SH_MAX_GROUPS; g++) {
        free(H.groups[g].commits);
        free(H.groups[g].term_leader);
    }
    sim_ents_free(&H.ents);
}
