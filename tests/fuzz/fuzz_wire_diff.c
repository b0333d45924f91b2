/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_wire_diff.c: libFuzzer differential harness for the hand-rolled raftpb codec
 * (core/wire) against protobuf-c (codec.h's rc_pb_*). Unlike the other harnesses it tests the
 * core directly, so it links raftc_static and needs core/ on the include path:
 *   add_executable(fuzz_wire_diff fuzz_wire_diff.c)
 *   target_link_libraries(fuzz_wire_diff PRIVATE raftc_static)   # exports core/ includes
 *   target_link_options(fuzz_wire_diff PRIVATE -fsanitize=fuzzer)
 * Findings (abort): the fast decoder accepts what protobuf-c rejects or yields a different
 * struct; the public decoder's result differs from protobuf-c's; re-encoding an accepted
 * message differs between the hand-rolled encoder and protobuf-c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"
#include "types.h"
#include "wire.h"

static void die(const char *what)
{
    fprintf(stderr, "fuzz_wire_diff: %s\n", what);
    abort();
}

static int bytes_eq(const rc_bytes *a, const rc_bytes *b)
{
    return a->len == b->len && (a->data == NULL) == (b->data == NULL) &&
           (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int entry_eq(const rc_entry *a, const rc_entry *b)
{
    return a->term == b->term && a->index == b->index && a->type == b->type &&
           bytes_eq(&a->data, &b->data);
}

/* Messages the fast path accepts have no snapshot and no responses; compare the rest and
 * require those two empty on the reference too. */
static int message_eq(const rc_message *a, const rc_message *b)
{
    if (a->type != b->type || a->to != b->to || a->from != b->from || a->term != b->term ||
        a->log_term != b->log_term || a->index != b->index || a->commit != b->commit ||
        a->vote != b->vote || a->reject != b->reject || a->reject_hint != b->reject_hint ||
        !bytes_eq(&a->context, &b->context) || a->n_entries != b->n_entries ||
        a->n_responses != b->n_responses || (a->snapshot == NULL) != (b->snapshot == NULL))
        return 0;
    for (size_t i = 0; i < a->n_entries; i++)
        if (!entry_eq(&a->entries[i], &b->entries[i]))
            return 0;
    return 1;
}

static void reencode(const rc_message *m)
{
    uint8_t *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    int ra = rc_pb_encode_message(&a, &al, m), rb = rc_encode_message(&b, &bl, m);
    if (ra != rb || al != bl || (ra == RC_OK && memcmp(a, b, al) != 0))
        die("re-encoding differs from protobuf-c");
    rc_free(a);
    rc_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *buf = data + 1;
    size_t len = size - 1;
    switch (data[0] % 3) {
    case 0: {
        rc_message ref, fast, pub;
        int rr = rc_pb_decode_message(&ref, buf, len, 0);
        int rf = rc_wire_decode_message(&fast, buf, len);
        int rp = rc_decode_message(&pub, buf, len, 0);
        if (rf != rr || (rr == RC_OK && !message_eq(&ref, &fast)))
            die("message: the one-pass decoder differs");
        if (rp != rr || (rr == RC_OK && !message_eq(&ref, &pub)))
            die("message: public decoder differs");
        if (rr == RC_OK)
            reencode(&ref);
        rc_message_free(&ref);
        rc_message_free(&fast);
        rc_message_free(&pub);
        break;
    }
    case 1: {
        rc_entry ref, fast, pub;
        int rr = rc_pb_decode_entry(&ref, buf, len);
        int rf = rc_wire_decode_entry(&fast, buf, len);
        int rp = rc_decode_entry(&pub, buf, len);
        if (rf != rr || (rr == RC_OK && !entry_eq(&ref, &fast)))
            die("entry: the one-pass decoder differs");
        if (rp != rr || (rr == RC_OK && !entry_eq(&ref, &pub)))
            die("entry: public decoder differs");
        rc_entry_free(&ref);
        rc_entry_free(&fast);
        rc_entry_free(&pub);
        break;
    }
    default: {
        rc_hard_state ref, fast, pub;
        int rr = rc_pb_decode_hard_state(&ref, buf, len);
        int rf = rc_wire_decode_hard_state(&fast, buf, len);
        int rp = rc_decode_hard_state(&pub, buf, len);
        if (rf != rr || (rr == RC_OK && !rc_hard_state_equal(&ref, &fast)))
            die("hard state: the one-pass decoder differs");
        if (rp != rr || (rr == RC_OK && !rc_hard_state_equal(&ref, &pub)))
            die("hard state: public decoder differs");
        break;
    }
    }
    return 0;
}
