/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * writer.h: the disk storage's asynchronous writer, etcd's AsyncStorageWrites "append thread".
 * A node run with async storage writes puts MsgStorageAppend messages (to LocalAppendThread)
 * in its Readys instead of asking the host to persist; the host submits them here, and a
 * thread owned by the writer persists them in order (ds_save_appends: the queued messages as
 * one batch, one fsync) and hands back each message's Responses, encoded, once durable. The
 * host steps the responses addressed to its node and sends the others, as etcd requires.
 *
 * Thread-safety: submit and take are called by the host's thread (the one driving the nodes
 * that read the storage); the storage is switched to its two-thread mode (ds_set_threaded).
 * After a failed write the storage is failed: queued messages are dropped, submit refuses, and
 * take returns what completed before, then RC_ERR_FAILED.
 */
#ifndef DS_WRITER_H
#define DS_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "diskstorage.h"

typedef struct ds_writer ds_writer;

/* Starts the writer thread on ds (which must outlive it). RC_ERR_NOMEM, RC_ERR_IO (the thread
 * could not be started). */
int ds_writer_start(ds_writer **out, ds_storage *ds);
/* Persists what is queued, stops the thread and frees w (responses not taken are dropped). NULL
 * is a no-op. */
void ds_writer_stop(ds_writer *w);
/* Queues *m, a MsgStorageAppend to LocalAppendThread whose payloads no other thread
 * references (ds_writer_copy_message), moving it in (*m owns nothing afterwards).
 * RC_ERR_INVALID for another message (m untouched), RC_ERR_FAILED once the storage failed,
 * RC_ERR_NOMEM. */
int ds_writer_submit(ds_writer *w, rc_message *m);
/* Copies src into *dst with payloads of its own (src may share blobs with a node's log). */
int ds_writer_copy_message(rc_message *dst, const rc_message *src);
/* Waits up to timeout_ms (< 0: without limit; 0: not at all) until at least one submitted
 * message has been persisted or the storage failed; then hands over the responses of every
 * message persisted since the last take, in order: *buf (rc_free it; NULL if none) holds *len
 * bytes, each response a u32 length (host byte order) and its raftpb bytes; *done gets the
 * number of messages persisted. RC_OK (also on a timeout: *done is 0), RC_ERR_FAILED when the
 * storage failed and nothing persisted is left to hand over. */
int ds_writer_take(ds_writer *w, int timeout_ms, uint8_t **buf, size_t *len, uint64_t *done);
/* Messages submitted and not yet persisted. */
uint64_t ds_writer_pending(ds_writer *w);

#endif
