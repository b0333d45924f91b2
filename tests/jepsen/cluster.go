// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// cluster.go: a cluster of raftc-kv processes on loopback, started through the launcher flags of
// kv-protocol.md. Each node listens on its own port; its public URL (in every --peers) is its
// proxy's (proxy.go). Nodes are SIGKILLed and restarted over their data directories.
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

type node struct {
	id     uint64
	argv   []string // the implementation's command; the launcher flags are appended
	listen string   // host:port of its real listener
	data   string
	logf   string
	proxy  *proxy
	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	// volatile: the implementation keeps its state in memory (--volatile), so the nemesis
	// never SIGKILLs this node
	volatile bool
}

type cluster struct {
	nodes  []*node
	links  *links
	peers  string // the --peers value: every node at its proxy URL
	tickMS int
	snapN  int
	status *http.Client
}

// portRNG picks listen ports below the kernel's ephemeral range (32768-60999 on Linux), so the
// short gap between choosing a node's port and the node binding it is not filled by some
// process's outgoing connection or :0 listener (the machine may run other tests).
var portRNG = rand.New(rand.NewSource(time.Now().UnixNano() ^ int64(os.Getpid())<<20))

// listenFree listens on a free loopback port in [20000, 32000).
func listenFree() (net.Listener, error) {
	var err error
	for try := 0; try < 200; try++ {
		var ln net.Listener
		ln, err = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 20000+portRNG.Intn(12000)))
		if err == nil {
			return ln, nil
		}
	}
	return nil, err
}

func freePort() (string, error) {
	ln, err := listenFree()
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// newCluster prepares n nodes in dir; node i runs cmds[(i-1) % len(cmds)].
func newCluster(dir string, n int, cmds [][]string, tickMS, snapN int) (*cluster, error) {
	c := &cluster{links: &links{}, tickMS: tickMS, snapN: snapN,
		status: &http.Client{Timeout: 2 * time.Second}}
	var peers []string
	for i := 1; i <= n; i++ {
		addr, err := freePort()
		if err != nil {
			return nil, err
		}
		nd := &node{id: uint64(i), argv: cmds[(i-1)%len(cmds)], listen: addr,
			data: filepath.Join(dir, fmt.Sprintf("n%d", i)),
			logf: filepath.Join(dir, fmt.Sprintf("n%d.log", i))}
		if nd.proxy, err = startProxy(nd.id, "http://"+addr, c.links); err != nil {
			return nil, err
		}
		c.nodes = append(c.nodes, nd)
		peers = append(peers, fmt.Sprintf("%d=%s", i, nd.proxy.url()))
	}
	c.peers = strings.Join(peers, ",")
	return c, nil
}

func (c *cluster) start(nd *node) error {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.cmd != nil {
		return nil
	}
	args := append(append([]string{}, nd.argv[1:]...),
		"--id", fmt.Sprint(nd.id), "--listen", nd.listen, "--data", nd.data,
		"--peers", c.peers, "--tick-ms", fmt.Sprint(c.tickMS),
		"--snapshot-entries", fmt.Sprint(c.snapN))
	logf, err := os.OpenFile(nd.logf, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(logf, "==== %s start: %s %s\n", time.Now().Format(time.RFC3339Nano), nd.argv[0],
		strings.Join(args, " "))
	cmd := exec.Command(nd.argv[0], args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("node %d: %v", nd.id, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(exited)
	}()
	nd.cmd, nd.exited = cmd, exited
	return nil
}

func (nd *node) running() bool {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	return nd.cmd != nil
}

// kill SIGKILLs the node's process group and waits for it.
func (nd *node) kill() {
	nd.mu.Lock()
	cmd, exited := nd.cmd, nd.exited
	nd.cmd = nil
	nd.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-exited
}

// stop sends SIGTERM and reports whether the process exited 0 within 10 s (kv-protocol.md).
func (nd *node) stop() error {
	nd.mu.Lock()
	cmd, exited := nd.cmd, nd.exited
	nd.cmd = nil
	nd.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		if code := cmd.ProcessState.ExitCode(); code != 0 {
			return fmt.Errorf("node %d exited %d after SIGTERM", nd.id, code)
		}
		return nil
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		return fmt.Errorf("node %d did not stop within 10 s of SIGTERM", nd.id)
	}
}

// nodeStatus is the /status JSON of kv-protocol.md.
type nodeStatus struct {
	ID      uint64 `json:"id"`
	State   string `json:"state"`
	Term    uint64 `json:"term"`
	Lead    uint64 `json:"lead"`
	Commit  uint64 `json:"commit"`
	Applied uint64 `json:"applied"`
	Impl    string `json:"impl"`
}

func (c *cluster) statusOf(nd *node) (*nodeStatus, error) {
	resp, err := c.status.Get("http://" + nd.listen + "/status")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var st nodeStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, err
	}
	return &st, nil
}

// leader is the node that reports itself leader at the highest term, or nil.
func (c *cluster) leader() *node {
	var best *node
	var term uint64
	for _, nd := range c.nodes {
		if !nd.running() {
			continue
		}
		if st, err := c.statusOf(nd); err == nil && st.State == "StateLeader" && st.Term >= term {
			best, term = nd, st.Term
		}
	}
	return best
}

// converge waits until every node reports the same leader and term and the same applied
// index for a second; it returns the last statuses or an error after the timeout.
func (c *cluster) converge(timeout time.Duration) ([]*nodeStatus, error) {
	deadline := time.Now().Add(timeout)
	var stableSince time.Time
	var last []*nodeStatus
	var why string
	for time.Now().Before(deadline) {
		sts, ok := make([]*nodeStatus, len(c.nodes)), true
		for i, nd := range c.nodes {
			st, err := c.statusOf(nd)
			if err != nil {
				ok, why = false, fmt.Sprintf("node %d: %v", nd.id, err)
				break
			}
			sts[i] = st
			if st.Lead == 0 || st.Lead != sts[0].Lead || st.Term != sts[0].Term ||
				st.Applied != sts[0].Applied {
				ok, why = false, fmt.Sprintf("node %d: lead %d term %d applied %d; node 1: "+
					"lead %d term %d applied %d", nd.id, st.Lead, st.Term, st.Applied,
					sts[0].Lead, sts[0].Term, sts[0].Applied)
			}
		}
		if ok && last != nil && last[0].Applied == sts[0].Applied {
			if stableSince.IsZero() {
				stableSince = time.Now()
			} else if time.Since(stableSince) > time.Second {
				return sts, nil
			}
		} else {
			stableSince = time.Time{}
		}
		if ok {
			last = sts
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ex := c.exitedNodes(); ex != "" {
		why += "; " + ex
	}
	return last, fmt.Errorf("no convergence within %v (%s)", timeout, why)
}

// exitedNodes describes the nodes whose process ended without the nemesis killing it, with
// the last line of their log.
func (c *cluster) exitedNodes() string {
	var out []string
	for _, nd := range c.nodes {
		nd.mu.Lock()
		cmd, exited := nd.cmd, nd.exited
		nd.mu.Unlock()
		if cmd == nil {
			continue
		}
		select {
		case <-exited:
			last := ""
			if b, err := os.ReadFile(nd.logf); err == nil {
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				last = lines[len(lines)-1]
			}
			out = append(out, fmt.Sprintf("node %d exited (%s): %s", nd.id,
				cmd.ProcessState, last))
		default:
		}
	}
	return strings.Join(out, "; ")
}

func (c *cluster) shutdown() []error {
	var errs []error
	for _, nd := range c.nodes {
		if err := nd.stop(); err != nil {
			errs = append(errs, err)
		}
	}
	for _, nd := range c.nodes {
		nd.proxy.close()
	}
	return errs
}
