/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * pb_locate.c: names the first framing problem in raftpb bytes (see pb_locate.h). The schema
 * tables list raftpb's field numbers (proto/raftpb.proto); unknown fields are skipped, as the
 * decoders do.
 */
#include "pb_locate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };
#define NO_CHILD (-1)
#define MAX_DEPTH 8

typedef struct pb_field {
    unsigned num;
    const char *name;
    int wire;   /* WT_VARINT or WT_LEN */
    int child;  /* rc_pb_kind of an embedded message, or NO_CHILD */
    bool repeated;
} pb_field;

typedef struct pb_schema {
    const char *name;
    const pb_field *fields;
    size_t n;
} pb_schema;

static const pb_field message_fields[] = {
    {1, "type", WT_VARINT, NO_CHILD, false},     {2, "to", WT_VARINT, NO_CHILD, false},
    {3, "from", WT_VARINT, NO_CHILD, false},     {4, "term", WT_VARINT, NO_CHILD, false},
    {5, "logTerm", WT_VARINT, NO_CHILD, false},  {6, "index", WT_VARINT, NO_CHILD, false},
    {7, "entries", WT_LEN, RC_PB_ENTRY, true},   {8, "commit", WT_VARINT, NO_CHILD, false},
    {9, "snapshot", WT_LEN, RC_PB_SNAPSHOT, false}, {10, "reject", WT_VARINT, NO_CHILD, false},
    {11, "rejectHint", WT_VARINT, NO_CHILD, false}, {12, "context", WT_LEN, NO_CHILD, false},
    {13, "vote", WT_VARINT, NO_CHILD, false},    {14, "responses", WT_LEN, RC_PB_MESSAGE, true},
};
static const pb_field entry_fields[] = {
    {1, "Type", WT_VARINT, NO_CHILD, false}, {2, "Term", WT_VARINT, NO_CHILD, false},
    {3, "Index", WT_VARINT, NO_CHILD, false}, {4, "Data", WT_LEN, NO_CHILD, false},
};
/* The metadata's own fields, addressed through kind -1 - RC_PB_SNAPSHOT (see schema_of). */
static const pb_field snapshot_fields[] = {
    {1, "data", WT_LEN, NO_CHILD, false}, {2, "metadata", WT_LEN, -2, false},
};
static const pb_field metadata_fields[] = {
    {1, "conf_state", WT_LEN, RC_PB_CONF_STATE, false}, {2, "index", WT_VARINT, NO_CHILD, false},
    {3, "term", WT_VARINT, NO_CHILD, false},
};
static const pb_field hard_state_fields[] = {
    {1, "term", WT_VARINT, NO_CHILD, false}, {2, "vote", WT_VARINT, NO_CHILD, false},
    {3, "commit", WT_VARINT, NO_CHILD, false},
};
static const pb_field conf_state_fields[] = {
    {1, "voters", WT_VARINT, NO_CHILD, true}, {2, "learners", WT_VARINT, NO_CHILD, true},
    {3, "voters_outgoing", WT_VARINT, NO_CHILD, true},
    {4, "learners_next", WT_VARINT, NO_CHILD, true}, {5, "auto_leave", WT_VARINT, NO_CHILD, false},
};
static const pb_field conf_change_fields[] = {
    {1, "type", WT_VARINT, NO_CHILD, false}, {2, "node_id", WT_VARINT, NO_CHILD, false},
    {3, "context", WT_LEN, NO_CHILD, false}, {4, "id", WT_VARINT, NO_CHILD, false},
};
static const pb_field conf_change_v2_fields[] = {
    {1, "transition", WT_VARINT, NO_CHILD, false}, {2, "changes", WT_LEN, -3, true},
    {3, "context", WT_LEN, NO_CHILD, false},
};
static const pb_field cc_single_fields[] = {
    {1, "type", WT_VARINT, NO_CHILD, false}, {2, "node_id", WT_VARINT, NO_CHILD, false},
};

#define SCHEMA(name, f) {name, f, sizeof(f) / sizeof(f[0])}

/* Kinds of the public enum, then the two message types only reached by nesting (-2, -3). */
static pb_schema schema_of(int kind)
{
    static const pb_schema by_kind[] = {
        SCHEMA("Message", message_fields),       SCHEMA("Entry", entry_fields),
        SCHEMA("Snapshot", snapshot_fields),     SCHEMA("HardState", hard_state_fields),
        SCHEMA("ConfState", conf_state_fields),  SCHEMA("ConfChange", conf_change_fields),
        SCHEMA("ConfChangeV2", conf_change_v2_fields),
    };
    static const pb_schema metadata = SCHEMA("SnapshotMetadata", metadata_fields);
    static const pb_schema single = SCHEMA("ConfChangeSingle", cc_single_fields);
    if (kind == -2)
        return metadata;
    if (kind == -3)
        return single;
    return by_kind[kind];
}

typedef struct walker {
    const uint8_t *base; /* start of the whole buffer, for absolute offsets */
    char *out;
    size_t size;
    char path[160];
} walker;

/* Reads a varint at *p (< end); false when truncated or longer than 10 bytes. */
static bool read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v, bool *too_long)
{
    uint64_t x = 0;
    *too_long = false;
    for (unsigned shift = 0, i = 0; *p < end; i++, shift += 7) {
        if (i == 10) {
            *too_long = true;
            return false;
        }
        uint8_t b = *(*p)++;
        x |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
        if ((b & 0x80) == 0) {
            *v = x;
            return true;
        }
    }
    return false;
}

static const pb_field *find_field(const pb_schema *s, unsigned num)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->fields[i].num == num)
            return &s->fields[i];
    return NULL;
}

/* The largest value of an enum field, 0 for other fields. */
static uint64_t enum_max(const pb_schema *s, const pb_field *f)
{
    if (f->num != 1 || f->wire != WT_VARINT)
        return 0;
    if (s->fields == message_fields)
        return 23; /* MsgForgetLeader */
    if (s->fields == entry_fields || s->fields == conf_change_v2_fields)
        return 2;
    if (s->fields == conf_change_fields || s->fields == cc_single_fields)
        return 3;
    return 0;
}

static const char *wire_name(unsigned wt)
{
    static const char *const names[8] = {"varint", "64-bit", "length-delimited", "group start",
                                         "group end", "32-bit", "6 (invalid)", "7 (invalid)"};
    return names[wt & 7];
}

/* Records the problem at p (absolute offset) under the current path; returns false. */
static bool problem(walker *w, const uint8_t *p, const char *field, const char *what)
{
    const char *dot = w->path[0] != '\0' && field[0] != '\0' ? "." : "";
    const char *space = w->path[0] != '\0' || field[0] != '\0' ? " " : "";
    snprintf(w->out, w->size, "%s%s%s%sat offset %zu: %s", w->path, dot, field, space,
             (size_t)(p - w->base), what);
    return false;
}

static bool walk(walker *w, int kind, const uint8_t *p, const uint8_t *end, int depth);

/* Walks one length-delimited embedded message of kind child, named name[index]. */
static bool walk_child(walker *w, const pb_field *f, size_t index, const uint8_t *p,
                       const uint8_t *end, int depth)
{
    size_t keep = strlen(w->path);
    if (f->repeated)
        snprintf(w->path + keep, sizeof(w->path) - keep, "%s%s[%zu]", keep ? "." : "", f->name, index);
    else
        snprintf(w->path + keep, sizeof(w->path) - keep, "%s%s", keep ? "." : "", f->name);
    bool ok = walk(w, f->child, p, end, depth + 1);
    w->path[keep] = '\0';
    return ok;
}

static bool walk(walker *w, int kind, const uint8_t *p, const uint8_t *end, int depth)
{
    pb_schema s = schema_of(kind);
    size_t counts[16] = {0};
    char what[160];
    if (depth > MAX_DEPTH)
        return problem(w, p, "", "messages nested too deeply");
    while (p < end) {
        const uint8_t *at = p;
        uint64_t tag = 0, v = 0;
        bool too_long = false;
        if (!read_varint(&p, end, &tag, &too_long))
            return problem(w, at, "", too_long ? "field tag varint longer than 10 bytes"
                                                : "field tag runs past the end");
        unsigned num = (unsigned)(tag >> 3), wt = (unsigned)(tag & 7);
        if (tag >> 3 == 0 || tag >> 3 > 536870911u) {
            snprintf(what, sizeof(what), "invalid field number %llu in a %s",
                     (unsigned long long)(tag >> 3), s.name);
            return problem(w, at, "", what);
        }
        const pb_field *f = find_field(&s, num);
        char fname[48];
        snprintf(fname, sizeof(fname), "%s", f != NULL ? f->name : "");
        if (f == NULL)
            snprintf(fname, sizeof(fname), "field %u", num);
        bool packed = f != NULL && f->repeated && f->wire == WT_VARINT && wt == WT_LEN;
        if (f != NULL && (int)wt != f->wire && !packed) {
            snprintf(what, sizeof(what), "wire type %s, want %s", wire_name(wt), wire_name((unsigned)f->wire));
            return problem(w, at, fname, what);
        }
        switch (wt) {
        case WT_VARINT:
            if (!read_varint(&p, end, &v, &too_long))
                return problem(w, at, fname, too_long ? "varint longer than 10 bytes"
                                                       : "varint runs past the end");
            if (f != NULL && enum_max(&s, f) != 0 && v > enum_max(&s, f)) {
                snprintf(what, sizeof(what), "value %llu is outside the enum (at most %llu)",
                         (unsigned long long)v, (unsigned long long)enum_max(&s, f));
                return problem(w, at, fname, what);
            }
            break;
        case WT_I64:
        case WT_I32: {
            size_t need = wt == WT_I64 ? 8 : 4;
            if ((size_t)(end - p) < need)
                return problem(w, at, fname, "fixed-width value runs past the end");
            p += need;
            break;
        }
        case WT_LEN: {
            if (!read_varint(&p, end, &v, &too_long))
                return problem(w, at, fname, too_long ? "length varint longer than 10 bytes"
                                                       : "length runs past the end");
            if (v > (uint64_t)(end - p)) {
                snprintf(what, sizeof(what), "length %llu runs past the end (%zu bytes left)",
                         (unsigned long long)v, (size_t)(end - p));
                return problem(w, at, fname, what);
            }
            const uint8_t *body = p, *body_end = p + v;
            p = body_end;
            if (packed) {
                while (body < body_end) {
                    const uint8_t *vat = body;
                    uint64_t x;
                    if (!read_varint(&body, body_end, &x, &too_long))
                        return problem(w, vat, fname, "packed varint runs past its field");
                }
            } else if (f != NULL && f->child != NO_CHILD) {
                size_t i = num < 16 ? counts[num] : 0;
                if (!walk_child(w, f, i, body, body_end, depth))
                    return false;
            }
            break;
        }
        default:
            snprintf(what, sizeof(what), "wire type %s", wire_name(wt));
            return problem(w, at, fname, what);
        }
        if (num < 16)
            counts[num]++;
    }
    return true;
}

const char *rc_pb_locate_error(rc_pb_kind kind, const uint8_t *buf, size_t len, char *out,
                               size_t size)
{
    if (size == 0)
        return out;
    char where[256];
    walker w = {buf, where, sizeof(where), ""};
    const char *name = schema_of((int)kind).name;
    if (buf == NULL || len == 0 || walk(&w, (int)kind, buf, buf + len, 0))
        snprintf(out, size, "malformed raftpb %s bytes (%zu bytes; the framing is sound, a value "
                 "is not)", name, len);
    else
        snprintf(out, size, "malformed raftpb %s bytes: %s", name, where);
    return out;
}
