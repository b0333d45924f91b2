# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# build_ffi.py: the cffi builder of pyraftc (out-of-line API mode). The C declarations come from
# bindings/raftc_decls.h (generated from capi/raftc.h by tools/gen-bindings-decls.py); pyraftc
# adds its `extern "Python"` callbacks (storage table and logger). python/CMakeLists.txt runs
#   python build_ffi.py --decls bindings/raftc_decls.h --output _raftc_cffi.c
# and compiles the result against libraftc (static).
import argparse
import os

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DECLS = os.path.join(HERE, "..", "bindings", "raftc_decls.h")

# Callbacks implemented in Python (pyraftc/_storage.py, pyraftc/_logger.py).
PYTHON_CALLBACKS = """
extern "Python" int _pyraftc_st_initial_state(void *, raftc_sink *, raftc_sink *);
extern "Python" int _pyraftc_st_entries(void *, raftc_sink *, uint64_t, uint64_t, uint64_t);
extern "Python" int _pyraftc_st_term(void *, uint64_t *, uint64_t);
extern "Python" int _pyraftc_st_first_index(void *, uint64_t *);
extern "Python" int _pyraftc_st_last_index(void *, uint64_t *);
extern "Python" int _pyraftc_st_snapshot(void *, raftc_sink *);
extern "Python" void _pyraftc_log(void *, raftc_log_level, const char *, size_t);
"""


def make_ffi(decls_path=DEFAULT_DECLS):
    """Returns the configured cffi.FFI builder."""
    with open(decls_path, encoding="utf-8") as f:
        decls = f.read()
    ffi = cffi.FFI()
    ffi.cdef(decls + PYTHON_CALLBACKS)
    ffi.set_source("pyraftc._raftc_cffi", '#include "raftc.h"\n')
    return ffi


def main():
    ap = argparse.ArgumentParser(description="emit pyraftc's cffi C source")
    ap.add_argument("--decls", default=DEFAULT_DECLS)
    ap.add_argument("--output", required=True)
    args = ap.parse_args()
    make_ffi(args.decls).emit_c_code(args.output)


if __name__ == "__main__":
    main()
