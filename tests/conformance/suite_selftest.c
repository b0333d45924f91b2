/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_selftest.c: a suite that exercises the datadriven runner itself (no library calls).
 *   args ...      prints the parsed command and arguments, one per line: key followed by each
 *                 value in brackets, e.g. "idx [1] [_]"
 *   echo + input  returns the input verbatim (blank lines force the "----"/"----" form)
 *   empty         returns ""
 *   count         returns how many directives ran before it in this file (fresh env per file)
 *   fatal         a harness error (aborts the file)
 */
#include <stdlib.h>
#include <string.h>

#include "datadriven.h"
#include "suite_util.h"

typedef struct st_env {
    unsigned long runs;
} st_env;

static void *st_env_new(void)
{
    return calloc(1, sizeof(st_env));
}

static void st_env_free(void *env)
{
    free(env);
}

static char *st_handle(void *env, const dd_directive *d, char **fatal)
{
    st_env *e = env;
    sbuf out = {0};
    unsigned long runs = e->runs++;
    if (strcmp(d->cmd, "args") == 0) {
        sbuf_printf(&out, "cmd=%s\n", d->cmd);
        for (size_t i = 0; i < d->n_args; i++) {
            sbuf_puts(&out, d->args[i].key);
            for (size_t k = 0; k < d->args[i].n_vals; k++)
                sbuf_printf(&out, " [%s]", d->args[i].vals[k]);
            sbuf_puts(&out, "\n");
        }
        if (d->input[0] != '\0')
            sbuf_printf(&out, "input=%s\n", d->input);
    } else if (strcmp(d->cmd, "echo") == 0) {
        sbuf_puts(&out, d->input);
    } else if (strcmp(d->cmd, "empty") == 0) {
        /* nothing */
    } else if (strcmp(d->cmd, "count") == 0) {
        sbuf_printf(&out, "%lu", runs);
    } else if (strcmp(d->cmd, "fatal") == 0) {
        fatalf(fatal, "fatal requested");
        return NULL;
    } else {
        sbuf_puts(&out, "unknown command");
    }
    return sbuf_take(&out);
}

const dd_suite dd_suite_selftest = {"selftest", st_env_new, st_env_free, st_handle};
