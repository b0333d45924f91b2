// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// callbacks.go: the Go functions raftc calls back (through raftcgo_shim.c): a Go Storage and a
// Go Logger, found through the cgo.Handle the C side carries as its ud. A panic inside a Go
// Storage never crosses into C: it is recovered and reported as a storage failure (the node
// fails, as etcd's would panic), and the panic value becomes part of the node's error.

package raftc

/*
#include "raftc.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"sync"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// storageAdapter is what a node's storage handle points to.
type storageAdapter struct {
	st Storage
	mu sync.Mutex
	// failure is the text of the last storage call that failed the node (an error outside
	// etcd's sentinels, a panic, or data that does not encode), for the node's error.
	failure string
}

func (a *storageAdapter) fail(what string, err any) C.int {
	a.mu.Lock()
	a.failure = fmt.Sprintf("storage %s: %v", what, err)
	a.mu.Unlock()
	return C.int(codeStorage)
}

// takeFailure returns and clears the last failure text.
func (a *storageAdapter) takeFailure() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.failure
	a.failure = ""
	return f
}

// result maps a Storage error to raftc's code (etcd's sentinels keep their meaning).
func (a *storageAdapter) result(what string, err error) C.int {
	code := codeFor(err)
	if code == codeStorage {
		return a.fail(what, err)
	}
	return C.int(code)
}

func adapter(h C.uintptr_t) *storageAdapter { return cgo.Handle(h).Value().(*storageAdapter) }

func recoverInto(a *storageAdapter, what string, rc *C.int) {
	if r := recover(); r != nil {
		*rc = a.fail(what, fmt.Sprintf("panic: %v", r))
	}
}

//export raftcgoInitialState
func raftcgoInitialState(h C.uintptr_t, hsSink, csSink *C.raftc_sink) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "InitialState", &rc)
	hs, cs, err := a.st.InitialState()
	if err != nil {
		return a.fail("InitialState", err)
	}
	if hs == nil {
		hs = &pb.HardState{}
	}
	if cs == nil {
		cs = &pb.ConfState{}
	}
	hb, err := marshal(hs)
	if err != nil {
		return a.fail("InitialState", err)
	}
	cb, err := marshal(cs)
	if err != nil {
		return a.fail("InitialState", err)
	}
	if rc := sinkPut(hsSink, hb); rc != 0 {
		return C.int(rc)
	}
	return C.int(sinkPut(csSink, cb))
}

//export raftcgoEntries
func raftcgoEntries(h C.uintptr_t, lo, hi, maxSize C.uint64_t, out *C.raftc_sink) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "Entries", &rc)
	ents, err := a.st.Entries(uint64(lo), uint64(hi), uint64(maxSize))
	if err != nil {
		return a.result("Entries", err)
	}
	for _, e := range ents {
		b, err := marshal(e)
		if err != nil {
			return a.fail("Entries", err)
		}
		if rc := sinkPut(out, b); rc != 0 {
			return C.int(rc)
		}
	}
	return 0
}

//export raftcgoTerm
func raftcgoTerm(h C.uintptr_t, i C.uint64_t, term *C.uint64_t) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "Term", &rc)
	t, err := a.st.Term(uint64(i))
	if err != nil {
		return a.result("Term", err)
	}
	*term = C.uint64_t(t)
	return 0
}

//export raftcgoFirstIndex
func raftcgoFirstIndex(h C.uintptr_t, index *C.uint64_t) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "FirstIndex", &rc)
	v, err := a.st.FirstIndex()
	if err != nil {
		return a.fail("FirstIndex", err)
	}
	*index = C.uint64_t(v)
	return 0
}

//export raftcgoLastIndex
func raftcgoLastIndex(h C.uintptr_t, index *C.uint64_t) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "LastIndex", &rc)
	v, err := a.st.LastIndex()
	if err != nil {
		return a.fail("LastIndex", err)
	}
	*index = C.uint64_t(v)
	return 0
}

//export raftcgoSnapshot
func raftcgoSnapshot(h C.uintptr_t, out *C.raftc_sink) (rc C.int) {
	a := adapter(h)
	defer recoverInto(a, "Snapshot", &rc)
	s, err := a.st.Snapshot()
	if err != nil {
		return a.result("Snapshot", err)
	}
	if s == nil {
		return 0
	}
	b, err := marshal(s)
	if err != nil {
		return a.fail("Snapshot", err)
	}
	return C.int(sinkPut(out, b))
}

// logAdapter is what a node's logger handle points to.
type logAdapter struct{ l raft.Logger }

//export raftcgoLog
func raftcgoLog(h C.uintptr_t, level C.int, msg *C.char, n C.size_t) {
	l := cgo.Handle(h).Value().(*logAdapter).l
	s := C.GoStringN(msg, C.int(n))
	// etcd's loggers panic in Panic (and the default one exits in Fatal): raftc has already
	// failed the node and reports it as an error, so the panic is recovered here and Fatal is
	// logged through Panic as well (raftc never logs at FATAL today).
	defer func() { _ = recover() }()
	switch int(level) {
	case logDebug:
		l.Debug(s)
	case logInfo:
		l.Info(s)
	case logWarn:
		l.Warning(s)
	case logError:
		l.Error(s)
	default:
		l.Panic(s)
	}
}
