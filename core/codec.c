/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * codec.c: raftpb bytes <-> core structs through protobuf-c (profile: docs/wire-format.md).
 */
#include "codec.h"

#include <string.h>

#include "alloc.h"
#include "pb/raftpb.pb-c.h"
#include "wire.h"

/* ---- protobuf-c allocator routed to the library's hooks ---- */

static void *rc_pb_alloc(void *ud, size_t size)
{
    (void)ud;
    return rc_malloc(size);
}

static void rc_pb_free(void *ud, void *p)
{
    (void)ud;
    rc_free(p);
}

static ProtobufCAllocator rc_pb_allocator = {rc_pb_alloc, rc_pb_free, NULL};

/* protobuf-c wants a non-NULL pointer even for an empty buffer. */
static const uint8_t rc_empty_buf[1];

static const uint8_t *rc_buf_or_empty(const uint8_t *buf)
{
    return buf != NULL ? buf : rc_empty_buf;
}

/* ---- wire pre-scan of the reference decoder (rc_pb_decode_message): bound the recursion of
 * Message.responses before protobuf-c sees it (core/wire_decode.c does it in its one pass) ---- */

#define RC_FIELD_RESPONSES 14u

static bool rc_wire_varint(const uint8_t *b, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned i = 0; i < 10; i++) {
        if (*pos >= len)
            return false;
        uint8_t c = b[(*pos)++];
        x |= (uint64_t)(c & 0x7F) << (7 * i);
        if ((c & 0x80) == 0) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* Calls fn(ud, field, wire_type, p, n) for each field of the protobuf bytes b, in order (p, n:
 * the contents of a length-delimited field; NULL, 0 for the others). Returns fn's first non-zero
 * result, RC_ERR_DECODE on malformed framing (a truncated field, a group, an invalid wire type),
 * RC_OK otherwise. */
typedef int (*rc_pb_field_fn)(void *ud, uint64_t field, unsigned wire_type, const uint8_t *p,
                              size_t n);

static int rc_pb_each_field(const uint8_t *b, size_t len, rc_pb_field_fn fn, void *ud)
{
    size_t pos = 0;
    while (pos < len) {
        uint64_t tag, v;
        if (!rc_wire_varint(b, len, &pos, &tag))
            return RC_ERR_DECODE;
        const uint8_t *p = NULL;
        size_t n = 0;
        switch (tag & 7) {
        case 0:
            if (!rc_wire_varint(b, len, &pos, &v))
                return RC_ERR_DECODE;
            break;
        case 1:
            if (len - pos < 8)
                return RC_ERR_DECODE;
            pos += 8;
            break;
        case 2:
            if (!rc_wire_varint(b, len, &pos, &v) || v > len - pos)
                return RC_ERR_DECODE;
            p = b + pos;
            n = (size_t)v;
            pos += n;
            break;
        case 5:
            if (len - pos < 4)
                return RC_ERR_DECODE;
            pos += 4;
            break;
        default:
            return RC_ERR_DECODE; /* groups and invalid wire types */
        }
        int rc = fn(ud, tag >> 3, (unsigned)(tag & 7), p, n);
        if (rc != RC_OK)
            return rc;
    }
    return RC_OK;
}

static int rc_wire_scan_message(const uint8_t *b, size_t len, int depth);

static int rc_wire_scan_field(void *ud, uint64_t field, unsigned wire_type, const uint8_t *p,
                              size_t n)
{
    int depth = *(const int *)ud;
    if (field != RC_FIELD_RESPONSES)
        return RC_OK;
    if (depth >= 1)
        return RC_ERR_DECODE;
    return wire_type == 2 ? rc_wire_scan_message(p, n, depth + 1) : RC_OK;
}

/* Walks the fields of one Message (depth 0 = top level). A `responses` field inside a response
 * (depth 1) is nesting deeper than one level: RC_ERR_DECODE. Recursion is bounded at depth 1, so
 * protobuf-c's recursive unpacker never sees more than two Message levels however the input is
 * crafted. Malformed framing is RC_ERR_DECODE too (protobuf-c would reject it anyway). */
static int rc_wire_scan_message(const uint8_t *b, size_t len, int depth)
{
    return rc_pb_each_field(b, len, rc_wire_scan_field, &depth);
}

/* ---- pb -> core ---- */

static int rc_from_pb_bytes(rc_bytes *dst, protobuf_c_boolean has, const ProtobufCBinaryData *src)
{
    if (!has)
        return RC_OK;
    return rc_bytes_set(dst, src->data, src->len);
}

static int rc_from_pb_ids(rc_ids *dst, const uint64_t *v, size_t n)
{
    rc_ids src = {(uint64_t *)v, n};
    return rc_ids_copy(dst, &src);
}

static int rc_from_pb_entry(rc_entry *out, const Raftpb__Entry *pe)
{
    int type = pe->has_type ? (int)pe->type : 0;
    if (type < RC_ENTRY_NORMAL || type > RC_ENTRY_CONF_CHANGE_V2)
        return RC_ERR_DECODE;
    out->type = (rc_entry_type)type;
    out->term = pe->has_term ? pe->term : 0;
    out->index = pe->has_index ? pe->index : 0;
    return rc_from_pb_bytes(&out->data, pe->has_data, &pe->data);
}

static int rc_from_pb_conf_state(rc_conf_state *out, const Raftpb__ConfState *pc)
{
    if (pc == NULL)
        return RC_OK;
    out->auto_leave = pc->has_auto_leave && pc->auto_leave;
    if (rc_from_pb_ids(&out->voters, pc->voters, pc->n_voters) != RC_OK ||
        rc_from_pb_ids(&out->learners, pc->learners, pc->n_learners) != RC_OK ||
        rc_from_pb_ids(&out->voters_outgoing, pc->voters_outgoing, pc->n_voters_outgoing) != RC_OK ||
        rc_from_pb_ids(&out->learners_next, pc->learners_next, pc->n_learners_next) != RC_OK)
        return RC_ERR_NOMEM;
    return RC_OK;
}

static int rc_from_pb_snapshot(rc_snapshot *out, const Raftpb__Snapshot *ps)
{
    const Raftpb__SnapshotMetadata *md = ps->metadata;
    if (md != NULL) {
        out->metadata.index = md->has_index ? md->index : 0;
        out->metadata.term = md->has_term ? md->term : 0;
        int rc = rc_from_pb_conf_state(&out->metadata.conf_state, md->conf_state);
        if (rc != RC_OK)
            return rc;
    }
    return rc_from_pb_bytes(&out->data, ps->has_data, &ps->data);
}

/* The tolerated "empty snapshot" of older peers on non-MsgSnap messages. */
static bool rc_pb_snapshot_is_blank(const Raftpb__Snapshot *ps)
{
    bool no_data = !ps->has_data || ps->data.len == 0;
    bool no_index = ps->metadata == NULL || !ps->metadata->has_index || ps->metadata->index == 0;
    return no_data && no_index;
}

static int rc_from_pb_message(rc_message *out, const Raftpb__Message *pm, int depth)
{
    int type = pm->has_type ? (int)pm->type : 0;
    if (type < 0 || type >= RC_MSG_TYPE_COUNT)
        return RC_ERR_UNKNOWN_TYPE;
    if (depth > 0 && pm->n_responses > 0)
        return RC_ERR_DECODE; /* the pre-scan already guarantees this; kept as a local check */
    out->type = (rc_msg_type)type;
    out->to = pm->has_to ? pm->to : 0;
    out->from = pm->has_from ? pm->from : 0;
    out->term = pm->has_term ? pm->term : 0;
    out->log_term = pm->has_log_term ? pm->log_term : 0;
    out->index = pm->has_index ? pm->index : 0;
    out->commit = pm->has_commit ? pm->commit : 0;
    out->vote = pm->has_vote ? pm->vote : 0;
    out->reject = pm->has_reject && pm->reject;
    out->reject_hint = pm->has_reject_hint ? pm->reject_hint : 0;

    int rc = rc_from_pb_bytes(&out->context, pm->has_context, &pm->context);
    if (rc != RC_OK)
        return rc;
    if (pm->n_entries > 0) {
        out->entries = rc_calloc(pm->n_entries, sizeof(rc_entry));
        if (out->entries == NULL)
            return RC_ERR_NOMEM;
        for (size_t i = 0; i < pm->n_entries; i++) {
            out->n_entries = i + 1; /* so rc_message_free releases what was decoded */
            rc = rc_from_pb_entry(&out->entries[i], pm->entries[i]);
            if (rc != RC_OK)
                return rc;
        }
    }
    if (pm->snapshot != NULL &&
        (type == RC_MSG_SNAP || !rc_pb_snapshot_is_blank(pm->snapshot))) {
        out->snapshot = rc_calloc(1, sizeof(rc_snapshot));
        if (out->snapshot == NULL)
            return RC_ERR_NOMEM;
        rc = rc_from_pb_snapshot(out->snapshot, pm->snapshot);
        if (rc != RC_OK)
            return rc;
    }
    if (pm->n_responses > 0) {
        out->responses = rc_calloc(pm->n_responses, sizeof(rc_message));
        if (out->responses == NULL)
            return RC_ERR_NOMEM;
        for (size_t i = 0; i < pm->n_responses; i++) {
            out->n_responses = i + 1;
            rc = rc_from_pb_message(&out->responses[i], pm->responses[i], depth + 1);
            if (rc != RC_OK)
                return rc;
        }
    }
    return RC_OK;
}

static int rc_cc_type_check(const protobuf_c_boolean has, int type, rc_cc_type *out)
{
    if (!has)
        type = 0;
    if (type < RC_CC_ADD_NODE || type > RC_CC_ADD_LEARNER_NODE)
        return RC_ERR_DECODE;
    *out = (rc_cc_type)type;
    return RC_OK;
}

/* ---- decoders ---- */

/* Unpacks `buf` with descriptor d; NULL on malformed input or allocation failure (protobuf-c
 * does not distinguish them; both map to RC_ERR_DECODE). */
static ProtobufCMessage *rc_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
                                   size_t len)
{
    return protobuf_c_message_unpack(d, &rc_pb_allocator, len, rc_buf_or_empty(buf));
}

static void rc_unpack_free(ProtobufCMessage *m)
{
    protobuf_c_message_free_unpacked(m, &rc_pb_allocator);
}

int rc_pb_decode_message(rc_message *out, const uint8_t *buf, size_t len, size_t max_len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    if (max_len != 0 && len > max_len)
        return RC_ERR_TOO_LARGE;
    int rc = rc_wire_scan_message(rc_buf_or_empty(buf), len, 0);
    if (rc != RC_OK)
        return rc;
    Raftpb__Message *pm = (Raftpb__Message *)rc_unpack(&raftpb__message__descriptor, buf, len);
    if (pm == NULL)
        return RC_ERR_DECODE;
    rc = rc_from_pb_message(out, pm, 0);
    rc_unpack_free(&pm->base);
    if (rc != RC_OK)
        rc_message_free(out);
    return rc;
}

int rc_pb_decode_entry(rc_entry *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__Entry *pe = (Raftpb__Entry *)rc_unpack(&raftpb__entry__descriptor, buf, len);
    if (pe == NULL)
        return RC_ERR_DECODE;
    int rc = rc_from_pb_entry(out, pe);
    rc_unpack_free(&pe->base);
    if (rc != RC_OK)
        rc_entry_free(out);
    return rc;
}

int rc_pb_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__HardState *ph =
        (Raftpb__HardState *)rc_unpack(&raftpb__hard_state__descriptor, buf, len);
    if (ph == NULL)
        return RC_ERR_DECODE;
    out->term = ph->has_term ? ph->term : 0;
    out->vote = ph->has_vote ? ph->vote : 0;
    out->commit = ph->has_commit ? ph->commit : 0;
    rc_unpack_free(&ph->base);
    return RC_OK;
}

int rc_decode_conf_state(rc_conf_state *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__ConfState *pc =
        (Raftpb__ConfState *)rc_unpack(&raftpb__conf_state__descriptor, buf, len);
    if (pc == NULL)
        return RC_ERR_DECODE;
    int rc = rc_from_pb_conf_state(out, pc);
    rc_unpack_free(&pc->base);
    if (rc != RC_OK)
        rc_conf_state_free(out);
    return rc;
}

int rc_decode_snapshot(rc_snapshot *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__Snapshot *ps = (Raftpb__Snapshot *)rc_unpack(&raftpb__snapshot__descriptor, buf, len);
    if (ps == NULL)
        return RC_ERR_DECODE;
    int rc = rc_from_pb_snapshot(out, ps);
    rc_unpack_free(&ps->base);
    if (rc != RC_OK)
        rc_snapshot_free(out);
    return rc;
}

int rc_pb_decode_snapshot_field(rc_snapshot *out, bool *blank, const uint8_t *buf, size_t len,
                                bool fields)
{
    const Raftpb__Snapshot *ps;
    ProtobufCMessage *top;
    *blank = false;
    if (fields) {
        Raftpb__Message *pm =
            (Raftpb__Message *)rc_unpack(&raftpb__message__descriptor, buf, len);
        top = pm != NULL ? &pm->base : NULL;
        ps = pm != NULL ? pm->snapshot : NULL;
    } else {
        Raftpb__Snapshot *s =
            (Raftpb__Snapshot *)rc_unpack(&raftpb__snapshot__descriptor, buf, len);
        top = s != NULL ? &s->base : NULL;
        ps = s;
    }
    if (ps == NULL) {
        if (top != NULL)
            rc_unpack_free(top);
        return RC_ERR_DECODE;
    }
    *blank = rc_pb_snapshot_is_blank(ps);
    int rc = out != NULL ? rc_from_pb_snapshot(out, ps) : RC_OK;
    rc_unpack_free(top);
    return rc;
}

int rc_decode_conf_change(rc_conf_change *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__ConfChange *pc =
        (Raftpb__ConfChange *)rc_unpack(&raftpb__conf_change__descriptor, buf, len);
    if (pc == NULL)
        return RC_ERR_DECODE;
    out->id = pc->has_id ? pc->id : 0;
    out->node_id = pc->has_node_id ? pc->node_id : 0;
    int rc = rc_cc_type_check(pc->has_type, (int)pc->type, &out->type);
    if (rc == RC_OK)
        rc = rc_from_pb_bytes(&out->context, pc->has_context, &pc->context);
    rc_unpack_free(&pc->base);
    if (rc != RC_OK)
        rc_conf_change_free(out);
    return rc;
}

int rc_decode_conf_change_v2(rc_conf_change_v2 *out, const uint8_t *buf, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (buf == NULL && len > 0)
        return RC_ERR_INVALID;
    Raftpb__ConfChangeV2 *pc =
        (Raftpb__ConfChangeV2 *)rc_unpack(&raftpb__conf_change_v2__descriptor, buf, len);
    if (pc == NULL)
        return RC_ERR_DECODE;
    int rc = RC_OK;
    int tr = pc->has_transition ? (int)pc->transition : 0;
    if (tr < RC_CC_TRANSITION_AUTO || tr > RC_CC_TRANSITION_JOINT_EXPLICIT)
        rc = RC_ERR_DECODE;
    out->transition = (rc_cc_transition)(rc == RC_OK ? tr : 0);
    if (rc == RC_OK && pc->n_changes > 0) {
        out->changes = rc_calloc(pc->n_changes, sizeof(rc_cc_single));
        if (out->changes == NULL)
            rc = RC_ERR_NOMEM;
        for (size_t i = 0; rc == RC_OK && i < pc->n_changes; i++) {
            const Raftpb__ConfChangeSingle *s = pc->changes[i];
            out->changes[i].node_id = s->has_node_id ? s->node_id : 0;
            rc = rc_cc_type_check(s->has_type, (int)s->type, &out->changes[i].type);
            out->n_changes = i + 1;
        }
    }
    if (rc == RC_OK)
        rc = rc_from_pb_bytes(&out->context, pc->has_context, &pc->context);
    rc_unpack_free(&pc->base);
    if (rc != RC_OK)
        rc_conf_change_v2_free(out);
    return rc;
}

/* ---- core -> pb (views: the pb structs point into the core structs, nothing is copied) ---- */

static ProtobufCBinaryData rc_pb_bytes(const rc_bytes *b)
{
    ProtobufCBinaryData d = {b->len, b->len > 0 ? b->data : NULL};
    return d;
}

/* Entry: Type, Term and Index are always written (etcd's gogoproto non-nullable fields, so the
 * encoded size equals etcd's Entry.Size(), which drives MaxSizePerMsg/MaxCommittedSizePerReady
 * paging); Data only when non-empty. */
static void rc_to_pb_entry(Raftpb__Entry *pe, const rc_entry *e)
{
    raftpb__entry__init(pe);
    pe->has_type = 1;
    pe->type = (Raftpb__EntryType)e->type;
    pe->has_term = 1;
    pe->term = e->term;
    pe->has_index = 1;
    pe->index = e->index;
    pe->has_data = e->data.len > 0;
    pe->data = rc_pb_bytes(&e->data);
}

static void rc_to_pb_conf_state(Raftpb__ConfState *pc, const rc_conf_state *cs)
{
    raftpb__conf_state__init(pc);
    pc->n_voters = cs->voters.n;
    pc->voters = cs->voters.v;
    pc->n_learners = cs->learners.n;
    pc->learners = cs->learners.v;
    pc->n_voters_outgoing = cs->voters_outgoing.n;
    pc->voters_outgoing = cs->voters_outgoing.v;
    pc->n_learners_next = cs->learners_next.n;
    pc->learners_next = cs->learners_next.v;
    pc->has_auto_leave = cs->auto_leave;
    pc->auto_leave = cs->auto_leave;
}

static bool rc_conf_state_is_blank(const rc_conf_state *cs)
{
    return cs->voters.n == 0 && cs->learners.n == 0 && cs->voters_outgoing.n == 0 &&
           cs->learners_next.n == 0 && !cs->auto_leave;
}

/* Storage for a Snapshot view (no heap needed: fixed shape). */
typedef struct rc_pb_snap_view {
    Raftpb__Snapshot snap;
    Raftpb__SnapshotMetadata md;
    Raftpb__ConfState cs;
} rc_pb_snap_view;

static void rc_to_pb_snapshot(rc_pb_snap_view *v, const rc_snapshot *s)
{
    raftpb__snapshot__init(&v->snap);
    raftpb__snapshot_metadata__init(&v->md);
    rc_to_pb_conf_state(&v->cs, &s->metadata.conf_state);
    v->snap.has_data = s->data.len > 0;
    v->snap.data = rc_pb_bytes(&s->data);
    bool cs_blank = rc_conf_state_is_blank(&s->metadata.conf_state);
    v->md.conf_state = cs_blank ? NULL : &v->cs;
    v->md.has_index = s->metadata.index != 0;
    v->md.index = s->metadata.index;
    v->md.has_term = s->metadata.term != 0;
    v->md.term = s->metadata.term;
    bool md_blank = cs_blank && !v->md.has_index && !v->md.has_term;
    v->snap.metadata = md_blank ? NULL : &v->md;
}

/* Heap parts of a Message view, released by rc_pb_msg_view_free. */
typedef struct rc_pb_msg_view {
    Raftpb__Message msg;
    Raftpb__Entry *ents;
    Raftpb__Entry **ent_ptrs;
    rc_pb_snap_view *snap;
    struct rc_pb_msg_view *resps;
    Raftpb__Message **resp_ptrs;
    size_t n_resps;
} rc_pb_msg_view;

static void rc_pb_msg_view_free(rc_pb_msg_view *v)
{
    for (size_t i = 0; i < v->n_resps; i++)
        rc_pb_msg_view_free(&v->resps[i]);
    rc_free(v->ents);
    rc_free(v->ent_ptrs);
    rc_free(v->snap);
    rc_free(v->resps);
    rc_free(v->resp_ptrs);
    memset(v, 0, sizeof(*v));
}

/* A snapshot is written when present, except the blank one on a non-MsgSnap message, which the
 * decoder drops (so encode(decode(x)) is stable). */
static bool rc_msg_writes_snapshot(const rc_message *m)
{
    if (m->snapshot == NULL)
        return false;
    if (m->type == RC_MSG_SNAP)
        return true;
    return m->snapshot->metadata.index != 0 || m->snapshot->data.len > 0;
}

static int rc_to_pb_message(rc_pb_msg_view *v, const rc_message *m, int depth)
{
    memset(v, 0, sizeof(*v));
    if ((unsigned)m->type >= RC_MSG_TYPE_COUNT)
        return RC_ERR_INVALID;
    if (depth > 0 && m->n_responses > 0)
        return RC_ERR_INVALID; /* would not decode: nesting deeper than one level */
    Raftpb__Message *pm = &v->msg;
    raftpb__message__init(pm);
#define RC_SET(f)            \
    do {                     \
        pm->has_##f = m->f != 0; \
        pm->f = m->f;        \
    } while (0)
    pm->has_type = m->type != RC_MSG_HUP;
    pm->type = (Raftpb__MessageType)m->type;
    RC_SET(to);
    RC_SET(from);
    RC_SET(term);
    RC_SET(log_term);
    RC_SET(index);
    RC_SET(commit);
    RC_SET(vote);
    RC_SET(reject);
    RC_SET(reject_hint);
#undef RC_SET
    pm->has_context = m->context.len > 0;
    pm->context = rc_pb_bytes(&m->context);

    if (m->n_entries > 0) {
        v->ents = rc_calloc(m->n_entries, sizeof(Raftpb__Entry));
        v->ent_ptrs = rc_calloc(m->n_entries, sizeof(Raftpb__Entry *));
        if (v->ents == NULL || v->ent_ptrs == NULL)
            return RC_ERR_NOMEM;
        for (size_t i = 0; i < m->n_entries; i++) {
            rc_to_pb_entry(&v->ents[i], &m->entries[i]);
            v->ent_ptrs[i] = &v->ents[i];
        }
        pm->n_entries = m->n_entries;
        pm->entries = v->ent_ptrs;
    }
    if (rc_msg_writes_snapshot(m)) {
        v->snap = rc_calloc(1, sizeof(rc_pb_snap_view));
        if (v->snap == NULL)
            return RC_ERR_NOMEM;
        rc_to_pb_snapshot(v->snap, m->snapshot);
        pm->snapshot = &v->snap->snap;
    }
    if (m->n_responses > 0) {
        v->resps = rc_calloc(m->n_responses, sizeof(rc_pb_msg_view));
        v->resp_ptrs = rc_calloc(m->n_responses, sizeof(Raftpb__Message *));
        if (v->resps == NULL || v->resp_ptrs == NULL)
            return RC_ERR_NOMEM;
        for (size_t i = 0; i < m->n_responses; i++) {
            v->n_resps = i + 1;
            int rc = rc_to_pb_message(&v->resps[i], &m->responses[i], depth + 1);
            if (rc != RC_OK)
                return rc;
            v->resp_ptrs[i] = &v->resps[i].msg;
        }
        pm->n_responses = m->n_responses;
        pm->responses = v->resp_ptrs;
    }
    return RC_OK;
}

/* Packs a pb message into a fresh heap buffer. */
static int rc_pack(uint8_t **buf, size_t *len, const ProtobufCMessage *pm)
{
    size_t n = protobuf_c_message_get_packed_size(pm);
    uint8_t *p = rc_malloc(n);
    if (p == NULL)
        return RC_ERR_NOMEM;
    size_t w = protobuf_c_message_pack(pm, p);
    if (w != n) {
        rc_free(p);
        return RC_ERR_FAILED;
    }
    *buf = p;
    *len = n;
    return RC_OK;
}

/* ---- sizes (core/wire's hand-rolled ones; tests pin them to protobuf-c's output) ---- */

size_t rc_entry_encoded_size(const rc_entry *e)
{
    return rc_wire_entry_size(e);
}

size_t rc_message_encoded_size(const rc_message *m)
{
    return rc_wire_message_size(m);
}

/* ---- encoders ---- */

int rc_pb_encode_message(uint8_t **buf, size_t *len, const rc_message *m)
{
    *buf = NULL;
    *len = 0;
    rc_pb_msg_view v;
    int rc = rc_to_pb_message(&v, m, 0);
    if (rc == RC_OK)
        rc = rc_pack(buf, len, &v.msg.base);
    rc_pb_msg_view_free(&v);
    return rc;
}

int rc_pb_encode_entry(uint8_t **buf, size_t *len, const rc_entry *e)
{
    *buf = NULL;
    *len = 0;
    Raftpb__Entry pe;
    rc_to_pb_entry(&pe, e);
    return rc_pack(buf, len, &pe.base);
}

int rc_pb_encode_hard_state(uint8_t **buf, size_t *len, const rc_hard_state *hs)
{
    *buf = NULL;
    *len = 0;
    Raftpb__HardState ph;
    raftpb__hard_state__init(&ph);
    ph.has_term = hs->term != 0;
    ph.term = hs->term;
    ph.has_vote = hs->vote != 0;
    ph.vote = hs->vote;
    ph.has_commit = hs->commit != 0;
    ph.commit = hs->commit;
    return rc_pack(buf, len, &ph.base);
}

int rc_encode_conf_state(uint8_t **buf, size_t *len, const rc_conf_state *cs)
{
    *buf = NULL;
    *len = 0;
    Raftpb__ConfState pc;
    rc_to_pb_conf_state(&pc, cs);
    return rc_pack(buf, len, &pc.base);
}

int rc_encode_snapshot(uint8_t **buf, size_t *len, const rc_snapshot *s)
{
    *buf = NULL;
    *len = 0;
    rc_pb_snap_view v;
    rc_to_pb_snapshot(&v, s);
    return rc_pack(buf, len, &v.snap.base);
}

int rc_encode_conf_change(uint8_t **buf, size_t *len, const rc_conf_change *cc)
{
    *buf = NULL;
    *len = 0;
    Raftpb__ConfChange pc;
    raftpb__conf_change__init(&pc);
    pc.has_id = cc->id != 0;
    pc.id = cc->id;
    pc.has_type = cc->type != RC_CC_ADD_NODE;
    pc.type = (Raftpb__ConfChangeType)cc->type;
    pc.has_node_id = cc->node_id != 0;
    pc.node_id = cc->node_id;
    pc.has_context = cc->context.len > 0;
    pc.context = rc_pb_bytes(&cc->context);
    return rc_pack(buf, len, &pc.base);
}

int rc_encode_conf_change_v2(uint8_t **buf, size_t *len, const rc_conf_change_v2 *cc)
{
    *buf = NULL;
    *len = 0;
    Raftpb__ConfChangeV2 pc;
    raftpb__conf_change_v2__init(&pc);
    pc.has_transition = cc->transition != RC_CC_TRANSITION_AUTO;
    pc.transition = (Raftpb__ConfChangeTransition)cc->transition;
    pc.has_context = cc->context.len > 0;
    pc.context = rc_pb_bytes(&cc->context);
    Raftpb__ConfChangeSingle *singles = NULL;
    Raftpb__ConfChangeSingle **ptrs = NULL;
    if (cc->n_changes > 0) {
        singles = rc_calloc(cc->n_changes, sizeof(*singles));
        ptrs = rc_calloc(cc->n_changes, sizeof(*ptrs));
        if (singles == NULL || ptrs == NULL) {
            rc_free(singles);
            rc_free(ptrs);
            return RC_ERR_NOMEM;
        }
        for (size_t i = 0; i < cc->n_changes; i++) {
            raftpb__conf_change_single__init(&singles[i]);
            singles[i].has_type = cc->changes[i].type != RC_CC_ADD_NODE;
            singles[i].type = (Raftpb__ConfChangeType)cc->changes[i].type;
            singles[i].has_node_id = cc->changes[i].node_id != 0;
            singles[i].node_id = cc->changes[i].node_id;
            ptrs[i] = &singles[i];
        }
        pc.n_changes = cc->n_changes;
        pc.changes = ptrs;
    }
    int rc = rc_pack(buf, len, &pc.base);
    rc_free(singles);
    rc_free(ptrs);
    return rc;
}

/* ---- the hot-path codec: core/wire (one pass; the same results as the protobuf-c path) ---- */

int rc_decode_message(rc_message *out, const uint8_t *buf, size_t len, size_t max_len)
{
    if (buf == NULL && len > 0) {
        memset(out, 0, sizeof(*out));
        return RC_ERR_INVALID;
    }
    if (max_len != 0 && len > max_len) {
        memset(out, 0, sizeof(*out));
        return RC_ERR_TOO_LARGE;
    }
    return rc_wire_decode_message(out, buf, len);
}

int rc_decode_entry(rc_entry *out, const uint8_t *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        memset(out, 0, sizeof(*out));
        return RC_ERR_INVALID;
    }
    return rc_wire_decode_entry(out, buf, len);
}

int rc_decode_hard_state(rc_hard_state *out, const uint8_t *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        memset(out, 0, sizeof(*out));
        return RC_ERR_INVALID;
    }
    return rc_wire_decode_hard_state(out, buf, len);
}

int rc_encode_message(uint8_t **buf, size_t *len, const rc_message *m)
{
    *buf = NULL;
    *len = 0;
    if (!rc_wire_message_ok(m))
        return RC_ERR_INVALID;
    size_t n = rc_wire_message_size(m);
    uint8_t *p = rc_malloc(n);
    if (p == NULL)
        return RC_ERR_NOMEM;
    rc_wire_put_message(p, m);
    *buf = p;
    *len = n;
    return RC_OK;
}

int rc_encode_entry(uint8_t **buf, size_t *len, const rc_entry *e)
{
    *buf = NULL;
    *len = 0;
    size_t n = rc_wire_entry_size(e);
    uint8_t *p = rc_malloc(n);
    if (p == NULL)
        return RC_ERR_NOMEM;
    rc_wire_put_entry(p, e);
    *buf = p;
    *len = n;
    return RC_OK;
}

int rc_encode_hard_state(uint8_t **buf, size_t *len, const rc_hard_state *hs)
{
    *buf = NULL;
    *len = 0;
    size_t n = rc_wire_hard_state_size(hs);
    uint8_t *p = rc_malloc(n);
    if (p == NULL)
        return RC_ERR_NOMEM;
    rc_wire_put_hard_state(p, hs);
    *buf = p;
    *len = n;
    return RC_OK;
}
