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

raftcgo_advance raftcgo_node_advance(raftc_node *node) {
    raftcgo_advance r = {raftc_node_advance(node), 0};
    if (r.rc == RAFTC_OK) r.has_ready = raftc_node_has_ready(node);
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

/* Makes room for nw more words and np more pointers. */
static int fields_reserve(raftcgo_ready_fields *f, size_t nw, size_t np) {
    if (f->capw - f->nw < nw) {
        size_t cap = f->capw * 2 > f->nw + nw ? f->capw * 2 : f->nw + nw + 64;
        uint64_t *w = realloc(f->w, cap * sizeof *w);
        if (w == NULL) return RAFTC_ENOMEM;
        f->w = w;
        f->capw = cap;
    }
    if (f->capp - f->np < np) {
        size_t cap = f->capp * 2 > f->np + np ? f->capp * 2 : f->np + np + 64;
        const uint8_t **p = realloc(f->p, cap * sizeof *p);
        if (p == NULL) return RAFTC_ENOMEM;
        f->p = p;
        f->capp = cap;
    }
    return RAFTC_OK;
}

static int fields_entries(raftcgo_ready_fields *f, const raftc_ready *rd, size_t n, int committed) {
    int rc = fields_reserve(f, 4 * n, n);
    for (size_t i = 0; i < n && rc == RAFTC_OK; i++) {
        uint64_t term = 0, index = 0;
        raftc_entry_type type = RAFTC_ENTRY_NORMAL;
        const uint8_t *data = NULL;
        size_t len = 0;
        rc = committed ? raftc_ready_committed_entry_info(&term, &index, &type, &data, &len, rd, i)
                       : raftc_ready_entry_info(&term, &index, &type, &data, &len, rd, i);
        uint64_t *w = f->w + f->nw;
        w[0] = term;
        w[1] = index;
        w[2] = (uint64_t)type;
        w[3] = len;
        f->nw += 4;
        f->p[f->np++] = data;
    }
    return rc;
}

static int fields_message(raftcgo_ready_fields *f, const raftc_ready *rd, size_t i, uint64_t to) {
    size_t n = 0;
    int rc = raftc_ready_message_parts(NULL, NULL, 0, &n, rd, i);
    if (rc == RAFTC_OK) rc = fields_reserve(f, 3 + n, n);
    if (rc != RAFTC_OK) return rc;
    size_t stack_lens[16];
    size_t *lens = n <= 16 ? stack_lens : malloc(n * sizeof *lens);
    if (lens == NULL) return RAFTC_ENOMEM;
    size_t got = 0;
    rc = raftc_ready_message_parts(f->p + f->np, lens, n, &got, rd, i);
    if (rc == RAFTC_OK && got != n) rc = RAFTC_ESTATE;
    if (rc == RAFTC_OK) {
        uint64_t *w = f->w + f->nw, total = 0;
        for (size_t k = 0; k < n; k++) {
            w[3 + k] = lens[k];
            total += lens[k];
        }
        w[0] = to;
        w[1] = total;
        w[2] = n;
        f->nw += 3 + n;
        f->np += n;
    }
    if (lens != stack_lens) free(lens);
    return rc;
}

static int fields_fill(raftcgo_ready_fields *f, const raftc_ready *rd) {
    uint64_t info[RAFTC_RD_COUNT];
    int rc = raftc_ready_info(info, RAFTC_RD_COUNT, rd);
    if (rc == RAFTC_OK) rc = fields_reserve(f, RAFTC_RD_COUNT, 0);
    if (rc != RAFTC_OK) return rc;
    for (size_t k = 0; k < RAFTC_RD_COUNT; k++) f->w[f->nw++] = info[k];
    rc = fields_entries(f, rd, (size_t)info[RAFTC_RD_N_ENTRIES], 0);
    if (rc == RAFTC_OK) rc = fields_entries(f, rd, (size_t)info[RAFTC_RD_N_COMMITTED_ENTRIES], 1);
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES] && rc == RAFTC_OK; i++) {
        uint64_t mi[RAFTC_MF_TO + 1] = {0};
        rc = raftc_ready_message_info(mi, RAFTC_MF_TO + 1, rd, i);
        if (rc == RAFTC_OK) rc = fields_message(f, rd, i, mi[RAFTC_MF_TO]);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_READ_STATES] && rc == RAFTC_OK; i++) {
        uint64_t index = 0;
        const uint8_t *ctx = NULL;
        size_t len = 0;
        rc = raftc_ready_read_state(&index, &ctx, &len, rd, i);
        if (rc == RAFTC_OK) rc = fields_reserve(f, 2, 1);
        if (rc == RAFTC_OK) {
            f->w[f->nw++] = index;
            f->w[f->nw++] = len;
            f->p[f->np++] = ctx;
        }
    }
    if (rc == RAFTC_OK && info[RAFTC_RD_HAS_SNAPSHOT]) {
        const uint8_t *snap = NULL;
        size_t len = 0;
        rc = raftc_ready_snapshot(&snap, &len, rd);
        if (rc == RAFTC_OK) rc = fields_reserve(f, 1, 1);
        if (rc == RAFTC_OK) {
            f->w[f->nw++] = len;
            f->p[f->np++] = snap;
        }
    }
    return rc;
}

int raftcgo_node_ready_fields(raftc_node *node, raftcgo_ready_fields *f) {
    f->nw = f->np = 0;
    f->rd = NULL;
    int rc = raftc_node_ready(&f->rd, node);
    if (rc != RAFTC_OK) return rc;
    if (fields_fill(f, f->rd) != RAFTC_OK) f->nw = f->np = 0; /* the accessors still reach it */
    return RAFTC_OK;
}

void raftcgo_ready_fields_trim(raftcgo_ready_fields *f, size_t max_words) {
    if (f == NULL || f->capw <= max_words) return;
    free(f->w);
    free((void *)f->p);
    f->w = NULL;
    f->p = NULL;
    f->nw = f->capw = f->np = f->capp = 0;
}

void raftcgo_ready_fields_free(raftcgo_ready_fields *f) {
    if (f == NULL) return;
    free(f->w);
    free((void *)f->p);
    free(f);
}
