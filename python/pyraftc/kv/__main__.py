# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# __main__.py: `python -m pyraftc.kv` runs the raftc-kv command.
import sys

from .cli import main

sys.exit(main())
