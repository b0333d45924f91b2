/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_disk.c: the storage of a harness node, a memory storage or (add-nodes
 * disk-storage=true, raftc-only) raftc's DiskStorage in a temporary directory. A disk node's
 * reads go through the DiskStorage's in-memory copy like a memory node's; its writes go to the
 * disk; `restart` reopens the directory, so the new node sees only what was written there.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include "interaction.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sync policy of the harness's disk storages: in one process, what was written is what a
 * reopen reads whether or not it was fsynced, so the scenarios skip the fsyncs. */
#define IA_DISK_SYNC RAFTC_SYNC_NONE

static int disk_open(ia_env *e, ia_node *n) {
    raftc_diskstorage_options o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.sync_policy = IA_DISK_SYNC;
    char err[256] = "";
    int rc = raftc_diskstorage_open(&n->ds, err, sizeof err, n->disk_dir, &o);
    if (rc != RAFTC_OK)
        return ia_fatal(e, "node %llu: opening its disk storage: %s", (unsigned long long)n->id,
                        err[0] ? err : raftc_strerror(rc));
    rc = raftc_diskstorage_memstorage(&n->ms, n->ds);
    if (rc != RAFTC_OK)
        return ia_fatal(e, "raftc_diskstorage_memstorage: %s", raftc_strerror(rc));
    return IA_OK;
}

int ia_storage_open(ia_env *e, ia_node *n, const ia_node_cfg *cfg) {
    if (!cfg->disk_storage) {
        int rc = raftc_memstorage_new(&n->ms);
        return rc == RAFTC_OK ? IA_OK : ia_fatal(e, "raftc_memstorage_new: %s",
                                                 raftc_strerror(rc));
    }
    const char *tmp = getenv("TMPDIR");
    sbuf dir = {0};
    sbuf_puts(&dir, tmp && tmp[0] ? tmp : "/tmp");
    sbuf_puts(&dir, "/raftc-datadriven-XXXXXX");
    n->disk_dir = sbuf_take(&dir);
    if (mkdtemp(n->disk_dir) == NULL) {
        free(n->disk_dir);
        n->disk_dir = NULL;
        return ia_fatal(e, "node %llu: cannot create a directory for its disk storage",
                        (unsigned long long)n->id);
    }
    return disk_open(e, n);
}

int ia_storage_recover(ia_env *e, ia_node *n) {
    if (n->ds == NULL)
        return IA_OK;
    raftc_diskstorage_free(n->ds);
    n->ds = NULL;
    n->ms = NULL;
    return disk_open(e, n);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ia_storage_free(ia_node *n) {
    if (n->ds != NULL) {
        raftc_diskstorage_free(n->ds); /* n->ms is its borrowed copy */
    } else {
        raftc_memstorage_free(n->ms);
    }
    n->ds = NULL;
    n->ms = NULL;
    if (n->disk_dir != NULL) {
        nftw(n->disk_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
        free(n->disk_dir);
        n->disk_dir = NULL;
    }
}

int ia_storage_append(ia_node *n, const uint8_t *const *ents, const size_t *lens, size_t count) {
    return n->ds ? raftc_diskstorage_append(n->ds, ents, lens, count)
                 : raftc_memstorage_append(n->ms, ents, lens, count);
}

int ia_storage_set_hard_state(ia_node *n, uint64_t term, uint64_t vote, uint64_t commit) {
    if (n->ds == NULL)
        return raftc_memstorage_set_hard_state_fields(n->ms, term, vote, commit);
    raftc_sink *s = NULL;
    const uint8_t *b;
    size_t len;
    int rc = raftc_sink_new(&s);
    if (rc == RAFTC_OK)
        rc = raftc_hard_state_encode(s, term, vote, commit);
    if (rc == RAFTC_OK)
        rc = raftc_sink_get(&b, &len, s, 0);
    if (rc == RAFTC_OK)
        rc = raftc_diskstorage_set_hard_state(n->ds, b, len);
    raftc_sink_free(s);
    return rc;
}

int ia_storage_apply_snapshot(ia_node *n, const uint8_t *b, size_t len) {
    return n->ds ? raftc_diskstorage_apply_snapshot(n->ds, b, len)
                 : raftc_memstorage_apply_snapshot(n->ms, b, len);
}

int ia_storage_compact(ia_node *n, uint64_t index) {
    return n->ds ? raftc_diskstorage_compact(n->ds, index) : raftc_memstorage_compact(n->ms, index);
}
