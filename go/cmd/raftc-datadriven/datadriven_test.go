// Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
//
// datadriven_test.go: replays every etcd transcript (RAFTC_ETCD_TESTDATA, default
// ../shared/conformance/etcd from the repository root) and the project's own scenario files
// through the driver; the rewrite of each file must reproduce it byte for byte. The
// deliberately wrong selftest files must fail with the expected exit code and location.

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func etcdTestdata(t *testing.T) string {
	if d := os.Getenv("RAFTC_ETCD_TESTDATA"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(t), "..", "shared", "conformance", "etcd")
}

func replay(t *testing.T, suiteName, dir string, rewrite bool) int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range files {
		t.Run(suiteName+"/"+filepath.Base(f), func(t *testing.T) {
			var errw bytes.Buffer
			if rc := runFile(suites[suiteName], f, false, nil, &errw); rc != 0 {
				t.Fatalf("rc=%d\n%s", rc, errw.String())
			}
			if !rewrite {
				return
			}
			var out bytes.Buffer
			if rc := runFile(suites[suiteName], f, true, &out, &errw); rc != 0 {
				t.Fatalf("rewrite rc=%d\n%s", rc, errw.String())
			}
			want, _ := os.ReadFile(f)
			if !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("--rewrite=- does not reproduce %s byte for byte", f)
			}
		})
	}
	return len(files)
}

func TestEtcdTranscripts(t *testing.T) {
	dir := etcdTestdata(t)
	total := 0
	for _, s := range []string{"quorum", "confchange", "interaction"} {
		total += replay(t, s, filepath.Join(dir, s), true)
	}
	if total == 0 {
		t.Fatalf("no etcd transcripts found in %s (set RAFTC_ETCD_TESTDATA)", dir)
	}
	t.Logf("%d etcd transcripts", total)
}

func TestProjectScenarios(t *testing.T) {
	td := filepath.Join(repoRoot(t), "tests", "conformance", "testdata")
	if replay(t, "selftest", filepath.Join(td, "selftest"), true)+
		replay(t, "interaction", filepath.Join(td, "interaction"), true) == 0 {
		t.Fatalf("no scenario files in %s", td)
	}
}

// The wrong files carry "# expect-stderr: <regex>" lines; the first one names the location.
func TestRunnerReportsFailures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot(t), "tests", "conformance", "testdata", "selftest_fail", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no selftest_fail files")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var first string
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "# expect-stderr: ") {
				first = strings.TrimPrefix(l, "# expect-stderr: ")
				break
			}
		}
		var errw bytes.Buffer
		rc := runFile(suites["selftest"], f, false, nil, &errw)
		if rc == 0 {
			t.Errorf("%s: passed, want a failure", f)
			continue
		}
		if first != "" && !regexp.MustCompile(first).MatchString(errw.String()) {
			t.Errorf("%s: stderr %q does not match %q", f, errw.String(), first)
		}
	}
}

func TestCommandLine(t *testing.T) {
	if rc := mainRC([]string{"--suite=nope", "x"}); rc != 2 {
		t.Fatalf("unknown suite: rc=%d", rc)
	}
	if rc := mainRC([]string{"--suite=quorum"}); rc != 2 {
		t.Fatalf("no files: rc=%d", rc)
	}
	if rc := mainRC([]string{"--skip=reason"}); rc != 77 {
		t.Fatalf("skip: rc=%d", rc)
	}
}
