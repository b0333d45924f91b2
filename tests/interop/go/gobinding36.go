// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// gobinding36.go: the etcd36 build has no Go-binding nodes (the binding speaks etcd raft
// v3.7's raftpb types).

//go:build etcd36

package interop

import "errors"

const haveGoBinding = false

func newGoBindingNode(uint64, []uint64, []uint64, Opts, *traceLogger) (Node, error) {
	return nil, errors.New("the Go binding needs etcd raft v3.7 raftpb types")
}
