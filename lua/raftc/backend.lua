-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- backend.lua: picks the C backend of the Lua binding. RAFTC_LUA_BACKEND=swig|ffi forces one;
-- otherwise LuaJIT uses the FFI backend (raftc.backend.ffi) and PUC Lua the SWIG module
-- (raftc_swig, adapted by raftc.backend.swig). Returns { B = backend, safe = backend for nodes
-- whose C calls may call back into Lua }.
local forced = os.getenv("RAFTC_LUA_BACKEND")
if forced == "" then forced = nil end
if forced and forced ~= "swig" and forced ~= "ffi" then
    error("raftc: RAFTC_LUA_BACKEND must be 'swig' or 'ffi', not '" .. forced .. "'", 0)
end
local is_luajit = type(jit) == "table" and pcall(require, "ffi")
local name = forced or (is_luajit and "ffi" or "swig")
if name == "ffi" and not is_luajit then
    error("raftc: RAFTC_LUA_BACKEND=ffi needs LuaJIT (this is " .. _VERSION .. ")", 0)
end

local B = require("raftc.backend." .. name)
local safe = B
if name == "ffi" then
    -- A second, independent copy of the FFI functions with JIT compilation off: LuaJIT must not
    -- compile a call to a C function that calls back into Lua (logger, Lua storage).
    local path = assert(package.searchpath("raftc.backend.ffi", package.path))
    safe = assert(loadfile(path))()
    for _, f in pairs(safe) do
        if type(f) == "function" then jit.off(f, true) end
    end
end
return { B = B, safe = safe, name = name }
