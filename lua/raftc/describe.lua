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

function M.describe_message(m) return text(B.message_describe(raftpb.encode_message(m))) end
function M.describe_entry(e) return text(B.entry_describe(raftpb.encode_entry(e))) end
function M.describe_entries(list) return text(B.entry_describe_list(raftpb.encode_entries(list))) end
function M.describe_hard_state(hs) return text(B.hard_state_describe(raftpb.encode_hard_state(hs))) end
function M.describe_conf_state(cs) return text(B.conf_state_describe(raftpb.encode_conf_state(cs))) end
function M.describe_snapshot(s) return text(B.snapshot_describe(raftpb.encode_snapshot(s))) end
function M.describe_soft_state(lead, state)
    return text(B.soft_state_describe(num.uint("lead", lead), num.int("raft_state", state, -2 ^ 31, 2 ^ 31 - 1)))
end

return M
