/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * bench_quorum.c: workload (q), the stateless quorum functions raftc_quorum_committed and
 * raftc_quorum_vote_result at 1,000 to 100,000 voters (ids in descending order, every voter
 * acked/voted; a joint config with half of them outgoing). Prints the time per call and the
 * time divided by n log2 n, which stays flat for an O(n log n) implementation (a quadratic one
 * grows linearly with n: it took 6.3 s per call at 30,000 voters before issue 12).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

static void quorum_at(size_t n)
{
    uint64_t *ids = malloc(n * sizeof(uint64_t)), *idx = malloc(n * sizeof(uint64_t));
    int *granted = malloc(n * sizeof(int));
    if (ids == NULL || idx == NULL || granted == NULL) {
        bench_emit_error("quorum", "malloc", RAFTC_ENOMEM, "");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = (uint64_t)(n - i);
        idx[i] = (uint64_t)(i * 7 % n);
        granted[i] = (i % 3) != 0;
    }
    int reps = n >= 100000 ? 5 : n >= 10000 ? 20 : 200;
    uint64_t sink = 0;
    int rc = 0;
    uint64_t t0 = bench_now_ns();
    for (int r = 0; r < reps && rc == 0; r++) {
        uint64_t c = 0;
        rc = raftc_quorum_committed(&c, ids, n, ids, n / 2, ids, idx, n);
        sink += c;
    }
    uint64_t t1 = bench_now_ns();
    for (int r = 0; r < reps && rc == 0; r++) {
        raftc_vote_result v = RAFTC_VOTE_PENDING;
        rc = raftc_quorum_vote_result(&v, ids, n, ids, n / 2, ids, granted, n);
        sink += (uint64_t)v;
    }
    uint64_t t2 = bench_now_ns();
    if (rc != 0) {
        bench_emit_error("quorum", "raftc_quorum_*", rc, "");
        goto out;
    }
    double nlogn = (double)n * log2((double)n);
    double committed_ns = (double)(t1 - t0) / reps, vote_ns = (double)(t2 - t1) / reps;
    char fields[256];
    snprintf(fields, sizeof(fields),
             "\"voters\":%zu,\"committed_ms\":%.3f,\"vote_result_ms\":%.3f,"
             "\"committed_ns_per_nlogn\":%.2f,\"vote_result_ns_per_nlogn\":%.2f,\"check\":%llu",
             n, committed_ns / 1e6, vote_ns / 1e6, committed_ns / nlogn, vote_ns / nlogn,
             (unsigned long long)(sink % 1000));
    bench_emit("quorum", fields);
out:
    free(ids);
    free(idx);
    free(granted);
}

void bench_quorum(void)
{
    static const size_t sizes[] = {1000, 10000, 30000, 100000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        quorum_at(sizes[i]);
}
