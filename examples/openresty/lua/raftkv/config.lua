-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- config.lua: the node's launcher flags (kv-protocol.md), written by the launcher into
-- DATA/config.lua and loaded in init_by_lua; shared by every worker.
local M = {}

-- Loads the config file and parses --peers ("1=http://127.0.0.1:8001,2=...").
function M.load(path)
    local c = dofile(path)
    c.peer_urls = {}
    c.peer_ids = {}
    for id, url in c.peers:gmatch("(%d+)=([^,]+)") do
        id = tonumber(id)
        c.peer_urls[id] = url
        c.peer_ids[#c.peer_ids + 1] = id
    end
    table.sort(c.peer_ids)
    M.current = c
    return c
end

return M
