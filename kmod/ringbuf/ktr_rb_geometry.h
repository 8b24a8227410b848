/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ktr_rb_geometry.h - the one rule for a ring buffer's geometry and mode.
 *
 * A pure function of its arguments, in a header so that the module
 * (ktr_rb_check_geometry() in ktr_rb.c, for every kernel interface that
 * takes a geometry) and the user-space tools (libktr, which checks a
 * request before sending it and a capture file's header before reading
 * it) compile the very same rule. Licensed like the uapi headers, so the
 * MIT tools may include it.
 */
#ifndef _KTR_RB_GEOMETRY_H
#define _KTR_RB_GEOMETRY_H

#include <linux/types.h>

#include "ktr.h"
#include "ktr_ringbuf.h"

/* What ktr_rb_geometry_check() found wrong first. */
enum ktr_rb_geometry_error {
	KTR_RB_GEO_OK = 0,
	KTR_RB_GEO_SUBBUF_SIZE,	/* not a power of two within its range, or below a page */
	KTR_RB_GEO_NR_SUBBUFS,	/* not a power of two within its range */
	KTR_RB_GEO_MODE,	/* neither discard nor overwrite */
	KTR_RB_GEO_TOO_BIG,	/* subbuf_size x (nr_subbufs + 1) > the bound */
};

static inline int ktr_rb_geometry_pow2_within(__u32 v, __u32 min, __u32 max)
{
	return v >= min && v <= max && (v & (v - 1)) == 0;
}

/**
 * ktr_rb_geometry_check() - check a geometry and mode
 * @subbuf_size: bytes per sub-buffer: a power of two within
 *	[KTR_SUBBUF_SIZE_MIN, KTR_SUBBUF_SIZE_MAX] (uapi/ktr.h), and at least
 *	@page_size (sub-buffers are mapped into user space whole).
 * @nr_subbufs: sub-buffers per CPU: a power of two within
 *	[KTR_NR_SUBBUFS_MIN, KTR_NR_SUBBUFS_MAX].
 * @mode: enum ktr_rb_mode.
 * @max_bytes_per_cpu: bound on @subbuf_size x (@nr_subbufs + 1), the
 *	memory of one CPU's ring with the reader's spare (the caller's
 *	policy: KTR_BUFFER_BYTES_PER_CPU_MAX for the trace buffer).
 * @page_size: the page size of the kernel the buffer lives in.
 *
 * Return: KTR_RB_GEO_OK, or what is wrong first.
 */
static inline enum ktr_rb_geometry_error
ktr_rb_geometry_check(__u32 subbuf_size, __u32 nr_subbufs, __u32 mode,
		      __u64 max_bytes_per_cpu, __u32 page_size)
{
	__u64 bytes = subbuf_size;	/* no cast: C++ includes this too */

	if (!ktr_rb_geometry_pow2_within(subbuf_size, KTR_SUBBUF_SIZE_MIN,
					 KTR_SUBBUF_SIZE_MAX) ||
	    subbuf_size < page_size)
		return KTR_RB_GEO_SUBBUF_SIZE;
	if (!ktr_rb_geometry_pow2_within(nr_subbufs, KTR_NR_SUBBUFS_MIN,
					 KTR_NR_SUBBUFS_MAX))
		return KTR_RB_GEO_NR_SUBBUFS;
	if (mode != KTR_RB_MODE_DISCARD && mode != KTR_RB_MODE_OVERWRITE)
		return KTR_RB_GEO_MODE;
	bytes *= nr_subbufs + 1ULL;
	if (bytes > max_bytes_per_cpu)
		return KTR_RB_GEO_TOO_BIG;
	return KTR_RB_GEO_OK;
}

#endif /* _KTR_RB_GEOMETRY_H */
