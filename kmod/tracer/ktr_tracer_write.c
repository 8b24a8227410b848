// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer_write.c - how a tracer writes its events into ktr's ring
 * buffer: ktr_tracer_reserve() and ktr_tracer_commit()
 * (kmod/include/ktr/tracer.h).
 *
 * The path of a probe (probes/ktr_probe.h): task and CPU filters, reserve
 * with the common header, then the event's own filter and stack capture
 * at commit. It runs inside tracing callbacks (ftrace, timers, any
 * context up to NMI): no function tracing of this file (Kbuild), no lock,
 * no allocation. Preemption stays disabled from a successful reserve to
 * the commit: the buffer and the event's state outlive the writer
 * (invariant 3 of ktr_tracer.c).
 */
#include <linux/export.h>
#include <linux/preempt.h>

#include "ktr_tracer.h"
#include "probes/ktr_probe.h"

/* What ktr keeps in struct ktr_tracer_rec.opaque. */
struct ktr_tracer_rec_priv {
	struct ktr_rb_event ev;
	struct ktr_filter_slot *slot;
};

/**
 * ktr_tracer_reserve - reserve a record of a tracer's event
 * @rec: on the caller's stack, passed to ktr_tracer_commit().
 * @event: one of the tracer's registered events.
 * @size: payload bytes, struct ktr_event_common included (filled here).
 *
 * Context: any, up to NMI; only while the tracer is started (between its
 * start and the return of its stop).
 * Return: the payload to fill after its common header, or NULL: nothing
 * to commit (the tracer is not started, a filter keeps the task out, the
 * buffer is stopped or full).
 */
void *ktr_tracer_reserve(struct ktr_tracer_rec *rec,
			 const struct ktr_tracer_event *event, u32 size)
{
	struct ktr_tracer_rec_priv *p = (struct ktr_tracer_rec_priv *)rec->opaque;
	struct ktr_tracer_event_state *st = event->state;
	void *data;

	BUILD_BUG_ON(sizeof(*p) > sizeof(rec->opaque));
	if (unlikely(!st || size < sizeof(struct ktr_event_common)))
		return NULL;
	preempt_disable_notrace();
	if (!READ_ONCE(st->live))
		goto none;
	data = ktr_event_begin(&p->ev, st->type.id, size);
	if (!data)
		goto none;
	p->slot = &st->slot;
	rec->data = data;
	return data;
none:
	preempt_enable_notrace();
	return NULL;
}
EXPORT_SYMBOL_GPL(ktr_tracer_reserve);

/**
 * ktr_tracer_commit - publish a record ktr_tracer_reserve() returned
 * @rec: as ktr_tracer_reserve() filled it.
 *
 * Context: the same as the reserve, right after it.
 */
void ktr_tracer_commit(struct ktr_tracer_rec *rec)
{
	struct ktr_tracer_rec_priv *p = (struct ktr_tracer_rec_priv *)rec->opaque;

	ktr_event_end_slot(&p->ev, p->slot);
	preempt_enable_notrace();
}
EXPORT_SYMBOL_GPL(ktr_tracer_commit);
