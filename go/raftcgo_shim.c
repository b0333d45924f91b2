/* Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftcgo_shim.c: trampolines from raftc's C callback tables to the Go functions exported in
 * callbacks.go. The ud of each table is a cgo.Handle, carried as an integer. */
#include "raftcgo.h"
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
