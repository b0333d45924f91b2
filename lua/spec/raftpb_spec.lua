-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- raftpb_spec.lua: raftc.raftpb encodes and decodes etcd's raftpb values as Lua tables.
local raftc = require "raftc"
local h = require "helpers"
local pb = raftc.raftpb

describe("raftc.raftpb", function()
    it("has etcd's enum names", function()
        assert.are.equal(3, pb.MsgApp)
        assert.are.equal("MsgApp", pb.MessageType[3])
        assert.are.equal(23, pb.MsgForgetLeader)
        assert.are.equal(2, pb.EntryConfChangeV2)
        assert.are.equal(3, pb.ConfChangeAddLearnerNode)
        assert.are.equal(2, pb.ConfChangeTransitionJointExplicit)
    end)

    it("round-trips an Entry", function()
        local e = { term = 3, index = 7, type = pb.EntryNormal, data = "x\0y" }
        local b = pb.encode_entry(e)
        assert.are.same(e, pb.decode_entry(b))
        assert.are.equal('3/7 EntryNormal "x\\x00y"', raftc.describe_entry(b))
    end)

    it("round-trips HardState, ConfState and Snapshot", function()
        local hs = { term = 2, vote = 1, commit = 5 }
        assert.are.same(hs, pb.decode_hard_state(pb.encode_hard_state(hs)))
        local cs = { voters = { 1, 2 }, learners = { 3 }, voters_outgoing = { 1 }, learners_next = {},
                     auto_leave = true }
        assert.are.same(cs, pb.decode_conf_state(pb.encode_conf_state(cs)))
        local snap = { data = "state", metadata = { index = 10, term = 2, conf_state = cs } }
        local got = pb.decode_snapshot(pb.encode_snapshot(snap))
        assert.are.same(snap, got)
        assert.are.equal("Index:10 Term:2 ConfState:Voters:[1 2] VotersOutgoing:[1] Learners:[3] LearnersNext:[] AutoLeave:true",
                         raftc.describe_snapshot(snap))
    end)

    it("round-trips a Message with entries, snapshot, context and responses", function()
        local m = { type = pb.MsgApp, to = 2, from = 1, term = 4, log_term = 3, index = 9,
                    commit = 8, vote = 0, reject = true, reject_hint = 6, context = "ctx",
                    entries = { { term = 4, index = 10, type = pb.EntryNormal, data = "a" } },
                    snapshot = { data = "", metadata = { index = 1, term = 1,
                        conf_state = { voters = { 1 }, learners = {}, voters_outgoing = {},
                                       learners_next = {}, auto_leave = false } } },
                    responses = {} }
        local resp = { type = pb.MsgAppResp, to = 1, from = 2, term = 4, log_term = 0, index = 10,
                       commit = 0, vote = 0, reject = false, reject_hint = 0, context = "",
                       entries = {}, responses = {} }
        m.responses = { resp }
        local got = pb.decode_message(pb.encode_message(m))
        assert.are.same(m, got)
        -- local targets are the uint64 max (-1) and max - 1 (-2) on every runtime
        local local_msg = pb.decode_message(pb.encode_message{ type = pb.MsgStorageAppend, from = 1,
                                                               to = raftc.LOCAL_APPEND_THREAD })
        assert.are.equal(raftc.LOCAL_APPEND_THREAD, local_msg.to)
        assert.are.equal("1->AppendThread MsgStorageAppend Term:0 Log:0/0",
                         raftc.describe_message(local_msg))
    end)

    it("encodes conf changes", function()
        local v1 = pb.encode_conf_change{ type = pb.ConfChangeAddNode, node_id = 4, context = "c" }
        assert.are.equal("c", pb.conf_change_context(1, v1))
        local v2 = pb.encode_conf_change_v2{ transition = pb.ConfChangeTransitionJointExplicit,
            changes = { { type = pb.ConfChangeAddNode, node_id = 4 },
                        { type = pb.ConfChangeRemoveNode, node_id = 1 } }, context = "d" }
        assert.are.equal("d", pb.conf_change_context(2, v2))
    end)

    it("writes a ConfChange's ID first, as etcd does, and a node applies it", function()
        local plain = pb.encode_conf_change{ type = pb.ConfChangeAddNode, node_id = 2, context = "u" }
        local with_id = pb.encode_conf_change{ id = 300, type = pb.ConfChangeAddNode, node_id = 2,
                                               context = "u" }
        assert.are.equal("\8\172\2" .. plain, with_id) -- field 1, varint 300
        assert.are.equal(plain, pb.encode_conf_change{ id = 0, type = pb.ConfChangeAddNode,
                                                       node_id = 2, context = "u" })
        assert.are.equal("u", pb.conf_change_context(1, with_id))
        assert.is_true(raftc.is_error(h.error_of(pb.encode_conf_change, { id = -1 }),
                                      "InvalidArgumentError"))
        local c = h.cluster(1)
        local node = c.nodes[1]
        node:campaign()
        h.settle(c)
        node:propose_conf_change{ id = 300, type = pb.ConfChangeAddNode, node_id = 2, context = "u" }
        local found
        for _ = 1, 3 do
            if not node:has_ready() then break end
            local rd = node:ready()
            c.storages[1]:append(rd.entries)
            if rd.hard_state then c.storages[1]:set_hard_state(rd.hard_state) end
            for _, e in ipairs(rd.committed_entries) do
                if e.type == pb.EntryConfChange then
                    found = e.data
                    node:apply_conf_change_entry(e)
                end
            end
            node:advance(rd)
        end
        assert.are.equal(with_id, found)
        assert.are.equal("voters=(1 2)", node:status().config)
    end)

    it("encodes varints exactly", function()
        assert.are.equal("\0", pb.encode_varint(0))
        assert.are.equal("\255\127", pb.encode_varint(16383))
        assert.are.equal("\128\128\128\128\128\128\128\16", pb.encode_varint(2 ^ 53))
        if math.type then -- Lua 5.4: integers past 2^53 stay exact
            assert.are.equal("\255\255\255\255\255\255\255\255\127",
                             pb.encode_varint(math.maxinteger))
            assert.are.equal("\129\128\128\128\128\128\128\16", pb.encode_varint(math.tointeger(2 ^ 53) + 1))
        end
    end)

    it("raises DecodeError with raftc's text for malformed bytes", function()
        local e = h.error_of(pb.decode_message, "\255\255\255")
        assert.is_true(raftc.is_error(e, "DecodeError"))
        assert.are.equal("malformed raftpb bytes", e.message)
        assert.are.equal("raftc: malformed raftpb bytes", tostring(e))
        assert.is_true(raftc.is_error(h.error_of(pb.decode_entry, "\10"), "DecodeError"))
        assert.is_true(raftc.is_error(h.error_of(pb.decode_message, "\8\99"), "UnknownMessageTypeError"))
    end)

    it("refuses wrong types and out-of-range numbers", function()
        for _, bad in ipairs({ -1, 1.5, "1", true }) do
            local e = h.error_of(pb.encode_entry, { term = bad, index = 1 })
            assert.is_true(raftc.is_error(e, "InvalidArgumentError"), tostring(e))
        end
        assert.is_true(raftc.is_error(h.error_of(pb.encode_entry, { data = 5 }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(pb.encode_entry, { type = 9 }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(pb.encode_conf_state, { voters = { 0 } }), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(pb.decode_entry, 42), "InvalidArgumentError"))
        assert.is_true(raftc.is_error(h.error_of(pb.encode, "Nope", {}), "InvalidArgumentError"))
    end)

    it("keeps 64-bit values exact or refuses them", function()
        if math.tointeger then -- Lua 5.4: every int64 is exact
            local e = pb.decode_entry(pb.encode_entry{ term = math.maxinteger, index = 9007199254740993 })
            assert.are.equal(math.maxinteger, e.term)
            assert.are.equal(9007199254740993, e.index)
        else -- LuaJIT: numbers beyond 2^53 are refused, never rounded
            assert.is_true(raftc.is_error(h.error_of(pb.encode_entry, { term = 2 ^ 53 + 2 }),
                                          "InvalidArgumentError"))
            local e = pb.decode_entry(pb.encode_entry{ term = 2 ^ 53, index = 1 })
            assert.are.equal(2 ^ 53, e.term)
        end
    end)
end)
