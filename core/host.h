/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * host.h: the core of a multi-raft host (many raft groups in one process; docs/multiraft.md):
 * the group table (group id -> group), the envelope that carries every message of one host
 * Ready for one destination node (proto/multiraft.proto), and the quiescence predicates over a
 * group's raft state. The host itself (groups, ticks, Ready, wake-ups) is capi/raftc_host.c.
 */
#ifndef RC_HOST_H
#define RC_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rawnode.h"
#include "types.h"

/* ---- group table (host_map.c): open addressing with linear probing, keys != 0 ---- */

typedef struct rc_host_slot {
    uint64_t key; /* 0: empty */
    void *value;
} rc_host_slot;

typedef struct rc_host_map {
    rc_host_slot *slots;
    size_t cap; /* 0 or a power of two */
    size_t n;
} rc_host_map;

/* The value stored under key, or NULL. */
void *rc_host_map_get(const rc_host_map *m, uint64_t key);
/* Stores value under key (key != 0, value != NULL); replaces an existing value. RC_ERR_NOMEM
 * leaves the map unchanged; RC_ERR_INVALID for key 0 or a NULL value. */
int rc_host_map_put(rc_host_map *m, uint64_t key, void *value);
/* Removes key; returns its value or NULL when absent. */
void *rc_host_map_delete(rc_host_map *m, uint64_t key);
void rc_host_map_free(rc_host_map *m);

/* ---- envelope (host_envelope.c) ---- */

/* A coalesced MsgHeartbeat (empty context) of one group; quiesce: the leader went quiet. */
typedef struct rc_host_heartbeat {
    uint64_t group, term, commit;
    bool quiesce;
} rc_host_heartbeat;

/* A coalesced MsgHeartbeatResp (empty context) of one group. */
typedef struct rc_host_heartbeat_resp {
    uint64_t group, term;
} rc_host_heartbeat_resp;

/* One group's raftpb.Message bytes, at buf[off, off+len) of the outbox's byte buffer. */
typedef struct rc_host_group_msg {
    uint64_t group;
    size_t off, len;
} rc_host_group_msg;

/* Everything one host Ready sends to one destination node; arrays are reused across Readys. */
typedef struct rc_host_outbox {
    uint64_t to;
    uint8_t *buf; size_t buf_len, buf_cap;
    rc_host_group_msg *msgs; size_t n_msgs, cap_msgs;
    rc_host_heartbeat *hbs; size_t n_hbs, cap_hbs;
    rc_host_heartbeat_resp *resps; size_t n_resps, cap_resps;
    uint64_t *wakes; size_t n_wakes, cap_wakes;
} rc_host_outbox;

/* Appends the encoding of m (a group's message; rc_wire_message_ok) to the outbox. */
int rc_host_outbox_put_message(rc_host_outbox *o, uint64_t group, const rc_message *m);
int rc_host_outbox_put_heartbeat(rc_host_outbox *o, const rc_host_heartbeat *hb);
int rc_host_outbox_put_resp(rc_host_outbox *o, const rc_host_heartbeat_resp *r);
int rc_host_outbox_put_wake(rc_host_outbox *o, uint64_t group);
bool rc_host_outbox_is_empty(const rc_host_outbox *o);
/* Empties the outbox, keeping its arrays. */
void rc_host_outbox_clear(rc_host_outbox *o);
void rc_host_outbox_free(rc_host_outbox *o);

/* Encodes the outbox as a multiraftpb.Envelope from `from` into *buf (heap, rc_free).
 * RC_ERR_NOMEM on failure (*buf NULL). */
int rc_host_envelope_encode(uint8_t **buf, size_t *len, const rc_host_outbox *o, uint64_t from);

/* A decoded envelope (host_envelope.c owns the protobuf-c structure behind it). */
typedef struct rc_host_envelope {
    uint64_t from, to;
    size_t n_msgs, n_hbs, n_resps, n_wakes;
    void *pb; /* Multiraftpb__Envelope */
} rc_host_envelope;

/* Decodes envelope bytes. RC_ERR_DECODE for malformed bytes; RC_ERR_INVALID for an envelope
 * without from/to or with a group id of 0; RC_ERR_TOO_LARGE over max_len. */
int rc_host_envelope_decode(rc_host_envelope *e, const uint8_t *buf, size_t len, size_t max_len);
/* Part i of each list (i below its count): views into the decoded envelope. */
void rc_host_envelope_message(uint64_t *group, const uint8_t **buf, size_t *len,
                              const rc_host_envelope *e, size_t i);
void rc_host_envelope_heartbeat(rc_host_heartbeat *hb, const rc_host_envelope *e, size_t i);
void rc_host_envelope_resp(rc_host_heartbeat_resp *r, const rc_host_envelope *e, size_t i);
uint64_t rc_host_envelope_wake(const rc_host_envelope *e, size_t i);
void rc_host_envelope_free(rc_host_envelope *e);

/* ---- quiescence (host_quiesce.c) ---- */

/* Whether a leader may stop ticking: it is leader with no transfer, no pending reads, a
 * non-joint configuration, every entry committed, applied and persisted, and every peer's
 * match at its last index. rn must have no Ready pending. */
bool rc_host_leader_can_quiesce(const rc_rawnode *rn);
/* Whether a follower that has just stepped a quiesce heartbeat (term, commit) from `from` may
 * stop ticking: it follows `from` (not RC_NONE) in that term and its log ends at that commit,
 * all applied. */
bool rc_host_follower_can_quiesce(const rc_rawnode *rn, uint64_t from, uint64_t term,
                                  uint64_t commit);

#endif
