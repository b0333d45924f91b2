/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * tracker.c: configuration, progress map and votes (etcd's tracker.ProgressTracker).
 */
#include "tracker.h"

#include <string.h>

#include "alloc.h"
#include "strbuf.h"

/* ---- config ---- */

int rc_tracker_config_copy(rc_tracker_config *dst, const rc_tracker_config *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->auto_leave = src->auto_leave;
    if (rc_majority_copy(&dst->voters.incoming, &src->voters.incoming) != RC_OK ||
        rc_majority_copy(&dst->voters.outgoing, &src->voters.outgoing) != RC_OK ||
        rc_majority_copy(&dst->learners, &src->learners) != RC_OK ||
        rc_majority_copy(&dst->learners_next, &src->learners_next) != RC_OK) {
        rc_tracker_config_free(dst);
        return RC_ERR_NOMEM;
    }
    return RC_OK;
}

void rc_tracker_config_free(rc_tracker_config *c)
{
    rc_majority_free(&c->voters.incoming);
    rc_majority_free(&c->voters.outgoing);
    rc_majority_free(&c->learners);
    rc_majority_free(&c->learners_next);
    c->auto_leave = false;
}

/* etcd prints the learner sets iff they are non-nil; the changer turns empty sets into nil, so
 * in C "non-nil" is "non-empty". */
void rc_tracker_config_format(rc_strbuf *b, const rc_tracker_config *c)
{
    rc_strbuf_puts(b, "voters=");
    rc_joint_format(b, &c->voters);
    if (c->learners.n > 0) {
        rc_strbuf_puts(b, " learners=");
        rc_majority_format(b, &c->learners);
    }
    if (c->learners_next.n > 0) {
        rc_strbuf_puts(b, " learners_next=");
        rc_majority_format(b, &c->learners_next);
    }
    if (c->auto_leave)
        rc_strbuf_puts(b, " autoleave");
}

char *rc_tracker_config_string(const rc_tracker_config *c)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_tracker_config_format(&b, c);
    return rc_strbuf_take(&b);
}

static int rc_ids_from_majority(rc_ids *out, const rc_majority *m)
{
    out->v = NULL;
    out->n = 0;
    if (m->n == 0)
        return RC_OK;
    out->v = rc_malloc(m->n * sizeof(uint64_t));
    if (out->v == NULL)
        return RC_ERR_NOMEM;
    memcpy(out->v, m->ids, m->n * sizeof(uint64_t));
    out->n = m->n;
    return RC_OK;
}

int rc_tracker_config_to_conf_state(rc_conf_state *out, const rc_tracker_config *c)
{
    memset(out, 0, sizeof(*out));
    out->auto_leave = c->auto_leave;
    if (rc_ids_from_majority(&out->voters, &c->voters.incoming) != RC_OK ||
        rc_ids_from_majority(&out->voters_outgoing, &c->voters.outgoing) != RC_OK ||
        rc_ids_from_majority(&out->learners, &c->learners) != RC_OK ||
        rc_ids_from_majority(&out->learners_next, &c->learners_next) != RC_OK) {
        rc_conf_state_free(out);
        return RC_ERR_NOMEM;
    }
    return RC_OK;
}

/* ---- progress map ---- */

static size_t rc_progress_map_pos(const rc_progress_map *m, uint64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Maps up to this size (clusters of 3 to 7 members, the common case) are looked up by a scan:
 * the leader looks up a peer's progress at every message from it, and the commit index reads
 * every voter's. */
#define RC_PROGRESS_MAP_SCAN_MAX 8

rc_progress *rc_progress_map_get(const rc_progress_map *m, uint64_t id)
{
    if (m->n <= RC_PROGRESS_MAP_SCAN_MAX) {
        for (size_t i = 0; i < m->n; i++)
            if (m->v[i].id == id)
                return &m->v[i].pr;
        return NULL;
    }
    size_t pos = rc_progress_map_pos(m, id);
    if (pos < m->n && m->v[pos].id == id)
        return &m->v[pos].pr;
    return NULL;
}

rc_progress *rc_progress_map_put(rc_progress_map *m, uint64_t id, const rc_progress *pr)
{
    size_t pos = rc_progress_map_pos(m, id);
    if (pos < m->n && m->v[pos].id == id) {
        if (&m->v[pos].pr != pr) {
            rc_progress_free(&m->v[pos].pr);
            m->v[pos].pr = *pr;
        }
        return &m->v[pos].pr;
    }
    if (rc_grow_exact((void **)&m->v, &m->cap, m->n + 1, sizeof(rc_progress_entry)) != RC_OK)
        return NULL;
    memmove(&m->v[pos + 1], &m->v[pos], (m->n - pos) * sizeof(rc_progress_entry));
    m->v[pos].id = id;
    m->v[pos].pr = *pr;
    m->n++;
    return &m->v[pos].pr;
}

void rc_progress_map_delete(rc_progress_map *m, uint64_t id)
{
    size_t pos = rc_progress_map_pos(m, id);
    if (pos >= m->n || m->v[pos].id != id)
        return;
    rc_progress_free(&m->v[pos].pr);
    memmove(&m->v[pos], &m->v[pos + 1], (m->n - pos - 1) * sizeof(rc_progress_entry));
    m->n--;
}

int rc_progress_map_copy(rc_progress_map *dst, const rc_progress_map *src)
{
    memset(dst, 0, sizeof(*dst));
    if (src->n == 0)
        return RC_OK;
    dst->v = rc_calloc(src->n, sizeof(rc_progress_entry));
    if (dst->v == NULL)
        return RC_ERR_NOMEM;
    dst->cap = src->n;
    for (size_t i = 0; i < src->n; i++) {
        dst->v[i].id = src->v[i].id;
        int rc = rc_progress_clone(&dst->v[i].pr, &src->v[i].pr);
        dst->n = i + 1;
        if (rc != RC_OK) {
            rc_progress_map_free(dst);
            return rc;
        }
    }
    return RC_OK;
}

void rc_progress_map_free(rc_progress_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        rc_progress_free(&m->v[i].pr);
    rc_free(m->v);
    memset(m, 0, sizeof(*m));
}

void rc_progress_map_format(rc_strbuf *b, const rc_progress_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        rc_strbuf_printf(b, "%llu: ", (unsigned long long)m->v[i].id);
        rc_progress_append(b, &m->v[i].pr);
        rc_strbuf_putc(b, '\n');
    }
}

char *rc_progress_map_string(const rc_progress_map *m)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_progress_map_format(&b, m);
    return rc_strbuf_take(&b);
}

/* ---- tracker ---- */

void rc_tracker_init(rc_tracker *t, size_t max_inflight, uint64_t max_inflight_bytes)
{
    memset(t, 0, sizeof(*t));
    t->max_inflight = max_inflight;
    t->max_inflight_bytes = max_inflight_bytes;
}

void rc_tracker_free(rc_tracker *t)
{
    rc_tracker_config_free(&t->config);
    rc_progress_map_free(&t->progress);
    rc_free(t->votes);
    t->votes = NULL;
    t->n_votes = t->cap_votes = 0;
}

void rc_tracker_set_config(rc_tracker *t, rc_tracker_config *cfg, rc_progress_map *prs)
{
    rc_tracker_config_free(&t->config);
    rc_progress_map_free(&t->progress);
    t->config = *cfg;
    t->progress = *prs;
    memset(cfg, 0, sizeof(*cfg));
    memset(prs, 0, sizeof(*prs));
}

/* Acked index of a voter = its progress Match (no progress: unknown). */
static bool rc_tracker_acked(void *ud, uint64_t id, uint64_t *idx)
{
    const rc_progress *pr = rc_progress_map_get(ud, id);
    if (pr == NULL)
        return false;
    *idx = pr->match;
    return true;
}

uint64_t rc_tracker_committed(const rc_tracker *t)
{
    const rc_joint *j = &t->config.voters;
    if (j->outgoing.n > 0 || j->incoming.n > RC_MAJORITY_ACKED_MAX)
        return rc_joint_committed(j, rc_tracker_acked, (void *)&t->progress);
    /* Not joint (an empty outgoing half commits everything: the incoming half decides). The
     * voters and the progress map are both sorted by id, so one walk finds every match, where
     * rc_tracker_acked searches the map once per voter. */
    const rc_majority *m = &j->incoming;
    const rc_progress_map *pm = &t->progress;
    uint64_t acked[RC_MAJORITY_ACKED_MAX];
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        while (k < pm->n && pm->v[k].id < m->ids[i])
            k++;
        acked[i] = k < pm->n && pm->v[k].id == m->ids[i] ? pm->v[k].pr.match : 0;
    }
    return rc_majority_committed_acked(acked, m->n);
}

bool rc_tracker_is_singleton(const rc_tracker *t)
{
    return t->config.voters.incoming.n == 1 && t->config.voters.outgoing.n == 0;
}

bool rc_tracker_is_voter(const rc_tracker *t, uint64_t id)
{
    return rc_majority_contains(&t->config.voters.incoming, id) ||
           rc_majority_contains(&t->config.voters.outgoing, id);
}

/* Voters' RecentActive flags as votes; learners have no say (they are not in the config's
 * voter sets anyway, but etcd also skips them explicitly). */
static bool rc_tracker_active_vote(void *ud, uint64_t id, bool *granted)
{
    const rc_progress *pr = rc_progress_map_get(ud, id);
    if (pr == NULL || pr->is_learner)
        return false;
    *granted = pr->recent_active;
    return true;
}

bool rc_tracker_quorum_active(const rc_tracker *t)
{
    return rc_joint_vote_result(&t->config.voters, rc_tracker_active_vote,
                                (void *)&t->progress) == RC_VOTE_WON;
}

int rc_tracker_voter_ids(rc_ids *out, const rc_tracker *t)
{
    rc_majority u;
    out->v = NULL;
    out->n = 0;
    if (rc_joint_ids(&u, &t->config.voters) != RC_OK)
        return RC_ERR_NOMEM;
    int rc = rc_ids_from_majority(out, &u);
    rc_majority_free(&u);
    return rc;
}

int rc_tracker_all_ids(rc_ids *out, const rc_tracker *t)
{
    out->v = NULL;
    out->n = 0;
    if (t->progress.n == 0)
        return RC_OK;
    out->v = rc_malloc(t->progress.n * sizeof(uint64_t));
    if (out->v == NULL)
        return RC_ERR_NOMEM;
    for (size_t i = 0; i < t->progress.n; i++)
        out->v[i] = t->progress.v[i].id;
    out->n = t->progress.n;
    return RC_OK;
}

int rc_tracker_learner_ids(rc_ids *out, const rc_tracker *t)
{
    return rc_ids_from_majority(out, &t->config.learners);
}

/* ---- votes ---- */

static size_t rc_votes_pos(const rc_tracker *t, uint64_t id)
{
    size_t lo = 0, hi = t->n_votes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->votes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool rc_tracker_vote_lookup(void *ud, uint64_t id, bool *granted)
{
    const rc_tracker *t = ud;
    size_t pos = rc_votes_pos(t, id);
    if (pos >= t->n_votes || t->votes[pos].id != id)
        return false;
    *granted = t->votes[pos].granted;
    return true;
}

void rc_tracker_reset_votes(rc_tracker *t)
{
    /* Votes matter during an election only: no array is kept between elections. */
    rc_free(t->votes);
    t->votes = NULL;
    t->n_votes = 0;
    t->cap_votes = 0;
}

int rc_tracker_record_vote(rc_tracker *t, uint64_t id, bool granted)
{
    size_t pos = rc_votes_pos(t, id);
    if (pos < t->n_votes && t->votes[pos].id == id)
        return RC_OK; /* the first vote of a peer sticks */
    int rc = rc_grow_exact((void **)&t->votes, &t->cap_votes, t->n_votes + 1,
                           sizeof(rc_vote_entry));
    if (rc != RC_OK)
        return rc;
    memmove(&t->votes[pos + 1], &t->votes[pos], (t->n_votes - pos) * sizeof(rc_vote_entry));
    t->votes[pos].id = id;
    t->votes[pos].granted = granted;
    t->n_votes++;
    return RC_OK;
}

/* The counts only include tracked non-learners (votes of peers that left the config are
 * ignored); they are informational. The result comes from the joint config. */
rc_vote_result rc_tracker_tally_votes(const rc_tracker *t, size_t *granted, size_t *rejected)
{
    size_t g = 0, r = 0;
    for (size_t i = 0; i < t->progress.n; i++) {
        bool v;
        if (t->progress.v[i].pr.is_learner)
            continue;
        if (!rc_tracker_vote_lookup((void *)t, t->progress.v[i].id, &v))
            continue;
        if (v)
            g++;
        else
            r++;
    }
    if (granted != NULL)
        *granted = g;
    if (rejected != NULL)
        *rejected = r;
    return rc_joint_vote_result(&t->config.voters, rc_tracker_vote_lookup, (void *)t);
}
