// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_main.c - module entry points of ktr, a tracer loadable as a module.
 *
 * The one place that knows the order of the layers. Load, bottom up:
 *  1. check the parameters (the ring buffer's geometry rule);
 *  2. the trace session and its buffer (tracer/), which gives the probes
 *     their buffer;
 *  3. the event registry (tracepoints found by name), the filters, raw
 *     attach, dynamic probes (probes/), then the tracer registry with
 *     nop and function current (tracer/: its tracers' events join the
 *     event registry): the last steps that can fail before the
 *     interfaces;
 *  4. the interfaces (control/): the generic netlink family, then
 *     /dev/ktr, last, so that no socket or file can reach a half-built or
 *     freed module: each is registered only when everything below it
 *     works, and only the registration of the other can fail after it.
 * Unload runs the reverse order: the interfaces go first, so nothing new
 * comes in while the layers below are torn down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "ktr.h"
#include "control/ktr_control.h"
#include "probes/ktr_events.h"
#include "probes/ktr_filter.h"
#include "probes/ktr_kprobe.h"
#include "probes/ktr_raw.h"
#include "ringbuf/ktr_rb.h"
#include "tracer/ktr_trace.h"
#include "tracer/ktr_tracer.h"

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

static int __init ktr_check_params(struct ktr_geometry *geo)
{
	if (mode && !strcmp(mode, "discard")) {
		geo->mode = KTR_RB_MODE_DISCARD;
	} else if (mode && !strcmp(mode, "overwrite")) {
		geo->mode = KTR_RB_MODE_OVERWRITE;
	} else {
		pr_err("mode=%s: must be discard or overwrite\n",
		       mode ? mode : "");
		return -EINVAL;
	}
	geo->subbuf_size = subbuf_size;
	geo->nr_subbufs = nr_subbufs;
	switch (ktr_rb_check_geometry(subbuf_size, nr_subbufs, geo->mode,
				      KTR_BUFFER_BYTES_PER_CPU_MAX)) {
	case KTR_RB_GEO_OK:
		return 0;
	case KTR_RB_GEO_SUBBUF_SIZE:
		pr_err("subbuf_size=%u: must be a power of two in [%u, %u], at least a page (%lu)\n",
		       subbuf_size, KTR_SUBBUF_SIZE_MIN, KTR_SUBBUF_SIZE_MAX,
		       PAGE_SIZE);
		break;
	case KTR_RB_GEO_NR_SUBBUFS:
		pr_err("nr_subbufs=%u: must be a power of two in [%u, %u]\n",
		       nr_subbufs, KTR_NR_SUBBUFS_MIN, KTR_NR_SUBBUFS_MAX);
		break;
	default:
		pr_err("subbuf_size x (nr_subbufs + 1) exceeds %u MiB per CPU\n",
		       KTR_BUFFER_BYTES_PER_CPU_MAX >> 20);
		break;
	}
	return -EINVAL;
}

static int __init ktr_init(void)
{
	struct ktr_geometry geo;
	int ret;

	ret = ktr_check_params(&geo);
	if (ret)
		return ret;

	ret = ktr_trace_init(&geo);
	if (ret)
		return ret;

	ktr_events_init();
	ktr_filter_init();
	ret = ktr_raw_init();
	if (ret)
		goto err_probes;
	ret = ktr_kprobes_init();
	if (ret)
		goto err_raw;
	ret = ktr_tracers_init();
	if (ret)
		goto err_kprobes;

	ret = ktr_nl_init();
	if (ret)
		goto err_tracers;
	ret = ktr_dev_init();
	if (ret)
		goto err_nl;

	pr_info("version %s loaded (ABI %u.%u, %u x %u bytes per CPU, %s mode)\n",
		KTR_MODULE_VERSION, KTR_ABI_MAJOR, KTR_ABI_MINOR,
		nr_subbufs, subbuf_size, mode);
	return 0;

err_nl:
	ktr_nl_exit();
err_tracers:
	ktr_tracers_exit();
err_kprobes:
	ktr_kprobes_exit();
err_raw:
	ktr_raw_exit();
err_probes:
	ktr_events_exit();
	ktr_filter_exit();
	ktr_trace_exit();
	return ret;
}

static void __exit ktr_exit(void)
{
	ktr_dev_exit();
	ktr_nl_exit();
	ktr_tracers_exit();
	ktr_kprobes_exit();
	ktr_raw_exit();
	ktr_events_exit();
	ktr_filter_exit();
	ktr_trace_exit();
	pr_info("unloaded\n");
}

module_init(ktr_init);
module_exit(ktr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ktr developers");
MODULE_DESCRIPTION("ktr: a tracer with its own lockless per-CPU ring buffer");
MODULE_VERSION(KTR_MODULE_VERSION);
