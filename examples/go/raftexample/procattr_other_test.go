// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

//go:build !linux

package main

import "os/exec"

// dieWithTest: only Linux can tie a child's life to its parent's (Pdeathsig).
func dieWithTest(cmd *exec.Cmd) {}
