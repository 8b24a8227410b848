// SPDX-License-Identifier: GPL-2.0
/*
 * host_compat.c - the environment of the ring buffer core on the host:
 * "CPUs", clocks, step hooks and allocation (see ktr_rb_host_compat.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ktr_rb_internal.h"

/* The word every ktr_rb_full_barrier() goes through. */
long ktr_rb_host_fence_word;

static unsigned int host_nr_cpus = 4;
static u64 host_memory = ~(u64)0;
static u64 host_drops_limit;
static unsigned long host_warnings;

static _Thread_local unsigned int host_cpu;
static _Thread_local ktr_rb_host_clock_fn host_clock_fn;
static _Thread_local void *host_clock_ctx;
static _Thread_local ktr_rb_host_step_fn host_step_fn;
static _Thread_local void *host_step_ctx;

void ktr_rb_host_set_nr_cpus(unsigned int nr)
{
	__atomic_store_n(&host_nr_cpus, nr, __ATOMIC_RELAXED);
}

unsigned int ktr_rb_host_nr_cpus(void)
{
	return __atomic_load_n(&host_nr_cpus, __ATOMIC_RELAXED);
}

void ktr_rb_host_set_memory(u64 bytes)
{
	__atomic_store_n(&host_memory, bytes, __ATOMIC_RELAXED);
}

u64 ktr_rb_host_memory_available(void)
{
	return __atomic_load_n(&host_memory, __ATOMIC_RELAXED);
}

void ktr_rb_host_set_cpu(unsigned int cpu)
{
	host_cpu = cpu;
}

unsigned int ktr_rb_host_this_cpu(void)
{
	return host_cpu;
}

void ktr_rb_host_set_clock(ktr_rb_host_clock_fn fn, void *ctx)
{
	host_clock_fn = fn;
	host_clock_ctx = ctx;
}

u64 ktr_rb_host_mono_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

u64 ktr_rb_host_clock(void)
{
	if (host_clock_fn)
		return host_clock_fn(host_clock_ctx);
	return ktr_rb_host_mono_clock();
}

void ktr_rb_host_set_step_hook(ktr_rb_host_step_fn fn, void *ctx)
{
	host_step_fn = fn;
	host_step_ctx = ctx;
}

void ktr_rb_host_step(unsigned int cpu, unsigned int step)
{
	if (host_step_fn)
		host_step_fn(host_step_ctx, cpu, step);
}

static const char *const step_names[KTR_RB_NR_STEPS] = {
	[KTR_RB_AT_RESERVE] = "Reserve",
	[KTR_RB_AT_NESTED] = "Nested",
	[KTR_RB_AT_TAIL_READ] = "TailRead",
	[KTR_RB_AT_CLOCK_READ] = "ClockRead",
	[KTR_RB_AT_RESERVED] = "Reserved",
	[KTR_RB_AT_LAST_TS] = "LastTs",
	[KTR_RB_AT_HEADER] = "Header",
	[KTR_RB_AT_WRITTEN] = "Written",
	[KTR_RB_AT_SWITCH] = "Switch",
	[KTR_RB_AT_PUSH] = "Push",
	[KTR_RB_AT_PUSHING] = "Pushing",
	[KTR_RB_AT_PUSHED] = "Pushed",
	[KTR_RB_AT_ENTERED] = "Entered",
	[KTR_RB_AT_SEALED] = "Sealed",
	[KTR_RB_AT_SUBBUF_INIT] = "SubbufInit",
	[KTR_RB_AT_DROPPED] = "Dropped",
	[KTR_RB_AT_FLUSH] = "Flush",
	[KTR_RB_AT_FLUSHED] = "Flushed",
	[KTR_RB_AT_COMMIT] = "Commit",
	[KTR_RB_AT_DISCARD] = "Discard",
	[KTR_RB_AT_END_COMMIT] = "EndCommit",
	[KTR_RB_AT_PUBLISH] = "Publish",
	[KTR_RB_AT_FINALIZED] = "Finalized",
	[KTR_RB_AT_PUBLISHED] = "Published",
	[KTR_RB_AT_UNNESTED] = "Unnested",
	[KTR_RB_AT_GET_CLAIMED] = "GetClaimed",
	[KTR_RB_AT_GET_SWAPPED] = "GetSwapped",
};

const char *ktr_rb_host_step_name(unsigned int step)
{
	return step < KTR_RB_NR_STEPS && step_names[step] ? step_names[step] :
							    "Unknown";
}

void ktr_rb_host_set_drops_limit(u64 limit)
{
	__atomic_store_n(&host_drops_limit, limit, __ATOMIC_RELAXED);
}

u64 ktr_rb_host_drops_limit(u64 max)
{
	u64 limit = __atomic_load_n(&host_drops_limit, __ATOMIC_RELAXED);

	return limit && limit < max ? limit : max;
}

void ktr_rb_host_warn(const char *what)
{
	__atomic_add_fetch(&host_warnings, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "ktr: ringbuf: broken invariant: %s\n", what);
}

unsigned long ktr_rb_host_warnings(void)
{
	return __atomic_load_n(&host_warnings, __ATOMIC_RELAXED);
}

long ktr_rb_host_ptr_err(const void *ptr)
{
	return IS_ERR(ptr) ? PTR_ERR(ptr) : 0;
}

void *ktr_rb_host_zalloc(size_t size, size_t align)
{
	size_t rounded = (size + align - 1) / align * align;
	void *p = aligned_alloc(align, rounded ? rounded : align);

	if (p)
		memset(p, 0, rounded);
	return p;
}

void ktr_rb_host_free(void *p)
{
	free(p);
}
