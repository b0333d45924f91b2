/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc.i: the SWIG interface of the Lua binding's C module `raftc_swig` (PUC Lua 5.4; it builds
 * and loads in LuaJIT too). It wraps the preprocessor-free declarations bindings/raftc_decls.h
 * (generated from capi/raftc.h) with typemaps that give every function the Lua signature the
 * LuaJIT FFI backend (lua/raftc/backend/ffi.lua) gives it too:
 *   - (const uint8_t *p, size_t n) byte buffers are Lua strings (nil = NULL, 0);
 *   - out-parameters become results after the return code: views (const uint8_t **, size_t *)
 *     and heap strings (char **, released with raftc_free) as strings, uint64_t * / int * as
 *     integers, uint64_t info arrays as 1-based tables, new handles as owned objects;
 *   - uint64_t arrays and lists of buffers are 1-based Lua tables; parallel arrays (ids with
 *     indexes, votes, contexts; conf change types with node ids) are lists of pairs {a, b};
 *   - uint64_t values are Lua integers with the same 64 bits (two's complement: UINT64_MAX is
 *     -1); under LuaJIT (double numbers) a value outside [-2^53, 2^53] raises instead of rounding.
 * Function names lose the raftc_ prefix (raftc_node_step -> node_step). Handles are freed by the
 * garbage collector or at once with release(handle) (the *_free functions are not wrapped).
 * Hooks (hooks_new / config_set_hooks) route the logger and storage callbacks to a Lua dispatch
 * function, as lua/raftc/backend/ffi_lib.lua does for the FFI backend.
 *
 * Build: swig -lua -o raftc_swig_wrap.c bindings/raftc.i (tools/build-lua.sh).
 */
%module raftc_swig

%{
#include <stdint.h>
#include <string.h>
#include "raftc.h"
%}

%rename("%(strip:[raftc_])s") "";

/* ---- numbers ---- */
%{
#if LUA_VERSION_NUM >= 503
static int rlua_isu64(lua_State *L, int i) { int ok; (void)lua_tointegerx(L, i, &ok); return ok; }
static uint64_t rlua_tou64(lua_State *L, int i)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, i, &ok);
    if (!ok)
        luaL_error(L, "raftc: argument %d must be an integer", i);
    return (uint64_t)v;
}
static void rlua_pushu64(lua_State *L, uint64_t v) { lua_pushinteger(L, (lua_Integer)v); }
#else
#define RLUA_EXACT 9007199254740992.0 /* 2^53 */
static int rlua_isu64(lua_State *L, int i)
{
    lua_Number d;
    if (!lua_isnumber(L, i))
        return 0;
    d = lua_tonumber(L, i);
    return d == (lua_Number)(int64_t)d && d <= RLUA_EXACT && d >= -RLUA_EXACT;
}
static uint64_t rlua_tou64(lua_State *L, int i)
{
    if (!rlua_isu64(L, i))
        luaL_error(L, "raftc: argument %d must be an integer within +-2^53", i);
    return (uint64_t)(int64_t)lua_tonumber(L, i);
}
static void rlua_pushu64(lua_State *L, uint64_t v)
{
    int64_t s = (int64_t)v;
    if (s > (int64_t)RLUA_EXACT || s < -(int64_t)RLUA_EXACT)
        luaL_error(L, "raftc: uint64 value %llu cannot be represented exactly as a Lua number",
                   (unsigned long long)v);
    lua_pushnumber(L, (lua_Number)s);
}
#endif

static const char *rlua_buffer(lua_State *L, int i, size_t *len)
{
    if (lua_isnoneornil(L, i)) {
        *len = 0;
        return NULL;
    }
    return luaL_checklstring(L, i, len);
}

/* A uint64_t array from the 1-based table at i; its memory is a userdata left on the stack top
 * (collected with the call's stack). */
static uint64_t *rlua_u64_array(lua_State *L, int i, size_t *n)
{
    size_t k, len;
    uint64_t *a;
    luaL_checktype(L, i, LUA_TTABLE);
    len = (size_t)lua_rawlen(L, i);
    a = (uint64_t *)lua_newuserdata(L, (len ? len : 1) * sizeof(uint64_t));
    for (k = 0; k < len; k++) {
        lua_rawgeti(L, i, (int)k + 1);
        a[k] = rlua_tou64(L, lua_gettop(L));
        lua_pop(L, 1);
    }
    *n = len;
    return len ? a : NULL;
}

static int *rlua_int_array(lua_State *L, int i, size_t *n)
{
    size_t k, len;
    int *a;
    luaL_checktype(L, i, LUA_TTABLE);
    len = (size_t)lua_rawlen(L, i);
    a = (int *)lua_newuserdata(L, (len ? len : 1) * sizeof(int));
    for (k = 0; k < len; k++) {
        lua_rawgeti(L, i, (int)k + 1);
        a[k] = (int)luaL_checkinteger(L, -1);
        lua_pop(L, 1);
    }
    *n = len;
    return len ? a : NULL;
}

/* Pointers and lengths of the strings in the 1-based table at i (the strings stay referenced by
 * the table; the arrays are userdata on the stack). */
static void rlua_buffers(lua_State *L, int i, const uint8_t ***ptrs, size_t **lens, size_t *n)
{
    size_t k, len;
    luaL_checktype(L, i, LUA_TTABLE);
    len = (size_t)lua_rawlen(L, i);
    *ptrs = (const uint8_t **)lua_newuserdata(L, (len ? len : 1) * sizeof(uint8_t *));
    *lens = (size_t *)lua_newuserdata(L, (len ? len : 1) * sizeof(size_t));
    for (k = 0; k < len; k++) {
        lua_rawgeti(L, i, (int)k + 1);
        (*ptrs)[k] = (const uint8_t *)luaL_checklstring(L, -1, &(*lens)[k]);
        lua_pop(L, 1);
    }
    *n = len;
    if (!len) {
        *ptrs = NULL;
        *lens = NULL;
    }
}

static void rlua_push_u64_table(lua_State *L, const uint64_t *a, size_t n)
{
    size_t k;
    lua_createtable(L, (int)n, 0);
    for (k = 0; k < n; k++) {
        rlua_pushu64(L, a[k]);
        lua_rawseti(L, -2, (int)k + 1);
    }
}
%}

%typemap(in, checkfn="rlua_isu64") uint64_t { $1 = rlua_tou64(L, $input); }
%typemap(out) uint64_t { rlua_pushu64(L, $1); SWIG_arg++; }
%typemap(out) int { lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++; }
%typemap(out) size_t { lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++; }
%typemap(in, checkfn="lua_isnumber") int { $1 = (int)luaL_checkinteger(L, $input); }
%typemap(in, checkfn="lua_isnumber") size_t { $1 = (size_t)luaL_checkinteger(L, $input); }

/* ---- byte buffers in: Lua strings ---- */
%typemap(in) (const uint8_t *buf, size_t len) {
    size_t n_;
    $1 = ($1_ltype)rlua_buffer(L, $input, &n_);
    $2 = n_;
}
%apply (const uint8_t *buf, size_t len) {
    (const uint8_t *data, size_t len), (const uint8_t *ctx, size_t len),
    (const uint8_t *data, size_t data_len), (const uint8_t *snapshot, size_t snapshot_len),
    (const uint8_t *context, size_t context_len), (const uint8_t *conf_state, size_t conf_state_len),
    (const uint8_t *conf_state, size_t len)
};
%typemap(in, checkfn="lua_isstring") (const void *p, size_t len) {
    size_t n_;
    $1 = ($1_ltype)luaL_checklstring(L, $input, &n_);
    $2 = n_;
}

/* ---- lists of buffers in: tables of strings ---- */
%typemap(in, checkfn="lua_istable") (const uint8_t *const *ents, const size_t *lens, size_t n) {
    const uint8_t **p_; size_t *l_; size_t n_;
    rlua_buffers(L, $input, &p_, &l_, &n_);
    $1 = ($1_ltype)p_; $2 = ($2_ltype)l_; $3 = n_;
}
%apply (const uint8_t *const *ents, const size_t *lens, size_t n) {
    (const uint8_t *const *entries, const size_t *entry_lens, size_t n_entries)
};
%apply (const uint8_t *const *ents, const size_t *lens, size_t n) {
    (const uint8_t *const *datas, const size_t *lens, size_t n)
};

/* ---- uint64 arrays in: tables ---- */
%typemap(in, checkfn="lua_istable") (const uint64_t *voters, size_t n_voters) {
    size_t n_;
    $1 = ($1_ltype)rlua_u64_array(L, $input, &n_);
    $2 = n_;
}
%apply (const uint64_t *voters, size_t n_voters) {
    (const uint64_t *learners, size_t n_learners),
    (const uint64_t *voters_outgoing, size_t n_voters_outgoing),
    (const uint64_t *learners_next, size_t n_learners_next),
    (const uint64_t *incoming, size_t n_incoming), (const uint64_t *outgoing, size_t n_outgoing),
    (const uint64_t *info, size_t n)
};
/* lists of pairs: { {a1, b1}, {a2, b2}, ... } feed two parallel C arrays (a context may be
 * absent: NULL arrays when no pair has one) */
%{
static void rlua_pairs(lua_State *L, int i, uint64_t **a64, int **aint, int first_u64,
                       uint64_t **b64, int **bint, const uint8_t ***bbuf, size_t **blen,
                       size_t *n)
{
    size_t k, len;
    int any_buf = 0;
    luaL_checktype(L, i, LUA_TTABLE);
    len = (size_t)lua_rawlen(L, i);
    if (first_u64)
        *a64 = (uint64_t *)lua_newuserdata(L, (len ? len : 1) * sizeof(uint64_t));
    else
        *aint = (int *)lua_newuserdata(L, (len ? len : 1) * sizeof(int));
    if (b64)
        *b64 = (uint64_t *)lua_newuserdata(L, (len ? len : 1) * sizeof(uint64_t));
    if (bint)
        *bint = (int *)lua_newuserdata(L, (len ? len : 1) * sizeof(int));
    if (bbuf) {
        *bbuf = (const uint8_t **)lua_newuserdata(L, (len ? len : 1) * sizeof(uint8_t *));
        *blen = (size_t *)lua_newuserdata(L, (len ? len : 1) * sizeof(size_t));
    }
    for (k = 0; k < len; k++) {
        int top;
        lua_rawgeti(L, i, (int)k + 1);
        luaL_checktype(L, -1, LUA_TTABLE);
        top = lua_gettop(L);
        lua_rawgeti(L, top, 1);
        lua_rawgeti(L, top, 2);
        if (first_u64)
            (*a64)[k] = rlua_tou64(L, top + 1);
        else
            (*aint)[k] = (int)luaL_checkinteger(L, top + 1);
        if (b64)
            (*b64)[k] = rlua_tou64(L, top + 2);
        if (bint)
            (*bint)[k] = (int)luaL_checkinteger(L, top + 2);
        if (bbuf) {
            (*bbuf)[k] = (const uint8_t *)rlua_buffer(L, top + 2, &(*blen)[k]);
            if ((*bbuf)[k] == NULL)
                (*bbuf)[k] = (const uint8_t *)"";
            any_buf |= (*blen)[k] != 0;
        }
        lua_settop(L, top - 1); /* the strings stay referenced by the caller's table */
    }
    *n = len;
    if (bbuf && !any_buf) {
        *bbuf = NULL;
        *blen = NULL;
    }
}
%}
%typemap(in, checkfn="lua_istable") (const uint64_t *acked_ids, const uint64_t *acked_indexes, size_t n_acked) {
    uint64_t *a_, *b_; size_t n_;
    rlua_pairs(L, $input, &a_, NULL, 1, &b_, NULL, NULL, NULL, &n_);
    $1 = ($1_ltype)(n_ ? a_ : NULL); $2 = ($2_ltype)(n_ ? b_ : NULL); $3 = n_;
}
%typemap(in, checkfn="lua_istable") (const uint64_t *vote_ids, const int *granted, size_t n_votes) {
    uint64_t *a_; int *b_; size_t n_;
    rlua_pairs(L, $input, &a_, NULL, 1, NULL, &b_, NULL, NULL, &n_);
    $1 = ($1_ltype)(n_ ? a_ : NULL); $2 = ($2_ltype)(n_ ? b_ : NULL); $3 = n_;
}
%typemap(in, checkfn="lua_istable") (const raftc_cc_type *types, const uint64_t *node_ids, size_t n) {
    int *a_; uint64_t *b_; size_t n_;
    rlua_pairs(L, $input, NULL, &a_, 0, &b_, NULL, NULL, NULL, &n_);
    $1 = ($1_ltype)(n_ ? a_ : NULL); $2 = ($2_ltype)(n_ ? b_ : NULL); $3 = n_;
}
%typemap(in, checkfn="lua_istable") (const uint64_t *ids, const uint8_t *const *contexts,
                           const size_t *context_lens, size_t n) {
    uint64_t *a_; const uint8_t **p_; size_t *l_; size_t n_;
    rlua_pairs(L, $input, &a_, NULL, 1, NULL, NULL, &p_, &l_, &n_);
    $1 = ($1_ltype)(n_ ? a_ : NULL); $2 = ($2_ltype)p_; $3 = ($3_ltype)l_; $4 = n_;
}

/* ---- out-parameters: results after the return code ---- */
%typemap(in, numinputs=0) (const uint8_t **buf, size_t *len) (const uint8_t *p_ = NULL, size_t n_ = 0) {
    $1 = ($1_ltype)&p_; $2 = &n_;
}
%typemap(argout) (const uint8_t **buf, size_t *len) {
    if (*$1) lua_pushlstring(L, (const char *)*$1, *$2); else lua_pushliteral(L, "");
    SWIG_arg++;
}
%apply (const uint8_t **buf, size_t *len) {
    (const uint8_t **p, size_t *len), (const uint8_t **data, size_t *data_len),
    (const uint8_t **ctx, size_t *ctx_len)
};
%typemap(in, numinputs=0) char **out (char *s_ = NULL) { $1 = &s_; }
%typemap(argout) char **out {
    if (*$1) { lua_pushstring(L, *$1); raftc_free(*$1); } else lua_pushnil(L);
    SWIG_arg++;
}
%typemap(in, numinputs=0) const char **err (const char *s_ = NULL) { $1 = ($1_ltype)&s_; }
%typemap(argout) const char **err {
    if (*$1) lua_pushstring(L, *$1); else lua_pushnil(L);
    SWIG_arg++;
}
%typemap(in, numinputs=0) uint64_t * (uint64_t v_ = 0) { $1 = &v_; }
%typemap(argout) uint64_t * { rlua_pushu64(L, *$1); SWIG_arg++; }
%typemap(in, numinputs=0) int * (int v_ = 0) { $1 = &v_; }
%typemap(argout) int * { lua_pushinteger(L, *$1); SWIG_arg++; }
/* SWIG would otherwise match the out-parameter typemaps above to const (input) arrays too */
%typemap(argout) const uint64_t * ""
%typemap(argout) const int * ""
/* enum out-parameters: integers */
%typemap(in, numinputs=0) raftc_entry_type * (raftc_entry_type v_ = RAFTC_ENTRY_NORMAL) { $1 = &v_; }
%typemap(argout) raftc_entry_type * { lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++; }
%typemap(in, numinputs=0) raftc_vote_result * (raftc_vote_result v_ = RAFTC_VOTE_PENDING) { $1 = &v_; }
%typemap(argout) raftc_vote_result * { lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++; }
%typemap(in, numinputs=0) raftc_msg_type * (raftc_msg_type v_ = RAFTC_MSG_HUP) { $1 = &v_; }
%typemap(argout) raftc_msg_type * { lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++; }
%typemap(argout) const raftc_cc_type * ""
/* info arrays: every field, as a 1-based table */
%typemap(in, numinputs=0) (uint64_t *info, size_t n) (uint64_t a_[32]) {
    memset(a_, 0, sizeof a_);
    $1 = a_; $2 = 32;
}
%typemap(argout) (uint64_t *info, size_t n) { rlua_push_u64_table(L, $1, 32); SWIG_arg++; }

/* ---- handles: owned objects (collected, or release(h)) ---- */
%define RLUA_HANDLE(T, FREE)
%nodefaultctor T;
struct T {};
%extend T { ~T() { FREE($self); } }
%typemap(in, numinputs=0) T **out (T *h_ = NULL) { $1 = &h_; }
%typemap(argout) T **out {
    if (*$1) SWIG_NewPointerObj(L, *$1, $*1_descriptor, 1); else lua_pushnil(L);
    SWIG_arg++;
}
%ignore FREE;
%enddef
RLUA_HANDLE(raftc_sink, raftc_sink_free)
RLUA_HANDLE(raftc_memstorage, raftc_memstorage_free)
RLUA_HANDLE(raftc_config, raftc_config_free)
RLUA_HANDLE(raftc_node, raftc_node_free)
RLUA_HANDLE(raftc_changer, raftc_changer_free)
RLUA_HANDLE(raftc_diskstorage, raftc_diskstorage_free)
/* a Ready is a view owned by its node: never freed from Lua */
%typemap(in, numinputs=0) raftc_ready **out (raftc_ready *h_ = NULL) { $1 = &h_; }
%typemap(argout) raftc_ready **out {
    if (*$1) SWIG_NewPointerObj(L, *$1, $*1_descriptor, 0); else lua_pushnil(L);
    SWIG_arg++;
}

/* Not wrapped: allocator hooks, raw callbacks (see hooks below), and the fast paths the Lua
 * layer does not use. */
%ignore raftc_set_allocator;
%ignore raftc_free;
%ignore raftc_storage_callbacks;
%ignore raftc_config_set_logger;
%ignore raftc_config_set_storage_callbacks;
%ignore raftc_config_set_bool;
%ignore raftc_config_get_u64;
%ignore raftc_message_decode_entries;
%ignore raftc_ready_entry_info;
%ignore raftc_ready_committed_entry_info;
%ignore raftc_ready_message_info;
%ignore raftc_memstorage_append_ready;
%ignore raftc_memstorage_set_hard_state_fields;
%ignore raftc_conf_state_decode;
%ignore raftc_node_progress_ids;
%ignore raftc_diskstorage_open;        /* hand-written below: options and the error text */
%ignore raftc_diskstorage_memstorage;  /* hand-written below: a borrowed handle */
%ignore raftc_node_ready_packed;
/* Zero-copy calls: a Lua string cannot be lent to the library (no release hook), and the
 * parts of a message are views a Lua host would copy anyway (raftc_ready_message). */
%ignore raftc_release_fn;
%ignore raftc_node_propose_shared;
%ignore raftc_node_step_shared;
%ignore raftc_ready_message_parts;
%ignore raftc_diskstorage_options;
/* The multi-raft host (raftc_host_*, raftc_batch_*) is not wrapped for Lua: its group
 * lookup hands out a node the host owns, which this module's handles would free. */
%ignore raftc_host_new;
%ignore raftc_host_free;
%ignore raftc_host_last_error;
%ignore raftc_host_set_quiesce;
%ignore raftc_host_add_group;
%ignore raftc_host_load_group;
%ignore raftc_hoststore_open;
%ignore raftc_hoststore_free;
%ignore raftc_hoststore_load;
%ignore raftc_hoststore_save;
%ignore raftc_hoststore_create_snapshot;
%ignore raftc_hoststore_remove_group;
%ignore raftc_hoststore_info;
%ignore raftc_hoststore_last_error;
%ignore raftc_host_create_snapshot;
%ignore raftc_host_compact;
%ignore raftc_host_remove_group;
%ignore raftc_host_group;
%ignore raftc_host_group_count;
%ignore raftc_host_tick;
%ignore raftc_host_propose;
%ignore raftc_host_campaign;
%ignore raftc_host_step;
%ignore raftc_host_wake_group;
%ignore raftc_host_wake_peer;
%ignore raftc_host_info;
%ignore raftc_host_has_ready;
%ignore raftc_host_ready;
%ignore raftc_batch_group_count;
%ignore raftc_batch_group;
%ignore raftc_batch_envelope_count;
%ignore raftc_batch_envelope;
%ignore raftc_host_advance;

%include "raftc_decls.h"

/* ---- hand-written functions ---- */
%{
/* release(h): frees a handle now (its collection then does nothing); later calls with it pass
 * NULL, which every raftc function refuses with RAFTC_EINVAL. */
static int rlua_release(lua_State *L)
{
    swig_lua_userdata *u = (swig_lua_userdata *)lua_touserdata(L, 1);
    if (u && u->ptr && u->own && u->type && u->type->clientdata) {
        swig_lua_class *cls = (swig_lua_class *)u->type->clientdata;
        if (cls->destructor)
            cls->destructor(u->ptr);
    }
    if (u) {
        u->ptr = NULL;
        u->own = 0;
    }
    return 0;
}

/* conf_state_decode(buf, list) -> rc, ids, auto_leave */
static int rlua_conf_state_decode(lua_State *L)
{
    size_t len, n = 0;
    int auto_leave = 0, rc;
    const uint8_t *buf = (const uint8_t *)rlua_buffer(L, 1, &len);
    raftc_conf_state_list list = (raftc_conf_state_list)luaL_checkinteger(L, 2);
    uint64_t *ids;
    rc = raftc_conf_state_decode(NULL, 0, &n, &auto_leave, buf, len, list);
    if (rc != 0) {
        lua_pushinteger(L, rc);
        return 1;
    }
    ids = (uint64_t *)lua_newuserdata(L, (n ? n : 1) * sizeof(uint64_t));
    rc = raftc_conf_state_decode(ids, n, &n, &auto_leave, buf, len, list);
    lua_pushinteger(L, rc);
    rlua_push_u64_table(L, ids, rc == 0 ? n : 0);
    lua_pushinteger(L, auto_leave);
    return 3;
}

/* node_progress_ids(node) -> rc, ids */
static int rlua_node_progress_ids(lua_State *L)
{
    raftc_node *node = NULL;
    size_t n = 0;
    uint64_t *ids;
    int rc;
    if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&node, SWIGTYPE_p_raftc_node, 0)))
        return luaL_error(L, "raftc: node_progress_ids needs a node");
    rc = raftc_node_progress_ids(NULL, 0, &n, node);
    if (rc != 0) {
        lua_pushinteger(L, rc);
        return 1;
    }
    ids = (uint64_t *)lua_newuserdata(L, (n ? n : 1) * sizeof(uint64_t));
    rc = raftc_node_progress_ids(ids, n, &n, node);
    lua_pushinteger(L, rc);
    rlua_push_u64_table(L, ids, rc == 0 ? n : 0);
    return 2;
}

/* Hooks: the ud of the logger and storage callbacks. A dedicated Lua thread runs the dispatch
 * function (it is never running when a callback comes: node calls are made from other
 * threads), and errors are caught there: nothing unwinds through the library's C frames. */
typedef struct rlua_hooks {
    lua_State *T;   /* the callback thread */
    int thread_ref; /* registry refs keeping it and the dispatch function alive */
    int fn_ref;
} rlua_hooks;

static int rlua_hooks_gc(lua_State *L)
{
    rlua_hooks *h = (rlua_hooks *)lua_touserdata(L, 1);
    if (h && h->T) {
        luaL_unref(L, LUA_REGISTRYINDEX, h->fn_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, h->thread_ref);
        h->T = NULL;
    }
    return 0;
}

/* hooks_new(dispatch) -> hooks */
static int rlua_hooks_new(lua_State *L)
{
    rlua_hooks *h;
    luaL_checktype(L, 1, LUA_TFUNCTION);
    h = (rlua_hooks *)lua_newuserdata(L, sizeof *h);
    memset(h, 0, sizeof *h);
    if (luaL_newmetatable(L, "raftc_swig.hooks")) {
        lua_pushcfunction(L, rlua_hooks_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    h->T = lua_newthread(L);
    h->thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, 1);
    h->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 1;
}

/* Calls dispatch(kind, ...) with nargs arguments already pushed on T after the function;
 * returns the rc it gave (RAFTC_ESTORAGE on error), its other results left on T. */
static int rlua_dispatch(rlua_hooks *h, int nargs, int nresults)
{
    lua_State *T = h->T;
    int rc;
    if (lua_pcall(T, nargs + 1, nresults + 1, 0) != 0) {
        lua_settop(T, 0);
        return RAFTC_ESTORAGE;
    }
    rc = (int)lua_tointeger(T, -(nresults + 1));
    return rc;
}

static void rlua_begin(rlua_hooks *h, const char *kind)
{
    lua_settop(h->T, 0);
    lua_rawgeti(h->T, LUA_REGISTRYINDEX, h->fn_ref);
    lua_pushstring(h->T, kind);
}

static int rlua_put(lua_State *T, int i, raftc_sink *s)
{
    size_t n;
    const char *p;
    if (lua_type(T, i) != LUA_TSTRING)
        return RAFTC_ESTORAGE;
    p = lua_tolstring(T, i, &n);
    return raftc_sink_put(s, p, n);
}

static int rlua_u64_result(lua_State *T, int i, uint64_t *out)
{
#if LUA_VERSION_NUM >= 503
    int ok;
    lua_Integer v = lua_tointegerx(T, i, &ok);
    if (!ok)
        return RAFTC_ESTORAGE;
    *out = (uint64_t)v;
#else
    if (!rlua_isu64(T, i))
        return RAFTC_ESTORAGE;
    *out = (uint64_t)(int64_t)lua_tonumber(T, i);
#endif
    return 0;
}

/* Pushes a uint64 argument for the dispatch function (an error pushes nothing: 0 returned). */
static int rlua_push_arg(lua_State *T, uint64_t v)
{
#if LUA_VERSION_NUM >= 503
    lua_pushinteger(T, (lua_Integer)v);
    return 1;
#else
    int64_t s = (int64_t)v;
    if (s > (int64_t)RLUA_EXACT || s < -(int64_t)RLUA_EXACT)
        return 0;
    lua_pushnumber(T, (lua_Number)s);
    return 1;
#endif
}

static void rlua_cb_log(void *ud, raftc_log_level level, const char *msg, size_t len)
{
    rlua_hooks *h = (rlua_hooks *)ud;
    if (!h->T)
        return;
    rlua_begin(h, "log");
    lua_pushinteger(h->T, (lua_Integer)level);
    lua_pushlstring(h->T, msg, len);
    (void)rlua_dispatch(h, 2, 0);
    lua_settop(h->T, 0);
}

static int rlua_cb_initial_state(void *ud, raftc_sink *hs, raftc_sink *cs)
{
    rlua_hooks *h = (rlua_hooks *)ud;
    int rc;
    rlua_begin(h, "initial_state");
    rc = rlua_dispatch(h, 0, 2);
    if (rc == 0)
        rc = rlua_put(h->T, -2, hs);
    if (rc == 0)
        rc = rlua_put(h->T, -1, cs);
    lua_settop(h->T, 0);
    return rc;
}

static int rlua_cb_entries(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size)
{
    rlua_hooks *h = (rlua_hooks *)ud;
    int rc, k, n;
    rlua_begin(h, "entries");
    /* max_size is a byte budget: one beyond 2^53 is no limit (UINT64_MAX, -1 in Lua) */
    if (max_size > ((uint64_t)1 << 53))
        max_size = UINT64_MAX;
    if (!rlua_push_arg(h->T, lo) || !rlua_push_arg(h->T, hi) || !rlua_push_arg(h->T, max_size)) {
        lua_settop(h->T, 0);
        return RAFTC_ESTORAGE;
    }
    rc = rlua_dispatch(h, 3, 1);
    if (rc == 0) {
        if (lua_type(h->T, -1) != LUA_TTABLE) {
            rc = RAFTC_ESTORAGE;
        } else {
            n = (int)lua_rawlen(h->T, -1);
            for (k = 1; k <= n && rc == 0; k++) {
                lua_rawgeti(h->T, -1, k);
                rc = rlua_put(h->T, -1, out);
                lua_pop(h->T, 1);
            }
        }
    }
    lua_settop(h->T, 0);
    return rc;
}

static int rlua_cb_u64(rlua_hooks *h, const char *kind, int has_arg, uint64_t arg, uint64_t *out)
{
    int rc;
    rlua_begin(h, kind);
    if (has_arg && !rlua_push_arg(h->T, arg)) {
        lua_settop(h->T, 0);
        return RAFTC_ESTORAGE;
    }
    rc = rlua_dispatch(h, has_arg, 1);
    if (rc == 0)
        rc = rlua_u64_result(h->T, -1, out);
    lua_settop(h->T, 0);
    return rc;
}

static int rlua_cb_term(void *ud, uint64_t *term, uint64_t i)
{
    return rlua_cb_u64((rlua_hooks *)ud, "term", 1, i, term);
}

static int rlua_cb_first_index(void *ud, uint64_t *index)
{
    return rlua_cb_u64((rlua_hooks *)ud, "first_index", 0, 0, index);
}

static int rlua_cb_last_index(void *ud, uint64_t *index)
{
    return rlua_cb_u64((rlua_hooks *)ud, "last_index", 0, 0, index);
}

static int rlua_cb_snapshot(void *ud, raftc_sink *out)
{
    rlua_hooks *h = (rlua_hooks *)ud;
    int rc;
    rlua_begin(h, "snapshot");
    rc = rlua_dispatch(h, 0, 1);
    if (rc == 0)
        rc = rlua_put(h->T, -1, out);
    lua_settop(h->T, 0);
    return rc;
}

/* diskstorage_open(path, segment_size, sync_policy[, async_writes]) -> rc, ds (owned) or
 * rc, nil, err */
static int rlua_diskstorage_open(lua_State *L)
{
    raftc_diskstorage *ds = NULL;
    raftc_diskstorage_options opts;
    char err[512];
    int rc;
    const char *path = luaL_checkstring(L, 1);
    memset(&opts, 0, sizeof opts);
    opts.struct_size = sizeof opts;
    opts.segment_size = rlua_tou64(L, 2);
    opts.sync_policy = (int)luaL_checkinteger(L, 3);
    opts.async_writes = (int)luaL_optinteger(L, 4, 0);
    err[0] = 0;
    rc = raftc_diskstorage_open(&ds, err, sizeof err, path, &opts);
    lua_pushinteger(L, rc);
    if (rc != 0) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 3;
    }
    SWIG_NewPointerObj(L, ds, SWIGTYPE_p_raftc_diskstorage, 1);
    return 2;
}

/* diskstorage_memstorage(ds) -> rc, ms: borrowed (never freed from Lua; lives as long as ds) */
static int rlua_diskstorage_memstorage(lua_State *L)
{
    raftc_diskstorage *ds = NULL;
    raftc_memstorage *ms = NULL;
    int rc;
    if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&ds, SWIGTYPE_p_raftc_diskstorage, 0)))
        return luaL_error(L, "raftc: diskstorage_memstorage needs a disk storage");
    rc = raftc_diskstorage_memstorage(&ms, ds);
    lua_pushinteger(L, rc);
    if (rc != 0)
        return 1;
    SWIG_NewPointerObj(L, ms, SWIGTYPE_p_raftc_memstorage, 0);
    return 2;
}

/* config_set_hooks(cfg, hooks, logger, storage) -> rc */
static int rlua_config_set_hooks(lua_State *L)
{
    raftc_config *cfg = NULL;
    rlua_hooks *h;
    int rc = 0;
    if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&cfg, SWIGTYPE_p_raftc_config, 0)))
        return luaL_error(L, "raftc: config_set_hooks needs a config");
    h = (rlua_hooks *)luaL_checkudata(L, 2, "raftc_swig.hooks");
    if (lua_toboolean(L, 3))
        rc = raftc_config_set_logger(cfg, rlua_cb_log, h);
    if (rc == 0 && lua_toboolean(L, 4)) {
        raftc_storage_callbacks cbs;
        memset(&cbs, 0, sizeof cbs);
        cbs.struct_size = sizeof cbs;
        cbs.ud = h;
        cbs.initial_state = rlua_cb_initial_state;
        cbs.entries = rlua_cb_entries;
        cbs.term = rlua_cb_term;
        cbs.first_index = rlua_cb_first_index;
        cbs.last_index = rlua_cb_last_index;
        cbs.snapshot = rlua_cb_snapshot;
        rc = raftc_config_set_storage_callbacks(cfg, &cbs);
    }
    lua_pushinteger(L, rc);
    return 1;
}
%}

%native(release) int rlua_release(lua_State *L);
%native(diskstorage_open) int rlua_diskstorage_open(lua_State *L);
%native(diskstorage_memstorage) int rlua_diskstorage_memstorage(lua_State *L);
%native(conf_state_decode) int rlua_conf_state_decode(lua_State *L);
%native(node_progress_ids) int rlua_node_progress_ids(lua_State *L);
%native(hooks_new) int rlua_hooks_new(lua_State *L);
%native(config_set_hooks) int rlua_config_set_hooks(lua_State *L);
