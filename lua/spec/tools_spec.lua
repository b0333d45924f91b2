-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- tools_spec.lua: raftc.tools (etcd's quorum arithmetic and confchange.Changer).
local raftc = require "raftc"
local h = require "helpers"
local tools = raftc.tools
local pb = raftc.raftpb

describe("raftc.tools", function()
    it("computes committed indexes and vote results", function()
        assert.are.equal(5, tools.committed_index({ 1, 2, 3 }, {}, { { 1, 5 }, { 2, 7 } }))
        assert.are.equal(tools.INDEX_INF, tools.committed_index({}, {}, {}))
        assert.are.equal(tools.VoteWon, tools.vote_result({ 1, 2, 3 }, {}, { { 1, true }, { 2, true } }))
        assert.are.equal("VoteLost", tools.vote_result_name(
            tools.vote_result({ 1, 2, 3 }, {}, { { 1, false }, { 2, false } })))
        assert.matches("%(id=1%)", tools.describe_quorum({ 1, 2 }, {}, { { 1, 5 } }))
    end)

    it("runs etcd's Changer", function()
        local ch = tools.new_changer(10, 0)
        ch:simple{ { type = pb.ConfChangeAddNode, node_id = 1 } }
        ch:enter_joint(true, { { type = pb.ConfChangeAddNode, node_id = 2 } })
        assert.matches("^voters=%(1 2%)&&%(1%) autoleave", ch:describe())
        ch:leave_joint()
        assert.are.same({ 1, 2 }, ch:conf_state().voters)
        local e = h.error_of(ch.simple, ch, { { type = pb.ConfChangeRemoveNode, node_id = 1 },
                                              { type = pb.ConfChangeRemoveNode, node_id = 2 } })
        assert.is_true(raftc.is_error(e, "ConfChangeError"))
    end)
end)
