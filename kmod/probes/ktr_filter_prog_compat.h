/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_filter_prog_compat.h - what the filter core needs from its
 * environment.
 *
 * ktr_filter_prog.c compiles unchanged into ktr.ko and into a host static
 * library (userspace/filter-host). It needs only fixed-width integers,
 * bool, size_t and memcpy(), memset(), memcmp(), strlen(), strnlen():
 * in the kernel, its own headers; on the host, the C library and the
 * kernel's short type names over <stdint.h>
 * (userspace/filter-host/include/ktr_filter_host_compat.h). It allocates
 * nothing (its callers own every buffer), takes no lock, never sleeps.
 */
#ifndef _KTR_FILTER_PROG_COMPAT_H
#define _KTR_FILTER_PROG_COMPAT_H

#ifdef __KERNEL__

#include <linux/string.h>
#include <linux/types.h>

#else /* !__KERNEL__ */

#include "ktr_filter_host_compat.h"

#endif /* __KERNEL__ */

#endif /* _KTR_FILTER_PROG_COMPAT_H */
