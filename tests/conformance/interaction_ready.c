/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_ready.c: Ready handling (HARNESS.md §3.1), the async append/apply threads (§3.2)
 * and the storage side of both: processAppend into the MemoryStorage and processApply into the
 * "appender" state machine whose snapshots form the node's History (§2.3).
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

/* A borrowed list of encoded entries. */
typedef struct ents {
    const uint8_t **b;
    size_t *len;
    size_t n;
} ents;

static void ents_init(ents *es, size_t n) {
    es->b = calloc(n + 1, sizeof *es->b);
    es->len = calloc(n + 1, sizeof *es->len);
    if (es->b == NULL || es->len == NULL)
        abort();
    es->n = n;
}

static void ents_free(ents *es) {
    free(es->b);
    free(es->len);
    memset(es, 0, sizeof *es);
}

static void ents_from_sink(ents *es, const raftc_sink *s) {
    ents_init(es, raftc_sink_count(s));
    for (size_t i = 0; i < es->n; i++)
        raftc_sink_get(&es->b[i], &es->len[i], s, i);
}

/* Maps a memory-storage result: etcd returns its errors, and panics where raftc says FAILED. */
static int storage_result(ia_env *e, ia_node *n, int rc, const char *what) {
    if (rc == RAFTC_OK)
        return IA_OK;
    if (rc == RAFTC_EFAILED)
        return ia_fatal(e, "node %llu: MemoryStorage.%s panicked", (unsigned long long)n->id,
                        what);
    return ia_fail(e, "%s", raftc_strerror(rc));
}

/* processAppend(hs, entries, snapshot). hs is applied if non-empty; snap may be NULL. */
static int process_append(ia_env *e, ia_node *n, uint64_t term, uint64_t vote, uint64_t commit,
                          const ents *es, const uint8_t *snap, size_t snap_len) {
    int rc;
    if (term != 0 || vote != 0 || commit != 0) {
        rc = ia_storage_set_hard_state(n, term, vote, commit);
        if (rc != RAFTC_OK)
            return storage_result(e, n, rc, "SetHardState");
    }
    uint64_t snap_index = 0;
    if (snap != NULL) {
        rc = raftc_snapshot_decode(&snap_index, NULL, NULL, NULL, snap, snap_len);
        if (rc != RAFTC_OK)
            return ia_fail(e, "%s", raftc_strerror(rc));
    }
    if (snap_index != 0) {
        if (es->n > 0)
            return ia_fail(e, "can't apply snapshot and entries at the same time");
        rc = ia_storage_apply_snapshot(n, snap, snap_len);
        return storage_result(e, n, rc, "ApplySnapshot");
    }
    if (es->n == 0)
        return IA_OK;
    rc = ia_storage_append(n, es->b, es->len, es->n);
    return storage_result(e, n, rc, "Append");
}

/* Applies one committed entry to the appender state machine and records the new History tip. */
static int apply_entry(ia_env *e, ia_node *n, const uint8_t *b, size_t len) {
    uint64_t term = 0, index = 0;
    raftc_entry_type type = 0;
    const uint8_t *data = NULL;
    size_t data_len = 0;
    int rc = raftc_entry_decode(&term, &index, &type, &data, &data_len, b, len);
    if (rc != RAFTC_OK)
        return ia_fail(e, "%s", raftc_strerror(rc));

    raftc_sink *update = NULL, *cs = NULL;
    if (raftc_sink_new(&update) != RAFTC_OK || raftc_sink_new(&cs) != RAFTC_OK)
        abort();
    int res = IA_OK;
    if (type == RAFTC_ENTRY_CONF_CHANGE || type == RAFTC_ENTRY_CONF_CHANGE_V2) {
        int kind = type == RAFTC_ENTRY_CONF_CHANGE ? RAFTC_CC_V1 : RAFTC_CC_V2;
        rc = raftc_conf_change_decode_context(update, kind, data, data_len);
        if (rc != RAFTC_OK) {
            res = ia_fail(e, "%s", raftc_strerror(rc));
        } else {
            rc = raftc_node_apply_conf_change(cs, n->rn, kind, data, data_len);
            res = ia_check(e, n, rc);
        }
    } else {
        raftc_sink_put(update, data, data_len);
    }
    if (res == IA_OK) {
        size_t tip = n->n_history - 1;
        ia_snap *s = ia_history_push(n); /* may move History */
        const ia_snap *prev = &n->history[tip];
        sbuf_append(&s->data, prev->data.p, prev->data.n);
        const uint8_t *u;
        size_t ulen;
        if (raftc_sink_get(&u, &ulen, update, 0) == RAFTC_OK)
            sbuf_append(&s->data, u, ulen);
        s->index = index;
        s->term = term;
        if (raftc_sink_count(cs) > 0 && raftc_sink_get(&u, &ulen, cs, 0) == RAFTC_OK)
            sbuf_append(&s->cs, u, ulen);
        else
            sbuf_append(&s->cs, prev->cs.p, prev->cs.n);
    }
    raftc_sink_free(update);
    raftc_sink_free(cs);
    return res;
}

static int process_apply(ia_env *e, ia_node *n, const ents *es) {
    for (size_t i = 0; i < es->n; i++) {
        int rc = apply_entry(e, n, es->b[i], es->len[i]);
        if (rc != IA_OK)
            return rc;
    }
    return IA_OK;
}

/* Routes one Ready message: storage-thread work to the node's queues, the rest to the env. */
static int route_message(ia_env *e, ia_node *n, const uint8_t *b, size_t len) {
    ia_msg_hdr h;
    int rc = ia_msg_header(b, len, &h);
    if (rc != RAFTC_OK)
        return ia_fatal(e, "node %llu: undecodable Ready message: %s", (unsigned long long)n->id,
                        raftc_strerror(rc));
    if (h.to != RAFTC_LOCAL_APPEND_THREAD && h.to != RAFTC_LOCAL_APPLY_THREAD) {
        ia_msgq_push(&e->msgs, b, len);
        return IA_OK;
    }
    if (!n->async)
        return ia_fatal(e, "unexpected local msg target");
    if (h.type == RAFTC_MSG_STORAGE_APPEND)
        ia_msgq_push(&n->append_work, b, len);
    else if (h.type == RAFTC_MSG_STORAGE_APPLY)
        ia_msgq_push(&n->apply_work, b, len);
    else
        return ia_fatal(e, "unexpected message type %s", raftc_msg_type_name(h.type));
    return IA_OK;
}

int ia_process_ready(ia_env *e, ia_node *n) {
    raftc_ready *rd = NULL;
    int rc = raftc_node_ready(&rd, n->rn);
    if (rc != RAFTC_OK)
        return ia_check(e, n, rc); /* a failed node, or Ready misuse (RAFTC_ESTATE) */
    char *desc = NULL;
    rc = raftc_ready_describe(&desc, rd);
    if (rc != RAFTC_OK)
        return ia_fatal(e, "raftc_ready_describe: %s", raftc_strerror(rc));
    ia_puts(e, desc);
    raftc_free(desc);

    uint64_t info[RAFTC_RD_COUNT] = {0};
    raftc_ready_info(info, RAFTC_RD_COUNT, rd);
    if (!n->async) {
        ents es;
        ents_init(&es, info[RAFTC_RD_N_ENTRIES]);
        for (size_t i = 0; i < es.n; i++)
            raftc_ready_entry(&es.b[i], &es.len[i], rd, i);
        const uint8_t *snap = NULL;
        size_t snap_len = 0;
        if (info[RAFTC_RD_HAS_SNAPSHOT] && raftc_ready_snapshot(&snap, &snap_len, rd) != RAFTC_OK)
            snap = NULL;
        uint64_t term = 0, vote = 0, commit = 0;
        if (info[RAFTC_RD_HAS_HARD_STATE]) {
            term = info[RAFTC_RD_TERM];
            vote = info[RAFTC_RD_VOTE];
            commit = info[RAFTC_RD_COMMIT];
        }
        rc = process_append(e, n, term, vote, commit, &es, snap, snap_len);
        ents_free(&es);
        if (rc != IA_OK)
            return rc;
        ents_init(&es, info[RAFTC_RD_N_COMMITTED_ENTRIES]);
        for (size_t i = 0; i < es.n; i++)
            raftc_ready_committed_entry(&es.b[i], &es.len[i], rd, i);
        rc = process_apply(e, n, &es);
        ents_free(&es);
        if (rc != IA_OK)
            return rc;
    }
    for (size_t i = 0; i < info[RAFTC_RD_N_MESSAGES]; i++) {
        const uint8_t *b;
        size_t len;
        if (raftc_ready_message(&b, &len, rd, i) != RAFTC_OK)
            return ia_fatal(e, "raftc_ready_message %zu failed", i);
        rc = route_message(e, n, b, len);
        if (rc != IA_OK)
            return rc;
    }
    if (!n->async)
        return ia_check(e, n, raftc_node_advance(n->rn));
    return IA_OK;
}

/* One step of a storage thread (append: true / apply: false). */
static int process_thread(ia_env *e, ia_node *n, bool append) {
    ia_msg m;
    if (!ia_msgq_pop(append ? &n->append_work : &n->apply_work, &m)) {
        ia_puts(e, append ? "no append work to perform" : "no apply work to perform");
        return IA_OK;
    }
    raftc_sink *entries = NULL, *snap = NULL, *resps = NULL, *stripped = NULL;
    if (raftc_sink_new(&entries) != RAFTC_OK || raftc_sink_new(&snap) != RAFTC_OK ||
        raftc_sink_new(&resps) != RAFTC_OK || raftc_sink_new(&stripped) != RAFTC_OK)
        abort();
    int res = IA_OK;
    int rc = raftc_message_decode_parts(entries, snap, resps, NULL, m.b, m.len);
    if (rc == RAFTC_OK)
        rc = raftc_message_strip_responses(stripped, m.b, m.len);
    if (rc != RAFTC_OK) {
        res = ia_fatal(e, "undecodable storage message: %s", raftc_strerror(rc));
        goto out;
    }
    const uint8_t *b;
    size_t len;
    raftc_sink_get(&b, &len, stripped, 0);
    ia_puts(e, "Processing:\n");
    ia_describe_message(e, b, len);
    ia_puts(e, "\n");

    ents es;
    ents_from_sink(&es, entries);
    if (append) {
        const uint8_t *sb = NULL;
        size_t slen = 0;
        if (raftc_sink_count(snap) > 0)
            raftc_sink_get(&sb, &slen, snap, 0);
        res = process_append(e, n, m.h.term, m.h.vote, m.h.commit, &es, sb, slen);
    } else {
        res = process_apply(e, n, &es);
    }
    ents_free(&es);
    if (res != IA_OK)
        goto out;
    ia_puts(e, "Responses:\n");
    for (size_t i = 0; i < raftc_sink_count(resps); i++) {
        raftc_sink_get(&b, &len, resps, i);
        ia_describe_message(e, b, len);
        ia_puts(e, "\n");
        ia_msgq_push(&e->msgs, b, len);
    }
out:
    free(m.b);
    raftc_sink_free(entries);
    raftc_sink_free(snap);
    raftc_sink_free(resps);
    raftc_sink_free(stripped);
    return res;
}

int ia_process_append_thread(ia_env *e, ia_node *n) { return process_thread(e, n, true); }
int ia_process_apply_thread(ia_env *e, ia_node *n) { return process_thread(e, n, false); }

/* The shared shape of process-ready / process-append-thread / process-apply-thread. */
static int for_each_node(ia_env *e, const dd_directive *d, const char *header,
                         int (*fn)(ia_env *, ia_node *)) {
    int64_t *ids;
    size_t n;
    int rc = ia_node_ids(e, d, &ids, &n);
    if (rc != IA_OK)
        return rc;
    for (size_t i = 0; i < n && rc == IA_OK; i++) {
        ia_node *node = e->nodes[ids[i] - 1];
        if (n > 1) {
            ia_printf(e, "> %lld %s\n", (long long)ids[i], header);
            sbuf *orig = ia_indent_begin(e);
            rc = fn(e, node);
            ia_indent_end(e, orig);
        } else {
            rc = fn(e, node);
        }
    }
    free(ids);
    return rc;
}

int ia_cmd_process_ready(ia_env *e, const dd_directive *d) {
    return for_each_node(e, d, "handling Ready", ia_process_ready);
}

int ia_cmd_process_append_thread(ia_env *e, const dd_directive *d) {
    return for_each_node(e, d, "processing append thread", ia_process_append_thread);
}

int ia_cmd_process_apply_thread(ia_env *e, const dd_directive *d) {
    return for_each_node(e, d, "processing apply thread", ia_process_apply_thread);
}
