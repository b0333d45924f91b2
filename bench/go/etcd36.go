// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// etcd36.go: glue for go.etcd.io/raft/v3 v3.6 (gogoproto raftpb, value fields). Built with
// `go build -modfile=go36.mod -tags etcd36`; etcd37.go is the v3.7 twin.

//go:build etcd36

package main

import (
	"io"
	"log"
	"runtime/debug"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
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
	return "v3.6"
}

var discard = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

type node struct {
	rn      *raft.RawNode
	st      *raft.MemoryStorage
	applied uint64
}

func newNode(id uint64, voters []uint64) *node {
	st := raft.NewMemoryStorage()
	if err := st.ApplySnapshot(pb.Snapshot{Metadata: pb.SnapshotMetadata{
		ConfState: pb.ConfState{Voters: voters}, Index: 1, Term: 1}}); err != nil {
		panic(err)
	}
	rn, err := raft.NewRawNode(&raft.Config{
		ID: id, ElectionTick: 10, HeartbeatTick: 1, Storage: st, Applied: 1,
		MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, Logger: discard,
	})
	if err != nil {
		panic(err)
	}
	return &node{rn: rn, st: st, applied: 1}
}

func (n *node) campaign()              { _ = n.rn.Campaign() }
func (n *node) tick()                  { n.rn.Tick() }
func (n *node) propose(p []byte) error { return n.rn.Propose(p) }
func (n *node) hasReady() bool         { return n.rn.HasReady() }
func (n *node) isLeader() bool         { return n.rn.BasicStatus().RaftState == raft.StateLeader }
func (n *node) term() uint64           { return n.rn.BasicStatus().Term }
func (n *node) appliedIndex() uint64   { return n.applied }
func (n *node) firstIndex() uint64     { i, _ := n.st.FirstIndex(); return i }
func (n *node) lastIndex() uint64      { i, _ := n.st.LastIndex(); return i }
func (n *node) compact(i uint64)       { _ = n.st.Compact(i) }

// proposeMsg steps one MsgProp carrying k entries with payload p (a host batching its writes).
func (n *node) proposeMsg(p []byte, k int) error {
	id := n.rn.BasicStatus().ID
	m := pb.Message{Type: pb.MsgProp, From: id, To: id}
	m.Entries = make([]pb.Entry, k)
	for i := range m.Entries {
		m.Entries[i].Data = p
	}
	return n.rn.Step(m)
}

func (n *node) step(b []byte) error {
	var m pb.Message
	if err := m.Unmarshal(b); err != nil {
		return err
	}
	return n.rn.Step(m)
}

// handleReady persists, sends (marshalled), applies and advances one Ready; returns the number
// of applied entries that carry data.
func (n *node) handleReady(send func(to uint64, b []byte)) int {
	rd := n.rn.Ready()
	if !raft.IsEmptyHardState(rd.HardState) {
		_ = n.st.SetHardState(rd.HardState)
	}
	if len(rd.Entries) > 0 {
		_ = n.st.Append(rd.Entries)
	}
	if send != nil {
		for i := range rd.Messages {
			b, err := rd.Messages[i].Marshal()
			if err != nil {
				panic(err)
			}
			send(rd.Messages[i].To, b)
		}
	}
	c := 0
	for i := range rd.CommittedEntries {
		if len(rd.CommittedEntries[i].Data) > 0 {
			c++
		}
		n.applied = rd.CommittedEntries[i].Index
	}
	n.rn.Advance(rd)
	return c
}

const (
	kindVoteResp = iota
	kindAppResp
	kindApp
	kindHeartbeat
	kindHeartbeatResp
)

var msgKinds = []pb.MessageType{pb.MsgVoteResp, pb.MsgAppResp, pb.MsgApp, pb.MsgHeartbeat,
	pb.MsgHeartbeatResp}

// encodeMsg marshals a message of the given kind; entry, when non-nil, is one entry {term,
// index} without data.
func encodeMsg(kind int, to, from, term, logTerm, index, commit uint64, entry *[2]uint64) []byte {
	m := pb.Message{Type: msgKinds[kind], To: to, From: from, Term: term, LogTerm: logTerm,
		Index: index, Commit: commit}
	if entry != nil {
		m.Entries = append(m.Entries, pb.Entry{Term: entry[0], Index: entry[1],
			Type: pb.EntryNormal})
	}
	b, err := m.Marshal()
	if err != nil {
		panic(err)
	}
	return b
}

func codecMsg(name string) *pb.Message {
	switch name {
	case "heartbeat":
		return &pb.Message{Type: pb.MsgHeartbeat, To: 2, From: 1, Term: 5, Commit: 99}
	case "vote":
		return &pb.Message{Type: pb.MsgVote, To: 2, From: 1, Term: 6, LogTerm: 5, Index: 100}
	}
	n, size := 1, 16
	switch name {
	case "app_16x1k":
		n, size = 16, 1024
	case "app_1x64k":
		n, size = 1, 65536
	}
	m := &pb.Message{Type: pb.MsgApp, To: 2, From: 1, Term: 5, LogTerm: 5, Index: 100, Commit: 99}
	for i := 0; i < n; i++ {
		m.Entries = append(m.Entries, pb.Entry{Term: 5, Index: uint64(101 + i), Type: pb.EntryNormal,
			Data: make([]byte, size)})
	}
	return m
}

// codecCase returns an encoder of a fixed message and a decoder of its bytes.
func codecCase(name string) (func() []byte, func([]byte) error) {
	m := codecMsg(name)
	enc := func() []byte {
		b, err := m.Marshal()
		if err != nil {
			panic(err)
		}
		return b
	}
	dec := func(b []byte) error {
		var out pb.Message
		return out.Unmarshal(b)
	}
	return enc, dec
}
