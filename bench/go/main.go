// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// main.go: the etcd raft side of the raftc benchmarks. The workload drivers live here; the
// version-specific glue (RawNode, MemoryStorage, raftpb codec) is in etcd36.go / etcd37.go,
// selected by the etcd36 build tag and the module file (go36.mod vs go.mod). Prints one JSON
// object per line, the same shape as bench/c/bench.c.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

var (
	quick    = flag.Bool("quick", false, "small sizes (harness check)")
	workload = flag.String("w", "all", "workload: a, b, c, d, m or all")
	runID    = flag.Int("run", 0, "run number, copied into the output")
	only     = flag.String("only", "", "run only the workload of this name (e.g. single_p64)")
	cpuProf  = flag.String("cpuprofile", "", "write a CPU profile (runtime/pprof) of the run to this file")
	memProf  = flag.String("memprofile", "", "write an allocation profile (every allocation) to this file")
)

func emit(bench string, kv map[string]any) {
	kv["lib"] = libName()
	kv["bench"] = bench
	kv["run"] = *runID
	b, _ := json.Marshal(kv)
	fmt.Println(string(b))
}

func emitErr(bench string, err string) {
	emit(bench, map[string]any{"error": err})
	fmt.Fprintf(os.Stderr, "%s %s: %s\n", libName(), bench, err)
}

// skip reports whether -only excludes the workload named bench.
func skip(bench string) bool { return *only != "" && *only != bench }

func pick(q, full int) int {
	if *quick {
		return q
	}
	return full
}

func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// cHeapBytes returns the bytes the C heap holds (set by the raftc-go build, whose library
// state lives in C); nil for etcd raft, whose state is all on Go's heap.
var cHeapBytes func() uint64

// heapAlloc returns the live heap bytes after two collections: Go's, plus C's for raftc-go.
func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var c uint64
	if cHeapBytes != nil {
		// The C memory of unreachable nodes and storages is freed by their cleanups, which run
		// after a collection on a goroutine of their own: collect until the C heap holds still.
		c = cHeapBytes()
		for i := 0; i < 100; i++ {
			time.Sleep(2 * time.Millisecond)
			runtime.GC()
			c2 := cHeapBytes()
			if c2 == c {
				break
			}
			c = c2
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + c
}

// settle processes Readys until none is left (bounded); messages are dropped.
func settle(n *node) {
	for i := 0; i < 100 && n.hasReady(); i++ {
		n.handleReady(nil)
	}
}

// ---- (a) one voter: propose -> ready -> persist -> commit -> apply -> advance ----

// oneMsg: the batch goes in one MsgProp (Step) instead of batch Propose calls.
func benchSingle(batch int, oneMsg bool, total int) {
	bench := fmt.Sprintf("single_b%d", batch)
	if oneMsg {
		bench = fmt.Sprintf("single_p%d", batch)
	}
	if skip(bench) {
		return
	}
	n := newNode(1, []uint64{1})
	n.campaign()
	settle(n)
	if !n.isLeader() {
		emitErr(bench, "single voter did not become leader")
		return
	}
	payload := make([]byte, 16)
	run := func(count int) bool {
		applied, stall := 0, 0
		for applied < count {
			if oneMsg {
				if err := n.proposeMsg(payload, batch); err != nil {
					emitErr(bench, "step MsgProp: "+err.Error())
					return false
				}
			}
			for j := 0; j < batch && !oneMsg; j++ {
				if err := n.propose(payload); err != nil {
					emitErr(bench, "propose: "+err.Error())
					return false
				}
			}
			before := applied
			for k := 0; k < 16 && n.hasReady(); k++ {
				applied += n.handleReady(nil)
			}
			if applied == before {
				if stall++; stall > 1000 {
					emitErr(bench, "no progress (entries not committed)")
					return false
				}
			} else {
				stall = 0
			}
			if ai := n.appliedIndex(); ai > n.firstIndex()+8192 {
				n.compact(ai)
			}
		}
		return true
	}
	if !run(total / 10) { // warm-up
		return
	}
	m0 := mallocs()
	t0 := time.Now()
	if !run(total) {
		return
	}
	el := time.Since(t0)
	m1 := mallocs()
	emit(bench, map[string]any{
		"entries":          total,
		"entries_per_s":    float64(total) / el.Seconds(),
		"ns_per_entry":     float64(el.Nanoseconds()) / float64(total),
		"allocs_per_entry": float64(m1-m0) / float64(total),
	})
}

// ---- (b) three voters over an in-memory transport that serializes every message ----

type wireMsg struct {
	to uint64
	b  []byte
}

type cluster struct {
	nodes      []*node
	q, q2      []wireMsg
	msgs, byts uint64 // messages delivered and their raftpb bytes
}

func newCluster() *cluster {
	c := &cluster{}
	voters := []uint64{1, 2, 3}
	for _, id := range voters {
		c.nodes = append(c.nodes, newNode(id, voters))
	}
	return c
}

// pump handles one Ready per node and delivers every message sent; returns the entries the
// leader (node 1) applied.
func (c *cluster) pump() (int, error) {
	applied := 0
	for i, n := range c.nodes {
		if !n.hasReady() {
			continue
		}
		a := n.handleReady(func(to uint64, b []byte) { c.q = append(c.q, wireMsg{to, b}) })
		if i == 0 {
			applied += a
		}
	}
	c.q, c.q2 = c.q2[:0], c.q
	for _, m := range c.q2 {
		c.msgs++
		c.byts += uint64(len(m.b))
		if m.to < 1 || m.to > uint64(len(c.nodes)) {
			continue
		}
		if err := c.nodes[m.to-1].step(m.b); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// clusterWarmup: entries run before the timed part, a tenth of the run and at least 5000 (past
// the storages' first compaction, so the timed part sees the steady state) when the run is that
// long; the same rule in every harness (bench/c, bench/rust, bench/c/canonical).
func clusterWarmup(total int) int {
	w := total / 10
	if w >= 5000 {
		return w
	}
	if total < 5000 {
		return total
	}
	return 5000
}

func benchCluster(size, total int) {
	bench := fmt.Sprintf("cluster3_%d", size)
	if skip(bench) {
		return
	}
	c := newCluster()
	c.nodes[0].campaign()
	for r := 0; r < 100 && !c.nodes[0].isLeader(); r++ {
		if _, err := c.pump(); err != nil {
			emitErr(bench, "step: "+err.Error())
			return
		}
	}
	if !c.nodes[0].isLeader() {
		emitErr(bench, "no leader elected within 100 rounds")
		return
	}
	batch := 64
	if size >= 64*1024 {
		batch = 4
	}
	window := 4 * batch
	payload := make([]byte, size)
	lastCompact := uint64(0)
	run := func(count int) bool {
		applied, proposed, stall := 0, 0, 0
		for applied < count {
			if proposed-applied < window {
				for j := 0; j < batch; j++ {
					if err := c.nodes[0].propose(payload); err != nil {
						emitErr(bench, "propose: "+err.Error())
						return false
					}
				}
				proposed += batch
			}
			a, err := c.pump()
			if err != nil {
				emitErr(bench, "step: "+err.Error())
				return false
			}
			applied += a
			if a == 0 {
				if stall++; stall > 1000 {
					emitErr(bench, "no progress (entries not committed)")
					return false
				}
			} else {
				stall = 0
			}
			minApplied := c.nodes[0].appliedIndex()
			for _, n := range c.nodes[1:] {
				if ai := n.appliedIndex(); ai < minApplied {
					minApplied = ai
				}
			}
			if minApplied > lastCompact+uint64(4096+2*window) {
				lastCompact = minApplied - uint64(2*window)
				for _, n := range c.nodes {
					n.compact(lastCompact)
				}
			}
		}
		return true
	}
	if !run(clusterWarmup(total)) {
		return
	}
	m0, b0 := c.msgs, c.byts
	t0 := time.Now()
	if !run(total) {
		return
	}
	el := time.Since(t0).Seconds()
	emit(bench, map[string]any{
		"entries":              total,
		"payload":              size,
		"entries_per_s":        float64(total) / el,
		"mb_per_s":             float64(total) * float64(size) / el / 1e6,
		"msgs_per_entry":       float64(c.msgs-m0) / float64(total),
		"wire_bytes_per_entry": float64(c.byts-b0) / float64(total),
		"persists":             "HardState (term, vote, commit) when changed + entries",
	})
}

// ---- (c) encode / decode of raftpb Messages ----

func benchCodec() {
	minDur := time.Duration(pick(20, 300)) * time.Millisecond
	for _, name := range []string{"app_1x16", "app_16x1k", "app_1x64k", "heartbeat", "vote"} {
		enc, dec := codecCase(name)
		b := enc()
		if err := dec(b); err != nil {
			emitErr("codec_"+name, "decode: "+err.Error())
			continue
		}
		measure := func(f func()) (float64, float64) {
			iters := 0
			m0 := mallocs()
			t0 := time.Now()
			for time.Since(t0) < minDur {
				for i := 0; i < 256; i++ {
					f()
				}
				iters += 256
			}
			el := time.Since(t0)
			m1 := mallocs()
			return float64(el.Nanoseconds()) / float64(iters), float64(m1-m0) / float64(iters)
		}
		encNs, encAllocs := measure(func() { _ = enc() })
		decNs, decAllocs := measure(func() { _ = dec(b) })
		emit("codec_"+name, map[string]any{
			"bytes":         len(b),
			"encode_ns":     encNs,
			"encode_allocs": encAllocs,
			"decode_ns":     decNs,
			"decode_allocs": decAllocs,
		})
	}
}

// ---- (d) memory ----

// idleGroup builds node 1 of a 3-voter group after a heartbeat cycle, as bench_memory.c does:
// follower: leader 2 (term 2) appended and committed its empty entry (index 2), then sent a
// heartbeat; node 1 answered both. Leader: node 1 won the term-2 election, its empty entry was
// acked by 2 and 3 and applied, then one tick sent a heartbeat round that both peers answered.
func idleGroup(leader bool) (*node, error) {
	n := newNode(1, []uint64{1, 2, 3})
	settle(n)
	if !leader {
		if err := n.step(encodeMsg(kindApp, 1, 2, 2, 1, 1, 2, &[2]uint64{2, 2})); err != nil {
			return nil, err
		}
		settle(n)
		if err := n.step(encodeMsg(kindHeartbeat, 1, 2, 2, 0, 0, 2, nil)); err != nil {
			return nil, err
		}
		settle(n)
		return n, nil
	}
	n.campaign()
	settle(n)
	if err := n.step(encodeMsg(kindVoteResp, 1, 2, n.term(), 0, 0, 0, nil)); err != nil {
		return nil, err
	}
	settle(n)
	if !n.isLeader() {
		return nil, fmt.Errorf("not leader after a granted vote")
	}
	li := n.lastIndex()
	for _, from := range []uint64{2, 3} {
		if err := n.step(encodeMsg(kindAppResp, 1, from, n.term(), 0, li, 0, nil)); err != nil {
			return nil, err
		}
	}
	settle(n)
	n.tick()
	settle(n)
	for _, from := range []uint64{2, 3} {
		if err := n.step(encodeMsg(kindHeartbeatResp, 1, from, n.term(), 0, 0, 0, nil)); err != nil {
			return nil, err
		}
	}
	settle(n)
	return n, nil
}

func benchMemory() {
	groups := pick(1000, 10000)
	for _, role := range []string{"follower", "leader"} {
		keep := make([]*node, 0, groups)
		h0 := heapAlloc()
		for i := 0; i < groups; i++ {
			n, err := idleGroup(role == "leader")
			if err != nil {
				emitErr("mem_idle_"+role, err.Error())
				return
			}
			keep = append(keep, n)
		}
		h1 := heapAlloc()
		runtime.KeepAlive(keep)
		keep = nil
		emit("mem_idle_"+role, map[string]any{
			"groups":          groups,
			"bytes_per_group": float64(int64(h1)-int64(h0)) / float64(groups),
		})
	}

	entries := pick(100000, 1000000)
	const size = 16
	n := newNode(1, []uint64{1})
	n.campaign()
	settle(n)
	if !n.isLeader() {
		emitErr("mem_entries", "single voter did not become leader")
		return
	}
	h0 := heapAlloc()
	applied := 0
	for applied < entries {
		for j := 0; j < 64 && applied+j < entries; j++ {
			if err := n.propose(make([]byte, size)); err != nil { // fresh payload, as a host would
				emitErr("mem_entries", err.Error())
				return
			}
		}
		before := applied
		for k := 0; k < 16 && n.hasReady(); k++ {
			applied += n.handleReady(nil)
		}
		if applied == before {
			emitErr("mem_entries", "no progress")
			return
		}
	}
	h1 := heapAlloc()
	runtime.KeepAlive(n)
	emit("mem_entries", map[string]any{
		"entries":                  entries,
		"payload":                  size,
		"bytes_per_entry_overhead": float64(int64(h1)-int64(h0))/float64(entries) - size,
	})
}

func main() {
	flag.Parse()
	if *cpuProf != "" {
		f, err := os.Create(*cpuProf)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpuprofile:", err)
			os.Exit(2)
		}
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	if *memProf != "" {
		runtime.MemProfileRate = 1
		defer func() {
			f, err := os.Create(*memProf)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "memprofile:", err)
			}
		}()
	}
	w := *workload
	if w == "a" || w == "all" {
		benchSingle(1, false, pick(50000, 500000))
		benchSingle(64, false, pick(200000, 2000000))
		benchSingle(64, true, pick(200000, 2000000))
	}
	if w == "b" || w == "all" {
		benchCluster(16, pick(20000, 300000))
		benchCluster(128, pick(20000, 300000))
		benchCluster(1024, pick(20000, 200000))
		benchCluster(65536, pick(1000, 20000))
	}
	if w == "c" || w == "all" {
		benchCodec()
	}
	if w == "d" || w == "all" {
		benchMemory()
	}
	if w == "m" || w == "all" {
		benchMultiraft()
	}
}
