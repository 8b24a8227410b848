// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_events.c - the registry of event types: which exist, which this
 * kernel can record, which are enabled.
 *
 * Tracepoints are found by name at load (for_each_kernel_tracepoint(), so
 * nothing depends on unexported __tracepoint_* symbols); an event whose
 * tracepoint this kernel lacks is listed as unavailable, never a load
 * failure. A probe is registered only while its event is enabled: the
 * tracepoint's static key stays off, and costs a NOP, otherwise.
 *
 * Raw events (ktr_raw.c) follow the curated groups: attached at run time,
 * they come and go under ktr_events_lock.
 *
 * Rules: ktr_events_lock serializes enable/disable and the listing; after
 * any probe is unregistered, tracepoint_synchronize_unregister() waits for
 * probes still running, so a disabled event writes nothing afterwards and
 * unload cannot free the buffer under a probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/glob.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "ktr_events.h"
#include "ktr_filter.h"

DEFINE_MUTEX(ktr_events_lock);	/* see ktr_events.h */

/* Named as ftrace names its common fields. */
const struct ktr_field_desc ktr_common_fields[] = {
	{ .name = "common_id", .type = KTR_FIELD_INT, .size = 2,
	  .offset = offsetof(struct ktr_event_common, id) },
	{ .name = "common_flags", .type = KTR_FIELD_INT, .size = 2,
	  .offset = offsetof(struct ktr_event_common, flags) },
	{ .name = "common_pid", .type = KTR_FIELD_INT, .size = 4,
	  .offset = offsetof(struct ktr_event_common, pid), .is_signed = true },
};

const unsigned int ktr_nr_common_fields = ARRAY_SIZE(ktr_common_fields);

#define M_MARKER	struct ktr_event_marker
static const struct ktr_field_desc ktr_marker_fields[] = {
	KTR_INT(M_MARKER, tgid),
	KTR_CHARS(M_MARKER, comm),
	KTR_REST(M_MARKER, "text"),
};

/* Written by ktr itself (write() on /dev/ktr): always on, no tracepoint. */
static struct ktr_event_type ktr_marker_event = {
	.id = KTR_EVENT_MARKER, .system = "ktr", .name = "marker",
	.fields = ktr_marker_fields, .nr_fields = ARRAY_SIZE(ktr_marker_fields),
	.enabled = true,
};

static const struct ktr_event_group ktr_marker_group = {
	.events = &ktr_marker_event, .nr_events = 1,
};

#define M_STACK	struct ktr_event_stack
static const struct ktr_field_desc ktr_stack_fields[] = {
	KTR_INT(M_STACK, event_ts),
	KTR_INT(M_STACK, nr),
	KTR_REST_U64(M_STACK, "ips"),
};

/* Written by ktr after events whose stack capture is on (ktr_filter.c). */
static struct ktr_event_type ktr_stack_event = {
	.id = KTR_EVENT_STACK, .system = "ktr", .name = "stack",
	.fields = ktr_stack_fields, .nr_fields = ARRAY_SIZE(ktr_stack_fields),
	.enabled = true,
};

static const struct ktr_event_group ktr_stack_group = {
	.events = &ktr_stack_event, .nr_events = 1,
};

/* Every group of event types, in id order. */
static const struct ktr_event_group *const ktr_groups[] = {
	&ktr_marker_group,
	&ktr_sched_group,
	&ktr_syscalls_group,
	&ktr_irq_group,
	&ktr_block_group,
	&ktr_net_group,
	&ktr_kmem_group,
	&ktr_fault_group,
	&ktr_stack_group,
};

/* Every event type, in id order. */
static struct ktr_event_type *ktr_event_at(unsigned int idx)
{
	unsigned int g;

	for (g = 0; g < ARRAY_SIZE(ktr_groups); g++) {
		if (idx < ktr_groups[g]->nr_events)
			return &ktr_groups[g]->events[idx];
		idx -= ktr_groups[g]->nr_events;
	}
	return ktr_raw_event_at(idx);
}

/**
 * ktr_event_get - the event type at index @idx (0, 1, ...), or NULL past
 *	the last; for listing, under ktr_events_lock (raw events come and go)
 * @idx: the index.
 */
const struct ktr_event_type *ktr_event_get(unsigned int idx)
{
	return ktr_event_at(idx);
}

bool ktr_event_available(const struct ktr_event_type *ev)
{
	return !ev->tp_name || ev->tp;
}

static void ktr_events_find_tp(struct tracepoint *tp, void *priv)
{
	struct ktr_event_type *ev;
	unsigned int i;

	for (i = 0; (ev = ktr_event_at(i)); i++)
		if (ev->tp_name && ev->probe && !strcmp(ev->tp_name, tp->name))
			ev->tp = tp;
}

int ktr_events_init(void)
{
	unsigned int g;

	for (g = 0; g < ARRAY_SIZE(ktr_groups); g++)
		if (ktr_groups[g]->check_types)
			ktr_groups[g]->check_types();
	for_each_kernel_tracepoint(ktr_events_find_tp, NULL);
	ktr_filter_init();
	return ktr_raw_init();
}

/* Disable everything still enabled; nothing can run a probe afterwards. */
void ktr_events_exit(void)
{
	struct ktr_event_type *ev;
	unsigned int i;
	bool any = false;

	ktr_raw_exit();
	mutex_lock(&ktr_events_lock);
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (!ev->tp || !ev->enabled)
			continue;
		tracepoint_probe_unregister(ev->tp, ev->probe, ev);
		ev->enabled = false;
		any = true;
	}
	mutex_unlock(&ktr_events_lock);
	if (any)
		tracepoint_synchronize_unregister();
	ktr_filter_exit();
}

/* "name-glob" or "system:name-glob". */
static bool ktr_event_matches(const struct ktr_event_type *ev,
			      const char *glob)
{
	const char *colon = strchr(glob, ':');
	size_t n;

	if (!colon)
		return glob_match(glob, ev->name);
	n = colon - glob;
	return strlen(ev->system) == n && !strncmp(ev->system, glob, n) &&
	       glob_match(colon + 1, ev->name);
}

/**
 * ktr_events_set - enable or disable the events matching @glob
 * @glob: see KTR_ATTR_EVENT_GLOB (uapi/ktr.h).
 * @enable: register (true) or unregister the probes.
 * @extack: for the error message.
 *
 * All or nothing: when a registration fails, the events this call enabled
 * are disabled again.
 *
 * Context: task (sleeps).
 * Return: how many matching events are now enabled / disabled (the
 * marker and events this kernel lacks are not counted), or a negative
 * errno.
 */
int ktr_events_set(const char *glob, bool enable,
		   struct netlink_ext_ack *extack)
{
	struct ktr_event_type *ev;
	unsigned int i, matched = 0, usable = 0;
	bool unregistered = false;
	int ret = 0;

	mutex_lock(&ktr_events_lock);
	for (i = 0; (ev = ktr_event_at(i)); i++)
		ev->undo = false;	/* set: this call enabled it */
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (!ktr_event_matches(ev, glob))
			continue;
		matched++;
		if (!ev->tp)	/* the marker, or missing from this kernel */
			continue;
		usable++;
		if (ev->enabled == enable)
			continue;
		if (enable) {
			ret = tracepoint_probe_register(ev->tp, ev->probe, ev);
			if (ret) {
				pr_warn("cannot attach to tracepoint %s: %d\n",
					ev->tp_name, ret);
				NL_SET_ERR_MSG_MOD(extack,
						   "cannot attach to a tracepoint (see the kernel log)");
				goto undo;
			}
			ev->undo = true;
		} else {
			tracepoint_probe_unregister(ev->tp, ev->probe, ev);
			unregistered = true;
		}
		ev->enabled = enable;
	}
	if (!matched) {
		NL_SET_ERR_MSG_MOD(extack, "no event matches");
		ret = -ENOENT;
	} else if (!usable) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no matching event can be switched on this kernel (markers are always on; the others lack a tracepoint)");
		ret = -EOPNOTSUPP;
	}
	goto out;

undo:
	/* Events this call enabled before the failure: off again. */
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (!ev->undo)
			continue;
		tracepoint_probe_unregister(ev->tp, ev->probe, ev);
		ev->enabled = false;
		unregistered = true;
	}
out:
	mutex_unlock(&ktr_events_lock);
	if (unregistered)
		tracepoint_synchronize_unregister();
	return ret ? ret : (int)usable;
}
