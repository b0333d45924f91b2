# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_diskstorage_threads.py: DiskStorage.sync() (the fsync of group commit) runs without the
# lock the nodes share, so a node keeps working while another thread syncs; concurrent syncs
# and node traffic lose nothing.
import threading

import pyraftc
from pyraftc import raftpb
from helpers import quiet

TIMEOUT = 10.0


def in_thread(fn):
    """Starts fn in a daemon thread; returns (thread, result dict: "error" if it raised)."""
    result = {}

    def run():
        try:
            fn()
        except BaseException as exc:  # noqa: B902 - reported to the test
            result["error"] = exc
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, result


class Driver:
    """A bootstrapped one-node cluster on a GROUP-sync DiskStorage, leader after start()."""

    def __init__(self, path):
        self.storage = pyraftc.DiskStorage(path, sync=pyraftc.SyncPolicy.GROUP)
        self.node = pyraftc.RawNode(pyraftc.Config(id=1, storage=self.storage, logger=quiet))
        self.applied = []

    def start(self):
        self.node.bootstrap([pyraftc.Peer(id=1)])
        self.drain()
        self.node.campaign()
        self.drain()
        assert self.node.basic_status().raft_state == pyraftc.StateType.LEADER

    def drain(self, sync=True):
        while self.node.has_ready():
            rd = self.node.ready()
            self.storage.append(rd.entries)
            if rd.hard_state is not None:
                self.storage.set_hard_state(rd.hard_state)
            if sync:
                self.storage.sync()
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal:
                    if e.data:
                        self.applied.append(e.data)
                else:
                    self.node.apply_conf_change(e)
            self.node.advance()

    def close(self):
        self.node.close()
        self.storage.close()


def test_sync_runs_while_a_node_call_holds_the_node_lock(tmp_path):
    d = Driver(str(tmp_path / "raft"))
    d.start()
    d.node.propose(b"a")
    d.drain(sync=False)  # written, not yet synced
    # Another thread is inside a node call (it holds the lock node calls hold) ...
    inside, leave = threading.Event(), threading.Event()

    def node_call():
        with d.node._lock:
            inside.set()
            leave.wait(TIMEOUT)
    holder, _ = in_thread(node_call)
    assert inside.wait(TIMEOUT)
    # ... and a sync still completes meanwhile: it needs only the log's lock.
    syncer, res = in_thread(d.storage.sync)
    syncer.join(TIMEOUT)
    finished = not syncer.is_alive()
    leave.set()
    holder.join(TIMEOUT)
    syncer.join(TIMEOUT)
    assert finished, "sync() waited for the node's lock"
    assert "error" not in res
    d.close()


def test_node_runs_while_a_sync_is_in_progress(tmp_path):
    d = Driver(str(tmp_path / "raft"))
    d.start()
    # A sync in progress holds the log's lock (and has released the GIL for its fsync) ...
    inside, leave = threading.Event(), threading.Event()

    def syncing():
        with d.storage._io_lock:
            inside.set()
            leave.wait(TIMEOUT)
    holder, _ = in_thread(syncing)
    assert inside.wait(TIMEOUT)

    # ... while the node proposes, ticks, hands out its Ready and reads its log.
    got = {}

    def node_work():
        d.node.propose(b"during-sync")
        d.node.tick()
        assert d.node.has_ready()
        rd = d.node.ready()
        assert [e.data for e in rd.entries] == [b"during-sync"]
        d.storage.last_index()
        d.storage.term(d.storage.last_index())
        d.node.basic_status()
        got["rd"] = rd
    worker, res = in_thread(node_work)
    worker.join(TIMEOUT)
    done = not worker.is_alive()
    # A write, however, waits for the log: it must not interleave with the sync.
    writer, wres = in_thread(lambda: d.storage.append(got["rd"].entries) if done else None)
    writer.join(0.2)
    write_waited = writer.is_alive()
    leave.set()
    holder.join(TIMEOUT)
    writer.join(TIMEOUT)
    assert done, "a node call waited for the sync"
    assert "error" not in res and "error" not in wres
    assert write_waited, "append() did not wait for the sync in progress"
    d.node.advance()
    d.close()


def test_concurrent_syncs_lose_nothing(tmp_path):
    path = str(tmp_path / "raft")
    d = Driver(path)
    d.start()
    stop = threading.Event()
    count = [0]

    def sync_loop():
        while not stop.is_set():
            d.storage.sync()
            count[0] += 1
    syncer, res = in_thread(sync_loop)
    want = [b"v%d" % i for i in range(300)]
    for i, p in enumerate(want):
        d.node.propose(p)
        if i % 3 == 2:
            d.drain(sync=False)  # the other thread's syncs make these durable
    d.drain(sync=False)
    stop.set()
    syncer.join(TIMEOUT)
    assert not syncer.is_alive() and "error" not in res
    assert count[0] > 0
    d.storage.sync()
    last = d.storage.last_index()
    assert d.applied == want
    d.close()

    st = pyraftc.DiskStorage(path)
    assert st.last_index() == last
    ents = st.entries(st.first_index(), last + 1)
    assert [e.data for e in ents if e.type == raftpb.EntryNormal and e.data] == want
    st.close()


def slow_take(monkeypatch):
    """Makes take_responses's C call wait until the returned event is set (as a wait for a
    slow fsync of the writer thread does); returns (entered, release) events."""
    real = pyraftc.diskstorage._take
    entered, release = threading.Event(), threading.Event()

    def take(sink, done, ds, timeout_ms):
        entered.set()
        release.wait(TIMEOUT)
        return real(sink, done, ds, 0)
    monkeypatch.setattr(pyraftc.diskstorage, "_take", take)
    return entered, release


def test_node_runs_while_take_responses_waits(tmp_path, monkeypatch):
    st = pyraftc.DiskStorage(str(tmp_path / "raft"), async_writes=True)
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet,
                                          async_storage_writes=True))
    node.bootstrap([pyraftc.Peer(id=1)])
    entered, release = slow_take(monkeypatch)
    first = {}
    taker, tres = in_thread(lambda: first.setdefault("taken", st.take_responses(5.0)))
    assert entered.wait(TIMEOUT)
    # While one thread waits for responses, another drives the node and submits its writes.
    got = {}

    def node_work():
        node.tick()
        assert node.has_ready()
        rd = node.ready()
        for b, to in zip(rd.message_bytes, rd.message_to):
            if to == pyraftc.LOCAL_APPEND_THREAD:
                st.submit(b)
        got["status"] = node.basic_status()
    worker, res = in_thread(node_work)
    worker.join(2.0)
    finished = not worker.is_alive()
    release.set()
    taker.join(TIMEOUT)
    worker.join(TIMEOUT)
    assert finished, "the node waited for take_responses"
    assert "error" not in res and "error" not in tres
    assert got["status"].id == 1
    # what was submitted meanwhile comes back (to the waiting call, or to a later one)
    responses, done = first["taken"]
    monkeypatch.undo()
    for _ in range(100):
        if done:
            break
        r, d = st.take_responses(0.05)
        responses += r
        done += d
    assert done >= 1 and responses
    node.close()
    st.close()


def test_close_waits_for_a_waiting_take_responses(tmp_path, monkeypatch):
    st = pyraftc.DiskStorage(str(tmp_path / "raft"), async_writes=True)
    entered, release = slow_take(monkeypatch)
    taker, tres = in_thread(lambda: st.take_responses(-1))
    assert entered.wait(TIMEOUT)
    closer, cres = in_thread(st.close)
    closer.join(0.2)
    waited = closer.is_alive()
    release.set()
    taker.join(TIMEOUT)
    closer.join(TIMEOUT)
    assert waited, "close() freed the storage under a waiting take_responses"
    assert "error" not in tres and "error" not in cres
    assert st.closed
