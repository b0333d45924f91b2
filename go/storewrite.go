// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// storewrite.go: the write methods MemoryStorage and DiskStorage share (Append's encoding
// path, ApplySnapshot, CreateSnapshot, Compact): the Go side encodes and decodes, the storage
// locks and makes its own C call.

package raftc

import pb "go.etcd.io/raft/v3/raftpb"

// cStore is the C storage behind a MemoryStorage or a DiskStorage. The *C calls run between
// enter and leave (the storage locked).
type cStore interface {
	enter() error
	leave()
	appendC(ents [][]byte) error
	applySnapshotC(snap []byte) error
	createSnapshotC(i uint64, cs, data []byte) ([]byte, error)
	compactC(i uint64) error
}

// storeAppend encodes entries and appends them (a no-op for none).
func storeAppend(s cStore, entries []*pb.Entry) error {
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
	return s.appendC(bufs)
}

// storeApplySnapshot encodes snap (ErrInvalid for nil) and applies it.
func storeApplySnapshot(s cStore, snap *pb.Snapshot) error {
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
	return s.applySnapshotC(b)
}

// storeCreateSnapshot makes a snapshot at i with cs (nil: the empty ConfState) and data.
func storeCreateSnapshot(s cStore, i uint64, cs *pb.ConfState, data []byte) (*pb.Snapshot, error) {
	var csb []byte
	if cs != nil {
		var err error
		if csb, err = marshal(cs); err != nil {
			return nil, err
		}
	}
	var b []byte
	err := s.enter()
	if err == nil {
		b, err = s.createSnapshotC(i, csb, data)
	}
	s.leave()
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(b)
}

// storeCompact discards the entries before i.
func storeCompact(s cStore, i uint64) error {
	defer s.leave()
	if err := s.enter(); err != nil {
		return err
	}
	return s.compactC(i)
}
