/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft_validate.c: the screen in front of Step for messages that come from outside the node
 * (peers, or the host's storage threads). A message no correct peer can send is refused with a
 * text naming the sender, the field and the value, before it changes anything, so that input
 * from the network never fails a node (where etcd would panic, or accept and corrupt state).
 *
 * Every rule below follows from an invariant that holds in every correct execution, including
 * lost, duplicated, delayed and reordered messages, so no legitimate message is refused:
 * - send() stamps the sender's term on everything but MsgProp and MsgReadIndex, which are
 *   term-less; a log term never exceeds the term of the node holding it.
 * - a leader's MsgApp carries entries read from its log from pr.Next, so they follow m.Index
 *   contiguously, with terms that never go down and never exceed the leader's term.
 * - a leader of term T never truncates its own log during T, and a follower acknowledges only
 *   what that leader sent it (or its commit index, which the leader's log holds by Leader
 *   Completeness), so an acknowledgement at term T beyond the leader's last index is impossible.
 * - a leader sends heartbeats with Commit = min(pr.Match, committed), and Match only grows by
 *   acknowledgements of entries the follower persisted during that term.
 * - one leader per term (election safety): leader-only messages at a node's own term come from
 *   the leader that node knows of, if it knows one, and never reach the leader of that term.
 * Messages from a stale term pass the screen unless they are impossible in themselves, so that
 * etcd's quiet handling of stale messages (and its log lines) stays as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "raft_internal.h"

/* Formats the refusal into why/size and returns RC_ERR_REFUSED. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int refuse(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return RC_ERR_REFUSED;
}

bool rc_id_is_reserved(uint64_t id) { return id == RC_NONE || rc_msg_is_local_target(id); }

/* The first id a conf change (bytes of entry type t) names that no node may have, or RC_OK;
 * RC_ERR_DECODE when the bytes are no conf change. Node id 0 is etcd's "cancelled change". */
int rc_conf_change_check_ids(rc_entry_type t, const uint8_t *data, size_t len, uint64_t *bad)
{
    *bad = RC_NONE;
    int rc;
    if (t == RC_ENTRY_CONF_CHANGE) {
        rc_conf_change cc;
        memset(&cc, 0, sizeof(cc));
        rc = rc_decode_conf_change(&cc, data, len);
        if (rc == RC_OK && rc_msg_is_local_target(cc.node_id)) {
            *bad = cc.node_id;
            rc = RC_ERR_REFUSED;
        }
        rc_conf_change_free(&cc);
        return rc;
    }
    rc_conf_change_v2 cc;
    memset(&cc, 0, sizeof(cc));
    rc = rc_decode_conf_change_v2(&cc, data, len);
    for (size_t i = 0; rc == RC_OK && i < cc.n_changes; i++) {
        if (rc_msg_is_local_target(cc.changes[i].node_id)) {
            *bad = cc.changes[i].node_id;
            rc = RC_ERR_REFUSED;
        }
    }
    rc_conf_change_v2_free(&cc);
    return rc;
}

static bool carries_entries(rc_msg_type t)
{
    return t == RC_MSG_APP || t == RC_MSG_PROP || t == RC_MSG_READ_INDEX ||
           t == RC_MSG_READ_INDEX_RESP;
}

/* Types raft sends to peers over the network; everything else is local to a node. */
static bool is_peer_type(rc_msg_type t)
{
    switch (t) {
    case RC_MSG_PROP:
    case RC_MSG_APP:
    case RC_MSG_APP_RESP:
    case RC_MSG_VOTE:
    case RC_MSG_VOTE_RESP:
    case RC_MSG_SNAP:
    case RC_MSG_HEARTBEAT:
    case RC_MSG_HEARTBEAT_RESP:
    case RC_MSG_TRANSFER_LEADER:
    case RC_MSG_TIMEOUT_NOW:
    case RC_MSG_READ_INDEX:
    case RC_MSG_READ_INDEX_RESP:
    case RC_MSG_PRE_VOTE:
    case RC_MSG_PRE_VOTE_RESP:
        return true;
    default:
        return false;
    }
}

/* Messages only the leader of a term sends. */
static bool is_leader_type(rc_msg_type t)
{
    return t == RC_MSG_APP || t == RC_MSG_HEARTBEAT || t == RC_MSG_SNAP ||
           t == RC_MSG_TIMEOUT_NOW || t == RC_MSG_READ_INDEX_RESP;
}

/* Conf change entries (in a proposal or an append) must decode and name no reserved id. */
static int check_conf_change_entry(const rc_raft *r, const rc_message *m, size_t i, char *why,
                                   size_t size)
{
    const rc_entry *e = &m->entries[i];
    uint64_t bad = RC_NONE;
    int rc = rc_conf_change_check_ids(e->type, e->data.data, e->data.len, &bad);
    if (rc == RC_ERR_REFUSED)
        return refuse(why, size, "%s from %" X64 ": entry %zu is a conf change naming reserved id %" X64,
                      rc_msg_type_name(m->type), m->from, i, bad);
    if (rc == RC_ERR_NOMEM)
        return rc;
    if (rc != RC_OK)
        return refuse(why, size, "%s from %" X64 ": entry %zu is a conf change that does not decode",
                      rc_msg_type_name(m->type), m->from, i);
    (void)r;
    return RC_OK;
}

/* MsgApp: entries follow m.Index contiguously with terms in [m.LogTerm, m.Term], going up. */
static int check_append(const rc_raft *r, const rc_message *m, char *why, size_t size)
{
    const char *name = rc_msg_type_name(m->type);
    if (m->index == UINT64_MAX || m->n_entries > UINT64_MAX - 1 - m->index)
        return refuse(why, size, "%s from %" X64 ": index %" U64 " with %zu entries overflows the log",
                      name, m->from, m->index, m->n_entries);
    uint64_t prev_term = m->log_term;
    for (size_t i = 0; i < m->n_entries; i++) {
        const rc_entry *e = &m->entries[i];
        if (e->index != m->index + 1 + i)
            return refuse(why, size,
                          "%s from %" X64 ": entry %zu has index %" U64 ", want %" U64
                          " (entries must follow index %" U64 " contiguously)",
                          name, m->from, i, e->index, m->index + 1 + i, m->index);
        if (e->term < prev_term)
            return refuse(why, size, "%s from %" X64 ": entry %zu (index %" U64 ") has term %" U64
                          ", below the term %" U64 " before it",
                          name, m->from, i, e->index, e->term, prev_term);
        if (e->term > m->term)
            return refuse(why, size, "%s from %" X64 ": entry %zu (index %" U64 ") has term %" U64
                          ", above the message term %" U64,
                          name, m->from, i, e->index, e->term, m->term);
        if (e->type == RC_ENTRY_CONF_CHANGE || e->type == RC_ENTRY_CONF_CHANGE_V2)
            RC_TRY(check_conf_change_entry(r, m, i, why, size));
        prev_term = e->term;
    }
    return RC_OK;
}

static int check_ids(const rc_message *m, const rc_ids *ids, const char *what, char *why, size_t size)
{
    for (size_t i = 0; i < ids->n; i++)
        if (rc_id_is_reserved(ids->v[i]))
            return refuse(why, size, "%s from %" X64 ": snapshot %s name reserved id %" X64,
                          rc_msg_type_name(m->type), m->from, what, ids->v[i]);
    return RC_OK;
}

static int check_snapshot(const rc_message *m, char *why, size_t size)
{
    const rc_snapshot *s = m->snapshot;
    const char *name = rc_msg_type_name(m->type);
    if (s == NULL || s->metadata.index == 0 || s->metadata.term == 0)
        return refuse(why, size, "%s from %" X64 ": empty snapshot (index %" U64 ", term %" U64
                      "); a leader only sends a snapshot with an index and a term",
                      name, m->from, s != NULL ? s->metadata.index : 0,
                      s != NULL ? s->metadata.term : 0);
    if (s->metadata.index == UINT64_MAX)
        return refuse(why, size, "%s from %" X64 ": snapshot index %" U64 " overflows the log", name,
                      m->from, s->metadata.index);
    if (s->metadata.term > m->term)
        return refuse(why, size, "%s from %" X64 ": snapshot term %" U64 " is above the message term %" U64,
                      name, m->from, s->metadata.term, m->term);
    const rc_conf_state *cs = &s->metadata.conf_state;
    RC_TRY(check_ids(m, &cs->voters, "voters", why, size));
    RC_TRY(check_ids(m, &cs->learners, "learners", why, size));
    RC_TRY(check_ids(m, &cs->voters_outgoing, "outgoing voters", why, size));
    return check_ids(m, &cs->learners_next, "next learners", why, size);
}

/* Sender, addressee, type and term, judged without the node's state. */
static int check_envelope(const rc_raft *r, const rc_message *m, char *why, size_t size)
{
    const char *name = rc_msg_type_name(m->type);
    /* etcd's RawNode.Step takes a host's MsgProp without an addressee (To 0, as Propose builds
     * it) as a local proposal; any other message must be addressed to this node. */
    bool local_prop = m->type == RC_MSG_PROP && m->to == RC_NONE;
    if (m->to != r->id && !local_prop)
        return refuse(why, size, "%s from %" X64 ": addressed to %" X64 ", not to this node", name,
                      m->from, m->to);
    bool storage_resp = (m->type == RC_MSG_STORAGE_APPEND_RESP && m->from == RC_LOCAL_APPEND_THREAD) ||
                        (m->type == RC_MSG_STORAGE_APPLY_RESP && m->from == RC_LOCAL_APPLY_THREAD);
    if (storage_resp) {
        if (!r->async_storage_writes)
            return refuse(why, size, "%s from %" X64 ": storage thread responses need async storage writes",
                          name, m->from);
        return RC_OK; /* the host's own storage threads: not peer input */
    }
    if (m->from == RC_NONE)
        return refuse(why, size, "%s: sender id 0 (no node has id 0)", name);
    if (rc_msg_is_local_target(m->from))
        return refuse(why, size, "%s from %" X64 ": sender is a reserved local thread id", name, m->from);
    if (!is_peer_type(m->type))
        return refuse(why, size, "%s from %" X64 ": a local message type no peer sends", name, m->from);
    if (m->from == r->id) {
        /* In async mode the host steps the node's own responses back (msgsAfterAppend).
         * Forwarding keeps the sender: a proposal or read request this node forwarded may come
         * back from a node that no longer leads, and a forwarded MsgTransferLeader names the
         * transferee as sender, which may be this node. */
        bool own_resp = r->async_storage_writes &&
                        (m->type == RC_MSG_APP_RESP || m->type == RC_MSG_VOTE_RESP ||
                         m->type == RC_MSG_PRE_VOTE_RESP);
        bool forwarded = m->type == RC_MSG_PROP || m->type == RC_MSG_READ_INDEX ||
                         m->type == RC_MSG_TRANSFER_LEADER;
        if (!own_resp && !forwarded)
            return refuse(why, size, "%s from %" X64 ": addressed from this node to itself", name, m->from);
    }
    bool termless = m->type == RC_MSG_PROP || m->type == RC_MSG_READ_INDEX;
    if (termless && m->term != 0)
        return refuse(why, size, "%s from %" X64 ": carries term %" U64 " (proposals and read requests "
                      "are term-less)", name, m->from, m->term);
    if (!termless && m->term == 0)
        return refuse(why, size, "%s from %" X64 ": term 0 (every message but MsgProp and MsgReadIndex "
                      "carries its sender's term)", name, m->from);
    if (m->term > RC_MAX_TERM)
        return refuse(why, size, "%s from %" X64 ": term %" U64 " is above %" U64
                      ", the largest term a cluster can reach without wrapping",
                      name, m->from, m->term, (uint64_t)RC_MAX_TERM);
    if (m->log_term > m->term && !termless)
        return refuse(why, size, "%s from %" X64 ": log term %" U64 " is above the message term %" U64,
                      name, m->from, m->log_term, m->term);
    if (m->n_entries > 0 && !carries_entries(m->type))
        return refuse(why, size, "%s from %" X64 ": carries %zu entries", name, m->from, m->n_entries);
    if (m->snapshot != NULL && m->type != RC_MSG_SNAP)
        return refuse(why, size, "%s from %" X64 ": carries a snapshot", name, m->from);
    if (m->n_responses > 0)
        return refuse(why, size, "%s from %" X64 ": carries %zu responses", name, m->from,
                      m->n_responses);
    return RC_OK;
}

/* The message's own content, judged without the node's state. */
static int check_content(const rc_raft *r, const rc_message *m, char *why, size_t size)
{
    const char *name = rc_msg_type_name(m->type);
    switch (m->type) {
    case RC_MSG_APP:
        return check_append(r, m, why, size);
    case RC_MSG_SNAP:
        return check_snapshot(m, why, size);
    case RC_MSG_PROP:
        if (m->n_entries == 0)
            return refuse(why, size, "%s from %" X64 ": empty proposal (a proposal carries at least one entry)",
                          name, m->from);
        for (size_t i = 0; i < m->n_entries; i++)
            if (m->entries[i].type == RC_ENTRY_CONF_CHANGE ||
                m->entries[i].type == RC_ENTRY_CONF_CHANGE_V2)
                RC_TRY(check_conf_change_entry(r, m, i, why, size));
        return RC_OK;
    case RC_MSG_READ_INDEX:
    case RC_MSG_READ_INDEX_RESP:
        if (m->n_entries != 1)
            return refuse(why, size, "%s from %" X64 ": carries %zu entries, want 1 (the request context)",
                          name, m->from, m->n_entries);
        return RC_OK;
    case RC_MSG_APP_RESP:
        if (m->reject && m->reject_hint > m->index)
            return refuse(why, size, "%s from %" X64 ": reject hint %" U64 " is above the rejected index %" U64,
                          name, m->from, m->reject_hint, m->index);
        return RC_OK;
    default:
        return RC_OK;
    }
}

/* What the message claims against what this node knows, for messages it would act on. */
static int check_against_state(rc_raft *r, const rc_message *m, char *why, size_t size)
{
    const char *name = rc_msg_type_name(m->type);
    if (m->term < r->term || m->term == 0)
        return RC_OK; /* stale or term-less: handled (or ignored) as etcd does */
    bool same_term = m->term == r->term;
    if (same_term && is_leader_type(m->type)) {
        if (r->state == RC_STATE_LEADER)
            return refuse(why, size, "%s from %" X64 " at term %" U64 ": this node is the leader of that term",
                          name, m->from, m->term);
        if (r->lead != RC_NONE && r->lead != m->from)
            return refuse(why, size, "%s from %" X64 " at term %" U64 ": the leader of that term is %" X64,
                          name, m->from, m->term, r->lead);
    }
    /* A forwarded MsgTransferLeader goes to the leader its sender knows for that term; a node
     * that follows another leader of the term cannot have been it (it would forward the
     * request again, with its term set). */
    if (m->type == RC_MSG_TRANSFER_LEADER && same_term && r->state != RC_STATE_LEADER &&
        r->lead != RC_NONE)
        return refuse(why, size, "%s from %" X64 " at term %" U64 ": sent to a follower of %" X64
                      " (a transfer request goes to the leader of its term)",
                      name, m->from, m->term, r->lead);
    if (m->type == RC_MSG_HEARTBEAT) {
        uint64_t last = rc_log_last_index(&r->raft_log);
        if (m->commit > last)
            return refuse(why, size, "%s from %" X64 ": commit %" U64 " is beyond this node's last index %" U64
                          " (a leader never sends a commit beyond what the follower acknowledged)",
                          name, m->from, m->commit, last);
    }
    if (m->type == RC_MSG_APP_RESP && same_term && r->state == RC_STATE_LEADER) {
        uint64_t last = rc_log_last_index(&r->raft_log);
        if (m->index > last)
            return refuse(why, size, "%s from %" X64 ": %s index %" U64 " is beyond the leader's last index %" U64,
                          name, m->from, m->reject ? "rejected" : "acknowledged", m->index, last);
    }
    return RC_OK;
}

int rc_raft_screen(rc_raft *r, const rc_message *m, char *why, size_t size)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    int rc = check_envelope(r, m, why, size);
    if (rc == RC_OK)
        rc = check_content(r, m, why, size);
    if (rc == RC_OK)
        rc = check_against_state(r, m, why, size);
    if (rc_raft_is_failed(r)) /* the storage failed while the screen read the log */
        return RC_ERR_FAILED;
    if (rc == RC_ERR_REFUSED) {
        r->refused++;
        rc_logf(&r->logger, RC_LOG_WARN, "%" X64 " refused %s", r->id, why);
    }
    return rc;
}
