-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- raftc.datadriven: replays etcd raft's datadriven transcripts through the Lua binding, with the
-- command line of tests/conformance's raftc-datadriven and pyraftc's python/tests/datadriven:
--   lua lua/raftc-datadriven.lua --suite=interaction|confchange|quorum|selftest
--       [--rewrite | --rewrite=-] FILE...
-- exit 0 if every file matched, 1 on a mismatch, 2 on usage/harness errors; --skip=TEXT prints
-- "SKIPPED: TEXT" and exits 77.
local runner = require "raftc.datadriven.runner"

local M = {}

local SUITE_NAMES = { "quorum", "confchange", "selftest", "interaction" }

local function usage(f)
    f:write("usage: raftc-datadriven.lua --suite=NAME [--rewrite | --rewrite=-] FILE...\n" ..
            "suites: " .. table.concat(SUITE_NAMES, " ") .. "\n")
end

local function suite(name)
    for _, n in ipairs(SUITE_NAMES) do
        if n == name then return require("raftc.datadriven." .. name) end
    end
    return nil
end

local function rewrite_in_place(s, path)
    local rc, text = runner.run_file(s, path, true)
    if rc ~= 0 then return rc end
    local tmp = path .. ".rewrite.tmp"
    local f, e = io.open(tmp, "wb")
    if not f then
        io.stderr:write(path .. ": cannot replace: " .. tostring(e) .. "\n")
        return 2
    end
    f:write(text)
    f:close()
    local ok, e2 = os.rename(tmp, path)
    if not ok then
        io.stderr:write(path .. ": cannot replace: " .. tostring(e2) .. "\n")
        return 2
    end
    return 0
end

-- The command line on args; returns the exit status.
function M.main(args)
    local suite_name, rewrite, files = nil, 0, {}
    local i = 1
    while i <= #args do
        local a = args[i]
        if a:sub(1, 8) == "--suite=" then
            suite_name = a:sub(9)
        elseif a:sub(1, 7) == "--skip=" then
            print("SKIPPED: " .. a:sub(8))
            return 77
        elseif a == "--rewrite" then
            rewrite = 1
        elseif a == "--rewrite=-" then
            rewrite = 2
        elseif a == "--help" or a == "-h" then
            usage(io.stdout)
            return 0
        elseif a == "--" then
            for j = i + 1, #args do files[#files + 1] = args[j] end
            break
        elseif a:sub(1, 1) == "-" and a ~= "-" then
            io.stderr:write("unknown option " .. a .. "\n")
            usage(io.stderr)
            return 2
        else
            for j = i, #args do files[#files + 1] = args[j] end
            break
        end
        i = i + 1
    end
    local s = suite_name and suite(suite_name)
    if not s then
        io.stderr:write(suite_name and ("unknown suite " .. suite_name .. "\n") or "missing --suite\n")
        usage(io.stderr)
        return 2
    end
    if #files == 0 then
        io.stderr:write("no files given\n")
        usage(io.stderr)
        return 2
    end
    local worst, failed = 0, 0
    for _, path in ipairs(files) do
        local rc
        if rewrite == 1 then
            rc = rewrite_in_place(s, path)
        elseif rewrite == 2 then
            local text
            rc, text = runner.run_file(s, path, true)
            if rc == 0 then
                io.stdout:write(text)
                io.stdout:flush()
            end
        else
            rc = runner.run_file(s, path, false)
        end
        if rc ~= 0 then failed = failed + 1 end
        if rc > worst then worst = rc end
        io.stderr:write((rc == 0 and (rewrite ~= 0 and "rewrote" or "ok  ") or "FAIL") .. " " .. path .. "\n")
    end
    if #files > 1 then
        io.stderr:write(string.format("%d/%d files passed\n", #files - failed, #files))
    end
    return worst
end

return M
