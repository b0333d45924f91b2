/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * strbuf.h: a growable NUL-terminated string used by every text form (describe, quorum, tracker,
 * log lines). Allocation failure is sticky (oom) rather than reported per call, so formatting
 * code stays straight-line; check rc_strbuf_ok() once at the end.
 */
#ifndef RC_STRBUF_H
#define RC_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct rc_strbuf {
    char *p;   /* NUL-terminated when non-NULL */
    size_t n;  /* length without the NUL */
    size_t cap;
    bool oom;
} rc_strbuf;

#define RC_STRBUF_INIT {0, 0, 0, false}

void rc_strbuf_append(rc_strbuf *b, const char *s, size_t len);
void rc_strbuf_puts(rc_strbuf *b, const char *s);
void rc_strbuf_putc(rc_strbuf *b, char c);
void rc_strbuf_printf(rc_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Go's %q of a byte string (strconv.Quote rules, see HARNESS.md §0). */
void rc_strbuf_quote(rc_strbuf *b, const unsigned char *data, size_t len);
static inline bool rc_strbuf_ok(const rc_strbuf *b) { return !b->oom; }
/* The string ("" if nothing was appended); never NULL. */
const char *rc_strbuf_str(const rc_strbuf *b);
/* Hands the heap string to the caller (rc_free) and resets b; NULL on oom. */
char *rc_strbuf_take(rc_strbuf *b);
void rc_strbuf_reset(rc_strbuf *b); /* n = 0, keeps capacity */
void rc_strbuf_free(rc_strbuf *b);

#endif
