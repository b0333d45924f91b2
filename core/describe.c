/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * describe.c: etcd's Describe* text forms (util.go), byte for byte (HARNESS.md §4.1-4.4).
 */
#include "describe.h"

#include <inttypes.h>

#include "codec.h"
#include "ready.h"

void rc_describe_target(rc_strbuf *b, uint64_t id)
{
    if (id == RC_NONE)
        rc_strbuf_puts(b, "None");
    else if (id == RC_LOCAL_APPEND_THREAD)
        rc_strbuf_puts(b, "AppendThread");
    else if (id == RC_LOCAL_APPLY_THREAD)
        rc_strbuf_puts(b, "ApplyThread");
    else
        rc_strbuf_printf(b, "%" PRIx64, id);
}

void rc_describe_conf_changes(rc_strbuf *b, const rc_cc_single *ccs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            rc_strbuf_putc(b, ' ');
        switch (ccs[i].type) {
        case RC_CC_ADD_NODE: rc_strbuf_putc(b, 'v'); break;
        case RC_CC_ADD_LEARNER_NODE: rc_strbuf_putc(b, 'l'); break;
        case RC_CC_REMOVE_NODE: rc_strbuf_putc(b, 'r'); break;
        case RC_CC_UPDATE_NODE: rc_strbuf_putc(b, 'u'); break;
        default: rc_strbuf_puts(b, "unknown"); break;
        }
        rc_strbuf_printf(b, "%" PRIu64, ccs[i].node_id);
    }
}

/* The "formatted" part of DescribeEntry for conf-change entries. */
static void describe_cc_entry_data(rc_strbuf *b, const rc_entry *e)
{
    rc_conf_change_v2 v2 = {0};
    if (e->type == RC_ENTRY_CONF_CHANGE) {
        rc_conf_change v1 = {0};
        if (rc_decode_conf_change(&v1, e->data.data, e->data.len) != RC_OK) {
            rc_strbuf_puts(b, " proto: ConfChange: illegal data");
            return;
        }
        int rc = rc_cc_v1_as_v2(&v2, &v1);
        rc_conf_change_free(&v1);
        if (rc != RC_OK) {
            b->oom = true;
            return;
        }
    } else if (rc_decode_conf_change_v2(&v2, e->data.data, e->data.len) != RC_OK) {
        rc_strbuf_puts(b, " proto: ConfChangeV2: illegal data");
        return;
    }
    if (v2.n_changes > 0) {
        rc_strbuf_putc(b, ' ');
        rc_describe_conf_changes(b, v2.changes, v2.n_changes);
    }
    rc_conf_change_v2_free(&v2);
}

void rc_describe_entry(rc_strbuf *b, const rc_entry *e)
{
    rc_strbuf_printf(b, "%" PRIu64 "/%" PRIu64 " %s", e->term, e->index,
                     rc_entry_type_name(e->type));
    switch (e->type) {
    case RC_ENTRY_NORMAL:
        rc_strbuf_putc(b, ' ');
        rc_strbuf_quote(b, e->data.data, e->data.len);
        break;
    case RC_ENTRY_CONF_CHANGE:
    case RC_ENTRY_CONF_CHANGE_V2:
        describe_cc_entry_data(b, e);
        break;
    default:
        break;
    }
}

void rc_describe_entries(rc_strbuf *b, const rc_entry *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rc_describe_entry(b, &ents[i]);
        rc_strbuf_putc(b, '\n');
    }
}

static void describe_ids(rc_strbuf *b, const rc_ids *ids)
{
    rc_strbuf_putc(b, '[');
    for (size_t i = 0; i < ids->n; i++)
        rc_strbuf_printf(b, i == 0 ? "%" PRIu64 : " %" PRIu64, ids->v[i]);
    rc_strbuf_putc(b, ']');
}

void rc_describe_conf_state(rc_strbuf *b, const rc_conf_state *cs)
{
    rc_strbuf_puts(b, "Voters:");
    describe_ids(b, &cs->voters);
    rc_strbuf_puts(b, " VotersOutgoing:");
    describe_ids(b, &cs->voters_outgoing);
    rc_strbuf_puts(b, " Learners:");
    describe_ids(b, &cs->learners);
    rc_strbuf_puts(b, " LearnersNext:");
    describe_ids(b, &cs->learners_next);
    rc_strbuf_puts(b, cs->auto_leave ? " AutoLeave:true" : " AutoLeave:false");
}

void rc_describe_snapshot(rc_strbuf *b, const rc_snapshot *s)
{
    rc_strbuf_printf(b, "Index:%" PRIu64 " Term:%" PRIu64 " ConfState:", s->metadata.index,
                     s->metadata.term);
    rc_describe_conf_state(b, &s->metadata.conf_state);
}

void rc_describe_hard_state(rc_strbuf *b, const rc_hard_state *hs)
{
    rc_strbuf_printf(b, "Term:%" PRIu64, hs->term);
    if (hs->vote != 0)
        rc_strbuf_printf(b, " Vote:%" PRIu64, hs->vote);
    rc_strbuf_printf(b, " Commit:%" PRIu64, hs->commit);
}

void rc_describe_soft_state(rc_strbuf *b, const rc_soft_state *ss)
{
    rc_strbuf_printf(b, "Lead:%" PRIu64 " State:%s", ss->lead, rc_state_type_name(ss->raft_state));
}

void rc_describe_message(rc_strbuf *b, const rc_message *m, const char *indent)
{
    if (indent == NULL)
        indent = "";
    rc_strbuf_puts(b, indent);
    rc_describe_target(b, m->from);
    rc_strbuf_puts(b, "->");
    rc_describe_target(b, m->to);
    rc_strbuf_printf(b, " %s Term:%" PRIu64 " Log:%" PRIu64 "/%" PRIu64,
                     rc_msg_type_name(m->type), m->term, m->log_term, m->index);
    if (m->reject)
        rc_strbuf_printf(b, " Rejected (Hint: %" PRIu64 ")", m->reject_hint);
    if (m->commit != 0)
        rc_strbuf_printf(b, " Commit:%" PRIu64, m->commit);
    if (m->vote != 0)
        rc_strbuf_printf(b, " Vote:%" PRIu64, m->vote);
    if (m->n_entries == 1) {
        rc_strbuf_puts(b, " Entries:[");
        rc_describe_entry(b, &m->entries[0]);
        rc_strbuf_putc(b, ']');
    } else if (m->n_entries > 1) {
        rc_strbuf_puts(b, " Entries:[");
        for (size_t i = 0; i < m->n_entries; i++) {
            rc_strbuf_printf(b, "\n%s  ", indent);
            rc_describe_entry(b, &m->entries[i]);
        }
        rc_strbuf_printf(b, "\n%s]", indent);
    }
    if (!rc_snapshot_is_empty(m->snapshot)) {
        rc_strbuf_printf(b, "\n%s  Snapshot: ", indent);
        rc_describe_snapshot(b, m->snapshot);
    }
    if (m->n_responses > 0) {
        rc_strbuf sub = RC_STRBUF_INIT;
        rc_strbuf_printf(&sub, "%s  ", indent);
        rc_strbuf_puts(b, " Responses:[");
        for (size_t i = 0; i < m->n_responses; i++) {
            rc_strbuf_putc(b, '\n');
            rc_describe_message(b, &m->responses[i], rc_strbuf_str(&sub));
        }
        rc_strbuf_printf(b, "\n%s]", indent);
        if (!rc_strbuf_ok(&sub))
            b->oom = true;
        rc_strbuf_free(&sub);
    }
}

void rc_describe_conf_change_v2(rc_strbuf *b, const rc_conf_change_v2 *cc)
{
    rc_strbuf_printf(b, "transition:%s", rc_cc_transition_name(cc->transition));
    for (size_t i = 0; i < cc->n_changes; i++)
        rc_strbuf_printf(b, " changes:{type:%s node_id:%" PRIu64 "}",
                         rc_cc_type_name(cc->changes[i].type), cc->changes[i].node_id);
    if (cc->context.len > 0) {
        rc_strbuf_puts(b, " context:");
        rc_strbuf_quote(b, cc->context.data, cc->context.len);
    }
}

void rc_describe_read_states(rc_strbuf *b, const rc_read_state *rs, size_t n)
{
    rc_strbuf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        rc_strbuf_printf(b, i == 0 ? "{%" PRIu64 " [" : " {%" PRIu64 " [", rs[i].index);
        for (size_t j = 0; j < rs[i].request_ctx.len; j++)
            rc_strbuf_printf(b, j == 0 ? "%u" : " %u", (unsigned)rs[i].request_ctx.data[j]);
        rc_strbuf_puts(b, "]}");
    }
    rc_strbuf_putc(b, ']');
}

void rc_describe_ready(rc_strbuf *b, const rc_ready *rd)
{
    rc_strbuf body = RC_STRBUF_INIT;
    if (rd->has_soft_state) {
        rc_describe_soft_state(&body, &rd->soft_state);
        rc_strbuf_putc(&body, '\n');
    }
    if (!rc_hard_state_is_empty(&rd->hard_state)) {
        rc_strbuf_puts(&body, "HardState ");
        rc_describe_hard_state(&body, &rd->hard_state);
        rc_strbuf_putc(&body, '\n');
    }
    if (rd->n_read_states > 0) {
        rc_strbuf_puts(&body, "ReadStates ");
        rc_describe_read_states(&body, rd->read_states, rd->n_read_states);
        rc_strbuf_putc(&body, '\n');
    }
    if (rd->entries.n > 0) {
        rc_strbuf_puts(&body, "Entries:\n");
        rc_describe_entries(&body, rd->entries.v, rd->entries.n);
    }
    if (!rc_snapshot_is_empty(rd->snapshot)) {
        rc_strbuf_puts(&body, "Snapshot ");
        rc_describe_snapshot(&body, rd->snapshot);
        rc_strbuf_putc(&body, '\n');
    }
    if (rd->committed_entries.n > 0) {
        rc_strbuf_puts(&body, "CommittedEntries:\n");
        rc_describe_entries(&body, rd->committed_entries.v, rd->committed_entries.n);
    }
    if (rd->messages.n > 0) {
        rc_strbuf_puts(&body, "Messages:\n");
        for (size_t i = 0; i < rd->messages.n; i++) {
            rc_describe_message(&body, &rd->messages.v[i], "");
            rc_strbuf_putc(&body, '\n');
        }
    }
    if (!rc_strbuf_ok(&body))
        b->oom = true;
    if (body.n > 0) {
        rc_strbuf_printf(b, "Ready MustSync=%s:\n", rd->must_sync ? "true" : "false");
        rc_strbuf_append(b, body.p, body.n);
    } else {
        rc_strbuf_puts(b, "<empty Ready>");
    }
    rc_strbuf_free(&body);
}
