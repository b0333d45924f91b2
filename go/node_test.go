// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// nodeHarness runs one Node the way etcd's raftexample does: a loop that ticks, persists each
// Ready into the MemoryStorage, sends its messages and applies committed entries.
type nodeHarness struct {
	id      uint64
	node    Node
	st      *MemoryStorage
	mu      sync.Mutex
	applied []string
	reads   []ReadState
	stopc   chan struct{}
	donec   chan struct{}
}

type nodeNet struct {
	mu    sync.Mutex
	nodes map[uint64]*nodeHarness
}

func (nn *nodeNet) send(msgs []*pb.Message) {
	for _, m := range msgs {
		nn.mu.Lock()
		to := nn.nodes[m.GetTo()]
		nn.mu.Unlock()
		if to != nil {
			// Asynchronous, as a transport: a Step must never block the sender's loop.
			go func(m *pb.Message) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				_ = to.node.Step(ctx, m)
			}(proto.Clone(m).(*pb.Message))
		}
	}
}

func (h *nodeHarness) loop(net *nodeNet) {
	defer close(h.donec)
	ticker := time.NewTicker(5 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			h.node.Tick()
		case rd := <-h.node.Ready():
			if !IsEmptyHardState(rd.HardState) {
				h.st.SetHardState(rd.HardState)
			}
			if !IsEmptySnap(rd.Snapshot) {
				h.st.ApplySnapshot(rd.Snapshot)
			}
			h.st.Append(rd.Entries)
			net.send(rd.Messages)
			h.mu.Lock()
			h.reads = append(h.reads, rd.ReadStates...)
			h.mu.Unlock()
			for _, e := range rd.CommittedEntries {
				switch e.GetType() {
				case pb.EntryNormal:
					if len(e.GetData()) > 0 {
						h.mu.Lock()
						h.applied = append(h.applied, string(e.GetData()))
						h.mu.Unlock()
					}
				case pb.EntryConfChange:
					var cc pb.ConfChange
					proto.Unmarshal(e.GetData(), &cc)
					h.node.ApplyConfChange(&cc)
				case pb.EntryConfChangeV2:
					var cc pb.ConfChangeV2
					proto.Unmarshal(e.GetData(), &cc)
					h.node.ApplyConfChange(&cc)
				}
			}
			h.node.Advance()
		case <-h.stopc:
			return
		}
	}
}

func startNodes(t *testing.T, n int) (*nodeNet, []*nodeHarness) {
	net := &nodeNet{nodes: map[uint64]*nodeHarness{}}
	var peers []Peer
	for i := 1; i <= n; i++ {
		peers = append(peers, Peer{ID: uint64(i)})
	}
	var hs []*nodeHarness
	for i := 1; i <= n; i++ {
		st := NewMemoryStorage()
		nd := StartNode(&Config{ID: uint64(i), ElectionTick: 10, HeartbeatTick: 1, Storage: st,
			MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, PreVote: true, CheckQuorum: true,
			Logger: quietLogger}, peers)
		h := &nodeHarness{id: uint64(i), node: nd, st: st, stopc: make(chan struct{}), donec: make(chan struct{})}
		net.mu.Lock()
		net.nodes[h.id] = h
		net.mu.Unlock()
		hs = append(hs, h)
	}
	for _, h := range hs {
		go h.loop(net)
	}
	t.Cleanup(func() {
		for _, h := range hs {
			close(h.stopc)
			<-h.donec
			h.node.Stop()
		}
	})
	return net, hs
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func leaderOf(hs []*nodeHarness) *nodeHarness {
	for _, h := range hs {
		if h.node.Status().RaftState == StateLeader {
			return h
		}
	}
	return nil
}

func TestNodeThreeNodeCluster(t *testing.T) {
	_, hs := startNodes(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs[0].node.Campaign(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a leader", func() bool { return leaderOf(hs) != nil })
	// Proposals through every node (followers forward to the leader).
	for i := 0; i < 30; i++ {
		if err := hs[i%3].node.Propose(ctx, []byte(fmt.Sprintf("k%d", i))); err != nil {
			t.Fatalf("propose %d: %v", i, err)
		}
	}
	waitFor(t, "30 applied entries everywhere", func() bool {
		for _, h := range hs {
			h.mu.Lock()
			n := len(h.applied)
			h.mu.Unlock()
			if n < 30 {
				return false
			}
		}
		return true
	})
	for _, h := range hs[1:] {
		h.mu.Lock()
		h0 := hs[0]
		h0.mu.Lock()
		for i := range h0.applied {
			if h.applied[i] != h0.applied[i] {
				t.Fatalf("node %d applied %q at %d, node 1 %q", h.id, h.applied[i], i, h0.applied[i])
			}
		}
		h0.mu.Unlock()
		h.mu.Unlock()
	}
	// Leadership transfer to a follower.
	l := leaderOf(hs)
	target := hs[0]
	if target == l {
		target = hs[1]
	}
	l.node.TransferLeadership(ctx, l.id, target.id)
	waitFor(t, "the transfer", func() bool { return target.node.Status().RaftState == StateLeader })
	// ReadIndex on the new leader.
	if err := target.node.ReadIndex(ctx, []byte("r1")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a read state", func() bool {
		target.mu.Lock()
		defer target.mu.Unlock()
		return len(target.reads) == 1 && string(target.reads[0].RequestCtx) == "r1"
	})
	// A conf change: remove node 3 from the config, then check everyone's config.
	if err := target.node.ProposeConfChange(ctx, &pb.ConfChange{Type: pb.ConfChangeRemoveNode.Enum(), NodeId: u64(3)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the removal", func() bool {
		return target.node.Status().Config.String() == "voters=(1 2)"
	})
	st := target.node.Status()
	if st.Progress[1].Match == 0 || st.Lead != target.id {
		t.Fatalf("status %+v", st)
	}
}

func TestNodeProposeWaitsForLeaderAndStop(t *testing.T) {
	st := NewMemoryStorage()
	nd := StartNode(&Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: st,
		MaxInflightMsgs: 256, Logger: quietLogger}, []Peer{{ID: 1}, {ID: 2}})
	// No leader: the proposal blocks until the context ends, as in etcd.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := nd.Propose(ctx, []byte("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("propose without leader: %v", err)
	}
	if err := nd.Step(context.Background(), nil); err == nil {
		t.Fatal("nil message accepted")
	}
	// Local message types from the network are ignored.
	if err := nd.Step(context.Background(), &pb.Message{Type: pb.MsgHup.Enum(), From: u64(2)}); err != nil {
		t.Fatal(err)
	}
	nd.Stop()
	nd.Stop() // idempotent
	if err := nd.Propose(context.Background(), []byte("x")); !errors.Is(err, ErrStopped) {
		t.Fatalf("propose after stop: %v", err)
	}
	if err := nd.Campaign(context.Background()); !errors.Is(err, ErrStopped) {
		t.Fatalf("campaign after stop: %v", err)
	}
	if s := nd.Status(); s.ID != 0 {
		t.Fatalf("status after stop: %+v", s)
	}
	if _, err := StartNodeErr(&Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: st, MaxInflightMsgs: 1}, nil); err == nil {
		t.Fatal("StartNode without peers accepted")
	}
	if _, err := RestartNodeErr(&Config{ID: 0, Storage: st}); err == nil {
		t.Fatal("RestartNode with id 0 accepted")
	}
}

// pump processes a single-voter Node's Readys into st until stop is closed; it returns the
// applied normal entries.
func pump(nd Node, st *MemoryStorage, stop chan struct{}) (func() []string, chan struct{}) {
	var mu sync.Mutex
	var applied []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case rd := <-nd.Ready():
				if !IsEmptyHardState(rd.HardState) {
					st.SetHardState(rd.HardState)
				}
				st.Append(rd.Entries)
				for _, e := range rd.CommittedEntries {
					if e.GetType() == pb.EntryNormal && len(e.GetData()) > 0 {
						mu.Lock()
						applied = append(applied, string(e.GetData()))
						mu.Unlock()
					}
					if e.GetType() == pb.EntryConfChange {
						var cc pb.ConfChange
						proto.Unmarshal(e.GetData(), &cc)
						nd.ApplyConfChange(&cc)
					}
				}
				nd.Advance()
			case <-stop:
				return
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), applied...)
	}, done
}

func electSelf(t *testing.T, nd Node) {
	waitFor(t, "leadership", func() bool {
		if nd.Status().RaftState == StateLeader {
			return true
		}
		nd.Campaign(context.Background())
		return false
	})
}

func TestNodeRestartFromStorage(t *testing.T) {
	st := NewMemoryStorage()
	cfg := &Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: st, MaxInflightMsgs: 256, Logger: quietLogger}
	nd := StartNode(cfg, []Peer{{ID: 1}})
	stop := make(chan struct{})
	applied, done := pump(nd, st, stop)
	electSelf(t, nd)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 5; i++ {
		if err := nd.Propose(ctx, []byte{byte('a' + i)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "5 applied", func() bool { return len(applied()) == 5 })
	close(stop)
	<-done
	nd.Stop()
	last, _ := st.LastIndex()

	nd2 := RestartNode(cfg)
	defer nd2.Stop()
	stop2 := make(chan struct{})
	defer close(stop2)
	applied2, _ := pump(nd2, st, stop2)
	electSelf(t, nd2)
	if err := nd2.Propose(ctx, []byte("z")); err != nil {
		t.Fatal(err)
	}
	// Applied was 0 in the config: the restarted node re-applies its log, then the new entry.
	waitFor(t, "the log re-applied plus the new entry", func() bool {
		a := applied2()
		return len(a) == 6 && a[0] == "a" && a[5] == "z"
	})
	if l2, _ := st.LastIndex(); l2 <= last {
		t.Fatalf("log did not grow after restart: %d -> %d", last, l2)
	}
}
