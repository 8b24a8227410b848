/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_host_compat.h - the host half of kmod/ringbuf/ktr_rb_compat.h.
 *
 * Gives kmod/ringbuf/ktr_rb.c the kernel names it uses, in plain C11 with
 * GCC/Clang __atomic builtins, so that the very same source runs in a
 * user-space test:
 *
 *   - a thread plays one CPU (ktr_rb_host_set_cpu()); local_t is a relaxed
 *     atomic, which is what local_t is to the CPU that owns it, and lets
 *     ThreadSanitizer check the cross-CPU accesses;
 *   - atomic_long_t and acquire/release map to the same __atomic orders
 *     the kernel primitives guarantee (cmpxchg fully ordered);
 *   - barrier() is a compiler barrier (atomic_signal_fence), as in the
 *     kernel, where it orders a writer against interrupts on its own CPU;
 *   - the clock is the thread's test clock (or CLOCK_MONOTONIC);
 *   - ktr_rb_step() calls the thread's step hook, which may write to the
 *     buffer again: a re-entrant call is exactly what an interrupt is.
 *
 * Included by C only (ktr_rb.c and this library); C++ tests use
 * ktr_rb_host.h.
 */
#ifndef KTR_RB_HOST_COMPAT_H
#define KTR_RB_HOST_COMPAT_H

#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "ktr_rb_host_types.h"
#include "ktr_rb_host.h"

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "ktr"
#endif

#define EXPORT_SYMBOL_GPL(sym)		_Static_assert(1, #sym)
#define likely(x)			__builtin_expect(!!(x), 1)
#define unlikely(x)			__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline			inline __attribute__((always_inline))
#endif
#define noinline			__attribute__((noinline))
#define ____cacheline_aligned_in_smp	__attribute__((aligned(64)))
#define BIT(nr)				(1UL << (nr))

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define barrier()		__atomic_signal_fence(__ATOMIC_SEQ_CST)
#define ktr_rb_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ktr_rb_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
/*
 * smp_mb(): a seq_cst read-modify-write of one shared word, not a fence
 * (ThreadSanitizer does not model fences, and GCC refuses them under it):
 * two threads that both pass one are ordered by that word, which is the
 * store-then-load ordering the callers need.
 */
extern long ktr_rb_host_fence_word;
#define ktr_rb_full_barrier() \
	((void)__atomic_fetch_add(&ktr_rb_host_fence_word, 0, __ATOMIC_SEQ_CST))
#define ktr_rb_cpu_relax()		sched_yield()

/* local_t: touched by one "CPU" (thread) and read by others. */
typedef struct {
	long counter;
} local_t;

static inline long local_read(const local_t *l)
{
	return __atomic_load_n(&l->counter, __ATOMIC_RELAXED);
}

static inline void local_set(local_t *l, long v)
{
	__atomic_store_n(&l->counter, v, __ATOMIC_RELAXED);
}

static inline long local_add_return(long i, local_t *l)
{
	return __atomic_add_fetch(&l->counter, i, __ATOMIC_RELAXED);
}

static inline void local_add(long i, local_t *l)
{
	local_add_return(i, l);
}

static inline void local_inc(local_t *l)
{
	local_add_return(1, l);
}

static inline void local_dec(local_t *l)
{
	local_add_return(-1, l);
}

static inline long local_inc_return(local_t *l)
{
	return local_add_return(1, l);
}

static inline long local_dec_return(local_t *l)
{
	return local_add_return(-1, l);
}

static inline long local_cmpxchg(local_t *l, long old, long new)
{
	__atomic_compare_exchange_n(&l->counter, &old, new, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return old;
}

static inline long local_xchg(local_t *l, long v)
{
	return __atomic_exchange_n(&l->counter, v, __ATOMIC_RELAXED);
}

/* atomic_long_t: shared between CPUs (the reader and the writers). */
typedef struct {
	long counter;
} atomic_long_t;

static inline long atomic_long_read(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_long_set(atomic_long_t *v, long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline long atomic_long_read_acquire(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);
}

static inline void atomic_long_set_release(atomic_long_t *v, long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);
}

/* Fully ordered, like the kernel's atomic_long_cmpxchg(). */
static inline long atomic_long_cmpxchg(atomic_long_t *v, long old, long new)
{
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* Fully ordered, like the kernel's atomic_long_add_return(). */
static inline long atomic_long_add_return(long i, atomic_long_t *v)
{
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

/* Error pointers, as in <linux/err.h>. */
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-4095;
}

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* What ktr_rb.c asks of its environment (see ktr_rb_compat.h). */
#define ktr_rb_clock()			ktr_rb_host_clock()
#define ktr_rb_mono_clock()		ktr_rb_host_mono_clock()
#define ktr_rb_this_cpu()		ktr_rb_host_this_cpu()
#define ktr_rb_preempt_disable()	do { } while (0)
#define ktr_rb_preempt_enable()		do { } while (0)
#define ktr_rb_reader_enter()		do { } while (0)
#define ktr_rb_reader_exit()		do { } while (0)
#define ktr_rb_nr_cpu_ids()		ktr_rb_host_nr_cpus()
#define ktr_rb_for_each_cpu(cpu) \
	for ((cpu) = 0; (cpu) < ktr_rb_host_nr_cpus(); (cpu)++)
#define ktr_rb_zalloc(size, cpu)	ktr_rb_host_zalloc((size), 64)
#define ktr_rb_zfree(p)			ktr_rb_host_free(p)
#define ktr_rb_page_size()		4096U
#define ktr_rb_area_alloc(size, cpu)	ktr_rb_host_zalloc((size), 4096)
#define ktr_rb_area_free(p)		ktr_rb_host_free(p)
#define ktr_rb_memory_available()	ktr_rb_host_memory_available()
#define ktr_rb_alloc_begin()		do { } while (0)
#define ktr_rb_alloc_end()		do { } while (0)
#ifdef KTR_RB_HOST_NO_STEPS	/* as in the kernel: e.g. to count instructions */
#define ktr_rb_step(cb, step)		do { } while (0)
#else
#define ktr_rb_step(cb, step)		ktr_rb_host_step((cb)->cpu, (step))
#endif
#define ktr_rb_drops_limit(max)		ktr_rb_host_drops_limit(max)
#define ktr_rb_warn(what)		ktr_rb_host_warn(what)

u64 ktr_rb_host_clock(void);
u64 ktr_rb_host_mono_clock(void);
unsigned int ktr_rb_host_this_cpu(void);
void *ktr_rb_host_zalloc(size_t size, size_t align);
void ktr_rb_host_free(void *p);
u64 ktr_rb_host_memory_available(void);
void ktr_rb_host_step(unsigned int cpu, unsigned int step);
u64 ktr_rb_host_drops_limit(u64 max);
void ktr_rb_host_warn(const char *what);

#endif /* KTR_RB_HOST_COMPAT_H */
