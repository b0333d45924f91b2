-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- selftest.lua: the runner's own suite (twin of tests/conformance/suite_selftest.c).
local runner = require "raftc.datadriven.runner"

local M = { name = "selftest" }

function M.new_env() return { runs = 0 } end

function M.handle(env, d)
    local runs = env.runs
    env.runs = env.runs + 1
    if d.cmd == "args" then
        local out = { "cmd=" .. d.cmd .. "\n" }
        for _, a in ipairs(d.args) do
            local line = a.key
            for _, v in ipairs(a.vals) do line = line .. " [" .. v .. "]" end
            out[#out + 1] = line .. "\n"
        end
        if d.input ~= "" then out[#out + 1] = "input=" .. d.input .. "\n" end
        return table.concat(out)
    end
    if d.cmd == "echo" then return d.input end
    if d.cmd == "empty" then return "" end
    if d.cmd == "count" then return tostring(runs) end
    if d.cmd == "fatal" then runner.fatal("fatal requested") end
    return "unknown command"
end

return M
