/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_wire_diff.c: differential test of the hand-rolled codec (core/wire, used by codec.h's
 * rc_encode_* / rc_decode_*) against protobuf-c (codec.h's rc_pb_*), seeded and deterministic:
 *  - encode: random Entry / HardState / Message structs (edge values, entries, context,
 *    snapshots, responses) give byte-identical buffers and sizes;
 *  - decode: valid encodings, random field soups (known and unknown fields, every wire type,
 *    duplicates, over-long and non-minimal varints, packed forms) and mutations of valid
 *    buffers (bit flips, truncation, insertion, garbage): the one-pass decoders (core/wire)
 *    and the public decoders always agree with protobuf-c (same return code, same struct).
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
#include "types.h"
#include "wire.h"

#define SEED 0x5eed0f3a11c0de42ull
#define ROUNDS 20000

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

/* Mostly small values, with the varint boundaries and extremes well represented. */
static uint64_t rnd_u64(void)
{
    switch (rnd_below(8)) {
    case 0:
        return 0;
    case 1:
        return rnd_below(4);
    case 2: {
        unsigned k = (unsigned)rnd_below(64);
        uint64_t b = 1ull << k;
        return b - 1 + rnd_below(3); /* 2^k - 1, 2^k, 2^k + 1 */
    }
    case 3:
        return UINT64_MAX - rnd_below(2);
    case 4:
        return rnd();
    default:
        return rnd_below(1000);
    }
}

static void rnd_bytes(rc_bytes *b, size_t max)
{
    size_t n = rnd_below(3) == 0 ? 0 : (size_t)rnd_below(max + 1);
    uint8_t tmp[300];
    for (size_t i = 0; i < n; i++)
        tmp[i] = (uint8_t)rnd();
    assert_int_equal(rc_bytes_set(b, tmp, n), RC_OK);
}

static void rnd_entry(rc_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->type = (rc_entry_type)rnd_below(3);
    e->term = rnd_u64();
    e->index = rnd_u64();
    rnd_bytes(&e->data, rnd_below(4) == 0 ? 200 : 16);
}

static void rnd_ids(rc_ids *ids)
{
    size_t n = (size_t)rnd_below(4);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_ids_push(ids, rnd_u64()), RC_OK);
}

static void rnd_snapshot(rc_snapshot *s)
{
    memset(s, 0, sizeof(*s));
    rnd_bytes(&s->data, 40);
    s->metadata.index = rnd_below(2) ? rnd_u64() : 0;
    s->metadata.term = rnd_below(2) ? rnd_u64() : 0;
    if (rnd_below(2)) {
        rnd_ids(&s->metadata.conf_state.voters);
        rnd_ids(&s->metadata.conf_state.learners);
        rnd_ids(&s->metadata.conf_state.voters_outgoing);
        rnd_ids(&s->metadata.conf_state.learners_next);
        s->metadata.conf_state.auto_leave = rnd_below(2);
    }
}

static void rnd_message(rc_message *m, int depth)
{
    memset(m, 0, sizeof(*m));
    m->type = (rc_msg_type)rnd_below(RC_MSG_TYPE_COUNT);
    uint64_t *f[] = {&m->to, &m->from, &m->term, &m->log_term, &m->index, &m->commit,
                     &m->vote, &m->reject_hint};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        *f[i] = rnd_below(3) ? rnd_u64() : 0;
    m->reject = rnd_below(4) == 0;
    if (rnd_below(3) == 0)
        rnd_bytes(&m->context, 12);
    size_t ne = rnd_below(2) ? (size_t)rnd_below(6) : 0;
    if (ne > 0) {
        m->entries = rc_calloc(ne, sizeof(rc_entry));
        assert_non_null(m->entries);
        m->n_entries = ne;
        for (size_t i = 0; i < ne; i++)
            rnd_entry(&m->entries[i]);
    }
    if (rnd_below(6) == 0) {
        m->snapshot = rc_calloc(1, sizeof(rc_snapshot));
        assert_non_null(m->snapshot);
        rnd_snapshot(m->snapshot);
    }
    if (depth == 0 && rnd_below(8) == 0) {
        size_t nr = 1 + (size_t)rnd_below(3);
        m->responses = rc_calloc(nr, sizeof(rc_message));
        assert_non_null(m->responses);
        m->n_responses = nr;
        for (size_t i = 0; i < nr; i++)
            rnd_message(&m->responses[i], 1);
    }
}

/* ---- deep equality ---- */

static bool bytes_eq(const rc_bytes *a, const rc_bytes *b)
{
    if (a->len != b->len || (a->data == NULL) != (b->data == NULL))
        return false;
    return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

static bool entry_eq(const rc_entry *a, const rc_entry *b)
{
    return a->term == b->term && a->index == b->index && a->type == b->type &&
           bytes_eq(&a->data, &b->data);
}

static bool ids_eq(const rc_ids *a, const rc_ids *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(uint64_t)) == 0);
}

static bool snapshot_eq(const rc_snapshot *a, const rc_snapshot *b)
{
    if ((a == NULL) != (b == NULL))
        return false;
    if (a == NULL)
        return true;
    const rc_conf_state *x = &a->metadata.conf_state, *y = &b->metadata.conf_state;
    return bytes_eq(&a->data, &b->data) && a->metadata.index == b->metadata.index &&
           a->metadata.term == b->metadata.term && ids_eq(&x->voters, &y->voters) &&
           ids_eq(&x->learners, &y->learners) &&
           ids_eq(&x->voters_outgoing, &y->voters_outgoing) &&
           ids_eq(&x->learners_next, &y->learners_next) && x->auto_leave == y->auto_leave;
}

static bool message_eq(const rc_message *a, const rc_message *b)
{
    if (a->type != b->type || a->to != b->to || a->from != b->from || a->term != b->term ||
        a->log_term != b->log_term || a->index != b->index || a->commit != b->commit ||
        a->vote != b->vote || a->reject != b->reject || a->reject_hint != b->reject_hint ||
        !bytes_eq(&a->context, &b->context) || a->n_entries != b->n_entries ||
        a->n_responses != b->n_responses || !snapshot_eq(a->snapshot, b->snapshot))
        return false;
    for (size_t i = 0; i < a->n_entries; i++)
        if (!entry_eq(&a->entries[i], &b->entries[i]))
            return false;
    for (size_t i = 0; i < a->n_responses; i++)
        if (!message_eq(&a->responses[i], &b->responses[i]))
            return false;
    return true;
}

static bool hs_eq(const rc_hard_state *a, const rc_hard_state *b)
{
    return rc_hard_state_equal(a, b);
}

/* ---- decode comparisons on one buffer ---- */

static unsigned long n_fast_ok, n_pb_ok, n_inputs;

static void dump(const char *what, const uint8_t *b, size_t n)
{
    fprintf(stderr, "%s (%zu bytes):", what, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02x", b[i]);
    fprintf(stderr, "\n");
}

static void check_decode_message(const uint8_t *b, size_t n)
{
    rc_message ref, fast, pub;
    n_inputs++;
    int rr = rc_pb_decode_message(&ref, b, n, 0);
    int rf = rc_wire_decode_message(&fast, b, n);
    int rp = rc_decode_message(&pub, b, n, 0);
    n_pb_ok += rr == RC_OK;
    n_fast_ok += rf == RC_OK;
    if (rf != rr || (rr == RC_OK && !message_eq(&ref, &fast))) {
        dump("message: the one-pass decoder differs from protobuf-c", b, n);
        fail();
    }
    if (rp != rr || (rr == RC_OK && !message_eq(&ref, &pub))) {
        dump("message: rc_decode_message differs from protobuf-c", b, n);
        fail();
    }
    rc_message_free(&ref);
    rc_message_free(&fast);
    rc_message_free(&pub);
}

static void check_decode_entry(const uint8_t *b, size_t n)
{
    rc_entry ref, fast, pub;
    n_inputs++;
    int rr = rc_pb_decode_entry(&ref, b, n);
    int rf = rc_wire_decode_entry(&fast, b, n);
    int rp = rc_decode_entry(&pub, b, n);
    n_pb_ok += rr == RC_OK;
    n_fast_ok += rf == RC_OK;
    if (rf != rr || (rr == RC_OK && !entry_eq(&ref, &fast))) {
        dump("entry: the one-pass decoder differs from protobuf-c", b, n);
        fail();
    }
    uint64_t t, i;
    rc_entry_type ty;
    const uint8_t *d;
    size_t dl;
    assert_int_equal(rc_wire_view_entry(&t, &i, &ty, &d, &dl, b, n), rr);
    rc_entry view = {t, i, ty, {(uint8_t *)(uintptr_t)d, dl, NULL}};
    if (rr == RC_OK && !entry_eq(&ref, &view)) {
        dump("entry: the view differs from protobuf-c", b, n);
        fail();
    }
    if (rp != rr || (rr == RC_OK && !entry_eq(&ref, &pub))) {
        dump("entry: rc_decode_entry differs from protobuf-c", b, n);
        fail();
    }
    rc_entry_free(&ref);
    rc_entry_free(&fast);
    rc_entry_free(&pub);
}

static void check_decode_hs(const uint8_t *b, size_t n)
{
    rc_hard_state ref, fast, pub;
    n_inputs++;
    int rr = rc_pb_decode_hard_state(&ref, b, n);
    int rf = rc_wire_decode_hard_state(&fast, b, n);
    int rp = rc_decode_hard_state(&pub, b, n);
    n_pb_ok += rr == RC_OK;
    n_fast_ok += rf == RC_OK;
    if (rf != rr || (rr == RC_OK && !hs_eq(&ref, &fast))) {
        dump("hard state: the one-pass decoder differs from protobuf-c", b, n);
        fail();
    }
    if (rp != rr || (rr == RC_OK && !hs_eq(&ref, &pub))) {
        dump("hard state: rc_decode_hard_state differs from protobuf-c", b, n);
        fail();
    }
}

typedef void (*check_fn)(const uint8_t *b, size_t n);

/* Mutations of a valid buffer: each variant is checked. */
static void check_mutations(check_fn check, const uint8_t *b, size_t n)
{
    uint8_t m[1024];
    if (n + 16 > sizeof(m))
        return;
    for (int k = 0; k < 4; k++) {
        memcpy(m, b, n);
        size_t len = n;
        switch (rnd_below(5)) {
        case 0: /* bit flip */
            if (len > 0)
                m[rnd_below(len)] ^= (uint8_t)(1u << rnd_below(8));
            break;
        case 1: /* truncation */
            len = (size_t)rnd_below(len + 1);
            break;
        case 2: { /* insert random bytes */
            size_t at = (size_t)rnd_below(len + 1), k2 = 1 + (size_t)rnd_below(8);
            memmove(m + at + k2, m + at, len - at);
            for (size_t i = 0; i < k2; i++)
                m[at + i] = (uint8_t)rnd();
            len += k2;
            break;
        }
        case 3: /* random byte */
            if (len > 0)
                m[rnd_below(len)] = (uint8_t)rnd();
            break;
        default: /* duplicate a prefix at the end (repeats fields) */
            if (len > 0) {
                size_t k2 = 1 + (size_t)rnd_below(len < 16 ? len : 16);
                memcpy(m + len, m, k2);
                len += k2;
            }
            break;
        }
        check(m, len);
    }
}

/* ---- field soups: random sequences of raw fields ---- */

static size_t put_varint_n(uint8_t *p, uint64_t v, size_t min_len)
{
    size_t n = 0;
    while (v >= 0x80 || n + 1 < min_len) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static size_t soup_value(uint8_t *p, unsigned wt, size_t depth_budget, int nested_entry)
{
    size_t n = 0;
    switch (wt) {
    case 0: {
        size_t pad = rnd_below(6) == 0 ? (size_t)rnd_below(11) : 0; /* non-minimal / 10 bytes */
        uint64_t v = rnd_below(3) == 0 ? rnd_u64() : rnd_below(30);
        return put_varint_n(p, v, pad);
    }
    case 1:
        for (int i = 0; i < 8; i++)
            p[n++] = (uint8_t)rnd();
        return n;
    case 5:
        for (int i = 0; i < 4; i++)
            p[n++] = (uint8_t)rnd();
        return n;
    case 2: {
        uint8_t inner[160];
        size_t il = 0;
        if (nested_entry && depth_budget > 0 && rnd_below(2)) {
            /* an Entry-shaped body */
            size_t nf = (size_t)rnd_below(5);
            for (size_t i = 0; i < nf; i++) {
                unsigned f = 1 + (unsigned)rnd_below(5), w = rnd_below(5) ? (f == 4 ? 2 : 0)
                                                                           : (unsigned)rnd_below(6);
                il += put_varint_n(inner + il, (uint64_t)(f << 3 | w), 0);
                il += soup_value(inner + il, w, 0, 0);
            }
        } else {
            il = (size_t)rnd_below(20);
            for (size_t i = 0; i < il; i++)
                inner[i] = (uint8_t)rnd();
        }
        size_t pad = rnd_below(8) == 0 ? (size_t)rnd_below(6) : 0;
        n = put_varint_n(p, il, pad);
        memcpy(p + n, inner, il);
        return n + il;
    }
    default:
        return 0; /* groups (3, 4) and invalid 6, 7: the tag alone */
    }
}

/* A buffer of random fields numbered up to max_field with mostly the right wire types. */
static size_t soup(uint8_t *p, unsigned max_field, const unsigned char *len_fields)
{
    size_t n = 0, nf = (size_t)rnd_below(10);
    for (size_t i = 0; i < nf && n < 700; i++) {
        unsigned f = (unsigned)rnd_below(max_field + 2); /* includes 0 and one unknown */
        if (rnd_below(20) == 0)
            f = 16 + (unsigned)rnd_below(2000); /* multi-byte tags */
        unsigned wt = f <= max_field && len_fields[f] ? 2 : 0;
        if (rnd_below(10) == 0)
            wt = (unsigned)rnd_below(8);
        n += put_varint_n(p + n, (uint64_t)f << 3 | wt, rnd_below(15) == 0 ? 2 : 0);
        n += soup_value(p + n, wt, 1, f == 7);
    }
    return n;
}

/* ---- tests ---- */

static void test_encode_identical(void **state)
{
    (void)state;
    rng_state = SEED;
    for (int round = 0; round < ROUNDS; round++) {
        rc_message m;
        rnd_message(&m, 0);
        uint8_t *a = NULL, *b = NULL;
        size_t al = 0, bl = 0;
        int ra = rc_pb_encode_message(&a, &al, &m);
        int rb = rc_encode_message(&b, &bl, &m);
        assert_int_equal(ra, rb);
        assert_int_equal(ra, RC_OK);
        assert_int_equal(al, bl);
        assert_int_equal(rc_message_encoded_size(&m), al);
        assert_memory_equal(a, b, al);
        /* and back: the encoding decodes to the same struct both ways */
        check_decode_message(a, al);
        check_mutations(check_decode_message, a, al);
        rc_free(a);
        rc_free(b);

        for (size_t i = 0; i < m.n_entries; i++) {
            ra = rc_pb_encode_entry(&a, &al, &m.entries[i]);
            rb = rc_encode_entry(&b, &bl, &m.entries[i]);
            assert_int_equal(ra, RC_OK);
            assert_int_equal(rb, RC_OK);
            assert_int_equal(al, bl);
            assert_int_equal(rc_entry_encoded_size(&m.entries[i]), al);
            assert_memory_equal(a, b, al);
            check_decode_entry(a, al);
            check_mutations(check_decode_entry, a, al);
            rc_free(a);
            rc_free(b);
        }
        rc_hard_state hs = {m.term, m.vote, m.commit};
        ra = rc_pb_encode_hard_state(&a, &al, &hs);
        rb = rc_encode_hard_state(&b, &bl, &hs);
        assert_int_equal(ra, RC_OK);
        assert_int_equal(rb, RC_OK);
        assert_int_equal(al, bl);
        assert_memory_equal(a, b, al);
        check_decode_hs(a, al);
        check_mutations(check_decode_hs, a, al);
        rc_free(a);
        rc_free(b);
        rc_message_free(&m);
    }
}

static void test_encode_invalid(void **state)
{
    (void)state;
    rc_message m = {0}, resp = {0}, inner = {0};
    m.type = RC_MSG_TYPE_COUNT;
    uint8_t *a = NULL, *b = NULL;
    size_t al, bl;
    assert_int_equal(rc_pb_encode_message(&a, &al, &m), rc_encode_message(&b, &bl, &m));
    assert_null(b);
    m.type = RC_MSG_APP;
    resp.responses = &inner;
    resp.n_responses = 1;
    m.responses = &resp;
    m.n_responses = 1;
    assert_int_equal(rc_pb_encode_message(&a, &al, &m), RC_ERR_INVALID);
    assert_int_equal(rc_encode_message(&b, &bl, &m), RC_ERR_INVALID);
}

static void test_decode_soups(void **state)
{
    (void)state;
    static const unsigned char msg_len[15] = {[7] = 1, [9] = 1, [12] = 1, [14] = 1};
    static const unsigned char ent_len[5] = {[4] = 1};
    static const unsigned char hs_len[4] = {0};
    rng_state = SEED ^ 0x50u;
    uint8_t buf[1024];
    n_fast_ok = n_pb_ok = n_inputs = 0;
    for (int round = 0; round < ROUNDS * 2; round++) {
        size_t n = soup(buf, 14, msg_len);
        check_decode_message(buf, n);
        n = soup(buf, 4, ent_len);
        check_decode_entry(buf, n);
        n = soup(buf, 3, hs_len);
        check_decode_hs(buf, n);
    }
    printf("wire diff soups: seed=0x%llx inputs=%lu protobuf-c ok=%lu fast ok=%lu\n",
           (unsigned long long)SEED, n_inputs, n_pb_ok, n_fast_ok);
    /* the soups must exercise acceptance and refusal; the one-pass decoders accept exactly what
     * protobuf-c accepts (each input was compared above) */
    assert_true(n_fast_ok > 1000);
    assert_int_equal(n_pb_ok, n_fast_ok);
    assert_true(n_inputs > n_pb_ok);
}

/* Hand-picked edge encodings. */
static void test_decode_edges(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint8_t b[24];
        size_t n;
    } cases[] = {
        {"empty", {0}, 0},
        {"type 23", {0x08, 23}, 2},
        {"type 24", {0x08, 24}, 2},
        {"type -1 (10 bytes)", {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
         11},
        {"to = 2^64-1", {0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 11},
        {"to 10-byte overflow", {0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
         11},
        {"to 11 bytes", {0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
         12},
        {"non-minimal 0", {0x10, 0x80, 0x00}, 3},
        {"duplicate to", {0x10, 0x01, 0x10, 0x02}, 4},
        {"field 0", {0x00, 0x01}, 2},
        {"group", {0x1b, 0x1c}, 2},
        {"wire type 7", {0x17}, 1},
        {"fixed64 to", {0x11, 1, 2, 3, 4, 5, 6, 7, 8}, 9},
        {"empty entry", {0x3a, 0x00}, 2},
        {"entry bad type", {0x3a, 0x02, 0x08, 0x03}, 4},
        {"entry data len 0", {0x3a, 0x02, 0x22, 0x00}, 4},
        {"entry truncated", {0x3a, 0x03, 0x22, 0x05, 0x01}, 5},
        {"context", {0x62, 0x02, 0xab, 0xcd}, 4},
        {"empty context", {0x62, 0x00}, 2},
        {"reject 2", {0x50, 0x02}, 2},
        {"reject 2^35", {0x50, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 7},
        {"blank snapshot", {0x4a, 0x00}, 2},
        {"response", {0x72, 0x02, 0x08, 0x04}, 4},
        {"nested response", {0x72, 0x04, 0x72, 0x02, 0x08, 0x04}, 6},
        {"packed to", {0x12, 0x01, 0x05}, 3},
        {"long tag", {0x90, 0x00, 0x05}, 3},
        {"unknown field 15", {0x78, 0x05}, 2},
        {"length 5 bytes", {0x62, 0x80, 0x80, 0x80, 0x80, 0x00}, 6},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_decode_message(cases[i].b, cases[i].n);
        check_decode_entry(cases[i].b, cases[i].n);
        check_decode_hs(cases[i].b, cases[i].n);
    }
}

int main(void)
{
    printf("test_wire_diff: seed=0x%llx rounds=%d\n", (unsigned long long)SEED, ROUNDS);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_identical),
        cmocka_unit_test(test_encode_invalid),
        cmocka_unit_test(test_decode_soups),
        cmocka_unit_test(test_decode_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
