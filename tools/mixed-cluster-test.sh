#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# mixed-cluster-test.sh: clusters that mix raftc-kv implementations (issue 18; docs/testing.md):
# for every pair of implementations that exist, a 3-node cluster (A, B, A), and then one cluster
# with one node of each of three implementations, run the Jepsen-style test (tests/jepsen): a
# leader tour (every node, so every implementation, leads in turn and takes writes and
# linearizable reads through every node), concurrent clients under a seeded nemesis, then
# convergence (same leader and applied index, the same value of every key on every node) and
# porcupine over the whole history.
#   tools/mixed-cluster-test.sh [raftc-jepsen flags...]
# Implementations (one line each in the table below): python (pyraftc's raftc-kv, the Python
# step's venv), openresty (examples/openresty/raftc-kv over tools/build-lua.sh's library), go
# (examples/go/raftexample, built here). The nemesis SIGKILLs and restarts the nodes of the
# implementations that restart from disk; those that keep their state in memory are passed as
# --volatile (never killed); partitions hit every node.
# Env: RAFTC_BUILD_ROOT, RAFTC_MIXED_SEEDS (default 1), RAFTC_MIXED_DURATION (default 8s).
# Last line: "mixed: P passed, F failed"; exit status non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
mkdir -p "$build_root/mixed"

# name | command | restarts from disk (yes/no) | how to check it exists
impls=(
    "python|$build_root/python-venv/bin/raftc-kv|yes"
    "openresty|$root/examples/openresty/raftc-kv|yes"
    "go|$build_root/mixed/raftexample|yes"
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
# run_cluster ENTRY...: one Jepsen-style run over the implementations given (node i runs the
# ((i-1) mod k)-th); the memory-only ones are --volatile; kills only if some node restarts.
run_cluster() {
    local names=() args=() killable=no k=0 name cmd disk
    for e in "$@"; do
        IFS='|' read -r name cmd disk <<<"$e"
        names+=("$name")
        args+=(--node-cmd "$cmd")
        if [ "$disk" = yes ]; then killable=yes; else args+=(--volatile "$k"); fi
        k=$((k + 1))
    done
    local faults=partition label
    [ "$killable" = yes ] && faults=kill,partition
    label="$(IFS=-; echo "${names[*]}")"
    local nodes=("${names[@]}") never=""
    [ ${#names[@]} -eq 2 ] && nodes+=("${names[0]}")
    for e in "$@"; do [ "${e##*|}" = yes ] || never="$never ${e%%|*}"; done
    echo "==== mixed: ${names[*]} (nodes ${nodes[*]}; faults: $faults${never:+; never killed:$never})"
    if "$build_root/mixed/raftc-jepsen" "${args[@]}" \
        --seeds "${RAFTC_MIXED_SEEDS:-1}" --duration "${RAFTC_MIXED_DURATION:-8s}" \
        --faults "$faults" --workdir "$build_root/mixed/$label" "${extra[@]}"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "mixed: ${names[*]} FAILED (logs in $build_root/mixed/$label)"
    fi
}
extra=("$@")
for ((i = 0; i < ${#available[@]}; i++)); do
    for ((j = i + 1; j < ${#available[@]}; j++)); do
        run_cluster "${available[$i]}" "${available[$j]}"
    done
done
# every implementation in one cluster (one node each when there are three)
if [ ${#available[@]} -ge 3 ]; then
    run_cluster "${available[@]}"
fi
echo "mixed: $passed passed, $failed failed (every pair of, and all of: $(for e in "${available[@]}"; do
    printf '%s ' "${e%%|*}"; done))"
[ "$failed" -eq 0 ] && [ $((passed + failed)) -gt 0 ]
