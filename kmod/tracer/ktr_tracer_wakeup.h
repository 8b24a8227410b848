/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_tracer_wakeup.h - the latency tracers wakeup and wakeup_rt
 * (ktr_tracer_wakeup.c) as the registry and the control plane see them:
 * their registration, a consistent copy of their data
 * (KTR_CMD_GET_LATENCY) and the hook their new-maximum notices go out by.
 */
#ifndef _KTR_TRACER_WAKEUP_H
#define _KTR_TRACER_WAKEUP_H

#include <linux/types.h>

#include "ktr.h"
#include "ktr_event.h"

/* One event of a CPU's scheduling history: a payload as in the trace. */
struct ktr_lat_rec {
	u64 ts;
	u32 cpu;
	u32 size;	/* bytes of @p that are the payload */
	union {
		struct ktr_event_common common;
		struct ktr_event_sched_switch sw;
		struct ktr_event_sched_wakeup wk;
	} p;
};

/* The maximum and its worst-case trace (KTR_CMD_GET_LATENCY). */
struct ktr_lat_max {
	u64 seq;		/* new maxima so far; 0: none yet */
	u64 latency;		/* ns */
	u64 wake_ts;
	u64 switch_ts;
	s32 pid;
	s32 prio;
	u32 cpu;
	char comm[KTR_COMM_LEN];
	unsigned int nr;	/* records in @recs, oldest first */
	struct ktr_lat_rec recs[KTR_LAT_HISTORY];
};

/* What KTR_CMD_GET_LATENCY reports (large: allocate it). */
struct ktr_lat_report {
	const char *tracer;
	u64 generation;		/* grows at each init of either tracer */
	u64 threshold;
	u64 count;
	u64 sum;
	u64 lost;
	u64 buckets[KTR_LAT_BUCKETS];
	struct ktr_lat_max max;
};

/* A new-maximum notice. */
struct ktr_lat_notice {
	const char *tracer;
	u64 seq;
	u64 latency;
	s32 pid;
	s32 prio;
	u32 cpu;
	char comm[KTR_COMM_LEN];
};

typedef void (*ktr_lat_notify_fn)(const struct ktr_lat_notice *n);

int ktr_wakeup_tracers_init(void);
void ktr_wakeup_tracers_exit(void);
int ktr_wakeup_read(struct ktr_lat_report *r);
void ktr_wakeup_set_notify(ktr_lat_notify_fn fn);

#endif /* _KTR_TRACER_WAKEUP_H */
