# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# hoststore.py: pyraftc.HostStore, the durable storage of a multi-raft host (raftc_hoststore_*):
# one log shared by all the groups of a pyraftc.Host (docs/multiraft.md, "Durable storage").
"""The durable storage of a multi-raft host: :class:`HostStore`."""
import os
from typing import Any, Dict, Optional, Union

from . import raftpb_pb2 as pb
from ._codec import encode
from ._ffi import as_bytes, as_u64, c_string, ffi, lib
from .errors import StateError, error_for_code
from .host import Host

__all__ = ["HostStore"]

_INFO_NAMES = ("log_bytes", "torn_bytes", "recovered", "saves", "fsyncs", "checkpoints",
               "failed")


def _free(hs: Any) -> None:
    lib.raftc_hoststore_free(hs)


class HostStore:
    """One log file in the directory ``path`` (created if absent, locked while open) for every
    group of a :class:`Host`: :meth:`save` persists a host Ready (every group's entries,
    HardState and snapshot) with one write and one fsync, before its envelopes are sent.
    Reopened after a crash, :meth:`load` recreates every persisted group in a new Host (each
    restarts at its snapshot: restore the state machine from it, re-apply the committed
    entries after it, conf changes with :meth:`Host.apply_conf_change`). The log is rewritten
    once it grows past ``checkpoint_bytes`` (0: 64 MiB) plus twice the last rewrite.

    Raises :class:`pyraftc.StorageLockedError` if the directory is open elsewhere,
    :class:`pyraftc.CorruptStorageError` (naming file and offset) for damage other than a torn
    final write (which is cut off), :class:`pyraftc.StorageIOError` for I/O errors (the store
    is then failed: reopen it)."""

    def __init__(self, path: Union[str, "os.PathLike[str]"], checkpoint_bytes: int = 0) -> None:
        pp = ffi.new("raftc_hoststore **")
        err = ffi.new("char[]", 512)
        rc = lib.raftc_hoststore_open(pp, err, 512, os.fsencode(os.fspath(path)),
                                      as_u64("checkpoint_bytes", checkpoint_bytes))
        if rc < 0:
            raise error_for_code(rc, c_string(err))
        self._hs: Any = ffi.gc(pp[0], _free)
        self.path = os.fspath(path)

    def _handle(self) -> Any:
        if self._hs is None:
            raise StateError("host store is closed")
        return self._hs

    def _check(self, rc: int) -> None:
        if rc < 0:
            raise error_for_code(rc, c_string(lib.raftc_hoststore_last_error(self._hs)))

    def load(self, host: Host) -> None:
        """Recreates in ``host`` every group found when the store was opened (once)."""
        self._check(lib.raftc_hoststore_load(self._handle(), host._h))

    def save(self, host: Host) -> None:
        """Persists ``host``'s Ready (after :meth:`Host.ready`, before sending its envelopes
        and :meth:`Host.advance`): one write, one fsync."""
        self._check(lib.raftc_hoststore_save(self._handle(), host._h))

    def create_snapshot(self, host: Host, group: int, i: int,
                        conf_state: Optional[Union[pb.ConfState, bytes]] = None,
                        data: bytes = b"") -> None:
        """A snapshot of a group at applied index ``i`` with its ConfState and the state
        machine's ``data``, durably (then :meth:`Host.compact` up to ``i`` if wanted)."""
        cs = encode("conf_state", conf_state, pb.ConfState) if conf_state is not None else b""
        d = as_bytes("data", data)
        self._check(lib.raftc_hoststore_create_snapshot(
            ffi.NULL, self._handle(), host._h, as_u64("group", group), as_u64("i", i),
            cs if conf_state is not None else ffi.NULL, len(cs), d, len(d)))

    def remove_group(self, host: Host, group: int) -> None:
        """Removes a group from ``host`` and from the store, durably."""
        self._check(lib.raftc_hoststore_remove_group(self._handle(), host._h,
                                                     as_u64("group", group)))

    def info(self) -> Dict[str, int]:
        """Counters: log_bytes, torn_bytes, recovered (groups not yet loaded), saves, fsyncs,
        checkpoints, failed."""
        arr = ffi.new("uint64_t[]", lib.RAFTC_HS_COUNT)
        self._check(lib.raftc_hoststore_info(arr, lib.RAFTC_HS_COUNT, self._handle()))
        return {name: int(arr[k]) for k, name in enumerate(_INFO_NAMES)}

    def close(self) -> None:
        """Unlocks the directory and frees the store (idempotent)."""
        hs, self._hs = self._hs, None
        if hs is not None:
            ffi.release(hs)

    def __enter__(self) -> "HostStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
