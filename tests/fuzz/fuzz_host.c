/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_host.c: the fuzzers' host (memory-storage nodes in sync mode, message queue, checks).
 */
#include "fuzz_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_QUEUE 4096

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FUZZ FINDING: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

uint64_t fz_hash(const uint8_t *p, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

int fz_queue_push(fz_queue *q, const uint8_t *buf, size_t len)
{
    uint64_t info[RAFTC_MF_COUNT];
    if (q->n >= FZ_MAX_QUEUE || raftc_message_decode(info, RAFTC_MF_COUNT, buf, len) != RAFTC_OK)
        return -1;
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        fz_msg *v = realloc(q->v, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        q->v = v;
        q->cap = cap;
    }
    fz_msg *m = &q->v[q->n];
    m->buf = malloc(len ? len : 1);
    if (m->buf == NULL)
        return -1;
    memcpy(m->buf, buf, len);
    m->len = len;
    m->to = info[RAFTC_MF_TO];
    m->from = info[RAFTC_MF_FROM];
    m->type = info[RAFTC_MF_TYPE];
    m->term = info[RAFTC_MF_TERM];
    q->n++;
    return 0;
}

void fz_queue_remove(fz_queue *q, size_t i, fz_msg *out)
{
    if (out != NULL)
        *out = q->v[i];
    else
        free(q->v[i].buf);
    memmove(&q->v[i], &q->v[i + 1], (q->n - i - 1) * sizeof(q->v[0]));
    q->n--;
}

void fz_queue_free(fz_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->v[i].buf);
    free(q->v);
    memset(q, 0, sizeof(*q));
}

static void fz_log(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    fz_node *n = ud;
    (void)len;
    if (level == RAFTC_LOG_PANIC && !n->panicked) {
        n->panicked = 1;
        snprintf(n->panic, sizeof(n->panic), "%s", msg);
    }
}

/* Creates n's node over its memory storage (Applied: the storage's snapshot index). */
static int node_start(fz_node *n)
{
    raftc_config *cfg = NULL;
    int rc = raftc_config_new(&cfg);
    if (rc == RAFTC_OK) {
        raftc_config_set_u64(cfg, RAFTC_OPT_ID, n->id);
        raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, 10);
        raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, 1);
        raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, 4096);
        raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, 8);
        raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED, n->id);
        raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, n->flags & 1);
        raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, (n->flags >> 1) & 1);
        raftc_config_set_logger(cfg, fz_log, n);
        raftc_config_set_memstorage(cfg, n->ms);
        rc = raftc_node_new(&n->node, NULL, cfg);
    }
    uint64_t first = 1;
    raftc_memstorage_first_index(&first, n->ms);
    n->applied = first - 1;
    raftc_config_free(cfg);
    return rc;
}

int fz_node_init(fz_node *n, uint64_t id, const uint64_t *voters, size_t n_voters, int flags)
{
    memset(n, 0, sizeof(*n));
    n->id = id;
    n->flags = flags;
    raftc_sink *cs = NULL, *snap = NULL;
    int rc = raftc_memstorage_new(&n->ms);
    if (rc == RAFTC_OK)
        rc = raftc_sink_new(&n->scratch);
    if (rc == RAFTC_OK)
        rc = raftc_sink_new(&cs);
    if (rc == RAFTC_OK)
        rc = raftc_sink_new(&snap);
    if (rc == RAFTC_OK)
        rc = raftc_conf_state_encode(cs, voters, n_voters, NULL, 0, NULL, 0, NULL, 0, 0);
    const uint8_t *p = NULL;
    size_t len = 0;
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&p, &len, cs, 0);
    if (rc == RAFTC_OK)
        rc = raftc_snapshot_encode(snap, 1, 1, p, len, NULL, 0);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&p, &len, snap, 0);
    if (rc == RAFTC_OK)
        rc = raftc_memstorage_apply_snapshot(n->ms, p, len);
    if (rc == RAFTC_OK)
        rc = node_start(n);
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    return rc;
}

int fz_node_restart(fz_node *n)
{
    raftc_node_free(n->node);
    n->node = NULL;
    n->panicked = 0;
    n->panic[0] = '\0';
    return node_start(n);
}

void fz_node_free(fz_node *n)
{
    raftc_node_free(n->node);
    raftc_memstorage_free(n->ms);
    raftc_sink_free(n->scratch);
    memset(n, 0, sizeof(*n));
}

static void check_commit(fz_commits *c, uint64_t id, uint64_t index, uint64_t term,
                         const uint8_t *data, size_t len)
{
    if (c == NULL || index >= FZ_MAX_TRACKED_INDEX)
        return;
    uint64_t h = fz_hash(data, len);
    if (!c->set[index]) {
        c->set[index] = 1;
        c->term[index] = term;
        c->hash[index] = h;
        return;
    }
    if (c->term[index] != term || c->hash[index] != h)
        fz_fail("node %llu applied index %llu term %llu, another node applied term %llu there "
                "(or different data)", (unsigned long long)id, (unsigned long long)index,
                (unsigned long long)term, (unsigned long long)c->term[index]);
}

/* Persist failures are findings in strict mode (a correct node never asks for them). */
static int persist_rc(int rc, int strict, const fz_node *n, const char *what)
{
    if (rc != RAFTC_OK && strict)
        fz_fail("node %llu: persisting %s failed: %s", (unsigned long long)n->id, what,
                raftc_strerror(rc));
    return rc;
}

static int persist(fz_node *n, const raftc_ready *rd, const uint64_t *info, int strict)
{
    const uint8_t *p = NULL;
    size_t len = 0;
    int rc = RAFTC_OK;
    if (info[RAFTC_RD_HAS_SNAPSHOT] && raftc_ready_snapshot(&p, &len, rd) == RAFTC_OK) {
        rc = persist_rc(raftc_memstorage_apply_snapshot(n->ms, p, len), strict, n, "snapshot");
        if (rc != RAFTC_OK)
            return rc;
        uint64_t index = 0;
        raftc_snapshot_decode(&index, NULL, NULL, NULL, p, len);
        if (index > n->applied)
            n->applied = index;
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES] && rc == RAFTC_OK; i++) {
        if (raftc_ready_entry(&p, &len, rd, i) != RAFTC_OK)
            fz_fail("ready entry %zu missing", i);
        const uint8_t *ents[1] = {p};
        rc = persist_rc(raftc_memstorage_append(n->ms, ents, &len, 1), strict, n, "entries");
    }
    if (rc == RAFTC_OK && info[RAFTC_RD_HAS_HARD_STATE] &&
        raftc_ready_hard_state(&p, &len, rd) == RAFTC_OK)
        rc = persist_rc(raftc_memstorage_set_hard_state(n->ms, p, len), strict, n, "hard state");
    return rc;
}

static int apply(fz_node *n, const raftc_ready *rd, const uint64_t *info, fz_commits *commits,
                 int strict)
{
    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        const uint8_t *p = NULL, *data = NULL;
        size_t len = 0, dlen = 0;
        uint64_t term = 0, index = 0;
        raftc_entry_type type = RAFTC_ENTRY_NORMAL;
        if (raftc_ready_committed_entry(&p, &len, rd, i) != RAFTC_OK ||
            raftc_entry_decode(&term, &index, &type, &data, &dlen, p, len) != RAFTC_OK)
            fz_fail("committed entry %zu unreadable", i);
        if (strict && index != n->applied + 1)
            fz_fail("node %llu applies index %llu after %llu", (unsigned long long)n->id,
                    (unsigned long long)index, (unsigned long long)n->applied);
        check_commit(commits, n->id, index, term, data, dlen);
        n->applied = index;
        if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
            int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
            int rc = raftc_node_apply_conf_change(NULL, n->node, kind, data, dlen);
            if (rc != RAFTC_OK) {
                n->conf_apply_failed = 1;
                return rc;
            }
        }
    }
    return RAFTC_OK;
}

int fz_node_process_ready(fz_node *n, fz_queue *q, fz_commits *commits, int strict)
{
    if (!raftc_node_has_ready(n->node))
        return 0;
    raftc_ready *rd = NULL;
    uint64_t info[RAFTC_RD_COUNT];
    int rc = raftc_node_ready(&rd, n->node);
    if (rc != RAFTC_OK)
        return rc;
    if (raftc_ready_info(info, RAFTC_RD_COUNT, rd) != RAFTC_OK)
        fz_fail("ready_info failed");
    if (info[RAFTC_RD_N_MESSAGES_NOW] > info[RAFTC_RD_N_MESSAGES])
        fz_fail("N_MESSAGES_NOW %llu > N_MESSAGES %llu",
                (unsigned long long)info[RAFTC_RD_N_MESSAGES_NOW],
                (unsigned long long)info[RAFTC_RD_N_MESSAGES]);
    rc = persist(n, rd, info, strict);
    if (rc != RAFTC_OK)
        return rc;
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
        const uint8_t *p = NULL;
        size_t len = 0;
        if (raftc_ready_message(&p, &len, rd, i) != RAFTC_OK)
            fz_fail("ready message %zu missing", i);
        if (q != NULL)
            (void)fz_queue_push(q, p, len); /* a full queue drops, like a network */
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_READ_STATES]; i++) {
        uint64_t index = 0;
        const uint8_t *ctx = NULL;
        size_t clen = 0;
        if (raftc_ready_read_state(&index, &ctx, &clen, rd, i) != RAFTC_OK)
            fz_fail("read state %zu missing", i);
    }
    char *text = NULL;
    if (raftc_ready_describe(&text, rd) == RAFTC_OK && text == NULL)
        fz_fail("describe returned NULL text");
    raftc_free(text);
    rc = apply(n, rd, info, commits, strict);
    if (rc != RAFTC_OK)
        return rc;
    rc = raftc_node_advance(n->node);
    return rc == RAFTC_OK ? 1 : rc;
}

int fz_node_compact(fz_node *n)
{
    const uint8_t *cs = NULL;
    size_t cs_len = 0;
    raftc_sink_reset(n->scratch);
    int rc = raftc_node_conf_state(n->scratch, n->node);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&cs, &cs_len, n->scratch, 0);
    if (rc == RAFTC_OK)
        rc = raftc_memstorage_create_snapshot(NULL, n->ms, n->applied, cs, cs_len, NULL, 0);
    if (rc == RAFTC_OK)
        rc = raftc_memstorage_compact(n->ms, n->applied);
    return rc;
}
