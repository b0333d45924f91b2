/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * describe.h: etcd's Describe* text forms (HARNESS.md §4), appended to a strbuf.
 */
#ifndef RC_DESCRIBE_H
#define RC_DESCRIBE_H

#include "ready.h"
#include "strbuf.h"
#include "types.h"

void rc_describe_entry(rc_strbuf *b, const rc_entry *e);
void rc_describe_entries(rc_strbuf *b, const rc_entry *ents, size_t n); /* each + "\n" */
void rc_describe_message(rc_strbuf *b, const rc_message *m, const char *indent);
void rc_describe_hard_state(rc_strbuf *b, const rc_hard_state *hs);
void rc_describe_soft_state(rc_strbuf *b, const rc_soft_state *ss);
void rc_describe_conf_state(rc_strbuf *b, const rc_conf_state *cs);
void rc_describe_snapshot(rc_strbuf *b, const rc_snapshot *s);
/* DescribeConfChange as used in "ignoring conf change" logs. */
void rc_describe_conf_change_v2(rc_strbuf *b, const rc_conf_change_v2 *cc);
/* ConfChangesToString: "v1 r2 l3". */
void rc_describe_conf_changes(rc_strbuf *b, const rc_cc_single *ccs, size_t n);
/* etcd's target(id): None, AppendThread, ApplyThread, or %x. */
void rc_describe_target(rc_strbuf *b, uint64_t id);
/* Go's %v of []ReadState: "[{12 [114 99]} {13 []}]". */
void rc_describe_read_states(rc_strbuf *b, const rc_read_state *rs, size_t n);
/* DescribeReady(rd, nil): "Ready MustSync=%t:\n<sections>" or "<empty Ready>". */
void rc_describe_ready(rc_strbuf *b, const rc_ready *rd);

#endif
