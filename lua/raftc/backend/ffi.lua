-- Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
--
-- ffi.lua: the LuaJIT FFI backend: every C call of the Lua binding, one Lua function per raftc.h
-- function with the same signature as the SWIG module (bindings/raftc.i): byte buffers are Lua
-- strings (nil = none), out-parameters become results after the return code, uint64 arrays are
-- 1-based Lua tables (parallel arrays: lists of pairs {a, b}), handles own their C object (ffi.gc) until `*_free`.
-- Loading this file twice gives independent function prototypes: raftc.backend keeps a second
-- copy with JIT compilation off for nodes whose calls may call back into Lua (a Lua logger or
-- storage), as LuaJIT requires for C functions that call back.
local lib = require "raftc.backend.ffi_lib"
local ffi, C = lib.ffi, lib.C
local u64_in, u64_out = lib.u64_in, lib.u64_out

local B = { name = "ffi" }

-- scratch out-parameters (never held across a call that may re-enter the backend)
local pp = ffi.new("const uint8_t *[1]")
local plen = ffi.new("size_t[1]")
local pstr = ffi.new("char *[1]")
local perr = ffi.new("const char *[1]")
local pu64 = ffi.new("uint64_t[3]")
local pint = ffi.new("int[1]")
local ptype = ffi.new("raftc_entry_type[1]")
local pvote = ffi.new("raftc_vote_result[1]")
local pmsg = ffi.new("raftc_msg_type[1]")
local info = ffi.new("uint64_t[32]")
local new_sink = ffi.new("raftc_sink *[1]")
local new_ms = ffi.new("raftc_memstorage *[1]")
local new_cfg = ffi.new("raftc_config *[1]")
local new_node = ffi.new("raftc_node *[1]")
local new_rd = ffi.new("raftc_ready *[1]")
local new_ch = ffi.new("raftc_changer *[1]")
local string_of = ffi.string

local function view(rc)
    if rc ~= 0 then return rc end
    return 0, string_of(pp[0], plen[0])
end

local function heap_string(rc)
    if rc ~= 0 then return rc end
    local s = string_of(pstr[0])
    C.raftc_free(pstr[0])
    return 0, s
end

local function info_table(rc, n)
    if rc ~= 0 then return rc end
    local t = {}
    for i = 0, n - 1 do t[i + 1] = u64_out(info[i]) end
    return 0, t
end

local function u64_array(t)
    local n = #t
    if n == 0 then return nil, 0 end
    local a = ffi.new("uint64_t[?]", n)
    for i = 1, n do a[i - 1] = u64_in(t[i]) end
    return a, n
end

-- (const uint8_t *const *, const size_t *, n) for a list of strings; the strings stay alive as
-- long as the caller holds the list.
local function buffers(list)
    local n = #list
    if n == 0 then return nil, nil, 0 end
    local ptrs = ffi.new("const uint8_t *[?]", n)
    local lens = ffi.new("size_t[?]", n)
    for i = 1, n do
        local s = list[i]
        ptrs[i - 1] = s
        lens[i - 1] = #s
    end
    return ptrs, lens, n
end

-- Two parallel arrays from a list of pairs {a, b}: a as uint64 (or raftc_cc_type when a_int), b as uint64,
-- int or buffer ("u64", "int", "buf"). Buffers: NULL arrays when every one is empty.
local function pairs_arrays(list, a_int, b_kind)
    local n = #list
    if n == 0 then return nil, nil, nil, 0 end
    local a = ffi.new(a_int and "raftc_cc_type[?]" or "uint64_t[?]", n)
    local b, lens
    if b_kind == "buf" then
        b, lens = ffi.new("const uint8_t *[?]", n), ffi.new("size_t[?]", n)
    else
        b = ffi.new(b_kind == "int" and "int[?]" or "uint64_t[?]", n)
    end
    local any = false
    for i = 1, n do
        local p = list[i]
        a[i - 1] = a_int and p[1] or u64_in(p[1])
        if b_kind == "buf" then
            local s = p[2] or ""
            b[i - 1], lens[i - 1] = s, #s
            any = any or #s > 0
        elseif b_kind == "int" then
            b[i - 1] = p[2]
        else
            b[i - 1] = u64_in(p[2])
        end
    end
    if b_kind == "buf" and not any then b, lens = nil, nil end
    return a, b, lens, n
end

local function len(s) if s == nil then return 0 end return #s end

-- ---- library ----
function B.version() return string_of(C.raftc_version()) end
function B.abi_version() return C.raftc_abi_version() end
function B.strerror(code) return string_of(C.raftc_strerror(code)) end
function B.msg_type_name(t) return string_of(C.raftc_msg_type_name(t)) end
function B.entry_type_name(t) return string_of(C.raftc_entry_type_name(t)) end
function B.state_type_name(t) return string_of(C.raftc_state_type_name(t)) end
function B.cc_type_name(t) return string_of(C.raftc_cc_type_name(t)) end
function B.progress_state_name(t) return string_of(C.raftc_progress_state_name(t)) end
function B.vote_result_name(t) return string_of(C.raftc_vote_result_name(t)) end
function B.msg_type_parse(s)
    local rc = C.raftc_msg_type_parse(pmsg, s)
    if rc ~= 0 then return rc end
    return 0, tonumber(pmsg[0])
end
function B.constant(name) return C[name] end

-- ---- sinks ----
function B.sink_new()
    local rc = C.raftc_sink_new(new_sink)
    if rc ~= 0 then return rc end
    return 0, ffi.gc(new_sink[0], C.raftc_sink_free)
end
function B.sink_free(s) ffi.gc(s, nil); C.raftc_sink_free(s) end
function B.sink_reset(s) C.raftc_sink_reset(s) end
function B.sink_put(s, str) return C.raftc_sink_put(s, str, #str) end
function B.sink_count(s) return tonumber(C.raftc_sink_count(s)) end
function B.sink_get(s, i) return view(C.raftc_sink_get(pp, plen, s, i)) end

-- ---- raftpb helpers ----
function B.message_decode(buf) return info_table(C.raftc_message_decode(info, C.RAFTC_MF_COUNT, buf, #buf), C.RAFTC_MF_COUNT) end
function B.message_decode_parts(entries, snapshot, responses, context, buf)
    return C.raftc_message_decode_parts(entries, snapshot, responses, context, buf, #buf)
end
function B.message_strip_responses(out, buf)
    return C.raftc_message_strip_responses(out, buf, #buf)
end
local fields_in = ffi.new("uint64_t[32]")
function B.message_encode(out, fields, entries, snapshot, context)
    local n = #fields
    for i = 1, n do fields_in[i - 1] = u64_in(fields[i]) end
    local ptrs, lens, ne = buffers(entries)
    return C.raftc_message_encode(out, fields_in, n, ptrs, lens, ne, snapshot, len(snapshot),
                                  context, len(context))
end
function B.entry_decode(buf)
    local rc = C.raftc_entry_decode(pu64, pu64 + 1, ptype, pp, plen, buf, #buf)
    if rc ~= 0 then return rc end
    local data = plen[0] > 0 and string_of(pp[0], plen[0]) or ""
    return 0, u64_out(pu64[0]), u64_out(pu64[1]), tonumber(ptype[0]), data
end
function B.entry_encode(out, term, index, typ, data)
    return C.raftc_entry_encode(out, u64_in(term), u64_in(index), typ, data, len(data))
end
function B.hard_state_encode(out, term, vote, commit)
    return C.raftc_hard_state_encode(out, u64_in(term), u64_in(vote), u64_in(commit))
end
function B.hard_state_decode(buf)
    local rc = C.raftc_hard_state_decode(pu64, pu64 + 1, pu64 + 2, buf, #buf)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0]), u64_out(pu64[1]), u64_out(pu64[2])
end
function B.conf_state_encode(out, voters, learners, voters_outgoing, learners_next, auto_leave)
    local v, nv = u64_array(voters)
    local l, nl = u64_array(learners)
    local vo, nvo = u64_array(voters_outgoing)
    local ln, nln = u64_array(learners_next)
    return C.raftc_conf_state_encode(out, v, nv, l, nl, vo, nvo, ln, nln, auto_leave)
end
function B.conf_state_decode(buf, list)
    local rc = C.raftc_conf_state_decode(nil, 0, plen, pint, buf, #buf, list)
    if rc ~= 0 then return rc end
    local n = tonumber(plen[0])
    local ids = ffi.new("uint64_t[?]", n + 1)
    rc = C.raftc_conf_state_decode(ids, n, plen, pint, buf, #buf, list)
    if rc ~= 0 then return rc end
    local t = {}
    for i = 0, n - 1 do t[i + 1] = u64_out(ids[i]) end
    return 0, t, pint[0]
end
function B.snapshot_encode(out, index, term, conf_state, data)
    return C.raftc_snapshot_encode(out, u64_in(index), u64_in(term), conf_state, len(conf_state),
                                   data, len(data))
end
function B.snapshot_decode(conf_state, data, buf)
    local rc = C.raftc_snapshot_decode(pu64, pu64 + 1, conf_state, data, buf, #buf)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0]), u64_out(pu64[1])
end
function B.conf_change_encode(out, typ, node_id, context)
    return C.raftc_conf_change_encode(out, typ, u64_in(node_id), context, len(context))
end
function B.conf_change_v2_encode(out, transition, changes, context)
    local types, ids, _, n = pairs_arrays(changes, true, "u64")
    return C.raftc_conf_change_v2_encode(out, transition, types, ids, n, context, len(context))
end
function B.conf_change_decode_context(out, kind, buf)
    return C.raftc_conf_change_decode_context(out, kind, buf, #buf)
end

-- ---- describe ----
function B.message_describe(buf) return heap_string(C.raftc_message_describe(pstr, buf, #buf)) end
function B.entry_describe(buf) return heap_string(C.raftc_entry_describe(pstr, buf, #buf)) end
function B.entry_describe_list(list)
    local ptrs, lens, n = buffers(list)
    return heap_string(C.raftc_entry_describe_list(pstr, ptrs, lens, n))
end
function B.hard_state_describe(buf)
    return heap_string(C.raftc_hard_state_describe(pstr, buf, #buf))
end
function B.conf_state_describe(buf)
    return heap_string(C.raftc_conf_state_describe(pstr, buf, #buf))
end
function B.snapshot_describe(buf) return heap_string(C.raftc_snapshot_describe(pstr, buf, #buf)) end
function B.soft_state_describe(lead, state)
    return heap_string(C.raftc_soft_state_describe(pstr, u64_in(lead), state))
end

-- ---- memory storage ----
function B.memstorage_new()
    local rc = C.raftc_memstorage_new(new_ms)
    if rc ~= 0 then return rc end
    return 0, ffi.gc(new_ms[0], C.raftc_memstorage_free)
end
function B.memstorage_free(ms) ffi.gc(ms, nil); C.raftc_memstorage_free(ms) end
function B.memstorage_append(ms, list)
    local ptrs, lens, n = buffers(list)
    return C.raftc_memstorage_append(ms, ptrs, lens, n)
end
function B.memstorage_set_hard_state(ms, buf)
    return C.raftc_memstorage_set_hard_state(ms, buf, #buf)
end
function B.memstorage_apply_snapshot(ms, buf)
    return C.raftc_memstorage_apply_snapshot(ms, buf, #buf)
end
function B.memstorage_create_snapshot(out, ms, i, conf_state, data)
    return C.raftc_memstorage_create_snapshot(out, ms, u64_in(i), conf_state, len(conf_state),
                                              data, len(data))
end
function B.memstorage_compact(ms, i) return C.raftc_memstorage_compact(ms, u64_in(i)) end
function B.memstorage_first_index(ms)
    local rc = C.raftc_memstorage_first_index(pu64, ms)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0])
end
function B.memstorage_last_index(ms)
    local rc = C.raftc_memstorage_last_index(pu64, ms)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0])
end
function B.memstorage_term(ms, i)
    local rc = C.raftc_memstorage_term(pu64, ms, u64_in(i))
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0])
end
function B.memstorage_entries(out, ms, lo, hi, max_size)
    return C.raftc_memstorage_entries(out, ms, u64_in(lo), u64_in(hi), u64_in(max_size))
end
function B.memstorage_snapshot(out, ms) return C.raftc_memstorage_snapshot(out, ms) end
function B.memstorage_initial_state(hs, cs, ms) return C.raftc_memstorage_initial_state(hs, cs, ms) end
function B.memstorage_last_error(ms) return string_of(C.raftc_memstorage_last_error(ms)) end

-- ---- disk storage ----
local new_ds = ffi.new("raftc_diskstorage *[1]")
local errbuf = ffi.new("char[512]")
local ds_opts = ffi.new("raftc_diskstorage_options")
function B.diskstorage_open(path, segment_size, sync_policy, async_writes)
    ds_opts.struct_size = ffi.sizeof(ds_opts)
    ds_opts.segment_size = u64_in(segment_size)
    ds_opts.sync_policy = sync_policy
    ds_opts.async_writes = async_writes or 0
    errbuf[0] = 0
    local rc = C.raftc_diskstorage_open(new_ds, errbuf, 512, path, ds_opts)
    if rc ~= 0 then return rc, nil, string_of(errbuf) end
    return 0, ffi.gc(new_ds[0], C.raftc_diskstorage_free)
end
function B.diskstorage_free(ds) ffi.gc(ds, nil); C.raftc_diskstorage_free(ds) end
function B.diskstorage_append(ds, list)
    local ptrs, lens, n = buffers(list)
    return C.raftc_diskstorage_append(ds, ptrs, lens, n)
end
function B.diskstorage_set_hard_state(ds, buf)
    return C.raftc_diskstorage_set_hard_state(ds, buf, #buf)
end
function B.diskstorage_apply_snapshot(ds, buf)
    return C.raftc_diskstorage_apply_snapshot(ds, buf, #buf)
end
function B.diskstorage_create_snapshot(out, ds, i, conf_state, data)
    return C.raftc_diskstorage_create_snapshot(out, ds, u64_in(i), conf_state, len(conf_state),
                                               data, len(data))
end
function B.diskstorage_compact(ds, i) return C.raftc_diskstorage_compact(ds, u64_in(i)) end
function B.diskstorage_sync(ds) return C.raftc_diskstorage_sync(ds) end
-- The borrowed in-memory copy: never freed from Lua (it lives as long as ds).
function B.diskstorage_memstorage(ds)
    local rc = C.raftc_diskstorage_memstorage(new_ms, ds)
    if rc ~= 0 then return rc end
    return 0, new_ms[0]
end
function B.diskstorage_stat(ds, key)
    local rc = C.raftc_diskstorage_stat(pu64, ds, key)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0])
end
function B.diskstorage_submit(ds, buf) return C.raftc_diskstorage_submit(ds, buf, #buf) end
-- take_responses(sink, ds, timeout_ms) -> rc, done
function B.diskstorage_take_responses(s, ds, timeout_ms)
    local rc = C.raftc_diskstorage_take_responses(s, pu64, ds, timeout_ms)
    return rc, u64_out(pu64[0])
end
function B.diskstorage_last_error(ds) return string_of(C.raftc_diskstorage_last_error(ds)) end
function B.diskstorage_save_ready(ds, rd) return C.raftc_diskstorage_save_ready(ds, rd) end
function B.config_set_diskstorage(cfg, ds) return C.raftc_config_set_diskstorage(cfg, ds) end

-- ---- config ----
function B.config_new()
    local rc = C.raftc_config_new(new_cfg)
    if rc ~= 0 then return rc end
    return 0, ffi.gc(new_cfg[0], C.raftc_config_free)
end
function B.config_free(cfg) ffi.gc(cfg, nil); C.raftc_config_free(cfg) end
function B.config_set_u64(cfg, opt, v) return C.raftc_config_set_u64(cfg, opt, u64_in(v)) end
function B.config_set_memstorage(cfg, ms) return C.raftc_config_set_memstorage(cfg, ms) end

-- Hooks: a Lua dispatch function for the logger and/or the storage callbacks of the nodes made
-- from a config (see raftc.storage for the dispatch contract). The hooks object must outlive them.
function B.hooks_new(dispatch)
    local key = lib.register(dispatch)
    return { key = key, ud = ffi.cast("void *", key), cbs = nil }
end
function B.hooks_free(h) lib.unregister(h.key) end
function B.config_set_hooks(cfg, h, logger, storage)
    if logger then
        local rc = C.raftc_config_set_logger(cfg, lib.log_cb, h.ud)
        if rc ~= 0 then return rc end
    end
    if storage then
        local t = ffi.new("raftc_storage_callbacks")
        t.struct_size = ffi.sizeof("raftc_storage_callbacks")
        t.ud = h.ud
        local cb = lib.storage_cbs
        t.initial_state, t.entries, t.term = cb.initial_state, cb.entries, cb.term
        t.first_index, t.last_index, t.snapshot = cb.first_index, cb.last_index, cb.snapshot
        return C.raftc_config_set_storage_callbacks(cfg, t)
    end
    return 0
end

-- ---- node ----
function B.node_new(cfg)
    local rc = C.raftc_node_new(new_node, perr, cfg)
    if rc ~= 0 then
        return rc, nil, perr[0] ~= nil and string_of(perr[0]) or ""
    end
    return 0, ffi.gc(new_node[0], C.raftc_node_free)
end
function B.node_free(node) ffi.gc(node, nil); C.raftc_node_free(node) end
function B.node_last_error(node) return string_of(C.raftc_node_last_error(node)) end
function B.node_is_failed(node) return C.raftc_node_is_failed(node) end
function B.node_bootstrap(node, peers)
    local ids, ptrs, lens, n = pairs_arrays(peers, false, "buf")
    return C.raftc_node_bootstrap(node, ids, ptrs, lens, n)
end
function B.node_tick(node) return C.raftc_node_tick(node) end
function B.node_campaign(node) return C.raftc_node_campaign(node) end
function B.node_propose(node, data) return C.raftc_node_propose(node, data, #data) end
function B.node_propose_list(node, list)
    local ptrs, lens, n = buffers(list)
    return C.raftc_node_propose_list(node, ptrs, lens, n)
end
function B.node_propose_conf_change(node, kind, buf)
    return C.raftc_node_propose_conf_change(node, kind, buf, #buf)
end
function B.node_apply_conf_change(out, node, kind, buf)
    return C.raftc_node_apply_conf_change(out, node, kind, buf, #buf)
end
function B.node_step(node, buf) return C.raftc_node_step(node, buf, #buf) end
function B.node_has_ready(node) return C.raftc_node_has_ready(node) end
function B.node_ready(node)
    local rc = C.raftc_node_ready(new_rd, node)
    if rc ~= 0 then return rc end
    return 0, new_rd[0]
end
function B.node_advance(node) return C.raftc_node_advance(node) end
function B.node_status_info(node) return info_table(C.raftc_node_status_info(info, C.RAFTC_ST_COUNT, node), C.RAFTC_ST_COUNT) end
function B.node_status_progress(node) return heap_string(C.raftc_node_status_progress(pstr, node)) end
function B.node_status_config(node) return heap_string(C.raftc_node_status_config(pstr, node)) end
function B.node_conf_state(out, node) return C.raftc_node_conf_state(out, node) end
function B.node_progress_ids(node)
    local rc = C.raftc_node_progress_ids(nil, 0, plen, node)
    if rc ~= 0 then return rc end
    local n = tonumber(plen[0])
    local ids = ffi.new("uint64_t[?]", n + 1)
    rc = C.raftc_node_progress_ids(ids, n, plen, node)
    if rc ~= 0 then return rc end
    local t = {}
    for i = 0, n - 1 do t[i + 1] = u64_out(ids[i]) end
    return 0, t
end
function B.node_progress_info(node, id)
    return info_table(C.raftc_node_progress_info(info, C.RAFTC_PR_COUNT, node, u64_in(id)), C.RAFTC_PR_COUNT)
end
function B.node_read_index(node, ctx) return C.raftc_node_read_index(node, ctx, #ctx) end
function B.node_transfer_leader(node, id) return C.raftc_node_transfer_leader(node, u64_in(id)) end
function B.node_forget_leader(node) return C.raftc_node_forget_leader(node) end
function B.node_report_unreachable(node, id)
    return C.raftc_node_report_unreachable(node, u64_in(id))
end
function B.node_report_snapshot(node, id, status)
    return C.raftc_node_report_snapshot(node, u64_in(id), status)
end
function B.testing_control(node, op, value)
    return C.raftc_testing_control(node, op, u64_in(value))
end

-- ---- ready ----
function B.ready_info(rd) return info_table(C.raftc_ready_info(info, C.RAFTC_RD_COUNT, rd), C.RAFTC_RD_COUNT) end
function B.ready_entry(rd, i) return view(C.raftc_ready_entry(pp, plen, rd, i)) end
function B.ready_committed_entry(rd, i) return view(C.raftc_ready_committed_entry(pp, plen, rd, i)) end
function B.ready_message(rd, i) return view(C.raftc_ready_message(pp, plen, rd, i)) end
function B.ready_hard_state(rd) return view(C.raftc_ready_hard_state(pp, plen, rd)) end
function B.ready_snapshot(rd) return view(C.raftc_ready_snapshot(pp, plen, rd)) end
function B.ready_read_state(rd, i)
    local rc = C.raftc_ready_read_state(pu64, pp, plen, rd, i)
    if rc ~= 0 then return rc end
    local ctx = plen[0] > 0 and string_of(pp[0], plen[0]) or ""
    return 0, u64_out(pu64[0]), ctx
end
function B.ready_describe(rd) return heap_string(C.raftc_ready_describe(pstr, rd)) end

-- ---- tools ----
function B.quorum_committed(incoming, outgoing, acked)
    local inc, ninc = u64_array(incoming)
    local out, nout = u64_array(outgoing)
    local ids, idx, _, n = pairs_arrays(acked, false, "u64")
    local rc = C.raftc_quorum_committed(pu64, inc, ninc, out, nout, ids, idx, n)
    if rc ~= 0 then return rc end
    return 0, u64_out(pu64[0])
end
function B.quorum_describe(incoming, outgoing, acked)
    local inc, ninc = u64_array(incoming)
    local out, nout = u64_array(outgoing)
    local ids, idx, _, n = pairs_arrays(acked, false, "u64")
    return heap_string(C.raftc_quorum_describe(pstr, inc, ninc, out, nout, ids, idx, n))
end
function B.quorum_vote_result(incoming, outgoing, votes)
    local inc, ninc = u64_array(incoming)
    local out, nout = u64_array(outgoing)
    local ids, granted, _, n = pairs_arrays(votes, false, "int")
    local rc = C.raftc_quorum_vote_result(pvote, inc, ninc, out, nout, ids, granted, n)
    if rc ~= 0 then return rc end
    return 0, tonumber(pvote[0])
end
function B.changer_new(max_inflight, max_inflight_bytes)
    local rc = C.raftc_changer_new(new_ch, u64_in(max_inflight), u64_in(max_inflight_bytes))
    if rc ~= 0 then return rc end
    return 0, ffi.gc(new_ch[0], C.raftc_changer_free)
end
function B.changer_free(ch) ffi.gc(ch, nil); C.raftc_changer_free(ch) end
function B.changer_set_last_index(ch, i) return C.raftc_changer_set_last_index(ch, u64_in(i)) end
function B.changer_simple(ch, changes)
    local types, ids, _, n = pairs_arrays(changes, true, "u64")
    return C.raftc_changer_simple(ch, types, ids, n)
end
function B.changer_enter_joint(ch, auto_leave, changes)
    local types, ids, _, n = pairs_arrays(changes, true, "u64")
    return C.raftc_changer_enter_joint(ch, auto_leave, types, ids, n)
end
function B.changer_leave_joint(ch) return C.raftc_changer_leave_joint(ch) end
function B.changer_restore(ch, buf) return C.raftc_changer_restore(ch, buf, #buf) end
function B.changer_last_error(ch) return string_of(C.raftc_changer_last_error(ch)) end
function B.changer_describe(ch) return heap_string(C.raftc_changer_describe(pstr, ch)) end
function B.changer_conf_state(out, ch) return C.raftc_changer_conf_state(out, ch) end

return B
