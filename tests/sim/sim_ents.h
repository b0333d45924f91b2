/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_ents.h: the log matching table of raftc-sim's checkers, in both modes (sim_check.c with
 * group 0, sim_host_check.c per group): (group, index, term) -> the identity of the entry first
 * persisted there (a hash of its type and data) and the term of the entry before it.
 */
#ifndef RAFTC_SIM_ENTS_H
#define RAFTC_SIM_ENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sim_ent_key {
    uint64_t group, index, term, hash, prev_term;
    bool used;
} sim_ent_key;

/* An open-addressing hash table of sim_ent_key (cap a power of two, at most half full). */
typedef struct sim_ents {
    sim_ent_key *keys;
    size_t n, cap;
} sim_ents;

/* The identity of an entry: a hash of its type and data. */
uint64_t sim_ents_hash(int type, const uint8_t *data, size_t len);
/* The key of (group, index, term): used if recorded, else a free one for sim_ents_record
 * (valid until the next lookup). Grows the table; out of memory fails the run. */
sim_ent_key *sim_ents_lookup(sim_ents *t, uint64_t group, uint64_t index, uint64_t term);
/* Records the entry (hash, prev_term) in the free key that sim_ents_lookup returned for
 * (group, index, term). */
void sim_ents_record(sim_ents *t, sim_ent_key *key, uint64_t group, uint64_t index,
                     uint64_t term, uint64_t hash, uint64_t prev_term);
/* Frees the table (empty again). */
void sim_ents_free(sim_ents *t);

#endif /* RAFTC_SIM_ENTS_H */
