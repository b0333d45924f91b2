/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * cbench.h: what canonical-bench's workload files share (bench_canonical.c defines it): sizes,
 * clock, the counting raft_heap (allocation calls; live bytes by malloc_usable_size while
 * tracking is on, as raftc-bench counts them), JSON lines, and a node over cio.h.
 */
#ifndef RAFTC_BENCH_CBENCH_H
#define RAFTC_BENCH_CBENCH_H

#include <stddef.h>
#include <stdint.h>

#include "cio.h"

/* q with --quick, full otherwise. */
size_t cb_pick(size_t q, size_t full);
uint64_t cb_now_ns(void);
/* raft_heap allocation calls (malloc, calloc, realloc, aligned_alloc) so far. */
uint64_t cb_alloc_calls(void);
/* Live raft_heap bytes (usable sizes) allocated minus freed while tracking was on. */
int64_t cb_alloc_live(void);
/* Turns live-byte tracking on or off (off by default: it costs time in the hot loops). */
void cb_track_live(int on);
/* One JSON line {"lib":"canonical-raft",...,"bench":bench,"run":N,fields}. */
void cb_emit(const char *bench, const char *fields);
/* An "error" line for bench (what: raft_strerror(rc) when rc != 0), also on stderr. */
void cb_emit_error(const char *bench, const char *what, int rc);

/* A node: raft, its cio backend and a counting FSM. Embed in zeroed memory that stays put. */
typedef struct cnode {
    struct raft r;
    cio_node io;
    struct raft_fsm fsm;
    uint64_t applied; /* FSM commands applied */
    int closed;
} cnode;

/* raft_init + bootstrap of voters 1..n_voters + raft_start of node id on loop l, snapshots
 * every `threshold` entries with 512 trailing. 0 or a RAFT_* code. */
int cnode_start(cnode *n, cio_loop *l, raft_id id, unsigned n_voters, unsigned threshold);
/* raft_close of ns[0..count), runs the loop until every close completed, frees the backends. */
void cnodes_free(cnode *ns, size_t count, cio_loop *l);

/* raft_apply requests from a free list. */
typedef struct pool {
    struct raft_apply *reqs;
    struct raft_apply **free;
    size_t n_free;
    int failed; /* the last failed apply status, or 0 */
} pool;

int pool_init(pool *p, size_t n);
void pool_free(pool *p);
/* Applies `count` entries of `size` bytes, one raft_apply each (or one for all, one_call,
 * count <= 64); the payload is copied into raft_malloc'd buffers raft then owns. */
int propose(cnode *n, pool *p, const uint8_t *payload, size_t size, size_t count, int one_call);

/* Workloads (c) and (d): canonical_codec.c, canonical_memory.c. */
void bench_codec(void);
void bench_memory(void);

#endif /* RAFTC_BENCH_CBENCH_H */
