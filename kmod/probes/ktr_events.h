/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_events.h - the event types ktr records and their self-described
 * payload formats (reported by KTR_CMD_LIST_EVENTS, uapi/ktr.h).
 */
#ifndef _KTR_EVENTS_H
#define _KTR_EVENTS_H

#include <linux/list.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "ktr.h"
#include "ktr_event.h"
#include "include/ktr/event_format.h"

struct tracepoint;
struct netlink_ext_ack;
struct ktr_event_type;
struct ktr_filter_slot;

/* The fields of struct ktr_event_common, first in every payload. */
extern const struct ktr_field_desc ktr_common_fields[];
extern const unsigned int ktr_nr_common_fields;

/**
 * struct ktr_event_source - how an event that is not a tracepoint's is
 *	switched on and off (dynamic probes, ktr_kprobe.c)
 * @arm: start recording; called with the registry lock held.
 * @disarm: stop; handlers still running may finish (the registry waits
 *	for them, invariant 3 of ktr_events.c, before anything is freed).
 * @gone: optional: whether the target went away without a word to the
 *	registry (the kernel's kprobes kill a probe on a module's init text
 *	when the module goes live, and one on a module's code when it goes,
 *	before any notifier of ktr's runs); such an event is unavailable as
 *	after ktr_event_source_gone(). Called with or without the registry
 *	lock: a stale answer only delays what the next call says.
 */
struct ktr_event_source {
	int (*arm)(struct ktr_event_type *ev);
	void (*disarm)(struct ktr_event_type *ev);
	bool (*gone)(const struct ktr_event_type *ev);
};

/**
 * struct ktr_event_type - an event ktr can record
 * @id: enum ktr_event_id.
 * @system: "sched", "ktr", ...
 * @name: the event's name (the tracepoint's, for tracepoint events).
 * @tp_name: the kernel tracepoint it hooks, or NULL (markers: written by
 *	ktr itself, always on).
 * @probe: the probe function registered on the tracepoint, with the event
 *	type as its data pointer.
 * @source: for an event that is not a tracepoint's (@tp_name NULL): how it
 *	is armed; NULL for tracepoint events and for ktr's own (markers).
 * @filter_slot: a dynamic event's filter and stack capture (ktr_filter.h),
 *	NULL when it cannot be filtered (raw events); curated events have
 *	theirs in ktr_filter.c.
 * @fields: the payload layout after the common fields (ktr_common_fields).
 * @nr_fields: entries in @fields.
 * @tp: the tracepoint, found by name at load (NULL: this kernel lacks it,
 *	or the module that has it is not loaded).
 * @enabled: the probe is registered.
 * @rearm: enabled when its tracepoint went away (its module was unloaded):
 *	registered again when the tracepoint comes back, unless disabled
 *	(or reset) meanwhile.
 * @source_gone: a @source event whose target went away (the module it
 *	probed was unloaded): unavailable for good.
 * @undo: scratch of ktr_events_set().
 * @node: in the registry's list of dynamic events (raw events).
 *
 * @tp, @enabled, @rearm, @source_gone, @undo and @node belong to the registry: they
 * change only under its lock (ktr_events.c), through the functions below.
 */
struct ktr_event_type {
	u16 id;
	const char *system;
	const char *name;
	const char *tp_name;
	void *probe;
	const struct ktr_event_source *source;
	struct ktr_filter_slot *filter_slot;
	const struct ktr_field_desc *fields;
	unsigned int nr_fields;
	struct tracepoint *tp;
	bool enabled;
	bool rearm;
	bool source_gone;
	bool undo;
	struct list_head node;
};

/**
 * struct ktr_event_group - the events of one probe file
 * @events: in id order.
 * @nr_events: entries in @events.
 * @check_types: compiles the probes' type checks against the kernel's
 *	tracepoint prototypes (check_trace_callback_type_*); never fails.
 *
 * Groups are listed in ktr_events.c, in id order.
 */
struct ktr_event_group {
	struct ktr_event_type *events;
	unsigned int nr_events;
	void (*check_types)(void);
};

extern const struct ktr_event_group ktr_sched_group;	/* ktr_probes_sched.c */
extern const struct ktr_event_group ktr_syscalls_group;	/* ktr_probes_syscalls.c */
extern const struct ktr_event_group ktr_irq_group;	/* ktr_probes_irq.c */
extern const struct ktr_event_group ktr_block_group;	/* ktr_probes_block.c */
extern const struct ktr_event_group ktr_net_group;	/* ktr_probes_net.c */
extern const struct ktr_event_group ktr_kmem_group;	/* ktr_probes_kmem.c */
extern const struct ktr_event_group ktr_fault_group;	/* ktr_probes_fault.c */

/*
 * The registry. Its lock is private to ktr_events.c: callers see events
 * only through the locked iterator and lookup below, whose callbacks run
 * with the lock held (they may sleep; they must not call back into the
 * registry). An event a callback sees may go away (raw detach) as soon as
 * the callback returns: keep nothing of it but values.
 */
typedef int (*ktr_event_fn)(const struct ktr_event_type *ev, void *priv);

void ktr_events_init(void);
void ktr_events_exit(void);
int ktr_events_for_each(unsigned long *pos, ktr_event_fn fn, void *priv);
int ktr_event_with(const char *name, ktr_event_fn fn, void *priv);
bool ktr_event_available(const struct ktr_event_type *ev);
int ktr_events_set(const char *glob, bool enable,
		   struct netlink_ext_ack *extack);

/* Dynamic event types (raw attach, probes), added and removed at run time. */
int ktr_events_add(struct ktr_event_type *ev, bool unique);
void ktr_events_remove(struct ktr_event_type *ev);
void ktr_event_source_gone(struct ktr_event_type *ev);
void ktr_event_set_recording(struct ktr_event_type *ev, bool on);
void ktr_event_tp_gone(struct ktr_event_type *ev);
int ktr_event_tp_back(struct ktr_event_type *ev, struct tracepoint *tp);

#endif /* _KTR_EVENTS_H */
