# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# External dependencies as imported targets: raftc::protobuf-c (required) and raftc::cmocka
# (tests only). pkg-config first, then a plain find_library/find_path fallback.
find_package(PkgConfig QUIET)

function(raftc_import name pcname header libname required)
  if(TARGET raftc::${name})
    return()
  endif()
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(RAFTC_PC_${name} QUIET IMPORTED_TARGET ${pcname})
    if(RAFTC_PC_${name}_FOUND)
      add_library(raftc::${name} INTERFACE IMPORTED GLOBAL)
      target_link_libraries(raftc::${name} INTERFACE PkgConfig::RAFTC_PC_${name})
      return()
    endif()
  endif()
  find_path(RAFTC_${name}_INCLUDE_DIR ${header})
  find_library(RAFTC_${name}_LIBRARY ${libname})
  if(NOT RAFTC_${name}_INCLUDE_DIR OR NOT RAFTC_${name}_LIBRARY)
    if(required)
      message(FATAL_ERROR "raftc: ${pcname} not found (install its -dev package)")
    endif()
    return()
  endif()
  add_library(raftc::${name} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(raftc::${name} PROPERTIES
    IMPORTED_LOCATION ${RAFTC_${name}_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${RAFTC_${name}_INCLUDE_DIR})
endfunction()

raftc_import(protobuf-c libprotobuf-c protobuf-c/protobuf-c.h protobuf-c TRUE)

macro(raftc_find_cmocka)
  raftc_import(cmocka cmocka cmocka.h cmocka TRUE)
endmacro()
