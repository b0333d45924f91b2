# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# __init__.py: the pyraftc package: etcd raft semantics (raftc, C11) driven from Python.
"""pyraftc: a Python binding of raftc, etcd's raft (go.etcd.io/raft/v3) ported to C.

Quick start (a one-node cluster; run by python/tests/test_guide.py)::

    import pyraftc

    storage = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=storage))
    node.bootstrap([pyraftc.Peer(id=1)])

    def handle_ready():
        while node.has_ready():
            rd = node.ready()
            if rd.snapshot is not None:          # persist: snapshot, entries, HardState
                storage.apply_snapshot(rd.snapshot)
            storage.append(rd.entries)
            if rd.hard_state is not None:
                storage.set_hard_state(rd.hard_state)
            # ... send rd.messages, then apply rd.committed_entries:
            for e in rd.committed_entries:
                if e.type != pyraftc.raftpb.EntryNormal:
                    node.apply_conf_change(e)    # the bootstrap configuration, first
            node.advance()

    handle_ready()      # apply the bootstrap configuration before campaigning
    node.campaign()
    handle_ready()
    assert node.status().raft_state == pyraftc.StateType.LEADER

Names follow etcd's (snake_case). Raft values are :mod:`pyraftc.raftpb` protobuf objects;
errors are :class:`RaftError` subclasses (``...Error``; the suffix-less names of pyraftc 0.1 are
deprecated aliases). See docs/python.md.
"""
from typing import TYPE_CHECKING, Any

from . import errors as _errors, raftpb
from ._ffi import NO_LIMIT, c_string as _c_string, lib as _lib
from .config import LOCAL_APPEND_THREAD, LOCAL_APPLY_THREAD, Config, Peer
from .describe import (
    describe_conf_state, describe_entries, describe_entry, describe_hard_state,
    describe_message, describe_snapshot, describe_soft_state,
)
from .enums import LogLevel, ProgressStateType, ReadOnlyOption, SnapshotStatus, StateType
from .errors import (
    CompactedError, ConfChangeError, ConfigError, DecodeError, InvalidArgumentError,
    MessageRefusedError, NodeFailedError, NotFoundError, OutOfMemoryError, ProposalDroppedError,
    RaftError, SnapshotOutOfDateError, SnapshotTemporarilyUnavailableError, StateError,
    StepLocalMsgError, StepPeerNotFoundError, StoppedError, StorageError, TooLargeError, UnavailableError,
    UnknownMessageTypeError, CorruptStorageError, StorageLockedError, StorageIOError,
)
from .node import (
    BasicStatus, Progress, RawNode, Ready, ReadyEntries, ReadState, SoftState, Status,
)
from .storage import MemoryStorage, Storage
from .host import GroupReady, Host, HostEntry, HostReady
from .hoststore import HostStore
from .diskstorage import DiskStorage, SyncPolicy

if TYPE_CHECKING:  # pyraftc 0.1's exception names: deprecated aliases (see pyraftc.errors)
    from .errors import (  # noqa: F401
        Compacted as Compacted, InvalidArgument as InvalidArgument, NodeFailed as NodeFailed,
        NotFound as NotFound, OutOfMemory as OutOfMemory, ProposalDropped as ProposalDropped,
        SnapshotOutOfDate as SnapshotOutOfDate,
        SnapshotTemporarilyUnavailable as SnapshotTemporarilyUnavailable,
        StepLocalMsg as StepLocalMsg, StepPeerNotFound as StepPeerNotFound,
        TooLarge as TooLarge, Unavailable as Unavailable,
        UnknownMessageType as UnknownMessageType,
    )
else:
    def __getattr__(name: str) -> Any:
        return _errors.deprecated_name(__name__, name)

__version__ = "1.0.0"


def library_version() -> str:
    """Version string of the raftc C library built into this package."""
    return _c_string(_lib.raftc_version())


def abi_version() -> int:
    """ABI major version of the raftc C library."""
    return int(_lib.raftc_abi_version())


__all__ = [
    "raftpb", "Config", "Peer", "RawNode", "Ready", "ReadyEntries", "SoftState", "ReadState",
    "Progress",
    "BasicStatus", "Status", "Storage", "MemoryStorage", "StateType", "ProgressStateType",
    "ReadOnlyOption", "SnapshotStatus", "LogLevel", "NO_LIMIT", "LOCAL_APPEND_THREAD",
    "LOCAL_APPLY_THREAD", "RaftError", "InvalidArgumentError", "OutOfMemoryError",
    "DecodeError", "TooLargeError", "ProposalDroppedError", "StepLocalMsgError",
    "StepPeerNotFoundError", "CompactedError", "UnavailableError", "SnapshotOutOfDateError",
    "SnapshotTemporarilyUnavailableError", "StorageError", "NodeFailedError", "StoppedError",
    "StateError", "ConfigError", "ConfChangeError", "NotFoundError", "UnknownMessageTypeError",
    "CorruptStorageError", "StorageLockedError", "StorageIOError", "DiskStorage", "SyncPolicy",
    "MessageRefusedError", "describe_message", "describe_entry", "describe_entries",
    "describe_hard_state", "describe_conf_state", "describe_snapshot", "describe_soft_state",
    "library_version", "abi_version", "__version__", "Host", "HostReady", "GroupReady",
    "HostEntry", "HostStore",
]
