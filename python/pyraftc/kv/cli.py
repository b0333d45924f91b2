# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# cli.py: the `raftc-kv` command: parses the launcher flags every raftc-kv implementation shares
# (docs/kv.md), checks that no other node already serves this id, starts the node and its HTTP
# listener, and exits 0 on SIGTERM/SIGINT or once the node applied its own removal.
"""raftc-kv: a replicated key-value service on pyraftc (see docs/kv.md)."""
import argparse
import asyncio
import json
import logging
import signal
import sys
from typing import List, Optional

import aiohttp
from aiohttp import web

from . import wire
from .http import make_handler
from .logstore import open_log_store
from .service import KVNode, Options

__all__ = ["main", "parse_args"]

STOP_TIMEOUT = 8.0  # seconds: SIGTERM must end the process within 10

log = logging.getLogger("raftc-kv")


def parse_args(argv: Optional[List[str]] = None) -> Options:
    """The Options of a command line (argparse exits 2 with a message on bad flags)."""
    ap = argparse.ArgumentParser(prog="raftc-kv", description=__doc__)
    ap.add_argument("--id", required=True, help="this node's raft id")
    ap.add_argument("--listen", required=True, metavar="HOST:PORT", help="where to listen")
    ap.add_argument("--data", required=True, metavar="DIR", help="the node's durable state")
    ap.add_argument("--peers", required=True, metavar="1=URL,2=URL,...",
                    help="the members with their base URLs, this node included")
    ap.add_argument("--join", action="store_true", help="join an existing cluster")
    ap.add_argument("--tick-ms", type=int, default=100, help="tick interval (default 100)")
    ap.add_argument("--snapshot-entries", type=int, default=10000,
                    help="snapshot and compact every N applied entries (default 10000)")
    ap.add_argument("--log-level", default="info",
                    choices=("debug", "info", "warning", "error"), help="default info")
    args = ap.parse_args(argv)
    try:
        node = wire.parse_id(args.id)
        peers = wire.parse_peers(args.peers)
    except wire.BadRequest as exc:
        ap.error(str(exc))
    host, sep, port = args.listen.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        ap.error("--listen wants HOST:PORT, not %r" % args.listen)
    if args.tick_ms <= 0:
        ap.error("--tick-ms must be positive")
    if args.snapshot_entries < 0:
        ap.error("--snapshot-entries must not be negative")
    logging.basicConfig(level=getattr(logging, args.log_level.upper()),
                        format="%(asctime)s raftc-kv[" + str(node) + "] %(name)s "
                               "%(levelname)s %(message)s", stream=sys.stderr)
    return Options(id=node, host=host.strip("[]") or "0.0.0.0", port=int(port), data=args.data,
                   peers=peers, join=args.join, tick_ms=args.tick_ms,
                   snapshot_entries=args.snapshot_entries)


async def claimed_elsewhere(opts: Options) -> Optional[str]:
    """Where another node already holds this node's id, if anywhere: a peer that answers
    /status with this id, or whose members give this id another URL."""
    timeout = aiohttp.ClientTimeout(total=0.5)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for node, url in sorted(opts.peers.items()):
            if node == opts.id:
                continue
            try:
                async with session.get(url + "/status") as resp:
                    if resp.status != 200:
                        continue
                    st = json.loads(await resp.read())
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError):
                continue
            if isinstance(st, dict) and st.get("id") == opts.id:
                return url
            members = st.get("members", {}) if isinstance(st, dict) else {}
            mine = opts.peers.get(opts.id)
            if isinstance(members, dict) and str(opts.id) in members and \
                    members[str(opts.id)] != mine:
                return "%s (member %d is at %s)" % (url, opts.id, members[str(opts.id)])
    return None


async def serve(opts: Options) -> int:
    """Runs a node until SIGTERM/SIGINT (0), its own removal (0) or a failure (1)."""
    try:
        store = open_log_store(opts.data)
    except Exception as exc:  # OSError, a locked, corrupt or foreign directory, ...
        log.error("cannot open %s: %s: %s", opts.data, type(exc).__name__, exc)
        return 1
    if not store.has_state():
        other = await claimed_elsewhere(opts)
        if other is not None:
            log.error("node %d is already running at %s: refusing to start a second node with "
                      "the same id", opts.id, other)
            store.close()
            return 1
    kv = KVNode(opts, store)
    try:
        await kv.start()
    except ValueError as exc:
        log.error("%s", exc)
        store.close()
        return 1
    server = web.Server(make_handler(kv), access_log=None)
    runner = web.ServerRunner(server, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, opts.host, opts.port, reuse_address=True)
    try:
        await site.start()
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", opts.host, opts.port, exc)
        await kv.stop()
        await runner.cleanup()
        return 1
    log.info("node %d listening on %s:%d", opts.id, opts.host, opts.port)
    loop = asyncio.get_running_loop()

    def stop() -> None:
        if not kv.done.done():
            kv.done.set_result(0)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop)
    status = await kv.done
    log.info("node %d stopping (exit status %d)", opts.id, status)
    try:
        await asyncio.wait_for(_shutdown(kv, runner), STOP_TIMEOUT)
    except asyncio.TimeoutError:
        log.error("shutdown took over %gs", STOP_TIMEOUT)
    return status


async def _shutdown(kv: KVNode, runner: web.BaseRunner) -> None:
    await kv.stop()  # answers the requests still waiting
    await runner.cleanup()


def main(argv: Optional[List[str]] = None) -> int:
    """The console script's entry point; returns the exit status."""
    opts = parse_args(argv)
    return asyncio.run(serve(opts))


if __name__ == "__main__":
    sys.exit(main())
