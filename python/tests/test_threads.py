# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_threads.py: a node shared by several threads stays consistent (every method holds the
# node's lock; MemoryStorage writes share it).
import threading

import pyraftc
from pyraftc import raftpb


def test_concurrent_propose_ready_status(leader_node):
    node, st, _ = leader_node
    n_threads, per_thread = 4, 300
    applied = []
    errors = []
    done = threading.Event()

    def proposer(k):
        try:
            for i in range(per_thread):
                node.propose(b"%d-%d" % (k, i))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def driver():
        try:
            while not done.is_set() or node.has_ready():
                if not node.has_ready():
                    continue
                rd = node.ready()
                if rd.hard_state is not None:
                    st.set_hard_state(rd.hard_state)
                st.append(rd.entry_bytes)
                applied.extend(e.data for e in rd.committed_entries
                               if e.type == raftpb.EntryNormal and e.data)
                node.advance()
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    def observer():
        try:
            while not done.is_set():
                s = node.status()
                assert s.raft_state == pyraftc.StateType.LEADER
                st.last_index()
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=proposer, args=(k,)) for k in range(n_threads)]
    aux = [threading.Thread(target=driver), threading.Thread(target=observer)]
    for t in threads + aux:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in aux:
        t.join()
    assert not errors, errors
    assert len(applied) == n_threads * per_thread
    for k in range(n_threads):
        mine = [a for a in applied if a.startswith(b"%d-" % k)]
        assert mine == [b"%d-%d" % (k, i) for i in range(per_thread)]  # per-thread order kept
    assert node.basic_status().applied == st.last_index()
