/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_tracer.h - the tracer registry (ktr_tracer.c) as the control plane
 * and the built-in tracers see it. Tracer modules see
 * kmod/include/ktr/tracer.h only.
 */
#ifndef _KTR_TRACER_INTERNAL_H
#define _KTR_TRACER_INTERNAL_H

#include <linux/types.h>

#include "include/ktr/tracer.h"
#include "probes/ktr_events.h"
#include "probes/ktr_filter.h"

struct netlink_ext_ack;

/**
 * struct ktr_tracer_event_state - ktr's side of a struct ktr_tracer_event
 * @type: the event type in the registry (probes/ktr_events.c).
 * @slot: its filter and stack capture.
 * @live: its tracer is started: writes are accepted (read by writers with
 *	preemption disabled; cleared before the grace period that precedes
 *	freeing this state).
 */
struct ktr_tracer_event_state {
	struct ktr_event_type type;
	struct ktr_filter_slot slot;
	bool live;
};

/* One option of a listed tracer. */
struct ktr_tracer_opt_info {
	const struct ktr_tracer_option *opt;
	const char *value;	/* the value in effect (current tracer), or NULL */
};

/* What LIST_TRACERS reports about one tracer, read under the lock. */
struct ktr_tracer_info {
	const char *name;
	const char *description;
	bool is_current;
	unsigned int nr_options;
	struct ktr_tracer_opt_info options[KTR_TRACER_OPTS_MAX];
};

/* A "key=value" of SET_TRACER, split by the control plane. */
struct ktr_tracer_setting {
	const char *key;
	const char *value;
};

typedef int (*ktr_tracer_fn)(const struct ktr_tracer_info *info, void *priv);

int ktr_tracers_init(void);
void ktr_tracers_exit(void);
int ktr_tracers_for_each(unsigned long *pos, ktr_tracer_fn fn, void *priv);
int ktr_tracer_set(const char *name, const struct ktr_tracer_setting *set,
		   unsigned int nr_set, char *current_name,
		   struct netlink_ext_ack *extack);
int ktr_tracer_set_on(bool on, bool *changed, struct netlink_ext_ack *extack);
int ktr_tracer_reset(struct netlink_ext_ack *extack);
/*
 * The control plane's hook for a change of the current tracer that no
 * SET_TRACER made (the current tracer unregistered, RESET): called with
 * the new current tracer's name, under the registry's lock (it must not
 * call back into the registry). NULL: none.
 */
typedef void (*ktr_tracer_change_fn)(const char *current_name);
void ktr_tracer_set_change_notify(ktr_tracer_change_fn fn);
const char *ktr_tracer_option_default(const struct ktr_tracer_option *o);

/* A tracer's definition and its options (ktr_tracer_opts.c). */
int ktr_tracer_check(const struct ktr_tracer *t);
int ktr_tracer_values(const struct ktr_tracer *t,
		      const struct ktr_tracer_setting *set,
		      unsigned int nr_set, union ktr_tracer_value *vals,
		      char **text, struct netlink_ext_ack *extack);

/* The built-in function tracer (ktr_tracer_function.c). */
extern struct ktr_tracer ktr_function_tracer;
void ktr_function_tracer_exit(void);

/* The built-in profile tracer (ktr_tracer_profile.c). */
extern struct ktr_tracer ktr_profile_tracer;

#endif /* _KTR_TRACER_INTERNAL_H */
