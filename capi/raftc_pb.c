/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_pb.c: raftpb helpers of the public ABI: build and inspect messages, entries, hard and
 * conf states, snapshots and conf changes (their Describe* texts: raftc_describe.c).
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "codec.h"

/* ---- messages ---- */

RAFTC_API int raftc_message_decode(uint64_t *info, size_t n, const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    if (info == NULL && n != 0)
        return RAFTC_EINVAL;
    rc_message_summary m;
    int rc = rc_summarize_message(&m, buf, len, CAPI_MAX_INPUT, NULL, NULL);
    if (rc != RC_OK)
        return rc;
    capi_info_put(info, n, RAFTC_MF_TYPE, m.f.type);
    capi_info_put(info, n, RAFTC_MF_TO, m.f.to);
    capi_info_put(info, n, RAFTC_MF_FROM, m.f.from);
    capi_info_put(info, n, RAFTC_MF_TERM, m.f.term);
    capi_info_put(info, n, RAFTC_MF_LOG_TERM, m.f.log_term);
    capi_info_put(info, n, RAFTC_MF_INDEX, m.f.index);
    capi_info_put(info, n, RAFTC_MF_COMMIT, m.f.commit);
    capi_info_put(info, n, RAFTC_MF_VOTE, m.f.vote);
    capi_info_put(info, n, RAFTC_MF_REJECT, m.f.reject);
    capi_info_put(info, n, RAFTC_MF_REJECT_HINT, m.f.reject_hint);
    capi_info_put(info, n, RAFTC_MF_N_ENTRIES, m.n_entries);
    capi_info_put(info, n, RAFTC_MF_HAS_SNAPSHOT, m.has_snapshot);
    capi_info_put(info, n, RAFTC_MF_N_RESPONSES, m.n_responses);
    return RAFTC_OK;
}

static int put_entries(raftc_sink *out, const rc_entry *ents, size_t n)
{
    int rc = RC_OK;
    for (size_t i = 0; i < n && rc == RC_OK; i++)
        rc = capi_sink_put_entry(out, &ents[i]);
    return rc;
}

RAFTC_API int raftc_message_decode_parts(raftc_sink *entries, raftc_sink *snapshot,
                                         raftc_sink *responses, raftc_sink *context,
                                         const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    rc_message m;
    int rc = rc_decode_message(&m, buf, len, CAPI_MAX_INPUT);
    if (rc != RC_OK)
        return rc;
    if (entries != NULL)
        rc = put_entries(entries, m.entries, m.n_entries);
    if (rc == RC_OK && snapshot != NULL && m.snapshot != NULL) {
        rc = capi_sink_put_snapshot(snapshot, m.snapshot);
    }
    for (size_t i = 0; rc == RC_OK && responses != NULL && i < m.n_responses; i++) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_message(&b, &l, &m.responses[i]);
        rc = capi_sink_put_owned(responses, b, l, erc);
    }
    if (rc == RC_OK && context != NULL)
        rc = raftc_sink_put(context, m.context.data, m.context.len);
    rc_message_free(&m);
    return rc;
}

/* Collects Entry item views into caller arrays (at most cap), counting them all. */
typedef struct entry_views {
    const uint8_t **ptrs;
    size_t *lens;
    size_t cap;
    size_t n;
} entry_views;

static int collect_entry(void *ud, const uint8_t *b, size_t l)
{
    entry_views *v = ud;
    if (v->n < v->cap) {
        v->ptrs[v->n] = b;
        v->lens[v->n] = l;
    }
    v->n++;
    return 0;
}

RAFTC_API int raftc_message_decode_entries(const uint8_t **ptrs, size_t *lens, size_t cap,
                                    size_t *n, const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    if (n == NULL || (cap > 0 && (ptrs == NULL || lens == NULL)))
        return RAFTC_EINVAL;
    *n = 0;
    rc_message_summary sum;
    entry_views v = {ptrs, lens, cap, 0};
    int rc = rc_summarize_message(&sum, buf, len, CAPI_MAX_INPUT, collect_entry, &v);
    if (rc != RC_OK)
        return rc;
    *n = v.n;
    return RAFTC_OK;
}

RAFTC_API int raftc_message_strip_responses(raftc_sink *out, const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_message m;
    int rc = rc_decode_message(&m, buf, len, CAPI_MAX_INPUT);
    if (rc != RC_OK)
        return rc;
    for (size_t i = 0; i < m.n_responses; i++)
        rc_message_free(&m.responses[i]);
    rc_free(m.responses);
    m.responses = NULL;
    m.n_responses = 0;
    uint8_t *b = NULL;
    size_t l = 0;
    int erc = rc_encode_message(&b, &l, &m);
    rc = capi_sink_put_owned(out, b, l, erc);
    rc_message_free(&m);
    return rc;
}

/* True iff every entry is a canonical encoding (within the size limit). */
static bool entries_canonical(const uint8_t *const *entries, const size_t *lens, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lens[i] > CAPI_MAX_INPUT || !rc_entry_is_canonical(entries[i], lens[i]))
            return false;
    return true;
}

RAFTC_API int raftc_message_encode(raftc_sink *out, const uint64_t *info, size_t n,
                                   const uint8_t *const *entries, const size_t *entry_lens,
                                   size_t n_entries, const uint8_t *snapshot, size_t snapshot_len,
                                   const uint8_t *context, size_t context_len)
{
    if (out == NULL || info == NULL || n < RAFTC_MF_REJECT_HINT + 1)
        return RAFTC_EINVAL;
    if (n_entries > 0 && (entries == NULL || entry_lens == NULL))
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(snapshot, snapshot_len);
    CAPI_CHECK_BUF(context, context_len);
    if (info[RAFTC_MF_TYPE] >= RC_MSG_TYPE_COUNT)
        return RAFTC_EUNKNOWN_TYPE;
    if (info[RAFTC_MF_REJECT] > 1)
        return RAFTC_EINVAL;
    /* The lean path: entries already in canonical form are copied verbatim (exactly what
     * decoding and re-encoding them gives); the context is copied once. */
    if (snapshot == NULL && entries_canonical(entries, entry_lens, n_entries)) {
        const rc_message_fields f = {
            info[RAFTC_MF_TYPE], info[RAFTC_MF_TO], info[RAFTC_MF_FROM], info[RAFTC_MF_TERM],
            info[RAFTC_MF_LOG_TERM], info[RAFTC_MF_INDEX], info[RAFTC_MF_COMMIT],
            info[RAFTC_MF_VOTE], info[RAFTC_MF_REJECT], info[RAFTC_MF_REJECT_HINT]};
        return capi_sink_put_fields_message(out, &f, entries, entry_lens, n_entries, context,
                                             context_len);
    }
    rc_message m = {
        .type = (rc_msg_type)info[RAFTC_MF_TYPE], .to = info[RAFTC_MF_TO],
        .from = info[RAFTC_MF_FROM], .term = info[RAFTC_MF_TERM],
        .log_term = info[RAFTC_MF_LOG_TERM], .index = info[RAFTC_MF_INDEX],
        .commit = info[RAFTC_MF_COMMIT], .vote = info[RAFTC_MF_VOTE],
        .reject = info[RAFTC_MF_REJECT] != 0, .reject_hint = info[RAFTC_MF_REJECT_HINT],
    };
    int rc = RC_OK;
    rc_entry small[8];
    rc_entry *ev = n_entries <= 8 ? small : rc_calloc(n_entries, sizeof(rc_entry));
    if (ev == NULL)
        rc = RC_ERR_NOMEM;
    for (size_t i = 0; i < n_entries && rc == RC_OK; i++) {
        const uint8_t *d;
        size_t dl;
        rc_entry *e = &ev[i];
        if (entries[i] == NULL && entry_lens[i] != 0)
            rc = RC_ERR_INVALID;
        else if (entry_lens[i] > CAPI_MAX_INPUT)
            rc = RC_ERR_TOO_LARGE;
        else if ((rc = rc_view_entry(&e->term, &e->index, &e->type, &d, &dl, entries[i],
                                     entry_lens[i])) == RC_OK)
            e->data = (rc_bytes){(uint8_t *)(uintptr_t)d, dl, NULL}; /* a view into entries[i] */
        if (rc == RC_OK)
            m.n_entries++;
    }
    m.entries = n_entries > 0 ? ev : NULL;
    if (rc == RC_OK && snapshot != NULL) {
        m.snapshot = rc_calloc(1, sizeof(rc_snapshot));
        rc = m.snapshot == NULL ? RC_ERR_NOMEM : rc_decode_snapshot(m.snapshot, snapshot,
                                                                      snapshot_len);
    }
    if (rc == RC_OK)
        rc = rc_bytes_set(&m.context, context, context_len);
    if (rc == RC_OK)
        rc = capi_sink_put_message(out, &m);
    m.entries = NULL; /* views: nothing of theirs to free */
    m.n_entries = 0;
    rc_message_free(&m);
    if (ev != small)
        rc_free(ev);
    return rc;
}

/* ---- entries ---- */

RAFTC_API int raftc_entry_decode(uint64_t *term, uint64_t *index, raftc_entry_type *type,
                                 const uint8_t **data, size_t *data_len, const uint8_t *buf,
                                 size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    uint64_t t, i;
    rc_entry_type ty;
    const uint8_t *p = NULL;
    size_t n = 0;
    int rc = rc_view_entry(&t, &i, &ty, &p, &n, buf, len);
    if (rc != RC_OK)
        return rc;
    if (term != NULL)
        *term = t;
    if (index != NULL)
        *index = i;
    if (type != NULL)
        *type = (int)ty;
    if (data != NULL)
        *data = n > 0 ? p : NULL;
    if (data_len != NULL)
        *data_len = n;
    return RAFTC_OK;
}

RAFTC_API int raftc_entry_encode(raftc_sink *out, uint64_t term, uint64_t index,
                                 raftc_entry_type type, const uint8_t *data, size_t data_len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(data, data_len);
    if ((int)type < RAFTC_ENTRY_NORMAL || (int)type > RAFTC_ENTRY_CONF_CHANGE_V2)
        return RAFTC_EINVAL;
    rc_entry e = {.term = term, .index = index, .type = (rc_entry_type)type,
                  .data = {.data = data_len > 0 ? (uint8_t *)(uintptr_t)data : NULL,
                           .len = data_len}};
    return capi_sink_put_entry(out, &e);
}

/* ---- hard state ---- */

RAFTC_API int raftc_hard_state_encode(raftc_sink *out, uint64_t term, uint64_t vote,
                                      uint64_t commit)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_hard_state hs = {term, vote, commit};
    return capi_sink_put_hard_state(out, &hs);
}

RAFTC_API int raftc_hard_state_decode(uint64_t *term, uint64_t *vote, uint64_t *commit,
                                      const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    rc_hard_state hs;
    int rc = rc_decode_hard_state(&hs, buf, len);
    if (rc != RC_OK)
        return rc;
    if (term != NULL)
        *term = hs.term;
    if (vote != NULL)
        *vote = hs.vote;
    if (commit != NULL)
        *commit = hs.commit;
    return RAFTC_OK;
}

/* ---- conf state ---- */

static int ids_from(rc_ids *dst, const uint64_t *v, size_t n)
{
    if (n > 0 && v == NULL)
        return RC_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (rc_ids_push(dst, v[i]) != RC_OK)
            return RC_ERR_NOMEM;
    return RC_OK;
}

RAFTC_API int raftc_conf_state_encode(raftc_sink *out, const uint64_t *voters, size_t n_voters,
                                      const uint64_t *learners, size_t n_learners,
                                      const uint64_t *voters_outgoing, size_t n_voters_outgoing,
                                      const uint64_t *learners_next, size_t n_learners_next,
                                      int auto_leave)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    rc_conf_state cs = {.auto_leave = auto_leave != 0};
    int rc = ids_from(&cs.voters, voters, n_voters);
    if (rc == RC_OK)
        rc = ids_from(&cs.learners, learners, n_learners);
    if (rc == RC_OK)
        rc = ids_from(&cs.voters_outgoing, voters_outgoing, n_voters_outgoing);
    if (rc == RC_OK)
        rc = ids_from(&cs.learners_next, learners_next, n_learners_next);
    if (rc == RC_OK) {
        rc = capi_sink_put_conf_state(out, &cs);
    }
    rc_conf_state_free(&cs);
    return rc;
}

RAFTC_API int raftc_conf_state_decode(uint64_t *ids, size_t cap, size_t *n, int *auto_leave,
                                   const uint8_t *buf, size_t len, raftc_conf_state_list list)
{
    CAPI_CHECK_BUF(buf, len);
    if ((ids == NULL && cap != 0) || n == NULL)
        return RAFTC_EINVAL;
    rc_conf_state cs;
    int rc = rc_decode_conf_state(&cs, buf, len);
    if (rc != RC_OK)
        return rc;
    const rc_ids *l = NULL;
    switch (list) {
    case RAFTC_CS_VOTERS: l = &cs.voters; break;
    case RAFTC_CS_LEARNERS: l = &cs.learners; break;
    case RAFTC_CS_VOTERS_OUTGOING: l = &cs.voters_outgoing; break;
    case RAFTC_CS_LEARNERS_NEXT: l = &cs.learners_next; break;
    default: rc = RAFTC_EINVAL; break;
    }
    if (l != NULL) {
        for (size_t i = 0; i < l->n && i < cap; i++)
            ids[i] = l->v[i];
        *n = l->n;
        if (auto_leave != NULL)
            *auto_leave = cs.auto_leave;
    }
    rc_conf_state_free(&cs);
    return rc;
}

/* ---- snapshots ---- */

RAFTC_API int raftc_snapshot_encode(raftc_sink *out, uint64_t index, uint64_t term,
                                    const uint8_t *conf_state, size_t conf_state_len,
                                    const uint8_t *data, size_t data_len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(conf_state, conf_state_len);
    CAPI_CHECK_BUF(data, data_len);
    rc_snapshot s = {.metadata = {.index = index, .term = term}};
    int rc = RC_OK;
    if (conf_state_len > 0)
        rc = rc_decode_conf_state(&s.metadata.conf_state, conf_state, conf_state_len);
    if (rc == RC_OK)
        rc = rc_bytes_set(&s.data, data, data_len);
    if (rc == RC_OK) {
        rc = capi_sink_put_snapshot(out, &s);
    }
    rc_snapshot_free(&s);
    return rc;
}

RAFTC_API int raftc_snapshot_decode(uint64_t *index, uint64_t *term, raftc_sink *conf_state,
                                  raftc_sink *data, const uint8_t *buf, size_t len)
{
    CAPI_CHECK_BUF(buf, len);
    rc_snapshot s;
    int rc = rc_decode_snapshot(&s, buf, len);
    if (rc != RC_OK)
        return rc;
    if (index != NULL)
        *index = s.metadata.index;
    if (term != NULL)
        *term = s.metadata.term;
    if (conf_state != NULL) {
        rc = capi_sink_put_conf_state(conf_state, &s.metadata.conf_state);
    }
    if (rc == RC_OK && data != NULL)
        rc = raftc_sink_put(data, s.data.data, s.data.len);
    rc_snapshot_free(&s);
    return rc;
}

/* ---- conf changes ---- */

RAFTC_API int raftc_conf_change_encode(raftc_sink *out, raftc_cc_type type, uint64_t node_id,
                                       const uint8_t *context, size_t context_len)
{
    if (out == NULL || (int)type < RAFTC_CC_ADD_NODE || (int)type > RAFTC_CC_ADD_LEARNER_NODE)
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(context, context_len);
    rc_conf_change cc = {.type = (rc_cc_type)type, .node_id = node_id,
                         .context = {.data = context_len > 0 ? (uint8_t *)(uintptr_t)context
                                                             : NULL,
                                     .len = context_len}};
    uint8_t *b = NULL;
    size_t l = 0;
    int erc = rc_encode_conf_change(&b, &l, &cc);
    return capi_sink_put_owned(out, b, l, erc);
}

RAFTC_API int raftc_conf_change_v2_encode(raftc_sink *out, raftc_cc_transition transition,
                                          const raftc_cc_type *types, const uint64_t *node_ids,
                                          size_t n, const uint8_t *context, size_t context_len)
{
    if (out == NULL || (int)transition < RAFTC_CC_TRANSITION_AUTO ||
        (int)transition > RAFTC_CC_TRANSITION_JOINT_EXPLICIT || (n > 0 && (types == NULL ||
                                                                   node_ids == NULL)))
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(context, context_len);
    if (n > CAPI_MAX_INPUT / sizeof(rc_cc_single))
        return RAFTC_ETOOLARGE;
    rc_conf_change_v2 cc = {.transition = (rc_cc_transition)transition,
                            .context = {.data = context_len > 0
                                                    ? (uint8_t *)(uintptr_t)context : NULL,
                                        .len = context_len}};
    if (n > 0) {
        cc.changes = rc_calloc(n, sizeof(rc_cc_single));
        if (cc.changes == NULL)
            return RAFTC_ENOMEM;
        cc.n_changes = n;
    }
    int rc = RC_OK;
    for (size_t i = 0; i < n; i++) {
        if ((int)types[i] < RAFTC_CC_ADD_NODE || (int)types[i] > RAFTC_CC_ADD_LEARNER_NODE)
            rc = RAFTC_EINVAL;
        cc.changes[i].type = (rc_cc_type)types[i];
        cc.changes[i].node_id = node_ids[i];
    }
    if (rc == RC_OK) {
        uint8_t *b = NULL;
        size_t l = 0;
        int erc = rc_encode_conf_change_v2(&b, &l, &cc);
        rc = capi_sink_put_owned(out, b, l, erc);
    }
    rc_free(cc.changes);
    return rc;
}

RAFTC_API int raftc_conf_change_decode_context(raftc_sink *out, raftc_cc_kind kind,
                                               const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    CAPI_CHECK_BUF(buf, len);
    int rc;
    if (kind == RAFTC_CC_V1) {
        rc_conf_change cc;
        rc = rc_decode_conf_change(&cc, buf, len);
        if (rc == RC_OK)
            rc = raftc_sink_put(out, cc.context.data, cc.context.len);
        rc_conf_change_free(&cc);
        return rc;
    }
    if (kind != RAFTC_CC_V2)
        return RAFTC_EINVAL;
    rc_conf_change_v2 cc;
    rc = rc_decode_conf_change_v2(&cc, buf, len);
    if (rc == RC_OK)
        rc = raftc_sink_put(out, cc.context.data, cc.context.len);
    rc_conf_change_v2_free(&cc);
    return rc;
}
