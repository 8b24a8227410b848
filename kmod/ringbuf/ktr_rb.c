// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_rb.c - ktr's ring buffer: per-CPU, lockless, nestable, exact about loss.
 *
 * This file builds unchanged into ktr.ko and into a host library (through
 * ktr_rb_compat.h); the host tests run it under ThreadSanitizer and
 * AddressSanitizer and play interrupt at every labelled step below. The
 * record format a reader decodes is documented in uapi/ktr_ringbuf.h.
 *
 * Ideas come from the kernel's ring buffer (kernel/trace/ring_buffer.c:
 * reader page swapped out of the ring, commit by the outermost writer, time
 * deltas in a 32-bit header) and from LTTng's lib/ringbuffer (reservation
 * by cmpxchg of a position, sub-buffers at fixed places, get/put of whole
 * sub-buffers). No code is shared with either.
 *
 *
 * Picture
 * =======
 *
 * Each CPU has a ring of N sub-buffers (N = nr_subbufs, a power of two) and
 * one more sub-buffer, the reader's spare. All N + 1 live in one page-
 * aligned area; "id" numbers them in that area. The ring is an indirection
 * table, slot_map[], from ring slot to id; sub-buffer number "seq" (per
 * CPU, counting from 0) lives in slot seq % N.
 *
 *                  slot 0   slot 1   slot 2   slot 3            reader
 *   slot_map[]    +------+ +------+ +------+ +------+          +------+
 *     (ids)       |  2   | |  0   | |  4   | |  3   |          |  1   |
 *                 +------+ +------+ +------+ +------+          +------+
 *   seq held         8        5        6        7            spare/held
 *                  ^   ^      ^
 *             commit   tail   consumed
 *
 *   seq 5..7 are sealed and published: the reader may take 5 (consumed).
 *   seq 8 is being written: reserved up to tail, published up to commit.
 *
 * To take seq 5 the reader swaps its spare (id 1) into slot 1 and keeps
 * id 0; when it is done, id 0 becomes its spare. The sub-buffer a reader
 * holds is out of the ring, so writers never wait for the reader, and a
 * reader reads it in place (user space maps the sub-buffers read-only and
 * takes/returns them with get/put ioctls, the id telling it where to look).
 *
 *
 * Position words
 * ==============
 *
 * A position is one unsigned long (64-bit kernels only):
 *
 *    63           40  39   38                                        0
 *   +---------------+----+-------------------------------------------+
 *   |  seq (24 bit) | S  |  S=0: offset of the next free byte        |
 *   |               |    |  S=1: events dropped since seq was sealed |
 *   +---------------+----+-------------------------------------------+
 *
 * S (sealed) means no record will be added to sub-buffer seq again; the
 * next reservation must start seq + 1. The 24-bit seq wraps (2^24 is a
 * multiple of N, so seq % N stays right); it only has to tell sub-buffers
 * apart within the N around the current one. The full 64-bit sequence
 * number is rebuilt from "consumed", which is never more than N behind.
 *
 * tail     reserve position: moved only by local cmpxchg on this CPU.
 *          Every change of the write side - reserving, sealing, dropping,
 *          starting a sub-buffer - is one cmpxchg of tail, so the order of
 *          those cmpxchgs is the order of the stream, drops included.
 * commit   published position: a copy of tail taken by the outermost
 *          writer when nothing else is in flight on the CPU. Everything
 *          before it is committed; every sub-buffer before it (and the one
 *          at it, if sealed) is final: its header says how many bytes and
 *          events it holds.
 * consumed (seq of the oldest unread sub-buffer << 2) | state, state being
 *          NORMAL, HELD (the reader is taking it) or PUSHING (an overwrite-
 *          mode writer is recycling it). The one word that both the
 *          reader and the writers modify: real atomics, slow path only.
 *
 * Writers
 * =======
 *
 * A writer runs with preemption disabled on the CPU whose ring it writes.
 * Other writers of that ring are interrupts (softirq, hardirq, NMI) that
 * nest on top of it and finish before it resumes; "nest" counts them, and
 * a writer's level is the value of nest it got (1 = outermost).
 *
 * last[level] = (tail, ts) of the last reservation made at that level:
 * where the next record finds the time of the record just before it.
 *
 * ktr_rb_reserve(len):
 *
 *   R0   disabled?  -> refuse (lost_disabled)
 *        level = ++nest; level > KTR_RB_MAX_NEST?  -> nest--, refuse
 *   R1   again:                                          (lost_nesting)
 *          old = tail                                          (A)
 *   R2     prev = last[i].ts of the level i whose last[i].tail == old
 *          (own level first), if any; ts = max(clock, prev)
 *   R3     if old is sealed or the record does not fit: slow path
 *          time record: none if prev was found and ts - prev fits 27
 *                       bits, TIME_EXTEND if found (delta < 2^59),
 *                       TIME_STAMP otherwise
 *          if cmpxchg(tail, old, old + size) fails: goto again (C)
 *   R4     last[level].ts = ts
 *   R5     last[level].tail = old + size                       (D)
 *   R6     write time record and record header
 *   R7   return; the caller fills the payload
 *
 * ktr_rb_commit():
 *
 *   C1   count the event in its sub-buffer and in written/bytes
 *   C2   again:
 *          if nest == 1 (outermost):
 *   C3       t = tail; finalize the sub-buffers sealed in (commit, t]
 *   C4       store-release commit = t
 *   C5     nest--; if nest != 0: return (an outer writer will publish)
 *   C6     if tail != commit: nest++, goto again
 *
 * The slow path (sub-buffer switch) of reserve, at position old in seq s:
 *
 *   S1   room for seq s + 1? It goes in slot (s + 1) % N, which is free
 *        once the reader has consumed seq s + 1 - N. If it has not:
 *          discard mode:   no room;
 *          overwrite mode: if seq s + 1 - N is published complete and
 *   S2     nobody holds it: cmpxchg(consumed, NORMAL -> PUSHING),
 *   S3     count its events as overwritten, store-release consumed =
 *   S4     next seq (NORMAL); otherwise no room.
 *        room:    new = (s + 1, header + record)
 *        no room: new = (s, S, drops + 1)      (or (s, S, 1) if not sealed)
 *        if cmpxchg(tail, old, new) fails: back to R1
 *   S5/S8 if old was not sealed: write PADDING from its offset to the end,
 *        note where the data ended (it becomes the header's commit)
 *        no room (S8): count lost_full and return -ENOSPC
 *   S6   room: write the new header (seq, base time = ts, lost = drops
 *        counted in old)
 *   S7   clear every last[].tail (no slot may outlive a wrap of the 24-bit
 *        seq); last[level] = (new, ts); write the record at the start of
 *        the new sub-buffer with time_delta 0
 *
 * ktr_rb_flush() is a writer that only seals: cmpxchg(tail, (s, off) ->
 * (s, S, 0)), then PADDING, then the commit protocol (F1, F2). When tail is
 * sealed already with drops counted, (s, S, d > 0), and seq s + 1 has room
 * (S1..S4), it starts s + 1 empty and sealed instead: cmpxchg(tail,
 * (s, S, d) -> (s + 1, S, 0)), then the header (lost = d) and PADDING, as
 * S6 and S5 do; an interrupt in between sees a sealed tail and moves on to
 * s + 2 as after any seal. So the reader learns of drops at the end of a
 * stream too, not only when a later event starts a sub-buffer.
 *
 *
 * Why the timestamps are right
 * ============================
 *
 * Writers of one level never interleave: a level-k writer is interrupted
 * only by levels above k, which finish first, and the next level-k writer
 * starts after it. So last[k] is written by one writer at a time, ts before
 * tail. If last[k].tail == old, the writer Y that stored it reserved the
 * record ending at old and stored its ts just before; the next level-k
 * writer overwrites last[k].ts only after its own reservation, which moves
 * tail past old for good. A slot torn by a suspended writer pairs an older
 * tail with a newer ts: its tail is behind the current tail and matches
 * nothing. If (C) succeeds, no writer reserved between (A) and (C), so the
 * slot read in between was not changed in between either. Hence a record
 * takes its delta from exactly the record before it, or carries an
 * absolute TIME_STAMP.
 *
 * (A single (last_tail, last_ts) pair is not enough: an interrupt I after
 * W's (C) stores I's pair; W resumes and stores its ts; a second interrupt
 * J, before W's tail store, finds I's tail with W's ts. The host stress
 * test found exactly that.)
 *
 * The clock is read after (A), and the record before it read the clock
 * before its own (C): on one CPU the clock is monotonic, so records are in
 * time order in the ring. max(clock, prev) keeps that true even if the
 * clock stepped back.
 *
 *
 * Interrupts between the steps
 * ============================
 *
 * An interrupt I that writes on this CPU runs to completion between two
 * steps of the writer W it interrupts. Step by step:
 *
 *   R0       I is an ordinary earlier writer.
 *   R1..R3   I moves tail, so W's (C) fails and W retries with a fresh
 *            tail, last[] and clock. I sees nest >= 2 and does not
 *            publish; W is still counted in nest, so the outermost writer
 *            publishes I's record later.
 *   R4, R5   I finds no slot matching W's new tail (last[W's level] holds
 *            an older tail): I uses a TIME_STAMP and stores last[its
 *            level]. W then completes last[its level], which does not
 *            match tail any more; I's slot does, so the next writer takes
 *            its delta from I's record. A second interrupt J at R5 sees
 *            W's slot torn (older tail, W's ts): no match there either.
 *   R6, R7   last[W's level] describes W's record: I takes its delta
 *            against W's ts and writes after W's reserved space, even
 *            though W has not written its header or payload yet. Nothing
 *            reads either until the outermost writer publishes, after W
 *            commits.
 *   C1..C2   I is nested (nest >= 2): it commits without publishing.
 *   C3..C4   W is outermost and publishing up to the t it read. I
 *            reserves after t and does not publish (nest = 2). Sub-buffers
 *            after t are not finalized by W. W's store of commit = t is
 *            monotonic: nobody else publishes while W holds nest == 1.
 *   C5       W stored commit but still counts in nest: I does not publish.
 *            W drops nest to 0, sees tail != commit (C6) and publishes again.
 *   C6       nest is 0: I is outermost and publishes everything. W then
 *            sees tail == commit, or publishes again (idempotent).
 *   S1       I may fill sub-buffers and start new ones; W's (C) fails (or
 *            the reader has consumed past W's next sub-buffer meanwhile:
 *            W sees its tail is stale and retries).
 *   S2       as S1; I may push the oldest itself: W's cmpxchg on consumed
 *            fails and W looks again.
 *   S3       consumed is PUSHING: I finds no room (lost_full), counted in
 *            tail; W's (C) then fails and W retries from R1.
 *   S4       the oldest is recycled but W has not moved tail: I enters the
 *            new sub-buffer itself; W's (C) fails and W retries.
 *   S5/S8    tail is in seq s + 1 (or sealed) but the padding is not
 *            written: I reserves after W's record in s + 1 (TIME_STAMP, no
 *            slot matches) or drops. It never touches seq s.
 *   S6, S7   the header of s + 1 is not written (S6) or no slot describes
 *            W's record yet (S7): I's records follow W's in s + 1 with a
 *            TIME_STAMP, and no reader sees s + 1 before W commits. W's
 *            clearing of last[] may erase I's slot: the next writer then
 *            uses a TIME_STAMP. Had I found s + 1 full and sealed it, its
 *            padding and data end are kept apart from the header W writes.
 *   F1, F2   as R1..R3 and S5.
 *   G1, G2   the reader holds consumed in state HELD: a writer that needs
 *            to recycle that sub-buffer finds no room (lost_full) instead
 *            of waiting; one that does not, proceeds.
 *
 * Whichever step it interrupts, I leaves tail, last[] and nest in states
 * from which W's next step is still correct: the host tests check this by
 * running a nested writer (and a nested writer in it) at every label, and
 * the stress test by running interrupts at random labels, many per write.
 *
 *
 * The reader
 * ==========
 *
 * ktr_rb_get_subbuf(cpu):
 *   c = consumed (acquire); PUSHING: -EAGAIN (try again)
 *   c complete per commit (acquire)?  else -ENODATA
 *   cmpxchg(consumed, c NORMAL -> c HELD), else look again
 *   G1   swap: slot_map[c % N] = spare; the reader now owns the old id
 *        header lost += skipped - skipped at the previous get
 *   G2   store-release consumed = c + 1 (NORMAL)
 * ktr_rb_put_subbuf(cpu): count read; the held id becomes the spare.
 *
 * Why a spare swap and one commit position: the held sub-buffer is out of
 * the ring, so in overwrite mode a writer never has to wait for a slow
 * reader, and the reader reads in place without copying; in discard mode
 * it also lends the ring its last slot. Readers and writers meet on a single
 * word (consumed), not on list pointers with flag bits as in ftrace. LTTng
 * keeps a commit counter per sub-buffer, which lets any writer close a
 * sub-buffer; a single commit position published by the outermost writer
 * is simpler, gives a committed prefix (what flush needs), and costs one
 * store per outermost commit.
 *
 * Flush seals a partly filled sub-buffer so that get can return it: live
 * streaming calls it on each CPU (it must run on the CPU it flushes:
 * smp_call_function_single() or a per-CPU timer).
 *
 * Waking the reader: a reader about to sleep arms its CPU's ring
 * (ktr_rb_arm_wakeup()) and then looks again; the outermost writer that
 * publishes a commit position past a sealed sub-buffer disarms it and
 * calls the reader's hook (ktr_rb_set_wakeup()), once per arming:
 *
 *   reader: armed = 1; full barrier; look at commit (acquire)
 *   writer: store-release commit; full barrier; armed 1 -> 0 (cmpxchg)
 *           won: busy++; fn = hook (acquire); fn(arg); busy--
 *   clear:  hook = NULL; until busy == 0 (fully ordered reads): wait
 *
 * Either the reader sees the new sub-buffer or the writer sees it armed
 * (both barriers are full): no wakeup is lost. Either the clearing sees a
 * writer in the hook and waits for it, or that writer finds no hook: once
 * ktr_rb_set_wakeup() returns, no writer is in the old hook or will enter
 * it, whatever context the writers run in (RCU need not be watching).
 * Nothing is paid per event: all of this is on the sub-buffer switch, and
 * only while a reader is armed. The hook runs in the writer's context
 * (NMI included) and must only queue work (an irq_work).
 *
 *
 * Overwrite mode
 * ==============
 *
 * A writer that needs the slot of the oldest unread sub-buffer pushes
 * consumed past it (S2..S4), counting its events as lost_overwritten and
 * its events plus the drops before it in "skipped". It does so only if
 * that sub-buffer is published complete (no interrupted writer still
 * fills it) and not being taken by the reader (HELD); otherwise the new
 * event is refused and counted (lost_full), never written over data in
 * use. The sub-buffer the reader holds is out of the ring and never
 * recycled.
 *
 *
 * Loss: exact counts, exact place
 * ===============================
 *
 * Per CPU, with no writer in flight and the reader between calls:
 *
 *   written == read + buffered + lost_full + lost_overwritten
 *                   + lost_nesting + lost_disabled
 *
 * (written counts committed and refused events; buffered is the sum of
 * the entries of the unread sub-buffers; discarded reservations are not
 * events). A drop for lack of room is counted in the tail word itself,
 * by the same cmpxchg that orders records, so the writer that starts the
 * next sub-buffer knows exactly how many events were lost before it and
 * writes that into its header. For overwritten sub-buffers the reader adds
 * "skipped" at get time: their events and the drops before them. So a
 * reader knows how many events were lost between any two sub-buffers it
 * receives, not just in total. Two limits: refusals for nesting or a
 * disabled buffer are only counted (they are not at a sub-buffer boundary),
 * and beyond 2^39 - 1 drops in one gap (an hour of a stalled reader) the
 * excess goes to an overflow counter whose attribution can be one
 * sub-buffer late if it races with an interrupt.
 *
 *
 * Time
 * ====
 *
 * ns of local_clock(): per-CPU monotonic, NMI-safe and cheap even where
 * the TSC is unstable (the clocksource is then a slow HPET, which
 * local_clock() does not read). CPUs may disagree: by little with a stable
 * TSC, by up to about a scheduler tick where it is unstable (sched_clock
 * is then kept per CPU and pulled towards the tick's time).
 * ktr_rb_clock_map() gives a (local_clock, CLOCK_MONOTONIC) pair sampled
 * back to back, for user space to place events on the CLOCK_MONOTONIC
 * time line (exported with the data plane; a per-CPU resync from the
 * flush timer can refine it).
 *
 *
 * Rules for callers
 * =================
 *
 * - Writers: any context (task, softirq, hardirq, NMI); reserve disables
 *   preemption until commit/discard. Payload <= ktr_rb_max_payload().
 * - One reader per CPU ring at a time (the caller serializes, e.g. one
 *   mutex per CPU), from task context or any context that cannot
 *   interrupt a writer of that CPU. Flush runs on the CPU it flushes.
 * - create/free/clock_resync: task context; free only once no writer or
 *   reader can run (disable, then synchronize_rcu()).
 * - The reader's wakeup hook: set and cleared by the reader, task context;
 *   called by writers, any context (see "Waking the reader").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ringbuf: " fmt

#include "ktr.h"
#include "ktr_rb_internal.h"

static_assert(sizeof(unsigned long) == 8, "ktr_rb needs 64-bit positions");
static_assert(sizeof(struct ktr_rb_subbuf_hdr) == 64, "uapi header size");

#define RB_HDR_SIZE	((u32)sizeof(struct ktr_rb_subbuf_hdr))
#define RB_SEQ_HALF	0x800000U
#define RB_EXTEND_LIMIT	BIT(KTR_RB_TIME_EXTEND_BITS)

/* --- position words ---------------------------------------------------- */

static __always_inline unsigned long rb_pos(u32 seq, unsigned long off)
{
	return ((unsigned long)(seq & RB_SEQ_MASK) << RB_SEQ_SHIFT) | off;
}

static __always_inline u32 rb_seq(unsigned long pos)
{
	return (u32)(pos >> RB_SEQ_SHIFT);
}

static __always_inline bool rb_sealed(unsigned long pos)
{
	return pos & RB_SEALED;
}

static __always_inline unsigned long rb_off(unsigned long pos)
{
	return pos & RB_OFF_MASK;
}

static __always_inline u32 rb_seq_next(u32 seq)
{
	return (seq + 1) & RB_SEQ_MASK;
}

/* seq24 - full as a signed distance (both within 2^23 of each other). */
static __always_inline long rb_seq_delta(u32 seq24, u64 full)
{
	u32 d = (seq24 - (u32)full) & RB_SEQ_MASK;

	return d < RB_SEQ_HALF ? (long)d : (long)d - (long)(RB_SEQ_MASK + 1);
}

/* Is sub-buffer @seq final according to the published position @commit? */
static __always_inline bool rb_complete(unsigned long commit, u64 seq)
{
	long d = rb_seq_delta(rb_seq(commit), seq);

	return d > 0 || (d == 0 && rb_sealed(commit));
}

static __always_inline unsigned long rb_tail_read(struct ktr_rb_cpu *cb)
{
	return (unsigned long)local_read(&cb->tail);
}

static __always_inline unsigned long
rb_tail_cmpxchg(struct ktr_rb_cpu *cb, unsigned long old, unsigned long new)
{
	return (unsigned long)local_cmpxchg(&cb->tail, (long)old, (long)new);
}

static __always_inline u64 rb_consumed_seq(long cw)
{
	return (u64)cw >> 2;
}

static __always_inline long rb_consumed_word(u64 seq, long state)
{
	return (long)(seq << 2) | state;
}

/* --- sub-buffers and records -------------------------------------------- */

static __always_inline u32 rb_slot(const struct ktr_rb *rb, u64 seq)
{
	return (u32)seq & (rb->nr_subbufs - 1);
}

static __always_inline u8 *rb_subbuf(struct ktr_rb_cpu *cb, u32 id)
{
	return cb->area + (size_t)id * cb->rb->subbuf_size;
}

static __always_inline struct ktr_rb_subbuf_hdr *
rb_hdr(struct ktr_rb_cpu *cb, u32 id)
{
	return (struct ktr_rb_subbuf_hdr *)rb_subbuf(cb, id);
}

/* The sub-buffer id in the slot of @seq. */
static __always_inline u32 rb_id(struct ktr_rb_cpu *cb, u64 seq)
{
	return READ_ONCE(cb->slot_map[rb_slot(cb->rb, seq)]);
}

static __always_inline bool rb_len_in_type(u32 len)
{
	return len && !(len & 3) && len / 4 <= KTR_RB_TYPE_DATA_MAX;
}

/* Bytes of an event record with a @len byte payload. */
static __always_inline u32 rb_data_size(u32 len)
{
	u32 payload = (len + 3) & ~3U;

	return rb_len_in_type(len) ? 4 + payload : 8 + payload;
}

static __always_inline void rb_count_lost(struct ktr_rb_cpu *cb, local_t *why)
{
	local_inc(&cb->written);
	local_inc(why);
}

static void rb_check(struct ktr_rb_cpu *cb, const char *what)
{
	WRITE_ONCE(cb->rb->disabled, 1);
	ktr_rb_warn(what);
}

/*
 * Record the reservation just made at nesting @level: ts first, then tail,
 * so that a slot whose tail matches always holds the matching ts.
 */
static __always_inline void rb_set_last(struct ktr_rb_cpu *cb, long level,
					u64 ts, unsigned long tail)
{
	WRITE_ONCE(cb->last[level].ts, ts);
	ktr_rb_step(cb, KTR_RB_AT_LAST_TS);
	/* Compiler barrier: interrupts on this CPU see the stores in order. */
	barrier();
	WRITE_ONCE(cb->last[level].tail, tail);
}

/*
 * The timestamp of the record that ends at @tail, if the writer of that
 * record recorded it (own level first: the common case). Otherwise false,
 * and *@ts is a recent timestamp of this CPU, to clamp the clock with.
 */
static __always_inline bool rb_prev_ts(struct ktr_rb_cpu *cb, long level,
				       unsigned long tail, u64 *ts)
{
	long i;

	if (likely(READ_ONCE(cb->last[level].tail) == tail)) {
		*ts = READ_ONCE(cb->last[level].ts);
		return true;
	}
	for (i = 1; i <= KTR_RB_MAX_NEST; i++) {
		if (i != level && READ_ONCE(cb->last[i].tail) == tail) {
			*ts = READ_ONCE(cb->last[i].ts);
			return true;
		}
	}
	*ts = READ_ONCE(cb->last[level].ts);
	return false;
}

/*
 * Forget every level's last reservation (a new sub-buffer starts): a slot
 * left untouched for 2^24 sub-buffers could otherwise match a tail again.
 */
static void rb_forget_last(struct ktr_rb_cpu *cb)
{
	long i;

	for (i = 1; i <= KTR_RB_MAX_NEST; i++)
		WRITE_ONCE(cb->last[i].tail, 0UL);
}

/*
 * Seal sub-buffer @seq whose records end at @off: PADDING to the end, and
 * remember where the data ended. Called by the one writer whose cmpxchg
 * sealed it, before that writer's commit: no reader can see it yet.
 */
static void rb_seal(struct ktr_rb_cpu *cb, u32 seq, unsigned long off,
		    u32 flags)
{
	u32 id = rb_id(cb, seq);
	u32 rest = cb->rb->subbuf_size - (u32)off;
	u32 *w = (u32 *)(rb_subbuf(cb, id) + off);

	if (rest >= 8) {
		w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U);
		w[1] = rest;
	} else if (rest) {
		w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U);
	}
	WRITE_ONCE(cb->meta[id].data_end, (u32)off);
	WRITE_ONCE(cb->meta[id].flags, flags);
}

/*
 * Write the time record (@tlen bytes) and the event header at @off of the
 * sub-buffer of @seq, and fill @ev.
 */
static __always_inline void rb_fill(struct ktr_rb_cpu *cb,
				    struct ktr_rb_event *ev, u32 seq,
				    unsigned long off, u32 tlen, u64 ts,
				    u64 delta, u32 len, u32 size)
{
	u32 id = rb_id(cb, seq);
	u32 *w = (u32 *)(rb_subbuf(cb, id) + off);

	ktr_rb_step(cb, KTR_RB_AT_HEADER);
	if (unlikely(tlen == KTR_RB_TIME_EXTEND_SIZE)) {
		w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_TIME_EXTEND,
					    (u32)delta & KTR_RB_TIME_DELTA_MAX);
		w[1] = (u32)(delta >> KTR_RB_TIME_DELTA_BITS);
		w += 2;
		delta = 0;
	} else if (unlikely(tlen == KTR_RB_TIME_STAMP_SIZE)) {
		w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_TIME_STAMP, 0U);
		w[1] = (u32)ts;
		w[2] = (u32)(ts >> 32);
		w += 3;
		delta = 0;
	}
	ev->rec = w;
	if (likely(rb_len_in_type(len))) {
		w[0] = KTR_RB_RECORD_HEADER(len / 4, (u32)delta);
		ev->data = w + 1;
	} else {
		w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_DATA_LEN, (u32)delta);
		w[1] = len;
		ev->data = w + 2;
	}
	/*
	 * The payload's last word, before the writer fills it: the bytes
	 * rounding @len up to 4 and a struct's tail padding (at most 4 bytes
	 * in a 4-byte aligned payload) must not show an older record.
	 */
	if (likely(len))
		((u32 *)ev->data)[(len - 1) / 4] = 0;
	ev->ts = ts;
	ev->len = len;
	ev->cb = cb;
	ev->id = id;
	ev->size = tlen + size;
	ktr_rb_step(cb, KTR_RB_AT_WRITTEN);
}

/* --- the slow path: starting a sub-buffer --------------------------------- */

/* Count the events of the oldest sub-buffer, which is being recycled. */
static void rb_account_overwritten(struct ktr_rb_cpu *cb, u64 seq)
{
	struct ktr_rb_subbuf_hdr *hdr = rb_hdr(cb, rb_id(cb, seq));
	u32 entries = READ_ONCE(hdr->entries);
	u64 lost = READ_ONCE(hdr->lost);

	local_add(entries, &cb->lost_overwritten);
	local_add((long)(entries + lost), &cb->skipped);
	local_inc(&cb->subbufs_overwritten);
}

/*
 * Can sub-buffer @next (24-bit seq) start? Returns 0 and its full sequence
 * number in @seq64, -ENOSPC, or -EAGAIN when the reader is already past
 * @next (the tail this writer read is stale: interrupts moved it on). In
 * overwrite mode this recycles the oldest sub-buffer when it may (S2..S4).
 */
static int rb_make_room(struct ktr_rb_cpu *cb, u32 next, u64 *seq64)
{
	const struct ktr_rb *rb = cb->rb;
	long cw, d;
	u64 c;

	for (;;) {
		cw = atomic_long_read_acquire(&cb->consumed);
		c = rb_consumed_seq(cw);
		d = rb_seq_delta(next, c);
		*seq64 = c + (u64)d;
		if (unlikely(d < 0))
			return -EAGAIN;
		if (likely(d < (long)rb->nr_subbufs))
			return 0;
		if (d != (long)rb->nr_subbufs) {
			rb_check(cb, "tail more than a ring ahead of the reader");
			return -ENOSPC;
		}
		if (rb->mode != KTR_RB_MODE_OVERWRITE ||
		    (cw & RB_STATE_MASK) != RB_NORMAL ||
		    !rb_complete(READ_ONCE(cb->commit), c))
			return -ENOSPC;

		ktr_rb_step(cb, KTR_RB_AT_PUSH);
		if (atomic_long_cmpxchg(&cb->consumed, cw, cw | RB_PUSHING) != cw)
			continue;
		ktr_rb_step(cb, KTR_RB_AT_PUSHING);
		rb_account_overwritten(cb, c);
		atomic_long_set_release(&cb->consumed,
					rb_consumed_word(c + 1, RB_NORMAL));
		ktr_rb_step(cb, KTR_RB_AT_PUSHED);
	}
}

/* Header of the sub-buffer @seq64 that the writer just started at @ts. */
static void rb_init_subbuf(struct ktr_rb_cpu *cb, u64 seq64,
			   unsigned long old, u64 ts)
{
	const struct ktr_rb *rb = cb->rb;
	struct ktr_rb_subbuf_hdr *hdr = rb_hdr(cb, rb_id(cb, seq64));
	u64 lost = rb_sealed(old) ? rb_off(old) : 0;

	if (unlikely(local_read(&cb->drops_overflow)))
		lost += (u64)local_xchg(&cb->drops_overflow, 0);

	WRITE_ONCE(hdr->size, RB_HDR_SIZE);
	WRITE_ONCE(hdr->flags, rb->mode == KTR_RB_MODE_OVERWRITE ?
		   KTR_RB_SB_OVERWRITE : 0U);
	WRITE_ONCE(hdr->seq, seq64);
	WRITE_ONCE(hdr->time_stamp, ts);
	WRITE_ONCE(hdr->commit, 0U);
	WRITE_ONCE(hdr->entries, 0U);
	WRITE_ONCE(hdr->lost, lost);
	WRITE_ONCE(hdr->cpu, cb->cpu);
	WRITE_ONCE(hdr->subbuf_size, rb->subbuf_size);
	WRITE_ONCE(hdr->reserved[0], 0ULL);
	WRITE_ONCE(hdr->reserved[1], 0ULL);
	local_inc(&cb->subbufs_written);
}

/*
 * The record (@size bytes, event only) does not fit at @old: start the next
 * sub-buffer, or drop. Returns 0 (reserved, @ev filled), -ENOSPC (dropped
 * and counted) or -EAGAIN (tail moved: start again).
 */
static int rb_switch(struct ktr_rb_cpu *cb, long level, unsigned long old,
		     struct ktr_rb_event *ev, u32 len, u32 size, u64 ts)
{
	u32 seq = rb_seq(old);
	u32 next = rb_seq_next(seq);
	unsigned long new;
	u64 seq64;
	int room;

	ktr_rb_step(cb, KTR_RB_AT_SWITCH);
	room = rb_make_room(cb, next, &seq64);
	if (room == -EAGAIN)
		return -EAGAIN;
	if (!room)
		new = rb_pos(next, RB_HDR_SIZE + size);
	else if (!rb_sealed(old))
		new = rb_pos(seq, RB_SEALED | 1);
	else if (rb_off(old) < ktr_rb_drops_limit(RB_OFF_MASK))
		new = old + 1;
	else
		new = old;	/* saturated: validate, count in the overflow */
	if (rb_tail_cmpxchg(cb, old, new) != old)
		return -EAGAIN;

	if (room) {
		ktr_rb_step(cb, KTR_RB_AT_DROPPED);
		if (new == old)
			local_inc(&cb->drops_overflow);
		else if (!rb_sealed(old))
			rb_seal(cb, seq, rb_off(old), 0);
		rb_count_lost(cb, &cb->lost_full);
		return -ENOSPC;
	}

	ktr_rb_step(cb, KTR_RB_AT_ENTERED);
	if (!rb_sealed(old))
		rb_seal(cb, seq, rb_off(old), 0);
	ktr_rb_step(cb, KTR_RB_AT_SEALED);
	rb_init_subbuf(cb, seq64, old, ts);
	ktr_rb_step(cb, KTR_RB_AT_SUBBUF_INIT);
	rb_forget_last(cb);
	rb_set_last(cb, level, ts, new);
	rb_fill(cb, ev, next, RB_HDR_SIZE, 0, ts, 0, len, size);
	return 0;
}

/* --- reserve ------------------------------------------------------------ */

static int rb_reserve(struct ktr_rb_cpu *cb, long level,
		      struct ktr_rb_event *ev, u32 len)
{
	u32 size = rb_data_size(len);
	u32 limit = cb->rb->subbuf_size;
	unsigned long old, new;
	u64 ts, prev, delta;
	bool known;
	u32 tlen;
	int ret;

	for (;;) {
		old = rb_tail_read(cb);
		ktr_rb_step(cb, KTR_RB_AT_TAIL_READ);
		known = rb_prev_ts(cb, level, old, &prev);
		ts = ktr_rb_clock();
		if (unlikely(ts < prev))
			ts = prev;
		ktr_rb_step(cb, KTR_RB_AT_CLOCK_READ);

		if (likely(!rb_sealed(old))) {
			delta = ts - prev;
			if (likely(known && delta <= KTR_RB_TIME_DELTA_MAX))
				tlen = 0;
			else if (known && delta < RB_EXTEND_LIMIT)
				tlen = KTR_RB_TIME_EXTEND_SIZE;
			else
				tlen = KTR_RB_TIME_STAMP_SIZE;

			if (likely(rb_off(old) + tlen + size <= limit)) {
				new = old + tlen + size;
				if (rb_tail_cmpxchg(cb, old, new) != old)
					continue;
				ktr_rb_step(cb, KTR_RB_AT_RESERVED);
				rb_set_last(cb, level, ts, new);
				rb_fill(cb, ev, rb_seq(old), rb_off(old), tlen,
					ts, delta, len, size);
				return 0;
			}
		}

		ret = rb_switch(cb, level, old, ev, len, size, ts);
		if (ret != -EAGAIN)
			return ret;
	}
}

/* --- commit: the outermost writer publishes ------------------------------ */

/* Sub-buffer @seq is sealed and has no writer left: make its header final. */
static void rb_finalize(struct ktr_rb_cpu *cb, u32 seq)
{
	u32 id = rb_id(cb, seq);
	struct ktr_rb_subbuf_hdr *hdr = rb_hdr(cb, id);
	struct ktr_rb_meta *meta = &cb->meta[id];

	WRITE_ONCE(hdr->commit, READ_ONCE(meta->data_end) - RB_HDR_SIZE);
	WRITE_ONCE(hdr->entries, (u32)local_read(&meta->entries));
	local_set(&meta->entries, 0);
	WRITE_ONCE(hdr->flags, READ_ONCE(hdr->flags) | READ_ONCE(meta->flags));
	WRITE_ONCE(meta->flags, 0U);
}

/*
 * Finalize the sub-buffers sealed in (@c, @t]: the slow part of publish.
 * Returns whether there was one (a sub-buffer the reader can now take).
 */
static bool rb_finalize_range(struct ktr_rb_cpu *cb, unsigned long c,
			      unsigned long t)
{
	u32 last = rb_seq(t);
	u32 seq = rb_seq(c);
	bool any = false;

	/* A sealed commit position was finalized already: start after it. */
	if (rb_sealed(c))
		seq = rb_seq_next(seq);
	for (; seq != rb_seq_next(last); seq = rb_seq_next(seq)) {
		if (seq != last || rb_sealed(t)) {
			rb_finalize(cb, seq);
			any = true;
		}
	}
	return any;
}

/*
 * A sub-buffer became final: call the reader's hook if it is armed.
 * noinline: rb_publish() is inlined into every writer, this is rare.
 */
static noinline void rb_wake_reader(struct ktr_rb_cpu *cb)
{
	void (*fn)(void *arg);

	/* Commit before armed: pairs with ktr_rb_arm_wakeup(). */
	ktr_rb_full_barrier();
	if (!atomic_long_read(&cb->wake_armed) ||
	    atomic_long_cmpxchg(&cb->wake_armed, 1, 0) != 1)
		return;
	/* Fully ordered: pairs with the wait in ktr_rb_set_wakeup(). */
	atomic_long_add_return(1, &cb->wake_busy);
	fn = ktr_rb_load_acquire(&cb->wake_fn);
	if (fn)
		fn(READ_ONCE(cb->wake_arg));
	atomic_long_add_return(-1, &cb->wake_busy);
}

/* Called with nest == 1: nothing else is in flight on this CPU. */
static __always_inline void rb_publish(struct ktr_rb_cpu *cb)
{
	unsigned long t = rb_tail_read(cb);
	unsigned long c = READ_ONCE(cb->commit);
	bool finalized = false;

	ktr_rb_step(cb, KTR_RB_AT_PUBLISH);
	if (t == c)
		return;
	/*
	 * Same seq and same SEALED bit (the common case: tail moved on inside
	 * the open sub-buffer, or counted drops after a sealed one that is
	 * final already): nothing was sealed in (c, t], nothing to finalize.
	 */
	if (unlikely((t ^ c) & ~RB_OFF_MASK))
		finalized = rb_finalize_range(cb, c, t);
	ktr_rb_step(cb, KTR_RB_AT_FINALIZED);
	/* Pairs with the reader's acquire: headers and records first. */
	ktr_rb_store_release(&cb->commit, t);
	if (unlikely(finalized))
		rb_wake_reader(cb);
}

/* Inlined: it runs once per event, at the end of every commit. */
static __always_inline void rb_end_commit(struct ktr_rb_cpu *cb)
{
	for (;;) {
		ktr_rb_step(cb, KTR_RB_AT_END_COMMIT);
		if (local_read(&cb->nest) == 1)
			rb_publish(cb);
		ktr_rb_step(cb, KTR_RB_AT_PUBLISHED);
		/* Compiler barrier: publish before leaving the nest. */
		barrier();
		if (local_dec_return(&cb->nest))
			return;
		ktr_rb_step(cb, KTR_RB_AT_UNNESTED);
		/* Compiler barrier: an interrupt may have reserved before the dec. */
		barrier();
		if (likely(rb_tail_read(cb) == READ_ONCE(cb->commit)))
			return;
		local_inc(&cb->nest);
	}
}

/* --- the write API -------------------------------------------------------- */

/**
 * ktr_rb_reserve() - reserve room for an event on this CPU
 * @rb: the buffer.
 * @ev: filled on success: @ev->data is where the payload goes.
 * @len: payload bytes, at most ktr_rb_max_payload(@rb).
 *
 * On success, preemption stays disabled until ktr_rb_commit() or
 * ktr_rb_discard() on @ev, which must follow on the same CPU and context.
 * Never blocks, allocates or takes a lock.
 *
 * Context: any, including NMI; nests with itself.
 * Return: 0; -ENOSPC when no sub-buffer could be started (counted in
 * lost_full); -ELOOP when writers nest too deeply (lost_nesting); -ENODEV
 * when the buffer is disabled (lost_disabled); -EMSGSIZE when @len is too
 * large (not counted: a caller bug).
 */
int ktr_rb_reserve(struct ktr_rb *rb, struct ktr_rb_event *ev, u32 len)
{
	struct ktr_rb_cpu *cb;
	long level;
	int ret;

	if (unlikely(len > rb->max_payload))
		return -EMSGSIZE;

	ktr_rb_preempt_disable();
	cb = rb->cpus[ktr_rb_this_cpu()];
	ktr_rb_step(cb, KTR_RB_AT_RESERVE);
	if (unlikely(READ_ONCE(rb->disabled))) {
		rb_count_lost(cb, &cb->lost_disabled);
		ret = -ENODEV;
		goto out;
	}
	level = local_inc_return(&cb->nest);
	if (unlikely(level > KTR_RB_MAX_NEST)) {
		local_dec(&cb->nest);
		rb_count_lost(cb, &cb->lost_nesting);
		ret = -ELOOP;
		goto out;
	}
	ktr_rb_step(cb, KTR_RB_AT_NESTED);

	ret = rb_reserve(cb, level, ev, len);
	if (likely(!ret))
		return 0;
	rb_end_commit(cb);
out:
	ktr_rb_preempt_enable();
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_rb_reserve);

/**
 * ktr_rb_commit() - make a reserved event visible to the reader
 * @ev: the reservation, with its payload written.
 *
 * The event becomes readable when the outermost writer of the CPU commits
 * and its sub-buffer is complete (or flushed). Re-enables preemption.
 *
 * Context: the one of the matching ktr_rb_reserve().
 */
void ktr_rb_commit(struct ktr_rb_event *ev)
{
	struct ktr_rb_cpu *cb = ev->cb;

	ktr_rb_step(cb, KTR_RB_AT_COMMIT);
	local_inc(&cb->meta[ev->id].entries);
	local_inc(&cb->written);
	local_add(ev->size, &cb->bytes);
	rb_end_commit(cb);
	ktr_rb_preempt_enable();
}
EXPORT_SYMBOL_GPL(ktr_rb_commit);

/**
 * ktr_rb_discard() - cancel a reservation
 * @ev: the reservation.
 *
 * The record stays in the ring as PADDING that keeps its time delta, so
 * the records after it decode with the right time; its payload is zeroed
 * (a reader must not see what, e.g., an event filter refused). Not an
 * event, not a loss: counted in discarded. Re-enables preemption.
 *
 * Context: the one of the matching ktr_rb_reserve().
 */
void ktr_rb_discard(struct ktr_rb_event *ev)
{
	struct ktr_rb_cpu *cb = ev->cb;
	u32 *w = ev->rec;

	u32 size = rb_data_size(ev->len);

	ktr_rb_step(cb, KTR_RB_AT_DISCARD);
	/* What the writer wrote (and a filter refused) must not be read. */
	memset(&w[2], 0, size - 8);
	w[1] = size;
	w[0] = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING,
				    KTR_RB_RECORD_TIME_DELTA(w[0]));
	local_inc(&cb->discarded);
	rb_end_commit(cb);
	ktr_rb_preempt_enable();
}
EXPORT_SYMBOL_GPL(ktr_rb_discard);

/**
 * ktr_rb_event_buffer() - the buffer a reservation was made in
 * @ev: reserved by ktr_rb_reserve() (committed or not).
 *
 * For a writer that adds a record after another (a stack after its
 * event): the same buffer, even if the caller's pointer to "the" buffer
 * was switched meanwhile.
 *
 * Context: the one of the matching ktr_rb_reserve().
 */
struct ktr_rb *ktr_rb_event_buffer(const struct ktr_rb_event *ev)
{
	return ev->cb->rb;
}
EXPORT_SYMBOL_GPL(ktr_rb_event_buffer);

/**
 * ktr_rb_write() - reserve, copy and commit one event on this CPU
 * @rb: the buffer.
 * @data: the payload.
 * @len: its length in bytes.
 *
 * Context: any, including NMI.
 * Return: as ktr_rb_reserve().
 */
int ktr_rb_write(struct ktr_rb *rb, const void *data, u32 len)
{
	struct ktr_rb_event ev;
	int ret;

	ret = ktr_rb_reserve(rb, &ev, len);
	if (ret)
		return ret;
	if (len)
		memcpy(ev.data, data, len);
	ktr_rb_commit(&ev);
	return 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_write);

/* The time of the newest record reserved in @cb's ring (0: none yet). */
static u64 rb_last_ts(struct ktr_rb_cpu *cb)
{
	u64 ts = 0;
	long i;

	for (i = 1; i <= KTR_RB_MAX_NEST; i++)
		if (READ_ONCE(cb->last[i].ts) > ts)
			ts = READ_ONCE(cb->last[i].ts);
	return ts;
}

/*
 * The ring of @cb is sealed at @old with drops counted after it (or in
 * drops_overflow): start the next sub-buffer empty and sealed, so that its
 * header carries the count to the reader. Without this, drops after the
 * last sub-buffer would stay invisible until a writer started one. Returns
 * -EAGAIN when tail moved (read it again), -ENOSPC when there is no room
 * yet (the reader must free a sub-buffer first), 0 when done.
 */
static int rb_flush_drops(struct ktr_rb_cpu *cb, unsigned long old, u64 ts)
{
	u32 next = rb_seq_next(rb_seq(old));
	long cw = atomic_long_read_acquire(&cb->consumed);
	unsigned long new;
	u64 seq64, last;
	int ret;

	/* Free room only: never recycle unread events to report a loss. */
	if (rb_seq_delta(next, rb_consumed_seq(cw)) >= (long)cb->rb->nr_subbufs)
		return -ENOSPC;
	ret = rb_make_room(cb, next, &seq64);
	if (ret == -EAGAIN && rb_tail_read(cb) == old) {
		/* The reader is past a sub-buffer not started: impossible. */
		rb_check(cb, "reader ahead of a sealed tail");
		return -ENOSPC;
	}
	if (ret)
		return ret;
	new = rb_pos(next, RB_SEALED);
	if (rb_tail_cmpxchg(cb, old, new) != old)
		return -EAGAIN;
	/*
	 * Writers nested in our caller after it read @ts may have reserved
	 * later records in the sub-buffer before @old was sealed; they are
	 * done and in last[] now: the new sub-buffer starts no earlier.
	 */
	last = rb_last_ts(cb);
	if (last > ts)
		ts = last;
	ktr_rb_step(cb, KTR_RB_AT_FLUSHED);
	rb_init_subbuf(cb, seq64, old, ts);
	rb_seal(cb, next, RB_HDR_SIZE, KTR_RB_SB_FLUSHED);
	return 0;
}

/*
 * Seal @cb's open sub-buffer; the caller keeps @cb's writers out or is one.
 * @ts: the time of a lost-report sub-buffer, if one is started. Returns
 * the sequence number after the last sub-buffer sealed (24 bits).
 */
static int rb_flush_cpu(struct ktr_rb_cpu *cb, u64 ts, u32 *sealed_end)
{
	unsigned long old;

	if (unlikely(local_inc_return(&cb->nest) > KTR_RB_MAX_NEST)) {
		local_dec(&cb->nest);
		return -ELOOP;
	}
	for (;;) {
		old = rb_tail_read(cb);
		ktr_rb_step(cb, KTR_RB_AT_FLUSH);
		if (rb_sealed(old)) {
			if ((!rb_off(old) && !local_read(&cb->drops_overflow)) ||
			    rb_flush_drops(cb, old, ts) != -EAGAIN)
				break;
			continue;
		}
		if (rb_tail_cmpxchg(cb, old, rb_pos(rb_seq(old), RB_SEALED)) ==
		    old) {
			ktr_rb_step(cb, KTR_RB_AT_FLUSHED);
			rb_seal(cb, rb_seq(old), rb_off(old), KTR_RB_SB_FLUSHED);
			break;
		}
	}
	*sealed_end = rb_seq_next(rb_seq(rb_tail_read(cb)));
	rb_end_commit(cb);
	return 0;
}

/* The full sequence number of 24-bit @seq24, near the reader's position. */
static u64 rb_seq_full(struct ktr_rb_cpu *cb, u32 seq24)
{
	u64 c = rb_consumed_seq(atomic_long_read_acquire(&cb->consumed));

	return c + (u64)rb_seq_delta(seq24, c);
}

/**
 * ktr_rb_flush() - close this CPU's current sub-buffer early
 * @rb: the buffer.
 *
 * Seals the partly filled sub-buffer this CPU is writing, so that
 * ktr_rb_get_subbuf() returns it once its writers have committed (at
 * once, unless this interrupted a writer). If the current one is sealed
 * already and events were dropped after it, starts an empty sealed one
 * whose header reports them (when there is free room). Otherwise does
 * nothing. To flush another online CPU, run this on it (an IPI); for an
 * offline one, ktr_rb_flush_offline().
 *
 * Context: any, including NMI.
 * Return: 0, or -ELOOP when writers nest too deeply.
 */
int ktr_rb_flush(struct ktr_rb *rb)
{
	struct ktr_rb_flushed f;

	return ktr_rb_flush_here(rb, &f);
}
EXPORT_SYMBOL_GPL(ktr_rb_flush);

/**
 * ktr_rb_flush_here() - ktr_rb_flush(), saying what it sealed
 * @rb: the buffer.
 * @f: filled on success: @f->ts is this CPU's clock read before sealing
 *	(every event not in a sub-buffer sealed by now has a time at or after
 *	it); @f->sealed_end is the sequence number after the last sub-buffer
 *	sealed: all before it become readable once their writers commit.
 *
 * Context: any, including NMI.
 * Return: 0, or -ELOOP when writers nest too deeply.
 */
int ktr_rb_flush_here(struct ktr_rb *rb, struct ktr_rb_flushed *f)
{
	struct ktr_rb_cpu *cb;
	u64 last;
	u32 end;
	int ret;

	ktr_rb_preempt_disable();
	cb = rb->cpus[ktr_rb_this_cpu()];
	f->ts = ktr_rb_clock();
	/* A lost report is not older than what the ring holds. */
	last = rb_last_ts(cb);
	ret = rb_flush_cpu(cb, last > f->ts ? last : f->ts, &end);
	if (!ret)
		f->sealed_end = rb_seq_full(cb, end);
	ktr_rb_preempt_enable();
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_rb_flush_here);

/**
 * ktr_rb_flush_offline() - close the current sub-buffer of an offline CPU
 * @rb: the buffer.
 * @cpu: a CPU that is offline and stays offline during the call (the
 *	caller holds cpus_read_lock()): no writer of its ring can run.
 * @f: as for ktr_rb_flush_here(), but @f->ts is the time of the newest
 *	record in the ring: the clock of this CPU says nothing about the
 *	other's (they may disagree where the TSC is unstable), and what the
 *	offline CPU writes when it comes back is at or after its own past.
 *
 * What a CPU wrote before it went down becomes readable.
 *
 * Context: task.
 * Return: 0; -EINVAL for a CPU without a ring.
 */
int ktr_rb_flush_offline(struct ktr_rb *rb, unsigned int cpu,
			 struct ktr_rb_flushed *f)
{
	struct ktr_rb_cpu *cb = cpu < rb->nr_cpus ? rb->cpus[cpu] : NULL;
	u32 end;
	int ret;

	if (!cb)
		return -EINVAL;
	f->ts = rb_last_ts(cb);
	/* As every writer: not preempted inside the reader's hook. */
	ktr_rb_preempt_disable();
	ret = rb_flush_cpu(cb, f->ts, &end);
	ktr_rb_preempt_enable();
	if (!ret)
		f->sealed_end = rb_seq_full(cb, end);
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_rb_flush_offline);

/* --- the reader ------------------------------------------------------------ */

static struct ktr_rb_cpu *rb_cpu(struct ktr_rb *rb, unsigned int cpu)
{
	return cpu < rb->nr_cpus ? rb->cpus[cpu] : NULL;
}

/**
 * ktr_rb_get_subbuf() - take the oldest complete sub-buffer of a CPU
 * @rb: the buffer.
 * @cpu: the CPU whose ring to read.
 * @rd: filled on success.
 *
 * The sub-buffer leaves the ring: writers never touch it until the reader
 * gives it back with ktr_rb_put_subbuf(). Its header's lost field counts
 * every event lost between the previous sub-buffer this reader got and
 * this one.
 *
 * Context: one reader per CPU ring at a time; task context, or any context
 * that cannot interrupt a writer of @cpu. Does not sleep.
 * Return: 0; -ENODATA when no sub-buffer is complete (flush to force one);
 * -EAGAIN when a writer is recycling it right now (try again); -EBUSY when
 * the reader already holds one; -EINVAL for a CPU without a ring.
 */
int ktr_rb_get_subbuf(struct ktr_rb *rb, unsigned int cpu,
		      struct ktr_rb_read *rd)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);
	struct ktr_rb_subbuf_hdr *hdr;
	u64 c, skipped;
	u32 slot, id;
	long cw;
	int ret = 0;

	if (!cb)
		return -EINVAL;
	if (cb->held != RB_NONE)
		return -EBUSY;

	ktr_rb_reader_enter();
	for (;;) {
		cw = atomic_long_read_acquire(&cb->consumed);
		if ((cw & RB_STATE_MASK) != RB_NORMAL) {
			ret = -EAGAIN;
			goto out;
		}
		c = rb_consumed_seq(cw);
		if (!rb_complete(ktr_rb_load_acquire(&cb->commit), c)) {
			ret = -ENODATA;
			goto out;
		}
		if (atomic_long_cmpxchg(&cb->consumed, cw, cw | RB_HELD) == cw)
			break;
	}
	ktr_rb_step(cb, KTR_RB_AT_GET_CLAIMED);

	slot = rb_slot(rb, c);
	id = READ_ONCE(cb->slot_map[slot]);
	WRITE_ONCE(cb->slot_map[slot], cb->spare);
	hdr = rb_hdr(cb, id);
	skipped = (u64)local_read(&cb->skipped);
	WRITE_ONCE(hdr->lost, READ_ONCE(hdr->lost) + skipped - cb->last_skipped);
	cb->last_skipped = skipped;
	ktr_rb_step(cb, KTR_RB_AT_GET_SWAPPED);
	atomic_long_set_release(&cb->consumed,
				rb_consumed_word(c + 1, RB_NORMAL));

	WRITE_ONCE(cb->held, id);
	rd->hdr = hdr;
	rd->id = id;
out:
	ktr_rb_reader_exit();
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_rb_get_subbuf);

/**
 * ktr_rb_put_subbuf() - give back the sub-buffer the reader holds
 * @rb: the buffer.
 * @cpu: the CPU whose sub-buffer it is.
 *
 * Its events count as read; it becomes the reader's spare.
 *
 * Context: as ktr_rb_get_subbuf().
 * Return: 0, or -EINVAL when the reader holds none.
 */
int ktr_rb_put_subbuf(struct ktr_rb *rb, unsigned int cpu)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);
	u32 id;

	if (!cb || cb->held == RB_NONE)
		return -EINVAL;
	id = cb->held;
	WRITE_ONCE(cb->read, cb->read + READ_ONCE(rb_hdr(cb, id)->entries));
	WRITE_ONCE(cb->subbufs_read, cb->subbufs_read + 1);
	cb->spare = id;
	WRITE_ONCE(cb->held, RB_NONE);
	return 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_put_subbuf);

/**
 * ktr_rb_set_wakeup() - the hook that wakes a CPU's reader
 * @rb: the buffer.
 * @cpu: the CPU whose ring it is.
 * @fn: called by a writer, any context including NMI and with preemption
 *	disabled, when a sealed sub-buffer is published after
 *	ktr_rb_arm_wakeup(); it must only queue work. NULL: no hook.
 * @arg: its argument.
 *
 * The ring's reader calls this, from task context. On return no writer
 * is in the previous hook or will call it: its argument may go away (work
 * the hook queued may still be pending: the caller waits for that).
 *
 * Return: 0; -EINVAL for a CPU without a ring.
 */
int ktr_rb_set_wakeup(struct ktr_rb *rb, unsigned int cpu,
		      void (*fn)(void *arg), void *arg)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);

	if (!cb)
		return -EINVAL;
	atomic_long_set(&cb->wake_armed, 0);
	WRITE_ONCE(cb->wake_fn, NULL);
	/* Fully ordered reads: pairs with the increment in rb_wake_reader(). */
	while (atomic_long_add_return(0, &cb->wake_busy))
		ktr_rb_cpu_relax();
	if (!fn)
		return 0;
	WRITE_ONCE(cb->wake_arg, arg);
	/* Argument before hook: pairs with the writer's acquire. */
	ktr_rb_store_release(&cb->wake_fn, fn);
	return 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_set_wakeup);

/**
 * ktr_rb_arm_wakeup() - ask for the hook at the next sealed sub-buffer
 * @rb: the buffer.
 * @cpu: the CPU whose ring it is.
 *
 * Called by the reader before it looks for data and sleeps if there is
 * none: once this returns, a sub-buffer published later calls the hook
 * once (one call per arming), and one published before is visible to the
 * reader's next look (ktr_rb_get_positions(), ktr_rb_get_subbuf()).
 */
void ktr_rb_arm_wakeup(struct ktr_rb *rb, unsigned int cpu)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);

	if (!cb)
		return;
	if (atomic_long_read(&cb->wake_armed) != 1)
		atomic_long_set(&cb->wake_armed, 1);
	/* Armed before the reader's next look: pairs with rb_wake_reader(). */
	ktr_rb_full_barrier();
}
EXPORT_SYMBOL_GPL(ktr_rb_arm_wakeup);

/**
 * ktr_rb_get_positions() - where the writers and the reader of a CPU are
 * @rb: the buffer.
 * @cpu: the CPU.
 * @pos: filled: @pos->consumed is the sequence number of the oldest
 *	unread sub-buffer, @pos->produced the one writers fill now (or
 *	filled last, if sealed), @pos->ready how many complete sub-buffers
 *	ktr_rb_get_subbuf() can take right now.
 *
 * A snapshot: writers may move on at once. Reads only; no reader
 * serialization needed (the reader's wakeup work calls it in an
 * interrupt).
 *
 * Context: any.
 * Return: 0, or -EINVAL for a CPU without a ring.
 */
int ktr_rb_get_positions(struct ktr_rb *rb, unsigned int cpu,
			 struct ktr_rb_positions *pos)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);
	unsigned long commit;
	long d;
	u64 c;

	if (!cb)
		return -EINVAL;
	c = rb_consumed_seq(atomic_long_read_acquire(&cb->consumed));
	commit = ktr_rb_load_acquire(&cb->commit);
	d = rb_seq_delta(rb_seq(commit), c);
	pos->consumed = c;
	/* Sub-buffers started, as published: the one at commit included. */
	pos->produced = c + (u64)(d + 1);
	d += rb_sealed(commit) ? 1 : 0;
	if (d > (long)rb->nr_subbufs)
		d = rb->nr_subbufs;
	pos->ready = d > 0 ? (u32)d : 0;
	return 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_get_positions);

/**
 * ktr_rb_area() - the sub-buffers of a CPU, for mapping into user space
 * @rb: the buffer.
 * @cpu: the CPU.
 * @size: set to the bytes of the area: (nr_subbufs + 1) * subbuf_size.
 *
 * The area is page aligned and made of whole pages (vmalloc memory in the
 * kernel); sub-buffer id lies at byte id * subbuf_size. It lives as long
 * as @rb.
 *
 * Return: the area, or NULL for a CPU without a ring.
 */
void *ktr_rb_area(struct ktr_rb *rb, unsigned int cpu, size_t *size)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);

	if (!cb)
		return NULL;
	*size = (size_t)(rb->nr_subbufs + 1) * rb->subbuf_size;
	return cb->area;
}
EXPORT_SYMBOL_GPL(ktr_rb_area);

/* --- control ------------------------------------------------------------- */

/**
 * ktr_rb_set_enabled() - let writers in, or refuse them
 * @rb: the buffer.
 * @enabled: false to refuse new events (counted in lost_disabled).
 *
 * Writers already past the check finish normally.
 */
void ktr_rb_set_enabled(struct ktr_rb *rb, bool enabled)
{
	WRITE_ONCE(rb->disabled, enabled ? 0 : 1);
}
EXPORT_SYMBOL_GPL(ktr_rb_set_enabled);

/* Committed events in the ring (unread sub-buffers) or held by the reader. */
static u64 rb_buffered(struct ktr_rb_cpu *cb)
{
	u64 c = rb_consumed_seq(atomic_long_read_acquire(&cb->consumed));
	long n = rb_seq_delta(rb_seq(rb_tail_read(cb)), c);
	u32 held = READ_ONCE(cb->held);
	u64 sum = 0;
	u32 id;
	long i;

	for (i = 0; i <= n && i < (long)cb->rb->nr_subbufs; i++) {
		id = rb_id(cb, c + (u64)i);
		sum += READ_ONCE(rb_hdr(cb, id)->entries);
		sum += (u64)local_read(&cb->meta[id].entries);
	}
	if (held != RB_NONE)
		sum += READ_ONCE(rb_hdr(cb, held)->entries);
	return sum;
}

/**
 * ktr_rb_get_stats() - the event accounting of one CPU's ring
 * @rb: the buffer.
 * @cpu: the CPU.
 * @st: filled: see struct ktr_rb_cpu_stats for the invariant.
 *
 * Exact when no writer of @cpu is in flight and the reader is between
 * calls; otherwise each counter is a recent value.
 *
 * Return: 0, or -EINVAL for a CPU without a ring.
 */
int ktr_rb_get_stats(struct ktr_rb *rb, unsigned int cpu,
		     struct ktr_rb_cpu_stats *st)
{
	struct ktr_rb_cpu *cb = rb_cpu(rb, cpu);

	if (!cb)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->cpu = cpu;
	st->written = (u64)local_read(&cb->written);
	st->bytes = (u64)local_read(&cb->bytes);
	st->read = READ_ONCE(cb->read);
	st->buffered = rb_buffered(cb);
	st->lost_full = (u64)local_read(&cb->lost_full);
	st->lost_overwritten = (u64)local_read(&cb->lost_overwritten);
	st->lost_nesting = (u64)local_read(&cb->lost_nesting);
	st->lost_disabled = (u64)local_read(&cb->lost_disabled);
	st->discarded = (u64)local_read(&cb->discarded);
	st->subbufs_written = (u64)local_read(&cb->subbufs_written);
	st->subbufs_read = READ_ONCE(cb->subbufs_read);
	st->subbufs_overwritten = (u64)local_read(&cb->subbufs_overwritten);
	return 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_get_stats);

/**
 * ktr_rb_max_payload() - the largest payload a reservation may ask for
 * @rb: the buffer.
 *
 * Return: subbuf_size minus the sub-buffer header and the largest record
 * overhead (a TIME_STAMP record and a length word).
 */
u32 ktr_rb_max_payload(const struct ktr_rb *rb)
{
	return rb->max_payload;
}
EXPORT_SYMBOL_GPL(ktr_rb_max_payload);

/**
 * ktr_rb_subbuf_size() - bytes per sub-buffer
 * @rb: the buffer.
 *
 * Return: the sub-buffer size given at creation.
 */
u32 ktr_rb_subbuf_size(const struct ktr_rb *rb)
{
	return rb->subbuf_size;
}
EXPORT_SYMBOL_GPL(ktr_rb_subbuf_size);

/**
 * ktr_rb_mode() - what writers do when a ring is full
 * @rb: the buffer.
 *
 * Return: enum ktr_rb_mode given at creation.
 */
u32 ktr_rb_mode(const struct ktr_rb *rb)
{
	return rb->mode;
}
EXPORT_SYMBOL_GPL(ktr_rb_mode);

/**
 * ktr_rb_nr_subbufs() - sub-buffers in each CPU's ring
 * @rb: the buffer.
 *
 * Return: the count given at creation (the reader's spare not included).
 */
u32 ktr_rb_nr_subbufs(const struct ktr_rb *rb)
{
	return rb->nr_subbufs;
}
EXPORT_SYMBOL_GPL(ktr_rb_nr_subbufs);

/**
 * ktr_rb_clock_resync() - sample the local clock and CLOCK_MONOTONIC again
 * @rb: the buffer.
 *
 * The local clock is read on both sides of CLOCK_MONOTONIC and averaged.
 *
 * Context: task; callers serialize with ktr_rb_clock_map().
 */
void ktr_rb_clock_resync(struct ktr_rb *rb)
{
	u64 before, mono, after;

	/*
	 * Both local clock reads on one CPU: the local clocks of two CPUs may
	 * disagree, and after - before would then wrap.
	 */
	ktr_rb_preempt_disable();
	before = ktr_rb_clock();
	mono = ktr_rb_mono_clock();
	after = ktr_rb_clock();
	ktr_rb_preempt_enable();

	rb->clock_local = before + (after - before) / 2;
	rb->clock_mono = mono;
}
EXPORT_SYMBOL_GPL(ktr_rb_clock_resync);

/**
 * ktr_rb_clock_map() - map record timestamps to CLOCK_MONOTONIC
 * @rb: the buffer.
 * @local_ns: the local clock (record time) at the sample.
 * @mono_ns: CLOCK_MONOTONIC at the same instant.
 *
 * A record at ts happened at about @mono_ns + (ts - @local_ns) in
 * CLOCK_MONOTONIC.
 */
void ktr_rb_clock_map(const struct ktr_rb *rb, u64 *local_ns, u64 *mono_ns)
{
	*local_ns = rb->clock_local;
	*mono_ns = rb->clock_mono;
}
EXPORT_SYMBOL_GPL(ktr_rb_clock_map);

static void rb_free_cpu(struct ktr_rb_cpu *cb)
{
	if (!cb)
		return;
	ktr_rb_area_free(cb->area);
	ktr_rb_zfree(cb->meta);
	ktr_rb_zfree(cb->slot_map);
	ktr_rb_zfree(cb);
}

static struct ktr_rb_cpu *rb_alloc_cpu(struct ktr_rb *rb, unsigned int cpu)
{
	unsigned long start = rb_pos(RB_SEQ_MASK, RB_SEALED);
	u32 n = rb->nr_subbufs;
	struct ktr_rb_cpu *cb;
	u32 i;

	cb = ktr_rb_zalloc(sizeof(*cb), cpu);
	if (!cb)
		return NULL;
	cb->rb = rb;
	cb->cpu = cpu;
	cb->slot_map = ktr_rb_zalloc(n * sizeof(*cb->slot_map), cpu);
	cb->meta = ktr_rb_zalloc((n + 1) * sizeof(*cb->meta), cpu);
	cb->area = ktr_rb_area_alloc((size_t)(n + 1) * rb->subbuf_size, cpu);
	if (!cb->slot_map || !cb->meta || !cb->area) {
		rb_free_cpu(cb);
		return NULL;
	}
	for (i = 0; i < n; i++)
		cb->slot_map[i] = i;
	cb->spare = n;
	cb->held = RB_NONE;
	/* Sub-buffer "-1" is sealed: the first writer starts seq 0. */
	local_set(&cb->tail, (long)start);
	cb->commit = start;
	atomic_long_set(&cb->consumed, rb_consumed_word(0, RB_NORMAL));
	return cb;
}

/**
 * ktr_rb_free() - free a buffer
 * @rb: the buffer, or NULL.
 *
 * Context: task; no writer or reader may still use @rb.
 */
void ktr_rb_free(struct ktr_rb *rb)
{
	unsigned int cpu;

	if (!rb)
		return;
	if (rb->cpus) {
		for (cpu = 0; cpu < rb->nr_cpus; cpu++)
			rb_free_cpu(rb->cpus[cpu]);
		ktr_rb_zfree(rb->cpus);
	}
	ktr_rb_zfree(rb);
}
EXPORT_SYMBOL_GPL(ktr_rb_free);

/**
 * ktr_rb_check_geometry() - the one rule for a buffer's geometry and mode
 * @subbuf_size: bytes per sub-buffer.
 * @nr_subbufs: sub-buffers per CPU.
 * @mode: enum ktr_rb_mode.
 * @max_bytes_per_cpu: bound on @subbuf_size x (@nr_subbufs + 1).
 *
 * ktr_rb_geometry_check() (ktr_rb_geometry.h, shared with user space)
 * for this kernel's page size. Every kernel interface that takes a
 * geometry (module parameters, netlink, the self-test) checks it here and
 * words its own message from the result.
 *
 * Return: KTR_RB_GEO_OK, or what is wrong first.
 */
enum ktr_rb_geometry_error
ktr_rb_check_geometry(u32 subbuf_size, u32 nr_subbufs, u32 mode,
		      u64 max_bytes_per_cpu)
{
	return ktr_rb_geometry_check(subbuf_size, nr_subbufs, mode,
				     max_bytes_per_cpu, ktr_rb_page_size());
}
EXPORT_SYMBOL_GPL(ktr_rb_check_geometry);

/* The allocations of ktr_rb_create(), for a checked @cfg. */
static struct ktr_rb *rb_alloc(const struct ktr_rb_config *cfg)
{
	struct ktr_rb *rb;
	unsigned int cpu;

	rb = ktr_rb_zalloc(sizeof(*rb), 0);
	if (!rb)
		return ERR_PTR(-ENOMEM);
	rb->subbuf_size = cfg->subbuf_size;
	rb->nr_subbufs = cfg->nr_subbufs;
	rb->mode = cfg->mode;
	rb->max_payload = cfg->subbuf_size - RB_HDR_SIZE -
			  KTR_RB_TIME_STAMP_SIZE - 8;
	rb->nr_cpus = ktr_rb_nr_cpu_ids();
	rb->cpus = ktr_rb_zalloc(rb->nr_cpus * sizeof(*rb->cpus), 0);
	if (!rb->cpus)
		goto nomem;
	ktr_rb_for_each_cpu(cpu) {
		rb->cpus[cpu] = rb_alloc_cpu(rb, cpu);
		if (!rb->cpus[cpu])
			goto nomem;
	}
	ktr_rb_clock_resync(rb);
	return rb;

nomem:
	ktr_rb_free(rb);
	return ERR_PTR(-ENOMEM);
}

/**
 * ktr_rb_memory_check() - does a buffer of @cfg fit in memory now?
 * @cfg: geometry and mode (checked by ktr_rb_check_geometry()).
 * @needed: set to the bytes the buffer takes: its rings on every possible
 *	CPU, sub-buffers, spares and bookkeeping.
 * @available: set to the bytes the system could give now (the kernel's
 *	si_mem_available(), which counts reclaimable caches).
 *
 * The one rule ktr_rb_create() applies; callers use it to word a message.
 *
 * Return: 0, or -ENOMEM when @needed exceeds @available.
 */
int ktr_rb_memory_check(const struct ktr_rb_config *cfg, u64 *needed,
			u64 *available)
{
	u64 per_cpu = (u64)(cfg->nr_subbufs + 1) * cfg->subbuf_size +
		      sizeof(struct ktr_rb_cpu) +
		      (u64)cfg->nr_subbufs * sizeof(u32) +
		      (u64)(cfg->nr_subbufs + 1) * sizeof(struct ktr_rb_meta);
	unsigned int cpu, n = 0;

	ktr_rb_for_each_cpu(cpu)
		n++;
	*needed = sizeof(struct ktr_rb) +
		  (u64)ktr_rb_nr_cpu_ids() * sizeof(struct ktr_rb_cpu *) +
		  per_cpu * n;
	*available = ktr_rb_memory_available();
	return *needed > *available ? -ENOMEM : 0;
}
EXPORT_SYMBOL_GPL(ktr_rb_memory_check);

/**
 * ktr_rb_create() - allocate a buffer: a ring for every possible CPU
 * @cfg: geometry and mode.
 *
 * Everything is allocated here, on each CPU's node; writers never allocate.
 * Any number of buffers may exist at once. A buffer that does not fit in
 * memory (ktr_rb_memory_check()) is refused, and the allocations fail
 * rather than set off the OOM killer (ktr_rb_compat.h).
 *
 * Context: task (sleeps).
 * Return: the buffer, ERR_PTR(-EINVAL) for a bad @cfg, ERR_PTR(-ENOMEM).
 */
struct ktr_rb *ktr_rb_create(const struct ktr_rb_config *cfg)
{
	u64 needed, available;
	struct ktr_rb *rb;

	if (ktr_rb_check_geometry(cfg->subbuf_size, cfg->nr_subbufs, cfg->mode,
				  ~(u64)0) != KTR_RB_GEO_OK)
		return ERR_PTR(-EINVAL);
	if (ktr_rb_memory_check(cfg, &needed, &available))
		return ERR_PTR(-ENOMEM);

	ktr_rb_alloc_begin();
	rb = rb_alloc(cfg);
	ktr_rb_alloc_end();
	return rb;
}
EXPORT_SYMBOL_GPL(ktr_rb_create);
