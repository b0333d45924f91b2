# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# Warning flags for everything we compile, generated protoc-c code included.
set(RAFTC_WARNING_FLAGS -Wall -Wextra -Wshadow -Wstrict-prototypes)
if(RAFTC_WERROR)
  list(APPEND RAFTC_WARNING_FLAGS -Werror)
endif()
