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
#include "strbuf.h"

typedef enum rc_progress_state {
    RC_PROGRESS_PROBE = 0, RC_PROGRESS_REPLICATE = 1, RC_PROGRESS_SNAPSHOT = 2
} rc_progress_state;

typedef struct rc_progress {
    uint64_t match, next;
    uint64_t sent_commit;      /* highest commit index sent to the follower */
    uint64_t pending_snapshot;
    rc_progress_state state;
    bool recent_active;
    bool msg_app_flow_paused;
    bool is_learner;
    rc_inflights inflights;
} rc_progress;

/* "StateProbe" / "StateReplicate" / "StateSnapshot". */
const char *rc_progress_state_name(rc_progress_state s);

/* A fresh progress as the changer creates it: StateProbe, match=0, next as given, recently
 * active, not paused, with an empty (unallocated) inflights window of the given limits. */
void rc_progress_init(rc_progress *pr, uint64_t next, size_t max_inflight,
                      uint64_t max_inflight_bytes, bool is_learner);
/* Deep copy (the inflights buffer is duplicated). RC_ERR_NOMEM leaves *dst with empty
 * inflights, safe to free. */
int rc_progress_clone(rc_progress *dst, const rc_progress *src);

void rc_progress_reset_state(rc_progress *pr, rc_progress_state state);
void rc_progress_become_probe(rc_progress *pr);
void rc_progress_become_replicate(rc_progress *pr);
void rc_progress_become_snapshot(rc_progress *pr, uint64_t snapshot_index);
/* etcd's SentEntries: a MsgApp with `entries` entries starting at next and `bytes` payload bytes
 * was sent. Replicate: next += entries, the last index goes in flight (if entries > 0), paused
 * iff the window is full. Probe: paused iff entries > 0. Returns 0, RC_ERR_NOMEM, or
 * RC_ERR_FAILED in Snapshot state or when the window was already full with entries > 0 (etcd
 * panics in both). */
int rc_progress_sent_entries(rc_progress *pr, uint64_t entries, uint64_t bytes);
bool rc_progress_can_bump_commit(const rc_progress *pr, uint64_t index);
void rc_progress_sent_commit(rc_progress *pr, uint64_t commit);
bool rc_progress_maybe_update(rc_progress *pr, uint64_t n);
bool rc_progress_maybe_decr_to(rc_progress *pr, uint64_t rejected, uint64_t match_hint);
bool rc_progress_is_paused(const rc_progress *pr);
/* etcd's Progress.String(): "StateReplicate match=11 next=15 paused inflight=3[full]".
 * Writes into buf (always NUL-terminated); returns the length it wanted. */
int rc_progress_format(char *buf, size_t size, const rc_progress *pr);
/* Appends the same text to b. */
void rc_progress_append(rc_strbuf *b, const rc_progress *pr);
/* Releases the inflights buffer. */
void rc_progress_free(rc_progress *pr);

#endif
