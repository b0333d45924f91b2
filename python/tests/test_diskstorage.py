# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_diskstorage.py: pyraftc.DiskStorage: a node restarts from disk with its log, HardState
# and snapshot; the directory lock; corruption and bad options raise clear errors.
import os

import pytest

import pyraftc
from pyraftc import raftpb
from helpers import quiet


def run_single_node(storage, proposals):
    """Bootstraps (if empty) a one-node cluster on storage, elects it, commits proposals,
    persisting every Ready; returns the node and the applied payloads."""
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=storage, logger=quiet))
    if storage.last_index() == 0:
        node.bootstrap([pyraftc.Peer(id=1)])
    applied = []

    def drain():
        while node.has_ready():
            rd = node.ready()
            if rd.hard_state is not None:
                storage.set_hard_state(rd.hard_state)
            storage.append(rd.entries)
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal and e.data:
                    applied.append(e.data)
                elif e.type == raftpb.EntryConfChange:
                    cc = raftpb.ConfChange.FromString(e.data)
                    node.apply_conf_change(cc)
            node.advance()

    drain()
    node.campaign()
    drain()
    for p in proposals:
        node.propose(p)
        drain()
    return node, applied


def test_restart_from_disk(tmp_path):
    path = tmp_path / "node1"
    st = pyraftc.DiskStorage(path, segment_size=64 * 1024)
    node, applied = run_single_node(st, [b"v%d" % i for i in range(200)])
    assert applied == [b"v%d" % i for i in range(200)]
    last = st.last_index()
    hs, _ = st.initial_state()
    assert hs.commit == last
    node.close()
    st.close()

    st2 = pyraftc.DiskStorage(path, segment_size=64 * 1024)
    assert st2.last_index() == last
    hs2, _ = st2.initial_state()
    assert hs2 == hs
    ents = st2.entries(st2.first_index(), last + 1)
    data = [e.data for e in ents if e.type == raftpb.EntryNormal and e.data]
    assert data == [b"v%d" % i for i in range(200)]
    # the node restarts on it, becomes leader again at a higher term and keeps committing
    node2, applied2 = run_single_node(st2, [b"after"])
    assert node2.basic_status().hard_state.term > hs.term
    assert applied2[-1] == b"after"
    assert st2.stat("torn_bytes") == 0
    assert st2.stat("bytes_written") > 0
    node2.close()
    st2.close()


def test_snapshot_survives_restart(tmp_path):
    path = tmp_path / "snap"
    with pyraftc.DiskStorage(path, segment_size=4096) as st:
        node, _ = run_single_node(st, [b"x" * 100 for _ in range(100)])
        applied = node.basic_status().applied
        snap = st.create_snapshot(applied, raftpb.ConfState(voters=[1]), b"state-machine")
        st.compact(applied)
        node.close()
    names = sorted(os.listdir(path))
    assert "LOCK" in names and any(n.endswith(".snap") for n in names)
    with pyraftc.DiskStorage(path, segment_size=4096) as st:
        got = st.snapshot()
        assert got == snap
        assert st.first_index() == applied + 1
        hs, cs = st.initial_state()
        assert list(cs.voters) == [1]


def test_directory_is_locked(tmp_path):
    st = pyraftc.DiskStorage(tmp_path / "d")
    with pytest.raises(pyraftc.StorageLockedError, match="locked by another process"):
        pyraftc.DiskStorage(tmp_path / "d")
    st.close()
    pyraftc.DiskStorage(tmp_path / "d").close()


def test_corruption_is_refused_with_file_and_offset(tmp_path):
    path = tmp_path / "c"
    with pyraftc.DiskStorage(path, segment_size=4096) as st:
        for lo in range(1, 300, 10):  # many records: the damaged one is followed by intact ones
            st.append([raftpb.Entry(index=i, term=1, data=b"p" * 50) for i in range(lo, lo + 10)])
    seg = path / "wal-0000000000000001.log"
    raw = bytearray(seg.read_bytes())
    raw[300] ^= 0x40
    seg.write_bytes(bytes(raw))
    with pytest.raises(pyraftc.CorruptStorageError,
                       match=r"wal-0000000000000001\.log at offset \d+"):
        pyraftc.DiskStorage(path, segment_size=4096)


def test_group_sync_and_bad_options(tmp_path):
    with pyraftc.DiskStorage(tmp_path / "g", sync=pyraftc.SyncPolicy.GROUP) as st:
        st.append([raftpb.Entry(index=1, term=1, data=b"a")])
        st.sync()
    with pyraftc.DiskStorage(tmp_path / "g") as st:
        assert st.last_index() == 1
    with pytest.raises(pyraftc.InvalidArgumentError):
        pyraftc.DiskStorage(tmp_path / "bad", segment_size=100)
    with pytest.raises(ValueError):
        pyraftc.DiskStorage(tmp_path / "bad2", sync=7)


def test_async_writes_writer_thread(tmp_path):
    # A node with async storage writes on the storage's writer thread: the MsgStorageAppend
    # messages go to submit(), the responses come back from take_responses() once durable;
    # every proposal is applied, and a reopened storage has them.
    path = tmp_path / "async"
    st = pyraftc.DiskStorage(path, async_writes=True)
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet,
                                          async_storage_writes=True))
    node.bootstrap([pyraftc.Peer(id=1)])
    applied = []
    persisted = 0

    def round_trip(timeout):
        nonlocal persisted
        while node.has_ready():
            rd = node.ready()
            for b, to in zip(rd.message_bytes, rd.message_to):
                if to == pyraftc.LOCAL_APPEND_THREAD:
                    st.submit(b)
                    continue
                assert to == pyraftc.LOCAL_APPLY_THREAD
                m = raftpb.Message.FromString(b)
                for e in m.entries:
                    if e.type == raftpb.EntryNormal and e.data:
                        applied.append(e.data)
                    elif e.type != raftpb.EntryNormal:
                        node.apply_conf_change_entry(e)
                for r in m.responses:
                    node.step(r)
        responses, done = st.take_responses(timeout)
        persisted += done
        for to, b in responses:
            assert to == 1
            node.step(b)

    for _ in range(100):
        round_trip(0.05)
        if node.basic_status().raft_state == pyraftc.StateType.LEADER:
            break
        if node.basic_status().applied >= 1:
            node.campaign()
    want = [b"v%d" % i for i in range(60)]
    for i, p in enumerate(want):
        node.propose(p)
        if i % 5 == 4:
            round_trip(0.01)
    for _ in range(200):
        if applied == want and st.stat("pending") == 0 and not node.has_ready():
            break
        round_trip(0.05)
    assert applied == want
    assert persisted > 0
    # the writer owns the log's writes
    with pytest.raises(pyraftc.StateError):
        st.append([raftpb.Entry(index=99, term=1)])
    with pytest.raises(pyraftc.InvalidArgumentError):
        st.submit(raftpb.Message(type=raftpb.MsgApp, to=2))
    last = st.last_index()
    node.close()
    st.close()
    with pyraftc.DiskStorage(path) as again:
        assert again.last_index() == last
        with pytest.raises(pyraftc.StateError):
            again.take_responses()
