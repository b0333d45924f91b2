/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_env.c: the interaction environment's containers (HARNESS.md §2): message queues
 * and the per-node History of appender-state-machine snapshots.
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

void ia_msgq_push_msg(ia_msgq *q, ia_msg *m) {
    q->v = su_grow(q->v, &q->cap, q->n + 1, sizeof *q->v);
    q->v[q->n++] = *m;
    memset(m, 0, sizeof *m);
}

void ia_msgq_push(ia_msgq *q, const uint8_t *b, size_t len) {
    ia_msg m;
    memset(&m, 0, sizeof m);
    m.b = su_xrealloc(NULL, len);
    if (len)
        memcpy(m.b, b, len);
    m.len = len;
    ia_msg_header(b, len, &m.h);
    ia_msgq_push_msg(q, &m);
}

bool ia_msgq_pop(ia_msgq *q, ia_msg *m) {
    if (q->n == 0)
        return false;
    *m = q->v[0];
    memmove(q->v, q->v + 1, (q->n - 1) * sizeof *q->v);
    q->n--;
    return true;
}

void ia_msgq_free(ia_msgq *q) {
    for (size_t i = 0; i < q->n; i++)
        free(q->v[i].b);
    free(q->v);
    memset(q, 0, sizeof *q);
}

ia_snap *ia_history_tip(ia_node *n) { return &n->history[n->n_history - 1]; }

ia_snap *ia_history_push(ia_node *n) {
    n->history = su_grow(n->history, &n->cap_history, n->n_history + 1, sizeof *n->history);
    ia_snap *s = &n->history[n->n_history++];
    memset(s, 0, sizeof *s);
    return s;
}

void ia_history_free(ia_node *n) {
    for (size_t i = 0; i < n->n_history; i++) {
        sbuf_free(&n->history[i].data);
        sbuf_free(&n->history[i].cs);
    }
    free(n->history);
    n->history = NULL;
    n->n_history = n->cap_history = 0;
}

int ia_snap_encode(const ia_snap *s, raftc_sink *out) {
    return raftc_snapshot_encode(out, s->index, s->term, (const uint8_t *)s->cs.p, s->cs.n,
                                 (const uint8_t *)s->data.p, s->data.n);
}

void ia_env_free(ia_env *e) {
    if (e == NULL)
        return;
    for (size_t i = 0; i < e->n_nodes; i++)
        ia_node_destroy(e->nodes[i]);
    free(e->nodes);
    ia_msgq_free(&e->msgs);
    sbuf_free(&e->root);
    free(e->err);
    free(e->fatal);
    free(e);
}

ia_env *ia_env_new(void) {
    ia_env *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->out = &e->root;
    e->lvl = IA_LVL_DEBUG;
    return e;
}

ia_node *ia_node_alloc(ia_env *e) {
    ia_node *n = su_xrealloc(NULL, sizeof *n);
    memset(n, 0, sizeof *n);
    n->env = e;
    n->id = e->n_nodes + 1;
    return n;
}

void ia_node_destroy(ia_node *n) {
    if (n == NULL)
        return;
    ia_node_free(n);
    ia_msgq_free(&n->append_work);
    ia_msgq_free(&n->apply_work);
    ia_history_free(n);
    free(n);
}

void ia_env_append_node(ia_env *e, ia_node *n) {
    e->nodes = su_xrealloc(e->nodes, (e->n_nodes + 1) * sizeof *e->nodes);
    e->nodes[e->n_nodes++] = n;
}
