/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_filter_host_compat.h - the host half of
 * kmod/probes/ktr_filter_prog_compat.h: the C library and the kernel's
 * short integer types, for ktr_filter_prog.c and its API
 * (ktr_filter_prog.h). C and C++ (C++ wraps ktr_filter_prog.h in
 * extern "C").
 */
#ifndef KTR_FILTER_HOST_COMPAT_H
#define KTR_FILTER_HOST_COMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#endif /* KTR_FILTER_HOST_COMPAT_H */
