// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer_profile.c - the "profile" tracer: timed sampling of what every
 * online CPU runs, as `perf record -F 99 -g` does, for flame graphs
 * (`ktr profile`).
 *
 * Each online CPU has a pinned hrtimer (HRTIMER_MODE_REL_PINNED_HARD: it
 * fires in hard interrupt context, on its own CPU) of period 1/freq s.
 * Each tick writes one "sample" event: the interrupted task (tgid, tid,
 * comm), whether the CPU was in user mode, the interrupted instruction
 * pointer and, with user_stack=1, the task's user stack. The kernel stack
 * is not this file's business: ktr's per-event stack capture
 * (KTR_ATTR_EVENT_STACK on profile:sample, `ktr profile` sets it) records
 * it after the sample, starting at the timer interrupt; user space cuts
 * the interrupt's own frames off at the sampled ip. Task filters (ktr
 * filter pid/comm, `ktr profile -P`) apply as to every event.
 *
 * User stacks: the kernel's stack_trace_save_user() is not exported (6.1,
 * 6.12), so this file walks the frame-pointer chain of the user registers
 * (the interrupt's if the CPU was in user mode, else the task's saved
 * entry registers) with copy_from_user_nofault(), which disables page
 * faults: a frame not resident, or code built without frame pointers,
 * ends the walk early (never a fault, never a sleep). x86-64 only; 32-bit
 * tasks and kernel threads get none. A function interrupted in its
 * prologue loses its caller's frame, as with every frame-pointer walk.
 *
 * Lifetime invariants:
 *  1. The timers run only between start and the return of stop. start
 *     sets a dynamic CPU hotplug state (CPUHP_AP_ONLINE_DYN): its online
 *     callback arms the timer of each online CPU, on that CPU, and of
 *     every CPU that comes online later; its offline callback cancels the
 *     timer of a CPU going down, on that CPU, before it stops (a pinned
 *     timer is never migrated to another CPU). stop removes the state,
 *     which runs the offline callback on every online CPU: hrtimer_cancel()
 *     returns only once the callback is not running and the timer is not
 *     queued, so when stop returns no tick is inside ktr_tracer_reserve()
 *     ..commit() (struct ktr_tracer's contract).
 *  2. The period and the user_stack switch are written by init, before
 *     start arms any timer, and only read by the ticks: a switch of tracer
 *     goes through stop (1) before the next init writes them again.
 *  3. All callbacks run under the registry's lock (ktr_tracer.c, invariant
 *     1); the lock order is that lock -> the CPU hotplug lock (taken by
 *     cpuhp_setup_state()/cpuhp_remove_state()). The timer callback takes
 *     no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/irq_regs.h>
#include <asm/ptrace.h>
#include <net/netlink.h>

#include "ktr_compat.h"
#include "ktr_tracer.h"

/* User stack entries kept per sample (the sampled ip included). */
#define KTR_PROFILE_USTACK_MAX	64

/**
 * struct ktr_profile_sample - an event of the profile tracer
 * @common: the common header (pid: the thread).
 * @tgid: the process of the interrupted task (0: idle).
 * @tid: the interrupted thread.
 * @comm: its command name.
 * @user: 1: the CPU ran user code, @ip is a user address; 0: kernel.
 * @reserved: zero.
 * @ip: the interrupted instruction.
 *
 * The user stack follows as __u64s, innermost first (field "ustack", the
 * user ip first): empty when not asked for or not available.
 */
struct ktr_profile_sample {
	struct ktr_event_common common;
	s32 tgid;
	s32 tid;
	char comm[KTR_COMM_LEN];
	u32 user;
	u32 reserved;
	u64 ip;
};

#define M_PROF struct ktr_profile_sample
static const struct ktr_field_desc ktr_profile_fields[] = {
	KTR_INT(M_PROF, tgid),
	KTR_INT(M_PROF, tid),
	KTR_CHARS(M_PROF, comm),
	KTR_INT(M_PROF, user),
	KTR_SYM(M_PROF, ip),
	KTR_REST_U64(M_PROF, "ustack"),
};

static struct ktr_tracer_event ktr_profile_events[] = {
	{ .name = "sample", .fields = ktr_profile_fields,
	  .nr_fields = ARRAY_SIZE(ktr_profile_fields) },
};

enum { KTR_PROF_FREQ, KTR_PROF_USTACK };

static const struct ktr_tracer_option ktr_profile_options[] = {
	[KTR_PROF_FREQ] = {
		.name = "freq", .type = KTR_TRACER_OPT_U64, .def = "99",
		.min = 1, .max = 10000,
		.description = "samples per second on each CPU (1..10000)",
	},
	[KTR_PROF_USTACK] = {
		.name = "user_stack", .type = KTR_TRACER_OPT_BOOL, .def = "1",
		.description =
			"record the user stack (frame-pointer walk; code without frame pointers gives short stacks)",
	},
};

static DEFINE_PER_CPU(struct hrtimer, ktr_profile_timer);
static u64 ktr_profile_period_ns;	/* invariant 2 */
static bool ktr_profile_ustack;		/* invariant 2 */
static int ktr_profile_hp_state = -1;	/* the dynamic hotplug state */

#ifdef CONFIG_X86_64
/*
 * Walk the frame-pointer chain of user registers @regs into @ips: the ip,
 * then each return address. Page faults stay disabled
 * (copy_from_user_nofault()): a frame not resident ends the walk.
 */
static unsigned int ktr_profile_user_stack(struct pt_regs *regs, u64 *ips)
{
	unsigned long fp = regs->bp, sp = regs->sp;
	unsigned int n = 0;
	struct {
		unsigned long next;
		unsigned long ret;
	} frame;

	if (!user_64bit_mode(regs))
		return 0;
	ips[n++] = regs->ip;
	while (n < KTR_PROFILE_USTACK_MAX) {
		if (!fp || (fp & (sizeof(long) - 1)) || fp < sp)
			break;
		if (copy_from_user_nofault(&frame, (const void __user *)fp,
					   sizeof(frame)))
			break;
		if (!frame.ret)
			break;
		ips[n++] = frame.ret;
		/* The stack grows down: callers' frames lie above. */
		if (frame.next <= fp)
			break;
		fp = frame.next;
	}
	return n;
}
#else
static unsigned int ktr_profile_user_stack(struct pt_regs *regs, u64 *ips)
{
	return 0;
}
#endif

static void ktr_profile_sample(void)
{
	struct pt_regs *regs = get_irq_regs();
	struct task_struct *tsk = current;
	u64 ustack[KTR_PROFILE_USTACK_MAX];
	struct ktr_profile_sample *e;
	struct ktr_tracer_rec rec;
	unsigned int i, n = 0;
	bool user = regs && user_mode(regs);

	if (READ_ONCE(ktr_profile_ustack) && tsk->mm &&
	    !(tsk->flags & PF_KTHREAD))
		n = ktr_profile_user_stack(user ? regs : task_pt_regs(tsk),
					   ustack);
	e = ktr_tracer_reserve(&rec, &ktr_profile_events[0],
			       sizeof(*e) + n * sizeof(u64));
	if (!e)
		return;
	e->tgid = tsk->tgid;
	e->tid = tsk->pid;
	memcpy(e->comm, tsk->comm, sizeof(e->comm));
	e->user = user;
	e->reserved = 0;
	e->ip = regs ? instruction_pointer(regs) : 0;
	for (i = 0; i < n; i++)
		memcpy((u64 *)(e + 1) + i, &ustack[i], sizeof(u64));
	ktr_tracer_commit(&rec);
}

static enum hrtimer_restart ktr_profile_tick(struct hrtimer *timer)
{
	ktr_profile_sample();
	hrtimer_forward_now(timer, ns_to_ktime(READ_ONCE(ktr_profile_period_ns)));
	return HRTIMER_RESTART;
}

/* Hotplug online callback: runs on @cpu (invariant 1). */
static int ktr_profile_cpu_online(unsigned int cpu)
{
	struct hrtimer *timer = per_cpu_ptr(&ktr_profile_timer, cpu);

	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	timer->function = ktr_profile_tick;
	hrtimer_start(timer, ns_to_ktime(ktr_profile_period_ns),
		      HRTIMER_MODE_REL_PINNED_HARD);
	return 0;
}

/* Hotplug offline callback (and stop): runs on @cpu (invariant 1). */
static int ktr_profile_cpu_offline(unsigned int cpu)
{
	hrtimer_cancel(per_cpu_ptr(&ktr_profile_timer, cpu));
	return 0;
}

static int ktr_profile_init(const union ktr_tracer_value *vals,
			    struct netlink_ext_ack *extack)
{
	ktr_profile_period_ns = div64_u64(NSEC_PER_SEC, vals[KTR_PROF_FREQ].u);
	ktr_profile_ustack = vals[KTR_PROF_USTACK].b;
	return 0;
}

static int ktr_profile_start(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "ktr/profile:online",
				ktr_profile_cpu_online, ktr_profile_cpu_offline);
	if (ret < 0)
		return ret;
	ktr_profile_hp_state = ret;
	return 0;
}

static void ktr_profile_stop(void)
{
	if (ktr_profile_hp_state < 0)
		return;
	cpuhp_remove_state(ktr_profile_hp_state);
	ktr_profile_hp_state = -1;
}

struct ktr_tracer ktr_profile_tracer = {
	.name = "profile",
	.description = "timed samples of every CPU (freq Hz) with user stacks, for flame graphs",
	.owner = THIS_MODULE,
	.options = ktr_profile_options,
	.nr_options = ARRAY_SIZE(ktr_profile_options),
	.events = ktr_profile_events,
	.nr_events = ARRAY_SIZE(ktr_profile_events),
	.init = ktr_profile_init,
	.start = ktr_profile_start,
	.stop = ktr_profile_stop,
};
