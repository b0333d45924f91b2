/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * log_capture.h: a logger for unit tests that keeps the last line, its level and counts (all
 * lines, PANIC lines) in g_cap. Header-only (static): include it in one test file.
 */
#ifndef LOG_CAPTURE_H
#define LOG_CAPTURE_H

#include <stdio.h>

#include "logger.h"

typedef struct cap_log {
    int last_level;
    char last[512]; /* the last line, truncated */
    int n, n_panic;
} cap_log;

static void cap_fn(void *ud, int level, const char *msg)
{
    cap_log *c = ud;
    c->last_level = level;
    snprintf(c->last, sizeof(c->last), "%s", msg);
    c->n++;
    c->n_panic += level == RC_LOG_PANIC;
}

/* Zero it (memset) to start a case; pass g_logger to the code under test. */
static cap_log g_cap;
static rc_logger g_logger = { cap_fn, &g_cap, NULL };

#endif
