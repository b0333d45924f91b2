// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftexample_test.go: a 3-node cluster of the key-value service on loopback, in-process,
// driven over HTTP as a client would. `go test` runs it on raftc (the Go binding),
// `go test -tags etcdraft` on etcd raft itself: the same program, the same test.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.etcd.io/raft/v3"
)

type testCluster struct {
	t       *testing.T
	servers map[uint64]*server
	urls    map[uint64]string
}

func listen(t *testing.T) (net.Listener, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln, "http://" + ln.Addr().String()
}

func quiet() raft.Logger { return &raft.DefaultLogger{Logger: log.New(io.Discard, "", 0)} }

func newTestCluster(t *testing.T, n int) *testCluster {
	c := &testCluster{t: t, servers: map[uint64]*server{}, urls: map[uint64]string{}}
	lns := map[uint64]net.Listener{}
	for i := uint64(1); i <= uint64(n); i++ {
		lns[i], c.urls[i] = listen(t)
	}
	for i := uint64(1); i <= uint64(n); i++ {
		peers := map[uint64]string{}
		for k, v := range c.urls {
			peers[k] = v
		}
		c.servers[i] = c.start(nodeConfig{id: i, peers: peers, data: t.TempDir(), tick: 10 * time.Millisecond,
			snapshotEntries: 20, logger: quiet()}, lns[i])
	}
	t.Cleanup(func() {
		for _, s := range c.servers {
			s.stop()
		}
	})
	return c
}

func (c *testCluster) start(cfg nodeConfig, ln net.Listener) *server {
	c.t.Helper()
	s, err := newServer(cfg, ln)
	if err != nil {
		c.t.Fatalf("node %d: %v", cfg.id, err)
	}
	return s
}

func (c *testCluster) do(method string, id uint64, path, body string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.urls[id]+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *testCluster) status(id uint64) statusJSON {
	c.t.Helper()
	code, body := c.do("GET", id, "/status", "")
	var s statusJSON
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil {
		c.t.Fatalf("status of %d: %d %s", id, code, body)
	}
	return s
}

func (c *testCluster) waitLeader() uint64 {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for id := range c.servers {
			if s := c.status(id); s.State == "StateLeader" {
				return id
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatal("no leader")
	return 0
}

func (c *testCluster) mustPut(id uint64, key, value string) {
	c.t.Helper()
	for i := 0; i < 50; i++ {
		code, body := c.do("PUT", id, "/kv/"+key, value)
		if code == 204 {
			return
		}
		if code != 503 {
			c.t.Fatalf("PUT %s on %d: %d %s", key, id, code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("PUT %s on %d: no leader", key, id)
}

func TestKVCluster(t *testing.T) {
	c := newTestCluster(t, 3)
	lead := c.waitLeader()
	if s := c.status(lead); s.Impl != "go" || s.Raft != raftImpl || len(s.Members) != 3 {
		t.Fatalf("status %+v", s)
	}
	// Writes on every node (followers forward), linearizable reads on every other node.
	for i := 0; i < 60; i++ {
		from := uint64(1 + i%3)
		key := fmt.Sprintf("k%d", i%10)
		c.mustPut(from, key, fmt.Sprintf("v%d", i))
		other := uint64(1 + (i+1)%3)
		if code, body := c.do("GET", other, "/kv/"+key, ""); code != 200 || body != fmt.Sprintf("v%d", i) {
			t.Fatalf("GET %s on %d after PUT on %d: %d %q", key, other, from, code, body)
		}
	}
	// Serializable read on the node that took the write (applied before its 204).
	c.mustPut(2, "a%2Fb", "slash")
	if code, body := c.do("GET", 2, "/kv/a%2Fb?consistency=serializable", ""); code != 200 || body != "slash" {
		t.Fatalf("serializable GET: %d %q", code, body)
	}
	// Delete, then a linearizable read elsewhere misses.
	if code, _ := c.do("DELETE", 3, "/kv/k1", ""); code != 204 {
		t.Fatalf("DELETE: %d", code)
	}
	if code, _ := c.do("GET", 1, "/kv/k1", ""); code != 404 {
		t.Fatalf("GET deleted: %d", code)
	}
	// Bad input.
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/kv/..", "", 400},
		{"GET", "/kv/%ff", "", 400},
		{"PUT", "/kv/" + strings.Repeat("x", 1025), "v", 413},
		{"PUT", "/kv/big", strings.Repeat("x", maxValue+1), 413},
		{"PATCH", "/kv/a", "", 405},
		{"POST", "/members/0", "http://x", 400},
		{"POST", "/members/9", "not a url", 400},
		{"DELETE", "/members/9", "", 404},
		{"POST", "/leader/9", "", 404},
		{"POST", "/raft", "\xff\xff\xff", 400},
		{"GET", "/kv/x?consistency=maybe", "", 400},
	} {
		if code, body := c.do(tc.method, 1, tc.path, tc.body); code != tc.want {
			t.Errorf("%s %s: %d %q, want %d", tc.method, tc.path, code, body, tc.want)
		}
	}
	// Snapshots were taken (snapshot-entries 20): the state survives them.
	if s := c.status(1); s.Applied < 60 {
		t.Fatalf("applied %d", s.Applied)
	}
	// Leadership transfer.
	target := uint64(1 + lead%3)
	if code, _ := c.do("POST", lead, fmt.Sprintf("/leader/%d", target), ""); code != 202 {
		t.Fatalf("transfer: %d", code)
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.status(target).State != "StateLeader" {
		if time.Now().After(deadline) {
			t.Fatalf("leadership did not move to %d", target)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A fourth node joins as a learner, then becomes a voter; it receives a snapshot (the log
	// was compacted) and serves reads.
	ln, url4 := listen(t)
	c.urls[4] = url4
	peers := map[uint64]string{}
	for k, v := range c.urls {
		peers[k] = v
	}
	c.servers[4] = c.start(nodeConfig{id: 4, peers: peers, join: true, data: t.TempDir(),
		tick: 10 * time.Millisecond, snapshotEntries: 20, logger: quiet()}, ln)
	if code, body := c.do("POST", target, "/members/4?learner=true", url4); code != 200 {
		t.Fatalf("add learner: %d %s", code, body)
	}
	if code, body := c.do("POST", target, "/members/4", url4); code != 200 {
		t.Fatalf("promote: %d %s", code, body)
	}
	if code, _ := c.do("POST", target, "/members/4", "http://elsewhere:1"); code != 409 {
		t.Fatalf("conflicting add: %d", code)
	}
	deadline = time.Now().Add(10 * time.Second)
	for c.status(4).Applied < c.status(target).Applied {
		if time.Now().After(deadline) {
			t.Fatalf("node 4 did not catch up: %+v vs %+v", c.status(4), c.status(target))
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.mustPut(4, "after-join", "yes")
	if code, body := c.do("GET", 4, "/kv/k9", ""); code != 200 || body != "v59" {
		t.Fatalf("GET on the joined node: %d %q", code, body)
	}
	if s := c.status(4); len(s.Members) != 4 {
		t.Fatalf("members on node 4: %v", s.Members)
	}
	// Removing a member: the removed node applies its removal and stops.
	victim := uint64(1 + target%3)
	if code, body := c.do("DELETE", target, fmt.Sprintf("/members/%d", victim), ""); code != 200 {
		t.Fatalf("remove: %d %s", code, body)
	}
	select {
	case <-c.servers[victim].node.donec:
	case <-time.After(10 * time.Second):
		t.Fatalf("removed node %d did not stop", victim)
	}
	c.mustPut(target, "after-remove", "ok")
	if s := c.status(target); len(s.Members) != 3 {
		t.Fatalf("members after removal: %v", s.Members)
	}
}

func TestPeerBodyFraming(t *testing.T) {
	ms := encodeMessages(nil, nil)
	if len(ms) != 0 {
		t.Fatal("empty batch encodes to bytes")
	}
	if _, err := decodeMessages([]byte{0x05, 0x08}); err == nil {
		t.Fatal("truncated body accepted")
	}
	b := bytes.Repeat([]byte{0}, 3)
	if msgs, err := decodeMessages(b); err != nil || len(msgs) != 3 {
		t.Fatalf("three empty messages: %v %v", msgs, err)
	}
}

func TestKVPBRoundTrip(t *testing.T) {
	c := &command{op: opPut, key: []byte("k"), value: []byte("v"), node: 3, seq: 99}
	d, err := unmarshalCommand(c.marshal())
	if err != nil || string(d.key) != "k" || string(d.value) != "v" || d.node != 3 || d.seq != 99 {
		t.Fatalf("command round trip: %+v %v", d, err)
	}
	s := &kvSnapshot{pairs: map[string][]byte{"b": []byte("2"), "a": {}}, members: []member{{2, "u2", true}, {1, "u1", false}}}
	r, err := unmarshalSnapshot(s.marshal())
	if err != nil || len(r.pairs) != 2 || r.members[0].id != 1 || !r.members[1].learner {
		t.Fatalf("snapshot round trip: %+v %v", r, err)
	}
	if _, err := unmarshalCommand([]byte{0x0a, 0x05}); err == nil {
		t.Fatal("malformed command accepted")
	}
}
