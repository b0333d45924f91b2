#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# tsan-run.sh: the tests that run threads, under ThreadSanitizer: the disk storage's async
# writer thread (unit_test_diskwriter, the simulator's --async-writes mode), the storage's
# locks (unit_test_diskstorage) and the in-memory file systems (unit_test_memfs). Builds only
# those targets, with clang and RAFTC_TSAN=ON, in its own build directory.
#
#   tools/tsan-run.sh
# Environment:
#   RAFTC_BUILD_ROOT   build root (default <repo>/build); the build goes to <root>/tsan
#   RAFTC_JOBS         build and ctest parallelism (default 2)
# Exit: 0 clean, 1 a data race (or any test failure) or a build failure, 77 without clang.
# Prints "tsan: <n> threaded tests, no data race" as its last line when clean.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${RAFTC_BUILD_ROOT:-$root/build}/tsan"
jobs="${RAFTC_JOBS:-2}"
tests=(unit_test_diskwriter unit_test_diskstorage unit_test_memfs sim_disk_async)
targets=(unit_test_diskwriter unit_test_diskstorage unit_test_memfs raftc-sim)

if ! command -v clang >/dev/null 2>&1; then
    echo "tsan: clang not installed, skipping"
    exit 77
fi
gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
echo "==== [tsan] build ($dir)"
CC=clang cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=Debug -DRAFTC_WERROR=ON \
    -DRAFTC_TSAN=ON -DRAFTC_SANITIZE=OFF >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]}"

# A report fails the test (exit code 66) and stops it at the first race.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1}"
regex="^($(IFS='|'; echo "${tests[*]}"))\$"
echo "==== [tsan] ctest -R '$regex'"
if ! (cd "$dir" && ctest --output-on-failure -j "$jobs" -R "$regex"); then
    echo "tsan: FAILED (a data race or a failing test above)"
    exit 1
fi
echo "tsan: ${#tests[@]} threaded tests, no data race"
