-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- num.lua: argument checks for the numbers that cross the C ABI. The rule (docs/lua.md):
-- ids, terms, indexes and sizes are Lua integers. On Lua 5.4 every uint64 below 2^63 is exact;
-- on LuaJIT numbers are doubles and a value above 2^53 is refused (never rounded). A uint64 the
-- library returns at or above 2^63 (raftc.NO_LIMIT, raftc.LOCAL_APPEND_THREAD,
-- raftc.LOCAL_APPLY_THREAD) is its two's-complement value, -1 / -2, on both runtimes.
local errors = require "raftc.errors"

local M = {}

local tointeger = math.tointeger -- Lua 5.3+
local MAX = tointeger and math.maxinteger or 2 ^ 53
M.MAX = MAX
local floor = math.floor

-- v as an integer, or nil if it is not one (floats with an integral value count; LuaJIT:
-- within +-2^53).
local function integer(v)
    if type(v) ~= "number" then return nil end
    if tointeger then return tointeger(v) end
    if v ~= v or floor(v) ~= v or v > MAX or v < -MAX then return nil end
    return v
end
M.integer = integer

local function what(v)
    if type(v) == "number" then return tostring(v) end
    return type(v)
end

-- A uint64 argument: an integer >= 0.
function M.uint(name, v)
    local i = integer(v)
    if i == nil or i < 0 then
        errors.arg("%s must be a non-negative integer%s, got %s", name,
                   tointeger and "" or " <= 2^53", what(v))
    end
    return i
end

-- A node id argument: an integer >= 1.
function M.id(name, v)
    local i = integer(v)
    if i == nil or i < 1 then
        errors.arg("%s must be a node id (an integer >= 1%s), got %s", name,
                   tointeger and "" or ", <= 2^53", what(v))
    end
    return i
end

-- A size limit argument: an integer >= 0, or raftc.NO_LIMIT (-1).
function M.limit(name, v)
    local i = integer(v)
    if i == nil or i < -1 then
        errors.arg("%s must be a non-negative integer or raftc.NO_LIMIT, got %s", name, what(v))
    end
    return i
end

-- A small int argument (enum values, ticks): an integer in [lo, hi].
function M.int(name, v, lo, hi)
    local i = integer(v)
    if i == nil or i < lo or i > hi then
        errors.arg("%s must be an integer in [%d, %d], got %s", name, lo, hi, what(v))
    end
    return i
end

-- A byte string argument (nil gives "" when optional).
function M.bytes(name, v, optional)
    if type(v) == "string" then return v end
    if v == nil and optional then return "" end
    errors.arg("%s must be a string of bytes, got %s", name, what(v))
end

-- A boolean argument (nil gives false).
function M.bool(name, v)
    if v == nil then return false end
    if type(v) ~= "boolean" then errors.arg("%s must be a boolean, got %s", name, what(v)) end
    return v
end

-- A list (table) argument.
function M.list(name, v)
    if type(v) ~= "table" then errors.arg("%s must be a list (table), got %s", name, what(v)) end
    return v
end

return M
