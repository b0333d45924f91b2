// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

func cacheEntry(index, term uint64, data string) *pb.Entry {
	return &pb.Entry{Index: proto.Uint64(index), Term: proto.Uint64(term), Type: pb.EntryNormal.Enum(),
		Data: []byte(data)}
}

func viewOf(e *pb.Entry) entryKey {
	return entryKey{index: e.GetIndex(), term: e.GetTerm(), typ: e.GetType(), dataLen: len(e.Data)}
}

// TestEntryCache: committed entries are given back only when index, term, type and data length
// match; entries appended again at an index replace the cached tail; the bounds drop the oldest.
func TestEntryCache(t *testing.T) {
	var c entryCache
	a5, a6, a7 := cacheEntry(5, 2, "five"), cacheEntry(6, 2, "six"), cacheEntry(7, 2, "seven")
	c.add([]*pb.Entry{a5, a6, a7})
	b6, b7 := cacheEntry(6, 3, "SIX"), cacheEntry(7, 3, "SEVEN")
	c.add([]*pb.Entry{b6, b7}) // a new leader overwrote 6 and 7
	if got := c.take(viewOf(a5)); got != a5 {
		t.Fatalf("take(5,2) = %v, want the cached entry", got)
	}
	if got := c.take(viewOf(a6)); got != nil {
		t.Fatalf("take(6,2) = %v after 6 was overwritten at term 3", got)
	}
	if got := c.take(viewOf(b6)); got != b6 {
		t.Fatalf("take(6,3) = %v, want the term-3 entry", got)
	}
	other := viewOf(b7)
	other.dataLen++
	if got := c.take(other); got != nil {
		t.Fatalf("take of a different data length = %v", got)
	}
	if got := c.take(viewOf(cacheEntry(9, 3, ""))); got != nil || len(c.live()) != 0 || c.bytes != 0 {
		t.Fatalf("take past the end: %v, %d left (%d bytes)", got, len(c.live()), c.bytes)
	}
	var many []*pb.Entry
	for i := uint64(1); i <= entryCacheMaxEntries+10; i++ {
		many = append(many, cacheEntry(i, 1, "x"))
	}
	c.add(many)
	if len(c.live()) != entryCacheMaxEntries || c.live()[0].GetIndex() != 11 {
		t.Fatalf("bounded cache: %d entries from index %d", len(c.live()), c.live()[0].GetIndex())
	}
	var nilCache *entryCache
	nilCache.add(many)
	if nilCache.take(viewOf(many[0])) != nil {
		t.Fatal("a nil cache gave an entry back")
	}
}

// TestCommittedEntriesShared: on a 3-node cluster, every node's committed entries are the
// *pb.Entry values its earlier Readys handed out in Entries (no second copy), and their Data
// are the proposals' bytes, each with no room to append into a neighbour.
func TestCommittedEntriesShared(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	handed := map[uint64]map[uint64]*pb.Entry{}
	shared, total := 0, 0
	pump := func() {
		for round := 0; round < 1000; round++ {
			var msgs []*pb.Message
			for _, id := range c.order {
				n := c.nodes[id]
				if handed[id] == nil {
					handed[id] = map[uint64]*pb.Entry{}
				}
				for n.rn.HasReady() {
					rd := n.rn.Ready()
					if !IsEmptyHardState(rd.HardState) {
						n.st.SetHardState(rd.HardState)
					}
					if err := n.st.Append(rd.Entries); err != nil {
						t.Fatal(err)
					}
					for _, e := range rd.Entries {
						if len(e.Data) != cap(e.Data) {
							t.Fatalf("node %d entry %d: Data has room beyond its bytes", id, e.GetIndex())
						}
						handed[id][e.GetIndex()] = e
					}
					for _, e := range rd.CommittedEntries {
						if e.GetType() == pb.EntryConfChange {
							var cc pb.ConfChange
							proto.Unmarshal(e.GetData(), &cc)
							n.rn.ApplyConfChange(&cc)
						}
						if len(e.Data) > 0 && e.GetType() == pb.EntryNormal {
							n.applied = append(n.applied, e.Data)
						}
						total++
						if handed[id][e.GetIndex()] == e {
							shared++
						}
					}
					msgs = append(msgs, rd.Messages...)
					n.rn.Advance(rd)
				}
			}
			if len(msgs) == 0 {
				return
			}
			for _, m := range msgs {
				c.nodes[m.GetTo()].rn.Step(m)
			}
		}
	}
	pump() // the bootstrap conf changes
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	pump()
	var want [][]byte
	for i := 0; i < 50; i++ {
		p := bytes.Repeat([]byte(fmt.Sprintf("p%d.", i)), 1+i*37)
		want = append(want, p)
		if err := c.nodes[1].rn.Propose(p); err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			pump()
		}
	}
	pump()
	for _, id := range c.order {
		got := c.nodes[id].applied
		if len(got) != len(want) {
			t.Fatalf("node %d applied %d entries, want %d", id, len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("node %d entry %d: %q, want %q", id, i, got[i], want[i])
			}
		}
	}
	if shared < 3*len(want) {
		t.Fatalf("%d of %d committed entries shared with Entries, want at least %d", shared, total, 3*len(want))
	}
	t.Logf("%d of %d committed entries shared", shared, total)
}

// TestEntriesShareGoMemory: large entries take their Data from Go memory the node was given:
// the leader's from Propose's slices, a follower stepping with StepBytesOwned from the stepped
// bytes; a follower stepping with StepBytes keeps nothing of them (the test scribbles over
// them after each call). Every node applies exactly the proposals.
func TestEntriesShareGoMemory(t *testing.T) {
	c := newTestCluster(t, 3, func() appStorage { return NewMemoryStorage() })
	var owned [][]byte // the buffers node 2 was given
	within := func(d []byte) bool {
		p := uintptr(unsafe.Pointer(unsafe.SliceData(d)))
		for _, b := range owned {
			s := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
			if p >= s && p+uintptr(len(d)) <= s+uintptr(len(b)) {
				return true
			}
		}
		return false
	}
	proposals := map[uintptr]bool{}
	large := map[uint64]int{}  // node -> large new entries
	shared := map[uint64]int{} // node -> of those, Data in the Go memory given
	pump := func() {
		for round := 0; round < 1000; round++ {
			var q []MessageBytes
			for _, id := range c.order {
				n := c.nodes[id]
				for n.rn.HasReady() {
					rd, msgs, err := n.rn.ReadyBytes()
					if err != nil {
						t.Fatal(err)
					}
					if !IsEmptyHardState(rd.HardState) {
						n.st.SetHardState(rd.HardState)
					}
					if err := n.st.Append(rd.Entries); err != nil {
						t.Fatal(err)
					}
					for _, e := range rd.Entries {
						if len(e.Data) < shareMinData {
							continue
						}
						large[id]++
						if (id == 1 && proposals[uintptr(unsafe.Pointer(unsafe.SliceData(e.Data)))]) ||
							(id == 2 && within(e.Data)) {
							shared[id]++
						}
					}
					for _, e := range rd.CommittedEntries {
						if e.GetType() == pb.EntryConfChange {
							var cc pb.ConfChange
							proto.Unmarshal(e.GetData(), &cc)
							n.rn.ApplyConfChange(&cc)
						} else if len(e.Data) > 0 {
							n.applied = append(n.applied, e.Data)
						}
					}
					q = append(q, msgs...)
					n.rn.Advance(rd)
				}
			}
			if len(q) == 0 {
				return
			}
			for _, m := range q {
				var err error
				switch m.To {
				case 2:
					owned = append(owned, m.Data)
					err = c.nodes[2].rn.StepBytesOwned(m.Data)
				case 3:
					b := append([]byte(nil), m.Data...)
					err = c.nodes[3].rn.StepBytes(b)
					for i := range b {
						b[i] = 0xee
					}
				default:
					err = c.nodes[m.To].rn.StepBytes(m.Data)
				}
				if err != nil {
					t.Fatalf("step %v to %d: %v", m.Type, m.To, err)
				}
			}
		}
		t.Fatal("cluster did not settle")
	}
	pump()
	if err := c.nodes[1].rn.Campaign(); err != nil {
		t.Fatal(err)
	}
	pump()
	var want [][]byte
	for i := 0; i < 30; i++ {
		p := bytes.Repeat([]byte{byte(i)}, shareMinData+i*100)
		if i%5 == 0 {
			p = p[:10] // small ones are copied
		}
		want = append(want, p)
		proposals[uintptr(unsafe.Pointer(unsafe.SliceData(p)))] = true
		if err := c.nodes[1].rn.Propose(p); err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 {
			pump()
		}
	}
	pump()
	for _, id := range c.order {
		got := c.nodes[id].applied
		if len(got) != len(want) {
			t.Fatalf("node %d applied %d entries, want %d", id, len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("node %d entry %d differs from the proposal", id, i)
			}
		}
	}
	if large[1] != 24 || shared[1] != 24 || large[2] != 24 || shared[2] != 24 || shared[3] != 0 {
		t.Fatalf("large new entries %v, with Data in the Go memory given %v; want 24 and 24 on nodes 1 and 2", large, shared)
	}
}

// TestEntryCacheRunsChangedByCaller: the cache keeps a Ready's Entries slice itself, so an
// entry the caller replaced or cleared in that slice is not given back (the committed entry is
// then copied out of C), and the entries after it still are.
func TestEntryCacheRunsChangedByCaller(t *testing.T) {
	var c entryCache
	ents := []*pb.Entry{cacheEntry(5, 2, "five"), cacheEntry(6, 2, "six"), cacheEntry(7, 2, "seven")}
	want5, want7 := ents[0], ents[2]
	c.add(ents)
	ents[0] = cacheEntry(5, 2, "FIVE!") // another data length
	ents[1] = nil
	if got := c.take(viewOf(want5)); got != nil {
		t.Fatalf("take(5) = %v after the caller replaced it", got)
	}
	if got := c.take(entryKey{index: 6, term: 2, dataLen: 3}); got != nil {
		t.Fatalf("take(6) = %v after the caller cleared it", got)
	}
	if got := c.take(viewOf(want7)); got != want7 || c.n != 0 || c.bytes != 0 {
		t.Fatalf("take(7) = %v (%d left, %d bytes), want the cached entry", got, c.n, c.bytes)
	}
}

// TestEntryCacheRunsBounded: a cache that always holds a few runs while taking as many entries
// as it adds (a follower a Ready behind) keeps a bounded array of runs.
func TestEntryCacheRunsBounded(t *testing.T) {
	var c entryCache
	next := uint64(1)
	for round := 0; round < 10000; round++ {
		run := []*pb.Entry{cacheEntry(next, 1, "a"), cacheEntry(next+1, 1, "b")}
		next += 2
		c.add(run)
		if round >= 3 { // three runs stay cached
			k := viewOf(c.live()[0])
			if c.take(k) == nil || c.take(viewOf(c.live()[0])) == nil {
				t.Fatalf("round %d: the oldest run was not given back", round)
			}
		}
	}
	if len(c.live()) != 6 || cap(c.runs) > 16 {
		t.Fatalf("%d entries cached in an array of %d runs", len(c.live()), cap(c.runs))
	}
}
