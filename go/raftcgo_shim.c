/* Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftcgo_shim.c: trampolines from raftc's C callback tables to the Go functions exported in
 * callbacks.go. The ud of each table is a cgo.Handle, carried as an integer. */
#include "raftcgo.h"
#include <stdlib.h>
#include "_cgo_export.h"

static int st_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs) {
    return raftcgoInitialState((uintptr_t)ud, hs, cs);
}
static int st_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size) {
    return raftcgoEntries((uintptr_t)ud, lo, hi, max_size, out);
}
static int st_term(void *ud, uint64_t *term, uint64_t i) {
    return raftcgoTerm((uintptr_t)ud, i, term);
}
static int st_first_index(void *ud, uint64_t *index) {
    return raftcgoFirstIndex((uintptr_t)ud, index);
}
static int st_last_index(void *ud, uint64_t *index) {
    return raftcgoLastIndex((uintptr_t)ud, index);
}
static int st_snapshot(void *ud, raftc_sink *out) {
    return raftcgoSnapshot((uintptr_t)ud, out);
}

int raftcgo_config_set_go_storage(raftc_config *cfg, uintptr_t h) {
    raftc_storage_callbacks cbs = {
        sizeof(raftc_storage_callbacks), (void *)h, st_initial_state, st_entries, st_term,
        st_first_index, st_last_index, st_snapshot,
    };
    return raftc_config_set_storage_callbacks(cfg, &cbs);
}

static void log_line(void *ud, raftc_log_level level, const char *msg, size_t len) {
    raftcgoLog((uintptr_t)ud, (int)level, (char *)msg, len);
}

int raftcgo_config_set_go_logger(raftc_config *cfg, uintptr_t h) {
    return raftc_config_set_logger(cfg, log_line, (void *)h);
}

raftcgo_packed raftcgo_node_ready_packed(raftc_node *node) {
    raftcgo_packed r = {0, NULL, NULL, 0};
    r.rc = raftc_node_ready_packed(&r.rd, &r.buf, &r.len, node);
    return r;
}

uint64_t raftcgo_memstorage_first_index(raftc_memstorage *ms) {
    uint64_t v = 0;
    (void)raftc_memstorage_first_index(&v, ms);
    return v;
}

uint64_t raftcgo_memstorage_last_index(raftc_memstorage *ms) {
    uint64_t v = 0;
    (void)raftc_memstorage_last_index(&v, ms);
    return v;
}

enum { PROPOSE_PACKED_STACK = 64 };

int raftcgo_node_propose_packed(raftc_node *node, const uint8_t *buf, size_t len,
                                const size_t *lens, size_t n) {
    const uint8_t *stack_ptrs[PROPOSE_PACKED_STACK];
    const uint8_t **ptrs = stack_ptrs;
    size_t off = 0;
    int rc;
    if (n == 0 || lens == NULL) return RAFTC_EINVAL;
    if (n > PROPOSE_PACKED_STACK) {
        ptrs = malloc(n * sizeof *ptrs);
        if (ptrs == NULL) return RAFTC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (lens[i] > len - off) {
            if (ptrs != stack_ptrs) free(ptrs);
            return RAFTC_EINVAL;
        }
        ptrs[i] = lens[i] > 0 ? buf + off : NULL;
        off += lens[i];
    }
    rc = raftc_node_propose_list(node, ptrs, lens, n);
    if (ptrs != stack_ptrs) free(ptrs);
    return rc;
}
