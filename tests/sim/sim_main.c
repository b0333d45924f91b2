/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_main.c: raftc-sim's command line, the per-seed run loop (steps on a virtual clock, heal
 * windows with the liveness check, final convergence) and soak mode.
 *
 * Usage: raftc-sim --seed N --steps M [--nodes K] [--no-loss] [--no-dup] [--no-reorder]
 *        [--no-partition] [--no-crash] [--no-snapshot] [--no-confchange] [--no-transfer]
 *        [--no-readindex] [--soak COUNT] [--quiet] [--inject diverge|dup|stall|unsynced]
 *        [--disk] [--async-writes]
 * --disk runs the nodes on disk storages over in-memory machines whose power is cut in crashes
 * (sim_disk.c). --multiraft [--hosts N] [--groups N] [--quiesce|--no-quiesce] runs 3..5 raftc
 * hosts holding many groups each instead of single nodes (sim_host.c).
 * A run is reproduced exactly by its seed and flags. Exit status 1 when a check failed (the
 * failure trace goes to stderr), 2 for usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_host.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: raftc-sim --seed N --steps M [--nodes K(3..7)] [--no-loss] [--no-dup]\n"
            "                 [--no-reorder] [--no-partition] [--no-crash] [--no-snapshot]\n"
            "                 [--no-confchange] [--no-transfer] [--no-readindex]\n"
            "                 [--soak COUNT] [--quiet] [--trace-len N]\n"
            "                 [--inject diverge|dup|stall|unsynced] [--hostile PM] [--disk]\n"
            "                 [--async-writes]\n"
            "       raftc-sim --multiraft [--hosts N(3..5)] [--groups N(1..64)]\n"
            "                 [--quiesce|--no-quiesce] [--disk] (and the options above but\n"
            "                 --nodes, --async-writes, --no-readindex)\n");
    exit(2);
}

static uint64_t parse_u64(const char *s)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (s[0] == '\0' || *end != '\0')
        usage();
    return (uint64_t)v;
}

static void parse_args(int argc, char **argv, sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->steps = 3000;
    o->quiesce = -1;
    o->loss = o->dup = o->reorder = o->partition = o->crash = o->snapshot = o->confchange =
        o->transfer = o->readindex = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0 && v) {
            o->seed = parse_u64(v);
            i++;
        } else if (strcmp(a, "--steps") == 0 && v) {
            o->steps = parse_u64(v);
            i++;
        } else if (strcmp(a, "--nodes") == 0 && v) {
            o->nodes = (int)parse_u64(v);
            if (o->nodes < 3 || o->nodes > SIM_MAX_LIVE)
                usage();
            i++;
        } else if (strcmp(a, "--soak") == 0 && v) {
            o->soak = parse_u64(v);
            i++;
        } else if (strcmp(a, "--inject") == 0 && v) {
            o->inject = v;
            i++;
        } else if (strcmp(a, "--hostile") == 0 && v) {
            o->hostile_pm = (int)parse_u64(v);
            if (o->hostile_pm < 1 || o->hostile_pm > 10000)
                usage();
            i++;
        } else if (strcmp(a, "--trace-len") == 0 && v) {
            o->trace_len = (size_t)parse_u64(v);
            i++;
        } else if (strcmp(a, "--multiraft") == 0) {
            o->multiraft = true;
        } else if (strcmp(a, "--hosts") == 0 && v) {
            o->hosts = (int)parse_u64(v);
            o->multiraft = true;
            if (o->hosts < 3 || o->hosts > SH_MAX_HOSTS)
                usage();
            i++;
        } else if (strcmp(a, "--groups") == 0 && v) {
            o->groups = (int)parse_u64(v);
            o->multiraft = true;
            if (o->groups < 1 || o->groups > SH_MAX_GROUPS)
                usage();
            i++;
        } else if (strcmp(a, "--quiesce") == 0) {
            o->quiesce = 1;
        } else if (strcmp(a, "--no-quiesce") == 0) {
            o->quiesce = 0;
        } else if (strcmp(a, "--disk") == 0) {
            o->disk = true;
        } else if (strcmp(a, "--async-writes") == 0) {
            o->async_writes = o->disk = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--no-loss") == 0) {
            o->loss = false;
        } else if (strcmp(a, "--no-dup") == 0) {
            o->dup = false;
        } else if (strcmp(a, "--no-reorder") == 0) {
            o->reorder = false;
        } else if (strcmp(a, "--no-partition") == 0) {
            o->partition = false;
        } else if (strcmp(a, "--no-crash") == 0) {
            o->crash = false;
        } else if (strcmp(a, "--no-snapshot") == 0) {
            o->snapshot = false;
        } else if (strcmp(a, "--no-confchange") == 0) {
            o->confchange = false;
        } else if (strcmp(a, "--no-transfer") == 0) {
            o->transfer = false;
        } else if (strcmp(a, "--no-readindex") == 0) {
            o->readindex = false;
        } else {
            usage();
        }
    }
}

/* Everything about a run that the seed decides (drawn in a fixed order). */
static void derive_params(void)
{
    sim_params *p = &S.p;
    static const uint64_t sizes[] = {RAFTC_NO_LIMIT, 0, 64, 1024};
    static const uint64_t inflight[] = {256, 1, 4, 16};
    static const uint64_t committed[] = {0, 64, 1u << 20};
    int nodes = 3 + (int)sim_below(5);
    p->nodes = S.opts.nodes ? S.opts.nodes : nodes;
    p->pre_vote = sim_below(2);
    p->check_quorum = sim_below(2);
    p->step_down_on_removal = sim_below(2);
    p->election = 5 + (int)sim_below(11);
    p->heartbeat = 1 + (int)sim_below(2);
    p->max_size_per_msg = sizes[sim_below(4)];
    p->max_inflight = inflight[sim_below(4)];
    p->max_committed_size = committed[sim_below(3)];
    p->loss_pm = S.opts.loss ? (int)sim_below(100) : 0;
    p->dup_pm = S.opts.dup ? (int)sim_below(50) : 0;
    p->max_delay = 2 + (int)sim_below(12);
    /* Drawn last, and only with --hostile, so that other runs keep their seeds' behaviour. */
    p->hostile_pm = S.opts.hostile_pm ? 1 + (int)sim_below((uint64_t)S.opts.hostile_pm) : 0;
}

static void print_config(FILE *f)
{
    const sim_opts *o = &S.opts;
    const sim_params *p = &S.p;
    fprintf(f,
            "raftc-sim seed=%llu steps=%llu nodes=%d prevote=%d checkquorum=%d "
            "stepdownonremoval=%d election=%d heartbeat=%d maxsizepermsg=%lld maxinflight=%llu "
            "maxcommittedsize=%llu loss=%d%% dup=%d%% maxdelay=%d units (tick=%d units) "
            "hostile=%d\n",
            (unsigned long long)o->seed, (unsigned long long)o->steps, p->nodes, p->pre_vote,
            p->check_quorum, p->step_down_on_removal, p->election, p->heartbeat,
            p->max_size_per_msg == RAFTC_NO_LIMIT ? -1LL : (long long)p->max_size_per_msg,
            (unsigned long long)p->max_inflight, (unsigned long long)p->max_committed_size,
            p->loss_pm / 10, p->dup_pm / 10, p->max_delay, SIM_UNITS_PER_TICK, p->hostile_pm);
    char nodes[16] = "";
    if (o->nodes)
        snprintf(nodes, sizeof nodes, " --nodes %d", o->nodes);
    char hostile[32] = "";
    if (o->hostile_pm)
        snprintf(hostile, sizeof hostile, " --hostile %d", o->hostile_pm);
    fprintf(f, "  reproduce: raftc-sim --seed %llu --steps %llu%s%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
            (unsigned long long)o->seed, (unsigned long long)o->steps,
            o->async_writes ? " --async-writes" : o->disk ? " --disk" : "",
            nodes,
            o->loss ? "" : " --no-loss", o->dup ? "" : " --no-dup",
            o->reorder ? "" : " --no-reorder", o->partition ? "" : " --no-partition",
            o->crash ? "" : " --no-crash", o->snapshot ? "" : " --no-snapshot",
            o->confchange ? "" : " --no-confchange", o->transfer ? "" : " --no-transfer",
            o->readindex ? "" : " --no-readindex", o->inject ? " --inject " : "",
            o->inject ? o->inject : "", hostile);
}

static uint64_t total_power_cuts; /* --disk, over a soak */

static void cleanup_run(void)
{
    total_power_cuts += S.n_power_cuts;
    sim_hostile_end_run();
    for (int i = 0; i < S.n_ids; i++)
        sim_slot_free(&S.slots[i]);
    if (S.opts.disk)
        sim_disk_end_run();
    sim_queue_free(&S.net);
    free(S.commits);
    free(S.id_index);
    free(S.term_leader);
    sim_ents_free(&S.ents);
    free(S.reads);
    sim_trace_clear();
}

static void tick_all(void)
{
    for (int i = 0; i < S.n_ids; i++)
        if (S.slots[i].state == SLOT_UP)
            sim_ck(raftc_node_tick(S.slots[i].node), "raftc_node_tick", &S.slots[i]);
}

/* Node states and the leader's progress into the trace (for liveness failures). */
static void trace_status(void)
{
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        uint64_t st[RAFTC_ST_COUNT];
        sim_node_status(s, st);
        char *cfg = NULL;
        if (s->node != NULL)
            raftc_node_status_config(&cfg, s->node);
        sim_trace("status n%llu: slot %d %s term %llu lead %llu commit %llu applied %llu "
                  "config %s",
                  (unsigned long long)s->id, s->state,
                  raftc_state_type_name((int)st[RAFTC_ST_RAFT_STATE]),
                  (unsigned long long)st[RAFTC_ST_TERM],
                  (unsigned long long)st[RAFTC_ST_LEAD],
                  (unsigned long long)st[RAFTC_ST_COMMIT],
                  (unsigned long long)s->sm.applied, cfg ? cfg : "-");
        raftc_free(cfg);
        char *pr = NULL;
        if (s->node != NULL && raftc_node_status_progress(&pr, s->node) == RAFTC_OK &&
            pr && pr[0])
            sim_trace("progress n%llu:\n%s", (unsigned long long)s->id, pr);
        raftc_free(pr);
    }
}

static uint64_t liveness_units(void)
{
    return (uint64_t)S.p.election * SIM_LIVENESS_TIMEOUTS * SIM_UNITS_PER_TICK;
}

static void begin_heal(void)
{
    S.healing = true;
    sim_net_heal();
    S.heal_deadline = S.now + liveness_units();
    S.marker_id = 0;
    S.marker_proposed_at = 0;
    S.heal_first_payload = S.next_payload + 1;
    sim_trace("HEAL: all faults off; a leader must commit a new proposal within %llu ticks",
              (unsigned long long)(liveness_units() / SIM_UNITS_PER_TICK));
}

/* Returns true once the heal window's liveness goal is reached. */
static bool heal_progress(void)
{
    if (S.max_applied_payload >= S.heal_first_payload) {
        sim_trace("HEAL done: payload %llu (proposed after the heal) committed at index %llu",
                  (unsigned long long)S.max_applied_payload,
                  (unsigned long long)S.id_index[S.max_applied_payload]);
        S.healing = false;
        S.heals_ok++;
        S.next_heal_step = S.step + S.opts.steps / 4 + sim_below(S.opts.steps / 4 + 1);
        return true;
    }
    if (S.now > S.heal_deadline) {
        trace_status();
        sim_fail("liveness: no leader committed a new proposal within %llu ticks of healing "
                 "(marker payload %llu)",
                 (unsigned long long)(liveness_units() / SIM_UNITS_PER_TICK),
                 (unsigned long long)S.marker_id);
    }
    sim_slot *l = sim_top_leader();
    uint64_t retry = (uint64_t)S.p.election * 2 * SIM_UNITS_PER_TICK;
    if (l != NULL && (S.marker_id == 0 || S.now - S.marker_proposed_at > retry)) {
        uint64_t st[RAFTC_ST_COUNT];
        sim_node_status(l, st);
        if (st[RAFTC_ST_TERM] == sim_max_term()) {
            sim_propose(l);
            S.marker_id = S.next_payload;
            S.marker_proposed_at = S.now;
        }
    }
    return false;
}

static void one_step(bool final)
{
    S.step++;
    S.now++;
    if (S.healing && !S.quiesce)
        heal_progress();
    else if (!final && S.step >= S.next_heal_step)
        begin_heal();
    sim_actions_step();
    sim_net_deliver_due();
    if (S.now % SIM_UNITS_PER_TICK == 0)
        tick_all();
    for (int i = 0; i < S.n_ids; i++)
        if (S.slots[i].state == SLOT_UP)
            sim_node_drain(&S.slots[i]);
    sim_check_step();
    if (S.step % 250 == 0)
        sim_check_full_logs();
    if (S.step % 8 == 0)
        sim_membership_gc();
}

/* All up members of the top leader's config applied the leader's commit index. */
static bool converged(void)
{
    sim_slot *l = sim_top_leader();
    if (l == NULL)
        return false;
    uint64_t st[RAFTC_ST_COUNT];
    sim_node_status(l, st);
    /* Nodes of a higher term are stranded (see sim_stranded) only without PreVote and
     * CheckQuorum; otherwise they must first be absorbed by a new election. */
    if (st[RAFTC_ST_TERM] != sim_max_term() && (S.p.pre_vote || S.p.check_quorum))
        return false;
    sim_conf c;
    sim_conf_of(l, &c);
    if (c.n_outgoing > 0)
        return false;
    for (int i = 0; i < S.n_ids; i++) {
        sim_slot *s = &S.slots[i];
        if (s->state == SLOT_DOWN)
            return false;
        if (s->state == SLOT_UP && sim_conf_has(&c, s->id) &&
            s->sm.applied != st[RAFTC_ST_COMMIT] && !sim_stranded(s, st[RAFTC_ST_TERM]))
            return false;
    }
    return true;
}

static void final_phase(void)
{
    /* One more heal window, then quiesce and wait for every member to catch up. */
    begin_heal();
    while (S.healing)
        one_step(true);
    S.quiesce = true;
    S.healing = true;
    sim_net_heal(); /* the step that ended the heal window may have injected faults again */
    uint64_t deadline = S.now + liveness_units() * 2;
    for (;;) {
        one_step(true);
        if (converged())
            break;
        if (S.now > deadline) {
            trace_status();
            sim_fail("convergence: members did not all apply the leader's log within %llu ticks "
                     "of the final heal",
                     (unsigned long long)(liveness_units() * 2 / SIM_UNITS_PER_TICK));
        }
        /* An explicit joint config needs a leave to converge. */
        sim_slot *l = sim_top_leader();
        if (l != NULL && S.step % 64 == 0) {
            sim_conf c;
            sim_conf_of(l, &c);
            if (c.n_outgoing > 0 && !c.auto_leave)
                raftc_node_propose_conf_change(l->node, RAFTC_CC_V2, NULL, 0);
        }
    }
    sim_check_full_logs();
    sim_check_final();
}

static int run_one(const sim_opts *opts)
{
    raftc_sink *a = S.sk_a, *b = S.sk_b, *c = S.sk_c;
    memset(&S, 0, sizeof S);
    S.sk_a = a;
    S.sk_b = b;
    S.sk_c = c;
    S.opts = *opts;
    S.rng = opts->seed;
    derive_params();
    if (opts->multiraft) {
        if (opts->async_writes || opts->nodes)
            usage();
        return sim_host_run();
    }
    S.n_reads = 1; /* read ids start at 1 */
    S.next_heal_step = opts->steps / 4 + sim_below(opts->steps / 4 + 1);
    if (!opts->quiet)
        print_config(stdout);
    if (setjmp(S.fail_jmp) != 0) {
        fflush(stdout);
        print_config(stderr);
        fprintf(stderr, "FAILED at step %llu (t=%llu): %s\n", (unsigned long long)S.step,
                (unsigned long long)S.now, S.fail_msg);
        sim_trace_dump();
        fprintf(stderr, "FAILED seed=%llu: %s\n", (unsigned long long)opts->seed, S.fail_msg);
        cleanup_run();
        return 1;
    }
    if (opts->disk)
        sim_disk_begin_run();
    uint64_t peers[SIM_MAX_LIVE];
    for (int i = 0; i < S.p.nodes; i++)
        peers[i] = (uint64_t)i + 1;
    for (int i = 0; i < S.p.nodes; i++) {
        sim_slot *s = sim_node_add();
        s->initial = true;
        sim_ck(raftc_node_bootstrap(s->node, peers, NULL, NULL, (size_t)S.p.nodes),
               "raftc_node_bootstrap", s);
    }
    while (S.step < opts->steps)
        one_step(false);
    final_phase();
    if (!opts->quiet)
        printf("  ok: %llu steps (%llu ticks), %llu payloads applied, max index %llu, %d heals, "
               "%llu crashes, %llu restarts, %llu snapshots, %llu conf changes, %llu transfers, "
               "%llu partitions, %llu reads served, %llu delivered, %llu dropped, %d ids\n",
               (unsigned long long)S.step, (unsigned long long)(S.now / SIM_UNITS_PER_TICK),
               (unsigned long long)S.n_proposals_applied, (unsigned long long)S.max_committed,
               S.heals_ok, (unsigned long long)S.n_crashes, (unsigned long long)S.n_restarts,
               (unsigned long long)S.n_snapshots, (unsigned long long)S.n_confchanges,
               (unsigned long long)S.n_transfers, (unsigned long long)S.n_partitions,
               (unsigned long long)S.n_reads_served, (unsigned long long)S.n_delivered,
               (unsigned long long)S.n_dropped, S.n_ids);
    if (!opts->quiet && opts->disk)
        printf("  disk: %llu of the crashes were power cuts\n",
               (unsigned long long)S.n_power_cuts);
    if (!opts->quiet && S.p.hostile_pm)
        printf("  hostile: %llu replayed, %llu forged (all refused), %llu mutated (%llu accepted, "
               "receiver restarted)\n",
               (unsigned long long)S.hostile.replayed, (unsigned long long)S.hostile.forged,
               (unsigned long long)S.hostile.mutated,
               (unsigned long long)S.hostile.mutants_accepted);
    cleanup_run();
    return 0;
}

int main(int argc, char **argv)
{
    sim_opts opts;
    parse_args(argc, argv, &opts);
    if (raftc_sink_new(&S.sk_a) != RAFTC_OK || raftc_sink_new(&S.sk_b) != RAFTC_OK ||
        raftc_sink_new(&S.sk_c) != RAFTC_OK) {
        fprintf(stderr, "raftc-sim: out of memory\n");
        return 2;
    }
    uint64_t count = opts.soak ? opts.soak : 1;
    uint64_t passed = 0, failed = 0;
    for (uint64_t i = 0; i < count; i++) {
        sim_opts o = opts;
        o.seed = opts.seed + i;
        if (opts.soak)
            o.quiet = true;
        if (run_one(&o) == 0)
            passed++;
        else
            failed++;
    }
    raftc_sink_free(S.sk_a);
    raftc_sink_free(S.sk_b);
    raftc_sink_free(S.sk_c);
    if (opts.soak)
        printf("raftc-sim: seeds %llu..%llu, %llu steps each\n", (unsigned long long)opts.seed,
               (unsigned long long)(opts.seed + count - 1), (unsigned long long)opts.steps);
    if (opts.hostile_pm && opts.multiraft) {
        const sh_hostile_totals *h = &sh_hostile_total;
        printf("sim hostile multiraft: %llu injected: %llu replayed, %llu misaddressed (all "
               "refused), %llu random (all refused); runs failed: %llu\n",
               (unsigned long long)(h->replayed + h->misaddressed + h->garbage),
               (unsigned long long)h->replayed, (unsigned long long)h->misaddressed,
               (unsigned long long)h->garbage, (unsigned long long)failed);
    } else if (opts.hostile_pm) {
        const sim_hostile_totals *h = &sim_hostile_total;
        printf("sim hostile: %llu injected: %llu replayed, %llu forged (all refused), %llu "
               "mutated (%llu accepted, receiver restarted); runs failed: %llu (a failed correct "
               "node fails its run)\n",
               (unsigned long long)(h->replayed + h->forged + h->mutated),
               (unsigned long long)h->replayed, (unsigned long long)h->forged,
               (unsigned long long)h->mutated, (unsigned long long)h->mutants_accepted,
               (unsigned long long)failed);
    }
    if (opts.disk)
        printf("sim disk: %llu power cuts, every storage recovered and every check held in the "
               "runs that passed\n",
               (unsigned long long)(total_power_cuts + sim_host_total_power_cuts()));
    printf("sim: %llu passed, %llu failed\n", (unsigned long long)passed,
           (unsigned long long)failed);
    return failed ? 1 : 0;
}
