-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- raftpb.lua: etcd's raftpb values as Lua tables, encoded and decoded by raftc's own raftpb
-- helpers (no protobuf library needed; the bytes are etcd's wire format).
--
-- Tables use etcd's field names in snake_case (the proto names):
--   Entry        { term, index, type, data }
--   HardState    { term, vote, commit }
--   ConfState    { voters = {}, learners = {}, voters_outgoing = {}, learners_next = {}, auto_leave }
--   Snapshot     { data, metadata = { conf_state = ConfState, index, term } }
--   Message      { type, to, from, term, log_term, index, entries = {Entry...}, commit, vote,
--                  snapshot = Snapshot|nil, reject, reject_hint, context, responses = {Message...} }
--   ConfChange   { type, node_id, context }                       (v1)
--   ConfChangeV2 { transition, changes = {{type, node_id}...}, context }
-- Enum values are numbers with etcd's names as constants: raftpb.MsgApp, raftpb.EntryNormal,
-- raftpb.ConfChangeAddNode, raftpb.ConfChangeTransitionAuto, ... Decoding fills every field
-- (zero values included); encoding accepts missing fields as zero. Lists of entries or messages
-- may hold encoded strings instead of tables.
local core = require "raftc.core"
local errors = require "raftc.errors"
local num = require "raftc.num"

local B, K, F, check = core.B, core.K, core.F, core.check
local M = {}

-- ---- enums ----
M.MessageType, M.EntryType, M.ConfChangeType, M.ConfChangeTransition = {}, {}, {}, {}
for i = 0, K("MSG_FORGET_LEADER") do
    local name = B.msg_type_name(i)
    M[name], M.MessageType[i] = i, name
end
for i = 0, K("ENTRY_CONF_CHANGE_V2") do
    local name = B.entry_type_name(i)
    M[name], M.EntryType[i] = i, name
end
for i = 0, K("CC_ADD_LEARNER_NODE") do
    local name = B.cc_type_name(i)
    M[name], M.ConfChangeType[i] = i, name
end
for i, name in pairs({ [K("CC_TRANSITION_AUTO")] = "ConfChangeTransitionAuto",
                       [K("CC_TRANSITION_JOINT_IMPLICIT")] = "ConfChangeTransitionJointImplicit",
                       [K("CC_TRANSITION_JOINT_EXPLICIT")] = "ConfChangeTransitionJointExplicit" }) do
    M[name], M.ConfChangeTransition[i] = i, name
end
local N_MSG_TYPES = K("MSG_FORGET_LEADER")

local function encoded(name, fn)
    local s = core.sink()
    return function(...)
        B.sink_reset(s)
        check(fn(s, ...))
        return core.first(s)
    end
end

local function table_arg(name, v)
    if type(v) ~= "table" then errors.arg("%s must be a table, got %s", name, type(v)) end
    return v
end

-- ---- Entry ----
local enc_entry = encoded("Entry", B.entry_encode)
function M.encode_entry(e)
    if type(e) == "string" then return e end
    table_arg("entry", e)
    return enc_entry(num.uint("entry.term", e.term or 0), num.uint("entry.index", e.index or 0),
                     num.int("entry.type", e.type or 0, 0, K("ENTRY_CONF_CHANGE_V2")),
                     num.bytes("entry.data", e.data, true))
end

function M.decode_entry(b)
    local rc, term, index, typ, data = B.entry_decode(num.bytes("entry bytes", b))
    check(rc)
    return { term = term, index = index, type = typ, data = data }
end

-- encoded strings of a list of entries (tables or strings)
function M.encode_entries(list, name)
    num.list(name or "entries", list)
    local out = {}
    for i = 1, #list do out[i] = M.encode_entry(list[i]) end
    return out
end

function M.decode_entries(list)
    local out = {}
    for i = 1, #list do out[i] = M.decode_entry(list[i]) end
    return out
end

-- ---- HardState ----
local enc_hs = encoded("HardState", B.hard_state_encode)
function M.encode_hard_state(hs)
    if type(hs) == "string" then return hs end
    table_arg("hard_state", hs)
    return enc_hs(num.uint("hard_state.term", hs.term or 0),
                  num.uint("hard_state.vote", hs.vote or 0),
                  num.uint("hard_state.commit", hs.commit or 0))
end

function M.decode_hard_state(b)
    local rc, term, vote, commit = B.hard_state_decode(num.bytes("hard state bytes", b))
    check(rc)
    return { term = term, vote = vote, commit = commit }
end

-- ---- ConfState ----
local function ids(name, v)
    if v == nil then return {} end
    num.list(name, v)
    local out = {}
    for i = 1, #v do out[i] = num.id(name .. "[" .. i .. "]", v[i]) end
    return out
end

local enc_cs = encoded("ConfState", B.conf_state_encode)
function M.encode_conf_state(cs)
    if cs == nil then return "" end
    if type(cs) == "string" then return cs end
    table_arg("conf_state", cs)
    return enc_cs(ids("conf_state.voters", cs.voters), ids("conf_state.learners", cs.learners),
                  ids("conf_state.voters_outgoing", cs.voters_outgoing),
                  ids("conf_state.learners_next", cs.learners_next),
                  num.bool("conf_state.auto_leave", cs.auto_leave) and 1 or 0)
end

function M.decode_conf_state(b)
    num.bytes("conf state bytes", b)
    local cs = {}
    local auto
    for _, list in ipairs({ "VOTERS", "LEARNERS", "VOTERS_OUTGOING", "LEARNERS_NEXT" }) do
        local rc, t, a = B.conf_state_decode(b, K("CS_" .. list))
        check(rc)
        cs[list:lower()], auto = t, a
    end
    cs.auto_leave = auto ~= 0
    return cs
end

-- ---- Snapshot ----
local enc_snap = encoded("Snapshot", B.snapshot_encode)
function M.encode_snapshot(s)
    if type(s) == "string" then return s end
    table_arg("snapshot", s)
    local md = s.metadata or {}
    table_arg("snapshot.metadata", md)
    return enc_snap(num.uint("snapshot.metadata.index", md.index or 0),
                    num.uint("snapshot.metadata.term", md.term or 0),
                    M.encode_conf_state(md.conf_state), num.bytes("snapshot.data", s.data, true))
end

function M.decode_snapshot(b)
    num.bytes("snapshot bytes", b)
    local cs, data = core.sink(), core.sink()
    local rc, index, term = B.snapshot_decode(cs, data, b)
    check(rc)
    return { data = core.first(data),
             metadata = { conf_state = M.decode_conf_state(core.first(cs)), index = index,
                          term = term } }
end

-- ---- Message ----
local MF = {}
for _, f in ipairs({ "TYPE", "TO", "FROM", "TERM", "LOG_TERM", "INDEX", "COMMIT", "VOTE", "REJECT",
                     "REJECT_HINT", "N_ENTRIES", "HAS_SNAPSHOT", "N_RESPONSES" }) do
    MF[f] = F("MF_" .. f)
end
M.MF = MF

local enc_msg = encoded("Message", B.message_encode)

-- n // 128 for an integer n >= 0, exact on both runtimes (Lua 5.4's integers go past 2^53,
-- where `/` would round; LuaJIT's numbers stop there and have no `//`).
local div128 = (math.type and load("return function(n) return n // 128 end")())
    or function(n) return (n - n % 128) / 128 end

-- A protobuf varint (n: an integer >= 0, up to 2^63 - 1 on Lua 5.4 and 2^53 on LuaJIT): what
-- frames messages on a stream (kv-protocol.md's peer transport) and what precedes a
-- length-delimited field.
function M.encode_varint(n)
    local out = {}
    repeat
        local b = n % 128
        n = div128(n)
        out[#out + 1] = string.char(n > 0 and b + 128 or b)
    until n == 0
    return table.concat(out)
end

function M.encode_message(m)
    if type(m) == "string" then return m end
    table_arg("message", m)
    local f = {}
    f[MF.TYPE] = num.int("message.type", m.type or 0, 0, N_MSG_TYPES)
    f[MF.TO] = num.limit("message.to", m.to or 0)
    f[MF.FROM] = num.limit("message.from", m.from or 0)
    f[MF.TERM] = num.uint("message.term", m.term or 0)
    f[MF.LOG_TERM] = num.uint("message.log_term", m.log_term or 0)
    f[MF.INDEX] = num.uint("message.index", m.index or 0)
    f[MF.COMMIT] = num.uint("message.commit", m.commit or 0)
    f[MF.VOTE] = num.uint("message.vote", m.vote or 0)
    f[MF.REJECT] = num.bool("message.reject", m.reject) and 1 or 0
    f[MF.REJECT_HINT] = num.uint("message.reject_hint", m.reject_hint or 0)
    local ents = M.encode_entries(m.entries or {}, "message.entries")
    local snap = m.snapshot and M.encode_snapshot(m.snapshot) or nil
    local ctx = m.context
    if ctx ~= nil then num.bytes("message.context", ctx) end
    local b = enc_msg(f, ents, snap, ctx)
    -- Responses (field 14, repeated Message) follow every other field, as the Go encoder puts
    -- them; raftc's encoder has no parameter for them.
    local resp = m.responses
    if resp ~= nil and #num.list("message.responses", resp) > 0 then
        local parts = { b }
        for i = 1, #resp do
            local r = M.encode_message(resp[i])
            parts[#parts + 1] = "\114" .. M.encode_varint(#r) .. r
        end
        b = table.concat(parts)
    end
    return b
end

local parts = { core.sink(), core.sink(), core.sink(), core.sink() }

function M.decode_message(b)
    num.bytes("message bytes", b)
    local rc, info = B.message_decode(b)
    check(rc)
    local m = { type = info[MF.TYPE], to = info[MF.TO], from = info[MF.FROM],
                term = info[MF.TERM], log_term = info[MF.LOG_TERM], index = info[MF.INDEX],
                commit = info[MF.COMMIT], vote = info[MF.VOTE], reject = info[MF.REJECT] ~= 0,
                reject_hint = info[MF.REJECT_HINT], entries = {}, responses = {}, context = "" }
    if info[MF.N_ENTRIES] > 0 or info[MF.HAS_SNAPSHOT] ~= 0 or info[MF.N_RESPONSES] > 0 or
        #b > 0 then
        -- module sinks, reset per call: every item is copied out before any recursion
        local ents, snap, resps, ctx = parts[1], parts[2], parts[3], parts[4]
        for i = 1, 4 do B.sink_reset(parts[i]) end
        check(B.message_decode_parts(ents, snap, resps, ctx, b))
        local ent_bytes = core.items(ents)
        local snap_bytes = B.sink_count(snap) > 0 and core.first(snap) or nil
        local rs = core.items(resps)
        m.context = core.first(ctx)
        m.entries = M.decode_entries(ent_bytes)
        if snap_bytes then m.snapshot = M.decode_snapshot(snap_bytes) end
        for i = 1, #rs do m.responses[i] = M.decode_message(rs[i]) end
    end
    return m
end

-- ---- ConfChange / ConfChangeV2 ----
local enc_cc = encoded("ConfChange", B.conf_change_encode)
function M.encode_conf_change(cc)
    if type(cc) == "string" then return cc end
    table_arg("conf_change", cc)
    local id = num.uint("conf_change.id", cc.id or 0)
    local b = enc_cc(num.int("conf_change.type", cc.type or 0, 0, K("CC_ADD_LEARNER_NODE")),
                     num.uint("conf_change.node_id", cc.node_id or 0),
                     num.bytes("conf_change.context", cc.context, true))
    -- etcd's ConfChange.ID (field 1): raft carries it untouched, for the application to match
    -- an applied conf change with its proposal. raftc's encoder has no such parameter; the
    -- field goes first, where etcd writes it.
    if id ~= 0 then b = M.encode_varint(8) .. M.encode_varint(id) .. b end
    return b
end

local enc_cc2 = encoded("ConfChangeV2", B.conf_change_v2_encode)
function M.encode_conf_change_v2(cc)
    if type(cc) == "string" then return cc end
    table_arg("conf_change_v2", cc)
    local list = {}
    local changes = cc.changes or {}
    num.list("conf_change_v2.changes", changes)
    for i = 1, #changes do
        local c = table_arg("conf_change_v2.changes[" .. i .. "]", changes[i])
        list[i] = { num.int("changes[" .. i .. "].type", c.type or 0, 0, K("CC_ADD_LEARNER_NODE")),
                    num.uint("changes[" .. i .. "].node_id", c.node_id or 0) }
    end
    return enc_cc2(num.int("conf_change_v2.transition", cc.transition or 0, 0,
                           K("CC_TRANSITION_JOINT_EXPLICIT")),
                   list, num.bytes("conf_change_v2.context", cc.context, true))
end

-- kind (raftc's RAFTC_CC_V1 / RAFTC_CC_V2) and bytes of a conf change table: a table with
-- `changes` or `transition` is a ConfChangeV2, any other a ConfChange (v1).
function M.conf_change_kind(cc)
    if type(cc) ~= "table" then
        errors.arg("conf change must be a ConfChange or ConfChangeV2 table, got %s", type(cc))
    end
    if cc.changes ~= nil or cc.transition ~= nil then
        return K("CC_V2"), M.encode_conf_change_v2(cc)
    end
    return K("CC_V1"), M.encode_conf_change(cc)
end

-- The context of an encoded conf change (kind RAFTC_CC_V1 / RAFTC_CC_V2).
function M.conf_change_context(kind, b)
    local s = core.sink()
    check(B.conf_change_decode_context(s, kind, num.bytes("conf change bytes", b)))
    return core.first(s)
end

-- Generic forms: raftpb.encode("Message", t), raftpb.decode("Entry", bytes).
local ENCODE = { Entry = M.encode_entry, HardState = M.encode_hard_state,
                 ConfState = M.encode_conf_state, Snapshot = M.encode_snapshot,
                 Message = M.encode_message, ConfChange = M.encode_conf_change,
                 ConfChangeV2 = M.encode_conf_change_v2 }
local DECODE = { Entry = M.decode_entry, HardState = M.decode_hard_state,
                 ConfState = M.decode_conf_state, Snapshot = M.decode_snapshot,
                 Message = M.decode_message }
function M.encode(kind, t)
    local f = ENCODE[kind]
    if not f then errors.arg("raftpb.encode: unknown type %s", tostring(kind)) end
    return f(t)
end
function M.decode(kind, b)
    local f = DECODE[kind]
    if not f then errors.arg("raftpb.decode: unknown type %s", tostring(kind)) end
    return f(b)
end

return M
