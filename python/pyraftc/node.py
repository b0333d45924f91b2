# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# node.py: pyraftc.RawNode (etcd's RawNode over raftc_node) with Ready, Status and friends.
"""The raft node: :class:`RawNode`, its :class:`Ready` and status types."""
import logging
import struct
import sys
import threading
import weakref
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _hot
from . import raftpb_pb2 as pb
from ._codec import ReadyEntries, decode_entries, encode
from ._ffi import Sink, as_bytes, as_u64, c_string, check, ffi, lib, strerror, take_string
from .config import Config, Peer
from .enums import LogLevel, ProgressStateType, SnapshotStatus, StateType
from .errors import NodeFailedError, StateError, error_for_code
from .storage import MemoryStorage, _Context, _ms_check, callback_table
from .diskstorage import DiskStorage

__all__ = ["RawNode", "Ready", "ReadyEntries", "SoftState", "ReadState", "Progress",
           "BasicStatus", "Status"]

_RD_COUNT = lib.RAFTC_RD_COUNT
_ST_COUNT = lib.RAFTC_ST_COUNT
_PR_COUNT = lib.RAFTC_PR_COUNT
_PY_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL,
              logging.CRITICAL)


def _hard_state(term: int, vote: int, commit: int) -> pb.HardState:
    """A HardState with only its non-zero fields set (so it compares equal to
    raftpb.HardState(term=..., commit=...) built by hand and encodes like etcd v3.7)."""
    hs = pb.HardState()
    if term:
        hs.term = term
    if vote:
        hs.vote = vote
    if commit:
        hs.commit = commit
    return hs


class SoftState(NamedTuple):
    """etcd's SoftState: the volatile leader and role of a node."""

    lead: int
    raft_state: StateType


class ReadState(NamedTuple):
    """etcd's ReadState: reads at ``index`` are linearizable for the ReadIndex request whose
    context was ``request_ctx``."""

    index: int  # type: ignore[assignment]  # etcd's name; shadows tuple.index
    request_ctx: bytes


class Progress(NamedTuple):
    """A follower's replication progress as the leader sees it (etcd's tracker.Progress)."""

    match: int
    next: int
    state: ProgressStateType
    pending_snapshot: int
    recent_active: bool
    msg_app_flow_paused: bool
    is_learner: bool
    inflight: int


class BasicStatus:
    """etcd's BasicStatus: id, hard_state, soft_state (lead, raft_state), applied and
    lead_transferee; and raftc's ``refused``: messages step() refused as no correct peer's
    (:class:`MessageRefusedError`, and etcd's :class:`StepLocalMsgError`) since the node was
    created."""

    __slots__ = ("id", "hard_state", "soft_state", "applied", "lead_transferee", "is_voter",
                 "is_learner", "refused")

    def __init__(self, info: Any) -> None:
        self.id = int(info[lib.RAFTC_ST_ID])
        self.hard_state = _hard_state(info[lib.RAFTC_ST_TERM], info[lib.RAFTC_ST_VOTE],
                                      info[lib.RAFTC_ST_COMMIT])
        self.soft_state = SoftState(int(info[lib.RAFTC_ST_LEAD]),
                                    StateType(info[lib.RAFTC_ST_RAFT_STATE]))
        self.applied = int(info[lib.RAFTC_ST_APPLIED])
        self.lead_transferee = int(info[lib.RAFTC_ST_LEAD_TRANSFEREE])
        self.is_voter = bool(info[lib.RAFTC_ST_IS_VOTER])
        self.is_learner = bool(info[lib.RAFTC_ST_IS_LEARNER])
        self.refused = int(info[lib.RAFTC_ST_REFUSED])

    @property
    def lead(self) -> int:
        """The known leader's id (0 = none)."""
        return self.soft_state.lead

    @property
    def raft_state(self) -> StateType:
        """The node's role."""
        return self.soft_state.raft_state

    @property
    def term(self) -> int:
        """hard_state.term."""
        return int(self.hard_state.term)

    @property
    def vote(self) -> int:
        """hard_state.vote."""
        return int(self.hard_state.vote)

    @property
    def commit(self) -> int:
        """hard_state.commit."""
        return int(self.hard_state.commit)

    def __repr__(self) -> str:
        return ("%s(id=%d, term=%d, vote=%d, commit=%d, lead=%d, raft_state=%s, applied=%d)"
                % (type(self).__name__, self.id, self.term, self.vote, self.commit, self.lead,
                   self.raft_state.name, self.applied))


class Status(BasicStatus):
    """etcd's Status: BasicStatus plus ``config`` (etcd's Config.String(), e.g.
    ``"voters=(1 2 3)"``) and ``progress`` ({peer id: Progress}, leader only, else empty)."""

    __slots__ = ("config", "progress")

    def __init__(self, info: Any, config: str, progress: Dict[int, Progress]) -> None:
        super().__init__(info)
        self.config = config
        self.progress = progress


_F_HAS_SS = 2 + lib.RAFTC_RD_HAS_SOFT_STATE
_F_LEAD = 2 + lib.RAFTC_RD_LEAD
_F_RAFT_STATE = 2 + lib.RAFTC_RD_RAFT_STATE
_F_HAS_HS = 2 + lib.RAFTC_RD_HAS_HARD_STATE
_F_TERM = 2 + lib.RAFTC_RD_TERM
_F_VOTE = 2 + lib.RAFTC_RD_VOTE
_F_COMMIT = 2 + lib.RAFTC_RD_COMMIT
_F_N_ENTRIES = 2 + lib.RAFTC_RD_N_ENTRIES
_F_HAS_SNAP = 2 + lib.RAFTC_RD_HAS_SNAPSHOT
_F_N_COMMITTED = 2 + lib.RAFTC_RD_N_COMMITTED_ENTRIES
_F_N_MESSAGES = 2 + lib.RAFTC_RD_N_MESSAGES
_F_N_READ_STATES = 2 + lib.RAFTC_RD_N_READ_STATES
_F_MUST_SYNC = 2 + lib.RAFTC_RD_MUST_SYNC
# The fixed head of raftc_node_ready_packed's buffer: H, K and the K fields of the Ready.
_HEAD = struct.Struct("=%dQ" % (2 + _RD_COUNT))
_HEAD_UNPACK = _HEAD.unpack_from
_EMPTY_HEAD = (2 + _RD_COUNT, _RD_COUNT) + (0,) * _RD_COUNT
_NO_ENTRIES = ReadyEntries([])
_WORDS: Dict[int, struct.Struct] = {}


def _words(data: bytes, start: int, count: int) -> Tuple[int, ...]:
    """count uint64 words of data from word index start."""
    st = _WORDS.get(count)
    if st is None:
        st = _WORDS[count] = struct.Struct("=%dQ" % count)
    words: Tuple[int, ...] = st.unpack_from(data, 8 * start)
    return words


class Ready:
    """etcd's Ready: what the application must persist, send and apply, copied out of the
    node in one piece (valid forever). Everything decodes lazily, on first access: the
    ``*_bytes`` lists give the raw raftpb encodings (e.g. to put ``message_bytes[i]`` on the
    wire, to ``message_to[i]``, without decoding the message).

    Attributes:
        soft_state: SoftState if it changed, else None.
        hard_state: raftpb.HardState to persist, or None when unchanged.
        read_states: list of ReadState.
        entries: raftpb.Entry sequence to persist before sending messages.
        snapshot: raftpb.Snapshot to persist/apply, or None.
        committed_entries: raftpb.Entry sequence to apply.
        messages: raftpb.Message list to send after persisting.
        must_sync: whether hard_state/entries must be synced to disk (etcd's MustSync).
    """

    soft_state: Optional[SoftState] = None
    _node: "Optional[RawNode]" = None
    _gen = 0
    _entries: Optional[ReadyEntries] = None
    _committed: Optional[ReadyEntries] = None
    _message_bytes: Optional[List[bytes]] = None
    _messages: Optional[List[pb.Message]] = None
    _hard_state: Optional[pb.HardState] = None
    _read_states: Optional[List[ReadState]] = None
    _snapshot: Optional[pb.Snapshot] = None
    _committed_data: Optional[List[bytes]] = None
    _committed_types: Optional[bytes] = None
    _committed_first = 0

    def __init__(self, data: bytes = b"", head: Optional[Tuple[int, ...]] = None) -> None:
        """A Ready from raftc_node_ready_packed's buffer and its head (no arguments: an empty
        Ready)."""
        self._data = data
        h = self._h = _EMPTY_HEAD if head is None else head
        if h[_F_HAS_SS]:
            self.soft_state = SoftState(h[_F_LEAD], StateType(h[_F_RAFT_STATE]))

    @property
    def must_sync(self) -> bool:
        """Whether hard_state/entries must be synced to disk before messages go out."""
        return bool(self._h[_F_MUST_SYNC])

    # The packed buffer's items: (offset, length) pairs after the head, entries first, then
    # committed entries, messages, read-state contexts, HardState, Snapshot; then the read
    # states' indexes and the messages' destinations.

    def _items(self, first: int, count: int) -> List[bytes]:
        if not count:
            return []
        data = self._data
        w = _words(data, self._h[1] + 2 + 2 * first, 2 * count)
        return [data[w[i]:w[i] + w[i + 1]] for i in range(0, 2 * count, 2)]

    def _n_items(self) -> int:
        h = self._h
        n: int = (h[_F_N_ENTRIES] + h[_F_N_COMMITTED] + h[_F_N_MESSAGES]
                  + h[_F_N_READ_STATES] + h[_F_HAS_HS] + h[_F_HAS_SNAP])
        return n

    @property
    def entries(self) -> ReadyEntries:
        """Entries to persist (raftpb.Entry)."""
        e = self._entries
        if e is None:
            n = self._h[_F_N_ENTRIES]
            e = self._entries = ReadyEntries(self._items(0, n), self) if n else _NO_ENTRIES
        return e

    @property
    def committed_entries(self) -> ReadyEntries:
        """Committed entries to apply (raftpb.Entry)."""
        e = self._committed
        if e is None:
            h = self._h
            n = h[_F_N_COMMITTED]
            e = self._committed = (ReadyEntries(self._items(h[_F_N_ENTRIES], n)) if n
                                   else _NO_ENTRIES)
        return e

    @property
    def committed_data(self) -> List[bytes]:
        """The data of each committed entry, in order (b"" for an entry without data): what a
        state machine applies, without a raftpb.Entry per entry. Check
        ``committed_types[i]`` before applying ``committed_data[i]``: only EntryNormal (0)
        entries are application data; hand the others (conf changes) to
        :meth:`RawNode.apply_conf_change` as ``committed_entries[i]``. From
        :meth:`RawNode.ready_stored` these come straight from the node (one bytes object per
        entry, made in C); otherwise they are decoded from ``committed_entries``."""
        d = self._committed_data
        if d is None:
            d = self._committed_data = [e.data for e in self.committed_entries]
        return d

    @property
    def committed_types(self) -> bytes:
        """The raftpb.EntryType of each committed entry, one byte each (``committed_types[i]``
        is an int: 0 EntryNormal, 1 EntryConfChange, 2 EntryConfChangeV2)."""
        t = self._committed_types
        if t is None:
            t = self._committed_types = bytes(e.type for e in self.committed_entries)
        return t

    @property
    def committed_indexes(self) -> range:
        """The log indexes of the committed entries (consecutive): ``committed_indexes[-1]``
        is the index applied once they are."""
        n = self._h[_F_N_COMMITTED]
        first = self._committed_first
        if n and not first:
            first = self._committed_first = self.committed_entries[0].index
        return range(first, first + n)

    @property
    def entry_bytes(self) -> List[bytes]:
        """The entries to persist, as raftpb bytes."""
        return self.entries.raw or []

    @property
    def committed_entry_bytes(self) -> List[bytes]:
        """The committed entries, as raftpb bytes."""
        return self.committed_entries.raw or []

    @property
    def message_bytes(self) -> List[bytes]:
        """The messages to send, as raftpb bytes."""
        m = self._message_bytes
        if m is None:
            h = self._h
            m = self._message_bytes = self._items(h[_F_N_ENTRIES] + h[_F_N_COMMITTED],
                                                  h[_F_N_MESSAGES])
        return m

    @property
    def message_to(self) -> List[int]:
        """The destination id of each message (``message_bytes[i]`` goes to
        ``message_to[i]``), read without decoding the messages."""
        h = self._h
        n = h[_F_N_MESSAGES]
        if not n:
            return []
        start = h[1] + 2 + 2 * self._n_items() + h[_F_N_READ_STATES]
        return list(_words(self._data, start, n))

    @property
    def messages(self) -> List[pb.Message]:
        """Messages to send (raftpb.Message)."""
        m = self._messages
        if m is None:
            m = self._messages = [pb.Message.FromString(b) for b in self.message_bytes]
        return m

    @property
    def hard_state(self) -> Optional[pb.HardState]:
        """The raftpb.HardState to persist, or None when unchanged."""
        h = self._h
        if self._hard_state is None and h[_F_HAS_HS]:
            self._hard_state = _hard_state(h[_F_TERM], h[_F_VOTE], h[_F_COMMIT])
        return self._hard_state

    @property
    def read_states(self) -> List[ReadState]:
        """etcd's ReadStates: answers to read_index requests."""
        rs = self._read_states
        if rs is None:
            h = self._h
            n = h[_F_N_READ_STATES]
            rs = []
            if n:
                first = h[_F_N_ENTRIES] + h[_F_N_COMMITTED] + h[_F_N_MESSAGES]
                idx = _words(self._data, h[1] + 2 + 2 * self._n_items(), n)
                rs = [ReadState(i, c) for i, c in zip(idx, self._items(first, n))]
            self._read_states = rs
        return rs

    @property
    def snapshot(self) -> Optional[pb.Snapshot]:
        """The raftpb.Snapshot to persist and apply, or None."""
        if self._snapshot is None and self._h[_F_HAS_SNAP]:
            self._snapshot = pb.Snapshot.FromString(self._items(self._n_items() - 1, 1)[0])
        return self._snapshot

    def contains_updates(self) -> bool:
        """True if the Ready carries anything (etcd's containsUpdates)."""
        return bool(self._h[_F_HAS_SS] or self._n_items())

    def __repr__(self) -> str:
        h = self._h
        return ("Ready(soft_state=%r, hard_state=%s, entries=%d, snapshot=%s, committed=%d, "
                "messages=%d, read_states=%d, must_sync=%s)"
                % (self.soft_state, "Term:%d Vote:%d Commit:%d" % (h[_F_TERM], h[_F_VOTE],
                                                                  h[_F_COMMIT])
                   if h[_F_HAS_HS] else None,
                   h[_F_N_ENTRIES], bool(h[_F_HAS_SNAP]), h[_F_N_COMMITTED], h[_F_N_MESSAGES],
                   h[_F_N_READ_STATES], self.must_sync))


def _log_adapter(logger: Any) -> Any:
    if logger is None:
        logger = logging.getLogger("pyraftc")
    if isinstance(logger, logging.Logger):
        def log(level: int, text: str) -> None:
            py = _PY_LEVELS[level] if 0 <= level < len(_PY_LEVELS) else logging.ERROR
            if logger.isEnabledFor(py):
                logger.log(py, "%s", text)
        return log

    def call(level: int, text: str) -> None:
        try:
            lvl: Any = LogLevel(level)
        except ValueError:
            lvl = level
        logger(lvl, text)
    return call


def _free_node(keep: Tuple[Any, ...]) -> Any:
    """The node's destructor; its default argument keeps storage and handle alive."""
    def free(ptr: Any, _keep: Tuple[Any, ...] = keep) -> None:
        lib.raftc_node_free(ptr)
    return free


class RawNode:
    """etcd's RawNode: a raft node driven by the application (pull style).

    Drive it with :meth:`tick`, :meth:`step`, :meth:`propose` etc., then loop
    ``if node.has_ready(): rd = node.ready()`` -> persist ``rd.hard_state`` / ``rd.entries`` /
    ``rd.snapshot`` -> send ``rd.messages`` -> apply ``rd.committed_entries`` (calling
    :meth:`apply_conf_change` for conf-change entries) -> :meth:`advance`.

    Thread safety: every method holds a lock (the MemoryStorage's lock when the node uses a
    MemoryStorage, so storage writes by the application serialize with the node), so a node
    shared by several threads is never corrupted; the application still decides the order of
    calls. Errors raise :class:`pyraftc.RaftError` subclasses; once the node hits a broken
    invariant (where etcd panics) every call raises :class:`pyraftc.NodeFailedError`. ``close()``
    (or a ``with`` block) frees the C node; later calls raise :class:`pyraftc.StateError`.
    """

    def __new__(cls, config: Config, *, sync_logging: bool = False) -> "RawNode":
        # A node that runs Python code inside its calls (Python storage methods, or a logger
        # called synchronously) must hold its lock on every call: see _LockedRawNode.
        if cls is RawNode and isinstance(config, Config) and (
                sync_logging or not _is_direct(config.storage)):
            cls = _LockedRawNode
        node: RawNode = object.__new__(cls)
        return node

    def __init__(self, config: Config, *, sync_logging: bool = False) -> None:
        if not isinstance(config, Config):
            raise TypeError("RawNode(config) needs a pyraftc.Config, not %s"
                            % type(config).__name__)
        if config.storage is None:
            config.validate()  # raises the core's text ("storage cannot be nil" or earlier)
        storage = config.storage
        self.config = config
        self.storage = storage
        self._lock = storage._lock if isinstance(storage, MemoryStorage) else threading.RLock()
        self._storage_failure: Optional[str] = None
        self._ctx = _Context(storage, _log_adapter(config.logger))
        self._handle = ffi.new_handle(self._ctx)
        self._u64 = ffi.new("uint64_t *")
        self._sink = Sink()
        self._rdpp = ffi.new("raftc_ready **")
        self._p = ffi.new("const uint8_t **")
        self._n = ffi.new("size_t *")
        self._st_info = ffi.new("uint64_t[]", _ST_COUNT)
        self._logbuf: Any = None
        self._log = self._ctx.log
        self._closed = False
        self._node: Any = ffi.NULL
        self._gen = 0  # changes whenever the Ready view does (ready, advance)

        cfg = config._c_config()
        keep: Tuple[Any, ...] = (self._handle,)
        direct = self._ctx.ms is not None and len(self._ctx.direct) == 6
        if not isinstance(self, _LockedRawNode):
            # Log lines are collected in C and given to the logger after each call, so no
            # Python code runs inside raftc: see _drain_log.
            self._logbuf = ffi.gc(lib.pyraftc_logbuf_new(), lib.pyraftc_logbuf_free)
            if self._logbuf == ffi.NULL:
                raise MemoryError("pyraftc: no memory for the log buffer")
            keep += (self._logbuf,)
            check(lib.raftc_config_set_logger(cfg, ffi.addressof(lib, "pyraftc_log_collect"),
                                              self._logbuf))
        else:
            check(lib.raftc_config_set_logger(cfg, lib._pyraftc_log, self._handle))
        if direct and isinstance(storage, DiskStorage):
            # the node reads the disk storage's in-memory copy and fails with the storage
            check(lib.raftc_config_set_diskstorage(cfg, storage._ds_handle()))
            keep += (storage._ds,)
        elif direct:
            check(lib.raftc_config_set_memstorage(cfg, self._ctx.ms))
            keep += (self._ctx.ms,)
        else:
            check(lib.raftc_config_set_storage_callbacks(cfg, callback_table(self._handle)))
            if self._ctx.ms is not None:
                keep += (self._ctx.ms,)
        pp = ffi.new("raftc_node **")
        errp = ffi.new("const char **")
        with self._lock:
            rc = lib.raftc_node_new(pp, errp, cfg)
            self._drain_log()
            self._raise_pending()
        if rc < 0:
            text = c_string(errp[0]) if errp[0] != ffi.NULL else ""
            raise error_for_code(rc, text)
        # The destructor keeps the storage and the callback handle alive until the node is
        # freed, whatever order the garbage collector finalizes things in.
        self._node = ffi.gc(pp[0], _free_node(keep))
        if isinstance(storage, MemoryStorage):
            storage._nodes.add(self)  # the storage refuses close() while this node is open
        self._hot: Any = None
        if not isinstance(self, _LockedRawNode):
            # The hot calls as methods of a C object holding the node pointer, put in the
            # instance dict: node.step(b) is then one C call (see python/_hot.c).
            # ready_stored writes the storage in C only if its writes are MemoryStorage's
            # (a subclass's own append / set_hard_state / apply_snapshot is called instead)
            stores = all(getattr(type(storage), name) is getattr(MemoryStorage, name)
                         for name in ("append", "set_hard_state", "apply_snapshot"))
            hot = self._hot = _hot.Node(weakref.ref(self), _address(self._node),
                                        _address(self._ctx.ms) if stores else 0,
                                        _address(self._logbuf),
                                        (self._node, self._ctx.ms, self._logbuf))
            self.__dict__.update(tick=hot.tick, has_ready=hot.has_ready, step=hot.step,
                                 propose=hot.propose, propose_many=hot.propose_many,
                                 ready=hot.ready, ready_stored=hot.ready_stored,
                                 advance=hot.advance)

    # -- plumbing --------------------------------------------------------------------------

    def _ptr(self) -> Any:
        if self._storage_failure is not None:
            raise NodeFailedError(self._storage_failure, lib.RAFTC_EFAILED)
        if self._closed:
            raise StateError("raft node is closed")
        return self._node

    def _drain_log(self) -> None:
        """Hands the log lines collected in C since the last drain to the logger (an exception
        it raises is re-raised after all lines, as if raised inside the call)."""
        lb = self._logbuf
        if lb is None or not lb.len:
            return
        data = ffi.buffer(lb.buf, lb.len)[:]
        lb.len = 0
        log, pos, end = self._log, 0, len(data)
        while pos < end:
            n = int.from_bytes(data[pos + 1:pos + 5], sys.byteorder)
            text = data[pos + 5:pos + 5 + n].decode("utf-8", "replace")
            try:
                log(data[pos], text)
            except BaseException as exc:  # noqa: B902 - re-raised below
                if self._ctx.pending is None:
                    self._ctx.pending = exc
            pos += 5 + n

    def _inspect(self) -> Any:
        """The C node for read-only inspection, which works on a failed node too (as in C);
        StateError once closed."""
        if self._closed:
            raise StateError("raft node is closed")
        return self._node

    def _raise_pending(self) -> None:
        exc = self._ctx.pending
        if exc is not None:
            self._ctx.pending = None
            if self._node_is_failed():
                # etcd panics on a storage failure: the node is unusable from now on.
                if self._storage_failure is None:
                    self._storage_failure = "storage failure: %s: %s" % (type(exc).__name__,
                                                                        exc)
                    self._detach()
            raise exc

    def _node_is_failed(self) -> bool:
        failed: bool = self._node != ffi.NULL and lib.raftc_node_is_failed(self._node) == 1
        return failed

    def _result(self, node: Any, rc: int) -> None:
        """Delivers collected log lines, raises a pending callback exception, then the error
        of rc (call with the lock)."""
        self._drain_log()
        self._raise_pending()
        if rc < 0:
            text = c_string(lib.raftc_node_last_error(node))
            raise error_for_code(rc, text or strerror(rc))

    def _fail(self, rc: int) -> None:
        """The error path of the lock-free calls: raises what rc means."""
        with self._lock:
            node = self._ptr()
            self._result(node, rc)

    def _detach(self) -> None:
        """Sends the hot calls to the Python methods from now on (node closed or failed)."""
        hot = self._hot
        if hot is not None:
            hot.detach()

    def _call(self, fn: Any, *args: Any) -> None:
        with self._lock:
            node = self._ptr()
            self._result(node, fn(node, *args))

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the C node (idempotent). Later calls raise StateError (has_ready() returns
        False)."""
        with self._lock:
            if not self._closed:
                self._drain_log()
                self._closed = True
                # A call running in another thread keeps its reference: the node is freed
                # when the last one goes.
                self._node = ffi.NULL
                self._detach()
                self._ctx.pending = None

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._closed

    def __enter__(self) -> "RawNode":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def failed(self) -> bool:
        """True once the node hit a broken invariant (every call then raises NodeFailedError)."""
        with self._lock:
            if self._closed:
                return self._storage_failure is not None
            return self._storage_failure is not None or lib.raftc_node_is_failed(self._node) == 1

    @property
    def last_error(self) -> str:
        """Text of the last error of this node ("" if none; the panic text once failed)."""
        with self._lock:
            if self._storage_failure is not None:
                return self._storage_failure
            if self._closed:
                return ""
            if self._storage_failure is not None:
                return self._storage_failure
            return c_string(lib.raftc_node_last_error(self._node))

    # -- driving ---------------------------------------------------------------------------

    def bootstrap(self, peers: Sequence[Peer]) -> None:
        """etcd's RawNode.Bootstrap: on an empty storage, commits and applies
        ConfChangeAddNode entries for peers. Raises InvalidArgumentError without peers and
        StateError on a non-empty storage."""
        if isinstance(peers, (Peer, bytes, str)):
            raise TypeError("peers must be a sequence of pyraftc.Peer")
        peers = list(peers)
        for p in peers:
            if not isinstance(p, Peer):
                raise TypeError("peers must be pyraftc.Peer objects, not %s" % type(p).__name__)
        n = len(peers)
        ids = ffi.new("uint64_t[]", [p.id for p in peers]) if n else ffi.NULL
        keep = [ffi.from_buffer(p.context) for p in peers]
        ctxs = ffi.new("uint8_t *[]", keep) if n else ffi.NULL
        lens = ffi.new("size_t[]", [len(p.context) for p in peers]) if n else ffi.NULL
        self._call(lib.raftc_node_bootstrap, ids, ctxs, lens, n)

    # The hot calls (tick, campaign, propose, step, has_ready) make one C call without the
    # lock: the GIL is held during it, and the node runs no Python code inside (see
    # _LockedRawNode for nodes that do). Only the error path takes the lock.

    def tick(self) -> None:
        """Advances the logical clock by one tick."""
        rc = _tick(self._node)
        if rc:
            self._fail(rc)

    _slow_tick = tick

    def campaign(self) -> None:
        """Starts an election (etcd's Campaign; refusals are log lines, not errors)."""
        rc = _campaign(self._node)
        if rc:
            self._fail(rc)

    def propose(self, data: bytes) -> None:
        """Proposes data to be appended to the log. Raises ProposalDroppedError when it cannot
        be (no leader, leadership transfer, forwarding disabled, uncommitted size limit)."""
        try:
            rc = _propose(self._node, data, len(data))
        except TypeError:  # not bytes: bytearray/memoryview are copied, others refused
            data = as_bytes("data", data)
            rc = _propose(self._node, data, len(data))
        if rc:
            self._fail(rc)

    _slow_propose = propose

    def propose_many(self, datas: Sequence[bytes]) -> int:
        """Proposes each of datas in order, as many propose() calls would, in one call into
        the library (the batch path: one crossing instead of one per proposal). Returns how
        many were proposed: len(datas), or the position of the first one raft dropped (where
        propose() would raise ProposalDroppedError; those after it are not proposed). Other
        errors raise as propose() does."""
        if isinstance(datas, (bytes, bytearray, memoryview, str)):
            raise TypeError("datas must be a sequence of bytes, not %s" % type(datas).__name__)
        parts = list(datas)
        if any(type(d) is not bytes for d in parts):
            parts = [as_bytes("data", d) for d in parts]
        n = len(parts)
        if n == 0:
            self._ptr()  # a closed or failed node still raises
            return 0
        buf = b"".join(parts)
        lens = ffi.new("size_t[]", [len(d) for d in parts])
        done = ffi.new("size_t *")
        return self._propose_many(buf, lens, n, done)

    _slow_propose_many = propose_many

    def _many_failed(self, done: int, rc: int) -> int:
        """propose_many's fast path stopped at datas[done] with rc."""
        if rc == _EPROPOSAL_DROPPED:
            with self._lock:
                self._drain_log()
            return done
        self._fail(rc)
        return done

    def propose_list(self, datas: Sequence[bytes]) -> None:
        """Proposes datas as one batch: etcd's Step of one MsgProp carrying an entry per
        payload, appended (or dropped) together, in order. Raises ProposalDroppedError as
        propose() does (then none was proposed), ValueError for an empty list."""
        if isinstance(datas, (bytes, bytearray, memoryview, str)):
            raise TypeError("datas must be a sequence of bytes, not %s" % type(datas).__name__)
        parts = [as_bytes("data", d) for d in datas]
        if not parts:
            raise ValueError("propose_list needs at least one payload")
        joined = b"".join(parts)
        base = ffi.from_buffer("uint8_t[]", joined)
        ptrs = ffi.new("const uint8_t *[]", len(parts))
        lens = ffi.new("size_t[]", len(parts))
        off = 0
        for i, d in enumerate(parts):
            ptrs[i] = base + off
            lens[i] = len(d)
            off += len(d)
        self._call(_propose_list, ptrs, lens, len(parts))

    def _propose_many(self, buf: bytes, lens: Any, n: int, done: Any) -> int:
        rc = _propose_many(self._node, buf, lens, n, done)
        if rc == _EPROPOSAL_DROPPED:
            with self._lock:
                self._drain_log()
            return int(done[0])
        if rc:
            self._fail(rc)
        return n

    @staticmethod
    def _conf_change(cc: Any) -> Tuple[int, bytes]:
        if isinstance(cc, pb.ConfChange):
            return lib.RAFTC_CC_V1, cc.SerializeToString()
        if isinstance(cc, pb.ConfChangeV2):
            return lib.RAFTC_CC_V2, cc.SerializeToString()
        raise TypeError("expected a raftpb.ConfChange or raftpb.ConfChangeV2, not %s"
                        % type(cc).__name__)

    def propose_conf_change(self, cc: Union[pb.ConfChange, pb.ConfChangeV2]) -> None:
        """Proposes a configuration change (raftpb.ConfChange or ConfChangeV2; an empty
        ConfChangeV2 leaves a joint configuration). Raises ProposalDroppedError as propose()."""
        kind, b = self._conf_change(cc)
        self._call(lib.raftc_node_propose_conf_change, kind, b, len(b))

    def _propose_conf_change_raw(self, kind: int, b: bytes) -> None:
        """propose_conf_change with pre-encoded bytes (kind RAFTC_CC_V1 / RAFTC_CC_V2)."""
        self._call(lib.raftc_node_propose_conf_change, kind, b, len(b))

    def apply_conf_change(self, cc: Union[pb.ConfChange, pb.ConfChangeV2, pb.Entry]
                          ) -> pb.ConfState:
        """Applies a committed configuration change (call it for every conf-change entry,
        including ones raft cancelled) and returns the new ConfState. ``cc`` is the
        ConfChange/ConfChangeV2, or the committed EntryConfChange/EntryConfChangeV2 entry
        itself."""
        if isinstance(cc, pb.Entry):
            return self.apply_conf_change_entry(cc)
        kind, b = self._conf_change(cc)
        return self._apply_conf_change(kind, b)

    def apply_conf_change_entry(self, entry: pb.Entry) -> pb.ConfState:
        """apply_conf_change for a committed EntryConfChange / EntryConfChangeV2 entry
        (decodes its data as the matching ConfChange kind)."""
        if not isinstance(entry, pb.Entry):
            raise TypeError("entry must be a raftpb.Entry")
        if entry.type == pb.EntryConfChange:
            return self._apply_conf_change(lib.RAFTC_CC_V1, entry.data)
        if entry.type == pb.EntryConfChangeV2:
            return self._apply_conf_change(lib.RAFTC_CC_V2, entry.data)
        raise ValueError("entry %d is not a conf change entry" % entry.index)

    def _apply_conf_change(self, kind: int, b: bytes) -> pb.ConfState:
        with self._lock:
            node = self._ptr()
            sink = self._sink.reset()
            self._result(node, lib.raftc_node_apply_conf_change(sink.ptr, node, kind, b, len(b)))
            return pb.ConfState.FromString(sink.first())

    def step(self, msg: Union[pb.Message, bytes]) -> None:
        """etcd's RawNode.Step: feeds a message from a peer (or a storage-thread response)
        into the node. ``msg`` is a raftpb.Message or its serialized bytes. Hostile bytes
        raise DecodeError / UnknownMessageTypeError / TooLargeError; local types raise
        StepLocalMsgError,
        responses from unknown peers StepPeerNotFoundError."""
        try:
            rc = _step(self._node, msg, len(msg))  # type: ignore[arg-type]
        except TypeError:  # a raftpb.Message (or bytearray/memoryview, or a wrong type)
            b = encode("msg", msg, pb.Message)
            rc = _step(self._node, b, len(b))
        if rc:
            self._fail(rc)

    _slow_step = step

    def has_ready(self) -> bool:
        """True if a Ready with anything in it is available (False once the node failed)."""
        if _has_ready(self._node):
            return True
        if self._closed or self._storage_failure is not None:
            self._ptr()  # raises
        return False

    _slow_has_ready = has_ready

    def ready(self) -> Ready:
        """etcd's RawNode.Ready: returns (and accepts) the pending Ready. In sync mode, raises
        StateError if the previous Ready was not advanced."""
        with self._lock:
            node = self._node
            p, n = self._p, self._n
            rc = _ready_packed(self._rdpp, p, n, node)
            if rc:
                self._ready_failed(node, rc)
            data = ffi.buffer(p[0], n[0])[:]
            rd = Ready(data, _HEAD_UNPACK(data))
            self._gen += 1
            rd._node, rd._gen = self, self._gen
            lb = self._logbuf
            if lb is not None and lb.len:
                self._result(node, 0)
            return rd

    _slow_ready = ready

    def ready_stored(self) -> Ready:
        """ready() that also stores the Ready in the node's storage, in etcd's order: its
        snapshot (``apply_snapshot``), its entries (``append``), then its HardState
        (``set_hard_state``). What remains of the Ready loop: send the messages, apply the
        committed entries, advance(). On a lock-free node over a :class:`MemoryStorage` (see
        the class docstring) this is one call into the library, and the Ready comes with its
        ``committed_data`` and ``committed_types`` (no raftpb.Entry per entry); on other
        nodes over a MemoryStorage (or a subclass overriding those methods: they are called)
        or a DiskStorage (raftc_diskstorage_save_ready: one fsync) it makes the storage calls
        above. Raises
        StateError for other storages (call ready() and store the Ready yourself), and what
        ready() and those storage calls raise; if storing fails after the node handed out its
        Ready, the node fails (an advance would acknowledge entries never stored)."""
        if self._hot is not None:
            self._ptr()  # a lock-free node that is closed or failed: raises
        return self._ready_stored_slow()

    _slow_ready_stored = ready_stored

    def _ready_stored_slow(self) -> Ready:
        st = self.storage
        if not isinstance(st, MemoryStorage):
            raise StateError("ready_stored() needs a MemoryStorage or DiskStorage; with a "
                             "storage of your own, call ready() and store the Ready yourself")
        if isinstance(st, DiskStorage) and st._async_writes:
            raise StateError("ready_stored(): with async_writes the storage's writer thread "
                             "stores the Readys: submit() their MsgStorageAppend messages")
        with self._lock:
            rd = self.ready()
            try:
                if isinstance(st, DiskStorage):
                    # etcd's order from the node's own view, one fsync (SyncPolicy.EACH)
                    st._save_ready(self._rdpp[0])
                else:
                    if rd.snapshot is not None:
                        st.apply_snapshot(rd.snapshot)
                    st.append(rd.entries)
                    if rd.hard_state is not None:
                        st.set_hard_state(rd.hard_state)
            except BaseException as exc:  # noqa: B902 - re-raised
                # handed out and not stored: an advance would acknowledge what was never stored
                self._storage_failure = ("ready: the Ready could not be stored: %s: %s"
                                         % (type(exc).__name__, exc))
                self._node = ffi.NULL
                self._detach()
                raise
            return rd

    def _ready_error(self, rc: int, accepted: int) -> None:
        """The failure rc of a lock-free node's ready() / ready_stored(): accepted is 0 when
        the node kept its Ready, 1 when it handed it out but it could not be copied out, 2
        when it could not be stored. A Ready handed out and lost fails the node: an advance
        would acknowledge entries never persisted."""
        with self._lock:
            node = self._ptr()
            if accepted:
                self._storage_failure = ("ready: the Ready could not be %s: %s"
                                         % ("stored" if accepted == 2 else "packed",
                                            strerror(rc)))
                self._node = ffi.NULL
                self._detach()
            self._result(node, rc)
            raise error_for_code(rc, strerror(rc))  # not reached: rc < 0

    def _after_call(self) -> None:
        """Hands out the log lines a lock-free node's call collected (raises what the logger
        raised)."""
        with self._lock:
            self._result(self._node, 0)

    def _advanced(self, rc: int) -> None:
        """The end of a lock-free node's advance() that failed or logged."""
        with self._lock:
            node = self._ptr()
            self._result(node, rc)

    def _append_ready(self, storage: MemoryStorage, gen: int) -> bool:
        """Appends the entries of this node's Ready number gen to storage, from the node's
        own view (no re-encoding), if that Ready is still the node's current one; False if it
        is not."""
        hot = self._hot
        if hot is not None:
            with storage._lock:
                ms = storage._ms
                rc = hot.append_ready(_address(ms), gen)
                if rc == 1:
                    return False
                _ms_check(rc, ms)
                return True
        with self._lock:
            if self._closed or self._gen != gen:
                return False
            ms = storage._ms
            _ms_check(lib.raftc_memstorage_append_ready(ms, self._rdpp[0]), ms)
            return True

    def _ready_failed(self, node: Any, rc: int) -> None:
        self._ptr()
        if self._rdpp[0] != ffi.NULL:
            # Accepted but not copied out: an advance would acknowledge entries never
            # persisted, so the node refuses all further work (as after a failure).
            self._storage_failure = "ready: the Ready could not be packed: %s" % strerror(rc)
            self._node = ffi.NULL
            self._detach()
        self._result(node, rc)

    def _ready(self, describe: bool) -> Tuple[Ready, str]:
        """ready() and, with describe, etcd's DescribeReady text of it."""
        with self._lock:
            rd = self.ready()
            text = ""
            if describe:
                hot = self._hot
                if hot is not None:
                    got = hot.describe(rd._gen)
                    if not isinstance(got, str):
                        raise StateError("the Ready was advanced by another thread")
                    text = got
                else:
                    sp = ffi.new("char **")
                    check(lib.raftc_ready_describe(sp, self._rdpp[0]))
                    text = take_string(sp)
            return rd, text

    def advance(self, rd: Optional[Ready] = None) -> None:
        """etcd's RawNode.Advance: call after the last Ready was persisted, sent and applied
        (sync mode only; raises StateError without a Ready or with async storage writes).
        ``rd`` is accepted for etcd compatibility and ignored."""
        with self._lock:  # ends the Ready view: never while ready() reads it
            node = self._node
            rc = _advance(node)
            self._gen += 1
            if rc or (self._logbuf is not None and self._logbuf.len):
                self._ptr()
                self._result(node, rc)

    _slow_advance = advance

    # -- status ----------------------------------------------------------------------------

    def basic_status(self) -> BasicStatus:
        """etcd's BasicStatus (works on a failed node too)."""
        with self._lock:
            if self._closed:
                raise StateError("raft node is closed")
            check(lib.raftc_node_status_info(self._st_info, _ST_COUNT, self._node))
            return BasicStatus(self._st_info)

    def status(self) -> Status:
        """etcd's Status: BasicStatus + config string + progress map (leader only). Works on a
        failed node too."""
        with self._lock:
            node = self._inspect()
            check(lib.raftc_node_status_info(self._st_info, _ST_COUNT, node))
            sp = ffi.new("char **")
            check(lib.raftc_node_status_config(sp, node))
            config = take_string(sp)
            progress: Dict[int, Progress] = {}
            count = ffi.new("size_t *")
            check(lib.raftc_node_progress_ids(ffi.NULL, 0, count, node))
            if count[0]:
                ids = ffi.new("uint64_t[]", count[0])
                check(lib.raftc_node_progress_ids(ids, count[0], count, node))
                pr = ffi.new("uint64_t[]", _PR_COUNT)
                for i in range(count[0]):
                    check(lib.raftc_node_progress_info(pr, _PR_COUNT, node, ids[i]))
                    progress[int(ids[i])] = Progress(
                        int(pr[lib.RAFTC_PR_MATCH]), int(pr[lib.RAFTC_PR_NEXT]),
                        ProgressStateType(pr[lib.RAFTC_PR_STATE]),
                        int(pr[lib.RAFTC_PR_PENDING_SNAPSHOT]),
                        bool(pr[lib.RAFTC_PR_RECENT_ACTIVE]), bool(pr[lib.RAFTC_PR_PAUSED]),
                        bool(pr[lib.RAFTC_PR_IS_LEARNER]), int(pr[lib.RAFTC_PR_INFLIGHT]))
            return Status(self._st_info, config, progress)

    def progress_text(self) -> str:
        """etcd's ProgressMap.String() of the status ("" unless leader; works on a failed
        node too)."""
        with self._lock:
            sp = ffi.new("char **")
            check(lib.raftc_node_status_progress(sp, self._inspect()))
            return take_string(sp)

    def conf_state(self) -> pb.ConfState:
        """The current configuration as a raftpb.ConfState (works on a failed node too)."""
        with self._lock:
            sink = self._sink.reset()
            check(lib.raftc_node_conf_state(sink.ptr, self._inspect()))
            return pb.ConfState.FromString(sink.first())

    # -- other requests --------------------------------------------------------------------

    def read_index(self, rctx: bytes) -> None:
        """etcd's ReadIndex: the answer arrives as a ReadState (with rctx) in a later Ready."""
        rctx = as_bytes("rctx", rctx)
        self._call(lib.raftc_node_read_index, rctx, len(rctx))

    def transfer_leader(self, transferee: int) -> None:
        """etcd's TransferLeader: asks the leader to hand leadership to transferee."""
        self._call(lib.raftc_node_transfer_leader, as_u64("transferee", transferee))

    def forget_leader(self) -> None:
        """etcd's ForgetLeader: a follower forgets its current leader."""
        self._call(lib.raftc_node_forget_leader)

    def report_unreachable(self, id: int) -> None:  # noqa: A002
        """etcd's ReportUnreachable: the last message to peer id failed to send."""
        self._call(lib.raftc_node_report_unreachable, as_u64("id", id))

    def report_snapshot(self, id: int, status: SnapshotStatus) -> None:  # noqa: A002
        """etcd's ReportSnapshot: the outcome of sending a snapshot to peer id."""
        if not isinstance(status, SnapshotStatus):
            try:
                status = SnapshotStatus(status)
            except ValueError:
                raise ValueError("status must be a SnapshotStatus") from None
        self._call(lib.raftc_node_report_snapshot, as_u64("id", id), int(status))

    def _set_randomized_election_timeout(self, timeout: int) -> None:
        """Test hook: pins the current randomized election timeout."""
        value = int(timeout) if int(timeout) > 0 else 0  # <= 0 is refused with EINVAL
        self._call(
            lib.raftc_testing_control, lib.RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT, value
        )

    def __repr__(self) -> str:
        if self._closed:
            return "<RawNode id=%d closed>" % self.config.id
        return "<RawNode id=%d>" % self.config.id


class _LockedRawNode(RawNode):
    """A RawNode whose calls may let another thread run meanwhile (storage methods written in
    Python, a sync_logging logger, a DiskStorage whose writes release the GIL): every call
    holds the node's lock (a MemoryStorage's is the storage's lock), so another thread cannot
    enter the node, or write its storage, while a call is in progress."""

    def tick(self) -> None:
        self._call(_tick)

    def campaign(self) -> None:
        self._call(_campaign)

    def propose(self, data: bytes) -> None:
        data = as_bytes("data", data)
        self._call(_propose, data, len(data))

    def step(self, msg: Union[pb.Message, bytes]) -> None:
        b = encode("msg", msg, pb.Message)
        self._call(_step, b, len(b))

    def _propose_many(self, buf: bytes, lens: Any, n: int, done: Any) -> int:
        with self._lock:
            node = self._ptr()
            rc = _propose_many(node, buf, lens, n, done)
            if rc == _EPROPOSAL_DROPPED:
                self._result(node, 0)
                return int(done[0])
            self._result(node, rc)
            return n

    def has_ready(self) -> bool:
        with self._lock:
            ready: bool = _has_ready(self._ptr()) == 1
            self._raise_pending()
            return ready


def _is_direct(storage: Any) -> bool:
    """True for a MemoryStorage whose Storage methods are all the C ones. (Not a DiskStorage:
    its writes release the GIL during their I/O, so its nodes need their lock.)"""
    if not isinstance(storage, MemoryStorage) or isinstance(storage, DiskStorage):
        return False
    return all(getattr(type(storage), name) is getattr(MemoryStorage, name)
               for name in _STORAGE_METHODS)


def _address(cdata: Any) -> int:
    """The address a cffi pointer holds (0 for None / NULL)."""
    return 0 if cdata is None else int(ffi.cast("uintptr_t", cdata))


# The raftc functions pyraftc._hot calls, in the order of its hot_fns.
def _soft_state(lead: int, raft_state: int) -> SoftState:
    return SoftState(lead, StateType(raft_state))


_hot.bind([_address(ffi.addressof(lib, name)) for name in (
    "raftc_node_tick", "raftc_node_has_ready", "raftc_node_step", "raftc_node_propose",
    "raftc_node_ready_packed", "raftc_ready_committed_entry_info", "raftc_ready_snapshot",
    "raftc_memstorage_apply_snapshot", "raftc_memstorage_append_ready",
    "raftc_memstorage_set_hard_state_fields", "raftc_node_advance", "raftc_ready_describe",
    "raftc_free")], Ready, _soft_state)

_STORAGE_METHODS = ("initial_state", "entries", "term", "first_index", "last_index", "snapshot")
_tick = lib.raftc_node_tick
_campaign = lib.raftc_node_campaign
_propose = lib.raftc_node_propose
_propose_many = lib.pyraftc_propose_many
_propose_list = lib.raftc_node_propose_list
_EPROPOSAL_DROPPED = lib.RAFTC_EPROPOSAL_DROPPED
_step = lib.raftc_node_step
_has_ready = lib.raftc_node_has_ready
_advance = lib.raftc_node_advance
_ready_packed = lib.raftc_node_ready_packed

