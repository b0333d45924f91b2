/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * strbuf.c: growable string with sticky out-of-memory, and Go's strconv.Quote.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

/* Makes room for `extra` more bytes plus the NUL; sets oom and returns false on failure. */
static bool rc_strbuf_reserve(rc_strbuf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (extra > SIZE_MAX - b->n - 1) {
        b->oom = true;
        return false;
    }
    size_t need = b->n + extra + 1;
    if (need <= b->cap)
        return true;
    size_t ncap = b->cap < 64 ? 64 : b->cap;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    char *p = rc_realloc(b->p, ncap);
    if (p == NULL) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = ncap;
    return true;
}

void rc_strbuf_append(rc_strbuf *b, const char *s, size_t len)
{
    if (!rc_strbuf_reserve(b, len))
        return;
    if (len > 0)
        memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

void rc_strbuf_puts(rc_strbuf *b, const char *s)
{
    rc_strbuf_append(b, s, strlen(s));
}

void rc_strbuf_putc(rc_strbuf *b, char c)
{
    rc_strbuf_append(b, &c, 1);
}

void rc_strbuf_printf(rc_strbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        rc_strbuf_append(b, small, (size_t)n);
        return;
    }
    if (!rc_strbuf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

const char *rc_strbuf_str(const rc_strbuf *b)
{
    return b->p != NULL ? b->p : "";
}

char *rc_strbuf_take(rc_strbuf *b)
{
    if (b->oom) {
        rc_strbuf_free(b);
        return NULL;
    }
    if (b->p == NULL && !rc_strbuf_reserve(b, 0)) {
        rc_strbuf_free(b);
        return NULL;
    }
    if (b->n == 0)
        b->p[0] = '\0';
    char *s = b->p;
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    b->oom = false;
    return s;
}

void rc_strbuf_reset(rc_strbuf *b)
{
    b->n = 0;
    if (b->p != NULL)
        b->p[0] = '\0';
}

void rc_strbuf_free(rc_strbuf *b)
{
    rc_free(b->p);
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    b->oom = false;
}

/* ---- Go strconv.Quote ---- */

/* Decodes one UTF-8 sequence as Go's utf8.DecodeRune does: returns the sequence length and the
 * rune, or 0 when s does not start with a valid sequence (overlong forms, surrogates, runes over
 * U+10FFFF and truncated sequences are all invalid). */
static size_t rc_utf8_decode(const unsigned char *s, size_t len, uint32_t *r)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *r = c;
        return 1;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        *r = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        *r = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        *r = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *r = (*r << 6) | (s[i] & 0x3F);
    }
    return n;
}

/* Code point ranges (inclusive) that Go's unicode.IsPrint rejects above U+009F: the space
 * separators (Zs, Zl, Zp), format characters (Cf), private use (Co) and noncharacters / large
 * unassigned blocks (Cn).
 *
 * APPROXIMATION: Go's table also rejects every other unassigned code point of its Unicode version.
 * We do not carry the full Unicode database; unassigned code points outside the ranges below are
 * treated as printable (printed raw instead of as \uNNNN). Every assigned code point in the
 * categories L, M, N, P, S is printable in both. The datadriven transcripts only use printable
 * ASCII, where the two agree exactly. */
static const uint32_t rc_nonprint[][2] = {
    {0x00A0, 0x00A0},   /* Zs no-break space */
    {0x00AD, 0x00AD},   /* Cf soft hyphen */
    {0x0600, 0x0605},   /* Cf Arabic number signs */
    {0x061C, 0x061C},   /* Cf Arabic letter mark */
    {0x06DD, 0x06DD},   /* Cf */
    {0x070F, 0x070F},   /* Cf */
    {0x0890, 0x0891},   /* Cf */
    {0x08E2, 0x08E2},   /* Cf */
    {0x1680, 0x1680},   /* Zs ogham space */
    {0x180E, 0x180E},   /* Cf Mongolian vowel separator */
    {0x2000, 0x200F},   /* Zs spaces, Cf ZW* and direction marks */
    {0x2028, 0x202F},   /* Zl, Zp, Cf embeddings, Zs narrow nbsp */
    {0x205F, 0x2064},   /* Zs, Cf invisible operators */
    {0x2065, 0x206F},   /* Cn, Cf */
    {0x3000, 0x3000},   /* Zs ideographic space */
    {0xD800, 0xF8FF},   /* surrogates (never valid UTF-8) and Co private use */
    {0xFDD0, 0xFDEF},   /* noncharacters */
    {0xFEFF, 0xFEFF},   /* Cf BOM */
    {0xFFF0, 0xFFFB},   /* Cn, Cf interlinear annotation */
    {0xFFFE, 0xFFFF},   /* noncharacters */
    {0x110BD, 0x110BD}, /* Cf */
    {0x110CD, 0x110CD}, /* Cf */
    {0x13430, 0x1343F}, /* Cf Egyptian format controls */
    {0x1BCA0, 0x1BCA3}, /* Cf shorthand format controls */
    {0x1D173, 0x1D17A}, /* Cf musical format controls */
    {0x40000, 0xDFFFF}, /* Cn planes 4..13 */
    {0xE0000, 0xE00FF}, /* Cf tags and unassigned */
    {0xE01F0, 0x10FFFF}, /* Cn, then Co planes 15..16 */
};

static bool rc_rune_is_print(uint32_t r)
{
    if (r < 0x80)
        return r >= 0x20 && r < 0x7F;
    if (r < 0xA0)
        return false; /* C1 controls */
    if ((r & 0xFFFE) == 0xFFFE)
        return false; /* U+xFFFE / U+xFFFF noncharacters in every plane */
    for (size_t i = 0; i < sizeof(rc_nonprint) / sizeof(rc_nonprint[0]); i++) {
        if (r < rc_nonprint[i][0])
            return true; /* table is sorted */
        if (r <= rc_nonprint[i][1])
            return false;
    }
    return true;
}

void rc_strbuf_quote(rc_strbuf *b, const unsigned char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    rc_strbuf_putc(b, '"');
    size_t i = 0;
    while (i < len) {
        uint32_t r;
        size_t w = rc_utf8_decode(data + i, len - i, &r);
        if (w == 0) {
            char esc[4] = {'\\', 'x', hex[data[i] >> 4], hex[data[i] & 0xF]};
            rc_strbuf_append(b, esc, 4);
            i++;
            continue;
        }
        if (r == '"' || r == '\\') {
            char esc[2] = {'\\', (char)r};
            rc_strbuf_append(b, esc, 2);
        } else if (rc_rune_is_print(r)) {
            rc_strbuf_append(b, (const char *)data + i, w);
        } else {
            switch (r) {
            case '\a': rc_strbuf_puts(b, "\\a"); break;
            case '\b': rc_strbuf_puts(b, "\\b"); break;
            case '\f': rc_strbuf_puts(b, "\\f"); break;
            case '\n': rc_strbuf_puts(b, "\\n"); break;
            case '\r': rc_strbuf_puts(b, "\\r"); break;
            case '\t': rc_strbuf_puts(b, "\\t"); break;
            case '\v': rc_strbuf_puts(b, "\\v"); break;
            default:
                if (r < 0x20 || r == 0x7F)
                    rc_strbuf_printf(b, "\\x%02x", (unsigned)r);
                else if (r < 0x10000)
                    rc_strbuf_printf(b, "\\u%04x", (unsigned)r);
                else
                    rc_strbuf_printf(b, "\\U%08x", (unsigned)r);
                break;
            }
        }
        i += w;
    }
    rc_strbuf_putc(b, '"');
}
