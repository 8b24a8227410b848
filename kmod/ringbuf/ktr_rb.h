/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb.h - API of the ktr ring buffer (kmod/ringbuf/ktr_rb.c).
 *
 * Writers:  ktr_rb_reserve() + fill ev->data + ktr_rb_commit() (or
 *           ktr_rb_discard()), or ktr_rb_write(); ktr_rb_flush().
 * Reader:   ktr_rb_get_subbuf() / read in place / ktr_rb_put_subbuf();
 *           ktr_rb_set_wakeup() and ktr_rb_arm_wakeup() to sleep until
 *           a sub-buffer is published.
 * Control:  ktr_rb_memory_check(), ktr_rb_create(), ktr_rb_free(), ktr_rb_set_enabled(),
 *           ktr_rb_get_stats(), ktr_rb_clock_map(), ktr_rb_get_positions(),
 *           ktr_rb_area() (for mmap), ktr_rb_flush_offline().
 *
 * The record format is in uapi/ktr_ringbuf.h; the algorithm is described
 * at the top of ktr_rb.c. This header builds in the kernel and, through
 * the host build of userspace/ringbuf-host, in user space.
 */
#ifndef _KTR_RB_H
#define _KTR_RB_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "ktr_rb_host_types.h"
#endif

#include "ktr_ringbuf.h"
#include "ktr_rb_geometry.h"

struct ktr_rb;
struct ktr_rb_cpu;

/* Writers nested deeper than this on one CPU are refused (lost_nesting). */
#define KTR_RB_MAX_NEST		8

/**
 * struct ktr_rb_config - geometry and mode of a new buffer
 * @subbuf_size: bytes per sub-buffer, a power of two within
 *	[KTR_SUBBUF_SIZE_MIN, KTR_SUBBUF_SIZE_MAX] (uapi/ktr.h).
 * @nr_subbufs: sub-buffers in each CPU's ring, a power of two within
 *	[KTR_NR_SUBBUFS_MIN, KTR_NR_SUBBUFS_MAX]. One more is allocated per
 *	CPU as the reader's spare.
 * @mode: enum ktr_rb_mode.
 *
 * In overwrite mode a writer recycles the oldest sub-buffer only once it is
 * published complete and not held by the reader: with nr_subbufs == 2, a
 * writer interrupted while filling one sub-buffer makes nested writers that
 * lap the ring refuse events (lost_full) until it commits. Use 4 or more
 * sub-buffers for a flight recorder.
 */
struct ktr_rb_config {
	u32 subbuf_size;
	u32 nr_subbufs;
	u32 mode;
};

enum ktr_rb_geometry_error
ktr_rb_check_geometry(u32 subbuf_size, u32 nr_subbufs, u32 mode,
		      u64 max_bytes_per_cpu);

/**
 * struct ktr_rb_event - a reservation, filled by ktr_rb_reserve()
 * @data: where the writer puts its payload: @len bytes, 4-byte aligned.
 * @ts: the event's timestamp (ns, local clock) as a reader will decode it.
 * @len: payload length asked for.
 * @cb: private: the CPU's ring.
 * @rec: private: the record header word.
 * @id: private: the sub-buffer the record is in.
 * @size: private: bytes reserved, time record included.
 *
 * Lives on the writer's stack between reserve and commit.
 */
struct ktr_rb_event {
	void *data;
	u64 ts;
	u32 len;
	struct ktr_rb_cpu *cb;
	u32 *rec;
	u32 id;
	u32 size;
};

/**
 * struct ktr_rb_read - a sub-buffer handed to the reader
 * @hdr: the sub-buffer: header then records (uapi/ktr_ringbuf.h).
 * @id: which of the CPU's nr_subbufs + 1 sub-buffers it is; it lies at
 *	byte offset @id * subbuf_size of the CPU's data area.
 */
struct ktr_rb_read {
	const struct ktr_rb_subbuf_hdr *hdr;
	u32 id;
};

/**
 * struct ktr_rb_positions - a snapshot of one CPU's ring, see
 *	ktr_rb_get_positions()
 * @consumed: sequence number of the oldest unread sub-buffer.
 * @produced: sub-buffers started so far, as published (the sequence
 *	number after the newest one).
 * @ready: complete sub-buffers the reader can take now.
 */
struct ktr_rb_positions {
	u64 consumed;
	u64 produced;
	u32 ready;
};

/**
 * struct ktr_rb_flushed - what ktr_rb_flush_here() and
 *	ktr_rb_flush_offline() did
 * @ts: every event not in a sub-buffer sealed by the flush has a time at
 *	or after this.
 * @sealed_end: sequence number after the last sub-buffer sealed.
 */
struct ktr_rb_flushed {
	u64 ts;
	u64 sealed_end;
};

int ktr_rb_memory_check(const struct ktr_rb_config *cfg, u64 *needed,
			u64 *available);
struct ktr_rb *ktr_rb_create(const struct ktr_rb_config *cfg);
void ktr_rb_free(struct ktr_rb *rb);

int ktr_rb_reserve(struct ktr_rb *rb, struct ktr_rb_event *ev, u32 len);
void ktr_rb_commit(struct ktr_rb_event *ev);
void ktr_rb_discard(struct ktr_rb_event *ev);
struct ktr_rb *ktr_rb_event_buffer(const struct ktr_rb_event *ev);
int ktr_rb_write(struct ktr_rb *rb, const void *data, u32 len);
int ktr_rb_flush(struct ktr_rb *rb);
int ktr_rb_flush_here(struct ktr_rb *rb, struct ktr_rb_flushed *f);
int ktr_rb_flush_offline(struct ktr_rb *rb, unsigned int cpu,
			 struct ktr_rb_flushed *f);

int ktr_rb_get_subbuf(struct ktr_rb *rb, unsigned int cpu,
		      struct ktr_rb_read *rd);
int ktr_rb_put_subbuf(struct ktr_rb *rb, unsigned int cpu);
int ktr_rb_get_positions(struct ktr_rb *rb, unsigned int cpu,
			 struct ktr_rb_positions *pos);
void *ktr_rb_area(struct ktr_rb *rb, unsigned int cpu, size_t *size);
int ktr_rb_set_wakeup(struct ktr_rb *rb, unsigned int cpu,
		      void (*fn)(void *arg), void *arg);
void ktr_rb_arm_wakeup(struct ktr_rb *rb, unsigned int cpu);

void ktr_rb_set_enabled(struct ktr_rb *rb, bool enabled);
int ktr_rb_get_stats(struct ktr_rb *rb, unsigned int cpu,
		     struct ktr_rb_cpu_stats *st);
u32 ktr_rb_max_payload(const struct ktr_rb *rb);
u32 ktr_rb_subbuf_size(const struct ktr_rb *rb);
u32 ktr_rb_nr_subbufs(const struct ktr_rb *rb);
u32 ktr_rb_mode(const struct ktr_rb *rb);
void ktr_rb_clock_map(const struct ktr_rb *rb, u64 *local_ns, u64 *mono_ns);
void ktr_rb_clock_resync(struct ktr_rb *rb);

#endif /* _KTR_RB_H */
