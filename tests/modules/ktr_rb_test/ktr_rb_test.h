/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_test.h - the parts of ktr_rb_test.ko, for its module entry points
 * (ktr_rb_test_main.c).
 */
#ifndef _KTR_RB_TEST_H
#define _KTR_RB_TEST_H

#include "ringbuf/ktr_rb_selftest.h"

/* ktr_rb_selftest.c: the run function of the registered self-test. */
int ktr_rb_test_selftest(const struct ktr_selftest_cfg *cfg,
			 struct ktr_selftest_result *res);

/* ktr_rb_bench.c: the benchmark, started at load with bench=1. */
int ktr_rb_bench_start(void);
void ktr_rb_bench_stop(void);

#endif /* _KTR_RB_TEST_H */
