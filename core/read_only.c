/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * read_only.c: ReadIndex requests confirmed by heartbeat-quorum counters (etcd v3.7 readOnly).
 */
#include "read_only.h"

#include <string.h>
#include "alloc.h"

void rc_read_only_init(rc_read_only *ro, int option)
{
    memset(ro, 0, sizeof(*ro));
    ro->option = option;
}

void rc_read_only_reset(rc_read_only *ro)
{
    for (size_t i = 0; i < ro->n_pending; i++)
        rc_message_free(&ro->pending[i].req);
    ro->n_pending = 0;
    ro->n_acks = 0;
}

void rc_read_only_free(rc_read_only *ro)
{
    rc_read_only_reset(ro);
    rc_free(ro->pending);
    rc_free(ro->acks);
    int option = ro->option;
    uint64_t next = ro->next_ctx;
    memset(ro, 0, sizeof(*ro));
    ro->option = option;
    ro->next_ctx = next;
}

void rc_read_only_release_idle(rc_read_only *ro)
{
    if (ro->n_pending == 0)
        rc_read_only_free(ro);
}

int rc_read_only_add_request(rc_read_only *ro, uint64_t index, const rc_message *m,
                             uint64_t *ctx)
{
    void *arr = ro->pending;
    if (rc_grow(&arr, &ro->cap_pending, ro->n_pending + 1, sizeof(rc_read_index_status)) != 0)
        return RC_ERR_NOMEM;
    ro->pending = arr;
    rc_read_index_status *st = &ro->pending[ro->n_pending];
    memset(st, 0, sizeof(*st));
    if (rc_message_copy(&st->req, m) != RC_OK)
        return RC_ERR_NOMEM;
    st->index = index;
    st->ctx = ++ro->next_ctx;
    ro->n_pending++;
    *ctx = st->ctx;
    return RC_OK;
}

int rc_read_only_recv_ack(rc_read_only *ro, uint64_t id, uint64_t ctx)
{
    for (size_t i = 0; i < ro->n_acks; i++) {
        if (ro->acks[i].id == id) {
            if (ctx > ro->acks[i].ctx)
                ro->acks[i].ctx = ctx;
            return RC_OK;
        }
    }
    void *arr = ro->acks;
    if (rc_grow(&arr, &ro->cap_acks, ro->n_acks + 1, sizeof(rc_read_ack)) != 0)
        return RC_ERR_NOMEM;
    ro->acks = arr;
    ro->acks[ro->n_acks].id = id;
    ro->acks[ro->n_acks].ctx = ctx;
    ro->n_acks++;
    return RC_OK;
}

bool rc_read_only_last_pending_ctx(const rc_read_only *ro, uint64_t *ctx)
{
    if (ro->n_pending == 0)
        return false;
    *ctx = ro->pending[ro->n_pending - 1].ctx;
    return true;
}

size_t rc_read_only_pending_count(const rc_read_only *ro) { return ro->n_pending; }

static bool acked_ctx(void *ud, uint64_t id, uint64_t *idx)
{
    const rc_read_only *ro = ud;
    for (size_t i = 0; i < ro->n_acks; i++) {
        if (ro->acks[i].id == id) {
            *idx = ro->acks[i].ctx;
            return true;
        }
    }
    return false;
}

int rc_read_only_advance(rc_read_only *ro, const rc_joint *voters, rc_read_index_status **out,
                         size_t *n)
{
    *out = NULL;
    *n = 0;
    if (ro->n_pending == 0)
        return RC_OK;
    uint64_t q = rc_joint_committed(voters, acked_ctx, ro);
    size_t k = 0;
    while (k < ro->n_pending && ro->pending[k].ctx <= q)
        k++;
    if (k == 0)
        return RC_OK;
    rc_read_index_status *res = rc_calloc(k, sizeof(*res));
    if (res == NULL)
        return RC_ERR_NOMEM;
    memcpy(res, ro->pending, k * sizeof(*res));
    memmove(ro->pending, ro->pending + k, (ro->n_pending - k) * sizeof(*res));
    ro->n_pending -= k;
    *out = res;
    *n = k;
    return RC_OK;
}

void rc_read_only_encode_ctx(uint8_t out[RC_READ_ONLY_CTX_LEN], uint64_t ctx)
{
    for (int i = 0; i < RC_READ_ONLY_CTX_LEN; i++)
        out[i] = (uint8_t)(ctx >> (8 * i));
}

bool rc_read_only_decode_ctx(const rc_bytes *b, uint64_t *ctx)
{
    if (b->len != RC_READ_ONLY_CTX_LEN)
        return false;
    uint64_t v = 0;
    for (int i = 0; i < RC_READ_ONLY_CTX_LEN; i++)
        v |= (uint64_t)b->data[i] << (8 * i);
    *ctx = v;
    return true;
}
