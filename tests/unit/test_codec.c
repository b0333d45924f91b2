/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_codec.c: unit tests for core/codec.c: round trips of every struct and message type,
 * hand-written wire vectors (packed/unpacked, field order, unknown fields, empty snapshots),
 * malformed input, allocation-failure injection and a seeded mutation loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "codec.h"
#include "types.h"
#include "wire.h"

/* ---- builders and deep equality ---- */

static void set_bytes(rc_bytes *b, const char *s)
{
    assert_int_equal(rc_bytes_set(b, s, strlen(s)), RC_OK);
}

static void push_ids(rc_ids *ids, const uint64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_ids_push(ids, v[i]), RC_OK);
}

static void fill_conf_state(rc_conf_state *cs)
{
    static const uint64_t voters[] = {3, 1, 2}, learners[] = {4}, out[] = {1, 2, UINT64_MAX},
                          next[] = {5, 6};
    push_ids(&cs->voters, voters, 3);
    push_ids(&cs->learners, learners, 1);
    push_ids(&cs->voters_outgoing, out, 3);
    push_ids(&cs->learners_next, next, 2);
    cs->auto_leave = true;
}

static void fill_snapshot(rc_snapshot *s)
{
    memset(s, 0, sizeof(*s));
    set_bytes(&s->data, "snapshot-data");
    s->metadata.index = 1000;
    s->metadata.term = 7;
    fill_conf_state(&s->metadata.conf_state);
}

/* A message of type t with every field set (depth 0 gets one response). */
static void fill_message(rc_message *m, rc_msg_type t, int depth)
{
    memset(m, 0, sizeof(*m));
    m->type = t;
    m->to = 2;
    m->from = 1;
    m->term = 5 + (uint64_t)t;
    m->log_term = 4;
    m->index = 300; /* two-byte varint */
    m->commit = UINT64_MAX;
    m->vote = 3;
    m->reject = true;
    m->reject_hint = 99;
    set_bytes(&m->context, "ctx\x01");
    m->n_entries = 3;
    m->entries = rc_calloc(3, sizeof(rc_entry));
    for (size_t i = 0; i < 3; i++) {
        m->entries[i].term = 4;
        m->entries[i].index = 301 + i;
        m->entries[i].type = (rc_entry_type)i;
    }
    set_bytes(&m->entries[0].data, "hello");
    /* entries[1] without data; entries[2] with 200 bytes (two-byte length) */
    uint8_t big[200];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)i;
    assert_int_equal(rc_bytes_set(&m->entries[2].data, big, sizeof(big)), RC_OK);
    m->snapshot = rc_calloc(1, sizeof(rc_snapshot));
    fill_snapshot(m->snapshot);
    if (depth == 0) {
        m->n_responses = 2;
        m->responses = rc_calloc(2, sizeof(rc_message));
        fill_message(&m->responses[0], RC_MSG_APP_RESP, 1);
        m->responses[1].type = RC_MSG_STORAGE_APPLY_RESP;
        m->responses[1].index = 5;
    }
}

static void assert_bytes_eq(const rc_bytes *a, const rc_bytes *b)
{
    assert_int_equal(a->len, b->len);
    if (a->len == 0) {
        assert_null(a->data);
        assert_null(b->data);
        return;
    }
    assert_memory_equal(a->data, b->data, a->len);
}

static void assert_ids_eq(const rc_ids *a, const rc_ids *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_int_equal(a->v[i], b->v[i]);
}

static void assert_conf_state_eq(const rc_conf_state *a, const rc_conf_state *b)
{
    assert_ids_eq(&a->voters, &b->voters);
    assert_ids_eq(&a->learners, &b->learners);
    assert_ids_eq(&a->voters_outgoing, &b->voters_outgoing);
    assert_ids_eq(&a->learners_next, &b->learners_next);
    assert_int_equal(a->auto_leave, b->auto_leave);
}

static void assert_snapshot_eq(const rc_snapshot *a, const rc_snapshot *b)
{
    assert_bytes_eq(&a->data, &b->data);
    assert_int_equal(a->metadata.index, b->metadata.index);
    assert_int_equal(a->metadata.term, b->metadata.term);
    assert_conf_state_eq(&a->metadata.conf_state, &b->metadata.conf_state);
}

static void assert_entry_eq(const rc_entry *a, const rc_entry *b)
{
    assert_int_equal(a->term, b->term);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->type, b->type);
    assert_bytes_eq(&a->data, &b->data);
}

static void assert_message_eq(const rc_message *a, const rc_message *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->to, b->to);
    assert_int_equal(a->from, b->from);
    assert_int_equal(a->term, b->term);
    assert_int_equal(a->log_term, b->log_term);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->commit, b->commit);
    assert_int_equal(a->vote, b->vote);
    assert_int_equal(a->reject, b->reject);
    assert_int_equal(a->reject_hint, b->reject_hint);
    assert_bytes_eq(&a->context, &b->context);
    assert_int_equal(a->n_entries, b->n_entries);
    for (size_t i = 0; i < a->n_entries; i++)
        assert_entry_eq(&a->entries[i], &b->entries[i]);
    assert_int_equal(a->snapshot == NULL, b->snapshot == NULL);
    if (a->snapshot != NULL)
        assert_snapshot_eq(a->snapshot, b->snapshot);
    assert_int_equal(a->n_responses, b->n_responses);
    for (size_t i = 0; i < a->n_responses; i++)
        assert_message_eq(&a->responses[i], &b->responses[i]);
}

/* encode -> size check -> decode -> equal -> re-encode gives identical bytes */
static void roundtrip_message(const rc_message *m)
{
    uint8_t *buf = NULL, *buf2 = NULL;
    size_t len = 0, len2 = 0;
    assert_int_equal(rc_encode_message(&buf, &len, m), RC_OK);
    assert_int_equal(len, rc_message_encoded_size(m));
    rc_message d;
    assert_int_equal(rc_decode_message(&d, buf, len, 0), RC_OK);
    assert_message_eq(m, &d);
    assert_int_equal(rc_encode_message(&buf2, &len2, &d), RC_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(buf, buf2, len);
    rc_message_free(&d);
    rc_free(buf);
    rc_free(buf2);
}

/* ---- round trips ---- */

static void test_roundtrip_all_message_types(void **state)
{
    (void)state;
    for (int t = 0; t < RC_MSG_TYPE_COUNT; t++) {
        rc_message m;
        fill_message(&m, (rc_msg_type)t, 0);
        roundtrip_message(&m);
        rc_message_free(&m);

        rc_message bare = {0};
        bare.type = (rc_msg_type)t;
        roundtrip_message(&bare);
    }
}

static void test_roundtrip_zero_message(void **state)
{
    (void)state;
    rc_message m = {0};
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &m), RC_OK);
    assert_int_equal(len, 0); /* only set fields are written */
    rc_free(buf);
    rc_message d;
    assert_int_equal(rc_decode_message(&d, NULL, 0, 0), RC_OK);
    assert_message_eq(&m, &d);
}

static void test_roundtrip_entry(void **state)
{
    (void)state;
    static const uint64_t vals[] = {0, 1, 127, 128, 16383, 16384, UINT64_MAX};
    for (size_t i = 0; i < 7; i++) {
        for (int t = 0; t < 3; t++) {
            for (size_t dl = 0; dl < 300; dl += 127) {
                rc_entry e = {vals[i], vals[6 - i], (rc_entry_type)t, {NULL, 0}};
                uint8_t data[300];
                memset(data, 'd', sizeof(data));
                assert_int_equal(rc_bytes_set(&e.data, data, dl), RC_OK);
                uint8_t *buf;
                size_t len;
                assert_int_equal(rc_encode_entry(&buf, &len, &e), RC_OK);
                assert_int_equal(len, rc_entry_encoded_size(&e));
                rc_entry d;
                assert_int_equal(rc_decode_entry(&d, buf, len), RC_OK);
                assert_entry_eq(&e, &d);
                rc_entry_free(&d);
                rc_entry_free(&e);
                rc_free(buf);
            }
        }
    }
}

/* The entry profile: Type, Term and Index are always written (etcd's Entry.Size()). */
static void test_entry_size_profile(void **state)
{
    (void)state;
    rc_entry e = {0, 0, RC_ENTRY_NORMAL, {NULL, 0}};
    assert_int_equal(rc_entry_encoded_size(&e), 6);
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_entry(&buf, &len, &e), RC_OK);
    static const uint8_t want0[] = {0x08, 0x00, 0x10, 0x00, 0x18, 0x00};
    assert_int_equal(len, sizeof(want0));
    assert_memory_equal(buf, want0, len);
    rc_free(buf);

    rc_entry f = {1, 5, RC_ENTRY_NORMAL, {NULL, 0}};
    set_bytes(&f.data, "foo");
    assert_int_equal(rc_entry_encoded_size(&f), 11);
    assert_int_equal(rc_encode_entry(&buf, &len, &f), RC_OK);
    static const uint8_t want1[] = {0x08, 0x00, 0x10, 0x01, 0x18, 0x05, 0x22, 0x03, 'f', 'o', 'o'};
    assert_int_equal(len, sizeof(want1));
    assert_memory_equal(buf, want1, len);
    rc_free(buf);
    rc_entry_free(&f);
}

static void test_roundtrip_hard_state(void **state)
{
    (void)state;
    rc_hard_state hs[] = {{0, 0, 0}, {1, 2, 3}, {UINT64_MAX, 0, 128}};
    for (size_t i = 0; i < 3; i++) {
        uint8_t *buf;
        size_t len;
        assert_int_equal(rc_encode_hard_state(&buf, &len, &hs[i]), RC_OK);
        rc_hard_state d;
        assert_int_equal(rc_decode_hard_state(&d, buf, len), RC_OK);
        assert_true(rc_hard_state_equal(&hs[i], &d));
        rc_free(buf);
    }
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_hard_state(&buf, &len, &hs[1]), RC_OK);
    static const uint8_t want[] = {0x08, 0x01, 0x10, 0x02, 0x18, 0x03};
    assert_int_equal(len, sizeof(want));
    assert_memory_equal(buf, want, len);
    rc_free(buf);
}

static void test_roundtrip_conf_state_and_snapshot(void **state)
{
    (void)state;
    rc_conf_state cs = {0};
    fill_conf_state(&cs);
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_conf_state(&buf, &len, &cs), RC_OK);
    rc_conf_state dcs;
    assert_int_equal(rc_decode_conf_state(&dcs, buf, len), RC_OK);
    assert_conf_state_eq(&cs, &dcs);
    rc_conf_state_free(&dcs);
    rc_free(buf);
    /* unpacked repeated fields, as etcd writes them */
    rc_conf_state one = {0};
    push_ids(&one.voters, (const uint64_t[]){1, 2}, 2);
    assert_int_equal(rc_encode_conf_state(&buf, &len, &one), RC_OK);
    static const uint8_t want[] = {0x08, 0x01, 0x08, 0x02};
    assert_int_equal(len, sizeof(want));
    assert_memory_equal(buf, want, len);
    rc_free(buf);
    rc_conf_state_free(&one);
    rc_conf_state_free(&cs);

    rc_snapshot s;
    fill_snapshot(&s);
    assert_int_equal(rc_encode_snapshot(&buf, &len, &s), RC_OK);
    rc_snapshot ds;
    assert_int_equal(rc_decode_snapshot(&ds, buf, len), RC_OK);
    assert_snapshot_eq(&s, &ds);
    rc_snapshot_free(&ds);
    rc_free(buf);
    rc_snapshot_free(&s);

    rc_snapshot empty = {0};
    assert_int_equal(rc_encode_snapshot(&buf, &len, &empty), RC_OK);
    assert_int_equal(len, 0);
    assert_int_equal(rc_decode_snapshot(&ds, buf, len), RC_OK);
    assert_snapshot_eq(&empty, &ds);
    rc_free(buf);
}

static void test_roundtrip_conf_changes(void **state)
{
    (void)state;
    for (int t = 0; t < 4; t++) {
        rc_conf_change cc = {(uint64_t)t * 1000, (rc_cc_type)t, 5, {NULL, 0}};
        if (t % 2)
            set_bytes(&cc.context, "cc-ctx");
        uint8_t *buf;
        size_t len;
        assert_int_equal(rc_encode_conf_change(&buf, &len, &cc), RC_OK);
        rc_conf_change d;
        assert_int_equal(rc_decode_conf_change(&d, buf, len), RC_OK);
        assert_int_equal(d.id, cc.id);
        assert_int_equal(d.type, cc.type);
        assert_int_equal(d.node_id, cc.node_id);
        assert_bytes_eq(&d.context, &cc.context);
        rc_conf_change_free(&d);
        rc_conf_change_free(&cc);
        rc_free(buf);
    }
    for (int tr = 0; tr < 3; tr++) {
        rc_conf_change_v2 cc = {(rc_cc_transition)tr, NULL, 0, {NULL, 0}};
        cc.n_changes = 4;
        cc.changes = rc_calloc(4, sizeof(rc_cc_single));
        for (size_t i = 0; i < 4; i++) {
            cc.changes[i].type = (rc_cc_type)i;
            cc.changes[i].node_id = i; /* includes node 0 / AddNode: all-default single */
        }
        set_bytes(&cc.context, "v2");
        uint8_t *buf;
        size_t len;
        assert_int_equal(rc_encode_conf_change_v2(&buf, &len, &cc), RC_OK);
        rc_conf_change_v2 d;
        assert_int_equal(rc_decode_conf_change_v2(&d, buf, len), RC_OK);
        assert_int_equal(d.transition, cc.transition);
        assert_int_equal(d.n_changes, 4);
        for (size_t i = 0; i < 4; i++) {
            assert_int_equal(d.changes[i].type, cc.changes[i].type);
            assert_int_equal(d.changes[i].node_id, cc.changes[i].node_id);
        }
        assert_bytes_eq(&d.context, &cc.context);
        rc_conf_change_v2_free(&d);
        rc_conf_change_v2_free(&cc);
        rc_free(buf);
    }
    /* empty data decodes to an empty V2 (leave joint) */
    rc_conf_change_v2 d;
    assert_int_equal(rc_decode_conf_change_v2(&d, NULL, 0), RC_OK);
    assert_int_equal(d.transition, RC_CC_TRANSITION_AUTO);
    assert_int_equal(d.n_changes, 0);
}

/* ---- hand-written vectors ---- */

#define DECODE_OK(m, bytes) \
    assert_int_equal(rc_decode_message(&(m), (bytes), sizeof(bytes), 0), RC_OK)
#define DECODE_ERR(bytes, err)                                              \
    do {                                                                    \
        rc_message m_;                                                      \
        assert_int_equal(rc_decode_message(&m_, (bytes), sizeof(bytes), 0), (err)); \
        assert_int_equal(m_.type, 0);                                       \
        assert_null(m_.entries);                                            \
        assert_null(m_.responses);                                          \
    } while (0)

static void test_packed_vs_unpacked(void **state)
{
    (void)state;
    static const uint8_t unpacked[] = {0x08, 0x01, 0x08, 0x02, 0x08, 0x03, 0x10, 0x04, 0x28, 0x01};
    static const uint8_t packed[] = {0x0a, 0x03, 0x01, 0x02, 0x03, 0x12, 0x01, 0x04, 0x28, 0x01};
    static const uint8_t mixed[] = {0x08, 0x01, 0x0a, 0x02, 0x02, 0x03, 0x12, 0x01, 0x04, 0x28, 0x01};
    rc_conf_state a, b, c;
    assert_int_equal(rc_decode_conf_state(&a, unpacked, sizeof(unpacked)), RC_OK);
    assert_int_equal(rc_decode_conf_state(&b, packed, sizeof(packed)), RC_OK);
    assert_int_equal(rc_decode_conf_state(&c, mixed, sizeof(mixed)), RC_OK);
    assert_int_equal(a.voters.n, 3);
    assert_int_equal(a.voters.v[2], 3);
    assert_int_equal(a.learners.v[0], 4);
    assert_true(a.auto_leave);
    assert_conf_state_eq(&a, &b);
    assert_conf_state_eq(&a, &c);
    rc_conf_state_free(&a);
    rc_conf_state_free(&b);
    rc_conf_state_free(&c);
}

static void test_field_order_and_unknown_fields(void **state)
{
    (void)state;
    /* MsgApp to=2 from=1 term=3 commit=4 vote=5, entries [{term 3 idx 7 "x"}] */
    static const uint8_t in_order[] = {0x08, 0x03, 0x10, 0x02, 0x18, 0x01, 0x20, 0x03,
                                       0x3a, 0x07, 0x10, 0x03, 0x18, 0x07, 0x22, 0x01, 'x',
                                       0x40, 0x04, 0x68, 0x05};
    static const uint8_t shuffled[] = {0x68, 0x05, 0x3a, 0x07, 0x22, 0x01, 'x', 0x18, 0x07,
                                       0x10, 0x03, 0x40, 0x04, 0x18, 0x01, 0x10, 0x02, 0x08,
                                       0x03, 0x20, 0x03};
    static const uint8_t unknown[] = {
        0xa0, 0x01, 0x96, 0x01,                                     /* field 20 varint */
        0x08, 0x03, 0x10, 0x02, 0x18, 0x01,
        0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,                         /* field 21 fixed64 */
        0x20, 0x03,
        0x3a, 0x0c, 0x10, 0x03, 0xb2, 0x01, 0x02, 'z', 'z',         /* field 22 in an entry */
        0x18, 0x07, 0x22, 0x01, 'x',
        0xb2, 0x01, 0x03, 'a', 'b', 'c',                            /* field 22 bytes */
        0x40, 0x04,
        0xbd, 0x01, 9, 9, 9, 9,                                     /* field 23 fixed32 */
        0x68, 0x05};
    rc_message a, b, c;
    DECODE_OK(a, in_order);
    DECODE_OK(b, shuffled);
    DECODE_OK(c, unknown);
    assert_int_equal(a.type, RC_MSG_APP);
    assert_int_equal(a.to, 2);
    assert_int_equal(a.from, 1);
    assert_int_equal(a.term, 3);
    assert_int_equal(a.commit, 4);
    assert_int_equal(a.vote, 5);
    assert_int_equal(a.n_entries, 1);
    assert_int_equal(a.entries[0].index, 7);
    assert_memory_equal(a.entries[0].data.data, "x", 1);
    assert_message_eq(&a, &b);
    assert_message_eq(&a, &c);
    /* our encoder writes exactly the in-order form */
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &a), RC_OK);
    assert_int_equal(len, sizeof(in_order) + 2); /* + the always-written entry Type (08 00) */
    rc_free(buf);
    rc_message_free(&a);
    rc_message_free(&b);
    rc_message_free(&c);
}

static void test_empty_snapshot_tolerated(void **state)
{
    (void)state;
    static const uint8_t app_empty_snap[] = {0x08, 0x03, 0x4a, 0x00};
    static const uint8_t app_empty_md[] = {0x08, 0x03, 0x4a, 0x04, 0x12, 0x02, 0x0a, 0x00};
    static const uint8_t app_real_snap[] = {0x08, 0x03, 0x4a, 0x04, 0x12, 0x02, 0x10, 0x05};
    static const uint8_t snap_empty_snap[] = {0x08, 0x07, 0x4a, 0x00};
    rc_message m;
    DECODE_OK(m, app_empty_snap);
    assert_int_equal(m.type, RC_MSG_APP);
    assert_null(m.snapshot);
    rc_message_free(&m);
    DECODE_OK(m, app_empty_md);
    assert_null(m.snapshot);
    rc_message_free(&m);
    DECODE_OK(m, app_real_snap);
    assert_non_null(m.snapshot);
    assert_int_equal(m.snapshot->metadata.index, 5);
    rc_message_free(&m);
    DECODE_OK(m, snap_empty_snap);
    assert_int_equal(m.type, RC_MSG_SNAP);
    assert_non_null(m.snapshot);
    assert_true(rc_snapshot_is_empty(m.snapshot));
    roundtrip_message(&m);
    rc_message_free(&m);

    /* the encoder drops a blank snapshot on a non-MsgSnap message */
    rc_message e = {0};
    e.type = RC_MSG_HEARTBEAT;
    rc_snapshot blank = {0};
    e.snapshot = &blank;
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &e), RC_OK);
    assert_int_equal(len, 2);
    assert_int_equal(rc_message_encoded_size(&e), 2);
    rc_free(buf);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    static const uint8_t wrong_wt_to[] = {0x08, 0x03, 0x12, 0x01, 0x00};  /* to as bytes */
    static const uint8_t wrong_wt_ents[] = {0x08, 0x03, 0x38, 0x01};      /* entries as varint */
    static const uint8_t wrong_wt_type[] = {0x0d, 1, 0, 0, 0};            /* type as fixed32 */
    static const uint8_t overlong_varint[] = {0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    static const uint8_t overlong_tag[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0x01, 0x00};
    static const uint8_t absurd_len[] = {0x62, 0x80, 0x80, 0x80, 0x80, 0x80,
                                         0x80, 0x80, 0x80, 0x40, 'a'}; /* context len 2^62 */
    static const uint8_t short_len[] = {0x62, 0x05, 'a', 'b'};
    static const uint8_t group[] = {0x0b, 0x0c};                          /* start/end group */
    static const uint8_t bad_wt[] = {0x0e, 0x00};                         /* wire type 6 */
    static const uint8_t trunc_fixed[] = {0xa9, 0x01, 1, 2, 3};
    DECODE_ERR(wrong_wt_to, RC_ERR_DECODE);
    DECODE_ERR(wrong_wt_ents, RC_ERR_DECODE);
    DECODE_ERR(wrong_wt_type, RC_ERR_DECODE);
    DECODE_ERR(overlong_varint, RC_ERR_DECODE);
    DECODE_ERR(overlong_tag, RC_ERR_DECODE);
    DECODE_ERR(absurd_len, RC_ERR_DECODE);
    DECODE_ERR(short_len, RC_ERR_DECODE);
    DECODE_ERR(group, RC_ERR_DECODE);
    DECODE_ERR(bad_wt, RC_ERR_DECODE);
    DECODE_ERR(trunc_fixed, RC_ERR_DECODE);

    rc_entry e;
    static const uint8_t entry_bad_type[] = {0x08, 0x05};
    assert_int_equal(rc_decode_entry(&e, entry_bad_type, sizeof(entry_bad_type)), RC_ERR_DECODE);
    assert_null(e.data.data);
    static const uint8_t entry_absurd[] = {0x22, 0xff, 0xff, 0xff, 0xff, 0x0f};
    assert_int_equal(rc_decode_entry(&e, entry_absurd, sizeof(entry_absurd)), RC_ERR_DECODE);
    rc_conf_change cc;
    static const uint8_t cc_bad_type[] = {0x10, 0x04, 0x22, 0x01, 'x'};
    assert_int_equal(rc_decode_conf_change(&cc, cc_bad_type, sizeof(cc_bad_type)), RC_ERR_DECODE);
    assert_null(cc.context.data);
    rc_conf_change_v2 v2;
    static const uint8_t v2_bad_tr[] = {0x08, 0x03};
    static const uint8_t v2_bad_single[] = {0x12, 0x02, 0x08, 0x01, 0x12, 0x02, 0x08, 0x09};
    assert_int_equal(rc_decode_conf_change_v2(&v2, v2_bad_tr, sizeof(v2_bad_tr)), RC_ERR_DECODE);
    assert_int_equal(rc_decode_conf_change_v2(&v2, v2_bad_single, sizeof(v2_bad_single)),
                     RC_ERR_DECODE);
    assert_null(v2.changes);
    rc_hard_state hs;
    static const uint8_t hs_bad[] = {0x08};
    assert_int_equal(rc_decode_hard_state(&hs, hs_bad, sizeof(hs_bad)), RC_ERR_DECODE);
    rc_message m;
    assert_int_equal(rc_decode_message(&m, NULL, 5, 0), RC_ERR_INVALID);
}

static void test_unknown_type(void **state)
{
    (void)state;
    static const uint8_t type99[] = {0x08, 0x63, 0x10, 0x01};
    static const uint8_t type24[] = {0x08, 0x18};
    static const uint8_t type_neg[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0x01};
    static const uint8_t resp99[] = {0x08, 0x13, 0x72, 0x02, 0x08, 0x63};
    static const uint8_t type23[] = {0x08, 0x17};
    DECODE_ERR(type99, RC_ERR_UNKNOWN_TYPE);
    DECODE_ERR(type24, RC_ERR_UNKNOWN_TYPE);
    DECODE_ERR(type_neg, RC_ERR_UNKNOWN_TYPE);
    DECODE_ERR(resp99, RC_ERR_UNKNOWN_TYPE);
    rc_message m;
    DECODE_OK(m, type23);
    assert_int_equal(m.type, RC_MSG_FORGET_LEADER);
    rc_message_free(&m);
    /* the encoder refuses what the decoder would refuse */
    rc_message bad = {0};
    bad.type = (rc_msg_type)99;
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &bad), RC_ERR_INVALID);
    assert_null(buf);
}

static void test_nesting(void **state)
{
    (void)state;
    static const uint8_t one_level[] = {0x08, 0x13, 0x72, 0x02, 0x08, 0x04};
    static const uint8_t two_levels[] = {0x08, 0x13, 0x72, 0x04, 0x72, 0x02, 0x08, 0x04};
    static const uint8_t two_levels_empty[] = {0x08, 0x13, 0x72, 0x02, 0x72, 0x00};
    static const uint8_t inner_resp_varint[] = {0x08, 0x13, 0x72, 0x02, 0x70, 0x01};
    rc_message m;
    DECODE_OK(m, one_level);
    assert_int_equal(m.n_responses, 1);
    assert_int_equal(m.responses[0].type, RC_MSG_APP_RESP);
    rc_message_free(&m);
    DECODE_ERR(two_levels, RC_ERR_DECODE);
    DECODE_ERR(two_levels_empty, RC_ERR_DECODE);
    DECODE_ERR(inner_resp_varint, RC_ERR_DECODE);

    /* very deep nesting must fail cleanly, not exhaust the stack in the unpacker */
    const size_t depth = 200000;
    size_t cap = depth * 8 + 16;
    uint8_t *buf = rc_malloc(cap);
    assert_non_null(buf);
    size_t start = cap - 2, end = cap;
    buf[start] = 0x08;
    buf[start + 1] = 0x04;
    for (size_t i = 0; i < depth; i++) {
        size_t inner = end - start;
        uint8_t hdr[12];
        size_t h = 0;
        hdr[h++] = 0x72;
        do {
            hdr[h++] = (uint8_t)((inner & 0x7f) | (inner >= 0x80 ? 0x80 : 0));
            inner >>= 7;
        } while (inner != 0);
        start -= h;
        memcpy(buf + start, hdr, h);
    }
    assert_int_equal(rc_decode_message(&m, buf + start, end - start, 0), RC_ERR_DECODE);
    rc_free(buf);

    /* the encoder refuses two levels */
    rc_message outer = {0}, mid = {0}, inner = {0};
    outer.type = RC_MSG_STORAGE_APPEND;
    mid.type = RC_MSG_APP_RESP;
    mid.responses = &inner;
    mid.n_responses = 1;
    outer.responses = &mid;
    outer.n_responses = 1;
    uint8_t *out;
    size_t len;
    assert_int_equal(rc_encode_message(&out, &len, &outer), RC_ERR_INVALID);
}

static void test_max_len(void **state)
{
    (void)state;
    rc_message m;
    fill_message(&m, RC_MSG_APP, 0);
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &m), RC_OK);
    rc_message d;
    assert_int_equal(rc_decode_message(&d, buf, len, len - 1), RC_ERR_TOO_LARGE);
    assert_null(d.entries);
    assert_int_equal(rc_decode_message(&d, buf, len, len), RC_OK);
    rc_message_free(&d);
    assert_int_equal(rc_decode_message(&d, buf, len, 1), RC_ERR_TOO_LARGE);
    rc_free(buf);
    rc_message_free(&m);
}

static void test_truncated_prefixes(void **state)
{
    (void)state;
    rc_message m;
    fill_message(&m, RC_MSG_STORAGE_APPEND, 0);
    uint8_t *buf;
    size_t len;
    assert_int_equal(rc_encode_message(&buf, &len, &m), RC_OK);
    size_t ok = 0;
    for (size_t n = 0; n < len; n++) {
        /* copy into an exact-size heap block so ASan catches any over-read */
        uint8_t *p = rc_malloc(n);
        memcpy(p, buf, n);
        rc_message d;
        int rc = rc_decode_message(&d, p, n, 0);
        assert_true(rc == RC_OK || rc == RC_ERR_DECODE);
        if (rc == RC_OK) {
            ok++;
            rc_message_free(&d);
        }
        rc_free(p);
    }
    assert_true(ok > 0 && ok < len); /* field boundaries decode, mid-field cuts do not */
    rc_free(buf);
    rc_message_free(&m);
}

/* ---- allocation failure injection ---- */

static long g_allow; /* allocations still allowed; < 0 = unlimited */
static long g_live;

static void *fail_malloc(void *ud, size_t n)
{
    (void)ud;
    if (g_allow == 0)
        return NULL;
    if (g_allow > 0)
        g_allow--;
    g_live++;
    return test_malloc(n);
}

static void *fail_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (g_allow == 0)
        return NULL;
    if (g_allow > 0)
        g_allow--;
    if (p == NULL)
        g_live++;
    return test_realloc(p, n);
}

static void fail_free(void *ud, void *p)
{
    (void)ud;
    g_live--;
    test_free(p);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    rc_message m;
    fill_message(&m, RC_MSG_STORAGE_APPEND, 0);
    uint8_t *ref;
    size_t ref_len;
    assert_int_equal(rc_encode_message(&ref, &ref_len, &m), RC_OK);

    rc_allocator a = {fail_malloc, fail_realloc, fail_free, NULL};
    rc_set_allocator(&a);
    g_live = 0;
    long k;
    for (k = 0;; k++) {
        g_allow = k;
        rc_message d;
        int rc = rc_decode_message(&d, ref, ref_len, 0);
        if (rc == RC_OK) {
            assert_true(g_live > 0); /* protobuf-c and the copy went through our hooks */
            rc_message_free(&d);
            assert_int_equal(g_live, 0);
            break;
        }
        assert_true(rc == RC_ERR_DECODE || rc == RC_ERR_NOMEM);
        assert_int_equal(g_live, 0);
        assert_true(k < 10000);
    }
    for (k = 0;; k++) {
        g_allow = k;
        uint8_t *buf;
        size_t len;
        int rc = rc_encode_message(&buf, &len, &m);
        if (rc == RC_OK) {
            assert_int_equal(len, ref_len);
            assert_memory_equal(buf, ref, len);
            rc_free(buf);
            assert_int_equal(g_live, 0);
            break;
        }
        assert_int_equal(rc, RC_ERR_NOMEM);
        assert_null(buf);
        assert_int_equal(g_live, 0);
        assert_true(k < 10000);
    }
    g_allow = -1;
    rc_set_allocator(NULL);
    rc_free(ref);
    rc_message_free(&m);
}

/* ---- seeded mutation loop ---- */

static uint64_t g_rng;

static uint64_t rng_next(void)
{
    /* xorshift64* */
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1DULL;
}

static void test_mutations(void **state)
{
    (void)state;
    const uint64_t seed = 0x5eed2026ULL;
    const int iterations = 30000;
    g_rng = seed;
    print_message("mutation loop: seed=0x%llx iterations=%d\n", (unsigned long long)seed,
                  iterations);

    enum { N_SAMPLES = 4 };
    uint8_t *samples[N_SAMPLES];
    size_t lens[N_SAMPLES];
    rc_msg_type types[N_SAMPLES] = {RC_MSG_APP, RC_MSG_SNAP, RC_MSG_STORAGE_APPEND,
                                    RC_MSG_HEARTBEAT};
    for (int i = 0; i < N_SAMPLES; i++) {
        rc_message m;
        fill_message(&m, types[i], 0);
        if (i == 3) { /* a small one too */
            rc_message_free(&m);
            m.type = RC_MSG_HEARTBEAT;
            m.to = 2;
            m.commit = 9;
            set_bytes(&m.context, "12345678");
        }
        assert_int_equal(rc_encode_message(&samples[i], &lens[i], &m), RC_OK);
        rc_message_free(&m);
    }

    size_t decoded_ok = 0;
    for (int it = 0; it < iterations; it++) {
        int s = (int)(rng_next() % N_SAMPLES);
        size_t len = lens[s];
        uint8_t *p = rc_malloc(len + 8);
        memcpy(p, samples[s], len);
        int muts = 1 + (int)(rng_next() % 4);
        for (int k = 0; k < muts && len > 0; k++) {
            size_t pos = (size_t)(rng_next() % len);
            switch (rng_next() % 5) {
            case 0: p[pos] ^= (uint8_t)(1u << (rng_next() % 8)); break;
            case 1: p[pos] = (uint8_t)rng_next(); break;
            case 2: len = pos; break;                               /* truncate */
            case 3:                                                 /* delete a byte */
                memmove(p + pos, p + pos + 1, len - pos - 1);
                len--;
                break;
            default:                                                /* boundary values */
                p[pos] = (rng_next() & 1) ? 0xff : 0x80;
                break;
            }
        }
        uint8_t *exact = rc_malloc(len); /* exact size: ASan sees over-reads */
        memcpy(exact, p, len);
        rc_message d;
        int rc = rc_decode_message(&d, exact, len, 0);
        if (rc == RC_OK) {
            decoded_ok++;
            uint8_t *re;
            size_t re_len;
            assert_int_equal(rc_encode_message(&re, &re_len, &d), RC_OK);
            assert_int_equal(re_len, rc_message_encoded_size(&d));
            rc_message d2;
            assert_int_equal(rc_decode_message(&d2, re, re_len, 0), RC_OK);
            assert_message_eq(&d, &d2);
            rc_message_free(&d2);
            rc_free(re);
            rc_message_free(&d);
        } else {
            assert_true(rc == RC_ERR_DECODE || rc == RC_ERR_UNKNOWN_TYPE);
        }
        rc_free(exact);
        rc_free(p);
    }
    print_message("mutation loop: %zu of %d mutated buffers decoded\n", decoded_ok, iterations);
    for (int i = 0; i < N_SAMPLES; i++)
        rc_free(samples[i]);
}

/* ---- the one entry point (codec_view.c) agrees with the decoders, on both paths ---- */

typedef struct seen_entries {
    const rc_message *m;
    size_t n;
} seen_entries;

static int check_entry_item(void *ud, const uint8_t *b, size_t l)
{
    seen_entries *se = ud;
    assert_true(se->n < se->m->n_entries);
    rc_entry e;
    assert_int_equal(rc_decode_entry(&e, b, l), RC_OK);
    assert_entry_eq(&e, &se->m->entries[se->n]);
    rc_entry_free(&e);
    se->n++;
    return 0;
}

/* Every entry point of codec_view.c on buf against the reference (protobuf-c alone,
 * rc_pb_decode_message): same result, same struct. */
static void check_entry_points(const uint8_t *buf, size_t len, rc_entries *scratch,
                               rc_blob_pool *pool)
{
    rc_message d, ref;
    int want = rc_pb_decode_message(&ref, buf, len, 0);
    assert_int_equal(rc_decode_message(&d, buf, len, 0), want);
    if (want == RC_OK) {
        assert_message_eq(&d, &ref);
        rc_message_free(&ref);
    }
    uint8_t *visits = rc_malloc(len > 0 ? len : 1);
    assert_int_equal(rc_wire_trace_decode(RC_WIRE_MESSAGE, visits, buf, len), want);
    rc_free(visits);
    rc_step_message sm;
    assert_int_equal(rc_decode_step_message(&sm, buf, len, 0, scratch, pool, NULL), want);
    rc_message_summary sum;
    seen_entries se = {&d, 0};
    assert_int_equal(rc_summarize_message(&sum, buf, len, 0, want == RC_OK ? check_entry_item :
                                          NULL, &se), want);
    if (want == RC_OK) {
        assert_message_eq(&sm.m, &d);
        rc_step_message_release(&sm);
        assert_int_equal(sum.f.type, (uint64_t)d.type);
        assert_int_equal(sum.f.to, d.to);
        assert_int_equal(sum.f.from, d.from);
        assert_int_equal(sum.f.term, d.term);
        assert_int_equal(sum.f.log_term, d.log_term);
        assert_int_equal(sum.f.index, d.index);
        assert_int_equal(sum.f.commit, d.commit);
        assert_int_equal(sum.f.vote, d.vote);
        assert_int_equal(sum.f.reject, d.reject ? 1 : 0);
        assert_int_equal(sum.f.reject_hint, d.reject_hint);
        assert_int_equal(sum.n_entries, d.n_entries);
        assert_int_equal(sum.has_snapshot, d.snapshot != NULL);
        assert_int_equal(sum.n_responses, d.n_responses);
        assert_int_equal(sum.context_len, d.context.len);
        if (d.context.len > 0)
            assert_memory_equal(sum.context, d.context.data, d.context.len);
        assert_int_equal(se.n, d.n_entries);
        rc_message_free(&d);
    }
}

static void check_entry_view(const uint8_t *buf, size_t len, rc_blob_pool *pool)
{
    rc_entry d, pooled, ref;
    int want = rc_pb_decode_entry(&ref, buf, len);
    assert_int_equal(rc_decode_entry(&d, buf, len), want);
    if (want == RC_OK) {
        assert_entry_eq(&d, &ref);
        rc_entry_free(&ref);
    }
    uint64_t term, index;
    rc_entry_type type;
    const uint8_t *data;
    size_t data_len;
    assert_int_equal(rc_view_entry(&term, &index, &type, &data, &data_len, buf, len), want);
    assert_int_equal(rc_decode_entry_pooled(&pooled, buf, len, pool), want);
    if (want != RC_OK)
        return;
    assert_int_equal(term, d.term);
    assert_int_equal(index, d.index);
    assert_int_equal(type, d.type);
    assert_int_equal(data_len, d.data.len);
    if (data_len > 0) {
        assert_true(data >= buf && data + data_len <= buf + len); /* a view into buf */
        assert_memory_equal(data, d.data.data, data_len);
    }
    assert_entry_eq(&pooled, &d);
    rc_entry_free(&pooled);
    rc_entry_free(&d);
}

/* ---- hand-made bytes ---- */

typedef struct wbuf {
    uint8_t b[1024];
    size_t n;
} wbuf;

static void w_varint(wbuf *w, uint64_t v)
{
    do {
        w->b[w->n++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        v >>= 7;
    } while (v != 0);
}

static void w_tag(wbuf *w, uint64_t field, unsigned wt)
{
    w_varint(w, field << 3 | wt);
}

static void w_u64(wbuf *w, uint64_t field, uint64_t v)
{
    w_tag(w, field, 0);
    w_varint(w, v);
}

static void w_bytes(wbuf *w, uint64_t field, const void *p, size_t n)
{
    w_tag(w, field, 2);
    w_varint(w, n);
    memcpy(w->b + w->n, p, n);
    w->n += n;
}

/* Appends field `field` holding the bytes of sub (an embedded message). */
static void w_sub(wbuf *w, uint64_t field, const wbuf *sub)
{
    w_bytes(w, field, sub->b, sub->n);
}

/* Unknown fields of every wire type the decoders skip. */
static void w_unknowns(wbuf *w)
{
    static const uint8_t fixed[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    w_u64(w, 100, 300);
    w_tag(w, 101, 1);
    memcpy(w->b + w->n, fixed, 8);
    w->n += 8;
    w_tag(w, 102, 5);
    memcpy(w->b + w->n, fixed, 4);
    w->n += 4;
    w_bytes(w, 103, "xyz", 3);
}

static void w_entry(wbuf *w, uint64_t index, bool unknowns)
{
    wbuf e = {.n = 0};
    w_u64(&e, 1, 0);
    w_u64(&e, 2, 5);
    w_u64(&e, 3, index);
    w_bytes(&e, 4, "data", 4);
    if (unknowns)
        w_unknowns(&e);
    w_sub(w, 7, &e);
}

static void w_snapshot(wbuf *w, uint64_t index, const char *data)
{
    rc_snapshot s = {0};
    s.metadata.index = index;
    s.metadata.term = 2;
    assert_int_equal(rc_ids_push(&s.metadata.conf_state.voters, 1), RC_OK);
    assert_int_equal(rc_ids_push(&s.metadata.conf_state.voters, 2), RC_OK);
    set_bytes(&s.data, data);
    uint8_t *b;
    size_t n;
    assert_int_equal(rc_encode_snapshot(&b, &n, &s), RC_OK);
    w_bytes(w, 9, b, n);
    rc_free(b);
    rc_snapshot_free(&s);
}

/* MsgStorageAppend with entries, a snapshot, a context and responses, with unknown fields at
 * the top, inside an entry and inside a response; reject as a length-delimited field (protobuf-c
 * reads a bool from any wire type). */
static void sample_unknown_fields(wbuf *w)
{
    w_u64(w, 1, RC_MSG_STORAGE_APPEND);
    w_u64(w, 2, 1);
    w_unknowns(w);
    w_entry(w, 7, true);
    w_entry(w, 8, false);
    w_snapshot(w, 6, "snap");
    w_bytes(w, 10, "\x01", 1);
    w_bytes(w, 12, "ctx", 3);
    wbuf r = {.n = 0};
    w_u64(&r, 1, RC_MSG_APP_RESP);
    w_u64(&r, 6, 8);
    w_unknowns(&r);
    w_entry(&r, 9, true);
    w_sub(w, 14, &r);
    w_sub(w, 14, &r);
}

/* A response holding a response (refused: one level at most), after a valid one. */
static void sample_nested_responses(wbuf *w)
{
    w_u64(w, 1, RC_MSG_STORAGE_APPEND);
    wbuf inner = {.n = 0}, mid = {.n = 0};
    w_u64(&inner, 1, RC_MSG_APP_RESP);
    w_sub(w, 14, &inner);
    w_u64(&mid, 1, RC_MSG_APP_RESP);
    w_sub(&mid, 14, &inner);
    w_sub(w, 14, &mid);
}

/* MsgSnap with its snapshot field three times (protobuf-c merges them), the context twice and
 * the type twice (the last wins). */
static void sample_repeated_snapshots(wbuf *w)
{
    w_u64(w, 1, RC_MSG_APP);
    w_snapshot(w, 4, "a");
    w_bytes(w, 12, "one", 3);
    w_snapshot(w, 5, "");
    w_u64(w, 1, RC_MSG_SNAP);
    w_bytes(w, 12, "two", 3);
    w_snapshot(w, 0, "c");
}

/* Non-minimal tags, a 10-byte varint, a 5-byte length prefix, a blank snapshot on MsgApp, a
 * bool in every wire type. */
static void sample_odd_encodings(wbuf *w)
{
    static const uint8_t odd[] = {
        0x88, 0x00, 0x03,                                     /* type 3, a 2-byte tag */
        0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* term: a 10-byte varint */
        0xff, 0x01,
        0xe2, 0x80, 0x00, 0x83, 0x80, 0x80, 0x80, 0x00, /* context: 3-byte tag, 5-byte length */
        'c', 'x', 'y',
        0x80, 0x00, 0x00, /* field 0 (unknown), a 2-byte tag */
        0x4a, 0x00,       /* a blank snapshot: dropped */
        0x51, 0, 0, 0, 0, 0, 0, 0, 1, /* reject as fixed64: true (any wire type) */
        0x55, 0, 0, 0, 0,             /* then as fixed32: false, the last wins */
        0x50, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, /* true beyond 64 bits */
    };
    memcpy(w->b, odd, sizeof(odd));
    w->n = sizeof(odd);
    w_entry(w, 3, true);
}

/* visits[i] for every byte of buf decoded as kind; returns the decode's result. */
static int trace(rc_wire_kind kind, uint8_t *visits, const uint8_t *buf, size_t len)
{
    assert_true(len <= sizeof(((wbuf *)0)->b));
    return rc_wire_trace_decode(kind, visits, buf, len);
}

static void assert_each_byte_once(rc_wire_kind kind, const uint8_t *buf, size_t len)
{
    uint8_t visits[sizeof(((wbuf *)0)->b)];
    assert_int_equal(trace(kind, visits, buf, len), RC_OK);
    for (size_t i = 0; i < len; i++)
        if (visits[i] != 1)
            fail_msg("byte %zu of %zu read %u times", i, len, (unsigned)visits[i]);
}

/* Each message is scanned once: the decoder reads every byte exactly once (its tags, values,
 * length prefixes and the contents it takes, skips or hands to protobuf-c), whatever the
 * shape: entries, a snapshot, responses, unknown fields, odd encodings. */
static void test_scanned_once(void **state)
{
    (void)state;
    for (int t = 0; t < 3; t++) {
        rc_message m;
        fill_message(&m, t == 0 ? RC_MSG_SNAP : t == 1 ? RC_MSG_APP : RC_MSG_STORAGE_APPEND, 0);
        uint8_t *b;
        size_t n;
        assert_int_equal(rc_encode_message(&b, &n, &m), RC_OK);
        assert_true(m.snapshot != NULL && m.n_responses > 0 && m.n_entries > 0);
        assert_each_byte_once(RC_WIRE_MESSAGE, b, n);
        rc_free(b);
        rc_message_free(&m);
    }
    wbuf w = {.n = 0};
    sample_unknown_fields(&w);
    assert_each_byte_once(RC_WIRE_MESSAGE, w.b, w.n);
    w.n = 0;
    sample_odd_encodings(&w);
    assert_each_byte_once(RC_WIRE_MESSAGE, w.b, w.n);
    w.n = 0;
    w_entry(&w, 1, true);
    assert_each_byte_once(RC_WIRE_ENTRY, w.b + 2, w.n - 2); /* the Entry inside the field */

    /* refused bytes are read at most once, up to the problem: the second level of responses
     * is never read */
    uint8_t visits[sizeof(w.b)];
    w.n = 0;
    sample_nested_responses(&w);
    assert_int_equal(trace(RC_WIRE_MESSAGE, visits, w.b, w.n), RC_ERR_DECODE);
    size_t unread = 0;
    for (size_t i = 0; i < w.n; i++) {
        assert_true(visits[i] <= 1);
        unread += visits[i] == 0;
    }
    assert_true(unread > 0);

    /* the trace does see a second read: a repeated snapshot field (which etcd never writes) is
     * merged by protobuf-c from the whole fields, so their tags and length prefixes, read once
     * to find them, are read again; every other byte once */
    w.n = 0;
    sample_repeated_snapshots(&w);
    assert_int_equal(trace(RC_WIRE_MESSAGE, visits, w.b, w.n), RC_OK);
    size_t twice = 0;
    for (size_t i = 0; i < w.n; i++) {
        assert_true(visits[i] == 1 || visits[i] == 2);
        twice += visits[i] == 2;
    }
    assert_true(twice > 0);
}

static void test_entry_points_agree(void **state)
{
    (void)state;
    const uint64_t seed = 0xc0dec0deULL;
    const int iterations = 20000;
    g_rng = seed;
    print_message("entry points: seed=0x%llx iterations=%d\n", (unsigned long long)seed,
                  iterations);
    enum { N_SAMPLES = 8, ENTRY_SAMPLE = 3 };
    uint8_t *samples[N_SAMPLES];
    size_t lens[N_SAMPLES];
    /* MsgSnap with responses and a snapshot, MsgApp without either and a heartbeat (the common
     * shapes), one Entry, then hand-made bytes for the rarer paths (see the sample_* helpers):
     * unknown fields everywhere, nested responses, repeated snapshot fields, odd encodings. */
    for (int i = 0; i < 3; i++) {
        rc_message m;
        fill_message(&m, i == 0 ? RC_MSG_SNAP : i == 1 ? RC_MSG_APP : RC_MSG_HEARTBEAT, 0);
        if (i > 0) {
            rc_snapshot_free(m.snapshot);
            rc_free(m.snapshot);
            m.snapshot = NULL;
            for (size_t k = 0; k < m.n_responses; k++)
                rc_message_free(&m.responses[k]);
            rc_free(m.responses);
            m.responses = NULL;
            m.n_responses = 0;
        }
        assert_int_equal(rc_encode_message(&samples[i], &lens[i], &m), RC_OK);
        rc_message_free(&m);
    }
    rc_entry e = {.term = 3, .index = 300, .type = RC_ENTRY_CONF_CHANGE_V2};
    set_bytes(&e.data, "payload");
    assert_int_equal(rc_encode_entry(&samples[ENTRY_SAMPLE], &lens[ENTRY_SAMPLE], &e), RC_OK);
    rc_entry_free(&e);
    wbuf w;
    void (*const rare[4])(wbuf *) = {sample_unknown_fields, sample_nested_responses,
                                     sample_repeated_snapshots, sample_odd_encodings};
    for (int i = 0; i < 4; i++) {
        w.n = 0;
        rare[i](&w);
        samples[4 + i] = rc_malloc(w.n);
        memcpy(samples[4 + i], w.b, w.n);
        lens[4 + i] = w.n;
    }

    rc_entries scratch = {0};
    rc_blob_pool pool = {0};
    size_t ok = 0;
    for (int it = 0; it < iterations; it++) {
        int s = it < N_SAMPLES ? it : (int)(rng_next() % N_SAMPLES);
        size_t len = lens[s];
        const size_t cap = 2 * len + 16;
        uint8_t *p = rc_malloc(cap);
        memcpy(p, samples[s], len);
        int muts = it < N_SAMPLES ? 0 : 1 + (int)(rng_next() % 3);
        for (int k = 0; k < muts && len > 0; k++) {
            size_t pos = (size_t)(rng_next() % len);
            switch (rng_next() % 4) {
            case 0: p[pos] ^= (uint8_t)(1u << (rng_next() % 8)); break;
            case 1: len = pos; break;
            case 2: /* repeat a prefix: repeated fields, later values win */
                if (len + pos <= cap) {
                    memmove(p + pos, p, len);
                    len += pos;
                }
                break;
            default: p[pos] = (uint8_t)rng_next(); break;
            }
        }
        uint8_t *exact = rc_malloc(len > 0 ? len : 1);
        memcpy(exact, p, len);
        rc_message probe;
        if (rc_decode_message(&probe, exact, len, 0) == RC_OK) {
            ok++;
            rc_message_free(&probe);
        }
        if (s == ENTRY_SAMPLE)
            check_entry_view(exact, len, &pool);
        else
            check_entry_points(exact, len, &scratch, &pool);
        rc_free(exact);
        rc_free(p);
    }
    print_message("entry points: %zu of %d buffers decoded as messages\n", ok, iterations);
    rc_free(scratch.v);
    rc_blob_pool_free(&pool);
    for (int i = 0; i < N_SAMPLES; i++)
        rc_free(samples[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_all_message_types),
        cmocka_unit_test(test_roundtrip_zero_message),
        cmocka_unit_test(test_roundtrip_entry),
        cmocka_unit_test(test_entry_size_profile),
        cmocka_unit_test(test_roundtrip_hard_state),
        cmocka_unit_test(test_roundtrip_conf_state_and_snapshot),
        cmocka_unit_test(test_roundtrip_conf_changes),
        cmocka_unit_test(test_packed_vs_unpacked),
        cmocka_unit_test(test_field_order_and_unknown_fields),
        cmocka_unit_test(test_empty_snapshot_tolerated),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_max_len),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_entry_points_agree),
        cmocka_unit_test(test_scanned_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
