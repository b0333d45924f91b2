# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_propose_list.py: RawNode.propose_list, etcd's Step of one MsgProp carrying many entries:
# the entries in order in one Ready, applied in order; a drop takes the whole batch (etcd
# checks the uncommitted size limit per MsgProp); argument errors; locked and closed nodes.
import pytest

import pyraftc
from helpers import ListStorage, quiet


def test_entries_in_order(leader_node):
    node, st, c = leader_node
    datas = [b"a", b"", bytearray(b"bc"), memoryview(b"def"), b"g" * 5000]
    node.propose_list(datas)
    rd = node.ready()
    assert [e.data for e in rd.entries] == [b"a", b"", b"bc", b"def", b"g" * 5000]
    assert len({e.index for e in rd.entries}) == 5
    st.append(rd.entries)
    node.advance()
    c.stabilize()
    assert c.applied[1][-4:] == [b"a", b"bc", b"def", b"g" * 5000]


def test_drop_takes_the_whole_batch():
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    with pytest.raises(pyraftc.ProposalDroppedError):  # no leader
        node.propose_list([b"x", b"y"])
    assert not node.has_ready()
    node.close()


@pytest.mark.parametrize("bad", [b"abc", "abc", [b"a", "b"], [b"a", 1], None])
def test_bad_arguments(leader_node, bad):
    node, _, _ = leader_node
    with pytest.raises(TypeError):
        node.propose_list(bad)


def test_empty_list(leader_node):
    node, _, _ = leader_node
    with pytest.raises(ValueError):
        node.propose_list([])


def test_locked_node_and_closed_node():
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=ListStorage(), logger=quiet))
    assert type(node).__name__ == "_LockedRawNode"
    with pytest.raises(pyraftc.ProposalDroppedError):
        node.propose_list([b"x"])
    node.close()
    with pytest.raises(pyraftc.StateError):
        node.propose_list([b"x"])
