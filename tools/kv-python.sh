#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# kv-python.sh: runs the Python interpreter of a virtualenv holding pyraftc with raftc-kv
# (`pip install .[kv]`) with the given arguments; tools/demo.sh and tools/kv-bench use it. The
# virtualenv lives under build/ (RAFTC_BUILD_ROOT); the first run builds libraftc and the cffi
# module and fetches aiohttp from PyPI, later runs reinstall only when the sources changed.
#   RAFTC_KV_PYTHON=/path/to/python   use an interpreter that already has pyraftc[kv] instead
#                                     (tools/test-all.sh passes its test virtualenv)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${RAFTC_KV_PYTHON:-}"
if [ -z "$python" ]; then
    venv="${RAFTC_BUILD_ROOT:-$root/build}/kv-venv"
    stamp="$venv/.installed"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
    fi
    if [ ! -f "$stamp" ] || [ -n "$(find "$root/python/pyraftc" "$root/core" "$root/capi" \
        "$root/proto" "$root/pyproject.toml" "$root/CMakeLists.txt" -type f \
        ! -path '*/__pycache__/*' ! -name '*.so' -newer "$stamp" -print -quit)" ]; then
        echo "installing pyraftc[kv] into $venv (the first run builds libraftc: a minute or two)" >&2
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "$root[kv]" >&2
        touch "$stamp"
    fi
    python="$venv/bin/python"
fi
exec "$python" "$@"
