/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_node_status.c: what a node says about itself: etcd's Status (raftc_node_status_*), its
 * ConfState and the leader's progress map (raftc_node_conf_state, raftc_node_progress_*).
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "tracker.h"

RAFTC_API int raftc_node_status_info(uint64_t *info, size_t n, const raftc_node *node)
{
    if (node == NULL || (info == NULL && n != 0))
        return RAFTC_EINVAL;
    const rc_raft *r = node->rn->raft;
    rc_basic_status st;
    rc_rawnode_basic_status(node->rn, &st);
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    uint64_t v[RAFTC_ST_COUNT] = {
        [RAFTC_ST_ID] = st.id,
        [RAFTC_ST_TERM] = st.hard_state.term,
        [RAFTC_ST_VOTE] = st.hard_state.vote,
        [RAFTC_ST_COMMIT] = st.hard_state.commit,
        [RAFTC_ST_LEAD] = st.soft_state.lead,
        [RAFTC_ST_RAFT_STATE] = (uint64_t)st.soft_state.raft_state,
        [RAFTC_ST_APPLIED] = st.applied,
        [RAFTC_ST_LEAD_TRANSFEREE] = st.lead_transferee,
        [RAFTC_ST_IS_VOTER] = rc_tracker_is_voter(&r->trk, r->id),
        [RAFTC_ST_IS_LEARNER] = r->is_learner,
        [RAFTC_ST_N_PROGRESS] = pm != NULL ? pm->n : 0,
        [RAFTC_ST_REFUSED] = r->refused,
    };
    for (size_t i = 0; i < n && i < RAFTC_ST_COUNT; i++)
        info[i] = v[i];
    return RAFTC_OK;
}

/* Returns a heap string or an empty heap string for NULL. */
static int own_string(char **out, char *s)
{
    if (s != NULL) {
        *out = s;
        return RAFTC_OK;
    }
    rc_strbuf b = RC_STRBUF_INIT;
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_node_status_progress(char **out, const raftc_node *node)
{
    if (out != NULL)
        *out = NULL;
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    if (pm == NULL)
        return own_string(out, NULL);
    char *s = rc_progress_map_string(pm);
    return s == NULL ? RAFTC_ENOMEM : own_string(out, s);
}

RAFTC_API int raftc_node_status_config(char **out, const raftc_node *node)
{
    if (out != NULL)
        *out = NULL;
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    char *s = rc_tracker_config_string(&node->rn->raft->trk.config);
    return s == NULL ? RAFTC_ENOMEM : own_string(out, s);
}

RAFTC_API int raftc_node_conf_state(raftc_sink *out, const raftc_node *node)
{
    if (node == NULL || out == NULL)
        return RAFTC_EINVAL;
    rc_conf_state cs = {0};
    int rc = rc_tracker_config_to_conf_state(&cs, &node->rn->raft->trk.config);
    if (rc == RC_OK) {
        rc = capi_sink_put_conf_state(out, &cs);
    }
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_node_progress_ids(uint64_t *ids, size_t cap, size_t *n,
                                      const raftc_node *node)
{
    if (node == NULL || n == NULL || (ids == NULL && cap != 0))
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    *n = pm != NULL ? pm->n : 0;
    for (size_t i = 0; i < *n && i < cap; i++)
        ids[i] = pm->v[i].id;
    return RAFTC_OK;
}

RAFTC_API int raftc_node_progress_info(uint64_t *info, size_t n, const raftc_node *node,
                                       uint64_t id)
{
    if (node == NULL || (info == NULL && n != 0))
        return RAFTC_EINVAL;
    const rc_progress_map *pm = rc_rawnode_progress(node->rn);
    const rc_progress *pr = pm != NULL ? rc_progress_map_get(pm, id) : NULL;
    if (pr == NULL)
        return RAFTC_ENOTFOUND;
    uint64_t v[RAFTC_PR_COUNT] = {
        [RAFTC_PR_MATCH] = pr->match,
        [RAFTC_PR_NEXT] = pr->next,
        [RAFTC_PR_STATE] = (uint64_t)pr->state,
        [RAFTC_PR_PENDING_SNAPSHOT] = pr->pending_snapshot,
        [RAFTC_PR_RECENT_ACTIVE] = pr->recent_active,
        [RAFTC_PR_PAUSED] = rc_progress_is_paused(pr),
        [RAFTC_PR_IS_LEARNER] = pr->is_learner,
        [RAFTC_PR_INFLIGHT] = rc_inflights_count(&pr->inflights),
    };
    for (size_t i = 0; i < n && i < RAFTC_PR_COUNT; i++)
        info[i] = v[i];
    return RAFTC_OK;
}
