# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_kv_wire.py: raftc-kv's pure parsing and state rules (no processes): peer body framing,
# keys, ids, URLs, the --peers flag, the replicated state and its snapshots.
import pytest

pytest.importorskip("aiohttp", reason="raftc-kv needs the kv extra: pip install '.[kv]'")

from pyraftc import raftpb  # noqa: E402
from pyraftc.kv import kvpb_pb2 as kvpb, wire  # noqa: E402
from pyraftc.kv.cli import parse_args  # noqa: E402
from pyraftc.kv.state import State, conf_change_urls  # noqa: E402


def test_frame_roundtrip():
    msgs = [b"", b"a", b"x" * 300, b"y" * 20000]
    body = wire.frame(msgs)
    assert body[:2] == b"\x00\x01"
    assert wire.unframe(body) == msgs
    assert wire.unframe(b"") == []


@pytest.mark.parametrize("body", [b"\x05abc", b"\x80", b"\x02ab\x03", b"\xff" * 11 + b"\x01",
                                  b"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"])
def test_unframe_rejects_partial_bodies(body):
    with pytest.raises(wire.BadRequest):
        wire.unframe(body)


@pytest.mark.parametrize("segment,key", [("a", b"a"), ("a%2Fb", b"a/b"), ("%C3%A9t%C3%A9",
                                          "été".encode()), ("...", b"..."), ("%20", b" "),
                                         ("k" * 1024, b"k" * 1024)])
def test_keys(segment, key):
    assert wire.parse_key(segment) == key


@pytest.mark.parametrize("segment", ["", ".", "..", "%2E", "%2e%2E", "a/b", "%FF", "%C3"])
def test_bad_keys(segment):
    with pytest.raises(wire.BadRequest):
        wire.parse_key(segment)


def test_key_too_large():
    with pytest.raises(wire.TooLarge):
        wire.parse_key("k" * 1025)
    with pytest.raises(wire.TooLarge):
        wire.parse_key("%C3%A9" * 513)  # 1026 bytes once decoded


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "x", "", "18446744073709551615",
                                  "18446744073709551614", "1" * 21, "١"])
def test_bad_ids(text):
    with pytest.raises(wire.BadRequest):
        wire.parse_id(text)


def test_ids_and_urls():
    assert wire.parse_id("18446744073709551613") == (1 << 64) - 3
    assert wire.parse_url("http://127.0.0.1:2379/") == "http://127.0.0.1:2379"
    for bad in ["127.0.0.1:2379", "ftp://h:1", "http://h", "http://h:1?x=1", "http://:1",
                "http://h:99999"]:
        with pytest.raises(wire.BadRequest):
            wire.parse_url(bad)
    assert wire.parse_peers("1=http://a:1, 2=http://b:2") == {1: "http://a:1", 2: "http://b:2"}
    for bad in ["", "1=http://a:1,1=http://a:2", "1:http://a:1", "0=http://a:1"]:
        with pytest.raises(wire.BadRequest):
            wire.parse_peers(bad)


def test_parse_args_rejects_bad_flags(capsys):
    base = ["--id", "1", "--data", "/tmp/x", "--peers", "1=http://127.0.0.1:1"]
    for extra in (["--listen", "nowhere"], ["--listen", "127.0.0.1:0"],
                  ["--listen", "127.0.0.1:1", "--tick-ms", "0"]):
        with pytest.raises(SystemExit) as exc:
            parse_args(base + extra)
        assert exc.value.code == 2
    opts = parse_args(base + ["--listen", "127.0.0.1:1", "--join", "--tick-ms", "20",
                              "--snapshot-entries", "5", "--log-level", "error"])
    assert (opts.id, opts.port, opts.join, opts.tick_ms, opts.snapshot_entries) == \
        (1, 1, True, 20, 5)


def test_state_apply_and_snapshot_roundtrip():
    s = State()
    s.apply_command(kvpb.Command(op=kvpb.Command.PUT, key=b"b", value=b"2"))
    s.apply_command(kvpb.Command(op=kvpb.Command.PUT, key=b"a", value=b""))
    s.apply_command(kvpb.Command(op=kvpb.Command.PUT, key=b"c", value=b"3"))
    s.apply_command(kvpb.Command(op=kvpb.Command.DELETE, key=b"c"))
    s.apply_command(kvpb.Command(op=kvpb.Command.DELETE, key=b"absent"))
    s.apply_conf_state(raftpb.ConfState(voters=[2, 1], learners=[3]),
                       {1: "http://a:1", 2: "http://b:2", 3: "http://c:3"})
    snap = kvpb.Snapshot.FromString(s.snapshot_data())
    assert [(p.key, p.value) for p in snap.pairs] == [(b"a", b""), (b"b", b"2")]
    assert [(m.id, m.url, m.learner) for m in snap.members] == \
        [(1, "http://a:1", False), (2, "http://b:2", False), (3, "http://c:3", True)]
    t = State()
    t.restore(s.snapshot_data(), 42)
    assert (t.kv, t.members, t.applied) == (s.kv, s.members, 42)
    assert t.voters() == {1: "http://a:1", 2: "http://b:2"} and t.learners() == {3: "http://c:3"}
    # a removal drops the member; URLs of members that stay are kept
    t.apply_conf_state(raftpb.ConfState(voters=[1, 3]), {})
    assert t.voters() == {1: "http://a:1", 3: "http://c:3"}


def test_state_restore_rejects_garbage():
    s = State()
    s.kv[b"k"] = b"v"
    with pytest.raises(Exception):
        s.restore(b"\xff\xff\xff", 5)
    assert s.kv == {b"k": b"v"} and s.applied == 0


def test_conf_change_urls():
    cc = raftpb.ConfChange(type=raftpb.ConfChangeAddNode, node_id=4, context=b"http://d:4")
    e = raftpb.Entry(type=raftpb.EntryConfChange, data=cc.SerializeToString())
    assert conf_change_urls(e) == {4: "http://d:4"}
    v2 = raftpb.ConfChangeV2(changes=[raftpb.ConfChangeSingle(type=raftpb.ConfChangeAddLearnerNode,
                                                               node_id=5)], context=b"http://e:5")
    e = raftpb.Entry(type=raftpb.EntryConfChangeV2, data=v2.SerializeToString())
    assert conf_change_urls(e) == {5: "http://e:5"}
    rm = raftpb.ConfChange(type=raftpb.ConfChangeRemoveNode, node_id=4)
    e = raftpb.Entry(type=raftpb.EntryConfChange, data=rm.SerializeToString())
    assert conf_change_urls(e) == {}
