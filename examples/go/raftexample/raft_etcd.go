// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raft_etcd.go: with the build tag etcdraft the program runs on etcd raft itself. raft_raftc.go
// (the default) is the same program on raftc: the import line is the only
// difference, because the binding takes etcd's own types.

//go:build etcdraft

package main

import raft "go.etcd.io/raft/v3"

const raftImpl = "etcd"

type (
	raftNode    = raft.Node
	raftConfig  = raft.Config
	raftPeer    = raft.Peer
	raftReady   = raft.Ready
	raftStorage = raft.Storage
)

var (
	startNode   = raft.StartNode
	restartNode = raft.RestartNode
)
