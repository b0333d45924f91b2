# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# raftpb.py: the public raftpb namespace (protobuf classes of etcd's raftpb wire format).
"""etcd's raftpb messages as standard protobuf classes.

``Message``, ``Entry``, ``HardState``, ``ConfState``, ``ConfChange``, ``ConfChangeV2``,
``ConfChangeSingle``, ``Snapshot`` and ``SnapshotMetadata`` are ordinary generated protobuf
message classes (``SerializeToString``, ``FromString``, ``ParseFromString``, ...), wire-compatible
with etcd's ``raftpb``. Enums are module attributes with etcd's names (``MsgApp``,
``EntryConfChangeV2``, ``ConfChangeAddNode``, ``ConfChangeTransitionAuto``, ...) and enum
wrappers (``MessageType.Name(3) == "MsgApp"``).

Note: ``from`` is a Python keyword; read it with ``getattr(m, "from")`` and set it with
``Message(**{"from": 1})`` or ``setattr(m, "from", 1)``.
"""
from .raftpb_pb2 import (  # noqa: F401  (re-exported; "X as X" marks that for type checkers)
    DESCRIPTOR as DESCRIPTOR, ConfChange as ConfChange, ConfChangeSingle as ConfChangeSingle,
    ConfChangeTransition as ConfChangeTransition, ConfChangeType as ConfChangeType,
    ConfChangeV2 as ConfChangeV2, ConfState as ConfState, Entry as Entry, EntryType as EntryType,
    HardState as HardState, Message as Message, MessageType as MessageType, Snapshot as Snapshot,
    SnapshotMetadata as SnapshotMetadata,
)
from .raftpb_pb2 import *  # noqa: F401,F403  (enum values: MsgApp, EntryNormal, ...)

__all__ = [
    "Message", "Entry", "HardState", "ConfState", "ConfChange", "ConfChangeV2",
    "ConfChangeSingle", "Snapshot", "SnapshotMetadata", "MessageType", "EntryType",
    "ConfChangeType", "ConfChangeTransition",
] + [name for enum in ("MessageType", "EntryType", "ConfChangeType", "ConfChangeTransition")
     for name in globals()[enum].keys()]
