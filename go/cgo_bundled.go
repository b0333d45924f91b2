// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// cgo_bundled.go: the default build compiles libraftc from the C sources generated into this
// directory (tools/gen-go-sources.sh; the zc_*.c files) and links protobuf-c found through
// pkg-config. Build with -tags raftc_system to link an installed libraftc instead.

//go:build !raftc_system

package raftc

/*
#cgo CFLAGS: -std=c11 -DRAFTC_BUILDING_LIBRARY=1
#cgo pkg-config: libprotobuf-c
*/
import "C"
