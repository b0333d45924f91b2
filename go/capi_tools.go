// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// capi_tools.go: the calls into raftc.h's Tools section (quorum arithmetic and the standalone
// configuration changer).

package raftc

/*
#include "raftc.h"
*/
import "C"

import (
	"unsafe"
)

// quorumArgs holds the C views of a joint configuration and per-voter values for one call.
type quorumArgs struct {
	inc, out, ids, vals []uint64
}

func newQuorumArgs(incoming, outgoing []uint64, m map[uint64]uint64) quorumArgs {
	a := quorumArgs{inc: incoming, out: outgoing}
	for _, id := range sortedKeys(m) {
		a.ids = append(a.ids, id)
		a.vals = append(a.vals, m[id])
	}
	return a
}

func quorumCommitted(a quorumArgs) (uint64, error) {
	var out C.uint64_t
	rc := C.raftc_quorum_committed(&out, u64Ptr(a.inc), C.size_t(len(a.inc)), u64Ptr(a.out), C.size_t(len(a.out)),
		u64Ptr(a.ids), u64Ptr(a.vals), C.size_t(len(a.ids)))
	if rc != 0 {
		return 0, newError(int(rc), "")
	}
	return uint64(out), nil
}

func quorumDescribe(a quorumArgs) (string, error) {
	var out *C.char
	rc := C.raftc_quorum_describe(&out, u64Ptr(a.inc), C.size_t(len(a.inc)), u64Ptr(a.out), C.size_t(len(a.out)),
		u64Ptr(a.ids), u64Ptr(a.vals), C.size_t(len(a.ids)))
	if rc != 0 {
		return "", newError(int(rc), "")
	}
	return takeString(out), nil
}

func quorumVoteResult(a quorumArgs) (int, error) {
	granted := make([]C.int, len(a.vals))
	for i, v := range a.vals {
		if v != 0 {
			granted[i] = 1
		}
	}
	var gp *C.int
	if len(granted) > 0 {
		gp = &granted[0]
	}
	var out C.raftc_vote_result
	rc := C.raftc_quorum_vote_result(&out, u64Ptr(a.inc), C.size_t(len(a.inc)), u64Ptr(a.out), C.size_t(len(a.out)),
		u64Ptr(a.ids), gp, C.size_t(len(a.ids)))
	if rc != 0 {
		return 0, newError(int(rc), "")
	}
	return int(out), nil
}

func voteResultName(r int) string {
	return C.GoString(C.raftc_vote_result_name(C.raftc_vote_result(r)))
}

type cChanger = C.raftc_changer

func changerNew(maxInflight, maxBytes uint64) (*cChanger, error) {
	var ch *C.raftc_changer
	if rc := C.raftc_changer_new(&ch, C.uint64_t(maxInflight), C.uint64_t(maxBytes)); rc != 0 {
		return nil, newError(int(rc), "")
	}
	return ch, nil
}

func changerFree(ch *cChanger) { C.raftc_changer_free(ch) }

func changerErr(ch *cChanger, rc C.int) error {
	if rc == 0 {
		return nil
	}
	msg := ""
	if int(rc) == codeConfChange {
		msg = C.GoString(C.raftc_changer_last_error(ch))
	}
	return newError(int(rc), msg)
}

func changerSetLastIndex(ch *cChanger, i uint64) {
	C.raftc_changer_set_last_index(ch, C.uint64_t(i))
}

// changeArrays converts (type, id) pairs into the C arrays of one call.
func changeArrays(types []int32, ids []uint64) (*C.raftc_cc_type, *C.uint64_t) {
	if len(types) == 0 {
		return nil, nil
	}
	ct := make([]C.raftc_cc_type, len(types))
	for i, t := range types {
		ct[i] = C.raftc_cc_type(t)
	}
	// ct is a Go slice of integers: passing its first element is a plain borrowed pointer.
	return (*C.raftc_cc_type)(unsafe.Pointer(&ct[0])), u64Ptr(ids)
}

func changerSimple(ch *cChanger, types []int32, ids []uint64) error {
	t, i := changeArrays(types, ids)
	return changerErr(ch, C.raftc_changer_simple(ch, t, i, C.size_t(len(types))))
}

func changerEnterJoint(ch *cChanger, autoLeave bool, types []int32, ids []uint64) error {
	t, i := changeArrays(types, ids)
	al := C.int(0)
	if autoLeave {
		al = 1
	}
	return changerErr(ch, C.raftc_changer_enter_joint(ch, al, t, i, C.size_t(len(types))))
}

func changerLeaveJoint(ch *cChanger) error { return changerErr(ch, C.raftc_changer_leave_joint(ch)) }

func changerDescribe(ch *cChanger) string {
	var out *C.char
	C.raftc_changer_describe(&out, ch)
	return takeString(out)
}
