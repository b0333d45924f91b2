/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_diskstorage.c: the public disk storage handle over storage/diskstorage.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"
#include "fsutil.h"

#define CHECK_DS(ds)                                                                               \
    do {                                                                                           \
        if ((ds) == NULL || (ds)->ds == NULL)                                                      \
            return RAFTC_EINVAL;                                                                   \
    } while (0)

/* The writes the async writer makes: refused while it runs (they would race its order). */
#define CHECK_NO_WRITER(ds)                                                                        \
    do {                                                                                           \
        if ((ds)->writer != NULL)                                                                  \
            return RAFTC_ESTATE;                                                                   \
    } while (0)

/* The smallest struct_size accepted: the fields of the struct's first published version (ABI
 * 1.0: struct_size, segment_size, sync_policy; tests/abi/libraftc.abi.xml), never the current
 * sizeof, so a host built against 1.0 keeps working as fields are added. A field after them is
 * read only when the host's struct_size covers it, else it keeps its default (HAS_FIELD). */
#define OPTIONS_V1_SIZE (offsetof(raftc_diskstorage_options, sync_policy) + sizeof(int))
#define HAS_FIELD(o, f) ((o)->struct_size >= offsetof(raftc_diskstorage_options, f) +              \
                                              sizeof((o)->f))

RAFTC_API int raftc_diskstorage_open(raftc_diskstorage **out, char *err, size_t err_len,
                                     const char *path, const raftc_diskstorage_options *opts)
{
    char text[DS_ERR_MAX] = "";
    int rc = RAFTC_OK;
    if (out != NULL)
        *out = NULL;
    ds_options o = {0, DS_SYNC_EACH};
    bool async = false;
    if (out == NULL || path == NULL) {
        rc = ds_errf(text, RAFTC_EINVAL, "invalid argument");
    } else if (opts != NULL) {
        if (opts->struct_size < OPTIONS_V1_SIZE)
            rc = ds_errf(text, RAFTC_EINVAL, "invalid disk storage options: struct_size %zu is "
                         "smaller than the first version of raftc_diskstorage_options (%zu "
                         "bytes); set it to sizeof(raftc_diskstorage_options)",
                         opts->struct_size, (size_t)OPTIONS_V1_SIZE);
        else if (opts->sync_policy < RAFTC_SYNC_EACH || opts->sync_policy > RAFTC_SYNC_NONE)
            rc = ds_errf(text, RAFTC_EINVAL, "invalid disk storage options: sync_policy %d is "
                         "not a raftc_sync_policy", opts->sync_policy);
        if (rc == RAFTC_OK) {
            o.segment_size = opts->segment_size;
            o.sync = (ds_sync_policy)opts->sync_policy;
            async = HAS_FIELD(opts, async_writes) && opts->async_writes != 0;
        }
    }
    raftc_diskstorage *h = NULL;
    if (rc == RAFTC_OK && (h = rc_calloc(1, sizeof(*h))) == NULL)
        rc = ds_errf(text, RAFTC_ENOMEM, "out of memory");
    ds_vfs vfs = ds_vfs_posix();
    const char *dir = path;
    int mem = rc == RAFTC_OK ? capi_memfs_resolve(path, &vfs, &dir) : 0;
    if (mem < 0)
        rc = ds_errf(text, mem, "invalid in-memory file system path %s", path);
    if (rc == RAFTC_OK)
        rc = ds_open(&h->ds, vfs, dir, &o, text);
    if (rc == RAFTC_OK && async && (rc = ds_writer_start(&h->writer, h->ds)) != RAFTC_OK) {
        ds_errf(text, rc, "cannot start the async writer thread");
        ds_close(h->ds);
    }
    if (rc != RAFTC_OK) {
        rc_free(h);
        if (err != NULL && err_len > 0)
            snprintf(err, err_len, "%s", text);
        return rc;
    }
    h->view.ms = ds_mirror(h->ds);
    if (err != NULL && err_len > 0)
        err[0] = 0;
    *out = h;
    return RAFTC_OK;
}

RAFTC_API void raftc_diskstorage_free(raftc_diskstorage *ds)
{
    if (ds == NULL)
        return;
    ds_writer_stop(ds->writer);
    ds_close(ds->ds);
    rc_free(ds->view.scratch.v);
    rc_free(ds->scratch.v);
    rc_free(ds);
}

RAFTC_API int raftc_diskstorage_append(raftc_diskstorage *ds, const uint8_t *const *ents,
                                       const size_t *lens, size_t n)
{
    CHECK_DS(ds);
    CHECK_NO_WRITER(ds);
    if (n == 0)
        return ds_failed(ds->ds) ? RAFTC_EFAILED : RAFTC_OK;
    rc_entry small[16];
    rc_entries es = n <= 16 ? (rc_entries){small, 0, 16} : ds->scratch;
    int rc = capi_entry_batch_decode(&es, rc_memstorage_pool(ds_mirror(ds->ds)), ents, lens, n);
    if (rc == RC_OK)
        rc = ds_append(ds->ds, es.v, es.n);
    capi_entry_batch_release(&es);
    if (es.v != small)
        ds->scratch = es;
    return rc;
}

RAFTC_API int raftc_diskstorage_set_hard_state(raftc_diskstorage *ds, const uint8_t *buf,
                                               size_t len)
{
    CHECK_DS(ds);
    CHECK_NO_WRITER(ds);
    if (buf == NULL && len != 0)
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_hard_state hs;
    int rc = rc_decode_hard_state(&hs, buf, len);
    return rc != RC_OK ? rc : ds_set_hard_state(ds->ds, &hs);
}

RAFTC_API int raftc_diskstorage_apply_snapshot(raftc_diskstorage *ds, const uint8_t *buf,
                                               size_t len)
{
    CHECK_DS(ds);
    CHECK_NO_WRITER(ds);
    if (buf == NULL && len != 0)
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_snapshot s;
    int rc = rc_decode_snapshot(&s, buf, len);
    if (rc != RC_OK)
        return rc;
    rc = ds_apply_snapshot(ds->ds, &s);
    rc_snapshot_free(&s);
    return rc;
}

RAFTC_API int raftc_diskstorage_create_snapshot(raftc_sink *out, raftc_diskstorage *ds,
                                                uint64_t i, const uint8_t *conf_state,
                                                size_t conf_state_len, const uint8_t *data,
                                                size_t data_len)
{
    CHECK_DS(ds);
    if ((conf_state == NULL && conf_state_len != 0) || (data == NULL && data_len != 0))
        return RAFTC_EINVAL;
    if (conf_state_len > CAPI_MAX_INPUT || data_len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    rc_conf_state cs = {0};
    int rc = RC_OK;
    if (conf_state != NULL && (rc = rc_decode_conf_state(&cs, conf_state, conf_state_len)) != RC_OK)
        return rc;
    rc_snapshot s = {0};
    rc = ds_create_snapshot(ds->ds, i, conf_state != NULL ? &cs : NULL, data, data_len, &s);
    if (rc == RC_OK && out != NULL)
        rc = capi_sink_put_snapshot(out, &s);
    rc_snapshot_free(&s);
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_diskstorage_compact(raftc_diskstorage *ds, uint64_t compact_index)
{
    CHECK_DS(ds);
    return ds_compact(ds->ds, compact_index);
}

RAFTC_API int raftc_diskstorage_sync(raftc_diskstorage *ds)
{
    CHECK_DS(ds);
    return ds_sync(ds->ds);
}

RAFTC_API int raftc_diskstorage_save_ready(raftc_diskstorage *ds, const raftc_ready *rd)
{
    CHECK_DS(ds);
    if (rd == NULL)
        return RAFTC_EINVAL;
    CHECK_NO_WRITER(ds);
    if (!rd->valid)
        return RAFTC_ESTATE;
    return ds_save_ready(ds->ds, &rd->body->rd);
}

/* Checks and queues one message (moved in on success, freed otherwise). */
static int submit(raftc_diskstorage *ds, rc_message *m)
{
    int rc = ds_writer_submit(ds->writer, m);
    rc_message_free(m);
    return rc;
}

RAFTC_API int raftc_diskstorage_submit(raftc_diskstorage *ds, const uint8_t *buf, size_t len)
{
    CHECK_DS(ds);
    if (buf == NULL && len != 0)
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT)
        return RAFTC_ETOOLARGE;
    if (ds->writer == NULL)
        return RAFTC_ESTATE;
    rc_message m;
    int rc = rc_decode_message(&m, buf, len, CAPI_MAX_INPUT);
    return rc != RC_OK ? rc : submit(ds, &m);
}

RAFTC_API int raftc_diskstorage_submit_ready(raftc_diskstorage *ds, const raftc_ready *rd)
{
    CHECK_DS(ds);
    if (rd == NULL)
        return RAFTC_EINVAL;
    if (ds->writer == NULL || !rd->valid)
        return RAFTC_ESTATE;
    const rc_msgs *ms = &rd->body->rd.messages;
    int rc = RAFTC_OK;
    for (size_t i = 0; i < ms->n && rc == RAFTC_OK; i++) {
        if (ms->v[i].type != RC_MSG_STORAGE_APPEND || ms->v[i].to != RC_LOCAL_APPEND_THREAD)
            continue;
        rc_message m;
        rc = ds_writer_copy_message(&m, &ms->v[i]);
        if (rc == RC_OK)
            rc = submit(ds, &m);
    }
    return rc;
}

RAFTC_API int raftc_diskstorage_take_responses(raftc_sink *out, uint64_t *done,
                                               raftc_diskstorage *ds, int timeout_ms)
{
    if (done != NULL)
        *done = 0;
    if (out == NULL || done == NULL)
        return RAFTC_EINVAL;
    CHECK_DS(ds);
    if (ds->writer == NULL)
        return RAFTC_ESTATE;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = ds_writer_take(ds->writer, timeout_ms, &buf, &len, done);
    for (size_t off = 0; rc == RAFTC_OK && off + 4 <= len;) {
        uint32_t n;
        memcpy(&n, buf + off, 4);
        rc = raftc_sink_put(out, buf + off + 4, n);
        off += 4 + n;
    }
    rc_free(buf);
    if (rc != RAFTC_OK && rc != RAFTC_EFAILED) /* responses lost: nothing may be acked later */
        ds_mark_failed(ds->ds, rc, "async writer: out of memory handing over responses");
    return rc;
}

RAFTC_API int raftc_diskstorage_memstorage(raftc_memstorage **out, raftc_diskstorage *ds)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CHECK_DS(ds);
    *out = &ds->view;
    return RAFTC_OK;
}

RAFTC_API int raftc_diskstorage_stat(uint64_t *out, const raftc_diskstorage *ds,
                                     raftc_diskstorage_stat_key key)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = 0;
    CHECK_DS(ds);
    switch (key) {
    case RAFTC_DS_BYTES_WRITTEN: *out = ds_bytes_written(ds->ds); break;
    case RAFTC_DS_TORN_BYTES: *out = ds_torn_bytes(ds->ds); break;
    case RAFTC_DS_FAILED: *out = ds_failed(ds->ds) ? 1 : 0; break;
    case RAFTC_DS_PENDING: *out = ds->writer != NULL ? ds_writer_pending(ds->writer) : 0; break;
    default: return RAFTC_EINVAL;
    }
    return RAFTC_OK;
}

RAFTC_API const char *raftc_diskstorage_last_error(const raftc_diskstorage *ds)
{
    if (ds == NULL || ds->ds == NULL)
        return "";
    const char *e = ds_last_error(ds->ds);
    return e[0] != 0 ? e : rc_memstorage_last_error(ds_mirror(ds->ds));
}
