/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_hoststore.c: the durable storage of a multi-raft host (raftc_hoststore_*): the host log
 * of storage/hostlog.h fed from the host's Readys, snapshots and removals, and checkpoints
 * written from the host's own storage.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "capi_internal.h"
#include "codec.h"
#include "hostlog.h"

#define HS_DEFAULT_CHECKPOINT_BYTES ((uint64_t)64 << 20)

struct raftc_hoststore {
    ds_hostlog *log;
    uint64_t checkpoint_bytes;
    uint64_t saves, fsyncs, checkpoints;
    char err[DS_ERR_MAX];
};

static int hs_result(raftc_hoststore *hs, int rc)
{
    if (rc == RAFTC_OK)
        hs->err[0] = 0;
    else if (ds_hostlog_failed(hs->log))
        snprintf(hs->err, sizeof(hs->err), "%s", ds_hostlog_error(hs->log));
    else
        snprintf(hs->err, sizeof(hs->err), "%s", raftc_strerror(rc));
    return rc;
}

RAFTC_API int raftc_hoststore_open(raftc_hoststore **out, char *err, size_t err_len,
                                   const char *path, uint64_t checkpoint_bytes)
{
    char text[DS_ERR_MAX] = "";
    int rc = RAFTC_OK;
    if (out != NULL)
        *out = NULL;
    raftc_hoststore *hs = NULL;
    if (out == NULL || path == NULL)
        rc = ds_errf(text, RAFTC_EINVAL, "invalid argument");
    else if ((hs = rc_calloc(1, sizeof(*hs))) == NULL)
        rc = ds_errf(text, RAFTC_ENOMEM, "out of memory");
    ds_vfs vfs = ds_vfs_posix();
    const char *dir = path;
    int mem = rc == RAFTC_OK ? capi_memfs_resolve(path, &vfs, &dir) : 0;
    if (mem < 0)
        rc = ds_errf(text, mem, "invalid in-memory file system path %s", path);
    if (rc == RAFTC_OK)
        rc = ds_hostlog_open(&hs->log, vfs, dir, text);
    if (rc != RAFTC_OK) {
        rc_free(hs);
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s", text);
        return rc;
    }
    hs->checkpoint_bytes = checkpoint_bytes ? checkpoint_bytes : HS_DEFAULT_CHECKPOINT_BYTES;
    if (err != NULL && err_len > 0)
        err[0] = 0;
    *out = hs;
    return RAFTC_OK;
}

RAFTC_API void raftc_hoststore_free(raftc_hoststore *hs)
{
    if (hs == NULL)
        return;
    ds_hostlog_close(hs->log);
    rc_free(hs);
}

RAFTC_API int raftc_hoststore_load(raftc_hoststore *hs, raftc_host *host)
{
    if (hs == NULL || host == NULL)
        return RAFTC_EINVAL;
    int first = RAFTC_OK;
    size_t n = ds_hostlog_recovered_count(hs->log);
    for (size_t i = 0; i < n; i++) {
        uint64_t group;
        rc_memstorage *core;
        ds_hostlog_recovered(hs->log, i, &group, &core);
        raftc_memstorage ms = {core, {0}};
        uint64_t applied = rc_memstorage_first_index(core) - 1; /* the snapshot's index */
        int rc = raftc_host_load_group(host, group, &ms, applied);
        if (rc != RAFTC_OK && first == RAFTC_OK) {
            first = rc;
            snprintf(hs->err, sizeof(hs->err), "%s", raftc_host_last_error(host));
        }
    }
    ds_hostlog_free_recovered(hs->log);
    return first == RAFTC_OK ? hs_result(hs, RAFTC_OK) : first;
}

/* ---- checkpoints ---- */

static char *ctx_err(void *ctx)
{
    return ((raftc_hoststore *)ctx)->err;
}

static int checkpoint_group(void *ctx, uint64_t group, rc_memstorage *ms)
{
    ds_hostlog *log = ((raftc_hoststore *)ctx)->log;
    rc_snapshot snap = {0};
    int rc = rc_memstorage_snapshot(ms, &snap);
    uint64_t first = rc_memstorage_first_index(ms), last = rc_memstorage_last_index(ms);
    /* the log is replayed from its snapshot (or from 1): it must not be compacted past it;
     * entries kept behind the snapshot are left out */
    if (rc == RC_OK && first - 1 > snap.metadata.index)
        rc = RAFTC_ESTATE;
    if (first < snap.metadata.index + 1)
        first = snap.metadata.index + 1;
    if (rc == RC_OK && snap.metadata.index > 0)
        rc = ds_hostlog_put_snapshot(log, group, &snap, false);
    rc_snapshot_free(&snap);
    if (rc == RAFTC_ESTATE)
        snprintf(ctx_err(ctx), DS_ERR_MAX,
                 "checkpoint: group %llu's log was compacted past its snapshot (compact only up "
                 "to the snapshot's index)",
                 (unsigned long long)group);
    if (rc == RC_OK && last >= first) {
        rc_entries ents = {0};
        rc = rc_memstorage_entries(ms, first, last + 1, UINT64_MAX, &ents);
        if (rc == RC_OK)
            rc = ds_hostlog_put_entries(log, group, ents.v, ents.n);
        rc_entries_free(&ents);
    }
    rc_hard_state hs;
    rc_conf_state cs = {0};
    if (rc == RC_OK)
        rc = rc_memstorage_initial_state(ms, &hs, &cs);
    rc_conf_state_free(&cs);
    if (rc == RC_OK && !rc_hard_state_is_empty(&hs))
        rc = ds_hostlog_put_hard_state(log, group, &hs);
    return rc;
}

/* Rewrites the log from the host's storage once it outgrew the last checkpoint. */
static int maybe_checkpoint(raftc_hoststore *hs, raftc_host *host)
{
    uint64_t size = ds_hostlog_size(hs->log), last = ds_hostlog_checkpoint_size(hs->log);
    if (size <= hs->checkpoint_bytes + 2 * last)
        return RAFTC_OK;
    int rc = ds_hostlog_checkpoint_begin(hs->log);
    if (rc == RAFTC_OK)
        rc = capi_host_each_group(host, checkpoint_group, hs);
    if (rc != RAFTC_OK && !ds_hostlog_failed(hs->log)) {
        ds_hostlog_checkpoint_abort(hs->log); /* the log is unchanged; hs->err says why */
        return rc;
    }
    if (rc == RAFTC_OK)
        rc = ds_hostlog_checkpoint_end(hs->log);
    if (rc == RAFTC_OK)
        hs->checkpoints++;
    return hs_result(hs, rc);
}

/* ---- writes ---- */

RAFTC_API int raftc_hoststore_save(raftc_hoststore *hs, raftc_host *host)
{
    if (hs == NULL || host == NULL)
        return RAFTC_EINVAL;
    const raftc_batch *b = capi_host_batch(host);
    if (b == NULL)
        return hs_result(hs, RAFTC_ESTATE);
    if (ds_hostlog_failed(hs->log))
        return hs_result(hs, RAFTC_EFAILED);
    bool sync = false;
    int rc = RAFTC_OK;
    size_t n = raftc_batch_group_count(b);
    for (size_t i = 0; rc == RAFTC_OK && i < n; i++) {
        uint64_t group;
        raftc_ready *view;
        rc = raftc_batch_group(&group, &view, b, i);
        if (rc != RAFTC_OK)
            break;
        const rc_ready *rd = &view->body->rd;
        /* etcd's MustSync, and a snapshot: its MsgAppResp acknowledges it (etcd's WAL and the
         * disk storage fsync snapshots too) */
        if (rd->snapshot != NULL && !rc_snapshot_is_empty(rd->snapshot)) {
            rc = ds_hostlog_put_snapshot(hs->log, group, rd->snapshot, false);
            sync = true;
        }
        if (rc == RAFTC_OK && rd->entries.n > 0)
            rc = ds_hostlog_put_entries(hs->log, group, rd->entries.v, rd->entries.n);
        if (rc == RAFTC_OK && !rc_hard_state_is_empty(&rd->hard_state))
            rc = ds_hostlog_put_hard_state(hs->log, group, &rd->hard_state);
        sync = sync || rd->must_sync;
    }
    uint64_t before = ds_hostlog_size(hs->log);
    if (rc == RAFTC_OK)
        rc = ds_hostlog_write(hs->log, sync);
    if (rc == RAFTC_OK && ds_hostlog_size(hs->log) != before)
        hs->saves++;
    if (rc == RAFTC_OK && sync)
        hs->fsyncs++;
    if (rc == RAFTC_OK)
        return maybe_checkpoint(hs, host);
    return hs_result(hs, rc);
}

RAFTC_API int raftc_hoststore_create_snapshot(raftc_sink *out, raftc_hoststore *hs,
                                              raftc_host *host, uint64_t group, uint64_t i,
                                              const uint8_t *conf_state, size_t conf_state_len,
                                              const uint8_t *data, size_t data_len)
{
    if (hs == NULL || host == NULL)
        return RAFTC_EINVAL;
    if (ds_hostlog_failed(hs->log))
        return hs_result(hs, RAFTC_EFAILED);
    raftc_sink *snap = NULL;
    int rc = raftc_sink_new(&snap);
    if (rc == RAFTC_OK)
        rc = raftc_host_create_snapshot(snap, host, group, i, conf_state, conf_state_len, data,
                                        data_len);
    if (rc != RAFTC_OK) {
        raftc_sink_free(snap);
        if (rc != RAFTC_ENOMEM)
            snprintf(hs->err, sizeof(hs->err), "%s", raftc_host_last_error(host));
        return rc;
    }
    const uint8_t *buf;
    size_t len;
    rc = raftc_sink_get(&buf, &len, snap, 0);
    rc_snapshot s = {0};
    if (rc == RAFTC_OK)
        rc = rc_decode_snapshot(&s, buf, len);
    if (rc == RAFTC_OK)
        rc = ds_hostlog_put_snapshot(hs->log, group, &s, true);
    rc_snapshot_free(&s);
    if (rc == RAFTC_OK)
        rc = ds_hostlog_write(hs->log, true);
    if (rc == RAFTC_OK) {
        hs->fsyncs++;
        if (out != NULL)
            rc = raftc_sink_put(out, buf, len);
    }
    raftc_sink_free(snap);
    return hs_result(hs, rc);
}

RAFTC_API int raftc_hoststore_remove_group(raftc_hoststore *hs, raftc_host *host,
                                           uint64_t group)
{
    if (hs == NULL || host == NULL)
        return RAFTC_EINVAL;
    if (ds_hostlog_failed(hs->log))
        return hs_result(hs, RAFTC_EFAILED);
    int rc = raftc_host_remove_group(host, group);
    if (rc != RAFTC_OK) {
        snprintf(hs->err, sizeof(hs->err), "%s", raftc_host_last_error(host));
        return rc;
    }
    rc = ds_hostlog_put_remove(hs->log, group);
    if (rc == RAFTC_OK)
        rc = ds_hostlog_write(hs->log, true);
    if (rc == RAFTC_OK)
        hs->fsyncs++;
    return hs_result(hs, rc);
}

/* ---- status ---- */

RAFTC_API int raftc_hoststore_info(uint64_t *info, size_t n, const raftc_hoststore *hs)
{
    if (info == NULL || hs == NULL)
        return RAFTC_EINVAL;
    uint64_t v[RAFTC_HS_COUNT] = {
        ds_hostlog_size(hs->log),    ds_hostlog_torn_bytes(hs->log),
        ds_hostlog_recovered_count(hs->log), hs->saves, hs->fsyncs, hs->checkpoints,
        ds_hostlog_failed(hs->log) ? 1 : 0};
    for (size_t k = 0; k < RAFTC_HS_COUNT; k++)
        capi_info_put(info, n, k, v[k]);
    return RAFTC_OK;
}

RAFTC_API const char *raftc_hoststore_last_error(const raftc_hoststore *hs)
{
    return hs == NULL ? "" : hs->err;
}
