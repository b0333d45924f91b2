# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# cluster.py: runs raftc-kv nodes as processes on loopback through the launcher flags that every
# implementation shares (so the demo, the load test and the tests drive any of them), plus a
# small blocking HTTP client for the API. Used by `python -m pyraftc.kv.demo`, tools/kv-bench
# and python/tests/test_kv_*.py.
"""Process clusters of raftc-kv nodes on loopback, and a blocking client."""
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from typing import IO, Any, Dict, List, Optional, Sequence, Tuple

__all__ = ["DEFAULT_LAUNCHER", "Cluster", "NodeProc", "Response", "request", "free_port",
           "parse_launcher"]

#: The Python implementation, run with this interpreter.
DEFAULT_LAUNCHER = [sys.executable, "-m", "pyraftc.kv"]


def parse_launcher(text: Optional[str]) -> List[str]:
    """A launcher command line (shell words) or the default (this package's raftc-kv)."""
    return shlex.split(text) if text else list(DEFAULT_LAUNCHER)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Response:
    """An HTTP answer: status, body and headers (lower-case names)."""

    def __init__(self, status: int, body: bytes, headers: Dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return "Response(%d, %r)" % (self.status, self.body[:80])


def request(url: str, method: str, path: str, body: Any = None,
            timeout: float = 10.0, headers: Optional[Dict[str, str]] = None) -> Response:
    """One request to a node's base URL (path sent as given, without normalisation). Raises
    OSError (e.g. ConnectionRefusedError, socket.timeout) when the node does not answer."""
    host_port = url.split("://", 1)[1].rstrip("/")
    host, _, port = host_port.rpartition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, data, {k.lower(): v for k, v in resp.getheaders()})
    except http.client.HTTPException as exc:
        raise OSError("%s %s%s: %s" % (method, url, path, exc)) from exc
    finally:
        conn.close()


class NodeProc:
    """One node process of a Cluster."""

    def __init__(self, node: int, port: int, data: str, log_path: str) -> None:
        self.id = node
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        self.data = data
        self.log_path = log_path
        self.proc: Optional["subprocess.Popen[bytes]"] = None
        self.args: List[str] = []
        self._log: Optional[IO[bytes]] = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def status(self, timeout: float = 2.0) -> Optional[Dict[str, Any]]:
        """The node's /status, or None if it does not answer."""
        try:
            r = request(self.url, "GET", "/status", timeout=timeout)
        except OSError:
            return None
        if r.status != 200:
            return None
        st: Dict[str, Any] = r.json()
        return st


class Cluster:
    """raftc-kv processes on loopback under one work directory.

    Each node gets a free port, a data directory ``<workdir>/node<N>`` and a log file
    ``<workdir>/node<N>.log``; the launcher gets the shared flags appended.
    """

    def __init__(self, workdir: str, launcher: Optional[Sequence[str]] = None,
                 tick_ms: int = 100, snapshot_entries: int = 10000,
                 env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.launcher = list(launcher or DEFAULT_LAUNCHER)
        self.tick_ms = tick_ms
        self.snapshot_entries = snapshot_entries
        self.env = env
        self.nodes: Dict[int, NodeProc] = {}
        os.makedirs(workdir, exist_ok=True)

    def add(self, node: int) -> NodeProc:
        """Reserves a port and a data directory for a node (not started)."""
        n = NodeProc(node, free_port(), os.path.join(self.workdir, "node%d" % node),
                     os.path.join(self.workdir, "node%d.log" % node))
        self.nodes[node] = n
        return n

    def peers_flag(self, ids: Sequence[int]) -> str:
        return ",".join("%d=%s" % (i, self.nodes[i].url) for i in sorted(ids))

    def start(self, node: int, peers: Sequence[int], join: bool = False,
              extra: Sequence[str] = ()) -> NodeProc:
        """Starts a node process with --peers for the given ids (reserving it if needed)."""
        n = self.nodes.get(node) or self.add(node)
        for p in peers:
            if p not in self.nodes:
                self.add(p)
        n.args = self.launcher + [
            "--id", str(node), "--listen", "127.0.0.1:%d" % n.port, "--data", n.data,
            "--peers", self.peers_flag(peers), "--tick-ms", str(self.tick_ms),
            "--snapshot-entries", str(self.snapshot_entries)] + (["--join"] if join else []) + \
            list(extra)
        return self._spawn(n)

    def _spawn(self, n: NodeProc) -> NodeProc:
        if n._log is not None:
            n._log.close()
        n._log = open(n.log_path, "ab")
        env = dict(os.environ)
        env.update(self.env or {})
        n.proc = subprocess.Popen(n.args, stdout=n._log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        return n

    def start_all(self, ids: Sequence[int]) -> None:
        """Starts a fresh cluster of voters ids."""
        for i in ids:
            self.add(i)
        for i in ids:
            self.start(i, ids)

    def restart(self, node: int) -> NodeProc:
        """Starts a stopped node again with the same flags (and data directory)."""
        n = self.nodes[node]
        if n.running:
            raise RuntimeError("node %d is still running" % node)
        return self._spawn(n)

    def kill(self, node: int, sig: int = signal.SIGKILL) -> None:
        """Sends sig to a node process (SIGKILL by default) and reaps it if it was SIGKILL."""
        n = self.nodes[node]
        if n.proc is not None and n.proc.poll() is None:
            n.proc.send_signal(sig)
            if sig == signal.SIGKILL:
                n.proc.wait()

    def wait_exit(self, node: int, timeout: float) -> Optional[int]:
        """The node's exit status, or None if it still runs after timeout seconds."""
        n = self.nodes[node]
        if n.proc is None:
            return None
        try:
            return n.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def running(self) -> List[NodeProc]:
        return [n for n in self.nodes.values() if n.running]

    def statuses(self) -> Dict[int, Optional[Dict[str, Any]]]:
        """/status of every node (None for a node that does not answer)."""
        return {i: (n.status(timeout=1.0) if n.running else None)
                for i, n in sorted(self.nodes.items())}

    def wait_leader(self, timeout: float = 15.0, among: Optional[Sequence[int]] = None,
                    exclude: Sequence[int] = ()) -> int:
        """The id of a leader that every running node in `among` (default: all running) agrees
        on, waiting up to timeout seconds. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ids = [i for i in (among or [n.id for n in self.running()]) if i not in exclude]
            leads = set()
            for i in ids:
                st = self.nodes[i].status(timeout=1.0)
                leads.add(st["lead"] if st else 0)
            if len(leads) == 1:
                lead = leads.pop()
                if lead and lead not in exclude:
                    st = self.nodes[lead].status(timeout=1.0) if lead in self.nodes else None
                    if st and st["state"] == "StateLeader":
                        return int(lead)
            time.sleep(0.05)
        raise TimeoutError("no agreed leader within %gs" % timeout)

    def wait_up(self, node: int, timeout: float = 15.0) -> Dict[str, Any]:
        """Waits until node answers /status; returns it. Raises TimeoutError, or RuntimeError
        if the process exits first."""
        deadline = time.monotonic() + timeout
        n = self.nodes[node]
        while time.monotonic() < deadline:
            if not n.running:
                raise RuntimeError("node %d exited: %s" % (node, self.tail(node)))
            st = n.status(timeout=1.0)
            if st is not None:
                return st
            time.sleep(0.05)
        raise TimeoutError("node %d did not answer within %gs" % (node, timeout))

    def wait_applied(self, node: int, index: int, timeout: float = 15.0) -> None:
        """Waits until node applied index. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.nodes[node].status(timeout=1.0)
            if st and st["applied"] >= index:
                return
            time.sleep(0.05)
        raise TimeoutError("node %d did not apply %d within %gs" % (node, index, timeout))

    def stop(self, timeout: float = 10.0) -> Dict[int, Optional[int]]:
        """SIGTERMs every running node; returns their exit statuses (None: SIGKILLed after
        timeout)."""
        result: Dict[int, Optional[int]] = {}
        for n in self.running():
            assert n.proc is not None
            n.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for i, n in self.nodes.items():
            if n.proc is None:
                continue
            try:
                result[i] = n.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                n.proc.kill()
                n.proc.wait()
                result[i] = None
        for n in self.nodes.values():
            if n._log is not None:
                n._log.close()
                n._log = None
        return result

    def tail(self, node: int, lines: int = 20) -> str:
        """The last lines of a node's log."""
        try:
            with open(self.nodes[node].log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""


def kv_path(key: str) -> str:
    """The /kv/ path of a key (percent-encoded, / as %2F)."""
    from urllib.parse import quote
    return "/kv/" + quote(key, safe="")


def put(url: str, key: str, value: bytes, timeout: float = 10.0) -> Response:
    return request(url, "PUT", kv_path(key), value, timeout=timeout)


def get(url: str, key: str, serializable: bool = False, timeout: float = 10.0) -> Response:
    return request(url, "GET", kv_path(key) + ("?consistency=serializable" if serializable
                                               else ""), timeout=timeout)


def delete(url: str, key: str, timeout: float = 10.0) -> Response:
    return request(url, "DELETE", kv_path(key), timeout=timeout)


def retry(fn: Any, *args: Any, attempts: int = 50, pause: float = 0.1) -> Tuple[Response, int]:
    """Calls fn(*args) until it answers something else than 503 or a connection error;
    returns (the last response, attempts used). Raises the last OSError if none answered."""
    last: Optional[BaseException] = None
    for i in range(attempts):
        try:
            r: Response = fn(*args)
            if r.status != 503:
                return r, i + 1
        except OSError as exc:
            last = exc
            r = Response(0, b"", {})
        time.sleep(pause)
    if last is not None and r.status == 0:
        raise last
    return r, attempts
