-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- node_spec.lua: raftc.RawNode, MemoryStorage and Lua storages, clusters, bad input.
local raftc = require "raftc"
local h = require "helpers"
local pb = raftc.raftpb

describe("raftc.RawNode", function()
    it("elects a leader and replicates in a 3-node cluster", function()
        local c = h.cluster(3)
        c.nodes[1]:campaign()
        h.settle(c)
        assert.are.equal(1, h.leader(c))
        for i = 1, 5 do c.nodes[1]:propose("v" .. i) end
        c.nodes[2]:propose("via-follower") -- forwarded to the leader
        h.settle(c)
        for id = 1, 3 do
            assert.are.same({ "v1", "v2", "v3", "v4", "v5", "via-follower" }, c.applied[id])
        end
        local st = c.nodes[1]:status()
        assert.are.equal(raftc.StateLeader, st.raft_state)
        assert.are.equal("voters=(1 2 3)", st.config)
        assert.are.equal(st.hard_state.commit, st.progress[2].match)
        assert.are.equal(raftc.StateReplicate, st.progress[3].state)
        assert.are.equal("StateLeader", raftc.state_type_name(st.raft_state))
    end)

    it("proposes a list as one batch (propose_list)", function()
        local c = h.cluster(3)
        c.nodes[1]:campaign()
        h.settle(c)
        c.nodes[1]:propose_list({ "b1", "", "b2", string.rep("x", 3000) })
        c.nodes[2]:propose_list({ "via-follower" })
        h.settle(c)
        for id = 1, 3 do
            assert.are.same({ "b1", "b2", string.rep("x", 3000), "via-follower" }, c.applied[id])
        end
        assert.has_error(function() c.nodes[1]:propose_list({}) end)
        assert.has_error(function() c.nodes[1]:propose_list({ "a", 1 }) end)
        assert.has_error(function() c.nodes[1]:propose_list("a") end)
    end)

    it("serves ReadIndex and transfers leadership", function()
        local c = h.cluster(3)
        c.nodes[1]:campaign()
        h.settle(c)
        c.nodes[1]:read_index("req-1")
        h.settle(c)
        local got = c.read_states[1][1]
        assert.is_not_nil(got)
        assert.are.equal(c.nodes[1]:basic_status().hard_state.commit, got.index)
        assert.are.equal("req-1", got.request_ctx)
        c.nodes[1]:transfer_leader(3)
        h.settle(c)
        assert.are.equal(3, h.leader(c))
    end)

    it("elects a new leader when the leader is cut off", function()
        local c = h.cluster(3)
        c.nodes[1]:campaign()
        h.settle(c)
        for _ = 1, 30 do
            for id = 2, 3 do c.nodes[id]:tick() end
            h.settle(c, { [1] = true })
            if h.leader(c) ~= 1 and h.leader(c) ~= nil then break end
        end
        local l = nil
        for id = 2, 3 do
            if c.nodes[id]:basic_status().raft_state == raftc.StateLeader then l = id end
        end
        assert.is_not_nil(l)
    end)

    it("applies conf changes and reports the ConfState", function()
        local c = h.cluster(3)
        c.nodes[1]:campaign()
        h.settle(c)
        c.nodes[1]:propose_conf_change{ type = pb.ConfChangeRemoveNode, node_id = 3 }
        h.settle(c)
        assert.are.same({ 1, 2 }, c.nodes[1]:conf_state().voters)
        c.nodes[1]:propose_conf_change{ changes = { { type = pb.ConfChangeAddLearnerNode, node_id = 3 } } }
        h.settle(c)
        assert.are.same({ 3 }, c.nodes[1]:conf_state().learners)
    end)

    it("calls the logger and works over a storage written in Lua", function()
        local ms = raftc.MemoryStorage()
        local calls = {}
        local st = raftc.Storage{
            initial_state = function() return ms:initial_state() end,
            entries = function(_, lo, hi, max) calls.entries = true; return ms:entries(lo, hi, max) end,
            term = function(_, i) return ms:term(i) end,
            first_index = function() return ms:first_index() end,
            last_index = function() return ms:last_index() end,
            snapshot = function() return ms:snapshot() end,
        }
        local lines = {}
        local node = raftc.RawNode{ id = 1, storage = st, logger = function(level, text)
            lines[#lines + 1] = { level, text }
        end }
        node:bootstrap{ { id = 1, context = "ctx" } }
        node:campaign()
        for _ = 1, 4 do
            while node:has_ready() do
                local rd = node:ready()
                if rd.hard_state then ms:set_hard_state(rd.hard_state) end
                ms:append(rd.entries)
                node:advance(rd)
            end
            node:campaign()
        end
        node:propose("x")
        assert.are.equal(raftc.StateLeader, node:basic_status().raft_state)
        assert.is_true(#lines > 0)
        local found = false
        for _, l in ipairs(lines) do
            if l[1] == raftc.LOG_INFO and l[2]:find("newRaft 1", 1, true) then found = true end
        end
        assert.is_true(found)
        node:close()
    end)

    it("fails the node when a Lua storage raises, with the storage's error", function()
        local ms = raftc.MemoryStorage()
        local broken = false
        local st = raftc.Storage{
            initial_state = function() return ms:initial_state() end,
            entries = function(_, lo, hi, max) return ms:entries(lo, hi, max) end,
            term = function(_, i)
                if broken then error("disk on fire") end
                return ms:term(i)
            end,
            first_index = function() return ms:first_index() end,
            last_index = function()
                if broken then error("disk on fire") end
                return ms:last_index()
            end,
            snapshot = function() return ms:snapshot() end,
        }
        local node = raftc.RawNode{ id = 1, storage = st }
        node:bootstrap{ 1 }
        while node:has_ready() do
            local rd = node:ready()
            if rd.hard_state then ms:set_hard_state(rd.hard_state) end
            ms:append(rd.entry_bytes)
            node:advance()
        end
        broken = true
        local e = h.error_of(node.campaign, node)
        assert.matches("disk on fire", tostring(e))
        assert.is_true(node:failed())
        assert.is_true(raftc.is_error(h.error_of(node.tick, node), "NodeFailedError"))
        assert.is_false(node:has_ready())
        assert.are.equal(1, node:basic_status().id) -- read-only calls still answer
    end)

    it("raises raftc errors for bad input and never crashes", function()
        local st = raftc.MemoryStorage()
        local e = h.error_of(raftc.RawNode, { id = 0, storage = st })
        assert.is_true(raftc.is_error(e, "ConfigError"))
        assert.are.equal("cannot use none as id", e.message)
        assert.is_true(raftc.is_error(h.error_of(raftc.RawNode, { id = -3, storage = st }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(raftc.RawNode, { id = 1 }), "ConfigError"))
        assert.is_true(raftc.is_error(h.error_of(raftc.RawNode, { id = 1, storage = {} }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(raftc.RawNode, { id = 1, storage = st, electoin_tick = 5 }),
                                      "InvalidArgumentError"))
        local cfgerr = h.error_of(raftc.RawNode, { id = 1, storage = st, election_tick = 1 })
        assert.are.equal("election tick must be greater than heartbeat tick", cfgerr.message)

        local node = raftc.RawNode{ id = 1, storage = st }
        assert.is_true(raftc.is_error(h.error_of(node.propose, node, 42), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.propose, node, "x"), "ProposalDroppedError"))
        assert.are.equal("raft proposal dropped", h.error_of(node.propose, node, "x").message)
        assert.is_true(raftc.is_error(h.error_of(node.step, node, "\255\1"), "DecodeError"))
        assert.is_true(raftc.is_error(h.error_of(node.step, node, { type = pb.MsgHup }), "StepLocalMsgError"))
        assert.is_true(raftc.is_error(h.error_of(node.step, node, 5), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.bootstrap, node, { 0 }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.bootstrap, node, { -2 }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.bootstrap, node, {}), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.transfer_leader, node, 0), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.report_unreachable, node, "2"), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.report_snapshot, node, 2, 7), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(node.advance, node), "StateError"))
        assert.is_true(raftc.is_error(h.error_of(node.read_index, node, {}), "InvalidArgumentError"))
        node:close()
        node:close() -- idempotent
        assert.is_true(node:closed())
        for _, m in ipairs({ "tick", "campaign", "has_ready", "ready", "advance", "status" }) do
            local err = h.error_of(node[m], node)
            assert.is_true(raftc.is_error(err, "StateError"), m)
            assert.are.equal("raft node is closed", err.message)
        end
    end)

    it("MemoryStorage reports etcd's errors", function()
        local st = raftc.MemoryStorage()
        st:append{ { term = 1, index = 1 }, { term = 1, index = 2 }, { term = 2, index = 3 } }
        assert.are.equal(3, st:last_index())
        assert.are.equal(2, st:term(3))
        st:compact(2)
        assert.is_true(raftc.is_error(h.error_of(st.compact, st, 1), "CompactedError"))
        local e = h.error_of(st.compact, st, 9)
        assert.is_true(raftc.is_error(e, "NodeFailedError"))
        assert.are.equal("compact 9 is out of bound lastindex(3)", e.message)
        assert.is_true(raftc.is_error(h.error_of(st.append, st, { { term = 1, index = 9 } }), "NodeFailedError"))
        assert.is_true(raftc.is_error(h.error_of(st.append, st, { "\255" }), "DecodeError"))
        local snap = st:create_snapshot(3, { voters = { 1 } }, "data")
        assert.are.equal(3, snap.metadata.index)
        assert.are.equal("data", snap.data)
        assert.are.same({ { term = 2, index = 3, type = 0, data = "" } }, st:entries(3, 4))
    end)

    it("has the library's version", function()
        assert.are.equal("string", type(raftc.library_version()))
        assert.are.equal("number", type(raftc.abi_version()))
        assert.is_true(raftc.backend == "ffi" or raftc.backend == "swig")
    end)
end)

describe("raftc.DiskStorage", function()
    local dir = os.tmpname()
    os.remove(dir)

    it("persists a node's log and state across reopening", function()
        local st = raftc.DiskStorage(dir, { sync = raftc.SyncEach })
        assert.is_true(raftc.is_error(h.error_of(raftc.DiskStorage, dir), "StorageLockedError"))
        local node = raftc.RawNode{ id = 1, storage = st }
        node:bootstrap{ 1 }
        local function drain()
            while node:has_ready() do
                local rd = node:ready()
                st:save_ready(rd)
                for _, e in ipairs(rd.committed_entries) do
                    if e.type ~= raftc.raftpb.EntryNormal then node:apply_conf_change_entry(e) end
                end
                node:advance(rd)
            end
        end
        drain()
        node:campaign()
        drain()
        node:propose("durable")
        drain()
        local last = st:last_index()
        local hs = st:initial_state()
        node:close()
        st:close()
        st:close() -- idempotent
        assert.is_true(raftc.is_error(h.error_of(st.append, st, {}), "StateError"))

        local again = raftc.DiskStorage(dir)
        assert.are.equal(last, again:last_index())
        assert.are.same(hs, again:initial_state())
        local ents = again:entries(last, last + 1)
        assert.are.equal("durable", ents[1].data)
        local node2 = raftc.RawNode{ id = 1, storage = again, applied = last }
        assert.are.equal(hs.term, node2:basic_status().hard_state.term)
        node2:close()
        again:close()
        os.execute("rm -rf '" .. dir .. "'")
    end)

    it("runs async storage writes on its writer thread", function()
        local adir = dir .. "-async"
        local st = raftc.DiskStorage(adir, { async_writes = true })
        local node = raftc.RawNode{ id = 1, storage = st, async_storage_writes = true }
        node:bootstrap{ 1 }
        local applied, persisted = {}, 0
        local function round(timeout)
            while node:has_ready() do
                local rd = node:ready()
                for i, m in ipairs(rd.messages) do
                    if m.type == raftc.raftpb.MsgStorageAppend then
                        st:submit(rd.message_bytes[i])
                    else
                        for _, e in ipairs(m.entries or {}) do
                            if e.type ~= raftc.raftpb.EntryNormal then
                                node:apply_conf_change_entry(e)
                            elseif e.data and #e.data > 0 then
                                applied[#applied + 1] = e.data
                            end
                        end
                        -- the responses' bytes (a decoded local message, from
                        -- LOCAL_APPLY_THREAD, does not encode again)
                        local core = require "raftc.core"
                        local resps = core.sink()
                        assert.are.equal(0, core.B.message_decode_parts(nil, nil, resps, nil,
                                                                        rd.message_bytes[i]))
                        for _, rb in ipairs(core.items(resps)) do node:step(rb) end
                    end
                end
            end
            local responses, done = st:take_responses(timeout)
            persisted = persisted + done
            for _, r in ipairs(responses) do
                assert.are.equal(1, r.to)
                node:step(r.msg)
            end
        end
        for _ = 1, 100 do
            round(0.05)
            local bs = node:basic_status()
            if bs.soft_state.raft_state == raftc.StateLeader then break end
            if bs.applied >= 1 then node:campaign() end
        end
        for i = 1, 30 do
            node:propose("v" .. i)
            if i % 5 == 0 then round(0.01) end
        end
        for _ = 1, 200 do
            if #applied == 30 and st:stat("pending") == 0 and not node:has_ready() then break end
            round(0.05)
        end
        assert.are.equal(30, #applied)
        assert.are.equal("v30", applied[30])
        assert.is_true(persisted > 0)
        assert.is_true(raftc.is_error(h.error_of(st.append, st, {}), "StateError"))
        local last = st:last_index()
        node:close()
        st:close()
        local again = raftc.DiskStorage(adir)
        assert.are.equal(last, again:last_index())
        assert.is_true(raftc.is_error(h.error_of(again.take_responses, again), "StateError"))
        again:close()
        os.execute("rm -rf '" .. adir .. "'")
    end)

    it("refuses bad arguments", function()
        assert.is_true(raftc.is_error(h.error_of(raftc.DiskStorage, 5), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(raftc.DiskStorage, "/tmp/x", { sync = 9 }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(raftc.DiskStorage, "/proc/nope/raftc"), "StorageIOError"))
    end)
end)
