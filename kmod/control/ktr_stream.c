// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_stream.c - per-CPU streams of the trace buffer: mmap, get/put, poll.
 *
 * KTR_IOC_STREAM_OPEN on /dev/ktr gives one file per CPU (an anonymous
 * inode). Its mapping is one meta page followed by the CPU's sub-buffers,
 * read-only; the reader takes a sub-buffer out of the ring with
 * KTR_IOC_GET_SUBBUF, decodes it in place and gives it back with
 * KTR_IOC_PUT_SUBBUF. The protocol, for user space, is in uapi/ktr.h.
 *
 * Rules kept here:
 *  - one stream per CPU: a stream holds its CPU's reader pin of the trace
 *    session (ktr_trace_pin_reader()), since the ring buffer allows one
 *    reader per CPU ring and the pin keeps the buffer from being replaced;
 *  - st->lock serializes everything that reads the ring or writes the meta
 *    page (get, put, flush, read(), release). Waiting happens outside it;
 *  - no lost wakeup: a reader about to sleep (poll, a blocked GET or
 *    read()) arms the ring, then looks; the writer that next publishes a
 *    sealed sub-buffer calls ktr_stream_hook() once (see "Waking the
 *    reader" in ktr_rb.c), which only queues the stream's irq_work (a
 *    writer may be in NMI or hold the runqueue lock); the irq_work wakes
 *    the waiters if the stream is readable, else arms again. Nothing ticks
 *    and nothing is paid per event; a flush wakes at once;
 *  - a writer on a dying CPU past its last irq_work run does not queue
 *    (ktr_irq_work.h: the work would stay pending, and every later wakeup
 *    with it); once the CPU is dead, a hotplug callback on another CPU
 *    wakes that CPU's stream (ktr_streams[] names it, under
 *    ktr_streams_lock);
 *  - the hook's argument is the stream: release clears the hook (which
 *    waits for writers in it) and waits for the irq_work before the stream
 *    goes away;
 *  - the stream file holds the module (fops owner), and every mapping holds
 *    the file, so the buffer outlives every reader and every mapping.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "ktr.h"
#include "ktr_compat.h"
#include "ktr_control.h"
#include "ktr_irq_work.h"
#include "tracer/ktr_trace.h"
#include "ringbuf/ktr_rb.h"

/**
 * struct ktr_stream - one open stream
 * @rb: the buffer read.
 * @cpu: its CPU.
 * @watermark: ready sub-buffers that make poll() readable.
 * @lock: serializes get, put, flush, read() and meta page updates.
 * @held: the sub-buffer id the reader holds, or KTR_STREAM_NONE.
 * @held_hdr: its header.
 * @held_by_read: read() took it and could not copy it out (-EFAULT): the
 *	next read() copies it first instead of losing it.
 * @flush_end: sequence number after the last sub-buffer the last flush
 *	sealed: until the reader has taken those, poll() says readable as
 *	soon as one is ready (a flush may interrupt a writer, which publishes
 *	the sealed sub-buffer only when it commits).
 * @wq: pollers and blocked GET/read() callers.
 * @wake_work: queued by the ring's writers (ktr_stream_hook()), wakes @wq.
 * @meta: the meta page (mapped read-only at offset 0).
 * @flush_ts: see struct ktr_stream_meta.
 */
struct ktr_stream;

/* The open stream of each CPU (at most one: the reader pin), for hotplug. */
static DEFINE_MUTEX(ktr_streams_lock);
static struct ktr_stream **ktr_streams;
static enum cpuhp_state ktr_stream_cpuhp;

struct ktr_stream {
	struct ktr_rb *rb;
	unsigned int cpu;
	u32 watermark;
	struct mutex lock;	/* get, put, flush, read(), meta page */
	u32 held;
	const struct ktr_rb_subbuf_hdr *held_hdr;
	bool held_by_read;
	u64 flush_end;
	wait_queue_head_t wq;
	struct irq_work wake_work;
	struct ktr_stream_meta *meta;
	u64 flush_ts;
};

static bool ktr_stream_readable(struct ktr_stream *st)
{
	struct ktr_rb_positions pos;

	if (ktr_rb_get_positions(st->rb, st->cpu, &pos))
		return false;
	return pos.ready >= st->watermark ||
	       (pos.ready && pos.consumed < READ_ONCE(st->flush_end));
}

/*
 * Before sleeping: look; if there is nothing, ask the writers for a
 * wakeup and look again. Either the second look sees a sub-buffer
 * published before the arming, or the hook runs for the next one.
 * Readable streams do not arm: no wakeups while nobody would sleep.
 */
static bool ktr_stream_arm_and_look(struct ktr_stream *st)
{
	if (ktr_stream_readable(st))
		return true;
	ktr_rb_arm_wakeup(st->rb, st->cpu);
	return ktr_stream_readable(st);
}

/*
 * A writer's hook: any context, NMI included. notrace: no feedback. On a
 * CPU past its last irq_work run, ktr_stream_cpu_dead() wakes instead.
 */
static notrace void ktr_stream_hook(void *arg)
{
	struct ktr_stream *st = arg;

	ktr_irq_work_queue_here(&st->wake_work);
}

/* A CPU is dead (on another CPU, task context): wake its stream. */
static int ktr_stream_cpu_dead(unsigned int cpu)
{
	struct ktr_stream *st;

	mutex_lock(&ktr_streams_lock);
	st = ktr_streams[cpu];
	/* As the irq_work would have: the skipped writer used the arming. */
	if (st && wq_has_sleeper(&st->wq) && ktr_stream_arm_and_look(st))
		wake_up_interruptible_poll(&st->wq, EPOLLIN | EPOLLRDNORM);
	mutex_unlock(&ktr_streams_lock);
	return 0;
}

/* Hard interrupt context. */
static void ktr_stream_wake_work(struct irq_work *work)
{
	struct ktr_stream *st = container_of(work, struct ktr_stream,
					     wake_work);

	if (!wq_has_sleeper(&st->wq))
		return;
	/* Below the watermark: wait for the next sub-buffer. */
	if (ktr_stream_arm_and_look(st))
		wake_up_interruptible_poll(&st->wq, EPOLLIN | EPOLLRDNORM);
}

/* Called with st->lock held. */
static void ktr_stream_update_meta(struct ktr_stream *st)
{
	struct ktr_stream_meta *m = st->meta;
	struct ktr_rb_positions pos;

	WRITE_ONCE(m->update_seq, m->update_seq + 1);
	smp_wmb();	/* pairs with the reader's read barrier */
	if (!ktr_rb_get_positions(st->rb, st->cpu, &pos)) {
		m->consumed = pos.consumed;
		m->produced = pos.produced;
		m->ready = pos.ready;
	}
	m->held_id = st->held;
	m->flush_ts = st->flush_ts;
	m->flush_end = st->flush_end;
	ktr_rb_clock_map(st->rb, &m->clock_local_ns, &m->clock_mono_ns);
	ktr_rb_get_stats(st->rb, st->cpu, &m->stats);
	smp_wmb();	/* the fields before the closing update_seq */
	WRITE_ONCE(m->update_seq, m->update_seq + 1);
}

/* Called with st->lock held. */
static int ktr_stream_get_locked(struct ktr_stream *st,
				 struct ktr_rb_read *rd)
{
	int ret;

	if (st->held != KTR_STREAM_NONE)
		return -EBUSY;
	ret = ktr_rb_get_subbuf(st->rb, st->cpu, rd);
	if (ret)
		return ret;
	st->held = rd->id;
	st->held_hdr = rd->hdr;
	ktr_stream_update_meta(st);
	return 0;
}

/* Called with st->lock held. */
static int ktr_stream_put_locked(struct ktr_stream *st)
{
	int ret;

	if (st->held == KTR_STREAM_NONE)
		return -EINVAL;
	ret = ktr_rb_put_subbuf(st->rb, st->cpu);
	st->held = KTR_STREAM_NONE;
	st->held_hdr = NULL;
	st->held_by_read = false;
	ktr_stream_update_meta(st);
	return ret;
}

/*
 * After a get found nothing (-ENODATA) or a writer recycling the oldest
 * sub-buffer (-EAGAIN, lasts a moment): wait, unless non-blocking.
 */
static int ktr_stream_wait(struct ktr_stream *st, bool nonblock, int why)
{
	/*
	 * Found nothing: arm even when not waiting here. An edge-triggered
	 * epoll user drains with non-blocking calls and sleeps in epoll_wait(),
	 * which does not poll again: the next sub-buffer must wake it.
	 */
	if (why == -ENODATA)
		ktr_rb_arm_wakeup(st->rb, st->cpu);
	if (nonblock)
		return -EAGAIN;
	if (why == -EAGAIN) {
		schedule_timeout_interruptible(1);
		return signal_pending(current) ? -ERESTARTSYS : 0;
	}
	/* Woken by the writer that publishes a sub-buffer, or by a flush. */
	return wait_event_interruptible(st->wq, ktr_stream_arm_and_look(st));
}

static int ktr_stream_ioc_get(struct ktr_stream *st, struct file *file,
			      struct ktr_stream_subbuf __user *uarg)
{
	struct ktr_stream_subbuf a;
	struct ktr_rb_read rd;
	bool nonblock;
	u32 usize;
	int ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	ret = ktr_copy_struct_in(&a, sizeof(a), KTR_STREAM_SUBBUF_SIZE_VER0,
				 uarg, usize);
	if (ret)
		return ret;
	if (a.flags & ~KTR_GET_NONBLOCK)
		return -EINVAL;
	nonblock = (a.flags & KTR_GET_NONBLOCK) || (file->f_flags & O_NONBLOCK);

	for (;;) {
		if (mutex_lock_killable(&st->lock))
			return -EINTR;
		ret = ktr_stream_get_locked(st, &rd);
		if (!ret)
			a.seq = rd.hdr->seq;	/* under the lock: still ours */
		mutex_unlock(&st->lock);
		if (ret != -ENODATA && ret != -EAGAIN)
			break;
		ret = ktr_stream_wait(st, nonblock, ret);
		if (ret)
			return ret;
	}
	if (ret)
		return ret;

	a.size = sizeof(a);
	a.id = rd.id;
	a.reserved = 0;
	a.offset = st->meta->data_offset +
		   (u64)rd.id * ktr_rb_subbuf_size(st->rb);
	/* An older caller knows a shorter struct. On -EFAULT the sub-buffer
	 * stays held: PUT gives it back.
	 */
	if (copy_to_user(uarg, &a, min_t(size_t, usize, sizeof(a))))
		return -EFAULT;
	return 0;
}

struct ktr_stream_flush_call {
	struct ktr_rb *rb;
	struct ktr_rb_flushed f;
	int ret;
};

/* On the stream's CPU (an IPI): the clock read is that CPU's. */
static void ktr_stream_flush_here(void *arg)
{
	struct ktr_stream_flush_call *call = arg;

	call->ret = ktr_rb_flush_here(call->rb, &call->f);
}

static int ktr_stream_ioc_flush(struct ktr_stream *st)
{
	struct ktr_stream_flush_call call = { .rb = st->rb };
	int ret;

	if (mutex_lock_killable(&st->lock))
		return -EINTR;
	cpus_read_lock();
	if (cpu_online(st->cpu)) {
		ret = smp_call_function_single(st->cpu, ktr_stream_flush_here,
					       &call, 1);
	} else {
		call.ret = ktr_rb_flush_offline(st->rb, st->cpu, &call.f);
		ret = 0;
	}
	cpus_read_unlock();
	if (!ret)
		ret = call.ret;
	if (!ret) {
		st->flush_ts = call.f.ts;
		WRITE_ONCE(st->flush_end, call.f.sealed_end);
		ktr_stream_update_meta(st);
	}
	mutex_unlock(&st->lock);
	if (!ret)
		wake_up_interruptible_poll(&st->wq, EPOLLIN | EPOLLRDNORM);
	return ret;
}

static long ktr_stream_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct ktr_stream *st = file->private_data;
	int ret;

	/* The size in the number may grow with the struct: match type + nr. */
	if (_IOC_TYPE(cmd) != KTR_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(KTR_IOC_GET_SUBBUF):
		return ktr_stream_ioc_get(st, file, (void __user *)arg);
	case _IOC_NR(KTR_IOC_PUT_SUBBUF):
		if (mutex_lock_killable(&st->lock))
			return -EINTR;
		ret = ktr_stream_put_locked(st);
		mutex_unlock(&st->lock);
		return ret;
	case _IOC_NR(KTR_IOC_FLUSH):
		return ktr_stream_ioc_flush(st);
	default:
		return -ENOTTY;
	}
}

/*
 * The copying fallback: whole sub-buffers, as many as fit. A sub-buffer
 * that could not be copied out (-EFAULT) stays held and goes first next
 * time: read() never loses events.
 */
static ssize_t ktr_stream_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct ktr_stream *st = file->private_data;
	size_t size = ktr_rb_subbuf_size(st->rb);
	bool nonblock = file->f_flags & O_NONBLOCK;
	struct ktr_rb_read rd;
	size_t done = 0;
	int ret = 0;

	if (count < size)
		return -EINVAL;
	while (count - done >= size) {
		if (mutex_lock_killable(&st->lock)) {
			ret = -EINTR;
			break;
		}
		if (st->held_by_read) {
			rd.hdr = st->held_hdr;
			ret = 0;
		} else {
			ret = ktr_stream_get_locked(st, &rd);
		}
		if (!ret) {
			if (copy_to_user(buf + done, rd.hdr, size)) {
				st->held_by_read = true;
				ret = -EFAULT;
			} else {
				ktr_stream_put_locked(st);
			}
		}
		mutex_unlock(&st->lock);
		if (!ret) {
			done += size;
			continue;
		}
		if (done || (ret != -ENODATA && ret != -EAGAIN))
			break;
		ret = ktr_stream_wait(st, nonblock, ret);
		if (ret)
			break;
	}
	return done ? done : ret;
}

static __poll_t ktr_stream_poll(struct file *file, poll_table *wait)
{
	struct ktr_stream *st = file->private_data;

	poll_wait(file, &st->wq, wait);
	return ktr_stream_arm_and_look(st) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int ktr_stream_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ktr_stream *st = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long addr = vma->vm_start;
	size_t off, area_size;
	u8 *area;
	int ret;

	if (vma->vm_pgoff)
		return -EINVAL;
	/* The fd is read-only: mmap() keeps VM_MAYSHARE, drops VM_SHARED. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EPERM;
	if (len != PAGE_SIZE && len != st->meta->mmap_size)
		return -EINVAL;
	area = ktr_rb_area(st->rb, st->cpu, &area_size);
	if (!area)
		return -EINVAL;

	ktr_vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
	/* Not inherited by fork(): a child would pin the stream and module. */
	ktr_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY |
			 VM_MIXEDMAP);

	ret = vm_insert_page(vma, addr, virt_to_page(st->meta));
	addr += PAGE_SIZE;
	/* vmalloc memory: insert it page by page. */
	for (off = 0; !ret && addr < vma->vm_end; off += PAGE_SIZE) {
		ret = vm_insert_page(vma, addr, vmalloc_to_page(area + off));
		addr += PAGE_SIZE;
		cond_resched();
	}
	return ret;
}

/* Name @st as @cpu's open stream (NULL: none), for the hotplug callback. */
static void ktr_streams_set(unsigned int cpu, struct ktr_stream *st)
{
	mutex_lock(&ktr_streams_lock);
	ktr_streams[cpu] = st;
	mutex_unlock(&ktr_streams_lock);
}

/*
 * Out of the table, no writer calls the hook and the irq_work is idle
 * when this returns: nothing but the caller uses @st any more.
 */
static void ktr_stream_detach(struct ktr_stream *st)
{
	ktr_streams_set(st->cpu, NULL);
	ktr_rb_set_wakeup(st->rb, st->cpu, NULL, NULL);
	irq_work_sync(&st->wake_work);
}

static int ktr_stream_release(struct inode *inode, struct file *file)
{
	struct ktr_stream *st = file->private_data;

	ktr_stream_detach(st);
	mutex_lock(&st->lock);
	if (st->held != KTR_STREAM_NONE)
		ktr_stream_put_locked(st);
	mutex_unlock(&st->lock);
	/* Release: the ring's reader state above is visible to the next. */
	ktr_trace_unpin_reader(st->cpu);
	/* Mappings keep their own reference to the page. */
	free_page((unsigned long)st->meta);
	mutex_destroy(&st->lock);
	kfree(st);
	return 0;
}

static const struct file_operations ktr_stream_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= ktr_stream_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.read		= ktr_stream_read,
	.poll		= ktr_stream_poll,
	.mmap		= ktr_stream_mmap,
	.release	= ktr_stream_release,
	.llseek		= noop_llseek,
};

static void ktr_stream_init_meta(struct ktr_stream *st)
{
	struct ktr_stream_meta *m = st->meta;
	size_t area_size = 0;

	ktr_rb_area(st->rb, st->cpu, &area_size);
	m->size = sizeof(*m);
	m->abi_major = KTR_ABI_MAJOR;
	m->abi_minor = KTR_ABI_MINOR;
	m->cpu = st->cpu;
	m->mode = ktr_rb_mode(st->rb);
	m->subbuf_size = ktr_rb_subbuf_size(st->rb);
	m->nr_subbufs = ktr_rb_nr_subbufs(st->rb);
	m->nr_data_subbufs = m->nr_subbufs + 1;
	m->data_offset = PAGE_SIZE;
	m->mmap_size = PAGE_SIZE + area_size;
	m->watermark = st->watermark;
	ktr_stream_update_meta(st);
}

/**
 * ktr_stream_open - KTR_IOC_STREAM_OPEN: a new stream file for one CPU
 * @uarg: struct ktr_stream_open from user space.
 *
 * The stream reads the trace buffer current when it takes its CPU's
 * reader pin, which keeps that buffer from being replaced.
 *
 * Return: the new file descriptor, or a negative errno.
 */
int ktr_stream_open(struct ktr_stream_open __user *uarg)
{
	struct ktr_stream_open o;
	struct ktr_stream *st;
	struct ktr_rb *rb;
	u32 usize;
	int ret;

	BUILD_BUG_ON(sizeof(struct ktr_stream_meta) > PAGE_SIZE);
	if (get_user(usize, &uarg->size))
		return -EFAULT;
	ret = ktr_copy_struct_in(&o, sizeof(o), KTR_STREAM_OPEN_SIZE_VER0,
				 uarg, usize);
	if (ret)
		return ret;
	/* A full ring in overwrite mode has one sub-buffer open: N - 1. */
	if (o.flags || o.cpu >= nr_cpu_ids || !cpu_possible(o.cpu))
		return -EINVAL;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	st->meta = (void *)get_zeroed_page(GFP_KERNEL);
	if (!st->meta) {
		kfree(st);
		return -ENOMEM;
	}
	st->cpu = o.cpu;
	st->watermark = o.watermark ? o.watermark : 1;
	st->held = KTR_STREAM_NONE;
	mutex_init(&st->lock);
	init_waitqueue_head(&st->wq);
	init_irq_work(&st->wake_work, ktr_stream_wake_work);

	rb = ktr_trace_pin_reader(o.cpu);
	if (IS_ERR(rb)) {
		ret = PTR_ERR(rb);
		goto err;
	}
	if (o.watermark >= ktr_rb_nr_subbufs(rb)) {
		ret = -EINVAL;
		goto err_slot;
	}
	st->rb = rb;
	mutex_lock(&st->lock);
	ktr_stream_init_meta(st);
	mutex_unlock(&st->lock);
	ret = ktr_rb_set_wakeup(rb, st->cpu, ktr_stream_hook, st);
	if (ret)
		goto err_slot;
	/* The reader pin makes this CPU's slot ours. */
	ktr_streams_set(st->cpu, st);

	ret = anon_inode_getfd("[ktr_stream]", &ktr_stream_fops, st,
			       O_RDONLY | O_CLOEXEC);
	if (ret >= 0)
		return ret;
	ktr_stream_detach(st);
err_slot:
	ktr_trace_unpin_reader(o.cpu);
err:
	free_page((unsigned long)st->meta);
	mutex_destroy(&st->lock);
	kfree(st);
	return ret;
}

/* Module load: the stream table and the hotplug callback. */
int ktr_stream_init(void)
{
	int ret;

	ktr_streams = kcalloc(nr_cpu_ids, sizeof(*ktr_streams), GFP_KERNEL);
	if (!ktr_streams)
		return -ENOMEM;
	/* A PREPARE state's teardown runs on a live CPU once the CPU is dead. */
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "ktr/stream:dead",
					NULL, ktr_stream_cpu_dead);
	if (ret < 0) {
		kfree(ktr_streams);
		ktr_streams = NULL;
		return ret;
	}
	ktr_stream_cpuhp = ret;
	return 0;
}

/* Module unload: no stream is open (each holds the module). */
void ktr_stream_exit(void)
{
	cpuhp_remove_state_nocalls(ktr_stream_cpuhp);
	kfree(ktr_streams);
	ktr_streams = NULL;
}
