/* Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftcgo.h: C helpers of the Go binding (raftcgo_shim.c). Go values never cross into C: the
 * storage and logger callbacks receive a cgo.Handle (an integer) as their ud. */
#ifndef RAFTCGO_H
#define RAFTCGO_H

#include <stdint.h>
#include "raftc.h"

/* Installs the Go storage callbacks with handle h as ud. Returns raftc's code. */
int raftcgo_config_set_go_storage(raftc_config *cfg, uintptr_t h);
/* Installs the Go logger callback with handle h as ud. Returns raftc's code. */
int raftcgo_config_set_go_logger(raftc_config *cfg, uintptr_t h);

/* A Ready as flat arrays, for Go to read in one crossing without decoding raftpb entries:
 * w holds numbers, p the pointers (views of the Ready, valid as the view), both in this
 * order: w = raftc_ready_info's RAFTC_RD_COUNT fields; per entry to persist, then per
 * committed entry: term, index, type, data length (p: its data); per message: to, byte
 * length, number of parts, each part's length (p: each part, raftc_ready_message_parts:
 * large payloads are views of the log, not copies); per read state: index, context length
 * (p: the context); the snapshot's length if there is one (p: its raftpb bytes). The arrays
 * belong to the struct (grown as needed, freed by raftcgo_ready_fields_free). */
typedef struct raftcgo_ready_fields {
    raftc_ready *rd;
    uint64_t *w;
    size_t nw, capw;
    const uint8_t **p;
    size_t np, capp;
} raftcgo_ready_fields;
/* etcd's Ready (raftc_node_ready, same errors) into f. When the Ready was accepted but the
 * arrays could not be filled (memory), returns 0 with f->nw == 0: f->rd still reaches it. */
int raftcgo_node_ready_fields(raftc_node *node, raftcgo_ready_fields *f);
void raftcgo_ready_fields_free(raftcgo_ready_fields *f);
/* Frees f's arrays (f stays usable, empty) when it has room for more than max_words numbers. */
void raftcgo_ready_fields_trim(raftcgo_ready_fields *f, size_t max_words);

/* raftc_node_advance's code and, when it is 0, raftc_node_has_ready right after it. */
typedef struct raftcgo_advance {
    int rc;
    int has_ready;
} raftcgo_advance;
raftcgo_advance raftcgo_node_advance(raftc_node *node);

/* raftc_memstorage_first_index / last_index as a value (0 on error, as the out word is). */
uint64_t raftcgo_memstorage_first_index(raftc_memstorage *ms);
uint64_t raftcgo_memstorage_last_index(raftc_memstorage *ms);
/* raftc_node_propose_list of n payloads stored back to back in buf (lens[i] bytes each, their
 * sum at most len): the pointer array is built here, so Go passes only pointer-free memory.
 * RAFTC_EINVAL for n == 0, lengths beyond len; RAFTC_ENOMEM. */
int raftcgo_node_propose_packed(raftc_node *node, const uint8_t *buf, size_t len,
                                const size_t *lens, size_t n);

#endif
