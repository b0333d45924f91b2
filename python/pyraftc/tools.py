# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# tools.py: etcd's quorum arithmetic and a standalone configuration changer (raftc.h "Tools").
"""Quorum functions (etcd's quorum package) and :class:`Changer` (etcd's confchange package),
for tests and tools that replay etcd's rules without a node."""
import enum
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from . import raftpb_pb2 as pb
from ._codec import encode
from ._ffi import Sink, c_string, ffi, lib, raise_code, take_string
from .errors import ConfChangeError, StateError

__all__ = ["VoteResult", "INDEX_INF", "committed_index", "vote_result", "describe_quorum",
           "Changer"]

#: Committed index of a configuration without voters (etcd prints it as "∞").
INDEX_INF = (1 << 64) - 1


class VoteResult(enum.IntEnum):
    """etcd's quorum.VoteResult."""

    PENDING = 1
    LOST = 2
    WON = 3

    def __str__(self) -> str:
        return c_string(lib.raftc_vote_result_name(int(self)))


def _ids(ids: Sequence[int]) -> Tuple[object, int]:
    ids = list(ids)
    return (ffi.new("uint64_t[]", ids) if ids else ffi.NULL), len(ids)


def _check(rc: int) -> None:
    if rc < 0:
        raise_code(rc)


def committed_index(incoming: Sequence[int], outgoing: Sequence[int],
                    acked: Dict[int, int]) -> int:
    """etcd's JointConfig.CommittedIndex (INDEX_INF when both halves are empty)."""
    inc, n_inc = _ids(incoming)
    out, n_out = _ids(outgoing)
    a_ids, n_a = _ids(list(acked.keys()))
    a_idx, _ = _ids(list(acked.values()))
    res = ffi.new("uint64_t *")
    _check(lib.raftc_quorum_committed(res, inc, n_inc, out, n_out, a_ids, a_idx, n_a))
    return int(res[0])


def describe_quorum(incoming: Sequence[int], outgoing: Sequence[int],
                    acked: Dict[int, int]) -> str:
    """etcd's JointConfig.Describe bar chart of acked indexes."""
    inc, n_inc = _ids(incoming)
    out, n_out = _ids(outgoing)
    a_ids, n_a = _ids(list(acked.keys()))
    a_idx, _ = _ids(list(acked.values()))
    sp = ffi.new("char **")
    _check(lib.raftc_quorum_describe(sp, inc, n_inc, out, n_out, a_ids, a_idx, n_a))
    return take_string(sp)


def vote_result(incoming: Sequence[int], outgoing: Sequence[int],
                votes: Dict[int, bool]) -> VoteResult:
    """etcd's JointConfig.VoteResult (voters missing from votes have not voted)."""
    inc, n_inc = _ids(incoming)
    out, n_out = _ids(outgoing)
    v_ids, n_v = _ids(list(votes.keys()))
    granted = ffi.new("int[]", [1 if v else 0 for v in votes.values()]) if n_v else ffi.NULL
    res = ffi.new("raftc_vote_result *")
    _check(lib.raftc_quorum_vote_result(res, inc, n_inc, out, n_out, v_ids, granted, n_v))
    return VoteResult(res[0])


Change = Tuple[int, int]  # (raftpb.ConfChangeType, node id)


class Changer:
    """etcd's confchange.Changer over a private, initially empty tracker. Refused changes
    raise ConfChangeError with etcd's text and leave the tracker unchanged."""

    def __init__(self, max_inflight: int = 256, max_inflight_bytes: int = 0) -> None:
        pp = ffi.new("raftc_changer **")
        _check(lib.raftc_changer_new(pp, max_inflight, max_inflight_bytes))
        self._handle: Any = ffi.gc(pp[0], lib.raftc_changer_free)

    @property
    def _ch(self) -> Any:
        ch = self._handle
        if ch is None:
            raise StateError("changer is closed")
        return ch

    def close(self) -> None:
        """Frees the C changer (idempotent); later calls raise StateError."""
        ch, self._handle = self._handle, None
        if ch is not None:
            ffi.release(ch)

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._handle is None

    def __enter__(self) -> "Changer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def set_last_index(self, last_index: int) -> None:
        """Progresses created from now on start at next = max(last_index, 1)."""
        _check(lib.raftc_changer_set_last_index(self._ch, last_index))

    def _changed(self, rc: int) -> None:
        if rc == lib.RAFTC_ECONFCHANGE:
            raise ConfChangeError(c_string(lib.raftc_changer_last_error(self._ch)))
        _check(rc)

    @staticmethod
    def _changes(changes: Sequence[Change]) -> Tuple[object, object, int]:
        changes = list(changes)
        if not changes:
            return ffi.NULL, ffi.NULL, 0
        types = ffi.new("raftc_cc_type[]", [int(t) for t, _ in changes])
        ids = ffi.new("uint64_t[]", [i for _, i in changes])
        return types, ids, len(changes)

    def simple(self, changes: Sequence[Change]) -> None:
        """etcd's Changer.Simple."""
        self._changed(lib.raftc_changer_simple(self._ch, *self._changes(changes)))

    def enter_joint(self, auto_leave: bool, changes: Sequence[Change]) -> None:
        """etcd's Changer.EnterJoint."""
        t, i, n = self._changes(changes)
        self._changed(lib.raftc_changer_enter_joint(self._ch, 1 if auto_leave else 0, t, i, n))

    def leave_joint(self) -> None:
        """etcd's Changer.LeaveJoint."""
        self._changed(lib.raftc_changer_leave_joint(self._ch))

    def restore(self, conf_state: Union[pb.ConfState, bytes]) -> None:
        """etcd's confchange.Restore (meant for a fresh changer)."""
        b = encode("conf_state", conf_state, pb.ConfState)
        self._changed(lib.raftc_changer_restore(self._ch, b, len(b)))

    def describe(self) -> str:
        """etcd's Config.String() + "\\n" + ProgressMap.String()."""
        sp = ffi.new("char **")
        _check(lib.raftc_changer_describe(sp, self._ch))
        return take_string(sp)

    def conf_state(self) -> pb.ConfState:
        """The configuration as a raftpb.ConfState."""
        sink = Sink()
        _check(lib.raftc_changer_conf_state(sink.ptr, self._ch))
        return pb.ConfState.FromString(sink.first())

    @property
    def last_error(self) -> Optional[str]:
        """Text of the last refused change, or None."""
        t = c_string(lib.raftc_changer_last_error(self._ch))
        return t or None
