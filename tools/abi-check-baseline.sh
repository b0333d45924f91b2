#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# abi-check-baseline.sh: compares the ABI of a fresh libraftc.so with the committed baseline
# tests/abi/libraftc.abi.xml using libabigail (Debian package abigail-tools).
#
#   tools/abi-check-baseline.sh [--update]
#
# Builds libraftc.so with gcc, RelWithDebInfo (-g), in $RAFTC_BUILD_ROOT/abi-baseline (default
# <repo>/build/abi-baseline), runs abidw restricted to the types of capi/raftc.h, then abidiff
# against the baseline. Exit 1 on an incompatible change (abidiff bit 8), on an abidiff error
# (bits 1, 2) or a missing tool; compatible changes (bit 4: additions) only print the report.
# --update regenerates the baseline instead (do it on purpose, e.g. at a release, and bump
# RAFTC_ABI_VERSION first if the change is incompatible).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
baseline="$root/tests/abi/libraftc.abi.xml"
dir="${RAFTC_BUILD_ROOT:-$root/build}/abi-baseline"
update=0
case "${1:-}" in
    --update) update=1 ;;
    "") ;;
    *) sed -n '4,15p' "$0"; exit 2 ;;
esac

for t in abidw abidiff; do
    command -v "$t" >/dev/null 2>&1 ||
        { echo "abi-check-baseline: $t not found (apt-get install abigail-tools)" >&2; exit 1; }
done

gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
cc=gcc
command -v gcc >/dev/null 2>&1 || cc=cc
# A stable build: same compiler and flags every time, no tests, no sanitizers.
CC="$cc" cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRAFTC_BUILD_TESTS=OFF -DRAFTC_SANITIZE=OFF >/dev/null
cmake --build "$dir" --target raftc -j "${RAFTC_JOBS:-2}" >/dev/null
lib="$(readlink -f "$dir/libraftc.so")"

# Only the public header's types; no paths, so the file does not depend on the checkout.
fresh="$dir/libraftc.abi.xml"
# Types only defined in the .c files (the opaque handles' layouts, core structs) are dropped:
# they are private and free to change.
abidw --header-file "$root/capi/raftc.h" --drop-private-types \
    --no-corpus-path --no-comp-dir-path --no-show-locs --out-file "$fresh.tmp" "$lib"
sed "s|path='$root/|path='|g" "$fresh.tmp" >"$fresh"
rm -f "$fresh.tmp"

if [ "$update" -eq 1 ]; then
    cp "$fresh" "$baseline"
    echo "abi-check-baseline: wrote ${baseline#$root/} ($(grep -c '<elf-symbol ' "$baseline") symbols)"
    exit 0
fi
[ -f "$baseline" ] ||
    { echo "abi-check-baseline: no baseline ${baseline#$root/} (run with --update)" >&2; exit 1; }

set +e
abidiff --no-show-locs "$baseline" "$fresh" >"$dir/abidiff.txt" 2>&1
rc=$?
set -e
if [ $((rc & 3)) -ne 0 ]; then
    cat "$dir/abidiff.txt"
    echo "abi-check-baseline: abidiff failed (exit $rc)" >&2
    exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
    cat "$dir/abidiff.txt"
    echo "abi-check-baseline: INCOMPATIBLE ABI change against ${baseline#$root/}" >&2
    echo "  (intended? bump RAFTC_ABI_VERSION and run tools/abi-check-baseline.sh --update)" >&2
    exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then
    cat "$dir/abidiff.txt"
    echo "abi-check-baseline: OK, compatible changes only (additions); refresh the baseline with --update"
    exit 0
fi
echo "abi-check-baseline: OK (no ABI change against ${baseline#$root/})"
