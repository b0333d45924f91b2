/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * test_memfs.c: raftc_testing_control's in-memory file systems (RAFTC_TESTING_MEMFS,
 * RAFTC_TESTING_MEMFS_POWER_CUT) through raftc.h: argument errors, a storage on a machine,
 * a power cut that fails it and drops what was not fsynced, recovery of what was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "raftc.h"

static uint64_t last_index(raftc_diskstorage *ds)
{
    raftc_memstorage *ms = NULL;
    uint64_t last = 0;
    assert_int_equal(raftc_diskstorage_memstorage(&ms, ds), RAFTC_OK);
    assert_int_equal(raftc_memstorage_last_index(&last, ms), RAFTC_OK);
    return last;
}

static void append(raftc_diskstorage *ds, raftc_sink *s, uint64_t index)
{
    const uint8_t *p;
    size_t n;
    raftc_sink_reset(s);
    assert_int_equal(raftc_entry_encode(s, 1, index, RAFTC_ENTRY_NORMAL,
                                        (const uint8_t *)"x", 1), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_append(ds, &p, &n, 1), RAFTC_OK);
}

static void test_memfs(void **state)
{
    (void)state;
    char err[256];
    raftc_diskstorage_options each = {sizeof(each), 4096, RAFTC_SYNC_EACH, 0};
    raftc_diskstorage_options none = {sizeof(none), 4096, RAFTC_SYNC_NONE, 0};
    raftc_diskstorage *ds = NULL;
    raftc_sink *s = NULL;
    assert_int_equal(raftc_sink_new(&s), RAFTC_OK);
    /* argument errors; off, nothing to cut */
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 2), RAFTC_EINVAL);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 1),
                     RAFTC_ENOTFOUND);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_SET_RANDOMIZED_ELECTION_TIMEOUT,
                                           5), RAFTC_EINVAL);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 1), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), "memfs:x/db", &each),
                     RAFTC_EINVAL);
    assert_null(ds);
    assert_non_null(strstr(err, "memfs:x/db"));
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 42),
                     RAFTC_ENOTFOUND);
    /* fsynced entries survive a power cut */
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), "memfs:42/db", &each),
                     RAFTC_OK);
    for (uint64_t i = 1; i <= 20; i++)
        append(ds, s, i);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 42), RAFTC_OK);
    raftc_diskstorage_free(ds);
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), "memfs:42/db", &none),
                     RAFTC_OK);
    assert_int_equal(last_index(ds), 20);
    /* unsynced ones are gone after the next cut, and the storage open on it fails */
    for (uint64_t i = 21; i <= 400; i++)
        append(ds, s, i);
    assert_int_equal(last_index(ds), 400);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 42), RAFTC_OK);
    const uint8_t *p;
    size_t n;
    raftc_sink_reset(s);
    assert_int_equal(raftc_entry_encode(s, 1, 401, RAFTC_ENTRY_NORMAL, NULL, 0), RAFTC_OK);
    assert_int_equal(raftc_sink_get(&p, &n, s, 0), RAFTC_OK);
    assert_int_equal(raftc_diskstorage_append(ds, &p, &n, 1), RAFTC_EIO); /* handles died */
    uint64_t failed = 0;
    assert_int_equal(raftc_diskstorage_stat(&failed, ds, RAFTC_DS_FAILED), RAFTC_OK);
    assert_int_equal(failed, 1);
    raftc_diskstorage_free(ds);
    assert_int_equal(raftc_diskstorage_open(&ds, err, sizeof(err), "memfs:42/db", &each),
                     RAFTC_OK);
    uint64_t last = last_index(ds);
    assert_true(last >= 20 && last < 400);
    /* machines are separate */
    raftc_diskstorage *other = NULL;
    assert_int_equal(raftc_diskstorage_open(&other, err, sizeof(err), "memfs:43/db", &each),
                     RAFTC_OK);
    assert_int_equal(last_index(other), 0);
    raftc_diskstorage_free(other);
    raftc_diskstorage_free(ds);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS, 0), RAFTC_OK);
    assert_int_equal(raftc_testing_control(NULL, RAFTC_TESTING_MEMFS_POWER_CUT, 42),
                     RAFTC_ENOTFOUND);
    raftc_sink_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memfs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
