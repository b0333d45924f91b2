/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * workload.h: what the crash harnesses (crash_kill.c, crash_power.c) write and how they check
 * what survived. A workload is a sequence of operations on a raft log as raft makes them:
 * appends at the end, conflicting rewrites above the commit index with a higher term, HardState
 * updates (commit never past the last index) and snapshots at or below the commit index. A
 * model applies the same operations. After a crash, the recovered storage must equal the model
 * after the acknowledged operations plus a prefix of those in flight: so every acknowledged
 * entry survives, nothing unacknowledged appears out of order, and HardState never points past
 * the log. Entry payloads are a function of (index, term), checked on every entry read back.
 * Header-only (static functions), no raftc headers: each harness adapts it to its API.
 */
#ifndef CRASH_WORKLOAD_H
#define CRASH_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WL_APPEND = 1, WL_HARDSTATE = 2, WL_SNAPSHOT = 3 };

/* APPEND: entries [a, b] with term c (truncating what follows a); HARDSTATE: term a, vote b,
 * commit c; SNAPSHOT: at index a (its term is the entry's). */
typedef struct wl_op {
    uint32_t kind;
    uint32_t pad;
    uint64_t a, b, c;
} wl_op;

typedef struct wl_state {
    uint64_t *terms; /* terms[i] for 1 <= i <= last (entries at or below snap are not compared) */
    size_t cap;
    uint64_t last, snap, snap_term;
    uint64_t hs_term, hs_vote, hs_commit;
} wl_state;

static inline uint64_t wl_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The payload of entry (index, term): "index:term" then index % 61 filler bytes. */
static inline size_t wl_payload(uint8_t *out, uint64_t index, uint64_t term)
{
    int n = snprintf((char *)out, 48, "%llu:%llu", (unsigned long long)index,
                     (unsigned long long)term);
    size_t fill = (size_t)(index % 61);
    memset(out + n, 'a' + (int)(term % 26), fill);
    return (size_t)n + fill;
}
#define WL_PAYLOAD_MAX 128

static inline void wl_free(wl_state *s)
{
    free(s->terms);
    memset(s, 0, sizeof(*s));
}

static inline void wl_copy(wl_state *dst, const wl_state *src)
{
    wl_free(dst);
    *dst = *src;
    if (src->terms == NULL)
        return;
    dst->terms = malloc((src->cap + 1) * sizeof(uint64_t));
    if (dst->terms == NULL)
        abort();
    memcpy(dst->terms, src->terms, (src->cap + 1) * sizeof(uint64_t));
}

static inline void wl_reserve(wl_state *s, uint64_t last)
{
    if (last < s->cap && s->terms != NULL)
        return;
    size_t cap = s->cap < 1024 ? 1024 : s->cap;
    while (cap <= last)
        cap *= 2;
    uint64_t *t = realloc(s->terms, (cap + 1) * sizeof(uint64_t));
    if (t == NULL)
        abort();
    memset(t + s->cap, 0, (cap + 1 - s->cap) * sizeof(uint64_t));
    s->terms = t;
    s->cap = cap;
}

static inline void wl_apply(wl_state *s, const wl_op *op)
{
    switch (op->kind) {
    case WL_APPEND:
        wl_reserve(s, op->b);
        for (uint64_t i = op->a; i <= op->b; i++)
            s->terms[i] = op->c;
        s->last = op->b;
        break;
    case WL_HARDSTATE:
        s->hs_term = op->a;
        s->hs_vote = op->b;
        s->hs_commit = op->c;
        break;
    case WL_SNAPSHOT:
        s->snap = op->a;
        s->snap_term = s->terms[op->a];
        break;
    }
}

/* The next operation for state s (a valid raft history continues from it). */
static inline wl_op wl_next(const wl_state *s, uint64_t *rng)
{
    uint64_t r = wl_rand(rng) % 100, n = 1 + wl_rand(rng) % 24;
    /* the current term: the HardState's, or the last entry's when a rewrite raised it */
    uint64_t term = s->hs_term > 0 ? s->hs_term : 1;
    if (s->last > 0 && s->terms[s->last] > term)
        term = s->terms[s->last];
    wl_op op = {0};
    if (r < 55 || s->last == 0) {
        op = (wl_op){WL_APPEND, 0, s->last + 1, s->last + n, term};
    } else if (r < 65 && s->last > s->hs_commit) {
        /* a new leader overwrites the uncommitted tail: a higher term, from above the commit */
        uint64_t from = s->hs_commit + 1 + wl_rand(rng) % (s->last - s->hs_commit);
        op = (wl_op){WL_APPEND, 0, from, from + n - 1, term + 1};
    } else if (r < 92) {
        /* HardState: maybe a new term (the next appends use it), commit somewhere up to last */
        uint64_t t = term;
        if (wl_rand(rng) % 8 == 0)
            t++;
        uint64_t commit = s->hs_commit + wl_rand(rng) % (s->last - s->hs_commit + 1);
        op = (wl_op){WL_HARDSTATE, 0, t, 1 + wl_rand(rng) % 3, commit};
    } else if (s->hs_commit > s->snap) {
        op = (wl_op){WL_SNAPSHOT, 0, s->snap + 1 + wl_rand(rng) % (s->hs_commit - s->snap), 0,
                     0};
    } else {
        op = (wl_op){WL_APPEND, 0, s->last + 1, s->last + n, term};
    }
    return op;
}

/* Whether got (read back: entries (snap, last], HardState, snapshot) equals model m. On a
 * mismatch, why (into why, 200 bytes). */
static inline bool wl_equal(const wl_state *m, const wl_state *got, char *why)
{
    if (got->last != m->last || got->snap != m->snap || got->snap_term != m->snap_term) {
        snprintf(why, 200, "last %llu snap %llu/%llu, model last %llu snap %llu/%llu",
                 (unsigned long long)got->last, (unsigned long long)got->snap,
                 (unsigned long long)got->snap_term, (unsigned long long)m->last,
                 (unsigned long long)m->snap, (unsigned long long)m->snap_term);
        return false;
    }
    if (got->hs_term != m->hs_term || got->hs_vote != m->hs_vote ||
        got->hs_commit != m->hs_commit) {
        snprintf(why, 200, "HardState %llu/%llu/%llu, model %llu/%llu/%llu",
                 (unsigned long long)got->hs_term, (unsigned long long)got->hs_vote,
                 (unsigned long long)got->hs_commit, (unsigned long long)m->hs_term,
                 (unsigned long long)m->hs_vote, (unsigned long long)m->hs_commit);
        return false;
    }
    for (uint64_t i = m->snap + 1; i <= m->last; i++)
        if (got->terms[i] != m->terms[i]) {
            snprintf(why, 200, "entry %llu has term %llu, model %llu", (unsigned long long)i,
                     (unsigned long long)got->terms[i], (unsigned long long)m->terms[i]);
            return false;
        }
    return true;
}

/* Checks got against the model after ops[0..acked) plus ops[acked..k) for every k up to
 * attempted (base is the state before ops[0]). Returns the k that matched, or -1 (why says
 * how the closest candidate differed). HardState past the log fails at once. */
static inline long wl_check(const wl_state *base, const wl_op *ops, size_t acked,
                            size_t attempted, const wl_state *got, char *why)
{
    if (got->hs_commit > got->last) {
        snprintf(why, 200, "HardState commit %llu is past the last index %llu",
                 (unsigned long long)got->hs_commit, (unsigned long long)got->last);
        return -1;
    }
    wl_state m = {0};
    wl_copy(&m, base);
    long found = -1;
    for (size_t k = 0; k <= attempted && found < 0; k++) {
        if (k >= acked && wl_equal(&m, got, why))
            found = (long)k;
        if (k < attempted)
            wl_apply(&m, &ops[k]);
    }
    wl_free(&m);
    return found;
}

#endif
