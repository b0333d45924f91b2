/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * uvcodec.h: canonical/raft's wire codec (src/uv_encoding.h of libraft 0.15; not in its public
 * headers, linked from libraft.a). uvEncodeMessage puts the message into bufs (*bufs from
 * raft_calloc, bufs[0].base from raft_malloc: the 16-byte preamble (type, header length), the
 * header and, for AppendEntries, the entries' batch header; the entry payloads follow as
 * bufs[1..], *referenced*, not copied, as the TCP transport writes them with one uv_write).
 * uvDecodeMessage decodes a header (the bytes after the preamble), raft_malloc'ing the entries
 * array of an AppendEntries, and gives the length of the payload that follows;
 * uvDecodeEntriesBatch points the entries into that payload (the receive buffer).
 */
#ifndef RAFTC_BENCH_UVCODEC_H
#define RAFTC_BENCH_UVCODEC_H

#include <stddef.h>
#include <stdint.h>

#include <raft.h>
#include <uv.h>

int uvEncodeMessage(const struct raft_message *message, uv_buf_t **bufs, unsigned *n_bufs);
int uvDecodeMessage(unsigned long type, const uv_buf_t *header, struct raft_message *message,
                    size_t *payload_len);
void uvDecodeEntriesBatch(uint8_t *batch, size_t offset, struct raft_entry *entries,
                          unsigned n);

#endif /* RAFTC_BENCH_UVCODEC_H */
