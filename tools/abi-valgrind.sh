#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# abi-valgrind.sh: runs the registered C unit tests and conformance-driver tests of a
# NON-sanitizer build under valgrind (memcheck, --leak-check=full, --error-exitcode=1).
#
#   tools/abi-valgrind.sh <build-dir>
#
# The commands come from `ctest --show-only=json-v1`; only tests whose program lives in the build
# dir are wrapped (unit_test_*, raftc-datadriven), so compiler-driven and cmake -P tests are
# skipped. Runs $RAFTC_JOBS (default 2) at a time. RAFTC_VALGRIND_FILTER (an ERE on test names)
# narrows the set. Prints "N passed, N failed"; exit 1 on any valgrind error or test failure.
set -euo pipefail

dir="$(cd "${1:?usage: abi-valgrind.sh <build-dir>}" && pwd)"
jobs="${RAFTC_JOBS:-2}"
filter="${RAFTC_VALGRIND_FILTER:-.}"
command -v valgrind >/dev/null 2>&1 || { echo "abi-valgrind: valgrind not installed" >&2; exit 1; }
if grep -q 'RAFTC_SANITIZE:BOOL=ON' "$dir/CMakeCache.txt" 2>/dev/null; then
    echo "abi-valgrind: $dir is a sanitizer build; valgrind needs a plain one" >&2
    exit 1
fi

out="$dir/valgrind"
rm -rf "$out"
mkdir -p "$out"
# One line per test: name<TAB>workdir<TAB>argv joined by \x1f.
(cd "$dir" && ctest --show-only=json-v1) | python3 -c '
import json, os, re, sys
build, flt = sys.argv[1], re.compile(sys.argv[2])
for t in json.load(sys.stdin).get("tests", []):
    cmd = t.get("command") or []
    if not cmd or not flt.search(t["name"]):
        continue
    exe = os.path.realpath(cmd[0])
    if not exe.startswith(build + os.sep):
        continue
    wd = build
    for p in t.get("properties", []):
        if p.get("name") == "WORKING_DIRECTORY":
            wd = p["value"]
    print(t["name"] + "\t" + wd + "\t" + "\x1f".join(cmd))
' "$dir" "$filter" >"$out/tests.tsv"

total="$(wc -l <"$out/tests.tsv")"
echo "==== [valgrind] $total tests from $dir ($jobs at a time)"

run_one() { # <line>
    local name wd argv
    IFS=$'\t' read -r name wd argv <<<"$1"
    IFS=$'\x1f' read -r -a cmd <<<"$argv"
    if (cd "$wd" && valgrind --quiet --error-exitcode=101 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
        --track-origins=no --num-callers=30 "${cmd[@]}") >"$out/$name.log" 2>&1; then
        echo "PASS $name"
    else
        echo "FAIL $name (exit $?; log $out/$name.log)"
    fi
}
export -f run_one
export out

# xargs keeps $jobs valgrind processes busy.
tr '\n' '\0' <"$out/tests.tsv" | xargs -0 -r -P "$jobs" -I{} bash -c 'run_one "$1"' _ {} |
    tee "$out/results.txt"

passed="$(grep -c '^PASS ' "$out/results.txt" || true)"
failed="$(grep -c '^FAIL ' "$out/results.txt" || true)"
for f in $(grep '^FAIL ' "$out/results.txt" | awk '{print $2}'); do
    echo "---- $f:"
    tail -40 "$out/$f.log"
done
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
