// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer_wakeup.c - the latency tracers "wakeup" (every task) and
 * "wakeup_rt" (real-time and deadline tasks: prio below MAX_RT_PRIO, as
 * ftrace's wakeup_rt): the time from a task's sched_wakeup (or
 * sched_wakeup_new) to the sched_switch onto it, like ftrace's wakeup
 * tracers, which Debian's kernels lack.
 *
 * Why sched_wakeup and not sched_waking: sched_wakeup fires once the task
 * is on the run queue of the CPU chosen for it (task_cpu() is final), so
 * the latency is the scheduling delay proper, as ftrace measures it;
 * sched_waking fires before the CPU is chosen and would add the wakeup
 * path itself (and a remote wakeup's IPI).
 *
 * Why every wakeup and not one task at a time: ftrace follows only the
 * highest-priority woken task because it records a function trace of that
 * one latency. This tracer records no function trace: a pending wakeup is
 * a slot of a small per-CPU table, O(1) per event, so it measures every
 * wakeup (of RT tasks only for wakeup_rt) into a histogram, and writes each
 * measurement to the trace (event "latency" of system wakeup/wakeup_rt).
 *
 * What is kept, per tracer (struct ktr_wk_state, each tracer has its own:
 * a switch from one to the other inits the new one before the old one
 * stops):
 *  - per CPU (struct ktr_wk_cpu, alloc_percpu at init, freed at the next
 *    init of the same tracer or at unload: the data stay readable after
 *    the tracer stops, as ftrace's tracing_max_latency does):
 *    the pending wakeups of tasks queued on that CPU (hashed by pid; a
 *    collision drops the older wakeup, counted in lost), the CPU's last
 *    KTR_LAT_HISTORY scheduling events (wakeups onto it, switches on it)
 *    as trace payloads, and its histogram counters;
 *  - the maximum and its worst-case trace (struct ktr_lat_max): at a new
 *    maximum the history of the CPU the task ran on is copied aside, so
 *    later traffic cannot overwrite it (ftrace's max-latency snapshot).
 *
 * Invariants:
 *  1. A CPU's struct ktr_wk_cpu (pending table, history, counters) changes
 *     only under its raw spinlock @lock, taken with interrupts off: by the
 *     wakeup probe of a task queued on that CPU (from any CPU), by the
 *     switch probe on that CPU, and by the migrate probe (source and
 *     destination, the lower CPU number first, the second nested). The
 *     probes run inside the scheduler (rq lock held): no allocation, no
 *     sleep, no wakeup, no lock but these; lock order: the scheduler's ->
 *     a CPU's @lock (-> the other CPU's @lock) -> @max_lock.
 *  2. The counters (@n) change inside the CPU's sequence count @seq,
 *     under @lock (one writer at a time): a reader copies one CPU's
 *     counters consistently without taking the lock the scheduler waits on.
 *  3. @max changes only under @max_lock (raw, interrupts off), taken in the
 *     switch probe with the CPU's @lock held; a reader copies it under
 *     @max_lock. @max.latency is read without the lock only as a hint.
 *  4. A pending wakeup belongs to the CPU the task is queued on: the
 *     migrate probe moves it with the task; the switch probe drops the one
 *     of the task switched out (it ran: a wakeup left for it is stale).
 *  5. The probes run only between start and stop: stop unregisters them
 *     and waits (tracepoint_synchronize_unregister()), then waits for the
 *     notice's irq_work and runs its work; reset cancels the work again.
 *     Start (also at START after STOP) first forgets the pending wakeups
 *     and the history: nothing of before a stop is measured after it.
 *     @cpus is freed only by the next init of the same tracer (which the
 *     registry runs only after its stop and reset) or at unload (after
 *     unregistering, which stops it). So no probe or work sees freed
 *     memory.
 *  6. ktr_wk_lock (a mutex) guards @cpus being freed, which state the last
 *     init made (ktr_wk_latest) and the notice hook: readers
 *     (ktr_wakeup_read()) and the notice work hold it; the registry's
 *     callbacks run under the tracer lock and take it inside (never the
 *     other way round).
 *  7. Notices never leave the probe: a new maximum above the threshold
 *     queues an irq_work (safe in the scheduler), which queues a delayed
 *     work, which sends the notice through the hook (process context), at
 *     most one per KTR_LAT_NOTICE_MS, with the maximum as it is then. A
 *     CPU past its last irq_work run (going offline) queues nothing: that
 *     maximum is announced by the next notice, if any (ktr latency reads
 *     it either way).
 *  8. Times are local_clock(): the wakeup's is taken on the waking CPU,
 *     the switch's on the CPU the task runs on; a skew between CPUs that
 *     makes a latency negative counts it as 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/prio.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <trace/events/sched.h>	/* prototypes only: probe type checks */

#include "ktr_compat.h"
#include "ktr_irq_work.h"
#include "ktr_tracer.h"
#include "ktr_tracer_wakeup.h"

#define KTR_WK_SLOT_BITS	7
#define KTR_WK_SLOTS		BIT(KTR_WK_SLOT_BITS)

/* A wakeup not yet followed by the switch onto its task. */
struct ktr_wk_pending {
	s32 pid;	/* 0: free */
	u64 ts;
};

struct ktr_wk_counts {
	u64 count;
	u64 sum;
	u64 lost;
	u64 buckets[KTR_LAT_BUCKETS];
};

/* One CPU's state (invariants 1 and 2). */
struct ktr_wk_cpu {
	raw_spinlock_t lock;
	seqcount_t seq;
	struct ktr_wk_counts n;
	unsigned int head;	/* the next history slot */
	unsigned int nr;	/* history records, at most KTR_LAT_HISTORY */
	struct ktr_wk_pending pending[KTR_WK_SLOTS];
	struct ktr_lat_rec hist[KTR_LAT_HISTORY];
};

/**
 * struct ktr_latency_entry - event "latency": one measured wakeup
 * @common: the common header (pid: the task that switched out).
 * @latency_ns: from its wakeup to the switch onto it.
 * @pid: the woken task.
 * @prio: its prio (kernel scale: 0-99 RT, 100-139 normal, -1 deadline).
 * @cpu: the CPU it ran on.
 * @comm: its command name.
 */
struct ktr_latency_entry {
	struct ktr_event_common common;
	u64 latency_ns;
	s32 pid;
	s32 prio;
	u32 cpu;
	char comm[KTR_COMM_LEN];
};

#define M_LAT struct ktr_latency_entry
static const struct ktr_field_desc ktr_latency_fields[] = {
	KTR_INT(M_LAT, latency_ns),
	KTR_INT(M_LAT, pid),
	KTR_INT(M_LAT, prio),
	KTR_INT(M_LAT, cpu),
	KTR_CHARS(M_LAT, comm),
};

static struct ktr_tracer_event ktr_wakeup_events[] = {
	{ .name = "latency", .fields = ktr_latency_fields,
	  .nr_fields = ARRAY_SIZE(ktr_latency_fields) },
};

static struct ktr_tracer_event ktr_wakeup_rt_events[] = {
	{ .name = "latency", .fields = ktr_latency_fields,
	  .nr_fields = ARRAY_SIZE(ktr_latency_fields) },
};

enum { KTR_WK_THRESHOLD };

static const struct ktr_tracer_option ktr_wakeup_options[] = {
	[KTR_WK_THRESHOLD] = {
		.name = "threshold", .type = KTR_TRACER_OPT_U64, .def = "0",
		.description =
			"ns: a new maximum above it sends a notice (0: every new maximum)",
	},
};

/* One tracer's state. */
struct ktr_wk_state {
	struct ktr_tracer *tracer;
	struct ktr_tracer_event *event;
	bool rt_only;
	u64 threshold;
	struct ktr_wk_cpu __percpu *cpus;	/* invariant 6 */
	raw_spinlock_t max_lock;		/* invariant 3 */
	struct ktr_lat_max max;
	struct irq_work irq_work;		/* invariant 7 */
	struct delayed_work notice;
	unsigned long next_notice;		/* jiffies */
};

static struct ktr_wk_state ktr_wk_states[2];
static DEFINE_MUTEX(ktr_wk_lock);		/* invariant 6 */
static struct ktr_wk_state *ktr_wk_latest;
/* Counts inits (guarded by ktr_wk_lock): which run a report is of. */
static u64 ktr_wk_generation;
static ktr_lat_notify_fn ktr_wk_notify;

/* The scheduler's tracepoints, found by name (not exported symbols). */
static struct tracepoint *ktr_wk_tp_wakeup, *ktr_wk_tp_wakeup_new,
	*ktr_wk_tp_switch, *ktr_wk_tp_migrate;

static struct ktr_wk_pending *ktr_wk_slot(struct ktr_wk_cpu *c, s32 pid)
{
	return &c->pending[hash_32((u32)pid, KTR_WK_SLOT_BITS)];
}

/* The next history record of @c, the oldest overwritten (lock held). */
static struct ktr_lat_rec *ktr_wk_next_rec(struct ktr_wk_cpu *c, u64 ts,
					   u32 cpu, u32 size)
{
	struct ktr_lat_rec *r = &c->hist[c->head];

	c->head = (c->head + 1) % KTR_LAT_HISTORY;
	if (c->nr < KTR_LAT_HISTORY)
		c->nr++;
	r->ts = ts;
	r->cpu = cpu;
	r->size = size;
	r->p.common.flags = 0;
	r->p.common.pid = current->pid;
	return r;
}

static void ktr_wk_lost(struct ktr_wk_cpu *c)
{
	raw_write_seqcount_begin(&c->seq);
	c->n.lost++;
	raw_write_seqcount_end(&c->seq);
}

static void ktr_wk_wakeup(struct ktr_wk_state *s, struct task_struct *p,
			  u16 id)
{
	int cpu = task_cpu(p);
	struct ktr_wk_cpu *c = per_cpu_ptr(s->cpus, cpu);
	u64 now = local_clock();
	struct ktr_wk_pending *slot;
	struct ktr_lat_rec *r;
	unsigned long flags;

	raw_spin_lock_irqsave(&c->lock, flags);
	r = ktr_wk_next_rec(c, now, cpu, sizeof(r->p.wk));
	r->p.wk.common.id = id;
	memcpy(r->p.wk.comm, p->comm, KTR_COMM_LEN);
	r->p.wk.pid = p->pid;
	r->p.wk.prio = p->prio;
	r->p.wk.target_cpu = cpu;
	if (p->pid && (!s->rt_only || p->prio < MAX_RT_PRIO)) {
		slot = ktr_wk_slot(c, p->pid);
		/* Woken again before it ran: the first wakeup counts. */
		if (slot->pid != p->pid) {
			if (slot->pid)
				ktr_wk_lost(c);
			slot->pid = p->pid;
			slot->ts = now;
		}
	}
	raw_spin_unlock_irqrestore(&c->lock, flags);
}

static void ktr_wk_probe_wakeup(void *data, struct task_struct *p)
{
	ktr_wk_wakeup(data, p, KTR_EVENT_SCHED_WAKEUP);
}

static void ktr_wk_probe_wakeup_new(void *data, struct task_struct *p)
{
	ktr_wk_wakeup(data, p, KTR_EVENT_SCHED_WAKEUP_NEW);
}

/* Invariant 4: the task's pending wakeup moves with it. */
static void ktr_wk_probe_migrate(void *data, struct task_struct *p,
				 int dest_cpu)
{
	struct ktr_wk_state *s = data;
	int src_cpu = task_cpu(p);
	struct ktr_wk_cpu *src, *dst, *first, *second;
	struct ktr_wk_pending *from, *to;
	unsigned long flags;

	if (src_cpu == dest_cpu || !p->pid)
		return;
	src = per_cpu_ptr(s->cpus, src_cpu);
	dst = per_cpu_ptr(s->cpus, dest_cpu);
	first = src_cpu < dest_cpu ? src : dst;
	second = src_cpu < dest_cpu ? dst : src;
	raw_spin_lock_irqsave(&first->lock, flags);
	raw_spin_lock_nested(&second->lock, SINGLE_DEPTH_NESTING);
	from = ktr_wk_slot(src, p->pid);
	if (from->pid == p->pid) {
		to = ktr_wk_slot(dst, p->pid);
		if (to->pid && to->pid != p->pid)
			ktr_wk_lost(dst);
		*to = *from;
		from->pid = 0;
	}
	raw_spin_unlock(&second->lock);
	raw_spin_unlock_irqrestore(&first->lock, flags);
}

/*
 * A latency of @lat for @next on @cpu: a new maximum? Then copy @c's
 * history aside (invariant 3). Context: @c->lock held.
 */
static bool ktr_wk_new_max(struct ktr_wk_state *s, struct ktr_wk_cpu *c,
			   u32 cpu, struct task_struct *next, u64 lat,
			   u64 wake_ts, u64 now)
{
	struct ktr_lat_max *m = &s->max;
	unsigned int i, first;

	raw_spin_lock(&s->max_lock);
	if (lat <= m->latency) {
		raw_spin_unlock(&s->max_lock);
		return false;
	}
	first = (c->head + KTR_LAT_HISTORY - c->nr) % KTR_LAT_HISTORY;
	for (i = 0; i < c->nr; i++)
		m->recs[i] = c->hist[(first + i) % KTR_LAT_HISTORY];
	m->nr = c->nr;
	WRITE_ONCE(m->latency, lat);
	m->wake_ts = wake_ts;
	m->switch_ts = now;
	m->pid = next->pid;
	m->prio = next->prio;
	m->cpu = cpu;
	memcpy(m->comm, next->comm, KTR_COMM_LEN);
	m->seq++;
	raw_spin_unlock(&s->max_lock);
	return true;
}

static void ktr_wk_write_event(struct ktr_wk_state *s, struct task_struct *next,
			       u32 cpu, u64 lat)
{
	struct ktr_latency_entry *e;
	struct ktr_tracer_rec rec;

	e = ktr_tracer_reserve(&rec, s->event, sizeof(*e));
	if (!e)
		return;
	e->pid = next->pid;
	e->prio = next->prio;
	e->cpu = cpu;
	e->latency_ns = lat;
	memcpy(e->comm, next->comm, KTR_COMM_LEN);
	ktr_tracer_commit(&rec);
}

static void ktr_wk_probe_switch(void *data, bool preempt,
				struct task_struct *prev,
				struct task_struct *next,
				unsigned int prev_state)
{
	struct ktr_wk_state *s = data;
	u32 cpu = smp_processor_id();
	struct ktr_wk_cpu *c = per_cpu_ptr(s->cpus, cpu);
	u64 now = local_clock(), lat = 0;
	bool measured = false, new_max = false;
	struct ktr_wk_pending *slot;
	struct ktr_lat_rec *r;
	unsigned long flags;

	raw_spin_lock_irqsave(&c->lock, flags);
	r = ktr_wk_next_rec(c, now, cpu, sizeof(r->p.sw));
	r->p.sw.common.id = KTR_EVENT_SCHED_SWITCH;
	memcpy(r->p.sw.prev_comm, prev->comm, KTR_COMM_LEN);
	r->p.sw.prev_pid = prev->pid;
	r->p.sw.prev_prio = prev->prio;
	r->p.sw.prev_state = preempt ? 0 : prev_state;
	r->p.sw.preempt = preempt;
	memcpy(r->p.sw.next_comm, next->comm, KTR_COMM_LEN);
	r->p.sw.next_pid = next->pid;
	r->p.sw.next_prio = next->prio;

	slot = ktr_wk_slot(c, prev->pid);
	if (prev->pid && slot->pid == prev->pid)
		slot->pid = 0;		/* invariant 4: it ran */
	slot = ktr_wk_slot(c, next->pid);
	if (next->pid && slot->pid == next->pid) {
		u64 wake_ts = slot->ts;
		unsigned int b;

		slot->pid = 0;
		lat = now > wake_ts ? now - wake_ts : 0;	/* invariant 8 */
		b = lat ? min_t(unsigned int, fls64(lat) - 1, KTR_LAT_BUCKETS - 1) : 0;
		raw_write_seqcount_begin(&c->seq);
		c->n.count++;
		c->n.sum += lat;
		c->n.buckets[b]++;
		raw_write_seqcount_end(&c->seq);
		measured = true;
		if (lat > READ_ONCE(s->max.latency))
			new_max = ktr_wk_new_max(s, c, cpu, next, lat, wake_ts,
						 now);
	}
	raw_spin_unlock_irqrestore(&c->lock, flags);

	if (!measured)
		return;
	ktr_wk_write_event(s, next, cpu, lat);
	/* Invariant 7; a dying CPU's switch to idle skips it (ktr_irq_work.h). */
	if (new_max && lat > s->threshold)
		ktr_irq_work_queue_here(&s->irq_work);
}

static void ktr_wk_check_types(void)
{
	check_trace_callback_type_sched_switch(ktr_wk_probe_switch);
	check_trace_callback_type_sched_wakeup(ktr_wk_probe_wakeup);
	check_trace_callback_type_sched_wakeup_new(ktr_wk_probe_wakeup_new);
	check_trace_callback_type_sched_migrate_task(ktr_wk_probe_migrate);
}

/* Hard irq context: hand over to process context, rate-limited. */
static void ktr_wk_notice_irq(struct irq_work *w)
{
	struct ktr_wk_state *s = container_of(w, struct ktr_wk_state, irq_work);
	long delay = (long)(READ_ONCE(s->next_notice) - jiffies);

	/* Already queued: that notice will carry this maximum too. */
	schedule_delayed_work(&s->notice, delay > 0 ? delay : 0);
}

static void ktr_wk_notice_work(struct work_struct *w)
{
	struct ktr_wk_state *s = container_of(to_delayed_work(w),
					      struct ktr_wk_state, notice);
	struct ktr_lat_notice n = { .tracer = s->tracer->name };
	unsigned long flags;

	WRITE_ONCE(s->next_notice,
		   jiffies + msecs_to_jiffies(KTR_LAT_NOTICE_MS));
	raw_spin_lock_irqsave(&s->max_lock, flags);
	n.seq = s->max.seq;
	n.latency = s->max.latency;
	n.pid = s->max.pid;
	n.prio = s->max.prio;
	n.cpu = s->max.cpu;
	memcpy(n.comm, s->max.comm, KTR_COMM_LEN);
	raw_spin_unlock_irqrestore(&s->max_lock, flags);
	mutex_lock(&ktr_wk_lock);
	if (ktr_wk_notify && n.seq)
		ktr_wk_notify(&n);
	mutex_unlock(&ktr_wk_lock);
}

static void ktr_wk_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_wakeup"))
		ktr_wk_tp_wakeup = tp;
	else if (!strcmp(tp->name, "sched_wakeup_new"))
		ktr_wk_tp_wakeup_new = tp;
	else if (!strcmp(tp->name, "sched_switch"))
		ktr_wk_tp_switch = tp;
	else if (!strcmp(tp->name, "sched_migrate_task"))
		ktr_wk_tp_migrate = tp;
}

static int ktr_wk_init(struct ktr_wk_state *s, const union ktr_tracer_value *vals,
		       struct netlink_ext_ack *extack)
{
	struct ktr_wk_cpu __percpu *cpus, *old;
	unsigned long flags;
	int cpu;

	if (!ktr_wk_tp_wakeup || !ktr_wk_tp_wakeup_new || !ktr_wk_tp_switch ||
	    !ktr_wk_tp_migrate) {
		NL_SET_ERR_MSG_MOD(extack,
				   "this kernel lacks a scheduler tracepoint the wakeup tracers need");
		return -EOPNOTSUPP;
	}
	cpus = alloc_percpu(struct ktr_wk_cpu);
	if (!cpus)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct ktr_wk_cpu *c = per_cpu_ptr(cpus, cpu);

		raw_spin_lock_init(&c->lock);
		seqcount_init(&c->seq);
	}
	/* Not started: no probe of @s runs (a re-init follows its stop). */
	raw_spin_lock_irqsave(&s->max_lock, flags);
	memset(&s->max, 0, sizeof(s->max));
	raw_spin_unlock_irqrestore(&s->max_lock, flags);
	s->threshold = vals[KTR_WK_THRESHOLD].u;
	s->next_notice = jiffies;
	/* The data of @s's last run go; the other tracer's stay (it may run). */
	mutex_lock(&ktr_wk_lock);
	old = s->cpus;
	s->cpus = cpus;
	ktr_wk_latest = s;
	ktr_wk_generation++;
	mutex_unlock(&ktr_wk_lock);
	free_percpu(old);
	return 0;
}

/*
 * Stopped already (invariant 5): nothing may be queued still. The data
 * stay readable (as ftrace's tracing_max_latency does) until this tracer
 * is set again or ktr is unloaded.
 */
static void ktr_wk_reset(struct ktr_wk_state *s)
{
	irq_work_sync(&s->irq_work);
	cancel_delayed_work_sync(&s->notice);
}

static void ktr_wk_unregister(struct ktr_wk_state *s, unsigned int n)
{
	/* In the reverse order of ktr_wk_start(). */
	if (n > 3)
		tracepoint_probe_unregister(ktr_wk_tp_wakeup,
					    ktr_wk_probe_wakeup, s);
	if (n > 2)
		tracepoint_probe_unregister(ktr_wk_tp_wakeup_new,
					    ktr_wk_probe_wakeup_new, s);
	if (n > 1)
		tracepoint_probe_unregister(ktr_wk_tp_migrate,
					    ktr_wk_probe_migrate, s);
	if (n > 0)
		tracepoint_probe_unregister(ktr_wk_tp_switch,
					    ktr_wk_probe_switch, s);
	tracepoint_synchronize_unregister();
}

/*
 * Before the probes come back (START after STOP): the pending wakeups
 * and the history are of before the stop (a task woken then would be
 * measured from that old time); the counters and the maximum stay.
 */
static void ktr_wk_forget(struct ktr_wk_state *s)
{
	unsigned long flags;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ktr_wk_cpu *c = per_cpu_ptr(s->cpus, cpu);

		raw_spin_lock_irqsave(&c->lock, flags);
		memset(c->pending, 0, sizeof(c->pending));
		c->head = 0;
		c->nr = 0;
		raw_spin_unlock_irqrestore(&c->lock, flags);
	}
}

static int ktr_wk_start(struct ktr_wk_state *s)
{
	int ret;

	ktr_wk_forget(s);
	/*
	 * The probes that drop or move a pending wakeup (switch, migrate)
	 * before the ones that record it, and away after them: a pending
	 * wakeup never outlives its task's switch or migration unseen (a
	 * task woken, migrated while migrate was off, would leave a stale
	 * entry that its next wakeup on the old CPU would measure from).
	 */
	ret = tracepoint_probe_register(ktr_wk_tp_switch, ktr_wk_probe_switch, s);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(ktr_wk_tp_migrate, ktr_wk_probe_migrate, s);
	if (ret)
		goto fail1;
	ret = tracepoint_probe_register(ktr_wk_tp_wakeup_new,
					ktr_wk_probe_wakeup_new, s);
	if (ret)
		goto fail2;
	ret = tracepoint_probe_register(ktr_wk_tp_wakeup, ktr_wk_probe_wakeup, s);
	if (ret)
		goto fail3;
	return 0;
fail3:
	ktr_wk_unregister(s, 3);
	return ret;
fail2:
	ktr_wk_unregister(s, 2);
	return ret;
fail1:
	ktr_wk_unregister(s, 1);
	return ret;
}

/* Invariant 5: no probe runs, the last notice is sent. */
static void ktr_wk_stop(struct ktr_wk_state *s)
{
	ktr_wk_unregister(s, 4);
	irq_work_sync(&s->irq_work);
	flush_delayed_work(&s->notice);
}

#define KTR_WK_CALLBACKS(i, fn)						\
static int fn##_init(const union ktr_tracer_value *vals,		\
		     struct netlink_ext_ack *extack)			\
{									\
	return ktr_wk_init(&ktr_wk_states[i], vals, extack);		\
}									\
static void fn##_reset(void) { ktr_wk_reset(&ktr_wk_states[i]); }	\
static int fn##_start(void) { return ktr_wk_start(&ktr_wk_states[i]); }	\
static void fn##_stop(void) { ktr_wk_stop(&ktr_wk_states[i]); }

KTR_WK_CALLBACKS(0, ktr_wakeup)
KTR_WK_CALLBACKS(1, ktr_wakeup_rt)

static struct ktr_tracer ktr_wakeup_tracer = {
	.name = "wakeup",
	.description =
		"wakeup latency of every task: maximum, histogram, worst-case trace ('ktr latency')",
	.owner = THIS_MODULE,
	.options = ktr_wakeup_options,
	.nr_options = ARRAY_SIZE(ktr_wakeup_options),
	.events = ktr_wakeup_events,
	.nr_events = ARRAY_SIZE(ktr_wakeup_events),
	.init = ktr_wakeup_init,
	.reset = ktr_wakeup_reset,
	.start = ktr_wakeup_start,
	.stop = ktr_wakeup_stop,
};

static struct ktr_tracer ktr_wakeup_rt_tracer = {
	.name = "wakeup_rt",
	.description = "wakeup latency of real-time and deadline tasks only ('ktr latency')",
	.owner = THIS_MODULE,
	.options = ktr_wakeup_options,
	.nr_options = ARRAY_SIZE(ktr_wakeup_options),
	.events = ktr_wakeup_rt_events,
	.nr_events = ARRAY_SIZE(ktr_wakeup_rt_events),
	.init = ktr_wakeup_rt_init,
	.reset = ktr_wakeup_rt_reset,
	.start = ktr_wakeup_rt_start,
	.stop = ktr_wakeup_rt_stop,
};

/* One CPU's counters, consistently (invariant 2). */
static void ktr_wk_copy_counts(const struct ktr_wk_cpu *c,
			       struct ktr_wk_counts *out)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&c->seq);
		memcpy(out, &c->n, sizeof(*out));
	} while (read_seqcount_retry(&c->seq, seq));
}

/**
 * ktr_wakeup_read - the data of the latency tracer set last
 * @r: out.
 *
 * Context: process; takes ktr_wk_lock and each CPU's sequence count.
 * Return: 0, or -ENODATA when no latency tracer was set since load.
 */
int ktr_wakeup_read(struct ktr_lat_report *r)
{
	struct ktr_wk_counts n;
	struct ktr_wk_state *s;
	unsigned long flags;
	unsigned int i;
	int cpu;

	memset(r, 0, sizeof(*r));
	mutex_lock(&ktr_wk_lock);
	s = ktr_wk_latest;
	if (!s || !s->cpus) {
		mutex_unlock(&ktr_wk_lock);
		return -ENODATA;
	}
	r->tracer = s->tracer->name;
	r->generation = ktr_wk_generation;
	r->threshold = s->threshold;
	for_each_possible_cpu(cpu) {
		ktr_wk_copy_counts(per_cpu_ptr(s->cpus, cpu), &n);
		r->count += n.count;
		r->sum += n.sum;
		r->lost += n.lost;
		for (i = 0; i < KTR_LAT_BUCKETS; i++)
			r->buckets[i] += n.buckets[i];
	}
	raw_spin_lock_irqsave(&s->max_lock, flags);
	memcpy(&r->max, &s->max, sizeof(r->max));
	raw_spin_unlock_irqrestore(&s->max_lock, flags);
	mutex_unlock(&ktr_wk_lock);
	return 0;
}

/* The control plane's notice hook (NULL: none); see invariant 7. */
void ktr_wakeup_set_notify(ktr_lat_notify_fn fn)
{
	mutex_lock(&ktr_wk_lock);
	ktr_wk_notify = fn;
	mutex_unlock(&ktr_wk_lock);
}

int ktr_wakeup_tracers_init(void)
{
	static struct ktr_tracer *const tracers[] = {
		&ktr_wakeup_tracer, &ktr_wakeup_rt_tracer,
	};
	static struct ktr_tracer_event *const events[] = {
		ktr_wakeup_events, ktr_wakeup_rt_events,
	};
	unsigned int i;
	int ret;

	ktr_wk_check_types();
	for_each_kernel_tracepoint(ktr_wk_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(ktr_wk_states); i++) {
		struct ktr_wk_state *s = &ktr_wk_states[i];

		s->tracer = tracers[i];
		s->event = events[i];
		s->rt_only = i == 1;
		raw_spin_lock_init(&s->max_lock);
		s->irq_work = IRQ_WORK_INIT_HARD(ktr_wk_notice_irq);
		INIT_DELAYED_WORK(&s->notice, ktr_wk_notice_work);
	}
	ret = ktr_register_tracer(&ktr_wakeup_tracer);
	if (ret)
		return ret;
	ret = ktr_register_tracer(&ktr_wakeup_rt_tracer);
	if (ret)
		ktr_unregister_tracer(&ktr_wakeup_tracer);
	return ret;
}

/* Unload: stops and resets them if current (the registry's invariant 3). */
void ktr_wakeup_tracers_exit(void)
{
	unsigned int i;

	ktr_unregister_tracer(&ktr_wakeup_rt_tracer);
	ktr_unregister_tracer(&ktr_wakeup_tracer);
	mutex_lock(&ktr_wk_lock);
	ktr_wk_latest = NULL;
	for (i = 0; i < ARRAY_SIZE(ktr_wk_states); i++) {
		free_percpu(ktr_wk_states[i].cpus);
		ktr_wk_states[i].cpus = NULL;
	}
	mutex_unlock(&ktr_wk_lock);
}
