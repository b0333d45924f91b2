/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_ext.c: the project's interaction commands beyond etcd's harness (documented in
 * tests/conformance/README.md; the Python driver and the etcd oracle implement the same):
 * restart, storage-snapshot (shared with etcd raft), and storage-fail, ready, advance,
 * step-bytes (raftc-only: etcd panics or has no such input).
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

/* restart ID: the node's process crashes and restarts over its storage. Its raft node, the
 * work of its storage threads and the local messages addressed to it (its own acks and the
 * storage threads' responses) are lost; the storage, the state machine (History) and the
 * messages on the network stay. The new node is opened with the node's add-nodes config and
 * Applied = the History tip's index. Prints the new node's start-up log. */
int ia_cmd_restart(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    raftc_node_free(n->rn);
    n->rn = NULL;
    ia_msgq_free(&n->append_work);
    ia_msgq_free(&n->apply_work);
    ia_msgq keep = {0};
    ia_msg m;
    while (ia_msgq_pop(&e->msgs, &m)) {
        bool from_self = m.h.from == n->id || m.h.from == RAFTC_LOCAL_APPEND_THREAD ||
                         m.h.from == RAFTC_LOCAL_APPLY_THREAD;
        if (m.h.to == n->id && from_self)
            free(m.b);
        else
            ia_msgq_push_msg(&keep, &m);
    }
    ia_msgq_free(&e->msgs);
    e->msgs = keep;
    rc = ia_storage_recover(e, n); /* a disk node's storage comes back from its directory */
    if (rc != IA_OK)
        return rc;
    ia_node_cfg cfg = n->cfg;
    cfg.applied = ia_history_tip(n)->index;
    return ia_node_open(e, n, &cfg);
}

static const struct {
    const char *name;
    unsigned bit;
} storage_calls[] = {
    {"initial-state", IA_FAIL_INITIAL_STATE}, {"entries", IA_FAIL_ENTRIES},
    {"term", IA_FAIL_TERM},                   {"first-index", IA_FAIL_FIRST_INDEX},
    {"last-index", IA_FAIL_LAST_INDEX},       {"snapshot", IA_FAIL_SNAPSHOT},
};

/* storage-fail ID [CALL...]: from now on the named storage callbacks of the node (initial-state,
 * entries, term, first-index, last-index, snapshot) fail with a storage error; with none, every
 * callback works again. */
int ia_cmd_storage_fail(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    unsigned failing = 0;
    for (size_t i = 1; i < d->n_args; i++) {
        size_t k = 0, count = sizeof storage_calls / sizeof storage_calls[0];
        while (k < count && strcmp(d->args[i].key, storage_calls[k].name) != 0)
            k++;
        if (k == count || d->args[i].n_vals > 0)
            return ia_fatal(e, "storage-fail: unknown storage call %s", d->args[i].key);
        failing |= storage_calls[k].bit;
    }
    n->failing = failing;
    return IA_OK;
}

/* storage-snapshot ID: the snapshot in the node's storage (what it persisted, not the History
 * tip its Snapshot() hands out) as DescribeSnapshot + " Data:" + %q of its data. */
int ia_cmd_storage_snapshot(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    raftc_sink *snap = NULL, *data = NULL;
    if (raftc_sink_new(&snap) != RAFTC_OK || raftc_sink_new(&data) != RAFTC_OK)
        su_die_oom();
    const uint8_t *b = NULL, *db = NULL;
    size_t len = 0, dlen = 0;
    char *text = NULL;
    rc = raftc_memstorage_snapshot(snap, n->ms);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&b, &len, snap, 0);
    if (rc == RAFTC_OK)
        rc = raftc_snapshot_decode(NULL, NULL, NULL, data, b, len);
    if (rc == RAFTC_OK && raftc_sink_count(data) > 0)
        rc = raftc_sink_get(&db, &dlen, data, 0);
    if (rc == RAFTC_OK)
        rc = raftc_snapshot_describe(&text, b, len);
    if (rc == RAFTC_OK) {
        sbuf line = {0};
        char *s = su_strndup((const char *)db, dlen);
        sbuf_printf(&line, "%s Data:", text);
        go_quote(&line, s);
        ia_puts(e, line.p);
        free(s);
        sbuf_free(&line);
        raftc_free(text);
    }
    raftc_sink_free(snap);
    raftc_sink_free(data);
    return rc == RAFTC_OK ? IA_OK : ia_fail(e, "%s", raftc_strerror(rc));
}

/* ready ID: RawNode.Ready without handling it: the Ready is printed and accepted, nothing is
 * persisted, applied or sent (a host that lost it). */
int ia_cmd_ready(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    raftc_ready *rd = NULL;
    rc = raftc_node_ready(&rd, n->rn);
    if (rc != RAFTC_OK)
        return ia_check(e, n, rc);
    char *text = NULL;
    rc = raftc_ready_describe(&text, rd);
    if (rc != RAFTC_OK)
        return ia_fail(e, "%s", raftc_strerror(rc));
    ia_puts(e, text);
    raftc_free(text);
    return IA_OK;
}

/* advance ID: RawNode.Advance on its own (after `ready`, or out of order). */
int ia_cmd_advance(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    return rc != IA_OK ? rc : ia_check(e, n, raftc_node_advance(n->rn));
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* step-bytes ID + input: steps the bytes written in hex in the input (whitespace ignored) as a
 * raftpb Message, exactly as a transport would hand them over; prints the refusal, if any. */
int ia_cmd_step_bytes(ia_env *e, const dd_directive *d) {
    ia_node *n;
    int rc = ia_first_node(e, d, &n);
    if (rc != IA_OK)
        return rc;
    sbuf b = {0};
    int hi = -1;
    for (const char *p = d->input; p != NULL && *p != '\0'; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t')
            continue;
        int v = hex_digit(*p);
        if (v < 0) {
            sbuf_free(&b);
            return ia_fatal(e, "step-bytes: %c is not a hex digit", *p);
        }
        if (hi < 0) {
            hi = v;
        } else {
            sbuf_putc(&b, (char)(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0) {
        sbuf_free(&b);
        return ia_fatal(e, "step-bytes: odd number of hex digits");
    }
    rc = raftc_node_step(n->rn, (const uint8_t *)b.p, b.n);
    sbuf_free(&b);
    return ia_check(e, n, rc);
}
