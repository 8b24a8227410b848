// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_trace.c - the trace buffer: the ring buffer every ktr event goes to.
 *
 * One buffer, created at load with the geometry and mode of the module
 * parameters and freed at unload. Streams (ktr_stream.c) read it; events
 * are written into it. For now the only event source is the marker: a
 * write() to /dev/ktr (uapi/ktr_event.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ktr.h"
#include "ktr_event.h"
#include "ktr_internal.h"
#include "ringbuf/ktr_rb.h"

static struct ktr_rb *ktr_trace_buf;

/**
 * ktr_trace_rb - the trace buffer
 *
 * Valid from ktr_trace_init() to ktr_trace_exit(), that is, for as long as
 * anything can call into the module.
 */
struct ktr_rb *ktr_trace_rb(void)
{
	return ktr_trace_buf;
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
	ktr_trace_buf = rb;
	return 0;
}

void ktr_trace_exit(void)
{
	/* Writers still in flight finish before the memory goes. */
	ktr_rb_set_enabled(ktr_trace_buf, false);
	synchronize_rcu();
	ktr_rb_free(ktr_trace_buf);
	ktr_trace_buf = NULL;
}

/* Markers up to this size (header included) are built on the stack. */
#define KTR_MARKER_STACK	256

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
	m->common.id = KTR_EVENT_MARKER;
	m->common.flags = 0;
	m->common.pid = task_pid_nr(current);
	m->tgid = task_tgid_nr(current);
	get_task_comm(m->comm, current);

	ret = ktr_rb_write(ktr_trace_buf, m, size);
out:
	if ((void *)m != (void *)stack)
		kfree(m);
	return ret ? ret : len;
}
