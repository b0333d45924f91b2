/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * _hot.c: pyraftc._hot, the calls of a lock-free RawNode (tick, has_ready, step(bytes),
 * propose(bytes), propose_many, ready, ready_stored, advance) as methods of a small CPython
 * object that holds the node pointer and its current Ready view. A cffi call of a function with several
 * arguments builds and unpacks an argument tuple and converts each argument (about 2.5x the
 * cost of a one-argument call before the C function does anything); a METH_O / METH_NOARGS
 * method bound to the node costs less than the cheapest cffi call. The RawNode puts these
 * bound methods in its instance dict, so node.step(b) is one C call.
 *
 * The module does not link libraftc: pyraftc's cffi module (which does) hands it the addresses
 * of the raftc functions once (bind), so both use the same library copy. Everything off the
 * fast path (errors, closed nodes, arguments other than bytes) is handed back to the RawNode's
 * Python methods (_fail, _slow_*), which raise exactly what the cffi path raises. The GIL is
 * held throughout, as pyraftc's cffi calls hold it, and no Python code runs while a method
 * reads the node's Ready view: each call is atomic for the other Python threads (the reason
 * a lock-free RawNode needs no lock), so another thread's advance() cannot free a view in use.
 * That is why ready() allocates its one container (the list) before taking the Ready (a
 * container allocation may run the garbage collector, and with it finalizers).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "raftc.h"

/* ---- the raftc functions, bound once from the cffi module ---- */

typedef struct hot_fns {
    int (*tick)(raftc_node *);
    int (*has_ready)(const raftc_node *);
    int (*step)(raftc_node *, const uint8_t *, size_t);
    int (*propose)(raftc_node *, const uint8_t *, size_t);
    int (*ready_packed)(raftc_ready **, const uint8_t **, size_t *, raftc_node *);
    int (*committed_entry_info)(uint64_t *, uint64_t *, raftc_entry_type *, const uint8_t **,
                                size_t *, const raftc_ready *, size_t);
    int (*ready_snapshot)(const uint8_t **, size_t *, const raftc_ready *);
    int (*ms_apply_snapshot)(raftc_memstorage *, const uint8_t *, size_t);
    int (*ms_append_ready)(raftc_memstorage *, const raftc_ready *);
    int (*ms_set_hard_state_fields)(raftc_memstorage *, uint64_t, uint64_t, uint64_t);
    int (*advance)(raftc_node *);
    int (*ready_describe)(char **, const raftc_ready *);
    void (*free)(void *);
} hot_fns;

/* pyraftc's log buffer (build_ffi.py's pyraftc_logbuf, same layout): lines collected during
 * a call; a non-empty one is handed to the logger by the RawNode after the call. */
typedef struct pyraftc_logbuf {
    unsigned char *buf;
    size_t len;
    size_t cap;
} pyraftc_logbuf;

#define HOT_N_FNS (sizeof(hot_fns) / sizeof(void *))

static hot_fns F;
static int bound;
static PyObject *ready_class;   /* pyraftc.Ready */
static PyObject *soft_state_fn; /* (lead, raft_state) -> pyraftc.SoftState */

/* bind(addresses, Ready, soft_state): the addresses of the functions of hot_fns, in its
 * order; the Ready class the ready calls return (made without calling its __init__, with
 * the attributes it sets) and the SoftState factory. */
static PyObject *hot_bind(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *addrs, *rc_cls, *ss_fn;
    if (!PyArg_ParseTuple(args, "OO!O", &addrs, &PyType_Type, &rc_cls, &ss_fn))
        return NULL;
    PyObject *seq = PySequence_Fast(addrs, "bind() needs a sequence of function addresses");
    if (seq == NULL)
        return NULL;
    if ((size_t)PySequence_Fast_GET_SIZE(seq) != HOT_N_FNS) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "bind() needs %d function addresses", (int)HOT_N_FNS);
        return NULL;
    }
    void *fns[HOT_N_FNS];
    for (size_t i = 0; i < HOT_N_FNS; i++) {
        fns[i] = PyLong_AsVoidPtr(PySequence_Fast_GET_ITEM(seq, (Py_ssize_t)i));
        if (fns[i] == NULL) {
            Py_DECREF(seq);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "bind(): a NULL function address");
            return NULL;
        }
    }
    Py_DECREF(seq);
    memcpy(&F, fns, sizeof F);
    Py_INCREF(rc_cls);
    Py_XSETREF(ready_class, rc_cls);
    Py_INCREF(ss_fn);
    Py_XSETREF(soft_state_fn, ss_fn);
    bound = 1;
    Py_RETURN_NONE;
}

/* ---- Node ---- */

typedef struct hot_node {
    PyObject_HEAD
    raftc_node *node;    /* NULL once detached (node closed or failed for good) */
    raftc_memstorage *ms; /* the node's MemoryStorage, for ready_stored (NULL: none) */
    pyraftc_logbuf *lb;  /* the node's log buffer */
    raftc_ready *view;   /* the Ready handed out last, until advance (NULL: none) */
    unsigned long long gen; /* changes whenever the view does */
    PyObject *keep;      /* what keeps node, ms and lb alive (the cffi cdata) */
    PyObject *owner;     /* a weak reference to the RawNode, whose methods take everything
                          * off the fast path (weak: the RawNode holds this object through its
                          * bound methods, and must be freed as soon as it is dropped) */
} hot_node;

/* The RawNode (a new reference), or NULL with an exception once it is gone. */
static PyObject *owner_get(hot_node *self)
{
    PyObject *o = NULL;
    if (self->owner != NULL) {
#if PY_VERSION_HEX >= 0x030D0000
        if (PyWeakref_GetRef(self->owner, &o) < 0)
            return NULL;
#else
        o = PyWeakref_GetObject(self->owner);
        if (o == Py_None)
            o = NULL;
        Py_XINCREF(o);
#endif
    }
    if (o == NULL)
        PyErr_SetString(PyExc_RuntimeError, "pyraftc._hot.Node: its RawNode is gone");
    return o;
}

static PyObject *owner_call(hot_node *self, const char *method, PyObject *arg)
{
    PyObject *owner = owner_get(self);
    if (owner == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethod(owner, method, arg != NULL ? "(O)" : NULL, arg);
    Py_DECREF(owner);
    return r;
}

/* The error path of the calls below: the RawNode raises what rc means (node lock, log lines,
 * error text). */
static PyObject *fail(hot_node *self, int rc)
{
    PyObject *code = PyLong_FromLong(rc);
    if (code == NULL)
        return NULL;
    PyObject *r = owner_call(self, "_fail", code);
    Py_DECREF(code);
    return r;
}

static PyObject *node_tick(hot_node *self, PyObject *unused)
{
    (void)unused;
    if (self->node == NULL)
        return owner_call(self, "_slow_tick", NULL);
    int rc = F.tick(self->node);
    if (rc == 0)
        Py_RETURN_NONE;
    return fail(self, rc);
}

static PyObject *node_has_ready(hot_node *self, PyObject *unused)
{
    (void)unused;
    if (self->node == NULL)
        return owner_call(self, "_slow_has_ready", NULL);
    if (F.has_ready(self->node) == 1)
        Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

static PyObject *node_step(hot_node *self, PyObject *msg)
{
    if (self->node == NULL || !PyBytes_CheckExact(msg))
        return owner_call(self, "_slow_step", msg);
    int rc = F.step(self->node, (const uint8_t *)PyBytes_AS_STRING(msg),
                    (size_t)PyBytes_GET_SIZE(msg));
    if (rc == 0)
        Py_RETURN_NONE;
    return fail(self, rc);
}

static PyObject *node_propose(hot_node *self, PyObject *data)
{
    if (self->node == NULL || !PyBytes_CheckExact(data))
        return owner_call(self, "_slow_propose", data);
    int rc = F.propose(self->node, (const uint8_t *)PyBytes_AS_STRING(data),
                       (size_t)PyBytes_GET_SIZE(data));
    if (rc == 0)
        Py_RETURN_NONE;
    return fail(self, rc);
}

/* propose_many(list of bytes): proposes each in order; returns how many were (the list's
 * length); when one fails, the RawNode's _many_failed(position, code) decides (returns the
 * position for a dropped proposal, raises otherwise). Anything but a list of bytes goes to the
 * RawNode's Python propose_many. */
static PyObject *node_propose_many(hot_node *self, PyObject *datas)
{
    if (self->node == NULL || !PyList_CheckExact(datas))
        return owner_call(self, "_slow_propose_many", datas);
    Py_ssize_t n = PyList_GET_SIZE(datas);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyBytes_CheckExact(PyList_GET_ITEM(datas, i)))
            return owner_call(self, "_slow_propose_many", datas);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyList_GET_ITEM(datas, i);
        int rc = F.propose(self->node, (const uint8_t *)PyBytes_AS_STRING(b),
                           (size_t)PyBytes_GET_SIZE(b));
        if (rc != 0) {
            PyObject *owner = owner_get(self);
            if (owner == NULL)
                return NULL;
            PyObject *r = PyObject_CallMethod(owner, "_many_failed", "(ni)", i, rc);
            Py_DECREF(owner);
            return r;
        }
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *s_data, *s_h, *s_node, *s_gen, *s_cdata, *s_ctypes, *s_cfirst, *s_soft_state;

/* The Ready's failure: the RawNode raises (and fails the node when the Ready was handed out
 * but could not be copied out (accepted 1) or stored (accepted 2)). */
static PyObject *ready_failed(hot_node *self, int rc, int accepted)
{
    PyObject *owner = owner_get(self);
    if (owner == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethod(owner, "_ready_error", "(ii)", rc, accepted);
    Py_DECREF(owner);
    return r;
}

static int set(PyObject *obj, PyObject *name, PyObject *value)
{
    if (value == NULL)
        return -1;
    int r = PyObject_SetAttr(obj, name, value);
    Py_DECREF(value);
    return r;
}

/* ready() / ready_stored(): etcd's Ready as a pyraftc.Ready over one copy of the packed
 * buffer (raftc_node_ready_packed). With store, first stores the Ready's snapshot, entries and
 * HardState (in that order) in the node's MemoryStorage, and gives the Ready its committed
 * entries' data and types (committed_data, committed_types, committed_indexes). The caller
 * holds no lock: see the comment at the top. */
static PyObject *ready_impl(hot_node *self, int store)
{
    if (self->node == NULL || (store && self->ms == NULL))
        return owner_call(self, store ? "_slow_ready_stored" : "_slow_ready", NULL);
    /* the one container, before the Ready: see the comment at the top */
    PyObject *list = store ? PyList_New(0) : NULL;
    if (store && list == NULL)
        return NULL;
    raftc_ready *rd = NULL;
    const uint8_t *buf = NULL;
    size_t len = 0;
    int rc = F.ready_packed(&rd, &buf, &len, self->node);
    if (rc != 0) {
        Py_XDECREF(list);
        return ready_failed(self, rc, rd != NULL);
    }
    self->view = rd;
    self->gen++;
    uint64_t head[2 + RAFTC_RD_COUNT];
    memcpy(head, buf, sizeof head);
#define HEAD(k) head[2 + (k)]
    if (store && HEAD(RAFTC_RD_HAS_SNAPSHOT)) {
        const uint8_t *p;
        size_t n;
        rc = F.ready_snapshot(&p, &n, rd);
        if (rc == 0)
            rc = F.ms_apply_snapshot(self->ms, p, n);
    }
    if (store && rc == 0 && HEAD(RAFTC_RD_N_ENTRIES) > 0)
        rc = F.ms_append_ready(self->ms, rd);
    if (store && rc == 0 && HEAD(RAFTC_RD_HAS_HARD_STATE))
        rc = F.ms_set_hard_state_fields(self->ms, HEAD(RAFTC_RD_TERM), HEAD(RAFTC_RD_VOTE),
                                        HEAD(RAFTC_RD_COMMIT));
    if (rc != 0) {
        Py_XDECREF(list);
        return ready_failed(self, rc, 2);
    }
    /* bytes are no containers: no collection (and no other thread) until the view is done */
    PyObject *data = PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
    PyObject *types = NULL;
    uint64_t first = 0;
    size_t n_committed = (size_t)HEAD(RAFTC_RD_N_COMMITTED_ENTRIES);
    if (data == NULL)
        goto nomem;
    if (store) {
        types = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n_committed);
        if (types == NULL)
            goto nomem;
        char *tp = PyBytes_AS_STRING(types);
        for (size_t i = 0; i < n_committed; i++) {
            uint64_t index;
            raftc_entry_type type;
            const uint8_t *d;
            size_t dl;
            rc = F.committed_entry_info(NULL, &index, &type, &d, &dl, rd, i);
            if (rc != 0)
                goto failed;
            if (i == 0)
                first = index;
            PyObject *b = PyBytes_FromStringAndSize((const char *)d, (Py_ssize_t)dl);
            if (b == NULL)
                goto nomem;
            int r = PyList_Append(list, b);
            Py_DECREF(b);
            if (r < 0)
                goto nomem;
            tp[i] = (char)type;
        }
    }
    /* the view is done with: from here on the collector may run */
    PyTypeObject *cls = (PyTypeObject *)ready_class;
    PyObject *ready = cls->tp_alloc(cls, 0);
    PyObject *h = PyTuple_New(2 + RAFTC_RD_COUNT);
    if (ready == NULL || h == NULL) {
        Py_XDECREF(ready);
        Py_XDECREF(h);
        goto nomem;
    }
    for (Py_ssize_t k = 0; k < 2 + RAFTC_RD_COUNT; k++) {
        PyObject *w = PyLong_FromUnsignedLongLong(head[k]);
        if (w == NULL) {
            Py_DECREF(ready);
            Py_DECREF(h);
            goto nomem;
        }
        PyTuple_SET_ITEM(h, k, w);
    }
    int err = set(ready, s_data, data) | set(ready, s_h, h);
    data = NULL;
    err |= set(ready, s_node, owner_get(self));
    err |= set(ready, s_gen, PyLong_FromUnsignedLongLong(self->gen));
    if (store) {
        err |= set(ready, s_cdata, list);
        err |= set(ready, s_ctypes, types);
        err |= set(ready, s_cfirst, PyLong_FromUnsignedLongLong(first));
        list = types = NULL;
    }
    if (!err && HEAD(RAFTC_RD_HAS_SOFT_STATE))
        err = set(ready, s_soft_state,
                  PyObject_CallFunction(soft_state_fn, "KK",
                                        (unsigned long long)HEAD(RAFTC_RD_LEAD),
                                        (unsigned long long)HEAD(RAFTC_RD_RAFT_STATE)));
#undef HEAD
    if (err) {
        Py_XDECREF(list);
        Py_XDECREF(types);
        Py_DECREF(ready);
        return NULL;
    }
    if (self->lb != NULL && self->lb->len != 0) { /* log lines: the RawNode hands them out */
        PyObject *r = owner_call(self, "_after_call", NULL);
        if (r == NULL) {
            Py_DECREF(ready);
            return NULL;
        }
        Py_DECREF(r);
    }
    return ready;

nomem:
    PyErr_Clear();
    rc = RAFTC_ENOMEM;
failed:
    Py_XDECREF(data);
    Py_XDECREF(list);
    Py_XDECREF(types);
    return ready_failed(self, rc, 1);
}

static PyObject *node_ready(hot_node *self, PyObject *unused)
{
    (void)unused;
    return ready_impl(self, 0);
}

static PyObject *node_ready_stored(hot_node *self, PyObject *unused)
{
    (void)unused;
    return ready_impl(self, 1);
}

/* advance(rd=None): etcd's Advance (rd is ignored, as in RawNode.advance). */
static PyObject *node_advance(hot_node *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) > 1)
        return PyErr_Format(PyExc_TypeError, "advance() takes at most 1 argument (%d given)",
                            (int)PyTuple_GET_SIZE(args));
    if (self->node == NULL)
        return owner_call(self, "_slow_advance", NULL);
    int rc = F.advance(self->node);
    self->view = NULL;
    self->gen++;
    if (rc == 0 && (self->lb == NULL || self->lb->len == 0))
        Py_RETURN_NONE;
    PyObject *code = PyLong_FromLong(rc);
    if (code == NULL)
        return NULL;
    PyObject *r = owner_call(self, "_advanced", code);
    Py_DECREF(code);
    return r;
}

/* append_ready(memstorage address, gen): raftc_memstorage_append_ready of the view, if gen is
 * still the view's: 0, 1 when it is not (the caller stores the Ready's entry bytes), or the
 * raftc code of the failure. */
static PyObject *node_append_ready(hot_node *self, PyObject *args)
{
    PyObject *msaddr;
    unsigned long long gen;
    if (!PyArg_ParseTuple(args, "OK", &msaddr, &gen))
        return NULL;
    raftc_memstorage *ms = (raftc_memstorage *)PyLong_AsVoidPtr(msaddr);
    if (ms == NULL)
        return PyErr_Occurred() ? NULL : PyLong_FromLong(RAFTC_EINVAL);
    if (self->view == NULL || gen != self->gen)
        return PyLong_FromLong(1);
    return PyLong_FromLong(F.ms_append_ready(ms, self->view));
}

/* describe(gen): etcd's DescribeReady of the view, or None if gen is not the view's. */
static PyObject *node_describe(hot_node *self, PyObject *arg)
{
    unsigned long long gen = PyLong_AsUnsignedLongLong(arg);
    if (gen == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (self->view == NULL || gen != self->gen)
        Py_RETURN_NONE;
    char *text = NULL;
    int rc = F.ready_describe(&text, self->view);
    if (rc != 0)
        return PyLong_FromLong(rc);
    PyObject *r = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
    F.free(text);
    return r;
}

/* detach(): forgets the node (closed, or failed for good); every call then goes to the
 * RawNode's Python methods. */
static PyObject *node_detach(hot_node *self, PyObject *unused)
{
    (void)unused;
    self->node = NULL;
    self->ms = NULL;
    self->lb = NULL;
    self->view = NULL;
    self->gen++;
    Py_CLEAR(self->keep);
    Py_RETURN_NONE;
}

static int node_traverse(hot_node *self, visitproc visit, void *arg)
{
    Py_VISIT(self->keep);
    Py_VISIT(self->owner);
    return 0;
}

static int node_clear(hot_node *self)
{
    self->node = NULL;
    self->ms = NULL;
    self->lb = NULL;
    self->view = NULL;
    Py_CLEAR(self->keep);
    Py_CLEAR(self->owner);
    return 0;
}

static void node_dealloc(hot_node *self)
{
    PyObject_GC_UnTrack(self);
    node_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Node(weak reference to the RawNode, node address, memstorage address or 0, log buffer
 * address, keep) */
static int node_init(hot_node *self, PyObject *args, PyObject *kwds)
{
    PyObject *owner, *node, *ms, *lb, *keep;
    static char *kwlist[] = {"owner", "node", "ms", "lb", "keep", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOO", kwlist, &owner, &node, &ms, &lb,
                                     &keep))
        return -1;
    if (!PyWeakref_CheckRef(owner)) {
        PyErr_SetString(PyExc_TypeError, "Node(): owner must be a weak reference");
        return -1;
    }
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "pyraftc._hot: bind() was not called");
        return -1;
    }
    void *np = PyLong_AsVoidPtr(node);
    void *mp = PyLong_AsVoidPtr(ms);
    void *lp = PyLong_AsVoidPtr(lb);
    if (PyErr_Occurred())
        return -1;
    node_clear(self);
    self->node = (raftc_node *)np;
    self->ms = (raftc_memstorage *)mp;
    self->lb = (pyraftc_logbuf *)lp;
    Py_INCREF(owner);
    self->owner = owner;
    Py_INCREF(keep);
    self->keep = keep;
    return 0;
}

static PyMethodDef node_methods[] = {
    {"tick", (PyCFunction)node_tick, METH_NOARGS, "RawNode.tick (fast path)."},
    {"has_ready", (PyCFunction)node_has_ready, METH_NOARGS, "RawNode.has_ready (fast path)."},
    {"step", (PyCFunction)node_step, METH_O, "RawNode.step (fast path for bytes)."},
    {"propose", (PyCFunction)node_propose, METH_O, "RawNode.propose (fast path for bytes)."},
    {"propose_many", (PyCFunction)node_propose_many, METH_O,
     "RawNode.propose_many (fast path for a list of bytes)."},
    {"ready", (PyCFunction)node_ready, METH_NOARGS, "RawNode.ready."},
    {"ready_stored", (PyCFunction)node_ready_stored, METH_NOARGS, "RawNode.ready_stored."},
    {"advance", (PyCFunction)node_advance, METH_VARARGS, "RawNode.advance."},
    {"append_ready", (PyCFunction)node_append_ready, METH_VARARGS,
     "append_ready(memstorage address, gen) -> 0, 1 (not the view's gen) or a raftc code."},
    {"describe", (PyCFunction)node_describe, METH_O,
     "describe(gen) -> DescribeReady text, None (not the view's gen) or a raftc code."},
    {"detach", (PyCFunction)node_detach, METH_NOARGS, "Forgets the node."},
    {NULL, NULL, 0, NULL}};

static PyMemberDef node_members[] = {
    {"gen", T_ULONGLONG, offsetof(hot_node, gen), READONLY, "Changes whenever the view does."},
    {NULL, 0, 0, 0, NULL}};

static PyTypeObject hot_node_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pyraftc._hot.Node",
    .tp_basicsize = sizeof(hot_node),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The hot calls of one lock-free RawNode.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)node_init,
    .tp_dealloc = (destructor)node_dealloc,
    .tp_traverse = (traverseproc)node_traverse,
    .tp_clear = (inquiry)node_clear,
    .tp_methods = node_methods,
    .tp_members = node_members,
};

static PyMethodDef module_methods[] = {
    {"bind", hot_bind, METH_VARARGS,
     "bind(addresses, Ready, soft_state): the raftc functions, from the cffi module."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef hot_module = {
    PyModuleDef_HEAD_INIT, "pyraftc._hot",
    "Internal: the hot calls of pyraftc's lock-free RawNode. Not part of the public API.", -1,
    module_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__hot(void)
{
    PyObject **names[] = {&s_data, &s_h, &s_node, &s_gen, &s_cdata, &s_ctypes, &s_cfirst,
                          &s_soft_state};
    const char *texts[] = {"_data", "_h", "_node", "_gen", "_committed_data",
                           "_committed_types", "_committed_first", "soft_state"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (*names[i] == NULL && (*names[i] = PyUnicode_InternFromString(texts[i])) == NULL)
            return NULL;
    if (PyType_Ready(&hot_node_type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&hot_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&hot_node_type);
    if (PyModule_AddObject(m, "Node", (PyObject *)&hot_node_type) < 0) {
        Py_DECREF(&hot_node_type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
