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

typedef struct cc_list {
    int *types;
    uint64_t *ids;
    size_t n;
} cc_list;

static void cc_list_free(cc_list *l)
{
    free(l->types);
    free(l->ids);
}

/* etcd's tokenizer: the trimmed input split on single spaces. Returns 0, or 1 with the error
 * text (which becomes the output, without a newline) in *err. */
static int cc_tokenize(cc_list *l, const char *input, sbuf *err)
{
    memset(l, 0, sizeof(*l));
    if (input[0] == '\0')
        return 0;
    const char *p = input;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        char *tok = su_xrealloc(NULL, len + 1);
        memcpy(tok, p, len);
        tok[len] = '\0';
        int type = -1;
        if (len < 2) {
            sbuf_printf(err, "unknown token %s", tok);
        } else {
            switch (tok[0]) {
            case 'v': type = RAFTC_CC_ADD_NODE; break;
            case 'l': type = RAFTC_CC_ADD_LEARNER_NODE; break;
            case 'r': type = RAFTC_CC_REMOVE_NODE; break;
            case 'u': type = RAFTC_CC_UPDATE_NODE; break;
            default: sbuf_printf(err, "unknown input: %s", tok); break;
            }
        }
        uint64_t id = 0;
        if (type >= 0) {
            int prc = go_parse_uint(tok + 1, &id);
            if (prc != 0) {
                go_parse_uint_error(err, tok + 1, prc);
                type = -1;
            }
        }
        free(tok);
        if (type < 0) {
            cc_list_free(l);
            return 1;
        }
        l->types = su_xrealloc(l->types, (l->n + 1) * sizeof(int));
        l->ids = su_xrealloc(l->ids, (l->n + 1) * sizeof(uint64_t));
        l->types[l->n] = type;
        l->ids[l->n] = id;
        l->n++;
        if (sp == NULL)
            return 0;
        p = sp + 1;
    }
}

static char *cc_run(cc_env *e, const dd_directive *d, char **fatal)
{
    sbuf out = {0};
    cc_list l;
    if (cc_tokenize(&l, d->input, &out) != 0)
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
                cc_list_free(&l);
                fatalf(fatal, "enter-joint: expected a single autoleave=<bool> argument");
                return NULL;
            }
        }
        rc = raftc_changer_enter_joint(e->ch, auto_leave, l.types, l.ids, l.n);
    } else if (strcmp(d->cmd, "leave-joint") == 0) {
        if (l.n > 0) {
            cc_list_free(&l);
            sbuf_puts(&out, "this command takes no input\n");
            return sbuf_take(&out);
        }
        rc = raftc_changer_leave_joint(e->ch);
    } else {
        cc_list_free(&l);
        sbuf_puts(&out, "unknown command");
        return sbuf_take(&out);
    }
    cc_list_free(&l);
    if (rc == RAFTC_ECONFCHANGE) {
        sbuf_printf(&out, "%s\n", raftc_changer_last_error(e->ch));
        return sbuf_take(&out);
    }
    if (rc != RAFTC_OK) {
        fatalf(fatal, "changer failed: %s", raftc_strerror(rc));
        return NULL;
    }
    char *desc = NULL;
    if (raftc_changer_describe(e->ch, &desc) != RAFTC_OK) {
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
