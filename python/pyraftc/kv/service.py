# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# service.py: one raftc-kv node: the Ready loop over a pyraftc.aio.Node (etcd's Node on
# asyncio), the replicated state, and the operations the HTTP layer calls (writes, reads,
# members, leader transfer, status). Client writes are proposed as they arrive while the loop
# persists the previous Ready, so many of them go into the next Ready together: one fsync covers
# them all; reads queued together share one ReadIndex.
"""A raftc-kv node: the raft loop and the key-value operations."""
import asyncio
import logging
import os
import time
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

import aiohttp

from .. import raftpb
from ..aio import Node
from ..config import Config, Peer
from ..enums import SnapshotStatus, StateType
from ..errors import RaftError
from ..node import Ready
from . import kvpb_pb2 as kvpb
from .logstore import LogStore
from .state import State, conf_change_urls
from .transport import Transport

__all__ = ["Options", "KVNode", "Outcome", "REQUEST_TIMEOUT"]

REQUEST_TIMEOUT = 5.0        # seconds before a write, read or member change answers 504
READ_RETRY = 1.0             # seconds before a ReadIndex without answer is asked again
ORPHAN_CHECK = 2.0           # seconds between checks of a leaderless node for its removal
MAX_CATCH_UP = 10000         # entries kept behind a snapshot for slow followers

# Messages a node may send before the Ready's entries and hard state are durable: everything
# but the acknowledgements of votes and appends (etcd's raft holds exactly these back until the
# local append when storage writes are asynchronous).
_AFTER_PERSIST = frozenset((raftpb.MsgAppResp, raftpb.MsgVoteResp, raftpb.MsgPreVoteResp))

log = logging.getLogger("raftc-kv")


class Options(NamedTuple):
    """The launcher flags of a node."""

    id: int
    host: str
    port: int
    data: str
    peers: Dict[int, str]
    join: bool = False
    tick_ms: int = 100
    snapshot_entries: int = 10000


class Outcome(NamedTuple):
    """An operation's answer: HTTP status and body text."""

    status: int
    text: str = ""


class _Write:
    __slots__ = ("future", "op", "key", "value")

    def __init__(self, future: "asyncio.Future[int]", op: int, key: bytes, value: bytes) -> None:
        self.future = future
        self.op = op
        self.key = key
        self.value = value

    def matches(self, cmd: kvpb.Command) -> bool:
        return cmd.op == self.op and cmd.key == self.key and cmd.value == self.value


class KVNode:
    """A raftc-kv node over a LogStore (see docs/kv.md).

    ``start()`` creates the raft Node (bootstrapping, joining or restarting), then runs the
    Ready loop and the read loop. ``done`` resolves with the process exit status: 0 once the node
    applied its own removal, 1 if the loop failed. The operations (``write``, ``read``,
    ``change_member``, ``transfer_leader``, ``status``) answer Outcome/HTTP-level results.
    """

    def __init__(self, opts: Options, store: LogStore) -> None:
        self.opts = opts
        self.id = opts.id
        self.store = store
        self.state = State()
        self.node: Optional[Node] = None
        self.lead = 0
        self.raft_state = StateType.FOLLOWER
        self._loop = asyncio.get_event_loop()
        self.done: "asyncio.Future[int]" = self._loop.create_future()
        self._writes: Dict[int, _Write] = {}
        self._seq = time.time_ns()  # grows across restarts: an old entry never matches a waiter
        self._ccs: Dict[int, "asyncio.Future[int]"] = {}
        self._cc_lock = asyncio.Lock()
        self._reads: "List[asyncio.Future[int]]" = []
        self._read_wanted = asyncio.Event()
        self._in_ready = False
        self._ready_idle = asyncio.Event()
        self._ready_idle.set()
        self._snap_index = 0
        self._conf_changed = False
        self._was_member = False
        self._stopping = False
        self._tasks: "List[asyncio.Future[None]]" = []
        self.transport = Transport(self.id, self.peer_url, self._report_unreachable,
                                   self._report_snapshot)

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Opens the node from its store and starts the loop. Raises ValueError for flags that
        cannot work (this node missing from --peers on a fresh start)."""
        o = self.opts
        restart = self.store.has_state()
        _, cs, snap = self.store.initial()
        applied = 0
        if restart:
            if snap.metadata.index:
                self.state.restore(snap.data, snap.metadata.index)
                applied = self._snap_index = snap.metadata.index
            self._was_member = self.id in _ids(cs)
        elif self.id not in o.peers:
            raise ValueError("node %d is not in --peers" % self.id)
        cfg = Config(id=self.id, election_tick=10, heartbeat_tick=1, storage=self.store.storage,
                     applied=applied, max_size_per_msg=1 << 20, max_inflight_msgs=256,
                     max_uncommitted_entries_size=1 << 30, check_quorum=True, pre_vote=True,
                     step_down_on_removal=True, rand_seed=int.from_bytes(os.urandom(8), "big"),
                     logger=logging.getLogger("raft"))
        peers = None
        if restart:
            log.info("node %d restarting from %s (snapshot at %d)", self.id, o.data, applied)
        elif o.join:
            log.info("node %d joining the cluster", self.id)
        else:
            peers = [Peer(i, o.peers[i].encode()) for i in sorted(o.peers)]
            log.info("node %d bootstrapping with %s", self.id, sorted(o.peers))
        self.node = Node(cfg, peers, tick_interval=o.tick_ms / 1000.0)
        await self.transport.start()
        self._tasks = [asyncio.ensure_future(self._run()),
                       asyncio.ensure_future(self._read_loop()),
                       asyncio.ensure_future(self._watch_removal())]

    async def stop(self) -> None:
        """Stops raft once the Ready in progress is done, answers every waiting request (503 if
        it never applies, 504 if it may) and closes the transport and the store."""
        self._stopping = True
        await self._ready_idle.wait()
        if self.node is not None:
            await self.node.stop()
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for w in self._writes.values():
            if not w.future.done():
                w.future.set_result(504)
        for f in list(self._ccs.values()):
            if not f.done():
                f.set_result(504)
        for f in self._reads:
            if not f.done():
                f.set_result(503)
        await self.transport.close()
        self.store.close()

    # -- the raft loop -------------------------------------------------------------------

    async def _run(self) -> None:
        node = self._need()
        try:
            async for rd in node:
                self._in_ready = True
                self._ready_idle.clear()
                try:
                    await self._handle_ready(rd)
                finally:
                    self._ready_idle.set()
                if self._stopping:
                    return
        except RaftError as exc:  # the node failed (storage, broken invariant)
            if not self._stopping:
                log.error("raft node failed: %s", exc)
                if not self.done.done():
                    self.done.set_result(1)
        except Exception as exc:  # a bug: leave with status 1 rather than hang
            log.exception("raft loop failed: %s", exc)
            if not self.done.done():
                self.done.set_result(1)

    def _need(self) -> Node:
        assert self.node is not None
        return self.node

    async def _read_loop(self) -> None:
        """Serves the queued linearizable reads in rounds: one read_index for every read queued
        since the last round (etcd's linearizable read loop). A round that gets no answer (a
        leader change) is asked again until its reads time out."""
        node = self._need()
        while True:
            await self._read_wanted.wait()
            self._read_wanted.clear()
            batch, self._reads = self._reads, []
            while batch:
                batch = [f for f in batch if not f.done()]
                if not batch:
                    break
                status = 0
                try:
                    await asyncio.wait_for(node.read_index(), READ_RETRY)
                    status = 200
                except asyncio.TimeoutError:
                    continue  # ask again
                except RaftError as exc:  # dropped: no leader, or the term moved
                    if self._stopping or self.lead == 0:
                        status = 503
                    else:
                        log.debug("read index: %s; asking again", exc)
                        await asyncio.sleep(0.01)
                        continue
                for f in batch:
                    if not f.done():
                        f.set_result(status)
                break

    async def _watch_removal(self) -> None:
        """A follower removed while it was cut off never receives the entry that removes it:
        the leader stops talking to it once the removal applies. While this node has no
        leader, it asks its peers' /status every ORPHAN_CHECK seconds; a leader whose members
        no longer hold this node, and which applied past this node's log, means this node was
        removed: it exits 0 as if it had applied the removal."""
        while True:
            await asyncio.sleep(ORPHAN_CHECK)
            if not self._was_member or self.lead != 0 or self.done.done():
                continue
            session = self.transport.session
            if session is None:
                continue
            for peer in list(self.state.members):
                url = self.peer_url(peer)
                if peer == self.id or not url:
                    continue
                try:
                    async with session.get(url + "/status", timeout=_STATUS_TIMEOUT) as resp:
                        st = await resp.json() if resp.status == 200 else None
                except (Exception, asyncio.TimeoutError):  # unreachable, not JSON, ...
                    continue
                if not isinstance(st, dict) or st.get("state") != "StateLeader":
                    continue
                ids = set(st.get("members", {})) | set(st.get("learners", {}))
                if str(self.id) not in ids and st.get("applied", 0) > self.state.applied:
                    log.info("node %d: leader %s no longer counts this node as a member: "
                             "removed while cut off; exiting", self.id, st.get("id"))
                    if not self.done.done():
                        self.done.set_result(0)
                    return

    async def _handle_ready(self, rd: Ready) -> None:
        node = self._need()
        if rd.soft_state is not None:
            if rd.soft_state.lead != self.lead:
                log.info("node %d: leader is now %d (%s)", self.id, rd.soft_state.lead,
                         rd.soft_state.raft_state)
            self.lead, self.raft_state = rd.soft_state.lead, rd.soft_state.raft_state
        late = self._send(rd, early=True)
        if rd.snapshot is not None or rd.entry_bytes or rd.hard_state is not None:
            if self.store.durable:
                await self._loop.run_in_executor(None, self.store.save, rd)
            else:
                self.store.save(rd)
        if late:
            self._send(rd, early=False)
        if rd.snapshot is not None and rd.snapshot.metadata.index > self.state.applied:
            self._restore(rd.snapshot)
        if rd.committed_entry_bytes:
            self._apply(rd.committed_entries)
        node.advance()
        await self._maybe_snapshot()
        if self._was_member and self.id not in self.state.members and not self.done.done():
            log.info("node %d applied its own removal: exiting", self.id)
            self.done.set_result(0)

    def _send(self, rd: Ready, early: bool) -> bool:
        """Sends the Ready's messages of one kind (early: those allowed before persistence);
        returns whether messages of the other kind remain."""
        batches: Dict[int, List[bytes]] = {}
        snaps: Dict[int, int] = {}
        other = False
        for m, b in zip(rd.messages, rd.message_bytes):
            if (m.type in _AFTER_PERSIST) == early:
                other = True
                continue
            batches.setdefault(m.to, []).append(b)
            if m.type == raftpb.MsgSnap:
                snaps[m.to] = snaps.get(m.to, 0) + 1
        for to, msgs in batches.items():
            self.transport.send(to, msgs, snaps.get(to, 0))
        return other

    def _restore(self, snap: raftpb.Snapshot) -> None:
        try:
            self.state.restore(snap.data, snap.metadata.index)
        except Exception as exc:  # a peer's snapshot we cannot read: keep serving the old
            log.error("snapshot at %d has unreadable data: %s", snap.metadata.index, exc)
            self.state.applied = snap.metadata.index
        self._snap_index = snap.metadata.index
        self._members_changed()
        log.info("node %d: applied snapshot at index %d", self.id, snap.metadata.index)

    def _apply(self, entries: Sequence[raftpb.Entry]) -> None:
        node = self._need()
        state = self.state
        for e in entries:
            if e.index <= state.applied:
                continue
            if e.type == raftpb.EntryNormal:
                if e.data:
                    try:
                        cmd = kvpb.Command.FromString(e.data)
                    except Exception:
                        log.warning("entry %d: not a kvpb.Command; ignored", e.index)
                    else:
                        state.apply_command(cmd)
                        if cmd.node == self.id:
                            w = self._writes.get(cmd.seq)
                            if w is not None and w.matches(cmd):
                                del self._writes[cmd.seq]
                                if not w.future.done():
                                    w.future.set_result(204)
            else:
                try:
                    urls = conf_change_urls(e)
                except Exception:
                    urls = {}
                if self.raft_state == StateType.LEADER:
                    self._tell_removed(e)
                cs = node.apply_conf_change(e)
                state.apply_conf_state(cs, urls)
                self._members_changed()
                self._conf_changed = True
                if e.type == raftpb.EntryConfChange:
                    fut = self._ccs.pop(raftpb.ConfChange.FromString(e.data).id, None)
                    if fut is not None and not fut.done():
                        fut.set_result(200)
            state.applied = e.index

    def _tell_removed(self, e: raftpb.Entry) -> None:
        """Before the leader applies a conf change that removes followers, sends each the
        heartbeat raft would send next (term, commit capped at the follower's match): once the
        leader applied the removal raft sends the follower nothing, and without the commit it
        could never apply its own removal and exit."""
        node = self._need()
        before = _ids(node.raw_node.conf_state())
        try:
            removed = [i for i in _removed_by(e) if i in before and i != self.id]
        except Exception:
            return
        if not removed:
            return
        st = node.status()
        for peer in removed:
            pr = st.progress.get(peer)
            if pr is None or pr.match < e.index:
                continue  # it does not hold the entry: it learns nothing from a heartbeat
            hb = raftpb.Message(type=raftpb.MsgHeartbeat, to=peer, term=st.hard_state.term,
                                commit=min(pr.match, st.hard_state.commit))
            setattr(hb, "from", self.id)
            self.transport.send(peer, [hb.SerializeToString()])

    def _members_changed(self) -> None:
        if self.id in self.state.members:
            self._was_member = True
        for peer in list(self.transport.peers):
            if peer not in self.state.members:
                self.transport.forget(peer)

    async def _maybe_snapshot(self) -> None:
        applied = self.state.applied
        every = self.opts.snapshot_entries
        # After a conf change, a log that was already compacted gets a new snapshot at once:
        # a member that joins is sent the latest snapshot, and raft ignores one whose ConfState
        # does not hold the receiver.
        forced, self._conf_changed = self._conf_changed and self._snap_index > 0, False
        if every <= 0 or applied <= self._snap_index or \
                (applied - self._snap_index < every and not forced):
            return
        data = self.state.snapshot_data()
        cs = self._need().raw_node.conf_state()
        compact_to = applied - min(every, MAX_CATCH_UP)
        if self.store.durable:
            await self._loop.run_in_executor(None, self.store.snapshot_and_compact, applied, cs,
                                             data, compact_to)
        else:
            self.store.snapshot_and_compact(applied, cs, data, compact_to)
        self._snap_index = applied
        log.debug("node %d: snapshot at %d, log compacted to %d", self.id, applied, compact_to)

    # -- transport callbacks -------------------------------------------------------------

    def peer_url(self, node: int) -> Optional[str]:
        """A peer's base URL: from the replicated members, else from --peers."""
        m = self.state.members.get(node)
        if m is not None and m.url:
            return m.url
        return self.opts.peers.get(node)

    async def deliver(self, messages: List[bytes]) -> None:
        """Steps peer messages (raftpb bytes, already validated) in order."""
        node = self._need()
        for b in messages:
            try:
                await node.step(b)
            except RaftError as exc:  # e.g. a response from a removed peer; or stopped
                log.debug("step: %s", exc)

    def _report_unreachable(self, node: int) -> None:
        try:
            self._need().report_unreachable(node)
        except RaftError:
            pass

    def _report_snapshot(self, node: int, ok: bool) -> None:
        try:
            self._need().report_snapshot(node, SnapshotStatus.FINISH if ok
                                         else SnapshotStatus.FAILURE)
        except RaftError:
            pass

    # -- operations ----------------------------------------------------------------------

    async def _wait(self, fut: "asyncio.Future[int]", deadline: float) -> int:
        try:
            return await asyncio.wait_for(fut, max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            return 504

    async def write(self, op: int, key: bytes, value: bytes = b"") -> Outcome:
        """Proposes a PUT or DELETE and waits until this node applied it: 204, 503 (never
        proposed: no leader or refused) or 504 (unknown)."""
        deadline = time.monotonic() + REQUEST_TIMEOUT
        if self._stopping or self.lead == 0:
            return Outcome(503, "no leader known")
        self._seq += 1
        seq = self._seq
        cmd = kvpb.Command(op=op, key=key, node=self.id, seq=seq)
        if op == kvpb.Command.PUT:
            cmd.value = value
        fut: "asyncio.Future[int]" = self._loop.create_future()
        self._writes[seq] = _Write(fut, op, key, value if op == kvpb.Command.PUT else b"")
        try:
            try:
                await self._need().propose(cmd.SerializeToString())
            except RaftError:  # refused before it entered a log: it will never apply
                status = 503
            else:
                status = await self._wait(fut, deadline)
        finally:
            self._writes.pop(seq, None)
        if status == 503:
            return Outcome(503, "proposal dropped (no leader, or leadership transfer)")
        if status == 504:
            return Outcome(504, "not applied within %gs; it may still apply" % REQUEST_TIMEOUT)
        return Outcome(status)

    async def read(self, key: bytes, linearizable: bool = True) -> Tuple[Outcome, Optional[bytes]]:
        """The value of key: linearizable through ReadIndex, or this node's state
        (serializable). Outcome 200 (value) or 404, 503 (no leader), 504 (timed out)."""
        if linearizable:
            if self._stopping or self.lead == 0:
                return Outcome(503, "no leader known"), None
            fut: "asyncio.Future[int]" = self._loop.create_future()
            self._reads.append(fut)
            self._read_wanted.set()
            status = await self._wait(fut, time.monotonic() + REQUEST_TIMEOUT)
            if status == 503:
                return Outcome(503, "no leader known"), None
            if status == 504:
                return Outcome(504, "read index not confirmed within %gs" % REQUEST_TIMEOUT), None
        value = self.state.get(key)
        if value is None:
            return Outcome(404, "key not found"), None
        return Outcome(200), value

    async def change_member(self, node: int, url: str = "", learner: bool = False,
                            remove: bool = False) -> Outcome:
        """Adds (or promotes/demotes) or removes a member and waits until this node applied
        it: 200, 404 (removing a non-member), 409 (the id belongs to another URL), 503, 504."""
        deadline = time.monotonic() + REQUEST_TIMEOUT
        async with self._cc_lock:
            members = self.state.members
            current = members.get(node)
            if remove:
                if current is None:
                    return Outcome(404, "node %d is not a member" % node)
                kind = raftpb.ConfChangeRemoveNode
            else:
                if current is not None and current.url and current.url != url:
                    return Outcome(409, "node %d is already a member at %s" % (node, current.url))
                for other, m in members.items():
                    if other != node and m.url == url:
                        return Outcome(409, "%s is already member %d" % (url, other))
                if current is not None and current.learner == learner:
                    return Outcome(200, "already a member")
                kind = raftpb.ConfChangeAddLearnerNode if learner else raftpb.ConfChangeAddNode
            if self._stopping or self.lead == 0:
                return Outcome(503, "no leader known")
            cc = raftpb.ConfChange(type=kind, node_id=node, context=url.encode(),
                                   id=int.from_bytes(os.urandom(8), "big") >> 1)
            fut: "asyncio.Future[int]" = self._loop.create_future()
            self._ccs[cc.id] = fut
            try:
                try:
                    await self._need().propose_conf_change(cc)
                except RaftError as exc:
                    log.info("conf change refused: %s", exc)
                    status = 503
                else:
                    status = await self._wait(fut, deadline)
            finally:
                self._ccs.pop(cc.id, None)
        if status == 503:
            return Outcome(503, "conf change dropped (no leader)")
        if status == 504:
            return Outcome(504, "conf change not applied within %gs (another may be pending)"
                           % REQUEST_TIMEOUT)
        return Outcome(200)

    async def transfer_leader(self, node: int) -> Outcome:
        """Asks raft to hand leadership to a voter: 202, or 404 for a non-voter."""
        m = self.state.members.get(node)
        if m is None or m.learner:
            return Outcome(404, "node %d is not a voter" % node)
        try:
            await self._need().transfer_leadership(node)
        except RaftError as exc:
            return Outcome(503, str(exc))
        return Outcome(202)

    def status(self) -> Dict[str, Any]:
        """The /status document."""
        st = self._need().basic_status()
        return {
            "id": self.id,
            "state": str(st.raft_state),
            "term": st.hard_state.term,
            "lead": st.lead,
            "commit": st.hard_state.commit,
            "applied": self.state.applied,
            "members": {str(i): u for i, u in self.state.voters().items()},
            "learners": {str(i): u for i, u in self.state.learners().items()},
            "impl": "python",
        }


_STATUS_TIMEOUT = aiohttp.ClientTimeout(total=1.0)


def _removed_by(e: raftpb.Entry) -> List[int]:
    """The ids a conf-change entry removes."""
    if e.type == raftpb.EntryConfChange:
        cc = raftpb.ConfChange.FromString(e.data)
        return [cc.node_id] if cc.type == raftpb.ConfChangeRemoveNode else []
    v2 = raftpb.ConfChangeV2.FromString(e.data)
    return [c.node_id for c in v2.changes if c.type == raftpb.ConfChangeRemoveNode]


def _ids(cs: raftpb.ConfState) -> Set[int]:
    return set(cs.voters) | set(cs.voters_outgoing) | set(cs.learners) | set(cs.learners_next)
