# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# selftest.py: the runner's own test suite (port of tests/conformance/suite_selftest.c).
"""The ``selftest`` suite: exercises the datadriven runner without the library."""
from .runner import Directive, Fatal


class _Env:
    def __init__(self) -> None:
        self.runs = 0


class SelftestSuite:
    """args / echo / empty / count / fatal."""

    name = "selftest"

    def new_env(self) -> object:
        """A fresh directive counter for one file."""
        return _Env()

    def handle(self, env: object, d: Directive) -> str:
        """Runs one directive (see :class:`~datadriven.runner.Suite`)."""
        assert isinstance(env, _Env)
        runs = env.runs
        env.runs += 1
        if d.cmd == "args":
            out = ["cmd=%s\n" % d.cmd]
            for a in d.args:
                out.append(a.key + "".join(" [%s]" % v for v in a.vals) + "\n")
            if d.input:
                out.append("input=%s\n" % d.input)
            return "".join(out)
        if d.cmd == "echo":
            return d.input
        if d.cmd == "empty":
            return ""
        if d.cmd == "count":
            return str(runs)
        if d.cmd == "fatal":
            raise Fatal("fatal requested")
        return "unknown command"
