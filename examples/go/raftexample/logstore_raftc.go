// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// logstore_raftc.go: the node's durable raft state on raftc: the binding's DiskStorage (a
// write-ahead log and snapshot files) in DATA/raft, which raft reads directly. logstore_etcd.go
// is the same store for the etcd raft build.

//go:build !etcdraft

package main

import (
	raft "github.com/raftc/raftc/go"
	pb "go.etcd.io/raft/v3/raftpb"
)

// logStore is the node's raft log, HardState and snapshots, on disk.
type logStore struct {
	ds *raft.DiskStorage
}

// openLogStore opens (or creates) the store in dir; group commit: save then one fsync per
// Ready.
func openLogStore(dir string) (*logStore, error) {
	ds, err := raft.OpenDiskStorage(dir, &raft.DiskStorageOptions{Sync: raft.SyncGroup})
	if err != nil {
		return nil, err
	}
	return &logStore{ds: ds}, nil
}

// storage is what raft reads (Config.Storage).
func (s *logStore) storage() raftStorage { return s.ds }

// save persists a Ready (snapshot, entries, HardState) and makes it durable: the messages
// that acknowledge it may go out once it returns.
func (s *logStore) save(rd raftReady) error {
	if err := s.ds.SaveReady(rd); err != nil {
		return err
	}
	return s.ds.Sync()
}

func (s *logStore) createSnapshot(i uint64, cs *pb.ConfState, data []byte) error {
	_, err := s.ds.CreateSnapshot(i, cs, data)
	return err
}

func (s *logStore) compact(i uint64) error { return s.ds.Compact(i) }

func (s *logStore) close() error { return s.ds.Close() }
