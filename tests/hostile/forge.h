/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * forge.h: hostile raftpb messages for the simulator's and the fuzzer's injection modes
 * (raftc.h only). From a genuine message of a live cluster it builds
 *  - an impossible variant: one field changed so that no correct peer could have sent it
 *    (forge_impossible; the receiver must refuse it and stay unchanged), or
 *  - a mutated copy: random damage to the bytes or to one field, which may or may not still
 *    be plausible (forge_mutate; the receiver must never fail).
 * Replays need no help: a genuine message delivered again is one.
 */
#ifndef RAFTC_FORGE_H
#define RAFTC_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "raftc.h"

/* Uniform random number in [0, n) (n > 0) from the caller's deterministic source. */
typedef uint64_t (*forge_rand_fn)(void *ud, uint64_t n);

/* What the injector knows about the node that will receive the message (its status). */
typedef struct forge_target {
    uint64_t id, term, lead;
    int state;  /* raftc_state_type */
    bool async; /* async storage writes */
} forge_target;

/* Appends to out an impossible variant of the genuine message base (addressed to t->id) and
 * returns the rule's name (static), or NULL if the base did not lend itself to the rule drawn
 * (out unchanged; draw again). */
const char *forge_impossible(raftc_sink *out, const uint8_t *base, size_t len,
                             const forge_target *t, forge_rand_fn rnd, void *ud);

/* Writes a damaged copy of base into dst (capacity cap) and returns its length: flipped bits,
 * overwritten or inserted bytes, a truncation, a splice, or one field re-encoded with a
 * boundary value. */
size_t forge_mutate(uint8_t *dst, size_t cap, const uint8_t *base, size_t len,
                    forge_rand_fn rnd, void *ud);

/* After a node accepted a mutated message: takes its pending Ready, if any, and checks that it
 * was handed out and that its entries are contiguous. Returns 0, or -1 with why (size bytes)
 * filled. The Ready is not advanced: the caller restarts the node from its storage. */
int forge_check_ready(raftc_node *node, char *why, size_t size);

/* Whether rc is what the promise allows for an impossible message: refused (RAFTC_EREFUSED,
 * or etcd's own RAFTC_ESTEP_LOCAL_MSG / RAFTC_ESTEP_PEER_NOT_FOUND refusals). */
bool forge_refused(int rc);

#endif
