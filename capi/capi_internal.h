/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * capi_internal.h: definitions shared by the capi source files (not installed, not public).
 */
#ifndef CAPI_INTERNAL_H
#define CAPI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "raftc.h"
#include "memstorage.h"
#include "diskstorage.h"
#include "writer.h"
#include "raft.h"
#include "rawnode.h"
#include "strbuf.h"
#include "types.h"

/* Largest raftpb buffer accepted at the ABI edge (messages, entries, snapshots). */
#define CAPI_MAX_INPUT ((size_t)1 << 30)

typedef struct capi_sink_item {
    size_t off;
    size_t len;
} capi_sink_item;

struct raftc_sink {
    uint8_t *buf; /* items' bytes back to back, each followed by a NUL */
    size_t len, cap;
    capi_sink_item *items;
    size_t n, cap_items;
};

struct raftc_memstorage {
    rc_memstorage *ms;
    rc_entries scratch;  /* decoded batch of a large raftc_memstorage_append (array reused) */
};

/* The disk storage handle: the storage, its async writer (when opened with async_writes) and a
 * memory storage handle over its in-memory copy (raftc_diskstorage_memstorage). */
struct raftc_diskstorage {
    ds_storage *ds;
    ds_writer *writer; /* the async writer thread, or NULL */
    raftc_memstorage view;
    rc_entries scratch; /* decoded batch of a large raftc_diskstorage_append (array reused) */
};

/* The in-memory file systems of the tests (raftc_memfs.c). capi_memfs_resolve: 0 if path does
 * not name one (or they are off), 1 with *vfs and *dir (inside path) set, or RAFTC_EINVAL /
 * RAFTC_ENOMEM for a bad "memfs:" path. capi_memfs_control runs RAFTC_TESTING_MEMFS and
 * RAFTC_TESTING_MEMFS_POWER_CUT. */
int capi_memfs_resolve(const char *path, ds_vfs *vfs, const char **dir);
int capi_memfs_control(raftc_testing_op op, uint64_t value);

/* Decodes n raftpb entries into es (its array is used and grown), payloads into pool's slabs;
 * the batch must be contiguous (RAFTC_EINVAL). On failure es is released. */
int capi_entry_batch_decode(rc_entries *es, rc_blob_pool *pool, const uint8_t *const *ents,
                             const size_t *lens, size_t n);
/* Drops a decoded batch's payload references (the storage took its own); keeps the array. */
void capi_entry_batch_release(rc_entries *es);

typedef enum capi_storage_kind {
    CAPI_STORAGE_NONE = 0, CAPI_STORAGE_MEM = 1, CAPI_STORAGE_CALLBACKS = 2,
    CAPI_STORAGE_DISK = 3
} capi_storage_kind;

struct raftc_config {
    rc_config c; /* storage and logger are filled by raftc_node_new */
    raftc_log_fn log_fn;
    void *log_ud;
    capi_storage_kind storage_kind;
    raftc_memstorage *ms;
    raftc_diskstorage *ds;
    raftc_storage_callbacks cbs;
};

/* Sections of the Ready view, encoded to raftpb on first access (bits of raftc_ready.encoded). */
enum {
    CAPI_VIEW_ENTRIES = 1, CAPI_VIEW_COMMITTED = 2, CAPI_VIEW_MESSAGES = 4,
    CAPI_VIEW_HARD_STATE = 8, CAPI_VIEW_SNAPSHOT = 16
};

/* raftc_ready_message_parts: entry payloads of at least this many bytes are parts of their own. */
#define CAPI_PART_MIN 1024u

/* The messages' framings (raftc_ready_message_parts), built on first use for a whole Ready:
 * frames has one item per message, the message's encoding without its large payloads; the gaps
 * of message i are gaps[first[i] .. first[i + 1]). Arrays are kept across Readys. */
typedef struct capi_ready_frames {
    bool built;
    struct raftc_sink frames;
    rc_frame_gap *gaps;
    size_t cap_gaps;
    size_t *first;
    size_t cap_first;
} capi_ready_frames;

/* The Ready view's contents: the core Ready plus the raftpb encodings of the sections read so
 * far (hosts that use the field accessors never pay for encodings). */
typedef struct capi_ready_body {
    rc_ready rd;
    struct raftc_sink entries, committed, messages, hard_state, snapshot;
    struct raftc_sink packed; /* raftc_node_ready_packed's buffer (one item per part) */
    capi_ready_frames frames; /* raftc_ready_message_parts */
} capi_ready_body;

/* The Ready view handed to the host, embedded in the node (a stale pointer stays safe to pass:
 * it is then refused with RAFTC_ESTATE). The body is allocated by the node's first Ready and
 * released after an Advance of a Ready without entries, so idle nodes keep none. */
struct raftc_ready {
    bool valid;
    unsigned encoded;       /* CAPI_VIEW_* bits */
    capi_ready_body *body; /* non-NULL while valid */
};

/* A node over cfg's storage from a block of rc_pack_rawnode (the multi-raft host's quiet
 * groups): RAFTC_OK, or rc_pack_restore's error (*out NULL). */
int capi_node_restore(raftc_node **out, const raftc_config *cfg, const uint8_t *packed);

/* Frees the view's body (node->ready.body is NULL afterwards). */
void capi_ready_view_free(raftc_node *node);

/* Sizes of the node's text buffers (allocated only when needed: idle nodes keep none). */
#define CAPI_ERR_TEXT_MAX 512
#define CAPI_STORAGE_ERR_MAX 256

/* The host-callback storage adaptor's state (memory-storage nodes have none). */
typedef struct capi_node_cb {
    raftc_storage_callbacks cbs;
    raftc_sink *cb_a, *cb_b; /* reused for storage callbacks */
    char storage_err[CAPI_STORAGE_ERR_MAX]; /* why a storage callback's result failed ("" if
                              * none): replaces the core's generic text in the PANIC line it
                              * causes */
} capi_node_cb;

struct raftc_node {
    rc_rawnode *rn;
    raftc_log_fn log_fn;
    void *log_ud;
    capi_storage_kind storage_kind;
    capi_node_cb *cb;       /* callback storage only, else NULL */
    struct raftc_ready ready;
    char *panic_text;        /* first PANIC log line (heap), NULL if none */
    rc_entries step_scratch; /* entry array reused by raftc_node_step (n == 0 between calls);
                              * released after an idle Advance */
    const char *err;         /* last error text: "", a static text, or err_buf */
    char *err_buf;           /* CAPI_ERR_TEXT_MAX bytes, allocated by the first error */
};

/* info[k] = v when k < n (hosts may pass info arrays shorter than the field list). Written
 * field by field: no intermediate array to copy from. */
static inline void capi_info_put(uint64_t *info, size_t n, size_t k, uint64_t v)
{
    if (k < n)
        info[k] = v;
}

/* Refuses a NULL buffer with a non-zero length (RAFTC_EINVAL) and one over CAPI_MAX_INPUT
 * (RAFTC_ETOOLARGE): the first check of every function reading host bytes. */
#define CAPI_CHECK_BUF(buf, len)                                                                   \
    do {                                                                                           \
        if ((buf) == NULL && (len) != 0)                                                           \
            return RAFTC_EINVAL;                                                                   \
        if ((len) > CAPI_MAX_INPUT)                                                                \
            return RAFTC_ETOOLARGE;                                                                \
    } while (0)

/* Records the text of a result on the node and returns rc (capi_node_result_slow for errors
 * and callback storages). */
int capi_node_result_slow(raftc_node *node, int rc, const char *text);
static inline int capi_node_result(raftc_node *node, int rc, const char *text)
{
    /* Most calls succeed on a memory storage: no text to keep, no storage error to clear. */
    if (rc == RAFTC_OK && node->cb == NULL) {
        node->err = "";
        return RAFTC_OK;
    }
    return capi_node_result_slow(node, rc, text);
}

/* The first check of every node call that does work: RAFTC_EINVAL for a NULL node, and
 * RAFTC_EFAILED (with the panic text as the last error) once the node is failed. */
#define CAPI_NODE_CHECK(node)                                                                      \
    do {                                                                                           \
        if ((node) == NULL)                                                                        \
            return RAFTC_EINVAL;                                                                   \
        if (rc_raft_is_failed((node)->rn->raft))                                                   \
            return capi_node_result((node), RAFTC_EFAILED, NULL);                                  \
    } while (0)

/* Smallest struct_size accepted for raftc_storage_callbacks: the end of its first published
 * version (ABI 1.0), which ends with the snapshot callback; never the current sizeof. */
#define CAPI_STORAGE_CALLBACKS_V1_SIZE                                                             \
    (offsetof(raftc_storage_callbacks, snapshot) + sizeof(int (*)(void *, raftc_sink *)))

/* Puts a heap-encoded buffer into the sink and frees it; passes rc through. */
int capi_sink_put_owned(raftc_sink *s, uint8_t *buf, size_t len, int rc);
/* Appends an item of len bytes and returns where to write them (the caller writes exactly len
 * bytes; the NUL after them is already in place), or NULL when out of memory / too large. The
 * pointer is valid until the next change of the sink. No allocation once the sink is warm. */
uint8_t *capi_sink_push(raftc_sink *s, size_t len);
/* Encodes into s without intermediate buffers (the codec's *_to encoders); RAFTC_ENOMEM on
 * failure. */
int capi_sink_put_entry(raftc_sink *s, const rc_entry *e);
int capi_sink_put_message(raftc_sink *s, const rc_message *m);
/* rc_encode_message_fields_to into one item of s (ents and ctx may point into s): the message
 * with scalars f, the canonical Entry bodies ents[0..n) copied verbatim and the context.
 * RAFTC_ETOOLARGE over the input limit, RAFTC_ENOMEM. */
int capi_sink_put_fields_message(raftc_sink *s, const rc_message_fields *f,
                                  const uint8_t *const *ents, const size_t *lens, size_t n,
                                  const uint8_t *ctx, size_t ctx_len);
/* Drops a Ready's framings (keeping the arrays) / frees them. */
void capi_ready_frames_clear(capi_ready_frames *f);
void capi_ready_frames_free(capi_ready_frames *f);
int capi_sink_put_hard_state(raftc_sink *s, const rc_hard_state *hs);
/* Encode a ConfState / Snapshot as one raftpb item of s (RAFTC_ENOMEM, or the codec's error). */
int capi_sink_put_conf_state(raftc_sink *s, const rc_conf_state *cs);
int capi_sink_put_snapshot(raftc_sink *s, const rc_snapshot *snap);
/* Moves a NUL-terminated strbuf into *out (heap); RAFTC_ENOMEM on oom. */
int capi_take_string(char **out, rc_strbuf *b);

/* The multi-raft host's parts the host storage needs (raftc_host.c): the host Ready not yet
 * advanced (NULL if none), and every group with the memory storage holding its log (fn's
 * non-zero result stops the walk and is returned; fn only reads the storage: a quiet group's
 * may be a copy made for the call). */
const raftc_batch *capi_host_batch(const raftc_host *host);
typedef int (*capi_host_group_fn)(void *ctx, uint64_t group, rc_memstorage *ms);
int capi_host_each_group(raftc_host *host, capi_host_group_fn fn, void *ctx);

#endif
