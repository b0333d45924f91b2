/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_ents.c: the checkers' log matching table (sim_ents.h), shared by the single-group and
 * the multi-raft modes.
 */
#include <stdlib.h>

#include "sim.h"

uint64_t sim_ents_hash(int type, const uint8_t *data, size_t len)
{
    uint64_t t = (uint64_t)type;
    return sim_hash(sim_hash(0, &t, sizeof t), data, len);
}

static sim_ent_key *slot(sim_ents *t, uint64_t group, uint64_t index, uint64_t term)
{
    size_t mask = t->cap - 1;
    size_t h = (size_t)((index * 0x9e3779b97f4a7c15ULL) ^ (term * 0xc2b2ae3d27d4eb4fULL) ^
                        (group * 0x165667b19e3779f9ULL));
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        sim_ent_key *k = &t->keys[i];
        if (!k->used || (k->index == index && k->term == term && k->group == group))
            return k;
    }
}

sim_ent_key *sim_ents_lookup(sim_ents *t, uint64_t group, uint64_t index, uint64_t term)
{
    if ((t->n + 1) * 2 > t->cap) {
        sim_ent_key *old = t->keys;
        size_t old_cap = t->cap;
        t->cap = old_cap ? old_cap * 2 : 1024;
        t->keys = calloc(t->cap, sizeof *t->keys);
        if (t->keys == NULL)
            sim_fail("out of memory");
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].used)
                *slot(t, old[i].group, old[i].index, old[i].term) = old[i];
        free(old);
    }
    return slot(t, group, index, term);
}

void sim_ents_record(sim_ents *t, sim_ent_key *key, uint64_t group, uint64_t index,
                     uint64_t term, uint64_t hash, uint64_t prev_term)
{
    key->used = true;
    key->group = group;
    key->index = index;
    key->term = term;
    key->hash = hash;
    key->prev_term = prev_term;
    t->n++;
}

void sim_ents_free(sim_ents *t)
{
    free(t->keys);
    t->keys = NULL;
    t->n = t->cap = 0;
}
