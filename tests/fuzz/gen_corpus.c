/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * gen_corpus.c: writes the fuzzers' seed corpora at run time (no binary blobs in the repo):
 *   gen_corpus <decode-dir> <cluster-dir>
 * decode: valid raftpb values of every kind (messages of each type with entries, snapshot and
 * responses; entries; hard/conf states; snapshots; conf changes). cluster: op sequences from a
 * fixed-seed generator plus a few hand-written scenarios (elect, replicate, conf change).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "raftc.h"

static int n_written;

static void write_file(const char *dir, const char *name, const uint8_t *p, size_t len)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        return;
    }
    if (len > 0)
        fwrite(p, 1, len, f);
    fclose(f);
    n_written++;
}

/* Writes the last item of s. */
static void write_last(const char *dir, const char *name, raftc_sink *s)
{
    const uint8_t *p = NULL;
    size_t len = 0;
    size_t n = raftc_sink_count(s);
    if (n > 0 && raftc_sink_get(&p, &len, s, n - 1) == RAFTC_OK)
        write_file(dir, name, p, len);
}

static void gen_decode(const char *dir)
{
    /* Views into a sink die at its next put: values reused later get their own sinks. */
    raftc_sink *s = NULL, *ents = NULL, *css = NULL, *snaps = NULL;
    if (raftc_sink_new(&s) != RAFTC_OK || raftc_sink_new(&ents) != RAFTC_OK ||
        raftc_sink_new(&css) != RAFTC_OK || raftc_sink_new(&snaps) != RAFTC_OK)
        return;
    char name[64];
    static const uint64_t voters[] = {1, 2, 3}, learners[] = {4};
    raftc_conf_state_encode(css, voters, 3, learners, 1, voters, 2, NULL, 0, 1);
    write_last(dir, "conf_state", css);
    const uint8_t *cs = NULL;
    size_t cs_len = 0;
    raftc_sink_get(&cs, &cs_len, css, 0);
    raftc_snapshot_encode(snaps, 10, 3, cs, cs_len, (const uint8_t *)"data", 4);
    write_last(dir, "snapshot", snaps);
    const uint8_t *snap = NULL;
    size_t snap_len = 0;
    raftc_sink_get(&snap, &snap_len, snaps, 0);
    raftc_hard_state_encode(s, 5, 2, 9);
    write_last(dir, "hard_state", s);
    raftc_conf_change_encode(s, RAFTC_CC_ADD_NODE, 4, (const uint8_t *)"ctx", 3);
    write_last(dir, "conf_change_v1", s);
    raftc_cc_type types[2] = {RAFTC_CC_ADD_LEARNER_NODE, RAFTC_CC_REMOVE_NODE};
    uint64_t ids[2] = {4, 3};
    raftc_conf_change_v2_encode(s, RAFTC_CC_TRANSITION_JOINT_EXPLICIT, types, ids, 2, NULL, 0);
    write_last(dir, "conf_change_v2", s);
    raftc_entry_encode(ents, 2, 11, RAFTC_ENTRY_NORMAL, (const uint8_t *)"hello", 5);
    raftc_entry_encode(ents, 2, 12, RAFTC_ENTRY_CONF_CHANGE, NULL, 0);
    raftc_entry_encode(ents, 3, 13, RAFTC_ENTRY_CONF_CHANGE_V2, NULL, 0);
    write_last(dir, "entry", ents);
    const uint8_t *ep[3];
    size_t el[3];
    for (size_t i = 0; i < 3; i++)
        raftc_sink_get(&ep[i], &el[i], ents, i);
    for (int t = 0; t <= RAFTC_MSG_FORGET_LEADER; t++) {
        uint64_t info[RAFTC_MF_COUNT] = {0};
        info[RAFTC_MF_TYPE] = (uint64_t)t;
        info[RAFTC_MF_TO] = 1;
        info[RAFTC_MF_FROM] = t == RAFTC_MSG_STORAGE_APPEND_RESP ? RAFTC_LOCAL_APPEND_THREAD : 2;
        info[RAFTC_MF_TERM] = 3;
        info[RAFTC_MF_LOG_TERM] = 1;
        info[RAFTC_MF_INDEX] = 1;
        info[RAFTC_MF_COMMIT] = 1;
        info[RAFTC_MF_REJECT] = t == RAFTC_MSG_APP_RESP;
        int with_snap = t == RAFTC_MSG_SNAP;
        raftc_message_encode(s, info, RAFTC_MF_COUNT, t == RAFTC_MSG_APP ? ep : NULL,
                             t == RAFTC_MSG_APP ? el : NULL, t == RAFTC_MSG_APP ? 3 : 0,
                             with_snap ? snap : NULL, with_snap ? snap_len : 0,
                             (const uint8_t *)"c", t == RAFTC_MSG_READ_INDEX);
        snprintf(name, sizeof(name), "msg_%s", raftc_msg_type_name(t));
        write_last(dir, name, s);
    }
    write_file(dir, "empty", NULL, 0);
    raftc_sink_free(s);
    raftc_sink_free(ents);
    raftc_sink_free(css);
    raftc_sink_free(snaps);
}

static void gen_cluster(const char *dir)
{
    /* Hand-written: elect 1 (campaign, deliver+process repeatedly), propose, replicate. */
    static const uint8_t elect[] = {0x00, 0x02, 0x0a, 0x04, 0x04, 0x1a, 0x2a, 0x04, 0x04,
                                    0x0a, 0x04, 0x04, 0x03, 0x0a, 0x04, 0x04, 0x04, 0x1a,
                                    0x2a, 0x04, 0x04, 0x0a, 0x0f, 0x0f, 0x0f, 0x04, 0x04};
    write_file(dir, "elect", elect, sizeof(elect));
    uint8_t cc[sizeof(elect) + 12];
    memcpy(cc, elect, sizeof(elect));
    static const uint8_t tail[] = {0x0b, 0x03, 0x0a, 0x04, 0x04, 0x0f, 0x0f, 0x0f, 0x0d, 0x0f,
                                   0x0c, 0x0f};
    memcpy(cc + sizeof(elect), tail, sizeof(tail));
    write_file(dir, "elect_confchange", cc, sizeof(cc));
    /* Random op streams from a fixed seed, biased towards delivery and Ready processing. */
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int f = 0; f < 12; f++) {
        uint8_t buf[400];
        size_t len = 64 + (size_t)f * 28;
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[i] = (uint8_t)(x >> 24);
            if ((x & 3) == 0)
                buf[i] = (uint8_t)((buf[i] & 0xf0) | 0x04); /* deliver */
            else if ((x & 7) == 1)
                buf[i] = (uint8_t)((buf[i] & 0xf0) | 0x0f); /* settle */
        }
        char name[32];
        snprintf(name, sizeof(name), "random_%02d", f);
        write_file(dir, name, buf, len);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <decode-corpus-dir> <cluster-corpus-dir>\n", argv[0]);
        return 2;
    }
    gen_decode(argv[1]);
    gen_cluster(argv[2]);
    printf("gen_corpus: wrote %d seed files\n", n_written);
    return n_written > 0 ? 0 : 1;
}
