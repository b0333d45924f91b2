# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# conftest.py: pytest fixtures for the pyraftc tests.
import pytest

import pyraftc
from helpers import Cluster, ListStorage, quiet


@pytest.fixture
def storage():
    return pyraftc.MemoryStorage()


@pytest.fixture
def leader_node():
    """A bootstrapped single-node cluster whose node 1 is the leader (Readys handled)."""
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    c = Cluster([], None)
    c.nodes[1], c.storages[1], c.applied[1] = node, st, []
    c.stabilize()
    node.campaign()
    c.stabilize()
    assert node.basic_status().raft_state == pyraftc.StateType.LEADER
    yield node, st, c
    node.close()


@pytest.fixture(params=["memory", "python"])
def storage_factory(request):
    return pyraftc.MemoryStorage if request.param == "memory" else ListStorage
