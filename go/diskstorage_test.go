// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

func openDisk(t *testing.T, dir string, opts *DiskStorageOptions) *DiskStorage {
	t.Helper()
	ds, err := OpenDiskStorage(dir, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	return ds
}

// driveRaw processes a single-voter RawNode's Readys into ds until none is left, saving each
// with SaveReady (and Sync under SyncGroup); it returns the normal entries applied.
func driveRaw(t *testing.T, rn *RawNode, ds *DiskStorage, group bool) []string {
	t.Helper()
	var applied []string
	for rn.HasReady() {
		rd := rn.Ready()
		if err := ds.SaveReady(rd); err != nil {
			t.Fatal(err)
		}
		if group {
			if err := ds.Sync(); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range rd.CommittedEntries {
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
		rn.Advance(rd)
		if err := rn.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return applied
}

func electRaw(t *testing.T, rn *RawNode, ds *DiskStorage, group bool) {
	t.Helper()
	driveRaw(t, rn, ds, group) // conf changes committed but not applied forbid campaigning
	if err := rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	driveRaw(t, rn, ds, group)
	if st := rn.BasicStatus(); st.RaftState != StateLeader {
		t.Fatalf("state %v after campaign, want leader", st.RaftState)
	}
}

// TestDiskStorageRestartRawNode: a RawNode writes through SaveReady (the fast path from the
// Ready view), snapshots and compacts; the directory, reopened, holds the same log, HardState
// and snapshot, and a RawNode restarted from it keeps going where the first one stopped.
func TestDiskStorageRestartRawNode(t *testing.T) {
	for _, policy := range []SyncPolicy{SyncEach, SyncGroup} {
		t.Run(fmt.Sprintf("sync%d", policy), func(t *testing.T) {
			dir := t.TempDir()
			opts := &DiskStorageOptions{SegmentSize: 8192, Sync: policy}
			group := policy == SyncGroup
			ds := openDisk(t, dir, opts)
			cfg := &Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: ds, MaxSizePerMsg: 1 << 20,
				MaxInflightMsgs: 256, Logger: quietLogger}
			rn, err := NewRawNode(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := rn.Bootstrap([]Peer{{ID: 1}}); err != nil {
				t.Fatal(err)
			}
			electRaw(t, rn, ds, group)
			var applied []string
			for i := 0; i < 200; i++ { // 200 entries of 100 bytes: several 8 KiB segments
				if err := rn.Propose([]byte(fmt.Sprintf("v%03d-%092d", i, i))); err != nil {
					t.Fatal(err)
				}
				applied = append(applied, driveRaw(t, rn, ds, group)...)
				if i == 150 {
					st := rn.Status()
					cs := &pb.ConfState{Voters: []uint64{1}}
					if _, err := ds.CreateSnapshot(st.Applied, cs, []byte("state@150")); err != nil {
						t.Fatal(err)
					}
					if err := ds.Compact(st.Applied - 10); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(applied) != 200 {
				t.Fatalf("applied %d entries, want 200", len(applied))
			}
			hs, _, err := ds.InitialState()
			if err != nil {
				t.Fatal(err)
			}
			first, _ := ds.FirstIndex()
			last, _ := ds.LastIndex()
			ents, err := ds.Entries(first, last+1, 1<<30)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := ds.Stat(DiskStatBytesWritten); err != nil || n == 0 {
				t.Fatalf("bytes written %d, %v", n, err)
			}
			if err := ds.Close(); err != nil {
				t.Fatal(err)
			}
			// The node is unusable once its storage is closed: errors, no crash.
			if err := rn.Propose([]byte("x")); !errors.Is(err, ErrState) {
				t.Fatalf("propose on a closed storage: %v, want ErrState", err)
			}
			if rn.HasReady() {
				t.Fatal("HasReady on a closed storage")
			}
			if _, err := ds.LastIndex(); !errors.Is(err, ErrState) {
				t.Fatalf("LastIndex after Close: %v", err)
			}

			ds2 := openDisk(t, dir, opts)
			defer ds2.Close()
			hs2, cs2, err := ds2.InitialState()
			if err != nil || !proto.Equal(hs, hs2) || !proto.Equal(cs2, &pb.ConfState{Voters: []uint64{1}}) {
				t.Fatalf("reopened InitialState %v %v %v, want %v", hs2, cs2, err, hs)
			}
			snap, err := ds2.Snapshot()
			if err != nil || string(snap.GetData()) != "state@150" {
				t.Fatalf("reopened snapshot %v, %v", snap, err)
			}
			// Compact trims the in-memory copy only: the reopened log starts after the snapshot.
			first2, _ := ds2.FirstIndex()
			last2, _ := ds2.LastIndex()
			if last2 != last || first2 != snap.GetMetadata().GetIndex()+1 || first2 < first {
				t.Fatalf("reopened log [%d, %d], want [%d, %d]", first2, last2, snap.GetMetadata().GetIndex()+1, last)
			}
			ents2, err := ds2.Entries(first2, last+1, 1<<30)
			ents = ents[first2-first:]
			if err != nil || len(ents2) != len(ents) {
				t.Fatalf("reopened entries: %d, %v; want %d", len(ents2), err, len(ents))
			}
			for i := range ents {
				if !proto.Equal(ents[i], ents2[i]) {
					t.Fatalf("entry %d: %v, want %v", i, ents2[i], ents[i])
				}
			}

			cfg.Storage = ds2
			cfg.Applied = hs2.GetCommit()
			rn2, err := NewRawNode(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if st := rn2.BasicStatus(); st.GetCommit() != hs.GetCommit() || st.GetTerm() != hs.GetTerm() {
				t.Fatalf("restarted status %v, want the HardState %v", st.HardState, hs)
			}
			electRaw(t, rn2, ds2, group)
			if err := rn2.Propose([]byte("after restart")); err != nil {
				t.Fatal(err)
			}
			if got := driveRaw(t, rn2, ds2, group); len(got) != 1 || got[0] != "after restart" {
				t.Fatalf("applied after restart %q", got)
			}
			if l, _ := ds2.LastIndex(); l <= last {
				t.Fatalf("log did not grow after restart: %d -> %d", last, l)
			}
		})
	}
}

// TestDiskStorageWrites: the etcd-style writes one by one (Append, SetHardState,
// ApplySnapshot) and SaveReady of a Ready no node built; reopening gives them back.
func TestDiskStorageWrites(t *testing.T) {
	dir := t.TempDir()
	ds := openDisk(t, dir, nil)
	ent := func(i, term uint64) *pb.Entry {
		d := []byte(fmt.Sprint("e", i))
		return &pb.Entry{Index: &i, Term: &term, Type: pb.EntryNormal.Enum(), Data: d}
	}
	if err := ds.Append([]*pb.Entry{ent(1, 1), ent(2, 1), ent(3, 1)}); err != nil {
		t.Fatal(err)
	}
	// A conflicting tail is truncated, as MemoryStorage does.
	if err := ds.Append([]*pb.Entry{ent(3, 2), ent(4, 2)}); err != nil {
		t.Fatal(err)
	}
	if err := ds.SetHardState(&pb.HardState{Term: u64(2), Vote: u64(1), Commit: u64(3)}); err != nil {
		t.Fatal(err)
	}
	// A batch with a gap is refused and changes nothing.
	if err := ds.Append([]*pb.Entry{ent(5, 2), ent(7, 2)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("gapped batch: %v, want ErrInvalid", err)
	}
	hs := &pb.HardState{Term: u64(2), Vote: u64(1), Commit: u64(4)}
	if err := ds.SaveReady(Ready{Entries: []*pb.Entry{ent(5, 2)}, HardState: hs, MustSync: true}); err != nil {
		t.Fatal(err)
	}
	if err := ds.SetHardState(nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("nil HardState: %v", err)
	}
	if _, err := OpenDiskStorage(dir, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if _, err := OpenDiskStorage(t.TempDir(), &DiskStorageOptions{SegmentSize: 100}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("segment size 100: %v, want ErrInvalid", err)
	}
	if _, err := OpenDiskStorage(t.TempDir(), &DiskStorageOptions{Sync: 7}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("sync policy 7: %v, want ErrInvalid", err)
	}
	ds.Close()
	ds.Close() // idempotent

	ds = openDisk(t, dir, nil)
	hs2, _, _ := ds.InitialState()
	last, _ := ds.LastIndex()
	ents, err := ds.Entries(1, last+1, 1<<30)
	if err != nil || !proto.Equal(hs2, hs) || len(ents) != 5 || ents[2].GetTerm() != 2 || string(ents[4].GetData()) != "e5" {
		t.Fatalf("reopened: hs %v, entries %v, %v", hs2, ents, err)
	}
	// ApplySnapshot replaces the log.
	idx, term := uint64(10), uint64(3)
	snap := &pb.Snapshot{Data: []byte("s"), Metadata: &pb.SnapshotMetadata{Index: &idx, Term: &term,
		ConfState: &pb.ConfState{Voters: []uint64{1, 2}}}}
	if err := ds.ApplySnapshot(snap); err != nil {
		t.Fatal(err)
	}
	if err := ds.ApplySnapshot(snap); !errors.Is(err, ErrSnapOutOfDate) {
		t.Fatalf("older snapshot: %v, want ErrSnapOutOfDate", err)
	}
	ds.Close()
	ds = openDisk(t, dir, nil)
	defer ds.Close()
	if f, _ := ds.FirstIndex(); f != 11 {
		t.Fatalf("first index after snapshot %d, want 11", f)
	}
	if s, _ := ds.Snapshot(); !proto.Equal(s, snap) {
		t.Fatalf("snapshot %v, want %v", s, snap)
	}
}

// TestDiskStorageCorrupt: a segment whose header was overwritten refuses to open with
// ErrCorrupt and a text naming the file.
func TestDiskStorageCorrupt(t *testing.T) {
	dir := t.TempDir()
	ds := openDisk(t, dir, nil)
	one, two := uint64(1), uint64(2)
	if err := ds.Append([]*pb.Entry{{Index: &one, Term: &one}, {Index: &two, Term: &one}}); err != nil {
		t.Fatal(err)
	}
	ds.Close()
	segs, _ := filepath.Glob(filepath.Join(dir, "wal-*.log"))
	if len(segs) == 0 {
		t.Fatal("no WAL segment written")
	}
	f, err := os.OpenFile(segs[0], os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("XXXXXXXX"), 0)
	f.Close()
	_, err = OpenDiskStorage(dir, nil)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), filepath.Base(segs[0])) {
		t.Fatalf("open of a damaged segment: %v, want ErrCorrupt naming %s", err, filepath.Base(segs[0]))
	}
}

// TestNodeRestartFromDisk: etcd's Node on a DiskStorage, stopped, the storage closed and
// reopened, and RestartNode continues from the directory.
func TestNodeRestartFromDisk(t *testing.T) {
	dir := t.TempDir()
	ds := openDisk(t, dir, &DiskStorageOptions{Sync: SyncGroup})
	cfg := &Config{ID: 1, ElectionTick: 10, HeartbeatTick: 1, Storage: ds, MaxInflightMsgs: 256, Logger: quietLogger}
	run := func(nd Node, ds *DiskStorage) (func() []string, func()) {
		var mu sync.Mutex
		var applied []string
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case rd := <-nd.Ready():
					if err := ds.SaveReady(rd); err != nil {
						t.Error(err)
						return
					}
					if err := ds.Sync(); err != nil {
						t.Error(err)
						return
					}
					for _, e := range rd.CommittedEntries {
						if e.GetType() == pb.EntryNormal && len(e.GetData()) > 0 {
							mu.Lock()
							applied = append(applied, string(e.GetData()))
							mu.Unlock()
						}
						if e.GetType() == pb.EntryConfChange {
							var cc pb.ConfChange
							proto.Unmarshal(e.GetData(), &cc)
							nd.ApplyConfChange(&cc)
						}
					}
					nd.Advance()
				case <-stop:
					return
				}
			}
		}()
		return func() []string {
				mu.Lock()
				defer mu.Unlock()
				return append([]string(nil), applied...)
			}, func() {
				close(stop)
				<-done
				nd.Stop()
			}
	}
	nd := StartNode(cfg, []Peer{{ID: 1}})
	applied, stop := run(nd, ds)
	electSelf(t, nd)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 5; i++ {
		if err := nd.Propose(ctx, []byte{byte('a' + i)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "5 applied", func() bool { return len(applied()) == 5 })
	stop()
	last, _ := ds.LastIndex()
	ds.Close()

	ds2 := openDisk(t, dir, &DiskStorageOptions{Sync: SyncGroup})
	defer ds2.Close()
	if l, _ := ds2.LastIndex(); l != last {
		t.Fatalf("reopened last index %d, want %d", l, last)
	}
	cfg.Storage = ds2
	nd2 := RestartNode(cfg)
	applied2, stop2 := run(nd2, ds2)
	defer stop2()
	electSelf(t, nd2)
	if err := nd2.Propose(ctx, []byte("z")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the log re-applied plus the new entry", func() bool {
		a := applied2()
		return len(a) == 6 && a[0] == "a" && a[5] == "z"
	})
}
