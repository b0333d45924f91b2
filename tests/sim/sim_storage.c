/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_storage.c: reading what a replica persisted (its raftc_memstorage: a node's storage, a
 * multi-raft replica's disk copy), for both modes.
 */
#include "sim.h"

int sim_storage_hard_state(raftc_memstorage *ms, uint64_t *term, uint64_t *vote, uint64_t *commit)
{
    raftc_sink_reset(S.sk_a);
    int rc = raftc_memstorage_initial_state(S.sk_a, NULL, ms);
    const uint8_t *hs;
    size_t len;
    if (rc == RAFTC_OK && raftc_sink_get(&hs, &len, S.sk_a, 0) == RAFTC_OK)
        raftc_hard_state_decode(term, vote, commit, hs, len);
    return rc;
}
