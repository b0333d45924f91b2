-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- confchange.lua: etcd's confchange/datadriven_test.go (HARNESS.md §5.1) over
-- raftc.tools.Changer, the twin of tests/conformance/suite_confchange.c.
local errors = require "raftc.errors"
local gostr = require "raftc.datadriven.gostr"
local runner = require "raftc.datadriven.runner"
local tools = require "raftc.tools"

local M = { name = "confchange" }

function M.new_env()
    -- etcd: tracker.MakeProgressTracker(10, 0); last_index counts the directives already run
    return { changer = tools.new_changer(10, 0), last_index = 0 }
end

local function run(e, d)
    local changes, err = gostr.parse_changes(d.input)
    if changes == nil then return err end
    local ch = e.changer
    ch:set_last_index(e.last_index)
    local ok, r = pcall(function()
        if d.cmd == "simple" then
            ch:simple(changes)
        elseif d.cmd == "enter-joint" then
            local auto_leave = false
            if #d.args > 0 then
                local a = runner.find_arg(d, "autoleave")
                local b = a and #a.vals == 1 and gostr.parse_bool(a.vals[1])
                if b == nil or b == false and not (a and #a.vals == 1) then
                    runner.fatal("enter-joint: expected a single autoleave=<bool> argument")
                end
                auto_leave = b
            end
            ch:enter_joint(auto_leave, changes)
        elseif d.cmd == "leave-joint" then
            if #changes > 0 then return "this command takes no input\n" end
            ch:leave_joint()
        else
            return "unknown command"
        end
    end)
    if not ok then
        if errors.is_error(r, "ConfChangeError") then return r.message .. "\n" end
        error(r, 0)
    end
    if r ~= nil then return r end
    return ch:describe()
end

function M.handle(e, d)
    local ok, r = pcall(run, e, d)
    e.last_index = e.last_index + 1 -- etcd increments after every directive, errors included
    if not ok then error(r, 0) end
    return r
end

return M
