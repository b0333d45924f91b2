/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_node_result.c: how every node call ends: its return code and the text
 * raftc_node_last_error gives for it (the panic text once failed, a storage callback's reason).
 */
#include <stdio.h>

#include "capi_internal.h"
#include "alloc.h"

int capi_node_result_slow(raftc_node *node, int rc, const char *text)
{
    bool has_storage_err = node->cb != NULL && node->cb->storage_err[0] != '\0';
    if (rc == RC_OK) {
        node->err = "";
        if (has_storage_err)
            node->cb->storage_err[0] = '\0';
        return rc;
    }
    if (rc == RC_ERR_FAILED && node->panic_text != NULL)
        text = node->panic_text;
    /* A storage failure etcd returns instead of panicking on (Bootstrap's LastIndex). */
    if (rc == RC_ERR_STORAGE && has_storage_err)
        text = node->cb->storage_err;
    if (text == NULL || text[0] == '\0')
        text = raftc_strerror(rc);
    if (node->err_buf == NULL)
        node->err_buf = rc_malloc(CAPI_ERR_TEXT_MAX);
    if (node->err_buf != NULL) {
        snprintf(node->err_buf, CAPI_ERR_TEXT_MAX, "%s", text);
        node->err = node->err_buf;
    } else {
        node->err = raftc_strerror(rc); /* static */
    }
    if (has_storage_err)
        node->cb->storage_err[0] = '\0'; /* never carried into a later call */
    return rc;
}
