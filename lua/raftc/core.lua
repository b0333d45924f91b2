-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- core.lua: what every module of the binding shares: the backend, its constants and the
-- checks that turn RAFTC_E* codes into raftc.Error values.
local sel = require "raftc.backend"
local errors = require "raftc.errors"

local B = sel.B
local M = { B = B, safe = sel.safe, backend = sel.name }

-- RAFTC_<name> of the loaded library (enum values and 32-bit constants).
function M.K(name) return B.constant("RAFTC_" .. name) end

-- Raises the error of a negative rc (text: raftc_strerror, or text when given).
function M.check(rc, text)
    if rc ~= 0 and rc < 0 then errors.raise(rc, text or B.strerror(rc)) end
    return rc
end

-- A fresh sink (freed when collected). Sinks are cheap; a function that may re-enter the
-- binding through a callback takes its own.
function M.sink()
    local _, s = B.sink_new()
    if s == nil then errors.raise(-2, B.strerror(-2)) end
    return s
end

-- The items of sink s as a list of strings.
function M.items(s)
    local out = {}
    for i = 1, B.sink_count(s) do
        local rc, item = B.sink_get(s, i - 1)
        M.check(rc)
        out[i] = item
    end
    return out
end

-- The first item of s ("" when empty).
function M.first(s)
    if B.sink_count(s) == 0 then return "" end
    local rc, item = B.sink_get(s, 0)
    M.check(rc)
    return item
end

-- 1-based index of an info array field: info[M.F("MF_TERM")].
function M.F(name) return B.constant("RAFTC_" .. name) + 1 end

return M
