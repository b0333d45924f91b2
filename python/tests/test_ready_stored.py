# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_ready_stored.py: RawNode.ready_stored (the Ready stored in the node's storage by the same
# call) and the Ready's committed_data / committed_types / committed_indexes, on the lock-free
# node (one C call, python/_hot.c), on a locked node and on a DiskStorage (the storage calls
# made from Python); the same log, HardState and applied data as the Ready loop of
# docs/python.md; and the lock-free node's calls once it is closed.
import pytest

import pyraftc
from pyraftc import raftpb
from helpers import ListStorage, quiet

PAYLOADS = [b"a", b"", b"bc" * 100, b"d"]


def fast_loop(node):
    """The fast loop until quiet: returns (data applied, indexes applied, conf changes)."""
    data, indexes, ccs = [], [], 0
    while node.has_ready():
        rd = node.ready_stored()
        types, cdata, idx = rd.committed_types, rd.committed_data, rd.committed_indexes
        assert len(types) == len(cdata) == len(idx) == len(rd.committed_entries)
        for i, d in enumerate(cdata):
            e = rd.committed_entries[i]
            assert (e.type, e.data, e.index) == (types[i], d, idx[i])
            if types[i] == raftpb.EntryNormal:
                if d:
                    data.append(d)
            else:
                node.apply_conf_change(e)
                ccs += 1
            indexes.append(idx[i])
        node.advance()
    return data, indexes, ccs


def classic_loop(node, st):
    """The Ready loop of docs/python.md until quiet (the reference)."""
    data = []
    while node.has_ready():
        rd = node.ready()
        if rd.snapshot is not None:
            st.apply_snapshot(rd.snapshot)
        st.append(rd.entries)
        if rd.hard_state is not None:
            st.set_hard_state(rd.hard_state)
        for e in rd.committed_entries:
            if e.type == raftpb.EntryNormal:
                if e.data:
                    data.append(e.data)
            else:
                node.apply_conf_change(e)
        node.advance()
    return data


def run(node, loop):
    node.bootstrap([pyraftc.Peer(id=1)])
    out = [loop()]
    node.campaign()
    out.append(loop())
    for p in PAYLOADS:
        node.propose(p)
    node.propose_many([b"m1", b"m2"])
    out.append(loop())
    return out


def log_of(st):
    return (st.first_index(), st.last_index(),
            [(e.term, e.index, e.type, e.data)
             for e in st.entries(st.first_index(), st.last_index() + 1)],
            st.initial_state()[0])


@pytest.mark.parametrize("kind", ["lock-free", "locked", "disk"])
def test_same_log_and_applied_data_as_the_ready_loop(kind, tmp_path):
    ref_st = pyraftc.MemoryStorage()
    ref = pyraftc.RawNode(pyraftc.Config(id=1, storage=ref_st, logger=quiet))
    ref_out = run(ref, lambda: classic_loop(ref, ref_st))
    if kind == "disk":
        st = pyraftc.DiskStorage(str(tmp_path / "raft"))
    else:
        st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet),
                           sync_logging=(kind == "locked"))
    assert (node._hot is not None) == (kind == "lock-free")
    out = run(node, lambda: fast_loop(node))
    assert [o[0] for o in out] == ref_out
    assert out[0][2] == 1  # the bootstrap conf change
    assert out[2][0] == [p for p in PAYLOADS if p] + [b"m1", b"m2"]
    applied = [i for o in out for i in o[1]]
    assert applied == list(range(1, applied[-1] + 1))
    assert log_of(st) == log_of(ref_st)
    assert node.basic_status().applied == applied[-1] == ref.basic_status().applied
    node.close()
    ref.close()
    st.close()


def test_committed_fields_of_a_plain_ready(leader_node):
    node, st, _ = leader_node
    node.propose(b"x")
    rd = node.ready()
    st.append(rd.entries)
    node.advance()
    rd = node.ready()
    assert rd.committed_data == [b"x"]
    assert rd.committed_types == bytes([raftpb.EntryNormal])
    assert list(rd.committed_indexes) == [rd.committed_entries[0].index]
    node.advance()
    empty = node.ready()
    assert (empty.committed_data, empty.committed_types, len(empty.committed_indexes)) == \
        ([], b"", 0)
    node.advance()


def test_own_storage_is_refused():
    st = ListStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    with pytest.raises(pyraftc.StateError, match="store the Ready yourself"):
        node.ready_stored()
    node.close()


def test_soft_state_and_log_lines_reach_the_caller():
    lines = []
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st,
                                          logger=lambda level, text: lines.append(text)))
    assert node._hot is not None
    node.bootstrap([pyraftc.Peer(id=1)])
    fast_loop(node)
    lines.clear()
    node.campaign()
    states = []
    while node.has_ready():
        rd = node.ready_stored()
        states.append(rd.soft_state)
        node.advance()
    assert states[0] == pyraftc.SoftState(0, pyraftc.StateType.CANDIDATE)
    assert pyraftc.SoftState(1, pyraftc.StateType.LEADER) in states
    assert any("became leader" in t for t in lines), lines
    node.close()


def test_logger_exception_is_raised_by_the_call():
    def boom(level, text):
        raise RuntimeError("logger says no")
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    fast_loop(node)
    node._ctx.log = node._log = boom
    node.campaign()
    with pytest.raises(RuntimeError, match="logger says no"):
        node.ready_stored()
    node.close()


def test_a_readys_entries_into_another_storage(leader_node):
    node, st, _ = leader_node
    node.propose(b"p")
    rd = node.ready()
    other, stale = pyraftc.MemoryStorage(), pyraftc.MemoryStorage()
    for s in (other, stale):
        s.apply_snapshot(raftpb.Snapshot(metadata=raftpb.SnapshotMetadata(
            index=rd.entries[0].index - 1, term=rd.entries[0].term)))
    other.append(rd.entries)  # from the node's current Ready view
    st.append(rd.entries)
    node.advance()
    stale.append(rd.entries)  # the view is gone: from the Ready's bytes
    want = [(e.index, e.data) for e in rd.entries]
    for s in (other, stale):
        assert [(e.index, e.data) for e in s.entries(want[0][0], want[-1][0] + 1)] == want


def test_closed_lock_free_node_raises_state_error(leader_node):
    node, _, _ = leader_node
    node.close()
    for call in (node.tick, node.has_ready, node.ready, node.ready_stored, node.advance,
                 lambda: node.step(b"\x08\x01"), lambda: node.propose(b"x"),
                 lambda: node.propose_many([b"x"])):
        with pytest.raises(pyraftc.StateError):
            call()


def test_hot_calls_take_the_other_argument_types(leader_node):
    node, _, c = leader_node
    node.propose(bytearray(b"ba"))
    node.propose(memoryview(b"mv"))
    assert node.propose_many((b"t1", b"t2")) == 2
    with pytest.raises(TypeError):
        node.propose("text")
    with pytest.raises(TypeError):
        node.step(12)
    with pytest.raises(pyraftc.StepPeerNotFoundError):  # a Message object, through Python
        node.step(raftpb.Message(type=raftpb.MsgAppResp, from_=2, to=1, term=1))
    c.stabilize()
    assert c.applied[1][-4:] == [b"ba", b"mv", b"t1", b"t2"]


def test_a_dropped_node_is_freed_at_once():
    # No reference cycle through the C methods: dropping the last reference frees the node
    # (here with the collector off), so its storage may be closed right away.
    import gc
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    assert node._hot is not None
    node.bootstrap([pyraftc.Peer(id=1)])
    fast_loop(node)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del node
        st.close()
    finally:
        if enabled:
            gc.enable()
    assert st.closed


def test_async_writes_disk_storage_is_refused(tmp_path):
    st = pyraftc.DiskStorage(str(tmp_path / "raft"), async_writes=True)
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet,
                                          async_storage_writes=True))
    node.bootstrap([pyraftc.Peer(id=1)])
    with pytest.raises(pyraftc.StateError, match="submit"):
        node.ready_stored()
    assert node.has_ready()  # the Ready was not taken
    node.close()
    st.close()


def test_a_ready_that_cannot_be_stored_fails_the_node():
    class Refusing(pyraftc.MemoryStorage):
        def set_hard_state(self, hard_state):
            raise OSError("disk full")
    st = Refusing()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    with pytest.raises(OSError, match="disk full"):
        node.ready_stored()
    with pytest.raises(pyraftc.NodeFailedError, match="could not be stored"):
        node.advance()
    node.close()
