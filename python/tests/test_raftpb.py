# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_raftpb.py: the raftpb protobuf classes and the describe functions (etcd's text forms).
import pytest

import pyraftc
from pyraftc import raftpb


def test_classes_and_enums():
    for name in ("Message", "Entry", "HardState", "ConfState", "ConfChange", "ConfChangeV2",
                 "ConfChangeSingle", "Snapshot", "SnapshotMetadata"):
        assert hasattr(raftpb, name)
    assert raftpb.MsgApp == 3 and raftpb.MsgForgetLeader == 23
    assert raftpb.MessageType.Name(19) == "MsgStorageAppend"
    assert raftpb.EntryConfChangeV2 == 2
    assert raftpb.ConfChangeAddLearnerNode == 3
    assert raftpb.ConfChangeTransitionJointExplicit == 2
    assert "MsgHup" in raftpb.__all__


def test_roundtrip_and_wire_numbers():
    m = raftpb.Message(type=raftpb.MsgApp, to=2, term=3, log_term=2, index=7, commit=5,
                       entries=[raftpb.Entry(term=3, index=8, data=b"x")], **{"from": 1})
    b = m.SerializeToString()
    assert raftpb.Message.FromString(b) == m
    # field numbers of etcd's raftpb: type=1 to=2 from=3 term=4 logTerm=5 index=6 entries=7
    assert b.startswith(b"\x08\x03\x10\x02\x18\x01\x20\x03\x28\x02\x30\x07\x3a")
    assert getattr(raftpb.Message.FromString(b), "from") == 1


def test_describe_message():
    m = raftpb.Message(type=raftpb.MsgApp, to=2, term=3, log_term=2, index=7, commit=5,
                       entries=[raftpb.Entry(term=3, index=8, data=b'"x"')], from_=1)
    text = 'Entries:[3/8 EntryNormal "\\"x\\""]'
    assert pyraftc.describe_message(m) == "1->2 MsgApp Term:3 Log:2/7 Commit:5 " + text
    assert pyraftc.describe_message(m.SerializeToString()) == pyraftc.describe_message(m)
    local = raftpb.Message(type=raftpb.MsgStorageAppend, to=pyraftc.LOCAL_APPEND_THREAD,
                           **{"from": 1})
    assert pyraftc.describe_message(local) == "1->AppendThread MsgStorageAppend Term:0 Log:0/0"


def test_describe_values():
    cc = raftpb.ConfChangeV2(changes=[raftpb.ConfChangeSingle(type=raftpb.ConfChangeRemoveNode,
                                                              node_id=1),
                                      raftpb.ConfChangeSingle(node_id=4)])
    e = raftpb.Entry(term=1, index=4, type=raftpb.EntryConfChangeV2,
                     data=cc.SerializeToString())
    assert pyraftc.describe_entry(e) == "1/4 EntryConfChangeV2 r1 v4"
    assert pyraftc.describe_entries([e, raftpb.Entry(term=1, index=5)]) == \
        '1/4 EntryConfChangeV2 r1 v4\n1/5 EntryNormal ""\n'
    assert pyraftc.describe_hard_state(raftpb.HardState(term=2, vote=1, commit=3)) == \
        "Term:2 Vote:1 Commit:3"
    assert pyraftc.describe_hard_state(raftpb.HardState()) == ""
    cs = raftpb.ConfState(voters=[1, 2], learners=[3])
    assert pyraftc.describe_conf_state(cs) == \
        "Voters:[1 2] VotersOutgoing:[] Learners:[3] LearnersNext:[] AutoLeave:false"
    snap = raftpb.Snapshot(metadata=raftpb.SnapshotMetadata(index=11, term=1, conf_state=cs))
    assert pyraftc.describe_snapshot(snap).startswith("Index:11 Term:1 ConfState:Voters:[1 2]")
    assert pyraftc.describe_soft_state(1, pyraftc.StateType.LEADER) == "Lead:1 State:StateLeader"


def test_describe_bad_input():
    with pytest.raises(pyraftc.DecodeError):
        pyraftc.describe_message(b"\xff\xff\xff")
    with pytest.raises(TypeError):
        pyraftc.describe_message("1->2")
    with pytest.raises(TypeError):
        pyraftc.describe_entries(raftpb.Entry())


def test_state_type_names():
    assert str(pyraftc.StateType.PRE_CANDIDATE) == "StatePreCandidate"
    assert str(pyraftc.ProgressStateType.REPLICATE) == "StateReplicate"
    assert pyraftc.StateType(2) is pyraftc.StateType.LEADER


def test_versions():
    assert pyraftc.library_version() == pyraftc.__version__
    assert pyraftc.abi_version() == 1


def test_from_is_reachable_as_from_():
    m = raftpb.Message(type=raftpb.MsgApp, from_=7, to=2)
    assert m.from_ == 7 == getattr(m, "from")
    assert raftpb.Message.FromString(m.SerializeToString()).from_ == 7
    assert raftpb.Message(**{"from": 7}).from_ == 7  # the protobuf spelling still works
    setattr(m, "from", 9)
    assert m.from_ == 9
    with pytest.raises(AttributeError):
        m.from_ = 1  # read-only: protobuf messages only accept their fields
    with pytest.raises(ValueError, match="logTerm"):
        raftpb.Message(logTerm=3)  # mypy rejects this too (python/tests/typing_api.py)
