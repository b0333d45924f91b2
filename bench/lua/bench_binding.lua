-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- bench_binding.lua: the cost of driving raftc from Lua (docs/performance.md): ns per call for
-- has_ready, step and propose on a 3-node leader, beside the runtime's raw call floor (the
-- cheapest C function through the same backend) and the raw has_ready (the backend call without
-- the Lua API around it); entries/s through an in-process 1-node and 3-node cluster. The twin of
-- bench/python/bench_binding.py.
--   tools/lua-run.sh lua5.4 swig bench/lua/bench_binding.lua [--quick]
--   tools/lua-run.sh luajit ffi  bench/lua/bench_binding.lua [--quick]    (luajit -joff ...: JIT off)
local raftc = require "raftc"
local core = require "raftc.core"

local pb = raftc.raftpb
local quick = arg and arg[1] == "--quick"
local N = quick and 200000 or 2000000
local clock = os.clock

local function make_cluster(ids)
    local nodes, storages = {}, {}
    local peers = {}
    for i, id in ipairs(ids) do peers[i] = id end
    for _, id in ipairs(ids) do
        local st = raftc.MemoryStorage()
        local n = raftc.RawNode{ id = id, storage = st, rand_seed = id, max_size_per_msg = 1048576,
                                 max_inflight_msgs = 4096 }
        n:bootstrap(peers)
        nodes[id], storages[id] = n, st
    end
    return nodes, storages
end

local function drive(nodes, storages)
    local applied = 0
    while true do
        local queue, busy = {}, false
        for id, n in pairs(nodes) do
            if n:has_ready() then
                busy = true
                local rd = n:ready()
                local st = storages[id]
                if rd.hard_state then st:set_hard_state(rd.hard_state) end
                if #rd.entry_bytes > 0 then st:append(rd.entry_bytes) end
                for i, m in ipairs(rd.messages) do queue[#queue + 1] = { m.to, rd.message_bytes[i] } end
                for _, e in ipairs(rd.committed_entries) do
                    if e.type == pb.EntryNormal then
                        if e.data ~= "" and id == 1 then applied = applied + 1 end
                    else
                        n:apply_conf_change_entry(e)
                    end
                end
                n:advance(rd)
            end
        end
        for _, q in ipairs(queue) do nodes[q[1]]:step(q[2]) end
        if not busy and #queue == 0 then return applied end
    end
end

local function elect(nodes, storages)
    drive(nodes, storages)
    nodes[1]:campaign()
    drive(nodes, storages)
    assert(nodes[1]:basic_status().raft_state == raftc.StateLeader)
end

local function per_call(fn, n)
    local t0 = clock()
    fn(n)
    return (clock() - t0) / n * 1e9
end

local results, order = {}, {}
local function put(k, v) results[k] = v; order[#order + 1] = k end

local function bench_calls(n)
    local nodes, storages = make_cluster{ 1, 2, 3 }
    elect(nodes, storages)
    local leader = nodes[1]
    local B, h = core.B, leader._h
    put("raw call floor (abi_version) ns/call", per_call(function(k)
        local f = B.abi_version
        for _ = 1, k do f() end
    end, n))
    put("raw has_ready (backend call) ns/call", per_call(function(k)
        local f = B.node_has_ready
        for _ = 1, k do f(h) end
    end, n))
    put("has_ready ns/call", per_call(function(k)
        for _ = 1, k do leader:has_ready() end
    end, n))
    local term = leader:basic_status().hard_state.term
    local hb = { type = pb.MsgHeartbeatResp, to = 1, from = 2, term = term }
    local hb_bytes = pb.encode_message(hb)
    put("step(bytes) ns/call", per_call(function(k)
        for _ = 1, k do leader:step(hb_bytes) end
    end, n))
    put("step(Message table) ns/call", per_call(function(k)
        for _ = 1, k / 4 do leader:step(hb) end
    end, n) * 4)
    drive(nodes, storages)
    local payload = string.rep("x", 64)
    local total, rounds = 0, math.floor(n / 4 / 512)
    for _ = 1, rounds do
        local t1 = clock()
        for _ = 1, 512 do leader:propose(payload) end
        total = total + (clock() - t1)
        drive(nodes, storages)
    end
    put("propose ns/call (3-node leader)", total / (rounds * 512) * 1e9)
    for _, nd in pairs(nodes) do nd:close() end
end

local function bench_throughput(ids, n, batch)
    local nodes, storages = make_cluster(ids)
    elect(nodes, storages)
    local leader = nodes[1]
    local payload = string.rep("v", 128)
    local done = 0
    local t0 = clock()
    while done < n do
        for _ = 1, batch do leader:propose(payload) end
        done = done + drive(nodes, storages)
        if leader:basic_status().applied % 4096 < batch then
            for id, st in pairs(storages) do
                local applied = nodes[id]:basic_status().applied
                if applied > st:first_index() + 100 then st:compact(applied - 50) end
            end
        end
    end
    local dt = clock() - t0
    for _, nd in pairs(nodes) do nd:close() end
    return done / dt
end

bench_calls(N)
for _, c in ipairs({ { { 1 }, "1-node" }, { { 1, 2, 3 }, "3-node" } }) do
    for _, batch in ipairs({ 1, 64 }) do
        local m = math.floor(N / 20 / (batch == 1 and 4 or 1))
        put(string.format("%s entries/s (batch %d)", c[2], batch), bench_throughput(c[1], m, batch))
    end
end

local jit_state = ""
if type(jit) == "table" then jit_state = jit.status() and ", JIT on" or ", JIT off" end
print(string.format("raftc %s Lua binding benchmark: %s, backend %s%s (%s)", raftc.library_version(),
                    type(jit) == "table" and jit.version or _VERSION, raftc.backend, jit_state,
                    quick and "quick" or "full"))
for _, k in ipairs(order) do print(string.format("  %-40s %12.1f", k, results[k])) end
