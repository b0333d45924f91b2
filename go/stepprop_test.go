// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"bytes"
	"errors"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// propMsg is a MsgProp from `from` to `to` carrying one entry per payload.
func propMsg(from, to uint64, datas ...[]byte) *pb.Message {
	m := &pb.Message{Type: pb.MsgProp.Enum(), From: proto.Uint64(from), To: proto.Uint64(to)}
	for _, d := range datas {
		m.Entries = append(m.Entries, &pb.Entry{Data: d})
	}
	return m
}

// TestStepLocalProposal: a MsgProp the node makes itself (as Propose builds it) goes in as one
// batch without encoding; anything else about the message (a context, another sender, an
// addressee that is not this node) takes Step's usual path, with the same outcome as before.
func TestStepLocalProposal(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	c.settle()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	c.settle()
	big := bytes.Repeat([]byte("y"), 5000)
	steps := []struct {
		node uint64
		m    *pb.Message
	}{
		{1, propMsg(1, 0, []byte("a"), big, []byte("b"))},
		{1, propMsg(1, 1, []byte("c"))},
		{2, propMsg(2, 2, []byte("via-follower"))}, // forwarded to the leader
	}
	ctxProp := propMsg(1, 0, []byte("with-context"))
	ctxProp.Context = []byte("ctx")
	steps = append(steps, struct {
		node uint64
		m    *pb.Message
	}{1, ctxProp})
	for _, s := range steps {
		if err := c.nodes[s.node].rn.Step(s.m); err != nil {
			t.Fatalf("step %v: %v", s.m, err)
		}
	}
	// The leader's Ready shares the large payload given to Step (as Propose's).
	rd := c.nodes[1].rn.Ready()
	shared := false
	for _, e := range rd.Entries {
		if len(e.Data) == len(big) && &e.Data[0] == &big[0] {
			shared = true
		}
	}
	if !shared {
		t.Fatalf("no entry of the Ready shares the stepped 5000-byte payload: %d entries", len(rd.Entries))
	}
	if err := c.nodes[1].st.Append(rd.Entries); err != nil {
		t.Fatal(err)
	}
	if !IsEmptyHardState(rd.HardState) {
		if err := c.nodes[1].st.SetHardState(rd.HardState); err != nil {
			t.Fatal(err)
		}
	}
	var msgs []*pb.Message
	msgs = append(msgs, rd.Messages...)
	c.nodes[1].rn.Advance(rd)
	for _, m := range msgs {
		_ = c.nodes[m.GetTo()].rn.Step(m)
	}
	c.settle()
	want := []string{"a", string(big), "b", "c", "with-context", "via-follower"}
	for _, id := range c.order {
		got := c.nodes[id].applied
		if len(got) != len(want) {
			t.Fatalf("node %d applied %d entries, want %d", id, len(got), len(want))
		}
		for i := range want {
			if string(got[i]) != want[i] {
				t.Fatalf("node %d entry %d = %.20q, want %.20q", id, i, got[i], want[i])
			}
		}
	}
	// What the node refuses, it still refuses.
	before := c.nodes[1].rn.Refused()
	for _, m := range []*pb.Message{propMsg(0, 0, []byte("x")), propMsg(1, 3, []byte("x")), propMsg(1, 0)} {
		if err := c.nodes[1].rn.Step(m); !errors.Is(err, ErrRefused) {
			t.Fatalf("step %v: %v, want ErrRefused", m, err)
		}
	}
	if got := c.nodes[1].rn.Refused() - before; got != 3 {
		t.Fatalf("refused count grew by %d, want 3", got)
	}
	// A dropped proposal is ErrProposalDropped on both paths.
	c.nodes[1].rn.TransferLeader(2)
	for _, m := range []*pb.Message{propMsg(1, 0, []byte("x")), ctxProp} {
		if err := c.nodes[1].rn.Step(m); !errors.Is(err, ErrProposalDropped) {
			t.Fatalf("step during a transfer %v: %v, want ErrProposalDropped", m, err)
		}
	}
}

// TestProposeListLargeBatch: a batch beyond the packed path's bound is proposed in place.
func TestProposeListLargeBatch(t *testing.T) {
	c := newTestCluster(t, 1, func() appStorage { return NewMemoryStorage() })
	c.settle()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	c.settle()
	var want [][]byte
	for i := 0; i < 5; i++ {
		want = append(want, bytes.Repeat([]byte{byte('a' + i)}, proposePackedMax/4))
	}
	if err := c.nodes[1].rn.ProposeList(want); err != nil {
		t.Fatal(err)
	}
	c.settle()
	got := c.nodes[1].applied
	if len(got) != len(want) {
		t.Fatalf("applied %d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("entry %d differs", i)
		}
	}
}
