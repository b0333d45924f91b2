// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// oracle_test.go: raftc-etcd-oracle, the etcd oracle of the conformance matrix. It replays
// datadriven files through real etcd raft (go.etcd.io/raft/v3, the version pinned in go.mod):
// etcd's own test harness (rafttest.InteractionEnv, driven by github.com/cockroachdb/datadriven,
// the parser etcd uses) plus the project's extension commands (extensions_test.go), which act on
// the InteractionEnv's exported nodes through raft's public API. Same command line as the C
// driver:
//
//	raftc-etcd-oracle --suite=interaction [--rewrite | --rewrite=-] FILE...
//
// Exit status: 0 if every file passed (or was rewritten), 1 if any failed, 2 on usage errors.
// Mismatches and harness failures go to stderr (Go's testing output); stdout carries only
// transcripts.
//
// etcd's harness needs a real *testing.T (its t.Fatal aborts a file), so the oracle is a Go test
// binary (`go test -c`, see build.sh) whose TestMain takes the driver's command line and runs
// one subtest per file.
package oracle

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

const usage = "usage: raftc-etcd-oracle --suite=interaction [--rewrite | --rewrite=-] FILE...\n" +
	"suites: interaction\n"

var (
	oracleFiles   []string
	oracleRewrite int // 0: compare, 1: rewrite in place, 2: transcript to stdout
	oracleStdout  *os.File
	oracleFailed  int
)

// newHandler returns the handler of one file's fresh environment: the project's extension
// commands first, then etcd's InteractionEnv.Handle.
func newHandler() func(t *testing.T, d *datadriven.TestData) string {
	x := newExtEnv()
	return func(t *testing.T, d *datadriven.TestData) string {
		if out, ok := x.handle(t, d); ok {
			return out
		}
		return x.env.Handle(t, *d)
	}
}

// replay runs one file; in rewrite mode on a copy, whose transcript it returns.
func replay(t *testing.T, path string) string {
	target := path
	if oracleRewrite != 0 {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		target = filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(target, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := flag.Set("rewrite", fmt.Sprint(oracleRewrite != 0)); err != nil {
		t.Fatal(err)
	}
	datadriven.RunTest(t, target, newHandler())
	if oracleRewrite == 0 {
		return ""
	}
	out, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestOracle replays every file named on the command line, one subtest each.
func TestOracle(t *testing.T) {
	for _, path := range oracleFiles {
		var out string
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		ok := t.Run(name, func(t *testing.T) { out = replay(t, path) })
		if ok && oracleRewrite == 1 {
			ok = os.WriteFile(path, []byte(out), 0o644) == nil
		} else if ok && oracleRewrite == 2 {
			_, err := io.WriteString(oracleStdout, out)
			ok = err == nil
		}
		status := "ok  "
		if !ok {
			status = "FAIL"
			oracleFailed++
		} else if oracleRewrite != 0 {
			status = "rewrote"
		}
		fmt.Fprintf(os.Stderr, "%s %s\n", status, path)
	}
	if len(oracleFiles) > 1 {
		fmt.Fprintf(os.Stderr, "%d/%d files passed\n", len(oracleFiles)-oracleFailed,
			len(oracleFiles))
	}
}

func TestMain(m *testing.M) {
	suite, args := "", os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "--suite="):
			suite = strings.TrimPrefix(a, "--suite=")
		case a == "--rewrite":
			oracleRewrite = 1
		case a == "--rewrite=-":
			oracleRewrite = 2
		case a == "-h" || a == "--help":
			fmt.Print(usage)
			os.Exit(0)
		case a == "--":
			oracleFiles = args[i+1:]
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(os.Stderr, "unknown option %s\n%s", a, usage)
			os.Exit(2)
		default:
			oracleFiles = args[i:]
			i = len(args)
		}
	}
	if suite != "interaction" {
		// etcd's quorum and confchange transcripts are etcd's own output; only the interaction
		// harness is exported (rafttest) and replayed here.
		fmt.Fprintf(os.Stderr, "unknown suite %q\n%s", suite, usage)
		os.Exit(2)
	}
	if len(oracleFiles) == 0 {
		fmt.Fprintf(os.Stderr, "no files given\n%s", usage)
		os.Exit(2)
	}
	os.Args = []string{os.Args[0], "-test.run=^TestOracle$", "-test.count=1"}
	// Go's testing reports on os.Stdout; stdout is kept for transcripts.
	oracleStdout, os.Stdout = os.Stdout, os.Stderr
	m.Run()
	if oracleFailed > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}
