// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_trace.c - the trace buffer: the ring buffer every ktr event goes to.
 *
 * One buffer, created at load with the geometry and mode of the module
 * parameters and freed at unload; KTR_CMD_SET_BUFFER and KTR_CMD_RESET
 * replace it (RCU) while no stream reads it. START/STOP switch it on and
 * off. Streams (ktr_stream.c) read it; events
 * are written into it. For now the only event source is the marker: a
 * write() to /dev/ktr (uapi/ktr_event.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_event.h"
#include "ktr_internal.h"
#include "probes/ktr_events.h"
#include "probes/ktr_filter.h"
#include "ringbuf/ktr_rb.h"

/*
 * The buffer probes and markers write to. Replaced (SET_BUFFER, RESET)
 * only under ktr_trace_lock, while every stream slot is blocked, with
 * rcu_assign_pointer(); the old buffer is freed after a grace period.
 */
static struct ktr_rb __rcu *ktr_trace_buf;

/* Serializes START/STOP/RESET/SET_BUFFER and readers of the whole state. */
static DEFINE_MUTEX(ktr_trace_lock);

/* Tracing on (the buffer accepts events) or stopped; under the lock. */
static bool ktr_tracing_on = true;

/**
 * ktr_trace_rb - the trace buffer
 *
 * Context: probe context (preemption disabled: a tracepoint probe, or
 * within ktr_rb_reserve()..commit()), rcu_read_lock(), or ktr_trace_lock
 * held. The buffer stays valid until that section ends: a replacement
 * frees the old buffer only after synchronize_rcu(), which waits for
 * every preemption-disabled and RCU read-side section. A stream holds
 * its CPU's slot (ktr_streams_block()), which keeps the buffer it opened
 * from being replaced for as long as the stream lives.
 */
struct ktr_rb *ktr_trace_rb(void)
{
	return rcu_dereference_check(ktr_trace_buf,
				     rcu_read_lock_any_held() ||
				     lockdep_is_held(&ktr_trace_lock));
}

static struct ktr_rb *ktr_trace_rb_locked(void)
{
	return rcu_dereference_protected(ktr_trace_buf,
					 lockdep_is_held(&ktr_trace_lock));
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
	ktr_tracing_on = true;
	rcu_assign_pointer(ktr_trace_buf, rb);
	return 0;
}

void ktr_trace_exit(void)
{
	struct ktr_rb *rb;

	mutex_lock(&ktr_trace_lock);
	rb = ktr_trace_rb_locked();
	/* Writers still in flight finish before the memory goes. */
	ktr_rb_set_enabled(rb, false);
	RCU_INIT_POINTER(ktr_trace_buf, NULL);
	mutex_unlock(&ktr_trace_lock);
	synchronize_rcu();
	ktr_rb_free(rb);
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
	st->geo.subbuf_size = ktr_rb_subbuf_size(rb);
	st->geo.nr_subbufs = ktr_rb_nr_subbufs(rb);
	st->geo.mode = ktr_rb_mode(rb);
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

/*
 * Put @rb in place of the current buffer and free that one. Called with
 * ktr_trace_lock held and every stream slot blocked.
 */
static void ktr_trace_install(struct ktr_rb *rb)
{
	struct ktr_rb *old = ktr_trace_rb_locked();

	ktr_rb_set_enabled(rb, ktr_tracing_on);
	rcu_assign_pointer(ktr_trace_buf, rb);
	/* Probes and markers that fetched @old are done after this. */
	synchronize_rcu();
	ktr_rb_free(old);
}

/* Keep streams from opening, or say why not (under ktr_trace_lock). */
static int ktr_trace_block_streams(struct netlink_ext_ack *extack)
{
	int ret = ktr_streams_block();

	if (ret)
		NL_SET_ERR_MSG_MOD(extack,
				   "a stream of the trace buffer is open or mapped: stop its reader (ktr-read) first");
	return ret;
}

/**
 * ktr_trace_reconfigure - replace the trace buffer (SET_BUFFER, RESET)
 * @geo: geometry and mode of the new buffer (already validated).
 * @extack: for the error message.
 *
 * Refused while a stream is open or mapped: a reader holds pages of the
 * buffer. Stream opens are refused (-EBUSY) for the short time the slots
 * are blocked.
 *
 * Context: task (sleeps).
 * Return: 0, -EBUSY or -ENOMEM; on error nothing changed.
 */
int ktr_trace_reconfigure(const struct ktr_geometry *geo,
			  struct netlink_ext_ack *extack)
{
	struct ktr_rb *rb;
	int ret;

	mutex_lock(&ktr_trace_lock);
	ret = ktr_trace_block_streams(extack);
	if (ret)
		goto out;
	rb = ktr_trace_create(geo);
	if (IS_ERR(rb)) {
		ret = PTR_ERR(rb);
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot allocate the new trace buffer");
	} else {
		ktr_trace_install(rb);
	}
	ktr_streams_unblock();
out:
	mutex_unlock(&ktr_trace_lock);
	return ret;
}

/**
 * ktr_trace_reset - empty the trace buffer, zero its counters, tracing on
 * @extack: for the error message.
 *
 * A fresh buffer of the same geometry and mode replaces the old one.
 *
 * Context: task (sleeps).
 * Return: 0, -EBUSY (a stream is open or mapped) or -ENOMEM; on error
 * nothing changed.
 */
int ktr_trace_reset(struct netlink_ext_ack *extack)
{
	struct ktr_geometry geo;
	struct ktr_rb *rb;
	int ret;

	mutex_lock(&ktr_trace_lock);
	ret = ktr_trace_block_streams(extack);
	if (ret)
		goto out;
	rb = ktr_trace_rb_locked();
	geo.subbuf_size = ktr_rb_subbuf_size(rb);
	geo.nr_subbufs = ktr_rb_nr_subbufs(rb);
	geo.mode = ktr_rb_mode(rb);
	/* Allocated first: a failure leaves everything as it was. */
	rb = ktr_trace_create(&geo);
	if (IS_ERR(rb)) {
		ret = PTR_ERR(rb);
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot allocate the new trace buffer");
		goto out_unblock;
	}
	/* Every event off; -ENOENT/-EOPNOTSUPP: none can be switched. */
	ktr_events_set("*", false, NULL);
	ktr_filter_clear();	/* task and event filters, stacks */
	ktr_tracing_on = true;
	ktr_trace_install(rb);
out_unblock:
	ktr_streams_unblock();
out:
	mutex_unlock(&ktr_trace_lock);
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
