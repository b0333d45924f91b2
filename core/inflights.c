/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * inflights.c: a ring buffer of in-flight appends (etcd's tracker.Inflights).
 *
 * The ring wraps at `size` (the configured maximum), not at the allocated capacity. The buffer
 * starts empty and doubles on demand up to `size`. This is safe because the window cannot wrap
 * before the buffer reaches `size`: every live slot is below `cap`, so start + count <= cap,
 * and wrapping needs start + count >= size > cap. Growing therefore never has to unroll the ring;
 * a plain realloc keeps every slot in place.
 */
#include "inflights.h"

#include <string.h>

#include "alloc.h"
#include "types.h"

void rc_inflights_init(rc_inflights *in, size_t size, uint64_t max_bytes)
{
    memset(in, 0, sizeof(*in));
    in->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    in->max_bytes = max_bytes;
}

int rc_inflights_clone(rc_inflights *dst, const rc_inflights *src)
{
    *dst = *src;
    dst->buf = NULL;
    if (src->cap == 0)
        return RC_OK;
    dst->buf = rc_malloc(src->cap * sizeof(rc_inflight));
    if (dst->buf == NULL) {
        dst->cap = 0;
        rc_inflights_reset(dst);
        return RC_ERR_NOMEM;
    }
    memcpy(dst->buf, src->buf, src->cap * sizeof(rc_inflight));
    return RC_OK;
}

static int rc_inflights_grow(rc_inflights *in)
{
    size_t ncap = in->cap == 0 ? 1 : in->cap * 2;
    if (ncap > in->size || ncap < in->cap)
        ncap = in->size;
    rc_inflight *nb = rc_realloc(in->buf, ncap * sizeof(rc_inflight));
    if (nb == NULL)
        return RC_ERR_NOMEM;
    in->buf = nb;
    in->cap = (uint32_t)ncap; /* ncap <= size <= UINT32_MAX */
    return RC_OK;
}

int rc_inflights_add(rc_inflights *in, uint64_t index, uint64_t bytes)
{
    if (rc_inflights_full(in))
        return RC_ERR_FAILED; /* etcd: panic("cannot add into a Full inflights") */
    size_t next = in->start + in->count;
    if (next >= in->size)
        next -= in->size;
    if (next >= in->cap) {
        int rc = rc_inflights_grow(in);
        if (rc != RC_OK)
            return rc;
    }
    in->buf[next].index = index;
    in->buf[next].bytes = bytes;
    in->count++;
    in->bytes += bytes;
    return RC_OK;
}

void rc_inflights_free_le(rc_inflights *in, uint64_t to)
{
    if (in->count == 0 || to < in->buf[in->start].index)
        return; /* left of the window */
    size_t idx = in->start, i;
    uint64_t bytes = 0;
    for (i = 0; i < in->count; i++) {
        if (to < in->buf[idx].index)
            break; /* the first append still in flight */
        bytes += in->buf[idx].bytes;
        if (++idx >= in->size)
            idx -= in->size;
    }
    in->count -= (uint32_t)i;
    in->bytes -= bytes;
    in->start = (uint32_t)idx;
    if (in->count == 0)
        in->start = 0; /* restart at slot 0 so the buffer need not grow needlessly */
}

/* etcd's Full(): the count limit is reached, or a byte limit is set and reached. A window that
 * is full by bytes alone may hold fewer than `size` appends. */
bool rc_inflights_full(const rc_inflights *in)
{
    return in->count == in->size || (in->max_bytes != 0 && in->bytes >= in->max_bytes);
}

size_t rc_inflights_count(const rc_inflights *in)
{
    return in->count;
}

void rc_inflights_reset(rc_inflights *in)
{
    in->count = 0;
    in->start = 0;
    in->bytes = 0;
}

void rc_inflights_free(rc_inflights *in)
{
    rc_free(in->buf);
    in->buf = NULL;
    in->cap = 0;
    rc_inflights_reset(in);
}
