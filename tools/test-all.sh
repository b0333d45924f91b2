#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test-all.sh: the project's full test run (the README's test command; .ci/run calls it).
#   1. gcc, -Werror, Debug: build + ctest
#   2. clang (gcc if clang is missing), -Werror, ASan+UBSan with leak detection: build + ctest
#   3. tools/check-generated.sh when protoc-c is installed
# Build dirs live under $RAFTC_BUILD_ROOT (default: <repo>/build). Exit status is non-zero if any
# step failed; every step runs regardless, and a summary is printed at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
jobs="${RAFTC_JOBS:-2}"
generator=()
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
fi

declare -a summary=()
failed=0

# run_suite <name> <cc> [cmake args...]: configure, build and ctest one configuration.
run_suite() {
    local name="$1" cc="$2"
    shift 2
    local dir="$build_root/$name"
    echo "==== [$name] configure (CC=$cc $*)"
    if ! CC="$cc" cmake -S "$root" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
        -DRAFTC_WERROR=ON "$@"; then
        summary+=("$name: configure FAILED")
        failed=1
        return
    fi
    echo "==== [$name] build"
    if ! cmake --build "$dir" -j "$jobs"; then
        summary+=("$name: build FAILED")
        failed=1
        return
    fi
    echo "==== [$name] ctest"
    local log="$dir/ctest-summary.log"
    local result
    if (cd "$dir" && ctest --output-on-failure -j "$jobs") 2>&1 | tee "$log"; then
        result="$(grep -E 'tests passed' "$log" | tail -1 || true)"
        summary+=("$name: ${result:-no tests}")
    else
        result="$(grep -E 'tests passed' "$log" | tail -1 || true)"
        summary+=("$name: ctest FAILED ${result}")
        failed=1
    fi
}

run_suite gcc gcc

san_cc=clang
command -v clang >/dev/null 2>&1 || san_cc=gcc
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
run_suite "sanitize-$san_cc" "$san_cc" -DRAFTC_SANITIZE=ON

if command -v protoc-c >/dev/null 2>&1; then
    echo "==== [generated] tools/check-generated.sh"
    if "$root/tools/check-generated.sh"; then
        summary+=("generated: core/pb up to date")
    else
        summary+=("generated: core/pb OUT OF DATE")
        failed=1
    fi
else
    summary+=("generated: skipped (protoc-c not installed)")
fi

echo
echo "==== summary"
for line in "${summary[@]}"; do
    echo "  $line"
done
if [ "$failed" -ne 0 ]; then
    echo "test-all: FAILED"
    exit 1
fi
echo "test-all: OK"
