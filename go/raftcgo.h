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

/* raftc_node_ready_packed's outputs, returned by value so that Go passes no pointer to its
 * own variables (they would escape to the heap on every Ready). */
typedef struct raftcgo_packed {
    int rc;
    raftc_ready *rd;
    const uint8_t *buf;
    size_t len;
} raftcgo_packed;
/* raftc_node_ready_packed(&r.rd, &r.buf, &r.len, node) as a value. */
raftcgo_packed raftcgo_node_ready_packed(raftc_node *node);
/* raftc_memstorage_first_index / last_index as a value (0 on error, as the out word is). */
uint64_t raftcgo_memstorage_first_index(raftc_memstorage *ms);
uint64_t raftcgo_memstorage_last_index(raftc_memstorage *ms);
/* raftc_node_propose_list of n payloads stored back to back in buf (lens[i] bytes each, their
 * sum at most len): the pointer array is built here, so Go passes only pointer-free memory.
 * RAFTC_EINVAL for n == 0, lengths beyond len; RAFTC_ENOMEM. */
int raftcgo_node_propose_packed(raftc_node *node, const uint8_t *buf, size_t len,
                                const size_t *lens, size_t n);

#endif
