// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"errors"
	"fmt"
	"testing"
	"time"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

// driveAsync runs a single-voter RawNode in AsyncStorageWrites mode on a DiskStorage with the
// writer thread: MsgStorageAppend goes to Submit, MsgStorageApply is applied here, and the
// writer's responses are stepped back, until nothing is left. It returns the data applied.
func driveAsync(t *testing.T, rn *RawNode, ds *DiskStorage) []string {
	t.Helper()
	var applied []string
	for round := 0; round < 10000; round++ {
		busy := false
		for rn.HasReady() {
			busy = true
			rd := rn.Ready()
			for _, m := range rd.Messages {
				switch m.GetTo() {
				case LocalAppendThread:
					if err := ds.Submit(m); err != nil {
						t.Fatal(err)
					}
				case LocalApplyThread:
					for _, e := range m.GetEntries() {
						if e.GetType() == pb.EntryNormal && len(e.GetData()) > 0 {
							applied = append(applied, string(e.GetData()))
						}
						if e.GetType() == pb.EntryConfChange {
							var cc pb.ConfChange
							if err := proto.Unmarshal(e.GetData(), &cc); err != nil {
								t.Fatal(err)
							}
							rn.ApplyConfChange(&cc)
						}
					}
					for _, r := range m.GetResponses() {
						if err := rn.Step(r); err != nil {
							t.Fatal(err)
						}
					}
				default:
					t.Fatalf("message to %d in a single-voter cluster", m.GetTo())
				}
			}
		}
		pending, err := ds.Stat(DiskStatPending)
		if err != nil {
			t.Fatal(err)
		}
		resps, done, err := ds.TakeResponses(time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range resps {
			if r.GetTo() == rn.BasicStatus().ID {
				if err := rn.Step(r); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := rn.Err(); err != nil {
			t.Fatal(err)
		}
		if !busy && pending == 0 && done == 0 && !rn.HasReady() {
			return applied
		}
	}
	t.Fatal("the node did not settle")
	return nil
}

// TestDiskStorageAsyncWrites: etcd's AsyncStorageWrites on the writer thread (Submit,
// TakeResponses): a node elects itself and commits, the direct writes are refused, reads wait
// for the pending messages, and the directory reopened holds the log.
func TestDiskStorageAsyncWrites(t *testing.T) {
	dir := t.TempDir()
	ds := openDisk(t, dir, &DiskStorageOptions{Sync: SyncGroup, AsyncWrites: true})
	cfg := &Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: ds, MaxSizePerMsg: 1 << 20,
		MaxInflightMsgs: 256, AsyncStorageWrites: true, Logger: quietLogger}
	rn, err := NewRawNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := rn.Bootstrap([]Peer{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	driveAsync(t, rn, ds)
	if err := rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	driveAsync(t, rn, ds)
	if rn.BasicStatus().RaftState != StateLeader {
		t.Fatal("no leader")
	}
	var applied []string
	for i := 0; i < 30; i++ {
		if err := rn.Propose([]byte(fmt.Sprint("a", i))); err != nil {
			t.Fatal(err)
		}
		if i%3 == 2 {
			applied = append(applied, driveAsync(t, rn, ds)...)
		}
	}
	if len(applied) != 30 || applied[29] != "a29" {
		t.Fatalf("applied %d entries: %q", len(applied), applied)
	}
	one := uint64(1)
	if err := ds.Append([]*pb.Entry{{Index: &one, Term: &one}}); !errors.Is(err, ErrState) {
		t.Fatalf("Append with the writer thread: %v, want ErrState", err)
	}
	if err := ds.Submit(&pb.Message{Type: pb.MsgApp.Enum()}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Submit of a MsgApp: %v, want ErrInvalid", err)
	}
	last, err := ds.LastIndex()
	if err != nil {
		t.Fatal(err)
	}
	commit := rn.BasicStatus().GetCommit()
	if last != commit {
		t.Fatalf("last index %d, commit %d", last, commit)
	}
	if err := ds.Close(); err != nil {
		t.Fatal(err)
	}
	ds2 := openDisk(t, dir, nil)
	defer ds2.Close()
	hs, _, _ := ds2.InitialState()
	if l, _ := ds2.LastIndex(); l != last || hs.GetCommit() != commit {
		t.Fatalf("reopened: last %d commit %d, want %d %d", l, hs.GetCommit(), last, commit)
	}
	// Without the writer thread, Submit and TakeResponses are refused.
	if _, _, err := ds2.TakeResponses(0); !errors.Is(err, ErrState) {
		t.Fatalf("TakeResponses without the writer: %v", err)
	}
}
