#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# mixed-cluster-test.sh: clusters that mix raftc-kv implementations (issue 18; docs/testing.md):
# for every pair of implementations that exist, a 3-node cluster (A, B, A) runs the Jepsen-style
# test (tests/jepsen): a leader tour (every node, so every implementation, leads in turn and
# takes writes and linearizable reads through every node), concurrent clients under a seeded
# nemesis, then convergence (same leader and applied index, the same value of every key on
# every node) and porcupine over the whole history.
#   tools/mixed-cluster-test.sh [raftc-jepsen flags...]
# Implementations (one line each in the table below): python (pyraftc's raftc-kv, the Python
# step's venv), openresty (examples/openresty/raftc-kv over tools/build-lua.sh's library), go
# (examples/go/raftexample, built here). SIGKILL-and-restart faults are used only when both
# implementations of a pair restart from disk; otherwise partitions only.
# Env: RAFTC_BUILD_ROOT, RAFTC_MIXED_SEEDS (default 1), RAFTC_MIXED_DURATION (default 10s).
# Last line: "mixed: P passed, F failed"; exit status non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
mkdir -p "$build_root/mixed"

# name | command | restarts from disk (yes/no) | how to check it exists
impls=(
    "python|$build_root/python-venv/bin/raftc-kv|yes"
    "openresty|$root/examples/openresty/raftc-kv|yes"
    "go|$build_root/mixed/raftexample|no"
)

if ! command -v go >/dev/null 2>&1; then
    echo "mixed: 0 passed, 1 failed (no Go toolchain for tests/jepsen)"
    exit 1
fi
(cd "$root/tests/jepsen" && go build -o "$build_root/mixed/raftc-jepsen" .) || {
    echo "mixed: 0 passed, 1 failed (tests/jepsen does not build)"; exit 1; }
(cd "$root/examples/go/raftexample" && go build -o "$build_root/mixed/raftexample" .) ||
    echo "mixed: examples/go/raftexample does not build"

available=()
for entry in "${impls[@]}"; do
    IFS='|' read -r name cmd disk <<<"$entry"
    case "$name" in
        openresty)
            if [ ! -f "$build_root/lua-lib/libraftc.so" ] ||
                [ ! -f /usr/lib/nginx/modules/ngx_http_lua_module.so ]; then
                echo "mixed: openresty missing (nginx's lua module or tools/build-lua.sh)"
                continue
            fi ;;
    esac
    if [ -x "$cmd" ]; then
        available+=("$entry")
    else
        echo "mixed: $name missing ($cmd)"
    fi
done

passed=0
failed=0
for ((i = 0; i < ${#available[@]}; i++)); do
    for ((j = i + 1; j < ${#available[@]}; j++)); do
        IFS='|' read -r a acmd adisk <<<"${available[$i]}"
        IFS='|' read -r b bcmd bdisk <<<"${available[$j]}"
        faults=partition
        [ "$adisk" = yes ] && [ "$bdisk" = yes ] && faults=kill,partition
        echo "==== mixed: $a + $b (nodes $a, $b, $a; faults: $faults)"
        if "$build_root/mixed/raftc-jepsen" --node-cmd "$acmd" --node-cmd "$bcmd" \
            --seeds "${RAFTC_MIXED_SEEDS:-1}" --duration "${RAFTC_MIXED_DURATION:-10s}" \
            --faults "$faults" --workdir "$build_root/mixed/$a-$b" "$@"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "mixed: $a + $b FAILED (logs in $build_root/mixed/$a-$b)"
        fi
    done
done
echo "mixed: $passed passed, $failed failed (pairs of: $(for e in "${available[@]}"; do
    printf '%s ' "${e%%|*}"; done))"
[ "$failed" -eq 0 ] && [ $((passed + failed)) -gt 0 ]
