#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# jepsen-test.sh: the Jepsen-style test (tests/jepsen, docs/testing.md) of raftc-kv
# implementations: builds raftc-jepsen, runs its own Go tests (-race), then runs the fixed seeds
# against the implementation(s).
#   tools/jepsen-test.sh [raftc-jepsen flags...]      e.g. --soak 10m, --duration 30s
# Env: RAFTC_KV_CMD: the command that starts one node (default: raftc-kv of the Python step's
#      venv, $RAFTC_BUILD_ROOT/python-venv/bin/raftc-kv); several commands separated by ';'
#      make a mixed cluster (node i runs the ((i-1) mod k)-th).
#      RAFTC_JEPSEN_SEEDS (default 1,2,3), RAFTC_JEPSEN_DURATION (default 15s per seed).
# Last line: "jepsen: P passed, F failed"; exit status non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
kv_cmd="${RAFTC_KV_CMD:-$build_root/python-venv/bin/raftc-kv}"
if ! command -v go >/dev/null 2>&1; then
    echo "jepsen: 0 passed, 1 failed (no Go toolchain)"
    exit 1
fi
node_flags=()
IFS=';' read -r -a cmds <<<"$kv_cmd"
for c in "${cmds[@]}"; do
    exe="${c%% *}"
    if ! command -v "$exe" >/dev/null 2>&1; then
        echo "jepsen: 0 passed, 1 failed ($exe not found; set RAFTC_KV_CMD)"
        exit 1
    fi
    node_flags+=(--node-cmd "$c")
done
mkdir -p "$build_root/jepsen"
(cd "$root/tests/jepsen" && go test -race -count=1 . && go build -o "$build_root/jepsen/raftc-jepsen" .)
exec "$build_root/jepsen/raftc-jepsen" "${node_flags[@]}" \
    --seeds "${RAFTC_JEPSEN_SEEDS:-1,2,3}" --duration "${RAFTC_JEPSEN_DURATION:-15s}" \
    --workdir "$build_root/jepsen/runs" "$@"
