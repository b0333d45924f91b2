#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# check-decls-luajit.sh: bindings/raftc_decls.h must be digestible by LuaJIT's ffi.cdef (the
# strictest of the FFIs it serves: no preprocessor, integer constants up to 32 bits only), and the
# declarations must resolve against the built library.
#   tools/check-decls-luajit.sh [path/to/libraftc.so]   (default: $RAFTC_BUILD_ROOT/gcc/libraftc.so)
# Exit 0 = ok, 1 = failed, 77 = skipped (luajit not installed, Debian package `luajit`).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
lib="${1:-${RAFTC_BUILD_ROOT:-$root/build}/gcc/libraftc.so}"
if ! command -v luajit >/dev/null 2>&1; then
    echo "check-decls-luajit: luajit not installed (skipped)"
    exit 77
fi
if [ ! -f "$lib" ]; then
    echo "check-decls-luajit: $lib not found (build the library first)" >&2
    exit 1
fi

# cdef the whole file, load the library, and touch a few functions of each section (a symbol
# missing from the library fails on first use).
luajit - "$root/bindings/raftc_decls.h" "$lib" <<'LUA'
local ffi = require("ffi")
local decls_path, lib_path = arg[1], arg[2]
local f = assert(io.open(decls_path, "rb"))
ffi.cdef(f:read("*a"))
f:close()
local C = ffi.load(lib_path)
assert(ffi.string(C.raftc_version()) ~= "", "empty raftc_version()")
assert(C.raftc_abi_version() == C.RAFTC_ABI_VERSION, "ABI version mismatch")
assert(ffi.string(C.raftc_strerror(C.RAFTC_EFAILED)) ~= "unknown error")
assert(ffi.string(C.raftc_msg_type_name(C.RAFTC_MSG_APP)) == "MsgApp")
local sink = ffi.new("raftc_sink *[1]")
assert(C.raftc_sink_new(sink) == C.RAFTC_OK)
local s = ffi.gc(sink[0], C.raftc_sink_free)
assert(C.raftc_entry_encode(s, 1, 2, C.RAFTC_ENTRY_NORMAL, "x", 1) == C.RAFTC_OK)
assert(C.raftc_sink_count(s) == 1)
local cfg = ffi.new("raftc_config *[1]")
assert(C.raftc_config_new(cfg) == C.RAFTC_OK)
C.raftc_config_free(cfg[0])
print(string.format("check-decls-luajit: ffi.cdef ok, %s (raftc %s) resolves", lib_path,
                    ffi.string(C.raftc_version())))
LUA
