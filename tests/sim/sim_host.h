/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_host.h: raftc-sim's multi-raft mode (--hosts): 3 to 5 raftc hosts, each holding many raft
 * groups (raftc_host_*), whose envelopes (multiraftpb.Envelope, one per destination per host
 * Ready) travel through the simulator's faulty network; whole hosts crash and restart from
 * what they persisted (raftc_host_load_group), groups snapshot and compact
 * (raftc_host_create_snapshot, raftc_host_compact) and change membership, quiescence is on for
 * half the seeds, with dedicated quiet-partition scenarios. Every group's safety is checked as
 * the single-group mode checks its one group (sim_host_check.c). Shares sim.h's run state S for
 * the seed, the random source, the options, the trace and the failure jump. With --disk, each
 * host also persists through a raftc_hoststore on an in-memory machine whose power is cut in
 * half the crashes, and restarts from it (checked against what the simulator knows persisted).
 */
#ifndef RAFTC_SIM_HOST_H
#define RAFTC_SIM_HOST_H

#include "sim.h"

#define SH_MAX_HOSTS 5
#define SH_MAX_GROUPS 64

/* One replica: group g's state on one host (its durable copy and its state machine). */
typedef struct sh_replica {
    bool exists;             /* created on this host and not removed */
    bool retired;            /* removed for good (never created again) */
    bool initial;            /* bootstrapped at start (re-bootstraps if it lost everything) */
    bool was_member;         /* appeared in a committed config of its group */
    raftc_memstorage *disk;  /* what the host persisted for the group (its "disk") */
    sim_sm sm;               /* its state machine (sim_sm.h) */
    bool cc_applied;         /* a conf change applied in the current host Ready */
} sh_replica;

typedef struct sh_host {
    raftc_host *h; /* NULL while down */
    raftc_hoststore *hs; /* --disk: its durable storage on in-memory machine (index + 1) */
    uint32_t incarnation;
    bool panicked;
    sh_replica r[SH_MAX_GROUPS];
    uint64_t quiet_since; /* S.now when its last group went quiet (0: awake groups) */
} sh_host;

/* What the checker knows of one group. */
typedef struct sh_group {
    uint64_t id;          /* group id (index + 1) */
    uint64_t voters[SH_MAX_HOSTS];
    size_t n_voters;      /* its bootstrap voters */
    uint32_t ever;        /* bit (host id - 1): hosts ever proposed for it (never re-added) */
    sim_commit *commits;
    size_t cap_commits;
    uint64_t max_committed;
    uint64_t *term_leader;
    size_t cap_term_leader;
    uint64_t latest_cc_index;
    uint32_t latest_members; /* bit (host id - 1) per member of the newest committed config */
    uint64_t marker_applied; /* newest payload applied (heal windows) */
} sh_group;

/* Hostile injections (--hostile): stale replays (accepted), misaddressed envelopes and random
 * bytes (all refused). */
typedef struct sh_hostile_totals {
    uint64_t replayed, misaddressed, garbage;
} sh_hostile_totals;

typedef struct sh_state {
    int n_hosts, n_groups;
    bool quiesce;
    int fd_delay;            /* ticks before the failure detector reports an unreachable host */
    uint64_t unreachable_since[SH_MAX_HOSTS][SH_MAX_HOSTS]; /* [observer][peer], 0: reachable */
    sh_host hosts[SH_MAX_HOSTS];
    sh_group groups[SH_MAX_GROUPS];
    sim_queue net;           /* envelopes in flight, from and to host indexes (sim_host_net.c) */
    bool blocked[SH_MAX_HOSTS][SH_MAX_HOSTS];
    /* (group, index, term) -> entry hash, for log matching on persisted storage */
    sim_ents ents;
    /* stats */
    uint64_t n_power_cuts, n_checkpoints, n_saves, n_fsyncs;
    sh_hostile_totals hostile;
    uint64_t n_envelopes, n_env_dropped, n_host_crashes, n_quiet_scenarios, n_wake_peer,
        n_all_quiet, n_snap_reports;
} sh_state;

extern sh_state H;

/* --- sim_host.c --- */
/* Runs one seed of the multi-raft mode (S is set up by the caller); 0 passed, 1 failed. */
int sim_host_run(void);
/* --disk: power cuts over every run so far. */
uint64_t sim_host_total_power_cuts(void);
/* Whether host index i is up. */
bool sim_host_up(int i);
/* The group's node on host i (NULL if down or absent); status only, no wake-up. */
raftc_node *sim_host_node(int i, int g);
/* raftc_node_status_info of replica (i, g), all zero when absent. */
void sim_host_status(int i, int g, uint64_t *st);
/* The host index leading group g at the highest term, or -1. */
int sim_host_top_leader(int g);
/* Crashes host i (maybe between persisting and sending: see sim_host.c) / restarts it. */
void sim_host_crash(int i);
void sim_host_restart(int i);
/* Snapshots replica (i, g) at its applied index and compacts part of its log (host + disk). */
void sim_host_snapshot(int i, int g, bool compact);
/* Removes replica (i, g) for good (host and disk). */
void sim_host_retire(int i, int g, const char *why);
/* Creates an empty replica of g on host i (to be added by a conf change). */
void sim_host_add_replica(int i, int g);
/* Fails the run if rc is not RAFTC_OK, with the host's last error. */
void sim_host_ck(int rc, const char *what, int i);

/* --- sim_host_net.c --- */
void sim_host_net_send(int from, uint64_t to, const uint8_t *buf, size_t len);
void sim_host_net_deliver_due(void);
void sim_host_net_heal(void);
void sim_host_net_partition(void);
/* Isolates host i both ways. */
void sim_host_net_isolate(int i);
/* Adds the run's hostile counts to sh_hostile_total and frees the run's replay ring. */
void sim_host_hostile_end_run(void);
extern sh_hostile_totals sh_hostile_total;
/* Whether host a's envelopes reach host b (both up, no cut). */
bool sim_host_net_reaches(int a, int b);

/* --- sim_host_actions.c --- */
void sim_host_actions_step(void);
/* Proposes the next payload in group g at host i (dropped proposals are not errors). */
void sim_host_propose(int i, int g);
void sim_host_membership_gc(void);
/* The conf state lists of replica (i, g)'s current config (all empty when absent). */
void sim_host_conf_of(int i, int g, sim_conf *c);

/* --- sim_host_check.c --- */
void sim_host_check_persisted(int i, int g, const uint8_t *const *ents, const size_t *lens,
                              size_t n);
void sim_host_check_apply(int i, int g, uint64_t index, uint64_t term, int type,
                          const uint8_t *data, size_t len);
void sim_host_check_sm_restore(int i, int g);
/* Election safety and leader completeness of every group; no failed group. */
void sim_host_check_step(void);
/* Pairwise log matching over every replica's disk. */
void sim_host_check_full_logs(void);
/* End of run: every group converged, every member holds every committed payload once. */
void sim_host_check_final(void);
/* Records the config a conf change at index of group g produced. */
void sim_host_note_config(int g, uint64_t index, const uint8_t *cs, size_t len);
/* Frees the checker's tables. */
void sim_host_check_free(void);

#endif /* RAFTC_SIM_HOST_H */
