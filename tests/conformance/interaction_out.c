/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_out.c: the interaction environment's output buffer (HARNESS.md §2.4): log levels,
 * the raft logger sink, and withIndent.
 */
#include "interaction.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE"};

void ia_write(ia_env *e, const char *s, size_t len) {
    if (e->lvl == IA_LVL_NONE)
        return;
    sbuf_append(e->out, s, len);
}

void ia_puts(ia_env *e, const char *s) { ia_write(e, s, strlen(s)); }

void ia_printf(ia_env *e, const char *fmt, ...) {
    if (e->lvl == IA_LVL_NONE)
        return;
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(e->out, fmt, ap);
    va_end(ap);
}

void ia_log(ia_env *e, int lvl, const char *msg) {
    if (lvl > IA_LVL_FATAL) {
        /* etcd's Panicf: logged as FATAL (the Go test would abort; raftc's node is failed). */
        lvl = IA_LVL_FATAL;
    }
    if (lvl < 0 || e->lvl > lvl)
        return;
    sbuf *b = e->out;
    sbuf_puts(b, level_names[lvl]);
    sbuf_putc(b, ' ');
    size_t n = strlen(msg);
    sbuf_append(b, msg, n);
    if (n > 0 && msg[n - 1] != '\n')
        sbuf_putc(b, '\n');
}

/* strings.EqualFold for ASCII names. */
static bool equal_fold(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    }
    return *a == *b;
}

int ia_set_level(ia_env *e, const char *name) {
    for (int i = 0; i <= IA_LVL_NONE; i++) {
        if (equal_fold(level_names[i], name)) {
            e->lvl = i;
            return IA_OK;
        }
    }
    return ia_fail(e, "log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]");
}

sbuf *ia_indent_begin(ia_env *e) {
    sbuf *orig = e->out;
    sbuf *tmp = calloc(1, sizeof *tmp);
    if (tmp == NULL)
        abort();
    e->out = tmp;
    return orig;
}

void ia_indent_end(ia_env *e, sbuf *orig) {
    sbuf *tmp = e->out;
    e->out = orig;
    /* bufio.Scanner(ScanLines): a final line without LF still counts; CR before LF dropped. */
    const char *p = tmp->n > 0 ? tmp->p : "", *end = p + tmp->n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        if (nl && len > 0 && p[len - 1] == '\r')
            len--;
        sbuf_puts(orig, "  ");
        sbuf_append(orig, p, len);
        sbuf_putc(orig, '\n');
        p = nl ? nl + 1 : end;
    }
    sbuf_free(tmp);
    free(tmp);
}

int ia_fail(ia_env *e, const char *fmt, ...) {
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(e->err);
    e->err = sbuf_take(&b);
    return IA_ERR;
}

int ia_fail_take(ia_env *e, char *msg) {
    free(e->err);
    e->err = msg;
    return IA_ERR;
}

int ia_fatal(ia_env *e, const char *fmt, ...) {
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(e->fatal);
    e->fatal = sbuf_take(&b);
    return IA_FATAL;
}

int ia_fatal_take(ia_env *e, char *msg) {
    free(e->fatal);
    e->fatal = msg;
    return IA_FATAL;
}
