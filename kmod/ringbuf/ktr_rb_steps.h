/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_rb_steps.h - the labelled steps of the ring buffer's lockless paths.
 *
 * ktr_rb.c marks each step with ktr_rb_step(cb, KTR_RB_AT_*). In the kernel
 * the marks compile to nothing. The host build calls a test hook at every
 * mark, which may run a nested writer there: that is how the host tests
 * prove that an interrupt arriving between any two steps is handled (see
 * "Interrupts between the steps" in ktr_rb.c).
 */
#ifndef _KTR_RB_STEPS_H
#define _KTR_RB_STEPS_H

enum ktr_rb_step {
	/* ktr_rb_reserve() */
	KTR_RB_AT_RESERVE,		/* R0: entry, nothing done yet */
	KTR_RB_AT_NESTED,		/* R1: nest counted */
	KTR_RB_AT_TAIL_READ,		/* R2: tail read */
	KTR_RB_AT_CLOCK_READ,		/* R3: last_* and clock read */
	KTR_RB_AT_RESERVED,		/* R4: tail cmpxchg succeeded */
	KTR_RB_AT_LAST_TS,		/* R5: last_ts stored, last_tail not */
	KTR_RB_AT_HEADER,		/* R6: last_* stored, record not written */
	KTR_RB_AT_WRITTEN,		/* R7: record header written */
	/* sub-buffer switch (slow path of reserve) */
	KTR_RB_AT_SWITCH,		/* S1: next sub-buffer needed */
	KTR_RB_AT_PUSH,			/* S2: overwrite: oldest to be pushed */
	KTR_RB_AT_PUSHING,		/* S3: consumed marked PUSHING */
	KTR_RB_AT_PUSHED,		/* S4: consumed moved past the oldest */
	KTR_RB_AT_ENTERED,		/* S5: tail moved into the new one */
	KTR_RB_AT_SEALED,		/* S6: old one sealed (padding) */
	KTR_RB_AT_SUBBUF_INIT,		/* S7: new header written */
	KTR_RB_AT_DROPPED,		/* S8: drop recorded in tail */
	/* ktr_rb_flush() */
	KTR_RB_AT_FLUSH,		/* F1: tail read */
	KTR_RB_AT_FLUSHED,		/* F2: tail sealed, padding not written */
	/* ktr_rb_commit() / ktr_rb_discard() */
	KTR_RB_AT_COMMIT,		/* C1: commit entry */
	KTR_RB_AT_DISCARD,		/* C1': discard entry */
	KTR_RB_AT_END_COMMIT,		/* C2: before "am I outermost?" */
	KTR_RB_AT_PUBLISH,		/* C3: outermost, tail read */
	KTR_RB_AT_FINALIZED,		/* C4: headers final, commit not stored */
	KTR_RB_AT_PUBLISHED,		/* C5: commit stored, nest not dropped */
	KTR_RB_AT_UNNESTED,		/* C6: nest dropped to 0, not rechecked */
	/* ktr_rb_get_subbuf() (reader) */
	KTR_RB_AT_GET_CLAIMED,		/* G1: consumed marked HELD */
	KTR_RB_AT_GET_SWAPPED,		/* G2: spare swapped in, not released */

	KTR_RB_NR_STEPS
};

#endif /* _KTR_RB_STEPS_H */
