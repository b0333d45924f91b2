/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * crash_kill.c: the SIGKILL harness. A writer process runs a workload (workload.h) on a disk
 * storage through raftc.h, announcing each operation on a pipe before it starts and
 * acknowledging it once the storage call returned (with RAFTC_SYNC_GROUP: once a sync
 * returned). The parent kills it with SIGKILL after a random delay, reopens the directory and
 * checks it against the model: every acknowledged operation, plus a prefix of those announced
 * but not acknowledged. A third of the writers use the async writer thread (async_writes):
 * appends and HardStates go to it as MsgStorageAppend messages and are acknowledged as it
 * reports them persisted, while more are submitted; snapshots wait for it to catch up. Cuts accumulate on one directory; the writer continues from what the
 * last one left (the kill can land anywhere, recovery included).
 *
 *   crash_kill [--cuts N] [--seed S] [--seconds T] [--dir D]
 * Prints the seed and one summary line; exit 1 on the first violation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "raftc.h"
#include "workload.h"

#define SEGMENT 16384

enum { MSG_BEGIN = 1, MSG_ACK = 2, MSG_ACK_N = 3 }; /* ACK: all begun; ACK_N: the first op.a */
enum { MODE_EACH = 0, MODE_GROUP = 1, MODE_ASYNC = 2 };

typedef struct msg {
    uint32_t type;
    uint32_t pad;
    wl_op op;
} msg;

static raftc_diskstorage *open_storage(const char *dir, int policy, int async, char *err)
{
    raftc_diskstorage_options o = {sizeof(o), SEGMENT, policy, async};
    raftc_diskstorage *ds = NULL;
    raftc_diskstorage_open(&ds, err, 512, dir, &o);
    return ds;
}

static uint64_t u64_of(int rc, uint64_t v)
{
    return rc == RAFTC_OK ? v : UINT64_MAX;
}

/* Reads the storage's state through raftc.h (verifying every payload). */
static bool read_state(raftc_diskstorage *ds, wl_state *st, char *why)
{
    raftc_memstorage *ms = NULL;
    raftc_sink *snap = NULL, *hs = NULL, *ents = NULL;
    bool ok = raftc_diskstorage_memstorage(&ms, ds) == RAFTC_OK && raftc_sink_new(&snap) == 0 &&
              raftc_sink_new(&hs) == 0 && raftc_sink_new(&ents) == 0;
    wl_free(st);
    uint64_t first = 0, last = 0;
    const uint8_t *p;
    size_t n;
    ok = ok && raftc_memstorage_snapshot(snap, ms) == 0 && raftc_sink_get(&p, &n, snap, 0) == 0 &&
         raftc_snapshot_decode(&st->snap, &st->snap_term, NULL, NULL, p, n) == 0;
    uint64_t hsv[3] = {0};
    ok = ok && raftc_memstorage_initial_state(hs, NULL, ms) == 0 &&
         raftc_sink_get(&p, &n, hs, 0) == 0 &&
         raftc_hard_state_decode(&hsv[0], &hsv[1], &hsv[2], p, n) == 0;
    st->hs_term = hsv[0];
    st->hs_vote = hsv[1];
    st->hs_commit = hsv[2];
    ok = ok && raftc_memstorage_first_index(&first, ms) == 0 &&
         raftc_memstorage_last_index(&last, ms) == 0;
    st->last = u64_of(ok ? 0 : -1, last);
    if (!ok) {
        snprintf(why, 200, "cannot read the storage");
    } else if (first != st->snap + 1) {
        snprintf(why, 200, "first index %" PRIu64 " after snapshot %" PRIu64, first, st->snap);
        ok = false;
    } else {
        wl_reserve(st, last);
        if (last >= first && raftc_memstorage_entries(ents, ms, first, last + 1,
                                                      RAFTC_NO_LIMIT) != 0) {
            snprintf(why, 200, "cannot read entries %" PRIu64 "..%" PRIu64, first, last);
            ok = false;
        }
        for (size_t k = 0; ok && last >= first && k <= last - first; k++) {
            uint64_t term, index;
            raftc_entry_type type;
            const uint8_t *data;
            size_t dl;
            uint8_t want[WL_PAYLOAD_MAX];
            if (raftc_sink_get(&p, &n, ents, k) != 0 ||
                raftc_entry_decode(&term, &index, &type, &data, &dl, p, n) != 0 ||
                index != first + k || dl != wl_payload(want, index, term) ||
                memcmp(data, want, dl) != 0) {
                snprintf(why, 200, "entry %" PRIu64 " is wrong", first + k);
                ok = false;
            } else {
                st->terms[index] = term;
            }
        }
    }
    raftc_sink_free(snap);
    raftc_sink_free(hs);
    raftc_sink_free(ents);
    return ok;
}

static void send_msg(int fd, uint32_t type, const wl_op *op)
{
    msg m = {type, 0, *op};
    if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
        _exit(3);
}

static int apply_op(raftc_diskstorage *ds, raftc_sink *enc, const wl_op *op)
{
    raftc_sink_reset(enc);
    switch (op->kind) {
    case WL_APPEND: {
        const uint8_t *ptrs[32];
        size_t lens[32], n = (size_t)(op->b - op->a + 1);
        for (size_t k = 0; k < n; k++) {
            uint8_t payload[WL_PAYLOAD_MAX];
            size_t pl = wl_payload(payload, op->a + k, op->c);
            if (raftc_entry_encode(enc, op->c, op->a + k, RAFTC_ENTRY_NORMAL, payload, pl) != 0)
                return RAFTC_ENOMEM;
        }
        for (size_t k = 0; k < n; k++)
            raftc_sink_get(&ptrs[k], &lens[k], enc, k);
        return raftc_diskstorage_append(ds, ptrs, lens, n);
    }
    case WL_HARDSTATE: {
        const uint8_t *p;
        size_t len;
        int rc = raftc_hard_state_encode(enc, op->a, op->b, op->c);
        if (rc == 0)
            rc = raftc_sink_get(&p, &len, enc, 0);
        return rc != 0 ? rc : raftc_diskstorage_set_hard_state(ds, p, len);
    }
    default:
        return raftc_diskstorage_create_snapshot(NULL, ds, op->a, NULL, 0,
                                                 (const uint8_t *)"snap", 4);
    }
}

/* An append or HardState operation as the MsgStorageAppend a node would send to its append
 * thread (no responses: the writer reports each message done). */
static int submit_op(raftc_diskstorage *ds, raftc_sink *enc, const wl_op *op)
{
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_STORAGE_APPEND;
    info[RAFTC_MF_TO] = RAFTC_LOCAL_APPEND_THREAD;
    info[RAFTC_MF_FROM] = 1;
    const uint8_t *ptrs[32], *p;
    size_t lens[32], n = 0, len;
    raftc_sink_reset(enc);
    if (op->kind == WL_APPEND) {
        n = (size_t)(op->b - op->a + 1);
        for (size_t k = 0; k < n; k++) {
            uint8_t payload[WL_PAYLOAD_MAX];
            size_t pl = wl_payload(payload, op->a + k, op->c);
            if (raftc_entry_encode(enc, op->c, op->a + k, RAFTC_ENTRY_NORMAL, payload, pl) != 0)
                return RAFTC_ENOMEM;
        }
        for (size_t k = 0; k < n; k++)
            raftc_sink_get(&ptrs[k], &lens[k], enc, k);
    } else {
        info[RAFTC_MF_TERM] = op->a;
        info[RAFTC_MF_VOTE] = op->b;
        info[RAFTC_MF_COMMIT] = op->c;
    }
    int rc = raftc_message_encode(enc, info, RAFTC_MF_COUNT, ptrs, lens, n, NULL, 0, NULL, 0);
    if (rc == 0)
        rc = raftc_sink_get(&p, &len, enc, n);
    return rc != 0 ? rc : raftc_diskstorage_submit(ds, p, len);
}

/* Takes what the async writer finished (waiting up to timeout_ms) and acknowledges it. */
static int take_acks(raftc_diskstorage *ds, raftc_sink *resp, int timeout_ms, uint64_t *done,
                     int fd)
{
    uint64_t d = 0;
    raftc_sink_reset(resp);
    int rc = raftc_diskstorage_take_responses(resp, &d, ds, timeout_ms);
    if (rc == 0 && d > 0) {
        *done += d;
        wl_op count = {0, 0, *done, 0, 0};
        send_msg(fd, MSG_ACK_N, &count);
    }
    return rc;
}

/* The async writer's loop: submits operations, acknowledges them as the writer reports them
 * persisted; a snapshot waits for everything before it (etcd snapshots applied entries). */
static void writer_async(raftc_diskstorage *ds, wl_state *st, uint64_t *rng, int fd)
{
    raftc_sink *enc = NULL, *resp = NULL;
    if (raftc_sink_new(&enc) != 0 || raftc_sink_new(&resp) != 0)
        _exit(4);
    uint64_t submitted = 0, done = 0;
    for (;;) {
        wl_op op = wl_next(st, rng);
        int rc = 0;
        if (op.kind == WL_SNAPSHOT) {
            while (rc == 0 && done < submitted)
                rc = take_acks(ds, resp, -1, &done, fd);
            send_msg(fd, MSG_BEGIN, &op);
            if (rc == 0)
                rc = raftc_diskstorage_create_snapshot(NULL, ds, op.a, NULL, 0,
                                                       (const uint8_t *)"snap", 4);
            if (rc == 0) {
                done = ++submitted;
                wl_op count = {0, 0, done, 0, 0};
                send_msg(fd, MSG_ACK_N, &count);
            }
        } else {
            send_msg(fd, MSG_BEGIN, &op);
            rc = submit_op(ds, enc, &op);
            submitted += rc == 0;
            /* keep up to 16 in flight */
            if (rc == 0)
                rc = take_acks(ds, resp, submitted - done > 16 ? -1 : 0, &done, fd);
        }
        if (rc != 0) {
            fprintf(stderr, "crash_kill writer: %s (%s)\n", raftc_strerror(rc),
                    raftc_diskstorage_last_error(ds));
            _exit(4);
        }
        wl_apply(st, &op);
    }
}

/* The writer: runs until killed (or until a storage call fails: exit 4). */
static void writer(const char *dir, uint64_t seed, int fd)
{
    char err[512], why[200];
    uint64_t rng = seed;
    int mode = (int)(wl_rand(&rng) % 3);
    int policy = mode == MODE_GROUP ? RAFTC_SYNC_GROUP : RAFTC_SYNC_EACH;
    raftc_diskstorage *ds = open_storage(dir, policy, mode == MODE_ASYNC, err);
    if (ds == NULL) {
        fprintf(stderr, "crash_kill writer: open: %s\n", err);
        _exit(4);
    }
    wl_state st = {0};
    raftc_sink *enc = NULL;
    if (!read_state(ds, &st, why) || raftc_sink_new(&enc) != 0)
        _exit(4);
    if (mode == MODE_ASYNC)
        writer_async(ds, &st, &rng, fd);
    for (uint64_t k = 0;; k++) {
        wl_op op = wl_next(&st, &rng);
        send_msg(fd, MSG_BEGIN, &op);
        int rc = apply_op(ds, enc, &op);
        if (rc == 0 && policy == RAFTC_SYNC_GROUP && (k % 4 == 3 || op.kind == WL_SNAPSHOT))
            rc = raftc_diskstorage_sync(ds);
        if (rc != 0) {
            fprintf(stderr, "crash_kill writer: %s (%s)\n", raftc_strerror(rc),
                    raftc_diskstorage_last_error(ds));
            _exit(4);
        }
        wl_apply(&st, &op);
        if (policy == RAFTC_SYNC_EACH || k % 4 == 3 || op.kind == WL_SNAPSHOT)
            send_msg(fd, MSG_ACK, &op);
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, cuts = 200;
    double seconds = 0;
    const char *dir_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cuts") == 0 && i + 1 < argc)
            cuts = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir_arg = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--cuts N] [--seed S] [--seconds T] [--dir D]\n",
                    argv[0]);
            return 2;
        }
    }
    char tmpl[] = "/tmp/raftc-crash-XXXXXX";
    const char *dir = dir_arg != NULL ? dir_arg : mkdtemp(tmpl);
    if (dir == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[4200];
    snprintf(path, sizeof(path), "%s/db", dir);
    printf("crash_kill: seed %" PRIu64 ", directory %s\n", seed, path);
    fflush(stdout);
    uint64_t rng = seed, cut, total_ops = 0, total_acked = 0, torn = 0, async_cuts = 0;
    wl_state base = {0}, got = {0};
    msg *msgs = NULL;
    wl_op *ops = NULL;
    size_t cap = 0;
    char why[200] = "", err[512];
    double t0 = now();
    int status = 0;
    for (cut = 0; seconds > 0 ? now() - t0 < seconds : cut < cuts; cut++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("pipe");
            return 1;
        }
        uint64_t wseed = wl_rand(&rng), mrng = wseed;
        async_cuts += wl_rand(&mrng) % 3 == MODE_ASYNC; /* the writer's first draw */
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            close(fds[0]);
            writer(path, wseed, fds[1]);
        }
        close(fds[1]);
        struct timespec d = {0, (long)(wl_rand(&rng) % 25000) * 1000};
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) {
            fprintf(stderr, "crash_kill: seed %" PRIu64 " cut %" PRIu64
                    ": the writer stopped by itself (status %d)\n", seed, cut, status);
            return 1;
        }
        /* the writer's announcements: operations begun, and acknowledged */
        size_t n = 0, attempted = 0, acked = 0;
        for (;;) {
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                msgs = realloc(msgs, cap * sizeof(msg));
                ops = realloc(ops, cap * sizeof(wl_op));
                if (msgs == NULL || ops == NULL)
                    return 1;
            }
            ssize_t r = read(fds[0], &msgs[n], sizeof(msg));
            if (r != (ssize_t)sizeof(msg))
                break;
            if (msgs[n].type == MSG_BEGIN)
                ops[attempted++] = msgs[n].op;
            else if (msgs[n].type == MSG_ACK_N)
                acked = (size_t)msgs[n].op.a;
            else
                acked = attempted;
            n++;
        }
        close(fds[0]);
        raftc_diskstorage *ds = open_storage(path, RAFTC_SYNC_EACH, 0, err);
        if (ds == NULL) {
            fprintf(stderr, "crash_kill: seed %" PRIu64 " cut %" PRIu64 ": reopen: %s\n", seed,
                    cut, err);
            return 1;
        }
        uint64_t tb = 0;
        raftc_diskstorage_stat(&tb, ds, RAFTC_DS_TORN_BYTES);
        torn += tb > 0;
        long k = read_state(ds, &got, why) ? wl_check(&base, ops, acked, attempted, &got, why)
                                           : -1;
        raftc_diskstorage_free(ds);
        if (k < 0) {
            fprintf(stderr, "crash_kill: seed %" PRIu64 " cut %" PRIu64 ": %s (acked %zu of %zu "
                    "operations)\n", seed, cut, why, acked, attempted);
            return 1;
        }
        for (long j = 0; j < k; j++)
            wl_apply(&base, &ops[j]);
        total_ops += attempted;
        total_acked += acked;
    }
    printf("crash_kill: %" PRIu64 " SIGKILLs (%" PRIu64 " of the async writer), %" PRIu64
           " operations (%" PRIu64 " acknowledged), %" PRIu64 " torn tails cut; log at index %"
           PRIu64 ": nothing acknowledged lost\n", cut, async_cuts, total_ops, total_acked, torn,
           base.last);
    if (dir_arg == NULL) {
        char cmd[4300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "crash_kill: could not remove %s\n", dir);
    }
    wl_free(&base);
    wl_free(&got);
    free(msgs);
    free(ops);
    return 0;
}
