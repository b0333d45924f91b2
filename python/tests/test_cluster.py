# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_cluster.py: three-node in-process clusters over MemoryStorage and over a Python Storage
# subclass: election, replication, restart from storage, conf changes, snapshots, leadership.
import pyraftc
from pyraftc import raftpb
from helpers import Cluster, ListStorage


def test_replication(storage_factory):
    c = Cluster([1, 2, 3], storage_factory)
    c.elect(1)
    for i in range(20):
        c.nodes[1].propose(b"v%d" % i)
    c.stabilize()
    want = [b"v%d" % i for i in range(20)]
    for i in (1, 2, 3):
        assert c.applied[i] == want
    st = c.nodes[1].status()
    assert sorted(st.progress) == [1, 2, 3]
    assert all(p.match == st.hard_state.commit for p in st.progress.values())
    assert c.nodes[2].basic_status().lead == 1
    if storage_factory is ListStorage:
        assert c.storages[1].calls.get("initial_state") == 1
        assert c.storages[1].calls.get("last_index", 0) > 0
    c.close()


def test_follower_forwards_proposals(storage_factory):
    c = Cluster([1, 2, 3], storage_factory)
    c.elect(2)
    c.nodes[3].propose(b"from-follower")
    c.stabilize()
    assert c.applied[1] == [b"from-follower"]


def test_restart_from_storage(storage_factory):
    c = Cluster([1, 2, 3], storage_factory)
    c.elect(1)
    for i in range(5):
        c.nodes[1].propose(b"a%d" % i)
    c.stabilize()
    hs = c.nodes[3].basic_status().hard_state
    before = list(c.applied[3])
    c.nodes[3].close()
    # Restart from the persisted HardState + log (no snapshot, so applied=0): the committed
    # entries, conf changes included, are handed to the application again.
    c.applied[3] = []
    node = c.add(3, storage=c.storages[3], applied=0)
    st = node.basic_status()
    assert (st.hard_state.term, st.hard_state.commit) == (hs.term, hs.commit)
    assert st.lead == 0 and st.applied == 0
    c.stabilize()
    assert c.applied[3] == before and node.conf_state().voters == [1, 2, 3]
    c.nodes[1].propose(b"after-restart")
    c.stabilize()
    assert c.applied[3][-1] == b"after-restart"
    # the restarted node can lead
    c.tick(25)
    c.elect(3)
    c.nodes[3].propose(b"new-leader")
    c.stabilize()
    assert c.applied[1][-1] == b"new-leader"


def test_conf_changes(storage_factory):
    c = Cluster([1, 2, 3], storage_factory)
    c.elect(1)
    # add 4 as a learner (V1), then promote it (V2), then remove 3 (V1)
    c.add(4)
    c.nodes[1].propose_conf_change(raftpb.ConfChange(type=raftpb.ConfChangeAddLearnerNode,
                                                     node_id=4))
    c.stabilize()
    assert list(c.conf[1].learners) == [4]
    c.nodes[1].propose(b"x")
    c.stabilize()
    assert c.applied[4] == [b"x"]
    assert c.nodes[1].status().progress[4].is_learner
    c.nodes[1].propose_conf_change(raftpb.ConfChangeV2(
        changes=[raftpb.ConfChangeSingle(type=raftpb.ConfChangeAddNode, node_id=4)]))
    c.stabilize()
    assert list(c.conf[4].voters) == [1, 2, 3, 4]
    c.nodes[1].propose_conf_change(raftpb.ConfChange(type=raftpb.ConfChangeRemoveNode,
                                                     node_id=3))
    c.stabilize()
    assert list(c.conf[1].voters) == [1, 2, 4]
    assert c.nodes[1].status().config == "voters=(1 2 4)"
    # a joint change with auto leave: replace 2 by 5
    c.add(5)
    c.nodes[1].propose_conf_change(raftpb.ConfChangeV2(changes=[
        raftpb.ConfChangeSingle(type=raftpb.ConfChangeAddNode, node_id=5),
        raftpb.ConfChangeSingle(type=raftpb.ConfChangeRemoveNode, node_id=2)]))
    c.stabilize()
    assert list(c.conf[1].voters) == [1, 4, 5] and list(c.conf[1].voters_outgoing) == []
    c.nodes[1].propose(b"y")
    c.stabilize()
    assert c.applied[5][-1] == b"y"


def test_snapshot_catch_up():
    c = Cluster([1, 2, 3])
    c.elect(1)
    c.dropped.add(3)
    for i in range(10):
        c.nodes[1].propose(b"s%d" % i)
    c.stabilize()
    st = c.storages[1]
    commit = c.nodes[1].basic_status().applied
    st.create_snapshot(commit, c.nodes[1].conf_state(), b"app-state")
    st.compact(commit)
    c.dropped.clear()
    c.tick(3)
    c.stabilize()
    snap = c.storages[3].snapshot()
    assert snap.metadata.index == commit and snap.data == b"app-state"
    c.nodes[1].propose(b"after-snap")
    c.stabilize()
    assert c.applied[3][-1] == b"after-snap"
    assert c.nodes[3].basic_status().applied == c.nodes[1].basic_status().applied


def test_transfer_leader_and_forget_leader(storage_factory):
    c = Cluster([1, 2, 3], storage_factory)
    c.elect(1)
    c.nodes[1].transfer_leader(3)
    c.stabilize()
    assert c.leader() == 3
    c.nodes[2].forget_leader()
    assert c.nodes[2].basic_status().lead == 0
    c.tick(2)
    assert c.nodes[2].basic_status().lead == 3


def test_leader_failure_and_prevote(storage_factory):
    c = Cluster([1, 2, 3], storage_factory, pre_vote=True, check_quorum=True)
    c.elect(1)
    c.dropped.add(1)
    for _ in range(40):
        c.tick()
        if c.leader() not in (0, 1):
            break
    assert c.leader() in (2, 3)
    c.dropped.clear()
    c.tick(5)
    assert c.nodes[1].basic_status().raft_state == pyraftc.StateType.FOLLOWER


def test_read_index_on_follower():
    c = Cluster([1, 2, 3])
    c.elect(1)
    c.nodes[2].read_index(b"req-1")
    states = []
    for _ in range(10):
        for i in (1, 2, 3):
            node = c.nodes[i]
            if node.has_ready():
                rd = node.ready()
                if i == 2:
                    states.extend(rd.read_states)
                c.storages[i].append(rd.entries)
                if rd.hard_state is not None:
                    c.storages[i].set_hard_state(rd.hard_state)
                for m, b in zip(rd.messages, rd.message_bytes):
                    c.queue.append((m.to, b))
                node.advance()
        c.deliver()
    assert states and states[0].request_ctx == b"req-1"
    assert states[0].index == c.nodes[1].basic_status().hard_state.commit


def test_restart_from_snapshot():
    c = Cluster([1, 2, 3])
    c.elect(1)
    for i in range(5):
        c.nodes[1].propose(b"b%d" % i)
    c.stabilize()
    st = c.storages[3]
    applied = c.nodes[3].basic_status().applied
    st.create_snapshot(applied, c.nodes[3].conf_state(), b"kv-state")
    st.compact(applied)
    c.nodes[3].close()
    node = c.add(3, storage=st, applied=applied)
    assert node.conf_state().voters == [1, 2, 3]
    assert node.basic_status().applied == applied
    assert not node.has_ready()
    c.nodes[1].propose(b"after")
    c.stabilize()
    assert c.applied[3][-1] == b"after"
