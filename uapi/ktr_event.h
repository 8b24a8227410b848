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
/*
 * Probe events (KTR_CMD_ADD_PROBE, ABI minor 5) get ids from
 * KTR_EVENT_PROBE_FIRST up in the same way; their payload is struct
 * ktr_event_common then one slot per fetch argument, as listed.
 */
/*
 * Tracer events (ABI minor 7): the event formats a tracer declares
 * (ktr_register_tracer(), kmod/include/ktr/tracer.h) get ids from
 * KTR_EVENT_TRACER_FIRST up, one per format, never reused while the module
 * stays loaded; their formats come only from KTR_CMD_LIST_EVENTS (system:
 * the tracer's name).
 */
#define KTR_EVENT_TRACER_FIRST	0x3000
#define KTR_EVENT_TRACER_LAST	0x3fff

#define KTR_EVENT_PROBE_FIRST	0x4000
#define KTR_EVENT_PROBE_LAST	0x7fff

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

/*
 * ABI minor 4: the rest of the curated tracepoints. Field names follow
 * ftrace's format files (docs/tracepoints.md, section 3); 64-bit fields
 * may sit at a 4-byte aligned address in the ring buffer (read them with
 * memcpy). Text fields are copied with a bound, never kept as pointers.
 */

/* KTR_EVENT_SYS_ENTER (raw_syscalls): a system call starts. */
struct ktr_event_sys_enter {
	struct ktr_event_common common;
	__s64 id;		/* syscall number (the ia32 one in compat tasks) */
	__u64 args[6];		/* its arguments; listed as args0 .. args5 */
};

/* KTR_EVENT_SYS_EXIT (raw_syscalls): a system call returns. */
struct ktr_event_sys_exit {
	struct ktr_event_common common;
	__s64 id;		/* syscall number */
	__s64 ret;		/* return value (-errno on failure) */
};

/*
 * KTR_EVENT_IRQ_HANDLER_ENTRY (irq): the handler's name (irqaction->name,
 * at most KTR_IRQ_NAME_MAX bytes, no NUL) follows the struct, to the end of
 * the payload, as field "name".
 */
struct ktr_event_irq_handler_entry {
	struct ktr_event_common common;
	__s32 irq;
};

#define KTR_IRQ_NAME_MAX	64

/* KTR_EVENT_IRQ_HANDLER_EXIT (irq) */
struct ktr_event_irq_handler_exit {
	struct ktr_event_common common;
	__s32 irq;
	__s32 ret;		/* 0: unhandled (IRQ_NONE), else handled */
};

/*
 * KTR_EVENT_SOFTIRQ_ENTRY, KTR_EVENT_SOFTIRQ_EXIT (irq): vec is 0 HI,
 * 1 TIMER, 2 NET_TX, 3 NET_RX, 4 BLOCK, 5 IRQ_POLL, 6 TASKLET, 7 SCHED,
 * 8 HRTIMER, 9 RCU.
 */
struct ktr_event_softirq {
	struct ktr_event_common common;
	__u32 vec;
};

#define KTR_RWBS_LEN		8	/* blk_fill_rwbs(): "WS", "RA", "FWFS"... */

/* KTR_EVENT_BLOCK_RQ_ISSUE (block): a request goes to the driver. */
struct ktr_event_block_rq_issue {
	struct ktr_event_common common;
	__u64 sector;		/* 0 for passthrough requests */
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__u32 nr_sector;	/* 0 for passthrough requests */
	__u32 bytes;
	char rwbs[KTR_RWBS_LEN];
	char comm[KTR_COMM_LEN];	/* the issuing task */
};

/* KTR_EVENT_BLOCK_RQ_COMPLETE (block): the driver completed (part of) it. */
struct ktr_event_block_rq_complete {
	struct ktr_event_common common;
	__u64 sector;
	__u32 dev;
	__u32 nr_sector;	/* sectors completed by this call */
	__s32 error;		/* 0 or -errno */
	char rwbs[KTR_RWBS_LEN];
};

#define KTR_IFNAMSIZ		16	/* IFNAMSIZ */

/*
 * KTR_EVENT_NET_DEV_XMIT (net): a packet was handed to a driver. skbaddr
 * is an address only (the skb may be freed already).
 */
struct ktr_event_net_dev_xmit {
	struct ktr_event_common common;
	__u64 skbaddr;
	__u32 len;
	__s32 rc;		/* the driver's NETDEV_TX_* / -errno */
	char name[KTR_IFNAMSIZ];	/* the device */
};

/* KTR_EVENT_NETIF_RECEIVE_SKB (net): a packet enters the stack. */
struct ktr_event_netif_receive_skb {
	struct ktr_event_common common;
	__u64 skbaddr;
	__u32 len;
	char name[KTR_IFNAMSIZ];	/* the receiving device */
};

/* KTR_EVENT_KMALLOC (kmem) */
struct ktr_event_kmalloc {
	struct ktr_event_common common;
	__u64 call_site;	/* the caller's address */
	__u64 ptr;		/* the memory (0 when it failed) */
	__u64 bytes_req;
	__u64 bytes_alloc;	/* >= bytes_req */
	__u32 gfp_flags;
	__s32 node;		/* NUMA node asked for, -1: any */
};

/* KTR_EVENT_KFREE (kmem) */
struct ktr_event_kfree {
	struct ktr_event_common common;
	__u64 call_site;
	__u64 ptr;
};

/*
 * KTR_EVENT_PAGE_FAULT_USER, KTR_EVENT_PAGE_FAULT_KERNEL (exceptions, x86
 * only): a page fault in user or kernel mode; the kernel one may be
 * recorded in NMI context.
 */
struct ktr_event_page_fault {
	struct ktr_event_common common;
	__u64 address;		/* the faulting address (CR2) */
	__u64 ip;		/* the faulting instruction */
	__u64 error_code;	/* X86_PF_* bits */
};

/**
 * struct ktr_event_stack - KTR_EVENT_STACK: the kernel stack of an event
 * @common: id KTR_EVENT_STACK, pid of the task the event was recorded in.
 * @event_ts: the time of the event it belongs to (same CPU).
 * @nr: return addresses that follow the struct (__u64 each, innermost
 *	first; the first ones are ktr's own probe frames).
 * @reserved: zero.
 *
 * Recorded after each event of a type whose stack capture is on
 * (KTR_ATTR_EVENT_STACK), on the same CPU, usually right after it; an
 * interrupt may record its own events in between: the event is the one on
 * this CPU whose time is @event_ts. Listed as fields event_ts, nr and ips
 * (KTR_FIELD_REST_U64).
 */
struct ktr_event_stack {
	struct ktr_event_common common;
	__u64 event_ts;
	__u32 nr;
	__u32 reserved;
};

#endif /* _UAPI_LINUX_KTR_EVENT_H */
