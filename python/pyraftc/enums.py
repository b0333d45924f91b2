# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# enums.py: Python enums for raftc's constants (etcd's numbering and names).
"""Enumerations with etcd's values: node roles, progress states, read-only options, snapshot
report statuses and log levels."""
import enum

__all__ = ["StateType", "ProgressStateType", "ReadOnlyOption", "SnapshotStatus", "LogLevel"]


class StateType(enum.IntEnum):
    """etcd's raft.StateType: the role of a node. ``str()`` gives etcd's name."""

    FOLLOWER = 0
    CANDIDATE = 1
    LEADER = 2
    PRE_CANDIDATE = 3

    def __str__(self) -> str:
        return ("StateFollower", "StateCandidate", "StateLeader", "StatePreCandidate")[self.value]


class ProgressStateType(enum.IntEnum):
    """etcd's tracker.StateType: how the leader replicates to a peer."""

    PROBE = 0
    REPLICATE = 1
    SNAPSHOT = 2

    def __str__(self) -> str:
        return ("StateProbe", "StateReplicate", "StateSnapshot")[self.value]


class ReadOnlyOption(enum.IntEnum):
    """etcd's ReadOnlyOption: how ReadIndex requests are served."""

    SAFE = 0
    LEASE_BASED = 1


class SnapshotStatus(enum.IntEnum):
    """etcd's SnapshotStatus for RawNode.report_snapshot."""

    FINISH = 1
    FAILURE = 2


class LogLevel(enum.IntEnum):
    """Levels of raft's log lines. PANIC: etcd would panic here; the node is now failed."""

    DEBUG = 0
    INFO = 1
    WARN = 2
    ERROR = 3
    FATAL = 4
    PANIC = 5
