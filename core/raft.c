/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft.c: the raft state machine's roles and entry points: config validation, construction,
 * role transitions, ticks, Step with its term handling and vote rules, elections, and the
 * follower/candidate step functions (append, heartbeat and snapshot handling).
 */
#include "raft.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "alloc.h"
#include "confchange.h"
#include "describe.h"
#include "raft_internal.h"

/* ---- message lists ---- */

int rc_msgs_push(rc_msgs *ms, rc_message *m)
{
    void *arr = ms->v;
    if (rc_grow(&arr, &ms->cap, ms->n + 1, sizeof(rc_message)) != 0) {
        rc_message_free(m);
        return RC_ERR_NOMEM;
    }
    ms->v = arr;
    ms->v[ms->n++] = *m;
    rc_message_disown(m);
    return RC_OK;
}

void rc_msgs_clear_slow(rc_msgs *ms)
{
    for (size_t i = 0; i < ms->n; i++)
        if (rc_message_owns_memory(&ms->v[i]))
            rc_message_free(&ms->v[i]);
    ms->n = 0;
}

void rc_msgs_free(rc_msgs *ms)
{
    rc_msgs_clear(ms);
    rc_free(ms->v);
    memset(ms, 0, sizeof(*ms));
}

void rc_raft_clear_read_states(rc_raft *r)
{
    for (size_t i = 0; i < r->read_states.n; i++)
        rc_bytes_free(&r->read_states.v[i].request_ctx);
    r->read_states.n = 0;
}

/* ---- failure helpers ---- */

int rc_raft_panic(rc_raft *r, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    rc_logf(&r->logger, RC_LOG_PANIC, "%s", line);
    r->failed = true;
    return RC_ERR_FAILED;
}

int rc_raft_check(rc_raft *r, int rc)
{
    if (rc != RC_OK && rc != RC_ERR_PROPOSAL_DROPPED)
        r->failed = true;
    return rc;
}

const char *rc_raft_pr_str(char *buf, size_t size, const rc_progress *pr)
{
    rc_progress_format(buf, size, pr);
    return buf;
}

char *rc_raft_config_str(const rc_raft *r) { return rc_tracker_config_string(&r->trk.config); }

/* ---- config ---- */

int rc_config_validate(rc_config *c, const char **err_text)
{
    const char *err = NULL;
    if (c->id == RC_NONE)
        err = "cannot use none as id";
    else if (rc_msg_is_local_target(c->id))
        err = "cannot use local target as id";
    else if (c->heartbeat_tick <= 0)
        err = "heartbeat tick must be greater than 0";
    else if (c->election_tick <= c->heartbeat_tick)
        err = "election tick must be greater than heartbeat tick";
    else if (c->storage.ops == NULL)
        err = "storage cannot be nil";
    else if (c->max_inflight_msgs == 0)
        err = "max inflight messages must be greater than 0";
    else if (c->max_inflight_bytes != 0 && c->max_inflight_bytes < c->max_size_per_msg)
        err = "max inflight bytes must be >= max message size";
    else if (c->read_only_option == RC_READ_ONLY_LEASE_BASED && !c->check_quorum)
        err = "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased";
    if (err != NULL) {
        if (err_text != NULL)
            *err_text = err;
        return RC_ERR_CONFIG;
    }
    if (c->max_uncommitted_entries_size == 0)
        c->max_uncommitted_entries_size = RC_NO_LIMIT;
    if (c->max_committed_size_per_ready == 0)
        c->max_committed_size_per_ready = c->max_size_per_msg;
    return RC_OK;
}

/* ---- randomness ---- */

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rc_raft_reset_randomized_election_timeout(rc_raft *r)
{
    uint64_t e = (uint64_t)r->election_timeout;
    r->randomized_election_timeout = r->election_timeout + (int)(splitmix64(&r->rand_state) % e);
}

void rc_raft_set_randomized_election_timeout(rc_raft *r, int timeout)
{
    r->randomized_election_timeout = timeout;
}

/* ---- construction ---- */

static int load_state(rc_raft *r, const rc_hard_state *hs)
{
    uint64_t last = rc_log_last_index(&r->raft_log);
    if (hs->commit < r->raft_log.committed || hs->commit > last)
        return rc_raft_panic(r, "%" X64 " state.commit %" U64 " is out of range [%" U64 ", %" U64 "]",
                             r->id, hs->commit, r->raft_log.committed, last);
    r->raft_log.committed = hs->commit;
    r->term = hs->term;
    r->vote = hs->vote;
    return RC_OK;
}

void rc_raft_init_options(rc_raft *r, const rc_config *cin)
{
    rc_config c = *cin;
    r->id = c.id;
    r->logger = c.logger;
    r->logger.failed = &r->failed; /* every PANIC line fails the node */
    r->max_msg_size = c.max_size_per_msg;
    r->max_uncommitted_size = c.max_uncommitted_entries_size;
    rc_tracker_init(&r->trk, c.max_inflight_msgs, c.max_inflight_bytes);
    r->election_timeout = c.election_tick;
    r->heartbeat_timeout = c.heartbeat_tick;
    r->check_quorum = c.check_quorum;
    r->pre_vote = c.pre_vote;
    rc_read_only_init(&r->read_only, (int)c.read_only_option);
    r->disable_proposal_forwarding = c.disable_proposal_forwarding;
    r->disable_conf_change_validation = c.disable_conf_change_validation;
    r->step_down_on_removal = c.step_down_on_removal;
    r->async_storage_writes = c.async_storage_writes;
    r->rand_state = c.rand_seed ^ (c.id * 0xd1b54a32d192ed03ULL);
    r->randomized_election_timeout = c.election_tick;
}

static int raft_init(rc_raft *r, const rc_config *cin)
{
    rc_config c = *cin;
    rc_raft_init_options(r, &c);
    RC_TRY(rc_log_init(&r->raft_log, c.storage, &r->logger, c.max_committed_size_per_ready));

    rc_hard_state hs;
    rc_conf_state cs;
    memset(&hs, 0, sizeof(hs));
    memset(&cs, 0, sizeof(cs));
    int rc = c.storage.ops->initial_state(c.storage.ud, &hs, &cs);
    if (rc != RC_OK) {
        rc_conf_state_free(&cs);
        return rc_raft_panic(r, "raft: storage InitialState failed (error %d)", rc);
    }
    rc = rc_raft_restore_config(r, &cs);
    rc_conf_state_free(&cs);
    RC_TRY(rc);
    if (!rc_hard_state_is_empty(&hs))
        RC_TRY(load_state(r, &hs));
    if (c.applied > 0)
        RC_TRY(rc_raft_check(r, rc_log_applied_to(&r->raft_log, c.applied, 0)));
    rc_raft_become_follower(r, r->term, RC_NONE);
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;

    rc_ids voters = {0};
    RC_TRY(rc_tracker_voter_ids(&voters, &r->trk));
    rc_strbuf peers = RC_STRBUF_INIT;
    for (size_t i = 0; i < voters.n; i++)
        rc_strbuf_printf(&peers, "%s%" X64, i > 0 ? "," : "", voters.v[i]);
    rc_ids_free(&voters);
    rc_logf(&r->logger, RC_LOG_INFO,
            "newRaft %" X64 " [peers: [%s], term: %" U64 ", commit: %" U64 ", applied: %" U64
            ", lastindex: %" U64 ", lastterm: %" U64 "]",
            r->id, rc_strbuf_str(&peers), r->term, r->raft_log.committed, r->raft_log.applied,
            rc_log_last_index(&r->raft_log), rc_log_last_term(&r->raft_log));
    bool ok = rc_strbuf_ok(&peers);
    rc_strbuf_free(&peers);
    return ok ? RC_OK : RC_ERR_NOMEM;
}

int rc_raft_new(rc_raft **out, const rc_config *cin, const char **err_text)
{
    *out = NULL;
    rc_config c = *cin;
    int rc = rc_config_validate(&c, err_text);
    if (rc != RC_OK)
        return rc;
    rc_raft *r = rc_calloc(1, sizeof(*r));
    if (r == NULL)
        return RC_ERR_NOMEM;
    rc = raft_init(r, &c);
    if (rc != RC_OK) {
        if (err_text != NULL)
            *err_text = rc == RC_ERR_NOMEM ? "out of memory" : "raft: initialization failed";
        rc_raft_free(r);
        return rc;
    }
    *out = r;
    return RC_OK;
}

void rc_raft_free(rc_raft *r)
{
    if (r == NULL)
        return;
    rc_raft_clear_read_states(r);
    rc_free(r->read_states.v);
    rc_log_free(&r->raft_log);
    rc_tracker_free(&r->trk);
    rc_msgs_free(&r->msgs);
    rc_msgs_free(&r->msgs_after_append);
    rc_msgs_free(&r->pending_read_index_messages);
    rc_read_only_free(&r->read_only);
    rc_free(r);
}

/* ---- send ---- */

static bool is_vote_type(rc_msg_type t)
{
    return t == RC_MSG_VOTE || t == RC_MSG_VOTE_RESP || t == RC_MSG_PRE_VOTE ||
           t == RC_MSG_PRE_VOTE_RESP;
}

int rc_raft_send(rc_raft *r, rc_message *m)
{
    if (m->from == RC_NONE)
        m->from = r->id;
    if (is_vote_type(m->type)) {
        if (m->term == 0) {
            int rc = rc_raft_panic(r, "term should be set when sending %s", rc_msg_type_name(m->type));
            rc_message_free(m);
            return rc;
        }
    } else {
        if (m->term != 0) {
            int rc = rc_raft_panic(r, "term should not be set when sending %s (was %" U64 ")",
                                   rc_msg_type_name(m->type), m->term);
            rc_message_free(m);
            return rc;
        }
        if (m->type != RC_MSG_PROP && m->type != RC_MSG_READ_INDEX)
            m->term = r->term;
    }
    if (m->type == RC_MSG_APP_RESP || m->type == RC_MSG_VOTE_RESP ||
        m->type == RC_MSG_PRE_VOTE_RESP)
        return rc_raft_check(r, rc_msgs_push(&r->msgs_after_append, m));
    if (m->to == r->id) {
        int rc = rc_raft_panic(r, "message should not be self-addressed when sending %s",
                               rc_msg_type_name(m->type));
        rc_message_free(m);
        return rc;
    }
    return rc_raft_check(r, rc_msgs_push(&r->msgs, m));
}

int rc_raft_send_self_app_resp(rc_raft *r, uint64_t index)
{
    rc_msgs *ms = &r->msgs_after_append;
    void *arr = ms->v;
    if (rc_grow(&arr, &ms->cap, ms->n + 1, sizeof(rc_message)) != 0)
        return rc_raft_check(r, RC_ERR_NOMEM);
    ms->v = arr;
    /* What rc_raft_send makes of {Type: MsgAppResp, To: id, Index: index}, written in place. */
    rc_message *m = &ms->v[ms->n++];
    *m = rc_message_zero;
    m->type = RC_MSG_APP_RESP;
    m->to = r->id;
    m->from = r->id;
    m->term = r->term;
    m->index = index;
    return RC_OK;
}

static int send_simple(rc_raft *r, rc_msg_type type, uint64_t to, uint64_t term, uint64_t index,
                       bool reject)
{
    rc_message m = rc_message_zero;
    m.type = type;
    m.to = to;
    m.term = term;
    m.index = index;
    m.reject = reject;
    return rc_raft_send(r, &m);
}

static int step_candidate(rc_raft *r, const rc_message *m);
static int step_follower(rc_raft *r, const rc_message *m);

/* ---- role transitions ---- */

void rc_raft_set_step(rc_raft *r)
{
    switch (r->state) {
    case RC_STATE_LEADER: r->step = rc_raft_step_leader; break;
    case RC_STATE_CANDIDATE:
    case RC_STATE_PRE_CANDIDATE: r->step = step_candidate; break;
    default: r->step = step_follower; break;
    }
}

void rc_raft_abort_leader_transfer(rc_raft *r) { r->lead_transferee = RC_NONE; }

static void reset(rc_raft *r, uint64_t term)
{
    if (r->term != term) {
        r->term = term;
        r->vote = RC_NONE;
    }
    r->lead = RC_NONE;
    r->election_elapsed = 0;
    r->heartbeat_elapsed = 0;
    rc_raft_reset_randomized_election_timeout(r);
    rc_raft_abort_leader_transfer(r);
    rc_tracker_reset_votes(&r->trk);
    uint64_t last = rc_log_last_index(&r->raft_log);
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        rc_progress_entry *pe = &r->trk.progress.v[i];
        rc_progress *pr = &pe->pr;
        rc_inflights infl = pr->inflights;
        bool learner = pr->is_learner;
        rc_inflights_reset(&infl);
        memset(pr, 0, sizeof(*pr));
        pr->inflights = infl;
        pr->is_learner = learner;
        pr->next = last + 1;
        pr->state = RC_PROGRESS_PROBE;
        if (pe->id == r->id)
            pr->match = last;
    }
    r->pending_conf_index = 0;
    r->uncommitted_size = 0;
    rc_read_only_reset(&r->read_only);
}

void rc_raft_become_follower(rc_raft *r, uint64_t term, uint64_t lead)
{
    r->step = step_follower;
    reset(r, term);
    r->lead = lead;
    r->state = RC_STATE_FOLLOWER;
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " became follower at term %" U64, r->id, r->term);
}

void rc_raft_become_candidate(rc_raft *r)
{
    if (r->state == RC_STATE_LEADER) {
        rc_raft_panic(r, "invalid transition [leader -> candidate]");
        return;
    }
    r->step = step_candidate;
    reset(r, r->term + 1);
    r->vote = r->id;
    r->state = RC_STATE_CANDIDATE;
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " became candidate at term %" U64, r->id, r->term);
}

void rc_raft_become_pre_candidate(rc_raft *r)
{
    if (r->state == RC_STATE_LEADER) {
        rc_raft_panic(r, "invalid transition [leader -> pre-candidate]");
        return;
    }
    r->step = step_candidate;
    rc_tracker_reset_votes(&r->trk);
    r->lead = RC_NONE;
    r->state = RC_STATE_PRE_CANDIDATE;
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " became pre-candidate at term %" U64, r->id, r->term);
}

int rc_raft_become_leader(rc_raft *r)
{
    if (r->state == RC_STATE_FOLLOWER)
        return rc_raft_panic(r, "invalid transition [follower -> leader]");
    r->step = rc_raft_step_leader;
    reset(r, r->term);
    r->lead = r->id;
    r->state = RC_STATE_LEADER;
    rc_progress *pr = rc_progress_map_get(&r->trk.progress, r->id);
    if (pr != NULL) {
        rc_progress_become_replicate(pr);
        pr->recent_active = true;
    }
    r->pending_conf_index = rc_log_last_index(&r->raft_log);
    rc_entry empty;
    memset(&empty, 0, sizeof(empty));
    bool accepted = false;
    /* etcd panics if the empty entry is dropped; an entry without payload never is (the
     * uncommitted size limit only drops entries that add to it). */
    RC_TRY(rc_raft_append_entry(r, &empty, 1, &accepted));
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " became leader at term %" U64, r->id, r->term);
    return RC_OK;
}

rc_soft_state rc_raft_soft_state(const rc_raft *r)
{
    rc_soft_state ss = {r->lead, r->state};
    return ss;
}

rc_hard_state rc_raft_hard_state(const rc_raft *r)
{
    rc_hard_state hs = {r->term, r->vote, r->raft_log.committed};
    return hs;
}

bool rc_raft_promotable(const rc_raft *r)
{
    const rc_progress *pr = rc_progress_map_get(&r->trk.progress, r->id);
    return pr != NULL && !pr->is_learner && r->raft_log.unstable.snapshot == NULL;
}

/* ---- elections ---- */

static rc_msg_type vote_resp_type(rc_msg_type t)
{
    return t == RC_MSG_VOTE ? RC_MSG_VOTE_RESP : RC_MSG_PRE_VOTE_RESP;
}

static int campaign(rc_raft *r, rc_campaign_type t)
{
    if (!rc_raft_promotable(r))
        rc_logf(&r->logger, RC_LOG_WARN, "%" X64 " is unpromotable; campaign() should have been called",
                r->id);
    uint64_t term;
    rc_msg_type vote_msg;
    if (t == RC_CAMPAIGN_PRE_ELECTION) {
        rc_raft_become_pre_candidate(r);
        vote_msg = RC_MSG_PRE_VOTE;
        term = r->term + 1;
    } else {
        rc_raft_become_candidate(r);
        vote_msg = RC_MSG_VOTE;
        term = r->term;
    }
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    rc_ids ids = {0};
    RC_TRY(rc_raft_check(r, rc_tracker_voter_ids(&ids, &r->trk)));
    int rc = RC_OK;
    for (size_t i = 0; i < ids.n && rc == RC_OK; i++) {
        uint64_t id = ids.v[i];
        if (id == r->id) {
            rc = send_simple(r, vote_resp_type(vote_msg), id, term, 0, false);
            continue;
        }
        uint64_t li = rc_log_last_index(&r->raft_log), lt = rc_log_last_term(&r->raft_log);
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [logterm: %" U64 ", index: %" U64 "] sent %s request to %" X64
                " at term %" U64,
                r->id, lt, li, rc_msg_type_name(vote_msg), id, r->term);
        rc_message m = rc_message_zero;
        m.type = vote_msg;
        m.to = id;
        m.term = term;
        m.index = li;
        m.log_term = lt;
        if (t == RC_CAMPAIGN_TRANSFER &&
            rc_bytes_set(&m.context, RC_CAMPAIGN_TRANSFER_CTX, strlen(RC_CAMPAIGN_TRANSFER_CTX)) != RC_OK) {
            rc = rc_raft_check(r, RC_ERR_NOMEM);
            break;
        }
        rc = rc_raft_send(r, &m);
    }
    rc_ids_free(&ids);
    return rc;
}

static int scan_conf_change(rc_raft *r, bool *found)
{
    rc_raft_log *l = &r->raft_log;
    *found = false;
    uint64_t lo = l->applied + 1, hi = l->committed + 1;
    while (lo < hi && !*found) {
        rc_entries page = {0};
        int rc = rc_log_slice(l, lo, hi, l->max_applying_ents_size, &page);
        if (rc != RC_OK) {
            rc_entries_free(&page);
            return rc_raft_panic(r, "error scanning unapplied entries [%" U64 ", %" U64 "): error %d",
                                 lo, hi, rc);
        }
        if (page.n == 0) {
            rc_entries_free(&page);
            break;
        }
        for (size_t i = 0; i < page.n; i++) {
            if (page.v[i].type == RC_ENTRY_CONF_CHANGE || page.v[i].type == RC_ENTRY_CONF_CHANGE_V2) {
                *found = true;
                break;
            }
        }
        lo += page.n;
        rc_entries_free(&page);
    }
    return RC_OK;
}

bool rc_raft_has_unapplied_conf_changes(rc_raft *r)
{
    if (r->raft_log.applied >= r->raft_log.committed)
        return false;
    bool found = false;
    scan_conf_change(r, &found);
    return found;
}

int rc_raft_hup(rc_raft *r, rc_campaign_type t)
{
    if (r->state == RC_STATE_LEADER) {
        rc_logf(&r->logger, RC_LOG_DEBUG, "%" X64 " ignoring MsgHup because already leader", r->id);
        return RC_OK;
    }
    if (!rc_raft_promotable(r)) {
        rc_logf(&r->logger, RC_LOG_WARN, "%" X64 " is unpromotable and can not campaign", r->id);
        return RC_OK;
    }
    bool pending = rc_raft_has_unapplied_conf_changes(r);
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    if (pending) {
        rc_logf(&r->logger, RC_LOG_WARN,
                "%" X64 " cannot campaign at term %" U64
                " since there are still pending configuration changes to apply",
                r->id, r->term);
        return RC_OK;
    }
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " is starting a new election at term %" U64, r->id,
            r->term);
    return campaign(r, t);
}

/* poll records a vote and returns the tally. */
static rc_vote_result poll(rc_raft *r, uint64_t id, rc_msg_type t, bool v, size_t *gr, size_t *rj)
{
    if (v)
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " received %s from %" X64 " at term %" U64, r->id,
                rc_msg_type_name(t), id, r->term);
    else
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " received %s rejection from %" X64 " at term %" U64,
                r->id, rc_msg_type_name(t), id, r->term);
    if (rc_tracker_record_vote(&r->trk, id, v) != RC_OK)
        rc_raft_check(r, RC_ERR_NOMEM);
    return rc_tracker_tally_votes(&r->trk, gr, rj);
}

/* ---- follower-side handlers ---- */

static int handle_append_entries(rc_raft *r, const rc_message *m)
{
    rc_raft_log *l = &r->raft_log;
    if (m->index < l->committed)
        return send_simple(r, RC_MSG_APP_RESP, m->from, 0, l->committed, false);
    uint64_t lastnewi = 0;
    bool ok = false;
    RC_TRY(rc_raft_check(r, rc_log_maybe_append(l, m->index, m->log_term, m->commit, m->entries,
                                                 m->n_entries, &lastnewi, &ok)));
    if (ok)
        return send_simple(r, RC_MSG_APP_RESP, m->from, 0, lastnewi, false);
    uint64_t t = 0;
    RC_TRY(rc_raft_check(r, rc_log_term_or_zero(l, m->index, &t)));
    rc_logf(&r->logger, RC_LOG_DEBUG,
            "%" X64 " [logterm: %" U64 ", index: %" U64 "] rejected MsgApp [logterm: %" U64
            ", index: %" U64 "] from %" X64,
            r->id, t, m->index, m->log_term, m->index, m->from);
    uint64_t hint = m->index < rc_log_last_index(l) ? m->index : rc_log_last_index(l);
    uint64_t hint_index = 0, hint_term = 0;
    RC_TRY(rc_raft_check(r, rc_log_find_conflict_by_term(l, hint, m->log_term, &hint_index,
                                                          &hint_term)));
    rc_message resp = rc_message_zero;
    resp.type = RC_MSG_APP_RESP;
    resp.to = m->from;
    resp.index = m->index;
    resp.reject = true;
    resp.reject_hint = hint_index;
    resp.log_term = hint_term;
    return rc_raft_send(r, &resp);
}

static int handle_heartbeat(rc_raft *r, const rc_message *m)
{
    RC_TRY(rc_raft_check(r, rc_log_commit_to(&r->raft_log, m->commit)));
    rc_message resp = rc_message_zero;
    resp.type = RC_MSG_HEARTBEAT_RESP;
    resp.to = m->from;
    if (rc_bytes_set(&resp.context, m->context.data, m->context.len) != RC_OK)
        return rc_raft_check(r, RC_ERR_NOMEM);
    return rc_raft_send(r, &resp);
}

/* etcd's restore; *restored tells whether the snapshot was installed. */
static int restore(rc_raft *r, const rc_snapshot *s, bool *restored)
{
    rc_raft_log *l = &r->raft_log;
    *restored = false;
    if (s->metadata.index <= l->committed)
        return RC_OK;
    if (r->state != RC_STATE_FOLLOWER) {
        rc_logf(&r->logger, RC_LOG_WARN,
                "%" X64 " attempted to restore snapshot as leader; should never happen", r->id);
        rc_raft_become_follower(r, r->term + 1, RC_NONE);
        return RC_OK;
    }
    const rc_conf_state *cs = &s->metadata.conf_state;
    bool found = rc_ids_contains(&cs->voters, r->id) || rc_ids_contains(&cs->learners, r->id) ||
                 rc_ids_contains(&cs->voters_outgoing, r->id);
    if (!found) {
        rc_strbuf b = RC_STRBUF_INIT;
        rc_describe_conf_state(&b, cs);
        rc_logf(&r->logger, RC_LOG_WARN,
                "%" X64 " attempted to restore snapshot but it is not in the ConfState %s; should never happen",
                r->id, rc_strbuf_str(&b));
        rc_strbuf_free(&b);
        return RC_OK;
    }
    if (rc_log_match_term(l, s->metadata.index, s->metadata.term)) {
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [commit: %" U64 ", lastindex: %" U64 ", lastterm: %" U64
                "] fast-forwarded commit to snapshot [index: %" U64 ", term: %" U64 "]",
                r->id, l->committed, rc_log_last_index(l), rc_log_last_term(l), s->metadata.index,
                s->metadata.term);
        return rc_raft_check(r, rc_log_commit_to(l, s->metadata.index));
    }
    RC_TRY(rc_raft_check(r, rc_log_restore(l, s)));
    size_t max_inflight = r->trk.max_inflight;
    uint64_t max_bytes = r->trk.max_inflight_bytes;
    rc_tracker_free(&r->trk);
    rc_tracker_init(&r->trk, max_inflight, max_bytes);
    RC_TRY(rc_raft_restore_config(r, cs));
    rc_logf(&r->logger, RC_LOG_INFO,
            "%" X64 " [commit: %" U64 ", lastindex: %" U64 ", lastterm: %" U64
            "] restored snapshot [index: %" U64 ", term: %" U64 "]",
            r->id, l->committed, rc_log_last_index(l), rc_log_last_term(l), s->metadata.index,
            s->metadata.term);
    *restored = true;
    return RC_OK;
}

static int handle_snapshot(rc_raft *r, const rc_message *m)
{
    rc_snapshot empty;
    memset(&empty, 0, sizeof(empty));
    const rc_snapshot *s = m->snapshot != NULL ? m->snapshot : &empty;
    uint64_t sindex = s->metadata.index, sterm = s->metadata.term;
    bool restored = false;
    RC_TRY(restore(r, s, &restored));
    if (restored) {
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [commit: %" U64 "] restored snapshot [index: %" U64 ", term: %" U64 "]",
                r->id, r->raft_log.committed, sindex, sterm);
        return send_simple(r, RC_MSG_APP_RESP, m->from, 0, rc_log_last_index(&r->raft_log), false);
    }
    rc_logf(&r->logger, RC_LOG_INFO,
            "%" X64 " [commit: %" U64 "] ignored snapshot [index: %" U64 ", term: %" U64 "]", r->id,
            r->raft_log.committed, sindex, sterm);
    return send_simple(r, RC_MSG_APP_RESP, m->from, 0, r->raft_log.committed, false);
}

static int forward(rc_raft *r, const rc_message *m, uint64_t to)
{
    rc_message c;
    if (rc_message_copy(&c, m) != RC_OK)
        return rc_raft_check(r, RC_ERR_NOMEM);
    c.to = to;
    return rc_raft_send(r, &c);
}

static int step_candidate(rc_raft *r, const rc_message *m)
{
    rc_msg_type my_resp = r->state == RC_STATE_PRE_CANDIDATE ? RC_MSG_PRE_VOTE_RESP : RC_MSG_VOTE_RESP;
    switch (m->type) {
    case RC_MSG_PROP:
        rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " no leader at term %" U64 "; dropping proposal",
                r->id, r->term);
        return RC_ERR_PROPOSAL_DROPPED;
    case RC_MSG_APP:
        rc_raft_become_follower(r, m->term, m->from);
        return handle_append_entries(r, m);
    case RC_MSG_HEARTBEAT:
        rc_raft_become_follower(r, m->term, m->from);
        return handle_heartbeat(r, m);
    case RC_MSG_SNAP:
        rc_raft_become_follower(r, m->term, m->from);
        return handle_snapshot(r, m);
    case RC_MSG_TIMEOUT_NOW:
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "%" X64 " [term %" U64 " state %s] ignored MsgTimeoutNow from %" X64, r->id, r->term,
                rc_state_type_name(r->state), m->from);
        return RC_OK;
    default:
        break;
    }
    if (m->type != my_resp)
        return RC_OK;
    size_t gr = 0, rj = 0;
    rc_vote_result res = poll(r, m->from, m->type, !m->reject, &gr, &rj);
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " has received %zu %s votes and %zu vote rejections",
            r->id, gr, rc_msg_type_name(m->type), rj);
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    if (res == RC_VOTE_WON) {
        if (r->state == RC_STATE_PRE_CANDIDATE)
            return campaign(r, RC_CAMPAIGN_ELECTION);
        RC_TRY(rc_raft_become_leader(r));
        return rc_raft_bcast_append(r);
    }
    if (res == RC_VOTE_LOST)
        rc_raft_become_follower(r, r->term, RC_NONE);
    return RC_OK;
}

static int step_follower(rc_raft *r, const rc_message *m)
{
    switch (m->type) {
    case RC_MSG_PROP:
        if (r->lead == RC_NONE) {
            rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " no leader at term %" U64 "; dropping proposal",
                    r->id, r->term);
            return RC_ERR_PROPOSAL_DROPPED;
        }
        if (r->disable_proposal_forwarding) {
            rc_logf(&r->logger, RC_LOG_INFO,
                    "%" X64 " not forwarding to leader %" X64 " at term %" U64 "; dropping proposal",
                    r->id, r->lead, r->term);
            return RC_ERR_PROPOSAL_DROPPED;
        }
        return forward(r, m, r->lead);
    case RC_MSG_APP:
        r->election_elapsed = 0;
        r->lead = m->from;
        return handle_append_entries(r, m);
    case RC_MSG_HEARTBEAT:
        r->election_elapsed = 0;
        r->lead = m->from;
        return handle_heartbeat(r, m);
    case RC_MSG_SNAP:
        r->election_elapsed = 0;
        r->lead = m->from;
        return handle_snapshot(r, m);
    case RC_MSG_TRANSFER_LEADER:
        if (r->lead == RC_NONE) {
            rc_logf(&r->logger, RC_LOG_INFO,
                    "%" X64 " no leader at term %" U64 "; dropping leader transfer msg", r->id, r->term);
            return RC_OK;
        }
        return forward(r, m, r->lead);
    case RC_MSG_FORGET_LEADER:
        if (r->read_only.option == RC_READ_ONLY_LEASE_BASED) {
            rc_logf(&r->logger, RC_LOG_ERROR, "ignoring MsgForgetLeader due to ReadOnlyLeaseBased");
            return RC_OK;
        }
        if (r->lead != RC_NONE) {
            rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " forgetting leader %" X64 " at term %" U64,
                    r->id, r->lead, r->term);
            r->lead = RC_NONE;
        }
        return RC_OK;
    case RC_MSG_TIMEOUT_NOW:
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [term %" U64 "] received MsgTimeoutNow from %" X64
                " and starts an election to get leadership.",
                r->id, r->term, m->from);
        return rc_raft_hup(r, RC_CAMPAIGN_TRANSFER);
    case RC_MSG_READ_INDEX:
        if (r->lead == RC_NONE) {
            rc_logf(&r->logger, RC_LOG_INFO,
                    "%" X64 " no leader at term %" U64 "; dropping index reading msg", r->id, r->term);
            return RC_OK;
        }
        return forward(r, m, r->lead);
    case RC_MSG_READ_INDEX_RESP: {
        if (m->n_entries != 1) {
            rc_logf(&r->logger, RC_LOG_ERROR,
                    "%" X64 " invalid format of MsgReadIndexResp from %" X64 ", entries count: %zu",
                    r->id, m->from, m->n_entries);
            return RC_OK;
        }
        void *arr = r->read_states.v;
        if (rc_grow(&arr, &r->read_states.cap, r->read_states.n + 1, sizeof(rc_read_state)) != 0)
            return rc_raft_check(r, RC_ERR_NOMEM);
        r->read_states.v = arr;
        rc_read_state *rs = &r->read_states.v[r->read_states.n];
        memset(rs, 0, sizeof(*rs));
        if (rc_bytes_set(&rs->request_ctx, m->entries[0].data.data, m->entries[0].data.len) != RC_OK)
            return rc_raft_check(r, RC_ERR_NOMEM);
        rs->index = m->index;
        r->read_states.n++;
        return RC_OK;
    }
    default:
        return RC_OK;
    }
}

/* ---- Step ---- */

static bool is_transfer_ctx(const rc_bytes *b)
{
    size_t n = strlen(RC_CAMPAIGN_TRANSFER_CTX);
    return b->len == n && memcmp(b->data, RC_CAMPAIGN_TRANSFER_CTX, n) == 0;
}

/* Returns true when the message was fully handled by the term check. */
static int step_term(rc_raft *r, const rc_message *m, bool *done)
{
    *done = false;
    rc_raft_log *l = &r->raft_log;
    if (m->term == 0)
        return RC_OK;
    if (m->term > r->term) {
        if (m->type == RC_MSG_VOTE || m->type == RC_MSG_PRE_VOTE) {
            bool force = is_transfer_ctx(&m->context);
            bool in_lease = r->check_quorum && r->lead != RC_NONE &&
                            r->election_elapsed < r->election_timeout;
            if (!force && in_lease) {
                rc_logf(&r->logger, RC_LOG_INFO,
                        "%" X64 " [logterm: %" U64 ", index: %" U64 ", vote: %" X64 "] ignored %s from %" X64
                        " [logterm: %" U64 ", index: %" U64 "] at term %" U64
                        ": lease is not expired (remaining ticks: %d)",
                        r->id, rc_log_last_term(l), rc_log_last_index(l), r->vote,
                        rc_msg_type_name(m->type), m->from, m->log_term, m->index, r->term,
                        r->election_timeout - r->election_elapsed);
                *done = true;
                return RC_OK;
            }
        }
        if (m->type == RC_MSG_PRE_VOTE || (m->type == RC_MSG_PRE_VOTE_RESP && !m->reject))
            return RC_OK;
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [term: %" U64 "] received a %s message with higher term from %" X64
                " [term: %" U64 "]",
                r->id, r->term, rc_msg_type_name(m->type), m->from, m->term);
        if (m->type == RC_MSG_APP || m->type == RC_MSG_HEARTBEAT || m->type == RC_MSG_SNAP)
            rc_raft_become_follower(r, m->term, m->from);
        else
            rc_raft_become_follower(r, m->term, RC_NONE);
        return RC_OK;
    }
    if (m->term == r->term)
        return RC_OK;
    /* m->term < r->term */
    *done = true;
    if ((r->check_quorum || r->pre_vote) &&
        (m->type == RC_MSG_HEARTBEAT || m->type == RC_MSG_APP))
        return send_simple(r, RC_MSG_APP_RESP, m->from, 0, 0, false);
    if (m->type == RC_MSG_PRE_VOTE) {
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [logterm: %" U64 ", index: %" U64 ", vote: %" X64 "] rejected %s from %" X64
                " [logterm: %" U64 ", index: %" U64 "] at term %" U64,
                r->id, rc_log_last_term(l), rc_log_last_index(l), r->vote, rc_msg_type_name(m->type),
                m->from, m->log_term, m->index, r->term);
        return send_simple(r, RC_MSG_PRE_VOTE_RESP, m->from, r->term, 0, true);
    }
    if (m->type == RC_MSG_STORAGE_APPEND_RESP) {
        if (m->index != 0)
            rc_logf(&r->logger, RC_LOG_INFO,
                    "%" X64 " [term: %" U64 "] ignored entry appends from a %s message with lower term [term: %" U64 "]",
                    r->id, r->term, rc_msg_type_name(m->type), m->term);
        if (m->snapshot != NULL)
            return rc_raft_applied_snap(r, m->snapshot);
        return RC_OK;
    }
    rc_logf(&r->logger, RC_LOG_INFO,
            "%" X64 " [term: %" U64 "] ignored a %s message with lower term from %" X64 " [term: %" U64 "]",
            r->id, r->term, rc_msg_type_name(m->type), m->from, m->term);
    return RC_OK;
}

static int step_vote(rc_raft *r, const rc_message *m)
{
    rc_raft_log *l = &r->raft_log;
    bool can_vote = r->vote == m->from || (r->vote == RC_NONE && r->lead == RC_NONE) ||
                    (m->type == RC_MSG_PRE_VOTE && m->term > r->term);
    uint64_t li = rc_log_last_index(l), lt = rc_log_last_term(l);
    if (can_vote && rc_log_is_up_to_date(l, m->index, m->log_term)) {
        rc_logf(&r->logger, RC_LOG_INFO,
                "%" X64 " [logterm: %" U64 ", index: %" U64 ", vote: %" X64 "] cast %s for %" X64
                " [logterm: %" U64 ", index: %" U64 "] at term %" U64,
                r->id, lt, li, r->vote, rc_msg_type_name(m->type), m->from, m->log_term, m->index,
                r->term);
        RC_TRY(send_simple(r, vote_resp_type(m->type), m->from, m->term, 0, false));
        if (m->type == RC_MSG_VOTE) {
            r->election_elapsed = 0;
            r->vote = m->from;
        }
        return RC_OK;
    }
    rc_logf(&r->logger, RC_LOG_INFO,
            "%" X64 " [logterm: %" U64 ", index: %" U64 ", vote: %" X64 "] rejected %s from %" X64
            " [logterm: %" U64 ", index: %" U64 "] at term %" U64,
            r->id, lt, li, r->vote, rc_msg_type_name(m->type), m->from, m->log_term, m->index,
            r->term);
    /* A rejection carries this node's term; at term 0 (a log restored from a snapshot before
     * any election, when a MsgPreVote does not raise the term) it has none to carry, where etcd
     * panics ("term should be set"): the candidate learns the outcome by timing out. */
    if (r->term == 0)
        return RC_OK;
    return send_simple(r, vote_resp_type(m->type), m->from, r->term, 0, true);
}

static int step_inner(rc_raft *r, const rc_message *m)
{
    bool done = false;
    RC_TRY(step_term(r, m, &done));
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    if (done)
        return RC_OK;
    switch (m->type) {
    case RC_MSG_HUP:
        return rc_raft_hup(r, r->pre_vote ? RC_CAMPAIGN_PRE_ELECTION : RC_CAMPAIGN_ELECTION);
    case RC_MSG_STORAGE_APPEND_RESP:
        if (m->index != 0)
            rc_log_stable_to(&r->raft_log, m->index, m->log_term);
        if (m->snapshot != NULL)
            return rc_raft_applied_snap(r, m->snapshot);
        return RC_OK;
    case RC_MSG_STORAGE_APPLY_RESP:
        if (m->n_entries > 0) {
            uint64_t size = 0, payload = 0;
            for (size_t i = 0; i < m->n_entries; i++) {
                size += rc_entry_size(&m->entries[i]);
                payload += rc_entry_payload_size(&m->entries[i]);
            }
            return rc_raft_storage_applied(r, m->entries[m->n_entries - 1].index, size, payload);
        }
        return RC_OK;
    case RC_MSG_VOTE:
    case RC_MSG_PRE_VOTE:
        return step_vote(r, m);
    default:
        break;
    }
    return r->step(r, m);
}

int rc_raft_step(rc_raft *r, const rc_message *m)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    int rc = step_inner(r, m); /* handlers never free or mutate the borrowed message */
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    return rc;
}

/* ---- ticks ---- */

static int step_local(rc_raft *r, rc_msg_type type)
{
    rc_message m = rc_message_zero;
    m.type = type;
    m.from = r->id;
    return rc_raft_step(r, &m);
}

static int tick_election(rc_raft *r)
{
    r->election_elapsed++;
    if (rc_raft_promotable(r) && r->election_elapsed >= r->randomized_election_timeout) {
        r->election_elapsed = 0;
        int rc = step_local(r, RC_MSG_HUP);
        if (rc != RC_OK && !rc_raft_is_failed(r))
            rc_logf(&r->logger, RC_LOG_DEBUG, "error occurred during election: error %d", rc);
        if (rc_raft_is_failed(r))
            return RC_ERR_FAILED;
    }
    return RC_OK;
}

static int tick_heartbeat(rc_raft *r)
{
    r->heartbeat_elapsed++;
    r->election_elapsed++;
    if (r->election_elapsed >= r->election_timeout) {
        r->election_elapsed = 0;
        if (r->check_quorum) {
            int rc = step_local(r, RC_MSG_CHECK_QUORUM);
            if (rc_raft_is_failed(r))
                return RC_ERR_FAILED;
            if (rc != RC_OK)
                rc_logf(&r->logger, RC_LOG_DEBUG,
                        "error occurred during checking sending heartbeat: error %d", rc);
        }
        if (r->state == RC_STATE_LEADER && r->lead_transferee != RC_NONE)
            rc_raft_abort_leader_transfer(r);
    }
    if (r->state != RC_STATE_LEADER)
        return RC_OK;
    if (r->heartbeat_elapsed >= r->heartbeat_timeout) {
        r->heartbeat_elapsed = 0;
        int rc = step_local(r, RC_MSG_BEAT);
        if (rc_raft_is_failed(r))
            return RC_ERR_FAILED;
        if (rc != RC_OK)
            rc_logf(&r->logger, RC_LOG_DEBUG,
                    "error occurred during checking sending heartbeat: error %d", rc);
    }
    return RC_OK;
}

int rc_raft_tick(rc_raft *r)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    if (r->state == RC_STATE_LEADER)
        return tick_heartbeat(r);
    return tick_election(r);
}

/* Frees ms's array when it holds no message. */
static void msgs_release_if_empty(rc_msgs *ms)
{
    if (ms->n == 0)
        rc_msgs_free(ms);
}

void rc_raft_release_idle_memory(rc_raft *r)
{
    msgs_release_if_empty(&r->msgs);
    msgs_release_if_empty(&r->msgs_after_append);
    msgs_release_if_empty(&r->pending_read_index_messages);
    if (r->read_states.n == 0) {
        rc_free(r->read_states.v);
        r->read_states = (rc_read_states){0};
    }
    rc_log_release_idle_memory(&r->raft_log);
    rc_read_only_release_idle(&r->read_only);
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        rc_inflights *in = &r->trk.progress.v[i].pr.inflights;
        if (rc_inflights_count(in) == 0)
            rc_inflights_free(in);
    }
}

int rc_raft_storage_applied(rc_raft *r, uint64_t index, uint64_t size, uint64_t payload)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    RC_TRY(rc_raft_applied_to(r, index, size));
    rc_raft_reduce_uncommitted_size(r, payload);
    return RC_OK;
}

int rc_raft_storage_appended(rc_raft *r, uint64_t term, uint64_t index, uint64_t log_term)
{
    /* A term other than the current one goes through step_term (the lower-term log). */
    if (term != 0 && term != r->term) {
        rc_message m = rc_message_zero;
        m.type = RC_MSG_STORAGE_APPEND_RESP;
        m.to = r->id;
        m.from = RC_LOCAL_APPEND_THREAD;
        m.term = term;
        m.index = index;
        m.log_term = log_term;
        return rc_raft_step(r, &m);
    }
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    if (index != 0)
        rc_log_stable_to(&r->raft_log, index, log_term);
    return rc_raft_is_failed(r) ? RC_ERR_FAILED : RC_OK;
}

void rc_raft_reduce_uncommitted_size(rc_raft *r, uint64_t size)
{
    if (size > r->uncommitted_size)
        r->uncommitted_size = 0;
    else
        r->uncommitted_size -= size;
}
