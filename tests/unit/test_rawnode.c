/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_rawnode.c: etcd's RawNode over the memory storage: bootstrap, campaign, propose,
 * Ready/Advance cycles, MustSync, the Ready text (DescribeReady) and async storage writes.
 * Deterministic: the election timeout is never relied upon (seed 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "codec.h"
#include "describe.h"
#include "memstorage.h"
#include "rawnode.h"

typedef struct fixture {
    rc_memstorage *ms;
    rc_rawnode *rn;
} fixture;

/* A node with id 1 over a fresh memory storage; if snap_index > 0 the storage starts from a
 * snapshot at (snap_index, term 1) with voters (1) and Applied = snap_index. */
static void fx_init(fixture *f, uint64_t snap_index, bool async)
{
    memset(f, 0, sizeof(*f));
    assert_int_equal(rc_memstorage_new(&f->ms), RC_OK);
    if (snap_index > 0) {
        rc_snapshot s = {0};
        s.metadata.index = snap_index;
        s.metadata.term = 1;
        assert_int_equal(rc_ids_push(&s.metadata.conf_state.voters, 1), RC_OK);
        assert_int_equal(rc_memstorage_apply_snapshot(f->ms, &s), RC_OK);
        rc_snapshot_free(&s);
    }
    rc_config c = {0};
    c.id = 1;
    c.election_tick = 3;
    c.heartbeat_tick = 1;
    c.storage = rc_memstorage_storage(f->ms);
    c.applied = snap_index;
    c.async_storage_writes = async;
    c.max_size_per_msg = RC_NO_LIMIT;
    c.max_inflight_msgs = 256;
    c.rand_seed = 1;
    const char *err = NULL;
    assert_int_equal(rc_rawnode_new(&f->rn, &c, &err), RC_OK);
}

static void fx_free(fixture *f)
{
    rc_rawnode_free(f->rn);
    rc_memstorage_free(f->ms);
}

static char *describe(const rc_ready *rd)
{
    rc_strbuf b = RC_STRBUF_INIT;
    rc_describe_ready(&b, rd);
    assert_true(rc_strbuf_ok(&b));
    return rc_strbuf_take(&b);
}

/* Takes a Ready, checks its text, persists and applies it, and advances (sync mode). */
static void cycle(fixture *f, const char *want)
{
    rc_ready rd;
    assert_int_equal(rc_rawnode_ready(f->rn, &rd), RC_OK);
    char *got = describe(&rd);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    rc_free(got);
    if (!rc_hard_state_is_empty(&rd.hard_state))
        assert_int_equal(rc_memstorage_set_hard_state(f->ms, &rd.hard_state), RC_OK);
    if (rd.snapshot != NULL)
        assert_int_equal(rc_memstorage_apply_snapshot(f->ms, rd.snapshot), RC_OK);
    assert_int_equal(rc_memstorage_append(f->ms, rd.entries.v, rd.entries.n), RC_OK);
    for (size_t i = 0; i < rd.committed_entries.n; i++) {
        const rc_entry *e = &rd.committed_entries.v[i];
        if (e->type != RC_ENTRY_CONF_CHANGE)
            continue;
        rc_conf_change cc;
        rc_conf_change_v2 v2;
        assert_int_equal(rc_decode_conf_change(&cc, e->data.data, e->data.len), RC_OK);
        assert_int_equal(rc_cc_v1_as_v2(&v2, &cc), RC_OK);
        assert_int_equal(rc_rawnode_apply_conf_change(f->rn, &v2, NULL), RC_OK);
        rc_conf_change_free(&cc);
        rc_conf_change_v2_free(&v2);
    }
    rc_ready_free(&rd);
    assert_int_equal(rc_rawnode_advance(f->rn), RC_OK);
}

static void test_bootstrap_single_node(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 0, false);
    assert_int_equal(rc_rawnode_bootstrap(f.rn, NULL, NULL, 0), RC_ERR_INVALID);
    uint64_t ids[] = {1};
    assert_int_equal(rc_rawnode_bootstrap(f.rn, ids, NULL, 1), RC_OK);
    assert_true(rc_rawnode_has_ready(f.rn));
    cycle(&f, "Ready MustSync=true:\n"
              "HardState Term:1 Commit:1\n"
              "Entries:\n"
              "1/1 EntryConfChange v1\n"
              "CommittedEntries:\n"
              "1/1 EntryConfChange v1\n");
    assert_false(rc_rawnode_has_ready(f.rn));

    assert_int_equal(rc_rawnode_campaign(f.rn), RC_OK);
    cycle(&f, "Ready MustSync=true:\n"
              "Lead:0 State:StateCandidate\n"
              "HardState Term:2 Vote:1 Commit:1\n");
    cycle(&f, "Ready MustSync=true:\n"
              "Lead:1 State:StateLeader\n"
              "Entries:\n"
              "2/2 EntryNormal \"\"\n");
    /* A commit-only HardState change does not need a sync. */
    cycle(&f, "Ready MustSync=false:\n"
              "HardState Term:2 Vote:1 Commit:2\n"
              "CommittedEntries:\n"
              "2/2 EntryNormal \"\"\n");
    assert_false(rc_rawnode_has_ready(f.rn));

    assert_int_equal(rc_rawnode_propose(f.rn, (const uint8_t *)"foo", 3), RC_OK);
    cycle(&f, "Ready MustSync=true:\nEntries:\n2/3 EntryNormal \"foo\"\n");
    cycle(&f, "Ready MustSync=false:\nHardState Term:2 Vote:1 Commit:3\n"
              "CommittedEntries:\n2/3 EntryNormal \"foo\"\n");

    rc_basic_status st;
    rc_rawnode_basic_status(f.rn, &st);
    assert_int_equal(st.id, 1);
    assert_int_equal(st.hard_state.commit, 3);
    assert_int_equal(st.applied, 3);
    assert_int_equal(st.soft_state.raft_state, RC_STATE_LEADER);
    assert_non_null(rc_rawnode_progress(f.rn));

    /* Bootstrapping again: storage is no longer empty. */
    assert_int_equal(rc_rawnode_bootstrap(f.rn, ids, NULL, 1), RC_ERR_STATE);
    assert_string_equal(f.rn->err_text, "can't bootstrap a nonempty Storage");
    fx_free(&f);
}

static void test_restart_from_snapshot(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 3, false);
    assert_false(rc_rawnode_has_ready(f.rn));
    assert_int_equal(rc_rawnode_campaign(f.rn), RC_OK);
    cycle(&f, "Ready MustSync=true:\nLead:0 State:StateCandidate\n"
              "HardState Term:1 Vote:1 Commit:3\n");
    cycle(&f, "Ready MustSync=true:\nLead:1 State:StateLeader\nEntries:\n1/4 EntryNormal \"\"\n");
    cycle(&f, "Ready MustSync=false:\nHardState Term:1 Vote:1 Commit:4\n"
              "CommittedEntries:\n1/4 EntryNormal \"\"\n");
    fx_free(&f);
}

static void test_ready_twice_and_advance_order(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 3, false);
    /* Advance without a Ready. */
    assert_int_equal(rc_rawnode_advance(f.rn), RC_ERR_STATE);
    assert_int_equal(rc_rawnode_campaign(f.rn), RC_OK);
    rc_ready rd;
    assert_int_equal(rc_rawnode_ready(f.rn, &rd), RC_OK);
    rc_ready_free(&rd);
    /* The candidate's self-vote waits for Advance: a second Ready is refused. */
    rc_ready rd2;
    assert_int_equal(rc_rawnode_ready(f.rn, &rd2), RC_ERR_STATE);
    assert_string_equal(f.rn->err_text, "two accepted Ready structs without call to Advance");
    rc_ready_free(&rd2);
    assert_int_equal(rc_rawnode_advance(f.rn), RC_OK);
    assert_int_equal(f.rn->raft->state, RC_STATE_LEADER);
    assert_int_equal(rc_rawnode_advance(f.rn), RC_ERR_STATE);
    fx_free(&f);
}

static void test_must_sync(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 3, false);
    assert_int_equal(rc_rawnode_campaign(f.rn), RC_OK);
    rc_ready rd;
    assert_int_equal(rc_rawnode_ready(f.rn, &rd), RC_OK);
    assert_true(rd.must_sync); /* term and vote changed */
    assert_int_equal(rd.n_messages_now, rd.messages.n);
    rc_ready_free(&rd);
    assert_int_equal(rc_rawnode_advance(f.rn), RC_OK);
    assert_int_equal(rc_rawnode_ready(f.rn, &rd), RC_OK);
    assert_true(rd.must_sync); /* entries */
    assert_int_equal(rd.entries.n, 1);
    assert_int_equal(rc_memstorage_append(f.ms, rd.entries.v, rd.entries.n), RC_OK);
    rc_ready_free(&rd);
    assert_int_equal(rc_rawnode_advance(f.rn), RC_OK);
    assert_int_equal(rc_rawnode_ready(f.rn, &rd), RC_OK);
    assert_false(rd.must_sync); /* commit only */
    assert_int_equal(rd.hard_state.commit, 4);
    rc_ready_free(&rd);
    assert_int_equal(rc_rawnode_advance(f.rn), RC_OK);
    fx_free(&f);
}

/* Steps the responses of a local-thread message back into the node. */
static void step_responses(fixture *f, const rc_message *m)
{
    for (size_t i = 0; i < m->n_responses; i++)
        assert_int_equal(rc_rawnode_step(f->rn, &m->responses[i]), RC_OK);
}

static void async_ready(fixture *f, const char *want, bool run_threads)
{
    rc_ready rd;
    assert_int_equal(rc_rawnode_ready(f->rn, &rd), RC_OK);
    char *got = describe(&rd);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    rc_free(got);
    for (size_t i = 0; run_threads && i < rd.messages.n; i++) {
        const rc_message *m = &rd.messages.v[i];
        if (m->type == RC_MSG_STORAGE_APPEND) {
            rc_hard_state hs = {m->term, m->vote, m->commit};
            if (!rc_hard_state_is_empty(&hs))
                assert_int_equal(rc_memstorage_set_hard_state(f->ms, &hs), RC_OK);
            assert_int_equal(rc_memstorage_append(f->ms, m->entries, m->n_entries), RC_OK);
        }
        step_responses(f, m);
    }
    rc_ready_free(&rd);
}

static void test_async_storage_writes(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 10, true);
    assert_int_equal(rc_rawnode_campaign(f.rn), RC_OK);
    async_ready(&f, "Ready MustSync=true:\n"
                    "Lead:0 State:StateCandidate\n"
                    "HardState Term:1 Vote:1 Commit:10\n"
                    "Messages:\n"
                    "1->AppendThread MsgStorageAppend Term:1 Log:0/0 Commit:10 Vote:1 Responses:[\n"
                    "  1->1 MsgVoteResp Term:1 Log:0/0\n"
                    "]\n",
                true);
    assert_int_equal(f.rn->raft->state, RC_STATE_LEADER);
    async_ready(&f, "Ready MustSync=true:\n"
                    "Lead:1 State:StateLeader\n"
                    "Entries:\n"
                    "1/11 EntryNormal \"\"\n"
                    "Messages:\n"
                    "1->AppendThread MsgStorageAppend Term:0 Log:0/0 Entries:[1/11 EntryNormal \"\"]"
                    " Responses:[\n"
                    "  1->1 MsgAppResp Term:1 Log:0/11\n"
                    "  AppendThread->1 MsgStorageAppendResp Term:1 Log:1/11\n"
                    "]\n",
                true);
    async_ready(&f, "Ready MustSync=false:\n"
                    "HardState Term:1 Vote:1 Commit:11\n"
                    "CommittedEntries:\n"
                    "1/11 EntryNormal \"\"\n"
                    "Messages:\n"
                    "1->AppendThread MsgStorageAppend Term:1 Log:0/0 Commit:11 Vote:1\n"
                    "1->ApplyThread MsgStorageApply Term:0 Log:0/0 Entries:[1/11 EntryNormal \"\"]"
                    " Responses:[\n"
                    "  ApplyThread->1 MsgStorageApplyResp Term:0 Log:0/0 Entries:[1/11 EntryNormal \"\"]\n"
                    "]\n",
                true);
    assert_int_equal(f.rn->raft->raft_log.applied, 11);
    assert_false(rc_rawnode_has_ready(f.rn));
    /* Advance is refused in async mode. */
    assert_int_equal(rc_rawnode_advance(f.rn), RC_ERR_STATE);
    assert_string_equal(f.rn->err_text, "Advance must not be called when using AsyncStorageWrites");
    assert_false(f.rn->raft->failed);
    fx_free(&f);
}

static void test_step_checks(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f, 3, false);
    rc_message m = {.type = RC_MSG_HUP, .from = 2};
    assert_int_equal(rc_rawnode_step(f.rn, &m), RC_ERR_STEP_LOCAL_MSG);
    assert_string_equal(f.rn->err_text, "raft: cannot step raft local message");
    rc_message r = {.type = RC_MSG_APP_RESP, .from = 7, .to = 1, .term = 1};
    assert_int_equal(rc_rawnode_step(f.rn, &r), RC_ERR_STEP_PEER_NOT_FOUND);
    assert_string_equal(f.rn->err_text, "raft: cannot step as peer not found");
    /* Proposals without a leader are dropped. */
    assert_int_equal(rc_rawnode_propose(f.rn, (const uint8_t *)"x", 1), RC_ERR_PROPOSAL_DROPPED);
    assert_string_equal(f.rn->err_text, "raft proposal dropped");
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bootstrap_single_node),
        cmocka_unit_test(test_restart_from_snapshot),
        cmocka_unit_test(test_ready_twice_and_advance_order),
        cmocka_unit_test(test_must_sync),
        cmocka_unit_test(test_async_storage_writes),
        cmocka_unit_test(test_step_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
