/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_util.c: clock, counting allocator hooks, JSON lines and the bnode wrapper.
 */
#define _GNU_SOURCE
#include "bench_util.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int bench_quick;
int bench_run_id;

static uint64_t g_alloc_calls;
static int64_t g_alloc_live;
static int g_track_live; /* malloc_usable_size costs ~5% of a hot loop: only for workload d */

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

size_t bench_pick(size_t q, size_t full)
{
    return bench_quick ? q : full;
}

static void *count_malloc(void *ud, size_t size)
{
    (void)ud;
    void *p = malloc(size);
    g_alloc_calls++;
    if (p != NULL && g_track_live)
        g_alloc_live += (int64_t)malloc_usable_size(p);
    return p;
}

static void *count_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    size_t old = ptr != NULL && g_track_live ? malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, size);
    g_alloc_calls++;
    if (!g_track_live)
        return p;
    if (p != NULL)
        g_alloc_live += (int64_t)malloc_usable_size(p) - (int64_t)old;
    else if (size == 0)
        g_alloc_live -= (int64_t)old;
    return p;
}

static void count_free(void *ud, void *ptr)
{
    (void)ud;
    if (ptr == NULL)
        return;
    if (g_track_live)
        g_alloc_live -= (int64_t)malloc_usable_size(ptr);
    free(ptr);
}

int bench_alloc_install(int track_live)
{
    g_track_live = track_live;
    return raftc_set_allocator(count_malloc, count_realloc, count_free, NULL);
}

uint64_t bench_alloc_calls(void)
{
    return g_alloc_calls;
}

int64_t bench_alloc_live(void)
{
    return g_alloc_live;
}

void bench_emit(const char *name, const char *fields)
{
    printf("{\"lib\":\"raftc\",\"version\":\"%s\",\"bench\":\"%s\",\"run\":%d%s%s}\n",
           raftc_version(), name, bench_run_id, fields[0] ? "," : "", fields);
    fflush(stdout);
}

static void json_clean(char *s)
{
    for (; *s; s++)
        if (*s == '\\' || *s == '"' || (unsigned char)*s < 0x20)
            *s = ' ';
}

void bench_emit_error(const char *name, const char *what, int rc, const char *detail)
{
    char text[400], buf[512];
    snprintf(text, sizeof text, "%s: %s%s%s", what, raftc_strerror(rc),
             detail && detail[0] ? " / " : "", detail ? detail : "");
    json_clean(text);
    snprintf(buf, sizeof buf, "\"error\":\"%s\"", text);
    bench_emit(name, buf);
    fprintf(stderr, "raftc %s: %s\n", name, text);
}

int bnode_init(bnode *n, uint64_t id, const uint64_t *voters, size_t n_voters, const char **err)
{
    memset(n, 0, sizeof *n);
    n->id = id;
    n->applied = 1;
    *err = "";
    raftc_sink *cs = NULL, *snap = NULL;
    raftc_config *cfg = NULL;
    const uint8_t *b = NULL, *sb = NULL;
    size_t l = 0, sl = 0;
    int rc = raftc_memstorage_new(&n->ms);
    if (rc == 0)
        rc = raftc_sink_new(&cs);
    if (rc == 0)
        rc = raftc_sink_new(&snap);
    if (rc == 0)
        rc = raftc_conf_state_encode(cs, voters, n_voters, NULL, 0, NULL, 0, NULL, 0, 0);
    if (rc == 0)
        rc = raftc_sink_get(&b, &l, cs, 0);
    if (rc == 0)
        rc = raftc_snapshot_encode(snap, 1, 1, b, l, NULL, 0);
    if (rc == 0)
        rc = raftc_sink_get(&sb, &sl, snap, 0);
    if (rc == 0)
        rc = raftc_memstorage_apply_snapshot(n->ms, sb, sl);
    if (rc == 0)
        rc = raftc_config_new(&cfg);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_ID, id);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_APPLIED, 1);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, 1u << 20);
    if (rc == 0)
        rc = raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, 256);
    if (rc == 0)
        rc = raftc_config_set_memstorage(cfg, n->ms);
    if (rc == 0)
        rc = raftc_node_new(&n->node, err, cfg);
    raftc_config_free(cfg);
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    return rc;
}

void bnode_destroy(bnode *n)
{
    raftc_node_free(n->node);
    raftc_memstorage_free(n->ms);
    memset(n, 0, sizeof *n);
}

int bnode_handle_ready(bnode *n, bnode_send_fn send, void *ud, size_t *applied_data)
{
    raftc_ready *rd = NULL;
    uint64_t info[RAFTC_RD_COUNT];
    size_t count = 0;
    int rc = raftc_node_ready(&rd, n->node);
    if (rc != 0)
        return rc;
    if ((rc = raftc_ready_info(info, RAFTC_RD_COUNT, rd)) != 0)
        return rc;
    if (info[RAFTC_RD_HAS_HARD_STATE]) {
        rc = raftc_memstorage_set_hard_state_fields(n->ms, info[RAFTC_RD_TERM],
                                                    info[RAFTC_RD_VOTE], info[RAFTC_RD_COMMIT]);
        if (rc != 0)
            return rc;
    }
    /* Fast paths (as Go reads the Ready's structs): the entries go to the storage without
     * raftpb round trips, messages are routed by field and only their bytes are encoded. */
    if (info[RAFTC_RD_N_ENTRIES] > 0 && (rc = raftc_memstorage_append_ready(n->ms, rd)) != 0)
        return rc;
    for (size_t i = 0; send != NULL && i < (size_t)info[RAFTC_RD_N_MESSAGES]; i++) {
        uint64_t mi[RAFTC_MF_TO + 1];
        if ((rc = raftc_ready_message_info(mi, RAFTC_MF_TO + 1, rd, i)) != 0)
            return rc;
        send(ud, mi[RAFTC_MF_TO], rd, i);
    }
    for (size_t i = 0; i < (size_t)info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        uint64_t index;
        size_t dl;
        if ((rc = raftc_ready_committed_entry_info(NULL, &index, NULL, NULL, &dl, rd, i)) != 0)
            return rc;
        count += dl > 0;
        n->applied = index;
    }
    if (applied_data != NULL)
        *applied_data = count;
    return raftc_node_advance(n->node);
}

int bnode_settle(bnode *n)
{
    for (int i = 0; i < 100 && raftc_node_has_ready(n->node); i++) {
        int rc = bnode_handle_ready(n, NULL, NULL, NULL);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static uint64_t bnode_status(const bnode *n, int field)
{
    uint64_t st[RAFTC_ST_COUNT] = {0};
    if (raftc_node_status_info(st, RAFTC_ST_COUNT, n->node) != 0)
        return 0;
    return st[field];
}

int bnode_is_leader(const bnode *n)
{
    return bnode_status(n, RAFTC_ST_RAFT_STATE) == RAFTC_STATE_LEADER;
}

uint64_t bnode_term(const bnode *n)
{
    return bnode_status(n, RAFTC_ST_TERM);
}

uint64_t bnode_first_index(bnode *n)
{
    uint64_t i = 0;
    raftc_memstorage_first_index(&i, n->ms);
    return i;
}

uint64_t bnode_last_index(bnode *n)
{
    uint64_t i = 0;
    raftc_memstorage_last_index(&i, n->ms);
    return i;
}
