/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_probe.h - what every tracepoint probe does around its payload:
 * reserve a record with the common header, fill it, commit it.
 *
 * A probe runs in the tracepoint's context (any of task, softirq, hardirq,
 * NMI for some events; locks held by the caller): it only reserves, fills
 * and commits. The ring buffer never sleeps, allocates or locks. Every
 * probe body is:
 *
 *	e = ktr_event_begin(&ev, KTR_EVENT_X, sizeof(*e));
 *	if (!e)
 *		return;
 *	...fill e...
 *	ktr_event_end(&ev);
 *
 * so optional work on the probe path (filters, stack capture) lives here,
 * behind static keys, in one place: with no filter and no stack capture
 * set, the keys are NOPs and a probe is reserve, fill, commit.
 *
 * A probe whose event concerns a second task (sched_switch's next, the
 * task a wakeup wakes) uses ktr_event_begin_for(): task filters then keep
 * the event when either task passes.
 */
#ifndef _KTR_PROBE_H
#define _KTR_PROBE_H

#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "ktr_event.h"
#include "ktr_filter.h"
#include "ringbuf/ktr_rb.h"

/*
 * The buffer probes write to (ktr_probe.c): set by the trace session
 * (ktr_trace.c), which replaces it only with a grace period between the
 * switch and the free, so a probe (preemption disabled) may use what it
 * read until it returns.
 */
extern struct ktr_rb __rcu *ktr_probe_rb;

void ktr_probe_set_buffer(struct ktr_rb *rb);

/* The buffer to write to, in probe context (preemption disabled). */
static __always_inline struct ktr_rb *ktr_probe_buffer(void)
{
	return rcu_dereference_sched(ktr_probe_rb);
}

/* Whether task @t passes every task filter that is set. */
static __always_inline bool ktr_task_wanted(const struct task_struct *t)
{
	if (static_branch_unlikely(&ktr_filter_pid_key) &&
	    !ktr_filter_pid_match(t))
		return false;
	if (static_branch_unlikely(&ktr_filter_comm_key) &&
	    !ktr_filter_comm_match(t))
		return false;
	return true;
}

/*
 * Whether the filters let an event in: on a CPU of the CPU filter, and
 * current or @other passes every task filter.
 */
static __always_inline bool ktr_event_wanted(const struct task_struct *other)
{
	if (static_branch_unlikely(&ktr_filter_cpu_key) &&
	    !ktr_filter_cpu_match())
		return false;
	return ktr_task_wanted(current) || (other && ktr_task_wanted(other));
}

/*
 * Reserve a payload of @size for event @id with its common header, unless
 * the task filters keep neither current nor @other (may be NULL).
 */
static __always_inline void *ktr_event_begin_for(struct ktr_rb_event *ev,
						 u16 id, u32 size,
						 const struct task_struct *other)
{
	struct ktr_event_common *c;

	if (!ktr_event_wanted(other))
		return NULL;

	if (ktr_rb_reserve(ktr_probe_buffer(), ev, size))
		return NULL;
	c = ev->data;
	c->id = id;
	c->flags = 0;
	c->pid = current->pid;
	return c;
}

/* Reserve a payload of @size for event @id of current. */
static __always_inline void *ktr_event_begin(struct ktr_rb_event *ev, u16 id,
					     u32 size)
{
	return ktr_event_begin_for(ev, id, size, NULL);
}

/*
 * Publish the record ktr_event_begin() reserved and the probe filled (or
 * discard it when the event's filter says no; then its stack, if asked).
 */
static __always_inline void ktr_event_end(struct ktr_rb_event *ev)
{
	if (static_branch_unlikely(&ktr_filter_event_key) ||
	    static_branch_unlikely(&ktr_filter_stack_key)) {
		ktr_filter_event_end(ev);
		return;
	}
	ktr_rb_commit(ev);
}

/*
 * ktr_event_end() for a dynamic event that brings its own filter slot
 * (probe events, ktr_kprobe_fetch.c).
 */
static __always_inline void ktr_event_end_slot(struct ktr_rb_event *ev,
					       struct ktr_filter_slot *slot)
{
	if (static_branch_unlikely(&ktr_filter_event_key) ||
	    static_branch_unlikely(&ktr_filter_stack_key)) {
		ktr_filter_event_end_slot(ev, slot);
		return;
	}
	ktr_rb_commit(ev);
}

#endif /* _KTR_PROBE_H */
