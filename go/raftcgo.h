/* Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * raftcgo.h: C helpers of the Go binding (raftcgo_shim.c). Go values never cross into C: the
 * storage and logger callbacks receive a cgo.Handle (an integer) as their ud. */
#ifndef RAFTCGO_H
#define RAFTCGO_H

#include <stdint.h>
#include "raftc.h"

/* Installs the Go storage callbacks with handle h as ud. Returns raftc's code. */
int raftcgo_config_set_go_storage(raftc_config *cfg, uintptr_t h);
/* Installs the Go logger callback with handle h as ud. Returns raftc's code. */
int raftcgo_config_set_go_logger(raftc_config *cfg, uintptr_t h);

#endif
