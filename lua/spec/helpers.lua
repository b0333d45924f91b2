-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- helpers.lua: an in-memory cluster for the specs: nodes over MemoryStorage, a queue of raftpb
-- bytes between them, and a loop that handles every Ready (persist, send, apply, advance).
local raftc = require "raftc"

local M = {}

function M.cluster(n, opts)
    opts = opts or {}
    local c = { nodes = {}, storages = {}, applied = {}, read_states = {}, queue = {} }
    local peers = {}
    for id = 1, n do peers[id] = id end
    for id = 1, n do
        local st = raftc.MemoryStorage()
        local cfg = { id = id, election_tick = 10, heartbeat_tick = 1, storage = st }
        for k, v in pairs(opts) do cfg[k] = v end
        local node = raftc.RawNode(cfg)
        node:bootstrap(peers)
        c.nodes[id], c.storages[id], c.applied[id], c.read_states[id] = node, st, {}, {}
    end
    M.settle(c) -- the bootstrap entries are applied before anyone campaigns
    return c
end

-- Handles every pending Ready and delivers every message until nothing moves.
function M.settle(c, drop)
    local moved = true
    while moved do
        moved = false
        for id, node in ipairs(c.nodes) do
            while node:has_ready() do
                moved = true
                local rd = node:ready()
                local st = c.storages[id]
                if rd.hard_state then st:set_hard_state(rd.hard_state) end
                if rd.snapshot then st:apply_snapshot(rd.snapshot_bytes) end
                st:append(rd.entry_bytes)
                for _, rs in ipairs(rd.read_states) do table.insert(c.read_states[id], rs) end
                for i, m in ipairs(rd.messages) do
                    if not (drop and drop[m.to]) then
                        c.queue[#c.queue + 1] = { to = m.to, bytes = rd.message_bytes[i] }
                    end
                end
                for _, e in ipairs(rd.committed_entries) do
                    if e.type == raftc.raftpb.EntryNormal and e.data ~= "" then
                        table.insert(c.applied[id], e.data)
                    elseif e.type ~= raftc.raftpb.EntryNormal then
                        node:apply_conf_change_entry(e)
                    end
                end
                node:advance(rd)
            end
        end
        local q = c.queue
        c.queue = {}
        for _, m in ipairs(q) do
            moved = true
            if not (drop and drop[m.to]) then
                -- a removed member's messages are refused, as a transport sees them
                local ok, e = pcall(c.nodes[m.to].step, c.nodes[m.to], m.bytes)
                if not ok and not raftc.is_error(e, "StepPeerNotFoundError") then error(e, 0) end
            end
        end
    end
end

function M.leader(c)
    for id, node in ipairs(c.nodes) do
        if node:basic_status().raft_state == raftc.StateLeader then return id end
    end
    return nil
end

-- The error value raised by fn (fails the spec when fn does not raise).
function M.error_of(fn, ...)
    local ok, e = pcall(fn, ...)
    assert(not ok, "expected an error")
    return e
end

return M
