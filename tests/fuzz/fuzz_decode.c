/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_decode.c: libFuzzer harness feeding arbitrary bytes to every decode path of raftc.h:
 * the raftpb helpers, the describe functions, the memory storage, the changer, conf change
 * decoding, and raftc_node_step on a live follower or leader (then a full Ready cycle). Errors
 * and PANIC (failed node) are fine; crashes, leaks, sanitizer reports and broken API promises
 * (e.g. a NULL string on success) are findings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host.h"
#include "raftc.h"

static void check_str(int rc, char *s, const char *what)
{
    if (rc == RAFTC_OK && s == NULL)
        fz_fail("%s: success with a NULL string", what);
    if (rc != RAFTC_OK && s != NULL)
        fz_fail("%s: error %d with a string", what, rc);
    if (s != NULL)
        (void)strlen(s);
    raftc_free(s);
}

static void decode_values(const uint8_t *d, size_t n, raftc_sink *s)
{
    uint64_t info[RAFTC_MF_COUNT], a, b, c;
    const uint8_t *p;
    size_t len, cnt;
    raftc_entry_type t;
    int al;
    char *str = NULL;
    (void)raftc_message_decode(info, RAFTC_MF_COUNT, d, n);
    (void)raftc_message_decode_parts(s, s, s, s, d, n);
    (void)raftc_message_strip_responses(s, d, n);
    (void)raftc_entry_decode(&a, &b, &t, &p, &len, d, n);
    (void)raftc_hard_state_decode(&a, &b, &c, d, n);
    uint64_t ids[8];
    for (int l = 0; l < 5; l++) /* 4 is outside the enum */
        (void)raftc_conf_state_decode(ids, 8, &cnt, &al, d, n, l);
    (void)raftc_snapshot_decode(&a, &b, s, s, d, n);
    (void)raftc_conf_change_decode_context(s, RAFTC_CC_V1, d, n);
    (void)raftc_conf_change_decode_context(s, RAFTC_CC_V2, d, n);
    (void)raftc_conf_change_decode_context(s, 7, d, n);
    check_str(raftc_message_describe(&str, d, n), str, "describe_message");
    str = NULL;
    check_str(raftc_entry_describe(&str, d, n), str, "describe_entry");
    str = NULL;
    check_str(raftc_hard_state_describe(&str, d, n), str, "describe_hard_state");
    str = NULL;
    check_str(raftc_conf_state_describe(&str, d, n), str, "describe_conf_state");
    str = NULL;
    check_str(raftc_snapshot_describe(&str, d, n), str, "describe_snapshot");
    /* The input split in two entries. */
    const uint8_t *ents[2] = {d, d + n / 2};
    size_t lens[2] = {n / 2, n - n / 2};
    str = NULL;
    check_str(raftc_entry_describe_list(&str, ents, lens, 2), str, "describe_entries");
    /* Every item the parts put in the sink must be readable. */
    for (size_t i = 0; i < raftc_sink_count(s); i++)
        if (raftc_sink_get(&p, &len, s, i) != RAFTC_OK || p == NULL)
            fz_fail("sink item %zu unreadable", i);
    raftc_sink_reset(s);
}

static void decode_storage(const uint8_t *d, size_t n, raftc_sink *s)
{
    raftc_memstorage *ms = NULL;
    if (raftc_memstorage_new(&ms) != RAFTC_OK)
        return;
    (void)raftc_memstorage_set_hard_state(ms, d, n);
    (void)raftc_memstorage_apply_snapshot(ms, d, n);
    /* The input cut into entries by its own bytes (each length byte, then that many bytes). */
    const uint8_t *ents[16];
    size_t lens[16], k = 0, off = 0;
    while (off < n && k < 16) {
        size_t l = d[off++];
        if (l > n - off)
            l = n - off;
        ents[k] = d + off;
        lens[k++] = l;
        off += l;
    }
    (void)raftc_memstorage_append(ms, ents, lens, k);
    uint64_t first = 0, last = 0, term = 0;
    if (raftc_memstorage_first_index(&first, ms) == RAFTC_OK &&
        raftc_memstorage_last_index(&last, ms) == RAFTC_OK) {
        (void)raftc_memstorage_term(&term, ms, last);
        (void)raftc_memstorage_entries(s, ms, first, last + 1, RAFTC_NO_LIMIT);
    }
    (void)raftc_memstorage_snapshot(s, ms);
    (void)raftc_memstorage_initial_state(s, s, ms);
    raftc_memstorage_free(ms);

    raftc_changer *ch = NULL;
    if (raftc_changer_new(&ch, 4, 0) == RAFTC_OK) {
        char *str = NULL;
        (void)raftc_changer_restore(ch, d, n);
        check_str(raftc_changer_describe(&str, ch), str, "changer_describe");
        (void)raftc_changer_conf_state(s, ch);
    }
    raftc_changer_free(ch);
    raftc_sink_reset(s);
}

/* A live node: id 1 of {1,2,3}; the leader (elected with 2's vote) when lead is set. */
static int live_node(fz_node *n, int lead)
{
    static const uint64_t voters[3] = {1, 2, 3};
    if (fz_node_init(n, 1, voters, 3, 0) != RAFTC_OK)
        return -1;
    if (!lead)
        return 0;
    raftc_sink *s = NULL;
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_VOTE_RESP;
    info[RAFTC_MF_TO] = 1;
    info[RAFTC_MF_FROM] = 2;
    const uint8_t *p = NULL;
    size_t len = 0;
    int rc = raftc_sink_new(&s);
    if (rc == RAFTC_OK)
        rc = raftc_node_campaign(n->node);
    while (rc == RAFTC_OK && fz_node_process_ready(n, NULL, NULL, 1) > 0) {
    }
    uint64_t st[RAFTC_ST_COUNT] = {0};
    if (rc == RAFTC_OK)
        rc = raftc_node_status_info(st, RAFTC_ST_COUNT, n->node);
    info[RAFTC_MF_TERM] = st[RAFTC_ST_TERM];
    if (rc == RAFTC_OK)
        rc = raftc_message_encode(s, info, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0, NULL, 0);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&p, &len, s, 0);
    if (rc == RAFTC_OK)
        rc = raftc_node_step(n->node, p, len);
    while (rc == RAFTC_OK && fz_node_process_ready(n, NULL, NULL, 1) > 0) {
    }
    if (rc == RAFTC_OK)
        rc = raftc_node_propose(n->node, (const uint8_t *)"x", 1);
    raftc_sink_free(s);
    return rc == RAFTC_OK ? 0 : -1;
}

/* Steps the whole input, then chunks of it, running Ready cycles in between. */
static void decode_node(const uint8_t *d, size_t n, raftc_sink *s)
{
    fz_node node;
    if (live_node(&node, n > 0 && (d[0] & 1)) != 0)
        fz_fail("live node setup failed");
    (void)raftc_node_step(node.node, d, n);
    size_t off = 1;
    for (int round = 0; round < 8; round++) {
        if (fz_node_process_ready(&node, NULL, NULL, 0) < 0 || raftc_node_is_failed(node.node))
            break;
        if (off >= n)
            break;
        size_t l = d[off++];
        if (l > n - off)
            l = n - off;
        (void)raftc_node_step(node.node, d + off, l);
        (void)raftc_node_tick(node.node);
        off += l;
    }
    (void)raftc_node_propose_conf_change(node.node, RAFTC_CC_V1, d, n);
    (void)raftc_node_propose_conf_change(node.node, RAFTC_CC_V2, d, n);
    if (!raftc_node_is_failed(node.node))
        (void)raftc_node_apply_conf_change(s, node.node,
                                           n > 0 && (d[0] & 2) ? RAFTC_CC_V2
                                                                          : RAFTC_CC_V1, d, n);
    if (raftc_node_is_failed(node.node)) {
        const char *e = raftc_node_last_error(node.node);
        if (raftc_node_tick(node.node) != RAFTC_EFAILED || e == NULL || !node.panicked)
            fz_fail("failed node without PANIC line or still accepting calls");
    }
    fz_node_free(&node);
    raftc_sink_reset(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    raftc_sink *s = NULL;
    if (raftc_sink_new(&s) != RAFTC_OK)
        return 0;
    decode_values(data, size, s);
    decode_storage(data, size, s);
    decode_node(data, size, s);
    raftc_sink_free(s);
    return 0;
}
