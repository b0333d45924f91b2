/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * storage.h: raft's read-only view of stable storage (etcd's Storage interface) as a table of
 * functions with a user pointer. The built-in memory storage and the host's callbacks (capi)
 * both present themselves through it.
 *
 * Every function returns RC_OK or an rc_err: RC_ERR_COMPACTED, RC_ERR_UNAVAILABLE and
 * RC_ERR_SNAP_TEMP_UNAVAILABLE carry etcd's meaning; anything else is a storage failure, which
 * raft treats as etcd treats a panic (PANIC log, node failed).
 */
#ifndef RC_STORAGE_H
#define RC_STORAGE_H

#include "types.h"

typedef struct rc_storage_ops {
    /* Fills *hs and *cs (cs receives owned arrays). */
    int (*initial_state)(void *ud, rc_hard_state *hs, rc_conf_state *cs);
    /* Appends deep copies of entries [lo, hi) to *out, limited to max_size bytes of encoded
     * entries (etcd's limitSize: at least one entry is returned). */
    int (*entries)(void *ud, uint64_t lo, uint64_t hi, uint64_t max_size, rc_entries *out);
    /* Term of entry i, valid for [FirstIndex-1, LastIndex]. */
    int (*term)(void *ud, uint64_t i, uint64_t *term);
    int (*first_index)(void *ud, uint64_t *index);
    int (*last_index)(void *ud, uint64_t *index);
    /* Deep copy of the most recent snapshot into *out. */
    int (*snapshot)(void *ud, rc_snapshot *out);
} rc_storage_ops;

typedef struct rc_storage {
    const rc_storage_ops *ops;
    void *ud;
} rc_storage;

#endif
