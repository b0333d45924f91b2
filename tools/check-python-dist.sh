#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# check-python-dist.sh: `python -m build` makes an sdist and a wheel of pyraftc, and each
# installs into its own fresh virtualenv and drives a node (a one-voter cluster commits a
# proposal), and with the kv extra the raftc-kv console script runs. The sdist builds from the
# committed generated files (no protoc-c needed).
# Usage: tools/check-python-dist.sh [work_dir]   (default: build/python-dist)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/build/python-dist}"
rm -rf "$work"
mkdir -p "$work"
python3 -m venv "$work/build-venv"
"$work/build-venv/bin/python" -m pip install -q build
"$work/build-venv/bin/python" -m build -q --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; exit 1; }

smoke='
import pyraftc
from pyraftc import raftpb
storage = pyraftc.MemoryStorage()
node = pyraftc.RawNode(pyraftc.Config(id=1, election_tick=10, heartbeat_tick=1, storage=storage))
node.bootstrap([pyraftc.Peer(id=1)])
applied, proposed = [], False
for _ in range(50):
    if not node.has_ready():
        if node.status().raft_state != pyraftc.StateType.LEADER:
            node.campaign()
        elif not proposed:
            node.propose(b"hello")
            proposed = True
        continue
    rd = node.ready()
    if rd.hard_state is not None:
        storage.set_hard_state(rd.hard_state)
    storage.append(rd.entries)
    for e in rd.committed_entries:
        if e.type == raftpb.EntryConfChange:
            cc = raftpb.ConfChange()
            cc.ParseFromString(e.data)
            node.apply_conf_change(cc)
        elif e.data:
            applied.append(e.data)
    node.advance()
assert applied == [b"hello"], applied
print("smoke: committed and applied a proposal")
'
for kind in whl tar.gz; do
    venv="$work/venv-$kind"
    python3 -m venv "$venv"
    dist=("$work"/dist/*."$kind")
    "$venv/bin/python" -m pip install -q "${dist[0]}[kv]"
    (cd "$work" && "$venv/bin/python" -c "$smoke")
    "$venv/bin/raftc-kv" --help >/dev/null
    (cd "$work" && "$venv/bin/python" -c "import pyraftc.kv.service, pyraftc.kv.kvpb_pb2")
    echo "check-python-dist: the $kind installs into a fresh virtualenv and works"
done
