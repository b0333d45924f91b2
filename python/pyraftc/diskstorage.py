# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# diskstorage.py: pyraftc.DiskStorage, the crash-safe disk storage of raftc (raftc_diskstorage),
# usable wherever a MemoryStorage is.
"""The durable storage: a write-ahead log and snapshot files in a directory."""
import enum
import os
import threading
from typing import Any, Iterable, List, Optional, Tuple, Union

from . import raftpb_pb2 as pb
from ._codec import buffer_array, encode, encode_entries
from ._ffi import Sink, as_bytes, as_u64, c_string, ffi, lib
from .errors import StateError, error_for_code
from .storage import EntryLike, MemoryStorage

__all__ = ["DiskStorage", "SyncPolicy"]


class SyncPolicy(enum.IntEnum):
    """When a DiskStorage fsyncs (raftc_sync_policy)."""
    #: every write call is durable when it returns (the default)
    EACH = 0
    #: writes are buffered until :meth:`DiskStorage.sync` (group commit)
    GROUP = 1
    #: never fsync: not crash-safe (tests and benchmarks)
    NONE = 2


# DiskStorage.take_responses's C call (a module attribute, so tests can watch the wait).
_take = lib.raftc_diskstorage_take_responses


def _free(ds: Any) -> None:
    lib.raftc_diskstorage_free(ds)


class DiskStorage(MemoryStorage):
    """etcd's MemoryStorage made durable: a segmented write-ahead log (CRC32C per record) and
    atomically written snapshot files in the directory ``path`` (created if absent, locked
    while open). Reopening the same directory gives back every write that was made durable.

    Reads are served from an in-memory copy (the same C code as MemoryStorage), so a
    DiskStorage works exactly where a MemoryStorage does. Writes (``append``,
    ``set_hard_state``, ``apply_snapshot``, ``create_snapshot``) reach the disk first; with
    ``sync=SyncPolicy.EACH`` each is fsynced before returning, with ``SyncPolicy.GROUP`` call
    :meth:`sync` once per Ready (or batch of Readys) before sending its messages.

    With ``async_writes=True`` the storage runs etcd's async storage writes on a writer thread
    of its own, for a RawNode configured with ``async_storage_writes``: hand the Ready's
    messages addressed to ``LOCAL_APPEND_THREAD`` to :meth:`submit` (instead of persisting
    them), then collect :meth:`take_responses` and step those addressed to the node (send the
    others). The thread persists what is queued in batches (one fsync each); a response is
    released only once its message is durable. Appends, HardStates and snapshots from the
    application then raise StateError (the thread makes those writes; ``create_snapshot``,
    ``compact`` and ``sync`` stay allowed), and this object's own reads (``entries``,
    ``term``, ...) may only be used while ``stat("pending")`` is 0.

    Raises :class:`pyraftc.StorageLockedError` if another process has the directory open,
    :class:`pyraftc.CorruptStorageError` (naming file and offset) for damaged data other than
    a torn final write (which is cut off), :class:`pyraftc.StorageIOError` for I/O errors.
    After an I/O error the storage is failed for good: writes raise
    :class:`pyraftc.NodeFailedError`, nodes using it fail; reopen it to recover.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"], segment_size: int = 0,
                 sync: SyncPolicy = SyncPolicy.EACH, async_writes: bool = False) -> None:
        super().__init__()
        # Two locks, always taken in this order: self._lock (shared with the RawNodes reading
        # this storage: every node call holds it) and self._io_lock (the write-ahead log).
        # Every write holds both: it changes the log and the in-memory copy the nodes read.
        # sync() holds only _io_lock, and its C call releases the GIL, so nodes keep stepping,
        # ticking and proposing during the fsync. That is safe because
        # raftc_diskstorage_sync touches only the log file and the storage's failure state
        # (the C side sets its text before its atomic failed flag, and nodes read only that
        # flag), never the in-memory copy; and no other call on the log can run meanwhile,
        # since every other DiskStorage call holds _io_lock too. A sync that fails fails the
        # storage, which the nodes see at their next read as with any failed write.
        self._io_lock = threading.Lock()
        # take_responses waits holding only this one (taken before the two above, by close()
        # too, so the storage is not freed under a waiting call).
        self._take_lock = threading.Lock()
        self._async_writes = bool(async_writes)
        ffi.release(self._handle)  # the memory storage reads go to: the disk storage's copy
        self._handle = None
        opts = ffi.new("raftc_diskstorage_options *")
        opts.struct_size = ffi.sizeof("raftc_diskstorage_options")
        opts.segment_size = as_u64("segment_size", segment_size)
        opts.sync_policy = int(SyncPolicy(sync))
        opts.async_writes = 1 if async_writes else 0
        pp = ffi.new("raftc_diskstorage **")
        err = ffi.new("char[]", 512)
        rc = lib.raftc_diskstorage_open(pp, err, 512, os.fsencode(os.fspath(path)), opts)
        if rc < 0:
            raise error_for_code(rc, c_string(err))
        self._ds: Any = ffi.gc(pp[0], _free)
        self.path = os.fspath(path)
        msp = ffi.new("raftc_memstorage **")
        self._check(lib.raftc_diskstorage_memstorage(msp, self._ds), "memstorage")
        # Reads (and nodes) go through the in-memory copy; it lives as long as self._ds.
        self._handle = msp[0]

    def _check(self, code: int, what: str) -> None:
        if code < 0:
            text = c_string(lib.raftc_diskstorage_last_error(self._ds))
            raise error_for_code(code, text or "%s failed" % what)

    def _ds_handle(self) -> Any:
        if self._ds is None:
            raise StateError("storage is closed")
        return self._ds

    # -- writes (durable) -------------------------------------------------------------------

    def append(self, entries: Iterable[EntryLike]) -> None:
        """Appends entries durably, truncating a conflicting tail (see MemoryStorage.append)."""
        bufs = encode_entries("entries", entries)
        ptrs, lens, keep = buffer_array(bufs)
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_append(self._ds_handle(), ptrs, lens, len(bufs)),
                        "append")
        del keep

    def set_hard_state(self, hard_state: Union[pb.HardState, bytes]) -> None:
        """Saves the HardState durably."""
        b = encode("hard_state", hard_state, pb.HardState)
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_set_hard_state(self._ds_handle(), b, len(b)),
                        "set_hard_state")

    def apply_snapshot(self, snapshot: Union[pb.Snapshot, bytes]) -> None:
        """Replaces the contents with a snapshot, durably (the snapshot file first)."""
        b = encode("snapshot", snapshot, pb.Snapshot)
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_apply_snapshot(self._ds_handle(), b, len(b)),
                        "apply_snapshot")

    def create_snapshot(self, i: int, conf_state: Optional[Union[pb.ConfState, bytes]] = None,
                        data: bytes = b"") -> pb.Snapshot:
        """Makes (and returns) a durable snapshot at index i; log segments and snapshot files
        it makes obsolete are deleted."""
        i = as_u64("i", i)
        cs = b"" if conf_state is None else encode("conf_state", conf_state, pb.ConfState)
        data = as_bytes("data", data)
        csp = ffi.NULL if conf_state is None else cs
        with self._lock, self._io_lock:
            sink = self._sink.reset()
            self._check(lib.raftc_diskstorage_create_snapshot(sink.ptr, self._ds_handle(), i, csp,
                                                              len(cs), data, len(data)),
                        "create_snapshot")
            return pb.Snapshot.FromString(sink.first())

    def compact(self, compact_index: int) -> None:
        """Discards in-memory entries before compact_index (the log on disk is trimmed by
        snapshots)."""
        compact_index = as_u64("compact_index", compact_index)
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_compact(self._ds_handle(), compact_index), "compact")

    def _save_ready(self, view: Any) -> None:
        """Persists a node's current Ready (its raftc_ready view) in etcd's order, with one
        fsync when it must sync (RawNode.ready_stored; call with the node's lock)."""
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_save_ready(self._ds_handle(), view), "save_ready")

    def sync(self) -> None:
        """Makes every write so far durable (the group commit point). Holds only the write
        lock: nodes reading the storage keep running during the fsync (see __init__)."""
        with self._io_lock:
            self._check(lib.raftc_diskstorage_sync(self._ds_handle()), "sync")

    # -- async storage writes (async_writes=True) --------------------------------------------

    def submit(self, message: Union[pb.Message, bytes]) -> None:
        """Queues a MsgStorageAppend (to LOCAL_APPEND_THREAD, raftpb.Message or its bytes) for
        the writer thread. StateError without async_writes; InvalidArgumentError for another
        message; NodeFailedError once the storage failed."""
        b = encode("message", message, pb.Message)
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_submit(self._ds_handle(), b, len(b)), "submit")

    def take_responses(self, timeout: float = 0.0) -> Tuple[List[Tuple[int, bytes]], int]:
        """Waits up to ``timeout`` seconds (0: not at all; negative: until something
        completes) while submitted messages are pending, then returns the responses of every
        message persisted since the last call, in order, as ``(to, raftpb Message bytes)``
        pairs (step those whose ``to`` is the node's id, send the others), and how many
        messages were persisted. NodeFailedError once the storage failed and everything
        persisted before was taken.

        The wait holds neither the lock the nodes share nor the write lock: other threads
        keep ticking, stepping and proposing on the nodes, and submitting, meanwhile (the C
        call waits on the writer thread's own queue, which it locks itself). Concurrent
        callers take turns; close() waits for the caller in progress."""
        ms = -1 if timeout < 0 else min(int(timeout * 1000), 2**31 - 1)
        sink = Sink()
        done = ffi.new("uint64_t *")
        info = ffi.new("uint64_t[]", lib.RAFTC_MF_COUNT)
        with self._take_lock:
            rc = _take(sink.ptr, done, self._ds_handle(), ms)
            if rc < 0:
                with self._io_lock:
                    self._check(rc, "take_responses")
        out = []
        for b in sink.items():
            if lib.raftc_message_decode(info, lib.RAFTC_MF_COUNT, b, len(b)) < 0:
                raise StateError("the writer returned an undecodable response")
            out.append((int(info[lib.RAFTC_MF_TO]), b))
        return out, int(done[0])

    def stat(self, key: str) -> int:
        """A counter: ``"bytes_written"``, ``"torn_bytes"`` (cut off when opening),
        ``"failed"`` (1 once failed) or ``"pending"`` (messages submitted to the writer thread
        and not yet persisted)."""
        keys = {"bytes_written": lib.RAFTC_DS_BYTES_WRITTEN,
                "torn_bytes": lib.RAFTC_DS_TORN_BYTES, "failed": lib.RAFTC_DS_FAILED,
                "pending": lib.RAFTC_DS_PENDING}
        if key not in keys:
            raise ValueError("unknown stat %r" % (key,))
        with self._lock, self._io_lock:
            self._check(lib.raftc_diskstorage_stat(self._u64, self._ds_handle(), keys[key]), "stat")
            return int(self._u64[0])

    def close(self) -> None:
        """Writes out buffered records (no fsync), unlocks the directory and frees the storage
        (idempotent); later calls raise StateError. Raises StateError while an open RawNode
        uses the storage (close the node first)."""
        with self._take_lock, self._lock, self._io_lock:
            if any(not node.closed for node in self._nodes):
                raise StateError("storage is used by an open RawNode; close the node first")
            ds, self._ds, self._handle = self._ds, None, None
            if ds is not None:
                ffi.release(ds)

    def __enter__(self) -> "DiskStorage":
        return self
