/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_sm.h: the application state machine every replica of raftc-sim runs, in both modes (a
 * single-group node, sim_node.c; a group's replica on a multi-raft host, sim_host.c): the
 * payload ids applied, in order, with their indexes; the applied index; the config (raftpb
 * ConfState) as of it; and the snapshot data that carries it (u64 applied, u64 n, n x (u64
 * index, u64 payload id), host byte order).
 */
#ifndef RAFTC_SIM_SM_H
#define RAFTC_SIM_SM_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_pair {
    uint64_t index, id;
} sim_pair;

typedef struct sim_sm {
    uint64_t applied;
    uint64_t snap_index;   /* index of the storage's snapshot (kept by sim_sm_clear) */
    sim_pair *pairs;       /* the payloads applied, in order */
    size_t n, cap;
    uint8_t *conf_state;   /* raftpb ConfState as of applied (NULL: none yet) */
    size_t conf_state_len;
} sim_sm;

/* Forgets what a crash loses from memory: the payloads (keeping the array), applied and the
 * config; snap_index stays. */
void sim_sm_clear(sim_sm *sm);
/* sim_sm_clear, and frees the payload array. */
void sim_sm_free(sim_sm *sm);
/* Appends payload id applied at index. */
void sim_sm_push(sim_sm *sm, uint64_t index, uint64_t id);
/* Replaces the config with a copy of the len bytes of ConfState cs. */
void sim_sm_set_conf_state(sim_sm *sm, const uint8_t *cs, size_t len);
/* The snapshot data of sm at its applied index (malloc'd, *len bytes; the caller frees it). */
uint8_t *sim_sm_encode(const sim_sm *sm, size_t *len);
/* Restores sm from a raftpb Snapshot (its data and conf state); applied and snap_index become
 * its index. Returns raftc_snapshot_decode's error (sm untouched) for the caller to report, or
 * RAFTC_OK; fails the run (messages prefixed "who: ") if the data is malformed, of another
 * index, or missing from a snapshot past index 0. Uses S.sk_b and S.sk_c. */
int sim_sm_restore(sim_sm *sm, const char *who, const uint8_t *snap, size_t snap_len);

#endif /* RAFTC_SIM_SM_H */
