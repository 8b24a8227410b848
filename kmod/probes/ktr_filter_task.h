/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_filter_task.h - what ktr_filter.c needs of the task filters
 * (ktr_filter_task.c) beyond the probe and netlink API of ktr_filter.h.
 */
#ifndef _KTR_FILTER_TASK_H
#define _KTR_FILTER_TASK_H

struct sk_buff;
struct ktr_pid_filter;
struct ktr_comm_filter;
struct ktr_cpu_filter;

/* Task filter state withdrawn, to free after the probes are done with it. */
struct ktr_task_filters_old {
	struct ktr_pid_filter *pids;
	struct ktr_comm_filter *comms;
	struct ktr_cpu_filter *cpus;
};

void ktr_filter_task_init(void);
void ktr_filter_task_withdraw(struct ktr_task_filters_old *old);
void ktr_filter_task_free(struct ktr_task_filters_old *old);
int ktr_filter_task_put(struct sk_buff *msg);

#endif /* _KTR_FILTER_TASK_H */
