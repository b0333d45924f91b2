#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# bench_binding.py: the cost of driving raftc through pyraftc (cffi): ns per call for step,
# propose and a trivial call (the FFI floor), and entries/s through an in-process 1-node and
# 3-node cluster (propose -> Ready -> MemoryStorage -> messages -> apply -> advance).
#
#   python bench/python/bench_binding.py [--quick] [--json]
import argparse
import json
import time

import pyraftc
from pyraftc import raftpb


def quiet(level, text):
    pass


def make_cluster(ids, **cfg):
    nodes, storages = {}, {}
    for i in ids:
        st = pyraftc.MemoryStorage()
        n = pyraftc.RawNode(pyraftc.Config(id=i, storage=st, logger=quiet, rand_seed=i,
                                           max_size_per_msg=1 << 20, max_inflight_msgs=4096,
                                           **cfg))
        n.bootstrap([pyraftc.Peer(id=p) for p in ids])
        nodes[i], storages[i] = n, st
    return nodes, storages


def drive(nodes, storages, counter=None):
    """Processes Readys and delivers messages until quiet; returns entries applied."""
    applied = 0
    while True:
        queue = []
        busy = False
        for i, n in nodes.items():
            if not n.has_ready():
                continue
            busy = True
            rd = n.ready()
            st = storages[i]
            if rd.hard_state is not None:
                st.set_hard_state(rd.hard_state)
            if rd.entry_bytes:
                st.append(rd.entry_bytes)
            queue.extend(zip((m.to for m in rd.messages), rd.message_bytes))
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal:
                    if e.data and i == 1:
                        applied += 1
                else:
                    n.apply_conf_change_entry(e)
            n.advance()
        for to, b in queue:
            nodes[to].step(b)
        if not busy and not queue:
            return applied


def elect(nodes, storages):
    drive(nodes, storages)
    nodes[1].campaign()
    drive(nodes, storages)
    assert nodes[1].basic_status().raft_state == pyraftc.StateType.LEADER


def timeit(fn, n):
    t0 = time.perf_counter()
    fn(n)
    return (time.perf_counter() - t0) / n * 1e9


def bench_calls(n):
    nodes, storages = make_cluster([1, 2, 3])
    elect(nodes, storages)
    leader = nodes[1]
    results = {}
    results["has_ready (FFI floor) ns/call"] = timeit(
        lambda k: [leader.has_ready() for _ in range(k)], n)
    # step: heartbeat responses from a follower (a full decode + step each)
    hb = raftpb.Message(type=raftpb.MsgHeartbeatResp, to=1, term=leader.basic_status()
                        .hard_state.term, **{"from": 2})
    hb_bytes = hb.SerializeToString()
    results["step(bytes) ns/call"] = timeit(lambda k: [leader.step(hb_bytes) for _ in range(k)], n)
    results["step(raftpb.Message) ns/call"] = timeit(
        lambda k: [leader.step(hb) for _ in range(k)], n)
    drive(nodes, storages)

    total_propose = 0.0
    for _ in range(n // 512):
        t1 = time.perf_counter()
        for _j in range(512):
            leader.propose(b"x" * 64)
        total_propose += time.perf_counter() - t1
        drive(nodes, storages)
    results["propose ns/call (3-node leader)"] = total_propose / (n // 512 * 512) * 1e9
    for nd in nodes.values():
        nd.close()
    return results


def bench_throughput(ids, n, batch):
    nodes, storages = make_cluster(ids)
    elect(nodes, storages)
    leader = nodes[1]
    payload = b"v" * 128
    done = 0
    t0 = time.perf_counter()
    while done < n:
        for _ in range(batch):
            leader.propose(payload)
        done += drive(nodes, storages)
        if leader.basic_status().applied % 4096 < batch:
            for i, st in storages.items():
                applied = nodes[i].basic_status().applied
                if applied > st.first_index() + 100:
                    st.compact(applied - 50)
    dt = time.perf_counter() - t0
    for nd in nodes.values():
        nd.close()
    return done / dt


def main():
    ap = argparse.ArgumentParser(description="pyraftc binding overhead benchmark")
    ap.add_argument("--quick", action="store_true", help="fewer iterations")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args()
    n = 20_000 if args.quick else 200_000
    res = bench_calls(n)
    for ids, name in (([1], "1-node"), ([1, 2, 3], "3-node")):
        for batch in (1, 64):
            m = n // (4 if batch == 1 else 1)
            res["%s entries/s (batch %d)" % (name, batch)] = bench_throughput(ids, m, batch)
    res["library"] = pyraftc.library_version()
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print("pyraftc %s binding benchmark (%s)" % (res.pop("library"),
                                                  "quick" if args.quick else "full"))
    for k, v in res.items():
        print("  %-36s %12.0f" % (k, v))


if __name__ == "__main__":
    main()
