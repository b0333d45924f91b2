// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// main.go: raftc-jepsen, a Jepsen-style test of any raftc-kv implementation (kv-protocol.md),
// driven only through the launcher flags, the client API and /status:
//
//	raftc-jepsen --node-cmd 'raftc-kv' [--node-cmd 'other-impl' ...] [--seeds 1,2,3]
//	             [--duration 15s] [--nodes 3] [--clients 4] [--keys 3] [--tick-ms 20]
//	             [--snapshot-entries 64] [--faults kill,partition] [--soak 10m]
//	             [--workdir DIR] [--keep] [--volatile K]
//
// Per seed: a fresh cluster on loopback (node i runs the ((i-1) mod k)-th --node-cmd, so several
// commands make a mixed cluster), concurrent clients doing reads, writes and deletes on a few
// keys through every node (after a leader tour: every node leads in turn and takes writes and
// reads through every node), and a seeded nemesis (SIGKILLs and restarts, partitions through the
// proxies in front of every node). Then everything heals, every node must converge on one
// leader and applied index, a final linearizable read of every key goes through every node and
// a serializable read on every node must agree with it (every node applied the same state),
// every node must stop within 10 s of SIGTERM with status 0, and the whole history must be
// linearizable (porcupine; timeouts are unknown outcomes). An acknowledged write that is lost
// shows as a read that no linearization explains.
//
// --volatile K (repeatable) marks the K-th --node-cmd (0-based) as keeping its state in memory:
// its nodes are never SIGKILLed (a restart could not bring their state back), the others are.
//
// --soak runs consecutive seeds from the first one until the time is spent. The last line is
// "jepsen: P passed, F failed"; the exit status is 1 if any seed failed. A failing seed's
// directory (node logs, nemesis.log, linearizability visualization) is kept.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type cmdList [][]string

func (c *cmdList) String() string { return fmt.Sprint(*c) }
func (c *cmdList) Set(s string) error {
	f := strings.Fields(s)
	if len(f) == 0 {
		return errors.New("empty command")
	}
	*c = append(*c, f)
	return nil
}

// intList is a repeatable integer flag.
type intList []int

func (l *intList) String() string { return fmt.Sprint(*l) }
func (l *intList) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	*l = append(*l, v)
	return nil
}

type config struct {
	cmds                 cmdList
	volatile             intList // indexes into cmds of implementations never SIGKILLed
	duration             time.Duration
	nodes, clients, keys int
	tickMS, snapN        int
	workdir              string
	keep                 bool
	kill, partition      bool // the nemesis's faults
	leaderTour           bool
}

func main() {
	var cfg config
	var seeds string
	var soak time.Duration
	flag.Var(&cfg.cmds, "node-cmd", "command that starts one node (launcher flags appended); "+
		"repeat for a mixed cluster")
	flag.Var(&cfg.volatile, "volatile", "index (0-based) of a --node-cmd whose nodes keep their "+
		"state in memory: never SIGKILLed; repeatable")
	flag.StringVar(&seeds, "seeds", "1,2,3", "comma-separated seeds (the first one starts --soak)")
	flag.DurationVar(&cfg.duration, "duration", 15*time.Second, "workload time per seed")
	flag.IntVar(&cfg.nodes, "nodes", 3, "cluster size")
	flag.IntVar(&cfg.clients, "clients", 4, "concurrent clients")
	flag.IntVar(&cfg.keys, "keys", 3, "number of keys")
	flag.IntVar(&cfg.tickMS, "tick-ms", 20, "--tick-ms of every node")
	flag.IntVar(&cfg.snapN, "snapshot-entries", 64, "--snapshot-entries of every node")
	flag.DurationVar(&soak, "soak", 0, "run consecutive seeds for this long")
	flag.StringVar(&cfg.workdir, "workdir", "", "where runs keep their data (default: a temp dir)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the data of passing seeds too")
	flag.BoolVar(&cfg.leaderTour, "leader-tour", true, "first make every node leader in turn, "+
		"writing and reading through every node under each")
	faults := flag.String("faults", "kill,partition", "the nemesis's faults: kill (SIGKILL and "+
		"restart), partition, or both")
	flag.Parse()
	for _, f := range strings.Split(*faults, ",") {
		switch strings.TrimSpace(f) {
		case "kill":
			cfg.kill = true
		case "partition":
			cfg.partition = true
		case "":
		default:
			fmt.Fprintf(os.Stderr, "unknown fault %q\n", f)
			os.Exit(2)
		}
	}
	if len(cfg.cmds) == 0 || cfg.nodes < 1 || cfg.clients < 1 || cfg.keys < 1 {
		fmt.Fprintln(os.Stderr, "usage: raftc-jepsen --node-cmd CMD [flags] (see -h)")
		os.Exit(2)
	}
	var list []int64
	for _, s := range strings.Split(seeds, ",") {
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bad seed %q\n", s)
			os.Exit(2)
		}
		list = append(list, v)
	}
	tempDir := cfg.workdir == ""
	if tempDir {
		d, err := os.MkdirTemp("", "raftc-jepsen")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		cfg.workdir = d
	}
	passed, failed := 0, 0
	run := func(seed int64) {
		if err := runSeed(cfg, seed); err != nil {
			failed++
			fmt.Printf("seed %d: FAILED: %v\n", seed, err)
		} else {
			passed++
		}
	}
	if soak > 0 {
		end := time.Now().Add(soak)
		for seed := list[0]; time.Now().Before(end); seed++ {
			run(seed)
		}
	} else {
		for _, seed := range list {
			run(seed)
		}
	}
	if failed == 0 && !cfg.keep && tempDir {
		os.RemoveAll(cfg.workdir)
	}
	fmt.Printf("jepsen: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

func runSeed(cfg config, seed int64) (err error) {
	dir := filepath.Join(cfg.workdir, fmt.Sprintf("seed-%d", seed))
	if err := os.RemoveAll(dir); err != nil { // every run starts from empty data directories
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c, err := newCluster(dir, cfg.nodes, cfg.cmds, cfg.tickMS, cfg.snapN)
	if err != nil {
		return err
	}
	for i, nd := range c.nodes {
		for _, v := range cfg.volatile {
			if i%len(cfg.cmds) == v {
				nd.volatile = true
			}
		}
	}
	h := &history{start: time.Now()}
	nem := &nemesis{c: c, rng: rand.New(rand.NewSource(seed)), h: h, kill: cfg.kill,
		part: cfg.partition}
	nem.logf("start %d nodes: %v (faults: kill %v, partition %v)", cfg.nodes, cfg.cmds,
		cfg.kill, cfg.partition)
	defer func() {
		for _, e := range c.shutdown() {
			if err == nil {
				err = e
			}
		}
		_ = os.WriteFile(filepath.Join(dir, "nemesis.log"), []byte(nem.String()+"\n"), 0o644)
		if err != nil {
			writeHistory(h.ops, h.dropped, filepath.Join(dir, "history.txt"))
		}
		if err == nil && !cfg.keep {
			os.RemoveAll(dir)
		} else if err != nil {
			err = fmt.Errorf("%v (logs in %s)", err, dir)
		}
	}()
	for _, nd := range c.nodes {
		if err := c.start(nd); err != nil {
			return err
		}
	}
	if _, err := c.converge(30 * time.Second); err != nil {
		return fmt.Errorf("the fresh cluster: %v", err)
	}
	if cfg.leaderTour {
		if err := leaderTour(c, h, cfg.keys, nem); err != nil {
			return err
		}
	}

	stop := make(chan struct{})
	done := make(chan struct{}, 2)
	go func() { runClients(c, h, seed, cfg.clients, cfg.keys, stop); done <- struct{}{} }()
	go func() { nem.run(stop); done <- struct{}{} }()
	time.Sleep(cfg.duration)
	close(stop)
	<-done
	<-done

	// Heal everything and restart every node that is down.
	c.links.set(nil)
	nem.logf("heal; restart every node that is down")
	for _, nd := range c.nodes {
		if err := c.start(nd); err != nil {
			return err
		}
	}
	if _, err := c.converge(60 * time.Second); err != nil {
		return fmt.Errorf("after healing: %v", err)
	}
	if err := finalReads(c, h, cfg.keys); err != nil {
		return err
	}
	if err := checkLinearizable(h.ops, h.dropped, 2*time.Minute,
		filepath.Join(dir, "history.html")); err != nil {
		return err
	}
	fmt.Printf("seed %d: linearizable: %d ops (%d acknowledged writes, %d reads, %d unknown, "+
		"%d refused), %d kills, %d partitions\n", seed, len(h.ops), h.ackedWrites, h.reads,
		h.unknown, h.refused, nem.kills, nem.parts)
	return nil
}

// finalReads reads every key linearizably through every node (into the history) and then
// serializably on every node, which must give the same value: every node applied the same state.
func finalReads(c *cluster, h *history, nKeys int) error {
	kc := newKVClient()
	for k := 0; k < nKeys; k++ {
		in := kvInput{Op: opGet, Key: fmt.Sprintf("k%d", k)}
		var want string
		for i, nd := range c.nodes {
			var v string
			class := unknown
			for try := 0; try < 50 && class != definite; try++ {
				call := h.now()
				var what string
				v, class, what = kc.do("http://"+nd.listen, in)
				if class == definite {
					h.add(1000+i, in, kvOutput{Value: v}, call, h.now(), what)
				} else {
					time.Sleep(200 * time.Millisecond)
				}
			}
			if class != definite {
				return fmt.Errorf("final read of %s through node %d never answered", in.Key, nd.id)
			}
			want = v
		}
		for _, nd := range c.nodes {
			resp, err := kc.http.Get("http://" + nd.listen + "/kv/" + in.Key +
				"?consistency=serializable")
			if err != nil {
				return fmt.Errorf("serializable read on node %d: %v", nd.id, err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return fmt.Errorf("serializable read on node %d: %v", nd.id, err)
			}
			got := ""
			if resp.StatusCode == http.StatusOK {
				got = string(body)
			} else if resp.StatusCode != http.StatusNotFound {
				return fmt.Errorf("serializable read of %s on node %d: status %d", in.Key, nd.id,
					resp.StatusCode)
			}
			if got != want {
				return fmt.Errorf("node %d applied a different state: %s = %q, the cluster has %q",
					nd.id, in.Key, got, want)
			}
		}
	}
	return nil
}
