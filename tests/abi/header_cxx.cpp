/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * header_cxx.cpp: raftc.h compiles as C++ (-pedantic -Werror, g++ and clang++) and its
 * declarations have C linkage: the program links against the shared C library.
 */
#include "raftc.h"

#include <cstdio>
#include <cstring>

namespace {

// Enumerators must be usable as plain ints from C++ (the ABI passes them as int).
static_assert(RAFTC_OK == 0 && RAFTC_EUNKNOWN_TYPE == -18, "error codes are fixed");
static_assert(RAFTC_MSG_FORGET_LEADER == 23, "message types follow raftpb");
static_assert(sizeof(uint64_t) == 8, "ids are 64-bit");

int check_version()
{
    return raftc_abi_version() == RAFTC_ABI_VERSION &&
                   std::strcmp(raftc_version(), RAFTC_VERSION_STRING) == 0
               ? 0
               : 1;
}

} // namespace

int main()
{
    int failures = check_version();
    raftc_sink *s = nullptr;
    if (raftc_sink_new(&s) != RAFTC_OK || raftc_entry_encode(s, 1, 1, RAFTC_ENTRY_NORMAL,
                                                             nullptr, 0) != RAFTC_OK)
        failures++;
    raftc_sink_free(s);
    raftc_msg_type t = RAFTC_MSG_HUP;
    if (raftc_msg_type_parse(&t, "MsgApp") != RAFTC_OK || t != RAFTC_MSG_APP)
        failures++;
    std::printf("header_cxx: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
