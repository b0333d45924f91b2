# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# describe.py: etcd's Describe* text forms, computed by the C library (raftc_describe_*).
"""etcd's text forms of raft values (DescribeMessage, DescribeEntry, ...), as printed in etcd's
test transcripts. Values may be raftpb objects or their serialized bytes."""
from typing import Any, Callable, Iterable, Union

from . import raftpb_pb2 as pb
from ._codec import buffer_array, encode, encode_entries
from ._ffi import ffi, lib, raise_code, take_string
from .enums import StateType

__all__ = ["describe_message", "describe_entry", "describe_entries", "describe_hard_state",
           "describe_conf_state", "describe_snapshot", "describe_soft_state"]


def _call(fn: Callable[..., int], *args: Any) -> str:
    """Calls a raftc_describe_* function fn(char **out, *args) and returns the text it wrote
    (raising the RaftError of a negative result)."""
    sp = ffi.new("char **")
    rc = fn(sp, *args)
    if rc < 0:
        raise_code(rc)
    return take_string(sp)


def _describe(fn: Callable[..., int], b: bytes) -> str:
    """fn(out, buf, len) over the encoded value b."""
    return _call(fn, b, len(b))


def describe_message(m: Union[pb.Message, bytes]) -> str:
    """etcd's DescribeMessage(m, EntryFormatter=%q), without a trailing newline."""
    return _describe(lib.raftc_message_describe, encode("m", m, pb.Message))


def describe_entry(e: Union[pb.Entry, bytes]) -> str:
    """etcd's DescribeEntry, e.g. ``1/4 EntryNormal "data"``."""
    return _describe(lib.raftc_entry_describe, encode("e", e, pb.Entry))


def describe_entries(ents: Iterable[Union[pb.Entry, bytes]]) -> str:
    """etcd's DescribeEntries: each entry followed by a newline."""
    bufs = encode_entries("ents", ents)
    ptrs, lens, keep = buffer_array(bufs)
    text = _call(lib.raftc_entry_describe_list, ptrs, lens, len(bufs))
    del keep
    return text


def describe_hard_state(hs: Union[pb.HardState, bytes]) -> str:
    """``Term:1 Vote:1 Commit:3`` ("" for an empty HardState)."""
    return _describe(lib.raftc_hard_state_describe, encode("hs", hs, pb.HardState))


def describe_conf_state(cs: Union[pb.ConfState, bytes]) -> str:
    """``Voters:[1 2] VotersOutgoing:[] Learners:[] LearnersNext:[] AutoLeave:false``."""
    return _describe(lib.raftc_conf_state_describe, encode("cs", cs, pb.ConfState))


def describe_snapshot(s: Union[pb.Snapshot, bytes]) -> str:
    """``Index:11 Term:1 ConfState:...``."""
    return _describe(lib.raftc_snapshot_describe, encode("s", s, pb.Snapshot))


def describe_soft_state(lead: int, raft_state: StateType) -> str:
    """``Lead:1 State:StateLeader``."""
    return _call(lib.raftc_soft_state_describe, lead, int(raft_state))
