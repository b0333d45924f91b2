/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * types.c: deep copy / free helpers and enum names for the core's raftpb structs.
 */
#include "types.h"

#include <string.h>

#include "alloc.h"

/* ---- entries ---- */

int rc_entry_copy(rc_entry *dst, const rc_entry *src)
{
    dst->term = src->term;
    dst->index = src->index;
    dst->type = src->type;
    int rc = rc_bytes_copy(&dst->data, &src->data);
    if (rc != RC_OK)
        memset(dst, 0, sizeof(*dst));
    return rc;
}

void rc_entry_free(rc_entry *e)
{
    rc_bytes_free(&e->data);
    memset(e, 0, sizeof(*e));
}

int rc_entries_append_copy(rc_entries *es, const rc_entry *src, size_t n)
{
    if (n == 0)
        return RC_OK;
    if (es->n > SIZE_MAX - n)
        return RC_ERR_NOMEM;
    int rc = rc_grow((void **)&es->v, &es->cap, es->n + n, sizeof(rc_entry));
    if (rc != RC_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        rc = rc_entry_copy(&es->v[es->n + i], &src[i]);
        if (rc != RC_OK) {
            for (size_t j = 0; j < i; j++)
                rc_entry_free(&es->v[es->n + j]);
            return rc;
        }
    }
    es->n += n;
    return RC_OK;
}

int rc_entries_push_move(rc_entries *es, rc_entry *e)
{
    int rc = rc_grow((void **)&es->v, &es->cap, es->n + 1, sizeof(rc_entry));
    if (rc != RC_OK)
        return rc;
    es->v[es->n++] = *e;
    memset(e, 0, sizeof(*e));
    return RC_OK;
}

void rc_entries_truncate(rc_entries *es, size_t from)
{
    if (from >= es->n)
        return;
    for (size_t i = from; i < es->n; i++)
        rc_entry_free(&es->v[i]);
    es->n = from;
}

void rc_entries_drop_front(rc_entries *es, size_t k)
{
    if (k == 0)
        return;
    if (k > es->n)
        k = es->n;
    for (size_t i = 0; i < k; i++)
        rc_entry_free(&es->v[i]);
    if (k < es->n)
        memmove(es->v, es->v + k, (es->n - k) * sizeof(rc_entry));
    es->n -= k;
}

void rc_entries_free(rc_entries *es)
{
    rc_entries_truncate(es, 0);
    rc_free(es->v);
    es->v = NULL;
    es->n = 0;
    es->cap = 0;
}

/* ---- ids ---- */

int rc_ids_copy(rc_ids *dst, const rc_ids *src)
{
    dst->v = NULL;
    dst->n = 0;
    if (src->n == 0)
        return RC_OK;
    dst->v = rc_calloc(src->n, sizeof(uint64_t));
    if (dst->v == NULL)
        return RC_ERR_NOMEM;
    memcpy(dst->v, src->v, src->n * sizeof(uint64_t));
    dst->n = src->n;
    return RC_OK;
}

/* rc_ids has no capacity field, so a push reallocates to exactly n + 1 (id lists are small and
 * may come from any producer, so no hidden capacity can be assumed). */
int rc_ids_push(rc_ids *ids, uint64_t id)
{
    uint64_t *p = rc_realloc(ids->v, (ids->n + 1) * sizeof(uint64_t));
    if (p == NULL)
        return RC_ERR_NOMEM;
    ids->v = p;
    ids->v[ids->n++] = id;
    return RC_OK;
}

bool rc_ids_contains(const rc_ids *ids, uint64_t id)
{
    for (size_t i = 0; i < ids->n; i++) {
        if (ids->v[i] == id)
            return true;
    }
    return false;
}

void rc_ids_free(rc_ids *ids)
{
    rc_free(ids->v);
    ids->v = NULL;
    ids->n = 0;
}

/* ---- conf state ---- */

int rc_conf_state_copy(rc_conf_state *dst, const rc_conf_state *src)
{
    memset(dst, 0, sizeof(*dst));
    if (rc_ids_copy(&dst->voters, &src->voters) != RC_OK ||
        rc_ids_copy(&dst->learners, &src->learners) != RC_OK ||
        rc_ids_copy(&dst->voters_outgoing, &src->voters_outgoing) != RC_OK ||
        rc_ids_copy(&dst->learners_next, &src->learners_next) != RC_OK) {
        rc_conf_state_free(dst);
        return RC_ERR_NOMEM;
    }
    dst->auto_leave = src->auto_leave;
    return RC_OK;
}

void rc_conf_state_free(rc_conf_state *cs)
{
    rc_ids_free(&cs->voters);
    rc_ids_free(&cs->learners);
    rc_ids_free(&cs->voters_outgoing);
    rc_ids_free(&cs->learners_next);
    cs->auto_leave = false;
}

static size_t rc_ids_count(const rc_ids *ids, uint64_t id)
{
    size_t c = 0;
    for (size_t i = 0; i < ids->n; i++)
        c += ids->v[i] == id;
    return c;
}

/* Equality of two id lists as sorted multisets (etcd sorts copies and compares them), so order
 * is ignored but duplicates count. O(n^2); conf states are small. */
static bool rc_ids_same_sorted(const rc_ids *a, const rc_ids *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        if (rc_ids_count(a, a->v[i]) != rc_ids_count(b, a->v[i]))
            return false;
    }
    return true;
}

bool rc_conf_state_equivalent(const rc_conf_state *a, const rc_conf_state *b)
{
    return a->auto_leave == b->auto_leave && rc_ids_same_sorted(&a->voters, &b->voters) &&
           rc_ids_same_sorted(&a->learners, &b->learners) &&
           rc_ids_same_sorted(&a->voters_outgoing, &b->voters_outgoing) &&
           rc_ids_same_sorted(&a->learners_next, &b->learners_next);
}

/* ---- snapshot ---- */

int rc_snapshot_copy(rc_snapshot *dst, const rc_snapshot *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->metadata.index = src->metadata.index;
    dst->metadata.term = src->metadata.term;
    if (rc_bytes_copy(&dst->data, &src->data) != RC_OK ||
        rc_conf_state_copy(&dst->metadata.conf_state, &src->metadata.conf_state) != RC_OK) {
        rc_snapshot_free(dst);
        return RC_ERR_NOMEM;
    }
    return RC_OK;
}

void rc_snapshot_free(rc_snapshot *s)
{
    rc_bytes_free(&s->data);
    rc_conf_state_free(&s->metadata.conf_state);
    memset(s, 0, sizeof(*s));
}

/* ---- message ---- */

const rc_message rc_message_zero;

int rc_message_copy(rc_message *dst, const rc_message *src)
{
    *dst = *src;
    dst->entries = NULL;
    dst->n_entries = 0;
    dst->snapshot = NULL;
    dst->context = (rc_bytes){NULL, 0, NULL};
    dst->responses = NULL;
    dst->n_responses = 0;

    if (rc_bytes_copy(&dst->context, &src->context) != RC_OK)
        goto oom;
    if (src->n_entries > 0) {
        dst->entries = rc_calloc(src->n_entries, sizeof(rc_entry));
        if (dst->entries == NULL)
            goto oom;
        for (size_t i = 0; i < src->n_entries; i++) {
            if (rc_entry_copy(&dst->entries[i], &src->entries[i]) != RC_OK)
                goto oom;
            dst->n_entries = i + 1;
        }
    }
    if (src->snapshot != NULL) {
        dst->snapshot = rc_calloc(1, sizeof(rc_snapshot));
        if (dst->snapshot == NULL || rc_snapshot_copy(dst->snapshot, src->snapshot) != RC_OK)
            goto oom;
    }
    if (src->n_responses > 0) {
        dst->responses = rc_calloc(src->n_responses, sizeof(rc_message));
        if (dst->responses == NULL)
            goto oom;
        for (size_t i = 0; i < src->n_responses; i++) {
            if (rc_message_copy(&dst->responses[i], &src->responses[i]) != RC_OK)
                goto oom;
            dst->n_responses = i + 1;
        }
    }
    return RC_OK;

oom:
    rc_message_free(dst);
    return RC_ERR_NOMEM;
}

void rc_message_free(rc_message *m)
{
    for (size_t i = 0; i < m->n_entries; i++)
        rc_entry_free(&m->entries[i]);
    rc_free(m->entries);
    if (m->snapshot != NULL) {
        rc_snapshot_free(m->snapshot);
        rc_free(m->snapshot);
    }
    rc_bytes_free(&m->context);
    for (size_t i = 0; i < m->n_responses; i++)
        rc_message_free(&m->responses[i]);
    rc_free(m->responses);
    *m = rc_message_zero;
}

/* ---- conf changes ---- */

void rc_conf_change_free(rc_conf_change *cc)
{
    rc_bytes_free(&cc->context);
    memset(cc, 0, sizeof(*cc));
}

void rc_conf_change_v2_free(rc_conf_change_v2 *cc)
{
    rc_free(cc->changes);
    rc_bytes_free(&cc->context);
    memset(cc, 0, sizeof(*cc));
}

int rc_cc_v1_as_v2(rc_conf_change_v2 *dst, const rc_conf_change *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->transition = RC_CC_TRANSITION_AUTO;
    dst->changes = rc_calloc(1, sizeof(rc_cc_single));
    if (dst->changes == NULL)
        return RC_ERR_NOMEM;
    dst->changes[0].type = src->type;
    dst->changes[0].node_id = src->node_id;
    dst->n_changes = 1;
    if (rc_bytes_set(&dst->context, src->context.data, src->context.len) != RC_OK) {
        rc_conf_change_v2_free(dst);
        return RC_ERR_NOMEM;
    }
    return RC_OK;
}

/* ---- message classes ---- */

bool rc_msg_is_local(rc_msg_type t)
{
    switch (t) {
    case RC_MSG_HUP:
    case RC_MSG_BEAT:
    case RC_MSG_UNREACHABLE:
    case RC_MSG_SNAP_STATUS:
    case RC_MSG_CHECK_QUORUM:
    case RC_MSG_STORAGE_APPEND:
    case RC_MSG_STORAGE_APPEND_RESP:
    case RC_MSG_STORAGE_APPLY:
    case RC_MSG_STORAGE_APPLY_RESP:
        return true;
    default:
        return false;
    }
}

bool rc_msg_is_response(rc_msg_type t)
{
    switch (t) {
    case RC_MSG_APP_RESP:
    case RC_MSG_VOTE_RESP:
    case RC_MSG_HEARTBEAT_RESP:
    case RC_MSG_UNREACHABLE:
    case RC_MSG_READ_INDEX_RESP:
    case RC_MSG_PRE_VOTE_RESP:
    case RC_MSG_STORAGE_APPEND_RESP:
    case RC_MSG_STORAGE_APPLY_RESP:
        return true;
    default:
        return false;
    }
}

/* ---- enum names ---- */

static const char *const rc_msg_type_names[RC_MSG_TYPE_COUNT] = {
    "MsgHup",           "MsgBeat",           "MsgProp",
    "MsgApp",           "MsgAppResp",        "MsgVote",
    "MsgVoteResp",      "MsgSnap",           "MsgHeartbeat",
    "MsgHeartbeatResp", "MsgUnreachable",    "MsgSnapStatus",
    "MsgCheckQuorum",   "MsgTransferLeader", "MsgTimeoutNow",
    "MsgReadIndex",     "MsgReadIndexResp",  "MsgPreVote",
    "MsgPreVoteResp",   "MsgStorageAppend",  "MsgStorageAppendResp",
    "MsgStorageApply",  "MsgStorageApplyResp", "MsgForgetLeader",
};

const char *rc_msg_type_name(rc_msg_type t)
{
    if ((unsigned)t >= RC_MSG_TYPE_COUNT)
        return "MessageType(unknown)";
    return rc_msg_type_names[t];
}

const char *rc_entry_type_name(rc_entry_type t)
{
    switch (t) {
    case RC_ENTRY_NORMAL: return "EntryNormal";
    case RC_ENTRY_CONF_CHANGE: return "EntryConfChange";
    case RC_ENTRY_CONF_CHANGE_V2: return "EntryConfChangeV2";
    }
    return "EntryType(unknown)";
}

const char *rc_state_type_name(rc_state_type t)
{
    switch (t) {
    case RC_STATE_FOLLOWER: return "StateFollower";
    case RC_STATE_CANDIDATE: return "StateCandidate";
    case RC_STATE_LEADER: return "StateLeader";
    case RC_STATE_PRE_CANDIDATE: return "StatePreCandidate";
    }
    return "StateType(unknown)";
}

const char *rc_cc_type_name(rc_cc_type t)
{
    switch (t) {
    case RC_CC_ADD_NODE: return "ConfChangeAddNode";
    case RC_CC_REMOVE_NODE: return "ConfChangeRemoveNode";
    case RC_CC_UPDATE_NODE: return "ConfChangeUpdateNode";
    case RC_CC_ADD_LEARNER_NODE: return "ConfChangeAddLearnerNode";
    }
    return "ConfChangeType(unknown)";
}

const char *rc_cc_transition_name(rc_cc_transition t)
{
    switch (t) {
    case RC_CC_TRANSITION_AUTO: return "ConfChangeTransitionAuto";
    case RC_CC_TRANSITION_JOINT_IMPLICIT: return "ConfChangeTransitionJointImplicit";
    case RC_CC_TRANSITION_JOINT_EXPLICIT: return "ConfChangeTransitionJointExplicit";
    }
    return "ConfChangeTransition(unknown)";
}
