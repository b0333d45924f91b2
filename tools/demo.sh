#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# demo.sh: the README's "try it" command. Runs `python -m pyraftc.kv.demo` (through
# tools/kv-python.sh, which installs pyraftc[kv] into a virtualenv under build/ on the first run):
# a raftc-kv cluster of real processes on loopback in a temporary directory, narrated under a
# live status table: election, writes and reads through different nodes, the leader SIGKILLed
# with no acknowledged write lost, the killed node restarted from its data directory, a fourth
# node joining and one removed. Exit status 0 only when every check held. Arguments go to the
# demo (--help; --launcher CMD runs another implementation's nodes).
# The in-process C demo is examples/cluster_demo.c (build target raftc-demo, ctest
# example_cluster_demo).
set -euo pipefail
exec "$(dirname "$0")/kv-python.sh" -m pyraftc.kv.demo "$@"
