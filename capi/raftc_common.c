/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_common.c: versions, error texts, allocator hooks and enum names of the public ABI.
 */
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "progress.h"

#ifndef RAFTC_BUILD_VERSION
#define RAFTC_BUILD_VERSION RAFTC_VERSION_STRING
#endif
#ifndef RAFTC_BUILD_ABI_MAJOR
#define RAFTC_BUILD_ABI_MAJOR RAFTC_ABI_VERSION
#endif

RAFTC_API const char *raftc_version(void)
{
    return RAFTC_BUILD_VERSION;
}

RAFTC_API int raftc_abi_version(void)
{
    return RAFTC_BUILD_ABI_MAJOR;
}

RAFTC_API const char *raftc_strerror(int code)
{
    switch (code) {
    case RAFTC_OK: return "ok";
    case RAFTC_EINVAL: return "invalid argument";
    case RAFTC_ENOMEM: return "out of memory";
    case RAFTC_EDECODE: return "malformed raftpb bytes";
    case RAFTC_ETOOLARGE: return "buffer too large";
    case RAFTC_EPROPOSAL_DROPPED: return "raft proposal dropped";
    case RAFTC_ESTEP_LOCAL_MSG: return "raft: cannot step raft local message";
    case RAFTC_ESTEP_PEER_NOT_FOUND: return "raft: cannot step as peer not found";
    case RAFTC_ECOMPACTED: return "requested index is unavailable due to compaction";
    case RAFTC_EUNAVAILABLE: return "requested entry at index is unavailable";
    case RAFTC_ESNAP_OUT_OF_DATE: return "requested index is older than the existing snapshot";
    case RAFTC_ESNAP_TEMP_UNAVAILABLE: return "snapshot is temporarily unavailable";
    case RAFTC_ESTORAGE: return "storage failure";
    case RAFTC_EFAILED: return "raft node failed";
    case RAFTC_ESTATE: return "call out of order";
    case RAFTC_ECONFIG: return "invalid configuration";
    case RAFTC_ECONFCHANGE: return "conf change refused";
    case RAFTC_ENOTFOUND: return "not found";
    case RAFTC_EUNKNOWN_TYPE: return "unknown message type";
    case RAFTC_ECORRUPT: return "stored data is corrupt";
    case RAFTC_ELOCKED: return "storage directory is locked by another process";
    case RAFTC_EIO: return "input/output error";
    case RAFTC_EREFUSED: return "message refused: no correct peer can send it";
    default: return "unknown error";
    }
}

RAFTC_API int raftc_set_allocator(raftc_malloc_fn malloc_fn, raftc_realloc_fn realloc_fn,
                                  raftc_free_fn free_fn, void *ud)
{
    if (malloc_fn == NULL && realloc_fn == NULL && free_fn == NULL) {
        rc_set_allocator(NULL);
        return RAFTC_OK;
    }
    if (malloc_fn == NULL || realloc_fn == NULL || free_fn == NULL)
        return RAFTC_EINVAL;
    rc_allocator a = {malloc_fn, realloc_fn, free_fn, ud};
    rc_set_allocator(&a);
    return RAFTC_OK;
}

RAFTC_API void raftc_free(void *p)
{
    rc_free(p);
}

RAFTC_API const char *raftc_msg_type_name(raftc_msg_type type)
{
    return rc_msg_type_name((rc_msg_type)type);
}

RAFTC_API const char *raftc_entry_type_name(raftc_entry_type type)
{
    return rc_entry_type_name((rc_entry_type)type);
}

RAFTC_API const char *raftc_state_type_name(raftc_state_type state)
{
    return rc_state_type_name((rc_state_type)state);
}

RAFTC_API const char *raftc_cc_type_name(raftc_cc_type type)
{
    return rc_cc_type_name((rc_cc_type)type);
}

RAFTC_API const char *raftc_progress_state_name(raftc_progress_state state)
{
    return rc_progress_state_name((rc_progress_state)state);
}

RAFTC_API int raftc_msg_type_parse(raftc_msg_type *out, const char *name)
{
    if (out == NULL || name == NULL)
        return RAFTC_EINVAL;
    for (int t = 0; t < RC_MSG_TYPE_COUNT; t++)
        if (strcmp(rc_msg_type_name((rc_msg_type)t), name) == 0) {
            *out = (raftc_msg_type)t;
            return RAFTC_OK;
        }
    return RAFTC_ENOTFOUND;
}

int capi_take_string(char **out, rc_strbuf *b)
{
    *out = NULL;
    if (!rc_strbuf_ok(b)) {
        rc_strbuf_free(b);
        return RAFTC_ENOMEM;
    }
    rc_strbuf_puts(b, ""); /* make sure a buffer exists even for "" */
    char *s = rc_strbuf_take(b);
    if (s == NULL)
        return RAFTC_ENOMEM;
    *out = s;
    return RAFTC_OK;
}
