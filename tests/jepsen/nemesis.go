// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// nemesis.go: the fault schedule of one run, drawn from the run's seed: SIGKILLs (of the leader
// or of any node, never more than a minority down at once) and restarts over the same data
// directory, network partitions on the proxies (an isolated node, a majority/minority split, a
// node that can send but not receive), and heals.
package main

import (
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"time"
)

type nemesis struct {
	kill, part bool // which faults are on
	c          *cluster
	rng        *rand.Rand
	h          *history
	mu         sync.Mutex
	events     []string
	kills      int
	parts      int
}

func (n *nemesis) logf(format string, args ...interface{}) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.events = append(n.events, fmt.Sprintf("%8.3fs ", float64(n.h.now())/1e9)+
		fmt.Sprintf(format, args...))
}

func (n *nemesis) down() []*node {
	var out []*node
	for _, nd := range n.c.nodes {
		if !nd.running() {
			out = append(out, nd)
		}
	}
	return out
}

// partition cuts every link between the two sides (both directions unless oneWay: then only
// messages into side b are lost).
func (n *nemesis) partition(a, b []uint64, oneWay bool) {
	cut := map[[2]uint64]bool{}
	for _, x := range a {
		for _, y := range b {
			cut[[2]uint64{x, y}] = true
			if !oneWay {
				cut[[2]uint64{y, x}] = true
			}
		}
	}
	n.c.links.set(cut)
	n.parts++
}

func (n *nemesis) step() {
	ids := make([]uint64, len(n.c.nodes))
	for i, nd := range n.c.nodes {
		ids[i] = nd.id
	}
	minority := (len(ids) - 1) / 2
	down := n.down()
	r := n.rng.Float64()
	switch {
	case len(down) > 0 && r < 0.5:
		nd := down[n.rng.Intn(len(down))]
		if err := n.c.start(nd); err != nil {
			n.logf("restart node %d FAILED: %v", nd.id, err)
		} else {
			n.logf("restart node %d", nd.id)
		}
	case n.kill && len(down) < minority && r < 0.75:
		nd := n.c.nodes[n.rng.Intn(len(n.c.nodes))]
		what := "node"
		if n.rng.Intn(2) == 0 {
			if l := n.c.leader(); l != nil {
				nd, what = l, "leader"
			}
		}
		if nd.running() && !nd.volatile {
			nd.kill()
			n.kills++
			n.logf("SIGKILL %s %d", what, nd.id)
		}
	case n.part && r < 0.9:
		perm := n.rng.Perm(len(ids))
		k := 1 + n.rng.Intn(minority)
		var a, b []uint64
		for i, p := range perm {
			if i < k {
				b = append(b, ids[p])
			} else {
				a = append(a, ids[p])
			}
		}
		oneWay := n.rng.Intn(4) == 0
		n.partition(a, b, oneWay)
		arrow := "<->"
		if oneWay {
			arrow = "->x"
		}
		n.logf("partition %v %s %v", a, arrow, b)
	case n.part:
		n.c.links.set(nil)
		n.logf("heal")
	}
}

func (n *nemesis) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Duration(300+n.rng.Intn(900)) * time.Millisecond):
			n.step()
		}
	}
}

func (n *nemesis) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return strings.Join(n.events, "\n")
}
