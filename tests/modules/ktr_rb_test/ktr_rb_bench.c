// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_rb_bench.c - ktr's ring buffer benchmark, the counterpart of the
 * kernel's kernel/trace/ring_buffer_benchmark.c (`make bench-ringbuf`).
 *
 * Part of the test module ktr_rb_test.ko (never of ktr.ko): with ktr.ko
 * loaded, insmod ktr_rb_test.ko bench=1 runs ONE cycle at load, in
 * kthreads (module init only starts them), prints one report line and
 * stays idle until rmmod ktr_rb_test. It uses ktr.ko's exported ring
 * buffer API only.
 * The contract with the host scripts is in scripts/bench/README.md.
 *
 * Method, as ftrace's benchmark:
 *
 * - its own buffer, overwrite mode, 16 x 64 KiB = 1 MiB per CPU: ftrace's
 *   benchmark asks ring_buffer_alloc() for 1000000 bytes per CPU (4 KiB
 *   pages). 64 KiB is ktr's default sub-buffer size, so the figures are
 *   those of ktr as it is used; the total per CPU is the same;
 * - a producer kthread, unbound, at nice bench_producer_nice, that loops
 *   bench_write_iteration times { reserve 10 bytes; store
 *   smp_processor_id() in the first 4; commit } and then reads ktime_get(),
 *   until bench_seconds have passed; it wakes the consumer every 100
 *   batches. time_us is the ktime_get() delta of the first and the last
 *   reading, so it includes one ktime_get() per batch, as ftrace's does;
 * - an optional consumer kthread at nice bench_consumer_nice that sweeps
 *   the online CPUs until it finds nothing, then sleeps until woken, and
 *   checks that every payload holds the CPU whose ring it came from:
 *     reader=1 (events): one event per call and CPU, as ftrace's
 *       ring_buffer_consume(). ktr's reader takes whole sub-buffers, so
 *       this reader holds one sub-buffer per CPU (get) and decodes one
 *       record per call from it, giving it back (put) once it is walked;
 *       this is what a per-event consumer of ktr does (ktr-read too);
 *     reader=2 (pages): one whole sub-buffer per call and CPU (get,
 *       decode every record in place, put), as ftrace's read_page();
 * - after the run the producer stops the consumer, which drains what is
 *   complete first, then reports from the buffer's exact accounting.
 *
 * Report (one line; ns/entry = time_us * 1000 / hit is computed by the
 * host, scripts/bench/ringbuf-report):
 *   ktr-bench: reader=none|events|pages time_us= hit= missed= overruns=
 *   read= entries= total= errors= clock=local_clock ...
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/slab.h>

#include "ringbuf/ktr_rb.h"
#include "ktr_rb_test.h"

static uint bench;
module_param(bench, uint, 0444);
MODULE_PARM_DESC(bench,
		 "1: run one ring buffer benchmark cycle at load, report it in the kernel log, then idle (0..1)");

static uint bench_reader = 1;
module_param(bench_reader, uint, 0444);
MODULE_PARM_DESC(bench_reader,
		 "Benchmark consumer: 0 none, 1 event by event, 2 whole sub-buffers (0..2)");

static uint bench_write_iteration = 50;
module_param(bench_write_iteration, uint, 0444);
MODULE_PARM_DESC(bench_write_iteration,
		 "Benchmark: reserve+commit per ktime_get() (1..1000000)");

static uint bench_seconds = 10;
module_param(bench_seconds, uint, 0444);
MODULE_PARM_DESC(bench_seconds, "Benchmark: producer run time in seconds (1..3600)");

static int bench_producer_nice = MAX_NICE;
module_param(bench_producer_nice, int, 0444);
MODULE_PARM_DESC(bench_producer_nice, "Benchmark: nice of the producer kthread (-20..19)");

static int bench_consumer_nice = MAX_NICE;
module_param(bench_consumer_nice, int, 0444);
MODULE_PARM_DESC(bench_consumer_nice, "Benchmark: nice of the consumer kthread (-20..19)");

#define KB_SUBBUF_SIZE		(64 * 1024)
#define KB_NR_SUBBUFS		16
#define KB_PAYLOAD		10	/* bytes, as ftrace's benchmark */
#define KB_WAKEUP_INTERVAL	100	/* batches between consumer wake-ups */
#define KB_WRITE_ITERATION_MAX	1000000
#define KB_SECONDS_MAX		3600

enum { KB_READER_NONE, KB_READER_EVENTS, KB_READER_PAGES };

static const char *const kb_reader_name[] = { "none", "events", "pages" };

/* reader=1: the sub-buffer held on one CPU and where its walk is. */
struct kb_cursor {
	const u8 *pos;
	const u8 *end;
	u32 entries;		/* of the held sub-buffer, from its header */
	u32 seen;		/* events decoded from it so far */
	bool held;
};

static struct {
	struct ktr_rb *rb;
	struct task_struct *producer;
	struct task_struct *consumer;
	struct completion read_done;
	int reader_finish;
	struct kb_cursor *cur;	/* reader=1: per CPU id */
	/* Written by the consumer only, read by the producer after read_done. */
	u64 read;
	u64 errors;
} kb;

static void kb_error(const char *what, unsigned int cpu)
{
	/* The first few are enough to diagnose; the count says how many. */
	if (kb.errors++ < 5)
		pr_err("ktr-bench: error: consumer, cpu %u: %s\n", cpu, what);
}

/*
 * The record at @p, with @avail bytes left before the end of the committed
 * data: its size in bytes (0 if malformed), and in *@payload its payload
 * if it is an event (else NULL).
 */
static u32 kb_record(const u8 *p, size_t avail, const u32 **payload)
{
	const u32 *w = (const u32 *)p;
	u32 type, size, len;

	*payload = NULL;
	if (avail < 4)
		return 0;
	type = KTR_RB_RECORD_TYPE_LEN(w[0]);
	switch (type) {
	case KTR_RB_TYPE_DATA_LEN:
		if (avail < 8)
			return 0;
		len = w[1];
		if (len > avail - 8)
			return 0;
		size = 8 + ALIGN(len, 4);
		*payload = len >= 4 ? w + 2 : NULL;
		break;
	case KTR_RB_TYPE_PADDING:
		/* Inside the committed data: a discarded event, with a length. */
		size = avail >= 8 ? w[1] : 0;
		break;
	case KTR_RB_TYPE_TIME_EXTEND:
		size = KTR_RB_TIME_EXTEND_SIZE;
		break;
	case KTR_RB_TYPE_TIME_STAMP:
		size = KTR_RB_TIME_STAMP_SIZE;
		break;
	default:
		size = 4 + 4 * type;
		*payload = w + 1;
		break;
	}
	if (!size || size > avail || (size & 3))
		return 0;
	return size;
}

/* Check the header of a sub-buffer just got from @cpu; false if broken. */
static bool kb_check_hdr(const struct ktr_rb_subbuf_hdr *hdr, unsigned int cpu)
{
	if (hdr->cpu != cpu || hdr->size < sizeof(*hdr) ||
	    hdr->size > KB_SUBBUF_SIZE ||
	    hdr->commit > KB_SUBBUF_SIZE - hdr->size || (hdr->commit & 3)) {
		kb_error("sub-buffer header out of range", cpu);
		return false;
	}
	return true;
}

/* Count one decoded event of @cpu, checking its payload. */
static void kb_event(const u32 *payload, unsigned int cpu)
{
	if (!payload || *payload != cpu)
		kb_error("payload does not hold the CPU of its ring", cpu);
	else
		kb.read++;
}

static void kb_put(unsigned int cpu)
{
	if (ktr_rb_put_subbuf(kb.rb, cpu))
		kb_error("put_subbuf failed", cpu);
}

/* reader=2: take one whole sub-buffer, decode it in place, give it back. */
static bool kb_read_subbuf(unsigned int cpu)
{
	const struct ktr_rb_subbuf_hdr *hdr;
	struct ktr_rb_read rd;
	const u32 *payload;
	const u8 *p, *end;
	u32 n = 0, size;

	if (ktr_rb_get_subbuf(kb.rb, cpu, &rd))
		return false;
	hdr = rd.hdr;
	if (kb_check_hdr(hdr, cpu)) {
		p = (const u8 *)hdr + hdr->size;
		end = p + hdr->commit;
		for (; p < end; p += size) {
			size = kb_record(p, end - p, &payload);
			if (!size) {
				kb_error("malformed record", cpu);
				break;
			}
			if (payload) {
				kb_event(payload, cpu);
				n++;
			}
		}
		if (p == end && n != hdr->entries)
			kb_error("sub-buffer holds another count than its header says",
				 cpu);
	}
	kb_put(cpu);
	return true;
}

/*
 * reader=1: the next event of @cpu, as ftrace's ring_buffer_consume(): one
 * event per call, out of the sub-buffer this reader holds for @cpu.
 */
static bool kb_read_event(unsigned int cpu)
{
	struct kb_cursor *c = &kb.cur[cpu];
	const u32 *payload;
	struct ktr_rb_read rd;
	u32 size;

	for (;;) {
		if (!c->held) {
			if (ktr_rb_get_subbuf(kb.rb, cpu, &rd))
				return false;
			c->held = true;
			if (!kb_check_hdr(rd.hdr, cpu)) {
				c->pos = NULL;
				c->end = NULL;
			} else {
				c->pos = (const u8 *)rd.hdr + rd.hdr->size;
				c->end = c->pos + rd.hdr->commit;
			}
			c->entries = rd.hdr->entries;
			c->seen = 0;
		}
		while (c->pos < c->end) {
			size = kb_record(c->pos, c->end - c->pos, &payload);
			if (!size) {
				kb_error("malformed record", cpu);
				c->pos = c->end;
				break;
			}
			c->pos += size;
			if (payload) {
				kb_event(payload, cpu);
				c->seen++;
				return true;
			}
		}
		if (c->end && c->seen != c->entries)
			kb_error("sub-buffer holds another count than its header says",
				 cpu);
		c->held = false;
		kb_put(cpu);
	}
}

/* Sweep the online CPUs until none has anything complete to read. */
static void kb_drain(void)
{
	bool found = true;
	unsigned int cpu;

	while (found && !kthread_should_stop()) {
		found = false;
		for_each_online_cpu(cpu) {
			if (bench_reader == KB_READER_EVENTS ?
			    kb_read_event(cpu) : kb_read_subbuf(cpu))
				found = true;
		}
	}
}

static void kb_wait_to_die(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static int kb_consumer_fn(void *arg)
{
	unsigned int cpu;

	while (!kthread_should_stop()) {
		kb_drain();
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(kb.reader_finish) || kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	/* The producer is done: read what is complete, then report back. */
	kb_drain();
	if (kb.cur) {
		for_each_possible_cpu(cpu) {
			if (kb.cur[cpu].held) {
				kb.cur[cpu].held = false;
				kb_put(cpu);
			}
		}
	}
	complete(&kb.read_done);
	kb_wait_to_die();
	return 0;
}

/* The buffer's own accounting, summed over CPUs; errors for broken ones. */
static void kb_report(u64 time_us, u64 hit, u64 missed)
{
	u64 written = 0, read = 0, entries = 0, overruns = 0, lost_full = 0;
	u64 lost_other = 0, subbufs = 0, subbufs_read = 0, bytes = 0;
	struct ktr_rb_cpu_stats st;
	u64 errors = kb.errors;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (ktr_rb_get_stats(kb.rb, cpu, &st))
			continue;
		if (st.written != st.read + st.buffered + st.lost_full +
		    st.lost_overwritten + st.lost_nesting + st.lost_disabled) {
			pr_err("ktr-bench: error: cpu %u: written %llu != read %llu + buffered %llu + lost %llu/%llu/%llu/%llu\n",
			       cpu, st.written, st.read, st.buffered,
			       st.lost_full, st.lost_overwritten,
			       st.lost_nesting, st.lost_disabled);
			errors++;
		}
		written += st.written;
		read += st.read;
		entries += st.buffered;
		overruns += st.lost_overwritten;
		lost_full += st.lost_full;
		lost_other += st.lost_nesting + st.lost_disabled;
		subbufs += st.subbufs_written;
		subbufs_read += st.subbufs_read;
		bytes += st.bytes;
	}
	if (written != hit + missed) {
		pr_err("ktr-bench: error: the buffer counted %llu events, the producer %llu\n",
		       written, hit + missed);
		errors++;
	}
	if (entries + overruns + read != hit) {
		pr_err("ktr-bench: error: entries + overruns + read = %llu, hit = %llu\n",
		       entries + overruns + read, hit);
		errors++;
	}
	if (bench_reader != KB_READER_NONE && kb.read != read) {
		pr_err("ktr-bench: error: the consumer decoded %llu events, the buffer counted %llu read\n",
		       kb.read, read);
		errors++;
	}
	pr_info("ktr-bench: reader=%s time_us=%llu hit=%llu missed=%llu overruns=%llu read=%llu entries=%llu total=%llu errors=%llu clock=local_clock subbuf_size=%u nr_subbufs=%u lost_full=%llu lost_other=%llu bytes=%llu subbufs_written=%llu subbufs_read=%llu producer_nice=%d consumer_nice=%d\n",
		kb_reader_name[bench_reader], time_us, hit, missed, overruns,
		read, entries, entries + overruns + read, errors, KB_SUBBUF_SIZE,
		KB_NR_SUBBUFS, lost_full, lost_other, bytes, subbufs,
		subbufs_read, bench_producer_nice, bench_consumer_nice);
}

static int kb_producer_fn(void *arg)
{
	ktime_t start, end, timeout;
	struct ktr_rb_event ev;
	u64 hit = 0, missed = 0;
	unsigned int cnt = 0, i;

	start = ktime_get();
	timeout = ktime_add_ns(start, (u64)bench_seconds * NSEC_PER_SEC);
	do {
		for (i = 0; i < bench_write_iteration; i++) {
			if (ktr_rb_reserve(kb.rb, &ev, KB_PAYLOAD)) {
				missed++;
				continue;
			}
			hit++;
			/* Preemption is off from reserve to commit. */
			*(u32 *)ev.data = smp_processor_id();
			ktr_rb_commit(&ev);
		}
		end = ktime_get();

		cnt++;
		if (kb.consumer && !(cnt % KB_WAKEUP_INTERVAL))
			wake_up_process(kb.consumer);
#ifndef CONFIG_PREEMPTION
		/* As ftrace's benchmark: do not stall a non-preemptible kernel. */
		if (cnt % KB_WAKEUP_INTERVAL)
			cond_resched();
#endif
	} while (ktime_before(end, timeout) && !kthread_should_stop());

	if (kb.consumer) {
		/* Pairs with the consumer's READ_ONCE after set_current_state(). */
		WRITE_ONCE(kb.reader_finish, 1);
		wake_up_process(kb.consumer);
		wait_for_completion(&kb.read_done);
	}

	if (ktime_before(end, timeout))
		pr_err("ktr-bench: error: stopped by rmmod after %lld ms of %u s\n",
		       ktime_ms_delta(end, start), bench_seconds);
	else
		kb_report(ktime_us_delta(end, start), hit, missed);
	kb_wait_to_die();
	return 0;
}

static int kb_check_params(void)
{
	if (bench > 1) {
		pr_err("bench=%u: must be 0 or 1\n", bench);
		return -EINVAL;
	}
	if (bench_reader > KB_READER_PAGES) {
		pr_err("bench_reader=%u: must be 0 (none), 1 (events) or 2 (sub-buffers)\n",
		       bench_reader);
		return -EINVAL;
	}
	if (!bench_write_iteration ||
	    bench_write_iteration > KB_WRITE_ITERATION_MAX) {
		pr_err("bench_write_iteration=%u: must be in [1, %u]\n",
		       bench_write_iteration, KB_WRITE_ITERATION_MAX);
		return -EINVAL;
	}
	if (!bench_seconds || bench_seconds > KB_SECONDS_MAX) {
		pr_err("bench_seconds=%u: must be in [1, %u]\n",
		       bench_seconds, KB_SECONDS_MAX);
		return -EINVAL;
	}
	if (bench_producer_nice < MIN_NICE || bench_producer_nice > MAX_NICE) {
		pr_err("bench_producer_nice=%d: must be in [%d, %d]\n",
		       bench_producer_nice, MIN_NICE, MAX_NICE);
		return -EINVAL;
	}
	if (bench_consumer_nice < MIN_NICE || bench_consumer_nice > MAX_NICE) {
		pr_err("bench_consumer_nice=%d: must be in [%d, %d]\n",
		       bench_consumer_nice, MIN_NICE, MAX_NICE);
		return -EINVAL;
	}
	return 0;
}

static void kb_free(void)
{
	kfree(kb.cur);
	kb.cur = NULL;
	ktr_rb_free(kb.rb);
	kb.rb = NULL;
}

/**
 * ktr_rb_bench_start() - check the bench_* parameters; with bench=1, start a run
 *
 * Starts the kthreads and returns: the run goes on after module init.
 *
 * Context: module init.
 * Return: 0, -EINVAL for a bad parameter, -ENOMEM, or a kthread error.
 */
int ktr_rb_bench_start(void)
{
	const struct ktr_rb_config cfg = {
		.subbuf_size = KB_SUBBUF_SIZE,
		.nr_subbufs = KB_NR_SUBBUFS,
		.mode = KTR_RB_MODE_OVERWRITE,
	};
	int ret;

	ret = kb_check_params();
	if (ret || !bench)
		return ret;

	init_completion(&kb.read_done);
	kb.rb = ktr_rb_create(&cfg);
	if (IS_ERR(kb.rb)) {
		ret = PTR_ERR(kb.rb);
		kb.rb = NULL;
		goto fail;
	}
	if (bench_reader == KB_READER_EVENTS) {
		kb.cur = kcalloc(nr_cpu_ids, sizeof(*kb.cur), GFP_KERNEL);
		if (!kb.cur) {
			ret = -ENOMEM;
			goto fail;
		}
	}
	if (bench_reader != KB_READER_NONE) {
		kb.consumer = kthread_create(kb_consumer_fn, NULL, "ktr_bench_cons");
		if (IS_ERR(kb.consumer)) {
			ret = PTR_ERR(kb.consumer);
			kb.consumer = NULL;
			goto fail;
		}
		set_user_nice(kb.consumer, bench_consumer_nice);
	}
	kb.producer = kthread_create(kb_producer_fn, NULL, "ktr_bench_prod");
	if (IS_ERR(kb.producer)) {
		ret = PTR_ERR(kb.producer);
		kb.producer = NULL;
		goto fail;
	}
	set_user_nice(kb.producer, bench_producer_nice);

	pr_info("ktr-bench: starting: reader=%s write_iteration=%u seconds=%u nice %d/%d, %u x %u bytes per CPU, overwrite\n",
		kb_reader_name[bench_reader], bench_write_iteration,
		bench_seconds, bench_producer_nice, bench_consumer_nice,
		KB_NR_SUBBUFS, KB_SUBBUF_SIZE);
	if (kb.consumer)
		wake_up_process(kb.consumer);
	wake_up_process(kb.producer);
	return 0;

fail:
	pr_err("ktr-bench: error: cannot start the benchmark (%d)\n", ret);
	if (kb.consumer) {
		kthread_stop(kb.consumer);
		kb.consumer = NULL;
	}
	kb_free();
	return ret;
}

/**
 * ktr_rb_bench_stop() - stop a run (wherever it is) and free its buffer
 *
 * Context: module exit, or module init unwinding.
 */
void ktr_rb_bench_stop(void)
{
	/* The producer first: it waits for the consumer to finish. */
	if (kb.producer) {
		kthread_stop(kb.producer);
		kb.producer = NULL;
	}
	if (kb.consumer) {
		kthread_stop(kb.consumer);
		kb.consumer = NULL;
	}
	kb_free();
}
