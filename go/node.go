// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// node.go: Node, etcd's goroutine-and-channel Node over a RawNode: StartNode / RestartNode,
// Propose / Step / Ready channel / Advance / Tick / Campaign / conf changes / Status /
// ReadIndex / TransferLeadership / Stop with etcd's semantics: proposals wait until a leader
// is known (or the context ends), Propose returns the proposal's fate, Ready is offered on a
// channel and (without AsyncStorageWrites) the next one only comes after Advance.
//
// One difference: raftc accepts a Ready when it builds it, so a Ready offered on the channel
// stays as built until the application takes it (etcd rebuilds it on every loop turn, so a
// Ready taken late may carry more). Everything stepped meanwhile comes in the next Ready.

package raftc

import (
	"context"
	"errors"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// Node is etcd's Node interface (the same type).
type Node = raft.Node

// nodeOp is one call executed by the node's goroutine on its RawNode.
type nodeOp struct {
	fn     func(rn *RawNode) error
	result chan error // nil: fire and forget
}

type node struct {
	rn        *RawNode
	id        uint64
	logger    Logger
	propc     chan nodeOp
	recvc     chan nodeOp
	confc     chan pb.ConfChangeI
	confstate chan *pb.ConfState
	readyc    chan Ready
	advancec  chan struct{}
	tickc     chan struct{}
	statusc   chan chan Status
	stop      chan struct{}
	done      chan struct{}
}

// StartNode returns a new Node for c, bootstrapped with peers (etcd's StartNode). As etcd, it
// panics if peers is empty or the config is invalid; StartNodeErr returns those as errors.
func StartNode(c *Config, peers []Peer) Node {
	n, err := StartNodeErr(c, peers)
	if err != nil {
		panic(err)
	}
	return n
}

// StartNodeErr is StartNode with errors instead of panics (raftc's addition).
func StartNodeErr(c *Config, peers []Peer) (Node, error) {
	if len(peers) == 0 {
		return nil, newError(codeInvalid, "no peers given; use RestartNode instead")
	}
	rn, err := NewRawNode(c)
	if err != nil {
		return nil, err
	}
	n := newNode(c, rn)
	if err := rn.Bootstrap(peers); err != nil {
		n.logger.Warningf("error occurred during starting a new node: %v", err)
	}
	go n.run()
	return n, nil
}

// RestartNode returns a Node restored from c.Storage (etcd's RestartNode). As etcd, it panics
// on an invalid config; RestartNodeErr returns the error.
func RestartNode(c *Config) Node {
	n, err := RestartNodeErr(c)
	if err != nil {
		panic(err)
	}
	return n
}

// RestartNodeErr is RestartNode with an error instead of a panic (raftc's addition).
func RestartNodeErr(c *Config) (Node, error) {
	rn, err := NewRawNode(c)
	if err != nil {
		return nil, err
	}
	n := newNode(c, rn)
	go n.run()
	return n, nil
}

func newNode(c *Config, rn *RawNode) *node {
	lg := c.Logger
	if lg == nil {
		lg = getLogger()
	}
	return &node{
		rn: rn, id: c.ID, logger: lg,
		propc: make(chan nodeOp), recvc: make(chan nodeOp),
		confc: make(chan pb.ConfChangeI), confstate: make(chan *pb.ConfState),
		readyc: make(chan Ready), advancec: make(chan struct{}),
		// Buffered: ticks queue up while the node is busy and are processed when it is idle.
		tickc:   make(chan struct{}, 128),
		statusc: make(chan chan Status),
		stop:    make(chan struct{}), done: make(chan struct{}),
	}
}

func (n *node) run() {
	var (
		rd       *Ready
		readyc   chan Ready
		advancec chan struct{}
		propc    chan nodeOp
		lead     = None
		removed  bool
		async    = n.rn.asyncWrites
	)
	for {
		if rd == nil && advancec == nil && n.rn.HasReady() {
			r, err := n.rn.ReadyErr()
			if err == nil {
				rd, readyc = &r, n.readyc
			} else if n.rn.Err() != nil {
				n.logger.Errorf("raft.node: %x failed: %v", n.id, err)
			}
		}
		bs := n.rn.BasicStatus()
		if bs.Lead != lead {
			switch {
			case bs.Lead == None:
				n.logger.Infof("raft.node: %x lost leader %x at term %d", n.id, lead, bs.GetTerm())
			case lead == None:
				n.logger.Infof("raft.node: %x elected leader %x at term %d", n.id, bs.Lead, bs.GetTerm())
			default:
				n.logger.Infof("raft.node: %x changed leader from %x to %x at term %d", n.id, lead, bs.Lead, bs.GetTerm())
			}
			lead, removed = bs.Lead, false
		}
		// Proposals wait while there is no leader, or after this node was removed.
		propc = nil
		if lead != None && !removed {
			propc = n.propc
		}
		var rdv Ready
		if rd != nil {
			rdv = *rd
		}
		select {
		case op := <-propc:
			n.exec(op)
		case op := <-n.recvc:
			n.exec(op)
		case cc := <-n.confc:
			before := n.rn.memberOf()
			cs, err := n.rn.ApplyConfChangeErr(cc)
			if err != nil {
				n.logger.Errorf("raft.node: %x cannot apply conf change: %v", n.id, err)
			} else if before && !voterIn(n.id, cs) && !learnerIn(n.id, cs) {
				removed = true
			}
			select {
			case n.confstate <- cs:
			case <-n.stop:
				close(n.done)
				return
			}
		case <-n.tickc:
			n.rn.Tick()
		case readyc <- rdv:
			rd, readyc = nil, nil
			if !async {
				advancec = n.advancec
			}
		case <-advancec:
			if err := n.rn.AdvanceErr(); err != nil {
				n.logger.Errorf("raft.node: %x advance: %v", n.id, err)
			}
			advancec = nil
		case c := <-n.statusc:
			c <- n.rn.Status()
		case <-n.stop:
			close(n.done)
			return
		}
	}
}

func (n *node) exec(op nodeOp) {
	err := op.fn(n.rn)
	if op.result != nil {
		op.result <- err
	}
}

func voterIn(id uint64, cs *pb.ConfState) bool {
	for _, l := range [][]uint64{cs.GetVoters(), cs.GetVotersOutgoing()} {
		for _, v := range l {
			if v == id {
				return true
			}
		}
	}
	return false
}

func learnerIn(id uint64, cs *pb.ConfState) bool {
	for _, l := range [][]uint64{cs.GetLearners(), cs.GetLearnersNext()} {
		for _, v := range l {
			if v == id {
				return true
			}
		}
	}
	return false
}

// memberOf reports whether the node is in its own configuration.
func (rn *RawNode) memberOf() bool {
	defer rn.unlock()
	if rn.lock() != nil {
		return false
	}
	si := nodeStatusInfo(rn.n)
	return si.isVoter || si.isLearner
}

// submit hands op to the node's goroutine through ch; with wait it also waits for its result.
func (n *node) submit(ctx context.Context, ch chan nodeOp, fn func(*RawNode) error, wait bool) error {
	op := nodeOp{fn: fn}
	if wait {
		op.result = make(chan error, 1)
	}
	select {
	case ch <- op:
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrStopped
	}
	if !wait {
		return nil
	}
	select {
	case err := <-op.result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-n.done:
		return ErrStopped
	}
}

// Tick increments the node's logical clock (a tick is dropped with a warning when 128 are
// already waiting).
func (n *node) Tick() {
	select {
	case n.tickc <- struct{}{}:
	case <-n.done:
	default:
		n.logger.Warningf("%x A tick missed to fire. Node blocks too long!", n.id)
	}
}

// Campaign makes the node start an election.
func (n *node) Campaign(ctx context.Context) error {
	return n.submit(ctx, n.recvc, func(rn *RawNode) error { _ = rn.Campaign(); return nil }, false)
}

// Propose proposes data; it returns once the node took the proposal, with its error (e.g.
// ErrProposalDropped). It waits while no leader is known.
func (n *node) Propose(ctx context.Context, data []byte) error {
	return n.submit(ctx, n.propc, func(rn *RawNode) error { return rn.Propose(data) }, true)
}

// ProposeConfChange proposes a conf change (as etcd, without waiting for its fate; it waits
// while no leader is known).
func (n *node) ProposeConfChange(ctx context.Context, cc pb.ConfChangeI) error {
	if _, _, err := confChangeBytes(cc); err != nil {
		return err
	}
	return n.submit(ctx, n.propc, func(rn *RawNode) error { _ = rn.ProposeConfChange(cc); return nil }, false)
}

// Step advances the state machine with a message from the network. Local message types from
// the network are ignored (nil), as etcd does; the message's own errors are not reported.
func (n *node) Step(ctx context.Context, m *pb.Message) error {
	if m == nil {
		return errors.New("cannot step with nil message")
	}
	if raft.IsLocalMsg(m.GetType()) && !raft.IsLocalMsgTarget(m.GetFrom()) {
		return nil
	}
	ch := n.recvc
	if m.GetType() == pb.MsgProp {
		ch = n.propc
	}
	return n.submit(ctx, ch, func(rn *RawNode) error { _ = rn.Step(m); return nil }, false)
}

// Ready returns the channel on which the node offers Readys.
func (n *node) Ready() <-chan Ready { return n.readyc }

// Advance tells the node the last Ready was processed (not with AsyncStorageWrites).
func (n *node) Advance() {
	select {
	case n.advancec <- struct{}{}:
	case <-n.done:
	}
}

// ApplyConfChange applies a committed conf change and returns the new ConfState (nil after
// Stop, or if the change breaks the config, which etcd panics on).
func (n *node) ApplyConfChange(cc pb.ConfChangeI) *pb.ConfState {
	select {
	case n.confc <- cc:
	case <-n.done:
		return nil
	}
	select {
	case cs := <-n.confstate:
		return cs
	case <-n.done:
		return nil
	}
}

// Refused is RawNode.Refused for the Node's RawNode: messages Step refused as no correct
// peer's (raftc's addition; 0 after Stop). Node.Step does not report a message's own errors,
// as etcd's does not: this count is where refusals show. Reach it with a type assertion:
// nd.(interface{ Refused() uint64 }).
func (n *node) Refused() uint64 {
	c := make(chan uint64, 1)
	err := n.submit(context.Background(), n.recvc, func(rn *RawNode) error { c <- rn.Refused(); return nil }, true)
	if err != nil {
		return 0
	}
	return <-c
}

// Status returns the node's status (the zero Status after Stop).
func (n *node) Status() Status {
	c := make(chan Status)
	select {
	case n.statusc <- c:
		return <-c
	case <-n.done:
		return Status{}
	}
}

// ReportUnreachable reports that the last send to id failed.
func (n *node) ReportUnreachable(id uint64) {
	_ = n.submit(context.Background(), n.recvc, func(rn *RawNode) error { rn.ReportUnreachable(id); return nil }, false)
}

// ReportSnapshot reports the fate of a snapshot sent to id.
func (n *node) ReportSnapshot(id uint64, status SnapshotStatus) {
	_ = n.submit(context.Background(), n.recvc, func(rn *RawNode) error { rn.ReportSnapshot(id, status); return nil }, false)
}

// TransferLeadership asks the leader lead to hand leadership to transferee (a node that is
// not the leader forwards the request to its leader).
func (n *node) TransferLeadership(ctx context.Context, lead, transferee uint64) {
	_ = n.submit(ctx, n.recvc, func(rn *RawNode) error { rn.TransferLeader(transferee); return nil }, false)
}

// ForgetLeader makes a follower forget its leader.
func (n *node) ForgetLeader(ctx context.Context) error {
	return n.submit(ctx, n.recvc, func(rn *RawNode) error { _ = rn.ForgetLeader(); return nil }, false)
}

// ReadIndex requests a read state, delivered in a later Ready's ReadStates.
func (n *node) ReadIndex(ctx context.Context, rctx []byte) error {
	return n.submit(ctx, n.recvc, func(rn *RawNode) error { rn.ReadIndex(rctx); return nil }, false)
}

// Stop stops the node's goroutine; later calls return ErrStopped or do nothing.
func (n *node) Stop() {
	select {
	case n.stop <- struct{}{}:
	case <-n.done:
		return
	}
	<-n.done
}
