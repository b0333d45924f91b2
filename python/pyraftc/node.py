# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# node.py: pyraftc.RawNode (etcd's RawNode over raftc_node) with Ready, Status and friends.
"""The raft node: :class:`RawNode`, its :class:`Ready` and status types."""
import logging
import threading
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import raftpb_pb2 as pb
from ._codec import decode_entries, encode
from ._ffi import Sink, as_bytes, as_u64, c_string, check, ffi, lib, strerror, take_string
from .config import Config, Peer
from .enums import LogLevel, ProgressStateType, SnapshotStatus, StateType
from .errors import NodeFailedError, StateError, error_for_code
from .storage import MemoryStorage, _Context, callback_table

__all__ = ["RawNode", "Ready", "SoftState", "ReadState", "Progress", "BasicStatus", "Status"]

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
    lead_transferee."""

    __slots__ = ("id", "hard_state", "soft_state", "applied", "lead_transferee", "is_voter",
                 "is_learner")

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


class Ready:
    """etcd's Ready: what the application must persist, send and apply, copied out of the
    node (valid forever). List fields decode lazily; the ``*_bytes`` fields give the raw raftpb
    encodings (e.g. to put ``message_bytes[i]`` on the wire without re-encoding).

    Attributes:
        soft_state: SoftState if it changed, else None.
        hard_state: raftpb.HardState to persist, or None when unchanged.
        read_states: list of ReadState.
        entries: raftpb.Entry list to persist before sending messages.
        snapshot: raftpb.Snapshot to persist/apply, or None.
        committed_entries: raftpb.Entry list to apply.
        messages: raftpb.Message list to send after persisting.
        must_sync: whether hard_state/entries must be synced to disk (etcd's MustSync).
    """

    __slots__ = ("soft_state", "hard_state", "read_states", "snapshot", "must_sync",
                 "entry_bytes", "committed_entry_bytes", "message_bytes", "_entries",
                 "_committed", "_messages")

    def __init__(self) -> None:
        self.soft_state: Optional[SoftState] = None
        self.hard_state: Optional[pb.HardState] = None
        self.read_states: List[ReadState] = []
        self.snapshot: Optional[pb.Snapshot] = None
        self.must_sync = False
        self.entry_bytes: List[bytes] = []
        self.committed_entry_bytes: List[bytes] = []
        self.message_bytes: List[bytes] = []
        self._entries: Optional[List[pb.Entry]] = None
        self._committed: Optional[List[pb.Entry]] = None
        self._messages: Optional[List[pb.Message]] = None

    @property
    def entries(self) -> List[pb.Entry]:
        """Entries to persist (raftpb.Entry)."""
        if self._entries is None:
            self._entries = decode_entries(self.entry_bytes)
        return self._entries

    @property
    def committed_entries(self) -> List[pb.Entry]:
        """Committed entries to apply (raftpb.Entry)."""
        if self._committed is None:
            self._committed = decode_entries(self.committed_entry_bytes)
        return self._committed

    @property
    def messages(self) -> List[pb.Message]:
        """Messages to send (raftpb.Message)."""
        if self._messages is None:
            self._messages = [pb.Message.FromString(b) for b in self.message_bytes]
        return self._messages

    def contains_updates(self) -> bool:
        """True if the Ready carries anything (etcd's containsUpdates)."""
        return bool(self.soft_state is not None or self.hard_state is not None
                    or self.read_states or self.entry_bytes or self.snapshot is not None
                    or self.committed_entry_bytes or self.message_bytes)

    def __repr__(self) -> str:
        return ("Ready(soft_state=%r, hard_state=%s, entries=%d, snapshot=%s, committed=%d, "
                "messages=%d, read_states=%d, must_sync=%s)"
                % (self.soft_state, None if self.hard_state is None else
                   "Term:%d Vote:%d Commit:%d" % (self.hard_state.term, self.hard_state.vote,
                                                  self.hard_state.commit),
                   len(self.entry_bytes), self.snapshot is not None,
                   len(self.committed_entry_bytes), len(self.message_bytes),
                   len(self.read_states), self.must_sync))


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

    def __init__(self, config: Config) -> None:
        if not isinstance(config, Config):
            raise TypeError("RawNode(config) needs a pyraftc.Config, not %s"
                            % type(config).__name__)
        config.validate()
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
        self._rd_info = ffi.new("uint64_t[]", _RD_COUNT)
        self._st_info = ffi.new("uint64_t[]", _ST_COUNT)

        cfgpp = ffi.new("raftc_config **")
        check(lib.raftc_config_new(cfgpp))
        cfg = ffi.gc(cfgpp[0], lib.raftc_config_free)
        opts = (
            (lib.RAFTC_OPT_ID, config.id), (lib.RAFTC_OPT_ELECTION_TICK, config.election_tick),
            (lib.RAFTC_OPT_HEARTBEAT_TICK, config.heartbeat_tick),
            (lib.RAFTC_OPT_APPLIED, config.applied),
            (lib.RAFTC_OPT_MAX_SIZE_PER_MSG, config.max_size_per_msg),
            (lib.RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY, config.max_committed_size_per_ready),
            (lib.RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE, config.max_uncommitted_entries_size),
            (lib.RAFTC_OPT_MAX_INFLIGHT_MSGS, config.max_inflight_msgs),
            (lib.RAFTC_OPT_MAX_INFLIGHT_BYTES, config.max_inflight_bytes),
            (lib.RAFTC_OPT_READ_ONLY_OPTION, int(config.read_only_option)),
            (lib.RAFTC_OPT_CHECK_QUORUM, config.check_quorum),
            (lib.RAFTC_OPT_PRE_VOTE, config.pre_vote),
            (lib.RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING, config.disable_proposal_forwarding),
            (lib.RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION,
             config.disable_conf_change_validation),
            (lib.RAFTC_OPT_STEP_DOWN_ON_REMOVAL, config.step_down_on_removal),
            (lib.RAFTC_OPT_ASYNC_STORAGE_WRITES, config.async_storage_writes),
        )
        for opt, value in opts:
            check(lib.raftc_config_set_u64(cfg, opt, int(value)))
        if config.rand_seed:
            check(lib.raftc_config_set_u64(cfg, lib.RAFTC_OPT_RAND_SEED, config.rand_seed))
        check(lib.raftc_config_set_logger(cfg, lib._pyraftc_log, self._handle))
        keep: Tuple[Any, ...] = (self._handle,)
        if self._ctx.ms is not None and len(self._ctx.direct) == 6:
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
            self._raise_pending()
        if rc < 0:
            text = c_string(errp[0]) if errp[0] != ffi.NULL else ""
            raise error_for_code(rc, text)
        # The destructor keeps the storage and the callback handle alive until the node is
        # freed, whatever order the garbage collector finalizes things in.
        self._node: Any = ffi.gc(pp[0], _free_node(keep))
        if isinstance(storage, MemoryStorage):
            storage._nodes.add(self)  # the storage refuses close() while this node is open

    # -- plumbing --------------------------------------------------------------------------

    def _ptr(self) -> Any:
        node = self._node
        if node is None:
            raise StateError("raft node is closed")
        if self._storage_failure is not None:
            raise NodeFailedError(self._storage_failure, lib.RAFTC_EFAILED)
        return node

    def _inspect(self) -> Any:
        """The C node for read-only inspection, which works on a failed node too (as in C);
        StateError once closed."""
        node = self._node
        if node is None:
            raise StateError("raft node is closed")
        return node

    def _raise_pending(self) -> None:
        exc = self._ctx.pending
        if exc is not None:
            # etcd panics on a storage failure: the node is unusable from now on, whatever the
            # C library decided.
            self._ctx.pending = None
            if self._storage_failure is None:
                self._storage_failure = "storage failure: %s: %s" % (type(exc).__name__, exc)
            raise exc

    def _result(self, node: Any, rc: int) -> None:
        """Raises the pending callback exception, then the error of rc (call with the lock)."""
        self._raise_pending()
        if rc < 0:
            text = c_string(lib.raftc_node_last_error(node))
            raise error_for_code(rc, text or strerror(rc))

    def _call(self, fn: Any, *args: Any) -> None:
        with self._lock:
            node = self._ptr()
            self._result(node, fn(node, *args))

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Frees the C node (idempotent). Later calls raise StateError."""
        with self._lock:
            node, self._node = self._node, None
            if node is not None:
                ffi.release(node)

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._node is None

    def __enter__(self) -> "RawNode":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def failed(self) -> bool:
        """True once the node hit a broken invariant (every call then raises NodeFailedError)."""
        with self._lock:
            if self._node is None:
                return False
            return self._storage_failure is not None or lib.raftc_node_is_failed(self._node) == 1

    @property
    def last_error(self) -> str:
        """Text of the last error of this node ("" if none; the panic text once failed)."""
        with self._lock:
            if self._node is None:
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

    def tick(self) -> None:
        """Advances the logical clock by one tick."""
        self._call(lib.raftc_node_tick)

    def campaign(self) -> None:
        """Starts an election (etcd's Campaign; refusals are log lines, not errors)."""
        self._call(lib.raftc_node_campaign)

    def propose(self, data: bytes) -> None:
        """Proposes data to be appended to the log. Raises ProposalDroppedError when it cannot be
        (no leader, leadership transfer, forwarding disabled, uncommitted size limit)."""
        data = as_bytes("data", data)
        self._call(lib.raftc_node_propose, data, len(data))

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

    def apply_conf_change(self, cc: Union[pb.ConfChange, pb.ConfChangeV2]) -> pb.ConfState:
        """Applies a committed configuration change (call it for every conf-change entry,
        including ones raft cancelled) and returns the new ConfState."""
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
        raise DecodeError / UnknownMessageTypeError / TooLargeError; local types raise StepLocalMsgError,
        responses from unknown peers StepPeerNotFoundError."""
        b = encode("msg", msg, pb.Message)
        self._call(lib.raftc_node_step, b, len(b))

    def has_ready(self) -> bool:
        """True if a Ready with anything in it is available."""
        with self._lock:
            ready: int = lib.raftc_node_has_ready(self._ptr())
        return ready == 1

    def ready(self) -> Ready:
        """etcd's RawNode.Ready: returns (and accepts) the pending Ready. In sync mode, raises
        StateError if the previous Ready was not advanced."""
        return self._ready(False)[0]

    def _ready(self, describe: bool) -> Tuple[Ready, str]:
        with self._lock:
            node = self._ptr()
            self._result(node, lib.raftc_node_ready(self._rdpp, node))
            rd_ptr = self._rdpp[0]
            info = self._rd_info
            check(lib.raftc_ready_info(info, _RD_COUNT, rd_ptr))
            p, n = self._p, self._n
            rd = Ready()
            if info[lib.RAFTC_RD_HAS_SOFT_STATE]:
                rd.soft_state = SoftState(int(info[lib.RAFTC_RD_LEAD]),
                                          StateType(info[lib.RAFTC_RD_RAFT_STATE]))
            if info[lib.RAFTC_RD_HAS_HARD_STATE]:
                rd.hard_state = _hard_state(info[lib.RAFTC_RD_TERM], info[lib.RAFTC_RD_VOTE],
                                            info[lib.RAFTC_RD_COMMIT])
            buf = ffi.buffer
            out = rd.entry_bytes
            for i in range(info[lib.RAFTC_RD_N_ENTRIES]):
                check(lib.raftc_ready_entry(p, n, rd_ptr, i))
                out.append(buf(p[0], n[0])[:])
            if info[lib.RAFTC_RD_HAS_SNAPSHOT]:
                check(lib.raftc_ready_snapshot(p, n, rd_ptr))
                rd.snapshot = pb.Snapshot.FromString(buf(p[0], n[0])[:])
            out = rd.committed_entry_bytes
            for i in range(info[lib.RAFTC_RD_N_COMMITTED_ENTRIES]):
                check(lib.raftc_ready_committed_entry(p, n, rd_ptr, i))
                out.append(buf(p[0], n[0])[:])
            out = rd.message_bytes
            for i in range(info[lib.RAFTC_RD_N_MESSAGES]):
                check(lib.raftc_ready_message(p, n, rd_ptr, i))
                out.append(buf(p[0], n[0])[:])
            n_rs = info[lib.RAFTC_RD_N_READ_STATES]
            if n_rs:
                idx = self._u64
                for i in range(n_rs):
                    check(lib.raftc_ready_read_state(idx, p, n, rd_ptr, i))
                    rd.read_states.append(ReadState(int(idx[0]), buf(p[0], n[0])[:]
                                                    if n[0] else b""))
            rd.must_sync = bool(info[lib.RAFTC_RD_MUST_SYNC])
            text = ""
            if describe:
                sp = ffi.new("char **")
                check(lib.raftc_ready_describe(sp, rd_ptr))
                text = take_string(sp)
            return rd, text

    def advance(self, rd: Optional[Ready] = None) -> None:
        """etcd's RawNode.Advance: call after the last Ready was persisted, sent and applied
        (sync mode only; raises StateError without a Ready or with async storage writes).
        ``rd`` is accepted for etcd compatibility and ignored."""
        self._call(lib.raftc_node_advance)

    # -- status ----------------------------------------------------------------------------

    def basic_status(self) -> BasicStatus:
        """etcd's BasicStatus (works on a failed node too)."""
        with self._lock:
            node = self._node
            if node is None:
                raise StateError("raft node is closed")
            check(lib.raftc_node_status_info(self._st_info, _ST_COUNT, node))
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
        """Test hook: pins the current randomized election timeout (raftc_testing_control)."""
        value = int(timeout) if int(timeout) > 0 else 0  # <= 0 is refused with EINVAL
        self._call(
            lib.raftc_testing_control, lib.RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT, value
        )

    def __repr__(self) -> str:
        if self._node is None:
            return "<RawNode id=%d closed>" % self.config.id
        return "<RawNode id=%d>" % self.config.id

