/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * forge.c: impossible and mutated variants of genuine raftpb messages (see forge.h). Each rule
 * of forge_impossible breaks one invariant every correct peer keeps, so the receiver must
 * refuse the result whatever its own state (rules that depend on that state set the message's
 * term to the receiver's, so that the receiver would act on it).
 */
#include "forge.h"

#include <stdio.h>
#include <string.h>

/* A term above RAFTC_MAX_TERM (the largest a message may carry). */
#define FORGE_TERM_FLOOR (UINT64_MAX - UINT64_C(0xffffffff) + 1)
/* An index beyond every log a test cluster grows. */
#define FORGE_FAR_INDEX (UINT64_C(1) << 62)

/* The genuine message, decoded into parts that can be changed and encoded again. */
typedef struct parts {
    uint64_t info[RAFTC_MF_COUNT];
    raftc_sink *ents, *snap, *ctx;
    const uint8_t *ent_p[64];
    size_t ent_l[64];
    size_t n_ents;
    const uint8_t *snap_p, *ctx_p;
    size_t snap_l, ctx_l;
    raftc_sink *scratch; /* entries or snapshots built by a rule */
} parts;

static void parts_free(parts *m)
{
    raftc_sink_free(m->ents);
    raftc_sink_free(m->snap);
    raftc_sink_free(m->ctx);
    raftc_sink_free(m->scratch);
}

static int parts_open(parts *m, const uint8_t *buf, size_t len)
{
    memset(m, 0, sizeof(*m));
    if (raftc_message_decode(m->info, RAFTC_MF_COUNT, buf, len) != RAFTC_OK ||
        m->info[RAFTC_MF_N_RESPONSES] != 0 || raftc_sink_new(&m->ents) != RAFTC_OK ||
        raftc_sink_new(&m->snap) != RAFTC_OK || raftc_sink_new(&m->ctx) != RAFTC_OK ||
        raftc_sink_new(&m->scratch) != RAFTC_OK ||
        raftc_message_decode_parts(m->ents, m->snap, NULL, m->ctx, buf, len) != RAFTC_OK)
        return -1;
    m->n_ents = raftc_sink_count(m->ents);
    if (m->n_ents > 64)
        return -1;
    for (size_t i = 0; i < m->n_ents; i++)
        raftc_sink_get(&m->ent_p[i], &m->ent_l[i], m->ents, i);
    if (raftc_sink_count(m->snap) > 0)
        raftc_sink_get(&m->snap_p, &m->snap_l, m->snap, 0);
    raftc_sink_get(&m->ctx_p, &m->ctx_l, m->ctx, 0);
    return 0;
}

static int parts_encode(raftc_sink *out, const parts *m)
{
    return raftc_message_encode(out, m->info, RAFTC_MF_COUNT, m->ent_p, m->ent_l, m->n_ents,
                                m->snap_p, m->snap_l, m->ctx_p, m->ctx_l);
}

/* Replaces entry i by a new encoding (kept in m->scratch). */
static int set_entry(parts *m, size_t i, uint64_t term, uint64_t index, int type,
                     const uint8_t *data, size_t dlen)
{
    if (raftc_entry_encode(m->scratch, term, index, type, data, dlen) != RAFTC_OK)
        return -1;
    return raftc_sink_get(&m->ent_p[i], &m->ent_l[i], m->scratch,
                          raftc_sink_count(m->scratch) - 1);
}

static int entry_fields(const parts *m, size_t i, uint64_t *term, uint64_t *index, int *type,
                        const uint8_t **data, size_t *dlen)
{
    raftc_entry_type t = RAFTC_ENTRY_NORMAL;
    int rc = raftc_entry_decode(term, index, &t, data, dlen, m->ent_p[i], m->ent_l[i]);
    if (type != NULL)
        *type = (int)t;
    return rc;
}

/* A conf change naming a reserved id, as an entry: its type and bytes (kept in m->scratch). */
static int reserved_conf_change(parts *m, uint64_t id, int *type, const uint8_t **p, size_t *l)
{
    *type = RAFTC_ENTRY_CONF_CHANGE;
    if (raftc_conf_change_encode(m->scratch, RAFTC_CC_ADD_NODE, id, NULL, 0) != RAFTC_OK)
        return -1;
    return raftc_sink_get(p, l, m->scratch, raftc_sink_count(m->scratch) - 1);
}

/* A snapshot at (index, term) whose ConfState holds voters[0..n). */
static int set_snapshot(parts *m, uint64_t index, uint64_t term, const uint64_t *voters,
                        size_t n)
{
    raftc_sink *cs = NULL;
    if (raftc_sink_new(&cs) != RAFTC_OK)
        return -1;
    const uint8_t *p;
    size_t l;
    int rc = raftc_conf_state_encode(cs, voters, n, NULL, 0, NULL, 0, NULL, 0, 0);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&p, &l, cs, 0);
    if (rc == RAFTC_OK)
        rc = raftc_snapshot_encode(m->scratch, index, term, p, l, NULL, 0);
    raftc_sink_free(cs);
    if (rc != RAFTC_OK)
        return -1;
    return raftc_sink_get(&m->snap_p, &m->snap_l, m->scratch, raftc_sink_count(m->scratch) - 1);
}

static bool is_termless(uint64_t type)
{
    return type == RAFTC_MSG_PROP || type == RAFTC_MSG_READ_INDEX;
}

static bool is_leader_type(uint64_t type)
{
    return type == RAFTC_MSG_APP || type == RAFTC_MSG_HEARTBEAT || type == RAFTC_MSG_SNAP ||
           type == RAFTC_MSG_TIMEOUT_NOW || type == RAFTC_MSG_READ_INDEX_RESP;
}

static bool carries_entries(uint64_t type)
{
    return type == RAFTC_MSG_APP || type == RAFTC_MSG_PROP || type == RAFTC_MSG_READ_INDEX ||
           type == RAFTC_MSG_READ_INDEX_RESP;
}

enum {
    R_SENDER_ZERO, R_SENDER_RESERVED, R_SELF, R_MISADDRESSED, R_TERM_WRAPS, R_TERM_ON_TERMLESS,
    R_TERM_ZERO, R_LOG_TERM_ABOVE, R_APP_GAP, R_APP_TERM_DOWN, R_APP_TERM_ABOVE,
    R_ENTRIES_MISPLACED, R_EMPTY_PROP, R_HEARTBEAT_COMMIT, R_ACK_BEYOND, R_HINT_ABOVE,
    R_SECOND_LEADER, R_SNAP_WRAPS, R_SNAP_EMPTY, R_SNAP_RESERVED, R_LOCAL_TYPE,
    R_CC_RESERVED, R_READ_INDEX_ENTRIES, R_COUNT
};

static const char *const rule_names[R_COUNT] = {
    "sender 0", "reserved sender", "self-addressed", "misaddressed", "term that wraps",
    "term on a term-less type", "term 0", "log term above term", "gap in entries",
    "entry terms going down", "entry term above message term", "entries on a type without",
    "empty proposal", "heartbeat commit beyond the log", "acknowledgement beyond the log",
    "reject hint above index", "second leader in a term", "snapshot index that wraps",
    "empty snapshot", "reserved id in snapshot", "local message type from a peer",
    "conf change naming a reserved id", "read request without one entry",
};

/* Applies rule r to m for target t; false when m does not lend itself to it. */
static bool apply_rule(parts *m, int r, const forge_target *t, forge_rand_fn rnd, void *ud)
{
    uint64_t *f = m->info;
    uint64_t type = f[RAFTC_MF_TYPE];
    switch (r) {
    case R_SENDER_ZERO:
        f[RAFTC_MF_FROM] = RAFTC_NONE;
        return true;
    case R_SENDER_RESERVED:
        f[RAFTC_MF_FROM] = rnd(ud, 2) ? RAFTC_LOCAL_APPEND_THREAD : RAFTC_LOCAL_APPLY_THREAD;
        return true;
    case R_SELF:
        /* forwarding keeps the sender of proposals, reads and transfers; async hosts step
         * their own responses back */
        if (is_termless(type) || type == RAFTC_MSG_TRANSFER_LEADER ||
            (t->async && (type == RAFTC_MSG_APP_RESP || type == RAFTC_MSG_VOTE_RESP ||
                          type == RAFTC_MSG_PRE_VOTE_RESP)))
            return false;
        f[RAFTC_MF_FROM] = t->id;
        return true;
    case R_MISADDRESSED:
        f[RAFTC_MF_TO] = t->id + 1 + rnd(ud, 1000);
        return true;
    case R_TERM_WRAPS:
        if (is_termless(type))
            return false;
        f[RAFTC_MF_TERM] = FORGE_TERM_FLOOR + rnd(ud, UINT64_C(0xffffffff));
        if (f[RAFTC_MF_LOG_TERM] > f[RAFTC_MF_TERM])
            f[RAFTC_MF_LOG_TERM] = f[RAFTC_MF_TERM];
        return true;
    case R_TERM_ON_TERMLESS:
        if (!is_termless(type))
            return false;
        f[RAFTC_MF_TERM] = 1 + rnd(ud, 1000);
        return true;
    case R_TERM_ZERO:
        if (is_termless(type))
            return false;
        f[RAFTC_MF_TERM] = 0;
        return true;
    case R_LOG_TERM_ABOVE:
        if (is_termless(type) || f[RAFTC_MF_TERM] >= FORGE_TERM_FLOOR - 1)
            return false;
        f[RAFTC_MF_LOG_TERM] = f[RAFTC_MF_TERM] + 1 + rnd(ud, 3);
        return true;
    case R_APP_GAP:
    case R_APP_TERM_DOWN:
    case R_APP_TERM_ABOVE: {
        if (type != RAFTC_MSG_APP || m->n_ents == 0)
            return false;
        size_t i = (size_t)rnd(ud, m->n_ents);
        uint64_t term, index;
        int etype;
        const uint8_t *data;
        size_t dlen;
        if (entry_fields(m, i, &term, &index, &etype, &data, &dlen) != RAFTC_OK)
            return false;
        if (r == R_APP_GAP) {
            uint64_t d = 1 + rnd(ud, 5);
            index = rnd(ud, 2) && index > d ? index - d : index + d;
        } else if (r == R_APP_TERM_DOWN) {
            uint64_t floor = i == 0 ? f[RAFTC_MF_LOG_TERM] : 0;
            if (i > 0 && entry_fields(m, i - 1, &floor, NULL, NULL, NULL, NULL) != RAFTC_OK)
                return false;
            if (floor == 0)
                return false;
            term = floor - 1;
        } else {
            term = f[RAFTC_MF_TERM] + 1 + rnd(ud, 3);
        }
        return set_entry(m, i, term, index, etype, data, dlen) == RAFTC_OK;
    }
    case R_ENTRIES_MISPLACED:
        if (carries_entries(type) || m->n_ents != 0)
            return false;
        m->n_ents = 1;
        return set_entry(m, 0, f[RAFTC_MF_TERM], f[RAFTC_MF_INDEX] + 1, RAFTC_ENTRY_NORMAL,
                         (const uint8_t *)"x", 1) == RAFTC_OK;
    case R_EMPTY_PROP:
        if (type != RAFTC_MSG_PROP)
            return false;
        m->n_ents = 0;
        return true;
    case R_HEARTBEAT_COMMIT:
        if (type != RAFTC_MSG_HEARTBEAT)
            return false;
        if (f[RAFTC_MF_TERM] < t->term)
            f[RAFTC_MF_TERM] = t->term; /* the receiver acts on it */
        f[RAFTC_MF_COMMIT] = FORGE_FAR_INDEX + rnd(ud, 1000);
        return true;
    case R_ACK_BEYOND:
        if (type != RAFTC_MSG_APP_RESP || t->state != RAFTC_STATE_LEADER)
            return false;
        f[RAFTC_MF_TERM] = t->term;
        f[RAFTC_MF_INDEX] = FORGE_FAR_INDEX + rnd(ud, 1000);
        return true;
    case R_HINT_ABOVE:
        if (type != RAFTC_MSG_APP_RESP)
            return false;
        f[RAFTC_MF_REJECT] = 1;
        f[RAFTC_MF_REJECT_HINT] = f[RAFTC_MF_INDEX] + 1 + rnd(ud, 100);
        return true;
    case R_SECOND_LEADER:
        if (!is_leader_type(type))
            return false;
        if (t->state != RAFTC_STATE_LEADER && t->lead == RAFTC_NONE)
            return false;
        f[RAFTC_MF_TERM] = t->term;
        if (t->state != RAFTC_STATE_LEADER) { /* a sender that is neither t nor its leader */
            uint64_t other = t->lead + 1 + rnd(ud, 5);
            if (other == t->id)
                other++;
            f[RAFTC_MF_FROM] = other;
        }
        if (f[RAFTC_MF_LOG_TERM] > t->term)
            f[RAFTC_MF_LOG_TERM] = t->term;
        return type != RAFTC_MSG_APP && type != RAFTC_MSG_SNAP; /* keep their content valid */
    case R_SNAP_WRAPS:
    case R_SNAP_EMPTY:
    case R_SNAP_RESERVED: {
        if (type != RAFTC_MSG_SNAP)
            return false;
        if (r == R_SNAP_EMPTY) {
            m->snap_p = NULL;
            m->snap_l = 0;
            return true;
        }
        uint64_t voters[2] = {t->id, r == R_SNAP_RESERVED ? RAFTC_LOCAL_APPEND_THREAD : t->id};
        uint64_t term = f[RAFTC_MF_TERM] > 0 ? f[RAFTC_MF_TERM] : 1;
        return set_snapshot(m, r == R_SNAP_WRAPS ? UINT64_MAX : 1 + rnd(ud, 100), term, voters,
                            r == R_SNAP_RESERVED ? 2 : 1) == RAFTC_OK;
    }
    case R_LOCAL_TYPE: {
        static const uint64_t local[] = {RAFTC_MSG_HUP,          RAFTC_MSG_BEAT,
                                         RAFTC_MSG_UNREACHABLE,  RAFTC_MSG_SNAP_STATUS,
                                         RAFTC_MSG_CHECK_QUORUM, RAFTC_MSG_STORAGE_APPEND,
                                         RAFTC_MSG_STORAGE_APPLY, RAFTC_MSG_FORGET_LEADER};
        f[RAFTC_MF_TYPE] = local[rnd(ud, sizeof(local) / sizeof(local[0]))];
        m->n_ents = 0;
        m->snap_p = NULL;
        m->snap_l = 0;
        return true;
    }
    case R_CC_RESERVED: {
        if ((type != RAFTC_MSG_PROP && type != RAFTC_MSG_APP) || m->n_ents == 0)
            return false;
        size_t i = (size_t)rnd(ud, m->n_ents);
        uint64_t term, index;
        int etype;
        const uint8_t *p;
        size_t l;
        if (entry_fields(m, i, &term, &index, NULL, NULL, NULL) != RAFTC_OK ||
            reserved_conf_change(m, rnd(ud, 2) ? RAFTC_LOCAL_APPEND_THREAD
                                               : RAFTC_LOCAL_APPLY_THREAD,
                                 &etype, &p, &l) != RAFTC_OK)
            return false;
        return set_entry(m, i, term, index, etype, p, l) == RAFTC_OK;
    }
    case R_READ_INDEX_ENTRIES:
        if (type != RAFTC_MSG_READ_INDEX && type != RAFTC_MSG_READ_INDEX_RESP)
            return false;
        if (m->n_ents == 1 && rnd(ud, 2)) {
            m->ent_p[1] = m->ent_p[0];
            m->ent_l[1] = m->ent_l[0];
            m->n_ents = 2;
        } else {
            m->n_ents = 0;
        }
        return true;
    default:
        return false;
    }
}

const char *forge_impossible(raftc_sink *out, const uint8_t *base, size_t len,
                             const forge_target *t, forge_rand_fn rnd, void *ud)
{
    parts m;
    const char *name = NULL;
    if (parts_open(&m, base, len) == 0) {
        int r = (int)rnd(ud, R_COUNT);
        if (apply_rule(&m, r, t, rnd, ud) && parts_encode(out, &m) == RAFTC_OK)
            name = rule_names[r];
    }
    parts_free(&m);
    return name;
}

/* ---- mutation ---- */

static const uint64_t boundary[] = {0,          1,          2,          UINT32_MAX,
                                    UINT64_MAX, UINT64_MAX - 1, FORGE_TERM_FLOOR - 1,
                                    FORGE_TERM_FLOOR, FORGE_FAR_INDEX};

/* One scalar field set to a boundary or nearby value, encoded again. */
static size_t mutate_field(uint8_t *dst, size_t cap, const uint8_t *base, size_t len,
                           forge_rand_fn rnd, void *ud)
{
    parts m;
    size_t n = 0;
    raftc_sink *out = NULL;
    if (parts_open(&m, base, len) == 0 && raftc_sink_new(&out) == RAFTC_OK) {
        size_t field = (size_t)rnd(ud, RAFTC_MF_REJECT_HINT + 1);
        uint64_t v = rnd(ud, 3) == 0 ? boundary[rnd(ud, sizeof(boundary) / sizeof(boundary[0]))]
                                     : m.info[field] + rnd(ud, 5) - 2;
        if (field == RAFTC_MF_TYPE)
            v %= 24;
        if (field == RAFTC_MF_REJECT)
            v &= 1;
        m.info[field] = v;
        const uint8_t *p;
        size_t l;
        if (parts_encode(out, &m) == RAFTC_OK && raftc_sink_get(&p, &l, out, 0) == RAFTC_OK &&
            l <= cap) {
            memcpy(dst, p, l);
            n = l;
        }
    }
    raftc_sink_free(out);
    parts_free(&m);
    return n;
}

size_t forge_mutate(uint8_t *dst, size_t cap, const uint8_t *base, size_t len,
                    forge_rand_fn rnd, void *ud)
{
    size_t n = len < cap ? len : cap;
    memcpy(dst, base, n);
    switch (rnd(ud, 6)) {
    case 0: /* flip a few bits */
        for (uint64_t k = 1 + rnd(ud, 4); k > 0 && n > 0; k--) {
            size_t i = (size_t)rnd(ud, n);
            dst[i] ^= (uint8_t)(1u << rnd(ud, 8));
        }
        return n;
    case 1: /* overwrite a byte */
        if (n > 0)
            dst[rnd(ud, n)] = (uint8_t)rnd(ud, 256);
        return n;
    case 2: /* truncate */
        return n > 0 ? (size_t)rnd(ud, n) : 0;
    case 3: /* insert random bytes */
        if (n + 4 <= cap) {
            size_t at = (size_t)rnd(ud, n + 1), k = 1 + (size_t)rnd(ud, 4);
            memmove(dst + at + k, dst + at, n - at);
            for (size_t i = 0; i < k; i++)
                dst[at + i] = (uint8_t)rnd(ud, 256);
            return n + k;
        }
        return n;
    case 4: /* repeat a tail (a splice of the message into itself) */
        if (n > 0 && 2 * n <= cap) {
            size_t at = (size_t)rnd(ud, n);
            memcpy(dst + n, base + at, n - at);
            return n + (n - at);
        }
        return n;
    default: {
        size_t k = mutate_field(dst, cap, base, len, rnd, ud);
        if (k == 0) {
            memcpy(dst, base, n);
            return n;
        }
        return k;
    }
    }
}

bool forge_refused(int rc)
{
    return rc == RAFTC_EREFUSED || rc == RAFTC_ESTEP_LOCAL_MSG || rc == RAFTC_ESTEP_PEER_NOT_FOUND;
}

int forge_check_ready(raftc_node *node, char *why, size_t size)
{
    if (!raftc_node_has_ready(node))
        return 0;
    raftc_ready *rd = NULL;
    uint64_t info[RAFTC_RD_COUNT];
    int rc = raftc_node_ready(&rd, node);
    if (rc == RAFTC_OK)
        rc = raftc_ready_info(info, RAFTC_RD_COUNT, rd);
    if (rc != RAFTC_OK) {
        snprintf(why, size, "Ready refused: %s (%s)", raftc_strerror(rc),
                 raftc_node_last_error(node));
        return -1;
    }
    uint64_t prev = 0;
    for (uint64_t i = 0; i < info[RAFTC_RD_N_ENTRIES]; i++) {
        uint64_t index = 0;
        if (raftc_ready_entry_info(NULL, &index, NULL, NULL, NULL, rd, (size_t)i) != RAFTC_OK ||
            (i > 0 && index != prev + 1)) {
            snprintf(why, size, "Ready entry %llu has index %llu after %llu",
                     (unsigned long long)i, (unsigned long long)index, (unsigned long long)prev);
            return -1;
        }
        prev = index;
    }
    return 0;
}
