#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# raftc_datadriven.py: pyraftc's conformance driver (python/tests/datadriven), with the C
# driver's command line:
#   python python/tests/raftc_datadriven.py --suite=NAME [--rewrite | --rewrite=-] FILE...
# It replays etcd's datadriven transcripts through an installed pyraftc; it is test tooling,
# not part of the pyraftc package.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from datadriven import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
