// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// errors.go: raftc's error codes as Go errors. Where etcd raft has a sentinel, the error *is*
// etcd's sentinel (errors.Is and == both match raft.ErrCompacted, raft.ErrProposalDropped, ...);
// raftc's other codes get sentinels of their own here.

package raftc

import (
	"errors"

	"go.etcd.io/raft/v3"
)

// etcd's sentinels, the same values (so code written against go.etcd.io/raft/v3 keeps
// matching them).
var (
	ErrCompacted                      = raft.ErrCompacted
	ErrSnapOutOfDate                  = raft.ErrSnapOutOfDate
	ErrUnavailable                    = raft.ErrUnavailable
	ErrSnapshotTemporarilyUnavailable = raft.ErrSnapshotTemporarilyUnavailable
	ErrProposalDropped                = raft.ErrProposalDropped
	ErrStepLocalMsg                   = raft.ErrStepLocalMsg
	ErrStepPeerNotFound               = raft.ErrStepPeerNotFound
	ErrStopped                        = raft.ErrStopped
)

// raftc's codes without an etcd sentinel. Errors returned by this package wrap one of these
// (or one of etcd's above) and carry the library's message.
var (
	ErrInvalid     = errors.New("raftc: invalid argument")
	ErrNoMem       = errors.New("raftc: out of memory")
	ErrDecode      = errors.New("raftc: malformed raftpb bytes")
	ErrTooLarge    = errors.New("raftc: buffer over the size limit")
	ErrStorage     = errors.New("raftc: storage failure")
	ErrFailed      = errors.New("raftc: node failed") // etcd panics here; the node is unusable
	ErrState       = errors.New("raftc: call out of order")
	ErrConfig      = errors.New("raftc: invalid configuration")
	ErrConfChange  = errors.New("raftc: conf change refused")
	ErrNotFound    = errors.New("raftc: not found")
	ErrUnknownType = errors.New("raftc: unknown message type")
	// Disk storage (DiskStorage): damaged data other than a torn final write (the message names
	// the file and offset), a directory another opener holds, an I/O call that failed.
	ErrCorrupt = errors.New("raftc: stored data failed its checks")
	ErrLocked  = errors.New("raftc: storage directory in use")
	ErrIO      = errors.New("raftc: I/O error")
	// ErrRefused: a message no correct peer can send, refused by Step; the node is unchanged
	// and healthy (the message names the sender, the field and the value).
	ErrRefused = errors.New("raftc: message refused: no correct peer can send it")
)

// Error is a raftc error: the library's code, its message and the sentinel it matches with
// errors.Is.
type Error struct {
	Code     int    // the RAFTC_E* code (negative)
	Msg      string // the library's text (etcd's text where etcd has one)
	sentinel error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the sentinel (one of the Err* values of this package).
func (e *Error) Unwrap() error { return e.sentinel }

// sentinelFor maps a RAFTC_E* code to its sentinel (ErrInvalid for unknown codes).
func sentinelFor(code int) error {
	switch code {
	case codeNoMem:
		return ErrNoMem
	case codeDecode:
		return ErrDecode
	case codeTooLarge:
		return ErrTooLarge
	case codeProposalDropped:
		return ErrProposalDropped
	case codeStepLocalMsg:
		return ErrStepLocalMsg
	case codeStepPeerNotFound:
		return ErrStepPeerNotFound
	case codeCompacted:
		return ErrCompacted
	case codeUnavailable:
		return ErrUnavailable
	case codeSnapOutOfDate:
		return ErrSnapOutOfDate
	case codeSnapTempUnavailable:
		return ErrSnapshotTemporarilyUnavailable
	case codeStorage:
		return ErrStorage
	case codeFailed:
		return ErrFailed
	case codeState:
		return ErrState
	case codeConfig:
		return ErrConfig
	case codeConfChange:
		return ErrConfChange
	case codeNotFound:
		return ErrNotFound
	case codeUnknownType:
		return ErrUnknownType
	case codeRefused:
		return ErrRefused
	case codeCorrupt:
		return ErrCorrupt
	case codeLocked:
		return ErrLocked
	case codeIO:
		return ErrIO
	}
	return ErrInvalid
}

// newError builds the Go error for code with the library's text msg (strerror when empty).
// When the text is exactly an etcd sentinel's text, the sentinel itself is returned, as etcd
// does (so `err == raft.ErrProposalDropped` keeps working).
func newError(code int, msg string) error {
	if code == 0 {
		return nil
	}
	s := sentinelFor(code)
	if msg == "" {
		msg = strerror(code)
	}
	if msg == s.Error() {
		return s
	}
	return &Error{Code: code, Msg: msg, sentinel: s}
}

// errClosedStorage is the error of every call on a closed DiskStorage, and of a node reading it.
func errClosedStorage() error { return newError(codeState, "raftc: storage is closed") }

// codeFor maps an error returned by a Go Storage to the code raftc's storage callbacks use
// (etcd's meaning of each sentinel; anything else is a storage failure).
func codeFor(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrCompacted):
		return codeCompacted
	case errors.Is(err, ErrUnavailable):
		return codeUnavailable
	case errors.Is(err, ErrSnapshotTemporarilyUnavailable):
		return codeSnapTempUnavailable
	case errors.Is(err, ErrSnapOutOfDate):
		return codeSnapOutOfDate
	}
	return codeStorage
}
