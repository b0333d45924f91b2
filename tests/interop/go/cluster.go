// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// cluster.go: a mixed cluster of etcd RawNodes (in-process) and raftc peers (child processes)
// on a deterministic virtual network: a FIFO queue of raftpb message bytes, delivered in order,
// with partitions; a virtual clock (ticks, every live node in id order). Each member keeps an
// app state (its applied entries); snapshots carry it. Any unexpected error or divergence fails
// the test with the trace of the last events.

package interop

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

const traceCap = 400

type member struct {
	id      uint64
	kind    string // "etcd", "raftc" (a peer process) or "raftc-go" (in-process, Go binding)
	node    Node
	stopped bool
	app     []Entry // applied entries (index > 1)
	applied uint64  // last applied index (1 = the initial snapshot; 0 = a joining node)
	snaps   int     // snapshots applied from the network
	snapIdx uint64  // index of the last snapshot this member created
	reads   []ReadState
}

type envelope struct {
	from, to uint64
	b        []byte
}

type traceEvent struct {
	text string
	msg  []byte
}

// Cluster is a mixed etcd/raftc raft cluster.
type Cluster struct {
	t        testing.TB
	opts     Opts
	members  map[uint64]*member
	ids      []uint64
	queue    []envelope
	cut      map[[2]uint64]bool
	trace    []traceEvent
	nTrace   int
	ticks    int
	proposed map[string]bool
	// heartbeat contexts sent leader->follower, to check that responses echo them
	hbCtx map[[2]uint64]map[string]bool
	// non-empty heartbeat contexts echoed back (ReadOnlySafe reads went through heartbeats)
	echoed int
	// the last non-empty heartbeat context each leader sent
	lastHbCtx map[uint64][]byte
	// rejections seen on the network: MsgAppResp and (pre-)vote responses
	appRejects, voteRejects int
	// every entry any node applied, by index: state machine safety (no two nodes ever apply
	// different entries at the same index) is checked on every apply
	applied map[uint64]Entry
	// network faults (TestRandomFaults): loss and duplication probabilities
	rng             *rand.Rand
	loss, duplicate float64
}

// traceLogger is etcd's raft.Logger writing into the cluster trace.
type traceLogger struct {
	c  *Cluster
	id uint64
}

func (l *traceLogger) log(level, s string) {
	kind := "etcd"
	if m := l.c.members[l.id]; m != nil {
		kind = m.kind
	}
	l.c.event(fmt.Sprintf("[%s %d %s] %s", kind, l.id, level, strings.TrimRight(s, "\n")), nil)
}
func (l *traceLogger) Debug(v ...interface{})                 {}
func (l *traceLogger) Debugf(format string, v ...interface{}) {}
func (l *traceLogger) Info(v ...interface{})                  { l.log("INFO", fmt.Sprint(v...)) }
func (l *traceLogger) Infof(f string, v ...interface{})       { l.log("INFO", fmt.Sprintf(f, v...)) }
func (l *traceLogger) Warning(v ...interface{})               { l.log("WARN", fmt.Sprint(v...)) }
func (l *traceLogger) Warningf(f string, v ...interface{})    { l.log("WARN", fmt.Sprintf(f, v...)) }
func (l *traceLogger) Error(v ...interface{})                 { l.log("ERROR", fmt.Sprint(v...)) }
func (l *traceLogger) Errorf(f string, v ...interface{})      { l.log("ERROR", fmt.Sprintf(f, v...)) }
func (l *traceLogger) Fatal(v ...interface{})                 { l.Panic(v...) }
func (l *traceLogger) Fatalf(f string, v ...interface{})      { l.Panicf(f, v...) }
func (l *traceLogger) Panic(v ...interface{})                 { l.Panicf("%s", fmt.Sprint(v...)) }
func (l *traceLogger) Panicf(format string, v ...interface{}) {
	s := fmt.Sprintf(format, v...)
	l.log("PANIC", s)
	panic(s)
}

// NewCluster starts one node per character of kinds ('e' etcd, 'r' raftc peer process, 'g'
// raftc in-process through the Go binding) with ids 1..n, all
// voters, from a common snapshot at index 1, term 1.
func NewCluster(t testing.TB, kinds string, o Opts) *Cluster {
	t.Helper()
	if peerPath() == "" {
		t.Fatal("RAFTC_INTEROP_PEER is not set (path of raftc-interop-peer; tools/interop-test.sh sets it)")
	}
	c := &Cluster{t: t, opts: o, members: map[uint64]*member{}, cut: map[[2]uint64]bool{},
		proposed: map[string]bool{}, hbCtx: map[[2]uint64]map[string]bool{},
		lastHbCtx: map[uint64][]byte{}, applied: map[uint64]Entry{}}
	t.Cleanup(c.close)
	var voters []uint64
	for i := range kinds {
		voters = append(voters, uint64(i+1))
	}
	for i, k := range kinds {
		c.start(uint64(i+1), k, voters)
	}
	t.Logf("cluster %s with etcd raft %s (%s)", kinds, etcdVersion(), c.describeKinds())
	return c
}

func (c *Cluster) describeKinds() string {
	var s []string
	for _, id := range c.ids {
		s = append(s, fmt.Sprintf("%d=%s", id, c.members[id].kind))
	}
	return strings.Join(s, " ")
}

func (c *Cluster) start(id uint64, k rune, voters []uint64) {
	m := &member{id: id}
	if len(voters) > 0 {
		m.applied = 1
	}
	var err error
	switch k {
	case 'e':
		m.kind = "etcd"
		m.node, err = newEtcdNode(id, voters, nil, c.opts, &traceLogger{c: c, id: id})
	case 'r':
		m.kind = "raftc"
		m.node, err = newRaftcPeer(id, voters, nil, c.opts)
	case 'g':
		m.kind = "raftc-go"
		m.node, err = newGoBindingNode(id, voters, nil, c.opts, &traceLogger{c: c, id: id})
	default:
		c.fail("bad node kind %q", k)
	}
	if err != nil {
		c.fail("starting node %d (%c): %v", id, k, err)
	}
	c.members[id] = m
	c.ids = append(c.ids, id)
	slices.Sort(c.ids)
}

// AddNode starts a joining node (empty storage): it learns everything from the leader.
func (c *Cluster) AddNode(id uint64, kind rune) {
	if c.members[id] != nil {
		c.fail("node %d exists", id)
	}
	c.start(id, kind, nil)
	c.event(fmt.Sprintf("start joining node %d (%s)", id, c.members[id].kind), nil)
}

// Stop takes a node off the network for good (a removed node).
func (c *Cluster) Stop(id uint64) {
	m := c.m(id)
	m.stopped = true
	m.node.Close()
	c.event(fmt.Sprintf("stop node %d", id), nil)
}

func (c *Cluster) close() {
	for _, id := range c.ids {
		m := c.members[id]
		if !m.stopped {
			m.node.Close()
		}
		if p, ok := m.node.(*raftcPeer); ok && p.ExitErr() != nil {
			c.t.Errorf("%v", p.ExitErr())
		}
	}
}

func (c *Cluster) m(id uint64) *member {
	m := c.members[id]
	if m == nil {
		c.fail("no node %d", id)
	}
	return m
}

// Kind is "etcd", "raftc" or "raftc-go".
func (c *Cluster) Kind(id uint64) string { return c.m(id).kind }

// Status of a node.
func (c *Cluster) Status(id uint64) Status { return c.m(id).node.Status() }

// Live lists the ids of running nodes.
func (c *Cluster) Live() []uint64 {
	var out []uint64
	for _, id := range c.ids {
		if !c.members[id].stopped {
			out = append(out, id)
		}
	}
	return out
}

// ---- trace and failure ----

func (c *Cluster) event(text string, msg []byte) {
	ev := traceEvent{text: fmt.Sprintf("#%d t=%d %s", c.nTrace, c.ticks, text), msg: msg}
	c.nTrace++
	if len(c.trace) < traceCap {
		c.trace = append(c.trace, ev)
	} else {
		c.trace[c.nTrace%traceCap] = ev
	}
}

// describer returns a live raftc peer to describe messages with, if any.
func (c *Cluster) describer() *raftcPeer {
	for _, id := range c.ids {
		if m := c.members[id]; !m.stopped {
			if p, ok := m.node.(*raftcPeer); ok && p.dead == nil {
				return p
			}
		}
	}
	return nil
}

// DumpTrace logs the last events, messages described by etcd and by raftc.
func (c *Cluster) DumpTrace() {
	evs := c.trace
	if c.nTrace > traceCap {
		k := c.nTrace % traceCap
		evs = append(slices.Clone(c.trace[k:]), c.trace[:k]...)
	}
	d := c.describer()
	var sb strings.Builder
	fmt.Fprintf(&sb, "---- last %d of %d events (etcd raft %s; %s)\n", len(evs), c.nTrace,
		etcdVersion(), c.describeKinds())
	for _, ev := range evs {
		sb.WriteString(ev.text)
		sb.WriteByte('\n')
		if ev.msg != nil {
			fmt.Fprintf(&sb, "      etcd : %s\n", describeMsg(ev.msg))
			if d != nil {
				fmt.Fprintf(&sb, "      raftc: %s\n", d.Describe(ev.msg))
			}
		}
	}
	sb.WriteString("---- node status\n")
	for _, id := range c.ids {
		m := c.members[id]
		st := m.node.Status()
		fmt.Fprintf(&sb, "  %d %-5s stopped=%v %s term=%d lead=%d commit=%d applied=%d app=%d conf={%s}\n",
			id, m.kind, m.stopped, stateName(st.State), st.Term, st.Lead, st.Commit, m.applied,
			len(m.app), st.Conf)
		if st.State == StateLeader && !m.stopped {
			for _, l := range strings.Split(strings.TrimSpace(m.node.Progress()), "\n") {
				fmt.Fprintf(&sb, "      progress %s\n", l)
			}
		}
	}
	c.t.Log(sb.String())
}

func stateName(s int) string {
	if s >= 0 && s < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", s)
}

func (c *Cluster) fail(format string, args ...interface{}) {
	c.t.Helper()
	msg := fmt.Sprintf(format, args...)
	c.event("FAILURE: "+msg, nil)
	c.DumpTrace()
	c.t.Fatalf("%s (etcd raft %s)", msg, etcdVersion())
}

// ---- driving ----

// handle records a node's output: queues its messages, applies its entries/snapshots to its app
// state, records its reads. err is the call's error; benign errors are tolerated when allowed.
func (c *Cluster) handle(id uint64, what string, out Output, err error, allowBenign bool) error {
	c.t.Helper()
	m := c.m(id)
	for _, l := range out.Logs {
		c.event(fmt.Sprintf("[raftc %d] %s", id, l), nil)
	}
	confApplied := false
	for _, s := range out.Snaps {
		app, derr := decodeApp(s.Data)
		if derr != nil {
			c.fail("node %d: snapshot %d/%d: %v", id, s.Term, s.Index, derr)
		}
		last := uint64(1)
		if len(app) > 0 {
			last = app[len(app)-1].Index
		}
		if last != s.Index {
			c.fail("node %d: snapshot at index %d carries app state up to %d", id, s.Index, last)
		}
		c.event(fmt.Sprintf("node %d applied snapshot %d/%d (%d app entries, conf %s)", id,
			s.Term, s.Index, len(app), s.Conf), nil)
		for _, e := range app {
			c.checkSafety(id, e)
		}
		m.app, m.applied = app, s.Index
		m.snapIdx = max(m.snapIdx, s.Index)
		m.snaps++
	}
	for _, e := range out.Applied {
		if e.Index != m.applied+1 {
			c.fail("node %d applied entry %s after index %d", id, e, m.applied)
		}
		c.checkSafety(id, e)
		m.app = append(m.app, e)
		m.applied = e.Index
		if e.Type != EntryNormal {
			confApplied = true
			c.event(fmt.Sprintf("node %d applied conf change %s", id, e), nil)
		}
	}
	for _, r := range out.Reads {
		c.event(fmt.Sprintf("node %d read state index=%d ctx=%q", id, r.Index, r.Ctx), nil)
		m.reads = append(m.reads, r)
	}
	for _, b := range out.Msgs {
		info, derr := decodeMsg(b)
		if derr != nil {
			c.event(fmt.Sprintf("node %d (%s) sent undecodable bytes %x", id, m.kind, b), nil)
			c.fail("etcd cannot decode a message from node %d (%s): %v", id, m.kind, derr)
		}
		c.queue = append(c.queue, envelope{from: id, to: info.To, b: b})
	}
	if confApplied && !m.stopped {
		// Like etcd's servers: snapshot after a conf change, so that a node joining later can be
		// caught up (its log starts after the initial snapshot at index 1).
		c.snapshot(id, 0)
	}
	if err != nil {
		ne, _ := err.(*NodeErr)
		c.event(fmt.Sprintf("node %d: %s -> %v", id, what, err), nil)
		if ne == nil || !ne.Benign || !allowBenign {
			c.fail("node %d (%s): %s: %v", id, m.kind, what, err)
		}
	}
	return err
}

// checkSafety fails if node id applies an entry that differs from one applied elsewhere at the
// same index.
func (c *Cluster) checkSafety(id uint64, e Entry) {
	prev, ok := c.applied[e.Index]
	if !ok {
		c.applied[e.Index] = e
		return
	}
	if prev.Term != e.Term || prev.Type != e.Type || !bytes.Equal(prev.Data, e.Data) {
		c.fail("SAFETY: node %d (%s) applied %s at index %d where another node applied %s", id,
			c.m(id).kind, e, e.Index, prev)
	}
}

func (c *Cluster) snapshot(id uint64, compact uint64) {
	m := c.m(id)
	if m.applied <= m.snapIdx || m.applied <= 1 {
		return
	}
	if err := m.node.Snapshot(compact, encodeApp(m.app)); err != nil {
		c.fail("node %d: snapshot at %d (compact %d): %v", id, m.applied, compact, err)
	}
	m.snapIdx = m.applied
	c.event(fmt.Sprintf("node %d created snapshot at %d (compact %d)", id, m.applied, compact), nil)
}

// SnapshotAndCompact creates a snapshot at the node's applied index and compacts its log there.
func (c *Cluster) SnapshotAndCompact(id uint64) {
	m := c.m(id)
	if m.applied <= m.snapIdx {
		c.fail("node %d: nothing new to snapshot", id)
	}
	if err := m.node.Snapshot(m.applied, encodeApp(m.app)); err != nil {
		c.fail("node %d: snapshot+compact at %d: %v", id, m.applied, err)
	}
	m.snapIdx = m.applied
	c.event(fmt.Sprintf("node %d created snapshot and compacted at %d", id, m.applied), nil)
}

// Isolate cuts a node off from every other node (both directions).
func (c *Cluster) Isolate(id uint64) {
	for _, o := range c.ids {
		if o != id {
			c.cut[[2]uint64{id, o}] = true
			c.cut[[2]uint64{o, id}] = true
		}
	}
	c.event(fmt.Sprintf("isolate %d", id), nil)
}

// Partition splits the nodes into two sides.
func (c *Cluster) Partition(side []uint64) {
	for _, a := range c.ids {
		for _, b := range c.ids {
			if slices.Contains(side, a) != slices.Contains(side, b) {
				c.cut[[2]uint64{a, b}] = true
			}
		}
	}
	c.event(fmt.Sprintf("partition %v | rest", side), nil)
}

// Heal removes every partition.
func (c *Cluster) Heal() {
	c.cut = map[[2]uint64]bool{}
	c.event("heal", nil)
}

func (c *Cluster) deliver(e envelope) {
	info, _ := decodeMsg(e.b)
	to := c.members[e.to]
	if to == nil || to.stopped || c.cut[[2]uint64{e.from, e.to}] {
		c.event(fmt.Sprintf("drop %d->%d %s", e.from, e.to, info.TypeName), e.b)
		c.undelivered(e, info, true)
		return
	}
	if c.rng != nil && c.loss > 0 && c.rng.Float64() < c.loss {
		c.event(fmt.Sprintf("lose %d->%d %s", e.from, e.to, info.TypeName), e.b)
		c.undelivered(e, info, false)
		return
	}
	if c.rng != nil && c.duplicate > 0 && c.rng.Float64() < c.duplicate {
		c.queue = append(c.queue, e) // delivered again later
	}
	c.checkHeartbeatEcho(info)
	if info.Reject {
		switch info.TypeName {
		case "MsgAppResp":
			c.appRejects++
		case "MsgVoteResp", "MsgPreVoteResp":
			c.voteRejects++
		}
	}
	c.event(fmt.Sprintf("deliver %d->%d %s (%s->%s)", e.from, e.to, info.TypeName,
		c.members[e.from].kind, to.kind), e.b)
	out, err := to.node.Step(e.b)
	c.handle(e.to, "step "+info.TypeName, out, err, true)
	if info.Type == MsgSnap {
		// The snapshot was applied synchronously by the receiver: report it to the sender.
		if from := c.members[e.from]; !from.stopped {
			out, err := from.node.ReportSnapshot(e.to, true)
			c.handle(e.from, "report snapshot", out, err, false)
		}
	}
}

// undelivered tells the sender of a message that was not delivered what a transport would: a
// failed snapshot (etcd's ReportSnapshot(SnapshotFailure)), an unreachable peer when the link is
// down (ReportUnreachable).
func (c *Cluster) undelivered(e envelope, info MsgInfo, linkDown bool) {
	from := c.members[e.from]
	if from == nil || from.stopped {
		return
	}
	if info.Type == MsgSnap {
		out, err := from.node.ReportSnapshot(e.to, false)
		c.handle(e.from, "report snapshot failure", out, err, false)
	}
	if linkDown && c.members[e.to] != nil {
		out, err := from.node.ReportUnreachable(e.to)
		c.handle(e.from, "report unreachable", out, err, false)
	}
}

// checkHeartbeatEcho checks that a MsgHeartbeatResp echoes the context of a heartbeat the
// leader sent (etcd v3.7's ReadOnlySafe counter, or v3.6's request context).
func (c *Cluster) checkHeartbeatEcho(info MsgInfo) {
	switch info.Type {
	case MsgHeartbeat:
		k := [2]uint64{info.From, info.To}
		if c.hbCtx[k] == nil {
			c.hbCtx[k] = map[string]bool{}
		}
		c.hbCtx[k][string(info.Context)] = true
		if len(info.Context) > 0 {
			c.lastHbCtx[info.From] = info.Context
		}
	case MsgHeartbeatResp:
		k := [2]uint64{info.To, info.From}
		if !c.hbCtx[k][string(info.Context)] {
			c.fail("MsgHeartbeatResp %d->%d carries context %x that no heartbeat %d->%d had",
				info.From, info.To, info.Context, info.To, info.From)
		}
		if len(info.Context) > 0 {
			c.echoed++
		}
	}
}

// Settle delivers messages until the network is quiet.
func (c *Cluster) Settle() {
	c.t.Helper()
	for n := 0; len(c.queue) > 0; n++ {
		if n > 200000 {
			c.fail("the network does not quiesce")
		}
		e := c.queue[0]
		c.queue = c.queue[1:]
		c.deliver(e)
	}
}

// Tick advances the virtual clock n times (every live node ticks, then the network settles).
func (c *Cluster) Tick(n int) {
	c.t.Helper()
	for i := 0; i < n; i++ {
		c.ticks++
		for _, id := range c.Live() {
			out, err := c.m(id).node.Tick()
			c.handle(id, "tick", out, err, false)
		}
		c.Settle()
	}
}

// Leader returns the leader of the highest term among live nodes (0 if none).
func (c *Cluster) Leader() uint64 {
	var lead, term uint64
	for _, id := range c.Live() {
		st := c.m(id).node.Status()
		if st.State == StateLeader && st.Term >= term {
			if st.Term == term && lead != 0 {
				c.fail("two leaders at term %d: %d and %d", term, lead, id)
			}
			lead, term = id, st.Term
		}
	}
	return lead
}

// WaitLeader ticks until some node leads (failing after max ticks).
func (c *Cluster) WaitLeader(max int) uint64 {
	c.t.Helper()
	for i := 0; i <= max; i++ {
		if l := c.Leader(); l != 0 {
			return l
		}
		c.Tick(1)
	}
	c.fail("no leader after %d ticks", max)
	return 0
}

// Campaign makes id campaign and expects it to win.
func (c *Cluster) Campaign(id uint64) {
	c.t.Helper()
	c.event(fmt.Sprintf("campaign %d", id), nil)
	out, err := c.m(id).node.Campaign()
	c.handle(id, "campaign", out, err, false)
	c.Settle()
	c.expectLeader(id, "campaign")
}

// Transfer asks via (the leader, or a follower that forwards it) to transfer leadership to id.
func (c *Cluster) Transfer(via, id uint64) {
	c.t.Helper()
	c.event(fmt.Sprintf("transfer leadership to %d via %d", id, via), nil)
	out, err := c.m(via).node.TransferLeader(id)
	c.handle(via, "transfer leader", out, err, false)
	c.Settle()
	c.expectLeader(id, fmt.Sprintf("transfer via %d", via))
}

func (c *Cluster) expectLeader(id uint64, how string) {
	c.t.Helper()
	if l := c.Leader(); l != id {
		c.fail("%s: expected node %d (%s) to lead, leader is %d", how, id, c.m(id).kind, l)
	}
	// Let the new leader commit its empty entry everywhere.
	c.Settle()
}

// Propose proposes data on node id (leaders append, followers forward) and expects success.
func (c *Cluster) Propose(id uint64, data []byte) {
	c.t.Helper()
	out, err := c.m(id).node.Propose(data)
	c.handle(id, fmt.Sprintf("propose %d bytes", len(data)), out, err, false)
	c.proposed[string(data)] = true
}

// TryPropose proposes data and tolerates a dropped proposal; reports whether it was accepted.
func (c *Cluster) TryPropose(id uint64, data []byte) bool {
	c.t.Helper()
	out, err := c.m(id).node.Propose(data)
	return c.handle(id, fmt.Sprintf("propose %d bytes", len(data)), out, err, true) == nil
}

// ProposeConfChange proposes a conf change on node id (encoded by that node's implementation).
func (c *Cluster) ProposeConfChange(id uint64, cc CC) {
	c.t.Helper()
	c.event(fmt.Sprintf("node %d proposes conf change %+v", id, cc), nil)
	out, err := c.m(id).node.ProposeConfChange(cc)
	c.handle(id, "propose conf change", out, err, false)
}

// ReadIndex requests a read on node id.
func (c *Cluster) ReadIndex(id uint64, ctx []byte) {
	c.t.Helper()
	c.event(fmt.Sprintf("node %d read index ctx=%q", id, ctx), nil)
	out, err := c.m(id).node.ReadIndex(ctx)
	c.handle(id, "read index", out, err, false)
}

// Reads returns (and forgets) the read states node id has seen.
func (c *Cluster) Reads(id uint64) []ReadState {
	m := c.m(id)
	r := m.reads
	m.reads = nil
	return r
}

// ---- checks ----

// Converge ticks a few heartbeats so that every follower learns the final commit index, then
// checks that every live node applied the same log: same index, term, type and bytes, up to the
// leader's commit, and that every accepted proposal was applied exactly once.
func (c *Cluster) Converge() []Entry {
	c.t.Helper()
	c.Tick(3 * c.opts.Heartbeat)
	return c.CheckLogs()
}

// CheckLogs compares the app states of all live nodes.
func (c *Cluster) CheckLogs() []Entry {
	c.t.Helper()
	live := c.Live()
	ref := c.m(live[0])
	for _, id := range live {
		m := c.m(id)
		st := m.node.Status()
		if st.Applied != m.applied {
			c.fail("node %d reports applied=%d, the cluster saw %d", id, st.Applied, m.applied)
		}
		if m.applied != st.Commit {
			c.fail("node %d applied %d of commit %d", id, m.applied, st.Commit)
		}
		for i, e := range m.app {
			if e.Index != uint64(i+2) {
				c.fail("node %d: app entry %d has index %d", id, i, e.Index)
			}
		}
		if len(m.app) != len(ref.app) {
			c.fail("node %d (%s) applied %d entries, node %d (%s) %d", id, m.kind, len(m.app),
				ref.id, ref.kind, len(ref.app))
		}
		for i := range m.app {
			a, b := m.app[i], ref.app[i]
			if a.Index != b.Index || a.Term != b.Term || a.Type != b.Type || !bytes.Equal(a.Data, b.Data) {
				c.fail("node %d (%s) and node %d (%s) diverge at index %d: %s vs %s", id, m.kind,
					ref.id, ref.kind, a.Index, a, b)
			}
		}
		if st.Conf.String() != ref.node.Status().Conf.String() {
			c.fail("node %d has config {%s}, node %d {%s}", id, st.Conf, ref.id, ref.node.Status().Conf)
		}
	}
	count := map[string]int{}
	for _, e := range ref.app {
		if e.Type == EntryNormal && len(e.Data) > 0 {
			count[string(e.Data)]++
		}
	}
	for p := range c.proposed {
		if count[p] != 1 {
			c.fail("proposal %.20q... applied %d times", p, count[p])
		}
	}
	return ref.app
}

// payload makes a recognizable proposal of (at least 8) bytes.
func payload(tag string, k, size int) []byte {
	b := []byte(fmt.Sprintf("%s-%04d:", tag, k))
	for len(b) < size {
		b = append(b, byte('a'+(len(b)*7+k)%26))
	}
	return b
}

// WaitCaughtUp ticks until node id applied the leader's commit index.
func (c *Cluster) WaitCaughtUp(id uint64, max int) {
	c.t.Helper()
	for i := 0; i <= max; i++ {
		l := c.Leader()
		if l != 0 && c.m(id).applied >= c.m(l).node.Status().Commit {
			return
		}
		c.Tick(1)
	}
	c.fail("node %d did not catch up within %d ticks", id, max)
}

// TransferTick asks via to transfer leadership to id and ticks until id leads.
func (c *Cluster) TransferTick(via, id uint64, max int) {
	c.t.Helper()
	c.event(fmt.Sprintf("transfer leadership to %d via %d (ticking)", id, via), nil)
	out, err := c.m(via).node.TransferLeader(id)
	c.handle(via, "transfer leader", out, err, false)
	c.Settle()
	for i := 0; i <= max; i++ {
		if c.Leader() == id {
			c.Settle()
			return
		}
		c.Tick(1)
	}
	c.fail("transfer to %d via %d did not complete within %d ticks (leader %d)", id, via, max,
		c.Leader())
}

// WaitStableLeader ticks until a leader is acknowledged by every live node at its term.
func (c *Cluster) WaitStableLeader(max int) uint64 {
	c.t.Helper()
	for i := 0; i <= max; i++ {
		if l := c.Leader(); l != 0 {
			term, ok := c.Status(l).Term, true
			for _, id := range c.Live() {
				st := c.Status(id)
				ok = ok && st.Term == term && st.Lead == l
			}
			if ok {
				return l
			}
		}
		c.Tick(1)
	}
	c.fail("no leader acknowledged by every node after %d ticks", max)
	return 0
}
