/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_host.c: the hosts of raftc-sim's multi-raft mode (sim_host.h): creation with the seed's
 * options, the host Ready loop (persist every group's Ready to its disk copy, one "fsync" per
 * host Ready, then send the envelopes, apply, advance; crash points between the stages), whole
 * host crashes and restarts from the disk copies, snapshots with compaction, and the run loop
 * with its heal windows, quiet scenarios and final convergence.
 *
 * Persistence model: each replica's raftc_memstorage `disk` holds exactly what its host made
 * durable: a host Ready is written to the disks of all its groups before any envelope leaves
 * (the one write + fsync a durable host storage does), and a crash loses everything else. A
 * restart rebuilds each state machine from its disk's snapshot and loads the group from the
 * disk (raftc_host_load_group) with Applied = the snapshot index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_host.h"

sh_state H;
static uint64_t total_power_cuts; /* --disk, over a soak */

bool sim_host_up(int i)
{
    return H.hosts[i].h != NULL;
}

void sim_host_ck(int rc, const char *what, int i)
{
    if (rc == RAFTC_OK)
        return;
    sim_fail("%s on host %d: %s (%s)", what, i + 1, raftc_strerror(rc),
             i >= 0 && H.hosts[i].h != NULL ? raftc_host_last_error(H.hosts[i].h) : "");
}

raftc_node *sim_host_node(int i, int g)
{
    if (!sim_host_up(i) || !H.hosts[i].r[g].exists)
        return NULL;
    raftc_node *n = NULL;
    sim_host_ck(raftc_host_group(&n, H.hosts[i].h, H.groups[g].id), "raftc_host_group", i);
    return n;
}

void sim_host_status(int i, int g, uint64_t *st)
{
    memset(st, 0, sizeof(uint64_t) * RAFTC_ST_COUNT);
    raftc_node *n = sim_host_node(i, g);
    if (n != NULL)
        raftc_node_status_info(st, RAFTC_ST_COUNT, n);
}

int sim_host_top_leader(int g)
{
    int best = -1;
    uint64_t best_term = 0;
    for (int i = 0; i < H.n_hosts; i++) {
        uint64_t st[RAFTC_ST_COUNT];
        sim_host_status(i, g, st);
        if (st[RAFTC_ST_RAFT_STATE] == RAFTC_STATE_LEADER && st[RAFTC_ST_TERM] > best_term) {
            best = i;
            best_term = st[RAFTC_ST_TERM];
        }
    }
    return best;
}

static void log_line(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    sh_host *h = ud;
    if (level < RAFTC_LOG_INFO)
        return;
    sim_trace("h%d log[%d]: %.*s", (int)(h - H.hosts) + 1, level, (int)len, msg);
    if (level >= RAFTC_LOG_PANIC)
        h->panicked = true;
}

static void host_create(int i)
{
    sh_host *hh = &H.hosts[i];
    raftc_config *cfg = NULL;
    sim_host_ck(raftc_config_new(&cfg), "raftc_config_new", -1);
    sim_config_set_params(cfg, (uint64_t)i + 1, hh->incarnation);
    raftc_config_set_logger(cfg, log_line, hh);
    int rc = raftc_host_new(&hh->h, cfg, (uint64_t)i + 1);
    raftc_config_free(cfg);
    sim_host_ck(rc, "raftc_host_new", -1);
    sim_host_ck(raftc_host_set_quiesce(hh->h, H.quiesce), "raftc_host_set_quiesce", i);
    hh->panicked = false;
    hh->quiet_since = 0;
}

/* ---- the durable host storage (--disk) ---- */

static void sim_store_ck(int i, int rc, const char *what)
{
    if (rc != RAFTC_OK)
        sim_fail("raftc_hoststore_%s on host %d: %s (%s)", what, i + 1, raftc_strerror(rc),
                 H.hosts[i].hs != NULL ? raftc_hoststore_last_error(H.hosts[i].hs) : "");
}

static void store_open(int i)
{
    char path[64], err[256];
    snprintf(path, sizeof path, "memfs:%d/host", i + 1);
    /* small checkpoints: every run rewrites its logs many times */
    int rc = raftc_hoststore_open(&H.hosts[i].hs, err, sizeof err, path, 16384);
    if (rc != RAFTC_OK)
        sim_fail("raftc_hoststore_open(%s): %s: %s", path, raftc_strerror(rc), err);
}

static void store_close(int i)
{
    sh_host *hh = &H.hosts[i];
    if (hh->hs == NULL)
        return;
    uint64_t v[RAFTC_HS_COUNT];
    raftc_hoststore_info(v, RAFTC_HS_COUNT, hh->hs);
    H.n_checkpoints += v[RAFTC_HS_CHECKPOINTS];
    H.n_saves += v[RAFTC_HS_SAVES];
    H.n_fsyncs += v[RAFTC_HS_FSYNCS];
    raftc_hoststore_free(hh->hs);
    hh->hs = NULL;
}

/* ---- state machines ---- */

static void sm_restore(int i, int g, const uint8_t *snap, size_t snap_len)
{
    char who[32];
    snprintf(who, sizeof who, "h%d g%d", i + 1, g + 1);
    sim_host_ck(sim_sm_restore(&H.hosts[i].r[g].sm, who, snap, snap_len),
                "raftc_snapshot_decode", i);
    sim_host_check_sm_restore(i, g);
}

/* ---- replicas ---- */

static void replica_free(sh_replica *r)
{
    raftc_memstorage_free(r->disk);
    r->disk = NULL;
    sim_sm_free(&r->sm);
    r->exists = false;
}

void sim_host_add_replica(int i, int g)
{
    sh_replica *r = &H.hosts[i].r[g];
    if (r->exists || r->retired)
        sim_fail("h%d g%d: replica created twice", i + 1, g + 1);
    sim_host_ck(raftc_memstorage_new(&r->disk), "raftc_memstorage_new", i);
    r->exists = true;
    sim_host_ck(raftc_host_add_group(H.hosts[i].h, H.groups[g].id, NULL, 0),
                "raftc_host_add_group", i);
    sim_trace("h%d g%d ADD REPLICA (empty, to be added by a conf change)", i + 1, g + 1);
}

void sim_host_retire(int i, int g, const char *why)
{
    sh_replica *r = &H.hosts[i].r[g];
    sim_trace("h%d g%d RETIRED (%s)", i + 1, g + 1, why);
    if (sim_host_up(i) && H.hosts[i].hs != NULL)
        sim_store_ck(i, raftc_hoststore_remove_group(H.hosts[i].hs, H.hosts[i].h, H.groups[g].id),
                     "remove_group");
    else if (sim_host_up(i))
        sim_host_ck(raftc_host_remove_group(H.hosts[i].h, H.groups[g].id),
                    "raftc_host_remove_group", i);
    replica_free(r);
    r->retired = true;
}

void sim_host_snapshot(int i, int g, bool compact)
{
    sh_replica *r = &H.hosts[i].r[g];
    const sim_sm *sm = &r->sm;
    if (!sim_host_up(i) || !r->exists || sm->applied <= sm->snap_index || sm->conf_state_len == 0)
        return;
    size_t len;
    uint8_t *data = sim_sm_encode(sm, &len);
    uint64_t gid = H.groups[g].id;
    int rc = H.hosts[i].hs != NULL
                 ? raftc_hoststore_create_snapshot(NULL, H.hosts[i].hs, H.hosts[i].h, gid,
                                                   sm->applied, sm->conf_state,
                                                   sm->conf_state_len, data, len)
                 : raftc_host_create_snapshot(NULL, H.hosts[i].h, gid, sm->applied,
                                              sm->conf_state, sm->conf_state_len, data, len);
    sim_store_ck(i, rc, "create_snapshot");
    sim_host_ck(raftc_memstorage_create_snapshot(NULL, r->disk, sm->applied, sm->conf_state,
                                                 sm->conf_state_len, data, len),
                "raftc_memstorage_create_snapshot (disk)", i);
    free(data);
    r->sm.snap_index = r->sm.applied;
    S.n_snapshots++;
    if (!compact)
        return;
    uint64_t first = 0;
    sim_host_ck(raftc_memstorage_first_index(&first, r->disk), "first_index", i);
    uint64_t keep = sim_below(r->sm.applied < 40 ? r->sm.applied : 40);
    uint64_t c = r->sm.applied - keep;
    if (c > first - 1 && c >= 1) {
        sim_host_ck(raftc_host_compact(H.hosts[i].h, gid, c), "raftc_host_compact", i);
        sim_host_ck(raftc_memstorage_compact(r->disk, c), "raftc_memstorage_compact (disk)", i);
    }
    sim_trace("h%d g%d SNAPSHOT at %llu, compacted to %llu", i + 1, g + 1,
              (unsigned long long)r->sm.applied,
              (unsigned long long)(compact && c > first - 1 ? c : first - 1));
}

/* ---- crash and restart ---- */

void sim_host_crash(int i)
{
    sh_host *hh = &H.hosts[i];
    if (hh->h == NULL)
        return;
    sim_trace("h%d CRASH (every group's memory lost)", i + 1);
    raftc_host_free(hh->h);
    hh->h = NULL;
    for (int g = 0; g < H.n_groups; g++)
        sim_sm_clear(&hh->r[g].sm);
    H.n_host_crashes++;
    S.n_crashes++;
    if (hh->hs != NULL && sim_chance(500)) {
        /* what was saved was fsynced before anything was sent: a power cut loses none of it */
        sim_trace("h%d POWER CUT", i + 1);
        sim_host_ck(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, (uint64_t)i + 1),
                    "raftc_testing_control(power cut)", -1);
        H.n_power_cuts++;
    }
    store_close(i);
}

/* --disk: the store recovered replica (i, g) as the simulator knows it persisted: present iff
 * anything was persisted, with the persisted term and vote, a commit between its snapshot and
 * the persisted one (a commit-only HardState is not fsynced: a power cut may lose it), and its
 * snapshot's index as applied. */
static void check_recovered(int i, int g, bool empty)
{
    sh_replica *r = &H.hosts[i].r[g];
    raftc_node *n = NULL;
    int rc = raftc_host_group(&n, H.hosts[i].h, H.groups[g].id);
    if (empty) {
        if (rc == RAFTC_OK)
            sim_fail("h%d g%d: the store recovered a group that never persisted anything", i + 1,
                     g + 1);
        return;
    }
    if (rc != RAFTC_OK)
        sim_fail("h%d g%d: the store lost the group", i + 1, g + 1);
    uint64_t st[RAFTC_ST_COUNT], term = 0, vote = 0, commit = 0;
    raftc_node_status_info(st, RAFTC_ST_COUNT, n);
    sim_storage_hard_state(r->disk, &term, &vote, &commit);
    if (st[RAFTC_ST_TERM] != term || st[RAFTC_ST_VOTE] != vote ||
        st[RAFTC_ST_COMMIT] > commit || st[RAFTC_ST_COMMIT] < r->sm.snap_index ||
        st[RAFTC_ST_APPLIED] != r->sm.snap_index)
        sim_fail("h%d g%d: the store recovered term %llu vote %llu commit %llu applied %llu, "
                 "persisted: term %llu vote %llu commit %llu snapshot %llu",
                 i + 1, g + 1, (unsigned long long)st[RAFTC_ST_TERM],
                 (unsigned long long)st[RAFTC_ST_VOTE], (unsigned long long)st[RAFTC_ST_COMMIT],
                 (unsigned long long)st[RAFTC_ST_APPLIED], (unsigned long long)term,
                 (unsigned long long)vote, (unsigned long long)commit,
                 (unsigned long long)r->sm.snap_index);
}

void sim_host_restart(int i)
{
    sh_host *hh = &H.hosts[i];
    hh->incarnation++;
    host_create(i);
    S.n_restarts++;
    if (S.opts.disk) {
        store_open(i);
        sim_store_ck(i, raftc_hoststore_load(hh->hs, hh->h), "load");
    }
    int loaded = 0;
    for (int g = 0; g < H.n_groups; g++) {
        sh_replica *r = &hh->r[g];
        if (!r->exists)
            continue;
        raftc_sink_reset(S.sk_a);
        sim_host_ck(raftc_memstorage_snapshot(S.sk_a, r->disk), "raftc_memstorage_snapshot", i);
        const uint8_t *snap;
        size_t snap_len;
        sim_host_ck(raftc_sink_get(&snap, &snap_len, S.sk_a, 0), "snapshot item", i);
        uint8_t *copy = sim_xmalloc(snap_len);
        memcpy(copy, snap, snap_len);
        sm_restore(i, g, copy, snap_len);
        free(copy);
        uint64_t last = 0, term = 0;
        sim_host_ck(raftc_memstorage_last_index(&last, r->disk), "last_index", i);
        sim_storage_hard_state(r->disk, &term, NULL, NULL);
        /* nothing persisted: no entry, no snapshot, no HardState (a joiner may have persisted
         * a term and a vote only) */
        bool empty = last == 0 && r->sm.snap_index == 0 && term == 0;
        const sh_group *gr = &H.groups[g];
        if (S.opts.disk) {
            check_recovered(i, g, empty);
            if (empty)
                sim_host_ck(raftc_host_add_group(hh->h, gr->id, gr->voters,
                                                 r->initial ? gr->n_voters : 0),
                            "raftc_host_add_group", i);
        } else if (empty) {
            /* Nothing persisted yet: created afresh (bootstrapped again if initial). */
            sim_host_ck(raftc_host_add_group(hh->h, gr->id, gr->voters,
                                             r->initial ? gr->n_voters : 0),
                        "raftc_host_add_group", i);
        } else {
            sim_host_ck(raftc_host_load_group(hh->h, gr->id, r->disk, r->sm.applied),
                        "raftc_host_load_group", i);
        }
        if (!empty) {
            /* The loaded log starts after its snapshot (entries before it are dropped): the
             * disk copy follows, so that both compact alike. */
            uint64_t first = 0;
            sim_host_ck(raftc_memstorage_first_index(&first, r->disk), "first_index", i);
            if (r->sm.snap_index > 0 && first <= r->sm.snap_index)
                sim_host_ck(raftc_memstorage_compact(r->disk, r->sm.snap_index),
                            "raftc_memstorage_compact (disk)", i);
        }
        loaded++;
    }
    /* a group removed while the host was down is removed from its store now */
    for (int g = 0; S.opts.disk && g < H.n_groups; g++) {
        raftc_node *n;
        if (!hh->r[g].exists && raftc_host_group(&n, hh->h, H.groups[g].id) == RAFTC_OK)
            sim_store_ck(i, raftc_hoststore_remove_group(hh->hs, hh->h, H.groups[g].id),
                         "remove_group");
    }
    sim_trace("h%d RESTART: %d groups loaded from disk", i + 1, loaded);
}

/* ---- the host Ready ---- */

static void persist_group(int i, int g, raftc_ready *rd, const uint64_t *info)
{
    sh_replica *r = &H.hosts[i].r[g];
    const uint8_t *buf;
    size_t len;
    if (info[RAFTC_RD_HAS_SNAPSHOT]) {
        sim_host_ck(raftc_ready_snapshot(&buf, &len, rd), "raftc_ready_snapshot", i);
        sim_host_ck(raftc_memstorage_apply_snapshot(r->disk, buf, len),
                    "raftc_memstorage_apply_snapshot (disk)", i);
    }
    size_t n = (size_t)info[RAFTC_RD_N_ENTRIES];
    if (n > 0) {
        const uint8_t **ents = sim_xmalloc(n * sizeof *ents);
        size_t *lens = sim_xmalloc(n * sizeof *lens);
        for (size_t k = 0; k < n; k++)
            sim_host_ck(raftc_ready_entry(&ents[k], &lens[k], rd, k), "raftc_ready_entry", i);
        sim_host_check_persisted(i, g, ents, lens, n);
        int rc = raftc_memstorage_append(r->disk, ents, lens, n);
        free(ents);
        free(lens);
        sim_host_ck(rc, "raftc_memstorage_append (disk)", i);
    }
    if (info[RAFTC_RD_HAS_HARD_STATE]) {
        sim_host_ck(raftc_ready_hard_state(&buf, &len, rd), "raftc_ready_hard_state", i);
        sim_host_ck(raftc_memstorage_set_hard_state(r->disk, buf, len),
                    "raftc_memstorage_set_hard_state (disk)", i);
    }
}

static void apply_entry(int i, int g, const uint8_t *buf, size_t len)
{
    sh_replica *r = &H.hosts[i].r[g];
    uint64_t term, index;
    raftc_entry_type type;
    const uint8_t *data;
    size_t dlen;
    sim_host_ck(raftc_entry_decode(&term, &index, &type, &data, &dlen, buf, len),
                "raftc_entry_decode", i);
    if (index != r->sm.applied + 1)
        sim_fail("h%d g%d: committed entry %llu/%llu handed out with applied=%llu", i + 1, g + 1,
                 (unsigned long long)term, (unsigned long long)index,
                 (unsigned long long)r->sm.applied);
    sim_host_check_apply(i, g, index, term, type, data, dlen);
    if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
        int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
        raftc_node *node = sim_host_node(i, g);
        raftc_sink_reset(S.sk_a);
        sim_host_ck(raftc_node_apply_conf_change(S.sk_a, node, kind, data, dlen),
                    "raftc_node_apply_conf_change", i);
        const uint8_t *cs;
        size_t cs_len;
        sim_host_ck(raftc_sink_get(&cs, &cs_len, S.sk_a, 0), "conf state item", i);
        sim_sm_set_conf_state(&r->sm, cs, cs_len);
        r->cc_applied = true;
        sim_host_note_config(g, index, cs, cs_len);
        char *text = NULL;
        raftc_conf_state_describe(&text, cs, cs_len);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "h%d g%d applied conf change at %llu -> ", i + 1, g + 1,
                 (unsigned long long)index);
        sim_trace_owned(prefix, text);
    } else {
        uint64_t id = sim_payload_id(data, dlen);
        if (id != 0)
            sim_sm_push(&r->sm, index, id);
    }
    r->sm.applied = index;
}

/* The k-th group Ready of host i's batch b: its group index into *g and its info. */
static raftc_ready *batch_group(int i, raftc_batch *b, size_t k, int *g, uint64_t *info)
{
    uint64_t gid;
    raftc_ready *rd;
    sim_host_ck(raftc_batch_group(&gid, &rd, b, k), "raftc_batch_group", i);
    if (gid == 0 || gid > (uint64_t)H.n_groups) /* group ids are index + 1 */
        sim_fail("host Ready names unknown group %llu", (unsigned long long)gid);
    *g = (int)(gid - 1);
    sim_host_ck(raftc_ready_info(info, RAFTC_RD_COUNT, rd), "raftc_ready_info", i);
    return rd;
}

/* One host Ready; false if the host crashed inside it. */
static bool handle_ready(int i)
{
    raftc_host *h = H.hosts[i].h;
    raftc_batch *b = NULL;
    sim_host_ck(raftc_host_ready(&b, h), "raftc_host_ready", i);
    size_t n_groups = raftc_batch_group_count(b);
    int crash_point = 0;
    if (S.opts.crash && !S.healing && sim_chance(4))
        crash_point = 1 + (int)sim_below(3);
    if (crash_point == 1) {
        sim_trace("h%d crash point: before persisting a host Ready of %zu groups", i + 1,
                  n_groups);
        sim_host_crash(i);
        return false;
    }
    /* 1. persist every group (one write + fsync for the host) */
    for (size_t k = 0; k < n_groups; k++) {
        int g;
        uint64_t info[RAFTC_RD_COUNT];
        raftc_ready *rd = batch_group(i, b, k, &g, info);
        char *text = NULL;
        raftc_ready_describe(&text, rd);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "h%d g%d ", i + 1, g + 1);
        sim_trace_owned(prefix, text);
        persist_group(i, g, rd, info);
    }
    if (H.hosts[i].hs != NULL) /* the same host Ready, durably: one write, one fsync */
        sim_store_ck(i, raftc_hoststore_save(H.hosts[i].hs, h), "save");
    if (crash_point == 2) {
        sim_trace("h%d crash point: after persisting, before sending", i + 1);
        sim_host_crash(i);
        return false;
    }
    /* 2. send every envelope */
    size_t n_env = raftc_batch_envelope_count(b);
    for (size_t k = 0; k < n_env; k++) {
        uint64_t to;
        const uint8_t *buf;
        size_t len;
        sim_host_ck(raftc_batch_envelope(&to, &buf, &len, b, k), "raftc_batch_envelope", i);
        sim_host_net_send(i, to, buf, len);
    }
    /* 3. apply */
    for (size_t k = 0; k < n_groups; k++) {
        int g;
        uint64_t info[RAFTC_RD_COUNT];
        raftc_ready *rd = batch_group(i, b, k, &g, info);
        const uint8_t *buf;
        size_t len;
        if (info[RAFTC_RD_HAS_SNAPSHOT]) {
            sim_host_ck(raftc_ready_snapshot(&buf, &len, rd), "raftc_ready_snapshot", i);
            sm_restore(i, g, buf, len);
        }
        for (size_t e = 0; e < info[RAFTC_RD_N_COMMITTED_ENTRIES]; e++) {
            sim_host_ck(raftc_ready_committed_entry(&buf, &len, rd, e),
                        "raftc_ready_committed_entry", i);
            apply_entry(i, g, buf, len);
        }
    }
    if (crash_point == 3) {
        sim_trace("h%d crash point: after applying, before advance", i + 1);
        sim_host_crash(i);
        return false;
    }
    sim_host_ck(raftc_host_advance(h), "raftc_host_advance", i);
    /* A replica that applied a conf change over a compacted log snapshots at once, so that a
     * joiner is caught up by a snapshot holding its own config. */
    for (int g = 0; g < H.n_groups; g++) {
        sh_replica *r = &H.hosts[i].r[g];
        if (!r->cc_applied)
            continue;
        r->cc_applied = false;
        uint64_t first = 0;
        if (r->exists && raftc_memstorage_first_index(&first, r->disk) == RAFTC_OK && first > 1)
            sim_host_snapshot(i, g, false);
    }
    return true;
}

static void drain(int i)
{
    for (int round = 0; sim_host_up(i) && raftc_host_has_ready(H.hosts[i].h); round++) {
        if (round > 1000)
            sim_fail("h%d: host Ready loop does not quiesce", i + 1);
        if (!handle_ready(i))
            return;
    }
    if (sim_host_up(i) && H.hosts[i].panicked)
        sim_fail("h%d: a group panicked", i + 1);
}

/* ---- clock and failure detector ---- */

/* The failure detector of each up host: a peer it has not reached for fd_delay ticks is
 * declared down (raftc_host_wake_peer), every tick while it stays unreachable. */
static void failure_detector(void)
{
    uint64_t tick = S.now / SIM_UNITS_PER_TICK;
    for (int a = 0; a < H.n_hosts; a++) {
        if (!sim_host_up(a))
            continue;
        for (int b = 0; b < H.n_hosts; b++) {
            if (a == b)
                continue;
            if (sim_host_net_reaches(b, a) && sim_host_net_reaches(a, b)) {
                H.unreachable_since[a][b] = 0;
                continue;
            }
            if (H.unreachable_since[a][b] == 0)
                H.unreachable_since[a][b] = tick;
            if (tick - H.unreachable_since[a][b] >= (uint64_t)H.fd_delay) {
                sim_host_ck(raftc_host_wake_peer(H.hosts[a].h, (uint64_t)b + 1),
                            "raftc_host_wake_peer", a);
                H.n_wake_peer++;
            }
        }
    }
}

static void tick_all(void)
{
    failure_detector();
    for (int i = 0; i < H.n_hosts; i++)
        if (sim_host_up(i))
            sim_host_ck(raftc_host_tick(H.hosts[i].h), "raftc_host_tick", i);
}

static int awake_groups(int i)
{
    uint64_t info[RAFTC_HO_COUNT];
    sim_host_ck(raftc_host_info(info, RAFTC_HO_COUNT, H.hosts[i].h), "raftc_host_info", i);
    return (int)info[RAFTC_HO_AWAKE];
}

static void one_step(void);

/* ---- heal windows (liveness) ---- */

static uint64_t liveness_units(void)
{
    return (uint64_t)S.p.election * SIM_LIVENESS_TIMEOUTS * SIM_UNITS_PER_TICK;
}

static void begin_heal(void)
{
    S.healing = true;
    sim_host_net_heal();
    for (int i = 0; i < H.n_hosts; i++)
        if (!sim_host_up(i))
            sim_host_restart(i);
    S.heal_deadline = S.now + liveness_units();
    S.heal_first_payload = S.next_payload + 1;
    S.marker_proposed_at = 0;
    sim_trace("HEAL: all faults off; every group must commit a new proposal within %llu ticks",
              (unsigned long long)(liveness_units() / SIM_UNITS_PER_TICK));
}

static void trace_status(int g)
{
    for (int i = 0; i < H.n_hosts; i++) {
        uint64_t st[RAFTC_ST_COUNT];
        sim_host_status(i, g, st);
        char *pr = NULL;
        raftc_node *n = sim_host_node(i, g);
        if (n != NULL)
            raftc_node_status_progress(&pr, n);
        sim_trace("status h%d g%d: %s %s term %llu lead %llu commit %llu applied %llu%s%s", i + 1,
                  g + 1, sim_host_up(i) ? "up" : "down",
                  raftc_state_type_name((int)st[RAFTC_ST_RAFT_STATE]),
                  (unsigned long long)st[RAFTC_ST_TERM], (unsigned long long)st[RAFTC_ST_LEAD],
                  (unsigned long long)st[RAFTC_ST_COMMIT],
                  (unsigned long long)H.hosts[i].r[g].sm.applied, pr && pr[0] ? "\n" : "",
                  pr ? pr : "");
        raftc_free(pr);
    }
}

/* true once every group committed a payload proposed after the heal began. */
static bool heal_progress(void)
{
    int lagging = -1;
    for (int g = 0; g < H.n_groups && lagging < 0; g++)
        if (H.groups[g].marker_applied < S.heal_first_payload)
            lagging = g;
    if (lagging < 0) {
        sim_trace("HEAL done: every group committed a new proposal");
        S.healing = false;
        S.heals_ok++;
        S.next_heal_step = S.step + S.opts.steps / 4 + sim_below(S.opts.steps / 4 + 1);
        return true;
    }
    if (S.now > S.heal_deadline) {
        trace_status(lagging);
        sim_fail("liveness: group %d committed no new proposal within %llu ticks of healing",
                 lagging + 1, (unsigned long long)(liveness_units() / SIM_UNITS_PER_TICK));
    }
    uint64_t retry = (uint64_t)S.p.election * 2 * SIM_UNITS_PER_TICK;
    if (S.marker_proposed_at != 0 && S.now - S.marker_proposed_at <= retry)
        return false;
    S.marker_proposed_at = S.now;
    for (int g = 0; g < H.n_groups; g++) {
        if (H.groups[g].marker_applied >= S.heal_first_payload)
            continue;
        int l = sim_host_top_leader(g);
        if (l >= 0)
            sim_host_propose(l, g);
    }
    return false;
}

/* What the application does for its groups to converge and go quiet: an explicit joint config
 * needs a leave (the leader proposes it), and a leader that is no longer a voter (demoted or
 * removed, without StepDownOnRemoval) hands its leadership to a voter (it does not go quiet). */
static void leave_explicit_joint(void)
{
    for (int g = 0; g < H.n_groups; g++) {
        int l = sim_host_top_leader(g);
        sim_conf c;
        if (l < 0)
            continue;
        sim_host_conf_of(l, g, &c);
        raftc_node *n = sim_host_node(l, g);
        bool voter = false;
        for (size_t k = 0; k < c.n_voters; k++)
            voter = voter || c.voters[k] == (uint64_t)l + 1;
        if (c.n_outgoing > 0 && !c.auto_leave)
            raftc_node_propose_conf_change(n, RAFTC_CC_V2, NULL, 0);
        else if (!voter && c.n_voters > 0)
            raftc_node_transfer_leader(n, c.voters[sim_below(c.n_voters)]);
        else
            continue;
        sim_host_ck(raftc_host_wake_group(H.hosts[l].h, H.groups[g].id),
                    "raftc_host_wake_group", l);
    }
}

/* ---- quiet scenarios ---- */

static bool all_quiet(void)
{
    int awake = 0;
    for (int i = 0; i < H.n_hosts; i++)
        awake += sim_host_up(i) ? awake_groups(i) : 1;
    return awake == 0;
}

/* Runs steps without faults or proposals until every group on every host is quiet; false when
 * that does not happen within the bound (then the run goes on; counted). */
static bool wait_all_quiet(uint64_t bound_units)
{
    uint64_t deadline = S.now + bound_units;
    while (S.now < deadline) {
        one_step();
        if (all_quiet())
            return true;
        if (S.step % 64 == 0)
            leave_explicit_joint();
    }
    return false;
}

/* A quiet cluster: every group sleeping. Checks that nothing at all happens for a while (no
 * envelope, no Ready, no tick work), then plays one scenario of a fault during quiescence. */
static void quiet_scenario(void)
{
    bool quiet_before = S.quiesce;
    S.quiesce = true; /* no proposals, reads or changes while waiting */
    S.healing = true;
    sim_host_net_heal();
    /* Quiet, with nothing in flight (a late envelope from before may wake groups again). */
    bool quiet = false;
    for (int round = 0; round < 8 && !quiet; round++) {
        quiet = wait_all_quiet(liveness_units() * 2);
        for (int k = 0; k < 400 && H.net.n > 0; k++)
            one_step();
        quiet = quiet && all_quiet();
    }
    if (!quiet) {
        sim_trace("QUIET scenario skipped: not every group went quiet");
        S.quiesce = quiet_before;
        S.healing = false;
        return;
    }
    H.n_all_quiet++;
    uint64_t env_before = H.n_envelopes;
    for (int k = 0; k < 20 * SIM_UNITS_PER_TICK; k++)
        one_step();
    if (H.n_envelopes != env_before)
        sim_fail("quiescence: %llu envelopes sent in 20 ticks while every group was quiet",
                 (unsigned long long)(H.n_envelopes - env_before));
    S.quiesce = quiet_before;
    S.healing = false;
    H.n_quiet_scenarios++;
    int victim = (int)sim_below((uint64_t)H.n_hosts);
    switch (sim_below(3)) {
    case 0: /* the host leading groups is cut off while its followers sleep */
        sim_trace("QUIET scenario: h%d isolated while every group sleeps", victim + 1);
        sim_host_net_isolate(victim);
        break;
    case 1: /* the host leading groups crashes while its followers sleep */
        sim_trace("QUIET scenario: h%d crashes while every group sleeps", victim + 1);
        sim_host_crash(victim);
        break;
    default: /* a quiet host is cut off, the others go on writing everywhere */
        sim_trace("QUIET scenario: h%d isolated, writes in every group", victim + 1);
        sim_host_net_isolate(victim);
        for (int g = 0; g < H.n_groups; g++) {
            int l = (int)sim_below((uint64_t)H.n_hosts);
            if (sim_host_up(l))
                sim_host_propose(l, g);
        }
        break;
    }
}

static void one_step(void)
{
    S.step++;
    S.now++;
    sim_host_actions_step();
    sim_host_net_deliver_due();
    if (S.now % SIM_UNITS_PER_TICK == 0)
        tick_all();
    for (int i = 0; i < H.n_hosts; i++)
        drain(i);
    sim_host_check_step();
    if (S.step % 250 == 0)
        sim_host_check_full_logs();
    if (S.step % 8 == 0)
        sim_host_membership_gc();
}

static void main_step(bool final)
{
    if (S.healing && !S.quiesce)
        heal_progress();
    else if (!final && S.step >= S.next_heal_step)
        begin_heal();
    one_step();
}

static bool converged(void)
{
    for (int g = 0; g < H.n_groups; g++) {
        int l = sim_host_top_leader(g);
        if (l < 0)
            return false;
        uint64_t st[RAFTC_ST_COUNT];
        sim_host_status(l, g, st);
        uint64_t term = st[RAFTC_ST_TERM], commit = st[RAFTC_ST_COMMIT];
        sim_conf c;
        sim_host_conf_of(l, g, &c);
        if (c.n_outgoing > 0)
            return false;
        for (int i = 0; i < H.n_hosts; i++) {
            if (!(H.groups[g].latest_members & (1u << i)) && H.groups[g].latest_cc_index > 0)
                continue;
            if (!H.hosts[i].r[g].exists)
                continue;
            uint64_t s2[RAFTC_ST_COUNT];
            sim_host_status(i, g, s2);
            if (s2[RAFTC_ST_TERM] > term && (S.p.pre_vote || S.p.check_quorum))
                return false;
            if (s2[RAFTC_ST_TERM] > term)
                continue; /* stranded (see sim_stranded) */
            if (H.hosts[i].r[g].sm.applied != commit)
                return false;
        }
        if (l >= 0 && H.hosts[l].r[g].sm.applied != commit)
            return false;
    }
    return true;
}

static void final_phase(void)
{
    begin_heal();
    while (S.healing)
        main_step(true);
    S.quiesce = true;
    S.healing = true;
    sim_host_net_heal();
    uint64_t deadline = S.now + liveness_units() * 2;
    while (!converged()) {
        main_step(true);
        if (S.now > deadline) {
            for (int g = 0; g < H.n_groups; g++)
                trace_status(g);
            sim_fail("convergence: members did not all apply their leader's log within %llu "
                     "ticks of the final heal",
                     (unsigned long long)(liveness_units() * 2 / SIM_UNITS_PER_TICK));
        }
        if (S.step % 64 == 0)
            leave_explicit_joint();
    }
    sim_host_check_full_logs();
    sim_host_check_final();
    if (H.quiesce && !wait_all_quiet(liveness_units() * 2)) {
        for (int g = 0; g < H.n_groups; g++)
            trace_status(g);
        for (int i = 0; i < H.n_hosts; i++)
            sim_trace("h%d: %d groups awake", i + 1, awake_groups(i));
        sim_fail("quiescence: groups still awake %llu ticks after convergence",
                 (unsigned long long)(liveness_units() * 2 / SIM_UNITS_PER_TICK));
    }
}

static void cleanup(void)
{
    sim_host_hostile_end_run();
    for (int i = 0; i < H.n_hosts; i++) {
        raftc_host_free(H.hosts[i].h);
        H.hosts[i].h = NULL;
        store_close(i);
        for (int g = 0; g < SH_MAX_GROUPS; g++)
            replica_free(&H.hosts[i].r[g]);
    }
    sim_queue_free(&H.net);
    sim_host_check_free();
    if (S.opts.disk)
        raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 0);
    free(S.id_index);
    S.id_index = NULL;
    sim_trace_clear();
}

static void setup(void)
{
    memset(&H, 0, sizeof H);
    H.n_hosts = S.opts.hosts ? S.opts.hosts : 3 + (int)sim_below(3);
    H.n_groups = S.opts.groups ? S.opts.groups : 16 + (int)sim_below(49);
    H.quiesce = S.opts.quiesce >= 0 ? S.opts.quiesce : (int)sim_below(2);
    H.fd_delay = 1 + (int)sim_below((uint64_t)S.p.election * 3);
    S.next_heal_step = S.opts.steps / 4 + sim_below(S.opts.steps / 4 + 1);
    if (S.opts.disk) /* fresh machines for the run */
        if (raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 0) != RAFTC_OK ||
            raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 1) != RAFTC_OK)
            sim_fail("cannot switch the in-memory file systems on");
    for (int i = 0; i < H.n_hosts; i++) {
        host_create(i);
        if (S.opts.disk)
            store_open(i);
    }
    for (int g = 0; g < H.n_groups; g++) {
        sh_group *gr = &H.groups[g];
        gr->id = (uint64_t)g + 1;
        /* 3 voters out of the hosts, or all of them */
        int n = H.n_hosts == 3 ? 3 : 3 + (int)sim_below((uint64_t)H.n_hosts - 2);
        uint32_t chosen = 0;
        while (__builtin_popcount(chosen) < n)
            chosen |= 1u << sim_below((uint64_t)H.n_hosts);
        for (int i = 0; i < H.n_hosts; i++)
            if (chosen & (1u << i))
                gr->voters[gr->n_voters++] = (uint64_t)i + 1;
        gr->ever = chosen;
        gr->latest_members = chosen;
        for (int i = 0; i < H.n_hosts; i++) {
            if (!(chosen & (1u << i)))
                continue;
            sh_replica *r = &H.hosts[i].r[g];
            sim_host_ck(raftc_memstorage_new(&r->disk), "raftc_memstorage_new", i);
            r->exists = r->initial = r->was_member = true;
            sim_host_ck(raftc_host_add_group(H.hosts[i].h, gr->id, gr->voters, gr->n_voters),
                        "raftc_host_add_group", i);
        }
    }
}

static void print_reproduce(FILE *f)
{
    const sim_opts *o = &S.opts;
    char sizes[64] = "";
    if (o->hosts)
        snprintf(sizes, sizeof sizes, " --hosts %d", o->hosts);
    if (o->groups)
        snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), " --groups %d", o->groups);
    char hostile[32] = "";
    if (o->hostile_pm)
        snprintf(hostile, sizeof hostile, " --hostile %d", o->hostile_pm);
    fprintf(f, "  reproduce: raftc-sim --multiraft --seed %llu --steps %llu%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
            (unsigned long long)o->seed, (unsigned long long)o->steps, o->disk ? " --disk" : "",
            sizes,
            o->quiesce == 1 ? " --quiesce" : o->quiesce == 0 ? " --no-quiesce" : "",
            o->loss ? "" : " --no-loss", o->dup ? "" : " --no-dup",
            o->reorder ? "" : " --no-reorder", o->partition ? "" : " --no-partition",
            o->crash ? "" : " --no-crash", o->snapshot ? "" : " --no-snapshot",
            o->confchange ? "" : " --no-confchange", o->transfer ? "" : " --no-transfer",
            o->inject ? " --inject diverge" : "", hostile);
}

uint64_t sim_host_total_power_cuts(void)
{
    return total_power_cuts;
}

int sim_host_run(void)
{
    if (setjmp(S.fail_jmp) != 0) {
        fflush(stdout);
        fprintf(stderr,
                "raftc-sim --hosts: seed=%llu hosts=%d groups=%d quiesce=%d fd_delay=%d "
                "election=%d heartbeat=%d prevote=%d checkquorum=%d\n",
                (unsigned long long)S.opts.seed, H.n_hosts, H.n_groups, H.quiesce, H.fd_delay,
                S.p.election, S.p.heartbeat, S.p.pre_vote, S.p.check_quorum);
        fprintf(stderr, "FAILED at step %llu (t=%llu): %s\n", (unsigned long long)S.step,
                (unsigned long long)S.now, S.fail_msg);
        sim_trace_dump();
        fprintf(stderr, "FAILED seed=%llu: %s\n", (unsigned long long)S.opts.seed, S.fail_msg);
        print_reproduce(stderr);
        cleanup();
        return 1;
    }
    setup();
    if (!S.opts.quiet) {
        printf("raftc-sim multiraft seed=%llu steps=%llu hosts=%d groups=%d quiesce=%d "
               "fd_delay=%d ticks election=%d heartbeat=%d prevote=%d checkquorum=%d loss=%d%% "
               "dup=%d%% maxdelay=%d units\n",
               (unsigned long long)S.opts.seed, (unsigned long long)S.opts.steps, H.n_hosts,
               H.n_groups, H.quiesce, H.fd_delay, S.p.election, S.p.heartbeat, S.p.pre_vote,
               S.p.check_quorum, S.p.loss_pm / 10, S.p.dup_pm / 10, S.p.max_delay);
        print_reproduce(stdout);
    }
    uint64_t quiet_at = H.quiesce ? S.opts.steps / 3 + sim_below(S.opts.steps / 3 + 1) : 0;
    while (S.step < S.opts.steps) {
        if (quiet_at != 0 && S.step >= quiet_at && !S.healing) {
            quiet_at = 0;
            quiet_scenario();
            continue;
        }
        main_step(false);
    }
    final_phase();
    if (!S.opts.quiet)
        printf("  ok: %llu steps, %llu payloads applied, %d heals, %llu host crashes, %llu "
               "restarts, %llu snapshots, %llu conf changes, %llu partitions, %llu envelopes "
               "(%llu dropped), %llu wake_peer, %llu quiet scenarios\n",
               (unsigned long long)S.step, (unsigned long long)S.n_proposals_applied,
               S.heals_ok, (unsigned long long)H.n_host_crashes,
               (unsigned long long)S.n_restarts, (unsigned long long)S.n_snapshots,
               (unsigned long long)S.n_confchanges, (unsigned long long)S.n_partitions,
               (unsigned long long)H.n_envelopes, (unsigned long long)H.n_env_dropped,
               (unsigned long long)H.n_wake_peer,
               (unsigned long long)H.n_quiet_scenarios);
    for (int i = 0; i < H.n_hosts; i++)
        store_close(i);
    if (!S.opts.quiet && S.opts.disk)
        printf("  disk: %llu power cuts, %llu saves, %llu fsyncs, %llu checkpoints\n",
               (unsigned long long)H.n_power_cuts, (unsigned long long)H.n_saves,
               (unsigned long long)H.n_fsyncs, (unsigned long long)H.n_checkpoints);
    if (!S.opts.quiet && S.p.hostile_pm)
        printf("  hostile: %llu replayed, %llu misaddressed (all refused), %llu random (all "
               "refused)\n",
               (unsigned long long)H.hostile.replayed, (unsigned long long)H.hostile.misaddressed,
               (unsigned long long)H.hostile.garbage);
    total_power_cuts += H.n_power_cuts;
    cleanup();
    return 0;
}
