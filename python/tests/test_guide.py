# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_guide.py: every ```python block of docs/python.md runs (in order, in one namespace, as a
# reader would paste them), and so does the quick start of pyraftc's docstring, so the guide
# cannot drift from the code.
import re
import textwrap

import pyraftc
from helpers import REPO

GUIDE = REPO + "/docs/python.md"


def guide_blocks():
    with open(GUIDE, encoding="utf-8") as f:
        return re.findall(r"^```python\n(.*?)^```", f.read(), re.S | re.M)


def test_guide_has_blocks():
    assert len(guide_blocks()) >= 3


def test_every_guide_block_runs():
    namespace = {"__name__": "guide"}
    for i, block in enumerate(guide_blocks()):
        code = compile(block, "%s block %d" % (GUIDE, i + 1), "exec")
        exec(code, namespace)  # noqa: S102 - the guide's own examples


def test_docstring_quick_start_elects_a_leader():
    doc = pyraftc.__doc__
    start = doc.index("::\n") + 3
    end = doc.index("\nNames follow etcd's")
    code = textwrap.dedent(doc[start:end])
    assert "campaign" in code
    exec(compile(code, "pyraftc.__doc__", "exec"), {"__name__": "doc"})  # noqa: S102
