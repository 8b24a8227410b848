// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_rb_selftest.c - the ring buffer proven inside the kernel.
 *
 * Part of the test module ktr_rb_test.ko, which registers
 * ktr_rb_test_selftest() with ktr.ko (kmod/ringbuf/ktr_rb_selftest.h);
 * KTR_CMD_SELFTEST (`ktr selftest`) runs it: a stress of a ring buffer
 * instance of its own (never the tracer's), with every record checked,
 * through ktr.ko's exported ring buffer API only.
 *
 *   CPU n:  writer kthread (bound)  --reserve/fill/commit-->  ring of CPU n
 *           hrtimer (hard irq)      --nests on the kthread-->  ring of CPU n
 *           flush IPI (on_each_cpu) --seals the sub-buffer->   ring of CPU n
 *   any:    reader kthread: get sub-buffer, decode, check, put; every CPU
 *
 * Streams. Each CPU has two writers ("streams"): its kthread and its
 * hrtimer. A stream numbers its attempts 0, 1, 2, ...: an attempt the ring
 * refuses (full, nesting, disabled) still uses its number, so the gaps a
 * reader sees in a stream are exactly its lost events. Payload (4-byte
 * aligned, so copied, not cast):
 *
 *   struct st_payload { cpu, stream, seq, ts, len, sum } + filler bytes
 *
 * ts is the time the ring gave the reservation (what the reader must
 * decode), sum an FNV-1a hash of the whole payload with sum = 0. Payload
 * lengths cycle through small ones (length in type_len), odd and > 112
 * byte ones (length in the next word), ~1.5 KiB ones and, once every 256
 * events of a kthread, the largest payload the ring allows (it only fits
 * an empty sub-buffer, so the previous one ends in padding).
 *
 * The checker (reader side, single-threaded: the reader kthread, then the
 * final drain after it stopped) fails the test, counting an error, on:
 *   - a sub-buffer header that is malformed (size, cpu, commit, flags,
 *     reserved fields), out of order (seq not increasing; in discard mode
 *     not consecutive) or whose entries differ from the events decoded;
 *   - a record that does not decode (see uapi/ktr_ringbuf.h invariants),
 *     padding after the data that does not run to the end;
 *   - an event whose checksum, length, cpu or stream is wrong;
 *   - a stream sequence number that does not grow (duplicate, reordering);
 *   - decoded time going backwards on a CPU, or differing from the ts the
 *     writer embedded;
 *   - more events missing from the streams than the headers reported lost
 *     so far (a gap nobody accounted for);
 *   - at the end, after writers stopped, a final flush and a drain, per
 *     CPU: missing events (gaps, trailing ones included) != lost counted
 *     by the ring; losses no header reported (drops after the last
 *     sub-buffer) > the events missing after the last one read of each
 *     stream; written != what the writers
 *     attempted; read != what the reader decoded; lost_full != what the
 *     writers saw refused; written != read + lost; buffered != 0.
 *
 * The write path (st_write and the hrtimer callback) neither allocates,
 * sleeps nor locks; everything is allocated before the threads start and
 * freed after every thread and timer is stopped, on every path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": selftest: " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "ktr.h"
#include "ktr_ringbuf.h"
#include "ringbuf/ktr_rb.h"
#include "ktr_rb_test.h"

#define ST_STREAM_KTHREAD	0
#define ST_STREAM_HRTIMER	1
#define ST_NR_STREAMS		2

#define ST_TIMER_PERIOD_NS	(100 * NSEC_PER_USEC)
#define ST_TIMER_EVENTS		2
#define ST_FLUSH_MS		10
#define ST_BATCH		32
#define ST_MAX_PRINTED		8

#define ST_FNV_INIT		2166136261U
#define ST_FNV_PRIME		16777619U

struct st_payload {
	u32 cpu;
	u32 stream;
	u64 seq;
	u64 ts;
	u32 len;
	u32 sum;
};

#define ST_MIN_LEN		((u32)sizeof(struct st_payload))

/*
 * One writer. Writer side: touched only by that writer (the kthread, or the
 * CPU's hrtimer, which never nests with itself). Reader side: only by the
 * reader. The final checks read both after every writer stopped.
 */
struct st_stream {
	u64 next_seq;
	u64 committed;
	u64 refused_full;
	u64 refused_other;
	u64 discarded;
	u64 bad_ret;
	int last_bad_ret;
	/* reader */
	u64 expect;
	u64 seen;
};

struct st_cpu {
	struct ktr_selftest *st;
	unsigned int cpu;
	struct task_struct *writer;
	struct hrtimer timer;
	int in_write;		/* kthread filling a reservation */
	u64 nested;
	struct st_stream streams[ST_NR_STREAMS];
	/* reader */
	bool have_sb;
	u64 last_sb_seq;
	u64 last_ts;
	u64 lost_reported;
	u64 gaps;
	u64 events_read;
	u64 subbufs_read;
};

struct ktr_selftest {
	struct ktr_rb *rb;
	struct ktr_selftest_cfg cfg;
	u32 max_payload;
	cpumask_var_t cpus;
	struct st_cpu *percpu;	/* indexed by CPU number */
	struct task_struct *reader;
	int timers_stop;
	u64 flushes;
	u64 long_events;
	u64 time_records;
	u64 errors;
	char error[KTR_SELFTEST_ERROR_LEN];
};

/* One self-test at a time: it is expensive and owns all CPUs. */
static DEFINE_MUTEX(st_running);

static __printf(2, 3) void st_fail(struct ktr_selftest *st,
				   const char *fmt, ...)
{
	char buf[KTR_SELFTEST_ERROR_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (!st->errors)
		strscpy(st->error, buf, sizeof(st->error));
	if (st->errors < ST_MAX_PRINTED)
		pr_err("%s\n", buf);
	st->errors++;
}

/* --- payload ------------------------------------------------------------ */

static u32 st_fnv(u32 h, const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * ST_FNV_PRIME;
	return h;
}

static u8 st_filler(u32 cpu, u32 stream, u64 seq, u32 i)
{
	return (u8)(seq * 131 + i * 7 + cpu * 3 + stream * 17);
}

static const u16 st_kthread_lens[16] = {
	32, 36, 40, 48, 64, 96, 112, 33, 34, 35, 116, 128, 200, 37, 1000, 0,
};

static const u16 st_timer_lens[8] = { 32, 36, 33, 64, 120, 40, 112, 300 };

static u32 st_len(const struct ktr_selftest *st, u32 stream, u64 seq)
{
	u32 len;

	if (stream == ST_STREAM_HRTIMER)
		return st_timer_lens[seq & 7];
	len = st_kthread_lens[seq & 15];
	if (!len) {
		if ((seq & 0xff) == 0xff)
			len = st->max_payload;
		else
			len = 1500 + ((u32)(seq >> 4) & 15) * 4 + 1;
	}
	return min(len, st->max_payload);
}

static void st_fill(u8 *d, u32 cpu, u32 stream, u64 seq, u64 ts, u32 len)
{
	struct st_payload p = {
		.cpu = cpu, .stream = stream, .seq = seq, .ts = ts, .len = len,
	};
	u32 h = st_fnv(ST_FNV_INIT, (const u8 *)&p, sizeof(p));
	u32 i;

	for (i = sizeof(p); i < len; i++) {
		d[i] = st_filler(cpu, stream, seq, i);
		h = (h ^ d[i]) * ST_FNV_PRIME;
	}
	p.sum = h;
	memcpy(d, &p, sizeof(p));
}

/* --- writers ------------------------------------------------------------ */

/*
 * One attempt of stream @stream of CPU @c: no allocation, sleep or lock.
 * With @discard, a reservation that succeeds is cancelled: not an event, so
 * it does not use a sequence number (a refused one does: it is a loss).
 */
static void st_write(struct st_cpu *c, u32 stream, bool discard)
{
	struct st_stream *s = &c->streams[stream];
	struct ktr_rb_event ev;
	u64 seq = s->next_seq;
	u32 len = st_len(c->st, stream, seq);
	int ret;

	ret = ktr_rb_reserve(c->st->rb, &ev, len);
	if (!ret && discard) {
		memset(ev.data, 0xdd, len);
		ktr_rb_discard(&ev);
		s->discarded++;
		return;
	}
	switch (ret) {
	case 0:
		break;
	case -ENOSPC:
		s->next_seq = seq + 1;
		s->refused_full++;
		return;
	case -ELOOP:
	case -ENODEV:
		s->next_seq = seq + 1;
		s->refused_other++;
		return;
	default:
		/* Not an event for the ring (e.g. -EMSGSIZE): a bug here. */
		s->bad_ret++;
		s->last_bad_ret = ret;
		return;
	}
	s->next_seq = seq + 1;
	/* Seen by this CPU's hrtimer: it interrupts a reservation in flight. */
	if (stream == ST_STREAM_KTHREAD)
		WRITE_ONCE(c->in_write, 1);
	barrier();
	/* The ring is the one of the CPU we run on (preemption is off). */
	st_fill(ev.data, raw_smp_processor_id(), stream, seq, ev.ts, len);
	barrier();
	if (stream == ST_STREAM_KTHREAD)
		WRITE_ONCE(c->in_write, 0);
	ktr_rb_commit(&ev);
	s->committed++;
}

static enum hrtimer_restart st_timer_fn(struct hrtimer *t)
{
	struct st_cpu *c = container_of(t, struct st_cpu, timer);
	int i;

	if (READ_ONCE(c->st->timers_stop))
		return HRTIMER_NORESTART;
	for (i = 0; i < ST_TIMER_EVENTS; i++) {
		if (READ_ONCE(c->in_write))
			c->nested++;
		st_write(c, ST_STREAM_HRTIMER, false);
	}
	hrtimer_forward_now(t, ns_to_ktime(ST_TIMER_PERIOD_NS));
	return HRTIMER_RESTART;
}

static int st_writer_fn(void *arg)
{
	struct st_cpu *c = arg;
	int i;

	hrtimer_start(&c->timer, ns_to_ktime(ST_TIMER_PERIOD_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
	while (!kthread_should_stop()) {
		for (i = 0; i < ST_BATCH; i++)
			st_write(c, ST_STREAM_KTHREAD, i == ST_BATCH / 2);
		cond_resched();
	}
	return 0;
}

/* --- the checker (reader side) ------------------------------------------- */

static u32 st_word(const u8 *base, u32 off)
{
	u32 w;

	memcpy(&w, base + off, sizeof(w));
	return w;
}

static void st_check_event(struct ktr_selftest *st, struct st_cpu *c,
			   const u8 *p, u32 len, u64 ts, u64 sb_seq)
{
	struct st_payload tag;
	struct st_stream *s;
	u64 refused = 0;
	u32 sum, h, i;

	if (len < ST_MIN_LEN) {
		st_fail(st, "cpu %u sub-buffer %llu: event of %u bytes, too short for its tag",
			c->cpu, sb_seq, len);
		return;
	}
	memcpy(&tag, p, sizeof(tag));
	sum = tag.sum;
	tag.sum = 0;
	h = st_fnv(ST_FNV_INIT, (const u8 *)&tag, sizeof(tag));
	h = st_fnv(h, p + sizeof(tag), len - sizeof(tag));
	if (h != sum || tag.len != len) {
		st_fail(st, "cpu %u sb %llu: corrupted event (sum %08x/%08x, len %u/%u)",
			c->cpu, sb_seq, h, sum, tag.len, len);
		return;
	}
	for (i = sizeof(tag); i < len; i++) {
		if (p[i] != st_filler(tag.cpu, tag.stream, tag.seq, i)) {
			st_fail(st, "cpu %u seq %llu: filler byte %u wrong",
				c->cpu, tag.seq, i);
			return;
		}
	}
	if (tag.cpu != c->cpu || tag.stream >= ST_NR_STREAMS) {
		st_fail(st, "cpu %u: event of cpu %u stream %u in this ring",
			c->cpu, tag.cpu, tag.stream);
		return;
	}
	if (tag.ts != ts)
		st_fail(st, "cpu %u stream %u seq %llu: decoded time %llu, writer's %llu",
			c->cpu, tag.stream, tag.seq, ts, tag.ts);
	s = &c->streams[tag.stream];
	if (tag.seq < s->expect) {
		st_fail(st, "cpu %u stream %u: seq %llu after %llu (duplicate or reordered)",
			c->cpu, tag.stream, tag.seq, s->expect - 1);
		return;
	}
	c->gaps += tag.seq - s->expect;
	s->expect = tag.seq + 1;
	s->seen++;
	for (i = 0; i < ST_NR_STREAMS; i++)
		refused += READ_ONCE(c->streams[i].refused_other);
	if (c->gaps > c->lost_reported + refused)
		st_fail(st, "cpu %u stream %u seq %llu: %llu events missing, %llu reported lost",
			c->cpu, tag.stream, tag.seq, c->gaps,
			c->lost_reported + refused);
}

/* Decode and check one sub-buffer of CPU @c (see uapi/ktr_ringbuf.h). */
static void st_check_subbuf(struct ktr_selftest *st, struct st_cpu *c,
			    const struct ktr_rb_subbuf_hdr *hdr)
{
	const u32 known = KTR_RB_SB_FLUSHED | KTR_RB_SB_OVERWRITE;
	const u32 sbsize = st->cfg.subbuf_size;
	const bool overwrite = st->cfg.mode == KTR_RB_MODE_OVERWRITE;
	const u8 *base = (const u8 *)hdr;
	bool after_time = false;
	u32 off, end, entries = 0;
	u64 ts;

	if (hdr->size != sizeof(*hdr) || hdr->subbuf_size != sbsize ||
	    hdr->cpu != c->cpu || hdr->commit % KTR_RB_RECORD_ALIGN ||
	    (u64)hdr->size + hdr->commit > sbsize ||
	    hdr->reserved[0] || hdr->reserved[1] || (hdr->flags & ~known) ||
	    !!(hdr->flags & KTR_RB_SB_OVERWRITE) != overwrite) {
		st_fail(st, "cpu %u sb %llu: bad header (size %u cpu %u commit %u flags %#x)",
			c->cpu, hdr->seq, hdr->size, hdr->cpu, hdr->commit,
			hdr->flags);
		return;
	}
	if (c->have_sb && hdr->seq <= c->last_sb_seq)
		st_fail(st, "cpu %u: sub-buffer %llu after %llu", c->cpu,
			hdr->seq, c->last_sb_seq);
	else if (!overwrite && hdr->seq != (c->have_sb ? c->last_sb_seq + 1 : 0))
		st_fail(st, "cpu %u: discard mode skipped to sub-buffer %llu",
			c->cpu, hdr->seq);
	c->have_sb = true;
	c->last_sb_seq = hdr->seq;
	c->subbufs_read++;
	c->lost_reported += hdr->lost;
	if (hdr->time_stamp < c->last_ts)
		st_fail(st, "cpu %u sub-buffer %llu: starts at %llu, before %llu",
			c->cpu, hdr->seq, hdr->time_stamp, c->last_ts);

	ts = hdr->time_stamp;
	off = hdr->size;
	end = hdr->size + hdr->commit;
	while (off < end) {
		u32 w = st_word(base, off);
		u32 type = KTR_RB_RECORD_TYPE_LEN(w);
		u32 delta = KTR_RB_RECORD_TIME_DELTA(w);
		bool time_rec = type == KTR_RB_TYPE_TIME_EXTEND ||
				type == KTR_RB_TYPE_TIME_STAMP;
		u32 left = end - off, size, len;
		u64 t;

		if (off == hdr->size && (time_rec || delta)) {
			st_fail(st, "cpu %u sub-buffer %llu: first record has a time",
				c->cpu, hdr->seq);
			return;
		}
		if (after_time && (time_rec || delta)) {
			st_fail(st, "cpu %u sb %llu at %u: time record before a non-zero delta",
				c->cpu, hdr->seq, off);
			return;
		}
		switch (type) {
		case KTR_RB_TYPE_TIME_EXTEND:
			size = KTR_RB_TIME_EXTEND_SIZE;
			if (left < size)
				goto truncated;
			t = delta | ((u64)st_word(base, off + 4) <<
				     KTR_RB_TIME_DELTA_BITS);
			if (t <= KTR_RB_TIME_DELTA_MAX)
				st_fail(st, "cpu %u: TIME_EXTEND of a small delta",
					c->cpu);
			ts += t;
			st->time_records++;
			break;
		case KTR_RB_TYPE_TIME_STAMP:
			size = KTR_RB_TIME_STAMP_SIZE;
			if (left < size)
				goto truncated;
			t = st_word(base, off + 4) |
			    ((u64)st_word(base, off + 8) << 32);
			if (t < ts)
				st_fail(st, "cpu %u sb %llu: TIME_STAMP goes back (%llu < %llu)",
					c->cpu, hdr->seq, t, ts);
			ts = t;
			st->time_records++;
			break;
		case KTR_RB_TYPE_PADDING:
			if (left < 8)
				goto truncated;
			size = st_word(base, off + 4);
			if (size < 8 || size % 4 || size > left)
				goto truncated;
			ts += delta;
			break;
		case KTR_RB_TYPE_DATA_LEN:
			if (left < 8)
				goto truncated;
			len = st_word(base, off + 4);
			if (len > sbsize)
				goto truncated;
			size = 8 + ALIGN(len, 4);
			if (size > left)
				goto truncated;
			ts += delta;
			entries++;
			st->long_events++;
			st_check_event(st, c, base + off + 8, len, ts, hdr->seq);
			break;
		default:
			size = 4 + 4 * type;
			if (size > left)
				goto truncated;
			ts += delta;
			entries++;
			st_check_event(st, c, base + off + 4, 4 * type, ts,
				       hdr->seq);
			break;
		}
		if (ts < c->last_ts)
			st_fail(st, "cpu %u sb %llu at %u: time goes back (%llu < %llu)",
				c->cpu, hdr->seq, off, ts, c->last_ts);
		c->last_ts = ts;
		after_time = time_rec;
		off += size;
	}
	if (after_time)
		st_fail(st, "cpu %u sub-buffer %llu: ends with a time record",
			c->cpu, hdr->seq);
	if (entries != hdr->entries)
		st_fail(st, "cpu %u sub-buffer %llu: header says %u events, decoded %u",
			c->cpu, hdr->seq, hdr->entries, entries);
	c->events_read += entries;
	if (end < sbsize) {
		u32 w = st_word(base, end);

		if (KTR_RB_RECORD_TYPE_LEN(w) != KTR_RB_TYPE_PADDING ||
		    KTR_RB_RECORD_TIME_DELTA(w) ||
		    (sbsize - end >= 8 && st_word(base, end + 4) != sbsize - end))
			st_fail(st, "cpu %u sub-buffer %llu: no PADDING to the end after the data",
				c->cpu, hdr->seq);
	}
	return;

truncated:
	st_fail(st, "cpu %u sub-buffer %llu offset %u: record does not decode (word %#x)",
		c->cpu, hdr->seq, off, st_word(base, off));
}

/* Take, check and give back one sub-buffer of @c. */
static int st_read_one(struct ktr_selftest *st, struct st_cpu *c)
{
	struct ktr_rb_read rd;
	int ret;

	ret = ktr_rb_get_subbuf(st->rb, c->cpu, &rd);
	if (ret == -ENODATA || ret == -EAGAIN)
		return ret;
	if (ret) {
		st_fail(st, "cpu %u: ktr_rb_get_subbuf() failed: %d", c->cpu,
			ret);
		return ret;
	}
	st_check_subbuf(st, c, rd.hdr);
	ret = ktr_rb_put_subbuf(st->rb, c->cpu);
	if (ret)
		st_fail(st, "cpu %u: ktr_rb_put_subbuf() failed: %d", c->cpu,
			ret);
	return ret;
}

/* Runs on every CPU, in IPI context on the others (nesting on writers). */
static void st_flush_cpu(void *rb)
{
	ktr_rb_flush(rb);
}

static void st_flush_all(struct ktr_selftest *st)
{
	on_each_cpu(st_flush_cpu, st->rb, 1);
	st->flushes++;
}

static int st_reader_fn(void *arg)
{
	struct ktr_selftest *st = arg;
	unsigned long next_flush = jiffies;
	unsigned int cpu, got;
	int n;

	while (!kthread_should_stop()) {
		got = 0;
		for_each_cpu(cpu, st->cpus) {
			for (n = 0; n < 16; n++) {
				if (st_read_one(st, &st->percpu[cpu]))
					break;
				got++;
			}
		}
		if (time_after_eq(jiffies, next_flush)) {
			st_flush_all(st);
			next_flush = jiffies + msecs_to_jiffies(ST_FLUSH_MS);
		}
		if (!got)
			usleep_range(200, 500);
		else
			cond_resched();
	}
	return 0;
}

/* --- the run ------------------------------------------------------------ */

/* Everything has stopped: drain, then compare the counts per CPU. */
static void st_final_check(struct ktr_selftest *st,
			   struct ktr_selftest_result *res)
{
	struct ktr_rb_cpu_stats rs;
	unsigned int cpu;
	int i, n, ret;

	st_flush_all(st);
	for_each_cpu(cpu, st->cpus) {
		struct st_cpu *c = &st->percpu[cpu];

		/* No writer is left: -EAGAIN cannot last; bound it anyway. */
		for (n = 0; n < 1000000; n++) {
			ret = st_read_one(st, c);
			if (ret && ret != -EAGAIN)
				break;
		}
	}

	for_each_cpu(cpu, st->cpus) {
		struct st_cpu *c = &st->percpu[cpu];
		u64 attempts = 0, full = 0, other = 0, discarded = 0;
		u64 trailing = 0, unreported;
		u64 lost;

		for (i = 0; i < ST_NR_STREAMS; i++) {
			struct st_stream *s = &c->streams[i];

			attempts += s->next_seq;
			full += s->refused_full;
			other += s->refused_other;
			discarded += s->discarded;
			trailing += s->next_seq - s->expect;
			if (s->bad_ret)
				st_fail(st, "cpu %u stream %d: %llu reservations failed (%d)",
					cpu, i, s->bad_ret, s->last_bad_ret);
			if (s->committed + s->refused_full + s->refused_other !=
			    s->next_seq)
				st_fail(st, "cpu %u stream %d: writer counts do not add up",
					cpu, i);
		}
		if (ktr_rb_get_stats(st->rb, cpu, &rs)) {
			st_fail(st, "cpu %u: no stats", cpu);
			continue;
		}
		lost = rs.lost_full + rs.lost_overwritten + rs.lost_nesting +
		       rs.lost_disabled;
		if (rs.buffered)
			st_fail(st, "cpu %u: %llu events buffered after the final drain",
				cpu, rs.buffered);
		if (rs.written != rs.read + rs.buffered + lost)
			st_fail(st, "cpu %u: written %llu != read %llu + buffered %llu + lost %llu",
				cpu, rs.written, rs.read, rs.buffered, lost);
		if (rs.written != attempts)
			st_fail(st, "cpu %u: ring counted %llu written, writers attempted %llu",
				cpu, rs.written, attempts);
		if (rs.read != c->events_read)
			st_fail(st, "cpu %u: ring counted %llu read, reader decoded %llu",
				cpu, rs.read, c->events_read);
		if (rs.lost_full != full)
			st_fail(st, "cpu %u: ring counted %llu lost_full, writers %llu",
				cpu, rs.lost_full, full);
		if (rs.lost_nesting + rs.lost_disabled != other)
			st_fail(st, "cpu %u: ring counted %llu lost_nesting+disabled, writers %llu",
				cpu, rs.lost_nesting + rs.lost_disabled, other);
		/*
		 * Every missing event is a loss the ring counted, and the
		 * reverse. Headers report the losses before each sub-buffer;
		 * drops after the last one stay pending in the tail word (no
		 * later header carries them): they can only be trailing gaps.
		 */
		if (c->gaps + trailing != lost)
			st_fail(st, "cpu %u: %llu events missing in streams, ring lost %llu",
				cpu, c->gaps + trailing, lost);
		if (c->lost_reported > rs.lost_full + rs.lost_overwritten) {
			st_fail(st, "cpu %u: headers reported %llu lost, ring %llu + %llu",
				cpu, c->lost_reported, rs.lost_full,
				rs.lost_overwritten);
		} else {
			unreported = rs.lost_full + rs.lost_overwritten -
				     c->lost_reported;
			if (unreported > trailing)
				st_fail(st, "cpu %u: %llu losses in no header, %llu trailing",
					cpu, unreported, trailing);
		}
		if (rs.discarded != discarded)
			st_fail(st, "cpu %u: ring counted %llu discarded, writers discarded %llu",
				cpu, rs.discarded, discarded);
		if (rs.subbufs_read != c->subbufs_read)
			st_fail(st, "cpu %u: ring counted %llu sub-buffers read, reader %llu",
				cpu, rs.subbufs_read, c->subbufs_read);

		res->written += rs.written;
		res->read += rs.read;
		res->bytes += rs.bytes;
		res->lost_full += rs.lost_full;
		res->lost_overwritten += rs.lost_overwritten;
		res->lost_nesting += rs.lost_nesting;
		res->lost_disabled += rs.lost_disabled;
		res->lost_reported += c->lost_reported;
		res->buffered += rs.buffered;
		res->subbufs_read += rs.subbufs_read;
		res->subbufs_overwritten += rs.subbufs_overwritten;
		res->hardirq_written += c->streams[ST_STREAM_HRTIMER].next_seq;
		res->nested += c->nested;
	}
}

/* Stop whatever runs; safe on a partly started test. */
static void st_stop(struct ktr_selftest *st)
{
	unsigned int cpu;

	for_each_cpu(cpu, st->cpus) {
		struct st_cpu *c = &st->percpu[cpu];

		if (c->writer) {
			kthread_stop(c->writer);
			put_task_struct(c->writer);
			c->writer = NULL;
		}
	}
	/* The kthreads started the timers; none can start one any more. */
	WRITE_ONCE(st->timers_stop, 1);
	for_each_cpu(cpu, st->cpus)
		hrtimer_cancel(&st->percpu[cpu].timer);
	if (st->reader) {
		kthread_stop(st->reader);
		put_task_struct(st->reader);
		st->reader = NULL;
	}
}

static int st_create_threads(struct ktr_selftest *st)
{
	struct task_struct *t;
	unsigned int cpu;

	t = kthread_create(st_reader_fn, st, "ktr_st_reader");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	st->reader = t;

	for_each_cpu(cpu, st->cpus) {
		struct st_cpu *c = &st->percpu[cpu];

		t = kthread_create_on_node(st_writer_fn, c, cpu_to_node(cpu),
					   "ktr_st_writer/%u", cpu);
		if (IS_ERR(t))
			return PTR_ERR(t);
		kthread_bind(t, cpu);
		get_task_struct(t);
		c->writer = t;
	}
	return 0;
}

static void st_free(struct ktr_selftest *st)
{
	if (!IS_ERR_OR_NULL(st->rb))
		ktr_rb_free(st->rb);
	kfree(st->percpu);
	free_cpumask_var(st->cpus);
	kfree(st);
}

/**
 * ktr_rb_test_selftest() - stress a ring buffer of its own and check every event
 * @cfg: geometry, mode and duration.
 * @res: filled with the counters (also when errors were found).
 *
 * Context: task (sleeps for about @cfg->duration_ms).
 * Return: 0 when the test ran (@res->errors says whether it passed);
 * -EBUSY when another self-test runs; -EINVAL for a geometry the ring
 * buffer refuses; -ENOMEM; -EINTR if interrupted before it started.
 */
int ktr_rb_test_selftest(const struct ktr_selftest_cfg *cfg,
			 struct ktr_selftest_result *res)
{
	struct ktr_rb_config rbcfg = {
		.subbuf_size = cfg->subbuf_size,
		.nr_subbufs = cfg->nr_subbufs,
		.mode = cfg->mode,
	};
	struct ktr_selftest *st;
	unsigned int cpu;
	ktime_t start;
	int ret;

	if (!mutex_trylock(&st_running))
		return -EBUSY;

	ret = -ENOMEM;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		goto out_unlock;
	st->cfg = *cfg;
	if (!zalloc_cpumask_var(&st->cpus, GFP_KERNEL)) {
		kfree(st);
		goto out_unlock;
	}
	st->percpu = kcalloc(nr_cpu_ids, sizeof(*st->percpu), GFP_KERNEL);
	if (!st->percpu)
		goto out_free;
	st->rb = ktr_rb_create(&rbcfg);
	if (IS_ERR(st->rb)) {
		ret = PTR_ERR(st->rb);
		goto out_free;
	}
	st->max_payload = ktr_rb_max_payload(st->rb);

	/* CPUs going offline during the test show up as errors. */
	cpumask_copy(st->cpus, cpu_online_mask);
	for_each_cpu(cpu, st->cpus) {
		struct st_cpu *c = &st->percpu[cpu];

		c->st = st;
		c->cpu = cpu;
		hrtimer_init(&c->timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		c->timer.function = st_timer_fn;
	}

	ret = st_create_threads(st);
	if (ret) {
		st_stop(st);	/* never woken: their functions do not run */
		goto out_free;
	}

	pr_info("%s mode, %u x %u bytes per CPU, %u CPUs, %u ms\n",
		cfg->mode == KTR_RB_MODE_OVERWRITE ? "overwrite" : "discard",
		cfg->nr_subbufs, cfg->subbuf_size, cpumask_weight(st->cpus),
		cfg->duration_ms);
	start = ktime_get();
	wake_up_process(st->reader);
	for_each_cpu(cpu, st->cpus)
		wake_up_process(st->percpu[cpu].writer);

	/* A signal (the caller gave up) ends the test early; it still checks. */
	msleep_interruptible(cfg->duration_ms);
	st_stop(st);

	memset(res, 0, sizeof(*res));
	res->elapsed_ms = (u32)ktime_ms_delta(ktime_get(), start);
	res->cpus = cpumask_weight(st->cpus);
	st_final_check(st, res);
	res->flushes = st->flushes;
	res->long_events = st->long_events;
	res->time_records = st->time_records;
	res->errors = st->errors;
	strscpy(res->error, st->error, sizeof(res->error));
	pr_info("written %llu read %llu lost %llu (full %llu overwritten %llu) nested %llu: %llu errors\n",
		res->written, res->read,
		res->lost_full + res->lost_overwritten + res->lost_nesting +
		res->lost_disabled, res->lost_full, res->lost_overwritten,
		res->nested, res->errors);
	ret = 0;

out_free:
	st_free(st);
out_unlock:
	mutex_unlock(&st_running);
	return ret;
}
