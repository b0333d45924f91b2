#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# lua-run.sh: runs a Lua runtime with the checkout's Lua binding: lua/ on LUA_PATH, the SWIG
# module and libraftc that tools/build-lua.sh built on LUA_CPATH / RAFTC_LIBRARY, and the backend
# forced with RAFTC_LUA_BACKEND.
#   tools/lua-run.sh lua5.4|luajit swig|ffi [ARGS...]     e.g. ... luajit ffi /usr/bin/busted lua/spec
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
[ $# -ge 2 ] || { echo "usage: $0 lua5.4|luajit swig|ffi [ARGS...]" >&2; exit 2; }
runtime="$1" backend="$2"
shift 2
case "$runtime" in
    lua5.4) cpath="$build_root/lua/5.4/?.so" ;;
    luajit) cpath="$build_root/lua/luajit/?.so" ;;
    *) echo "lua-run: unknown runtime $runtime (lua5.4 or luajit)" >&2; exit 2 ;;
esac
export RAFTC_LUA_BACKEND="$backend"
export RAFTC_LIBRARY="$build_root/lua-lib/libraftc.so"
export LUA_PATH="$root/lua/?.lua;$root/lua/?/init.lua;;"
export LUA_CPATH="$cpath;;"
exec "$runtime" "$@"
