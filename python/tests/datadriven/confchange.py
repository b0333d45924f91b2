# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# confchange.py: etcd's confchange/datadriven_test.go (HARNESS.md §5.1) over pyraftc.tools.Changer,
# a port of tests/conformance/suite_confchange.c.
"""The ``confchange`` datadriven suite."""
from pyraftc import tools
from pyraftc.errors import ConfChangeError
from .gostr import StrconvError, parse_bool, parse_changes
from .runner import Directive, Fatal


class _Env:
    def __init__(self) -> None:
        self.changer = tools.Changer(10, 0)  # etcd: tracker.MakeProgressTracker(10, 0)
        self.last_index = 0  # directives already run in this file


class ConfChangeSuite:
    """etcd's confchange datadriven test: ``simple``, ``enter-joint``, ``leave-joint``."""

    name = "confchange"

    def new_env(self) -> object:
        """A fresh changer state for one file."""
        return _Env()

    def handle(self, env: object, d: Directive) -> str:
        """Runs one directive (see :class:`~datadriven.runner.Suite`)."""
        assert isinstance(env, _Env)
        try:
            return self._run(env, d)
        finally:
            env.last_index += 1  # etcd increments after every directive, errors included

    def _run(self, e: _Env, d: Directive) -> str:
        try:
            changes = parse_changes(d.input)
        except (StrconvError, ValueError) as exc:
            return str(exc)
        ch = e.changer
        ch.set_last_index(e.last_index)
        try:
            if d.cmd == "simple":
                ch.simple(changes)
            elif d.cmd == "enter-joint":
                auto_leave = False
                if d.args:
                    a = d.find_arg("autoleave")
                    if a is None or len(a.vals) != 1:
                        raise Fatal("enter-joint: expected a single autoleave=<bool> argument")
                    try:
                        auto_leave = parse_bool(a.vals[0])
                    except ValueError:
                        raise Fatal("enter-joint: expected a single autoleave=<bool> "
                                    "argument") from None
                ch.enter_joint(auto_leave, changes)
            elif d.cmd == "leave-joint":
                if changes:
                    return "this command takes no input\n"
                ch.leave_joint()
            else:
                return "unknown command"
        except ConfChangeError as exc:
            return "%s\n" % exc
        return ch.describe()
