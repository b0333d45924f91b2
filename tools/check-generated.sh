#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# check-generated.sh: regenerates core/pb from proto/raftpb.proto and proto/multiraft.proto into a temp dir with protoc-c
# and diffs against the committed files. Exit 0 = identical, 1 = differ, 2 = protoc-c missing.
# To refresh the committed files: cmake --build <builddir> --target regen-proto
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v protoc-c >/dev/null 2>&1; then
    echo "check-generated: protoc-c not found" >&2
    exit 2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

protoc-c --c_out="$tmp" -I"$root/proto" "$root/proto/raftpb.proto" "$root/proto/multiraft.proto"
status=0
for f in raftpb.pb-c.c raftpb.pb-c.h multiraft.pb-c.c multiraft.pb-c.h; do
    if ! diff -u "$root/core/pb/$f" "$tmp/$f"; then
        echo "check-generated: core/pb/$f is out of date with proto/" >&2
        status=1
    fi
done
if [ "$status" -eq 0 ]; then
    echo "check-generated: core/pb matches proto/raftpb.proto and proto/multiraft.proto ($(protoc-c --version | head -1))"
fi
exit "$status"
