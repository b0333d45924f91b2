/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * logger.c: formats a log line and hands it to the host callback.
 */
#include "logger.h"

#include <stdarg.h>
#include <stdio.h>

#define RC_LOG_LINE_MAX 4096

void rc_logf(const rc_logger *lg, rc_log_level level, const char *fmt, ...)
{
    if (lg != NULL && level >= RC_LOG_PANIC && lg->failed != NULL)
        *lg->failed = true;
    if (lg == NULL || lg->fn == NULL)
        return;
    char line[RC_LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        line[0] = '\0';
    lg->fn(lg->ud, (int)level, line);
}
