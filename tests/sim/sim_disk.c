/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_disk.c: --disk, the simulator's nodes on the disk storage. Each node's storage is a
 * raftc_diskstorage on an in-memory machine of its own (raftc_testing_control's
 * RAFTC_TESTING_MEMFS: the path "memfs:<machine>/n<id>"); the node reads the storage's
 * in-memory copy (raftc_diskstorage_memstorage), which is also what the checks read as the
 * node's persisted state. A crash is a power cut of the node's machine half of the time (every
 * write not fsynced is dropped or torn), else a process crash; either way the storage is freed
 * and opened again at once, so a DOWN node's persisted state is what recovery gave back, and
 * every check (election safety, log matching, state machine safety, ...) runs on it.
 *
 * --async-writes adds etcd's async storage writes: the nodes put their MsgStorageAppend
 * messages in the Ready, which go to the storage's writer thread (raftc_diskstorage_submit_ready);
 * the simulator then waits until the thread has persisted everything submitted and takes all
 * its responses, so that batches, and with them what a power cut leaves, stay deterministic;
 * the thread only ever runs while the simulator waits for it (the node reads the storage's
 * copy through callbacks, without the storage's locks). A crash with a MsgStorageAppend in
 * flight (crash point 1) never cuts the power while the thread works: the seeded RNG decides
 * where the crash finds the thread, done with the message (the simulator waits for it; its
 * responses die with the process, and a power cut finds it written, fsynced if it had to be)
 * or not started on it (a power cut comes before the submit, so the message is lost; a
 * process crash leaves it queued, and freeing the storage persists it). Snapshots received
 * from a leader reach the disk inside MsgStorageAppend.
 *
 * --inject unsynced is the mode's self-test: storages that never fsync (RAFTC_SYNC_NONE), so
 * power cuts lose acknowledged writes and some check must fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SIM_SEGMENT_SIZE (64u << 10)

static uint64_t machine_of(const sim_slot *s)
{
    return S.opts.seed * SIM_MAX_IDS + s->id;
}

static bool unsynced(void)
{
    return S.opts.inject != NULL && strcmp(S.opts.inject, "unsynced") == 0;
}

void sim_disk_begin_run(void)
{
    if (raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 0) != RAFTC_OK ||
        raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 1) != RAFTC_OK)
        sim_fail("cannot switch the in-memory file systems on");
}

void sim_disk_end_run(void)
{
    raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 0);
}

void sim_disk_open(sim_slot *s)
{
    char path[64];
    snprintf(path, sizeof path, "memfs:%llu/n%llu", (unsigned long long)machine_of(s),
             (unsigned long long)s->id);
    raftc_diskstorage_options o = {sizeof o, SIM_SEGMENT_SIZE,
                                   unsynced() ? RAFTC_SYNC_NONE : RAFTC_SYNC_EACH,
                                   S.opts.async_writes ? 1 : 0};
    char err[256] = "";
    int rc = raftc_diskstorage_open(&s->ds, err, sizeof err, path, &o);
    if (rc != RAFTC_OK)
        sim_fail("n%llu: opening its disk storage failed: %s (%s)", (unsigned long long)s->id,
                 raftc_strerror(rc), err);
    sim_ck(raftc_diskstorage_memstorage(&s->ms, s->ds), "raftc_diskstorage_memstorage", s);
}

void sim_disk_free(sim_slot *s)
{
    raftc_diskstorage_free(s->ds);
    s->ds = NULL;
    s->ms = NULL;
}

void sim_disk_crash(sim_slot *s, int kind)
{
    bool power = kind == SIM_CRASH_DRAW ? sim_chance(500) : kind == SIM_CRASH_POWER;
    if (power) {
        sim_ck(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, machine_of(s)),
               "power cut", s);
        S.n_power_cuts++;
    }
    sim_disk_free(s);
    sim_disk_open(s);
    uint64_t torn = 0, last = 0;
    raftc_diskstorage_stat(&torn, s->ds, RAFTC_DS_TORN_BYTES);
    raftc_memstorage_last_index(&last, s->ms);
    sim_trace("n%llu %s: storage reopened, last index %llu, %llu torn bytes cut",
              (unsigned long long)s->id, power ? "POWER CUT" : "process crash",
              (unsigned long long)last, (unsigned long long)torn);
}

void sim_disk_check(const sim_slot *s, int rc, const char *what)
{
    if (rc != RAFTC_OK)
        sim_fail("n%llu: %s: %s (%s)", (unsigned long long)s->id, what, raftc_strerror(rc),
                 raftc_diskstorage_last_error(s->ds));
}

/* Waits until the writer thread has persisted everything submitted to s's storage and takes
 * every response of it: a take that waits without limit returns nothing (done == 0) only
 * once no submitted message is pending and every response was taken, whatever the thread's
 * timing. With deliver, the responses go to the node itself (its MsgStorageAppendResp) by a
 * step, to peers by the network; without, they are dropped (the process crashed). */
static void take_all_responses(sim_slot *s, bool deliver)
{
    raftc_sink *resp = NULL;
    sim_ck(raftc_sink_new(&resp), "raftc_sink_new", s);
    for (;;) {
        uint64_t done = 0;
        raftc_sink_reset(resp);
        sim_disk_check(s, raftc_diskstorage_take_responses(resp, &done, s->ds, -1),
                       "raftc_diskstorage_take_responses");
        if (done == 0)
            break;
        for (size_t i = 0; i < raftc_sink_count(resp) && deliver; i++) {
            const uint8_t *b;
            size_t n;
            uint64_t mi[RAFTC_MF_COUNT];
            sim_ck(raftc_sink_get(&b, &n, resp, i), "response item", s);
            sim_ck(raftc_message_decode(mi, RAFTC_MF_COUNT, b, n), "raftc_message_decode", s);
            if (mi[RAFTC_MF_TO] == s->id)
                sim_ck(raftc_node_step(s->node, b, n), "raftc_node_step (append response)", s);
            else
                sim_net_send(s->id, b, n);
        }
    }
    raftc_sink_free(resp);
    uint64_t pending = 0;
    sim_ck(raftc_diskstorage_stat(&pending, s->ds, RAFTC_DS_PENDING), "stat", s);
    if (pending != 0)
        sim_fail("n%llu: %llu messages pending after every response was taken",
                 (unsigned long long)s->id, (unsigned long long)pending);
}

/* The apply thread's work on one MsgStorageApply: apply its entries, step its responses. */
static void apply_message(sim_slot *s, const uint8_t *buf, size_t len)
{
    raftc_sink *ents = NULL, *resps = NULL;
    sim_ck(raftc_sink_new(&ents), "raftc_sink_new", s);
    sim_ck(raftc_sink_new(&resps), "raftc_sink_new", s);
    sim_ck(raftc_message_decode_parts(ents, NULL, resps, NULL, buf, len),
           "raftc_message_decode_parts", s);
    for (size_t i = 0; i < raftc_sink_count(ents); i++) {
        const uint8_t *e;
        size_t n;
        sim_ck(raftc_sink_get(&e, &n, ents, i), "entry item", s);
        sim_node_apply_entry(s, e, n);
    }
    for (size_t i = 0; i < raftc_sink_count(resps); i++) {
        const uint8_t *b;
        size_t n;
        sim_ck(raftc_sink_get(&b, &n, resps, i), "response item", s);
        sim_ck(raftc_node_step(s->node, b, n), "raftc_node_step (apply response)", s);
    }
    raftc_sink_free(ents);
    raftc_sink_free(resps);
}

bool sim_disk_async_ready(sim_slot *s, raftc_ready *rd, const uint64_t *info, int crash_point)
{
    const uint8_t *buf;
    size_t len;
    size_t n_ents = (size_t)info[RAFTC_RD_N_ENTRIES];
    if (n_ents > 0) { /* the entries the MsgStorageAppend carries, checked as in the sync loop */
        const uint8_t **ents = sim_xmalloc(n_ents * sizeof *ents);
        size_t *lens = sim_xmalloc(n_ents * sizeof *lens);
        for (size_t i = 0; i < n_ents; i++)
            sim_ck(raftc_ready_entry(&ents[i], &lens[i], rd, i), "raftc_ready_entry", s);
        sim_check_persisted(s, ents, lens, n_ents);
        free(ents);
        free(lens);
    }
    if (crash_point == 1) {
        /* The crash with the MsgStorageAppend in flight: where it finds the writer thread is
         * drawn here, never left to the thread's timing (see the top of the file). */
        int kind = sim_chance(500) ? SIM_CRASH_POWER : SIM_CRASH_PROCESS;
        bool written = sim_chance(500);
        if (written || kind == SIM_CRASH_PROCESS)
            sim_disk_check(s, raftc_diskstorage_submit_ready(s->ds, rd),
                           "raftc_diskstorage_submit_ready");
        if (written)
            take_all_responses(s, false);
        sim_trace("n%llu crash point: MsgStorageAppend %s, responses not taken",
                  (unsigned long long)s->id,
                  written ? "persisted"
                  : kind == SIM_CRASH_PROCESS ? "queued (freeing the storage persists it)"
                                              : "lost (not submitted before the power cut)");
        sim_node_crash_as(s, kind);
        return false;
    }
    sim_disk_check(s, raftc_diskstorage_submit_ready(s->ds, rd), "raftc_diskstorage_submit_ready");
    if (info[RAFTC_RD_HAS_SNAPSHOT]) {
        sim_ck(raftc_ready_snapshot(&buf, &len, rd), "raftc_ready_snapshot", s);
        uint8_t *copy = sim_xmalloc(len);
        memcpy(copy, buf, len);
        sim_node_sm_restore(s, copy, len);
        free(copy);
    }
    /* copy the messages: stepping responses ends the Ready view */
    size_t n_msgs = (size_t)info[RAFTC_RD_N_MESSAGES];
    uint8_t **msgs = sim_xmalloc((n_msgs + 1) * sizeof *msgs);
    size_t *lens = sim_xmalloc((n_msgs + 1) * sizeof *lens);
    uint64_t *tos = sim_xmalloc((n_msgs + 1) * sizeof *tos);
    for (size_t i = 0; i < n_msgs; i++) {
        uint64_t mi[RAFTC_MF_COUNT];
        sim_ck(raftc_ready_message(&buf, &len, rd, i), "raftc_ready_message", s);
        sim_ck(raftc_ready_message_info(mi, RAFTC_MF_COUNT, rd, i), "message info", s);
        msgs[i] = sim_xmalloc(len + 1);
        memcpy(msgs[i], buf, len);
        lens[i] = len;
        tos[i] = mi[RAFTC_MF_TO];
    }
    uint64_t n_reads = info[RAFTC_RD_N_READ_STATES];
    for (uint64_t i = 0; i < n_reads; i++) {
        uint64_t index, read_id = 0;
        const uint8_t *ctx;
        size_t ctx_len;
        sim_ck(raftc_ready_read_state(&index, &ctx, &ctx_len, rd, i), "raftc_ready_read_state",
               s);
        if (ctx_len != 8)
            sim_fail("n%llu: read state with a %zu-byte context", (unsigned long long)s->id,
                     ctx_len);
        memcpy(&read_id, ctx, 8);
        sim_check_read_state(s, read_id, index);
    }
    for (size_t i = 0; i < n_msgs; i++)
        if (tos[i] != RAFTC_LOCAL_APPEND_THREAD && tos[i] != RAFTC_LOCAL_APPLY_THREAD)
            sim_net_send(s->id, msgs[i], lens[i]); /* async mode: none waits for the disk */
    take_all_responses(s, true);
    bool up = true;
    if (crash_point == 2) {
        sim_trace("n%llu crash point: appended and answered, before applying",
                  (unsigned long long)s->id);
        sim_node_crash(s);
        up = false;
    }
    for (size_t i = 0; i < n_msgs && up; i++)
        if (tos[i] == RAFTC_LOCAL_APPLY_THREAD)
            apply_message(s, msgs[i], lens[i]);
    if (up)
        sim_node_serve_reads(s);
    for (size_t i = 0; i < n_msgs; i++)
        free(msgs[i]);
    free(msgs);
    free(lens);
    free(tos);
    if (up && crash_point == 3) {
        sim_trace("n%llu crash point: after applying", (unsigned long long)s->id);
        sim_node_crash(s);
        up = false;
    }
    return up;
}
