# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_storage.py: pyraftc.MemoryStorage (etcd's MemoryStorage semantics and errors).
import pytest

import pyraftc
from pyraftc import raftpb


def ents(*pairs):
    return [raftpb.Entry(index=i, term=t, data=b"%d" % i) for i, t in pairs]


def test_empty(storage):
    assert (storage.first_index(), storage.last_index()) == (1, 0)
    hs, cs = storage.initial_state()
    assert hs == raftpb.HardState() and cs == raftpb.ConfState()
    assert storage.snapshot().metadata.index == 0
    assert storage.term(0) == 0


def test_append_entries_term(storage):
    storage.append(ents((1, 1), (2, 1), (3, 2)))
    assert (storage.first_index(), storage.last_index()) == (1, 3)
    assert [e.index for e in storage.entries(1, 4)] == [1, 2, 3]
    assert storage.entries(2, 3)[0].data == b"2"
    assert storage.term(3) == 2
    # a conflicting tail is truncated
    storage.append(ents((3, 3), (4, 3)))
    assert [(e.index, e.term) for e in storage.entries(1, 5)] == [(1, 1), (2, 1), (3, 3), (4, 3)]
    # bytes are accepted too
    storage.append([raftpb.Entry(index=5, term=3).SerializeToString()])
    assert storage.last_index() == 5
    # max_size keeps at least one entry
    assert len(storage.entries(1, 6, 0)) == 1


def test_errors(storage):
    storage.append(ents((1, 1), (2, 1), (3, 1), (4, 1)))
    with pytest.raises(pyraftc.NodeFailedError):
        storage.entries(1, 10)  # etcd panics: hi out of bound
    with pytest.raises(pyraftc.UnavailableError):
        storage.term(9)
    with pytest.raises(pyraftc.RaftError):
        storage.append(ents((9, 1)))  # gap: etcd panics "missing log entry"
    storage.compact(2)
    assert storage.first_index() == 3
    with pytest.raises(pyraftc.CompactedError) as ei:
        storage.entries(1, 3)
    assert str(ei.value) == "requested index is unavailable due to compaction"
    with pytest.raises(pyraftc.CompactedError):
        storage.compact(2)
    with pytest.raises(pyraftc.RaftError):
        storage.compact(100)
    with pytest.raises(pyraftc.DecodeError):
        storage.append([b"\xff\xff\xff"])
    with pytest.raises(TypeError):
        storage.append(raftpb.Entry(index=5))
    with pytest.raises(TypeError):
        storage.append([{"index": 5}])
    with pytest.raises(TypeError):
        storage.term("1")
    with pytest.raises(ValueError):
        storage.term(-1)
    with pytest.raises(TypeError):
        storage.set_hard_state({"term": 1})


def test_misuse_reports_the_storage_text():
    # Outside any node: etcd's MemoryStorage panic text with the indexes, not "raft node failed".
    storage = pyraftc.MemoryStorage()
    with pytest.raises(pyraftc.NodeFailedError) as ei:
        storage.entries(1, 3)
    assert str(ei.value) == "entries' hi(3) is out of bound lastindex(0)"
    with pytest.raises(pyraftc.NodeFailedError) as ei:
        storage.compact(100)
    assert str(ei.value) == "compact 100 is out of bound lastindex(0)"
    with pytest.raises(pyraftc.NodeFailedError) as ei:
        storage.append(ents((7, 1)))
    assert str(ei.value) == "missing log entry [last: 0, append at: 7]"
    with pytest.raises(pyraftc.NodeFailedError) as ei:
        storage.create_snapshot(5)
    assert str(ei.value) == "snapshot 5 is out of bound lastindex(0)"
    # the storage is not failed
    storage.append(ents((1, 1)))
    assert storage.last_index() == 1


def test_snapshots(storage):
    storage.append(ents((1, 1), (2, 1), (3, 2), (4, 2)))
    cs = raftpb.ConfState(voters=[1, 2, 3])
    snap = storage.create_snapshot(3, cs, b"state")
    assert (snap.metadata.index, snap.metadata.term, snap.data) == (3, 2, b"state")
    assert list(snap.metadata.conf_state.voters) == [1, 2, 3]
    assert storage.snapshot() == snap
    with pytest.raises(pyraftc.SnapshotOutOfDateError):
        storage.create_snapshot(2, cs)
    with pytest.raises(pyraftc.RaftError):
        storage.create_snapshot(10, cs)
    with pytest.raises(pyraftc.DecodeError):
        storage.create_snapshot(4, b"\xff\xff", b"")
    # apply a newer snapshot: log reset to it
    new = raftpb.Snapshot(data=b"d", metadata=raftpb.SnapshotMetadata(index=10, term=4,
                                                                      conf_state=cs))
    storage.apply_snapshot(new)
    assert (storage.first_index(), storage.last_index()) == (11, 10)
    assert storage.term(10) == 4
    assert storage.initial_state()[1] == cs
    with pytest.raises(pyraftc.SnapshotOutOfDateError):
        storage.apply_snapshot(snap)


def test_hard_state(storage):
    storage.set_hard_state(raftpb.HardState(term=3, vote=2, commit=1))
    assert storage.initial_state()[0] == raftpb.HardState(term=3, vote=2, commit=1)
    storage.set_hard_state(raftpb.HardState(term=4).SerializeToString())
    assert storage.initial_state()[0].term == 4


def test_storage_base_is_abstract():
    s = pyraftc.Storage()
    for call in (s.initial_state, s.first_index, s.last_index, s.snapshot,
                 lambda: s.term(1), lambda: s.entries(1, 2, 3)):
        with pytest.raises(NotImplementedError):
            call()
