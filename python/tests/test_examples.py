# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_examples.py: the Python example runs to completion and its nodes agree (needs the
# source checkout).
import os
import subprocess
import sys

import pytest

from helpers import REPO

EXAMPLE = os.path.join(REPO, "examples", "python", "cluster.py")


def test_cluster_example():
    if not os.path.exists(EXAMPLE):
        pytest.skip("source checkout not available")
    r = subprocess.run([sys.executable, EXAMPLE], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "leader elected: node 1" in r.stdout
    assert "replicated 5 writes: [('key0', 'value0')" in r.stdout
    assert "all nodes agree" in r.stdout
