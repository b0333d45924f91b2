/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_check.c: the safety checks of raftc-sim.
 *
 * - election safety: at most one leader per term;
 * - log matching on persisted storage: an (index, term) pair names one entry everywhere, and
 *   its predecessor's term too (so equal pairs imply equal prefixes); a periodic full pairwise
 *   scan of every node's storage checks the same directly;
 * - leader completeness: every entry known committed is in the log of every leader of a later
 *   term than the one that committed it (bounded above by the newest term in the cluster when
 *   the commit is first observed), checked when a leader is first seen;
 * - committed entries survive crashes: no node ever persists a different entry over an index
 *   known committed;
 * - state machine safety: no two nodes apply different entries at an index;
 * - exactly-once: a payload id is applied at one index only (duplicates are detected), and at
 *   the end every node holds every acknowledged payload exactly once;
 * - ReadIndex: a read's index is >= the index of every write acknowledged before it was issued,
 *   and it is served only once the node applied that far (sim_node.c).
 * An entry is "known committed" once some node applied it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

uint64_t sim_payload_id(const uint8_t *data, size_t len)
{
    uint64_t id = 0;
    if (data == NULL || len < 9 || data[0] != 'P')
        return 0;
    memcpy(&id, data + 1, 8);
    return id;
}

static sim_commit *commit_at(uint64_t index)
{
    sim_grow((void **)&S.commits, &S.cap_commits, (size_t)index + 1, sizeof(sim_commit));
    return &S.commits[index];
}

static uint64_t storage_term(sim_slot *s, uint64_t index, int *rc)
{
    uint64_t t = 0;
    *rc = raftc_memstorage_term(&t, s->ms, index);
    return t;
}

void sim_check_persisted(sim_slot *s, const uint8_t *const *ents, const size_t *lens, size_t n)
{
    /* A lagging node may hold stale entries past its own commit index; at or below it, its
     * entries must be the committed ones. */
    uint64_t commit = 0;
    sim_ck(sim_storage_hard_state(s->ms, NULL, NULL, &commit), "initial_state", s);
    uint64_t prev_term = 0;
    bool prev_known = false;
    for (size_t k = 0; k < n; k++) {
        uint64_t term, index;
        raftc_entry_type type;
        const uint8_t *data;
        size_t dlen;
        sim_ck(raftc_entry_decode(&term, &index, &type, &data, &dlen, ents[k], lens[k]),
               "raftc_entry_decode", s);
        if (k == 0 && index > 0) {
            int rc;
            prev_term = storage_term(s, index - 1, &rc);
            prev_known = rc == RAFTC_OK;
        }
        uint64_t h = sim_ents_hash(type, data, dlen);
        sim_ent_key *key = sim_ents_lookup(&S.ents, 0, index, term);
        if (key->used) {
            if (key->hash != h)
                sim_fail("log matching: n%llu persisted a different entry at index %llu term "
                         "%llu",
                         (unsigned long long)s->id, (unsigned long long)index,
                         (unsigned long long)term);
            if (prev_known && key->prev_term != prev_term)
                sim_fail("log matching: n%llu has entry %llu/%llu after term %llu at index %llu, "
                         "another log has term %llu there",
                         (unsigned long long)s->id, (unsigned long long)term,
                         (unsigned long long)index, (unsigned long long)prev_term,
                         (unsigned long long)(index - 1), (unsigned long long)key->prev_term);
        } else if (prev_known) {
            sim_ents_record(&S.ents, key, 0, index, term, h, prev_term);
        }
        sim_commit *c = commit_at(index);
        if (index <= commit && c->set && c->term != term)
            sim_fail("committed entry lost: n%llu persisted %llu/%llu over the committed entry "
                     "%llu/%llu",
                     (unsigned long long)s->id, (unsigned long long)term,
                     (unsigned long long)index, (unsigned long long)c->term,
                     (unsigned long long)index);
        prev_term = term;
        prev_known = true;
    }
}

/* The leader's persisted log must hold the committed entry index/term. */
static void leader_has(sim_slot *l, uint64_t lterm, uint64_t index, uint64_t term)
{
    int rc;
    uint64_t t = storage_term(l, index, &rc);
    if (rc == RAFTC_ECOMPACTED)
        return;
    if (rc != RAFTC_OK || t != term)
        sim_fail("leader completeness: n%llu leads term %llu without the committed entry "
                 "%llu/%llu (its log has %s%llu)",
                 (unsigned long long)l->id, (unsigned long long)lterm, (unsigned long long)term,
                 (unsigned long long)index, rc == RAFTC_OK ? "term " : "nothing, rc ",
                 rc == RAFTC_OK ? (unsigned long long)t : (unsigned long long)(-rc));
}

void sim_check_apply(sim_slot *s, uint64_t index, uint64_t term, int type, const uint8_t *data,
                     size_t len)
{
    uint64_t h = sim_ents_hash(type, data, len);
    uint64_t id = type == RAFTC_ENTRY_NORMAL ? sim_payload_id(data, len) : 0;
    if (S.opts.inject && strcmp(S.opts.inject, "dup") == 0 && s->id == 1 && id > 5)
        id--;
    if (S.opts.inject && strcmp(S.opts.inject, "diverge") == 0 && s->id == 2 && index == 12)
        h ^= 1;
    if (id != 0) {
        sim_grow((void **)&S.id_index, &S.cap_id_index, (size_t)id + 1, sizeof(uint64_t));
        if (S.id_index[id] != 0 && S.id_index[id] != index)
            sim_fail("exactly-once: n%llu applied payload %llu at index %llu, it was applied at "
                     "index %llu before (duplicate)",
                     (unsigned long long)s->id, (unsigned long long)id, (unsigned long long)index,
                     (unsigned long long)S.id_index[id]);
    }
    sim_commit *c = commit_at(index);
    if (c->set) {
        if (c->term != term || c->hash != h)
            sim_fail("state machine safety: n%llu applied %llu/%llu (payload %llu) at index %llu, "
                     "another node applied %llu/%llu (payload %llu)",
                     (unsigned long long)s->id, (unsigned long long)term,
                     (unsigned long long)index, (unsigned long long)id, (unsigned long long)index,
                     (unsigned long long)c->term, (unsigned long long)index,
                     (unsigned long long)c->id);
    } else {
        c->set = true;
        c->term = term;
        c->hash = h;
        c->id = id;
        if (index > S.max_committed)
            S.max_committed = index;
        if (id != 0)
            S.n_proposals_applied++;
        if (id > S.max_applied_payload)
            S.max_applied_payload = id;
        /* It was committed by a leader of a term <= the newest term now; every leader of a
         * later term must hold it (checked when such a leader appears). */
        c->obs_term = sim_max_term();
    }
    if (id != 0)
        S.id_index[id] = index;
}

void sim_check_sm_restore(sim_slot *s)
{
    uint64_t prev = 0;
    for (size_t i = 0; i < s->sm.n; i++) {
        sim_pair p = s->sm.pairs[i];
        if (p.index <= prev || p.index > s->sm.applied)
            sim_fail("n%llu: state machine snapshot out of order at payload %llu",
                     (unsigned long long)s->id, (unsigned long long)p.id);
        prev = p.index;
        if (p.index < S.cap_commits && S.commits[p.index].set && S.commits[p.index].id != p.id)
            sim_fail("state machine safety: n%llu restored payload %llu at index %llu, the "
                     "cluster applied payload %llu there",
                     (unsigned long long)s->id, (unsigned long long)p.id,
                     (unsigned long long)p.index, (unsigned long long)S.commits[p.index].id);
        if (p.id < S.cap_id_index && S.id_index[p.id] != 0 && S.id_index[p.id] != p.index)
            sim_fail("exactly-once: n%llu restored payload %llu at index %llu, applied at %llu",
                     (unsigned long long)s->id, (unsigned long long)p.id,
                     (unsigned long long)p.index, (unsigned long long)S.id_index[p.id]);
    }
}

void sim_check_read_state(sim_slot *s, uint64_t read_id, uint64_t index)
{
    if (read_id == 0 || read_id >= S.n_reads)
        sim_fail("n%llu got a read state for unknown read %llu", (unsigned long long)s->id,
                 (unsigned long long)read_id);
    sim_read *r = &S.reads[read_id];
    sim_trace("n%llu read state: read %llu index %llu (issued after writes up to %llu)",
              (unsigned long long)s->id, (unsigned long long)read_id, (unsigned long long)index,
              (unsigned long long)r->min_index);
    if (r->node != s->id)
        sim_fail("read %llu was issued at n%llu but answered at n%llu",
                 (unsigned long long)read_id, (unsigned long long)r->node,
                 (unsigned long long)s->id);
    if (index < r->min_index)
        sim_fail("linearizability: read %llu at n%llu got index %llu, but index %llu was "
                 "acknowledged before it was issued",
                 (unsigned long long)read_id, (unsigned long long)s->id,
                 (unsigned long long)index, (unsigned long long)r->min_index);
    sim_grow((void **)&s->reads, &s->cap_reads, s->n_reads + 1, sizeof(sim_wait_read));
    s->reads[s->n_reads].read_id = read_id;
    s->reads[s->n_reads].index = index;
    s->n_reads++;
}

uint64_t sim_max_term(void)
{
    uint64_t max = 0;
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        uint64_t term = 0;
        if (s->state == SLOT_UP) {
            uint64_t st[RAFTC_ST_COUNT];
            sim_node_status(s, st);
            term = st[RAFTC_ST_TERM];
        } else if (s->state == SLOT_DOWN) {
            sim_ck(sim_storage_hard_state(s->ms, &term, NULL, NULL), "initial_state", s);
        }
        if (term > max)
            max = term;
    }
    return max;
}

sim_slot *sim_top_leader(void)
{
    sim_slot *best = NULL;
    uint64_t best_term = 0;
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if (s->state != SLOT_UP)
            continue;
        uint64_t st[RAFTC_ST_COUNT];
        sim_node_status(s, st);
        if (st[RAFTC_ST_RAFT_STATE] == RAFTC_STATE_LEADER && st[RAFTC_ST_TERM] >= best_term) {
            best = s;
            best_term = st[RAFTC_ST_TERM];
        }
    }
    return best;
}

void sim_conf_of(const sim_slot *s, sim_conf *c)
{
    memset(c, 0, sizeof *c);
    raftc_sink_reset(S.sk_a);
    sim_ck(raftc_node_conf_state(S.sk_a, s->node), "raftc_node_conf_state", s);
    const uint8_t *p;
    size_t n;
    sim_ck(raftc_sink_get(&p, &n, S.sk_a, 0), "conf state item", s);
    sim_ck(raftc_conf_state_decode(c->voters, SIM_MAX_IDS, &c->n_voters, &c->auto_leave, p, n,
                                RAFTC_CS_VOTERS),
           "conf_state_ids", s);
    sim_ck(raftc_conf_state_decode(c->learners, SIM_MAX_IDS, &c->n_learners, NULL, p,
                                n, RAFTC_CS_LEARNERS),
           "conf_state_ids", s);
    sim_ck(raftc_conf_state_decode(c->outgoing, SIM_MAX_IDS, &c->n_outgoing, NULL, p,
                                n, RAFTC_CS_VOTERS_OUTGOING),
           "conf_state_ids", s);
    sim_ck(raftc_conf_state_decode(c->learners_next, SIM_MAX_IDS, &c->n_learners_next, NULL, p,
                                n, RAFTC_CS_LEARNERS_NEXT),
           "conf_state_ids", s);
}

static bool has(const uint64_t *v, size_t n, uint64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == id)
            return true;
    return false;
}

bool sim_conf_has(const sim_conf *c, uint64_t id)
{
    return has(c->voters, c->n_voters, id) || has(c->learners, c->n_learners, id) ||
           has(c->outgoing, c->n_outgoing, id) || has(c->learners_next, c->n_learners_next, id);
}

bool sim_stranded(const sim_slot *s, uint64_t leader_term)
{
    if (S.p.pre_vote || S.p.check_quorum || s->node == NULL)
        return false;
    uint64_t st[RAFTC_ST_COUNT];
    sim_node_status(s, st);
    return st[RAFTC_ST_TERM] > leader_term;
}

static void leader_complete(sim_slot *l, uint64_t term)
{
    uint64_t first = 0, last = 0;
    sim_ck(raftc_memstorage_first_index(&first, l->ms), "first_index", l);
    sim_ck(raftc_memstorage_last_index(&last, l->ms), "last_index", l);
    for (uint64_t i = first; i <= S.max_committed; i++) {
        sim_commit *c = &S.commits[i];
        if (c->set && c->obs_term < term)
            leader_has(l, term, i, c->term);
    }
}

void sim_check_step(void)
{
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if (s->state != SLOT_UP)
            continue;
        if (s->panicked || raftc_node_is_failed(s->node))
            sim_fail("n%llu is failed: %s", (unsigned long long)s->id,
                     raftc_node_last_error(s->node));
        uint64_t st[RAFTC_ST_COUNT];
        sim_node_status(s, st);
        if (st[RAFTC_ST_RAFT_STATE] != RAFTC_STATE_LEADER)
            continue;
        uint64_t term = st[RAFTC_ST_TERM];
        sim_grow((void **)&S.term_leader, &S.cap_term_leader, (size_t)term + 1,
                 sizeof(uint64_t));
        if (S.term_leader[term] == s->id)
            continue;
        if (S.term_leader[term] != 0)
            sim_fail("election safety: n%llu and n%llu both lead term %llu",
                     (unsigned long long)S.term_leader[term], (unsigned long long)s->id,
                     (unsigned long long)term);
        S.term_leader[term] = s->id;
        sim_trace("n%llu is the leader of term %llu", (unsigned long long)s->id,
                  (unsigned long long)term);
        leader_complete(s, term);
    }
}

typedef struct scan_log {
    sim_slot *s;
    uint64_t first, last, commit;
    uint64_t *terms; /* terms[i - first] */
} scan_log;

void sim_check_full_logs(void)
{
    scan_log logs[SIM_MAX_IDS];
    size_t n = 0;
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if (s->state != SLOT_UP && s->state != SLOT_DOWN)
            continue;
        scan_log *g = &logs[n++];
        g->s = s;
        sim_ck(raftc_memstorage_first_index(&g->first, s->ms), "first_index", s);
        sim_ck(raftc_memstorage_last_index(&g->last, s->ms), "last_index", s);
        g->commit = 0;
        sim_ck(sim_storage_hard_state(s->ms, NULL, NULL, &g->commit), "initial_state", s);
        size_t cnt = g->last >= g->first ? (size_t)(g->last - g->first + 1) : 0;
        g->terms = sim_xmalloc((cnt + 1) * sizeof(uint64_t));
        for (uint64_t j = g->first; j <= g->last; j++) {
            int rc;
            g->terms[j - g->first] = storage_term(s, j, &rc);
            sim_ck(rc, "raftc_memstorage_term", s);
            if (j <= g->commit && j < S.cap_commits && S.commits[j].set &&
                S.commits[j].term != g->terms[j - g->first]) {
                for (size_t k = 0; k < n; k++)
                    free(logs[k].terms);
                sim_fail("committed entry lost: n%llu's storage has term %llu at committed index "
                         "%llu (committed term %llu)",
                         (unsigned long long)s->id,
                         (unsigned long long)storage_term(s, j, &rc), (unsigned long long)j,
                         (unsigned long long)S.commits[j].term);
            }
        }
    }
    char err[256] = "";
    for (size_t a = 0; a < n && !err[0]; a++) {
        for (size_t b = a + 1; b < n && !err[0]; b++) {
            scan_log *x = &logs[a], *y = &logs[b];
            uint64_t lo = x->first > y->first ? x->first : y->first;
            uint64_t hi = x->last < y->last ? x->last : y->last;
            uint64_t k = 0;
            for (uint64_t j = lo; j <= hi; j++)
                if (x->terms[j - x->first] == y->terms[j - y->first])
                    k = j;
            for (uint64_t j = lo; j <= k && j != 0; j++) {
                if (x->terms[j - x->first] != y->terms[j - y->first]) {
                    snprintf(err, sizeof err,
                             "log matching: n%llu and n%llu agree at index %llu but differ at "
                             "%llu (terms %llu vs %llu)",
                             (unsigned long long)x->s->id, (unsigned long long)y->s->id,
                             (unsigned long long)k, (unsigned long long)j,
                             (unsigned long long)x->terms[j - x->first],
                             (unsigned long long)y->terms[j - y->first]);
                    break;
                }
            }
        }
    }
    for (size_t k = 0; k < n; k++)
        free(logs[k].terms);
    if (err[0])
        sim_fail("%s", err);
}

void sim_check_final(void)
{
    sim_slot *l = sim_top_leader();
    if (l == NULL)
        sim_fail("final: no leader");
    sim_conf c;
    sim_conf_of(l, &c);
    uint64_t st[RAFTC_ST_COUNT];
    sim_node_status(l, st);
    uint64_t commit = st[RAFTC_ST_COMMIT];
    size_t n_ids = (size_t)S.next_payload + 1;
    uint8_t *seen = sim_xmalloc(n_ids);
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if (s->state != SLOT_UP || !sim_conf_has(&c, s->id) ||
            sim_stranded(s, st[RAFTC_ST_TERM]))
            continue;
        if (s->sm.applied != commit) {
            free(seen);
            sim_fail("final: n%llu applied %llu, the leader n%llu committed %llu",
                     (unsigned long long)s->id, (unsigned long long)s->sm.applied,
                     (unsigned long long)l->id, (unsigned long long)commit);
        }
        memset(seen, 0, n_ids);
        for (size_t k = 0; k < s->sm.n; k++) {
            uint64_t id = s->sm.pairs[k].id;
            if (id >= n_ids || seen[id]) {
                free(seen);
                sim_fail("exactly-once: n%llu's state machine holds payload %llu twice",
                         (unsigned long long)s->id, (unsigned long long)id);
            }
            seen[id] = 1;
        }
        for (size_t id = 1; id < n_ids && id < S.cap_id_index; id++) {
            if (S.id_index[id] != 0 && S.id_index[id] <= s->sm.applied && !seen[id]) {
                free(seen);
                sim_fail("exactly-once: n%llu never applied acknowledged payload %llu (index "
                         "%llu)",
                         (unsigned long long)s->id, (unsigned long long)id,
                         (unsigned long long)S.id_index[id]);
            }
        }
    }
    free(seen);
}
