# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# Warning flags for everything we compile, generated protoc-c code included.
set(RAFTC_WARNING_FLAGS -Wall -Wextra -Wshadow -Wstrict-prototypes)
# rc_bytes grew an `owner` field (shared payload blobs): positional initializers such as
# (rc_bytes){ptr, len} stay valid C (the rest is zeroed) and must not warn.
list(APPEND RAFTC_WARNING_FLAGS -Wno-missing-field-initializers)
if(RAFTC_WERROR)
  list(APPEND RAFTC_WARNING_FLAGS -Werror)
endif()
