/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ktr_event.h - the payload of a ktr event, as a reader decodes it.
 *
 * uapi/ktr_ringbuf.h says how records are framed in a sub-buffer; this
 * header says what an event record's payload holds. Every event payload
 * starts with struct ktr_event_common; the id says which layout follows.
 * Payloads are 4-byte aligned (records are): fields wider than 4 bytes must
 * be read with memcpy, never through a cast pointer.
 *
 *   event record payload
 *   +----+-------+--------+----------------------------------------+
 *   | id | flags |  pid   |  fields of event "id"                  |
 *   +----+-------+--------+----------------------------------------+
 *   0    2       4        8 (sizeof(struct ktr_event_common))
 *
 * Event ids are never reused. Records whose payload is shorter than the
 * common header, or whose id a reader does not know, are corrupt or newer
 * than the reader: a decoder reports them, it never guesses.
 */
#ifndef _UAPI_LINUX_KTR_EVENT_H
#define _UAPI_LINUX_KTR_EVENT_H

#include <linux/types.h>

/* Event ids. Never renumber; append only. */
enum ktr_event_id {
	KTR_EVENT_RESERVED = 0,		/* never written */
	KTR_EVENT_MARKER = 1,		/* a user-space write() to /dev/ktr */
	/* Scheduler tracepoints (ABI minor 3). */
	KTR_EVENT_SCHED_SWITCH = 2,
	KTR_EVENT_SCHED_WAKEUP = 3,
	KTR_EVENT_SCHED_WAKEUP_NEW = 4,
	KTR_EVENT_SCHED_PROCESS_FORK = 5,
	KTR_EVENT_SCHED_PROCESS_EXEC = 6,
	KTR_EVENT_SCHED_PROCESS_EXIT = 7,
	/* ABI minor 4: more curated tracepoints. */
	KTR_EVENT_SYS_ENTER = 8,
	KTR_EVENT_SYS_EXIT = 9,
	KTR_EVENT_IRQ_HANDLER_ENTRY = 10,
	KTR_EVENT_IRQ_HANDLER_EXIT = 11,
	KTR_EVENT_SOFTIRQ_ENTRY = 12,
	KTR_EVENT_SOFTIRQ_EXIT = 13,
	KTR_EVENT_BLOCK_RQ_ISSUE = 14,
	KTR_EVENT_BLOCK_RQ_COMPLETE = 15,
	KTR_EVENT_NET_DEV_XMIT = 16,
	KTR_EVENT_NETIF_RECEIVE_SKB = 17,
	KTR_EVENT_KMALLOC = 18,
	KTR_EVENT_KFREE = 19,
	KTR_EVENT_PAGE_FAULT_USER = 20,
	KTR_EVENT_PAGE_FAULT_KERNEL = 21,
	/* ABI minor 4: the kernel stack of the event before it (same CPU). */
	KTR_EVENT_STACK = 22,

	__KTR_EVENT_ID_MAX,
};

/*
 * Raw events (KTR_CMD_ATTACH_RAW, uapi/ktr.h) get ids from
 * KTR_EVENT_RAW_FIRST up, one per attach, never reused while the module
 * stays loaded; their formats come only from KTR_CMD_LIST_EVENTS. The
 * payload is struct ktr_event_common then the arguments asked for, each a
 * __u64 (4-byte aligned: read with memcpy).
 */
#define KTR_EVENT_RAW_FIRST	0x8000
#define KTR_EVENT_RAW_LAST	0xffff

/**
 * struct ktr_event_common - the first bytes of every event payload
 * @id: enum ktr_event_id.
 * @flags: zero for now (reserved for per-event flags).
 * @pid: the thread (task->pid) that was running when the event was
 *	recorded; 0 for the idle task and for events recorded in interrupts
 *	of the idle task.
 */
struct ktr_event_common {
	__u16 id;
	__u16 flags;
	__s32 pid;
};

#define KTR_COMM_LEN		16	/* TASK_COMM_LEN */

/**
 * struct ktr_event_marker - KTR_EVENT_MARKER: text written by user space
 * @common: id KTR_EVENT_MARKER, pid of the writing thread.
 * @tgid: its process id.
 * @comm: its command name, NUL-padded (not always NUL-terminated when
 *	all KTR_COMM_LEN bytes are used).
 *
 * The text follows the struct: the bytes written, exactly as written (no
 * terminating NUL; its length is the record's payload length minus
 * sizeof(struct ktr_event_marker)). A trailing newline is kept. (No
 * flexible array member: C++ users of this header would not compile it.)
 *
 * One write() of 1..KTR_MARKER_MAX bytes to /dev/ktr records one marker on
 * the CPU the writer runs on. Longer writes fail with -EINVAL, nothing is
 * recorded; a write of 0 bytes records nothing and returns 0.
 */
struct ktr_event_marker {
	struct ktr_event_common common;
	__s32 tgid;
	char comm[KTR_COMM_LEN];
};

/*
 * Bytes of text in one marker: what fits in the smallest sub-buffer
 * (KTR_SUBBUF_SIZE_MIN, less its header and the largest record overhead,
 * less struct ktr_event_marker).
 */
#define KTR_MARKER_MAX		3984u

/*
 * The scheduler events. Field names follow ftrace's format files, so that
 * what users know from trace-cmd reads the same. Readers decode them from
 * the formats the module reports (KTR_CMD_LIST_EVENTS), not from these
 * structs; the structs are the module's side of that contract.
 */

/* KTR_EVENT_SCHED_SWITCH: prev stops running on this CPU, next starts. */
struct ktr_event_sched_switch {
	struct ktr_event_common common;
	char prev_comm[KTR_COMM_LEN];
	__s32 prev_pid;
	__s32 prev_prio;
	__u32 prev_state;	/* the state prev leaves in (0: runnable) */
	__u32 preempt;		/* 1: prev was preempted */
	char next_comm[KTR_COMM_LEN];
	__s32 next_pid;
	__s32 next_prio;
};

/* KTR_EVENT_SCHED_WAKEUP, KTR_EVENT_SCHED_WAKEUP_NEW */
struct ktr_event_sched_wakeup {
	struct ktr_event_common common;
	char comm[KTR_COMM_LEN];
	__s32 pid;
	__s32 prio;
	__s32 target_cpu;
};

/* KTR_EVENT_SCHED_PROCESS_FORK */
struct ktr_event_sched_process_fork {
	struct ktr_event_common common;
	char parent_comm[KTR_COMM_LEN];
	__s32 parent_pid;
	char child_comm[KTR_COMM_LEN];
	__s32 child_pid;
};

/*
 * KTR_EVENT_SCHED_PROCESS_EXEC: the file name follows the struct, without
 * a NUL, to the end of the payload.
 */
struct ktr_event_sched_process_exec {
	struct ktr_event_common common;
	__s32 pid;
	__s32 old_pid;
};

/* KTR_EVENT_SCHED_PROCESS_EXIT */
struct ktr_event_sched_process_exit {
	struct ktr_event_common common;
	char comm[KTR_COMM_LEN];
	__s32 pid;
	__s32 prio;
};

#endif /* _UAPI_LINUX_KTR_EVENT_H */
