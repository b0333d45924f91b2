/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * pack.c: a settled RawNode as a block of varints (pack.h). Layout: the length of the rest,
 * then raft's lead (first, so that rc_pack_lead reads one field), the RawNode's previous soft
 * and hard state, raft's scalars and the log's cursors, the configuration's id lists, and one
 * record per progress. Signed values (tick counters) are zigzag-encoded.
 */
#include "pack.h"

#include <string.h>

#include "alloc.h"
#include "raft_internal.h"

/* ---- varints ---- */

typedef struct pk_writer {
    uint8_t *buf;
    size_t n, cap;
    bool nomem;
} pk_writer;

static void put(pk_writer *w, uint64_t v)
{
    if (w->nomem || rc_grow((void **)&w->buf, &w->cap, w->n + 10, 1) != RC_OK) {
        w->nomem = true;
        return;
    }
    while (v >= 0x80) {
        w->buf[w->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    w->buf[w->n++] = (uint8_t)v;
}

static void put_int(pk_writer *w, int v)
{
    int64_t s = v;
    put(w, ((uint64_t)s << 1) ^ (uint64_t)(s >> 63));
}

typedef struct pk_reader {
    const uint8_t *p, *end;
    bool bad;
} pk_reader;

static uint64_t get(pk_reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80)
            return v;
    }
    r->bad = true;
    return 0;
}

static int get_int(pk_reader *r)
{
    uint64_t z = get(r);
    int64_t s = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    if (s < INT32_MIN || s > INT32_MAX)
        r->bad = true;
    return (int)s;
}

/* The block's payload (after its length varint). */
static pk_reader block_reader(const uint8_t *packed)
{
    pk_reader r = {packed, packed + 10, false};
    uint64_t len = get(&r);
    r.end = r.p + len;
    return r;
}

/* ---- packing ---- */

/* Whether r holds nothing beyond scalars, id lists and settled progress. */
static bool raft_is_settled(const rc_raft *r)
{
    const rc_raft_log *l = &r->raft_log;
    if (rc_raft_is_failed(r) || (r->state != RC_STATE_LEADER && r->state != RC_STATE_FOLLOWER))
        return false;
    if (r->msgs.n > 0 || r->msgs_after_append.n > 0 || r->pending_read_index_messages.n > 0 ||
        r->read_states.n > 0 || r->read_only.n_pending > 0 || r->read_only.n_acks > 0 ||
        r->lead_transferee != RC_NONE || r->trk.n_votes > 0)
        return false;
    if (l->unstable.snapshot != NULL || l->unstable.entries.n > 0 ||
        l->unstable.offset_in_progress != l->unstable.offset ||
        l->unstable.offset != rc_log_last_index(l) + 1 || l->failed)
        return false;
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        const rc_inflights *in = &r->trk.progress.v[i].pr.inflights;
        if (in->count > 0 || in->bytes > 0)
            return false;
    }
    return true;
}

static void put_ids(pk_writer *w, const rc_majority *m)
{
    put(w, m->n);
    for (size_t i = 0; i < m->n; i++)
        put(w, m->ids[i]);
}

static void put_raft(pk_writer *w, const rc_raft *r)
{
    const rc_raft_log *l = &r->raft_log;
    put(w, r->term);
    put(w, r->vote);
    put(w, r->pending_conf_index);
    put(w, r->uncommitted_size);
    put(w, r->rand_state);
    put(w, r->read_only.next_ctx);
    put(w, r->refused);
    put(w, l->committed);
    put(w, l->applying);
    put(w, l->applied);
    put(w, l->applying_ents_size);
    put(w, l->applying_ents_paused);
    put(w, (uint64_t)r->state);
    put(w, r->is_learner);
    put_int(w, r->election_elapsed);
    put_int(w, r->heartbeat_elapsed);
    put_int(w, r->randomized_election_timeout);
    const rc_tracker_config *cfg = &r->trk.config;
    put(w, cfg->auto_leave);
    put_ids(w, &cfg->voters.incoming);
    put_ids(w, &cfg->voters.outgoing);
    put_ids(w, &cfg->learners);
    put_ids(w, &cfg->learners_next);
    put(w, r->trk.progress.n);
    for (size_t i = 0; i < r->trk.progress.n; i++) {
        const rc_progress_entry *pe = &r->trk.progress.v[i];
        const rc_progress *pr = &pe->pr;
        put(w, pe->id);
        put(w, pr->match);
        put(w, pr->next);
        put(w, pr->sent_commit);
        put(w, pr->pending_snapshot);
        put(w, (uint64_t)pr->state);
        put(w, (uint64_t)pr->recent_active | (uint64_t)pr->msg_app_flow_paused << 1 |
                   (uint64_t)pr->is_learner << 2);
    }
}

int rc_pack_rawnode(uint8_t **out, const rc_rawnode *rn)
{
    *out = NULL;
    const rc_raft *r = rn->raft;
    if (rn->ready_pending || rc_rawnode_acks_pending(rn) ||
        rn->async_storage_writes || !raft_is_settled(r))
        return RC_ERR_STATE;
    pk_writer w = {0};
    put(&w, r->lead);
    put(&w, rn->prev_soft_st.lead);
    put(&w, (uint64_t)rn->prev_soft_st.raft_state);
    put(&w, rn->prev_hard_st.term);
    put(&w, rn->prev_hard_st.vote);
    put(&w, rn->prev_hard_st.commit);
    put(&w, rn->last_ready_busy);
    put_raft(&w, r);
    /* The block: the length, then the payload, in one exact allocation. */
    pk_writer blk = {0};
    put(&blk, w.n);
    uint8_t *p = w.nomem || blk.nomem ? NULL : rc_malloc(blk.n + w.n);
    if (p != NULL) {
        memcpy(p, blk.buf, blk.n);
        memcpy(p + blk.n, w.buf, w.n);
    }
    rc_free(w.buf);
    rc_free(blk.buf);
    if (p == NULL)
        return RC_ERR_NOMEM;
    *out = p;
    return RC_OK;
}

uint64_t rc_pack_lead(const uint8_t *packed)
{
    pk_reader r = block_reader(packed);
    return get(&r);
}

size_t rc_pack_size(const uint8_t *packed)
{
    pk_reader r = block_reader(packed);
    return (size_t)(r.end - packed);
}

/* ---- restoring ---- */

static int get_ids(pk_reader *rd, rc_majority *m)
{
    uint64_t n = get(rd);
    for (uint64_t i = 0; i < n && !rd->bad; i++)
        if (rc_majority_add(m, get(rd)) != RC_OK)
            return RC_ERR_NOMEM;
    return rd->bad ? RC_ERR_DECODE : RC_OK;
}

static bool state_ok(uint64_t v) { return v == RC_STATE_LEADER || v == RC_STATE_FOLLOWER; }

static int get_raft(pk_reader *rd, rc_raft *r)
{
    rc_raft_log *l = &r->raft_log;
    r->term = get(rd);
    r->vote = get(rd);
    r->pending_conf_index = get(rd);
    r->uncommitted_size = get(rd);
    r->rand_state = get(rd);
    r->read_only.next_ctx = get(rd);
    r->refused = get(rd);
    l->committed = get(rd);
    l->applying = get(rd);
    l->applied = get(rd);
    l->applying_ents_size = get(rd);
    l->applying_ents_paused = get(rd) != 0;
    uint64_t state = get(rd);
    if (!state_ok(state))
        return RC_ERR_DECODE;
    r->state = (rc_state_type)state;
    r->is_learner = get(rd) != 0;
    r->election_elapsed = get_int(rd);
    r->heartbeat_elapsed = get_int(rd);
    r->randomized_election_timeout = get_int(rd);
    rc_tracker_config *cfg = &r->trk.config;
    cfg->auto_leave = get(rd) != 0;
    int rc = get_ids(rd, &cfg->voters.incoming);
    if (rc == RC_OK)
        rc = get_ids(rd, &cfg->voters.outgoing);
    if (rc == RC_OK)
        rc = get_ids(rd, &cfg->learners);
    if (rc == RC_OK)
        rc = get_ids(rd, &cfg->learners_next);
    uint64_t n = rc == RC_OK ? get(rd) : 0;
    for (uint64_t i = 0; i < n && rc == RC_OK && !rd->bad; i++) {
        uint64_t id = get(rd);
        rc_progress pr;
        rc_progress_init(&pr, 0, r->trk.max_inflight, r->trk.max_inflight_bytes, false);
        pr.match = get(rd);
        pr.next = get(rd);
        pr.sent_commit = get(rd);
        pr.pending_snapshot = get(rd);
        uint64_t ps = get(rd), flags = get(rd);
        if (ps > RC_PROGRESS_SNAPSHOT)
            return RC_ERR_DECODE;
        pr.state = (rc_progress_state)ps;
        pr.recent_active = (flags & 1) != 0;
        pr.msg_app_flow_paused = (flags & 2) != 0;
        pr.is_learner = (flags & 4) != 0;
        if (rc_progress_map_put(&r->trk.progress, id, &pr) == NULL)
            rc = RC_ERR_NOMEM;
    }
    if (rc == RC_OK && rd->bad)
        rc = RC_ERR_DECODE;
    rc_raft_set_step(r);
    return rc;
}

int rc_pack_restore(rc_rawnode **out, const rc_config *cin, const uint8_t *packed)
{
    *out = NULL;
    rc_config c = *cin;
    const char *text = NULL;
    int rc = rc_config_validate(&c, &text);
    if (rc != RC_OK)
        return rc;
    rc_rawnode *rn = rc_calloc(1, sizeof(*rn));
    rc_raft *r = rn != NULL ? rc_calloc(1, sizeof(*r)) : NULL;
    if (r == NULL) {
        rc_free(rn);
        return RC_ERR_NOMEM;
    }
    rn->raft = r;
    rn->err_text = "";
    rc_raft_init_options(r, &c);
    rc = rc_log_init(&r->raft_log, c.storage, &r->logger, c.max_committed_size_per_ready);
    pk_reader rd = block_reader(packed);
    if (rc == RC_OK) {
        r->lead = get(&rd);
        rn->prev_soft_st.lead = get(&rd);
        uint64_t ss = get(&rd);
        rn->prev_hard_st.term = get(&rd);
        rn->prev_hard_st.vote = get(&rd);
        rn->prev_hard_st.commit = get(&rd);
        rn->last_ready_busy = get(&rd) != 0;
        rc = ss <= RC_STATE_PRE_CANDIDATE ? RC_OK : RC_ERR_DECODE;
        rn->prev_soft_st.raft_state = (rc_state_type)ss;
    }
    if (rc == RC_OK)
        rc = get_raft(&rd, r);
    if (rc == RC_OK && rd.p != rd.end)
        rc = RC_ERR_DECODE;
    if (rc != RC_OK) {
        rc_rawnode_free(rn);
        return rc;
    }
    *out = rn;
    return RC_OK;
}
