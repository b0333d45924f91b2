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

// entryKey is what a cached entry must match to be given back: an entry's index, term, type
// and data length (no pointers: a Ready's scratch of keys costs the collector nothing).
type entryKey struct {
	index, term uint64
	typ         pb.EntryType
	dataLen     int
}

// cacheRun is a slice of entries as added (a Ready's Entries), kept whole: taking an entry
// moves an offset instead of writing a pointer per entry.
type cacheRun struct {
	ents  []*pb.Entry
	bytes int // the Data bytes of ents when added
}

// entryCache: runs of entries in ascending index order, runs[first:] with runs[first].ents[head:]
// the oldest live entry. A run's entries are read again when taken (a caller may have changed
// a Ready's entries: any that no longer matches is not given back). The zero value is empty; a
// nil cache has nothing and keeps nothing.
type entryCache struct {
	runs        []cacheRun
	first, head int
	n           int // live entries
	bytes       int // the Data bytes of the live runs (whole runs)
}

// live returns the cached entries (a copy; for tests).
func (c *entryCache) live() []*pb.Entry {
	var out []*pb.Entry
	for k := c.first; k < len(c.runs); k++ {
		ents := c.runs[k].ents
		if k == c.first {
			ents = ents[c.head:]
		}
		out = append(out, ents...)
	}
	return out
}

// add records entries just handed out in Ready.Entries: they replace the cached entries at
// their indexes and after (a leader's entries overwriting a follower's uncommitted tail). The
// cache keeps ents itself (its entries are not copied).
func (c *entryCache) add(ents []*pb.Entry) {
	if c == nil || len(ents) == 0 {
		return
	}
	c.cutFrom(ents[0].GetIndex())
	if c.first > 0 && len(c.runs) == cap(c.runs) { // slide the live runs down instead of growing
		m := copy(c.runs, c.runs[c.first:])
		clear(c.runs[m:])
		c.runs, c.first = c.runs[:m], 0
	}
	b := 0
	for _, e := range ents {
		b += len(e.GetData())
	}
	c.runs = append(c.runs, cacheRun{ents: ents, bytes: b})
	c.n += len(ents)
	c.bytes += b
	for c.n > entryCacheMaxEntries {
		c.pop()
	}
	for c.bytes > entryCacheMaxBytes && c.n > 0 {
		c.dropRun()
	}
}

// cutFrom forgets the cached entries at index and after.
func (c *entryCache) cutFrom(index uint64) {
	for c.first < len(c.runs) {
		last := len(c.runs) - 1
		r := &c.runs[last]
		lo := 0
		if last == c.first {
			lo = c.head
		}
		k := len(r.ents)
		for k > lo && (r.ents[k-1] == nil || r.ents[k-1].GetIndex() >= index) {
			k--
		}
		if k == len(r.ents) {
			return
		}
		if k > lo {
			c.n -= len(r.ents) - k
			c.bytes -= r.bytes
			r.ents = r.ents[:k:k]
			r.bytes = 0
			for _, e := range r.ents {
				r.bytes += len(e.GetData())
			}
			c.bytes += r.bytes
			return
		}
		c.n -= len(r.ents) - lo
		c.bytes -= r.bytes
		c.runs[last] = cacheRun{}
		c.runs = c.runs[:last]
		if last == c.first {
			c.head = 0
		}
	}
}

// take returns the cached entry k is and forgets it with every entry before it; nil when the
// cache does not have it.
func (c *entryCache) take(k entryKey) *pb.Entry {
	if c == nil {
		return nil
	}
	for c.n > 0 {
		ents := c.runs[c.first].ents
		e := ents[c.head]
		if e != nil && e.GetIndex() >= k.index {
			if e.GetIndex() != k.index || e.GetTerm() != k.term || e.GetType() != k.typ ||
				len(e.Data) != k.dataLen {
				return nil
			}
		} else {
			e = nil // older than k (or cleared by the caller): forgotten
		}
		c.n-- // pop, inline: this is the loop of every committed entry
		if c.head++; c.head == len(ents) {
			c.dropRun()
		}
		if e != nil {
			return e
		}
	}
	return nil
}

// pop forgets the oldest live entry.
func (c *entryCache) pop() {
	c.n--
	if c.head++; c.head == len(c.runs[c.first].ents) {
		c.dropRun()
	}
}

// dropRun forgets the oldest live run (what is left of it).
func (c *entryCache) dropRun() {
	r := &c.runs[c.first]
	if c.head < len(r.ents) {
		c.n -= len(r.ents) - c.head
	}
	c.bytes -= r.bytes
	*r = cacheRun{}
	c.first++
	c.head = 0
	if c.first == len(c.runs) {
		c.runs, c.first = c.runs[:0], 0
	}
}
