// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// binding_test.go: mixed clusters with raftc nodes in-process through the Go binding ('g'),
// beside etcd RawNodes ('e') and raftc peer processes ('r'), all in the same scenarios.

//go:build !etcd36

package interop

import (
	"fmt"
	"math/rand"
	"testing"
)

func TestGoBindingReplication(t *testing.T) {
	for _, kinds := range []string{"egg", "eeg", "egr", "ggg"} {
		t.Run(kinds, func(t *testing.T) { replicate(t, kinds) })
	}
}

// TestGoBindingRandomFaults: the fault scenario of faults_test.go with the Go binding in every
// cluster (fixed, printed seeds).
func TestGoBindingRandomFaults(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			n := 3 + 2*rng.Intn(2)
			kinds := []byte{'e', 'g'}
			for len(kinds) < n {
				kinds = append(kinds, "egr"[rng.Intn(3)])
			}
			rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
			randomFaultsKinds(t, rng, seed, string(kinds))
		})
	}
}

// TestGoBindingScenarios reruns the fixed-kind scenarios with the Go binding as the raftc side.
func TestGoBindingScenarios(t *testing.T) {
	raftcLetter, raftcKind = "g", "raftc-go"
	defer func() { raftcLetter, raftcKind = "r", "raftc" }()
	for name, fn := range map[string]func(*testing.T){
		"LeaderTransfer": TestLeaderTransfer, "ConfChange": TestConfChange,
		"Snapshot": TestSnapshot, "PreVoteCheckQuorum": TestPreVoteCheckQuorum,
		"ReadIndex": TestReadIndex, "ReadIndexLeaseBased": TestReadIndexLeaseBased,
		"RemoveLeader": TestRemoveLeader,
	} {
		t.Run(name, fn)
	}
}
