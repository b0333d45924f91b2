-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- node.lua: the raft node of one nginx instance, driven by a timer in worker 0 (the only worker
-- that touches raftc). Other workers reach it through the shared dict `raftkv_ctl`: requests
-- are pushed on the list "req" and incoming peer messages on "inbox"; results come back as
-- "res:<seq>" keys; the node publishes "status" (JSON) and "applied". The state machine is the
-- shared dict `raftkv_kv` ("k:<key>" -> value), which every worker reads.
--
-- Storage: raftc's DiskStorage in DATA/raft (a write-ahead log and snapshot files, fsynced before
-- a Ready's messages go out). A node whose storage holds state restarts from it: the state
-- machine is rebuilt from the last snapshot and the committed entries after it.
local cjson = require "cjson.safe"
local raftc = require "raftc"
local kvpb = require "raftkv.kvpb"
local peer_mod = require "raftkv.peer"

local pb = raftc.raftpb
local ctl = ngx.shared.raftkv_ctl
local kv = ngx.shared.raftkv_kv

local M = {}

local STATE_NAMES = { [raftc.StateFollower] = "StateFollower",
                      [raftc.StateCandidate] = "StateCandidate",
                      [raftc.StateLeader] = "StateLeader",
                      [raftc.StatePreCandidate] = "StatePreCandidate" }

local function log(level, fmt, ...) ngx.log(level, "raftkv: ", string.format(fmt, ...)) end

-- The node's state: raft node, storage, members ({[id] = {url=, learner=}}), peers (senders),
-- pending reads and the reports of the senders.
local S = {}

-- The answer to request seq (a number or its decimal string) for the worker waiting on it.
local function put_result(seq, status) ctl:set(string.format("res:%d", seq), status, 60) end

-- How long worker 0 keeps a waiting write, a read or a conf change: the handler gives up (504)
-- after 5 s.
local WAITER_TTL = 6

-- A ReadIndex without an answer (its message or the answer was lost, e.g. to a leader that
-- died) is asked again after this many seconds, until the handler gives up.
local READ_RETRY = 1

-- Forgets the waiters whose handler has given up.
local function expire_waiters(now)
    for _, list in ipairs({ S.writes, S.conf_waiters, S.reads }) do
        for seq, w in pairs(list) do
            if w.expires < now then list[seq] = nil end
        end
    end
end

-- Asks again for the reads whose ReadIndex got no answer within READ_RETRY (kv.md's choice:
-- every second until the 5 s deadline). Raft answers a read context at most once per request,
-- and a repeated context is answered like the first.
local function retry_reads(now)
    local node = S.node
    for _, r in pairs(S.reads) do
        if now >= r.retry then
            r.retry = now + READ_RETRY
            if node:basic_status().lead ~= 0 then pcall(node.read_index, node, r.ctx) end
        end
    end
end

local function report(id, ok, had_snap)
    S.reports[#S.reports + 1] = { id = id, ok = ok, snap = had_snap }
end

local function ensure_peer(id)
    local m = S.members[id]
    if id == S.cfg.id or not m then return nil end
    local p = S.peers[id]
    if p and p.url == m.url then return p end
    p = peer_mod.new(id, m.url, report)
    S.peers[id] = p
    ngx.thread.spawn(function()
        p:run(function() return S.stopping or ngx.worker.exiting() or S.peers[id] ~= p end)
    end)
    return p
end

local function apply_snapshot_data(data)
    local snap = kvpb.decode_snapshot(data)
    if not snap then return end
    kv:flush_all()
    for _, p in ipairs(snap.pairs) do kv:set("k:" .. p.key, p.value) end
    S.members = {}
    for _, m in ipairs(snap.members) do S.members[m.id] = { url = m.url, learner = m.learner } end
end

local function snapshot_data()
    local keys = kv:get_keys(0)
    local pairs_ = {}
    for _, k in ipairs(keys) do
        if k:sub(1, 2) == "k:" then
            local v = kv:get(k)
            if v then pairs_[#pairs_ + 1] = { key = k:sub(3), value = v } end
        end
    end
    table.sort(pairs_, function(a, b) return a.key < b.key end)
    local ids = {}
    for id in pairs(S.members) do ids[#ids + 1] = id end
    table.sort(ids)
    local members = {}
    for _, id in ipairs(ids) do
        members[#members + 1] = { id = id, url = S.members[id].url, learner = S.members[id].learner }
    end
    return kvpb.encode_snapshot{ pairs = pairs_, members = members }
end

local function shutdown(why)
    -- a node that applied its own removal exits 0: ask the master for a graceful stop
    log(ngx.WARN, "node %d stops: %s", S.cfg.id, why)
    S.stopping = true
    local f = io.open(S.cfg.pid_file, "r")
    if f then
        local pid = f:read("*n")
        f:close()
        if pid then os.execute("kill -QUIT " .. pid) end
    end
end

-- This node has been in the configuration: remembered in DATA/member across restarts, so that
-- a restarted node removed while it was down still knows to exit.
local function mark_member()
    if S.in_config then return end
    S.in_config = true
    local f = io.open(S.cfg.data .. "/member", "w")
    if f then f:write("1\n") f:close() end
end

local function apply_conf_change(e)
    local cs = S.node:apply_conf_change_entry(e)
    -- the context of every conf change is the member's URL; learn who was added or removed by
    -- comparing the new configuration with the members known
    local kind = e.type == pb.EntryConfChange and 1 or 2
    local url = pb.conf_change_context(kind, e.data)
    local now = {}
    for _, id in ipairs(cs.voters) do now[id] = false end
    for _, id in ipairs(cs.learners) do now[id] = true end
    for _, id in ipairs(cs.voters_outgoing or {}) do if now[id] == nil then now[id] = false end end
    for id, learner in pairs(now) do
        local m = S.members[id]
        if not m then
            S.members[id] = { url = url, learner = learner }
        else
            m.learner = learner
        end
    end
    for id in pairs(S.members) do
        if now[id] == nil then
            S.members[id] = nil
            S.peers[id] = nil
        end
    end
    -- the request waiting for this conf change: its ID is the request's sequence number
    local id = kind == 1 and kvpb.conf_change_id(e.data) or 0
    local w = S.conf_waiters[id]
    if w and w.data == e.data then
        S.conf_waiters[id] = nil
        put_result(id, "ok")
    end
    -- a node that applies its own removal (it was in the last configuration applied, now it is
    -- not) stops; replaying older configurations while catching up is no removal
    local before = S.in_cs
    S.in_cs = now[S.cfg.id] ~= nil
    if S.in_cs then mark_member() end
    if before and not S.in_cs then shutdown("it applied its own removal (entry " .. e.index .. ")") end
end

-- Linearizable reads wait for their read index to be applied.
local function answer_reads()
    for seq, idx in pairs(S.reads_ready) do
        if S.applied >= idx then
            put_result(seq, "ok")
            S.reads_ready[seq] = nil
        end
    end
end

local function apply_entries(entries)
    for _, e in ipairs(entries) do
        if e.type == pb.EntryNormal then
            if e.data ~= "" then
                local c = kvpb.decode_command(e.data)
                if c then
                    if c.op == kvpb.DELETE then kv:delete("k:" .. c.key) else kv:set("k:" .. c.key, c.value) end
                    -- the write waiting for exactly this command (node, seq and content)
                    local w = c.node == S.cfg.id and S.writes[c.seq]
                    if w and w.data == e.data then
                        S.writes[c.seq] = nil
                        put_result(c.seq, "ok")
                    end
                else
                    log(ngx.ERR, "entry %d: undecodable command", e.index)
                end
            end
        else
            apply_conf_change(e)
        end
        S.applied = e.index
    end
    ctl:set("applied", S.applied)
    answer_reads()
end

local function maybe_snapshot()
    local every = S.cfg.snapshot_entries
    if every <= 0 or S.applied - S.snap_index < every then return end
    local ok, err = pcall(function()
        S.storage:create_snapshot(S.applied, S.node:conf_state(), snapshot_data())
        S.storage:compact(S.applied)
    end)
    if ok then S.snap_index = S.applied else log(ngx.WARN, "snapshot: %s", tostring(err)) end
end

local function send(rd)
    local by_peer, snaps = {}, {}
    for i, m in ipairs(rd.messages) do
        local list = by_peer[m.to]
        if not list then
            list = {}
            by_peer[m.to] = list
        end
        list[#list + 1] = rd.message_bytes[i]
        if m.type == pb.MsgSnap then snaps[m.to] = true end
    end
    for to, list in pairs(by_peer) do
        local p = ensure_peer(to)
        if p then p:send(list, snaps[to]) else S.node:report_unreachable(to) end
    end
end

local function handle_ready()
    local node, storage = S.node, S.storage
    while node:has_ready() do
        local rd = node:ready()
        storage:save_ready(rd) -- HardState, entries and snapshot, durable before anything is sent
        if rd.snapshot then
            apply_snapshot_data(rd.snapshot.data)
            S.applied = rd.snapshot.metadata.index
            S.snap_index = S.applied
            local cs = rd.snapshot.metadata.conf_state
            for _, list in ipairs({ cs.voters, cs.learners }) do
                for _, id in ipairs(list) do
                    if id == S.cfg.id then
                        S.in_cs = true
                        mark_member()
                    end
                end
            end
        end
        send(rd)
        apply_entries(rd.committed_entries)
        for _, rs in ipairs(rd.read_states) do
            local seq = tonumber(rs.request_ctx)
            if seq and S.reads[seq] then
                S.reads[seq] = nil
                S.reads_ready[seq] = rs.index
            end
        end
        node:advance(rd)
    end
    answer_reads()
    maybe_snapshot()
end

-- Requests from the workers: "P<command>", "R<seq>", "C<seq> <op> <id> <url>", "L<seq> <id>".
local function handle_request(r)
    local kind, body = r:sub(1, 1), r:sub(2)
    local node = S.node
    if kind == "P" then
        local c = kvpb.decode_command(body)
        local ok, err = pcall(node.propose, node, body)
        if not ok then
            put_result(c and c.seq or 0, raftc.is_error(err, "ProposalDroppedError") and "503" or "504")
        elseif c then
            S.writes[c.seq] = { data = body, expires = ngx.now() + WAITER_TTL }
        end
    elseif kind == "R" then
        local seq = tonumber(body)
        if node:basic_status().lead == 0 then
            put_result(seq, "503")
        else
            local now = ngx.now()
            S.reads[seq] = { ctx = body, retry = now + READ_RETRY, expires = now + WAITER_TTL }
            local ok = pcall(node.read_index, node, body)
            if not ok then
                S.reads[seq] = nil
                put_result(seq, "503")
            end
        end
    elseif kind == "C" then
        local seq, op, id, url = body:match("^(%d+) (%a+) (%d+) ?(.*)$")
        seq, id = tonumber(seq), tonumber(id)
        local cc
        if op == "remove" then
            cc = { type = pb.ConfChangeRemoveNode, node_id = id, context = url }
        else
            cc = { type = op == "learner" and pb.ConfChangeAddLearnerNode or pb.ConfChangeAddNode,
                   node_id = id, context = url }
        end
        -- docs/kv.md's choices: an id at another URL or a URL another member has is 409, an
        -- add that already holds is 200 without a conf change, removing a non-member is 404
        local m = S.members[id]
        if op ~= "remove" then
            for mid, other in pairs(S.members) do
                if mid ~= id and other.url == url then return put_result(seq, "409") end
            end
            if m and m.url ~= url then return put_result(seq, "409") end
            if m and m.learner == (op == "learner") then return put_result(seq, "ok") end
        elseif not m then
            return put_result(seq, "404")
        end
        -- the request's sequence number as the conf change's ID finds this request when the
        -- conf change is applied (a conf change raft drops never answers: 504)
        cc.id = seq
        local data = pb.encode_conf_change(cc)
        local ok, err = pcall(node.propose_conf_change, node, cc)
        if not ok then
            put_result(seq, raftc.is_error(err, "ProposalDroppedError") and "503" or "504")
        else
            S.conf_waiters[seq] = { data = data, expires = ngx.now() + WAITER_TTL }
        end
    elseif kind == "L" then
        local seq, id = body:match("^(%d+) (%d+)$")
        local m = S.members[tonumber(id)]
        if not m or m.learner then return put_result(seq, "404") end
        pcall(node.transfer_leader, node, tonumber(id))
        put_result(seq, "ok")
    end
end

local function publish_status()
    local st = S.node:basic_status()
    local members, learners = {}, {}
    for id, m in pairs(S.members) do
        if m.learner then learners[tostring(id)] = m.url else members[tostring(id)] = m.url end
    end
    ctl:set("status", cjson.encode{
        id = S.cfg.id, state = STATE_NAMES[st.raft_state], term = st.hard_state.term,
        lead = st.lead, commit = st.hard_state.commit, applied = S.applied,
        members = setmetatable(members, cjson.empty_table_mt or nil),
        learners = setmetatable(learners, cjson.empty_table_mt or nil), impl = "openresty" })
end

local function loop(premature)
    if premature then return end
    local cfg = S.cfg
    local tick = cfg.tick_ms / 1000
    ngx.update_time()
    local next_tick = ngx.now() + tick
    while not ngx.worker.exiting() and not S.stopping do
        local ok, err = pcall(function()
            for _ = 1, 1024 do
                local m = ctl:lpop("inbox")
                if not m then break end
                S.last_heard = ngx.now()
                local sok, serr = pcall(S.node.step, S.node, m)
                if not sok and not raftc.is_error(serr, "StepPeerNotFoundError") then
                    log(ngx.INFO, "step: %s", tostring(serr))
                end
            end
            for _ = 1, 1024 do
                local r = ctl:lpop("req")
                if not r then break end
                handle_request(r)
            end
            ngx.update_time()
            local now = ngx.now()
            -- One tick per interval, and none made up after a stall (as Go's time.Ticker drops
            -- them, which etcd's raftexample relies on): a loop held up by a slow fsync must not
            -- fire a burst of ticks, which would run out the election timeout of a follower
            -- that just heard from its leader.
            if now >= next_tick then
                expire_waiters(now)
                retry_reads(now)
                S.node:tick()
                next_tick = next_tick + tick
                if next_tick <= now then next_tick = now + tick end
            end
            handle_ready()
            local reports = S.reports
            S.reports = {}
            for _, r in ipairs(reports) do
                if not r.ok then S.node:report_unreachable(r.id) end
                if r.snap then
                    S.node:report_snapshot(r.id, r.ok and raftc.SnapshotFinish or raftc.SnapshotFailure)
                end
            end
            publish_status()
        end)
        if not ok then
            log(ngx.ERR, "raft loop: %s", tostring(err))
            if S.node:failed() then
                log(ngx.CRIT, "raft node failed: %s", S.node:last_error())
                return
            end
        end
        ngx.sleep(0.002)
    end
end

-- A member removed while it could not hear about it (the leader stops replicating to a removed
-- node, so it may never apply its own removal): every 2 s, a node that was in the configuration
-- and has no leader (or heard nothing for two election timeouts) asks the members' /status; a leader whose membership lacks this node means
-- it was removed, and it exits as if it had applied the removal (docs/kv.md).
local function watch_removal()
    while not ngx.worker.exiting() and not S.stopping do
        ngx.sleep(2)
        ngx.update_time()
        local silent = ngx.now() - S.last_heard > 2 * 10 * S.cfg.tick_ms / 1000
        if S.in_config and (silent or S.node:basic_status().lead == 0) then
            for id, m in pairs(S.members) do
                if id ~= S.cfg.id then
                    local code, body = peer_mod.get(m.url, "/status")
                    local st = code == 200 and cjson.decode(body)
                    if st and st.state == "StateLeader" then
                        local me = tostring(S.cfg.id)
                        if (st.members or {})[me] == nil and (st.learners or {})[me] == nil then
                            shutdown("leader " .. tostring(st.id) .. "'s configuration lacks it")
                        end
                        break
                    end
                end
            end
        end
    end
end

-- Opens the storage (retrying while a previous worker 0 still holds its lock, e.g. during a
-- reload), restores the state machine and creates the node.
local function open(cfg)
    local dir = cfg.data .. "/raft"
    local storage
    for _ = 1, 100 do
        local ok, st = pcall(raftc.DiskStorage, dir)
        if ok then storage = st break end
        if not raftc.is_error(st, "StorageLockedError") then error(st, 0) end
        ngx.sleep(0.1)
    end
    if not storage then error("storage " .. dir .. " stays locked", 0) end
    S.storage = storage
    local hs = storage:initial_state()
    local snap = storage:snapshot()
    local fresh = storage:last_index() == 0 and snap.metadata.index == 0 and hs.term == 0
    kv:flush_all() -- shared memory outlives a worker: rebuild from the storage
    S.applied, S.snap_index = snap.metadata.index, snap.metadata.index
    if snap.metadata.index > 0 then
        apply_snapshot_data(snap.data)
        for _, list in ipairs({ snap.metadata.conf_state.voters, snap.metadata.conf_state.learners }) do
            for _, id in ipairs(list) do
                if id == cfg.id then S.in_cs = true end
            end
        end
    end
    S.node = raftc.RawNode{
        id = cfg.id, election_tick = 10, heartbeat_tick = 1, storage = storage,
        applied = S.applied, pre_vote = true, check_quorum = true, step_down_on_removal = true,
        max_size_per_msg = 1024 * 1024, max_inflight_msgs = 256,
        logger = function(level, text)
            if level >= raftc.LOG_WARN then ngx.log(ngx.WARN, "raft: ", text)
            elseif level >= raftc.LOG_INFO then ngx.log(ngx.INFO, "raft: ", text) end
        end,
    }
    if not fresh then
        log(ngx.WARN, "restarting from %s: term %d, commit %d, snapshot %d, last index %d", dir,
            hs.term, hs.commit, snap.metadata.index, storage:last_index())
    elseif not cfg.join then
        local peers = {}
        for _, id in ipairs(cfg.peer_ids) do peers[#peers + 1] = { id = id, context = cfg.peer_urls[id] } end
        S.node:bootstrap(peers)
    end
    ctl:set("applied", S.applied)
    publish_status()
end

local function run(premature)
    if premature then return end
    local ok, err = pcall(open, S.cfg)
    if not ok then
        log(ngx.CRIT, "cannot start the raft node: %s", tostring(err))
        return
    end
    ok, err = ngx.timer.at(0, watch_removal)
    if not ok then log(ngx.CRIT, "cannot start the removal watch: %s", err) end
    loop(false)
end

-- Starts the node in this worker (worker 0).
function M.start(cfg)
    S.cfg = cfg
    S.members, S.peers, S.reports, S.reads, S.reads_ready = {}, {}, {}, {}, {}
    -- waiting requests by sequence number: writes and conf changes (data = what was proposed)
    -- and reads (ctx = the ReadIndex context), each dropped when its handler has given up
    S.writes, S.conf_waiters = {}, {}
    S.applied, S.snap_index, S.in_cs = 0, 0, false
    S.last_heard = ngx.now()
    for _, id in ipairs(cfg.peer_ids) do S.members[id] = { url = cfg.peer_urls[id], learner = false } end
    local f = io.open(cfg.data .. "/member", "r")
    S.in_config = f ~= nil
    if f then f:close() end
    local ok, err = ngx.timer.at(0, run)
    if not ok then log(ngx.CRIT, "cannot start the raft loop: %s", err) end
end

return M
