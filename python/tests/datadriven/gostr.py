# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# gostr.py: the Go strconv behaviours the harness texts depend on (Quote, ParseUint, Atoi,
# ParseBool) with Go's error texts.
"""Go strconv helpers for the datadriven suites."""
from typing import Tuple

_U64_MAX = (1 << 64) - 1
_I64_MAX = (1 << 63) - 1

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f",
            "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def quote(s: str) -> str:
    """strconv.Quote for the ASCII subset (other bytes as \\xNN)."""
    out = ['"']
    for b in s.encode("utf-8", "surrogateescape"):
        c = chr(b)
        esc = _ESCAPES.get(c)
        if esc is not None:
            out.append(esc)
        elif b < 0x20 or b >= 0x7F:
            out.append("\\x%02x" % b)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


class StrconvError(ValueError):
    """A Go strconv error; str() is Go's text."""


def _err(fn: str, s: str, what: str) -> StrconvError:
    return StrconvError("strconv.%s: parsing %s: %s" % (fn, quote(s), what))


def _digits(s: str) -> bool:
    return s != "" and all("0" <= c <= "9" for c in s)


def parse_uint(s: str) -> int:
    """strconv.ParseUint(s, 10, 64)."""
    if not _digits(s):
        raise _err("ParseUint", s, "invalid syntax")
    v = int(s)
    if v > _U64_MAX:
        raise _err("ParseUint", s, "value out of range")
    return v


def atoi(s: str) -> int:
    """strconv.Atoi (64-bit int)."""
    body, neg = s, False
    if body[:1] in ("+", "-"):
        neg = body[0] == "-"
        body = body[1:]
    if not _digits(body):
        raise _err("Atoi", s, "invalid syntax")
    v = int(body)
    if v > _I64_MAX + (1 if neg else 0):
        raise _err("Atoi", s, "value out of range")
    return -v if neg else v


_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def parse_bool(s: str) -> bool:
    """strconv.ParseBool."""
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise _err("ParseBool", s, "invalid syntax")


def parse_changes(text: str) -> Tuple[Tuple[int, int], ...]:
    """raftpb.ConfChangesFromString: tokens v<id> l<id> r<id> u<id> split on single spaces.
    Raises ValueError with etcd's text."""
    from pyraftc import raftpb_pb2 as pb
    ops = {"v": pb.ConfChangeAddNode, "l": pb.ConfChangeAddLearnerNode,
           "r": pb.ConfChangeRemoveNode, "u": pb.ConfChangeUpdateNode}
    if text == "":
        return ()
    out = []
    for tok in text.split(" "):
        if len(tok) < 2:
            raise ValueError("unknown token %s" % tok)
        if tok[0] not in ops:
            raise ValueError("unknown input: %s" % tok)
        out.append((ops[tok[0]], parse_uint(tok[1:])))
    return tuple(out)
