// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// selftest.go: the runner's own suite (as suite_selftest.c): args / echo / empty / count /
// fatal.

package main

import (
	"fmt"
	"strings"
)

type selftestSuite struct{}

type selftestEnv struct{ runs int }

func (selftestSuite) newEnv() env { return &selftestEnv{} }

func (e *selftestEnv) close() {}

func (e *selftestEnv) handle(d *directive) (string, error) {
	runs := e.runs
	e.runs++
	switch d.cmd {
	case "args":
		var b strings.Builder
		fmt.Fprintf(&b, "cmd=%s\n", d.cmd)
		for _, a := range d.args {
			b.WriteString(a.key)
			for _, v := range a.vals {
				fmt.Fprintf(&b, " [%s]", v)
			}
			b.WriteString("\n")
		}
		if d.input != "" {
			fmt.Fprintf(&b, "input=%s\n", d.input)
		}
		return b.String(), nil
	case "echo":
		return d.input, nil
	case "empty":
		return "", nil
	case "count":
		return fmt.Sprint(runs), nil
	case "fatal":
		return "", fatalf("fatal requested")
	}
	return "unknown command", nil
}
