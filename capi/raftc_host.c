/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_host.c: the multi-raft host (raftc_host_*; docs/multiraft.md). Groups are raftc_nodes
 * over memory storages owned by the host; the host keeps the list of awake groups (ticked),
 * the list of dirty groups (checked for a Ready), one outbox per destination node, and the
 * host Ready view. The group table, the envelope and the quiescence predicates are core/host.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "capi_internal.h"
#include "host.h"
#include "pack.h"

#define HOST_NOT_AWAKE UINT32_MAX
#define HOST_ERR_MAX 256
/* The largest storage folded into a quiet group's block, in bytes (group_fold_storage). */
#define HOST_FOLD_STORAGE_MAX 1024

enum {
    G_DIRTY = 1,     /* in host->dirty: check for a Ready */
    G_IN_READY = 2,  /* in the current host Ready */
    G_HINT = 4,      /* its leader went quiet: sleep once caught up (followers) */
};

typedef struct host_group {
    uint64_t id;
    raftc_node *node;    /* NULL while packed */
    uint8_t *packed;     /* a quiet group's node as one block (core/pack.h), or NULL */
    rc_memstorage *ms;   /* the group's log in the host's storage; NULL while folded into
                          * the packed block (after the node's part) */
    uint32_t awake_at;   /* index in host->awake, or HOST_NOT_AWAKE (quiet) */
    uint8_t flags;
} host_group;

struct raftc_batch {
    bool valid;
    host_group **groups;
    size_t n_groups, cap_groups;
    raftc_sink *envelopes;
    uint64_t *to;
    size_t cap_to;
};

struct raftc_host {
    uint64_t id;
    raftc_config cfg; /* the groups' options (storage set per group) */
    bool quiesce;
    rc_host_map groups;
    host_group **awake;
    size_t n_awake, cap_awake;
    host_group **dirty;
    size_t n_dirty, cap_dirty;
    rc_host_outbox *outs; /* one per destination seen so far */
    size_t n_outs, cap_outs;
    struct raftc_batch rd;
    uint64_t stats[RAFTC_HO_COUNT];
    const char *err;
    char err_buf[HOST_ERR_MAX];
};

/* ---- results ---- */

static int host_ok(raftc_host *host)
{
    host->err = "";
    return RAFTC_OK;
}

/* Records rc (with text, or raftc_strerror) as the host's last error. */
static int host_fail(raftc_host *host, int rc, const char *text)
{
    host->err = text != NULL ? text : raftc_strerror(rc);
    return rc;
}

/* Records a group's failure (its node's text) unless an earlier one is kept (*first). */
static void host_group_fail(raftc_host *host, int *first, const host_group *g, int rc)
{
    if (rc == RAFTC_OK || *first != RAFTC_OK)
        return;
    *first = rc;
    snprintf(host->err_buf, sizeof(host->err_buf), "group %llu: %s", (unsigned long long)g->id,
             g->node != NULL ? raftc_node_last_error(g->node) : raftc_strerror(rc));
    host->err = host->err_buf;
}

/* ---- packed groups ---- */

/* Moves a packed group's storage into its block, after the node's part, when it is small
 * (a log of a few entries; a large log or snapshot stays a storage, so that waking the group
 * does not copy it): the block is then the group's only allocation besides its entry.
 * Requires a packed node and a live storage; on failure the storage stays as it is. */
static void group_fold_storage(host_group *g)
{
    size_t node_len = rc_pack_size(g->packed), len = rc_memstorage_packed_size(g->ms);
    if (len > HOST_FOLD_STORAGE_MAX)
        return;
    uint8_t *p = rc_realloc(g->packed, node_len + len);
    if (p == NULL)
        return;
    rc_memstorage_pack(p + node_len, g->ms);
    rc_memstorage_free(g->ms);
    g->packed = p;
    g->ms = NULL;
}

/* Makes g's storage live again if it is folded into its block (the block keeps its copy until
 * the node is restored or the storage folded again). */
static int group_storage(host_group *g)
{
    if (g->ms != NULL)
        return RAFTC_OK;
    return rc_memstorage_unpack(&g->ms, g->packed + rc_pack_size(g->packed)) == RC_OK
               ? RAFTC_OK
               : RAFTC_ENOMEM;
}

/* Folds a packed group's storage back into its block after a call that needed it live. */
static void group_refold(host_group *g)
{
    if (g->node == NULL && g->ms != NULL)
        group_fold_storage(g);
}

/* Packs a quiet group whose node holds nothing in flight into one block (its storage too when
 * small) and frees the node (docs/multiraft.md, "Memory"); any other group is left as it is. */
static void group_pack(host_group *g)
{
    raftc_node *node = g->node;
    if (node == NULL || g->awake_at != HOST_NOT_AWAKE || (g->flags & (G_DIRTY | G_IN_READY)) ||
        node->ready.valid || raftc_node_has_ready(node))
        return;
    uint8_t *p;
    if (rc_pack_rawnode(&p, node->rn) != RC_OK)
        return;
    raftc_node_free(node);
    g->node = NULL;
    g->packed = p;
    group_fold_storage(g);
}

/* Restores a packed group's node (nothing to do for a live one). On failure the group stays
 * packed. */
static int group_unpack(raftc_host *host, host_group *g)
{
    if (g->node != NULL)
        return RAFTC_OK;
    bool folded = g->ms == NULL;
    int rc = group_storage(g);
    if (rc != RAFTC_OK)
        return rc;
    raftc_config c = host->cfg;
    raftc_memstorage view = {g->ms, {0}}; /* read by the node's creation only */
    c.ms = &view;
    rc = capi_node_restore(&g->node, &c, g->packed);
    if (rc != RAFTC_OK) {
        if (folded) {
            rc_memstorage_free(g->ms);
            g->ms = NULL;
        }
        return rc;
    }
    rc_free(g->packed);
    g->packed = NULL;
    return RAFTC_OK;
}

/* The group's leader as raft knows it, packed or not. */
static uint64_t group_lead(const host_group *g)
{
    return g->node != NULL ? g->node->rn->raft->lead : rc_pack_lead(g->packed);
}

/* ---- awake and dirty lists ---- */

static void mark_dirty(raftc_host *host, host_group *g)
{
    if ((g->flags & G_DIRTY) || g->node == NULL)
        return;
    if (rc_grow((void **)&host->dirty, &host->cap_dirty, host->n_dirty + 1,
                sizeof(*host->dirty)) != RC_OK)
        return; /* on a full memory the group is found by its next event */
    host->dirty[host->n_dirty++] = g;
    g->flags |= G_DIRTY;
}

static int awake_add(raftc_host *host, host_group *g)
{
    if (g->awake_at != HOST_NOT_AWAKE)
        return RAFTC_OK;
    int rc = group_unpack(host, g);
    if (rc != RAFTC_OK)
        return rc;
    if (rc_grow((void **)&host->awake, &host->cap_awake, host->n_awake + 1,
                sizeof(*host->awake)) != RC_OK)
        return RAFTC_ENOMEM;
    g->awake_at = (uint32_t)host->n_awake;
    host->awake[host->n_awake++] = g;
    return RAFTC_OK;
}

static void awake_remove(raftc_host *host, host_group *g)
{
    if (g->awake_at == HOST_NOT_AWAKE)
        return;
    host_group *last = host->awake[--host->n_awake];
    host->awake[g->awake_at] = last;
    last->awake_at = g->awake_at;
    g->awake_at = HOST_NOT_AWAKE;
}

static void dirty_remove(raftc_host *host, host_group *g)
{
    if (!(g->flags & G_DIRTY))
        return;
    for (size_t i = 0; i < host->n_dirty; i++)
        if (host->dirty[i] == g) {
            host->dirty[i] = host->dirty[--host->n_dirty];
            break;
        }
    g->flags &= (uint8_t)~G_DIRTY;
}

/* ---- outboxes ---- */

static rc_host_outbox *outbox_for(raftc_host *host, uint64_t to)
{
    for (size_t i = 0; i < host->n_outs; i++)
        if (host->outs[i].to == to)
            return &host->outs[i];
    if (rc_grow((void **)&host->outs, &host->cap_outs, host->n_outs + 1, sizeof(*host->outs)) !=
        RC_OK)
        return NULL;
    rc_host_outbox *o = &host->outs[host->n_outs++];
    memset(o, 0, sizeof(*o));
    o->to = to;
    return o;
}

/* ---- quiescence ---- */

/* Frees what a quiet group keeps for its next Ready (as an Advance of an idle Ready does): the
 * Ready view, raft's message and read arrays, empty inflight windows, spare slabs. */
static void group_release_idle(host_group *g)
{
    raftc_node *node = g->node;
    rc_rawnode *rn = node->rn;
    if (node->ready.valid || rn->ready_pending)
        return;
    capi_ready_view_free(node);
    rc_free(node->step_scratch.v);
    node->step_scratch = (rc_entries){0};
    if (rn->steps_on_advance.n == 0)
        rc_msgs_free(&rn->steps_on_advance);
    rc_raft_release_idle_memory(rn->raft);
    rc_blob_pool_trim(&rn->pool);
}

static void group_sleep(raftc_host *host, host_group *g)
{
    if (g->awake_at == HOST_NOT_AWAKE)
        return;
    awake_remove(host, g);
    group_release_idle(g);
    g->flags &= (uint8_t)~G_HINT;
    host->stats[RAFTC_HO_QUIESCED]++;
    mark_dirty(host, g); /* examined once more by raftc_host_has_ready, then packed */
}

/* Wakes g. A follower also wakes its leader through the next envelope, so that heartbeats
 * resume: even when a message from the leader woke it, as that message may be a stale one
 * (delayed past the leader's quiesce heartbeat) from a leader that is still quiet, and a woken
 * follower without heartbeats would time out and campaign. */
static int group_wake(raftc_host *host, host_group *g)
{
    g->flags &= (uint8_t)~G_HINT;
    if (g->awake_at != HOST_NOT_AWAKE)
        return RAFTC_OK;
    int rc = awake_add(host, g);
    if (rc != RAFTC_OK)
        return rc;
    host->stats[RAFTC_HO_WOKEN]++;
    const rc_raft *r = g->node->rn->raft;
    if (r->state == RC_STATE_FOLLOWER && r->lead != RC_NONE && r->lead != host->id) {
        rc_host_outbox *o = outbox_for(host, r->lead);
        if (o == NULL || rc_host_outbox_put_wake(o, g->id) != RC_OK)
            return RAFTC_ENOMEM;
    }
    return RAFTC_OK;
}

/* A leader that can go quiet stops ticking and sends each peer a quiesce heartbeat. */
static int leader_sleep(raftc_host *host, host_group *g)
{
    const rc_raft *r = g->node->rn->raft;
    const rc_progress_map *prs = &r->trk.progress;
    for (size_t i = 0; i < prs->n; i++) {
        if (prs->v[i].id == host->id)
            continue;
        rc_host_outbox *o = outbox_for(host, prs->v[i].id);
        rc_host_heartbeat hb = {g->id, r->term, r->raft_log.committed, true};
        if (o == NULL || rc_host_outbox_put_heartbeat(o, &hb) != RC_OK)
            return RAFTC_ENOMEM;
        host->stats[RAFTC_HO_HEARTBEATS]++;
    }
    group_sleep(host, g);
    return RAFTC_OK;
}

/* A follower that knows no leader while quiescence is on (restarted, or a learner, in a group
 * whose leader is quiet: nobody heartbeats it, and a learner never campaigns) asks every peer
 * of its config to wake, once per election timeout: a woken follower wakes its leader, whose
 * heartbeats then reach this one, and the group can go quiet again. */
static int follower_ask_leader(raftc_host *host, host_group *g)
{
    const rc_raft *r = g->node->rn->raft;
    if (!host->quiesce || r->state != RC_STATE_FOLLOWER || r->lead != RC_NONE ||
        r->election_elapsed == 0 || r->election_elapsed % r->election_timeout != 0)
        return RAFTC_OK;
    const rc_progress_map *prs = &r->trk.progress;
    for (size_t i = 0; i < prs->n; i++) {
        if (prs->v[i].id == host->id)
            continue;
        rc_host_outbox *o = outbox_for(host, prs->v[i].id);
        if (o == NULL || rc_host_outbox_put_wake(o, g->id) != RC_OK)
            return RAFTC_ENOMEM;
    }
    return RAFTC_OK;
}

/* ---- lifecycle ---- */

static void group_free(host_group *g)
{
    if (g == NULL)
        return;
    raftc_node_free(g->node);
    rc_free(g->packed);
    rc_memstorage_free(g->ms);
    rc_free(g);
}

RAFTC_API void raftc_host_free(raftc_host *host)
{
    if (host == NULL)
        return;
    for (size_t i = 0; i < host->groups.cap; i++)
        if (host->groups.slots[i].key != 0)
            group_free(host->groups.slots[i].value);
    rc_host_map_free(&host->groups);
    rc_free(host->awake);
    rc_free(host->dirty);
    for (size_t i = 0; i < host->n_outs; i++)
        rc_host_outbox_free(&host->outs[i]);
    rc_free(host->outs);
    rc_free(host->rd.groups);
    raftc_sink_free(host->rd.envelopes);
    rc_free(host->rd.to);
    rc_free(host);
}

RAFTC_API int raftc_host_new(raftc_host **out, const raftc_config *cfg, uint64_t node_id)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || cfg == NULL || node_id == RAFTC_NONE || rc_msg_is_local_target(node_id))
        return RAFTC_EINVAL;
    if (cfg->c.async_storage_writes)
        return RAFTC_ECONFIG;
    rc_config c = cfg->c;
    c.id = node_id;
    c.storage.ops = NULL;
    const char *text = NULL;
    if (rc_config_validate(&c, &text) != RC_OK && strcmp(text, "storage cannot be nil") != 0)
        return RAFTC_ECONFIG;
    raftc_host *host = rc_calloc(1, sizeof(*host));
    if (host == NULL)
        return RAFTC_ENOMEM;
    if (raftc_sink_new(&host->rd.envelopes) != RAFTC_OK) {
        raftc_host_free(host);
        return RAFTC_ENOMEM;
    }
    host->id = node_id;
    host->cfg = *cfg;
    host->cfg.c.id = node_id;
    host->cfg.storage_kind = CAPI_STORAGE_MEM;
    host->cfg.ds = NULL;
    host->cfg.ms = NULL;
    host->stats[RAFTC_HO_NODE_ID] = node_id;
    host->err = "";
    *out = host;
    return RAFTC_OK;
}

RAFTC_API const char *raftc_host_last_error(const raftc_host *host)
{
    return host == NULL ? "" : host->err;
}

RAFTC_API int raftc_host_set_quiesce(raftc_host *host, int enabled)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    if (enabled && host->cfg.c.read_only_option == RC_READ_ONLY_LEASE_BASED)
        return host_fail(host, RAFTC_ECONFIG,
                         "quiescence cannot be used with lease-based reads");
    host->quiesce = enabled != 0;
    if (!host->quiesce)
        for (size_t i = 0; i < host->groups.cap; i++)
            if (host->groups.slots[i].key != 0) {
                host_group *g = host->groups.slots[i].value;
                if (awake_add(host, g) != RAFTC_OK)
                    return host_fail(host, RAFTC_ENOMEM, NULL);
                g->flags &= (uint8_t)~G_HINT;
            }
    return host_ok(host);
}

/* ---- groups ---- */

static int group_lookup(host_group **out, raftc_host *host, uint64_t group)
{
    *out = rc_host_map_get(&host->groups, group);
    if (*out != NULL)
        return RAFTC_OK;
    snprintf(host->err_buf, sizeof(host->err_buf), "group %llu not found",
             (unsigned long long)group);
    return host_fail(host, RAFTC_ENOTFOUND, host->err_buf);
}

/* Looks a group up for a call made to it by the host: wakes it if it sleeps and marks it for
 * the next host Ready. */
static int group_touch(host_group **out, raftc_host *host, uint64_t group)
{
    int rc = group_lookup(out, host, group);
    if (rc != RAFTC_OK)
        return rc;
    rc = group_wake(host, *out);
    if (rc != RAFTC_OK)
        return host_fail(host, rc, NULL);
    mark_dirty(host, *out);
    return RAFTC_OK;
}

/* Copies src's snapshot, entries and HardState into the empty storage dst. */
static int storage_copy(rc_memstorage *dst, rc_memstorage *src)
{
    rc_snapshot snap = {0};
    int rc = rc_memstorage_snapshot(src, &snap);
    if (rc == RC_OK && snap.metadata.index > 0)
        rc = rc_memstorage_apply_snapshot(dst, &snap);
    rc_snapshot_free(&snap);
    uint64_t first = rc_memstorage_first_index(src), last = rc_memstorage_last_index(src);
    if (rc == RC_OK && last >= first) {
        rc_entries ents = {0};
        rc = rc_memstorage_entries(src, first, last + 1, UINT64_MAX, &ents);
        if (rc == RC_OK)
            rc = rc_memstorage_append(dst, ents.v, ents.n);
        rc_entries_free(&ents);
    }
    rc_hard_state hs;
    rc_conf_state cs = {0};
    if (rc == RC_OK)
        rc = rc_memstorage_initial_state(src, &hs, &cs);
    rc_conf_state_free(&cs);
    if (rc == RC_OK && !rc_hard_state_is_empty(&hs))
        rc = rc_memstorage_set_hard_state(dst, &hs);
    return rc;
}

/* Creates group `group`: its storage empty or (from != NULL) a copy of from, its node started
 * with Applied = applied and bootstrapped with ids[0..n) when n > 0. */
static int group_create(raftc_host *host, uint64_t group, rc_memstorage *from, uint64_t applied,
                        const uint64_t *ids, size_t n)
{
    if (group == 0 || (ids == NULL && n > 0))
        return host_fail(host, RAFTC_EINVAL, group == 0 ? "group id must not be 0" : NULL);
    if (rc_host_map_get(&host->groups, group) != NULL) {
        snprintf(host->err_buf, sizeof(host->err_buf), "group %llu exists",
                 (unsigned long long)group);
        return host_fail(host, RAFTC_ESTATE, host->err_buf);
    }
    host_group *g = rc_calloc(1, sizeof(*g));
    if (g == NULL || rc_memstorage_new(&g->ms) != RC_OK) {
        group_free(g);
        return host_fail(host, RAFTC_ENOMEM, NULL);
    }
    g->id = group;
    g->awake_at = HOST_NOT_AWAKE;
    const char *text = NULL;
    int rc = from != NULL ? storage_copy(g->ms, from) : RC_OK;
    if (rc != RC_OK)
        text = rc_memstorage_last_error(g->ms)[0] != '\0' ? rc_memstorage_last_error(g->ms)
                                                            : raftc_strerror(rc);
    raftc_config c = host->cfg;
    raftc_memstorage view = {g->ms, {0}}; /* read by the node's creation only */
    c.ms = &view;
    c.c.applied = applied;
    if (rc == RAFTC_OK)
        rc = raftc_node_new(&g->node, &text, &c);
    if (rc == RAFTC_OK && n > 0)
        rc = raftc_node_bootstrap(g->node, ids, NULL, NULL, n);
    if (rc == RAFTC_OK)
        rc = rc_host_map_put(&host->groups, group, g);
    if (rc == RAFTC_OK)
        rc = awake_add(host, g);
    if (rc != RAFTC_OK) {
        snprintf(host->err_buf, sizeof(host->err_buf), "group %llu: %s",
                 (unsigned long long)group,
                 g->node != NULL ? raftc_node_last_error(g->node)
                                 : text != NULL ? text : raftc_strerror(rc));
        if (rc_host_map_get(&host->groups, group) == g)
            rc_host_map_delete(&host->groups, group);
        group_free(g);
        return host_fail(host, rc, host->err_buf);
    }
    mark_dirty(host, g);
    return host_ok(host);
}

RAFTC_API int raftc_host_add_group(raftc_host *host, uint64_t group, const uint64_t *ids,
                                   size_t n)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    return group_create(host, group, NULL, host->cfg.c.applied, ids, n);
}

RAFTC_API int raftc_host_load_group(raftc_host *host, uint64_t group, raftc_memstorage *ms,
                                    uint64_t applied)
{
    if (host == NULL || ms == NULL || ms->ms == NULL)
        return RAFTC_EINVAL;
    return group_create(host, group, ms->ms, applied, NULL, 0);
}

/* Looks a group up for a call on its log and makes its storage live (unfolded). */
static int group_storage_lookup(host_group **out, raftc_host *host, uint64_t group)
{
    int rc = group_lookup(out, host, group);
    if (rc != RAFTC_OK)
        return rc;
    if ((rc = group_storage(*out)) != RAFTC_OK)
        return host_fail(host, rc, NULL);
    return RAFTC_OK;
}

/* Ends a call on a group's storage (view): folds the storage again if the group sleeps and
 * records rc's failure with the storage's own text (the indexes it names). */
static int group_storage_done(raftc_host *host, host_group *g, raftc_memstorage *view, int rc)
{
    if (rc != RAFTC_OK) {
        const char *text = raftc_memstorage_last_error(view);
        snprintf(host->err_buf, sizeof(host->err_buf), "group %llu: %s",
                 (unsigned long long)g->id, text[0] != '\0' ? text : raftc_strerror(rc));
    }
    group_refold(g);
    return rc == RAFTC_OK ? host_ok(host) : host_fail(host, rc, host->err_buf);
}

RAFTC_API int raftc_host_create_snapshot(raftc_sink *out, raftc_host *host, uint64_t group,
                                         uint64_t i, const uint8_t *conf_state,
                                         size_t conf_state_len, const uint8_t *data,
                                         size_t data_len)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_storage_lookup(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    raftc_memstorage view = {g->ms, {0}};
    rc = raftc_memstorage_create_snapshot(out, &view, i, conf_state, conf_state_len, data,
                                          data_len);
    return group_storage_done(host, g, &view, rc);
}

RAFTC_API int raftc_host_compact(raftc_host *host, uint64_t group, uint64_t compact_index)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_storage_lookup(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    raftc_memstorage view = {g->ms, {0}};
    return group_storage_done(host, g, &view, raftc_memstorage_compact(&view, compact_index));
}

RAFTC_API int raftc_host_remove_group(raftc_host *host, uint64_t group)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_lookup(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    if (g->flags & G_IN_READY)
        return host_fail(host, RAFTC_ESTATE, "group is in a host Ready not yet advanced");
    awake_remove(host, g);
    dirty_remove(host, g);
    rc_host_map_delete(&host->groups, group);
    group_free(g);
    return host_ok(host);
}

RAFTC_API int raftc_host_group(raftc_node **out, raftc_host *host, uint64_t group)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_lookup(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    rc = group_unpack(host, g);
    if (rc != RAFTC_OK)
        return host_fail(host, rc, NULL);
    mark_dirty(host, g);
    *out = g->node;
    return host_ok(host);
}

RAFTC_API size_t raftc_host_group_count(const raftc_host *host)
{
    return host == NULL ? 0 : host->groups.n;
}

RAFTC_API int raftc_host_info(uint64_t *info, size_t n, const raftc_host *host)
{
    if (info == NULL || host == NULL)
        return RAFTC_EINVAL;
    uint64_t v[RAFTC_HO_COUNT];
    memcpy(v, host->stats, sizeof(v));
    v[RAFTC_HO_GROUPS] = host->groups.n;
    v[RAFTC_HO_AWAKE] = host->n_awake;
    for (size_t k = 0; k < RAFTC_HO_COUNT; k++)
        capi_info_put(info, n, k, v[k]);
    return RAFTC_OK;
}

/* ---- inputs ---- */

RAFTC_API int raftc_host_tick(raftc_host *host)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    int first = RAFTC_OK;
    /* Backwards: a group that goes quiet is replaced by the last one, already ticked. */
    for (size_t i = host->n_awake; i-- > 0;) {
        host_group *g = host->awake[i];
        const rc_rawnode *rn = g->node->rn;
        if (host->quiesce && rc_host_leader_can_quiesce(rn)) {
            host_group_fail(host, &first, g, leader_sleep(host, g));
            continue;
        }
        if (host->quiesce && (g->flags & G_HINT) &&
            rc_host_follower_can_quiesce(rn, rn->raft->lead, rn->raft->term,
                                         rn->raft->raft_log.committed)) {
            group_sleep(host, g);
            continue;
        }
        host_group_fail(host, &first, g, raftc_node_tick(g->node));
        host_group_fail(host, &first, g, follower_ask_leader(host, g));
        mark_dirty(host, g);
    }
    return first == RAFTC_OK ? host_ok(host) : first;
}

RAFTC_API int raftc_host_propose(raftc_host *host, uint64_t group, const uint8_t *data,
                                 size_t len)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_touch(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    int first = RAFTC_OK;
    host_group_fail(host, &first, g, raftc_node_propose(g->node, data, len));
    return first == RAFTC_OK ? host_ok(host) : first;
}

RAFTC_API int raftc_host_campaign(raftc_host *host, uint64_t group)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_touch(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    int first = RAFTC_OK;
    host_group_fail(host, &first, g, raftc_node_campaign(g->node));
    return first == RAFTC_OK ? host_ok(host) : first;
}

RAFTC_API int raftc_host_wake_group(raftc_host *host, uint64_t group)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    host_group *g;
    int rc = group_touch(&g, host, group);
    if (rc != RAFTC_OK)
        return rc;
    return host_ok(host);
}

RAFTC_API int raftc_host_wake_peer(raftc_host *host, uint64_t node_id)
{
    if (host == NULL || node_id == RAFTC_NONE)
        return RAFTC_EINVAL;
    for (size_t i = 0; i < host->groups.cap; i++) {
        host_group *g = host->groups.slots[i].value;
        if (host->groups.slots[i].key == 0 || g->awake_at != HOST_NOT_AWAKE ||
            group_lead(g) != node_id)
            continue;
        if (group_wake(host, g) != RAFTC_OK)
            return host_fail(host, RAFTC_ENOMEM, NULL);
        mark_dirty(host, g);
    }
    return host_ok(host);
}

/* Steps a coalesced heartbeat or response (a message with scalars only) into g. */
static int step_scalar(host_group *g, rc_msg_type type, uint64_t to, uint64_t from,
                       uint64_t term, uint64_t commit)
{
    raftc_node *node = g->node;
    if (rc_raft_is_failed(node->rn->raft))
        return capi_node_result(node, RAFTC_EFAILED, NULL);
    rc_message m = rc_message_zero;
    m.type = type;
    m.to = to;
    m.from = from;
    m.term = term;
    m.commit = commit;
    return capi_node_result(node, rc_rawnode_step(node->rn, &m), node->rn->err_text);
}

static void step_heartbeat(raftc_host *host, int *first, const rc_host_envelope *e,
                           const rc_host_heartbeat *hb)
{
    host_group *g = rc_host_map_get(&host->groups, hb->group);
    if (g == NULL) {
        host->stats[RAFTC_HO_DROPPED]++;
        return;
    }
    if (!hb->quiesce || !host->quiesce)
        host_group_fail(host, first, g, group_wake(host, g));
    else
        host_group_fail(host, first, g, group_unpack(host, g));
    if (g->node == NULL)
        return;
    mark_dirty(host, g);
    int rc = step_scalar(g, RC_MSG_HEARTBEAT, e->to, e->from, hb->term, hb->commit);
    host_group_fail(host, first, g, rc);
    if (rc != RAFTC_OK || !hb->quiesce || !host->quiesce)
        return;
    const rc_raft *r = g->node->rn->raft;
    if (rc_host_follower_can_quiesce(g->node->rn, e->from, hb->term, hb->commit))
        group_sleep(host, g);
    else if (g->awake_at != HOST_NOT_AWAKE && r->state == RC_STATE_FOLLOWER &&
             r->lead == e->from && r->term == hb->term)
        g->flags |= G_HINT; /* its leader is quiet: sleep once caught up (not on a stale
                             * quiesce heartbeat of another term or leader) */
}

RAFTC_API int raftc_host_step(raftc_host *host, const uint8_t *buf, size_t len)
{
    if (host == NULL || (buf == NULL && len != 0))
        return RAFTC_EINVAL;
    rc_host_envelope e;
    int rc = rc_host_envelope_decode(&e, buf, len, CAPI_MAX_INPUT);
    if (rc != RC_OK)
        return host_fail(host, rc,
                         rc == RC_ERR_INVALID
                             ? "envelope without sender or receiver, or with group id 0"
                             : NULL);
    if (e.to != host->id || e.from == host->id) {
        snprintf(host->err_buf, sizeof(host->err_buf),
                 "envelope from %llu to %llu refused by node %llu", (unsigned long long)e.from,
                 (unsigned long long)e.to, (unsigned long long)host->id);
        rc_host_envelope_free(&e);
        return host_fail(host, RAFTC_EREFUSED, host->err_buf);
    }
    int first = RAFTC_OK;
    for (size_t i = 0; i < e.n_msgs; i++) {
        uint64_t group;
        const uint8_t *mb;
        size_t ml;
        rc_host_envelope_message(&group, &mb, &ml, &e, i);
        host_group *g = rc_host_map_get(&host->groups, group);
        if (g == NULL) {
            host->stats[RAFTC_HO_DROPPED]++;
            continue;
        }
        host_group_fail(host, &first, g, group_wake(host, g));
        if (g->node == NULL)
            continue;
        mark_dirty(host, g);
        host_group_fail(host, &first, g, raftc_node_step(g->node, mb, ml));
    }
    for (size_t i = 0; i < e.n_hbs; i++) {
        rc_host_heartbeat hb;
        rc_host_envelope_heartbeat(&hb, &e, i);
        step_heartbeat(host, &first, &e, &hb);
    }
    for (size_t i = 0; i < e.n_resps; i++) {
        rc_host_heartbeat_resp r;
        rc_host_envelope_resp(&r, &e, i);
        host_group *g = rc_host_map_get(&host->groups, r.group);
        if (g == NULL) {
            host->stats[RAFTC_HO_DROPPED]++;
            continue;
        }
        host_group_fail(host, &first, g, group_unpack(host, g));
        if (g->node == NULL)
            continue;
        mark_dirty(host, g); /* a response does not wake a quiet leader */
        host_group_fail(host, &first, g,
                        step_scalar(g, RC_MSG_HEARTBEAT_RESP, e.to, e.from, r.term, 0));
    }
    for (size_t i = 0; i < e.n_wakes; i++) {
        host_group *g = rc_host_map_get(&host->groups, rc_host_envelope_wake(&e, i));
        if (g == NULL) {
            host->stats[RAFTC_HO_DROPPED]++;
            continue;
        }
        host_group_fail(host, &first, g, group_wake(host, g));
        mark_dirty(host, g);
    }
    rc_host_envelope_free(&e);
    return first == RAFTC_OK ? host_ok(host) : first;
}

/* ---- Ready ---- */

/* Frees the host's buffers for Readys (outboxes, lists, the batch's arrays and envelopes) once
 * every group is quiet and nothing is pending: they are sized by the last burst of traffic (a
 * heartbeat round of every group), which an idle host does not need to keep. */
static void host_release_idle(raftc_host *host)
{
    if (host->n_awake > 0 || host->n_dirty > 0 || host->rd.valid)
        return;
    for (size_t i = 0; i < host->n_outs; i++)
        if (!rc_host_outbox_is_empty(&host->outs[i]))
            return;
    for (size_t i = 0; i < host->n_outs; i++)
        rc_host_outbox_free(&host->outs[i]);
    rc_free(host->outs);
    host->outs = NULL;
    host->n_outs = host->cap_outs = 0;
    rc_free(host->awake);
    host->awake = NULL;
    host->cap_awake = 0;
    rc_free(host->dirty);
    host->dirty = NULL;
    host->cap_dirty = 0;
    struct raftc_batch *hrd = &host->rd;
    rc_free(hrd->groups);
    hrd->groups = NULL;
    hrd->cap_groups = 0;
    rc_free(hrd->to);
    hrd->to = NULL;
    hrd->cap_to = 0;
    raftc_sink *s = hrd->envelopes;
    rc_free(s->buf);
    rc_free(s->items);
    *s = (struct raftc_sink){0};
}

RAFTC_API int raftc_host_has_ready(raftc_host *host)
{
    if (host == NULL || host->rd.valid)
        return 0;
    for (size_t i = 0; i < host->n_outs; i++)
        if (!rc_host_outbox_is_empty(&host->outs[i]))
            return 1;
    /* Dirty groups without a Ready leave the list: each is examined once per event. */
    while (host->n_dirty > 0) {
        host_group *g = host->dirty[host->n_dirty - 1];
        if (raftc_node_has_ready(g->node))
            return 1;
        g->flags &= (uint8_t)~G_DIRTY;
        host->n_dirty--;
        group_pack(g);
    }
    host_release_idle(host);
    return 0;
}

/* Writes g's Ready to the host's storage: snapshot, entries, HardState (etcd's order). */
static int group_persist(host_group *g, const rc_ready *rd)
{
    int rc = RC_OK;
    if (rd->snapshot != NULL && !rc_snapshot_is_empty(rd->snapshot))
        rc = rc_memstorage_apply_snapshot(g->ms, rd->snapshot);
    if (rc == RC_OK && rd->entries.n > 0)
        rc = rc_memstorage_append(g->ms, rd->entries.v, rd->entries.n);
    if (rc == RC_OK && !rc_hard_state_is_empty(&rd->hard_state))
        rc = rc_memstorage_set_hard_state(g->ms, &rd->hard_state);
    return rc;
}

/* Routes a group's messages into the outboxes; a quiet group that sends anything but a
 * heartbeat response is awake again. */
static int group_route(raftc_host *host, host_group *g, const rc_msgs *msgs)
{
    for (size_t i = 0; i < msgs->n; i++) {
        const rc_message *m = &msgs->v[i];
        rc_host_outbox *o = outbox_for(host, m->to);
        if (o == NULL)
            return RAFTC_ENOMEM;
        bool bare = m->context.len == 0;
        int rc;
        if (m->type != RC_MSG_HEARTBEAT_RESP && g->awake_at == HOST_NOT_AWAKE) {
            rc = group_wake(host, g);
            if (rc != RAFTC_OK)
                return rc;
        }
        if (m->type == RC_MSG_HEARTBEAT && bare) {
            rc_host_heartbeat hb = {g->id, m->term, m->commit, false};
            rc = rc_host_outbox_put_heartbeat(o, &hb);
            host->stats[RAFTC_HO_HEARTBEATS]++;
        } else if (m->type == RC_MSG_HEARTBEAT_RESP && bare) {
            rc_host_heartbeat_resp r = {g->id, m->term};
            rc = rc_host_outbox_put_resp(o, &r);
            host->stats[RAFTC_HO_HEARTBEATS]++;
        } else {
            rc = rc_host_outbox_put_message(o, g->id, m);
        }
        if (rc != RC_OK)
            return rc;
    }
    return RAFTC_OK;
}

/* Whether g's Ready would hold messages to send now and nothing else (the heartbeat rounds of
 * an idle group): nothing to persist or apply, no state change, no read state. Such a Ready
 * is accepted and advanced by moving the messages out (etcd's acceptReady clears raft.msgs;
 * its Advance has nothing to do), without building a Ready view. */
static bool group_has_messages_only(const host_group *g)
{
    const rc_rawnode *rn = g->node->rn;
    const rc_raft *r = rn->raft;
    const rc_raft_log *l = &r->raft_log;
    if (r->msgs.n == 0 || r->msgs_after_append.n > 0 || rn->ready_pending ||
        rc_rawnode_acks_pending(rn) || rc_raft_is_failed(r))
        return false;
    rc_soft_state ss = rc_raft_soft_state(r);
    if (ss.lead != rn->prev_soft_st.lead || ss.raft_state != rn->prev_soft_st.raft_state)
        return false;
    rc_hard_state hs = rc_raft_hard_state(r);
    if (!rc_hard_state_is_empty(&hs) && !rc_hard_state_equal(&hs, &rn->prev_hard_st))
        return false;
    return !rc_log_has_next_unstable_snapshot(l) && !rc_log_has_next_unstable_ents(l) &&
           !rc_log_has_next_committed_ents(l, true) && r->read_states.n == 0;
}

static int host_ready_push(raftc_host *host, host_group *g)
{
    struct raftc_batch *hrd = &host->rd;
    if (rc_grow((void **)&hrd->groups, &hrd->cap_groups, hrd->n_groups + 1,
                sizeof(*hrd->groups)) != RC_OK)
        return RAFTC_ENOMEM;
    hrd->groups[hrd->n_groups++] = g;
    g->flags |= G_IN_READY;
    return RAFTC_OK;
}

/* Encodes every non-empty outbox into the Ready's envelopes and empties it. */
static int host_ready_envelopes(raftc_host *host)
{
    struct raftc_batch *hrd = &host->rd;
    for (size_t i = 0; i < host->n_outs; i++) {
        rc_host_outbox *o = &host->outs[i];
        if (rc_host_outbox_is_empty(o))
            continue;
        size_t k = raftc_sink_count(hrd->envelopes);
        if (rc_grow((void **)&hrd->to, &hrd->cap_to, k + 1, sizeof(*hrd->to)) != RC_OK)
            return RAFTC_ENOMEM;
        uint8_t *buf;
        size_t len;
        int rc = rc_host_envelope_encode(&buf, &len, o, host->id);
        if (rc == RC_OK)
            rc = capi_sink_put_owned(hrd->envelopes, buf, len, RAFTC_OK);
        if (rc != RC_OK)
            return rc;
        hrd->to[k] = o->to;
        host->stats[RAFTC_HO_ENVELOPES]++;
        rc_host_outbox_clear(o);
    }
    return RAFTC_OK;
}

RAFTC_API int raftc_host_ready(raftc_batch **out, raftc_host *host)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || host == NULL)
        return RAFTC_EINVAL;
    struct raftc_batch *hrd = &host->rd;
    if (hrd->valid)
        return host_fail(host, RAFTC_ESTATE, "host Ready not advanced");
    hrd->n_groups = 0;
    raftc_sink_reset(hrd->envelopes);
    int first = RAFTC_OK;
    for (size_t i = 0; i < host->n_dirty; i++) {
        host_group *g = host->dirty[i];
        g->flags &= (uint8_t)~G_DIRTY;
        if (group_has_messages_only(g)) {
            rc_msgs *msgs = &g->node->rn->raft->msgs;
            int rc = group_route(host, g, msgs);
            rc_msgs_clear(msgs);
            if (g->awake_at == HOST_NOT_AWAKE) {
                group_release_idle(g);
                group_pack(g);
            }
            host_group_fail(host, &first, g, rc);
            continue;
        }
        if (!raftc_node_has_ready(g->node))
            continue;
        raftc_ready *rd;
        int rc = raftc_node_ready(&rd, g->node);
        if (rc == RAFTC_OK) {
            const rc_ready *core = &rd->body->rd;
            rc = group_persist(g, core);
            if (rc == RC_OK)
                rc = group_route(host, g, &core->messages);
            int pushed = host_ready_push(host, g);
            if (rc == RC_OK)
                rc = pushed;
        }
        host_group_fail(host, &first, g, rc);
    }
    host->n_dirty = 0;
    int rc = host_ready_envelopes(host);
    hrd->valid = true;
    *out = hrd;
    if (rc != RAFTC_OK)
        return host_fail(host, rc, NULL);
    return first == RAFTC_OK ? host_ok(host) : first;
}

RAFTC_API size_t raftc_batch_group_count(const raftc_batch *hrd)
{
    return hrd == NULL || !hrd->valid ? 0 : hrd->n_groups;
}

RAFTC_API int raftc_batch_group(uint64_t *group, raftc_ready **rd,
                                const raftc_batch *hrd, size_t i)
{
    if (group == NULL || rd == NULL || hrd == NULL)
        return RAFTC_EINVAL;
    if (!hrd->valid)
        return RAFTC_ESTATE;
    if (i >= hrd->n_groups)
        return RAFTC_EINVAL;
    *group = hrd->groups[i]->id;
    *rd = &hrd->groups[i]->node->ready;
    return RAFTC_OK;
}

RAFTC_API size_t raftc_batch_envelope_count(const raftc_batch *hrd)
{
    return hrd == NULL || !hrd->valid ? 0 : raftc_sink_count(hrd->envelopes);
}

RAFTC_API int raftc_batch_envelope(uint64_t *to, const uint8_t **buf, size_t *len,
                                   const raftc_batch *hrd, size_t i)
{
    if (to == NULL || buf == NULL || len == NULL || hrd == NULL)
        return RAFTC_EINVAL;
    if (!hrd->valid)
        return RAFTC_ESTATE;
    if (i >= raftc_sink_count(hrd->envelopes))
        return RAFTC_EINVAL;
    *to = hrd->to[i];
    return raftc_sink_get(buf, len, hrd->envelopes, i);
}

RAFTC_API int raftc_host_advance(raftc_host *host)
{
    if (host == NULL)
        return RAFTC_EINVAL;
    struct raftc_batch *hrd = &host->rd;
    if (!hrd->valid)
        return host_fail(host, RAFTC_ESTATE, "no host Ready to advance");
    int first = RAFTC_OK;
    for (size_t i = 0; i < hrd->n_groups; i++) {
        host_group *g = hrd->groups[i];
        g->flags &= (uint8_t)~G_IN_READY;
        if (g->node->ready.valid)
            host_group_fail(host, &first, g, raftc_node_advance(g->node));
        mark_dirty(host, g);
    }
    hrd->n_groups = 0;
    hrd->valid = false;
    raftc_sink_reset(hrd->envelopes);
    return first == RAFTC_OK ? host_ok(host) : first;
}

/* ---- internal: the host storage (raftc_hoststore.c) ---- */

const raftc_batch *capi_host_batch(const raftc_host *host)
{
    return host->rd.valid ? &host->rd : NULL;
}

int capi_host_each_group(raftc_host *host, capi_host_group_fn fn, void *ctx)
{
    for (size_t i = 0; i < host->groups.cap; i++) {
        if (host->groups.slots[i].key == 0)
            continue;
        host_group *g = host->groups.slots[i].value;
        bool folded = g->ms == NULL;
        int rc = group_storage(g);
        if (rc == RAFTC_OK)
            rc = fn(ctx, g->id, g->ms);
        if (folded && g->ms != NULL) { /* fn only reads it: the block still holds it */
            rc_memstorage_free(g->ms);
            g->ms = NULL;
        }
        if (rc != RAFTC_OK)
            return rc;
    }
    return RAFTC_OK;
}
