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
 * Dynamic events (raw attach, ktr_raw.c; probes, ktr_kprobe.c) follow the
 * curated groups, in the order they were added; they come and go at run
 * time. A probe event is not a tracepoint's: its struct ktr_event_source
 * arms and disarms it, and everything below treats both alike through
 * ktr_event_arm() and ktr_event_disarm().
 *
 * Invariants:
 *  1. ktr_events_lock, private to this file, guards every event's tp,
 *     enabled, rearm and undo and the dynamic list. Every walk of the
 *     events asserts it (ktr_event_at()); other files reach events only
 *     through ktr_events_for_each() and ktr_event_with(), which hold it
 *     while their callback runs, so no caller can see a dynamic event
 *     being freed.
 *  2. An event is registered on its tracepoint (armed, for a source
 *     event) exactly when enabled is true; rearm (tracepoint gone while
 *     enabled) is cleared by every disable, so a reset or disabled
 *     event never comes back by itself.
 *  3. After any probe is unregistered (or disarmed),
 *     tracepoint_synchronize_unregister() waits for probes still running
 *     before anything they use is freed (its synchronize_rcu() also
 *     covers kprobe handlers, which run with preemption disabled),
 *     so a disabled event writes nothing afterwards and unload cannot free
 *     the buffer under a probe.
 * Lock order: ktr_raw_lock (ktr_raw.c) -> ktr_events_lock -> the
 * kernel's tracepoints_mutex, and ktr_trace_lock (tracer/ktr_trace.c:
 * RESET turns events off) -> ktr_events_lock; the event filter lock
 * (ktr_filter.c) nests inside ktr_events_lock (callbacks of
 * ktr_event_with()), and it and the task filter lock (ktr_filter_task.c)
 * inside ktr_trace_lock (RESET clears the filters).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/glob.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "ktr_events.h"

static DEFINE_MUTEX(ktr_events_lock);	/* invariant 1 */

/* Dynamic events (raw attach), after the curated ones. */
static LIST_HEAD(ktr_dyn_events);

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

/* Every curated group of event types, in id order. */
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

/* Curated event @idx (static: lives as long as the module), or NULL. */
static struct ktr_event_type *ktr_curated_at(unsigned int idx)
{
	unsigned int g;

	for (g = 0; g < ARRAY_SIZE(ktr_groups); g++) {
		if (idx < ktr_groups[g]->nr_events)
			return &ktr_groups[g]->events[idx];
		idx -= ktr_groups[g]->nr_events;
	}
	return NULL;
}

static unsigned int ktr_nr_curated(void)
{
	unsigned int g, n = 0;

	for (g = 0; g < ARRAY_SIZE(ktr_groups); g++)
		n += ktr_groups[g]->nr_events;
	return n;
}

/* Every event type: the curated ones in id order, then dynamic ones. */
static struct ktr_event_type *ktr_event_at(unsigned int idx)
{
	struct ktr_event_type *ev = ktr_curated_at(idx);

	lockdep_assert_held(&ktr_events_lock);
	if (ev)
		return ev;
	idx -= ktr_nr_curated();
	list_for_each_entry(ev, &ktr_dyn_events, node)
		if (!idx--)
			return ev;
	return NULL;
}

/**
 * ktr_events_for_each - call @fn for every event type from index *@pos on
 * @pos: in: the first index (0 for all); out: the index @fn stopped at
 *	(its return was not 0), or the number of events.
 * @fn: called with the registry lock held; a non-zero return stops.
 * @priv: passed to @fn.
 *
 * Resumable for netlink dumps: an event added or removed between two
 * calls shifts the later indexes, as in any dump of a changing list.
 *
 * Context: task (sleeps).
 * Return: what @fn returned last (0 when every event was seen).
 */
int ktr_events_for_each(unsigned long *pos, ktr_event_fn fn, void *priv)
{
	struct ktr_event_type *ev;
	unsigned long i;
	int ret = 0;

	mutex_lock(&ktr_events_lock);
	for (i = *pos; (ev = ktr_event_at(i)); i++) {
		ret = fn(ev, priv);
		if (ret)
			break;
	}
	mutex_unlock(&ktr_events_lock);
	*pos = i;
	return ret;
}

/* "name" or "system:name", exactly. */
static bool ktr_event_is(const struct ktr_event_type *ev, const char *name)
{
	const char *colon = strchr(name, ':');

	if (!colon)
		return !strcmp(ev->name, name);
	return strlen(ev->system) == colon - name &&
	       !strncmp(ev->system, name, colon - name) &&
	       !strcmp(ev->name, colon + 1);
}

/**
 * ktr_event_with - call @fn for the event called @name
 * @name: "name" or "system:name", exactly (the first match in id order).
 * @fn: called with the registry lock held.
 * @priv: passed to @fn.
 *
 * Context: task (sleeps).
 * Return: -ENOENT when no event has that name, else what @fn returned.
 */
int ktr_event_with(const char *name, ktr_event_fn fn, void *priv)
{
	struct ktr_event_type *ev;
	unsigned int i;
	int ret = -ENOENT;

	mutex_lock(&ktr_events_lock);
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (ktr_event_is(ev, name)) {
			ret = fn(ev, priv);
			break;
		}
	}
	mutex_unlock(&ktr_events_lock);
	return ret;
}

/* Whether source event @ev's target is gone, said or found out. */
static bool ktr_event_target_gone(const struct ktr_event_type *ev)
{
	return ev->source_gone || (ev->source->gone && ev->source->gone(ev));
}

bool ktr_event_available(const struct ktr_event_type *ev)
{
	if (ev->source)
		return !ktr_event_target_gone(ev);
	return !ev->tp_name || ev->tp;
}

/* Whether @ev can be switched now (markers and stacks never are). */
static bool ktr_event_switchable(const struct ktr_event_type *ev)
{
	return ev->source ? !ktr_event_target_gone(ev) : !!ev->tp;
}

static int ktr_event_arm(struct ktr_event_type *ev)
{
	lockdep_assert_held(&ktr_events_lock);
	if (ev->source)
		return ev->source->arm(ev);
	return tracepoint_probe_register(ev->tp, ev->probe, ev);
}

static void ktr_event_disarm(struct ktr_event_type *ev)
{
	lockdep_assert_held(&ktr_events_lock);
	if (ev->source)
		ev->source->disarm(ev);
	else
		tracepoint_probe_unregister(ev->tp, ev->probe, ev);
}

static void ktr_events_find_tp(struct tracepoint *tp, void *priv)
{
	struct ktr_event_type *ev;
	unsigned int i;

	for (i = 0; (ev = ktr_curated_at(i)); i++)
		if (ev->tp_name && ev->probe && !strcmp(ev->tp_name, tp->name))
			ev->tp = tp;
}

/* Context: load, before anything else can reach the registry. */
void ktr_events_init(void)
{
	unsigned int g;

	for (g = 0; g < ARRAY_SIZE(ktr_groups); g++)
		if (ktr_groups[g]->check_types)
			ktr_groups[g]->check_types();
	for_each_kernel_tracepoint(ktr_events_find_tp, NULL);
}

/*
 * Disable everything still enabled; nothing can run a probe afterwards.
 * Dynamic events are gone already (ktr_raw_exit() runs first).
 */
void ktr_events_exit(void)
{
	struct ktr_event_type *ev;
	unsigned int i;
	bool any = false;

	mutex_lock(&ktr_events_lock);
	WARN_ON(!list_empty(&ktr_dyn_events));
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (!ktr_event_switchable(ev) || !ev->enabled)
			continue;
		ktr_event_disarm(ev);
		ev->enabled = false;
		any = true;
	}
	mutex_unlock(&ktr_events_lock);
	if (any)
		tracepoint_synchronize_unregister();
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
 * are disabled again. Disabling an event whose tracepoint is gone (its
 * module unloaded) cancels its re-arming (invariant 2).
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
		if (!enable)
			ev->rearm = false;
		/* The marker, missing from this kernel, or its module gone. */
		if (!ktr_event_switchable(ev))
			continue;
		usable++;
		if (ev->enabled == enable)
			continue;
		if (enable) {
			ret = ktr_event_arm(ev);
			if (ret) {
				pr_warn("cannot enable event %s:%s: %d\n",
					ev->system, ev->name, ret);
				NL_SET_ERR_MSG_MOD(extack,
						   "cannot attach to a tracepoint or probe (see the kernel log)");
				goto undo;
			}
			ev->undo = true;
		} else {
			ktr_event_disarm(ev);
			unregistered = true;
		}
		ev->enabled = enable;
	}
	if (!matched) {
		NL_SET_ERR_MSG_MOD(extack, "no event matches");
		ret = -ENOENT;
	} else if (!usable) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no matching event can be switched on this kernel (markers are always on; the others lack a tracepoint or their probed code is gone)");
		ret = -EOPNOTSUPP;
	}
	goto out;

undo:
	/* Events this call enabled before the failure: off again. */
	for (i = 0; (ev = ktr_event_at(i)); i++) {
		if (!ev->undo)
			continue;
		ktr_event_disarm(ev);
		ev->enabled = false;
		unregistered = true;
	}
out:
	mutex_unlock(&ktr_events_lock);
	if (unregistered)
		tracepoint_synchronize_unregister();
	return ret ? ret : (int)usable;
}

/**
 * ktr_events_add - add a dynamic event type, enabled
 * @ev: filled in (id, names, fields, and tp and probe, or source, or
 *	neither: a tracer's event, listed as enabled only while its tracer
 *	runs, ktr_event_set_recording()); the
 *	registry owns its tp, enabled, rearm, source_gone, undo and node
 *	from now on.
 * @unique: refuse (-EEXIST) when an event of the same name exists, in
 *	any system (probes: their names address them everywhere).
 *
 * The event is armed first; it is listed only once it is (enabled, but
 * for a tracer's event).
 *
 * Context: task (sleeps).
 * Return: 0, -EEXIST, or the error of arming it (nothing added).
 */
int ktr_events_add(struct ktr_event_type *ev, bool unique)
{
	struct ktr_event_type *other;
	unsigned int i;
	int ret;

	mutex_lock(&ktr_events_lock);
	for (i = 0; unique && (other = ktr_event_at(i)); i++) {
		if (!strcmp(other->name, ev->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	ev->source_gone = false;
	/* Tracer events have no tracepoint nor source: nothing to arm. */
	ret = ktr_event_switchable(ev) ? ktr_event_arm(ev) : 0;
	if (!ret) {
		ev->enabled = ktr_event_switchable(ev);
		ev->rearm = false;
		list_add_tail(&ev->node, &ktr_dyn_events);
	}
out:
	mutex_unlock(&ktr_events_lock);
	return ret;
}

/**
 * ktr_events_remove - take a dynamic event type off the registry
 * @ev: as given to ktr_events_add().
 *
 * Its probe is unregistered; the caller frees @ev only after
 * tracepoint_synchronize_unregister() (invariant 3).
 *
 * Context: task (sleeps).
 */
void ktr_events_remove(struct ktr_event_type *ev)
{
	mutex_lock(&ktr_events_lock);
	if (ev->enabled && ktr_event_switchable(ev))
		ktr_event_disarm(ev);
	ev->enabled = false;
	ev->rearm = false;
	list_del(&ev->node);
	mutex_unlock(&ktr_events_lock);
}

/**
 * ktr_event_set_recording - say whether a tracer's event records
 * @ev: a listed event with neither tracepoint nor source (a tracer's).
 * @on: its tracer is started.
 *
 * Only what LIST_EVENTS reports as enabled: the tracer is the switch.
 *
 * Context: task (sleeps).
 */
void ktr_event_set_recording(struct ktr_event_type *ev, bool on)
{
	mutex_lock(&ktr_events_lock);
	if (!WARN_ON(ktr_event_switchable(ev)))
		WRITE_ONCE(ev->enabled, on);
	mutex_unlock(&ktr_events_lock);
}

/**
 * ktr_event_tp_gone - the tracepoint of dynamic event @ev goes away
 * @ev: listed; its tracepoint's module is being unloaded.
 *
 * The event stays listed, unavailable; it is re-armed if it was enabled.
 * The caller waits (tracepoint_synchronize_unregister()) before the
 * module's memory goes: the module loader does, after MODULE_STATE_GOING.
 *
 * Context: task (sleeps).
 */
void ktr_event_tp_gone(struct ktr_event_type *ev)
{
	mutex_lock(&ktr_events_lock);
	if (ev->enabled && ev->tp)
		tracepoint_probe_unregister(ev->tp, ev->probe, ev);
	ev->rearm = ev->enabled;
	ev->enabled = false;
	ev->tp = NULL;
	mutex_unlock(&ktr_events_lock);
}

/**
 * ktr_event_source_gone - the target of source event @ev goes away
 * @ev: listed; e.g. the module it probes is being unloaded.
 *
 * Disarmed if enabled; listed, unavailable, until removed.
 *
 * Context: task (sleeps).
 */
void ktr_event_source_gone(struct ktr_event_type *ev)
{
	mutex_lock(&ktr_events_lock);
	if (ev->enabled && ktr_event_switchable(ev))
		ktr_event_disarm(ev);
	ev->enabled = false;
	ev->rearm = false;
	ev->source_gone = true;
	mutex_unlock(&ktr_events_lock);
}

/**
 * ktr_event_tp_back - a tracepoint of dynamic event @ev's name appears
 * @ev: listed, unavailable.
 * @tp: the tracepoint.
 *
 * Registered again only if it was enabled when its tracepoint went and
 * was not disabled since (invariant 2).
 *
 * Context: task (sleeps).
 * Return: 0, or the error of tracepoint_probe_register() (the event is
 * then available but disabled).
 */
int ktr_event_tp_back(struct ktr_event_type *ev, struct tracepoint *tp)
{
	int ret = 0;

	mutex_lock(&ktr_events_lock);
	ev->tp = tp;
	if (ev->rearm) {
		ev->rearm = false;
		ret = tracepoint_probe_register(tp, ev->probe, ev);
		ev->enabled = !ret;
	}
	mutex_unlock(&ktr_events_lock);
	return ret;
}
