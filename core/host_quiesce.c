/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * host_quiesce.c: when a group of a multi-raft host may stop ticking (docs/multiraft.md,
 * "Quiescence"). These predicates only read raft state: quiescence withholds ticks, it never
 * changes what raft does with a message.
 */
#include "host.h"

/* The log is settled: no unstable or unapplied entries, no snapshot in flight, no pending
 * reads, a non-joint configuration. (Messages waiting to be sent are allowed.) */
static bool log_is_settled(const rc_rawnode *rn)
{
    const rc_raft *r = rn->raft;
    const rc_raft_log *l = &r->raft_log;
    if (rc_raft_is_failed(r))
        return false;
    if (rc_log_has_next_or_in_progress_unstable_ents(l) ||
        rc_log_has_next_or_in_progress_snapshot(l))
        return false;
    uint64_t last = rc_log_last_index(l);
    if (l->committed != last || l->applied != last || l->applying != last)
        return false;
    if (r->read_only.n_pending > 0 || r->pending_read_index_messages.n > 0 ||
        r->read_states.n > 0)
        return false;
    /* A joint configuration waits for its automatic leave; keep ticking through it. */
    return r->trk.config.voters.outgoing.n == 0 && r->trk.config.learners_next.n == 0;
}

bool rc_host_leader_can_quiesce(const rc_rawnode *rn)
{
    const rc_raft *r = rn->raft;
    if (r->state != RC_STATE_LEADER || r->lead_transferee != RC_NONE)
        return false;
    /* No Ready pending or buildable: nothing left to send or persist. */
    if (rn->ready_pending || rc_rawnode_has_ready(rn) || rc_rawnode_acks_pending(rn) ||
        !log_is_settled(rn))
        return false;
    uint64_t last = rc_log_last_index(&r->raft_log);
    const rc_progress_map *prs = &r->trk.progress;
    bool voter = false;
    for (size_t i = 0; i < prs->n; i++) {
        if (prs->v[i].pr.match != last)
            return false;
        voter = voter || (prs->v[i].id == r->id && !prs->v[i].pr.is_learner);
    }
    /* A leader removed from (or demoted in) its config keeps heartbeating until it steps down
     * or is destroyed: its followers, asleep, would otherwise wait for it forever. */
    return voter;
}

bool rc_host_follower_can_quiesce(const rc_rawnode *rn, uint64_t from, uint64_t term,
                                  uint64_t commit)
{
    const rc_raft *r = rn->raft;
    /* from == RC_NONE: a follower that knows no leader must tick (and campaign); found by
     * the simulator's hostile mode (docs/testing.md, seed 7000093). */
    if (r->state != RC_STATE_FOLLOWER || from == RC_NONE || r->lead != from || r->term != term)
        return false;
    if (r->raft_log.committed != commit)
        return false;
    return log_is_settled(rn);
}
