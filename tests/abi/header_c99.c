/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * header_c99.c: raftc.h compiles as strict C99 (-std=c99 -pedantic -Werror) and links against
 * the shared library; a few calls check that the loaded library matches the header.
 */
#include "raftc.h"
#include "raftc.h" /* include guard */

#include <stdio.h>
#include <string.h>

int main(void)
{
    raftc_sink *s = NULL;
    int failures = 0;
    if (raftc_abi_version() != RAFTC_ABI_VERSION) {
        fprintf(stderr, "abi version %d != header %d\n", raftc_abi_version(), RAFTC_ABI_VERSION);
        failures++;
    }
    if (strcmp(raftc_version(), RAFTC_VERSION_STRING) != 0) {
        fprintf(stderr, "version %s != header %s\n", raftc_version(), RAFTC_VERSION_STRING);
        failures++;
    }
    if (raftc_sink_new(&s) != RAFTC_OK || raftc_hard_state_encode(s, 1, 2, 3) != RAFTC_OK ||
        raftc_sink_count(s) != 1) {
        fprintf(stderr, "sink/hard state round trip failed\n");
        failures++;
    }
    raftc_sink_free(s);
    if (strcmp(raftc_strerror(RAFTC_ESTEP_LOCAL_MSG), "raft: cannot step raft local message") != 0)
        failures++;
    printf("header_c99: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
