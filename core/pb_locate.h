/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * pb_locate.h: says where and why raftpb bytes are malformed. The decoders only answer "does
 * not decode"; this walks the bytes again over raftpb's schema and names the first problem: its
 * byte offset, the field path (e.g. "entries[2].data") and what is wrong with it.
 */
#ifndef RC_PB_LOCATE_H
#define RC_PB_LOCATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum rc_pb_kind {
    RC_PB_MESSAGE, RC_PB_ENTRY, RC_PB_SNAPSHOT, RC_PB_HARD_STATE, RC_PB_CONF_STATE,
    RC_PB_CONF_CHANGE, RC_PB_CONF_CHANGE_V2
} rc_pb_kind;

/* Writes "malformed raftpb <Kind> bytes: <path> at offset <n>: <problem>" into out (size
 * bytes, always terminated) for bytes that do not decode as kind; when the walk finds nothing
 * wrong with the framing, the text says so with the length. Returns out. */
const char *rc_pb_locate_error(rc_pb_kind kind, const uint8_t *buf, size_t len, char *out,
                               size_t size);

#endif
