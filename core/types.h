/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * types.h: the core's own data structures for raftpb values (entries, messages, hard/conf state,
 * snapshots, conf changes). The core never touches protobuf-c structs; core/codec converts
 * between these and raftpb bytes at the edge.
 *
 * Ownership rule for every struct here: a struct owns the heap memory its pointers reference
 * (deep). rc_*_free() releases that memory (not the struct itself, which is usually embedded or
 * in an array) and leaves the struct zeroed. rc_*_copy() makes a deep copy.
 */
#ifndef RC_TYPES_H
#define RC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "blob.h"

/* Keeps a function out of line: a hot function's rare path (an error, a general case) placed
 * in a function of its own with this costs the common path no stack frame. */
#if defined(__GNUC__)
#define RC_NOINLINE __attribute__((noinline))
#else
#define RC_NOINLINE
#endif

#define RC_NONE 0u
#define RC_LOCAL_APPEND_THREAD UINT64_MAX
#define RC_LOCAL_APPLY_THREAD (UINT64_MAX - 1)

/* Error codes shared by the core and the public ABI (raftc.h mirrors them with RAFTC_E*).
 * Never renumber. */
typedef enum rc_err {
    RC_OK = 0,
    RC_ERR_INVALID = -1,          /* invalid argument */
    RC_ERR_NOMEM = -2,            /* allocation failed */
    RC_ERR_DECODE = -3,           /* malformed raftpb bytes */
    RC_ERR_TOO_LARGE = -4,        /* buffer over the configured limit */
    RC_ERR_PROPOSAL_DROPPED = -5, /* "raft proposal dropped" */
    RC_ERR_STEP_LOCAL_MSG = -6,   /* "raft: cannot step raft local message" */
    RC_ERR_STEP_PEER_NOT_FOUND = -7, /* "raft: cannot step as peer not found" */
    RC_ERR_COMPACTED = -8,        /* "requested index is unavailable due to compaction" */
    RC_ERR_UNAVAILABLE = -9,      /* "requested entry at index is unavailable" */
    RC_ERR_SNAP_OUT_OF_DATE = -10, /* "requested index is older than the existing snapshot" */
    RC_ERR_SNAP_TEMP_UNAVAILABLE = -11, /* "snapshot is temporarily unavailable" */
    RC_ERR_STORAGE = -12,         /* a storage callback failed otherwise */
    RC_ERR_FAILED = -13,          /* the node hit a broken invariant (etcd panics) and is failed */
    RC_ERR_STATE = -14,           /* call out of order (e.g. advance without ready) */
    RC_ERR_CONFIG = -15,          /* invalid configuration */
    RC_ERR_CONFCHANGE = -16,      /* a conf change was refused by the changer */
    RC_ERR_NOT_FOUND = -17,
    RC_ERR_UNKNOWN_TYPE = -18,    /* message type outside the enum */
    RC_ERR_CORRUPT = -19,         /* stored data failed its checks (disk storage) */
    RC_ERR_LOCKED = -20,          /* the storage directory is in use by another process */
    RC_ERR_IO = -21,              /* an I/O call failed (disk storage) */
    RC_ERR_REFUSED = -22,         /* a message no correct peer can send; the node is unchanged */
} rc_err;

/* etcd's raftpb.MessageType numbering. */
typedef enum rc_msg_type {
    RC_MSG_HUP = 0, RC_MSG_BEAT = 1, RC_MSG_PROP = 2, RC_MSG_APP = 3, RC_MSG_APP_RESP = 4,
    RC_MSG_VOTE = 5, RC_MSG_VOTE_RESP = 6, RC_MSG_SNAP = 7, RC_MSG_HEARTBEAT = 8,
    RC_MSG_HEARTBEAT_RESP = 9, RC_MSG_UNREACHABLE = 10, RC_MSG_SNAP_STATUS = 11,
    RC_MSG_CHECK_QUORUM = 12, RC_MSG_TRANSFER_LEADER = 13, RC_MSG_TIMEOUT_NOW = 14,
    RC_MSG_READ_INDEX = 15, RC_MSG_READ_INDEX_RESP = 16, RC_MSG_PRE_VOTE = 17,
    RC_MSG_PRE_VOTE_RESP = 18, RC_MSG_STORAGE_APPEND = 19, RC_MSG_STORAGE_APPEND_RESP = 20,
    RC_MSG_STORAGE_APPLY = 21, RC_MSG_STORAGE_APPLY_RESP = 22, RC_MSG_FORGET_LEADER = 23,
    RC_MSG_TYPE_COUNT = 24
} rc_msg_type;

typedef enum rc_entry_type {
    RC_ENTRY_NORMAL = 0, RC_ENTRY_CONF_CHANGE = 1, RC_ENTRY_CONF_CHANGE_V2 = 2
} rc_entry_type;

typedef enum rc_cc_type {
    RC_CC_ADD_NODE = 0, RC_CC_REMOVE_NODE = 1, RC_CC_UPDATE_NODE = 2, RC_CC_ADD_LEARNER_NODE = 3
} rc_cc_type;

typedef enum rc_cc_transition {
    RC_CC_TRANSITION_AUTO = 0, RC_CC_TRANSITION_JOINT_IMPLICIT = 1,
    RC_CC_TRANSITION_JOINT_EXPLICIT = 2
} rc_cc_transition;

typedef enum rc_state_type {
    RC_STATE_FOLLOWER = 0, RC_STATE_CANDIDATE = 1, RC_STATE_LEADER = 2, RC_STATE_PRE_CANDIDATE = 3
} rc_state_type;

typedef struct rc_entry {
    uint64_t term;
    uint64_t index;
    rc_entry_type type;
    rc_bytes data;
} rc_entry;

/* A growable array of entries; owns every entry's data. */
typedef struct rc_entries {
    rc_entry *v;
    size_t n;
    size_t cap;
} rc_entries;

/* A list of node ids in stored order (not necessarily sorted, as in raftpb). */
typedef struct rc_ids {
    uint64_t *v;
    size_t n;
} rc_ids;

typedef struct rc_conf_state {
    rc_ids voters;
    rc_ids learners;
    rc_ids voters_outgoing;
    rc_ids learners_next;
    bool auto_leave;
} rc_conf_state;

typedef struct rc_snapshot_meta {
    rc_conf_state conf_state;
    uint64_t index;
    uint64_t term;
} rc_snapshot_meta;

typedef struct rc_snapshot {
    rc_bytes data;
    rc_snapshot_meta metadata;
} rc_snapshot;

typedef struct rc_hard_state {
    uint64_t term;
    uint64_t vote;
    uint64_t commit;
} rc_hard_state;

typedef struct rc_soft_state {
    uint64_t lead;
    rc_state_type raft_state;
} rc_soft_state;

typedef struct rc_read_state {
    uint64_t index;
    rc_bytes request_ctx;
} rc_read_state;

typedef struct rc_message rc_message;
struct rc_message {
    rc_msg_type type;
    uint64_t to;
    uint64_t from;
    uint64_t term;
    uint64_t log_term;
    uint64_t index;
    rc_entry *entries;
    size_t n_entries;
    uint64_t commit;
    uint64_t vote;
    rc_snapshot *snapshot; /* NULL when absent */
    bool reject;
    uint64_t reject_hint;
    rc_bytes context;
    rc_message *responses;
    size_t n_responses;
};

/* The scalar fields of a Message (what the ABI's info arrays carry). */
typedef struct rc_message_fields {
    uint64_t type, to, from, term, log_term, index, commit, vote, reject, reject_hint;
} rc_message_fields;

/* A payload left out of a message's encoded framing (rc_encode_message_frame_to in codec.h):
 * its len bytes at data belong `at` bytes into the whole encoding. */
typedef struct rc_frame_gap {
    size_t at;
    const uint8_t *data;
    size_t len;
} rc_frame_gap;

/* A growable list of messages; owns them deeply (rc_msgs_* in raft.h). */
typedef struct rc_msgs {
    rc_message *v;
    size_t n, cap;
} rc_msgs;

typedef struct rc_cc_single {
    rc_cc_type type;
    uint64_t node_id;
} rc_cc_single;

/* ConfChange (v1). */
typedef struct rc_conf_change {
    uint64_t id;
    rc_cc_type type;
    uint64_t node_id;
    rc_bytes context;
} rc_conf_change;

/* ConfChangeV2; a v1 change is converted to this form with rc_cc_v1_as_v2(). */
typedef struct rc_conf_change_v2 {
    rc_cc_transition transition;
    rc_cc_single *changes;
    size_t n_changes;
    rc_bytes context;
} rc_conf_change_v2;

/* ---- helpers (types.c) ---- */

/* Shares src's payload blob when it has one (see rc_bytes_copy). */
int rc_entry_copy(rc_entry *dst, const rc_entry *src);
void rc_entry_free(rc_entry *e);
/* Payload size as etcd's payloadSize: len(Data). */
static inline uint64_t rc_entry_payload_size(const rc_entry *e) { return e->data.len; }

/* Appends a deep copy of src[0..n) to es. */
int rc_entries_append_copy(rc_entries *es, const rc_entry *src, size_t n);
/* Takes ownership of *e (moves it in, zeroing *e). */
int rc_entries_push_move(rc_entries *es, rc_entry *e);
/* Frees entries [from, n) and sets n = from. */
void rc_entries_truncate(rc_entries *es, size_t from);
/* Drops the first k entries (frees them), shifting the rest down. */
void rc_entries_drop_front(rc_entries *es, size_t k);
void rc_entries_free(rc_entries *es);

int rc_ids_copy(rc_ids *dst, const rc_ids *src);
int rc_ids_push(rc_ids *ids, uint64_t id);
bool rc_ids_contains(const rc_ids *ids, uint64_t id);
void rc_ids_free(rc_ids *ids);

int rc_conf_state_copy(rc_conf_state *dst, const rc_conf_state *src);
void rc_conf_state_free(rc_conf_state *cs);
/* Equivalence as etcd's ConfState.Equivalent: same sets (order ignored) and auto_leave. */
bool rc_conf_state_equivalent(const rc_conf_state *a, const rc_conf_state *b);

int rc_snapshot_copy(rc_snapshot *dst, const rc_snapshot *src);
void rc_snapshot_free(rc_snapshot *s);
static inline bool rc_snapshot_is_empty(const rc_snapshot *s) { return s == NULL || s->metadata.index == 0; }

static inline bool rc_hard_state_is_empty(const rc_hard_state *hs) {
    return hs->term == 0 && hs->vote == 0 && hs->commit == 0;
}
static inline bool rc_hard_state_equal(const rc_hard_state *a, const rc_hard_state *b) {
    return a->term == b->term && a->vote == b->vote && a->commit == b->commit;
}

/* An all-zero message. `rc_message m = rc_message_zero;` is the hot paths' initializer: the
 * compiler copies it with a few vector moves, where a memset of this size becomes `rep stos`,
 * which costs more than the rest of a small step. */
extern const rc_message rc_message_zero;

int rc_message_copy(rc_message *dst, const rc_message *src);
void rc_message_free(rc_message *m);
/* Whether m references heap memory (entries, snapshot, context, responses). */
static inline bool rc_message_owns_memory(const rc_message *m)
{
    return m->entries != NULL || m->snapshot != NULL || m->context.data != NULL ||
           m->context.owner != NULL || m->responses != NULL;
}
/* Forgets m's heap references (after moving them elsewhere); scalars are kept. */
static inline void rc_message_disown(rc_message *m)
{
    m->entries = NULL;
    m->n_entries = 0;
    m->snapshot = NULL;
    m->context = (rc_bytes){NULL, 0, NULL};
    m->responses = NULL;
    m->n_responses = 0;
}

void rc_conf_change_free(rc_conf_change *cc);
void rc_conf_change_v2_free(rc_conf_change_v2 *cc);
/* Views a v1 change as a v2 with transition Auto and one change (deep copy into *dst). */
int rc_cc_v1_as_v2(rc_conf_change_v2 *dst, const rc_conf_change *src);

/* etcd's IsLocalMsg / IsResponseMsg / IsLocalMsgTarget. */
bool rc_msg_is_local(rc_msg_type t);
bool rc_msg_is_response(rc_msg_type t);
static inline bool rc_msg_is_local_target(uint64_t id) {
    return id == RC_LOCAL_APPEND_THREAD || id == RC_LOCAL_APPLY_THREAD;
}

/* Enum names as etcd prints them ("MsgApp", "EntryNormal", "StateLeader", ...); "unknown"-style
 * fallback for values outside the enum (never NULL). */
const char *rc_msg_type_name(rc_msg_type t);
const char *rc_entry_type_name(rc_entry_type t);
const char *rc_state_type_name(rc_state_type t);
const char *rc_cc_type_name(rc_cc_type t);
const char *rc_cc_transition_name(rc_cc_transition t);

#endif
