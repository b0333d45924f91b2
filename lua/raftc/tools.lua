-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- tools.lua: etcd's quorum arithmetic and a standalone configuration changer (raftc.h "Tools"),
-- as pyraftc.tools: committed_index, vote_result, describe_quorum, Changer.
local core = require "raftc.core"
local errors = require "raftc.errors"
local num = require "raftc.num"
local raftpb = require "raftc.raftpb"

local B, K, check = core.B, core.K, core.check
local M = {}

-- Committed index of a configuration without voters (etcd prints it as "∞"): the uint64 max,
-- which the binding represents as -1.
M.INDEX_INF = -1
M.VotePending, M.VoteLost, M.VoteWon = K("VOTE_PENDING"), K("VOTE_LOST"), K("VOTE_WON")
function M.vote_result_name(r) return B.vote_result_name(r) end

local function ids(name, list)
    num.list(name, list)
    local out = {}
    for i = 1, #list do out[i] = num.id(name .. "[" .. i .. "]", list[i]) end
    return out
end

-- acked: a list of { id, index } pairs (order matters for repeated ids: the first wins).
local function pairs_of(name, acked, conv)
    num.list(name, acked)
    local out = {}
    for i = 1, #acked do
        local p = acked[i]
        if type(p) ~= "table" then errors.arg("%s[%d] must be an {id, value} pair", name, i) end
        out[i] = { num.id(name .. "[" .. i .. "][1]", p[1]), conv(p[2]) }
    end
    return out
end

-- etcd's JointConfig.CommittedIndex (INDEX_INF when both halves are empty).
function M.committed_index(incoming, outgoing, acked)
    local a = pairs_of("acked", acked, function(v) return num.uint("index", v) end)
    local rc, idx = B.quorum_committed(ids("incoming", incoming), ids("outgoing", outgoing), a)
    check(rc)
    return idx
end

-- etcd's JointConfig.Describe bar chart.
function M.describe_quorum(incoming, outgoing, acked)
    local a = pairs_of("acked", acked, function(v) return num.uint("index", v) end)
    local rc, text = B.quorum_describe(ids("incoming", incoming), ids("outgoing", outgoing), a)
    check(rc)
    return text
end

-- etcd's JointConfig.VoteResult; votes: list of { id, granted (boolean) }.
function M.vote_result(incoming, outgoing, votes)
    local a = pairs_of("votes", votes, function(v) return v and 1 or 0 end)
    local rc, r = B.quorum_vote_result(ids("incoming", incoming), ids("outgoing", outgoing), a)
    check(rc)
    return r
end

-- ---- Changer ----
local Changer = {}
Changer.__index = Changer
M.Changer = Changer

function M.new_changer(max_inflight, max_inflight_bytes)
    local rc, ch = B.changer_new(num.uint("max_inflight", max_inflight or 256),
                                 num.uint("max_inflight_bytes", max_inflight_bytes or 0))
    check(rc)
    return setmetatable({ _ch = ch }, Changer)
end

function Changer:_changed(rc)
    if rc == K("ECONFCHANGE") then errors.raise(rc, B.changer_last_error(self._ch)) end
    check(rc)
end

-- changes: a list of { type, node_id } (raftpb.ConfChangeAddNode, ...).
local function changes(list)
    num.list("changes", list)
    local out = {}
    for i = 1, #list do
        local c = list[i]
        out[i] = { num.int("changes[" .. i .. "].type", c.type or c[1], -2 ^ 31, 2 ^ 31 - 1),
                   num.uint("changes[" .. i .. "].node_id", c.node_id or c[2]) }
    end
    return out
end

function Changer:set_last_index(i)
    check(B.changer_set_last_index(self._ch, num.uint("last_index", i)))
end
function Changer:simple(list)
    self:_changed(B.changer_simple(self._ch, changes(list)))
end
function Changer:enter_joint(auto_leave, list)
    self:_changed(B.changer_enter_joint(self._ch, auto_leave and 1 or 0, changes(list)))
end
function Changer:leave_joint() self:_changed(B.changer_leave_joint(self._ch)) end
function Changer:restore(cs) self:_changed(B.changer_restore(self._ch, raftpb.encode_conf_state(cs))) end
function Changer:describe()
    local rc, text = B.changer_describe(self._ch)
    check(rc)
    return text
end
function Changer:conf_state()
    local s = core.sink()
    check(B.changer_conf_state(s, self._ch))
    return raftpb.decode_conf_state(core.first(s))
end

return M
