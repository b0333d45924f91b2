// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// multiraft.go: workload (m), the multi-raft host hand-built on the library's RawNode (what a
// host without raftc_host writes): G 3-voter groups on 3 hosts in one process; a host Ready
// handles every group with a Ready (the host remembers which groups it ticked, stepped or
// proposed to, and asks only those, as a host of many groups must: asking all G groups for
// each of the write phase's G/16 rounds made the phase quadratic) and batches every message for one destination into one
// envelope (group id + raftpb bytes each, copied as a transport would); every group is ticked
// (etcd raft has no quiescence). Same figures as bench/c/bench_multiraft.c: live heap bytes per
// group replica and RSS per group (mr_mem_G), CPU per idle group per second at 10 ticks/s
// (mr_idle_ticking_G), entries/s with writes spread over the groups (mr_write_G).
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
	"time"
)

const mrHosts = 3

type mrHost struct {
	groups  []*node // group g at index g-1
	pending []int32 // indexes of the groups that may have a Ready since the host last looked
	spare   []int32 // the other buffer of pending, swapped in by ready
	marked  []bool  // marked[g]: g is in pending
	out     [mrHosts + 1][]byte
}

// mark notes that group index g may have a Ready (it was ticked, stepped, proposed to or
// handled).
func (h *mrHost) mark(g int) {
	if !h.marked[g] {
		h.marked[g] = true
		h.pending = append(h.pending, int32(g))
	}
}

type mrEnv struct {
	to  int
	buf []byte
}

type mrCluster struct {
	hosts     [mrHosts]*mrHost
	q         []mrEnv
	committed uint64
}

func cpuNs() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var pages, res int64
	_, _ = fmt.Sscan(string(b), &pages, &res)
	return res * 4096
}

// ready handles every host's Ready once; returns how many hosts had one.
func (c *mrCluster) ready() int {
	handled := 0
	for i, h := range c.hosts {
		any := false
		list := h.pending
		h.pending = h.spare[:0]
		for _, g32 := range list {
			g := int(g32)
			h.marked[g] = false
			n := h.groups[g]
			if !n.hasReady() {
				continue
			}
			any = true
			group := uint64(g + 1)
			a := n.handleReady(func(to uint64, b []byte) {
				var hdr [binary.MaxVarintLen64 * 2]byte
				k := binary.PutUvarint(hdr[:], group)
				k += binary.PutUvarint(hdr[k:], uint64(len(b)))
				h.out[to] = append(append(h.out[to], hdr[:k]...), b...)
			})
			if (g % mrHosts) == i {
				c.committed += uint64(a)
			}
			h.mark(g) // Advance may leave another Ready
		}
		h.spare = list
		if !any {
			continue
		}
		handled++
		for to := 1; to <= mrHosts; to++ {
			if len(h.out[to]) > 0 {
				c.q = append(c.q, mrEnv{to, append([]byte(nil), h.out[to]...)})
				h.out[to] = h.out[to][:0]
			}
		}
	}
	return handled
}

func (c *mrCluster) deliver() error {
	q := c.q
	c.q = nil
	for _, e := range q {
		h := c.hosts[e.to-1]
		b := e.buf
		for len(b) > 0 {
			group, k := binary.Uvarint(b)
			n, k2 := binary.Uvarint(b[k:])
			b = b[k+k2:]
			if err := h.groups[group-1].step(b[:n]); err != nil && err.Error() != "raft proposal dropped" {
				return err
			}
			h.mark(int(group - 1))
			b = b[n:]
		}
	}
	return nil
}

func (c *mrCluster) settle() error {
	for round := 0; round < 1000; round++ {
		if c.ready() == 0 && len(c.q) == 0 {
			return nil
		}
		if err := c.deliver(); err != nil {
			return err
		}
	}
	return fmt.Errorf("did not settle")
}

func (c *mrCluster) tick() error {
	for _, h := range c.hosts {
		for g, n := range h.groups {
			n.tick()
			h.mark(g)
		}
	}
	return c.settle()
}

func mrBuild(groups int) (*mrCluster, error) {
	c := &mrCluster{}
	voters := []uint64{1, 2, 3}
	for i := range c.hosts {
		h := &mrHost{groups: make([]*node, groups), marked: make([]bool, groups)}
		for g := range h.groups {
			h.groups[g] = newNode(uint64(i+1), voters)
		}
		c.hosts[i] = h
	}
	for g := 0; g < groups; g++ {
		c.hosts[g%mrHosts].groups[g].campaign()
		c.hosts[g%mrHosts].mark(g)
	}
	if err := c.settle(); err != nil {
		return nil, err
	}
	for g := 0; g < groups; g++ {
		if err := c.hosts[g%mrHosts].groups[g].propose([]byte("x")); err != nil {
			return nil, err
		}
		c.hosts[g%mrHosts].mark(g)
	}
	if err := c.settle(); err != nil {
		return nil, err
	}
	for t := 0; t < 3; t++ {
		if err := c.tick(); err != nil {
			return nil, err
		}
	}
	if c.committed != uint64(groups) {
		return nil, fmt.Errorf("first write committed in %d of %d groups", c.committed, groups)
	}
	return c, nil
}

func mrRun(groups, ticks int) {
	name := fmt.Sprintf("mr_mem_%d", groups)
	r0, h0 := rssBytes(), heapAlloc()
	c, err := mrBuild(groups)
	if err != nil {
		emitErr(name, err.Error())
		return
	}
	h1, r1 := heapAlloc(), rssBytes()
	emit(name, map[string]any{"groups": groups,
		"bytes_per_group": float64(int64(h1)-int64(h0)) / float64(groups*mrHosts),
		"rss_per_group":   float64(r1-r0) / float64(groups),
		"rss_per_replica": float64(r1-r0) / float64(groups*mrHosts)})

	t0 := cpuNs()
	for t := 0; t < ticks; t++ {
		if err := c.tick(); err != nil {
			emitErr(name, err.Error())
			return
		}
	}
	dt := cpuNs() - t0
	emit(fmt.Sprintf("mr_idle_ticking_%d", groups), map[string]any{"groups": groups,
		"ticks": ticks, "awake_replicas": groups * mrHosts,
		"ns_per_group_s": float64(dt) / float64(ticks) * 10 / float64(groups)})

	seed := uint64(42)
	rounds := groups * 4 / 64
	if rounds < 16 {
		rounds = 16
	}
	payload := []byte("0123456789abcdef")
	before := c.committed
	w0, c0 := time.Now(), cpuNs()
	for r := 0; r < rounds; r++ {
		for k := 0; k < 64; k++ {
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			g := int(seed % uint64(groups))
			if err := c.hosts[g%mrHosts].groups[g].propose(payload); err != nil {
				emitErr(name, err.Error())
				return
			}
			c.hosts[g%mrHosts].mark(g)
		}
		if err := c.settle(); err != nil {
			emitErr(name, err.Error())
			return
		}
		if r%8 == 7 {
			if err := c.tick(); err != nil {
				emitErr(name, err.Error())
				return
			}
		}
	}
	dw, dc := time.Since(w0), cpuNs()-c0
	n := c.committed - before
	emit(fmt.Sprintf("mr_write_%d", groups), map[string]any{"groups": groups, "entries": n,
		"entries_per_s":     float64(n) / dw.Seconds(),
		"entries_per_cpu_s": float64(n) * 1e9 / float64(dc)})
}

func benchMultiraft() {
	if s := os.Getenv("RAFTC_BENCH_MR_GROUPS"); s != "" {
		var g int
		_, _ = fmt.Sscan(s, &g)
		mrRun(g, 20)
		return
	}
	// 100,000 groups only on request (RAFTC_BENCH_MR_GROUPS=100000): every group is ticked (etcd
	// raft has no quiescence) at ~15 us per replica and tick, so the write phase's ticks alone
	// take about 20 minutes per run; raftc's host harness (bench/c) runs that size by default.
	mrRun(pick(1000, 10000), pick(10, 50))
}
