# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_bad_input.py: wrong types, malformed and hostile bytes, misuse, and exceptions raised by
# Python storage callbacks: always a clear exception, never a crash.
import random

import pytest

import pyraftc
from pyraftc import raftpb
from helpers import Cluster, quiet


def three_node_leader():
    c = Cluster([1, 2, 3])
    c.elect(1)
    return c


@pytest.mark.parametrize("value", ["str", 12, None, 1.5, [b"x"], raftpb.Entry()])
def test_step_wrong_types(leader_node, value):
    node = leader_node[0]
    with pytest.raises(TypeError):
        node.step(value)


@pytest.mark.parametrize("data,exc", [
    (b"\xff", pyraftc.DecodeError),
    (b"\x0a\xff\xff\xff\xff\x0f", pyraftc.DecodeError),       # truncated length-delimited
    (b"\x08\x63", pyraftc.UnknownMessageTypeError),                  # type = 99
    (b"\x08\x00\x10\x01\x18\x02", pyraftc.StepLocalMsgError),         # MsgHup from 2
    (b"\x08\x04\x10\x01\x18\x07\x20\x01", pyraftc.StepPeerNotFoundError),  # MsgAppResp from 7
])
def test_step_bad_bytes(leader_node, data, exc):
    node = leader_node[0]
    with pytest.raises(exc) as ei:
        node.step(data)
    assert isinstance(ei.value, pyraftc.RaftError) and ei.value.code < 0 and str(ei.value)
    node.propose(b"still works")


def test_step_local_message_texts():
    c = three_node_leader()
    with pytest.raises(pyraftc.StepLocalMsgError, match="raft: cannot step raft local message"):
        c.nodes[2].step(raftpb.Message(type=raftpb.MsgBeat, to=2, from_=1))
    with pytest.raises(pyraftc.StepPeerNotFoundError, match="raft: cannot step as peer not found"):
        c.nodes[1].step(raftpb.Message(type=raftpb.MsgAppResp, to=1, term=2, from_=9))


def test_impossible_messages_refused():
    """A message no correct peer can send is refused (MessageRefusedError), counted in
    basic_status().refused, and leaves the node unchanged and working."""
    c = three_node_leader()
    node = c.nodes[2]
    before = node.basic_status()
    with pytest.raises(pyraftc.MessageRefusedError, match="MsgProp from 3: empty proposal"):
        node.step(raftpb.Message(type=raftpb.MsgProp, to=2, from_=3))
    with pytest.raises(pyraftc.MessageRefusedError, match="term 18446744073709551615 is above"):
        node.step(raftpb.Message(type=raftpb.MsgHeartbeat, to=2, from_=1, term=2**64 - 1))
    with pytest.raises(pyraftc.MessageRefusedError, match="addressed from this node to itself"):
        node.step(raftpb.Message(type=raftpb.MsgHeartbeat, to=2, from_=2, term=before.term))
    after = node.basic_status()
    assert after.refused == before.refused + 3
    assert (after.term, after.vote, after.commit, after.lead) == \
        (before.term, before.vote, before.commit, before.lead)
    assert isinstance(pyraftc.MessageRefusedError("x"), ValueError)
    c.nodes[1].propose(b"still works")
    c.stabilize()


def test_hostile_bytes_fuzz():
    """Seeded random and mutated messages: RaftError or success, never a crash."""
    seed = 20260601
    print("fuzz seed", seed)
    rng = random.Random(seed)
    c = three_node_leader()
    for i in range(5):
        c.nodes[1].propose(b"p%d" % i)
    c.stabilize()
    c.nodes[1].propose(b"q")
    samples = [b for _, b in c.queue] or [raftpb.Message(type=raftpb.MsgApp).SerializeToString()]
    outcomes = {"ok": 0, "err": 0}
    for n in range(3000):
        if n % 2:
            b = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))
        else:
            b = bytearray(rng.choice(samples))
            for _ in range(rng.randint(1, 4)):
                if b:
                    b[rng.randrange(len(b))] = rng.getrandbits(8)
            b = bytes(b)
        target = c.nodes[rng.choice([1, 2, 3])]
        try:
            target.step(b)
            outcomes["ok"] += 1
        except pyraftc.NodeFailedError:
            # etcd panics on some invariant-breaking inputs; the node is failed, not the process
            outcomes["err"] += 1
            with pytest.raises(pyraftc.NodeFailedError):
                target.tick()
            c = three_node_leader()
        except pyraftc.RaftError:
            outcomes["err"] += 1
    assert outcomes["err"] > 100


def test_oversized_input(leader_node):
    node = leader_node[0]
    node.propose(b"x" * (1 << 20))  # 1 MiB is fine
    with pytest.raises(TypeError):
        node.propose("text")
    with pytest.raises(TypeError):
        node.read_index(None)


def test_conf_change_bad_bytes(leader_node):
    node = leader_node[0]
    with pytest.raises(TypeError):
        node.propose_conf_change(b"\x10\x01")
    with pytest.raises(pyraftc.DecodeError):
        node.apply_conf_change_entry(raftpb.Entry(index=5, type=raftpb.EntryConfChange,
                                                  data=b"\xff\xff"))


def test_misuse(leader_node):
    node = leader_node[0]
    with pytest.raises(pyraftc.StateError):
        node.advance()
    with pytest.raises(TypeError):
        node.report_unreachable(None)
    with pytest.raises(ValueError):
        node.report_unreachable(-3)
    node.close()
    with pytest.raises(pyraftc.StateError):
        node.step(b"")


class Flaky(pyraftc.Storage):
    """A Python storage wrapping MemoryStorage that can misbehave on demand."""

    def __init__(self, mode):
        self.ms = pyraftc.MemoryStorage()
        self.mode = mode

    def initial_state(self):
        if self.mode == "initial_state":
            raise KeyError("no state")
        if self.mode == "wrong-shape":
            return raftpb.HardState()
        return self.ms.initial_state()

    def entries(self, lo, hi, max_size):
        if self.mode == "entries-type":
            return [{"index": lo}]
        return self.ms.entries(lo, hi, max_size)

    def term(self, i):
        return self.ms.term(i)

    def first_index(self):
        return self.ms.first_index()

    def last_index(self):
        if self.mode == "last_index-type":
            return "7"
        return self.ms.last_index()

    def snapshot(self):
        return self.ms.snapshot()


@pytest.mark.parametrize("mode,exc,match", [
    ("initial_state", KeyError, "no state"),
    ("wrong-shape", TypeError, r"initial_state\(\) must return \(HardState, ConfState\)"),
    ("last_index-type", TypeError, r"Storage\.last_index\(\) must be an int, not str"),
])
def test_storage_exceptions_at_creation(mode, exc, match):
    with pytest.raises(exc, match=match):
        pyraftc.RawNode(pyraftc.Config(id=1, storage=Flaky(mode), logger=quiet))


def test_storage_exception_surfaces_from_ready():
    st = Flaky("ok")
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1), pyraftc.Peer(id=2)])
    rd = node.ready()
    st.ms.append(rd.entries)
    st.ms.set_hard_state(rd.hard_state)
    for e in rd.committed_entries:
        node.apply_conf_change_entry(e)
    node.advance()
    node.campaign()
    rd = node.ready()
    st.ms.set_hard_state(rd.hard_state)
    node.advance()
    node.step(raftpb.Message(type=raftpb.MsgVoteResp, to=1, term=2, from_=2))
    assert node.basic_status().raft_state == pyraftc.StateType.LEADER
    st.mode = "entries-type"
    with pytest.raises(TypeError, match="raftpb.Entry"):
        # the leader reads entries from storage to send MsgApp to 2
        node.step(raftpb.Message(type=raftpb.MsgAppResp, to=1, term=2, index=2, reject=True,
                                 from_=2))
    with pytest.raises(pyraftc.NodeFailedError, match="storage failure"):
        node.tick()


def test_compacted_from_python_storage_is_not_an_error():
    """Raising CompactedError from entries() is etcd's ErrCompacted: raft falls back to a
    snapshot instead of failing."""
    from helpers import ListStorage
    c = Cluster([1, 2, 3], ListStorage)
    c.elect(1)
    c.dropped.add(3)
    for i in range(6):
        c.nodes[1].propose(b"c%d" % i)
    c.stabilize()
    st = c.storages[1]
    idx = c.nodes[1].basic_status().applied
    st.snap = raftpb.Snapshot(data=b"snap", metadata=raftpb.SnapshotMetadata(
        index=idx, term=st.term(idx), conf_state=c.nodes[1].conf_state()))
    st.compact(idx)
    c.dropped.clear()
    c.tick(3)
    assert not c.nodes[1].failed
    assert c.storages[3].snap.data == b"snap"
    assert c.nodes[3].basic_status().applied == idx
