/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_filter.h - which events the probes record: task filters (process
 * ids with optional child following, command names, CPUs), per-event
 * filter programs and per-event stack capture.
 *
 * The probe side (ktr_probe.h) tests one static key per kind; a kind that
 * is not set costs a NOP. The state behind each key is RCU-protected: probes
 * run with preemption disabled (inside tracepoints) and read it with
 * rcu_dereference_sched(); updates, serialized by a mutex, publish a new
 * copy and free the old one after synchronize_rcu().
 */
#ifndef _KTR_FILTER_H
#define _KTR_FILTER_H

#include <linux/jump_label.h>
#include <linux/types.h>

struct task_struct;
struct netlink_ext_ack;
struct ktr_rb_event;
struct sk_buff;

DECLARE_STATIC_KEY_FALSE(ktr_filter_pid_key);
DECLARE_STATIC_KEY_FALSE(ktr_filter_comm_key);
DECLARE_STATIC_KEY_FALSE(ktr_filter_cpu_key);
DECLARE_STATIC_KEY_FALSE(ktr_filter_event_key);
DECLARE_STATIC_KEY_FALSE(ktr_filter_stack_key);

bool ktr_filter_pid_match(const struct task_struct *t);
bool ktr_filter_comm_match(const struct task_struct *t);
bool ktr_filter_cpu_match(void);
void ktr_filter_event_end(struct ktr_rb_event *ev);

/* What KTR_CMD_SET_TASK_FILTER asks; a NULL/absent member is unchanged. */
struct ktr_task_filter_req {
	const s32 *pids;	/* with nr_pids; nr_pids == 0: clear */
	unsigned int nr_pids;
	bool set_pids;
	int follow;		/* -1: not given */
	const char *comms;	/* NUL-terminated names, comms_len bytes */
	unsigned int comms_len;
	bool set_comms;
	const u64 *cpus;	/* cpus_words words; 0: clear */
	unsigned int cpus_words;
	bool set_cpus;
};

/* What KTR_CMD_SET_EVENT_FILTER asks. */
struct ktr_event_filter_req {
	const char *name;
	const void *prog;	/* struct ktr_filter_insn[], prog_len bytes */
	unsigned int prog_len;
	bool set_prog;
	const char *strings;
	unsigned int strings_len;
	const char *text;
	int stack;		/* -1: not given */
};

void ktr_filter_init(void);
void ktr_filter_exit(void);
int ktr_filter_set_task(const struct ktr_task_filter_req *req,
			struct netlink_ext_ack *extack);
int ktr_filter_set_event(const struct ktr_event_filter_req *req,
			 struct netlink_ext_ack *extack);
int ktr_filter_put(struct sk_buff *msg);
void ktr_filter_clear(void);

#endif /* _KTR_FILTER_H */
