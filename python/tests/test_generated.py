# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_generated.py: the committed generated files are up to date (needs the source checkout;
# the raftpb_pb2 check also needs protoc-c).
import os
import shutil
import subprocess
import sys

import pytest

from helpers import REPO

TOOLS = os.path.join(REPO, "tools")


def run_tool(name, *args):
    script = os.path.join(TOOLS, name)
    if not os.path.exists(script):
        pytest.skip("source checkout not available")
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True)


def test_bindings_decls_up_to_date():
    r = run_tool("gen-bindings-decls.py", "--check")
    assert r.returncode == 0, r.stderr


def test_bindings_decls_are_preprocessor_free():
    r = run_tool("gen-bindings-decls.py", "--stdout")
    assert r.returncode == 0
    for line in r.stdout.splitlines():
        assert not line.lstrip().startswith("#"), line
    assert "RAFTC_API" not in r.stdout and "extern \"C\"" not in r.stdout
    assert "int raftc_node_step(raftc_node *node, const uint8_t *buf, size_t len);" in r.stdout
    # 64-bit constants are comments (LuaJIT's ffi.cdef takes 32-bit constants only); bindings
    # define them (pyraftc.NO_LIMIT, LOCAL_APPEND_THREAD, LOCAL_APPLY_THREAD).
    assert "static const uint64_t" not in r.stdout
    assert "/* RAFTC_NO_LIMIT = 0xffffffffffffffff (uint64_t, defined by each binding) */" in r.stdout
    assert "static const int RAFTC_ABI_VERSION = 1;" in r.stdout


def test_raftpb_pb2_up_to_date():
    if not shutil.which("protoc-c"):
        pytest.skip("protoc-c not installed")
    r = run_tool("gen-raftpb-pb2.py", "--check")
    assert r.returncode == 0, r.stderr
