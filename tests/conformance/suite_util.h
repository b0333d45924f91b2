/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_util.h: small helpers shared by the quorum and confchange suites (a growable string,
 * a uint64 vector, Go-compatible number parsing). Header-only (static inline) so the suites stay
 * independent translation units. Allocation failure exits the driver (test code).
 */
#ifndef DD_SUITE_UTIL_H
#define DD_SUITE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *su_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fputs("raftc-datadriven: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

/* ---- growable NUL-terminated string ---- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static inline void sbuf_append(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->p = su_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static inline void sbuf_puts(sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

static inline void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    char *tmp = su_xrealloc(NULL, (size_t)n + 1);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    sbuf_append(b, tmp, (size_t)n);
    free(tmp);
}

static inline void sbuf_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* The heap string (free()); "" when empty; resets b. */
static inline char *sbuf_take(sbuf *b)
{
    if (b->p == NULL)
        sbuf_append(b, "", 0);
    char *s = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return s;
}

/* Sets *fatal to a formatted heap string (free()) and returns -1. */
static inline int fatalf(char **fatal, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline int fatalf(char **fatal, const char *fmt, ...)
{
    sbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    *fatal = sbuf_take(&b);
    return -1;
}

/* ---- uint64 vector ---- */

typedef struct u64vec {
    uint64_t *v;
    size_t n, cap;
} u64vec;

static inline void u64vec_push(u64vec *x, uint64_t id)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 8;
        x->v = su_xrealloc(x->v, x->cap * sizeof(uint64_t));
    }
    x->v[x->n++] = id;
}

static inline bool u64vec_contains(const u64vec *x, uint64_t id)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i] == id)
            return true;
    return false;
}

/* Inserts id keeping x sorted ascending and unique. */
static inline void u64vec_insert_sorted(u64vec *x, uint64_t id)
{
    size_t pos = 0;
    while (pos < x->n && x->v[pos] < id)
        pos++;
    if (pos < x->n && x->v[pos] == id)
        return;
    u64vec_push(x, 0);
    memmove(&x->v[pos + 1], &x->v[pos], (x->n - 1 - pos) * sizeof(uint64_t));
    x->v[pos] = id;
}

static inline void u64vec_free(u64vec *x)
{
    free(x->v);
    x->v = NULL;
    x->n = x->cap = 0;
}

/* ---- Go number parsing ---- */

/* strconv.ParseUint(s, 10, 64). Returns 0 on success, 1 for invalid syntax, 2 out of range. */
static inline int go_parse_uint(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return 1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 1;
    }
    for (const char *p = s; *p; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) {
            *out = UINT64_MAX;
            return 2;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static inline bool parse_u64(const char *s, uint64_t *out)
{
    return go_parse_uint(s, out) == 0;
}

/* Go's strconv.Quote for the ASCII subset (other bytes as \xNN). */
static inline void go_quote(sbuf *b, const char *s)
{
    sbuf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char tmp[8];
        switch (*p) {
        case '"': sbuf_puts(b, "\\\""); break;
        case '\\': sbuf_puts(b, "\\\\"); break;
        case '\a': sbuf_puts(b, "\\a"); break;
        case '\b': sbuf_puts(b, "\\b"); break;
        case '\f': sbuf_puts(b, "\\f"); break;
        case '\n': sbuf_puts(b, "\\n"); break;
        case '\r': sbuf_puts(b, "\\r"); break;
        case '\t': sbuf_puts(b, "\\t"); break;
        case '\v': sbuf_puts(b, "\\v"); break;
        default:
            if (*p < 0x20 || *p >= 0x7f) {
                snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
                sbuf_puts(b, tmp);
            } else {
                sbuf_append(b, (const char *)p, 1);
            }
        }
    }
    sbuf_append(b, "\"", 1);
}

/* The error text of strconv.ParseUint(s, 10, 64) (call only when it failed). */
static inline void go_parse_uint_error(sbuf *b, const char *s, int code)
{
    sbuf_puts(b, "strconv.ParseUint: parsing ");
    go_quote(b, s);
    sbuf_puts(b, code == 2 ? ": value out of range" : ": invalid syntax");
}

/* strconv.ParseBool. Returns false when s is not a Go bool literal. */
static inline bool go_parse_bool(const char *s, bool *out)
{
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, t[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, f[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

#endif
