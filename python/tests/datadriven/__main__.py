# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# __main__.py: the CLI of tests/conformance/main.c in Python (python/tests/raftc_datadriven.py).
"""python python/tests/raftc_datadriven.py --suite=NAME [--rewrite | --rewrite=-] FILE..."""
import os
import sys
from typing import List, Optional, TextIO

from . import SUITES
from .runner import Suite, run_file


def _usage(f: TextIO) -> None:
    f.write("usage: raftc_datadriven.py --suite=NAME [--rewrite | --rewrite=-] "
            "FILE...\nsuites: %s\n" % " ".join(SUITES))


def _write_stdout(text: str) -> None:
    """--rewrite=-: the transcript to stdout, bytes as read (surrogateescape)."""
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


def _rewrite_in_place(suite: Suite, path: str) -> int:
    out: List[str] = []
    rc = run_file(suite, path, rewrite=True, out=out.append)
    if rc != 0:
        return rc
    tmp = path + ".rewrite.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write("".join(out).encode("utf-8", "surrogateescape"))
        os.replace(tmp, path)
    except OSError as exc:
        sys.stderr.write("%s: cannot replace: %s\n" % (path, exc))
        return 2
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the CLI on argv (default sys.argv[1:]); returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    suite_name = None
    rewrite = 0  # 1: in place, 2: stdout
    files: List[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--suite="):
            suite_name = a[len("--suite="):]
        elif a.startswith("--skip="):
            print("SKIPPED: %s" % a[len("--skip="):])
            return 77
        elif a == "--rewrite":
            rewrite = 1
        elif a == "--rewrite=-":
            rewrite = 2
        elif a in ("--help", "-h"):
            _usage(sys.stdout)
            return 0
        elif a == "--":
            files = args[i + 1:]
            break
        elif a.startswith("-") and a != "-":
            sys.stderr.write("unknown option %s\n" % a)
            _usage(sys.stderr)
            return 2
        else:
            files = args[i:]
            break
        i += 1
    suite = SUITES.get(suite_name) if suite_name else None
    if suite is None:
        sys.stderr.write("unknown suite %s\n" % suite_name if suite_name else "missing --suite\n")
        _usage(sys.stderr)
        return 2
    if not files:
        sys.stderr.write("no files given\n")
        _usage(sys.stderr)
        return 2
    worst = failed = 0
    for path in files:
        if rewrite == 1:
            rc = _rewrite_in_place(suite, path)
        elif rewrite == 2:
            rc = run_file(suite, path, rewrite=True, out=_write_stdout)
        else:
            rc = run_file(suite, path)
        if rc != 0:
            failed += 1
        worst = max(worst, rc)
        sys.stderr.write("%s %s\n" % (("rewrote" if rewrite else "ok  ") if rc == 0 else "FAIL",
                                      path))
    if len(files) > 1:
        sys.stderr.write("%d/%d files passed\n" % (len(files) - failed, len(files)))
    return worst


if __name__ == "__main__":
    sys.exit(main())
