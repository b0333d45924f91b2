# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# __init__.py: datadriven, pyraftc's conformance driver: etcd's datadriven transcripts replayed
# through the binding, with the CLI of tests/conformance's raftc-datadriven. Test tooling, not
# part of the pyraftc package.
"""Replays etcd raft's datadriven transcripts through pyraftc.

``python python/tests/raftc_datadriven.py --suite=interaction|confchange|quorum|selftest
[--rewrite | --rewrite=-] FILE...`` -- exit 0 if every file matched, 1 on a mismatch (a unified diff goes to
stderr), 2 on usage/harness errors; ``--skip=TEXT`` prints ``SKIPPED: TEXT`` and exits 77.
"""
from typing import Dict, List, Optional

from .confchange import ConfChangeSuite
from .interaction import InteractionSuite
from .quorum import QuorumSuite
from .runner import Directive, Fatal, Suite, run_file
from .selftest import SelftestSuite

SUITES: Dict[str, Suite] = {
    "quorum": QuorumSuite(),
    "confchange": ConfChangeSuite(),
    "selftest": SelftestSuite(),
    "interaction": InteractionSuite(),
}

__all__ = ["SUITES", "run_file", "Directive", "Fatal", "main"]


def main(argv: Optional[List[str]] = None) -> int:
    """The command line entry point (see the module docstring)."""
    from .__main__ import main as _main
    return _main(argv)
