#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# install-deps.sh: installs what raftc needs to build and test on Debian (run as root, or with
# sudo). The README's two commands and .ci/run start with it. When apt-get is unavailable it
# succeeds only if every tool is already present.
set -euo pipefail


tools=(cmake ninja gcc clang pkg-config protoc-c valgrind python3 luajit lua5.4 swig busted luarocks)
deps=(cmake ninja-build gcc clang pkg-config protobuf-c-compiler libprotobuf-c-dev
      libcmocka-dev valgrind python3 python3-venv python3-dev ca-certificates
      g++ abigail-tools libclang-rt-dev luajit2 libluajit2-5.1-dev lua5.4 liblua5.4-dev
      liblua5.1-0-dev swig lua-busted luarocks nginx libnginx-mod-http-lua lua-resty-core
      lua-resty-lrucache lua-cjson curl libraft-dev libuv1-dev)
# g++: the C++ header test (tests/abi); abigail-tools: abidw/abidiff for
# tools/abi-check-baseline.sh; libclang-rt-dev: libFuzzer + sanitizer runtimes for the
# installed clang (tools/fuzz-run.sh); luajit: tools/check-decls-luajit.sh (bindings/raftc_decls.h
# through LuaJIT's ffi.cdef).
# The Lua binding (tools/lua-test.sh, docs/lua.md): luajit2 + libluajit2-5.1-dev (OpenResty's
# LuaJIT 2.1, the one Debian's libnginx-mod-http-lua needs; it conflicts with luajit /
# libluajit-5.1-dev), lua5.4 + liblua5.4-dev, liblua5.1-0-dev (luarocks' 5.1 rock build), swig,
# lua-busted, luarocks; nginx + libnginx-mod-http-lua + lua-resty-core/lrucache + lua-cjson (the
# node's /status JSON) for the OpenResty example and its cluster test (examples/openresty; curl
# drives it).
# libraft-dev + libuv1-dev: canonical/raft 0.15 (the C raft library under dqlite), a peer in
# bench/run (bench/c/canonical; its static libraft.a and libuv's uv_buf_t).

have_all() {
    local t
    for t in "${tools[@]}"; do
        command -v "$t" >/dev/null 2>&1 || return 1
    done
    pkg-config --exists libprotobuf-c cmocka 2>/dev/null ||
        { [ -f /usr/include/cmocka.h ] && [ -f /usr/include/protobuf-c/protobuf-c.h ]; }
}

install_deps() {
    command -v apt-get >/dev/null 2>&1 || return 1
    export DEBIAN_FRONTEND=noninteractive
    apt-get update && apt-get install -y --no-install-recommends "${deps[@]}"
}

if ! install_deps; then
    if have_all; then
        echo "install-deps: could not run apt-get, but all build tools are already present"
    else
        echo "install-deps: apt-get unavailable or failed, and build tools are missing (need: ${deps[*]})" >&2
        exit 1
    fi
fi
