// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
)

// forgedHeartbeat is a heartbeat with term 2^64-1: etcd accepts it, after which the follower's
// term wraps to 0 and the cluster fails; raftc refuses it.
func forgedHeartbeat(from, to uint64) *pb.Message {
	term := uint64(math.MaxUint64)
	return &pb.Message{Type: pb.MsgHeartbeat.Enum(), From: &from, To: &to, Term: &term}
}

// TestStepRefusesForgedMessages: messages no correct peer sends are refused with ErrRefused
// (or etcd's ErrStepLocalMsg), counted by Refused, and leave the node unchanged and working.
func TestStepRefusesForgedMessages(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	c.settle()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	c.settle()
	f := c.nodes[3].rn
	before := f.BasicStatus()
	if f.Refused() != 0 {
		t.Fatalf("refused %d before any forged message", f.Refused())
	}
	err := f.Step(forgedHeartbeat(2, 3))
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("heartbeat with term 2^64-1: %v, want ErrRefused", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != codeRefused || !strings.Contains(e.Msg, "18446744073709551615") {
		t.Fatalf("refusal text %q should name the value", err)
	}
	self := uint64(3)
	one := uint64(1)
	selfMsg := &pb.Message{Type: pb.MsgHeartbeat.Enum(), From: &self, To: &self, Term: before.Term}
	if err := f.Step(selfMsg); !errors.Is(err, ErrRefused) {
		t.Fatalf("self-addressed message: %v, want ErrRefused", err)
	}
	hup := &pb.Message{Type: pb.MsgHup.Enum(), From: &one, To: &self}
	if err := f.Step(hup); !errors.Is(err, ErrStepLocalMsg) {
		t.Fatalf("local message from a peer: %v, want ErrStepLocalMsg", err)
	}
	if n := f.Refused(); n != 3 {
		t.Fatalf("refused %d, want 3", n)
	}
	after := f.BasicStatus()
	if f.Err() != nil || after.GetTerm() != before.GetTerm() || after.Lead != before.Lead || after.GetCommit() != before.GetCommit() {
		t.Fatalf("node changed by refused messages: %v -> %v (err %v)", before, after, f.Err())
	}
	// The cluster still works, the node that refused included.
	for i := 0; i < 5; i++ {
		if err := c.nodes[3].rn.Propose([]byte(fmt.Sprint("p", i))); err != nil {
			t.Fatal(err)
		}
		c.settle()
	}
	for _, id := range c.order {
		if n := len(c.nodes[id].applied); n != 5 {
			t.Fatalf("node %d applied %d entries after the refusals, want 5", id, n)
		}
		if id != 3 && c.nodes[id].rn.Refused() != 0 {
			t.Fatalf("node %d refused %d messages it never got", id, c.nodes[id].rn.Refused())
		}
	}
}

// TestNodeStepRefusesForgedMessage: through Node.Step (which reports no message errors, as
// etcd's) the refusal shows in Refused, and the cluster keeps committing.
func TestNodeStepRefusesForgedMessage(t *testing.T) {
	_, hs := startNodes(t, 3)
	if err := hs[0].node.Campaign(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a leader", func() bool { return leaderOf(hs) != nil })
	lead := leaderOf(hs)
	var f *nodeHarness
	for _, h := range hs {
		if h != lead {
			f = h
			break
		}
	}
	if err := f.node.Step(context.Background(), forgedHeartbeat(lead.id, f.id)); err != nil {
		t.Fatalf("Node.Step: %v", err)
	}
	refused := func() uint64 { return f.node.(interface{ Refused() uint64 }).Refused() }
	waitFor(t, "the refusal counted", func() bool { return refused() == 1 })
	if err := f.node.Propose(context.Background(), []byte("after")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the proposal applied everywhere", func() bool {
		for _, h := range hs {
			h.mu.Lock()
			n := len(h.applied)
			h.mu.Unlock()
			if n != 1 {
				return false
			}
		}
		return true
	})
	if st := f.node.Status(); st.GetTerm() == math.MaxUint64 || st.Lead != lead.id {
		t.Fatalf("follower status after the forged heartbeat: %+v", st.BasicStatus)
	}
}
