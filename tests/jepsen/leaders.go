// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// leaders.go: the leader tour before the nemesis: leadership is transferred to every node in
// turn (POST /leader/{id}, kv-protocol.md), and under each leader every node takes writes and
// serves linearizable reads, all recorded in the history. In a mixed cluster this makes every
// implementation lead, and every implementation forward proposals to every other.
package main

import (
	"fmt"
	"net/http"
	"time"
)

func (c *cluster) transferTo(target *node, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if st, err := c.statusOf(target); err == nil && st.State == "StateLeader" {
			return nil
		}
		if l := c.leader(); l != nil && l != target {
			req, _ := http.NewRequest(http.MethodPost,
				fmt.Sprintf("http://%s/leader/%d", l.listen, target.id), nil)
			if resp, err := c.status.Do(req); err == nil {
				resp.Body.Close()
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("node %d never became leader within %v", target.id, timeout)
}

// leaderTour makes every node leader in turn; under each, every node writes each key once and
// reads it back linearizably.
func leaderTour(c *cluster, h *history, nKeys int, nem *nemesis) error {
	kc := newKVClient()
	for _, target := range c.nodes {
		if err := c.transferTo(target, 20*time.Second); err != nil {
			return err
		}
		nem.logf("leader tour: node %d leads", target.id)
		for i, nd := range c.nodes {
			for k := 0; k < nKeys; k++ {
				for _, in := range []kvInput{
					{Op: opPut, Key: fmt.Sprintf("k%d", k),
						Value: fmt.Sprintf("tour-%d-%d-%d", target.id, nd.id, k)},
					{Op: opGet, Key: fmt.Sprintf("k%d", k)},
				} {
					call := h.now()
					v, class, what := kc.do("http://"+nd.listen, in)
					ret := h.now()
					switch {
					case class == definite:
						h.add(2000+i, in, kvOutput{Value: v}, call, ret, what)
					case in.Op != opGet && class == unknown:
						h.add(2000+i, in, kvOutput{Unknown: true}, call, ret, what)
						return fmt.Errorf("leader tour (node %d leads): %s through node %d: %s",
							target.id, kvModel.DescribeOperation(in, kvOutput{Unknown: true}),
							nd.id, what)
					default:
						h.drop(2000+i, in, call, ret, what)
						return fmt.Errorf("leader tour (node %d leads): %v through node %d "+
							"failed: %s", target.id, in.Op, nd.id, what)
					}
				}
			}
		}
	}
	return nil
}
