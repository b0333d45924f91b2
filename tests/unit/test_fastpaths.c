/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_fastpaths.c: the performance paths agree with the general ones, seeded and deterministic:
 *  - the Ready field accessors (raftc_ready_entry_info / _committed_entry_info /
 *    _message_info) give what decoding the Ready's raftpb bytes gives, and
 *    raftc_memstorage_append_ready stores what raftc_memstorage_append of the bytes stores,
 *    over a 3-node cluster with proposals, drops and compactions;
 *  - raftc_message_encode's lean path (canonical entries copied verbatim, one-pass scalars) is
 *    byte-identical to protobuf-c's encoding of the same message, and raftc_message_decode's
 *    field scanner agrees with protobuf-c's decoder;
 *  - rc_wire_decode_message_pooled gives the struct rc_decode_message gives;
 *  - the compact memory storage behaves as a naive reference log under random appends (with
 *    conflicting tails), compactions, snapshots and size-limited reads.
 */
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
#include "log.h"
#include "memstorage.h"
#include "raftc.h"
#include "types.h"
#include "wire.h"

#define SEED 0xfa57a7c5eed5ull

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static uint64_t rnd_below(uint64_t n)
{
    return n == 0 ? 0 : rnd() % n;
}

static void seed(uint64_t s)
{
    rng_state = s;
    fprintf(stderr, "seed 0x%llx\n", (unsigned long long)s);
}

/* ---- a 3-node cluster over raftc.h: fast accessors vs raftpb bytes ---- */

#define NODES 3

typedef struct tnode {
    raftc_node *node;
    raftc_memstorage *ms;  /* fed by raftc_memstorage_append_ready */
    raftc_memstorage *ref; /* fed by raftc_memstorage_append of the Ready's bytes */
} tnode;

typedef struct tmsg {
    uint64_t to;
    uint8_t *buf;
    size_t len;
} tmsg;

typedef struct tnet {
    tnode n[NODES];
    tmsg *q;
    size_t nq, capq;
} tnet;

static void node_init(tnode *t, uint64_t id)
{
    static const uint64_t voters[NODES] = {1, 2, 3};
    raftc_sink *cs, *snap;
    const uint8_t *b, *sb;
    size_t l, sl;
    raftc_config *cfg;
    assert_int_equal(raftc_sink_new(&cs), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&snap), RAFTC_OK);
    assert_int_equal(raftc_conf_state_encode(cs, voters, NODES, NULL, 0, NULL, 0, NULL, 0, 0), 0);
    assert_int_equal(raftc_sink_get(&b, &l, cs, 0), RAFTC_OK);
    assert_int_equal(raftc_snapshot_encode(snap, 1, 1, b, l, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&sb, &sl, snap, 0), RAFTC_OK);
    assert_int_equal(raftc_memstorage_new(&t->ms), RAFTC_OK);
    assert_int_equal(raftc_memstorage_new(&t->ref), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(t->ms, sb, sl), RAFTC_OK);
    assert_int_equal(raftc_memstorage_apply_snapshot(t->ref, sb, sl), RAFTC_OK);
    assert_int_equal(raftc_config_new(&cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ID, id), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_APPLIED, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, 4096), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, 8), RAFTC_OK);
    assert_int_equal(raftc_config_set_memstorage(cfg, t->ms), RAFTC_OK);
    assert_int_equal(raftc_node_new(&t->node, NULL, cfg), RAFTC_OK);
    raftc_config_free(cfg);
    raftc_sink_free(cs);
    raftc_sink_free(snap);
}

/* Compares an entry's field view with the decoding of its bytes. */
static void check_entry(const uint8_t *b, size_t l, uint64_t term, uint64_t index, int type,
                        const uint8_t *data, size_t dl)
{
    uint64_t t2, i2;
    raftc_entry_type ty2;
    const uint8_t *d2;
    size_t dl2;
    assert_int_equal(raftc_entry_decode(&t2, &i2, &ty2, &d2, &dl2, b, l), RAFTC_OK);
    assert_int_equal(term, t2);
    assert_int_equal(index, i2);
    assert_int_equal(type, ty2);
    assert_int_equal(dl, dl2);
    if (dl > 0)
        assert_memory_equal(data, d2, dl);
    else
        assert_null(data);
}

static void handle_ready(tnet *net, int k)
{
    tnode *t = &net->n[k];
    raftc_ready *rd;
    uint64_t info[RAFTC_RD_COUNT];
    assert_int_equal(raftc_node_ready(&rd, t->node), RAFTC_OK);
    assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
    if (info[RAFTC_RD_HAS_HARD_STATE]) {
        const uint8_t *b;
        size_t l;
        assert_int_equal(raftc_ready_hard_state(&b, &l, rd), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(t->ms, b, l), RAFTC_OK);
        assert_int_equal(raftc_memstorage_set_hard_state(t->ref, b, l), RAFTC_OK);
    }
    /* Some Readys are read through the fields only (their bytes never encoded). */
    int fields_only = rnd_below(4) == 0;
    for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
        uint64_t term, index;
        raftc_entry_type type;
        const uint8_t *d, *b;
        size_t dl, l;
        assert_int_equal(raftc_ready_entry_info(&term, &index, &type, &d, &dl, rd, i), RAFTC_OK);
        if (fields_only)
            continue;
        assert_int_equal(raftc_ready_entry(&b, &l, rd, i), RAFTC_OK);
        check_entry(b, l, term, index, type, d, dl);
        assert_int_equal(raftc_memstorage_append(t->ref, &b, &l, 1), RAFTC_OK);
    }
    assert_int_equal(raftc_ready_entry_info(NULL, NULL, NULL, NULL, NULL, rd,
                                            info[RAFTC_RD_N_ENTRIES]),
                     RAFTC_ENOTFOUND);
    if (info[RAFTC_RD_N_ENTRIES] > 0) {
        assert_int_equal(raftc_memstorage_append_ready(t->ms, rd), RAFTC_OK);
        if (fields_only) { /* the reference gets the bytes anyway (encoded after the fact) */
            for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
                const uint8_t *b;
                size_t l;
                assert_int_equal(raftc_ready_entry(&b, &l, rd, i), RAFTC_OK);
                assert_int_equal(raftc_memstorage_append(t->ref, &b, &l, 1), RAFTC_OK);
            }
        }
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        uint64_t term, index;
        raftc_entry_type type;
        const uint8_t *d, *b;
        size_t dl, l;
        assert_int_equal(raftc_ready_committed_entry_info(&term, &index, &type, &d, &dl, rd, i),
                         RAFTC_OK);
        assert_int_equal(raftc_ready_committed_entry(&b, &l, rd, i), RAFTC_OK);
        check_entry(b, l, term, index, type, d, dl);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
        uint64_t fast[RAFTC_MF_COUNT], slow[RAFTC_MF_COUNT];
        const uint8_t *b;
        size_t l;
        assert_int_equal(raftc_ready_message_info(fast, RAFTC_MF_COUNT, rd, i), RAFTC_OK);
        assert_int_equal(raftc_ready_message(&b, &l, rd, i), RAFTC_OK);
        assert_int_equal(raftc_message_decode(slow, RAFTC_MF_COUNT, b, l), RAFTC_OK);
        assert_memory_equal(fast, slow, sizeof(fast));
        if (rnd_below(10) == 0 || fast[RAFTC_MF_TO] < 1 || fast[RAFTC_MF_TO] > NODES)
            continue; /* dropped */
        if (net->nq == net->capq) {
            net->capq = net->capq ? net->capq * 2 : 64;
            net->q = realloc(net->q, net->capq * sizeof(tmsg));
            assert_non_null(net->q);
        }
        tmsg *m = &net->q[net->nq++];
        m->to = fast[RAFTC_MF_TO];
        m->len = l;
        m->buf = malloc(l ? l : 1);
        assert_non_null(m->buf);
        memcpy(m->buf, b, l);
    }
    assert_int_equal(raftc_node_advance(t->node), RAFTC_OK);
}

/* Both storages of a node hold the same log. */
static void check_storages(tnode *t)
{
    uint64_t f1, f2, l1, l2;
    assert_int_equal(raftc_memstorage_first_index(&f1, t->ms), RAFTC_OK);
    assert_int_equal(raftc_memstorage_first_index(&f2, t->ref), RAFTC_OK);
    assert_int_equal(raftc_memstorage_last_index(&l1, t->ms), RAFTC_OK);
    assert_int_equal(raftc_memstorage_last_index(&l2, t->ref), RAFTC_OK);
    assert_int_equal(f1, f2);
    assert_int_equal(l1, l2);
    if (l1 < f1)
        return;
    raftc_sink *a, *b;
    assert_int_equal(raftc_sink_new(&a), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&b), RAFTC_OK);
    assert_int_equal(raftc_memstorage_entries(a, t->ms, f1, l1 + 1, UINT64_MAX), RAFTC_OK);
    assert_int_equal(raftc_memstorage_entries(b, t->ref, f1, l1 + 1, UINT64_MAX), RAFTC_OK);
    assert_int_equal(raftc_sink_count(a), raftc_sink_count(b));
    for (size_t i = 0; i < raftc_sink_count(a); i++) {
        const uint8_t *pa, *pb;
        size_t la, lb;
        assert_int_equal(raftc_sink_get(&pa, &la, a, i), RAFTC_OK);
        assert_int_equal(raftc_sink_get(&pb, &lb, b, i), RAFTC_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(pa, pb, la);
    }
    raftc_sink_free(a);
    raftc_sink_free(b);
}

static void test_ready_fast_paths(void **state)
{
    (void)state;
    seed(SEED);
    tnet net;
    memset(&net, 0, sizeof(net));
    for (int k = 0; k < NODES; k++)
        node_init(&net.n[k], (uint64_t)k + 1);
    assert_int_equal(raftc_node_campaign(net.n[0].node), RAFTC_OK);
    uint8_t payload[300];
    for (int round = 0; round < 600; round++) {
        size_t props = rnd_below(6);
        for (size_t j = 0; j < props; j++) {
            size_t len = rnd_below(sizeof(payload) + 1);
            for (size_t b = 0; b < len; b++)
                payload[b] = (uint8_t)rnd();
            int rc = raftc_node_propose(net.n[rnd_below(NODES)].node, payload, len);
            assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
        }
        if (rnd_below(3) == 0)
            assert_int_equal(raftc_node_tick(net.n[rnd_below(NODES)].node), RAFTC_OK);
        for (int k = 0; k < NODES; k++)
            if (raftc_node_has_ready(net.n[k].node))
                handle_ready(&net, k);
        size_t nq = net.nq;
        net.nq = 0;
        for (size_t i = 0; i < nq; i++) {
            tmsg *m = &net.q[i];
            int rc = raftc_node_step(net.n[m->to - 1].node, m->buf, m->len);
            assert_true(rc == RAFTC_OK || rc == RAFTC_EPROPOSAL_DROPPED);
            free(m->buf);
        }
        if (round % 97 == 96) {
            for (int k = 0; k < NODES; k++) {
                uint64_t st[RAFTC_ST_COUNT], first;
                assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, net.n[k].node), 0);
                assert_int_equal(raftc_memstorage_first_index(&first, net.n[k].ms), RAFTC_OK);
                uint64_t to = st[RAFTC_ST_APPLIED] > 3 ? st[RAFTC_ST_APPLIED] - 3 : 0;
                if (to >= first) {
                    assert_int_equal(raftc_memstorage_compact(net.n[k].ms, to), RAFTC_OK);
                    assert_int_equal(raftc_memstorage_compact(net.n[k].ref, to), RAFTC_OK);
                }
            }
        }
        for (int k = 0; k < NODES; k++)
            check_storages(&net.n[k]);
    }
    uint64_t st[RAFTC_ST_COUNT];
    assert_int_equal(raftc_node_status_info(st, RAFTC_ST_COUNT, net.n[0].node), RAFTC_OK);
    assert_true(st[RAFTC_ST_COMMIT] > 100); /* the run did replicate */
    for (int k = 0; k < NODES; k++) {
        raftc_node_free(net.n[k].node);
        raftc_memstorage_free(net.n[k].ms);
        raftc_memstorage_free(net.n[k].ref);
    }
    free(net.q);
}

/* ---- raftc_message_encode / raftc_message_decode vs protobuf-c ---- */

static uint64_t rnd_val(void)
{
    switch (rnd_below(5)) {
    case 0: return 0;
    case 1: return rnd_below(200);
    case 2: return (1ull << rnd_below(64)) - rnd_below(2);
    default: return rnd() >> rnd_below(64);
    }
}

static void test_message_encode_info(void **state)
{
    (void)state;
    seed(SEED + 1);
    raftc_sink *ents, *out;
    assert_int_equal(raftc_sink_new(&ents), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&out), RAFTC_OK);
    uint8_t data[200], ctx[100];
    for (int round = 0; round < 5000; round++) {
        uint64_t f[RAFTC_MF_REJECT_HINT + 1];
        for (int k = 0; k <= RAFTC_MF_REJECT_HINT; k++)
            f[k] = rnd_val();
        f[RAFTC_MF_TYPE] = rnd_below(RAFTC_MSG_FORGET_LEADER + 1);
        f[RAFTC_MF_REJECT] = rnd_below(2);
        size_t n = rnd_below(4), cl = rnd_below(3) == 0 ? rnd_below(sizeof(ctx)) : 0;
        const uint8_t *ptrs[4];
        size_t lens[4];
        rc_entry ev[4];
        raftc_sink_reset(ents);
        for (size_t i = 0; i < n; i++) {
            size_t dl = rnd_below(sizeof(data));
            for (size_t b = 0; b < dl; b++)
                data[b] = (uint8_t)rnd();
            uint64_t term = rnd_val(), index = rnd_val();
            int type = (int)rnd_below(3);
            assert_int_equal(raftc_entry_encode(ents, term, index, type, data, dl), RAFTC_OK);
            ev[i] = (rc_entry){.term = term, .index = index, .type = (rc_entry_type)type};
            assert_int_equal(rc_bytes_set(&ev[i].data, data, dl), RC_OK);
        }
        for (size_t i = 0; i < n; i++)
            assert_int_equal(raftc_sink_get(&ptrs[i], &lens[i], ents, i), RAFTC_OK);
        for (size_t b = 0; b < cl; b++)
            ctx[b] = (uint8_t)rnd();
        raftc_sink_reset(out);
        assert_int_equal(raftc_message_encode(out, f, RAFTC_MF_REJECT_HINT + 1, ptrs, lens, n,
                                              NULL, 0, ctx, cl),
                         RAFTC_OK);
        const uint8_t *got;
        size_t got_len;
        assert_int_equal(raftc_sink_get(&got, &got_len, out, 0), RAFTC_OK);
        /* protobuf-c's bytes of the same message */
        rc_message m = {.type = (rc_msg_type)f[RAFTC_MF_TYPE], .to = f[RAFTC_MF_TO],
                        .from = f[RAFTC_MF_FROM], .term = f[RAFTC_MF_TERM],
                        .log_term = f[RAFTC_MF_LOG_TERM], .index = f[RAFTC_MF_INDEX],
                        .commit = f[RAFTC_MF_COMMIT], .vote = f[RAFTC_MF_VOTE],
                        .reject = f[RAFTC_MF_REJECT] != 0,
                        .reject_hint = f[RAFTC_MF_REJECT_HINT], .entries = n ? ev : NULL,
                        .n_entries = n};
        m.context = (rc_bytes){cl ? ctx : NULL, cl, NULL};
        uint8_t *want;
        size_t want_len;
        assert_int_equal(rc_pb_encode_message(&want, &want_len, &m), RC_OK);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, got_len);
        /* and the field scanner reads back what protobuf-c reads */
        uint64_t info[RAFTC_MF_COUNT];
        assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, got, got_len), RAFTC_OK);
        rc_message back;
        assert_int_equal(rc_pb_decode_message(&back, want, want_len, 0), RC_OK);
        assert_int_equal(info[RAFTC_MF_TYPE], back.type);
        assert_int_equal(info[RAFTC_MF_TO], back.to);
        assert_int_equal(info[RAFTC_MF_FROM], back.from);
        assert_int_equal(info[RAFTC_MF_TERM], back.term);
        assert_int_equal(info[RAFTC_MF_LOG_TERM], back.log_term);
        assert_int_equal(info[RAFTC_MF_INDEX], back.index);
        assert_int_equal(info[RAFTC_MF_COMMIT], back.commit);
        assert_int_equal(info[RAFTC_MF_VOTE], back.vote);
        assert_int_equal(info[RAFTC_MF_REJECT], back.reject);
        assert_int_equal(info[RAFTC_MF_REJECT_HINT], back.reject_hint);
        assert_int_equal(info[RAFTC_MF_N_ENTRIES], back.n_entries);
        /* the entry views are the items raftc_message_decode_parts copies */
        const uint8_t *views[4];
        size_t view_lens[4], nv = 99;
        assert_int_equal(raftc_message_decode_entries(views, view_lens, 4, &nv, got, got_len), RAFTC_OK);
        assert_int_equal(nv, n);
        raftc_sink_reset(ents);
        assert_int_equal(raftc_message_decode_parts(ents, NULL, NULL, NULL, got, got_len), RAFTC_OK);
        for (size_t i = 0; i < n; i++) {
            const uint8_t *pp;
            size_t pl;
            assert_int_equal(raftc_sink_get(&pp, &pl, ents, i), RAFTC_OK);
            assert_int_equal(pl, view_lens[i]);
            assert_memory_equal(pp, views[i], pl);
        }
        /* the pooled decoder builds the struct the general one builds */
        rc_entries scratch = {0};
        rc_blob_pool pool = {0};
        rc_message pooled, general;
        int prc = rc_wire_decode_message_pooled(&pooled, want, want_len, &scratch, &pool, NULL);
        assert_int_equal(prc, RC_OK);
        assert_int_equal(rc_decode_message(&general, want, want_len, 0), RC_OK);
        assert_int_equal(pooled.n_entries, general.n_entries);
        for (size_t i = 0; i < pooled.n_entries; i++) {
            assert_int_equal(pooled.entries[i].index, general.entries[i].index);
            assert_int_equal(pooled.entries[i].data.len, general.entries[i].data.len);
            if (pooled.entries[i].data.len > 0)
                assert_memory_equal(pooled.entries[i].data.data, general.entries[i].data.data,
                                    pooled.entries[i].data.len);
        }
        assert_int_equal(pooled.context.len, general.context.len);
        assert_int_equal(pooled.commit, general.commit);
        if (prc == RC_OK)
            rc_wire_release_pooled_message(&pooled);
        rc_message_free(&general);
        rc_free(scratch.v);
        rc_blob_pool_free(&pool);
        rc_message_free(&back);
        rc_free(want);
        for (size_t i = 0; i < n; i++)
            rc_entry_free(&ev[i]);
    }
    raftc_sink_free(ents);
    raftc_sink_free(out);
}

/* Non-canonical entry bytes (fields out of order, a padded varint) take the general path and
 * still give protobuf-c's canonical bytes. */
static void test_message_encode_noncanonical(void **state)
{
    (void)state;
    static const uint8_t swapped[] = {0x10, 0x05, 0x08, 0x00, 0x18, 0x07, 0x22, 0x01, 0xaa};
    static const uint8_t padded[] = {0x08, 0x00, 0x10, 0x85, 0x00, 0x18, 0x07};
    static const uint8_t canon[] = {0x08, 0x00, 0x10, 0x05, 0x18, 0x07, 0x22, 0x01, 0xaa};
    assert_false(rc_wire_entry_is_canonical(swapped, sizeof(swapped)));
    assert_false(rc_wire_entry_is_canonical(padded, sizeof(padded)));
    assert_true(rc_wire_entry_is_canonical(canon, sizeof(canon)));
    uint64_t f[RAFTC_MF_REJECT_HINT + 1] = {[RAFTC_MF_TYPE] = RAFTC_MSG_APP, [RAFTC_MF_TO] = 2};
    raftc_sink *a, *b;
    assert_int_equal(raftc_sink_new(&a), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&b), RAFTC_OK);
    const uint8_t *pa[1] = {swapped}, *pb[1] = {canon};
    size_t la[1] = {sizeof(swapped)}, lb[1] = {sizeof(canon)};
    assert_int_equal(raftc_message_encode(a, f, RAFTC_MF_REJECT_HINT + 1, pa, la, 1, NULL, 0,
                                          NULL, 0),
                     RAFTC_OK);
    assert_int_equal(raftc_message_encode(b, f, RAFTC_MF_REJECT_HINT + 1, pb, lb, 1, NULL, 0,
                                          NULL, 0),
                     RAFTC_OK);
    const uint8_t *x, *y;
    size_t lx, ly;
    assert_int_equal(raftc_sink_get(&x, &lx, a, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&y, &ly, b, 0), RAFTC_OK);
    assert_int_equal(lx, ly);
    assert_memory_equal(x, y, lx);
    raftc_sink_free(a);
    raftc_sink_free(b);
}

/* ---- the compact memory storage vs a naive log ---- */

typedef struct ref_log {
    uint64_t offset, offset_term; /* the dummy */
    rc_entry *v;                   /* v[k] has index offset + 1 + k (payloads owned) */
    size_t n;
} ref_log;

static void ref_truncate(ref_log *r, size_t n)
{
    for (size_t k = n; k < r->n; k++)
        rc_entry_free(&r->v[k]);
    r->n = n;
}

static void check_same(rc_memstorage *ms, const ref_log *r)
{
    assert_int_equal(rc_memstorage_first_index(ms), r->offset + 1);
    assert_int_equal(rc_memstorage_last_index(ms), r->offset + r->n);
    uint64_t t;
    assert_int_equal(rc_memstorage_term(ms, r->offset, &t), RC_OK);
    assert_int_equal(t, r->offset_term);
    for (size_t k = 0; k < r->n; k++) {
        assert_int_equal(rc_memstorage_term(ms, r->offset + 1 + k, &t), RC_OK);
        assert_int_equal(t, r->v[k].term);
    }
    if (r->n == 0)
        return;
    uint64_t lo = r->offset + 1 + rnd_below(r->n), hi = lo + rnd_below(r->offset + r->n - lo + 1);
    uint64_t max = rnd_below(3) == 0 ? RC_NO_LIMIT : rnd_below(400);
    rc_entries got = {0};
    assert_int_equal(rc_memstorage_entries(ms, lo, hi, max, &got), RC_OK);
    size_t want = rc_limit_size(r->v + (lo - r->offset - 1), (size_t)(hi - lo), max);
    assert_int_equal(got.n, want);
    for (size_t k = 0; k < got.n; k++) {
        const rc_entry *w = &r->v[lo - r->offset - 1 + k];
        assert_int_equal(got.v[k].index, lo + k);
        assert_int_equal(got.v[k].term, w->term);
        assert_int_equal(got.v[k].type, w->type);
        assert_int_equal(got.v[k].data.len, w->data.len);
        if (w->data.len > 0)
            assert_memory_equal(got.v[k].data.data, w->data.data, w->data.len);
    }
    rc_entries_free(&got);
}

static void test_memstorage_model(void **state)
{
    (void)state;
    seed(SEED + 2);
    rc_memstorage *ms;
    assert_int_equal(rc_memstorage_new(&ms), RC_OK);
    ref_log r = {0};
    r.v = calloc(100000, sizeof(rc_entry));
    assert_non_null(r.v);
    rc_blob_pool pool = {0}; /* some payloads arrive in slabs, shared with the storage */
    uint64_t term = 1;
    uint8_t data[100];
    for (int round = 0; round < 3000; round++) {
        uint64_t op = rnd_below(20);
        if (op < 14) { /* append, possibly over a conflicting tail */
            uint64_t last = r.offset + r.n;
            uint64_t from = last + 1 - (r.n > 0 && rnd_below(4) == 0 ? rnd_below(r.n) + 1 : 0);
            if (rnd_below(6) == 0)
                term++;
            size_t n = 1 + rnd_below(20);
            rc_entry ents[20];
            for (size_t i = 0; i < n; i++) {
                size_t dl = rnd_below(4) == 0 ? 0 : rnd_below(sizeof(data));
                for (size_t b = 0; b < dl; b++)
                    data[b] = (uint8_t)rnd();
                ents[i] = (rc_entry){.term = term + (i > n / 2 && rnd_below(8) == 0),
                                     .index = from + i, .type = (rc_entry_type)rnd_below(3)};
                uint64_t how = rnd_below(3);
                if (how == 0)
                    assert_int_equal(rc_bytes_set_pooled(&ents[i].data, &pool, data, dl), RC_OK);
                else if (how == 1)
                    assert_int_equal(rc_bytes_set(&ents[i].data, data, dl), RC_OK);
                else if (dl > 0) /* a borrowed view: the storage copies it */
                    ents[i].data = (rc_bytes){(uint8_t *)malloc(dl), dl, NULL};
                if (how == 2 && dl > 0)
                    memcpy(ents[i].data.data, data, dl);
            }
            term = ents[n - 1].term;
            assert_int_equal(rc_memstorage_append(ms, ents, n), RC_OK);
            ref_truncate(&r, (size_t)(from - r.offset - 1));
            for (size_t i = 0; i < n; i++) {
                r.v[r.n] = (rc_entry){.term = ents[i].term, .index = ents[i].index,
                                      .type = ents[i].type};
                assert_int_equal(rc_bytes_set(&r.v[r.n].data, ents[i].data.data,
                                              ents[i].data.len),
                                 RC_OK);
                r.n++;
                if (ents[i].data.owner == NULL)
                    free(ents[i].data.data);
                else
                    rc_entry_free(&ents[i]);
            }
        } else if (op < 17 && r.n > 0) { /* compact */
            uint64_t to = r.offset + 1 + rnd_below(r.n);
            assert_int_equal(rc_memstorage_compact(ms, to), RC_OK);
            size_t k = (size_t)(to - r.offset);
            r.offset_term = r.v[k - 1].term;
            for (size_t i = 0; i < k; i++)
                rc_entry_free(&r.v[i]);
            memmove(r.v, r.v + k, (r.n - k) * sizeof(rc_entry));
            r.n -= k;
            r.offset = to;
        } else if (op == 19) { /* a newer snapshot replaces everything */
            rc_snapshot s = {0};
            s.metadata.index = r.offset + r.n + 1 + rnd_below(5);
            s.metadata.term = ++term;
            assert_int_equal(rc_memstorage_apply_snapshot(ms, &s), RC_OK);
            ref_truncate(&r, 0);
            r.offset = s.metadata.index;
            r.offset_term = s.metadata.term;
        }
        check_same(ms, &r);
    }
    ref_truncate(&r, 0);
    free(r.v);
    rc_blob_pool_free(&pool);
    rc_memstorage_free(ms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready_fast_paths),
        cmocka_unit_test(test_message_encode_info),
        cmocka_unit_test(test_message_encode_noncanonical),
        cmocka_unit_test(test_memstorage_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
