// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_trace.c - the trace session: the ring buffer every ktr event goes
 * to, its readers, start/stop, reset and statistics.
 *
 * One buffer, created at load with the geometry and mode of the module
 * parameters and freed at unload; KTR_CMD_SET_BUFFER and KTR_CMD_RESET
 * replace it while no reader holds it. START/STOP switch it on and off.
 * The probes write into the buffer the session gives them
 * (ktr_probe_set_buffer()); markers are written here.
 *
 * Invariants:
 *  1. The buffer is replaced only under ktr_trace_lock, with every reader
 *     pin taken by the replacer (none held by a stream); the old buffer is
 *     freed only after a grace period, when no probe, marker or statistics
 *     reader can still use it.
 *  2. A stream holds its CPU's reader pin (ktr_trace_pin_reader()) for as
 *     long as it lives: the buffer it reads is never replaced under it.
 *  3. The probes and this file always point at the same buffer: both are
 *     switched before the grace period that frees the old one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_compat.h"
#include "ktr_event.h"
#include "ktr_trace.h"
#include "probes/ktr_events.h"
#include "probes/ktr_filter.h"
#include "probes/ktr_kprobe.h"
#include "probes/ktr_probe.h"
#include "ringbuf/ktr_rb.h"

/*
 * The buffer probes and markers write to. Replaced (SET_BUFFER, RESET)
 * only under ktr_trace_lock, while every reader pin is taken, with
 * rcu_assign_pointer(); the old buffer is freed after a grace period.
 */
static struct ktr_rb __rcu *ktr_trace_buf;

/* The geometry of the module parameters (RESET keeps the current one). */
static struct ktr_geometry ktr_trace_default_geo;

/* Reader pins: bit N is set while a stream of CPU N lives (invariant 2). */
static struct cpumask ktr_trace_readers;

/* Serializes START/STOP/RESET/SET_BUFFER and readers of the whole state. */
static DEFINE_MUTEX(ktr_trace_lock);

/* Tracing on (the buffer accepts events) or stopped; under the lock. */
static bool ktr_tracing_on = true;

static struct ktr_rb *ktr_trace_rb_locked(void)
{
	return rcu_dereference_protected(ktr_trace_buf,
					 lockdep_is_held(&ktr_trace_lock));
}

/* Point the session and the probes at @rb (invariant 3). */
static void ktr_trace_publish(struct ktr_rb *rb)
{
	rcu_assign_pointer(ktr_trace_buf, rb);
	ktr_probe_set_buffer(rb);
}

int ktr_trace_init(const struct ktr_geometry *geo)
{
	struct ktr_rb_config cfg = {
		.subbuf_size	= geo->subbuf_size,
		.nr_subbufs	= geo->nr_subbufs,
		.mode		= geo->mode,
	};
	struct ktr_rb *rb = ktr_rb_create(&cfg);

	if (IS_ERR(rb)) {
		pr_err("cannot allocate the trace buffer (%u x %u bytes per CPU): %ld\n",
		       geo->nr_subbufs, geo->subbuf_size, PTR_ERR(rb));
		return PTR_ERR(rb);
	}
	ktr_trace_default_geo = *geo;
	ktr_tracing_on = true;
	ktr_trace_publish(rb);
	return 0;
}

/* The geometry and mode of the module parameters. */
const struct ktr_geometry *ktr_trace_defaults(void)
{
	return &ktr_trace_default_geo;
}

void ktr_trace_exit(void)
{
	struct ktr_rb *rb;

	mutex_lock(&ktr_trace_lock);
	rb = ktr_trace_rb_locked();
	/* Writers still in flight finish before the memory goes. */
	ktr_rb_set_enabled(rb, false);
	ktr_trace_publish(NULL);
	mutex_unlock(&ktr_trace_lock);
	synchronize_rcu();
	ktr_rb_free(rb);
}

/* The geometry and mode of @rb. */
static void ktr_trace_geometry_of(struct ktr_rb *rb, struct ktr_geometry *geo)
{
	geo->subbuf_size = ktr_rb_subbuf_size(rb);
	geo->nr_subbufs = ktr_rb_nr_subbufs(rb);
	geo->mode = ktr_rb_mode(rb);
}

/**
 * ktr_trace_get_state - the trace buffer's geometry, mode and on/off state
 * @st: filled.
 */
void ktr_trace_get_state(struct ktr_trace_state *st)
{
	struct ktr_rb *rb;

	mutex_lock(&ktr_trace_lock);
	rb = ktr_trace_rb_locked();
	ktr_trace_geometry_of(rb, &st->geo);
	st->on = ktr_tracing_on;
	ktr_rb_clock_map(rb, &st->clock_local, &st->clock_mono);
	mutex_unlock(&ktr_trace_lock);
}

/**
 * ktr_trace_set_on - START (true) or STOP (false) tracing
 * @on: the new state.
 *
 * The buffer's own "disabled" flag is the switch: a stopped buffer
 * refuses every event at the start of a reservation (lost_disabled), so
 * probes pay nothing extra for it.
 *
 * Return: true when the state changed.
 */
bool ktr_trace_set_on(bool on)
{
	bool changed;

	mutex_lock(&ktr_trace_lock);
	changed = ktr_tracing_on != on;
	ktr_tracing_on = on;
	ktr_rb_set_enabled(ktr_trace_rb_locked(), on);
	mutex_unlock(&ktr_trace_lock);
	return changed;
}

static struct ktr_rb *ktr_trace_create(const struct ktr_geometry *geo)
{
	struct ktr_rb_config cfg = {
		.subbuf_size	= geo->subbuf_size,
		.nr_subbufs	= geo->nr_subbufs,
		.mode		= geo->mode,
	};

	return ktr_rb_create(&cfg);
}

/**
 * ktr_trace_check_memory - refuse a buffer that does not fit in memory
 * @geo: the geometry (checked).
 * @extack: for the message: how much it needs, how much is available.
 *
 * A buffer has a ring for every possible CPU and is allocated while the
 * old one still exists: what si_mem_available() cannot give is refused
 * here (ktr_rb_memory_check(), which ktr_rb_create() applies too) rather
 * than left to reclaim and the OOM killer. Before 6.2 the extack cannot
 * carry numbers: they go to the kernel log.
 *
 * Return: 0 or -ENOMEM.
 */
int ktr_trace_check_memory(const struct ktr_geometry *geo,
			   struct netlink_ext_ack *extack)
{
	struct ktr_rb_config cfg = {
		.subbuf_size	= geo->subbuf_size,
		.nr_subbufs	= geo->nr_subbufs,
		.mode		= geo->mode,
	};
	u64 needed, available;

	if (!ktr_rb_memory_check(&cfg, &needed, &available))
		return 0;
	needed = DIV_ROUND_UP_ULL(needed, SZ_1M);
	available >>= 20;
	KTR_ERR_MSG_FMT(extack,
			"not enough memory: the buffer (a ring for every possible CPU) needs more than is available (numbers in the kernel log)",
			"not enough memory: the buffer needs %llu MiB (%u possible CPUs), %llu MiB available",
			needed, num_possible_cpus(), available);
	pr_warn_ratelimited("buffer of %u x %u bytes refused: needs %llu MiB (%u possible CPUs), %llu MiB available\n",
			    geo->nr_subbufs, geo->subbuf_size, needed,
			    num_possible_cpus(), available);
	return -ENOMEM;
}

/*
 * Put @rb in place of the current buffer and free that one. Called with
 * ktr_trace_lock held and every stream slot blocked.
 */
static void ktr_trace_install(struct ktr_rb *rb)
{
	struct ktr_rb *old = ktr_trace_rb_locked();

	ktr_rb_set_enabled(rb, ktr_tracing_on);
	ktr_trace_publish(rb);
	/* Probes and markers that fetched @old are done after this. */
	synchronize_rcu();
	ktr_rb_free(old);
}

/**
 * ktr_trace_pin_reader - pin the trace buffer for a reader of CPU @cpu
 * @cpu: a possible CPU.
 *
 * Until ktr_trace_unpin_reader(@cpu), the buffer returned stays the trace
 * buffer (SET_BUFFER and RESET are refused with -EBUSY meanwhile).
 *
 * Return: the buffer, or ERR_PTR(-EBUSY) when CPU @cpu has a reader or
 * the buffer is being replaced.
 */
struct ktr_rb *ktr_trace_pin_reader(unsigned int cpu)
{
	struct ktr_rb *rb;

	/* Acquire: pairs with clear_bit_unlock() in unpin. */
	if (test_and_set_bit_lock(cpu, cpumask_bits(&ktr_trace_readers)))
		return ERR_PTR(-EBUSY);
	/* The pin is ours: the buffer cannot be replaced until unpin. */
	rcu_read_lock();
	rb = rcu_dereference(ktr_trace_buf);
	rcu_read_unlock();
	return rb;
}

/* Give back the pin of CPU @cpu; the reader's ring state is published. */
void ktr_trace_unpin_reader(unsigned int cpu)
{
	clear_bit_unlock(cpu, cpumask_bits(&ktr_trace_readers));
}

/* Take every reader pin, or none (under ktr_trace_lock; invariant 1). */
static int ktr_trace_block_readers(struct netlink_ext_ack *extack)
{
	unsigned int cpu, undo;

	lockdep_assert_held(&ktr_trace_lock);
	for_each_possible_cpu(cpu) {
		if (!test_and_set_bit_lock(cpu,
					   cpumask_bits(&ktr_trace_readers)))
			continue;
		for_each_possible_cpu(undo) {
			if (undo == cpu)
				break;
			clear_bit_unlock(undo,
					 cpumask_bits(&ktr_trace_readers));
		}
		NL_SET_ERR_MSG_MOD(extack,
				   "a stream of the trace buffer is open or mapped: stop its reader (ktr-read) first");
		return -EBUSY;
	}
	return 0;
}

static void ktr_trace_unblock_readers(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		clear_bit_unlock(cpu, cpumask_bits(&ktr_trace_readers));
}

/*
 * Replace the buffer by a new one: with the current geometry changed by
 * @chg (SET_BUFFER), or the same geometry with every event off and every
 * filter cleared (@chg NULL: RESET). The merge with the current geometry
 * and its check happen under ktr_trace_lock, so concurrent requests each
 * see the buffer the previous one left. The new buffer is allocated
 * before anything changes, so a failure leaves everything as it was.
 * Refused while a stream is open or mapped (a reader holds pages of the
 * buffer); stream opens are refused (-EBUSY) for the short time the pins
 * are taken. @result (if not NULL): the new
 * geometry; @geo_error (if not NULL): the enum ktr_rb_geometry_error of a
 * geometry refused with -EINVAL.
 */
static int ktr_trace_replace(const struct ktr_geometry_change *chg,
			     struct ktr_geometry *result, int *geo_error,
			     struct netlink_ext_ack *extack)
{
	enum ktr_rb_geometry_error why;
	struct ktr_geometry geo;
	struct ktr_rb *rb;
	int ret;

	mutex_lock(&ktr_trace_lock);
	ktr_trace_geometry_of(ktr_trace_rb_locked(), &geo);
	if (chg) {
		if (chg->has & KTR_GEO_HAS_SUBBUF_SIZE)
			geo.subbuf_size = chg->geo.subbuf_size;
		if (chg->has & KTR_GEO_HAS_NR_SUBBUFS)
			geo.nr_subbufs = chg->geo.nr_subbufs;
		if (chg->has & KTR_GEO_HAS_MODE)
			geo.mode = chg->geo.mode;
		why = ktr_rb_check_geometry(geo.subbuf_size, geo.nr_subbufs,
					    geo.mode,
					    KTR_BUFFER_BYTES_PER_CPU_MAX);
		if (why != KTR_RB_GEO_OK) {
			if (geo_error)
				*geo_error = why;
			ret = -EINVAL;
			goto out;
		}
	}
	ret = ktr_trace_check_memory(&geo, extack);
	if (ret)
		goto out;
	ret = ktr_trace_block_readers(extack);
	if (ret)
		goto out;
	rb = ktr_trace_create(&geo);
	if (IS_ERR(rb)) {
		ret = PTR_ERR(rb);
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot allocate the new trace buffer");
		goto out_unblock;
	}
	if (!chg) {
		/* Every event off; -ENOENT/-EOPNOTSUPP: none can be switched. */
		ktr_events_set("*", false, NULL);
		ktr_kprobes_del_all();
		ktr_filter_clear();	/* task and event filters, stacks */
		ktr_tracing_on = true;
	}
	ktr_trace_install(rb);
	if (result)
		*result = geo;
out_unblock:
	ktr_trace_unblock_readers();
out:
	mutex_unlock(&ktr_trace_lock);
	return ret;
}

/**
 * ktr_trace_reconfigure - replace the trace buffer (SET_BUFFER)
 * @chg: the fields to change; the others keep the current buffer's.
 * @result: the new buffer's geometry and mode, on success.
 * @geo_error: on -EINVAL, the enum ktr_rb_geometry_error of the merged
 *	geometry (the caller words it: it knows which attribute said what).
 * @extack: for the other error messages.
 *
 * Context: task (sleeps).
 * Return: 0, -EINVAL (geometry), -EBUSY (a stream is open or mapped) or
 * -ENOMEM; on error nothing changed.
 */
int ktr_trace_reconfigure(const struct ktr_geometry_change *chg,
			  struct ktr_geometry *result, int *geo_error,
			  struct netlink_ext_ack *extack)
{
	*geo_error = KTR_RB_GEO_OK;
	return ktr_trace_replace(chg, result, geo_error, extack);
}

/**
 * ktr_trace_reset - empty the trace buffer, zero its counters, tracing on
 * @extack: for the error message.
 *
 * A fresh buffer of the same geometry and mode replaces the old one; every
 * event is turned off and every filter cleared.
 *
 * Context: task (sleeps).
 * Return: 0, -EBUSY (a stream is open or mapped) or -ENOMEM; on error
 * nothing changed.
 */
int ktr_trace_reset(struct netlink_ext_ack *extack)
{
	return ktr_trace_replace(NULL, NULL, NULL, extack);
}

/**
 * ktr_trace_get_stats - the counters of CPU @cpu's ring
 * @cpu: a possible CPU.
 * @stats: filled.
 *
 * Return: 0, or -EINVAL for a CPU without a ring.
 */
int ktr_trace_get_stats(unsigned int cpu, struct ktr_rb_cpu_stats *stats)
{
	int ret;

	rcu_read_lock();	/* the buffer may be replaced */
	ret = ktr_rb_get_stats(rcu_dereference(ktr_trace_buf), cpu, stats);
	rcu_read_unlock();
	return ret;
}

/* Markers up to this size (header included) are built on the stack. */
#define KTR_MARKER_STACK	256

/*
 * Fill the common part of marker @m (its text is in place) and write it,
 * @size bytes in all, on the current CPU; @cpu (if not NULL) says which.
 */
static int ktr_trace_write_built(struct ktr_event_marker *m, size_t size,
				 unsigned int *cpu)
{
	int ret;

	m->common.id = KTR_EVENT_MARKER;
	m->common.flags = 0;
	m->common.pid = task_pid_nr(current);
	m->tgid = task_tgid_nr(current);
	get_task_comm(m->comm, current);

	/* The buffer may be replaced meanwhile: RCU keeps this one alive. */
	preempt_disable();
	if (cpu)
		*cpu = smp_processor_id();
	ret = ktr_rb_write(rcu_dereference_sched(ktr_trace_buf), m, size);
	preempt_enable();
	return ret;
}

/**
 * ktr_trace_write_marker - record a marker with text already in the kernel
 * @text: the text.
 * @len: its length, 1..KTR_MARKER_MAX.
 * @cpu: set to the CPU it was written on.
 *
 * Return: 0 or a negative errno (see uapi/ktr.h, "write(2)").
 */
int ktr_trace_write_marker(const void *text, size_t len, unsigned int *cpu)
{
	struct ktr_event_marker *m;
	size_t size;
	int ret;

	if (!len || len > KTR_MARKER_MAX)
		return -EINVAL;
	size = sizeof(*m) + len;
	m = kmalloc(size, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	memcpy(m + 1, text, len);
	ret = ktr_trace_write_built(m, size, cpu);
	kfree(m);
	return ret;
}

/**
 * ktr_trace_marker - record a marker event with text from user space
 * @ubuf: the text.
 * @len: its length, 1..KTR_MARKER_MAX.
 *
 * The text is copied in first (it may fault), on the stack when it is
 * short, else into a temporary allocation; the event is then written on
 * the CPU this task runs on at that moment.
 *
 * Return: @len, or a negative errno (see uapi/ktr.h, "write(2)").
 */
ssize_t ktr_trace_marker(const char __user *ubuf, size_t len)
{
	u8 stack[KTR_MARKER_STACK] __aligned(8);
	struct ktr_event_marker *m;
	size_t size;
	int ret;

	if (!len)
		return 0;
	if (len > KTR_MARKER_MAX)
		return -EINVAL;
	size = sizeof(*m) + len;
	m = size <= sizeof(stack) ? (void *)stack : kmalloc(size, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	/* The text follows the struct (uapi/ktr_event.h). */
	if (copy_from_user(m + 1, ubuf, len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = ktr_trace_write_built(m, size, NULL);
out:
	if ((void *)m != (void *)stack)
		kfree(m);
	return ret ? ret : len;
}
