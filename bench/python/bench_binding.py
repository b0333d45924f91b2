#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# bench_binding.py: what driving raftc through pyraftc (cffi) costs. Per hot call, the pyraftc
# method beside the raw cffi call of the same C function and beside the FFI floor (the raw
# cffi call of the cheapest function, raftc_node_has_ready), all measured in the same run;
# then entries/s of a single voter (propose -> Ready -> MemoryStorage -> apply -> advance, the
# loop of docs/python.md) and of an in-process 3-node cluster, beside the C figure of
# raftc-bench (workload a) when --c-bench gives its path; then the single voter through the
# fast loop (RawNode.ready_stored: the Ready stored in C in the same call, committed entries as
# committed_data / committed_types, no raftpb.Entry per entry), with propose() and with
# propose_many (one call into the library per batch). Each goal of issue 16 is printed beside
# its figure, met or not (the figures are reported, never asserted).
#
#   python bench/python/bench_binding.py [--quick] [--json] [--c-bench build/.../raftc-bench]
#
# Times are CPU time of this process (time.process_time_ns), so a loaded machine inflates them
# less than wall time; the C figure is raftc-bench's own, scaled from wall clock to CPU time by
# its run's wall/CPU ratio.
import argparse
import json
import os
import resource
import subprocess
import time

import pyraftc
from pyraftc import raftpb
from pyraftc._ffi import lib


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


def drive(nodes, storages):
    """Handles Readys and delivers messages until quiet; returns the entries node 1 applied."""
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
            st.append(rd.entries)
            if rd.hard_state is not None:
                st.set_hard_state(rd.hard_state)
            queue.extend(zip(rd.message_to, rd.message_bytes))
            for e in rd.committed_entries:
                if e.type == raftpb.EntryNormal:
                    if e.data and i == 1:
                        applied += 1
                else:
                    n.apply_conf_change(e)
            n.advance()
        for to, b in queue:
            nodes[to].step(b)
        if not busy and not queue:
            return applied


def drive_stored(node):
    """The fast loop of a single voter (docs/python.md, "The fast loop") until quiet; returns
    the entries it applied."""
    applied = 0
    has_ready, ready_stored, advance = node.has_ready, node.ready_stored, node.advance
    while has_ready():
        rd = ready_stored()
        types = rd.committed_types
        if types:
            data = rd.committed_data
            if types.count(0) == len(types):  # all EntryNormal: the common case
                for d in data:
                    if d:
                        applied += 1
            else:
                for i, d in enumerate(data):
                    if types[i]:
                        node.apply_conf_change(rd.committed_entries[i])
                    elif d:
                        applied += 1
        advance()
    return applied


def elect(nodes, storages):
    drive(nodes, storages)
    nodes[1].campaign()
    drive(nodes, storages)
    assert nodes[1].basic_status().raft_state == pyraftc.StateType.LEADER


def per_call(loop, n, rounds=5):
    """Best of rounds of loop(n), in ns per iteration (CPU time)."""
    best = None
    for _ in range(rounds):
        t0 = time.process_time_ns()
        loop(n)
        dt = (time.process_time_ns() - t0) / n
        best = dt if best is None else min(best, dt)
    return best


def bench_calls(n):
    nodes, storages = make_cluster([1, 2, 3], election_tick=1 << 29)
    elect(nodes, storages)
    leader, follower = nodes[1], nodes[2]
    ptr = leader._node
    has_ready_c, tick_c, step_c, propose_c = (lib.raftc_node_has_ready, lib.raftc_node_tick,
                                              lib.raftc_node_step, lib.raftc_node_propose)
    res = {}

    def raw_has_ready(k):
        for _ in range(k):
            has_ready_c(ptr)

    def py_has_ready(k):
        f = leader.has_ready
        for _ in range(k):
            f()
    res["floor: raw cffi raftc_node_has_ready"] = per_call(raw_has_ready, n)
    res["has_ready()"] = per_call(py_has_ready, n)

    fptr = follower._node

    def raw_tick(k):
        for _ in range(k):
            tick_c(fptr)

    def py_tick(k):
        f = follower.tick
        for _ in range(k):
            f()
    # the calls' cluster has a huge election timeout: a follower's tick changes nothing else
    res["raw cffi raftc_node_tick"] = per_call(raw_tick, n)
    res["tick()"] = per_call(py_tick, n)
    drive(nodes, storages)

    hb_resp = raftpb.Message(type=raftpb.MsgHeartbeatResp, from_=2, to=1,
                             term=leader.basic_status().term).SerializeToString()

    def raw_step(k):
        b, ln = hb_resp, len(hb_resp)
        for _ in range(k):
            step_c(ptr, b, ln)

    def py_step(k):
        f, b = leader.step, hb_resp
        for _ in range(k):
            f(b)
    res["raw cffi raftc_node_step"] = per_call(raw_step, n)
    res["step(bytes)"] = per_call(py_step, n)
    drive(nodes, storages)

    # propose on a single voter, 256 at a time, the Readys handled outside the timing
    one, one_st = make_cluster([1])
    elect(one, one_st)
    single, sptr = one[1], one[1]._node
    payload = b"x" * 16

    def proposing(fn):
        def loop(k):
            spent = 0
            done = 0
            while done < k:
                m = min(256, k - done)
                t0 = time.process_time_ns()
                fn(m)
                spent += time.process_time_ns() - t0
                done += m
                drive(one, one_st)
            return spent
        return loop

    def raw_propose(m):
        p, ln = payload, len(payload)
        for _ in range(m):
            propose_c(sptr, p, ln)

    def py_propose(m):
        f, p = single.propose, payload
        for _ in range(m):
            f(p)
    for name, fn in (("raw cffi raftc_node_propose", raw_propose), ("propose()", py_propose)):
        loop = proposing(fn)
        res[name] = min(loop(n) / n for _ in range(5))

    # an empty Ready cycle (a Ready taken without has_ready() is valid and empty)
    def py_empty_ready(k):
        ready, advance = single.ready, single.advance
        for _ in range(k):
            ready()
            advance()

    def py_empty_stored(k):
        ready, advance = single.ready_stored, single.advance
        for _ in range(k):
            ready()
            advance()
    res["ready()+advance(), empty Ready"] = per_call(py_empty_ready, n // 4)
    res["ready_stored()+advance(), empty"] = per_call(py_empty_stored, n // 4)
    for nd in list(nodes.values()) + list(one.values()):
        nd.close()
    return res


def bench_throughput(ids, n, batch, many=False, stored=False):
    """Entries/s (CPU time) through the loop of docs/python.md (with many: each batch
    proposed by one propose_many call; with stored: the fast loop, single voter only)."""
    nodes, storages = make_cluster(ids)
    elect(nodes, storages)
    leader = nodes[1]
    payload = b"v" * 16
    done = 0
    t0 = time.process_time_ns()
    payloads = [payload] * batch
    propose, propose_many = leader.propose, leader.propose_many
    while done < n:
        if many:
            propose_many(payloads)
        else:
            for _ in range(batch):
                propose(payload)
        done += drive_stored(leader) if stored else drive(nodes, storages)
        if done % 8192 < batch:
            for i, st in storages.items():
                applied = nodes[i].basic_status().applied
                if applied > st.first_index() + 1000:
                    st.compact(applied - 500)
    dt = (time.process_time_ns() - t0) / 1e9
    for nd in nodes.values():
        nd.close()
    return done / dt


def c_figures(path, quick):
    """single_b1 / single_b64 entries/s from raftc-bench -w a (empty if not available), in CPU
    time: raftc-bench reports wall-clock figures, so each is scaled by the run's wall/CPU
    ratio (on a loaded machine the wall clock runs ahead of the CPU time this process's
    figures use)."""
    if not path or not os.access(path, os.X_OK):
        return {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run([path, "-w", "a"] + (["--quick"] if quick else []),
                         capture_output=True, text=True, check=False).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    scale = max(1.0, wall / cpu) if cpu > 0 else 1.0
    figures = {}
    for line in out.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        name = rec.get("name") or rec.get("bench")
        if name in ("single_b1", "single_b64") and "entries_per_s" in rec:
            figures[name] = rec["entries_per_s"] * scale
    return figures


def main():
    ap = argparse.ArgumentParser(description="pyraftc binding cost benchmark")
    ap.add_argument("--quick", action="store_true", help="fewer iterations")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--c-bench", help="path of raftc-bench, for the C figures")
    args = ap.parse_args()
    n = 20_000 if args.quick else 200_000
    calls = bench_calls(n)
    floor = calls["floor: raw cffi raftc_node_has_ready"]
    tput = {}
    for ids, name in (([1], "single voter"), ([1, 2, 3], "3-node cluster")):
        for batch in (1, 64):
            count = n if batch == 1 else 4 * n
            tput["%s, batch %d" % (name, batch)] = bench_throughput(ids, count, batch)
    tput["single voter, batch 64, propose_many"] = bench_throughput([1], 4 * n, 64, many=True)
    for batch in (1, 64):
        count = n if batch == 1 else 4 * n
        tput["fast loop: single voter, batch %d" % batch] = bench_throughput(
            [1], count, batch, stored=True)
    tput["fast loop: single voter, batch 64, propose_many"] = bench_throughput(
        [1], 4 * n, 64, many=True, stored=True)
    cfig = c_figures(args.c_bench, args.quick)
    res = {"library": pyraftc.library_version(), "load_average": os.getloadavg()[0],
           "ns_per_call": calls, "entries_per_s": tput, "c_entries_per_s": cfig}
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print("pyraftc %s binding benchmark (%s; CPU time; load average %.1f)"
          % (res["library"], "quick" if args.quick else "full", res["load_average"]))
    print("  %-36s %9s %9s %9s  %s" % ("call", "ns/call", "x floor", "x raw", "goal"))
    raw = {"has_ready()": floor, "tick()": calls["raw cffi raftc_node_tick"],
           "step(bytes)": calls["raw cffi raftc_node_step"],
           "propose()": calls["raw cffi raftc_node_propose"]}
    for k, v in calls.items():
        r = raw.get(k)
        goal = ""
        if r:
            goal = "<= 2x floor: %s" % ("met" if v <= 2 * floor else "NOT met")
        print("  %-36s %9.0f %9.2f %9s  %s" % (k, v, v / floor, "%.2f" % (v / r) if r else "-",
                                               goal))
    print("  %-48s %12s %12s %7s  %s" % ("workload", "entries/s", "C (CPU) /s", "x C",
                                         "goal"))
    for k, v in tput.items():
        c = None
        goal = ""
        if "single voter" in k:
            b1 = ", batch 1" in k
            c = cfig.get("single_b1" if b1 else "single_b64")
            want = 250e3 if b1 else 1.5e6
            goal = ">= %s: %s" % ("250k" if b1 else "1.5M", "met" if v >= want else "NOT met")
        print("  %-48s %12.0f %12s %7s  %s" % (k, v, "%.0f" % c if c else "-",
                                               "%.2f" % (v / c) if c else "-", goal))


if __name__ == "__main__":
    main()
