// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// gobinding.go: raftc RawNodes in-process through the Go binding (github.com/raftc/raftc/go),
// driven by the very code that drives etcd's RawNodes (glue37.go): the binding takes etcd's
// Config and raftpb types. Cluster kind 'g'. Only with etcd raft v3.7 raftpb types (the
// binding's), so not in the etcd36 build.

//go:build !etcd36

package interop

import (
	raftc "github.com/raftc/raftc/go"
	"go.etcd.io/raft/v3"
)

const haveGoBinding = true

func newGoBindingNode(id uint64, voters, learners []uint64, o Opts, lg *traceLogger) (Node, error) {
	return newInProcessNode(id, voters, learners, o, lg, raftc.NewMemoryStorage(),
		func(c *raft.Config) (rawNode, error) { return raftc.NewRawNode(c) })
}
