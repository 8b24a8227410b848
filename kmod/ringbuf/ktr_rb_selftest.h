/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_selftest.h - the hook through which KTR_CMD_SELFTEST runs the ring
 * buffer's in-kernel self-test (ktr_rb_selftest_hook.c).
 *
 * The self-test itself is test code and is not part of ktr.ko: it lives in
 * tests/modules/ktr_rb_test/ (ktr_rb_test.ko, built against ktr.ko's
 * exported ring buffer API), which registers itself here when loaded.
 * Without it, KTR_CMD_SELFTEST (control/ktr_nl_selftest.c) answers
 * -EOPNOTSUPP. This header and ktr_rb.h (the ring buffer API the test
 * module calls) are the whole contract between the two modules.
 */
#ifndef _KTR_RB_SELFTEST_H
#define _KTR_RB_SELFTEST_H

#include <linux/types.h>

struct module;

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

/**
 * struct ktr_selftest_ops - a ring buffer self-test provided by a module
 * @owner: the module that provides @run (THIS_MODULE). ktr.ko holds a
 *	reference on it while @run runs, so it cannot be unloaded under a
 *	running self-test.
 * @run: run one self-test of @cfg (already validated against the geometry
 *	rule) and fill the result. Context: task, sleeps for about
 *	@cfg->duration_ms. Return: 0 when the test ran (the result's errors
 *	say whether it passed); -EBUSY when another self-test runs; -EINVAL
 *	for a geometry the ring buffer refuses; -ENOMEM.
 */
struct ktr_selftest_ops {
	struct module *owner;
	int (*run)(const struct ktr_selftest_cfg *cfg,
		   struct ktr_selftest_result *res);
};

int ktr_selftest_register(const struct ktr_selftest_ops *ops);
void ktr_selftest_unregister(const struct ktr_selftest_ops *ops);

/* For ktr.ko's control plane: run the registered self-test, if any. */
int ktr_selftest_run(const struct ktr_selftest_cfg *cfg,
		     struct ktr_selftest_result *res);

#endif /* _KTR_RB_SELFTEST_H */
