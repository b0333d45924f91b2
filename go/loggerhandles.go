// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// loggerhandles.go: one cgo.Handle per Logger, shared by every node that logs to it. A
// multi-raft process gives thousands of RawNodes the same Logger; a handle of their own cost
// each of them about 140 B of Go memory (the handle's map entry and the adapter).

package raftc

import (
	"reflect"
	"runtime/cgo"
	"sync"
)

// loggerHandle is a Logger's handle and the number of nodes that hold it.
type loggerHandle struct {
	h    cgo.Handle
	key  Logger // nil: not shared (the Logger's value cannot be a map key)
	refs int
}

var loggerHandles struct {
	mu sync.Mutex
	m  map[Logger]*loggerHandle
}

// acquireLoggerHandle returns the handle C logs to for l, shared with other nodes when l can
// be compared (pointers, comparable values), a handle of its own otherwise.
func acquireLoggerHandle(l Logger) *loggerHandle {
	if !reflect.ValueOf(l).Comparable() {
		return &loggerHandle{h: cgo.NewHandle(&logAdapter{l: l}), refs: 1}
	}
	loggerHandles.mu.Lock()
	defer loggerHandles.mu.Unlock()
	if lh := loggerHandles.m[l]; lh != nil {
		lh.refs++
		return lh
	}
	if loggerHandles.m == nil {
		loggerHandles.m = make(map[Logger]*loggerHandle)
	}
	lh := &loggerHandle{h: cgo.NewHandle(&logAdapter{l: l}), key: l, refs: 1}
	loggerHandles.m[l] = lh
	return lh
}

// release drops one node's hold; the last one deletes the handle.
func (lh *loggerHandle) release() {
	if lh.key == nil {
		lh.h.Delete()
		return
	}
	loggerHandles.mu.Lock()
	defer loggerHandles.mu.Unlock()
	if lh.refs--; lh.refs == 0 {
		delete(loggerHandles.m, lh.key)
		lh.h.Delete()
	}
}
