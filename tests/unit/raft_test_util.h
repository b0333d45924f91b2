/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft_test_util.h: a tiny in-process cluster for the raft state machine tests: nodes over
 * rc_memstorage, persistence emulation (unstable entries/hard state -> storage, then the
 * msgs_after_append are released), and a FIFO network with drop filters. Header-only (static).
 */
#ifndef RAFT_TEST_UTIL_H
#define RAFT_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "codec.h"
#include "memstorage.h"
#include "raft.h"
#include "raft_internal.h"
#include "strbuf.h"

#define TSEED 0x5eedULL
#define MAXN 8

/* ---- logging: keeps every line; prints with RAFTC_TEST_VERBOSE=1 ---- */

typedef struct tlog {
    rc_strbuf all;
    int panics;
} tlog;

static tlog g_tlog;

static inline void tlog_fn(void *ud, int level, const char *msg)
{
    (void)ud;
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR", "FATAL", "PANIC"};
    rc_strbuf_printf(&g_tlog.all, "%s %s\n", names[level], msg);
    if (level == RC_LOG_PANIC)
        g_tlog.panics++;
    if (getenv("RAFTC_TEST_VERBOSE") != NULL)
        fprintf(stderr, "%s %s\n", names[level], msg);
}

static inline void tlog_reset(void)
{
    rc_strbuf_reset(&g_tlog.all);
    g_tlog.panics = 0;
}

static inline bool tlog_has(const char *needle) { return strstr(rc_strbuf_str(&g_tlog.all), needle) != NULL; }

/* ---- a node: memstorage + a storage view whose InitialState carries the voters ---- */

typedef struct tnode {
    rc_memstorage *ms;
    rc_ids voters;
    rc_ids learners;
    rc_storage_ops ops;
    rc_raft *r;
    bool snap_unavailable; /* Snapshot() answers RC_ERR_SNAP_TEMP_UNAVAILABLE */
} tnode;

static inline int tn_initial_state(void *ud, rc_hard_state *hs, rc_conf_state *cs)
{
    tnode *n = ud;
    int rc = rc_memstorage_initial_state(n->ms, hs, cs);
    if (rc != RC_OK)
        return rc;
    if (cs->voters.n == 0 && cs->learners.n == 0) {
        rc_ids_free(&cs->voters);
        rc_ids_free(&cs->learners);
        rc_ids_copy(&cs->voters, &n->voters);
        rc_ids_copy(&cs->learners, &n->learners);
    }
    return RC_OK;
}
static inline int tn_entries(void *ud, uint64_t lo, uint64_t hi, uint64_t max, rc_entries *out)
{
    return rc_memstorage_entries(((tnode *)ud)->ms, lo, hi, max, out);
}
static inline int tn_term(void *ud, uint64_t i, uint64_t *t) { return rc_memstorage_term(((tnode *)ud)->ms, i, t); }
static inline int tn_first(void *ud, uint64_t *i)
{
    *i = rc_memstorage_first_index(((tnode *)ud)->ms);
    return RC_OK;
}
static inline int tn_last(void *ud, uint64_t *i)
{
    *i = rc_memstorage_last_index(((tnode *)ud)->ms);
    return RC_OK;
}
static inline int tn_snapshot(void *ud, rc_snapshot *out)
{
    tnode *n = ud;
    if (n->snap_unavailable)
        return RC_ERR_SNAP_TEMP_UNAVAILABLE;
    return rc_memstorage_snapshot(n->ms, out);
}

static inline rc_config tcfg(uint64_t id, int election, int heartbeat)
{
    rc_config c;
    memset(&c, 0, sizeof(c));
    c.id = id;
    c.election_tick = election;
    c.heartbeat_tick = heartbeat;
    c.max_size_per_msg = UINT64_MAX;
    c.max_inflight_msgs = 256;
    c.logger.fn = tlog_fn;
    c.rand_seed = TSEED;
    return c;
}

/* Creates the storage side of a node with the given voters; entries (term per index, starting
 * at index 1) and hard state may be preloaded before tn_start. id only names the node at the
 * call site: the raft ID is the one given to tn_start. */
static inline tnode *tn_new(uint64_t id, const uint64_t *voters, size_t nv)
{
    (void)id;
    tnode *n = calloc(1, sizeof(*n));
    assert_non_null(n);
    assert_int_equal(rc_memstorage_new(&n->ms), RC_OK);
    for (size_t i = 0; i < nv; i++)
        rc_ids_push(&n->voters, voters[i]);
    n->ops.initial_state = tn_initial_state;
    n->ops.entries = tn_entries;
    n->ops.term = tn_term;
    n->ops.first_index = tn_first;
    n->ops.last_index = tn_last;
    n->ops.snapshot = tn_snapshot;
    return n;
}

static inline void tn_preload_terms(tnode *n, const uint64_t *terms, size_t k)
{
    rc_entry *es = calloc(k, sizeof(rc_entry));
    for (size_t i = 0; i < k; i++) {
        es[i].index = i + 1;
        es[i].term = terms[i];
    }
    assert_int_equal(rc_memstorage_append(n->ms, es, k), RC_OK);
    free(es);
}

static inline void tn_start_cfg(tnode *n, rc_config c)
{
    c.storage.ops = &n->ops;
    c.storage.ud = n;
    const char *err = NULL;
    assert_int_equal(rc_raft_new(&n->r, &c, &err), RC_OK);
}

static inline void tn_start(tnode *n, uint64_t id, int election, int heartbeat)
{
    tn_start_cfg(n, tcfg(id, election, heartbeat));
}

/* tn_new with voters 1..nv (nv <= MAXN). */
static inline tnode *tn_new_voters(uint64_t id, size_t nv)
{
    uint64_t ids[MAXN];
    for (size_t i = 0; i < nv; i++)
        ids[i] = i + 1;
    return tn_new(id, ids, nv);
}

static inline void tn_free(tnode *n)
{
    if (n == NULL)
        return;
    rc_raft_free(n->r);
    rc_memstorage_free(n->ms);
    rc_ids_free(&n->voters);
    rc_ids_free(&n->learners);
    free(n);
}

/* Persists what raft wants persisted (etcd's Ready handling in sync mode): unstable snapshot
 * and entries to storage, the hard state, then marks them stable. */
static inline void tn_persist(tnode *n)
{
    rc_raft *r = n->r;
    const rc_snapshot *snap = rc_log_next_unstable_snapshot(&r->raft_log);
    if (snap != NULL) {
        assert_int_equal(rc_memstorage_apply_snapshot(n->ms, snap), RC_OK);
        rc_log_stable_snap_to(&r->raft_log, snap->metadata.index);
    }
    const rc_entry *ents = NULL;
    size_t k = 0;
    rc_log_next_unstable_ents(&r->raft_log, &ents, &k);
    if (k > 0) {
        uint64_t li = ents[k - 1].index, lt = ents[k - 1].term;
        assert_int_equal(rc_memstorage_append(n->ms, ents, k), RC_OK);
        rc_log_accept_unstable(&r->raft_log);
        rc_log_stable_to(&r->raft_log, li, lt);
    }
    rc_hard_state hs = rc_raft_hard_state(r);
    rc_memstorage_set_hard_state(n->ms, &hs);
}

/* Moves r's outgoing messages (msgs, then msgs_after_append) into *out, or into *self for those
 * addressed to r itself when self is not NULL; r's queues are left empty. */
static inline void take_msgs_split(rc_raft *r, rc_msgs *out, rc_msgs *self)
{
    for (int pass = 0; pass < 2; pass++) {
        rc_msgs *src = pass == 0 ? &r->msgs : &r->msgs_after_append;
        for (size_t i = 0; i < src->n; i++) {
            rc_message m = src->v[i];
            memset(&src->v[i], 0, sizeof(rc_message));
            rc_msgs_push(self != NULL && m.to == r->id ? self : out, &m);
        }
        src->n = 0;
    }
}

/* Takes (and clears) r's outgoing messages without persisting-order semantics. */
static inline void take_msgs(rc_raft *r, rc_msgs *out) { take_msgs_split(r, out, NULL); }

/* Moves every outgoing message (msgs, then msgs_after_append after persisting) into *out;
 * self-addressed ones are stepped right away (repeatedly). */
static inline void tn_read(tnode *n, rc_msgs *out)
{
    for (;;) {
        tn_persist(n);
        rc_raft *r = n->r;
        rc_msgs self = {0};
        take_msgs_split(r, out, &self);
        if (self.n == 0) {
            rc_msgs_free(&self);
            return;
        }
        for (size_t i = 0; i < self.n; i++)
            rc_raft_step(r, &self.v[i]);
        rc_msgs_free(&self);
    }
}

/* Steps m into n (nothing is persisted: messages and unstable entries stay in raft). */
static inline int tn_step(tnode *n, const rc_message *m) { return rc_raft_step(n->r, m); }

static inline rc_message tmsg(uint64_t from, uint64_t to, rc_msg_type type, uint64_t term)
{
    rc_message m;
    memset(&m, 0, sizeof(m));
    m.from = from;
    m.to = to;
    m.type = type;
    m.term = term;
    return m;
}

/* ---- network ---- */

typedef struct tnet {
    tnode *nodes[MAXN + 1];
    size_t n;
    bool drop_to[MAXN + 1];   /* isolate: drop everything to these */
    bool drop_from[MAXN + 1]; /* and everything from these */
    int drop_type;            /* -1: none */
    /* Optional extra filter: returns true to drop m. */
    bool (*filter)(const rc_message *m, void *ud);
    void *filter_ud;
} tnet;

static inline void net_free(tnet *nw)
{
    for (size_t i = 1; i <= nw->n; i++)
        tn_free(nw->nodes[i]);
    free(nw);
}

/* Delivers msgs (consumed) and everything they cause, until quiescent. */
static inline void net_deliver(tnet *nw, rc_msgs *q)
{
    for (size_t i = 0; i < q->n; i++) {
        rc_message *m = &q->v[i];
        bool drop = m->to == 0 || m->to > nw->n || nw->nodes[m->to] == NULL ||
                    nw->drop_to[m->to] || (m->from <= MAXN && nw->drop_from[m->from]) ||
                    (int)m->type == nw->drop_type ||
                    (nw->filter != NULL && nw->filter(m, nw->filter_ud));
        if (!drop) {
            tnode *t = nw->nodes[m->to];
            rc_raft_step(t->r, m);
            tn_read(t, q);
        }
    }
    rc_msgs_free(q);
}

/* Steps a local message on node id, then runs the network to quiescence. */
static inline void net_send_local(tnet *nw, uint64_t id, rc_message m)
{
    rc_msgs q = {0};
    rc_raft_step(nw->nodes[id]->r, &m);
    tn_read(nw->nodes[id], &q);
    net_deliver(nw, &q);
}

/* Flushes every node's pending output into the network. */
static inline void net_flush(tnet *nw)
{
    rc_msgs q = {0};
    for (size_t i = 1; i <= nw->n; i++)
        tn_read(nw->nodes[i], &q);
    net_deliver(nw, &q);
}

static inline void net_campaign(tnet *nw, uint64_t id)
{
    net_send_local(nw, id, tmsg(id, id, RC_MSG_HUP, 0));
}

/* A local message of type t from `from` to `to` carrying one entry whose data is the string
 * data; *e (the caller's) holds the entry, so the message is valid while *e is. */
static inline rc_message one_entry_msg(rc_entry *e, uint64_t from, uint64_t to, rc_msg_type t,
                                       const char *data)
{
    memset(e, 0, sizeof(*e));
    e->data.data = (uint8_t *)data;
    e->data.len = strlen(data);
    rc_message m = tmsg(from, to, t, 0);
    m.entries = e;
    m.n_entries = 1;
    return m;
}

static inline void net_propose(tnet *nw, uint64_t id, const char *data)
{
    rc_entry e;
    net_send_local(nw, id, one_entry_msg(&e, id, id, RC_MSG_PROP, data));
}

static inline size_t count_type(const rc_msgs *ms, rc_msg_type t)
{
    size_t c = 0;
    for (size_t i = 0; i < ms->n; i++)
        c += ms->v[i].type == t;
    return c;
}

/* The first message of type t addressed to `to` (0: any) in ms, or NULL. */
static inline const rc_message *find_msg(const rc_msgs *ms, rc_msg_type t, uint64_t to)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->v[i].type == t && (to == 0 || ms->v[i].to == to))
            return &ms->v[i];
    return NULL;
}

static inline size_t count_msgs(const rc_msgs *ms, rc_msg_type t, uint64_t to)
{
    size_t c = 0;
    for (size_t i = 0; i < ms->n; i++)
        c += ms->v[i].type == t && ms->v[i].to == to;
    return c;
}

/* ---- extended construction: custom config, learners ---- */

typedef void (*tcfg_mut)(rc_config *c);

/* nv voters (ids 1..nv) and nl learners (ids nv+1..nv+nl); mut (may be NULL) edits each
 * node's config before it starts. */
static inline tnet *net_new_ex(size_t nv, size_t nl, int election, int heartbeat, tcfg_mut mut)
{
    assert_true(nv + nl <= MAXN);
    tnet *nw = calloc(1, sizeof(*nw));
    assert_non_null(nw);
    nw->n = nv + nl;
    nw->drop_type = -1;
    for (size_t i = 1; i <= nw->n; i++) {
        nw->nodes[i] = tn_new_voters(i, nv);
        for (size_t j = nv + 1; j <= nv + nl; j++)
            rc_ids_push(&nw->nodes[i]->learners, j);
        rc_config c = tcfg(i, election, heartbeat);
        if (mut != NULL)
            mut(&c);
        tn_start_cfg(nw->nodes[i], c);
    }
    return nw;
}

/* n voters (ids 1..n) with the default config. */
static inline tnet *net_new(size_t n, int election, int heartbeat)
{
    return net_new_ex(n, 0, election, heartbeat, NULL);
}

/* Starts node 1 over n's (prepared) storage with election 10 / heartbeat 1 and mut (may be
 * NULL), and makes it leader at the next term: its empty entry is appended and self-acked,
 * and its initial appends are discarded. */
static inline void tn_start_leader(tnode *n, tcfg_mut mut)
{
    rc_config c = tcfg(1, 10, 1);
    if (mut != NULL)
        mut(&c);
    tn_start_cfg(n, c);
    rc_raft_become_candidate(n->r);
    assert_int_equal(rc_raft_become_leader(n->r), RC_OK);
    rc_msgs ms = {0};
    tn_read(n, &ms);
    rc_msgs_free(&ms);
}

/* A standalone leader (id 1) of voters 1..nv at term 1 (tn_start_leader over an empty
 * storage). Followers are played by the test. */
static inline tnode *tleader_new(size_t nv, tcfg_mut mut)
{
    tnode *n = tn_new_voters(1, nv);
    tn_start_leader(n, mut);
    return n;
}

/* Applies the next page of committed entries like an application would (sync mode): conf
 * changes go through rc_raft_apply_conf_change, then a MsgStorageApplyResp is stepped.
 * Returns how many entries the page had (0: nothing to apply). */
static inline size_t tn_apply(tnode *n)
{
    rc_raft *r = n->r;
    rc_entries ents = {0};
    assert_int_equal(rc_log_next_committed_ents(&r->raft_log, true, &ents), RC_OK);
    size_t k = ents.n;
    if (k == 0) {
        rc_entries_free(&ents);
        return 0;
    }
    assert_int_equal(rc_log_accept_applying(&r->raft_log, ents.v[k - 1].index,
                                            rc_entries_size(ents.v, k), true),
                     RC_OK);
    for (size_t i = 0; i < k; i++) {
        const rc_entry *e = &ents.v[i];
        rc_conf_change_v2 cc;
        memset(&cc, 0, sizeof(cc));
        if (e->type == RC_ENTRY_CONF_CHANGE) {
            rc_conf_change v1;
            memset(&v1, 0, sizeof(v1));
            assert_int_equal(rc_decode_conf_change(&v1, e->data.data, e->data.len), RC_OK);
            assert_int_equal(rc_cc_v1_as_v2(&cc, &v1), RC_OK);
            rc_conf_change_free(&v1);
        } else if (e->type == RC_ENTRY_CONF_CHANGE_V2) {
            assert_int_equal(rc_decode_conf_change_v2(&cc, e->data.data, e->data.len), RC_OK);
        } else {
            continue;
        }
        rc_conf_state cs;
        memset(&cs, 0, sizeof(cs));
        assert_int_equal(rc_raft_apply_conf_change(r, &cc, &cs), RC_OK);
        rc_conf_state_free(&cs);
        rc_conf_change_v2_free(&cc);
    }
    rc_message m = tmsg(RC_LOCAL_APPLY_THREAD, r->id, RC_MSG_STORAGE_APPLY_RESP, 0);
    m.entries = ents.v;
    m.n_entries = k;
    assert_int_equal(rc_raft_step(r, &m), RC_OK);
    rc_entries_free(&ents);
    return k;
}

/* Applies everything committed on every node, then runs the network to quiescence. */
static inline void net_apply(tnet *nw)
{
    for (size_t i = 1; i <= nw->n; i++)
        while (tn_apply(nw->nodes[i]) > 0) {
        }
    net_flush(nw);
}

/* Ticks node id k times, running the network after each tick. */
static inline void net_tick(tnet *nw, uint64_t id, int k)
{
    for (int i = 0; i < k; i++) {
        assert_int_equal(rc_raft_tick(nw->nodes[id]->r), RC_OK);
        net_flush(nw);
    }
}

/* A local MsgReadIndex carrying ctx. The entry is static storage: step it right away. */
static inline rc_message read_index_msg(uint64_t from, uint64_t to, const char *ctx)
{
    static rc_entry e;
    return one_entry_msg(&e, from, to, RC_MSG_READ_INDEX, ctx);
}

/* A local MsgProp with one entry of data. Same static-storage caveat. */
static inline rc_message prop_msg(uint64_t id, const char *data)
{
    static rc_entry e;
    return one_entry_msg(&e, id, id, RC_MSG_PROP, data);
}

/* Steps a local proposal of data into r; returns rc_raft_step's result. */
static inline int tn_propose(rc_raft *r, const char *data)
{
    rc_message p = prop_msg(r->id, data);
    return rc_raft_step(r, &p);
}

/* Whether the read state list holds (index, ctx) at position i. */
static inline bool rs_is(const rc_raft *r, size_t i, uint64_t index, const char *ctx)
{
    if (i >= r->read_states.n)
        return false;
    const rc_read_state *rs = &r->read_states.v[i];
    return rs->index == index && rs->request_ctx.len == strlen(ctx) &&
           memcmp(rs->request_ctx.data, ctx, rs->request_ctx.len) == 0;
}

static inline void all_entries(rc_raft *r, rc_entries *out)
{
    memset(out, 0, sizeof(*out));
    assert_int_equal(rc_log_all_entries(&r->raft_log, out), RC_OK);
}

#endif
