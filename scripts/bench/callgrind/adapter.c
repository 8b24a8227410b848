// SPDX-License-Identifier: GPL-2.0
/*
 * adapter.c - bench_rb_* on top of the host build of kmod/ringbuf
 * (libktr_rb_host.a: ktr_rb.h for the API, ktr_rb_host.h for the host
 * environment). If that API changes, adapt this file, and only this file.
 *
 * The host "CPU" is 0 (the calling thread), and its clock is a counter that
 * advances 100 ns a call: deterministic (the instruction count does not
 * depend on when it runs) and cheap, like local_clock() in the kernel,
 * whereas the host default, clock_gettime(), costs more than the core.
 */
#include "ktr_rb.h"
#include "ktr_rb_host.h"

#include "adapter.h"

struct bench_rb {
	struct ktr_rb *rb;
};

static struct bench_rb bench_rb;
static u64 bench_now = 1000000000ULL;

static u64 bench_clock(void *ctx)
{
	(void)ctx;
	bench_now += 100;
	return bench_now;
}

struct bench_rb *bench_rb_open(unsigned int subbuf_size, unsigned int nr_subbufs, int overwrite)
{
	struct ktr_rb_config cfg = {
		.subbuf_size = subbuf_size,
		.nr_subbufs = nr_subbufs,
		.mode = overwrite ? KTR_RB_MODE_OVERWRITE : KTR_RB_MODE_DISCARD,
	};
	struct ktr_rb *rb;

	ktr_rb_host_set_nr_cpus(1);
	ktr_rb_host_set_cpu(0);
	ktr_rb_host_set_clock(bench_clock, NULL);
	rb = ktr_rb_create(&cfg);
	if (!rb || ktr_rb_host_ptr_err(rb))
		return NULL;
	bench_rb.rb = rb;
	return &bench_rb;
}

__attribute__((noinline)) int bench_rb_write(struct bench_rb *b, unsigned int cpu, unsigned int len)
{
	struct ktr_rb_event ev;
	int ret;

	ret = ktr_rb_reserve(b->rb, &ev, len);
	if (ret)
		return ret;
	*(u32 *)ev.data = cpu;
	ktr_rb_commit(&ev);
	return 0;
}

__attribute__((noinline)) int bench_rb_nop(struct bench_rb *b, unsigned int cpu, unsigned int len)
{
	__asm__ volatile("" : : "r"(b), "r"(cpu), "r"(len) : "memory");
	return 0;
}

unsigned long bench_rb_warnings(void)
{
	return ktr_rb_host_warnings();
}

void bench_rb_close(struct bench_rb *b)
{
	ktr_rb_free(b->rb);
	b->rb = NULL;
}
