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
 * behind static keys, in one place.
 */
#ifndef _KTR_PROBE_H
#define _KTR_PROBE_H

#include <linux/sched.h>

#include "ktr_event.h"
#include "ktr_internal.h"
#include "ringbuf/ktr_rb.h"

/* Reserve a payload of @size for event @id with its common header. */
static __always_inline void *ktr_event_begin(struct ktr_rb_event *ev, u16 id,
					     u32 size)
{
	struct ktr_event_common *c;

	if (ktr_rb_reserve(ktr_trace_rb(), ev, size))
		return NULL;
	c = ev->data;
	c->id = id;
	c->flags = 0;
	c->pid = current->pid;
	return c;
}

/* Publish the record ktr_event_begin() reserved and the probe filled. */
static __always_inline void ktr_event_end(struct ktr_rb_event *ev)
{
	ktr_rb_commit(ev);
}

#endif /* _KTR_PROBE_H */
