/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_selftest.h - the in-kernel self-test and stress of the ring buffer
 * (ktr_rb_selftest.c), run by KTR_CMD_SELFTEST (control/ktr_nl_selftest.c).
 */
#ifndef _KTR_RB_SELFTEST_H
#define _KTR_RB_SELFTEST_H

#include <linux/types.h>

/**
 * struct ktr_selftest_cfg - what to test
 * @mode: enum ktr_rb_mode.
 * @subbuf_size: bytes per sub-buffer (validated by ktr_rb_create()).
 * @nr_subbufs: sub-buffers per CPU.
 * @duration_ms: how long the writers run.
 */
struct ktr_selftest_cfg {
	u32 mode;
	u32 subbuf_size;
	u32 nr_subbufs;
	u32 duration_ms;
};

#define KTR_SELFTEST_ERROR_LEN	160

/**
 * struct ktr_selftest_result - counters of one run, summed over the CPUs
 *
 * See KTR_CMD_SELFTEST in uapi/ktr.h for the meaning of each field.
 */
struct ktr_selftest_result {
	u32 cpus;
	u32 elapsed_ms;
	u64 written;
	u64 read;
	u64 bytes;
	u64 lost_full;
	u64 lost_overwritten;
	u64 lost_nesting;
	u64 lost_disabled;
	u64 lost_reported;
	u64 buffered;
	u64 subbufs_read;
	u64 subbufs_overwritten;
	u64 hardirq_written;
	u64 nested;
	u64 flushes;
	u64 long_events;
	u64 time_records;
	u64 errors;
	char error[KTR_SELFTEST_ERROR_LEN];
};

int ktr_selftest_run(const struct ktr_selftest_cfg *cfg,
		     struct ktr_selftest_result *res);

/* The benchmark (ktr_rb_bench.c), started at load with bench=1. */
int ktr_bench_start(void);
void ktr_bench_stop(void);

#endif /* _KTR_RB_SELFTEST_H */
