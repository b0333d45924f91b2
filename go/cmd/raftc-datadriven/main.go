// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// raftc-datadriven (Go): replays etcd raft's datadriven transcripts through the Go binding,
// with the command line of the C driver (tests/conformance/main.c):
//
//	raftc-datadriven --suite=NAME [--rewrite | --rewrite=-] FILE...
//
// Exit status: 0 all files match (or were rewritten), 1 a mismatch, 2 a harness error or bad
// usage, 77 --skip=REASON (prints SKIPPED: REASON).
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

var suites = map[string]suite{
	"quorum":      quorumSuite{},
	"confchange":  confchangeSuite{},
	"interaction": interactionSuite{},
	"selftest":    selftestSuite{},
}

func usage(w io.Writer) {
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "usage: raftc-datadriven --suite=NAME [--rewrite | --rewrite=-] FILE...\nsuites: %s\n", strings.Join(names, " "))
}

func rewriteInPlace(s suite, path string) int {
	var buf bytes.Buffer
	if rc := runFile(s, path, true, &buf, os.Stderr); rc != 0 {
		return rc
	}
	tmp := path + ".rewrite.tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot write: %v\n", path, err)
		return 2
	}
	if err := os.Rename(tmp, path); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot replace: %v\n", path, err)
		return 2
	}
	return 0
}

func mainRC(args []string) int {
	suiteName := ""
	rewrite := 0 // 1: in place, 2: stdout
	var files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "--suite="):
			suiteName = a[len("--suite="):]
		case strings.HasPrefix(a, "--skip="):
			fmt.Printf("SKIPPED: %s\n", a[len("--skip="):])
			return 77
		case a == "--rewrite":
			rewrite = 1
		case a == "--rewrite=-":
			rewrite = 2
		case a == "--help" || a == "-h":
			usage(os.Stdout)
			return 0
		case a == "--":
			files = args[i+1:]
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(os.Stderr, "unknown option %s\n", a)
			usage(os.Stderr)
			return 2
		default:
			files = args[i:]
			i = len(args)
		}
	}
	s, ok := suites[suiteName]
	if !ok {
		if suiteName == "" {
			fmt.Fprintln(os.Stderr, "missing --suite")
		} else {
			fmt.Fprintf(os.Stderr, "unknown suite %s\n", suiteName)
		}
		usage(os.Stderr)
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "no files given")
		usage(os.Stderr)
		return 2
	}
	worst, failed := 0, 0
	for _, path := range files {
		var rc int
		switch rewrite {
		case 1:
			rc = rewriteInPlace(s, path)
		case 2:
			rc = runFile(s, path, true, os.Stdout, os.Stderr)
		default:
			rc = runFile(s, path, false, nil, os.Stderr)
		}
		status := "ok  "
		if rewrite != 0 {
			status = "rewrote"
		}
		if rc != 0 {
			failed++
			status = "FAIL"
		}
		worst = max(worst, rc)
		fmt.Fprintf(os.Stderr, "%s %s\n", status, path)
	}
	if len(files) > 1 {
		fmt.Fprintf(os.Stderr, "%d/%d files passed\n", len(files)-failed, len(files))
	}
	return worst
}

func main() { os.Exit(mainRC(os.Args[1:])) }
