# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# logstore.py: where a raftc-kv node keeps its raft log, hard state and snapshots. One small
# class per storage kind behind the same methods, so the node does not care which it runs on.
"""The raft log of a raftc-kv node (the storage seam)."""
import importlib
import os
from typing import Any, Optional, Tuple

from .. import raftpb
from ..node import Ready
from ..storage import MemoryStorage, Storage

__all__ = ["DURABLE", "LogStore", "MemoryLogStore", "open_log_store"]


def _disk_module() -> Optional[Any]:
    """pyraftc.diskstorage when this pyraftc has it (raftc_diskstorage), else None."""
    try:
        return importlib.import_module("pyraftc.diskstorage")
    except ImportError:
        return None


_DISK = _disk_module()
#: Whether open_log_store keeps the log on disk (a restart finds it).
DURABLE = _DISK is not None
#: The file a memory-backed node leaves in its data directory.
MEMORY_MARKER = "raftc-kv-memory-node"


class LogStore:
    """What the node needs from its storage.

    ``storage`` is handed to the RawNode. ``save`` persists one Ready (snapshot, then entries,
    then hard state: a crash in between never leaves the hard state's commit past the log) and
    makes it durable when ``rd.must_sync``; it may block, so the node runs it in a worker
    thread. ``durable`` says whether a restart finds what was saved.
    """

    durable = False
    storage: Storage

    def has_state(self) -> bool:
        """True if the storage holds a log from an earlier run (restart, not bootstrap)."""
        raise NotImplementedError

    def initial(self) -> Tuple[raftpb.HardState, raftpb.ConfState, raftpb.Snapshot]:
        """The saved hard state, conf state and latest snapshot."""
        raise NotImplementedError

    def save(self, rd: Ready) -> None:
        """Persists rd's snapshot, entries and hard state (synced if rd.must_sync)."""
        raise NotImplementedError

    def snapshot_and_compact(self, index: int, conf_state: raftpb.ConfState, data: bytes,
                             compact_to: int) -> None:
        """Records a snapshot at index (applied) and discards the log before compact_to."""
        raise NotImplementedError

    def close(self) -> None:
        """Releases files and locks."""


class MemoryLogStore(LogStore):
    """The log in a pyraftc.MemoryStorage (by default a new one): nothing survives the
    process."""

    def __init__(self, storage: Optional[MemoryStorage] = None) -> None:
        self.storage = self.ms = storage if storage is not None else MemoryStorage()

    def has_state(self) -> bool:
        return False

    def initial(self) -> Tuple[raftpb.HardState, raftpb.ConfState, raftpb.Snapshot]:
        hs, cs = self.ms.initial_state()
        return hs, cs, self.ms.snapshot()

    def save(self, rd: Ready) -> None:
        if rd.snapshot is not None:
            self.ms.apply_snapshot(rd.snapshot)
        if rd.entry_bytes:
            self.ms.append(self._entries(rd))
        if rd.hard_state is not None:
            self.ms.set_hard_state(rd.hard_state)

    def _entries(self, rd: Ready) -> Any:
        return rd.entries  # undecoded: MemoryStorage takes a Ready's entries as they are

    def snapshot_and_compact(self, index: int, conf_state: raftpb.ConfState, data: bytes,
                             compact_to: int) -> None:
        self.ms.create_snapshot(index, conf_state, data)
        if compact_to > self.ms.first_index():
            self.ms.compact(compact_to)


class DiskLogStore(MemoryLogStore):
    """The log on disk (pyraftc.DiskStorage, a MemoryStorage made durable: a write-ahead log
    and snapshot files under ``path``), with group commit: a Ready's writes are buffered and
    made durable by one fsync when the Ready's must_sync says so."""

    durable = True

    def __init__(self, path: str) -> None:
        assert _DISK is not None
        super().__init__(_DISK.DiskStorage(path, sync=_DISK.SyncPolicy.GROUP))
        self.ds: Any = self.ms

    def has_state(self) -> bool:
        hs, _ = self.ds.initial_state()
        return bool(hs.term or hs.vote or hs.commit or self.ds.last_index() > 0
                    or self.ds.snapshot().metadata.index)

    def _entries(self, rd: Ready) -> Any:
        return rd.entry_bytes  # DiskStorage writes raftpb bytes

    def save(self, rd: Ready) -> None:
        super().save(rd)
        if rd.must_sync or rd.snapshot is not None:
            self.ds.sync()

    def snapshot_and_compact(self, index: int, conf_state: raftpb.ConfState, data: bytes,
                             compact_to: int) -> None:
        super().snapshot_and_compact(index, conf_state, data, compact_to)
        self.ds.sync()

    def close(self) -> None:
        self.ds.close()


def open_log_store(data_dir: str) -> LogStore:
    """The log store of a node whose data directory is data_dir (created if absent). Raises
    RuntimeError for a directory it cannot restart from."""
    os.makedirs(data_dir, exist_ok=True)
    marker = os.path.join(data_dir, MEMORY_MARKER)
    if _DISK is not None and not os.path.exists(marker):
        return DiskLogStore(os.path.join(data_dir, "raft"))
    if os.path.exists(marker):
        # The earlier run's log (and its votes) died with it: starting afresh could vote twice
        # in one term. Such a node must be removed and join again with an empty directory.
        raise RuntimeError("%s holds a node that kept its log in memory: it cannot restart; "
                           "remove the member, empty the directory and --join again"
                           % data_dir)
    with open(marker, "w") as f:
        f.write("this node keeps its raft log in memory\n")
    return MemoryLogStore()
