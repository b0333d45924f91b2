// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// readyfields.go: etcd's Ready from the flat layout of raftcgo_node_ready_fields (one cgo
// call per Ready): the entries come as their fields and a view of their Data, so nothing is
// encoded in C or decoded here, and Data the RawNode already has in Go memory (a proposal, a
// stepped MsgApp, an entry handed out before in Ready.Entries) is not copied at all. What is
// copied out of C is copied once: the other entries' Data into one allocation, the messages'
// bytes (from their parts: large payloads are views of the log) into one allocation.

package raftc

import (
	"strings"
	"unsafe"

	pb "go.etcd.io/raft/v3/raftpb"
)

func errFields() error { return newError(codeDecode, "raftc: Ready layout too short") }

// buildReadyFields reads a Ready from r. With raw, the messages are not decoded: they come
// back as MessageBytes and rd.Messages stays nil. src gives the entries (and entries' Data)
// it has; its recent cache takes this Ready's Entries.
func buildReadyFields(r *fieldReader, raw bool, src *readySources) (rd Ready, msgs []MessageBytes, err error) {
	var f [rdCount]uint64
	for i := range f {
		var ok bool
		if f[i], ok = r.num(); !ok {
			return rd, nil, errFields()
		}
	}
	if f[rdHasSoft] != 0 {
		rd.SoftState = &SoftState{Lead: f[rdLead], RaftState: StateType(f[rdRaftState])}
	}
	if f[rdHasHard] != 0 {
		rd.HardState = newHardState(f[rdTerm], f[rdVote], f[rdCommit])
	}
	nEnts, nCommitted := f[rdNEntries], f[rdNCommitted]
	if nEnts > uint64(len(r.w)) || nCommitted > uint64(len(r.w)) {
		return rd, nil, errFields()
	}
	var ptrs []*pb.Entry // one array of entry pointers for both lists
	if nEnts+nCommitted > 0 {
		ptrs = make([]*pb.Entry, nEnts+nCommitted)
	}
	if rd.Entries, err = fieldEntries(r, ptrs[:nEnts:nEnts], src, &src.given, &src.proposed); err != nil {
		return rd, nil, err
	}
	src.recent.add(rd.Entries)
	if rd.CommittedEntries, err = fieldEntries(r, ptrs[nEnts:], src, &src.recent, nil); err != nil {
		return rd, nil, err
	}
	if n := f[rdNMessages]; n > 0 {
		if n > uint64(len(r.w)) {
			return rd, nil, errFields()
		}
		if raw {
			msgs, err = fieldRawMessages(r, int(n))
		} else {
			rd.Messages, err = fieldMessages(r, int(n), src)
		}
		if err != nil {
			return rd, nil, err
		}
	}
	if n := f[rdNReadStates]; n > 0 {
		if n > uint64(len(r.w)) {
			return rd, nil, errFields()
		}
		rd.ReadStates = make([]ReadState, n)
		for i := range rd.ReadStates {
			idx, ok1 := r.num()
			l, ok2 := r.num()
			ctx, ok3 := r.view(l)
			if !ok1 || !ok2 || !ok3 {
				return rd, nil, errFields()
			}
			rd.ReadStates[i] = ReadState{Index: idx, RequestCtx: append([]byte(nil), ctx...)}
		}
	}
	if f[rdHasSnap] != 0 {
		l, ok1 := r.num()
		b, ok2 := r.view(l)
		if !ok1 || !ok2 {
			return rd, nil, errFields()
		}
		if rd.Snapshot, err = decodeSnapshot(b); err != nil {
			return rd, nil, err
		}
	}
	rd.MustSync = f[rdMustSync] != 0
	return rd, msgs, nil
}

// fieldEntry is an entry read from a Ready's layout: its key, where its Data is (the index of
// its pointer in the layout) and, when Go memory with the same bytes was found for it, 1 + its
// index in fieldEntries' shared (0: none). It holds no pointer: filling a Ready's worth of them
// costs no write barriers while the collector runs.
type fieldEntry struct {
	key    entryKey
	p      int
	shared int
}

// fieldEntries reads len(ents) entries into ents (nil when empty). Those cache has are its
// values; those whose Data proposed has take that; the others share one allocation for their
// fields and one for their Data. cache and proposed may be nil; src lends its scratch.
func fieldEntries(r *fieldReader, ents []*pb.Entry, src *readySources, cache *entryCache, proposed *proposedData) ([]*pb.Entry, error) {
	n := len(ents)
	if n == 0 {
		return nil, nil
	}
	// A few views live on the stack: a node keeps scratch views only for large Readys, so an
	// idle node holds none.
	var few [4]fieldEntry
	var views []fieldEntry
	if n <= len(few) {
		views = few[:n]
	} else {
		views = src.scratchViews(n)
	}
	var shared [][]byte // the Go Data found for large entries (an allocation only then)
	fresh, total := 0, 0
	// The layout is read with local offsets (the reader's fields written back once): an entry
	// is 4 numbers and 1 pointer, bounds-checked together.
	w, wi, pi := r.w, r.wi, r.pi
	for i := range views {
		if wi+4 > len(w) || pi >= len(r.p) {
			return nil, errFields()
		}
		f := w[wi : wi+4 : wi+4]
		l := f[3]
		if l > maxInput*4 {
			return nil, errFields()
		}
		v := &views[i]
		*v = fieldEntry{key: entryKey{index: f[1], term: f[0], typ: pb.EntryType(f[2]), dataLen: int(l)}, p: pi}
		wi += 4
		pi++
		if cache != nil && cache.n > 0 { // (the call skipped for an empty cache)
			if ents[i] = cache.take(v.key); ents[i] != nil {
				continue
			}
		}
		fresh++
		if proposed != nil && v.key.typ == pb.EntryNormal && l >= shareMinData {
			if sd := proposed.take(cBytes(r.p[v.p], l)); sd != nil {
				shared = append(shared, sd)
				v.shared = len(shared)
				continue
			}
		}
		if r.p[v.p] != nil {
			total += int(l)
		}
	}
	r.wi, r.pi = wi, pi
	if fresh > 0 {
		fillEntries(r, ents, views, shared, fresh, total)
	}
	return ents, nil
}

// fillEntries makes the fresh entries of views (those ents does not have yet): one allocation
// for their fields, one for the Data copied out of C.
func fillEntries(r *fieldReader, ents []*pb.Entry, views []fieldEntry, shared [][]byte, fresh, total int) {
	data := makeNoZero(total) // every byte is written below, by the copies from C
	boxes := make([]entryBox, fresh)
	k, o := 0, 0
	for i := range views {
		if ents[i] != nil {
			continue
		}
		v := &views[i]
		b := &boxes[k]
		b.term, b.index, b.typ = v.key.term, v.key.index, v.key.typ
		e := &b.e
		e.Term, e.Index, e.Type = &b.term, &b.index, &b.typ
		if v.shared > 0 {
			e.Data = shared[v.shared-1]
		} else if view := cBytes(r.p[v.p], uint64(v.key.dataLen)); len(view) > 0 {
			l := copy(data[o:], view)
			e.Data = data[o : o+l : o+l]
			o += l
		}
		ents[i] = e
		k++
	}
}

// messageParts reads a message's destination, length and parts (views of C memory) and calls
// put for each part.
func messageParts(r *fieldReader, put func([]byte)) (to uint64, size int, err error) {
	to, ok1 := r.num()
	total, ok2 := r.num()
	nParts, ok3 := r.num()
	if !ok1 || !ok2 || !ok3 || nParts > uint64(len(r.w)) || total > maxInput*4 {
		return 0, 0, errFields()
	}
	got := uint64(0)
	for k := uint64(0); k < nParts; k++ {
		l, ok1 := r.num()
		b, ok2 := r.view(l)
		if !ok1 || !ok2 {
			return 0, 0, errFields()
		}
		got += l
		if put != nil {
			put(b)
		}
	}
	if got != total {
		return 0, 0, errFields()
	}
	return to, int(total), nil
}

// fieldRawMessages copies n messages' bytes into one Go allocation, each with its destination
// and type.
func fieldRawMessages(r *fieldReader, n int) ([]MessageBytes, error) {
	start := *r
	total := 0
	for i := 0; i < n; i++ { // sizes first: one allocation for all
		_, size, err := messageParts(r, nil)
		if err != nil {
			return nil, err
		}
		total += size
	}
	*r = start
	all := makeNoZero(total)[:0] // every byte is written below, by the copies from C
	msgs := make([]MessageBytes, n)
	for i := range msgs {
		from := len(all)
		to, _, err := messageParts(r, func(b []byte) { all = append(all, b...) })
		if err != nil {
			return nil, err
		}
		b := all[from:len(all):len(all)]
		if len(b) == 0 {
			b = []byte{}
		}
		typ, err := messageType(b)
		if err != nil {
			return nil, err
		}
		msgs[i] = MessageBytes{To: to, Type: typ, Data: b}
	}
	return msgs, nil
}

// makeNoZero returns n new bytes whose contents are undefined, for a caller that overwrites
// them all: make zeroes its memory first (at 64 KiB payloads, as costly as the copy that
// follows); strings.Builder's Grow allocates without zeroing, and after Grow(n) the builder's
// one buffer holds n bytes (one written to reach it). nil for n == 0.
func makeNoZero(n int) []byte {
	if n <= 0 {
		return nil
	}
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteByte(0)
	return unsafe.Slice(unsafe.StringData(sb.String()), n)
}

// fieldMessages decodes n messages (their parts joined in src's scratch buffer first).
func fieldMessages(r *fieldReader, n int, src *readySources) ([]*pb.Message, error) {
	out := make([]*pb.Message, n)
	for i := range out {
		buf := src.msgBuf[:0]
		if _, _, err := messageParts(r, func(b []byte) { buf = append(buf, b...) }); err != nil {
			return nil, err
		}
		m := &pb.Message{}
		if err := unmarshal(buf, m); err != nil { // Unmarshal copies what it keeps
			return nil, err
		}
		if cap(buf) <= stepBufMax {
			src.msgBuf = buf
		}
		out[i] = m
	}
	return out, nil
}
