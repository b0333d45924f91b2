// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0

package main

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes a node process get SIGKILL when the test binary dies (a test timeout
// skips the deferred cleanup), so no node outlives its test.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
