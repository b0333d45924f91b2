/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * host_map.c: the host's group table, u64 -> pointer, open addressing with linear probing and
 * backward-shift deletion (no tombstones), kept at most 3/4 full. 16 B per slot.
 */
#include "host.h"

#include "alloc.h"

static size_t map_hash(uint64_t k, size_t mask)
{
    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    k ^= k >> 33;
    return (size_t)k & mask;
}

void *rc_host_map_get(const rc_host_map *m, uint64_t key)
{
    if (m->cap == 0 || key == 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = map_hash(key, mask);; i = (i + 1) & mask) {
        if (m->slots[i].key == key)
            return m->slots[i].value;
        if (m->slots[i].key == 0)
            return NULL;
    }
}

static void map_insert(rc_host_slot *slots, size_t cap, uint64_t key, void *value)
{
    size_t mask = cap - 1;
    size_t i = map_hash(key, mask);
    while (slots[i].key != 0 && slots[i].key != key)
        i = (i + 1) & mask;
    slots[i].key = key;
    slots[i].value = value;
}

static int map_grow(rc_host_map *m)
{
    size_t cap = m->cap == 0 ? 16 : m->cap * 2;
    if (cap > SIZE_MAX / sizeof(rc_host_slot))
        return RC_ERR_NOMEM;
    rc_host_slot *slots = rc_calloc(cap, sizeof(*slots));
    if (slots == NULL)
        return RC_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key != 0)
            map_insert(slots, cap, m->slots[i].key, m->slots[i].value);
    rc_free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return RC_OK;
}

int rc_host_map_put(rc_host_map *m, uint64_t key, void *value)
{
    if (key == 0 || value == NULL)
        return RC_ERR_INVALID;
    if (rc_host_map_get(m, key) == NULL && (m->n + 1) * 4 > m->cap * 3) {
        int rc = map_grow(m);
        if (rc != RC_OK)
            return rc;
    }
    if (rc_host_map_get(m, key) == NULL)
        m->n++;
    map_insert(m->slots, m->cap, key, value);
    return RC_OK;
}

void *rc_host_map_delete(rc_host_map *m, uint64_t key)
{
    if (m->cap == 0 || key == 0)
        return NULL;
    size_t mask = m->cap - 1;
    size_t i = map_hash(key, mask);
    while (m->slots[i].key != key) {
        if (m->slots[i].key == 0)
            return NULL;
        i = (i + 1) & mask;
    }
    void *value = m->slots[i].value;
    /* Backward shift: move later members of the probe run into the hole when their home slot
     * does not lie cyclically in (hole, j]. */
    size_t hole = i;
    for (size_t j = (i + 1) & mask; m->slots[j].key != 0; j = (j + 1) & mask) {
        size_t home = map_hash(m->slots[j].key, mask);
        bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole].key = 0;
    m->slots[hole].value = NULL;
    m->n--;
    return value;
}

void rc_host_map_free(rc_host_map *m)
{
    rc_free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
