# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# _codec.py: conversions between raftpb objects and the bytes that cross the C ABI.
"""Internal: raftpb object <-> bytes helpers."""
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Type, Union, overload

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


class ReadyEntries(Sequence[pb.Entry]):
    """A Ready's entries: a read-only sequence of raftpb.Entry decoded on first access.
    ``MemoryStorage.append`` stores a Ready's entries that were never decoded straight from
    the Ready (one call, no re-encoding); decoded ones (which the application may have
    changed) are encoded again as any other entries."""

    __slots__ = ("raw", "_decoded", "_ready")

    def __init__(self, raw: List[bytes], ready: Any = None) -> None:
        self.raw = raw  #: the entries' raftpb bytes
        self._decoded: Optional[List[pb.Entry]] = None
        self._ready = ready

    def _list(self) -> List[pb.Entry]:
        d = self._decoded
        if d is None:
            d = self._decoded = decode_entries(self.raw)
        return d

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def __getitem__(self, i: int) -> pb.Entry: ...

    @overload
    def __getitem__(self, i: slice) -> List[pb.Entry]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[pb.Entry, List[pb.Entry]]:
        return self._list()[i]

    def __iter__(self) -> Iterator[pb.Entry]:
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadyEntries):
            return self.raw == other.raw
        if isinstance(other, (list, tuple)):
            return self._list() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._list())
