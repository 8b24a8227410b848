/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_funclat.h - per-function log2 latency histograms aggregated in the
 * kernel (ktr_funclat.c). The file descriptor that owns a set of them
 * (KTR_IOC_FUNCLAT_OPEN) lives in the control layer (control/ktr_funclat_fd.c).
 */
#ifndef _KTR_FUNCLAT_H
#define _KTR_FUNCLAT_H

#include <linux/types.h>

#include "ktr.h"

struct pid;
struct ktr_funclat;

/**
 * struct ktr_funclat_params - what to measure
 * @names: @nr_funcs NUL-terminated names ("NAME" or "MOD:NAME"), checked.
 * @nr_funcs: 1..KTR_FUNCLAT_FUNCS_MAX.
 * @tgid: count only the calls of this process (a thread group's pid), or
 *	NULL for all; ktr_funclat_create() takes its own reference.
 * @maxactive: kretprobe instances per function, 1..KTR_FUNCLAT_MAXACTIVE_MAX,
 *	or 0 for the default.
 * @unit_ns: 1..KTR_FUNCLAT_UNIT_NS_MAX: the buckets count d / @unit_ns.
 */
struct ktr_funclat_params {
	const char (*names)[KTR_FUNCLAT_NAME_SLOT];
	unsigned int nr_funcs;
	struct pid *tgid;
	unsigned int maxactive;
	u32 unit_ns;
};

struct ktr_funclat *ktr_funclat_create(const struct ktr_funclat_params *p,
				       u32 *failed);
unsigned int ktr_funclat_nr_funcs(const struct ktr_funclat *fl);
void ktr_funclat_read(struct ktr_funclat *fl, unsigned int i,
		      struct ktr_funclat_stat *st);
void ktr_funclat_destroy(struct ktr_funclat *fl);

#endif /* _KTR_FUNCLAT_H */
