// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// rawnode.go: RawNode, etcd's RawNode over raftc_node, with etcd's method set and signatures.
// Where etcd panics (a broken invariant, a failing storage), raftc fails the node instead:
// the call returns an error wrapping ErrFailed where the etcd method returns an error, Err()
// reports it for the methods that return none, and the Go program never panics.

package raftc

import (
	"errors"
	"log"
	"os"
	"runtime"
	"runtime/cgo"
	"sync"

	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/quorum"
	pb "go.etcd.io/raft/v3/raftpb"
	"go.etcd.io/raft/v3/tracker"
)

var (
	loggerMu      sync.Mutex
	defaultLogger        = &DefaultLogger{Logger: log.New(os.Stderr, "raft", log.LstdFlags)}
	packageLogger Logger = defaultLogger
)

// SetLogger sets the logger of nodes whose Config has no Logger (etcd's raft.SetLogger).
func SetLogger(l Logger) {
	loggerMu.Lock()
	packageLogger = l
	loggerMu.Unlock()
}

// ResetDefaultLogger restores the default logger (stderr, as etcd's).
func ResetDefaultLogger() { SetLogger(defaultLogger) }

func getLogger() Logger {
	loggerMu.Lock()
	defer loggerMu.Unlock()
	return packageLogger
}

// ProgressType tells peers from learners in WithProgress (etcd's type).
type ProgressType = raft.ProgressType

const (
	ProgressTypePeer    = raft.ProgressTypePeer
	ProgressTypeLearner = raft.ProgressTypeLearner
)

// RawNode is etcd's RawNode: a thread-unsafe raft node driven by Tick/Step/Propose and
// Ready/Advance. It needs no Close: the C node is freed when the RawNode is garbage.
type RawNode struct {
	n           *cNode
	ms          *MemoryStorage  // the built-in storage, locked around every call; or nil
	sa          *storageAdapter // a Go Storage; or nil
	res         *nodeResources
	inflight    uint64 // MaxInflightMsgs / Bytes, for Status' progress
	inBytes     uint64
	asyncWrites bool
	failure     error
	src         readySources // Go memory the Ready's entries share instead of a copy
	stepBuf     []byte       // Step's encoding buffer, reused (up to stepBufMax)
	id          uint64       // Config.ID
	readyHint   readyHint    // HasReady as Advance left it (see HasReady)
	readyGen    uint64       // the storage's write generation then
	propose     proposeScratch
	datas       [][]byte // Step's proposal payloads, reused
}

// nodeResources is what the cleanup frees; it never refers back to the RawNode.
type nodeResources struct {
	n       *cNode
	logger  *loggerHandle // shared with the other nodes on the same Logger
	storage cgo.Handle    // a Go Storage's handle, or 0
}

func (r *nodeResources) free() {
	if r.n != nil {
		nodeFree(r.n)
	}
	if r.logger != nil {
		r.logger.release()
	}
	if r.storage != 0 {
		r.storage.Delete()
	}
}

// NewRawNode creates a RawNode from config (etcd's NewRawNode): the same validation and
// error texts, the storage's InitialState restored.
func NewRawNode(config *Config) (*RawNode, error) {
	if config == nil {
		return nil, newError(codeInvalid, "raftc: nil config")
	}
	c, err := configNew()
	if err != nil {
		return nil, err
	}
	defer configFree(c)
	nonNeg := func(v int) uint64 {
		if v < 0 {
			return 0
		}
		return uint64(v)
	}
	for _, o := range []struct {
		opt int
		v   uint64
	}{
		{optID, config.ID}, {optElectionTick, nonNeg(config.ElectionTick)},
		{optHeartbeatTick, nonNeg(config.HeartbeatTick)}, {optApplied, config.Applied},
		{optMaxSizePerMsg, config.MaxSizePerMsg},
		{optMaxCommittedSizePerReady, config.MaxCommittedSizePerReady},
		{optMaxUncommittedEntriesSize, config.MaxUncommittedEntriesSize},
		{optMaxInflightMsgs, nonNeg(config.MaxInflightMsgs)},
		{optMaxInflightBytes, config.MaxInflightBytes},
		{optReadOnlyOption, uint64(config.ReadOnlyOption)},
	} {
		if rc := configSetU64(c, cInt(o.opt), o.v); rc != 0 {
			return nil, newError(rc, "raftc: config value out of range")
		}
	}
	for _, o := range []struct {
		opt int
		v   bool
	}{
		{optCheckQuorum, config.CheckQuorum}, {optPreVote, config.PreVote},
		{optDisableProposalForwarding, config.DisableProposalForwarding},
		{optDisableConfChangeValidation, config.DisableConfChangeValidation},
		{optStepDownOnRemoval, config.StepDownOnRemoval},
		{optAsyncStorageWrites, config.AsyncStorageWrites},
	} {
		if rc := configSetBool(c, cInt(o.opt), o.v); rc != 0 {
			return nil, newError(rc, "")
		}
	}
	rn := &RawNode{res: &nodeResources{}, id: config.ID, inflight: nonNeg(config.MaxInflightMsgs),
		inBytes: config.MaxInflightBytes, asyncWrites: config.AsyncStorageWrites}
	lg := config.Logger
	if lg == nil {
		lg = getLogger()
	}
	rn.res.logger = acquireLoggerHandle(lg)
	if rc := configSetGoLogger(c, rn.res.logger.h); rc != 0 {
		rn.res.free()
		return nil, newError(rc, "")
	}
	switch st := config.Storage.(type) {
	case nil:
		rn.res.free()
		return nil, newError(codeConfig, "storage cannot be nil")
	case *MemoryStorage:
		rn.ms = st
		configSetMemStorage(c, st.ms)
	case *DiskStorage:
		// The node reads the in-memory copy under the storage's lock (closed: lock refuses).
		rn.ms = &st.mem
		st.mem.mu.Lock()
		if st.ds != nil {
			configSetDiskStorage(c, st.ds)
		}
		st.mem.mu.Unlock()
	default:
		rn.sa = &storageAdapter{st: st}
		rn.res.storage = cgo.NewHandle(rn.sa)
		configSetGoStorage(c, rn.res.storage)
	}
	var n *cNode
	err = rn.lock()
	if err == nil {
		n, err = nodeNew(c)
	}
	rn.unlock()
	if err != nil {
		err = rn.withStorageFailure(err)
		rn.res.free()
		return nil, err
	}
	rn.n = n
	rn.res.n = n
	runtime.AddCleanup(rn, (*nodeResources).free, rn.res)
	return rn, nil
}

// readyHint is what HasReady would say, known without a cgo call.
type readyHint int8

const (
	hintUnknown readyHint = iota
	hintReady
	hintNotReady
)

// lock locks the built-in storage the node reads, if any (its calls into C hold the storage's
// lock); an ErrState error once that storage (a DiskStorage) was closed. The caller unlocks
// either way. Any call on the node may change what HasReady says: lock forgets the hint.
func (rn *RawNode) lock() error {
	rn.readyHint = hintUnknown
	if rn.ms != nil {
		rn.ms.mu.Lock()
		if rn.ms.ms == nil {
			return errClosedStorage()
		}
	}
	return nil
}

func (rn *RawNode) unlock() {
	if rn.ms != nil {
		rn.ms.mu.Unlock()
	}
	runtime.KeepAlive(rn)
}

// withStorageFailure adds the Go storage's own failure text to an error.
func (rn *RawNode) withStorageFailure(err error) error {
	if err == nil || rn.sa == nil {
		return err
	}
	if f := rn.sa.takeFailure(); f != "" {
		var e *Error
		if errors.As(err, &e) {
			return &Error{Code: e.Code, Msg: e.Msg + " (" + f + ")", sentinel: e.sentinel}
		}
	}
	return err
}

// note records the error that failed the node (the first one) and returns err.
func (rn *RawNode) note(err error) error {
	err = rn.withStorageFailure(err)
	if err != nil && rn.failure == nil && nodeIsFailed(rn.n) {
		rn.failure = err
	}
	return err
}

// Err returns the error that failed the node (where etcd would have panicked), or nil. A failed
// node refuses every input with an error wrapping ErrFailed; its Ready is empty.
func (rn *RawNode) Err() error { return rn.failure }

// Tick advances the internal logical clock by a single tick.
func (rn *RawNode) Tick() {
	defer rn.unlock()
	if rn.lock() != nil {
		return
	}
	_ = rn.note(nodeTick(rn.n))
}

// Campaign causes this RawNode to transition to candidate state.
func (rn *RawNode) Campaign() error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeCampaign(rn.n))
}

// Propose proposes data be appended to the raft log. As etcd's, the log keeps data: the
// caller must not change it afterwards (the Ready's entry may be that same slice).
func (rn *RawNode) Propose(data []byte) error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	err := rn.note(nodePropose(rn.n, data))
	if err == nil {
		rn.src.proposed.add(data)
	}
	return err
}

// ProposeList proposes datas as one batch: etcd's Step of one MsgProp carrying an entry per
// payload (appended or dropped together, in order), without building the message. An empty
// list is refused with an error matching ErrInvalid (etcd panics on an empty MsgProp).
func (rn *RawNode) ProposeList(datas [][]byte) error {
	if len(datas) == 0 {
		return newError(codeInvalid, "ProposeList needs at least one payload")
	}
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.proposeList(datas)
}

// proposeList proposes datas (not empty) as one MsgProp from this node, the storage locked.
func (rn *RawNode) proposeList(datas [][]byte) error {
	err := rn.note(nodeProposeList(rn.n, datas, &rn.propose))
	if err == nil {
		for _, d := range datas {
			rn.src.proposed.add(d)
		}
	}
	if cap(rn.propose.buf) > stepBufMax {
		rn.propose = proposeScratch{}
	}
	return err
}

// ProposeConfChange proposes a config change (a *pb.ConfChange or *pb.ConfChangeV2).
func (rn *RawNode) ProposeConfChange(cc pb.ConfChangeI) error {
	kind, data, err := confChangeBytes(cc)
	if err != nil {
		return err
	}
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeProposeConfChange(rn.n, kind, data))
}

// ApplyConfChange applies a config change to the local node and returns the new ConfState.
// It returns nil if the change breaks the config's invariants (etcd panics): Err() then
// reports why.
func (rn *RawNode) ApplyConfChange(cc pb.ConfChangeI) *pb.ConfState {
	cs, _ := rn.ApplyConfChangeErr(cc)
	return cs
}

// ApplyConfChangeErr is ApplyConfChange with the error (raftc's addition).
func (rn *RawNode) ApplyConfChangeErr(cc pb.ConfChangeI) (*pb.ConfState, error) {
	kind, data, err := confChangeBytes(cc)
	if err != nil {
		return nil, err
	}
	var b []byte
	err = rn.lock()
	if err == nil {
		b, err = nodeApplyConfChange(rn.n, kind, data)
		err = rn.note(err)
	}
	rn.unlock()
	if err != nil {
		return nil, err
	}
	return decodeConfState(b)
}

// Step advances the state machine using the given message. As etcd's, the log may keep the
// Data of m's entries: the caller must not change them afterwards.
func (rn *RawNode) Step(m *pb.Message) error {
	if m == nil {
		return newError(codeInvalid, "cannot step with nil message")
	}
	if ok, err := rn.stepPackedProposal(m); ok {
		return err
	}
	if datas := rn.localProposal(m); datas != nil {
		defer rn.unlock()
		defer clear(datas) // keep no reference to the caller's payloads
		if err := rn.lock(); err != nil {
			return err
		}
		return rn.proposeList(datas)
	}
	b, err := marshalAppend(rn.stepBuf[:0], m)
	if err != nil {
		return err
	}
	err = rn.StepBytes(b)
	if cap(b) <= stepBufMax {
		rn.stepBuf = b // C kept nothing of it: the next Step encodes into it again
	}
	if err == nil {
		rn.src.given.addStepped(m)
	}
	return err
}

// stepPackedProposal is Step of a local proposal (see localProposal) whose payloads fit one
// packed batch: they are checked and copied into the node's scratch in one pass, with no list
// of the caller's slices built. false (nothing done) for any other message.
func (rn *RawNode) stepPackedProposal(m *pb.Message) (bool, error) {
	if !rn.localProposalHeader(m) {
		return false, nil
	}
	s := &rn.propose
	s.reset()
	for _, e := range m.Entries {
		if !localEntry(e) || !s.add(e.Data) {
			return false, nil
		}
	}
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return true, err
	}
	err := rn.note(nodeProposePacked(rn.n, s))
	if err == nil {
		for _, e := range m.Entries {
			rn.src.proposed.add(e.Data)
		}
	}
	return true, err
}

// localProposalHeader reports whether m, but for its entries, is a proposal this node makes
// itself, as Propose builds it (see localProposal).
func (rn *RawNode) localProposalHeader(m *pb.Message) bool {
	return m.GetType() == pb.MsgProp && len(m.Entries) > 0 && m.GetFrom() == rn.id &&
		(m.GetTo() == 0 || m.GetTo() == rn.id) && m.GetTerm() == 0 && m.GetLogTerm() == 0 &&
		m.GetIndex() == 0 && m.GetCommit() == 0 && m.GetVote() == 0 && !m.GetReject() &&
		m.GetRejectHint() == 0 && m.Snapshot == nil && len(m.Context) == 0 && len(m.Responses) == 0
}

// localEntry reports whether e is an entry as Propose builds it: only Data set, EntryNormal.
func localEntry(e *pb.Entry) bool {
	return e != nil && e.GetType() == pb.EntryNormal && e.GetTerm() == 0 && e.GetIndex() == 0
}

// localProposal returns the payloads of m if m is a proposal this node makes itself, as
// Propose builds it: MsgProp from this node, addressed to it or to no one, with at least one
// entry, and nothing but the entries' Data set (the entries' types EntryNormal). Stepping such
// a message is proposing its payloads as one batch (raftc_node_propose_list: the same
// MsgProp), without encoding it. nil for any other message (Step encodes it).
func (rn *RawNode) localProposal(m *pb.Message) [][]byte {
	if !rn.localProposalHeader(m) {
		return nil
	}
	datas := rn.datas[:0]
	for _, e := range m.Entries {
		if !localEntry(e) {
			return nil
		}
		datas = append(datas, e.Data)
	}
	rn.datas = datas
	return datas
}

// StepBytes steps a message given as raftpb bytes, as received from the network (raftc's
// addition: no decoding in Go).
func (rn *RawNode) StepBytes(m []byte) error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeStep(rn.n, m))
}

// StepBytesOwned is StepBytes for bytes the caller gives up (raftc's addition): the entries of
// a MsgApp in b may become later Readys' entries with their Data as sub-slices of b, instead of
// copies out of C. b must not be changed or reused after the call.
func (rn *RawNode) StepBytesOwned(b []byte) error {
	err := rn.StepBytes(b)
	if err == nil {
		rn.src.given.addMessage(b)
	}
	return err
}

// HasReady reports whether a Ready with something to do is available.
//
// Right after Advance the answer is known (Advance asks in the same cgo call) as long as
// nothing has happened since: no call on the node, and no write to its storage (a plain
// MemoryStorage, whose writes are all its own methods).
func (rn *RawNode) HasReady() bool {
	defer rn.unlock()
	hint := rn.readyHint
	if rn.lock() != nil {
		return false
	}
	if hint != hintUnknown && rn.ms.idx.gen == rn.readyGen {
		rn.readyHint = hint // still true: HasReady changes nothing
		return hint == hintReady
	}
	ok := nodeHasReady(rn.n)
	if !ok && rn.failure == nil && nodeIsFailed(rn.n) {
		rn.failure = rn.withStorageFailure(newError(codeFailed, nodeLastError(rn.n)))
	}
	return ok
}

// Ready returns the outstanding work to be done by the application (and accepts it). It is
// empty when the node has failed (Err tells why) or a Ready is still waiting for Advance.
func (rn *RawNode) Ready() Ready {
	rd, _ := rn.ReadyErr()
	return rd
}

// ReadyErr is Ready with the error (raftc's addition).
func (rn *RawNode) ReadyErr() (Ready, error) {
	rd, _, err := rn.ready(false)
	return rd, err
}

// ReadyBytes is ReadyErr with the messages as raftpb bytes, as they go on the wire, instead of
// decoded values (raftc's addition): rd.Messages is nil and msgs holds each message's
// destination, type and bytes, in the Ready's order. A host that sends messages over a network
// skips decoding them into Go and marshalling them again; the receiver steps them with
// StepBytes (or decodes them: they are etcd's wire format).
func (rn *RawNode) ReadyBytes() (rd Ready, msgs []MessageBytes, err error) {
	return rn.ready(true)
}

func (rn *RawNode) ready(raw bool) (Ready, []MessageBytes, error) {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return Ready{}, nil, err
	}
	if rn.ms != nil {
		rn.ms.pending = pendingReady{}
	}
	var crd *cReady
	var fr fieldReader
	var err error
	loan := borrowFields()
	defer returnFields(loan) // the layout is read by then: nothing refers to its arrays
	if loan != nil {
		crd, fr, err = nodeReadyFields(rn.n, loan.f)
	} else {
		crd, err = nodeReady(rn.n)
	}
	if err != nil {
		return Ready{}, nil, rn.note(err)
	}
	var rd Ready
	var msgs []MessageBytes
	if fr.w != nil {
		rd, msgs, err = buildReadyFields(&fr, raw, &rn.src)
	} else { // no layout (memory): the accessors still reach the accepted Ready
		rd, err = buildReady(crd)
		if err == nil && raw {
			msgs, err = messagesBytes(rd.Messages)
			rd.Messages = nil
		}
	}
	if err != nil {
		return Ready{}, nil, err
	}
	if rn.ms != nil && (len(rd.Entries) > 0 || rn.ms.disk) {
		// MemoryStorage.Append of exactly these entries (DiskStorage.SaveReady of exactly this
		// Ready) takes them from the view (no encoding).
		p := pendingReady{crd: crd, n: len(rd.Entries), hs: rd.HardState, snap: rd.Snapshot}
		if p.n > 0 {
			p.first = rd.Entries[0]
		}
		rn.ms.pending = p
	}
	return rd, msgs, nil
}

// messagesBytes marshals decoded messages into MessageBytes.
func messagesBytes(ms []*pb.Message) ([]MessageBytes, error) {
	out := make([]MessageBytes, len(ms))
	for i, m := range ms {
		b, err := marshal(m)
		if err != nil {
			return nil, err
		}
		out[i] = MessageBytes{To: m.GetTo(), Type: m.GetType(), Data: b}
	}
	return out, nil
}

// buildReady copies a Ready view into etcd's Ready.
func buildReady(crd *cReady) (Ready, error) {
	info := readyGetInfo(crd)
	var rd Ready
	if info.hasSoft {
		rd.SoftState = &SoftState{Lead: info.lead, RaftState: StateType(info.state)}
	}
	if info.hasHard {
		rd.HardState = newHardState(info.term, info.vote, info.commit)
	}
	if info.nReads > 0 {
		rd.ReadStates = make([]ReadState, info.nReads)
		for i := range rd.ReadStates {
			idx, ctx := readyReadState(crd, i)
			rd.ReadStates[i] = ReadState{Index: idx, RequestCtx: ctx}
		}
	}
	rd.Entries = readyEntries(crd, info.nEnts, false)
	rd.CommittedEntries = readyEntries(crd, info.nCommitted, true)
	if info.hasSnap {
		s, err := decodeSnapshot(readySnapshot(crd))
		if err != nil {
			return Ready{}, err
		}
		rd.Snapshot = s
	}
	if info.nMsgs > 0 {
		rd.Messages = make([]*pb.Message, info.nMsgs)
		for i := range rd.Messages {
			m := &pb.Message{}
			if err := unmarshal(readyMessage(crd, i), m); err != nil {
				return Ready{}, err
			}
			rd.Messages[i] = m
		}
	}
	rd.MustSync = info.mustSync
	return rd, nil
}

func readyEntries(crd *cReady, n int, committed bool) []*pb.Entry {
	if n == 0 {
		return nil
	}
	ents := make([]*pb.Entry, n)
	for i := range ents {
		term, index, typ, data := readyEntry(crd, i, committed)
		t := pb.EntryType(typ)
		ents[i] = &pb.Entry{Term: u64(term), Index: u64(index), Type: &t, Data: data}
	}
	return ents
}

func u64(v uint64) *uint64 { return &v }

// hardStateBox is a HardState with the values its fields point to (one allocation).
type hardStateBox struct {
	hs                 pb.HardState
	term, vote, commit uint64
}

// newHardState returns a HardState with these fields, in one allocation.
func newHardState(term, vote, commit uint64) *pb.HardState {
	b := &hardStateBox{term: term, vote: vote, commit: commit}
	b.hs.Term, b.hs.Vote, b.hs.Commit = &b.term, &b.vote, &b.commit
	return &b.hs
}

// Advance notifies the RawNode that the application has applied and saved progress in the
// last Ready results (sync mode only). Refusals (no Ready taken, async storage writes) and
// failures are reported by Err / AdvanceErr.
func (rn *RawNode) Advance(_ Ready) { _ = rn.AdvanceErr() }

// AdvanceErr is Advance with the error (raftc's addition).
func (rn *RawNode) AdvanceErr() error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	if rn.ms != nil {
		rn.ms.pending = pendingReady{}
	}
	has, err := nodeAdvance(rn.n)
	if err == nil && rn.ms != nil && !rn.ms.disk {
		rn.readyHint, rn.readyGen = hintNotReady, rn.ms.idx.gen
		if has {
			rn.readyHint = hintReady
		}
	}
	return rn.note(err)
}

// Bootstrap initializes the RawNode for first use with the given peers (empty storage only).
func (rn *RawNode) Bootstrap(peers []Peer) error {
	ids := make([]uint64, len(peers))
	ctxs := make([][]byte, len(peers))
	for i, p := range peers {
		ids[i], ctxs[i] = p.ID, p.Context
	}
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeBootstrap(rn.n, ids, ctxs))
}

// BasicStatus returns a BasicStatus.
func (rn *RawNode) BasicStatus() BasicStatus {
	var si statusInfo
	if rn.lock() == nil {
		si = nodeStatusInfo(rn.n)
	}
	rn.unlock()
	return BasicStatus{
		ID:             si.id,
		HardState:      newHardState(si.term, si.vote, si.commit),
		SoftState:      SoftState{Lead: si.lead, RaftState: StateType(si.state)},
		Applied:        si.applied,
		LeadTransferee: si.transferee,
	}
}

// Refused is the number of messages Step refused since the node was created because no correct
// peer can send them (errors wrapping ErrRefused, and etcd's ErrStepLocalMsg): a forged or
// corrupted message, refused with the node unchanged and healthy (raftc's addition; pyraftc's
// BasicStatus.refused, RAFTC_ST_REFUSED). etcd panics on, or accepts, many of them.
func (rn *RawNode) Refused() uint64 {
	var si statusInfo
	if rn.lock() == nil {
		si = nodeStatusInfo(rn.n)
	}
	rn.unlock()
	return si.refused
}

// Status returns the current status of the given group: the BasicStatus, the configuration
// and, on the leader, the progress of every peer.
func (rn *RawNode) Status() Status {
	s := Status{BasicStatus: rn.BasicStatus()}
	var csb []byte
	var prs map[uint64]progressInfo
	err := rn.lock()
	if err == nil {
		csb, err = nodeConfState(rn.n)
		if s.RaftState == StateLeader {
			prs = nodeProgress(rn.n)
		}
	}
	rn.unlock()
	if err == nil {
		if cs, err := decodeConfState(csb); err == nil {
			s.Config = trackerConfig(cs)
		}
	}
	if prs != nil {
		s.Progress = make(map[uint64]tracker.Progress, len(prs))
		for id, p := range prs {
			s.Progress[id] = rn.trackerProgress(p)
		}
	}
	return s
}

// WithProgress calls visitor for every peer's progress (the leader's view; a follower tracks
// none in raftc).
func (rn *RawNode) WithProgress(visitor func(id uint64, typ ProgressType, pr tracker.Progress)) {
	var prs map[uint64]progressInfo
	if rn.lock() == nil {
		prs = nodeProgress(rn.n)
	}
	rn.unlock()
	for _, id := range sortedKeys(prs) {
		p := prs[id]
		typ := ProgressTypePeer
		if p.isLearner {
			typ = ProgressTypeLearner
		}
		pr := rn.trackerProgress(p)
		pr.Inflights = nil
		visitor(id, typ, pr)
	}
}

func (rn *RawNode) trackerProgress(p progressInfo) tracker.Progress {
	size := int(rn.inflight) // etcd's Inflights allocate lazily: any size is cheap
	in := tracker.NewInflights(size, rn.inBytes)
	// raftc reports the number of messages in flight, not their indexes: the copy holds that
	// many placeholders after Match, so Count() and String() agree with the node.
	for i := uint64(0); i < p.inflight && int(i) < size; i++ {
		in.Add(p.match+1+i, 0)
	}
	return tracker.Progress{
		Match: p.match, Next: p.next, State: tracker.StateType(p.state),
		PendingSnapshot: p.pendingSnapshot, RecentActive: p.recentActive,
		MsgAppFlowPaused: p.paused, Inflights: in, IsLearner: p.isLearner,
	}
}

func trackerConfig(cs *pb.ConfState) tracker.Config {
	set := func(ids []uint64) map[uint64]struct{} {
		if len(ids) == 0 {
			return nil
		}
		m := make(map[uint64]struct{}, len(ids))
		for _, id := range ids {
			m[id] = struct{}{}
		}
		return m
	}
	cfg := tracker.Config{
		AutoLeave: cs.GetAutoLeave(), Learners: set(cs.GetLearners()), LearnersNext: set(cs.GetLearnersNext()),
	}
	cfg.Voters[0] = quorum.MajorityConfig(set(cs.GetVoters()))
	if cfg.Voters[0] == nil {
		cfg.Voters[0] = quorum.MajorityConfig{}
	}
	if out := set(cs.GetVotersOutgoing()); out != nil {
		cfg.Voters[1] = quorum.MajorityConfig(out)
	}
	return cfg
}

// ReportUnreachable reports the given node is not reachable for the last send.
func (rn *RawNode) ReportUnreachable(id uint64) {
	defer rn.unlock()
	if rn.lock() != nil {
		return
	}
	_ = rn.note(nodeReportUnreachable(rn.n, id))
}

// ReportSnapshot reports the status of the sent snapshot.
func (rn *RawNode) ReportSnapshot(id uint64, status SnapshotStatus) {
	defer rn.unlock()
	if rn.lock() != nil {
		return
	}
	_ = rn.note(nodeReportSnapshot(rn.n, id, int(status)))
}

// TransferLeader tries to transfer leadership to the given transferee.
func (rn *RawNode) TransferLeader(transferee uint64) {
	defer rn.unlock()
	if rn.lock() != nil {
		return
	}
	_ = rn.note(nodeTransferLeader(rn.n, transferee))
}

// ForgetLeader forgets a follower's current leader, changing it to None.
func (rn *RawNode) ForgetLeader() error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeForget(rn.n))
}

// ReadIndex requests a read state; it will be ready in a later Ready's ReadStates.
func (rn *RawNode) ReadIndex(rctx []byte) {
	defer rn.unlock()
	if rn.lock() != nil {
		return
	}
	_ = rn.note(nodeReadIndex(rn.n, rctx))
}

// SetRandomizedElectionTimeout pins the current randomized election timeout (a test hook, as
// etcd's test-only setRandomizedElectionTimeout).
func (rn *RawNode) SetRandomizedElectionTimeout(ticks int) error {
	defer rn.unlock()
	if err := rn.lock(); err != nil {
		return err
	}
	return rn.note(nodeSetRandomizedElectionTimeout(rn.n, ticks))
}
