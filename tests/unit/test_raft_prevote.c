/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_raft_prevote.c: the PreVote pre-election (invariants 1 and 2): split votes, a rolling
 * migration to PreVote, no term bumps while pre-campaigning, a partitioned node rejoining
 * without disruption, and the up-to-date log rule on MsgPreVote. Deterministic (TSEED).
 */
#include "raft_test_util.h"

static void prevote(rc_config *c) { c->pre_vote = true; }

static void isolate(tnet *nw, uint64_t id, bool on)
{
    nw->drop_to[id] = on;
    nw->drop_from[id] = on;
}

/* Steps MsgHup on several nodes before delivering anything, so their campaigns overlap. */
static void hup_together(tnet *nw, const uint64_t *ids, size_t n)
{
    rc_msgs q = {0};
    for (size_t i = 0; i < n; i++) {
        rc_message h = tmsg(ids[i], ids[i], RC_MSG_HUP, 0);
        assert_int_equal(rc_raft_step(nw->nodes[ids[i]]->r, &h), RC_OK);
    }
    for (size_t i = 0; i < n; i++)
        tn_read(nw->nodes[ids[i]], &q);
    net_deliver(nw, &q);
}

static void test_prevote_split_vote(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, prevote);
    net_campaign(nw, 1);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_LEADER);
    isolate(nw, 1, true);
    static const uint64_t both[] = {2, 3};
    hup_together(nw, both, 2);
    rc_raft *n2 = nw->nodes[2]->r, *n3 = nw->nodes[3]->r;
    /* both won their pre-votes, then split the real vote at term 2 */
    assert_int_equal(n2->state, RC_STATE_CANDIDATE);
    assert_int_equal(n3->state, RC_STATE_CANDIDATE);
    assert_int_equal(n2->term, 2);
    assert_int_equal(n3->term, 2);
    assert_int_equal(n2->vote, 2);
    assert_int_equal(n3->vote, 3);
    /* node 2 times out first and wins */
    net_campaign(nw, 2);
    assert_int_equal(n2->state, RC_STATE_LEADER);
    assert_int_equal(n3->state, RC_STATE_FOLLOWER);
    assert_int_equal(n2->term, 3);
    assert_int_equal(n3->term, 3);
    net_free(nw);
}

/* etcd's newPreVoteMigrationCluster: 1 and 2 run PreVote, 3 does not yet and was partitioned
 * while campaigning (term 4, shorter log); then 3 enables PreVote and the network heals. */
static tnet *migration_cluster(void)
{
    tnet *nw = net_new(3, 10, 1);
    for (size_t i = 1; i <= 3; i++)
        rc_raft_become_follower(nw->nodes[i]->r, 1, RC_NONE);
    nw->nodes[1]->r->pre_vote = true;
    nw->nodes[2]->r->pre_vote = true;
    net_campaign(nw, 1);
    isolate(nw, 3, true);
    net_propose(nw, 1, "some data");
    net_campaign(nw, 3);
    net_campaign(nw, 3);
    assert_int_equal(nw->nodes[1]->r->state, RC_STATE_LEADER);
    assert_int_equal(nw->nodes[2]->r->state, RC_STATE_FOLLOWER);
    assert_int_equal(nw->nodes[3]->r->state, RC_STATE_CANDIDATE);
    assert_int_equal(nw->nodes[1]->r->term, 2);
    assert_int_equal(nw->nodes[2]->r->term, 2);
    assert_int_equal(nw->nodes[3]->r->term, 4);
    nw->nodes[3]->r->pre_vote = true;
    isolate(nw, 3, false);
    return nw;
}

static void test_prevote_migration_completes_election(void **s)
{
    (void)s;
    tnet *nw = migration_cluster();
    rc_raft *n2 = nw->nodes[2]->r, *n3 = nw->nodes[3]->r;
    isolate(nw, 1, true);
    net_campaign(nw, 3);
    net_campaign(nw, 2);
    /* 3's pre-vote is refused on log grounds; 2's lower-term pre-vote is refused by 3 with
     * term 4, which 2 adopts */
    assert_int_equal(n2->state, RC_STATE_FOLLOWER);
    assert_int_equal(n2->term, 4);
    assert_int_equal(n3->state, RC_STATE_PRE_CANDIDATE);
    assert_int_equal(n3->term, 4);
    net_campaign(nw, 3);
    net_campaign(nw, 2);
    assert_int_equal(n2->state, RC_STATE_LEADER);
    assert_int_equal(n2->term, 5);
    assert_int_equal(n3->state, RC_STATE_FOLLOWER);
    net_free(nw);
}

static void test_prevote_migration_frees_stuck_precandidate(void **s)
{
    (void)s;
    tnet *nw = migration_cluster();
    rc_raft *n1 = nw->nodes[1]->r, *n3 = nw->nodes[3]->r;
    for (int i = 0; i < 2; i++) {
        net_campaign(nw, 3);
        assert_int_equal(n1->state, RC_STATE_LEADER);
        assert_int_equal(nw->nodes[2]->r->state, RC_STATE_FOLLOWER);
        assert_int_equal(n3->state, RC_STATE_PRE_CANDIDATE);
        assert_int_equal(n3->term, 4);
    }
    /* the leader's lower-term heartbeat is answered, which disrupts the leader */
    rc_msgs q = {0};
    rc_message hb = tmsg(1, 3, RC_MSG_HEARTBEAT, n1->term);
    rc_message c = hb;
    rc_msgs_push(&q, &c);
    net_deliver(nw, &q);
    assert_int_equal(n1->state, RC_STATE_FOLLOWER);
    assert_int_equal(n1->term, n3->term);
    net_free(nw);
}

/* A partitioned PreVote node keeps pre-campaigning without ever bumping its term; voters
 * answering pre-votes keep their term, vote and leader. */
static void test_prevote_no_term_bump(void **s)
{
    (void)s;
    tnet *nw = net_new_ex(3, 0, 10, 1, prevote);
    net_campaign(nw, 1);
    rc_raft *n3 = nw->nodes[3]->r;
    assert_int_equal(n3->vote, 1);
    isolate(nw, 3, true);
    rc_msgs seen = {0};
    int prevotes = 0;
    for (int i = 0; i < 100; i++) {
        assert_int_equal(rc_raft_tick(n3), RC_OK);
        tn_read(nw->nodes[3], &seen);
        for (size_t k = 0; k < seen.n; k++) {
            assert_int_equal(seen.v[k].type, RC_MSG_PRE_VOTE);
            assert_int_equal(seen.v[k].term, 2);
            assert_int_equal(seen.v[k].index, 1);
            assert_int_equal(seen.v[k].log_term, 1);
            prevotes++;
        }
        rc_msgs_clear(&seen);
    }
    rc_msgs_free(&seen);
    assert_true(prevotes >= 8); /* at least four pre-elections, two requests each */
    assert_int_equal(n3->term, 1);
    assert_int_equal(n3->vote, 1);
    assert_int_equal(n3->state, RC_STATE_PRE_CANDIDATE);

    /* a voter grants a pre-vote for term 2 (log up to date, no CheckQuorum) but stays put */
    rc_raft *n2 = nw->nodes[2]->r;
    rc_message pv = tmsg(3, 2, RC_MSG_PRE_VOTE, 2);
    pv.index = 1;
    pv.log_term = 1;
    assert_int_equal(rc_raft_step(n2, &pv), RC_OK);
    assert_int_equal(n2->term, 1);
    assert_int_equal(n2->vote, 1);
    assert_int_equal(n2->lead, 1);
    assert_int_equal(n2->state, RC_STATE_FOLLOWER);
    assert_int_equal(n2->msgs_after_append.n, 1);
    assert_int_equal(n2->msgs_after_append.v[0].type, RC_MSG_PRE_VOTE_RESP);
    assert_false(n2->msgs_after_append.v[0].reject);
    assert_int_equal(n2->msgs_after_append.v[0].term, 2); /* the request's term */
    net_free(nw);
}

/* A partitioned node rejoins: with PreVote its stale log gets its pre-votes refused and the
 * leader is undisturbed; without PreVote the same scenario deposes the leader. */
static void rejoin(bool with_prevote)
{
    tlog_reset();
    tnet *nw = net_new_ex(3, 0, 10, 1, with_prevote ? prevote : NULL);
    net_campaign(nw, 1);
    rc_raft *n1 = nw->nodes[1]->r, *n3 = nw->nodes[3]->r;
    isolate(nw, 3, true);
    net_propose(nw, 1, "a");
    net_propose(nw, 1, "b");
    net_tick(nw, 3, 40);
    isolate(nw, 3, false);
    net_campaign(nw, 3);
    if (!with_prevote) {
        assert_int_equal(n1->state, RC_STATE_FOLLOWER);
        assert_true(n1->term > 1);
        net_free(nw);
        return;
    }
    assert_true(tlog_has("INFO 1 [logterm: 1, index: 3, vote: 1] rejected MsgPreVote from 3 [logterm: 1, index: 1] at term 1"));
    assert_int_equal(n1->state, RC_STATE_LEADER);
    assert_int_equal(n1->term, 1);
    assert_int_equal(n3->term, 1);
    assert_int_equal(n3->state, RC_STATE_FOLLOWER); /* lost the pre-election */
    net_tick(nw, 1, 1);
    assert_int_equal(n3->lead, 1);
    assert_int_equal(rc_log_last_index(&n3->raft_log), 3);
    assert_int_equal(n3->raft_log.committed, 3);
    net_free(nw);
}

static void test_prevote_partitioned_rejoin(void **s)
{
    (void)s;
    rejoin(true);
    rejoin(false);
}

/* The up-to-date rule on MsgPreVote, and the terms carried by the responses. */
static void test_prevote_log_rule(void **s)
{
    (void)s;
    static const uint64_t P3[] = {1, 2, 3};
    static const uint64_t terms[] = {1, 1, 2};
    tnode *n = tn_new(1, P3, 3);
    tn_preload_terms(n, terms, 3);
    rc_hard_state hs = {2, 0, 0};
    rc_memstorage_set_hard_state(n->ms, &hs);
    rc_config c = tcfg(1, 10, 1);
    c.pre_vote = true;
    tn_start_cfg(n, c);
    rc_raft *r = n->r;
    static const struct {
        uint64_t term, index, log_term;
        bool reject;
        uint64_t resp_term;
    } tests[] = {
        {3, 3, 1, true, 2},  /* older last term */
        {3, 2, 2, true, 2},  /* same last term, shorter */
        {3, 3, 2, false, 3}, /* equal: granted with the request's term */
        {3, 1, 3, false, 3}, /* newer last term wins even when shorter */
        {4, 9, 2, false, 4}, /* longer */
        {1, 9, 9, true, 2},  /* lower term: refused with our term */
    };
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        rc_message pv = tmsg(2, 1, RC_MSG_PRE_VOTE, tests[i].term);
        pv.index = tests[i].index;
        pv.log_term = tests[i].log_term;
        assert_int_equal(rc_raft_step(r, &pv), RC_OK);
        rc_msgs ms = {0};
        take_msgs(r, &ms);
        assert_int_equal(ms.n, 1);
        assert_int_equal(ms.v[0].type, RC_MSG_PRE_VOTE_RESP);
        assert_int_equal(ms.v[0].to, 2);
        assert_int_equal(ms.v[0].reject, tests[i].reject);
        assert_int_equal(ms.v[0].term, tests[i].resp_term);
        rc_msgs_free(&ms);
        assert_int_equal(r->term, 2);
        assert_int_equal(r->vote, RC_NONE);
        assert_int_equal(r->state, RC_STATE_FOLLOWER);
    }
    /* a rejection from the future makes a pre-candidate follow that term */
    rc_message h = tmsg(1, 1, RC_MSG_HUP, 0);
    assert_int_equal(rc_raft_step(r, &h), RC_OK);
    assert_int_equal(r->state, RC_STATE_PRE_CANDIDATE);
    rc_message rej = tmsg(2, 1, RC_MSG_PRE_VOTE_RESP, 7);
    rej.reject = true;
    assert_int_equal(rc_raft_step(r, &rej), RC_OK);
    assert_int_equal(r->state, RC_STATE_FOLLOWER);
    assert_int_equal(r->term, 7);
    /* while a granted one from a higher term does not bump it */
    assert_int_equal(rc_raft_step(r, &h), RC_OK);
    rc_message ok = tmsg(3, 1, RC_MSG_PRE_VOTE_RESP, 8);
    assert_int_equal(rc_raft_step(r, &ok), RC_OK);
    assert_int_equal(r->term, 7);
    assert_int_equal(r->state, RC_STATE_PRE_CANDIDATE); /* self vote not persisted yet */
    tn_free(n);
}

int main(void)
{
    printf("seed %#llx\n", (unsigned long long)TSEED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prevote_split_vote),
        cmocka_unit_test(test_prevote_migration_completes_election),
        cmocka_unit_test(test_prevote_migration_frees_stuck_precandidate),
        cmocka_unit_test(test_prevote_no_term_bump),
        cmocka_unit_test(test_prevote_partitioned_rejoin),
        cmocka_unit_test(test_prevote_log_rule),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc_strbuf_free(&g_tlog.all);
    return rc;
}
