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
 * buffer). Entry, Message and HardState go through the hand-rolled core/wire codec first.
 */
#ifndef RC_CODEC_H
#define RC_CODEC_H

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

/* The same functions on protobuf-c alone (the reference the hand-rolled core/wire codec behind
 * the functions above is tested against; see tests/unit/test_wire_diff.c). Same contracts. */
int rc_pb_decode_message(rc_message *out, const uint8_t *buf, size_t len, size_t max_len);
int rc_pb_decode_entry(rc_entry *out, const uint8_t *buf, size_t len);
int rc_pb_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len);
int rc_pb_encode_message(uint8_t **buf, size_t *len, const rc_message *m);
int rc_pb_encode_entry(uint8_t **buf, size_t *len, const rc_entry *e);
int rc_pb_encode_hard_state(uint8_t **buf, size_t *len, const rc_hard_state *hs);

#endif
