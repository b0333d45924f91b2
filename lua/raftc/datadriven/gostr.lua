-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- gostr.lua: the Go strconv behaviours the harness texts depend on (Quote, ParseUint, Atoi,
-- ParseBool) with Go's error texts, and raftpb.ConfChangesFromString. Parse functions return
-- the value, or nil and Go's error text.
local raftpb = require "raftc.raftpb"

local M = {}

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\a"] = "\\a", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["\v"] = "\\v" }

-- strconv.Quote for the ASCII subset (other bytes as \xNN).
function M.quote(s)
    return '"' .. s:gsub(".", function(c)
        local e = ESCAPES[c]
        if e then return e end
        local b = c:byte()
        if b < 0x20 or b >= 0x7f then return string.format("\\x%02x", b) end
        return c
    end) .. '"'
end

local function err(fn, s, what) return string.format("strconv.%s: parsing %s: %s", fn, M.quote(s), what) end

-- The decimal digits string s compared with the decimal string of a limit (same length rule).
local function over(s, limit)
    s = s:gsub("^0+", "")
    if #s ~= #limit then return #s > #limit end
    return s > limit
end

local U64_MAX = "18446744073709551615"
local I64_MAX = "9223372036854775807"

-- strconv.ParseUint(s, 10, 64) as a Lua integer (values >= 2^63 wrap to negative, as raftc's
-- uint64 rule; on LuaJIT values above 2^53 are refused with a range error).
function M.parse_uint(s)
    if s == "" or s:find("[^0-9]") then return nil, err("ParseUint", s, "invalid syntax") end
    if over(s, U64_MAX) then return nil, err("ParseUint", s, "value out of range") end
    local v = math.tointeger and math.tointeger(tonumber(s)) or nil
    if math.tointeger then
        if v == nil then -- above 2^63 - 1: wrap
            local hi = 0
            for c in s:gmatch(".") do hi = hi * 10 + (c:byte() - 48) end -- wraps modulo 2^64
            v = hi
        end
        return v
    end
    local d = tonumber(s)
    if d > 2 ^ 53 then return nil, err("ParseUint", s, "value out of range") end
    return d
end

-- strconv.Atoi (64-bit).
function M.atoi(s)
    local body, neg = s, false
    local c = body:sub(1, 1)
    if c == "+" or c == "-" then
        neg = c == "-"
        body = body:sub(2)
    end
    if body == "" or body:find("[^0-9]") then return nil, err("Atoi", s, "invalid syntax") end
    local limit = neg and "9223372036854775808" or I64_MAX
    if over(body, limit) then return nil, err("Atoi", s, "value out of range") end
    local v = math.tointeger and math.tointeger(tonumber(body)) or tonumber(body)
    if v == nil then v = math.mininteger; return v end -- exactly -2^63
    return neg and -v or v
end

local TRUE = { ["1"] = true, t = true, T = true, TRUE = true, ["true"] = true, True = true }
local FALSE = { ["0"] = true, f = true, F = true, FALSE = true, ["false"] = true, False = true }

-- strconv.ParseBool.
function M.parse_bool(s)
    if TRUE[s] then return true end
    if FALSE[s] then return false end
    return nil, err("ParseBool", s, "invalid syntax")
end

-- raftpb.ConfChangesFromString: tokens v<id> l<id> r<id> u<id> split on single spaces; a list
-- of { type, node_id } or nil and etcd's error text.
function M.parse_changes(text)
    local ops = { v = raftpb.ConfChangeAddNode, l = raftpb.ConfChangeAddLearnerNode,
                  r = raftpb.ConfChangeRemoveNode, u = raftpb.ConfChangeUpdateNode }
    local out = {}
    if text == "" then return out end
    local pos = 1
    while true do
        local sp = text:find(" ", pos, true)
        local tok = text:sub(pos, sp and sp - 1 or #text)
        if #tok < 2 then return nil, "unknown token " .. tok end
        local op = ops[tok:sub(1, 1)]
        if not op then return nil, "unknown input: " .. tok end
        local id, e = M.parse_uint(tok:sub(2))
        if id == nil then return nil, e end
        out[#out + 1] = { type = op, node_id = id }
        if not sp then break end
        pos = sp + 1
    end
    return out
end

return M
