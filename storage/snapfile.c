/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * snapfile.c: snapshot files (format in snapfile.h).
 */
#include "snapfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "codec.h"
#include "crc32c.h"
#include "fsutil.h"

#define SNAP_MAGIC "RAFTCSNP"
#define SNAP_VERSION 1u
#define SNAP_HEADER 24

void ds_snap_name(char *out, uint64_t term, uint64_t index)
{
    snprintf(out, DS_SNAP_NAME_MAX, "snap-%016" PRIx64 "-%016" PRIx64 ".snap", term, index);
}

static bool parse_hex16(const char *s, uint64_t *v)
{
    uint64_t r = 0;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return false;
        r = r << 4 | (uint64_t)d;
    }
    *v = r;
    return true;
}

bool ds_snap_parse_name(const char *name, uint64_t *term, uint64_t *index)
{
    /* snap-<16>-<16>.snap */
    return strlen(name) == 5 + 16 + 1 + 16 + 5 && memcmp(name, "snap-", 5) == 0 &&
           name[21] == '-' && strcmp(name + 38, ".snap") == 0 && parse_hex16(name + 5, term) &&
           parse_hex16(name + 22, index);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int ds_snap_save(ds_vfs vfs, const char *dir, const rc_snapshot *s, char *err)
{
    uint8_t *body = NULL;
    size_t blen = 0;
    int rc = rc_encode_snapshot(&body, &blen, s);
    if (rc != RC_OK)
        return ds_errf(err, rc, "encode snapshot: %d", rc);
    uint8_t *file = rc_malloc(SNAP_HEADER + blen);
    if (file == NULL) {
        rc_free(body);
        return ds_errf(err, RC_ERR_NOMEM, "out of memory writing a snapshot");
    }
    memcpy(file, SNAP_MAGIC, 8);
    put_le(file + 8, SNAP_VERSION, 4);
    put_le(file + 12, ds_crc32c(0, body, blen), 4);
    put_le(file + 16, blen, 8);
    if (blen > 0)
        memcpy(file + SNAP_HEADER, body, blen);
    rc_free(body);
    char name[DS_SNAP_NAME_MAX];
    ds_snap_name(name, s->metadata.term, s->metadata.index);
    rc = ds_write_atomic(vfs, dir, name, file, SNAP_HEADER + blen, err);
    rc_free(file);
    return rc;
}

int ds_snap_decode(const uint8_t *buf, size_t len, rc_snapshot *out)
{
    memset(out, 0, sizeof(*out));
    if (len < SNAP_HEADER || memcmp(buf, SNAP_MAGIC, 8) != 0 ||
        get_le(buf + 8, 4) != SNAP_VERSION || get_le(buf + 16, 8) != len - SNAP_HEADER ||
        ds_crc32c(0, buf + SNAP_HEADER, len - SNAP_HEADER) != (uint32_t)get_le(buf + 12, 4))
        return RC_ERR_CORRUPT;
    int rc = rc_decode_snapshot(out, buf + SNAP_HEADER, len - SNAP_HEADER);
    return rc == RC_ERR_NOMEM ? rc : rc != RC_OK ? RC_ERR_CORRUPT : RC_OK;
}

int ds_snap_load(ds_vfs vfs, const char *dir, uint64_t term, uint64_t index, rc_snapshot *out,
                 char *err)
{
    memset(out, 0, sizeof(*out));
    char name[DS_SNAP_NAME_MAX], path[DS_PATH_MAX];
    ds_snap_name(name, term, index);
    if (ds_path(path, dir, name) != RC_OK)
        return ds_errf(err, RC_ERR_TOO_LARGE, "path too long in %s", dir);
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = ds_read_file(vfs, path, &buf, &len, err);
    if (rc == RC_ERR_IO)
        return ds_errf(err, RC_ERR_CORRUPT, "snapshot file %s named by the WAL is missing or "
                       "unreadable", path);
    if (rc != RC_OK)
        return rc;
    rc = ds_snap_decode(buf, len, out);
    rc_free(buf);
    if (rc == RC_OK && (out->metadata.index != index || out->metadata.term != term)) {
        rc_snapshot_free(out);
        rc = RC_ERR_CORRUPT;
    }
    if (rc == RC_ERR_CORRUPT)
        return ds_errf(err, rc, "corrupt snapshot file %s (offset 0)", path);
    return rc == RC_OK ? RC_OK : ds_errf(err, rc, "reading snapshot file %s failed", path);
}
