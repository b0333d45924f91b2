/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * main.c: raftc-bench, the raftc side of bench/run. Usage: raftc-bench [--quick]
 * [-w a|b|c|d|m|q|a1|b16|b64|all] [--run N]. Prints one JSON object per result line (same shape as
 * bench/go). Workload q (the quorum functions at up to 100,000 voters) runs only when asked;
 * so do a1 (single_b1 alone, 10x longer: the loop to profile, docs/performance.md), b16
 * (cluster3_16 alone) and b64 (cluster3_65536 alone).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

int main(int argc, char **argv)
{
    const char *w = "all";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0 || strcmp(argv[i], "-quick") == 0) {
            bench_quick = 1;
        } else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
            w = argv[++i];
        } else if ((strcmp(argv[i], "--run") == 0 || strcmp(argv[i], "-run") == 0) &&
                   i + 1 < argc) {
            bench_run_id = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [-w a|b|c|d|m|q|a1|b16|b64|all] [--run N]\n", argv[0]);
            return 2;
        }
    }
    int all = strcmp(w, "all") == 0;
    int rc = bench_alloc_install(all || strcmp(w, "d") == 0 || strcmp(w, "m") == 0);
    if (rc != 0) {
        fprintf(stderr, "raftc_set_allocator: %s\n", raftc_strerror(rc));
        return 1;
    }
    if (all || strcmp(w, "a") == 0) {
        bench_single(1, 0, bench_pick(50000, 500000));
        bench_single(64, 0, bench_pick(200000, 2000000));
        bench_single(64, 1, bench_pick(200000, 2000000));
    }
    if (all || strcmp(w, "b") == 0) {
        bench_cluster(16, bench_pick(20000, 300000));
        bench_cluster(128, bench_pick(20000, 300000));
        bench_cluster(1024, bench_pick(20000, 200000));
        bench_cluster(65536, bench_pick(1000, 20000));
        bench_memcpy(); /* the copy limit, measured beside the 64 KiB figure */
    }
    if (all || strcmp(w, "c") == 0)
        bench_codec();
    if (all || strcmp(w, "d") == 0)
        bench_memory();
    if (all || strcmp(w, "m") == 0)
        bench_multiraft();
    if (strcmp(w, "a1") == 0)
        bench_single(1, 0, bench_pick(500000, 5000000));
    if (strcmp(w, "b16") == 0) /* cluster3_16 alone: the per-message cost to profile */
        bench_cluster(16, bench_pick(20000, 300000));
    if (strcmp(w, "b64") == 0) /* cluster3_65536 alone, 5x longer: the loop to profile */
        bench_cluster(65536, bench_pick(5000, 100000));
    if (strcmp(w, "q") == 0) /* raftc only (etcd's quorum package is not benchmarked here) */
        bench_quorum();
    return 0;
}
