// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_rb_test_main.c - entry points of ktr_rb_test.ko, the ring buffer's
 * test module. Never part of ktr.ko.
 *
 *   insmod ktr.ko; insmod ktr_rb_test.ko     `ktr selftest` works
 *   insmod ktr_rb_test.ko bench=1 ...        also one benchmark cycle
 *
 * Load: check the bench_* parameters and start the benchmark if bench=1
 * (ktr_rb_bench.c), then register the self-test (ktr_rb_selftest.c) with
 * ktr.ko. Unload: the reverse. While the module is loaded, ktr.ko cannot
 * be unloaded (this module uses its symbols); while a self-test runs, this
 * module cannot be (ktr.ko holds a reference on it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "ktr_rb_test.h"

static const struct ktr_selftest_ops ktr_rb_test_ops = {
	.owner = THIS_MODULE,
	.run = ktr_rb_test_selftest,
};

static int __init ktr_rb_test_init(void)
{
	int ret;

	ret = ktr_rb_bench_start();
	if (ret)
		return ret;
	ret = ktr_selftest_register(&ktr_rb_test_ops);
	if (ret) {
		pr_err("cannot register the self-test with ktr.ko (%d)\n", ret);
		ktr_rb_bench_stop();
		return ret;
	}
	return 0;
}

static void __exit ktr_rb_test_exit(void)
{
	ktr_selftest_unregister(&ktr_rb_test_ops);
	ktr_rb_bench_stop();
}

module_init(ktr_rb_test_init);
module_exit(ktr_rb_test_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ktr developers");
MODULE_DESCRIPTION("ktr ring buffer self-test and benchmark (test code, needs ktr.ko)");
