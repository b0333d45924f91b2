// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"fmt"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// TestReadyBytes: a 3-node cluster whose messages travel only as ReadyBytes' raftpb bytes
// (stepped with StepBytes) elects a leader and replicates; every message's To and Type are
// its bytes' own, and each message owns its bytes.
func TestReadyBytes(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	applied := map[uint64]int{}
	seen := map[pb.MessageType]int{}
	run := func() {
		for round := 0; round < 1000; round++ {
			var q []MessageBytes
			for _, id := range c.order {
				n := c.nodes[id]
				for n.rn.HasReady() {
					rd, msgs, err := n.rn.ReadyBytes()
					if err != nil {
						t.Fatal(err)
					}
					if rd.Messages != nil {
						t.Fatal("ReadyBytes filled rd.Messages")
					}
					if !IsEmptyHardState(rd.HardState) {
						n.st.SetHardState(rd.HardState)
					}
					if err := n.st.Append(rd.Entries); err != nil {
						t.Fatal(err)
					}
					for _, e := range rd.CommittedEntries {
						if e.GetType() == pb.EntryConfChange {
							var cc pb.ConfChange
							proto.Unmarshal(e.GetData(), &cc)
							n.rn.ApplyConfChange(&cc)
						} else if len(e.GetData()) > 0 {
							applied[id]++
						}
					}
					for i, m := range msgs {
						var d pb.Message
						if err := proto.Unmarshal(m.Data, &d); err != nil {
							t.Fatal(err)
						}
						if d.GetTo() != m.To || d.GetType() != m.Type || d.GetFrom() != id {
							t.Fatalf("message %d: To %d Type %v, bytes say %v", i, m.To, m.Type, &d)
						}
						if len(m.Data) != cap(m.Data) {
							t.Fatalf("message %d shares its buffer beyond its bytes", i)
						}
						seen[m.Type]++
					}
					q = append(q, msgs...)
					n.rn.Advance(rd)
				}
			}
			if len(q) == 0 {
				return
			}
			for _, m := range q {
				if err := c.nodes[m.To].rn.StepBytes(m.Data); err != nil {
					t.Fatalf("step %v to %d: %v", m.Type, m.To, err)
				}
			}
		}
		t.Fatal("cluster did not settle")
	}
	run()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	run()
	for i := 0; i < 20; i++ {
		if err := c.nodes[uint64(1+i%3)].rn.Propose([]byte(fmt.Sprint("v", i))); err != nil {
			t.Fatal(err)
		}
		run()
	}
	for _, id := range c.order {
		if applied[id] != 20 {
			t.Fatalf("node %d applied %d, want 20", id, applied[id])
		}
	}
	for _, typ := range []pb.MessageType{pb.MsgVote, pb.MsgVoteResp, pb.MsgApp, pb.MsgAppResp, pb.MsgProp} {
		if seen[typ] == 0 {
			t.Fatalf("no %v went through ReadyBytes (seen %v)", typ, seen)
		}
	}
}
