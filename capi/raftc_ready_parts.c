/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_ready_parts.c: raftc_ready_message_parts, a Ready's message as a list of parts for a
 * scatter/gather send: the framing encoded by the node, the large entry payloads by reference
 * (the log's own memory, never copied), so a MsgApp to each follower costs one write of each
 * payload: the host's.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"

void capi_ready_frames_clear(capi_ready_frames *f)
{
    if (f->built)
        raftc_sink_reset(&f->frames);
    f->built = false;
}

void capi_ready_frames_free(capi_ready_frames *f)
{
    rc_free(f->frames.buf);
    rc_free(f->frames.items);
    rc_free(f->gaps);
    rc_free(f->first);
    memset(f, 0, sizeof(*f));
}

/* Encodes the framing of every message of rd into f (all or nothing). */
static int frames_build(capi_ready_frames *f, const rc_ready *rd)
{
    const rc_msgs *ms = &rd->messages;
    if (rc_grow((void **)&f->first, &f->cap_first, ms->n + 1, sizeof(size_t)) != RC_OK)
        return RAFTC_ENOMEM;
    size_t n_gaps = 0;
    for (size_t i = 0; i < ms->n; i++) {
        if (!rc_message_encodable(&ms->v[i]))
            return RAFTC_EINVAL;
        size_t gap_bytes;
        f->first[i] = n_gaps;
        n_gaps += rc_message_frame_gaps(&ms->v[i], CAPI_PART_MIN, &gap_bytes);
    }
    f->first[ms->n] = n_gaps;
    if (rc_grow((void **)&f->gaps, &f->cap_gaps, n_gaps, sizeof(rc_frame_gap)) != RC_OK)
        return RAFTC_ENOMEM;
    for (size_t i = 0; i < ms->n; i++) {
        size_t gap_bytes;
        rc_message_frame_gaps(&ms->v[i], CAPI_PART_MIN, &gap_bytes);
        uint8_t *p = capi_sink_push(&f->frames, rc_message_encoded_size(&ms->v[i]) - gap_bytes);
        if (p == NULL) {
            raftc_sink_reset(&f->frames);
            return RAFTC_ENOMEM;
        }
        rc_frame_gap *gaps = f->first[i] < n_gaps ? f->gaps + f->first[i] : NULL; /* none */
        rc_encode_message_frame_to(p, &ms->v[i], CAPI_PART_MIN, gaps);
    }
    f->built = true;
    return RAFTC_OK;
}

/* Writes part k (if k < cap) and counts it. */
static void part_put(const uint8_t **ptrs, size_t *lens, size_t cap, size_t *k,
                     const uint8_t *p, size_t len)
{
    if (len == 0)
        return;
    if (*k < cap) {
        ptrs[*k] = p;
        lens[*k] = len;
    }
    (*k)++;
}

RAFTC_API int raftc_ready_message_parts(const uint8_t **ptrs, size_t *lens, size_t cap,
                                        size_t *n, const raftc_ready *rd, size_t i)
{
    if (rd == NULL || n == NULL || (cap != 0 && (ptrs == NULL || lens == NULL)))
        return RAFTC_EINVAL;
    if (!rd->valid)
        return RAFTC_ESTATE;
    capi_ready_body *b = rd->body;
    if (i >= b->rd.messages.n)
        return RAFTC_ENOTFOUND;
    /* The framings are a cache of the core Ready, built on first use (the view is logically
     * const, as for the byte accessors). */
    capi_ready_frames *f = &b->frames;
    if (!f->built) {
        int rc = frames_build(f, &b->rd);
        if (rc != RAFTC_OK)
            return rc;
    }
    const uint8_t *frame;
    size_t frame_len, k = 0, done = 0, skipped = 0;
    int rc = raftc_sink_get(&frame, &frame_len, &f->frames, i);
    if (rc != RAFTC_OK)
        return rc;
    for (size_t g = f->first[i]; g < f->first[i + 1]; g++) {
        const rc_frame_gap *gap = &f->gaps[g];
        size_t at = gap->at - skipped; /* the gap's offset in the framing */
        part_put(ptrs, lens, cap, &k, frame + done, at - done);
        part_put(ptrs, lens, cap, &k, gap->data, gap->len);
        done = at;
        skipped += gap->len;
    }
    part_put(ptrs, lens, cap, &k, frame + done, frame_len - done);
    *n = k;
    return RAFTC_OK;
}
