/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_node.c: one simulated node: start, crash, restart from persisted storage, the sync-mode
 * Ready loop (persist, send, apply, advance, with optional crash points inside it) and the
 * application's state machine with its snapshots.
 *
 * Persistence model: the node's raftc_memstorage holds exactly what was persisted (with --disk:
 * the disk storage's in-memory copy, reopened after every crash; sim_disk.c). A crash
 * frees the raft node and the in-memory state machine; a restart rebuilds the state machine
 * from the storage's snapshot data and starts a new node with Applied = the snapshot index, so
 * raft re-delivers every committed entry after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

sim_slot *sim_slot_of(uint64_t id)
{
    if (id == 0 || id > (uint64_t)S.n_ids)
        return NULL;
    return &S.slots[id - 1];
}

int sim_count_live(void)
{
    int n = 0;
    for (int i = 0; i < S.n_ids; i++)
        n += S.slots[i].state == SLOT_UP || S.slots[i].state == SLOT_DOWN;
    return n;
}

static void log_line(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    sim_slot *s = ud;
    if (level < RAFTC_LOG_INFO)
        return;
    sim_trace("n%llu log[%d]: %.*s", (unsigned long long)s->id, level, (int)len, msg);
    if (level >= RAFTC_LOG_PANIC)
        s->panicked = true;
}

void sim_node_status(const sim_slot *s, uint64_t *st)
{
    memset(st, 0, sizeof(uint64_t) * RAFTC_ST_COUNT);
    if (s->node != NULL)
        raftc_node_status_info(st, RAFTC_ST_COUNT, s->node);
}

/* Storage callbacks: a raftc_memstorage, except that Snapshot() hands out a fresh state
 * machine snapshot (as an application does), so that a node added after the last snapshot can
 * still be caught up; now and then it is temporarily unavailable. */
static int cb_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    return raftc_memstorage_initial_state(hs, cs, ((sim_slot *)ud)->ms);
}

static int cb_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size)
{
    return raftc_memstorage_entries(out, ((sim_slot *)ud)->ms, lo, hi, max_size);
}

static int cb_term(void *ud, uint64_t *term, uint64_t i)
{
    return raftc_memstorage_term(term, ((sim_slot *)ud)->ms, i);
}

static int cb_first_index(void *ud, uint64_t *index)
{
    return raftc_memstorage_first_index(index, ((sim_slot *)ud)->ms);
}

static int cb_last_index(void *ud, uint64_t *index)
{
    return raftc_memstorage_last_index(index, ((sim_slot *)ud)->ms);
}

/* Creates s's storage snapshot of its state machine at its applied index (disk or memory
 * storage); returns the storage's code. */
static int create_snapshot(sim_slot *s)
{
    const sim_sm *sm = &s->sm;
    size_t len;
    uint8_t *data = sim_sm_encode(sm, &len);
    int rc = s->ds != NULL
                 ? raftc_diskstorage_create_snapshot(NULL, s->ds, sm->applied, sm->conf_state,
                                                     sm->conf_state_len, data, len)
                 : raftc_memstorage_create_snapshot(NULL, s->ms, sm->applied, sm->conf_state,
                                                    sm->conf_state_len, data, len);
    free(data);
    return rc;
}

static int cb_snapshot(void *ud, raftc_sink *out)
{
    sim_slot *s = ud;
    if (S.opts.snapshot && !S.healing && sim_chance(100))
        return RAFTC_ESNAP_TEMP_UNAVAILABLE;
    if (s->sm.applied > s->sm.snap_index && s->sm.conf_state_len > 0) {
        int rc = create_snapshot(s);
        if (rc != RAFTC_OK)
            return rc;
        s->sm.snap_index = s->sm.applied;
    }
    return raftc_memstorage_snapshot(out, s->ms);
}

void sim_node_start(sim_slot *s)
{
    raftc_config *cfg = NULL;
    sim_ck(raftc_config_new(&cfg), "raftc_config_new", s);
    sim_config_set_params(cfg, s->id, s->incarnation);
    raftc_config_set_u64(cfg, RAFTC_OPT_ID, s->id);
    raftc_config_set_u64(cfg, RAFTC_OPT_APPLIED, s->sm.applied);
    raftc_config_set_bool(cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, S.opts.async_writes);
    raftc_config_set_logger(cfg, log_line, s);
    raftc_storage_callbacks cbs = {sizeof cbs, s,           cb_initial_state, cb_entries,
                                   cb_term,     cb_first_index, cb_last_index,  cb_snapshot};
    raftc_config_set_storage_callbacks(cfg, &cbs);
    const char *err = NULL;
    int rc = raftc_node_new(&s->node, &err, cfg);
    raftc_config_free(cfg);
    if (rc != RAFTC_OK)
        sim_fail("raftc_node_new(n%llu, applied=%llu): %s", (unsigned long long)s->id,
                 (unsigned long long)s->sm.applied, err ? err : raftc_strerror(rc));
    s->state = SLOT_UP;
}

sim_slot *sim_node_add(void)
{
    if (S.n_ids >= SIM_MAX_IDS)
        return NULL;
    sim_slot *s = &S.slots[S.n_ids++];
    memset(s, 0, sizeof *s);
    s->id = (uint64_t)S.n_ids;
    if (S.opts.disk)
        sim_disk_open(s);
    else
        sim_ck(raftc_memstorage_new(&s->ms), "raftc_memstorage_new", s);
    sim_node_start(s);
    return s;
}

/* What a crash loses from memory: the state machine and the reads waiting for it. */
static void sm_clear(sim_slot *s)
{
    sim_sm_clear(&s->sm);
    s->n_reads = 0;
}

void sim_slot_free(sim_slot *s)
{
    raftc_node_free(s->node);
    s->node = NULL;
    if (s->ds != NULL)
        sim_disk_free(s);
    raftc_memstorage_free(s->ms);
    s->ms = NULL;
    sm_clear(s);
    sim_sm_free(&s->sm);
    free(s->reads);
    s->reads = NULL;
    s->cap_reads = 0;
}

void sim_node_crash(sim_slot *s)
{
    sim_node_crash_as(s, SIM_CRASH_DRAW);
}

void sim_node_crash_as(sim_slot *s, int kind)
{
    sim_trace("n%llu CRASH (applied %llu lost from memory)", (unsigned long long)s->id,
              (unsigned long long)s->sm.applied);
    raftc_node_free(s->node);
    s->node = NULL;
    sm_clear(s);
    s->state = SLOT_DOWN;
    S.n_crashes++;
    if (s->ds != NULL)
        sim_disk_crash(s, kind);
}

void sim_node_retire(sim_slot *s, const char *why)
{
    sim_trace("n%llu RETIRED (%s)", (unsigned long long)s->id, why);
    sim_slot_free(s);
    s->state = SLOT_RETIRED;
}

/* Restores the state machine from a raftpb Snapshot (data + conf state). */
void sim_node_sm_restore(sim_slot *s, const uint8_t *snap, size_t snap_len)
{
    char who[32];
    snprintf(who, sizeof who, "n%llu", (unsigned long long)s->id);
    sim_ck(sim_sm_restore(&s->sm, who, snap, snap_len), "raftc_snapshot_decode", s);
    s->n_reads = 0;
    sim_check_sm_restore(s);
}

void sim_node_restart(sim_slot *s)
{
    raftc_sink_reset(S.sk_a);
    sim_ck(raftc_memstorage_snapshot(S.sk_a, s->ms), "raftc_memstorage_snapshot", s);
    const uint8_t *snap;
    size_t snap_len;
    sim_ck(raftc_sink_get(&snap, &snap_len, S.sk_a, 0), "snapshot item", s);
    uint8_t *copy = sim_xmalloc(snap_len);
    memcpy(copy, snap, snap_len);
    sim_node_sm_restore(s, copy, snap_len);
    free(copy);
    s->incarnation++;
    S.n_restarts++;
    sim_trace("n%llu RESTART from storage (snapshot/applied %llu)", (unsigned long long)s->id,
              (unsigned long long)s->sm.applied);
    sim_node_start(s);
    uint64_t last = 0;
    sim_ck(raftc_memstorage_last_index(&last, s->ms), "last_index", s);
    if (s->initial && last == 0 && s->sm.snap_index == 0) {
        /* It crashed before its bootstrap Ready was persisted: bootstrap again. */
        uint64_t peers[SIM_MAX_LIVE];
        for (int i = 0; i < S.p.nodes; i++)
            peers[i] = (uint64_t)i + 1;
        sim_ck(raftc_node_bootstrap(s->node, peers, NULL, NULL, (size_t)S.p.nodes),
               "raftc_node_bootstrap", s);
    }
}

void sim_node_snapshot(sim_slot *s)
{
    if (s->node == NULL || s->sm.applied <= s->sm.snap_index || s->sm.conf_state_len == 0)
        return;
    int rc = create_snapshot(s);
    if (s->ds != NULL)
        sim_disk_check(s, rc, "raftc_diskstorage_create_snapshot");
    sim_ck(rc, "raftc_memstorage_create_snapshot", s);
    s->sm.snap_index = s->sm.applied;
    uint64_t first = 0;
    sim_ck(raftc_memstorage_first_index(&first, s->ms), "first_index", s);
    uint64_t keep = sim_below(s->sm.applied < 40 ? s->sm.applied : 40);
    uint64_t c = s->sm.applied - keep;
    if (c > first - 1 && c >= 1)
        sim_ck(s->ds != NULL ? raftc_diskstorage_compact(s->ds, c)
                             : raftc_memstorage_compact(s->ms, c),
               "raftc_memstorage_compact", s);
    S.n_snapshots++;
    sim_trace("n%llu SNAPSHOT at %llu, compacted to %llu", (unsigned long long)s->id,
              (unsigned long long)s->sm.applied,
              (unsigned long long)(c > first - 1 ? c : first - 1));
}

static void send_range(sim_slot *s, raftc_ready *rd, uint64_t lo, uint64_t hi)
{
    for (uint64_t i = lo; i < hi; i++) {
        const uint8_t *buf;
        size_t len;
        sim_ck(raftc_ready_message(&buf, &len, rd, i), "raftc_ready_message", s);
        sim_net_send(s->id, buf, len);
    }
}

void sim_node_apply_entry(sim_slot *s, const uint8_t *buf, size_t len)
{
    uint64_t term, index;
    raftc_entry_type type;
    const uint8_t *data;
    size_t dlen;
    sim_ck(raftc_entry_decode(&term, &index, &type, &data, &dlen, buf, len), "raftc_entry_decode", s);
    if (index != s->sm.applied + 1)
        sim_fail("n%llu: committed entry %llu/%llu handed out with applied=%llu (expected index "
                 "%llu)",
                 (unsigned long long)s->id, (unsigned long long)term, (unsigned long long)index,
                 (unsigned long long)s->sm.applied, (unsigned long long)(s->sm.applied + 1));
    sim_check_apply(s, index, term, type, data, dlen);
    if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
        int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
        raftc_sink_reset(S.sk_a);
        sim_ck(raftc_node_apply_conf_change(S.sk_a, s->node, kind, data, dlen),
               "raftc_node_apply_conf_change", s);
        const uint8_t *cs;
        size_t cs_len;
        sim_ck(raftc_sink_get(&cs, &cs_len, S.sk_a, 0), "conf state item", s);
        sim_sm_set_conf_state(&s->sm, cs, cs_len);
        sim_note_config(index, cs, cs_len);
        char *text = NULL;
        raftc_conf_state_describe(&text, cs, cs_len);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "n%llu applied conf change at %llu -> ",
                 (unsigned long long)s->id, (unsigned long long)index);
        sim_trace_owned(prefix, text);
    } else {
        uint64_t id = sim_payload_id(data, dlen);
        if (id != 0)
            sim_sm_push(&s->sm, index, id);
    }
    s->sm.applied = index;
}

void sim_node_serve_reads(sim_slot *s)
{
    size_t keep = 0;
    for (size_t i = 0; i < s->n_reads; i++) {
        sim_wait_read w = s->reads[i];
        if (w.index > s->sm.applied) {
            s->reads[keep++] = w;
            continue;
        }
        sim_read *r = &S.reads[w.read_id];
        if (s->sm.applied < r->min_index)
            sim_fail("n%llu served read %llu at applied %llu < %llu (a write acknowledged "
                     "before the read)",
                     (unsigned long long)s->id, (unsigned long long)w.read_id,
                     (unsigned long long)s->sm.applied, (unsigned long long)r->min_index);
        r->served = true;
        S.n_reads_served++;
    }
    s->n_reads = keep;
}

/* One Ready: returns false if the node crashed inside it. */
static bool handle_ready(sim_slot *s)
{
    raftc_ready *rd = NULL;
    sim_ck(raftc_node_ready(&rd, s->node), "raftc_node_ready", s);
    uint64_t info[RAFTC_RD_COUNT];
    sim_ck(raftc_ready_info(info, RAFTC_RD_COUNT, rd), "raftc_ready_info", s);
    char *text = NULL;
    raftc_ready_describe(&text, rd);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "n%llu ", (unsigned long long)s->id);
    sim_trace_owned(prefix, text);

    int crash_point = 0;
    if (S.opts.crash && !S.healing && sim_chance(4))
        crash_point = 1 + (int)sim_below(3);
    if (S.opts.async_writes)
        return sim_disk_async_ready(s, rd, info, crash_point);

    /* Messages that may leave before this Ready is durable. */
    send_range(s, rd, 0, info[RAFTC_RD_N_MESSAGES_NOW]);
    if (crash_point == 1) {
        sim_trace("n%llu crash point: after early sends, before persisting",
                  (unsigned long long)s->id);
        sim_node_crash(s);
        return false;
    }

    const uint8_t *buf;
    size_t len;
    if (s->ds != NULL) /* snapshot, entries, HardState in one call; fsynced if MustSync */
        sim_disk_check(s, raftc_diskstorage_save_ready(s->ds, rd),
                       "raftc_diskstorage_save_ready");
    if (info[RAFTC_RD_HAS_SNAPSHOT]) {
        sim_ck(raftc_ready_snapshot(&buf, &len, rd), "raftc_ready_snapshot", s);
        if (s->ds == NULL)
            sim_ck(raftc_memstorage_apply_snapshot(s->ms, buf, len),
                   "raftc_memstorage_apply_snapshot", s);
        sim_node_sm_restore(s, buf, len);
    }
    if (info[RAFTC_RD_HAS_HARD_STATE] && s->ds == NULL) {
        sim_ck(raftc_ready_hard_state(&buf, &len, rd), "raftc_ready_hard_state", s);
        sim_ck(raftc_memstorage_set_hard_state(s->ms, buf, len), "raftc_memstorage_set_hard_state",
               s);
    }
    size_t n_ents = (size_t)info[RAFTC_RD_N_ENTRIES];
    if (n_ents > 0) {
        const uint8_t **ents = sim_xmalloc(n_ents * sizeof *ents);
        size_t *lens = sim_xmalloc(n_ents * sizeof *lens);
        for (size_t i = 0; i < n_ents; i++)
            sim_ck(raftc_ready_entry(&ents[i], &lens[i], rd, i), "raftc_ready_entry", s);
        int rc = s->ds != NULL ? RAFTC_OK : raftc_memstorage_append(s->ms, ents, lens, n_ents);
        if (rc == RAFTC_OK)
            sim_check_persisted(s, ents, lens, n_ents);
        free(ents);
        free(lens);
        sim_ck(rc, "raftc_memstorage_append", s);
    }
    if (crash_point == 2) {
        sim_trace("n%llu crash point: after persisting, before sending", (unsigned long long)s->id);
        sim_node_crash(s);
        return false;
    }

    send_range(s, rd, info[RAFTC_RD_N_MESSAGES_NOW], info[RAFTC_RD_N_MESSAGES]);

    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        sim_ck(raftc_ready_committed_entry(&buf, &len, rd, i), "raftc_ready_committed_entry", s);
        sim_node_apply_entry(s, buf, len);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_READ_STATES]; i++) {
        uint64_t index;
        const uint8_t *ctx;
        size_t ctx_len;
        sim_ck(raftc_ready_read_state(&index, &ctx, &ctx_len, rd, i), "raftc_ready_read_state",
               s);
        uint64_t read_id = 0;
        if (ctx_len != 8)
            sim_fail("n%llu: read state with a %zu-byte context", (unsigned long long)s->id,
                     ctx_len);
        memcpy(&read_id, ctx, 8);
        sim_check_read_state(s, read_id, index);
    }
    sim_node_serve_reads(s);
    if (crash_point == 3) {
        sim_trace("n%llu crash point: after applying, before advance", (unsigned long long)s->id);
        sim_node_crash(s);
        return false;
    }
    sim_ck(raftc_node_advance(s->node), "raftc_node_advance", s);
    return true;
}

void sim_node_drain(sim_slot *s)
{
    for (int round = 0; s->state == SLOT_UP && raftc_node_has_ready(s->node); round++) {
        if (round > 1000)
            sim_fail("n%llu: Ready loop does not quiesce", (unsigned long long)s->id);
        if (!handle_ready(s))
            return;
    }
    if (s->state == SLOT_UP && (s->panicked || raftc_node_is_failed(s->node)))
        sim_fail("n%llu is failed: %s", (unsigned long long)s->id,
                 raftc_node_last_error(s->node));
}
