// SPDX-License-Identifier: GPL-2.0
/*
 * host_view.c - white-box views of a CPU's ring for the host tests.
 */
#include "ktr_rb_internal.h"

void ktr_rb_host_get_view(struct ktr_rb *rb, unsigned int cpu,
			  struct ktr_rb_host_view *view)
{
	struct ktr_rb_cpu *cb = rb->cpus[cpu];
	unsigned long tail = (unsigned long)local_read(&cb->tail);
	unsigned long commit = ktr_rb_load_acquire(&cb->commit);
	long consumed = atomic_long_read_acquire(&cb->consumed);

	view->tail_seq = tail >> RB_SEQ_SHIFT;
	view->tail_off = tail & RB_OFF_MASK;
	view->tail_sealed = tail & RB_SEALED;
	view->commit_seq = commit >> RB_SEQ_SHIFT;
	view->commit_off = commit & RB_OFF_MASK;
	view->commit_sealed = commit & RB_SEALED;
	view->consumed = (u64)consumed >> 2;
	view->consumed_state = (unsigned int)(consumed & RB_STATE_MASK);
	view->nest = local_read(&cb->nest);
	view->spare = cb->spare;
	view->held = READ_ONCE(cb->held);
}

const void *ktr_rb_host_area(struct ktr_rb *rb, unsigned int cpu)
{
	return rb->cpus[cpu]->area;
}

/*
 * Make a fresh ring of @cpu start at sub-buffer number @seq instead of 0
 * (before anything was written), to test the wrap of the 24-bit sequence
 * number in the position words.
 */
void ktr_rb_host_set_start_seq(struct ktr_rb *rb, unsigned int cpu, u64 seq)
{
	struct ktr_rb_cpu *cb = rb->cpus[cpu];
	u32 prev = (u32)(seq - 1) & RB_SEQ_MASK;
	unsigned long start = ((unsigned long)prev << RB_SEQ_SHIFT) | RB_SEALED;

	local_set(&cb->tail, (long)start);
	cb->commit = start;
	atomic_long_set(&cb->consumed, (long)(seq << 2));
}
