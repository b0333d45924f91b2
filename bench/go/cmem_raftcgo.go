// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// cmem_raftcgo.go: the C heap in the memory figures of the raftc-go build. The binding keeps
// the raft state, logs and payloads in C (malloc), which Go's HeapAlloc does not see, so the
// live bytes of workloads d and m add glibc's count of allocated bytes (mallinfo2: every
// arena's chunks in use plus mmapped chunks; each chunk counts its malloc header, a few bytes
// more than raftc-bench's malloc_usable_size).

//go:build raftcgo

package main

/*
#include <malloc.h>

static unsigned long long raftc_bench_c_heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (unsigned long long)mi.uordblks + (unsigned long long)mi.hblkhd;
}
*/
import "C"

func init() {
	cHeapBytes = func() uint64 { return uint64(C.raftc_bench_c_heap_bytes()) }
}
