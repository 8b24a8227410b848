// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_test_tp.c - a module with a tracepoint of its own, for the raw
 * attach tests (tests/vm/events-raw.sh). Never part of ktr.ko.
 *
 * Writing N to /sys/module/ktr_test_tp/parameters/fire fires tracepoint
 * ktr_test_raw(N, ~N, KTR_TEST_MAGIC) once, from the writing task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/tracepoint.h>

#define KTR_TEST_MAGIC	0x6b74725f74657374UL	/* "ktr_test" */

/* A bare tracepoint (no ftrace event): what raw attach can reach. */
DECLARE_TRACE(ktr_test_raw,
	      TP_PROTO(unsigned long value, unsigned long inverted,
		       unsigned long magic),
	      TP_ARGS(value, inverted, magic));
DEFINE_TRACE(ktr_test_raw,
	     TP_PROTO(unsigned long value, unsigned long inverted,
		      unsigned long magic),
	     TP_ARGS(value, inverted, magic));

static int ktr_test_fire(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int ret = kstrtoul(val, 0, &v);

	if (ret)
		return ret;
	trace_ktr_test_raw(v, ~v, KTR_TEST_MAGIC);
	return 0;
}

static const struct kernel_param_ops ktr_test_fire_ops = {
	.set = ktr_test_fire,
};

module_param_cb(fire, &ktr_test_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "write N: fire ktr_test_raw(N, ~N, 0x6b74725f74657374)");

static int __init ktr_test_tp_init(void)
{
	return 0;
}

static void __exit ktr_test_tp_exit(void)
{
}

module_init(ktr_test_tp_init);
module_exit(ktr_test_tp_exit);
MODULE_DESCRIPTION("ktr test: a module tracepoint for raw attach");
MODULE_LICENSE("GPL");
