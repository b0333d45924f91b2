/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction.h: internals of the interaction suite (etcd's rafttest InteractionEnv, HARNESS.md
 * §2-§3), shared by tests/conformance/interaction_*.c. Uses capi/raftc.h only.
 *
 * Handler convention: every command function returns IA_OK, IA_ERR (a command error whose text
 * is e->err, printed as etcd's harness prints errors) or IA_FATAL (what Go's t.Fatal / a panic
 * would do: the file aborts; text in e->fatal).
 */
#ifndef IA_INTERACTION_H
#define IA_INTERACTION_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datadriven.h"
#include "raftc.h"

enum { IA_OK = 0, IA_ERR = 1, IA_FATAL = 2 };

enum {
    IA_LVL_DEBUG = 0, IA_LVL_INFO = 1, IA_LVL_WARN = 2, IA_LVL_ERROR = 3, IA_LVL_FATAL = 4,
    IA_LVL_NONE = 5
};


/* ---- growable byte/char buffer (always NUL-terminated when non-empty) ---- */
typedef struct ia_buf {
    char *p;
    size_t n, cap;
} ia_buf;

void ia_buf_append(ia_buf *b, const void *s, size_t len);
void ia_buf_puts(ia_buf *b, const char *s);
void ia_buf_putc(ia_buf *b, char c);
void ia_buf_vprintf(ia_buf *b, const char *fmt, va_list ap);
void ia_buf_printf(ia_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ia_buf_reset(ia_buf *b);
void ia_buf_free(ia_buf *b);
/* Hands out the heap string (free()), never NULL, and resets b. */
char *ia_buf_take(ia_buf *b);
char *ia_strdup(const char *s);

/* Go strconv: %q (ASCII subset), ParseUint(s,10,64), Atoi, ParseBool. Return NULL on success,
 * else a heap string with Go's error text. */
void ia_quote(ia_buf *b, const char *s);
char *ia_parse_uint(const char *s, uint64_t *out);
char *ia_atoi(const char *s, int64_t *out);
char *ia_parse_bool(const char *s, bool *out);

typedef struct ia_msg_hdr {
    int type;
    uint64_t to, from, term, commit, vote;
} ia_msg_hdr;
/* Reads the scalar header fields of raftpb Message bytes (raftc_message_info); 0 or RAFTC_E*. */
int ia_msg_header(const uint8_t *b, size_t len, ia_msg_hdr *h);

/* ---- environment ---- */

/* A raftpb Message in flight (owned bytes) with its cached header. */
typedef struct ia_msg {
    uint8_t *b;
    size_t len;
    ia_msg_hdr h;
} ia_msg;

typedef struct ia_msgq {
    ia_msg *v;
    size_t n, cap;
} ia_msgq;

/* One History element: an "appender" state-machine snapshot (§2.3). cs is an encoded raftpb
 * ConfState. */
typedef struct ia_snap {
    ia_buf data;
    uint64_t index, term;
    ia_buf cs;
} ia_snap;

typedef struct ia_env ia_env;

typedef struct ia_node {
    ia_env *env;
    uint64_t id;
    bool async;
    int heartbeat_tick, election_tick;
    raftc_node *rn;
    raftc_memstorage *ms;
    raftc_storage_callbacks storage_cbs;
    ia_msgq append_work, apply_work;
    ia_snap *history;
    size_t n_history, cap_history;
} ia_node;

struct ia_env {
    ia_node **nodes; /* nodes[k] has raft ID k+1 */
    size_t n_nodes;
    ia_msgq msgs;    /* the global FIFO of in-flight messages */
    ia_buf root;     /* the command's output */
    ia_buf *out;     /* the current output (root, or a withIndent capture) */
    int lvl;
    char *err;       /* IA_ERR text */
    char *fatal;     /* IA_FATAL text */
    char *panic;     /* first PANIC-level log of the command */
};

/* interaction_out.c: writes to the current output unless the level is NONE. */
void ia_write(ia_env *e, const char *s, size_t len);
void ia_puts(ia_env *e, const char *s);
void ia_printf(ia_env *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A raft log line at lvl (0..4; above 4 = PANIC, printed as FATAL and recorded in e->panic). */
void ia_log(ia_env *e, int lvl, const char *msg);
int ia_set_level(ia_env *e, const char *name);
/* withIndent: begin captures into a fresh buffer and returns the previous one; end writes the
 * captured lines back indented by two spaces. */
ia_buf *ia_indent_begin(ia_env *e);
void ia_indent_end(ia_env *e, ia_buf *orig);
int ia_fail(ia_env *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int ia_fail_take(ia_env *e, char *msg);
int ia_fatal(ia_env *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int ia_fatal_take(ia_env *e, char *msg);

/* interaction_args.c */
int ia_node_at(ia_env *e, int64_t id, ia_node **out);
int ia_first_node(ia_env *e, const dd_directive *d, ia_node **out);
/* Every bare arg as a node ID (validated); *out is a heap array (free()). */
int ia_node_ids(ia_env *e, const dd_directive *d, int64_t **out, size_t *n);
typedef struct ia_cc {
    int type;
    uint64_t node_id;
} ia_cc;
/* ConfChangesFromString; *out is a heap array (free()) also on error. */
int ia_cc_parse(ia_env *e, const char *input, ia_cc **out, size_t *n);

/* interaction_env.c */
void ia_msgq_push(ia_msgq *q, const uint8_t *b, size_t len); /* copies b */
void ia_msgq_push_msg(ia_msgq *q, ia_msg *m);                /* moves *m in */
/* Removes the head into *m (caller frees m->b); false if empty. */
bool ia_msgq_pop(ia_msgq *q, ia_msg *m);
void ia_msgq_free(ia_msgq *q);
ia_snap *ia_history_tip(ia_node *n);
/* Appends a zeroed History element and returns it. */
ia_snap *ia_history_push(ia_node *n);
void ia_history_free(ia_node *n);
ia_env *ia_env_new(void);
void ia_env_free(ia_env *e);
/* A node shell with ID = count+1, not yet in the env; ia_node_destroy frees it wholly. */
ia_node *ia_node_alloc(ia_env *e);
void ia_node_destroy(ia_node *n);
void ia_env_append_node(ia_env *e, ia_node *n);
/* Puts a History element as one raftpb Snapshot item into out. */
int ia_snap_encode(const ia_snap *s, raftc_sink *out);

/* The harness's per-node config knobs (add-nodes options, §2.1-2.2). */
typedef struct ia_node_cfg {
    uint64_t applied;
    uint64_t max_inflight_msgs;
    uint64_t max_committed_size_per_ready;
    bool async_storage_writes, pre_vote, check_quorum, disable_conf_change_validation,
        step_down_on_removal, read_only_lease_based;
} ia_node_cfg;

/* interaction_abi.c: the thin layer over raftc.h's node/storage/describe sections. */
/* Creates n->rn over n->ms (which must exist) with the stub config; IA_ERR with etcd's config
 * validation text on failure. */
int ia_node_open(ia_env *e, ia_node *n, const ia_node_cfg *cfg);
/* The node's last error text, or raftc_strerror(rc). */
const char *ia_node_err_text(const ia_node *n, int rc);
/* Maps a node call's result: OK -> IA_OK, RAFTC_EFAILED -> IA_FATAL, else IA_ERR (text). */
int ia_check(ia_env *e, ia_node *n, int rc);
/* Like ia_check, but plain errors are ignored (IA_OK). */
int ia_check_fatal_only(ia_env *e, ia_node *n, int rc);
/* Writes DescribeMessage of raftpb Message bytes (no trailing newline) to the output. */
void ia_describe_message(ia_env *e, const uint8_t *b, size_t len);
/* RawNode.Step of m on n; a refusal is printed as its text + newline. Returns IA_OK, or
 * IA_FATAL if the node failed (PANIC). */
int ia_step(ia_env *e, ia_node *n, const ia_msg *m);
bool ia_has_ready(ia_node *n);
void ia_node_free(ia_node *n);

/* interaction_node.c: handlers of the node-level commands. */
int ia_cmd_add_nodes(ia_env *e, const dd_directive *d);
int ia_cmd_campaign(ia_env *e, const dd_directive *d);
int ia_cmd_propose(ia_env *e, const dd_directive *d);
int ia_cmd_propose_conf_change(ia_env *e, const dd_directive *d);
int ia_cmd_tick_heartbeat(ia_env *e, const dd_directive *d);
int ia_cmd_tick_election(ia_env *e, const dd_directive *d);
int ia_cmd_set_randomized_election_timeout(ia_env *e, const dd_directive *d);
int ia_cmd_transfer_leadership(ia_env *e, const dd_directive *d);
int ia_cmd_forget_leader(ia_env *e, const dd_directive *d);
int ia_cmd_report_unreachable(ia_env *e, const dd_directive *d);
int ia_cmd_send_snapshot(ia_env *e, const dd_directive *d);
int ia_cmd_compact(ia_env *e, const dd_directive *d);
int ia_cmd_raft_log(ia_env *e, const dd_directive *d);
int ia_cmd_raft_state(ia_env *e, const dd_directive *d);
int ia_cmd_status(ia_env *e, const dd_directive *d);

/* interaction_ready.c: Ready handling and the storage threads (§3.1, §3.2). */
int ia_process_ready(ia_env *e, ia_node *n);
int ia_process_append_thread(ia_env *e, ia_node *n);
int ia_process_apply_thread(ia_env *e, ia_node *n);
int ia_cmd_process_ready(ia_env *e, const dd_directive *d);
int ia_cmd_process_append_thread(ia_env *e, const dd_directive *d);
int ia_cmd_process_apply_thread(ia_env *e, const dd_directive *d);

/* interaction_deliver.c: message delivery and stabilize (§3.3, §3.4). */
int ia_cmd_deliver_msgs(ia_env *e, const dd_directive *d);
int ia_cmd_stabilize(ia_env *e, const dd_directive *d);

#endif
