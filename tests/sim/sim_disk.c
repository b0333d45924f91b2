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
 * --inject unsynced is the mode's self-test: storages that never fsync (RAFTC_SYNC_NONE), so
 * power cuts lose acknowledged writes and some check must fail.
 */
#include <stdio.h>
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
                                   unsynced() ? RAFTC_SYNC_NONE : RAFTC_SYNC_EACH, 0};
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

void sim_disk_crash(sim_slot *s)
{
    bool power = sim_chance(500);
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
