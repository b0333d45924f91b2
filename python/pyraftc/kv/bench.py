# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# bench.py: tools/kv-bench, a closed-loop load generator for any raftc-kv implementation: N
# concurrent connections, each sending its next request when the previous one answered, a mix of
# PUTs and GETs over a key space, for a fixed time. Reports writes/s, reads/s and p50/p99/p999
# latency (with a progress bar while it runs). It starts its own cluster through the launcher
# flags (--launcher) or drives running nodes (--endpoints). Prints numbers, asserts nothing
# about speed.
"""Closed-loop load test for raftc-kv (tools/kv-bench)."""
import argparse
import asyncio
import importlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Sequence

import aiohttp

from .cluster import Cluster, parse_launcher


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) of sorted values, nearest rank (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, int(-(-p * len(sorted_values) // 100)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Stats:
    """Latencies (seconds) and outcomes of one kind of request."""

    def __init__(self) -> None:
        self.latencies: List[float] = []
        self.errors: Dict[str, int] = {}

    def summary(self, seconds: float) -> Dict[str, Any]:
        lat = sorted(self.latencies)
        return {"ok": len(lat), "per_second": len(lat) / seconds if seconds else 0.0,
                "p50_ms": percentile(lat, 50) * 1e3, "p99_ms": percentile(lat, 99) * 1e3,
                "p999_ms": percentile(lat, 99.9) * 1e3, "errors": dict(self.errors)}


class Load:
    """The closed loop: workers, counters and the progress display."""

    def __init__(self, endpoints: List[str], args: argparse.Namespace) -> None:
        self.endpoints = endpoints
        self.args = args
        self.writes = Stats()
        self.reads = Stats()
        self.recording = False
        self.stop = False
        self.rng = random.Random(args.seed)
        self.value = os.urandom(args.value_size)

    async def worker(self, session: aiohttp.ClientSession, index: int) -> None:
        base = self.endpoints[index % len(self.endpoints)]
        rng = random.Random(self.args.seed * 1000003 + index)
        query = "?consistency=serializable" if self.args.consistency == "serializable" else ""
        while not self.stop:
            key = "bench-%d" % rng.randrange(self.args.keys)
            read = rng.random() < self.args.reads
            t0 = time.perf_counter()
            try:
                if read:
                    async with session.get(base + "/kv/" + key + query) as resp:
                        await resp.read()
                        ok = resp.status in (200, 404)
                        outcome = str(resp.status)
                else:
                    async with session.put(base + "/kv/" + key, data=self.value) as resp:
                        await resp.read()
                        ok = resp.status == 204
                        outcome = str(resp.status)
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                ok, outcome = False, type(exc).__name__
            dt = time.perf_counter() - t0
            if not self.recording:
                continue
            stats = self.reads if read else self.writes
            if ok:
                stats.latencies.append(dt)
            else:
                stats.errors[outcome] = stats.errors.get(outcome, 0) + 1
                await asyncio.sleep(0.05)

    async def progress(self, seconds: float, tty: bool) -> None:
        start = time.monotonic()
        last_print = 0.0
        width = 30
        while not self.stop:
            await asyncio.sleep(0.25)
            t = time.monotonic() - start
            done = min(1.0, t / seconds) if seconds else 1.0
            w, r = len(self.writes.latencies), len(self.reads.latencies)
            errs = sum(self.writes.errors.values()) + sum(self.reads.errors.values())
            line = "[%-*s] %5.1f/%gs  writes %7.0f/s  reads %7.0f/s  errors %d" % (
                width, "#" * int(done * width), t, seconds, w / max(t, 1e-9),
                r / max(t, 1e-9), errs)
            if tty:
                sys.stderr.write("\r" + line)
                sys.stderr.flush()
            elif t - last_print >= 2.0:
                sys.stderr.write(line + "\n")
                last_print = t
        if tty:
            sys.stderr.write("\n")

    async def run(self) -> Dict[str, Any]:
        a = self.args
        conn = aiohttp.TCPConnector(limit=0)
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
            tasks = [asyncio.ensure_future(self.worker(session, i)) for i in range(a.connections)]
            await asyncio.sleep(a.warmup)
            self.recording = True
            tty = sys.stderr.isatty()
            bar = asyncio.ensure_future(self.progress(a.duration, tty))
            t0 = time.monotonic()
            await asyncio.sleep(a.duration)
            self.recording = False
            elapsed = time.monotonic() - t0
            self.stop = True
            await asyncio.gather(*tasks, bar, return_exceptions=True)
        both = Stats()
        both.latencies = self.writes.latencies + self.reads.latencies
        return {"connections": a.connections, "seconds": elapsed, "reads_fraction": a.reads,
                "value_size": a.value_size, "keys": a.keys, "consistency": a.consistency,
                "endpoints": self.endpoints,
                "writes": self.writes.summary(elapsed), "reads": self.reads.summary(elapsed),
                "all": both.summary(elapsed)}


def report(result: Dict[str, Any]) -> str:
    """The human-readable table of one run."""
    lines = ["%d connections, %.1fs, %d%% reads (%s), %d B values, %d keys" % (
        result["connections"], result["seconds"], round(result["reads_fraction"] * 100),
        result["consistency"], result["value_size"], result["keys"]),
        "  %-7s %10s %9s %9s %9s  %s" % ("", "ops/s", "p50 ms", "p99 ms", "p999 ms", "errors")]
    for name in ("writes", "reads", "all"):
        s = result[name]
        lines.append("  %-7s %10.0f %9.2f %9.2f %9.2f  %s" % (
            name, s["per_second"], s["p50_ms"], s["p99_ms"], s["p999_ms"],
            ", ".join("%s x%d" % kv for kv in sorted(s["errors"].items())) or "-"))
    return "\n".join(lines)


def plot(results: List[Dict[str, Any]], path: str, title: str) -> bool:
    """Latency (p50, p99) against throughput, one point per round, as a PNG; False (with a
    message) when matplotlib is not installed."""
    try:  # optional, so imported by name (typed Any)
        matplotlib: Any = importlib.import_module("matplotlib")
        matplotlib.use("Agg")
        plt: Any = importlib.import_module("matplotlib.pyplot")
    except ImportError:
        print("kv-bench: no plot (pip install matplotlib)", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(7, 4.2))
    xs = [r["all"]["per_second"] for r in results]
    for key, label in (("p50_ms", "p50"), ("p99_ms", "p99")):
        ax.plot(xs, [r["all"][key] for r in results], marker="o", label=label)
    for r, x in zip(results, xs):
        ax.annotate("%d conn" % r["connections"], (x, r["all"]["p50_ms"]),
                    textcoords="offset points", xytext=(4, -12), fontsize=8)
    ax.set_xlabel("requests/s (writes + reads)")
    ax.set_ylabel("latency (ms)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print("kv-bench: plot written to %s" % path, file=sys.stderr)
    return True


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="kv-bench", description=__doc__)
    ap.add_argument("--endpoints", help="base URLs of running nodes, comma-separated "
                    "(default: start a cluster with --launcher)")
    ap.add_argument("--launcher", help="command that starts one node (gets the shared flags); "
                    "default: this package's raftc-kv")
    ap.add_argument("--nodes", type=int, default=3, help="cluster size to start (default 3)")
    ap.add_argument("--tick-ms", type=int, default=100)
    ap.add_argument("--connections", "-c", default="16",
                    help="concurrent connections; a comma list runs one round per value")
    ap.add_argument("--duration", "-d", type=float, default=10.0, help="seconds per round")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    ap.add_argument("--reads", type=float, default=0.5, help="fraction of GETs (default 0.5)")
    ap.add_argument("--consistency", choices=("linearizable", "serializable"),
                    default="linearizable")
    ap.add_argument("--keys", type=int, default=1000, help="key space (default 1000)")
    ap.add_argument("--value-size", type=int, default=100, help="bytes per value (default 100)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the key/operation choice")
    ap.add_argument("--json", help="write the results (a list of rounds) to this file")
    ap.add_argument("--plot", help="PNG of latency against throughput over the rounds "
                    "(needs matplotlib)")
    ap.add_argument("--from-json", help="no load: report (and --plot) the rounds of an earlier "
                    "--json file")
    ap.add_argument("--title", default="raftc-kv (tools/kv-bench)", help="the plot's title")
    args = ap.parse_args(argv)
    if args.from_json:
        with open(args.from_json) as f:
            saved: List[Dict[str, Any]] = json.load(f)
        for result in saved:
            print(report(result))
        if args.plot:
            plot(saved, args.plot, args.title)
        return 0
    rounds = [int(x) for x in args.connections.split(",") if x.strip()]
    if not rounds or min(rounds) <= 0 or not 0.0 <= args.reads <= 1.0:
        ap.error("need positive --connections and --reads in [0, 1]")

    cluster: Optional[Cluster] = None
    workdir = ""
    if args.endpoints:
        endpoints = [u.strip().rstrip("/") for u in args.endpoints.split(",") if u.strip()]
    else:
        workdir = tempfile.mkdtemp(prefix="raftc-kv-bench-")
        cluster = Cluster(workdir, parse_launcher(args.launcher), tick_ms=args.tick_ms)
        ids = list(range(1, args.nodes + 1))
        cluster.start_all(ids)
        try:
            lead = cluster.wait_leader(timeout=30)
        except TimeoutError:
            print("kv-bench: no leader within 30 s; logs in %s" % workdir, file=sys.stderr)
            cluster.stop()
            return 1
        endpoints = [cluster.nodes[i].url for i in ids]
        print("kv-bench: started %d nodes (%s), leader %d" % (
            len(ids), " ".join(parse_launcher(args.launcher)), lead), file=sys.stderr)
    results = []
    status = 0
    try:
        for n in rounds:
            args.connections = n
            result = asyncio.run(Load(endpoints, args).run())
            results.append(result)
            print(report(result))
            if result["all"]["ok"] == 0:
                status = 1
    finally:
        if cluster is not None:
            exits = cluster.stop()
            if any(s != 0 for s in exits.values()):
                print("kv-bench: node exit statuses %s; logs kept in %s" % (exits, workdir),
                      file=sys.stderr)
                status = 1
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    if args.plot and results:
        plot(results, args.plot, args.title)
    if status:
        print("kv-bench: FAILED (no request succeeded, or a node did not stop cleanly)",
              file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
