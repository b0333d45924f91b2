# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_config.py: pyraftc.Config defaults, type checks and etcd's validation texts.
import logging

import pytest

import pyraftc


def test_defaults():
    c = pyraftc.Config(id=1)
    assert (c.election_tick, c.heartbeat_tick, c.applied) == (10, 1, 0)
    assert c.max_size_per_msg == pyraftc.NO_LIMIT
    assert (c.max_committed_size_per_ready, c.max_uncommitted_entries_size) == (0, 0)
    assert (c.max_inflight_msgs, c.max_inflight_bytes) == (256, 0)
    assert not any((c.check_quorum, c.pre_vote, c.disable_proposal_forwarding,
                    c.step_down_on_removal, c.async_storage_writes,
                    c.disable_conf_change_validation))
    assert c.read_only_option == pyraftc.ReadOnlyOption.SAFE
    assert c.storage is None and c.logger is None
    assert "id=1" in repr(c)


@pytest.mark.parametrize("kwargs,text", [
    (dict(id=0), "cannot use none as id"),
    (dict(id=pyraftc.LOCAL_APPEND_THREAD), "cannot use local target as id"),
    (dict(id=pyraftc.LOCAL_APPLY_THREAD), "cannot use local target as id"),
    (dict(id=1, heartbeat_tick=0), "heartbeat tick must be greater than 0"),
    (dict(id=1, election_tick=1, heartbeat_tick=1),
     "election tick must be greater than heartbeat tick"),
    (dict(id=1, with_storage=False), "storage cannot be nil"),
    (dict(id=1, max_inflight_msgs=0), "max inflight messages must be greater than 0"),
    (dict(id=1, max_size_per_msg=1024, max_inflight_bytes=100),
     "max inflight bytes must be >= max message size"),
    (dict(id=1, read_only_option=pyraftc.ReadOnlyOption.LEASE_BASED),
     "CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased"),
])
def test_validation_texts(kwargs, text):
    kwargs = dict(kwargs)
    if kwargs.pop("with_storage", True):
        kwargs["storage"] = pyraftc.MemoryStorage()
    cfg = pyraftc.Config(**kwargs)
    with pytest.raises(pyraftc.ConfigError) as ei:
        cfg.validate()
    assert str(ei.value) == text
    assert ei.value.code == -15
    with pytest.raises(pyraftc.ConfigError, match=text):
        pyraftc.RawNode(cfg)


def test_valid_lease_based():
    cfg = pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), check_quorum=True,
                         read_only_option=pyraftc.ReadOnlyOption.LEASE_BASED)
    cfg.validate()
    pyraftc.RawNode(cfg).close()


@pytest.mark.parametrize("kwargs,exc", [
    (dict(id="1"), TypeError),
    (dict(id=1.0), TypeError),
    (dict(id=True), TypeError),
    (dict(id=-1), ValueError),
    (dict(id=2**64), ValueError),
    (dict(id=1, election_tick=2**40), ValueError),
    (dict(id=1, max_inflight_msgs=2**32), ValueError),
    (dict(id=1, pre_vote=1), TypeError),
    (dict(id=1, check_quorum="yes"), TypeError),
    (dict(id=1, read_only_option=7), ValueError),
    (dict(id=1, storage=object()), TypeError),
    (dict(id=1, logger="stderr"), TypeError),
])
def test_type_errors(kwargs, exc):
    with pytest.raises(exc):
        pyraftc.Config(**kwargs)


def test_positional_args_refused():
    with pytest.raises(TypeError):
        pyraftc.Config(1)  # keyword-only, like etcd's struct literal


def test_rawnode_needs_config():
    with pytest.raises(TypeError):
        pyraftc.RawNode({"id": 1})


def test_peer():
    p = pyraftc.Peer(id=3, context=b"ctx")
    assert (p.id, p.context) == (3, b"ctx")
    assert p == pyraftc.Peer(id=3, context=b"ctx")
    assert "Peer(id=3" in repr(p)
    with pytest.raises(TypeError):
        pyraftc.Peer(id=3, context="ctx")
    with pytest.raises(TypeError):
        pyraftc.Peer(id="3")


def test_logging_logger(caplog):
    log = logging.getLogger("pyraftc.test")
    with caplog.at_level(logging.DEBUG, logger="pyraftc.test"):
        node = pyraftc.RawNode(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(),
                                              logger=log))
        node.close()
    texts = [r.getMessage() for r in caplog.records]
    assert "1 became follower at term 0" in texts
    assert any(t.startswith("newRaft 1 [peers: []") for t in texts)
    assert all(r.levelno == logging.INFO for r in caplog.records)


def test_default_logger_is_pyraftc(caplog):
    with caplog.at_level(logging.INFO, logger="pyraftc"):
        pyraftc.RawNode(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage())).close()
    assert any(r.name == "pyraftc" and "became follower" in r.getMessage()
               for r in caplog.records)


def test_callable_logger_levels():
    lines = []
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(),
                                          logger=lambda lvl, t: lines.append((lvl, t))))
    node.close()
    assert (pyraftc.LogLevel.INFO, "1 became follower at term 0") in lines
    assert all(isinstance(lvl, pyraftc.LogLevel) for lvl, _ in lines)


def test_logger_exception_surfaces():
    def boom(level, text):
        raise RuntimeError("logger failed")
    with pytest.raises(RuntimeError, match="logger failed"):
        pyraftc.RawNode(pyraftc.Config(id=1, storage=pyraftc.MemoryStorage(), logger=boom))
