// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_sched.c - probes on the scheduler's tracepoints.
 *
 * Each probe has the tracepoint's TP_PROTO (include/trace/events/sched.h,
 * the same on 6.1 and 6.12) with the registration's data pointer first. A
 * probe runs in the context of the tracepoint (sched_switch: with the run
 * queue locked and interrupts off), so it only reserves, fills and commits:
 * the ring buffer never sleeps, allocates or locks. Field names follow
 * ftrace's format files.
 */
#include <linux/binfmts.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <trace/events/sched.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static void ktr_probe_sched_switch(void *data, bool preempt,
				   struct task_struct *prev,
				   struct task_struct *next,
				   unsigned int prev_state)
{
	struct ktr_event_sched_switch *e;
	struct ktr_rb_event ev;

	/* Task filters: kept when prev (current) or next passes. */
	e = ktr_event_begin_for(&ev, KTR_EVENT_SCHED_SWITCH, sizeof(*e), next);
	if (!e)
		return;
	memcpy(e->prev_comm, prev->comm, KTR_COMM_LEN);
	e->prev_pid = prev->pid;
	e->prev_prio = prev->prio;
	e->prev_state = preempt ? 0 : prev_state;
	e->preempt = preempt;
	memcpy(e->next_comm, next->comm, KTR_COMM_LEN);
	e->next_pid = next->pid;
	e->next_prio = next->prio;
	ktr_event_end(&ev);
}

static void ktr_sched_wakeup_fill(struct ktr_event_sched_wakeup *e,
				  struct task_struct *p)
{
	memcpy(e->comm, p->comm, KTR_COMM_LEN);
	e->pid = p->pid;
	e->prio = p->prio;
	e->target_cpu = task_cpu(p);
}

static void ktr_probe_sched_wakeup(void *data, struct task_struct *p)
{
	struct ktr_event_sched_wakeup *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin_for(&ev, KTR_EVENT_SCHED_WAKEUP, sizeof(*e), p);
	if (!e)
		return;
	ktr_sched_wakeup_fill(e, p);
	ktr_event_end(&ev);
}

static void ktr_probe_sched_wakeup_new(void *data, struct task_struct *p)
{
	struct ktr_event_sched_wakeup *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin_for(&ev, KTR_EVENT_SCHED_WAKEUP_NEW, sizeof(*e),
				p);
	if (!e)
		return;
	ktr_sched_wakeup_fill(e, p);
	ktr_event_end(&ev);
}

static void ktr_probe_sched_process_fork(void *data,
					 struct task_struct *parent,
					 struct task_struct *child)
{
	struct ktr_event_sched_process_fork *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_SCHED_PROCESS_FORK, sizeof(*e));
	if (!e)
		return;
	memcpy(e->parent_comm, parent->comm, KTR_COMM_LEN);
	e->parent_pid = parent->pid;
	memcpy(e->child_comm, child->comm, KTR_COMM_LEN);
	e->child_pid = child->pid;
	ktr_event_end(&ev);
}

/* Longest file name kept for an exec event (the rest is cut). */
#define KTR_EXEC_NAME_MAX	256

static void ktr_probe_sched_process_exec(void *data, struct task_struct *p,
					 pid_t old_pid,
					 struct linux_binprm *bprm)
{
	struct ktr_event_sched_process_exec *e;
	struct ktr_rb_event ev;
	size_t len = strnlen(bprm->filename, KTR_EXEC_NAME_MAX);

	e = ktr_event_begin(&ev, KTR_EVENT_SCHED_PROCESS_EXEC,
			    sizeof(*e) + len);
	if (!e)
		return;
	e->pid = p->pid;
	e->old_pid = old_pid;
	memcpy(e + 1, bprm->filename, len);
	ktr_event_end(&ev);
}

static void ktr_probe_sched_process_exit(void *data, struct task_struct *p)
{
	struct ktr_event_sched_process_exit *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_SCHED_PROCESS_EXIT, sizeof(*e));
	if (!e)
		return;
	memcpy(e->comm, p->comm, KTR_COMM_LEN);
	e->pid = p->pid;
	e->prio = p->prio;
	ktr_event_end(&ev);
}

#define S_SWITCH	struct ktr_event_sched_switch
static const struct ktr_field_desc ktr_sched_switch_fields[] = {
	KTR_CHARS(S_SWITCH, prev_comm),
	KTR_INT(S_SWITCH, prev_pid),
	KTR_INT(S_SWITCH, prev_prio),
	KTR_INT(S_SWITCH, prev_state),
	KTR_INT(S_SWITCH, preempt),
	KTR_CHARS(S_SWITCH, next_comm),
	KTR_INT(S_SWITCH, next_pid),
	KTR_INT(S_SWITCH, next_prio),
};

#define S_WAKEUP	struct ktr_event_sched_wakeup
static const struct ktr_field_desc ktr_sched_wakeup_fields[] = {
	KTR_CHARS(S_WAKEUP, comm),
	KTR_INT(S_WAKEUP, pid),
	KTR_INT(S_WAKEUP, prio),
	KTR_INT(S_WAKEUP, target_cpu),
};

#define S_FORK		struct ktr_event_sched_process_fork
static const struct ktr_field_desc ktr_sched_fork_fields[] = {
	KTR_CHARS(S_FORK, parent_comm),
	KTR_INT(S_FORK, parent_pid),
	KTR_CHARS(S_FORK, child_comm),
	KTR_INT(S_FORK, child_pid),
};

#define S_EXEC		struct ktr_event_sched_process_exec
static const struct ktr_field_desc ktr_sched_exec_fields[] = {
	KTR_INT(S_EXEC, pid),
	KTR_INT(S_EXEC, old_pid),
	KTR_REST(S_EXEC, "filename"),
};

#define S_EXIT		struct ktr_event_sched_process_exit
static const struct ktr_field_desc ktr_sched_exit_fields[] = {
	KTR_CHARS(S_EXIT, comm),
	KTR_INT(S_EXIT, pid),
	KTR_INT(S_EXIT, prio),
};

static struct ktr_event_type ktr_sched_events[] = {
	{ .id = KTR_EVENT_SCHED_SWITCH, .system = "sched",
	  .name = "sched_switch", .tp_name = "sched_switch",
	  .probe = ktr_probe_sched_switch,
	  .fields = ktr_sched_switch_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_switch_fields) },
	{ .id = KTR_EVENT_SCHED_WAKEUP, .system = "sched",
	  .name = "sched_wakeup", .tp_name = "sched_wakeup",
	  .probe = ktr_probe_sched_wakeup,
	  .fields = ktr_sched_wakeup_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_wakeup_fields) },
	{ .id = KTR_EVENT_SCHED_WAKEUP_NEW, .system = "sched",
	  .name = "sched_wakeup_new", .tp_name = "sched_wakeup_new",
	  .probe = ktr_probe_sched_wakeup_new,
	  .fields = ktr_sched_wakeup_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_wakeup_fields) },
	{ .id = KTR_EVENT_SCHED_PROCESS_FORK, .system = "sched",
	  .name = "sched_process_fork", .tp_name = "sched_process_fork",
	  .probe = ktr_probe_sched_process_fork,
	  .fields = ktr_sched_fork_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_fork_fields) },
	{ .id = KTR_EVENT_SCHED_PROCESS_EXEC, .system = "sched",
	  .name = "sched_process_exec", .tp_name = "sched_process_exec",
	  .probe = ktr_probe_sched_process_exec,
	  .fields = ktr_sched_exec_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_exec_fields) },
	{ .id = KTR_EVENT_SCHED_PROCESS_EXIT, .system = "sched",
	  .name = "sched_process_exit", .tp_name = "sched_process_exit",
	  .probe = ktr_probe_sched_process_exit,
	  .fields = ktr_sched_exit_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sched_exit_fields) },
};

/*
 * A probe with the wrong prototype would be called with the wrong
 * arguments: make that a build error on every kernel ktr builds for. (The
 * checks compile to nothing; the tracepoints themselves are not exported,
 * they are found by name at load.)
 */
static void ktr_probes_sched_check_types(void)
{
	check_trace_callback_type_sched_switch(ktr_probe_sched_switch);
	check_trace_callback_type_sched_wakeup(ktr_probe_sched_wakeup);
	check_trace_callback_type_sched_wakeup_new(ktr_probe_sched_wakeup_new);
	check_trace_callback_type_sched_process_fork(ktr_probe_sched_process_fork);
	check_trace_callback_type_sched_process_exec(ktr_probe_sched_process_exec);
	check_trace_callback_type_sched_process_exit(ktr_probe_sched_process_exit);
}

const struct ktr_event_group ktr_sched_group = {
	.events = ktr_sched_events,
	.nr_events = ARRAY_SIZE(ktr_sched_events),
	.check_types = ktr_probes_sched_check_types,
};
