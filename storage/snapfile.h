/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * snapfile.h: snapshot files. dir/snap-<term:016x>-<index:016x>.snap holds
 *   "RAFTCSNP", u32 version (1), u32 crc32c of the body, u64 body length, body
 * where the body is the raftpb Snapshot. Written atomically (temp file, fsync, rename, fsync
 * the directory); a WAL SNAPSHOT record names the one recovery loads.
 */
#ifndef DS_SNAPFILE_H
#define DS_SNAPFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"
#include "vfs.h"

#define DS_SNAP_NAME_MAX 64

/* The file name of the snapshot (term, index) into out (DS_SNAP_NAME_MAX bytes). */
void ds_snap_name(char *out, uint64_t term, uint64_t index);
/* Whether name is a snapshot file name; fills term and index. */
bool ds_snap_parse_name(const char *name, uint64_t *term, uint64_t *index);

/* Writes s durably as its snapshot file (RC_ERR_IO / RC_ERR_NOMEM, text in err). */
int ds_snap_save(ds_vfs vfs, const char *dir, const rc_snapshot *s, char *err);
/* Reads the snapshot (term, index) into *out. RC_ERR_CORRUPT (naming the file) if it is
 * missing, truncated, fails its checksum, or holds another index or term. */
int ds_snap_load(ds_vfs vfs, const char *dir, uint64_t term, uint64_t index, rc_snapshot *out,
                 char *err);
/* The body check of ds_snap_load on a file's bytes (the fuzzer feeds it directly). */
int ds_snap_decode(const uint8_t *buf, size_t len, rc_snapshot *out);

#endif
