/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_node.c: the interaction commands that act on one node or inspect nodes
 * (HARNESS.md §2.2, §3 table, §3.5): add-nodes, campaign, propose, propose-conf-change, ticks,
 * transfer-leadership, forget-leader, report-unreachable, send-snapshot, compact, raft-log,
 * raft-state, status.
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

/* ---- add-nodes ---- */

typedef struct add_opts {
    ia_node_cfg cfg;
    u64vec voters, learners;
    uint64_t index;
    sbuf content;
} add_opts;

static int scan_uint(ia_env *e, const char *s, uint64_t *out) {
    char *err = ia_parse_uint(s, out);
    return err ? ia_fatal_take(e, err) : IA_OK;
}

static int scan_bool(ia_env *e, const char *s, bool *out) {
    char *err = ia_parse_bool(s, out);
    return err ? ia_fatal_take(e, err) : IA_OK;
}

static int parse_add_opt(ia_env *e, add_opts *o, const char *key, const char *val) {
    uint64_t u = 0;
    int rc = IA_OK;
    if (strcmp(key, "voters") == 0) {
        if ((rc = scan_uint(e, val, &u)) == IA_OK)
            u64vec_push(&o->voters, u);
    } else if (strcmp(key, "learners") == 0) {
        if ((rc = scan_uint(e, val, &u)) == IA_OK)
            u64vec_push(&o->learners, u);
    } else if (strcmp(key, "inflight") == 0) {
        int64_t v;
        char *err = ia_atoi(val, &v);
        if (err != NULL)
            return ia_fatal_take(e, err);
        o->cfg.max_inflight_msgs = (uint64_t)v;
    } else if (strcmp(key, "index") == 0) {
        if ((rc = scan_uint(e, val, &o->index)) == IA_OK)
            o->cfg.applied = o->index;
    } else if (strcmp(key, "content") == 0) {
        /* Unusable upstream (HARNESS.md §2.2); here it sets the snapshot data. */
        sbuf_reset(&o->content);
        sbuf_puts(&o->content, val);
    } else if (strcmp(key, "async-storage-writes") == 0) {
        rc = scan_bool(e, val, &o->cfg.async_storage_writes);
    } else if (strcmp(key, "prevote") == 0) {
        rc = scan_bool(e, val, &o->cfg.pre_vote);
    } else if (strcmp(key, "checkquorum") == 0) {
        rc = scan_bool(e, val, &o->cfg.check_quorum);
    } else if (strcmp(key, "max-committed-size-per-ready") == 0) {
        rc = scan_uint(e, val, &o->cfg.max_committed_size_per_ready);
    } else if (strcmp(key, "disable-conf-change-validation") == 0) {
        rc = scan_bool(e, val, &o->cfg.disable_conf_change_validation);
    } else if (strcmp(key, "step-down-on-removal") == 0) {
        rc = scan_bool(e, val, &o->cfg.step_down_on_removal);
    } else if (strcmp(key, "max-size-per-msg") == 0) { /* the project's options: README.md */
        rc = scan_uint(e, val, &o->cfg.max_size_per_msg);
    } else if (strcmp(key, "max-uncommitted-entries-size") == 0) {
        rc = scan_uint(e, val, &o->cfg.max_uncommitted_entries_size);
    } else if (strcmp(key, "max-inflight-bytes") == 0) {
        rc = scan_uint(e, val, &o->cfg.max_inflight_bytes);
    } else if (strcmp(key, "disk-storage") == 0) { /* raftc-only: interaction_disk.c */
        rc = scan_bool(e, val, &o->cfg.disk_storage);
    } else if (strcmp(key, "read-only") == 0) {
        if (strcmp(val, "safe") == 0) {
            o->cfg.read_only_lease_based = false;
        } else if (strcmp(val, "lease-based") == 0) {
            o->cfg.read_only_lease_based = true;
        } else {
            sbuf b = {0};
            sbuf_puts(&b, "invalid read-only option ");
            go_quote(&b, val);
            return ia_fail_take(e, sbuf_take(&b));
        }
    }
    return rc;
}

/* Creates one node; on success it is appended to the env. */
static int add_node(ia_env *e, const add_opts *o, bool bootstrap) {
    ia_node *n = ia_node_alloc(e);
    int rc = ia_storage_open(e, n, &o->cfg);
    if (rc != IA_OK) {
        ia_node_destroy(n);
        return rc;
    }
    ia_snap *s = ia_history_push(n);
    raftc_sink *cs = NULL, *snap = NULL;
    if (raftc_sink_new(&cs) != RAFTC_OK || raftc_sink_new(&snap) != RAFTC_OK)
        abort();
    const uint8_t *b;
    size_t len;
    rc = raftc_conf_state_encode(cs, o->voters.v, o->voters.n, o->learners.v, o->learners.n,
                                 NULL, 0, NULL, 0, 0);
    if (rc == RAFTC_OK && raftc_sink_get(&b, &len, cs, 0) == RAFTC_OK)
        sbuf_append(&s->cs, b, len);
    sbuf_append(&s->data, o->content.p, o->content.n);
    s->index = o->index;
    int res = IA_OK;
    if (rc != RAFTC_OK) {
        res = ia_fatal(e, "raftc_conf_state_encode: %s", raftc_strerror(rc));
    } else if (bootstrap) {
        if (o->index <= 1) {
            res = ia_fail(e, "index must be specified as > 1 due to bootstrap");
        } else {
            s->term = 1;
            rc = ia_snap_encode(s, snap);
            if (rc == RAFTC_OK && raftc_sink_get(&b, &len, snap, 0) == RAFTC_OK)
                rc = ia_storage_apply_snapshot(n, b, len);
            uint64_t fi = 0;
            if (rc == RAFTC_OK)
                rc = raftc_memstorage_first_index(&fi, n->ms);
            if (rc != RAFTC_OK)
                res = ia_fail(e, "%s", raftc_strerror(rc));
            else if (fi != o->index + 1)
                res = ia_fail(e, "failed to establish first index %llu; got %llu",
                              (unsigned long long)(o->index + 1), (unsigned long long)fi);
        }
    }
    raftc_sink_free(cs);
    raftc_sink_free(snap);
    if (res == IA_OK)
        res = ia_node_open(e, n, &o->cfg);
    if (res != IA_OK) {
        ia_node_destroy(n);
        return res;
    }
    ia_env_append_node(e, n);
    return IA_OK;
}

int ia_cmd_add_nodes(ia_env *e, const dd_directive *d) {
    if (d->n_args == 0)
        return ia_fatal(e, "add-nodes: expected a node count");
    int64_t count;
    char *err = ia_atoi(d->args[0].key, &count);
    if (err != NULL)
        return ia_fatal_take(e, err);
    add_opts o;
    memset(&o, 0, sizeof o);
    o.cfg.max_inflight_msgs = (1u << 31) - 1; /* math.MaxInt32 */
    o.cfg.max_size_per_msg = RAFTC_NO_LIMIT;
    int rc = IA_OK;
    for (size_t i = 1; i < d->n_args && rc == IA_OK; i++) {
        for (size_t v = 0; v < d->args[i].n_vals && rc == IA_OK; v++)
            rc = parse_add_opt(e, &o, d->args[i].key, d->args[i].vals[v]);
    }
    bool bootstrap = o.voters.n > 0 || o.learners.n > 0 || o.index != 0 || o.content.n > 0;
    for (int64_t i = 0; i < count && rc == IA_OK; i++)
        rc = add_node(e, &o, bootstrap);
    u64vec_free(&o.voters);
    u64vec_free(&o.learners);
    sbuf_free(&o.content);
    return rc;
}

/* ---- simple node actions ---- */

int ia_cmd_campaign(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    return rc != IA_OK ? rc : ia_check(e, n, raftc_node_campaign(n->rn));
}

int ia_cmd_propose(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    if (d->n_args != 2 || d->args[1].n_vals > 0)
        return ia_fatal(e, "expected exactly one key with no vals");
    const char *data = d->args[1].key;
    return ia_check(e, n, raftc_node_propose(n->rn, (const uint8_t *)data, strlen(data)));
}

static int tick_n(ia_env *e, const dd_directive *d, bool election) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    int times = election ? n->election_tick : n->heartbeat_tick;
    for (int i = 0; i < times && rc == IA_OK; i++)
        rc = ia_check_fatal_only(e, n, raftc_node_tick(n->rn));
    return rc;
}

int ia_cmd_tick_heartbeat(ia_env *e, const dd_directive *d) { return tick_n(e, d, false); }
int ia_cmd_tick_election(ia_env *e, const dd_directive *d) { return tick_n(e, d, true); }

int ia_cmd_set_randomized_election_timeout(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    const dd_arg *a = dd_find_arg(d, "timeout");
    if (a == NULL || a->n_vals != 1)
        return ia_fatal(e, "missing argument: timeout");
    int64_t t;
    char *err = ia_atoi(a->vals[0], &t);
    if (err != NULL)
        return ia_fatal_take(e, err);
    if (t == 0 || t > INT32_MAX || t < INT32_MIN)
        return ia_fatal(e, "timeout must be a non-zero int");
    return ia_check(e, n, raftc_testing_control(n->rn, RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT,
                                               (uint64_t)t));
}

static int scan_node_arg(ia_env *e, const dd_directive *d, const char *key, uint64_t *out) {
    const dd_arg *a = dd_find_arg(d, key);
    if (a == NULL || a->n_vals != 1)
        return ia_fatal(e, "missing argument: %s", key);
    int rc = scan_uint(e, a->vals[0], out);
    if (rc == IA_OK && (*out == 0 || *out > e->n_nodes))
        return ia_fatal(e, "%s=%llu is not a node", key, (unsigned long long)*out);
    return rc;
}

int ia_cmd_transfer_leadership(ia_env *e, const dd_directive *d) {
    uint64_t from, to;
    int rc = scan_node_arg(e, d, "from", &from);
    if (rc == IA_OK)
        rc = scan_node_arg(e, d, "to", &to);
    if (rc != IA_OK)
        return rc;
    ia_node *n = e->nodes[from - 1];
    return ia_check_fatal_only(e, n, raftc_node_transfer_leader(n->rn, to));
}

int ia_cmd_forget_leader(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    return rc != IA_OK ? rc : ia_check_fatal_only(e, n, raftc_node_forget_leader(n->rn));
}

int ia_cmd_report_unreachable(ia_env *e, const dd_directive *d) {
    ia_node *n;
    uint64_t reported;
    bool two;
    int rc = ia_node_pair(e, d, &n, &reported, &two);
    if (rc != IA_OK)
        return rc;
    if (!two)
        return ia_fail(e, "must specify exactly two node indexes: node on which to report, and "
                          "reported node");
    return ia_check_fatal_only(e, n, raftc_node_report_unreachable(n->rn, reported));
}

int ia_cmd_send_snapshot(ia_env *e, const dd_directive *d) {
    ia_node *from;
    uint64_t to;
    bool two;
    int rc = ia_node_pair(e, d, &from, &to, &two);
    if (rc != IA_OK)
        return rc;
    if (!two)
        return ia_fatal(e, "send-snapshot: expected exactly two node IDs");
    uint64_t st[RAFTC_ST_COUNT] = {0};
    raftc_node_status_info(st, RAFTC_ST_COUNT, from->rn);
    uint64_t info[RAFTC_MF_COUNT] = {0};
    info[RAFTC_MF_TYPE] = RAFTC_MSG_SNAP;
    info[RAFTC_MF_FROM] = from->id;
    info[RAFTC_MF_TO] = to;
    info[RAFTC_MF_TERM] = st[RAFTC_ST_TERM];
    raftc_sink *snap = NULL, *msg = NULL;
    if (raftc_sink_new(&snap) != RAFTC_OK || raftc_sink_new(&msg) != RAFTC_OK)
        abort();
    const uint8_t *sb = NULL, *mb = NULL;
    size_t slen = 0, mlen = 0;
    rc = ia_snap_encode(ia_history_tip(from), snap);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&sb, &slen, snap, 0);
    if (rc == RAFTC_OK)
        rc = raftc_message_encode(msg, info, RAFTC_MF_COUNT, NULL, NULL, 0, sb, slen, NULL, 0);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&mb, &mlen, msg, 0);
    if (rc == RAFTC_OK) {
        ia_msgq_push(&e->msgs, mb, mlen);
        ia_describe_message(e, mb, mlen);
    }
    raftc_sink_free(snap);
    raftc_sink_free(msg);
    return rc == RAFTC_OK ? IA_OK : ia_fatal(e, "send-snapshot: %s", raftc_strerror(rc));
}

/* ---- propose-conf-change ---- */

int ia_cmd_propose_conf_change(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    bool v1 = false;
    int transition = RAFTC_CC_TRANSITION_AUTO;
    for (size_t i = 1; i < d->n_args; i++) {
        const dd_arg *a = &d->args[i];
        for (size_t v = 0; v < a->n_vals; v++) {
            const char *val = a->vals[v];
            if (strcmp(a->key, "v1") == 0) {
                char *err = ia_parse_bool(val, &v1);
                if (err != NULL)
                    return ia_fail_take(e, err);
            } else if (strcmp(a->key, "transition") == 0) {
                if (strcmp(val, "auto") == 0)
                    transition = RAFTC_CC_TRANSITION_AUTO;
                else if (strcmp(val, "implicit") == 0)
                    transition = RAFTC_CC_TRANSITION_JOINT_IMPLICIT;
                else if (strcmp(val, "explicit") == 0)
                    transition = RAFTC_CC_TRANSITION_JOINT_EXPLICIT;
                else
                    return ia_fail(e, "unknown transition %s", val);
            } else {
                return ia_fail(e, "unknown command %s", a->key);
            }
        }
    }
    su_cc_list ccs = {0};
    sbuf err = {0};
    if (su_cc_parse(&ccs, d->input, &err) != 0)
        return ia_fail_take(e, sbuf_take(&err));
    raftc_sink *out = NULL;
    if (raftc_sink_new(&out) != RAFTC_OK)
        abort();
    int kind = v1 ? RAFTC_CC_V1 : RAFTC_CC_V2;
    if (v1) {
        if (ccs.n > 1 || transition != RAFTC_CC_TRANSITION_AUTO)
            rc = ia_fail(e, "v1 conf change can only have one operation and no transition");
        else if (ccs.n == 0)
            rc = ia_fatal(e, "v1 conf change without an operation (the Go harness crashes)");
        else
            rc = raftc_conf_change_encode(out, ccs.types[0], ccs.ids[0], NULL, 0) == RAFTC_OK
                     ? IA_OK
                     : ia_fatal(e, "raftc_conf_change_encode failed");
    } else {
        rc = raftc_conf_change_v2_encode(out, transition, ccs.types, ccs.ids, ccs.n, NULL, 0) ==
                     RAFTC_OK
                 ? IA_OK
                 : ia_fatal(e, "raftc_conf_change_v2_encode failed");
    }
    if (rc == IA_OK) {
        const uint8_t *b;
        size_t len;
        raftc_sink_get(&b, &len, out, 0);
        rc = ia_check(e, n, raftc_node_propose_conf_change(n->rn, kind, b, len));
    }
    raftc_sink_free(out);
    su_cc_list_free(&ccs);
    return rc;
}

/* ---- storage and state inspection ---- */

static int raft_log(ia_env *e, ia_node *n) {
    uint64_t fi = 0, li = 0;
    raftc_memstorage_first_index(&fi, n->ms);
    raftc_memstorage_last_index(&li, n->ms);
    if (li < fi) {
        ia_printf(e, "log is empty: first index=%llu, last index=%llu", (unsigned long long)fi,
                  (unsigned long long)li);
        return IA_OK;
    }
    raftc_sink *s = NULL;
    if (raftc_sink_new(&s) != RAFTC_OK)
        abort();
    int rc = raftc_memstorage_entries(s, n->ms, fi, li + 1, RAFTC_NO_LIMIT);
    int res = IA_OK;
    if (rc != RAFTC_OK) {
        res = ia_fail(e, "%s", raftc_strerror(rc));
    } else {
        size_t k = raftc_sink_count(s);
        const uint8_t **b = calloc(k + 1, sizeof *b);
        size_t *lens = calloc(k + 1, sizeof *lens);
        if (b == NULL || lens == NULL)
            abort();
        for (size_t i = 0; i < k; i++)
            raftc_sink_get(&b[i], &lens[i], s, i);
        char *text = NULL;
        rc = raftc_entry_describe_list(&text, b, lens, k);
        if (rc == RAFTC_OK)
            ia_puts(e, text);
        else
            res = ia_fail(e, "%s", raftc_strerror(rc));
        raftc_free(text);
        free(b);
        free(lens);
    }
    raftc_sink_free(s);
    return res;
}

int ia_cmd_raft_log(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    return rc != IA_OK ? rc : raft_log(e, n);
}

int ia_cmd_compact(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    if (d->n_args < 2)
        return ia_fatal(e, "compact: expected an index");
    uint64_t idx;
    char *err = ia_parse_uint(d->args[1].key, &idx);
    if (err != NULL)
        return ia_fail_take(e, err);
    rc = ia_storage_compact(n, idx);
    if (rc == RAFTC_EFAILED)
        return ia_fatal(e, "compact %llu is out of bound lastindex", (unsigned long long)idx);
    if (rc != RAFTC_OK)
        return ia_fail(e, "%s", raftc_strerror(rc));
    return raft_log(e, n);
}

int ia_cmd_raft_state(ia_env *e, const dd_directive *d) {
    (void)d;
    for (size_t i = 0; i < e->n_nodes; i++) {
        uint64_t st[RAFTC_ST_COUNT] = {0};
        raftc_node_status_info(st, RAFTC_ST_COUNT, e->nodes[i]->rn);
        ia_printf(e, "%llu: %s %s Term:%llu Lead:%llu\n", (unsigned long long)st[RAFTC_ST_ID],
                  raftc_state_type_name((int)st[RAFTC_ST_RAFT_STATE]),
                  st[RAFTC_ST_IS_VOTER] ? "(Voter)" : "(Non-Voter)",
                  (unsigned long long)st[RAFTC_ST_TERM], (unsigned long long)st[RAFTC_ST_LEAD]);
    }
    return IA_OK;
}

int ia_cmd_status(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    char *s = NULL;
    rc = raftc_node_status_progress(&s, n->rn);
    if (rc != RAFTC_OK)
        return ia_check(e, n, rc);
    ia_puts(e, s);
    raftc_free(s);
    return IA_OK;
}
