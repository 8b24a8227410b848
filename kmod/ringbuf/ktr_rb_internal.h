/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_internal.h - data structures of the ring buffer (see ktr_rb.c).
 *
 * Only ktr_rb.c and the host build's white-box helpers include this.
 */
#ifndef _KTR_RB_INTERNAL_H
#define _KTR_RB_INTERNAL_H

#include "ktr_rb_compat.h"
#include "ktr_rb.h"
#include "ktr_rb_steps.h"

/**
 * struct ktr_rb_meta - writer-side state of one sub-buffer (indexed by id)
 * @entries: events committed into it since it was last finalized.
 * @data_end: byte offset where its records ended when it was sealed.
 * @flags: KTR_RB_SB_* decided when it was sealed (copied into the header
 *	when it is finalized).
 *
 * Kept outside the sub-buffer so that nothing a reader may map changes
 * under it, and so that the counts survive the header being rewritten.
 */
struct ktr_rb_meta {
	local_t entries;
	u32 data_end;
	u32 flags;
};

/**
 * struct ktr_rb_last - the last reservation made at one nesting level
 * @tail: tail word right after it (0: none).
 * @ts: its timestamp.
 */
struct ktr_rb_last {
	unsigned long tail;
	u64 ts;
};

/**
 * struct ktr_rb_cpu - the ring of one CPU
 * @tail: reserve position word (seq | SEALED | offset-or-drops), see ktr_rb.c.
 * @nest: writers of this CPU between reserve and the end of their commit.
 * @last: per nesting level (1..KTR_RB_MAX_NEST), the last reservation made
 *	at that level: where the next record may take its time delta from.
 * @commit: published position word: everything before it is committed and
 *	every sub-buffer it has passed (or sealed) is final. Written only by
 *	the outermost writer; read by the reader with acquire.
 * @drops_overflow: drops beyond what the tail word can count.
 * @written: see struct ktr_rb_cpu_stats (all counters below too).
 * @bytes: record bytes committed.
 * @discarded: reservations cancelled by their writer.
 * @lost_full: events refused: no sub-buffer could be started.
 * @lost_nesting: events refused: nested too deeply.
 * @lost_disabled: events refused: buffer disabled.
 * @lost_overwritten: events in sub-buffers recycled unread.
 * @subbufs_written: sub-buffers started.
 * @subbufs_overwritten: sub-buffers recycled unread.
 * @skipped: events (committed or dropped) a reader will never see because
 *	the sub-buffers that held or preceded them were recycled; the reader
 *	adds the increase since its last get to the header's lost count.
 * @consumed: (sequence number of the oldest unread sub-buffer << 2) | state;
 *	state is NORMAL, HELD (the reader is taking it) or PUSHING (a writer
 *	is recycling it). Shared between the reader and the CPU's writers.
 * @wake_armed: 1 while the reader waits for a sealed sub-buffer to be
 *	published (ktr_rb_arm_wakeup()); the writer that takes it to 0 calls
 *	@wake_fn.
 * @wake_busy: writers between taking @wake_armed and leaving @wake_fn:
 *	clearing the hook waits for 0.
 * @spare: reader: the sub-buffer id it owns outside the ring.
 * @held: reader: the id it currently holds, or RB_NONE.
 * @last_skipped: reader: @skipped at its last get.
 * @read: reader: events in sub-buffers it put back.
 * @subbufs_read: reader: sub-buffers it put back.
 * @wake_fn: reader: its wakeup hook (ktr_rb_set_wakeup()), read by writers.
 * @wake_arg: reader: the hook's argument.
 * @rb: the buffer this ring belongs to.
 * @cpu: the CPU.
 * @area: (nr_subbufs + 1) * subbuf_size bytes of sub-buffers, page aligned.
 * @slot_map: ring slot (seq % nr_subbufs) -> sub-buffer id.
 * @meta: per sub-buffer id writer state.
 */
struct ktr_rb_cpu {
	/* Written by this CPU's writers only. */
	local_t tail;
	local_t nest;
	struct ktr_rb_last last[KTR_RB_MAX_NEST + 1];
	unsigned long commit;
	local_t drops_overflow;
	local_t written;
	local_t bytes;
	local_t discarded;
	local_t lost_full;
	local_t lost_nesting;
	local_t lost_disabled;
	local_t lost_overwritten;
	local_t subbufs_written;
	local_t subbufs_overwritten;
	local_t skipped;

	/* Shared by the reader and this CPU's writers. */
	atomic_long_t consumed ____cacheline_aligned_in_smp;
	atomic_long_t wake_armed;
	atomic_long_t wake_busy;

	/* Written by the reader only. */
	u32 spare ____cacheline_aligned_in_smp;
	u32 held;
	u64 last_skipped;
	u64 read;
	u64 subbufs_read;
	void (*wake_fn)(void *arg);
	void *wake_arg;

	/* Fixed at creation. */
	struct ktr_rb *rb ____cacheline_aligned_in_smp;
	unsigned int cpu;
	u8 *area;
	u32 *slot_map;
	struct ktr_rb_meta *meta;
};

/**
 * struct ktr_rb - a ring buffer instance
 * @subbuf_size: bytes per sub-buffer.
 * @nr_subbufs: sub-buffers per ring.
 * @mode: enum ktr_rb_mode.
 * @max_payload: the largest payload a reservation may ask for.
 * @disabled: writers refuse events while set.
 * @nr_cpus: entries in @cpus.
 * @clock_local: local clock of the clock mapping sample.
 * @clock_mono: CLOCK_MONOTONIC at the same instant.
 * @cpus: per CPU ring, NULL for CPUs that cannot exist.
 */
struct ktr_rb {
	u32 subbuf_size;
	u32 nr_subbufs;
	u32 mode;
	u32 max_payload;
	int disabled;
	unsigned int nr_cpus;
	u64 clock_local;
	u64 clock_mono;
	struct ktr_rb_cpu **cpus;
};

/* Position words (tail, commit): seq | SEALED | offset-or-drops. */
#define RB_SEQ_SHIFT	40
#define RB_SEQ_MASK	0xffffffU
#define RB_SEALED	BIT(39)
#define RB_OFF_MASK	(RB_SEALED - 1)

/* consumed = seq << 2 | state */
#define RB_NORMAL	0L
#define RB_HELD		1L
#define RB_PUSHING	2L
#define RB_STATE_MASK	3L

/* No sub-buffer held by the reader. */
#define RB_NONE		0xffffffffU

#endif /* _KTR_RB_INTERNAL_H */
