/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_irq_work.h - queueing an irq_work from a probe or a ring-buffer hook
 * (any context, NMI included), for every layer of the module.
 */
#ifndef _KTR_IRQ_WORK_H
#define _KTR_IRQ_WORK_H

#include <linux/cpumask.h>
#include <linux/irq_work.h>
#include <linux/smp.h>

/*
 * A CPU going down runs its pending irq_work once, in its dying steps,
 * after it left cpu_online_mask, and drops self-interrupts from then on:
 * a work queued on it later stays pending (and irq_work_sync() on it
 * spins forever). So on such a CPU nothing is queued: the caller decides
 * what the skipped work owed (false).
 *
 * Return: irq_work_queue()'s result, or false when @work was not queued
 * because this CPU is past its last irq_work run.
 */
static __always_inline bool ktr_irq_work_queue_here(struct irq_work *work)
{
	unsigned int cpu = raw_smp_processor_id();

	if (unlikely(cpu_dying(cpu) && !cpu_online(cpu)))
		return false;
	return irq_work_queue(work);
}

#endif /* _KTR_IRQ_WORK_H */
