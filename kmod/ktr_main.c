// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_main.c - module entry points of ktr, a tracer loadable as a module.
 *
 * Load order: validate parameters, then the trace buffer, then the event
 * registry (tracepoints found by name), then the character device, then
 * the generic netlink family (last, so that user space which finds the
 * family can rely on everything else being there). Unload runs the reverse
 * order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "ktr.h"
#include "ktr_internal.h"
#include "probes/ktr_events.h"

static uint subbuf_size = 64 * 1024;
module_param(subbuf_size, uint, 0444);
MODULE_PARM_DESC(subbuf_size,
		 "Default sub-buffer size in bytes (power of two, 4 KiB..4 MiB)");

static uint nr_subbufs = 8;
module_param(nr_subbufs, uint, 0444);
MODULE_PARM_DESC(nr_subbufs,
		 "Default number of sub-buffers per CPU (power of two, 2..4096)");

static char *mode = "discard";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode,
		 "Trace buffer mode: discard (drop new events when full) or overwrite (flight recorder)");

struct ktr_geometry ktr_default_geometry;

/**
 * ktr_capable - may the current task control ktr or read its buffers?
 *
 * A tracer sees the whole kernel: CAP_PERFMON (or CAP_SYS_ADMIN, which
 * perfmon_capable() also accepts) in the initial user namespace.
 */
bool ktr_capable(void)
{
	return perfmon_capable();
}

static int ktr_check_geometry(void)
{
	if (!is_power_of_2(subbuf_size) || subbuf_size < KTR_SUBBUF_SIZE_MIN ||
	    subbuf_size > KTR_SUBBUF_SIZE_MAX) {
		pr_err("subbuf_size=%u: must be a power of two in [%u, %u]\n",
		       subbuf_size, KTR_SUBBUF_SIZE_MIN, KTR_SUBBUF_SIZE_MAX);
		return -EINVAL;
	}
	if (!is_power_of_2(nr_subbufs) || nr_subbufs < KTR_NR_SUBBUFS_MIN ||
	    nr_subbufs > KTR_NR_SUBBUFS_MAX) {
		pr_err("nr_subbufs=%u: must be a power of two in [%u, %u]\n",
		       nr_subbufs, KTR_NR_SUBBUFS_MIN, KTR_NR_SUBBUFS_MAX);
		return -EINVAL;
	}
	if (mode && !strcmp(mode, "discard")) {
		ktr_default_geometry.mode = KTR_RB_MODE_DISCARD;
	} else if (mode && !strcmp(mode, "overwrite")) {
		ktr_default_geometry.mode = KTR_RB_MODE_OVERWRITE;
	} else {
		pr_err("mode=%s: must be discard or overwrite\n",
		       mode ? mode : "");
		return -EINVAL;
	}
	ktr_default_geometry.subbuf_size = subbuf_size;
	ktr_default_geometry.nr_subbufs = nr_subbufs;
	return 0;
}

static int __init ktr_init(void)
{
	int ret;

	ret = ktr_check_geometry();
	if (ret)
		return ret;

	ret = ktr_trace_init(&ktr_default_geometry);
	if (ret)
		return ret;

	ret = ktr_events_init();
	if (ret)
		goto err_trace;

	ret = ktr_dev_init();
	if (ret)
		goto err_events;

	ret = ktr_genl_init();
	if (ret)
		goto err_dev;

	ret = ktr_bench_start();
	if (ret)
		goto err_genl;

	pr_info("version %s loaded (ABI %u.%u, %u x %u bytes per CPU, %s mode)\n",
		KTR_MODULE_VERSION, KTR_ABI_MAJOR, KTR_ABI_MINOR,
		nr_subbufs, subbuf_size, mode);
	return 0;

err_genl:
	ktr_genl_exit();
err_dev:
	ktr_dev_exit();
err_events:
	ktr_events_exit();
err_trace:
	ktr_trace_exit();
	return ret;
}

static void __exit ktr_exit(void)
{
	ktr_bench_stop();
	ktr_genl_exit();
	ktr_dev_exit();
	ktr_events_exit();
	ktr_trace_exit();
	pr_info("unloaded\n");
}

module_init(ktr_init);
module_exit(ktr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ktr developers");
MODULE_DESCRIPTION("ktr: a tracer with its own lockless per-CPU ring buffer");
MODULE_VERSION(KTR_MODULE_VERSION);
