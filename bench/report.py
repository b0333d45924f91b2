#!/usr/bin/env python3
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# report.py: turns the JSON lines of bench/run (one object per library, workload and run) into
# a table of medians with raftc/<library> ratios (etcd raft, raft-rs, canonical/raft) and the
# goals beside them, the messages and bytes per committed entry, memcpy bandwidth and copies per
# 64 KiB entry, a JSON file with the same figures, an optional Markdown table and an optional
# PNG plot (matplotlib). Standard library only, except the plot.
"""Summarize raftc vs etcd raft, raft-rs and canonical/raft benchmark runs."""

import argparse
import json
import statistics
import sys

RAFTC = "raftc"
RAFTC_GO = "raftc-go"  # raftc through the Go binding (bench/go -tags raftcgo)
OURS = (RAFTC, RAFTC_GO)
PEERS = ("raft-rs", "canonical-raft")  # the non-etcd libraries, in column order
MACHINE = "machine"  # memcpy bandwidth lines (raftc-bench -w b), not a library
ETCD_FAST = "etcd-v3.6.0"  # the faster etcd release: the 5x goal is against it

# bench -> [(metric, unit, better, target_text, target_fn(medians) -> bool|dict|None)]
# target_fn receives the medians of every library; None = not applicable.
def _at_most(v):
    return lambda med: None if med.get(RAFTC) is None else med[RAFTC] <= v


GOALS = "ahead of every peer; >=5x etcd v3.6"


def _goals(med):
    """Goals of issue 20 on a throughput median dict: {goal: met} (None when unmeasured)."""
    r = med.get(RAFTC)
    others = [l for l in med if l not in OURS]
    if r is None or not others:
        return None
    out = {"ahead of every peer": all(r > med[l] for l in others)}
    if med.get(ETCD_FAST):
        out[">=5x etcd v3.6"] = r / med[ETCD_FAST] >= 5
    return out


def metrics_for(bench):
    if bench.startswith("single_"):
        return [
            ("entries_per_s", "entries/s", "higher", GOALS, _goals),
            ("ns_per_entry", "ns/entry", "lower", "", None),
            ("allocs_per_entry", "allocs/entry", "lower", "0 in steady state", _at_most(0.0)),
        ]
    if bench.startswith("cluster3_"):
        size = int(bench.split("_")[1])
        rows = [("entries_per_s", "entries/s", "higher", GOALS, _goals),
                ("mb_per_s", "MB/s", "higher", "", None)]
        if size >= 65536:
            rows.append(("mem_copies_per_entry", "64 KiB main-memory copies' worth", "lower",
                         "<=2 copies", _at_most(2.0)))
        rows += [("msgs_per_entry", "msgs/entry", "lower", "", None),
                 ("wire_bytes_per_entry", "wire B/entry", "lower", "", None)]
        return rows
    if bench.startswith("codec_"):
        small = bench in ("codec_app_1x16", "codec_heartbeat", "codec_vote")
        copy_ns = {"codec_app_16x1k": 16384 / 10.0, "codec_app_1x64k": 65536 / 10.0}.get(bench, 0)
        enc_target = "<=20 ns" if copy_ns == 0 else "<=20 ns + copy (~%d ns @10 GB/s)" % copy_ns
        return [
            ("encode_ns", "ns", "lower", enc_target, _at_most(20.0 + copy_ns)),
            ("encode_allocs", "allocs/op", "lower", "", None),
            ("encode_preencoded_ns", "ns", "lower", "(raftc: entries already raftpb)", None),
            ("decode_ns", "ns", "lower", "<=30 ns" if small else "", _at_most(30.0) if small else None),
            ("decode_allocs", "allocs/op", "lower", "", None),
        ]
    if bench.startswith("mem_idle_"):
        return [("bytes_per_group", "B/group", "lower", "<=512 B", _at_most(512.0))]
    if bench.startswith("mr_mem_"):
        return [("bytes_per_group", "B/group replica", "lower", "<=512 B", _at_most(512.0)),
                ("rss_per_group", "RSS B/group", "lower", "", None),
                # the goal is live bytes (above); RSS also holds the creation peak's freed pages
                ("rss_per_replica", "RSS B/group replica", "lower", "", None),
                ("rss_per_replica_trimmed", "RSS B/group replica after malloc_trim", "lower", "",
                 None)]
    if bench.startswith("mr_idle_"):
        return [("ns_per_group_s", "CPU ns/idle group/s", "lower", "", None)]
    if bench.startswith("mr_write_"):
        return [("entries_per_s", "entries/s", "higher", "", None),
                ("entries_per_cpu_s", "entries/CPU s", "higher", "", None)]
    if bench == "mem_entries":
        return [("bytes_per_entry_overhead", "B/entry", "lower", "<=16 B", _at_most(16.0))]
    return []


BENCH_ORDER = ["single_b1", "single_b64", "single_p64", "cluster3_16", "cluster3_128",
               "cluster3_1024", "cluster3_65536", "codec_app_1x16", "codec_app_16x1k", "codec_app_1x64k",
               "codec_heartbeat", "codec_vote", "mem_idle_follower", "mem_idle_leader",
               "mem_entries", "mr_mem_1000", "mr_idle_quiesced_1000", "mr_idle_ticking_1000",
               "mr_write_1000", "mr_mem_10000", "mr_idle_quiesced_10000",
               "mr_idle_ticking_10000", "mr_write_10000", "mr_mem_100000",
               "mr_idle_quiesced_100000", "mr_idle_ticking_100000", "mr_write_100000"]


def lib_key(lib):
    # raftc, raftc-go, then the peers, then etcd versions newest first
    if lib in OURS:
        return (0, OURS.index(lib))
    if lib in PEERS:
        return (1, PEERS.index(lib))
    return (2, "".join(chr(255 - ord(c)) for c in lib))


def load(paths):
    rows, errors = [], []
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    errors.append({"line": line[:200], "error": "unparsable output line"})
                    continue
                if "error" in obj:
                    errors.append(obj)
                else:
                    rows.append(obj)
    return rows, errors


def memcpy_medians(rows):
    """Medians of the machine's memcpy figures (GB/s) by metric, from raftc-bench -w b."""
    runs = {}
    for r in rows:
        if r["lib"] == MACHINE:
            for k, v in r.items():
                if k.endswith("_gb_per_s"):
                    runs.setdefault(k, []).append(float(v))
    return {k: statistics.median(v) for k, v in runs.items()}


def add_copies(rows, mem_gbps):
    """Adds mem_copies_per_entry to every 64 KiB cluster row: the entry time in units of one
    64 KiB copy from main memory (mem_gbps is the machine's median main-memory bandwidth)."""
    if not mem_gbps:
        return
    for r in rows:
        if r["bench"] == "cluster3_65536" and r.get("mb_per_s"):
            r["mem_copies_per_entry"] = mem_gbps * 1e3 / float(r["mb_per_s"])


def summarize(rows, errors):
    mem = memcpy_medians(rows)
    rows = [r for r in rows if r["lib"] != MACHINE]
    add_copies(rows, mem.get("mem_gb_per_s"))
    libs = sorted({r["lib"] for r in rows} | {e.get("lib") for e in errors if e.get("lib")},
                  key=lib_key)
    others = [l for l in libs if l not in OURS]
    etcds = [l for l in others if l.startswith("etcd-")]
    benches = sorted({r["bench"] for r in rows},
                     key=lambda b: (BENCH_ORDER.index(b) if b in BENCH_ORDER else 99, b))
    results = []
    for b in benches:
        for metric, unit, better, ttext, tfn in metrics_for(b):
            runs = {}
            for r in rows:
                if r["bench"] == b and metric in r:
                    runs.setdefault(r["lib"], []).append(float(r[metric]))
            if not runs:
                continue
            med = {l: statistics.median(v) for l, v in runs.items()}
            ratios, go_ratios = {}, {}
            for e in others:
                if RAFTC in med and med.get(e):
                    ratios[e] = med[RAFTC] / med[e]
            for e in etcds:
                if RAFTC_GO in med and med.get(e):
                    go_ratios[e] = med[RAFTC_GO] / med[e]
            met = tfn(med) if tfn else None
            results.append({"bench": b, "metric": metric, "unit": unit, "better": better,
                            "median": med, "runs": runs, "ratio_raftc_over": ratios,
                            "ratio_raftc_go_over": go_ratios,
                            "target": ttext, "target_met": met})
    persists = {}
    for r in rows:
        if r.get("persists") and r["lib"] not in persists:
            persists[r["lib"]] = r["persists"]
    return libs, others, etcds, results, mem, persists


def short(lib):
    return lib.replace("etcd-", "").replace("canonical-raft", "canonical")


def met_text(met):
    if met is None:
        return ""
    if isinstance(met, dict):
        return "; ".join("%s: %s" % (k.split()[0] if k.startswith("ahead") else "5x",
                                     "yes" if v else "no") for k, v in met.items())
    return "yes" if met else "no"


def fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1e6:
        return "%.3gM" % (v / 1e6)
    if a >= 1e4:
        return "%.0f" % v
    if a >= 100:
        return "%.0f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3g" % v


def table(libs, others, etcds, results, markdown=False):
    go_cols = any(r.get("ratio_raftc_go_over") for r in results)
    head = ["bench", "metric"] + [short(l) for l in libs]
    head += ["raftc/" + short(e) for e in others]
    if go_cols:
        head += ["raftc-go/" + short(e) for e in etcds]
    head += ["goal", "met"]
    lines = []
    for r in results:
        arrow = "^" if r["better"] == "higher" else "v"
        row = [r["bench"], "%s (%s) %s" % (r["metric"], r["unit"], arrow)]
        row += [fmt(r["median"].get(l)) for l in libs]
        row += [("%.2fx" % r["ratio_raftc_over"][e]) if e in r["ratio_raftc_over"] else "-"
                for e in others]
        if go_cols:
            gr = r.get("ratio_raftc_go_over", {})
            row += [("%.2fx" % gr[e]) if e in gr else "-" for e in etcds]
        row += [r["target"] or "", met_text(r["target_met"]) if r["target"] else ""]
        lines.append(row)
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(x.replace("|", "/") for x in row) + " |" for row in lines]
        return "\n".join(out) + "\n"
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    out = ["  ".join(str(x).ljust(w) for x, w in zip(head, widths))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)) for row in lines]
    return "\n".join(out) + "\n"


def footer(mem, persists, libs):
    out = []
    if mem:
        out.append("memcpy of 64 KiB on this machine (median): cache-hot %.1f GB/s, main memory "
                   "%.1f GB/s; mem_copies_per_entry = time per committed 64 KiB entry / time "
                   "of one main-memory copy" % (mem.get("hot_gb_per_s", 0),
                                                mem.get("mem_gb_per_s", 0)))
    for l in libs:
        if l in persists:
            out.append("persisted per Ready, %s: %s" % (l, persists[l]))
    return "\n".join(out) + ("\n" if out else "")


def plot(results, libs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for lib in libs:
        xs, ys = [], []
        for r in results:
            if r["bench"].startswith("cluster3_") and r["metric"] == "entries_per_s" \
                    and lib in r["median"]:
                xs.append(int(r["bench"].split("_")[1]))
                ys.append(r["median"][lib])
        if xs:
            pts = sorted(zip(xs, ys))
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=lib)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks([16, 128, 1024, 65536])
    ax.set_xticklabels(["16 B", "128 B", "1 KiB", "64 KiB"])
    ax.set_xlabel("payload size")
    ax.set_ylabel("committed entries/s (median)")
    ax.set_title("3 voters, in-process serializing transport")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="+", help="JSON-lines files written by the benchmarks")
    ap.add_argument("--json", help="write the summary here")
    ap.add_argument("--meta", help="JSON file with machine/commit facts to embed")
    ap.add_argument("--markdown", help="write the table as Markdown here")
    ap.add_argument("--plot", help="write a PNG plot of entries/s by payload size here")
    args = ap.parse_args()

    rows, errors = load(args.inputs)
    libs, others, etcds, results, mem, persists = summarize(rows, errors)
    print(table(libs, others, etcds, results), end="")
    print("(medians; ^ higher is better, v lower is better; ratios are raftc/<library> of the "
          "metric; goals are reported, never enforced)")
    print(footer(mem, persists, libs), end="")
    for e in errors:
        print("ERROR %s %s: %s" % (e.get("lib", "?"), e.get("bench", "?"), e.get("error")),
              file=sys.stderr)
    if args.json:
        meta = {}
        if args.meta:
            with open(args.meta) as f:
                meta = json.load(f)
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "libs": libs, "results": results, "errors": errors,
                       "memcpy_gb_per_s": mem, "persists": persists}, f,
                      indent=1, sort_keys=True)
            f.write("\n")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table(libs, others, etcds, results, markdown=True))
            f.write("\n" + footer(mem, persists, libs))
    if args.plot:
        try:
            plot(results, libs, args.plot)
        except ImportError as exc:
            print("plot skipped: %s" % exc, file=sys.stderr)
    if not rows:
        print("no benchmark results at all", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
