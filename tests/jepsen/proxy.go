// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// proxy.go: the fault-injecting proxy in front of one node's HTTP listener. Every member
// addresses the node through its proxy (the proxy's URL is the node's URL in every --peers), so
// the proxy sees all raft traffic to the node. For POST /raft it reads the body (raftpb
// Messages, each preceded by its varint length, kv-protocol.md), drops the messages whose
// sender is cut off from this node and forwards the rest; when nothing is left it answers 204
// without forwarding, as a lossy network would. Everything else passes through unchanged.
// Partitions are therefore per directed link (from -> to), whatever the implementation.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// links is the cluster's directed connectivity: cut[from][to] means messages from -> to are lost.
type links struct {
	mu  sync.Mutex
	cut map[[2]uint64]bool
}

func (l *links) isCut(from, to uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cut[[2]uint64{from, to}]
}

func (l *links) set(cut map[[2]uint64]bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = cut
}

type proxy struct {
	to      uint64 // the node behind the proxy
	target  string // its real base URL
	links   *links
	ln      net.Listener
	srv     *http.Server
	client  *http.Client
	mu      sync.Mutex
	dropped int
	passed  int
}

// startProxy listens on a free loopback port for node `to` whose real base URL is target.
func startProxy(to uint64, target string, l *links) (*proxy, error) {
	ln, err := listenFree()
	if err != nil {
		return nil, err
	}
	p := &proxy{to: to, target: target, links: l, ln: ln,
		client: &http.Client{Timeout: 10 * time.Second}}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// url is the node's public base URL (the proxy's).
func (p *proxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) close() { _ = p.srv.Close() }

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 65<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodPost && r.URL.Path == "/raft" {
		kept, n, err := p.filter(body)
		if err == nil {
			p.mu.Lock()
			p.dropped += n
			p.mu.Unlock()
			if len(kept) == 0 {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			body = kept
		}
		// A body that does not parse goes through unchanged: the node must answer 400.
	}
	req, err := http.NewRequest(r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// filter returns the messages of a /raft body whose links are up, and how many it dropped.
func (p *proxy) filter(body []byte) ([]byte, int, error) {
	var kept []byte
	dropped := 0
	for rest := body; len(rest) > 0; {
		n, k := uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return nil, 0, errors.New("malformed body")
		}
		msg := rest[k : k+int(n)]
		from, err := messageFrom(msg)
		if err != nil {
			return nil, 0, err
		}
		if p.links.isCut(from, p.to) {
			dropped++
		} else {
			kept = append(kept, rest[:k+int(n)]...)
		}
		rest = rest[k+int(n):]
	}
	return kept, dropped, nil
}

func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, -1
}

// messageFrom reads raftpb Message.from (field 3, varint) from the message's protobuf bytes.
func messageFrom(b []byte) (uint64, error) {
	var from uint64
	for len(b) > 0 {
		tag, k := uvarint(b)
		if k <= 0 {
			return 0, errors.New("bad tag")
		}
		b = b[k:]
		field, wire := tag>>3, tag&7
		switch wire {
		case 0:
			v, k := uvarint(b)
			if k <= 0 {
				return 0, errors.New("bad varint")
			}
			if field == 3 {
				from = v
			}
			b = b[k:]
		case 1:
			if len(b) < 8 {
				return 0, errors.New("short fixed64")
			}
			b = b[8:]
		case 2:
			n, k := uvarint(b)
			if k <= 0 || uint64(len(b)-k) < n {
				return 0, errors.New("bad length")
			}
			b = b[k+int(n):]
		case 5:
			if len(b) < 4 {
				return 0, errors.New("short fixed32")
			}
			b = b[4:]
		default:
			return 0, fmt.Errorf("wire type %d", wire)
		}
	}
	return from, nil
}
