/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memstorage.c: etcd's MemoryStorage: entries in an array whose slot 0 is a dummy entry carrying
 * the snapshot (or compaction) index and term, plus the hard state and the latest snapshot.
 */
#include "memstorage.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "log.h"

#define U64(x) ((unsigned long long)(x))

struct rc_memstorage {
    rc_hard_state hard_state;
    rc_snapshot snapshot;
    rc_entries ents; /* ents.v[0] is the dummy entry; never empty */
    char last_error[160];
};

/* Records etcd's panic text for rc_memstorage_last_error and returns RC_ERR_FAILED. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int ms_panic(rc_memstorage *ms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ms->last_error, sizeof(ms->last_error), fmt, ap);
    va_end(ap);
    return RC_ERR_FAILED;
}

static uint64_t ms_offset(const rc_memstorage *ms)
{
    return ms->ents.v[0].index;
}

static uint64_t ms_last(const rc_memstorage *ms)
{
    return ms->ents.v[0].index + ms->ents.n - 1;
}

int rc_memstorage_new(rc_memstorage **out)
{
    *out = NULL;
    rc_memstorage *ms = rc_calloc(1, sizeof(*ms));
    if (ms == NULL)
        return RC_ERR_NOMEM;
    rc_entry dummy = { 0 };
    if (rc_entries_append_copy(&ms->ents, &dummy, 1) != RC_OK) {
        rc_free(ms);
        return RC_ERR_NOMEM;
    }
    *out = ms;
    return RC_OK;
}

void rc_memstorage_free(rc_memstorage *ms)
{
    if (ms == NULL)
        return;
    rc_entries_free(&ms->ents);
    rc_snapshot_free(&ms->snapshot);
    rc_free(ms);
}

const char *rc_memstorage_last_error(const rc_memstorage *ms)
{
    return ms->last_error;
}

int rc_memstorage_initial_state(rc_memstorage *ms, rc_hard_state *hs, rc_conf_state *cs)
{
    int rc = rc_conf_state_copy(cs, &ms->snapshot.metadata.conf_state);
    if (rc != RC_OK)
        return rc;
    *hs = ms->hard_state;
    return RC_OK;
}

int rc_memstorage_set_hard_state(rc_memstorage *ms, const rc_hard_state *hs)
{
    ms->hard_state = *hs;
    return RC_OK;
}

int rc_memstorage_entries(rc_memstorage *ms, uint64_t lo, uint64_t hi, uint64_t max_size,
                          rc_entries *out)
{
    uint64_t offset = ms_offset(ms);
    if (lo <= offset)
        return RC_ERR_COMPACTED;
    if (hi > ms_last(ms) + 1)
        return ms_panic(ms, "entries' hi(%llu) is out of bound lastindex(%llu)", U64(hi),
                        U64(ms_last(ms)));
    if (lo > hi)
        return ms_panic(ms, "entries' lo(%llu) is greater than hi(%llu)", U64(lo), U64(hi));
    /* Only the dummy entry. */
    if (ms->ents.n == 1)
        return RC_ERR_UNAVAILABLE;
    const rc_entry *ents = ms->ents.v + (lo - offset);
    size_t n = (size_t)(hi - lo);
    return rc_entries_append_copy(out, ents, rc_limit_size(ents, n, max_size));
}

int rc_memstorage_term(rc_memstorage *ms, uint64_t i, uint64_t *term)
{
    uint64_t offset = ms_offset(ms);
    *term = 0;
    if (i < offset)
        return RC_ERR_COMPACTED;
    if (i - offset >= ms->ents.n)
        return RC_ERR_UNAVAILABLE;
    *term = ms->ents.v[i - offset].term;
    return RC_OK;
}

uint64_t rc_memstorage_first_index(rc_memstorage *ms)
{
    return ms_offset(ms) + 1;
}

uint64_t rc_memstorage_last_index(rc_memstorage *ms)
{
    return ms_last(ms);
}

int rc_memstorage_snapshot(rc_memstorage *ms, rc_snapshot *out)
{
    return rc_snapshot_copy(out, &ms->snapshot);
}

int rc_memstorage_apply_snapshot(rc_memstorage *ms, const rc_snapshot *snap)
{
    if (ms->snapshot.metadata.index >= snap->metadata.index)
        return RC_ERR_SNAP_OUT_OF_DATE;
    rc_snapshot copy;
    int rc = rc_snapshot_copy(&copy, snap);
    if (rc != RC_OK)
        return rc;
    rc_snapshot_free(&ms->snapshot);
    ms->snapshot = copy;
    rc_entries_truncate(&ms->ents, 1);
    rc_entry_free(&ms->ents.v[0]);
    ms->ents.v[0].index = snap->metadata.index;
    ms->ents.v[0].term = snap->metadata.term;
    return RC_OK;
}

int rc_memstorage_create_snapshot(rc_memstorage *ms, uint64_t i, const rc_conf_state *cs,
                                  const void *data, size_t len, rc_snapshot *out)
{
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (i <= ms->snapshot.metadata.index)
        return RC_ERR_SNAP_OUT_OF_DATE;
    if (i > ms_last(ms))
        return ms_panic(ms, "snapshot %llu is out of bound lastindex(%llu)", U64(i),
                        U64(ms_last(ms)));
    /* Build everything that can fail first, so a failure leaves ms unchanged. */
    rc_conf_state ncs = { 0 };
    rc_bytes ndata = { 0 };
    int rc = RC_OK;
    if (cs != NULL)
        rc = rc_conf_state_copy(&ncs, cs);
    if (rc == RC_OK)
        rc = rc_bytes_set(&ndata, data, len);
    if (rc == RC_OK && out != NULL) {
        rc_snapshot tmp = { .data = ndata, .metadata = ms->snapshot.metadata };
        if (cs != NULL)
            tmp.metadata.conf_state = ncs;
        tmp.metadata.index = i;
        tmp.metadata.term = ms->ents.v[i - ms_offset(ms)].term;
        rc = rc_snapshot_copy(out, &tmp);
    }
    if (rc != RC_OK) {
        rc_conf_state_free(&ncs);
        rc_bytes_free(&ndata);
        return rc;
    }
    ms->snapshot.metadata.index = i;
    ms->snapshot.metadata.term = ms->ents.v[i - ms_offset(ms)].term;
    if (cs != NULL) {
        rc_conf_state_free(&ms->snapshot.metadata.conf_state);
        ms->snapshot.metadata.conf_state = ncs;
    }
    rc_bytes_free(&ms->snapshot.data);
    ms->snapshot.data = ndata;
    return RC_OK;
}

int rc_memstorage_compact(rc_memstorage *ms, uint64_t compact_index)
{
    uint64_t offset = ms_offset(ms);
    if (compact_index <= offset)
        return RC_ERR_COMPACTED;
    if (compact_index > ms_last(ms))
        return ms_panic(ms, "compact %llu is out of bound lastindex(%llu)", U64(compact_index),
                        U64(ms_last(ms)));
    size_t k = (size_t)(compact_index - offset);
    /* Entry k becomes the new dummy: it keeps its index and term, loses its payload. */
    rc_entries_drop_front(&ms->ents, k);
    rc_bytes_free(&ms->ents.v[0].data);
    ms->ents.v[0].type = RC_ENTRY_NORMAL;
    return RC_OK;
}

int rc_memstorage_append(rc_memstorage *ms, const rc_entry *ents, size_t n)
{
    if (n == 0)
        return RC_OK;
    uint64_t first = rc_memstorage_first_index(ms);
    uint64_t last = ents[0].index + n - 1;
    /* Nothing new. */
    if (last < first)
        return RC_OK;
    /* Skip the already compacted prefix. */
    if (first > ents[0].index) {
        size_t skip = (size_t)(first - ents[0].index);
        ents += skip;
        n -= skip;
    }
    uint64_t offset = ents[0].index - ms_offset(ms);
    if (offset > ms->ents.n)
        return ms_panic(ms, "missing log entry [last: %llu, append at: %llu]",
                        U64(ms_last(ms)), U64(ents[0].index));
    return rc_entries_splice(&ms->ents, (size_t)offset, ents, n);
}

/* ---- the rc_storage view ---- */

static int ms_op_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    return rc_memstorage_initial_state(ud, hs, cs);
}

static int ms_op_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size,
                         rc_entries *out)
{
    return rc_memstorage_entries(ud, lo, hi, max_size, out);
}

static int ms_op_term(void *ud, uint64_t i, uint64_t *term)
{
    return rc_memstorage_term(ud, i, term);
}

static int ms_op_first_index(void *ud, uint64_t *index)
{
    *index = rc_memstorage_first_index(ud);
    return RC_OK;
}

static int ms_op_last_index(void *ud, uint64_t *index)
{
    *index = rc_memstorage_last_index(ud);
    return RC_OK;
}

static int ms_op_snapshot(void *ud, rc_snapshot *out)
{
    return rc_memstorage_snapshot(ud, out);
}

static const rc_storage_ops ms_ops = {
    .initial_state = ms_op_initial_state,
    .entries = ms_op_entries,
    .term = ms_op_term,
    .first_index = ms_op_first_index,
    .last_index = ms_op_last_index,
    .snapshot = ms_op_snapshot,
};

rc_storage rc_memstorage_storage(rc_memstorage *ms)
{
    return (rc_storage){ .ops = &ms_ops, .ud = ms };
}
