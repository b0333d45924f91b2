// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// confchange.go: etcd's confchange datadriven test (HARNESS.md §5.1) over raftc.Changer.

package main

import (
	"errors"
	"strconv"

	raftc "github.com/raftc/raftc/go"
	pb "go.etcd.io/raft/v3/raftpb"
)

type confchangeSuite struct{}

type confchangeEnv struct {
	ch        *raftc.Changer
	lastIndex uint64 // directives already run in this file
}

func (confchangeSuite) newEnv() env {
	ch, err := raftc.NewChanger(10, 0) // etcd: tracker.MakeProgressTracker(10, 0)
	if err != nil {
		panic(err)
	}
	return &confchangeEnv{ch: ch}
}

func (e *confchangeEnv) close() {}

func (e *confchangeEnv) handle(d *directive) (string, error) {
	defer func() { e.lastIndex++ }() // etcd counts every directive, errors included
	ccs, err := pb.ConfChangesFromString(d.input)
	if err != nil {
		return err.Error(), nil
	}
	e.ch.SetLastIndex(e.lastIndex)
	switch d.cmd {
	case "simple":
		err = e.ch.Simple(ccs...)
	case "enter-joint":
		autoLeave := false
		if len(d.args) > 0 {
			a := d.findArg("autoleave")
			if a == nil || len(a.vals) != 1 {
				return "", fatalf("enter-joint: expected a single autoleave=<bool> argument")
			}
			if autoLeave, err = strconv.ParseBool(a.vals[0]); err != nil {
				return "", fatalf("enter-joint: expected a single autoleave=<bool> argument")
			}
		}
		err = e.ch.EnterJoint(autoLeave, ccs...)
	case "leave-joint":
		if len(ccs) > 0 {
			return "this command takes no input\n", nil
		}
		err = e.ch.LeaveJoint()
	default:
		return "unknown command", nil
	}
	if errors.Is(err, raftc.ErrConfChange) {
		return err.Error() + "\n", nil
	}
	if err != nil {
		return "", fatalf("%v", err)
	}
	return e.ch.String(), nil
}
