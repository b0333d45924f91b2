/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim.h: shared state of raftc-sim, a deterministic, seeded fault simulator over raftc.h.
 *
 * One run = one seed: a cluster of 3..7 nodes on a virtual clock and network (loss,
 * duplication, reordering, delay, partitions), crashes and restarts from what was persisted,
 * snapshots, membership changes, leadership transfer and ReadIndex, with safety checks after
 * every step and liveness checks after periodic heal windows. The simulator uses raftc.h only.
 */
#ifndef RAFTC_SIM_H
#define RAFTC_SIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "raftc.h"
#include "sim_ents.h"
#include "sim_queue.h"
#include "sim_sm.h"

#define SIM_MAX_IDS 64     /* node ids ever allocated in one run (ids 1..64) */
#define SIM_MAX_LIVE 7     /* non-retired nodes at once */
#define SIM_MIN_VOTERS 3   /* membership changes keep at least this many voters */
#define SIM_TRACE_LEN 200  /* events kept for the failure trace (default) */
#define SIM_UNITS_PER_TICK 4
/* Liveness bound: after a heal, a leader must commit a new proposal within this many election
 * timeouts (randomized timeouts make a run of split or futile elections possible, rarely). */
#define SIM_LIVENESS_TIMEOUTS 20

/* Command line. Every fault kind is enabled unless switched off. */
typedef struct sim_opts {
    uint64_t seed;
    uint64_t steps;
    int nodes;          /* 0 = chosen from the seed (3..7) */
    bool loss, dup, reorder, partition, crash, snapshot, confchange, transfer, readindex;
    uint64_t soak;      /* 0 = one run; N = seeds seed..seed+N-1 */
    const char *inject; /* checker self-test: "diverge", "dup", "stall" or NULL */
    bool quiet;
    size_t trace_len; /* --trace-len: events in the failure trace */
    int hostile_pm;   /* --hostile PM: hostile injections at up to PM per mille of deliveries
                       * (up to 10000; 0 = off) */
    bool disk;        /* --disk: nodes on disk storages over in-memory machines (sim_disk.c) */
    bool async_writes; /* --async-writes (with --disk): async storage writes through the disk
                        * storage's writer thread */
    bool multiraft;    /* --multiraft: raftc hosts with many groups each (sim_host.h) */
    int hosts;         /* --hosts N (3..5; 0 = from the seed) */
    int groups;        /* --groups N (1..64; 0 = from the seed, 16..64) */
    int quiesce;       /* --quiesce / --no-quiesce (-1 = from the seed) */
} sim_opts;

/* Per-run parameters derived from the seed. */
typedef struct sim_params {
    int nodes;
    bool pre_vote, check_quorum, step_down_on_removal;
    int election, heartbeat;
    uint64_t max_size_per_msg, max_inflight, max_committed_size;
    int loss_pm, dup_pm;   /* per mille per message */
    int max_delay;         /* units */
    int hostile_pm;        /* hostile injections per genuine delivery, per mille (0 = off) */
} sim_params;

enum sim_slot_state { SLOT_UNUSED = 0, SLOT_UP, SLOT_DOWN, SLOT_RETIRED };

/* A read waiting for the state machine to reach its index. */
typedef struct sim_wait_read {
    uint64_t read_id, index;
} sim_wait_read;

/* One node: its persisted storage, the live raft node (NULL while down) and its state
 * machine (the payload ids applied, in order, plus the config as of the applied index). */
typedef struct sim_slot {
    uint64_t id;
    int state;
    raftc_memstorage *ms;    /* with --disk: the disk storage's in-memory copy (borrowed) */
    raftc_diskstorage *ds;   /* --disk only */
    raftc_node *node;
    uint32_t incarnation;
    sim_sm sm;           /* its state machine (sim_sm.h) */
    sim_wait_read *reads;
    size_t n_reads, cap_reads;
    bool panicked;
    bool was_member; /* appeared in a committed config */
    bool initial; /* bootstrapped at start (re-bootstraps if it lost everything) */
} sim_slot;

/* What the cluster knows committed at an index (learned from applications). */
typedef struct sim_commit {
    uint64_t term, hash, id;
    uint64_t obs_term; /* max term in the cluster when first applied: commit term <= this */
    bool set;
} sim_commit;

typedef struct sim_read {
    uint64_t node, min_index;
    bool served;
} sim_read;

/* Hostile messages injected (sim_hostile.c). */
typedef struct sim_hostile_totals {
    uint64_t replayed, forged, mutated, mutants_accepted;
} sim_hostile_totals;

typedef struct sim {
    sim_opts opts;
    sim_params p;
    uint64_t rng;
    uint64_t step, now;
    sim_slot slots[SIM_MAX_IDS];
    int n_ids; /* ids 1..n_ids allocated */
    bool blocked[SIM_MAX_IDS][SIM_MAX_IDS];
    sim_queue net; /* messages in flight (sim_net.c) */
    /* checks */
    sim_commit *commits;
    size_t cap_commits;
    uint64_t max_committed;
    uint64_t *id_index; /* payload id -> index it was applied at (0 = not yet) */
    size_t cap_id_index;
    uint64_t next_payload;
    uint64_t max_applied_payload; /* highest payload id applied anywhere */
    uint64_t heal_first_payload;  /* payloads from this id on were proposed after the heal */
    uint64_t latest_cc_index;
    uint64_t latest_cc_ids[4 * SIM_MAX_IDS];
    size_t n_latest_cc_ids; /* newest committed conf change (first applied anywhere) */
    uint64_t *term_leader;
    size_t cap_term_leader;
    sim_ents ents; /* log matching (sim_check.c: group 0) */
    sim_read *reads;
    size_t n_reads, cap_reads;
    /* heal / liveness */
    bool healing;
    bool quiesce; /* final convergence: no new proposals, reads or changes */
    uint64_t heal_deadline, next_heal_step, marker_id, marker_proposed_at;
    int heals_ok;
    /* stats */
    uint64_t n_crashes, n_restarts, n_snapshots, n_confchanges, n_transfers, n_reads_served,
        n_proposals_applied, n_partitions, n_delivered, n_dropped, n_power_cuts;
    sim_hostile_totals hostile;
    /* scratch */
    raftc_sink *sk_a, *sk_b, *sk_c;
    /* failure */
    jmp_buf fail_jmp;
    char fail_msg[512];
    /* trace ring */
    char **trace;
    size_t trace_cap;
    size_t trace_pos;
    uint64_t trace_count;
} sim;

extern sim S;

/* Every function below works on the single run state S. A failed check or an unexpected
 * library error calls sim_fail, which does not return (the run loop reports the failure). */

/* --- sim_util.c --- */
/* The run's deterministic random source (splitmix64 over S.rng, seeded from the seed). */
uint64_t sim_rand(void);
/* Uniform in [0, n) (n > 0). */
uint64_t sim_below(uint64_t n);
/* true with probability pm / 1000. */
bool sim_chance(int pm);
/* malloc/realloc that never return NULL: out of memory exits the process with status 2. */
void *sim_xmalloc(size_t n);
void *sim_xrealloc(void *p, size_t n);
/* Grows *p (elements of size elem, capacity *cap) to hold at least need elements, zeroing new
 * space. */
void sim_grow(void **p, size_t *cap, size_t need, size_t elem);
/* A uniformly random element of v[0..n) other than avoid (n <= SIM_MAX_IDS), or 0 if there
 * is none. */
uint64_t sim_pick(const uint64_t *v, size_t n, uint64_t avoid);
/* Folds the n bytes at p into the hash h and returns the new hash. */
uint64_t sim_hash(uint64_t h, const void *p, size_t n);
/* Records one event line in the trace ring (printf-style). */
void sim_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records a heap string (raftc_free'd here) with a prefix. */
void sim_trace_owned(const char *prefix, char *text);
/* Prints the trace ring (oldest first) to stderr; sim_trace_clear empties it. */
void sim_trace_dump(void);
void sim_trace_clear(void);
/* Fails the run: records the reason and jumps back to the run loop. */
_Noreturn void sim_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fails the run if rc is not RAFTC_OK (what names the call; s, may be NULL, the node). */
void sim_ck(int rc, const char *what, const sim_slot *s);

/* --- sim_config.c --- */
/* Sets the raft options the seed decided (S.p: timeouts, flow control, PreVote, CheckQuorum,
 * StepDownOnRemoval) on cfg, for a node or a host; its random seed derives from the run's seed,
 * id (the node's, or the host's) and incarnation (restarts so far). */
void sim_config_set_params(raftc_config *cfg, uint64_t id, uint32_t incarnation);

/* --- sim_storage.c --- */
/* Decodes the HardState persisted in ms into term, vote and commit (each may be NULL; left
 * as they are when ms has none). Returns raftc_memstorage_initial_state's code. Uses S.sk_a. */
int sim_storage_hard_state(raftc_memstorage *ms, uint64_t *term, uint64_t *vote, uint64_t *commit);

/* --- sim_node.c --- */
/* The slot of an allocated id, or NULL (0 or beyond S.n_ids). */
sim_slot *sim_slot_of(uint64_t id);
/* Allocates a new id with fresh storage and a running node (no bootstrap). NULL if out of ids. */
sim_slot *sim_node_add(void);
/* Creates s's raft node over its storage with the run's parameters (Applied = s->applied) and
 * marks it UP. */
void sim_node_start(sim_slot *s);
/* Frees s's raft node and in-memory state machine, keeping its storage (what was persisted);
 * s is DOWN until sim_node_restart. With --disk the crash is a power cut half of the time (the
 * seeded RNG). */
void sim_node_crash(sim_slot *s);
/* How a crash of a --disk node ends (sim_node_crash_as, sim_disk_crash). */
enum { SIM_CRASH_DRAW = -1, SIM_CRASH_PROCESS = 0, SIM_CRASH_POWER = 1 };
/* sim_node_crash with the kind of crash given (SIM_CRASH_DRAW: drawn, as sim_node_crash). */
void sim_node_crash_as(sim_slot *s, int kind);
/* Frees everything of s for good (sim_slot_free); s is RETIRED. why goes to the trace. */
void sim_node_retire(sim_slot *s, const char *why);
/* Restarts a crashed s: state machine from its storage's snapshot, a new node (bootstrapped
 * again if it crashed before persisting its bootstrap). */
void sim_node_restart(sim_slot *s);
/* Runs every Ready of the node until it has none. */
void sim_node_drain(sim_slot *s);
/* The application's side of a Ready (sim_node.c, also used by sim_disk.c): applies one
 * committed entry (raftpb bytes), serves the reads its applied index allows, restores the state
 * machine from a snapshot. */
void sim_node_apply_entry(sim_slot *s, const uint8_t *buf, size_t len);
void sim_node_serve_reads(sim_slot *s);
void sim_node_sm_restore(sim_slot *s, const uint8_t *snap, size_t snap_len);
/* raftc_node_status_info of s into st[RAFTC_ST_COUNT]; all zero while s has no node. */
void sim_node_status(const sim_slot *s, uint64_t *st);
/* Snapshots s's state machine at its applied index into its storage and compacts part of the
 * log; does nothing if s is down or has nothing new applied. */
void sim_node_snapshot(sim_slot *s);
/* The number of UP or DOWN (not retired) slots. */
int sim_count_live(void);
/* Frees s's node, storage and state machine (the slot itself stays in S). */
void sim_slot_free(sim_slot *s);

/* --- sim_disk.c --- (--disk) */
/* Switches the in-memory machines on afresh for a run / off (freeing them) after it. */
void sim_disk_begin_run(void);
void sim_disk_end_run(void);
/* Opens s's disk storage on its machine; s->ms becomes its in-memory copy. */
void sim_disk_open(sim_slot *s);
/* Frees s's disk storage (s->ds and s->ms become NULL). */
void sim_disk_free(sim_slot *s);
/* After s's node was freed: cuts the power of s's machine if kind says so (SIM_CRASH_DRAW: half
 * of the time), then frees and reopens its storage (recovery; a refused open fails the run). */
void sim_disk_crash(sim_slot *s, int kind);
/* One Ready of a node with async storage writes (--async-writes): its MsgStorageAppend goes to
 * the writer thread, and the simulator waits until the thread has persisted it and takes its
 * responses (so batches and runs stay deterministic), which are stepped or sent;
 * MsgStorageApply is applied; crash points as in the sync loop, where the crash with the
 * message in flight finds the thread done with it or not started on it, as the seeded RNG
 * says. false if the node crashed. */
bool sim_disk_async_ready(sim_slot *s, raftc_ready *rd, const uint64_t *info, int crash_point);
/* Fails the run if a disk storage call on s failed (with the storage's text). */
void sim_disk_check(const sim_slot *s, int rc, const char *what);

/* --- sim_net.c --- */
/* Queues a copy of the raftpb Message buf sent by from: subject to loss, duplication and
 * delay (reordering) unless healing. */
void sim_net_send(uint64_t from, const uint8_t *buf, size_t len);
/* Delivers the messages due at S.now in (time, send order) order; a message to a node that is
 * down or cut off by a partition is dropped. */
void sim_net_deliver_due(void);
/* Removes all partitions. */
void sim_net_heal(void);
/* Replaces the partitions with a new random one (a split, an isolated node or one-way cuts);
 * with fewer than two live nodes it only heals. */
void sim_net_partition(void);

/* --- sim_hostile.c --- */
/* After genuine message m was delivered: with the run's hostile rate, inject a replay, a forged
 * or a mutated message and check the receiver's answer (see the file's header). */
void sim_hostile_after_delivery(const sim_msg *m);
/* Adds the run's counts to sim_hostile_total and frees the run's replay ring. */
void sim_hostile_end_run(void);
extern sim_hostile_totals sim_hostile_total;

/* --- sim_check.c --- (the safety properties are listed at the top of sim_check.c) */
/* Checks entries s is about to persist against what is known committed and logged. */
void sim_check_persisted(sim_slot *s, const uint8_t *const *ents, const size_t *lens, size_t n);
/* Records s applying an entry at index and checks state machine safety and exactly-once. */
void sim_check_apply(sim_slot *s, uint64_t index, uint64_t term, int type, const uint8_t *data,
                     size_t len);
/* Checks a state machine s restored from a snapshot against what the cluster applied. */
void sim_check_sm_restore(sim_slot *s);
/* Checks a ReadState s returned (linearizability) and queues the read until s applies index. */
void sim_check_read_state(sim_slot *s, uint64_t read_id, uint64_t index);
/* The per-step checks: no failed node, election safety, leader completeness. */
void sim_check_step(void);
/* The pairwise log matching scan over every node's storage. */
void sim_check_full_logs(void);
/* The end-of-run convergence checks: one leader, every member caught up, every acknowledged
 * payload applied exactly once everywhere. */
void sim_check_final(void);
/* The payload id encoded in a proposal's data ('P' + 8-byte id + padding), or 0. */
uint64_t sim_payload_id(const uint8_t *data, size_t len);
/* The highest term of any UP node (its current term) or DOWN node (its persisted term). */
uint64_t sim_max_term(void);
/* The leader of the highest term, or NULL. */
sim_slot *sim_top_leader(void);
/* The conf state lists of a node's current config. */
typedef struct sim_conf {
    uint64_t voters[SIM_MAX_IDS], learners[SIM_MAX_IDS], outgoing[SIM_MAX_IDS],
        learners_next[SIM_MAX_IDS];
    size_t n_voters, n_learners, n_outgoing, n_learners_next;
    int auto_leave;
} sim_conf;
void sim_conf_of(const sim_slot *s, sim_conf *c);
/* Whether id is in any list of c. */
bool sim_conf_has(const sim_conf *c, uint64_t id);
/* A member etcd raft itself cannot bring back: without PreVote and CheckQuorum, a node whose
 * term is above the leader's ignores the leader, and if its stale config names none of the
 * current members, nothing ever reaches the leader either. Excluded from convergence. */
bool sim_stranded(const sim_slot *s, uint64_t leader_term);

/* --- sim_actions.c --- */
/* One step's random actions (proposals, reads, and unless healing or quiescing: conf changes,
 * transfers, crashes/restarts, snapshots, partitions), each enabled by its option. */
void sim_actions_step(void);
/* Proposes a new payload (the next payload id) at s; a dropped proposal is not an error. */
void sim_propose(sim_slot *s);
/* Retires nodes that can never be members again (removed by a committed conf change, or
 * outside the config of an up-to-date leader). */
void sim_membership_gc(void);
/* Records the config a conf change at index produced (raftpb ConfState bytes). */
void sim_note_config(uint64_t index, const uint8_t *cs, size_t len);

#endif /* RAFTC_SIM_H */
