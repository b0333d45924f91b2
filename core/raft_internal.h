/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft_internal.h: helpers shared by the raft state machine's source files (raft.c,
 * raft_leader.c, raft_confchange.c). Not part of any contract outside the raft module.
 */
#ifndef RC_RAFT_INTERNAL_H
#define RC_RAFT_INTERNAL_H

#include <inttypes.h>
#include "raft.h"


/* Propagates a non-OK status. */
#define RC_TRY(expr)                                                                               \
    do {                                                                                           \
        int rc_try_rc_ = (expr);                                                                   \
        if (rc_try_rc_ != RC_OK)                                                                   \
            return rc_try_rc_;                                                                     \
    } while (0)

/* Campaign types (etcd's CampaignType strings). */
typedef enum rc_campaign_type {
    RC_CAMPAIGN_PRE_ELECTION = 0,
    RC_CAMPAIGN_ELECTION = 1,
    RC_CAMPAIGN_TRANSFER = 2
} rc_campaign_type;

#define RC_CAMPAIGN_TRANSFER_CTX "CampaignTransfer"

/* Logs fmt at PANIC, marks r failed, returns RC_ERR_FAILED. */
int rc_raft_panic(rc_raft *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Marks r failed if rc is a hard error (anything but OK / PROPOSAL_DROPPED); returns rc. */
int rc_raft_check(rc_raft *r, int rc);

/* etcd's send: stamps From and Term per invariant 3 and routes to msgs or msgs_after_append.
 * Takes ownership of *m (moved in, zeroed) in every case. */
int rc_raft_send(rc_raft *r, rc_message *m);
/* rc_raft_send of the leader's own acknowledgement of its append, {Type: MsgAppResp, To: id,
 * Index: index}, without building the message first (one per proposal). */
int rc_raft_send_self_app_resp(rc_raft *r, uint64_t index);

/* Formats a progress into a caller buffer (for logs). */
const char *rc_raft_pr_str(char *buf, size_t size, const rc_progress *pr);
/* Heap string of the tracker config (rc_free), or NULL. */
char *rc_raft_config_str(const rc_raft *r);

/* ---- leader side (raft_leader.c) ---- */
int rc_raft_step_leader(rc_raft *r, const rc_message *m);
int rc_raft_maybe_send_append(rc_raft *r, uint64_t to, bool send_if_empty, bool *sent);
int rc_raft_send_append(rc_raft *r, uint64_t to);
int rc_raft_bcast_append(rc_raft *r);
int rc_raft_bcast_heartbeat(rc_raft *r);
int rc_raft_maybe_commit(rc_raft *r, bool *committed);
/* appendEntry: stamps term/index on copies of ents, checks the uncommitted quota, appends, and
 * self-acks. *accepted is false when the quota refuses. */
int rc_raft_append_entry(rc_raft *r, const rc_entry *ents, size_t n, bool *accepted);
int rc_raft_send_timeout_now(rc_raft *r, uint64_t to);
bool rc_raft_committed_entry_in_current_term(const rc_raft *r);
/* responseToReadIndexReq; `req` is borrowed. */
int rc_raft_response_to_read_index(rc_raft *r, const rc_message *req, uint64_t index);
int rc_raft_release_pending_read_index(rc_raft *r);

/* ---- configuration (raft_confchange.c) ---- */
/* switchToConfig: takes ownership of *cfg / *prs; fills *cs (may be NULL). */
int rc_raft_switch_to_config(rc_raft *r, rc_tracker_config *cfg, rc_progress_map *prs,
                             rc_conf_state *cs);
/* Rebuilds config from a ConfState (newRaft/restore) and asserts equivalence. */
int rc_raft_restore_config(rc_raft *r, const rc_conf_state *cs);

/* ---- construction (raft.c) ---- */
/* The part of newRaft that only copies options: id, logger (failing r), limits, ticks, flags,
 * read-only option, the election-timeout source. c must be validated. */
void rc_raft_init_options(rc_raft *r, const rc_config *c);
/* Sets r->step for r->state (etcd's becomeX assignments of r.step). */
void rc_raft_set_step(rc_raft *r);

/* ---- follower side / common (raft.c) ---- */
int rc_raft_hup(rc_raft *r, rc_campaign_type t);
void rc_raft_abort_leader_transfer(rc_raft *r);
void rc_raft_reset_randomized_election_timeout(rc_raft *r);

#endif
