#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# build.sh OUT: builds the etcd oracle (a Go test binary, see oracle_test.go) to OUT.
set -euo pipefail
cd "$(dirname "$0")"
exec go test -c -o "$1" .
