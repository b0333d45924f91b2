// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// interop_test.go: mixed etcd raft / raftc clusters exchanging raftpb bytes. Run by
// tools/interop-test.sh against etcd raft v3.7 (go.mod) and v3.6 (go36.mod, -tags etcd36) with
// RAFTC_INTEROP_PEER set to the raftc-interop-peer executable.

package interop

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The raftc side of the fixed-kind scenarios below: the peer process ('r', "raftc") by
// default; TestGoBindingScenarios reruns them with the Go binding ('g', "raftc-go").
var (
	raftcLetter = "r"
	raftcKind   = "raftc"
)

// withRaftc spells a cluster's kinds with the raftc side of the current run.
func withRaftc(kinds string) string { return strings.ReplaceAll(kinds, "r", raftcLetter) }

var sizes = []int{8, 17, 64, 100, 333, 1000, 4096, 9000, 20000, 40000}

// replicate: every node leads in turn (campaign, transfer by the leader, transfer forwarded by a
// follower), 100 proposals of varied sizes made on the leader and on followers (forwarded).
func replicate(t *testing.T, kinds string) {
	c := NewCluster(t, kinds, defaultOpts())
	ids := c.Live()
	leaders := append(slices.Clone(ids), ids[0])
	k := 0
	for round, lead := range leaders {
		term := uint64(0)
		if l := c.Leader(); l != 0 {
			term = c.Status(l).Term
		}
		switch {
		case round == 0 || round == len(ids):
			c.Campaign(lead)
		case round%2 == 1:
			c.Transfer(c.Leader(), lead)
		default:
			var via uint64
			for _, id := range ids {
				if id != lead && id != c.Leader() {
					via = id
				}
			}
			c.Transfer(via, lead)
		}
		if got := c.Status(lead).Term; got != term+1 {
			c.fail("new leader %d at term %d, want %d", lead, got, term+1)
		}
		for j := 0; j < 25; j++ {
			c.Propose(ids[k%len(ids)], payload("p", k, sizes[k%len(sizes)]))
			if k%4 == 3 {
				c.Settle()
			}
			k++
		}
		c.Settle()
		c.Converge()
	}
	app := c.Converge()
	if c.appRejects != 0 || c.voteRejects != 0 {
		c.fail("%d MsgAppResp and %d vote rejections in a cluster without faults", c.appRejects,
			c.voteRejects)
	}
	// 100 proposals + one empty entry per leadership term.
	if want := 100 + len(leaders); len(app) != want {
		c.fail("applied %d entries, want %d", len(app), want)
	}
}

func TestReplicationTwoEtcdOneRaftc(t *testing.T) { replicate(t, "eer") }
func TestReplicationOneEtcdTwoRaftc(t *testing.T) { replicate(t, "err") }

// TestLeaderTransfer: transfers between every pair of implementations, requested by the leader
// or forwarded by a follower of the other implementation, to up-to-date and lagging transferees,
// and transfers that time out (proposals dropped meanwhile). With PreVote, the MsgTimeoutNow
// campaign skips the pre-vote and its MsgVote carries etcd's "CampaignTransfer" context.
func TestLeaderTransfer(t *testing.T) {
	o := defaultOpts()
	// PreVote keeps a transferee isolated for an election timeout from disrupting the cluster
	// when it returns (its randomized election timeout may expire first).
	o.PreVote = true
	c := NewCluster(t, withRaftc("eerr"), o)
	c.Campaign(1)
	k := 0
	prop := func(n int) {
		for i := 0; i < n; i++ {
			c.Propose(c.Live()[k%4], payload("t", k, sizes[k%len(sizes)]))
			k++
		}
		c.Settle()
	}
	step := func(via, to uint64) {
		term := c.Status(c.Leader()).Term
		c.Transfer(via, to)
		if got := c.Status(to).Term; got != term+1 {
			c.fail("transfer to %d: term %d, want %d", to, got, term+1)
		}
		prop(5)
	}
	prop(5)
	step(1, 3) // etcd leader -> raftc
	step(3, 4) // raftc -> raftc
	step(1, 2) // raftc leader -> etcd, forwarded by an etcd follower
	step(3, 1) // etcd leader -> etcd, forwarded by a raftc follower
	c.Converge()

	lagging := func(lead, target uint64) {
		c.Isolate(target)
		for i := 0; i < 10; i++ {
			c.Propose(lead, payload("lag", k, 500))
			k++
		}
		c.Settle()
		c.Heal()
		term := c.Status(lead).Term
		c.TransferTick(lead, target, 3*o.Election)
		if got := c.Status(target).Term; got != term+1 {
			c.fail("transfer to lagging %d: term %d, want %d", target, got, term+1)
		}
		prop(4)
	}
	lagging(1, 4) // etcd leader, lagging raftc transferee
	lagging(4, 2) // raftc leader, lagging etcd transferee
	c.Converge()

	aborted := func(lead, target uint64) {
		c.Isolate(target)
		term := c.Status(lead).Term
		out, err := c.m(lead).node.TransferLeader(target)
		c.handle(lead, "transfer leader", out, err, false)
		c.Settle()
		if got := c.Status(lead).LeadTransferee; got != target {
			c.fail("leader %d: lead transferee %d, want %d", lead, got, target)
		}
		if c.TryPropose(lead, payload("dropped", k, 10)) {
			c.fail("leader %d accepted a proposal during a leadership transfer", lead)
		}
		k++
		c.Tick(o.Election + 1)
		if l := c.Leader(); l != lead || c.Status(lead).Term != term || c.Status(lead).LeadTransferee != 0 {
			c.fail("aborted transfer: leader %d term %d transferee %d, want leader %d term %d transferee 0",
				l, c.Status(lead).Term, c.Status(lead).LeadTransferee, lead, term)
		}
		c.Heal()
		c.Tick(2) // the returning node hears from the leader again
		prop(4)
	}
	aborted(2, 3) // etcd leader, unreachable raftc transferee
	c.Transfer(2, 4)
	aborted(4, 1) // raftc leader, unreachable etcd transferee
	c.Converge()
}

// TestConfChange: a raftc learner joins (snapshot from an etcd leader), is promoted by a
// forwarded raftc-encoded ConfChange, leads an explicit joint change (ConfChangeV2) that adds an
// etcd node and removes another, the joint config is left by a forwarded empty ConfChangeV2, and
// an etcd leader runs an auto-leave joint change adding a raftc learner and removing a node.
func TestConfChange(t *testing.T) {
	o := defaultOpts()
	c := NewCluster(t, withRaftc("eer"), o)
	c.Campaign(1)
	k := 0
	prop := func(ids ...uint64) {
		for _, id := range ids {
			c.Propose(id, payload("cc", k, sizes[k%len(sizes)]))
			k++
		}
		c.Settle()
	}
	expectConf := func(want string) {
		c.t.Helper()
		c.Settle()
		for _, id := range c.Live() {
			if got := c.Status(id).Conf.String(); got != want {
				c.fail("node %d (%s) config {%s}, want {%s}", id, c.Kind(id), got, want)
			}
		}
	}
	prop(1, 2, 3)

	// 1. A raftc learner joins: etcd leader, V1 AddLearnerNode.
	c.AddNode(4, rune(raftcLetter[0]))
	c.ProposeConfChange(1, CC{Changes: []CCSingle{{CCAddLearnerNode, 4}}})
	c.Settle()
	c.WaitCaughtUp(4, 5*o.Election)
	if c.m(4).snaps == 0 {
		c.fail("node 4 joined without a snapshot")
	}
	expectConf("voters=[1 2 3] learners=[4] outgoing=[] learners_next=[] autoleave=false")
	prop(4, 1) // a learner forwards proposals too
	c.Converge()

	// 2. Promotion, proposed by a raftc follower (raftc-encoded V1, forwarded to etcd).
	c.ProposeConfChange(3, CC{Changes: []CCSingle{{CCAddNode, 4}}})
	c.Settle()
	c.Converge()
	expectConf("voters=[1 2 3 4] learners=[] outgoing=[] learners_next=[] autoleave=false")

	// 3. The promoted raftc node leads an explicit joint change: add etcd 5, remove etcd 2.
	c.Transfer(1, 4)
	prop(4, 2)
	c.AddNode(5, 'e')
	c.ProposeConfChange(4, CC{V2: true, Transition: TransitionJointExplicit,
		Changes: []CCSingle{{CCAddNode, 5}, {CCRemoveNode, 2}}})
	c.Settle()
	c.WaitCaughtUp(5, 5*o.Election)
	if c.m(5).snaps == 0 {
		c.fail("node 5 joined without a snapshot")
	}
	expectConf("voters=[1 3 4 5] learners=[] outgoing=[1 2 3 4] learners_next=[] autoleave=false")
	prop(5, 1, 3, 4)
	c.Converge()

	// 4. Leave the joint config: empty V2 from etcd node 1, forwarded to the raftc leader.
	c.ProposeConfChange(1, CC{V2: true})
	c.Settle()
	c.Tick(1)
	if c.m(4).node.Status().Conf.String() != "voters=[1 3 4 5] learners=[] outgoing=[] learners_next=[] autoleave=false" {
		c.fail("leader did not leave the joint config: {%s}", c.m(4).node.Status().Conf)
	}
	c.Stop(2)
	c.Converge()
	expectConf("voters=[1 3 4 5] learners=[] outgoing=[] learners_next=[] autoleave=false")

	// 5. An etcd leader runs an implicit (auto-leave) joint change proposed by a raftc node:
	// add raftc learner 6, remove etcd 1.
	c.Transfer(3, 5)
	c.AddNode(6, rune(raftcLetter[0]))
	c.ProposeConfChange(3, CC{V2: true, Transition: TransitionAuto,
		Changes: []CCSingle{{CCAddLearnerNode, 6}, {CCRemoveNode, 1}}})
	c.Settle()
	c.Tick(2)
	if got := c.Status(5).Conf.String(); got != "voters=[3 4 5] learners=[6] outgoing=[] learners_next=[] autoleave=false" {
		c.fail("etcd leader did not auto-leave the joint config: {%s}", got)
	}
	c.Stop(1)
	c.WaitCaughtUp(6, 5*o.Election)
	if c.m(6).snaps == 0 {
		c.fail("node 6 joined without a snapshot")
	}
	prop(3, 4, 5, 6)
	app := c.Converge()
	expectConf("voters=[3 4 5] learners=[6] outgoing=[] learners_next=[] autoleave=false")

	// Every conf change entry carries the bytes its proposer encoded; etcd and raftc applied the
	// same ones. Count them: 5 proposed (one of them the explicit leave-joint) + the automatic
	// leave-joint of the etcd leader.
	n := 0
	for _, e := range app {
		if e.Type != EntryNormal {
			n++
		}
	}
	if n != 6 {
		c.fail("applied %d conf change entries, want 6", n)
	}
}

// TestSnapshot: log compaction on the leader; a lagging follower of the other implementation is
// caught up by a snapshot (Data = the app state), in both directions.
func TestSnapshot(t *testing.T) {
	o := defaultOpts()
	c := NewCluster(t, withRaftc("eer"), o)
	k := 0
	lagBehind := func(lead, lagger uint64) {
		c.t.Helper()
		before := c.m(lagger).snaps
		c.Isolate(lagger)
		for i := 0; i < 30; i++ {
			c.Propose(lead, payload("snap", k, sizes[k%len(sizes)]))
			k++
			if i%5 == 4 {
				c.Settle()
			}
		}
		c.Tick(3)
		for _, id := range c.Live() {
			if id != lagger {
				c.SnapshotAndCompact(id)
			}
		}
		c.Heal()
		c.WaitCaughtUp(lagger, 5*o.Election)
		if c.m(lagger).snaps == before {
			c.fail("node %d (%s) caught up without a snapshot", lagger, c.Kind(lagger))
		}
		c.Propose(lagger, payload("after-snap", k, 100)) // forwarded
		k++
		c.Settle()
		c.Converge()
	}
	c.Campaign(1)
	c.Propose(1, payload("first", 0, 10))
	c.Converge()
	lagBehind(1, 3) // etcd leader, raftc follower
	c.Transfer(1, 3)
	lagBehind(3, 2) // raftc leader, etcd follower
	c.Transfer(3, 2)
	lagBehind(2, 3) // etcd leader again, against raftc's compacted log
	c.Converge()
}

// TestPreVoteCheckQuorum: PreVote and CheckQuorum on; isolated followers do not bump their
// term nor disturb the leader on return; an isolated leader steps down, the majority elects a
// new leader, and the old leader's uncommitted entries are replaced on heal.
func TestPreVoteCheckQuorum(t *testing.T) {
	o := defaultOpts()
	o.PreVote, o.CheckQuorum = true, true
	c := NewCluster(t, withRaftc("eeerr"), o)
	c.WaitLeader(20 * o.Election)
	k := 0
	prop := func(id uint64, n int) {
		for i := 0; i < n; i++ {
			c.Propose(id, payload("pv", k, sizes[k%len(sizes)]))
			k++
		}
		c.Settle()
	}
	prop(c.Leader(), 5)
	c.Converge()

	followerOf := func(kind string) uint64 {
		for _, id := range c.Live() {
			if c.Kind(id) == kind && id != c.Leader() {
				return id
			}
		}
		c.fail("no %s follower", kind)
		return 0
	}
	for _, kind := range []string{"etcd", raftcKind} {
		f := followerOf(kind)
		lead := c.Leader()
		term := c.Status(lead).Term
		c.Isolate(f)
		c.Tick(4 * o.Election)
		if st := c.Status(f); st.Term != term || (st.State != StatePreCandidate && st.State != StateFollower) {
			c.fail("isolated %s follower %d: %s term %d, want a pre-candidate at term %d",
				kind, f, stateName(st.State), st.Term, term)
		}
		prop(lead, 3)
		c.Heal()
		c.Tick(2 * o.Election)
		if c.Leader() != lead || c.Status(lead).Term != term {
			c.fail("returning follower %d disturbed leader %d (now leader %d term %d, was term %d)",
				f, lead, c.Leader(), c.Status(c.Leader()).Term, term)
		}
		c.Converge()
	}

	for _, kind := range []string{"etcd", raftcKind} {
		old := c.Leader()
		if c.Kind(old) != kind {
			c.TransferTick(old, followerOf(kind), 2*o.Election)
			old = c.Leader()
		}
		term := c.Status(old).Term
		c.Isolate(old)
		lost := payload("lost", k, 50)
		k++
		if !c.TryPropose(old, lost) {
			c.fail("isolated leader %d refused a proposal before stepping down", old)
		}
		var nl uint64
		for i := 0; i < 10*o.Election && (nl == 0 || nl == old); i++ {
			c.Tick(1)
			nl = c.Leader()
		}
		if nl == 0 || nl == old {
			c.fail("no new leader after isolating %s leader %d", kind, old)
		}
		if st := c.Status(old); st.State == StateLeader {
			c.Tick(2 * o.Election)
			if st = c.Status(old); st.State == StateLeader {
				c.fail("isolated leader %d did not step down (CheckQuorum)", old)
			}
		}
		if c.Status(old).Term != term {
			c.fail("isolated old leader %d moved to term %d (PreVote should keep %d)", old,
				c.Status(old).Term, term)
		}
		prop(nl, 4)
		c.Heal()
		c.Tick(2 * o.Election)
		if c.Leader() != nl || c.Status(old).Lead != nl || c.Status(old).Term != c.Status(nl).Term {
			c.fail("after heal: leader %d, old leader %d follows %d at term %d (leader term %d)",
				c.Leader(), old, c.Status(old).Lead, c.Status(old).Term, c.Status(nl).Term)
		}
		app := c.Converge()
		for _, e := range app {
			if bytes.Equal(e.Data, lost) {
				c.fail("the isolated leader's uncommitted proposal was applied")
			}
		}
	}
}

// readAll issues a read on every live node and checks each gets its ReadState with its context
// echoed and the leader's commit index.
func readAll(c *Cluster, tag string) {
	c.t.Helper()
	lead := c.Leader()
	commit := c.Status(lead).Commit
	for _, id := range c.Live() {
		c.ReadIndex(id, []byte(fmt.Sprintf("%s-%d-%d", tag, lead, id)))
	}
	c.Settle()
	for _, id := range c.Live() {
		want := []byte(fmt.Sprintf("%s-%d-%d", tag, lead, id))
		rs := c.Reads(id)
		if len(rs) != 1 || !bytes.Equal(rs[0].Ctx, want) || rs[0].Index != commit {
			c.fail("node %d (%s), leader %d (%s): read states %v, want one {%d %q}", id,
				c.Kind(id), lead, c.Kind(lead), rs, commit, want)
		}
	}
}

func readIndexScenario(t *testing.T, o Opts) {
	c := NewCluster(t, withRaftc("eerr"), o)
	k := 0
	for _, lead := range []uint64{1, 3, 2, 4} {
		if c.Leader() == 0 {
			c.Campaign(lead)
		} else {
			c.Transfer(c.Leader(), lead)
		}
		for i := 0; i < 3; i++ {
			c.Propose(c.Live()[k%4], payload("ri", k, 100))
			k++
		}
		c.Settle()
		c.Converge()
		echoed := c.echoed
		readAll(c, fmt.Sprintf("r%d", k))
		if !o.LeaseRead {
			if c.echoed == echoed {
				c.fail("ReadOnlySafe reads with leader %d went through no heartbeat context", lead)
			}
			// etcd v3.7 (and raftc, which follows it) send an 8-byte counter as the heartbeat
			// context of ReadOnlySafe; v3.6 sends the request context of the read.
			ctx := c.lastHbCtx[lead]
			if c.Kind(lead) == raftcKind || etcdVersion() >= "v3.7" {
				if len(ctx) != 8 {
					c.fail("leader %d (%s): heartbeat context %q, want an 8-byte counter", lead,
						c.Kind(lead), ctx)
				}
			} else if !bytes.HasPrefix(ctx, []byte("r")) {
				c.fail("etcd %s leader %d: heartbeat context %q, want a request context",
					etcdVersion(), lead, ctx)
			}
		}
		// Reads while proposals are in flight: the read index is at least the commit index
		// when the read was issued.
		before := c.Status(lead).Commit
		for i := 0; i < 3; i++ {
			c.Propose(lead, payload("ri", k, 1000))
			k++
		}
		for _, id := range c.Live() {
			c.ReadIndex(id, []byte(fmt.Sprintf("inflight-%d", id)))
		}
		c.Settle()
		for _, id := range c.Live() {
			rs := c.Reads(id)
			if len(rs) != 1 || rs[0].Index < before || rs[0].Index > c.Status(lead).Commit ||
				string(rs[0].Ctx) != fmt.Sprintf("inflight-%d", id) {
				c.fail("node %d: in-flight read states %v (commit before %d)", id, rs, before)
			}
		}
	}
	c.Converge()
	if c.appRejects != 0 || c.voteRejects != 0 {
		c.fail("%d MsgAppResp and %d vote rejections in a cluster without faults", c.appRejects,
			c.voteRejects)
	}
}

// TestReadIndex: ReadOnlySafe reads on every node under etcd and raftc leaders; the heartbeat
// context (v3.7: an 8-byte counter; v3.6: the request context) must be echoed across
// implementations.
func TestReadIndex(t *testing.T) { readIndexScenario(t, defaultOpts()) }

// TestReadIndexLeaseBased: the same with ReadOnlyLeaseBased (CheckQuorum on).
func TestReadIndexLeaseBased(t *testing.T) {
	o := defaultOpts()
	o.CheckQuorum, o.LeaseRead = true, true
	readIndexScenario(t, o)
}

// TestRemoveLeader: with StepDownOnRemoval, an etcd leader and then a raftc leader commit their
// own removal and step down; the remaining mixed cluster elects a new leader and converges.
func TestRemoveLeader(t *testing.T) {
	o := defaultOpts()
	o.StepDownOnRemoval = true
	c := NewCluster(t, withRaftc("eerrr"), o)
	k := 0
	prop := func() {
		for _, id := range c.Live() {
			c.Propose(id, payload("rl", k, sizes[k%len(sizes)]))
			k++
		}
		c.Settle()
	}
	for _, lead := range []uint64{1, 3} {
		if c.Leader() == 0 {
			c.Campaign(lead)
		} else {
			c.Transfer(c.Leader(), lead)
		}
		prop()
		c.Converge()
		c.ProposeConfChange(lead, CC{Changes: []CCSingle{{CCRemoveNode, lead}}})
		c.Settle()
		if st := c.Status(lead); st.State == StateLeader {
			c.fail("removed %s leader %d did not step down", c.Kind(lead), lead)
		}
		c.Stop(lead)
		nl := c.WaitStableLeader(10 * o.Election)
		if nl == lead {
			c.fail("removed node %d leads", lead)
		}
		prop()
		c.Converge()
		if got := c.Status(nl).Conf.Voters; slices.Contains(got, lead) {
			c.fail("node %d still a voter: %v", lead, got)
		}
	}
}
