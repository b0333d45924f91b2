#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# demo.sh: the README's "try it" command. Builds libraftc and the demo program (Release) and runs
# a three-node cluster in one process: election, replication, leader isolation and recovery.
# Arguments are passed to the demo (e.g. --verbose for raft's own log lines).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${RAFTC_BUILD_ROOT:-$root/build}/demo"
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S "$root" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DRAFTC_BUILD_TESTS=OFF >/dev/null
cmake --build "$dir" -j "${RAFTC_JOBS:-2}" --target raftc-demo >/dev/null
exec "$dir/examples/raftc-demo" "$@"
