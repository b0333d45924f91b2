/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * main.c: the conformance driver `raftc-datadriven`.
 *
 *   raftc-datadriven --suite=NAME [--rewrite | --rewrite=-] FILE...
 *
 * Replays each FILE (datadriven format) with the named suite and compares outputs; on a mismatch
 * prints a unified diff to stderr. --rewrite replaces each FILE with the actual transcript
 * (etcd's -rewrite); --rewrite=- writes the transcripts to stdout instead. Exit status: 0 if all
 * files passed (or were rewritten), 1 if any mismatched, 2 on usage or harness errors.
 * `--skip=TEXT` prints "SKIPPED: TEXT" and exits 77 (ctest's skip code).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadriven.h"

extern const dd_suite dd_suite_quorum;
extern const dd_suite dd_suite_confchange;
extern const dd_suite dd_suite_selftest;
#ifdef RAFTC_HAVE_INTERACTION
extern const dd_suite dd_suite_interaction;
#endif

static const dd_suite *const suites[] = {
    &dd_suite_quorum,
    &dd_suite_confchange,
    &dd_suite_selftest,
#ifdef RAFTC_HAVE_INTERACTION
    &dd_suite_interaction,
#endif
};

static void usage(FILE *f)
{
    fputs("usage: raftc-datadriven --suite=NAME [--rewrite | --rewrite=-] FILE...\nsuites:", f);
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
        fprintf(f, " %s", suites[i]->name);
    fputc('\n', f);
}

/* Rewrites path in place through a temporary file next to it. */
static int rewrite_in_place(const dd_suite *suite, const char *path)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (tmp == NULL)
        return 2;
    snprintf(tmp, n + 16, "%s.rewrite.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot create\n", tmp);
        free(tmp);
        return 2;
    }
    int rc = dd_run_file(suite, path, true, f);
    if (fclose(f) != 0 && rc == 0)
        rc = 2;
    if (rc == 0 && rename(tmp, path) != 0) {
        fprintf(stderr, "%s: cannot replace\n", path);
        rc = 2;
    }
    if (rc != 0)
        remove(tmp);
    free(tmp);
    return rc;
}

int main(int argc, char **argv)
{
    const dd_suite *suite = NULL;
    const char *suite_name = NULL;
    int rewrite = 0; /* 1: in place, 2: stdout */
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--suite=", 8) == 0) {
            suite_name = argv[i] + 8;
        } else if (strncmp(argv[i], "--skip=", 7) == 0) {
            /* used by ctest when the transcripts are missing: SKIP_RETURN_CODE 77 */
            printf("SKIPPED: %s\n", argv[i] + 7);
            return 77;
        } else if (strcmp(argv[i], "--rewrite") == 0) {
            rewrite = 1;
        } else if (strcmp(argv[i], "--rewrite=-") == 0) {
            rewrite = 2;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            first_file = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            first_file = i;
            break;
        }
    }
    for (size_t i = 0; suite_name != NULL && i < sizeof(suites) / sizeof(suites[0]); i++)
        if (strcmp(suites[i]->name, suite_name) == 0)
            suite = suites[i];
    if (suite == NULL) {
        fprintf(stderr, suite_name ? "unknown suite %s\n" : "missing --suite%s\n",
                suite_name ? suite_name : "");
        usage(stderr);
        return 2;
    }
    if (first_file >= argc) {
        fputs("no files given\n", stderr);
        usage(stderr);
        return 2;
    }

    int worst = 0, failed = 0, total = 0;
    for (int i = first_file; i < argc; i++) {
        int rc;
        if (rewrite == 1)
            rc = rewrite_in_place(suite, argv[i]);
        else if (rewrite == 2)
            rc = dd_run_file(suite, argv[i], true, stdout);
        else
            rc = dd_run_file(suite, argv[i], false, NULL);
        total++;
        if (rc != 0)
            failed++;
        if (rc > worst)
            worst = rc;
        fprintf(stderr, "%s %s\n", rc == 0 ? (rewrite ? "rewrote" : "ok  ") : "FAIL", argv[i]);
    }
    if (total > 1)
        fprintf(stderr, "%d/%d files passed\n", total - failed, total);
    return worst;
}
