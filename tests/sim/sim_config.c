/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * sim_config.c: the raft options a run's seed decides, set on the config of every node
 * (sim_node.c) and every multi-raft host (sim_host.c) alike.
 */
#include "sim.h"

void sim_config_set_params(raftc_config *cfg, uint64_t id, uint32_t incarnation)
{
    raftc_config_set_u64(cfg, RAFTC_OPT_ELECTION_TICK, (uint64_t)S.p.election);
    raftc_config_set_u64(cfg, RAFTC_OPT_HEARTBEAT_TICK, (uint64_t)S.p.heartbeat);
    raftc_config_set_u64(cfg, RAFTC_OPT_MAX_SIZE_PER_MSG, S.p.max_size_per_msg);
    raftc_config_set_u64(cfg, RAFTC_OPT_MAX_INFLIGHT_MSGS, S.p.max_inflight);
    raftc_config_set_u64(cfg, RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY, S.p.max_committed_size);
    raftc_config_set_bool(cfg, RAFTC_OPT_CHECK_QUORUM, S.p.check_quorum);
    raftc_config_set_bool(cfg, RAFTC_OPT_PRE_VOTE, S.p.pre_vote);
    raftc_config_set_bool(cfg, RAFTC_OPT_STEP_DOWN_ON_REMOVAL, S.p.step_down_on_removal);
    raftc_config_set_u64(cfg, RAFTC_OPT_RAND_SEED,
                         S.opts.seed * 1000003ULL + id * 7919ULL + incarnation);
}
