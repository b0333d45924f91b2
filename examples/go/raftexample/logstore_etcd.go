// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// logstore_etcd.go: the node's durable raft state for the etcd raft build, the way etcd's
// raftexample keeps it: a write-ahead log for durability (here raftc's DiskStorage in
// DATA/raft, the same files as the raftc build) and etcd's MemoryStorage, replayed from the
// log at start, for raft to read. logstore_raftc.go is the raftc build's.

//go:build etcdraft

package main

import (
	raftc "github.com/raftc/raftc/go"
	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

type logStore struct {
	wal *raftc.DiskStorage
	mem *raft.MemoryStorage
}

// openLogStore opens (or creates) the log in dir and replays it into a MemoryStorage.
func openLogStore(dir string) (*logStore, error) {
	wal, err := raftc.OpenDiskStorage(dir, &raftc.DiskStorageOptions{Sync: raftc.SyncGroup})
	if err != nil {
		return nil, err
	}
	s := &logStore{wal: wal, mem: raft.NewMemoryStorage()}
	if err := s.replay(); err != nil {
		wal.Close()
		return nil, err
	}
	return s, nil
}

func (s *logStore) replay() error {
	snap, err := s.wal.Snapshot()
	if err != nil {
		return err
	}
	if !raft.IsEmptySnap(snap) {
		if err := s.mem.ApplySnapshot(snap); err != nil {
			return err
		}
	}
	hs, _, err := s.wal.InitialState()
	if err != nil {
		return err
	}
	if err := s.mem.SetHardState(hs); err != nil {
		return err
	}
	first, _ := s.wal.FirstIndex()
	last, _ := s.wal.LastIndex()
	if last < first {
		return nil
	}
	ents, err := s.wal.Entries(first, last+1, 1<<62)
	if err != nil {
		return err
	}
	return s.mem.Append(ents)
}

// storage is what raft reads (Config.Storage).
func (s *logStore) storage() raftStorage { return s.mem }

// save persists a Ready (snapshot, entries, HardState) durably, then into the MemoryStorage.
func (s *logStore) save(rd raftReady) error {
	if err := s.wal.SaveReady(rd); err != nil {
		return err
	}
	if err := s.wal.Sync(); err != nil {
		return err
	}
	if !raft.IsEmptySnap(rd.Snapshot) {
		if err := s.mem.ApplySnapshot(rd.Snapshot); err != nil {
			return err
		}
	}
	if !raft.IsEmptyHardState(rd.HardState) {
		if err := s.mem.SetHardState(rd.HardState); err != nil {
			return err
		}
	}
	return s.mem.Append(rd.Entries)
}

func (s *logStore) createSnapshot(i uint64, cs *pb.ConfState, data []byte) error {
	if _, err := s.wal.CreateSnapshot(i, cs, data); err != nil {
		return err
	}
	_, err := s.mem.CreateSnapshot(i, cs, data)
	return err
}

func (s *logStore) compact(i uint64) error {
	if err := s.wal.Compact(i); err != nil {
		return err
	}
	return s.mem.Compact(i)
}

func (s *logStore) close() error { return s.wal.Close() }
