/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * alloc.h: every heap allocation of the library goes through these, so the host's allocator
 * hooks (raftc_set_allocator) apply everywhere, protobuf-c included (via rc_pb_allocator()).
 * The hooks are set once, before any other call; they are the library's only process-wide state.
 */
#ifndef RC_ALLOC_H
#define RC_ALLOC_H

#include <stddef.h>

typedef struct rc_allocator {
    void *(*malloc_fn)(void *ud, size_t size);
    void *(*realloc_fn)(void *ud, void *ptr, size_t size);
    void (*free_fn)(void *ud, void *ptr);
    void *ud;
} rc_allocator;

/* Installs hooks (NULL restores libc). Not thread-safe: call before creating any object. */
void rc_set_allocator(const rc_allocator *a);

void *rc_malloc(size_t size);
void *rc_calloc(size_t n, size_t size); /* overflow-checked; NULL on overflow */
void *rc_realloc(void *ptr, size_t size);
void rc_free(void *ptr);
/* Grows an array to hold at least `need` elements (doubling). Returns 0 or RC_ERR_NOMEM.
 * Inline check, out-of-line growth: the hot paths call it several times per entry and almost
 * never grow (bench/run single_b1, docs/performance.md). */
int rc_grow_slow(void **arr, size_t *cap, size_t need, size_t elem_size);
static inline int rc_grow(void **arr, size_t *cap, size_t need, size_t elem_size)
{
    return need <= *cap ? 0 : rc_grow_slow(arr, cap, need, elem_size);
}
/* Grows an array to exactly `need` elements when it is smaller: for small sets that rarely
 * change (configs, progress maps, votes), so a node keeps no spare capacity. */
int rc_grow_exact(void **arr, size_t *cap, size_t need, size_t elem_size);

#endif
