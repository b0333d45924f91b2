/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_sink.c: the copying sink: a list of byte strings stored back to back in one buffer.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"

static const uint8_t capi_empty_item[1] = {0};

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
    if (len > CAPI_MAX_INPUT || s->len > SIZE_MAX - len - 1)
        return RAFTC_ETOOLARGE;
    void *buf = s->buf;
    if (rc_grow(&buf, &s->cap, s->len + len + 1, 1) != RC_OK)
        return RAFTC_ENOMEM;
    s->buf = buf;
    void *items = s->items;
    if (rc_grow(&items, &s->cap_items, s->n + 1, sizeof(capi_sink_item)) != RC_OK)
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

uint8_t *capi_sink_push(raftc_sink *s, size_t len)
{
    if (len > CAPI_MAX_INPUT || s->len > SIZE_MAX - len - 1)
        return NULL;
    if (s->len + len + 1 > s->cap) {
        void *buf = s->buf;
        if (rc_grow(&buf, &s->cap, s->len + len + 1, 1) != RC_OK)
            return NULL;
        s->buf = buf;
    }
    if (s->n + 1 > s->cap_items) {
        void *items = s->items;
        if (rc_grow(&items, &s->cap_items, s->n + 1, sizeof(capi_sink_item)) != RC_OK)
            return NULL;
        s->items = items;
    }
    uint8_t *p = s->buf + s->len;
    p[len] = 0;
    s->items[s->n].off = s->len;
    s->items[s->n].len = len;
    s->n++;
    s->len += len + 1;
    return p;
}

RAFTC_API size_t raftc_sink_count(const raftc_sink *s)
{
    return s == NULL ? 0 : s->n;
}

RAFTC_API int raftc_sink_get(const uint8_t **p, size_t *len, const raftc_sink *s, size_t i)
{
    if (s == NULL || p == NULL || len == NULL)
        return RAFTC_EINVAL;
    if (i >= s->n)
        return RAFTC_ENOTFOUND;
    *len = s->items[i].len;
    *p = *len == 0 ? capi_empty_item : s->buf + s->items[i].off;
    return RAFTC_OK;
}

int capi_sink_put_owned(raftc_sink *s, uint8_t *buf, size_t len, int rc)
{
    if (rc == RC_OK)
        rc = raftc_sink_put(s, buf, len);
    rc_free(buf);
    return rc;
}

int capi_sink_put_conf_state(raftc_sink *s, const rc_conf_state *cs)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = rc_encode_conf_state(&buf, &len, cs);
    return capi_sink_put_owned(s, buf, len, rc);
}

int capi_sink_put_snapshot(raftc_sink *s, const rc_snapshot *snap)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = rc_encode_snapshot(&buf, &len, snap);
    return capi_sink_put_owned(s, buf, len, rc);
}

/* Sources may point into s itself (e.g. an item passed back as an entry payload). Writing in
 * place is safe while the buffer does not move; when it must grow, the encoding goes through a
 * temporary buffer first (rare: sinks are reused). */
typedef uint8_t *(*sink_put_fn)(uint8_t *p, const void *v);

static int sink_put_encoded(raftc_sink *s, size_t n, sink_put_fn put, const void *v)
{
    if (s->len + n + 1 <= s->cap && s->n < s->cap_items) {
        put(capi_sink_push(s, n), v);
        return RAFTC_OK;
    }
    uint8_t *tmp = rc_malloc(n);
    if (tmp == NULL)
        return RAFTC_ENOMEM;
    put(tmp, v);
    uint8_t *p = capi_sink_push(s, n);
    if (p != NULL)
        memcpy(p, tmp, n);
    rc_free(tmp);
    return p == NULL ? RAFTC_ENOMEM : RAFTC_OK;
}

static uint8_t *put_entry(uint8_t *p, const void *v)
{
    return rc_encode_entry_to(p, v);
}

static uint8_t *put_message(uint8_t *p, const void *v)
{
    return rc_encode_message_to(p, v);
}

static uint8_t *put_hard_state(uint8_t *p, const void *v)
{
    return rc_encode_hard_state_to(p, v);
}

/* A message given by its scalars, canonical Entry bodies (copied verbatim) and a context. */
typedef struct fields_msg {
    const rc_message_fields *f;
    const uint8_t *const *ents;
    const size_t *lens;
    size_t n;
    const uint8_t *ctx;
    size_t ctx_len;
} fields_msg;

static uint8_t *put_fields_message(uint8_t *p, const void *v)
{
    const fields_msg *fm = v;
    return rc_encode_message_fields_to(p, fm->f, fm->ents, fm->lens, fm->n, fm->ctx, fm->ctx_len);
}

/* Small encodings are written in one pass into a stack buffer and copied (no sizing pass): a
 * message is at most 10 varint fields of 11 bytes plus, per entry / context, a tag, a length of
 * at most 10 bytes and the bytes. */
#define SMALL_ENC_MAX 256
#define MSG_SCALARS_MAX (10 * 11)
#define ITEM_OVERHEAD_MAX 11

/* Copies an encoding of len bytes from tmp into a new item. */
static int sink_put_small(raftc_sink *s, const uint8_t *tmp, size_t len)
{
    uint8_t *p = capi_sink_push(s, len);
    if (p == NULL)
        return RAFTC_ENOMEM;
    memcpy(p, tmp, len);
    return RAFTC_OK;
}

int capi_sink_put_fields_message(raftc_sink *s, const rc_message_fields *f,
                                  const uint8_t *const *ents, const size_t *lens, size_t n,
                                  const uint8_t *ctx, size_t ctx_len)
{
    size_t bound = MSG_SCALARS_MAX + ITEM_OVERHEAD_MAX + ctx_len;
    for (size_t i = 0; i < n && bound <= SMALL_ENC_MAX; i++)
        bound += ITEM_OVERHEAD_MAX + lens[i];
    if (bound <= SMALL_ENC_MAX) {
        uint8_t tmp[SMALL_ENC_MAX];
        uint8_t *end = rc_encode_message_fields_to(tmp, f, ents, lens, n, ctx, ctx_len);
        return sink_put_small(s, tmp, (size_t)(end - tmp));
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] > CAPI_MAX_INPUT || total > CAPI_MAX_INPUT)
            return RAFTC_ETOOLARGE;
        total += lens[i];
    }
    if (ctx_len > CAPI_MAX_INPUT || total > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    fields_msg fm = {f, ents, lens, n, ctx, ctx_len};
    return sink_put_encoded(s, rc_message_fields_encoded_size(f, lens, n, ctx_len),
                            put_fields_message, &fm);
}

int capi_sink_put_entry(raftc_sink *s, const rc_entry *e)
{
    if (e->data.len <= SMALL_ENC_MAX - 4 * ITEM_OVERHEAD_MAX) {
        uint8_t tmp[SMALL_ENC_MAX];
        return sink_put_small(s, tmp, (size_t)(rc_encode_entry_to(tmp, e) - tmp));
    }
    return sink_put_encoded(s, rc_entry_encoded_size(e), put_entry, e);
}

/* Upper bounds of encoded sizes: a tag and a varint take at most 11 bytes; an Entry is three
 * varint fields and its data field. */
#define ENTRY_ITEM_MAX(len) (ITEM_OVERHEAD_MAX + 3 * ITEM_OVERHEAD_MAX + ITEM_OVERHEAD_MAX + (len))

/* Where the encoding of m can be written in place, in one pass: the end of s's buffer when an
 * upper bound of its size fits there as the buffer is (a reused sink, the steady state), else
 * NULL (m has a snapshot or responses, or the sink must grow: the caller sizes it first). */
static uint8_t *sink_room_for_message(const raftc_sink *s, const rc_message *m)
{
    if (m->snapshot != NULL || m->n_responses > 0 || s->n >= s->cap_items || s->len >= s->cap)
        return NULL;
    size_t room = s->cap - s->len - 1; /* the item's NUL */
    if (room > CAPI_MAX_INPUT)
        room = CAPI_MAX_INPUT;
    size_t bound = MSG_SCALARS_MAX + ITEM_OVERHEAD_MAX + m->context.len;
    for (size_t i = 0; i < m->n_entries && bound <= room; i++)
        bound += ENTRY_ITEM_MAX(m->entries[i].data.len);
    return bound <= room ? s->buf + s->len : NULL;
}

/* Ends the item written in place from p (sink_room_for_message) to end. */
static void sink_commit(raftc_sink *s, uint8_t *p, const uint8_t *end)
{
    size_t len = (size_t)(end - p);
    p[len] = 0;
    s->items[s->n].off = s->len;
    s->items[s->n].len = len;
    s->n++;
    s->len += len + 1;
}

int capi_sink_put_message(raftc_sink *s, const rc_message *m)
{
    if (!rc_message_encodable(m))
        return RAFTC_EINVAL;
    uint8_t *p = sink_room_for_message(s, m);
    if (p != NULL) {
        sink_commit(s, p, rc_encode_message_to(p, m));
        return RAFTC_OK;
    }
    return sink_put_encoded(s, rc_message_encoded_size(m), put_message, m);
}

int capi_sink_put_hard_state(raftc_sink *s, const rc_hard_state *hs)
{
    return sink_put_encoded(s, rc_hard_state_encoded_size(hs), put_hard_state, hs);
}
