/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * memstorage_internal.h: the layout of rc_memstorage (memstorage.c), shared with its packed
 * form (memstorage_pack.c) only.
 */
#ifndef RC_MEMSTORAGE_INTERNAL_H
#define RC_MEMSTORAGE_INTERNAL_H

#include "blob.h"
#include "types.h"

#define MS_ERROR_MAX 160

/* meta[k] of a stored entry: payload length in the low 30 bits (payloads are < 1 GiB, the
 * ABI's input limit), rc_entry_type in the top 2. */
#define MS_LEN_BITS 30
#define MS_LEN_MAX ((1u << MS_LEN_BITS) - 1)

static inline uint32_t ms_meta(size_t len, rc_entry_type type)
{
    return (uint32_t)len | (uint32_t)type << MS_LEN_BITS;
}
static inline size_t ms_meta_len(uint32_t meta) { return meta & MS_LEN_MAX; }
static inline rc_entry_type ms_meta_type(uint32_t meta)
{
    return (rc_entry_type)(meta >> MS_LEN_BITS);
}

/* Entries [first, next run's first) have this term / their payloads in this blob. */
typedef struct ms_term_run { uint64_t first; uint64_t term; } ms_term_run;
typedef struct ms_blob_run { uint64_t first; rc_blob *blob; } ms_blob_run;

struct rc_memstorage {
    rc_hard_state hard_state;
    rc_snapshot *snap;    /* the latest snapshot; NULL: none yet (zero-valued), so a storage
                           * that never had one keeps no room for it */
    uint64_t offset;      /* index of the dummy entry: FirstIndex - 1 */
    uint64_t offset_term; /* its term */
    const uint8_t **data; /* data[k], meta[k]: entry offset + 1 + k (payload NULL when empty; */
    uint32_t *meta;       /* it lies in the blob of the entry's blob run) */
    size_t n, cap;
    ms_term_run *terms;   /* first ascending; covers every stored entry */
    size_t n_terms, cap_terms;
    ms_blob_run *blobs;   /* first ascending; covers every stored entry with a payload */
    size_t n_blobs, cap_blobs;
    rc_blob_pool pool;    /* copies of payloads appended without a blob */
    char *last_error;     /* MS_ERROR_MAX bytes, allocated by the first failure */
};

#endif
