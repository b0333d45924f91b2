# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_propose_many.py: RawNode.propose_many, the batch form of propose: the same entries in
# the same order as one propose() each, the count of those proposed when raft drops one,
# argument errors, and closed nodes; on the lock-free and the locked node.
import pytest

import pyraftc
from helpers import ListStorage, quiet


def test_same_entries_as_one_propose_each(leader_node):
    node, st, c = leader_node
    datas = [b"a", b"", bytearray(b"bc"), memoryview(b"def"), b"g" * 1000]
    assert node.propose_many(datas) == len(datas)
    rd = node.ready()
    assert [e.data for e in rd.entries] == [b"a", b"", b"bc", b"def", b"g" * 1000]
    st.append(rd.entries)
    node.advance()
    c.stabilize()
    assert c.applied[1][-4:] == [b"a", b"bc", b"def", b"g" * 1000]  # empty data is not applied
    assert node.propose_many([]) == 0


def test_returns_how_many_before_a_drop():
    st = pyraftc.MemoryStorage()
    # no leader: raft drops the first proposal already
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    assert node.propose_many([b"x", b"y"]) == 0
    node.close()
    # the uncommitted size limit drops the proposals past it
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet,
                                          max_uncommitted_entries_size=10))
    node.bootstrap([pyraftc.Peer(id=1)])
    while node.has_ready():
        rd = node.ready()
        st.append(rd.entries)
        if rd.hard_state is not None:
            st.set_hard_state(rd.hard_state)
        for e in rd.committed_entries:
            node.apply_conf_change(e)
        node.advance()
    node.campaign()
    while node.has_ready():
        rd = node.ready()
        st.append(rd.entries)
        node.advance()
    # etcd lets the first proposal past the limit through when nothing is uncommitted
    assert node.propose_many([b"12345", b"67890", b"abcde", b"fghij"]) == 2
    node.close()


@pytest.mark.parametrize("bad", [b"abc", "abc", [b"a", "b"], [b"a", 1], None])
def test_bad_arguments(leader_node, bad):
    node, _, _ = leader_node
    with pytest.raises(TypeError):
        node.propose_many(bad)


def test_locked_node_and_closed_node():
    st = ListStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    assert type(node).__name__ == "_LockedRawNode"
    assert node.propose_many([b"x"]) == 0  # no leader yet
    node.close()
    with pytest.raises(pyraftc.StateError):
        node.propose_many([b"x"])
    with pytest.raises(pyraftc.StateError):
        node.propose_many([])
    m = pyraftc.RawNode(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=quiet))
    m.close()
    with pytest.raises(pyraftc.StateError):
        m.propose_many([b"x"])
