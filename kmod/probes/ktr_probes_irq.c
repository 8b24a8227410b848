// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_irq.c - probes on irq:irq_handler_entry / irq_handler_exit
 * (hardirq context) and irq:softirq_entry / softirq_exit (softirq, IRQs
 * on: hardirq probes nest inside them; the ring buffer allows that).
 */
#include <linux/interrupt.h>
#include <linux/string.h>
#include <trace/events/irq.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static void ktr_probe_irq_handler_entry(void *data, int irq,
					struct irqaction *action)
{
	struct ktr_event_irq_handler_entry *e;
	struct ktr_rb_event ev;
	const char *name = action->name ? action->name : "";
	size_t len = strnlen(name, KTR_IRQ_NAME_MAX);

	e = ktr_event_begin(&ev, KTR_EVENT_IRQ_HANDLER_ENTRY,
			    sizeof(*e) + len);
	if (!e)
		return;
	e->irq = irq;
	memcpy(e + 1, name, len);
	ktr_event_end(&ev);
}

static void ktr_probe_irq_handler_exit(void *data, int irq,
				       struct irqaction *action, int ret)
{
	struct ktr_event_irq_handler_exit *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_IRQ_HANDLER_EXIT, sizeof(*e));
	if (!e)
		return;
	e->irq = irq;
	e->ret = ret;
	ktr_event_end(&ev);
}

static void ktr_softirq_write(u16 id, unsigned int vec_nr)
{
	struct ktr_event_softirq *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, id, sizeof(*e));
	if (!e)
		return;
	e->vec = vec_nr;
	ktr_event_end(&ev);
}

static void ktr_probe_softirq_entry(void *data, unsigned int vec_nr)
{
	ktr_softirq_write(KTR_EVENT_SOFTIRQ_ENTRY, vec_nr);
}

static void ktr_probe_softirq_exit(void *data, unsigned int vec_nr)
{
	ktr_softirq_write(KTR_EVENT_SOFTIRQ_EXIT, vec_nr);
}

#define I_ENTRY		struct ktr_event_irq_handler_entry
static const struct ktr_field_desc ktr_irq_entry_fields[] = {
	KTR_INT(I_ENTRY, irq),
	KTR_REST(I_ENTRY, "name"),
};

#define I_EXIT		struct ktr_event_irq_handler_exit
static const struct ktr_field_desc ktr_irq_exit_fields[] = {
	KTR_INT(I_EXIT, irq),
	KTR_INT(I_EXIT, ret),
};

#define I_SOFTIRQ	struct ktr_event_softirq
static const struct ktr_field_desc ktr_softirq_fields[] = {
	KTR_INT(I_SOFTIRQ, vec),
};

static struct ktr_event_type ktr_irq_events[] = {
	{ .id = KTR_EVENT_IRQ_HANDLER_ENTRY, .system = "irq",
	  .name = "irq_handler_entry", .tp_name = "irq_handler_entry",
	  .probe = ktr_probe_irq_handler_entry,
	  .fields = ktr_irq_entry_fields,
	  .nr_fields = ARRAY_SIZE(ktr_irq_entry_fields) },
	{ .id = KTR_EVENT_IRQ_HANDLER_EXIT, .system = "irq",
	  .name = "irq_handler_exit", .tp_name = "irq_handler_exit",
	  .probe = ktr_probe_irq_handler_exit,
	  .fields = ktr_irq_exit_fields,
	  .nr_fields = ARRAY_SIZE(ktr_irq_exit_fields) },
	{ .id = KTR_EVENT_SOFTIRQ_ENTRY, .system = "irq",
	  .name = "softirq_entry", .tp_name = "softirq_entry",
	  .probe = ktr_probe_softirq_entry,
	  .fields = ktr_softirq_fields,
	  .nr_fields = ARRAY_SIZE(ktr_softirq_fields) },
	{ .id = KTR_EVENT_SOFTIRQ_EXIT, .system = "irq",
	  .name = "softirq_exit", .tp_name = "softirq_exit",
	  .probe = ktr_probe_softirq_exit,
	  .fields = ktr_softirq_fields,
	  .nr_fields = ARRAY_SIZE(ktr_softirq_fields) },
};

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_irq_check_types(void)
{
	check_trace_callback_type_irq_handler_entry(ktr_probe_irq_handler_entry);
	check_trace_callback_type_irq_handler_exit(ktr_probe_irq_handler_exit);
	check_trace_callback_type_softirq_entry(ktr_probe_softirq_entry);
	check_trace_callback_type_softirq_exit(ktr_probe_softirq_exit);
}

const struct ktr_event_group ktr_irq_group = {
	.events = ktr_irq_events,
	.nr_events = ARRAY_SIZE(ktr_irq_events),
	.check_types = ktr_probes_irq_check_types,
};
