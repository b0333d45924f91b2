-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- server.lua: the HTTP side of the key-value service (kv-protocol.md), in every worker: the
-- client API and the receiving end of the peer transport. Requests for the raft node go through
-- the shared dict `raftkv_ctl` to worker 0 (raftkv.node), which answers with "res:<seq>".
local kvpb = require "raftkv.kvpb"
local config = require "raftkv.config"

local ctl = ngx.shared.raftkv_ctl
local kv = ngx.shared.raftkv_kv

local M = {}

local MAX_KEY, MAX_VALUE, MAX_RAFT_BODY = 1024, 1048576, 64 * 1048576
local WAIT = 5 -- seconds before a 504

local function finish(status, body, headers)
    ngx.status = status
    for k, v in pairs(headers or {}) do ngx.header[k] = v end
    if body then
        ngx.header["Content-Length"] = #body -- not chunked: the peers' minimal client reads it
        ngx.print(body)
    end
    return ngx.exit(status)
end

-- Pushes a request for worker 0 and waits for its result: "ok", "503" or nil (timeout).
-- Sequence numbers grow across restarts (the first one of a process is the clock in
-- microseconds): an entry of an earlier run, applied again after a restart, never carries the
-- number of a request of this run. make gets the number in decimal ("%d": LuaJIT's tostring
-- would round a 16-digit number to 14 digits).
local function call(make)
    local seq = string.format("%d", ctl:incr("seq", 1, math.floor(ngx.now() * 1e6)))
    local ok, err = ctl:rpush("req", make(seq))
    if not ok then return nil, err end
    local deadline = ngx.now() + WAIT
    local delay = 0.001
    while ngx.now() < deadline do
        local r = ctl:get("res:" .. seq)
        if r then
            ctl:delete("res:" .. seq)
            return r
        end
        ngx.sleep(delay)
        if delay < 0.01 then delay = delay * 2 end
        ngx.update_time()
    end
    return nil
end

local function answer_write(r)
    if r == "ok" then return finish(204) end
    if r == "503" then return finish(503, "no leader\n", { ["Retry-After"] = "1" }) end
    return finish(504, "not applied within 5 s; the write may still apply\n")
end

-- Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
local function valid_utf8(s)
    local i, n = 1, #s
    while i <= n do
        local c = s:byte(i)
        local len, min
        if c < 0x80 then len = 1
        elseif c >= 0xC2 and c <= 0xDF then len, min = 2, 0x80
        elseif c >= 0xE0 and c <= 0xEF then len, min = 3, 0x800
        elseif c >= 0xF0 and c <= 0xF4 then len, min = 4, 0x10000
        else return false end
        if len > 1 then
            if i + len - 1 > n then return false end
            local cp = c % (2 ^ (7 - len))
            for k = 1, len - 1 do
                local b = s:byte(i + k)
                if b < 0x80 or b > 0xBF then return false end
                cp = cp * 64 + (b - 0x80)
            end
            if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false end
        end
        i = i + len
    end
    return true
end

local function read_body(limit)
    ngx.req.read_body()
    local data = ngx.req.get_body_data()
    if not data then
        local file = ngx.req.get_body_file()
        if file then
            local f = io.open(file, "rb")
            if f then
                data = f:read("*a")
                f:close()
            end
        end
    end
    data = data or ""
    if #data > limit then return nil end
    return data
end

-- /kv/{key}: PUT, GET, DELETE.
function M.kv()
    local raw = ngx.var.request_uri:match("^/kv/([^?]*)")
    if not raw or raw == "" or raw:find("/", 1, true) then return finish(400, "bad key\n") end
    local key = ngx.unescape_uri(raw)
    if #key > MAX_KEY then
        ngx.header["Connection"] = "close"
        return finish(413, "key too large\n")
    end
    if key == "" or key == "." or key == ".." or not valid_utf8(key) then
        return finish(400, "bad key\n")
    end
    local method = ngx.req.get_method()
    local cfg = config.current
    if method == "PUT" then
        local len = tonumber(ngx.var.http_content_length or "0") or 0
        if len > MAX_VALUE then
            ngx.header["Connection"] = "close"
            return finish(413, "value too large\n")
        end
        local value = read_body(MAX_VALUE)
        if not value then
            ngx.header["Connection"] = "close"
            return finish(413, "value too large\n")
        end
        return answer_write(call(function(seq)
            return "P" .. kvpb.encode_command{ op = kvpb.PUT, key = key, value = value, node = cfg.id, seq = tonumber(seq) }
        end))
    elseif method == "DELETE" then
        return answer_write(call(function(seq)
            return "P" .. kvpb.encode_command{ op = kvpb.DELETE, key = key, node = cfg.id, seq = tonumber(seq) }
        end))
    elseif method == "GET" then
        local args = ngx.req.get_uri_args()
        if args.consistency ~= "serializable" then
            local r = call(function(seq) return "R" .. seq end)
            if r == "503" then return finish(503, "no leader\n", { ["Retry-After"] = "1" }) end
            if r ~= "ok" then return finish(504, "read index not served within 5 s\n") end
        end
        local v = kv:get("k:" .. key)
        if v == nil then return finish(404, "not found\n") end
        return finish(200, v)
    end
    return finish(405, "method not allowed\n", { Allow = "GET, PUT, DELETE" })
end

-- /members/{id}: POST (body = URL; ?learner=true), DELETE.
function M.members()
    local id = tonumber(ngx.var.uri:match("^/members/(%d+)$") or "")
    if not id or id < 1 or id > 2 ^ 53 then return finish(400, "bad member id\n") end
    local method = ngx.req.get_method()
    local r
    if method == "POST" then
        local url = read_body(4096)
        if not url or not url:match("^http://[^/]+:%d+/?$") then return finish(400, "bad member url\n") end
        url = url:gsub("/$", "")
        local op = ngx.req.get_uri_args().learner == "true" and "learner" or "add"
        r = call(function(seq) return string.format("C%d %s %d %s", seq, op, id, url) end)
    elseif method == "DELETE" then
        r = call(function(seq) return string.format("C%d remove %d ", seq, id) end)
    else
        return finish(405, "method not allowed\n", { Allow = "POST, DELETE" })
    end
    if r == "ok" then return finish(200, "ok\n") end
    if r == "409" then return finish(409, "the id or the URL belongs to another member\n") end
    if r == "404" then return finish(404, "not a member\n") end
    if r == "503" then return finish(503, "no leader\n", { ["Retry-After"] = "1" }) end
    return finish(504, "not applied within 5 s\n")
end

-- POST /leader/{id}
function M.leader()
    local id = tonumber(ngx.var.uri:match("^/leader/(%d+)$") or "")
    if ngx.req.get_method() ~= "POST" then return finish(405, "method not allowed\n", { Allow = "POST" }) end
    if not id or id < 1 then return finish(400, "bad leader id\n") end
    local r = call(function(seq) return "L" .. seq .. " " .. id end)
    if r == "404" then return finish(404, "not a voter\n") end
    if r ~= "ok" then return finish(504, "not handled within 5 s\n") end
    return finish(202, "transfer requested\n")
end

-- Anything else: /kv/ requests nginx normalized away from /kv/ (e.g. /kv/..) and 404s.
function M.other()
    if ngx.var.request_uri:match("^/kv/") then return M.kv() end
    return finish(404, "not found\n")
end

function M.status()
    local s = ctl:get("status")
    if not s then return finish(503, "starting\n", { ["Retry-After"] = "1" }) end
    return finish(200, s, { ["Content-Type"] = "application/json" })
end

-- POST /raft: varint-delimited raftpb Messages for this node, stepped by worker 0 in order.
function M.raft()
    if ngx.req.get_method() ~= "POST" then return finish(405, "method not allowed\n") end
    local body = read_body(MAX_RAFT_BODY)
    if not body then return finish(413, "body too large\n") end
    local msgs = kvpb.unframe(body)
    if not msgs then return finish(400, "malformed body\n") end
    local raftc = require "raftc"
    local me = config.current.id
    local mine = {}
    for _, m in ipairs(msgs) do
        local ok, t = pcall(raftc.raftpb.decode_message, m)
        if not ok then return finish(400, "malformed message\n") end
        if t.to == me then mine[#mine + 1] = m end
    end
    for _, m in ipairs(mine) do
        local ok, err = ctl:rpush("inbox", m)
        if not ok then return finish(503, "inbox full: " .. tostring(err) .. "\n", { ["Retry-After"] = "1" }) end
    end
    return finish(204)
end

return M
