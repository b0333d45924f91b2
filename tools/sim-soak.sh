#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# sim-soak.sh: runs raftc-sim over many seeds in parallel for a time budget.
#
# Usage: tools/sim-soak.sh [-b build_dir] [-t seconds] [-j jobs] [-s first_seed] [-c chunk]
#                          [-- extra raftc-sim flags, e.g. --steps 10000 --nodes 7 --no-crash]
#   -b  build dir holding tests/sim/raftc-sim (default: $RAFTC_BUILD_DIR or build/soak, which
#       is configured and built when missing)
#   -t  time budget in seconds (default 600); chunks already started finish
#   -j  parallel workers (default: nproc)
#   -s  first seed (default: derived from the current time, printed)
#   -c  seeds per chunk (default 50)
# Every worker runs consecutive chunks `raftc-sim --seed S --soak C`. A failing seed's full
# output (config line, reproduce command, failure trace) is kept under <build>/sim-soak/.
# Exit status 1 if any seed failed. The last line is "sim-soak: N passed, M failed".
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RAFTC_BUILD_DIR:-$root/build/soak}"
budget=600
jobs="$(nproc 2>/dev/null || echo 2)"
first=""
chunk=50
while getopts "b:t:j:s:c:h" opt; do
    case "$opt" in
    b) build="$OPTARG" ;;
    t) budget="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    s) first="$OPTARG" ;;
    c) chunk="$OPTARG" ;;
    *) sed -n '4,17p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
extra=("$@")

sim="$build/tests/sim/raftc-sim"
if [ ! -x "$sim" ]; then
    echo "sim-soak: building raftc-sim in $build"
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "$jobs" --target raftc-sim >/dev/null
fi
[ -n "$first" ] || first=$(( $(date +%s) % 100000000 * 1000 ))

out="$build/sim-soak"
mkdir -p "$out"
rm -f "$out"/chunk-*.txt "$out"/seed-*.txt
deadline=$(( $(date +%s) + budget ))
echo "sim-soak: $jobs workers, chunks of $chunk seeds from seed $first, budget ${budget}s," \
     "flags: ${extra[*]:-(defaults)}"

worker() {
    local w="$1" k=0 seed
    while [ "$(date +%s)" -lt "$deadline" ]; do
        seed=$(( first + (k * jobs + w) * chunk ))
        k=$((k + 1))
        local log="$out/chunk-$seed.txt"
        if "$sim" --seed "$seed" --soak "$chunk" "${extra[@]}" >"$log" 2>&1; then
            :
        fi
    done
}

pids=()
for w in $(seq 0 $((jobs - 1))); do
    worker "$w" &
    pids+=($!)
done
for p in "${pids[@]}"; do
    wait "$p"
done

passed=0
failed=0
hostile=(0 0 0 0 0) # injected replayed forged mutated accepted (runs with --hostile)
for log in "$out"/chunk-*.txt; do
    [ -f "$log" ] || continue
    line="$(grep -E '^sim: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)"
    if [ -z "$line" ]; then
        echo "sim-soak: $log has no summary (crashed?):"
        tail -5 "$log"
        failed=$((failed + 1))
        continue
    fi
    h="$(grep -E '^sim hostile: ' "$log" | tail -1 | grep -oE '[0-9]+' | head -5 | tr '\n' ' ' || true)"
    if [ -n "$h" ]; then
        read -r -a hv <<<"$h"
        for i in 0 1 2 3 4; do hostile[i]=$((hostile[i] + hv[i])); done
    fi
    p="$(echo "$line" | awk '{print $2}')"
    f="$(echo "$line" | awk '{print $4}')"
    passed=$((passed + p))
    failed=$((failed + f))
    while read -r seed; do
        [ -n "$seed" ] || continue
        cp "$log" "$out/seed-$seed.txt"
        echo "sim-soak: FAILED seed $seed: $(grep -m1 "FAILED seed=$seed:" "$log" | cut -d: -f2-)"
        echo "  reproduce: $sim --seed $seed ${extra[*]}   (trace: $out/seed-$seed.txt)"
    done < <(grep -oE '^FAILED seed=[0-9]+' "$log" | cut -d= -f2)
done
if [ "${hostile[0]}" -gt 0 ]; then
    echo "sim-soak: hostile: ${hostile[0]} injected: ${hostile[1]} replayed, ${hostile[2]} forged" \
         "(all refused), ${hostile[3]} mutated (${hostile[4]} accepted, receiver restarted)"
fi
echo "sim-soak: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
