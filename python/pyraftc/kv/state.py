# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# state.py: raftc-kv's replicated state machine: the key-value map and the member list, built
# by applying committed entries (kvpb.Command, conf changes) and restored from raft snapshots
# (kvpb.Snapshot).
"""The replicated state of raftc-kv: keys, values and members."""
from typing import Dict, Iterable, NamedTuple, Optional

from .. import raftpb
from . import kvpb_pb2 as kvpb

__all__ = ["Member", "State"]


class Member(NamedTuple):
    """A cluster member as the replicated state knows it."""

    url: str
    learner: bool


class State:
    """The key-value map and the members, as of index ``applied``.

    Every node that applies the same log holds the same State. Members follow the ConfState
    raft returns for each conf change (so a change raft ignores changes nothing here); their
    URLs come from the conf changes' context.
    """

    def __init__(self) -> None:
        self.kv: Dict[bytes, bytes] = {}
        self.members: Dict[int, Member] = {}
        self.applied = 0

    # -- normal entries ------------------------------------------------------------------

    def apply_command(self, cmd: kvpb.Command) -> None:
        """Applies one PUT or DELETE (an unknown op changes nothing)."""
        if cmd.op == kvpb.Command.PUT:
            self.kv[cmd.key] = cmd.value
        elif cmd.op == kvpb.Command.DELETE:
            self.kv.pop(cmd.key, None)

    # -- membership ----------------------------------------------------------------------

    def apply_conf_state(self, cs: raftpb.ConfState, urls: Dict[int, str]) -> None:
        """Makes the members those of cs (voters, outgoing voters and learners), taking the
        URL of a new member from urls (the conf change's context)."""
        learners = set(cs.learners) | set(cs.learners_next)
        ids = set(cs.voters) | set(cs.voters_outgoing) | learners
        members: Dict[int, Member] = {}
        for i in sorted(ids):
            old = self.members.get(i)
            url = urls.get(i) or (old.url if old is not None else "")
            members[i] = Member(url, i in learners and i not in cs.voters)
        self.members = members

    def voters(self) -> Dict[int, str]:
        """{id: url} of the voters."""
        return {i: m.url for i, m in self.members.items() if not m.learner}

    def learners(self) -> Dict[int, str]:
        """{id: url} of the learners."""
        return {i: m.url for i, m in self.members.items() if m.learner}

    # -- snapshots -----------------------------------------------------------------------

    def snapshot_data(self) -> bytes:
        """The whole state as kvpb.Snapshot bytes (pairs sorted by key, members by id)."""
        kv, members = self.kv, self.members
        snap = kvpb.Snapshot(
            pairs=[kvpb.Pair(key=k, value=kv[k]) for k in sorted(kv)],
            members=[kvpb.Member(id=i, url=members[i].url, learner=members[i].learner)
                     for i in sorted(members)])
        return snap.SerializeToString()

    def restore(self, data: bytes, index: int) -> None:
        """Replaces the state with a snapshot's (kvpb.Snapshot bytes) taken at index. Raises
        the protobuf DecodeError for malformed data, leaving the state unchanged."""
        snap = kvpb.Snapshot.FromString(data)
        self.kv = {p.key: p.value for p in snap.pairs}
        self.members = {m.id: Member(m.url, m.learner) for m in snap.members}
        self.applied = index

    def get(self, key: bytes) -> Optional[bytes]:
        """The value of key, or None."""
        return self.kv.get(key)


def conf_change_urls(entry: raftpb.Entry) -> Dict[int, str]:
    """{node id: URL} for the nodes a conf-change entry adds (its context, decoded as UTF-8;
    invalid UTF-8 gives "")."""
    if entry.type == raftpb.EntryConfChange:
        cc = raftpb.ConfChange.FromString(entry.data)
        nodes: Iterable[int] = [cc.node_id] if cc.type != raftpb.ConfChangeRemoveNode else []
        ctx = cc.context
    else:
        v2 = raftpb.ConfChangeV2.FromString(entry.data)
        nodes = [c.node_id for c in v2.changes if c.type != raftpb.ConfChangeRemoveNode]
        ctx = v2.context
    try:
        url = ctx.decode("utf-8")
    except UnicodeDecodeError:
        url = ""
    return {n: url for n in nodes} if url else {}
