// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// restart_test.go: the data directory. A node stopped and started again on its directory
// comes back with its state; a whole cluster of processes killed with SIGKILL and started
// again with the same command lines still holds every acknowledged write. The processes are
// this test binary re-executed as the program (TestMain), so `go test -tags etcdraft` runs the
// same test on etcd raft.

package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const runMainEnv = "RAFTEXAMPLE_TEST_RUN_MAIN"

// TestMain runs the program itself when the test binary is re-executed by a test.
func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestRestartFromDataDirectory(t *testing.T) {
	c := newTestCluster(t, 3)
	lead := c.waitLeader()
	for i := 0; i < 30; i++ {
		c.mustPut(uint64(1+i%3), fmt.Sprintf("r%d", i), fmt.Sprintf("v%d", i))
	}
	victim := uint64(1 + lead%3)
	old := c.servers[victim]
	cfg := old.node.cfg
	addr := old.ln.Addr().String()
	old.stop()
	c.mustPut(lead, "while-down", "x")
	// The directory is locked while a node has it open: a second node on it is refused.
	dupLn, _ := listen(t)
	defer dupLn.Close()
	if s, err := newServer(nodeConfig{id: cfg.id, peers: cfg.peers, data: c.servers[lead].node.cfg.data,
		tick: cfg.tick, logger: quiet()}, dupLn); err == nil {
		s.stop()
		t.Fatal("a second node opened a data directory in use")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cfg.peers = nil // a node with state ignores --peers
	c.servers[victim] = c.start(cfg, ln)
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := c.do("GET", victim, "/kv/while-down", "")
		if code == 200 && body == "x" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("restarted node %d: GET while-down = %d %q", victim, code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := 0; i < 30; i++ {
		key := fmt.Sprintf("r%d", i)
		if code, body := c.do("GET", victim, "/kv/"+key+"?consistency=serializable", ""); code != 200 || body != fmt.Sprintf("v%d", i) {
			t.Fatalf("restarted node %d: GET %s = %d %q", victim, key, code, body)
		}
	}
	if s := c.status(victim); len(s.Members) != 3 {
		t.Fatalf("restarted node's members %v", s.Members)
	}
}

// proc is one node process.
type proc struct {
	args []string
	cmd  *exec.Cmd
	url  string
}

func (p *proc) start(t *testing.T, logw io.Writer) {
	t.Helper()
	p.cmd = exec.Command(os.Args[0], p.args...)
	p.cmd.Env = append(os.Environ(), runMainEnv+"=1")
	dieWithTest(p.cmd)
	p.cmd.Stdout, p.cmd.Stderr = logw, logw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpDo(method, url, body string) (int, string, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func TestSIGKILLKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "nodes.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	var peers []string
	procs := make([]*proc, 3)
	addrs := make([]string, 3)
	for i := range procs {
		addrs[i] = freeAddr(t)
		peers = append(peers, fmt.Sprintf("%d=http://%s", i+1, addrs[i]))
	}
	for i := range procs {
		procs[i] = &proc{url: "http://" + addrs[i], args: []string{"--id", fmt.Sprint(i + 1),
			"--listen", addrs[i], "--data", filepath.Join(dir, fmt.Sprint("n", i+1)),
			"--peers", strings.Join(peers, ","), "--tick-ms", "10", "--snapshot-entries", "20",
			"--log-level", "error"}}
		procs[i].start(t, logf)
	}
	defer func() {
		for _, p := range procs {
			if p.cmd.ProcessState == nil {
				p.cmd.Process.Kill()
				p.cmd.Wait()
			}
		}
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("node logs:\n%s", b)
		}
	}()
	// Writes through every node; only the 204s count as acknowledged.
	acked := map[string]string{}
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; len(acked) < 60; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged", len(acked))
		}
		key, val := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i)
		code, _, err := httpDo("PUT", procs[i%3].url+"/kv/"+key, val)
		if err == nil && code == 204 {
			acked[key] = val
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
	for _, p := range procs {
		p.start(t, logf)
	}
	for key, val := range acked {
		for _, p := range procs {
			var code int
			var body string
			for deadline := time.Now().Add(20 * time.Second); ; {
				code, body, err = httpDo("GET", p.url+"/kv/"+key, "")
				if (err == nil && code == 200) || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if code != 200 || body != val {
				t.Fatalf("after SIGKILL and restart, GET %s on %s = %d %q (%v), want %q", key, p.url, code, body, err, val)
			}
		}
	}
	// A second process on a directory in use (node 1 serves from it) exits 1.
	dup := &proc{args: append([]string(nil), procs[0].args...)}
	dup.args[3] = freeAddr(t)
	dup.start(t, logf)
	dupDone := make(chan error, 1)
	go func() { dupDone <- dup.cmd.Wait() }()
	select {
	case err := <-dupDone:
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 {
			t.Fatalf("second process on a locked directory: %v, want exit status 1", err)
		}
	case <-time.After(20 * time.Second):
		dup.cmd.Process.Kill()
		t.Fatal("a second process on a locked directory kept running")
	}
	// SIGTERM: a clean exit with status 0.
	for _, p := range procs {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
	for i, p := range procs {
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("node %d after SIGTERM: %v", i+1, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("node %d did not exit within 10 s of SIGTERM", i+1)
		}
	}
}
