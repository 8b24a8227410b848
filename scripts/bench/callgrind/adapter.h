/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adapter.h - what the callgrind driver needs from the host ring-buffer core.
 *
 * adapter.c implements these calls on top of the library's real API;
 * when that API changes, only adapter.c changes. Each call is out of line
 * (the driver measures bench_rb_write() minus bench_rb_nop(), which have the
 * same shape), so the figure is the cost of reserve + payload store + commit.
 */
#ifndef KTR_BENCH_ADAPTER_H
#define KTR_BENCH_ADAPTER_H

struct bench_rb;

/* One buffer, "CPU" 0 only, nr_subbufs x subbuf_size bytes, overwrite or discard. */
struct bench_rb *bench_rb_open(unsigned int subbuf_size, unsigned int nr_subbufs, int overwrite);
/* Reserve len bytes on cpu, store the cpu number in the first 4, commit. 0 or -errno. */
int bench_rb_write(struct bench_rb *rb, unsigned int cpu, unsigned int len);
/* Same call shape as bench_rb_write(), does nothing: the loop's own cost. */
int bench_rb_nop(struct bench_rb *rb, unsigned int cpu, unsigned int len);
void bench_rb_close(struct bench_rb *rb);
/* Broken invariants the core reported (must be 0). */
unsigned long bench_rb_warnings(void);

#endif
