/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_sink.c: the copying sink: a list of byte strings stored back to back in one buffer.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"

static const uint8_t raftc_empty_item[1] = {0};

RAFTC_API int raftc_sink_new(raftc_sink **out)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = rc_calloc(1, sizeof(raftc_sink));
    return *out == NULL ? RAFTC_ENOMEM : RAFTC_OK;
}

RAFTC_API void raftc_sink_free(raftc_sink *s)
{
    if (s == NULL)
        return;
    rc_free(s->buf);
    rc_free(s->items);
    rc_free(s);
}

RAFTC_API void raftc_sink_reset(raftc_sink *s)
{
    if (s == NULL)
        return;
    s->len = 0;
    s->n = 0;
}

RAFTC_API int raftc_sink_put(raftc_sink *s, const void *p, size_t len)
{
    if (s == NULL || (p == NULL && len != 0))
        return RAFTC_EINVAL;
    if (len > RAFTC_MAX_INPUT || s->len > SIZE_MAX - len - 1)
        return RAFTC_ETOOLARGE;
    void *buf = s->buf;
    if (rc_grow(&buf, &s->cap, s->len + len + 1, 1) != RC_OK)
        return RAFTC_ENOMEM;
    s->buf = buf;
    void *items = s->items;
    if (rc_grow(&items, &s->cap_items, s->n + 1, sizeof(raftc_sink_item)) != RC_OK)
        return RAFTC_ENOMEM;
    s->items = items;
    if (len > 0)
        memcpy(s->buf + s->len, p, len);
    s->buf[s->len + len] = 0;
    s->items[s->n].off = s->len;
    s->items[s->n].len = len;
    s->n++;
    s->len += len + 1;
    return RAFTC_OK;
}

RAFTC_API size_t raftc_sink_count(const raftc_sink *s)
{
    return s == NULL ? 0 : s->n;
}

RAFTC_API int raftc_sink_get(const raftc_sink *s, size_t i, const uint8_t **p, size_t *len)
{
    if (s == NULL || p == NULL || len == NULL)
        return RAFTC_EINVAL;
    if (i >= s->n)
        return RAFTC_ENOTFOUND;
    *len = s->items[i].len;
    *p = *len == 0 ? raftc_empty_item : s->buf + s->items[i].off;
    return RAFTC_OK;
}

int raftc_sink_put_owned(raftc_sink *s, uint8_t *buf, size_t len, int rc)
{
    if (rc == RC_OK)
        rc = raftc_sink_put(s, buf, len);
    rc_free(buf);
    return rc;
}
