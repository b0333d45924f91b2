// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// entrysources.go: Go memory a Ready's new entries can take their Data from instead of a copy
// out of C, for entries of at least shareMinData bytes (below that a copy costs less than the
// bookkeeping): the data given to Propose (etcd's Propose keeps the caller's slice in the log
// too, so the caller already must not change it), and the entries of the MsgApps given to Step
// (kept by etcd's Step as well) or to StepBytesOwned, by index and term.

package raftc

import (
	"bytes"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/encoding/protowire"
)

const (
	shareMinData = 4096
	// The proposals kept: the newest ones up to these bounds (the oldest go first).
	proposedMaxItems = 1024
	proposedMaxBytes = 64 << 20
	// How far into the kept proposals an entry's data is looked for.
	proposedScan = 8
)

// proposedData is the data of the last proposals, in proposal order.
type proposedData struct {
	items [][]byte
	bytes int
}

// add keeps data (a successful Propose's) if it is large enough to be worth sharing.
func (q *proposedData) add(data []byte) {
	if len(data) < shareMinData {
		return
	}
	q.items = append(q.items, data[:len(data):len(data)])
	q.bytes += len(data)
	for len(q.items) > proposedMaxItems || q.bytes > proposedMaxBytes {
		q.drop(1)
	}
}

// take returns the kept proposal equal to data (a new entry's data, in C memory), looked for
// among the oldest proposedScan, and forgets it and every older one; nil when none is.
func (q *proposedData) take(data []byte) []byte {
	if len(data) < shareMinData {
		return nil
	}
	for i := 0; i < len(q.items) && i < proposedScan; i++ {
		if d := q.items[i]; len(d) == len(data) && bytes.Equal(d, data) {
			q.drop(i + 1)
			return d
		}
	}
	return nil
}

func (q *proposedData) drop(n int) {
	for i := 0; i < n; i++ {
		q.bytes -= len(q.items[i])
		q.items[i] = nil
	}
	q.items = q.items[n:]
}

// addMessage records the entries of a MsgApp given as raftpb bytes b (kept: the caller gave b
// up) with their Data as sub-slices of b. Anything else, or malformed bytes, records nothing
// (the node decodes and judges the message itself).
func (c *entryCache) addMessage(b []byte) {
	if c == nil || len(b) < shareMinData || msgTypeIs(b) != pb.MsgApp { // too short for a large entry
		return
	}
	var ents []*pb.Entry
	for off := 0; off < len(b); {
		num, typ, n := protowire.ConsumeTag(b[off:])
		if n < 0 {
			return
		}
		off += n
		if num == 7 && typ == protowire.BytesType {
			eb, n := protowire.ConsumeBytes(b[off:])
			if n < 0 {
				return
			}
			var v entryView
			if err := decodeEntryView(eb, off+n-len(eb), &v); err != nil {
				return
			}
			off += n
			if v.dataLen < shareMinData {
				continue
			}
			ents = append(ents, sharedEntry(v.term, v.index, v.typ, b[v.dataOff:v.dataOff+v.dataLen]))
			continue
		}
		n = protowire.ConsumeFieldValue(num, typ, b[off:])
		if n < 0 {
			return
		}
		off += n
	}
	c.addRun(ents)
}

// addStepped records the entries of a MsgApp stepped as a value, with the message's own Data
// slices (etcd's Step keeps them in its log too).
func (c *entryCache) addStepped(m *pb.Message) {
	if c == nil || m.GetType() != pb.MsgApp {
		return
	}
	var ents []*pb.Entry
	for _, e := range m.Entries {
		if len(e.GetData()) >= shareMinData {
			ents = append(ents, sharedEntry(e.GetTerm(), e.GetIndex(), e.GetType(), e.Data))
		}
	}
	c.addRun(ents)
}

// sharedEntry is an entry of the binding's own whose Data is data (capacity cut to its length).
func sharedEntry(term, index uint64, typ pb.EntryType, data []byte) *pb.Entry {
	b := &entryBox{term: term, index: index, typ: typ}
	b.e.Term, b.e.Index, b.e.Type, b.e.Data = &b.term, &b.index, &b.typ, data[:len(data):len(data)]
	return &b.e
}

// addRun adds entries found in a message if their indexes ascend (a run of a log).
func (c *entryCache) addRun(ents []*pb.Entry) {
	for i := 1; i < len(ents); i++ {
		if ents[i].GetIndex() <= ents[i-1].GetIndex() {
			return
		}
	}
	c.add(ents)
}

// msgTypeIs is messageType without the error (MsgHup for malformed bytes).
func msgTypeIs(b []byte) pb.MessageType {
	t, _ := messageType(b)
	return t
}

// readySources is where a RawNode's Ready takes entries from besides a copy out of C.
type readySources struct {
	recent   entryCache   // handed out in Ready.Entries: for CommittedEntries
	given    entryCache   // the entries of MsgApps given to Step or StepBytesOwned: for Entries
	proposed proposedData // Propose's data: for Entries' Data
	views    []fieldEntry // decoding scratch, reused from Ready to Ready (up to viewsKeep)
	msgBuf   []byte       // a message's joined parts, reused (up to stepBufMax)
}

// viewsKeep bounds the scratch views a RawNode keeps between Readys.
const viewsKeep = 4096

// scratchViews returns n entry views to decode into (contents undefined).
func (s *readySources) scratchViews(n int) []fieldEntry {
	if n > cap(s.views) {
		v := make([]fieldEntry, n)
		if n <= viewsKeep {
			s.views = v
		}
		return v
	}
	return s.views[:n]
}
