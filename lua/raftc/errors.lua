-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- errors.lua: the error values the binding raises. Every error is a raftc.Error table:
--   err.code     the negative RAFTC_E* code (RAFTC_EINVAL for a bad argument caught in Lua)
--   err.name     the pyraftc class name of the code ("ProposalDroppedError", "InvalidArgumentError", ...)
--   err.message  raftc's text (etcd's where etcd has one), or the argument problem
-- tostring(err) is "raftc: <message>". raftc.is_error(e[, name]) tests for one.
local M = {}

local NAMES = {
    [-1] = "InvalidArgumentError", [-2] = "OutOfMemoryError", [-3] = "DecodeError", [-4] = "TooLargeError",
    [-5] = "ProposalDroppedError", [-6] = "StepLocalMsgError", [-7] = "StepPeerNotFoundError",
    [-8] = "CompactedError", [-9] = "UnavailableError", [-10] = "SnapshotOutOfDateError",
    [-11] = "SnapshotTemporarilyUnavailableError", [-12] = "StorageError", [-13] = "NodeFailedError",
    [-14] = "StateError", [-15] = "ConfigError", [-16] = "ConfChangeError", [-17] = "NotFoundError",
    [-18] = "UnknownMessageTypeError", [-19] = "CorruptStorageError", [-20] = "StorageLockedError",
    [-21] = "StorageIOError", [-22] = "MessageRefusedError",
}
M.NAMES = NAMES
M.CODES = {}
for code, name in pairs(NAMES) do M.CODES[name] = code end

local Error = {}
Error.__index = Error
Error.__tostring = function(e) return "raftc: " .. e.message end
M.Error = Error

-- A new error value for code with message.
function M.new(code, message)
    return setmetatable({ code = code, name = NAMES[code] or "RaftError", message = message }, Error)
end

-- Raises the error of code (message defaults to raftc_strerror(code), given by strerror).
function M.raise(code, message)
    error(M.new(code, message), 0)
end

-- Raises InvalidArgument for a bad argument detected in Lua.
function M.arg(fmt, ...)
    error(M.new(-1, string.format(fmt, ...)), 0)
end

-- True if e is a raftc error (of the given name, when name is given).
function M.is_error(e, name)
    return getmetatable(e) == Error and (name == nil or e.name == name)
end

return M
