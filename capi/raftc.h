/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc.h: the public, stable C ABI of raftc (etcd raft semantics in C11).
 *
 * Every declaration follows docs/conventions.md; in short:
 * - Names are raftc_<module>_<verb>[_<object>], one module per handle or raftpb value (sink,
 *   message, entry, hard_state, conf_state, snapshot, conf_change, memstorage, config, node,
 *   ready, quorum, changer, testing). Bytes are read by *_decode, written by *_encode, printed by
 *   *_describe.
 * - Arguments: outputs first, then the handle acted on, then the inputs. A pointer is followed by
 *   its length; an output array is (array, cap, &n); a field array is (info, n).
 * - Enum parameters have their enum type; values outside the enum are refused (RAFTC_EINVAL).
 * - Functions that can fail return 0 (RAFTC_OK) or a negative RAFTC_E* code, never renumbered.
 *   raftc_strerror() gives a static text for a code; handles keep the text of their last error
 *   (raftc_node_last_error, raftc_memstorage_last_error, raftc_changer_last_error).
 * - Raft values (messages, entries, hard state, conf state, conf changes, snapshots) cross the ABI
 *   as serialized raftpb protobuf bytes (etcd's wire format).
 * - Inputs are borrowed for the duration of the call. Outputs are static strings, heap strings
 *   released with raftc_free(), items copied into a host-owned raftc_sink, or views owned by a
 *   handle for a documented lifetime. On failure, handle, string and view out pointers are set to
 *   NULL where the contract says so; other outputs are then unspecified.
 * - No structs by value, no bitfields, no varargs; ids, terms and indexes are uint64_t.
 * - A handle is used by one thread at a time (no internal locks); different handles may be used
 *   on different threads at once. A node and the memory storage it reads count as one handle.
 *   There is no hidden static state: the only global mutable state is the allocator hooks (set
 *   once, before anything else). So the functions without a handle (raftpb helpers, describe,
 *   names, raftc_strerror, raftc_quorum_*) are reentrant and thread-safe, and so are changers on
 *   distinct raftc_changer handles; sinks passed to them follow the handle rule.
 * - Bad input never aborts the process. Where etcd panics, raftc logs etcd's text at
 *   RAFTC_LOG_PANIC and the node enters a failed state: every later call returns RAFTC_EFAILED
 *   and raftc_node_last_error() returns the panic text (see "A failed node" below).
 */
#ifndef RAFTC_H
#define RAFTC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(RAFTC_BUILDING_LIBRARY)
#    define RAFTC_API __declspec(dllexport)
#  else
#    define RAFTC_API
#  endif
#elif defined(__GNUC__)
#  define RAFTC_API __attribute__((visibility("default")))
#else
#  define RAFTC_API
#endif

/* ======================================================================================
 * Versions
 * ====================================================================================== */

#define RAFTC_VERSION_MAJOR 1
#define RAFTC_VERSION_MINOR 0
#define RAFTC_VERSION_PATCH 0
#define RAFTC_VERSION_STRING "1.0.0"
/* ABI major: bumped on any incompatible ABI change (tied to the SONAME). */
#define RAFTC_ABI_VERSION 1

/* "MAJOR.MINOR.PATCH" of the library actually loaded (static string). */
RAFTC_API const char *raftc_version(void);
/* RAFTC_ABI_VERSION of the library actually loaded. */
RAFTC_API int raftc_abi_version(void);

/* ======================================================================================
 * Errors
 * ====================================================================================== */

/* Error codes: 0 or negative. Never renumbered; new codes are only added at the end. */
typedef enum raftc_err {
    RAFTC_OK = 0,
    RAFTC_EINVAL = -1,                  /* invalid argument (NULL, id 0, bad enum value, ...) */
    RAFTC_ENOMEM = -2,                  /* allocation failed */
    RAFTC_EDECODE = -3,                 /* malformed raftpb bytes */
    RAFTC_ETOOLARGE = -4,               /* buffer over the size limit */
    RAFTC_EPROPOSAL_DROPPED = -5,       /* "raft proposal dropped" */
    RAFTC_ESTEP_LOCAL_MSG = -6,         /* "raft: cannot step raft local message" */
    RAFTC_ESTEP_PEER_NOT_FOUND = -7,    /* "raft: cannot step as peer not found" */
    RAFTC_ECOMPACTED = -8,              /* "requested index is unavailable due to compaction" */
    RAFTC_EUNAVAILABLE = -9,            /* "requested entry at index is unavailable" */
    RAFTC_ESNAP_OUT_OF_DATE = -10,      /* "requested index is older than the existing snapshot" */
    RAFTC_ESNAP_TEMP_UNAVAILABLE = -11, /* "snapshot is temporarily unavailable" */
    RAFTC_ESTORAGE = -12,               /* a storage callback failed otherwise */
    RAFTC_EFAILED = -13,                /* etcd panics here: the node is failed (memory
                                         * storage: the call is refused, see there) */
    RAFTC_ESTATE = -14,                 /* call out of order (e.g. advance without ready) */
    RAFTC_ECONFIG = -15,                /* invalid configuration */
    RAFTC_ECONFCHANGE = -16,            /* a conf change was refused */
    RAFTC_ENOTFOUND = -17,              /* no such item */
    RAFTC_EUNKNOWN_TYPE = -18,          /* message type outside etcd's enum */
    RAFTC_ECORRUPT = -19,               /* stored data failed its checks (disk storage) */
    RAFTC_ELOCKED = -20,                /* the storage directory is used by another process */
    RAFTC_EIO = -21,                    /* an I/O call failed (disk storage) */
    RAFTC_EREFUSED = -22                /* a message no correct peer can send, refused; the
                                         * node is unchanged and healthy (last_error says
                                         * which sender, field and value) */
} raftc_err;

/* Static text for an error code; etcd's error text where etcd has one (e.g. RAFTC_ESTEP_LOCAL_MSG
 * -> "raft: cannot step raft local message"). Unknown codes give "unknown error". Never NULL. */
RAFTC_API const char *raftc_strerror(int code);

/* ======================================================================================
 * Memory
 * ====================================================================================== */

typedef void *(*raftc_malloc_fn)(void *ud, size_t size);
typedef void *(*raftc_realloc_fn)(void *ud, void *ptr, size_t size);
typedef void (*raftc_free_fn)(void *ud, void *ptr);

/* Installs allocator hooks used for every allocation of the library (malloc_fn / realloc_fn
 * return NULL on failure: the library then returns RAFTC_ENOMEM; ud is passed to each hook).
 * All three NULL restores libc. Call once, before creating any handle or heap string, and never
 * concurrently with any other call: memory must be freed by the allocator that made it.
 * RAFTC_EINVAL if only some are NULL (nothing changes). */
RAFTC_API int raftc_set_allocator(raftc_malloc_fn malloc_fn, raftc_realloc_fn realloc_fn,
                                  raftc_free_fn free_fn, void *ud);
/* Releases memory the library handed to the host (the heap strings of every *_describe function
 * and of raftc_node_status_progress / raftc_node_status_config). NULL is a no-op. Never for
 * handles (use their *_free) or views. */
RAFTC_API void raftc_free(void *p);

/* ======================================================================================
 * Constants (etcd's numbering)
 * ====================================================================================== */

/* raftpb.MessageType */
typedef enum raftc_msg_type {
    RAFTC_MSG_HUP = 0, RAFTC_MSG_BEAT = 1, RAFTC_MSG_PROP = 2, RAFTC_MSG_APP = 3,
    RAFTC_MSG_APP_RESP = 4, RAFTC_MSG_VOTE = 5, RAFTC_MSG_VOTE_RESP = 6, RAFTC_MSG_SNAP = 7,
    RAFTC_MSG_HEARTBEAT = 8, RAFTC_MSG_HEARTBEAT_RESP = 9, RAFTC_MSG_UNREACHABLE = 10,
    RAFTC_MSG_SNAP_STATUS = 11, RAFTC_MSG_CHECK_QUORUM = 12, RAFTC_MSG_TRANSFER_LEADER = 13,
    RAFTC_MSG_TIMEOUT_NOW = 14, RAFTC_MSG_READ_INDEX = 15, RAFTC_MSG_READ_INDEX_RESP = 16,
    RAFTC_MSG_PRE_VOTE = 17, RAFTC_MSG_PRE_VOTE_RESP = 18, RAFTC_MSG_STORAGE_APPEND = 19,
    RAFTC_MSG_STORAGE_APPEND_RESP = 20, RAFTC_MSG_STORAGE_APPLY = 21,
    RAFTC_MSG_STORAGE_APPLY_RESP = 22, RAFTC_MSG_FORGET_LEADER = 23
} raftc_msg_type;

/* raftpb.EntryType */
typedef enum raftc_entry_type {
    RAFTC_ENTRY_NORMAL = 0, RAFTC_ENTRY_CONF_CHANGE = 1, RAFTC_ENTRY_CONF_CHANGE_V2 = 2
} raftc_entry_type;

/* raftpb.ConfChangeType */
typedef enum raftc_cc_type {
    RAFTC_CC_ADD_NODE = 0, RAFTC_CC_REMOVE_NODE = 1, RAFTC_CC_UPDATE_NODE = 2,
    RAFTC_CC_ADD_LEARNER_NODE = 3
} raftc_cc_type;

/* raftpb.ConfChangeTransition */
typedef enum raftc_cc_transition {
    RAFTC_CC_TRANSITION_AUTO = 0, RAFTC_CC_TRANSITION_JOINT_IMPLICIT = 1,
    RAFTC_CC_TRANSITION_JOINT_EXPLICIT = 2
} raftc_cc_transition;

/* Which encoding a conf change's bytes use: raftpb.ConfChange (v1) or ConfChangeV2. */
typedef enum raftc_cc_kind { RAFTC_CC_V1 = 1, RAFTC_CC_V2 = 2 } raftc_cc_kind;

/* raft.StateType */
typedef enum raftc_state_type {
    RAFTC_STATE_FOLLOWER = 0, RAFTC_STATE_CANDIDATE = 1, RAFTC_STATE_LEADER = 2,
    RAFTC_STATE_PRE_CANDIDATE = 3
} raftc_state_type;

/* tracker.StateType of a peer's progress */
typedef enum raftc_progress_state {
    RAFTC_PROGRESS_PROBE = 0, RAFTC_PROGRESS_REPLICATE = 1, RAFTC_PROGRESS_SNAPSHOT = 2
} raftc_progress_state;

typedef enum raftc_read_only_option {
    RAFTC_READ_ONLY_SAFE = 0, RAFTC_READ_ONLY_LEASE_BASED = 1
} raftc_read_only_option;

typedef enum raftc_snapshot_status {
    RAFTC_SNAPSHOT_FINISH = 1, RAFTC_SNAPSHOT_FAILURE = 2
} raftc_snapshot_status;

/* 64-bit constants. FFIs that cannot take them (LuaJIT's ffi.cdef, cgo, SWIG) find them as
 * comments in bindings/raftc_decls.h and define them in the binding; their values never change.
 *
 * Special node ids (etcd's None, LocalAppendThread, LocalApplyThread). */
#define RAFTC_NONE ((uint64_t)0)
#define RAFTC_LOCAL_APPEND_THREAD UINT64_MAX
#define RAFTC_LOCAL_APPLY_THREAD (UINT64_MAX - 1)
/* "No limit" for size options. */
#define RAFTC_NO_LIMIT UINT64_MAX

/* etcd's names: "MsgApp", "EntryNormal", "StateLeader", "ConfChangeAddNode", "StateProbe", ...
 * Static strings; values outside the enum give a fallback text (never NULL). */
RAFTC_API const char *raftc_msg_type_name(raftc_msg_type type);
RAFTC_API const char *raftc_entry_type_name(raftc_entry_type type);
RAFTC_API const char *raftc_state_type_name(raftc_state_type state);
RAFTC_API const char *raftc_cc_type_name(raftc_cc_type type);
RAFTC_API const char *raftc_progress_state_name(raftc_progress_state state);
/* Reverse of raftc_msg_type_name: sets *out to the type named name ("MsgApp" -> RAFTC_MSG_APP).
 * RAFTC_EINVAL for a NULL argument, RAFTC_ENOTFOUND for an unknown name (*out unchanged). */
RAFTC_API int raftc_msg_type_parse(raftc_msg_type *out, const char *name);

/* ======================================================================================
 * Sinks: host-owned, growable lists of byte strings ("items")
 *
 * A sink receives copies of data from the library (outputs such as entries, snapshots,
 * encoded values) or, inside storage callbacks, from the host. Every put appends one item.
 * Items stay valid until the sink is reset or freed. Functions that take an output sink
 * append to it (they do not reset it); on failure they may have appended some items.
 * ====================================================================================== */

typedef struct raftc_sink raftc_sink;

/* Creates an empty sink into *out (NULL on failure). RAFTC_EINVAL if out is NULL,
 * RAFTC_ENOMEM. */
RAFTC_API int raftc_sink_new(raftc_sink **out);
/* Frees a sink and its items (NULL is a no-op). */
RAFTC_API void raftc_sink_free(raftc_sink *s);
/* Drops all items (keeps capacity; NULL is a no-op). */
RAFTC_API void raftc_sink_reset(raftc_sink *s);
/* Appends a copy of len bytes as one item (p may be NULL iff len == 0; p must not point into
 * this sink's own items). RAFTC_EINVAL for a NULL sink or p, RAFTC_ETOOLARGE over 1 GiB,
 * RAFTC_ENOMEM; the sink is unchanged on error. */
RAFTC_API int raftc_sink_put(raftc_sink *s, const void *p, size_t len);
/* Number of items (0 for NULL). */
RAFTC_API size_t raftc_sink_count(const raftc_sink *s);
/* View of item i: *p (never NULL; points to a NUL byte for empty items; every item is followed
 * by a NUL byte) and *len. The view is valid until the next put/reset/free of this sink.
 * RAFTC_EINVAL for NULL arguments, RAFTC_ENOTFOUND if i is out of range. */
RAFTC_API int raftc_sink_get(const uint8_t **p, size_t *len, const raftc_sink *s, size_t i);

/* ======================================================================================
 * raftpb helpers: build and inspect raftpb bytes without a protobuf library
 *
 * Stateless and reentrant. Errors common to all of them: RAFTC_EINVAL for a NULL out sink, a
 * NULL array or buffer with a non-zero length, too small an info array, or an enum value out of
 * range (entry type, conf change type/transition/kind, ConfState list); RAFTC_ETOOLARGE for a
 * buffer over 1 GiB (checked before any byte is read); RAFTC_EDECODE for malformed bytes;
 * RAFTC_ENOMEM. Encoders append exactly one item to out on success (none on error); decoders
 * accept empty bytes as the zero value of the message.
 * ====================================================================================== */

/* Indexes into the uint64_t array of raftc_message_decode / raftc_message_encode. */
typedef enum raftc_message_field {
    RAFTC_MF_TYPE = 0,
    RAFTC_MF_TO = 1,
    RAFTC_MF_FROM = 2,
    RAFTC_MF_TERM = 3,
    RAFTC_MF_LOG_TERM = 4,
    RAFTC_MF_INDEX = 5,
    RAFTC_MF_COMMIT = 6,
    RAFTC_MF_VOTE = 7,
    RAFTC_MF_REJECT = 8,        /* 0 or 1 */
    RAFTC_MF_REJECT_HINT = 9,
    RAFTC_MF_N_ENTRIES = 10,    /* info only */
    RAFTC_MF_HAS_SNAPSHOT = 11, /* info only; 0 or 1 */
    RAFTC_MF_N_RESPONSES = 12,  /* info only */
    RAFTC_MF_COUNT = 13
} raftc_message_field;

/* Decodes a raftpb Message and fills info[0..min(n, RAFTC_MF_COUNT)). RAFTC_EDECODE on
 * malformed bytes, RAFTC_EUNKNOWN_TYPE for a type outside the enum. */
RAFTC_API int raftc_message_decode(uint64_t *info, size_t n, const uint8_t *buf, size_t len);
/* Copies parts of a message into sinks (each may be NULL): entries (one encoded raftpb Entry
 * per item), snapshot (0 or 1 encoded Snapshot), responses (one encoded Message per item),
 * context (exactly one item, possibly empty). */
RAFTC_API int raftc_message_decode_parts(raftc_sink *entries, raftc_sink *snapshot,
                                         raftc_sink *responses, raftc_sink *context,
                                         const uint8_t *buf, size_t len);
/* Views of the message's Entry items inside buf, without copying:
 * ptrs[i], lens[i] for i < min(cap, count) point into buf (raw raftpb Entry bytes, for
 * raftc_entry_decode); *n gets the count (call with cap 0 to size the arrays). Same validation
 * and errors as raftc_message_decode. */
RAFTC_API int raftc_message_decode_entries(const uint8_t **ptrs, size_t *lens, size_t cap,
                                    size_t *n, const uint8_t *buf, size_t len);
/* Puts one item into out: the same message with its Responses removed (what etcd's harness
 * prints after "Processing:"). */
RAFTC_API int raftc_message_strip_responses(raftc_sink *out, const uint8_t *buf, size_t len);
/* Encodes a message into one item of out. info holds the scalar fields RAFTC_MF_TYPE ..
 * RAFTC_MF_REJECT_HINT (n >= RAFTC_MF_REJECT_HINT + 1, the rest is ignored). entries is an
 * array of n_entries encoded raftpb Entry buffers with their lengths (both may be NULL when
 * n_entries == 0); snapshot / context are optional raftpb Snapshot bytes / raw context bytes.
 * RAFTC_EDECODE if an entry or the snapshot is malformed, RAFTC_EINVAL for bad arguments. */
RAFTC_API int raftc_message_encode(raftc_sink *out, const uint64_t *info, size_t n,
                                   const uint8_t *const *entries, const size_t *entry_lens,
                                   size_t n_entries, const uint8_t *snapshot, size_t snapshot_len,
                                   const uint8_t *context, size_t context_len);

/* Decodes a raftpb Entry. Any out pointer may be NULL. *data is a view into buf (NULL with
 * *data_len 0 when the entry has no data). */
RAFTC_API int raftc_entry_decode(uint64_t *term, uint64_t *index, raftc_entry_type *type,
                                 const uint8_t **data, size_t *data_len, const uint8_t *buf,
                                 size_t len);
/* Encodes a raftpb Entry into one item of out. */
RAFTC_API int raftc_entry_encode(raftc_sink *out, uint64_t term, uint64_t index,
                                 raftc_entry_type type,
                                 const uint8_t *data, size_t data_len);

/* Encodes a raftpb HardState into one item of out / decodes one (any out pointer may be
 * NULL). */
RAFTC_API int raftc_hard_state_encode(raftc_sink *out, uint64_t term, uint64_t vote,
                                      uint64_t commit);
RAFTC_API int raftc_hard_state_decode(uint64_t *term, uint64_t *vote, uint64_t *commit,
                                      const uint8_t *buf, size_t len);

/* Encodes a raftpb ConfState (lists in the order given; any list may be NULL when its count
 * is 0). */
RAFTC_API int raftc_conf_state_encode(raftc_sink *out, const uint64_t *voters, size_t n_voters,
                                      const uint64_t *learners, size_t n_learners,
                                      const uint64_t *voters_outgoing, size_t n_voters_outgoing,
                                      const uint64_t *learners_next, size_t n_learners_next,
                                      int auto_leave);
/* Which list of a ConfState raftc_conf_state_decode reads. */
typedef enum raftc_conf_state_list {
    RAFTC_CS_VOTERS = 0, RAFTC_CS_LEARNERS = 1, RAFTC_CS_VOTERS_OUTGOING = 2,
    RAFTC_CS_LEARNERS_NEXT = 3
} raftc_conf_state_list;
/* Decodes a raftpb ConfState: copies up to cap ids of the chosen list into ids (may be NULL when
 * cap is 0), sets *n to the list's full length and *auto_leave (optional). */
RAFTC_API int raftc_conf_state_decode(uint64_t *ids, size_t cap, size_t *n, int *auto_leave,
                                   const uint8_t *buf, size_t len, raftc_conf_state_list list);

/* Encodes a raftpb Snapshot {Data, Metadata{ConfState, Index, Term}} into one item of out.
 * conf_state is raftpb ConfState bytes (NULL/0 = empty ConfState). */
RAFTC_API int raftc_snapshot_encode(raftc_sink *out, uint64_t index, uint64_t term,
                                    const uint8_t *conf_state, size_t conf_state_len,
                                    const uint8_t *data, size_t data_len);
/* Decodes a raftpb Snapshot. Any out pointer/sink may be NULL. conf_state receives one item (the
 * encoded ConfState) and data one item (the snapshot data, possibly empty). */
RAFTC_API int raftc_snapshot_decode(uint64_t *index, uint64_t *term, raftc_sink *conf_state,
                                  raftc_sink *data, const uint8_t *buf, size_t len);

/* Encodes a raftpb ConfChange (v1; ID 0) into one item of out. */
RAFTC_API int raftc_conf_change_encode(raftc_sink *out, raftc_cc_type type, uint64_t node_id,
                                       const uint8_t *context, size_t context_len);
/* Encodes a raftpb ConfChangeV2 with n changes (types[i], node_ids[i]) into one item of out. */
RAFTC_API int raftc_conf_change_v2_encode(raftc_sink *out, raftc_cc_transition transition,
                                          const raftc_cc_type *types,
                                          const uint64_t *node_ids, size_t n,
                                          const uint8_t *context, size_t context_len);
/* Puts the Context of a conf change (kind RAFTC_CC_V1 or RAFTC_CC_V2) into one item of out.
 * Empty bytes are a valid (empty) V2 change. */
RAFTC_API int raftc_conf_change_decode_context(raftc_sink *out, raftc_cc_kind kind,
                                               const uint8_t *buf, size_t len);

/* ======================================================================================
 * Describe: etcd's Describe* text forms (identical to etcd's util.go output)
 *
 * Each returns 0 and a NUL-terminated heap string in *out (release with raftc_free), or an
 * error with *out = NULL: RAFTC_EINVAL for a NULL out or bad arguments (as the raftpb helpers),
 * RAFTC_EDECODE for malformed bytes, RAFTC_ENOMEM. Stateless and reentrant. No trailing
 * newline unless the etcd form has one (raftc_entry_describe_list, raftc_ready_describe).
 * ====================================================================================== */

/* etcd's DescribeMessage(m, nil) of a raftpb Message ("1->2 MsgApp Term:1 Log:1/2 ..."). */
RAFTC_API int raftc_message_describe(char **out, const uint8_t *buf, size_t len);
/* etcd's DescribeEntry(e, nil) of a raftpb Entry ("1/4 EntryNormal \"data\""). */
RAFTC_API int raftc_entry_describe(char **out, const uint8_t *buf, size_t len);
/* n encoded entries, each described followed by "\n". */
RAFTC_API int raftc_entry_describe_list(char **out, const uint8_t *const *ents, const size_t *lens,
                                     size_t n);
/* etcd's DescribeHardState ("Term:3 Vote:2 Commit:9"); an empty (all-zero) one gives "". */
RAFTC_API int raftc_hard_state_describe(char **out, const uint8_t *buf, size_t len);
/* etcd's DescribeConfState ("Voters:[1] VotersOutgoing:[] Learners:[] LearnersNext:[]
 * AutoLeave:false"). */
RAFTC_API int raftc_conf_state_describe(char **out, const uint8_t *buf, size_t len);
/* etcd's DescribeSnapshot ("Index:11 Term:1 ConfState:..."). */
RAFTC_API int raftc_snapshot_describe(char **out, const uint8_t *buf, size_t len);
/* etcd's DescribeSoftState: "Lead:%d State:<StateType>" (a state outside raftc_state_type
 * prints raftc_state_type_name's fallback). */
RAFTC_API int raftc_soft_state_describe(char **out, uint64_t lead, raftc_state_type state);

/* ======================================================================================
 * Memory storage (etcd's MemoryStorage)
 *
 * An in-memory log: the snapshot, the entries after it and the HardState. A node reads it during
 * its calls (raftc_config_set_memstorage); the host writes it between them (persisting Readys)
 * and compacts it. One thread at a time, including the nodes that read it.
 *
 * Errors common to every function: RAFTC_EINVAL for a NULL handle or out pointer, or a NULL
 * buffer with a non-zero length; RAFTC_ETOOLARGE for a buffer over 1 GiB; RAFTC_EDECODE for
 * malformed raftpb bytes; RAFTC_ENOMEM. Where etcd's MemoryStorage panics (a caller bug: a gap
 * after the last index, compacting or snapshotting beyond it, reading beyond it), the call
 * returns RAFTC_EFAILED and raftc_memstorage_last_error() gives etcd's panic text; unlike a
 * failed node, the storage is not failed: it is unchanged and stays usable. A failing call
 * never changes the storage.
 * ====================================================================================== */

typedef struct raftc_memstorage raftc_memstorage;

/* Creates an empty memory storage (first index 1, last index 0, zero HardState, empty
 * snapshot) into *out (NULL on failure). RAFTC_EINVAL, RAFTC_ENOMEM. */
RAFTC_API int raftc_memstorage_new(raftc_memstorage **out);
/* Frees it (NULL is a no-op). The host must free every node using it first. */
RAFTC_API void raftc_memstorage_free(raftc_memstorage *ms);
/* etcd's Append: appends n encoded raftpb Entry buffers (ents[i] of lens[i] bytes), truncating
 * any conflicting tail; entries at or below the compaction point are ignored. n == 0 is a no-op
 * (ents/lens may then be NULL). All or nothing: on any error nothing is appended.
 * RAFTC_EDECODE for a malformed entry; RAFTC_EINVAL for a batch that is not contiguous (entry
 * i+1 is not at index(entry i) + 1: etcd trusts its caller here, raftc refuses) or whose
 * indexes are 0 or would wrap past 2^64 - 2 (raftc_memstorage_last_error says which); RAFTC_EFAILED
 * when the batch starts after last index + 1 (etcd's panic "missing log entry [last: L, append
 * at: I]"). */
RAFTC_API int raftc_memstorage_append(raftc_memstorage *ms, const uint8_t *const *ents,
                                      const size_t *lens, size_t n);
/* etcd's SetHardState from raftpb HardState bytes (empty bytes = the zero HardState). */
RAFTC_API int raftc_memstorage_set_hard_state(raftc_memstorage *ms, const uint8_t *buf,
                                              size_t len);
/* Same, from fields. RAFTC_EINVAL for a NULL ms only. */
RAFTC_API int raftc_memstorage_set_hard_state_fields(raftc_memstorage *ms, uint64_t term,
                                                     uint64_t vote, uint64_t commit);
/* etcd's ApplySnapshot: replaces the contents with a raftpb Snapshot (the log becomes empty
 * after the snapshot's index). RAFTC_ESNAP_OUT_OF_DATE if its index is not newer than the
 * current snapshot's, RAFTC_EINVAL (with a text) at index 2^64 - 1 (nothing changes). */
RAFTC_API int raftc_memstorage_apply_snapshot(raftc_memstorage *ms, const uint8_t *buf,
                                              size_t len);
/* etcd's CreateSnapshot: makes a snapshot at index i (term taken from the log) with an optional
 * raftpb ConfState (NULL/0 = empty) and data; the encoded Snapshot is put into out if non-NULL.
 * The log is not compacted (see raftc_memstorage_compact). RAFTC_ESNAP_OUT_OF_DATE if i <= the
 * current snapshot index, RAFTC_EFAILED if i > last index ("snapshot I is out of bound
 * lastindex(L)"). */
RAFTC_API int raftc_memstorage_create_snapshot(raftc_sink *out, raftc_memstorage *ms,
                                               uint64_t i, const uint8_t *conf_state,
                                               size_t conf_state_len, const uint8_t *data,
                                               size_t data_len);
/* etcd's Compact: discards the entries before compact_index (which becomes the dummy entry
 * whose term is kept). Never compact beyond the node's applied index. RAFTC_ECOMPACTED if
 * compact_index <= the current compaction index; RAFTC_EFAILED if compact_index > last index
 * ("compact I is out of bound lastindex(L)"). */
RAFTC_API int raftc_memstorage_compact(raftc_memstorage *ms, uint64_t compact_index);
/* etcd's FirstIndex / LastIndex into *out. RAFTC_EINVAL for NULL arguments only. */
RAFTC_API int raftc_memstorage_first_index(uint64_t *out, raftc_memstorage *ms);
RAFTC_API int raftc_memstorage_last_index(uint64_t *out, raftc_memstorage *ms);
/* etcd's Term: the term of entry i into *term (valid for [first-1, last]; 0 on error).
 * RAFTC_ECOMPACTED below first-1, RAFTC_EUNAVAILABLE above last. */
RAFTC_API int raftc_memstorage_term(uint64_t *term, raftc_memstorage *ms, uint64_t i);
/* etcd's Entries: entries [lo, hi) limited to max_size encoded bytes (but at least one), one
 * encoded raftpb Entry per item appended to out. RAFTC_ECOMPACTED if lo <= the compaction
 * index, RAFTC_EUNAVAILABLE if the storage holds no entries, RAFTC_EFAILED if hi > last + 1 or
 * lo > hi (etcd's panics "entries' hi(H) is out of bound lastindex(L)" / "entries' lo(L) is
 * greater than hi(H)"). */
RAFTC_API int raftc_memstorage_entries(raftc_sink *out, raftc_memstorage *ms, uint64_t lo,
                                       uint64_t hi, uint64_t max_size);
/* etcd's Snapshot: the current snapshot as one encoded raftpb Snapshot item appended to out
 * (the empty snapshot before any was applied or created). */
RAFTC_API int raftc_memstorage_snapshot(raftc_sink *out, raftc_memstorage *ms);
/* etcd's InitialState: the stored HardState (one item into hard_state) and the snapshot's
 * ConfState (one item into conf_state); either sink may be NULL. */
RAFTC_API int raftc_memstorage_initial_state(raftc_sink *hard_state, raftc_sink *conf_state,
                                             raftc_memstorage *ms);
/* etcd's panic text of the last call on ms that returned RAFTC_EFAILED, e.g. "compact 7 is out
 * of bound lastindex(5)", or why an append or snapshot was refused with RAFTC_EINVAL ("append
 * batch is not contiguous: entry 1 has index 3, want 2") ("" if none yet; other errors do not
 * set it). Owned by ms, valid until
 * the next failing call or raftc_memstorage_free. Never NULL (a NULL ms gives ""). */
RAFTC_API const char *raftc_memstorage_last_error(const raftc_memstorage *ms);

/* ======================================================================================
 * Disk storage (a crash-safe write-ahead log and snapshot files; docs/storage.md)
 *
 * A directory holding a segmented write-ahead log (a CRC32C per record) and snapshot files
 * written atomically, with an in-memory copy of the log that nodes read (like etcd's WAL plus
 * MemoryStorage). Opening replays the log: a torn tail of the last segment (a crash during a
 * write) is cut off; any other damage refuses to open with RAFTC_ECORRUPT and a text naming
 * the file and offset. The directory is locked while open (RAFTC_ELOCKED for a second opener).
 *
 * Writes are durable when the call returns, as the sync policy says: RAFTC_SYNC_EACH fsyncs in
 * every write call (raftc_diskstorage_save_ready only when the Ready's MustSync is set);
 * RAFTC_SYNC_GROUP buffers writes until raftc_diskstorage_sync (one fsync for many Readys or
 * nodes: call it before sending the Readys' messages); RAFTC_SYNC_NONE never fsyncs (not
 * crash-safe; tests and benchmarks). Snapshots are always fsynced (except RAFTC_SYNC_NONE).
 *
 * A failed write, fsync or file operation fails the storage for good: every later write returns
 * RAFTC_EFAILED, nodes reading it fail (RAFTC_ESTORAGE from their storage), and
 * raftc_diskstorage_last_error() says what failed. Nothing is retried: after a failed fsync the
 * kernel may have dropped the data, so it must never be acknowledged. Reopen to recover.
 *
 * Argument errors as for the memory storage (RAFTC_EINVAL, RAFTC_ETOOLARGE, RAFTC_EDECODE;
 * RAFTC_EFAILED with etcd's panic text for a gap or a snapshot beyond the last index, leaving
 * the storage unchanged and usable). One thread at a time, including the nodes that read it
 * (the async writer's own thread excepted; see raftc_diskstorage_submit).
 * ====================================================================================== */

typedef struct raftc_diskstorage raftc_diskstorage;

typedef enum raftc_sync_policy {
    RAFTC_SYNC_EACH = 0,  /* fsync in every write call that needs it (the default) */
    RAFTC_SYNC_GROUP = 1, /* fsync in raftc_diskstorage_sync only (group commit) */
    RAFTC_SYNC_NONE = 2   /* never fsync (not crash-safe) */
} raftc_sync_policy;

/* Options of raftc_diskstorage_open. Zero-initialize, set struct_size, then the fields wanted;
 * fields only grow at the end. */
typedef struct raftc_diskstorage_options {
    size_t struct_size;     /* sizeof(raftc_diskstorage_options) as compiled by the host */
    uint64_t segment_size;  /* bytes per WAL segment, preallocated; 0: 64 MiB; at least 4096 */
    int sync_policy;        /* raftc_sync_policy */
    int async_writes;       /* non-zero: run the async writer thread (raftc_diskstorage_submit) */
} raftc_diskstorage_options;

/* Opens the disk storage in directory path (created if absent; a fresh one is empty like a new
 * memory storage) and replays it. opts may be NULL (defaults). On failure *out is NULL and, if
 * err is not NULL, err (err_len bytes, NUL-terminated, truncated to fit) gets the reason:
 * RAFTC_ELOCKED (another process has the directory open), RAFTC_ECORRUPT (naming the file and
 * offset), RAFTC_EIO, RAFTC_EINVAL (bad options), RAFTC_ENOMEM. */
RAFTC_API int raftc_diskstorage_open(raftc_diskstorage **out, char *err, size_t err_len,
                                     const char *path, const raftc_diskstorage_options *opts);
/* Writes out buffered records (no fsync: what was not synced is not promised), unlocks the
 * directory and frees ds. NULL is a no-op. Nodes reading ds must be freed first. */
RAFTC_API void raftc_diskstorage_free(raftc_diskstorage *ds);
/* As raftc_memstorage_append, durably. */
RAFTC_API int raftc_diskstorage_append(raftc_diskstorage *ds, const uint8_t *const *ents,
                                       const size_t *lens, size_t n);
/* As raftc_memstorage_set_hard_state, durably. */
RAFTC_API int raftc_diskstorage_set_hard_state(raftc_diskstorage *ds, const uint8_t *buf,
                                               size_t len);
/* As raftc_memstorage_apply_snapshot: writes the snapshot file, then replaces the log with it;
 * log segments and snapshot files it makes obsolete are deleted. */
RAFTC_API int raftc_diskstorage_apply_snapshot(raftc_diskstorage *ds, const uint8_t *buf,
                                               size_t len);
/* As raftc_memstorage_create_snapshot (out may be NULL), durably; obsolete log segments and
 * snapshot files are deleted. */
RAFTC_API int raftc_diskstorage_create_snapshot(raftc_sink *out, raftc_diskstorage *ds,
                                                uint64_t i, const uint8_t *conf_state,
                                                size_t conf_state_len, const uint8_t *data,
                                                size_t data_len);
/* As raftc_memstorage_compact (the in-memory copy; the log on disk is trimmed by snapshots). */
RAFTC_API int raftc_diskstorage_compact(raftc_diskstorage *ds, uint64_t compact_index);
/* Makes every write so far durable (the group commit point; with RAFTC_SYNC_EACH a no-op
 * unless a Ready without MustSync was saved). RAFTC_EFAILED (storage failed) or RAFTC_EIO.
 * The one exception to "one thread at a time": it may run while nodes reading ds (and reads
 * of its memory storage handle) run on another thread, since it touches only the log file and
 * the failure state, never the in-memory copy; never at the same time as another call on ds. */
RAFTC_API int raftc_diskstorage_sync(raftc_diskstorage *ds);
/* The in-memory copy of the log as a memory storage handle, for reading (entries, term,
 * snapshot, ...). Borrowed: valid while ds lives. Never write through it: such writes bypass
 * the disk and are lost when the storage is reopened. RAFTC_EINVAL for NULL arguments. */
RAFTC_API int raftc_diskstorage_memstorage(raftc_memstorage **out, raftc_diskstorage *ds);

/* Async storage writes (etcd's AsyncStorageWrites), with options.async_writes set: the storage
 * owns a writer thread (the core stays thread-free). A node configured with
 * RAFTC_OPT_ASYNC_STORAGE_WRITES puts MsgStorageAppend messages to RAFTC_LOCAL_APPEND_THREAD
 * in its Readys; the host hands them to the writer (raftc_diskstorage_submit, or
 * raftc_diskstorage_submit_ready straight from the Ready) instead of persisting them itself,
 * and keeps driving the node. The thread persists them in order, in batches of everything queued (the
 * snapshot, entries and HardState of each; one fsync per batch when any message must sync by
 * etcd's rule: entries, a new term or vote; RAFTC_SYNC_EACH and RAFTC_SYNC_GROUP behave alike,
 * RAFTC_SYNC_NONE never fsyncs), then releases their Responses:
 * raftc_diskstorage_take_responses gives them to the host, which steps those addressed to its
 * node (the MsgStorageAppendResp) and sends the others (e.g. MsgAppResp, vote responses). A
 * response is only released once its message and every earlier one is durable.
 * While the writer runs: raftc_diskstorage_append, _set_hard_state, _apply_snapshot and
 * _save_ready return RAFTC_ESTATE (the writer makes those writes); _create_snapshot, _compact,
 * _sync and the node's reads may be called at any time (the storage locks what they share with
 * the thread); the memory storage handle of raftc_diskstorage_memstorage may only be read while
 * no submitted message is pending (every one reported done by take_responses). A failed write
 * fails the storage as above: queued messages are dropped, no response of theirs is released,
 * submit returns RAFTC_EFAILED and take_responses returns RAFTC_EFAILED once the responses of
 * what was persisted before have been taken. raftc_diskstorage_free persists what is queued,
 * then stops the thread. All calls on the handle still come from one host thread at a time,
 * except raftc_diskstorage_take_responses: it touches only the writer's queue (under the
 * writer's own lock), so a host may wait in it on one thread while another thread makes the
 * other calls (never raftc_diskstorage_free meanwhile). */

/* Queues one MsgStorageAppend addressed to RAFTC_LOCAL_APPEND_THREAD (raftpb Message bytes,
 * copied) for the writer thread. RAFTC_ESTATE without the writer (async_writes not set),
 * RAFTC_EDECODE / RAFTC_EUNKNOWN_TYPE for malformed bytes, RAFTC_EINVAL for another message,
 * RAFTC_EFAILED once the storage failed, RAFTC_ENOMEM. */
RAFTC_API int raftc_diskstorage_submit(raftc_diskstorage *ds, const uint8_t *buf, size_t len);
/* Waits up to timeout_ms milliseconds (0: no wait; negative: until something completes) while
 * submitted messages are pending and none has been persisted since the last call; then appends
 * to out the Responses of every message persisted since the last call, in order (one raftpb
 * Message per item) and sets *done to how many messages were persisted (0 after a timeout or
 * when nothing is pending). RAFTC_ESTATE without the writer, RAFTC_EFAILED once the storage
 * failed and everything persisted before has been taken, RAFTC_EINVAL for NULL arguments,
 * RAFTC_ENOMEM (the responses are lost: the storage fails). */
RAFTC_API int raftc_diskstorage_take_responses(raftc_sink *out, uint64_t *done,
                                               raftc_diskstorage *ds, int timeout_ms);

/* Keys of raftc_diskstorage_stat. */
typedef enum raftc_diskstorage_stat_key {
    RAFTC_DS_BYTES_WRITTEN = 0, /* bytes written to the log and snapshot files since opening */
    RAFTC_DS_TORN_BYTES = 1,    /* bytes of a torn log tail cut off when opening */
    RAFTC_DS_FAILED = 2,        /* 1 if the storage has failed */
    RAFTC_DS_PENDING = 3        /* messages submitted to the async writer, not yet persisted */
} raftc_diskstorage_stat_key;

/* *out = the value of key. RAFTC_EINVAL for NULL arguments or an unknown key. */
RAFTC_API int raftc_diskstorage_stat(uint64_t *out, const raftc_diskstorage *ds,
                                     raftc_diskstorage_stat_key key);
/* Why the storage failed (or the text of the last argument error), "" if none. Owned by ds,
 * valid until its next call. Never NULL (a NULL ds gives ""). */
RAFTC_API const char *raftc_diskstorage_last_error(const raftc_diskstorage *ds);

/* ======================================================================================
 * Host storage callbacks (etcd's Storage interface implemented by the host)
 *
 * Every callback returns 0 or a RAFTC_E* code. The sentinel errors keep etcd's meaning where etcd
 * gives them one, and are no failure there:
 *   entries:  RAFTC_ECOMPACTED (the leader sends a snapshot instead); RAFTC_EUNAVAILABLE is
 *             etcd's panic "entries[lo:hi) is unavailable from storage";
 *   term:     RAFTC_ECOMPACTED, RAFTC_EUNAVAILABLE (e.g. the leader falls back to a snapshot);
 *   snapshot: RAFTC_ESNAP_TEMP_UNAVAILABLE (the leader retries later).
 * Anything else is a storage failure, which fails the node as etcd panics: another code (from
 * initial_state, first_index and last_index any code; RAFTC_ENOMEM included), data that does not
 * decode, more than one item where one is expected, or entries that do not match the request
 * (more than hi - lo, none for a non-empty range, index not lo + position). The call that met
 * it returns RAFTC_EFAILED (raftc_node_new: no node) and the PANIC line, which is also
 * raftc_node_last_error(), says what was wrong, e.g.
 *   "storage term callback failed: storage failure (code -12)" (code: the callback's result),
 *   "storage entries callback returned index 9 at position 0, want 2",
 *   "storage entries callback returned undecodable entry at position 0",
 *   "storage initial_state callback returned undecodable HardState",
 *   "storage snapshot callback returned 2 Snapshot items, want 1".
 * The one exception is etcd's Bootstrap, which returns a LastIndex error instead of panicking:
 * raftc_node_bootstrap returns RAFTC_ESTORAGE with that text, and the node is not failed.
 *
 * Data is returned by putting items into the given sink (owned by the library, reset before
 * each callback; its items are only valid during the callback). Callbacks run inside node
 * calls, on their thread (raftc_node_new, and any call that reads the log: step, tick, propose,
 * ready, advance, has_ready, bootstrap, ...), must not call back into that node, and must not
 * keep the sink. A callback table may wrap a raftc_memstorage, e.g. the entries callback can simply
 * return raftc_memstorage_entries(out, ms, lo, hi, max_size). Callbacks take their ud first,
 * then follow the argument order of every function (outputs, then inputs).
 * ====================================================================================== */

typedef struct raftc_storage_callbacks {
    /* sizeof(raftc_storage_callbacks) as compiled by the host; fields only grow at the end. */
    size_t struct_size;
    void *ud; /* passed to every callback */
    /* etcd's InitialState (called once, by raftc_node_new): put one raftpb HardState item into
     * hard_state and one raftpb ConfState item into conf_state (an empty item, or none, is the
     * zero value). */
    int (*initial_state)(void *ud, raftc_sink *hard_state, raftc_sink *conf_state);
    /* etcd's Entries: put the entries [lo, hi) (lo < hi) as encoded raftpb Entry items into out,
     * one per put, in index order starting at lo; at least one, at most hi - lo. Returning more
     * than max_size bytes is allowed (the library trims, keeping at least one). */
    int (*entries)(void *ud, raftc_sink *out, uint64_t lo, uint64_t hi, uint64_t max_size);
    /* etcd's Term: the term of entry i into *term, valid for [first_index - 1, last_index]. */
    int (*term)(void *ud, uint64_t *term, uint64_t i);
    /* etcd's FirstIndex / LastIndex (first = last + 1 for an empty log). */
    int (*first_index)(void *ud, uint64_t *index);
    int (*last_index)(void *ud, uint64_t *index);
    /* etcd's Snapshot: put the most recent snapshot as one raftpb Snapshot item (none or an
     * empty item = the empty snapshot, which etcd panics on: "need non-empty snapshot"). Called
     * when a leader must send a follower a snapshot. */
    int (*snapshot)(void *ud, raftc_sink *out);
} raftc_storage_callbacks;

/* ======================================================================================
 * Config
 * ====================================================================================== */

typedef struct raftc_config raftc_config;

/* Option keys for raftc_config_set_u64 / raftc_config_set_bool / raftc_config_get_u64.
 * Never renumbered; new keys are added at the end. */
typedef enum raftc_option {
    RAFTC_OPT_ID = 1,                             /* u64, required, not 0 / local thread ids */
    RAFTC_OPT_ELECTION_TICK = 2,                  /* u64, default 10 */
    RAFTC_OPT_HEARTBEAT_TICK = 3,                 /* u64, default 1 */
    RAFTC_OPT_APPLIED = 4,                        /* u64, default 0 */
    RAFTC_OPT_MAX_SIZE_PER_MSG = 5,               /* u64, default RAFTC_NO_LIMIT; 0 = 1 entry */
    RAFTC_OPT_MAX_COMMITTED_SIZE_PER_READY = 6,   /* u64, default 0 = MaxSizePerMsg */
    RAFTC_OPT_MAX_UNCOMMITTED_ENTRIES_SIZE = 7,   /* u64, default 0 = no limit */
    RAFTC_OPT_MAX_INFLIGHT_MSGS = 8,              /* u64, default 256 */
    RAFTC_OPT_MAX_INFLIGHT_BYTES = 9,             /* u64, default 0 = no limit */
    RAFTC_OPT_CHECK_QUORUM = 10,                  /* bool, default false */
    RAFTC_OPT_PRE_VOTE = 11,                      /* bool, default false */
    RAFTC_OPT_READ_ONLY_OPTION = 12,              /* u64 raftc_read_only_option, default SAFE */
    RAFTC_OPT_DISABLE_PROPOSAL_FORWARDING = 13,   /* bool */
    RAFTC_OPT_DISABLE_CONF_CHANGE_VALIDATION = 14,/* bool */
    RAFTC_OPT_STEP_DOWN_ON_REMOVAL = 15,          /* bool */
    RAFTC_OPT_ASYNC_STORAGE_WRITES = 16,          /* bool */
    RAFTC_OPT_RAND_SEED = 17                      /* u64 seed of the election-timeout source */
} raftc_option;

/* Log levels passed to the logger callback. PANIC: etcd panics here; the node is now failed. */
typedef enum raftc_log_level {
    RAFTC_LOG_DEBUG = 0, RAFTC_LOG_INFO = 1, RAFTC_LOG_WARN = 2, RAFTC_LOG_ERROR = 3,
    RAFTC_LOG_FATAL = 4, RAFTC_LOG_PANIC = 5
} raftc_log_level;

/* Receives each log line, preformatted (etcd's text), without a trailing newline. msg is
 * NUL-terminated and valid only during the call. */
typedef void (*raftc_log_fn)(void *ud, raftc_log_level level, const char *msg, size_t len);

/* Creates a config with the defaults listed above and no storage/logger into *out (NULL on
 * failure). RAFTC_EINVAL for a NULL out, RAFTC_ENOMEM. The config is a plain value holder:
 * raftc_node_new copies what it needs, so one config may create several nodes and may be freed
 * (or changed) right after. */
RAFTC_API int raftc_config_new(raftc_config **out);
/* Frees a config (NULL is a no-op); nodes created from it are not affected. */
RAFTC_API void raftc_config_free(raftc_config *cfg);
/* Sets an option. Bool options accept 0/1 here too. RAFTC_EINVAL for a NULL cfg, an unknown key
 * or a value out of range (a tick over INT_MAX / 2, max inflight msgs over INT32_MAX, a bool
 * over 1, a read-only option outside the enum); the config is then unchanged. Value consistency
 * (e.g. ElectionTick > HeartbeatTick, a non-zero id) is checked by raftc_node_new. */
RAFTC_API int raftc_config_set_u64(raftc_config *cfg, raftc_option opt, uint64_t value);
/* Sets a bool option (value != 0 is true). RAFTC_EINVAL for a NULL cfg or a non-bool key. */
RAFTC_API int raftc_config_set_bool(raftc_config *cfg, raftc_option opt, int value);
/* Reads an option into *value (bools as 0/1). RAFTC_EINVAL for NULL arguments or an unknown
 * key. */
RAFTC_API int raftc_config_get_u64(uint64_t *value, const raftc_config *cfg, raftc_option opt);
/* Sets the logger of the nodes created from now on (fn NULL = discard logs; PANIC lines are
 * still kept for raftc_node_last_error). ud is passed to fn and must outlive those nodes.
 * RAFTC_EINVAL for a NULL cfg. */
RAFTC_API int raftc_config_set_logger(raftc_config *cfg, raftc_log_fn fn, void *ud);
/* Uses a memory storage, replacing any storage set before (borrowed: it must outlive every
 * node created from this config). RAFTC_EINVAL for NULL arguments. */
RAFTC_API int raftc_config_set_memstorage(raftc_config *cfg, raftc_memstorage *ms);
/* Uses a disk storage, replacing any storage set before (borrowed: it must outlive every node
 * created from this config). The nodes read its in-memory copy and fail once it has failed.
 * RAFTC_EINVAL for NULL arguments. */
RAFTC_API int raftc_config_set_diskstorage(raftc_config *cfg, raftc_diskstorage *ds);
/* Uses host callbacks, replacing any storage set before (the table is copied; cbs->ud must
 * outlive the nodes). RAFTC_EINVAL (config unchanged) for NULL arguments, a struct_size
 * smaller than the first version of the table, or a NULL callback. */
RAFTC_API int raftc_config_set_storage_callbacks(raftc_config *cfg,
                                                 const raftc_storage_callbacks *cbs);

/* ======================================================================================
 * Node (etcd's RawNode)
 *
 * Pull-style driving: tick/step/propose/... then raftc_node_has_ready -> raftc_node_ready ->
 * persist HardState/Entries/Snapshot -> send Messages -> apply CommittedEntries (calling
 * raftc_node_apply_conf_change for conf-change entries) -> raftc_node_advance.
 * With RAFTC_OPT_ASYNC_STORAGE_WRITES, the Ready carries MsgStorageAppend / MsgStorageApply
 * messages to RAFTC_LOCAL_APPEND_THREAD / RAFTC_LOCAL_APPLY_THREAD instead; their Responses are
 * stepped back into the node (raftc_node_step) once the work is done, and advance is refused.
 *
 * Every node function fails with RAFTC_EINVAL on a NULL node (or NULL required argument),
 * RAFTC_ENOMEM when an allocation fails (one in the middle of a raft step cannot be rolled back
 * and may leave the node failed: check raftc_node_is_failed), and RAFTC_EFAILED when the call hit
 * a broken invariant where etcd panics (a PANIC line is logged and the node is failed) or the
 * node was already failed. The text of the last error is in raftc_node_last_error().
 *
 * A failed node:
 * - refuses every input and Ready call with RAFTC_EFAILED, without doing anything (tick, step,
 *   propose*, campaign, bootstrap, apply_conf_change, read_index, transfer_leader,
 *   forget_leader, report_*, ready, advance, raftc_testing_control); raftc_node_has_ready
 *   returns 0;
 * - still answers the read-only calls, with the state it had when it failed: is_failed,
 *   last_error (the first PANIC text, kept until raftc_node_free), status_info, status_progress,
 *   status_config, conf_state, progress_ids, progress_info; none of them changes last_error;
 * - keeps a Ready view taken before the failure readable (the calls that would end it are
 *   refused) until raftc_node_free, except that a raftc_node_ready or raftc_node_advance that
 *   itself fails the node ends the view (the raftc_ready_* accessors then return RAFTC_ESTATE);
 * - can only be freed; what to do with the storage is the host's decision (the log may be what
 *   is broken).
 * ====================================================================================== */

typedef struct raftc_node raftc_node;
typedef struct raftc_ready raftc_ready;

/* A typical sync-mode loop, as etcd's interaction harness drives it:
 *
 *   while (raftc_node_has_ready(node)) {
 *       raftc_node_ready(&rd, node);            // raftc_ready_describe(&text, rd) = DescribeReady
 *       raftc_ready_info(info, RAFTC_RD_COUNT, rd);
 *       if (info[RAFTC_RD_HAS_HARD_STATE]) raftc_ready_hard_state(&p, &n, rd) -> persist
 *       if (info[RAFTC_RD_HAS_SNAPSHOT])   raftc_ready_snapshot(&p, &n, rd)   -> persist
 *       for i < info[RAFTC_RD_N_ENTRIES]:            raftc_ready_entry(rd, i, ...) -> persist
 *       for i < info[RAFTC_RD_N_COMMITTED_ENTRIES]:  raftc_ready_committed_entry(rd, i, ...),
 *           raftc_entry_decode(...) -> apply; conf changes: raftc_node_apply_conf_change
 *       for i < info[RAFTC_RD_N_MESSAGES]:           raftc_ready_message(rd, i, ...) -> send
 *           (raftc_message_decode gives To/Type; copy the bytes, the view dies at advance)
 *       raftc_node_advance(node);
 *   }
 *
 * Async mode: the same, minus persistence/apply/advance; messages to RAFTC_LOCAL_APPEND_THREAD /
 * RAFTC_LOCAL_APPLY_THREAD are queued by the host; after doing their work
 * (raftc_message_decode for Term/Vote/Commit, raftc_message_decode_parts for
 * entries/snapshot/responses) the host delivers each response with raftc_node_step (responses
 * to other nodes go to the network).
 * A storage whose Snapshot() differs from the memory storage (e.g. a host's state-machine
 * snapshot) is a raftc_storage_callbacks table forwarding the other calls to a
 * raftc_memstorage. Node state for printing: raftc_node_status_info (state, term, lead, voter),
 * raftc_node_status_progress (leader's progress map text). */

/* etcd's NewRawNode: validates cfg, reads the storage's InitialState, restores the config and
 * HardState, honours Applied and starts as a follower (logging "newRaft ..."). cfg is only
 * read during the call (storage and logger are captured). On failure *out is NULL and *err
 * (optional) points to a static text: etcd's validation text for RAFTC_ECONFIG (e.g. "cannot use
 * none as id"; "storage cannot be nil" without a storage), otherwise raftc_strerror(code).
 * RAFTC_EFAILED where etcd panics during creation (a storage failure, a HardState commit outside
 * the log, Applied beyond commit, ...): the PANIC line saying why goes to the config's logger.
 * RAFTC_EINVAL for NULL out/cfg, RAFTC_ENOMEM. */
RAFTC_API int raftc_node_new(raftc_node **out, const char **err, const raftc_config *cfg);
/* Frees a node and its Ready view (NULL is a no-op); works on failed nodes. The storage is not
 * touched (free it after its nodes). */
RAFTC_API void raftc_node_free(raftc_node *node);
/* Text of the last error returned by a call on this node ("" after a call that succeeded; the
 * read-only calls listed above do not change it). Owned by the node, valid until the next call
 * on the node. For a failed node: the first PANIC text, from then on. Never NULL (a NULL node
 * gives ""). */
RAFTC_API const char *raftc_node_last_error(const raftc_node *node);
/* 1 if the node is failed, else 0 (also for NULL). */
RAFTC_API int raftc_node_is_failed(const raftc_node *node);

/* etcd's RawNode.Bootstrap: on empty storage only, appends V1 ConfChangeAddNode entries (term 1,
 * index 1..n, Context = contexts[i]), commits them, applies them, and makes the first Ready
 * carry a HardState. ids must be non-zero; contexts/context_lens may be NULL (no contexts).
 * RAFTC_EINVAL if n == 0 ("must provide at least one peer to Bootstrap") or an id is 0,
 * RAFTC_ESTATE if the storage is not empty ("can't bootstrap a nonempty Storage"),
 * RAFTC_ESTORAGE if the storage's last_index callback fails (etcd returns that error; the node is
 * not failed). RAFTC_EFAILED, with the node failed, when the log refuses the entries (etcd
 * panics): bootstrapping again after a Ready of the first bootstrap was advanced but not
 * persisted, so the storage is still empty while the node's log is committed. */
RAFTC_API int raftc_node_bootstrap(raftc_node *node, const uint64_t *ids,
                                   const uint8_t *const *contexts, const size_t *context_lens,
                                   size_t n);

/* Advances the node's logical clock by one tick (etcd's Tick): a follower or candidate that
 * reaches its randomized election timeout campaigns; a leader sends heartbeats every
 * RAFTC_OPT_HEARTBEAT_TICK ticks and, with RAFTC_OPT_CHECK_QUORUM, steps down after an election
 * timeout without a quorum. */
RAFTC_API int raftc_node_tick(raftc_node *node);
/* Starts an election now (etcd's Campaign), a pre-vote first with RAFTC_OPT_PRE_VOTE. A node
 * that may not campaign (a learner, a leader, pending conf changes not yet applied) only logs
 * why; that is not an error. */
RAFTC_API int raftc_node_campaign(raftc_node *node);
/* etcd's Propose: proposes len bytes of data (copied; data may be NULL iff len == 0), appended
 * to the log by the leader, forwarded to it by followers. RAFTC_EPROPOSAL_DROPPED ("raft
 * proposal dropped") when it cannot be (no leader, forwarding disabled, a leader transfer in
 * progress, the uncommitted size limit); RAFTC_ETOOLARGE over 1 GiB. */
RAFTC_API int raftc_node_propose(raftc_node *node, const uint8_t *data, size_t len);
/* Releases a buffer the host lent to the library (raftc_node_propose_shared,
 * raftc_node_step_shared): called exactly once per lent buffer, with the pointer and length
 * given, when the library holds no reference to it any more. It may run inside the call that
 * lent the buffer (on failure, or when nothing kept it) or inside any later call that drops the
 * last reference on the node or on a storage sharing the payloads (raftc_node_advance,
 * raftc_memstorage_compact, raftc_memstorage_free, raftc_node_free, ...), on that call's
 * thread. It must not call into the library. The library's reference counts on a lent buffer
 * are not atomic: the node, its storages and every Ready sharing the buffer are one handle
 * (one thread at a time), and a lent buffer never reaches the async writer's thread
 * (raftc_diskstorage_submit and _submit_ready copy every payload), so release never runs there;
 * a host must not hand a Ready or a view of a shared payload to another thread itself. */
typedef void (*raftc_release_fn)(void *ud, const uint8_t *buf, size_t len);
/* raftc_node_propose without copying data: the log, the Ready, the messages and a memory
 * storage appended with raftc_memstorage_append_ready share the host's buffer, which must stay
 * valid and unchanged until release(ud, data, len) is called (see raftc_release_fn; release may
 * be NULL when the buffer outlives the node and its storage). release is called in every case,
 * also when the call fails (before it returns; also for a NULL node). Same errors as
 * raftc_node_propose; RAFTC_ENOMEM if the reference cannot be allocated. */
RAFTC_API int raftc_node_propose_shared(raftc_node *node, const uint8_t *data, size_t len,
                                        raftc_release_fn release, void *ud);
/* etcd's Step of one MsgProp carrying n entries (n > 0): proposes datas[i] (lens[i] bytes
 * each, copied; datas[i] may be NULL iff lens[i] == 0) as one batch, appended or dropped
 * together. RAFTC_EINVAL for n == 0 or NULL arrays; otherwise the errors of raftc_node_propose
 * (RAFTC_ETOOLARGE when a payload is over 1 GiB). */
RAFTC_API int raftc_node_propose_list(raftc_node *node, const uint8_t *const *datas,
                                      const size_t *lens, size_t n);
/* Proposes a conf change: kind RAFTC_CC_V1 with raftpb ConfChange bytes, or RAFTC_CC_V2 with
 * raftpb ConfChangeV2 bytes (len 0 = empty V2 = leave the joint config). The bytes are checked
 * (RAFTC_EDECODE) and used verbatim as the entry data; RAFTC_EINVAL (with a text) if a change
 * names RAFTC_LOCAL_APPEND_THREAD or RAFTC_LOCAL_APPLY_THREAD, which no node may have.
 * RAFTC_EPROPOSAL_DROPPED as propose. */
RAFTC_API int raftc_node_propose_conf_change(raftc_node *node, raftc_cc_kind kind,
                                             const uint8_t *buf, size_t len);
/* etcd's ApplyConfChange: call when applying a committed conf-change entry, with the entry's
 * data and kind (RAFTC_CC_V1 for RAFTC_ENTRY_CONF_CHANGE, RAFTC_CC_V2 for
 * RAFTC_ENTRY_CONF_CHANGE_V2; empty V2 bytes = leave the joint config). Puts the resulting
 * raftpb ConfState (to keep with snapshots: raftc_memstorage_create_snapshot) into conf_state
 * (optional). RAFTC_EINVAL for a bad kind, RAFTC_EDECODE for bad bytes, RAFTC_EFAILED if the
 * change breaks the config invariants (etcd panics, e.g. "removed all voters", "can't leave a
 * non-joint config"; the node is failed).
 * Cancelled changes (etcd's doc.go): an application that decides, from its state machine only,
 * not to apply a conf change still calls this, with the change's node id set to 0 (RAFTC_NONE),
 * e.g. raftc_conf_change_encode(out, type, RAFTC_NONE, ctx, ctx_len): etcd skips changes with
 * node id 0, so the config is unchanged and the call returns its ConfState. (etcd's Node
 * interface also allows not calling it at all for a rejected change.) For V2, zero the id of
 * every change; as in etcd, a V2 change with several changes or a joint transition then still
 * enters a joint config with equal halves (left again by auto-leave or an explicit leave).
 * Never cancel with empty V2 bytes: that is a request to leave the joint config. */
RAFTC_API int raftc_node_apply_conf_change(raftc_sink *conf_state, raftc_node *node,
                                           raftc_cc_kind kind, const uint8_t *buf, size_t len);
/* etcd's RawNode.Step on a raftpb Message from the network (or a storage-thread response).
 * RAFTC_EDECODE / RAFTC_EUNKNOWN_TYPE / RAFTC_ETOOLARGE for bad bytes (the last error text
 * names the offset and the field); RAFTC_ESTEP_LOCAL_MSG for a local message type not from a
 * local thread; RAFTC_ESTEP_PEER_NOT_FOUND for a response from an unknown peer (etcd's texts);
 * RAFTC_EPROPOSAL_DROPPED for a dropped MsgProp. RAFTC_EREFUSED for a message no correct peer
 * can send (docs/abi.md lists them: a term that could wrap, entries that do not follow the
 * index, a self-addressed or misaddressed message, sender 0, a commit or acknowledgement beyond
 * the log, ...): the node is unchanged and healthy, and the text names the sender, the field and
 * the value. Nothing a peer sends fails the node (RAFTC_EFAILED comes only from the host's
 * storage, or a bug). */
RAFTC_API int raftc_node_step(raftc_node *node, const uint8_t *buf, size_t len);
/* raftc_node_step of a receive buffer the node may keep: the entries of a MsgApp or MsgProp
 * share buf (their payloads are not copied into the log, the Ready or a memory storage
 * appended with raftc_memstorage_append_ready), which must stay valid and unchanged until
 * release(ud, buf, len) is called (see raftc_release_fn; NULL release: buf outlives the node
 * and its storage). release is called in every case, also when the call fails (before it
 * returns; also for a NULL node) and when nothing kept the buffer. Same errors as
 * raftc_node_step; RAFTC_ENOMEM if the reference cannot be allocated. */
RAFTC_API int raftc_node_step_shared(raftc_node *node, const uint8_t *buf, size_t len,
                                     raftc_release_fn release, void *ud);

/* etcd's HasReady: 1 if a Ready with anything to do is available, 0 if not (also for NULL and
 * failed nodes). May read the storage; a storage failure met here fails the node (then 0). */
RAFTC_API int raftc_node_has_ready(const raftc_node *node);
/* etcd's RawNode.Ready: builds the Ready and accepts it. *out is a view owned by the node,
 * valid until the next raftc_node_ready, raftc_node_advance or raftc_node_free (steps, ticks and
 * proposals do not invalidate it). A Ready with nothing in it is valid (all counts 0).
 * Sync mode: RAFTC_ESTATE ("two accepted Ready structs without call to Advance") if the
 * previous Ready needs an advance first; the previous view stays valid and nothing changes.
 * On any other error *out is NULL, nothing was accepted, and the previous view is gone;
 * RAFTC_EFAILED when building the Ready met an etcd panic (e.g. a storage failure while reading
 * committed entries). */
RAFTC_API int raftc_node_ready(raftc_ready **out, raftc_node *node);
/* etcd's RawNode.Advance (sync mode only): steps the self-addressed acknowledgements of the
 * last Ready (own MsgAppResp / vote responses, stability and apply acks); the Ready's
 * HardState/Entries/Snapshot must be persisted and its CommittedEntries applied before.
 * RAFTC_ESTATE if no Ready was taken since the last advance, or in async-storage-writes mode
 * ("Advance must not be called when using AsyncStorageWrites"); the view is then untouched.
 * Otherwise the view ends here, also when this advance fails the node (RAFTC_EFAILED: stepping
 * an acknowledgement met an etcd panic, e.g. a storage failure); a node already failed refuses
 * the call and keeps the view (see the section comment). */
RAFTC_API int raftc_node_advance(raftc_node *node);

/* Indexes into the array filled by raftc_ready_info. */
typedef enum raftc_ready_field {
    RAFTC_RD_HAS_SOFT_STATE = 0,     /* 1 if the SoftState changed (then LEAD/RAFT_STATE set) */
    RAFTC_RD_LEAD = 1,
    RAFTC_RD_RAFT_STATE = 2,         /* raftc_state_type */
    RAFTC_RD_HAS_HARD_STATE = 3,     /* 1 if the HardState changed (then TERM/VOTE/COMMIT) */
    RAFTC_RD_TERM = 4,
    RAFTC_RD_VOTE = 5,
    RAFTC_RD_COMMIT = 6,
    RAFTC_RD_N_ENTRIES = 7,          /* entries to persist */
    RAFTC_RD_HAS_SNAPSHOT = 8,       /* 1 if a snapshot must be persisted/applied */
    RAFTC_RD_N_COMMITTED_ENTRIES = 9,
    RAFTC_RD_N_MESSAGES = 10,
    /* Messages [0, N_MESSAGES_NOW) may be sent before this Ready's entries are durable; the
     * rest (follower acks in sync mode) only after. Async mode: all of them. */
    RAFTC_RD_N_MESSAGES_NOW = 11,
    RAFTC_RD_N_READ_STATES = 12,
    RAFTC_RD_MUST_SYNC = 13,         /* etcd's MustSync */
    RAFTC_RD_COUNT = 14
} raftc_ready_field;

/* Accessors of a Ready view (raftc_ready_*): RAFTC_EINVAL for a NULL view or out pointer,
 * RAFTC_ESTATE for a view that has ended (after the next raftc_node_ready / raftc_node_advance,
 * see there; a stale pointer is safe to pass), RAFTC_ENOTFOUND for an index out of range or an
 * absent part, RAFTC_ENOMEM. Views they hand out live as long as the Ready view. */

/* Fills info[0..min(n, RAFTC_RD_COUNT)) (absent values are 0). One call gives every scalar. */
RAFTC_API int raftc_ready_info(uint64_t *info, size_t n, const raftc_ready *rd);
/* Views of the i-th entry to persist / committed entry / message, as raftpb bytes, valid as the
 * Ready. RAFTC_ENOTFOUND if i is out of range. Decode entries with raftc_entry_decode and read
 * message routing with raftc_message_decode. */
RAFTC_API int raftc_ready_entry(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                size_t i);
RAFTC_API int raftc_ready_committed_entry(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                          size_t i);
RAFTC_API int raftc_ready_message(const uint8_t **buf, size_t *len, const raftc_ready *rd,
                                  size_t i);
/* The HardState as raftpb bytes (RAFTC_ENOTFOUND when not in this Ready). */
RAFTC_API int raftc_ready_hard_state(const uint8_t **buf, size_t *len, const raftc_ready *rd);
/* The snapshot as raftpb bytes (RAFTC_ENOTFOUND when not in this Ready). */
RAFTC_API int raftc_ready_snapshot(const uint8_t **buf, size_t *len, const raftc_ready *rd);
/* The i-th ReadState (etcd's ReadStates[i]): *index and a view of its request context (the ctx
 * given to raftc_node_read_index); any out pointer may be NULL. */
RAFTC_API int raftc_ready_read_state(uint64_t *index, const uint8_t **ctx, size_t *ctx_len,
                                     const raftc_ready *rd, size_t i);
/* etcd's DescribeReady(rd, nil) as a heap string (raftc_free): "Ready MustSync=...:\n..." or
 * "<empty Ready>". */
RAFTC_API int raftc_ready_describe(char **out, const raftc_ready *rd);

/* ---- Ready fields without raftpb encoding or decoding ----
 * The raftpb bytes above are encoded on first access to each part of a Ready; a host that
 * reads the fields below instead (as etcd's Go users read the Ready's structs) never pays for
 * them. Same validity and error rules as the byte accessors. */
/* Fields of the i-th entry to persist / committed entry, as raftc_entry_decode would decode them
 * from raftc_ready_entry / raftc_ready_committed_entry. Any out pointer may be NULL; *data is
 * valid as the Ready (NULL with *data_len 0 when the entry has no data). */
RAFTC_API int raftc_ready_entry_info(uint64_t *term, uint64_t *index, raftc_entry_type *type,
                                     const uint8_t **data, size_t *data_len, const raftc_ready *rd,
                                     size_t i);
RAFTC_API int raftc_ready_committed_entry_info(uint64_t *term, uint64_t *index,
                                               raftc_entry_type *type, const uint8_t **data,
                                               size_t *data_len, const raftc_ready *rd, size_t i);
/* The i-th message's fields, as raftc_message_decode would decode them from raftc_ready_message
 * (e.g. RAFTC_MF_TO for routing before the bytes are needed). */
RAFTC_API int raftc_ready_message_info(uint64_t *info, size_t n, const raftc_ready *rd,
                                       size_t i);
/* The i-th message's raftpb bytes (raftc_ready_message) as parts for a scatter/gather send,
 * without copying its entry payloads: ptrs[k], lens[k] for k < min(cap, count), non-empty, in
 * order; *n gets the count (call with cap 0 to size the arrays). Their concatenation is exactly
 * raftc_ready_message's bytes. Entry payloads of at least 1024 bytes are parts of their own,
 * views of the node's log memory (or of a buffer lent with raftc_node_propose_shared /
 * raftc_node_step_shared); the rest is encoded by the node. Views valid as the Ready. */
RAFTC_API int raftc_ready_message_parts(const uint8_t **ptrs, size_t *lens, size_t cap,
                                        size_t *n, const raftc_ready *rd, size_t i);
/* etcd's RawNode.Ready as raftc_node_ready (same errors; *out receives the view, and may be
 * NULL) plus the whole Ready packed into one buffer, so an FFI host reads a Ready with a single
 * call. *buf and *len view memory owned by the node, valid as the Ready view (NULL/0 on failure).
 * The buffer starts with uint64_t words w[] in the host's byte order:
 *   w[0] = H, the number of header words (items follow them; later versions may add words
 *   before H); w[1] = K, the number of fields; w[2 .. 2+K) = the fields of raftc_ready_info
 *   (RAFTC_RD_*); then one (offset from *buf, length) pair per item, in this order: the
 *   entries to persist, the committed entries, the messages (raftpb bytes each), the read
 *   states' request contexts (raw), the HardState if RAFTC_RD_HAS_HARD_STATE and the Snapshot
 *   if RAFTC_RD_HAS_SNAPSHOT (raftpb); then each read state's index; then each message's
 *   destination (its `to`). RAFTC_EINVAL without buf or len. RAFTC_ENOMEM / RAFTC_ETOOLARGE
 *   when packing failed: the Ready was accepted all the same, and *out (when given) still
 *   reaches it through the raftc_ready_* accessors. */
RAFTC_API int raftc_node_ready_packed(raftc_ready **out, const uint8_t **buf, size_t *len,
                                      raftc_node *node);
/* Appends every entry of the Ready (raftc_ready_entry 0..n-1) to ms, as raftc_memstorage_append
 * of their bytes would, without encoding and decoding them: the storage shares the payloads with
 * the node (no copy). Same errors as raftc_memstorage_append. */
RAFTC_API int raftc_memstorage_append_ready(raftc_memstorage *ms, const raftc_ready *rd);
/* Persists the Ready to ds in etcd's order (its snapshot, its entries, its HardState) straight
 * from the node's structures (nothing is encoded or decoded twice), then fsyncs if the Ready's
 * MustSync is set and the policy is RAFTC_SYNC_EACH. Once it returns RAFTC_OK (and, with
 * RAFTC_SYNC_GROUP, raftc_diskstorage_sync did too) the Ready's messages may be sent.
 * RAFTC_ESTATE for a stale Ready; otherwise as raftc_diskstorage_append. */
RAFTC_API int raftc_diskstorage_save_ready(raftc_diskstorage *ds, const raftc_ready *rd);
/* Async storage writes (see raftc_diskstorage_submit): queues every MsgStorageAppend of the Ready (the messages addressed to
 * RAFTC_LOCAL_APPEND_THREAD, in order), copied from the node's structures without encoding
 * them; the host still routes the Ready's other messages. RAFTC_ESTATE without the writer or
 * for a stale Ready; otherwise as raftc_diskstorage_submit (on an error the messages before it
 * are queued). */
RAFTC_API int raftc_diskstorage_submit_ready(raftc_diskstorage *ds, const raftc_ready *rd);

/* Indexes into the array filled by raftc_node_status_info (etcd's BasicStatus plus config). */
typedef enum raftc_status_field {
    RAFTC_ST_ID = 0,
    RAFTC_ST_TERM = 1,
    RAFTC_ST_VOTE = 2,
    RAFTC_ST_COMMIT = 3,
    RAFTC_ST_LEAD = 4,
    RAFTC_ST_RAFT_STATE = 5,       /* raftc_state_type */
    RAFTC_ST_APPLIED = 6,
    RAFTC_ST_LEAD_TRANSFEREE = 7,
    RAFTC_ST_IS_VOTER = 8,         /* 1 if the node's id is in its config's incoming or outgoing
                                    * voters */
    RAFTC_ST_IS_LEARNER = 9,
    RAFTC_ST_N_PROGRESS = 10,      /* peers tracked in the progress map (leader only, else 0) */
    RAFTC_ST_REFUSED = 11,         /* messages raftc_node_step refused as no correct peer's
                                    * (RAFTC_EREFUSED, and etcd's RAFTC_ESTEP_LOCAL_MSG) since
                                    * the node was created */
    RAFTC_ST_COUNT = 12
} raftc_status_field;

/* Status calls (raftc_node_status_*, raftc_node_conf_state, raftc_node_progress_ids,
 * raftc_node_progress_info): read-only, no storage access, last_error untouched; they work on
 * failed nodes too (the state at the failure). RAFTC_EINVAL for a NULL node or out argument,
 * RAFTC_ENOMEM. */

/* Fills info[0..min(n, RAFTC_ST_COUNT)) (info may be NULL iff n == 0). */
RAFTC_API int raftc_node_status_info(uint64_t *info, size_t n, const raftc_node *node);
/* etcd's ProgressMap.String() of the status ("%d: <Progress>\n" per peer ascending) as a heap
 * string; "" when the node is not the leader (etcd's Status has no progress then). */
RAFTC_API int raftc_node_status_progress(char **out, const raftc_node *node);
/* The tracker config as etcd's Config.String() ("voters=(1 2)&&(1) learners=(3)"), heap. */
RAFTC_API int raftc_node_status_config(char **out, const raftc_node *node);
/* The config as one raftpb ConfState item appended to out (what raftc_node_apply_conf_change
 * last returned, or the restored one). */
RAFTC_API int raftc_node_conf_state(raftc_sink *out, const raftc_node *node);

/* Indexes into the array filled by raftc_node_progress_info. */
typedef enum raftc_progress_field {
    RAFTC_PR_MATCH = 0,
    RAFTC_PR_NEXT = 1,
    RAFTC_PR_STATE = 2,            /* raftc_progress_state */
    RAFTC_PR_PENDING_SNAPSHOT = 3,
    RAFTC_PR_RECENT_ACTIVE = 4,
    RAFTC_PR_PAUSED = 5,
    RAFTC_PR_IS_LEARNER = 6,
    RAFTC_PR_INFLIGHT = 7,         /* messages in flight */
    RAFTC_PR_COUNT = 8
} raftc_progress_field;

/* Copies up to cap tracked peer ids (ascending) into ids and their total count into *n
 * (leader only; 0 peers otherwise). */
RAFTC_API int raftc_node_progress_ids(uint64_t *ids, size_t cap, size_t *n,
                                      const raftc_node *node);
/* The progress of peer id (leader only). RAFTC_ENOTFOUND if not tracked or not leader. */
RAFTC_API int raftc_node_progress_info(uint64_t *info, size_t n, const raftc_node *node,
                                  uint64_t id);

/* etcd's ReadIndex: requests a read state for len bytes of ctx (copied; the request's id, echoed
 * back); the result arrives in a later Ready's ReadStates (raftc_ready_read_state). A leader
 * without a committed entry in its term holds the request until it has one; a follower without
 * a leader drops it (a log line, no error), as in etcd. RAFTC_ETOOLARGE over 1 GiB. */
RAFTC_API int raftc_node_read_index(raftc_node *node, const uint8_t *ctx, size_t len);
/* etcd's TransferLeader(transferee); followers forward it to the leader; refusals (e.g. an
 * unknown or learner transferee) are logs, as in etcd. */
RAFTC_API int raftc_node_transfer_leader(raftc_node *node, uint64_t transferee);
/* etcd's ForgetLeader: a follower forgets its leader (keeps its term); ignored elsewhere. */
RAFTC_API int raftc_node_forget_leader(raftc_node *node);
/* etcd's ReportUnreachable(id): the leader moves id's progress to probe. RAFTC_EINVAL for
 * id 0. */
RAFTC_API int raftc_node_report_unreachable(raftc_node *node, uint64_t id);
/* etcd's ReportSnapshot(id, status) with RAFTC_SNAPSHOT_FINISH / RAFTC_SNAPSHOT_FAILURE: the
 * outcome of sending a MsgSnap to id. RAFTC_EINVAL for id 0 or another status. */
RAFTC_API int raftc_node_report_snapshot(raftc_node *node, uint64_t id,
                                         raftc_snapshot_status status);

/* ======================================================================================
 * Testing: the single entry point for test drivers
 *
 * Conformance drivers (C, Python, Lua, Go) replay etcd's transcripts, which pin state that a
 * production host never touches. Every such control goes through raftc_testing_control, one
 * exported function in every build, so any FFI reaches it the same way. A production host has
 * no reason to call it; new operations may be added in a minor release, and an operation may
 * be removed only with an ABI version bump.
 * ====================================================================================== */

typedef enum raftc_testing_op {
    /* Sets the node's current randomized election timeout to value ticks (1 .. INT_MAX / 2):
     * the node campaigns once that many ticks pass without a leader (etcd's harness calls this
     * SetRandomizedElectionTimeout). The node draws a new one at its next timer reset. */
    RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT = 1,
    /* In-memory file systems for disk storage tests (node must be NULL). value 1 switches them
     * on: raftc_diskstorage_open then opens a path "memfs:<machine>/<dir>" (machine a decimal
     * number) on the in-memory files of that machine, created empty on first use, instead of
     * the disk. value 0 switches them off and frees every machine (storages on them must be
     * freed first). Off by default, where such a path is an ordinary relative path. */
    RAFTC_TESTING_MEMFS = 2,
    /* Cuts the power of in-memory machine value (node must be NULL): every write not fsynced,
     * and every file creation, rename or removal not made durable by a directory fsync, is
     * dropped or kept as a random prefix (the first dropped write possibly torn), as the
     * machine's deterministic sequence decides. Storages open on it fail (RAFTC_EIO or
     * RAFTC_EFAILED) and must be freed; opening again recovers what survived.
     * RAFTC_ENOTFOUND for a machine never used (or the file systems off). */
    RAFTC_TESTING_MEMFS_POWER_CUT = 3
} raftc_testing_op;

/* Applies test operation op with argument value to node (NULL for the RAFTC_TESTING_MEMFS
 * operations, which act on the process). RAFTC_EINVAL for a NULL node (a non-NULL one for the
 * MEMFS operations), an unknown op or a value out of the op's range (nothing changes);
 * RAFTC_EFAILED on a failed node; as each op says. Not thread-safe with other calls on the same
 * node. */
RAFTC_API int raftc_testing_control(raftc_node *node, raftc_testing_op op, uint64_t value);

/* ======================================================================================
 * Tools (quorum / confchange functions for the conformance driver)
 *
 * Stateless quorum arithmetic (etcd's quorum package) and a standalone configuration changer
 * (etcd's confchange package) over a private tracker. They let a host or a test replay
 * etcd's quorum and confchange rules without a node.
 *
 * Quorum functions take a configuration as two id lists: `incoming` (the voters) and
 * `outgoing` (the second half of a joint config; n_outgoing = 0 when not joint). Lists may be
 * NULL when their count is 0, may repeat ids (treated as sets) and must not contain id 0
 * (RAFTC_EINVAL). An empty half counts as "everyone agrees" (committed index
 * RAFTC_QUORUM_INDEX_INF, vote won), exactly as in etcd, so a joint config whose outgoing half is
 * empty behaves as its incoming half.
 * ====================================================================================== */

/* etcd's quorum.VoteResult numbering. */
typedef enum raftc_vote_result {
    RAFTC_VOTE_PENDING = 1, RAFTC_VOTE_LOST = 2, RAFTC_VOTE_WON = 3
} raftc_vote_result;

/* Committed index of a config without voters (etcd prints it as "∞"). */
#define RAFTC_QUORUM_INDEX_INF UINT64_MAX

/* "VotePending" / "VoteLost" / "VoteWon"; other values give "VoteResult(unknown)". Static. */
RAFTC_API const char *raftc_vote_result_name(raftc_vote_result result);

/* etcd's JointConfig.CommittedIndex: the largest index acknowledged by a majority of each
 * half. acked_ids[i] acknowledged acked_indexes[i]; voters absent from acked_ids count as 0,
 * ids not in the config are ignored, and for a repeated id the first occurrence wins.
 * Sets *out_index (RAFTC_QUORUM_INDEX_INF when both halves are empty). RAFTC_EINVAL for a NULL
 * out_index, a NULL list with a non-zero count or id 0; RAFTC_ENOMEM. */
RAFTC_API int raftc_quorum_committed(uint64_t *out_index, const uint64_t *incoming,
                                     size_t n_incoming, const uint64_t *outgoing,
                                     size_t n_outgoing, const uint64_t *acked_ids,
                                     const uint64_t *acked_indexes, size_t n_acked);

/* etcd's MajorityConfig.Describe over the union of both halves (what JointConfig.Describe
 * prints): a bar chart, one line per voter in ascending id order, e.g.
 *     "       idx\nx>     100    (id=1)\n?      0    (id=2)\n..."
 * where "?" marks a voter absent from acked_ids; "<empty majority quorum>" (no newline) when
 * there are no voters. *out is a heap string (raftc_free), NULL on error. Errors as
 * raftc_quorum_committed. */
RAFTC_API int raftc_quorum_describe(char **out, const uint64_t *incoming, size_t n_incoming,
                                    const uint64_t *outgoing, size_t n_outgoing,
                                    const uint64_t *acked_ids, const uint64_t *acked_indexes,
                                    size_t n_acked);

/* etcd's JointConfig.VoteResult: vote_ids[i] voted granted[i] (non-zero = yes); voters absent
 * from vote_ids have not voted yet. Sets *out_result to a raftc_vote_result. For a repeated id
 * the first occurrence wins. Errors as raftc_quorum_committed. */
RAFTC_API int raftc_quorum_vote_result(raftc_vote_result *out_result, const uint64_t *incoming,
                                       size_t n_incoming, const uint64_t *outgoing,
                                       size_t n_outgoing, const uint64_t *vote_ids,
                                       const int *granted, size_t n_votes);

/* A configuration changer: etcd's confchange.Changer applied to a private tracker (config +
 * progress map) that starts empty. Each successful change replaces the tracker with the result;
 * a refused change leaves it untouched and records etcd's error text. */
typedef struct raftc_changer raftc_changer;

/* Creates a changer with an empty config. max_inflight / max_inflight_bytes size the inflight
 * windows of the progresses it creates (as RAFTC_OPT_MAX_INFLIGHT_MSGS / _BYTES; 0 bytes = no
 * limit); last index 0. RAFTC_EINVAL if out is NULL, RAFTC_ENOMEM. */
RAFTC_API int raftc_changer_new(raftc_changer **out, uint64_t max_inflight,
                                uint64_t max_inflight_bytes);
/* Frees a changer (NULL is a no-op). */
RAFTC_API void raftc_changer_free(raftc_changer *ch);

/* Sets the log's last index: progresses created from now on start at next = max(last_index, 1).
 * RAFTC_EINVAL for NULL. */
RAFTC_API int raftc_changer_set_last_index(raftc_changer *ch, uint64_t last_index);

/* A change list is given as n pairs (types[i], node_ids[i]), types being raftc_cc_type values:
 * etcd's []ConfChangeSingle. Changes with node id 0 are skipped (etcd semantics). Both arrays
 * may be NULL when n is 0. Every change function returns 0, RAFTC_ECONFCHANGE if etcd's changer
 * refuses (text in raftc_changer_last_error, e.g. "removed all voters"; a type outside the enum
 * gives "unexpected conf type N"), RAFTC_EINVAL for NULL arguments, RAFTC_ENOMEM. */

/* Applies the changes to a config that is not joint, in order, as one step that may add or
 * remove at most one voter (etcd's Changer.Simple). Refused ("can't apply simple config change
 * in joint config", "more than one voter changed in config change", "removed all voters", ...)
 * with RAFTC_ECONFCHANGE. */
RAFTC_API int raftc_changer_simple(raftc_changer *ch, const raftc_cc_type *types,
                                   const uint64_t *node_ids, size_t n);
/* Enters a joint config (etcd's Changer.EnterJoint): the current voters become the outgoing
 * half, the changes apply to a copy that becomes the incoming half, and voters demoted to
 * learners wait in learners_next until the joint config is left. auto_leave != 0 marks the
 * config for automatic leaving by a node. Refused ("config is already joint", "can't make a
 * zero-voter config joint", ...) with RAFTC_ECONFCHANGE. */
RAFTC_API int raftc_changer_enter_joint(raftc_changer *ch, int auto_leave,
                                        const raftc_cc_type *types,
                                        const uint64_t *node_ids, size_t n);
/* Leaves a joint config (etcd's Changer.LeaveJoint): the incoming half becomes the config, the
 * outgoing half is dropped, learners_next become learners, voters left in neither half lose
 * their progress, and auto_leave is cleared. RAFTC_ECONFCHANGE ("can't leave a non-joint
 * config") outside a joint config. */
RAFTC_API int raftc_changer_leave_joint(raftc_changer *ch);
/* Rebuilds the config described by raftpb ConfState bytes (etcd's confchange.Restore): the
 * voters, learners and, for a joint ConfState, the outgoing voters and learners_next are added
 * as a series of changes starting from the current config (meant to be empty: create a fresh
 * changer). RAFTC_EDECODE for malformed
 * bytes; other errors as above (the tracker is unchanged on any error). */
RAFTC_API int raftc_changer_restore(raftc_changer *ch, const uint8_t *conf_state, size_t len);

/* Text of the last refused change ("" if the last change call succeeded or none was made).
 * Owned by the changer, valid until the next call on it. Never NULL. */
RAFTC_API const char *raftc_changer_last_error(const raftc_changer *ch);

/* The config and the progress of each tracked peer as text (etcd's Config.String() + "\n" +
 * ProgressMap.String()), e.g.
 * "voters=(1 2)&&(1) autoleave\n1: StateProbe match=0 next=1\n2: StateProbe match=0 next=3\n".
 * *out is a heap string (raftc_free), NULL on error. RAFTC_EINVAL, RAFTC_ENOMEM. */
RAFTC_API int raftc_changer_describe(char **out, const raftc_changer *ch);

/* Puts the config as one raftpb ConfState item (lists ascending) into out. RAFTC_EINVAL for
 * NULL arguments, RAFTC_ENOMEM. */
RAFTC_API int raftc_changer_conf_state(raftc_sink *out, const raftc_changer *ch);

/* ---- multi-raft host (docs/multiraft.md) ----
 *
 * A host runs many raft groups of one node (its node id) in one process: a group id beside the
 * node id names each group. It ticks only the groups that need it, builds one Ready covering
 * every group with work, advanced as a whole, and sends everything for one destination node as
 * one envelope (multiraftpb.Envelope, proto/multiraft.proto: raftpb Messages inside, heartbeats
 * and their responses coalesced into compact records). With quiescence on, a leader whose
 * group is fully replicated, committed and applied stops ticking and tells its followers to stop
 * too; a proposal, a message or an explicit wake-up restarts the group. Each group's log lives
 * in the host's storage (in memory); the host Ready carries what the application must make
 * durable, so one write and one fsync cover every group of a Ready.
 *
 *     raftc_host_new(&host, cfg, node_id);
 *     raftc_host_add_group(host, group, voters, n);       // per group
 *     loop:
 *       raftc_host_tick(host);                            // on the host's clock
 *       raftc_host_step(host, envelope, len);             // per envelope received
 *       raftc_host_propose(host, group, data, len);
 *       if (raftc_host_has_ready(host)) {
 *         raftc_host_ready(&batch, host);
 *         // per group i: raftc_batch_group(&group, &rd, batch, i): persist rd's entries and
 *         // HardState (all groups, one fsync), then send every envelope
 *         // (raftc_batch_envelope), then apply rd's committed entries
 *         raftc_host_advance(host);
 *       }
 *
 * A host is used by one thread at a time. Group ids are not 0. */
typedef struct raftc_host raftc_host;
/* A batch: the view of a host's Ready (the Readys of its groups with work and the envelopes
 * to send); it belongs to its host. */
typedef struct raftc_batch raftc_batch;

/* Creates a host for node node_id (not 0 nor a local thread id) whose groups take their
 * options from cfg (RAFTC_OPT_ID and the storage in cfg are ignored: the id is node_id and each
 * group's log is in the host's storage); cfg may be freed afterwards. RAFTC_EINVAL for NULL or a
 * bad node id; RAFTC_ECONFIG when cfg asks for asynchronous storage writes (a host persists
 * synchronously) or fails etcd's validation; RAFTC_ENOMEM. *out is NULL on failure. */
RAFTC_API int raftc_host_new(raftc_host **out, const raftc_config *cfg, uint64_t node_id);
/* Frees the host and all its groups (NULL is a no-op). */
RAFTC_API void raftc_host_free(raftc_host *host);
/* Text of the last failed call on the host ("" if none), naming the group where one is
 * concerned. Owned by the host, valid until its next call. Never NULL. */
RAFTC_API const char *raftc_host_last_error(const raftc_host *host);

/* Turns quiescence on (enabled != 0) or off; off by default. Turning it off wakes every group.
 * RAFTC_ECONFIG when turning it on for lease-based reads (RAFTC_READ_ONLY_LEASE_BASED): a
 * leader that does not tick cannot tell that its lease ran out. RAFTC_EINVAL for NULL. */
RAFTC_API int raftc_host_set_quiesce(raftc_host *host, int enabled);

/* Creates group `group` on this node, with an empty log in the host's storage. With n > 0 the
 * group is bootstrapped with voters ids[0..n) (etcd's Bootstrap; the same list on every node of
 * the group); with n == 0 it waits to be added to a group that exists elsewhere (it learns the
 * group from the leader's messages). RAFTC_EINVAL for a group id of 0 or NULL ids with n > 0;
 * RAFTC_ESTATE when the group exists; RAFTC_ENOMEM; a node creation or bootstrap error. */
RAFTC_API int raftc_host_add_group(raftc_host *host, uint64_t group, const uint64_t *ids,
                                   size_t n);
/* Creates group `group` on this node from a durable copy of its log (a host restarting): ms's
 * snapshot, entries after it and HardState are copied into the host's storage (ms is only read and may be
 * freed afterwards), and the group's node starts with Applied = applied (the index its state
 * machine was restored to, at least ms's snapshot index). Errors as raftc_host_add_group;
 * RAFTC_EINVAL for a NULL ms. */
RAFTC_API int raftc_host_load_group(raftc_host *host, uint64_t group, raftc_memstorage *ms,
                                    uint64_t applied);
/* As raftc_memstorage_create_snapshot (out may be NULL) on group `group`'s log in the host's
 * storage: a snapshot at applied index i with the ConfState and the application's data, sent
 * to followers that fell behind the compacted log. RAFTC_ENOTFOUND when there is no such group;
 * otherwise the errors of raftc_memstorage_create_snapshot. */
RAFTC_API int raftc_host_create_snapshot(raftc_sink *out, raftc_host *host, uint64_t group,
                                         uint64_t i, const uint8_t *conf_state,
                                         size_t conf_state_len, const uint8_t *data,
                                         size_t data_len);
/* As raftc_memstorage_compact on group `group`'s log in the host's storage. RAFTC_ENOTFOUND
 * when there is no such group; otherwise the errors of raftc_memstorage_compact
 * (raftc_host_last_error names the group and gives etcd's text). */
RAFTC_API int raftc_host_compact(raftc_host *host, uint64_t group, uint64_t compact_index);
/* Removes group `group` and frees its node and its log. RAFTC_ENOTFOUND when there is no such
 * group; RAFTC_ESTATE while the group is in a host Ready not yet advanced. */
RAFTC_API int raftc_host_remove_group(raftc_host *host, uint64_t group);
/* Looks a group up: *out receives its node, valid until the group is removed or the host freed.
 * Use it to read status (raftc_node_status_info, ...) and for calls the host has no function for
 * (raftc_node_apply_conf_change for committed conf changes, raftc_node_read_index,
 * raftc_node_transfer_leader, raftc_node_propose_conf_change, ...); the group is checked for work
 * by the next raftc_host_ready. A call that needs the group ticking again (any but status and
 * apply_conf_change) must be followed by raftc_host_wake_group. Never call raftc_node_ready,
 * raftc_node_advance or raftc_node_free on it. RAFTC_ENOTFOUND when there is no such group
 * (*out NULL). */
RAFTC_API int raftc_host_group(raftc_node **out, raftc_host *host, uint64_t group);
/* The number of groups of the host. */
RAFTC_API size_t raftc_host_group_count(const raftc_host *host);

/* Advances every awake group's clock by one tick (etcd's Tick). With quiescence on, a leader
 * whose group can go quiet stops ticking instead and tells its followers in the next Ready;
 * quiet groups are not touched (no work for them). Returns RAFTC_OK, or the first group's error
 * (the other groups are ticked all the same; raftc_host_last_error names it). */
RAFTC_API int raftc_host_tick(raftc_host *host);
/* Proposes data in group `group` (etcd's Propose), waking the group if it was quiet.
 * RAFTC_ENOTFOUND, RAFTC_EPROPOSAL_DROPPED, and the errors of raftc_node_propose. */
RAFTC_API int raftc_host_propose(raftc_host *host, uint64_t group, const uint8_t *data,
                                 size_t len);
/* Starts an election in group `group` now (etcd's Campaign), waking it. RAFTC_ENOTFOUND, and
 * the errors of raftc_node_campaign. */
RAFTC_API int raftc_host_campaign(raftc_host *host, uint64_t group);
/* Steps an envelope from another host: every message into its group (a group this host does
 * not have is skipped and counted, RAFTC_HO_DROPPED), heartbeats and their responses as the
 * MsgHeartbeat / MsgHeartbeatResp they stand for. A message wakes its group (a quiet follower
 * woken by anyone but its leader also wakes its leader); heartbeat responses do not, and a
 * heartbeat marked quiesce puts a caught-up follower to sleep. RAFTC_EDECODE for malformed
 * bytes, RAFTC_EINVAL for an envelope without sender or receiver or with group id 0,
 * RAFTC_EREFUSED for an envelope addressed to another node or sent by this one (nothing is
 * stepped); otherwise every message is stepped and the first group's error is returned
 * (RAFTC_EREFUSED, RAFTC_EDECODE, ... as raftc_node_step; raftc_host_last_error names the group). */
RAFTC_API int raftc_host_step(raftc_host *host, const uint8_t *buf, size_t len);
/* Wakes group `group` if it is quiet (and, for a follower, its leader, through the next
 * envelope). RAFTC_ENOTFOUND when there is no such group. */
RAFTC_API int raftc_host_wake_group(raftc_host *host, uint64_t group);
/* Wakes every quiet group led by node_id: call it when the application's failure detector
 * declares that node down, so that those groups tick, notice the missing leader and elect
 * another. RAFTC_EINVAL for node id 0. */
RAFTC_API int raftc_host_wake_peer(raftc_host *host, uint64_t node_id);

/* Indexes into the array filled by raftc_host_info. */
typedef enum raftc_host_field {
    RAFTC_HO_NODE_ID = 0,
    RAFTC_HO_GROUPS = 1,        /* groups of the host */
    RAFTC_HO_AWAKE = 2,         /* groups ticked by raftc_host_tick (not quiet) */
    RAFTC_HO_QUIESCED = 3,      /* times a group went quiet, since the host was created */
    RAFTC_HO_WOKEN = 4,         /* times a quiet group woke up */
    RAFTC_HO_DROPPED = 5,       /* envelope parts for groups this host does not have */
    RAFTC_HO_ENVELOPES = 6,     /* envelopes built by raftc_host_ready */
    RAFTC_HO_HEARTBEATS = 7,    /* coalesced heartbeats and responses put in envelopes */
    RAFTC_HO_COUNT = 8
} raftc_host_field;
/* Fills info[0 .. min(n, RAFTC_HO_COUNT)) with the host's counters. RAFTC_EINVAL for NULL. */
RAFTC_API int raftc_host_info(uint64_t *info, size_t n, const raftc_host *host);

/* 1 when raftc_host_ready would have something: a group with a Ready or an envelope to send.
 * Groups found without work are forgotten until their next event (so the call is not const). */
RAFTC_API int raftc_host_has_ready(raftc_host *host);
/* Builds the host Ready: the Ready of every group with work (each already written to the
 * host's storage: its snapshot, entries and HardState, which the application must also make
 * durable before sending anything), and one envelope per destination node holding every
 * message of those Readys plus the heartbeats of quiet groups. Groups' messages are read from
 * the envelopes only (the group Readys' messages are the same, not to be sent again). *out is
 * valid until raftc_host_advance or raftc_host_free. RAFTC_ESTATE while the previous host Ready
 * is not advanced; RAFTC_ENOMEM; a group whose Ready fails is left out and its error returned
 * after the others are collected (the Ready is valid all the same). */
RAFTC_API int raftc_host_ready(raftc_batch **out, raftc_host *host);
/* The number of groups in the host Ready. */
RAFTC_API size_t raftc_batch_group_count(const raftc_batch *batch);
/* Group i of the host Ready: *group its id, *rd its Ready (read with raftc_ready_*: entries,
 * HardState, snapshot, committed entries, read states; valid as the host Ready). RAFTC_EINVAL
 * for NULL or i out of range, RAFTC_ESTATE for an advanced host Ready. */
RAFTC_API int raftc_batch_group(uint64_t *group, raftc_ready **rd,
                                const raftc_batch *batch, size_t i);
/* The number of envelopes in the host Ready (at most one per destination node). */
RAFTC_API size_t raftc_batch_envelope_count(const raftc_batch *batch);
/* Envelope i: *to its destination node, (*buf, *len) its multiraftpb.Envelope bytes, a view valid
 * as the host Ready. RAFTC_EINVAL for NULL or i out of range, RAFTC_ESTATE for an advanced
 * host Ready. */
RAFTC_API int raftc_batch_envelope(uint64_t *to, const uint8_t **buf, size_t *len,
                                   const raftc_batch *batch, size_t i);
/* Advances every group of the host Ready (etcd's Advance), after the application persisted,
 * sent and applied it. RAFTC_ESTATE without a host Ready; otherwise the first group's error
 * (every group is advanced all the same). */
RAFTC_API int raftc_host_advance(raftc_host *host);

/* ---- durable storage of a multi-raft host (docs/multiraft.md, "Durable storage") ----
 *
 * One log file in a directory, shared by every group of a host: raftc_hoststore_save persists
 * a whole host Ready (every group's snapshot, entries and HardState) with one write and one
 * fsync, before its envelopes are sent. Reopened after a crash or a power cut, it holds every
 * group as of its last save; raftc_hoststore_load recreates them in a new host. A torn tail (a
 * crash during a write) is cut off; other damage is refused with RAFTC_ECORRUPT naming the
 * offset. The log is rewritten whole (a checkpoint of every group's log as the host holds it,
 * written aside and renamed into place) when it outgrows the last checkpoint. A failed write,
 * fsync or file operation fails the store for good (RAFTC_EFAILED from then on; reopen).
 *
 *     raftc_hoststore_open(&hs, err, sizeof err, dir, 0);
 *     raftc_host_new(&host, cfg, node_id);
 *     raftc_hoststore_load(hs, host);                 // the groups persisted before
 *     ... raftc_host_ready(&batch, host);
 *         raftc_hoststore_save(hs, host);             // one write + one fsync
 *         send the envelopes, apply, raftc_host_advance(host);
 *
 * Groups are created with raftc_host_add_group as before (a group that never persisted
 * anything is not in the store); snapshots and removals go through raftc_hoststore_* so that
 * they are durable. One thread at a time. */
typedef struct raftc_hoststore raftc_hoststore;

/* Opens the host store in directory path (created if absent) and replays it; path may be
 * "memfs:<machine>/<dir>" when RAFTC_TESTING_MEMFS is on. checkpoint_bytes: the log is rewritten
 * once it grows past this many bytes plus twice the last checkpoint (0: 64 MiB). On failure
 * *out is NULL and err (err_len bytes, may be NULL) gets the reason: RAFTC_ELOCKED,
 * RAFTC_ECORRUPT, RAFTC_EIO, RAFTC_EINVAL, RAFTC_ENOMEM. */
RAFTC_API int raftc_hoststore_open(raftc_hoststore **out, char *err, size_t err_len,
                                   const char *path, uint64_t checkpoint_bytes);
/* Unlocks the directory and frees hs (NULL is a no-op); nothing unsaved is written. */
RAFTC_API void raftc_hoststore_free(raftc_hoststore *hs);
/* Recreates every group found in the store in host (raftc_host_load_group, Applied = the
 * group's snapshot index: restore each state machine from its snapshot) and forgets the
 * recovered copies; a second call loads nothing. RAFTC_EINVAL for NULL, or the first error of
 * raftc_host_load_group (e.g. RAFTC_ESTATE for a group the host has). */
RAFTC_API int raftc_hoststore_load(raftc_hoststore *hs, raftc_host *host);
/* Persists host's Ready (from raftc_host_ready, not yet advanced): every group's snapshot,
 * entries and HardState, in one write, then one fsync when any group's Ready must sync or holds
 * a snapshot; then a checkpoint if the log outgrew the last one. Call it before sending the
 * envelopes.
 * RAFTC_ESTATE without a host Ready, RAFTC_EFAILED / RAFTC_EIO (the store failed), RAFTC_ENOMEM. */
RAFTC_API int raftc_hoststore_save(raftc_hoststore *hs, raftc_host *host);
/* raftc_host_create_snapshot (out may be NULL), then the snapshot written and fsynced: reopened,
 * the group's log starts at it (entries after it kept). Errors of raftc_host_create_snapshot,
 * RAFTC_EFAILED / RAFTC_EIO. */
RAFTC_API int raftc_hoststore_create_snapshot(raftc_sink *out, raftc_hoststore *hs,
                                              raftc_host *host, uint64_t group, uint64_t i,
                                              const uint8_t *conf_state, size_t conf_state_len,
                                              const uint8_t *data, size_t data_len);
/* raftc_host_remove_group, then the removal written and fsynced. Errors of
 * raftc_host_remove_group, RAFTC_EFAILED / RAFTC_EIO. */
RAFTC_API int raftc_hoststore_remove_group(raftc_hoststore *hs, raftc_host *host,
                                           uint64_t group);

/* Indexes into the array filled by raftc_hoststore_info. */
typedef enum raftc_hoststore_field {
    RAFTC_HS_LOG_BYTES = 0,    /* bytes of the log file */
    RAFTC_HS_TORN_BYTES = 1,   /* bytes of a torn tail cut off when opening */
    RAFTC_HS_RECOVERED = 2,    /* groups found when opening, not yet loaded */
    RAFTC_HS_SAVES = 3,        /* raftc_hoststore_save calls that wrote something */
    RAFTC_HS_FSYNCS = 4,       /* fsyncs of the log (saves, snapshots, removals) */
    RAFTC_HS_CHECKPOINTS = 5,  /* log rewrites */
    RAFTC_HS_FAILED = 6,       /* 1 once the store failed */
    RAFTC_HS_COUNT = 7
} raftc_hoststore_field;
/* Fills info[0 .. min(n, RAFTC_HS_COUNT)) with the store's counters. RAFTC_EINVAL for NULL. */
RAFTC_API int raftc_hoststore_info(uint64_t *info, size_t n, const raftc_hoststore *hs);
/* Why the store failed or the text of its last error ("" if none). Owned by hs, valid until
 * its next call. Never NULL (a NULL hs gives ""). */
RAFTC_API const char *raftc_hoststore_last_error(const raftc_hoststore *hs);

#ifdef __cplusplus
}
#endif

#endif /* RAFTC_H */
