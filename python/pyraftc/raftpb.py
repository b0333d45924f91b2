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

``from`` is a Python keyword, so the field is reached as ``from_``: ``Message(from_=1, to=2)``
and ``m.from_`` (read-only; ``setattr(m, "from", 1)`` writes it). Constructor keywords are
checked by mypy against the stub: a misspelt field is a type error.
"""
import keyword as _keyword
from typing import Any as _Any
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


def _add_keyword_aliases(cls: _Any) -> None:
    """Gives cls a read-only property and a constructor keyword NAME_ for each field whose
    name is a Python keyword (raftpb's Message.from)."""
    names = [f.name for f in cls.DESCRIPTOR.fields if _keyword.iskeyword(f.name)]
    if not names:
        return
    init = cls.__init__

    def __init__(self: _Any, *args: _Any, **kwargs: _Any) -> None:
        for name in names:
            if name + "_" in kwargs:
                kwargs[name] = kwargs.pop(name + "_")
        init(self, *args, **kwargs)

    cls.__init__ = __init__
    for name in names:
        setattr(cls, name + "_", _field_getter(name))


def _field_getter(name: str) -> property:
    def get(self: _Any) -> _Any:
        return getattr(self, name)
    return property(get, doc="The %r field (its name is a Python keyword)." % name)


for _cls in (Message, Entry, HardState, ConfState, ConfChange, ConfChangeV2, ConfChangeSingle,
             Snapshot, SnapshotMetadata):
    _add_keyword_aliases(_cls)
