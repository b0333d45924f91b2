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
#include "suite_util.h"

enum { IA_OK = 0, IA_ERR = 1, IA_FATAL = 2 };

enum {
    IA_LVL_DEBUG = 0, IA_LVL_INFO = 1, IA_LVL_WARN = 2, IA_LVL_ERROR = 3, IA_LVL_FATAL = 4,
    IA_LVL_NONE = 5
};

/* ---- Go strconv texts and message headers (interaction_util.c) ---- */

/* Go's strconv.ParseUint(s, 10, 64), Atoi (64-bit) and ParseBool: NULL on success (the value
 * in *out), else a heap string (free()) with Go's error text and *out untouched. Buffers are
 * suite_util.h's sbuf; go_quote there is strconv.Quote. */
char *ia_parse_uint(const char *s, uint64_t *out);
char *ia_atoi(const char *s, int64_t *out);
char *ia_parse_bool(const char *s, bool *out);

typedef struct ia_msg_hdr {
    int type;
    uint64_t to, from, term, commit, vote;
} ia_msg_hdr;
/* Reads the scalar header fields of raftpb Message bytes (raftc_message_decode); 0 or RAFTC_E*. */
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
    sbuf data;
    uint64_t index, term;
    sbuf cs;
} ia_snap;

typedef struct ia_env ia_env;

/* The harness's per-node config knobs (add-nodes options, §2.1-2.2, and the project's
 * max-size-per-msg, max-uncommitted-entries-size, max-inflight-bytes). */
typedef struct ia_node_cfg {
    uint64_t applied;
    uint64_t max_inflight_msgs;
    uint64_t max_committed_size_per_ready;
    uint64_t max_size_per_msg, max_uncommitted_entries_size, max_inflight_bytes;
    bool async_storage_writes, pre_vote, check_quorum, disable_conf_change_validation,
        step_down_on_removal, read_only_lease_based;
    bool disk_storage; /* add-nodes disk-storage=true: raftc's DiskStorage in a temp dir */
} ia_node_cfg;

/* Storage callbacks that storage-fail makes fail (bit per callback). */
enum {
    IA_FAIL_INITIAL_STATE = 1 << 0, IA_FAIL_ENTRIES = 1 << 1, IA_FAIL_TERM = 1 << 2,
    IA_FAIL_FIRST_INDEX = 1 << 3, IA_FAIL_LAST_INDEX = 1 << 4, IA_FAIL_SNAPSHOT = 1 << 5
};

typedef struct ia_node {
    ia_env *env;
    uint64_t id;
    bool async;
    int heartbeat_tick, election_tick;
    raftc_node *rn;
    raftc_memstorage *ms;  /* the node's storage, or the in-memory copy of ds (read only) */
    raftc_diskstorage *ds; /* disk-storage nodes: the storage every write goes to */
    char *disk_dir;        /* ds's directory (removed with the node) */
    raftc_storage_callbacks storage_cbs;
    ia_node_cfg cfg;       /* what the node was opened with (restart reuses it) */
    unsigned failing;      /* IA_FAIL_* callbacks that return RAFTC_ESTORAGE */
    ia_msgq append_work, apply_work;
    ia_snap *history;
    size_t n_history, cap_history;
} ia_node;

struct ia_env {
    ia_node **nodes; /* nodes[k] has raft ID k+1 */
    size_t n_nodes;
    ia_msgq msgs;    /* the global FIFO of in-flight messages */
    sbuf root;       /* the command's output */
    sbuf *out;       /* the current output (root, or a withIndent capture) */
    int lvl;         /* IA_LVL_*: log lines below it are not printed; NONE prints nothing */
    char *err;       /* IA_ERR text */
    char *fatal;     /* IA_FATAL text */
};

/* interaction_out.c: ia_write/ia_puts/ia_printf append to the current output (e->out) unless
 * the level is NONE. */
void ia_write(ia_env *e, const char *s, size_t len);
void ia_puts(ia_env *e, const char *s);
void ia_printf(ia_env *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A raft log line at lvl (0..4; above 4 = PANIC, printed as FATAL). */
void ia_log(ia_env *e, int lvl, const char *msg);
/* Sets e->lvl from a level name (any case); IA_ERR with the harness's text for an unknown one. */
int ia_set_level(ia_env *e, const char *name);
/* withIndent: begin captures into a fresh buffer and returns the previous one; end writes the
 * captured lines back indented by two spaces. */
sbuf *ia_indent_begin(ia_env *e);
void ia_indent_end(ia_env *e, sbuf *orig);
/* ia_fail sets e->err to the formatted text and returns IA_ERR; ia_fatal sets e->fatal and
 * returns IA_FATAL. The _take forms adopt the heap string msg (free()) instead. */
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

/* interaction_args.c: node arguments. Each returns IA_OK, or IA_FATAL (text in e->fatal) for
 * a malformed or out-of-range node ID. */
/* The node with raft ID id (1..n_nodes) into *out. */
int ia_node_at(ia_env *e, int64_t id, ia_node **out);
/* The node named by the directive's first argument. */
int ia_first_node(ia_env *e, const dd_directive *d, ia_node **out);
/* Every bare arg as a node ID (validated); *out is a heap array (free()) on IA_OK. */
int ia_node_ids(ia_env *e, const dd_directive *d, int64_t **out, size_t *n);
/* For commands naming exactly two nodes: *found tells whether d has exactly two bare node IDs;
 * if so, *first is the first one's node and *second the second ID. */
int ia_node_pair(ia_env *e, const dd_directive *d, ia_node **first, uint64_t *second,
                 bool *found);

/* interaction_env.c. Out of memory exits the driver (suite_util.h). */
/* Appends a copy of the message bytes b (header decoded from them) to q. */
void ia_msgq_push(ia_msgq *q, const uint8_t *b, size_t len);
/* Moves *m to the tail of q (q owns m->b now) and zeroes *m. */
void ia_msgq_push_msg(ia_msgq *q, ia_msg *m);
/* Removes the head into *m (caller frees m->b); false if empty. */
bool ia_msgq_pop(ia_msgq *q, ia_msg *m);
/* Frees every queued message and the queue's array; q is left empty and reusable. */
void ia_msgq_free(ia_msgq *q);
/* The newest History element (n must have at least one). */
ia_snap *ia_history_tip(ia_node *n);
/* Appends a zeroed History element and returns it (earlier element pointers may move). */
ia_snap *ia_history_push(ia_node *n);
void ia_history_free(ia_node *n);
/* A fresh environment with no nodes and level DEBUG; NULL when out of memory. Free with
 * ia_env_free (NULL is a no-op), which destroys every node. */
ia_env *ia_env_new(void);
void ia_env_free(ia_env *e);
/* A node shell with ID = count+1, not yet in the env; ia_node_destroy (NULL is a no-op) frees
 * it wholly: raft node, storage, work queues and History. */
ia_node *ia_node_alloc(ia_env *e);
void ia_node_destroy(ia_node *n);
/* Appends n to the env, which then owns it (n->id must be n_nodes + 1). */
void ia_env_append_node(ia_env *e, ia_node *n);
/* Puts a History element as one raftpb Snapshot item into out. */
int ia_snap_encode(const ia_snap *s, raftc_sink *out);

/* interaction_abi.c: the thin layer over raftc.h's node/storage/describe sections. */
/* Creates n->rn over n->ms (which must exist) with the stub config, remembered in n->cfg;
 * IA_ERR with etcd's config validation text on failure. */
int ia_node_open(ia_env *e, ia_node *n, const ia_node_cfg *cfg);
/* The node's last error text, or raftc_strerror(rc). */
const char *ia_node_err_text(const ia_node *n, int rc);
/* Maps a node call's result: OK -> IA_OK, else IA_ERR with the node's error text (a failed
 * node, RAFTC_EFAILED, is a state the project's scenarios observe, not a harness error). */
int ia_check(ia_env *e, ia_node *n, int rc);
/* Like ia_check, but plain errors are ignored (IA_OK). */
int ia_check_fatal_only(ia_env *e, ia_node *n, int rc);
/* Writes DescribeMessage of raftpb Message bytes (no trailing newline) to the output. */
void ia_describe_message(ia_env *e, const uint8_t *b, size_t len);
/* RawNode.Step of m on n; a refusal is printed as its text + newline. Returns IA_OK, or
 * IA_ERR if the node failed (PANIC). */
int ia_step(ia_env *e, ia_node *n, const ia_msg *m);
/* RawNode.HasReady. */
bool ia_has_ready(ia_node *n);
/* Frees n's raft node and memory storage (the rest of n stays; see ia_node_destroy). */
void ia_node_free(ia_node *n);

/* interaction_disk.c: nodes over raftc's DiskStorage (add-nodes disk-storage=true). The writes
 * below go to n->ds when the node has one, else to n->ms; each returns the raftc code. */
/* Creates n->ms: a memory storage, or (cfg->disk_storage) a DiskStorage in a fresh temporary
 * directory with n->ms its in-memory copy. IA_FATAL when that fails. */
int ia_storage_open(ia_env *e, ia_node *n, const ia_node_cfg *cfg);
/* A disk node's crash: closes n->ds (in-memory state dropped) and reopens it from its
 * directory, replaying what was written. A memory node keeps its storage. */
int ia_storage_recover(ia_env *e, ia_node *n);
/* Frees the storage (and removes a disk node's directory). */
void ia_storage_free(ia_node *n);
int ia_storage_append(ia_node *n, const uint8_t *const *ents, const size_t *lens, size_t count);
int ia_storage_set_hard_state(ia_node *n, uint64_t term, uint64_t vote, uint64_t commit);
int ia_storage_apply_snapshot(ia_node *n, const uint8_t *b, size_t len);
int ia_storage_compact(ia_node *n, uint64_t index);

/* Command handlers (interaction_node.c, _ready.c, _deliver.c) follow the convention at the top
 * of this file; each implements the HARNESS.md command of the same name. */

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
/* Handles one Ready of n: prints it; in sync mode persists and applies it and calls Advance;
 * routes its messages (local-thread ones to n's work queues, the rest to e->msgs). */
int ia_process_ready(ia_env *e, ia_node *n);
/* Runs the head of n's append (apply) work queue, printing what it does and queueing the
 * responses in e->msgs; prints "no ... work to perform" when the queue is empty. */
int ia_process_append_thread(ia_env *e, ia_node *n);
int ia_process_apply_thread(ia_env *e, ia_node *n);
int ia_cmd_process_ready(ia_env *e, const dd_directive *d);
int ia_cmd_process_append_thread(ia_env *e, const dd_directive *d);
int ia_cmd_process_apply_thread(ia_env *e, const dd_directive *d);

/* interaction_deliver.c: message delivery and stabilize (§3.3, §3.4). */
int ia_cmd_deliver_msgs(ia_env *e, const dd_directive *d);
int ia_cmd_stabilize(ia_env *e, const dd_directive *d);

/* interaction_ext.c: the project's commands beyond etcd's harness (README.md here). */
int ia_cmd_restart(ia_env *e, const dd_directive *d);
int ia_cmd_storage_fail(ia_env *e, const dd_directive *d);
int ia_cmd_storage_snapshot(ia_env *e, const dd_directive *d);
int ia_cmd_ready(ia_env *e, const dd_directive *d);
int ia_cmd_advance(ia_env *e, const dd_directive *d);
int ia_cmd_step_bytes(ia_env *e, const dd_directive *d);

#endif
