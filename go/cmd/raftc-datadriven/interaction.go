// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// interaction.go: the "interaction" suite (etcd's rafttest InteractionEnv, HARNESS.md §2-§3)
// over the Go binding. Nodes are raftc.RawNode over a Go Storage (the built-in MemoryStorage
// with Snapshot overridden to return the History tip, so the cgo.Handle callback path runs);
// every value crosses as go.etcd.io/raft/v3/raftpb and is printed with etcd's own Describe*
// functions, so a conversion error in the binding shows as a transcript mismatch.

package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	raftc "github.com/raftc/raftc/go"
	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"go.etcd.io/raft/v3/tracker"
	"google.golang.org/protobuf/proto"
)

const lvlNone = 5

var levelNames = []string{"DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE"}

// cmdError is a command error: its text is the command's output (etcd's harness prints it).
type cmdError struct{ msg string }

func (c *cmdError) Error() string { return c.msg }

func cmdErrorf(format string, a ...any) error { return &cmdError{fmt.Sprintf(format, a...)} }

// snap is a History element (the appender state machine's snapshot).
type snap struct {
	data        []byte
	index, term uint64
	cs          *pb.ConfState
}

func (s *snap) proto() *pb.Snapshot {
	return &pb.Snapshot{Data: s.data, Metadata: &pb.SnapshotMetadata{
		ConfState: proto.Clone(s.cs).(*pb.ConfState), Index: &s.index, Term: &s.term}}
}

// backing is what a harness node's storage is built on: the binding's MemoryStorage, or its
// DiskStorage (add-nodes disk-storage=true, raftc-only: the C driver's interaction_disk.c).
type backing interface {
	raftc.Storage
	Append(entries []*pb.Entry) error
	SetHardState(st *pb.HardState) error
	ApplySnapshot(snap *pb.Snapshot) error
	Compact(compactIndex uint64) error
}

// harnessStorage is the built-in MemoryStorage (or DiskStorage) whose Snapshot returns the
// History tip, and whose calls named in failing (storage-fail) fail with a storage error.
type harnessStorage struct {
	backing
	history []*snap
	failing map[string]bool
}

var errStorageFailure = errors.New("storage failure")

func (s *harnessStorage) fail(call string) error {
	if s.failing[call] {
		return errStorageFailure
	}
	return nil
}

func (s *harnessStorage) InitialState() (*pb.HardState, *pb.ConfState, error) {
	if err := s.fail("initial-state"); err != nil {
		return nil, nil, err
	}
	return s.backing.InitialState()
}

func (s *harnessStorage) Entries(lo, hi, maxSize uint64) ([]*pb.Entry, error) {
	if err := s.fail("entries"); err != nil {
		return nil, err
	}
	return s.backing.Entries(lo, hi, maxSize)
}

func (s *harnessStorage) Term(i uint64) (uint64, error) {
	if err := s.fail("term"); err != nil {
		return 0, err
	}
	return s.backing.Term(i)
}

func (s *harnessStorage) FirstIndex() (uint64, error) {
	if err := s.fail("first-index"); err != nil {
		return 0, err
	}
	return s.backing.FirstIndex()
}

func (s *harnessStorage) LastIndex() (uint64, error) {
	if err := s.fail("last-index"); err != nil {
		return 0, err
	}
	return s.backing.LastIndex()
}

func (s *harnessStorage) Snapshot() (*pb.Snapshot, error) {
	if err := s.fail("snapshot"); err != nil {
		return nil, err
	}
	return s.history[len(s.history)-1].proto(), nil
}

type node struct {
	id            uint64
	st            *harnessStorage
	disk          *raftc.DiskStorage // disk-storage=true: st's backing, in directory disk.Path()
	rn            *raftc.RawNode
	async         bool
	electionTick  int
	heartbeatTick int
	appendWork    []*pb.Message
	applyWork     []*pb.Message
	cfg           raftc.Config // what the node was opened with (restart reuses it)
	panic         string       // the first PANIC text of the current raft node
}

// nodeLogger is a node's raft.Logger: the env's, recording the node's first PANIC text (the
// failure text of a failed node, as raftc_node_last_error gives it).
type nodeLogger struct {
	*interactionEnv
	n *node
}

func (l nodeLogger) Panic(v ...any) {
	if msg := fmt.Sprint(v...); l.n.panic == "" {
		l.n.panic = msg
	}
	l.interactionEnv.Panic(v...)
}
func (l nodeLogger) Panicf(format string, v ...any) { l.Panic(fmt.Sprintf(format, v...)) }
func (l nodeLogger) Fatal(v ...any)                 { l.Panic(v...) }
func (l nodeLogger) Fatalf(format string, v ...any) { l.Panic(fmt.Sprintf(format, v...)) }

// failed is the error of a call on a failed node (the C driver's ia_check text).
func failed(n *node, err error) error {
	if n.panic != "" {
		return cmdErrorf("node %d failed: %s", n.id, n.panic)
	}
	return cmdErrorf("node %d failed: %v", n.id, err)
}

// interactionEnv is one file's state: nodes, the global message queue, output and log level.
type interactionEnv struct {
	nodes []*node
	msgs  []*pb.Message
	root  *strings.Builder
	out   *strings.Builder
	lvl   int
}

type interactionSuite struct{}

func (interactionSuite) newEnv() env {
	b := &strings.Builder{}
	return &interactionEnv{root: b, out: b}
}

// close frees the disk storages and removes their directories.
func (e *interactionEnv) close() {
	for _, n := range e.nodes {
		n.closeDisk()
	}
}

// openDisk opens n's DiskStorage in dir as its storage's backing, without fsync (in one
// process a reopen reads what was written either way).
func (n *node) openDisk(dir string) error {
	ds, err := raftc.OpenDiskStorage(dir, &raftc.DiskStorageOptions{Sync: raftc.SyncNone})
	if err != nil {
		return fatalf("node %d: opening its disk storage: %v", n.id, err)
	}
	n.disk = ds
	n.st.backing = ds
	return nil
}

// closeDisk frees a disk node's storage and removes its directory.
func (n *node) closeDisk() {
	if n.disk != nil {
		_ = n.disk.Close()
		_ = os.RemoveAll(n.disk.Path())
		n.disk = nil
	}
}

func (e *interactionEnv) write(s string) {
	if e.lvl != lvlNone {
		e.out.WriteString(s)
	}
}

// log writes a raft log line at level (4 = FATAL also for panics) unless below the env's
// level; preformatted lines get a newline unless they end in one.
func (e *interactionEnv) log(level int, msg string) {
	if e.lvl > level {
		return
	}
	e.out.WriteString(levelNames[level] + " " + msg)
	if msg != "" && !strings.HasSuffix(msg, "\n") {
		e.out.WriteString("\n")
	}
}

// The env is the nodes' raft.Logger (etcd's interface; print-style calls only come from raftc).
func (e *interactionEnv) Debug(v ...any)                 { e.log(0, fmt.Sprint(v...)) }
func (e *interactionEnv) Debugf(format string, v ...any) { e.log(0, fmt.Sprintf(format, v...)) }
func (e *interactionEnv) Info(v ...any)                  { e.log(1, fmt.Sprint(v...)) }
func (e *interactionEnv) Infof(format string, v ...any)  { e.log(1, fmt.Sprintf(format, v...)) }
func (e *interactionEnv) Warning(v ...any)               { e.log(2, fmt.Sprint(v...)) }
func (e *interactionEnv) Warningf(format string, v ...any) {
	e.log(2, fmt.Sprintf(format, v...))
}
func (e *interactionEnv) Error(v ...any)                 { e.log(3, fmt.Sprint(v...)) }
func (e *interactionEnv) Errorf(format string, v ...any) { e.log(3, fmt.Sprintf(format, v...)) }
func (e *interactionEnv) Fatal(v ...any)                 { e.Panic(v...) }
func (e *interactionEnv) Fatalf(format string, v ...any) { e.Panic(fmt.Sprintf(format, v...)) }
func (e *interactionEnv) Panicf(format string, v ...any) { e.Panic(fmt.Sprintf(format, v...)) }

// Panic prints raft's panic as FATAL, as etcd's harness logger does (etcd's test would abort;
// the raftc node is failed, and its calls say so).
func (e *interactionEnv) Panic(v ...any) { e.log(4, fmt.Sprint(v...)) }

func (e *interactionEnv) setLevel(name string) error {
	for i, n := range levelNames {
		if strings.EqualFold(n, name) {
			e.lvl = i
			return nil
		}
	}
	return cmdErrorf("log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]")
}

// indented runs fn capturing its output, then writes it indented by two spaces.
func (e *interactionEnv) indented(fn func() error) error {
	orig := e.out
	e.out = &strings.Builder{}
	err := fn()
	captured := e.out.String()
	e.out = orig
	for _, line := range splitLines(captured) {
		orig.WriteString("  " + line + "\n")
	}
	return err
}

// ---- argument helpers ----

func (e *interactionEnv) nodeAt(id int) (*node, error) {
	if id < 1 || id > len(e.nodes) {
		return nil, fatalf("node %d does not exist (have %d nodes)", id, len(e.nodes))
	}
	return e.nodes[id-1], nil
}

func atoi(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fatalf("%v", err)
	}
	return v, nil
}

func scanUint(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fatalf("%v", err)
	}
	return v, nil
}

func scanBool(s string) (bool, error) {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, fatalf("%v", err)
	}
	return v, nil
}

func (e *interactionEnv) firstNode(d *directive) (*node, error) {
	if len(d.args) == 0 {
		return nil, fatalf("%s: expected a node ID as the first argument", d.cmd)
	}
	id, err := atoi(d.args[0].key)
	if err != nil {
		return nil, err
	}
	return e.nodeAt(id)
}

func (e *interactionEnv) nodeIDs(d *directive) ([]int, error) {
	var ids []int
	for _, a := range d.args {
		if len(a.vals) > 0 {
			continue
		}
		id, err := atoi(a.key)
		if err != nil {
			return nil, err
		}
		if _, err := e.nodeAt(id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// check maps a node call's error: a failed node and other errors are command errors (plain
// ones ignored when fatalOnly).
func check(n *node, err error, fatalOnly bool) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, raftc.ErrFailed) {
		return failed(n, err)
	}
	if fatalOnly {
		return nil
	}
	return &cmdError{err.Error()}
}

func storageCall(n *node, what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, raftc.ErrFailed) {
		return fatalf("node %d: MemoryStorage.%s panicked: %v", n.id, what, err)
	}
	return &cmdError{err.Error()}
}

// ---- add-nodes ----

type addOpts struct {
	voters, learners                                                    []uint64
	index                                                               uint64
	content                                                             []byte
	maxInflight                                                         int
	maxCommittedSizePerReady                                            uint64
	maxSizePerMsg, maxUncommittedEntriesSize, maxInflightBytes          uint64
	async, preVote, checkQuorum, disableCCValidation, stepDownOnRemoval bool
	leaseBased                                                          bool
	disk                                                                bool
}

func (o *addOpts) parse(key, val string) error {
	var err error
	switch key {
	case "voters", "learners":
		v, err := scanUint(val)
		if err != nil {
			return err
		}
		if key == "voters" {
			o.voters = append(o.voters, v)
		} else {
			o.learners = append(o.learners, v)
		}
	case "inflight":
		o.maxInflight, err = atoi(val)
	case "index":
		o.index, err = scanUint(val)
	case "content":
		o.content = []byte(val)
	case "async-storage-writes":
		o.async, err = scanBool(val)
	case "prevote":
		o.preVote, err = scanBool(val)
	case "checkquorum":
		o.checkQuorum, err = scanBool(val)
	case "max-committed-size-per-ready":
		o.maxCommittedSizePerReady, err = scanUint(val)
	case "max-size-per-msg": // the project's options (tests/conformance/README.md)
		o.maxSizePerMsg, err = scanUint(val)
	case "max-uncommitted-entries-size":
		o.maxUncommittedEntriesSize, err = scanUint(val)
	case "max-inflight-bytes":
		o.maxInflightBytes, err = scanUint(val)
	case "disable-conf-change-validation":
		o.disableCCValidation, err = scanBool(val)
	case "step-down-on-removal":
		o.stepDownOnRemoval, err = scanBool(val)
	case "disk-storage": // raftc-only (tests/conformance/README.md)
		o.disk, err = scanBool(val)
	case "read-only":
		switch val {
		case "safe":
			o.leaseBased = false
		case "lease-based":
			o.leaseBased = true
		default:
			return cmdErrorf("invalid read-only option %q", val)
		}
	}
	return err
}

func (e *interactionEnv) addNode(o *addOpts, bootstrap bool) error {
	n := &node{id: uint64(len(e.nodes) + 1), electionTick: 3, heartbeatTick: 1, async: o.async}
	n.st = &harnessStorage{backing: raftc.NewMemoryStorage()}
	if o.disk {
		dir, err := os.MkdirTemp("", "raftc-datadriven-")
		if err != nil {
			return fatalf("node %d: %v", n.id, err)
		}
		if err := n.openDisk(dir); err != nil {
			_ = os.RemoveAll(dir)
			return err
		}
	}
	if err := e.initNode(n, o, bootstrap); err != nil {
		n.closeDisk()
		return err
	}
	e.nodes = append(e.nodes, n)
	return nil
}

// initNode bootstraps n's storage as add-nodes says and opens its raft node.
func (e *interactionEnv) initNode(n *node, o *addOpts, bootstrap bool) error {
	s := &snap{data: o.content, index: o.index, cs: &pb.ConfState{Voters: o.voters, Learners: o.learners}}
	n.st.history = []*snap{s}
	if bootstrap {
		if o.index <= 1 {
			return cmdErrorf("index must be specified as > 1 due to bootstrap")
		}
		s.term = 1
		if err := storageCall(n, "ApplySnapshot", n.st.ApplySnapshot(s.proto())); err != nil {
			return err
		}
		if fi, _ := n.st.FirstIndex(); fi != o.index+1 {
			return cmdErrorf("failed to establish first index %d; got %d", o.index+1, fi)
		}
	}
	ro := raftc.ReadOnlySafe
	if o.leaseBased {
		ro = raftc.ReadOnlyLeaseBased
	}
	cfg := raftc.Config{
		ID: n.id, ElectionTick: n.electionTick, HeartbeatTick: n.heartbeatTick, Storage: n.st,
		Applied: o.index, MaxSizePerMsg: o.maxSizePerMsg,
		MaxCommittedSizePerReady: o.maxCommittedSizePerReady, MaxInflightMsgs: o.maxInflight,
		MaxUncommittedEntriesSize: o.maxUncommittedEntriesSize,
		MaxInflightBytes:          o.maxInflightBytes,
		CheckQuorum:               o.checkQuorum, PreVote: o.preVote, ReadOnlyOption: ro,
		DisableConfChangeValidation: o.disableCCValidation, StepDownOnRemoval: o.stepDownOnRemoval,
		AsyncStorageWrites: o.async, Logger: nodeLogger{e, n},
	}
	return e.open(n, cfg)
}

// open creates n's raft node over its storage with cfg (remembered in n.cfg).
func (e *interactionEnv) open(n *node, cfg raftc.Config) error {
	n.cfg, n.panic = cfg, ""
	rn, err := raftc.NewRawNode(&cfg)
	if err != nil {
		if errors.Is(err, raftc.ErrFailed) {
			return cmdErrorf("raft: initialization failed")
		}
		return &cmdError{err.Error()}
	}
	n.rn = rn
	return nil
}

func (e *interactionEnv) cmdAddNodes(d *directive) error {
	if len(d.args) == 0 {
		return fatalf("add-nodes: expected a node count")
	}
	count, err := atoi(d.args[0].key)
	if err != nil {
		return err
	}
	o := &addOpts{maxInflight: math.MaxInt32, maxSizePerMsg: math.MaxUint64}
	for _, a := range d.args[1:] {
		for _, v := range a.vals {
			if err := o.parse(a.key, v); err != nil {
				return err
			}
		}
	}
	bootstrap := len(o.voters) > 0 || len(o.learners) > 0 || o.index != 0 || len(o.content) > 0
	for i := 0; i < count; i++ {
		if err := e.addNode(o, bootstrap); err != nil {
			return err
		}
	}
	return nil
}

// ---- simple node actions ----

func (e *interactionEnv) cmdCampaign(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	return check(n, n.rn.Campaign(), false)
}

func (e *interactionEnv) cmdPropose(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	if len(d.args) != 2 || len(d.args[1].vals) > 0 {
		return fatalf("expected exactly one key with no vals")
	}
	return check(n, n.rn.Propose([]byte(d.args[1].key)), false)
}

func (e *interactionEnv) tickN(d *directive, election bool) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	k := n.heartbeatTick
	if election {
		k = n.electionTick
	}
	for i := 0; i < k; i++ {
		n.rn.Tick()
		if err := check(n, n.rn.Err(), true); err != nil {
			return err
		}
	}
	return nil
}

func (e *interactionEnv) cmdSetRandomizedElectionTimeout(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	a := d.findArg("timeout")
	if a == nil || len(a.vals) != 1 {
		return fatalf("missing argument: timeout")
	}
	t, err := atoi(a.vals[0])
	if err != nil {
		return err
	}
	if t == 0 || t > math.MaxInt32 || t < math.MinInt32 {
		return fatalf("timeout must be a non-zero int")
	}
	return check(n, n.rn.SetRandomizedElectionTimeout(t), false)
}

func (e *interactionEnv) scanNodeArg(d *directive, key string) (uint64, error) {
	a := d.findArg(key)
	if a == nil || len(a.vals) != 1 {
		return 0, fatalf("missing argument: %s", key)
	}
	v, err := scanUint(a.vals[0])
	if err != nil {
		return 0, err
	}
	if v == 0 || v > uint64(len(e.nodes)) {
		return 0, fatalf("%s=%d is not a node", key, v)
	}
	return v, nil
}

func (e *interactionEnv) cmdTransferLeadership(d *directive) error {
	from, err := e.scanNodeArg(d, "from")
	if err != nil {
		return err
	}
	to, err := e.scanNodeArg(d, "to")
	if err != nil {
		return err
	}
	n := e.nodes[from-1]
	n.rn.TransferLeader(to)
	return check(n, n.rn.Err(), true)
}

func (e *interactionEnv) cmdForgetLeader(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	return check(n, n.rn.ForgetLeader(), true)
}

func (e *interactionEnv) cmdReportUnreachable(d *directive) error {
	ids, err := e.nodeIDs(d)
	if err != nil {
		return err
	}
	if len(ids) != 2 {
		return cmdErrorf("must specify exactly two node indexes: node on which to report, and reported node")
	}
	n := e.nodes[ids[0]-1]
	n.rn.ReportUnreachable(uint64(ids[1]))
	return check(n, n.rn.Err(), true)
}

func (e *interactionEnv) cmdSendSnapshot(d *directive) error {
	ids, err := e.nodeIDs(d)
	if err != nil {
		return err
	}
	if len(ids) != 2 {
		return fatalf("send-snapshot: expected exactly two node IDs")
	}
	from := e.nodes[ids[0]-1]
	term := from.rn.BasicStatus().GetTerm()
	sn, _ := from.st.Snapshot()
	f, t := uint64(ids[0]), uint64(ids[1])
	m := &pb.Message{Type: pb.MsgSnap.Enum(), From: &f, To: &t, Term: &term, Snapshot: sn}
	e.msgs = append(e.msgs, m)
	e.write(raft.DescribeMessage(m, nil))
	return nil
}

// ---- propose-conf-change ----

func (e *interactionEnv) cmdProposeConfChange(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	v1 := false
	transition := pb.ConfChangeTransitionAuto
	for _, a := range d.args[1:] {
		for _, val := range a.vals {
			switch a.key {
			case "v1":
				if v1, err = strconv.ParseBool(val); err != nil {
					return &cmdError{err.Error()}
				}
			case "transition":
				switch val {
				case "auto":
					transition = pb.ConfChangeTransitionAuto
				case "implicit":
					transition = pb.ConfChangeTransitionJointImplicit
				case "explicit":
					transition = pb.ConfChangeTransitionJointExplicit
				default:
					return cmdErrorf("unknown transition %s", val)
				}
			default:
				return cmdErrorf("unknown command %s", a.key)
			}
		}
	}
	ccs, err := pb.ConfChangesFromString(d.input)
	if err != nil {
		return &cmdError{err.Error()}
	}
	var cc pb.ConfChangeI
	if v1 {
		if len(ccs) > 1 || transition != pb.ConfChangeTransitionAuto {
			return cmdErrorf("v1 conf change can only have one operation and no transition")
		}
		if len(ccs) == 0 {
			return fatalf("v1 conf change without an operation (the Go harness crashes)")
		}
		cc = &pb.ConfChange{Type: ccs[0].Type, NodeId: ccs[0].NodeId}
	} else {
		cc = &pb.ConfChangeV2{Transition: transition.Enum(), Changes: ccs}
	}
	return check(n, n.rn.ProposeConfChange(cc), false)
}

// ---- storage and state inspection ----

func (e *interactionEnv) raftLog(n *node) error {
	fi, _ := n.st.FirstIndex()
	li, _ := n.st.LastIndex()
	if li < fi {
		e.write(fmt.Sprintf("log is empty: first index=%d, last index=%d", fi, li))
		return nil
	}
	ents, err := n.st.Entries(fi, li+1, math.MaxUint64)
	if err := storageCall(n, "Entries", err); err != nil {
		return err
	}
	e.write(raft.DescribeEntries(ents, nil))
	return nil
}

func (e *interactionEnv) cmdRaftLog(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	return e.raftLog(n)
}

func (e *interactionEnv) cmdCompact(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	if len(d.args) < 2 {
		return fatalf("compact: expected an index")
	}
	idx, err := strconv.ParseUint(d.args[1].key, 10, 64)
	if err != nil {
		return &cmdError{err.Error()}
	}
	if err := n.st.Compact(idx); err != nil {
		if errors.Is(err, raftc.ErrFailed) {
			return fatalf("compact %d is out of bound lastindex", idx)
		}
		return &cmdError{err.Error()}
	}
	return e.raftLog(n)
}

func (e *interactionEnv) cmdRaftState(*directive) error {
	for _, n := range e.nodes {
		st := n.rn.Status()
		voter := "(Non-Voter)"
		for _, half := range st.Config.Voters {
			if _, ok := half[n.id]; ok {
				voter = "(Voter)"
			}
		}
		e.write(fmt.Sprintf("%d: %s %s Term:%d Lead:%d\n", st.ID, st.RaftState, voter, st.GetTerm(), st.Lead))
	}
	return nil
}

func (e *interactionEnv) cmdStatus(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	st := n.rn.Status()
	if len(st.Progress) == 0 {
		return nil
	}
	pm := tracker.ProgressMap{}
	for id, p := range st.Progress {
		pm[id] = &p
	}
	e.write(pm.String())
	return nil
}

// ---- Ready handling and storage threads ----

func (e *interactionEnv) processAppend(n *node, hs *pb.HardState, ents []*pb.Entry, sn *pb.Snapshot) error {
	if !raft.IsEmptyHardState(hs) {
		if err := storageCall(n, "SetHardState", n.st.SetHardState(hs)); err != nil {
			return err
		}
	}
	if sn != nil && !raft.IsEmptySnap(sn) {
		if len(ents) > 0 {
			return cmdErrorf("can't apply snapshot and entries at the same time")
		}
		return storageCall(n, "ApplySnapshot", n.st.ApplySnapshot(sn))
	}
	return storageCall(n, "Append", n.st.Append(ents))
}

func (e *interactionEnv) processApply(n *node, ents []*pb.Entry) error {
	for _, ent := range ents {
		var update []byte
		var cs *pb.ConfState
		switch ent.GetType() {
		case pb.EntryConfChange, pb.EntryConfChangeV2:
			var cc pb.ConfChangeI
			if ent.GetType() == pb.EntryConfChange {
				c := &pb.ConfChange{}
				if err := proto.Unmarshal(ent.GetData(), c); err != nil {
					return &cmdError{err.Error()}
				}
				update, cc = c.GetContext(), c
			} else {
				c := &pb.ConfChangeV2{}
				if err := proto.Unmarshal(ent.GetData(), c); err != nil {
					return &cmdError{err.Error()}
				}
				update, cc = c.GetContext(), c
			}
			var err error
			if cs, err = n.rn.ApplyConfChangeErr(cc); err != nil {
				return check(n, err, false)
			}
		default:
			update = ent.GetData()
		}
		prev := n.st.history[len(n.st.history)-1]
		next := &snap{data: append(append([]byte(nil), prev.data...), update...),
			index: ent.GetIndex(), term: ent.GetTerm(), cs: prev.cs}
		if cs != nil {
			next.cs = cs
		}
		n.st.history = append(n.st.history, next)
	}
	return nil
}

func (e *interactionEnv) route(n *node, m *pb.Message) error {
	to := m.GetTo()
	if to != raft.LocalAppendThread && to != raft.LocalApplyThread {
		e.msgs = append(e.msgs, m)
		return nil
	}
	if !n.async {
		return fatalf("unexpected local msg target")
	}
	switch m.GetType() {
	case pb.MsgStorageAppend:
		n.appendWork = append(n.appendWork, m)
	case pb.MsgStorageApply:
		n.applyWork = append(n.applyWork, m)
	default:
		return fatalf("unexpected message type %s", m.GetType())
	}
	return nil
}

func (e *interactionEnv) processReady(n *node) error {
	rd, err := n.rn.ReadyErr()
	if err != nil {
		return check(n, err, false) // a failed node, or Ready misuse
	}
	e.write(raft.DescribeReady(rd, nil))
	if !n.async {
		if err := e.processAppend(n, rd.HardState, rd.Entries, rd.Snapshot); err != nil {
			return err
		}
		if err := e.processApply(n, rd.CommittedEntries); err != nil {
			return err
		}
	}
	for _, m := range rd.Messages {
		if err := e.route(n, m); err != nil {
			return err
		}
	}
	if !n.async {
		return check(n, n.rn.AdvanceErr(), false)
	}
	return nil
}

func (e *interactionEnv) processThread(n *node, isAppend bool) error {
	q := &n.applyWork
	if isAppend {
		q = &n.appendWork
	}
	if len(*q) == 0 {
		if isAppend {
			e.write("no append work to perform")
		} else {
			e.write("no apply work to perform")
		}
		return nil
	}
	m := (*q)[0]
	*q = (*q)[1:]
	resps := m.Responses
	stripped := proto.Clone(m).(*pb.Message)
	stripped.Responses = nil
	e.write("Processing:\n")
	e.write(raft.DescribeMessage(stripped, nil))
	e.write("\n")
	var err error
	if isAppend {
		hs := &pb.HardState{Term: m.Term, Vote: m.Vote, Commit: m.Commit}
		err = e.processAppend(n, hs, m.Entries, m.Snapshot)
	} else {
		err = e.processApply(n, m.Entries)
	}
	if err != nil {
		return err
	}
	e.write("Responses:\n")
	for _, r := range resps {
		e.write(raft.DescribeMessage(r, nil))
		e.write("\n")
		e.msgs = append(e.msgs, r)
	}
	return nil
}

func (e *interactionEnv) forEachNode(d *directive, header string, fn func(*node) error) error {
	ids, err := e.nodeIDs(d)
	if err != nil {
		return err
	}
	for _, id := range ids {
		n := e.nodes[id-1]
		if len(ids) > 1 {
			e.write(fmt.Sprintf("> %d %s\n", id, header))
			err = e.indented(func() error { return fn(n) })
		} else {
			err = fn(n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ---- deliver-msgs and stabilize ----

func isLocal(m *pb.Message) bool {
	from, to := m.GetFrom(), m.GetTo()
	return from == to || raft.IsLocalMsgTarget(from) || raft.IsLocalMsgTarget(to)
}

type recipient struct {
	id   uint64
	drop bool
}

func (e *interactionEnv) splitMsgs(to uint64, typ int, drop bool) []*pb.Message {
	var taken, keep []*pb.Message
	for _, m := range e.msgs {
		if m.GetTo() == to && !(drop && isLocal(m)) && (typ < 0 || int(m.GetType()) == typ) {
			taken = append(taken, m)
		} else {
			keep = append(keep, m)
		}
	}
	e.msgs = keep
	return taken
}

func (e *interactionEnv) deliver(typ int, rs []recipient) (int, error) {
	total := 0
	for _, r := range rs {
		taken := e.splitMsgs(r.id, typ, r.drop)
		total += len(taken)
		for _, m := range taken {
			if r.drop {
				e.write("dropped: ")
			}
			e.write(raft.DescribeMessage(m, nil))
			e.write("\n")
			if r.drop {
				continue
			}
			to := m.GetTo()
			if to < 1 || to > uint64(len(e.nodes)) {
				return total, fatalf("message to nonexistent node %d", to)
			}
			n := e.nodes[to-1]
			if err := n.rn.Step(m); err != nil {
				if errors.Is(err, raftc.ErrFailed) {
					return total, failed(n, err)
				}
				e.write(err.Error() + "\n")
			}
		}
	}
	return total, nil
}

func (e *interactionEnv) cmdDeliverMsgs(d *directive) error {
	typ := -1
	var rs []recipient
	for _, a := range d.args {
		if len(a.vals) == 0 {
			id, err := scanUint(a.key)
			if err != nil {
				return err
			}
			rs = append(rs, recipient{id, false})
		}
		for _, v := range a.vals {
			switch a.key {
			case "drop":
				id, err := scanUint(v)
				if err != nil {
					return err
				}
				for _, r := range rs {
					if r.id == id {
						return fatalf("can't both deliver and drop msgs to %d", id)
					}
				}
				rs = append(rs, recipient{id, true})
			case "type":
				t, ok := pb.MessageType_value[v]
				if !ok {
					return fatalf("unknown message type %s", v)
				}
				typ = int(t)
			}
		}
	}
	n, err := e.deliver(typ, rs)
	if err != nil {
		return err
	}
	if n == 0 {
		e.write("no messages\n")
	}
	return nil
}

func (e *interactionEnv) stabilizeRound(nodes []*node) (bool, error) {
	busy := false
	for _, n := range nodes {
		if !n.rn.HasReady() {
			if err := check(n, n.rn.Err(), true); err != nil {
				return false, err
			}
			continue
		}
		busy = true
		e.write(fmt.Sprintf("> %d handling Ready\n", n.id))
		if err := e.indented(func() error { return e.processReady(n) }); err != nil {
			return false, err
		}
	}
	for _, n := range nodes {
		has := false
		for _, m := range e.msgs {
			has = has || m.GetTo() == n.id
		}
		if !has {
			continue
		}
		busy = true
		e.write(fmt.Sprintf("> %d receiving messages\n", n.id))
		if err := e.indented(func() error {
			_, err := e.deliver(-1, []recipient{{n.id, false}})
			return err
		}); err != nil {
			return false, err
		}
	}
	for _, n := range nodes {
		if len(n.appendWork) == 0 {
			continue
		}
		busy = true
		e.write(fmt.Sprintf("> %d processing append thread\n", n.id))
		for len(n.appendWork) > 0 {
			if err := e.indented(func() error { return e.processThread(n, true) }); err != nil {
				return false, err
			}
		}
	}
	for _, n := range nodes {
		if len(n.applyWork) == 0 {
			continue
		}
		busy = true
		e.write(fmt.Sprintf("> %d processing apply thread\n", n.id))
		for len(n.applyWork) > 0 {
			err := e.indented(func() error { return e.processThread(n, false) })
			var fe *fatalError
			if errors.As(err, &fe) {
				return false, err
			} // plain errors are ignored here, as upstream does
		}
	}
	return busy, nil
}

func (e *interactionEnv) cmdStabilize(d *directive) error {
	ids, err := e.nodeIDs(d)
	if err != nil {
		return err
	}
	saved := e.lvl
	defer func() { e.lvl = saved }()
	for _, a := range d.args {
		if a.key == "log-level" {
			for _, v := range a.vals {
				if err := e.setLevel(v); err != nil {
					return err
				}
			}
		}
	}
	nodes := e.nodes
	if len(ids) > 0 {
		nodes = nil
		for _, id := range ids {
			nodes = append(nodes, e.nodes[id-1])
		}
	}
	for {
		busy, err := e.stabilizeRound(nodes)
		if err != nil || !busy {
			return err
		}
	}
}

// ---- dispatch ----

func (e *interactionEnv) command(d *directive) error {
	switch d.cmd {
	case "_breakpoint":
		return nil
	case "add-nodes":
		return e.cmdAddNodes(d)
	case "campaign":
		return e.cmdCampaign(d)
	case "compact":
		return e.cmdCompact(d)
	case "deliver-msgs":
		return e.cmdDeliverMsgs(d)
	case "forget-leader":
		return e.cmdForgetLeader(d)
	case "log-level":
		if len(d.args) == 0 {
			return fatalf("log-level: expected a level")
		}
		return e.setLevel(d.args[0].key)
	case "process-append-thread":
		return e.forEachNode(d, "processing append thread", func(n *node) error { return e.processThread(n, true) })
	case "process-apply-thread":
		return e.forEachNode(d, "processing apply thread", func(n *node) error { return e.processThread(n, false) })
	case "process-ready":
		return e.forEachNode(d, "handling Ready", e.processReady)
	case "propose":
		return e.cmdPropose(d)
	case "propose-conf-change":
		return e.cmdProposeConfChange(d)
	case "raft-log":
		return e.cmdRaftLog(d)
	case "raft-state":
		return e.cmdRaftState(d)
	case "report-unreachable":
		return e.cmdReportUnreachable(d)
	case "send-snapshot":
		return e.cmdSendSnapshot(d)
	case "set-randomized-election-timeout":
		return e.cmdSetRandomizedElectionTimeout(d)
	case "stabilize":
		return e.cmdStabilize(d)
	case "status":
		return e.cmdStatus(d)
	case "tick-election":
		return e.tickN(d, true)
	case "tick-heartbeat":
		return e.tickN(d, false)
	case "transfer-leadership":
		return e.cmdTransferLeadership(d)
	case "restart":
		return e.cmdRestart(d)
	case "storage-fail":
		return e.cmdStorageFail(d)
	case "storage-snapshot":
		return e.cmdStorageSnapshot(d)
	case "ready":
		return e.cmdReady(d)
	case "advance":
		return e.cmdAdvance(d)
	case "step-bytes":
		return e.cmdStepBytes(d)
	}
	return cmdErrorf("unknown command")
}

func (e *interactionEnv) handle(d *directive) (string, error) {
	e.root = &strings.Builder{}
	e.out = e.root
	err := e.command(d)
	e.out = e.root
	var fe *fatalError
	fatal := ""
	if errors.As(err, &fe) {
		fatal = fe.msg
	}
	if fatal != "" {
		if so := e.root.String(); so != "" {
			fatal += "\noutput so far:\n" + so
		}
		return "", &fatalError{fatal}
	}
	if err != nil {
		if e.lvl == lvlNone {
			return err.Error(), nil
		}
		e.root.WriteString(err.Error())
	}
	if e.root.Len() == 0 {
		return "ok", nil
	}
	return e.root.String(), nil
}
