/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_peer.c: one raftc node behind a pipe, driven by the Go interop tests (tests/interop/go).
 *
 * The peer owns a raftc node and its raftc_memstorage and talks to its driver over stdin/stdout
 * with length-prefixed frames (all integers little-endian):
 *
 *   request  = u32 len, then len bytes: u8 command, payload
 *   reply    = u32 len, then len bytes: a sequence of records (u8 kind, u32 len, data)
 *
 * Commands (payload):
 *   't' tick                 's' step (raftpb Message)      'p' propose (data)
 *   'c' propose conf change (u8 kind 1=V1/2=V2, raftpb ConfChange/ConfChangeV2 bytes)
 *   'C' propose conf change encoded by raftc (u8 v2, u8 transition, u32 n, n x (u8 type, u64 id))
 *   'h' campaign             'x' transfer leader (u64 id)   'r' read index (request context)
 *   'n' snapshot at the applied index (u64 compact index or 0, then the snapshot data)
 *   'f' report snapshot (u64 id, u8 status)               'u' report unreachable (u64 id)
 *   'd' describe a raftpb Message (raftc_message_describe) 'q' status only   'z' exit
 *   'P' the leader's progress map (raftc_node_status_progress)
 *
 * After every command the peer drains the node's Readys (persist snapshot / hard state / entries
 * to the memory storage, then emit messages, apply committed entries, advance) and replies with:
 *   'X' i32 result code + last error text (always first)
 *   'M' a raftpb Message to send      'E' an applied (committed) raftpb Entry
 *   'S' a raftpb Snapshot applied from a Ready (the driver restores its app state from Data)
 *   'R' a ReadState (u64 index, request context)
 *   'L' a log line of the node (u8 level, text)             'D' describe text
 *   'T' status (RAFTC_ST_COUNT u64)   'C' the node's raftpb ConfState (always last two)
 *
 * Usage: raftc-interop-peer --id N [--voters 1,2,3] [--learners 4] [--prevote] [--checkquorum]
 *        [--election N] [--heartbeat N] [--seed N] [--max-size N] [--max-inflight N]
 *        [--lease-read] [--step-down-on-removal]
 * With --voters the storage starts from a snapshot at index 1, term 1 with that ConfState (the
 * same start the Go side gives etcd nodes); without it the node starts empty (a joining node).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raftc.h"

#define MAX_IDS 16

/* ---- growable reply buffer ---- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static buf reply;
static raftc_node *node;
static raftc_memstorage *storage;
static uint64_t applied;

_Noreturn static void die(const char *what)
{
    fprintf(stderr, "raftc-interop-peer: %s\n", what);
    exit(2);
}

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (p == NULL)
        die("out of memory");
    b->p = p;
    b->cap = cap;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Appends one record (kind, a, b): the data is a followed by b (either may be empty). */
static void record2(char kind, const void *a, size_t alen, const void *b2, size_t blen)
{
    if (alen + blen > UINT32_MAX)
        die("record too large");
    buf_reserve(&reply, 5 + alen + blen);
    reply.p[reply.len] = (uint8_t)kind;
    put_u32(reply.p + reply.len + 1, (uint32_t)(alen + blen));
    reply.len += 5;
    if (alen)
        memcpy(reply.p + reply.len, a, alen);
    reply.len += alen;
    if (blen)
        memcpy(reply.p + reply.len, b2, blen);
    reply.len += blen;
}

static void record(char kind, const void *p, size_t len)
{
    record2(kind, p, len, NULL, 0);
}

static void record_result(int rc)
{
    uint8_t code[4];
    put_u32(code, (uint32_t)(int32_t)rc);
    const char *text = rc == RAFTC_OK ? "" : raftc_node_last_error(node);
    if (rc != RAFTC_OK && text[0] == '\0')
        text = raftc_strerror(rc);
    record2('X', code, 4, text, strlen(text));
}

static void log_line(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    (void)ud;
    if (level < RAFTC_LOG_INFO)
        return;
    uint8_t lv = (uint8_t)level;
    record2('L', &lv, 1, msg, len);
}

/* ---- Ready handling ---- */

/* Persists, emits and applies one Ready; returns a RAFTC_E* code (0 on success). */
static int handle_ready(void)
{
    raftc_ready *rd;
    int rc = raftc_node_ready(&rd, node);
    if (rc != RAFTC_OK)
        return rc;
    uint64_t info[RAFTC_RD_COUNT];
    if ((rc = raftc_ready_info(info, RAFTC_RD_COUNT, rd)) != RAFTC_OK)
        return rc;
    const uint8_t *p;
    size_t len;
    if (info[RAFTC_RD_HAS_SNAPSHOT] && raftc_ready_snapshot(&p, &len, rd) == RAFTC_OK) {
        if ((rc = raftc_memstorage_apply_snapshot(storage, p, len)) != RAFTC_OK)
            return rc;
        uint64_t index = 0;
        if ((rc = raftc_snapshot_decode(&index, NULL, NULL, NULL, p, len)) != RAFTC_OK)
            return rc;
        applied = index;
        record('S', p, len);
    }
    if (info[RAFTC_RD_HAS_HARD_STATE] && raftc_ready_hard_state(&p, &len, rd) == RAFTC_OK &&
        (rc = raftc_memstorage_set_hard_state(storage, p, len)) != RAFTC_OK)
        return rc;
    for (size_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
        if ((rc = raftc_ready_entry(&p, &len, rd, i)) != RAFTC_OK)
            return rc;
        const uint8_t *one[1] = {p};
        if ((rc = raftc_memstorage_append(storage, one, &len, 1)) != RAFTC_OK)
            return rc;
    }
    /* Everything is durable: all messages may go out. */
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
        if ((rc = raftc_ready_message(&p, &len, rd, i)) != RAFTC_OK)
            return rc;
        record('M', p, len);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_READ_STATES]; i++) {
        uint64_t index;
        const uint8_t *ctx;
        size_t ctx_len;
        if ((rc = raftc_ready_read_state(&index, &ctx, &ctx_len, rd, i)) != RAFTC_OK)
            return rc;
        uint8_t ib[8];
        put_u64(ib, index);
        record2('R', ib, 8, ctx, ctx_len);
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_COMMITTED_ENTRIES]; i++) {
        if ((rc = raftc_ready_committed_entry(&p, &len, rd, i)) != RAFTC_OK)
            return rc;
        uint64_t index;
        raftc_entry_type type;
        const uint8_t *data;
        size_t data_len;
        if ((rc = raftc_entry_decode(NULL, &index, &type, &data, &data_len, p, len)) != RAFTC_OK)
            return rc;
        record('E', p, len);
        if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
            int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
            if ((rc = raftc_node_apply_conf_change(NULL, node, kind, data, data_len)) !=
                RAFTC_OK)
                return rc;
        }
        applied = index;
    }
    return raftc_node_advance(node);
}

static int drain(void)
{
    for (int guard = 0; raftc_node_has_ready(node); guard++) {
        if (guard > 100000)
            return RAFTC_ESTATE;
        int rc = handle_ready();
        if (rc != RAFTC_OK)
            return rc;
    }
    return RAFTC_OK;
}

static void record_status(void)
{
    uint64_t st[RAFTC_ST_COUNT];
    uint8_t b[8 * RAFTC_ST_COUNT];
    memset(st, 0, sizeof(st));
    raftc_node_status_info(st, RAFTC_ST_COUNT, node);
    st[RAFTC_ST_APPLIED] = applied;
    for (size_t i = 0; i < RAFTC_ST_COUNT; i++)
        put_u64(b + 8 * i, st[i]);
    record('T', b, sizeof(b));
    raftc_sink *cs = NULL;
    const uint8_t *p = NULL;
    size_t len = 0;
    if (raftc_sink_new(&cs) == RAFTC_OK && raftc_node_conf_state(cs, node) == RAFTC_OK &&
        raftc_sink_get(&p, &len, cs, 0) == RAFTC_OK)
        record('C', p, len);
    raftc_sink_free(cs);
}

/* ---- commands ---- */

/* Creates a snapshot at the applied index with the given data and compacts up to compact
 * (0 = no compaction). */
static int take_snapshot(uint64_t compact, const uint8_t *data, size_t len)
{
    raftc_sink *cs = NULL;
    int rc = raftc_sink_new(&cs);
    const uint8_t *csp = NULL;
    size_t cslen = 0;
    if (rc == RAFTC_OK)
        rc = raftc_node_conf_state(cs, node);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&csp, &cslen, cs, 0);
    if (rc == RAFTC_OK)
        rc = raftc_memstorage_create_snapshot(NULL, storage, applied, csp, cslen, data, len);
    if (rc == RAFTC_OK && compact > 0)
        rc = raftc_memstorage_compact(storage, compact);
    raftc_sink_free(cs);
    return rc;
}

static int propose_encoded_cc(const uint8_t *p, size_t len)
{
    if (len < 6)
        return RAFTC_EINVAL;
    int v2 = p[0], transition = p[1];
    uint32_t n = get_u32(p + 2);
    if (n > MAX_IDS || len != 6 + (size_t)n * 9)
        return RAFTC_EINVAL;
    raftc_cc_type types[MAX_IDS];
    uint64_t ids[MAX_IDS];
    for (uint32_t i = 0; i < n; i++) {
        types[i] = (raftc_cc_type)p[6 + 9 * i];
        ids[i] = get_u64(p + 6 + 9 * i + 1);
    }
    raftc_sink *out = NULL;
    int rc = raftc_sink_new(&out);
    if (rc != RAFTC_OK)
        return rc;
    if (v2)
        rc = raftc_conf_change_v2_encode(out, transition, types, ids, n, NULL, 0);
    else if (n != 1)
        rc = RAFTC_EINVAL;
    else
        rc = raftc_conf_change_encode(out, types[0], ids[0], NULL, 0);
    const uint8_t *cc = NULL;
    size_t cclen = 0;
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&cc, &cclen, out, 0);
    if (rc == RAFTC_OK)
        rc = raftc_node_propose_conf_change(node, v2 ? RAFTC_CC_V2 : RAFTC_CC_V1, cc, cclen);
    raftc_sink_free(out);
    return rc;
}

static int describe(const uint8_t *p, size_t len)
{
    char *text = NULL;
    int rc = raftc_message_describe(&text, p, len);
    if (rc == RAFTC_OK)
        record('D', text, strlen(text));
    raftc_free(text);
    return rc;
}

static int progress(void)
{
    char *text = NULL;
    int rc = raftc_node_status_progress(&text, node);
    if (rc == RAFTC_OK)
        record('D', text, strlen(text));
    raftc_free(text);
    return rc;
}

/* Runs one command; returns its result code. *quit is set by 'z'. */
static int run_command(uint8_t cmd, const uint8_t *p, size_t len, bool *quit)
{
    switch (cmd) {
    case 't':
        return raftc_node_tick(node);
    case 's':
        return raftc_node_step(node, p, len);
    case 'p':
        return raftc_node_propose(node, p, len);
    case 'c':
        if (len < 1)
            return RAFTC_EINVAL;
        return raftc_node_propose_conf_change(node, p[0], p + 1, len - 1);
    case 'C':
        return propose_encoded_cc(p, len);
    case 'h':
        return raftc_node_campaign(node);
    case 'x':
        return len == 8 ? raftc_node_transfer_leader(node, get_u64(p)) : RAFTC_EINVAL;
    case 'r':
        return raftc_node_read_index(node, p, len);
    case 'n':
        return len >= 8 ? take_snapshot(get_u64(p), p + 8, len - 8) : RAFTC_EINVAL;
    case 'f':
        return len == 9 ? raftc_node_report_snapshot(node, get_u64(p), p[8]) : RAFTC_EINVAL;
    case 'u':
        return len == 8 ? raftc_node_report_unreachable(node, get_u64(p)) : RAFTC_EINVAL;
    case 'd':
        return describe(p, len);
    case 'P':
        return progress();
    case 'q':
        return RAFTC_OK;
    case 'z':
        *quit = true;
        return RAFTC_OK;
    default:
        return RAFTC_EINVAL;
    }
}

/* ---- I/O ---- */

static bool read_full(void *p, size_t n)
{
    uint8_t *q = p;
    while (n > 0) {
        size_t got = fread(q, 1, n, stdin);
        if (got == 0)
            return false;
        q += got;
        n -= got;
    }
    return true;
}

static void write_reply(void)
{
    uint8_t hdr[4];
    if (reply.len > UINT32_MAX)
        die("reply too large");
    put_u32(hdr, (uint32_t)reply.len);
    if (fwrite(hdr, 1, 4, stdout) != 4 || fwrite(reply.p, 1, reply.len, stdout) != reply.len ||
        fflush(stdout) != 0)
        die("write failed");
}

/* ---- setup ---- */

typedef struct options {
    uint64_t id, seed, election, heartbeat, max_size, max_inflight;
    uint64_t voters[MAX_IDS], learners[MAX_IDS];
    size_t n_voters, n_learners;
    bool prevote, checkquorum, lease_read, step_down;
} options;

static size_t parse_ids(const char *s, uint64_t *ids)
{
    size_t n = 0;
    while (*s && n < MAX_IDS) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (end == s || errno != 0 || v == 0)
            die("bad id list");
        ids[n++] = v;
        s = *end == ',' ? end + 1 : end;
        if (*end != ',' && *end != '\0')
            die("bad id list");
    }
    return n;
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0)
        die("bad number");
    return v;
}

static void parse_args(options *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    o->election = 10;
    o->heartbeat = 1;
    o->seed = 1;
    o->max_size = RAFTC_NO_LIMIT;
    o->max_inflight = 256;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--prevote") == 0) {
            o->prevote = true;
            continue;
        }
        if (strcmp(a, "--checkquorum") == 0) {
            o->checkquorum = true;
            continue;
        }
        if (strcmp(a, "--lease-read") == 0) {
            o->lease_read = true;
            continue;
        }
        if (strcmp(a, "--step-down-on-removal") == 0) {
            o->step_down = true;
            continue;
        }
        if (v == NULL)
            die("missing option value");
        i++;
        if (strcmp(a, "--id") == 0)
            o->id = parse_u64(v);
        else if (strcmp(a, "--voters") == 0)
            o->n_voters = parse_ids(v, o->voters);
        else if (strcmp(a, "--learners") == 0)
            o->n_learners = parse_ids(v, o->learners);
        else if (strcmp(a, "--election") == 0)
            o->election = parse_u64(v);
        else if (strcmp(a, "--heartbeat") == 0)
            o->heartbeat = parse_u64(v);
        else if (strcmp(a, "--seed") == 0)
            o->seed = parse_u64(v);
        else if (strcmp(a, "--max-size") == 0)
            o->max_size = parse_u64(v);
        else if (strcmp(a, "--max-inflight") == 0)
            o->max_inflight = parse_u64(v);
        else
            die("unknown option");
    }
    if (o->id == 0)
        die("--id is required");
}

/* Gives the storage the common starting point: a snapshot at index 1, term 1. */
static void initial_snapshot(const options *o)
{
    raftc_sink *cs = NULL, *snap = NULL;
    const uint8_t *csp, *sp;
    size_t cslen, slen;
    if (raftc_sink_new(&cs) != RAFTC_OK || raftc_sink_new(&snap) != RAFTC_OK ||
        raftc_conf_state_encode(cs, o->voters, o->n_voters, o->learners, o->n_learners, NULL, 0,
                                NULL, 0, 0) != RAFTC_OK ||
        raftc_sink_get(&csp, &cslen, cs, 0) != RAFTC_OK ||
        raftc_snapshot_encode(snap, 1, 1, csp, cslen, NULL, 0) != RAFTC_OK ||
        raftc_sink_get(&sp, &slen, snap, 0) != RAFTC_OK ||
        raftc_memstorage_apply_snapshot(storage, sp, slen) != RAFTC_OK)
        die("initial snapshot failed");
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    applied = 1;
}

static void start(const options *o)
{
    if (raftc_memstorage_new(&storage) != RAFTC_OK)
        die("raftc_memstorage_new failed");
    if (o->n_voters > 0)
        initial_snapshot(o);
    raftc_config *cfg = NULL;
    if (raftc_config_new(&cfg) != RAFTC_OK)
        die("raftc_config_new failed");
    int rc = raftc_config_set_u64(cfg, RAFTC_OPT_ID, o->id);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, o->election);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, o->heartbeat);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_APPLIED, applied);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, o->max_size);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, o->max_inflight);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED, o->seed);
    rc |= raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, o->prevote);
    rc |= raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, o->checkquorum);
    rc |= raftc_config_set_bool(cfg, RAFTC_OPT_STEP_DOWN_ON_REMOVAL, o->step_down);
    rc |= raftc_config_set_u64(cfg, RAFTC_OPT_READ_ONLY_OPTION,
                               o->lease_read ? RAFTC_READ_ONLY_LEASE_BASED
                                             : RAFTC_READ_ONLY_SAFE);
    rc |= raftc_config_set_logger(cfg, log_line, NULL);
    rc |= raftc_config_set_memstorage(cfg, storage);
    if (rc != RAFTC_OK)
        die("config option refused");
    const char *err = NULL;
    rc = raftc_node_new(&node, &err, cfg);
    raftc_config_free(cfg);
    if (rc != RAFTC_OK) {
        fprintf(stderr, "raftc-interop-peer: raftc_node_new: %s\n", err ? err : "?");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    options o;
    parse_args(&o, argc, argv);
    start(&o);
    buf req = {0};
    bool quit = false;
    while (!quit) {
        uint8_t hdr[4];
        if (!read_full(hdr, 4))
            break; /* the driver closed the pipe */
        uint32_t n = get_u32(hdr);
        if (n == 0)
            die("empty request");
        buf_reserve(&req, n);
        if (!read_full(req.p, n))
            die("short request");
        reply.len = 0;
        int rc = run_command(req.p[0], req.p + 1, n - 1, &quit);
        /* A refused command may still have changed state (e.g. a dropped proposal): drain. */
        if (!raftc_node_is_failed(node)) {
            int drc = drain();
            if (drc != RAFTC_OK)
                rc = drc;
        }
        /* The result record goes first, but log lines may have been recorded before it was
         * known: put it in a fresh buffer and append the body behind it. */
        buf body = reply;
        reply = (buf){0};
        record_result(rc);
        buf_reserve(&reply, body.len);
        if (body.len)
            memcpy(reply.p + reply.len, body.p, body.len);
        reply.len += body.len;
        free(body.p);
        record_status();
        write_reply();
    }
    raftc_node_free(node);
    raftc_memstorage_free(storage);
    free(req.p);
    free(reply.p);
    return 0;
}
