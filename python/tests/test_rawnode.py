# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_rawnode.py: RawNode API behaviour on a single node (Ready contents, status, requests,
# lifecycle, async storage writes).
import pytest

import pyraftc
from pyraftc import raftpb
from helpers import quiet


def new_node(storage=None, **kw):
    storage = storage or pyraftc.MemoryStorage()
    kw.setdefault("logger", quiet)
    return pyraftc.RawNode(pyraftc.Config(id=1, storage=storage, **kw)), storage


def test_bootstrap_ready():
    node, st = new_node()
    assert not node.has_ready()
    node.bootstrap([pyraftc.Peer(id=1, context=b"c1")])
    assert node.has_ready()
    rd = node.ready()
    assert rd.soft_state is None
    assert rd.hard_state == raftpb.HardState(term=1, commit=1)
    assert rd.must_sync
    assert len(rd.entries) == 1 and rd.entries[0].type == raftpb.EntryConfChange
    cc = raftpb.ConfChange.FromString(rd.entries[0].data)
    assert (cc.type, cc.node_id, cc.context) == (raftpb.ConfChangeAddNode, 1, b"c1")
    assert rd.committed_entries == rd.entries
    assert rd.messages == [] and rd.read_states == [] and rd.snapshot is None
    assert rd.contains_updates() and "hard_state=Term:1" in repr(rd)
    st.set_hard_state(rd.hard_state)
    st.append(rd.entries)
    cs = node.apply_conf_change(cc)
    assert list(cs.voters) == [1]
    node.advance()
    assert not node.has_ready()
    st_ = node.status()
    assert (st_.id, st_.applied, st_.hard_state.commit) == (1, 1, 1)
    assert st_.raft_state == pyraftc.StateType.FOLLOWER and st_.lead == 0
    assert st_.config == "voters=(1)" and st_.progress == {}


def test_campaign_propose_commit(leader_node):
    node, st, c = leader_node
    s = node.status()
    assert s.raft_state == pyraftc.StateType.LEADER and s.lead == 1
    assert set(s.progress) == {1}
    pr = s.progress[1]
    assert pr.state == pyraftc.ProgressStateType.REPLICATE and pr.match == s.hard_state.commit
    node.propose(b"hello")
    rd = node.ready()
    assert [e.data for e in rd.entries] == [b"hello"]
    assert rd.entry_bytes[0] == rd.entries[0].SerializeToString()
    st.append(rd.entries)
    node.advance()
    rd = node.ready()
    assert [e.data for e in rd.committed_entries] == [b"hello"]
    assert rd.hard_state.commit == rd.committed_entries[0].index
    node.advance()
    assert node.basic_status().applied == rd.committed_entries[0].index
    assert "raft_state=LEADER" in repr(node.basic_status())


def test_batched_proposal_in_one_msgprop(leader_node):
    """A host batching its writes steps one MsgProp carrying many entries (etcd's Step of a
    MsgProp; bench/run's single_p64): one Ready with all of them, committed and applied in
    order. The host addresses it to the node itself (to = from = its id)."""
    node, st, c = leader_node
    datas = [b"w%02d" % i for i in range(64)]
    node.step(raftpb.Message(type=raftpb.MsgProp, to=1, from_=1,
                             entries=[raftpb.Entry(data=d) for d in datas]))
    rd = node.ready()
    assert [e.data for e in rd.entries] == datas
    idx = [e.index for e in rd.entries]
    assert idx == list(range(idx[0], idx[0] + 64))
    st.append(rd.entries)
    node.advance()
    rd = node.ready()
    assert [e.data for e in rd.committed_entries] == datas
    node.advance()
    assert node.basic_status().applied == idx[-1]


def test_soft_state_on_campaign():
    node, st = new_node()
    node.bootstrap([pyraftc.Peer(id=1)])
    rd = node.ready()
    st.set_hard_state(rd.hard_state)
    st.append(rd.entries)
    node.apply_conf_change_entry(rd.committed_entries[0])
    node.advance()
    node.campaign()
    rd = node.ready()  # etcd 3.6+: the self-vote arrives after the Ready is persisted
    assert rd.soft_state == pyraftc.SoftState(0, pyraftc.StateType.CANDIDATE)
    st.set_hard_state(rd.hard_state)
    node.advance()
    rd = node.ready()
    assert rd.soft_state == pyraftc.SoftState(1, pyraftc.StateType.LEADER)
    assert rd.soft_state.raft_state is pyraftc.StateType.LEADER


def test_read_index(leader_node):
    node, st, c = leader_node
    node.read_index(b"rctx")
    rd = node.ready()
    assert rd.read_states == [pyraftc.ReadState(node.basic_status().hard_state.commit, b"rctx")]
    node.advance()


def test_ready_twice_and_advance_misuse(leader_node):
    node, st, c = leader_node
    with pytest.raises(pyraftc.StateError):
        node.advance()
    node.propose(b"x")
    node.ready()
    with pytest.raises(pyraftc.StateError, match="two accepted Ready"):
        node.ready()
    node.advance()


def test_transfer_forget_report_noops(leader_node):
    node, st, c = leader_node
    node.transfer_leader(1)          # to itself: ignored (a log line)
    node.report_unreachable(2)       # unknown peer: ignored
    node.report_snapshot(2, pyraftc.SnapshotStatus.FAILURE)
    node.forget_leader()             # leader: ignored
    node.tick()
    assert node.basic_status().raft_state == pyraftc.StateType.LEADER
    with pytest.raises(ValueError):
        node.report_snapshot(2, 9)
    with pytest.raises(TypeError):
        node.transfer_leader("2")


def test_proposal_dropped_without_leader():
    node, st = new_node()
    node.bootstrap([pyraftc.Peer(id=1), pyraftc.Peer(id=2)])
    with pytest.raises(pyraftc.ProposalDroppedError) as ei:
        node.propose(b"x")
    assert str(ei.value) == "raft proposal dropped" and ei.value.code == -5
    assert node.last_error == "raft proposal dropped"
    cc = raftpb.ConfChange(type=raftpb.ConfChangeAddNode, node_id=3)
    with pytest.raises(pyraftc.ProposalDroppedError):
        node.propose_conf_change(cc)


def test_bootstrap_errors():
    node, st = new_node()
    with pytest.raises(pyraftc.InvalidArgumentError):
        node.bootstrap([])
    with pytest.raises(TypeError):
        node.bootstrap(pyraftc.Peer(id=1))
    with pytest.raises(TypeError):
        node.bootstrap([1, 2])
    node.bootstrap([pyraftc.Peer(id=1)])
    rd = node.ready()
    st.append(rd.entries)
    node.advance()
    node2, _ = new_node(st)
    with pytest.raises(pyraftc.StateError):
        node2.bootstrap([pyraftc.Peer(id=1)])


def test_close_and_context_manager():
    with new_node()[0] as node:
        assert not node.closed
        node.tick()
    assert node.closed and "closed" in repr(node)
    node.close()  # idempotent
    for call in (node.tick, node.campaign, node.has_ready, node.ready, node.advance,
                 node.status, lambda: node.propose(b"x")):
        with pytest.raises(pyraftc.StateError):
            call()
    assert node.last_error == "" and not node.failed


def test_apply_conf_change_v2_joint(leader_node):
    node, st, c = leader_node
    cc = raftpb.ConfChangeV2(
        transition=raftpb.ConfChangeTransitionJointExplicit,
        changes=[raftpb.ConfChangeSingle(type=raftpb.ConfChangeAddLearnerNode, node_id=2)])
    node.propose_conf_change(cc)
    c.stabilize()
    cs = node.conf_state()
    assert list(cs.voters) == [1] and list(cs.voters_outgoing) == [1]
    assert list(cs.learners) == [2]
    assert node.status().config == "voters=(1)&&(1) learners=(2)"
    node.propose_conf_change(raftpb.ConfChangeV2())  # leave the joint config
    c.stabilize()
    assert list(node.conf_state().voters_outgoing) == []


def test_apply_conf_change_entry_type_checks(leader_node):
    node, st, c = leader_node
    with pytest.raises(TypeError):
        node.apply_conf_change(b"\x10\x01")
    with pytest.raises(TypeError):
        node.apply_conf_change_entry(b"")
    with pytest.raises(ValueError):
        node.apply_conf_change_entry(raftpb.Entry(index=9))


def test_async_storage_writes():
    node, st = new_node(async_storage_writes=True)
    node.bootstrap([pyraftc.Peer(id=1)])
    steps = 0
    while node.has_ready() and steps < 20:
        steps += 1
        rd = node.ready()
        with pytest.raises(pyraftc.StateError):
            node.advance()
        for m in rd.messages:
            assert m.to in (pyraftc.LOCAL_APPEND_THREAD, pyraftc.LOCAL_APPLY_THREAD)
            if m.type == raftpb.MsgStorageAppend:
                if m.HasField("snapshot") and m.snapshot.metadata.index:
                    st.apply_snapshot(m.snapshot)
                if m.term or m.vote or m.commit:
                    st.set_hard_state(raftpb.HardState(term=m.term, vote=m.vote,
                                                       commit=m.commit))
                st.append(m.entries)
            else:
                for e in m.entries:
                    if e.type != raftpb.EntryNormal:
                        node.apply_conf_change_entry(e)
            for r in m.responses:
                node.step(r)
    assert node.conf_state().voters == [1]
    node.campaign()
    assert node.has_ready()


def test_status_on_failed_node_and_node_failed():
    # An unrecoverable storage error fails the node: later calls raise NodeFailedError.
    class Broken(pyraftc.MemoryStorage):
        fail = False

        def last_index(self):
            if self.fail:
                raise OSError("disk gone")
            return super().last_index()
    st = Broken()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    rd = node.ready()
    st.append(rd.entries)
    st.set_hard_state(rd.hard_state)
    node.apply_conf_change_entry(rd.committed_entries[0])
    node.advance()
    st.fail = True
    with pytest.raises(OSError, match="disk gone"):
        node.campaign()
    assert node.failed
    with pytest.raises(pyraftc.NodeFailedError):
        node.tick()
    assert node.last_error
    assert node.basic_status().id == 1  # read-only status still works
