/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * record.h: the WAL's record format (docs/storage.md has the full layout).
 *
 * A record is a 12-byte header, then `len` payload bytes:
 *   u32 crc32c   over the 8 header bytes after it and the payload
 *   u32 len      payload length (< 1 GiB)
 *   u8  type     DS_REC_*
 *   u8[3]        zero
 * All integers are little-endian. An all-zero header is not a record: it ends the data of a
 * segment (segments are preallocated with zeros).
 *
 * Payloads:
 *   HEADER     "RAFTCWAL", u32 version (1), u64 segment sequence number
 *   ENTRIES    u64 first index, u32 count, then per entry: varint term, u8 type, varint data
 *              length, data (indexes are consecutive from the first)
 *   HARDSTATE  u64 term, u64 vote, u64 commit
 *   SNAPSHOT   u64 index, u64 term, u8 kind (DS_SNAP_REPLACE: the log was replaced by it, as
 *              MemoryStorage.ApplySnapshot; DS_SNAP_KEEP: entries after it stay)
 *   GROUP      a multi-raft host log's record (hostlog.h): u64 group id, u8 kind, then the
 *              kind's body
 */
#ifndef DS_RECORD_H
#define DS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define DS_REC_HEADER_SIZE 12
#define DS_REC_MAX_PAYLOAD ((uint32_t)1 << 30)
#define DS_WAL_MAGIC "RAFTCWAL"
#define DS_WAL_VERSION 1u

enum { DS_REC_HEADER = 1, DS_REC_ENTRIES = 2, DS_REC_HARDSTATE = 3, DS_REC_SNAPSHOT = 4,
       DS_REC_GROUP = 5 };
enum { DS_SNAP_REPLACE = 0, DS_SNAP_KEEP = 1 };

/* A growable byte buffer the records are encoded into. */
typedef struct ds_buf {
    uint8_t *v;
    size_t len, cap;
} ds_buf;

int ds_buf_reserve(ds_buf *b, size_t more);
void ds_buf_free(ds_buf *b);

/* Encoders: append one record to b (RC_ERR_NOMEM, RC_ERR_TOO_LARGE over the payload limit).
 * A failure leaves b as it was. */
int ds_rec_put_header(ds_buf *b, uint64_t seq);
int ds_rec_put_entries(ds_buf *b, const rc_entry *ents, size_t n);
int ds_rec_put_hard_state(ds_buf *b, const rc_hard_state *hs);
int ds_rec_put_snapshot(ds_buf *b, uint64_t index, uint64_t term, int kind);

/* A GROUP record of group `group` and kind `kind` (a u8) with a body of body_len bytes: begin
 * reserves it and returns where the body goes (NULL with *rc set: RC_ERR_NOMEM,
 * RC_ERR_TOO_LARGE), the caller writes the body, end seals it. */
uint8_t *ds_rec_group_begin(ds_buf *b, uint64_t group, int kind, size_t body_len, int *rc);
void ds_rec_group_end(ds_buf *b, size_t body_len);
/* A record found by ds_rec_next. */
typedef struct ds_rec {
    int type;
    const uint8_t *payload;
    uint32_t len;
} ds_rec;

/* Reads the record at buf[*off..len). DS_NEXT_OK: *rec filled, *off advanced past it;
 * DS_NEXT_END: an all-zero header or the end of buf (nothing valid follows here);
 * DS_NEXT_BAD: a torn or corrupt record at *off (bad CRC, a length past the end, an unknown
 * type). */
enum { DS_NEXT_OK = 0, DS_NEXT_END = 1, DS_NEXT_BAD = 2 };
int ds_rec_next(const uint8_t *buf, size_t len, size_t *off, ds_rec *rec);

/* Payload decoders: RC_OK or RC_ERR_DECODE for a malformed payload. */
/* The group id, kind and body (a view) of a GROUP record; RC_ERR_DECODE if it is too short. */
int ds_rec_group(const ds_rec *r, uint64_t *group, int *kind, const uint8_t **body,
                 size_t *body_len);

int ds_rec_header(const ds_rec *r, uint64_t *seq);
int ds_rec_hard_state(const ds_rec *r, rc_hard_state *hs);
int ds_rec_snapshot(const ds_rec *r, uint64_t *index, uint64_t *term, int *kind);
/* Iterates an ENTRIES payload: ds_rec_entries_begin checks the prefix; each ds_rec_entries_next
 * gives one entry (data is a view into the payload, owner NULL): 1 while there is one, 0 at the
 * end, RC_ERR_DECODE for a malformed one (also when the count does not match). */
typedef struct ds_ents_iter {
    const uint8_t *p, *end;
    uint64_t next_index;
    uint32_t left;
} ds_ents_iter;
int ds_rec_entries_begin(const ds_rec *r, ds_ents_iter *it, uint64_t *first, uint32_t *count);
int ds_rec_entries_next(ds_ents_iter *it, rc_entry *e);

/* Whether buf[0..len) is all zero. */
bool ds_all_zero(const uint8_t *buf, size_t len);

#endif
