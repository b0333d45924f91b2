# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# storage.py: pyraftc.Storage (etcd's Storage interface, implemented in Python through cffi
# `extern "Python"` callbacks) and pyraftc.MemoryStorage (etcd's MemoryStorage, in C).
"""Raft log storage: the :class:`Storage` interface and the built-in :class:`MemoryStorage`."""
import threading
import weakref
from typing import Any, Callable, Iterable, List, Optional, Sequence, Set, Tuple, Union

from . import raftpb_pb2 as pb
from ._codec import ReadyEntries, buffer_array, decode_entries, encode, encode_entries
from ._ffi import (NO_LIMIT, Sink, as_bytes, as_u64, c_string, check, def_extern, ffi, lib,
                   strerror)
from .errors import RaftError, StateError, error_for_code

__all__ = ["Storage", "MemoryStorage"]

EntryLike = Union[pb.Entry, bytes]


class Storage:
    """etcd's Storage interface, implemented by subclassing in Python.

    A node reads its log through these six methods (from inside node calls, on the calling
    thread). Raise :class:`pyraftc.CompactedError` / :class:`pyraftc.UnavailableError` /
    :class:`pyraftc.SnapshotTemporarilyUnavailableError` exactly where an etcd Storage returns
    ErrCompacted / ErrUnavailable / ErrSnapshotTemporarilyUnavailable; raft handles those. Any
    other exception is a storage failure: the node fails (as etcd panics) and the exception is
    re-raised to the caller of the node method once the C call returns.

    Values may be returned as raftpb objects or as their serialized bytes.
    """

    def initial_state(self) -> Tuple[Union[pb.HardState, bytes], Union[pb.ConfState, bytes]]:
        """Returns the saved (HardState, ConfState)."""
        raise NotImplementedError

    def entries(self, lo: int, hi: int, max_size: int) -> Sequence[EntryLike]:
        """Returns the entries [lo, hi) in index order, at most max_size bytes in total but at
        least one entry (returning more is allowed: the library trims)."""
        raise NotImplementedError

    def term(self, i: int) -> int:
        """Returns the term of entry i, valid for [first_index()-1, last_index()]."""
        raise NotImplementedError

    def first_index(self) -> int:
        """Returns the index of the first entry that may be read (older ones are compacted)."""
        raise NotImplementedError

    def last_index(self) -> int:
        """Returns the index of the last entry."""
        raise NotImplementedError

    def snapshot(self) -> Union[pb.Snapshot, bytes]:
        """Returns the most recent snapshot (raise SnapshotTemporarilyUnavailableError if it is
        being built)."""
        raise NotImplementedError


def _new_memstorage() -> Any:
    pp = ffi.new("raftc_memstorage **")
    check(lib.raftc_memstorage_new(pp))
    return ffi.gc(pp[0], lib.raftc_memstorage_free)


def _ms_check(code: int, ms: Any) -> None:
    """Raises for a negative code of a raftc_memstorage call on ms. RAFTC_EFAILED (where etcd's
    MemoryStorage panics: the storage itself is not failed) carries the storage's own text with
    the indexes, e.g. "compact 100 is out of bound lastindex(0)"; the caller holds the lock."""
    if code < 0:
        text = strerror(code)
        if code == lib.RAFTC_EFAILED:
            text = c_string(lib.raftc_memstorage_last_error(ms)) or text
        raise error_for_code(code, text)


class MemoryStorage(Storage):
    """etcd's MemoryStorage, implemented in C (raftc_memstorage).

    Thread-safe: every method holds the storage's lock, and nodes using it hold the same lock
    while they run, so the application may append from one thread while a node reads from
    another. Subclasses may override any Storage method (e.g. ``snapshot``); the node then
    calls the Python override and the C implementation for the others.
    """

    def __init__(self) -> None:
        self._handle: Any = _new_memstorage()
        self._lock = threading.RLock()
        self._sink = Sink()
        self._u64 = ffi.new("uint64_t *")
        self._nodes: "weakref.WeakSet[Any]" = weakref.WeakSet()  # RawNodes reading it

    @property
    def _ms(self) -> Any:
        ms = self._handle
        if ms is None:
            raise StateError("storage is closed")
        return ms

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the C storage (idempotent); later calls raise StateError. Raises StateError
        while an open RawNode uses the storage (close the node first)."""
        with self._lock:
            if any(not node.closed for node in self._nodes):
                raise StateError("storage is used by an open RawNode; close the node first")
            ms, self._handle = self._handle, None
            if ms is not None:
                ffi.release(ms)

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._handle is None

    def __enter__(self) -> "MemoryStorage":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- writes ---------------------------------------------------------------------------

    def append(self, entries: Iterable[EntryLike]) -> None:
        """Appends entries (raftpb.Entry or bytes), truncating a conflicting tail; entries at
        or below the compaction point are ignored. Raises DecodeError for malformed bytes and
        NodeFailedError-coded RaftError for a gap (etcd panics: "missing log entry")."""
        if type(entries) is ReadyEntries and not entries.raw:
            return  # a Ready without entries (decoded or not: a read-only empty sequence)
        if type(entries) is ReadyEntries and entries._decoded is None:
            # A Ready's entries as the node made them: stored from the Ready itself.
            rd = entries._ready
            if rd is not None and rd._node is not None:
                if rd._node._append_ready(self, rd._gen):
                    return
            bufs = entries.raw
        else:
            bufs = encode_entries("entries", entries)
        ptrs, lens, keep = buffer_array(bufs)
        with self._lock:
            _ms_check(lib.raftc_memstorage_append(self._ms, ptrs, lens, len(bufs)), self._ms)
        del keep

    def set_hard_state(self, hard_state: Union[pb.HardState, bytes]) -> None:
        """Saves the HardState."""
        if type(hard_state) is pb.HardState:
            # its three fields straight into C: no encoding (the Ready loop's hot path)
            hs = hard_state
            with self._lock:
                ms = self._ms
                _ms_check(_set_hard_state_fields(ms, hs.term, hs.vote, hs.commit), ms)
            return
        b = encode("hard_state", hard_state, pb.HardState)
        with self._lock:
            _ms_check(lib.raftc_memstorage_set_hard_state(self._ms, b, len(b)), self._ms)

    def apply_snapshot(self, snapshot: Union[pb.Snapshot, bytes]) -> None:
        """Replaces the contents with a snapshot. Raises SnapshotOutOfDateError if not newer."""
        b = encode("snapshot", snapshot, pb.Snapshot)
        with self._lock:
            _ms_check(lib.raftc_memstorage_apply_snapshot(self._ms, b, len(b)), self._ms)

    def create_snapshot(self, i: int, conf_state: Optional[Union[pb.ConfState, bytes]] = None,
                        data: bytes = b"") -> pb.Snapshot:
        """Makes (and returns) a snapshot at index i with conf_state and data. Raises
        SnapshotOutOfDateError if i is not newer than the current snapshot, and a RaftError if i is
        past the last index."""
        i = as_u64("i", i)
        cs = b"" if conf_state is None else encode("conf_state", conf_state, pb.ConfState)
        data = as_bytes("data", data)
        with self._lock:
            sink = self._sink.reset()
            _ms_check(lib.raftc_memstorage_create_snapshot(sink.ptr, self._ms, i, cs, len(cs),
                                                           data, len(data)), self._ms)
            return pb.Snapshot.FromString(sink.first())

    def compact(self, compact_index: int) -> None:
        """Discards entries before compact_index. Raises CompactedError if already compacted, and a
        RaftError if compact_index is past the last index."""
        compact_index = as_u64("compact_index", compact_index)
        with self._lock:
            _ms_check(lib.raftc_memstorage_compact(self._ms, compact_index), self._ms)

    # -- the Storage interface ------------------------------------------------------------

    def initial_state(self) -> Tuple[pb.HardState, pb.ConfState]:
        """The saved (HardState, ConfState)."""
        hs, cs = Sink(), Sink()
        with self._lock:
            _ms_check(lib.raftc_memstorage_initial_state(hs.ptr, cs.ptr, self._ms), self._ms)
        return pb.HardState.FromString(hs.first()), pb.ConfState.FromString(cs.first())

    def entries(self, lo: int, hi: int, max_size: int = NO_LIMIT) -> List[pb.Entry]:
        """Entries [lo, hi) limited to max_size bytes (at least one). Raises CompactedError or
        UnavailableError."""
        lo, hi, max_size = as_u64("lo", lo), as_u64("hi", hi), as_u64("max_size", max_size)
        with self._lock:
            sink = self._sink.reset()
            _ms_check(lib.raftc_memstorage_entries(sink.ptr, self._ms, lo, hi, max_size), self._ms)
            return decode_entries(sink.items())

    def term(self, i: int) -> int:
        """Term of entry i. Raises CompactedError or UnavailableError."""
        i = as_u64("i", i)
        with self._lock:
            _ms_check(lib.raftc_memstorage_term(self._u64, self._ms, i), self._ms)
            return int(self._u64[0])

    def first_index(self) -> int:
        """Index of the first available entry."""
        with self._lock:
            _ms_check(lib.raftc_memstorage_first_index(self._u64, self._ms), self._ms)
            return int(self._u64[0])

    def last_index(self) -> int:
        """Index of the last entry."""
        with self._lock:
            _ms_check(lib.raftc_memstorage_last_index(self._u64, self._ms), self._ms)
            return int(self._u64[0])

    def snapshot(self) -> pb.Snapshot:
        """The current snapshot."""
        with self._lock:
            sink = self._sink.reset()
            _ms_check(lib.raftc_memstorage_snapshot(sink.ptr, self._ms), self._ms)
            return pb.Snapshot.FromString(sink.first())


_set_hard_state_fields = lib.raftc_memstorage_set_hard_state_fields


# ---- callbacks (cffi extern "Python"): the node -> Python storage path ----------------------

_SOFT_CODES = frozenset((lib.RAFTC_ECOMPACTED, lib.RAFTC_EUNAVAILABLE,
                         lib.RAFTC_ESNAP_TEMP_UNAVAILABLE))
_ESTORAGE: int = lib.RAFTC_ESTORAGE


class _Context:
    """Per-node state shared with the C callbacks through a cffi handle: the storage, the
    logger and the first exception raised inside a callback (re-raised after C returns)."""

    __slots__ = ("storage", "ms", "log", "pending", "direct")

    def __init__(self, storage: Storage, log: Any) -> None:
        self.storage = storage
        self.log = log
        self.pending: Optional[BaseException] = None
        # For MemoryStorage subclasses: which methods still go straight to C.
        self.ms = storage._ms if isinstance(storage, MemoryStorage) else None
        self.direct: Set[str] = set()
        if self.ms is not None:
            for name in ("initial_state", "entries", "term", "first_index", "last_index",
                         "snapshot"):
                if getattr(type(storage), name) is getattr(MemoryStorage, name):
                    self.direct.add(name)

    def fail(self, exc: BaseException) -> int:
        """The RAFTC_E* code a callback returns for exc. etcd's soft storage errors
        (CompactedError, UnavailableError, SnapshotTemporarilyUnavailableError) are plain
        results; anything else is a storage failure, kept in ``pending`` (the first one) to be
        re-raised after C returns."""
        if isinstance(exc, RaftError) and exc.code in _SOFT_CODES:
            return exc.code
        if self.pending is None:
            self.pending = exc
        if isinstance(exc, RaftError) and exc.code < 0:
            return exc.code
        return _ESTORAGE


def _put(sink: Any, b: bytes) -> None:
    check(lib.raftc_sink_put(sink, b, len(b)))


@def_extern()
def _pyraftc_st_initial_state(ud: Any, hs_sink: Any, cs_sink: Any) -> int:
    ctx: _Context = ffi.from_handle(ud)
    try:
        if "initial_state" in ctx.direct:
            rc: int = lib.raftc_memstorage_initial_state(hs_sink, cs_sink, ctx.ms)
            return rc
        result = ctx.storage.initial_state()
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError("Storage.initial_state() must return (HardState, ConfState)")
        _put(hs_sink, encode("initial_state()[0]", result[0], pb.HardState))
        _put(cs_sink, encode("initial_state()[1]", result[1], pb.ConfState))
        return 0
    except BaseException as exc:  # noqa: B902 (re-raised after C returns)
        return ctx.fail(exc)


@def_extern()
def _pyraftc_st_entries(ud: Any, out: Any, lo: int, hi: int, max_size: int) -> int:
    ctx: _Context = ffi.from_handle(ud)
    try:
        if "entries" in ctx.direct:
            rc: int = lib.raftc_memstorage_entries(out, ctx.ms, lo, hi, max_size)
            return rc
        ents = ctx.storage.entries(lo, hi, max_size)
        for b in encode_entries("Storage.entries()", ents):
            _put(out, b)
        return 0
    except BaseException as exc:  # noqa: B902
        return ctx.fail(exc)


def _u64_callback(ud: Any, out: Any, name: str, label: str, direct: Callable[..., int],
                  *args: int) -> int:
    """The body of the callbacks answering one uint64 (term, first_index, last_index): straight
    to C for a MemoryStorage that does not override the method, else the Python method's result
    (validated as a uint64, label names it in the error) into out[0]."""
    ctx: _Context = ffi.from_handle(ud)
    try:
        if name in ctx.direct:
            return direct(out, ctx.ms, *args)
        out[0] = as_u64(label, getattr(ctx.storage, name)(*args))
        return 0
    except BaseException as exc:  # noqa: B902
        return ctx.fail(exc)


@def_extern()
def _pyraftc_st_term(ud: Any, out: Any, i: int) -> int:
    return _u64_callback(ud, out, "term", "Storage.term()", lib.raftc_memstorage_term, i)


@def_extern()
def _pyraftc_st_first_index(ud: Any, out: Any) -> int:
    return _u64_callback(ud, out, "first_index", "Storage.first_index()",
                         lib.raftc_memstorage_first_index)


@def_extern()
def _pyraftc_st_last_index(ud: Any, out: Any) -> int:
    return _u64_callback(ud, out, "last_index", "Storage.last_index()",
                         lib.raftc_memstorage_last_index)


@def_extern()
def _pyraftc_st_snapshot(ud: Any, out: Any) -> int:
    ctx: _Context = ffi.from_handle(ud)
    try:
        if "snapshot" in ctx.direct:
            rc: int = lib.raftc_memstorage_snapshot(out, ctx.ms)
            return rc
        _put(out, encode("Storage.snapshot()", ctx.storage.snapshot(), pb.Snapshot))
        return 0
    except BaseException as exc:  # noqa: B902
        return ctx.fail(exc)


@def_extern()
def _pyraftc_log(ud: Any, level: int, msg: Any, n: int) -> None:
    ctx: _Context = ffi.from_handle(ud)
    try:
        if ctx.log is not None:
            ctx.log(level, ffi.buffer(msg, n)[:].decode("utf-8", "replace"))
    except BaseException as exc:  # noqa: B902
        if ctx.pending is None:
            ctx.pending = exc


def callback_table(handle: Any) -> Any:
    """A raftc_storage_callbacks table calling the functions above with ud = handle."""
    cbs = ffi.new("raftc_storage_callbacks *")
    cbs.struct_size = ffi.sizeof("raftc_storage_callbacks")
    cbs.ud = handle
    cbs.initial_state = lib._pyraftc_st_initial_state
    cbs.entries = lib._pyraftc_st_entries
    cbs.term = lib._pyraftc_st_term
    cbs.first_index = lib._pyraftc_st_first_index
    cbs.last_index = lib._pyraftc_st_last_index
    cbs.snapshot = lib._pyraftc_st_snapshot
    return cbs
