# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# transport.py: the sending half of raftc-kv's peer transport (POST /raft). One sender task and
# one bounded queue per peer over a persistent HTTP/1.1 connection (aiohttp); the raft loop only
# enqueues, so a slow or dead peer never blocks it. When a queue is full the batch is dropped
# (raft retries); a failed send reports the peer unreachable, and the outcome of a MsgSnap is
# reported to raft.
"""Peer transport: batches of raftpb messages to each peer over HTTP."""
import asyncio
import logging
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp

from . import wire

__all__ = ["Transport"]

QUEUE_BATCHES = 128          # batches (one per peer per Ready) waiting per peer
MAX_REQUEST = 4 << 20        # queued batches are merged into one request up to this size
SEND_TIMEOUT = 5.0           # seconds for one request (a snapshot may take longer)
SNAPSHOT_TIMEOUT = 60.0

log = logging.getLogger("raftc-kv.transport")


class _Peer:
    """The queue and sender task of one peer."""

    def __init__(self, transport: "Transport", node: int) -> None:
        self.transport = transport
        self.node = node
        self.queue: "asyncio.Queue[Optional[Tuple[bytes, int]]]" = asyncio.Queue(QUEUE_BATCHES)
        self.reachable = True
        self.task = asyncio.ensure_future(self._run())

    def offer(self, body: bytes, snapshots: int) -> bool:
        """Queues a framed batch holding `snapshots` MsgSnaps; False if the queue is full."""
        try:
            self.queue.put_nowait((body, snapshots))
            return True
        except asyncio.QueueFull:
            return False

    async def _run(self) -> None:
        t = self.transport
        closing = False
        while not closing:
            item = await self.queue.get()
            if item is None:
                return
            body, snaps = item
            parts, size = [body], len(body)
            while size < MAX_REQUEST and not self.queue.empty():
                more = self.queue.get_nowait()
                if more is None:  # forgotten: send what is queued, then stop
                    closing = True
                    break
                parts.append(more[0])
                size += len(more[0])
                snaps += more[1]
            ok = await self._post(b"".join(parts) if len(parts) > 1 else body, snaps)
            if not ok:
                t.on_unreachable(self.node)
            for _ in range(snaps):
                t.on_snapshot(self.node, ok)

    async def _post(self, body: bytes, snaps: int) -> bool:
        t = self.transport
        url = t.resolve(self.node)
        problem = ""
        if url is None:
            problem = "no URL known"
        else:
            timeout = aiohttp.ClientTimeout(total=SNAPSHOT_TIMEOUT if snaps else SEND_TIMEOUT)
            try:
                assert t.session is not None
                async with t.session.post(url + "/raft", data=body, timeout=timeout,
                                          headers={"Content-Type": "application/octet-stream"}
                                          ) as resp:
                    text = await resp.read()
                    if resp.status == 204:
                        if not self.reachable:
                            log.info("peer %d is reachable again (%s)", self.node, url)
                        self.reachable = True
                        return True
                    problem = "HTTP %d %s" % (resp.status, text[:200].decode("utf-8",
                                                                                 "replace"))
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                problem = "%s: %s" % (type(exc).__name__, exc)
        if self.reachable:
            log.warning("peer %d (%s): send failed: %s", self.node, url, problem)
        self.reachable = False
        return False


class Transport:
    """Sends raftpb messages to peers.

    resolve(id) gives a peer's base URL (or None); on_unreachable(id) and
    on_snapshot(id, ok) are called from the sender tasks, on the event loop.
    """

    def __init__(self, self_id: int, resolve: Callable[[int], Optional[str]],
                 on_unreachable: Callable[[int], None],
                 on_snapshot: Callable[[int, bool], None]) -> None:
        self.self_id = self_id
        self.resolve = resolve
        self.on_unreachable = on_unreachable
        self.on_snapshot = on_snapshot
        self.session: Optional[aiohttp.ClientSession] = None
        self.peers: Dict[int, _Peer] = {}
        self.dropped = 0

    async def start(self) -> None:
        """Opens the HTTP client (one persistent connection per peer)."""
        conn = aiohttp.TCPConnector(limit=0, limit_per_host=1, keepalive_timeout=60)
        self.session = aiohttp.ClientSession(connector=conn, auto_decompress=False)

    def send(self, to: int, messages: List[bytes], snapshots: int = 0) -> None:
        """Queues messages (raftpb bytes) for peer `to` as one batch, or drops them (reporting
        the peer unreachable, and any MsgSnap failed) when its queue is full."""
        peer = self.peers.get(to)
        if peer is None:
            peer = self.peers[to] = _Peer(self, to)
        if not peer.offer(wire.frame(messages), snapshots):
            self.dropped += len(messages)
            self.on_unreachable(to)
            for _ in range(snapshots):
                self.on_snapshot(to, False)

    def forget(self, node: int) -> None:
        """Stops sending to a removed member once what is queued for it went out."""
        peer = self.peers.pop(node, None)
        if peer is not None:
            try:
                peer.queue.put_nowait(None)
            except asyncio.QueueFull:
                peer.task.cancel()

    async def close(self) -> None:
        """Stops every sender and closes the connections."""
        tasks = [p.task for p in self.peers.values()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.peers.clear()
        if self.session is not None:
            await self.session.close()
            self.session = None
