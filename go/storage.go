// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// storage.go: etcd's Storage interface (the same interface type) and MemoryStorage, raftc's
// built-in memory storage (in C) with etcd's MemoryStorage methods.

package raftc

import (
	"runtime"
	"sync"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// Storage is etcd's Storage interface. A node reads its log through it. A *MemoryStorage
// given as Config.Storage is read by the library directly (no Go calls); any other
// implementation, etcd's own *raft.MemoryStorage included, is called from C through
// cgo.Handle callbacks.
type Storage = raft.Storage

// MemoryStorage is etcd's MemoryStorage implemented in C (raftc_memstorage). It is safe for
// concurrent use: every method holds its lock, and nodes reading it hold the same lock while
// they run.
type MemoryStorage struct {
	mu      sync.Mutex
	ms      *cMemStorage
	pending pendingReady // the entries of the last Ready of a node on this storage
}

// pendingReady remembers the entries of the Ready a node built last (until its next Ready or
// Advance), so that appending exactly those entries copies them from the Ready view in C.
type pendingReady struct {
	crd   *cReady
	first *pb.Entry
	n     int
}

var _ Storage = (*MemoryStorage)(nil)

// NewMemoryStorage creates an empty MemoryStorage (it panics only if C memory is exhausted,
// as Go's own allocations do).
func NewMemoryStorage() *MemoryStorage {
	ms, err := msNew()
	if err != nil {
		panic(err)
	}
	s := &MemoryStorage{ms: ms}
	runtime.AddCleanup(s, msFree, ms)
	return s
}

// InitialState implements Storage.
func (s *MemoryStorage) InitialState() (*pb.HardState, *pb.ConfState, error) {
	s.mu.Lock()
	hsb, csb, err := msInitialState(s.ms)
	s.mu.Unlock()
	runtime.KeepAlive(s)
	if err != nil {
		return nil, nil, err
	}
	hs, err := decodeHardState(hsb)
	if err != nil {
		return nil, nil, err
	}
	cs, err := decodeConfState(csb)
	if err != nil {
		return nil, nil, err
	}
	return hs, cs, nil
}

// SetHardState saves the current HardState (ErrInvalid for nil: etcd would dereference it).
func (s *MemoryStorage) SetHardState(st *pb.HardState) error {
	if st == nil {
		return newError(codeInvalid, "raftc: nil HardState")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msSetHardState(s.ms, st.GetTerm(), st.GetVote(), st.GetCommit())
}

// Entries implements Storage.
func (s *MemoryStorage) Entries(lo, hi, maxSize uint64) ([]*pb.Entry, error) {
	s.mu.Lock()
	items, err := msEntries(s.ms, lo, hi, maxSize)
	s.mu.Unlock()
	runtime.KeepAlive(s)
	if err != nil {
		return nil, err
	}
	return decodeEntries(items)
}

// Term implements Storage.
func (s *MemoryStorage) Term(i uint64) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msTerm(s.ms, i)
}

// LastIndex implements Storage.
func (s *MemoryStorage) LastIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msLastIndex(s.ms), nil
}

// FirstIndex implements Storage.
func (s *MemoryStorage) FirstIndex() (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msFirstIndex(s.ms), nil
}

// Snapshot implements Storage.
func (s *MemoryStorage) Snapshot() (*pb.Snapshot, error) {
	s.mu.Lock()
	b, err := msSnapshot(s.ms)
	s.mu.Unlock()
	runtime.KeepAlive(s)
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(b)
}

// ApplySnapshot overwrites the contents of this Storage object with those of the given
// snapshot (ErrSnapOutOfDate if it is not newer).
func (s *MemoryStorage) ApplySnapshot(snap *pb.Snapshot) error {
	b, err := marshal(snap)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msApplySnapshot(s.ms, b)
}

// CreateSnapshot makes a snapshot at index i with the ConfState cs (may be nil) and data.
// ErrSnapOutOfDate if i is not newer than the current snapshot; an ErrFailed error (etcd
// panics) if i is beyond the last index.
func (s *MemoryStorage) CreateSnapshot(i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error) {
	var csb []byte
	if cs != nil {
		var err error
		if csb, err = marshal(cs); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	b, err := msCreateSnapshot(s.ms, i, csb, data)
	s.mu.Unlock()
	runtime.KeepAlive(s)
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(b)
}

// Compact discards all log entries prior to compactIndex (ErrCompacted if already compacted;
// an ErrFailed error, where etcd panics, beyond the last index).
func (s *MemoryStorage) Compact(compactIndex uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msCompact(s.ms, compactIndex)
}

// Append appends entries, truncating any conflicting tail. A gap after the last index is an
// ErrFailed error (etcd panics); a batch that is not contiguous is ErrInvalid. Appending a
// Ready's Entries slice as the Ready gave it (before Advance) takes them from the node
// without encoding them; entries changed in place meanwhile are not seen then.
func (s *MemoryStorage) Append(entries []*pb.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	s.mu.Lock()
	if p := s.pending; p.crd != nil && p.n == len(entries) && p.first == entries[0] {
		s.pending = pendingReady{}
		err := readyAppendTo(s.ms, p.crd)
		s.mu.Unlock()
		runtime.KeepAlive(s)
		return err
	}
	s.mu.Unlock()
	bufs, err := encodeEntries(entries)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer runtime.KeepAlive(s)
	return msAppend(s.ms, bufs)
}
