/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * read_only.h: ReadIndex bookkeeping (etcd's readOnly), v3.7 style: each ReadOnlySafe request
 * is tagged with a monotonically increasing counter that the leader sends as an 8-byte
 * little-endian heartbeat Context; followers echo it, and a request is confirmed once a quorum
 * of voters acked a counter >= its own (quorum CommittedIndex over the acked counters).
 */
#ifndef RC_READ_ONLY_H
#define RC_READ_ONLY_H

#include <stdbool.h>
#include <stdint.h>
#include "quorum.h"
#include "types.h"

#define RC_READ_ONLY_CTX_LEN 8

/* One pending ReadIndex request. */
typedef struct rc_read_index_status {
    rc_message req; /* owned copy of the MsgReadIndex (From, Entries[0].Data = request ctx) */
    uint64_t index; /* the leader's commit index when the request arrived */
    uint64_t ctx;   /* the heartbeat counter whose quorum ack confirms it */
} rc_read_index_status;

typedef struct rc_read_ack { uint64_t id; uint64_t ctx; } rc_read_ack;

typedef struct rc_read_only {
    int option; /* rc_read_only_option */
    rc_read_index_status *pending; /* FIFO, ctx ascending */
    size_t n_pending, cap_pending;
    uint64_t next_ctx; /* the last counter handed out; survives resets */
    rc_read_ack *acks; /* highest counter acked per peer, unsorted */
    size_t n_acks, cap_acks;
} rc_read_only;

void rc_read_only_init(rc_read_only *ro, int option);
/* Drops pending requests and acks (etcd's newReadOnly on reset); keeps option and counter. */
void rc_read_only_reset(rc_read_only *ro);
void rc_read_only_free(rc_read_only *ro);
/* With no request pending, frees the arrays (the acks only ever serve pending requests: a later
 * request's counter is above every recorded ack). */
void rc_read_only_release_idle(rc_read_only *ro);

/* Queues a copy of m confirmed at commit `index`; *ctx receives its new counter.
 * RC_ERR_NOMEM on failure (nothing queued). */
int rc_read_only_add_request(rc_read_only *ro, uint64_t index, const rc_message *m,
                             uint64_t *ctx);
/* Records that `id` acked counter `ctx` (keeps the maximum). RC_ERR_NOMEM on failure. */
int rc_read_only_recv_ack(rc_read_only *ro, uint64_t id, uint64_t ctx);
/* The counter of the newest pending request; false if none is pending. */
bool rc_read_only_last_pending_ctx(const rc_read_only *ro, uint64_t *ctx);
/* Pops, in order, every pending request whose counter is acked by a quorum of `voters`.
 * *out (rc_free'd by the caller after rc_message_free of each req) / *n receive them. */
int rc_read_only_advance(rc_read_only *ro, const rc_joint *voters, rc_read_index_status **out,
                         size_t *n);
size_t rc_read_only_pending_count(const rc_read_only *ro);

/* The 8-byte little-endian heartbeat context form of a counter. */
void rc_read_only_encode_ctx(uint8_t out[RC_READ_ONLY_CTX_LEN], uint64_t ctx);
/* Parses a heartbeat context; false unless it is exactly 8 bytes. */
bool rc_read_only_decode_ctx(const rc_bytes *b, uint64_t *ctx);

#endif
