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
# skipped. Runs $RAFTC_JOBS (default 2) at a time. RAFTC_VALGRIND_FILTER (a Python regex on test
# names) narrows the set; RAFTC_VALGRIND_EXCLUDE (a Python regex, default: every raftc-sim test
# but sim_network_only) leaves tests out. The simulator's soaks run ~50x slower under memcheck
# (4-5 minutes a test on 2 cores) and already run under ASan+UBSan+LSan in the sanitizer build;
# one short simulator run stays here for what only memcheck sees (uninitialised reads).
# Prints "N passed, N failed"; exit 1 on any valgrind error or test failure.
set -euo pipefail

dir="$(cd "${1:?usage: abi-valgrind.sh <build-dir>}" && pwd)"
jobs="${RAFTC_JOBS:-2}"
filter="${RAFTC_VALGRIND_FILTER:-.}"
exclude="${RAFTC_VALGRIND_EXCLUDE:-^sim_(?!network_only$)}"
command -v valgrind >/dev/null 2>&1 || { echo "abi-valgrind: valgrind not installed" >&2; exit 1; }
if grep -q 'RAFTC_SANITIZE:BOOL=ON' "$dir/CMakeCache.txt" 2>/dev/null; then
    echo "abi-valgrind: $dir is a sanitizer build; valgrind needs a plain one" >&2
    exit 1
fi

out="$dir/valgrind"
rm -rf "$out"
mkdir -p "$out"
# One line per test, fields separated by \x1d (not a whitespace IFS: empty fields survive):
# name, workdir, will_fail, skip code, pass regexes joined by \x1e, argv joined by \x1f.
(cd "$dir" && ctest --show-only=json-v1) | python3 -c '
import json, os, re, sys
build, flt, excl = sys.argv[1], re.compile(sys.argv[2]), re.compile(sys.argv[3])
for t in json.load(sys.stdin).get("tests", []):
    cmd = t.get("command") or []
    if not cmd or not flt.search(t["name"]) or excl.search(t["name"]):
        continue
    exe = os.path.realpath(cmd[0])
    if not exe.startswith(build + os.sep):
        continue
    wd, regex, will_fail, skip = build, [], "0", ""
    for p in t.get("properties", []):
        n, v = p.get("name"), p.get("value")
        if n == "WORKING_DIRECTORY":
            wd = v
        elif n == "PASS_REGULAR_EXPRESSION":
            regex = v if isinstance(v, list) else [v]
        elif n == "WILL_FAIL":
            will_fail = "1" if v in (True, "ON", "TRUE", "1", 1) else "0"
        elif n == "SKIP_RETURN_CODE":
            skip = str(v)
    print("\x1d".join([t["name"], wd, will_fail, skip, "\x1e".join(regex), "\x1f".join(cmd)]))
' "$dir" "$filter" "$exclude" >"$out/tests.tsv"

total="$(wc -l <"$out/tests.tsv")"
echo "==== [valgrind] $total tests from $dir ($jobs at a time)"

# Honours the ctest properties WILL_FAIL, SKIP_RETURN_CODE and PASS_REGULAR_EXPRESSION; a
# valgrind error (exit 101) always fails.
run_one() { # <line>
    local name wd will_fail skip regex argv rc=0 ok=0 r
    IFS=$'\x1d' read -r name wd will_fail skip regex argv <<<"$1"
    IFS=$'\x1f' read -r -a cmd <<<"$argv"
    (cd "$wd" && valgrind --quiet --error-exitcode=101 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
        --track-origins=no --num-callers=30 "${cmd[@]}") >"$out/$name.log" 2>&1 || rc=$?
    if [ "$rc" -eq 101 ]; then
        ok=0
    elif [ -n "$regex" ]; then
        IFS=$'\x1e' read -r -a res <<<"$regex"
        for r in "${res[@]}"; do
            # -z: the whole log is one string, as ctest matches it (a regex may span lines).
            grep -Ezq -- "$r" "$out/$name.log" && ok=1
        done
    elif [ -n "$skip" ] && [ "$rc" -eq "$skip" ]; then
        ok=1
    elif [ "$will_fail" = 1 ]; then
        [ "$rc" -ne 0 ] && ok=1
    else
        [ "$rc" -eq 0 ] && ok=1
    fi
    if [ "$ok" -eq 1 ]; then
        echo "PASS $name"
    else
        echo "FAIL $name (exit $rc; log $out/$name.log)"
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
