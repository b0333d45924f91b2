/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft_leader.c: the leader's side of the state machine: replication (MsgApp / MsgSnap),
 * heartbeats, commit, proposals with conf change validation, append responses with fast log
 * rejection, ReadIndex, leadership transfer.
 */
#include <stdio.h>
#include <string.h>
#include "alloc.h"
#include "codec.h"
#include "describe.h"
#include "raft_internal.h"

/* ---- replication ---- */

static uint64_t payloads_size(const rc_entry *ents, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += rc_entry_payload_size(&ents[i]);
    return s;
}

static int maybe_send_snapshot(rc_raft *r, uint64_t to, rc_progress *pr, bool *sent)
{
    char b1[160], b2[160];
    *sent = false;
    if (!pr->recent_active) {
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "ignore sending snapshot to %" X64 " since it is not recently active", to);
        return RC_OK;
    }
    rc_snapshot snap;
    memset(&snap, 0, sizeof(snap));
    int rc = rc_log_snapshot(&r->raft_log, &snap);
    if (rc == RC_ERR_SNAP_TEMP_UNAVAILABLE) {
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " failed to send snapshot to %" X64
                " because snapshot is temporarily unavailable",
                r->id, to);
        return RC_OK;
    }
    if (rc != RC_OK) {
        rc_snapshot_free(&snap);
        if (rc == RC_ERR_NOMEM)
            return rc_raft_check(r, rc);
        return rc_raft_panic(r, "raft: failed to get snapshot from storage (error %d)", rc);
    }
    if (rc_snapshot_is_empty(&snap)) {
        rc_snapshot_free(&snap);
        return rc_raft_panic(r, "need non-empty snapshot: %" X64 " needs entries from index %" U64
                             " for %" X64 ", which the log no longer has, and the storage's "
                             "Snapshot() returned an empty snapshot",
                             r->id, pr->next, to);
    }
    uint64_t sindex = snap.metadata.index, sterm = snap.metadata.term;
    rc_logf(&r->logger, RC_LOG_DEBUG,
            "%" X64 " [firstindex: %" U64 ", commit: %" U64 "] sent snapshot[index: %" U64
            ", term: %" U64 "] to %" X64 " [%s]",
            r->id, rc_log_first_index(&r->raft_log), r->raft_log.committed, sindex, sterm, to,
            rc_raft_pr_str(b1, sizeof(b1), pr));
    rc_progress_become_snapshot(pr, sindex);
    rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " paused sending replication messages to %" X64 " [%s]",
            r->id, to, rc_raft_pr_str(b2, sizeof(b2), pr));
    rc_message m = rc_message_zero;
    m.type = RC_MSG_SNAP;
    m.to = to;
    m.snapshot = rc_malloc(sizeof(rc_snapshot));
    if (m.snapshot == NULL) {
        rc_snapshot_free(&snap);
        return rc_raft_check(r, RC_ERR_NOMEM);
    }
    *m.snapshot = snap;
    *sent = true;
    return rc_raft_send(r, &m);
}

/* Most appends carry the one or few entries proposed since the last: when they are all in the
 * unstable tail, the message's array is sized to them (at most RC_APPEND_PRESIZE_MAX, beyond
 * which it grows as needed), a block the allocator recycles cheaply, where an array's first
 * growth (8 entries) takes its slower path at every MsgApp. The unstable tail alone is read:
 * a storage error is left to the read of the entries, which reports it as before. */
#define RC_APPEND_PRESIZE_MAX 64

static int presize_append(rc_entries *ents, const rc_unstable *u, uint64_t next)
{
    uint64_t last;
    if (!rc_unstable_maybe_last_index(u, &last) || next < u->offset || next > last)
        return RC_OK;
    uint64_t n = last - next + 1;
    return rc_grow_exact((void **)&ents->v, &ents->cap,
                         n < RC_APPEND_PRESIZE_MAX ? (size_t)n : RC_APPEND_PRESIZE_MAX,
                         sizeof(rc_entry));
}

int rc_raft_maybe_send_append(rc_raft *r, uint64_t to, bool send_if_empty, bool *sent)
{
    *sent = false;
    rc_progress *pr = rc_progress_map_get(&r->trk.progress, to);
    if (pr == NULL || rc_progress_is_paused(pr))
        return RC_OK;
    /* The leader asks again after each MsgAppResp until nothing is left to send: the last
     * attempt reads nothing, which the log can tell without reading. */
    if (!send_if_empty && rc_log_nothing_from(&r->raft_log, pr->next))
        return RC_OK;
    uint64_t prev_index = pr->next - 1;
    uint64_t prev_term = 0;
    int rc = rc_log_term(&r->raft_log, prev_index, &prev_term);
    if (rc == RC_ERR_COMPACTED || rc == RC_ERR_UNAVAILABLE)
        return maybe_send_snapshot(r, to, pr, sent);
    RC_TRY(rc_raft_check(r, rc));

    rc_entries ents = {0};
    if (pr->state != RC_PROGRESS_REPLICATE || !rc_inflights_full(&pr->inflights)) {
        RC_TRY(rc_raft_check(r, presize_append(&ents, &r->raft_log.unstable, pr->next)));
        rc = rc_log_entries(&r->raft_log, pr->next, r->max_msg_size, &ents);
        if (rc == RC_ERR_COMPACTED || rc == RC_ERR_UNAVAILABLE) {
            rc_entries_free(&ents);
            if (!send_if_empty)
                return RC_OK;
            return maybe_send_snapshot(r, to, pr, sent);
        }
        if (rc != RC_OK) {
            rc_entries_free(&ents);
            return rc_raft_check(r, rc);
        }
    }
    if (ents.n == 0 && !send_if_empty) {
        rc_entries_free(&ents);
        return RC_OK;
    }
    uint64_t n = ents.n, bytes = payloads_size(ents.v, ents.n);
    uint64_t commit = r->raft_log.committed;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_APP;
    m.to = to;
    m.index = prev_index;
    m.log_term = prev_term;
    m.entries = ents.v;
    m.n_entries = ents.n;
    m.commit = commit;
    RC_TRY(rc_raft_send(r, &m));
    RC_TRY(rc_raft_check(r, rc_progress_sent_entries(pr, n, bytes)));
    rc_progress_sent_commit(pr, commit);
    *sent = true;
    return RC_OK;
}

int rc_raft_send_append(rc_raft *r, uint64_t to)
{
    bool sent;
    return rc_raft_maybe_send_append(r, to, true, &sent);
}

int rc_raft_bcast_append(rc_raft *r)
{
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        uint64_t id = r->trk.progress.v[i].id;
        if (id == r->id)
            continue;
        RC_TRY(rc_raft_send_append(r, id));
    }
    return RC_OK;
}

static int send_heartbeat(rc_raft *r, uint64_t to, const uint8_t *ctx, size_t ctx_len)
{
    rc_progress *pr = rc_progress_map_get(&r->trk.progress, to);
    uint64_t commit = pr->match < r->raft_log.committed ? pr->match : r->raft_log.committed;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_HEARTBEAT;
    m.to = to;
    m.commit = commit;
    if (rc_bytes_set(&m.context, ctx, ctx_len) != RC_OK)
        return rc_raft_check(r, RC_ERR_NOMEM);
    RC_TRY(rc_raft_send(r, &m));
    rc_progress_sent_commit(pr, commit);
    return RC_OK;
}

static int bcast_heartbeat_with_ctx(rc_raft *r, const uint8_t *ctx, size_t ctx_len)
{
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        uint64_t id = r->trk.progress.v[i].id;
        if (id == r->id)
            continue;
        RC_TRY(send_heartbeat(r, id, ctx, ctx_len));
    }
    return RC_OK;
}

int rc_raft_bcast_heartbeat(rc_raft *r)
{
    uint64_t ctx = 0;
    if (!rc_read_only_last_pending_ctx(&r->read_only, &ctx))
        return bcast_heartbeat_with_ctx(r, NULL, 0);
    uint8_t buf[RC_READ_ONLY_CTX_LEN];
    rc_read_only_encode_ctx(buf, ctx);
    return bcast_heartbeat_with_ctx(r, buf, sizeof(buf));
}

int rc_raft_maybe_commit(rc_raft *r, bool *committed)
{
    *committed = false;
    uint64_t idx = rc_tracker_committed(&r->trk);
    return rc_raft_check(r, rc_log_maybe_commit(&r->raft_log, idx, r->term, committed));
}

/* MsgProp batches up to this size are stamped on the stack (no allocation per proposal): a
 * single proposal, and raftc_node_propose_list's batches, which it builds on the stack up to
 * the same size (3 KiB here). */
#define RC_APPEND_STACK_ENTRIES 64

int rc_raft_append_entry(rc_raft *r, const rc_entry *ents, size_t n, bool *accepted)
{
    *accepted = false;
    uint64_t li = rc_log_last_index(&r->raft_log);
    uint64_t s = payloads_size(ents, n);
    if (r->uncommitted_size > 0 && s > 0 && r->uncommitted_size + s > r->max_uncommitted_size) {
        rc_logf(&r->logger, RC_LOG_WARN,
                "%" X64 " appending new entries to log would exceed uncommitted entry size limit; dropping proposal",
                r->id);
        return RC_OK;
    }
    rc_entry small[RC_APPEND_STACK_ENTRIES];
    rc_entry *es = n <= RC_APPEND_STACK_ENTRIES ? small : rc_calloc(n, sizeof(rc_entry));
    if (es == NULL)
        return rc_raft_check(r, RC_ERR_NOMEM);
    int rc = RC_OK;
    size_t made = 0;
    for (; made < n && rc == RC_OK; made++) {
        rc = rc_entry_copy(&es[made], &ents[made]);
        es[made].term = r->term;
        es[made].index = li + 1 + made;
    }
    uint64_t last = 0;
    if (rc == RC_OK)
        rc = rc_log_append_move(&r->raft_log, es, n, &last);
    /* The log took the payloads on success (zeroed here); on failure they are released. */
    for (size_t i = 0; i < made; i++)
        rc_entry_free(&es[i]);
    if (es != small)
        rc_free(es);
    RC_TRY(rc_raft_check(r, rc));
    r->uncommitted_size += s;
    *accepted = true;
    return rc_raft_send_self_app_resp(r, last);
}

int rc_raft_send_timeout_now(rc_raft *r, uint64_t to)
{
    rc_message m = rc_message_zero;
    m.type = RC_MSG_TIMEOUT_NOW;
    m.to = to;
    return rc_raft_send(r, &m);
}

/* ---- ReadIndex ---- */

bool rc_raft_committed_entry_in_current_term(const rc_raft *r)
{
    uint64_t t = 0;
    if (rc_log_term_or_zero(&r->raft_log, r->raft_log.committed, &t) != RC_OK)
        return false;
    return t == r->term;
}

int rc_raft_response_to_read_index(rc_raft *r, const rc_message *req, uint64_t index)
{
    if (req->from == RC_NONE || req->from == r->id) {
        void *arr = r->read_states.v;
        if (rc_grow(&arr, &r->read_states.cap, r->read_states.n + 1, sizeof(rc_read_state)) != 0)
            return rc_raft_check(r, RC_ERR_NOMEM);
        r->read_states.v = arr;
        rc_read_state *rs = &r->read_states.v[r->read_states.n];
        memset(rs, 0, sizeof(*rs));
        if (req->n_entries > 0 &&
            rc_bytes_set(&rs->request_ctx, req->entries[0].data.data, req->entries[0].data.len) != RC_OK)
            return rc_raft_check(r, RC_ERR_NOMEM);
        rs->index = index;
        r->read_states.n++;
        return RC_OK;
    }
    rc_message m = rc_message_zero;
    m.type = RC_MSG_READ_INDEX_RESP;
    m.to = req->from;
    m.index = index;
    if (req->n_entries > 0) {
        m.entries = rc_calloc(req->n_entries, sizeof(rc_entry));
        if (m.entries == NULL)
            return rc_raft_check(r, RC_ERR_NOMEM);
        for (size_t i = 0; i < req->n_entries; i++) {
            if (rc_entry_copy(&m.entries[i], &req->entries[i]) != RC_OK) {
                rc_message_free(&m);
                return rc_raft_check(r, RC_ERR_NOMEM);
            }
            m.n_entries = i + 1;
        }
    }
    return rc_raft_send(r, &m);
}

static int send_read_index_response(rc_raft *r, const rc_message *m)
{
    if (r->read_only.option == RC_READ_ONLY_LEASE_BASED)
        return rc_raft_response_to_read_index(r, m, r->raft_log.committed);
    uint64_t ctx = 0;
    RC_TRY(rc_raft_check(r, rc_read_only_add_request(&r->read_only, r->raft_log.committed, m, &ctx)));
    RC_TRY(rc_raft_check(r, rc_read_only_recv_ack(&r->read_only, r->id, ctx)));
    uint8_t buf[RC_READ_ONLY_CTX_LEN];
    rc_read_only_encode_ctx(buf, ctx);
    return bcast_heartbeat_with_ctx(r, buf, sizeof(buf));
}

int rc_raft_release_pending_read_index(rc_raft *r)
{
    if (r->pending_read_index_messages.n == 0)
        return RC_OK;
    if (!rc_raft_committed_entry_in_current_term(r)) {
        rc_logf(&r->logger, RC_LOG_ERROR,
                "pending MsgReadIndex should be released only after first commit in current term");
        return RC_OK;
    }
    rc_msgs msgs = r->pending_read_index_messages;
    memset(&r->pending_read_index_messages, 0, sizeof(r->pending_read_index_messages));
    int rc = RC_OK;
    for (size_t i = 0; i < msgs.n && rc == RC_OK; i++)
        rc = send_read_index_response(r, &msgs.v[i]);
    rc_msgs_free(&msgs);
    return rc;
}

static int advance_read_only(rc_raft *r, const rc_message *m)
{
    uint64_t ctx = 0;
    if (r->read_only.option != RC_READ_ONLY_SAFE || !rc_read_only_decode_ctx(&m->context, &ctx))
        return RC_OK;
    RC_TRY(rc_raft_check(r, rc_read_only_recv_ack(&r->read_only, m->from, ctx)));
    rc_read_index_status *rss = NULL;
    size_t n = 0;
    RC_TRY(rc_raft_check(r, rc_read_only_advance(&r->read_only, &r->trk.config.voters, &rss, &n)));
    int rc = RC_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == RC_OK)
            rc = rc_raft_response_to_read_index(r, &rss[i].req, rss[i].index);
        rc_message_free(&rss[i].req);
    }
    rc_free(rss);
    return rc;
}

/* ---- proposals ---- */

static void describe_cc_v1(rc_strbuf *b, const rc_conf_change *cc)
{
    rc_strbuf_printf(b, "id:%" U64 " type:%s node_id:%" U64, cc->id, rc_cc_type_name(cc->type),
                     cc->node_id);
    if (cc->context.len > 0) {
        rc_strbuf_puts(b, " context:");
        rc_strbuf_quote(b, cc->context.data, cc->context.len);
    }
}

/* Validates conf change entry e (at offset i of the proposal). *refuse is set when it must be
 * replaced by an empty EntryNormal. */
static int check_conf_change(rc_raft *r, const rc_entry *e, size_t i, bool *refuse)
{
    *refuse = false;
    rc_strbuf desc = RC_STRBUF_INIT;
    size_t n_changes = 0;
    int rc;
    if (e->type == RC_ENTRY_CONF_CHANGE) {
        rc_conf_change cc;
        memset(&cc, 0, sizeof(cc));
        rc = rc_decode_conf_change(&cc, e->data.data, e->data.len);
        if (rc == RC_OK) {
            describe_cc_v1(&desc, &cc);
            n_changes = 1;
        }
        rc_conf_change_free(&cc);
    } else {
        rc_conf_change_v2 cc;
        memset(&cc, 0, sizeof(cc));
        rc = rc_decode_conf_change_v2(&cc, e->data.data, e->data.len);
        if (rc == RC_OK) {
            rc_describe_conf_change_v2(&desc, &cc);
            n_changes = cc.n_changes;
        }
        rc_conf_change_v2_free(&cc);
    }
    if (rc != RC_OK) {
        rc_strbuf_free(&desc);
        return rc_raft_panic(r, "raft: cannot unmarshal conf change in proposal (error %d)", rc);
    }
    bool already_pending = r->pending_conf_index > r->raft_log.applied;
    bool already_joint = r->trk.config.voters.outgoing.n > 0;
    bool wants_leave_joint = n_changes == 0;
    char failed[160];
    failed[0] = '\0';
    if (already_pending)
        snprintf(failed, sizeof(failed),
                 "possible unapplied conf change at index %" U64 " (applied to %" U64 ")",
                 r->pending_conf_index, r->raft_log.applied);
    else if (already_joint && !wants_leave_joint)
        snprintf(failed, sizeof(failed), "must transition out of joint config first");
    else if (!already_joint && wants_leave_joint)
        snprintf(failed, sizeof(failed), "not in joint state; refusing empty conf change");

    if (failed[0] != '\0' && !r->disable_conf_change_validation) {
        char *cfg = rc_raft_config_str(r);
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " ignoring conf change %s at config %s: %s", r->id,
                rc_strbuf_str(&desc), cfg != NULL ? cfg : "", failed);
        rc_free(cfg);
        *refuse = true;
    } else {
        r->pending_conf_index = rc_log_last_index(&r->raft_log) + i + 1;
    }
    rc_strbuf_free(&desc);
    return RC_OK;
}

/* The leader's handling of MsgProp {From: from, Entries: ents[0..n)}. */
static int step_prop(rc_raft *r, uint64_t from, const rc_entry *ents, size_t n)
{
    if (n == 0) /* rc_raft_screen refuses one from a peer; the API never makes one */
        return rc_raft_panic(r, "%" X64 " stepped empty MsgProp from %" X64
                             ": a proposal carries at least one entry", r->id, from);
    if (rc_progress_map_get(&r->trk.progress, r->id) == NULL)
        return RC_ERR_PROPOSAL_DROPPED;
    if (r->lead_transferee != RC_NONE) {
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " [term %" U64 "] transfer leadership to %" X64 " is in progress; dropping proposal",
                r->id, r->term, r->lead_transferee);
        return RC_ERR_PROPOSAL_DROPPED;
    }
    /* Refused conf changes become empty EntryNormal in a shallow copy of the entries, made
     * only when one is refused (plain proposals are appended straight from ents). */
    rc_entry *copy = NULL;
    int rc = RC_OK;
    for (size_t i = 0; i < n && rc == RC_OK; i++) {
        const rc_entry *e = &ents[i];
        if (e->type != RC_ENTRY_CONF_CHANGE && e->type != RC_ENTRY_CONF_CHANGE_V2)
            continue;
        bool refuse = false;
        rc = check_conf_change(r, e, i, &refuse);
        if (!refuse)
            continue;
        if (copy == NULL) {
            copy = rc_calloc(n, sizeof(rc_entry));
            if (copy == NULL)
                return rc_raft_check(r, RC_ERR_NOMEM);
            memcpy(copy, ents, n * sizeof(rc_entry));
        }
        memset(&copy[i], 0, sizeof(rc_entry));
    }
    bool accepted = false;
    if (rc == RC_OK)
        rc = rc_raft_append_entry(r, copy != NULL ? copy : ents, n, &accepted);
    rc_free(copy);
    RC_TRY(rc);
    if (!accepted)
        return RC_ERR_PROPOSAL_DROPPED;
    return rc_raft_bcast_append(r);
}

static int step_prop_msg(rc_raft *r, const rc_message *m)
{
    return step_prop(r, m->from, m->entries, m->n_entries);
}

int rc_raft_propose(rc_raft *r, rc_entry *ents, size_t n)
{
    /* rc_raft_step's path for a leader: step_term lets a message without a term through and
     * step_inner passes MsgProp to r->step, rc_raft_step_leader to step_prop_msg. */
    if (r->step != rc_raft_step_leader || rc_raft_is_failed(r)) {
        rc_message m = rc_message_zero;
        m.type = RC_MSG_PROP;
        m.from = r->id;
        m.entries = ents;
        m.n_entries = n;
        return rc_raft_step(r, &m);
    }
    int rc = step_prop(r, r->id, ents, n);
    return rc_raft_is_failed(r) ? RC_ERR_FAILED : rc;
}

static int step_read_index(rc_raft *r, const rc_message *m)
{
    if (rc_tracker_is_singleton(&r->trk))
        return rc_raft_response_to_read_index(r, m, r->raft_log.committed);
    if (!rc_raft_committed_entry_in_current_term(r)) {
        rc_message c;
        if (rc_message_copy(&c, m) != RC_OK)
            return rc_raft_check(r, RC_ERR_NOMEM);
        return rc_raft_check(r, rc_msgs_push(&r->pending_read_index_messages, &c));
    }
    return send_read_index_response(r, m);
}

/* ---- responses ---- */

static int step_app_resp(rc_raft *r, const rc_message *m, rc_progress *pr)
{
    char b[160];
    pr->recent_active = true;
    if (m->reject) {
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " received MsgAppResp(rejected, hint: (index %" U64 ", term %" U64 ")) from %" X64
                " for index %" U64,
                r->id, m->reject_hint, m->log_term, m->from, m->index);
        uint64_t next_probe = m->reject_hint;
        if (m->log_term > 0) {
            uint64_t t = 0;
            RC_TRY(rc_raft_check(r, rc_log_find_conflict_by_term(&r->raft_log, m->reject_hint,
                                                                  m->log_term, &next_probe, &t)));
        }
        if (rc_progress_maybe_decr_to(pr, m->index, next_probe)) {
            rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " decreased progress of %" X64 " to [%s]", r->id,
                    m->from, rc_raft_pr_str(b, sizeof(b), pr));
            if (pr->state == RC_PROGRESS_REPLICATE)
                rc_progress_become_probe(pr);
            return rc_raft_send_append(r, m->from);
        }
        return RC_OK;
    }
    bool updated = rc_progress_maybe_update(pr, m->index);
    if (!updated && !(pr->match == m->index && pr->state == RC_PROGRESS_PROBE))
        return RC_OK;
    if (pr->state == RC_PROGRESS_PROBE) {
        rc_progress_become_replicate(pr);
    } else if (pr->state == RC_PROGRESS_SNAPSHOT &&
               pr->match + 1 >= rc_log_first_index(&r->raft_log)) {
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " recovered from needing snapshot, resumed sending replication messages to %" X64 " [%s]",
                r->id, m->from, rc_raft_pr_str(b, sizeof(b), pr));
        rc_progress_become_probe(pr);
        rc_progress_become_replicate(pr);
    } else if (pr->state == RC_PROGRESS_REPLICATE) {
        rc_inflights_free_le(&pr->inflights, m->index);
    }
    bool committed = false;
    RC_TRY(rc_raft_maybe_commit(r, &committed));
    if (committed) {
        RC_TRY(rc_raft_release_pending_read_index(r));
        RC_TRY(rc_raft_bcast_append(r));
    } else if (r->id != m->from && rc_progress_can_bump_commit(pr, r->raft_log.committed)) {
        RC_TRY(rc_raft_send_append(r, m->from));
    }
    if (r->id != m->from) {
        bool sent = true;
        while (sent)
            RC_TRY(rc_raft_maybe_send_append(r, m->from, false, &sent));
    }
    if (m->from == r->lead_transferee && pr->match == rc_log_last_index(&r->raft_log)) {
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " sent MsgTimeoutNow to %" X64 " after received MsgAppResp",
                r->id, m->from);
        return rc_raft_send_timeout_now(r, m->from);
    }
    return RC_OK;
}

int rc_raft_step_self_ack(rc_raft *r, const rc_message *m)
{
    /* rc_raft_step's path for this message: step_term lets the current term through, the
     * switch of step_inner passes MsgAppResp to r->step, and rc_raft_step_leader hands it to
     * step_app_resp with the sender's progress (absent when the leader left the config: then
     * the generic path logs that). */
    if (m->type != RC_MSG_APP_RESP || m->from != r->id || m->term != r->term ||
        r->step != rc_raft_step_leader || rc_raft_is_failed(r))
        return rc_raft_step(r, m);
    rc_progress *pr = rc_progress_map_get(&r->trk.progress, m->from);
    if (pr == NULL)
        return rc_raft_step(r, m);
    int rc = step_app_resp(r, m, pr);
    return rc_raft_is_failed(r) ? RC_ERR_FAILED : rc;
}

static int step_transfer_leader(rc_raft *r, const rc_message *m, rc_progress *pr)
{
    if (pr->is_learner) {
        rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " is learner. Ignored transferring leadership", r->id);
        return RC_OK;
    }
    uint64_t transferee = m->from;
    uint64_t last_transferee = r->lead_transferee;
    if (last_transferee != RC_NONE) {
        if (last_transferee == transferee) {
            rc_logf(&r->logger, RC_LOG_INFO,
                    "%" X64 " [term %" U64 "] transfer leadership to %" X64
                    " is in progress, ignores request to same node %" X64,
                    r->id, r->term, transferee, transferee);
            return RC_OK;
        }
        rc_raft_abort_leader_transfer(r);
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " [term %" U64 "] abort previous transferring leadership to %" X64,
                r->id, r->term, last_transferee);
    }
    if (transferee == r->id) {
        rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " is already leader. Ignored transferring leadership to self",
                r->id);
        return RC_OK;
    }
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " [term %" U64 "] starts to transfer leadership to %" X64, r->id,
            r->term, transferee);
    r->election_elapsed = 0;
    r->lead_transferee = transferee;
    if (pr->match == rc_log_last_index(&r->raft_log)) {
        RC_TRY(rc_raft_send_timeout_now(r, transferee));
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " sends MsgTimeoutNow to %" X64 " immediately as %" X64 " already has up-to-date log",
                r->id, transferee, transferee);
        return RC_OK;
    }
    return rc_raft_send_append(r, transferee);
}

int rc_raft_step_leader(rc_raft *r, const rc_message *m)
{
    char b[160];
    switch (m->type) {
    case RC_MSG_BEAT:
        return rc_raft_bcast_heartbeat(r);
    case RC_MSG_CHECK_QUORUM:
        if (!rc_tracker_quorum_active(&r->trk)) {
            rc_logf(&r->logger, RC_LOG_WARN, "%" X64 " stepped down to follower since quorum is not active",
                    r->id);
            rc_raft_become_follower(r, r->term, RC_NONE);
        }
        for (size_t i = 0; i < r->trk.progress.n; i++) {
            if (r->trk.progress.v[i].id != r->id)
                r->trk.progress.v[i].pr.recent_active = false;
        }
        return RC_OK;
    case RC_MSG_PROP:
        return step_prop_msg(r, m);
    case RC_MSG_READ_INDEX:
        return step_read_index(r, m);
    case RC_MSG_FORGET_LEADER:
        return RC_OK;
    default:
        break;
    }
    rc_progress *pr = rc_progress_map_get(&r->trk.progress, m->from);
    if (pr == NULL) {
        rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " no progress available for %" X64, r->id, m->from);
        return RC_OK;
    }
    switch (m->type) {
    case RC_MSG_APP_RESP:
        return step_app_resp(r, m, pr);
    case RC_MSG_HEARTBEAT_RESP:
        pr->recent_active = true;
        pr->msg_app_flow_paused = false;
        if (pr->match < rc_log_last_index(&r->raft_log) || pr->state == RC_PROGRESS_PROBE)
            RC_TRY(rc_raft_send_append(r, m->from));
        return advance_read_only(r, m);
    case RC_MSG_SNAP_STATUS:
        if (pr->state != RC_PROGRESS_SNAPSHOT)
            return RC_OK;
        if (!m->reject) {
            rc_progress_become_probe(pr);
            rc_logf(&r->logger, RC_LOG_DEBUG,
                    "%" X64 " snapshot succeeded, resumed sending replication messages to %" X64 " [%s]",
                    r->id, m->from, rc_raft_pr_str(b, sizeof(b), pr));
        } else {
            pr->pending_snapshot = 0;
            rc_progress_become_probe(pr);
            rc_logf(&r->logger, RC_LOG_DEBUG,
                    "%" X64 " snapshot failed, resumed sending replication messages to %" X64 " [%s]",
                    r->id, m->from, rc_raft_pr_str(b, sizeof(b), pr));
        }
        pr->msg_app_flow_paused = true;
        return RC_OK;
    case RC_MSG_UNREACHABLE:
        if (pr->state == RC_PROGRESS_REPLICATE)
            rc_progress_become_probe(pr);
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " failed to send message to %" X64 " because it is unreachable [%s]", r->id,
                m->from, rc_raft_pr_str(b, sizeof(b), pr));
        return RC_OK;
    case RC_MSG_TRANSFER_LEADER:
        return step_transfer_leader(r, m, pr);
    default:
        return RC_OK;
    }
}
