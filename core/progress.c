/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * progress.c: the leader's view of a follower (etcd's tracker.Progress) and its state machine.
 *
 * Invariant kept by every transition: match < next.
 */
#include "progress.h"

#include <stdio.h>

#include "types.h"

static uint64_t rc_u64_max(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t rc_u64_min(uint64_t a, uint64_t b) { return a < b ? a : b; }

const char *rc_progress_state_name(rc_progress_state s)
{
    switch (s) {
    case RC_PROGRESS_PROBE:
        return "StateProbe";
    case RC_PROGRESS_REPLICATE:
        return "StateReplicate";
    case RC_PROGRESS_SNAPSHOT:
        return "StateSnapshot";
    }
    return "StateUnknown";
}

void rc_progress_init(rc_progress *pr, uint64_t next, size_t max_inflight,
                      uint64_t max_inflight_bytes, bool is_learner)
{
    *pr = (rc_progress){0};
    pr->next = next;
    pr->is_learner = is_learner;
    /* A new peer counts as recently active, so that CheckQuorum does not step the leader down
     * before the peer had a chance to talk to it. */
    pr->recent_active = true;
    rc_inflights_init(&pr->inflights, max_inflight, max_inflight_bytes);
}

int rc_progress_clone(rc_progress *dst, const rc_progress *src)
{
    *dst = *src;
    return rc_inflights_clone(&dst->inflights, &src->inflights);
}

/* Moves to `state`, clearing the flow-control pause, the pending snapshot and the inflights. */
void rc_progress_reset_state(rc_progress *pr, rc_progress_state state)
{
    pr->msg_app_flow_paused = false;
    pr->pending_snapshot = 0;
    pr->state = state;
    rc_inflights_reset(&pr->inflights);
}

void rc_progress_become_probe(rc_progress *pr)
{
    if (pr->state == RC_PROGRESS_SNAPSHOT) {
        /* The snapshot was delivered (or at least sent): probe right after it. */
        uint64_t pending = pr->pending_snapshot;
        rc_progress_reset_state(pr, RC_PROGRESS_PROBE);
        pr->next = rc_u64_max(pr->match + 1, pending + 1);
    } else {
        rc_progress_reset_state(pr, RC_PROGRESS_PROBE);
        pr->next = pr->match + 1;
    }
    pr->sent_commit = rc_u64_min(pr->sent_commit, pr->next - 1);
}

void rc_progress_become_replicate(rc_progress *pr)
{
    rc_progress_reset_state(pr, RC_PROGRESS_REPLICATE);
    pr->next = pr->match + 1;
}

void rc_progress_become_snapshot(rc_progress *pr, uint64_t snapshot_index)
{
    rc_progress_reset_state(pr, RC_PROGRESS_SNAPSHOT);
    pr->pending_snapshot = snapshot_index;
    pr->next = snapshot_index + 1;
    pr->sent_commit = snapshot_index;
}

/* etcd's SentEntries: a MsgApp carrying `entries` entries (starting at next) with `bytes`
 * payload bytes was sent.
 * - Replicate: optimistically advance next past the entries and record them in flight. The
 *   flow pauses iff the window is now (or already was) full; an empty MsgApp adds nothing.
 * - Probe: a MsgApp carrying entries is a probe, so the flow pauses until the next heartbeat
 *   response or append response. An empty MsgApp (e.g. a commit-only update) does not pause:
 *   etcd keeps this older behaviour (a TODO there suggests pausing unconditionally), and the
 *   interaction transcripts depend on it.
 * - Snapshot: no appends are sent in this state; etcd panics. */
int rc_progress_sent_entries(rc_progress *pr, uint64_t entries, uint64_t bytes)
{
    switch (pr->state) {
    case RC_PROGRESS_REPLICATE:
        if (entries > 0) {
            pr->next += entries;
            int rc = rc_inflights_add(&pr->inflights, pr->next - 1, bytes);
            if (rc != RC_OK)
                return rc;
        }
        pr->msg_app_flow_paused = rc_inflights_full(&pr->inflights);
        return RC_OK;
    case RC_PROGRESS_PROBE:
        if (entries > 0)
            pr->msg_app_flow_paused = true;
        return RC_OK;
    default:
        return RC_ERR_FAILED;
    }
}

/* Sending commit index `index` can move the follower's commit only if it is above what was
 * already sent and what was sent does not already cover everything the follower has (next-1). */
bool rc_progress_can_bump_commit(const rc_progress *pr, uint64_t index)
{
    return index > pr->sent_commit && pr->sent_commit < pr->next - 1;
}

void rc_progress_sent_commit(rc_progress *pr, uint64_t commit)
{
    pr->sent_commit = commit;
}

/* An append response acknowledging index n. Returns false if it is stale (n <= match).
 * next only moves forward (etcd-io/raft#149): a late ack must not rewind entries already
 * in flight. */
bool rc_progress_maybe_update(rc_progress *pr, uint64_t n)
{
    if (n <= pr->match)
        return false;
    pr->match = n;
    pr->next = rc_u64_max(pr->next, n + 1);
    pr->msg_app_flow_paused = false;
    return true;
}

/* A rejection of the append at index `rejected`, with the follower's hint of its last index
 * that might match. Returns false if the rejection is stale and must be ignored.
 * - Replicate: stale iff rejected <= match. Otherwise next falls back to match + 1 (the hint is
 *   not used here, as in etcd).
 * - Probe (and Snapshot): only the single probe at next-1 is outstanding, so anything else is
 *   stale. Otherwise next = max(min(rejected, hint + 1), match + 1) and the flow resumes. */
bool rc_progress_maybe_decr_to(rc_progress *pr, uint64_t rejected, uint64_t match_hint)
{
    if (pr->state == RC_PROGRESS_REPLICATE) {
        if (rejected <= pr->match)
            return false;
        pr->next = pr->match + 1;
        pr->sent_commit = rc_u64_min(pr->sent_commit, pr->next - 1);
        return true;
    }
    if (pr->next - 1 != rejected)
        return false;
    pr->next = rc_u64_max(rc_u64_min(rejected, match_hint + 1), pr->match + 1);
    pr->sent_commit = rc_u64_min(pr->sent_commit, pr->next - 1);
    pr->msg_app_flow_paused = false;
    return true;
}

bool rc_progress_is_paused(const rc_progress *pr)
{
    switch (pr->state) {
    case RC_PROGRESS_PROBE:
    case RC_PROGRESS_REPLICATE:
        return pr->msg_app_flow_paused;
    case RC_PROGRESS_SNAPSHOT:
        return true;
    }
    return true;
}

int rc_progress_format(char *buf, size_t size, const rc_progress *pr)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_progress_append(&b, pr);
    if (!rc_strbuf_ok(&b)) {
        if (size > 0)
            buf[0] = '\0';
        rc_strbuf_free(&b);
        return -1;
    }
    int n = snprintf(buf, size, "%s", rc_strbuf_str(&b));
    rc_strbuf_free(&b);
    return n;
}

void rc_progress_append(rc_strbuf *b, const rc_progress *pr)
{
    rc_strbuf_printf(b, "%s match=%llu next=%llu", rc_progress_state_name(pr->state),
                     (unsigned long long)pr->match, (unsigned long long)pr->next);
    if (pr->is_learner)
        rc_strbuf_puts(b, " learner");
    if (rc_progress_is_paused(pr))
        rc_strbuf_puts(b, " paused");
    if (pr->pending_snapshot > 0)
        rc_strbuf_printf(b, " pendingSnap=%llu", (unsigned long long)pr->pending_snapshot);
    if (!pr->recent_active)
        rc_strbuf_puts(b, " inactive");
    size_t n = rc_inflights_count(&pr->inflights);
    if (n > 0) {
        rc_strbuf_printf(b, " inflight=%zu", n);
        if (rc_inflights_full(&pr->inflights))
            rc_strbuf_puts(b, "[full]");
    }
}

void rc_progress_free(rc_progress *pr)
{
    rc_inflights_free(&pr->inflights);
}
