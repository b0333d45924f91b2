// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftcgo.go: the workloads of glue37.go on raftc through its Go binding
// (github.com/raftc/raftc/go, -tags raftcgo): the same Go code as for etcd raft v3.7, with
// cgo's cost included in every figure.

//go:build raftcgo

package main

import (
	"os"

	raftc "github.com/raftc/raftc/go"
	"go.etcd.io/raft/v3"
)

func libName() string { return "raftc-go" }

func newRawNode(c *raft.Config) (rawNode, error) { return raftc.NewRawNode(c) }
func newMemStorage() memStorage                  { return raftc.NewMemoryStorage() }

// The binding's ReadyBytes: messages stay raftpb bytes from C to the wire (no decode into Go
// and marshal again); RAFTC_GO_DECODED_READY=1 measures the decoded path instead.
func init() {
	if os.Getenv("RAFTC_GO_DECODED_READY") == "1" {
		return
	}
	readyBytes = func(rn rawNode) (raft.Ready, []wireMsg) {
		rd, msgs, err := rn.(*raftc.RawNode).ReadyBytes()
		if err != nil {
			panic(err)
		}
		out := make([]wireMsg, len(msgs))
		for i, m := range msgs {
			out[i] = wireMsg{m.To, m.Data}
		}
		return rd, out
	}
}
