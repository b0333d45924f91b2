/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft.h: the raft state machine (etcd's raft struct): roles, the step functions, elections,
 * replication, snapshots, membership changes, ReadIndex, leadership transfer.
 *
 * Failure convention: where etcd panics, the core logs etcd's text at RC_LOG_PANIC, sets
 * r->failed and returns RC_ERR_FAILED; every later entry point returns RC_ERR_FAILED at once.
 */
#ifndef RC_RAFT_H
#define RC_RAFT_H

#include <stdbool.h>
#include <stdint.h>
#include "log.h"
#include "logger.h"
#include "read_only.h"
#include "storage.h"
#include "tracker.h"
#include "types.h"

typedef enum rc_read_only_option { RC_READ_ONLY_SAFE = 0, RC_READ_ONLY_LEASE_BASED = 1 } rc_read_only_option;

typedef struct rc_config {
    uint64_t id;
    int election_tick;
    int heartbeat_tick;
    rc_storage storage;
    uint64_t applied;
    bool async_storage_writes;
    uint64_t max_size_per_msg;              /* 0: one entry per message; UINT64_MAX: no limit */
    uint64_t max_committed_size_per_ready;  /* 0: defaults to max_size_per_msg */
    uint64_t max_uncommitted_entries_size;  /* 0: no limit */
    size_t max_inflight_msgs;
    uint64_t max_inflight_bytes;            /* 0: no limit */
    bool check_quorum;
    bool pre_vote;
    rc_read_only_option read_only_option;
    bool disable_proposal_forwarding;
    bool disable_conf_change_validation;
    bool step_down_on_removal;
    rc_logger logger;
    uint64_t rand_seed;                     /* seeds the election-timeout source */
} rc_config;

/* etcd's Config.validate, applying defaults to *c. On failure *err_text is a static string with
 * etcd's text ("cannot use none as id", "heartbeat tick must be greater than 0", ...). */
int rc_config_validate(rc_config *c, const char **err_text);

/* Moves *m in; *m keeps its scalars but owns nothing afterwards (rc_message_free is a no-op).
 * On RC_ERR_NOMEM *m is freed. */
int rc_msgs_push(rc_msgs *ms, rc_message *m);
void rc_msgs_clear_slow(rc_msgs *ms);
/* Frees the messages, keeps capacity (inline check: most lists are empty when cleared). */
static inline void rc_msgs_clear(rc_msgs *ms)
{
    if (ms->n > 0)
        rc_msgs_clear_slow(ms);
}
void rc_msgs_free(rc_msgs *ms);

/* The largest term a message may carry: far enough below UINT64_MAX that a cluster can keep
 * electing leaders (each election adds one) without the term wrapping to 0. No correct cluster
 * gets near it (2^64 - 2^32 elections). */
#define RC_MAX_TERM (UINT64_MAX - UINT64_C(0xffffffff))

typedef struct rc_read_states { rc_read_state *v; size_t n, cap; } rc_read_states;

typedef struct rc_raft rc_raft;
typedef int (*rc_step_fn)(rc_raft *r, const rc_message *m);

struct rc_raft {
    uint64_t id;
    uint64_t term;
    uint64_t vote;
    rc_read_states read_states;
    rc_raft_log raft_log;
    uint64_t max_msg_size;
    uint64_t max_uncommitted_size;
    rc_tracker trk;
    /* Messages to send now; and messages to send only after the current unstable entries are
     * persisted (responses to the leader, self acks): etcd's msgs and msgsAfterAppend. */
    rc_msgs msgs;
    rc_msgs msgs_after_append;
    uint64_t lead;
    uint64_t lead_transferee;
    uint64_t pending_conf_index;
    uint64_t uncommitted_size;
    rc_read_only read_only;
    rc_step_fn step;
    /* Pending read-index requests received before the leader committed in its term. */
    rc_msgs pending_read_index_messages;
    uint64_t rand_state;
    rc_logger logger;
    /* Small fields last, packed together (an idle group is mostly this struct). */
    rc_state_type state;
    int election_elapsed;
    int heartbeat_elapsed;
    int heartbeat_timeout;
    int election_timeout;
    int randomized_election_timeout;
    bool is_learner;
    bool disable_conf_change_validation;
    bool check_quorum;
    bool pre_vote;
    bool disable_proposal_forwarding;
    bool step_down_on_removal;
    bool async_storage_writes;
    bool failed;
    uint64_t refused; /* messages refused by rc_raft_screen */
};

/* Whether the node is failed: a broken invariant in raft itself or a storage failure seen by
 * the log (which cannot reach r->failed from its const accessors). */
static inline bool rc_raft_is_failed(const rc_raft *r) { return r->failed || r->raft_log.failed; }

/* etcd's newRaft: validates c, restores state from c->storage (InitialState, confchange.Restore),
 * logs "newRaft ..." and becomes a follower. On failure *out is NULL and *err_text (static) says
 * why (for config errors). */
int rc_raft_new(rc_raft **out, const rc_config *c, const char **err_text);
void rc_raft_free(rc_raft *r);

/* Steps a message (local or from the network). m is borrowed. Returns RC_OK,
 * RC_ERR_PROPOSAL_DROPPED, RC_ERR_FAILED, ... */
int rc_raft_step(rc_raft *r, const rc_message *m);
/* Screens a message from outside the node (a peer, or the host's storage threads in async
 * mode) before rc_raft_step: RC_ERR_REFUSED when no correct peer can send it (sender id 0 or
 * reserved, self-addressed, wrongly addressed, a local type, a term that is missing, misplaced
 * or could wrap, entries that do not follow the index contiguously or whose terms go down, an
 * empty proposal or snapshot, a commit or acknowledgement beyond what the sender can know, a
 * second leader in a term, a conf change naming a reserved id). Then *why (size bytes) names
 * the sender, the field and the value, r->refused is incremented, a WARN line is logged, and
 * nothing else changes. RC_OK lets the message through; RC_ERR_FAILED on a failed node. */
int rc_raft_screen(rc_raft *r, const rc_message *m, char *why, size_t size);
/* Whether no node may have this id: 0 (None) or a local thread target. */
bool rc_id_is_reserved(uint64_t id);
/* Decodes a conf change of entry type t (RC_ENTRY_CONF_CHANGE or _V2): RC_OK; RC_ERR_REFUSED
 * with *bad set when a change names a local thread id (etcd cancels a change with node id 0,
 * which stays allowed); the decoder's error when the bytes are no conf change. */
int rc_conf_change_check_ids(rc_entry_type t, const uint8_t *data, size_t len, uint64_t *bad);
int rc_raft_tick(rc_raft *r);
void rc_raft_become_follower(rc_raft *r, uint64_t term, uint64_t lead);
void rc_raft_become_candidate(rc_raft *r);
void rc_raft_become_pre_candidate(rc_raft *r);
int rc_raft_become_leader(rc_raft *r);

rc_soft_state rc_raft_soft_state(const rc_raft *r);
rc_hard_state rc_raft_hard_state(const rc_raft *r);
/* Applies a conf change (ApplyConfChange) and returns the resulting ConfState in *cs. */
int rc_raft_apply_conf_change(rc_raft *r, const rc_conf_change_v2 *cc, rc_conf_state *cs);
/* Called by rawnode after the application applied up to index with `size` payload bytes
 * (etcd's appliedTo / appliedSnap), including auto-leave. */
int rc_raft_applied_to(rc_raft *r, uint64_t index, uint64_t size);
int rc_raft_applied_snap(rc_raft *r, const rc_snapshot *snap);
/* Whether there are committed, unapplied conf change entries (etcd's hasUnappliedConfChanges). */
bool rc_raft_has_unapplied_conf_changes(rc_raft *r);
bool rc_raft_promotable(const rc_raft *r);
/* Test hook: pins the current randomized election timeout. */
void rc_raft_set_randomized_election_timeout(rc_raft *r, int timeout);
/* Reduces the uncommitted size after entries were applied (etcd's reduceUncommittedSize). */
void rc_raft_reduce_uncommitted_size(rc_raft *r, uint64_t size);
/* Frees the accumulated read_states (after rawnode handed them out in a Ready). */
void rc_raft_clear_read_states(rc_raft *r);
/* etcd's handling of MsgStorageApplyResp for entries up to index with entsSize `size` and
 * `payload` payload bytes (appliedTo + reduceUncommittedSize). RC_ERR_FAILED if failed. */
int rc_raft_storage_applied(rc_raft *r, uint64_t index, uint64_t size, uint64_t payload);
/* etcd's Step of MsgStorageAppendResp {Term: term, Index: index, LogTerm: log_term} without a
 * snapshot, from the local append thread: the same effects and logs as rc_raft_step of that
 * message, without building it when the term check has nothing to do. */
int rc_raft_storage_appended(rc_raft *r, uint64_t term, uint64_t index, uint64_t log_term);
/* rc_raft_step of MsgProp {From: r's id, Entries: ents[0..n)} (entries borrowed): the same
 * effects and logs; a leader appends them without building the message. */
int rc_raft_propose(rc_raft *r, rc_entry *ents, size_t n);
/* rc_raft_step of a self-addressed message that Advance steps (etcd's stepsOnAdvance): the
 * same effects and logs; the leader's own MsgAppResp at its current term goes straight to the
 * append response handler (one per proposal on a single voter). */
int rc_raft_step_self_ack(rc_raft *r, const rc_message *m);
/* Frees buffers that are empty now (message lists, the unstable entry array, idle inflights);
 * rawnode calls it after a Ready without entries, so idle groups keep no spare capacity. */
void rc_raft_release_idle_memory(rc_raft *r);

#endif
