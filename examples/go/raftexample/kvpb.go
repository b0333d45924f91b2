// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// kvpb.go: proto/kvpb.proto (package raftckv) encoded and decoded with protowire, so the
// example needs no code generator: Command (every normal entry's data) and Snapshot (every raft
// snapshot's data).

package main

import (
	"errors"
	"sort"

	"google.golang.org/protobuf/encoding/protowire"
)

const (
	opPut    = 0
	opDelete = 1
)

type command struct {
	op         uint64
	key, value []byte
	node, seq  uint64
}

type member struct {
	id      uint64
	url     string
	learner bool
}

type kvSnapshot struct {
	pairs   map[string][]byte
	members []member
}

func (c *command) marshal() []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType)
	b = protowire.AppendVarint(b, c.op)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, c.key)
	if c.op == opPut {
		b = protowire.AppendTag(b, 3, protowire.BytesType)
		b = protowire.AppendBytes(b, c.value)
	}
	b = protowire.AppendTag(b, 4, protowire.VarintType)
	b = protowire.AppendVarint(b, c.node)
	b = protowire.AppendTag(b, 5, protowire.VarintType)
	b = protowire.AppendVarint(b, c.seq)
	return b
}

var errMalformed = errors.New("malformed kvpb message")

// fields calls fn for every field of a message; fn gets varints in v, bytes in p.
func fields(b []byte, fn func(num protowire.Number, v uint64, p []byte) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errMalformed
		}
		b = b[n:]
		var v uint64
		var p []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			p, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return errMalformed
		}
		b = b[n:]
		if err := fn(num, v, p); err != nil {
			return err
		}
	}
	return nil
}

func unmarshalCommand(b []byte) (*command, error) {
	c := &command{}
	err := fields(b, func(num protowire.Number, v uint64, p []byte) error {
		switch num {
		case 1:
			c.op = v
		case 2:
			c.key = append([]byte(nil), p...)
		case 3:
			c.value = append([]byte(nil), p...)
		case 4:
			c.node = v
		case 5:
			c.seq = v
		}
		return nil
	})
	return c, err
}

func (s *kvSnapshot) marshal() []byte {
	keys := make([]string, 0, len(s.pairs))
	for k := range s.pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b []byte
	for _, k := range keys {
		var p []byte
		p = protowire.AppendTag(p, 1, protowire.BytesType)
		p = protowire.AppendBytes(p, []byte(k))
		p = protowire.AppendTag(p, 2, protowire.BytesType)
		p = protowire.AppendBytes(p, s.pairs[k])
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	ms := append([]member(nil), s.members...)
	sort.Slice(ms, func(i, j int) bool { return ms[i].id < ms[j].id })
	for _, m := range ms {
		var p []byte
		p = protowire.AppendTag(p, 1, protowire.VarintType)
		p = protowire.AppendVarint(p, m.id)
		p = protowire.AppendTag(p, 2, protowire.BytesType)
		p = protowire.AppendBytes(p, []byte(m.url))
		p = protowire.AppendTag(p, 3, protowire.VarintType)
		p = protowire.AppendVarint(p, protowire.EncodeBool(m.learner))
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, p)
	}
	return b
}

func unmarshalSnapshot(b []byte) (*kvSnapshot, error) {
	s := &kvSnapshot{pairs: map[string][]byte{}}
	err := fields(b, func(num protowire.Number, _ uint64, p []byte) error {
		switch num {
		case 1:
			var k, v []byte
			if err := fields(p, func(n protowire.Number, _ uint64, q []byte) error {
				if n == 1 {
					k = q
				} else if n == 2 {
					v = q
				}
				return nil
			}); err != nil {
				return err
			}
			s.pairs[string(k)] = append([]byte{}, v...)
		case 2:
			var m member
			if err := fields(p, func(n protowire.Number, v uint64, q []byte) error {
				switch n {
				case 1:
					m.id = v
				case 2:
					m.url = string(q)
				case 3:
					m.learner = v != 0
				}
				return nil
			}); err != nil {
				return err
			}
			s.members = append(s.members, m)
		}
		return nil
	})
	return s, err
}
