/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * canonical_codec.c: workload (c) on canonical/raft, its own wire codec (uvcodec.h) on the
 * messages of raftc-bench's bench_codec.c: AppendEntries with 1 x 16 B, 16 x 1 KiB, 1 x 64 KiB
 * entries (term 5, prev 100/5, commit 99), a heartbeat (an AppendEntries without entries) and a
 * RequestVote (term 6, last log 100/5). The same timing as raftc's: batches of 256 operations
 * for at least 20 ms (quick) / 300 ms, ns and raft_heap allocation calls per operation.
 * One encode = uvEncodeMessage (bufs array and header buffer allocated; the header, the batch
 * header and the entry headers written; the payloads referenced, not copied, as canonical's TCP
 * transport hands them to one uv_write) + freeing the two buffers (the transport does after the
 * write). One decode, of the message's bytes as received (preamble, header, payload in one
 * buffer): uvDecodeMessage (the entries array of an AppendEntries allocated) +
 * uvDecodeEntriesBatch (the entries point into the received payload: zero-copy, as raftc's
 * views) + freeing the array, as raft does when it is done with the entries. Not counted, as
 * the other harnesses' decode gets its bytes already received: the TCP transport's
 * raft_malloc of the payload buffer it reads each AppendEntries' payload into.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbench.h"
#include "uvcodec.h"

#define MAX_ENTS 16

static void msg_setup(struct raft_message *m, struct raft_entry *ents, const char *name,
                      uint8_t *payload)
{
    memset(m, 0, sizeof *m);
    m->server_id = 2;
    m->server_address = "2";
    if (strcmp(name, "vote") == 0) {
        m->type = RAFT_IO_REQUEST_VOTE;
        m->request_vote.term = 6;
        m->request_vote.candidate_id = 1;
        m->request_vote.last_log_index = 100;
        m->request_vote.last_log_term = 5;
        return;
    }
    m->type = RAFT_IO_APPEND_ENTRIES;
    m->append_entries.term = 5;
    m->append_entries.prev_log_index = 100;
    m->append_entries.prev_log_term = 5;
    m->append_entries.leader_commit = 99;
    if (strcmp(name, "heartbeat") == 0)
        return;
    unsigned n = strcmp(name, "app_16x1k") == 0 ? 16 : 1;
    size_t size = n == 16 ? 1024 : strcmp(name, "app_1x64k") == 0 ? 65536 : 16;
    for (unsigned i = 0; i < n; i++) {
        ents[i].term = 5;
        ents[i].type = RAFT_COMMAND;
        ents[i].buf.base = payload;
        ents[i].buf.len = size;
        ents[i].batch = NULL;
    }
    m->append_entries.entries = ents;
    m->append_entries.n_entries = n;
}

static int cc_encode(const struct raft_message *m)
{
    uv_buf_t *bufs = NULL;
    unsigned n = 0;
    int rc = uvEncodeMessage(m, &bufs, &n);
    if (rc != 0)
        return rc;
    raft_free(bufs[0].base);
    raft_free(bufs);
    return 0;
}

static int cc_decode(uint8_t *b, size_t l)
{
    uint64_t pre[2];
    if (l < sizeof pre)
        return RAFT_MALFORMED;
    memcpy(pre, b, sizeof pre);
    if (pre[1] > l - sizeof pre)
        return RAFT_MALFORMED;
    uv_buf_t header = {(char *)(b + sizeof pre), (size_t)pre[1]};
    struct raft_message m;
    memset(&m, 0, sizeof m);
    size_t payload_len = 0;
    int rc = uvDecodeMessage((unsigned long)pre[0], &header, &m, &payload_len);
    if (rc != 0 || m.type != RAFT_IO_APPEND_ENTRIES)
        return rc;
    if (sizeof pre + pre[1] + payload_len > l) {
        raft_free(m.append_entries.entries);
        return RAFT_MALFORMED;
    }
    if (m.append_entries.n_entries > 0)
        uvDecodeEntriesBatch(b + sizeof pre + pre[1], 0, m.append_entries.entries,
                             m.append_entries.n_entries);
    raft_free(m.append_entries.entries);
    return 0;
}

/* Runs encode (b == NULL) or decode for at least min_ns; sets ns/op and allocations/op. */
static int cc_measure(const struct raft_message *m, uint8_t *b, size_t l, uint64_t min_ns,
                      double *ns, double *allocs)
{
    uint64_t iters = 0, a0 = cb_alloc_calls(), t0 = cb_now_ns(), t1 = t0;
    while (t1 - t0 < min_ns) {
        for (int i = 0; i < 256; i++) {
            int rc = b == NULL ? cc_encode(m) : cc_decode(b, l);
            if (rc != 0)
                return rc;
        }
        iters += 256;
        t1 = cb_now_ns();
    }
    *ns = (double)(t1 - t0) / (double)iters;
    *allocs = (double)(cb_alloc_calls() - a0) / (double)iters;
    return 0;
}

/* The message's bytes in one malloc'd buffer (*out, *len), as they cross the wire. */
static int wire_bytes(const struct raft_message *m, uint8_t **out, size_t *len)
{
    uv_buf_t *bufs = NULL;
    unsigned n = 0;
    int rc = uvEncodeMessage(m, &bufs, &n);
    if (rc != 0)
        return rc;
    size_t l = 0;
    for (unsigned i = 0; i < n; i++)
        l += bufs[i].len;
    uint8_t *b = malloc(l > 0 ? l : 1);
    if (b != NULL) {
        uint8_t *p = b;
        for (unsigned i = 0; i < n; i++) {
            memcpy(p, bufs[i].base, bufs[i].len);
            p += bufs[i].len;
        }
    }
    raft_free(bufs[0].base);
    raft_free(bufs);
    *out = b;
    *len = l;
    return b != NULL ? 0 : RAFT_NOMEM;
}

void bench_codec(void)
{
    static const char *const names[] = {"app_1x16", "app_16x1k", "app_1x64k", "heartbeat",
                                        "vote"};
    uint64_t min_ns = cb_pick(20, 300) * 1000000u;
    uint8_t *payload = calloc(1, 65536);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char bench[48], fields[512];
        snprintf(bench, sizeof bench, "codec_%s", names[k]);
        struct raft_message m;
        struct raft_entry ents[MAX_ENTS];
        uint8_t *b = NULL;
        size_t l = 0;
        double e_ns = 0, e_al = 0, d_ns = 0, d_al = 0;
        int rc = payload == NULL ? RAFT_NOMEM : 0;
        if (rc == 0) {
            msg_setup(&m, ents, names[k], payload);
            rc = wire_bytes(&m, &b, &l);
        }
        if (rc == 0)
            rc = cc_measure(&m, NULL, 0, min_ns, &e_ns, &e_al);
        if (rc == 0)
            rc = cc_measure(&m, b, l, min_ns, &d_ns, &d_al);
        if (rc != 0) {
            cb_emit_error(bench, "codec", rc);
        } else {
            snprintf(fields, sizeof fields,
                     "\"bytes\":%zu,\"encode_ns\":%.2f,\"encode_allocs\":%.2f,"
                     "\"decode_ns\":%.2f,\"decode_allocs\":%.2f,\"encode_payload\":\"referenced\","
                     "\"decode_payload\":\"referenced in the received buffer\"",
                     l, e_ns, e_al, d_ns, d_al);
            cb_emit(bench, fields);
        }
        free(b);
    }
    free(payload);
}
