/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_confchange.c: etcd's confchange/datadriven_test.go (HARNESS.md §5.1) over the public
 * ABI's raftc_changer: `simple`, `enter-joint [autoleave=bool]` and `leave-joint`, with input
 * tokens v<id> (voter), l<id> (learner), r<id> (remove), u<id> (update).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datadriven.h"
#include "raftc.h"
#include "suite_util.h"

typedef struct cc_env {
    raftc_changer *ch;
    uint64_t last_index; /* number of directives already run in this file */
} cc_env;

static void *cc_env_new(void)
{
    cc_env *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return NULL;
    /* etcd: tracker.MakeProgressTracker(10, 0) */
    if (raftc_changer_new(&e->ch, 10, 0) != RAFTC_OK) {
        free(e);
        return NULL;
    }
    return e;
}

static void cc_env_free(void *env)
{
    cc_env *e = env;
    raftc_changer_free(e->ch);
    free(e);
}

static char *cc_run(cc_env *e, const dd_directive *d, char **fatal)
{
    sbuf out = {0};
    su_cc_list l = {0};
    if (su_cc_parse(&l, d->input, &out) != 0)
        return sbuf_take(&out);
    raftc_changer_set_last_index(e->ch, e->last_index);
    int rc;
    if (strcmp(d->cmd, "simple") == 0) {
        rc = raftc_changer_simple(e->ch, l.types, l.ids, l.n);
    } else if (strcmp(d->cmd, "enter-joint") == 0) {
        bool auto_leave = false;
        if (d->n_args > 0) {
            const dd_arg *a = dd_find_arg(d, "autoleave");
            if (a == NULL || a->n_vals != 1 || !go_parse_bool(a->vals[0], &auto_leave)) {
                su_cc_list_free(&l);
                fatalf(fatal, "enter-joint: expected a single autoleave=<bool> argument");
                return NULL;
            }
        }
        rc = raftc_changer_enter_joint(e->ch, auto_leave, l.types, l.ids, l.n);
    } else if (strcmp(d->cmd, "leave-joint") == 0) {
        if (l.n > 0) {
            su_cc_list_free(&l);
            sbuf_puts(&out, "this command takes no input\n");
            return sbuf_take(&out);
        }
        rc = raftc_changer_leave_joint(e->ch);
    } else {
        su_cc_list_free(&l);
        sbuf_puts(&out, "unknown command");
        return sbuf_take(&out);
    }
    su_cc_list_free(&l);
    if (rc == RAFTC_ECONFCHANGE) {
        sbuf_printf(&out, "%s\n", raftc_changer_last_error(e->ch));
        return sbuf_take(&out);
    }
    if (rc != RAFTC_OK) {
        fatalf(fatal, "changer failed: %s", raftc_strerror(rc));
        return NULL;
    }
    char *desc = NULL;
    if (raftc_changer_describe(&desc, e->ch) != RAFTC_OK) {
        fatalf(fatal, "raftc_changer_describe failed");
        return NULL;
    }
    sbuf_puts(&out, desc);
    raftc_free(desc);
    return sbuf_take(&out);
}

static char *cc_handle(void *env, const dd_directive *d, char **fatal)
{
    cc_env *e = env;
    char *res = cc_run(e, d, fatal);
    e->last_index++; /* etcd increments after every directive, errors included */
    return res;
}

const dd_suite dd_suite_confchange = {"confchange", cc_env_new, cc_env_free, cc_handle};
