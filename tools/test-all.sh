#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test-all.sh: the project's full test run (the README's test command; .ci/run calls it).
#   1. gcc, -Werror, Debug: build + ctest
#   2. clang (gcc if clang is missing), -Werror, ASan+UBSan with leak detection: build + ctest
#   3. ABI hardening: tools/check-layering.sh, tools/abi-check-symbols.sh,
#      tools/check-decls-luajit.sh (bindings/raftc_decls.h in LuaJIT), tools/abi-valgrind.sh
#      (valgrind over the gcc build), tools/abi-check-baseline.sh (abidiff), tools/fuzz-run.sh
#      (libFuzzer, when clang can link it), tools/tsan-run.sh (ThreadSanitizer over the threaded
#      tests); each prints one summary line, exit 77 = skipped
#   4. tools/check-generated.sh when protoc-c is installed
#   5. Python binding: a fresh virtualenv, `pip install .` (pyraftc) + pytest + mypy, then
#      `pytest python/tests` (API, clusters, bad input, memory, etcd transcripts via
#      python/tests/raftc_datadriven.py, generated-file staleness) and
#      `mypy --strict python/pyraftc` (the package ships py.typed)
#   5b. raftc-kv (docs/kv.md) on the Python step's venv: tools/demo.sh (the README's first
#      command: a narrated 3-process cluster, exit 0 only if every check held) and a 5 s
#      tools/kv-bench smoke (numbers printed, no timing assertion)
#   6. tools/lua-test.sh: the Lua binding (SWIG module for 5.4 and LuaJIT, busted specs on three
#      runtime/backend pairs, luarocks make); then tools/conformance-matrix --strict: every
#      datadriven transcript through every driver (C, Python, Lua 5.4 SWIG, LuaJIT FFI and SWIG,
#      Go, the etcd oracle on real etcd raft v3.7.0); files x drivers matrix
#   7. tools/jepsen-test.sh: the Jepsen-style test of raftc-kv (porcupine over fixed seeds),
#      then tools/mixed-cluster-test.sh: every pair of raftc-kv implementations in one cluster,
#      then all of them in one
#   8. tools/sim-soak.sh: the fault simulator over consecutive seeds for a time budget
#   9. tools/interop-test.sh: mixed etcd raft (v3.7.0, v3.6.0) / raftc clusters over raftpb bytes
#  10. bench/run --quick: the benchmark harness runs end to end (no timing assertions)
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

# banner <step> <text>: prints a step's heading; the time each step took is listed at the end
# (CI must stay under 30 minutes on 2 cores, and these figures say where the time goes).
declare -a timings=()
current_step=""
step_started=$SECONDS
close_step() {
    [ -n "$current_step" ] && timings+=("$current_step $((SECONDS - step_started))s")
    current_step=""
}
banner() {
    if [ "$1" != "$current_step" ]; then
        close_step
        current_step="$1"
        step_started=$SECONDS
    fi
    echo "==== [$1] $2"
}

# run_suite <name> <cc> [cmake args...]: configure, build and ctest one configuration.
run_suite() {
    local name="$1" cc="$2"
    shift 2
    local dir="$build_root/$name"
    banner "$name" "configure (CC=$cc $*)"
    if ! CC="$cc" cmake -S "$root" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug \
        -DRAFTC_WERROR=ON "$@"; then
        summary+=("$name: configure FAILED")
        failed=1
        return
    fi
    banner "$name" "build"
    if ! cmake --build "$dir" -j "$jobs"; then
        summary+=("$name: build FAILED")
        failed=1
        return
    fi
    banner "$name" "ctest"
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

# ---- ABI hardening (tests/abi, tests/fuzz, tools/abi-*.sh; see docs/abi.md) ----
# run_check <name> <ok-text> <command...>: one summary line per check; exit 77 means skipped.
run_check() {
    local name="$1" ok="$2" rc=0
    shift 2
    banner "$name" "$*"
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then
        summary+=("$name: $ok")
    elif [ "$rc" -eq 77 ]; then
        summary+=("$name: skipped")
    else
        summary+=("$name: FAILED")
        failed=1
    fi
}

run_check layering "drivers, bindings, examples use raftc.h only" "$root/tools/check-layering.sh"
if [ -f "$build_root/gcc/libraftc.so" ]; then
    run_check abi-symbols "exported symbols match tests/abi/exported-symbols.txt" \
        "$root/tools/abi-check-symbols.sh" "$build_root/gcc/libraftc.so"
    # bindings/raftc_decls.h through LuaJIT's ffi.cdef (skipped without luajit).
    run_check decls-luajit "bindings/raftc_decls.h loads in LuaJIT ffi.cdef and resolves" \
        "$root/tools/check-decls-luajit.sh" "$build_root/gcc/libraftc.so"
    # valgrind over the plain gcc build: unit tests + conformance driver (~2 min on 2 cores).
    if command -v valgrind >/dev/null 2>&1; then
        run_check valgrind "no memcheck errors or leaks" "$root/tools/abi-valgrind.sh" \
            "$build_root/gcc"
    else
        summary+=("valgrind: skipped (valgrind not installed)")
    fi
else
    summary+=("abi-symbols: skipped (no gcc build)")
    summary+=("decls-luajit: skipped (no gcc build)")
    summary+=("valgrind: skipped (no gcc build)")
fi
if command -v abidiff >/dev/null 2>&1; then
    run_check abi-baseline "no incompatible change against tests/abi/libraftc.abi.xml" \
        env RAFTC_BUILD_ROOT="$build_root" "$root/tools/abi-check-baseline.sh"
else
    summary+=("abi-baseline: skipped (abigail-tools not installed)")
fi
# libFuzzer: RAFTC_FUZZ_SECONDS per fuzzer (default 60; the fuzzers run side by side, so the
# step takes that long whatever their number).
run_check fuzz "no findings (${RAFTC_FUZZ_SECONDS:-60}s per fuzzer, side by side)" \
    env RAFTC_BUILD_ROOT="$build_root" "$root/tools/fuzz-run.sh"
# ThreadSanitizer over the tests that run threads (the disk storage's async writer, its locks,
# the in-memory file systems): clang, own build dir, ~2 min on 2 cores with the build.
run_check tsan "no data race in the threaded tests (disk writer, disk storage, memfs, sim --async-writes)" \
    env RAFTC_BUILD_ROOT="$build_root" "$root/tools/tsan-run.sh"
# A finding's one-line description goes into the summary, the part of the output CI shows.
if [ -f "$build_root/fuzz/run/findings.txt" ]; then
    while IFS= read -r finding; do
        summary+=("fuzz finding: $finding")
    done <"$build_root/fuzz/run/findings.txt"
fi
# What fuzz_hostile injected into its live clusters (printed at its exit).
hostile_fuzz_log="$build_root/fuzz/run/fuzz_hostile.log"
if [ -f "$hostile_fuzz_log" ] && grep -q '^fuzz_hostile: ' "$hostile_fuzz_log"; then
    summary+=("fuzz-hostile: $(grep -m1 '^fuzz_hostile: ' "$hostile_fuzz_log" |
        sed 's/^fuzz_hostile: //')")
fi

if command -v protoc-c >/dev/null 2>&1; then
    banner "generated" "tools/check-generated.sh"
    if "$root/tools/check-generated.sh"; then
        summary+=("generated: core/pb up to date")
    else
        summary+=("generated: core/pb OUT OF DATE")
        failed=1
    fi
else
    summary+=("generated: skipped (protoc-c not installed)")
fi

# ---- Python binding (pyraftc; pyproject.toml + python/) ----
# run_python: fresh venv under $build_root, `pip install .` (scikit-build-core builds the cffi
# module against libraftc), then pytest over python/tests and mypy --strict over the package
# (mypy pinned: a new release's checks must not fail CI unannounced). Needs python3 with venv +
# headers.
run_python() {
    local venv="$build_root/python-venv" log="$build_root/python-pytest.log"
    banner "python" "fresh venv, pip install . + pytest, pytest python/tests"
    if ! command -v python3 >/dev/null 2>&1; then
        summary+=("python: skipped (python3 not installed)")
        return
    fi
    rm -rf "$venv"
    mkdir -p "$build_root"
    if ! python3 -m venv "$venv"; then
        summary+=("python: venv FAILED (install python3-venv)")
        failed=1
        return
    fi
    if ! "$venv/bin/python" -m pip install -q "$root[kv]" pytest mypy==2.4.1; then
        summary+=("python: pip install . FAILED")
        failed=1
        return
    fi
    local result
    if (cd "$root" && "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests) 2>&1 |
        tee "$log"; then
        result="$(grep -E '[0-9]+ passed' "$log" | tail -1 || true)"
        summary+=("python: ${result:-no tests}")
    else
        result="$(grep -E '[0-9]+ (passed|failed)' "$log" | tail -1 || true)"
        summary+=("python: pytest FAILED ${result}")
        failed=1
    fi
    banner "mypy" "mypy --strict python/pyraftc, typing_api.py, the datadriven driver"
    if (cd "$root" && "$venv/bin/python" -m mypy --strict --cache-dir "$build_root/mypy-cache" \
        python/pyraftc python/tests/typing_api.py python/tests/datadriven); then
        summary+=("mypy: --strict clean (python/pyraftc, typing_api.py's rejected misuses)")
    else
        summary+=("mypy: --strict FAILED (python/pyraftc)")
        failed=1
    fi
    banner "python-dist" "tools/check-python-dist.sh (python -m build; sdist and wheel)"
    if "$root/tools/check-python-dist.sh" "$build_root/python-dist"; then
        summary+=("python-dist: sdist and wheel each install into a fresh venv and work")
    else
        summary+=("python-dist: FAILED")
        failed=1
    fi
}
run_python

# ---- raftc-kv (python/pyraftc/kv; docs/kv.md) ----
# The README's first command (tools/demo.sh) and a short load-test smoke, both on the Python
# step's venv (pyraftc[kv]; its pytest already ran python/tests/test_kv_*.py). About 30 s.
run_kv() {
    local py="$build_root/python-venv/bin/python"
    local demo_log="$build_root/kv-demo.log" bench_log="$build_root/kv-bench.log"
    if ! "$py" -c "import pyraftc.kv.service" 2>/dev/null; then
        summary+=("kv-demo: FAILED (no pyraftc[kv] in $build_root/python-venv)")
        summary+=("kv-bench: FAILED (no pyraftc[kv] in $build_root/python-venv)")
        failed=1
        return
    fi
    banner "kv-demo" "tools/demo.sh"
    if RAFTC_KV_PYTHON="$py" "$root/tools/demo.sh" 2>&1 | tee "$demo_log"; then
        summary+=("kv-demo: $(tail -1 "$demo_log")")
    else
        summary+=("kv-demo: FAILED ($(grep -c 'FAIL ' "$demo_log" || true) failed checks)")
        failed=1
    fi
    banner "kv-bench" "tools/kv-bench --duration 5 --connections 8"
    if RAFTC_KV_PYTHON="$py" "$root/tools/kv-bench" --duration 5 --connections 8 \
        --json "$build_root/kv-bench.json" 2>&1 | tee "$bench_log"; then
        summary+=("kv-bench: 3 Python nodes, 8 connections: $(grep '^  all' "$bench_log" |
            awk '{print $2 " ops/s, p99 " $4 " ms"}')")
    else
        summary+=("kv-bench: FAILED")
        failed=1
    fi
}
run_kv

# ---- Lua binding (lua/, bindings/raftc.i; docs/lua.md) ----
# tools/lua-test.sh: builds the SWIG module for Lua 5.4 and LuaJIT, runs the busted specs on
# lua5.4 (SWIG), luajit (FFI) and luajit (SWIG), `luarocks make` for 5.4 and 5.1, the OpenResty
# cluster test and the Python kv demo against OpenResty nodes (with the Python step's venv). Its
# builds feed the matrix's three Lua drivers below. About 2 min.
banner "lua" "tools/lua-test.sh"
lua_log="$build_root/lua-test.log"
mkdir -p "$build_root"
lua_kv_python=""
[ -x "$build_root/python-venv/bin/python" ] && lua_kv_python="$build_root/python-venv/bin/python"
if RAFTC_BUILD_ROOT="$build_root" RAFTC_KV_PYTHON="$lua_kv_python" "$root/tools/lua-test.sh" 2>&1 |
    tee "$lua_log"; then
    summary+=("lua: $(tail -1 "$lua_log" | sed 's/^lua: //')")
else
    summary+=("lua: FAILED $(tail -1 "$lua_log" | sed 's/^lua: //')")
    failed=1
fi

# ---- Conformance matrix (tools/conformance-matrix; docs/testing.md, tests/conformance/README.md) ----
# Every etcd and project transcript through every driver: the gcc build's raftc-datadriven, the
# Python step's venv (python/tests/raftc_datadriven.py), the Lua step's builds (lua/raftc-datadriven.lua
# on three runtime/backend pairs) and the etcd oracle (Go; built by the tool).
# Each driver must exist: a missing one fails the step. About 10 s.
banner "conformance-matrix" "tools/conformance-matrix --strict"
matrix_log="$build_root/conformance-matrix.log"
mkdir -p "$build_root"
if RAFTC_BUILD_ROOT="$build_root" "$root/tools/conformance-matrix" --strict 2>&1 |
    tee "$matrix_log"; then
    summary+=("conformance-matrix: $(tail -1 "$matrix_log" | sed 's/^conformance-matrix: //')")
else
    summary+=("conformance-matrix: FAILED $(tail -1 "$matrix_log" | sed 's/^conformance-matrix: //')")
    failed=1
fi

# ---- Jepsen-style test of raftc-kv (tests/jepsen, tools/jepsen-test.sh; docs/testing.md) ----
# The Python step's raftc-kv, 3 fixed seeds of 15 s: a leader tour, concurrent clients, a
# seeded nemesis (SIGKILL and restart from disk, partitions), porcupine. About 2 minutes.
jepsen_faults="${RAFTC_JEPSEN_FAULTS:-kill,partition}"
banner "jepsen" "tools/jepsen-test.sh --faults $jepsen_faults"
jepsen_log="$build_root/jepsen-test.log"
if RAFTC_BUILD_ROOT="$build_root" "$root/tools/jepsen-test.sh" --faults "$jepsen_faults" 2>&1 |
    tee "$jepsen_log"; then
    summary+=("jepsen: $(tail -1 "$jepsen_log" | sed 's/^jepsen: //') (raftc-kv, faults: $jepsen_faults)")
else
    summary+=("jepsen: FAILED $(tail -1 "$jepsen_log" | sed 's/^jepsen: //') (faults: $jepsen_faults)")
    failed=1
fi

# ---- Mixed-language clusters (tools/mixed-cluster-test.sh; docs/testing.md) ----
# Every pair of raftc-kv implementations (Python, OpenResty, Go raftexample) in one 3-node
# cluster, then all three in one, under the Jepsen-style test (SIGKILLs of the nodes that
# restart from disk, partitions). About 90 s.
banner "mixed" "tools/mixed-cluster-test.sh"
mixed_log="$build_root/mixed-cluster-test.log"
if RAFTC_BUILD_ROOT="$build_root" "$root/tools/mixed-cluster-test.sh" 2>&1 | tee "$mixed_log"; then
    summary+=("mixed: $(tail -1 "$mixed_log" | sed 's/^mixed: //')")
else
    summary+=("mixed: FAILED $(tail -1 "$mixed_log" | sed 's/^mixed: //')")
    failed=1
fi

# ---- Fault simulation soak (tests/sim; docs/testing.md) ----
# Thousands of seeds beyond ctest's fixed ones: consecutive seeds from a fixed first seed, for a
# time budget (RAFTC_SOAK_SECONDS, default 150), over the gcc build's raftc-sim.
soak_seconds="${RAFTC_SOAK_SECONDS:-150}"
banner "sim-soak" "tools/sim-soak.sh -t $soak_seconds -s 1000000"
soak_log="$build_root/sim-soak.log"
if [ -x "$build_root/gcc/tests/sim/raftc-sim" ]; then
    if "$root/tools/sim-soak.sh" -b "$build_root/gcc" -t "$soak_seconds" -s 1000000 2>&1 |
        tee "$soak_log"; then
        summary+=("sim-soak: $(tail -1 "$soak_log" | sed 's/^sim-soak: //')")
    else
        summary+=("sim-soak: FAILED $(tail -1 "$soak_log")")
        failed=1
    fi
else
    summary+=("sim-soak: FAILED (no gcc build of raftc-sim)")
    failed=1
fi

# ---- Hostile network (tests/sim --hostile; docs/testing.md) ----
# The simulator with replayed, forged and mutated messages injected at up to four per genuine
# delivery (a rate drawn per seed; RAFTC_HOSTILE_SECONDS, default 60): every forged message must
# be refused, no correct node may fail, and every safety check holds.
hostile_seconds="${RAFTC_HOSTILE_SECONDS:-60}"
banner "sim-hostile" "tools/sim-soak.sh -t $hostile_seconds -s 2000000 -- --hostile 4000"
hostile_log="$build_root/sim-hostile.log"
if [ -x "$build_root/gcc/tests/sim/raftc-sim" ]; then
    if "$root/tools/sim-soak.sh" -b "$build_root/gcc" -t "$hostile_seconds" -s 2000000 \
        -- --hostile 4000 2>&1 | tee "$hostile_log"; then
        summary+=("sim-hostile: $(tail -1 "$hostile_log" | sed 's/^sim-soak: //'); $(grep -m1 \
            '^sim-soak: hostile:' "$hostile_log" | sed 's/^sim-soak: hostile: //'); failed correct nodes: 0")
    else
        summary+=("sim-hostile: FAILED $(tail -1 "$hostile_log")")
        failed=1
    fi
else
    summary+=("sim-hostile: FAILED (no gcc build of raftc-sim)")
    failed=1
fi

# ---- Multi-raft hosts in the simulator (tests/sim --multiraft; docs/multiraft.md) ----
# 3-5 raftc hosts with 16-64 groups each, envelopes through the faulty network,
# whole-host crashes and restarts from their raftc_hoststore (power cuts in half the crashes),
# snapshots, membership changes and quiet-partition scenarios, every group's safety checked;
# consecutive seeds for a time budget (RAFTC_MULTIRAFT_SECONDS, default 28, chunks of 5 seeds),
# then the same with a hostile network (replayed, misaddressed and random envelopes: --hostile
# 1000) for RAFTC_MULTIRAFT_HOSTILE_SECONDS (default 12, chunks of 4); about 55 s together. A longer
# soak: tools/sim-soak.sh -t 3600 -- --multiraft --disk --steps 2000 (add --hostile 1000).
multiraft_seconds="${RAFTC_MULTIRAFT_SECONDS:-28}"
multiraft_hostile_seconds="${RAFTC_MULTIRAFT_HOSTILE_SECONDS:-12}"
banner "sim-multiraft" "tools/sim-soak.sh -t $multiraft_seconds -c 5 -s 3000000 -- --multiraft --disk --steps 2000; tools/sim-soak.sh -t $multiraft_hostile_seconds -c 4 -s 12000000 -- --multiraft --disk --hostile 1000 --steps 2000"
multiraft_log="$build_root/sim-multiraft.log"
multiraft_hostile_log="$build_root/sim-multiraft-hostile.log"
if [ -x "$build_root/gcc/tests/sim/raftc-sim" ]; then
    if "$root/tools/sim-soak.sh" -b "$build_root/gcc" -t "$multiraft_seconds" -c 5 -s 3000000 \
        -- --multiraft --disk --steps 2000 2>&1 | tee "$multiraft_log" &&
        "$root/tools/sim-soak.sh" -b "$build_root/gcc" -t "$multiraft_hostile_seconds" -c 4 \
        -s 12000000 -- --multiraft --disk --hostile 1000 --steps 2000 2>&1 |
        tee "$multiraft_hostile_log"; then
        summary+=("sim-multiraft: $(tail -1 "$multiraft_log" | sed 's/^sim-soak: //'), hostile: $(tail -1 "$multiraft_hostile_log" | sed 's/^sim-soak: //') (3-5 hosts x 16-64 groups each, host stores with power cuts)")
    else
        summary+=("sim-multiraft: FAILED $(tail -1 "$multiraft_log"; tail -1 "$multiraft_hostile_log" 2>/dev/null)")
        failed=1
    fi
else
    summary+=("sim-multiraft: FAILED (no gcc build of raftc-sim)")
    failed=1
fi

# ---- Disk storage crash harnesses (tests/crash; docs/storage.md) ----
# Thousands of cuts over the gcc build: SIGKILLs of a writer process and power cuts through the
# in-memory file layer, each checked against the acknowledged writes. About 60 s.
banner "crash" "tools/crash-run.sh"
crash_log="$build_root/crash-run.log"
if RAFTC_BUILD_ROOT="$build_root" "$root/tools/crash-run.sh" -b "$build_root/gcc" 2>&1 |
    tee "$crash_log"; then
    summary+=("$(tail -1 "$crash_log")")
else
    summary+=("crash: FAILED $(tail -1 "$crash_log" | sed 's/^crash: //')")
    failed=1
fi

# ---- etcd interop (tools/interop-test.sh; docs/interop.md) ----
# Mixed clusters of etcd raft (Go, v3.7.0 and v3.6.0) and raftc nodes exchanging raftpb bytes.
# The raftc peer of the sanitizer build is used when it exists (memory errors and leaks under
# etcd's traffic fail the step); otherwise the script builds its own in $build_root/interop.
banner "interop" "tools/interop-test.sh"
if command -v go >/dev/null 2>&1; then
    interop_log="$build_root/interop-test.log"
    interop_peer="$build_root/sanitize-$san_cc/tests/interop/raftc-interop-peer"
    [ -x "$interop_peer" ] || interop_peer=
    mkdir -p "$build_root"
    if RAFTC_BUILD_ROOT="$build_root" RAFTC_INTEROP_PEER="$interop_peer" \
        "$root/tools/interop-test.sh" 2>&1 | tee "$interop_log"; then
        summary+=("interop: $(tail -1 "$interop_log" | sed 's/^interop: //') (etcd raft v3.7.0 + v3.6.0)")
    else
        summary+=("interop: FAILED $(tail -1 "$interop_log" | sed 's/^interop: //')")
        failed=1
    fi
else
    summary+=("interop: skipped (no Go toolchain; the etcd side of the interop tests is Go)")
fi

# ---- Go binding (tools/go-test.sh; docs/go.md) ----
# go/: generated C sources current, go vet, go test -race (the binding, the Go datadriven driver
# over every etcd transcript, Node, raftexample on raftc and on etcd raft).
banner "go" "tools/go-test.sh"
if command -v go >/dev/null 2>&1; then
    go_log="$build_root/go-test.log"
    mkdir -p "$build_root"
    if "$root/tools/go-test.sh" 2>&1 | tee "$go_log"; then
        summary+=("$(tail -1 "$go_log")")
    else
        summary+=("go: FAILED $(tail -1 "$go_log" | sed 's/^go: //')")
        failed=1
    fi
else
    summary+=("go: skipped (no Go toolchain)")
fi

# ---- Benchmark harness (bench/run --quick: proves it works; no timing assertions) ----
banner "bench" "bench/run --quick --no-plot"
if command -v go >/dev/null 2>&1 && command -v cargo >/dev/null 2>&1; then
    if "$root/bench/run" --quick --no-plot --out "$build_root/bench-quick.json"; then
        summary+=("bench: bench/run --quick produced results for raftc, etcd raft, raft-rs and canonical/raft")
    else
        summary+=("bench: bench/run --quick FAILED")
        failed=1
    fi
else
    summary+=("bench: skipped (no Go or no cargo; bench/run needs Go for etcd, cargo for raft-rs)")
fi

close_step
echo
echo "==== summary"
for line in "${summary[@]}"; do
    echo "  $line"
done
echo "  time per step: ${timings[*]} (total ${SECONDS}s)"
if [ "$failed" -ne 0 ]; then
    echo "test-all: FAILED"
    exit 1
fi
echo "test-all: OK"
