# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# helpers.py: shared test helpers: an in-process cluster driver and a pure-Python Storage.
"""Test helpers for pyraftc (not a test module)."""
import os
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import pyraftc
from pyraftc import raftpb

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def quiet(level: int, text: str) -> None:
    """A logger that discards raft's log lines."""


class ListStorage(pyraftc.Storage):
    """etcd's MemoryStorage semantics in pure Python (entries[0] is the dummy entry at the
    snapshot index), used to exercise the Python Storage callback path."""

    def __init__(self) -> None:
        self.hard_state = raftpb.HardState()
        self.snap = raftpb.Snapshot()
        self.ents: List[raftpb.Entry] = [raftpb.Entry()]
        self.calls: Dict[str, int] = {}

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    # Storage interface
    def initial_state(self) -> Tuple[raftpb.HardState, raftpb.ConfState]:
        self._count("initial_state")
        return self.hard_state, self.snap.metadata.conf_state

    def first_index(self) -> int:
        self._count("first_index")
        return self.ents[0].index + 1

    def last_index(self) -> int:
        self._count("last_index")
        return self.ents[0].index + len(self.ents) - 1

    def term(self, i: int) -> int:
        self._count("term")
        off = self.ents[0].index
        if i < off:
            raise pyraftc.CompactedError("requested index is unavailable due to compaction")
        if i - off >= len(self.ents):
            raise pyraftc.UnavailableError("requested entry at index is unavailable")
        return self.ents[i - off].term

    def entries(self, lo: int, hi: int, max_size: int) -> List[raftpb.Entry]:
        self._count("entries")
        off = self.ents[0].index
        if lo <= off:
            raise pyraftc.CompactedError("requested index is unavailable due to compaction")
        if hi > off + len(self.ents):
            raise pyraftc.UnavailableError("requested entry at index is unavailable")
        return self.ents[lo - off:hi - off]

    def snapshot(self) -> raftpb.Snapshot:
        self._count("snapshot")
        return self.snap

    # writes (same names as MemoryStorage)
    def set_hard_state(self, hs: raftpb.HardState) -> None:
        self.hard_state = raftpb.HardState()
        self.hard_state.CopyFrom(hs)

    def apply_snapshot(self, snap: raftpb.Snapshot) -> None:
        if snap.metadata.index <= self.snap.metadata.index:
            raise pyraftc.SnapshotOutOfDateError("requested index is older than the existing snapshot")
        self.snap = snap
        self.ents = [raftpb.Entry(term=snap.metadata.term, index=snap.metadata.index)]

    def append(self, entries: Sequence[raftpb.Entry]) -> None:
        entries = [e if isinstance(e, raftpb.Entry) else raftpb.Entry.FromString(e)
                   for e in entries]
        if not entries:
            return
        first = self.ents[0].index + 1
        last = entries[0].index + len(entries) - 1
        if last < first:
            return
        if first > entries[0].index:
            entries = entries[first - entries[0].index:]
        offset = entries[0].index - self.ents[0].index
        if len(self.ents) > offset:
            self.ents = self.ents[:offset] + list(entries)
        elif len(self.ents) == offset:
            self.ents.extend(entries)
        else:
            raise AssertionError("missing log entry")

    def compact(self, i: int) -> None:
        off = self.ents[0].index
        if i <= off:
            raise pyraftc.CompactedError("requested index is unavailable due to compaction")
        e = self.ents[i - off]
        self.ents = [raftpb.Entry(term=e.term, index=e.index)] + self.ents[i - off + 1:]


class Cluster:
    """An in-process cluster: nodes 1..n over a storage factory, a FIFO network of raftpb
    bytes, and per-node applied data."""

    def __init__(self, ids: Sequence[int], storage_factory: Callable[[], object] = None,
                 bootstrap: bool = True, **cfg: object) -> None:
        self.storage_factory = storage_factory or pyraftc.MemoryStorage
        self.cfg = dict(election_tick=10, heartbeat_tick=1, logger=quiet)
        self.cfg.update(cfg)
        self.ids = list(ids)
        self.storages: Dict[int, object] = {}
        self.nodes: Dict[int, pyraftc.RawNode] = {}
        self.applied: Dict[int, List[bytes]] = {}
        self.conf: Dict[int, raftpb.ConfState] = {}
        self.queue: List[Tuple[int, bytes]] = []
        self.dropped = set()
        for i in self.ids:
            self.add(i, bootstrap=bootstrap)

    def add(self, i: int, bootstrap: bool = False, storage: Optional[object] = None,
            applied: int = 0) -> pyraftc.RawNode:
        st = storage if storage is not None else self.storage_factory()
        self.storages[i] = st
        self.applied.setdefault(i, [])
        node = pyraftc.RawNode(pyraftc.Config(id=i, storage=st, applied=applied, rand_seed=i,
                                              **self.cfg))
        if bootstrap:
            node.bootstrap([pyraftc.Peer(id=p) for p in self.ids])
        self.nodes[i] = node
        return node

    def process(self, i: int) -> bool:
        node, st = self.nodes[i], self.storages[i]
        if not node.has_ready():
            return False
        rd = node.ready()
        if rd.snapshot is not None:
            st.apply_snapshot(rd.snapshot)
            self.conf[i] = rd.snapshot.metadata.conf_state
        if rd.hard_state is not None:
            st.set_hard_state(rd.hard_state)
        st.append(rd.entries)
        for m, b in zip(rd.messages, rd.message_bytes):
            self.queue.append((m.to, b))
        for e in rd.committed_entries:
            if e.type == raftpb.EntryNormal:
                if e.data:
                    self.applied[i].append(e.data)
            else:
                self.conf[i] = node.apply_conf_change_entry(e)
        node.advance()
        return True

    def deliver(self) -> bool:
        batch, self.queue = self.queue, []
        for to, b in batch:
            if to in self.dropped or to not in self.nodes:
                continue
            m = raftpb.Message.FromString(b)
            if getattr(m, "from") in self.dropped:
                continue
            try:
                self.nodes[to].step(b)
            except pyraftc.StepPeerNotFoundError:
                continue
            if m.type == raftpb.MsgSnap:
                self.nodes[getattr(m, "from")].report_snapshot(to, pyraftc.SnapshotStatus.FINISH)
        return bool(batch)

    def stabilize(self, limit: int = 1000) -> None:
        for _ in range(limit):
            busy = False
            for i in list(self.nodes):
                busy |= self.process(i)
            busy |= self.deliver()
            if not busy:
                return
        raise AssertionError("cluster did not stabilize")

    def tick(self, times: int = 1) -> None:
        for _ in range(times):
            for n in self.nodes.values():
                n.tick()
            self.stabilize()

    def elect(self, i: int) -> None:
        self.stabilize()
        self.nodes[i].campaign()
        self.stabilize()
        assert self.leader() == i

    def leader(self) -> int:
        for i, n in self.nodes.items():
            if i not in self.dropped and n.basic_status().raft_state == pyraftc.StateType.LEADER:
                return i
        return 0

    def close(self) -> None:
        for n in self.nodes.values():
            n.close()
