/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * tracker.h: the configuration (voters, learners, learners_next, auto_leave), the progress map
 * and the votes of an election (etcd's tracker.ProgressTracker).
 */
#ifndef RC_TRACKER_H
#define RC_TRACKER_H

#include <stdbool.h>
#include <stdint.h>
#include "progress.h"
#include "quorum.h"
#include "strbuf.h"
#include "types.h"

typedef struct rc_tracker_config {
    rc_joint voters;
    rc_majority learners;      /* empty set prints nothing */
    rc_majority learners_next;
    bool auto_leave;
} rc_tracker_config;

typedef struct rc_progress_entry { uint64_t id; rc_progress pr; } rc_progress_entry;

/* Progress map sorted by id ascending. */
typedef struct rc_progress_map {
    rc_progress_entry *v;
    size_t n, cap;
} rc_progress_map;

typedef struct rc_vote_entry { uint64_t id; bool granted; } rc_vote_entry;

typedef struct rc_tracker {
    rc_tracker_config config;
    rc_progress_map progress;
    rc_vote_entry *votes; size_t n_votes, cap_votes; /* sorted by id */
    size_t max_inflight;
    uint64_t max_inflight_bytes;
} rc_tracker;

int rc_tracker_config_copy(rc_tracker_config *dst, const rc_tracker_config *src);
void rc_tracker_config_free(rc_tracker_config *c);
/* etcd's Config.String(): "voters=(1 2 3)&&(1) learners=(4) learners_next=(3) autoleave".
 * Heap string (rc_free) or NULL. */
char *rc_tracker_config_string(const rc_tracker_config *c);
/* Appends the same text to b. */
void rc_tracker_config_format(rc_strbuf *b, const rc_tracker_config *c);
/* The ConfState equivalent of the config (voters, learners, voters_outgoing, learners_next
 * sorted ascending). */
int rc_tracker_config_to_conf_state(rc_conf_state *out, const rc_tracker_config *c);

rc_progress *rc_progress_map_get(const rc_progress_map *m, uint64_t id);
/* Inserts (or replaces) id; returns a pointer to the stored progress or NULL on NOMEM.
 * Ownership: *pr is copied by value and the map takes over its inflights buffer (a replaced
 * progress is freed); the caller must not rc_progress_free(pr) afterwards. On NULL the buffer
 * still belongs to the caller. Pointers into the map are invalidated by put/delete. */
rc_progress *rc_progress_map_put(rc_progress_map *m, uint64_t id, const rc_progress *pr);
/* Removes id (no-op if absent), freeing its progress. */
void rc_progress_map_delete(rc_progress_map *m, uint64_t id);
int rc_progress_map_copy(rc_progress_map *dst, const rc_progress_map *src);
void rc_progress_map_free(rc_progress_map *m);
/* etcd's ProgressMap.String(): "%d: <Progress>\n" per id ascending. Heap string or NULL. */
char *rc_progress_map_string(const rc_progress_map *m);
void rc_progress_map_format(rc_strbuf *b, const rc_progress_map *m);

void rc_tracker_init(rc_tracker *t, size_t max_inflight, uint64_t max_inflight_bytes);
void rc_tracker_free(rc_tracker *t);
/* Replaces the tracker's config and progress map with *cfg / *prs (e.g. a changer's result),
 * freeing the old ones. Takes ownership: *cfg and *prs are zeroed. Votes are kept. */
void rc_tracker_set_config(rc_tracker *t, rc_tracker_config *cfg, rc_progress_map *prs);
/* Committed index per the joint config over progress Match values. */
uint64_t rc_tracker_committed(const rc_tracker *t);
bool rc_tracker_is_singleton(const rc_tracker *t);
bool rc_tracker_is_voter(const rc_tracker *t, uint64_t id); /* in incoming or outgoing */
/* Whether a quorum of voters is RecentActive (etcd's QuorumActive). */
bool rc_tracker_quorum_active(const rc_tracker *t);
/* Sorted ids of voters (incoming ∪ outgoing) / of every tracked peer (voters and learners). */
int rc_tracker_voter_ids(rc_ids *out, const rc_tracker *t);
int rc_tracker_all_ids(rc_ids *out, const rc_tracker *t); /* = the progress map's ids */
/* Sorted learner ids (empty when none). All *_ids return 0 or RC_ERR_NOMEM; free with
 * rc_ids_free. */
int rc_tracker_learner_ids(rc_ids *out, const rc_tracker *t);
void rc_tracker_reset_votes(rc_tracker *t);
int rc_tracker_record_vote(rc_tracker *t, uint64_t id, bool granted); /* first vote sticks */
/* Tallies votes: *granted, *rejected counts, returns the joint vote result. */
rc_vote_result rc_tracker_tally_votes(const rc_tracker *t, size_t *granted, size_t *rejected);

#endif
