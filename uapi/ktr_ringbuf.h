/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ktr_ringbuf.h - the data format of ktr's ring buffer, as a reader sees it.
 *
 * A ktr buffer has one ring per CPU. A ring is made of sub-buffers of
 * subbuf_size bytes (a power of two, at least one page, so each sub-buffer
 * is page aligned and can be mapped read-only into user space). A reader
 * receives whole sub-buffers; each one decodes on its own: it starts with a
 * struct ktr_rb_subbuf_hdr and continues with records.
 *
 *   sub-buffer (subbuf_size bytes)
 *   +------------------+--------+--------+-----+--------+------------------+
 *   | ktr_rb_subbuf_hdr| record | record | ... | record | unused (padding) |
 *   +------------------+--------+--------+-----+--------+------------------+
 *   0                  hdr.size                         |
 *                      |<------------ hdr.commit ------>|
 *
 * All fields and record words are in the byte order of the machine that
 * wrote them (a capture file says which). Records are 4-byte aligned and a
 * multiple of 4 bytes long; a payload is therefore 4-byte aligned, not 8.
 *
 * Record header: one 32-bit word
 * ------------------------------
 *
 *    31                                              5 4         0
 *   +-------------------------------------------------+-----------+
 *   |                time_delta (27 bits)             | type_len  |
 *   +-------------------------------------------------+-----------+
 *   |   array[0]  (present for some type_len values, see below)   |
 *   +-------------------------------------------------------------+
 *   |   ...                                                       |
 *
 *   type_len = word & 0x1f           time_delta = word >> 5
 *
 *   type_len  record                                    total size
 *   --------  ----------------------------------------  ---------------------
 *   0         event; array[0] = payload length in bytes  8 + len rounded up
 *             (any length, including 0); payload at      to a multiple of 4
 *             array[1]
 *   1..28     event; payload of type_len * 4 bytes at    4 + type_len * 4
 *             array[0] (lengths 4..112 that are a
 *             multiple of 4)
 *   29        PADDING: no event. If the word is not the  array[0] bytes, or 4
 *             last one of the sub-buffer, array[0] =     when it is the last
 *             total bytes of the record, header          word
 *             included. A discarded event (the writer
 *             cancelled it) keeps its time_delta and
 *             its bytes after array[0] are zero; the
 *             padding that follows hdr.commit has
 *             time_delta 0 and runs to the end
 *   30        TIME_EXTEND: the time delta did not fit    8
 *             in 27 bits. delta = time_delta |
 *             (array[0] << 27), 59 bits
 *   31        TIME_STAMP: absolute time; ts = array[0] | 12
 *             ((u64)array[1] << 32); time_delta is 0
 *
 * Time
 * ----
 * Timestamps are nanoseconds of the writing CPU's local clock (the kernel's
 * local_clock(): monotonic on each CPU, cheap, NMI-safe; CPUs may disagree,
 * by up to about a scheduler tick where the TSC is unstable). The ring
 * buffer keeps a sample pair (local clock, CLOCK_MONOTONIC) so that user
 * space can place events of all CPUs on one time line.
 *
 * Decoding one sub-buffer:
 *
 *   ts = hdr.time_stamp
 *   for each record in [hdr.size, hdr.size + hdr.commit):
 *     type 30 (TIME_EXTEND): ts += delta (59 bits)
 *     type 31 (TIME_STAMP):  ts = absolute value
 *     otherwise:             ts += time_delta
 *                            event (type 0..28): it happened at ts
 *                            PADDING: no event, skip array[0] bytes
 *
 * Invariants the writer guarantees (and a decoder may check):
 *   - the first record of a sub-buffer has time_delta 0 (it is at
 *     hdr.time_stamp);
 *   - a TIME_EXTEND or TIME_STAMP record is immediately followed by an event
 *     or a discarded event whose time_delta is 0;
 *   - decoded time never goes backwards within a CPU, across sub-buffers too;
 *   - hdr.commit is a multiple of 4 and hdr.size + hdr.commit <=
 *     hdr.subbuf_size; the records tile [hdr.size, hdr.size + hdr.commit)
 *     exactly; if space is left, the next word is a PADDING record with
 *     time_delta 0 that tiles the rest of the sub-buffer;
 *   - the bytes that round an event's payload up to a multiple of 4 are
 *     zero, and so is the payload's last 4-byte word where the writer left
 *     it unwritten (a struct's tail padding);
 *   - hdr.seq grows by one per sub-buffer of a CPU; a gap means sub-buffers
 *     were overwritten (overwrite mode), and hdr.lost counts their events.
 */
#ifndef _UAPI_LINUX_KTR_RINGBUF_H
#define _UAPI_LINUX_KTR_RINGBUF_H

#include <linux/types.h>

/* Buffer modes: what a writer does when the ring of a CPU is full. */
enum ktr_rb_mode {
	KTR_RB_MODE_DISCARD = 0,	/* producer/consumer: drop new events */
	KTR_RB_MODE_OVERWRITE = 1,	/* flight recorder: recycle the oldest */
};

/* Record header word. */
#define KTR_RB_TYPE_LEN_BITS		5
#define KTR_RB_TYPE_LEN_MASK		0x1fU
#define KTR_RB_TIME_DELTA_BITS		27
#define KTR_RB_TIME_DELTA_MAX		0x7ffffffU

#define KTR_RB_TYPE_DATA_LEN		0	/* length in array[0] */
#define KTR_RB_TYPE_DATA_MAX		28	/* 1..28: payload words */
#define KTR_RB_TYPE_PADDING		29
#define KTR_RB_TYPE_TIME_EXTEND		30
#define KTR_RB_TYPE_TIME_STAMP		31

#define KTR_RB_RECORD_TYPE_LEN(word)	((word) & KTR_RB_TYPE_LEN_MASK)
#define KTR_RB_RECORD_TIME_DELTA(word)	((word) >> KTR_RB_TYPE_LEN_BITS)
#define KTR_RB_RECORD_HEADER(type_len, delta) \
	(((delta) << KTR_RB_TYPE_LEN_BITS) | (type_len))

#define KTR_RB_RECORD_ALIGN		4	/* bytes */
#define KTR_RB_TIME_EXTEND_SIZE		8	/* bytes */
#define KTR_RB_TIME_STAMP_SIZE		12	/* bytes */
#define KTR_RB_TIME_EXTEND_BITS		59	/* bits of a TIME_EXTEND delta */

/* ktr_rb_subbuf_hdr.flags */
#define KTR_RB_SB_FLUSHED	0x1U	/* closed early by a flush */
#define KTR_RB_SB_OVERWRITE	0x2U	/* written in overwrite mode */

/**
 * struct ktr_rb_subbuf_hdr - the start of every sub-buffer
 * @size: sizeof(struct ktr_rb_subbuf_hdr) as the writer knew it: the offset
 *	of the first record. A newer module may grow the header; an older
 *	reader skips what it does not know by starting at @size. (Like every
 *	struct ktr shares with user space, it starts with its own size; here
 *	the size also locates the data, so it can never be dropped.)
 * @flags: KTR_RB_SB_* flags.
 * @seq: sequence number of this sub-buffer on its CPU, from 0, one more for
 *	every sub-buffer the writers started. A gap between two sub-buffers a
 *	reader receives means sub-buffers were overwritten.
 * @time_stamp: time of the first record, ns (see "Time" above).
 * @commit: bytes of records after the header (multiple of 4).
 * @entries: events in this sub-buffer (padding, discarded events and time
 *	records are not events).
 * @lost: events of this CPU that were lost between the previous sub-buffer
 *	delivered to the reader and this one: events dropped because the ring
 *	was full, and the events of sub-buffers overwritten in between (their
 *	count also appears as a gap in @seq). Events refused because writers
 *	nested too deeply or the buffer was disabled are counted only in the
 *	per-CPU statistics.
 * @cpu: the CPU whose events these are.
 * @subbuf_size: bytes of the whole sub-buffer, header included.
 * @reserved: zero.
 *
 * Invariant: @size + @commit <= @subbuf_size; the header is 64 bytes so
 * that records start on a cache line.
 */
struct ktr_rb_subbuf_hdr {
	__u32 size;
	__u32 flags;
	__u64 seq;
	__u64 time_stamp;
	__u32 commit;
	__u32 entries;
	__u64 lost;
	__u32 cpu;
	__u32 subbuf_size;
	__u64 reserved[2];
};

/**
 * struct ktr_rb_cpu_stats - exact event accounting of one CPU's ring
 * @size: sizeof(struct ktr_rb_cpu_stats).
 * @cpu: the CPU.
 * @written: events offered to the ring: committed events plus every event
 *	refused (@lost_full, @lost_nesting, @lost_disabled). Reservations the
 *	writer cancelled (@discarded) are not events.
 * @bytes: bytes of records committed (headers and time records included).
 * @read: events in the sub-buffers the reader has put back.
 * @buffered: committed events still in the ring or held by the reader.
 * @lost_full: events refused because no sub-buffer could be started (discard
 *	mode: the reader has not freed one; any mode: the oldest sub-buffer
 *	still belongs to an interrupted writer, or is being handed to the reader).
 * @lost_overwritten: committed events in sub-buffers recycled before they
 *	were read (overwrite mode).
 * @lost_nesting: events refused because writers nested too deeply on the CPU.
 * @lost_disabled: events refused because the buffer was disabled.
 * @discarded: reservations cancelled by their writer (not events).
 * @subbufs_written: sub-buffers started.
 * @subbufs_read: sub-buffers put back by the reader.
 * @subbufs_overwritten: sub-buffers recycled before they were read.
 *
 * Invariant, whenever no writer of the CPU is between reserve and commit
 * and the reader is between calls:
 *   written == read + buffered + lost_full + lost_overwritten +
 *              lost_nesting + lost_disabled
 */
struct ktr_rb_cpu_stats {
	__u32 size;
	__u32 cpu;
	__u64 written;
	__u64 bytes;
	__u64 read;
	__u64 buffered;
	__u64 lost_full;
	__u64 lost_overwritten;
	__u64 lost_nesting;
	__u64 lost_disabled;
	__u64 discarded;
	__u64 subbufs_written;
	__u64 subbufs_read;
	__u64 subbufs_overwritten;
};

#endif /* _UAPI_LINUX_KTR_RINGBUF_H */
