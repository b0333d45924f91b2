# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# _codec.py: conversions between raftpb objects and the bytes that cross the C ABI.
"""Internal: raftpb object <-> bytes helpers."""
from typing import Any, Iterable, List, Tuple, Type

from . import raftpb_pb2 as pb
from ._ffi import ffi

_BYTES_LIKE = (bytes, bytearray, memoryview)


def encode(name: str, value: Any, cls: Type[Any]) -> bytes:
    """A raftpb object of class cls (or its serialized bytes) as bytes."""
    if isinstance(value, cls):
        data: bytes = value.SerializeToString()
        return data
    if isinstance(value, bytes):
        return value
    if isinstance(value, _BYTES_LIKE):
        return bytes(value)
    raise TypeError("%s must be a raftpb.%s or bytes, not %s"
                    % (name, cls.__name__, type(value).__name__))


def encode_entries(name: str, entries: Iterable[Any]) -> List[bytes]:
    """Each of entries (raftpb.Entry or bytes) as bytes; TypeError naming name otherwise."""
    if isinstance(entries, (pb.Entry,) + _BYTES_LIKE):
        raise TypeError("%s must be a sequence of raftpb.Entry (or bytes)" % name)
    try:
        return [encode(name, e, pb.Entry) for e in entries]
    except TypeError as exc:
        if "not iterable" in str(exc):
            raise TypeError("%s must be a sequence of raftpb.Entry (or bytes)" % name) from None
        raise


def buffer_array(bufs: List[bytes]) -> Tuple[Any, Any, List[Any]]:
    """(const uint8_t *const *, const size_t *, keepalive) for a list of byte strings."""
    n = len(bufs)
    if n == 0:
        return ffi.NULL, ffi.NULL, []
    keep = [ffi.from_buffer(b) for b in bufs]
    ptrs = ffi.new("uint8_t *[]", keep)
    lens = ffi.new("size_t[]", [len(b) for b in bufs])
    return ptrs, lens, keep


def decode_entries(items: List[bytes]) -> List[pb.Entry]:
    """The raftpb.Entry of each encoded item."""
    return [pb.Entry.FromString(b) for b in items]
