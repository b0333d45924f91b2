# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# ctest helper: a simulator run must be a pure function of its arguments. Runs
# `SIM <ARGS>` RUNS times (ARGS: one command line, space-separated; several command lines
# separated by '|') and fails unless every run of a command line exits 0 and prints the same
# stdout and stderr as its first run.
#   cmake -DSIM=path/raftc-sim -DRUNS=3 "-DARGS=--seed 2 --async-writes|--seed 77 ..." -P same_output.cmake
if(NOT SIM OR NOT ARGS OR NOT RUNS)
  message(FATAL_ERROR "usage: cmake -DSIM=... -DRUNS=N -DARGS=... -P same_output.cmake")
endif()
string(REPLACE "|" ";" lines "${ARGS}")
foreach(line IN LISTS lines)
  separate_arguments(args UNIX_COMMAND "${line}")
  set(first "")
  foreach(run RANGE 1 ${RUNS})
    execute_process(COMMAND ${SIM} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "raftc-sim ${line}: run ${run} exited ${rc}:\n${out}")
    endif()
    if(run EQUAL 1)
      set(first "${out}")
    elseif(NOT out STREQUAL first)
      message(FATAL_ERROR "raftc-sim ${line}: run ${run} differs from run 1 (not "
                          "deterministic)\n--- run 1:\n${first}--- run ${run}:\n${out}")
    endif()
  endforeach()
  message(STATUS "raftc-sim ${line}: ${RUNS} identical runs")
endforeach()
