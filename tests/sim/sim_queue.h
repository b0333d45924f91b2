/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_queue.h: the messages in flight on raftc-sim's network, in both modes (raftpb Messages
 * between nodes, sim_net.c; multiraftpb Envelopes between hosts, sim_host_net.c): each a copy
 * of its bytes with a delivery time, handed out in (delivery time, send order) order.
 */
#ifndef RAFTC_SIM_QUEUE_H
#define RAFTC_SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

/* A message in flight. from and to are node ids (single-group mode) or host indexes
 * (multi-raft mode); type is the raftpb type of a node's message (0 for an envelope). */
typedef struct sim_msg {
    uint8_t *buf;
    size_t len;
    uint64_t from, to, at, seq;
    int type;
} sim_msg;

typedef struct sim_queue {
    sim_msg *msgs;
    size_t n, cap;
    uint64_t seq; /* send order of the next message */
} sim_queue;

/* The delay of a message sent now, in units (S.p.max_delay; a fixed latency without
 * reordering and while healing, so that every link is FIFO). Draws from the run's random
 * source. */
uint64_t sim_queue_delay(void);
/* Queues a copy of the len bytes at buf from -> to, due at time at. */
void sim_queue_push(sim_queue *q, const uint8_t *buf, size_t len, uint64_t from, uint64_t to,
                    int type, uint64_t at);
/* Takes every message due at or before now out of q and calls deliver on each, in (delivery
 * time, send order) order, freeing its bytes after the call. deliver may queue new
 * messages (they wait for a later call). */
void sim_queue_deliver_due(sim_queue *q, uint64_t now, void (*deliver)(sim_msg *m));
/* Drops every queued message (their bytes are freed; the array is kept). */
void sim_queue_clear(sim_queue *q);
/* sim_queue_clear, and frees the array. */
void sim_queue_free(sim_queue *q);

#endif /* RAFTC_SIM_QUEUE_H */
