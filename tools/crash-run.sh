#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# crash-run.sh: the disk storage's crash harnesses (tests/crash; docs/storage.md) for many
# cuts: crash_kill (a writer process killed with SIGKILL at random points, then reopened) and
# crash_power (power cuts through the in-memory file layer, dropping and tearing every write
# not yet fsynced). Each checks that every acknowledged operation survives, nothing
# unacknowledged appears out of order and the HardState never points past the log.
#
#   tools/crash-run.sh [-b build_dir] [-k kill_cuts] [-p power_cuts] [-s seed] [-t seconds]
#   -b  build dir holding tests/crash/crash_{kill,power} (default $RAFTC_BUILD_ROOT/gcc, or
#       build/crash, configured and built when missing)
#   -k  SIGKILL cuts (default 1000, about 30 s)   -p  power cuts (default 5000, about 15 s)
#   -s  seed (default 1; printed)                 -t  soak: each harness runs T seconds instead
# The last line is "crash: ..." with both harnesses' counts. Exit 1 on any violation (the
# harness prints the seed and cut that reproduce it).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RAFTC_BUILD_ROOT:-$root/build}/gcc"
kill_cuts=1000
power_cuts=5000
seed=1
seconds=""
while getopts "b:k:p:s:t:" o; do
    case "$o" in
        b) build="$OPTARG" ;;
        k) kill_cuts="$OPTARG" ;;
        p) power_cuts="$OPTARG" ;;
        s) seed="$OPTARG" ;;
        t) seconds="$OPTARG" ;;
        *) sed -n '4,16p' "$0"; exit 2 ;;
    esac
done
if [ ! -x "$build/tests/crash/crash_kill" ] || [ ! -x "$build/tests/crash/crash_power" ]; then
    build="${RAFTC_BUILD_ROOT:-$root/build}/crash"
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "${RAFTC_JOBS:-2}" --target crash_kill crash_power >/dev/null
fi
if [ -n "$seconds" ]; then
    kill_args=(--seconds "$seconds")
    power_args=(--seconds "$seconds")
else
    kill_args=(--cuts "$kill_cuts")
    power_args=(--cuts "$power_cuts")
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$build/tests/crash/crash_power" "${power_args[@]}" --seed "$seed" | tee -a "$log" || status=1
"$build/tests/crash/crash_kill" "${kill_args[@]}" --seed "$seed" | tee -a "$log" || status=1
power="$(grep -o '^crash_power: [0-9]* power cuts' "$log" | grep -o '[0-9]* power cuts' || true)"
kills="$(grep -o '^crash_kill: [0-9]* SIGKILLs' "$log" | grep -o '[0-9]* SIGKILLs' || true)"
if [ "$status" -eq 0 ]; then
    echo "crash: ${power}, ${kills}, seed ${seed}: nothing acknowledged lost"
else
    echo "crash: FAILED (seed ${seed}; see above)"
fi
exit "$status"
