/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_config.c: the public config handle: options by key, logger and storage choice.
 */
#include <limits.h>
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"

RAFTC_API int raftc_config_new(raftc_config **out)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    raftc_config *cfg = rc_calloc(1, sizeof(*cfg));
    *out = cfg;
    if (cfg == NULL)
        return RAFTC_ENOMEM;
    cfg->c.election_tick = 10;
    cfg->c.heartbeat_tick = 1;
    cfg->c.max_size_per_msg = RC_NO_LIMIT;
    cfg->c.max_inflight_msgs = 256;
    cfg->c.read_only_option = RC_READ_ONLY_SAFE;
    return RAFTC_OK;
}

RAFTC_API void raftc_config_free(raftc_config *cfg)
{
    rc_free(cfg);
}

static bool is_bool_opt(int opt)
{
    switch (opt) {
    case RAFTC_OPT_CHECK_QUORUM:
    case RAFTC_OPT_PRE_VOTE:
    case RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING:
    case RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION:
    case RAFTC_OPT_STEP_DOWN_ON_REMOVAL:
    case RAFTC_OPT_ASYNC_STORAGE_WRITES:
        return true;
    default:
        return false;
    }
}

static bool *bool_field(rc_config *c, int opt)
{
    switch (opt) {
    case RAFTC_OPT_CHECK_QUORUM: return &c->check_quorum;
    case RAFTC_OPT_PRE_VOTE: return &c->pre_vote;
    case RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING: return &c->disable_proposal_forwarding;
    case RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION: return &c->disable_conf_change_validation;
    case RAFTC_OPT_STEP_DOWN_ON_REMOVAL: return &c->step_down_on_removal;
    case RAFTC_OPT_ASYNC_STORAGE_WRITES: return &c->async_storage_writes;
    default: return NULL;
    }
}

RAFTC_API int raftc_config_set_u64(raftc_config *cfg, raftc_option opt, uint64_t v)
{
    if (cfg == NULL)
        return RAFTC_EINVAL;
    rc_config *c = &cfg->c;
    if (is_bool_opt(opt)) {
        if (v > 1)
            return RAFTC_EINVAL;
        *bool_field(c, opt) = v != 0;
        return RAFTC_OK;
    }
    switch (opt) {
    case RAFTC_OPT_ID: c->id = v; break;
    case RAFTC_OPT_ELECTION_TICK:
        if (v > INT_MAX / 2)
            return RAFTC_EINVAL;
        c->election_tick = (int)v;
        break;
    case RAFTC_OPT_HEARTBEAT_TICK:
        if (v > INT_MAX / 2)
            return RAFTC_EINVAL;
        c->heartbeat_tick = (int)v;
        break;
    case RAFTC_OPT_APPLIED: c->applied = v; break;
    case RAFTC_OPT_MAX_SIZE_PER_MSG: c->max_size_per_msg = v; break;
    case RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY: c->max_committed_size_per_ready = v; break;
    case RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE: c->max_uncommitted_entries_size = v; break;
    case RAFTC_OPT_MAX_INFLIGHT_MSGS:
        if (v > INT32_MAX)
            return RAFTC_EINVAL;
        c->max_inflight_msgs = (size_t)v;
        break;
    case RAFTC_OPT_MAX_INFLIGHT_BYTES: c->max_inflight_bytes = v; break;
    case RAFTC_OPT_READ_ONLY_OPTION:
        if (v != RAFTC_READ_ONLY_SAFE && v != RAFTC_READ_ONLY_LEASE_BASED)
            return RAFTC_EINVAL;
        c->read_only_option = (rc_read_only_option)v;
        break;
    case RAFTC_OPT_RAND_SEED: c->rand_seed = v; break;
    default: return RAFTC_EINVAL;
    }
    return RAFTC_OK;
}

RAFTC_API int raftc_config_set_bool(raftc_config *cfg, raftc_option opt, int value)
{
    if (cfg == NULL || !is_bool_opt(opt))
        return RAFTC_EINVAL;
    *bool_field(&cfg->c, opt) = value != 0;
    return RAFTC_OK;
}

RAFTC_API int raftc_config_get_u64(uint64_t *value, const raftc_config *cfg, raftc_option opt)
{
    if (cfg == NULL || value == NULL)
        return RAFTC_EINVAL;
    const rc_config *c = &cfg->c;
    if (is_bool_opt(opt)) {
        *value = *bool_field((rc_config *)(uintptr_t)c, opt) ? 1 : 0;
        return RAFTC_OK;
    }
    switch (opt) {
    case RAFTC_OPT_ID: *value = c->id; break;
    case RAFTC_OPT_ELECTION_TICK: *value = (uint64_t)c->election_tick; break;
    case RAFTC_OPT_HEARTBEAT_TICK: *value = (uint64_t)c->heartbeat_tick; break;
    case RAFTC_OPT_APPLIED: *value = c->applied; break;
    case RAFTC_OPT_MAX_SIZE_PER_MSG: *value = c->max_size_per_msg; break;
    case RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY: *value = c->max_committed_size_per_ready; break;
    case RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE: *value = c->max_uncommitted_entries_size; break;
    case RAFTC_OPT_MAX_INFLIGHT_MSGS: *value = c->max_inflight_msgs; break;
    case RAFTC_OPT_MAX_INFLIGHT_BYTES: *value = c->max_inflight_bytes; break;
    case RAFTC_OPT_READ_ONLY_OPTION: *value = (uint64_t)c->read_only_option; break;
    case RAFTC_OPT_RAND_SEED: *value = c->rand_seed; break;
    default: return RAFTC_EINVAL;
    }
    return RAFTC_OK;
}

RAFTC_API int raftc_config_set_logger(raftc_config *cfg, raftc_log_fn fn, void *ud)
{
    if (cfg == NULL)
        return RAFTC_EINVAL;
    cfg->log_fn = fn;
    cfg->log_ud = ud;
    return RAFTC_OK;
}

RAFTC_API int raftc_config_set_memstorage(raftc_config *cfg, raftc_memstorage *ms)
{
    if (cfg == NULL || ms == NULL)
        return RAFTC_EINVAL;
    cfg->storage_kind = CAPI_STORAGE_MEM;
    cfg->ms = ms;
    cfg->ds = NULL;
    return RAFTC_OK;
}

RAFTC_API int raftc_config_set_diskstorage(raftc_config *cfg, raftc_diskstorage *ds)
{
    if (cfg == NULL || ds == NULL)
        return RAFTC_EINVAL;
    cfg->storage_kind = CAPI_STORAGE_DISK;
    cfg->ds = ds;
    cfg->ms = NULL;
    return RAFTC_OK;
}

RAFTC_API int raftc_config_set_storage_callbacks(raftc_config *cfg,
                                                 const raftc_storage_callbacks *cbs)
{
    if (cfg == NULL || cbs == NULL || cbs->struct_size < CAPI_STORAGE_CALLBACKS_V1_SIZE)
        return RAFTC_EINVAL;
    if (cbs->initial_state == NULL || cbs->entries == NULL || cbs->term == NULL ||
        cbs->first_index == NULL || cbs->last_index == NULL || cbs->snapshot == NULL)
        return RAFTC_EINVAL;
    /* only the host's struct_size bytes: later fields keep their defaults (zero) */
    memset(&cfg->cbs, 0, sizeof(cfg->cbs));
    memcpy(&cfg->cbs, cbs, cbs->struct_size < sizeof(cfg->cbs) ? cbs->struct_size : sizeof(cfg->cbs));
    cfg->cbs.struct_size = sizeof(cfg->cbs);
    cfg->storage_kind = CAPI_STORAGE_CALLBACKS;
    cfg->ms = NULL;
    cfg->ds = NULL;
    return RAFTC_OK;
}
