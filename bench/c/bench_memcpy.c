/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_memcpy.c: the machine's memcpy bandwidth for 64 KiB blocks, cache-hot (the same source
 * and destination each time) and from main memory (a ring of blocks far larger than the last
 * level cache), printed as {"lib":"machine","bench":"memcpy_64k",...}. bench/report.py turns
 * the main-memory figure into copies' worth per 64 KiB committed entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define BLOCK 65536

/* GB/s of copying `reps` blocks, block i from src + off(i) to dst + off(i), off cycling over
 * span bytes. */
static double copy_rate(uint8_t *dst, const uint8_t *src, size_t span, size_t reps)
{
    size_t off = 0;
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < reps; i++) {
        memcpy(dst + off, src + off, BLOCK);
        off += BLOCK;
        if (off + BLOCK > span)
            off = 0;
    }
    uint64_t t1 = bench_now_ns();
    __asm__ volatile("" : : "r"(dst) : "memory"); /* keep the copies */
    return (double)reps * BLOCK / (double)(t1 - t0);
}

void bench_memcpy(void)
{
    size_t span = bench_pick((size_t)128 << 20, (size_t)512 << 20); /* per buffer */
    uint8_t *src = malloc(span), *dst = malloc(span);
    if (src == NULL || dst == NULL) {
        fprintf(stderr, "memcpy_64k: no memory for 2 x %zu bytes\n", span);
        free(src);
        free(dst);
        return;
    }
    memset(src, 1, span); /* fault every page in before timing */
    memset(dst, 2, span);
    size_t hot_reps = bench_pick(20000, 200000);
    copy_rate(dst, src, BLOCK, hot_reps / 10);
    double hot = copy_rate(dst, src, BLOCK, hot_reps);
    double mem = copy_rate(dst, src, span, 2 * span / BLOCK);
    printf("{\"lib\":\"machine\",\"bench\":\"memcpy_64k\",\"run\":%d,\"block\":%d,"
           "\"hot_gb_per_s\":%.2f,\"mem_gb_per_s\":%.2f,\"span_bytes\":%zu}\n",
           bench_run_id, BLOCK, hot, mem, span);
    fflush(stdout);
    free(src);
    free(dst);
}
