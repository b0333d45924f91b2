// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// diskstorage.go: DiskStorage, raftc's crash-safe disk storage (raftc_diskstorage): a
// write-ahead log and snapshot files in a directory, read through an in-memory copy, usable
// wherever a MemoryStorage is. The names and options are pyraftc.DiskStorage's in Go case.

package raftc

import (
	"runtime"

	pb "go.etcd.io/raft/v3/raftpb"
)

// SyncPolicy says when a DiskStorage fsyncs (raftc_sync_policy).
type SyncPolicy int

const (
	// SyncEach: every write call is durable when it returns (the default).
	SyncEach SyncPolicy = SyncPolicy(syncEach)
	// SyncGroup: writes are buffered until Sync (group commit: one fsync for many Readys).
	SyncGroup SyncPolicy = SyncPolicy(syncGroup)
	// SyncNone: never fsync; not crash-safe (tests and benchmarks).
	SyncNone SyncPolicy = SyncPolicy(syncNone)
)

// DiskStat names a counter of DiskStorage.Stat.
type DiskStat int

const (
	// DiskStatBytesWritten: bytes written to the log and snapshot files since opening.
	DiskStatBytesWritten DiskStat = DiskStat(dsStatBytesWritten)
	// DiskStatTornBytes: bytes of a torn log tail (a crash during a write) cut off when opening.
	DiskStatTornBytes DiskStat = DiskStat(dsStatTornBytes)
	// DiskStatFailed: 1 once the storage has failed.
	DiskStatFailed DiskStat = DiskStat(dsStatFailed)
)

// DiskStorageOptions are the options of OpenDiskStorage (the zero value: the defaults).
type DiskStorageOptions struct {
	SegmentSize uint64     // bytes per WAL segment, preallocated; 0: 64 MiB; at least 4096
	Sync        SyncPolicy // SyncEach (the default), SyncGroup or SyncNone
}

// DiskStorage is etcd's MemoryStorage made durable: a segmented write-ahead log (a CRC32C
// per record) and atomically written snapshot files in a directory, locked while open.
// Reopening the directory gives back every write that was made durable. Reads are served from
// an in-memory copy (the same C code as MemoryStorage), so a *DiskStorage given as
// Config.Storage is read by the library directly, as a *MemoryStorage is.
//
// Writes (Append, SetHardState, ApplySnapshot, CreateSnapshot, SaveReady) reach the disk
// first: with SyncEach each is fsynced before it returns; with SyncGroup call Sync once per
// Ready (or batch of Readys) before sending the messages that acknowledge it. A failed write
// or fsync fails the storage for good (later writes return an error wrapping ErrFailed, nodes
// reading it fail): reopen it to recover. It is safe for concurrent use.
type DiskStorage struct {
	mem  MemoryStorage // the in-memory copy (borrowed from ds) and the lock
	ds   *cDiskStorage // nil once closed
	h    *dsHolder     // what the cleanup frees (Close frees it first)
	path string
}

// dsHolder owns the C storage for the cleanup; it never refers back to the DiskStorage.
type dsHolder struct{ ds *cDiskStorage }

func (h *dsHolder) free() {
	if h.ds != nil {
		dsFree(h.ds)
		h.ds = nil
	}
}

var _ Storage = (*DiskStorage)(nil)

// OpenDiskStorage opens the disk storage in directory path (created if absent; a fresh one is
// empty like a new MemoryStorage) and replays it; opts may be nil (the defaults). Errors:
// ErrLocked (another process or DiskStorage has the directory open), ErrCorrupt (naming the
// file and offset; a torn final write is cut off instead), ErrIO, ErrInvalid (bad options).
func OpenDiskStorage(path string, opts *DiskStorageOptions) (*DiskStorage, error) {
	var o DiskStorageOptions
	if opts != nil {
		o = *opts
	}
	if o.Sync != SyncEach && o.Sync != SyncGroup && o.Sync != SyncNone {
		return nil, newError(codeInvalid, "raftc: unknown SyncPolicy")
	}
	ds, err := dsOpen(path, o.SegmentSize, int(o.Sync))
	if err != nil {
		return nil, err
	}
	ms, err := dsMemStorage(ds)
	if err != nil {
		dsFree(ds)
		return nil, err
	}
	s := &DiskStorage{ds: ds, h: &dsHolder{ds: ds}, path: path}
	s.mem.ms = ms
	s.mem.disk = true
	runtime.AddCleanup(s, (*dsHolder).free, s.h)
	return s, nil
}

// Path is the directory the storage was opened on.
func (s *DiskStorage) Path() string { return s.path }

// enter locks the storage; ErrState once it is closed (the caller unlocks either way).
func (s *DiskStorage) enter() error {
	s.mem.mu.Lock()
	if s.ds == nil {
		return errClosedStorage()
	}
	return nil
}

func (s *DiskStorage) leave() {
	s.mem.mu.Unlock()
	runtime.KeepAlive(s)
}

// InitialState implements Storage.
func (s *DiskStorage) InitialState() (*pb.HardState, *pb.ConfState, error) {
	return s.mem.InitialState()
}

// Entries implements Storage.
func (s *DiskStorage) Entries(lo, hi, maxSize uint64) ([]*pb.Entry, error) {
	return s.mem.Entries(lo, hi, maxSize)
}

// Term implements Storage.
func (s *DiskStorage) Term(i uint64) (uint64, error) { return s.mem.Term(i) }

// LastIndex implements Storage.
func (s *DiskStorage) LastIndex() (uint64, error) { return s.mem.LastIndex() }

// FirstIndex implements Storage.
func (s *DiskStorage) FirstIndex() (uint64, error) { return s.mem.FirstIndex() }

// Snapshot implements Storage.
func (s *DiskStorage) Snapshot() (*pb.Snapshot, error) { return s.mem.Snapshot() }

// Append appends entries durably, truncating any conflicting tail (see MemoryStorage.Append).
func (s *DiskStorage) Append(entries []*pb.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	bufs, err := encodeEntries(entries)
	if err != nil {
		return err
	}
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return dsAppend(s.ds, bufs)
}

// SetHardState saves the HardState durably (ErrInvalid for nil).
func (s *DiskStorage) SetHardState(st *pb.HardState) error {
	if st == nil {
		return newError(codeInvalid, "raftc: nil HardState")
	}
	b, err := marshal(st)
	if err != nil {
		return err
	}
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return dsSetHardState(s.ds, b)
}

// ApplySnapshot replaces the contents with a snapshot, durably (the snapshot file first);
// ErrSnapOutOfDate if it is not newer. Log segments and snapshot files it makes obsolete are
// deleted.
func (s *DiskStorage) ApplySnapshot(snap *pb.Snapshot) error {
	if snap == nil {
		return newError(codeInvalid, "raftc: nil Snapshot")
	}
	b, err := marshal(snap)
	if err != nil {
		return err
	}
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return dsApplySnapshot(s.ds, b)
}

// CreateSnapshot makes (and returns) a durable snapshot at index i with the ConfState cs (may
// be nil) and data; log segments and snapshot files it makes obsolete are deleted. Errors as
// MemoryStorage.CreateSnapshot.
func (s *DiskStorage) CreateSnapshot(i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error) {
	var csb []byte
	if cs != nil {
		var err error
		if csb, err = marshal(cs); err != nil {
			return nil, err
		}
	}
	s.mem.mu.Lock()
	var b []byte
	err := errClosedStorage()
	if s.ds != nil {
		b, err = dsCreateSnapshot(s.ds, i, csb, data)
	}
	s.leave()
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(b)
}

// Compact discards in-memory entries before compactIndex (the log on disk is trimmed by
// snapshots). Errors as MemoryStorage.Compact.
func (s *DiskStorage) Compact(compactIndex uint64) error {
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return dsCompact(s.ds, compactIndex)
}

// Sync makes every write so far durable (the group commit point; with SyncEach it only has
// work after a SaveReady of a Ready without MustSync).
func (s *DiskStorage) Sync() error {
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return dsSync(s.ds)
}

// SaveReady persists what a Ready asks to persist, in etcd's order: its snapshot, its
// entries, its HardState (raftc's addition). With SyncEach it fsyncs once when the Ready's
// MustSync is set; with SyncGroup call Sync before sending the Ready's messages. The Ready a
// node on this storage built last (before Advance) is written straight from the node's
// structures, without encoding; any other Ready goes through ApplySnapshot, Append and
// SetHardState.
func (s *DiskStorage) SaveReady(rd Ready) error {
	s.mem.mu.Lock()
	if p := s.mem.pending; s.ds != nil && p.crd != nil && p.matches(rd) {
		s.mem.pending = pendingReady{}
		err := dsSaveReady(s.ds, p.crd)
		s.leave()
		return err
	}
	s.leave()
	if !IsEmptySnap(rd.Snapshot) {
		if err := s.ApplySnapshot(rd.Snapshot); err != nil {
			return err
		}
	}
	if err := s.Append(rd.Entries); err != nil {
		return err
	}
	if rd.HardState != nil && !IsEmptyHardState(rd.HardState) {
		return s.SetHardState(rd.HardState)
	}
	return nil
}

// Stat returns a counter: DiskStatBytesWritten, DiskStatTornBytes or DiskStatFailed.
func (s *DiskStorage) Stat(key DiskStat) (uint64, error) {
	defer s.leave()
	if err := s.enter(); err != nil {
		return 0, err
	}
	return dsStat(s.ds, int(key))
}

// Close writes out buffered records (no fsync: what was not synced is not promised), unlocks
// the directory and frees the storage; it is idempotent. Nodes reading the storage must not be
// used afterwards: their calls return an error wrapping ErrState (stop a Node first).
func (s *DiskStorage) Close() error {
	s.mem.mu.Lock()
	defer s.leave()
	if s.ds == nil {
		return nil
	}
	s.ds, s.mem.ms, s.mem.pending = nil, nil, pendingReady{}
	s.h.free()
	return nil
}
