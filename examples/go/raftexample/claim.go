// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// claim.go: two nodes with the same id (docs/kv.md). A node that starts on an empty data
// directory asks the other --peers for /status and refuses to start if one answers with its
// id, or if the members already give its id another URL.

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// claimedElsewhere returns where another node already holds id ("" if nowhere it can see).
// Peers that do not answer within the timeout are skipped.
func claimedElsewhere(id uint64, peers map[uint64]string, timeout time.Duration) string {
	client := &http.Client{Timeout: timeout}
	ids := make([]uint64, 0, len(peers))
	for pid := range peers {
		if pid != id {
			ids = append(ids, pid)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	mine := peers[id]
	for _, pid := range ids {
		u := peers[pid]
		resp, err := client.Get(u + "/status")
		if err != nil {
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		var st statusJSON
		if err != nil || resp.StatusCode != http.StatusOK || json.Unmarshal(body, &st) != nil {
			continue
		}
		if st.ID == id {
			return u
		}
		key := strconv.FormatUint(id, 10)
		for _, m := range []map[string]string{st.Members, st.Learners} {
			if at, ok := m[key]; ok && at != mine {
				return fmt.Sprintf("%s (member %d is at %s)", u, id, at)
			}
		}
	}
	return ""
}
