// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// faults_test.go: mixed clusters under random faults (partitions, message loss and duplication,
// leadership transfers, reads, snapshots with compaction), fixed seeds. Safety is checked on
// every apply (no two nodes ever apply different entries at one index); after the faults heal,
// the cluster must elect a leader and converge to one log (liveness).

package interop

import (
	"fmt"
	"math/rand"
	"testing"
)

// faultSeeds is the number of seeds per etcd version (env-independent: fixed and printed).
const faultSeeds = 80

func TestRandomFaults(t *testing.T) {
	for seed := int64(1); seed <= faultSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { randomFaults(t, seed) })
	}
}

func randomFaults(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	n := 3 + 2*rng.Intn(2)
	kinds := []byte{'e', 'r'} // at least one of each
	for len(kinds) < n {
		kinds = append(kinds, "er"[rng.Intn(2)])
	}
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	randomFaultsKinds(t, rng, seed, string(kinds))
}

// randomFaultsKinds runs the fault scenario on a cluster of the given kinds, drawing from rng.
func randomFaultsKinds(t *testing.T, rng *rand.Rand, seed int64, kinds string) {
	o := defaultOpts()
	o.PreVote = rng.Intn(2) == 0
	o.CheckQuorum = rng.Intn(2) == 0
	o.MaxSizePerMsg = uint64(1+rng.Intn(8)) << 10
	c := NewCluster(t, kinds, o)
	c.rng = rng
	t.Logf("seed %d: prevote=%v checkquorum=%v max-size=%d", seed, o.PreVote, o.CheckQuorum,
		o.MaxSizePerMsg)
	ids := c.Live()
	pick := func() uint64 { return ids[rng.Intn(len(ids))] }
	k := 0
	for step := 0; step < 250; step++ {
		switch r := rng.Intn(100); {
		case r < 45:
			c.Tick(1)
		case r < 75:
			c.TryPropose(pick(), payload(fmt.Sprintf("s%d", seed), k, 1+rng.Intn(3000)))
			k++
			if rng.Intn(2) == 0 {
				c.Settle()
			}
		case r < 80:
			side := []uint64{}
			for _, id := range ids {
				if rng.Intn(2) == 0 {
					side = append(side, id)
				}
			}
			c.Heal()
			c.Partition(side)
		case r < 85:
			c.Heal()
		case r < 88:
			c.loss = []float64{0, 0, 0.05, 0.2}[rng.Intn(4)]
			c.duplicate = []float64{0, 0.02, 0.05}[rng.Intn(3)]
			c.event(fmt.Sprintf("loss=%.2f duplicate=%.2f", c.loss, c.duplicate), nil)
		case r < 92:
			if l := c.Leader(); l != 0 {
				via := pick()
				out, err := c.m(via).node.TransferLeader(pick())
				c.handle(via, "transfer leader", out, err, true)
			}
		case r < 96:
			id := pick()
			out, err := c.m(id).node.ReadIndex([]byte(fmt.Sprintf("read-%d", step)))
			c.handle(id, "read index", out, err, true)
		default:
			// Snapshot and compact a node's log (a lagging peer then needs a snapshot).
			id := pick()
			if m := c.m(id); m.applied > m.snapIdx && m.applied > 1 {
				c.SnapshotAndCompact(id)
			}
		}
	}
	c.Settle()
	c.Heal()
	c.loss, c.duplicate = 0, 0
	c.event("faults off", nil)
	lead := c.WaitStableLeader(30 * o.Election)
	// Commit something in the final term, then every node must catch up.
	for i := 0; i < 30*o.Election; i++ {
		if c.TryPropose(lead, payload("final", int(seed), 10)) {
			break
		}
		c.Tick(1)
		lead = c.WaitStableLeader(30 * o.Election)
	}
	for _, id := range ids {
		c.WaitCaughtUp(id, 30*o.Election)
	}
	c.Converge()
	// Reads are served: each node gets a ReadState for a fresh context. Converge's ticks can
	// end a leader's term (CheckQuorum after the faults), and a read asked while the election
	// runs is dropped ("no leader"), as etcd does; like a client, ask again once a leader is
	// stable, a few times.
	for _, id := range ids {
		c.Reads(id)
	}
	for _, id := range ids {
		got := false
		for attempt := 0; attempt < 5 && !got; attempt++ {
			c.WaitStableLeader(30 * o.Election)
			ctx := fmt.Sprintf("final-%d-%d", id, attempt)
			c.ReadIndex(id, []byte(ctx))
			c.Settle()
			for _, rs := range c.Reads(id) {
				got = got || string(rs.Ctx) == ctx
			}
		}
		if !got {
			c.fail("node %d (%s) got no ReadState for its final read", id, c.Kind(id))
		}
	}
}
