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
static inline int tn_snapshot(void *ud, rc_snapshot *out) { return rc_memstorage_snapshot(((tnode *)ud)->ms, out); }

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
 * at index 1) and hard state may be preloaded before tn_start. */
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

/* Moves every outgoing message (msgs, then msgs_after_append after persisting) into *out;
 * self-addressed ones are stepped right away (repeatedly). */
static inline void tn_read(tnode *n, rc_msgs *out)
{
    for (;;) {
        tn_persist(n);
        rc_raft *r = n->r;
        rc_msgs self = {0};
        for (int pass = 0; pass < 2; pass++) {
            rc_msgs *src = pass == 0 ? &r->msgs : &r->msgs_after_append;
            for (size_t i = 0; i < src->n; i++) {
                rc_message m = src->v[i];
                memset(&src->v[i], 0, sizeof(rc_message));
                rc_msgs_push(m.to == r->id ? &self : out, &m);
            }
            src->n = 0;
        }
        if (self.n == 0) {
            rc_msgs_free(&self);
            return;
        }
        for (size_t i = 0; i < self.n; i++)
            rc_raft_step(r, &self.v[i]);
        rc_msgs_free(&self);
    }
}

/* Steps m into n and persists the result (messages stay queued in raft). */
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
} tnet;

static inline tnet *net_new(size_t n, int election, int heartbeat)
{
    tnet *nw = calloc(1, sizeof(*nw));
    uint64_t ids[MAXN];
    for (size_t i = 0; i < n; i++)
        ids[i] = i + 1;
    nw->n = n;
    nw->drop_type = -1;
    for (size_t i = 1; i <= n; i++) {
        nw->nodes[i] = tn_new(i, ids, n);
        tn_start(nw->nodes[i], i, election, heartbeat);
    }
    return nw;
}

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
                    (int)m->type == nw->drop_type;
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

static inline void net_propose(tnet *nw, uint64_t id, const char *data)
{
    rc_entry e;
    memset(&e, 0, sizeof(e));
    e.data.data = (uint8_t *)data;
    e.data.len = strlen(data);
    rc_message m = tmsg(id, id, RC_MSG_PROP, 0);
    m.entries = &e;
    m.n_entries = 1;
    net_send_local(nw, id, m);
}

/* Takes (and clears) r's outgoing messages without persisting-order semantics. */
static inline void take_msgs(rc_raft *r, rc_msgs *out)
{
    for (int pass = 0; pass < 2; pass++) {
        rc_msgs *src = pass == 0 ? &r->msgs : &r->msgs_after_append;
        for (size_t i = 0; i < src->n; i++) {
            rc_message m = src->v[i];
            memset(&src->v[i], 0, sizeof(rc_message));
            rc_msgs_push(out, &m);
        }
        src->n = 0;
    }
}

static inline size_t count_type(const rc_msgs *ms, rc_msg_type t)
{
    size_t c = 0;
    for (size_t i = 0; i < ms->n; i++)
        c += ms->v[i].type == t;
    return c;
}

static inline void all_entries(rc_raft *r, rc_entries *out)
{
    memset(out, 0, sizeof(*out));
    assert_int_equal(rc_log_all_entries(&r->raft_log, out), RC_OK);
}

#endif
