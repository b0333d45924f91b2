-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- storage.lua: raftc.MemoryStorage (etcd's MemoryStorage, in C) and raftc.Storage (etcd's
-- Storage interface written in Lua), plus the dispatch function through which a node's C
-- callbacks reach them and the logger.
local core = require "raftc.core"
local errors = require "raftc.errors"
local num = require "raftc.num"
local raftpb = require "raftc.raftpb"

local B, K, check = core.B, core.K, core.check
local M = {}

local METHODS = { "initial_state", "entries", "term", "first_index", "last_index", "snapshot" }

-- ---- MemoryStorage ----
local MemoryStorage = {}
MemoryStorage.__index = MemoryStorage
M.MemoryStorage = MemoryStorage

local function ms_check(self, rc)
    if rc ~= 0 then
        local text = B.strerror(rc)
        if rc == K("EFAILED") then text = B.memstorage_last_error(self._ms) end
        errors.raise(rc, text)
    end
end

-- raftc.MemoryStorage(): an empty storage (first index 1, last index 0).
function M.new_memory_storage()
    local rc, ms = B.memstorage_new()
    check(rc)
    return setmetatable({ _ms = ms, _sink = core.sink() }, MemoryStorage)
end

-- Appends entries (Entry tables or encoded strings), truncating a conflicting tail.
function MemoryStorage:append(entries)
    ms_check(self, B.memstorage_append(self._ms, raftpb.encode_entries(entries)))
end

function MemoryStorage:set_hard_state(hs)
    ms_check(self, B.memstorage_set_hard_state(self._ms, raftpb.encode_hard_state(hs)))
end

function MemoryStorage:apply_snapshot(snap)
    ms_check(self, B.memstorage_apply_snapshot(self._ms, raftpb.encode_snapshot(snap)))
end

-- Makes a snapshot at index i (conf_state: ConfState table or bytes, data: string); returns it.
function MemoryStorage:create_snapshot(i, conf_state, data)
    local s = core.sink()
    ms_check(self, B.memstorage_create_snapshot(s, self._ms, num.uint("i", i),
                                                raftpb.encode_conf_state(conf_state),
                                                num.bytes("data", data, true)))
    return raftpb.decode_snapshot(core.first(s))
end

function MemoryStorage:compact(i)
    ms_check(self, B.memstorage_compact(self._ms, num.uint("compact_index", i)))
end

-- The Storage interface (each also has a raw form returning bytes, used by node callbacks).
function MemoryStorage:_initial_state_bytes()
    local hs, cs = core.sink(), core.sink()
    ms_check(self, B.memstorage_initial_state(hs, cs, self._ms))
    return core.first(hs), core.first(cs)
end
function MemoryStorage:initial_state()
    local hs, cs = MemoryStorage._initial_state_bytes(self)
    return raftpb.decode_hard_state(hs), raftpb.decode_conf_state(cs)
end
function MemoryStorage:_entries_bytes(lo, hi, max_size)
    local s = core.sink()
    ms_check(self, B.memstorage_entries(s, self._ms, lo, hi, max_size))
    return core.items(s)
end
function MemoryStorage:entries(lo, hi, max_size)
    return raftpb.decode_entries(MemoryStorage._entries_bytes(self, num.uint("lo", lo),
        num.uint("hi", hi), num.limit("max_size", max_size or -1)))
end
function MemoryStorage:term(i)
    local rc, t = B.memstorage_term(self._ms, num.uint("i", i))
    ms_check(self, rc)
    return t
end
function MemoryStorage:first_index()
    local rc, v = B.memstorage_first_index(self._ms)
    ms_check(self, rc)
    return v
end
function MemoryStorage:last_index()
    local rc, v = B.memstorage_last_index(self._ms)
    ms_check(self, rc)
    return v
end
function MemoryStorage:_snapshot_bytes()
    local s = core.sink()
    ms_check(self, B.memstorage_snapshot(s, self._ms))
    return core.first(s)
end
function MemoryStorage:snapshot() return raftpb.decode_snapshot(MemoryStorage._snapshot_bytes(self)) end

local DiskStorage = setmetatable({}, { __index = MemoryStorage })
DiskStorage.__index = DiskStorage
M.DiskStorage = DiskStorage

function M.is_memory_storage(s)
    local mt = getmetatable(s)
    return mt == MemoryStorage or mt == DiskStorage
end

function M.is_disk_storage(s) return getmetatable(s) == DiskStorage end

-- ---- DiskStorage ----
-- raftc.DiskStorage(path[, { segment_size = 0, sync = raftc.SyncEach, async_writes = false }]):
-- etcd's MemoryStorage
-- made durable (a write-ahead log and snapshot files in directory path, created if absent and
-- locked while open). Reads come from its in-memory copy, as MemoryStorage's; writes reach the
-- disk first (fsynced as the sync policy says). Errors: StorageLockedError, CorruptStorageError
-- (naming file and offset), StorageIOError; after an I/O error every write raises
-- NodeFailedError and nodes using it fail: reopen to recover. async_writes = true runs etcd's
-- async storage writes on a writer thread of the storage (see DiskStorage:submit).
function M.new_disk_storage(path, opts)
    num.bytes("path", path)
    opts = opts or {}
    if type(opts) ~= "table" then errors.arg("DiskStorage options must be a table") end
    for k in pairs(opts) do
        if k ~= "segment_size" and k ~= "sync" and k ~= "async_writes" then
            errors.arg("DiskStorage: unknown option %s", tostring(k))
        end
    end
    local rc, ds, err = B.diskstorage_open(path, num.uint("segment_size", opts.segment_size or 0),
        num.int("sync", opts.sync or K("SYNC_EACH"), K("SYNC_EACH"), K("SYNC_NONE")),
        opts.async_writes and 1 or 0)
    if rc ~= 0 then errors.raise(rc, (err and err ~= "") and err or B.strerror(rc)) end
    local ms
    rc, ms = B.diskstorage_memstorage(ds)
    check(rc)
    return setmetatable({ _ds = ds, _ms = ms, path = path }, DiskStorage)
end

function DiskStorage:_handle()
    if self._ds == nil then errors.raise(K("ESTATE"), "storage is closed") end
    return self._ds
end

local function ds_check(self, rc)
    if rc ~= 0 then
        local text = self._ds and B.diskstorage_last_error(self._ds) or ""
        errors.raise(rc, text ~= "" and text or B.strerror(rc))
    end
end

function DiskStorage:append(entries)
    ds_check(self, B.diskstorage_append(self:_handle(), raftpb.encode_entries(entries)))
end
function DiskStorage:set_hard_state(hs)
    ds_check(self, B.diskstorage_set_hard_state(self:_handle(), raftpb.encode_hard_state(hs)))
end
function DiskStorage:apply_snapshot(snap)
    ds_check(self, B.diskstorage_apply_snapshot(self:_handle(), raftpb.encode_snapshot(snap)))
end
function DiskStorage:create_snapshot(i, conf_state, data)
    local s = core.sink()
    ds_check(self, B.diskstorage_create_snapshot(s, self:_handle(), num.uint("i", i),
                                                 raftpb.encode_conf_state(conf_state),
                                                 num.bytes("data", data, true)))
    return raftpb.decode_snapshot(core.first(s))
end
function DiskStorage:compact(i)
    ds_check(self, B.diskstorage_compact(self:_handle(), num.uint("compact_index", i)))
end
-- Makes every write so far durable (the group commit point of raftc.SyncGroup).
function DiskStorage:sync() ds_check(self, B.diskstorage_sync(self:_handle())) end
-- Persists a Ready's HardState, entries and snapshot in one call (fsynced when MustSync), while
-- the Ready is the node's current one (before advance); then its messages may be sent.
function DiskStorage:save_ready(rd)
    local node = rd._node
    if node == nil or node:closed() then errors.raise(K("ESTATE"), "the Ready's node is closed") end
    ds_check(self, B.diskstorage_save_ready(self:_handle(), rd._view))
end
-- Async storage writes (async_writes = true; docs/storage.md): queues a MsgStorageAppend
-- addressed to raftc.LOCAL_APPEND_THREAD (raftpb bytes or a message table) for the writer
-- thread, instead of persisting it. The appends, HardStates and snapshots of the application
-- then raise StateError (create_snapshot, compact and sync stay allowed), and this storage's
-- own reads may only be used while stat("pending") is 0.
function DiskStorage:submit(msg)
    if type(msg) ~= "string" then msg = raftpb.encode_message(msg) end
    ds_check(self, B.diskstorage_submit(self:_handle(), msg))
end
-- Waits up to timeout seconds (0 or nil: not at all; negative: until something completes)
-- while submitted messages are pending; returns the responses of every message persisted
-- since the last call, in order, as a list of { to = id, msg = raftpb bytes } (step those
-- addressed to the node, send the others), and how many messages were persisted.
function DiskStorage:take_responses(timeout)
    timeout = timeout or 0
    local ms = timeout < 0 and -1 or math.min(math.floor(timeout * 1000), 2147483647)
    local s = core.sink()
    local rc, done = B.diskstorage_take_responses(s, self:_handle(), ms)
    ds_check(self, rc)
    local out = {}
    for i, b in ipairs(core.items(s)) do
        local drc, info = B.message_decode(b)
        check(drc)
        out[i] = { to = info[K("MF_TO") + 1], msg = b }
    end
    return out, done
end

local STATS = { bytes_written = "DS_BYTES_WRITTEN", torn_bytes = "DS_TORN_BYTES", failed = "DS_FAILED",
                pending = "DS_PENDING" }
-- A counter: "bytes_written", "torn_bytes" (cut off when opening), "failed" (1 once failed) or
-- "pending" (messages submitted to the writer thread, not yet persisted).
function DiskStorage:stat(key)
    local k = STATS[key]
    if not k then errors.arg("unknown stat %s", tostring(key)) end
    local rc, v = B.diskstorage_stat(self:_handle(), K(k))
    ds_check(self, rc)
    return v
end
-- Writes out buffered records, unlocks the directory and frees the storage (idempotent). Close
-- the nodes using it first.
function DiskStorage:close()
    local ds = self._ds
    if ds == nil then return end
    self._ds, self._ms = nil, nil
    B.diskstorage_free(ds)
end

-- ---- Storage written in Lua ----
local Storage = {}
M.Storage = Storage

-- raftc.Storage(impl): marks impl (a table with the six methods of etcd's Storage, possibly
-- inherited through its own metatable) as a storage a RawNode can use; returns impl.
function M.new_storage(impl)
    if type(impl) ~= "table" then errors.arg("raftc.Storage needs a table, got %s", type(impl)) end
    for _, name in ipairs(METHODS) do
        if type(impl[name]) ~= "function" then
            errors.arg("raftc.Storage: method %s is missing", name)
        end
    end
    rawset(impl, "__raftc_storage", true)
    return impl
end

function M.is_storage(s)
    return type(s) == "table" and (M.is_memory_storage(s) or s.__raftc_storage == true)
end

-- True if s is a MemoryStorage none of whose Storage methods is overridden: the node then
-- reads it in C without any callback.
function M.is_plain_memory(s)
    if not M.is_memory_storage(s) then return false end
    for _, name in ipairs(METHODS) do
        if rawget(s, name) ~= nil then return false end
    end
    return true
end

-- ---- callback dispatch ----
local SOFT = { [K("ECOMPACTED")] = true, [K("EUNAVAILABLE")] = true,
               [K("ESNAP_TEMP_UNAVAILABLE")] = true }
local ESTORAGE = K("ESTORAGE")

-- The code a callback returns for a Lua error e; anything but etcd's soft storage errors is a
-- storage failure, remembered in state.pending (the first) to be raised by the node call.
local function failure(state, e)
    if errors.is_error(e) and SOFT[e.code] then return e.code end
    if state.pending == nil then state.pending = e end
    if errors.is_error(e) and e.code < 0 then return e.code end
    return ESTORAGE
end

local function direct(storage, name)
    return M.is_memory_storage(storage) and rawget(storage, name) == nil
end

local HANDLERS = {
    initial_state = function(st)
        if direct(st, "initial_state") then return 0, st:_initial_state_bytes() end
        local hs, cs = st:initial_state()
        return 0, raftpb.encode_hard_state(hs or ""), raftpb.encode_conf_state(cs)
    end,
    entries = function(st, lo, hi, max_size)
        if direct(st, "entries") then return 0, st:_entries_bytes(lo, hi, max_size) end
        return 0, raftpb.encode_entries(st:entries(lo, hi, max_size), "Storage:entries()")
    end,
    term = function(st, i)
        if direct(st, "term") then return 0, MemoryStorage.term(st, i) end
        return 0, num.uint("Storage:term()", st:term(i))
    end,
    first_index = function(st)
        if direct(st, "first_index") then return 0, MemoryStorage.first_index(st) end
        return 0, num.uint("Storage:first_index()", st:first_index())
    end,
    last_index = function(st)
        if direct(st, "last_index") then return 0, MemoryStorage.last_index(st) end
        return 0, num.uint("Storage:last_index()", st:last_index())
    end,
    snapshot = function(st)
        if direct(st, "snapshot") then return 0, st:_snapshot_bytes() end
        return 0, raftpb.encode_snapshot(st:snapshot())
    end,
}

-- The dispatch function of a node: state = { storage = , logger = , pending = nil }.
-- dispatch(kind, ...) returns rc and the callback's results (see raftc.backend.ffi).
function M.dispatcher(state)
    return function(kind, a, b, c)
        if kind == "log" then
            local ok, e = pcall(state.logger, a, b)
            if not ok and state.pending == nil then state.pending = e end
            return 0
        end
        local ok, rc, r1, r2 = pcall(HANDLERS[kind], state.storage, a, b, c)
        if not ok then return failure(state, rc) end
        return rc, r1, r2
    end
end

return M
