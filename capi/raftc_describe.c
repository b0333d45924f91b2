/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_describe.c: etcd's Describe* texts over raftpb bytes (raftc_<module>_describe), as heap
 * strings the host frees with raftc_free. (raftc_ready_describe and raftc_changer_describe live
 * with their handles.)
 */
#include "capi_internal.h"
#include "codec.h"
#include "describe.h"

RAFTC_API int raftc_message_describe(char **out, const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CAPI_CHECK_BUF(buf, len);
    rc_message m;
    int rc = rc_decode_message(&m, buf, len, CAPI_MAX_INPUT);
    if (rc != RC_OK)
        return rc;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_message(&b, &m, "");
    rc_message_free(&m);
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_entry_describe(char **out, const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CAPI_CHECK_BUF(buf, len);
    rc_entry e;
    int rc = rc_decode_entry(&e, buf, len);
    if (rc != RC_OK)
        return rc;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_entry(&b, &e);
    rc_entry_free(&e);
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_entry_describe_list(char **out, const uint8_t *const *ents, const size_t *lens,
                                     size_t n)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    if (n > 0 && (ents == NULL || lens == NULL))
        return RAFTC_EINVAL;
    rc_strbuf b = RC_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        rc_entry e;
        int rc = (ents[i] == NULL && lens[i] != 0) ? RC_ERR_INVALID
                 : lens[i] > CAPI_MAX_INPUT      ? RC_ERR_TOO_LARGE
                                                   : rc_decode_entry(&e, ents[i], lens[i]);
        if (rc != RC_OK) {
            rc_strbuf_free(&b);
            return rc;
        }
        rc_describe_entry(&b, &e);
        rc_strbuf_putc(&b, '\n');
        rc_entry_free(&e);
    }
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_hard_state_describe(char **out, const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CAPI_CHECK_BUF(buf, len);
    rc_hard_state hs;
    int rc = rc_decode_hard_state(&hs, buf, len);
    if (rc != RC_OK)
        return rc;
    rc_strbuf b = RC_STRBUF_INIT;
    if (!rc_hard_state_is_empty(&hs))
        rc_describe_hard_state(&b, &hs);
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_conf_state_describe(char **out, const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CAPI_CHECK_BUF(buf, len);
    rc_conf_state cs;
    int rc = rc_decode_conf_state(&cs, buf, len);
    if (rc != RC_OK)
        return rc;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_conf_state(&b, &cs);
    rc_conf_state_free(&cs);
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_snapshot_describe(char **out, const uint8_t *buf, size_t len)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    CAPI_CHECK_BUF(buf, len);
    rc_snapshot s;
    int rc = rc_decode_snapshot(&s, buf, len);
    if (rc != RC_OK)
        return rc;
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_snapshot(&b, &s);
    rc_snapshot_free(&s);
    return capi_take_string(out, &b);
}

RAFTC_API int raftc_soft_state_describe(char **out, uint64_t lead, raftc_state_type raft_state)
{
    if (out == NULL)
        return RAFTC_EINVAL;
    *out = NULL;
    rc_soft_state ss = {.lead = lead, .raft_state = (rc_state_type)raft_state};
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_soft_state(&b, &ss);
    return capi_take_string(out, &b);
}
