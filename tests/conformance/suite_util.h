/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * suite_util.h: small helpers shared by the conformance driver's runner and suites (a growable
 * string, a uint64 vector, Go strconv parsing and quoting, etcd's conf change tokenizer).
 * Header-only (static inline) so every part stays an independent translation unit. Allocation
 * failure exits the driver (test code).
 */
#ifndef DD_SUITE_UTIL_H
#define DD_SUITE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raftc.h"

/* Exits with status 2: out of memory (or a size that cannot be represented). */
static inline void su_die_oom(void)
{
    fputs("raftc-datadriven: out of memory\n", stderr);
    exit(2);
}

/* realloc that never returns NULL (n == 0 is treated as 1): exits with status 2 when out of
 * memory. */
static inline void *su_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        su_die_oom();
    return q;
}

/* Makes room for `need` elements of `elem` bytes in the array p of capacity *cap (doubling from
 * 8); returns the (possibly moved) array and updates *cap. */
static inline void *su_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *cap = c;
    return su_xrealloc(p, c * elem);
}

/* A heap copy (free()) of the n bytes at s, NUL-terminated. */
static inline char *su_strndup(const char *s, size_t n)
{
    char *p = su_xrealloc(NULL, n + 1);
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static inline char *su_strdup(const char *s)
{
    return su_strndup(s, strlen(s));
}

/* ---- growable NUL-terminated string ---- */

/* p is NULL until the first non-empty append; then p[n] == '\0'. Zero-initialise to start. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

/* Makes room for `extra` more bytes plus the terminating NUL. */
static inline void sbuf_reserve(sbuf *b, size_t extra)
{
    /* Bounding the size first keeps `b->n + extra + 1` from wrapping around (which would skip
     * the growth below; gcc -O3 proves that path and rejects the copies with
     * -Wstringop-overflow). */
    if (extra > SIZE_MAX / 2 - b->n)
        su_die_oom();
    if (b->n + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 128;
    while (cap < b->n + extra + 1)
        cap *= 2;
    b->p = su_xrealloc(b->p, cap);
    b->cap = cap;
}

static inline void sbuf_append(sbuf *b, const void *s, size_t n)
{
    if (n == 0)
        return;
    sbuf_reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static inline void sbuf_puts(sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

static inline void sbuf_putc(sbuf *b, char c)
{
    sbuf_append(b, &c, 1);
}

static inline void sbuf_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    sbuf_reserve(b, (size_t)n);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
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

/* Empties b, keeping its memory. */
static inline void sbuf_reset(sbuf *b)
{
    b->n = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
}

static inline void sbuf_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Hands out the heap string (free()), "" when empty, never NULL; b is left empty. */
static inline char *sbuf_take(sbuf *b)
{
    char *s = b->p != NULL ? b->p : su_strndup("", 0);
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
    x->v = su_grow(x->v, &x->cap, x->n + 1, sizeof(uint64_t));
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
    sbuf_putc(b, '"');
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
    sbuf_putc(b, '"');
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

/* ---- etcd's raftpb.ConfChangesFromString ---- */

/* Parallel arrays of conf change operations (types[i] is a RAFTC_CC_* type). */
typedef struct su_cc_list {
    raftc_cc_type *types;
    uint64_t *ids;
    size_t n, cap;
} su_cc_list;

static inline void su_cc_list_free(su_cc_list *l)
{
    free(l->types);
    free(l->ids);
    memset(l, 0, sizeof(*l));
}

/* Tokenizes the trimmed input split on single spaces: v<id> (add voter), l<id> (add learner),
 * r<id> (remove), u<id> (update); "" gives no operations. Returns 0, or 1 with etcd's error
 * text appended to err and *l left empty. *l must be zeroed (or freed) before the call. */
static inline int su_cc_parse(su_cc_list *l, const char *input, sbuf *err)
{
    if (input[0] == '\0')
        return 0;
    for (const char *p = input;;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        char *tok = su_strndup(p, len);
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
            su_cc_list_free(l);
            return 1;
        }
        size_t cap = l->cap; /* both arrays share l->cap */
        l->types = su_grow(l->types, &cap, l->n + 1, sizeof(raftc_cc_type));
        l->ids = su_grow(l->ids, &l->cap, l->n + 1, sizeof(uint64_t));
        l->types[l->n] = (raftc_cc_type)type;
        l->ids[l->n] = id;
        l->n++;
        if (sp == NULL)
            return 0;
        p = sp + 1;
    }
}

#endif
