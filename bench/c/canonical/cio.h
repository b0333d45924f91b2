/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * cio.h: an in-memory raft_io backend for canonical/raft (libraft 0.15), for benchmarks only.
 * Every node of a process shares one cio_loop: a FIFO of completions (append, send, snapshot
 * callbacks run after the call that queued them returned, as an asynchronous disk and network
 * would) and a wire of encoded messages. Messages cross the wire in canonical's own format:
 * encoded with libraft's uvEncodeMessage and decoded with uvDecodeMessage and
 * uvDecodeEntriesBatch (linked from libraft.a), exactly the bytes its TCP transport sends.
 * "Persisting" keeps the term, the vote and, per entry, its term, type and length (the payload
 * stays in raft's own log, as the MemoryStorage of the etcd-style libraries shares it); there
 * is no commit index to persist in canonical/raft.
 */
#ifndef RAFTC_BENCH_CIO_H
#define RAFTC_BENCH_CIO_H

#include <stddef.h>
#include <stdint.h>

#include <raft.h>

#define CIO_MAX_NODES 3

typedef struct cio_loop cio_loop;

/* One node's backend: embed it and pass &n->io to raft_init. */
typedef struct cio_node {
    struct raft_io io;
    cio_loop *loop;
    raft_id id;
    char address[8];
    raft_io_tick_cb tick;
    raft_io_recv_cb recv;
    /* persisted state */
    raft_term term;
    raft_id vote;
    raft_index start; /* index of entries[0] */
    struct cio_meta { raft_term term; unsigned short type; size_t len; } *meta;
    size_t n_meta, cap_meta;
    struct raft_buffer conf; /* bootstrap configuration, encoded (entry 1) */
    struct raft_snapshot *snap; /* last snapshot put (copy), or NULL */
} cio_node;

/* Creates a loop with a logical clock at 0 ms. NULL on no memory. */
cio_loop *cio_loop_new(void);
/* Frees the loop (its pending work must have been run). */
void cio_loop_free(cio_loop *l);
/* Initializes n as node id of loop l (raft_io version 1). */
void cio_node_init(cio_node *n, cio_loop *l, raft_id id);
/* Frees what the backend holds for n (after raft_close completed). */
void cio_node_close(cio_node *n);
/* Sets the clock (ms) returned by io->time. */
void cio_loop_set_time(cio_loop *l, raft_time ms);
/* Calls the tick callback of every started node. */
void cio_loop_tick(cio_loop *l);
/* Runs queued completions until none is left, then delivers every message queued so far
 * (decoding it and calling the receiver's recv callback). Returns 0 or a RAFT_* code. */
int cio_loop_pump(cio_loop *l);
/* 1 while completions or messages are queued. */
int cio_loop_busy(const cio_loop *l);
/* Runs queued completions only. */
void cio_loop_complete(cio_loop *l);
/* Queues message m from node `from` to node m->server_id, encoded as io->send does; the next
 * cio_loop_pump delivers it (a host-made message, e.g. from a peer that is not on the loop).
 * 0 or a RAFT_* code. */
int cio_loop_inject(cio_loop *l, raft_id from, const struct raft_message *m);
/* Bytes the backend holds for n (malloc_usable_size of its persisted state: entry metadata,
 * bootstrap configuration, last snapshot); the loop's queues are the transport's. */
size_t cio_node_bytes(const cio_node *n);
/* Messages delivered and their wire bytes (canonical's encoding) so far. */
void cio_loop_counts(const cio_loop *l, uint64_t *msgs, uint64_t *bytes);

#endif /* RAFTC_BENCH_CIO_H */
