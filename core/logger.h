/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * logger.h: raft's log lines (etcd's texts and levels) go to a host callback as preformatted text
 * without a trailing newline.
 */
#ifndef RC_LOGGER_H
#define RC_LOGGER_H

#include <inttypes.h>
#include <stdbool.h>

/* printf conversions of a uint64_t in the core's texts (log lines, error texts), as in
 * "index %" U64 " at term %" X64. The one definition. */
#define U64 PRIu64
#define X64 PRIx64

typedef enum rc_log_level {
    RC_LOG_DEBUG = 0, RC_LOG_INFO = 1, RC_LOG_WARN = 2, RC_LOG_ERROR = 3, RC_LOG_FATAL = 4,
    RC_LOG_PANIC = 5 /* etcd's Panicf: the node then fails (rc_raft.failed) */
} rc_log_level;

typedef void (*rc_log_fn)(void *ud, int level, const char *msg);

typedef struct rc_logger {
    rc_log_fn fn; /* NULL: discard */
    void *ud;
    /* Set to true by every RC_LOG_PANIC line (whether fn is NULL or not): the failed flag of the
     * node that owns this logger, so no PANIC site can leave the node working. NULL: none. */
    bool *failed;
} rc_logger;

/* printf-style; formats into a stack buffer (truncating very long lines) and calls fn. A line
 * at RC_LOG_PANIC or above first sets *lg->failed (etcd panics there: the node is failed). */
void rc_logf(const rc_logger *lg, rc_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
