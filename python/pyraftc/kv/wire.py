# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# wire.py: the byte-level rules of the raftc-kv protocol (docs/kv.md): peer bodies (raftpb
# messages, each preceded by its length as a protobuf varint), keys in request paths, member ids
# and URLs. Pure functions, no I/O.
"""Parsing and framing for the raftc-kv protocol."""
from typing import Dict, Iterable, List
from urllib.parse import unquote_to_bytes, urlsplit

__all__ = [
    "MAX_KEY", "MAX_VALUE", "MAX_PEER_BODY", "BadRequest", "TooLarge", "frame", "unframe",
    "parse_key", "parse_id", "parse_url", "parse_peers",
]

MAX_KEY = 1024              # bytes of a decoded key
MAX_VALUE = 1 << 20         # bytes of a value
MAX_PEER_BODY = 64 << 20    # bytes of one POST /raft body
MAX_ID = (1 << 64) - 3      # 2^64-1 and 2^64-2 are raft's local-thread ids


class BadRequest(ValueError):
    """Malformed input: answered 400 with the text."""


class TooLarge(ValueError):
    """Input over a protocol limit: answered 413 with the text."""


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def frame(messages: Iterable[bytes]) -> bytes:
    """One peer body: each message preceded by its length as a protobuf varint."""
    parts: List[bytes] = []
    for m in messages:
        parts.append(_varint(len(m)))
        parts.append(m)
    return b"".join(parts)


def unframe(body: bytes) -> List[bytes]:
    """The messages of a peer body (their raw bytes). Raises BadRequest unless the body is a
    whole number of length-prefixed messages (an empty body holds none)."""
    out: List[bytes] = []
    pos, end = 0, len(body)
    while pos < end:
        length, shift = 0, 0
        while True:
            if pos >= end:
                raise BadRequest("truncated length prefix at byte %d" % pos)
            b = body[pos]
            pos += 1
            length |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if shift > 63:
                raise BadRequest("length prefix over 64 bits at byte %d" % pos)
        if length > end - pos:
            raise BadRequest("message of %d bytes at byte %d runs past the body's end (%d)"
                             % (length, pos, end))
        out.append(body[pos:pos + length])
        pos += length
    return out


def parse_key(segment: str) -> bytes:
    """The key of a /kv/{segment} path: the percent-decoded segment. Raises BadRequest for an
    empty key, "." or "..", a raw "/", or invalid UTF-8, and TooLarge over MAX_KEY bytes."""
    if "/" in segment:
        raise BadRequest("a key is one path segment (send / as %2F)")
    key = unquote_to_bytes(segment)
    if not key:
        raise BadRequest("empty key")
    if len(key) > MAX_KEY:
        raise TooLarge("key of %d bytes (limit %d)" % (len(key), MAX_KEY))
    if key in (b".", b".."):
        raise BadRequest("the key %r is not allowed" % key.decode())
    try:
        key.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the key is not valid UTF-8") from None
    return key


def parse_id(text: str) -> int:
    """A node id in decimal: 1 to 2^64-3. Raises BadRequest otherwise."""
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise BadRequest("node id %r is not a decimal number" % text)
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise BadRequest("node id %s is out of range (1 to %d)" % (text, MAX_ID))
    return value


def parse_url(text: str) -> str:
    """A member's base URL: http(s)://host:port with no query or fragment; a trailing / is
    removed. Raises BadRequest otherwise."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadRequest("bad URL %r: %s" % (text, exc)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
        raise BadRequest("bad URL %r: want http://HOST:PORT" % text)
    if parts.query or parts.fragment:
        raise BadRequest("bad URL %r: no query or fragment allowed" % text)
    return url.rstrip("/")


def parse_peers(text: str) -> Dict[int, str]:
    """The --peers flag: 1=URL,2=URL,... Raises BadRequest for a malformed or repeated entry."""
    peers: Dict[int, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        ident, sep, url = item.partition("=")
        if not sep:
            raise BadRequest("peer %r: want ID=URL" % item)
        node = parse_id(ident.strip())
        if node in peers:
            raise BadRequest("peer %d appears twice" % node)
        peers[node] = parse_url(url)
    if not peers:
        raise BadRequest("no peers")
    return peers
