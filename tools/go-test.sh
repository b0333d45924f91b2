#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# go-test.sh: the Go binding (go/, docs/go.md). Checks that the C sources generated into go/
# are current (tools/gen-go-sources.sh --check) and that every Go file of the repository is
# gofmt-clean, runs `go vet` and `go test -race` over the module (the binding's tests, the
# datadriven driver over every etcd transcript and the project's scenario files, the Node
# tests) with cgo's pointer checks on (GODEBUG=cgocheck=1, the default), then
# examples/go/raftexample twice: on raftc and, with -tags etcdraft, on etcd raft itself (the
# same program and tests).
#
# Prints "go: N passed, M failed (...)" (top-level Go tests) and exits non-zero on any failure;
# exit 77 (skipped) when `go` is not installed.
# Env: RAFTC_ETCD_TESTDATA (the etcd transcripts; default ../shared/conformance/etcd),
# RAFTC_GO_RUN=<regexp> selects tests (go test -run).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v go >/dev/null 2>&1; then
    echo "go: skipped (no Go toolchain)"
    exit 77
fi

if ! "$root/tools/gen-go-sources.sh" --check; then
    echo "go: 0 passed, 1 failed (go/ C sources out of date: run tools/gen-go-sources.sh)"
    exit 1
fi

# gofmt over every Go file of the repository (the binding, its examples, the benchmarks, the
# interop and conformance tools): a file it would rewrite fails the step.
unformatted=$(cd "$root" && git ls-files -z -- '*.go' | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
    echo "$unformatted"
    echo "go: 0 passed, 1 failed (gofmt -l: run gofmt -w on the files above)"
    exit 1
fi

cd "$root/go"
export GODEBUG="${GODEBUG:+$GODEBUG,}cgocheck=1"
if ! go vet ./...; then
    echo "go: 0 passed, 1 failed (go vet)"
    exit 1
fi

example="$root/examples/go/raftexample"
for tags in "" etcdraft; do
    if ! (cd "$example" && go vet -tags "$tags" ./...); then
        echo "go: 0 passed, 1 failed (go vet of examples/go/raftexample${tags:+ -tags $tags})"
        exit 1
    fi
done

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run=()
[ -n "${RAFTC_GO_RUN:-}" ] && run=(-run "$RAFTC_GO_RUN")
status=0
go test -race -count=1 -v "${run[@]}" ./... >"$log" 2>&1 || status=$?
# raftexample: the same program and test on raftc (the binding) and on etcd raft itself.
(cd "$example" && go test -race -count=1 -v "${run[@]}" ./... && \
    go test -race -count=1 -v -tags etcdraft "${run[@]}" ./...) >>"$log" 2>&1 || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic|fatal error)' "$log" || true
passed=$(grep -c '^--- PASS' "$log" || true)
failed=$(grep -c '^--- FAIL' "$log" || true)
if [ "$status" -ne 0 ]; then
    tail -80 "$log"
    [ "$failed" -eq 0 ] && failed=1
fi
echo "go: $passed passed, $failed failed (go vet, go test -race, raftexample on raftc and etcd raft; generated C sources current)"
[ "$status" -eq 0 ]
