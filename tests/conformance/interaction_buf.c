/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_buf.c: the interaction driver's growable byte buffer, Go-style number parsing and
 * quoting helpers (strconv texts), and message header access.
 */
#include "interaction.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ---- */

void ia_buf_append(ia_buf *b, const void *s, size_t len) {
    if (len == 0)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            abort(); /* test driver: out of memory is not survivable */
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

void ia_buf_puts(ia_buf *b, const char *s) { ia_buf_append(b, s, strlen(s)); }

void ia_buf_putc(ia_buf *b, char c) { ia_buf_append(b, &c, 1); }

void ia_buf_vprintf(ia_buf *b, const char *fmt, va_list ap) {
    char tmp[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        ia_buf_append(b, tmp, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big == NULL)
            abort();
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        ia_buf_append(b, big, (size_t)n);
        free(big);
    }
    va_end(ap2);
}

void ia_buf_printf(ia_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    ia_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void ia_buf_reset(ia_buf *b) {
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

void ia_buf_free(ia_buf *b) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

char *ia_buf_take(ia_buf *b) {
    char *p = b->p;
    if (p == NULL) {
        p = malloc(1);
        if (p == NULL)
            abort();
        p[0] = '\0';
    }
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

char *ia_strdup(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p == NULL)
        abort();
    memcpy(p, s, n + 1);
    return p;
}

char *ia_sprintf(const char *fmt, ...) {
    ia_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    ia_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return ia_buf_take(&b);
}

/* ---- Go strconv ---- */

void ia_quote(ia_buf *b, const char *s) {
    ia_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            ia_buf_putc(b, '\\');
            ia_buf_putc(b, (char)c);
        } else if (c == '\n') {
            ia_buf_puts(b, "\\n");
        } else if (c == '\t') {
            ia_buf_puts(b, "\\t");
        } else if (c == '\r') {
            ia_buf_puts(b, "\\r");
        } else if (c < 0x20 || c >= 0x7f) {
            ia_buf_printf(b, "\\x%02x", c);
        } else {
            ia_buf_putc(b, (char)c);
        }
    }
    ia_buf_putc(b, '"');
}

static char *strconv_err(const char *fn, const char *s, const char *what) {
    ia_buf b = {0};
    ia_buf_printf(&b, "strconv.%s: parsing ", fn);
    ia_quote(&b, s);
    ia_buf_printf(&b, ": %s", what);
    return ia_buf_take(&b);
}

char *ia_parse_uint(const char *s, uint64_t *out) {
    uint64_t v = 0;
    if (*s == '\0')
        return strconv_err("ParseUint", s, "invalid syntax");
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return strconv_err("ParseUint", s, "invalid syntax");
    }
    for (const char *p = s; *p; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return strconv_err("ParseUint", s, "value out of range");
        v = v * 10 + d;
    }
    *out = v;
    return NULL;
}

char *ia_atoi(const char *s, int64_t *out) {
    const char *p = s;
    bool neg = false;
    if (*p == '+' || *p == '-') {
        neg = *p == '-';
        p++;
    }
    uint64_t v;
    char *err = ia_parse_uint(p, &v);
    if (err != NULL) {
        bool range = strstr(err, "out of range") != NULL;
        free(err);
        return strconv_err("Atoi", s, range ? "value out of range" : "invalid syntax");
    }
    if ((!neg && v > (uint64_t)INT64_MAX) || (neg && v > (uint64_t)INT64_MAX + 1))
        return strconv_err("Atoi", s, "value out of range");
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return NULL;
}

char *ia_parse_bool(const char *s, bool *out) {
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, t[i]) == 0) {
            *out = true;
            return NULL;
        }
        if (strcmp(s, f[i]) == 0) {
            *out = false;
            return NULL;
        }
    }
    return strconv_err("ParseBool", s, "invalid syntax");
}

/* ---- messages ---- */

int ia_msg_header(const uint8_t *b, size_t len, ia_msg_hdr *h) {
    uint64_t info[RAFTC_MF_COUNT] = {0};
    int rc = raftc_message_info(b, len, info, RAFTC_MF_COUNT);
    h->type = (int)info[RAFTC_MF_TYPE];
    h->to = info[RAFTC_MF_TO];
    h->from = info[RAFTC_MF_FROM];
    h->term = info[RAFTC_MF_TERM];
    h->commit = info[RAFTC_MF_COMMIT];
    h->vote = info[RAFTC_MF_VOTE];
    return rc;
}
