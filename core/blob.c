/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * blob.c: payload bytes (rc_bytes) in reference-counted blobs, and the blob pool that packs small
 * payloads into shared slabs and keeps released full-size slabs for reuse.
 */
#include "blob.h"

#include <string.h>

#include "alloc.h"
#include "types.h" /* rc_err */

struct rc_blob {
    size_t refs;
    size_t cap;  /* bytes in data[] */
    size_t used; /* bytes handed out (slabs); RC_BLOB_LARGE for a large payload's blob */
    rc_blob_cache *cache; /* where the slab or large blob goes back when released, or NULL */
    rc_release_fn release; /* a wrapped host buffer (rc_bytes_wrap): data[] holds a blob_host */
    uint8_t data[];
};

#define RC_SLAB_MIN 32u /* an idle group's few payloads fit its first slab */
#define RC_SLAB_MAX 16384u
#define RC_SLAB_CACHE_MAX 8
/* The used of a large payload's blob: its size class is its cap, it goes back to cache->large. */
#define RC_BLOB_LARGE SIZE_MAX

/* Large payloads (over a quarter slab, up to RC_LARGE_MAX) get blobs of a size class: 4 classes
 * per power of two from 5 KiB to 1 MiB, so a class wastes under a quarter of its size. */
#define RC_LARGE_MIN_SHIFT 12u
#define RC_LARGE_CLASSES 32u
#define RC_LARGE_MAX ((size_t)1 << (RC_LARGE_MIN_SHIFT + RC_LARGE_CLASSES / 4))
/* The most a pool keeps of its released large blobs, in bytes; it also keeps no more than its
 * large blobs in use took at their peak (since the last trim), so a node never holds more than its
 * log once did. Why keep them: a node's payloads are freed in bursts (a log compaction frees
 * thousands at once) and allocated one by one afterwards; given back to malloc, glibc returns
 * much of that memory to the kernel and faults it in again on the next allocations (its
 * per-thread arenas shrink eagerly, and cgo's changing threads spread a Go host's payloads over
 * many), up to half of a 64 KiB-entry cluster's CPU time in the kernel (docs/go.md). */
#define RC_LARGE_CACHE_BYTES ((size_t)256 << 20)

struct rc_blob_cache {
    size_t refs;    /* one for the pool while attached, one per slab or large blob in use */
    bool attached;  /* the pool still exists: released blobs may be kept */
    size_t n;
    rc_blob *spare[RC_SLAB_CACHE_MAX];
    size_t large_bytes;               /* cap of the blobs in large[] */
    size_t large_live;                /* cap of the large blobs in use */
    size_t large_peak;                /* the most large_live has been since the last trim */
    rc_blob *large[RC_LARGE_CLASSES]; /* released large blobs per class, linked through data */
};

/* What a wrapped host buffer's blob remembers for its release call. */
typedef struct blob_host {
    void *ud;
    const uint8_t *data;
    size_t len;
} blob_host;

static rc_blob *blob_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(rc_blob))
        return NULL;
    rc_blob *b = rc_malloc(sizeof(rc_blob) + cap);
    if (b == NULL)
        return NULL;
    b->refs = 1;
    b->cap = cap;
    b->used = 0;
    b->cache = NULL;
    b->release = NULL;
    return b;
}

/* The next blob in a class list (kept in the first bytes of a released large blob's data). */
static rc_blob *large_next(const rc_blob *b)
{
    rc_blob *next;
    memcpy(&next, b->data, sizeof(next));
    return next;
}

static void cache_drop_spares(rc_blob_cache *c)
{
    while (c->n > 0)
        rc_free(c->spare[--c->n]);
    for (size_t k = 0; k < RC_LARGE_CLASSES; k++) {
        while (c->large[k] != NULL) {
            rc_blob *b = c->large[k];
            c->large[k] = large_next(b);
            rc_free(b);
        }
    }
    c->large_bytes = 0;
    c->large_peak = c->large_live;
}

/* The size class of a large payload of len bytes (RC_SLAB_MAX / 4 < len <= RC_LARGE_MAX), and
 * its capacity in *cap. */
static size_t large_class(size_t len, size_t *cap)
{
    size_t k = 0;
    for (;;) {
        size_t base = (size_t)1 << (RC_LARGE_MIN_SHIFT + k / 4);
        *cap = base + (k % 4 + 1) * (base / 4);
        if (*cap >= len)
            return k;
        k++;
    }
}

/* Keeps a released large blob of an attached cache for reuse; false when the cache is full. */
static bool cache_keep_large(rc_blob_cache *c, rc_blob *b)
{
    c->large_live -= b->cap;
    size_t limit = c->large_peak < RC_LARGE_CACHE_BYTES ? c->large_peak : RC_LARGE_CACHE_BYTES;
    if (!c->attached || c->large_bytes > limit || b->cap > limit - c->large_bytes)
        return false;
    size_t cap;
    size_t k = large_class(b->cap, &cap);
    memcpy(b->data, &c->large[k], sizeof(rc_blob *));
    c->large[k] = b;
    c->large_bytes += b->cap;
    return true;
}

static void cache_unref(rc_blob_cache *c)
{
    if (--c->refs > 0)
        return;
    cache_drop_spares(c);
    rc_free(c);
}

static void blob_unref(rc_blob *b)
{
    if (--b->refs > 0)
        return;
    if (b->release != NULL) {
        rc_release_fn release = b->release;
        blob_host h;
        memcpy(&h, b->data, sizeof(h));
        rc_free(b);
        release(h.ud, h.data, h.len);
        return;
    }
    rc_blob_cache *c = b->cache;
    if (c == NULL) {
        rc_free(b);
        return;
    }
    if (b->used == RC_BLOB_LARGE) {
        if (!cache_keep_large(c, b))
            rc_free(b);
    } else if (c->attached && c->n < RC_SLAB_CACHE_MAX) {
        c->spare[c->n++] = b;
    } else {
        rc_free(b);
    }
    cache_unref(c);
}

/* The pool's cache, created on first use; NULL when it cannot be allocated. */
static rc_blob_cache *pool_cache(rc_blob_pool *pool)
{
    if (pool->cache == NULL) {
        pool->cache = rc_calloc(1, sizeof(rc_blob_cache));
        if (pool->cache == NULL)
            return NULL;
        pool->cache->refs = 1;
        pool->cache->attached = true;
    }
    return pool->cache;
}

/* A new slab of cap bytes for the pool: full-size slabs come from (and go back to) its cache. */
static rc_blob *pool_slab(rc_blob_pool *pool, size_t cap)
{
    if (cap != RC_SLAB_MAX)
        return blob_new(cap);
    rc_blob_cache *c = pool_cache(pool);
    if (c == NULL)
        return blob_new(cap); /* no cache: an ordinary slab */
    rc_blob *b = c->n > 0 ? c->spare[--c->n] : blob_new(cap);
    if (b == NULL)
        return NULL;
    b->refs = 1;
    b->used = 0;
    b->cache = c;
    c->refs++;
    return b;
}

int rc_bytes_set(rc_bytes *dst, const void *src, size_t len)
{
    *dst = (rc_bytes){NULL, 0, NULL};
    if (len == 0)
        return RC_OK;
    rc_blob *b = blob_new(len);
    if (b == NULL)
        return RC_ERR_NOMEM;
    memcpy(b->data, src, len);
    b->used = len;
    *dst = (rc_bytes){b->data, len, b};
    return RC_OK;
}

/* rc_bytes_set_pooled of a large payload: a blob of its size class, from the pool's cache when
 * it has one (a plain blob beyond RC_LARGE_MAX or without a cache). */
static int pool_set_large(rc_bytes *dst, rc_blob_pool *pool, const void *src, size_t len)
{
    rc_blob_cache *c = len <= RC_LARGE_MAX ? pool_cache(pool) : NULL;
    if (c == NULL)
        return rc_bytes_set(dst, src, len);
    size_t cap;
    size_t k = large_class(len, &cap);
    rc_blob *b = c->large[k];
    if (b != NULL) {
        c->large[k] = large_next(b);
        c->large_bytes -= b->cap;
        b->refs = 1;
    } else {
        b = blob_new(cap);
        if (b == NULL)
            return RC_ERR_NOMEM;
        b->used = RC_BLOB_LARGE;
        b->cache = c;
    }
    c->refs++;
    c->large_live += cap;
    if (c->large_live > c->large_peak)
        c->large_peak = c->large_live;
    memcpy(b->data, src, len);
    *dst = (rc_bytes){b->data, len, b};
    return RC_OK;
}

int rc_bytes_set_pooled(rc_bytes *dst, rc_blob_pool *pool, const void *src, size_t len)
{
    *dst = (rc_bytes){NULL, 0, NULL};
    if (len == 0)
        return RC_OK;
    if (len > RC_SLAB_MAX / 4)
        return pool_set_large(dst, pool, src, len);
    rc_blob *b = pool->cur;
    if (b == NULL || b->cap - b->used < len) {
        size_t cap = pool->next_cap < RC_SLAB_MIN ? RC_SLAB_MIN : pool->next_cap;
        while (cap < len) /* len <= RC_SLAB_MAX / 4: stays within the largest slab */
            cap *= 2;
        rc_blob *nb = pool_slab(pool, cap);
        if (nb == NULL)
            return RC_ERR_NOMEM;
        if (b != NULL)
            blob_unref(b);
        pool->cur = b = nb;
        pool->next_cap = cap * 2 > RC_SLAB_MAX ? RC_SLAB_MAX : cap * 2;
    }
    uint8_t *p = b->data + b->used;
    memcpy(p, src, len);
    b->used += len;
    b->refs++;
    *dst = (rc_bytes){p, len, b};
    return RC_OK;
}

static void release_nothing(void *ud, const uint8_t *data, size_t len)
{
    (void)ud;
    (void)data;
    (void)len;
}

int rc_bytes_wrap(rc_bytes *dst, const uint8_t *data, size_t len, rc_release_fn release,
                  void *ud)
{
    *dst = (rc_bytes){NULL, 0, NULL};
    if (release == NULL)
        release = release_nothing;
    if (len == 0) {
        release(ud, data, len);
        return RC_OK;
    }
    rc_blob *b = blob_new(sizeof(blob_host));
    if (b == NULL) {
        release(ud, data, len);
        return RC_ERR_NOMEM;
    }
    blob_host h = {ud, data, len};
    memcpy(b->data, &h, sizeof(h));
    b->used = sizeof(h);
    b->release = release;
    *dst = (rc_bytes){(uint8_t *)(uintptr_t)data, len, b};
    return RC_OK;
}

void rc_bytes_share(rc_bytes *dst, const rc_bytes *within, const uint8_t *data, size_t len)
{
    if (len == 0) {
        *dst = (rc_bytes){NULL, 0, NULL};
        return;
    }
    within->owner->refs++;
    *dst = (rc_bytes){(uint8_t *)(uintptr_t)data, len, within->owner};
}

int rc_bytes_copy(rc_bytes *dst, const rc_bytes *src)
{
    if (src->owner == NULL || src->len == 0)
        return rc_bytes_set(dst, src->data, src->len);
    src->owner->refs++;
    *dst = *src;
    return RC_OK;
}

void rc_bytes_free(rc_bytes *b)
{
    if (b->owner != NULL)
        blob_unref(b->owner);
    else
        rc_free(b->data);
    *b = (rc_bytes){NULL, 0, NULL};
}

void rc_blob_pool_free(rc_blob_pool *pool)
{
    if (pool->cur != NULL)
        blob_unref(pool->cur);
    pool->cur = NULL;
    pool->next_cap = 0;
    rc_blob_cache *c = pool->cache;
    pool->cache = NULL;
    if (c != NULL) {
        c->attached = false;
        cache_drop_spares(c);
        cache_unref(c);
    }
}

void rc_blob_pool_trim(rc_blob_pool *pool)
{
    if (pool->cache != NULL)
        cache_drop_spares(pool->cache);
}
