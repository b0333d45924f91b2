// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// extensions_test.go: the project's datadriven commands beyond etcd's harness
// (tests/conformance/README.md), implemented on rafttest.InteractionEnv's exported state with
// raft's public API, plus the randomized-election-timeout hook etcd's own test wires in.
package oracle

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/cockroachdb/datadriven"
	"go.etcd.io/raft/v3"
	"go.etcd.io/raft/v3/rafttest"
)

type extEnv struct {
	env *rafttest.InteractionEnv
}

func newExtEnv() *extEnv {
	x := &extEnv{}
	x.env = rafttest.NewInteractionEnv(&rafttest.InteractionOpts{
		SetRandomizedElectionTimeout: setRandomizedElectionTimeout,
	})
	return x
}

// handle runs d if it is a project extension; ok=false hands it to etcd's harness.
func (x *extEnv) handle(t *testing.T, d *datadriven.TestData) (out string, ok bool) {
	return "", false
}

// setRandomizedElectionTimeout is what etcd's interaction test plumbs in from raft's
// export_test.go (raft.SetRandomizedElectionTimeout is test-only): it sets the unexported
// randomizedElectionTimeout of the RawNode's raft through reflection.
func setRandomizedElectionTimeout(rn *raft.RawNode, timeout int) {
	r := reflect.ValueOf(rn).Elem().FieldByName("raft").Elem()
	f := r.FieldByName("randomizedElectionTimeout")
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().SetInt(int64(timeout))
}
