/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * inflights.h: the per-follower window of in-flight MsgApps (etcd's tracker.Inflights), limited
 * by a message count and by payload bytes (0 = no byte limit). The ring buffer grows lazily.
 */
#ifndef RC_INFLIGHTS_H
#define RC_INFLIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rc_inflight { uint64_t index; uint64_t bytes; } rc_inflight;

/* A ring of at most `size` slots, allocated lazily (`cap` slots so far). Counts are 32-bit to
 * keep a progress small: a size over UINT32_MAX is clamped (never reachable in practice). */
typedef struct rc_inflights {
    uint32_t start, count, cap;
    uint32_t size; /* max count */
    uint64_t bytes, max_bytes;
    rc_inflight *buf;
} rc_inflights;

void rc_inflights_init(rc_inflights *in, size_t size, uint64_t max_bytes);
int rc_inflights_clone(rc_inflights *dst, const rc_inflights *src);
/* Records an in-flight append whose last index is `index` carrying `bytes` payload bytes.
 * Returns RC_ERR_FAILED if the window is already full (etcd panics) or RC_ERR_NOMEM. */
int rc_inflights_add(rc_inflights *in, uint64_t index, uint64_t bytes);
/* Frees every in-flight append with index <= to. */
void rc_inflights_free_le(rc_inflights *in, uint64_t to);
bool rc_inflights_full(const rc_inflights *in);
size_t rc_inflights_count(const rc_inflights *in);
void rc_inflights_reset(rc_inflights *in);
void rc_inflights_free(rc_inflights *in); /* releases the buffer */

#endif
