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
	ms      *cMemStorage // nil once the DiskStorage owning it was closed
	disk    bool         // the in-memory copy of a DiskStorage
	pending pendingReady // the last Ready of a node on this storage
	idx     indexCache   // plain MemoryStorage only: all its writes are this type's methods
}

// indexCache remembers what a plain MemoryStorage's C calls said since its last write (every
// write goes through a MemoryStorage method, which calls wrote): the first and last index
// without a cgo call, and a generation number nodes reading the storage compare.
type indexCache struct {
	gen                   uint64
	first, last           uint64
	firstKnown, lastKnown bool
}

// wrote records a write (the storage locked).
func (s *MemoryStorage) wrote() {
	s.idx = indexCache{gen: s.idx.gen + 1}
}

// pendingReady remembers the Ready a node built last (until its next Ready or Advance), so
// that appending exactly its entries (or, on a DiskStorage, saving exactly that Ready) copies
// them from the Ready view in C.
type pendingReady struct {
	crd   *cReady
	first *pb.Entry
	n     int
	hs    *pb.HardState
	snap  *pb.Snapshot
}

// matches reports whether rd is the remembered Ready (the same entries, HardState and
// snapshot values, as the node handed them out).
func (p pendingReady) matches(rd Ready) bool {
	var first *pb.Entry
	if len(rd.Entries) > 0 {
		first = rd.Entries[0]
	}
	return p.n == len(rd.Entries) && p.first == first && p.hs == rd.HardState && p.snap == rd.Snapshot
}

// enter locks the storage; ErrState when it is the copy of a closed DiskStorage (the caller
// unlocks either way).
func (s *MemoryStorage) enter() error {
	s.mu.Lock()
	if s.ms == nil {
		return errClosedStorage()
	}
	return nil
}

func (s *MemoryStorage) leave() {
	s.mu.Unlock()
	runtime.KeepAlive(s)
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
	var hsb, csb []byte
	err := s.enter()
	if err == nil {
		hsb, csb, err = msInitialState(s.ms)
	}
	s.leave()
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
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	s.wrote()
	return msSetHardState(s.ms, st.GetTerm(), st.GetVote(), st.GetCommit())
}

// Entries implements Storage.
func (s *MemoryStorage) Entries(lo, hi, maxSize uint64) ([]*pb.Entry, error) {
	var items [][]byte
	err := s.enter()
	if err == nil {
		items, err = msEntries(s.ms, lo, hi, maxSize)
	}
	s.leave()
	if err != nil {
		return nil, err
	}
	return decodeEntries(items)
}

// Term implements Storage.
func (s *MemoryStorage) Term(i uint64) (uint64, error) {
	defer s.leave()
	if err := s.enter(); err != nil {
		return 0, err
	}
	return msTerm(s.ms, i)
}

// LastIndex implements Storage.
func (s *MemoryStorage) LastIndex() (uint64, error) {
	defer s.leave()
	if err := s.enter(); err != nil {
		return 0, err
	}
	if !s.idx.lastKnown {
		s.idx.last, s.idx.lastKnown = msLastIndex(s.ms), !s.disk
	}
	return s.idx.last, nil
}

// FirstIndex implements Storage.
func (s *MemoryStorage) FirstIndex() (uint64, error) {
	defer s.leave()
	if err := s.enter(); err != nil {
		return 0, err
	}
	if !s.idx.firstKnown {
		s.idx.first, s.idx.firstKnown = msFirstIndex(s.ms), !s.disk
	}
	return s.idx.first, nil
}

// Snapshot implements Storage.
func (s *MemoryStorage) Snapshot() (*pb.Snapshot, error) {
	var b []byte
	err := s.enter()
	if err == nil {
		b, err = msSnapshot(s.ms)
	}
	s.leave()
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(b)
}

// ApplySnapshot overwrites the contents of this Storage object with those of the given
// snapshot (ErrSnapOutOfDate if it is not newer; ErrInvalid for nil).
func (s *MemoryStorage) ApplySnapshot(snap *pb.Snapshot) error {
	return storeApplySnapshot(s, snap)
}

// CreateSnapshot makes a snapshot at index i with the ConfState cs (may be nil) and data.
// ErrSnapOutOfDate if i is not newer than the current snapshot; an ErrFailed error (etcd
// panics) if i is beyond the last index.
func (s *MemoryStorage) CreateSnapshot(i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error) {
	return storeCreateSnapshot(s, i, cs, data)
}

// Compact discards all log entries prior to compactIndex (ErrCompacted if already compacted;
// an ErrFailed error, where etcd panics, beyond the last index).
func (s *MemoryStorage) Compact(compactIndex uint64) error {
	return storeCompact(s, compactIndex)
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
	if p := s.pending; p.crd != nil && s.ms != nil && p.n == len(entries) && p.first == entries[0] {
		s.pending = pendingReady{}
		s.wrote()
		err := readyAppendTo(s.ms, p.crd)
		s.leave()
		return err
	}
	s.mu.Unlock()
	return storeAppend(s, entries)
}

// The C calls of cStore (the storage locked).
func (s *MemoryStorage) appendC(ents [][]byte) error   { s.wrote(); return msAppend(s.ms, ents) }
func (s *MemoryStorage) applySnapshotC(b []byte) error { s.wrote(); return msApplySnapshot(s.ms, b) }
func (s *MemoryStorage) compactC(i uint64) error       { s.wrote(); return msCompact(s.ms, i) }
func (s *MemoryStorage) createSnapshotC(i uint64, cs, data []byte) ([]byte, error) {
	s.wrote()
	return msCreateSnapshot(s.ms, i, cs, data)
}
