// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftexample: the replicated key-value service of the project's key-value protocol
// (docs/kv.md), written the way etcd's raftexample uses etcd raft. It runs on raftc through
// the Go binding; `go build -tags etcdraft` builds the same program on etcd raft itself.
//
//	raftexample --id 1 --listen 127.0.0.1:9001 --data /tmp/kv1 \
//	    --peers 1=http://127.0.0.1:9001,2=http://127.0.0.1:9002,3=http://127.0.0.1:9003
//
// The raft state lives in DATA/raft (raftc's disk storage: a write-ahead log and snapshots); a
// node restarts from it with the same command line, and SIGKILL loses no acknowledged write.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/raft/v3"
)

// server is one node with its HTTP listener.
type server struct {
	node *kvNode
	http *http.Server
	ln   net.Listener
}

func newServer(cfg nodeConfig, ln net.Listener) (*server, error) {
	n, err := startKVNode(cfg)
	if err != nil {
		return nil, err
	}
	s := &server{node: n, ln: ln, http: &http.Server{Handler: n.handler(), ReadHeaderTimeout: 10 * time.Second}}
	go s.http.Serve(ln)
	return s, nil
}

// stop stops the node and its listener (requests in flight get their answers first).
func (s *server) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.node.stop()
	s.http.Shutdown(ctx)
}

func main() {
	idFlag := flag.String("id", "", "this node's raft id (1 to 2^64-3)")
	listen := flag.String("listen", "", "HOST:PORT to listen on (client API and peers)")
	data := flag.String("data", "", "the node's data directory")
	peersFlag := flag.String("peers", "", "1=URL,2=URL,... every member, this node included")
	join := flag.Bool("join", false, "join an existing cluster (no bootstrap)")
	tickMS := flag.Int("tick-ms", 100, "tick interval in milliseconds")
	snapEntries := flag.Uint64("snapshot-entries", 10000, "snapshot every N applied entries (0 = never)")
	logLevel := flag.String("log-level", "info", "debug, info, warning or error")
	flag.Parse()
	id, err := parseID(*idFlag)
	var peers map[uint64]string
	if err == nil {
		peers, err = parsePeers(*peersFlag)
	}
	if err == nil {
		err = checkListen(*listen)
	}
	if err == nil && *data == "" {
		err = fmt.Errorf("need --data")
	}
	if err == nil && *tickMS <= 0 {
		err = fmt.Errorf("--tick-ms must be positive")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "raftexample: %v (need --id, --listen, --data, --peers)\n", err)
		os.Exit(2)
	}
	lg := &raft.DefaultLogger{Logger: log.New(os.Stderr, fmt.Sprintf("raft %d ", id), log.LstdFlags)}
	switch *logLevel {
	case "debug":
		lg.EnableDebug()
	case "info", "warning", "error":
	default:
		fmt.Fprintf(os.Stderr, "raftexample: bad --log-level %q\n", *logLevel)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "raftexample: %v\n", err)
		os.Exit(1)
	}
	s, err := newServer(nodeConfig{id: id, peers: peers, join: *join, data: *data,
		tick: time.Duration(*tickMS) * time.Millisecond, snapshotEntries: *snapEntries, logger: lg}, ln)
	if err != nil {
		fmt.Fprintf(os.Stderr, "raftexample: node %d: %v\n", id, err)
		os.Exit(1)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sigs:
	case <-s.node.donec: // applied its own removal
	}
	s.stop()
	os.Exit(0)
}
