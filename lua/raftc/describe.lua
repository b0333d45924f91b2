-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- describe.lua: etcd's Describe* text forms (DescribeMessage, DescribeEntry, ...), computed by
-- the C library. Values may be raftpb tables or their encoded strings.
local core = require "raftc.core"
local num = require "raftc.num"
local raftpb = require "raftc.raftpb"

local B, check = core.B, core.check
local M = {}

local function text(rc, s)
    check(rc)
    return s
end

function M.describe_message(m) return text(B.describe_message(raftpb.encode_message(m))) end
function M.describe_entry(e) return text(B.describe_entry(raftpb.encode_entry(e))) end
function M.describe_entries(list) return text(B.describe_entries(raftpb.encode_entries(list))) end
function M.describe_hard_state(hs) return text(B.describe_hard_state(raftpb.encode_hard_state(hs))) end
function M.describe_conf_state(cs) return text(B.describe_conf_state(raftpb.encode_conf_state(cs))) end
function M.describe_snapshot(s) return text(B.describe_snapshot(raftpb.encode_snapshot(s))) end
function M.describe_soft_state(lead, state)
    return text(B.describe_soft_state(num.uint("lead", lead), num.int("raft_state", state, -2 ^ 31, 2 ^ 31 - 1)))
end

return M
