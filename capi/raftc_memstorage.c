/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_memstorage.c: the public memory storage handle over core/memstorage.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"

#define CHECK_MS(ms)                                                                               \
    do {                                                                                           \
        if ((ms) == NULL || (ms)->ms == NULL)                                                      \
            return RAFTC_EINVAL;                                                                   \
    } while (0)

RAFTC_API int raftc_memstorage_new(raftc_memstorage **out)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    raftc_memstorage *ms = rc_calloc(1, sizeof(*ms));
    if (ms == NULL)
        return RAFTC_ENOMEM;
    int rc = rc_memstorage_new(&ms->ms);
    if (rc != RC_OK) {
        rc_free(ms);
        return rc;
    }
    *out = ms;
    return RAFTC_OK;
}

RAFTC_API void raftc_memstorage_free(raftc_memstorage *ms)
{
    if (ms == NULL)
        return;
    rc_memstorage_free(ms->ms);
    rc_free(ms->scratch.v); /* its payload references were dropped after each append */
    rc_free(ms);
}

void capi_entry_batch_release(rc_entries *es)
{
    for (size_t i = 0; i < es->n; i++)
        rc_bytes_free(&es->v[i].data);
    es->n = 0;
}

int capi_entry_batch_decode(rc_entries *es, rc_blob_pool *pool, const uint8_t *const *ents,
                             const size_t *lens, size_t n)
{
    if (ents == NULL || lens == NULL)
        return RAFTC_EINVAL;
    es->n = 0;
    int rc = RC_OK;
    for (size_t i = 0; i < n && rc == RC_OK; i++) {
        rc_entry e = {0};
        if (ents[i] == NULL && lens[i] != 0)
            rc = RC_ERR_INVALID;
        else if (lens[i] > CAPI_MAX_INPUT)
            rc = RC_ERR_TOO_LARGE;
        else
            rc = rc_decode_entry_pooled(&e, ents[i], lens[i], pool);
        if (rc == RC_OK)
            rc = rc_entries_push_move(es, &e);
        if (rc != RC_OK)
            rc_bytes_free(&e.data);
    }
    if (rc != RC_OK)
        capi_entry_batch_release(es);
    return rc;
}

RAFTC_API int raftc_memstorage_append(raftc_memstorage *ms, const uint8_t *const *ents,
                                      const size_t *lens, size_t n)
{
    CHECK_MS(ms);
    if (n == 0)
        return RAFTC_OK;
    /* Small batches decode into the stack, larger ones into a kept scratch array: no
     * allocation in steady state, nothing retained by hosts that append a few at a time. */
    rc_entry small[16];
    rc_entries es = n <= 16 ? (rc_entries){small, 0, 16} : ms->scratch;
    int rc = capi_entry_batch_decode(&es, rc_memstorage_pool(ms->ms), ents, lens, n);
    if (rc == RC_OK)
        rc = rc_memstorage_append(ms->ms, es.v, es.n);
    capi_entry_batch_release(&es);
    if (es.v != small)
        ms->scratch = es; /* kept for the next large batch; freed with the storage */
    return rc;
}

RAFTC_API int raftc_memstorage_set_hard_state(raftc_memstorage *ms, const uint8_t *buf,
                                              size_t len)
{
    CHECK_MS(ms);
    if (buf == NULL && len != 0)
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT) /* same size limit as every other decode path */
        return RAFTC_ETOOLARGE;
    rc_hard_state hs;
    int rc = rc_decode_hard_state(&hs, buf, len);
    if (rc != RC_OK)
        return rc;
    return rc_memstorage_set_hard_state(ms->ms, &hs);
}

RAFTC_API int raftc_memstorage_set_hard_state_fields(raftc_memstorage *ms, uint64_t term,
                                                     uint64_t vote, uint64_t commit)
{
    CHECK_MS(ms);
    rc_hard_state hs = {term, vote, commit};
    return rc_memstorage_set_hard_state(ms->ms, &hs);
}

RAFTC_API int raftc_memstorage_apply_snapshot(raftc_memstorage *ms, const uint8_t *buf,
                                              size_t len)
{
    CHECK_MS(ms);
    if ((buf == NULL && len != 0))
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_snapshot s;
    int rc = rc_decode_snapshot(&s, buf, len);
    if (rc != RC_OK)
        return rc;
    rc = rc_memstorage_apply_snapshot(ms->ms, &s);
    rc_snapshot_free(&s);
    return rc;
}

RAFTC_API int raftc_memstorage_create_snapshot(raftc_sink *out, raftc_memstorage *ms,
                                               uint64_t i, const uint8_t *conf_state,
                                               size_t conf_state_len, const uint8_t *data,
                                               size_t data_len)
{
    CHECK_MS(ms);
    if ((conf_state == NULL && conf_state_len != 0) || (data == NULL && data_len != 0))
        return RAFTC_EINVAL;
    if (conf_state_len > CAPI_MAX_INPUT || data_len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_conf_state cs = {0};
    int rc = RC_OK;
    if (conf_state != NULL) {
        rc = rc_decode_conf_state(&cs, conf_state, conf_state_len);
        if (rc != RC_OK)
            return rc;
    }
    rc_snapshot s = {0};
    rc = rc_memstorage_create_snapshot(ms->ms, i, conf_state != NULL ? &cs : NULL, data,
                                       data_len, &s);
    if (rc == RC_OK && out != NULL) {
        rc = capi_sink_put_snapshot(out, &s);
    }
    rc_snapshot_free(&s);
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_memstorage_compact(raftc_memstorage *ms, uint64_t compact_index)
{
    CHECK_MS(ms);
    return rc_memstorage_compact(ms->ms, compact_index);
}

RAFTC_API int raftc_memstorage_first_index(uint64_t *out, raftc_memstorage *ms)
{
    CHECK_MS(ms);
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = rc_memstorage_first_index(ms->ms);
    return RAFTC_OK;
}

RAFTC_API int raftc_memstorage_last_index(uint64_t *out, raftc_memstorage *ms)
{
    CHECK_MS(ms);
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = rc_memstorage_last_index(ms->ms);
    return RAFTC_OK;
}

RAFTC_API int raftc_memstorage_term(uint64_t *term, raftc_memstorage *ms, uint64_t i)
{
    CHECK_MS(ms);
    if (term == NULL)
        return RAFTC_EINVAL;
    return rc_memstorage_term(ms->ms, i, term);
}

RAFTC_API int raftc_memstorage_entries(raftc_sink *out, raftc_memstorage *ms, uint64_t lo,
                                       uint64_t hi, uint64_t max_size)
{
    CHECK_MS(ms);
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_entries es = {0};
    int rc = rc_memstorage_entries(ms->ms, lo, hi, max_size, &es);
    for (size_t i = 0; i < es.n && rc == RC_OK; i++) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_entry(&b, &l, &es.v[i]);
        rc = capi_sink_put_owned(out, b, l, erc);
    }
    rc_entries_free(&es);
    return rc;
}

RAFTC_API int raftc_memstorage_snapshot(raftc_sink *out, raftc_memstorage *ms)
{
    CHECK_MS(ms);
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_snapshot s = {0};
    int rc = rc_memstorage_snapshot(ms->ms, &s);
    if (rc == RC_OK) {
        rc = capi_sink_put_snapshot(out, &s);
    }
    rc_snapshot_free(&s);
    return rc;
}

RAFTC_API int raftc_memstorage_initial_state(raftc_sink *hard_state, raftc_sink *conf_state,
                                             raftc_memstorage *ms)
{
    CHECK_MS(ms);
    rc_hard_state hs = {0};
    rc_conf_state cs = {0};
    int rc = rc_memstorage_initial_state(ms->ms, &hs, &cs);
    if (rc == RC_OK && hard_state != NULL) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_hard_state(&b, &l, &hs);
        rc = capi_sink_put_owned(hard_state, b, l, erc);
    }
    if (rc == RC_OK && conf_state != NULL) {
        rc = capi_sink_put_conf_state(conf_state, &cs);
    }
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_memstorage_append_ready(raftc_memstorage *ms, const raftc_ready *rd)
{
    CHECK_MS(ms);
    if (rd == NULL)
        return RAFTC_EINVAL;
    if (!rd->valid)
        return RAFTC_ESTATE;
    const rc_entries *es = &rd->body->rd.entries;
    return rc_memstorage_append(ms->ms, es->v, es->n);
}

RAFTC_API const char *raftc_memstorage_last_error(const raftc_memstorage *ms)
{
    return ms == NULL ? "" : rc_memstorage_last_error(ms->ms);
}
