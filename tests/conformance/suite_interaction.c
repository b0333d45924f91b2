/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_interaction.c: the "interaction" datadriven suite (etcd's rafttest InteractionEnv):
 * command dispatch and the per-command output flow of HARNESS.md §2.4.
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

static int cmd_breakpoint(ia_env *e, const dd_directive *d) {
    (void)e;
    (void)d;
    return IA_OK;
}

static int cmd_log_level(ia_env *e, const dd_directive *d) {
    if (d->n_args == 0)
        return ia_fatal(e, "log-level: expected a level");
    return ia_set_level(e, d->args[0].key);
}

typedef struct ia_cmd {
    const char *name;
    int (*fn)(ia_env *, const dd_directive *);
} ia_cmd;

static const ia_cmd cmds[] = {
    {"_breakpoint", cmd_breakpoint},
    {"add-nodes", ia_cmd_add_nodes},
    {"advance", ia_cmd_advance},
    {"campaign", ia_cmd_campaign},
    {"compact", ia_cmd_compact},
    {"deliver-msgs", ia_cmd_deliver_msgs},
    {"forget-leader", ia_cmd_forget_leader},
    {"log-level", cmd_log_level},
    {"process-append-thread", ia_cmd_process_append_thread},
    {"process-apply-thread", ia_cmd_process_apply_thread},
    {"process-ready", ia_cmd_process_ready},
    {"propose", ia_cmd_propose},
    {"propose-conf-change", ia_cmd_propose_conf_change},
    {"raft-log", ia_cmd_raft_log},
    {"raft-state", ia_cmd_raft_state},
    {"ready", ia_cmd_ready},
    {"report-unreachable", ia_cmd_report_unreachable},
    {"restart", ia_cmd_restart},
    {"send-snapshot", ia_cmd_send_snapshot},
    {"set-randomized-election-timeout", ia_cmd_set_randomized_election_timeout},
    {"stabilize", ia_cmd_stabilize},
    {"status", ia_cmd_status},
    {"step-bytes", ia_cmd_step_bytes},
    {"storage-fail", ia_cmd_storage_fail},
    {"storage-snapshot", ia_cmd_storage_snapshot},
    {"tick-election", ia_cmd_tick_election},
    {"tick-heartbeat", ia_cmd_tick_heartbeat},
    {"transfer-leadership", ia_cmd_transfer_leadership},
};

static void *env_new(void) { return ia_env_new(); }

static void env_free(void *env) { ia_env_free(env); }

static char *handle(void *env, const dd_directive *d, char **fatal) {
    ia_env *e = env;
    sbuf_reset(&e->root);
    e->out = &e->root;
    free(e->err);
    e->err = NULL;
    int rc = IA_ERR;
    ia_fail(e, "unknown command");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(d->cmd, cmds[i].name) == 0) {
            rc = cmds[i].fn(e, d);
            break;
        }
    }
    e->out = &e->root;
    /* A raft PANIC fails the node (raftc's failed state); its FATAL line is in the output and
     * the call's error says so, so the file goes on. */
    if (rc == IA_FATAL) {
        sbuf b = {0};
        sbuf_printf(&b, "%s", e->fatal ? e->fatal : "fatal");
        if (e->root.n > 0)
            sbuf_printf(&b, "\noutput so far:\n%s", e->root.p);
        *fatal = sbuf_take(&b);
        return NULL;
    }
    if (rc == IA_ERR) {
        if (e->lvl == IA_LVL_NONE)
            return su_strdup(e->err);
        sbuf_puts(&e->root, e->err);
    }
    if (e->root.n == 0)
        return su_strdup("ok");
    return sbuf_take(&e->root);
}

const dd_suite dd_suite_interaction = {
    .name = "interaction",
    .env_new = env_new,
    .env_free = env_free,
    .handle = handle,
};
