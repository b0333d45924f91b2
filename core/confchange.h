/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * confchange.h: applying configuration changes to a tracker (etcd's confchange.Changer and
 * confchange.Restore). Every function works on copies: on success *out_cfg / *out_prs receive a
 * new config and progress map (caller frees); on failure they are left zeroed, the input is
 * untouched, and *err_text (when non-NULL) receives a heap string (rc_free) with etcd's error
 * text, e.g. "config is already joint".
 * Return codes: 0, RC_ERR_CONFCHANGE (refused; *err_text set), RC_ERR_NOMEM (*err_text NULL).
 * Node id 0 in a change is skipped, as in etcd. The tracker's max_inflight/max_inflight_bytes
 * size the inflights of new progresses.
 */
#ifndef RC_CONFCHANGE_H
#define RC_CONFCHANGE_H

#include "tracker.h"
#include "types.h"

typedef struct rc_changer {
    const rc_tracker *tracker; /* the current config, progress and inflight limits */
    uint64_t last_index;       /* new progresses start at next = max(last_index, 1) */
} rc_changer;

int rc_changer_enter_joint(const rc_changer *ch, bool auto_leave, const rc_cc_single *ccs,
                           size_t n, rc_tracker_config *out_cfg, rc_progress_map *out_prs,
                           char **err_text);
int rc_changer_leave_joint(const rc_changer *ch, rc_tracker_config *out_cfg,
                           rc_progress_map *out_prs, char **err_text);
int rc_changer_simple(const rc_changer *ch, const rc_cc_single *ccs, size_t n,
                      rc_tracker_config *out_cfg, rc_progress_map *out_prs, char **err_text);

/* Rebuilds config and progress from a ConfState (etcd's confchange.Restore) starting from the
 * (empty) tracker in ch. */
int rc_confchange_restore(const rc_changer *ch, const rc_conf_state *cs,
                          rc_tracker_config *out_cfg, rc_progress_map *out_prs, char **err_text);

/* etcd's ConfChangeV2.EnterJoint(): whether to enter a joint config (transition not Auto, or
 * more than one change) and whether with auto-leave (Auto and JointImplicit). auto_leave may be
 * NULL. An out-of-range transition (etcd panics) enters joint without auto-leave. */
bool rc_cc_v2_enter_joint(const rc_conf_change_v2 *cc, bool *auto_leave);
/* etcd's ConfChangeV2.LeaveJoint(): no changes and transition Auto (the context is ignored,
 * as etcd clears it before comparing with the zero value). */
bool rc_cc_v2_leave_joint(const rc_conf_change_v2 *cc);

#endif
