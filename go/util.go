// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package raftc

import "slices"

func sortedKeys[V any](m map[uint64]V) []uint64 {
	ks := make([]uint64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
