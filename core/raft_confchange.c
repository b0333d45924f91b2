/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raft_confchange.c: membership in the state machine: applying conf changes, switching to a
 * new configuration (leader removal/demotion, probing new peers), restoring the configuration
 * from a ConfState, and the applied-index hooks that drive auto-leave.
 */
#include <string.h>
#include "alloc.h"
#include "confchange.h"
#include "describe.h"
#include "raft_internal.h"

int rc_raft_switch_to_config(rc_raft *r, rc_tracker_config *cfg, rc_progress_map *prs,
                             rc_conf_state *cs_out)
{
    rc_tracker_config_free(&r->trk.config);
    rc_progress_map_free(&r->trk.progress);
    r->trk.config = *cfg;
    r->trk.progress = *prs;
    memset(cfg, 0, sizeof(*cfg));
    memset(prs, 0, sizeof(*prs));

    char *cfgs = rc_raft_config_str(r);
    rc_logf(&r->logger, RC_LOG_INFO, "%" X64 " switched to configuration %s", r->id,
            cfgs != NULL ? cfgs : "");
    rc_free(cfgs);

    rc_conf_state cs;
    memset(&cs, 0, sizeof(cs));
    RC_TRY(rc_raft_check(r, rc_tracker_config_to_conf_state(&cs, &r->trk.config)));
    size_t n_voters = cs.voters.n;
    if (cs_out != NULL)
        *cs_out = cs;
    else
        rc_conf_state_free(&cs);

    const rc_progress *pr = rc_progress_map_get(&r->trk.progress, r->id);
    r->is_learner = pr != NULL && pr->is_learner;
    if ((pr == NULL || r->is_learner) && r->state == RC_STATE_LEADER) {
        if (r->step_down_on_removal)
            rc_raft_become_follower(r, r->term, RC_NONE);
        return RC_OK;
    }
    if (r->state != RC_STATE_LEADER || n_voters == 0)
        return RC_OK;

    bool committed = false;
    RC_TRY(rc_raft_maybe_commit(r, &committed));
    if (committed) {
        RC_TRY(rc_raft_bcast_append(r));
    } else {
        for (size_t i = 0; i < r->trk.progress.n; i++) {
            uint64_t id = r->trk.progress.v[i].id;
            if (id == r->id)
                continue;
            bool sent;
            RC_TRY(rc_raft_maybe_send_append(r, id, false, &sent));
        }
    }
    if (r->lead_transferee != RC_NONE && !rc_tracker_is_voter(&r->trk, r->lead_transferee))
        rc_raft_abort_leader_transfer(r);
    return RC_OK;
}

static int assert_equivalent(rc_raft *r, const rc_conf_state *want, const rc_conf_state *got)
{
    if (rc_conf_state_equivalent(want, got))
        return RC_OK;
    rc_strbuf a = RC_STRBUF_INIT, b = RC_STRBUF_INIT;
    rc_describe_conf_state(&a, want);
    rc_describe_conf_state(&b, got);
    int rc = rc_raft_panic(r, "ConfStates not equivalent after sorting:\n%s\n%s", rc_strbuf_str(&a),
                           rc_strbuf_str(&b));
    rc_strbuf_free(&a);
    rc_strbuf_free(&b);
    return rc;
}

int rc_raft_restore_config(rc_raft *r, const rc_conf_state *cs)
{
    rc_changer ch = {&r->trk, rc_log_last_index(&r->raft_log)};
    rc_tracker_config cfg;
    rc_progress_map prs;
    memset(&cfg, 0, sizeof(cfg));
    memset(&prs, 0, sizeof(prs));
    char *err = NULL;
    int rc = rc_confchange_restore(&ch, cs, &cfg, &prs, &err);
    if (rc != RC_OK) {
        if (rc == RC_ERR_NOMEM && err == NULL)
            return rc_raft_check(r, rc);
        rc = rc_raft_panic(r, "unable to restore config: %s", err != NULL ? err : "error");
        rc_free(err);
        return rc;
    }
    rc_conf_state got;
    memset(&got, 0, sizeof(got));
    rc = rc_raft_switch_to_config(r, &cfg, &prs, &got);
    if (rc == RC_OK)
        rc = assert_equivalent(r, cs, &got);
    rc_conf_state_free(&got);
    return rc;
}

int rc_raft_apply_conf_change(rc_raft *r, const rc_conf_change_v2 *cc, rc_conf_state *cs)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    rc_changer ch = {&r->trk, rc_log_last_index(&r->raft_log)};
    rc_tracker_config cfg;
    rc_progress_map prs;
    memset(&cfg, 0, sizeof(cfg));
    memset(&prs, 0, sizeof(prs));
    char *err = NULL;
    bool auto_leave = false;
    int rc;
    if (rc_cc_v2_leave_joint(cc))
        rc = rc_changer_leave_joint(&ch, &cfg, &prs, &err);
    else if (rc_cc_v2_enter_joint(cc, &auto_leave))
        rc = rc_changer_enter_joint(&ch, auto_leave, cc->changes, cc->n_changes, &cfg, &prs, &err);
    else
        rc = rc_changer_simple(&ch, cc->changes, cc->n_changes, &cfg, &prs, &err);
    if (rc != RC_OK) {
        if (rc == RC_ERR_NOMEM && err == NULL)
            return rc_raft_check(r, rc);
        rc = rc_raft_panic(r, "%s", err != NULL ? err : "conf change failed");
        rc_free(err);
        return rc;
    }
    rc = rc_raft_switch_to_config(r, &cfg, &prs, cs);
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    return rc;
}

int rc_raft_applied_to(rc_raft *r, uint64_t index, uint64_t size)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    uint64_t old = r->raft_log.applied;
    uint64_t new_applied = index > old ? index : old;
    RC_TRY(rc_raft_check(r, rc_log_applied_to(&r->raft_log, new_applied, size)));
    if (!(r->trk.config.auto_leave && new_applied >= r->pending_conf_index &&
          r->state == RC_STATE_LEADER))
        return RC_OK;
    rc_entry e;
    memset(&e, 0, sizeof(e));
    e.type = RC_ENTRY_CONF_CHANGE_V2;
    rc_message m = rc_message_zero;
    m.type = RC_MSG_PROP;
    m.entries = &e;
    m.n_entries = 1;
    int rc = rc_raft_step(r, &m);
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    char *cfgs = rc_raft_config_str(r);
    if (rc != RC_OK)
        rc_logf(&r->logger, RC_LOG_DEBUG,
                "not initiating automatic transition out of joint configuration %s: %s",
                cfgs != NULL ? cfgs : "",
                rc == RC_ERR_PROPOSAL_DROPPED ? "raft proposal dropped" : "error");
    else
        rc_logf(&r->logger, RC_LOG_INFO, "initiating automatic transition out of joint configuration %s",
                cfgs != NULL ? cfgs : "");
    rc_free(cfgs);
    return RC_OK;
}

int rc_raft_applied_snap(rc_raft *r, const rc_snapshot *snap)
{
    if (rc_raft_is_failed(r))
        return RC_ERR_FAILED;
    uint64_t index = snap->metadata.index;
    rc_log_stable_snap_to(&r->raft_log, index);
    return rc_raft_applied_to(r, index, 0);
}
