-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- ffi_lib.lua: the state shared by the LuaJIT FFI backend: ffi.cdef of the generated declarations
-- (bindings/raftc_decls.h), the loaded libraftc, uint64 conversions, and the C callbacks (logger, storage)
-- that dispatch to Lua. Loaded once per Lua state; raftc.backend.ffi holds the C calls.
local ffi = require "ffi"

local M = {}

-- The declarations: bindings/raftc_decls.h (generated from raftc.h), found as
-- $RAFTC_DECLS, else as raftc/raftc_decls.h on package.path (where the rockspec installs it),
-- else in the checkout this file belongs to.
local function read_decls()
    local path = os.getenv("RAFTC_DECLS")
    if not path or path == "" then
        path = package.searchpath("raftc.raftc_decls", (package.path:gsub("%.lua", ".h")))
    end
    if not path then
        local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
        path = here .. "/../../../bindings/raftc_decls.h"
    end
    local f, err = io.open(path, "rb")
    if not f then error("raftc: cannot read the declarations raftc_decls.h: " .. tostring(err), 0) end
    local text = f:read("*a")
    f:close()
    return text
end
ffi.cdef(read_decls())

-- The library: $RAFTC_LIBRARY, else libraftc.so on package.cpath (where the rockspec installs
-- it), else the dynamic linker's search: libraftc.so.<RAFTC_ABI_VERSION> (the SONAME, present
-- without a development package), then libraftc.so. The library loaded must report the ABI
-- major these declarations were generated for.
local function load_library()
    local path = os.getenv("RAFTC_LIBRARY")
    if path and path ~= "" then return ffi.load(path) end
    path = package.searchpath("libraftc", package.cpath)
    if path then return ffi.load(path) end
    local ok, lib = pcall(ffi.load, "libraftc.so." .. tonumber(ffi.C.RAFTC_ABI_VERSION))
    if ok then return lib end
    local ok2, lib2 = pcall(ffi.load, "raftc")
    if ok2 then return lib2 end
    error("raftc: cannot find libraftc (set RAFTC_LIBRARY, install the rock, or add it to " ..
          "package.cpath): " .. tostring(lib2), 0)
end
M.C = load_library()
if M.C.raftc_abi_version() ~= ffi.C.RAFTC_ABI_VERSION then
    error(string.format("raftc: the loaded libraftc has ABI %d, these declarations ABI %d",
                        M.C.raftc_abi_version(), tonumber(ffi.C.RAFTC_ABI_VERSION)), 0)
end
M.ffi = ffi

-- uint64 values cross as Lua numbers holding their two's-complement int64 value (raftc.NO_LIMIT
-- is -1). LuaJIT numbers are doubles: a value outside [-2^53, 2^53] raises instead of rounding.
local I64, U64 = ffi.typeof("int64_t"), ffi.typeof("uint64_t")
local EXACT = 2 ^ 53

function M.u64_in(x)
    if x < 0 then return ffi.cast(U64, ffi.cast(I64, x)) end
    return x
end

function M.u64_out(u)
    if u <= EXACT then return tonumber(u) end
    local s = tonumber(ffi.cast(I64, u))
    if s >= -EXACT and s < 0 then return s end
    error(string.format("raftc: uint64 value %s cannot be represented exactly as a LuaJIT number",
                        tostring(u):sub(1, -4)), 0)
end

-- Callbacks: one C function pointer per kind for the whole Lua state (LuaJIT callback slots are a
-- limited resource); ud carries the key of a dispatch function in `dispatchers`. A dispatch
-- function never raises (raftc.storage wraps user code in pcall); a raise here is caught anyway
-- and turned into RAFTC_ESTORAGE, because an error must never unwind through C frames.
local dispatchers, next_key = {}, 1
M.dispatchers = dispatchers

function M.register(dispatch)
    local key = next_key
    next_key = next_key + 1
    dispatchers[key] = dispatch
    return key
end

function M.unregister(key) dispatchers[key] = nil end

local function lookup(ud) return dispatchers[tonumber(ffi.cast("intptr_t", ud))] end

local ESTORAGE = M.C.RAFTC_ESTORAGE
local sink_put = M.C.raftc_sink_put

local function put(sink, s)
    if type(s) ~= "string" then return ESTORAGE end
    return sink_put(sink, s, #s)
end

local function call(ud, kind, ...)
    local d = lookup(ud)
    if not d then return ESTORAGE end
    local ok, rc, a, b = pcall(d, kind, ...)
    if not ok then return ESTORAGE end
    return rc, a, b
end

M.log_cb = ffi.cast("raftc_log_fn", function(ud, level, msg, len)
    local d = lookup(ud)
    -- level is a raftc_log_level: LuaJIT passes enums as cdata, the dispatch wants a number
    if d then pcall(d, "log", tonumber(level), ffi.string(msg, len)) end
end)

local cbs = {}
cbs.initial_state = ffi.cast("int (*)(void *, raftc_sink *, raftc_sink *)",
    function(ud, hs, cs)
        local rc, h, c = call(ud, "initial_state")
        if rc ~= 0 then return rc end
        rc = put(hs, h)
        if rc ~= 0 then return rc end
        return put(cs, c)
    end)
cbs.entries = ffi.cast("int (*)(void *, raftc_sink *, uint64_t, uint64_t, uint64_t)",
    function(ud, out, lo, hi, max_size)
        -- max_size is a byte budget: one beyond 2^53 is no limit (raftc.NO_LIMIT)
        local ok, l, h = pcall(function() return M.u64_out(lo), M.u64_out(hi) end)
        local m = max_size <= EXACT and tonumber(max_size) or -1
        if not ok then return ESTORAGE end
        local rc, list = call(ud, "entries", l, h, m)
        if rc ~= 0 then return rc end
        if type(list) ~= "table" then return ESTORAGE end
        for i = 1, #list do
            rc = put(out, list[i])
            if rc ~= 0 then return rc end
        end
        return 0
    end)
cbs.term = ffi.cast("int (*)(void *, uint64_t *, uint64_t)", function(ud, out, i)
    local ok, li = pcall(M.u64_out, i)
    if not ok then return ESTORAGE end
    local rc, v = call(ud, "term", li)
    if rc ~= 0 then return rc end
    out[0] = M.u64_in(v)
    return 0
end)
cbs.first_index = ffi.cast("int (*)(void *, uint64_t *)", function(ud, out)
    local rc, v = call(ud, "first_index")
    if rc ~= 0 then return rc end
    out[0] = M.u64_in(v)
    return 0
end)
cbs.last_index = ffi.cast("int (*)(void *, uint64_t *)", function(ud, out)
    local rc, v = call(ud, "last_index")
    if rc ~= 0 then return rc end
    out[0] = M.u64_in(v)
    return 0
end)
cbs.snapshot = ffi.cast("int (*)(void *, raftc_sink *)", function(ud, out)
    local rc, s = call(ud, "snapshot")
    if rc ~= 0 then return rc end
    return put(out, s)
end)
M.storage_cbs = cbs

return M
