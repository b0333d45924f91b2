-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- raftc-datadriven.lua: the Lua datadriven driver's command line (see raftc.datadriven):
--   lua5.4 lua/raftc-datadriven.lua --suite=NAME [--rewrite | --rewrite=-] FILE...
--   luajit lua/raftc-datadriven.lua ...        (RAFTC_LUA_BACKEND=swig|ffi picks the backend)
-- Finds the raftc modules next to this script when they are not on package.path.
local dir = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
package.path = dir .. "/?.lua;" .. dir .. "/?/init.lua;" .. package.path
os.exit(require("raftc.datadriven").main(arg))
