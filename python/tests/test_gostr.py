# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_gostr.py: the datadriven harness's Go strconv helpers return Go's values and error texts
# (the transcripts only exercise the success paths).
import pytest

from pyraftc import raftpb
from datadriven import gostr

U64_MAX = (1 << 64) - 1
I64_MAX = (1 << 63) - 1


@pytest.mark.parametrize("s,want", [
    ("", '""'),
    ("abc 1", '"abc 1"'),
    ('a"b\\c', '"a\\"b\\\\c"'),
    ("\a\b\f\n\r\t\v", '"\\a\\b\\f\\n\\r\\t\\v"'),
    ("\x00\x1f\x7f", '"\\x00\\x1f\\x7f"'),
    ("\u00e9", '"\\xc3\\xa9"'),  # the ASCII subset: other bytes as \xNN
])
def test_quote(s, want):
    assert gostr.quote(s) == want


@pytest.mark.parametrize("s,want", [("0", 0), ("42", 42), ("007", 7), (str(U64_MAX), U64_MAX)])
def test_parse_uint(s, want):
    assert gostr.parse_uint(s) == want


@pytest.mark.parametrize("s,what", [
    ("", "invalid syntax"), ("-1", "invalid syntax"), ("+1", "invalid syntax"),
    ("1x", "invalid syntax"), (" 1", "invalid syntax"),
    (str(U64_MAX + 1), "value out of range"),
])
def test_parse_uint_errors(s, what):
    with pytest.raises(gostr.StrconvError) as ei:
        gostr.parse_uint(s)
    assert str(ei.value) == "strconv.ParseUint: parsing %s: %s" % (gostr.quote(s), what)


@pytest.mark.parametrize("s,want", [
    ("0", 0), ("-0", 0), ("+5", 5), ("-5", -5), (str(I64_MAX), I64_MAX),
    ("-%d" % (I64_MAX + 1), -I64_MAX - 1),
])
def test_atoi(s, want):
    assert gostr.atoi(s) == want


@pytest.mark.parametrize("s,what", [
    ("", "invalid syntax"), ("-", "invalid syntax"), ("+-1", "invalid syntax"),
    ("1.0", "invalid syntax"),
    (str(I64_MAX + 1), "value out of range"),
    ("-%d" % (I64_MAX + 2), "value out of range"),
    (str(U64_MAX + 1), "value out of range"),
])
def test_atoi_errors(s, what):
    with pytest.raises(gostr.StrconvError) as ei:
        gostr.atoi(s)
    assert str(ei.value) == "strconv.Atoi: parsing %s: %s" % (gostr.quote(s), what)


@pytest.mark.parametrize("s,want", [
    ("1", True), ("t", True), ("T", True), ("TRUE", True), ("true", True), ("True", True),
    ("0", False), ("f", False), ("F", False), ("FALSE", False), ("false", False),
    ("False", False),
])
def test_parse_bool(s, want):
    assert gostr.parse_bool(s) is want


@pytest.mark.parametrize("s", ["", "yes", "tRUE", "2"])
def test_parse_bool_errors(s):
    with pytest.raises(gostr.StrconvError) as ei:
        gostr.parse_bool(s)
    assert str(ei.value) == "strconv.ParseBool: parsing %s: invalid syntax" % gostr.quote(s)


def test_parse_changes():
    assert gostr.parse_changes("") == ()
    assert gostr.parse_changes("v1 l2 r3 u4") == (
        (raftpb.ConfChangeAddNode, 1), (raftpb.ConfChangeAddLearnerNode, 2),
        (raftpb.ConfChangeRemoveNode, 3), (raftpb.ConfChangeUpdateNode, 4))


@pytest.mark.parametrize("s,text", [
    ("v", "unknown token v"),
    ("v1  v2", "unknown token "),
    ("x3", "unknown input: x3"),
    ("v1 vx", 'strconv.ParseUint: parsing "x": invalid syntax'),
])
def test_parse_changes_errors(s, text):
    with pytest.raises(ValueError) as ei:
        gostr.parse_changes(s)
    assert str(ei.value) == text
