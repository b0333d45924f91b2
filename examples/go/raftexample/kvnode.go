// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// kvnode.go: the replicated key-value state machine driven by a raft Node, written the way
// etcd's raftexample drives etcd raft: one goroutine ticks the Node and handles its Ready
// channel (persist to the log store, send, apply committed entries, snapshot, Advance);
// client requests propose through the Node and wait for their entries to apply.

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// claimTimeout bounds each /status question of the duplicate-id check.
const claimTimeout = 500 * time.Millisecond

type nodeConfig struct {
	id              uint64
	peers           map[uint64]string // --peers
	join            bool
	data            string // the data directory (the raft state lives in DATA/raft)
	tick            time.Duration
	snapshotEntries uint64
	logger          raft.Logger
}

type kvNode struct {
	cfg   nodeConfig
	node  raftNode
	store *logStore
	tr    *transport

	mu        sync.Mutex
	kv        map[string][]byte
	members   map[uint64]string // voters
	learners  map[uint64]string
	confState *pb.ConfState
	applied   uint64
	snapIndex uint64
	applyWait map[uint64][]chan struct{} // applied index -> waiters
	writes    map[uint64]chan struct{}   // own proposals by seq
	confWait  map[uint64]chan error      // conf changes by id
	reads     map[string]chan uint64     // ReadIndex by request context
	seq       uint64
	removed   bool

	stopc chan struct{}
	donec chan struct{} // closed when the raft loop ended (Stop or own removal)
}

// startKVNode opens the node's data directory and starts it: restarted from the directory when
// it holds raft state (--peers and --join are then ignored), else bootstrapped with --peers or,
// with --join, started empty to be added by a member.
func startKVNode(cfg nodeConfig) (*kvNode, error) {
	if err := os.MkdirAll(cfg.data, 0o755); err != nil {
		return nil, err
	}
	dir := filepath.Join(cfg.data, "raft")
	store, err := openLogStore(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", dir, err)
	}
	n := &kvNode{cfg: cfg, store: store, kv: map[string][]byte{},
		members: map[uint64]string{}, learners: map[uint64]string{}, confState: &pb.ConfState{},
		applyWait: map[uint64][]chan struct{}{}, writes: map[uint64]chan struct{}{},
		confWait: map[uint64]chan error{}, reads: map[string]chan uint64{},
		// Sequence numbers grow across restarts: they start from the clock.
		seq:   uint64(time.Now().UnixNano()),
		stopc: make(chan struct{}), donec: make(chan struct{})}
	restart, err := n.hasState()
	if err == nil && !restart {
		err = checkFreshStart(cfg)
	}
	if err != nil {
		store.close()
		return nil, err
	}
	c := &raftConfig{ID: cfg.id, ElectionTick: 10, HeartbeatTick: 1, Storage: store.storage(),
		MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, PreVote: true, CheckQuorum: true,
		StepDownOnRemoval: true, Logger: cfg.logger}
	if restart {
		// The members and their URLs come back from the snapshot and the log.
		n.tr = newTransport(cfg.id, nil, n)
		if err := n.restoreFromStore(); err != nil {
			store.close()
			return nil, err
		}
		c.Applied = n.applied
		n.node = restartNode(c)
	} else if cfg.join {
		n.tr = newTransport(cfg.id, cfg.peers, n)
		n.node = restartNode(c)
	} else {
		n.tr = newTransport(cfg.id, cfg.peers, n)
		var peers []raftPeer
		for id, url := range cfg.peers {
			peers = append(peers, raftPeer{ID: id, Context: []byte(url)})
		}
		n.node = startNode(c, peers)
	}
	go n.run()
	return n, nil
}

// checkFreshStart refuses a start on an empty data directory that cannot work: this node
// missing from --peers, or its id already served by another node (docs/kv.md).
func checkFreshStart(cfg nodeConfig) error {
	if _, ok := cfg.peers[cfg.id]; !ok {
		return fmt.Errorf("node %d is not in --peers", cfg.id)
	}
	if at := claimedElsewhere(cfg.id, cfg.peers, claimTimeout); at != "" {
		return fmt.Errorf("node %d is already running at %s: refusing to start a second node with the same id", cfg.id, at)
	}
	return nil
}

// hasState reports whether the store holds raft state from an earlier run.
func (n *kvNode) hasState() (bool, error) {
	st := n.store.storage()
	hs, _, err := st.InitialState()
	if err != nil {
		return false, err
	}
	last, err := st.LastIndex()
	if err != nil {
		return false, err
	}
	return !raft.IsEmptyHardState(hs) || last > 0, nil
}

// restoreFromStore loads the state machine from the stored snapshot (the entries after it are
// applied again from the log).
func (n *kvNode) restoreFromStore() error {
	snap, err := n.store.storage().Snapshot()
	if err != nil {
		return err
	}
	if !raft.IsEmptySnap(snap) {
		n.restore(snap)
	}
	return nil
}

// run is the raft loop (etcd raftexample's serveChannels).
func (n *kvNode) run() {
	defer close(n.donec)
	ticker := time.NewTicker(n.cfg.tick)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			n.node.Tick()
		case rd := <-n.node.Ready():
			// Messages that acknowledge persisted state wait for the persistence below.
			var later []*pb.Message
			var early []*pb.Message
			for _, m := range rd.Messages {
				switch m.GetType() {
				case pb.MsgAppResp, pb.MsgVoteResp, pb.MsgPreVoteResp:
					later = append(later, m)
				default:
					early = append(early, m)
				}
			}
			n.tr.send(early)
			// Snapshot, entries and HardState, made durable (one fsync) before the
			// acknowledgements go out.
			if err := n.store.save(rd); err != nil {
				log.Fatalf("raftexample: persist: %v", err)
			}
			if !raft.IsEmptySnap(rd.Snapshot) {
				n.restore(rd.Snapshot)
			}
			n.tr.send(later)
			for _, rs := range rd.ReadStates {
				n.readDone(rs.RequestCtx, rs.Index)
			}
			ok, confChanged := n.apply(rd.CommittedEntries)
			if !ok {
				n.node.Stop()
				return
			}
			n.maybeSnapshot(confChanged)
			n.node.Advance()
		case <-n.stopc:
			n.node.Stop()
			return
		}
	}
}

// apply applies committed entries; ok is false once this node applied its own removal.
func (n *kvNode) apply(ents []*pb.Entry) (ok, confChanged bool) {
	for _, e := range ents {
		n.mu.Lock()
		skip := e.GetIndex() <= n.applied
		n.mu.Unlock()
		if skip {
			continue
		}
		switch e.GetType() {
		case pb.EntryNormal:
			if len(e.GetData()) > 0 {
				n.applyCommand(e.GetData())
			}
		case pb.EntryConfChange, pb.EntryConfChangeV2:
			n.applyConfChange(e)
			confChanged = true
		}
		n.mu.Lock()
		n.applied = e.GetIndex()
		for idx, ws := range n.applyWait {
			if idx <= n.applied {
				for _, w := range ws {
					close(w)
				}
				delete(n.applyWait, idx)
			}
		}
		removed := n.removed
		n.mu.Unlock()
		if removed {
			return false, confChanged
		}
	}
	return true, confChanged
}

func (n *kvNode) applyCommand(data []byte) {
	c, err := unmarshalCommand(data)
	if err != nil {
		log.Printf("raftexample: undecodable command: %v", err)
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if c.op == opDelete {
		delete(n.kv, string(c.key))
	} else {
		n.kv[string(c.key)] = c.value
	}
	if c.node == n.cfg.id {
		if w, ok := n.writes[c.seq]; ok {
			close(w)
			delete(n.writes, c.seq)
		}
	}
}

func (n *kvNode) applyConfChange(e *pb.Entry) {
	var cc pb.ConfChangeI
	var id uint64
	if e.GetType() == pb.EntryConfChange {
		c := &pb.ConfChange{}
		if err := proto.Unmarshal(e.GetData(), c); err != nil {
			return
		}
		cc, id = c, c.GetId()
	} else {
		c := &pb.ConfChangeV2{}
		if err := proto.Unmarshal(e.GetData(), c); err != nil {
			return
		}
		cc = c
	}
	v2 := cc.AsV2()
	n.tellRemoved(e, v2)
	cs := n.node.ApplyConfChange(cc)
	n.mu.Lock()
	defer n.mu.Unlock()
	if cs != nil {
		n.confState = cs
	}
	for _, ch := range v2.GetChanges() {
		nid := ch.GetNodeId()
		switch ch.GetType() {
		case pb.ConfChangeAddNode:
			url := string(v2.GetContext())
			if url == "" {
				url = n.learners[nid]
			}
			delete(n.learners, nid)
			n.members[nid] = url
			n.tr.addPeer(nid, url)
		case pb.ConfChangeAddLearnerNode:
			delete(n.members, nid)
			n.learners[nid] = string(v2.GetContext())
			n.tr.addPeer(nid, string(v2.GetContext()))
		case pb.ConfChangeRemoveNode:
			delete(n.members, nid)
			delete(n.learners, nid)
			if nid == n.cfg.id {
				n.removed = true
			} else {
				n.tr.removePeer(nid)
			}
		}
	}
	if w, ok := n.confWait[id]; ok && id != 0 {
		w <- nil
		delete(n.confWait, id)
	}
}

// tellRemoved: before the leader applies a conf change that removes followers, it sends each
// the heartbeat raft would send next (its term, the commit capped at the follower's match).
// Once the leader applied the removal raft sends that follower nothing, and without the commit
// it could never apply its own removal and exit.
func (n *kvNode) tellRemoved(e *pb.Entry, cc *pb.ConfChangeV2) {
	st := n.node.Status()
	if st.RaftState != raft.StateLeader {
		return
	}
	var hbs []*pb.Message
	for _, ch := range cc.GetChanges() {
		peer := ch.GetNodeId()
		pr, ok := st.Progress[peer]
		if ch.GetType() != pb.ConfChangeRemoveNode || peer == n.cfg.id || !ok || pr.Match < e.GetIndex() {
			continue
		}
		from, term, commit := n.cfg.id, st.GetTerm(), min(pr.Match, st.GetCommit())
		hbs = append(hbs, &pb.Message{Type: pb.MsgHeartbeat.Enum(), To: &peer, From: &from,
			Term: &term, Commit: &commit})
	}
	n.tr.send(hbs)
}

// restore replaces the state with a snapshot's.
func (n *kvNode) restore(s *pb.Snapshot) {
	ks, err := unmarshalSnapshot(s.GetData())
	if err != nil {
		log.Fatalf("raftexample: undecodable snapshot: %v", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.kv = ks.pairs
	n.members, n.learners = map[uint64]string{}, map[uint64]string{}
	for _, m := range ks.members {
		if m.learner {
			n.learners[m.id] = m.url
		} else {
			n.members[m.id] = m.url
		}
		if m.id != n.cfg.id {
			n.tr.addPeer(m.id, m.url)
		}
	}
	n.confState = s.GetMetadata().GetConfState()
	n.applied = s.GetMetadata().GetIndex()
	n.snapIndex = n.applied
}

func (n *kvNode) stateSnapshot() []byte {
	s := &kvSnapshot{pairs: n.kv}
	for id, url := range n.members {
		s.members = append(s.members, member{id: id, url: url})
	}
	for id, url := range n.learners {
		s.members = append(s.members, member{id: id, url: url, learner: true})
	}
	return s.marshal()
}

// maybeSnapshot snapshots every snapshotEntries applied entries and compacts the log, keeping
// min(snapshotEntries, 10000) entries for slow followers. After a conf change, once the log was
// compacted, it snapshots at once: a joining node is sent the latest snapshot, and raft ignores
// a snapshot whose configuration does not include the receiver.
func (n *kvNode) maybeSnapshot(confChanged bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cfg.snapshotEntries == 0 || n.applied == n.snapIndex {
		return
	}
	compacted := n.snapIndex > 0
	if n.applied-n.snapIndex < n.cfg.snapshotEntries && !(confChanged && compacted) {
		return
	}
	if err := n.store.createSnapshot(n.applied, n.confState, n.stateSnapshot()); err != nil {
		log.Printf("raftexample: snapshot: %v", err)
		return
	}
	n.snapIndex = n.applied
	keep := min(n.cfg.snapshotEntries, 10000)
	if n.applied > keep {
		if err := n.store.compact(n.applied - keep); err != nil && !errors.Is(err, raft.ErrCompacted) {
			log.Printf("raftexample: compact: %v", err)
		}
	}
}

func (n *kvNode) readDone(ctx []byte, index uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if w, ok := n.reads[string(ctx)]; ok {
		w <- index
		delete(n.reads, string(ctx))
	}
}

// waitApplied waits until the state machine applied index.
func (n *kvNode) waitApplied(ctx context.Context, index uint64) error {
	n.mu.Lock()
	if n.applied >= index {
		n.mu.Unlock()
		return nil
	}
	w := make(chan struct{})
	n.applyWait[index] = append(n.applyWait[index], w)
	n.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var (
	errNoLeader = errors.New("no leader known")
	errTimeout  = errors.New("not applied in time")
	errStopped  = errors.New("node stopped")
)

// propose proposes a write and waits until it applied on this node.
func (n *kvNode) propose(ctx context.Context, op uint64, key, value []byte) error {
	if n.node.Status().Lead == raft.None {
		return errNoLeader
	}
	n.mu.Lock()
	n.seq++
	c := &command{op: op, key: key, value: value, node: n.cfg.id, seq: n.seq}
	w := make(chan struct{})
	n.writes[c.seq] = w
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.writes, c.seq)
		n.mu.Unlock()
	}()
	if err := n.node.Propose(ctx, c.marshal()); err != nil {
		if errors.Is(err, raft.ErrProposalDropped) {
			return errNoLeader
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return errNoLeader // never entered a log
		}
		return errStopped
	}
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return errTimeout
	case <-n.donec:
		return errStopped
	}
}

// read returns the value of key after a linearizable ReadIndex round (asked again every
// second until ctx ends).
func (n *kvNode) read(ctx context.Context, key string) ([]byte, bool, error) {
	if n.node.Status().Lead == raft.None {
		return nil, false, errNoLeader
	}
	for {
		n.mu.Lock()
		n.seq++
		rctx := make([]byte, 16)
		binary.BigEndian.PutUint64(rctx, n.cfg.id)
		binary.BigEndian.PutUint64(rctx[8:], n.seq)
		w := make(chan uint64, 1)
		n.reads[string(rctx)] = w
		n.mu.Unlock()
		if err := n.node.ReadIndex(ctx, rctx); err != nil {
			return nil, false, errTimeout
		}
		retry := time.NewTimer(time.Second)
		select {
		case index := <-w:
			retry.Stop()
			if err := n.waitApplied(ctx, index); err != nil {
				return nil, false, errTimeout
			}
			v, ok := n.localRead(key)
			return v, ok, nil
		case <-retry.C:
			n.mu.Lock()
			delete(n.reads, string(rctx))
			n.mu.Unlock()
		case <-ctx.Done():
			n.mu.Lock()
			delete(n.reads, string(rctx))
			n.mu.Unlock()
			return nil, false, errTimeout
		}
	}
}

func (n *kvNode) localRead(key string) ([]byte, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	v, ok := n.kv[key]
	return v, ok
}

// changeMember proposes a conf change and waits until it applied (asked again every second).
func (n *kvNode) changeMember(ctx context.Context, typ pb.ConfChangeType, id uint64, url string) error {
	if n.node.Status().Lead == raft.None {
		return errNoLeader
	}
	n.mu.Lock()
	n.seq++
	ccID := n.seq
	w := make(chan error, 1)
	n.confWait[ccID] = w
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.confWait, ccID)
		n.mu.Unlock()
	}()
	cc := &pb.ConfChange{Id: &ccID, Type: typ.Enum(), NodeId: &id, Context: []byte(url)}
	if err := n.node.ProposeConfChange(ctx, cc); err != nil {
		return errNoLeader
	}
	// raft drops a conf change silently while the leader has not applied the previous one
	// (etcd's pendingConfIndex), so it is proposed again every second until it applies; the
	// changes are idempotent and the first one applied answers.
	retry := time.NewTicker(time.Second)
	defer retry.Stop()
	for {
		select {
		case err := <-w:
			return err
		case <-retry.C:
			if err := n.node.ProposeConfChange(ctx, cc); err != nil {
				return errTimeout
			}
		case <-ctx.Done():
			return errTimeout
		case <-n.donec:
			return errStopped
		}
	}
}

type statusJSON struct {
	ID       uint64            `json:"id"`
	State    string            `json:"state"`
	Term     uint64            `json:"term"`
	Lead     uint64            `json:"lead"`
	Commit   uint64            `json:"commit"`
	Applied  uint64            `json:"applied"`
	Members  map[string]string `json:"members"`
	Learners map[string]string `json:"learners"`
	Impl     string            `json:"impl"`
	Raft     string            `json:"raft"`
}

func (n *kvNode) status() statusJSON {
	st := n.node.Status()
	n.mu.Lock()
	defer n.mu.Unlock()
	s := statusJSON{ID: n.cfg.id, State: st.RaftState.String(), Term: st.GetTerm(), Lead: st.Lead,
		Commit: st.GetCommit(), Applied: n.applied, Members: map[string]string{},
		Learners: map[string]string{}, Impl: "go", Raft: raftImpl}
	for id, url := range n.members {
		s.Members[fmt.Sprint(id)] = url
	}
	for id, url := range n.learners {
		s.Learners[fmt.Sprint(id)] = url
	}
	return s
}

func (n *kvNode) stop() {
	select {
	case <-n.donec:
	default:
		close(n.stopc)
		<-n.donec
	}
	n.tr.stop()
	n.store.close()
}
