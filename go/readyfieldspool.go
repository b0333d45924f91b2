// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// readyfieldspool.go: the C arrays a Ready is laid out in (raftcgo_ready_fields), lent to a
// RawNode for one Ready. RawNode.ready reads the whole layout into Go values before it
// returns, so no node needs arrays of its own between Readys: kept per node they held about
// 1.3 KB of C memory in every idle group of a multi-raft host.

package raftc

import (
	"runtime"
	"sync"
)

// fieldsKeepWords bounds the arrays a returned layout keeps for the next Ready (64 Ki numbers,
// 512 KiB); larger ones, from a Ready with thousands of entries, are freed on return.
const fieldsKeepWords = 1 << 16

// fieldsLoan owns one layout; its cleanup frees the C memory when the pool drops it.
type fieldsLoan struct{ f *readyFields }

var fieldsPool = sync.Pool{New: func() any {
	f := readyFieldsNew()
	if f == nil {
		return (*fieldsLoan)(nil)
	}
	l := &fieldsLoan{f: f}
	runtime.AddCleanup(l, readyFieldsFree, f)
	return l
}}

// borrowFields returns a layout for one Ready, or nil when C memory ran out.
func borrowFields() *fieldsLoan { return fieldsPool.Get().(*fieldsLoan) }

// returnFields gives l back once nothing reads its arrays any more (nil is ignored).
func returnFields(l *fieldsLoan) {
	if l == nil {
		return
	}
	readyFieldsTrim(l.f, fieldsKeepWords)
	fieldsPool.Put(l)
}
