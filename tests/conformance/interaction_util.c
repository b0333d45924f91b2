/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_util.c: the interaction driver's Go strconv parsing with Go's error texts (on top
 * of suite_util.h), and message header access.
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

/* ---- Go strconv ---- */

static char *strconv_err(const char *fn, const char *s, const char *what) {
    sbuf b = {0};
    sbuf_printf(&b, "strconv.%s: parsing ", fn);
    go_quote(&b, s);
    sbuf_printf(&b, ": %s", what);
    return sbuf_take(&b);
}

static const char *strconv_what(int code) {
    return code == 2 ? "value out of range" : "invalid syntax";
}

char *ia_parse_uint(const char *s, uint64_t *out) {
    uint64_t v;
    int code = go_parse_uint(s, &v);
    if (code != 0)
        return strconv_err("ParseUint", s, strconv_what(code));
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
    int code = go_parse_uint(p, &v);
    if (code == 0 && v > (uint64_t)INT64_MAX + (neg ? 1 : 0))
        code = 2;
    if (code != 0)
        return strconv_err("Atoi", s, strconv_what(code));
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return NULL;
}

char *ia_parse_bool(const char *s, bool *out) {
    return go_parse_bool(s, out) ? NULL : strconv_err("ParseBool", s, "invalid syntax");
}

/* ---- messages ---- */

int ia_msg_header(const uint8_t *b, size_t len, ia_msg_hdr *h) {
    uint64_t info[RAFTC_MF_COUNT] = {0};
    int rc = raftc_message_decode(info, RAFTC_MF_COUNT, b, len);
    h->type = (int)info[RAFTC_MF_TYPE];
    h->to = info[RAFTC_MF_TO];
    h->from = info[RAFTC_MF_FROM];
    h->term = info[RAFTC_MF_TERM];
    h->commit = info[RAFTC_MF_COMMIT];
    h->vote = info[RAFTC_MF_VOTE];
    return rc;
}
