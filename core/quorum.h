/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * quorum.h: majority and joint configurations (etcd's quorum package): committed index,
 * vote result, and the Describe text form.
 */
#ifndef RC_QUORUM_H
#define RC_QUORUM_H

#include <stdbool.h>
#include <stdint.h>
#include "strbuf.h"
#include "types.h"

#define RC_QUORUM_INDEX_INF UINT64_MAX /* printed as "∞" */

typedef enum rc_vote_result { RC_VOTE_PENDING = 1, RC_VOTE_LOST = 2, RC_VOTE_WON = 3 } rc_vote_result;

/* A set of voter ids, kept sorted ascending and unique. */
typedef struct rc_majority {
    uint64_t *ids;
    size_t n;
    size_t cap;
} rc_majority;

typedef struct rc_joint {
    rc_majority incoming; /* [0] */
    rc_majority outgoing; /* [1]; empty when not joint */
} rc_joint;

/* Acked-index lookup: returns true and sets *idx when id has a known value. */
typedef bool (*rc_acked_fn)(void *ud, uint64_t id, uint64_t *idx);
/* Vote lookup: returns true and sets *granted when id voted. */
typedef bool (*rc_vote_fn)(void *ud, uint64_t id, bool *granted);

int rc_majority_add(rc_majority *m, uint64_t id); /* idempotent */
void rc_majority_remove(rc_majority *m, uint64_t id);
bool rc_majority_contains(const rc_majority *m, uint64_t id);
int rc_majority_copy(rc_majority *dst, const rc_majority *src);
/* Builds *m (zeroed first) from ids in any order, repeats allowed, in O(n log n).
 * RC_ERR_NOMEM (then *m is empty). */
int rc_majority_from_ids(rc_majority *m, const uint64_t *ids, size_t n);
void rc_majority_free(rc_majority *m);
/* Empties the set, keeping its buffer. */
void rc_majority_clear(rc_majority *m);

uint64_t rc_majority_committed(const rc_majority *m, rc_acked_fn fn, void *ud);
/* The same over the acked values themselves: acked[i] is the i-th voter's (0 when it has none);
 * n <= RC_MAJORITY_ACKED_MAX. Sorts acked in place. */
#define RC_MAJORITY_ACKED_MAX 64
uint64_t rc_majority_committed_acked(uint64_t *acked, size_t n);
rc_vote_result rc_majority_vote_result(const rc_majority *m, rc_vote_fn fn, void *ud);
uint64_t rc_joint_committed(const rc_joint *j, rc_acked_fn fn, void *ud);
rc_vote_result rc_joint_vote_result(const rc_joint *j, rc_vote_fn fn, void *ud);
/* The union of both halves' ids (sorted, unique) into *out (caller frees with rc_majority_free). */
int rc_joint_ids(rc_majority *out, const rc_joint *j);

/* Text forms. The returned string is heap-allocated (rc_free) or NULL on NOMEM.
 * rc_majority_string: "(1 2 3)" with ids in %x. rc_joint_string: incoming[&&outgoing].
 * rc_majority_describe: etcd's MajorityConfig.Describe bar chart ("<empty majority quorum>"). */
char *rc_majority_string(const rc_majority *m);
char *rc_joint_string(const rc_joint *j);
char *rc_majority_describe(const rc_majority *m, rc_acked_fn fn, void *ud);
/* "VotePending" / "VoteLost" / "VoteWon". */
const char *rc_vote_result_name(rc_vote_result r);
/* Appending forms of rc_majority_string / rc_joint_string (strbuf errors are sticky). */
void rc_majority_format(rc_strbuf *b, const rc_majority *m);
void rc_joint_format(rc_strbuf *b, const rc_joint *j);

#endif
