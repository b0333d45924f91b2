# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_errors.py: errors.py's hand-written codes match the C library's RAFTC_E* constants, and
# error_for_code maps every code of the library to its class.
import pytest

import pyraftc
from pyraftc import errors
from pyraftc._ffi import lib, strerror

BY_CONSTANT = {
    "RAFTC_EINVAL": pyraftc.InvalidArgumentError,
    "RAFTC_ENOMEM": pyraftc.OutOfMemoryError,
    "RAFTC_EDECODE": pyraftc.DecodeError,
    "RAFTC_ETOOLARGE": pyraftc.TooLargeError,
    "RAFTC_EPROPOSAL_DROPPED": pyraftc.ProposalDroppedError,
    "RAFTC_ESTEP_LOCAL_MSG": pyraftc.StepLocalMsgError,
    "RAFTC_ESTEP_PEER_NOT_FOUND": pyraftc.StepPeerNotFoundError,
    "RAFTC_ECOMPACTED": pyraftc.CompactedError,
    "RAFTC_EUNAVAILABLE": pyraftc.UnavailableError,
    "RAFTC_ESNAP_OUT_OF_DATE": pyraftc.SnapshotOutOfDateError,
    "RAFTC_ESNAP_TEMP_UNAVAILABLE": pyraftc.SnapshotTemporarilyUnavailableError,
    "RAFTC_ESTORAGE": pyraftc.StorageError,
    "RAFTC_EFAILED": pyraftc.NodeFailedError,
    "RAFTC_ESTATE": pyraftc.StateError,
    "RAFTC_ECONFIG": pyraftc.ConfigError,
    "RAFTC_ECONFCHANGE": pyraftc.ConfChangeError,
    "RAFTC_ENOTFOUND": pyraftc.NotFoundError,
    "RAFTC_EUNKNOWN_TYPE": pyraftc.UnknownMessageTypeError,
    "RAFTC_ECORRUPT": pyraftc.CorruptStorageError,
    "RAFTC_ELOCKED": pyraftc.StorageLockedError,
    "RAFTC_EIO": pyraftc.StorageIOError,
    "RAFTC_EREFUSED": pyraftc.MessageRefusedError,
}


def library_error_constants():
    return {n for n in dir(lib) if n.startswith("RAFTC_E") and getattr(lib, n) < 0}


def test_every_library_code_has_a_class():
    assert library_error_constants() == set(BY_CONSTANT)


@pytest.mark.parametrize("name", sorted(BY_CONSTANT))
def test_class_code_matches_library(name):
    code = getattr(lib, name)
    cls = BY_CONSTANT[name]
    assert cls.code == code
    err = errors.error_for_code(code, "some text")
    assert type(err) is cls
    assert err.code == code and err.text == "some text" and str(err) == "some text"
    assert isinstance(err, pyraftc.RaftError)
    assert strerror(code)  # the library has a text for it


def test_every_exported_class_is_mapped():
    exported = {getattr(errors, n) for n in errors.__all__
                if isinstance(getattr(errors, n), type)} - {pyraftc.RaftError}
    # StoppedError is pyraftc's own (the asyncio Node's), with no RAFTC_E* code
    assert exported - {pyraftc.StoppedError} == set(BY_CONSTANT.values())
    assert pyraftc.StoppedError.code == 0


def test_unknown_code_is_a_plain_raft_error():
    err = errors.error_for_code(-1000, "odd")
    assert type(err) is pyraftc.RaftError
    assert err.code == -1000 and str(err) == "odd"


def test_builtin_bases_for_generic_handlers():
    assert issubclass(pyraftc.InvalidArgumentError, ValueError)
    assert issubclass(pyraftc.ConfigError, ValueError)
    assert issubclass(pyraftc.DecodeError, ValueError)
    assert issubclass(pyraftc.UnknownMessageTypeError, pyraftc.DecodeError)
    assert issubclass(pyraftc.NotFoundError, LookupError)
    assert issubclass(pyraftc.OutOfMemoryError, MemoryError)
