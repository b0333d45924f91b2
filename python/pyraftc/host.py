# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# host.py: pyraftc.Host, a multi-raft host (raftc_host_*): many raft groups of one node in one
# process, one Ready per host, one envelope per destination node (docs/multiraft.md).
"""The multi-raft host: :class:`Host` and its :class:`HostReady`."""
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ._ffi import as_bytes, as_u64, c_string, ffi, lib, view
from .config import Config
from .enums import StateType
from .errors import error_for_code

__all__ = ["Host", "HostReady", "GroupReady", "HostEntry"]

_INFO_NAMES = ("node_id", "groups", "awake", "quiesced", "woken", "dropped", "envelopes",
               "heartbeats")


class HostEntry(NamedTuple):
    """One entry of a group's Ready: term, index, type (raftpb EntryType) and data."""

    term: int
    index: int  # type: ignore[assignment]  # etcd's name; shadows tuple.index
    type: int
    data: bytes


class GroupReady(NamedTuple):
    """The Ready of one group of a host Ready: what to persist (``entries``, ``hard_state``
    as raftpb bytes or None, ``snapshot`` as raftpb bytes or None) and what to apply
    (``committed_entries``). Its messages travel in the host Ready's envelopes."""

    group: int
    entries: List[HostEntry]
    hard_state: Optional[bytes]
    snapshot: Optional[bytes]
    committed_entries: List[HostEntry]


class HostReady(NamedTuple):
    """A host Ready: the Readys of the groups with work, and ``envelopes``: one
    ``(to, bytes)`` per destination node (multiraftpb.Envelope, to pass to that node's
    :meth:`Host.step`)."""

    groups: List[GroupReady]
    envelopes: List[Tuple[int, bytes]]


def _free_host(ptr: Any) -> None:
    lib.raftc_host_free(ptr)


class Host:
    """Many raft groups of node ``node_id``, with the options of ``config`` (its id and
    storage are ignored: each group's log lives in the host). With ``quiesce``, idle groups
    stop ticking until a proposal or a message wakes them.

    Loop: :meth:`tick` on the clock, :meth:`step` for each envelope received,
    :meth:`propose`; then while :meth:`has_ready`: ``rd = ready()``, persist every group's
    entries and hard state (one write for all), send ``rd.envelopes``, apply
    ``committed_entries``, :meth:`advance`."""

    def __init__(self, config: Config, node_id: int, *, quiesce: bool = False) -> None:
        if not isinstance(config, Config):
            raise TypeError("Host(config, node_id) needs a pyraftc.Config, not %s"
                            % type(config).__name__)
        self.node_id = as_u64("node_id", node_id)
        pp = ffi.new("raftc_host **")
        rc = lib.raftc_host_new(pp, config._c_config(), self.node_id)
        if rc < 0:
            raise error_for_code(rc, "raftc_host_new")
        self._h = ffi.gc(pp[0], _free_host)
        self._batch = ffi.new("raftc_batch **")
        self._rd = ffi.new("raftc_ready **")
        self._u64 = ffi.new("uint64_t *")
        self._u64b = ffi.new("uint64_t *")
        self._p = ffi.new("const uint8_t **")
        self._n = ffi.new("size_t *")
        self._etype = ffi.new("raftc_entry_type *")
        self._rd_info = ffi.new("uint64_t[]", lib.RAFTC_RD_COUNT)
        if quiesce:
            self.set_quiesce(True)

    def _check(self, rc: int) -> None:
        if rc < 0:
            raise error_for_code(rc, c_string(lib.raftc_host_last_error(self._h)))

    def close(self) -> None:
        """Frees the host and its groups now (later calls raise)."""
        if self._h is not None:
            ffi.release(self._h)
            self._h = None

    def set_quiesce(self, enabled: bool) -> None:
        """Turns quiescence on or off (off wakes every group). ConfigError with lease-based
        reads."""
        self._check(lib.raftc_host_set_quiesce(self._h, 1 if enabled else 0))

    # -- groups --

    def add_group(self, group: int, voters: Sequence[int] = ()) -> None:
        """Creates a group, bootstrapped with ``voters`` (node ids; empty: it waits to be
        added to a group that exists elsewhere)."""
        ids = [as_u64("voter", v) for v in voters]
        arr = ffi.new("uint64_t[]", ids) if ids else ffi.NULL
        self._check(lib.raftc_host_add_group(self._h, as_u64("group", group), arr, len(ids)))

    def remove_group(self, group: int) -> None:
        """Removes a group and its log (NotFoundError when absent)."""
        self._check(lib.raftc_host_remove_group(self._h, as_u64("group", group)))

    def apply_conf_change(self, group: int, entry: HostEntry) -> None:
        """Applies a committed conf change entry (EntryConfChange or EntryConfChangeV2) of a
        group, as etcd's ApplyConfChange: call it for such ``committed_entries`` (a group
        loaded from a :class:`HostStore` replays its conf changes after its snapshot)."""
        kinds = {1: lib.RAFTC_CC_V1, 2: lib.RAFTC_CC_V2}
        if entry.type not in kinds:
            raise ValueError("entry %d is not a conf change" % entry.index)
        pp = ffi.new("raftc_node **")
        self._check(lib.raftc_host_group(pp, self._h, as_u64("group", group)))
        b = as_bytes("data", entry.data)
        rc = lib.raftc_node_apply_conf_change(ffi.NULL, pp[0], kinds[entry.type], b, len(b))
        if rc < 0:
            raise error_for_code(rc, c_string(lib.raftc_node_last_error(pp[0])))

    def compact(self, group: int, compact_index: int) -> None:
        """Discards a group's log before compact_index (as MemoryStorage.compact; with a
        HostStore, only up to the group's last snapshot)."""
        self._check(lib.raftc_host_compact(self._h, as_u64("group", group),
                                           as_u64("compact_index", compact_index)))

    def __len__(self) -> int:
        return int(lib.raftc_host_group_count(self._h))

    def __contains__(self, group: int) -> bool:
        pp = ffi.new("raftc_node **")
        return bool(lib.raftc_host_group(pp, self._h, as_u64("group", group)) == 0)

    def status(self, group: int) -> Tuple[int, int, StateType]:
        """``(term, lead, raft_state)`` of a group (NotFoundError when absent)."""
        pp = ffi.new("raftc_node **")
        self._check(lib.raftc_host_group(pp, self._h, as_u64("group", group)))
        info = ffi.new("uint64_t[]", lib.RAFTC_ST_COUNT)
        self._check(lib.raftc_node_status_info(info, lib.RAFTC_ST_COUNT, pp[0]))
        return (int(info[lib.RAFTC_ST_TERM]), int(info[lib.RAFTC_ST_LEAD]),
                StateType(int(info[lib.RAFTC_ST_RAFT_STATE])))

    def info(self) -> Dict[str, int]:
        """The host's counters: node_id, groups, awake, quiesced, woken, dropped, envelopes,
        heartbeats (docs/multiraft.md)."""
        arr = ffi.new("uint64_t[]", lib.RAFTC_HO_COUNT)
        self._check(lib.raftc_host_info(arr, lib.RAFTC_HO_COUNT, self._h))
        return {name: int(arr[i]) for i, name in enumerate(_INFO_NAMES)}

    # -- inputs --

    def tick(self) -> None:
        """One tick for every awake group."""
        self._check(lib.raftc_host_tick(self._h))

    def propose(self, group: int, data: bytes) -> None:
        """Proposes data in a group (ProposalDroppedError when raft drops it)."""
        b = as_bytes("data", data)
        self._check(lib.raftc_host_propose(self._h, as_u64("group", group), b, len(b)))

    def campaign(self, group: int) -> None:
        """Starts an election in a group now."""
        self._check(lib.raftc_host_campaign(self._h, as_u64("group", group)))

    def step(self, envelope: bytes) -> None:
        """Steps an envelope from another host (every part is stepped; the first group's
        error is raised afterwards)."""
        b = as_bytes("envelope", envelope)
        self._check(lib.raftc_host_step(self._h, b, len(b)))

    def wake_group(self, group: int) -> None:
        """Wakes a quiet group."""
        self._check(lib.raftc_host_wake_group(self._h, as_u64("group", group)))

    def wake_peer(self, node_id: int) -> None:
        """Wakes every quiet group led by node_id (the failure detector says it is down)."""
        self._check(lib.raftc_host_wake_peer(self._h, as_u64("node_id", node_id)))

    # -- Ready --

    def has_ready(self) -> bool:
        """Whether :meth:`ready` has something."""
        return bool(lib.raftc_host_has_ready(self._h))

    def _entries(self, rd: Any, n: int, committed: bool) -> List[HostEntry]:
        fn = lib.raftc_ready_committed_entry_info if committed else lib.raftc_ready_entry_info
        out = []
        for i in range(n):
            self._check(fn(self._u64, self._u64b, self._etype, self._p, self._n, rd, i))
            out.append(HostEntry(int(self._u64[0]), int(self._u64b[0]), int(self._etype[0]),
                                 view(self._p, self._n)))
        return out

    def _part(self, fn: Any, rd: Any) -> bytes:
        self._check(fn(self._p, self._n, rd))
        return view(self._p, self._n)

    def ready(self) -> HostReady:
        """Builds the host Ready (copied into Python objects); call :meth:`advance` after
        handling it."""
        self._check(lib.raftc_host_ready(self._batch, self._h))
        batch = self._batch[0]
        groups = []
        for k in range(int(lib.raftc_batch_group_count(batch))):
            self._check(lib.raftc_batch_group(self._u64, self._rd, batch, k))
            rd = self._rd[0]
            info = self._rd_info
            self._check(lib.raftc_ready_info(info, lib.RAFTC_RD_COUNT, rd))
            hs = (self._part(lib.raftc_ready_hard_state, rd)
                  if info[lib.RAFTC_RD_HAS_HARD_STATE] else None)
            snap = (self._part(lib.raftc_ready_snapshot, rd)
                    if info[lib.RAFTC_RD_HAS_SNAPSHOT] else None)
            groups.append(GroupReady(
                int(self._u64[0]),
                self._entries(rd, int(info[lib.RAFTC_RD_N_ENTRIES]), False), hs, snap,
                self._entries(rd, int(info[lib.RAFTC_RD_N_COMMITTED_ENTRIES]), True)))
        envelopes = []
        for k in range(int(lib.raftc_batch_envelope_count(batch))):
            self._check(lib.raftc_batch_envelope(self._u64, self._p, self._n, batch, k))
            envelopes.append((int(self._u64[0]), view(self._p, self._n)))
        return HostReady(groups, envelopes)

    def advance(self) -> None:
        """Advances every group of the last host Ready."""
        self._check(lib.raftc_host_advance(self._h))
