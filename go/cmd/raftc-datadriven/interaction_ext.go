// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// interaction_ext.go: the project's interaction commands beyond etcd's harness
// (tests/conformance/README.md; the C driver's interaction_ext.c): restart, storage-snapshot,
// storage-fail, ready, advance, step-bytes.

package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
)

// cmdRestart: the node's process crashes and restarts over its storage; its raft node, queued
// storage work and the local messages addressed to it are lost, storage, History and the
// network's messages stay; the new node has Applied = the History tip's index.
func (e *interactionEnv) cmdRestart(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	n.rn = nil
	n.appendWork, n.applyWork = nil, nil
	var keep []*pb.Message
	for _, m := range e.msgs {
		fromSelf := m.GetFrom() == n.id || m.GetFrom() == raft.LocalAppendThread ||
			m.GetFrom() == raft.LocalApplyThread
		if m.GetTo() != n.id || !fromSelf {
			keep = append(keep, m)
		}
	}
	e.msgs = keep
	if n.disk != nil { // its memory is lost: reopen the directory
		dir := n.disk.Path()
		_ = n.disk.Close()
		if err := n.openDisk(dir); err != nil {
			return err
		}
	}
	cfg := n.cfg
	cfg.Applied = n.st.history[len(n.st.history)-1].index
	return e.open(n, cfg)
}

var storageCalls = map[string]bool{"initial-state": true, "entries": true, "term": true,
	"first-index": true, "last-index": true, "snapshot": true}

// cmdStorageFail: the named storage calls fail from now on; with none, all work again.
func (e *interactionEnv) cmdStorageFail(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	failing := map[string]bool{}
	for _, a := range d.args[1:] {
		if !storageCalls[a.key] || len(a.vals) > 0 {
			return fatalf("storage-fail: unknown storage call %s", a.key)
		}
		failing[a.key] = true
	}
	n.st.failing = failing
	return nil
}

// cmdStorageSnapshot prints the snapshot the node's storage holds, with its data.
func (e *interactionEnv) cmdStorageSnapshot(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	s, err := n.st.backing.Snapshot()
	if err != nil {
		return &cmdError{err.Error()}
	}
	e.write(fmt.Sprintf("%s Data:%q", raft.DescribeSnapshot(s), s.GetData()))
	return nil
}

// cmdReady: RawNode.Ready, printed and accepted, nothing handled.
func (e *interactionEnv) cmdReady(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	rd, err := n.rn.ReadyErr()
	if err != nil {
		return check(n, err, false)
	}
	e.write(raft.DescribeReady(rd, nil))
	return nil
}

// cmdAdvance: RawNode.Advance on its own.
func (e *interactionEnv) cmdAdvance(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	return check(n, n.rn.AdvanceErr(), false)
}

// cmdStepBytes steps the hex bytes of the input (whitespace ignored) as a raftpb Message.
func (e *interactionEnv) cmdStepBytes(d *directive) error {
	n, err := e.firstNode(d)
	if err != nil {
		return err
	}
	digits := strings.Join(strings.Fields(d.input), "")
	b, err := hex.DecodeString(digits)
	if err != nil {
		return fatalf("step-bytes: %v", err)
	}
	return check(n, n.rn.StepBytes(b), false)
}
