/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * cio.c: the in-memory raft_io backend of cio.h.
 */
#define _GNU_SOURCE
#include "cio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include "uvcodec.h"

enum { WORK_APPEND, WORK_SEND, WORK_SNAP_PUT, WORK_SNAP_GET, WORK_CLOSE };

typedef struct work {
    int kind;
    cio_node *node;
    void *req;
    void *cb;
    struct raft_snapshot *snap; /* WORK_SNAP_GET */
} work;

struct cio_loop {
    cio_node *nodes[CIO_MAX_NODES + 1]; /* by id */
    raft_time now;
    work *q;
    size_t q_head, q_len, q_cap;
    uint8_t *wire, *wire2; /* records: u64 to, u64 from, u64 len, bytes (8-aligned); the
                           * sender travels beside the bytes, as a TCP connection names it */
    size_t wire_len, wire_cap, wire2_cap;
    uint64_t msgs, bytes;
    int oom;
};

cio_loop *cio_loop_new(void)
{
    return calloc(1, sizeof(cio_loop));
}

void cio_loop_free(cio_loop *l)
{
    if (l == NULL)
        return;
    free(l->q);
    free(l->wire);
    free(l->wire2);
    free(l);
}

void cio_loop_set_time(cio_loop *l, raft_time ms)
{
    l->now = ms;
}

void cio_loop_counts(const cio_loop *l, uint64_t *msgs, uint64_t *bytes)
{
    *msgs = l->msgs;
    *bytes = l->bytes;
}

static int queue_push(cio_loop *l, work w)
{
    if (l->q_head + l->q_len == l->q_cap) {
        if (l->q_head > 0) {
            memmove(l->q, l->q + l->q_head, l->q_len * sizeof *l->q);
            l->q_head = 0;
        }
        if (l->q_len == l->q_cap) {
            size_t cap = l->q_cap ? 2 * l->q_cap : 256;
            work *q = realloc(l->q, cap * sizeof *q);
            if (q == NULL)
                return RAFT_NOMEM;
            l->q = q;
            l->q_cap = cap;
        }
    }
    l->q[l->q_head + l->q_len++] = w;
    return 0;
}

/* ---- persistence (term, vote, entry metadata) ---- */

static int meta_append(cio_node *n, const struct raft_entry *e, size_t count)
{
    if (n->n_meta + count > n->cap_meta) {
        size_t cap = n->cap_meta ? n->cap_meta : 8;
        while (cap < n->n_meta + count)
            cap *= 2;
        struct cio_meta *m = realloc(n->meta, cap * sizeof *m);
        if (m == NULL)
            return RAFT_NOMEM;
        n->meta = m;
        n->cap_meta = cap;
    }
    for (size_t i = 0; i < count; i++) {
        struct cio_meta *m = &n->meta[n->n_meta++];
        m->term = e[i].term;
        m->type = e[i].type;
        m->len = e[i].buf.len;
    }
    return 0;
}

/* Drops the metadata of entries before index keep_from. */
static void meta_drop_before(cio_node *n, raft_index keep_from)
{
    if (keep_from <= n->start)
        return;
    size_t drop = (size_t)(keep_from - n->start);
    if (drop > n->n_meta)
        drop = n->n_meta;
    memmove(n->meta, n->meta + drop, (n->n_meta - drop) * sizeof *n->meta);
    n->n_meta -= drop;
    n->start += drop;
}

static int io_init(struct raft_io *io, raft_id id, const char *address)
{
    (void)io, (void)id, (void)address;
    return 0;
}

static void io_close(struct raft_io *io, raft_io_close_cb cb)
{
    cio_node *n = io->impl;
    work w = {WORK_CLOSE, n, NULL, (void *)cb, NULL};
    if (queue_push(n->loop, w) != 0)
        cb(io); /* cannot defer: close now */
}

static int io_load(struct raft_io *io, raft_term *term, raft_id *voted_for,
                   struct raft_snapshot **snapshot, raft_index *start_index,
                   struct raft_entry *entries[], size_t *n_entries)
{
    cio_node *n = io->impl;
    *term = n->term;
    *voted_for = n->vote;
    *snapshot = NULL;
    *start_index = 1;
    *entries = NULL;
    *n_entries = 0;
    if (n->conf.len == 0)
        return 0;
    /* Only the bootstrap entry is ever loaded (nodes start once, freshly bootstrapped). */
    struct raft_entry *e = raft_calloc(1, sizeof *e);
    void *data = raft_malloc(n->conf.len);
    if (e == NULL || data == NULL) {
        raft_free(e);
        raft_free(data);
        return RAFT_NOMEM;
    }
    memcpy(data, n->conf.base, n->conf.len);
    e->term = 1;
    e->type = RAFT_CHANGE;
    e->buf.base = data;
    e->buf.len = n->conf.len;
    e->batch = data;
    *entries = e;
    *n_entries = 1;
    return 0;
}

static int io_start(struct raft_io *io, unsigned msecs, raft_io_tick_cb tick,
                    raft_io_recv_cb recv)
{
    (void)msecs;
    cio_node *n = io->impl;
    n->tick = tick;
    n->recv = recv;
    return 0;
}

static int io_bootstrap(struct raft_io *io, const struct raft_configuration *conf)
{
    cio_node *n = io->impl;
    if (n->conf.len != 0)
        return RAFT_CANTBOOTSTRAP;
    int rc = raft_configuration_encode(conf, &n->conf);
    if (rc != 0)
        return rc;
    n->term = 1;
    struct raft_entry e = {1, RAFT_CHANGE, n->conf, NULL};
    n->start = 1;
    return meta_append(n, &e, 1);
}

static int io_recover(struct raft_io *io, const struct raft_configuration *conf)
{
    (void)io, (void)conf;
    return RAFT_NOTFOUND;
}

static int io_set_term(struct raft_io *io, raft_term term)
{
    cio_node *n = io->impl;
    n->term = term;
    n->vote = 0;
    return 0;
}

static int io_set_vote(struct raft_io *io, raft_id server_id)
{
    cio_node *n = io->impl;
    n->vote = server_id;
    return 0;
}

/* ---- network: canonical's encoding into the loop's wire ---- */

static int wire_put(cio_loop *l, raft_id to, raft_id from, const uv_buf_t *bufs,
                    unsigned n_bufs)
{
    size_t len = 0;
    for (unsigned i = 0; i < n_bufs; i++)
        len += bufs[i].len;
    size_t need = (l->wire_len + 24 + len + 7) & ~(size_t)7;
    if (need > l->wire_cap) {
        size_t cap = l->wire_cap ? l->wire_cap : 1 << 16;
        while (cap < need)
            cap *= 2;
        uint8_t *w = realloc(l->wire, cap);
        if (w == NULL)
            return RAFT_NOMEM;
        l->wire = w;
        l->wire_cap = cap;
    }
    uint64_t hdr[3] = {to, from, len};
    uint8_t *p = l->wire + l->wire_len;
    memcpy(p, hdr, sizeof hdr);
    p += sizeof hdr;
    for (unsigned i = 0; i < n_bufs; i++) {
        memcpy(p, bufs[i].base, bufs[i].len);
        p += bufs[i].len;
    }
    l->wire_len = need;
    return 0;
}

static int io_send(struct raft_io *io, struct raft_io_send *req,
                   const struct raft_message *message, raft_io_send_cb cb)
{
    cio_node *n = io->impl;
    uv_buf_t *bufs = NULL;
    unsigned n_bufs = 0;
    int rc = uvEncodeMessage(message, &bufs, &n_bufs);
    if (rc != 0)
        return rc;
    rc = wire_put(n->loop, message->server_id, n->id, bufs, n_bufs);
    raft_free(bufs[0].base);
    raft_free(bufs);
    if (rc != 0)
        return rc;
    work w = {WORK_SEND, n, req, (void *)cb, NULL};
    return queue_push(n->loop, w);
}

int cio_loop_inject(cio_loop *l, raft_id from, const struct raft_message *m)
{
    uv_buf_t *bufs = NULL;
    unsigned n_bufs = 0;
    int rc = uvEncodeMessage(m, &bufs, &n_bufs);
    if (rc != 0)
        return rc;
    rc = wire_put(l, m->server_id, from, bufs, n_bufs);
    raft_free(bufs[0].base);
    raft_free(bufs);
    return rc;
}

size_t cio_node_bytes(const cio_node *n)
{
    size_t b = malloc_usable_size(n->meta);
    if (n->conf.base != NULL)
        b += malloc_usable_size(n->conf.base);
    if (n->snap != NULL) {
        b += malloc_usable_size(n->snap) + malloc_usable_size(n->snap->bufs);
        for (unsigned i = 0; i < n->snap->n_bufs; i++)
            b += malloc_usable_size(n->snap->bufs[i].base);
        b += malloc_usable_size(n->snap->configuration.servers);
        for (unsigned i = 0; i < n->snap->configuration.n; i++)
            b += malloc_usable_size(n->snap->configuration.servers[i].address);
    }
    return b;
}

/* Decodes one wire record and hands it to the receiver. */
static int deliver(cio_loop *l, const raft_id from_to[2], const uint8_t *b, size_t len)
{
    cio_node *to = from_to[1] <= CIO_MAX_NODES ? l->nodes[from_to[1]] : NULL;
    if (to == NULL || to->recv == NULL || len < 16)
        return 0; /* no such node: dropped, as an unreachable peer */
    uint64_t pre[2];
    memcpy(pre, b, sizeof pre);
    if (pre[1] > len - 16)
        return RAFT_MALFORMED;
    uv_buf_t header = {(char *)(b + 16), (size_t)pre[1]};
    struct raft_message m;
    memset(&m, 0, sizeof m);
    size_t payload_len = 0;
    int rc = uvDecodeMessage((unsigned long)pre[0], &header, &m, &payload_len);
    if (rc != 0)
        return rc;
    if (16 + pre[1] + payload_len > len)
        return RAFT_MALFORMED;
    const uint8_t *payload = b + 16 + pre[1];
    if (m.type == RAFT_IO_APPEND_ENTRIES && m.append_entries.n_entries > 0) {
        /* The receive buffer: raft frees it with the entries that point into it. */
        uint8_t *batch = raft_malloc(payload_len > 0 ? payload_len : 1);
        if (batch == NULL) {
            raft_free(m.append_entries.entries);
            return RAFT_NOMEM;
        }
        memcpy(batch, payload, payload_len);
        uvDecodeEntriesBatch(batch, 0, m.append_entries.entries, m.append_entries.n_entries);
    }
    /* The message names its peer: the sender, on the receiving side. */
    static const char *const addr[CIO_MAX_NODES + 1] = {"0", "1", "2", "3"};
    m.server_id = from_to[0];
    m.server_address = from_to[0] <= CIO_MAX_NODES ? addr[from_to[0]] : "";
    to->recv(&to->io, &m);
    return 0;
}

/* ---- disk: append, truncate, snapshots ---- */

static int io_append(struct raft_io *io, struct raft_io_append *req,
                     const struct raft_entry entries[], unsigned n, raft_io_append_cb cb)
{
    cio_node *node = io->impl;
    int rc = meta_append(node, entries, n);
    if (rc != 0)
        return rc;
    work w = {WORK_APPEND, node, req, (void *)cb, NULL};
    return queue_push(node->loop, w);
}

static int io_truncate(struct raft_io *io, raft_index index)
{
    cio_node *n = io->impl;
    if (index < n->start)
        index = n->start;
    if (index - n->start < n->n_meta)
        n->n_meta = (size_t)(index - n->start);
    return 0;
}

static void snap_free(struct raft_snapshot *s)
{
    if (s == NULL)
        return;
    raft_configuration_close(&s->configuration);
    for (unsigned i = 0; i < s->n_bufs; i++)
        raft_free(s->bufs[i].base);
    raft_free(s->bufs);
    raft_free(s);
}

/* A copy of s (configuration and data in one buffer), raft_malloc'd as snapshot_get returns. */
static struct raft_snapshot *snap_copy(const struct raft_snapshot *s)
{
    struct raft_snapshot *c = raft_calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->index = s->index;
    c->term = s->term;
    c->configuration_index = s->configuration_index;
    raft_configuration_init(&c->configuration);
    for (unsigned i = 0; i < s->configuration.n; i++) {
        const struct raft_server *sv = &s->configuration.servers[i];
        if (raft_configuration_add(&c->configuration, sv->id, sv->address, sv->role) != 0) {
            snap_free(c);
            return NULL;
        }
    }
    size_t len = 0;
    for (unsigned i = 0; i < s->n_bufs; i++)
        len += s->bufs[i].len;
    c->bufs = raft_calloc(1, sizeof *c->bufs);
    uint8_t *d = raft_malloc(len > 0 ? len : 1);
    if (c->bufs == NULL || d == NULL) {
        raft_free(d);
        snap_free(c);
        return NULL;
    }
    c->n_bufs = 1;
    c->bufs[0].base = d;
    c->bufs[0].len = len;
    for (unsigned i = 0; i < s->n_bufs; i++) {
        memcpy(d, s->bufs[i].base, s->bufs[i].len);
        d += s->bufs[i].len;
    }
    return c;
}

static int io_snapshot_put(struct raft_io *io, unsigned trailing,
                           struct raft_io_snapshot_put *req,
                           const struct raft_snapshot *snapshot, raft_io_snapshot_put_cb cb)
{
    cio_node *n = io->impl;
    struct raft_snapshot *c = snap_copy(snapshot);
    if (c == NULL)
        return RAFT_NOMEM;
    snap_free(n->snap);
    n->snap = c;
    if (trailing == 0) { /* an installed snapshot replaces the whole log */
        n->n_meta = 0;
        n->start = snapshot->index + 1;
    } else if (snapshot->index > trailing) {
        meta_drop_before(n, snapshot->index - trailing + 1);
    }
    work w = {WORK_SNAP_PUT, n, req, (void *)cb, NULL};
    return queue_push(n->loop, w);
}

static int io_snapshot_get(struct raft_io *io, struct raft_io_snapshot_get *req,
                           raft_io_snapshot_get_cb cb)
{
    cio_node *n = io->impl;
    if (n->snap == NULL)
        return RAFT_NOTFOUND;
    struct raft_snapshot *c = snap_copy(n->snap);
    if (c == NULL)
        return RAFT_NOMEM;
    work w = {WORK_SNAP_GET, n, req, (void *)cb, c};
    int rc = queue_push(n->loop, w);
    if (rc != 0)
        snap_free(c);
    return rc;
}

static raft_time io_time(struct raft_io *io)
{
    cio_node *n = io->impl;
    return n->loop->now;
}

/* Node 1 draws the shortest election timeout, so it is the first to campaign. */
static int io_random(struct raft_io *io, int min, int max)
{
    cio_node *n = io->impl;
    return n->id == 1 ? min : max;
}

void cio_node_init(cio_node *n, cio_loop *l, raft_id id)
{
    memset(n, 0, sizeof *n);
    n->loop = l;
    n->id = id;
    n->start = 1;
    snprintf(n->address, sizeof n->address, "%llu", (unsigned long long)id);
    if (id <= CIO_MAX_NODES)
        l->nodes[id] = n;
    struct raft_io *io = &n->io;
    io->version = 1;
    io->impl = n;
    io->init = io_init;
    io->close = io_close;
    io->load = io_load;
    io->start = io_start;
    io->bootstrap = io_bootstrap;
    io->recover = io_recover;
    io->set_term = io_set_term;
    io->set_vote = io_set_vote;
    io->send = io_send;
    io->append = io_append;
    io->truncate = io_truncate;
    io->snapshot_put = io_snapshot_put;
    io->snapshot_get = io_snapshot_get;
    io->time = io_time;
    io->random = io_random;
}

void cio_node_close(cio_node *n)
{
    if (n->id <= CIO_MAX_NODES && n->loop->nodes[n->id] == n)
        n->loop->nodes[n->id] = NULL;
    free(n->meta);
    raft_free(n->conf.base);
    snap_free(n->snap);
    n->meta = NULL;
    n->conf.base = NULL;
    n->snap = NULL;
}

/* ---- the loop ---- */

static void run_work(work *w)
{
    struct raft_io *io = &w->node->io;
    switch (w->kind) {
    case WORK_APPEND: {
        struct raft_io_append *r = w->req;
        ((raft_io_append_cb)w->cb)(r, 0);
        break;
    }
    case WORK_SEND: {
        struct raft_io_send *r = w->req;
        ((raft_io_send_cb)w->cb)(r, 0);
        break;
    }
    case WORK_SNAP_PUT:
        ((raft_io_snapshot_put_cb)w->cb)(w->req, 0);
        break;
    case WORK_SNAP_GET:
        ((raft_io_snapshot_get_cb)w->cb)(w->req, w->snap, 0);
        break;
    case WORK_CLOSE:
        w->node->tick = NULL;
        w->node->recv = NULL;
        ((raft_io_close_cb)w->cb)(io);
        break;
    }
}

int cio_loop_busy(const cio_loop *l)
{
    return l->q_len > 0 || l->wire_len > 0;
}

void cio_loop_complete(cio_loop *l)
{
    while (l->q_len > 0) {
        work w = l->q[l->q_head++];
        l->q_len--;
        if (l->q_len == 0)
            l->q_head = 0;
        run_work(&w);
    }
}

void cio_loop_tick(cio_loop *l)
{
    for (raft_id id = 1; id <= CIO_MAX_NODES; id++)
        if (l->nodes[id] != NULL && l->nodes[id]->tick != NULL)
            l->nodes[id]->tick(&l->nodes[id]->io);
}

int cio_loop_pump(cio_loop *l)
{
    cio_loop_complete(l);
    /* Swap the wire so that messages sent while delivering go to the next pump. */
    uint8_t *t = l->wire;
    size_t len = l->wire_len, cap = l->wire_cap;
    l->wire = l->wire2;
    l->wire_cap = l->wire2_cap;
    l->wire_len = 0;
    l->wire2 = t;
    l->wire2_cap = cap;
    for (size_t off = 0; off < len;) {
        uint64_t hdr[3];
        memcpy(hdr, t + off, sizeof hdr);
        const uint8_t *b = t + off + sizeof hdr;
        off = (off + sizeof hdr + (size_t)hdr[2] + 7) & ~(size_t)7;
        l->msgs++;
        l->bytes += hdr[2];
        raft_id from_to[2] = {hdr[1], hdr[0]};
        int rc = deliver(l, from_to, b, (size_t)hdr[2]);
        if (rc != 0)
            return rc;
    }
    return 0;
}
