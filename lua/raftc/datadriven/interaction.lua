-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- interaction.lua: the "interaction" datadriven suite (etcd's rafttest InteractionEnv,
-- HARNESS.md §2-§3) over the Lua binding, the twin of tests/conformance/interaction_*.c and
-- python/tests/datadriven/interaction.py. Nodes are raftc.RawNode over a MemoryStorage whose snapshot()
-- is overridden in Lua to return the History tip, so the Lua storage callback path is exercised.
-- Values whose exact bytes matter (conf changes, snapshots, message parts) are built with the
-- library's raftpb helpers, as the C driver builds them.
local raftc = require "raftc"
local core = require "raftc.core"
local errors = require "raftc.errors"
local gostr = require "raftc.datadriven.gostr"
local runner = require "raftc.datadriven.runner"
local storage_mod = require "raftc.storage"

local raftpb = raftc.raftpb
local B, K = core.B, core.K
local fatal, find_arg = runner.fatal, runner.find_arg
local MF = raftpb.MF

local LVL_NONE = 5
local LEVEL_NAMES = { [0] = "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE" }
local LOCAL_APPEND, LOCAL_APPLY = raftc.LOCAL_APPEND_THREAD, raftc.LOCAL_APPLY_THREAD

-- A command error: printed as etcd's harness prints errors.
local CmdError = {}
local function cmd_error(text) error(setmetatable({ text = text }, CmdError), 0) end
local function is_cmd_error(e) return getmetatable(e) == CmdError end

-- ---- messages in flight ----
local function new_msg(b)
    local rc, info = B.message_decode(b)
    core.check(rc)
    return { b = b, type = info[MF.TYPE], to = info[MF.TO], from = info[MF.FROM],
             term = info[MF.TERM], commit = info[MF.COMMIT], vote = info[MF.VOTE] }
end

local function is_local_target(id) return id == LOCAL_APPEND or id == LOCAL_APPLY end

-- etcd's rafttest isLocalMsg: never dropped.
local function is_local(m)
    return m.from == m.to or is_local_target(m.from) or is_local_target(m.to)
end

-- ---- History snapshots ----
local function snap_encode(s)
    return raftpb.encode_snapshot{ data = s.data, metadata = { index = s.index, term = s.term,
                                                               conf_state = s.cs } }
end

-- The storage callbacks storage-fail can name, and the MemoryStorage method of each.
local STORAGE_CALLS = { ["initial-state"] = "initial_state", entries = "entries", term = "term",
                        ["first-index"] = "first_index", ["last-index"] = "last_index",
                        snapshot = "snapshot" }

-- A disk storage for node n in n.disk_path (add-nodes disk-storage=true, raftc-only: see
-- interaction_disk.c): no fsync, since in one process a reopen reads what was written either way.
local function open_disk(n)
    return raftc.DiskStorage(n.disk_path, { sync = raftc.SyncNone })
end

-- Gives node n the storage st with the harness's overrides.
local function set_storage(n, st)
    n.storage = st
    local history, MS = n.history, storage_mod.MemoryStorage
    -- Every Storage method is overridden in Lua: the callbacks named by storage-fail raise a
    -- storage error, and Snapshot() returns the History tip (HARNESS.md §2.2).
    for call, method in pairs(STORAGE_CALLS) do
        st[method] = function(self, ...)
            if n.failing[call] then errors.raise(K("ESTORAGE"), "storage failure") end
            if method == "snapshot" then return snap_encode(history[#history]) end
            return MS[method](self, ...)
        end
    end
end

local function new_node(id, disk)
    local n = { id = id, history = {}, async = false, heartbeat_tick = 1, election_tick = 3,
                append_work = {}, apply_work = {}, failing = {}, cfg = nil, panic = nil }
    if disk then
        n.disk_path = os.tmpname() -- a fresh name; DiskStorage creates the directory
        os.remove(n.disk_path)
        set_storage(n, open_disk(n))
    else
        set_storage(n, raftc.MemoryStorage())
    end
    return n
end

-- Frees a disk node's storage and removes its directory.
local function remove_disk(n)
    if not n.disk_path then return end
    n.storage:close()
    os.execute("rm -rf '" .. n.disk_path .. "'")
end

-- ---- environment ----
local Env = {}
Env.__index = Env

local function new_env()
    local e = setmetatable({ nodes = {}, msgs = {}, lvl = 0 }, Env)
    e.root = {}
    e.out = e.root
    return e
end

function Env:close()
    for _, n in ipairs(self.nodes) do
        if n.rn then n.rn:close() end
        remove_disk(n)
    end
end

function Env:write(s)
    if self.lvl ~= LVL_NONE then self.out[#self.out + 1] = s end
end

-- The raft logger of node n: log(), recording n's first PANIC text (the failure text of a
-- failed node, as raftc_node_last_error gives it).
function Env:logger(n)
    return function(level, msg)
        if level > 4 and n.panic == nil then n.panic = msg end
        self:log(level, msg)
    end
end

-- A raft log line at level (0..4; above 4 = PANIC: printed as FATAL, the node is failed).
function Env:log(level, msg)
    local lvl = level
    if lvl > 4 then lvl = 4 end
    if lvl < 0 or self.lvl > lvl then return end
    local out = self.out
    out[#out + 1] = LEVEL_NAMES[lvl] .. " " .. msg
    if msg ~= "" and msg:sub(-1) ~= "\n" then out[#out + 1] = "\n" end
end

function Env:set_level(name)
    for i = 0, 5 do
        if LEVEL_NAMES[i]:lower() == name:lower() then
            self.lvl = i
            return
        end
    end
    cmd_error("log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]")
end

-- withIndent: runs fn capturing its output, then writes it indented by two spaces.
function Env:indented(fn)
    local orig = self.out
    self.out = {}
    local ok, e = pcall(fn)
    local captured = table.concat(self.out)
    self.out = orig
    local lines = {}
    for line in (captured .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end
    if lines[#lines] == "" then lines[#lines] = nil end
    for _, line in ipairs(lines) do
        if line:sub(-1) == "\r" then line = line:sub(1, -2) end
        orig[#orig + 1] = "  " .. line .. "\n"
    end
    if not ok then error(e, 0) end
end

-- ---- argument helpers ----
local function node_at(e, id)
    if id < 1 or id > #e.nodes then
        fatal(string.format("node %d does not exist (have %d nodes)", id, #e.nodes))
    end
    return e.nodes[id]
end

local function atoi(s)
    local v, err = gostr.atoi(s)
    if v == nil then fatal(err) end
    return v
end

local function scan_uint(s)
    local v, err = gostr.parse_uint(s)
    if v == nil then fatal(err) end
    return v
end

local function scan_bool(s)
    local v, err = gostr.parse_bool(s)
    if v == nil then fatal(err) end
    return v
end

local function first_node(e, d)
    if #d.args == 0 then fatal(d.cmd .. ": expected a node ID as the first argument") end
    return node_at(e, atoi(d.args[1].key))
end

local function node_ids(e, d)
    local ids = {}
    for _, a in ipairs(d.args) do
        if #a.vals == 0 then
            local id = atoi(a.key)
            node_at(e, id)
            ids[#ids + 1] = id
        end
    end
    return ids
end

-- The error of a call on a failed node (a NodeFailed error, or the storage failure that
-- failed it).
local function is_failure(r) return errors.is_error(r, "NodeFailedError") or errors.is_error(r, "StorageError") end
local function failed(n, r)
    cmd_error(string.format("node %d failed: %s", n.id, n.panic or r.message))
end

-- ia_check: a failed node and other raftc errors -> command error (plain errors ignored if
-- fatal_only).
local function check(n, fn, fatal_only)
    local ok, r = pcall(fn, n)
    if ok then return r end
    if is_failure(r) then failed(n, r) end
    if errors.is_error(r) then
        if fatal_only then return nil end
        cmd_error(r.message)
    end
    error(r, 0)
end

local function storage_call(n, what, fn)
    local ok, r = pcall(fn)
    if ok then return r end
    if errors.is_error(r, "NodeFailedError") then
        fatal(string.format("node %d: MemoryStorage.%s panicked", n.id, what))
    end
    if errors.is_error(r) then cmd_error(r.message) end
    error(r, 0)
end

-- ---- add-nodes ----
local function parse_add_opt(o, key, val)
    if key == "voters" then
        o.voters[#o.voters + 1] = scan_uint(val)
    elseif key == "learners" then
        o.learners[#o.learners + 1] = scan_uint(val)
    elseif key == "inflight" then
        o.max_inflight_msgs = atoi(val)
    elseif key == "index" then
        o.index = scan_uint(val)
        o.applied = o.index
    elseif key == "content" then
        o.content = val
    elseif key == "async-storage-writes" then
        o.async_storage_writes = scan_bool(val)
    elseif key == "prevote" then
        o.pre_vote = scan_bool(val)
    elseif key == "checkquorum" then
        o.check_quorum = scan_bool(val)
    elseif key == "max-committed-size-per-ready" then
        o.max_committed_size_per_ready = scan_uint(val)
    elseif key == "max-size-per-msg" then -- the project's options (tests/conformance/README.md)
        o.max_size_per_msg = scan_uint(val)
    elseif key == "max-uncommitted-entries-size" then
        o.max_uncommitted_entries_size = scan_uint(val)
    elseif key == "max-inflight-bytes" then
        o.max_inflight_bytes = scan_uint(val)
    elseif key == "disable-conf-change-validation" then
        o.disable_conf_change_validation = scan_bool(val)
    elseif key == "step-down-on-removal" then
        o.step_down_on_removal = scan_bool(val)
    elseif key == "disk-storage" then -- raftc-only (tests/conformance/README.md)
        o.disk_storage = scan_bool(val)
    elseif key == "read-only" then
        if val == "safe" then
            o.read_only_lease_based = false
        elseif val == "lease-based" then
            o.read_only_lease_based = true
        else
            cmd_error("invalid read-only option " .. gostr.quote(val))
        end
    end
end

-- ia_node_open: a raft node over n's storage with cfg (remembered in n.cfg).
local function open_node(n, cfg)
    n.cfg = cfg
    n.panic = nil
    local ok, rn = pcall(raftc.RawNode, cfg)
    if not ok then
        if errors.is_error(rn, "StorageError") then cmd_error("raft: initialization failed") end
        if errors.is_error(rn) then cmd_error(rn.message) end
        error(rn, 0)
    end
    n.rn = rn
end

local function add_node(e, o, bootstrap)
    local n = new_node(#e.nodes + 1, o.disk_storage)
    -- owned by the env from here (its close removes a disk node's directory)
    e.nodes[#e.nodes + 1] = n
    local ok, err = pcall(function()
        local snap = { data = o.content, index = o.index, term = 0,
                       cs = raftpb.encode_conf_state{ voters = o.voters, learners = o.learners } }
        n.history[1] = snap
        if bootstrap then
            if o.index <= 1 then cmd_error("index must be specified as > 1 due to bootstrap") end
            snap.term = 1
            storage_call(n, "ApplySnapshot", function() n.storage:apply_snapshot(snap_encode(snap)) end)
            local fi = n.storage:first_index()
            if fi ~= o.index + 1 then
                cmd_error(string.format("failed to establish first index %d; got %d", o.index + 1, fi))
            end
        end
        n.async = o.async_storage_writes
        open_node(n, {
            id = n.id, election_tick = n.election_tick, heartbeat_tick = n.heartbeat_tick,
            storage = n.storage, applied = o.applied, max_size_per_msg = o.max_size_per_msg,
            max_committed_size_per_ready = o.max_committed_size_per_ready,
            max_uncommitted_entries_size = o.max_uncommitted_entries_size,
            max_inflight_bytes = o.max_inflight_bytes,
            max_inflight_msgs = o.max_inflight_msgs, check_quorum = o.check_quorum,
            pre_vote = o.pre_vote,
            read_only_option = o.read_only_lease_based and raftc.ReadOnlyLeaseBased or raftc.ReadOnlySafe,
            disable_conf_change_validation = o.disable_conf_change_validation,
            step_down_on_removal = o.step_down_on_removal,
            async_storage_writes = o.async_storage_writes,
            logger = e:logger(n),
        })
    end)
    if not ok then
        e.nodes[#e.nodes] = nil
        remove_disk(n)
        error(err, 0)
    end
end

local function cmd_add_nodes(e, d)
    if #d.args == 0 then fatal("add-nodes: expected a node count") end
    local count = atoi(d.args[1].key)
    local o = { voters = {}, learners = {}, index = 0, content = "", applied = 0,
                max_size_per_msg = raftc.NO_LIMIT, max_uncommitted_entries_size = 0,
                max_inflight_bytes = 0,
                max_inflight_msgs = 2 ^ 31 - 1, max_committed_size_per_ready = 0,
                async_storage_writes = false, pre_vote = false, check_quorum = false,
                disable_conf_change_validation = false, step_down_on_removal = false,
                read_only_lease_based = false, disk_storage = false }
    if math.tointeger then o.max_inflight_msgs = math.tointeger(o.max_inflight_msgs) end
    for i = 2, #d.args do
        local a = d.args[i]
        for _, v in ipairs(a.vals) do parse_add_opt(o, a.key, v) end
    end
    local bootstrap = #o.voters > 0 or #o.learners > 0 or o.index ~= 0 or o.content ~= ""
    for _ = 1, count do add_node(e, o, bootstrap) end
end

-- ---- simple node actions ----
-- A command calling one RawNode method without arguments on its first argument's node.
local function node_method(method, fatal_only)
    return function(e, d)
        local n = first_node(e, d)
        check(n, function() n.rn[method](n.rn) end, fatal_only)
    end
end

local function cmd_propose(e, d)
    local n = first_node(e, d)
    if #d.args ~= 2 or #d.args[2].vals > 0 then fatal("expected exactly one key with no vals") end
    local data = d.args[2].key
    check(n, function() n.rn:propose(data) end)
end

local function tick_n(e, d, election)
    local n = first_node(e, d)
    for _ = 1, election and n.election_tick or n.heartbeat_tick do
        check(n, function() n.rn:tick() end, true)
    end
end

local function cmd_set_randomized_election_timeout(e, d)
    local n = first_node(e, d)
    local a = find_arg(d, "timeout")
    if a == nil or #a.vals ~= 1 then fatal("missing argument: timeout") end
    local t = atoi(a.vals[1])
    if t == 0 or t > 2 ^ 31 - 1 or t < -2 ^ 31 then fatal("timeout must be a non-zero int") end
    check(n, function() n.rn:_set_randomized_election_timeout(t) end)
end

local function scan_node_arg(e, d, key)
    local a = find_arg(d, key)
    if a == nil or #a.vals ~= 1 then fatal("missing argument: " .. key) end
    local v = scan_uint(a.vals[1])
    if v == 0 or v > #e.nodes then fatal(string.format("%s=%d is not a node", key, v)) end
    return v
end

local function cmd_transfer_leadership(e, d)
    local from = scan_node_arg(e, d, "from")
    local to = scan_node_arg(e, d, "to")
    local n = e.nodes[from]
    check(n, function() n.rn:transfer_leader(to) end, true)
end


local function cmd_report_unreachable(e, d)
    local ids = node_ids(e, d)
    if #ids ~= 2 then
        cmd_error("must specify exactly two node indexes: node on which to report, and reported node")
    end
    local n = e.nodes[ids[1]]
    check(n, function() n.rn:report_unreachable(ids[2]) end, true)
end

local function cmd_send_snapshot(e, d)
    local ids = node_ids(e, d)
    if #ids ~= 2 then fatal("send-snapshot: expected exactly two node IDs") end
    local from = e.nodes[ids[1]]
    local term = from.rn:basic_status().hard_state.term
    local b = raftpb.encode_message{ type = raftpb.MsgSnap, from = ids[1], to = ids[2], term = term,
                                     snapshot = snap_encode(from.history[#from.history]) }
    e.msgs[#e.msgs + 1] = new_msg(b)
    e:write(raftc.describe_message(b))
end

-- ---- propose-conf-change ----
local function cmd_propose_conf_change(e, d)
    local n = first_node(e, d)
    local v1 = false
    local transition = raftpb.ConfChangeTransitionAuto
    for i = 2, #d.args do
        local a = d.args[i]
        for _, val in ipairs(a.vals) do
            if a.key == "v1" then
                local b, err = gostr.parse_bool(val)
                if b == nil then cmd_error(err) end
                v1 = b
            elseif a.key == "transition" then
                if val == "auto" then
                    transition = raftpb.ConfChangeTransitionAuto
                elseif val == "implicit" then
                    transition = raftpb.ConfChangeTransitionJointImplicit
                elseif val == "explicit" then
                    transition = raftpb.ConfChangeTransitionJointExplicit
                else
                    cmd_error("unknown transition " .. val)
                end
            else
                cmd_error("unknown command " .. a.key)
            end
        end
    end
    local ccs, err = gostr.parse_changes(d.input)
    if ccs == nil then cmd_error(err) end
    local kind, b
    if v1 then
        if #ccs > 1 or transition ~= raftpb.ConfChangeTransitionAuto then
            cmd_error("v1 conf change can only have one operation and no transition")
        end
        if #ccs == 0 then fatal("v1 conf change without an operation (the Go harness crashes)") end
        kind, b = K("CC_V1"), raftpb.encode_conf_change(ccs[1])
    else
        kind, b = K("CC_V2"), raftpb.encode_conf_change_v2{ transition = transition, changes = ccs }
    end
    check(n, function() n.rn:_propose_conf_change_raw(kind, b) end)
end

-- ---- storage and state inspection ----
local function raft_log(e, n)
    local fi, li = n.storage:first_index(), n.storage:last_index()
    if li < fi then
        e:write(string.format("log is empty: first index=%d, last index=%d", fi, li))
        return
    end
    local ents = storage_call(n, "Entries", function()
        return storage_mod.MemoryStorage._entries_bytes(n.storage, fi, li + 1, raftc.NO_LIMIT)
    end)
    e:write(raftc.describe_entries(ents))
end

local function cmd_raft_log(e, d) raft_log(e, first_node(e, d)) end

local function cmd_compact(e, d)
    local n = first_node(e, d)
    if #d.args < 2 then fatal("compact: expected an index") end
    local idx, err = gostr.parse_uint(d.args[2].key)
    if idx == nil then cmd_error(err) end
    local ok, r = pcall(n.storage.compact, n.storage, idx)
    if not ok then
        if errors.is_error(r, "NodeFailedError") then
            fatal(string.format("compact %d is out of bound lastindex", idx))
        end
        if errors.is_error(r) then cmd_error(r.message) end
        error(r, 0)
    end
    raft_log(e, n)
end

local function cmd_raft_state(e, _)
    for _, n in ipairs(e.nodes) do
        local st = n.rn:basic_status()
        e:write(string.format("%d: %s %s Term:%d Lead:%d\n", st.id, raftc.state_type_name(st.raft_state),
                              st.is_voter and "(Voter)" or "(Non-Voter)", st.hard_state.term, st.lead))
    end
end

local function cmd_status(e, d)
    local n = first_node(e, d)
    e:write(check(n, function() return n.rn:progress_text() end))
end

-- ---- Ready handling and storage threads ----
local function process_append(_, n, term, vote, commit, ents, snap)
    if term ~= 0 or vote ~= 0 or commit ~= 0 then
        storage_call(n, "SetHardState", function()
            n.storage:set_hard_state{ term = term, vote = vote, commit = commit }
        end)
    end
    local snap_index = 0
    if snap ~= nil then
        local ok, s = pcall(raftpb.decode_snapshot, snap)
        if not ok then cmd_error(errors.is_error(s) and s.message or tostring(s)) end
        snap_index = s.metadata.index
    end
    if snap ~= nil and snap_index ~= 0 then
        if #ents > 0 then cmd_error("can't apply snapshot and entries at the same time") end
        storage_call(n, "ApplySnapshot", function() n.storage:apply_snapshot(snap) end)
        return
    end
    if #ents > 0 then storage_call(n, "Append", function() n.storage:append(ents) end) end
end

local function apply_entry(_, n, b)
    local ent = raftpb.decode_entry(b)
    local cs, update
    if ent.type == raftpb.EntryConfChange or ent.type == raftpb.EntryConfChangeV2 then
        local kind = ent.type == raftpb.EntryConfChange and K("CC_V1") or K("CC_V2")
        local ok, ctx = pcall(raftpb.conf_change_context, kind, ent.data)
        if not ok then cmd_error(errors.is_error(ctx) and ctx.message or tostring(ctx)) end
        update = ctx
        cs = check(n, function() return n.rn:_apply_conf_change(kind, ent.data) end)
    else
        update = ent.data
    end
    local prev = n.history[#n.history]
    n.history[#n.history + 1] = { data = prev.data .. update, index = ent.index, term = ent.term,
                                  cs = cs or prev.cs }
end

local function process_apply(e, n, ents)
    for _, b in ipairs(ents) do apply_entry(e, n, b) end
end

local function route(e, n, b)
    local m = new_msg(b)
    if not is_local_target(m.to) then
        e.msgs[#e.msgs + 1] = m
        return
    end
    if not n.async then fatal("unexpected local msg target") end
    if m.type == raftpb.MsgStorageAppend then
        n.append_work[#n.append_work + 1] = m
    elseif m.type == raftpb.MsgStorageApply then
        n.apply_work[#n.apply_work + 1] = m
    else
        fatal("unexpected message type " .. B.msg_type_name(m.type))
    end
end

local function process_ready(e, n)
    local rd, text
    check(n, function() rd, text = n.rn:_ready(true) end)
    e:write(text)
    if not n.async then
        local hs = rd.hard_state or { term = 0, vote = 0, commit = 0 }
        process_append(e, n, hs.term, hs.vote, hs.commit, rd.entry_bytes, rd.snapshot_bytes)
        process_apply(e, n, rd.committed_entry_bytes)
    end
    for _, b in ipairs(rd.message_bytes) do route(e, n, b) end
    if not n.async then check(n, function() n.rn:advance() end) end
end

local function process_thread(e, n, append)
    local q = append and n.append_work or n.apply_work
    if #q == 0 then
        e:write(append and "no append work to perform" or "no apply work to perform")
        return
    end
    local m = table.remove(q, 1)
    local ents, snap, resps, stripped = core.sink(), core.sink(), core.sink(), core.sink()
    local rc = B.message_decode_parts(ents, snap, resps, nil, m.b)
    if rc == 0 then rc = B.message_strip_responses(stripped, m.b) end
    if rc ~= 0 then fatal("undecodable storage message: " .. rc) end
    e:write("Processing:\n")
    e:write(raftc.describe_message(core.first(stripped)))
    e:write("\n")
    if append then
        process_append(e, n, m.term, m.vote, m.commit, core.items(ents),
                       B.sink_count(snap) > 0 and core.first(snap) or nil)
    else
        process_apply(e, n, core.items(ents))
    end
    e:write("Responses:\n")
    for _, b in ipairs(core.items(resps)) do
        e:write(raftc.describe_message(b))
        e:write("\n")
        e.msgs[#e.msgs + 1] = new_msg(b)
    end
end

local function for_each_node(e, d, header, fn)
    local ids = node_ids(e, d)
    for _, id in ipairs(ids) do
        local node = e.nodes[id]
        if #ids > 1 then
            e:write(string.format("> %d %s\n", id, header))
            e:indented(function() fn(e, node) end)
        else
            fn(e, node)
        end
    end
end

local function cmd_process_ready(e, d) for_each_node(e, d, "handling Ready", process_ready) end
local function cmd_process_append_thread(e, d)
    for_each_node(e, d, "processing append thread", function(e_, n) process_thread(e_, n, true) end)
end
local function cmd_process_apply_thread(e, d)
    for_each_node(e, d, "processing apply thread", function(e_, n) process_thread(e_, n, false) end)
end

-- ---- deliver-msgs and stabilize ----
local function split_msgs(e, to, typ, drop)
    local taken, keep = {}, {}
    for _, m in ipairs(e.msgs) do
        if m.to == to and not (drop and is_local(m)) and (typ < 0 or m.type == typ) then
            taken[#taken + 1] = m
        else
            keep[#keep + 1] = m
        end
    end
    e.msgs = keep
    return taken
end

local function step(e, n, m)
    local ok, r = pcall(n.rn.step, n.rn, m.b)
    if ok then return end
    if is_failure(r) then failed(n, r) end
    if errors.is_error(r) then
        e:write(r.message .. "\n")
        return
    end
    error(r, 0)
end

local function deliver(e, typ, recipients)
    local total = 0
    for _, rcp in ipairs(recipients) do
        local taken = split_msgs(e, rcp[1], typ, rcp[2])
        total = total + #taken
        for _, m in ipairs(taken) do
            if rcp[2] then e:write("dropped: ") end
            e:write(raftc.describe_message(m.b))
            e:write("\n")
            if not rcp[2] then
                if m.to < 1 or m.to > #e.nodes then
                    fatal(string.format("message to nonexistent node %d", m.to))
                end
                step(e, e.nodes[m.to], m)
            end
        end
    end
    return total
end

local function cmd_deliver_msgs(e, d)
    local typ = -1
    local rs = {}
    for _, a in ipairs(d.args) do
        if #a.vals == 0 then rs[#rs + 1] = { scan_uint(a.key), false } end
        for _, v in ipairs(a.vals) do
            if a.key == "drop" then
                local id = scan_uint(v)
                for _, r in ipairs(rs) do
                    if r[1] == id then fatal(string.format("can't both deliver and drop msgs to %d", id)) end
                end
                rs[#rs + 1] = { id, true }
            elseif a.key == "type" then
                local rc, t = B.msg_type_parse(v)
                if rc ~= 0 then fatal("unknown message type " .. v) end
                typ = t
            end
        end
    end
    if deliver(e, typ, rs) == 0 then e:write("no messages\n") end
end

local function stabilize_round(e, nodes)
    local busy = false
    for _, n in ipairs(nodes) do
        if n.rn:has_ready() then
            busy = true
            e:write(string.format("> %d handling Ready\n", n.id))
            e:indented(function() process_ready(e, n) end)
        end
    end
    for _, n in ipairs(nodes) do
        local any = false
        for _, m in ipairs(e.msgs) do
            if m.to == n.id then any = true break end
        end
        if any then
            busy = true
            e:write(string.format("> %d receiving messages\n", n.id))
            e:indented(function() deliver(e, -1, { { n.id, false } }) end)
        end
    end
    for _, n in ipairs(nodes) do
        if #n.append_work > 0 then
            busy = true
            e:write(string.format("> %d processing append thread\n", n.id))
            while #n.append_work > 0 do
                e:indented(function() process_thread(e, n, true) end)
            end
        end
    end
    for _, n in ipairs(nodes) do
        if #n.apply_work > 0 then
            busy = true
            e:write(string.format("> %d processing apply thread\n", n.id))
            while #n.apply_work > 0 do
                e:indented(function()
                    local ok, r = pcall(process_thread, e, n, false)
                    if not ok and not is_cmd_error(r) then error(r, 0) end -- plain errors ignored
                end)
            end
        end
    end
    return busy
end

local function cmd_stabilize(e, d)
    local ids = node_ids(e, d)
    local saved = e.lvl
    local ok, r = pcall(function()
        for _, a in ipairs(d.args) do
            if a.key == "log-level" then
                for _, v in ipairs(a.vals) do e:set_level(v) end
            end
        end
        local nodes = {}
        if #ids > 0 then
            for _, i in ipairs(ids) do nodes[#nodes + 1] = e.nodes[i] end
        else
            for _, n in ipairs(e.nodes) do nodes[#nodes + 1] = n end
        end
        while stabilize_round(e, nodes) do end
    end)
    e.lvl = saved
    if not ok then error(r, 0) end
end

local function cmd_log_level(e, d)
    if #d.args == 0 then fatal("log-level: expected a level") end
    e:set_level(d.args[1].key)
end

-- ---- the project's commands beyond etcd's harness (tests/conformance/README.md) ----

-- restart ID: the node's process crashes and restarts over its storage.
local function cmd_restart(e, d)
    local n = first_node(e, d)
    if n.rn then
        n.rn:close()
        n.rn = nil
    end
    n.append_work, n.apply_work = {}, {}
    local keep = {}
    for _, m in ipairs(e.msgs) do
        if not (m.to == n.id and (m.from == n.id or is_local_target(m.from))) then
            keep[#keep + 1] = m
        end
    end
    e.msgs = keep
    if n.disk_path then -- its memory is lost: reopen the directory
        n.storage:close()
        set_storage(n, open_disk(n))
        n.cfg.storage = n.storage
    end
    n.cfg.applied = n.history[#n.history].index
    open_node(n, n.cfg)
end

-- storage-fail ID [CALL...]: the named storage callbacks fail from now on.
local function cmd_storage_fail(e, d)
    local n = first_node(e, d)
    local calls = {}
    for i = 2, #d.args do
        local a = d.args[i]
        if STORAGE_CALLS[a.key] == nil or #a.vals > 0 then
            fatal("storage-fail: unknown storage call " .. a.key)
        end
        calls[a.key] = true
    end
    n.failing = calls
end

-- storage-snapshot ID: the snapshot the storage holds (not the History tip), with its data.
local function cmd_storage_snapshot(e, d)
    local n = first_node(e, d)
    local b = storage_mod.MemoryStorage._snapshot_bytes(n.storage)
    local ok, text = pcall(raftc.describe_snapshot, b)
    if not ok then cmd_error(errors.is_error(text) and text.message or tostring(text)) end
    e:write(text .. " Data:" .. gostr.quote(raftpb.decode_snapshot(b).data))
end

local function cmd_ready(e, d)
    local n = first_node(e, d)
    local text
    check(n, function() local _; _, text = n.rn:_ready(true) end)
    e:write(text)
end


-- step-bytes ID + hex input: steps the bytes as a raftpb Message.
local function cmd_step_bytes(e, d)
    local n = first_node(e, d)
    local digits = d.input:gsub("[ \t\n\r\v\f]", "")
    local bad = digits:match("[^0-9a-fA-F]")
    if bad then fatal("step-bytes: " .. bad .. " is not a hex digit") end
    if #digits % 2 == 1 then fatal("step-bytes: odd number of hex digits") end
    local b = digits:gsub("..", function(h) return string.char(tonumber(h, 16)) end)
    check(n, function() n.rn:step(b) end)
end

local COMMANDS = {
    ["advance"] = node_method("advance"),
    ["ready"] = cmd_ready,
    ["restart"] = cmd_restart,
    ["step-bytes"] = cmd_step_bytes,
    ["storage-fail"] = cmd_storage_fail,
    ["storage-snapshot"] = cmd_storage_snapshot,
    ["_breakpoint"] = function() end,
    ["add-nodes"] = cmd_add_nodes,
    ["campaign"] = node_method("campaign"),
    ["compact"] = cmd_compact,
    ["deliver-msgs"] = cmd_deliver_msgs,
    ["forget-leader"] = node_method("forget_leader", true),
    ["log-level"] = cmd_log_level,
    ["process-append-thread"] = cmd_process_append_thread,
    ["process-apply-thread"] = cmd_process_apply_thread,
    ["process-ready"] = cmd_process_ready,
    ["propose"] = cmd_propose,
    ["propose-conf-change"] = cmd_propose_conf_change,
    ["raft-log"] = cmd_raft_log,
    ["raft-state"] = cmd_raft_state,
    ["report-unreachable"] = cmd_report_unreachable,
    ["send-snapshot"] = cmd_send_snapshot,
    ["set-randomized-election-timeout"] = cmd_set_randomized_election_timeout,
    ["stabilize"] = cmd_stabilize,
    ["status"] = cmd_status,
    ["tick-election"] = function(e, d) tick_n(e, d, true) end,
    ["tick-heartbeat"] = function(e, d) tick_n(e, d, false) end,
    ["transfer-leadership"] = cmd_transfer_leadership,
}

local M = { name = "interaction" }

function M.new_env() return new_env() end

-- Runs one command: its output, or the command error's text; fatal for harness errors and raft
-- panics.
function M.handle(e, d)
    e.root = {}
    e.out = e.root
    local fn = COMMANDS[d.cmd]
    local ok, r = pcall(function()
        if fn == nil then cmd_error("unknown command") end
        fn(e, d)
    end)
    e.out = e.root
    local err, fatal_text
    if not ok then
        if is_cmd_error(r) then
            err = r.text
        elseif runner.is_fatal(r) then
            fatal_text = r.text
        else
            error(r, 0)
        end
    end
    if fatal_text ~= nil then
        local so_far = table.concat(e.root)
        fatal(fatal_text .. (so_far ~= "" and ("\noutput so far:\n" .. so_far) or ""))
    end
    if err ~= nil then
        if e.lvl == LVL_NONE then return err end
        e.root[#e.root + 1] = err
    end
    local text = table.concat(e.root)
    return text ~= "" and text or "ok"
end

return M
