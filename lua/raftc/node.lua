-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- node.lua: raftc.RawNode (etcd's RawNode over raftc_node) and its Ready.
local core = require "raftc.core"
local errors = require "raftc.errors"
local num = require "raftc.num"
local raftpb = require "raftc.raftpb"
local storage_mod = require "raftc.storage"

local K, F, check = core.K, core.F, core.check
local M = {}

-- ---- Ready ----
local Ready = {}
M.Ready = Ready
local LAZY = {
    entries = function(rd) return raftpb.decode_entries(rd.entry_bytes) end,
    committed_entries = function(rd) return raftpb.decode_entries(rd.committed_entry_bytes) end,
    messages = function(rd)
        local out, bytes = {}, rd.message_bytes
        for i = 1, #bytes do out[i] = raftpb.decode_message(bytes[i]) end
        return out
    end,
    hard_state_bytes = function(rd)
        return rd.hard_state and raftpb.encode_hard_state(rd.hard_state) or false
    end,
}
-- entries, committed_entries, messages (tables) decode on first access from the *_bytes lists.
Ready.__index = function(rd, k)
    local f = LAZY[k]
    if f == nil then return Ready[k] end
    local v = f(rd)
    rawset(rd, k, v)
    return v
end

-- True if the Ready carries anything (etcd's containsUpdates).
function Ready:contains_updates()
    return self.soft_state ~= nil or self.hard_state ~= nil or #self.read_states > 0 or
        #self.entry_bytes > 0 or self.snapshot ~= nil or #self.committed_entry_bytes > 0 or
        #self.message_bytes > 0
end

local RD = {}
for _, f in ipairs({ "HAS_SOFT_STATE", "LEAD", "RAFT_STATE", "HAS_HARD_STATE", "TERM", "VOTE",
                     "COMMIT", "N_ENTRIES", "HAS_SNAPSHOT", "N_COMMITTED_ENTRIES", "N_MESSAGES",
                     "N_READ_STATES", "MUST_SYNC" }) do
    RD[f] = F("RD_" .. f)
end

local function build_ready(B, rd)
    local rc, info = B.ready_info(rd)
    check(rc)
    local r = { entry_bytes = {}, committed_entry_bytes = {}, message_bytes = {},
                read_states = {}, must_sync = info[RD.MUST_SYNC] ~= 0 }
    if info[RD.HAS_SOFT_STATE] ~= 0 then
        r.soft_state = { lead = info[RD.LEAD], raft_state = info[RD.RAFT_STATE] }
    end
    if info[RD.HAS_HARD_STATE] ~= 0 then
        r.hard_state = { term = info[RD.TERM], vote = info[RD.VOTE], commit = info[RD.COMMIT] }
    end
    local out, get = r.entry_bytes, B.ready_entry
    for i = 1, info[RD.N_ENTRIES] do
        rc, out[i] = get(rd, i - 1)
        check(rc)
    end
    out, get = r.committed_entry_bytes, B.ready_committed_entry
    for i = 1, info[RD.N_COMMITTED_ENTRIES] do
        rc, out[i] = get(rd, i - 1)
        check(rc)
    end
    out, get = r.message_bytes, B.ready_message
    for i = 1, info[RD.N_MESSAGES] do
        rc, out[i] = get(rd, i - 1)
        check(rc)
    end
    if info[RD.HAS_SNAPSHOT] ~= 0 then
        local b
        rc, b = B.ready_snapshot(rd)
        check(rc)
        r.snapshot_bytes = b
        r.snapshot = raftpb.decode_snapshot(b)
    end
    for i = 1, info[RD.N_READ_STATES] do
        local index, ctx
        rc, index, ctx = B.ready_read_state(rd, i - 1)
        check(rc)
        r.read_states[i] = { index = index, request_ctx = ctx }
    end
    return setmetatable(r, Ready)
end

-- ---- RawNode ----
local RawNode = {}
RawNode.__index = RawNode
M.RawNode = RawNode

-- Config fields: etcd's raft.Config in snake_case, with raftc's option keys.
local U64_OPTS = {
    id = "ID", election_tick = "ELECTION_TICK", heartbeat_tick = "HEARTBEAT_TICK",
    applied = "APPLIED", max_size_per_msg = "MAX_SIZE_PER_MSG",
    max_committed_size_per_ready = "MAX_COMMITTED_SIZE_PER_READY",
    max_uncommitted_entries_size = "MAX_UNCOMMITTED_ENTRIES_SIZE",
    max_inflight_msgs = "MAX_INFLIGHT_MSGS", max_inflight_bytes = "MAX_INFLIGHT_BYTES",
    read_only_option = "READ_ONLY_OPTION", rand_seed = "RAND_SEED",
}
local BOOL_OPTS = {
    check_quorum = "CHECK_QUORUM", pre_vote = "PRE_VOTE",
    disable_proposal_forwarding = "DISABLE_PROPOSAL_FORWARDING",
    disable_conf_change_validation = "DISABLE_CONF_CHANGE_VALIDATION",
    step_down_on_removal = "STEP_DOWN_ON_REMOVAL", async_storage_writes = "ASYNC_STORAGE_WRITES",
}
local LIMITS = { max_size_per_msg = true }

local function new_guard(fn)
    if newproxy then -- Lua 5.1 / LuaJIT: only userdata have __gc
        local p = newproxy(true)
        getmetatable(p).__gc = fn
        return p
    end
    return setmetatable({}, { __gc = fn })
end

-- raftc.RawNode{ id = 1, storage = raftc.MemoryStorage(), ... }: etcd's NewRawNode. Every etcd
-- Config field is accepted (snake_case) plus `logger` (function(level, text)) and `rand_seed`.
-- Raises ConfigError with etcd's text for an invalid configuration.
function M.new(cfg)
    if type(cfg) ~= "table" then errors.arg("RawNode needs a config table, got %s", type(cfg)) end
    for k in pairs(cfg) do
        if U64_OPTS[k] == nil and BOOL_OPTS[k] == nil and k ~= "storage" and k ~= "logger" then
            errors.arg("RawNode: unknown config field %s", tostring(k))
        end
    end
    local storage, logger = cfg.storage, cfg.logger
    if storage == nil then errors.raise(K("ECONFIG"), "storage cannot be nil") end
    if not storage_mod.is_storage(storage) then
        errors.arg("storage must be a raftc.MemoryStorage or raftc.Storage")
    end
    if logger ~= nil and type(logger) ~= "function" then
        errors.arg("logger must be a function(level, text)")
    end
    local plain = storage_mod.is_plain_memory(storage)
    local B = (plain and logger == nil) and core.B or core.safe
    local rc, c = B.config_new()
    check(rc)
    for field, opt in pairs(U64_OPTS) do
        local v = cfg[field]
        if v ~= nil then
            v = LIMITS[field] and num.limit(field, v) or num.uint(field, v)
            check(B.config_set_u64(c, K("OPT_" .. opt), v))
        end
    end
    for field, opt in pairs(BOOL_OPTS) do
        if cfg[field] ~= nil then
            check(B.config_set_u64(c, K("OPT_" .. opt), num.bool(field, cfg[field]) and 1 or 0))
        end
    end
    local state = { storage = storage, logger = logger, pending = nil }
    local hooks
    if plain and storage_mod.is_disk_storage(storage) then
        check(B.config_set_diskstorage(c, storage:_handle()))
    elseif plain then
        check(B.config_set_memstorage(c, storage._ms))
    end
    if logger ~= nil or not plain then
        hooks = B.hooks_new(storage_mod.dispatcher(state))
        check(B.config_set_hooks(c, hooks, logger ~= nil, not plain))
    end
    local node, err
    rc, node, err = B.node_new(c)
    B.config_free(c)
    if state.pending ~= nil then
        if hooks then B.hooks_free(hooks) end
        error(state.pending, 0)
    end
    if rc ~= 0 then
        if hooks then B.hooks_free(hooks) end
        errors.raise(rc, (err and err ~= "") and err or B.strerror(rc))
    end
    local self = setmetatable({ _h = node, _B = B, _state = state, _hooks = hooks,
                                storage = storage, id = cfg.id }, RawNode)
    if hooks then self._guard = new_guard(function() B.hooks_free(hooks) end) end
    return self
end

local function closed() errors.raise(K("ESTATE"), "raft node is closed") end

-- The error of a failed call (rc) or of a storage/logger callback that raised.
function RawNode:_fail(rc)
    local st = self._state
    local e = st.pending
    if e ~= nil then
        st.pending = nil
        if self._storage_failure == nil then
            self._storage_failure = "storage failure: " .. tostring(e)
        end
        error(e, 0)
    end
    if rc ~= 0 and rc < 0 then
        local text = self._B.node_last_error(self._h)
        errors.raise(rc, text ~= "" and text or self._B.strerror(rc))
    end
end

-- The handle for read-only inspection, which works on a failed node too.
function RawNode:_inspect()
    local h = self._h
    if h == nil then closed() end
    return h
end

function RawNode:_handle()
    local h = self._h
    if h == nil then closed() end
    if self._storage_failure then errors.raise(K("EFAILED"), self._storage_failure) end
    return h
end

local function call(self, fn, ...)
    local rc = fn(self:_handle(), ...)
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
end

-- Frees the C node (idempotent); later calls raise StateError.
function RawNode:close()
    local h = self._h
    if h == nil then return end
    self._h = nil
    self._B.node_free(h)
    if self._hooks then
        self._B.hooks_free(self._hooks)
        self._hooks = nil
    end
end

function RawNode:closed() return self._h == nil end

-- True once the node hit a broken invariant (etcd panics there); every call then raises.
function RawNode:failed()
    if self._h == nil then return false end
    return self._storage_failure ~= nil or self._B.node_is_failed(self._h) == 1
end

function RawNode:last_error()
    if self._h == nil then return "" end
    return self._storage_failure or self._B.node_last_error(self._h)
end

-- bootstrap(peers): peers are ids or { id = , context = } tables.
function RawNode:bootstrap(peers)
    num.list("peers", peers)
    local list = {}
    for i = 1, #peers do
        local p = peers[i]
        if type(p) == "table" then
            list[i] = { num.id("peers[" .. i .. "].id", p.id),
                        num.bytes("peers[" .. i .. "].context", p.context, true) }
        else
            list[i] = { num.id("peers[" .. i .. "]", p), "" }
        end
    end
    call(self, self._B.node_bootstrap, list)
end

function RawNode:tick() call(self, self._B.node_tick) end
function RawNode:campaign() call(self, self._B.node_campaign) end

function RawNode:propose(data)
    local h = self._h
    if h == nil or type(data) ~= "string" then
        if h == nil then closed() end
        num.bytes("data", data)
    end
    if self._storage_failure then self:_handle() end
    local rc = self._B.node_propose(h, data)
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
end

-- propose_list(list): the strings of list as one batch, etcd's Step of one MsgProp carrying
-- them all (appended or dropped together, in order); raises as propose.
function RawNode:propose_list(list)
    local h = self._h
    if h == nil then closed() end
    num.list("list", list)
    if #list == 0 then errors.arg("list must hold at least one string") end
    for i = 1, #list do num.bytes("list[" .. i .. "]", list[i]) end
    if self._storage_failure then self:_handle() end
    local rc = self._B.node_propose_list(h, list)
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
end

-- propose_conf_change(cc): a ConfChange or ConfChangeV2 table (see raftc.raftpb).
function RawNode:propose_conf_change(cc)
    local kind, b = raftpb.conf_change_kind(cc)
    call(self, self._B.node_propose_conf_change, kind, b)
end

function RawNode:_propose_conf_change_raw(kind, b)
    call(self, self._B.node_propose_conf_change, kind, b)
end

function RawNode:_apply_conf_change(kind, b)
    local s = core.sink()
    local rc = self._B.node_apply_conf_change(s, self:_handle(), kind, b)
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
    return core.first(s)
end

-- apply_conf_change(cc): applies a committed conf change; returns the new ConfState table.
function RawNode:apply_conf_change(cc)
    local kind, b = raftpb.conf_change_kind(cc)
    return raftpb.decode_conf_state(self:_apply_conf_change(kind, b))
end

-- apply_conf_change_entry(entry): the same for a committed EntryConfChange(V2) entry (a table
-- or its bytes).
function RawNode:apply_conf_change_entry(entry)
    if type(entry) == "string" then entry = raftpb.decode_entry(entry) end
    if type(entry) ~= "table" then errors.arg("entry must be an Entry table or bytes") end
    local kind
    if entry.type == raftpb.EntryConfChange then
        kind = K("CC_V1")
    elseif entry.type == raftpb.EntryConfChangeV2 then
        kind = K("CC_V2")
    else
        errors.arg("entry %s is not a conf change entry", tostring(entry.index))
    end
    return raftpb.decode_conf_state(self:_apply_conf_change(kind, entry.data or ""))
end

-- step(msg): a Message table or its raftpb bytes.
function RawNode:step(msg)
    local h = self._h
    if h == nil then closed() end
    if type(msg) ~= "string" then msg = raftpb.encode_message(msg) end
    if self._storage_failure then self:_handle() end
    local rc = self._B.node_step(h, msg)
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
end

function RawNode:has_ready()
    local h = self._h
    if h == nil then closed() end
    if self._storage_failure then return false end
    local r = self._B.node_has_ready(h)
    if self._state.pending ~= nil then self:_fail(0) end
    return r == 1
end

function RawNode:_ready(describe)
    local B = self._B
    local rc, rd = B.node_ready(self:_handle())
    if rc ~= 0 or self._state.pending ~= nil then self:_fail(rc) end
    local r = build_ready(B, rd)
    rawset(r, "_view", rd) -- for DiskStorage:save_ready, valid until advance / the next ready
    rawset(r, "_node", self)
    if describe then
        local text
        rc, text = B.ready_describe(rd)
        check(rc)
        return r, text
    end
    return r
end

-- ready(): etcd's RawNode.Ready, copied out of the node (valid forever).
function RawNode:ready() return self:_ready(false) end

-- advance([rd]): etcd's RawNode.Advance (rd is accepted for etcd compatibility).
function RawNode:advance(_) call(self, self._B.node_advance) end

local ST = {}
for _, f in ipairs({ "ID", "TERM", "VOTE", "COMMIT", "LEAD", "RAFT_STATE", "APPLIED",
                     "LEAD_TRANSFEREE", "IS_VOTER", "IS_LEARNER" }) do
    ST[f] = F("ST_" .. f)
end
local PR = {}
for _, f in ipairs({ "MATCH", "NEXT", "STATE", "PENDING_SNAPSHOT", "RECENT_ACTIVE", "PAUSED",
                     "IS_LEARNER", "INFLIGHT" }) do
    PR[f] = F("PR_" .. f)
end

-- basic_status(): etcd's BasicStatus (works on failed nodes).
function RawNode:basic_status()
    local h = self:_inspect()
    local rc, i = self._B.node_status_info(h)
    check(rc)
    return { id = i[ST.ID], hard_state = { term = i[ST.TERM], vote = i[ST.VOTE], commit = i[ST.COMMIT] },
             soft_state = { lead = i[ST.LEAD], raft_state = i[ST.RAFT_STATE] },
             lead = i[ST.LEAD], raft_state = i[ST.RAFT_STATE], applied = i[ST.APPLIED],
             lead_transferee = i[ST.LEAD_TRANSFEREE], is_voter = i[ST.IS_VOTER] ~= 0,
             is_learner = i[ST.IS_LEARNER] ~= 0 }
end

-- status(): basic_status plus config (etcd's Config.String()) and progress ({[id] = Progress},
-- leader only).
function RawNode:status()
    local st = self:basic_status()
    local B, h = self._B, self._h
    local rc, text = B.node_status_config(h)
    check(rc)
    st.config = text
    st.progress = {}
    local ids
    rc, ids = B.node_progress_ids(h)
    check(rc)
    for _, id in ipairs(ids) do
        local p
        rc, p = B.node_progress_info(h, id)
        check(rc)
        st.progress[id] = { match = p[PR.MATCH], next = p[PR.NEXT], state = p[PR.STATE],
                            pending_snapshot = p[PR.PENDING_SNAPSHOT],
                            recent_active = p[PR.RECENT_ACTIVE] ~= 0,
                            msg_app_flow_paused = p[PR.PAUSED] ~= 0,
                            is_learner = p[PR.IS_LEARNER] ~= 0, inflight = p[PR.INFLIGHT] }
    end
    return st
end

-- etcd's ProgressMap.String() ("" unless leader; works on a failed node too).
function RawNode:progress_text()
    local rc, text = self._B.node_status_progress(self:_inspect())
    check(rc)
    return text
end

function RawNode:conf_state()
    local s = core.sink()
    check(self._B.node_conf_state(s, self:_inspect()))
    return raftpb.decode_conf_state(core.first(s))
end

function RawNode:read_index(rctx) call(self, self._B.node_read_index, num.bytes("rctx", rctx)) end
function RawNode:transfer_leader(id)
    call(self, self._B.node_transfer_leader, num.id("transferee", id))
end
function RawNode:forget_leader() call(self, self._B.node_forget_leader) end
function RawNode:report_unreachable(id)
    call(self, self._B.node_report_unreachable, num.id("id", id))
end
-- report_snapshot(id, status): status raftc.SnapshotFinish or raftc.SnapshotFailure.
function RawNode:report_snapshot(id, status)
    id = num.id("id", id)
    call(self, self._B.node_report_snapshot, id,
         num.int("status", status, K("SNAPSHOT_FINISH"), K("SNAPSHOT_FAILURE")))
end
function RawNode:_set_randomized_election_timeout(t)
    t = num.int("timeout", t, -2 ^ 31, 2 ^ 31 - 1)
    -- raftc_testing_control; t <= 0 is refused with RAFTC_EINVAL
    call(self, self._B.testing_control, K("TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT"), t > 0 and t or 0)
end

return M
