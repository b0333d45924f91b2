# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# errors.py: the RaftError hierarchy, one class per RAFTC_E* code of capi/raftc.h.
"""Exceptions raised by pyraftc.

Every error returned by the C library becomes an instance of a :class:`RaftError` subclass
chosen by its ``RAFTC_E*`` code; ``str(err)`` is etcd's error text where etcd has one (e.g.
``"raft proposal dropped"``) or the node's last error text. Argument-type mistakes raise the
built-in :class:`TypeError`; several classes also derive from the matching built-in
(:class:`ValueError`, :class:`LookupError`, :class:`MemoryError`) so generic handlers work.

Every class name ends in ``Error``. The names of pyraftc 0.1 without the suffix (``Compacted``,
``ProposalDropped``, ``NodeFailed``, ...) remain as deprecated aliases of the same classes
(``except pyraftc.Compacted`` still catches): using one emits a :class:`DeprecationWarning`,
and they will be removed in pyraftc 1.0.
"""
import warnings
from typing import TYPE_CHECKING, Dict, Optional, Type

__all__ = [
    "RaftError", "InvalidArgumentError", "OutOfMemoryError", "DecodeError", "TooLargeError",
    "ProposalDroppedError", "StepLocalMsgError", "StepPeerNotFoundError", "CompactedError",
    "UnavailableError", "SnapshotOutOfDateError", "SnapshotTemporarilyUnavailableError",
    "StorageError", "NodeFailedError", "StateError", "ConfigError", "ConfChangeError",
    "NotFoundError", "UnknownMessageTypeError", "StoppedError", "CorruptStorageError",
    "StorageLockedError", "StorageIOError", "MessageRefusedError", "error_for_code",
]


class RaftError(Exception):
    """Base class of every error reported by raftc.

    Attributes:
        code: the negative ``RAFTC_E*`` code of the C library (0 for errors raised by pyraftc
            itself without a C counterpart).
        text: the error text (etcd's text where etcd has one).
    """

    code: int = 0

    def __init__(self, text: str = "", code: Optional[int] = None) -> None:
        super().__init__(text)
        self.text = text
        if code is not None:
            self.code = code


class InvalidArgumentError(RaftError, ValueError):
    """An argument was rejected by the library (id 0, value out of range, ...). RAFTC_EINVAL."""
    code = -1


class OutOfMemoryError(RaftError, MemoryError):
    """An allocation failed inside the library. RAFTC_ENOMEM."""
    code = -2


class DecodeError(RaftError, ValueError):
    """Malformed raftpb bytes. RAFTC_EDECODE."""
    code = -3


class TooLargeError(RaftError, ValueError):
    """A buffer over the library's size limit. RAFTC_ETOOLARGE."""
    code = -4


class ProposalDroppedError(RaftError):
    """etcd's ErrProposalDropped ("raft proposal dropped"). RAFTC_EPROPOSAL_DROPPED."""
    code = -5


class StepLocalMsgError(RaftError):
    """etcd's ErrStepLocalMsg: a local message type given to step(). RAFTC_ESTEP_LOCAL_MSG."""
    code = -6


class StepPeerNotFoundError(RaftError):
    """etcd's ErrStepPeerNotFound: a response from an unknown peer. RAFTC_ESTEP_PEER_NOT_FOUND."""
    code = -7


class CompactedError(RaftError):
    """etcd's ErrCompacted: the index is before the first available one. RAFTC_ECOMPACTED.

    A :class:`pyraftc.Storage` subclass raises it from ``entries``/``term`` exactly as an etcd
    Storage returns ErrCompacted."""
    code = -8


class UnavailableError(RaftError):
    """etcd's ErrUnavailable: the index is past the last entry. RAFTC_EUNAVAILABLE."""
    code = -9


class SnapshotOutOfDateError(RaftError):
    """etcd's ErrSnapOutOfDate. RAFTC_ESNAP_OUT_OF_DATE."""
    code = -10


class SnapshotTemporarilyUnavailableError(RaftError):
    """etcd's ErrSnapshotTemporarilyUnavailable. RAFTC_ESNAP_TEMP_UNAVAILABLE."""
    code = -11


class StorageError(RaftError):
    """A storage callback failed otherwise (the node is failed). RAFTC_ESTORAGE."""
    code = -12


class NodeFailedError(RaftError):
    """A broken invariant where etcd panics. From a node: the node is failed and refuses
    further work (``text`` is the panic text). From a MemoryStorage call: an out-of-bound
    argument (e.g. entries past the last index, compact past the last index). RAFTC_EFAILED."""
    code = -13


class StateError(RaftError):
    """A call out of order, e.g. advance() without ready(), or a closed node. RAFTC_ESTATE."""
    code = -14


class ConfigError(RaftError, ValueError):
    """An invalid configuration, with etcd's validation text. RAFTC_ECONFIG."""
    code = -15


class ConfChangeError(RaftError):
    """A configuration change was refused. RAFTC_ECONFCHANGE."""
    code = -16


class NotFoundError(RaftError, LookupError):
    """No such item (e.g. progress of an untracked peer). RAFTC_ENOTFOUND."""
    code = -17


class UnknownMessageTypeError(DecodeError):
    """A message type outside etcd's MessageType enum. RAFTC_EUNKNOWN_TYPE."""
    code = -18


class CorruptStorageError(RaftError):
    """Stored data failed its checks (a disk storage names the file and offset).
    RAFTC_ECORRUPT."""
    code = -19


class StorageLockedError(RaftError):
    """The disk storage's directory is open in another process. RAFTC_ELOCKED."""
    code = -20


class StorageIOError(RaftError):
    """An I/O call of the disk storage failed; the storage is failed from then on.
    RAFTC_EIO."""
    code = -21


class MessageRefusedError(RaftError, ValueError):
    """A message no correct peer can send (a term that could wrap, entries that do not follow
    their index, a self-addressed or misaddressed message, sender id 0, ...), refused by
    step(); the node is unchanged and healthy, and the text names the sender, the field and the
    value. raftc goes beyond etcd here (etcd panics or accepts). RAFTC_EREFUSED."""
    code = -22


class StoppedError(RaftError):
    """etcd's ErrStopped ("raft: stopped"): a request to a stopped :class:`pyraftc.aio.Node`.
    Raised by pyraftc itself (code 0)."""


_BY_CODE: Dict[int, Type[RaftError]] = {
    cls.code: cls
    for cls in (InvalidArgumentError, OutOfMemoryError, DecodeError, TooLargeError,
                ProposalDroppedError, StepLocalMsgError, StepPeerNotFoundError, CompactedError,
                UnavailableError, SnapshotOutOfDateError, SnapshotTemporarilyUnavailableError,
                StorageError, NodeFailedError, StateError, ConfigError, ConfChangeError,
                NotFoundError, UnknownMessageTypeError, CorruptStorageError,
                StorageLockedError, StorageIOError, MessageRefusedError)
}


#: The pyraftc 0.1 names (deprecated) and the classes they now name.
DEPRECATED_NAMES: Dict[str, Type[RaftError]] = {
    "InvalidArgument": InvalidArgumentError, "OutOfMemory": OutOfMemoryError,
    "TooLarge": TooLargeError, "ProposalDropped": ProposalDroppedError,
    "StepLocalMsg": StepLocalMsgError, "StepPeerNotFound": StepPeerNotFoundError,
    "Compacted": CompactedError, "Unavailable": UnavailableError,
    "SnapshotOutOfDate": SnapshotOutOfDateError,
    "SnapshotTemporarilyUnavailable": SnapshotTemporarilyUnavailableError,
    "NodeFailed": NodeFailedError, "NotFound": NotFoundError,
    "UnknownMessageType": UnknownMessageTypeError,
}


def deprecated_name(module: str, name: str) -> Type[RaftError]:
    """The class a deprecated name stands for, with a DeprecationWarning (module __getattr__
    of pyraftc and pyraftc.errors); AttributeError for any other name."""
    cls = DEPRECATED_NAMES.get(name)
    if cls is None:
        raise AttributeError("module %r has no attribute %r" % (module, name))
    warnings.warn("%s.%s is deprecated; use %s.%s" % (module, name, module, cls.__name__),
                  DeprecationWarning, stacklevel=3)
    return cls


if TYPE_CHECKING:  # the old names type-check as the classes they alias
    InvalidArgument = InvalidArgumentError
    OutOfMemory = OutOfMemoryError
    TooLarge = TooLargeError
    ProposalDropped = ProposalDroppedError
    StepLocalMsg = StepLocalMsgError
    StepPeerNotFound = StepPeerNotFoundError
    Compacted = CompactedError
    Unavailable = UnavailableError
    SnapshotOutOfDate = SnapshotOutOfDateError
    SnapshotTemporarilyUnavailable = SnapshotTemporarilyUnavailableError
    NodeFailed = NodeFailedError
    NotFound = NotFoundError
    UnknownMessageType = UnknownMessageTypeError
else:
    def __getattr__(name: str) -> Type[RaftError]:
        return deprecated_name(__name__, name)


def error_for_code(code: int, text: str = "") -> RaftError:
    """Returns the exception instance for a ``RAFTC_E*`` code (a plain RaftError for an
    unknown code)."""
    cls = _BY_CODE.get(code, RaftError)
    return cls(text, code)
