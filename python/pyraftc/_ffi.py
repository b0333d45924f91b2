# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# _ffi.py: the cffi module (ffi, lib) and the small helpers every pyraftc module uses: argument
# conversion, error raising, and sinks (host-owned byte-string lists).
"""Internal: cffi handles and helpers. Not part of the public API."""
from typing import Any, Callable, List, Optional, TypeVar

from ._raftc_cffi import ffi as ffi, lib as lib  # re-exported to the other modules
from .errors import error_for_code

_F = TypeVar("_F", bound=Callable[..., Any])

NO_LIMIT = (1 << 64) - 1
_U64_MAX = NO_LIMIT


def c_string(p: Any) -> str:
    """Decodes a NUL-terminated C string the library owns (invalid UTF-8 replaced)."""
    text: str = ffi.string(p).decode("utf-8", "replace")
    return text


def strerror(code: int) -> str:
    """raftc_strerror(code): the library's text for a RAFTC_E* code."""
    return c_string(lib.raftc_strerror(code))


def def_extern() -> Callable[[_F], _F]:
    """ffi.def_extern() with its type: registers the decorated function as the implementation of
    the cffi ``extern "Python"`` declaration of the same name."""
    decorator: Callable[[_F], _F] = ffi.def_extern()
    return decorator


def raise_code(code: int, text: Optional[str] = None) -> None:
    """Raises the RaftError subclass of code (text defaults to raftc_strerror)."""
    raise error_for_code(code, text if text else strerror(code))


def check(code: int) -> None:
    """Raises for a negative code (library functions without a per-node error text)."""
    if code < 0:
        raise_code(code)


def as_u64(name: str, value: Any) -> int:
    """Validates a uint64 argument: an int (not bool) in [0, 2**64)."""
    if isinstance(value, bool):
        raise TypeError("%s must be an int, not bool" % name)
    if not isinstance(value, int):
        try:
            value = value.__index__()
        except AttributeError:
            raise TypeError("%s must be an int, not %s" % (name, type(value).__name__)) from None
    if value < 0 or value > _U64_MAX:
        raise ValueError("%s must be in [0, 2**64), got %d" % (name, value))
    result: int = value
    return result


def as_bytes(name: str, value: Any) -> bytes:
    """Validates a bytes-like argument (bytes, bytearray, memoryview) and returns bytes."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError("%s must be bytes-like, not %s" % (name, type(value).__name__))


def take_string(pp: Any) -> str:
    """Decodes and releases a heap string returned through a char ** out-parameter."""
    p = pp[0]
    if p == ffi.NULL:
        return ""
    try:
        return c_string(p)
    finally:
        lib.raftc_free(p)


def view(p: Any, n: Any) -> bytes:
    """Copies a (const uint8_t **, size_t *) view into bytes."""
    if n[0] == 0:
        return b""
    data: bytes = ffi.buffer(p[0], n[0])[:]
    return data


class Sink:
    """A raftc_sink owned by Python (freed when collected)."""

    __slots__ = ("ptr", "_p", "_n")

    def __init__(self) -> None:
        pp = ffi.new("raftc_sink **")
        check(lib.raftc_sink_new(pp))
        self.ptr = ffi.gc(pp[0], lib.raftc_sink_free)
        self._p = ffi.new("const uint8_t **")
        self._n = ffi.new("size_t *")

    def reset(self) -> "Sink":
        """Empties the sink for reuse and returns it."""
        lib.raftc_sink_reset(self.ptr)
        return self

    def __len__(self) -> int:
        return int(lib.raftc_sink_count(self.ptr))

    def item(self, i: int) -> bytes:
        """A copy of item i (raises InvalidArgumentError past the end)."""
        check(lib.raftc_sink_get(self._p, self._n, self.ptr, i))
        return view(self._p, self._n)

    def items(self) -> List[bytes]:
        """Copies of all items, in order."""
        return [self.item(i) for i in range(len(self))]

    def first(self) -> bytes:
        """The first item (b"" when the sink is empty)."""
        return self.item(0) if len(self) else b""
