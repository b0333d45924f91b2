# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# build_ffi.py: the cffi builder of pyraftc (out-of-line API mode). The C declarations come from
# bindings/raftc_decls.h (generated from capi/raftc.h by tools/gen-bindings-decls.py); pyraftc
# adds its `extern "Python"` callbacks (storage table and logger). python/CMakeLists.txt runs
#   python build_ffi.py --decls bindings/raftc_decls.h --output _raftc_cffi.c
# and compiles the result against libraftc (static).
import argparse
import os
import re

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

# Helpers compiled into the module (see PREAMBLE).
HELPER_DECLS = """
typedef struct pyraftc_logbuf { unsigned char *buf; size_t len; size_t cap; } pyraftc_logbuf;
void pyraftc_log_collect(void *, raftc_log_level, const char *, size_t);
pyraftc_logbuf *pyraftc_logbuf_new(void);
void pyraftc_logbuf_free(pyraftc_logbuf *);
int pyraftc_propose_many(raftc_node *, const uint8_t *, const size_t *, size_t, size_t *);
"""

PREAMBLE = r"""
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "raftc.h"

/* pyraftc keeps the GIL while raftc runs. Its calls are short and do no I/O, so releasing and
 * retaking the GIL would cost more than most calls; and holding it makes every call atomic
 * with respect to other Python threads, so a node that runs no Python code inside its calls
 * (a MemoryStorage node with the collected logger below) needs no Python-level lock. */
#undef Py_BEGIN_ALLOW_THREADS
#undef Py_END_ALLOW_THREADS
#define Py_BEGIN_ALLOW_THREADS {
#define Py_END_ALLOW_THREADS }
/* ... except around the calls that do file I/O (RELEASE_GIL_PREFIXES): their wrappers use
 * these instead, so a fsync does not stop the other threads. */
#define PYRAFTC_BEGIN_RELEASE_GIL { PyThreadState *_save = PyEval_SaveThread();
#define PYRAFTC_END_RELEASE_GIL PyEval_RestoreThread(_save); }

/* A node's log lines, collected during its calls and handed to the Python logger after them
 * (no Python code runs inside raftc): records [u8 level][u32 length, host order][text]. */
typedef struct pyraftc_logbuf { unsigned char *buf; size_t len; size_t cap; } pyraftc_logbuf;

static void pyraftc_log_collect(void *ud, raftc_log_level level, const char *msg, size_t n)
{
    pyraftc_logbuf *lb = (pyraftc_logbuf *)ud;
    uint32_t n32 = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    size_t need = lb->len + 5 + n32;
    if (need > lb->cap) {
        size_t cap = lb->cap ? lb->cap : 256;
        while (cap < need)
            cap *= 2;
        unsigned char *p = (unsigned char *)realloc(lb->buf, cap);
        if (p == NULL)
            return; /* out of memory: the line is lost, not the process */
        lb->buf = p;
        lb->cap = cap;
    }
    unsigned char *d = lb->buf + lb->len;
    d[0] = (unsigned char)level;
    memcpy(d + 1, &n32, 4);
    memcpy(d + 5, msg, n32);
    lb->len = need;
}

static pyraftc_logbuf *pyraftc_logbuf_new(void)
{
    return (pyraftc_logbuf *)calloc(1, sizeof(pyraftc_logbuf));
}

static void pyraftc_logbuf_free(pyraftc_logbuf *lb)
{
    if (lb != NULL)
        free(lb->buf);
    free(lb);
}

/* RawNode.propose_many: raftc_node_propose for each of n payloads laid end to end in buf
 * (lens[i] bytes each), in order, in one call from Python. Stops at the first that fails:
 * *done = how many were proposed; returns that failure's code (0 when all were). */
static int pyraftc_propose_many(raftc_node *node, const uint8_t *buf, const size_t *lens,
                                size_t n, size_t *done)
{
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = raftc_node_propose(node, buf + off, lens[i]);
        if (rc != 0) {
            *done = i;
            return rc;
        }
        off += lens[i];
    }
    *done = n;
    return 0;
}
"""


def make_ffi(decls_path=DEFAULT_DECLS):
    """Returns the configured cffi.FFI builder."""
    with open(decls_path, encoding="utf-8") as f:
        decls = f.read()
    ffi = cffi.FFI()
    ffi.cdef(decls + PYTHON_CALLBACKS + HELPER_DECLS)
    ffi.set_source("pyraftc._raftc_cffi", PREAMBLE)
    return ffi


# C functions that may block on the disk: their wrappers release the GIL (see PREAMBLE).
RELEASE_GIL_PREFIXES = ("raftc_diskstorage_",)


def release_gil_around_io(code):
    """code with the cffi wrappers of RELEASE_GIL_PREFIXES functions releasing the GIL."""
    out, pos = [], 0
    wrapper = re.compile(r"\n_cffi_f_(%s)\w*\(PyObject \*self" % "|".join(RELEASE_GIL_PREFIXES))
    for m in wrapper.finditer(code):
        end = code.index("\n}\n", m.end())
        body = code[m.start():end]
        body = body.replace("Py_BEGIN_ALLOW_THREADS", "PYRAFTC_BEGIN_RELEASE_GIL")
        body = body.replace("Py_END_ALLOW_THREADS", "PYRAFTC_END_RELEASE_GIL")
        out.append(code[pos:m.start()])
        out.append(body)
        pos = end
    out.append(code[pos:])
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description="emit pyraftc's cffi C source")
    ap.add_argument("--decls", default=DEFAULT_DECLS)
    ap.add_argument("--output", required=True)
    args = ap.parse_args()
    make_ffi(args.decls).emit_c_code(args.output)
    with open(args.output, encoding="utf-8") as f:
        code = f.read()
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(release_gil_around_io(code))


if __name__ == "__main__":
    main()
