/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * confchange.c: configuration changes (etcd's confchange.Changer and confchange.Restore).
 *
 * Every operation copies the tracker's config and progress map, checks the invariants of the
 * copy, applies the changes to it, checks the invariants again and hands the copy out. The
 * input tracker is never modified. etcd's "nil map" sets are empty sets here: the changer's
 * nil-aware helpers delete emptied maps, so "nil" and "empty" coincide.
 */
#include "confchange.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

typedef struct rc_cc_work {
    rc_tracker_config cfg;
    rc_progress_map prs;
} rc_cc_work;

static void rc_cc_work_free(rc_cc_work *w)
{
    rc_tracker_config_free(&w->cfg);
    rc_progress_map_free(&w->prs);
}

/* Discards the work and reports `fmt` as the error (RC_ERR_CONFCHANGE). */
static int rc_cc_fail(rc_cc_work *w, char **err_text, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int rc_cc_fail(rc_cc_work *w, char **err_text, const char *fmt, ...)
{
    rc_cc_work_free(w);
    if (err_text == NULL)
        return RC_ERR_CONFCHANGE;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    rc_strbuf b = RC_STRBUF_INIT;
    rc_strbuf_puts(&b, line);
    *err_text = rc_strbuf_take(&b);
    return RC_ERR_CONFCHANGE;
}

static int rc_cc_nomem(rc_cc_work *w, char **err_text)
{
    rc_cc_work_free(w);
    if (err_text != NULL)
        *err_text = NULL;
    return RC_ERR_NOMEM;
}

static bool rc_cc_joint(const rc_tracker_config *cfg)
{
    return cfg->voters.outgoing.n > 0;
}

/* etcd's checkInvariants. Returns 0, or RC_ERR_CONFCHANGE with the error text (the work is
 * freed then). Sets are walked in ascending id order, so with several violations the smallest
 * id is reported (etcd's map order is random). */
static int rc_cc_check(rc_cc_work *w, char **err_text)
{
    const rc_tracker_config *c = &w->cfg;
    const rc_majority *sets[] = {&c->voters.incoming, &c->voters.outgoing, &c->learners,
                                 &c->learners_next};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        for (size_t i = 0; i < sets[s]->n; i++) {
            uint64_t id = sets[s]->ids[i];
            if (rc_progress_map_get(&w->prs, id) == NULL)
                return rc_cc_fail(w, err_text, "no progress for %llu", (unsigned long long)id);
        }
    }
    /* A staged learner is staged because it is still a voter in the outgoing config. */
    for (size_t i = 0; i < c->learners_next.n; i++) {
        uint64_t id = c->learners_next.ids[i];
        if (!rc_majority_contains(&c->voters.outgoing, id))
            return rc_cc_fail(w, err_text, "%llu is in LearnersNext, but not Voters[1]",
                              (unsigned long long)id);
        if (rc_progress_map_get(&w->prs, id)->is_learner)
            return rc_cc_fail(w, err_text,
                              "%llu is in LearnersNext, but is already marked as learner",
                              (unsigned long long)id);
    }
    /* Learners and voters do not intersect. */
    for (size_t i = 0; i < c->learners.n; i++) {
        uint64_t id = c->learners.ids[i];
        if (rc_majority_contains(&c->voters.outgoing, id))
            return rc_cc_fail(w, err_text, "%llu is in Learners and Voters[1]",
                              (unsigned long long)id);
        if (rc_majority_contains(&c->voters.incoming, id))
            return rc_cc_fail(w, err_text, "%llu is in Learners and Voters[0]",
                              (unsigned long long)id);
        if (!rc_progress_map_get(&w->prs, id)->is_learner)
            return rc_cc_fail(w, err_text, "%llu is in Learners, but is not marked as learner",
                              (unsigned long long)id);
    }
    if (!rc_cc_joint(c)) {
        /* etcd also demands Voters[1] == nil here, which an empty set always satisfies. */
        if (c->learners_next.n > 0)
            return rc_cc_fail(w, err_text, "cfg.LearnersNext must be nil when not joint");
        if (c->auto_leave)
            return rc_cc_fail(w, err_text, "AutoLeave must be false when not joint");
    }
    return RC_OK;
}

/* etcd's checkAndCopy: a deep copy of the tracker's config and progress, checked. */
static int rc_cc_copy(const rc_changer *ch, rc_cc_work *w, char **err_text)
{
    memset(w, 0, sizeof(*w));
    if (rc_tracker_config_copy(&w->cfg, &ch->tracker->config) != RC_OK ||
        rc_progress_map_copy(&w->prs, &ch->tracker->progress) != RC_OK)
        return rc_cc_nomem(w, err_text);
    return rc_cc_check(w, err_text);
}

/* etcd's checkAndReturn: checks and hands the work out. */
static int rc_cc_finish(rc_cc_work *w, rc_tracker_config *out_cfg, rc_progress_map *out_prs,
                        char **err_text)
{
    int rc = rc_cc_check(w, err_text);
    if (rc != RC_OK)
        return rc;
    *out_cfg = w->cfg;
    *out_prs = w->prs;
    return RC_OK;
}

/* A new peer: voter (incoming) or learner, probing from max(last_index, 1). Starting at the
 * leader's last index is optimistic (the peer usually has no log and will need a snapshot),
 * but it is what etcd does and what the transcripts show. */
static int rc_cc_init_progress(const rc_changer *ch, rc_cc_work *w, uint64_t id, bool learner)
{
    int rc = rc_majority_add(learner ? &w->cfg.learners : &w->cfg.voters.incoming, id);
    if (rc != RC_OK)
        return rc;
    rc_progress pr;
    rc_progress_init(&pr, ch->last_index > 1 ? ch->last_index : 1, ch->tracker->max_inflight,
                     ch->tracker->max_inflight_bytes, learner);
    return rc_progress_map_put(&w->prs, id, &pr) == NULL ? RC_ERR_NOMEM : RC_OK;
}

static int rc_cc_make_voter(const rc_changer *ch, rc_cc_work *w, uint64_t id)
{
    rc_progress *pr = rc_progress_map_get(&w->prs, id);
    if (pr == NULL)
        return rc_cc_init_progress(ch, w, id, false);
    pr->is_learner = false;
    rc_majority_remove(&w->cfg.learners, id);
    rc_majority_remove(&w->cfg.learners_next, id);
    return rc_majority_add(&w->cfg.voters.incoming, id);
}

/* Removing a peer drops it from the incoming voters and both learner sets. Its progress goes
 * too, unless it is still a voter in the outgoing config. Unknown peers are ignored. */
static void rc_cc_remove(rc_cc_work *w, uint64_t id)
{
    if (rc_progress_map_get(&w->prs, id) == NULL)
        return;
    rc_majority_remove(&w->cfg.voters.incoming, id);
    rc_majority_remove(&w->cfg.learners, id);
    rc_majority_remove(&w->cfg.learners_next, id);
    if (!rc_majority_contains(&w->cfg.voters.outgoing, id))
        rc_progress_map_delete(&w->prs, id);
}

/* Demoting a voter: if it is still a voter in the outgoing config, it cannot be a learner yet
 * (sets must not intersect), so it is staged in learners_next and becomes a learner when the
 * joint config is left. Otherwise it becomes a learner at once. The progress is kept. */
static int rc_cc_make_learner(const rc_changer *ch, rc_cc_work *w, uint64_t id)
{
    rc_progress *pr = rc_progress_map_get(&w->prs, id);
    if (pr == NULL)
        return rc_cc_init_progress(ch, w, id, true);
    if (pr->is_learner)
        return RC_OK;
    /* etcd's remove() followed by restoring the progress. */
    rc_majority_remove(&w->cfg.voters.incoming, id);
    rc_majority_remove(&w->cfg.learners, id);
    rc_majority_remove(&w->cfg.learners_next, id);
    if (rc_majority_contains(&w->cfg.voters.outgoing, id))
        return rc_majority_add(&w->cfg.learners_next, id);
    pr->is_learner = true;
    return rc_majority_add(&w->cfg.learners, id);
}

/* etcd's Changer.apply. Node id 0 is skipped: etcd zeroes the id of changes the application
 * decided not to apply. */
static int rc_cc_apply(const rc_changer *ch, rc_cc_work *w, const rc_cc_single *ccs, size_t n,
                       char **err_text)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t id = ccs[i].node_id;
        int rc = RC_OK;
        if (id == 0)
            continue;
        switch (ccs[i].type) {
        case RC_CC_ADD_NODE:
            rc = rc_cc_make_voter(ch, w, id);
            break;
        case RC_CC_ADD_LEARNER_NODE:
            rc = rc_cc_make_learner(ch, w, id);
            break;
        case RC_CC_REMOVE_NODE:
            rc_cc_remove(w, id);
            break;
        case RC_CC_UPDATE_NODE:
            break;
        default:
            return rc_cc_fail(w, err_text, "unexpected conf type %d", (int)ccs[i].type);
        }
        if (rc != RC_OK)
            return rc_cc_nomem(w, err_text);
    }
    if (w->cfg.voters.incoming.n == 0)
        return rc_cc_fail(w, err_text, "removed all voters");
    return RC_OK;
}

static void rc_cc_zero_out(rc_tracker_config *out_cfg, rc_progress_map *out_prs, char **err_text)
{
    memset(out_cfg, 0, sizeof(*out_cfg));
    memset(out_prs, 0, sizeof(*out_prs));
    if (err_text != NULL)
        *err_text = NULL;
}

/* Enters a joint config: the current voters become the outgoing half, the changes apply to the
 * incoming half. Entering from a zero-voter config is refused (bootstrapping may add voters to an
 * empty config with simple changes only). */
int rc_changer_enter_joint(const rc_changer *ch, bool auto_leave, const rc_cc_single *ccs,
                           size_t n, rc_tracker_config *out_cfg, rc_progress_map *out_prs,
                           char **err_text)
{
    rc_cc_work w;
    rc_cc_zero_out(out_cfg, out_prs, err_text);
    int rc = rc_cc_copy(ch, &w, err_text);
    if (rc != RC_OK)
        return rc;
    if (rc_cc_joint(&w.cfg))
        return rc_cc_fail(&w, err_text, "config is already joint");
    if (w.cfg.voters.incoming.n == 0)
        return rc_cc_fail(&w, err_text, "can't make a zero-voter config joint");
    rc_majority_free(&w.cfg.voters.outgoing);
    if (rc_majority_copy(&w.cfg.voters.outgoing, &w.cfg.voters.incoming) != RC_OK)
        return rc_cc_nomem(&w, err_text);
    rc = rc_cc_apply(ch, &w, ccs, n, err_text);
    if (rc != RC_OK)
        return rc;
    w.cfg.auto_leave = auto_leave;
    return rc_cc_finish(&w, out_cfg, out_prs, err_text);
}

/* Leaves a joint config: staged learners become learners, outgoing voters that are neither
 * incoming voters nor learners lose their progress, and the outgoing half is dropped. */
int rc_changer_leave_joint(const rc_changer *ch, rc_tracker_config *out_cfg,
                           rc_progress_map *out_prs, char **err_text)
{
    rc_cc_work w;
    rc_cc_zero_out(out_cfg, out_prs, err_text);
    int rc = rc_cc_copy(ch, &w, err_text);
    if (rc != RC_OK)
        return rc;
    if (!rc_cc_joint(&w.cfg))
        return rc_cc_fail(&w, err_text, "can't leave a non-joint config");
    for (size_t i = 0; i < w.cfg.learners_next.n; i++) {
        uint64_t id = w.cfg.learners_next.ids[i];
        if (rc_majority_add(&w.cfg.learners, id) != RC_OK)
            return rc_cc_nomem(&w, err_text);
        rc_progress *pr = rc_progress_map_get(&w.prs, id); /* exists: invariants checked */
        if (pr != NULL)
            pr->is_learner = true;
    }
    rc_majority_clear(&w.cfg.learners_next);
    for (size_t i = 0; i < w.cfg.voters.outgoing.n; i++) {
        uint64_t id = w.cfg.voters.outgoing.ids[i];
        if (!rc_majority_contains(&w.cfg.voters.incoming, id) &&
            !rc_majority_contains(&w.cfg.learners, id))
            rc_progress_map_delete(&w.prs, id);
    }
    rc_majority_clear(&w.cfg.voters.outgoing);
    w.cfg.auto_leave = false;
    return rc_cc_finish(&w, out_cfg, out_prs, err_text);
}

/* Number of ids in exactly one of a and b. */
static size_t rc_cc_symdiff(const rc_majority *a, const rc_majority *b)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        n += !rc_majority_contains(b, a->ids[i]);
    for (size_t i = 0; i < b->n; i++)
        n += !rc_majority_contains(a, b->ids[i]);
    return n;
}

/* A change outside joint consensus: it may change at most one voter (adding or removing a
 * learner, or several, is fine). */
int rc_changer_simple(const rc_changer *ch, const rc_cc_single *ccs, size_t n,
                      rc_tracker_config *out_cfg, rc_progress_map *out_prs, char **err_text)
{
    rc_cc_work w;
    rc_cc_zero_out(out_cfg, out_prs, err_text);
    int rc = rc_cc_copy(ch, &w, err_text);
    if (rc != RC_OK)
        return rc;
    if (rc_cc_joint(&w.cfg))
        return rc_cc_fail(&w, err_text, "can't apply simple config change in joint config");
    rc = rc_cc_apply(ch, &w, ccs, n, err_text);
    if (rc != RC_OK)
        return rc;
    if (rc_cc_symdiff(&ch->tracker->config.voters.incoming, &w.cfg.voters.incoming) > 1)
        return rc_cc_fail(&w, err_text, "more than one voter changed without entering joint config");
    return rc_cc_finish(&w, out_cfg, out_prs, err_text);
}

/* ---- restore ---- */

/* etcd's toConfChangeSingle. For voters=(1 2 3) learners=(5) outgoing=(1 2 4 6)
 * learners_next=(4) it builds
 *   out = add 1, add 2, add 4, add 6                      (applied one by one: (1 2 4 6))
 *   in  = remove 1 2 4 6, add 1 2 3, learner 5, learner 4 (applied while entering joint)
 * giving voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4). Whether 5 was a learner
 * before the joint config cannot be known and does not matter. */
static int rc_cc_to_singles(const rc_conf_state *cs, rc_cc_single **out, size_t *n_out,
                            rc_cc_single **in, size_t *n_in)
{
    size_t no = cs->voters_outgoing.n;
    size_t ni = cs->voters_outgoing.n + cs->voters.n + cs->learners.n + cs->learners_next.n;
    *out = rc_calloc(no ? no : 1, sizeof(rc_cc_single));
    *in = rc_calloc(ni ? ni : 1, sizeof(rc_cc_single));
    if (*out == NULL || *in == NULL) {
        rc_free(*out);
        rc_free(*in);
        *out = *in = NULL;
        return RC_ERR_NOMEM;
    }
    for (size_t i = 0; i < no; i++)
        (*out)[i] = (rc_cc_single){RC_CC_ADD_NODE, cs->voters_outgoing.v[i]};
    size_t k = 0;
    for (size_t i = 0; i < cs->voters_outgoing.n; i++)
        (*in)[k++] = (rc_cc_single){RC_CC_REMOVE_NODE, cs->voters_outgoing.v[i]};
    for (size_t i = 0; i < cs->voters.n; i++)
        (*in)[k++] = (rc_cc_single){RC_CC_ADD_NODE, cs->voters.v[i]};
    for (size_t i = 0; i < cs->learners.n; i++)
        (*in)[k++] = (rc_cc_single){RC_CC_ADD_LEARNER_NODE, cs->learners.v[i]};
    for (size_t i = 0; i < cs->learners_next.n; i++)
        (*in)[k++] = (rc_cc_single){RC_CC_ADD_LEARNER_NODE, cs->learners_next.v[i]};
    *n_out = no;
    *n_in = ni;
    return RC_OK;
}

/* Runs one step of the restore chain on t, replacing t's config on success. */
static int rc_cc_restore_step(rc_tracker *t, uint64_t last_index, int joint, bool auto_leave,
                              const rc_cc_single *ccs, size_t n, char **err_text)
{
    rc_changer sub = {t, last_index};
    rc_tracker_config cfg;
    rc_progress_map prs;
    int rc = joint ? rc_changer_enter_joint(&sub, auto_leave, ccs, n, &cfg, &prs, err_text)
                   : rc_changer_simple(&sub, ccs, n, &cfg, &prs, err_text);
    if (rc != RC_OK)
        return rc;
    rc_tracker_set_config(t, &cfg, &prs);
    return RC_OK;
}

/* etcd's Restore: without outgoing voters, the incoming changes apply one Simple change at a
 * time; otherwise the outgoing voters are added one at a time and the incoming changes then
 * apply while entering the joint config. The chain starts from ch's tracker (meant to be empty)
 * and stops at the first error. */
int rc_confchange_restore(const rc_changer *ch, const rc_conf_state *cs,
                          rc_tracker_config *out_cfg, rc_progress_map *out_prs, char **err_text)
{
    rc_cc_single *out, *in;
    size_t n_out, n_in;
    rc_tracker t;
    rc_cc_zero_out(out_cfg, out_prs, err_text);
    if (rc_cc_to_singles(cs, &out, &n_out, &in, &n_in) != RC_OK)
        return RC_ERR_NOMEM;
    rc_tracker_init(&t, ch->tracker->max_inflight, ch->tracker->max_inflight_bytes);
    int rc = RC_OK;
    if (rc_tracker_config_copy(&t.config, &ch->tracker->config) != RC_OK ||
        rc_progress_map_copy(&t.progress, &ch->tracker->progress) != RC_OK)
        rc = RC_ERR_NOMEM;
    if (n_out == 0) {
        for (size_t i = 0; rc == RC_OK && i < n_in; i++)
            rc = rc_cc_restore_step(&t, ch->last_index, 0, false, &in[i], 1, err_text);
    } else {
        for (size_t i = 0; rc == RC_OK && i < n_out; i++)
            rc = rc_cc_restore_step(&t, ch->last_index, 0, false, &out[i], 1, err_text);
        if (rc == RC_OK)
            rc = rc_cc_restore_step(&t, ch->last_index, 1, cs->auto_leave, in, n_in, err_text);
    }
    rc_free(out);
    rc_free(in);
    if (rc == RC_OK) {
        *out_cfg = t.config;
        *out_prs = t.progress;
        memset(&t.config, 0, sizeof(t.config));
        memset(&t.progress, 0, sizeof(t.progress));
    }
    rc_tracker_free(&t);
    return rc;
}

/* ---- ConfChangeV2 helpers ---- */

/* etcd's ConfChangeV2.EnterJoint: joint consensus is used for any explicit transition or for
 * more than one change; auto-leave unless the transition is JointExplicit. etcd panics on an
 * unknown transition; here it enters joint without auto-leave (callers validate first). */
bool rc_cc_v2_enter_joint(const rc_conf_change_v2 *cc, bool *auto_leave)
{
    bool al = false;
    if (cc->transition == RC_CC_TRANSITION_AUTO && cc->n_changes <= 1) {
        if (auto_leave != NULL)
            *auto_leave = false;
        return false;
    }
    switch (cc->transition) {
    case RC_CC_TRANSITION_AUTO:
    case RC_CC_TRANSITION_JOINT_IMPLICIT:
        al = true;
        break;
    default:
        break;
    }
    if (auto_leave != NULL)
        *auto_leave = al;
    return true;
}

/* etcd's ConfChangeV2.LeaveJoint: the change equals the zero ConfChangeV2 once its Context is
 * cleared, i.e. the Context is ignored. */
bool rc_cc_v2_leave_joint(const rc_conf_change_v2 *cc)
{
    return cc->transition == RC_CC_TRANSITION_AUTO && cc->n_changes == 0;
}
