#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# lua-test.sh: the Lua binding's CI step (docs/lua.md):
#   1. tools/build-lua.sh: libraftc + the SWIG module for Lua 5.4 and LuaJIT;
#   2. the busted specs (lua/spec) on lua5.4 (SWIG), luajit (FFI) and luajit (SWIG), and the
#      OpenResty example's (examples/openresty/spec: its kvpb codec) on luajit (FFI);
#   3. `luarocks make` of the rockspec from the checkout, for Lua 5.4 and for 5.1 (LuaJIT), each
#      into a fresh tree, and a node created from each installed rock;
#   4. examples/openresty/cluster_test.sh: three nginx instances running the key-value service,
#      SIGKILL of the leader, failover, no acknowledged write lost, restart and catch-up;
#   5. with RAFTC_KV_PYTHON: the Python kv demo (tools/demo.sh) driving OpenResty nodes.
# The etcd transcripts and the project's scenarios run through the Lua datadriven driver in
# tools/conformance-matrix (three columns: Lua5.4, LuaJIT-ffi, LuaJIT-swig).
# Prints one summary line last ("lua: ..."); exit 0 = all passed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
export RAFTC_BUILD_ROOT="$build_root"
for tool in lua5.4 luajit swig busted luarocks nginx curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "lua: FAILED ($tool not installed: tools/install-deps.sh)"; exit 1; }
done

echo "== build (tools/build-lua.sh)"
"$root/tools/build-lua.sh" 5.4 luajit

specs=""
for combo in "lua5.4 swig" "luajit ffi" "luajit swig"; do
    set -- $combo
    echo "== busted on $1 ($2)"
    log="$build_root/lua/busted-$1-$2.log"
    if ! (cd "$root/lua/spec" && "$root/tools/lua-run.sh" "$1" "$2" "$(command -v busted)" \
            --lpath='./?.lua' -o TAP .) >"$log" 2>&1; then
        cat "$log"
        echo "lua: FAILED (busted on $1 $2)"
        exit 1
    fi
    n="$(grep -c '^ok ' "$log" || true)"
    specs="$specs $1/$2:$n"
done
echo "== busted on luajit (ffi): examples/openresty/spec"
log="$build_root/lua/busted-openresty.log"
if ! (cd "$root/examples/openresty/spec" && "$root/tools/lua-run.sh" luajit ffi \
        "$(command -v busted)" --lpath='./?.lua;../lua/?.lua' -o TAP .) >"$log" 2>&1; then
    cat "$log"
    echo "lua: FAILED (busted on examples/openresty/spec)"
    exit 1
fi
specs="$specs openresty:$(grep -c '^ok ' "$log" || true)"

echo "== luarocks make (5.4 and 5.1) into fresh trees"
for v in 5.4 5.1; do
    tree="$build_root/lua/rocktree-$v"
    rm -rf "$tree"
    (cd "$root" && luarocks --lua-version="$v" make --tree "$tree" raftc-1.0.0-1.rockspec) \
        >"$build_root/lua/luarocks-$v.log" 2>&1 || {
        cat "$build_root/lua/luarocks-$v.log"
        echo "lua: FAILED (luarocks --lua-version=$v make)"
        exit 1
    }
    runtime=lua5.4
    [ "$v" = 5.1 ] && runtime=luajit
    LUA_PATH="$tree/share/lua/$v/?.lua;$tree/share/lua/$v/?/init.lua;;" \
    LUA_CPATH="$tree/lib/lua/$v/?.so;;" RAFTC_LIBRARY="" RAFTC_LUA_BACKEND="" "$runtime" -e '
        local raftc = require "raftc"
        local node = raftc.RawNode{ id = 1, storage = raftc.MemoryStorage() }
        node:bootstrap{ 1 }
        assert(node:has_ready())
        print("installed rock: " .. _VERSION .. " backend " .. raftc.backend)' || {
        echo "lua: FAILED (the rock installed for $v does not load)"
        exit 1
    }
done
echo "== OpenResty cluster (examples/openresty/cluster_test.sh)"
ores_log="$build_root/lua/openresty-cluster.log"
if ! "$root/examples/openresty/cluster_test.sh" >"$ores_log" 2>&1; then
    cat "$ores_log"
    echo "lua: FAILED (OpenResty cluster test)"
    exit 1
fi
grep -v '^$' "$ores_log" | grep -v 'Killed' || true
# The Python implementation's narrated demo against OpenResty nodes (the same protocol and
# flags): when RAFTC_KV_PYTHON names an interpreter with pyraftc[kv] (tools/test-all.sh passes
# its test virtualenv's).
demo="not run (no RAFTC_KV_PYTHON)"
if [ -n "${RAFTC_KV_PYTHON:-}" ]; then
    echo "== tools/demo.sh --launcher examples/openresty/raftc-kv"
    demo_log="$build_root/lua/openresty-demo.log"
    if RAFTC_KV_PYTHON="$RAFTC_KV_PYTHON" "$root/tools/demo.sh" --launcher \
            "$root/examples/openresty/raftc-kv" --no-live >"$demo_log" 2>&1; then
        demo="$(tail -1 "$demo_log")"
    else
        cat "$demo_log"
        echo "lua: FAILED (the kv demo against OpenResty nodes)"
        exit 1
    fi
fi
echo "lua: busted specs passed (${specs# }), luarocks make for 5.4 and 5.1 installs a working rock, $(tail -1 "$ores_log" | sed 's/^openresty: //'); kv demo on OpenResty: $demo"
