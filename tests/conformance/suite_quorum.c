/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_quorum.c: etcd's quorum/datadriven_test.go (HARNESS.md §5.2) over the public ABI:
 * `committed` and `vote` with cfg=, cfgj=, idx=, votes=, plus etcd's cross-checks (alternative
 * computation, zero-joint, self-joint, overlaying, symmetry), which print only on disagreement.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadriven.h"
#include "raftc.h"
#include "suite_util.h"

typedef struct q_case {
    bool joint;
    u64vec ids, idsj;  /* cfg, cfgj in argument order */
    u64vec idxs, votes; /* inputs; 0 = placeholder "_" (votes: 1 = n, 2 = y) */
    u64vec voters;     /* distinct ids of cfg then cfgj */
    u64vec l_ids, l_vals; /* the lookuper: voter -> value (placeholders dropped) */
} q_case;

static void q_case_free(q_case *c)
{
    u64vec_free(&c->ids);
    u64vec_free(&c->idsj);
    u64vec_free(&c->idxs);
    u64vec_free(&c->votes);
    u64vec_free(&c->voters);
    u64vec_free(&c->l_ids);
    u64vec_free(&c->l_vals);
}

/* Go's Index.String(). */
static void q_put_index(sbuf *b, uint64_t idx)
{
    if (idx == RAFTC_QUORUM_INDEX_INF)
        sbuf_puts(b, "∞");
    else
        sbuf_printf(b, "%" PRIu64, idx);
}

static int q_parse(q_case *c, const dd_directive *d, char **fatal)
{
    for (size_t a = 0; a < d->n_args; a++) {
        const dd_arg *arg = &d->args[a];
        for (size_t i = 0; i < arg->n_vals; i++) {
            const char *v = arg->vals[i];
            uint64_t n = 0;
            if (strcmp(arg->key, "cfg") == 0) {
                if (!parse_u64(v, &n))
                    return fatalf(fatal, "cfg: cannot parse %s as uint64", v);
                u64vec_push(&c->ids, n);
            } else if (strcmp(arg->key, "cfgj") == 0) {
                c->joint = true;
                if (strcmp(v, "zero") == 0) {
                    if (arg->n_vals != 1)
                        return fatalf(fatal, "cannot mix 'zero' into configuration");
                } else {
                    if (!parse_u64(v, &n))
                        return fatalf(fatal, "cfgj: cannot parse %s as uint64", v);
                    u64vec_push(&c->idsj, n);
                }
            } else if (strcmp(arg->key, "idx") == 0) {
                if (strcmp(v, "_") != 0) {
                    if (!parse_u64(v, &n))
                        return fatalf(fatal, "idx: cannot parse %s as uint64", v);
                    if (n == 0)
                        return fatalf(fatal, "cannot use 0 as idx");
                }
                u64vec_push(&c->idxs, n);
            } else if (strcmp(arg->key, "votes") == 0) {
                if (strcmp(v, "y") == 0)
                    u64vec_push(&c->votes, 2);
                else if (strcmp(v, "n") == 0)
                    u64vec_push(&c->votes, 1);
                else if (strcmp(v, "_") == 0)
                    u64vec_push(&c->votes, 0);
                else
                    return fatalf(fatal, "unknown vote: %s", v);
            } else {
                return fatalf(fatal, "unknown arg %s", arg->key);
            }
        }
    }
    /* distinct voters, cfg first, in argument order */
    for (size_t k = 0; k < c->ids.n + c->idsj.n; k++) {
        uint64_t id = k < c->ids.n ? c->ids.v[k] : c->idsj.v[k - c->ids.n];
        if (!u64vec_contains(&c->voters, id))
            u64vec_push(&c->voters, id);
    }
    return 0;
}

/* etcd's makeLookuper: the i-th input goes to the i-th distinct voter; placeholders (0) are
 * dropped, so those voters have no value. */
static void q_make_lookup(q_case *c, const u64vec *input)
{
    for (size_t i = 0; i < c->voters.n && i < input->n; i++) {
        if (input->v[i] == 0)
            continue;
        u64vec_push(&c->l_ids, c->voters.v[i]);
        u64vec_push(&c->l_vals, input->v[i]);
    }
}

static bool q_lookup(const q_case *c, uint64_t id, uint64_t *val)
{
    for (size_t i = 0; i < c->l_ids.n; i++) {
        if (c->l_ids.v[i] == id) {
            *val = c->l_vals.v[i];
            return true;
        }
    }
    return false;
}

static int q_committed(uint64_t *out, const u64vec *in, const u64vec *outg, const u64vec *ids,
                       const u64vec *vals, char **fatal)
{
    int rc = raftc_quorum_committed(out, in->v, in->n, outg->v, outg->n, ids->v, vals->v, ids->n);
    if (rc != RAFTC_OK)
        return fatalf(fatal, "raftc_quorum_committed: %s", raftc_strerror(rc));
    return 0;
}

/* etcd's alternativeMajorityCommittedIndex: the largest acked index that at least a quorum
 * acked (or exceeded); 0 if none. Deliberately independent of the library's sort-based pick. */
static uint64_t q_alternative(const u64vec *cfg, const q_case *c)
{
    u64vec distinct = {0};
    uint64_t best = 0;
    for (size_t i = 0; i < cfg->n; i++)
        if (!u64vec_contains(&distinct, cfg->v[i]))
            u64vec_push(&distinct, cfg->v[i]);
    if (distinct.n == 0) {
        u64vec_free(&distinct);
        return RAFTC_QUORUM_INDEX_INF;
    }
    size_t q = distinct.n / 2 + 1;
    for (size_t i = 0; i < distinct.n; i++) {
        uint64_t v;
        if (!q_lookup(c, distinct.v[i], &v))
            continue;
        size_t votes = 0;
        for (size_t j = 0; j < distinct.n; j++) {
            uint64_t w;
            if (q_lookup(c, distinct.v[j], &w) && w >= v)
                votes++;
        }
        if (votes >= q && v > best)
            best = v;
    }
    u64vec_free(&distinct);
    return best;
}

static int q_cmd_committed(q_case *c, sbuf *out, char **fatal)
{
    u64vec empty = {0};
    uint64_t idx, alt;
    char *desc = NULL;
    q_make_lookup(c, &c->idxs);
    if (!c->joint) {
        if (q_committed(&idx, &c->ids, &empty, &c->l_ids, &c->l_vals, fatal) != 0)
            return -1;
        if (raftc_quorum_describe(&desc, c->ids.v, c->ids.n, NULL, 0, c->l_ids.v, c->l_vals.v,
                                  c->l_ids.n) != RAFTC_OK)
            return fatalf(fatal, "raftc_quorum_describe failed");
        sbuf_puts(out, desc);
        raftc_free(desc);
        if ((alt = q_alternative(&c->ids, c)) != idx) {
            q_put_index(out, alt);
            sbuf_puts(out, " <-- via alternative computation\n");
        }
        /* etcd compares MajorityConfig.CommittedIndex with JointConfig{c, nil}; the ABI has
         * only the joint form, so this repeats the call above (a determinism check). */
        if (q_committed(&alt, &c->ids, &empty, &c->l_ids, &c->l_vals, fatal) != 0)
            return -1;
        if (alt != idx) {
            q_put_index(out, alt);
            sbuf_puts(out, " <-- via zero-joint quorum\n");
        }
        if (q_committed(&alt, &c->ids, &c->ids, &c->l_ids, &c->l_vals, fatal) != 0)
            return -1;
        if (alt != idx) {
            q_put_index(out, alt);
            sbuf_puts(out, " <-- via self-joint quorum\n");
        }
        /* Lowering a voter that is already below the committed index must not change it.
         * etcd visits voters in map order; here the distinct ids in argument order (the check
         * prints only on disagreement, so the order shows only if two checks fail). */
        u64vec seen = {0};
        for (size_t i = 0; i < c->ids.n; i++) {
            uint64_t id = c->ids.v[i], iidx = 0;
            if (u64vec_contains(&seen, id))
                continue;
            u64vec_push(&seen, id);
            if (!q_lookup(c, id, &iidx) || !(idx > iidx && iidx > 0))
                continue;
            for (int pass = 0; pass < 2; pass++) {
                uint64_t lowered = pass == 0 ? iidx - 1 : 0;
                u64vec oi = {0}, ov = {0};
                for (size_t k = 0; k < c->ids.n; k++) {
                    uint64_t other = c->ids.v[k], val;
                    if (u64vec_contains(&oi, other))
                        continue;
                    if (other == id) {
                        u64vec_push(&oi, other);
                        u64vec_push(&ov, lowered);
                    } else if (q_lookup(c, other, &val)) {
                        u64vec_push(&oi, other);
                        u64vec_push(&ov, val);
                    }
                }
                int rc = q_committed(&alt, &c->ids, &empty, &oi, &ov, fatal);
                u64vec_free(&oi);
                u64vec_free(&ov);
                if (rc != 0) {
                    u64vec_free(&seen);
                    return -1;
                }
                if (alt != idx) {
                    q_put_index(out, alt);
                    if (pass == 0)
                        sbuf_printf(out, " <-- overlaying %" PRIu64 "->%" PRIu64, id, iidx);
                    else
                        sbuf_printf(out, " <-- overlaying %" PRIu64 "->0", id);
                }
            }
        }
        u64vec_free(&seen);
    } else {
        if (raftc_quorum_describe(&desc, c->ids.v, c->ids.n, c->idsj.v, c->idsj.n, c->l_ids.v,
                                  c->l_vals.v, c->l_ids.n) != RAFTC_OK)
            return fatalf(fatal, "raftc_quorum_describe failed");
        sbuf_puts(out, desc);
        raftc_free(desc);
        if (q_committed(&idx, &c->ids, &c->idsj, &c->l_ids, &c->l_vals, fatal) != 0 ||
            q_committed(&alt, &c->idsj, &c->ids, &c->l_ids, &c->l_vals, fatal) != 0)
            return -1;
        if (alt != idx) {
            q_put_index(out, alt);
            sbuf_puts(out, " <-- via symmetry\n");
        }
    }
    q_put_index(out, idx);
    sbuf_puts(out, "\n");
    return 0;
}

static int q_vote(raftc_vote_result *r, const u64vec *in, const u64vec *outg, const u64vec *ids,
                  const int *granted, char **fatal)
{
    int rc = raftc_quorum_vote_result(r, in->v, in->n, outg->v, outg->n, ids->v, granted, ids->n);
    if (rc != RAFTC_OK)
        return fatalf(fatal, "raftc_quorum_vote_result: %s", raftc_strerror(rc));
    return 0;
}

static int q_cmd_vote(q_case *c, sbuf *out, char **fatal)
{
    u64vec empty = {0};
    raftc_vote_result r = RAFTC_VOTE_PENDING, ar = RAFTC_VOTE_PENDING;
    q_make_lookup(c, &c->votes);
    int *granted = calloc(c->l_ids.n ? c->l_ids.n : 1, sizeof(int));
    if (granted == NULL)
        return fatalf(fatal, "out of memory");
    for (size_t i = 0; i < c->l_ids.n; i++)
        granted[i] = c->l_vals.v[i] != 1; /* 1 = no, 2 = yes */
    int rc = 0;
    if (!c->joint) {
        rc = q_vote(&r, &c->ids, &empty, &c->l_ids, granted, fatal);
    } else {
        rc = q_vote(&r, &c->ids, &c->idsj, &c->l_ids, granted, fatal);
        if (rc == 0)
            rc = q_vote(&ar, &c->idsj, &c->ids, &c->l_ids, granted, fatal);
        if (rc == 0 && ar != r)
            sbuf_printf(out, "%s <-- via symmetry\n", raftc_vote_result_name(ar));
    }
    free(granted);
    if (rc == 0)
        sbuf_printf(out, "%s\n", raftc_vote_result_name(r));
    return rc;
}

static char *q_handle(void *env, const dd_directive *d, char **fatal)
{
    (void)env;
    q_case c = {0};
    sbuf out = {0};
    int rc = q_parse(&c, d, fatal);
    if (rc == 0) {
        const u64vec *input = strcmp(d->cmd, "vote") == 0 ? &c.votes : &c.idxs;
        if (c.voters.n != input->n) {
            /* Go prints the voter set as map[1:{} 2:{}] (keys ascending) and the inputs as a
             * []Index, so "_" shows as 0. */
            u64vec sorted = {0};
            for (size_t i = 0; i < c.voters.n; i++)
                u64vec_insert_sorted(&sorted, c.voters.v[i]);
            sbuf_puts(&out, "error: mismatched input (explicit or _) for voters map[");
            for (size_t i = 0; i < sorted.n; i++)
                sbuf_printf(&out, "%s%" PRIu64 ":{}", i ? " " : "", sorted.v[i]);
            sbuf_puts(&out, "]: [");
            for (size_t i = 0; i < input->n; i++) {
                if (i)
                    sbuf_puts(&out, " ");
                q_put_index(&out, input->v[i]);
            }
            sbuf_puts(&out, "]");
            u64vec_free(&sorted);
        } else if (strcmp(d->cmd, "committed") == 0) {
            rc = q_cmd_committed(&c, &out, fatal);
        } else if (strcmp(d->cmd, "vote") == 0) {
            rc = q_cmd_vote(&c, &out, fatal);
        } else {
            rc = fatalf(fatal, "unknown command: %s", d->cmd);
        }
    }
    q_case_free(&c);
    if (rc != 0) {
        free(out.p);
        return NULL;
    }
    return sbuf_take(&out);
}

static void *q_env_new(void)
{
    static int token;
    return &token; /* stateless */
}

static void q_env_free(void *env)
{
    (void)env;
}

const dd_suite dd_suite_quorum = {"quorum", q_env_new, q_env_free, q_handle};
