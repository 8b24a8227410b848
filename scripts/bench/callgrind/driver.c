// SPDX-License-Identifier: GPL-2.0
/*
 * driver.c - N reserve+commit of a 10-byte payload on the host ring-buffer
 * core, for valgrind callgrind (scripts/bench/callgrind-ringbuf).
 *
 *   ktr-rb-callgrind write|nop N [SUBBUF_SIZE NR_SUBBUFS overwrite|discard]
 *
 * The buffer is first filled and wrapped twice (the steady state of a flight
 * recorder, sub-buffer switches included), then bench_measure() runs the
 * measured loop: the script collects callgrind events inside it only
 * (--toggle-collect=bench_measure) and subtracts the "nop" run.
 * Methodology of kernel/trace/ring_buffer_benchmark.c: 10-byte payload whose
 * first 4 bytes hold the CPU number, one writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"

#define PAYLOAD_LEN 10

static unsigned long written, lost;

__attribute__((noinline)) void bench_measure(struct bench_rb *rb, unsigned long n,
					     int (*op)(struct bench_rb *, unsigned int, unsigned int))
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (op(rb, 0, PAYLOAD_LEN))
			lost++;
		else
			written++;
	}
}

/* Not measured: fills the buffer before bench_measure(). */
__attribute__((noinline)) static void bench_warmup(struct bench_rb *rb, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		bench_rb_write(rb, 0, PAYLOAD_LEN);
}

int main(int argc, char **argv)
{
	unsigned long n, subbuf_size = 65536, nr_subbufs = 16, warmup;
	int overwrite = 1, nop;
	struct bench_rb *rb;

	if (argc < 3 || (strcmp(argv[1], "write") && strcmp(argv[1], "nop"))) {
		fprintf(stderr, "usage: %s write|nop N [SUBBUF_SIZE NR_SUBBUFS overwrite|discard]\n", argv[0]);
		return 2;
	}
	nop = !strcmp(argv[1], "nop");
	n = strtoul(argv[2], NULL, 0);
	if (argc >= 5) {
		subbuf_size = strtoul(argv[3], NULL, 0);
		nr_subbufs = strtoul(argv[4], NULL, 0);
	}
	if (argc >= 6)
		overwrite = strcmp(argv[5], "discard") != 0;

	rb = bench_rb_open((unsigned int)subbuf_size, (unsigned int)nr_subbufs, overwrite);
	if (!rb) {
		fprintf(stderr, "ktr-rb-callgrind: cannot create a %lu x %lu buffer\n", nr_subbufs, subbuf_size);
		return 1;
	}
	/* Two wraps of the buffer at >= 16 bytes an event. */
	warmup = 2 * subbuf_size * nr_subbufs / 16;
	bench_warmup(rb, warmup);
	bench_measure(rb, n, nop ? bench_rb_nop : bench_rb_write);
	printf("ktr-rb-callgrind: op=%s n=%lu written=%lu lost=%lu subbuf_size=%lu nr_subbufs=%lu mode=%s warnings=%lu\n",
	       argv[1], n, written, lost, subbuf_size, nr_subbufs, overwrite ? "overwrite" : "discard",
	       bench_rb_warnings());
	bench_rb_close(rb);
	return bench_rb_warnings() ? 1 : 0;
}
