# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# aio.py: pyraftc.aio.Node, etcd's Node (raft.StartNode / raft.RestartNode) on asyncio.
"""etcd's Node on asyncio: a :class:`pyraftc.RawNode` owned and ticked by a task.

The application's part is the same as etcd's: consume Readys (``async for rd in node``),
persist, send, apply, then :meth:`Node.advance`. Everything runs on one event loop; the
awaitable requests (:meth:`Node.propose`, :meth:`Node.read_index`, ...) raise the node's
errors in the caller, and a cancelled request leaves no trace in the node.
"""
import asyncio
import os
from typing import Any, AsyncIterator, Dict, List, Optional, Sequence, Union

from . import raftpb_pb2 as pb
from .config import Config, Peer
from .enums import SnapshotStatus
from .errors import ProposalDroppedError, StateError, StoppedError
from .node import BasicStatus, RawNode, Ready, Status

__all__ = ["Node"]


class _Read:
    """A pending read_index request: its future, the term it was issued in and, once the
    ReadState arrived, the index the node must have applied before the read is safe."""

    __slots__ = ("future", "term", "index")

    def __init__(self, future: "asyncio.Future[int]", term: int) -> None:
        self.future = future
        self.term = term
        self.index = -1


class Node:
    """etcd's Node: a raft node whose clock and request plumbing live in asyncio.

    ``Node(config, peers)`` is etcd's StartNode (``peers`` non-empty bootstraps a new cluster
    on an empty storage) and ``Node(config)`` is RestartNode (state comes from
    ``config.storage``). It must be created inside a running event loop; a task ticks the node
    every ``tick_interval`` seconds (``None``: no task, call :meth:`tick` yourself). Stop it with
    :meth:`stop` or ``async with Node(...) as node:``.

    The application loop::

        async for rd in node:            # waits for the next Ready (no polling)
            ...                          # persist rd.snapshot, rd.entries, rd.hard_state
            ...                          # send rd.messages, apply rd.committed_entries
            node.advance()

    Requests from any coroutine on the same loop: ``await node.propose(data)``,
    ``await node.propose_conf_change(cc)``, ``await node.step(msg)``,
    ``await node.read_index()``, ``await node.campaign()``,
    ``await node.transfer_leadership(id)``. Like etcd's, :meth:`propose` returns once raft
    accepted the proposal (it is in the next Ready's entries), not when it commits: watch the
    committed entries for it. Errors (ProposalDroppedError, StepPeerNotFoundError, ...) are raised in the
    caller. Once the RawNode fails (a broken invariant or a failing storage) every call and the
    Ready iterator raise that error; after :meth:`stop` they raise :class:`StoppedError`.

    Not thread-safe: use it from the loop's thread (other threads go through
    ``asyncio.run_coroutine_threadsafe`` / ``loop.call_soon_threadsafe``).
    """

    def __init__(self, config: Config, peers: Optional[Sequence[Peer]] = None, *,
                 tick_interval: Optional[float] = 0.1) -> None:
        if config.async_storage_writes:
            raise ValueError("pyraftc.aio.Node drives Ready/advance (sync storage writes); "
                             "use a RawNode for async_storage_writes")
        if tick_interval is not None and not tick_interval > 0:
            raise ValueError("tick_interval must be > 0 seconds (or None), got %r"
                             % (tick_interval,))
        self._loop = asyncio.get_running_loop()
        raw = RawNode(config)
        if peers:
            try:
                raw.bootstrap(peers)
            except BaseException:
                raw.close()
                raise
        self._raw = raw
        self._changed = asyncio.Event()
        self._awaiting_advance = False
        self._error: Optional[BaseException] = None
        self._reads: Dict[bytes, _Read] = {}
        self._read_prefix = os.urandom(8)
        self._read_seq = 0
        self._ticker: Optional["asyncio.Task[None]"] = None
        if tick_interval is not None:
            self._ticker = self._loop.create_task(self._tick_loop(tick_interval))

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> "Node":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    async def stop(self) -> None:
        """etcd's Stop: stops the ticker, fails pending and later requests with StoppedError,
        ends the Ready iterator and frees the RawNode (idempotent)."""
        if self._error is None:
            self._fail(StoppedError("raft: stopped"))
        ticker, self._ticker = self._ticker, None
        if ticker is not None and ticker is not asyncio.current_task():
            ticker.cancel()
            try:
                await ticker
            except asyncio.CancelledError:
                pass
        self._raw.close()

    @property
    def raw_node(self) -> RawNode:
        """The RawNode this Node owns (for inspection; drive it only through the Node)."""
        return self._raw

    @property
    def error(self) -> Optional[BaseException]:
        """None while the node runs; else StoppedError or the error that failed it."""
        return self._error

    def _fail(self, exc: BaseException) -> None:
        self._error = exc
        reads, self._reads = self._reads, {}
        for r in reads.values():
            if not r.future.done():
                r.future.set_exception(exc)
        self._changed.set()

    def _check(self) -> RawNode:
        if self._error is not None:
            raise self._error
        return self._raw

    def _do(self, fn: Any, *args: Any) -> Any:
        """Runs a RawNode method; a failed RawNode fails the Node. Wakes the Ready waiter."""
        raw = self._check()
        try:
            result = fn(*args)
        except Exception as exc:  # also a storage callback's own exception
            if raw.failed:
                self._fail(exc)
            raise
        self._changed.set()
        return result

    async def _tick_loop(self, interval: float) -> None:
        while self._error is None:
            await asyncio.sleep(interval)
            if self._error is not None:
                return
            try:
                self._do(self._raw.tick)
            except Exception:  # noqa: BLE001 - recorded by _do; the ticker ends with the node
                return

    # -- the clock and requests ------------------------------------------------------------

    def tick(self) -> None:
        """Advances the logical clock by one tick (the ticker task calls it every
        tick_interval; call it yourself with tick_interval=None)."""
        self._do(self._raw.tick)

    async def campaign(self) -> None:
        """etcd's Campaign: starts an election."""
        self._do(self._raw.campaign)

    async def propose(self, data: bytes) -> None:
        """etcd's Propose: returns once raft appended the proposal to its log (it appears in
        the next Ready's entries and, once committed, in its committed entries). Raises
        ProposalDroppedError when raft drops it (no leader, leadership transfer, ...)."""
        self._do(self._raw.propose, data)

    async def propose_list(self, datas: Sequence[bytes]) -> None:
        """Proposes datas as one batch (etcd's Step of one MsgProp carrying them all): they are
        appended, or dropped, together. Raises as :meth:`propose`."""
        self._do(self._raw.propose_list, datas)

    async def propose_conf_change(self, cc: Union[pb.ConfChange, pb.ConfChangeV2]) -> None:
        """etcd's ProposeConfChange; the application calls :meth:`apply_conf_change` when the
        entry commits. Raises as :meth:`propose`."""
        self._do(self._raw.propose_conf_change, cc)

    async def step(self, msg: Union[pb.Message, bytes]) -> None:
        """etcd's Step: feeds a message from a peer (raftpb.Message or its bytes). Unlike
        etcd's Node, which drops them silently, errors are raised: StepPeerNotFoundError for a
        response from an unknown peer, StepLocalMsgError, DecodeError for malformed bytes."""
        self._do(self._raw.step, msg)

    async def transfer_leadership(self, transferee: int) -> None:
        """etcd's TransferLeadership: asks the leader to hand leadership to transferee (the
        outcome shows in later Readys' soft_state)."""
        self._do(self._raw.transfer_leader, transferee)

    async def forget_leader(self) -> None:
        """etcd's ForgetLeader."""
        self._do(self._raw.forget_leader)

    def report_unreachable(self, id: int) -> None:  # noqa: A002
        """etcd's ReportUnreachable: the last message to peer id could not be sent."""
        self._do(self._raw.report_unreachable, id)

    def report_snapshot(self, id: int, status: SnapshotStatus) -> None:  # noqa: A002
        """etcd's ReportSnapshot: the outcome of sending a snapshot to peer id."""
        self._do(self._raw.report_snapshot, id, status)

    def apply_conf_change(self, cc: Union[pb.ConfChange, pb.ConfChangeV2, pb.Entry]
                          ) -> pb.ConfState:
        """etcd's ApplyConfChange for a committed conf change (a ConfChange/ConfChangeV2, or
        the committed EntryConfChange/EntryConfChangeV2 entry itself); returns the ConfState."""
        cs: pb.ConfState = self._do(self._raw.apply_conf_change, cc)
        return cs

    def status(self) -> Status:
        """etcd's Status."""
        st: Status = self._do(self._raw.status)
        return st

    def basic_status(self) -> BasicStatus:
        """etcd's BasicStatus."""
        st: BasicStatus = self._do(self._raw.basic_status)
        return st

    # -- ReadIndex -------------------------------------------------------------------------

    async def read_index(self, rctx: Optional[bytes] = None) -> int:
        """A linearizable read barrier: returns the read index once reading the state machine
        is safe, i.e. the ReadState for this request arrived (the leader confirmed it was
        still leader when it answered, per ``Config.read_only_option``) *and* this node has
        applied (advanced past) every entry up to that index.

        etcd's Node.ReadIndex only sends the request; its answer is a ReadState in a later
        Ready, matched by ``rctx``, and the application must still wait until it applied up
        to ReadState.index. This method does both (the ReadState is still reported in
        ``Ready.read_states``). ``rctx`` defaults to a fresh unique context; a given one must
        not be pending already (ValueError).

        Raises ProposalDroppedError when raft drops the request: no known leader when it is made,
        or the term changes before it is answered (the old leader's answer can no longer
        come); retry then. Cancelling the await abandons the request.
        """
        raw = self._check()
        if rctx is None:
            self._read_seq += 1
            rctx = self._read_prefix + self._read_seq.to_bytes(8, "big")
        elif not isinstance(rctx, (bytes, bytearray, memoryview)):
            raise TypeError("rctx must be bytes, not %s" % type(rctx).__name__)
        rctx = bytes(rctx)
        if rctx in self._reads:
            raise ValueError("a read_index with this rctx is already pending")
        st = raw.basic_status()
        if st.lead == 0:
            raise ProposalDroppedError("read index dropped: no leader at term %d"
                                  % st.hard_state.term)
        read = _Read(self._loop.create_future(), st.hard_state.term)
        self._reads[rctx] = read
        try:
            self._do(raw.read_index, rctx)
            return await read.future
        finally:
            if self._reads.get(rctx) is read:
                del self._reads[rctx]

    def _match_reads(self, rd: Ready) -> None:
        """Records the ReadStates of a Ready for their requests; fails the unanswered ones
        when the term moved (their answers would carry the old term and be ignored)."""
        for rs in rd.read_states:
            read = self._reads.get(rs.request_ctx)
            if read is not None and read.index < 0:
                read.index = rs.index
        if rd.hard_state is not None:
            term = rd.hard_state.term
            for rctx, read in list(self._reads.items()):
                if read.index < 0 and read.term < term:
                    del self._reads[rctx]
                    if not read.future.done():
                        read.future.set_exception(ProposalDroppedError(
                            "read index dropped: term changed from %d to %d before it was "
                            "answered" % (read.term, term)))

    def _release_reads(self, applied: int) -> None:
        for rctx, read in list(self._reads.items()):
            if 0 <= read.index <= applied:
                del self._reads[rctx]
                if not read.future.done():
                    read.future.set_result(read.index)

    # -- Ready / Advance -------------------------------------------------------------------

    async def ready(self) -> Ready:
        """Waits for and returns the next Ready (etcd's ``<-node.Ready()``). Waits while the
        previous Ready is not advanced. Raises StoppedError after stop() and the node's error
        once it failed. Cancelling the wait loses nothing."""
        while True:
            raw = self._check()
            if not self._awaiting_advance and raw.has_ready():
                rd: Ready = self._do(raw.ready)
                self._awaiting_advance = True
                if self._reads:
                    self._match_reads(rd)
                return rd
            self._changed.clear()
            await self._changed.wait()

    def __aiter__(self) -> AsyncIterator[Ready]:
        return self.readys()

    async def readys(self) -> AsyncIterator[Ready]:
        """The Readys, one after another, until stop() (then the iteration ends; a failed
        node raises its error)."""
        while True:
            try:
                rd = await self.ready()
            except StoppedError:
                return
            yield rd

    def advance(self) -> None:
        """etcd's Advance: the last Ready was persisted, sent and applied. Raises StateError
        without an outstanding Ready."""
        raw = self._check()
        if not self._awaiting_advance:
            raise StateError("advance() without an outstanding Ready")
        self._do(raw.advance)
        self._awaiting_advance = False
        if self._reads:
            self._release_reads(raw.basic_status().applied)

    def pending_reads(self) -> List[bytes]:
        """The request contexts of read_index calls still waiting (for diagnostics)."""
        return list(self._reads)
