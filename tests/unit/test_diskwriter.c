/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_diskwriter.c: the disk storage's async writer (storage/writer.h). Through raftc.h: a
 * single node with async storage writes on a disk storage with the writer thread commits and
 * applies every proposal, only after the writer released its responses, and reopening gives
 * them back; the calls the writer owns are refused and bad submissions have clear errors.
 * Through the internals on the in-memory file layer: a failed fsync fails the storage, no
 * response of what it did not persist is released, and what was released survives a power cut.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

#include "alloc.h"
#include "diskstorage.h"
#include "fsutil.h"
#include "memvfs.h"
#include "writer.h"

/* ---- through raftc.h ---- */

typedef struct cluster1 {
    char dir[64];
    raftc_diskstorage *ds;
    raftc_config *cfg;
    raftc_node *node;
    raftc_sink *resp, *ents, *tmp;
    uint64_t applied;     /* payloads "p<k>" applied so far, in order */
    uint64_t persisted;   /* MsgStorageAppend messages the writer reported done */
} cluster1;

static raftc_diskstorage *open_ds_with(const char *dir, const raftc_diskstorage_options *o)
{
    raftc_diskstorage *ds = NULL;
    char err[256];
    int rc = raftc_diskstorage_open(&ds, err, sizeof(err), dir, o);
    if (rc != RAFTC_OK)
        print_error("open %s: %s\n", dir, err);
    assert_int_equal(rc, RAFTC_OK);
    return ds;
}

static raftc_diskstorage *open_ds(const char *dir, int async)
{
    raftc_diskstorage_options o = {sizeof(o), 0, RAFTC_SYNC_EACH, async};
    raftc_diskstorage *ds = NULL;
    char err[256];
    int rc = raftc_diskstorage_open(&ds, err, sizeof(err), dir, &o);
    if (rc != RAFTC_OK)
        print_error("open %s: %s\n", dir, err);
    assert_int_equal(rc, RAFTC_OK);
    return ds;
}

static void c1_init(cluster1 *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->dir, sizeof(c->dir), "/tmp/raftc-writer-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    c->ds = open_ds(c->dir, 1);
    assert_int_equal(raftc_config_new(&c->cfg), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(c->cfg, RAFTC_OPT_ID, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(c->cfg, RAFTC_OPT_ELECTION_TICK, 10), RAFTC_OK);
    assert_int_equal(raftc_config_set_u64(c->cfg, RAFTC_OPT_HEARTBEAT_TICK, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_bool(c->cfg, RAFTC_OPT_ASYNC_STORAGE_WRITES, 1), RAFTC_OK);
    assert_int_equal(raftc_config_set_diskstorage(c->cfg, c->ds), RAFTC_OK);
    const char *err = NULL;
    assert_int_equal(raftc_node_new(&c->node, &err, c->cfg), RAFTC_OK);
    uint64_t ids[] = {1};
    assert_int_equal(raftc_node_bootstrap(c->node, ids, NULL, NULL, 1), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&c->resp), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&c->ents), RAFTC_OK);
    assert_int_equal(raftc_sink_new(&c->tmp), RAFTC_OK);
}

static void step_all(cluster1 *c, raftc_sink *msgs)
{
    for (size_t i = 0; i < raftc_sink_count(msgs); i++) {
        const uint8_t *p;
        size_t n;
        uint64_t info[RAFTC_MF_COUNT];
        assert_int_equal(raftc_sink_get(&p, &n, msgs, i), RAFTC_OK);
        assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, p, n), RAFTC_OK);
        assert_int_equal(info[RAFTC_MF_TO], 1); /* a single node answers only itself */
        assert_int_equal(raftc_node_step(c->node, p, n), RAFTC_OK);
    }
}

/* The apply thread's work, done inline: apply the entries, then step the responses. */
static void apply(cluster1 *c, const uint8_t *p, size_t n)
{
    raftc_sink_reset(c->ents);
    raftc_sink_reset(c->tmp);
    assert_int_equal(raftc_message_decode_parts(c->ents, NULL, c->tmp, NULL, p, n), RAFTC_OK);
    for (size_t i = 0; i < raftc_sink_count(c->ents); i++) {
        const uint8_t *e, *data;
        size_t el, dl;
        raftc_entry_type type;
        assert_int_equal(raftc_sink_get(&e, &el, c->ents, i), RAFTC_OK);
        assert_int_equal(raftc_entry_decode(NULL, NULL, &type, &data, &dl, e, el), RAFTC_OK);
        if (type != RAFTC_ENTRY_NORMAL || dl == 0)
            continue;
        char want[32];
        int wl = snprintf(want, sizeof(want), "p%llu", (unsigned long long)c->applied);
        assert_int_equal(dl, (size_t)wl);
        assert_memory_equal(data, want, dl);
        c->applied++;
    }
    step_all(c, c->tmp);
}

/* One round: every Ready (local messages to the writer and the apply step), then the writer's
 * responses (waiting up to wait_ms). */
static void c1_round(cluster1 *c, int wait_ms)
{
    while (raftc_node_has_ready(c->node)) {
        raftc_ready *rd = NULL;
        uint64_t info[RAFTC_RD_COUNT];
        assert_int_equal(raftc_node_ready(&rd, c->node), RAFTC_OK);
        assert_int_equal(raftc_ready_info(info, RAFTC_RD_COUNT, rd), RAFTC_OK);
        assert_int_equal(raftc_diskstorage_submit_ready(c->ds, rd), RAFTC_OK);
        for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
            uint64_t mi[RAFTC_MF_COUNT];
            const uint8_t *p;
            size_t n;
            assert_int_equal(raftc_ready_message_info(mi, RAFTC_MF_COUNT, rd, i), RAFTC_OK);
            if (mi[RAFTC_MF_TO] == RAFTC_LOCAL_APPEND_THREAD)
                continue; /* submitted above */
            assert_true(mi[RAFTC_MF_TO] == RAFTC_LOCAL_APPLY_THREAD);
            assert_int_equal(raftc_ready_message(&p, &n, rd, i), RAFTC_OK);
            raftc_sink_reset(c->tmp);
            assert_int_equal(raftc_sink_put(c->tmp, p, n), RAFTC_OK); /* the view dies */
            assert_int_equal(raftc_sink_get(&p, &n, c->tmp, 0), RAFTC_OK);
            uint8_t *copy = malloc(n);
            memcpy(copy, p, n);
            apply(c, copy, n);
            free(copy);
        }
    }
    uint64_t done = 0, written = 0;
    /* counters are read while the thread writes */
    assert_int_equal(raftc_diskstorage_stat(&written, c->ds, RAFTC_DS_BYTES_WRITTEN), RAFTC_OK);
    raftc_sink_reset(c->resp);
    assert_int_equal(raftc_diskstorage_take_responses(c->resp, &done, c->ds, wait_ms),
                     RAFTC_OK);
    c->persisted += done;
    step_all(c, c->resp);
}

static void c1_free(cluster1 *c)
{
    raftc_node_free(c->node);
    raftc_config_free(c->cfg);
    raftc_diskstorage_free(c->ds);
    raftc_sink_free(c->resp);
    raftc_sink_free(c->ents);
    raftc_sink_free(c->tmp);
}

static void rm_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* struct_size is checked against the first version of raftc_diskstorage_options (it ends with
 * sync_policy), not the current sizeof: a host's older, shorter struct is accepted and the
 * fields it lacks keep their defaults; a struct_size below the first version is refused with a
 * message that names it. */
static void test_options_struct_size(void **state)
{
    (void)state;
    char dir[64], err[256];
    snprintf(dir, sizeof(dir), "/tmp/raftc-opts-XXXXXX");
    assert_non_null(mkdtemp(dir));
    raftc_diskstorage *ds = NULL;
    /* the first version: async_writes lies past struct_size, so its 1 is never read */
    raftc_diskstorage_options v1 = {offsetof(raftc_diskstorage_options, sync_policy) + sizeof(int),
                                    0, RAFTC_SYNC_NONE, 1};
    assert_true(v1.struct_size < sizeof(raftc_diskstorage_options));
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), dir, &v1), RAFTC_OK);
    assert_string_equal(err, "");
    uint8_t msg[4] = {0x08, 0x13, 0x10, 0x01}; /* MsgStorageAppend to 1 */
    assert_int_equal(raftc_diskstorage_submit(ds, msg, sizeof(msg)), RAFTC_ESTATE); /* no writer */
    raftc_diskstorage_free(ds);
    /* the same bytes with the current struct_size start the writer */
    raftc_diskstorage_options now = v1;
    now.struct_size = sizeof(now);
    ds = open_ds_with(dir, &now);
    assert_int_not_equal(raftc_diskstorage_submit(ds, msg, sizeof(msg)), RAFTC_ESTATE);
    raftc_diskstorage_free(ds);
    /* too small: refused, with the reason */
    raftc_diskstorage_options small = v1;
    small.struct_size = offsetof(raftc_diskstorage_options, sync_policy);
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), dir, &small), RAFTC_EINVAL);
    assert_null(ds);
    print_message("refused: %s\n", err);
    char want[96];
    snprintf(want, sizeof(want), "struct_size %zu is smaller than the first version",
             small.struct_size);
    assert_non_null(strstr(err, want));
    small.struct_size = 0;
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), dir, &small), RAFTC_EINVAL);
    assert_non_null(strstr(err, "struct_size 0"));
    /* a bad sync_policy says so */
    now.sync_policy = 7;
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), dir, &now), RAFTC_EINVAL);
    assert_non_null(strstr(err, "sync_policy 7"));
    rm_dir(dir);
}

static void test_single_node_async(void **state)
{
    (void)state;
    cluster1 c;
    c1_init(&c);
    uint64_t info[RAFTC_ST_COUNT];
    for (int i = 0; i < 50; i++) {
        c1_round(&c, 50);
        assert_int_equal(raftc_node_status_info(info, RAFTC_ST_COUNT, c.node), RAFTC_OK);
        if (info[RAFTC_ST_RAFT_STATE] == RAFTC_STATE_LEADER)
            break;
        /* campaigning needs the bootstrap entries applied, which needs them persisted */
        if (info[RAFTC_ST_RAFT_STATE] == RAFTC_STATE_FOLLOWER && info[RAFTC_ST_APPLIED] >= 1)
            assert_int_equal(raftc_node_campaign(c.node), RAFTC_OK);
    }
    assert_int_equal(info[RAFTC_ST_RAFT_STATE], RAFTC_STATE_LEADER);
    /* bursts of proposals: several Readys queue up while the writer syncs */
    const uint64_t total = 400;
    uint64_t proposed = 0;
    for (int round = 0; round < 10000 && c.applied < total; round++) {
        for (int k = 0; k < 7 && proposed < total; k++) {
            char p[32];
            int n = snprintf(p, sizeof(p), "p%llu", (unsigned long long)proposed);
            assert_int_equal(raftc_node_propose(c.node, (const uint8_t *)p, (size_t)n),
                             RAFTC_OK);
            proposed++;
        }
        c1_round(&c, round % 3 == 0 ? 0 : 20);
    }
    assert_int_equal(c.applied, total);
    assert_true(c.persisted > 0);
    /* the writer owns the writes; the bytes path refuses other messages */
    const uint8_t *p = NULL;
    size_t n = 0;
    raftc_sink_reset(c.tmp);
    assert_int_equal(raftc_hard_state_encode(c.tmp, 1, 1, 1), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, c.tmp, 0), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_set_hard_state(c.ds, p, n), RAFTC_ESTATE);
    assert_int_equal(raftc_diskstorage_append(c.ds, NULL, NULL, 0), RAFTC_ESTATE);
    uint64_t mi[RAFTC_MF_COUNT] = {0};
    mi[RAFTC_MF_TYPE] = RAFTC_MSG_APP;
    mi[RAFTC_MF_TO] = 2;
    raftc_sink_reset(c.tmp);
    assert_int_equal(raftc_message_encode(c.tmp, mi, RAFTC_MF_COUNT, NULL, NULL, 0, NULL, 0,
                                          NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, c.tmp, 0), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_submit(c.ds, p, n), RAFTC_EINVAL);
    assert_int_equal(raftc_diskstorage_submit(c.ds, (const uint8_t *)"\xff", 1), RAFTC_EDECODE);
    /* drain: the last Readys' messages (commit updates) may still be queued */
    uint64_t pending = 1;
    for (int i = 0; i < 100 && (pending > 0 || raftc_node_has_ready(c.node)); i++) {
        c1_round(&c, -1);
        assert_int_equal(raftc_diskstorage_stat(&pending, c.ds, RAFTC_DS_PENDING), RAFTC_OK);
    }
    assert_int_equal(pending, 0);
    /* snapshots from the apply side are allowed while the writer runs */
    assert_int_equal(raftc_node_status_info(info, RAFTC_ST_COUNT, c.node), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_create_snapshot(NULL, c.ds, info[RAFTC_ST_APPLIED] - 5,
                                                       NULL, 0, (const uint8_t *)"s", 1),
                     RAFTC_OK);
    uint64_t commit = info[RAFTC_ST_COMMIT];
    c1_free(&c);

    /* reopened without the writer: everything acknowledged is there */
    raftc_diskstorage *ds = open_ds(c.dir, 0);
    raftc_memstorage *ms = NULL;
    assert_int_equal(raftc_diskstorage_memstorage(&ms, ds), RAFTC_OK);
    uint64_t last = 0;
    assert_int_equal(raftc_memstorage_last_index(&last, ms), RAFTC_OK);
    assert_true(last >= commit);
    raftc_sink *hs = NULL;
    assert_int_equal(raftc_sink_new(&hs), RAFTC_OK);
    assert_int_equal(raftc_memstorage_initial_state(hs, NULL, ms), RAFTC_OK);
    uint64_t t, v, cm;
    assert_int_equal(raftc_sink_get(&p, &n, hs, 0), RAFTC_OK);
    assert_int_equal(raftc_hard_state_decode(&t, &v, &cm, p, n), RAFTC_OK);
    assert_true(cm >= commit - 1 && cm <= last); /* the last commit-only update need not sync */
    raftc_sink_free(hs);
    /* without the writer, its calls are refused */
    raftc_sink *s = NULL;
    uint64_t done = 9;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_take_responses(s, &done, ds, 0), RAFTC_ESTATE);
    assert_int_equal(done, 0);
    assert_int_equal(raftc_diskstorage_submit(ds, (const uint8_t *)"", 0), RAFTC_ESTATE);
    assert_int_equal(raftc_diskstorage_take_responses(NULL, &done, ds, 0), RAFTC_EINVAL);
    raftc_sink_free(s);
    raftc_diskstorage_free(ds);
    rm_dir(c.dir);
}

/* ---- internals: failures ---- */

#define DIR "/db"

/* A MsgStorageAppend with entries [first, first + n) of term 1, HardState (1, 1, commit) and
 * one response: a MsgStorageAppendResp whose index is the last entry's. */
static rc_message storage_append(uint64_t first, size_t n, uint64_t commit)
{
    rc_message m = rc_message_zero;
    m.type = RC_MSG_STORAGE_APPEND;
    m.to = RC_LOCAL_APPEND_THREAD;
    m.from = 1;
    m.term = 1;
    m.vote = 1;
    m.commit = commit;
    m.entries = calloc(n, sizeof(rc_entry));
    for (size_t i = 0; i < n; i++) {
        char p[32];
        int l = snprintf(p, sizeof(p), "e%llu", (unsigned long long)(first + i));
        m.entries[i] = (rc_entry){.term = 1, .index = first + i, .type = RC_ENTRY_NORMAL};
        assert_int_equal(rc_bytes_set(&m.entries[i].data, p, (size_t)l), RC_OK);
    }
    m.n_entries = n;
    m.responses = calloc(1, sizeof(rc_message));
    m.responses[0] = rc_message_zero;
    m.responses[0].type = RC_MSG_STORAGE_APPEND_RESP;
    m.responses[0].to = 1;
    m.responses[0].from = RC_LOCAL_APPEND_THREAD;
    m.responses[0].index = first + n - 1;
    m.responses[0].log_term = 1;
    m.n_responses = 1;
    return m;
}

/* Decodes the responses in buf; returns the highest index acknowledged (0 if none). */
static uint64_t acked_index(const uint8_t *buf, size_t len)
{
    uint64_t max = 0;
    for (size_t off = 0; off + 4 <= len;) {
        uint32_t n;
        memcpy(&n, buf + off, 4);
        uint64_t info[RAFTC_MF_COUNT];
        assert_int_equal(raftc_message_decode(info, RAFTC_MF_COUNT, buf + off + 4, n),
                         RAFTC_OK);
        assert_int_equal(info[RAFTC_MF_TYPE], RAFTC_MSG_STORAGE_APPEND_RESP);
        if (info[RAFTC_MF_INDEX] > max)
            max = info[RAFTC_MF_INDEX];
        off += 4 + n;
    }
    return max;
}

/* Every fsync of a run fails in turn: the writer fails, releases nothing it did not persist,
 * refuses more, and what it released survives a power cut. */
static void test_failed_fsync(void **state)
{
    (void)state;
    char err[DS_ERR_MAX];
    for (uint64_t nth = 1; nth <= 12; nth++) {
        ds_memvfs *m = NULL;
        assert_int_equal(ds_memvfs_new(&m, nth), RC_OK);
        ds_storage *ds = NULL;
        ds_options o = {4096, DS_SYNC_EACH};
        assert_int_equal(ds_open(&ds, ds_memvfs_vfs(m), DIR, &o, err), RC_OK);
        ds_writer *w = NULL;
        assert_int_equal(ds_writer_start(&w, ds), RC_OK);
        ds_memvfs_inject(m, DS_MV_FSYNC, nth, -EIO);
        uint64_t acked = 0, next = 1, submitted = 0, taken = 0;
        int rc = RC_OK;
        for (int round = 0; round < 200 && rc == RC_OK; round++) {
            rc_message msg = storage_append(next, 1 + (size_t)(round % 5), next);
            next += msg.n_entries;
            rc = ds_writer_submit(w, &msg);
            rc_message_free(&msg);
            if (rc != RC_OK) {
                assert_int_equal(rc, RC_ERR_FAILED);
                break;
            }
            submitted++;
            uint8_t *buf = NULL;
            size_t len = 0;
            uint64_t done = 0;
            rc = ds_writer_take(w, round % 2 ? 5 : 0, &buf, &len, &done);
            taken += done;
            uint64_t a = acked_index(buf, len);
            acked = a > acked ? a : acked;
            rc_free(buf);
        }
        /* drain: the failure shows up at the latest once everything queued was tried */
        for (int i = 0; i < 1000 && rc == RC_OK; i++) {
            uint8_t *buf = NULL;
            size_t len = 0;
            uint64_t done = 0;
            rc = ds_writer_take(w, 10, &buf, &len, &done);
            taken += done;
            uint64_t a = acked_index(buf, len);
            acked = a > acked ? a : acked;
            rc_free(buf);
            if (taken == submitted)
                break;
        }
        if (nth <= 6) { /* an early fsync failure is always hit */
            assert_int_equal(rc, RC_ERR_FAILED);
            assert_true(ds_failed(ds));
            assert_true(taken < submitted);
            assert_non_null(strstr(ds_last_error(ds), "fsync"));
            rc_message msg = storage_append(next, 1, 0);
            assert_int_equal(ds_writer_submit(w, &msg), RC_ERR_FAILED);
            rc_message_free(&msg);
        }
        ds_writer_stop(w);
        ds_memvfs_inject(m, DS_MV_FSYNC, 0, 0);
        ds_memvfs_power_cut(m, nth * 7919);
        ds_close(ds);
        assert_int_equal(ds_open(&ds, ds_memvfs_vfs(m), DIR, &o, err), RC_OK);
        assert_true(rc_memstorage_last_index(ds_mirror(ds)) >= acked);
        for (uint64_t i = 1; i <= acked; i++) {
            uint64_t t = 0;
            assert_int_equal(rc_memstorage_term(ds_mirror(ds), i, &t), RC_OK);
            assert_int_equal(t, 1);
        }
        ds_close(ds);
        ds_memvfs_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_struct_size),
        cmocka_unit_test(test_single_node_async),
        cmocka_unit_test(test_failed_fsync),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
