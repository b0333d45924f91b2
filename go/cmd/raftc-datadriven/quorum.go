// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// quorum.go: etcd's quorum datadriven test (HARNESS.md §5.2) over raftc's quorum functions,
// including etcd's cross-checks (printed only when they disagree).

package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	raftc "github.com/raftc/raftc/go"
)

type quorumSuite struct{}

type quorumEnv struct{}

func (quorumSuite) newEnv() env { return quorumEnv{} }

func (quorumEnv) close() {}

func indexStr(i uint64) string {
	if i == raftc.QuorumIndexInf {
		return "∞"
	}
	return strconv.FormatUint(i, 10)
}

type quorumCase struct {
	joint     bool
	ids, idsj []uint64
	idxs      []uint64 // 0 = "_"
	votes     []uint64 // 0 = "_", 1 = n, 2 = y
	voters    []uint64 // distinct, cfg then cfgj order
	lookup    map[uint64]uint64
}

func parseU64(v, what string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fatalf("%s: cannot parse %s as uint64", what, v)
	}
	return n, nil
}

func newQuorumCase(d *directive) (*quorumCase, error) {
	c := &quorumCase{lookup: map[uint64]uint64{}}
	for _, a := range d.args {
		for _, v := range a.vals {
			switch a.key {
			case "cfg":
				n, err := parseU64(v, "cfg")
				if err != nil {
					return nil, err
				}
				c.ids = append(c.ids, n)
			case "cfgj":
				c.joint = true
				if v == "zero" {
					if len(a.vals) != 1 {
						return nil, fatalf("cannot mix 'zero' into configuration")
					}
					continue
				}
				n, err := parseU64(v, "cfgj")
				if err != nil {
					return nil, err
				}
				c.idsj = append(c.idsj, n)
			case "idx":
				var n uint64
				if v != "_" {
					var err error
					if n, err = parseU64(v, "idx"); err != nil {
						return nil, err
					}
					if n == 0 {
						return nil, fatalf("cannot use 0 as idx")
					}
				}
				c.idxs = append(c.idxs, n)
			case "votes":
				switch v {
				case "y":
					c.votes = append(c.votes, 2)
				case "n":
					c.votes = append(c.votes, 1)
				case "_":
					c.votes = append(c.votes, 0)
				default:
					return nil, fatalf("unknown vote: %s", v)
				}
			default:
				return nil, fatalf("unknown arg %s", a.key)
			}
		}
	}
	for _, id := range append(slices.Clone(c.ids), c.idsj...) {
		if !slices.Contains(c.voters, id) {
			c.voters = append(c.voters, id)
		}
	}
	return c, nil
}

func (c *quorumCase) makeLookup(in []uint64) {
	for i, voter := range c.voters {
		if i >= len(in) {
			break
		}
		if _, seen := c.lookup[voter]; in[i] != 0 && !seen {
			c.lookup[voter] = in[i]
		}
	}
}

// alternative is etcd's cross-check: the largest acked value v that at least a quorum acked.
func alternative(cfg []uint64, lookup map[uint64]uint64) uint64 {
	var distinct []uint64
	for _, i := range cfg {
		if !slices.Contains(distinct, i) {
			distinct = append(distinct, i)
		}
	}
	if len(distinct) == 0 {
		return raftc.QuorumIndexInf
	}
	q := len(distinct)/2 + 1
	var best uint64
	for _, i := range distinct {
		v, ok := lookup[i]
		if !ok {
			continue
		}
		n := 0
		for _, j := range distinct {
			if w, ok := lookup[j]; ok && w >= v {
				n++
			}
		}
		if n >= q && v > best {
			best = v
		}
	}
	return best
}

func committed(c *quorumCase) (string, error) {
	var b strings.Builder
	c.makeLookup(c.idxs)
	lk := c.lookup
	ci := func(inc, out []uint64, m map[uint64]uint64) (uint64, error) {
		return raftc.QuorumCommittedIndex(inc, out, m)
	}
	var idx uint64
	var err error
	if !c.joint {
		if idx, err = ci(c.ids, nil, lk); err != nil {
			return "", err
		}
		desc, err := raftc.QuorumDescribe(c.ids, nil, lk)
		if err != nil {
			return "", err
		}
		b.WriteString(desc)
		if alt := alternative(c.ids, lk); alt != idx {
			fmt.Fprintf(&b, "%s <-- via alternative computation\n", indexStr(alt))
		}
		if alt, _ := ci(c.ids, nil, lk); alt != idx {
			fmt.Fprintf(&b, "%s <-- via zero-joint quorum\n", indexStr(alt))
		}
		if alt, _ := ci(c.ids, c.ids, lk); alt != idx {
			fmt.Fprintf(&b, "%s <-- via self-joint quorum\n", indexStr(alt))
		}
		var seen []uint64
		for _, vid := range c.ids {
			if slices.Contains(seen, vid) {
				continue
			}
			seen = append(seen, vid)
			iidx, ok := lk[vid]
			if !ok || !(idx > iidx && iidx > 0) {
				continue
			}
			for _, lowered := range []uint64{iidx - 1, 0} {
				overlay := map[uint64]uint64{}
				for _, other := range c.ids {
					if _, done := overlay[other]; done {
						continue
					}
					if other == vid {
						overlay[other] = lowered
					} else if v, ok := lk[other]; ok {
						overlay[other] = v
					}
				}
				if alt, _ := ci(c.ids, nil, overlay); alt != idx {
					if lowered == iidx-1 {
						fmt.Fprintf(&b, "%s <-- overlaying %d->%d", indexStr(alt), vid, iidx)
					} else {
						fmt.Fprintf(&b, "%s <-- overlaying %d->0", indexStr(alt), vid)
					}
				}
			}
		}
	} else {
		desc, err := raftc.QuorumDescribe(c.ids, c.idsj, lk)
		if err != nil {
			return "", err
		}
		b.WriteString(desc)
		if idx, err = ci(c.ids, c.idsj, lk); err != nil {
			return "", err
		}
		if alt, _ := ci(c.idsj, c.ids, lk); alt != idx {
			fmt.Fprintf(&b, "%s <-- via symmetry\n", indexStr(alt))
		}
	}
	b.WriteString(indexStr(idx) + "\n")
	return b.String(), nil
}

func vote(c *quorumCase) (string, error) {
	c.makeLookup(c.votes)
	votes := map[uint64]bool{}
	for k, v := range c.lookup {
		votes[k] = v != 1
	}
	var b strings.Builder
	var r string
	var err error
	if !c.joint {
		r, err = raftc.QuorumVoteResult(c.ids, nil, votes)
	} else {
		if r, err = raftc.QuorumVoteResult(c.ids, c.idsj, votes); err == nil {
			if ar, _ := raftc.QuorumVoteResult(c.idsj, c.ids, votes); ar != r {
				fmt.Fprintf(&b, "%s <-- via symmetry\n", ar)
			}
		}
	}
	if err != nil {
		return "", err
	}
	b.WriteString(r + "\n")
	return b.String(), nil
}

func (quorumEnv) handle(d *directive) (string, error) {
	c, err := newQuorumCase(d)
	if err != nil {
		return "", err
	}
	in := c.idxs
	if d.cmd == "vote" {
		in = c.votes
	}
	if len(c.voters) != len(in) {
		keys := slices.Clone(c.voters)
		slices.Sort(keys)
		ks := make([]string, len(keys))
		for i, k := range keys {
			ks[i] = fmt.Sprintf("%d:{}", k)
		}
		vs := make([]string, len(in))
		for i, v := range in {
			vs[i] = indexStr(v)
		}
		return fmt.Sprintf("error: mismatched input (explicit or _) for voters map[%s]: [%s]",
			strings.Join(ks, " "), strings.Join(vs, " ")), nil
	}
	switch d.cmd {
	case "committed":
		return committed(c)
	case "vote":
		return vote(c)
	}
	return "", fatalf("unknown command: %s", d.cmd)
}
