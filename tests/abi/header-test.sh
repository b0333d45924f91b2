#!/bin/sh
# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# header-test.sh: compiles one header test with a given compiler and language standard under
# -Wall -Wextra -pedantic -Werror, links it against libraftc.so and runs it (a ctest command).
#   header-test.sh <compiler> <-std=...> <source> <capi-dir> <lib-dir> <out-binary> [compile]
# With "compile" (sanitizer builds, whose libraftc.so needs the sanitizer runtime) it only compiles.
set -eu
cc="$1" std="$2" src="$3" inc="$4" libdir="$5" out="$6" mode="${7:-link}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "header-test: $cc not installed, skipping"
    exit 77
fi
extra=""
case "$src" in
    *.c) extra="-Wstrict-prototypes -Wmissing-prototypes" ;;
esac
if [ "$mode" = compile ]; then
    # shellcheck disable=SC2086
    exec "$cc" "$std" -Wall -Wextra -pedantic -Werror -Wshadow -Wundef $extra -I"$inc" -c "$src" \
        -o "$out.o"
fi
# shellcheck disable=SC2086
"$cc" "$std" -Wall -Wextra -pedantic -Werror -Wshadow -Wundef $extra -I"$inc" "$src" \
    -L"$libdir" -Wl,-rpath,"$libdir" -lraftc -o "$out"
exec "$out"
