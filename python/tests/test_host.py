# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_host.py: pyraftc.Host drives a multi-raft host: three hosts with many groups over an
# in-memory network, elections, writes in every group, quiescence and wake-up, bad input.
import pytest

import pyraftc

HOSTS = 3
GROUPS = 20
BOOT = 3  # the bootstrap's conf change entries


class Net:
    def __init__(self, quiesce):
        self.hosts = []
        for i in range(HOSTS):
            cfg = pyraftc.Config(id=i + 1, election_tick=10, heartbeat_tick=1, pre_vote=True,
                                 check_quorum=True)
            h = pyraftc.Host(cfg, i + 1, quiesce=quiesce)
            for g in range(1, GROUPS + 1):
                h.add_group(g, [1, 2, 3])
            self.hosts.append(h)
        self.applied = [{g: [] for g in range(1, GROUPS + 1)} for _ in range(HOSTS)]
        self.queue = []

    def settle(self):
        for _ in range(100):
            moved = False
            for i, h in enumerate(self.hosts):
                if not h.has_ready():
                    continue
                moved = True
                rd = h.ready()
                assert len(rd.envelopes) <= HOSTS - 1
                assert len({to for to, _ in rd.envelopes}) == len(rd.envelopes)
                for gr in rd.groups:
                    log = self.applied[i][gr.group]
                    for e in gr.committed_entries:
                        assert e.index == len(log) + 1
                        log.append((e.term, e.data))
                        for other in self.applied:  # no two hosts differ at an index
                            o = other[gr.group]
                            if len(o) >= e.index:
                                assert o[e.index - 1] == (e.term, e.data)
                self.queue += rd.envelopes
                h.advance()
            queue, self.queue = self.queue, []
            for to, env in queue:
                self.hosts[to - 1].step(env)
            if not moved and not queue:
                return
        raise AssertionError("did not settle")

    def ticks(self, n):
        for _ in range(n):
            for h in self.hosts:
                h.tick()
            self.settle()

    def elect(self):
        self.settle()
        for g in range(1, GROUPS + 1):
            self.hosts[(g - 1) % HOSTS].campaign(g)
        self.settle()
        for g in range(1, GROUPS + 1):
            for h in self.hosts:
                assert h.status(g)[1] == (g - 1) % HOSTS + 1


def test_host_replicates_every_group():
    net = Net(quiesce=False)
    net.elect()
    for g in range(1, GROUPS + 1):
        net.hosts[(g - 1) % HOSTS].propose(g, b"v%d" % g)
    net.settle()
    for i in range(HOSTS):
        for g in range(1, GROUPS + 1):
            assert net.applied[i][g][-1][1] == b"v%d" % g
            assert len(net.applied[i][g]) == BOOT + 2
    info = net.hosts[0].info()
    assert info["groups"] == GROUPS and info["node_id"] == 1 and info["awake"] == GROUPS


def test_host_quiescence_and_wake():
    net = Net(quiesce=True)
    net.elect()
    net.ticks(3)
    assert all(h.info()["awake"] == 0 for h in net.hosts)
    for h in net.hosts:
        h.tick()
        assert not h.has_ready()
    net.hosts[1].propose(1, b"wake")  # a follower of group 1
    net.settle()
    assert net.applied[2][1][-1][1] == b"wake"
    net.ticks(3)
    assert all(h.info()["awake"] == 0 for h in net.hosts)
    assert net.hosts[0].info()["quiesced"] >= GROUPS


def test_host_errors():
    h = pyraftc.Host(pyraftc.Config(id=1), 1)
    h.add_group(5, [1])
    assert 5 in h and 6 not in h and len(h) == 1
    with pytest.raises(pyraftc.StateError):
        h.add_group(5, [1])
    with pytest.raises(pyraftc.NotFoundError, match="group 6 not found"):
        h.propose(6, b"x")
    with pytest.raises(pyraftc.DecodeError):
        h.step(b"\xff\xff\xff")
    with pytest.raises(pyraftc.InvalidArgumentError):
        h.add_group(0, [1])
    with pytest.raises(pyraftc.ConfigError):
        pyraftc.Host(pyraftc.Config(id=1, read_only_option=pyraftc.ReadOnlyOption.LEASE_BASED,
                                    check_quorum=True), 1, quiesce=True)
    h.remove_group(5)
    assert len(h) == 0
    h.close()
