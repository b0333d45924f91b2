# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_kv_cluster.py: raftc-kv processes on loopback, driven over HTTP exactly as a client or a
# peer would: the API and its status codes, bad input (keys, values, peer bodies, members, a
# second node with the same id), membership changes, leader transfer, snapshots sent to a
# joining node, a leader SIGKILLed, SIGTERM and self-removal exits.
import os
import signal
import socket
import time

import pytest

pytest.importorskip("aiohttp", reason="raftc-kv needs the kv extra: pip install '.[kv]'")

from pyraftc import raftpb  # noqa: E402
from pyraftc.kv import wire  # noqa: E402
from pyraftc.kv.cluster import Cluster, delete, get, put, request, retry  # noqa: E402
from pyraftc.kv.logstore import DURABLE  # noqa: E402

TICK_MS = 50
needs_disk = pytest.mark.skipif(not DURABLE, reason="raftc-kv restarts need pyraftc.DiskStorage")


@pytest.fixture(scope="module")
def c3(tmp_path_factory):
    """A 3-node cluster with an elected leader, shared by this module's read-mostly tests."""
    c = Cluster(str(tmp_path_factory.mktemp("kv3")), tick_ms=TICK_MS)
    c.start_all([1, 2, 3])
    try:
        c.wait_leader()
        yield c
    finally:
        statuses = c.stop()
        assert all(s == 0 for s in statuses.values()), statuses


def url(c, i):
    return c.nodes[i].url


def follower(c):
    lead = c.wait_leader()
    return next(i for i in sorted(c.nodes) if i != lead and c.nodes[i].running)


def test_write_on_one_node_read_on_another(c3):
    f = follower(c3)
    other = next(i for i in (1, 2, 3) if i != f)
    assert retry(put, url(c3, f), "greeting", b"hello")[0].status == 204
    r = get(url(c3, other), "greeting")
    assert (r.status, r.body) == (200, b"hello")
    # the write was applied on the node that answered 204: a serializable read there sees it
    r = get(url(c3, f), "greeting", serializable=True)
    assert (r.status, r.body) == (200, b"hello")
    assert delete(url(c3, other), "greeting").status == 204
    assert get(url(c3, f), "greeting").status == 404
    assert delete(url(c3, f), "never-there").status == 204


def test_empty_value_is_a_value(c3):
    assert put(url(c3, 1), "empty", b"").status == 204
    r = get(url(c3, 2), "empty")
    assert (r.status, r.body) == (200, b"")


def test_keys_in_paths(c3):
    u = url(c3, 1)
    assert request(u, "PUT", "/kv/a%2Fb", b"slash").status == 204
    assert request(u, "GET", "/kv/a%2Fb").body == b"slash"
    assert request(u, "PUT", "/kv/%C3%A9", b"e").status == 204
    assert request(u, "GET", "/kv/%C3%A9").body == b"e"
    for path in ("/kv/.", "/kv/..", "/kv/%2E%2E", "/kv/a/b", "/kv/%FF", "/kv/"):
        r = request(u, "PUT", path, b"x")
        assert r.status == 400, (path, r)
        assert request(u, "GET", path).status == 400, path
    assert request(u, "PUT", "/kv/" + "k" * 1024, b"x").status == 204
    r = request(u, "PUT", "/kv/" + "k" * 1025, b"x")
    assert r.status == 413 and r.headers.get("connection") == "close"
    assert request(u, "GET", "/kv/k?consistency=sometimes").status == 400
    assert request(u, "GET", "/kv/k?consistency=serializable&consistency=linearizable"
                   ).status == 400
    assert request(u, "POST", "/kv/k", b"x").status == 405
    assert request(u, "GET", "/nowhere").status == 404


def test_value_limits(c3):
    u = url(c3, 2)
    big = os.urandom(wire.MAX_VALUE)
    assert put(u, "big", big).status == 204
    assert get(url(c3, 3), "big").body == big
    r = put(u, "big", big + b"!")
    assert r.status == 413 and r.headers.get("connection") == "close"
    assert get(u, "big").body == big
    # chunked (no Content-Length): the limit holds too
    chunks = iter([big, b"!"])
    r = request(u, "PUT", "/kv/big", chunks)  # an iterable body goes out chunked
    assert r.status == 413
    assert get(u, "big").body == big


def _msg(**fields):
    frm = fields.pop("frm")
    m = raftpb.Message(**fields)
    setattr(m, "from", frm)
    return m.SerializeToString()


def test_peer_bodies(c3):
    u = url(c3, 3)
    term = c3.nodes[3].status()["term"]
    # a message that would raise the term, followed by an incomplete one: 400, nothing stepped
    high = _msg(type=raftpb.MsgHeartbeat, to=3, frm=1, term=term + 100)
    for tail in (b"\x05ab", b"\x80", b"\x03\xff\xff\xff"):
        r = request(u, "POST", "/raft", wire.frame([high]) + tail)
        assert r.status == 400, (tail, r)
    assert c3.nodes[3].status()["term"] == term
    # well-framed bytes that are not a raftpb Message
    assert request(u, "POST", "/raft", wire.frame([b"\xff\xff\xff\xff"])).status == 400
    # a message claiming to come from this node's own id
    own = _msg(type=raftpb.MsgHeartbeat, to=3, frm=3, term=term)
    assert request(u, "POST", "/raft", wire.frame([own])).status == 400
    # a message for another node id is dropped silently
    other = _msg(type=raftpb.MsgHeartbeat, to=9, frm=1, term=term + 100)
    assert request(u, "POST", "/raft", wire.frame([other])).status == 204
    assert request(u, "POST", "/raft", b"").status == 204
    assert c3.nodes[3].status()["term"] == term
    assert request(u, "GET", "/raft").status == 405
    # over 64 MiB announced: 413 without reading the body, connection closed
    with socket.create_connection(("127.0.0.1", c3.nodes[3].port), timeout=5) as s:
        s.sendall(b"POST /raft HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                  % (wire.MAX_PEER_BODY + 1))
        head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"Connection: close" in head
    # the cluster still works
    assert retry(put, u, "after-bad-input", b"ok")[0].status == 204


def test_members_errors(c3):
    u = url(c3, 1)
    assert request(u, "DELETE", "/members/9").status == 404
    r = request(u, "POST", "/members/2", b"http://127.0.0.1:1")
    assert r.status == 409, r  # a second node claiming id 2
    r = request(u, "POST", "/members/7", c3.nodes[2].url.encode())
    assert r.status == 409, r  # node 2's URL under another id
    assert request(u, "POST", "/members/2", c3.nodes[2].url.encode()).status == 200  # no-op
    for path, body in (("/members/0", b"http://h:1"), ("/members/x", b"http://h:1"),
                       ("/members/5", b"not a url"), ("/members/5", b"\xff"),
                       ("/members/5?learner=maybe", b"http://h:1")):
        assert request(u, "POST", path, body).status == 400, path
    assert request(u, "POST", "/leader/9").status == 404
    assert request(u, "GET", "/leader/1").status == 405


def test_status_document(c3):
    st = c3.nodes[2].status()
    assert set(st) == {"id", "state", "term", "lead", "commit", "applied", "members",
                       "learners", "impl"}
    assert st["id"] == 2 and st["impl"] == "python"
    assert st["state"] in ("StateFollower", "StateLeader", "StateCandidate", "StatePreCandidate")
    assert st["members"] == {str(i): c3.nodes[i].url for i in (1, 2, 3)}
    assert st["learners"] == {}


def test_leader_transfer(c3):
    lead = c3.wait_leader()
    target = next(i for i in (1, 2, 3) if i != lead)
    assert request(url(c3, target), "POST", "/leader/%d" % target).status == 202
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and c3.nodes[target].status()["state"] != "StateLeader":
        time.sleep(0.05)
    assert c3.wait_leader() == target


def test_no_leader_gives_503(tmp_path):
    c = Cluster(str(tmp_path), tick_ms=TICK_MS)
    for i in (1, 2, 3):
        c.add(i)
    c.start(1, [1, 2, 3])  # its peers never start
    try:
        c.wait_up(1)
        r, _ = retry(put, url(c, 1), "k", b"v", attempts=1)
        assert r.status == 503 and r.headers.get("retry-after") == "1"
        assert get(url(c, 1), "k").status == 503
        assert get(url(c, 1), "k", serializable=True).status == 404
    finally:
        assert c.stop() == {1: 0}


def start_refused(c3, subdir, node, data, peers):
    """Starts one more process for id `node` beside cluster c3 (own port, given --data and
    --peers); returns its exit status (None if still running after 10 s) and its log."""
    c = Cluster(os.path.join(c3.workdir, subdir), tick_ms=TICK_MS)
    n = c.add(node)
    n.args = c.launcher + ["--id", str(node), "--listen", "127.0.0.1:%d" % n.port,
                           "--data", data(n), "--peers", peers(n)]
    c._spawn(n)
    try:
        return c.wait_exit(node, 10), c.tail(node)
    finally:
        c.stop()


def test_second_node_with_same_id_refused(c3):
    status, text = start_refused(
        c3, "dup", 2, lambda n: n.data,
        lambda n: ",".join("%d=%s" % (i, c3.nodes[i].url if i != 2 else n.url) for i in (1, 2, 3)))
    assert status == 1 and "already running" in text


def test_membership_snapshot_and_self_removal(tmp_path):
    c = Cluster(str(tmp_path), tick_ms=TICK_MS, snapshot_entries=20)
    c.start_all([1, 2, 3])
    try:
        lead = c.wait_leader()
        for i in range(60):  # three snapshots; the log is compacted behind them
            assert retry(put, url(c, lead), "key%03d" % i, b"v%d" % i)[0].status == 204
        # a learner joins: with the log compacted it must be sent a snapshot
        c.add(4)
        c.start(4, [1, 2, 3, 4], join=True)
        r = request(url(c, 2), "POST", "/members/4?learner=true", c.nodes[4].url.encode())
        assert r.status == 200, r
        st = c.nodes[2].status()  # applied on the node that answered
        assert st["learners"] == {"4": c.nodes[4].url} and "4" not in st["members"]
        commit = c.nodes[lead].status()["commit"]
        c.wait_applied(4, commit)
        for i in (0, 37, 59):
            r = get(url(c, 4), "key%03d" % i, serializable=True)
            assert (r.status, r.body) == (200, b"v%d" % i)
        # promote it, then it serves linearizable reads as a voter
        assert request(url(c, 3), "POST", "/members/4", c.nodes[4].url.encode()).status == 200
        assert "4" in c.nodes[3].status()["members"]
        assert get(url(c, 4), "key059").body == b"v59"
        # remove node 2 through node 2 itself: it answers, applies its removal and exits 0
        r = request(url(c, 2), "DELETE", "/members/2")
        assert r.status == 200, r
        assert c.wait_exit(2, 10) == 0
        lead = c.wait_leader(among=[1, 3, 4])
        deadline = time.monotonic() + 10
        while set(c.nodes[lead].status()["members"]) != {"1", "3", "4"}:
            assert time.monotonic() < deadline, c.nodes[lead].status()
            time.sleep(0.05)
        assert retry(put, url(c, 4), "after-removal", b"ok")[0].status == 204
    finally:
        statuses = c.stop()
    assert all(statuses[i] == 0 for i in (1, 3, 4)), statuses


def test_leader_killed_no_acknowledged_write_lost(tmp_path):
    c = Cluster(str(tmp_path), tick_ms=TICK_MS)
    c.start_all([1, 2, 3])
    try:
        lead = c.wait_leader()
        acked = {}
        for i in range(30):
            r, _ = retry(put, url(c, lead), "k%d" % i, b"%d" % i)
            assert r.status == 204
            acked["k%d" % i] = b"%d" % i
        c.kill(lead, signal.SIGKILL)
        survivors = [i for i in (1, 2, 3) if i != lead]
        new = c.wait_leader(among=survivors)
        assert new != lead
        for k, v in acked.items():
            r, _ = retry(get, url(c, survivors[0]), k)
            assert (r.status, r.body) == (200, v), k
    finally:
        c.stop()


def test_sigterm_exits_zero_quickly(tmp_path):
    c = Cluster(str(tmp_path), tick_ms=TICK_MS)
    c.start_all([1])
    c.wait_leader()
    assert retry(put, url(c, 1), "k", b"v")[0].status == 204
    t0 = time.monotonic()
    statuses = c.stop(timeout=10)
    assert statuses == {1: 0}
    assert time.monotonic() - t0 < 10



@needs_disk
def test_restart_from_data_directory(tmp_path):
    """A SIGKILLed follower restarts from its data directory and catches up; then the whole
    cluster is SIGKILLed and restarted: every acknowledged write is still there."""
    c = Cluster(str(tmp_path), tick_ms=TICK_MS, snapshot_entries=25)
    c.start_all([1, 2, 3])
    try:
        lead = c.wait_leader()
        victim = next(i for i in (1, 2, 3) if i != lead)
        acked = {}
        for i in range(40):
            if i == 10:
                c.kill(victim, signal.SIGKILL)
            assert retry(put, url(c, lead), "k%d" % i, b"v%d" % i)[0].status == 204
            acked["k%d" % i] = b"v%d" % i
        c.restart(victim)
        c.wait_applied(victim, c.nodes[lead].status()["commit"])
        for k, v in acked.items():
            r = get(url(c, victim), k, serializable=True)
            assert (r.status, r.body) == (200, v), k
        for i in (1, 2, 3):
            c.kill(i, signal.SIGKILL)
        for i in (1, 2, 3):
            c.restart(i)
        lead = c.wait_leader()
        for k, v in acked.items():
            r, _ = retry(get, url(c, lead), k)
            assert (r.status, r.body) == (200, v), k
    finally:
        statuses = c.stop()
    assert all(s == 0 for s in statuses.values()), statuses


@needs_disk
def test_node_removed_while_down_exits_after_restart(tmp_path):
    """Node 3 is down (SIGKILL) while the others remove it, so it never receives the removal
    entry; restarted from its data directory, it finds that the leader no longer counts it and
    exits 0."""
    c = Cluster(str(tmp_path), tick_ms=TICK_MS)
    c.start_all([1, 2, 3])
    try:
        lead = c.wait_leader()
        if lead == 3:
            assert request(url(c, 3), "POST", "/leader/1").status == 202
            lead = c.wait_leader(timeout=10, exclude=[3])
        c.kill(3, signal.SIGKILL)
        assert retry(request, url(c, lead), "DELETE", "/members/3")[0].status == 200
        assert retry(put, url(c, lead), "after", b"v")[0].status == 204
        c.restart(3)
        assert c.wait_exit(3, 20) == 0
        assert "removed while cut off" in c.tail(3)
    finally:
        statuses = c.stop()
    assert statuses[1] == 0 and statuses[2] == 0, statuses


def test_second_process_on_a_data_directory_refused(c3):
    """A second process started on a node's data directory (while the node runs) exits 1."""
    status, text = start_refused(c3, "same-dir", 1, lambda n: c3.nodes[1].data,
                                 lambda n: c3.peers_flag([1, 2, 3]))
    assert status == 1 and "cannot open" in text
    assert c3.nodes[1].status() is not None  # the running node is unharmed
