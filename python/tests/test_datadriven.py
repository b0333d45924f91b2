# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_datadriven.py: etcd's datadriven transcripts replayed through the binding
# (python/tests/raftc_datadriven.py), byte for byte. The transcripts live outside the repo in
# ../shared/conformance/etcd (env RAFTC_ETCD_TESTDATA overrides); tests skip when absent.
# The project's own scenario files (tests/conformance/testdata) run too when the checkout is
# there. Nothing is xfail'ed: a file failing in C fails here as well.
import glob
import io
import os
import subprocess
import sys

import pytest

from datadriven import SUITES, run_file
from helpers import REPO

ETCD = os.environ.get("RAFTC_ETCD_TESTDATA") or os.path.join(REPO, "..", "shared",
                                                              "conformance", "etcd")
OWN = os.path.join(REPO, "tests", "conformance", "testdata")
DRIVER = os.path.join(REPO, "python", "tests", "raftc_datadriven.py")


def files(base, suite):
    return sorted(glob.glob(os.path.join(base, suite, "*.txt")))


def params():
    out = []
    for suite in ("interaction", "confchange", "quorum"):
        found = files(ETCD, suite)
        if not found:
            out.append(pytest.param(suite, None, marks=pytest.mark.skip(
                reason="etcd transcripts not found at %s (set RAFTC_ETCD_TESTDATA)"
                % os.path.join(ETCD, suite)), id="%s-missing" % suite))
        out += [pytest.param(suite, f, id="%s-%s" % (suite, os.path.basename(f)))
                for f in found]
    for suite in ("interaction", "selftest"):
        out += [pytest.param(suite, f, id="own-%s-%s" % (suite, os.path.basename(f)))
                for f in files(OWN, suite)]
    return out


@pytest.mark.parametrize("suite,path", params())
def test_transcript(suite, path):
    err = io.StringIO()
    rc = run_file(SUITES[suite], path, err=err)
    assert rc == 0, "%s mismatched (rc=%d):\n%s" % (path, rc, err.getvalue())


@pytest.mark.parametrize("suite", ["quorum", "confchange"])
def test_rewrite_roundtrip(suite):
    found = files(ETCD, suite)
    if not found:
        pytest.skip("etcd transcripts not found at %s" % ETCD)
    for path in found:
        out = []
        assert run_file(SUITES[suite], path, rewrite=True, out=out.append) == 0
        with open(path, encoding="utf-8") as f:
            assert "".join(out) == f.read(), path


def test_mismatch_reports_diff():
    path = os.path.join(OWN, "selftest_fail", "mismatch.txt")
    if not os.path.exists(path):
        pytest.skip("no checkout")
    err = io.StringIO()
    assert run_file(SUITES["selftest"], path, err=err) == 1
    assert "output mismatch" in err.getvalue() and "\n+x [1] [2]" in err.getvalue()


def test_cli(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("echo\nhello\n----\nwrong\n")
    run = lambda *a: subprocess.run([sys.executable, DRIVER, *a],
                                    capture_output=True, text=True)
    r = run("--suite=selftest", str(f))
    assert r.returncode == 1 and "FAIL" in r.stderr
    r = run("--suite=selftest", "--rewrite=-", str(f))
    assert r.returncode == 0 and r.stdout == "echo\nhello\n----\nhello\n"
    r = run("--suite=selftest", "--rewrite", str(f))
    assert r.returncode == 0 and f.read_text() == "echo\nhello\n----\nhello\n"
    assert run("--suite=selftest", str(f)).returncode == 0
    assert run("--suite=nope", str(f)).returncode == 2
    assert run("--suite=selftest").returncode == 2
    r = run("--skip=no data")
    assert r.returncode == 77 and "SKIPPED: no data" in r.stdout
