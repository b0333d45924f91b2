# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# interaction.py: the "interaction" datadriven suite (etcd's rafttest InteractionEnv,
# HARNESS.md §2-§3) over the pyraftc API: a port of tests/conformance/interaction_*.c and
# suite_interaction.c. Nodes are pyraftc.RawNode over a MemoryStorage subclass whose snapshot()
# returns the History tip (a Python Storage override, so the callback path is exercised).
# Values whose exact bytes matter (conf change data, snapshots, message parts) are built with
# the same raftc.h helpers the C driver uses, so both drivers feed the core identical bytes.
"""The ``interaction`` datadriven suite."""
import shutil
import tempfile
from typing import Any, Callable, List, Optional, Set, Tuple

from pyraftc import raftpb_pb2 as pb
from pyraftc._ffi import NO_LIMIT, Sink, c_string, ffi, lib, strerror
from pyraftc.config import LOCAL_APPEND_THREAD, LOCAL_APPLY_THREAD, Config
from pyraftc.describe import describe_entries, describe_message
from pyraftc.diskstorage import DiskStorage, SyncPolicy
from pyraftc.enums import ReadOnlyOption
from pyraftc.errors import NodeFailedError, RaftError, StorageError
from pyraftc.node import RawNode
from pyraftc.storage import MemoryStorage
from .gostr import StrconvError, atoi, parse_bool, parse_changes, parse_uint, quote
from .runner import Directive, Fatal

LVL_NONE = 5
LEVEL_NAMES = ("DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE")
_LOCAL = (LOCAL_APPEND_THREAD, LOCAL_APPLY_THREAD)


class CmdError(Exception):
    """A command error: printed as etcd's harness prints errors (IA_ERR)."""


class _Msg:
    """A raftpb Message in flight: its bytes and header fields."""

    __slots__ = ("b", "type", "to", "frm", "term", "commit", "vote")

    def __init__(self, b: bytes) -> None:
        self.b = b
        info = ffi.new("uint64_t[]", lib.RAFTC_MF_COUNT)
        lib.raftc_message_decode(info, lib.RAFTC_MF_COUNT, b, len(b))
        self.type = int(info[lib.RAFTC_MF_TYPE])
        self.to = int(info[lib.RAFTC_MF_TO])
        self.frm = int(info[lib.RAFTC_MF_FROM])
        self.term = int(info[lib.RAFTC_MF_TERM])
        self.commit = int(info[lib.RAFTC_MF_COMMIT])
        self.vote = int(info[lib.RAFTC_MF_VOTE])

    def is_local(self) -> bool:
        """etcd's rafttest isLocalMsg: never dropped."""
        return self.frm == self.to or self.frm in _LOCAL or self.to in _LOCAL


class _Snap:
    """A History element (appender state-machine snapshot); cs is raftpb ConfState bytes."""

    __slots__ = ("data", "index", "term", "cs")

    def __init__(self, data: bytes, index: int, term: int, cs: bytes) -> None:
        self.data, self.index, self.term, self.cs = data, index, term, cs

    def encode(self) -> bytes:
        sink = Sink()
        rc = lib.raftc_snapshot_encode(sink.ptr, self.index, self.term, self.cs, len(self.cs),
                                       self.data, len(self.data))
        if rc < 0:
            raise Fatal("raftc_snapshot_encode failed: %d" % rc)
        return sink.first()


class _Storage(MemoryStorage):
    """MemoryStorage whose Snapshot() returns the node's History tip (HARNESS.md §2.2), and
    whose callbacks named in ``failing`` (storage-fail) raise a storage error."""

    def __init__(self) -> None:
        super().__init__()
        self.history: List[_Snap] = []
        self.failing: Set[str] = set()

    def _check_failing(self, call: str) -> None:
        if call in self.failing:
            raise StorageError("storage failure", lib.RAFTC_ESTORAGE)

    def initial_state(self) -> Tuple[pb.HardState, pb.ConfState]:
        self._check_failing("initial-state")
        return super().initial_state()

    def entries(self, lo: int, hi: int, max_size: int = NO_LIMIT) -> List[pb.Entry]:
        self._check_failing("entries")
        return super().entries(lo, hi, max_size)

    def term(self, i: int) -> int:
        self._check_failing("term")
        return super().term(i)

    def first_index(self) -> int:
        self._check_failing("first-index")
        return super().first_index()

    def last_index(self) -> int:
        self._check_failing("last-index")
        return super().last_index()

    def snapshot(self) -> bytes:  # type: ignore[override]
        self._check_failing("snapshot")
        return self.history[-1].encode()


class _DiskStorage(_Storage, DiskStorage):
    """The same over raftc's DiskStorage in directory ``path`` (add-nodes disk-storage=true,
    interaction_disk.c): writes go to the disk, without fsync (in one process a reopen reads
    what was written either way)."""

    def __init__(self, path: str) -> None:
        DiskStorage.__init__(self, path, sync=SyncPolicy.NONE)
        self.history = []
        self.failing = set()
        self.path = path


class _Node:
    def __init__(self, nid: int, disk: bool = False) -> None:
        self.id = nid
        self.storage: _Storage = (_DiskStorage(tempfile.mkdtemp(prefix="raftc-datadriven-"))
                                  if disk else _Storage())
        self.rn: Optional[RawNode] = None
        self.async_ = False
        self.heartbeat_tick = 1
        self.election_tick = 3
        self.append_work: List[_Msg] = []
        self.apply_work: List[_Msg] = []
        self.cfg: Optional[Config] = None  # what the node was opened with (restart reuses it)
        self.panic: Optional[str] = None  # the first PANIC text of the current raft node

    @property
    def history(self) -> List[_Snap]:
        return self.storage.history


class Env:
    """One file's environment: nodes, the global message queue, output and log level."""

    def __init__(self) -> None:
        self.nodes: List[_Node] = []
        self.msgs: List[_Msg] = []
        self.root: List[str] = []
        self.out = self.root
        self.lvl = 0

    def close(self) -> None:
        """Closes every node (and removes the directories of disk storages)."""
        for n in self.nodes:
            if n.rn is not None:
                n.rn.close()
            if isinstance(n.storage, _DiskStorage):
                n.storage.close()
                shutil.rmtree(n.storage.path, ignore_errors=True)

    # -- output (interaction_out.c) --------------------------------------------------------

    def write(self, s: str) -> None:
        """Appends s to the current output unless the level is NONE."""
        if self.lvl != LVL_NONE:
            self.out.append(s)

    def logger(self, n: "_Node") -> Callable[[int, str], None]:
        """The raft logger of node n: log(), recording n's first PANIC text (the failure text
        of a failed node, as raftc_node_last_error gives it)."""
        def log(level: int, msg: str) -> None:
            if int(level) > 4 and n.panic is None:
                n.panic = msg
            self.log(level, msg)
        return log

    def log(self, level: int, msg: str) -> None:
        """A raft log line at level (0..4; above 4 = PANIC: printed as FATAL, the node is
        failed). Lines below the env's level are dropped."""
        lvl = int(level)
        if lvl > 4:
            lvl = 4
        if lvl < 0 or self.lvl > lvl:
            return
        self.out.append(LEVEL_NAMES[lvl] + " " + msg)
        if msg and not msg.endswith("\n"):
            self.out.append("\n")

    def set_level(self, name: str) -> None:
        """Sets the level from its name (any case); CmdError with the harness's text if
        unknown."""
        for i, n in enumerate(LEVEL_NAMES):
            if n.lower() == name.lower():
                self.lvl = i
                return
        raise CmdError("log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]")

    def indented(self, fn: Callable[[], Any]) -> Any:
        """withIndent: runs fn capturing its output, then writes it indented by two spaces."""
        orig, self.out = self.out, []
        try:
            return fn()
        finally:
            captured, self.out = "".join(self.out), orig
            parts = captured.split("\n")
            if parts and parts[-1] == "":
                parts.pop()
            for line in parts:
                if line.endswith("\r"):
                    line = line[:-1]
                orig.append("  " + line + "\n")


# -- argument helpers (interaction_args.c) ------------------------------------------------------

def _node_at(e: Env, nid: int) -> _Node:
    if nid < 1 or nid > len(e.nodes):
        raise Fatal("node %d does not exist (have %d nodes)" % (nid, len(e.nodes)))
    return e.nodes[nid - 1]


def _atoi(s: str) -> int:
    try:
        return atoi(s)
    except StrconvError as exc:
        raise Fatal(str(exc)) from None


def _first_node(e: Env, d: Directive) -> _Node:
    if not d.args:
        raise Fatal("%s: expected a node ID as the first argument" % d.cmd)
    return _node_at(e, _atoi(d.args[0].key))


def _node_ids(e: Env, d: Directive) -> List[int]:
    ids = []
    for a in d.args:
        if a.vals:
            continue
        nid = _atoi(a.key)
        _node_at(e, nid)
        ids.append(nid)
    return ids


def _scan_uint(s: str) -> int:
    try:
        return parse_uint(s)
    except StrconvError as exc:
        raise Fatal(str(exc)) from None


def _scan_bool(s: str) -> bool:
    try:
        return parse_bool(s)
    except StrconvError as exc:
        raise Fatal(str(exc)) from None


def _failed(n: _Node, exc: Exception) -> CmdError:
    """The error of a call on a failed node (ia_check's RAFTC_EFAILED text)."""
    return CmdError("node %d failed: %s" % (n.id, n.panic if n.panic else exc))


def _check(n: _Node, fn: Callable[[], Any], fatal_only: bool = False) -> Any:
    """ia_check: a failed node (NodeFailedError, or the storage failure that failed it) and
    other errors -> CmdError (plain errors ignored if fatal_only)."""
    try:
        return fn()
    except (NodeFailedError, StorageError) as exc:
        raise _failed(n, exc) from None
    except RaftError as exc:
        if fatal_only:
            return None
        raise CmdError(str(exc)) from None


def _storage_call(n: _Node, what: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except NodeFailedError:
        raise Fatal("node %d: MemoryStorage.%s panicked" % (n.id, what)) from None
    except RaftError as exc:
        raise CmdError(str(exc)) from None


# -- add-nodes (interaction_node.c) --------------------------------------------------------------

class _AddOpts:
    def __init__(self) -> None:
        self.voters: List[int] = []
        self.learners: List[int] = []
        self.index = 0
        self.content = b""
        self.applied = 0
        self.max_inflight_msgs = (1 << 31) - 1
        self.max_committed_size_per_ready = 0
        self.max_size_per_msg = NO_LIMIT
        self.max_uncommitted_entries_size = 0
        self.max_inflight_bytes = 0
        self.async_storage_writes = False
        self.pre_vote = False
        self.check_quorum = False
        self.disable_conf_change_validation = False
        self.step_down_on_removal = False
        self.read_only_lease_based = False
        self.disk_storage = False

    def parse(self, key: str, val: str) -> None:
        if key == "voters":
            self.voters.append(_scan_uint(val))
        elif key == "learners":
            self.learners.append(_scan_uint(val))
        elif key == "inflight":
            self.max_inflight_msgs = _atoi(val) & ((1 << 64) - 1)
        elif key == "index":
            self.index = _scan_uint(val)
            self.applied = self.index
        elif key == "content":
            self.content = val.encode("utf-8", "surrogateescape")
        elif key == "async-storage-writes":
            self.async_storage_writes = _scan_bool(val)
        elif key == "prevote":
            self.pre_vote = _scan_bool(val)
        elif key == "checkquorum":
            self.check_quorum = _scan_bool(val)
        elif key == "max-committed-size-per-ready":
            self.max_committed_size_per_ready = _scan_uint(val)
        elif key == "max-size-per-msg":  # the project's options (tests/conformance/README.md)
            self.max_size_per_msg = _scan_uint(val)
        elif key == "max-uncommitted-entries-size":
            self.max_uncommitted_entries_size = _scan_uint(val)
        elif key == "max-inflight-bytes":
            self.max_inflight_bytes = _scan_uint(val)
        elif key == "disable-conf-change-validation":
            self.disable_conf_change_validation = _scan_bool(val)
        elif key == "step-down-on-removal":
            self.step_down_on_removal = _scan_bool(val)
        elif key == "disk-storage":  # raftc-only (tests/conformance/README.md)
            self.disk_storage = _scan_bool(val)
        elif key == "read-only":
            if val == "safe":
                self.read_only_lease_based = False
            elif val == "lease-based":
                self.read_only_lease_based = True
            else:
                raise CmdError("invalid read-only option " + quote(val))


def _conf_state_bytes(voters: List[int], learners: List[int]) -> bytes:
    sink = Sink()
    v = ffi.new("uint64_t[]", voters) if voters else ffi.NULL
    lr = ffi.new("uint64_t[]", learners) if learners else ffi.NULL
    rc = lib.raftc_conf_state_encode(sink.ptr, v, len(voters), lr, len(learners), ffi.NULL, 0,
                                     ffi.NULL, 0, 0)
    if rc < 0:
        raise Fatal("raftc_conf_state_encode: %d" % rc)
    return sink.first()


def _add_node(e: Env, o: _AddOpts, bootstrap: bool) -> None:
    n = _Node(len(e.nodes) + 1, o.disk_storage)
    e.nodes.append(n)  # owned by the env from here (its close removes a disk node's directory)
    try:
        _init_node(e, n, o, bootstrap)
    except BaseException:
        e.nodes.pop()
        if isinstance(n.storage, _DiskStorage):
            n.storage.close()
            shutil.rmtree(n.storage.path, ignore_errors=True)
        raise


def _init_node(e: Env, n: _Node, o: _AddOpts, bootstrap: bool) -> None:
    snap = _Snap(o.content, o.index, 0, _conf_state_bytes(o.voters, o.learners))
    n.history.append(snap)
    if bootstrap:
        if o.index <= 1:
            raise CmdError("index must be specified as > 1 due to bootstrap")
        snap.term = 1
        _storage_call(n, "ApplySnapshot", lambda: n.storage.apply_snapshot(snap.encode()))
        fi = n.storage.first_index()
        if fi != o.index + 1:
            raise CmdError("failed to establish first index %d; got %d" % (o.index + 1, fi))
    cfg = Config(
        id=n.id, election_tick=n.election_tick, heartbeat_tick=n.heartbeat_tick,
        storage=n.storage, applied=o.applied, max_size_per_msg=o.max_size_per_msg,
        max_committed_size_per_ready=o.max_committed_size_per_ready,
        max_uncommitted_entries_size=o.max_uncommitted_entries_size,
        max_inflight_bytes=o.max_inflight_bytes,
        max_inflight_msgs=o.max_inflight_msgs, check_quorum=o.check_quorum,
        pre_vote=o.pre_vote,
        read_only_option=(ReadOnlyOption.LEASE_BASED if o.read_only_lease_based
                          else ReadOnlyOption.SAFE),
        disable_conf_change_validation=o.disable_conf_change_validation,
        step_down_on_removal=o.step_down_on_removal,
        async_storage_writes=o.async_storage_writes, logger=e.logger(n))
    n.async_ = o.async_storage_writes
    _open(n, cfg)


def _open(n: _Node, cfg: Config) -> None:
    """ia_node_open: a raft node over n's storage with cfg (remembered in n.cfg)."""
    n.cfg = cfg
    n.panic = None
    try:
        n.rn = RawNode(cfg)
    except StorageError:
        raise CmdError("raft: initialization failed") from None
    except RaftError as exc:
        raise CmdError(str(exc)) from None


def _cmd_add_nodes(e: Env, d: Directive) -> None:
    if not d.args:
        raise Fatal("add-nodes: expected a node count")
    count = _atoi(d.args[0].key)
    o = _AddOpts()
    for a in d.args[1:]:
        for v in a.vals:
            o.parse(a.key, v)
    bootstrap = bool(o.voters or o.learners or o.index != 0 or o.content)
    for _ in range(count):
        _add_node(e, o, bootstrap)


# -- simple node actions -------------------------------------------------------------------------

def _rn(n: _Node) -> RawNode:
    assert n.rn is not None
    return n.rn


def _cmd_campaign(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    _check(n, _rn(n).campaign)


def _cmd_propose(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    if len(d.args) != 2 or d.args[1].vals:
        raise Fatal("expected exactly one key with no vals")
    data = d.args[1].key.encode("utf-8", "surrogateescape")
    _check(n, lambda: _rn(n).propose(data))


def _tick_n(e: Env, d: Directive, election: bool) -> None:
    n = _first_node(e, d)
    for _ in range(n.election_tick if election else n.heartbeat_tick):
        _check(n, _rn(n).tick, fatal_only=True)


def _cmd_tick_heartbeat(e: Env, d: Directive) -> None:
    _tick_n(e, d, False)


def _cmd_tick_election(e: Env, d: Directive) -> None:
    _tick_n(e, d, True)


def _cmd_set_randomized_election_timeout(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    a = d.find_arg("timeout")
    if a is None or len(a.vals) != 1:
        raise Fatal("missing argument: timeout")
    t = _atoi(a.vals[0])
    if t == 0 or t > 2**31 - 1 or t < -2**31:
        raise Fatal("timeout must be a non-zero int")
    _check(n, lambda: _rn(n)._set_randomized_election_timeout(t))


def _scan_node_arg(e: Env, d: Directive, key: str) -> int:
    a = d.find_arg(key)
    if a is None or len(a.vals) != 1:
        raise Fatal("missing argument: %s" % key)
    v = _scan_uint(a.vals[0])
    if v == 0 or v > len(e.nodes):
        raise Fatal("%s=%d is not a node" % (key, v))
    return v


def _cmd_transfer_leadership(e: Env, d: Directive) -> None:
    frm = _scan_node_arg(e, d, "from")
    to = _scan_node_arg(e, d, "to")
    n = e.nodes[frm - 1]
    _check(n, lambda: _rn(n).transfer_leader(to), fatal_only=True)


def _cmd_forget_leader(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    _check(n, _rn(n).forget_leader, fatal_only=True)


def _cmd_report_unreachable(e: Env, d: Directive) -> None:
    ids = _node_ids(e, d)
    if len(ids) != 2:
        raise CmdError("must specify exactly two node indexes: node on which to report, and "
                       "reported node")
    n = e.nodes[ids[0] - 1]
    _check(n, lambda: _rn(n).report_unreachable(ids[1]), fatal_only=True)


def _cmd_send_snapshot(e: Env, d: Directive) -> None:
    ids = _node_ids(e, d)
    if len(ids) != 2:
        raise Fatal("send-snapshot: expected exactly two node IDs")
    frm = e.nodes[ids[0] - 1]
    term = _rn(frm).basic_status().hard_state.term
    snap = frm.history[-1].encode()
    info = ffi.new("uint64_t[]", lib.RAFTC_MF_COUNT)
    info[lib.RAFTC_MF_TYPE] = lib.RAFTC_MSG_SNAP
    info[lib.RAFTC_MF_FROM] = ids[0]
    info[lib.RAFTC_MF_TO] = ids[1]
    info[lib.RAFTC_MF_TERM] = term
    sink = Sink()
    rc = lib.raftc_message_encode(sink.ptr, info, lib.RAFTC_MF_COUNT, ffi.NULL, ffi.NULL, 0,
                                  snap, len(snap), ffi.NULL, 0)
    if rc < 0:
        raise Fatal("send-snapshot: %d" % rc)
    b = sink.first()
    e.msgs.append(_Msg(b))
    e.write(describe_message(b))


# -- propose-conf-change -------------------------------------------------------------------------

def _cmd_propose_conf_change(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    v1 = False
    transition = pb.ConfChangeTransitionAuto
    for a in d.args[1:]:
        for val in a.vals:
            if a.key == "v1":
                try:
                    v1 = parse_bool(val)
                except StrconvError as exc:
                    raise CmdError(str(exc)) from None
            elif a.key == "transition":
                if val == "auto":
                    transition = pb.ConfChangeTransitionAuto
                elif val == "implicit":
                    transition = pb.ConfChangeTransitionJointImplicit
                elif val == "explicit":
                    transition = pb.ConfChangeTransitionJointExplicit
                else:
                    raise CmdError("unknown transition %s" % val)
            else:
                raise CmdError("unknown command %s" % a.key)
    try:
        ccs = parse_changes(d.input)
    except (StrconvError, ValueError) as exc:
        raise CmdError(str(exc)) from None
    sink = Sink()
    if v1:
        if len(ccs) > 1 or transition != pb.ConfChangeTransitionAuto:
            raise CmdError("v1 conf change can only have one operation and no transition")
        if not ccs:
            raise Fatal("v1 conf change without an operation (the Go harness crashes)")
        rc = lib.raftc_conf_change_encode(sink.ptr, ccs[0][0], ccs[0][1], ffi.NULL, 0)
        kind = lib.RAFTC_CC_V1
    else:
        types = ffi.new("raftc_cc_type[]", [t for t, _ in ccs]) if ccs else ffi.NULL
        nids = ffi.new("uint64_t[]", [i for _, i in ccs]) if ccs else ffi.NULL
        rc = lib.raftc_conf_change_v2_encode(sink.ptr, transition, types, nids, len(ccs),
                                             ffi.NULL, 0)
        kind = lib.RAFTC_CC_V2
    if rc < 0:
        raise Fatal("conf change encoding failed: %d" % rc)
    b = sink.first()
    _check(n, lambda: _rn(n)._propose_conf_change_raw(kind, b))


# -- storage and state inspection ----------------------------------------------------------------

def _raft_log(e: Env, n: _Node) -> None:
    fi, li = n.storage.first_index(), n.storage.last_index()
    if li < fi:
        e.write("log is empty: first index=%d, last index=%d" % (fi, li))
        return
    ents = _storage_call(n, "Entries", lambda: n.storage.entries(fi, li + 1, NO_LIMIT))
    e.write(describe_entries(ents))


def _cmd_raft_log(e: Env, d: Directive) -> None:
    _raft_log(e, _first_node(e, d))


def _cmd_compact(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    if len(d.args) < 2:
        raise Fatal("compact: expected an index")
    try:
        idx = parse_uint(d.args[1].key)
    except StrconvError as exc:
        raise CmdError(str(exc)) from None
    try:
        n.storage.compact(idx)
    except NodeFailedError:
        raise Fatal("compact %d is out of bound lastindex" % idx) from None
    except RaftError as exc:
        raise CmdError(str(exc)) from None
    _raft_log(e, n)


def _cmd_raft_state(e: Env, d: Directive) -> None:
    for n in e.nodes:
        st = _rn(n).basic_status()
        e.write("%d: %s %s Term:%d Lead:%d\n" % (st.id, st.raft_state,
                                                 "(Voter)" if st.is_voter else "(Non-Voter)",
                                                 st.hard_state.term, st.lead))


def _cmd_status(e: Env, d: Directive) -> None:
    n = _first_node(e, d)
    e.write(_check(n, _rn(n).progress_text))


# -- Ready handling and storage threads (interaction_ready.c) ------------------------------------

def _process_append(e: Env, n: _Node, hs: Tuple[int, int, int], ents: List[bytes],
                    snap: Optional[bytes]) -> None:
    if hs != (0, 0, 0):
        _storage_call(n, "SetHardState", lambda: n.storage.set_hard_state(
            pb.HardState(term=hs[0], vote=hs[1], commit=hs[2])))
    snap_index = 0
    if snap is not None:
        idx = ffi.new("uint64_t *")
        rc = lib.raftc_snapshot_decode(idx, ffi.NULL, ffi.NULL, ffi.NULL, snap, len(snap))
        if rc < 0:
            raise CmdError(strerror(rc))
        snap_index = int(idx[0])
    if snap is not None and snap_index != 0:
        if ents:
            raise CmdError("can't apply snapshot and entries at the same time")
        snap_bytes = snap  # the narrowed type, for the closure
        _storage_call(n, "ApplySnapshot", lambda: n.storage.apply_snapshot(snap_bytes))
        return
    if ents:
        _storage_call(n, "Append", lambda: n.storage.append(ents))


def _apply_entry(e: Env, n: _Node, b: bytes) -> None:
    ent = pb.Entry.FromString(b)
    cs: Optional[bytes] = None
    if ent.type in (pb.EntryConfChange, pb.EntryConfChangeV2):
        kind = lib.RAFTC_CC_V1 if ent.type == pb.EntryConfChange else lib.RAFTC_CC_V2
        sink = Sink()
        rc = lib.raftc_conf_change_decode_context(sink.ptr, kind, ent.data, len(ent.data))
        if rc < 0:
            raise CmdError(strerror(rc))
        update = sink.first()
        cs = _check(n, lambda: _rn(n)._apply_conf_change(kind, ent.data)).SerializeToString()
    else:
        update = ent.data
    prev = n.history[-1]
    n.history.append(_Snap(prev.data + update, ent.index, ent.term,
                           cs if cs is not None else prev.cs))


def _process_apply(e: Env, n: _Node, ents: List[bytes]) -> None:
    for b in ents:
        _apply_entry(e, n, b)


def _route(e: Env, n: _Node, b: bytes) -> None:
    m = _Msg(b)
    if m.to not in _LOCAL:
        e.msgs.append(m)
        return
    if not n.async_:
        raise Fatal("unexpected local msg target")
    if m.type == lib.RAFTC_MSG_STORAGE_APPEND:
        n.append_work.append(m)
    elif m.type == lib.RAFTC_MSG_STORAGE_APPLY:
        n.apply_work.append(m)
    else:
        raise Fatal("unexpected message type %s"
                    % c_string(lib.raftc_msg_type_name(m.type)))


def _process_ready(e: Env, n: _Node) -> None:
    rn = _rn(n)
    rd, text = _check(n, lambda: rn._ready(True))
    e.write(text)
    if not n.async_:
        hs = (0, 0, 0)
        if rd.hard_state is not None:
            hs = (rd.hard_state.term, rd.hard_state.vote, rd.hard_state.commit)
        snap = rd.snapshot.SerializeToString() if rd.snapshot is not None else None
        _process_append(e, n, hs, rd.entry_bytes, snap)
        _process_apply(e, n, rd.committed_entry_bytes)
    for b in rd.message_bytes:
        _route(e, n, b)
    if not n.async_:
        _check(n, rn.advance)


def _process_thread(e: Env, n: _Node, append: bool) -> None:
    q = n.append_work if append else n.apply_work
    if not q:
        e.write("no append work to perform" if append else "no apply work to perform")
        return
    m = q.pop(0)
    ents, snap, resps, stripped = Sink(), Sink(), Sink(), Sink()
    rc = lib.raftc_message_decode_parts(ents.ptr, snap.ptr, resps.ptr, ffi.NULL, m.b, len(m.b))
    if rc >= 0:
        rc = lib.raftc_message_strip_responses(stripped.ptr, m.b, len(m.b))
    if rc < 0:
        raise Fatal("undecodable storage message: %d" % rc)
    e.write("Processing:\n")
    e.write(describe_message(stripped.first()))
    e.write("\n")
    if append:
        _process_append(e, n, (m.term, m.vote, m.commit), ents.items(),
                        snap.first() if len(snap) else None)
    else:
        _process_apply(e, n, ents.items())
    e.write("Responses:\n")
    for b in resps.items():
        e.write(describe_message(b))
        e.write("\n")
        e.msgs.append(_Msg(b))


def _for_each_node(e: Env, d: Directive, header: str, fn: Callable[[Env, _Node], None]) -> None:
    ids = _node_ids(e, d)
    for nid in ids:
        node = e.nodes[nid - 1]
        if len(ids) > 1:
            e.write("> %d %s\n" % (nid, header))
            e.indented(lambda: fn(e, node))
        else:
            fn(e, node)


def _cmd_process_ready(e: Env, d: Directive) -> None:
    _for_each_node(e, d, "handling Ready", _process_ready)


def _cmd_process_append_thread(e: Env, d: Directive) -> None:
    _for_each_node(e, d, "processing append thread", lambda e_, n: _process_thread(e_, n, True))


def _cmd_process_apply_thread(e: Env, d: Directive) -> None:
    _for_each_node(e, d, "processing apply thread", lambda e_, n: _process_thread(e_, n, False))


# -- deliver-msgs and stabilize (interaction_deliver.c) ------------------------------------------

def _split_msgs(e: Env, to: int, typ: int, drop: bool) -> List[_Msg]:
    taken, keep = [], []
    for m in e.msgs:
        if m.to == to and not (drop and m.is_local()) and (typ < 0 or m.type == typ):
            taken.append(m)
        else:
            keep.append(m)
    e.msgs = keep
    return taken


def _step(e: Env, n: _Node, m: _Msg) -> None:
    try:
        _rn(n).step(m.b)
    except (NodeFailedError, StorageError) as exc:
        raise _failed(n, exc) from None
    except RaftError as exc:
        e.write("%s\n" % exc)


def _deliver(e: Env, typ: int, recipients: List[Tuple[int, bool]]) -> int:
    total = 0
    for rid, drop in recipients:
        taken = _split_msgs(e, rid, typ, drop)
        total += len(taken)
        for m in taken:
            if drop:
                e.write("dropped: ")
            e.write(describe_message(m.b))
            e.write("\n")
            if drop:
                continue
            if m.to < 1 or m.to > len(e.nodes):
                raise Fatal("message to nonexistent node %d" % m.to)
            _step(e, e.nodes[m.to - 1], m)
    return total


def _cmd_deliver_msgs(e: Env, d: Directive) -> None:
    typ = -1
    rs: List[Tuple[int, bool]] = []
    for a in d.args:
        if not a.vals:
            rs.append((_scan_uint(a.key), False))
        for v in a.vals:
            if a.key == "drop":
                rid = _scan_uint(v)
                if any(r == rid for r, _ in rs):
                    raise Fatal("can't both deliver and drop msgs to %d" % rid)
                rs.append((rid, True))
            elif a.key == "type":
                mt = ffi.new("raftc_msg_type *")
                if lib.raftc_msg_type_parse(mt, v.encode()) != lib.RAFTC_OK:
                    raise Fatal("unknown message type %s" % v)
                typ = int(mt[0])
    if _deliver(e, typ, rs) == 0:
        e.write("no messages\n")


def _stabilize_round(e: Env, nodes: List[_Node]) -> bool:
    busy = False
    for n in nodes:
        if not _rn(n).has_ready():
            continue
        busy = True
        e.write("> %d handling Ready\n" % n.id)
        e.indented(lambda: _process_ready(e, n))
    for n in nodes:
        if not any(m.to == n.id for m in e.msgs):
            continue
        busy = True
        e.write("> %d receiving messages\n" % n.id)
        e.indented(lambda: _deliver(e, -1, [(n.id, False)]))
    for n in nodes:
        if not n.append_work:
            continue
        busy = True
        e.write("> %d processing append thread\n" % n.id)
        while n.append_work:
            e.indented(lambda: _process_thread(e, n, True))
    for n in nodes:
        if not n.apply_work:
            continue
        busy = True
        e.write("> %d processing apply thread\n" % n.id)
        while n.apply_work:
            def step() -> None:
                try:
                    _process_thread(e, n, False)
                except CmdError:
                    pass  # plain errors are ignored here, as upstream does
            e.indented(step)
    return busy


def _cmd_stabilize(e: Env, d: Directive) -> None:
    ids = _node_ids(e, d)
    saved = e.lvl
    try:
        for a in d.args:
            if a.key == "log-level":
                for v in a.vals:
                    e.set_level(v)
        nodes = [e.nodes[i - 1] for i in ids] if ids else list(e.nodes)
        while _stabilize_round(e, nodes):
            pass
    finally:
        e.lvl = saved


# -- the project's commands beyond etcd's harness (interaction_ext.c) ----------------------------

def _cmd_restart(e: Env, d: Directive) -> None:
    """The node's process crashes and restarts over its storage (interaction_ext.c)."""
    n = _first_node(e, d)
    if n.rn is not None:
        n.rn.close()
        n.rn = None
    n.append_work, n.apply_work = [], []
    local = (n.id,) + _LOCAL
    e.msgs = [m for m in e.msgs if not (m.to == n.id and m.frm in local)]
    assert n.cfg is not None
    cfg = n.cfg
    old = n.storage
    if isinstance(old, _DiskStorage):  # its memory is lost: reopen the directory
        old.close()
        new = _DiskStorage(old.path)
        new.history, new.failing = old.history, old.failing
        n.storage = new
        cfg.storage = new
    cfg.applied = n.history[-1].index
    _open(n, cfg)


_STORAGE_CALLS = ("initial-state", "entries", "term", "first-index", "last-index", "snapshot")


def _cmd_storage_fail(e: Env, d: Directive) -> None:
    """The named storage callbacks fail from now on; none: all work again."""
    n = _first_node(e, d)
    calls = set()
    for a in d.args[1:]:
        if a.key not in _STORAGE_CALLS or a.vals:
            raise Fatal("storage-fail: unknown storage call %s" % a.key)
        calls.add(a.key)
    n.storage.failing = calls


def _cmd_storage_snapshot(e: Env, d: Directive) -> None:
    """The snapshot the node's storage holds, with its data."""
    n = _first_node(e, d)
    snap = MemoryStorage.snapshot(n.storage)
    b = snap.SerializeToString()
    sp = ffi.new("char **")
    rc = lib.raftc_snapshot_describe(sp, b, len(b))
    if rc < 0:
        raise CmdError(strerror(rc))
    text = c_string(sp[0])
    lib.raftc_free(sp[0])
    e.write("%s Data:%s" % (text, quote(snap.data.decode("utf-8", "surrogateescape"))))


def _cmd_ready(e: Env, d: Directive) -> None:
    """RawNode.Ready, printed and accepted, nothing handled."""
    n = _first_node(e, d)
    rn = _rn(n)
    e.write(_check(n, lambda: rn._ready(True))[1])


def _cmd_advance(e: Env, d: Directive) -> None:
    """RawNode.Advance on its own."""
    n = _first_node(e, d)
    _check(n, _rn(n).advance)


def _cmd_step_bytes(e: Env, d: Directive) -> None:
    """Steps the hex bytes of the input (whitespace ignored) as a raftpb Message."""
    n = _first_node(e, d)
    digits = "".join(d.input.split())
    for c in digits:
        if c not in "0123456789abcdefABCDEF":
            raise Fatal("step-bytes: %s is not a hex digit" % c)
    if len(digits) % 2:
        raise Fatal("step-bytes: odd number of hex digits")
    rn = _rn(n)
    _check(n, lambda: rn.step(bytes.fromhex(digits)))


# -- dispatch (suite_interaction.c) --------------------------------------------------------------

def _cmd_breakpoint(e: Env, d: Directive) -> None:
    pass


def _cmd_log_level(e: Env, d: Directive) -> None:
    if not d.args:
        raise Fatal("log-level: expected a level")
    e.set_level(d.args[0].key)


COMMANDS = {
    "_breakpoint": _cmd_breakpoint,
    "add-nodes": _cmd_add_nodes,
    "advance": _cmd_advance,
    "campaign": _cmd_campaign,
    "compact": _cmd_compact,
    "deliver-msgs": _cmd_deliver_msgs,
    "forget-leader": _cmd_forget_leader,
    "log-level": _cmd_log_level,
    "process-append-thread": _cmd_process_append_thread,
    "process-apply-thread": _cmd_process_apply_thread,
    "process-ready": _cmd_process_ready,
    "propose": _cmd_propose,
    "propose-conf-change": _cmd_propose_conf_change,
    "raft-log": _cmd_raft_log,
    "raft-state": _cmd_raft_state,
    "ready": _cmd_ready,
    "report-unreachable": _cmd_report_unreachable,
    "restart": _cmd_restart,
    "send-snapshot": _cmd_send_snapshot,
    "set-randomized-election-timeout": _cmd_set_randomized_election_timeout,
    "stabilize": _cmd_stabilize,
    "status": _cmd_status,
    "step-bytes": _cmd_step_bytes,
    "storage-fail": _cmd_storage_fail,
    "storage-snapshot": _cmd_storage_snapshot,
    "tick-election": _cmd_tick_election,
    "tick-heartbeat": _cmd_tick_heartbeat,
    "transfer-leadership": _cmd_transfer_leadership,
}


class InteractionSuite:
    """etcd's rafttest InteractionEnv commands."""

    name = "interaction"

    def new_env(self) -> object:
        """A fresh :class:`Env` (no nodes)."""
        return Env()

    def handle(self, env: object, d: Directive) -> str:
        """Runs one command: its output, or the command error's text; Fatal for harness
        errors and raft panics."""
        assert isinstance(env, Env)
        e = env
        e.root = []
        e.out = e.root
        err: Optional[str] = None
        fatal: Optional[str] = None
        fn = COMMANDS.get(d.cmd)
        try:
            if fn is None:
                raise CmdError("unknown command")
            fn(e, d)
        except CmdError as exc:
            err = str(exc)
        except Fatal as exc:
            fatal = str(exc)
        e.out = e.root
        if fatal is not None:
            so_far = "".join(e.root)
            raise Fatal(fatal + ("\noutput so far:\n" + so_far if so_far else ""))
        if err is not None:
            if e.lvl == LVL_NONE:
                return err
            e.root.append(err)
        text = "".join(e.root)
        return text if text else "ok"


