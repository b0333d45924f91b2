# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_ergonomics.py: the Python-side API shape: exception names and their deprecated aliases,
# close()/with on every handle, Status attributes matching its repr, hashable Peer.
import re
import warnings

import pytest

import pyraftc
from pyraftc import errors
from pyraftc.tools import Changer
from helpers import quiet


@pytest.mark.parametrize("old,new", sorted(errors.DEPRECATED_NAMES.items()))
def test_deprecated_exception_names_warn_and_alias(old, new):
    assert new.__name__ == old + "Error"
    for module in (pyraftc, errors):
        with pytest.warns(DeprecationWarning, match="%s is deprecated; use .*%s"
                          % (old, new.__name__)):
            assert getattr(module, old) is new
    assert old not in pyraftc.__all__ and new.__name__ in pyraftc.__all__


def test_every_exception_name_ends_in_error():
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type):
            assert name.endswith("Error"), name


def test_unknown_attribute_is_still_an_attribute_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="NoSuchThing"):
            pyraftc.NoSuchThing  # noqa: B018
        with pytest.raises(AttributeError):
            errors.NoSuchThing  # noqa: B018


def test_old_name_still_catches():
    with pytest.warns(DeprecationWarning):
        old = pyraftc.ProposalDropped
    with pytest.raises(old):
        raise pyraftc.ProposalDroppedError("raft proposal dropped")


def test_status_attributes_match_repr(leader_node):
    node, _, _ = leader_node
    node.propose(b"x")
    for st in (node.status(), node.basic_status()):
        text = repr(st)
        pairs = re.findall(r"(\w+)=(\w+)", text)
        assert {k for k, _ in pairs} >= {"id", "term", "vote", "commit", "lead", "raft_state",
                                          "applied"}
        for key, value in pairs:
            got = getattr(st, key)
            assert (got.name if isinstance(got, pyraftc.StateType) else str(got)) == value, key
        assert st.term == st.hard_state.term >= 2
        assert st.commit == st.hard_state.commit and st.vote == st.hard_state.vote == 1


def test_peer_is_hashable_and_immutable():
    a, b, c = pyraftc.Peer(id=1), pyraftc.Peer(id=1), pyraftc.Peer(id=1, context=b"x")
    assert a == b and hash(a) == hash(b) and a != c
    assert {a, b, c} == {a, c}
    assert {a: "one"}[b] == "one"
    with pytest.raises(AttributeError, match="immutable"):
        a.id = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del a.context


def test_memory_storage_close_and_with():
    with pyraftc.MemoryStorage() as st:
        assert not st.closed and st.last_index() == 0
    assert st.closed
    st.close()  # idempotent
    with pytest.raises(pyraftc.StateError, match="storage is closed"):
        st.last_index()
    with pytest.raises(pyraftc.StateError, match="storage is closed"):
        pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))


def test_memory_storage_refuses_close_while_a_node_uses_it():
    st = pyraftc.MemoryStorage()
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet))
    node.bootstrap([pyraftc.Peer(id=1)])
    with pytest.raises(pyraftc.StateError, match="close the node first"):
        st.close()
    assert st.first_index() == 1  # still usable
    node.close()
    st.close()
    assert st.closed


def test_changer_close_and_with():
    with Changer() as ch:
        ch.simple([(pyraftc.raftpb.ConfChangeAddNode, 1)])
        assert list(ch.conf_state().voters) == [1]
    assert ch.closed
    ch.close()
    with pytest.raises(pyraftc.StateError, match="changer is closed"):
        ch.describe()


def test_rawnode_close_and_with():
    st = pyraftc.MemoryStorage()
    with pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=quiet)) as node:
        node.bootstrap([pyraftc.Peer(id=1)])
    assert node.closed
    with pytest.raises(pyraftc.StateError, match="closed"):
        node.tick()
