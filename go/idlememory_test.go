// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"testing"
)

// linesLogger records what it is told; a value of it holds a slice, so it cannot be a map key.
type linesLogger struct {
	*DefaultLogger
	mu    *sync.Mutex
	lines *[]string
	tags  []string
}

func newLinesLogger() linesLogger {
	return linesLogger{DefaultLogger: &DefaultLogger{Logger: log.New(io.Discard, "", 0)},
		mu: &sync.Mutex{}, lines: &[]string{}, tags: []string{"t"}}
}

func (l linesLogger) Info(v ...interface{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*l.lines = append(*l.lines, fmt.Sprint(v...))
}

func (l linesLogger) Infof(format string, v ...interface{}) { l.Info(fmt.Sprintf(format, v...)) }

func (l linesLogger) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range *l.lines {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

func newLoggedNode(t *testing.T, lg Logger, id uint64) *RawNode {
	t.Helper()
	st := NewMemoryStorage()
	rn, err := NewRawNode(&Config{ID: id, ElectionTick: 10, HeartbeatTick: 1, Storage: st,
		MaxSizePerMsg: 1 << 20, MaxInflightMsgs: 256, Logger: lg})
	if err != nil {
		t.Fatal(err)
	}
	if err := rn.Bootstrap([]Peer{{ID: id}}); err != nil {
		t.Fatal(err)
	}
	return rn
}

// Nodes on one comparable Logger share its handle, and each one's lines still reach it.
func TestLoggerHandleSharedByNodes(t *testing.T) {
	rec := newLinesLogger()
	shared := &rec // a pointer: comparable
	a, b := newLoggedNode(t, shared, 1), newLoggedNode(t, shared, 2)
	if a.res.logger != b.res.logger || a.res.logger.key == nil {
		t.Fatalf("nodes on the same *Logger have handles %p and %p", a.res.logger, b.res.logger)
	}
	if got := a.res.logger.refs; got != 2 {
		t.Fatalf("shared handle refs = %d, want 2", got)
	}
	for _, id := range []string{"1", "2"} {
		if n := rec.count(id + " became follower at term 1"); n != 1 {
			t.Fatalf("node %s: %d lines through the shared handle, want 1: %q", id, n, *rec.lines)
		}
	}
}

// A Logger value that cannot be a map key gets a handle of its own (and no panic).
func TestLoggerHandleNotComparable(t *testing.T) {
	rec := newLinesLogger()
	a, b := newLoggedNode(t, rec, 1), newLoggedNode(t, rec, 2)
	if a.res.logger == b.res.logger || a.res.logger.key != nil {
		t.Fatal("a Logger value with a slice field was shared through the handle map")
	}
	if rec.count("became follower at term 1") != 2 {
		t.Fatalf("lines: %q", *rec.lines)
	}
}

// The last release deletes the handle and its map entry; earlier ones keep both.
func TestLoggerHandleRelease(t *testing.T) {
	lg := &DefaultLogger{Logger: log.New(io.Discard, "", 0)}
	h1, h2 := acquireLoggerHandle(lg), acquireLoggerHandle(lg)
	if h1 != h2 || h1.refs != 2 {
		t.Fatalf("two acquires: %p %p refs %d", h1, h2, h1.refs)
	}
	h1.release()
	loggerHandles.mu.Lock()
	kept := loggerHandles.m[Logger(lg)]
	loggerHandles.mu.Unlock()
	if kept != h2 {
		t.Fatal("the handle left the map while a node still held it")
	}
	if _, ok := h2.h.Value().(*logAdapter); !ok {
		t.Fatal("the handle no longer reaches its adapter")
	}
	h2.release()
	loggerHandles.mu.Lock()
	_, left := loggerHandles.m[Logger(lg)]
	loggerHandles.mu.Unlock()
	if left {
		t.Fatal("the map kept a handle nobody holds")
	}
	deleted := func() (ok bool) {
		defer func() { ok = recover() != nil }()
		h2.h.Value()
		return false
	}()
	if !deleted {
		t.Fatal("the last release did not delete the cgo handle")
	}
}

// A layout grown by a Ready of many entries is freed when it is returned; a small one is kept.
func TestReadyFieldsTrimmedOnReturn(t *testing.T) {
	rn := newLoggedNode(t, quietLogger, 1)
	rd := rn.Ready()
	_ = rn.ms.Append(rd.Entries)
	rn.Advance(rd)
	if err := rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	for rn.HasReady() {
		rd := rn.Ready()
		_ = rn.ms.Append(rd.Entries)
		rn.Advance(rd)
	}
	datas := make([][]byte, 20000) // 4 numbers an entry: past fieldsKeepWords
	for i := range datas {
		datas[i] = []byte{byte(i)}
	}
	if err := rn.ProposeList(datas); err != nil {
		t.Fatal(err)
	}
	loan := borrowFields()
	if loan == nil {
		t.Fatal("no layout")
	}
	if _, _, err := nodeReadyFields(rn.n, loan.f); err != nil {
		t.Fatal(err)
	}
	if loan.f.capw <= fieldsKeepWords {
		t.Fatalf("a Ready of %d entries laid out in %d numbers", len(datas), loan.f.capw)
	}
	readyFieldsTrim(loan.f, fieldsKeepWords)
	if loan.f.capw != 0 || loan.f.w != nil || loan.f.p != nil {
		t.Fatalf("large layout kept: capw %d", loan.f.capw)
	}
	small := borrowFields()
	readyFieldsTrim(small.f, fieldsKeepWords)
	returnFields(small)
	returnFields(loan)
}
