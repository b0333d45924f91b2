/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * writer.c: the asynchronous writer (see writer.h). One mutex guards the queue of submitted
 * messages and the buffer of encoded responses; the thread takes the whole queue as a batch,
 * persists it without holding that mutex (the storage has its own locks), encodes the
 * responses and publishes them.
 */
#define _POSIX_C_SOURCE 200809L
#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "codec.h"
#include "fsutil.h"

typedef struct msg_queue {
    rc_message *v;
    size_t n, cap;
} msg_queue;

struct ds_writer {
    ds_storage *ds;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work; /* signalled on submit and stop */
    pthread_cond_t done; /* signalled when a batch completed or failed */
    msg_queue queue;     /* submitted, not yet taken by the thread */
    uint64_t in_flight;  /* submitted and not yet persisted (queued or in the thread's batch) */
    uint8_t *out;        /* responses of persisted messages, not yet taken */
    size_t out_len, out_cap;
    uint64_t out_done;   /* messages persisted, not yet taken */
    bool stop, failed;
};

static void queue_clear(msg_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        rc_message_free(&q->v[i]);
    q->n = 0;
}

/* Appends each message's responses (u32 length, raftpb bytes) to buf. */
static int encode_responses(uint8_t **buf, size_t *len, size_t *cap, const msg_queue *batch)
{
    int rc = RC_OK;
    for (size_t i = 0; i < batch->n && rc == RC_OK; i++) {
        const rc_message *m = &batch->v[i];
        for (size_t k = 0; k < m->n_responses && rc == RC_OK; k++) {
            uint8_t *enc = NULL;
            size_t n = 0;
            rc = rc_encode_message(&enc, &n, &m->responses[k]);
            if (rc == RC_OK && (n > UINT32_MAX - 4 ||
                                (rc = rc_grow((void **)buf, cap, *len + 4 + n, 1)) != RC_OK))
                rc = rc == RC_OK ? RC_ERR_TOO_LARGE : rc;
            if (rc == RC_OK) {
                uint32_t l = (uint32_t)n;
                memcpy(*buf + *len, &l, 4);
                memcpy(*buf + *len + 4, enc, n);
                *len += 4 + n;
            }
            rc_free(enc);
        }
    }
    return rc;
}

/* A batch the storage refused without failing (an argument error: a gap, a stale snapshot):
 * later messages depend on it, so the storage fails. */
static void mark_refused(ds_storage *ds, int rc)
{
    if (ds_failed(ds))
        return;
    char text[DS_ERR_MAX];
    snprintf(text, sizeof(text), "async writer: a MsgStorageAppend was refused (code %d): %s", rc,
             rc_memstorage_last_error(ds_mirror(ds)));
    ds_mark_failed(ds, rc, text);
}

static void *run(void *arg)
{
    ds_writer *w = arg;
    msg_queue batch = {0};
    uint8_t *enc = NULL;
    size_t enc_len = 0, enc_cap = 0;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->queue.n == 0 && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->queue.n == 0)
            break; /* stopping, nothing left */
        msg_queue t = batch; /* swap: the queue's array becomes the batch */
        batch = w->queue;
        w->queue = t;
        pthread_mutex_unlock(&w->mu);

        int rc = w->failed ? RC_ERR_FAILED : ds_save_appends(w->ds, batch.v, batch.n);
        enc_len = 0;
        if (rc == RC_OK)
            rc = encode_responses(&enc, &enc_len, &enc_cap, &batch);
        size_t n = batch.n;
        queue_clear(&batch);

        pthread_mutex_lock(&w->mu);
        w->in_flight -= n;
        if (rc == RC_OK && rc_grow((void **)&w->out, &w->out_cap, w->out_len + enc_len, 1) ==
                               RC_OK) {
            if (enc_len > 0)
                memcpy(w->out + w->out_len, enc, enc_len);
            w->out_len += enc_len;
            w->out_done += n;
        } else if (!w->failed) {
            /* persisted but not deliverable, or not persisted: nothing after it may be
             * acknowledged either */
            w->failed = true;
            if (rc == RC_OK)
                ds_mark_failed(w->ds, RC_ERR_NOMEM,
                               "async writer: out of memory handing over responses");
            else
                mark_refused(w->ds, rc);
            w->in_flight -= w->queue.n;
            queue_clear(&w->queue);
        }
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    rc_free(batch.v);
    rc_free(enc);
    return NULL;
}

int ds_writer_start(ds_writer **out, ds_storage *ds)
{
    *out = NULL;
    ds_writer *w = rc_calloc(1, sizeof(*w));
    if (w == NULL)
        return RC_ERR_NOMEM;
    w->ds = ds;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, &ca);
    pthread_condattr_destroy(&ca);
    ds_set_threaded(ds);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        pthread_cond_destroy(&w->work);
        pthread_cond_destroy(&w->done);
        pthread_mutex_destroy(&w->mu);
        rc_free(w);
        return RC_ERR_IO;
    }
    *out = w;
    return RC_OK;
}

void ds_writer_stop(ds_writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    queue_clear(&w->queue);
    rc_free(w->queue.v);
    rc_free(w->out);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->mu);
    rc_free(w);
}

int ds_writer_submit(ds_writer *w, rc_message *m)
{
    if (m->type != RC_MSG_STORAGE_APPEND || m->to != RC_LOCAL_APPEND_THREAD)
        return RC_ERR_INVALID;
    pthread_mutex_lock(&w->mu);
    int rc = w->failed || ds_failed(w->ds) ? RC_ERR_FAILED : RC_OK;
    if (rc == RC_OK)
        rc = rc_grow((void **)&w->queue.v, &w->queue.cap, w->queue.n + 1, sizeof(rc_message));
    if (rc == RC_OK) {
        w->queue.v[w->queue.n++] = *m;
        rc_message_disown(m);
        w->in_flight++;
        pthread_cond_signal(&w->work);
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int ds_writer_take(ds_writer *w, int timeout_ms, uint8_t **buf, size_t *len, uint64_t *done)
{
    *buf = NULL;
    *len = 0;
    *done = 0;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    if (timeout_ms > 0) {
        until.tv_sec += timeout_ms / 1000;
        until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&w->mu);
    while (w->out_done == 0 && !w->failed && w->in_flight > 0 && timeout_ms != 0) {
        if (timeout_ms < 0)
            pthread_cond_wait(&w->done, &w->mu);
        else if (pthread_cond_timedwait(&w->done, &w->mu, &until) == ETIMEDOUT)
            break;
    }
    int rc = RC_OK;
    if (w->out_done > 0) {
        *buf = w->out;
        *len = w->out_len;
        *done = w->out_done;
        w->out = NULL;
        w->out_len = w->out_cap = 0;
        w->out_done = 0;
    } else if (w->failed) {
        rc = RC_ERR_FAILED;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

uint64_t ds_writer_pending(ds_writer *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->in_flight;
    pthread_mutex_unlock(&w->mu);
    return n;
}

/* ---- private copies ---- */

static int copy_bytes(rc_bytes *dst, const rc_bytes *src)
{
    return rc_bytes_set(dst, src->data, src->len);
}

static int copy_snapshot(rc_snapshot **dst, const rc_snapshot *src)
{
    if (src == NULL)
        return RC_OK;
    if ((*dst = rc_calloc(1, sizeof(rc_snapshot))) == NULL)
        return RC_ERR_NOMEM;
    (*dst)->metadata.index = src->metadata.index;
    (*dst)->metadata.term = src->metadata.term;
    int rc = rc_conf_state_copy(&(*dst)->metadata.conf_state, &src->metadata.conf_state);
    return rc == RC_OK ? copy_bytes(&(*dst)->data, &src->data) : rc;
}

int ds_writer_copy_message(rc_message *dst, const rc_message *src)
{
    *dst = *src;
    rc_message_disown(dst);
    int rc = RC_OK;
    if (src->n_entries > 0) {
        if ((dst->entries = rc_calloc(src->n_entries, sizeof(rc_entry))) == NULL)
            rc = RC_ERR_NOMEM;
        for (size_t i = 0; i < src->n_entries && rc == RC_OK; i++) {
            rc_entry *e = &dst->entries[i];
            *e = src->entries[i];
            e->data = (rc_bytes){NULL, 0, NULL};
            rc = copy_bytes(&e->data, &src->entries[i].data);
            dst->n_entries++;
        }
    }
    if (rc == RC_OK)
        rc = copy_snapshot(&dst->snapshot, src->snapshot);
    if (rc == RC_OK)
        rc = copy_bytes(&dst->context, &src->context);
    if (rc == RC_OK && src->n_responses > 0 &&
        (dst->responses = rc_calloc(src->n_responses, sizeof(rc_message))) == NULL)
        rc = RC_ERR_NOMEM;
    for (size_t i = 0; i < src->n_responses && rc == RC_OK; i++) {
        rc = ds_writer_copy_message(&dst->responses[i], &src->responses[i]);
        dst->n_responses += rc == RC_OK;
    }
    if (rc != RC_OK)
        rc_message_free(dst);
    return rc;
}
