/*
 * Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
 *
 * crc32c.h: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every WAL
 * record and snapshot file. Uses the SSE4.2 crc32 instruction when the CPU has it, else
 * slicing-by-8 tables. ds_crc32c(0, "123456789", 9) == 0xE3069283.
 */
#ifndef DS_CRC32C_H
#define DS_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Extends crc (0 to start) over buf[0..len). Thread-safe. */
uint32_t ds_crc32c(uint32_t crc, const void *buf, size_t len);
/* The portable table path alone (tests check it against ds_crc32c and known vectors). */
uint32_t ds_crc32c_sw(uint32_t crc, const void *buf, size_t len);

#endif
