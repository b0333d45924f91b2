/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * alloc.c: the library's allocator hooks (libc by default).
 */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"

static rc_allocator rc_hooks; /* all NULL: libc */

void rc_set_allocator(const rc_allocator *a)
{
    if (a == NULL || a->malloc_fn == NULL || a->realloc_fn == NULL || a->free_fn == NULL) {
        memset(&rc_hooks, 0, sizeof(rc_hooks));
        return;
    }
    rc_hooks = *a;
}

void *rc_malloc(size_t size)
{
    if (size == 0)
        size = 1;
    if (rc_hooks.malloc_fn != NULL)
        return rc_hooks.malloc_fn(rc_hooks.ud, size);
    return malloc(size);
}

void *rc_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t total = n * size;
    void *p = rc_malloc(total);
    if (p != NULL)
        memset(p, 0, total == 0 ? 1 : total);
    return p;
}

void *rc_realloc(void *ptr, size_t size)
{
    if (size == 0)
        size = 1;
    if (rc_hooks.realloc_fn != NULL)
        return rc_hooks.realloc_fn(rc_hooks.ud, ptr, size);
    return realloc(ptr, size);
}

void rc_free(void *ptr)
{
    if (ptr == NULL)
        return;
    if (rc_hooks.free_fn != NULL) {
        rc_hooks.free_fn(rc_hooks.ud, ptr);
        return;
    }
    free(ptr);
}

int rc_grow_exact(void **arr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return RC_OK;
    if (elem_size == 0 || need > SIZE_MAX / elem_size)
        return RC_ERR_NOMEM;
    void *p = rc_realloc(*arr, need * elem_size);
    if (p == NULL)
        return RC_ERR_NOMEM;
    *arr = p;
    *cap = need;
    return RC_OK;
}

int rc_grow_slow(void **arr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return RC_OK;
    if (elem_size == 0)
        return RC_ERR_INVALID;
    size_t ncap = *cap < 8 ? 8 : *cap;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return RC_ERR_NOMEM;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem_size)
        return RC_ERR_NOMEM;
    void *p = rc_realloc(*arr, ncap * elem_size);
    if (p == NULL)
        return RC_ERR_NOMEM;
    *arr = p;
    *cap = ncap;
    return RC_OK;
}
