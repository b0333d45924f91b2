# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# raftc_read_version(<header>): sets RAFTC_VERSION (x.y.z) and RAFTC_ABI_MAJOR from the
# RAFTC_VERSION_MAJOR/MINOR/PATCH and RAFTC_ABI_VERSION macros of the public header, so the
# SONAME can never disagree with what raftc_abi_version() reports.
function(raftc_read_version header)
  if(NOT EXISTS ${header})
    message(FATAL_ERROR "raftc: ${header} not found (it defines the version and ABI major)")
  endif()
  foreach(key VERSION_MAJOR VERSION_MINOR VERSION_PATCH ABI_VERSION)
    file(STRINGS ${header} line REGEX "^#define[ \t]+RAFTC_${key}[ \t]+[0-9]+")
    if(NOT line)
      message(FATAL_ERROR "raftc: #define RAFTC_${key} <n> not found in ${header}")
    endif()
    string(REGEX REPLACE "^#define[ \t]+RAFTC_${key}[ \t]+([0-9]+).*" "\\1" value "${line}")
    set(v_${key} ${value})
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
  set(RAFTC_VERSION ${v_VERSION_MAJOR}.${v_VERSION_MINOR}.${v_VERSION_PATCH} PARENT_SCOPE)
  set(RAFTC_ABI_MAJOR ${v_ABI_VERSION} PARENT_SCOPE)
endfunction()
