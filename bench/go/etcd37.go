// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// etcd37.go: the workloads of glue37.go on go.etcd.io/raft/v3 v3.7 (the default build).

//go:build !etcd36 && !raftcgo

package main

import (
	"runtime/debug"

	"go.etcd.io/raft/v3"
)

func libName() string { return "etcd-" + raftVersion() }

func raftVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "go.etcd.io/raft/v3" {
				return d.Version
			}
		}
	}
	return "v3.7"
}

func newRawNode(c *raft.Config) (rawNode, error) { return raft.NewRawNode(c) }
func newMemStorage() memStorage                  { return raft.NewMemoryStorage() }
