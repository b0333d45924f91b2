// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// check_test.go: the checker and the proxy's parser can fail: hand-made histories with a lost
// acknowledged write, a stale read and a read of a value never written are refused; unknown
// writes may take effect or not.
package main

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

func op(client int, in kvInput, out kvOutput, call, ret int64) porcupine.Operation {
	if out.Unknown {
		ret = math.MaxInt64
	}
	return porcupine.Operation{ClientId: client, Input: in, Output: out, Call: call, Return: ret}
}

func put(k, v string) kvInput { return kvInput{Op: opPut, Key: k, Value: v} }
func get(k string) kvInput    { return kvInput{Op: opGet, Key: k} }
func del(k string) kvInput    { return kvInput{Op: opDelete, Key: k} }
func val(v string) kvOutput   { return kvOutput{Value: v} }

func TestChecker(t *testing.T) {
	unknown := kvOutput{Unknown: true}
	cases := []struct {
		name string
		h    []porcupine.Operation
		ok   bool
	}{
		{"sequential", []porcupine.Operation{
			op(0, put("a", "1"), val(""), 0, 10), op(1, get("a"), val("1"), 11, 20),
			op(0, del("a"), val(""), 21, 30), op(1, get("a"), val(""), 31, 40)}, true},
		{"concurrent read sees either", []porcupine.Operation{
			op(0, put("a", "1"), val(""), 0, 10), op(1, put("a", "2"), val(""), 5, 30),
			op(2, get("a"), val("1"), 12, 20), op(2, get("a"), val("2"), 31, 40)}, true},
		{"acknowledged write lost", []porcupine.Operation{
			op(0, put("a", "1"), val(""), 0, 10), op(1, get("a"), val(""), 11, 20)}, false},
		{"stale read after a newer one", []porcupine.Operation{
			op(0, put("a", "1"), val(""), 0, 10), op(0, put("a", "2"), val(""), 11, 20),
			op(1, get("a"), val("2"), 21, 30), op(2, get("a"), val("1"), 31, 40)}, false},
		{"value never written", []porcupine.Operation{
			op(1, get("a"), val("x"), 0, 10)}, false},
		{"unknown write that applied later", []porcupine.Operation{
			op(0, put("a", "1"), unknown, 0, 0), op(1, get("a"), val(""), 5, 10),
			op(1, get("a"), val("1"), 11, 20)}, true},
		{"unknown write that never applied", []porcupine.Operation{
			op(0, put("a", "1"), unknown, 0, 0), op(1, get("a"), val(""), 5, 10)}, true},
		{"keys are independent", []porcupine.Operation{
			op(0, put("a", "1"), val(""), 0, 10), op(1, get("b"), val(""), 11, 20),
			op(1, get("a"), val("1"), 21, 30)}, true},
	}
	for _, c := range cases {
		err := checkLinearizable(c.h, nil, 10*time.Second, filepath.Join(t.TempDir(), "h.html"))
		if (err == nil) != c.ok {
			t.Errorf("%s: linearizable=%v, want %v (%v)", c.name, err == nil, c.ok, err)
		}
	}
}

func TestProxyFilter(t *testing.T) {
	// Two raftpb Messages: MsgHeartbeat 2->1 and MsgHeartbeat 3->1 (type 8, to, from, term).
	m2 := []byte{0x08, 0x08, 0x10, 0x01, 0x18, 0x02, 0x20, 0x01}
	m3 := []byte{0x08, 0x08, 0x10, 0x01, 0x18, 0x03, 0x20, 0x01}
	body := append(append([]byte{byte(len(m2))}, m2...), append([]byte{byte(len(m3))}, m3...)...)
	l := &links{}
	p := &proxy{to: 1, links: l}
	kept, dropped, err := p.filter(body)
	if err != nil || dropped != 0 || string(kept) != string(body) {
		t.Fatalf("no partition: kept %x dropped %d err %v", kept, dropped, err)
	}
	l.set(map[[2]uint64]bool{{3, 1}: true})
	kept, dropped, err = p.filter(body)
	if err != nil || dropped != 1 || string(kept) != string(body[:1+len(m2)]) {
		t.Fatalf("3->1 cut: kept %x dropped %d err %v", kept, dropped, err)
	}
	if _, _, err := p.filter([]byte{0x05, 0x08}); err == nil {
		t.Fatal("a truncated body parsed")
	}
}
