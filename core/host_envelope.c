/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * host_envelope.c: a host's outbox for one destination node and its multiraftpb.Envelope
 * encoding (proto/multiraft.proto, through protobuf-c).
 */
#include "host.h"

#include <string.h>

#include "alloc.h"
#include "pb/multiraft.pb-c.h"
#include "wire.h"

static void *env_alloc(void *ud, size_t size)
{
    (void)ud;
    return rc_malloc(size);
}

static void env_free(void *ud, void *p)
{
    (void)ud;
    rc_free(p);
}

static ProtobufCAllocator env_allocator = {env_alloc, env_free, NULL};

/* ---- outbox ---- */

int rc_host_outbox_put_message(rc_host_outbox *o, uint64_t group, const rc_message *m)
{
    if (!rc_wire_message_ok(m))
        return RC_ERR_INVALID;
    size_t len = rc_wire_message_size(m);
    if (len > SIZE_MAX - o->buf_len)
        return RC_ERR_NOMEM;
    if (rc_grow((void **)&o->buf, &o->buf_cap, o->buf_len + len, 1) != RC_OK ||
        rc_grow((void **)&o->msgs, &o->cap_msgs, o->n_msgs + 1, sizeof(*o->msgs)) != RC_OK)
        return RC_ERR_NOMEM;
    rc_wire_put_message(o->buf + o->buf_len, m);
    o->msgs[o->n_msgs++] = (rc_host_group_msg){group, o->buf_len, len};
    o->buf_len += len;
    return RC_OK;
}

int rc_host_outbox_put_heartbeat(rc_host_outbox *o, const rc_host_heartbeat *hb)
{
    if (rc_grow((void **)&o->hbs, &o->cap_hbs, o->n_hbs + 1, sizeof(*o->hbs)) != RC_OK)
        return RC_ERR_NOMEM;
    o->hbs[o->n_hbs++] = *hb;
    return RC_OK;
}

int rc_host_outbox_put_resp(rc_host_outbox *o, const rc_host_heartbeat_resp *r)
{
    if (rc_grow((void **)&o->resps, &o->cap_resps, o->n_resps + 1, sizeof(*o->resps)) != RC_OK)
        return RC_ERR_NOMEM;
    o->resps[o->n_resps++] = *r;
    return RC_OK;
}

int rc_host_outbox_put_wake(rc_host_outbox *o, uint64_t group)
{
    if (rc_grow((void **)&o->wakes, &o->cap_wakes, o->n_wakes + 1, sizeof(*o->wakes)) != RC_OK)
        return RC_ERR_NOMEM;
    o->wakes[o->n_wakes++] = group;
    return RC_OK;
}

bool rc_host_outbox_is_empty(const rc_host_outbox *o)
{
    return o->n_msgs == 0 && o->n_hbs == 0 && o->n_resps == 0 && o->n_wakes == 0;
}

void rc_host_outbox_clear(rc_host_outbox *o)
{
    o->buf_len = o->n_msgs = o->n_hbs = o->n_resps = o->n_wakes = 0;
}

void rc_host_outbox_free(rc_host_outbox *o)
{
    rc_free(o->buf);
    rc_free(o->msgs);
    rc_free(o->hbs);
    rc_free(o->resps);
    rc_free(o->wakes);
    memset(o, 0, sizeof(*o));
}

/* ---- encode ---- */

int rc_host_envelope_encode(uint8_t **buf, size_t *len, const rc_host_outbox *o, uint64_t from)
{
    *buf = NULL;
    *len = 0;
    Multiraftpb__Envelope env = MULTIRAFTPB__ENVELOPE__INIT;
    env.has_from = env.has_to = 1;
    env.from = from;
    env.to = o->to;
    /* One block for the submessages and the pointer arrays protobuf-c wants. */
    size_t n = o->n_msgs + o->n_hbs + o->n_resps;
    size_t size = o->n_msgs * sizeof(Multiraftpb__GroupMessage) +
                  o->n_hbs * sizeof(Multiraftpb__Heartbeat) +
                  o->n_resps * sizeof(Multiraftpb__HeartbeatResponse) + n * sizeof(void *);
    uint8_t *block = rc_malloc(size > 0 ? size : 1);
    if (block == NULL)
        return RC_ERR_NOMEM;
    Multiraftpb__GroupMessage *gm = (Multiraftpb__GroupMessage *)block;
    Multiraftpb__Heartbeat *hb = (Multiraftpb__Heartbeat *)(gm + o->n_msgs);
    Multiraftpb__HeartbeatResponse *hr = (Multiraftpb__HeartbeatResponse *)(hb + o->n_hbs);
    void **ptrs = (void **)(hr + o->n_resps);
    env.n_messages = o->n_msgs;
    env.messages = (Multiraftpb__GroupMessage **)ptrs;
    for (size_t i = 0; i < o->n_msgs; i++) {
        multiraftpb__group_message__init(&gm[i]);
        gm[i].has_group = gm[i].has_message = 1;
        gm[i].group = o->msgs[i].group;
        gm[i].message.data = o->buf + o->msgs[i].off;
        gm[i].message.len = o->msgs[i].len;
        env.messages[i] = &gm[i];
    }
    env.n_heartbeats = o->n_hbs;
    env.heartbeats = (Multiraftpb__Heartbeat **)(ptrs + o->n_msgs);
    for (size_t i = 0; i < o->n_hbs; i++) {
        multiraftpb__heartbeat__init(&hb[i]);
        hb[i].has_group = hb[i].has_term = hb[i].has_commit = 1;
        hb[i].group = o->hbs[i].group;
        hb[i].term = o->hbs[i].term;
        hb[i].commit = o->hbs[i].commit;
        hb[i].has_quiesce = o->hbs[i].quiesce;
        hb[i].quiesce = o->hbs[i].quiesce;
        env.heartbeats[i] = &hb[i];
    }
    env.n_heartbeat_responses = o->n_resps;
    env.heartbeat_responses = (Multiraftpb__HeartbeatResponse **)(ptrs + o->n_msgs + o->n_hbs);
    for (size_t i = 0; i < o->n_resps; i++) {
        multiraftpb__heartbeat_response__init(&hr[i]);
        hr[i].has_group = hr[i].has_term = 1;
        hr[i].group = o->resps[i].group;
        hr[i].term = o->resps[i].term;
        env.heartbeat_responses[i] = &hr[i];
    }
    env.n_wake = o->n_wakes;
    env.wake = o->wakes;
    size_t out_len = multiraftpb__envelope__get_packed_size(&env);
    uint8_t *out = rc_malloc(out_len > 0 ? out_len : 1);
    if (out == NULL) {
        rc_free(block);
        return RC_ERR_NOMEM;
    }
    multiraftpb__envelope__pack(&env, out);
    rc_free(block);
    *buf = out;
    *len = out_len;
    return RC_OK;
}

/* ---- decode ---- */

static const Multiraftpb__Envelope *env_pb(const rc_host_envelope *e)
{
    return (const Multiraftpb__Envelope *)e->pb;
}

int rc_host_envelope_decode(rc_host_envelope *e, const uint8_t *buf, size_t len, size_t max_len)
{
    memset(e, 0, sizeof(*e));
    if (max_len > 0 && len > max_len)
        return RC_ERR_TOO_LARGE;
    static const uint8_t empty[1] = {0};
    Multiraftpb__Envelope *pb =
        multiraftpb__envelope__unpack(&env_allocator, len, buf != NULL ? buf : empty);
    if (pb == NULL)
        return RC_ERR_DECODE;
    e->pb = pb;
    bool ok = pb->has_from && pb->has_to && pb->from != 0 && pb->to != 0;
    for (size_t i = 0; ok && i < pb->n_messages; i++)
        ok = pb->messages[i]->group != 0;
    for (size_t i = 0; ok && i < pb->n_heartbeats; i++)
        ok = pb->heartbeats[i]->group != 0;
    for (size_t i = 0; ok && i < pb->n_heartbeat_responses; i++)
        ok = pb->heartbeat_responses[i]->group != 0;
    for (size_t i = 0; ok && i < pb->n_wake; i++)
        ok = pb->wake[i] != 0;
    if (!ok) {
        rc_host_envelope_free(e);
        return RC_ERR_INVALID;
    }
    e->from = pb->from;
    e->to = pb->to;
    e->n_msgs = pb->n_messages;
    e->n_hbs = pb->n_heartbeats;
    e->n_resps = pb->n_heartbeat_responses;
    e->n_wakes = pb->n_wake;
    return RC_OK;
}

void rc_host_envelope_message(uint64_t *group, const uint8_t **buf, size_t *len,
                              const rc_host_envelope *e, size_t i)
{
    const Multiraftpb__GroupMessage *gm = env_pb(e)->messages[i];
    *group = gm->group;
    *buf = gm->message.data;
    *len = gm->message.len;
}

void rc_host_envelope_heartbeat(rc_host_heartbeat *hb, const rc_host_envelope *e, size_t i)
{
    const Multiraftpb__Heartbeat *p = env_pb(e)->heartbeats[i];
    *hb = (rc_host_heartbeat){p->group, p->term, p->commit, p->quiesce != 0};
}

void rc_host_envelope_resp(rc_host_heartbeat_resp *r, const rc_host_envelope *e, size_t i)
{
    const Multiraftpb__HeartbeatResponse *p = env_pb(e)->heartbeat_responses[i];
    *r = (rc_host_heartbeat_resp){p->group, p->term};
}

uint64_t rc_host_envelope_wake(const rc_host_envelope *e, size_t i)
{
    return env_pb(e)->wake[i];
}

void rc_host_envelope_free(rc_host_envelope *e)
{
    if (e->pb != NULL)
        multiraftpb__envelope__free_unpacked((Multiraftpb__Envelope *)e->pb, &env_allocator);
    memset(e, 0, sizeof(*e));
}
