// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// entrycache.go: the entries a RawNode handed out in Ready.Entries, kept until they come back
// in a Ready's CommittedEntries, which then carries those same *pb.Entry values (as etcd's
// Ready does) instead of a second copy of their Data out of C. An entry is known by its index
// and term: raft's log matching makes two entries with both equal the same entry.

package raftc

import pb "go.etcd.io/raft/v3/raftpb"

// The cache gives up its oldest entries beyond these bounds (their committed copies are then
// copied out of C, as any entry the cache does not have).
const (
	entryCacheMaxEntries = 1 << 16
	entryCacheMaxBytes   = 64 << 20
)

type cachedEntry struct {
	index, term uint64
	typ         pb.EntryType
	dataLen     int
	e           *pb.Entry
}

// entryCache: entries in ascending index order, all[head:] (popped entries leave the front of
// the array unused until an append slides the live ones down, so a cache that takes as many
// entries as it adds does not reallocate). The zero value is empty; a nil cache has nothing
// and keeps nothing.
type entryCache struct {
	all   []cachedEntry
	head  int
	bytes int
}

// live returns the cached entries.
func (c *entryCache) live() []cachedEntry { return c.all[c.head:] }

// add records entries just handed out in Ready.Entries: they replace the cached entries at
// their indexes and after (a leader's entries overwriting a follower's uncommitted tail).
func (c *entryCache) add(ents []*pb.Entry) {
	if c == nil || len(ents) == 0 {
		return
	}
	first := ents[0].GetIndex()
	k := len(c.all)
	for k > c.head && c.all[k-1].index >= first {
		k--
		c.bytes -= c.all[k].dataLen
	}
	clear(c.all[k:])
	c.all = c.all[:k]
	if c.head > 0 && len(c.all)+len(ents) > cap(c.all) {
		m := copy(c.all, c.all[c.head:])
		clear(c.all[m:])
		c.all, c.head = c.all[:m], 0
	}
	for _, e := range ents {
		c.all = append(c.all, cachedEntry{index: e.GetIndex(), term: e.GetTerm(), typ: e.GetType(),
			dataLen: len(e.Data), e: e})
		c.bytes += len(e.Data)
	}
	for len(c.all)-c.head > entryCacheMaxEntries || c.bytes > entryCacheMaxBytes {
		c.pop()
	}
}

// take returns the cached entry v is (same index, term, type and data length) and forgets it
// with every entry before it; nil when the cache does not have it.
func (c *entryCache) take(v *entryView) *pb.Entry {
	if c == nil {
		return nil
	}
	for c.head < len(c.all) && c.all[c.head].index < v.index {
		c.pop()
	}
	if c.head == len(c.all) {
		return nil
	}
	ce := c.all[c.head]
	if ce.index != v.index || ce.term != v.term || ce.typ != v.typ || ce.dataLen != v.dataLen {
		return nil
	}
	c.pop()
	return ce.e
}

func (c *entryCache) pop() {
	c.bytes -= c.all[c.head].dataLen
	c.all[c.head] = cachedEntry{}
	if c.head++; c.head == len(c.all) {
		c.all, c.head = c.all[:0], 0
	}
}
