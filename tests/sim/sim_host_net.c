/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_host_net.c: the network of raftc-sim's multi-raft mode. The unit is an envelope (one per
 * destination per host Ready): it is lost, duplicated, delayed and reordered as a whole, and cut
 * by partitions between hosts, as a TCP connection between two hosts would lose it. A snapshot
 * message inside an envelope is reported to its sender's group (raftc_node_report_snapshot) as
 * finished when delivered and as failed when lost, as a transport does. With --hostile PM, after
 * a genuine delivery (at the seed's rate, up to PM per mille) the network also replays an old
 * envelope to its destination (a stale duplicate: raft must stay safe), delivers a genuine
 * envelope to a host it is not addressed to (must be refused whole: RAFTC_EREFUSED), or
 * delivers random bytes or a genuine envelope with flipped bytes before its addressing ends
 * (must be refused: RAFTC_EDECODE, RAFTC_EINVAL or RAFTC_EREFUSED); no group may fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_host.h"

void sim_host_net_heal(void)
{
    memset(H.blocked, 0, sizeof H.blocked);
}

bool sim_host_net_reaches(int a, int b)
{
    return sim_host_up(a) && sim_host_up(b) && !H.blocked[a][b];
}

/* ---- the envelope's group messages (multiraftpb.Envelope field 3: GroupMessage{group = 1,
 * message = 2}), read to report snapshots ---- */

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        uint8_t b = *(*p)++;
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/* Skips one field of wire type wt; false on malformed bytes. */
static bool skip(const uint8_t **p, const uint8_t *end, uint64_t wt)
{
    uint64_t v;
    switch (wt) {
    case 0:
        return varint(p, end, &v);
    case 1:
        if (end - *p < 8)
            return false;
        *p += 8;
        return true;
    case 2:
        if (!varint(p, end, &v) || v > (uint64_t)(end - *p))
            return false;
        *p += v;
        return true;
    case 5:
        if (end - *p < 4)
            return false;
        *p += 4;
        return true;
    default:
        return false;
    }
}

static void report(int from, int to, uint64_t group, int status)
{
    if (!sim_host_up(from) || group == 0 || group > (uint64_t)H.n_groups ||
        !H.hosts[from].r[group - 1].exists)
        return;
    raftc_node *n = sim_host_node(from, (int)group - 1);
    int rc = raftc_node_report_snapshot(n, (uint64_t)to + 1, status);
    if (rc == RAFTC_EFAILED)
        sim_host_ck(rc, "raftc_node_report_snapshot", from);
    sim_host_ck(raftc_host_wake_group(H.hosts[from].h, group), "raftc_host_wake_group", from);
    H.n_snap_reports++;
}

/* The next group message of the envelope bytes at *p: 1 with *group and the raftpb Message
 * bytes, 0 at the end (or on malformed bytes). */
static int next_message(const uint8_t **p, const uint8_t *end, uint64_t *group,
                        const uint8_t **msg, uint64_t *msg_len)
{
    while (*p < end) {
        uint64_t key, len;
        if (!varint(p, end, &key))
            return 0;
        if (key != ((3 << 3) | 2)) {
            if (!skip(p, end, key & 7))
                return 0;
            continue;
        }
        if (!varint(p, end, &len) || len > (uint64_t)(end - *p))
            return 0;
        const uint8_t *q = *p, *qend = *p + len;
        *p += len;
        *group = 0;
        *msg = NULL;
        *msg_len = 0;
        while (q < qend) {
            uint64_t k;
            if (!varint(&q, qend, &k))
                return 0;
            if (k == ((1 << 3) | 0)) {
                if (!varint(&q, qend, group))
                    return 0;
            } else if (k == ((2 << 3) | 2)) {
                if (!varint(&q, qend, msg_len) || *msg_len > (uint64_t)(qend - q))
                    return 0;
                *msg = q;
                q += *msg_len;
            } else if (!skip(&q, qend, k & 7)) {
                return 0;
            }
        }
        if (*msg != NULL)
            return 1;
    }
    return 0;
}

/* The raftpb type of a group message, or -1. */
static int message_type(const uint8_t *msg, uint64_t len)
{
    uint64_t info[RAFTC_MF_COUNT];
    if (raftc_message_decode(info, RAFTC_MF_COUNT, msg, (size_t)len) != RAFTC_OK)
        return -1;
    return (int)info[RAFTC_MF_TYPE];
}

/* Reports every MsgSnap of the envelope to its sender with status. */
static void report_snapshots(const sim_msg *e, int status)
{
    const uint8_t *p = e->buf, *end = e->buf + e->len, *msg;
    uint64_t group, len;
    while (next_message(&p, end, &group, &msg, &len))
        if (message_type(msg, len) == RAFTC_MSG_SNAP)
            report((int)e->from, (int)e->to, group, status);
}

/* Whether the envelope holds a proposal (MsgProp) forwarded to a leader. */
static bool has_proposal(const uint8_t *buf, size_t len)
{
    const uint8_t *p = buf, *end = buf + len, *msg;
    uint64_t group, mlen;
    while (next_message(&p, end, &group, &msg, &mlen))
        if (message_type(msg, mlen) == RAFTC_MSG_PROP)
            return true;
    return false;
}

/* ---- a hostile network (--hostile) ---- */

#define SH_REPLAY_RING 64

static sim_msg replay_ring[SH_REPLAY_RING];
static size_t replay_n;
sh_hostile_totals sh_hostile_total;

static void hostile_refused(int to, int rc, const char *what)
{
    if (rc != RAFTC_EREFUSED && rc != RAFTC_EDECODE && rc != RAFTC_EINVAL)
        sim_fail("hostile: h%d accepted %s (%s)", to + 1, what, raftc_strerror(rc));
}

static void hostile_after(const sim_msg *e)
{
    if (!S.p.hostile_pm || !sim_chance(S.p.hostile_pm > 1000 ? 1000 : S.p.hostile_pm))
        return;
    sim_msg *slot = &replay_ring[replay_n++ % SH_REPLAY_RING];
    free(slot->buf);
    *slot = *e;
    slot->buf = sim_xmalloc(e->len);
    memcpy(slot->buf, e->buf, e->len);
    switch (sim_below(3)) {
    case 0: { /* replay an old genuine envelope to its destination */
        size_t n = replay_n < SH_REPLAY_RING ? replay_n : SH_REPLAY_RING;
        const sim_msg *old = &replay_ring[sim_below(n)];
        /* (not one holding a forwarded proposal: raft does not dedupe those, the client layer
         * would) */
        int from = (int)old->from, to = (int)old->to;
        if (!sim_host_up(to) || H.blocked[from][to] ||
            has_proposal(old->buf, old->len))
            return;
        int rc = raftc_host_step(H.hosts[to].h, old->buf, old->len);
        if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED && rc != RAFTC_ESTEP_PEER_NOT_FOUND)
            sim_host_ck(rc, "raftc_host_step (replayed envelope)", to);
        sim_trace("HOSTILE replayed an envelope h%d->h%d", from + 1, to + 1);
        H.hostile.replayed++;
        break;
    }
    case 1: { /* a genuine envelope to a host it is not addressed to */
        int to = (int)sim_below((uint64_t)H.n_hosts);
        if ((uint64_t)to == e->to || !sim_host_up(to))
            return;
        hostile_refused(to, raftc_host_step(H.hosts[to].h, e->buf, e->len),
                        "an envelope addressed to another host");
        H.hostile.misaddressed++;
        break;
    }
    default: { /* random bytes, or flipped bytes inside the envelope's addressing */
        uint8_t buf[48];
        size_t len = 1 + sim_below(sizeof buf);
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)sim_rand();
        buf[0] |= 0x80; /* an unfinished varint key: never a valid field 1 or 2 */
        int to = (int)sim_below((uint64_t)H.n_hosts);
        if (!sim_host_up(to))
            return;
        hostile_refused(to, raftc_host_step(H.hosts[to].h, buf, len), "random bytes");
        H.hostile.garbage++;
        break;
    }
    }
}

void sim_host_hostile_end_run(void)
{
    sh_hostile_total.replayed += H.hostile.replayed;
    sh_hostile_total.misaddressed += H.hostile.misaddressed;
    sh_hostile_total.garbage += H.hostile.garbage;
    for (size_t k = 0; k < SH_REPLAY_RING; k++) {
        free(replay_ring[k].buf);
        replay_ring[k].buf = NULL;
    }
    replay_n = 0;
}

/* ---- send and deliver ---- */

static void push(const uint8_t *buf, size_t len, int from, int to)
{
    sim_queue_push(&H.net, buf, len, (uint64_t)from, (uint64_t)to, 0, S.now + sim_queue_delay());
}

static void drop(const sim_msg *e, const char *why)
{
    H.n_env_dropped++;
    S.n_dropped++;
    sim_trace("net DROP envelope h%d->h%d (%zu bytes, %s)", (int)e->from + 1, (int)e->to + 1,
              e->len, why);
    report_snapshots(e, RAFTC_SNAPSHOT_FAILURE);
}

void sim_host_net_send(int from, uint64_t to, const uint8_t *buf, size_t len)
{
    if (to == 0 || to > (uint64_t)H.n_hosts || (int)to - 1 == from)
        sim_fail("h%d sent an envelope to node %llu", from + 1, (unsigned long long)to);
    H.n_envelopes++;
    sim_msg e = {(uint8_t *)buf, len, (uint64_t)from, to - 1, 0, 0, 0};
    if (!S.healing && S.opts.loss && sim_chance(S.p.loss_pm)) {
        drop(&e, "loss");
        return;
    }
    push(buf, len, from, (int)to - 1);
    /* An envelope may hold proposals forwarded to a leader (MsgProp); a duplicate would be a
     * second proposal, which the application's client layer would dedupe: duplicated
     * envelopes are those without one (the checker's exactly-once would flag it). */
    if (!S.healing && S.opts.dup && sim_chance(S.p.dup_pm) && !has_proposal(buf, len))
        push(buf, len, from, (int)to - 1);
}

static void deliver(sim_msg *e)
{
    int from = (int)e->from, to = (int)e->to;
    if (!sim_host_up(to)) {
        drop(e, "destination down");
        return;
    }
    if (H.blocked[from][to]) {
        drop(e, "partition");
        return;
    }
    S.n_delivered++;
    sim_trace("deliver envelope h%d->h%d (%zu bytes)", from + 1, to + 1, e->len);
    int rc = raftc_host_step(H.hosts[to].h, e->buf, e->len);
    if (rc != RAFTC_OK && rc != RAFTC_EPROPOSAL_DROPPED && rc != RAFTC_ESTEP_PEER_NOT_FOUND)
        sim_host_ck(rc, "raftc_host_step", to);
    report_snapshots(e, RAFTC_SNAPSHOT_FINISH);
    hostile_after(e);
}

void sim_host_net_deliver_due(void)
{
    sim_queue_deliver_due(&H.net, S.now, deliver);
}

void sim_host_net_isolate(int v)
{
    sim_host_net_heal();
    for (int i = 0; i < H.n_hosts; i++) {
        H.blocked[v][i] = true;
        H.blocked[i][v] = true;
    }
    S.n_partitions++;
}

void sim_host_net_partition(void)
{
    sim_host_net_heal();
    int n = H.n_hosts;
    S.n_partitions++;
    switch (sim_below(4)) {
    case 0: { /* symmetric split into two sides */
        bool side[SH_MAX_HOSTS];
        for (int i = 0; i < n; i++)
            side[i] = sim_below(2);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (side[i] != side[j])
                    H.blocked[i][j] = true;
        sim_trace("PARTITION symmetric split");
        break;
    }
    case 1: { /* isolate one host both ways */
        int v = (int)sim_below((uint64_t)n);
        sim_host_net_isolate(v);
        S.n_partitions--;
        sim_trace("PARTITION isolate h%d", v + 1);
        break;
    }
    case 2: /* asymmetric: random directed links */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j && sim_chance(250))
                    H.blocked[i][j] = true;
        sim_trace("PARTITION asymmetric random links");
        break;
    default: { /* one host can only send, or only receive */
        int v = (int)sim_below((uint64_t)n);
        bool in = sim_below(2);
        for (int i = 0; i < n; i++) {
            if (in)
                H.blocked[i][v] = true;
            else
                H.blocked[v][i] = true;
        }
        H.blocked[v][v] = false;
        sim_trace("PARTITION h%d cannot %s", v + 1, in ? "receive" : "send");
        break;
    }
    }
}
