/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_host.h - driving the ring buffer core in user space (tests, tools).
 *
 * libktr_rb_host.a is kmod/ringbuf/ktr_rb.c built for the host. On top of
 * the kernel API (ktr_rb.h) it offers what a test needs to stand in for
 * the kernel:
 *
 *   - how many CPUs a buffer has (set before ktr_rb_create());
 *   - which CPU the calling thread is (one thread per CPU: a thread that
 *     writes as CPU n must be the only one doing so);
 *   - the clock of the calling thread (to test time extends and absolute
 *     timestamps deterministically);
 *   - a step hook, called at every labelled step of the lockless paths
 *     (enum ktr_rb_step). A hook that writes to the buffer plays an
 *     interrupt arriving at that step on that CPU.
 *   - a few white-box views of a CPU's ring, and the count of broken
 *     invariants the core reported (ktr_rb_warn), which must stay 0.
 *
 * C and C++ (wrap the include in extern "C").
 */
#ifndef KTR_RB_HOST_H
#define KTR_RB_HOST_H

#include "ktr_rb_host_types.h"

struct ktr_rb;

/* CPUs of the buffers created after this call (default 4). */
void ktr_rb_host_set_nr_cpus(unsigned int nr);
unsigned int ktr_rb_host_nr_cpus(void);

/*
 * Bytes of memory ktr_rb_create() sees as available (the kernel's
 * si_mem_available()); default: unlimited.
 */
void ktr_rb_host_set_memory(u64 bytes);

/* The calling thread now writes as @cpu (default 0). */
void ktr_rb_host_set_cpu(unsigned int cpu);

/* The calling thread's clock: @fn(@ctx) in ns; NULL: CLOCK_MONOTONIC. */
typedef u64 (*ktr_rb_host_clock_fn)(void *ctx);
void ktr_rb_host_set_clock(ktr_rb_host_clock_fn fn, void *ctx);

/* Called at each step (enum ktr_rb_step) on the calling thread; NULL: off. */
typedef void (*ktr_rb_host_step_fn)(void *ctx, unsigned int cpu,
				    unsigned int step);
void ktr_rb_host_set_step_hook(ktr_rb_host_step_fn fn, void *ctx);
const char *ktr_rb_host_step_name(unsigned int step);

/* Drops the tail word counts before the overflow counter (0: default). */
void ktr_rb_host_set_drops_limit(u64 limit);

/* Broken invariants reported by the core since the process started. */
unsigned long ktr_rb_host_warnings(void);

/* The errno of an ERR_PTR() from ktr_rb_create(), or 0 for a pointer. */
long ktr_rb_host_ptr_err(const void *ptr);

/* White-box views of one CPU's ring (see the position words in ktr_rb.c). */
struct ktr_rb_host_view {
	u64 tail_seq;		/* 24-bit sequence number in tail */
	u64 tail_off;		/* offset, or drops when sealed */
	bool tail_sealed;
	u64 commit_seq;
	u64 commit_off;
	bool commit_sealed;
	u64 consumed;		/* oldest unread sub-buffer */
	unsigned int consumed_state;	/* 0 normal, 1 held, 2 pushing */
	long nest;
	u32 spare;		/* the reader's spare sub-buffer id */
	u32 held;		/* held id, or 0xffffffff */
};
void ktr_rb_host_get_view(struct ktr_rb *rb, unsigned int cpu,
			  struct ktr_rb_host_view *view);

/* A fresh ring of @cpu starts at sub-buffer @seq (tests the seq wrap). */
void ktr_rb_host_set_start_seq(struct ktr_rb *rb, unsigned int cpu, u64 seq);

/* The whole data area of a CPU: (nr_subbufs + 1) * subbuf_size bytes. */
const void *ktr_rb_host_area(struct ktr_rb *rb, unsigned int cpu);

#endif /* KTR_RB_HOST_H */
