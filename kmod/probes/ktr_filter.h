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
#include <linux/list.h>
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

struct ktr_event_filter;

/**
 * struct ktr_filter_slot - where an event's filter program and stack
 *	capture live
 * @prog: the program, or NULL (RCU: probes read it, updates replace it).
 * @stack: record the kernel stack after each event.
 * @id: the event's id.
 * @name: the event's name, for GET_FILTERS (lives as long as the slot).
 * @node: dynamic slots with something set, in ktr_filter.c's list.
 *
 * Curated events have theirs in ktr_filter.c, by id; a dynamic event that
 * can be filtered (a probe's) brings its own (ktr_event_type.filter_slot)
 * and gives it back with ktr_filter_slot_release() before freeing it.
 * Everything but @id and @name belongs to ktr_filter.c and its lock.
 */
struct ktr_filter_slot {
	struct ktr_event_filter __rcu *prog;
	bool stack;
	u16 id;
	const char *name;
	struct list_head node;
};

bool ktr_filter_pid_match(const struct task_struct *t);
bool ktr_filter_comm_match(const struct task_struct *t);
bool ktr_filter_cpu_match(void);
void ktr_filter_event_end(struct ktr_rb_event *ev);
void ktr_filter_event_end_slot(struct ktr_rb_event *ev,
			       struct ktr_filter_slot *slot);

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
void ktr_filter_slot_init(struct ktr_filter_slot *slot, u16 id,
			  const char *name);
void ktr_filter_slot_release(struct ktr_filter_slot *slot);

#endif /* _KTR_FILTER_H */
