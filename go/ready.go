// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// ready.go: the pieces of a Ready the binding reads besides the layout of readyfields.go:
// MessageBytes (RawNode.ReadyBytes), a message's type and an entry's fields read from raftpb
// bytes with protowire (entrysources.go reads stepped MsgApps with them).

package raftc

import (
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

// entryView is an entry's fields, decoded from raftpb bytes (its Data at dataOff, dataLen of
// them).
type entryView struct {
	term, index      uint64
	typ              pb.EntryType
	dataOff, dataLen int
}

// entryBox is an entry with the values its optional fields point to (one allocation for a
// Ready's entries).
type entryBox struct {
	e           pb.Entry
	term, index uint64
	typ         pb.EntryType
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
