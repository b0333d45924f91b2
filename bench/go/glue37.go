// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// glue37.go: glue for go.etcd.io/raft/v3 v3.7's API and types (google.golang.org/protobuf
// raftpb with optional fields as pointers), shared by two builds: etcd37.go (etcd raft v3.7,
// the default) and raftcgo.go (-tags raftcgo: raftc through its Go binding, which takes the
// same Config and raftpb types). etcd36.go is the v3.6 twin.

//go:build !etcd36

package main

import (
	"io"
	"log"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

var discard = &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)}

// rawNode is the RawNode API the workloads use (etcd's *raft.RawNode and the binding's
// *raftc.RawNode).
type rawNode interface {
	Campaign() error
	Tick()
	Propose(data []byte) error
	Step(m *pb.Message) error
	HasReady() bool
	Ready() raft.Ready
	Advance(rd raft.Ready)
	BasicStatus() raft.BasicStatus
}

// memStorage is the MemoryStorage API the workloads use.
type memStorage interface {
	raft.Storage
	ApplySnapshot(snap *pb.Snapshot) error
	SetHardState(st *pb.HardState) error
	Append(entries []*pb.Entry) error
	Compact(compactIndex uint64) error
}

type node struct {
	rn      rawNode
	st      memStorage
	applied uint64
}

func newNode(id uint64, voters []uint64) *node {
	st := newMemStorage()
	if err := st.ApplySnapshot(&pb.Snapshot{Metadata: &pb.SnapshotMetadata{
		ConfState: &pb.ConfState{Voters: voters}, Index: proto.Uint64(1), Term: proto.Uint64(1)}}); err != nil {
		panic(err)
	}
	rn, err := newRawNode(&raft.Config{
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
func (n *node) term() uint64           { return n.rn.BasicStatus().GetTerm() }
func (n *node) appliedIndex() uint64   { return n.applied }
func (n *node) firstIndex() uint64     { i, _ := n.st.FirstIndex(); return i }
func (n *node) lastIndex() uint64      { i, _ := n.st.LastIndex(); return i }
func (n *node) compact(i uint64)       { _ = n.st.Compact(i) }

// proposeMsg steps one MsgProp carrying k entries with payload p (a host batching its writes).
func (n *node) proposeMsg(p []byte, k int) error {
	id := n.rn.BasicStatus().ID
	m := &pb.Message{Type: pb.MsgProp.Enum(), From: proto.Uint64(id), To: proto.Uint64(id)}
	m.Entries = make([]*pb.Entry, k)
	for i := range m.Entries {
		m.Entries[i] = &pb.Entry{Data: p}
	}
	return n.rn.Step(m)
}

// readyBytes returns a Ready whose messages come as raftpb bytes (nil: use Ready and marshal).
var readyBytes func(rn rawNode) (raft.Ready, []wireMsg)

// bytesStepper is the Go binding's StepBytesOwned: a message straight from the network, decoded
// by raftc, its bytes given up (each message's bytes here are its own and stepped once; etcd's
// RawNode has no such call, so etcd decodes with its generated code below).
type bytesStepper interface{ StepBytesOwned(b []byte) error }

func (n *node) step(b []byte) error {
	if s, ok := n.rn.(bytesStepper); ok {
		return s.StepBytesOwned(b)
	}
	m := &pb.Message{}
	if err := proto.Unmarshal(b, m); err != nil {
		return err
	}
	return n.rn.Step(m)
}

// handleReady persists, sends (marshalled), applies and advances one Ready; returns the number
// of applied entries that carry data.
//
// A build whose RawNode hands out messages as bytes (readyBytes, set by raftcgo.go: the
// binding's ReadyBytes) sends those bytes as they are.
func (n *node) handleReady(send func(to uint64, b []byte)) int {
	var rd raft.Ready
	var raw []wireMsg
	if readyBytes != nil {
		rd, raw = readyBytes(n.rn)
	} else {
		rd = n.rn.Ready()
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		_ = n.st.SetHardState(rd.HardState)
	}
	if len(rd.Entries) > 0 {
		_ = n.st.Append(rd.Entries)
	}
	if send != nil {
		for _, m := range raw {
			send(m.to, m.b)
		}
		for _, m := range rd.Messages {
			b, err := proto.Marshal(m)
			if err != nil {
				panic(err)
			}
			send(m.GetTo(), b)
		}
	}
	c := 0
	for _, e := range rd.CommittedEntries {
		if len(e.Data) > 0 {
			c++
		}
		n.applied = e.GetIndex()
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
	m := &pb.Message{Type: msgKinds[kind].Enum(), To: proto.Uint64(to), From: proto.Uint64(from),
		Term: proto.Uint64(term), LogTerm: proto.Uint64(logTerm), Index: proto.Uint64(index),
		Commit: proto.Uint64(commit)}
	if entry != nil {
		m.Entries = append(m.Entries, &pb.Entry{Term: proto.Uint64(entry[0]),
			Index: proto.Uint64(entry[1]), Type: pb.EntryNormal.Enum()})
	}
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func codecMsg(name string) *pb.Message {
	switch name {
	case "heartbeat":
		return &pb.Message{Type: pb.MsgHeartbeat.Enum(), To: proto.Uint64(2), From: proto.Uint64(1),
			Term: proto.Uint64(5), Commit: proto.Uint64(99)}
	case "vote":
		return &pb.Message{Type: pb.MsgVote.Enum(), To: proto.Uint64(2), From: proto.Uint64(1),
			Term: proto.Uint64(6), LogTerm: proto.Uint64(5), Index: proto.Uint64(100)}
	}
	n, size := 1, 16
	switch name {
	case "app_16x1k":
		n, size = 16, 1024
	case "app_1x64k":
		n, size = 1, 65536
	}
	m := &pb.Message{Type: pb.MsgApp.Enum(), To: proto.Uint64(2), From: proto.Uint64(1),
		Term: proto.Uint64(5), LogTerm: proto.Uint64(5), Index: proto.Uint64(100), Commit: proto.Uint64(99)}
	for i := 0; i < n; i++ {
		m.Entries = append(m.Entries, &pb.Entry{Term: proto.Uint64(5), Index: proto.Uint64(uint64(101 + i)),
			Type: pb.EntryNormal.Enum(), Data: make([]byte, size)})
	}
	return m
}

// codecCase returns an encoder of a fixed message and a decoder of its bytes.
func codecCase(name string) (func() []byte, func([]byte) error) {
	m := codecMsg(name)
	enc := func() []byte {
		b, err := proto.Marshal(m)
		if err != nil {
			panic(err)
		}
		return b
	}
	dec := func(b []byte) error {
		var out pb.Message
		return proto.Unmarshal(b, &out)
	}
	return enc, dec
}
