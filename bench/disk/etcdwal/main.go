// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

// etcdwal-bench-disk: etcd's WAL (go.etcd.io/etcd/server/v3, package storage/wal) under the
// workloads of raftc-bench-disk (bench/c/bench_disk.c), for bench/disk/run:
//   - fsync'd entries/s: Save of B entries (128-byte payloads) per call, each fsynced by the
//     WAL (etcd's MustSync: entries present), for B = 1 and 64;
//   - bytes written per entry: bytes passed to write(2) (/proc/self/io wchar) / entries;
//   - recovery: wal.Open + ReadAll of a log of N entries (default 1,000,000).
//
// Usage: etcdwal-bench-disk --dir D [--seconds S] [--recover N]. Prints the same lines as
// raftc-bench-disk.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/storage/wal"
	"go.etcd.io/etcd/server/v3/storage/wal/walpb"
	"go.etcd.io/raft/v3/raftpb"
	"go.uber.org/zap"
	"google.golang.org/protobuf/proto"
)

const payloadSize = 128

// wchar is the bytes this process passed to write-like system calls so far.
func wchar() uint64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "wchar: "); ok {
			n, _ := strconv.ParseUint(v, 10, 64)
			return n
		}
	}
	return 0
}

func die(what string, err error) {
	fmt.Fprintf(os.Stderr, "etcdwal-bench-disk: %s: %v\n", what, err)
	os.Exit(1)
}

func batch(next uint64, n int, payload []byte) []*raftpb.Entry {
	ents := make([]*raftpb.Entry, n)
	for k := range ents {
		ents[k] = &raftpb.Entry{Term: proto.Uint64(1), Index: proto.Uint64(next + uint64(k)),
			Type: raftpb.EntryNormal.Enum(), Data: payload}
	}
	return ents
}

// appendFor saves batches of n entries until seconds passed (seconds > 0) or max entries.
func appendFor(w *wal.WAL, n int, next *uint64, seconds float64, max uint64) uint64 {
	payload := make([]byte, payloadSize)
	for i := range payload {
		payload[i] = 'x'
	}
	var done uint64
	t0 := time.Now()
	for done < max && (seconds <= 0 || time.Since(t0).Seconds() < seconds) {
		if err := w.Save(&raftpb.HardState{}, batch(*next, n, payload)); err != nil {
			die("save", err)
		}
		*next += uint64(n)
		done += uint64(n)
	}
	return done
}

func main() {
	dir := flag.String("dir", "", "directory on the disk to measure (required)")
	seconds := flag.Float64("seconds", 3, "seconds per fsync'd workload")
	recoverN := flag.Uint64("recover", 1000000, "entries in the recovery log")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: etcdwal-bench-disk --dir D [--seconds S] [--recover N]")
		os.Exit(2)
	}
	lg := zap.NewNop()
	fmt.Printf("etcdwal-bench-disk: directory %s, %d-byte payloads\n", *dir, payloadSize)
	for _, b := range []int{1, 64} {
		path := filepath.Join(*dir, fmt.Sprintf("fsync-%d", b))
		w, err := wal.Create(lg, path, nil)
		if err != nil {
			die("create", err)
		}
		next := uint64(1)
		w0 := wchar()
		t0 := time.Now()
		n := appendFor(w, b, &next, *seconds, ^uint64(0))
		el := time.Since(t0).Seconds()
		w1 := wchar()
		fmt.Printf("fsync'd appends, batch %2d: %10.0f entries/s (%8.0f fsyncs/s), %.1f bytes "+
			"written per entry\n", b, float64(n)/el, float64(n)/float64(b)/el,
			float64(w1-w0)/float64(n))
		w.Close()
	}
	path := filepath.Join(*dir, "recover")
	w, err := wal.Create(lg, path, nil)
	if err != nil {
		die("create", err)
	}
	next := uint64(1)
	appendFor(w, 1000, &next, 0, *recoverN)
	w.Close()
	t0 := time.Now()
	w, err = wal.Open(lg, path, &walpb.Snapshot{})
	if err != nil {
		die("open", err)
	}
	_, _, ents, err := w.ReadAll()
	if err != nil {
		die("read all", err)
	}
	el := time.Since(t0).Seconds()
	w.Close()
	fmt.Printf("recovery: %d entries (%d-byte payloads) replayed in %.3f s (%.2f M entries/s)\n",
		len(ents), payloadSize, el, float64(len(ents))/el/1e6)
	if uint64(len(ents)) != *recoverN {
		os.Exit(1)
	}
}
