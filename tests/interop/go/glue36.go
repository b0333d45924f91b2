// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// glue36.go: the etcd side for go.etcd.io/raft/v3 v3.6 (gogoproto raftpb, value fields).
// Built with `go test -modfile=go36.mod -tags etcd36`; glue37.go is the v3.7 twin.

//go:build etcd36

package interop

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// etcdVersion is the go.etcd.io/raft/v3 version this glue is built for (the one go.mod /
// go36.mod require; test binaries carry no module build info to read it from).
func etcdVersion() string { return "v3.6.0" }

// etcdNode is one etcd RawNode with its MemoryStorage, hosted in-process.
type etcdNode struct {
	id      uint64
	rn      *raft.RawNode
	st      *raft.MemoryStorage
	cs      pb.ConfState
	applied uint64
}

func newEtcdNode(id uint64, voters, learners []uint64, o Opts, lg *traceLogger) (*etcdNode, error) {
	st := raft.NewMemoryStorage()
	n := &etcdNode{id: id, st: st}
	if len(voters) > 0 {
		n.cs = pb.ConfState{Voters: voters, Learners: learners}
		if err := st.ApplySnapshot(pb.Snapshot{Metadata: pb.SnapshotMetadata{
			ConfState: n.cs, Index: 1, Term: 1}}); err != nil {
			return nil, err
		}
		n.applied = 1
	}
	ro := raft.ReadOnlySafe
	if o.LeaseRead {
		ro = raft.ReadOnlyLeaseBased
	}
	rn, err := raft.NewRawNode(&raft.Config{
		ID: id, ElectionTick: o.Election, HeartbeatTick: o.Heartbeat, Storage: st,
		Applied: n.applied, MaxSizePerMsg: o.MaxSizePerMsg, MaxInflightMsgs: 256,
		PreVote: o.PreVote, CheckQuorum: o.CheckQuorum, ReadOnlyOption: ro,
		StepDownOnRemoval: o.StepDownOnRemoval, Logger: lg,
	})
	if err != nil {
		return nil, err
	}
	n.rn = rn
	return n, nil
}

func (n *etcdNode) Tick() (Output, error)     { n.rn.Tick(); return n.drain(nil) }
func (n *etcdNode) Campaign() (Output, error) { return n.drain(n.rn.Campaign()) }
func (n *etcdNode) Propose(data []byte) (Output, error) {
	return n.drain(n.rn.Propose(data))
}
func (n *etcdNode) TransferLeader(to uint64) (Output, error) {
	n.rn.TransferLeader(to)
	return n.drain(nil)
}
func (n *etcdNode) ReadIndex(ctx []byte) (Output, error) { n.rn.ReadIndex(ctx); return n.drain(nil) }
func (n *etcdNode) ReportUnreachable(id uint64) (Output, error) {
	n.rn.ReportUnreachable(id)
	return n.drain(nil)
}
func (n *etcdNode) ReportSnapshot(id uint64, ok bool) (Output, error) {
	s := raft.SnapshotFinish
	if !ok {
		s = raft.SnapshotFailure
	}
	n.rn.ReportSnapshot(id, s)
	return n.drain(nil)
}

func (n *etcdNode) Step(b []byte) (Output, error) {
	var m pb.Message
	if err := m.Unmarshal(b); err != nil {
		return Output{}, &NodeErr{Msg: "etcd cannot decode message: " + err.Error()}
	}
	return n.drain(n.rn.Step(m))
}

func (n *etcdNode) ProposeConfChange(cc CC) (Output, error) {
	return n.drain(n.rn.ProposeConfChange(toConfChangeI(cc)))
}

func (n *etcdNode) Snapshot(compact uint64, data []byte) error {
	cs := n.cs
	if _, err := n.st.CreateSnapshot(n.applied, &cs, data); err != nil {
		return err
	}
	if compact > 0 {
		return n.st.Compact(compact)
	}
	return nil
}

func (n *etcdNode) Status() Status {
	bs := n.rn.BasicStatus()
	return Status{ID: bs.ID, Term: bs.Term, Vote: bs.Vote, Commit: bs.Commit,
		Lead: bs.Lead, State: int(bs.RaftState), Applied: n.applied,
		LeadTransferee: bs.LeadTransferee, Conf: fromConfState(&n.cs)}
}

func (n *etcdNode) Close() {}

// Progress is the leader's progress map text (etcd's Status().Progress).
func (n *etcdNode) Progress() string {
	ids := []uint64{}
	prs := n.rn.Status().Progress
	for id := range prs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var sb strings.Builder
	for _, id := range ids {
		pr := prs[id]
		fmt.Fprintf(&sb, "%d: %s\n", id, pr.String())
	}
	return sb.String()
}

// drain turns the result of a call into a NodeErr and handles every pending Ready.
func (n *etcdNode) drain(callErr error) (Output, error) {
	var out Output
	for n.rn.HasReady() {
		if err := n.handleReady(&out); err != nil {
			return out, &NodeErr{Msg: err.Error()}
		}
	}
	return out, etcdErr(callErr)
}

func etcdErr(err error) error {
	if err == nil {
		return nil
	}
	benign := errors.Is(err, raft.ErrProposalDropped) || errors.Is(err, raft.ErrStepPeerNotFound)
	return &NodeErr{Msg: err.Error(), Benign: benign}
}

func (n *etcdNode) handleReady(out *Output) error {
	rd := n.rn.Ready()
	if !raft.IsEmptySnap(rd.Snapshot) {
		if err := n.st.ApplySnapshot(rd.Snapshot); err != nil {
			return err
		}
		md := rd.Snapshot.Metadata
		n.cs = md.ConfState
		n.applied = md.Index
		out.Snaps = append(out.Snaps, Snap{Index: md.Index, Term: md.Term,
			Data: rd.Snapshot.Data, Conf: fromConfState(&n.cs)})
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		if err := n.st.SetHardState(rd.HardState); err != nil {
			return err
		}
	}
	if len(rd.Entries) > 0 {
		if err := n.st.Append(rd.Entries); err != nil {
			return err
		}
	}
	for i := range rd.Messages {
		b, err := rd.Messages[i].Marshal()
		if err != nil {
			return err
		}
		out.Msgs = append(out.Msgs, b)
	}
	for _, rs := range rd.ReadStates {
		out.Reads = append(out.Reads, ReadState{Index: rs.Index, Ctx: rs.RequestCtx})
	}
	for i := range rd.CommittedEntries {
		e := &rd.CommittedEntries[i]
		out.Applied = append(out.Applied, Entry{Index: e.Index, Term: e.Term,
			Type: int32(e.Type), Data: e.Data})
		var cc pb.ConfChangeI
		switch e.Type {
		case pb.EntryConfChange:
			var c pb.ConfChange
			if err := c.Unmarshal(e.Data); err != nil {
				return err
			}
			cc = c
		case pb.EntryConfChangeV2:
			var c pb.ConfChangeV2
			if err := c.Unmarshal(e.Data); err != nil {
				return err
			}
			cc = c
		}
		if cc != nil {
			n.cs = *n.rn.ApplyConfChange(cc)
		}
		n.applied = e.Index
	}
	n.rn.Advance(rd)
	return nil
}

func toConfChangeI(cc CC) pb.ConfChangeI {
	if !cc.V2 {
		return pb.ConfChange{Type: pb.ConfChangeType(cc.Changes[0].Type), NodeID: cc.Changes[0].ID}
	}
	v2 := pb.ConfChangeV2{Transition: pb.ConfChangeTransition(cc.Transition)}
	for _, c := range cc.Changes {
		v2.Changes = append(v2.Changes, pb.ConfChangeSingle{Type: pb.ConfChangeType(c.Type),
			NodeID: c.ID})
	}
	return v2
}

func fromConfState(cs *pb.ConfState) ConfState {
	return ConfState{Voters: cs.Voters, Learners: cs.Learners, VotersOutgoing: cs.VotersOutgoing,
		LearnersNext: cs.LearnersNext, AutoLeave: cs.AutoLeave}
}

// decodeMsg decodes raftpb Message bytes with etcd's generated code.
func decodeMsg(b []byte) (MsgInfo, error) {
	var m pb.Message
	if err := m.Unmarshal(b); err != nil {
		return MsgInfo{}, err
	}
	return MsgInfo{Type: int32(m.Type), TypeName: m.Type.String(), To: m.To, From: m.From,
		Term: m.Term, Index: m.Index, Commit: m.Commit, Reject: m.Reject, Context: m.Context,
		NEntries: len(m.Entries)}, nil
}

// describeMsg is etcd's DescribeMessage of raftpb bytes.
func describeMsg(b []byte) string {
	var m pb.Message
	if err := m.Unmarshal(b); err != nil {
		return "<undecodable by etcd: " + err.Error() + ">"
	}
	return raft.DescribeMessage(m, nil)
}

// decodeEntry decodes raftpb Entry bytes (as a raftc node applied them) with etcd's code.
func decodeEntry(b []byte) (Entry, error) {
	var e pb.Entry
	if err := e.Unmarshal(b); err != nil {
		return Entry{}, err
	}
	return Entry{Index: e.Index, Term: e.Term, Type: int32(e.Type), Data: e.Data}, nil
}

// decodeSnap decodes raftpb Snapshot bytes with etcd's code.
func decodeSnap(b []byte) (Snap, error) {
	var s pb.Snapshot
	if err := s.Unmarshal(b); err != nil {
		return Snap{}, err
	}
	return Snap{Index: s.Metadata.Index, Term: s.Metadata.Term, Data: s.Data,
		Conf: fromConfState(&s.Metadata.ConfState)}, nil
}

// decodeConfState decodes raftpb ConfState bytes with etcd's code.
func decodeConfState(b []byte) (ConfState, error) {
	var cs pb.ConfState
	if err := cs.Unmarshal(b); err != nil {
		return ConfState{}, err
	}
	return fromConfState(&cs), nil
}

// encodeConfChange marshals a conf change with etcd's code (for checks on entry data).
func encodeConfChange(cc CC) []byte {
	_, b, err := pb.MarshalConfChange(toConfChangeI(cc))
	if err != nil {
		panic(err)
	}
	return b
}
