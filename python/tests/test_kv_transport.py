# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_kv_transport.py: raftc-kv's sending half of the peer transport against an in-process
# HTTP server: framing, one persistent connection per peer, merging of queued batches, the
# bounded queue, ReportUnreachable and ReportSnapshot outcomes.
import asyncio

import pytest

pytest.importorskip("aiohttp", reason="raftc-kv needs the kv extra: pip install '.[kv]'")

from aiohttp import web  # noqa: E402

from pyraftc.kv import transport as tr, wire  # noqa: E402
from pyraftc.kv.cluster import free_port  # noqa: E402


class Peer:
    """A fake peer: records each POST /raft body and the client port it came from."""

    def __init__(self, status=204, delay=0.0):
        self.bodies = []
        self.ports = set()
        self.status = status
        self.delay = delay
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.runner = None

    async def handle(self, request):
        self.ports.add(request.transport.get_extra_info("peername")[1])
        self.bodies.append(await request.read())
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.Response(status=self.status)

    async def start(self):
        self.runner = web.ServerRunner(web.Server(self.handle), shutdown_timeout=0.1)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self):
        await self.runner.cleanup()


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def make(urls):
    events = []
    t = tr.Transport(1, urls.get, lambda n: events.append(("unreachable", n)),
                     lambda n, ok: events.append(("snapshot", n, ok)))
    return t, events


async def settle(t, peers):
    for _ in range(200):
        await asyncio.sleep(0.01)
        if all(p.queue.empty() for p in t.peers.values()):
            await asyncio.sleep(0.05)
            return


def test_batches_framing_and_one_connection():
    async def main():
        peer = Peer()
        await peer.start()
        t, events = make({2: peer.url})
        await t.start()
        try:
            for i in range(20):
                t.send(2, [b"m%d" % i, b"x" * i])
                if i % 5 == 0:
                    await asyncio.sleep(0.02)
            await settle(t, [peer])
        finally:
            await t.close()
            await peer.stop()
        got = [m for body in peer.bodies for m in wire.unframe(body)]
        want = [m for i in range(20) for m in (b"m%d" % i, b"x" * i)]
        assert got == want  # in order, nothing lost or split
        assert len(peer.bodies) < 20  # batches queued meanwhile went out together
        assert len(peer.ports) == 1  # one persistent connection
        assert events == []
    run(main())


def test_unreachable_and_snapshot_outcomes():
    async def main():
        down = "http://127.0.0.1:%d" % free_port()  # nothing listens there
        bad = Peer(status=400)
        good = Peer()
        await bad.start()
        await good.start()
        t, events = make({2: down, 3: bad.url, 4: good.url})
        await t.start()
        try:
            t.send(2, [b"a"], snapshots=1)
            t.send(3, [b"b"])
            t.send(4, [b"snap"], snapshots=1)
            t.send(9, [b"no url"])
            await settle(t, [])
            await asyncio.sleep(0.2)
        finally:
            await t.close()
            await bad.stop()
            await good.stop()
        assert sorted(events) == sorted([("unreachable", 2), ("snapshot", 2, False),
                                         ("unreachable", 3), ("snapshot", 4, True),
                                         ("unreachable", 9)])
    run(main())


def test_full_queue_drops_and_reports():
    async def main():
        slow = Peer(delay=0.5)
        await slow.start()
        t, events = make({2: slow.url})
        await t.start()
        try:
            for i in range(tr.QUEUE_BATCHES + 10):
                t.send(2, [b"%d" % i], snapshots=1 if i == tr.QUEUE_BATCHES + 5 else 0)
            assert t.dropped >= 9
            assert ("unreachable", 2) in events and ("snapshot", 2, False) in events
        finally:
            await t.close()
            await slow.stop()
    run(main())
