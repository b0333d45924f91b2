# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# test_errors.py: errors.py's hand-written codes match the C library's RAFTC_E* constants, and
# error_for_code maps every code of the library to its class.
import pytest

import pyraftc
from pyraftc import errors
from pyraftc._ffi import lib, strerror

BY_CONSTANT = {
    "RAFTC_EINVAL": pyraftc.InvalidArgument,
    "RAFTC_ENOMEM": pyraftc.OutOfMemory,
    "RAFTC_EDECODE": pyraftc.DecodeError,
    "RAFTC_ETOOLARGE": pyraftc.TooLarge,
    "RAFTC_EPROPOSAL_DROPPED": pyraftc.ProposalDropped,
    "RAFTC_ESTEP_LOCAL_MSG": pyraftc.StepLocalMsg,
    "RAFTC_ESTEP_PEER_NOT_FOUND": pyraftc.StepPeerNotFound,
    "RAFTC_ECOMPACTED": pyraftc.Compacted,
    "RAFTC_EUNAVAILABLE": pyraftc.Unavailable,
    "RAFTC_ESNAP_OUT_OF_DATE": pyraftc.SnapshotOutOfDate,
    "RAFTC_ESNAP_TEMP_UNAVAILABLE": pyraftc.SnapshotTemporarilyUnavailable,
    "RAFTC_ESTORAGE": pyraftc.StorageError,
    "RAFTC_EFAILED": pyraftc.NodeFailed,
    "RAFTC_ESTATE": pyraftc.StateError,
    "RAFTC_ECONFIG": pyraftc.ConfigError,
    "RAFTC_ECONFCHANGE": pyraftc.ConfChangeError,
    "RAFTC_ENOTFOUND": pyraftc.NotFound,
    "RAFTC_EUNKNOWN_TYPE": pyraftc.UnknownMessageType,
    "RAFTC_ECORRUPT": pyraftc.CorruptStorage,
    "RAFTC_ELOCKED": pyraftc.StorageLocked,
    "RAFTC_EIO": pyraftc.StorageIOError,
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
    assert exported == set(BY_CONSTANT.values())


def test_unknown_code_is_a_plain_raft_error():
    err = errors.error_for_code(-1000, "odd")
    assert type(err) is pyraftc.RaftError
    assert err.code == -1000 and str(err) == "odd"


def test_builtin_bases_for_generic_handlers():
    assert issubclass(pyraftc.InvalidArgument, ValueError)
    assert issubclass(pyraftc.ConfigError, ValueError)
    assert issubclass(pyraftc.DecodeError, ValueError)
    assert issubclass(pyraftc.UnknownMessageType, pyraftc.DecodeError)
    assert issubclass(pyraftc.NotFound, LookupError)
    assert issubclass(pyraftc.OutOfMemory, MemoryError)
