-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- swig.lua: the SWIG backend: the C module raftc_swig (bindings/raftc.i) already has the
-- backend's signatures; this adds the lifetime functions (`*_free` release a handle at once)
-- and the constant accessor shared with the FFI backend.
local S = require "raftc_swig"

local B = setmetatable({ name = "swig" }, { __index = S })

local release = S.release
B.sink_free, B.memstorage_free, B.config_free = release, release, release
B.node_free, B.changer_free, B.diskstorage_free = release, release, release
function B.hooks_free(_) end -- the hooks userdata releases its references when collected
function B.constant(name) return S[name] end

return B
