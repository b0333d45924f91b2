/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_codec.c: workload (c), raftpb Message encode/decode through the ABI's raftpb helpers.
 * encode = raftc_entry_encode per entry + raftc_message_encode (from fields, as Go's Marshal
 * from structs); decode = raftc_message_decode (+ raftc_message_decode_entries, views of the
 * entries in the buffer, and raftc_entry_decode per entry for MsgApp, as Go's Unmarshal yields
 * the entries' fields).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define MAX_ENTS 16

typedef struct codec_case {
    const char *name;
    uint64_t info[RAFTC_MF_REJECT_HINT + 1];
    size_t n_ents, size;
    uint8_t *payload;
    raftc_sink *ents, *out, *parts;
} codec_case;

static int cc_encode(codec_case *c, int preencoded)
{
    const uint8_t *ptrs[MAX_ENTS];
    size_t lens[MAX_ENTS];
    int rc;
    if (!preencoded) {
        raftc_sink_reset(c->ents);
        for (size_t i = 0; i < c->n_ents; i++)
            if ((rc = raftc_entry_encode(c->ents, 5, 101 + i, RAFTC_ENTRY_NORMAL, c->payload,
                                         c->size)) != 0)
                return rc;
    }
    for (size_t i = 0; i < c->n_ents; i++)
        if ((rc = raftc_sink_get(&ptrs[i], &lens[i], c->ents, i)) != 0)
            return rc;
    raftc_sink_reset(c->out);
    return raftc_message_encode(c->out, c->info, RAFTC_MF_REJECT_HINT + 1, ptrs, lens, c->n_ents,
                                NULL, 0, NULL, 0);
}

static int cc_decode(codec_case *c, const uint8_t *b, size_t l)
{
    (void)c;
    uint64_t info[RAFTC_MF_COUNT];
    int rc = raftc_message_decode(info, RAFTC_MF_COUNT, b, l);
    if (rc != 0 || info[RAFTC_MF_N_ENTRIES] == 0)
        return rc;
    const uint8_t *ents[MAX_ENTS];
    size_t lens[MAX_ENTS], n = 0;
    if ((rc = raftc_message_decode_entries(ents, lens, MAX_ENTS, &n, b, l)) != 0)
        return rc;
    for (size_t i = 0; i < n && i < MAX_ENTS; i++) {
        const uint8_t *data;
        size_t dl;
        uint64_t term, index;
        raftc_entry_type type;
        if ((rc = raftc_entry_decode(&term, &index, &type, &data, &dl, ents[i], lens[i])) != 0)
            return rc;
    }
    return 0;
}

typedef enum { OP_ENCODE, OP_ENCODE_PRE, OP_DECODE } codec_op;

/* Runs op for at least min_ns; sets ns/op and library allocations/op. */
static int cc_measure(codec_case *c, codec_op op, const uint8_t *b, size_t l, uint64_t min_ns,
                      double *ns, double *allocs)
{
    uint64_t iters = 0, a0 = bench_alloc_calls(), t0 = bench_now_ns(), t1 = t0;
    while (t1 - t0 < min_ns) {
        for (int i = 0; i < 256; i++) {
            int rc = op == OP_DECODE ? cc_decode(c, b, l) : cc_encode(c, op == OP_ENCODE_PRE);
            if (rc != 0)
                return rc;
        }
        iters += 256;
        t1 = bench_now_ns();
    }
    *ns = (double)(t1 - t0) / (double)iters;
    *allocs = (double)(bench_alloc_calls() - a0) / (double)iters;
    return 0;
}

static void cc_setup(codec_case *c, const char *name)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    uint64_t *f = c->info;
    f[RAFTC_MF_TO] = 2;
    f[RAFTC_MF_FROM] = 1;
    if (strcmp(name, "heartbeat") == 0) {
        f[RAFTC_MF_TYPE] = RAFTC_MSG_HEARTBEAT;
        f[RAFTC_MF_TERM] = 5;
        f[RAFTC_MF_COMMIT] = 99;
        return;
    }
    if (strcmp(name, "vote") == 0) {
        f[RAFTC_MF_TYPE] = RAFTC_MSG_VOTE;
        f[RAFTC_MF_TERM] = 6;
        f[RAFTC_MF_LOG_TERM] = 5;
        f[RAFTC_MF_INDEX] = 100;
        return;
    }
    f[RAFTC_MF_TYPE] = RAFTC_MSG_APP;
    f[RAFTC_MF_TERM] = 5;
    f[RAFTC_MF_LOG_TERM] = 5;
    f[RAFTC_MF_INDEX] = 100;
    f[RAFTC_MF_COMMIT] = 99;
    c->n_ents = 1;
    c->size = 16;
    if (strcmp(name, "app_16x1k") == 0) {
        c->n_ents = 16;
        c->size = 1024;
    } else if (strcmp(name, "app_1x64k") == 0) {
        c->size = 65536;
    }
}

void bench_codec(void)
{
    static const char *const names[] = {"app_1x16", "app_16x1k", "app_1x64k", "heartbeat",
                                        "vote"};
    uint64_t min_ns = bench_pick(20, 300) * 1000000u;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char bench[48], fields[512];
        snprintf(bench, sizeof bench, "codec_%s", names[k]);
        codec_case c;
        cc_setup(&c, names[k]);
        const uint8_t *b = NULL;
        size_t l = 0;
        double e_ns = 0, e_al = 0, p_ns = 0, p_al = 0, d_ns = 0, d_al = 0;
        int rc = raftc_sink_new(&c.ents);
        if (rc == 0)
            rc = raftc_sink_new(&c.out);
        if (rc == 0)
            rc = raftc_sink_new(&c.parts);
        if (rc == 0 && (c.payload = calloc(1, c.size ? c.size : 1)) == NULL)
            rc = RAFTC_ENOMEM;
        if (rc == 0)
            rc = cc_encode(&c, 0);
        if (rc == 0)
            rc = raftc_sink_get(&b, &l, c.out, 0);
        /* decode a private copy: c.out is rewritten by the encode runs */
        uint8_t *copy = rc == 0 ? malloc(l ? l : 1) : NULL;
        if (rc == 0 && copy == NULL)
            rc = RAFTC_ENOMEM;
        if (rc == 0) {
            memcpy(copy, b, l);
            rc = cc_measure(&c, OP_ENCODE, NULL, 0, min_ns, &e_ns, &e_al);
        }
        if (rc == 0)
            rc = cc_measure(&c, OP_ENCODE_PRE, NULL, 0, min_ns, &p_ns, &p_al);
        if (rc == 0)
            rc = cc_measure(&c, OP_DECODE, copy, l, min_ns, &d_ns, &d_al);
        if (rc != 0) {
            bench_emit_error(bench, "codec", rc, "");
        } else {
            snprintf(fields, sizeof fields,
                     "\"bytes\":%zu,\"encode_ns\":%.2f,\"encode_allocs\":%.2f,"
                     "\"encode_preencoded_ns\":%.2f,\"encode_preencoded_allocs\":%.2f,"
                     "\"decode_ns\":%.2f,\"decode_allocs\":%.2f",
                     l, e_ns, e_al, p_ns, p_al, d_ns, d_al);
            bench_emit(bench, fields);
        }
        free(copy);
        free(c.payload);
        raftc_sink_free(c.ents);
        raftc_sink_free(c.out);
        raftc_sink_free(c.parts);
    }
}
