/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * progress.h: a leader's view of one follower (etcd's tracker.Progress): Probe, Replicate and
 * Snapshot states and their transitions.
 */
#ifndef RC_PROGRESS_H
#define RC_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include "inflights.h"

typedef enum rc_progress_state {
    RC_PROGRESS_PROBE = 0, RC_PROGRESS_REPLICATE = 1, RC_PROGRESS_SNAPSHOT = 2
} rc_progress_state;

typedef struct rc_progress {
    uint64_t match, next;
    uint64_t sent_commit;      /* highest commit index sent to the follower */
    rc_progress_state state;
    uint64_t pending_snapshot;
    bool recent_active;
    bool msg_app_flow_paused;
    bool is_learner;
    rc_inflights inflights;
} rc_progress;

/* "StateProbe" / "StateReplicate" / "StateSnapshot". */
const char *rc_progress_state_name(rc_progress_state s);

void rc_progress_reset_state(rc_progress *pr, rc_progress_state state);
void rc_progress_become_probe(rc_progress *pr);
void rc_progress_become_replicate(rc_progress *pr);
void rc_progress_become_snapshot(rc_progress *pr, uint64_t snapshot_index);
/* Updates for an append of entries up to last_index with `bytes` payload bytes (SentEntries).
 * Returns 0 or an rc_err. */
int rc_progress_sent_entries(rc_progress *pr, uint64_t entries, uint64_t bytes);
bool rc_progress_can_bump_commit(const rc_progress *pr, uint64_t index);
void rc_progress_sent_commit(rc_progress *pr, uint64_t commit);
bool rc_progress_maybe_update(rc_progress *pr, uint64_t n);
bool rc_progress_maybe_decr_to(rc_progress *pr, uint64_t rejected, uint64_t match_hint);
bool rc_progress_is_paused(const rc_progress *pr);
/* etcd's Progress.String(): "StateReplicate match=11 next=15 paused inflight=3[full]".
 * Writes into buf (always NUL-terminated); returns the length it wanted. */
int rc_progress_format(char *buf, size_t size, const rc_progress *pr);
void rc_progress_free(rc_progress *pr);

#endif
