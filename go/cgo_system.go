// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// cgo_system.go: with -tags raftc_system the package links the system's libraftc (found by the
// linker; set CGO_CFLAGS / CGO_LDFLAGS for another prefix) instead of compiling the bundled
// sources. The header is the bundled copy of raftc.h; the library must have the same ABI major:
// -lraftc records its SONAME, libraftc.so.<RAFTC_ABI_VERSION>, so the dynamic linker never
// loads a library of another ABI major (ABIVersion reports the one loaded).

//go:build raftc_system

package raftc

/*
#cgo LDFLAGS: -lraftc
*/
import "C"
