/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_util.c: the simulator's PRNG and random picks, allocation helpers, failure exit and event
 * trace ring.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

sim S;

/* splitmix64: one 64-bit state, deterministic across platforms. */
uint64_t sim_rand(void)
{
    uint64_t z = (S.rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sim_below(uint64_t n)
{
    return n == 0 ? 0 : sim_rand() % n;
}

bool sim_chance(int pm)
{
    return pm > 0 && (int)sim_below(1000) < pm;
}

void *sim_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "raftc-sim: out of memory\n");
        exit(2);
    }
    return p;
}

void *sim_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fprintf(stderr, "raftc-sim: out of memory\n");
        exit(2);
    }
    return q;
}

void sim_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    *p = sim_xrealloc(*p, ncap * elem);
    memset((char *)*p + *cap * elem, 0, (ncap - *cap) * elem);
    *cap = ncap;
}

uint64_t sim_pick(const uint64_t *v, size_t n, uint64_t avoid)
{
    uint64_t c[SIM_MAX_IDS];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] != avoid)
            c[k++] = v[i];
    return k ? c[sim_below(k)] : 0;
}

uint64_t sim_hash(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    if (h == 0)
        h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void trace_put(char *line)
{
    if (S.trace == NULL) {
        S.trace_cap = S.opts.trace_len ? S.opts.trace_len : SIM_TRACE_LEN;
        S.trace = calloc(S.trace_cap, sizeof(char *));
        if (S.trace == NULL) {
            free(line);
            return;
        }
    }
    free(S.trace[S.trace_pos]);
    S.trace[S.trace_pos] = line;
    S.trace_pos = (S.trace_pos + 1) % S.trace_cap;
    S.trace_count++;
}

void sim_trace(const char *fmt, ...)
{
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t n = strlen(body) + 48;
    char *line = sim_xmalloc(n);
    snprintf(line, n, "[step %llu t=%llu] %s", (unsigned long long)S.step,
             (unsigned long long)S.now, body);
    trace_put(line);
}

void sim_trace_owned(const char *prefix, char *text)
{
    size_t n = strlen(prefix) + (text ? strlen(text) : 0) + 48;
    char *line = sim_xmalloc(n);
    snprintf(line, n, "[step %llu t=%llu] %s%s", (unsigned long long)S.step,
             (unsigned long long)S.now, prefix, text ? text : "<describe failed>");
    raftc_free(text);
    trace_put(line);
}

void sim_trace_dump(void)
{
    if (S.trace == NULL)
        return;
    uint64_t n = S.trace_count < S.trace_cap ? S.trace_count : S.trace_cap;
    fprintf(stderr, "---- failure trace: last %llu of %llu events ----\n",
            (unsigned long long)n, (unsigned long long)S.trace_count);
    size_t start = (S.trace_pos + S.trace_cap - (size_t)n) % S.trace_cap;
    for (size_t i = 0; i < n; i++) {
        const char *line = S.trace[(start + i) % S.trace_cap];
        if (line != NULL)
            fprintf(stderr, "%s\n", line);
    }
    fprintf(stderr, "---- end of trace ----\n");
}

void sim_trace_clear(void)
{
    for (size_t i = 0; S.trace != NULL && i < S.trace_cap; i++)
        free(S.trace[i]);
    free(S.trace);
    S.trace = NULL;
    S.trace_pos = 0;
    S.trace_count = 0;
}

_Noreturn void sim_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(S.fail_msg, sizeof S.fail_msg, fmt, ap);
    va_end(ap);
    sim_trace("CHECK FAILED: %s", S.fail_msg);
    longjmp(S.fail_jmp, 1);
}

void sim_ck(int rc, const char *what, const sim_slot *s)
{
    if (rc == RAFTC_OK)
        return;
    sim_fail("%s on node %llu: %s (%s)", what, s ? (unsigned long long)s->id : 0ULL,
             raftc_strerror(rc), s && s->node ? raftc_node_last_error(s->node) : "");
}
