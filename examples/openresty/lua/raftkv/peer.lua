-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- peer.lua: the sender side of the peer transport, in worker 0: one bounded queue and one light
-- thread per peer, a persistent connection (cosocket keepalive pool), one POST /raft per batch.
-- The raft loop never blocks on a peer: a full queue drops the batch (raft retries), a failed
-- send is reported back (ReportUnreachable; ReportSnapshot for a batch carrying a MsgSnap).
local kvpb = require "raftkv.kvpb"

local M = {}
local MAX_QUEUE = 256

local Peer = {}
Peer.__index = Peer

-- A peer at url ("http://host:port"); report(id, ok, had_snapshot) is called after each send.
function M.new(id, url, report)
    local host, port = url:match("^http://([^:/]+):(%d+)")
    return setmetatable({ id = id, url = url, host = host, port = tonumber(port), queue = {},
                          report = report, running = false }, Peer)
end

-- Queues one batch: a list of raftpb message bytes (has_snap: it carries a MsgSnap).
function Peer:send(msgs, has_snap)
    if #self.queue >= MAX_QUEUE then
        self.report(self.id, false, has_snap)
        return
    end
    self.queue[#self.queue + 1] = { body = kvpb.frame(msgs), snap = has_snap }
end

-- One HTTP/1.1 request on a pooled connection to host:port; returns status, body or nil, err.
local function request(host, port, pool, method, path, body)
    local sock = ngx.socket.tcp()
    sock:settimeouts(500, 2000, 2000)
    local ok, err = sock:connect(host, port, { pool = pool })
    if not ok then return nil, err end
    local req = method .. " " .. path .. " HTTP/1.1\r\nHost: " .. host .. "\r\n"
    if body then
        req = req .. "Content-Type: application/octet-stream\r\nContent-Length: " .. #body ..
            "\r\n\r\n" .. body
    else
        req = req .. "\r\n"
    end
    ok, err = sock:send(req)
    if not ok then sock:close() return nil, err end
    local status_line
    status_line, err = sock:receive("*l")
    if not status_line then sock:close() return nil, err end
    local len = 0
    while true do
        local line
        line, err = sock:receive("*l")
        if not line then sock:close() return nil, err end
        if line == "" then break end
        local n = line:lower():match("^content%-length:%s*(%d+)")
        if n then len = tonumber(n) end
    end
    local data = ""
    if len > 0 then
        data, err = sock:receive(len)
        if not data then sock:close() return nil, err end
    end
    sock:setkeepalive(60000, 4)
    return tonumber(status_line:match("^HTTP/1%.%d (%d+)")), data
end

-- GET url .. path (a peer's /status): status, body or nil, err.
function M.get(url, path)
    local host, port = url:match("^http://([^:/]+):(%d+)")
    if not host then return nil, "bad url " .. tostring(url) end
    return request(host, tonumber(port), "raftkv-get-" .. host .. ":" .. port, "GET", path)
end

local function post(self, body)
    if not self.host then return nil, "bad url " .. tostring(self.url) end
    local code, err = request(self.host, self.port, "raftkv-" .. self.id, "POST", "/raft", body)
    if not code then return nil, err end
    if code ~= 204 then return nil, "status " .. tostring(code) end
    return true
end

-- The light thread draining the queue (runs until stop() is set).
function Peer:run(stop)
    while not stop() do
        local item = table.remove(self.queue, 1)
        if item then
            local ok = post(self, item.body)
            self.report(self.id, ok == true, item.snap)
            if not ok then
                -- a peer that is down: drop what is queued (raft resends once the peer answers,
                -- probing from what it acknowledged) instead of replaying stale batches later
                for _, dropped in ipairs(self.queue) do self.report(self.id, false, dropped.snap) end
                self.queue = {}
                ngx.sleep(0.05)
            end
        else
            ngx.sleep(0.002)
        end
    end
end

return M
