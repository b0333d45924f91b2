# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# ctest helper for raftc-datadriven.
#   MODE=roundtrip: `DRIVER --suite=SUITE --rewrite=- FILE` must succeed and reproduce FILE
#                   byte for byte (written to OUT for inspection).
#   MODE=mismatch:  `DRIVER --suite=SUITE FILE` must exit 1 (or the N of a comment line
#                   "# expect-exit: N" in FILE) and its stderr must match every regex given in
#                   FILE by a comment line "# expect-stderr: <regex>".
if(MODE STREQUAL "roundtrip")
  execute_process(COMMAND ${DRIVER} --suite=${SUITE} --rewrite=- ${FILE}
                  OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "rewrite of ${FILE} failed (exit ${rc})")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${FILE} ${OUT} RESULT_VARIABLE diff)
  if(NOT diff EQUAL 0)
    message(FATAL_ERROR "rewrite of ${FILE} differs from the file: see ${OUT}")
  endif()
elseif(MODE STREQUAL "mismatch")
  execute_process(COMMAND ${DRIVER} --suite=${SUITE} ${FILE}
                  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  set(want_rc 1)
  file(STRINGS ${FILE} exits REGEX "^# expect-exit: [0-9]+$")
  if(exits)
    string(REGEX REPLACE "^# expect-exit: " "" want_rc "${exits}")
  endif()
  if(NOT rc EQUAL want_rc)
    message(FATAL_ERROR "expected exit ${want_rc} for ${FILE}, got ${rc}:\n${err}")
  endif()
  file(STRINGS ${FILE} expects REGEX "^# expect-stderr: ")
  foreach(line ${expects})
    string(REGEX REPLACE "^# expect-stderr: " "" re "${line}")
    if(NOT err MATCHES "${re}")
      message(FATAL_ERROR "stderr does not match '${re}':\n${err}")
    endif()
  endforeach()
  message(STATUS "${err}")
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
