-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- quorum.lua: etcd's quorum/datadriven_test.go (HARNESS.md §5.2) over raftc.tools, the twin of
-- tests/conformance/suite_quorum.c including etcd's cross-checks (printed only on disagreement).
local tools = require "raftc.tools"
local runner = require "raftc.datadriven.runner"

local fatal = runner.fatal
local INF = tools.INDEX_INF

local function index_str(i)
    if i == INF then return "∞" end
    return string.format("%d", i)
end

local function u64(v, what)
    if v == "" or v:find("[^0-9]") or #v > 20 or (#v == 20 and v > "18446744073709551615") then
        fatal(string.format("%s: cannot parse %s as uint64", what, v))
    end
    return math.tointeger and math.tointeger(tonumber(v)) or tonumber(v)
end

local function contains(list, x)
    for _, v in ipairs(list) do
        if v == x then return true end
    end
    return false
end

local function new_case(d)
    local c = { joint = false, ids = {}, idsj = {}, idxs = {}, votes = {}, voters = {}, lookup = {},
                lookup_order = {} }
    for _, arg in ipairs(d.args) do
        for _, v in ipairs(arg.vals) do
            if arg.key == "cfg" then
                c.ids[#c.ids + 1] = u64(v, "cfg")
            elseif arg.key == "cfgj" then
                c.joint = true
                if v == "zero" then
                    if #arg.vals ~= 1 then fatal("cannot mix 'zero' into configuration") end
                else
                    c.idsj[#c.idsj + 1] = u64(v, "cfgj")
                end
            elseif arg.key == "idx" then
                local n = 0
                if v ~= "_" then
                    n = u64(v, "idx")
                    if n == 0 then fatal("cannot use 0 as idx") end
                end
                c.idxs[#c.idxs + 1] = n
            elseif arg.key == "votes" then
                local m = { y = 2, n = 1, ["_"] = 0 }
                if m[v] == nil then fatal("unknown vote: " .. v) end
                c.votes[#c.votes + 1] = m[v]
            else
                fatal("unknown arg " .. arg.key)
            end
        end
    end
    for _, list in ipairs({ c.ids, c.idsj }) do
        for _, i in ipairs(list) do
            if not contains(c.voters, i) then c.voters[#c.voters + 1] = i end
        end
    end
    return c
end

-- voter -> value for voters with a non-zero input, in voter order (a list of pairs, the form
-- raftc.tools takes, plus a map).
local function make_lookup(c, inp)
    for k, voter in ipairs(c.voters) do
        local val = inp[k]
        if val ~= nil and val ~= 0 and c.lookup[voter] == nil then
            c.lookup[voter] = val
            c.lookup_order[#c.lookup_order + 1] = voter
        end
    end
end

local function pairs_of(c, map, order)
    local out = {}
    for _, id in ipairs(order or c.lookup_order) do out[#out + 1] = { id, map[id] } end
    return out
end

local function alternative(cfg, lookup)
    local distinct = {}
    for _, i in ipairs(cfg) do
        if not contains(distinct, i) then distinct[#distinct + 1] = i end
    end
    if #distinct == 0 then return INF end
    local q = math.floor(#distinct / 2) + 1
    local best = 0
    for _, i in ipairs(distinct) do
        local v = lookup[i]
        if v ~= nil then
            local n = 0
            for _, j in ipairs(distinct) do
                if lookup[j] ~= nil and lookup[j] >= v then n = n + 1 end
            end
            if n >= q and v > best then best = v end
        end
    end
    return best
end

local function committed(c)
    local out = {}
    make_lookup(c, c.idxs)
    local lk = c.lookup
    local acked = pairs_of(c, lk)
    local idx
    if not c.joint then
        idx = tools.committed_index(c.ids, {}, acked)
        out[#out + 1] = tools.describe_quorum(c.ids, {}, acked)
        local alt = alternative(c.ids, lk)
        if alt ~= idx then out[#out + 1] = index_str(alt) .. " <-- via alternative computation\n" end
        alt = tools.committed_index(c.ids, {}, acked)
        if alt ~= idx then out[#out + 1] = index_str(alt) .. " <-- via zero-joint quorum\n" end
        alt = tools.committed_index(c.ids, c.ids, acked)
        if alt ~= idx then out[#out + 1] = index_str(alt) .. " <-- via self-joint quorum\n" end
        local seen = {}
        for _, vid in ipairs(c.ids) do
            if not seen[vid] then
                seen[vid] = true
                local iidx = lk[vid]
                if iidx ~= nil and idx > iidx and iidx > 0 then
                    for _, lowered in ipairs({ iidx - 1, 0 }) do
                        local overlay, order = {}, {}
                        for _, other in ipairs(c.ids) do
                            if overlay[other] == nil then
                                if other == vid then
                                    overlay[other] = lowered
                                    order[#order + 1] = other
                                elseif lk[other] ~= nil then
                                    overlay[other] = lk[other]
                                    order[#order + 1] = other
                                end
                            end
                        end
                        local ov = {}
                        for _, id in ipairs(order) do
                            if overlay[id] ~= 0 or id ~= vid or true then ov[#ov + 1] = { id, overlay[id] } end
                        end
                        alt = tools.committed_index(c.ids, {}, ov)
                        if alt ~= idx then
                            if lowered == iidx - 1 then
                                out[#out + 1] = string.format("%s <-- overlaying %d->%d", index_str(alt), vid, iidx)
                            else
                                out[#out + 1] = string.format("%s <-- overlaying %d->0", index_str(alt), vid)
                            end
                        end
                    end
                end
            end
        end
    else
        out[#out + 1] = tools.describe_quorum(c.ids, c.idsj, acked)
        idx = tools.committed_index(c.ids, c.idsj, acked)
        local alt = tools.committed_index(c.idsj, c.ids, acked)
        if alt ~= idx then out[#out + 1] = index_str(alt) .. " <-- via symmetry\n" end
    end
    out[#out + 1] = index_str(idx) .. "\n"
    return table.concat(out)
end

local function vote(c)
    make_lookup(c, c.votes)
    local votes = {}
    for _, id in ipairs(c.lookup_order) do votes[#votes + 1] = { id, c.lookup[id] ~= 1 } end
    local out = {}
    local r
    if not c.joint then
        r = tools.vote_result(c.ids, {}, votes)
    else
        r = tools.vote_result(c.ids, c.idsj, votes)
        local ar = tools.vote_result(c.idsj, c.ids, votes)
        if ar ~= r then out[#out + 1] = tools.vote_result_name(ar) .. " <-- via symmetry\n" end
    end
    out[#out + 1] = tools.vote_result_name(r) .. "\n"
    return table.concat(out)
end

local M = { name = "quorum" }

function M.new_env() return {} end

function M.handle(_, d)
    local c = new_case(d)
    local inp = d.cmd == "vote" and c.votes or c.idxs
    if #c.voters ~= #inp then
        local sorted = {}
        for _, v in ipairs(c.voters) do
            if not contains(sorted, v) then sorted[#sorted + 1] = v end
        end
        table.sort(sorted)
        local keys, vals = {}, {}
        for _, i in ipairs(sorted) do keys[#keys + 1] = string.format("%d:{}", i) end
        for _, v in ipairs(inp) do vals[#vals + 1] = index_str(v) end
        return string.format("error: mismatched input (explicit or _) for voters map[%s]: [%s]",
                             table.concat(keys, " "), table.concat(vals, " "))
    end
    if d.cmd == "committed" then return committed(c) end
    if d.cmd == "vote" then return vote(c) end
    fatal("unknown command: " .. d.cmd)
end

return M
