// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// types.go: the version-neutral view of a raft node that the interop cluster drives. An etcd
// RawNode (glue37.go / glue36.go) and a raftc peer process (peer.go) both implement Node; every
// message between them crosses as raftpb bytes.

package interop

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Raft states (etcd's StateType numbering, also raftc's).
const (
	StateFollower     = 0
	StateCandidate    = 1
	StateLeader       = 2
	StatePreCandidate = 3
)

// Entry and message type numbers used by the tests (raftpb numbering).
const (
	EntryNormal       = 0
	EntryConfChange   = 1
	EntryConfChangeV2 = 2

	MsgApp           = 3
	MsgSnap          = 7
	MsgHeartbeat     = 8
	MsgHeartbeatResp = 9
	MsgReadIndex     = 15
	MsgReadIndexResp = 16
)

// Conf change types and transitions (raftpb numbering).
const (
	CCAddNode        = 0
	CCRemoveNode     = 1
	CCAddLearnerNode = 3

	TransitionAuto          = 0
	TransitionJointImplicit = 1
	TransitionJointExplicit = 2
)

var stateNames = []string{"StateFollower", "StateCandidate", "StateLeader", "StatePreCandidate"}

// Opts configures every node of a cluster alike.
type Opts struct {
	Election, Heartbeat int
	PreVote             bool
	CheckQuorum         bool
	LeaseRead           bool
	StepDownOnRemoval   bool
	MaxSizePerMsg       uint64
}

func defaultOpts() Opts {
	return Opts{Election: 10, Heartbeat: 1, MaxSizePerMsg: 16 << 10}
}

// Entry is an applied raftpb Entry.
type Entry struct {
	Index, Term uint64
	Type        int32
	Data        []byte
}

func (e Entry) String() string {
	return fmt.Sprintf("%d/%d type=%d len=%d", e.Term, e.Index, e.Type, len(e.Data))
}

// ConfState is a raftpb ConfState.
type ConfState struct {
	Voters, Learners, VotersOutgoing, LearnersNext []uint64
	AutoLeave                                      bool
}

func sortedCopy(ids []uint64) []uint64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// String is a canonical form (sorted lists) for comparisons.
func (cs ConfState) String() string {
	return fmt.Sprintf("voters=%v learners=%v outgoing=%v learners_next=%v autoleave=%v",
		sortedCopy(cs.Voters), sortedCopy(cs.Learners), sortedCopy(cs.VotersOutgoing),
		sortedCopy(cs.LearnersNext), cs.AutoLeave)
}

// CC is a conf change: V1 (exactly one change) or V2.
type CC struct {
	V2         bool
	Transition int32
	Changes    []CCSingle
}

// CCSingle is one raftpb ConfChangeSingle.
type CCSingle struct {
	Type int32
	ID   uint64
}

// Snap is a snapshot a node applied (Data carries the app state, see encodeApp).
type Snap struct {
	Index, Term uint64
	Data        []byte
	Conf        ConfState
}

// ReadState is a served ReadIndex request.
type ReadState struct {
	Index uint64
	Ctx   []byte
}

// MsgInfo is what the router needs from a raftpb Message (decoded by etcd's code).
type MsgInfo struct {
	Type                          int32
	TypeName                      string
	To, From, Term, Index, Commit uint64
	Reject                        bool
	Context                       []byte
	NEntries                      int
}

// Status is a node's BasicStatus plus its applied index and ConfState.
type Status struct {
	ID, Term, Vote, Commit, Lead uint64
	State                        int
	Applied, LeadTransferee      uint64
	Conf                         ConfState
}

// Output is everything a node produced while handling one call: messages to send (raftpb
// bytes), applied entries and snapshots, served reads and log lines.
type Output struct {
	Msgs    [][]byte
	Applied []Entry
	Snaps   []Snap
	Reads   []ReadState
	Logs    []string
}

// NodeErr is an error returned by a node call. Benign errors are the ones etcd returns in normal
// operation (a dropped proposal, a response from a removed peer).
type NodeErr struct {
	Msg    string
	Benign bool
}

func (e *NodeErr) Error() string { return e.Msg }

// Node is one raft node, etcd or raftc.
type Node interface {
	Tick() (Output, error)
	Step(b []byte) (Output, error)
	Propose(data []byte) (Output, error)
	ProposeConfChange(cc CC) (Output, error)
	Campaign() (Output, error)
	TransferLeader(to uint64) (Output, error)
	ReadIndex(ctx []byte) (Output, error)
	ReportSnapshot(id uint64, ok bool) (Output, error)
	ReportUnreachable(id uint64) (Output, error)
	// Snapshot creates a snapshot at the applied index with the given data and compacts the
	// log up to compact (0 = no compaction).
	Snapshot(compact uint64, data []byte) error
	Status() Status
	// Progress is the leader's progress map as text (diagnostics; "" on followers).
	Progress() string
	Close()
}

// encodeApp serializes an app state (the applied entries) as snapshot data.
func encodeApp(app []Entry) []byte {
	b := []byte("APP1")
	for _, e := range app {
		b = binary.LittleEndian.AppendUint64(b, e.Index)
		b = binary.LittleEndian.AppendUint64(b, e.Term)
		b = binary.LittleEndian.AppendUint32(b, uint32(e.Type))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(e.Data)))
		b = append(b, e.Data...)
	}
	return b
}

// decodeApp is the inverse of encodeApp.
func decodeApp(b []byte) ([]Entry, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 4 || string(b[:4]) != "APP1" {
		return nil, fmt.Errorf("snapshot data is not an app state (%d bytes)", len(b))
	}
	b = b[4:]
	var app []Entry
	for len(b) > 0 {
		if len(b) < 24 {
			return nil, fmt.Errorf("truncated app state")
		}
		e := Entry{Index: binary.LittleEndian.Uint64(b), Term: binary.LittleEndian.Uint64(b[8:]),
			Type: int32(binary.LittleEndian.Uint32(b[16:]))}
		n := int(binary.LittleEndian.Uint32(b[20:]))
		b = b[24:]
		if len(b) < n {
			return nil, fmt.Errorf("truncated app state")
		}
		e.Data = slices.Clone(b[:n])
		b = b[n:]
		app = append(app, e)
	}
	return app, nil
}
