/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * datadriven.c: reader, runner, rewriter and differ for the datadriven format (HARNESS.md §1),
 * following cockroachdb/datadriven v1.0.2 (test_data_reader.go, line_parser.go, datadriven.go).
 *
 * The runner always builds the transcript that rewrite mode would write. On the first mismatch
 * it appends the rest of the file verbatim and prints a unified diff of the file against that
 * transcript, so the diff shows exactly the failing case.
 */
#include "datadriven.h"
#include "suite_util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

/* datadriven's emit(): the text plus a newline. */
static void dd_buf_emit(sbuf *b, const char *s)
{
    sbuf_puts(b, s);
    sbuf_putc(b, '\n');
}

static bool dd_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Go's strings.TrimSpace (ASCII whitespace) as [*start, *start + *len). */
static void dd_trim(const char *s, size_t n, const char **start, size_t *len)
{
    while (n > 0 && dd_is_space(*s)) {
        s++;
        n--;
    }
    while (n > 0 && dd_is_space(s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

static char *dd_trim_dup(const char *s)
{
    const char *t;
    size_t n;
    dd_trim(s, strlen(s), &t, &n);
    return su_strndup(t, n);
}

static bool dd_is_blank(const char *s)
{
    for (; *s; s++)
        if (!dd_is_space(*s))
            return false;
    return true;
}

/* ---- lines (bufio.ScanLines: split on LF, drop a CR before it, keep a last unterminated
 * line) ---- */

typedef struct dd_lines {
    char **v;
    size_t n;
} dd_lines;

static void dd_lines_split(dd_lines *l, const char *s, size_t len)
{
    size_t cap = 0;
    l->v = NULL;
    l->n = 0;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t e = end;
        if (e > i && s[e - 1] == '\r')
            e--;
        l->v = su_grow(l->v, &cap, l->n + 1, sizeof(char *));
        l->v[l->n++] = su_strndup(s + i, e - i);
        i = nl ? end + 1 : len;
    }
}

static void dd_lines_free(dd_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static bool dd_has_blank_line(const char *s)
{
    dd_lines l;
    dd_lines_split(&l, s, strlen(s));
    bool blank = false;
    for (size_t i = 0; i < l.n && !blank; i++)
        blank = dd_is_blank(l.v[i]);
    dd_lines_free(&l);
    return blank;
}

/* ---- directive parsing (line_parser.go ParseLine) ---- */

static void dd_directive_clear(dd_directive *d)
{
    free(d->cmd);
    for (size_t i = 0; i < d->n_args; i++) {
        free(d->args[i].key);
        for (size_t k = 0; k < d->args[i].n_vals; k++)
            free(d->args[i].vals[k]);
        free(d->args[i].vals);
    }
    free(d->args);
    free(d->input);
    d->cmd = NULL;
    d->args = NULL;
    d->n_args = 0;
    d->input = NULL;
}

static void dd_arg_push_val(dd_arg *a, const char *s, size_t n)
{
    a->vals = su_xrealloc(a->vals, (a->n_vals + 1) * sizeof(char *));
    a->vals[a->n_vals++] = su_strndup(s, n);
}

/* Parses a trimmed directive line into d->cmd/args. Returns 0, or -1 with *column set (1-based)
 * where parsing failed (unterminated '(' or an empty key). An empty line gives cmd NULL. */
static int dd_parse_line(dd_directive *d, const char *line, size_t *column)
{
    const char *orig = line;
    size_t len = strlen(line);
    const char *end = line + len;
    const char *p = line;
    d->cmd = NULL;
    if (len == 0)
        return 0;
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    const char *cmd_end = sp ? sp : end;
    if (cmd_end == p) {
        *column = 1;
        return -1;
    }
    d->cmd = su_strndup(p, (size_t)(cmd_end - p));
    p = cmd_end;
    while (p < end && dd_is_space(*p))
        p++;
    while (p < end) {
        const char *k = p;
        while (p < end && *p != ' ' && *p != '=')
            p++;
        if (p == k) {
            *column = (size_t)(p - orig) + 1;
            return -1;
        }
        d->args = su_xrealloc(d->args, (d->n_args + 1) * sizeof(dd_arg));
        dd_arg *a = &d->args[d->n_args++];
        a->key = su_strndup(k, (size_t)(p - k));
        a->vals = NULL;
        a->n_vals = 0;
        if (p < end && *p == '=') {
            p++;
            if (p == end || *p == ' ') {
                dd_arg_push_val(a, "", 0); /* key= : one empty value */
            } else if (*p != '(') {
                const char *v = p;
                while (p < end && *p != ' ')
                    p++;
                dd_arg_push_val(a, v, (size_t)(p - v));
            } else {
                /* key=(a, b(c, d), e): split at depth-1 commas; skip spaces after a comma. */
                const char *q = p + 1, *val = q;
                int depth = 1;
                while (depth > 0) {
                    if (q == end) {
                        *column = (size_t)(q - orig) + 1;
                        return -1;
                    }
                    if (*q == '(') {
                        depth++;
                    } else if (*q == ')') {
                        depth--;
                    } else if (*q == ',' && depth == 1) {
                        dd_arg_push_val(a, val, (size_t)(q - val));
                        while (q + 1 < end && q[1] == ' ')
                            q++;
                        val = q + 1;
                    }
                    q++;
                }
                dd_arg_push_val(a, val, (size_t)(q - 1 - val));
                p = q;
            }
        }
        while (p < end && dd_is_space(*p))
            p++;
    }
    return 0;
}

const dd_arg *dd_find_arg(const dd_directive *d, const char *key)
{
    for (size_t i = 0; i < d->n_args; i++)
        if (strcmp(d->args[i].key, key) == 0)
            return &d->args[i];
    return NULL;
}

/* ---- unified diff ---- */

typedef struct dd_op {
    char kind; /* ' ', '-', '+' */
    size_t a, b; /* line indexes (a for ' ' and '-', b for ' ' and '+') */
} dd_op;

/* Edit script turning a[] into b[]: common prefix/suffix, LCS in between (a plain replace
 * when the middle is too large for the quadratic table). */
static dd_op *dd_diff_ops(char **a, size_t na, char **b, size_t nb, size_t *nops)
{
    dd_op *ops = su_xrealloc(NULL, (na + nb + 1) * sizeof(dd_op));
    size_t n = 0, pre = 0, suf = 0;
    while (pre < na && pre < nb && strcmp(a[pre], b[pre]) == 0)
        pre++;
    while (suf < na - pre && suf < nb - pre && strcmp(a[na - 1 - suf], b[nb - 1 - suf]) == 0)
        suf++;
    for (size_t i = 0; i < pre; i++)
        ops[n++] = (dd_op){' ', i, i};
    size_t ma = na - pre - suf, mb = nb - pre - suf;
    if (ma > 0 && mb > 0 && (ma + 1) * (mb + 1) <= (size_t)16 << 20) {
        /* t[i][j] = LCS length of a[pre+i..pre+ma) and b[pre+j..pre+mb) */
        uint32_t *t = su_xrealloc(NULL, (ma + 1) * (mb + 1) * sizeof(uint32_t));
#define DD_T(i, j) t[(i) * (mb + 1) + (j)]
        for (size_t i = ma + 1; i-- > 0;) {
            for (size_t j = mb + 1; j-- > 0;) {
                if (i == ma || j == mb)
                    DD_T(i, j) = 0;
                else if (strcmp(a[pre + i], b[pre + j]) == 0)
                    DD_T(i, j) = DD_T(i + 1, j + 1) + 1;
                else
                    DD_T(i, j) = DD_T(i + 1, j) >= DD_T(i, j + 1) ? DD_T(i + 1, j) : DD_T(i, j + 1);
            }
        }
        size_t i = 0, j = 0;
        while (i < ma || j < mb) {
            if (i < ma && j < mb && strcmp(a[pre + i], b[pre + j]) == 0) {
                ops[n++] = (dd_op){' ', pre + i, pre + j};
                i++;
                j++;
            } else if (j == mb || (i < ma && DD_T(i + 1, j) >= DD_T(i, j + 1))) {
                ops[n++] = (dd_op){'-', pre + i, 0};
                i++;
            } else {
                ops[n++] = (dd_op){'+', 0, pre + j};
                j++;
            }
        }
#undef DD_T
        free(t);
    } else {
        for (size_t i = 0; i < ma; i++)
            ops[n++] = (dd_op){'-', pre + i, 0};
        for (size_t j = 0; j < mb; j++)
            ops[n++] = (dd_op){'+', 0, pre + j};
    }
    for (size_t i = 0; i < suf; i++)
        ops[n++] = (dd_op){' ', na - suf + i, nb - suf + i};
    *nops = n;
    return ops;
}

/* Writes a unified diff (3 lines of context) of a (expected) vs b (actual) to f. */
static void dd_print_diff(FILE *f, const char *name, char **a, size_t na, char **b, size_t nb)
{
    size_t nops;
    dd_op *ops = dd_diff_ops(a, na, b, nb, &nops);
    const size_t ctx = 3;
    fprintf(f, "--- %s (expected)\n+++ %s (actual)\n", name, name);
    size_t i = 0;
    while (i < nops) {
        while (i < nops && ops[i].kind == ' ')
            i++;
        if (i == nops)
            break;
        size_t start = i > ctx ? i - ctx : 0;
        /* extend while the next change is within 2*ctx equal lines */
        size_t end = i, last = i;
        while (end < nops) {
            if (ops[end].kind != ' ') {
                last = end;
            } else if (end - last > 2 * ctx) {
                break;
            }
            end++;
        }
        end = last + ctx + 1 < nops ? last + ctx + 1 : nops;
        size_t a0 = 0, b0 = 0, ac = 0, bc = 0;
        bool a_set = false, b_set = false;
        /* line numbers at the hunk start */
        size_t ai = 0, bi = 0;
        for (size_t k = 0; k < start; k++) {
            if (ops[k].kind != '+')
                ai++;
            if (ops[k].kind != '-')
                bi++;
        }
        for (size_t k = start; k < end; k++) {
            if (ops[k].kind != '+') {
                if (!a_set) {
                    a0 = ops[k].a;
                    a_set = true;
                }
                ac++;
            }
            if (ops[k].kind != '-') {
                if (!b_set) {
                    b0 = ops[k].b;
                    b_set = true;
                }
                bc++;
            }
        }
        /* An empty range names the line before it (diff -u convention). */
        fprintf(f, "@@ -%zu,%zu +%zu,%zu @@\n", a_set ? a0 + 1 : ai, ac, b_set ? b0 + 1 : bi, bc);
        for (size_t k = start; k < end; k++) {
            const char *s = ops[k].kind == '+' ? b[ops[k].b] : a[ops[k].a];
            fprintf(f, "%c%s\n", ops[k].kind, s);
        }
        i = end;
    }
    free(ops);
}

/* ---- the runner ---- */

typedef struct dd_reader {
    const char *path;
    dd_lines lines;
    size_t pos;     /* next line to read */
    sbuf out;     /* the rewrite transcript */
} dd_reader;

static const char *dd_next(dd_reader *r)
{
    if (r->pos >= r->lines.n)
        return NULL;
    return r->lines.v[r->pos++];
}

static void dd_fatalf(const dd_reader *r, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void dd_fatalf(const dd_reader *r, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", r->path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* test_data_reader.go readExpected. Returns 0 or -1 (harness error). */
static int dd_read_expected(dd_reader *r, sbuf *exp)
{
    const char *line = dd_next(r);
    if (line != NULL && strcmp(line, "----") == 0) {
        /* "----" "----" form: ends at a "----" "----" pair followed by a blank line. */
        while ((line = dd_next(r)) != NULL) {
            if (strcmp(line, "----") == 0) {
                const char *line2 = dd_next(r);
                if (line2 != NULL) {
                    if (strcmp(line2, "----") == 0) {
                        const char *after = dd_next(r);
                        if (after != NULL && after[0] != '\0') {
                            dd_fatalf(r, (int)r->pos,
                                      "non-blank line after end of double ---- separator section");
                            return -1;
                        }
                        break;
                    }
                    dd_buf_emit(exp, line);
                    line = line2;
                }
            }
            dd_buf_emit(exp, line);
        }
        return 0;
    }
    while (line != NULL && !dd_is_blank(line)) {
        dd_buf_emit(exp, line);
        line = dd_next(r);
    }
    return 0;
}

/* Appends the actual output as rewrite mode writes it. */
static void dd_emit_output(sbuf *out, const char *actual)
{
    dd_buf_emit(out, "----");
    if (dd_has_blank_line(actual)) {
        dd_buf_emit(out, "----");
        sbuf_puts(out, actual);
        dd_buf_emit(out, "----");
        dd_buf_emit(out, "----");
        dd_buf_emit(out, "");
    } else {
        dd_buf_emit(out, actual); /* actual ends in "\n" (or is empty): a blank line follows */
    }
}

/* At EOF, datadriven drops one of two final newlines (so a file ending in a blank line loses it,
 * and the blank line written after the last output disappears). */
static void dd_trim_final_newline(sbuf *b)
{
    if (b->n > 2 && b->p[b->n - 1] == '\n' && b->p[b->n - 2] == '\n')
        b->p[--b->n] = '\0';
}

static void dd_report_mismatch(dd_reader *r, const dd_directive *d, const char *directive_text)
{
    /* transcript so far + the unread rest of the file */
    for (size_t i = r->pos; i < r->lines.n; i++)
        dd_buf_emit(&r->out, r->lines.v[i]);
    dd_trim_final_newline(&r->out);
    dd_lines got;
    dd_lines_split(&got, r->out.p ? r->out.p : "", r->out.n);
    fprintf(stderr, "%s:%d: output mismatch for: %s\n", r->path, d->line, directive_text);
    dd_print_diff(stderr, r->path, r->lines.v, r->lines.n, got.v, got.n);
    dd_lines_free(&got);
}

static int dd_read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    sbuf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sbuf_append(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(b.p);
        return -1;
    }
    *data = b.p;
    *len = b.n;
    return 0;
}

/* The directive starting at the raw line just read, joined with its continuation lines (echoed
 * to the transcript) and trimmed: a heap string (free()). */
static char *dd_read_directive_text(dd_reader *r, const char *raw)
{
    const char *t;
    size_t tn;
    dd_trim(raw, strlen(raw), &t, &tn);
    sbuf text = {0};
    sbuf_append(&text, t, tn);
    /* Continuation: a trailing '\' joins the next (trimmed) line after one space. */
    while (text.n > 0 && text.p[text.n - 1] == '\\') {
        const char *next = dd_next(r);
        if (next == NULL)
            break;
        dd_buf_emit(&r->out, next);
        char *nt = dd_trim_dup(next);
        text.n--;
        sbuf_putc(&text, ' ');
        sbuf_puts(&text, nt);
        free(nt);
    }
    char *line_text = dd_trim_dup(text.p ? text.p : "");
    sbuf_free(&text);
    return line_text;
}

/* Runs the parsed directive d (its input and expected output still to be read). Returns 0
 * (matched, or rewrite mode), 1 (mismatch, reported) or 2 (harness error, reported). */
static int dd_run_directive(const dd_suite *suite, dd_reader *r, void *env, bool rewrite,
                            dd_directive *d, const char *line_text)
{
    /* input: every line up to "----" (taken literally) */
    sbuf input = {0};
    bool separator = false;
    const char *in;
    while ((in = dd_next(r)) != NULL) {
        if (strcmp(in, "----") == 0) {
            separator = true;
            break;
        }
        dd_buf_emit(&r->out, in);
        dd_buf_emit(&input, in);
    }
    d->input = dd_trim_dup(input.p ? input.p : "");
    sbuf_free(&input);

    sbuf expected = {0};
    if (separator && dd_read_expected(r, &expected) != 0) {
        sbuf_free(&expected);
        return 2;
    }

    char *fatal = NULL;
    char *actual = suite->handle(env, d, &fatal);
    if (actual == NULL) {
        dd_fatalf(r, d->line, "%s: %s", line_text, fatal ? fatal : "handler failed");
        free(fatal);
        sbuf_free(&expected);
        return 2;
    }
    free(fatal);
    size_t an = strlen(actual);
    if (an > 0 && actual[an - 1] != '\n') {
        actual = su_xrealloc(actual, an + 2);
        actual[an] = '\n';
        actual[an + 1] = '\0';
    }
    dd_emit_output(&r->out, actual);
    bool match = strcmp(expected.p ? expected.p : "", actual) == 0;
    free(actual);
    sbuf_free(&expected);
    if (!rewrite && !match) {
        dd_report_mismatch(r, d, line_text);
        return 1;
    }
    return 0;
}

/* Runs all directives. Returns 0 (all matched / rewritten), 1 (mismatch) or 2 (harness). */
static int dd_run(const dd_suite *suite, dd_reader *r, void *env, bool rewrite)
{
    const char *raw;
    int rc = 0;
    while (rc == 0 && (raw = dd_next(r)) != NULL) {
        int line_no = (int)r->pos;
        dd_buf_emit(&r->out, raw);
        const char *t;
        size_t tn;
        dd_trim(raw, strlen(raw), &t, &tn);
        if (tn > 0 && t[0] == '#')
            continue;
        char *line_text = dd_read_directive_text(r, raw);
        dd_directive d = {0};
        d.file = r->path;
        d.line = line_no;
        size_t column = 0;
        if (dd_parse_line(&d, line_text, &column) != 0) {
            dd_fatalf(r, line_no, "cannot parse directive at column %zu: %s", column, line_text);
            rc = 2;
        } else if (d.cmd != NULL) {
            rc = dd_run_directive(suite, r, env, rewrite, &d, line_text);
        }
        dd_directive_clear(&d);
        free(line_text);
    }
    return rc;
}

int dd_run_file(const dd_suite *suite, const char *path, bool rewrite, void *out_file)
{
    char *data = NULL;
    size_t len = 0;
    if (dd_read_file(path, &data, &len) != 0) {
        fprintf(stderr, "%s: cannot read file\n", path);
        return 2;
    }
    dd_reader r = {0};
    r.path = path;
    dd_lines_split(&r.lines, data, len);
    free(data);

    void *env = suite->env_new();
    if (env == NULL) {
        fprintf(stderr, "%s: cannot create the %s environment\n", path, suite->name);
        dd_lines_free(&r.lines);
        return 2;
    }
    int rc = dd_run(suite, &r, env, rewrite);
    suite->env_free(env);

    if (rc == 0 && rewrite) {
        dd_trim_final_newline(&r.out);
        FILE *f = out_file;
        if (f == NULL || (r.out.n > 0 && fwrite(r.out.p, 1, r.out.n, f) != r.out.n)) {
            fprintf(stderr, "%s: cannot write the rewritten transcript\n", path);
            rc = 2;
        }
    }
    free(r.out.p);
    dd_lines_free(&r.lines);
    return rc;
}
