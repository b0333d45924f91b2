-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- kvpb_spec.lua: the OpenResty service's kvpb codec (examples/openresty/lua/raftkv/kvpb.lua) on
-- LuaJIT, the runtime OpenResty embeds: round trips, the other implementations' 64-bit
-- sequence numbers decoded exactly, the ConfChange ID, malformed bytes. Run by
-- tools/lua-test.sh (busted on luajit with the FFI backend).
local ffi = require "ffi"
local raftc = require "raftc"
local kvpb = require "raftkv.kvpb"

local U64 = ffi.typeof("uint64_t")

describe("raftkv.kvpb", function()
    it("round-trips a Command", function()
        local c = { op = kvpb.DELETE, key = "k/\0", value = "", node = 3, seq = 1733389011123456 }
        assert.are.same(c, kvpb.decode_command(kvpb.encode_command(c)))
        local put = kvpb.decode_command(kvpb.encode_command{ op = kvpb.PUT, key = "a", value = "v",
                                                             node = 1, seq = 7 })
        assert.are.equal("v", put.value)
        assert.are.equal("number", type(put.seq))
    end)

    it("decodes sequence numbers at and above 2^53 exactly", function()
        -- Python's and Go's nodes number their proposals with a nanosecond clock
        for _, seq in ipairs({ U64(2) ^ 53, U64(2) ^ 53 + 1, 1733389011123456789ULL,
                               18446744073709551615ULL }) do
            local c = kvpb.decode_command(kvpb.encode_command{ op = kvpb.PUT, key = "k", value = "",
                                                              node = 2, seq = seq })
            assert.are.equal("cdata", type(c.seq))
            assert.is_true(c.seq == seq, tostring(c.seq) .. " ~= " .. tostring(seq))
        end
        -- the bytes another implementation writes: field 5, varint 2^53 + 1
        local b = "\40\129\128\128\128\128\128\128\16"
        assert.are.equal(tostring(U64(2) ^ 53 + 1), tostring(kvpb.decode_command(b).seq))
        -- below 2^53 values stay Lua numbers, exact to the last unit
        assert.are.equal(2 ^ 53 - 1, kvpb.decode_command(kvpb.encode_command{ seq = 2 ^ 53 - 1 }).seq)
        assert.are.equal(U64(2) ^ 53 - 1, U64(kvpb.decode_command("\40\255\255\255\255\255\255\255\15").seq))
    end)

    it("takes varints up to 2^64 - 1 and refuses longer ones and truncated bytes", function()
        assert.are.equal(18446744073709551615ULL,
                         kvpb.decode_command("\40\255\255\255\255\255\255\255\255\255\1").seq)
        assert.is_nil(kvpb.decode_command("\40\255\255\255\255\255\255\255\255\255\255\1"))
        assert.is_nil(kvpb.decode_command("\40\255\255\255\255\255\255\255\255\255\2"))
        assert.is_nil(kvpb.decode_command("\18\5ab"))
        assert.is_nil(kvpb.decode_command("\40"))
        assert.is_nil(kvpb.unframe("\5ab"))
    end)

    it("round-trips a Snapshot and frames transport bodies", function()
        local snap = { pairs = { { key = "a", value = "1" }, { key = "b", value = "" } },
                       members = { { id = 1, url = "http://x", learner = false },
                                   { id = 2, url = "http://y", learner = true } } }
        assert.are.same(snap, kvpb.decode_snapshot(kvpb.encode_snapshot(snap)))
        local list = { "one", string.rep("x", 300), "" }
        assert.are.same(list, kvpb.unframe(kvpb.frame(list)))
    end)

    it("reads the ID of a ConfChange the binding encoded", function()
        local pb = raftc.raftpb
        local seq = 1733389011123456
        local b = pb.encode_conf_change{ id = seq, type = pb.ConfChangeAddNode, node_id = 4,
                                         context = "http://127.0.0.1:9004" }
        assert.are.equal(seq, kvpb.conf_change_id(b))
        assert.are.equal(0, kvpb.conf_change_id(pb.encode_conf_change{ type = pb.ConfChangeAddNode,
                                                                       node_id = 4 }))
        assert.are.equal(0, kvpb.conf_change_id(pb.encode_conf_change_v2{
            changes = { { type = pb.ConfChangeAddNode, node_id = 4 } } }))
        assert.are.equal(0, kvpb.conf_change_id("\8"))
    end)
end)
