// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer_function.c - the "function" tracer: an event at the entry of
 * kernel functions, through ftrace (register_ftrace_function()), with
 * ftrace's filter and notrace globs, recording the function and its
 * caller (shown as symbols by the tools).
 *
 * Options: filter (globs, comma- or space-separated, as ftrace's
 * set_ftrace_filter: "vfs_*", "*lock*", "mod:ext4"...), notrace (globs
 * never traced) and all (trace every function when no filter is given).
 * Without a filter init refuses unless all=1: every function means
 * millions of events per second and a kernel several times slower.
 *
 * Recursion: the callback takes ftrace's recursion lock
 * (ftrace_test_recursion_trylock(), 5.11 and later: the same on 6.1 and
 * 6.12), so a function it reaches itself (none should: this file, the
 * write path, the filters and the ring buffer are built without function
 * tracing) is not traced again; the ops do not ask ftrace for its
 * recursion-protecting trampoline (FTRACE_OPS_FL_RECURSION), which costs
 * more per call.
 *
 * Lifetime: start registers the ops, stop unregisters them, which returns
 * only once no callback runs any more (ftrace waits for its trampolines);
 * reset empties the filter hashes (freed at unload). All under the tracer
 * lock (ktr_tracer.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_recursion.h>
#include <net/netlink.h>

#include "ktr_compat.h"
#include "ktr_tracer.h"

/**
 * struct ktr_function_entry - an event of the function tracer
 * @common: the common header.
 * @ip: the traced function (its ftrace call site).
 * @parent_ip: where it was called from.
 */
struct ktr_function_entry {
	struct ktr_event_common common;
	u64 ip;
	u64 parent_ip;
};

#define M_FUNC struct ktr_function_entry
static const struct ktr_field_desc ktr_function_fields[] = {
	KTR_SYM(M_FUNC, ip),
	KTR_SYM(M_FUNC, parent_ip),
};

static struct ktr_tracer_event ktr_function_events[] = {
	{ .name = "function", .fields = ktr_function_fields,
	  .nr_fields = ARRAY_SIZE(ktr_function_fields) },
};

enum { KTR_FN_FILTER, KTR_FN_NOTRACE, KTR_FN_ALL };

static const struct ktr_tracer_option ktr_function_options[] = {
	[KTR_FN_FILTER] = {
		.name = "filter", .type = KTR_TRACER_OPT_STRING, .def = "",
		.description =
			"functions to trace: globs, comma- or space-separated (as set_ftrace_filter)",
	},
	[KTR_FN_NOTRACE] = {
		.name = "notrace", .type = KTR_TRACER_OPT_STRING, .def = "",
		.description = "functions never traced: globs, comma- or space-separated",
	},
	[KTR_FN_ALL] = {
		.name = "all", .type = KTR_TRACER_OPT_BOOL, .def = "0",
		.description =
			"with no filter, trace every function (millions of events/s, a slow kernel)",
	},
};

static void notrace ktr_function_call(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *op,
				      struct ftrace_regs *fregs)
{
	struct ktr_function_entry *e;
	struct ktr_tracer_rec rec;
	int bit;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	e = ktr_tracer_reserve(&rec, &ktr_function_events[0], sizeof(*e));
	if (e) {
		e->ip = ip;
		e->parent_ip = parent_ip;
		ktr_tracer_commit(&rec);
	}
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops ktr_function_ops = {
	.func = ktr_function_call,
};

/*
 * Give each glob of @list (comma- or space-separated) to ftrace_set_filter
 * (or, @skip, ftrace_set_notrace). Return: 0, or -EINVAL with
 * the glob that matched no traceable function.
 */
static int ktr_function_globs(const char *list, bool skip,
			      struct netlink_ext_ack *extack)
{
	char *copy = kstrdup(list, GFP_KERNEL), *rest, *glob;
	bool first = true;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	rest = copy;
	while ((glob = strsep(&rest, ", \t"))) {
		if (!*glob)
			continue;
		ret = skip ?
			ftrace_set_notrace(&ktr_function_ops, glob, strlen(glob), first) :
			ftrace_set_filter(&ktr_function_ops, glob, strlen(glob), first);
		if (ret) {
			if (skip)
				KTR_ERR_MSG_FMT(extack,
						"function: a notrace glob matches no traceable function",
						"function: notrace '%s' matches no traceable function (see available_filter_functions)",
						glob);
			else
				KTR_ERR_MSG_FMT(extack,
						"function: a filter glob matches no traceable function",
						"function: filter '%s' matches no traceable function (see available_filter_functions)",
						glob);
			break;
		}
		first = false;
	}
	kfree(copy);
	return ret;
}

/*
 * Empty filter and notrace hashes again. Not ftrace_free_filter(): on 6.1
 * it frees the hashes but leaves the ops pointing at them, for ops about to
 * be freed; these ops are used again.
 */
static void ktr_function_clear_globs(void)
{
	ftrace_set_filter(&ktr_function_ops, NULL, 0, 1);
	ftrace_set_notrace(&ktr_function_ops, NULL, 0, 1);
}

static bool ktr_function_has_glob(const char *list)
{
	return list[strspn(list, ", \t")] != '\0';
}

static int ktr_function_init(const union ktr_tracer_value *vals,
			     struct netlink_ext_ack *extack)
{
	const char *filter = vals[KTR_FN_FILTER].s;
	const char *skip = vals[KTR_FN_NOTRACE].s;
	int ret;

	if (!ktr_function_has_glob(filter) && !vals[KTR_FN_ALL].b) {
		NL_SET_ERR_MSG_MOD(extack,
				   "function: no filter: tracing every kernel function records millions of events per second and slows the whole kernel several times; give filter=GLOB (ktr record -p function -l GLOB), or all=1 to accept that cost");
		return -EINVAL;
	}
	ret = ktr_function_globs(filter, false, extack);
	if (!ret)
		ret = ktr_function_globs(skip, true, extack);
	if (ret)
		ktr_function_clear_globs();
	return ret;
}

static void ktr_function_reset(void)
{
	ktr_function_clear_globs();
}

/* Unload: the hashes go with the ops (never registered again). */
void ktr_function_tracer_exit(void)
{
	ftrace_free_filter(&ktr_function_ops);
}

static int ktr_function_start(void)
{
	return register_ftrace_function(&ktr_function_ops);
}

static void ktr_function_stop(void)
{
	unregister_ftrace_function(&ktr_function_ops);
}

struct ktr_tracer ktr_function_tracer = {
	.name = "function",
	.description = "kernel function entries through ftrace, with filter and notrace globs",
	.owner = THIS_MODULE,
	.options = ktr_function_options,
	.nr_options = ARRAY_SIZE(ktr_function_options),
	.events = ktr_function_events,
	.nr_events = ARRAY_SIZE(ktr_function_events),
	.init = ktr_function_init,
	.reset = ktr_function_reset,
	.start = ktr_function_start,
	.stop = ktr_function_stop,
};
