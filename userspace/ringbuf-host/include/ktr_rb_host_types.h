/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_host_types.h - the kernel's short integer types for the host build
 * of the ring buffer API (kmod/ringbuf/ktr_rb.h). C and C++.
 */
#ifndef KTR_RB_HOST_TYPES_H
#define KTR_RB_HOST_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#endif /* KTR_RB_HOST_TYPES_H */
