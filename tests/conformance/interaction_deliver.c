/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_deliver.c: deliver-msgs (HARNESS.md §3.3) and stabilize (§3.4).
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

typedef struct recipient {
    uint64_t id;
    bool drop;
} recipient;

typedef struct recipients {
    recipient *v;
    size_t n, cap;
} recipients;

static void recipients_add(recipients *rs, uint64_t id, bool drop) {
    rs->v = su_grow(rs->v, &rs->cap, rs->n + 1, sizeof *rs->v);
    rs->v[rs->n++] = (recipient){id, drop};
}

/* etcd's rafttest isLocalMsg: never dropped, as those need reliable delivery. */
static bool is_local_msg(const ia_msg_hdr *h) {
    return h->from == h->to || h->from == RAFTC_LOCAL_APPEND_THREAD || h->from == RAFTC_LOCAL_APPLY_THREAD ||
           h->to == RAFTC_LOCAL_APPEND_THREAD || h->to == RAFTC_LOCAL_APPLY_THREAD;
}

/* splitMsgs: moves the matching messages (in order) from e->msgs to *taken. */
static void split_msgs(ia_env *e, uint64_t to, int type, bool drop, ia_msgq *taken) {
    size_t k = 0;
    for (size_t i = 0; i < e->msgs.n; i++) {
        ia_msg *m = &e->msgs.v[i];
        if (m->h.to == to && !(drop && is_local_msg(&m->h)) && (type < 0 || m->h.type == type)) {
            ia_msgq_push_msg(taken, m);
        } else {
            e->msgs.v[k++] = *m;
        }
    }
    e->msgs.n = k;
}

static bool has_msgs_to(ia_env *e, uint64_t to) {
    for (size_t i = 0; i < e->msgs.n; i++) {
        if (e->msgs.v[i].h.to == to)
            return true;
    }
    return false;
}

/* DeliverMsgs: returns the number of messages taken, or -1 on a fatal error. */
static long deliver(ia_env *e, int type, const recipient *rs, size_t n_rs) {
    long total = 0;
    for (size_t i = 0; i < n_rs; i++) {
        ia_msgq taken = {0};
        split_msgs(e, rs[i].id, type, rs[i].drop, &taken);
        total += (long)taken.n;
        for (size_t j = 0; j < taken.n; j++) {
            ia_msg *m = &taken.v[j];
            if (rs[i].drop)
                ia_puts(e, "dropped: ");
            ia_describe_message(e, m->b, m->len);
            ia_puts(e, "\n");
            if (rs[i].drop)
                continue;
            ia_node *to;
            if (m->h.to < 1 || m->h.to > e->n_nodes) {
                ia_fatal(e, "message to nonexistent node %llu", (unsigned long long)m->h.to);
                ia_msgq_free(&taken);
                return -1;
            }
            to = e->nodes[m->h.to - 1];
            if (ia_step(e, to, m) != IA_OK) {
                ia_msgq_free(&taken);
                return -1;
            }
        }
        ia_msgq_free(&taken);
    }
    return total;
}

int ia_cmd_deliver_msgs(ia_env *e, const dd_directive *d) {
    int type = -1;
    recipients rs = {0};
    int rc = IA_OK;
    for (size_t i = 0; i < d->n_args && rc == IA_OK; i++) {
        const dd_arg *a = &d->args[i];
        if (a->n_vals == 0) {
            uint64_t id;
            char *err = ia_parse_uint(a->key, &id);
            if (err != NULL) {
                rc = ia_fatal_take(e, err);
                break;
            }
            recipients_add(&rs, id, false);
        }
        for (size_t v = 0; v < a->n_vals && rc == IA_OK; v++) {
            if (strcmp(a->key, "drop") == 0) {
                uint64_t id;
                char *err = ia_parse_uint(a->vals[v], &id);
                if (err != NULL) {
                    rc = ia_fatal_take(e, err);
                    break;
                }
                for (size_t k = 0; k < rs.n; k++) {
                    if (rs.v[k].id == id) {
                        rc = ia_fatal(e, "can't both deliver and drop msgs to %llu",
                                      (unsigned long long)id);
                        break;
                    }
                }
                recipients_add(&rs, id, true);
            } else if (strcmp(a->key, "type") == 0) {
                raftc_msg_type mt;
                if (raftc_msg_type_parse(&mt, a->vals[v]) != RAFTC_OK)
                    rc = ia_fatal(e, "unknown message type %s", a->vals[v]);
                else
                    type = (int)mt;
            }
        }
    }
    if (rc == IA_OK) {
        long got = deliver(e, type, rs.v, rs.n);
        if (got < 0)
            rc = e->fatal != NULL ? IA_FATAL : IA_ERR; /* a harness error, or a failed node */
        else if (got == 0)
            ia_puts(e, "no messages\n");
    }
    free(rs.v);
    return rc;
}

/* The storage-thread phases of a stabilize round: runs every queued append (apply) work item
 * of each node. A plain error stops the append phase; the apply phase ignores plain errors, as
 * upstream does. Sets *busy if there was work. */
static int drain_threads(ia_env *e, ia_node **nodes, size_t n, bool append, bool *busy) {
    for (size_t i = 0; i < n; i++) {
        const ia_msgq *q = append ? &nodes[i]->append_work : &nodes[i]->apply_work;
        if (q->n == 0)
            continue;
        *busy = true;
        ia_printf(e, "> %llu processing %s thread\n", (unsigned long long)nodes[i]->id,
                  append ? "append" : "apply");
        while (q->n > 0) {
            sbuf *orig = ia_indent_begin(e);
            int rc = append ? ia_process_append_thread(e, nodes[i])
                            : ia_process_apply_thread(e, nodes[i]);
            ia_indent_end(e, orig);
            if (rc == IA_FATAL || (append && rc != IA_OK))
                return rc;
        }
    }
    return IA_OK;
}

/* One stabilize round over nodes; *busy tells whether any phase found work. */
static int stabilize_round(ia_env *e, ia_node **nodes, size_t n, bool *busy) {
    *busy = false;
    for (size_t i = 0; i < n; i++) {
        if (!ia_has_ready(nodes[i]))
            continue;
        *busy = true;
        ia_printf(e, "> %llu handling Ready\n", (unsigned long long)nodes[i]->id);
        sbuf *orig = ia_indent_begin(e);
        int rc = ia_process_ready(e, nodes[i]);
        ia_indent_end(e, orig);
        if (rc != IA_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (!has_msgs_to(e, nodes[i]->id))
            continue;
        *busy = true;
        ia_printf(e, "> %llu receiving messages\n", (unsigned long long)nodes[i]->id);
        sbuf *orig = ia_indent_begin(e);
        recipient r = {nodes[i]->id, false};
        long got = deliver(e, -1, &r, 1);
        ia_indent_end(e, orig);
        if (got < 0)
            return e->fatal != NULL ? IA_FATAL : IA_ERR;
    }
    int rc = drain_threads(e, nodes, n, true, busy);
    return rc != IA_OK ? rc : drain_threads(e, nodes, n, false, busy);
}

int ia_cmd_stabilize(ia_env *e, const dd_directive *d) {
    int64_t *ids;
    size_t n_ids;
    int rc = ia_node_ids(e, d, &ids, &n_ids);
    if (rc != IA_OK)
        return rc;
    int saved = e->lvl;
    for (size_t i = 0; i < d->n_args && rc == IA_OK; i++) {
        if (strcmp(d->args[i].key, "log-level") != 0)
            continue;
        for (size_t v = 0; v < d->args[i].n_vals && rc == IA_OK; v++)
            rc = ia_set_level(e, d->args[i].vals[v]);
    }
    size_t n = n_ids ? n_ids : e->n_nodes;
    ia_node **nodes = su_xrealloc(NULL, (n + 1) * sizeof *nodes);
    for (size_t i = 0; i < n; i++)
        nodes[i] = n_ids ? e->nodes[ids[i] - 1] : e->nodes[i];
    bool busy = rc == IA_OK;
    while (busy && rc == IA_OK)
        rc = stabilize_round(e, nodes, n, &busy);
    free(nodes);
    free(ids);
    e->lvl = saved;
    return rc;
}
