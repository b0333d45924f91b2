/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftc_memfs.c: in-memory file systems for tests (raftc_testing_control's RAFTC_TESTING_MEMFS
 * operations). Once switched on, a disk storage path "memfs:<machine>/<dir>" opens <dir> on
 * the in-memory file layer (storage/memvfs.h) of machine <machine> (a decimal number; created
 * on first use), whose power can then be cut. Off by default: such a path is then an ordinary
 * relative path. Process-wide, guarded by a mutex; only tests ever switch it on.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "capi_internal.h"
#include "alloc.h"
#include "memvfs.h"

#define MEMFS_PREFIX "memfs:"

typedef struct machine {
    uint64_t id;
    uint64_t cuts;
    ds_memvfs *fs;
} machine;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static bool enabled;
static machine *machines;
static size_t n_machines, cap_machines;

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static machine *find(uint64_t id)
{
    for (size_t i = 0; i < n_machines; i++)
        if (machines[i].id == id)
            return &machines[i];
    return NULL;
}

static void free_all(void)
{
    for (size_t i = 0; i < n_machines; i++)
        ds_memvfs_free(machines[i].fs);
    rc_free(machines);
    machines = NULL;
    n_machines = cap_machines = 0;
}

int capi_memfs_resolve(const char *path, ds_vfs *vfs, const char **dir)
{
    if (strncmp(path, MEMFS_PREFIX, strlen(MEMFS_PREFIX)) != 0)
        return 0;
    pthread_mutex_lock(&mu);
    int rc = 0;
    if (enabled) {
        const char *p = path + strlen(MEMFS_PREFIX);
        char *end = NULL;
        uint64_t id = strtoull(p, &end, 10);
        if (end == p || *end != '/') {
            rc = RAFTC_EINVAL;
        } else {
            machine *m = find(id);
            if (m == NULL &&
                (rc = rc_grow((void **)&machines, &cap_machines, n_machines + 1,
                              sizeof(machine))) == RC_OK) {
                m = &machines[n_machines];
                *m = (machine){id, 0, NULL};
                if ((rc = ds_memvfs_new(&m->fs, mix(id))) == RC_OK)
                    n_machines++;
                else
                    m = NULL;
            }
            if (m != NULL) {
                *vfs = ds_memvfs_vfs(m->fs);
                *dir = end;
                rc = 1;
            }
        }
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

int capi_memfs_control(raftc_testing_op op, uint64_t value)
{
    pthread_mutex_lock(&mu);
    int rc = RAFTC_OK;
    if (op == RAFTC_TESTING_MEMFS) {
        if (value > 1)
            rc = RAFTC_EINVAL;
        else if (value == 0)
            free_all();
        enabled = rc == RAFTC_OK ? value == 1 : enabled;
    } else {
        machine *m = enabled ? find(value) : NULL;
        if (m == NULL)
            rc = RAFTC_ENOTFOUND;
        else
            ds_memvfs_power_cut(m->fs, mix(m->id ^ mix(++m->cuts)));
    }
    pthread_mutex_unlock(&mu);
    return rc;
}
