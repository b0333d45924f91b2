#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# bench_sync_overlap.py: how long a node call waits while another thread fsyncs the node's
# DiskStorage (SyncPolicy.GROUP: the group-commit sync of raftc-kv, which syncs each Ready in
# a worker thread while its event loop keeps driving the node). Each round writes 64 entries of
# 4 KiB without syncing, starts sync() in a thread, and times a tick() of the node during it.
# Prints the fsync time and the tick's wait; asserts nothing.
#
#   python bench/python/bench_sync_overlap.py [--dir DIR] [--rounds 30]
import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time

import pyraftc
from pyraftc import raftpb


def main():
    ap = argparse.ArgumentParser(description="node call latency during a DiskStorage fsync")
    ap.add_argument("--dir", default=None, help="where the storage goes (default: a temp dir; "
                    "use a directory on the disk to measure, not a tmpfs)")
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pyraftc-sync-", dir=args.dir)
    st = pyraftc.DiskStorage(os.path.join(work, "raft"), sync=pyraftc.SyncPolicy.GROUP)
    node = pyraftc.RawNode(pyraftc.Config(id=1, storage=st, logger=lambda level, text: None))
    node.bootstrap([pyraftc.Peer(id=1)])

    def drain():
        while node.has_ready():
            rd = node.ready()
            st.append(rd.entries)
            if rd.hard_state is not None:
                st.set_hard_state(rd.hard_state)
            for e in rd.committed_entries:
                if e.type != raftpb.EntryNormal:
                    node.apply_conf_change(e)
            node.advance()

    drain()
    node.campaign()
    drain()
    st.sync()
    waits, syncs = [], []
    for _ in range(args.rounds):
        for _ in range(64):
            node.propose(b"x" * 4096)
        drain()  # written, not yet synced
        started = threading.Event()

        def do_sync():
            started.set()
            t = time.perf_counter()
            st.sync()
            syncs.append(time.perf_counter() - t)
        th = threading.Thread(target=do_sync)
        th.start()
        started.wait()
        time.sleep(0.0005)  # let the sync reach its fsync
        t = time.perf_counter()
        node.tick()
        waits.append(time.perf_counter() - t)
        th.join()
    node.close()
    st.close()
    shutil.rmtree(work)
    print("pyraftc %s, %d rounds: fsync p50 %.2f ms; a tick() during it waited p50 %.3f ms, "
          "max %.3f ms" % (pyraftc.library_version(), args.rounds,
                           statistics.median(syncs) * 1e3, statistics.median(waits) * 1e3,
                           max(waits) * 1e3))


if __name__ == "__main__":
    main()
