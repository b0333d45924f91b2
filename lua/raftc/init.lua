-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- raftc: etcd's raft (go.etcd.io/raft/v3) in C, driven from Lua 5.4 (SWIG module) or LuaJIT /
-- OpenResty (FFI). Names follow pyraftc (docs/python.md, docs/lua.md):
--
--   local raftc = require "raftc"
--   local storage = raftc.MemoryStorage()
--   local node = raftc.RawNode{ id = 1, election_tick = 10, heartbeat_tick = 1, storage = storage }
--   node:bootstrap{ 1 }
--   node:campaign()
--   while node:has_ready() do
--       local rd = node:ready()
--       if rd.hard_state then storage:set_hard_state(rd.hard_state) end
--       storage:append(rd.entry_bytes)
--       -- send rd.messages (or rd.message_bytes), apply rd.committed_entries
--       node:advance(rd)
--   end
local core = require "raftc.core"
local describe = require "raftc.describe"
local errors = require "raftc.errors"
local node = require "raftc.node"
local raftpb = require "raftc.raftpb"
local storage = require "raftc.storage"
local tools = require "raftc.tools"

local B, K = core.B, core.K
local M = {
    raftpb = raftpb,
    tools = tools,
    backend = core.backend, -- "swig" or "ffi"
    _VERSION = "1.0.0",
    Error = errors.Error,
    is_error = errors.is_error,
    MemoryStorage = storage.new_memory_storage,
    Storage = storage.new_storage,
    DiskStorage = storage.new_disk_storage,
    SyncEach = K("SYNC_EACH"), SyncGroup = K("SYNC_GROUP"), SyncNone = K("SYNC_NONE"),
    RawNode = node.new,
    -- uint64 constants at or above 2^63, as their two's-complement Lua value (docs/lua.md)
    NO_LIMIT = -1,
    LOCAL_APPEND_THREAD = -1,
    LOCAL_APPLY_THREAD = -2,
    NONE = 0,
    -- etcd's StateType, tracker StateType, ReadOnlyOption, SnapshotStatus
    StateFollower = K("STATE_FOLLOWER"), StateCandidate = K("STATE_CANDIDATE"),
    StateLeader = K("STATE_LEADER"), StatePreCandidate = K("STATE_PRE_CANDIDATE"),
    StateProbe = K("PROGRESS_PROBE"), StateReplicate = K("PROGRESS_REPLICATE"),
    StateSnapshot = K("PROGRESS_SNAPSHOT"),
    ReadOnlySafe = K("READ_ONLY_SAFE"), ReadOnlyLeaseBased = K("READ_ONLY_LEASE_BASED"),
    SnapshotFinish = K("SNAPSHOT_FINISH"), SnapshotFailure = K("SNAPSHOT_FAILURE"),
    -- log levels passed to a logger(level, text)
    LOG_DEBUG = K("LOG_DEBUG"), LOG_INFO = K("LOG_INFO"), LOG_WARN = K("LOG_WARN"),
    LOG_ERROR = K("LOG_ERROR"), LOG_FATAL = K("LOG_FATAL"), LOG_PANIC = K("LOG_PANIC"),
}
for k, v in pairs(describe) do M[k] = v end

-- "MAJOR.MINOR.PATCH" and ABI major of the loaded C library.
function M.library_version() return B.version() end
function M.abi_version() return B.abi_version() end
-- etcd's names of node roles and progress states ("StateLeader", "StateProbe").
function M.state_type_name(s) return B.state_type_name(s) end
function M.progress_state_name(s) return B.progress_state_name(s) end

return M
