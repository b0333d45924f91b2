/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_host.h: a minimal, correct raftc host for the fuzzers (raftc.h only): nodes over a
 * raftc_memstorage driven in sync mode, a message queue, and safety bookkeeping.
 */
#ifndef RAFTC_FUZZ_HOST_H
#define RAFTC_FUZZ_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "raftc.h"

/* Aborts with a message: a finding (libFuzzer reports the input). */
void fz_fail(const char *fmt, ...);

/* One queued message (a private copy of the raftpb bytes plus its routing). */
typedef struct fz_msg {
    uint8_t *buf;
    size_t len;
    uint64_t to, from, type, term;
} fz_msg;

typedef struct fz_queue {
    fz_msg *v;
    size_t n, cap;
} fz_queue;

/* Appends a copy of buf (decoded routing); returns 0, or -1 if the queue is full/oom. */
int fz_queue_push(fz_queue *q, const uint8_t *buf, size_t len);
/* Removes item i (order kept); the caller owns the removed message's buf if out != NULL. */
void fz_queue_remove(fz_queue *q, size_t i, fz_msg *out);
void fz_queue_free(fz_queue *q);

/* Committed-entry agreement across nodes: index -> (term, data hash). */
#define FZ_MAX_TRACKED_INDEX 8192
typedef struct fz_commits {
    uint64_t term[FZ_MAX_TRACKED_INDEX];
    uint64_t hash[FZ_MAX_TRACKED_INDEX];
    uint8_t set[FZ_MAX_TRACKED_INDEX];
} fz_commits;

typedef struct fz_node {
    uint64_t id;
    raftc_memstorage *ms;
    raftc_node *node;
    raftc_sink *scratch;
    uint64_t applied;
    int flags;
    int conf_apply_failed; /* a committed conf change was refused at apply (etcd panics too) */
    int panicked;
    char panic[256];
} fz_node;

/* Creates node id over a fresh memory storage whose snapshot (index 1, term 1) holds the
 * voters. flags: bit 0 PreVote, bit 1 CheckQuorum. Returns 0 or a RAFTC_E* code. */
int fz_node_init(fz_node *n, uint64_t id, const uint64_t *voters, size_t n_voters, int flags);
void fz_node_free(fz_node *n);
/* Frees the node and creates it again over its storage: a crash and restart (whatever it had
 * not persisted is gone). Returns 0 or a RAFTC_E* code. */
int fz_node_restart(fz_node *n);

/* Takes one Ready if there is one: persists it to the memory storage, queues its messages (q may
 * be NULL), applies committed entries (conf changes through raftc_node_apply_conf_change;
 * agreement checked in commits when non-NULL) and advances. Returns 1 if a Ready was processed,
 * 0 if none, or a negative RAFTC_E* code (strict: a persist failure is then a finding). */
int fz_node_process_ready(fz_node *n, fz_queue *q, fz_commits *commits, int strict);

/* Compacts the node's storage at its applied index (creating a snapshot first). */
int fz_node_compact(fz_node *n);

/* FNV-1a. */
uint64_t fz_hash(const uint8_t *p, size_t len);

#endif
