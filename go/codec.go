// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// codec.go: raftc's raftpb bytes <-> go.etcd.io/raft/v3/raftpb values. The bytes are etcd's
// wire format, so etcd's own generated Marshal/Unmarshal are the codec.

package raftc

import (
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"
)

func marshal(m proto.Message) ([]byte, error) { return marshalAppend(nil, m) }

// marshalAppend is marshal appending to buf.
func marshalAppend(buf []byte, m proto.Message) ([]byte, error) {
	b, err := proto.MarshalOptions{}.MarshalAppend(buf, m)
	if err != nil {
		return nil, &Error{Code: codeInvalid, Msg: "raftc: cannot encode " + string(proto.MessageName(m)) + ": " + err.Error(), sentinel: ErrInvalid}
	}
	return b, nil
}

// stepBufMax bounds the encoding buffer a RawNode keeps for Step.
const stepBufMax = 1 << 20

func unmarshal(b []byte, m proto.Message) error {
	if err := proto.Unmarshal(b, m); err != nil {
		return &Error{Code: codeDecode, Msg: "raftc: cannot decode " + string(proto.MessageName(m)) + ": " + err.Error(), sentinel: ErrDecode}
	}
	return nil
}

func decodeConfState(b []byte) (*pb.ConfState, error) {
	cs := &pb.ConfState{}
	if err := unmarshal(b, cs); err != nil {
		return nil, err
	}
	return cs, nil
}

func decodeSnapshot(b []byte) (*pb.Snapshot, error) {
	s := &pb.Snapshot{}
	if err := unmarshal(b, s); err != nil {
		return nil, err
	}
	return s, nil
}

func decodeHardState(b []byte) (*pb.HardState, error) {
	hs := &pb.HardState{}
	if err := unmarshal(b, hs); err != nil {
		return nil, err
	}
	return hs, nil
}

func decodeEntries(items [][]byte) ([]*pb.Entry, error) {
	ents := make([]*pb.Entry, len(items))
	for i, b := range items {
		e := &pb.Entry{}
		if err := unmarshal(b, e); err != nil {
			return nil, err
		}
		ents[i] = e
	}
	return ents, nil
}

func encodeEntries(ents []*pb.Entry) ([][]byte, error) {
	out := make([][]byte, len(ents))
	for i, e := range ents {
		b, err := marshal(e)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// confChangeBytes encodes a conf change with the kind raftc expects (V1 for *ConfChange, V2
// otherwise), as etcd's MarshalConfChange does (nil: an empty V2, i.e. leave the joint
// config).
func confChangeBytes(cc pb.ConfChangeI) (int, []byte, error) {
	typ, data, err := pb.MarshalConfChange(cc)
	if err != nil {
		return 0, nil, &Error{Code: codeInvalid, Msg: err.Error(), sentinel: ErrInvalid}
	}
	if typ == pb.EntryType_EntryConfChange {
		return ccV1, data, nil
	}
	return ccV2, data, nil
}
