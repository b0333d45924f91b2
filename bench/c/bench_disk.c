/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_disk.c: raftc-bench-disk, the disk storage's benchmark (docs/performance.md,
 * "Disk storage"), through raftc.h only:
 *   - fsync'd entries/s: appends of B entries (128-byte payloads), each append fsynced
 *     (RAFTC_SYNC_EACH), for B = 1 and 64;
 *   - bytes written per entry (bytes passed to write(2) / entries: /proc/self/io wchar, else
 *     RAFTC_DS_BYTES_WRITTEN);
 *   - durable entries/s through the async writer thread, one-entry MsgStorageAppends with up to
 *     64 in flight (what batch 1 becomes when the writer shares fsyncs);
 *   - recovery time: opening (replaying) a log of N entries (default 1,000,000).
 * Usage: raftc-bench-disk [--dir D] [--seconds S] [--recover N]
 * The directory (default: a fresh one under /tmp) must be on the disk to measure: the figures
 * are the file system's. Prints one line per figure.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "raftc.h"

#define PAYLOAD 128

/* Bytes this process passed to write-like system calls (/proc/self/io wchar), the figure the
 * peers of bench/disk/run report too; 0 if unavailable. */
static uint64_t wchar(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    unsigned long long v = 0;
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "wchar: %llu", &v) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return v;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static raftc_diskstorage *open_ds(const char *path, int policy)
{
    raftc_diskstorage_options o = {.struct_size = sizeof(o), .sync_policy = policy};
    raftc_diskstorage *ds = NULL;
    char err[512];
    if (raftc_diskstorage_open(&ds, err, sizeof(err), path, &o) != RAFTC_OK) {
        fprintf(stderr, "raftc-bench-disk: open %s: %s\n", path, err);
        exit(1);
    }
    return ds;
}

/* Appends batches of n entries from index *next until `seconds` passed (or `max` entries). */
static uint64_t append_for(raftc_diskstorage *ds, raftc_sink *enc, size_t n, uint64_t *next,
                           double seconds, uint64_t max)
{
    uint8_t payload[PAYLOAD];
    memset(payload, 'x', sizeof(payload));
    const uint8_t *ptrs[1024];
    size_t lens[1024];
    uint64_t done = 0;
    double t0 = now();
    while (done < max && (seconds <= 0 || now() - t0 < seconds)) {
        raftc_sink_reset(enc);
        for (size_t k = 0; k < n; k++)
            raftc_entry_encode(enc, 1, *next + k, RAFTC_ENTRY_NORMAL, payload, sizeof(payload));
        for (size_t k = 0; k < n; k++)
            raftc_sink_get(&ptrs[k], &lens[k], enc, k);
        if (raftc_diskstorage_append(ds, ptrs, lens, n) != RAFTC_OK) {
            fprintf(stderr, "raftc-bench-disk: append: %s\n", raftc_diskstorage_last_error(ds));
            exit(1);
        }
        *next += n;
        done += n;
    }
    return done;
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    double seconds = 3;
    uint64_t recover_n = 1000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--recover") == 0 && i + 1 < argc)
            recover_n = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--dir D] [--seconds S] [--recover N]\n", argv[0]);
            return 2;
        }
    }
    char tmpl[] = "/tmp/raftc-bench-disk-XXXXXX";
    if (dir == NULL && (dir = mkdtemp(tmpl)) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    printf("raftc-bench-disk: directory %s, %d-byte payloads\n", dir, PAYLOAD);
    raftc_sink *enc = NULL;
    raftc_sink_new(&enc);
    char path[4200];
    static const size_t batches[] = {1, 64};
    for (size_t b = 0; b < 2; b++) {
        snprintf(path, sizeof(path), "%s/fsync-%zu", dir, batches[b]);
        raftc_diskstorage *ds = open_ds(path, RAFTC_SYNC_EACH);
        uint64_t next = 1, w0 = 0, w1 = 0, c0 = wchar();
        raftc_diskstorage_stat(&w0, ds, RAFTC_DS_BYTES_WRITTEN);
        double t0 = now();
        uint64_t n = append_for(ds, enc, batches[b], &next, seconds, UINT64_MAX);
        double el = now() - t0;
        raftc_diskstorage_stat(&w1, ds, RAFTC_DS_BYTES_WRITTEN);
        uint64_t c1 = wchar();
        /* write(2) bytes when /proc says, else the storage's own count (the same here) */
        double per = (double)(c1 > c0 ? c1 - c0 : w1 - w0) / (double)n;
        printf("fsync'd appends, batch %2zu: %10.0f entries/s (%8.0f fsyncs/s), %.1f bytes "
               "written per entry\n", batches[b], (double)n / el, (double)n / batches[b] / el,
               per);
        raftc_diskstorage_free(ds);
    }
    /* the async writer thread: one-entry MsgStorageAppends (a node's Readys at batch 1), up to
     * 64 in flight; the thread shares each fsync among what queued up meanwhile */
    {
        snprintf(path, sizeof(path), "%s/async", dir);
        raftc_diskstorage_options o = {.struct_size = sizeof(o), .async_writes = 1};
        raftc_diskstorage *ads = NULL;
        char err[512];
        if (raftc_diskstorage_open(&ads, err, sizeof(err), path, &o) != RAFTC_OK) {
            fprintf(stderr, "raftc-bench-disk: open %s: %s\n", path, err);
            return 1;
        }
        raftc_sink *resp = NULL;
        raftc_sink_new(&resp);
        uint8_t payload[PAYLOAD];
        memset(payload, 'x', sizeof(payload));
        uint64_t info[RAFTC_MF_COUNT] = {0}, submitted = 0, done = 0, d = 0;
        info[RAFTC_MF_TYPE] = RAFTC_MSG_STORAGE_APPEND;
        info[RAFTC_MF_TO] = RAFTC_LOCAL_APPEND_THREAD;
        info[RAFTC_MF_FROM] = 1;
        double t0 = now();
        while (now() - t0 < seconds) {
            const uint8_t *e, *m;
            size_t el, ml;
            raftc_sink_reset(enc);
            raftc_entry_encode(enc, 1, submitted + 1, RAFTC_ENTRY_NORMAL, payload,
                               sizeof(payload));
            raftc_sink_get(&e, &el, enc, 0);
            raftc_message_encode(enc, info, RAFTC_MF_COUNT, &e, &el, 1, NULL, 0, NULL, 0);
            raftc_sink_get(&m, &ml, enc, 1);
            if (raftc_diskstorage_submit(ads, m, ml) != RAFTC_OK) {
                fprintf(stderr, "raftc-bench-disk: submit: %s\n",
                        raftc_diskstorage_last_error(ads));
                return 1;
            }
            submitted++;
            raftc_sink_reset(resp);
            if (raftc_diskstorage_take_responses(resp, &d, ads, submitted - done >= 64 ? -1 : 0) !=
                RAFTC_OK)
                return 1;
            done += d;
        }
        while (done < submitted) {
            raftc_sink_reset(resp);
            if (raftc_diskstorage_take_responses(resp, &d, ads, -1) != RAFTC_OK)
                return 1;
            done += d;
        }
        double el = now() - t0;
        printf("async writer, 1-entry appends, 64 in flight: %10.0f entries/s durable\n",
               (double)done / el);
        raftc_sink_free(resp);
        raftc_diskstorage_free(ads);
    }
    snprintf(path, sizeof(path), "%s/recover", dir);
    raftc_diskstorage *ds = open_ds(path, RAFTC_SYNC_NONE);
    uint64_t next = 1;
    append_for(ds, enc, 1000, &next, 0, recover_n);
    raftc_diskstorage_sync(ds);
    raftc_diskstorage_free(ds);
    double t0 = now();
    ds = open_ds(path, RAFTC_SYNC_EACH);
    double el = now() - t0;
    raftc_memstorage *ms = NULL;
    uint64_t last = 0;
    raftc_diskstorage_memstorage(&ms, ds);
    raftc_memstorage_last_index(&last, ms);
    printf("recovery: %" PRIu64 " entries (%d-byte payloads) replayed in %.3f s (%.2f M "
           "entries/s)\n", last, PAYLOAD, el, (double)last / el / 1e6);
    raftc_diskstorage_free(ds);
    raftc_sink_free(enc);
    return last == recover_n ? 0 : 1;
}
