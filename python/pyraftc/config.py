# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# config.py: pyraftc.Config (etcd's raft.Config) and pyraftc.Peer.
"""Node configuration with etcd's field names and defaults; validated by the C library."""
import logging
from typing import Any, Callable, Optional, Union

from ._ffi import NO_LIMIT, as_bytes, as_u64, c_string, check, ffi, lib
from .enums import ReadOnlyOption
from .errors import error_for_code

__all__ = ["Config", "Peer", "Logger", "NO_LIMIT", "LOCAL_APPEND_THREAD", "LOCAL_APPLY_THREAD"]

#: etcd's LocalAppendThread / LocalApplyThread targets of async storage write messages.
LOCAL_APPEND_THREAD = (1 << 64) - 1
LOCAL_APPLY_THREAD = (1 << 64) - 2

#: A logger: a ``logging.Logger``, or a callable ``(level: LogLevel, text: str) -> None``.
Logger = Union[logging.Logger, Callable[[int, str], Any]]

_INT_MAX_HALF = (2**31 - 1) // 2


class Peer:
    """A member for :meth:`RawNode.bootstrap` (etcd's raft.Peer): ``id`` and an opaque
    ``context`` stored in its ConfChangeAddNode entry. Immutable and hashable (a set or dict
    key), equal to the Peers with the same id and context."""

    __slots__ = ("id", "context")
    id: int
    context: bytes

    def __init__(self, id: int, context: bytes = b"") -> None:  # noqa: A002 (etcd's name)
        object.__setattr__(self, "id", as_u64("Peer.id", id))
        object.__setattr__(self, "context", as_bytes("Peer.context", context))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Peer is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Peer is immutable")

    def __hash__(self) -> int:
        return hash((self.id, self.context))

    def __repr__(self) -> str:
        return "Peer(id=%d, context=%r)" % (self.id, self.context)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Peer) and (self.id, self.context) == (other.id, other.context)


class Config:
    """etcd's raft.Config.

    Defaults: ``election_tick=10``, ``heartbeat_tick=1``, ``applied=0``,
    ``max_size_per_msg=NO_LIMIT``, ``max_committed_size_per_ready=0`` (= max_size_per_msg),
    ``max_uncommitted_entries_size=0`` (no limit), ``max_inflight_msgs=256``,
    ``max_inflight_bytes=0`` (no limit), all booleans false, ``read_only_option=SAFE``.
    ``storage`` (a :class:`pyraftc.MemoryStorage` or :class:`pyraftc.Storage` subclass) is
    required. ``logger`` is a ``logging.Logger`` (default: ``logging.getLogger("pyraftc")``) or
    a callable ``(level, text)``; raft's log lines use etcd's texts. ``rand_seed`` seeds the
    election-timeout randomisation (0 = library default).

    Types are checked on construction (TypeError/ValueError); :meth:`validate` has the C
    library apply etcd's rules and raises :class:`pyraftc.ConfigError` with etcd's texts (as
    RawNode does).
    """

    id: int
    election_tick: int
    heartbeat_tick: int
    applied: int
    max_size_per_msg: int
    max_committed_size_per_ready: int
    max_uncommitted_entries_size: int
    max_inflight_msgs: int
    max_inflight_bytes: int
    rand_seed: int
    check_quorum: bool
    pre_vote: bool
    disable_proposal_forwarding: bool
    disable_conf_change_validation: bool
    step_down_on_removal: bool
    async_storage_writes: bool
    read_only_option: ReadOnlyOption
    logger: Optional[Logger]
    storage: Any

    _U64_FIELDS = ("id", "election_tick", "heartbeat_tick", "applied", "max_size_per_msg",
                   "max_committed_size_per_ready", "max_uncommitted_entries_size",
                   "max_inflight_msgs", "max_inflight_bytes", "rand_seed")
    _BOOL_FIELDS = ("check_quorum", "pre_vote", "disable_proposal_forwarding",
                    "disable_conf_change_validation", "step_down_on_removal",
                    "async_storage_writes")

    def __init__(self, *, id: int = 0, election_tick: int = 10,  # noqa: A002
                 heartbeat_tick: int = 1, storage: Any = None, applied: int = 0,
                 max_size_per_msg: int = NO_LIMIT, max_committed_size_per_ready: int = 0,
                 max_uncommitted_entries_size: int = 0, max_inflight_msgs: int = 256,
                 max_inflight_bytes: int = 0, check_quorum: bool = False,
                 pre_vote: bool = False,
                 read_only_option: Union[ReadOnlyOption, int] = ReadOnlyOption.SAFE,
                 disable_proposal_forwarding: bool = False,
                 disable_conf_change_validation: bool = False,
                 step_down_on_removal: bool = False, async_storage_writes: bool = False,
                 logger: Optional[Logger] = None, rand_seed: int = 0) -> None:
        values = dict(locals())
        for name in self._U64_FIELDS:
            setattr(self, name, as_u64(name, values[name]))
        for name in self._BOOL_FIELDS:
            v = values[name]
            if not isinstance(v, bool):
                raise TypeError("%s must be a bool, not %s" % (name, type(v).__name__))
            setattr(self, name, v)
        for name in ("election_tick", "heartbeat_tick"):
            if getattr(self, name) > _INT_MAX_HALF:
                raise ValueError("%s is too large (max %d)" % (name, _INT_MAX_HALF))
        if self.max_inflight_msgs > 2**31 - 1:
            raise ValueError("max_inflight_msgs is too large (max %d)" % (2**31 - 1))
        try:
            self.read_only_option = ReadOnlyOption(read_only_option)
        except ValueError:
            raise ValueError("invalid read_only_option %r" % (read_only_option,)) from None
        if logger is not None and not isinstance(logger, logging.Logger) and not callable(logger):
            raise TypeError("logger must be a logging.Logger or a callable(level, text)")
        self.logger = logger
        if storage is not None:
            from .storage import Storage  # circular at import time
            if not isinstance(storage, Storage):
                raise TypeError("storage must be a pyraftc.Storage (e.g. MemoryStorage), not %s"
                                % type(storage).__name__)
        self.storage = storage

    def validate(self) -> None:
        """etcd's Config.validate(), done by the C library itself: raises ConfigError with
        its (etcd's) text for the first problem. (RawNode validates the same way.)"""
        cfg = self._c_config()
        ms: Any = None
        if self.storage is not None:  # any storage will do: the check never reads it
            pp = ffi.new("raftc_memstorage **")
            check(lib.raftc_memstorage_new(pp))
            ms = ffi.gc(pp[0], lib.raftc_memstorage_free)
            check(lib.raftc_config_set_memstorage(cfg, ms))
        nodepp = ffi.new("raftc_node **")
        errp = ffi.new("const char **")
        rc = lib.raftc_node_new(nodepp, errp, cfg)
        lib.raftc_node_free(nodepp[0])
        if rc < 0:
            raise error_for_code(rc, c_string(errp[0]) if errp[0] != ffi.NULL else "")

    def _c_config(self) -> Any:
        """A raftc_config with these options (no storage, no logger; freed when collected)."""
        pp = ffi.new("raftc_config **")
        check(lib.raftc_config_new(pp))
        cfg = ffi.gc(pp[0], lib.raftc_config_free)
        opts = (
            (lib.RAFTC_OPT_ID, self.id), (lib.RAFTC_OPT_ELECTION_TICK, self.election_tick),
            (lib.RAFTC_OPT_HEARTBEAT_TICK, self.heartbeat_tick),
            (lib.RAFTC_OPT_APPLIED, self.applied),
            (lib.RAFTC_OPT_MAX_SIZE_PER_MSG, self.max_size_per_msg),
            (lib.RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY, self.max_committed_size_per_ready),
            (lib.RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE, self.max_uncommitted_entries_size),
            (lib.RAFTC_OPT_MAX_INFLIGHT_MSGS, self.max_inflight_msgs),
            (lib.RAFTC_OPT_MAX_INFLIGHT_BYTES, self.max_inflight_bytes),
            (lib.RAFTC_OPT_READ_ONLY_OPTION, int(self.read_only_option)),
            (lib.RAFTC_OPT_CHECK_QUORUM, self.check_quorum),
            (lib.RAFTC_OPT_PRE_VOTE, self.pre_vote),
            (lib.RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING, self.disable_proposal_forwarding),
            (lib.RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION, self.disable_conf_change_validation),
            (lib.RAFTC_OPT_STEP_DOWN_ON_REMOVAL, self.step_down_on_removal),
            (lib.RAFTC_OPT_ASYNC_STORAGE_WRITES, self.async_storage_writes),
        )
        for opt, value in opts:
            check(lib.raftc_config_set_u64(cfg, opt, int(value)))
        if self.rand_seed:
            check(lib.raftc_config_set_u64(cfg, lib.RAFTC_OPT_RAND_SEED, self.rand_seed))
        return cfg

    def __repr__(self) -> str:
        fields = ", ".join("%s=%r" % (k, getattr(self, k))
                           for k in self._U64_FIELDS + self._BOOL_FIELDS)
        return "Config(%s, read_only_option=%s)" % (fields, self.read_only_option.name)
