/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_sm.c: the replicas' state machine and its snapshot data (sim_sm.h), shared by the
 * single-group and the multi-raft modes.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void sim_sm_clear(sim_sm *sm)
{
    sm->n = 0;
    sm->applied = 0;
    free(sm->conf_state);
    sm->conf_state = NULL;
    sm->conf_state_len = 0;
}

void sim_sm_free(sim_sm *sm)
{
    sim_sm_clear(sm);
    free(sm->pairs);
    sm->pairs = NULL;
    sm->cap = 0;
}

void sim_sm_push(sim_sm *sm, uint64_t index, uint64_t id)
{
    sim_grow((void **)&sm->pairs, &sm->cap, sm->n + 1, sizeof(sim_pair));
    sm->pairs[sm->n].index = index;
    sm->pairs[sm->n].id = id;
    sm->n++;
}

void sim_sm_set_conf_state(sim_sm *sm, const uint8_t *cs, size_t len)
{
    free(sm->conf_state);
    sm->conf_state = sim_xmalloc(len);
    memcpy(sm->conf_state, cs, len);
    sm->conf_state_len = len;
}

uint8_t *sim_sm_encode(const sim_sm *sm, size_t *len)
{
    *len = 16 + sm->n * 16;
    uint8_t *buf = sim_xmalloc(*len);
    uint64_t hdr[2] = {sm->applied, (uint64_t)sm->n};
    memcpy(buf, hdr, 16);
    if (sm->n > 0)
        memcpy(buf + 16, sm->pairs, sm->n * 16);
    return buf;
}

int sim_sm_restore(sim_sm *sm, const char *who, const uint8_t *snap, size_t snap_len)
{
    uint64_t index = 0, term = 0;
    raftc_sink_reset(S.sk_b);
    raftc_sink_reset(S.sk_c);
    int rc = raftc_snapshot_decode(&index, &term, S.sk_b, S.sk_c, snap, snap_len);
    if (rc != RAFTC_OK)
        return rc;
    sim_sm_clear(sm);
    sm->applied = index;
    sm->snap_index = index;
    const uint8_t *p;
    size_t n;
    if (raftc_sink_count(S.sk_b) > 0 && raftc_sink_get(&p, &n, S.sk_b, 0) == RAFTC_OK && n > 0)
        sim_sm_set_conf_state(sm, p, n);
    if (raftc_sink_count(S.sk_c) > 0 && raftc_sink_get(&p, &n, S.sk_c, 0) == RAFTC_OK && n > 0) {
        uint64_t hdr[2];
        if (n < 16)
            sim_fail("%s: snapshot %llu has malformed state machine data", who,
                     (unsigned long long)index);
        memcpy(hdr, p, 16);
        if (hdr[0] != index || n != 16 + hdr[1] * 16)
            sim_fail("%s: snapshot at index %llu carries state machine data of index %llu", who,
                     (unsigned long long)index, (unsigned long long)hdr[0]);
        for (uint64_t i = 0; i < hdr[1]; i++) {
            sim_pair pr;
            memcpy(&pr, p + 16 + i * 16, 16);
            sim_sm_push(sm, pr.index, pr.id);
        }
    } else if (index > 0) {
        sim_fail("%s: snapshot at index %llu has no state machine data", who,
                 (unsigned long long)index);
    }
    return RAFTC_OK;
}
