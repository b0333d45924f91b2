// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// tools.go: etcd's quorum arithmetic and a standalone configuration changer (etcd's quorum and
// confchange packages) computed by raftc, for tools and tests that replay etcd's rules
// without a node.

package raftc

import (
	"runtime"

	pb "go.etcd.io/raft/v3/raftpb"
)

// QuorumIndexInf is the committed index of a configuration without voters (etcd's "∞").
const QuorumIndexInf = ^uint64(0)

// QuorumCommittedIndex is etcd's JointConfig.CommittedIndex: acked maps voters to the index
// they acknowledged (absent voters count as 0). outgoing is empty outside a joint config.
func QuorumCommittedIndex(incoming, outgoing []uint64, acked map[uint64]uint64) (uint64, error) {
	return quorumCommitted(newQuorumArgs(incoming, outgoing, acked))
}

// QuorumDescribe is etcd's JointConfig.Describe bar chart of acked indexes.
func QuorumDescribe(incoming, outgoing []uint64, acked map[uint64]uint64) (string, error) {
	return quorumDescribe(newQuorumArgs(incoming, outgoing, acked))
}

// QuorumVoteResult is etcd's JointConfig.VoteResult ("VotePending", "VoteLost", "VoteWon"):
// votes maps voters to their vote; absent voters have not voted.
func QuorumVoteResult(incoming, outgoing []uint64, votes map[uint64]bool) (string, error) {
	m := make(map[uint64]uint64, len(votes))
	for id, v := range votes {
		if v {
			m[id] = 1
		} else {
			m[id] = 0
		}
	}
	r, err := quorumVoteResult(newQuorumArgs(incoming, outgoing, m))
	if err != nil {
		return "", err
	}
	return voteResultName(r), nil
}

// Changer is etcd's confchange.Changer over a private tracker that starts empty. A refused
// change returns an error wrapping ErrConfChange with etcd's text and leaves it unchanged.
type Changer struct{ ch *cChanger }

// NewChanger creates a changer whose progresses get inflight windows of maxInflight messages
// and maxInflightBytes bytes (0 = no limit).
func NewChanger(maxInflight, maxInflightBytes uint64) (*Changer, error) {
	ch, err := changerNew(maxInflight, maxInflightBytes)
	if err != nil {
		return nil, err
	}
	c := &Changer{ch: ch}
	runtime.AddCleanup(c, changerFree, ch)
	return c, nil
}

func splitChanges(ccs []*pb.ConfChangeSingle) ([]int32, []uint64) {
	types := make([]int32, len(ccs))
	ids := make([]uint64, len(ccs))
	for i, c := range ccs {
		types[i], ids[i] = int32(c.GetType()), c.GetNodeId()
	}
	return types, ids
}

// SetLastIndex sets the log's last index: new progresses start at next = max(i, 1).
func (c *Changer) SetLastIndex(i uint64) {
	changerSetLastIndex(c.ch, i)
	runtime.KeepAlive(c)
}

// Simple is etcd's Changer.Simple.
func (c *Changer) Simple(ccs ...*pb.ConfChangeSingle) error {
	defer runtime.KeepAlive(c)
	t, i := splitChanges(ccs)
	return changerSimple(c.ch, t, i)
}

// EnterJoint is etcd's Changer.EnterJoint.
func (c *Changer) EnterJoint(autoLeave bool, ccs ...*pb.ConfChangeSingle) error {
	defer runtime.KeepAlive(c)
	t, i := splitChanges(ccs)
	return changerEnterJoint(c.ch, autoLeave, t, i)
}

// LeaveJoint is etcd's Changer.LeaveJoint.
func (c *Changer) LeaveJoint() error {
	defer runtime.KeepAlive(c)
	return changerLeaveJoint(c.ch)
}

// String is etcd's Config.String() + "\n" + ProgressMap.String().
func (c *Changer) String() string {
	defer runtime.KeepAlive(c)
	return changerDescribe(c.ch)
}
