// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// ready.go: etcd's Ready from raftc's packed Ready (one cgo call per Ready): a header of
// uint64 words (its length, the field count, raftc_ready_info's fields, one (offset, length)
// pair per part, the read states' indexes, the messages' destinations) followed by the parts
// as raftpb bytes. Entries are decoded here with protowire; messages and the snapshot with
// etcd's generated code. Every byte slice is copied out of the C buffer.

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
	if p.next+1 >= p.words {
		return nil, newError(codeDecode, "raftc: packed Ready too short")
	}
	off, n := p.word(p.next), p.word(p.next+1)
	p.next += 2
	if off > uint64(len(p.buf)) || n > uint64(len(p.buf))-off {
		return nil, newError(codeDecode, "raftc: packed Ready part out of bounds")
	}
	return p.buf[off : off+n], nil
}

// buildReadyPacked decodes a packed Ready. With raw, the messages are not decoded: they come
// back as MessageBytes (copied into one Go allocation) and rd.Messages stays nil.
func buildReadyPacked(buf []byte, raw bool) (rd Ready, msgs []MessageBytes, err error) {
	if len(buf) < 16 {
		return rd, nil, newError(codeDecode, "raftc: packed Ready too short")
	}
	p := &packedReader{buf: buf}
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
		rd.HardState = &pb.HardState{Term: u64(f(rdTerm)), Vote: u64(f(rdVote)), Commit: u64(f(rdCommit))}
	}
	if rd.Entries, err = p.entries(int(f(rdNEntries))); err != nil {
		return rd, nil, err
	}
	if rd.CommittedEntries, err = p.entries(int(f(rdNCommitted))); err != nil {
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
	parts := make([][]byte, n)
	total := 0
	for i := range parts {
		b, err := p.part()
		if err != nil {
			return nil, err
		}
		parts[i] = b
		total += len(b)
	}
	all := make([]byte, total)
	msgs := make([]MessageBytes, n)
	off := 0
	for i, b := range parts {
		copy(all[off:], b)
		msgs[i].Data = all[off : off+len(b) : off+len(b)]
		off += len(b)
		typ, err := messageType(b)
		if err != nil {
			return nil, err
		}
		msgs[i].Type = typ
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

func (p *packedReader) entries(n int) ([]*pb.Entry, error) {
	if n == 0 {
		return nil, nil
	}
	ents := make([]*pb.Entry, n)
	// One allocation for all the entries' scalar fields.
	vals := make([]uint64, 2*n)
	types := make([]pb.EntryType, n)
	for i := range ents {
		b, err := p.part()
		if err != nil {
			return nil, err
		}
		e := &pb.Entry{Term: &vals[2*i], Index: &vals[2*i+1], Type: &types[i]}
		if err := decodeEntryInto(b, e); err != nil {
			return nil, err
		}
		ents[i] = e
	}
	return ents, nil
}

// decodeEntryInto decodes raftpb Entry bytes into e, whose Term/Index/Type point to storage.
func decodeEntryInto(b []byte, e *pb.Entry) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return newError(codeDecode, "raftc: malformed Entry")
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == 1 || num == 2 || num == 3):
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return newError(codeDecode, "raftc: malformed Entry")
			}
			b = b[n:]
			switch num {
			case 1:
				*e.Type = pb.EntryType(v)
			case 2:
				*e.Term = v
			case 3:
				*e.Index = v
			}
		case typ == protowire.BytesType && num == 4:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return newError(codeDecode, "raftc: malformed Entry")
			}
			b = b[n:]
			e.Data = append([]byte(nil), v...)
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
