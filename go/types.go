// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// types.go: etcd raft's own types and helpers, re-exported under the same names, so that code
// written against go.etcd.io/raft/v3 compiles against this package by changing the import.
// Messages, entries, snapshots and states are go.etcd.io/raft/v3/raftpb values.

package raftc

import (
	"go.etcd.io/raft/v3"
)

type (
	Config         = raft.Config
	Ready          = raft.Ready
	SoftState      = raft.SoftState
	ReadState      = raft.ReadState
	Peer           = raft.Peer
	Status         = raft.Status
	BasicStatus    = raft.BasicStatus
	StateType      = raft.StateType
	SnapshotStatus = raft.SnapshotStatus
	ReadOnlyOption = raft.ReadOnlyOption
	Logger         = raft.Logger
	DefaultLogger  = raft.DefaultLogger
	EntryFormatter = raft.EntryFormatter
)

const (
	None              = raft.None
	LocalAppendThread = raft.LocalAppendThread
	LocalApplyThread  = raft.LocalApplyThread

	StateFollower     = raft.StateFollower
	StateCandidate    = raft.StateCandidate
	StateLeader       = raft.StateLeader
	StatePreCandidate = raft.StatePreCandidate

	SnapshotFinish  = raft.SnapshotFinish
	SnapshotFailure = raft.SnapshotFailure

	ReadOnlySafe       = raft.ReadOnlySafe
	ReadOnlyLeaseBased = raft.ReadOnlyLeaseBased
)

// etcd's helpers, the same functions.
var (
	IsEmptyHardState  = raft.IsEmptyHardState
	IsEmptySnap       = raft.IsEmptySnap
	MustSync          = raft.MustSync
	IsLocalMsg        = raft.IsLocalMsg
	IsResponseMsg     = raft.IsResponseMsg
	IsLocalMsgTarget  = raft.IsLocalMsgTarget
	DescribeHardState = raft.DescribeHardState
	DescribeSoftState = raft.DescribeSoftState
	DescribeConfState = raft.DescribeConfState
	DescribeSnapshot  = raft.DescribeSnapshot
	DescribeReady     = raft.DescribeReady
	DescribeMessage   = raft.DescribeMessage
	DescribeEntry     = raft.DescribeEntry
	DescribeEntries   = raft.DescribeEntries
)
