// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// ready.go: etcd's Ready from raftc's packed Ready (one cgo call per Ready): a header of
// uint64 words (its length, the field count, raftc_ready_info's fields, one (offset, length)
// pair per part, the read states' indexes, the messages' destinations) followed by the parts
// as raftpb bytes. Entries are decoded here with protowire; messages and the snapshot with
// etcd's generated code. Every byte slice is copied out of the C buffer, once: the entries'
// Data are sub-slices of one copy of the entries' span of the buffer (the raw messages of one
// copy of theirs), and committed entries the RawNode handed out before in Ready.Entries are
// those same *pb.Entry values (entryCache), as in etcd's Ready.

package raftc

import (
	"encoding/binary"

	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/encoding/protowire"
)

// MessageBytes is a message of a Ready as raftpb bytes (etcd's wire format), with its
// destination and type read from it (RawNode.ReadyBytes). Data is the caller's to keep.
type MessageBytes struct {
	To   uint64
	Type pb.MessageType
	Data []byte
}

type packedReader struct {
	buf   []byte
	words int
	next  int // next pair's word index
}

func (p *packedReader) word(i int) uint64 { return binary.NativeEndian.Uint64(p.buf[8*i:]) }

// part returns the next part's bytes (a view of the C buffer).
func (p *packedReader) part() ([]byte, error) {
	_, b, err := p.partAt()
	return b, err
}

// partAt returns the next part's offset in the buffer and its bytes (a view of the C buffer).
func (p *packedReader) partAt() (int, []byte, error) {
	if p.next+1 >= p.words {
		return 0, nil, newError(codeDecode, "raftc: packed Ready too short")
	}
	off, n := p.word(p.next), p.word(p.next+1)
	p.next += 2
	if off > uint64(len(p.buf)) || n > uint64(len(p.buf))-off {
		return 0, nil, newError(codeDecode, "raftc: packed Ready part out of bounds")
	}
	return int(off), p.buf[off : off+n], nil
}

// span is the smallest range of the buffer holding every range added to it.
type span struct{ lo, hi int }

func (s *span) add(off, n int) {
	if n == 0 {
		return
	}
	if s.hi == 0 || off < s.lo {
		s.lo = off
	}
	s.hi = max(s.hi, off+n)
}

// copyOut copies the span out of the C buffer into one Go allocation (nil when empty); the
// append allocates without zeroing what it then overwrites.
func (s span) copyOut(buf []byte) []byte {
	if s.hi == 0 {
		return nil
	}
	return append([]byte(nil), buf[s.lo:s.hi]...)
}

// buildReadyPacked decodes a packed Ready. With raw, the messages are not decoded: they come
// back as MessageBytes (copied into one Go allocation) and rd.Messages stays nil. src gives
// the entries (and entries' Data) it has; its recent cache takes this Ready's Entries.
func buildReadyPacked(buf []byte, raw bool, src *readySources) (rd Ready, msgs []MessageBytes, err error) {
	if len(buf) < 16 {
		return rd, nil, newError(codeDecode, "raftc: packed Ready too short")
	}
	p := packedReader{buf: buf}
	p.words = int(p.word(0))
	k := int(p.word(1))
	if p.words*8 > len(buf) || k < rdCount || 2+k > p.words {
		return rd, nil, newError(codeDecode, "raftc: packed Ready header malformed")
	}
	f := func(i int) uint64 { return p.word(2 + i) }
	p.next = 2 + k
	if f(rdHasSoft) != 0 {
		rd.SoftState = &SoftState{Lead: f(rdLead), RaftState: StateType(f(rdRaftState))}
	}
	if f(rdHasHard) != 0 {
		rd.HardState = newHardState(f(rdTerm), f(rdVote), f(rdCommit))
	}
	// One array of entry pointers for both lists (each cut to its length and capacity).
	nEnts, nCommitted := f(rdNEntries), f(rdNCommitted)
	if nEnts > uint64(p.words) || nCommitted > uint64(p.words) {
		return rd, nil, newError(codeDecode, "raftc: packed Ready header malformed")
	}
	var ptrs []*pb.Entry
	if nEnts+nCommitted > 0 {
		ptrs = make([]*pb.Entry, nEnts+nCommitted)
	}
	if rd.Entries, err = p.entries(ptrs[:nEnts:nEnts], src, &src.given, &src.proposed); err != nil {
		return rd, nil, err
	}
	src.recent.add(rd.Entries)
	if rd.CommittedEntries, err = p.entries(ptrs[nEnts:], src, &src.recent, nil); err != nil {
		return rd, nil, err
	}
	nMsgs := int(f(rdNMessages))
	if raw && nMsgs > 0 {
		if msgs, err = p.rawMessages(nMsgs); err != nil {
			return rd, nil, err
		}
	} else if n := nMsgs; n > 0 {
		rd.Messages = make([]*pb.Message, n)
		for i := range rd.Messages {
			b, err := p.part()
			if err != nil {
				return rd, nil, err
			}
			m := &pb.Message{}
			if err := unmarshal(b, m); err != nil {
				return rd, nil, err
			}
			rd.Messages[i] = m
		}
	}
	nReads := int(f(rdNReadStates))
	if nReads > 0 {
		rd.ReadStates = make([]ReadState, nReads)
		for i := range rd.ReadStates {
			b, err := p.part()
			if err != nil {
				return rd, nil, err
			}
			rd.ReadStates[i].RequestCtx = append([]byte(nil), b...)
		}
	}
	if f(rdHasHard) != 0 {
		if _, err := p.part(); err != nil { // the HardState bytes (the fields above say it all)
			return rd, nil, err
		}
	}
	if f(rdHasSnap) != 0 {
		b, err := p.part()
		if err != nil {
			return rd, nil, err
		}
		if rd.Snapshot, err = decodeSnapshot(b); err != nil {
			return rd, nil, err
		}
	}
	for i := range rd.ReadStates {
		if p.next >= p.words {
			return rd, nil, newError(codeDecode, "raftc: packed Ready too short")
		}
		rd.ReadStates[i].Index = p.word(p.next)
		p.next++
	}
	for i := range msgs { // the destinations follow the read states' indexes
		if p.next >= p.words {
			return rd, nil, newError(codeDecode, "raftc: packed Ready too short")
		}
		msgs[i].To = p.word(p.next)
		p.next++
	}
	rd.MustSync = f(rdMustSync) != 0
	return rd, msgs, nil
}

// rawMessages copies the next n parts (messages) into one Go allocation, each with its type.
func (p *packedReader) rawMessages(n int) ([]MessageBytes, error) {
	offs := make([]int, 2*n)
	var sp span
	for i := 0; i < n; i++ {
		off, b, err := p.partAt()
		if err != nil {
			return nil, err
		}
		offs[2*i], offs[2*i+1] = off, len(b)
		sp.add(off, len(b))
	}
	all := sp.copyOut(p.buf)
	msgs := make([]MessageBytes, n)
	for i := range msgs {
		o, l := offs[2*i]-sp.lo, offs[2*i+1]
		b := all[o : o+l : o+l]
		if l == 0 {
			b = []byte{}
		}
		typ, err := messageType(b)
		if err != nil {
			return nil, err
		}
		msgs[i] = MessageBytes{Type: typ, Data: b}
	}
	return msgs, nil
}

// messageType reads a raftpb Message's type (field 1; MsgHup, 0, when absent).
func messageType(b []byte) (pb.MessageType, error) {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return 0, newError(codeDecode, "raftc: malformed Message")
		}
		b = b[n:]
		if num == 1 && typ == protowire.VarintType {
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return 0, newError(codeDecode, "raftc: malformed Message")
			}
			return pb.MessageType(v), nil
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return 0, newError(codeDecode, "raftc: malformed Message")
		}
		b = b[n:]
	}
	return pb.MsgHup, nil
}

// entryView is a packed entry's fields; its Data stays in the buffer (dataOff, dataLen) unless
// data, Go memory with the same bytes, was found for it.
type entryView struct {
	term, index      uint64
	typ              pb.EntryType
	dataOff, dataLen int
	data             []byte
}

// entryBox is an entry with the values its optional fields point to (one allocation for a
// Ready's entries).
type entryBox struct {
	e           pb.Entry
	term, index uint64
	typ         pb.EntryType
}

// entries decodes the next len(ents) parts (entries) into ents (nil when empty). Those cache
// has are its values; those whose Data proposed has take that; the others share one
// allocation for their fields and one copy of their span of the buffer for their Data. cache
// and proposed may be nil; src lends its scratch views.
func (p *packedReader) entries(ents []*pb.Entry, src *readySources, cache *entryCache, proposed *proposedData) ([]*pb.Entry, error) {
	n := len(ents)
	if n == 0 {
		return nil, nil
	}
	views := src.scratchViews(n)
	fresh := 0
	var sp span
	for i := range views {
		off, b, err := p.partAt()
		if err != nil {
			return nil, err
		}
		v := &views[i]
		if err := decodeEntryView(b, off, v); err != nil {
			return nil, err
		}
		if ents[i] = cache.take(v); ents[i] != nil {
			continue
		}
		fresh++
		if proposed != nil && v.typ == pb.EntryNormal {
			v.data = proposed.take(p.buf[v.dataOff : v.dataOff+v.dataLen])
		}
		if v.data == nil {
			sp.add(v.dataOff, v.dataLen)
		}
	}
	if fresh == 0 {
		return ents, nil
	}
	data := sp.copyOut(p.buf)
	boxes := make([]entryBox, fresh)
	k := 0
	for i := range views {
		if ents[i] != nil {
			continue
		}
		v := &views[i]
		b := &boxes[k]
		b.term, b.index, b.typ = v.term, v.index, v.typ
		e := &b.e
		e.Term, e.Index, e.Type = &b.term, &b.index, &b.typ
		if v.data != nil {
			e.Data = v.data
		} else if v.dataLen > 0 {
			o := v.dataOff - sp.lo
			e.Data = data[o : o+v.dataLen : o+v.dataLen]
		}
		ents[i] = e
		k++
	}
	return ents, nil
}

// decodeEntryView decodes raftpb Entry bytes found at offset off of the buffer into v.
func decodeEntryView(b []byte, off int, v *entryView) error {
	*v = entryView{}
	end := off + len(b)
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return newError(codeDecode, "raftc: malformed Entry")
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == 1 || num == 2 || num == 3):
			x, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return newError(codeDecode, "raftc: malformed Entry")
			}
			b = b[n:]
			switch num {
			case 1:
				v.typ = pb.EntryType(x)
			case 2:
				v.term = x
			case 3:
				v.index = x
			}
		case typ == protowire.BytesType && num == 4:
			d, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return newError(codeDecode, "raftc: malformed Entry")
			}
			b = b[n:]
			v.dataOff, v.dataLen = end-len(b)-len(d), len(d)
		default:
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return newError(codeDecode, "raftc: malformed Entry")
			}
			b = b[n:]
		}
	}
	return nil
}
