-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- The Lua binding as a rock (docs/lua.md). From a checkout:
--   luarocks --lua-version=5.4 make            (PUC Lua 5.4: the SWIG module)
--   luarocks --lua-version=5.1 make            (LuaJIT / OpenResty: the FFI backend + SWIG module)
-- The build (tools/build-lua.sh) compiles libraftc with cmake, generates the SWIG module from
-- bindings/raftc.i against the Lua headers luarocks found, and installs libraftc.so beside it for
-- the FFI backend.
rockspec_format = "3.0"
package = "raftc"
version = "1.0.0-1"
source = {
    url = "git+file://.",
}
description = {
    summary = "etcd's raft in C (raftc), for Lua 5.4 (SWIG) and LuaJIT / OpenResty (FFI)",
    detailed = [[
raftc is the Raft consensus algorithm with the exact semantics of etcd's raft package, in C11
behind a versioned C ABI. This rock binds it for Lua: raftc.RawNode, raftc.MemoryStorage,
raftc.Storage, raftc.raftpb (etcd's wire format as Lua tables).]],
    license = "Apache-2.0",
}
dependencies = {
    "lua >= 5.1",
}
build = {
    type = "command",
    build_command = [[tools/build-lua.sh --incdir "$(LUA_INCDIR)" --out build/rock/raftc_swig.so]],
    install = {
        lua = {
            ["raftc.backend"] = "lua/raftc/backend.lua",
            ["raftc.backend.ffi"] = "lua/raftc/backend/ffi.lua",
            ["raftc.backend.ffi_lib"] = "lua/raftc/backend/ffi_lib.lua",
            ["raftc.backend.swig"] = "lua/raftc/backend/swig.lua",
            ["raftc.raftc_decls"] = "bindings/raftc_decls.h",
            ["raftc.core"] = "lua/raftc/core.lua",
            ["raftc.datadriven.confchange"] = "lua/raftc/datadriven/confchange.lua",
            ["raftc.datadriven.gostr"] = "lua/raftc/datadriven/gostr.lua",
            ["raftc.datadriven"] = "lua/raftc/datadriven/init.lua",
            ["raftc.datadriven.interaction"] = "lua/raftc/datadriven/interaction.lua",
            ["raftc.datadriven.quorum"] = "lua/raftc/datadriven/quorum.lua",
            ["raftc.datadriven.runner"] = "lua/raftc/datadriven/runner.lua",
            ["raftc.datadriven.selftest"] = "lua/raftc/datadriven/selftest.lua",
            ["raftc.describe"] = "lua/raftc/describe.lua",
            ["raftc.errors"] = "lua/raftc/errors.lua",
            ["raftc"] = "lua/raftc/init.lua",
            ["raftc.node"] = "lua/raftc/node.lua",
            ["raftc.num"] = "lua/raftc/num.lua",
            ["raftc.raftpb"] = "lua/raftc/raftpb.lua",
            ["raftc.storage"] = "lua/raftc/storage.lua",
            ["raftc.tools"] = "lua/raftc/tools.lua",
        },
        lib = {
            raftc_swig = "build/rock/raftc_swig.so",
            libraftc = "build/rock/libraftc.so",
        },
    },
}
