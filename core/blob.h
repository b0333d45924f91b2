/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * blob.h: payload bytes (rc_bytes) and where they live: reference-counted blobs, and the blob
 * pool that packs small payloads into shared slabs (blob.c).
 */
#ifndef RC_BLOB_H
#define RC_BLOB_H

#include <stddef.h>
#include <stdint.h>

/* A reference-counted, immutable block of payload bytes (blob.c): one payload, or many packed
 * into a slab by an rc_blob_pool. Copies of rc_bytes that live in a blob share it (no copy). */
typedef struct rc_blob rc_blob;

typedef struct rc_bytes {
    uint8_t *data; /* NULL iff len == 0 */
    size_t len;
    /* The blob data lives in (one reference held by this rc_bytes), or NULL: then data is either
     * plain heap memory owned by this rc_bytes (rc_free) or a borrowed view that its creator
     * never frees. rc_bytes_set and the decoders always produce blob-backed bytes. */
    rc_blob *owner;
} rc_bytes;

/* Released full-size slabs and large payload blobs kept for reuse by a pool (blob.c); outlives
 * the pool while blobs from it are still referenced. */
typedef struct rc_blob_cache rc_blob_cache;

/* Packs small payloads into shared slabs (growing 32 B .. 16 KiB); released full-size slabs
 * come back to the pool's cache (up to 8), so a busy node's steady state allocates nothing.
 * Large payloads (over 4 KiB, up to 1 MiB) get blobs of a size class that come back to the cache
 * too (at most 256 MiB, and no more than the pool's large blobs took at their peak), so a log
 * compacted in bursts reuses its memory. Zero-initialize; one pool per node or storage (not
 * thread-safe). */
typedef struct rc_blob_pool {
    rc_blob *cur;          /* the slab being filled (the pool holds one reference), or NULL */
    size_t next_cap;       /* size of the next slab */
    rc_blob_cache *cache;  /* NULL until the first full-size slab */
} rc_blob_pool;

/* Called once when the last reference to a wrapped host buffer is dropped (rc_bytes_wrap). */
typedef void (*rc_release_fn)(void *ud, const uint8_t *data, size_t len);

/* Copies len bytes into *dst (allocating); returns RC_ERR_NOMEM on failure. */
int rc_bytes_set(rc_bytes *dst, const void *src, size_t len);
/* Same, into the pool's current slab (a blob of a size class, from the pool's cache when it has
 * one, for payloads over a quarter slab). */
int rc_bytes_set_pooled(rc_bytes *dst, rc_blob_pool *pool, const void *src, size_t len);
/* *dst = a blob-backed view of the host's data[0, len) without copying it: release(ud, data,
 * len) (NULL: nothing to call) runs when the last reference to it is dropped. len 0: *dst is
 * empty and release runs now. RC_ERR_NOMEM (release has run, *dst is empty) when the blob
 * header cannot be allocated. Copies of *dst (rc_bytes_copy) and views into it taken with
 * rc_bytes_share share the reference count. */
int rc_bytes_wrap(rc_bytes *dst, const uint8_t *data, size_t len, rc_release_fn release,
                  void *ud);
/* *dst = data[0, len), a part of *within's memory, sharing within's blob (no copy; within must
 * have one and contain the range). */
void rc_bytes_share(rc_bytes *dst, const rc_bytes *within, const uint8_t *data, size_t len);
/* *dst = a copy of *src: shares src's blob when it has one (no allocation), else copies. */
int rc_bytes_copy(rc_bytes *dst, const rc_bytes *src);
/* Releases b's data (blob reference, plain heap, or nothing for a view) and zeroes *b. */
void rc_bytes_free(rc_bytes *b);
/* Drops the pool's slab reference (payloads in it stay valid while referenced) and its cache. */
void rc_blob_pool_free(rc_blob_pool *pool);
/* Frees the cached spare slabs and large blobs (an idle node keeps none). */
void rc_blob_pool_trim(rc_blob_pool *pool);

#endif
