/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * interaction_args.c: directive argument helpers of the interaction handlers (HARNESS.md §3
 * conventions: ID, IDs) and the conf change text tokenizer of §3.5 (ConfChangesFromString).
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
    int64_t *ids = calloc(d->n_args + 1, sizeof *ids);
    size_t k = 0;
    if (ids == NULL)
        abort();
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

int ia_cc_parse(ia_env *e, const char *input, ia_cc **out, size_t *n) {
    size_t cap = 1, k = 0;
    for (const char *p = input; *p; p++)
        cap += *p == ' ';
    ia_cc *ccs = calloc(cap, sizeof *ccs);
    if (ccs == NULL)
        abort();
    *out = ccs;
    *n = 0;
    if (*input == '\0')
        return IA_OK; /* input is already trimmed by the reader */
    const char *p = input;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        char *tok = malloc(len + 1);
        if (tok == NULL)
            abort();
        memcpy(tok, p, len);
        tok[len] = '\0';
        if (len < 2) {
            ia_fail(e, "unknown token %s", tok);
            free(tok);
            return IA_ERR;
        }
        switch (tok[0]) {
        case 'v': ccs[k].type = RAFTC_CC_ADD_NODE; break;
        case 'l': ccs[k].type = RAFTC_CC_ADD_LEARNER_NODE; break;
        case 'r': ccs[k].type = RAFTC_CC_REMOVE_NODE; break;
        case 'u': ccs[k].type = RAFTC_CC_UPDATE_NODE; break;
        default:
            ia_fail(e, "unknown input: %s", tok);
            free(tok);
            return IA_ERR;
        }
        char *err = ia_parse_uint(tok + 1, &ccs[k].node_id);
        free(tok);
        if (err != NULL)
            return ia_fail_take(e, err);
        k++;
        *n = k;
        if (sp == NULL)
            break;
        p = sp + 1;
    }
    return IA_OK;
}
