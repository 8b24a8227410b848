// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_fault.c - probes on x86's exceptions:page_fault_user and
 * exceptions:page_fault_kernel (IRQs off; page_fault_kernel also in NMI,
 * e.g. a fault in copy_from_user_nmi(): the ring buffer is NMI-safe).
 * Their regfunc switches the fault handler's trace_pagefault_key;
 * tracepoint_probe_register/unregister run it.
 *
 * Recursion: a probe that faulted would re-enter itself; these read only
 * their arguments and the saved registers, and the ring buffer never
 * faults. On other architectures the events are listed, never available.
 */
#include <linux/ptrace.h>

#include "ktr_events.h"
#include "ktr_probe.h"

#ifdef CONFIG_X86
#include <asm/trace/exceptions.h>	/* prototypes only: type checks */

static void ktr_page_fault_write(u16 id, unsigned long address,
				 struct pt_regs *regs,
				 unsigned long error_code)
{
	struct ktr_event_page_fault *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, id, sizeof(*e));
	if (!e)
		return;
	e->address = address;
	e->ip = regs->ip;
	e->error_code = error_code;
	ktr_event_end(&ev);
}

static void ktr_probe_page_fault_user(void *data, unsigned long address,
				      struct pt_regs *regs,
				      unsigned long error_code)
{
	ktr_page_fault_write(KTR_EVENT_PAGE_FAULT_USER, address, regs,
			     error_code);
}

static void ktr_probe_page_fault_kernel(void *data, unsigned long address,
					struct pt_regs *regs,
					unsigned long error_code)
{
	ktr_page_fault_write(KTR_EVENT_PAGE_FAULT_KERNEL, address, regs,
			     error_code);
}

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_fault_check_types(void)
{
	check_trace_callback_type_page_fault_user(ktr_probe_page_fault_user);
	check_trace_callback_type_page_fault_kernel(ktr_probe_page_fault_kernel);
}
#else
/* No probe: ktr_events.c never looks for the tracepoint. */
#define ktr_probe_page_fault_user	NULL
#define ktr_probe_page_fault_kernel	NULL
#define ktr_probes_fault_check_types	NULL
#endif

#define F_FAULT		struct ktr_event_page_fault
static const struct ktr_field_desc ktr_page_fault_fields[] = {
	KTR_INT(F_FAULT, address),
	KTR_INT(F_FAULT, ip),
	KTR_INT(F_FAULT, error_code),
};

static struct ktr_event_type ktr_fault_events[] = {
	{ .id = KTR_EVENT_PAGE_FAULT_USER, .system = "exceptions",
	  .name = "page_fault_user", .tp_name = "page_fault_user",
	  .probe = ktr_probe_page_fault_user,
	  .fields = ktr_page_fault_fields,
	  .nr_fields = ARRAY_SIZE(ktr_page_fault_fields) },
	{ .id = KTR_EVENT_PAGE_FAULT_KERNEL, .system = "exceptions",
	  .name = "page_fault_kernel", .tp_name = "page_fault_kernel",
	  .probe = ktr_probe_page_fault_kernel,
	  .fields = ktr_page_fault_fields,
	  .nr_fields = ARRAY_SIZE(ktr_page_fault_fields) },
};

const struct ktr_event_group ktr_fault_group = {
	.events = ktr_fault_events,
	.nr_events = ARRAY_SIZE(ktr_fault_events),
	.check_types = ktr_probes_fault_check_types,
};
