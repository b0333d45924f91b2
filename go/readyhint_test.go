// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"fmt"
	"math/rand"
	"testing"

	pb "go.etcd.io/raft/v3/raftpb"
)

// TestHasReadyAfterAdvance: HasReady answered from what Advance learned agrees with the node
// (raftc_node_has_ready) after every step of a random run of ticks, proposals, Readys, storage
// writes and message deliveries on a 3-node cluster; and the MemoryStorage's remembered first
// and last index agree with C's after each storage write.
func TestHasReadyAfterAdvance(t *testing.T) {
	const seed = 20261205
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	c.settle()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	c.settle()
	var inbox []*pb.Message
	check := func(op string, n *testNode) {
		t.Helper()
		want := nodeHasReady(n.rn.n)
		if got := n.rn.HasReady(); got != want {
			t.Fatalf("after %s on node %d: HasReady %v, the node says %v", op, n.id, got, want)
		}
		ms := n.st.(*MemoryStorage)
		f, _ := ms.FirstIndex()
		l, _ := ms.LastIndex()
		if f != msFirstIndex(ms.ms) || l != msLastIndex(ms.ms) {
			t.Fatalf("after %s on node %d: indexes %d..%d, C says %d..%d", op, n.id, f, l,
				msFirstIndex(ms.ms), msLastIndex(ms.ms))
		}
	}
	for i := 0; i < 3000; i++ {
		n := c.nodes[uint64(1+rng.Intn(3))]
		var op string
		switch k := rng.Intn(6); k {
		case 0:
			op = "tick"
			n.rn.Tick()
		case 1:
			op = "propose"
			_ = n.rn.Propose([]byte(fmt.Sprint(i)))
		case 2, 3:
			op = "ready+advance"
			if !n.rn.HasReady() {
				break
			}
			rd := n.rn.Ready()
			if !IsEmptyHardState(rd.HardState) {
				_ = n.st.SetHardState(rd.HardState)
			}
			_ = n.st.Append(rd.Entries)
			inbox = append(inbox, rd.Messages...)
			n.rn.Advance(rd)
		case 4:
			op = "deliver"
			if len(inbox) > 0 {
				m := inbox[0]
				inbox = inbox[1:]
				n = c.nodes[m.GetTo()]
				_ = n.rn.Step(m)
			}
		case 5:
			op = "compact"
			if f, _ := n.st.FirstIndex(); f+2 < n.rn.BasicStatus().Applied {
				_ = n.st.(*MemoryStorage).Compact(f + 1)
			}
		}
		check(op, n)
	}
}
