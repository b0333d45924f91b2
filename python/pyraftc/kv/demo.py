# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# demo.py: the README's first command (tools/demo.sh runs it): a raftc-kv cluster of real
# processes on loopback in a temporary directory, narrated step by step under a live status
# table: election, writes and reads through different nodes, the leader SIGKILLed with no
# acknowledged write lost, the killed node restarted from its data directory, a fourth node
# joining and one removed. Exit status 0 only when every check held.
"""Narrated raftc-kv cluster demo (see docs/kv.md). Exit status 0 when every check held."""
import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List, Optional, Set

from .cluster import Cluster, Response, get, parse_launcher, put, request

ROLES = {"StateLeader": "leader", "StateFollower": "follower", "StateCandidate": "candidate",
         "StatePreCandidate": "pre-candidate"}


class Board:
    """Narration lines above a status table that refreshes in place on a terminal (and is
    printed after each step otherwise)."""

    def __init__(self, cluster: Cluster, live: bool) -> None:
        self.cluster = cluster
        self.live = live
        self.lock = threading.Lock()
        self.drawn = 0
        self.notes: Dict[int, str] = {}
        self.stop = threading.Event()
        self.thread: Optional[threading.Thread] = None
        self.failures: List[str] = []
        self.skipped: List[str] = []
        self.checks = 0

    def start(self) -> None:
        if self.live:
            self.thread = threading.Thread(target=self._refresh, daemon=True)
            self.thread.start()

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        self.table()

    def _refresh(self) -> None:
        while not self.stop.wait(0.25):
            self.table()

    def _rows(self) -> List[str]:
        rows = ["  %-5s %-14s %-6s %-7s %-7s %-7s %s" % ("node", "role", "term", "commit",
                                                         "applied", "lead", "url")]
        for i, n in sorted(self.cluster.nodes.items()):
            st = n.status(timeout=0.3) if n.running else None
            if st is None:
                role = self.notes.get(i) or ("starting" if n.running else "down")
                rows.append("  %-5d %-14s %-6s %-7s %-7s %-7s %s" % (i, role, "-", "-", "-",
                                                                     "-", n.url))
            else:
                rows.append("  %-5d %-14s %-6d %-7d %-7d %-7s %s" % (
                    i, ROLES.get(st["state"], st["state"]), st["term"], st["commit"],
                    st["applied"], st["lead"] or "-", n.url))
        return rows

    def table(self) -> None:
        rows = self._rows()
        with self.lock:
            if self.live:
                self._erase()
            sys.stdout.write("\n".join(rows) + "\n")
            sys.stdout.flush()
            self.drawn = len(rows) if self.live else 0

    def _erase(self) -> None:
        if self.drawn:
            sys.stdout.write("\x1b[%dA\x1b[J" % self.drawn)
        self.drawn = 0

    def say(self, text: str) -> None:
        with self.lock:
            if self.live:
                self._erase()
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

    def step(self, text: str) -> None:
        if not self.live:
            self.table()
        self.say("\n== " + text)

    def check(self, ok: bool, text: str) -> bool:
        self.checks += 1
        self.say(("  ok    " if ok else "  FAIL  ") + text)
        if not ok:
            self.failures.append(text)
        return ok


class Writer(threading.Thread):
    """Writes key live-N (N = 0, 1, ...) through one node until stopped, retrying a key until
    it is acknowledged; remembers every acknowledged write."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.acked: Dict[str, bytes] = {}
        self.unknown = 0
        self.halt = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.halt.is_set():
            key, value = "live-%04d" % n, b"value %d" % n
            try:
                r = put(self.url, key, value, timeout=6)
            except OSError:
                time.sleep(0.1)
                continue
            if r.status == 204:
                self.acked[key] = value
                n += 1
            else:
                if r.status == 504:
                    self.unknown += 1
                time.sleep(0.05)


def _retry(fn: Any, *args: Any, seconds: float = 15.0) -> Optional[Response]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            r: Response = fn(*args)
            if r.status not in (503, 504):
                return r
        except OSError:
            pass
        time.sleep(0.1)
    return None


def _durable(launcher: List[str]) -> bool:
    """Whether the nodes keep their log on disk (always assumed for other launchers)."""
    if "pyraftc.kv" not in " ".join(launcher):
        return True
    from .logstore import DURABLE
    return DURABLE


def run(args: argparse.Namespace) -> int:
    launcher = parse_launcher(args.launcher)
    workdir = tempfile.mkdtemp(prefix="raftc-kv-demo-")
    c = Cluster(workdir, launcher, tick_ms=args.tick_ms, snapshot_entries=200)
    live = sys.stdout.isatty() and not args.no_live
    b = Board(c, live)
    print("raftc-kv demo: real processes on loopback, data in %s" % workdir)
    print("launcher: %s" % " ".join(launcher))
    try:
        _scenario(c, b, launcher)
    finally:
        statuses = c.stop(timeout=10)
        b.close()
        bad = {i: s for i, s in statuses.items() if s not in (0, -signal.SIGKILL)}
        if bad:
            b.check(False, "every node exits 0 on SIGTERM (got %s)" % bad)
        if b.failures:
            print("\n%d of %d checks FAILED:" % (len(b.failures), b.checks))
            for f in b.failures:
                print("  - " + f)
            for i in sorted(c.nodes):
                print("--- last lines of node %d's log (%s)" % (i, c.nodes[i].log_path))
                print(c.tail(i, 15))
            print("work directory kept: %s" % workdir)
        else:
            print("\nall %d checks held; every node exited 0%s" % (
                b.checks, "".join("; skipped: " + x for x in b.skipped)))
            if args.keep:
                print("work directory kept: %s" % workdir)
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    return 1 if b.failures else 0


def _scenario(c: Cluster, b: Board, launcher: List[str]) -> None:
    b.step("1. three nodes start and elect a leader")
    c.start_all([1, 2, 3])
    b.start()
    try:
        lead = c.wait_leader(timeout=20)
    except TimeoutError:
        b.check(False, "a leader is elected within 20 s")
        return
    st = c.nodes[lead].status() or {}
    b.check(True, "node %d leads at term %s; every node agrees" % (lead, st.get("term")))

    b.step("2. writes through one node, reads through another")
    followers = [i for i in (1, 2, 3) if i != lead]
    w, r = followers[0], followers[1]
    written = {"city-%02d" % i: ("value %d" % i).encode() for i in range(40)}
    ok = all((_retry(put, c.nodes[w].url, k, v) or Response(0, b"", {})).status == 204
             for k, v in written.items())
    b.check(ok, "%d PUTs through node %d answered 204 (forwarded to leader %d)"
            % (len(written), w, lead))
    got = {k: get(c.nodes[r].url, k) for k in written}
    b.check(all(x.status == 200 and x.body == written[k] for k, x in got.items()),
            "node %d reads all %d back (linearizable GETs through ReadIndex)" % (r, len(written)))
    b.check(get(c.nodes[r].url, "no-such-key").status == 404, "a missing key answers 404")

    b.step("3. the leader (node %d) is killed with SIGKILL while a client keeps writing" % lead)
    writer = Writer(c.nodes[w].url)
    writer.start()
    time.sleep(1.0)
    before = len(writer.acked)
    c.kill(lead, signal.SIGKILL)
    killed = lead
    b.notes[killed] = "killed"
    b.say("  node %d killed after %d acknowledged writes" % (killed, before))
    try:
        lead = c.wait_leader(timeout=20, among=followers)
    except TimeoutError:
        b.check(False, "the survivors elect a new leader within 20 s")
        writer.halt.set()
        return
    b.check(lead != killed, "node %d is the new leader" % lead)
    after = len(writer.acked)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(writer.acked) < after + 20:
        time.sleep(0.1)
    writer.halt.set()
    writer.join(10)
    b.check(len(writer.acked) >= after + 20, "writes continued: %d acknowledged in all, %d answered "
            "504 (unknown outcome)" % (len(writer.acked), writer.unknown))
    lost = [k for k, v in writer.acked.items()
            if (_retry(get, c.nodes[lead].url, k) or Response(0, b"", {})).body != v]
    lost += [k for k, v in written.items() if get(c.nodes[lead].url, k).body != v]
    b.check(not lost, "no acknowledged write lost (%d keys read back from node %d)%s"
            % (len(writer.acked) + len(written), lead, "" if not lost else ": lost %s" % lost[:5]))

    b.step("4. the killed node restarts from its data directory and catches up")
    if _durable(launcher):
        b.notes.pop(killed, None)
        c.restart(killed)
        st = c.nodes[lead].status() or {}
        commit = st.get("commit", 0)
        try:
            c.wait_applied(killed, commit, timeout=20)
            caught = True
        except TimeoutError:
            caught = False
        b.check(caught, "node %d restarted from %s and applied up to %d"
                % (killed, c.nodes[killed].data, commit))
        last = max(writer.acked) if writer.acked else "city-00"
        want = writer.acked.get(last) or written["city-00"]
        mine = get(c.nodes[killed].url, last, serializable=True)
        b.check(mine.status == 200 and mine.body == want,
                "node %d's own state holds the last acknowledged write (%s)" % (killed, last))
    else:
        b.say("  SKIPPED: this build of raftc-kv keeps its log in memory (pyraftc.DiskStorage "
              "is not available), so a node cannot restart from its data directory")
        b.skipped.append("restart from the data directory (memory storage)")
        c.nodes.pop(killed)

    b.step("5. a fourth node joins, then one node is removed")
    node4 = c.add(4)
    members: Set[int] = {i for i in c.nodes if i != 4}
    c.start(4, sorted(members | {4}), join=True)
    c.wait_up(4)
    added = _retry(request, c.nodes[lead].url, "POST", "/members/4", node4.url.encode())
    b.check(added is not None and added.status == 200, "POST /members/4 on leader %d answered 200" % lead)
    st = c.nodes[lead].status() or {}
    try:
        c.wait_applied(4, st.get("commit", 0), timeout=20)
        caught = True
    except TimeoutError:
        caught = False
    b.check(caught, "node 4 caught up to index %s" % st.get("commit"))
    read4 = get(c.nodes[4].url, "city-07")
    b.check(read4.status == 200 and read4.body == written["city-07"], "node 4 serves reads")
    victim = next(i for i in sorted(c.nodes) if i not in (lead, 4) and c.nodes[i].running)
    remaining = sorted(set((c.nodes[lead].status() or {}).get("members", {})) - {str(victim)})
    removed = _retry(request, c.nodes[lead].url, "DELETE", "/members/%d" % victim)
    b.check(removed is not None and removed.status == 200, "DELETE /members/%d answered 200" % victim)
    status = c.wait_exit(victim, 10)
    b.notes[victim] = "removed"
    b.check(status == 0, "node %d applied its own removal and exited 0 (status %s)"
            % (victim, status))
    st = c.nodes[lead].status() or {}
    b.check(sorted(st.get("members", {})) == remaining, "members are now %s" % ", ".join(remaining))
    wrote = _retry(put, c.nodes[4].url, "after", b"membership change")
    y = get(c.nodes[lead].url, "after")
    b.check(wrote is not None and wrote.status == 204 and y.body == b"membership change",
            "the cluster of %d members still takes writes" % len(remaining))
    b.step("6. SIGTERM: every node stops cleanly")


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="raftc-kv-demo", description=__doc__)
    ap.add_argument("--launcher", help="command that starts one node (gets the shared flags); "
                    "default: this package's raftc-kv")
    ap.add_argument("--tick-ms", type=int, default=100, help="tick interval (default 100)")
    ap.add_argument("--no-live", action="store_true", help="no refreshing table")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args(argv)
    status = run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
