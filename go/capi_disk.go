// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// capi_disk.go: the calls into raftc.h's disk storage (raftc_diskstorage_*), the only place
// of the package that spells them. As in capi.go, C keeps no Go pointer: inputs are borrowed
// for one call, outputs are copied into Go memory before the call returns.

package raftc

/*
#include <stdlib.h>
#include "raftc.h"
*/
import "C"

import "unsafe"

type cDiskStorage = C.raftc_diskstorage

const (
	syncEach  = int(C.RAFTC_SYNC_EACH)
	syncGroup = int(C.RAFTC_SYNC_GROUP)
	syncNone  = int(C.RAFTC_SYNC_NONE)
)

const (
	dsStatBytesWritten = int(C.RAFTC_DS_BYTES_WRITTEN)
	dsStatTornBytes    = int(C.RAFTC_DS_TORN_BYTES)
	dsStatFailed       = int(C.RAFTC_DS_FAILED)
	dsStatPending      = int(C.RAFTC_DS_PENDING)
)

// dsOpen opens (creating if absent) the disk storage in dir; the error carries the library's
// reason (locked, corrupt with file and offset, I/O).
func dsOpen(dir string, segmentSize uint64, policy int, async bool) (*cDiskStorage, error) {
	cpath := C.CString(dir)
	defer C.free(unsafe.Pointer(cpath))
	var opts C.raftc_diskstorage_options
	opts.struct_size = C.size_t(unsafe.Sizeof(opts))
	opts.segment_size = C.uint64_t(segmentSize)
	opts.sync_policy = C.int(policy)
	if async {
		opts.async_writes = 1
	}
	var errbuf [512]C.char
	var ds *C.raftc_diskstorage
	if rc := int(C.raftc_diskstorage_open(&ds, &errbuf[0], C.size_t(len(errbuf)), cpath, &opts)); rc != 0 {
		return nil, newError(rc, C.GoString(&errbuf[0]))
	}
	return ds, nil
}

func dsFree(ds *cDiskStorage) { C.raftc_diskstorage_free(ds) }

// dsMemStorage is the disk storage's in-memory copy (borrowed: valid while ds lives).
func dsMemStorage(ds *cDiskStorage) (*cMemStorage, error) {
	var ms *C.raftc_memstorage
	if rc := int(C.raftc_diskstorage_memstorage(&ms, ds)); rc != 0 {
		return nil, newError(rc, "")
	}
	return ms, nil
}

// dsErr turns a disk storage code into an error with the storage's text.
func dsErr(ds *cDiskStorage, rc C.int) error {
	if rc == 0 {
		return nil
	}
	return newError(int(rc), C.GoString(C.raftc_diskstorage_last_error(ds)))
}

func dsAppend(ds *cDiskStorage, ents [][]byte) error {
	if len(ents) == 0 {
		return nil
	}
	for _, e := range ents {
		if len(e) > maxInput {
			return newError(codeTooLarge, "")
		}
	}
	ptrs, lens, pin := bufArray(ents)
	defer pin.Unpin()
	return dsErr(ds, C.raftc_diskstorage_append(ds, &ptrs[0], &lens[0], C.size_t(len(ents))))
}

func dsSetHardState(ds *cDiskStorage, hs []byte) error {
	if len(hs) > maxInput {
		return newError(codeTooLarge, "")
	}
	return dsErr(ds, C.raftc_diskstorage_set_hard_state(ds, bytesPtr(hs), C.size_t(len(hs))))
}

func dsApplySnapshot(ds *cDiskStorage, snap []byte) error {
	if len(snap) > maxInput {
		return newError(codeTooLarge, "")
	}
	return dsErr(ds, C.raftc_diskstorage_apply_snapshot(ds, bytesPtr(snap), C.size_t(len(snap))))
}

// dsCreateSnapshot makes a durable snapshot at i with the ConfState bytes cs (empty: the empty
// ConfState, as etcd's nil) and returns its bytes.
func dsCreateSnapshot(ds *cDiskStorage, i uint64, cs, data []byte) ([]byte, error) {
	return createSnapshotBytes(cs, data, func(s *cSink, csp *C.uint8_t, csn C.size_t, dp *C.uint8_t, dn C.size_t) error {
		return dsErr(ds, C.raftc_diskstorage_create_snapshot(s, ds, C.uint64_t(i), csp, csn, dp, dn))
	})
}

func dsCompact(ds *cDiskStorage, i uint64) error {
	return dsErr(ds, C.raftc_diskstorage_compact(ds, C.uint64_t(i)))
}

func dsSync(ds *cDiskStorage) error { return dsErr(ds, C.raftc_diskstorage_sync(ds)) }

func dsStat(ds *cDiskStorage, key int) (uint64, error) {
	var v C.uint64_t
	if err := dsErr(ds, C.raftc_diskstorage_stat(&v, ds, C.raftc_diskstorage_stat_key(key))); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// dsSaveReady persists a Ready view in etcd's order straight from the node's structures.
func dsSaveReady(ds *cDiskStorage, rd *cReady) error {
	return dsErr(ds, C.raftc_diskstorage_save_ready(ds, rd))
}

func configSetDiskStorage(c *cConfig, ds *cDiskStorage) int {
	return int(C.raftc_config_set_diskstorage(c, ds))
}

// dsSubmit queues one MsgStorageAppend (raftpb bytes, copied) for the writer thread.
func dsSubmit(ds *cDiskStorage, m []byte) error {
	if len(m) > maxInput {
		return newError(codeTooLarge, "")
	}
	return dsErr(ds, C.raftc_diskstorage_submit(ds, bytesPtr(m), C.size_t(len(m))))
}

// dsTakeResponses waits up to timeoutMS (0: no wait, negative: until something completes) and
// returns the responses of the messages persisted since the last call and how many were.
func dsTakeResponses(ds *cDiskStorage, timeoutMS int) ([][]byte, uint64, error) {
	s, err := sinkNew()
	if err != nil {
		return nil, 0, err
	}
	defer sinkFree(s)
	var done C.uint64_t
	if err := dsErr(ds, C.raftc_diskstorage_take_responses(s, &done, ds, C.int(timeoutMS))); err != nil {
		return nil, 0, err
	}
	return sinkItems(s), uint64(done), nil
}
