# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# __init__.py: pyraftc.kv, raftc-kv: the replicated key-value service of docs/kv.md on pyraftc.
"""raftc-kv: a replicated key-value service on pyraftc.

Run a node with the ``raftc-kv`` console script (or ``python -m pyraftc.kv``); the flags, the
HTTP API and the guarantees are in docs/kv.md. Needs the ``kv`` extra (aiohttp):
``pip install 'pyraftc[kv]'``.
"""
__all__ = ["cli", "service", "state", "wire"]
