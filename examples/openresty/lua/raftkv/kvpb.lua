-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- kvpb.lua: proto/kvpb.proto (Command, Snapshot with Pair and Member) in protobuf wire format,
-- for the OpenResty key-value service, and the one field of raftpb's ConfChange the service
-- reads (its ID). There is no Lua protobuf library to build on: Debian packages none, and
-- luarocks' lua-protobuf is out of reach of this project's package sources (docs/lua.md), so this
-- module encodes and decodes exactly these messages: varint and length-delimited fields,
-- unknown fields skipped.
--
-- Numbers are exact: a uint64 field decodes to a Lua number below 2^53 and to a uint64_t cdata
-- at or above it (the other implementations number their proposals with a nanosecond clock), and
-- encodes from either. Such a cdata compares equal (==) to an equal Lua number, but a table
-- keyed by numbers does not find it: this service only looks up its own sequence numbers, which
-- stay below 2^53.
local ffi = require "ffi"
local bit = require "bit"
local encode_number = require("raftc.raftpb").encode_varint

local M = {}

M.PUT, M.DELETE = 0, 1

local U64 = ffi.typeof("uint64_t")
local TWO53 = 2 ^ 53

-- A varint of a Lua number (0 <= n < 2^53) or a uint64_t cdata.
local function varint(n)
    if type(n) ~= "cdata" then return encode_number(n) end
    n = U64(n)
    local out = {}
    repeat
        local b = tonumber(n % 128)
        n = n / 128 -- uint64_t division: exact
        out[#out + 1] = string.char(n > 0 and b + 128 or b)
    until n == 0
    return table.concat(out)
end
M.varint = varint

local function field_varint(num, v) return varint(num * 8) .. varint(v) end
local function field_bytes(num, s) return varint(num * 8 + 2) .. varint(#s) .. s end

-- Reads a varint at pos; returns value, next pos (nil on truncation or a value past 2^64).
-- The first seven bytes (49 bits) add up exactly in a double; a longer varint is summed as a
-- uint64_t and returned as a number only when below 2^53.
local function read_varint(s, pos)
    local v = 0
    for i = pos, math.min(#s, pos + 9) do
        local b = s:byte(i)
        local k = i - pos -- this byte's group: bits 7k .. 7k+6
        if k < 7 then
            v = v + (b % 128) * 2 ^ (7 * k)
        else
            if k == 9 and b > 1 then return nil end -- past 64 bits
            v = U64(v) + bit.lshift(U64(b % 128), 7 * k)
        end
        if b < 128 then
            if type(v) == "cdata" and v < TWO53 then v = tonumber(v) end
            return v, i + 1
        end
    end
    return nil
end
M.read_varint = read_varint

-- Calls fn(field, wire_type, value) for each field of message bytes s; value is a number
-- (varint) or a string (length-delimited). Returns nil, err on malformed bytes.
local function fields(s, fn)
    local pos = 1
    while pos <= #s do
        local tag, p = read_varint(s, pos)
        if not tag then return nil, "truncated tag" end
        local num, wt = math.floor(tag / 8), tag % 8
        local v
        if wt == 0 then
            v, p = read_varint(s, p)
            if not v then return nil, "bad varint" end
        elseif wt == 2 then
            local n
            n, p = read_varint(s, p)
            if not n or p + n - 1 > #s then return nil, "truncated bytes" end
            v = s:sub(p, p + n - 1)
            p = p + n
        elseif wt == 1 then
            if p + 7 > #s then return nil, "truncated fixed64" end
            p = p + 8
        elseif wt == 5 then
            if p + 3 > #s then return nil, "truncated fixed32" end
            p = p + 4
        else
            return nil, "bad wire type"
        end
        if num == 0 then return nil, "field 0" end
        if v ~= nil then fn(num, wt, v) end
        pos = p
    end
    return true
end

function M.encode_command(c)
    local parts = { field_varint(1, c.op or M.PUT), field_bytes(2, c.key or "") }
    if c.value then parts[#parts + 1] = field_bytes(3, c.value) end
    parts[#parts + 1] = field_varint(4, c.node or 0)
    parts[#parts + 1] = field_varint(5, c.seq or 0)
    return table.concat(parts)
end

function M.decode_command(s)
    local c = { op = M.PUT, key = "", value = "", node = 0, seq = 0 }
    local ok, err = fields(s, function(num, wt, v)
        if num == 1 and wt == 0 then c.op = v
        elseif num == 2 and wt == 2 then c.key = v
        elseif num == 3 and wt == 2 then c.value = v
        elseif num == 4 and wt == 0 then c.node = v
        elseif num == 5 and wt == 0 then c.seq = v end
    end)
    if not ok then return nil, err end
    return c
end

-- snapshot: { pairs = { {key, value}... } sorted by key, members = { {id, url, learner}... } }
function M.encode_snapshot(snap)
    local parts = {}
    for _, p in ipairs(snap.pairs) do
        parts[#parts + 1] = field_bytes(1, field_bytes(1, p.key) .. field_bytes(2, p.value))
    end
    for _, m in ipairs(snap.members) do
        local b = field_varint(1, m.id) .. field_bytes(2, m.url)
        if m.learner then b = b .. field_varint(3, 1) end
        parts[#parts + 1] = field_bytes(2, b)
    end
    return table.concat(parts)
end

function M.decode_snapshot(s)
    local snap = { pairs = {}, members = {} }
    local inner_err
    local ok, err = fields(s, function(num, wt, v)
        if wt ~= 2 then return end
        if num == 1 then
            local p = { key = "", value = "" }
            local ok2, e2 = fields(v, function(n, w, x)
                if n == 1 and w == 2 then p.key = x elseif n == 2 and w == 2 then p.value = x end
            end)
            if not ok2 then inner_err = e2 end
            snap.pairs[#snap.pairs + 1] = p
        elseif num == 2 then
            local m = { id = 0, url = "", learner = false }
            local ok2, e2 = fields(v, function(n, w, x)
                if n == 1 and w == 0 then m.id = x
                elseif n == 2 and w == 2 then m.url = x
                elseif n == 3 and w == 0 then m.learner = x ~= 0 end
            end)
            if not ok2 then inner_err = e2 end
            snap.members[#snap.members + 1] = m
        end
    end)
    if not ok then return nil, err end
    if inner_err then return nil, inner_err end
    return snap
end

-- The ID (field 1) of raftpb ConfChange bytes, 0 when absent or when the bytes do not parse (a
-- ConfChangeV2 has no ID). The service proposes its conf changes with the waiting request's
-- sequence number as ID (raftc.raftpb.encode_conf_change{ id = ... }) to find that request.
function M.conf_change_id(s)
    local id = 0
    local ok = fields(s, function(num, wt, v)
        if num == 1 and wt == 0 then id = v end
    end)
    return ok and id or 0
end

-- The peer transport's body: each raftpb Message preceded by its length as a varint.
function M.frame(list)
    local parts = {}
    for _, b in ipairs(list) do
        parts[#parts + 1] = varint(#b)
        parts[#parts + 1] = b
    end
    return table.concat(parts)
end

-- The messages of a transport body, or nil, err if it does not parse completely.
function M.unframe(body)
    local out, pos = {}, 1
    while pos <= #body do
        local n, p = read_varint(body, pos)
        if not n or p + n - 1 > #body then return nil, "truncated frame" end
        out[#out + 1] = body:sub(p, p + n - 1)
        pos = p + n
    end
    return out
end

return M
