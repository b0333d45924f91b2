/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_args.c: directive argument helpers of the interaction handlers (HARNESS.md §3
 * conventions: ID, IDs).
 */
#include "interaction.h"

#include <stdlib.h>
#include <string.h>

int ia_node_at(ia_env *e, int64_t id, ia_node **out) {
    if (id < 1 || (uint64_t)id > e->n_nodes)
        return ia_fatal(e, "node %lld does not exist (have %zu nodes)", (long long)id, e->n_nodes);
    *out = e->nodes[id - 1];
    return IA_OK;
}

int ia_first_node(ia_env *e, const dd_directive *d, ia_node **out) {
    if (d->n_args == 0)
        return ia_fatal(e, "%s: expected a node ID as the first argument", d->cmd);
    int64_t id;
    char *err = ia_atoi(d->args[0].key, &id);
    if (err != NULL)
        return ia_fatal_take(e, err);
    return ia_node_at(e, id, out);
}

int ia_node_ids(ia_env *e, const dd_directive *d, int64_t **out, size_t *n) {
    int64_t *ids = su_xrealloc(NULL, (d->n_args + 1) * sizeof *ids);
    size_t k = 0;
    for (size_t i = 0; i < d->n_args; i++) {
        if (d->args[i].n_vals != 0)
            continue;
        char *err = ia_atoi(d->args[i].key, &ids[k]);
        if (err != NULL) {
            free(ids);
            return ia_fatal_take(e, err);
        }
        if (ids[k] < 1 || (uint64_t)ids[k] > e->n_nodes) {
            long long bad = (long long)ids[k];
            free(ids);
            return ia_fatal(e, "node %lld does not exist (have %zu nodes)", bad, e->n_nodes);
        }
        k++;
    }
    *out = ids;
    *n = k;
    return IA_OK;
}

int ia_node_pair(ia_env *e, const dd_directive *d, ia_node **first, uint64_t *second,
                 bool *found) {
    int64_t *ids;
    size_t k;
    int rc = ia_node_ids(e, d, &ids, &k);
    if (rc != IA_OK)
        return rc;
    *found = k == 2;
    if (*found) {
        *first = e->nodes[ids[0] - 1];
        *second = (uint64_t)ids[1];
    }
    free(ids);
    return IA_OK;
}
