// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"testing"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

var quietLogger = &DefaultLogger{Logger: log.New(io.Discard, "", 0)}

// appStorage is what a test node persists into: the built-in MemoryStorage or etcd's own
// MemoryStorage (called back through cgo.Handle).
type appStorage interface {
	Storage
	SetHardState(*pb.HardState) error
	Append([]*pb.Entry) error
	ApplySnapshot(*pb.Snapshot) error
}

type testNode struct {
	id      uint64
	rn      *RawNode
	st      appStorage
	applied [][]byte
	reads   []ReadState
}

type testCluster struct {
	t     *testing.T
	nodes map[uint64]*testNode
	order []uint64
}

func newTestCluster(t *testing.T, n int, mkStorage func() appStorage) *testCluster {
	t.Helper()
	c := &testCluster{t: t, nodes: map[uint64]*testNode{}}
	var peers []Peer
	for i := 1; i <= n; i++ {
		peers = append(peers, Peer{ID: uint64(i)})
	}
	for i := 1; i <= n; i++ {
		st := mkStorage()
		rn, err := NewRawNode(&Config{ID: uint64(i), ElectionTick: 10, HeartbeatTick: 1, Storage: st,
			MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, Logger: quietLogger})
		if err != nil {
			t.Fatal(err)
		}
		if err := rn.Bootstrap(peers); err != nil {
			t.Fatal(err)
		}
		c.nodes[uint64(i)] = &testNode{id: uint64(i), rn: rn, st: st}
		c.order = append(c.order, uint64(i))
	}
	return c
}

// settle processes Readys and delivers messages until nothing is left.
func (c *testCluster) settle() {
	c.t.Helper()
	for round := 0; round < 1000; round++ {
		var msgs []*pb.Message
		busy := false
		for _, id := range c.order {
			n := c.nodes[id]
			for n.rn.HasReady() {
				busy = true
				rd := n.rn.Ready()
				if !IsEmptyHardState(rd.HardState) {
					if err := n.st.SetHardState(rd.HardState); err != nil {
						c.t.Fatal(err)
					}
				}
				if !IsEmptySnap(rd.Snapshot) {
					if err := n.st.ApplySnapshot(rd.Snapshot); err != nil {
						c.t.Fatal(err)
					}
				}
				if err := n.st.Append(rd.Entries); err != nil {
					c.t.Fatal(err)
				}
				msgs = append(msgs, rd.Messages...)
				n.reads = append(n.reads, rd.ReadStates...)
				for _, e := range rd.CommittedEntries {
					switch e.GetType() {
					case pb.EntryConfChange:
						var cc pb.ConfChange
						if err := unmarshal(e.GetData(), &cc); err != nil {
							c.t.Fatal(err)
						}
						if n.rn.ApplyConfChange(&cc) == nil {
							c.t.Fatal(n.rn.Err())
						}
					case pb.EntryNormal:
						if len(e.GetData()) > 0 {
							n.applied = append(n.applied, e.GetData())
						}
					}
				}
				n.rn.Advance(rd)
				if err := n.rn.Err(); err != nil {
					c.t.Fatal(err)
				}
			}
		}
		for _, m := range msgs {
			if to, ok := c.nodes[m.GetTo()]; ok {
				_ = to.rn.Step(m)
			}
		}
		if !busy && len(msgs) == 0 {
			return
		}
	}
	c.t.Fatal("cluster did not settle")
}

func (c *testCluster) leader() *testNode {
	for _, id := range c.order {
		if c.nodes[id].rn.BasicStatus().RaftState == StateLeader {
			return c.nodes[id]
		}
	}
	return nil
}

func storages() map[string]func() appStorage {
	return map[string]func() appStorage{
		"builtin": func() appStorage { return NewMemoryStorage() },
		"etcd":    func() appStorage { return raft.NewMemoryStorage() },
	}
}

func TestClusterReplicates(t *testing.T) {
	for name, mk := range storages() {
		t.Run(name, func(t *testing.T) {
			c := newTestCluster(t, 3, mk)
			c.settle()
			if err := c.nodes[1].rn.Campaign(); err != nil {
				t.Fatal(err)
			}
			c.settle()
			l := c.leader()
			if l == nil || l.id != 1 {
				t.Fatalf("leader = %v, want 1", l)
			}
			for i := 0; i < 20; i++ {
				if err := c.nodes[uint64(1+i%3)].rn.Propose([]byte(fmt.Sprintf("v%d", i))); err != nil {
					t.Fatal(err)
				}
				c.settle()
			}
			for _, id := range c.order {
				n := c.nodes[id]
				if len(n.applied) != 20 {
					t.Fatalf("node %d applied %d entries, want 20", id, len(n.applied))
				}
				for i, d := range n.applied {
					if !bytes.Equal(d, []byte(fmt.Sprintf("v%d", i))) {
						t.Fatalf("node %d entry %d = %q", id, i, d)
					}
				}
			}
			st := l.rn.Status()
			if len(st.Progress) != 3 || st.Progress[2].Match != st.GetCommit() {
				t.Fatalf("status progress: %v", st.Progress)
			}
			if got := st.Config.String(); got != "voters=(1 2 3)" {
				t.Fatalf("config %q", got)
			}
			// Leadership transfer and ReadIndex.
			l.rn.TransferLeader(2)
			c.settle()
			for i := 0; i < 30 && c.leader() == nil || c.leader().id != 2; i++ {
				for _, id := range c.order {
					c.nodes[id].rn.Tick()
				}
				c.settle()
			}
			if c.leader() == nil || c.leader().id != 2 {
				t.Fatal("leadership did not move to 2")
			}
			c.nodes[2].rn.ReadIndex([]byte("rctx"))
			c.settle()
			reads := c.nodes[2].reads
			if len(reads) != 1 || string(reads[0].RequestCtx) != "rctx" || reads[0].Index != c.nodes[2].rn.BasicStatus().GetCommit() {
				t.Fatalf("read states: %+v", reads)
			}
		})
	}
}

func TestErrorsMatchEtcdSentinels(t *testing.T) {
	st := NewMemoryStorage()
	rn, err := NewRawNode(&Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: st,
		MaxInflightMsgs: 256, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	if err := rn.Propose([]byte("x")); err != raft.ErrProposalDropped || !errors.Is(err, ErrProposalDropped) {
		t.Fatalf("propose without leader: %v", err)
	}
	if err := rn.Step(&pb.Message{Type: pb.MsgHup.Enum()}); !errors.Is(err, raft.ErrStepLocalMsg) {
		t.Fatalf("step local: %v", err)
	}
	if err := rn.Step(&pb.Message{Type: pb.MsgAppResp.Enum(), From: u64(9), Term: u64(0)}); !errors.Is(err, raft.ErrStepPeerNotFound) {
		t.Fatalf("step unknown peer: %v", err)
	}
	if err := st.Compact(0); !errors.Is(err, raft.ErrCompacted) {
		t.Fatalf("compact: %v", err)
	}
	if _, err := st.Term(5); !errors.Is(err, raft.ErrUnavailable) {
		t.Fatalf("term: %v", err)
	}
	if err := st.Compact(7); !errors.Is(err, ErrFailed) || err.Error() != "compact 7 is out of bound lastindex(0)" {
		t.Fatalf("compact beyond: %v", err)
	}
	if err := rn.Bootstrap(nil); err == nil || err.Error() != "must provide at least one peer to Bootstrap" {
		t.Fatalf("bootstrap nil: %v", err)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	for _, cfg := range []*Config{
		nil,
		{ID: 0, ElectionTick: 10, HeartbeatTick: 1, Storage: NewMemoryStorage(), MaxInflightMsgs: 1},
		{ID: 1, ElectionTick: 1, HeartbeatTick: 1, Storage: NewMemoryStorage(), MaxInflightMsgs: 1},
		{ID: 1, ElectionTick: 10, HeartbeatTick: -1, Storage: NewMemoryStorage(), MaxInflightMsgs: 1},
		{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: nil, MaxInflightMsgs: 1},
		{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: NewMemoryStorage(), MaxInflightMsgs: 0},
		{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: NewMemoryStorage(), MaxInflightMsgs: 1, ReadOnlyOption: 7},
		{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: NewMemoryStorage(), MaxInflightMsgs: 1, ReadOnlyOption: ReadOnlyLeaseBased},
	} {
		if _, err := NewRawNode(cfg); err == nil {
			t.Errorf("NewRawNode(%+v) succeeded", cfg)
		} else {
			t.Logf("NewRawNode: %v", err)
		}
	}
	rn, err := NewRawNode(&Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: NewMemoryStorage(),
		MaxInflightMsgs: 256, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	if err := rn.Step(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil message: %v", err)
	}
	if err := rn.StepBytes([]byte{0xff, 0xff, 0xff}); !errors.Is(err, ErrDecode) {
		t.Fatalf("garbage bytes: %v", err)
	}
	if err := rn.StepBytes([]byte{0x08, 99}); !errors.Is(err, ErrUnknownType) {
		t.Fatalf("unknown type: %v", err)
	}
	if err := rn.AdvanceErr(); !errors.Is(err, ErrState) {
		t.Fatalf("advance without ready: %v", err)
	}
	// Removing the only voter breaks the config invariant (etcd panics): an error, and the node
	// is failed from then on.
	if err := rn.Bootstrap([]Peer{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	cs := rn.ApplyConfChange(&pb.ConfChange{Type: pb.ConfChangeRemoveNode.Enum(), NodeId: u64(1)})
	if cs != nil || !errors.Is(rn.Err(), ErrFailed) {
		t.Fatalf("removing all voters: cs=%v err=%v", cs, rn.Err())
	}
	if err := rn.Campaign(); !errors.Is(err, ErrFailed) {
		t.Fatalf("failed node campaign: %v", err)
	}
	if rn.HasReady() {
		t.Fatal("failed node has a Ready")
	}
}

// failingStorage is etcd's MemoryStorage with an injectable failure or panic.
type failingStorage struct {
	*raft.MemoryStorage
	failTerm  error
	panicTerm bool
}

func (s *failingStorage) Term(i uint64) (uint64, error) {
	if s.panicTerm {
		panic("disk on fire")
	}
	if s.failTerm != nil {
		return 0, s.failTerm
	}
	return s.MemoryStorage.Term(i)
}

func (s *failingStorage) Entries(lo, hi, maxSize uint64) ([]*pb.Entry, error) {
	if s.panicTerm {
		panic("disk on fire")
	}
	if s.failTerm != nil {
		return nil, s.failTerm
	}
	return s.MemoryStorage.Entries(lo, hi, maxSize)
}

func TestStorageFailureFailsNodeWithoutPanic(t *testing.T) {
	for _, mode := range []string{"error", "panic"} {
		t.Run(mode, func(t *testing.T) {
			st := &failingStorage{MemoryStorage: raft.NewMemoryStorage()}
			rn, err := NewRawNode(&Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: st,
				MaxInflightMsgs: 256, Logger: quietLogger})
			if err != nil {
				t.Fatal(err)
			}
			if err := rn.Bootstrap([]Peer{{ID: 1}}); err != nil {
				t.Fatal(err)
			}
			rd := rn.Ready()
			st.SetHardState(rd.HardState)
			st.Append(rd.Entries)
			rn.Advance(rd)
			if mode == "error" {
				st.failTerm = errors.New("io error")
			} else {
				st.panicTerm = true
			}
			err = rn.Campaign()
			for i := 0; err == nil && i < 5; i++ {
				rd := rn.Ready()
				st.SetHardState(rd.HardState)
				st.Append(rd.Entries)
				rn.Advance(rd)
				err = rn.Err()
				if err == nil {
					err = rn.Propose([]byte("x"))
				}
			}
			if !errors.Is(err, ErrFailed) {
				t.Fatalf("want a failed node, got %v", err)
			}
			want := "io error"
			if mode == "panic" {
				want = "disk on fire"
			}
			if !bytes.Contains([]byte(err.Error()), []byte(want)) {
				t.Fatalf("error %q does not say %q", err, want)
			}
		})
	}
}

func TestProposeListIsOneBatch(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	c.settle()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	c.settle()
	want := [][]byte{[]byte("a"), {}, []byte("bc"), bytes.Repeat([]byte("x"), 5000)}
	if err := c.nodes[1].rn.ProposeList(want); err != nil {
		t.Fatal(err)
	}
	if err := c.nodes[2].rn.ProposeList([][]byte{[]byte("via-follower")}); err != nil {
		t.Fatal(err)
	}
	c.settle()
	for _, id := range c.order {
		got := c.nodes[id].applied
		if len(got) != 4 || !bytes.Equal(got[0], want[0]) || !bytes.Equal(got[1], want[2]) ||
			!bytes.Equal(got[2], want[3]) || string(got[3]) != "via-follower" {
			t.Fatalf("node %d applied %q", id, got)
		}
	}
	if err := c.nodes[1].rn.ProposeList(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty list: %v, want ErrInvalid", err)
	}
}
