/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_compat.h - what the ring buffer core needs from its environment.
 *
 * ktr_rb.c compiles unchanged into ktr.ko and into a host static library
 * (userspace/ringbuf-host). Everything it uses beyond plain C comes from
 * here: in the kernel, the real thing; on the host, the same names over
 * C11 atomics (ktr_rb_host_compat.h), with "this CPU" being a number the
 * calling thread chose, a clock a test can drive, and a hook at every
 * labelled step (enum ktr_rb_step) that lets a test play interrupt.
 *
 *   kernel                               host
 *   local_t, local_*()                   relaxed atomics: one thread per CPU
 *   atomic_long_t (reader <-> writers)   seq_cst / acquire / release atomics
 *   barrier()                            atomic_signal_fence()
 *   smp_load_acquire/smp_store_release   __atomic acquire / release
 *   local_clock()                        test clock or CLOCK_MONOTONIC
 *   raw_smp_processor_id()               thread's chosen CPU number
 *   preempt_disable_notrace()            nothing (a thread is a CPU)
 *   kvzalloc_node(), pages + vmap()      aligned_alloc() + memset()
 *   si_mem_available()                   a number a test sets (unlimited)
 *   set/clear_current_oom_origin()       nothing
 *   ktr_rb_step()                        nothing / the test hook
 */
#ifndef _KTR_RB_COMPAT_H
#define _KTR_RB_COMPAT_H

#ifdef __KERNEL__

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/types.h>
#include <linux/vmalloc.h>
#include <asm/local.h>

/*
 * The clock of the write path: local_clock() is sched_clock() per CPU,
 * monotonic on each CPU, NMI-safe and a few ns to read, even where the TSC
 * is unstable and the clocksource is slow (HPET under TCG).
 */
static inline u64 ktr_rb_clock(void)
{
	return local_clock();
}

/* CLOCK_MONOTONIC, only to map local_clock() to it (never on the write path). */
static inline u64 ktr_rb_mono_clock(void)
{
	return ktime_get_ns();
}

/* Writers run with preemption disabled: this CPU cannot change under them. */
static inline unsigned int ktr_rb_this_cpu(void)
{
	return raw_smp_processor_id();
}

#define ktr_rb_preempt_disable()	preempt_disable_notrace()
#define ktr_rb_preempt_enable()		preempt_enable_notrace()

/* The reader keeps its claim on a sub-buffer short: no preemption inside. */
#define ktr_rb_reader_enter()		preempt_disable()
#define ktr_rb_reader_exit()		preempt_enable()

#define ktr_rb_nr_cpu_ids()		nr_cpu_ids
#define ktr_rb_for_each_cpu(cpu)	for_each_possible_cpu(cpu)

/*
 * A buffer may be large (up to 256 MiB per possible CPU) and is allocated
 * while the old one still exists: when memory runs short, fail instead of
 * setting off the OOM killer (as ftrace's ring buffer does).
 */
#define KTR_RB_GFP	(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Bytes the kernel could give without swapping (ktr_rb_memory_check()). */
static inline u64 ktr_rb_memory_available(void)
{
	return (u64)si_mem_available() << PAGE_SHIFT;
}

/*
 * Around the allocations of ktr_rb_create(): should another allocation
 * set off the OOM killer meanwhile, it picks the task allocating the
 * buffer first (whose allocation then fails: ktr_rb_area_alloc() stops at
 * a fatal signal), not an unrelated process.
 */
#define ktr_rb_alloc_begin()		set_current_oom_origin()
#define ktr_rb_alloc_end()		clear_current_oom_origin()

static inline void *ktr_rb_zalloc(size_t size, unsigned int cpu)
{
	return kvzalloc_node(size, KTR_RB_GFP, cpu_to_node(cpu));
}

static inline void ktr_rb_zfree(void *p)
{
	kvfree(p);
}

/* Sub-buffers: page aligned, so that they can be mapped to user space. */
static inline u32 ktr_rb_page_size(void)
{
	return PAGE_SIZE;
}

/*
 * @size bytes (whole pages) of zeroed pages of @cpu's node, mapped
 * contiguously: vzalloc_node() without the OOM killer (the exported
 * vmalloc functions take either a node or GFP flags, not both). vmap()
 * with VM_MAP_PUT_PAGES takes the pages and their array: vfree() frees
 * them all.
 */
static inline void *ktr_rb_area_alloc(size_t size, unsigned int cpu)
{
	unsigned long i, n = size >> PAGE_SHIFT;
	struct page **pages;
	void *area;

	pages = kvmalloc_array(n, sizeof(*pages), KTR_RB_GFP);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++) {
		if (fatal_signal_pending(current))
			goto fail;
		pages[i] = alloc_pages_node(cpu_to_node(cpu),
					    KTR_RB_GFP | __GFP_ZERO, 0);
		if (!pages[i])
			goto fail;
		cond_resched();
	}
	area = vmap(pages, n, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	if (area)
		return area;
fail:
	while (i--)
		__free_page(pages[i]);
	kvfree(pages);
	return NULL;
}

static inline void ktr_rb_area_free(void *p)
{
	vfree(p);
}

/* The published commit position: writer's release pairs with reader's acquire. */
#define ktr_rb_load_acquire(p)		smp_load_acquire(p)
/* See ktr_rb_load_acquire(). */
#define ktr_rb_store_release(p, v)	smp_store_release(p, v)

/* Store-load ordering: the reader's wakeup handshake (see ktr_rb.c). */
#define ktr_rb_full_barrier()		smp_mb()
/* Waiting for a writer to leave the reader's hook. */
#define ktr_rb_cpu_relax()		cpu_relax()

/* Labelled steps are for the host tests only. */
#define ktr_rb_step(cb, step)		do { } while (0)

/* How many drops the tail word counts before the overflow counter takes over. */
static inline u64 ktr_rb_drops_limit(u64 max)
{
	return max;
}

static inline void ktr_rb_warn(const char *what)
{
	WARN_ONCE(1, pr_fmt("broken invariant: %s\n"), what);
}

#else /* !__KERNEL__ */

#include "ktr_rb_host_compat.h"

#endif /* __KERNEL__ */

#endif /* _KTR_RB_COMPAT_H */
