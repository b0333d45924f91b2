/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * wire.h: the specialised raftpb codec of the hot paths: hand-rolled varint encoders for Entry,
 * Message and HardState that write into a caller buffer, and decoders for the common shapes of
 * Entry, Message and HardState (wire.c). It is byte-identical to the protobuf-c path of core/codec
 * (proved by tests/unit/test_wire_diff.c and tests/fuzz/fuzz_wire_diff.c):
 *  - encoders produce exactly the bytes protobuf-c packs from codec.c's views (same profile);
 *  - decoders (wire_decode.c) produce exactly the struct, or the error, that codec.c's
 *    protobuf-c path produces, reading each byte once.
 */
#ifndef RC_WIRE_H
#define RC_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include "types.h"

/* Encoded sizes (same values as codec.h's rc_*_encoded_size). */
size_t rc_wire_entry_size(const rc_entry *e);
size_t rc_wire_hard_state_size(const rc_hard_state *hs);
/* m must be encodable: type < RC_MSG_TYPE_COUNT and responses nested at most one level
 * (rc_wire_message_ok). */
size_t rc_wire_message_size(const rc_message *m);
size_t rc_wire_snapshot_size(const rc_snapshot *s);
size_t rc_wire_conf_state_size(const rc_conf_state *cs);
/* True iff m can be encoded (what codec's protobuf-c path accepts). */
bool rc_wire_message_ok(const rc_message *m);

/* Encoders: write exactly rc_wire_*_size() bytes at p (caller-sized) and return p + size. */
uint8_t *rc_wire_put_entry(uint8_t *p, const rc_entry *e);
uint8_t *rc_wire_put_hard_state(uint8_t *p, const rc_hard_state *hs);
uint8_t *rc_wire_put_message(uint8_t *p, const rc_message *m);
/* How many payloads of m's entries (not of its responses) have at least min bytes (min > 0):
 * the gaps rc_wire_put_message_frame leaves, and their total size (*gap_bytes). */
size_t rc_wire_message_gaps(const rc_message *m, size_t min, size_t *gap_bytes);
/* rc_wire_put_message without those payloads: writes rc_wire_message_size(m) - gap_bytes
 * bytes at p and fills gaps[] in order; the framing with each gap's bytes inserted at its
 * offset is exactly rc_wire_put_message's encoding. */
uint8_t *rc_wire_put_message_frame(uint8_t *p, const rc_message *m, size_t min,
                                   rc_frame_gap *gaps);
/* True iff buf is an Entry exactly as rc_wire_put_entry writes it (type, term, index as
 * shortest varints in that order, then data when non-empty, nothing else): decoding and
 * re-encoding it would give the same bytes, so it may be copied verbatim. */
bool rc_wire_entry_is_canonical(const uint8_t *buf, size_t len);
uint8_t *rc_wire_put_snapshot(uint8_t *p, const rc_snapshot *s);
uint8_t *rc_wire_put_conf_state(uint8_t *p, const rc_conf_state *cs);

/* Decoders. Each reads the bytes once, with codec.c's protobuf-c path (rc_pb_decode_*) as the
 * reference: the same results and the same errors for every input (RC_ERR_DECODE,
 * RC_ERR_UNKNOWN_TYPE for a Message type outside the enum, RC_ERR_NOMEM), *out zeroed on
 * error. A Message's snapshot field alone is unpacked by protobuf-c; its responses are read by
 * the same code one level down, and a responses field inside a response is RC_ERR_DECODE (so the
 * recursion is bounded whatever the input). buf may be NULL only when len == 0. On RC_OK *out
 * is owned (free with rc_*_free). */
int rc_wire_decode_entry(rc_entry *out, const uint8_t *buf, size_t len);
int rc_wire_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len);
int rc_wire_decode_message(rc_message *out, const uint8_t *buf, size_t len);

/* Size and encoding of a Message with the scalars f, Entries items copied verbatim from the
 * canonical Entry bodies ents[i] (lens[i] bytes; see rc_wire_entry_is_canonical) and an
 * optional context: the same bytes as rc_wire_put_message of the decoded message. f->type must
 * be < RC_MSG_TYPE_COUNT and f->reject 0 or 1. */
size_t rc_wire_fields_message_size(const rc_message_fields *f, const size_t *lens, size_t n,
                                   size_t context_len);
uint8_t *rc_wire_put_fields_message(uint8_t *p, const rc_message_fields *f,
                                    const uint8_t *const *ents, const size_t *lens, size_t n,
                                    const uint8_t *context, size_t context_len);

/* Like rc_wire_decode_message, for a receiver that steps the message and drops it: the entries
 * go into scratch's array (reused across calls: out->entries is scratch->v, and scratch keeps
 * the array, grown as needed, on every return), payloads and context into pool's slabs (the
 * snapshot and responses, rare, are allocated); with shared (a blob-backed rc_bytes holding
 * buf[0, len)), the entries' payloads are views into buf sharing its blob instead of copies.
 * On RC_OK release *out with rc_wire_release_pooled_message (never rc_message_free). */
int rc_wire_decode_message_pooled(rc_message *out, const uint8_t *buf, size_t len,
                                  rc_entries *scratch, rc_blob_pool *pool,
                                  const rc_bytes *shared);
/* Drops what a message from rc_wire_decode_message_pooled holds (its entry array stays with the
 * scratch); *m then owns nothing. */
void rc_wire_release_pooled_message(rc_message *m);

/* Called with the contents of each item of a repeated field (a view into the decoded buffer);
 * a non-zero result stops the decode and is returned. */
typedef int (*rc_wire_item_fn)(void *ud, const uint8_t *body, size_t body_len);

/* Like rc_wire_decode_message, without allocating: scalar fields filled, n_entries and
 * n_responses counted (entries and responses NULL), context borrowed from buf, *has_snapshot
 * set; each_entry (may be NULL) is called with every Entry item as it is read, so on an error
 * what it collected is void. *out must NOT be freed. Same errors as rc_wire_decode_message. */
int rc_wire_peek_message(rc_message *out, bool *has_snapshot, const uint8_t *buf, size_t len,
                         rc_wire_item_fn each_entry, void *ud);

/* A borrowed view of an encoded Entry (no allocation): fields as rc_wire_decode_entry gives
 * them, data pointing into buf (NULL when empty). Same errors as rc_wire_decode_entry. */
int rc_wire_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                       size_t *data_len, const uint8_t *buf, size_t len);

/* Tests only (tests/unit/test_codec.c): decodes buf as kind, counting in visits[i] (len
 * counters, zeroed first) how many times the decoder read buf[i]: its own reads of tags,
 * values and length prefixes, the contents it takes or skips, and the bytes it hands to
 * protobuf-c (a snapshot field's contents; a repeated snapshot field's whole fields, which
 * protobuf-c merges). Returns the decoder's result. */
typedef enum rc_wire_kind { RC_WIRE_MESSAGE, RC_WIRE_ENTRY } rc_wire_kind;
int rc_wire_trace_decode(rc_wire_kind kind, uint8_t *visits, const uint8_t *buf, size_t len);

#endif
