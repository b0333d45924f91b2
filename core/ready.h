/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * ready.h: one Ready (etcd's raft.Ready) as a value: what the host persists, applies and sends.
 * rawnode.h makes and accepts them; describe.h prints them. (Implemented in rawnode.c.)
 */
#ifndef RC_READY_H
#define RC_READY_H

#include <stdbool.h>
#include <stddef.h>
#include "types.h"

/* One Ready (etcd's raft.Ready). Owns deep copies of everything; release with rc_ready_free. */
typedef struct rc_ready {
    bool has_soft_state;          /* SoftState changed */
    rc_soft_state soft_state;
    rc_hard_state hard_state;     /* all-zero when unchanged */
    rc_read_state *read_states;   /* owned */
    size_t n_read_states;
    rc_entries entries;           /* unstable entries to persist */
    rc_snapshot *snapshot;        /* owned; NULL when none */
    rc_entries committed_entries; /* to apply */
    rc_msgs messages;             /* to send (including local-thread messages in async mode) */
    size_t n_messages_now;        /* messages[0, n) may be sent before persisting */
    bool must_sync;
    bool reset;                   /* holds nothing since its last rc_ready_reset (a zeroed
                                   * Ready is reset anyway: false) */
} rc_ready;

void rc_ready_free(rc_ready *rd); /* frees the contents and zeroes *rd */
/* Frees the contents but keeps the entry and message arrays' capacity for reuse by
 * rc_rawnode_ready_into (so steady-state Readys allocate nothing). rd must be zeroed or valid. */
void rc_ready_reset(rc_ready *rd);
/* True iff the Ready holds nothing (etcd's IsEmpty-like; DescribeReady gives "<empty Ready>"). */
bool rc_ready_is_empty(const rc_ready *rd);

#endif
