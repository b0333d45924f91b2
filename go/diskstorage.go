// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// diskstorage.go: DiskStorage, raftc's crash-safe disk storage (raftc_diskstorage): a
// write-ahead log and snapshot files in a directory, read through an in-memory copy, usable
// wherever a MemoryStorage is. The names and options are pyraftc.DiskStorage's in Go case.

package raftc

import (
	"runtime"
	"sync"
	"time"

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
	// DiskStatPending: messages submitted to the writer thread and not yet persisted.
	DiskStatPending DiskStat = DiskStat(dsStatPending)
)

// DiskStorageOptions are the options of OpenDiskStorage (the zero value: the defaults).
type DiskStorageOptions struct {
	SegmentSize uint64     // bytes per WAL segment, preallocated; 0: 64 MiB; at least 4096
	Sync        SyncPolicy // SyncEach (the default), SyncGroup or SyncNone
	// AsyncWrites runs the writer thread for etcd's AsyncStorageWrites (Submit and
	// TakeResponses); the direct writes (Append, SetHardState, ApplySnapshot, SaveReady) are
	// then refused with ErrState.
	AsyncWrites bool
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
	mem   MemoryStorage // the in-memory copy (borrowed from ds) and the lock nodes take
	hmu   sync.Mutex    // every call on the C handle (taken before mem.mu)
	async bool          // the writer thread runs
	ds    *cDiskStorage // nil once closed
	h     *dsHolder     // what the cleanup frees (Close frees it first)
	path  string
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
	ds, err := dsOpen(path, o.SegmentSize, int(o.Sync), o.AsyncWrites)
	if err != nil {
		return nil, err
	}
	ms, err := dsMemStorage(ds)
	if err != nil {
		dsFree(ds)
		return nil, err
	}
	s := &DiskStorage{ds: ds, h: &dsHolder{ds: ds}, path: path, async: o.AsyncWrites}
	s.mem.ms = ms
	s.mem.disk = true
	runtime.AddCleanup(s, (*dsHolder).free, s.h)
	return s, nil
}

// Path is the directory the storage was opened on.
func (s *DiskStorage) Path() string { return s.path }

// enter locks the storage (the handle, then what nodes read); ErrState once it is closed (the
// caller unlocks either way).
func (s *DiskStorage) enter() error {
	s.hmu.Lock()
	s.mem.mu.Lock()
	if s.ds == nil {
		return errClosedStorage()
	}
	return nil
}

func (s *DiskStorage) leave() {
	s.mem.mu.Unlock()
	s.hmu.Unlock()
	runtime.KeepAlive(s)
}

// reading runs a read of the in-memory copy; with the writer thread only while nothing
// submitted is pending (ErrState otherwise: take the responses first), as the C API requires.
// It holds the handle lock, so that no other call on the storage (Sync included) overlaps it.
func (s *DiskStorage) reading(read func() error) error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.ds == nil {
		return errClosedStorage()
	}
	if !s.async {
		return read()
	}
	if n, err := dsStat(s.ds, dsStatPending); err != nil || n > 0 {
		if err == nil {
			err = newError(codeState, "raftc: DiskStorage reads wait until TakeResponses reported every submitted message")
		}
		return err
	}
	return read()
}

// InitialState implements Storage.
func (s *DiskStorage) InitialState() (hs *pb.HardState, cs *pb.ConfState, err error) {
	err = s.reading(func() (e error) { hs, cs, e = s.mem.InitialState(); return })
	return
}

// Entries implements Storage.
func (s *DiskStorage) Entries(lo, hi, maxSize uint64) (ents []*pb.Entry, err error) {
	err = s.reading(func() (e error) { ents, e = s.mem.Entries(lo, hi, maxSize); return })
	return
}

// Term implements Storage.
func (s *DiskStorage) Term(i uint64) (t uint64, err error) {
	err = s.reading(func() (e error) { t, e = s.mem.Term(i); return })
	return
}

// LastIndex implements Storage.
func (s *DiskStorage) LastIndex() (i uint64, err error) {
	err = s.reading(func() (e error) { i, e = s.mem.LastIndex(); return })
	return
}

// FirstIndex implements Storage.
func (s *DiskStorage) FirstIndex() (i uint64, err error) {
	err = s.reading(func() (e error) { i, e = s.mem.FirstIndex(); return })
	return
}

// Snapshot implements Storage.
func (s *DiskStorage) Snapshot() (snap *pb.Snapshot, err error) {
	err = s.reading(func() (e error) { snap, e = s.mem.Snapshot(); return })
	return
}

// Append appends entries durably, truncating any conflicting tail (see MemoryStorage.Append).
func (s *DiskStorage) Append(entries []*pb.Entry) error { return storeAppend(s, entries) }

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
	return storeApplySnapshot(s, snap)
}

// CreateSnapshot makes (and returns) a durable snapshot at index i with the ConfState cs (may
// be nil) and data; log segments and snapshot files it makes obsolete are deleted. Errors as
// MemoryStorage.CreateSnapshot.
func (s *DiskStorage) CreateSnapshot(i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error) {
	return storeCreateSnapshot(s, i, cs, data)
}

// Compact discards in-memory entries before compactIndex (the log on disk is trimmed by
// snapshots). Errors as MemoryStorage.Compact.
func (s *DiskStorage) Compact(compactIndex uint64) error {
	return storeCompact(s, compactIndex)
}

// The C calls of cStore (the storage locked).
func (s *DiskStorage) appendC(ents [][]byte) error   { return dsAppend(s.ds, ents) }
func (s *DiskStorage) applySnapshotC(b []byte) error { return dsApplySnapshot(s.ds, b) }
func (s *DiskStorage) compactC(i uint64) error       { return dsCompact(s.ds, i) }
func (s *DiskStorage) createSnapshotC(i uint64, cs, data []byte) ([]byte, error) {
	return dsCreateSnapshot(s.ds, i, cs, data)
}

// Sync makes every write so far durable (the group commit point; with SyncEach it only has
// work after a SaveReady of a Ready without MustSync). The nodes reading the storage keep
// running while it fsyncs: it holds the storage's own lock, not the one their calls take
// (raftc_diskstorage_sync touches only the log file; docs/abi.md).
func (s *DiskStorage) Sync() error {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	defer runtime.KeepAlive(s)
	if s.ds == nil {
		return errClosedStorage()
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
	s.hmu.Lock()
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

// Submit queues a MsgStorageAppend (a Ready's message to LocalAppendThread, under
// AsyncStorageWrites) for the writer thread (AsyncWrites only: ErrState otherwise). The
// thread persists what is queued in order, one fsync per batch, and releases the responses.
func (s *DiskStorage) Submit(m *pb.Message) error {
	if m == nil {
		return newError(codeInvalid, "raftc: nil Message")
	}
	b, err := marshal(m)
	if err != nil {
		return err
	}
	s.hmu.Lock()
	defer s.hmu.Unlock()
	defer runtime.KeepAlive(s)
	if s.ds == nil {
		return errClosedStorage()
	}
	return dsSubmit(s.ds, b)
}

// TakeResponses waits up to timeout (0: not at all; negative: until something completes)
// while submitted messages are pending, then returns the responses of every message persisted
// since the last call, in order (step those addressed to the node, send the others), and how
// many messages were persisted. It does not hold up the nodes reading the storage while it
// waits; other calls on the storage wait for it. An error wrapping ErrFailed once the storage
// failed and everything persisted before was taken.
func (s *DiskStorage) TakeResponses(timeout time.Duration) ([]*pb.Message, int, error) {
	ms := -1
	if timeout >= 0 {
		ms = int(min(timeout.Milliseconds(), 1<<31-1))
	}
	s.hmu.Lock()
	var items [][]byte
	var done uint64
	err := errClosedStorage()
	if s.ds != nil {
		items, done, err = dsTakeResponses(s.ds, ms)
	}
	s.hmu.Unlock()
	runtime.KeepAlive(s)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*pb.Message, len(items))
	for i, b := range items {
		out[i] = &pb.Message{}
		if err := unmarshal(b, out[i]); err != nil {
			return nil, 0, err
		}
	}
	return out, int(done), nil
}

// Stat returns a counter: DiskStatBytesWritten, DiskStatTornBytes, DiskStatFailed or
// DiskStatPending.
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
	s.hmu.Lock()
	s.mem.mu.Lock()
	defer s.leave()
	if s.ds == nil {
		return nil
	}
	s.ds, s.mem.ms, s.mem.pending = nil, nil, pendingReady{}
	s.h.free()
	return nil
}
