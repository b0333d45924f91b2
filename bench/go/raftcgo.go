// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftcgo.go: the workloads of glue37.go on raftc through its Go binding
// (github.com/raftc/raftc/go, -tags raftcgo): the same Go code as for etcd raft v3.7, with
// cgo's cost included in every figure.

//go:build raftcgo

package main

import (
	raftc "github.com/raftc/raftc/go"
	"go.etcd.io/raft/v3"
)

func libName() string { return "raftc-go" }

func newRawNode(c *raft.Config) (rawNode, error) { return raftc.NewRawNode(c) }
func newMemStorage() memStorage                  { return raftc.NewMemoryStorage() }
