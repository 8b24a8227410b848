/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr/tracer.h - the tracer registry of ktr.ko, for tracer modules.
 *
 * A tracer is what ktr runs as its "current tracer" (like ftrace's
 * current_tracer): nop (the default), function, or one a module adds with
 * ktr_register_tracer(). One tracer is current at a time; `ktr tracer set
 * NAME --opt k=v` (KTR_CMD_SET_TRACER) makes one current with options
 * parsed by ktr against the tracer's own table.
 *
 * A tracer writes into ktr's ring buffer with ktr_tracer_reserve() and
 * ktr_tracer_commit(), in event formats it declares (struct
 * ktr_tracer_event): ktr lists them over netlink like every other event
 * format (system = the tracer's name), so ktr-read decodes them with no
 * change to user space.
 *
 * Out-of-tree modules build against this header as `make` installs it
 * (build/kmod/<release>/sdk/include/ktr/, with ktr.ko's Module.symvers:
 * KBUILD_EXTRA_SYMBOLS=.../sdk/Module.symvers) and load after ktr.ko.
 * Using these symbols makes the module depend on ktr.ko: ktr.ko cannot be
 * unloaded while a tracer module is loaded (rmmod ktr fails: "in use").
 * A tracer module may be unloaded at any time, current or not: its exit
 * calls ktr_unregister_tracer(), which stops it first.
 *
 * Example (samples/ktr_sample_tracer/ in the ktr tree):
 *
 *	struct my_tick { struct ktr_event_common common; u64 n; };
 *	static const struct ktr_field_desc my_tick_fields[] = {
 *		KTR_INT(struct my_tick, n),
 *	};
 *	static struct ktr_tracer_event my_events[] = {
 *		{ .name = "tick", .fields = my_tick_fields,
 *		  .nr_fields = ARRAY_SIZE(my_tick_fields) },
 *	};
 *	...in a callback between start and stop:
 *	struct ktr_tracer_rec rec;
 *	struct my_tick *e = ktr_tracer_reserve(&rec, &my_events[0],
 *					       sizeof(*e));
 *	if (e) {
 *		e->n = n;
 *		ktr_tracer_commit(&rec);
 *	}
 */
#ifndef _KTR_TRACER_H
#define _KTR_TRACER_H

#include <linux/list.h>
#include <linux/types.h>

#include "event_format.h"

struct module;
struct netlink_ext_ack;

#define KTR_TRACER_API_VERSION	1

/**
 * struct ktr_tracer_option - one option of a tracer
 * @name: [a-z0-9_]+, unique in the tracer.
 * @type: enum ktr_tracer_opt_kind (uapi/ktr.h): KTR_TRACER_OPT_BOOL (0/1,
 *	y/n, yes/no, true/false, on/off), KTR_TRACER_OPT_U64 (decimal or
 *	0x-hex, in [@min, @max]) or KTR_TRACER_OPT_STRING (text of less than
 *	KTR_TRACER_OPT_VALUE_MAX bytes).
 * @description: one line for `ktr tracer list`.
 * @def: the default value, as text ("0", "", "100"); NULL: "" / 0 / false.
 * @min: KTR_TRACER_OPT_U64: the smallest value accepted.
 * @max: KTR_TRACER_OPT_U64: the largest (0: no limit).
 */
struct ktr_tracer_option {
	const char *name;
	u32 type;
	const char *description;
	const char *def;
	u64 min;
	u64 max;
};

/**
 * union ktr_tracer_value - an option's value, as ktr parsed it
 * @b: KTR_TRACER_OPT_BOOL.
 * @u: KTR_TRACER_OPT_U64.
 * @s: KTR_TRACER_OPT_STRING: NUL-terminated, owned by ktr, valid until the
 *	tracer's reset returns.
 */
union ktr_tracer_value {
	bool b;
	u64 u;
	const char *s;
};

struct ktr_tracer_event_state;

/**
 * struct ktr_tracer_event - an event format a tracer writes
 * @name: the event's name; the system is the tracer's name, so ktr-read
 *	shows "NAME" and filters address "TRACER:NAME".
 * @fields: the payload after struct ktr_event_common (KTR_INT() etc.).
 * @nr_fields: entries in @fields.
 * @state: private to ktr (set by ktr_register_tracer()).
 */
struct ktr_tracer_event {
	const char *name;
	const struct ktr_field_desc *fields;
	unsigned int nr_fields;
	struct ktr_tracer_event_state *state;
};

/**
 * struct ktr_tracer - a tracer
 * @name: [a-z0-9_]+, at most KTR_TRACER_NAME_MAX - 1 bytes, unique.
 * @description: one line for `ktr tracer list`.
 * @owner: THIS_MODULE.
 * @options: the options `ktr tracer set NAME --opt k=v` accepts.
 * @nr_options: entries in @options, at most KTR_TRACER_OPTS_MAX.
 * @events: the event formats the tracer writes (may be NULL).
 * @nr_events: entries in @events, at most KTR_TRACER_EVENTS_MAX.
 * @init: prepare to run with option values @vals (indexed as @options);
 *	may refuse (an errno and a message in @extack): nothing of the
 *	tracer may be left half-set then. Optional.
 * @reset: undo @init (called after @stop, or after @init alone when the
 *	tracer was never started). Optional.
 * @start: begin writing events: when the tracer becomes current while
 *	tracing is on, and at each START (`ktr start`) while it is current.
 *	An error at START makes nop current. Optional.
 * @stop: stop writing events: at each STOP (`ktr stop`) while it is
 *	current, and before @reset. When it returns, no callback of the
 *	tracer may still be inside ktr_tracer_reserve()..commit() (e.g.
 *	del_timer_sync(), unregister_ftrace_function()); a stopped tracer
 *	should cost nothing (no probe, no timer). Optional.
 * @node: private to ktr.
 *
 * The callbacks are called by ktr with its tracer lock held, in task
 * context (they may sleep), one at a time: init, [start, stop]..., reset.
 * They must not call ktr_register_tracer() or ktr_unregister_tracer().
 */
struct ktr_tracer {
	const char *name;
	const char *description;
	struct module *owner;
	const struct ktr_tracer_option *options;
	unsigned int nr_options;
	struct ktr_tracer_event *events;
	unsigned int nr_events;
	int (*init)(const union ktr_tracer_value *vals,
		    struct netlink_ext_ack *extack);
	void (*reset)(void);
	int (*start)(void);
	void (*stop)(void);
	struct list_head node;
};

/**
 * struct ktr_tracer_rec - a reservation between ktr_tracer_reserve() and
 *	ktr_tracer_commit()
 * @data: the payload (what ktr_tracer_reserve() returned).
 * @opaque: private to ktr.
 *
 * Lives on the writer's stack.
 */
struct ktr_tracer_rec {
	void *data;
	u64 opaque[8];
};

int ktr_register_tracer(struct ktr_tracer *tracer);
void ktr_unregister_tracer(struct ktr_tracer *tracer);
void *ktr_tracer_reserve(struct ktr_tracer_rec *rec,
			 const struct ktr_tracer_event *event, u32 size);
void ktr_tracer_commit(struct ktr_tracer_rec *rec);

#endif /* _KTR_TRACER_H */
