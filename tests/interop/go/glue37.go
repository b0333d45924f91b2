// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// glue37.go: the etcd side for go.etcd.io/raft/v3 v3.7 (google.golang.org/protobuf raftpb,
// optional fields as pointers). Built by default with go.mod; glue36.go is the v3.6 twin
// (go test -modfile=go36.mod -tags etcd36). Everything above the glue uses neutral types.

//go:build !etcd36

package interop

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// etcdVersion is the go.etcd.io/raft/v3 version this glue is built for (the one go.mod /
// go36.mod require; test binaries carry no module build info to read it from).
func etcdVersion() string { return "v3.7.0" }

// rawNode is the RawNode API the glue drives: etcd's *raft.RawNode and the Go binding's
// *raftc.RawNode both have it, with the same types (the binding is a drop-in).
type rawNode interface {
	Tick()
	Campaign() error
	Propose(data []byte) error
	ProposeConfChange(cc pb.ConfChangeI) error
	ApplyConfChange(cc pb.ConfChangeI) *pb.ConfState
	Step(m *pb.Message) error
	HasReady() bool
	Ready() raft.Ready
	Advance(rd raft.Ready)
	BasicStatus() raft.BasicStatus
	Status() raft.Status
	TransferLeader(transferee uint64)
	ReadIndex(rctx []byte)
	ReportUnreachable(id uint64)
	ReportSnapshot(id uint64, status raft.SnapshotStatus)
}

// memStorage is the MemoryStorage API the glue uses (etcd's and the binding's).
type memStorage interface {
	raft.Storage
	ApplySnapshot(snap *pb.Snapshot) error
	SetHardState(st *pb.HardState) error
	Append(entries []*pb.Entry) error
	CreateSnapshot(i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error)
	Compact(compactIndex uint64) error
}

// etcdNode is one RawNode with its MemoryStorage, hosted in-process: etcd raft's own, or raftc
// through its Go binding (gobinding.go).
type etcdNode struct {
	id      uint64
	rn      rawNode
	st      memStorage
	cs      *pb.ConfState
	applied uint64
}

func newEtcdNode(id uint64, voters, learners []uint64, o Opts, lg *traceLogger) (*etcdNode, error) {
	return newInProcessNode(id, voters, learners, o, lg, raft.NewMemoryStorage(),
		func(c *raft.Config) (rawNode, error) { return raft.NewRawNode(c) })
}

func newInProcessNode(id uint64, voters, learners []uint64, o Opts, lg raft.Logger, st memStorage,
	mk func(*raft.Config) (rawNode, error)) (*etcdNode, error) {
	n := &etcdNode{id: id, st: st, cs: &pb.ConfState{}}
	if len(voters) > 0 {
		n.cs = &pb.ConfState{Voters: voters, Learners: learners}
		if err := st.ApplySnapshot(&pb.Snapshot{Metadata: &pb.SnapshotMetadata{
			ConfState: n.cs, Index: proto.Uint64(1), Term: proto.Uint64(1)}}); err != nil {
			return nil, err
		}
		n.applied = 1
	}
	ro := raft.ReadOnlySafe
	if o.LeaseRead {
		ro = raft.ReadOnlyLeaseBased
	}
	rn, err := mk(&raft.Config{
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
	m := &pb.Message{}
	if err := proto.Unmarshal(b, m); err != nil {
		return Output{}, &NodeErr{Msg: "etcd cannot decode message: " + err.Error()}
	}
	return n.drain(n.rn.Step(m))
}

func (n *etcdNode) ProposeConfChange(cc CC) (Output, error) {
	return n.drain(n.rn.ProposeConfChange(toConfChangeI(cc)))
}

func (n *etcdNode) Snapshot(compact uint64, data []byte) error {
	if _, err := n.st.CreateSnapshot(n.applied, n.cs, data); err != nil {
		return err
	}
	if compact > 0 {
		return n.st.Compact(compact)
	}
	return nil
}

func (n *etcdNode) Status() Status {
	bs := n.rn.BasicStatus()
	return Status{ID: bs.ID, Term: bs.GetTerm(), Vote: bs.GetVote(), Commit: bs.GetCommit(),
		Lead: bs.Lead, State: int(bs.RaftState), Applied: n.applied,
		LeadTransferee: bs.LeadTransferee, Conf: fromConfState(n.cs)}
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
		md := rd.Snapshot.GetMetadata()
		n.cs = md.GetConfState()
		n.applied = md.GetIndex()
		out.Snaps = append(out.Snaps, Snap{Index: md.GetIndex(), Term: md.GetTerm(),
			Data: rd.Snapshot.Data, Conf: fromConfState(n.cs)})
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
	for _, m := range rd.Messages {
		b, err := proto.Marshal(m)
		if err != nil {
			return err
		}
		out.Msgs = append(out.Msgs, b)
	}
	for _, rs := range rd.ReadStates {
		out.Reads = append(out.Reads, ReadState{Index: rs.Index, Ctx: rs.RequestCtx})
	}
	for _, e := range rd.CommittedEntries {
		out.Applied = append(out.Applied, Entry{Index: e.GetIndex(), Term: e.GetTerm(),
			Type: int32(e.GetType()), Data: e.Data})
		var cc pb.ConfChangeI
		switch e.GetType() {
		case pb.EntryConfChange:
			c := &pb.ConfChange{}
			if err := proto.Unmarshal(e.Data, c); err != nil {
				return err
			}
			cc = c
		case pb.EntryConfChangeV2:
			c := &pb.ConfChangeV2{}
			if err := proto.Unmarshal(e.Data, c); err != nil {
				return err
			}
			cc = c
		}
		if cc != nil {
			n.cs = n.rn.ApplyConfChange(cc)
		}
		n.applied = e.GetIndex()
	}
	n.rn.Advance(rd)
	return nil
}

func toConfChangeI(cc CC) pb.ConfChangeI {
	if !cc.V2 {
		return &pb.ConfChange{Type: pb.ConfChangeType(cc.Changes[0].Type).Enum(),
			NodeId: proto.Uint64(cc.Changes[0].ID)}
	}
	v2 := &pb.ConfChangeV2{Transition: pb.ConfChangeTransition(cc.Transition).Enum()}
	for _, c := range cc.Changes {
		v2.Changes = append(v2.Changes, &pb.ConfChangeSingle{
			Type: pb.ConfChangeType(c.Type).Enum(), NodeId: proto.Uint64(c.ID)})
	}
	return v2
}

func fromConfState(cs *pb.ConfState) ConfState {
	return ConfState{Voters: cs.GetVoters(), Learners: cs.GetLearners(),
		VotersOutgoing: cs.GetVotersOutgoing(), LearnersNext: cs.GetLearnersNext(),
		AutoLeave: cs.GetAutoLeave()}
}

// decodeMsg decodes raftpb Message bytes with etcd's generated code.
func decodeMsg(b []byte) (MsgInfo, error) {
	m := &pb.Message{}
	if err := proto.Unmarshal(b, m); err != nil {
		return MsgInfo{}, err
	}
	return MsgInfo{Type: int32(m.GetType()), TypeName: m.GetType().String(), To: m.GetTo(),
		From: m.GetFrom(), Term: m.GetTerm(), Index: m.GetIndex(), Commit: m.GetCommit(),
		Reject: m.GetReject(), Context: m.Context, NEntries: len(m.Entries)}, nil
}

// describeMsg is etcd's DescribeMessage of raftpb bytes.
func describeMsg(b []byte) string {
	m := &pb.Message{}
	if err := proto.Unmarshal(b, m); err != nil {
		return "<undecodable by etcd: " + err.Error() + ">"
	}
	return raft.DescribeMessage(m, nil)
}

// decodeEntry decodes raftpb Entry bytes (as a raftc node applied them) with etcd's code.
func decodeEntry(b []byte) (Entry, error) {
	e := &pb.Entry{}
	if err := proto.Unmarshal(b, e); err != nil {
		return Entry{}, err
	}
	return Entry{Index: e.GetIndex(), Term: e.GetTerm(), Type: int32(e.GetType()), Data: e.Data}, nil
}

// decodeSnap decodes raftpb Snapshot bytes with etcd's code.
func decodeSnap(b []byte) (Snap, error) {
	s := &pb.Snapshot{}
	if err := proto.Unmarshal(b, s); err != nil {
		return Snap{}, err
	}
	md := s.GetMetadata()
	return Snap{Index: md.GetIndex(), Term: md.GetTerm(), Data: s.Data,
		Conf: fromConfState(md.GetConfState())}, nil
}

// decodeConfState decodes raftpb ConfState bytes with etcd's code.
func decodeConfState(b []byte) (ConfState, error) {
	cs := &pb.ConfState{}
	if err := proto.Unmarshal(b, cs); err != nil {
		return ConfState{}, err
	}
	return fromConfState(cs), nil
}

// encodeConfChange marshals a conf change with etcd's code (for checks on entry data).
func encodeConfChange(cc CC) []byte {
	_, b, err := pb.MarshalConfChange(toConfChangeI(cc))
	if err != nil {
		panic(err)
	}
	return b
}
