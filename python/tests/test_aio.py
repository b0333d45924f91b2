# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_aio.py: pyraftc.aio.Node: a three-node cluster on asyncio (election, replication,
# forwarding, linearizable read_index, leadership transfer, membership change), cancellation,
# stop, failure and the absence of a busy loop. Plain asyncio.run (no pytest plugin).
import asyncio
from typing import Awaitable, Callable, Dict, List, Optional, Set, TypeVar

import pytest

import pyraftc
from pyraftc import raftpb
from pyraftc.aio import Node
from helpers import ListStorage, quiet

T = TypeVar("T")
TIMEOUT = 20.0  # seconds; generous for a loaded 2-core CI machine
TICK = 0.01


def run(coro: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coro, TIMEOUT)
    return asyncio.run(bounded())


async def until(cond: Callable[[], bool], what: str) -> None:
    """Waits (sleeping, not spinning) until cond() holds."""
    for _ in range(int(TIMEOUT / 0.005)):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("timed out waiting for " + what)


class Member:
    """One node of an in-process cluster: its storage, its Ready loop and its inbox."""

    def __init__(self, cluster: "Cluster", id: int, peers: List[pyraftc.Peer],
                 tick: Optional[float], apply_delay: float = 0.0,
                 storage: Optional[pyraftc.Storage] = None) -> None:
        self.cluster = cluster
        self.id = id
        self.storage = storage if storage is not None else pyraftc.MemoryStorage()
        self.node = Node(pyraftc.Config(id=id, storage=self.storage, election_tick=10,
                                        heartbeat_tick=1, logger=quiet, rand_seed=id),
                         peers, tick_interval=tick)
        self.applied: List[bytes] = []
        self.conf_state = raftpb.ConfState()
        self.apply_delay = apply_delay
        self.inbox: "asyncio.Queue[bytes]" = asyncio.Queue()
        self.tasks = [asyncio.ensure_future(self.ready_loop()),
                      asyncio.ensure_future(self.receive_loop())]

    async def ready_loop(self) -> None:
        ms = self.storage
        async for rd in self.node:
            if isinstance(ms, pyraftc.MemoryStorage):
                if rd.snapshot is not None:
                    ms.apply_snapshot(rd.snapshot)
                ms.append(rd.entries)
                if rd.hard_state is not None:
                    ms.set_hard_state(rd.hard_state)
            else:
                ms.append(rd.entries)  # type: ignore[attr-defined]
                if rd.hard_state is not None:
                    ms.set_hard_state(rd.hard_state)  # type: ignore[attr-defined]
            for m, b in zip(rd.messages, rd.message_bytes):
                self.cluster.send(self.id, m.to, b)
            if self.apply_delay:
                await asyncio.sleep(self.apply_delay)  # a slow node
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal:
                    if e.data:
                        self.applied.append(e.data)
                else:
                    self.conf_state = self.node.apply_conf_change(e)
            self.node.advance()

    async def receive_loop(self) -> None:
        while True:
            b = await self.inbox.get()
            try:
                await self.node.step(b)
            except pyraftc.StepPeerNotFoundError:
                pass  # a late response from a removed peer
            except pyraftc.StoppedError:
                return

    def lead(self) -> int:
        return self.node.basic_status().lead

    def is_leader(self) -> bool:
        return self.node.basic_status().raft_state == pyraftc.StateType.LEADER


class Cluster:
    def __init__(self, n: int, tick: Optional[float] = TICK,
                 apply_delay: Optional[Dict[int, float]] = None) -> None:
        peers = [pyraftc.Peer(id=i) for i in range(1, n + 1)]
        self.cut: Set[frozenset] = set()  # type: ignore[type-arg]
        self.members: Dict[int, Member] = {}
        for i in range(1, n + 1):
            self.members[i] = Member(self, i, peers, tick, (apply_delay or {}).get(i, 0.0))

    def send(self, frm: int, to: int, b: bytes) -> None:
        if frozenset((frm, to)) in self.cut or to not in self.members:
            return
        self.members[to].inbox.put_nowait(b)

    def partition(self, a: int, b: int) -> None:
        self.cut.add(frozenset((a, b)))

    async def leader(self) -> Member:
        def one() -> bool:
            leads = [m for m in self.members.values() if m.is_leader()]
            return len(leads) == 1 and all(m.lead() == leads[0].id
                                           for m in self.members.values())
        await until(one, "a leader known to all")
        return next(m for m in self.members.values() if m.is_leader())

    async def stop(self) -> None:
        for m in self.members.values():
            await m.node.stop()
        for m in self.members.values():
            for t in m.tasks:
                t.cancel()
            await asyncio.gather(*m.tasks, return_exceptions=True)


def test_three_nodes_elect_replicate_and_forward() -> None:
    async def main() -> None:
        c = Cluster(3)
        try:
            lead = await c.leader()
            for i in range(30):
                await lead.node.propose(b"v%d" % i)
            follower = next(m for m in c.members.values() if m is not lead)
            await follower.node.propose(b"from-follower")  # forwarded to the leader
            want = [b"v%d" % i for i in range(30)] + [b"from-follower"]
            await until(lambda: all(m.applied == want for m in c.members.values()),
                        "every node applied every entry in order")
            st = lead.node.status()
            assert st.raft_state == pyraftc.StateType.LEADER
            assert sorted(st.progress) == [1, 2, 3]
        finally:
            await c.stop()
    run(main())


def test_read_index_waits_for_the_read_state_and_the_apply() -> None:
    # Follower 3 applies slowly: a read_index that returned on the ReadState alone would let
    # it read before it applied the write the leader already acknowledged.
    async def main() -> None:
        c = Cluster(3, apply_delay={3: 0.05})
        try:
            lead = await c.leader()
            slow = c.members[3]
            if slow is lead:
                await lead.node.transfer_leadership(1)
                await until(lambda: c.members[1].is_leader(), "node 1 leads")
                lead = await c.leader()
            for i in range(5):
                data = b"w%d" % i
                await lead.node.propose(data)
                await until(lambda: data in lead.applied, "the leader applied " + repr(data))
                idx = await slow.node.read_index()
                assert data in slow.applied, "read_index returned before the apply"
                assert idx >= lead.node.basic_status().hard_state.commit - 1
                assert slow.node.basic_status().applied >= idx
            # on the leader itself, with an explicit context
            idx = await lead.node.read_index(b"ctx")
            assert lead.node.basic_status().applied >= idx
            assert slow.node.pending_reads() == [] and lead.node.pending_reads() == []
        finally:
            await c.stop()
    run(main())


def test_transfer_leadership_and_remove_a_member() -> None:
    async def main() -> None:
        c = Cluster(3)
        try:
            lead = await c.leader()
            target = next(i for i in c.members if i != lead.id)
            await lead.node.transfer_leadership(target)
            await until(lambda: c.members[target].is_leader(), "the transferee leads")
            lead = await c.leader()
            gone = next(i for i in c.members if i != lead.id)
            await lead.node.propose_conf_change(raftpb.ConfChange(
                type=raftpb.ConfChangeRemoveNode, node_id=gone))
            await until(lambda: gone not in lead.conf_state.voters, "the removal applied")
            assert sorted(lead.conf_state.voters) == sorted(set(c.members) - {gone})
            await lead.node.propose(b"after-removal")
            stay = [m for i, m in c.members.items() if i != gone]
            await until(lambda: all(b"after-removal" in m.applied for m in stay),
                        "the remaining two commit")
        finally:
            await c.stop()
    run(main())


def test_read_index_without_leader_and_on_term_change_raises_proposal_dropped() -> None:
    async def main() -> None:
        c = Cluster(3)
        try:
            lead = await c.leader()
            follower = next(m for m in c.members.values() if m is not lead)
            other = next(m for m in c.members.values() if m not in (lead, follower))
            # Follower cut from everyone: its read is forwarded to the leader and never
            # answered; its election timeout then bumps the term, which drops the read.
            c.partition(follower.id, lead.id)
            c.partition(follower.id, other.id)
            with pytest.raises(pyraftc.ProposalDroppedError, match="term changed"):
                await follower.node.read_index()
            assert follower.node.pending_reads() == []
            await until(lambda: follower.lead() == 0, "the cut follower lost its leader")
            with pytest.raises(pyraftc.ProposalDroppedError, match="no leader"):
                await follower.node.read_index()
        finally:
            await c.stop()
    run(main())


def test_cancelled_read_index_and_ready_leave_no_trace() -> None:
    async def main() -> None:
        c = Cluster(3)
        try:
            lead = await c.leader()
            follower = next(m for m in c.members.values() if m is not lead)
            for other in c.members:
                if other != follower.id:
                    c.partition(follower.id, other)
            task = asyncio.ensure_future(follower.node.read_index(b"r1"))
            await until(lambda: follower.node.pending_reads() == [b"r1"], "the read pending")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert follower.node.pending_reads() == []
        finally:
            await c.stop()

        # A cancelled ready() takes nothing: the Ready it waited for comes next.
        st = pyraftc.MemoryStorage()
        node = Node(pyraftc.Config(id=1, storage=st, logger=quiet), [pyraftc.Peer(id=1)],
                    tick_interval=None)
        rd = await node.ready()  # the bootstrap entries
        st.append(rd.entries)
        node.apply_conf_change(rd.committed_entries[0])
        node.advance()
        waiter = asyncio.ensure_future(node.ready())
        await asyncio.sleep(0.01)
        assert not waiter.done()
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await node.campaign()
        rd = await node.ready()
        assert rd.soft_state is not None and rd.soft_state.raft_state == pyraftc.StateType.CANDIDATE
        assert rd.hard_state is not None and (rd.hard_state.term, rd.hard_state.vote) == (2, 1)
        await node.stop()
    run(main())


def test_stop_fails_pending_and_later_calls_and_ends_the_iterator() -> None:
    async def main() -> None:
        st = pyraftc.MemoryStorage()
        node = Node(pyraftc.Config(id=1, storage=st, logger=quiet), [pyraftc.Peer(id=1)],
                    tick_interval=0.01)
        seen: List[pyraftc.Ready] = []

        async def loop() -> None:
            async for rd in node:
                seen.append(rd)
                st.append(rd.entries)
                if rd.hard_state is not None:
                    st.set_hard_state(rd.hard_state)
                for e in rd.committed_entries:
                    if e.type != raftpb.EntryNormal:
                        node.apply_conf_change(e)
                node.advance()
        consumer = asyncio.ensure_future(loop())
        await until(lambda: node.basic_status().raft_state == pyraftc.StateType.LEADER,
                    "the single node elects itself on its ticks")
        await node.propose(b"x")
        assert await node.read_index() >= 2
        await node.stop()
        await asyncio.wait_for(consumer, 5)  # the iterator ended
        assert seen
        assert isinstance(node.error, pyraftc.StoppedError)
        for call in (node.propose(b"y"), node.read_index(), node.campaign(),
                     node.step(b"")):
            with pytest.raises(pyraftc.StoppedError, match="raft: stopped"):
                await call
        with pytest.raises(pyraftc.StoppedError):
            node.status()
        await node.stop()  # idempotent
        assert node.raw_node.closed

        # async with stops; a read pending at stop gets StoppedError
        async with Node(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=quiet),
                        [pyraftc.Peer(id=1)], tick_interval=None) as n2:
            assert n2.error is None
        assert isinstance(n2.error, pyraftc.StoppedError)
    run(main())


def test_read_pending_at_stop_gets_stopped_error() -> None:
    async def main() -> None:
        c = Cluster(3)
        lead = await c.leader()
        follower = next(m for m in c.members.values() if m is not lead)
        for other in c.members:
            if other != follower.id:
                c.partition(follower.id, other)
        task = asyncio.ensure_future(follower.node.read_index())
        await until(lambda: len(follower.node.pending_reads()) == 1, "the read pending")
        await c.stop()
        with pytest.raises(pyraftc.StoppedError):
            await task
    run(main())


class BreakingStorage(ListStorage):
    broken = False

    def last_index(self) -> int:
        if self.broken:
            raise RuntimeError("disk on fire")
        return super().last_index()


def test_a_failing_storage_fails_the_node_and_reaches_every_caller() -> None:
    async def main() -> None:
        st = BreakingStorage()
        node = Node(pyraftc.Config(id=1, storage=st, logger=quiet), [pyraftc.Peer(id=1)],
                    tick_interval=None)
        errors: List[BaseException] = []

        async def loop() -> None:
            try:
                async for rd in node:
                    st.append(rd.entries)
                    if rd.hard_state is not None:
                        st.set_hard_state(rd.hard_state)
                    for e in rd.committed_entries:
                        if e.type != raftpb.EntryNormal:
                            node.apply_conf_change(e)
                    node.advance()
            except BaseException as exc:
                errors.append(exc)
                raise
        consumer = asyncio.ensure_future(loop())
        # campaign only once the bootstrap configuration is applied (else no voter to elect)
        await until(lambda: node.basic_status().applied >= 1, "bootstrap applied")
        await node.campaign()
        await until(lambda: node.basic_status().raft_state == pyraftc.StateType.LEADER,
                    "leader")
        await until(lambda: not node.raw_node.has_ready(), "idle")
        st.broken = True
        with pytest.raises(RuntimeError, match="disk on fire"):
            await node.propose(b"x")
        with pytest.raises(RuntimeError, match="disk on fire"):
            await consumer
        assert errors and isinstance(errors[0], RuntimeError)
        assert node.error is errors[0]
        with pytest.raises(RuntimeError):
            await node.propose(b"y")
        await node.stop()
        assert node.error is errors[0]  # stop keeps the failure
    run(main())


def test_idle_node_does_not_spin() -> None:
    async def main() -> None:
        st = pyraftc.MemoryStorage()
        node = Node(pyraftc.Config(id=1, storage=st, logger=quiet), [pyraftc.Peer(id=1)],
                    tick_interval=0.02)
        raw = node.raw_node
        calls = {"has_ready": 0, "tick": 0}
        real_has_ready, real_tick = raw.has_ready, raw.tick

        def has_ready() -> bool:
            calls["has_ready"] += 1
            return real_has_ready()

        def tick() -> None:
            calls["tick"] += 1
            real_tick()
        raw.has_ready = has_ready  # type: ignore[method-assign]
        raw.tick = tick  # type: ignore[method-assign]
        waiter = asyncio.ensure_future(node.ready())
        rd = await waiter
        st.append(rd.entries)
        node.advance()
        # Single voter, never campaigned with election_tick=10: ticks elect it eventually;
        # until then every wake-up is one tick; the waiter checks once per change.
        waiter = asyncio.ensure_future(node.ready())
        await asyncio.sleep(0.1)
        assert calls["has_ready"] <= calls["tick"] + 3, calls
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        await node.stop()
    run(main())


def test_bad_arguments() -> None:
    async def main() -> None:
        cfg = pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=quiet)
        with pytest.raises(ValueError, match="tick_interval"):
            Node(cfg, [pyraftc.Peer(id=1)], tick_interval=0)
        with pytest.raises(ValueError, match="async_storage_writes"):
            Node(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=quiet,
                                async_storage_writes=True), tick_interval=None)
        with pytest.raises(pyraftc.ConfigError):
            Node(pyraftc.Config(id=0, storage=pyraftc.MemoryStorage(), logger=quiet))
        node = Node(cfg, [pyraftc.Peer(id=1)], tick_interval=None)
        with pytest.raises(pyraftc.StateError, match="advance"):
            node.advance()
        with pytest.raises(TypeError):
            await node.read_index("text")  # type: ignore[arg-type]
        with pytest.raises(pyraftc.DecodeError):
            await node.step(b"\xff\xff\xff")
        assert node.error is None  # bad input does not fail the node
        await node.stop()
    run(main())
    with pytest.raises(RuntimeError):
        Node(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=quiet))
