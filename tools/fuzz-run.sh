#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# fuzz-run.sh: builds the libFuzzer harnesses (tests/fuzz, RAFTC_FUZZ=ON, clang) and runs each
# for a bounded time over a seed corpus generated at run time (plus tests/fuzz/corpus/<name>/ if
# present). Fails on any finding (crash, leak, sanitizer report, timeout, OOM).
#
#   tools/fuzz-run.sh
# Environment:
#   RAFTC_FUZZ_SECONDS   seconds per fuzzer (default 60)
#   RAFTC_FUZZ_TARGETS   fuzzers to run (default "fuzz_decode fuzz_cluster fuzz_hostile
#                        fuzz_wire_diff fuzz_recovery"); fuzz_recovery runs a third of the time
#                        (it builds its inputs from a valid log, so it needs no corpus to go deep)
#   RAFTC_FUZZ_PARALLEL  1 (default) runs the fuzzers side by side, 0 one after the other
#   RAFTC_BUILD_ROOT     build root (default <repo>/build); the build goes to <root>/fuzz
# Exit: 0 clean, 1 finding or build failure, 77 when clang cannot link -fsanitize=fuzzer.
# Findings are kept under <root>/fuzz/artifacts/ with the command that reproduces them.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${RAFTC_BUILD_ROOT:-$root/build}/fuzz"
seconds="${RAFTC_FUZZ_SECONDS:-60}"
default_targets="fuzz_decode fuzz_cluster fuzz_hostile"
[ -f "$root/tests/fuzz/fuzz_wire_diff.c" ] && default_targets="$default_targets fuzz_wire_diff"
default_targets="$default_targets fuzz_recovery"
targets="${RAFTC_FUZZ_TARGETS:-$default_targets}"
parallel="${RAFTC_FUZZ_PARALLEL:-1}"

# libFuzzer present? (Debian: clang-14 + libclang-rt-14-dev.)
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n){(void)d;(void)n;return 0;}' \
    >"$probe/probe.c"
if ! command -v clang >/dev/null 2>&1 ||
    ! clang -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>/dev/null; then
    echo "fuzz-run: clang with libFuzzer not available, skipping"
    exit 77
fi

gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
echo "==== [fuzz] build ($dir)"
CC=clang cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRAFTC_FUZZ=ON -DRAFTC_BUILD_TESTS=OFF -DRAFTC_SANITIZE=OFF >/dev/null
cmake --build "$dir" -j "${RAFTC_JOBS:-2}" --target fuzz_gen_corpus $targets

work="$dir/run"
rm -rf "$work"
mkdir -p "$work/seeds/fuzz_decode" "$work/seeds/fuzz_cluster" "$work/seeds/fuzz_recovery" \
    "$dir/artifacts"
"$dir/tests/fuzz/fuzz_gen_corpus" "$work/seeds/fuzz_decode" "$work/seeds/fuzz_cluster"
# fuzz_recovery: a built log as is, one damaged by a bit flip and by a cut, and a raw segment.
printf '\000\001' >"$work/seeds/fuzz_recovery/built"
printf '\000\007\000\000\100\001' >"$work/seeds/fuzz_recovery/flipped"
printf '\000\011\001\001\040\000' >"$work/seeds/fuzz_recovery/cut"
printf '\001RAFTCWAL' >"$work/seeds/fuzz_recovery/raw"
# The differential codec fuzzer starts from the same raftpb values as fuzz_decode.
cp -r "$work/seeds/fuzz_decode" "$work/seeds/fuzz_wire_diff"
# The hostile-network fuzzer reads operations like fuzz_cluster (its own op table).
cp -r "$work/seeds/fuzz_cluster" "$work/seeds/fuzz_hostile"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() { # <target>
    local t="$1" corpus="$work/corpus/$1"
    mkdir -p "$corpus"
    cp "$work/seeds/$t"/* "$corpus"/ 2>/dev/null || true
    if [ -d "$root/tests/fuzz/corpus/$t" ]; then
        cp "$root/tests/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null || true
    fi
    local maxlen=4096 secs="$seconds"
    [ "$t" = fuzz_cluster ] || [ "$t" = fuzz_hostile ] && maxlen=3000
    [ "$t" = fuzz_recovery ] && secs=$(( seconds / 3 > 5 ? seconds / 3 : 5 ))
    "$dir/tests/fuzz/$t" -max_total_time="$secs" -max_len="$maxlen" -timeout=20 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" \
        "$corpus" >"$work/$t.log" 2>&1
}

rm -f "$work/findings.txt"
declare -A pids=()
status=0
for t in $targets; do
    echo "==== [fuzz] $t for ${seconds}s"
    if [ "$parallel" = 1 ]; then
        run_one "$t" &
        pids[$t]=$!
    else
        run_one "$t" && pids[$t]=ok || pids[$t]=fail
    fi
done
for t in $targets; do
    rc=0
    case "${pids[$t]}" in
        ok) rc=0 ;;
        fail) rc=1 ;;
        *) wait "${pids[$t]}" || rc=$? ;;
    esac
    stats="$(grep -E '^stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}')"
    if [ "$rc" -ne 0 ]; then
        status=1
        # One line per finding for the summary (CI shows only the end of the output).
        what="$(grep -m1 -E 'ERROR: |SUMMARY: |ALARM: |out-of-memory|runtime error' \
            "$work/$t.log" | cut -c1-200 || true)"
        echo "$t (exit $rc): ${what:-see $work/$t.log}" >>"$work/findings.txt"
        echo "---- [fuzz] $t: FINDING (exit $rc); log tail:"
        tail -60 "$work/$t.log"
        echo "---- artifacts (reproduce: $dir/tests/fuzz/$t <file>):"
        ls -1 "$dir/artifacts/" | grep "^$t-" | sed "s|^|    $dir/artifacts/|" || true
    else
        echo "==== [fuzz] $t: clean (${stats:-?} runs, $(ls "$work/corpus/$t" | wc -l) corpus files)"
        # fuzz_hostile prints what it injected at exit
        grep -m1 -E "^$t: [0-9]+ inputs" "$work/$t.log" | sed 's/^/==== [fuzz] /' || true
    fi
done
exit "$status"
