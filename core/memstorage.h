/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memstorage.h: etcd's MemoryStorage. A dummy entry holds the snapshot (or compaction) index
 * and term, so FirstIndex = dummy index + 1. Entries are stored compactly (12 bytes each beyond
 * the payload, which stays in shared slabs; see memstorage.c); payloads must be < 1 GiB
 * (RC_ERR_TOO_LARGE otherwise) and types valid (RC_ERR_INVALID).
 * Errors: RC_ERR_COMPACTED, RC_ERR_UNAVAILABLE, RC_ERR_SNAP_OUT_OF_DATE, RC_ERR_NOMEM, and
 * RC_ERR_FAILED where etcd panics (e.g. Compact beyond the last index, a gap on Append); the
 * storage has no logger, so etcd's panic text is kept for rc_memstorage_last_error(). Every
 * failing call leaves the storage unchanged. Not thread-safe (one user at a time).
 */
#ifndef RC_MEMSTORAGE_H
#define RC_MEMSTORAGE_H

#include "storage.h"
#include "types.h"

typedef struct rc_memstorage rc_memstorage;

int rc_memstorage_new(rc_memstorage **out);
void rc_memstorage_free(rc_memstorage *ms);
/* The storage view over ms (valid while ms lives). */
rc_storage rc_memstorage_storage(rc_memstorage *ms);
/* The operations of rc_memstorage_storage's views: the raft log compares a storage's ops with
 * them to call the MemoryStorage directly (log.c). */
extern const rc_storage_ops rc_memstorage_ops;
/* The slab pool the storage copies loose payloads into; a caller decoding entries for
 * rc_memstorage_append may put their payloads there directly (then nothing is copied again). */
rc_blob_pool *rc_memstorage_pool(rc_memstorage *ms);

/* etcd's panic text of the last call that returned RC_ERR_FAILED ("" if none), e.g.
 * "compact 7 is out of bound lastindex(5)". Owned by ms, valid until the next failing call. */
const char *rc_memstorage_last_error(const rc_memstorage *ms);

/* HardState and the snapshot's ConfState (deep copy into *cs). */
int rc_memstorage_initial_state(rc_memstorage *ms, rc_hard_state *hs, rc_conf_state *cs);
int rc_memstorage_set_hard_state(rc_memstorage *ms, const rc_hard_state *hs);
/* Appends copies of [lo, hi) limited by max_size (etcd limitSize) to *out. RC_ERR_COMPACTED if
 * lo <= the dummy index; RC_ERR_UNAVAILABLE if only the dummy exists; RC_ERR_FAILED if hi is
 * beyond last+1 ("entries' hi(%d) is out of bound lastindex(%d)"). */
int rc_memstorage_entries(rc_memstorage *ms, uint64_t lo, uint64_t hi, uint64_t max_size,
                          rc_entries *out);
/* RC_ERR_COMPACTED below the dummy index, RC_ERR_UNAVAILABLE beyond the last index. */
int rc_memstorage_term(rc_memstorage *ms, uint64_t i, uint64_t *term);
uint64_t rc_memstorage_first_index(rc_memstorage *ms);
uint64_t rc_memstorage_last_index(rc_memstorage *ms);
/* Deep copy of the latest snapshot (zero-valued if none). */
int rc_memstorage_snapshot(rc_memstorage *ms, rc_snapshot *out);
/* Replaces the contents with the snapshot (deep-copied). RC_ERR_SNAP_OUT_OF_DATE if older. */
int rc_memstorage_apply_snapshot(rc_memstorage *ms, const rc_snapshot *snap);
/* Makes a snapshot at index i with cs (may be NULL) and data; RC_ERR_SNAP_OUT_OF_DATE if
 * i <= the current snapshot index, RC_ERR_FAILED if i > last index. *out (if non-NULL) gets a
 * copy. */
int rc_memstorage_create_snapshot(rc_memstorage *ms, uint64_t i, const rc_conf_state *cs,
                                  const void *data, size_t len, rc_snapshot *out);
/* Discards entries before compact_index (entry compact_index becomes the dummy).
 * RC_ERR_COMPACTED if compact_index <= the dummy index; RC_ERR_FAILED beyond the last index. */
int rc_memstorage_compact(rc_memstorage *ms, uint64_t compact_index);
/* Appends entries, truncating any conflicting tail; entries already compacted are ignored; a
 * gap is RC_ERR_FAILED. Payloads in a blob are shared (a reference is taken), others (views,
 * plain heap) are copied into the storage's slabs. */
int rc_memstorage_append(rc_memstorage *ms, const rc_entry *ents, size_t n);
/* Drops the entries after index (kept: the dummy and everything up to index; nothing happens
 * if index >= the last index). Used by the disk storage's recovery. */
void rc_memstorage_truncate_after(rc_memstorage *ms, uint64_t index);

/* The storage as one block of bytes (memstorage_pack.c; a multi-raft host keeps a quiet group's
 * log in this form, docs/multiraft.md "Memory"): its HardState, dummy entry, snapshot and
 * entries with their payloads. rc_memstorage_packed_size is the block's size in bytes;
 * rc_memstorage_pack writes the block to buf, which holds that many. */
size_t rc_memstorage_packed_size(const rc_memstorage *ms);
void rc_memstorage_pack(uint8_t *buf, const rc_memstorage *ms);
/* A new storage holding what a block made by rc_memstorage_pack held (the block's first varint
 * is its length: nothing past it is read). Payloads are copied into the new storage's slab;
 * the last error text is not kept. RC_ERR_DECODE for a malformed block, RC_ERR_NOMEM (*out is
 * NULL on failure). */
int rc_memstorage_unpack(rc_memstorage **out, const uint8_t *buf);

#endif
