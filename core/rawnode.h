/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * rawnode.h: etcd's RawNode: the Ready/Advance driving loop over rc_raft, bootstrap, and the
 * async-storage-writes protocol (MsgStorageAppend / MsgStorageApply to the local threads).
 *
 * Every function returns RC_OK or an rc_err; on error rn->err_text (static) says why. Once the
 * raft is failed (r->failed) every entry point returns RC_ERR_FAILED.
 */
#ifndef RC_RAWNODE_H
#define RC_RAWNODE_H

#include <stdbool.h>
#include <stdint.h>
#include "raft.h"
#include "ready.h"
#include "types.h"

/* Sync mode: etcd's MsgStorageApplyResp for the last Ready's committed entries, stepped on
 * Advance; only its totals matter (last index, entsSize and payload bytes). */
typedef struct rc_apply_ack {
    uint64_t index;
    uint64_t size;
    uint64_t payload;
    bool pending;
} rc_apply_ack;

/* Sync mode: etcd's MsgStorageAppendResp of a Ready without a snapshot, stepped on Advance after
 * the self-addressed messages (its fields, not a message: see rc_raft_storage_appended). */
typedef struct rc_append_ack {
    uint64_t term;
    uint64_t index;
    uint64_t log_term;
    bool pending;
} rc_append_ack;

#define RC_RAWNODE_ERR_MAX 256

typedef struct rc_rawnode {
    rc_raft *raft;
    rc_soft_state prev_soft_st;
    rc_hard_state prev_hard_st;
    rc_msgs steps_on_advance;   /* self-addressed acks stepped on Advance (sync mode) */
    const char *err_text;       /* text of the last error, "" if none (static or err_buf) */
    char *err_buf;              /* the last refusal's text: RC_RAWNODE_ERR_MAX bytes, allocated
                                 * by the first refusal (idle nodes keep none) */
    rc_blob_pool pool;          /* slabs for proposed payloads (shared by log, Ready, storage) */
    rc_append_ack append_ack;   /* sync mode: stepped on Advance after steps_on_advance */
    rc_apply_ack apply_ack;     /* sync mode: stepped on Advance after append_ack */
    bool async_storage_writes;
    bool ready_pending;         /* a Ready was accepted and not yet advanced (sync mode) */
    bool last_ready_busy;       /* the last accepted Ready carried (committed) entries */
} rc_rawnode;

/* Whether Advance has acknowledgements to step (etcd's non-empty stepsOnAdvance, sync mode). */
static inline bool rc_rawnode_acks_pending(const rc_rawnode *rn)
{
    return rn->steps_on_advance.n > 0 || rn->append_ack.pending || rn->apply_ack.pending;
}

/* etcd's NewRawNode. On failure *out is NULL and *err_text (optional, static) says why. */
int rc_rawnode_new(rc_rawnode **out, const rc_config *c, const char **err_text);
void rc_rawnode_free(rc_rawnode *rn);

/* etcd's Bootstrap: ids[i] with optional contexts[i] (contexts may be NULL). RC_ERR_INVALID
 * without peers, RC_ERR_STATE on non-empty storage. */
int rc_rawnode_bootstrap(rc_rawnode *rn, const uint64_t *ids, const rc_bytes *contexts,
                         size_t n);

int rc_rawnode_tick(rc_rawnode *rn);
int rc_rawnode_campaign(rc_rawnode *rn);
/* MsgProp {From: id, Entries: [{Data: data}]}; RC_ERR_PROPOSAL_DROPPED when dropped. */
int rc_rawnode_propose(rc_rawnode *rn, const uint8_t *data, size_t len);
/* MsgProp {From: id, Entries: es[0..n)} (etcd's Step of a MsgProp carrying n entries; n > 0):
 * the entries are borrowed (the log shares their payloads' blobs), the caller frees them. */
int rc_rawnode_propose_entries(rc_rawnode *rn, rc_entry *es, size_t n);
/* MsgProp {Entries: [{Type: type, Data: data}]} where type is RC_ENTRY_CONF_CHANGE or
 * RC_ENTRY_CONF_CHANGE_V2 and data the encoded change (verbatim; len 0 = leave joint). */
int rc_rawnode_propose_conf_change(rc_rawnode *rn, rc_entry_type type, const uint8_t *data,
                                   size_t len);
/* ApplyConfChange; *cs (optional) receives the resulting ConfState (owned by the caller). */
int rc_rawnode_apply_conf_change(rc_rawnode *rn, const rc_conf_change_v2 *cc, rc_conf_state *cs);
/* RawNode.Step with the local-message and unknown-peer checks. m is borrowed. */
int rc_rawnode_step(rc_rawnode *rn, const rc_message *m);

bool rc_rawnode_has_ready(const rc_rawnode *rn);
/* Builds and accepts a Ready into *rd (which must be zeroed or freed). RC_ERR_STATE ("two
 * accepted Ready structs without call to Advance") leaves everything untouched. */
int rc_rawnode_ready(rc_rawnode *rn, rc_ready *rd);
/* Same into a Ready that is zeroed or was filled before (its arrays are reused). rd is reset
 * only once the preconditions hold: the RC_ERR_STATE / RC_ERR_FAILED refusals leave it
 * untouched; any later error leaves it reset (empty). */
int rc_rawnode_ready_into(rc_rawnode *rn, rc_ready *rd);
/* Steps the stepsOnAdvance messages. RC_ERR_STATE in async mode or without a Ready. */
int rc_rawnode_advance(rc_rawnode *rn);

int rc_rawnode_read_index(rc_rawnode *rn, const uint8_t *ctx, size_t len);
int rc_rawnode_transfer_leader(rc_rawnode *rn, uint64_t transferee);
int rc_rawnode_forget_leader(rc_rawnode *rn);
int rc_rawnode_report_unreachable(rc_rawnode *rn, uint64_t id);
/* failure = etcd's SnapshotFailure (Reject). */
int rc_rawnode_report_snapshot(rc_rawnode *rn, uint64_t id, bool failure);

/* etcd's BasicStatus fields. */
typedef struct rc_basic_status {
    uint64_t id;
    rc_hard_state hard_state;
    rc_soft_state soft_state;
    uint64_t applied;
    uint64_t lead_transferee;
} rc_basic_status;
void rc_rawnode_basic_status(const rc_rawnode *rn, rc_basic_status *st);
/* The progress map when leader, else NULL (etcd's Status.Progress). Borrowed. */
const rc_progress_map *rc_rawnode_progress(const rc_rawnode *rn);

#endif
