# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_hoststore.py: pyraftc.HostStore persists a pyraftc.Host: single-voter groups write, the
# host is dropped, the store reopened and loaded into a new host, which has every group with
# every committed entry; snapshots, removals, a locked directory, a foreign file.
import os

import pytest

import pyraftc

GROUPS = 8


def drive(host, store, applied):
    """Ready loop: save (one write + fsync), apply (conf changes through the host), advance."""
    for _ in range(100):
        if not host.has_ready():
            return
        rd = host.ready()
        store.save(host)
        for g in rd.groups:
            for e in g.committed_entries:
                if e.type in (1, 2):
                    host.apply_conf_change(g.group, e)
                elif e.data:
                    applied.setdefault(g.group, []).append(e.data)
        host.advance()
    raise AssertionError("host did not settle")


def new_host():
    cfg = pyraftc.Config(id=1, election_tick=10, heartbeat_tick=1)
    return pyraftc.Host(cfg, 1)


def test_hoststore_restart(tmp_path):
    path = str(tmp_path / "host1")
    store = pyraftc.HostStore(path, checkpoint_bytes=4096)
    host = new_host()
    store.load(host)  # nothing yet
    applied = {}
    for g in range(1, GROUPS + 1):
        host.add_group(g, [1])
    drive(host, store, applied)
    for g in range(1, GROUPS + 1):
        host.campaign(g)
    drive(host, store, applied)
    fsyncs = store.info()["fsyncs"]
    for g in range(1, GROUPS + 1):
        host.propose(g, b"v%d" % g)
    rd_groups = 0
    if host.has_ready():
        rd = host.ready()
        rd_groups = len(rd.groups)
        store.save(host)
        host.advance()
    assert rd_groups == GROUPS
    assert store.info()["fsyncs"] == fsyncs + 1  # one fsync for every group's entries
    drive(host, store, applied)
    for i in range(300):
        host.propose(1 + i % GROUPS, b"w%d" % i)
        drive(host, store, applied)
    assert store.info()["checkpoints"] > 0
    store.create_snapshot(host, 1, 10, pyraftc.raftpb.ConfState(voters=[1]), b"sm")
    host.compact(1, 10)
    store.remove_group(host, 2)
    with pytest.raises(pyraftc.StorageLockedError):
        pyraftc.HostStore(path)
    host.close()
    store.close()

    store = pyraftc.HostStore(path, checkpoint_bytes=4096)
    assert store.info()["recovered"] == GROUPS - 1
    host = new_host()
    store.load(host)
    assert len(host) == GROUPS - 1 and 2 not in host and 3 in host
    again = {}
    drive(host, store, again)
    for g in range(3, GROUPS + 1):
        host.campaign(g)
    drive(host, store, again)
    for g in range(3, GROUPS + 1):
        assert again[g] == applied[g]
    assert again[1] == applied[1][len(applied[1]) - len(again[1]):]  # after its snapshot
    host.close()
    store.close()


def test_hoststore_bad_directory(tmp_path):
    path = tmp_path / "bad"
    path.mkdir()
    (path / "host.log").write_bytes(b"definitely not a raftc host log, and long enough" * 2)
    with pytest.raises(pyraftc.CorruptStorageError):
        pyraftc.HostStore(str(path))
    store = pyraftc.HostStore(str(tmp_path / "ok"))
    store.close()
    store.close()
    with pytest.raises(pyraftc.StateError):
        store.info()
