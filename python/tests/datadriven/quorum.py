# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# quorum.py: etcd's quorum/datadriven_test.go (HARNESS.md §5.2) over pyraftc.tools, a port of
# tests/conformance/suite_quorum.c including etcd's cross-checks (printed only on disagreement).
"""The ``quorum`` datadriven suite."""
from typing import Dict, List

from pyraftc import tools
from .runner import Directive, Fatal


def _index_str(i: int) -> str:
    return "∞" if i == tools.INDEX_INF else str(i)


class _Case:
    def __init__(self, d: Directive) -> None:
        self.joint = False
        self.ids: List[int] = []
        self.idsj: List[int] = []
        self.idxs: List[int] = []   # 0 = "_"
        self.votes: List[int] = []  # 0 = "_", 1 = n, 2 = y
        for arg in d.args:
            for v in arg.vals:
                if arg.key == "cfg":
                    self.ids.append(self._u64(v, "cfg"))
                elif arg.key == "cfgj":
                    self.joint = True
                    if v == "zero":
                        if len(arg.vals) != 1:
                            raise Fatal("cannot mix 'zero' into configuration")
                    else:
                        self.idsj.append(self._u64(v, "cfgj"))
                elif arg.key == "idx":
                    n = 0
                    if v != "_":
                        n = self._u64(v, "idx")
                        if n == 0:
                            raise Fatal("cannot use 0 as idx")
                    self.idxs.append(n)
                elif arg.key == "votes":
                    if v not in ("y", "n", "_"):
                        raise Fatal("unknown vote: %s" % v)
                    self.votes.append({"y": 2, "n": 1, "_": 0}[v])
                else:
                    raise Fatal("unknown arg %s" % arg.key)
        self.voters: List[int] = []
        for i in self.ids + self.idsj:
            if i not in self.voters:
                self.voters.append(i)
        self.lookup: Dict[int, int] = {}

    @staticmethod
    def _u64(v: str, what: str) -> int:
        if not v or not all("0" <= ch <= "9" for ch in v) or int(v) >= 1 << 64:
            raise Fatal("%s: cannot parse %s as uint64" % (what, v))
        return int(v)

    def make_lookup(self, inp: List[int]) -> None:
        for voter, val in zip(self.voters, inp):
            if val != 0 and voter not in self.lookup:
                self.lookup[voter] = val


def _alternative(cfg: List[int], lookup: Dict[int, int]) -> int:
    distinct: List[int] = []
    for i in cfg:
        if i not in distinct:
            distinct.append(i)
    if not distinct:
        return tools.INDEX_INF
    q = len(distinct) // 2 + 1
    best = 0
    for i in distinct:
        if i not in lookup:
            continue
        v = lookup[i]
        n = sum(1 for j in distinct if j in lookup and lookup[j] >= v)
        if n >= q and v > best:
            best = v
    return best


def _committed(c: _Case) -> str:
    out: List[str] = []
    c.make_lookup(c.idxs)
    lk = c.lookup
    if not c.joint:
        idx = tools.committed_index(c.ids, [], lk)
        out.append(tools.describe_quorum(c.ids, [], lk))
        alt = _alternative(c.ids, lk)
        if alt != idx:
            out.append("%s <-- via alternative computation\n" % _index_str(alt))
        alt = tools.committed_index(c.ids, [], lk)
        if alt != idx:
            out.append("%s <-- via zero-joint quorum\n" % _index_str(alt))
        alt = tools.committed_index(c.ids, c.ids, lk)
        if alt != idx:
            out.append("%s <-- via self-joint quorum\n" % _index_str(alt))
        seen: List[int] = []
        for vid in c.ids:
            if vid in seen:
                continue
            seen.append(vid)
            iidx = lk.get(vid)
            if iidx is None or not (idx > iidx > 0):
                continue
            for lowered in (iidx - 1, 0):
                overlay: Dict[int, int] = {}
                for other in c.ids:
                    if other in overlay:
                        continue
                    if other == vid:
                        overlay[other] = lowered
                    elif other in lk:
                        overlay[other] = lk[other]
                alt = tools.committed_index(c.ids, [], overlay)
                if alt != idx:
                    if lowered == iidx - 1:
                        out.append("%s <-- overlaying %d->%d" % (_index_str(alt), vid, iidx))
                    else:
                        out.append("%s <-- overlaying %d->0" % (_index_str(alt), vid))
    else:
        out.append(tools.describe_quorum(c.ids, c.idsj, lk))
        idx = tools.committed_index(c.ids, c.idsj, lk)
        alt = tools.committed_index(c.idsj, c.ids, lk)
        if alt != idx:
            out.append("%s <-- via symmetry\n" % _index_str(alt))
    out.append(_index_str(idx) + "\n")
    return "".join(out)


def _vote(c: _Case) -> str:
    c.make_lookup(c.votes)
    votes = {k: v != 1 for k, v in c.lookup.items()}
    out = []
    if not c.joint:
        r = tools.vote_result(c.ids, [], votes)
    else:
        r = tools.vote_result(c.ids, c.idsj, votes)
        ar = tools.vote_result(c.idsj, c.ids, votes)
        if ar != r:
            out.append("%s <-- via symmetry\n" % ar)
    out.append("%s\n" % r)
    return "".join(out)


class QuorumSuite:
    """etcd's quorum datadriven test: ``committed`` and ``vote``."""

    name = "quorum"

    def new_env(self) -> object:
        """No state: quorum directives are independent."""
        return None

    def handle(self, env: object, d: Directive) -> str:
        """Runs one directive (see :class:`~datadriven.runner.Suite`)."""
        c = _Case(d)
        inp = c.votes if d.cmd == "vote" else c.idxs
        if len(c.voters) != len(inp):
            keys = " ".join("%d:{}" % i for i in sorted(set(c.voters)))
            vals = " ".join(_index_str(v) for v in inp)
            return ("error: mismatched input (explicit or _) for voters map[%s]: [%s]"
                    % (keys, vals))
        if d.cmd == "committed":
            return _committed(c)
        if d.cmd == "vote":
            return _vote(c)
        raise Fatal("unknown command: %s" % d.cmd)
