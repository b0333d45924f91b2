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

func buildReadyPacked(buf []byte) (Ready, error) {
	var rd Ready
	if len(buf) < 16 {
		return rd, newError(codeDecode, "raftc: packed Ready too short")
	}
	p := &packedReader{buf: buf}
	p.words = int(p.word(0))
	k := int(p.word(1))
	if p.words*8 > len(buf) || k < rdCount || 2+k > p.words {
		return rd, newError(codeDecode, "raftc: packed Ready header malformed")
	}
	f := func(i int) uint64 { return p.word(2 + i) }
	p.next = 2 + k
	if f(rdHasSoft) != 0 {
		rd.SoftState = &SoftState{Lead: f(rdLead), RaftState: StateType(f(rdRaftState))}
	}
	if f(rdHasHard) != 0 {
		rd.HardState = &pb.HardState{Term: u64(f(rdTerm)), Vote: u64(f(rdVote)), Commit: u64(f(rdCommit))}
	}
	var err error
	if rd.Entries, err = p.entries(int(f(rdNEntries))); err != nil {
		return Ready{}, err
	}
	if rd.CommittedEntries, err = p.entries(int(f(rdNCommitted))); err != nil {
		return Ready{}, err
	}
	if n := int(f(rdNMessages)); n > 0 {
		rd.Messages = make([]*pb.Message, n)
		for i := range rd.Messages {
			b, err := p.part()
			if err != nil {
				return Ready{}, err
			}
			m := &pb.Message{}
			if err := unmarshal(b, m); err != nil {
				return Ready{}, err
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
				return Ready{}, err
			}
			rd.ReadStates[i].RequestCtx = append([]byte(nil), b...)
		}
	}
	if f(rdHasHard) != 0 {
		if _, err := p.part(); err != nil { // the HardState bytes (the fields above say it all)
			return Ready{}, err
		}
	}
	if f(rdHasSnap) != 0 {
		b, err := p.part()
		if err != nil {
			return Ready{}, err
		}
		if rd.Snapshot, err = decodeSnapshot(b); err != nil {
			return Ready{}, err
		}
	}
	for i := range rd.ReadStates {
		if p.next >= p.words {
			return Ready{}, newError(codeDecode, "raftc: packed Ready too short")
		}
		rd.ReadStates[i].Index = p.word(p.next)
		p.next++
	}
	rd.MustSync = f(rdMustSync) != 0
	return rd, nil
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
