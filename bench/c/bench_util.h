/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_util.h: shared pieces of the raftc benchmark program: clock, counting allocator hooks,
 * JSON-line output and a node wrapper (raftc node + memory storage) driven through raftc.h only.
 */
#ifndef RAFTC_BENCH_UTIL_H
#define RAFTC_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "raftc.h"

/* Global options of the run. */
extern int bench_quick;
extern int bench_run_id;

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);
/* q in --quick mode, full otherwise. */
size_t bench_pick(size_t q, size_t full);

/* Installs counting allocator hooks (libc underneath) with raftc_set_allocator. With
 * track_live, also keeps the live byte count (bench_alloc_live); must then be set before the
 * library allocates anything. Returns 0 or a RAFTC_E* code. */
int bench_alloc_install(int track_live);
/* Allocation calls (malloc + realloc) made by the library so far. */
uint64_t bench_alloc_calls(void);
/* Bytes the library currently holds (malloc_usable_size of each live block); 0 unless
 * installed with track_live. */
int64_t bench_alloc_live(void);

/* Prints {"lib":"raftc","bench":name,"run":N,<fields>} on stdout. fields is a preformatted
 * JSON fragment of key/value pairs without braces (may be empty). */
void bench_emit(const char *name, const char *fields);
/* Prints a result line with an "error" field and repeats it on stderr. */
void bench_emit_error(const char *name, const char *what, int rc, const char *detail);

/* A raftc node over its own memory storage. */
typedef struct bnode {
    raftc_node *node;
    raftc_memstorage *ms;
    uint64_t id;
    uint64_t applied;
} bnode;

/* Sends message i of rd (raftc_ready_message or raftc_ready_message_parts; views valid only
 * during the call) to node `to`. */
typedef void (*bnode_send_fn)(void *ud, uint64_t to, const raftc_ready *rd, size_t i);

/* Creates node id with a storage holding a snapshot at index 1, term 1 whose ConfState has the
 * given voters (the same bootstrap as the Go side). Returns 0 or a RAFTC_E* code; *err gets
 * a static text on failure. */
int bnode_init(bnode *n, uint64_t id, const uint64_t *voters, size_t n_voters, const char **err);
/* Frees the node and its storage; n may be zeroed or partly initialized. */
void bnode_destroy(bnode *n);
/* One Ready: persist HardState and entries to the memory storage, hand messages to send (NULL
 * drops them), apply committed entries, advance. *applied_data (optional) gets the number of
 * applied entries carrying data. Returns 0 or the first RAFTC_E* code. */
int bnode_handle_ready(bnode *n, bnode_send_fn send, void *ud, size_t *applied_data);
/* Handles Readys until none is left (at most 100); messages are dropped. */
int bnode_settle(bnode *n);
/* Status helpers. */
int bnode_is_leader(const bnode *n);
uint64_t bnode_term(const bnode *n);
uint64_t bnode_first_index(bnode *n);
uint64_t bnode_last_index(bnode *n);

/* Builds an idle 3-voter group member (id 1) after a heartbeat cycle (bench_memory.c). */
int bench_idle_group(bnode *n, int leader, const char **err);

/* Workloads (each prints its result lines). */
/* one_msg: the batch goes in one MsgProp (raftc_node_step) instead of batch propose calls. */
void bench_single(size_t batch, int one_msg, size_t total);
void bench_cluster(size_t payload, size_t total);
void bench_codec(void);
void bench_memory(void);
void bench_multiraft(void);
void bench_quorum(void);
void bench_memcpy(void);

#endif /* RAFTC_BENCH_UTIL_H */
