// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// httpapi.go: the client API and the /raft endpoint of the key-value protocol
// (../shared/design/kv-protocol.md, docs/kv.md).

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	pb "go.etcd.io/raft/v3/raftpb"
)

const (
	maxKey     = 1024
	maxValue   = 1 << 20
	reqTimeout = 5 * time.Second
)

// handler routes on the raw path (no cleaning: "/kv/.." is a bad key, not a redirect).
func (n *kvNode) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		switch {
		case strings.HasPrefix(p, "/kv/"):
			n.serveKV(w, r)
		case strings.HasPrefix(p, "/members/"):
			n.serveMembers(w, r)
		case strings.HasPrefix(p, "/leader/"):
			n.serveLeader(w, r)
		case p == "/status":
			n.serveStatus(w, r)
		case p == "/raft":
			n.serveRaft(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

func fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errNoLeader):
		w.Header().Set("Retry-After", "1")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	default:
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
	}
}

// keyOf returns the percent-decoded key of /kv/{key}, or an HTTP status.
func keyOf(r *http.Request) (string, int) {
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/kv/")
	if raw == "" || strings.Contains(raw, "/") {
		return "", http.StatusBadRequest
	}
	key, err := url.PathUnescape(raw)
	if err != nil || key == "." || key == ".." || !utf8.ValidString(key) {
		return "", http.StatusBadRequest
	}
	if len(key) > maxKey {
		return "", http.StatusRequestEntityTooLarge
	}
	return key, 0
}

func (n *kvNode) serveKV(w http.ResponseWriter, r *http.Request) {
	key, code := keyOf(r)
	if code != 0 {
		if code == http.StatusRequestEntityTooLarge {
			w.Header().Set("Connection", "close")
		}
		http.Error(w, "bad key", code)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), reqTimeout)
	defer cancel()
	switch r.Method {
	case http.MethodPut:
		value, err := io.ReadAll(io.LimitReader(r.Body, maxValue+1))
		if err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		if len(value) > maxValue {
			w.Header().Set("Connection", "close")
			http.Error(w, "value too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := n.propose(ctx, opPut, []byte(key), value); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		if err := n.propose(ctx, opDelete, []byte(key), nil); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodGet:
		var v []byte
		var ok bool
		switch r.URL.Query().Get("consistency") {
		case "", "linearizable":
			var err error
			if v, ok, err = n.read(ctx, key); err != nil {
				fail(w, err)
				return
			}
		case "serializable":
			v, ok = n.localRead(key)
		default:
			http.Error(w, "bad consistency", http.StatusBadRequest)
			return
		}
		if !ok {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusOK)
		w.Write(v)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func idOf(prefix string, r *http.Request) (uint64, bool) {
	id, err := strconv.ParseUint(strings.TrimPrefix(r.URL.Path, prefix), 10, 64)
	return id, err == nil && id != 0
}

func (n *kvNode) serveMembers(w http.ResponseWriter, r *http.Request) {
	id, ok := idOf("/members/", r)
	if !ok {
		http.Error(w, "bad member id", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), reqTimeout)
	defer cancel()
	n.mu.Lock()
	voterURL, isVoter := n.members[id]
	learnerURL, isLearner := n.learners[id]
	n.mu.Unlock()
	switch r.Method {
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
		u, perr := url.Parse(string(body))
		if err != nil || perr != nil || u.Scheme == "" || u.Host == "" {
			http.Error(w, "bad member URL", http.StatusBadRequest)
			return
		}
		learner := r.URL.Query().Get("learner") == "true"
		cur, exists := voterURL, isVoter
		if isLearner {
			cur, exists = learnerURL, true
		}
		if exists && cur != string(body) {
			http.Error(w, "member exists at another URL", http.StatusConflict)
			return
		}
		if (learner && isLearner) || (!learner && isVoter) {
			w.WriteHeader(http.StatusOK) // already holds
			return
		}
		typ := pb.ConfChangeAddNode
		if learner {
			typ = pb.ConfChangeAddLearnerNode
		}
		if err := n.changeMember(ctx, typ, id, string(body)); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		if !isVoter && !isLearner {
			http.Error(w, "not a member", http.StatusNotFound)
			return
		}
		if err := n.changeMember(ctx, pb.ConfChangeRemoveNode, id, ""); err != nil {
			fail(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (n *kvNode) serveLeader(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id, ok := idOf("/leader/", r)
	if !ok {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	n.mu.Lock()
	_, isVoter := n.members[id]
	n.mu.Unlock()
	if !isVoter {
		http.Error(w, "not a voter", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), reqTimeout)
	defer cancel()
	n.node.TransferLeadership(ctx, n.node.Status().Lead, id)
	w.WriteHeader(http.StatusAccepted)
}

func (n *kvNode) serveStatus(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(n.status())
}

func (n *kvNode) serveRaft(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPeerBody+1))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if len(body) > maxPeerBody {
		w.Header().Set("Connection", "close")
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	msgs, err := decodeMessages(body)
	if err != nil {
		http.Error(w, "malformed messages", http.StatusBadRequest)
		return
	}
	for _, m := range msgs {
		if m.GetFrom() == n.cfg.id {
			http.Error(w, "message from this node's own id", http.StatusBadRequest)
			return
		}
	}
	for _, m := range msgs {
		if m.GetTo() != n.cfg.id {
			continue
		}
		ctx, cancel := context.WithTimeout(r.Context(), reqTimeout)
		err := n.node.Step(ctx, m)
		cancel()
		if err != nil {
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
