// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// capi.go: every call into raftc.h except the callbacks (callbacks.go) goes through this file,
// so the rest of the package never spells a C name. C keeps no Go pointer: inputs are borrowed
// for one call, outputs are copied into Go memory before the call returns.

package raftc

/*
#include <stdlib.h>
#include "raftc.h"
#include "raftcgo.h"
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

const (
	codeInvalid             = int(C.RAFTC_EINVAL)
	codeNoMem               = int(C.RAFTC_ENOMEM)
	codeDecode              = int(C.RAFTC_EDECODE)
	codeTooLarge            = int(C.RAFTC_ETOOLARGE)
	codeProposalDropped     = int(C.RAFTC_EPROPOSAL_DROPPED)
	codeStepLocalMsg        = int(C.RAFTC_ESTEP_LOCAL_MSG)
	codeStepPeerNotFound    = int(C.RAFTC_ESTEP_PEER_NOT_FOUND)
	codeCompacted           = int(C.RAFTC_ECOMPACTED)
	codeUnavailable         = int(C.RAFTC_EUNAVAILABLE)
	codeSnapOutOfDate       = int(C.RAFTC_ESNAP_OUT_OF_DATE)
	codeSnapTempUnavailable = int(C.RAFTC_ESNAP_TEMP_UNAVAILABLE)
	codeStorage             = int(C.RAFTC_ESTORAGE)
	codeFailed              = int(C.RAFTC_EFAILED)
	codeState               = int(C.RAFTC_ESTATE)
	codeConfig              = int(C.RAFTC_ECONFIG)
	codeConfChange          = int(C.RAFTC_ECONFCHANGE)
	codeNotFound            = int(C.RAFTC_ENOTFOUND)
	codeUnknownType         = int(C.RAFTC_EUNKNOWN_TYPE)
	codeRefused             = int(C.RAFTC_EREFUSED)
	codeCorrupt             = int(C.RAFTC_ECORRUPT)
	codeLocked              = int(C.RAFTC_ELOCKED)
	codeIO                  = int(C.RAFTC_EIO)
)

const (
	logDebug = int(C.RAFTC_LOG_DEBUG)
	logInfo  = int(C.RAFTC_LOG_INFO)
	logWarn  = int(C.RAFTC_LOG_WARN)
	logError = int(C.RAFTC_LOG_ERROR)
	logFatal = int(C.RAFTC_LOG_FATAL)
	logPanic = int(C.RAFTC_LOG_PANIC)
)

const (
	ccV1 = int(C.RAFTC_CC_V1)
	ccV2 = int(C.RAFTC_CC_V2)
)

// maxInput is the library's size limit for one buffer (1 GiB): checked here so that a Go
// length never wraps when it becomes a size_t.
const maxInput = 1 << 30

// Version is the version of the linked libraftc ("MAJOR.MINOR.PATCH").
func Version() string { return C.GoString(C.raftc_version()) }

// ABIVersion is the ABI major of the linked libraftc.
func ABIVersion() int { return int(C.raftc_abi_version()) }

func strerror(code int) string { return C.GoString(C.raftc_strerror(C.int(code))) }

// bytesPtr gives C a borrowed view of b for the duration of one call.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

func u64Ptr(v []uint64) *C.uint64_t {
	if len(v) == 0 {
		return nil
	}
	return (*C.uint64_t)(unsafe.Pointer(unsafe.SliceData(v)))
}

// goBytes copies n bytes of C memory (nil for none).
func goBytes(p *C.uint8_t, n C.size_t) []byte {
	if n == 0 || p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// takeString copies and frees a heap string of the library.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.raftc_free(unsafe.Pointer(p))
	return s
}

// ---- sinks ----

type cSink = C.raftc_sink

func sinkNew() (*cSink, error) {
	var s *C.raftc_sink
	if rc := int(C.raftc_sink_new(&s)); rc != 0 {
		return nil, newError(rc, "")
	}
	return s, nil
}

func sinkFree(s *cSink) { C.raftc_sink_free(s) }

// sinkItems copies every item of s.
func sinkItems(s *cSink) [][]byte {
	n := int(C.raftc_sink_count(s))
	out := make([][]byte, n)
	for i := 0; i < n; i++ {
		var p *C.uint8_t
		var l C.size_t
		C.raftc_sink_get(&p, &l, s, C.size_t(i))
		out[i] = goBytes(p, l)
		if out[i] == nil {
			out[i] = []byte{}
		}
	}
	return out
}

// sinkPut appends a copy of b to s (used inside storage callbacks).
func sinkPut(s *cSink, b []byte) int {
	if len(b) > maxInput {
		return codeTooLarge
	}
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(unsafe.SliceData(b))
	}
	return int(C.raftc_sink_put(s, p, C.size_t(len(b))))
}

// ---- config ----

type cConfig = C.raftc_config

// option keys
const (
	optID                          = C.RAFTC_OPT_ID
	optElectionTick                = C.RAFTC_OPT_ELECTION_TICK
	optHeartbeatTick               = C.RAFTC_OPT_HEARTBEAT_TICK
	optApplied                     = C.RAFTC_OPT_APPLIED
	optMaxSizePerMsg               = C.RAFTC_OPT_MAX_SIZE_PER_MSG
	optMaxCommittedSizePerReady    = C.RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY
	optMaxUncommittedEntriesSize   = C.RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE
	optMaxInflightMsgs             = C.RAFTC_OPT_MAX_INFLIGHT_MSGS
	optMaxInflightBytes            = C.RAFTC_OPT_MAX_INFLIGHT_BYTES
	optCheckQuorum                 = C.RAFTC_OPT_CHECK_QUORUM
	optPreVote                     = C.RAFTC_OPT_PRE_VOTE
	optReadOnlyOption              = C.RAFTC_OPT_READ_ONLY_OPTION
	optDisableProposalForwarding   = C.RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING
	optDisableConfChangeValidation = C.RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION
	optStepDownOnRemoval           = C.RAFTC_OPT_STEP_DOWN_ON_REMOVAL
	optAsyncStorageWrites          = C.RAFTC_OPT_ASYNC_STORAGE_WRITES
	optRandSeed                    = C.RAFTC_OPT_RAND_SEED
)

func configNew() (*cConfig, error) {
	var c *C.raftc_config
	if rc := int(C.raftc_config_new(&c)); rc != 0 {
		return nil, newError(rc, "")
	}
	return c, nil
}

func configFree(c *cConfig) { C.raftc_config_free(c) }

func configSetU64(c *cConfig, opt C.int, v uint64) int {
	return int(C.raftc_config_set_u64(c, C.raftc_option(opt), C.uint64_t(v)))
}

func configSetBool(c *cConfig, opt C.int, v bool) int {
	b := C.int(0)
	if v {
		b = 1
	}
	return int(C.raftc_config_set_bool(c, C.raftc_option(opt), b))
}

func configSetMemStorage(c *cConfig, ms *cMemStorage) int {
	return int(C.raftc_config_set_memstorage(c, ms))
}

func configSetGoStorage(c *cConfig, h cgo.Handle) int {
	return int(C.raftcgo_config_set_go_storage(c, C.uintptr_t(h)))
}

func configSetGoLogger(c *cConfig, h cgo.Handle) int {
	return int(C.raftcgo_config_set_go_logger(c, C.uintptr_t(h)))
}

// ---- memory storage ----

type cMemStorage = C.raftc_memstorage

func msNew() (*cMemStorage, error) {
	var ms *C.raftc_memstorage
	if rc := int(C.raftc_memstorage_new(&ms)); rc != 0 {
		return nil, newError(rc, "")
	}
	return ms, nil
}

func msFree(ms *cMemStorage) { C.raftc_memstorage_free(ms) }

// msErr turns a memory storage code into an error (etcd's panic text for RAFTC_EFAILED).
func msErr(ms *cMemStorage, rc C.int) error {
	if rc == 0 {
		return nil
	}
	msg := ""
	if int(rc) == codeFailed {
		msg = C.GoString(C.raftc_memstorage_last_error(ms))
	}
	return newError(int(rc), msg)
}

func msAppend(ms *cMemStorage, ents [][]byte) error {
	if len(ents) == 0 {
		return nil
	}
	ptrs, lens, pin := bufArray(ents)
	defer pin.Unpin()
	return msErr(ms, C.raftc_memstorage_append(ms, &ptrs[0], &lens[0], C.size_t(len(ents))))
}

// bufArray gives C an array of borrowed buffers (pinned, as the array holds Go pointers) for
// one call; the caller unpins after the call.
func bufArray(bufs [][]byte) ([]*C.uint8_t, []C.size_t, *runtime.Pinner) {
	pin := new(runtime.Pinner)
	ptrs := make([]*C.uint8_t, len(bufs))
	lens := make([]C.size_t, len(bufs))
	for i, b := range bufs {
		if len(b) > 0 {
			pin.Pin(unsafe.SliceData(b))
			ptrs[i] = (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
			lens[i] = C.size_t(len(b))
		}
	}
	return ptrs, lens, pin
}

func msSetHardState(ms *cMemStorage, term, vote, commit uint64) error {
	return msErr(ms, C.raftc_memstorage_set_hard_state_fields(ms, C.uint64_t(term), C.uint64_t(vote), C.uint64_t(commit)))
}

func msApplySnapshot(ms *cMemStorage, snap []byte) error {
	if len(snap) > maxInput {
		return newError(codeTooLarge, "")
	}
	return msErr(ms, C.raftc_memstorage_apply_snapshot(ms, bytesPtr(snap), C.size_t(len(snap))))
}

func msCreateSnapshot(ms *cMemStorage, i uint64, cs, data []byte) ([]byte, error) {
	return createSnapshotBytes(cs, data, func(s *cSink, csp *C.uint8_t, csn C.size_t, dp *C.uint8_t, dn C.size_t) error {
		return msErr(ms, C.raftc_memstorage_create_snapshot(s, ms, C.uint64_t(i), csp, csn, dp, dn))
	})
}

// createSnapshotBytes runs a storage's create_snapshot call (the ConfState bytes cs and data
// borrowed for the call) into a fresh sink and returns the snapshot bytes it put there.
func createSnapshotBytes(cs, data []byte, call func(s *cSink, csp *C.uint8_t, csn C.size_t, dp *C.uint8_t, dn C.size_t) error) ([]byte, error) {
	if len(data) > maxInput || len(cs) > maxInput {
		return nil, newError(codeTooLarge, "")
	}
	s, err := sinkNew()
	if err != nil {
		return nil, err
	}
	defer sinkFree(s)
	if err := call(s, bytesPtr(cs), C.size_t(len(cs)), bytesPtr(data), C.size_t(len(data))); err != nil {
		return nil, err
	}
	return sinkItems(s)[0], nil
}

func msCompact(ms *cMemStorage, i uint64) error {
	return msErr(ms, C.raftc_memstorage_compact(ms, C.uint64_t(i)))
}

func msFirstIndex(ms *cMemStorage) uint64 { return uint64(C.raftcgo_memstorage_first_index(ms)) }

func msLastIndex(ms *cMemStorage) uint64 { return uint64(C.raftcgo_memstorage_last_index(ms)) }

func msTerm(ms *cMemStorage, i uint64) (uint64, error) {
	var v C.uint64_t
	if err := msErr(ms, C.raftc_memstorage_term(&v, ms, C.uint64_t(i))); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

func msEntries(ms *cMemStorage, lo, hi, maxSize uint64) ([][]byte, error) {
	s, err := sinkNew()
	if err != nil {
		return nil, err
	}
	defer sinkFree(s)
	if err := msErr(ms, C.raftc_memstorage_entries(s, ms, C.uint64_t(lo), C.uint64_t(hi), C.uint64_t(maxSize))); err != nil {
		return nil, err
	}
	return sinkItems(s), nil
}

func msSnapshot(ms *cMemStorage) ([]byte, error) {
	s, err := sinkNew()
	if err != nil {
		return nil, err
	}
	defer sinkFree(s)
	if err := msErr(ms, C.raftc_memstorage_snapshot(s, ms)); err != nil {
		return nil, err
	}
	return sinkItems(s)[0], nil
}

func msInitialState(ms *cMemStorage) (hs, cs []byte, err error) {
	s1, err := sinkNew()
	if err != nil {
		return nil, nil, err
	}
	defer sinkFree(s1)
	s2, err := sinkNew()
	if err != nil {
		return nil, nil, err
	}
	defer sinkFree(s2)
	if err := msErr(ms, C.raftc_memstorage_initial_state(s1, s2, ms)); err != nil {
		return nil, nil, err
	}
	return sinkItems(s1)[0], sinkItems(s2)[0], nil
}

// ---- node ----

type cNode = C.raftc_node
type cReady = C.raftc_ready

// nodeNew creates a node; on failure the error carries the library's text.
func nodeNew(c *cConfig) (*cNode, error) {
	var n *C.raftc_node
	var msg *C.char
	if rc := int(C.raftc_node_new(&n, &msg, c)); rc != 0 {
		text := ""
		if msg != nil {
			text = C.GoString(msg)
		}
		return nil, newError(rc, text)
	}
	return n, nil
}

func nodeFree(n *cNode) { C.raftc_node_free(n) }

// nodeErr turns a node call's code into an error with the node's last error text.
func nodeErr(n *cNode, rc C.int) error {
	if rc == 0 {
		return nil
	}
	return newError(int(rc), C.GoString(C.raftc_node_last_error(n)))
}

func nodeIsFailed(n *cNode) bool { return C.raftc_node_is_failed(n) != 0 }

func nodeLastError(n *cNode) string { return C.GoString(C.raftc_node_last_error(n)) }

func nodeBootstrap(n *cNode, ids []uint64, ctxs [][]byte) error {
	if len(ids) == 0 {
		return nodeErr(n, C.raftc_node_bootstrap(n, nil, nil, nil, 0))
	}
	for _, c := range ctxs {
		if len(c) > maxInput {
			return newError(codeTooLarge, "")
		}
	}
	ptrs, lens, pin := bufArray(ctxs)
	defer pin.Unpin()
	return nodeErr(n, C.raftc_node_bootstrap(n, u64Ptr(ids), &ptrs[0], &lens[0], C.size_t(len(ids))))
}

func nodeTick(n *cNode) error     { return nodeErr(n, C.raftc_node_tick(n)) }
func nodeCampaign(n *cNode) error { return nodeErr(n, C.raftc_node_campaign(n)) }
func nodeForget(n *cNode) error   { return nodeErr(n, C.raftc_node_forget_leader(n)) }

// nodeAdvance is raftc_node_advance, with raftc_node_has_ready right after it when it succeeded.
func nodeAdvance(n *cNode) (hasReady bool, err error) {
	r := C.raftcgo_node_advance(n)
	return r.has_ready != 0, nodeErr(n, r.rc)
}

func nodePropose(n *cNode, data []byte) error {
	if len(data) > maxInput {
		return newError(codeTooLarge, "")
	}
	return nodeErr(n, C.raftc_node_propose(n, bytesPtr(data), C.size_t(len(data))))
}

// proposePackedMax is the largest batch (payload bytes) nodeProposeList copies into one
// buffer; larger ones are pinned in place instead.
const proposePackedMax = 64 << 10

// proposeScratch is the reusable memory of nodeProposeList's packed path.
type proposeScratch struct {
	buf  []byte
	lens []C.size_t
}

// reset empties the scratch for a new batch.
func (s *proposeScratch) reset() { s.buf, s.lens = s.buf[:0], s.lens[:0] }

// add packs one more payload; false (nothing added) if the batch would exceed
// proposePackedMax.
func (s *proposeScratch) add(d []byte) bool {
	if len(d) > proposePackedMax-len(s.buf) {
		return false
	}
	s.buf = append(s.buf, d...)
	s.lens = append(s.lens, C.size_t(len(d)))
	return true
}

// nodeProposePacked proposes the payloads packed in s (at least one) as one MsgProp.
func nodeProposePacked(n *cNode, s *proposeScratch) error {
	return nodeErr(n, C.raftcgo_node_propose_packed(n, bytesPtr(s.buf), C.size_t(len(s.buf)),
		&s.lens[0], C.size_t(len(s.lens))))
}

// nodeProposeList proposes datas as one MsgProp (datas is not empty). Small batches are copied
// back to back into scratch (when non-nil; C then builds the pointer array itself, and no Go
// memory needs pinning); others are pinned for the call.
func nodeProposeList(n *cNode, datas [][]byte, scratch *proposeScratch) error {
	total := 0
	for _, d := range datas {
		if len(d) > maxInput {
			return newError(codeTooLarge, "")
		}
		total += len(d)
	}
	if scratch != nil && total <= proposePackedMax {
		scratch.reset()
		for _, d := range datas {
			scratch.add(d)
		}
		return nodeProposePacked(n, scratch)
	}
	ptrs, lens, pin := bufArray(datas)
	defer pin.Unpin()
	return nodeErr(n, C.raftc_node_propose_list(n, &ptrs[0], &lens[0], C.size_t(len(datas))))
}

func nodeProposeConfChange(n *cNode, kind int, cc []byte) error {
	if len(cc) > maxInput {
		return newError(codeTooLarge, "")
	}
	return nodeErr(n, C.raftc_node_propose_conf_change(n, C.raftc_cc_kind(kind), bytesPtr(cc), C.size_t(len(cc))))
}

// nodeApplyConfChange returns the resulting ConfState bytes.
func nodeApplyConfChange(n *cNode, kind int, cc []byte) ([]byte, error) {
	if len(cc) > maxInput {
		return nil, newError(codeTooLarge, "")
	}
	s, err := sinkNew()
	if err != nil {
		return nil, err
	}
	defer sinkFree(s)
	if err := nodeErr(n, C.raftc_node_apply_conf_change(s, n, C.raftc_cc_kind(kind), bytesPtr(cc), C.size_t(len(cc)))); err != nil {
		return nil, err
	}
	return sinkItems(s)[0], nil
}

func nodeStep(n *cNode, m []byte) error {
	if len(m) > maxInput {
		return newError(codeTooLarge, "")
	}
	return nodeErr(n, C.raftc_node_step(n, bytesPtr(m), C.size_t(len(m))))
}

func nodeHasReady(n *cNode) bool { return C.raftc_node_has_ready(n) != 0 }

func nodeReady(n *cNode) (*cReady, error) {
	var rd *C.raftc_ready
	if err := nodeErr(n, C.raftc_node_ready(&rd, n)); err != nil {
		return nil, err
	}
	return rd, nil
}

func nodeReadIndex(n *cNode, ctx []byte) error {
	if len(ctx) > maxInput {
		return newError(codeTooLarge, "")
	}
	return nodeErr(n, C.raftc_node_read_index(n, bytesPtr(ctx), C.size_t(len(ctx))))
}

func nodeTransferLeader(n *cNode, id uint64) error {
	return nodeErr(n, C.raftc_node_transfer_leader(n, C.uint64_t(id)))
}

func nodeReportUnreachable(n *cNode, id uint64) error {
	return nodeErr(n, C.raftc_node_report_unreachable(n, C.uint64_t(id)))
}

func nodeReportSnapshot(n *cNode, id uint64, status int) error {
	return nodeErr(n, C.raftc_node_report_snapshot(n, C.uint64_t(id), C.raftc_snapshot_status(status)))
}

func nodeSetRandomizedElectionTimeout(n *cNode, t int) error {
	v := uint64(0) // t <= 0 is refused with RAFTC_EINVAL
	if t > 0 {
		v = uint64(t)
	}
	return nodeErr(n, C.raftc_testing_control(n, C.RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT,
		C.uint64_t(v)))
}

// statusInfo holds the fields of raftc_node_status_info.
type statusInfo struct {
	id, term, vote, commit, lead, state, applied, transferee uint64
	isVoter, isLearner                                       bool
	refused                                                  uint64 // RAFTC_ST_REFUSED
}

func nodeStatusInfo(n *cNode) statusInfo {
	var v [C.RAFTC_ST_COUNT]C.uint64_t
	C.raftc_node_status_info(&v[0], C.RAFTC_ST_COUNT, n)
	return statusInfo{
		id: uint64(v[C.RAFTC_ST_ID]), term: uint64(v[C.RAFTC_ST_TERM]),
		vote: uint64(v[C.RAFTC_ST_VOTE]), commit: uint64(v[C.RAFTC_ST_COMMIT]),
		lead: uint64(v[C.RAFTC_ST_LEAD]), state: uint64(v[C.RAFTC_ST_RAFT_STATE]),
		applied: uint64(v[C.RAFTC_ST_APPLIED]), transferee: uint64(v[C.RAFTC_ST_LEAD_TRANSFEREE]),
		isVoter: v[C.RAFTC_ST_IS_VOTER] != 0, isLearner: v[C.RAFTC_ST_IS_LEARNER] != 0,
		refused: uint64(v[C.RAFTC_ST_REFUSED]),
	}
}

func nodeConfState(n *cNode) ([]byte, error) {
	s, err := sinkNew()
	if err != nil {
		return nil, err
	}
	defer sinkFree(s)
	if rc := C.raftc_node_conf_state(s, n); rc != 0 {
		return nil, newError(int(rc), "")
	}
	return sinkItems(s)[0], nil
}

func nodeStatusProgressText(n *cNode) string {
	var p *C.char
	C.raftc_node_status_progress(&p, n)
	return takeString(p)
}

// progressInfo holds the fields of raftc_node_progress_info.
type progressInfo struct {
	match, next, state, pendingSnapshot, inflight uint64
	recentActive, paused, isLearner               bool
}

func nodeProgress(n *cNode) map[uint64]progressInfo {
	var cnt C.size_t
	C.raftc_node_progress_ids(nil, 0, &cnt, n)
	if cnt == 0 {
		return nil
	}
	ids := make([]uint64, int(cnt))
	C.raftc_node_progress_ids(u64Ptr(ids), cnt, &cnt, n)
	out := make(map[uint64]progressInfo, len(ids))
	for _, id := range ids {
		var v [C.RAFTC_PR_COUNT]C.uint64_t
		if C.raftc_node_progress_info(&v[0], C.RAFTC_PR_COUNT, n, C.uint64_t(id)) != 0 {
			continue
		}
		out[id] = progressInfo{
			match: uint64(v[C.RAFTC_PR_MATCH]), next: uint64(v[C.RAFTC_PR_NEXT]),
			state: uint64(v[C.RAFTC_PR_STATE]), pendingSnapshot: uint64(v[C.RAFTC_PR_PENDING_SNAPSHOT]),
			inflight: uint64(v[C.RAFTC_PR_INFLIGHT]), recentActive: v[C.RAFTC_PR_RECENT_ACTIVE] != 0,
			paused: v[C.RAFTC_PR_PAUSED] != 0, isLearner: v[C.RAFTC_PR_IS_LEARNER] != 0,
		}
	}
	return out
}

// ---- Ready views ----

// readyInfo holds the scalars of raftc_ready_info.
type readyInfo struct {
	hasSoft, hasHard, hasSnap, mustSync bool
	lead, state, term, vote, commit     uint64
	nEnts, nCommitted, nMsgs, nReads    int
}

func readyGetInfo(rd *cReady) readyInfo {
	var v [C.RAFTC_RD_COUNT]C.uint64_t
	C.raftc_ready_info(&v[0], C.RAFTC_RD_COUNT, rd)
	return readyInfo{
		hasSoft: v[C.RAFTC_RD_HAS_SOFT_STATE] != 0, hasHard: v[C.RAFTC_RD_HAS_HARD_STATE] != 0,
		hasSnap: v[C.RAFTC_RD_HAS_SNAPSHOT] != 0, mustSync: v[C.RAFTC_RD_MUST_SYNC] != 0,
		lead: uint64(v[C.RAFTC_RD_LEAD]), state: uint64(v[C.RAFTC_RD_RAFT_STATE]),
		term: uint64(v[C.RAFTC_RD_TERM]), vote: uint64(v[C.RAFTC_RD_VOTE]),
		commit: uint64(v[C.RAFTC_RD_COMMIT]), nEnts: int(v[C.RAFTC_RD_N_ENTRIES]),
		nCommitted: int(v[C.RAFTC_RD_N_COMMITTED_ENTRIES]), nMsgs: int(v[C.RAFTC_RD_N_MESSAGES]),
		nReads: int(v[C.RAFTC_RD_N_READ_STATES]),
	}
}

// readyEntry returns the fields of the i-th entry to persist (committed: of the i-th committed
// entry); data is copied.
func readyEntry(rd *cReady, i int, committed bool) (term, index uint64, typ int32, data []byte) {
	var t, x C.uint64_t
	var ty C.raftc_entry_type
	var p *C.uint8_t
	var n C.size_t
	if committed {
		C.raftc_ready_committed_entry_info(&t, &x, &ty, &p, &n, rd, C.size_t(i))
	} else {
		C.raftc_ready_entry_info(&t, &x, &ty, &p, &n, rd, C.size_t(i))
	}
	return uint64(t), uint64(x), int32(ty), goBytes(p, n)
}

// readyMessage copies the i-th message's raftpb bytes.
func readyMessage(rd *cReady, i int) []byte {
	var p *C.uint8_t
	var n C.size_t
	C.raftc_ready_message(&p, &n, rd, C.size_t(i))
	return goBytes(p, n)
}

func readySnapshot(rd *cReady) []byte {
	var p *C.uint8_t
	var n C.size_t
	C.raftc_ready_snapshot(&p, &n, rd)
	return goBytes(p, n)
}

func readyReadState(rd *cReady, i int) (uint64, []byte) {
	var idx C.uint64_t
	var p *C.uint8_t
	var n C.size_t
	C.raftc_ready_read_state(&idx, &p, &n, rd, C.size_t(i))
	return uint64(idx), goBytes(p, n)
}

// readyAppendTo is raftc_memstorage_append_ready: the Ready's entries into ms without a
// round trip through Go.
func readyAppendTo(ms *cMemStorage, rd *cReady) error {
	return msErr(ms, C.raftc_memstorage_append_ready(ms, rd))
}

func cInt(v int) C.int { return C.int(v) }

// readyFields is the C memory a RawNode's Readys are read through (raftcgo_ready_fields).
type readyFields = C.raftcgo_ready_fields

func readyFieldsNew() *readyFields {
	return (*readyFields)(C.calloc(1, C.size_t(unsafe.Sizeof(readyFields{}))))
}

func readyFieldsFree(f *readyFields) { C.raftcgo_ready_fields_free(f) }

// readyFieldsTrim frees f's arrays when they hold more than maxWords numbers (the test is
// made here: a cgo call per Ready would cost more than the pool saves).
func readyFieldsTrim(f *readyFields, maxWords int) {
	if f.capw > C.size_t(maxWords) {
		C.raftcgo_ready_fields_trim(f, C.size_t(maxWords))
	}
}

// nodeReadyFields is raftc_node_ready with the Ready laid out in f (raftcgo.h): the view, the
// numbers and the pointers (views of C memory, valid as the Ready view). w is empty when the
// layout could not be made (memory): the accessors still reach the view.
func nodeReadyFields(n *cNode, f *readyFields) (*cReady, fieldReader, error) {
	if err := nodeErr(n, C.raftcgo_node_ready_fields(n, f)); err != nil {
		return nil, fieldReader{}, err
	}
	if f.nw == 0 {
		return f.rd, fieldReader{}, nil
	}
	r := fieldReader{w: unsafe.Slice((*uint64)(unsafe.Pointer(f.w)), int(f.nw))}
	if f.np > 0 {
		r.p = unsafe.Slice((**C.uint8_t)(unsafe.Pointer(f.p)), int(f.np))
	}
	return f.rd, r, nil
}

// fieldReader reads the numbers and pointers of nodeReadyFields in order.
type fieldReader struct {
	w      []uint64
	p      []*C.uint8_t
	wi, pi int
}

// num returns the next number (false when there is none).
func (r *fieldReader) num() (uint64, bool) {
	if r.wi >= len(r.w) {
		return 0, false
	}
	r.wi++
	return r.w[r.wi-1], true
}

// view returns the next pointer as a view of n bytes of C memory (false when there is none).
func (r *fieldReader) view(n uint64) ([]byte, bool) {
	if r.pi >= len(r.p) || n > maxInput*4 {
		return nil, false
	}
	r.pi++
	return cBytes(r.p[r.pi-1], n), true
}

// cBytes is a view of n bytes of C memory at p (nil when empty).
func cBytes(p *C.uint8_t, n uint64) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
}

// Indexes of raftc_ready_info's fields (the first words of a Ready's layout).
const (
	rdHasSoft     = C.RAFTC_RD_HAS_SOFT_STATE
	rdLead        = C.RAFTC_RD_LEAD
	rdRaftState   = C.RAFTC_RD_RAFT_STATE
	rdHasHard     = C.RAFTC_RD_HAS_HARD_STATE
	rdTerm        = C.RAFTC_RD_TERM
	rdVote        = C.RAFTC_RD_VOTE
	rdCommit      = C.RAFTC_RD_COMMIT
	rdNEntries    = C.RAFTC_RD_N_ENTRIES
	rdHasSnap     = C.RAFTC_RD_HAS_SNAPSHOT
	rdNCommitted  = C.RAFTC_RD_N_COMMITTED_ENTRIES
	rdNMessages   = C.RAFTC_RD_N_MESSAGES
	rdNReadStates = C.RAFTC_RD_N_READ_STATES
	rdMustSync    = C.RAFTC_RD_MUST_SYNC
	rdCount       = C.RAFTC_RD_COUNT
)
