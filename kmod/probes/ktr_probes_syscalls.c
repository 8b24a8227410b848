// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_syscalls.c - probes on raw_syscalls:sys_enter / sys_exit.
 *
 * Registering a probe on either tracepoint runs its regfunc
 * (syscall_regfunc), which sets SYSCALL_WORK_SYSCALL_TRACEPOINT on every
 * thread; unregistering the last probe runs syscall_unregfunc, which clears
 * it. tracepoint_probe_register/unregister do both, so enable and disable
 * in ktr_events.c need nothing more.
 *
 * On the Debian 6.1 and 6.12 kernels the syscall tracepoints call their
 * probes with preemption disabled (docs/tracepoints.md, pitfall 2); later
 * kernels call them preemptible, so the probes disable preemption
 * themselves (cheap, and right on both). The ring buffer is per CPU.
 */
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <asm/syscall.h>
#include <trace/events/syscalls.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static void ktr_probe_sys_enter(void *data, struct pt_regs *regs, long id)
{
	struct ktr_event_sys_enter *e;
	struct ktr_rb_event ev;
	unsigned long args[6];
	int i;

	preempt_disable_notrace();
	e = ktr_event_begin(&ev, KTR_EVENT_SYS_ENTER, sizeof(*e));
	if (!e)
		goto out;
	syscall_get_arguments(current, regs, args);
	e->id = id;
	for (i = 0; i < 6; i++)
		e->args[i] = args[i];
	ktr_event_end(&ev);
out:
	preempt_enable_notrace();
}

static void ktr_probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	struct ktr_event_sys_exit *e;
	struct ktr_rb_event ev;

	preempt_disable_notrace();
	e = ktr_event_begin(&ev, KTR_EVENT_SYS_EXIT, sizeof(*e));
	if (!e)
		goto out;
	e->id = syscall_get_nr(current, regs);	/* as ftrace records it */
	e->ret = ret;
	ktr_event_end(&ev);
out:
	preempt_enable_notrace();
}

#define S_ENTER		struct ktr_event_sys_enter
static const struct ktr_field_desc ktr_sys_enter_fields[] = {
	KTR_INT(S_ENTER, id),
	KTR_INT_AS(S_ENTER, args[0], "args0"),
	KTR_INT_AS(S_ENTER, args[1], "args1"),
	KTR_INT_AS(S_ENTER, args[2], "args2"),
	KTR_INT_AS(S_ENTER, args[3], "args3"),
	KTR_INT_AS(S_ENTER, args[4], "args4"),
	KTR_INT_AS(S_ENTER, args[5], "args5"),
};

#define S_EXIT		struct ktr_event_sys_exit
static const struct ktr_field_desc ktr_sys_exit_fields[] = {
	KTR_INT(S_EXIT, id),
	KTR_INT(S_EXIT, ret),
};

static struct ktr_event_type ktr_syscalls_events[] = {
	{ .id = KTR_EVENT_SYS_ENTER, .system = "raw_syscalls",
	  .name = "sys_enter", .tp_name = "sys_enter",
	  .probe = ktr_probe_sys_enter,
	  .fields = ktr_sys_enter_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sys_enter_fields) },
	{ .id = KTR_EVENT_SYS_EXIT, .system = "raw_syscalls",
	  .name = "sys_exit", .tp_name = "sys_exit",
	  .probe = ktr_probe_sys_exit,
	  .fields = ktr_sys_exit_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sys_exit_fields) },
};

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_syscalls_check_types(void)
{
	check_trace_callback_type_sys_enter(ktr_probe_sys_enter);
	check_trace_callback_type_sys_exit(ktr_probe_sys_exit);
}

const struct ktr_event_group ktr_syscalls_group = {
	.events = ktr_syscalls_events,
	.nr_events = ARRAY_SIZE(ktr_syscalls_events),
	.check_types = ktr_probes_syscalls_check_types,
};
