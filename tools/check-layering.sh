#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# check-layering.sh: the layers above the ABI (the conformance driver in tests/conformance/,
# bench/, examples/, python/ C sources, tests/abi/, tests/fuzz/) may include capi/raftc.h and
# their own local headers, never a core header (core/*.h, core/pb/*.h) nor a capi-internal
# header (capi/*.h other than raftc.h). The test layers must also link the shared library (target
# raftc), not raftc_static/raftc_obj, whose include dirs expose core/; bench/ and examples/ only
# get a note for that. Each layer with C sources must include raftc.h somewhere. And capi/ never
# includes core/wire.h (codec.h is the codec's one entry point). Exit 1 on violation.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Basenames of every header that is not the public one.
mapfile -t forbidden < <( { ls core/*.h core/pb/*.h 2>/dev/null; ls capi/*.h 2>/dev/null |
    grep -v '/raftc\.h$'; } | xargs -r -n1 basename | LC_ALL=C sort -u)
layers=(tests/conformance bench examples python tests/abi tests/fuzz tests/sim tests/interop tests/hostile
        tests/crash)
# Deliberate exceptions: core-level tests that live beside the ABI ones (a path each), and the
# CMake targets allowed to link raftc_static.
allow_files=(tests/fuzz/fuzz_wire_diff.c # differential fuzzing of core/wire vs protobuf-c
             tests/fuzz/fuzz_recovery.c # the disk storage's recovery on the in-memory files
             tests/crash/crash_power.c) # power cuts through the in-memory file layer
allow_targets='fuzz_wire_diff|fuzz_recovery|crash_power'


status=0
checked=0
for layer in "${layers[@]}"; do
    [ -d "$layer" ] || continue
    mapfile -t files < <(find "$layer" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \
        -o -name '*.cc' \) -not -path '*/build/*' | LC_ALL=C sort)
    [ "${#files[@]}" -gt 0 ] || continue
    uses_raftc=0
    for f in "${files[@]}"; do
        if printf '%s\n' "${allow_files[@]}" | grep -qxF "$f"; then
            echo "check-layering: note: $f is an allowed core-level test"
            continue
        fi
        checked=$((checked + 1))
        # Every #include "x" / <x>: compare its basename with the forbidden set. Only quoted
        # includes can name a core header (<raft.h> is canonical/raft's system header, which the
        # benchmark against it includes).
        while IFS=: read -r line inc; do
            name="$(basename "${inc#[<\"]}")"
            if [ "$name" = raftc.h ]; then
                uses_raftc=1
                continue
            fi
            [ "${inc:0:1}" = '"' ] || continue
            for bad in "${forbidden[@]}"; do
                if [ "$name" = "$bad" ]; then
                    echo "check-layering: $f:$line includes ${inc#[<\"]} (a core/internal header;" \
                         "use raftc.h only)"
                    status=1
                fi
            done
        done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
                 sed -E 's/^([0-9]+):[^<"]*([<"][^>"]+)[>"].*/\1:\2/')
    done
    if [ "$uses_raftc" -eq 0 ]; then
        echo "check-layering: $layer has C sources but none includes raftc.h"
        status=1
    fi
    while IFS= read -r cm; do
        if grep -nE '\braftc_static\b|\braftc_obj\b|/core\b|core/' "$cm" |
            grep -vE '^[0-9]+:\s*#' | grep -vE "($allow_targets)"; then
            case "$layer" in
                tests/*)
                    echo "check-layering: $cm links the library internals (use target raftc)"
                    status=1 ;;
                *)  # bench/examples may link the static library (same ABI, no PIC calls)
                    echo "check-layering: note: $cm links the static library (includes are" \
                         "still checked)" ;;
            esac
        fi
    done < <(find "$layer" -name CMakeLists.txt -not -path '*/build/*')
done

# The codec has one entry point for the capi layer, core/codec.h: the fast path (core/wire.h)
# and its protobuf-c fallback are chosen inside core, so capi never includes wire.h.
while IFS= read -r hit; do
    echo "check-layering: $hit (capi reads and writes raftpb through codec.h, never wire.h)"
    status=1
done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"wire\.h"' capi/*.c capi/*.h || true)

if [ "$status" -eq 0 ]; then
    echo "check-layering: OK ($checked files above the ABI include raftc.h and no core header;" \
         "capi does not include wire.h)"
fi
exit "$status"
