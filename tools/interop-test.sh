#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# interop-test.sh: wire compatibility with etcd raft. Builds the raftc peer
# (tests/interop/raftc_peer.c, CMake, build dir $RAFTC_BUILD_ROOT/interop) and runs the Go tests of
# tests/interop/go twice: against go.etcd.io/raft/v3 v3.7.0 (go.mod) and v3.6.0 (go36.mod,
# -tags etcd36). Mixed etcd/raftc clusters exchange raftpb bytes; see docs/interop.md.
#
# Prints "interop: N passed, M failed" (top-level Go tests, both etcd versions) and exits non-zero
# on any failure; exit 77 (skipped) when `go` is not installed.
# Env: RAFTC_BUILD_ROOT (default <repo>/build), RAFTC_INTEROP_SANITIZE=1 builds the peer with
# ASan+UBSan (build dir interop-asan), RAFTC_INTEROP_PEER=<path> uses an already built peer
# instead (e.g. the one of test-all's sanitizer build), RAFTC_INTEROP_RUN=<regexp> selects tests
# (go test -run). A selection that matches no test in one etcd version (the Go-binding tests
# exist only against v3.7) is reported as such for that version, not as a failure; one that
# matches no test in either version fails.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_root="${RAFTC_BUILD_ROOT:-$root/build}"
if ! command -v go >/dev/null 2>&1; then
    echo "interop: skipped (no Go toolchain)"
    exit 77
fi

if [ -n "${RAFTC_INTEROP_PEER:-}" ]; then
    if [ ! -x "$RAFTC_INTEROP_PEER" ]; then
        echo "interop: 0 passed, 1 failed (RAFTC_INTEROP_PEER=$RAFTC_INTEROP_PEER is not executable)"
        exit 1
    fi
    dir="$build_root/interop"
    mkdir -p "$dir"
    echo "interop: using the raftc peer $RAFTC_INTEROP_PEER"
else
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
    dir="$build_root/interop"
    if [ "${RAFTC_INTEROP_SANITIZE:-0}" = 1 ]; then
        dir="$build_root/interop-asan"
        cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DRAFTC_SANITIZE=ON)
    fi
    mkdir -p "$dir"
    echo "interop: building raftc-interop-peer in $dir"
    if ! { cmake -S "$root" -B "$dir" "${gen[@]}" "${cmake_args[@]}" &&
           cmake --build "$dir" --target raftc-interop-peer -j "${RAFTC_JOBS:-2}"; } \
        >"$dir/build.log" 2>&1; then
        cat "$dir/build.log" >&2
        echo "interop: 0 passed, 1 failed (the raftc peer does not build)"
        exit 1
    fi
    export RAFTC_INTEROP_PEER="$dir/tests/interop/raftc-interop-peer"
fi
# For a sanitizer build of the peer: a report (or a leak at exit) fails the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

passed=0
failed=0
status=0
unmatched=0
run=()
[ -n "${RAFTC_INTEROP_RUN:-}" ] && run=(-run "$RAFTC_INTEROP_RUN")
for v in v3.7.0 v3.6.0; do
    flags=()
    [ "$v" = v3.6.0 ] && flags=(-modfile=go36.mod -tags etcd36)
    log="$dir/go-test-$v.log"
    echo "interop: go test against go.etcd.io/raft/v3 $v (log: $log)"
    rc=0
    (cd "$root/tests/interop/go" && GOFLAGS=-mod=readonly go test "${flags[@]}" -count=1 -v \
        -timeout 300s "${run[@]}" ./...) >"$log" 2>&1 || rc=$?
    # Top-level tests only (subtests are indented).
    p=$(grep -c '^--- PASS' "$log" || true)
    f=$(grep -c '^--- FAIL' "$log" || true)
    s=$(grep -c '^--- SKIP' "$log" || true)
    if [ -n "${RAFTC_INTEROP_RUN:-}" ] && [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ] &&
        [ "$s" -eq 0 ] && grep -q '^testing: warning: no tests to run' "$log"; then
        echo "interop: etcd raft $v: no test matches RAFTC_INTEROP_RUN=$RAFTC_INTEROP_RUN"
        unmatched=$((unmatched + 1))
        continue
    fi
    if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ] || [ "$s" -gt 0 ] || [ "$p" -eq 0 ]; then
        # Show the failures (with their message traces) and anything that kept Go from running.
        grep -vE '^=== (RUN|PAUSE|CONT)' "$log" | tail -400 >&2
        [ "$f" -eq 0 ] && f=1 # a build error or a panic counts as a failure
        status=1
    fi
    echo "interop: etcd raft $v: $p passed, $f failed$([ "$s" -gt 0 ] && echo ", $s skipped")"
    passed=$((passed + p))
    failed=$((failed + f + s))
done
if [ "$unmatched" -eq 2 ]; then
    echo "interop: RAFTC_INTEROP_RUN=$RAFTC_INTEROP_RUN matches no test against either version" >&2
    failed=$((failed + 1))
    status=1
fi
echo "interop: $passed passed, $failed failed"
exit $status
