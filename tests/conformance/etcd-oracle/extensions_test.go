// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// extensions_test.go: the project's datadriven commands beyond etcd's harness that describe
// behaviour etcd raft has too (tests/conformance/README.md), implemented on
// rafttest.InteractionEnv's exported state with raft's public API: the add-nodes options
// max-size-per-msg, max-uncommitted-entries-size and max-inflight-bytes, `restart` and
// `storage-snapshot`. The raftc-only commands (storage-fail, ready, advance, step-bytes) are
// deliberately absent: etcd's harness answers "unknown command", so a raftc-only file that
// lacks its marker fails here. Also the randomized-election-timeout hook etcd's own test wires
// in from raft's export_test.go.
package oracle

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"unsafe"

	"github.com/cockroachdb/datadriven"
	"go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"go.etcd.io/raft/v3/rafttest"
)

type extEnv struct {
	env *rafttest.InteractionEnv
}

func newExtEnv() *extEnv {
	return &extEnv{env: rafttest.NewInteractionEnv(&rafttest.InteractionOpts{
		SetRandomizedElectionTimeout: setRandomizedElectionTimeout,
	})}
}

// handle runs d if the project extends it; ok=false hands it to etcd's harness unchanged.
func (x *extEnv) handle(t *testing.T, d *datadriven.TestData) (out string, ok bool) {
	switch d.Cmd {
	case "add-nodes":
		return x.addNodes(t, d), true
	case "restart":
		return x.result(x.restart(t, d)), true
	case "storage-snapshot":
		return x.result(x.storageSnapshot(t, d)), true
	}
	return "", false
}

// result finishes an extension command as etcd's Handle finishes its own: errors are printed
// (alone at level NONE), and empty output is "ok".
func (x *extEnv) result(err error) string {
	if err != nil {
		if x.env.Output.Quiet() {
			return err.Error()
		}
		x.env.Output.WriteString(err.Error())
	}
	if x.env.Output.Len() == 0 {
		return "ok"
	}
	return x.env.Output.String()
}

// addNodes applies the project's extra add-nodes options through InteractionOpts.OnConfig
// (etcd's harness silently ignores keys it does not know) and runs etcd's add-nodes.
func (x *extEnv) addNodes(t *testing.T, d *datadriven.TestData) string {
	var set []func(*raft.Config)
	for _, arg := range d.CmdArgs[1:] {
		for i := range arg.Vals {
			var v uint64
			switch arg.Key {
			case "max-size-per-msg":
				arg.Scan(t, i, &v)
				set = append(set, func(c *raft.Config) { c.MaxSizePerMsg = v })
			case "max-uncommitted-entries-size":
				arg.Scan(t, i, &v)
				set = append(set, func(c *raft.Config) { c.MaxUncommittedEntriesSize = v })
			case "max-inflight-bytes":
				arg.Scan(t, i, &v)
				set = append(set, func(c *raft.Config) { c.MaxInflightBytes = v })
			}
		}
	}
	x.env.Options.OnConfig = func(c *raft.Config) {
		for _, f := range set {
			f(c)
		}
	}
	defer func() { x.env.Options.OnConfig = nil }()
	return x.env.Handle(t, *d)
}

func (x *extEnv) node(t *testing.T, d *datadriven.TestData) *rafttest.Node {
	if len(d.CmdArgs) == 0 {
		t.Fatalf("%s: expected a node ID", d.Cmd)
	}
	id, err := strconv.Atoi(d.CmdArgs[0].Key)
	if err != nil || id < 1 || id > len(x.env.Nodes) {
		t.Fatalf("%s: no node %q", d.Cmd, d.CmdArgs[0].Key)
	}
	return &x.env.Nodes[id-1]
}

// restart: the node's process crashes and restarts over its storage (see the C driver's
// interaction_ext.c for the contract).
func (x *extEnv) restart(t *testing.T, d *datadriven.TestData) error {
	x.env.Output.Reset()
	n := x.node(t, d)
	id := n.Config.ID
	var keep []*pb.Message
	for _, m := range x.env.Messages {
		fromSelf := m.GetFrom() == id || raft.IsLocalMsgTarget(m.GetFrom())
		if m.GetTo() != id || !fromSelf {
			keep = append(keep, m)
		}
	}
	x.env.Messages = keep
	n.AppendWork, n.ApplyWork = nil, nil
	cfg := *n.Config
	cfg.Applied = n.History[len(n.History)-1].GetMetadata().GetIndex()
	rn, err := raft.NewRawNode(&cfg)
	if err != nil {
		return err
	}
	n.RawNode, n.Config = rn, &cfg
	return nil
}

// storageSnapshot prints the snapshot the node's MemoryStorage holds. The harness wraps the
// storage to answer Snapshot() with the History tip; the wrapped MemoryStorage is its exported
// embedded field.
func (x *extEnv) storageSnapshot(t *testing.T, d *datadriven.TestData) error {
	x.env.Output.Reset()
	n := x.node(t, d)
	inner, ok := reflect.ValueOf(n.Storage).FieldByName("Storage").Interface().(raft.Storage)
	if !ok {
		t.Fatal("storage-snapshot: the harness storage does not wrap a raft.Storage")
	}
	snap, err := inner.Snapshot()
	if err != nil {
		return err
	}
	fmt.Fprintf(x.env.Output, "%s Data:%q", raft.DescribeSnapshot(snap), snap.GetData())
	return nil
}

// setRandomizedElectionTimeout is what etcd's interaction test plumbs in from raft's
// export_test.go (test-only there): it sets the unexported randomizedElectionTimeout of the
// RawNode's raft through reflection.
func setRandomizedElectionTimeout(rn *raft.RawNode, timeout int) {
	r := reflect.ValueOf(rn).Elem().FieldByName("raft").Elem()
	f := r.FieldByName("randomizedElectionTimeout")
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().SetInt(int64(timeout))
}
