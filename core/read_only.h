/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * read_only.h: ReadIndex bookkeeping (etcd's readOnly), v3.7 style: ReadOnlySafe requests are
 * confirmed by a heartbeat quorum whose context is an 8-byte little-endian counter.
 */
#ifndef RC_READ_ONLY_H
#define RC_READ_ONLY_H

#include <stdbool.h>
#include <stdint.h>
#include "types.h"

/* Opaque to raft.c's users; fields are private to read_only.c and raft.c. */
typedef struct rc_read_index_status rc_read_index_status;

typedef struct rc_read_only {
    int option; /* rc_read_only_option */
    /* Implementation-defined queue of pending requests and heartbeat acks. */
    rc_read_index_status *pending;
    size_t n_pending, cap_pending;
    uint64_t next_ctx; /* counter sent in heartbeat contexts */
    void *acks; size_t n_acks, cap_acks;
} rc_read_only;

#endif
