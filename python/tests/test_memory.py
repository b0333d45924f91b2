# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_memory.py: no memory growth over 100,000 propose/ready/advance cycles (RSS for the C
# side, tracemalloc for Python objects). The log is compacted as it goes, as an application
# would, so steady state means steady memory.
import gc
import resource
import tracemalloc

from pyraftc import raftpb


def rss_kib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() // 1024


def cycle(node, st, n, base):
    for i in range(n):
        node.propose(b"payload-%d" % (i & 1023))
        rd = node.ready()
        st.append(rd.entry_bytes)
        if rd.hard_state is not None:
            st.set_hard_state(rd.hard_state)
        for e in rd.committed_entries:
            assert e.type == raftpb.EntryNormal
        node.advance()
        if i % 1000 == 999:
            applied = node.basic_status().applied
            st.compact(applied - 10)
    return base + n


def test_no_growth_over_100k_ready_cycles(leader_node):
    node, st, _ = leader_node
    done = cycle(node, st, 10_000, 0)       # warm up: buffers reach their steady size
    gc.collect()
    rss0 = rss_kib()
    done = cycle(node, st, 80_000, done)
    gc.collect()
    rss1 = rss_kib()
    tracemalloc.start()
    snap0 = tracemalloc.take_snapshot()
    done = cycle(node, st, 10_000, done)
    gc.collect()
    snap1 = tracemalloc.take_snapshot()
    tracemalloc.stop()
    assert done == 100_000
    py_growth = sum(s.size_diff for s in snap1.compare_to(snap0, "filename"))
    print("RSS %d KiB -> %d KiB over 80k cycles; python heap %+d bytes over 10k cycles"
          % (rss0, rss1, py_growth))
    # Thresholds: with no leak both measures stay within a few KiB / bytes (seen: RSS -4 KiB,
    # heap +728 bytes), as nothing here depends on timing. 1 MiB over 80k cycles catches any
    # leaked malloc chunk per cycle (>= 32 bytes: 2.5 MiB); 256 KiB over 10k cycles catches a
    # leaked Python object per cycle (>= 32 bytes: 320 KiB).
    assert rss1 - rss0 < 1024, "RSS grew by %d KiB" % (rss1 - rss0)
    assert py_growth < 256 * 1024, "Python heap grew by %d bytes" % py_growth
    assert node.basic_status().applied > 100_000
