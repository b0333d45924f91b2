// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// flags.go: the launcher flags every raftc-kv implementation shares (docs/kv.md), checked as
// the Python raftc-kv checks them: ids 1 to 2^64-3, --peers entries ID=http(s)://HOST:PORT
// without a query or fragment (a trailing / removed), each id once, --listen HOST:PORT.

package main

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// maxID is the largest node id: 2^64-2 and 2^64-1 are raft's local thread ids.
const maxID = math.MaxUint64 - 2

// parseID parses a node id in decimal (1 to 2^64-3).
func parseID(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("node id %q is not a decimal number", s)
	}
	if n == 0 || n > maxID {
		return 0, fmt.Errorf("node id %d is out of range (1 to %d)", n, uint64(maxID))
	}
	return n, nil
}

// parseURL checks a member's base URL (http(s)://HOST:PORT) and removes a trailing /.
func parseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("bad URL %q: %v", s, err)
	}
	port, perr := strconv.Atoi(u.Port())
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || perr != nil || port <= 0 || port > 65535 {
		return "", fmt.Errorf("bad URL %q: want http://HOST:PORT", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", fmt.Errorf("bad URL %q: no query or fragment allowed", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// parsePeers parses --peers: "1=URL,2=URL"; an id given twice is refused.
func parsePeers(s string) (map[uint64]string, error) {
	peers := map[uint64]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ids, u, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("peer %q: want ID=URL", part)
		}
		id, err := parseID(ids)
		if err != nil {
			return nil, err
		}
		if _, dup := peers[id]; dup {
			return nil, fmt.Errorf("peer %d appears twice", id)
		}
		if peers[id], err = parseURL(u); err != nil {
			return nil, err
		}
	}
	if len(peers) == 0 {
		return nil, fmt.Errorf("no peers")
	}
	return peers, nil
}

// checkListen checks --listen: HOST:PORT with a port from 1 to 65535 (HOST may be empty).
func checkListen(s string) error {
	_, port, err := net.SplitHostPort(s)
	if err == nil {
		var n int
		if n, err = strconv.Atoi(port); err == nil && (n <= 0 || n > 65535) {
			err = fmt.Errorf("port out of range")
		}
	}
	if err != nil {
		return fmt.Errorf("--listen wants HOST:PORT, not %q", s)
	}
	return nil
}
