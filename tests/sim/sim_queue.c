/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_queue.c: the network's queue of messages in flight (sim_queue.h), shared by the
 * single-group and the multi-raft modes.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

uint64_t sim_queue_delay(void)
{
    /* Without reordering, and while healed, every link is FIFO with a fixed latency. */
    if (!S.opts.reorder || S.healing)
        return 2;
    /* Mostly short, sometimes long (a late heartbeat or a stale append). */
    if (sim_chance(30))
        return 1 + sim_below((uint64_t)S.p.max_delay * 4);
    return 1 + sim_below((uint64_t)S.p.max_delay);
}

void sim_queue_push(sim_queue *q, const uint8_t *buf, size_t len, uint64_t from, uint64_t to,
                    int type, uint64_t at)
{
    sim_grow((void **)&q->msgs, &q->cap, q->n + 1, sizeof(sim_msg));
    sim_msg *m = &q->msgs[q->n++];
    m->buf = sim_xmalloc(len);
    memcpy(m->buf, buf, len);
    m->len = len;
    m->from = from;
    m->to = to;
    m->type = type;
    m->at = at;
    m->seq = q->seq++;
}

static int cmp_msg(const void *a, const void *b)
{
    const sim_msg *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void sim_queue_deliver_due(sim_queue *q, uint64_t now, void (*deliver)(sim_msg *m))
{
    size_t n_due = 0;
    for (size_t i = 0; i < q->n; i++)
        n_due += q->msgs[i].at <= now;
    if (n_due == 0)
        return;
    sim_msg *due = sim_xmalloc(n_due * sizeof *due);
    size_t k = 0, keep = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (q->msgs[i].at <= now)
            due[k++] = q->msgs[i];
        else
            q->msgs[keep++] = q->msgs[i];
    }
    q->n = keep;
    qsort(due, n_due, sizeof *due, cmp_msg);
    for (size_t i = 0; i < n_due; i++) {
        deliver(&due[i]);
        free(due[i].buf);
        due[i].buf = NULL;
    }
    free(due);
}

void sim_queue_clear(sim_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        free(q->msgs[i].buf);
    q->n = 0;
}

void sim_queue_free(sim_queue *q)
{
    sim_queue_clear(q);
    free(q->msgs);
    q->msgs = NULL;
    q->cap = 0;
}
