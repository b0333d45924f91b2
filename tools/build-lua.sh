#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# build-lua.sh: builds the native parts of the Lua binding (docs/lua.md):
#   - libraftc (shared, for the LuaJIT FFI backend; static, linked into the SWIG module), Release,
#     in $RAFTC_BUILD_ROOT/lua-lib (cmake);
#   - the SWIG module raftc_swig.so from bindings/raftc.i for each runtime asked for:
#     $RAFTC_BUILD_ROOT/lua/5.4/raftc_swig.so (PUC Lua 5.4) and $RAFTC_BUILD_ROOT/lua/luajit/...
#
#   tools/build-lua.sh [5.4] [luajit]         (default: both)
#   tools/build-lua.sh --incdir DIR --out FILE  one module against the Lua headers in DIR (the
#                                               rockspec's build command)
# Prints the paths it built. Needs swig, a C compiler, cmake, protobuf-c and the Lua headers
# (liblua5.4-dev, libluajit2-5.1-dev).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
libdir="$build_root/lua-lib"
cc="${CC:-cc}"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

build_library() {
    if [ ! -f "$libdir/build.ninja" ] && [ ! -f "$libdir/Makefile" ]; then
        cmake -S "$root" -B "$libdir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
            -DRAFTC_BUILD_TESTS=OFF -DRAFTC_LTO=OFF >/dev/null
    fi
    # Quiet on success; on failure the compiler's output is what the reader needs.
    local log
    log="$(mktemp)"
    if ! cmake --build "$libdir" -j "${RAFTC_JOBS:-2}" --target raftc raftc_static >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "build-lua: building libraftc (Release) failed" >&2
        return 1
    fi
    rm -f "$log"
}

# module <lua include dir> <output .so>
module() {
    local incdir="$1" out="$2" wrap
    wrap="$build_root/lua/raftc_swig_wrap.c"
    mkdir -p "$(dirname "$wrap")" "$(dirname "$out")"
    swig -lua -I"$root/bindings" -I"$root/capi" -o "$wrap" "$root/bindings/raftc.i"
    # SWIG's generated code is not ours to lint: no -Werror, warnings it is known for off.
    "$cc" -O2 -fPIC -shared -I"$incdir" -I"$root/capi" -Wno-unused-function -o "$out" "$wrap" \
        "$libdir/libraftc.a" -lprotobuf-c
    echo "$out"
}

if [ "${1:-}" = "--incdir" ]; then
    [ $# -eq 4 ] && [ "$3" = "--out" ] || { echo "usage: $0 --incdir DIR --out FILE" >&2; exit 2; }
    build_library
    module "$2" "$4"
    cp "$libdir/libraftc.so" "$(dirname "$4")/libraftc.so"
    exit 0
fi

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(5.4 luajit)
build_library
echo "$libdir/libraftc.so"
for t in "${targets[@]}"; do
    case "$t" in
        5.4) module /usr/include/lua5.4 "$build_root/lua/5.4/raftc_swig.so" ;;
        luajit) module /usr/include/luajit-2.1 "$build_root/lua/luajit/raftc_swig.so" ;;
        *) echo "build-lua: unknown runtime $t (5.4 or luajit)" >&2; exit 2 ;;
    esac
done
