/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * pack.h: a settled RawNode (its raft state, progress and configuration) in one small block of
 * varints, and back. A multi-raft host keeps a quiet group in this form instead of its node,
 * raft, tracker and progress allocations (docs/multiraft.md, "Memory"). Only a node with nothing
 * in flight packs (no messages, Ready, unstable entries, reads, votes, transfer or in-flight
 * appends): everything else it holds is scalars and id lists, which the block stores exactly,
 * so the restored node is the same state machine and behaves identically.
 */
#ifndef RC_PACK_H
#define RC_PACK_H

#include <stdint.h>

#include "rawnode.h"

/* Packs rn into *out (heap, rc_free; its first varint is the length of the rest).
 * RC_ERR_STATE when rn has something in flight (see above) or is failed; RC_ERR_NOMEM. rn is
 * unchanged either way. */
int rc_pack_rawnode(uint8_t **out, const rc_rawnode *rn);
/* The node of a block made by rc_pack_rawnode, with the options of c (validated as by
 * rc_rawnode_new, whose defaults it applies; its storage must be the one rn used, unchanged
 * since). Logs nothing. RC_ERR_CONFIG for a config refused by validation, RC_ERR_NOMEM,
 * RC_ERR_DECODE for a malformed block, RC_ERR_FAILED when the storage fails. */
int rc_pack_restore(rc_rawnode **out, const rc_config *c, const uint8_t *packed);
/* The leader id recorded in a packed block (raft's lead; 0 for none). */
uint64_t rc_pack_lead(const uint8_t *packed);
/* The size in bytes of a packed block. */
size_t rc_pack_size(const uint8_t *packed);

#endif
