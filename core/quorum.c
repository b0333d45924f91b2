/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * quorum.c: majority and joint quorums (etcd's quorum package): committed index, vote result
 * and the text forms.
 */
#include "quorum.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

/* ---- the id set ---- */

/* Position of id in m, or where it would be inserted. */
static size_t rc_majority_pos(const rc_majority *m, uint64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rc_majority_add(rc_majority *m, uint64_t id)
{
    size_t pos = rc_majority_pos(m, id);
    if (pos < m->n && m->ids[pos] == id)
        return RC_OK;
    int rc = rc_grow_exact((void **)&m->ids, &m->cap, m->n + 1, sizeof(uint64_t));
    if (rc != RC_OK)
        return rc;
    memmove(&m->ids[pos + 1], &m->ids[pos], (m->n - pos) * sizeof(uint64_t));
    m->ids[pos] = id;
    m->n++;
    return RC_OK;
}

void rc_majority_remove(rc_majority *m, uint64_t id)
{
    size_t pos = rc_majority_pos(m, id);
    if (pos >= m->n || m->ids[pos] != id)
        return;
    memmove(&m->ids[pos], &m->ids[pos + 1], (m->n - pos - 1) * sizeof(uint64_t));
    m->n--;
}

bool rc_majority_contains(const rc_majority *m, uint64_t id)
{
    size_t pos = rc_majority_pos(m, id);
    return pos < m->n && m->ids[pos] == id;
}

int rc_majority_copy(rc_majority *dst, const rc_majority *src)
{
    memset(dst, 0, sizeof(*dst));
    if (src->n == 0)
        return RC_OK;
    dst->ids = rc_malloc(src->n * sizeof(uint64_t));
    if (dst->ids == NULL)
        return RC_ERR_NOMEM;
    memcpy(dst->ids, src->ids, src->n * sizeof(uint64_t));
    dst->n = dst->cap = src->n;
    return RC_OK;
}

static int rc_cmp_u64(const void *a, const void *b);

int rc_majority_from_ids(rc_majority *m, const uint64_t *ids, size_t n)
{
    memset(m, 0, sizeof(*m));
    if (n == 0)
        return RC_OK;
    m->ids = rc_malloc(n * sizeof(uint64_t));
    if (m->ids == NULL)
        return RC_ERR_NOMEM;
    memcpy(m->ids, ids, n * sizeof(uint64_t));
    qsort(m->ids, n, sizeof(uint64_t), rc_cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || m->ids[k - 1] != m->ids[i])
            m->ids[k++] = m->ids[i];
    m->n = k;
    m->cap = n;
    return RC_OK;
}

void rc_majority_free(rc_majority *m)
{
    rc_free(m->ids);
    memset(m, 0, sizeof(*m));
}

void rc_majority_clear(rc_majority *m)
{
    m->n = 0;
}

/* ---- committed index ---- */

static void rc_sort_u64_small(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static int rc_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Allocation-free fallback: the largest acked value v such that a quorum acked >= v (or 0).
 * Equals the sorted pick below; O(n^2) lookups, used only when the heap is exhausted. */
static uint64_t rc_majority_committed_quadratic(const rc_majority *m, rc_acked_fn fn, void *ud)
{
    size_t q = m->n / 2 + 1;
    uint64_t best = 0;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t v;
        if (!fn(ud, m->ids[i], &v) || v <= best)
            continue;
        size_t cnt = 0;
        for (size_t j = 0; j < m->n; j++) {
            uint64_t w;
            if (fn(ud, m->ids[j], &w) && w >= v)
                cnt++;
        }
        if (cnt >= q)
            best = v;
    }
    return best;
}

/* etcd's MajorityConfig.CommittedIndex: with the acked values sorted ascending (a voter without
 * a value counts as 0), the value at position n - (n/2 + 1) is acked by a quorum. An empty
 * config commits everything (∞), so that joint quorums with an empty half reduce to the other. */
uint64_t rc_majority_committed_acked(uint64_t *acked, size_t n)
{
    if (n == 0)
        return RC_QUORUM_INDEX_INF;
    rc_sort_u64_small(acked, n);
    return acked[n - (n / 2 + 1)];
}

uint64_t rc_majority_committed(const rc_majority *m, rc_acked_fn fn, void *ud)
{
    size_t n = m->n;
    if (n == 0)
        return RC_QUORUM_INDEX_INF;
    uint64_t stack[RC_MAJORITY_ACKED_MAX];
    uint64_t *srt = stack;
    if (n > RC_MAJORITY_ACKED_MAX) {
        srt = rc_malloc(n * sizeof(uint64_t));
        if (srt == NULL)
            return rc_majority_committed_quadratic(m, fn, ud);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        if (!fn(ud, m->ids[i], &v))
            v = 0;
        srt[i] = v;
    }
    if (n <= RC_MAJORITY_ACKED_MAX)
        return rc_majority_committed_acked(srt, n);
    qsort(srt, n, sizeof(uint64_t), rc_cmp_u64);
    uint64_t res = srt[n - (n / 2 + 1)];
    if (srt != stack)
        rc_free(srt);
    return res;
}

rc_vote_result rc_majority_vote_result(const rc_majority *m, rc_vote_fn fn, void *ud)
{
    if (m->n == 0)
        return RC_VOTE_WON; /* an empty config wins: makes joint quorums reduce to one half */
    size_t yes = 0, missing = 0;
    for (size_t i = 0; i < m->n; i++) {
        bool granted;
        if (!fn(ud, m->ids[i], &granted))
            missing++;
        else if (granted)
            yes++;
    }
    size_t q = m->n / 2 + 1;
    if (yes >= q)
        return RC_VOTE_WON;
    if (yes + missing >= q)
        return RC_VOTE_PENDING;
    return RC_VOTE_LOST;
}

uint64_t rc_joint_committed(const rc_joint *j, rc_acked_fn fn, void *ud)
{
    uint64_t a = rc_majority_committed(&j->incoming, fn, ud);
    uint64_t b = rc_majority_committed(&j->outgoing, fn, ud);
    return a < b ? a : b;
}

rc_vote_result rc_joint_vote_result(const rc_joint *j, rc_vote_fn fn, void *ud)
{
    rc_vote_result r1 = rc_majority_vote_result(&j->incoming, fn, ud);
    rc_vote_result r2 = rc_majority_vote_result(&j->outgoing, fn, ud);
    if (r1 == r2)
        return r1;
    if (r1 == RC_VOTE_LOST || r2 == RC_VOTE_LOST)
        return RC_VOTE_LOST;
    return RC_VOTE_PENDING; /* one half won, the other is pending */
}

int rc_joint_ids(rc_majority *out, const rc_joint *j)
{
    /* Merge of the two sorted halves: linear. */
    const rc_majority *a = &j->incoming, *b = &j->outgoing;
    memset(out, 0, sizeof(*out));
    if (a->n + b->n == 0)
        return RC_OK;
    out->ids = rc_malloc((a->n + b->n) * sizeof(uint64_t));
    if (out->ids == NULL)
        return RC_ERR_NOMEM;
    size_t i = 0, k = 0, n = 0;
    while (i < a->n || k < b->n) {
        uint64_t v;
        if (k >= b->n || (i < a->n && a->ids[i] < b->ids[k]))
            v = a->ids[i++];
        else if (i >= a->n || b->ids[k] < a->ids[i])
            v = b->ids[k++];
        else {
            v = a->ids[i++];
            k++;
        }
        out->ids[n++] = v;
    }
    out->n = n;
    out->cap = a->n + b->n;
    return RC_OK;
}

/* ---- text forms ---- */

void rc_majority_format(rc_strbuf *b, const rc_majority *m)
{
    rc_strbuf_putc(b, '(');
    for (size_t i = 0; i < m->n; i++)
        rc_strbuf_printf(b, i ? " %llx" : "%llx", (unsigned long long)m->ids[i]);
    rc_strbuf_putc(b, ')');
}

void rc_joint_format(rc_strbuf *b, const rc_joint *j)
{
    rc_majority_format(b, &j->incoming);
    if (j->outgoing.n > 0) {
        rc_strbuf_puts(b, "&&");
        rc_majority_format(b, &j->outgoing);
    }
}

char *rc_majority_string(const rc_majority *m)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_majority_format(&b, m);
    return rc_strbuf_take(&b);
}

char *rc_joint_string(const rc_joint *j)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_joint_format(&b, j);
    return rc_strbuf_take(&b);
}

typedef struct rc_describe_row {
    uint64_t id;
    uint64_t idx; /* 0 when unknown */
    bool ok;
    size_t bar;
} rc_describe_row;

static int rc_describe_row_cmp(const void *a, const void *b)
{
    const rc_describe_row *x = a, *y = b;
    if (x->idx != y->idx)
        return x->idx < y->idx ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int rc_describe_row_cmp_id(const void *a, const void *b)
{
    const rc_describe_row *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* etcd's MajorityConfig.Describe: one row per voter (ascending id) whose bar length is the
 * voter's rank among the acked values (equal values share the bar of the first of them). */
char *rc_majority_describe(const rc_majority *m, rc_acked_fn fn, void *ud)
{
    rc_strbuf b = RC_STRBUF_INIT;
    size_t n = m->n;
    if (n == 0) {
        rc_strbuf_puts(&b, "<empty majority quorum>");
        return rc_strbuf_take(&b);
    }
    rc_describe_row *rows = rc_calloc(n, sizeof(*rows));
    if (rows == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        rows[i].id = m->ids[i];
        rows[i].ok = fn(ud, m->ids[i], &rows[i].idx);
        if (!rows[i].ok)
            rows[i].idx = 0;
    }
    qsort(rows, n, sizeof(*rows), rc_describe_row_cmp);
    for (size_t i = 1; i < n; i++)
        rows[i].bar = rows[i - 1].idx < rows[i].idx ? i : rows[i - 1].bar;
    qsort(rows, n, sizeof(*rows), rc_describe_row_cmp_id);

    for (size_t i = 0; i < n; i++)
        rc_strbuf_putc(&b, ' ');
    rc_strbuf_puts(&b, "    idx\n");
    for (size_t i = 0; i < n; i++) {
        size_t bar = rows[i].bar;
        if (!rows[i].ok) {
            rc_strbuf_putc(&b, '?');
            for (size_t k = 0; k < n; k++)
                rc_strbuf_putc(&b, ' ');
        } else {
            for (size_t k = 0; k < bar; k++)
                rc_strbuf_putc(&b, 'x');
            rc_strbuf_putc(&b, '>');
            for (size_t k = bar; k < n; k++)
                rc_strbuf_putc(&b, ' ');
        }
        rc_strbuf_printf(&b, " %5llu    (id=%llx)\n", (unsigned long long)rows[i].idx,
                         (unsigned long long)rows[i].id);
    }
    rc_free(rows);
    return rc_strbuf_take(&b);
}

const char *rc_vote_result_name(rc_vote_result r)
{
    switch (r) {
    case RC_VOTE_PENDING:
        return "VotePending";
    case RC_VOTE_LOST:
        return "VoteLost";
    case RC_VOTE_WON:
        return "VoteWon";
    }
    return "VoteResult(unknown)";
}
