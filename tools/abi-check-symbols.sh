#!/usr/bin/env bash
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# abi-check-symbols.sh: compares the dynamic symbols exported by libraftc.so with the committed
# list tests/abi/exported-symbols.txt, and with the RAFTC_API functions declared in capi/raftc.h.
#
#   tools/abi-check-symbols.sh [--update] [path/to/libraftc.so]
#
# Without a path, builds the shared library in $RAFTC_BUILD_ROOT/abi-symbols (default
# <repo>/build/abi-symbols). Fails (exit 1) when an exported symbol is missing from the list or
# the list names a symbol no longer exported (a removal breaks the ABI: bump RAFTC_ABI_VERSION),
# when the header and the library disagree, and when the library's SONAME is not
# libraftc.so.<RAFTC_ABI_VERSION of the header>. --update rewrites the list from the library.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
list="$root/tests/abi/exported-symbols.txt"
header="$root/capi/raftc.h"
update=0
lib=""
for arg in "$@"; do
    case "$arg" in
        --update) update=1 ;;
        -h|--help) sed -n '4,12p' "$0"; exit 0 ;;
        *) lib="$arg" ;;
    esac
done

if [ -z "$lib" ]; then
    dir="${RAFTC_BUILD_ROOT:-$root/build}/abi-symbols"
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DRAFTC_BUILD_TESTS=OFF \
        >/dev/null
    cmake --build "$dir" --target raftc -j "${RAFTC_JOBS:-2}" >/dev/null
    lib="$dir/libraftc.so"
fi
[ -f "$lib" ] || { echo "abi-check-symbols: $lib not found" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols, without the linker's bookkeeping ones.
nm -D --defined-only "$lib" | awk '{print $NF}' |
    grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$' | sed 's/@.*//' | LC_ALL=C sort -u \
    >"$tmp/actual"

# Functions the header declares with RAFTC_API (a declaration may span lines: the name is the
# identifier right before the first '(').
awk '/^RAFTC_API/ { decl = ""; collecting = 1 }
     collecting { decl = decl " " $0; if (index($0, "(")) { collecting = 0;
         sub(/\(.*/, "", decl); n = split(decl, w, /[ \t*]+/); print w[n] } }' "$header" |
    LC_ALL=C sort -u >"$tmp/declared"

if [ "$update" -eq 1 ]; then
    {
        echo "# Exported dynamic symbols of libraftc.so (tools/abi-check-symbols.sh --update)."
        echo "# Adding a symbol is compatible; removing or renaming one needs a RAFTC_ABI_VERSION bump."
        cat "$tmp/actual"
    } >"$list"
    echo "abi-check-symbols: wrote $(wc -l <"$tmp/actual") symbols to ${list#$root/}"
fi

status=0
grep -v '^#' "$list" | sed '/^$/d' | LC_ALL=C sort -u >"$tmp/expected"

removed="$(LC_ALL=C comm -23 "$tmp/expected" "$tmp/actual")"
added="$(LC_ALL=C comm -13 "$tmp/expected" "$tmp/actual")"
undeclared="$(LC_ALL=C comm -13 "$tmp/declared" "$tmp/actual")"
unexported="$(LC_ALL=C comm -23 "$tmp/declared" "$tmp/actual")"

report() { # <title> <list>
    [ -n "$2" ] || return 0
    echo "abi-check-symbols: $1:"
    printf '    %s\n' $2
    status=1
}
report "exported symbols missing from the library (ABI break)" "$removed"
report "new exported symbols not in ${list#$root/} (run with --update)" "$added"
report "exported symbols not declared RAFTC_API in capi/raftc.h" "$undeclared"
report "RAFTC_API declarations not exported by the library" "$unexported"

# The SONAME carries the header's ABI major (the build reads it from the header).
abi="$(sed -n 's/^#define[ \t]*RAFTC_ABI_VERSION[ \t]*\([0-9]*\).*/\1/p' "$header")"
soname="$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"
if [ "$soname" != "libraftc.so.$abi" ]; then
    echo "abi-check-symbols: SONAME is '$soname', want libraftc.so.$abi (RAFTC_ABI_VERSION)"
    status=1
fi

if [ "$status" -eq 0 ]; then
    echo "abi-check-symbols: OK, SONAME libraftc.so.$abi, $(wc -l <"$tmp/actual") symbols match ${list#$root/} and raftc.h"
fi
exit "$status"
