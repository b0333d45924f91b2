/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * codec.h: raftpb bytes <-> core structs, using protobuf-c's generated code (raftpb.pb-c.h).
 * Encoding profile: proto2 as etcd v3.7+ writes it (documented in docs/wire-format.md).
 * Decoders accept packed and unpacked repeated fields, any field order and unknown fields, and
 * reject: truncated or malformed bytes (RC_ERR_DECODE), enum values outside the enum for message
 * types (RC_ERR_UNKNOWN_TYPE), responses nested deeper than one level (RC_ERR_DECODE), buffers
 * over max_len (RC_ERR_TOO_LARGE; 0 = no limit). On error *out is left zeroed.
 * Encoders return a heap buffer (rc_free) in *buf / *len (core/wire.h writes into a caller
 * buffer). Entry, Message and HardState are read by core/wire's one-pass decoders, which follow
 * protobuf-c's rules (the rc_pb_* functions below are their reference).
 */
#ifndef RC_CODEC_H
#define RC_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "types.h"

int rc_decode_message(rc_message *out, const uint8_t *buf, size_t len, size_t max_len);
int rc_decode_entry(rc_entry *out, const uint8_t *buf, size_t len);
int rc_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len);
int rc_decode_conf_state(rc_conf_state *out, const uint8_t *buf, size_t len);
int rc_decode_snapshot(rc_snapshot *out, const uint8_t *buf, size_t len);
int rc_decode_conf_change(rc_conf_change *out, const uint8_t *buf, size_t len);
int rc_decode_conf_change_v2(rc_conf_change_v2 *out, const uint8_t *buf, size_t len);

size_t rc_message_encoded_size(const rc_message *m);
size_t rc_entry_encoded_size(const rc_entry *e);
int rc_encode_message(uint8_t **buf, size_t *len, const rc_message *m);
int rc_encode_entry(uint8_t **buf, size_t *len, const rc_entry *e);
int rc_encode_hard_state(uint8_t **buf, size_t *len, const rc_hard_state *hs);
int rc_encode_conf_state(uint8_t **buf, size_t *len, const rc_conf_state *cs);
int rc_encode_snapshot(uint8_t **buf, size_t *len, const rc_snapshot *s);
int rc_encode_conf_change(uint8_t **buf, size_t *len, const rc_conf_change *cc);
int rc_encode_conf_change_v2(uint8_t **buf, size_t *len, const rc_conf_change_v2 *cc);

/* ---- One entry point for the readers above the core (codec_view.c) ----
 * The functions below read the bytes once (core/wire's decoders, protobuf-c for a snapshot
 * field's contents only) and give the same results and errors as the decoders above. */

/* Message bytes decoded for a receiver that steps the message and drops it, in one pass: the
 * entries into scratch's reused entry array with payloads and context in pool's slabs (with
 * shared, a blob-backed rc_bytes holding buf[0, len), entry payloads are views sharing it). Same
 * results and errors as rc_decode_message; on RC_OK release with rc_step_message_release (on
 * error out->m is zeroed and owns nothing). */
typedef struct rc_step_message {
    rc_message m;
} rc_step_message;
int rc_decode_step_message(rc_step_message *out, const uint8_t *buf, size_t len, size_t max_len,
                           rc_entries *scratch, rc_blob_pool *pool, const rc_bytes *shared);
void rc_step_message_release(rc_step_message *sm);

/* The scalars and counts of Message bytes, validated as rc_decode_message validates them (same
 * errors), with the context as a view into buf (NULL when empty), in one pass that allocates
 * nothing (a snapshot field is unpacked by protobuf-c to validate it). each_entry (may be NULL)
 * is called with each Entry item (the encoded Entry body, a view into buf) in order as the pass
 * reads it: on an error, what it collected is void; its non-zero result stops the pass and is
 * returned. */
typedef struct rc_message_summary {
    rc_message_fields f;
    size_t n_entries;
    bool has_snapshot;
    size_t n_responses;
    const uint8_t *context;
    size_t context_len;
} rc_message_summary;
int rc_summarize_message(rc_message_summary *out, const uint8_t *buf, size_t len, size_t max_len,
                         int (*each_entry)(void *ud, const uint8_t *body, size_t body_len),
                         void *ud);

/* A view of Entry bytes: the fields rc_decode_entry gives, with data pointing into buf (NULL
 * when empty). Same errors as rc_decode_entry. */
int rc_view_entry(uint64_t *term, uint64_t *index, rc_entry_type *type, const uint8_t **data,
                  size_t *data_len, const uint8_t *buf, size_t len);
/* rc_decode_entry with the payload copied once into pool's slabs. */
int rc_decode_entry_pooled(rc_entry *out, const uint8_t *buf, size_t len, rc_blob_pool *pool);
/* True iff buf is an Entry exactly as rc_encode_entry writes it (decoding and re-encoding it
 * gives the same bytes, so it may be copied verbatim). */
bool rc_entry_is_canonical(const uint8_t *buf, size_t len);

/* Encoding into a caller buffer: the *_to functions write exactly the encoded size (the
 * rc_*_encoded_size functions) at p and return p + size; the bytes are rc_encode_*'s. A message
 * must be encodable (rc_message_encodable: a known type, responses nested one level at most). */
size_t rc_hard_state_encoded_size(const rc_hard_state *hs);
bool rc_message_encodable(const rc_message *m);
uint8_t *rc_encode_entry_to(uint8_t *p, const rc_entry *e);
uint8_t *rc_encode_message_to(uint8_t *p, const rc_message *m);
uint8_t *rc_encode_hard_state_to(uint8_t *p, const rc_hard_state *hs);
/* A message's encoding without the entry payloads of at least min bytes (min > 0; not those
 * of its responses): rc_message_frame_gaps gives how many are left out and their total size;
 * rc_encode_message_frame_to writes rc_message_encoded_size(m) - *gap_bytes bytes at p and
 * fills gaps[] in order. The framing with each gap's bytes inserted at its offset is exactly
 * rc_encode_message_to's encoding (a scatter/gather send of the payloads without copying). */
size_t rc_message_frame_gaps(const rc_message *m, size_t min, size_t *gap_bytes);
uint8_t *rc_encode_message_frame_to(uint8_t *p, const rc_message *m, size_t min,
                                    rc_frame_gap *gaps);
/* A Message of the scalars f (type < RC_MSG_TYPE_COUNT, reject 0 or 1), Entries copied verbatim
 * from canonical Entry bytes ents[i] (lens[i] bytes; rc_entry_is_canonical) and an optional
 * context: the bytes rc_encode_message gives for the decoded message. */
size_t rc_message_fields_encoded_size(const rc_message_fields *f, const size_t *lens, size_t n,
                                      size_t context_len);
uint8_t *rc_encode_message_fields_to(uint8_t *p, const rc_message_fields *f,
                                     const uint8_t *const *ents, const size_t *lens, size_t n,
                                     const uint8_t *context, size_t context_len);

/* The snapshot of a Message from the contents of its snapshot field (fields false), or from
 * Message bytes holding only its snapshot fields (fields true: a repeated field, which
 * protobuf-c merges), unpacked by protobuf-c; *blank: it is the empty snapshot etcd tolerates on
 * messages other than MsgSnap. out NULL: validate only. RC_ERR_DECODE when protobuf-c refuses
 * the bytes; on an error the caller frees *out (rc_snapshot_free). For core/wire_decode.c. */
int rc_pb_decode_snapshot_field(rc_snapshot *out, bool *blank, const uint8_t *buf, size_t len,
                                bool fields);

/* The same functions on protobuf-c alone (the reference the hand-rolled core/wire codec behind
 * the functions above is tested against; see tests/unit/test_wire_diff.c). Same contracts. */
int rc_pb_decode_message(rc_message *out, const uint8_t *buf, size_t len, size_t max_len);
int rc_pb_decode_entry(rc_entry *out, const uint8_t *buf, size_t len);
int rc_pb_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len);
int rc_pb_encode_message(uint8_t **buf, size_t *len, const rc_message *m);
int rc_pb_encode_entry(uint8_t **buf, size_t *len, const rc_entry *e);
int rc_pb_encode_hard_state(uint8_t **buf, size_t *len, const rc_hard_state *hs);

#endif
