/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_tools.c: the public quorum and configuration-changer tools (raftc.h "Tools" section).
 */
#include "raftc.h"

#include <stdlib.h>
#include <string.h>

#include "capi_internal.h" /* CAPI_MAX_INPUT */
#include "alloc.h"
#include "codec.h"
#include "confchange.h"
#include "quorum.h"
#include "strbuf.h"
#include "tracker.h"
#include "types.h"

/* ---- quorum ---- */

/* An id -> value lookup over borrowed parallel arrays (first occurrence wins): (id, position)
 * pairs sorted by id then position and searched by bisection, so a lookup costs O(log n). */
typedef struct raftc_lookup_key {
    uint64_t id;
    size_t pos;
} raftc_lookup_key;

typedef struct capi_lookup {
    const uint64_t *idx;
    const int *granted;
    size_t n;
    raftc_lookup_key *keys;
} capi_lookup;

static int raftc_lookup_cmp(const void *a, const void *b)
{
    const raftc_lookup_key *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Index over ids[0..n); RAFTC_ENOMEM. */
static int raftc_lookup_init(capi_lookup *l, const uint64_t *ids, const uint64_t *idx,
                             const int *granted, size_t n)
{
    *l = (capi_lookup){idx, granted, n, NULL};
    if (n == 0)
        return RAFTC_OK;
    l->keys = rc_malloc(n * sizeof(*l->keys));
    if (l->keys == NULL)
        return RAFTC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        l->keys[i] = (raftc_lookup_key){ids[i], i};
    qsort(l->keys, n, sizeof(*l->keys), raftc_lookup_cmp);
    return RAFTC_OK;
}

static bool capi_lookup_find(const capi_lookup *l, uint64_t id, size_t *pos)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) { /* the first key whose id is >= id */
        size_t mid = lo + (hi - lo) / 2;
        if (l->keys[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == l->n || l->keys[lo].id != id)
        return false;
    *pos = l->keys[lo].pos;
    return true;
}

static bool capi_lookup_acked(void *ud, uint64_t id, uint64_t *idx)
{
    size_t pos;
    if (!capi_lookup_find(ud, id, &pos))
        return false;
    *idx = ((const capi_lookup *)ud)->idx[pos];
    return true;
}

static bool capi_lookup_vote(void *ud, uint64_t id, bool *granted)
{
    size_t pos;
    if (!capi_lookup_find(ud, id, &pos))
        return false;
    *granted = ((const capi_lookup *)ud)->granted[pos] != 0;
    return true;
}

static bool capi_list_ok(const void *p, size_t n)
{
    return p != NULL || n == 0;
}

static int capi_majority_from(rc_majority *m, const uint64_t *ids, size_t n)
{
    memset(m, 0, sizeof(*m));
    for (size_t i = 0; i < n; i++)
        if (ids[i] == 0)
            return RAFTC_EINVAL;
    return rc_majority_from_ids(m, ids, n) == RC_OK ? RAFTC_OK : RAFTC_ENOMEM;
}

/* Builds the joint config from the two lists (validated). */
static int capi_joint_from(rc_joint *j, const uint64_t *incoming, size_t n_incoming,
                            const uint64_t *outgoing, size_t n_outgoing)
{
    if (!capi_list_ok(incoming, n_incoming) || !capi_list_ok(outgoing, n_outgoing))
        return RAFTC_EINVAL;
    int rc = capi_majority_from(&j->incoming, incoming, n_incoming);
    if (rc != RAFTC_OK)
        return rc;
    rc = capi_majority_from(&j->outgoing, outgoing, n_outgoing);
    if (rc != RAFTC_OK)
        rc_majority_free(&j->incoming);
    return rc;
}

static void capi_joint_free(rc_joint *j)
{
    rc_majority_free(&j->incoming);
    rc_majority_free(&j->outgoing);
}

const char *raftc_vote_result_name(raftc_vote_result result)
{
    return rc_vote_result_name((rc_vote_result)result);
}

int raftc_quorum_committed(uint64_t *out_index, const uint64_t *incoming, size_t n_incoming,
                           const uint64_t *outgoing, size_t n_outgoing,
                           const uint64_t *acked_ids, const uint64_t *acked_indexes,
                           size_t n_acked)
{
    rc_joint j;
    if (out_index == NULL || !capi_list_ok(acked_ids, n_acked) ||
        !capi_list_ok(acked_indexes, n_acked))
        return RAFTC_EINVAL;
    int rc = capi_joint_from(&j, incoming, n_incoming, outgoing, n_outgoing);
    if (rc != RAFTC_OK)
        return rc;
    capi_lookup l;
    rc = raftc_lookup_init(&l, acked_ids, acked_indexes, NULL, n_acked);
    if (rc == RAFTC_OK)
        *out_index = rc_joint_committed(&j, capi_lookup_acked, &l);
    rc_free(l.keys);
    capi_joint_free(&j);
    return rc;
}

int raftc_quorum_describe(char **out, const uint64_t *incoming, size_t n_incoming,
                          const uint64_t *outgoing, size_t n_outgoing, const uint64_t *acked_ids,
                          const uint64_t *acked_indexes, size_t n_acked)
{
    rc_joint j;
    rc_majority all;
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    if (!capi_list_ok(acked_ids, n_acked) || !capi_list_ok(acked_indexes, n_acked))
        return RAFTC_EINVAL;
    int rc = capi_joint_from(&j, incoming, n_incoming, outgoing, n_outgoing);
    if (rc != RAFTC_OK)
        return rc;
    rc = rc_joint_ids(&all, &j);
    capi_joint_free(&j);
    if (rc != RC_OK)
        return RAFTC_ENOMEM;
    capi_lookup l;
    rc = raftc_lookup_init(&l, acked_ids, acked_indexes, NULL, n_acked);
    if (rc == RAFTC_OK)
        *out = rc_majority_describe(&all, capi_lookup_acked, &l);
    rc_free(l.keys);
    rc_majority_free(&all);
    return *out == NULL ? RAFTC_ENOMEM : RAFTC_OK;
}

int raftc_quorum_vote_result(raftc_vote_result *out_result, const uint64_t *incoming,
                             size_t n_incoming, const uint64_t *outgoing, size_t n_outgoing,
                             const uint64_t *vote_ids, const int *granted, size_t n_votes)
{
    rc_joint j;
    if (out_result == NULL || !capi_list_ok(vote_ids, n_votes) ||
        !capi_list_ok(granted, n_votes))
        return RAFTC_EINVAL;
    int rc = capi_joint_from(&j, incoming, n_incoming, outgoing, n_outgoing);
    if (rc != RAFTC_OK)
        return rc;
    capi_lookup l;
    rc = raftc_lookup_init(&l, vote_ids, NULL, granted, n_votes);
    if (rc == RAFTC_OK)
        *out_result = (int)rc_joint_vote_result(&j, capi_lookup_vote, &l);
    rc_free(l.keys);
    capi_joint_free(&j);
    return rc;
}

/* ---- changer ---- */

struct raftc_changer {
    rc_tracker trk;
    uint64_t last_index;
    char *last_error; /* NULL = "" */
};

int raftc_changer_new(raftc_changer **out, uint64_t max_inflight, uint64_t max_inflight_bytes)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    if (max_inflight > SIZE_MAX)
        return RAFTC_EINVAL;
    raftc_changer *ch = rc_calloc(1, sizeof(*ch));
    if (ch == NULL)
        return RAFTC_ENOMEM;
    rc_tracker_init(&ch->trk, (size_t)max_inflight, max_inflight_bytes);
    *out = ch;
    return RAFTC_OK;
}

void raftc_changer_free(raftc_changer *ch)
{
    if (ch == NULL)
        return;
    rc_tracker_free(&ch->trk);
    rc_free(ch->last_error);
    rc_free(ch);
}

int raftc_changer_set_last_index(raftc_changer *ch, uint64_t last_index)
{
    if (ch == NULL)
        return RAFTC_EINVAL;
    ch->last_index = last_index;
    return RAFTC_OK;
}

const char *raftc_changer_last_error(const raftc_changer *ch)
{
    if (ch == NULL || ch->last_error == NULL)
        return "";
    return ch->last_error;
}

/* Installs the result of a changer call (or records its error) and maps the code. */
static int capi_changer_finish(raftc_changer *ch, int rc, rc_tracker_config *cfg,
                                rc_progress_map *prs, char *err)
{
    rc_free(ch->last_error);
    ch->last_error = err;
    if (rc == RC_OK)
        rc_tracker_set_config(&ch->trk, cfg, prs);
    return rc; /* rc_err and raftc_err share their numbering */
}

/* Converts the ABI's parallel arrays into core changes (heap; *out NULL when n == 0). */
static int capi_changes_from(rc_cc_single **out, const raftc_cc_type *types,
                             const uint64_t *node_ids, size_t n)
{
    *out = NULL;
    if (!capi_list_ok(types, n) || !capi_list_ok(node_ids, n))
        return RAFTC_EINVAL;
    if (n == 0)
        return RAFTC_OK;
    *out = rc_calloc(n, sizeof(rc_cc_single));
    if (*out == NULL)
        return RAFTC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        (*out)[i].type = (rc_cc_type)types[i];
        (*out)[i].node_id = node_ids[i];
    }
    return RAFTC_OK;
}

int raftc_changer_simple(raftc_changer *ch, const raftc_cc_type *types, const uint64_t *node_ids,
                         size_t n)
{
    rc_cc_single *ccs;
    rc_tracker_config cfg;
    rc_progress_map prs;
    char *err = NULL;
    if (ch == NULL)
        return RAFTC_EINVAL;
    int rc = capi_changes_from(&ccs, types, node_ids, n);
    if (rc != RAFTC_OK)
        return rc;
    rc_changer c = {&ch->trk, ch->last_index};
    rc = rc_changer_simple(&c, ccs, n, &cfg, &prs, &err);
    rc_free(ccs);
    return capi_changer_finish(ch, rc, &cfg, &prs, err);
}

int raftc_changer_enter_joint(raftc_changer *ch, int auto_leave, const raftc_cc_type *types,
                              const uint64_t *node_ids, size_t n)
{
    rc_cc_single *ccs;
    rc_tracker_config cfg;
    rc_progress_map prs;
    char *err = NULL;
    if (ch == NULL)
        return RAFTC_EINVAL;
    int rc = capi_changes_from(&ccs, types, node_ids, n);
    if (rc != RAFTC_OK)
        return rc;
    rc_changer c = {&ch->trk, ch->last_index};
    rc = rc_changer_enter_joint(&c, auto_leave != 0, ccs, n, &cfg, &prs, &err);
    rc_free(ccs);
    return capi_changer_finish(ch, rc, &cfg, &prs, err);
}

int raftc_changer_leave_joint(raftc_changer *ch)
{
    rc_tracker_config cfg;
    rc_progress_map prs;
    char *err = NULL;
    if (ch == NULL)
        return RAFTC_EINVAL;
    rc_changer c = {&ch->trk, ch->last_index};
    int rc = rc_changer_leave_joint(&c, &cfg, &prs, &err);
    return capi_changer_finish(ch, rc, &cfg, &prs, err);
}

int raftc_changer_restore(raftc_changer *ch, const uint8_t *conf_state, size_t len)
{
    rc_conf_state cs;
    rc_tracker_config cfg;
    rc_progress_map prs;
    char *err = NULL;
    if (ch == NULL || !capi_list_ok(conf_state, len))
        return RAFTC_EINVAL;
    if (len > CAPI_MAX_INPUT) /* same size limit as every other decode path */
        return RAFTC_ETOOLARGE;
    int rc = rc_decode_conf_state(&cs, conf_state, len);
    if (rc != RC_OK)
        return rc;
    rc_changer c = {&ch->trk, ch->last_index};
    rc = rc_confchange_restore(&c, &cs, &cfg, &prs, &err);
    rc_conf_state_free(&cs);
    return capi_changer_finish(ch, rc, &cfg, &prs, err);
}

int raftc_changer_describe(char **out, const raftc_changer *ch)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    if (ch == NULL)
        return RAFTC_EINVAL;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_tracker_config_format(&b, &ch->trk.config);
    rc_strbuf_putc(&b, '\n');
    rc_progress_map_format(&b, &ch->trk.progress);
    *out = rc_strbuf_take(&b);
    return *out == NULL ? RAFTC_ENOMEM : RAFTC_OK;
}

int raftc_changer_conf_state(raftc_sink *out, const raftc_changer *ch)
{
    rc_conf_state cs;
    uint8_t *buf = NULL;
    size_t len = 0;
    if (ch == NULL || out == NULL)
        return RAFTC_EINVAL;
    int rc = rc_tracker_config_to_conf_state(&cs, &ch->trk.config);
    if (rc != RC_OK)
        return rc;
    rc = rc_encode_conf_state(&buf, &len, &cs);
    rc_conf_state_free(&cs);
    if (rc != RC_OK)
        return rc;
    rc = raftc_sink_put(out, buf, len);
    rc_free(buf);
    return rc;
}
