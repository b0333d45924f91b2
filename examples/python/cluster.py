#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# cluster.py: a runnable three-node raft cluster in one process with pyraftc: each node has a
# MemoryStorage and a tiny key-value state machine; messages travel as raftpb bytes over an
# in-memory "network". The leader is elected, writes replicate, the leader is cut off, the
# others elect a new leader, the partition heals and every node ends with the same data.
#
#   python examples/python/cluster.py [--verbose]
"""A three-node raft cluster in one process with pyraftc: election, replication, a partition
that forces a new leader, and the heal after which every node holds the same data. Exit
status 0 when all nodes agree."""
import argparse
import logging
import sys
from typing import Dict, List, Set, Tuple

import pyraftc
from pyraftc import raftpb


class Member:
    """One cluster member: a RawNode, its storage and its key-value state machine."""

    def __init__(self, node_id: int, peers: List[int]) -> None:
        self.id = node_id
        self.storage = pyraftc.MemoryStorage()
        self.node = pyraftc.RawNode(pyraftc.Config(
            id=node_id, election_tick=10, heartbeat_tick=1, storage=self.storage,
            max_size_per_msg=1 << 20, max_inflight_msgs=256, check_quorum=True, pre_vote=True,
            rand_seed=node_id, logger=logging.getLogger("raft.%d" % node_id)))
        self.node.bootstrap([pyraftc.Peer(id=p) for p in peers])
        self.kv: Dict[str, str] = {}

    def handle_ready(self, network: "Network") -> None:
        """The Ready loop body: persist, send, apply, advance."""
        while self.node.has_ready():
            rd = self.node.ready()
            if rd.snapshot is not None:
                self.storage.apply_snapshot(rd.snapshot)
            if rd.hard_state is not None:
                self.storage.set_hard_state(rd.hard_state)
            self.storage.append(rd.entry_bytes)
            for m, b in zip(rd.messages, rd.message_bytes):
                network.send(self.id, m.to, b)
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal and e.data:
                    key, _, value = e.data.decode().partition("=")
                    self.kv[key] = value
                elif e.type in (raftpb.EntryConfChange, raftpb.EntryConfChangeV2):
                    self.node.apply_conf_change_entry(e)
            self.node.advance()


class Network:
    """Delivers raftpb message bytes between members, unless a link is cut."""

    def __init__(self) -> None:
        self.members: Dict[int, Member] = {}
        self.queue: List[Tuple[int, int, bytes]] = []
        self.isolated: Set[int] = set()

    def send(self, frm: int, to: int, data: bytes) -> None:
        """Queues message bytes from frm to to."""
        self.queue.append((frm, to, data))

    def deliver(self) -> int:
        """Steps every queued message into its recipient (dropping those over a cut link);
        returns how many there were."""
        batch, self.queue = self.queue, []
        for frm, to, data in batch:
            if frm in self.isolated or to in self.isolated:
                continue  # dropped
            try:
                self.members[to].node.step(data)
            except pyraftc.StepPeerNotFoundError:
                pass
        return len(batch)

    def run(self, ticks: int = 0) -> None:
        """Ticks every member `ticks` times, processing Readys and messages in between."""
        for _ in range(max(ticks, 1)):
            if ticks:
                for m in self.members.values():
                    m.node.tick()
            while True:
                for m in self.members.values():
                    m.handle_ready(self)
                if not self.deliver():
                    break

    def leader(self) -> int:
        """The id of a reachable member that leads, or 0."""
        for m in self.members.values():
            if m.id not in self.isolated and m.node.basic_status().raft_state == \
                    pyraftc.StateType.LEADER:
                return m.id
        return 0


def main() -> int:
    """Runs the demo; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--verbose", action="store_true", help="print raft's log lines")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR,
                        format="%(name)s %(levelname)s %(message)s")

    ids = [1, 2, 3]
    net = Network()
    for i in ids:
        net.members[i] = Member(i, ids)

    net.run()  # apply the bootstrap configuration first
    net.members[1].node.campaign()
    net.run()
    lead = net.leader()
    print("leader elected: node %d" % lead)

    for k in range(5):
        net.members[lead].node.propose(("key%d=value%d" % (k, k)).encode())
    net.run()
    print("replicated 5 writes: %s" % sorted(net.members[2].kv.items()))

    print("isolating node %d" % lead)
    net.isolated.add(lead)
    new_lead = 0
    for _ in range(100):
        net.run(ticks=1)
        new_lead = net.leader()
        if new_lead and new_lead != lead:
            break
    if not new_lead or new_lead == lead:
        print("no new leader after 100 ticks")
        return 1
    print("new leader: node %d" % new_lead)
    net.members[new_lead].node.propose(b"after=partition")
    net.run()

    print("healing the partition")
    net.isolated.clear()
    net.run(ticks=30)

    ok = all(m.kv == net.members[new_lead].kv for m in net.members.values())
    for m in net.members.values():
        st = m.node.status()
        print("node %d: %-16s term=%d commit=%d applied=%d keys=%d" % (
            m.id, st.raft_state, st.hard_state.term, st.hard_state.commit, st.applied,
            len(m.kv)))
    print("all nodes agree" if ok else "NODES DISAGREE")
    for m in net.members.values():
        m.node.close()
    return 0 if ok and net.members[lead].kv.get("after") == "partition" else 1


if __name__ == "__main__":
    sys.exit(main())
