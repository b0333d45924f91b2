// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raft_raftc.go: the default build runs on raftc through its Go binding. raft_etcd.go (build
// tag etcdraft) is the same program on etcd raft itself: the import line is the only
// difference, because the binding takes etcd's own types.

//go:build !etcdraft

package main

import raft "github.com/raftc/raftc/go"

const raftImpl = "raftc"

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
