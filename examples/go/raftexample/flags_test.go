// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestLauncherFlags(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{{"1", true}, {"18446744073709551613", true}, {"0", false}, {"18446744073709551614", false},
		{"-1", false}, {"x", false}, {"", false}} {
		if _, err := parseID(tc.in); (err == nil) != tc.ok {
			t.Errorf("parseID(%q): %v", tc.in, err)
		}
	}
	p, err := parsePeers("1=http://127.0.0.1:9001/, 2=https://h:9002")
	if err != nil || len(p) != 2 || p[1] != "http://127.0.0.1:9001" || p[2] != "https://h:9002" {
		t.Fatalf("parsePeers: %v %v", p, err)
	}
	for _, bad := range []string{"", "1", "1=http://a:1,1=http://b:2", "0=http://a:1", "1=ftp://a:1",
		"1=http://a", "1=http://a:1?x=y", "1=http://a:1#f", "1=http://:1", "1=http://a:70000"} {
		if _, err := parsePeers(bad); err == nil {
			t.Errorf("parsePeers(%q) accepted", bad)
		}
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{{"127.0.0.1:9001", true}, {":9001", true}, {"[::1]:80", true}, {"127.0.0.1", false},
		{"h:0", false}, {"h:65536", false}, {"h:x", false}} {
		if err := checkListen(tc.in); (err == nil) != tc.ok {
			t.Errorf("checkListen(%q): %v", tc.in, err)
		}
	}
}

// TestBadFlagsExit2: the program refuses bad launcher flags with exit status 2.
func TestBadFlagsExit2(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--id", "0", "--listen", "127.0.0.1:1", "--data", dir, "--peers", "1=http://127.0.0.1:1"},
		{"--id", "1", "--listen", "127.0.0.1:1", "--data", dir, "--peers", "1=http://a:1,1=http://b:2"},
		{"--id", "1", "--listen", "nowhere", "--data", dir, "--peers", "1=http://127.0.0.1:1"},
	} {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), runMainEnv+"=1")
		out, err := cmd.CombinedOutput()
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) || exitErr.ExitCode() != 2 {
			t.Errorf("%v: %v (%s), want exit status 2", args, err, out)
		}
	}
}

// TestDuplicateIDRefused: a node on an empty data directory refuses to start when its id is
// already served (the node answers /status with it) or the members give it another URL, and
// when it is not in --peers.
func TestDuplicateIDRefused(t *testing.T) {
	c := newTestCluster(t, 3)
	c.waitLeader()
	c.mustPut(1, "k", "v")
	peersWith := func(id uint64, url string) map[uint64]string {
		p := map[uint64]string{}
		for k, v := range c.urls {
			p[k] = v
		}
		p[id] = url
		return p
	}
	try := func(id uint64, peers map[uint64]string) error {
		ln, url := listen(t)
		if peers == nil {
			peers = peersWith(id, url)
		}
		s, err := newServer(nodeConfig{id: id, peers: peers, join: true, data: t.TempDir(),
			tick: 10 * time.Millisecond, logger: quiet()}, ln)
		if err == nil {
			s.stop()
			return nil
		}
		ln.Close()
		return err
	}
	// Node 2 is running: a second node 2 is refused.
	if err := try(2, nil); err == nil || !strings.Contains(err.Error(), "already running") || !strings.Contains(err.Error(), c.urls[2]) {
		t.Fatalf("second node 2 at a new URL: %v", err)
	}
	// Node 3 is down, but the members still list it at its URL: a new node 3 elsewhere is refused.
	c.servers[3].stop()
	delete(c.servers, 3)
	if err := try(3, nil); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("member 3 is at %s", c.urls[3])) {
		t.Fatalf("node 3 at a new URL while the members list it elsewhere: %v", err)
	}
	// Not in --peers.
	if err := try(7, c.urls); err == nil || !strings.Contains(err.Error(), "not in --peers") {
		t.Fatalf("node 7 without itself in --peers: %v", err)
	}
	// A new id is not refused.
	if err := try(4, nil); err != nil {
		t.Fatalf("a new node 4: %v", err)
	}
}
