/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * datadriven.h: a reader and runner for cockroachdb's datadriven test format (HARNESS.md §1), as
 * etcd raft's transcripts use it. A suite supplies a per-file environment and a handler per
 * directive; the runner compares outputs, prints a unified diff on mismatch, or rewrites.
 */
#ifndef DD_DATADRIVEN_H
#define DD_DATADRIVEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dd_arg {
    char *key;
    char **vals; /* vals[0..n_vals) */
    size_t n_vals;
} dd_arg;

typedef struct dd_directive {
    const char *file;
    int line;       /* line number of the directive */
    char *cmd;
    dd_arg *args;
    size_t n_args;
    char *input;    /* trimmed input ("" when none) */
} dd_directive;

/* Helpers for handlers. */
const dd_arg *dd_find_arg(const dd_directive *d, const char *key);

typedef struct dd_suite {
    const char *name;
    /* A fresh environment for one file; NULL on failure. */
    void *(*env_new)(void);
    void (*env_free)(void *env);
    /* Runs one directive. Returns the output as a heap string (free()), without the rule's
     * trailing newline handling (the runner appends "\n" when missing). On a harness-level fatal
     * error (what Go's t.Fatal would do) returns NULL and sets *fatal to a heap string (free()). */
    char *(*handle)(void *env, const dd_directive *d, char **fatal);
} dd_suite;

/* Replays `path` with suite. rewrite=false: compares, prints a unified diff of the file's
 * expected vs actual transcript to stderr on the first mismatch, returns 0 on match, 1 on
 * mismatch, 2 on a harness error. rewrite=true: writes the actual transcript to out, returns 0
 * (2 on harness error). */
int dd_run_file(const dd_suite *suite, const char *path, bool rewrite, void *out_file);

#endif
